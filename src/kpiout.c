/* kpiout.c: `opsbook kpi` output: a readable table, CSV and JSON. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/kpiout.h"

#include <stdlib.h>
#include <string.h>

#include "opsbook/date.h"
#include "opsbook/json.h"
#include "opsbook/mem.h"
#include "opsbook/numfmt.h"
#include "opsbook/text.h"

static bool
shown(const struct ob_kpiout *o, size_t i)
{
    return !o->selected || o->selected[i];
}

/* ---- the table ------------------------------------------------------ */

#define N_COLS 6

static const char *const headings[N_COLS] = {"KPI",    "period", "value",
                                             "change", "target", "status"};

struct table {
    char **cells; /* N_COLS per row */
    size_t n_rows, cap_rows;
    size_t width[N_COLS];
};

static void
add_cell(struct table *t, size_t col, const char *s, size_t len)
{
    size_t w = ob_utf8_chars(s, len);

    t->cells[t->n_rows * N_COLS + col] = ob_xstrndup(s, len);
    if (w > t->width[col])
        t->width[col] = w;
}

static void
add_row(struct table *t, const char *const cols[N_COLS])
{
    size_t need = (t->n_rows + 1) * N_COLS, cap = t->cap_rows * N_COLS, c;

    if (need > cap) {
        t->cap_rows = t->cap_rows ? t->cap_rows * 2 : 16;
        t->cells =
            ob_xreallocarray(t->cells, t->cap_rows * N_COLS, sizeof(*t->cells));
    }
    for (c = 0; c < N_COLS; c++)
        add_cell(t, c, cols[c], strlen(cols[c]));
    t->n_rows++;
}

static void
format_state(const struct ob_kpi *kpi, const struct ob_kpi_state *st,
             struct ob_buf *value, struct ob_buf *change, struct ob_buf *target)
{
    if (st->has_current)
        ob_numfmt_value(value, &kpi->fmt, st->current);
    else
        ob_buf_puts(value, "no data");
    if (st->has_delta) {
        ob_numfmt_delta(change, &kpi->fmt, st->delta);
        if (st->has_delta_rel && kpi->fmt.format != OB_FMT_PERCENT) {
            ob_buf_puts(change, " (");
            ob_numfmt_ratio(change, kpi->fmt.language, st->delta_rel);
            ob_buf_putc(change, ')');
        }
    }
    if (st->has_target)
        ob_numfmt_value(target, &kpi->fmt, st->target);
}

static void
table_kpi(struct table *t, const struct ob_kpi *kpi)
{
    struct ob_buf name = OB_BUF_INIT, value = OB_BUF_INIT, change = OB_BUF_INIT,
                  target = OB_BUF_INIT;
    char label[OB_PERIOD_LABEL_MAX];
    size_t g;

    ob_period_label(&kpi->cal, kpi->current_period, label);
    if (!kpi->ok) {
        const char *cols[N_COLS] = {kpi->def->id, "", "not computed",
                                    "",           "", ""};
        add_row(t, cols);
        return;
    }
    for (g = 0; g < kpi->n_groups; g++) {
        const struct ob_kpi_state *st = &kpi->states[g];
        const char *cols[N_COLS];

        ob_buf_reset(&name);
        ob_buf_reset(&value);
        ob_buf_reset(&change);
        ob_buf_reset(&target);
        ob_buf_puts(&name, kpi->def->id);
        if (kpi->def->by.name)
            ob_buf_printf(&name, "[%s]", kpi->groups[g]);
        format_state(kpi, st, &value, &change, &target);
        cols[0] = name.ptr;
        cols[1] = label;
        cols[2] = value.ptr;
        cols[3] = change.ptr;
        cols[4] = target.ptr;
        cols[5] = ob_status_name(st->status);
        add_row(t, cols);
    }
    ob_buf_release(&name);
    ob_buf_release(&value);
    ob_buf_release(&change);
    ob_buf_release(&target);
}

static void
put_padded(struct ob_buf *out, const char *s, size_t width, bool right)
{
    size_t w = ob_utf8_chars(s, strlen(s));

    if (right)
        for (; w < width; w++)
            ob_buf_putc(out, ' ');
    ob_buf_puts(out, s);
    if (!right)
        for (; w < width; w++)
            ob_buf_putc(out, ' ');
}

