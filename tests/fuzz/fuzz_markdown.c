/* fuzz_markdown.c: libFuzzer target for Markdown pages with embeds and
 * tokens. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/buf.h"
#include "opsbook/markdown.h"
#include "opsbook/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/*
 * The input is a page body, rendered twice: raw HTML escaped (the
 * default) and let through. Hooks see every link, heading, text run,
 * {{token}} and opsbook embed: each position must lie inside the input's
 * lines, links are rewritten, tokens and embeds replaced by HTML of our
 * own. The HTML must be valid UTF-8 when the input is; escaped, it must
 * hold no <script or <iframe of the input's (only our own markup, which
 * has neither).
 */

struct seen {
    uint32_t lines;
    char url[64];
};

static void
check_pos(const struct seen *s, uint32_t line, uint32_t col)
{
    if (line < 1 || line > s->lines || col < 1)
        abort();
}

static const char *
on_link(void *ctx, const char *url, bool image, uint32_t line, uint32_t col)
{
    struct seen *s = ctx;

    (void)image;
    check_pos(s, line, col);
    if (!url)
        abort();
    return strlen(url) % 2 ? s->url : NULL;
}

static void
on_heading(void *ctx, int level, const char *text, size_t len, const char *id)
{
    (void)ctx;
    if (level < 1 || level > 6 || (len && !text) || !id)
        abort();
}

static void
on_text(void *ctx, const char *s, size_t len)
{
    (void)ctx;
    if (len && !s)
        abort();
}

static bool
on_token(void *ctx, const char *s, size_t len, uint32_t line, uint32_t col,
         struct ob_buf *html)
{
    check_pos(ctx, line, col);
    if (len && !s)
        abort();
    if (len % 3 == 0)
        return false; /* left as written */
    ob_buf_puts(html, "<span class=\"kpi\">42</span>");
    return true;
}

static bool
on_embed(void *ctx, const char *body, size_t len, uint32_t line, uint32_t col,
         struct ob_buf *html)
{
    check_pos(ctx, line, col);
    if (len && !body)
        abort();
    ob_buf_puts(html, "<div class=\"embed\"></div>");
    return len % 2 == 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ob_markdown_setup(); /* cmark-gfm's extensions, process-wide */
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct seen s = {1, "other.html"};
    struct ob_md_hooks hooks = {&s,      OB_LANG_EN, on_link, on_heading,
                                on_text, on_token,   on_embed};
    struct ob_buf out = OB_BUF_INIT;
    bool valid = ob_utf8_valid((const char *)data, size, NULL);
    size_t i;

    if (size > 1 << 16) /* pathological sizes are the page timeout's */
        return 0;
    for (i = 0; i < size; i++)
        s.lines += data[i] == '\n' ||
                   (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'));
    ob_markdown_render((const char *)data, size, 0, &hooks, &out);
    if (valid && !ob_utf8_valid(out.ptr ? out.ptr : "", out.len, NULL))
        abort();
    if (out.len && (strstr(out.ptr, "<script") || strstr(out.ptr, "<iframe")))
        abort();
    ob_buf_reset(&out);
    ob_markdown_render((const char *)data, size, OB_MD_UNSAFE_HTML, &hooks,
                       &out);
    ob_buf_release(&out);
    return 0;
}
