/* report_table.c: the raw sheets: a `tables` source's rows, typed and
 * streamed in constant memory, and the Sources sheet (files, rows, newest
 * row, freshness, checks). */
/* SPDX-License-Identifier: MIT */
#include "report_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "opsbook/date.h"
#include "opsbook/mem.h"
#include "opsbook/table.h"
#include "opsbook/tz.h"

/* ---- a table's rows ------------------------------------------------------ */

/* The data rows a sheet holds under its header. */
#define MAX_DATA_ROWS (OB_XL_MAX_ROWS - 1)

struct table_sheet {
    struct ob_xl *x;
    const struct ob_table *t;
    lxw_worksheet *ws;
    lxw_format **formats; /* per column, by its type */
    lxw_format *grouped;  /* integers with thousands separators */
    struct ob_xl_widths w;
    lxw_row_t row;  /* the last row written */
    bool truncated; /* Excel's row limit was reached */
};

/* A name that says its numbers label things ("id", "user_id", "year"):
 * their digits are shown as written, without thousands separators. */
static bool
labels_things(const char *name)
{
    size_t n = strlen(name);

    return !strcasecmp(name, "id") || !strcasecmp(name, "year") ||
           (n > 3 && !strcasecmp(name + n - 3, "_id"));
}

/* A column's number format: dates and times as such, shares as
 * percentages, integers with thousands separators as the KPIs' are (but
 * ids and years) and never an exponent; other numbers General. */
static lxw_format *
column_format(struct ob_xl *x, const struct ob_column *col)
{
    switch (col->type) {
    case OB_COL_DATE:
        return ob_xl_format(x, "yyyy-mm-dd", 0);
    case OB_COL_DATETIME:
        return ob_xl_format(x, "yyyy-mm-dd hh:mm:ss", 0);
    case OB_COL_PERCENT:
        return ob_xl_format(x, "0.0%", 0);
    case OB_COL_INTEGER:
        return ob_xl_format(x, labels_things(col->name) ? "0" : "#,##0", 0);
    case OB_COL_BOOLEAN:
        /* Excel shows booleans as words anyway; LibreOffice needs this */
        return ob_xl_format(x, "\"TRUE\";\"TRUE\";\"FALSE\"", 0);
    default:
        return NULL;
    }
}

/* A datetime as Excel's local serial number: Excel has no time zones, so
 * it shows the time in the site's zone, as the site does. */
static double
local_serial(const struct ob_tz *tz, int64_t utc, int32_t nanos)
{
    int64_t local = utc + ob_tz_offset_at(tz, utc);
    int64_t days = local / OB_SECONDS_PER_DAY, rest;

    rest = local - days * OB_SECONDS_PER_DAY;
    if (rest < 0) {
        rest += OB_SECONDS_PER_DAY;
        days--;
    }
    return ob_xl_date((int32_t)days) +
           ((double)rest + nanos / 1e9) / OB_SECONDS_PER_DAY;
}

/* The characters "#,##0" shows for an integer: its digits, a separator
 * between each three, a sign. */
static size_t
grouped_width(double v)
{
    double a = fabs(v);
    size_t digits = 1;

    for (; a >= 10 && digits < 400; a /= 10)
        digits++;
    return digits + (digits - 1) / 3 + (v < 0);
}

/* One cell, by its value's type; the text as written where Excel cannot
 * hold the value (dates before 1900-03-01). */
static void
put_cell(struct table_sheet *s, lxw_col_t c, const struct ob_value *v,
         const char *raw, size_t raw_len)
{
    struct ob_xl *x = s->x;

    switch (v->type) {
    case OB_VAL_EMPTY:
        break;
    case OB_VAL_NUMBER:
        ob_xl_num(x, s->ws, s->row, c, v->u.num, s->formats[c],
                  s->formats[c] == s->grouped ? grouped_width(v->u.num)
                                              : raw_len,
                  &s->w);
        break;
    case OB_VAL_BOOL:
        ob_xl_check(
            x, worksheet_write_boolean(s->ws, s->row, c, v->u.b, s->formats[c]),
            "a cell");
        ob_xl_widths_fit(&s->w, c, 5);
        break;
    case OB_VAL_DATE:
        if (!ob_xl_date_ok(v->u.date))
            goto as_text;
        ob_xl_num(x, s->ws, s->row, c, ob_xl_date(v->u.date), s->formats[c], 10,
                  &s->w);
        break;
    case OB_VAL_DATETIME:
        if (!ob_xl_date_ok(ob_tz_date_of(s->t->format.tz, v->u.dt.seconds)))
            goto as_text;
        ob_xl_num(x, s->ws, s->row, c,
                  local_serial(s->t->format.tz, v->u.dt.seconds, v->u.dt.nanos),
                  s->formats[c], 19, &s->w);
        break;
    default:
    as_text:
        /* text from data: a string cell whatever it starts with */
        ob_xl_text(x, s->ws, s->row, c, raw, raw_len, NULL, &s->w);
        break;
    }
}

