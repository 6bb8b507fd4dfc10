/* report_summary.c: the Summary sheet: the report's title block and one row
 * per KPI (per group of a `by` KPI) with value, change, target, status and
 * a sparkline drawn with the chart module. */
/* SPDX-License-Identifier: MIT */
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

#include "opsbook/chart.h"
#include "opsbook/kpichart.h"
#include "opsbook/mem.h"

/* Where the table starts, and its columns. */
#define HEADER_ROW 3

enum col {
    C_KPI,
    C_GROUP,
    C_PERIOD,
    C_VALUE,
    C_PREVIOUS,
    C_CHANGE,
    C_CHANGE_PCT,
    C_TARGET,
    C_STATUS,
    C_TREND,
    N_COLS
};

/* A row's height (points) and its sparkline (CSS pixels, drawn at twice
 * that for sharp screens and shown at half the image's size). */
#define ROW_HEIGHT       30.0
#define SPARK_WIDTH      120
#define SPARK_HEIGHT     32
#define SPARK_SCALE      2.0
#define SPARK_PERIODS    12
#define TREND_COL_WIDTH  18.5 /* 120 pixels and a margin, in characters */
#define ROW_HEIGHT_PIXEL 40
/* Excel holds 65,530 links in a sheet (libxlsxwriter fails the workbook
 * past it, after a warning a line): a `by` KPI over an id column can have
 * more groups. Rows past this name their KPI without a link. */
#define MAX_LINKS 65000

/* One row of the table: a KPI, or one group of a `by` KPI. */
struct line {
    size_t kpi; /* index into x->kpis */
    uint32_t group;
    struct ob_chart chart;
    struct ob_chart_job job;
};

struct summary {
    struct ob_xl *x;
    lxw_worksheet *ws;
    struct ob_xl_widths w;
    struct line *lines;
    size_t n_lines;
    bool groups; /* some KPI has `by`: the Group column is shown */
    struct ob_buf cell;
    size_t links; /* written so far, up to MAX_LINKS */
};

static void
collect_lines(struct summary *s)
{
    struct ob_xl *x = s->x;
    size_t i, n = 0, cap = 0;
    uint32_t g;

    for (i = 0; i < x->n_kpis; i++) {
        const struct ob_kpi *kpi = x->kpis[i];
        size_t groups = kpi->ok && kpi->n_groups ? kpi->n_groups : 1;

        if (kpi->def->by.name)
            s->groups = true;
        for (g = 0; g < groups; g++) {
            OB_GROW(s->lines, n + 1, cap);
            memset(&s->lines[n], 0, sizeof(s->lines[n]));
            s->lines[n].kpi = i;
            s->lines[n++].group = g;
        }
    }
    s->n_lines = n;
}

/* ---- sparklines -------------------------------------------------------- */

static void
plan_sparkline(struct summary *s, struct line *l)
{
    const struct ob_kpi *kpi = s->x->kpis[l->kpi];
    struct ob_kpi_chart_opts o;

    memset(&o, 0, sizeof(o));
    o.kind_given = true;
    o.kind = OB_CHART_SPARKLINE;
    o.periods = SPARK_PERIODS;
    o.group = kpi->def->by.name ? kpi->groups[l->group] : NULL;
    ob_kpi_chart(&l->chart, kpi, &o, s->x->lang, &s->x->a);
    l->chart.width = SPARK_WIDTH;
    l->chart.height = SPARK_HEIGHT;
    l->job.chart = &l->chart;
    l->job.theme = OB_THEME_LIGHT;
    l->job.png_scale = SPARK_SCALE;
}