void
ob_kpiout_table(const struct ob_kpiout *o, struct ob_buf *out)
{
    struct table t;
    size_t i, r, c;

    memset(&t, 0, sizeof(t));
    add_row(&t, headings);
    for (i = 0; i < o->kpis->n; i++)
        if (shown(o, i))
            table_kpi(&t, &o->kpis->kpis[i]);
    for (r = 0; r < t.n_rows; r++) {
        size_t end = out->len;
        for (c = 0; c < N_COLS; c++) {
            /* numbers align right, words left */
            bool right = c >= 2 && c <= 4;
            if (c)
                ob_buf_puts(out, "  ");
            put_padded(out, t.cells[r * N_COLS + c], t.width[c], right);
            free(t.cells[r * N_COLS + c]);
        }
        while (out->len > end && out->ptr[out->len - 1] == ' ')
            ob_buf_truncate(out, out->len - 1);
        ob_buf_putc(out, '\n');
    }
    free(t.cells);
}

/* ---- CSV ------------------------------------------------------------ */

void
ob_kpiout_csv(const struct ob_kpiout *o, struct ob_buf *out)
{
    struct ob_buf series = OB_BUF_INIT;
    size_t i;

    ob_buf_puts(out, "kpi,period,group,value\n");
    for (i = 0; i < o->kpis->n; i++) {
        const char *line, *end;

        if (!shown(o, i) || !o->kpis->kpis[i].ok)
            continue;
        ob_buf_reset(&series);
        ob_kpi_write_csv(&o->kpis->kpis[i], &series);
        /* every line after the header, prefixed with the id */
        line = strchr(series.ptr, '\n') + 1;
        for (; *line; line = end + 1) {
            end = strchr(line, '\n');
            ob_buf_puts(out, o->kpis->kpis[i].def->id);
            ob_buf_putc(out, ',');
            ob_buf_add(out, line, (size_t)(end - line) + 1);
        }
    }
    ob_buf_release(&series);
}

/* ---- JSON ----------------------------------------------------------- */

static void
json_period(struct ob_buf *out, const struct ob_kpi *kpi, int32_t start)
{
    char label[OB_PERIOD_LABEL_MAX];

    ob_period_label(&kpi->cal, start, label);
    ob_buf_puts(out, "{\"start\": ");
    ob_json_date(out, start);
    ob_buf_puts(out, ", \"end\": ");
    ob_json_date(out, ob_period_last_day(&kpi->cal, start));
    ob_buf_puts(out, ", \"label\": ");
    ob_json_str(out, label);
    ob_buf_putc(out, '}');
}

static void
json_formatted(struct ob_buf *out, const struct ob_kpi *kpi, bool has, double v)
{
    struct ob_buf text = OB_BUF_INIT;

    if (!has) {
        ob_buf_puts(out, "null");
        return;
    }
    ob_numfmt_value(&text, &kpi->fmt, v);
    ob_json_str(out, text.ptr);
    ob_buf_release(&text);
}

/* The fields that describe one group's state (or the KPI's, without by). */
static void
json_state(struct ob_buf *out, const struct ob_kpi *kpi,
           const struct ob_kpi_state *st)
{
    ob_buf_puts(out, "\"current\": ");
    ob_json_num(out, st && st->has_current, st ? st->current : 0);
    ob_buf_puts(out, ", \"current_text\": ");
    json_formatted(out, kpi, st && st->has_current, st ? st->current : 0);
    ob_buf_puts(out, ", \"previous\": ");
    ob_json_num(out, st && st->has_previous, st ? st->previous : 0);
    ob_buf_puts(out, ", \"delta\": ");
    ob_json_num(out, st && st->has_delta, st ? st->delta : 0);
    ob_buf_puts(out, ", \"delta_rel\": ");
    ob_json_num(out, st && st->has_delta_rel, st ? st->delta_rel : 0);
    ob_buf_puts(out, ", \"target\": ");
    ob_json_num(out, st && st->has_target, st ? st->target : 0);
    ob_buf_puts(out, ", \"status\": ");
    ob_json_str(out, st && st->status ? ob_status_name(st->status) : NULL);
    ob_buf_puts(out, ", \"partial\": ");
    ob_json_num(out, st && st->has_partial, st ? st->partial : 0);
}

static void
json_series(struct ob_buf *out, const struct ob_kpi *kpi)
{
    size_t i;

    ob_buf_puts(out, "[");
    for (i = 0; i < kpi->n_points; i++) {
        const struct ob_point *p = &kpi->points[i];
        ob_buf_puts(out,
                    i ? ",\n      {\"period\": " : "\n      {\"period\": ");
        ob_json_date(out, p->period);
        if (kpi->def->by.name) {
            ob_buf_puts(out, ", \"group\": ");
            ob_json_str(out, kpi->groups[p->group]);
        }
        ob_buf_puts(out, ", \"value\": ");
        ob_numfmt_plain(out, p->value);
        ob_buf_putc(out, '}');
    }
    ob_buf_puts(out, kpi->n_points ? "\n    ]" : "]");
}

