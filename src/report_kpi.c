/* report_kpi.c: a sheet per KPI: its series (periods as dates, groups as
 * columns, the target beside them) and a native Excel chart of it. */
/* SPDX-License-Identifier: MIT */
#include "report_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/date.h"
#include "opsbook/kpichart.h"
#include "opsbook/mem.h"

#define HEADER_ROW 3
#define C_START    0 /* the period's first day, a date */
#define C_LABEL    1 /* the period as people name it; a day's weekday */
#define C_FIRST    2 /* the first group's values */

/* The chart, beside the table: 360 pixels tall, 720 wide, or narrower
 * (down to Excel's 480) where the table is wide: the page is printed
 * fit to its width, and past 1,430 pixels (a landscape A4 page at 73%)
 * its 11-point text would print smaller than 8 points. */
#define CHART_WIDTH     720.0
#define CHART_MIN_WIDTH 480.0
#define CHART_Y_SCALE   1.25
#define CHART_GAP       16
#define PAGE_PIXELS     1430.0

struct kpi_sheet {
    struct ob_xl *x;
    const struct ob_kpi *kpi;
    const char *name;
    lxw_worksheet *ws;
    struct ob_xl_widths w;
    int32_t first;      /* the first period shown */
    size_t n_periods;   /* from `first` up to the latest */
    size_t n_targets;   /* target columns */
    uint32_t *targets;  /* the group each target column follows */
    bool group_targets; /* one target column per group that has one */
    lxw_col_t c_target, c_note;
    lxw_format *value_fmt;
    struct ob_buf cell;
};

/* The periods from the first with data to the latest (the one in
 * progress included): every period, so the chart's time axis is even. */
static void
settle_periods(struct kpi_sheet *k)
{
    const struct ob_kpi *kpi = k->kpi;
    int32_t last =
        kpi->has_partial_period ? kpi->partial_period : kpi->current_period;

    k->n_periods = 0;
    if (!kpi->ok || !kpi->n_points || kpi->points[0].period > last)
        return;
    k->first = kpi->points[0].period;
    k->n_periods = (size_t)ob_period_diff(&kpi->cal, k->first, last) + 1;
}

/* One target column, or one per group with a target of its own. */
static void
settle_targets(struct kpi_sheet *k)
{
    const struct ob_kpi *kpi = k->kpi;
    uint32_t g;

    k->targets =
        ob_arena_calloc(&k->x->a, kpi->n_groups + 1, sizeof(*k->targets));
    if (kpi->def->target.kind == OB_TARGET_NONE)
        return;
    if (kpi->def->target.kind != OB_TARGET_BY_GROUP) {
        k->targets[k->n_targets++] = 0;
        return;
    }
    k->group_targets = true;
    for (g = 0; g < kpi->n_groups; g++) {
        double t;

        if (ob_kpi_target_at(kpi, k->first, g, &t) ||
            ob_kpi_target_at(kpi, kpi->current_period, g, &t))
            k->targets[k->n_targets++] = g;
    }
}

static size_t
n_groups(const struct kpi_sheet *k)
{
    return k->kpi->ok ? k->kpi->n_groups : 0;
}

/* "measure · grain · source": what the numbers are, under the title. */
static void
definition(struct kpi_sheet *k, struct ob_buf *out)
{
    const struct ob_kpi_def *def = k->kpi->def;

    if (def->description && *def->description)
        ob_buf_printf(out, "%s \xE2\x80\x94 ", def->description);
    if (def->formula.text)
        ob_buf_printf(out, "%s", def->formula.text);
    else if (def->measure.text)
        ob_buf_printf(out, "%s", def->measure.text);
    if (def->where.text)
        ob_buf_printf(out, " where %s", def->where.text);
    ob_buf_printf(out, " \xC2\xB7 %s", ob_grain_name(def->grain));
    if (def->source.name)
        ob_buf_printf(out, " \xC2\xB7 %s", def->source.name);
    if (def->owner && *def->owner)
        ob_buf_printf(out, " \xC2\xB7 %s", def->owner);
}

/* A day is its own label: its column says the weekday instead, to sort
 * or filter weekends out by. */
static bool
daily(const struct kpi_sheet *k)
{
    return k->kpi->cal.grain == OB_GRAIN_DAY;
}

