/* inspect.c: `opsbook data`: column types and rows, as text or JSON. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/inspect.h"

#include <stdlib.h>
#include <string.h>

#include "opsbook/buf.h"
#include "opsbook/date.h"
#include "opsbook/mem.h"
#include "opsbook/numfmt.h"
#include "opsbook/table.h"
#include "opsbook/text.h"
#include "opsbook/tz.h"
#include "opsbook/warehouse.h"

#define DEFAULT_HEAD   10
#define MAX_CELL_WIDTH 40

/* What the row sink needs: where to print and how many rows are left. */
struct printer {
    const struct ob_table *t;
    const struct ob_inspect_options *opt;
    FILE *out;
    struct ob_buf line;
    long left;   /* rows still to print; -1: all */
    size_t rows; /* printed */
    /* text mode: the rows kept to align columns */
    char **cells;
    size_t n_cells, cap_cells;
};

static void
add_datetime(struct ob_buf *b, int64_t seconds, int32_t nanos)
{
    int64_t days = seconds / OB_SECONDS_PER_DAY;
    int64_t rest = seconds % OB_SECONDS_PER_DAY;
    char date[11];

    if (rest < 0) {
        rest += OB_SECONDS_PER_DAY;
        days--;
    }
    ob_date_format((int32_t)days, date);
    ob_buf_printf(b, "%sT%02d:%02d:%02d", date, (int)(rest / 3600),
                  (int)(rest / 60 % 60), (int)(rest % 60));
    if (nanos) {
        char frac[16];
        size_t n;
        snprintf(frac, sizeof frac, "%09d", (int)nanos);
        n = strlen(frac);
        while (n > 1 && frac[n - 1] == '0')
            n--;
        ob_buf_printf(b, ".%.*s", (int)n, frac);
    }
    ob_buf_putc(b, 'Z');
}

/* A typed value as text: JSON when `json`, else as shown in a table. */
static void
add_value(struct ob_buf *b, const struct ob_value *v, bool json)
{
    char date[11];

    switch (v->type) {
    case OB_VAL_EMPTY:
        ob_buf_puts(b, json ? "null" : "");
        break;
    case OB_VAL_STRING:
        if (json)
            ob_buf_putc(b, '"');
        if (json)
            ob_buf_add_json(b, v->u.str.ptr, v->u.str.len);
        else
            ob_buf_add(b, v->u.str.ptr, v->u.str.len);
        if (json)
            ob_buf_putc(b, '"');
        break;
    case OB_VAL_NUMBER:
        ob_numfmt_plain(b, v->u.num);
        break;
    case OB_VAL_BOOL:
        ob_buf_puts(b, v->u.b ? "true" : "false");
        break;
    case OB_VAL_DATE:
        ob_date_format(v->u.date, date);
        ob_buf_printf(b, json ? "\"%s\"" : "%s", date);
        break;
    case OB_VAL_DATETIME:
        if (json)
            ob_buf_putc(b, '"');
        add_datetime(b, v->u.dt.seconds, v->u.dt.nanos);
        if (json)
            ob_buf_putc(b, '"');
        break;
    }
}

static void
print_json_row(struct printer *p, const struct ob_row *row)
{
    size_t i;

    ob_buf_reset(&p->line);
    ob_buf_puts(&p->line, p->rows ? ",\n  {" : "\n  {");
    for (i = 0; i < p->t->n_columns; i++) {
        const char *name = p->t->columns[i].name;

        ob_buf_puts(&p->line, i ? ", \"" : "\"");
        ob_buf_add_json(&p->line, name, strlen(name));
        ob_buf_puts(&p->line, "\": ");
        if (p->opt->raw) {
            ob_buf_putc(&p->line, '"');
            ob_buf_add_json(&p->line, row->raw[i], row->raw_len[i]);
            ob_buf_putc(&p->line, '"');
        } else {
            add_value(&p->line, &row->values[i], true);
        }
    }
    ob_buf_putc(&p->line, '}');
    fwrite(p->line.ptr, 1, p->line.len, p->out);
}

/* Text mode keeps the few rows shown, to align their columns. */
static void
keep_text_row(struct printer *p, const struct ob_row *row)
{
    size_t i;

    for (i = 0; i < p->t->n_columns; i++) {
        ob_buf_reset(&p->line);
        add_value(&p->line, &row->values[i], false);
        OB_GROW(p->cells, p->n_cells + 1, p->cap_cells);
        p->cells[p->n_cells++] = ob_xstrndup(p->line.ptr, p->line.len);
    }
}