/* Draws every row's sparkline at once, on the build's threads. */
static enum ob_err
draw_sparklines(struct summary *s)
{
    struct ob_chart_job *jobs = ob_xcalloc(s->n_lines + 1, sizeof(*jobs));
    size_t *line = ob_xcalloc(s->n_lines + 1, sizeof(*line));
    size_t i, n = 0;
    enum ob_err err;

    /* a KPI that was not computed has no sparkline (its build fails) */
    for (i = 0; i < s->n_lines; i++) {
        if (!s->x->kpis[s->lines[i].kpi]->ok)
            continue;
        plan_sparkline(s, &s->lines[i]);
        line[n] = i;
        jobs[n++] = s->lines[i].job;
    }
    err = ob_chart_draw_all(jobs, n, s->x->jobs, NULL, &s->x->b->diag);
    for (i = 0; i < n; i++)
        s->lines[line[i]].job = jobs[i];
    free(jobs);
    free(line);
    return err;
}

/* The image in the row's Trend cell, centred in it; it moves and sizes
 * with its cell, so a filtered-out row hides its sparkline too. */
static void
insert_sparkline(struct summary *s, const struct line *l, lxw_row_t row)
{
    struct ob_buf alt = OB_BUF_INIT;
    lxw_image_options o;

    if (!l->job.out.len)
        return;
    ob_chart_alt(&l->chart, &alt);
    memset(&o, 0, sizeof(o));
    o.x_offset = 4;
    o.y_offset = (ROW_HEIGHT_PIXEL - SPARK_HEIGHT) / 2;
    o.x_scale = 1.0 / SPARK_SCALE;
    o.y_scale = 1.0 / SPARK_SCALE;
    o.object_position = LXW_OBJECT_MOVE_AND_SIZE;
    o.description = alt.ptr;
    ob_xl_check(s->x,
                worksheet_insert_image_buffer_opt(
                    s->ws, row, C_TREND, (const unsigned char *)l->job.out.ptr,
                    l->job.out.len, &o),
                "a sparkline");
    ob_buf_release(&alt);
}

/* ---- cells ------------------------------------------------------------- */

static lxw_format *
row_format(struct ob_xl *x, const struct ob_numfmt *f, bool delta,
           unsigned style)
{
    struct ob_buf nf = OB_BUF_INIT;
    lxw_format *fmt;

    ob_xl_numfmt(f, delta, &nf);
    fmt = ob_xl_format(x, nf.ptr, OB_XL_ROW | style);
    ob_buf_release(&nf);
    return fmt;
}

/* A value as a number in the KPI's format, its width as the site shows
 * it; a missing one leaves the (ruled) cell empty. */
static void
put_value(struct summary *s, lxw_row_t row, lxw_col_t col,
          const struct ob_kpi *kpi, bool has, double v, bool delta)
{
    lxw_format *f = row_format(s->x, &kpi->fmt, delta, 0);

    if (!has) {
        ob_xl_blank(s->x, s->ws, row, col, f);
        return;
    }
    ob_buf_reset(&s->cell);
    if (delta)
        ob_numfmt_delta(&s->cell, &kpi->fmt, v);
    else
        ob_numfmt_value(&s->cell, &kpi->fmt, v);
    ob_xl_num(s->x, s->ws, row, col, ob_xl_value(&kpi->fmt, v), f,
              (size_t)ob_xl_text_width(s->cell.ptr, s->cell.len), &s->w);
}

static void
put_ratio(struct summary *s, lxw_row_t row, const struct ob_kpi *kpi,
          const struct ob_kpi_state *st)
{
    /* relative changes of shares confuse: the site leaves them out too */
    bool shown = st->has_delta_rel && kpi->fmt.format != OB_FMT_PERCENT;
    lxw_format *f =
        ob_xl_format(s->x, "+0.0%;\"\xE2\x88\x92\"0.0%;0.0%", OB_XL_ROW);

    if (!shown) {
        ob_xl_blank(s->x, s->ws, row, C_CHANGE_PCT, f);
        return;
    }
    ob_xl_num(s->x, s->ws, row, C_CHANGE_PCT, st->delta_rel, f, 7, &s->w);
}

/* The KPI's name, a link to its sheet. The shown text is the title as
 * written: a string cell, whatever it holds. */