static void
header(struct kpi_sheet *k)
{
    struct ob_xl *x = k->x;
    const struct ob_kpi *kpi = k->kpi;
    size_t n = (size_t)k->c_note + 1, m = n < 64 ? n : 64, g, i;
    const char **names = ob_xcalloc(n, sizeof(*names));
    bool day = daily(k);
    uint64_t numbers = 0;

    names[C_START] = ob_xl_word(x, day ? OB_XW_DATE : OB_XW_PERIOD_START);
    names[C_LABEL] = ob_xl_word(x, day ? OB_XW_WEEKDAY : OB_XW_PERIOD);
    for (g = 0; g < n_groups(k); g++)
        names[C_FIRST + g] =
            kpi->def->by.name ? kpi->groups[g] : ob_xl_word(x, OB_XW_VALUE);
    for (i = 0; i < k->n_targets; i++) {
        ob_buf_reset(&k->cell);
        ob_buf_puts(&k->cell, ob_xl_word(x, OB_XW_TARGET));
        if (k->group_targets)
            ob_buf_printf(&k->cell, " (%s)", kpi->groups[k->targets[i]]);
        names[k->c_target + i] = ob_arena_strdup(&x->a, k->cell.ptr);
    }
    names[k->c_note] = ob_xl_word(x, OB_XW_NOTE);
    /* dates and numbers align right, the label and the note left */
    for (i = 0; i < m; i++)
        if (i != C_LABEL && i != k->c_note)
            numbers |= (uint64_t)1 << i;
    ob_xl_header(x, k->ws, HEADER_ROW, names, m, numbers, 0, &k->w);
    /* past the masks' 64 columns: more numbers, then the note */
    for (i = m; i < n; i++)
        ob_xl_str(
            x, k->ws, HEADER_ROW, (lxw_col_t)i, names[i],
            ob_xl_format(x, NULL,
                         OB_XL_HEADER | (i == k->c_note ? 0 : OB_XL_RIGHT)),
            &k->w);
    free(names);
}

/* The annotations on this period, and whether it is still running. */
static void
note(struct kpi_sheet *k, int32_t period, struct ob_buf *out)
{
    const struct ob_config *cfg = &k->x->b->config;
    const struct ob_kpi *kpi = k->kpi;
    int32_t last = ob_period_last_day(&kpi->cal, period);
    size_t i, j;

    for (i = 0; i < cfg->n_notes; i++) {
        const struct ob_annotation *a = &cfg->notes[i];
        bool mine = a->n_kpis == 0;

        for (j = 0; j < a->n_kpis; j++)
            mine = mine || !strcmp(a->kpis[j].name, kpi->def->id);
        if (!mine || a->date < period || a->date > last)
            continue;
        if (out->len)
            ob_buf_puts(out, "; ");
        ob_buf_puts(out, a->label);
    }
    if (kpi->has_partial_period && period == kpi->partial_period) {
        if (out->len)
            ob_buf_puts(out, "; ");
        ob_buf_puts(out, ob_xl_word(k->x, OB_XW_IN_PROGRESS));
    }
}

static void
put_number(struct kpi_sheet *k, lxw_row_t row, lxw_col_t col, bool has,
           double v)
{
    const struct ob_numfmt *f = &k->kpi->fmt;

    if (!has)
        return;
    ob_buf_reset(&k->cell);
    ob_numfmt_value(&k->cell, f, v);
    ob_xl_num(k->x, k->ws, row, col, ob_xl_value(f, v), k->value_fmt,
              (size_t)ob_xl_text_width(k->cell.ptr, k->cell.len), &k->w);
}