static int
on_row(void *ctx, const struct ob_row *row)
{
    struct printer *p = ctx;

    if (p->left == 0)
        return 1;
    if (p->opt->json)
        print_json_row(p, row);
    else
        keep_text_row(p, row);
    p->rows++;
    if (p->left > 0)
        p->left--;
    return 0;
}

/* Display width of a cell: characters, control characters as one space. */
static size_t
cell_width(const char *s)
{
    size_t n = ob_utf8_chars(s, strlen(s));

    return n > MAX_CELL_WIDTH ? MAX_CELL_WIDTH : n;
}

/* Appends s padded to `width` characters, cut with "…" when too long. */
static void
add_cell(struct ob_buf *b, const char *s, size_t width)
{
    size_t chars = 0, i;

    for (i = 0; s[i] && chars < width; i++) {
        unsigned char c = (unsigned char)s[i];

        if ((c & 0xc0) != 0x80) {
            if (chars == width - 1 && ob_utf8_chars(s + i, strlen(s + i)) > 1) {
                ob_buf_puts(b, "\xe2\x80\xa6");
                chars++;
                break;
            }
            chars++;
        }
        ob_buf_putc(b, c < 0x20 ? ' ' : (char)c);
    }
    /* the rest of a character whose lead byte was written */
    while (s[i] && ((unsigned char)s[i] & 0xc0) == 0x80)
        ob_buf_putc(b, s[i++]);
    for (; chars < width; chars++)
        ob_buf_putc(b, ' ');
}

static void
print_text(struct printer *p)
{
    const struct ob_table *t = p->t;
    size_t *width = ob_xcalloc(t->n_columns + 1, sizeof(*width));
    size_t i, r, name_width = 6;

    for (i = 0; i < t->n_columns; i++) {
        width[i] = cell_width(t->columns[i].name);
        if (width[i] > name_width)
            name_width = width[i];
        for (r = 0; r < p->rows; r++) {
            size_t w = cell_width(p->cells[r * t->n_columns + i]);
            if (w > width[i])
                width[i] = w;
        }
    }
    ob_buf_reset(&p->line);
    if (t->warehouse)
        ob_buf_printf(&p->line, "postgres %s '%s'\n\n",
                      t->src->table ? "table" : "query",
                      t->src->table ? t->src->table : t->src->query);
    else if (t->docs)
        ob_buf_printf(&p->line, "%zu file%s, a YAML list of mappings\n\n",
                      t->n_paths, t->n_paths == 1 ? "" : "s");
    else
        ob_buf_printf(&p->line, "%zu file%s, delimiter '%s'\n\n", t->n_paths,
                      t->n_paths == 1 ? "" : "s",
                      t->delimiter == '\t' ? "\\t"
                                           : (char[2]){t->delimiter, 0});
    add_cell(&p->line, "column", name_width);
    ob_buf_puts(&p->line, "  type\n");
    for (i = 0; i < t->n_columns; i++) {
        add_cell(&p->line, t->columns[i].name, name_width);
        ob_buf_printf(&p->line, "  %s%s\n",
                      ob_column_type_name(t->columns[i].type),
                      t->columns[i].hinted ? " (columns: hint)" : "");
    }
    ob_buf_putc(&p->line, '\n');
    for (r = 0; r <= p->rows; r++) {
        for (i = 0; i < t->n_columns; i++) {
            const char *s =
                r ? p->cells[(r - 1) * t->n_columns + i] : t->columns[i].name;
            if (i)
                ob_buf_puts(&p->line, "  ");
            add_cell(&p->line, s, width[i]);
        }
        while (p->line.len && p->line.ptr[p->line.len - 1] == ' ')
            ob_buf_truncate(&p->line, p->line.len - 1);
        ob_buf_putc(&p->line, '\n');
    }
    fwrite(p->line.ptr, 1, p->line.len, p->out);
    free(width);
}

/* `what` as a source: one of opsbook.yaml's, else a file read with the
 * default options. */
static const struct ob_source *
resolve_source(struct ob_build *b, const char *what)
{
    const struct ob_source *src = ob_config_source(&b->config, what);
    struct ob_source *file;

    if (src)
        return src;
    file = ob_arena_alloc(&b->arena, sizeof(*file));
    file->name = what;
    file->type = OB_SOURCE_CSV;
    file->path = what;
    file->path_pos.path = NULL;
    file->decimal = '.';
    file->checks.min_rows = -1;
    return file;
}