static int
on_row(void *ctx, const struct ob_row *row)
{
    struct table_sheet *s = ctx;
    size_t c;

    if (s->row >= MAX_DATA_ROWS) {
        s->truncated = true;
        return 1;
    }
    s->row++;
    for (c = 0; c < s->t->n_columns; c++) {
        const struct ob_value *v = &row->values[c];

        if (v->type != OB_VAL_STRING) {
            put_cell(s, (lxw_col_t)c, v, row->raw[c], row->raw_len[c]);
            continue;
        }
        /* (a long text or one with line breaks wraps, the row growing
         * to its lines: Excel would grow it, LibreOffice does not) */
        ob_xl_text(s->x, s->ws, s->row, (lxw_col_t)c, v->u.str.ptr,
                   v->u.str.len, NULL, &s->w);
    }
    /* a failed write stops the scan; the failure is kept */
    return ob_xl_ok(s->x) ? 0 : 1;
}

/*
 * Reads the source again, every column typed, on a copy of its table: the
 * build's statistics stay as the KPI scan left them, and the copy has no
 * checks (a `unique` check keeps every value: memory would grow with the
 * rows). Rows after as_of are left out, as everywhere.
 */
static enum ob_err
scan_rows(struct table_sheet *s, struct ob_diag *quiet)
{
    const struct ob_build *b = s->x->b;
    struct ob_source src = *s->t->src;
    struct ob_table copy = *s->t;
    uint64_t counts[2] = {0, 0};
    struct ob_row_sink sink = {on_row, s};

    memset(&src.checks, 0, sizeof(src.checks));
    src.checks.min_rows = -1;
    copy.src = &src;
    copy.convert = NULL;
    copy.until = ob_tz_day_start(b->tz, b->as_of + 1) - 1;
    copy.empty = &counts[0];
    copy.duplicates = &counts[1];
    /* the rows are read on another thread while libxlsxwriter writes */
    return ob_table_scan_piped(&copy, quiet, &sink, s->x->jobs);
}

static void
table_header(struct table_sheet *s)
{
    const char **names = ob_xcalloc(s->t->n_columns + 1, sizeof(*names));
    uint64_t numbers = 0;
    size_t c;

    for (c = 0; c < s->t->n_columns; c++) {
        enum ob_column_type type = s->t->columns[c].type;

        names[c] = s->t->columns[c].name;
        s->formats[c] = column_format(s->x, &s->t->columns[c]);
        if (c < 64 && type != OB_COL_STRING && type != OB_COL_BOOLEAN)
            numbers |= (uint64_t)1 << c;
    }
    ob_xl_header(s->x, s->ws, 0, names, s->t->n_columns, numbers, 0, &s->w);
    free(names);
}

/* The source failed to read a second time (it changed, or the disk
 * failed): said, and the report fails. */
static void
reread_failed(struct ob_xl *x, const struct ob_table *t, enum ob_err err)
{
    struct ob_pos none = {NULL, 0, 0};

    ob_diag_error(&x->b->diag, &none,
                  "cannot write '%s': source '%s' could not be read again "
                  "for its sheet (%s)",
                  x->file, t->src->name,
                  err == OB_ERR_ENV ? "a file could not be read"
                                    : "a file changed during the build");
    x->err = OB_ERR_ENV;
}

static void
truncation_warning(struct ob_xl *x, const struct ob_table *t)
{
    struct ob_pos none = {NULL, 0, 0};

    ob_diag_warning(&x->b->diag, &none,
                    "'%s': source '%s' has %llu rows; its sheet holds the "
                    "first %u, Excel's limit",
                    x->file, t->src->name, (unsigned long long)t->rows,
                    (unsigned)MAX_DATA_ROWS);
}