static void
json_freshness(struct ob_buf *out, const struct ob_kpi *kpi)
{
    const struct ob_table *t = kpi->table;

    if (!t) {
        ob_buf_puts(out, "null");
        return;
    }
    ob_buf_puts(out, "{\"source\": ");
    ob_json_str(out, t->src->name);
    ob_buf_printf(out,
                  ", \"files\": %zu, \"rows\": %llu, \"newest\": ", t->n_paths,
                  (unsigned long long)t->rows);
    if (t->has_newest) {
        char when[OB_INSTANT_MAX];
        ob_instant_format(t->newest, when);
        ob_json_str(out, when);
    } else {
        ob_buf_puts(out, "null");
    }
    ob_buf_printf(out, ", \"stale\": %s}", kpi->stale ? "true" : "false");
}

static void
json_format(struct ob_buf *out, const struct ob_numfmt *f)
{
    static const char *const names[] = {"integer", "number", "percent",
                                        "currency", "duration"};

    if (f->format == OB_FMT_CURRENCY && f->currency)
        ob_buf_printf(out, "\"currency:%s\"", f->currency);
    else
        ob_json_str(out, names[f->format]);
}

static void
json_kpi(struct ob_buf *out, const struct ob_kpi *kpi)
{
    const struct ob_kpi_def *def = kpi->def;
    size_t g;

    ob_buf_puts(out, "  {\"id\": ");
    ob_json_str(out, def->id);
    ob_buf_puts(out, ", \"title\": ");
    ob_json_str(out, def->title);
    ob_buf_puts(out, ", \"grain\": ");
    ob_json_str(out, ob_grain_name(def->grain));
    ob_buf_puts(out, ", \"measure\": ");
    ob_json_str(out, ob_measure_name(kpi->measure));
    ob_buf_puts(out, ", \"format\": ");
    json_format(out, &kpi->fmt);
    ob_buf_printf(out, ", \"decimals\": %d", ob_numfmt_decimals(&kpi->fmt));
    ob_buf_puts(out, ", \"direction\": ");
    ob_json_str(out, def->direction == OB_DIR_UP ? "up" : "down");
    ob_buf_puts(out, ", \"by\": ");
    ob_json_str(out, def->by.name);
    ob_buf_printf(out, ", \"ok\": %s", kpi->ok ? "true" : "false");
    if (kpi->ok) {
        ob_buf_puts(out, ",\n    \"current_period\": ");
        json_period(out, kpi, kpi->current_period);
        ob_buf_puts(out, ", \"previous_period\": ");
        json_period(out, kpi, kpi->previous_period);
        ob_buf_puts(out, ", \"partial_period\": ");
        if (kpi->has_partial_period)
            json_period(out, kpi, kpi->partial_period);
        else
            ob_buf_puts(out, "null");
    }
    ob_buf_puts(out, ",\n    ");
    json_state(out, kpi,
               kpi->ok && !def->by.name && kpi->n_groups ? &kpi->states[0]
                                                         : NULL);
    if (kpi->ok && def->by.name) {
        ob_buf_puts(out, ",\n    \"groups\": [");
        for (g = 0; g < kpi->n_groups; g++) {
            ob_buf_puts(out,
                        g ? ",\n      {\"group\": " : "\n      {\"group\": ");
            ob_json_str(out, kpi->groups[g]);
            ob_buf_puts(out, ", ");
            json_state(out, kpi, &kpi->states[g]);
            ob_buf_putc(out, '}');
        }
        ob_buf_puts(out, kpi->n_groups ? "\n    ]" : "]");
    }
    ob_buf_puts(out, ",\n    \"freshness\": ");
    json_freshness(out, kpi);
    ob_buf_puts(out, ",\n    \"series\": ");
    if (kpi->ok)
        json_series(out, kpi);
    else
        ob_buf_puts(out, "null");
    ob_buf_puts(out, "}");
}

void
ob_kpiout_json(const struct ob_kpiout *o, struct ob_buf *out)
{
    size_t i, n = 0;

    ob_buf_puts(out, "[");
    for (i = 0; i < o->kpis->n; i++) {
        if (!shown(o, i))
            continue;
        ob_buf_puts(out, n++ ? ",\n" : "\n");
        json_kpi(out, &o->kpis->kpis[i]);
    }
    ob_buf_puts(out, n ? "\n]\n" : "]\n");
}
