/* fuzz_tmpl.c: libFuzzer target for Mustache templates. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/arena.h"
#include "opsbook/buf.h"
#include "opsbook/diag.h"
#include "opsbook/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The input is parsed as a template and, when it parses, rendered against
 * a small context holding every kind of value, with a partial callback
 * that returns the template itself for any name: so every {{>x}} recurses
 * and the nesting bound is reached whenever a partial is rendered. Output
 * is capped at 1 MB. A parse that fails must report exactly one error with
 * a position inside the input; a render that fails must report one.
 */

static const struct ob_tmpl *
self_partial(void *ctx, const char *name)
{
    (void)name;
    return ctx;
}

static struct ob_tval *
make_context(struct ob_arena *a)
{
    struct ob_tval *ctx = ob_tval_map(a), *list = ob_tval_list(a);
    struct ob_tval *item = ob_tval_map(a), *nested = ob_tval_map(a);

    ob_tval_set(a, item, "name", ob_tval_str(a, "<b>&\"'</b>"));
    ob_tval_set(a, item, "n", ob_tval_num(a, 1.21));
    ob_tval_push(a, list, item);
    ob_tval_push(a, list, ob_tval_num(a, 0));
    ob_tval_push(a, list, ob_tval_str(a, "x\ny"));
    ob_tval_set(a, nested, "b", ob_tval_bool(a, true));
    ob_tval_set(a, nested, "list", list);
    ob_tval_set(a, ctx, "a", nested);
    ob_tval_set(a, ctx, "list", list);
    ob_tval_set(a, ctx, "t", ob_tval_bool(a, true));
    ob_tval_set(a, ctx, "f", ob_tval_bool(a, false));
    ob_tval_set(a, ctx, "z", ob_tval_null(a));
    ob_tval_set(a, ctx, "s", ob_tval_str(a, "text"));
    ob_tval_set(a, ctx, "e", ob_tval_str(a, ""));
    ob_tval_set(a, ctx, "n", ob_tval_num(a, 85));
    ob_tval_set(a, ctx, "m", ob_tval_map(a));
    return ctx;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ob_arena a;
    struct ob_diag d;
    struct ob_buf out = OB_BUF_INIT;
    struct ob_tmpl *t;
    uint32_t lines = 1;
    size_t i;
    bool ok;

    if (size > 65536)
        return 0;
    /* line ends as positions count them: LF, CRLF and a lone CR */
    for (i = 0; i < size; i++)
        lines += data[i] == '\n' ||
                 (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'));
    ob_arena_init(&a);
    ob_diag_init(&d, 10);
    t = ob_tmpl_parse("f.html", (const char *)data, size, &d);
    if (!t) {
        if (d.errors != 1 || d.len != 1 || d.entries[0].pos.line < 1 ||
            d.entries[0].pos.line > lines || d.entries[0].pos.col < 1)
            abort();
        goto done;
    }
    if (d.errors)
        abort();
    out.max = 1000000;
    ok = ob_tmpl_render(t, make_context(&a), self_partial, t, &out, &d);
    if (ok != (d.errors == 0) || (!ok && d.len != 1) || out.len > out.max)
        abort();
    /* A second render of the same template gives the same bytes. */
    {
        struct ob_buf again = OB_BUF_INIT;

        again.max = out.max;
        if (ob_tmpl_render(t, make_context(&a), self_partial, t, &again,
                           NULL) != ok ||
            again.len != out.len || memcmp(again.ptr, out.ptr, out.len) != 0)
            abort();
        ob_buf_release(&again);
    }
    ob_tmpl_free(t);
done:
    ob_buf_release(&out);
    ob_diag_release(&d);
    ob_arena_release(&a);
    return 0;
}