static void
put_name(struct summary *s, lxw_row_t row, size_t k)
{
    struct ob_xl *x = s->x;
    const char *title = x->kpis[k]->def->title;
    bool linked = s->links < MAX_LINKS;
    struct ob_buf url = OB_BUF_INIT;
    lxw_format *f;
    const char *p;

    ob_buf_puts(&url, "internal:'");
    for (p = x->kpi_sheets[k]; *p; p++) {
        if (*p == '\'')
            ob_buf_putc(&url, '\'');
        ob_buf_putc(&url, *p);
    }
    ob_buf_puts(&url, "'!A1");
    f = ob_xl_format(x, NULL, OB_XL_ROW | (linked ? OB_XL_LINK : 0));
    f = ob_xl_fit(x, s->ws, row, C_KPI, title, strlen(title), f, &s->w);
    ob_buf_reset(&x->text);
    ob_buf_puts(&x->text, title);
    if (!linked)
        ob_xl_check(x,
                    worksheet_write_string(s->ws, row, C_KPI, x->text.ptr, f),
                    "a KPI's name");
    else
        ob_xl_check(x,
                    worksheet_write_url_opt(s->ws, row, C_KPI, url.ptr, f,
                                            x->text.ptr, NULL),
                    "a link to a KPI's sheet");
    s->links++;
    ob_buf_release(&url);
}

static void
put_line(struct summary *s, const struct line *l, lxw_row_t row)
{
    struct ob_xl *x = s->x;
    const struct ob_kpi *kpi = x->kpis[l->kpi];
    const struct ob_kpi_state *st = kpi->ok ? &kpi->states[l->group] : NULL;
    lxw_format *text = ob_xl_format(x, NULL, OB_XL_ROW);
    static const struct ob_kpi_state none;

    ob_xl_row(x, s->ws, &s->w, row, ROW_HEIGHT, 0);
    put_name(s, row, l->kpi);
    ob_xl_str(x, s->ws, row, C_GROUP,
              kpi->def->by.name && kpi->ok ? kpi->groups[l->group] : "", text,
              &s->w);
    ob_buf_reset(&s->cell);
    if (kpi->ok)
        ob_numfmt_period(&s->cell, &kpi->cal, kpi->current_period, x->lang);
    ob_xl_str(x, s->ws, row, C_PERIOD, s->cell.ptr, text, &s->w);
    if (!st)
        st = &none;
    if (st->has_current)
        put_value(s, row, C_VALUE, kpi, true, st->current, false);
    else
        ob_xl_str(x, s->ws, row, C_VALUE, ob_xl_word(x, OB_XW_NO_DATA),
                  ob_xl_format(x, NULL, OB_XL_ROW | OB_XL_MUTED), &s->w);
    put_value(s, row, C_PREVIOUS, kpi, st->has_previous, st->previous, false);
    put_value(s, row, C_CHANGE, kpi, st->has_delta, st->delta, true);
    put_ratio(s, row, kpi, st);
    put_value(s, row, C_TARGET, kpi, st->has_target, st->target, false);
    ob_xl_str(x, s->ws, row, C_STATUS, ob_xl_status_word(x, st->status),
              ob_xl_format(x, NULL, OB_XL_ROW | OB_XL_CENTER), &s->w);
    ob_xl_blank(x, s->ws, row, C_TREND, text);
    insert_sparkline(s, l, row);
}

/* Status cells coloured by their word (Excel's conditional formats: the
 * colour follows the word if someone edits it). */
static void
status_colours(struct summary *s, lxw_row_t first, lxw_row_t last)
{
    static const enum ob_status states[] = {OB_STATUS_GREEN, OB_STATUS_AMBER,
                                            OB_STATUS_RED};
    static const unsigned tone[] = {OB_XL_GOOD, OB_XL_WARN, OB_XL_BAD};
    struct ob_buf value = OB_BUF_INIT;
    size_t i;

    for (i = 0; i < 3 && last >= first; i++) {
        lxw_conditional_format cf;

        ob_buf_reset(&value);
        ob_buf_printf(&value, "\"%s\"", ob_xl_status_word(s->x, states[i]));
        memset(&cf, 0, sizeof(cf));
        cf.type = LXW_CONDITIONAL_TYPE_CELL;
        cf.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO;
        cf.value_string = value.ptr;
        cf.format = ob_xl_format(s->x, NULL, tone[i]);
        ob_xl_check(s->x,
                    worksheet_conditional_format_range(s->ws, first, C_STATUS,
                                                       last, C_STATUS, &cf),
                    "status colours");
    }
    ob_buf_release(&value);
}