/* A warehouse row, as the server prints it (no typing of our own: the
 * server's types are the columns'). */
static void
on_remote_row(void *ctx, const char *const *cells)
{
    struct printer *p = ctx;
    size_t i;

    if (!p->opt->json) {
        for (i = 0; i < p->t->n_columns; i++) {
            OB_GROW(p->cells, p->n_cells + 1, p->cap_cells);
            p->cells[p->n_cells++] = ob_xstrdup(cells[i] ? cells[i] : "");
        }
        p->rows++;
        return;
    }
    ob_buf_reset(&p->line);
    ob_buf_puts(&p->line, p->rows ? ",\n  {" : "\n  {");
    for (i = 0; i < p->t->n_columns; i++) {
        const char *name = p->t->columns[i].name, *v = cells[i];
        enum ob_column_type type = p->t->columns[i].type;
        bool bare =
            !p->opt->raw && (type == OB_COL_NUMBER || type == OB_COL_INTEGER ||
                             type == OB_COL_BOOLEAN);

        ob_buf_puts(&p->line, i ? ", \"" : "\"");
        ob_buf_add_json(&p->line, name, strlen(name));
        ob_buf_puts(&p->line, "\": ");
        if (!v) {
            ob_buf_puts(&p->line, p->opt->raw ? "\"\"" : "null");
        } else if (bare && type == OB_COL_BOOLEAN) {
            ob_buf_puts(&p->line, v[0] == 't' ? "true" : "false");
        } else if (bare && strspn(v, "0123456789+-.eE") == strlen(v)) {
            ob_buf_puts(&p->line, v);
        } else {
            ob_buf_putc(&p->line, '"');
            ob_buf_add_json(&p->line, v, strlen(v));
            ob_buf_putc(&p->line, '"');
        }
    }
    ob_buf_putc(&p->line, '}');
    fwrite(p->line.ptr, 1, p->line.len, p->out);
    p->rows++;
}

/* Opens the printed list (JSON's '['); see end_printing(). */
static void
start_printing(struct printer *p, const struct ob_table *t,
               const struct ob_inspect_options *opt, FILE *out)
{
    memset(p, 0, sizeof(*p));
    p->t = t;
    p->opt = opt;
    p->out = out;
    p->left = opt->head >= 0 ? opt->head : opt->json ? -1 : DEFAULT_HEAD;
    if (opt->json)
        fputc('[', out);
}

/* Closes what start_printing() opened: JSON's ']', or the text table when
 * the rows were read without a problem; frees the printer. */
static void
end_printing(struct printer *p, enum ob_err err)
{
    size_t i;

    if (p->opt->json)
        fputs(p->rows ? "\n]\n" : "]\n", p->out);
    else if (!err)
        print_text(p);
    for (i = 0; i < p->n_cells; i++)
        free(p->cells[i]);
    free(p->cells);
    ob_buf_release(&p->line);
}

/* A postgres source: the columns as the server describes them and the
 * first rows it sends. */
static enum ob_err
inspect_remote(struct ob_build *b, const struct ob_source *src,
               const struct ob_inspect_options *opt, FILE *out)
{
    struct ob_table t;
    struct printer p;
    enum ob_err err;

    err = ob_warehouse_open(&t, src, ob_tz_name(b->tz), &b->arena, &b->diag);
    if (err) {
        ob_warehouse_close(&t);
        return err;
    }
    start_printing(&p, &t, opt, out);
    err = ob_warehouse_head(&t, p.left, on_remote_row, &p, &b->diag);
    end_printing(&p, err);
    ob_warehouse_close(&t);
    return err;
}

enum ob_err
ob_inspect_data(struct ob_build *b, const char *what,
                const struct ob_inspect_options *opt, FILE *out)
{
    const struct ob_source *src = resolve_source(b, what);
    struct ob_table t;
    struct printer p;
    struct ob_row_sink sink = {on_row, &p};
    enum ob_err err;

    if (src->type == OB_SOURCE_POSTGRES)
        return inspect_remote(b, src, opt, out);
    err = ob_table_open(&t, src, &b->root, b->tz, &b->arena, &b->diag);
    if (err)
        return err;
    start_printing(&p, &t, opt, out);
    err = ob_table_scan(&t, &b->diag, &sink);
    end_printing(&p, err);
    if (!err && ob_diag_failed(&b->diag))
        err = OB_ERR_INPUT;
    return err;
}
