/* markdown.h: GitHub-flavoured Markdown to HTML with cmark-gfm. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_MARKDOWN_H
#define OPSBOOK_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsbook/buf.h"
#include "opsbook/config.h"

enum ob_markdown_flags {
    OB_MD_UNSAFE_HTML = 1 << 0 /* raw HTML passes (through the tag filter) */
};

/**
 * What a page's rendering tells its caller, and asks of it. Every hook
 * may be NULL. Lines and columns are 1-based in the Markdown text given.
 */
struct ob_md_hooks {
    void *ctx;
    enum ob_language language; /* callout titles ("Note", "Remarque") */
    /* A link or image destination as written; returns what to write
     * instead (it must live until rendering ends), or NULL to keep it. */
    const char *(*link)(void *ctx, const char *url, bool image, uint32_t line,
                        uint32_t col);
    /* Every heading in document order, with the id its anchor got. */
    void (*heading)(void *ctx, int level, const char *text, size_t len,
                    const char *id);
    /* The page's words outside headings, in order (for search). */
    void (*text)(void *ctx, const char *s, size_t len);
    /* Text between "{{" and "}}" in prose (never in code), at its "{{":
     * appends the HTML to show instead and returns true, or returns false
     * to leave the braces as written. */
    bool (*token)(void *ctx, const char *s, size_t len, uint32_t line,
                  uint32_t col, struct ob_buf *html);
    /* A fenced code block whose info string is "opsbook": its body (the
     * lines between the fences, indentation removed) and the position of
     * its opening fence. Appends the HTML to show instead and returns
     * true, or returns false to show the block as code. */
    bool (*embed)(void *ctx, const char *body, size_t len, uint32_t line,
                  uint32_t col, struct ob_buf *html);
};

/**
 * Registers cmark-gfm's extensions. cmark-gfm keeps them in a process-wide
 * list, so main() calls this once before any thread starts.
 */
void ob_markdown_setup(void);

/** Releases what ob_markdown_setup() registered (for leak checkers). */
void ob_markdown_teardown(void);

/**
 * Renders text[0..len) — CommonMark with GFM tables, strikethrough,
 * autolinks, tag filter, task lists and footnotes — as HTML appended to
 * `out`. Headings get GitHub's anchor ids (see ob_markdown_anchor());
 * GitHub alerts (a block quote opening with [!NOTE], [!TIP],
 * [!IMPORTANT], [!WARNING] or [!CAUTION]) become callouts. Without
 * OB_MD_UNSAFE_HTML, raw HTML is kept but shown escaped, as text (cmark's
 * safe mode would silently drop it). Not thread-safe: Debian's cmark-gfm
 * 0.29 switches parser tables process-wide on every parse.
 */
void ob_markdown_render(const char *text, size_t len, unsigned flags,
                        const struct ob_md_hooks *hooks, struct ob_buf *out);

/**
 * Appends GitHub's anchor for a heading's text: lowercased, punctuation
 * and symbols dropped (letters, digits, '_', '-' and spaces kept, any
 * script), each space a '-'. "Release roll-out" -> "release-roll-out".
 * Duplicates within a page are the caller's: ob_markdown_render() adds
 * "-1", "-2" as GitHub does.
 */
void ob_markdown_anchor(struct ob_buf *out, const char *text, size_t len);

#endif