void
ob_xl_table_sheet(struct ob_xl *x, size_t i)
{
    const char *name = x->def->tables[i].name;
    int k = -1;
    struct table_sheet s;
    struct ob_diag quiet;
    enum ob_err err;
    size_t j;

    for (j = 0; j < x->b->config.n_sources && k < 0; j++)
        if (!strcmp(x->b->config.sources[j].name, name))
            k = (int)j;
    /* a source that could not be opened has failed the build already */
    if (k < 0 || !x->b->table_ok[k])
        return;
    memset(&s, 0, sizeof(s));
    s.x = x;
    s.t = &x->b->tables[k];
    s.ws = ob_xl_add_sheet(x, x->table_sheets[i], true);
    if (!s.ws)
        return;
    s.formats = ob_xcalloc(s.t->n_columns + 1, sizeof(*s.formats));
    s.grouped = ob_xl_format(x, "#,##0", 0);
    ob_xl_widths_init(&s.w, s.t->n_columns);
    table_header(&s);
    /* problems in the rows were reported by the KPI scan, once */
    ob_diag_init(&quiet, 0);
    err = scan_rows(&s, &quiet);
    ob_diag_release(&quiet);
    if (err && ob_xl_ok(x))
        reread_failed(x, s.t, err);
    if (s.truncated)
        truncation_warning(x, s.t);
    ob_xl_widths_apply(x, s.ws, &s.w);
    ob_xl_sheet_setup(x, s.ws, x->table_sheets[i], 0, s.row,
                      (lxw_col_t)(s.t->n_columns ? s.t->n_columns - 1 : 0));
    ob_xl_widths_release(&s.w);
    free(s.formats);
}

bool
ob_xl_tables_fit(const struct ob_xl *x)
{
    const struct ob_config *cfg = &x->b->config;
    size_t i, k;

    for (i = 0; i < x->def->n_tables; i++)
        for (k = 0; k < cfg->n_sources; k++) {
            const struct ob_table *t = &x->b->tables[k];

            if (!strcmp(cfg->sources[k].name, x->def->tables[i].name) &&
                x->b->table_ok[k] &&
                t->rows + t->skipped + t->untimed >= MAX_DATA_ROWS)
                return false;
        }
    return true;
}

/* ---- Sources ------------------------------------------------------------- */

#define SRC_HEADER_ROW 3

enum src_col {
    S_SOURCE,
    S_TYPE,
    S_PATH,
    S_FILES,
    S_ROWS,
    S_NEWEST,
    S_FRESHNESS,
    S_CHECKS,
    S_NOTE,
    S_N
};

struct sources_sheet {
    struct ob_xl *x;
    lxw_worksheet *ws;
    struct ob_xl_widths w;
    lxw_row_t row;
    struct ob_buf cell;
};

static void
freshness(const struct ob_xl *x, const struct ob_table *t, struct ob_buf *out)
{
    bool fr = x->lang == OB_LANG_FR;
    int64_t end = ob_tz_day_start(x->b->tz, x->b->as_of + 1);
    int64_t age = ob_table_staleness(t, end);

    if (t->time_column < 0)
        ob_buf_puts(out, fr ? "pas de colonne de temps" : "no time column");
    else if (!t->src->stale_after)
        ob_buf_puts(out, fr ? "non vérifiée" : "not checked");
    else if (age)
        ob_buf_printf(out,
                      fr ? "ancienne : %lld jours" : "stale: %lld days old",
                      (long long)(age / OB_SECONDS_PER_DAY));
    else
        ob_buf_puts(out, fr ? "à jour" : "fresh");
}

static void
sep(struct ob_buf *out)
{
    if (out->len)
        ob_buf_puts(out, "; ");
}

/* "min_rows 1000: ok; unique event_id: 3 repeated; not_empty user: ok" */
static void
checks(const struct ob_table *t, bool fr, struct ob_buf *out)
{
    const struct ob_source_checks *c = &t->src->checks;
    size_t i;

    if (c->min_rows >= 0)
        ob_buf_printf(out, "min_rows %lld: %s", c->min_rows,
                      t->rows >= (uint64_t)c->min_rows
                          ? "ok"
                          : (fr ? "trop peu" : "too few"));
    for (i = 0; i < c->n_unique; i++) {
        sep(out);
        ob_buf_printf(out, "unique %s: ", c->unique[i].name);
        if (t->duplicates[i])
            ob_buf_printf(out, fr ? "%llu répétées" : "%llu repeated",
                          (unsigned long long)t->duplicates[i]);
        else
            ob_buf_puts(out, "ok");
    }
    for (i = 0; i < c->n_not_empty; i++) {
        sep(out);
        ob_buf_printf(out, "not_empty %s: ", c->not_empty[i].name);
        if (t->empty[i])
            ob_buf_printf(out, fr ? "%llu vides" : "%llu empty",
                          (unsigned long long)t->empty[i]);
        else
            ob_buf_puts(out, "ok");
    }
}

