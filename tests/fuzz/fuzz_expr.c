/* fuzz_expr.c: libFuzzer target for the expression language. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/arena.h"
#include "opsbook/diag.h"
#include "opsbook/expr.h"
#include "opsbook/table.h"
#include "opsbook/tz.h"
#include "opsbook/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The input is a YAML document whose root scalar is an expression (so
 * quoting styles, escapes and folding reach the position mapper). Every
 * byte offset is mapped to a position, which must lie inside the scalar's
 * lines; a tree that binds is evaluated over rows of every kind of cell.
 */

static struct ob_column columns[] = {
    {"plan", OB_COL_STRING, false, {NULL, 0, 0}},
    {"n", OB_COL_NUMBER, false, {NULL, 0, 0}},
    {"ok", OB_COL_BOOLEAN, false, {NULL, 0, 0}},
    {"day", OB_COL_DATE, false, {NULL, 0, 0}},
    {"ts", OB_COL_DATETIME, false, {NULL, 0, 0}},
};
#define N_COLS (sizeof(columns) / sizeof(columns[0]))

static void
fill_row(struct ob_value *row, int variant)
{
    memset(row, 0, N_COLS * sizeof(*row));
    if (variant == 0)
        return; /* every cell empty */
    row[0].type = OB_VAL_STRING;
    row[0].u.str.ptr = variant == 1 ? "pro" : "";
    row[0].u.str.len = variant == 1 ? 3 : 0;
    row[1].type = OB_VAL_NUMBER;
    row[1].u.num = variant == 1 ? 0 : -1e308;
    row[2].type = OB_VAL_BOOL;
    row[2].u.b = variant == 1;
    row[3].type = OB_VAL_DATE;
    row[3].u.date = variant == 1 ? 20000 : -800000;
    row[4].type = OB_VAL_DATETIME;
    row[4].u.dt.seconds = variant == 1 ? 1763700000 : INT64_MIN / 4;
}

static void
check_positions(const struct ob_expr_src *src, uint32_t last_line)
{
    uint32_t off;

    for (off = 0; off <= src->node->len + 1; off++) {
        struct ob_pos p = ob_expr_pos(src, off);
        if (p.line < src->node->pos.line || p.line > last_line || !p.col)
            abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ob_source source = {0};
    struct ob_table t;
    struct ob_arena a;
    struct ob_diag d;
    struct ob_tz *tz = NULL;
    const struct ob_yaml_node *n;
    struct ob_expr_src src;
    struct ob_expr *e;
    struct ob_value row[N_COLS], out;
    bool used[N_COLS];
    uint32_t lines = 1;
    size_t i;

    if (size > 4096)
        return 0;
    for (i = 0; i < size; i++)
        lines += data[i] == '\n' || data[i] == '\r'; /* an upper bound */
    ob_arena_init(&a);
    ob_diag_init(&d, 20);
    n = ob_yaml_parse(&a, &d, "f.yaml", (const char *)data, size, 1, NULL);
    if (!n || n->kind != OB_YAML_SCALAR || !n->len)
        goto done;
    memset(&src, 0, sizeof(src));
    src.text = n->str;
    src.node = n;
    src.raw = (const char *)data + n->src_offset;
    src.raw_len = n->src_len;
    src.key = "where";
    check_positions(&src, lines);
    e = ob_expr_parse(&a, &d, &src);
    if (!e)
        goto done;
    source.name = "events";
    memset(&t, 0, sizeof(t));
    t.src = &source;
    t.columns = columns;
    t.n_columns = N_COLS;
    t.time_column = -1;
    if (ob_tz_load("UTC", NULL, &tz) != OB_OK)
        goto done;
    if (!ob_expr_bind_row(e, &d, &src, &t, tz, OB_TYPE_UNKNOWN))
        goto done;
    memset(used, 0, sizeof(used));
    ob_expr_columns(e, used);
    for (i = 0; i < 3; i++) {
        fill_row(row, (int)i);
        ob_expr_eval(e, row, &out);
        if (e->type == OB_TYPE_BOOL)
            (void)ob_expr_test(e, row);
    }
done:
    ob_tz_free(tz);
    ob_diag_release(&d);
    ob_arena_release(&a);
    return 0;
}