static const char *const weekdays[2][7] = {
    {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"},
    {"lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."}};

static void
put_period(struct kpi_sheet *k, lxw_row_t row, int32_t period)
{
    struct ob_xl *x = k->x;
    const struct ob_kpi *kpi = k->kpi;
    char date[11];
    size_t g, i;
    double v;

    ob_date_format(period, date);
    if (ob_xl_date_ok(period))
        ob_xl_num(x, k->ws, row, C_START, ob_xl_date(period),
                  ob_xl_format(x, "yyyy-mm-dd", 0), 10, &k->w);
    else
        ob_xl_str(x, k->ws, row, C_START, date, NULL, &k->w);
    ob_buf_reset(&k->cell);
    if (daily(k))
        ob_buf_puts(
            &k->cell,
            weekdays[x->lang == OB_LANG_FR][ob_date_weekday(period) - 1]);
    else
        ob_numfmt_period(&k->cell, &kpi->cal, period, x->lang);
    ob_xl_str(x, k->ws, row, C_LABEL, k->cell.ptr, NULL, &k->w);
    for (g = 0; g < n_groups(k); g++) {
        bool has = ob_kpi_shown_value(kpi, period, (uint32_t)g, &v);
        put_number(k, row, (lxw_col_t)(C_FIRST + g), has, v);
    }
    for (i = 0; i < k->n_targets; i++) {
        bool has = ob_kpi_target_at(kpi, period, k->targets[i], &v);
        put_number(k, row, (lxw_col_t)(k->c_target + i), has, v);
    }
    ob_buf_reset(&k->cell);
    note(k, period, &k->cell);
    if (k->cell.len)
        ob_xl_str(x, k->ws, row, k->c_note, k->cell.ptr, NULL, &k->w);
}

/* ---- the chart ---------------------------------------------------------- */

/* Counts and sums add up across groups: stacked columns show them. */
static bool
adds_up(const struct ob_kpi *kpi)
{
    return kpi->measure == OB_MEASURE_COUNT || kpi->measure == OB_MEASURE_SUM;
}

/*
 * A line for a KPI without groups; columns for a `by` KPI (stacked when
 * its groups add up). libxlsxwriter 1.1.4 cannot combine a column chart
 * with a line, so a `by` KPI with a target is drawn as lines, the target
 * as dashed lines beside them.
 */
static uint8_t
chart_type(const struct kpi_sheet *k)
{
    if (!k->kpi->def->by.name || k->n_targets)
        return LXW_CHART_LINE;
    return adds_up(k->kpi) ? LXW_CHART_COLUMN_STACKED : LXW_CHART_COLUMN;
}

struct weight {
    uint32_t group;
    double sum;
};

static int
heaviest_first(const void *pa, const void *pb)
{
    const struct weight *a = pa, *b = pb;

    if (a->sum != b->sum)
        return a->sum > b->sum ? -1 : 1;
    return a->group < b->group ? -1 : a->group > b->group;
}

/* The groups the chart shows: all of them, or the heaviest few (the
 * sheet keeps every group's numbers); marks them in `shown`. */
static void
chart_groups(const struct kpi_sheet *k, bool *shown)
{
    size_t n = n_groups(k), i;
    struct weight *w = ob_xcalloc(n + 1, sizeof(*w));

    for (i = 0; i < n; i++) {
        w[i].group = (uint32_t)i;
        for (size_t p = 0; p < k->kpi->n_points; p++)
            if (k->kpi->points[p].group == i &&
                isfinite(k->kpi->points[p].value))
                w[i].sum += fabs(k->kpi->points[p].value);
    }
    ob_qsort(w, n, sizeof(*w), heaviest_first);
    for (i = 0; i < n && i < OB_KPI_CHART_GROUPS; i++)
        shown[w[i].group] = true;
    free(w);
}

/* Office's own series colours, so the chart looks at home in Excel; set
 * here rather than left to the viewer so a group's target line can take
 * its group's colour. */
static const lxw_color_t palette[OB_KPI_CHART_GROUPS] = {
    0x4472C4, 0xED7D31, 0x70AD47, 0xFFC000, 0x5B9BD5, 0x7F6084, 0x264478};

static lxw_chart_series *
add_series(struct kpi_sheet *k, lxw_chart *chart, lxw_col_t col, lxw_row_t last)
{
    lxw_chart_series *s = chart_add_series(chart, NULL, NULL);
    /* ranges, never literal text: a name from data stays a cell's text;
     * days by their dates */
    lxw_col_t cat = daily(k) ? C_START : C_LABEL;

    if (!s)
        ob_oom(); /* it allocates, and fails on nothing else */
    chart_series_set_categories(s, k->name, HEADER_ROW + 1, cat, last, cat);
    chart_series_set_values(s, k->name, HEADER_ROW + 1, col, last, col);
    chart_series_set_name_range(s, k->name, HEADER_ROW, col);
    return s;
}

/* The group's colour: its place among the groups charted. */
static lxw_color_t
group_colour(const bool *shown, uint32_t group)
{
    size_t slot = 0;
    uint32_t g;

    for (g = 0; g < group; g++)
        slot += shown[g];
    return palette[slot % OB_KPI_CHART_GROUPS];
}

static void
style_series(lxw_chart_series *s, uint8_t type, lxw_color_t colour)
{
    lxw_chart_line line;
    lxw_chart_fill fill;

    memset(&line, 0, sizeof(line));
    memset(&fill, 0, sizeof(fill));
    line.color = colour;
    fill.color = colour;
    if (type == LXW_CHART_LINE) {
        line.width = 2.25;
        chart_series_set_line(s, &line);
        chart_series_set_marker_type(s, LXW_CHART_MARKER_NONE);
    } else {
        chart_series_set_fill(s, &fill);
    }
}

/* Targets as dashed lines: grey for the KPI's, a group's own in its
 * colour. */
static void
target_series(struct kpi_sheet *k, lxw_chart *chart, const bool *shown,
              lxw_row_t last)
{
    lxw_chart_line dashed;
    size_t i;

    memset(&dashed, 0, sizeof(dashed));
    dashed.width = 1.5;
    dashed.dash_type = LXW_CHART_LINE_DASH_DASH;
    for (i = 0; i < k->n_targets; i++) {
        lxw_chart_series *s;

        if (k->group_targets && !shown[k->targets[i]])
            continue;
        s = add_series(k, chart, (lxw_col_t)(k->c_target + i), last);
        dashed.color =
            k->group_targets ? group_colour(shown, k->targets[i]) : 0x595959;
        chart_series_set_line(s, &dashed);
        chart_series_set_marker_type(s, LXW_CHART_MARKER_NONE);
    }
}

static void
insert_chart(struct kpi_sheet *k)
{
    struct ob_xl *x = k->x;
    lxw_row_t last = (lxw_row_t)(HEADER_ROW + k->n_periods);
    uint8_t type = chart_type(k);
    lxw_chart *chart = workbook_add_chart(x->wb, type);
    bool *shown = ob_xcalloc(n_groups(k) + 1, sizeof(*shown));
    struct ob_buf nf = OB_BUF_INIT;
    lxw_chart_options o;
    double width;
    size_t g;

    if (!chart)
        ob_oom();
    chart_groups(k, shown);
    for (g = 0; g < n_groups(k); g++)
        if (shown[g])
            style_series(add_series(k, chart, (lxw_col_t)(C_FIRST + g), last),
                         type, group_colour(shown, (uint32_t)g));
    if (type == LXW_CHART_LINE)
        target_series(k, chart, shown, last);
    chart_title_set_name_range(chart, k->name, 0, 0);
    ob_xl_numfmt(&k->kpi->fmt, false, &nf);
    chart_axis_set_num_format(chart->y_axis, nf.ptr);
    if (daily(k))
        chart_axis_set_num_format(chart->x_axis, "yyyy-mm-dd");
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    chart_show_blanks_as(chart, LXW_CHART_BLANKS_AS_GAP);
    memset(&o, 0, sizeof(o));
    width = PAGE_PIXELS - ob_xl_widths_pixels(&k->w) - CHART_GAP;
    if (width > CHART_WIDTH)
        width = CHART_WIDTH;
    if (width < CHART_MIN_WIDTH)
        width = CHART_MIN_WIDTH;
    o.x_scale = width / CHART_MIN_WIDTH; /* Excel's default chart: 480 px */
    o.y_scale = CHART_Y_SCALE;
    o.x_offset = CHART_GAP;
    ob_xl_check(x,
                worksheet_insert_chart_opt(
                    k->ws, HEADER_ROW, (lxw_col_t)(k->c_note + 1), chart, &o),
                "a chart");
    ob_buf_release(&nf);
    free(shown);
}

/* ---- the sheet ---------------------------------------------------------- */

void
ob_xl_kpi_sheet(struct ob_xl *x, size_t i)
{
    struct kpi_sheet k;
    struct ob_buf sub = OB_BUF_INIT, nf = OB_BUF_INIT;
    size_t p;

    memset(&k, 0, sizeof(k));
    k.x = x;
    k.kpi = x->kpis[i];
    k.name = x->kpi_sheets[i];
    k.ws = ob_xl_add_sheet(x, k.name, false);
    if (!k.ws)
        return;
    ob_buf_init(&k.cell);
    settle_periods(&k);
    settle_targets(&k);
    k.c_target = (lxw_col_t)(C_FIRST + n_groups(&k));
    k.c_note = (lxw_col_t)(k.c_target + k.n_targets);
    ob_xl_widths_init(&k.w, (size_t)k.c_note + 1);
    ob_xl_numfmt(&k.kpi->fmt, false, &nf);
    k.value_fmt = ob_xl_format(x, nf.ptr, 0);
    definition(&k, &sub);
    ob_xl_title(x, k.ws, k.kpi->def->title, sub.ptr);
    header(&k);
    for (p = 0; p < k.n_periods; p++)
        put_period(&k, (lxw_row_t)(HEADER_ROW + 1 + p),
                   ob_period_add(&k.kpi->cal, k.first, (int32_t)p));
    /* (the widths first: the chart takes the room the table leaves) */
    ob_xl_widths_apply(x, k.ws, &k.w);
    if (k.n_periods && n_groups(&k))
        insert_chart(&k);
    ob_xl_sheet_setup(x, k.ws, k.name, HEADER_ROW,
                      (lxw_row_t)(HEADER_ROW + k.n_periods), k.c_note);
    ob_xl_widths_release(&k.w);
    ob_buf_release(&k.cell);
    ob_buf_release(&sub);
    ob_buf_release(&nf);
}
