/* markdown.c: cmark-gfm with GitHub's extensions, raw HTML made visible. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/markdown.h"

#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <cmark-gfm/registry.h> /* cmark_release_plugins() */

#include "opsbook/mem.h"

static const char *const extension_names[] = {
    "table", "strikethrough", "autolink", "tagfilter", "tasklist", NULL};

void
ob_markdown_setup(void)
{
    cmark_gfm_core_extensions_ensure_registered();
}

void
ob_markdown_teardown(void)
{
    cmark_release_plugins();
}

/* A text node holding `literal`, which may end in a newline to drop. */
static cmark_node *
text_node(const char *literal, cmark_mem *mem)
{
    cmark_node *t = cmark_node_new_with_mem(CMARK_NODE_TEXT, mem);
    size_t n = literal ? strlen(literal) : 0;
    char *copy;

    while (n && (literal[n - 1] == '\n' || literal[n - 1] == '\r'))
        n--;
    copy = ob_xstrndup(literal ? literal : "", n);
    cmark_node_set_literal(t, copy);
    free(copy);
    return t;
}

/* Replaces a raw HTML node by text that renders escaped. */
static void
escape_html_node(cmark_node *node, cmark_mem *mem)
{
    const char *literal = cmark_node_get_literal(node);
    cmark_node *repl = text_node(literal, mem);

    if (cmark_node_get_type(node) == CMARK_NODE_HTML_BLOCK) {
        cmark_node *para = cmark_node_new_with_mem(CMARK_NODE_PARAGRAPH, mem);
        cmark_node_append_child(para, repl);
        repl = para;
    }
    cmark_node_replace(node, repl);
    cmark_node_free(node);
}

static void
escape_raw_html(cmark_node *doc, cmark_mem *mem)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_node **found = NULL;
    size_t n = 0, cap = 0, i;
    cmark_event_type ev;

    for (ev = cmark_iter_next(it); ev != CMARK_EVENT_DONE;
         ev = cmark_iter_next(it)) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(node);

        if (ev == CMARK_EVENT_ENTER &&
            (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE)) {
            OB_GROW(found, n + 1, cap);
            found[n++] = node;
        }
    }
    cmark_iter_free(it);
    /* Replaced after the walk: the iterator must not see freed nodes. */
    for (i = 0; i < n; i++)
        escape_html_node(found[i], mem);
    free(found);
}

void
ob_markdown_render(const char *text, size_t len, unsigned flags,
                   struct ob_buf *out)
{
    int options = CMARK_OPT_FOOTNOTES;
    cmark_mem *mem = cmark_get_default_mem_allocator();
    cmark_parser *parser;
    cmark_node *doc;
    char *html;
    size_t i;

    if (flags & OB_MD_UNSAFE_HTML)
        options |= CMARK_OPT_UNSAFE;
    parser = cmark_parser_new_with_mem(options, mem);
    for (i = 0; extension_names[i]; i++) {
        cmark_syntax_extension *ext =
            cmark_find_syntax_extension(extension_names[i]);
        if (ext)
            cmark_parser_attach_syntax_extension(parser, ext);
    }
    cmark_parser_feed(parser, text, len);
    doc = cmark_parser_finish(parser);
    if (!(flags & OB_MD_UNSAFE_HTML))
        escape_raw_html(doc, mem);
    html = cmark_render_html_with_mem(
        doc, options, cmark_parser_get_syntax_extensions(parser), mem);
    ob_buf_puts(out, html);
    mem->free(html);
    cmark_node_free(doc);
    cmark_parser_free(parser);
}