/* Rows the counts leave out, said so nobody wonders. */
static void
row_notes(const struct ob_table *t, bool fr, struct ob_buf *out)
{
    if (t->later) {
        sep(out);
        ob_buf_printf(out, fr ? "%llu après la date" : "%llu after as-of",
                      (unsigned long long)t->later);
    }
    if (t->untimed) {
        sep(out);
        ob_buf_printf(out, fr ? "%llu sans date" : "%llu without a time",
                      (unsigned long long)t->untimed);
    }
    if (t->skipped) {
        sep(out);
        ob_buf_printf(out,
                      fr ? "%llu ignorées (erreurs)" : "%llu skipped (errors)",
                      (unsigned long long)t->skipped);
    }
}

static void
put_text(struct sources_sheet *s, lxw_col_t col, const char *text)
{
    ob_xl_str(s->x, s->ws, s->row, col, text,
              ob_xl_format(s->x, NULL, OB_XL_ROW), &s->w);
}

static void
put_source(struct sources_sheet *s, const struct ob_source *src,
           const struct ob_table *t)
{
    static const char *const types[] = {"csv", "yaml", "postgres"};
    struct ob_xl *x = s->x;
    bool fr = x->lang == OB_LANG_FR;
    lxw_format *count = ob_xl_format(x, "#,##0", OB_XL_ROW);

    s->row++;
    put_text(s, S_SOURCE, src->name);
    put_text(s, S_TYPE, types[src->type]);
    put_text(s, S_PATH, src->path ? src->path : src->table);
    ob_xl_num(x, s->ws, s->row, S_FILES, t ? (double)t->n_paths : 0, count, 5,
              &s->w);
    ob_xl_num(x, s->ws, s->row, S_ROWS, t ? (double)t->rows : 0, count, 10,
              &s->w);
    if (t && t->has_newest)
        ob_xl_num(x, s->ws, s->row, S_NEWEST,
                  local_serial(x->b->tz, t->newest, 0),
                  ob_xl_format(x, "yyyy-mm-dd hh:mm", OB_XL_ROW), 16, &s->w);
    else
        ob_xl_blank(x, s->ws, s->row, S_NEWEST,
                    ob_xl_format(x, NULL, OB_XL_ROW));
    ob_buf_reset(&s->cell);
    if (t)
        freshness(x, t, &s->cell);
    put_text(s, S_FRESHNESS, s->cell.ptr);
    ob_buf_reset(&s->cell);
    if (t)
        checks(t, fr, &s->cell);
    put_text(s, S_CHECKS, s->cell.ptr);
    ob_buf_reset(&s->cell);
    if (t)
        row_notes(t, fr, &s->cell);
    put_text(s, S_NOTE, s->cell.ptr);
}

void
ob_xl_sources(struct ob_xl *x)
{
    static const enum ob_xl_word names[S_N] = {
        OB_XW_SOURCE, OB_XW_TYPE,      OB_XW_PATH,   OB_XW_FILES, OB_XW_ROWS,
        OB_XW_NEWEST, OB_XW_FRESHNESS, OB_XW_CHECKS, OB_XW_NOTE};
    const struct ob_config *cfg = &x->b->config;
    const char *words[S_N];
    struct sources_sheet s;
    struct ob_buf sub = OB_BUF_INIT;
    size_t i;

    memset(&s, 0, sizeof(s));
    s.x = x;
    s.ws = ob_xl_add_sheet(x, x->sources_sheet, false);
    if (!s.ws)
        return;
    ob_xl_widths_init(&s.w, S_N);
    ob_buf_init(&s.cell);
    ob_buf_printf(&sub, "%s ", ob_xl_word(x, OB_XW_AS_OF));
    ob_numfmt_date(&sub, x->b->as_of, x->lang);
    ob_xl_title(x, s.ws, ob_xl_word(x, OB_XW_SOURCES), sub.ptr);
    for (i = 0; i < S_N; i++)
        words[i] = ob_xl_word(x, names[i]);
    ob_xl_header(x, s.ws, SRC_HEADER_ROW, words, S_N,
                 (1u << S_FILES) | (1u << S_ROWS) | (1u << S_NEWEST), 0, &s.w);
    s.row = SRC_HEADER_ROW;
    for (i = 0; i < cfg->n_sources; i++)
        put_source(&s, &cfg->sources[i],
                   x->b->table_ok[i] ? &x->b->tables[i] : NULL);
    ob_xl_widths_apply(x, s.ws, &s.w);
    ob_xl_sheet_setup(x, s.ws, x->sources_sheet, SRC_HEADER_ROW, s.row,
                      S_N - 1);
    ob_xl_widths_release(&s.w);
    ob_buf_release(&s.cell);
    ob_buf_release(&sub);
}