static void
title_block(struct summary *s)
{
    struct ob_xl *x = s->x;
    struct ob_buf sub = OB_BUF_INIT;

    ob_buf_puts(&sub, x->b->config.site.title);
    if (x->b->config.site.company)
        ob_buf_printf(&sub, " \xC2\xB7 %s", x->b->config.site.company);
    ob_buf_printf(&sub, " \xC2\xB7 %s ", ob_xl_word(x, OB_XW_AS_OF));
    ob_numfmt_date(&sub, x->b->as_of, x->lang);
    ob_xl_title(x, s->ws, x->def->title, sub.ptr);
    ob_buf_release(&sub);
}

static void
header(struct summary *s)
{
    static const enum ob_xl_word names[N_COLS] = {
        OB_XW_KPI,      OB_XW_GROUP,  OB_XW_PERIOD,     OB_XW_VALUE,
        OB_XW_PREVIOUS, OB_XW_CHANGE, OB_XW_CHANGE_PCT, OB_XW_TARGET,
        OB_XW_STATUS,   OB_XW_TREND};
    const char *words[N_COLS];
    size_t i;

    for (i = 0; i < N_COLS; i++)
        words[i] = ob_xl_word(s->x, names[i]);
    ob_xl_header(s->x, s->ws, HEADER_ROW, words, N_COLS,
                 (1u << C_VALUE) | (1u << C_PREVIOUS) | (1u << C_CHANGE) |
                     (1u << C_CHANGE_PCT) | (1u << C_TARGET),
                 1u << C_STATUS, &s->w);
}

static void
finish(struct summary *s, lxw_row_t last)
{
    struct ob_xl *x = s->x;
    lxw_row_col_options hide = {LXW_TRUE, 0, 0};

    status_colours(s, HEADER_ROW + 1, last);
    ob_xl_widths_apply(x, s->ws, &s->w);
    ob_xl_check(
        x, worksheet_set_column(s->ws, C_TREND, C_TREND, TREND_COL_WIDTH, NULL),
        "column widths");
    if (!s->groups)
        ob_xl_check(
            x,
            worksheet_set_column_opt(s->ws, C_GROUP, C_GROUP, 8, NULL, &hide),
            "column widths");
    worksheet_gridlines(s->ws, LXW_HIDE_ALL_GRIDLINES);
    ob_xl_sheet_setup(x, s->ws, x->summary_sheet, HEADER_ROW, last, N_COLS - 1);
    worksheet_activate(s->ws);
}

void
ob_xl_summary(struct ob_xl *x)
{
    struct summary s;
    size_t i;

    memset(&s, 0, sizeof(s));
    s.x = x;
    s.ws = ob_xl_add_sheet(x, x->summary_sheet, false);
    if (!s.ws)
        return;
    ob_xl_widths_init(&s.w, N_COLS);
    ob_buf_init(&s.cell);
    collect_lines(&s);
    x->err = draw_sparklines(&s); /* reported by the chart module */
    title_block(&s);
    header(&s);
    for (i = 0; i < s.n_lines; i++)
        put_line(&s, &s.lines[i], (lxw_row_t)(HEADER_ROW + 1 + i));
    finish(&s, (lxw_row_t)(HEADER_ROW + s.n_lines));
    for (i = 0; i < s.n_lines; i++)
        ob_buf_release(&s.lines[i].job.out);
    free(s.lines);
    ob_buf_release(&s.cell);
    ob_xl_widths_release(&s.w);
}
