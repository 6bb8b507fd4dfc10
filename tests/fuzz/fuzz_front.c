/* fuzz_front.c: libFuzzer target for splitting a page's front matter. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/content_int.h"
#include "opsbook/arena.h"
#include "opsbook/diag.h"
#include "opsbook/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The input is a page file. The front matter, when there is one, must lie
 * inside the input, before the body; the body's first line, when it has
 * one, must be the line the body offset is on; the front matter then parses as
 * YAML (as a page's does, numbered from line 2) without breaking either rule: a
 * tree, or errors placed inside the front matter's lines.
 */

static uint32_t
line_at(const uint8_t *data, size_t off)
{
    uint32_t line = 1;
    size_t i;

    for (i = 0; i < off; i++)
        line += data[i] == '\n' ||
                (data[i] == '\r' && (i + 1 == off || data[i + 1] != '\n'));
    return line;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data, *yaml;
    size_t yaml_len, body, i;
    uint32_t body_line;
    struct ob_arena a;
    struct ob_diag d;
    struct ob_yaml_node *root;

    if (!ob_content_split_front_matter(text, size, &yaml, &yaml_len, &body,
                                       &body_line))
        return 0; /* not closed: the page is an error, reported by content */
    if (body > size || (yaml && (yaml < text || yaml + yaml_len > text + body)))
        abort();
    if (!yaml && (body != 0 || body_line != 1))
        abort();
    /* (an empty body after a last line without its end has no line) */
    if (body < size && body_line != line_at(data, body))
        abort();
    if (!yaml)
        return 0;
    ob_arena_init(&a);
    ob_diag_init(&d, 20);
    root = ob_yaml_parse(&a, &d, "page.md", yaml, yaml_len, 2,
                         &ob_yaml_default_limits);
    if (!root == !d.errors)
        abort();
    for (i = 0; i < d.len; i++)
        if (d.entries[i].pos.line && d.entries[i].pos.line > body_line)
            abort();
    ob_diag_release(&d);
    ob_arena_release(&a);
    return 0;
}
