/* fuzz_yaml.c: libFuzzer target for the YAML loader. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/arena.h"
#include "opsbook/diag.h"
#include "opsbook/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The input is one YAML document, parsed with opsbook's own limits and
 * with tight ones (depth 8, 200 nodes: alias bombs and deep nesting hit
 * them at once). A parse either gives a tree, every node of which must
 * have a position inside the input's lines and stay within the limits, or
 * reports at least one error with a position inside the input; never both.
 */

/* Every node once per place it appears (an alias shares its target):
 * only for trees the limits keep small. */
static size_t
walk(const struct ob_yaml_node *n, unsigned depth, uint32_t lines,
     const struct ob_yaml_limits *lim)
{
    size_t count = 1, i;

    if (!n || depth > lim->max_depth + 1)
        abort();
    if (n->pos.line < 1 || n->pos.line > lines || n->pos.col < 1)
        abort();
    if (n->kind == OB_YAML_SCALAR && (!n->str || strlen(n->str) > n->len))
        abort();
    (void)ob_yaml_kind_name(n);
    (void)ob_yaml_is_null(n);
    if (n->kind == OB_YAML_MAP)
        for (i = 0; i < n->n; i++) {
            count += walk(n->pairs[i].key, depth + 1, lines, lim);
            count += walk(n->pairs[i].value, depth + 1, lines, lim);
        }
    else if (n->kind == OB_YAML_SEQ)
        for (i = 0; i < n->n; i++)
            count += walk(n->items[i], depth + 1, lines, lim);
    return count;
}

static void
parse_with(const char *text, size_t size, uint32_t lines,
           const struct ob_yaml_limits *lim)
{
    struct ob_arena a;
    struct ob_diag d;
    struct ob_yaml_node *root;
    size_t i;

    ob_arena_init(&a);
    ob_diag_init(&d, 20);
    root = ob_yaml_parse(&a, &d, "fuzz.yaml", text, size, 1, lim);
    if (root && d.errors)
        abort();
    if (!root && !d.errors)
        abort();
    if (root && root->weight > lim->max_nodes)
        abort();
    if (root && root->weight <= 20000)
        (void)walk(root, 0, lines, lim);
    for (i = 0; i < d.len; i++)
        if (d.entries[i].pos.path && d.entries[i].pos.line > lines + 1)
            abort();
    ob_diag_release(&d);
    ob_arena_release(&a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ob_yaml_limits tight = {8, 200, 1 << 16};
    uint32_t lines = 1;
    size_t i;

    for (i = 0; i < size; i++)
        lines += data[i] == '\n' ||
                 (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'));
    parse_with((const char *)data, size, lines, &ob_yaml_default_limits);
    parse_with((const char *)data, size, lines, &tight);
    return 0;
}
