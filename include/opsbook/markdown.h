/* markdown.h: GitHub-flavoured Markdown to HTML with cmark-gfm. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_MARKDOWN_H
#define OPSBOOK_MARKDOWN_H

#include <stddef.h>

#include "opsbook/buf.h"

enum ob_markdown_flags {
    OB_MD_UNSAFE_HTML = 1 << 0 /* raw HTML passes (through the tag filter) */
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
 * autolinks, task lists and footnotes — as HTML appended to `out`. Without
 * OB_MD_UNSAFE_HTML, raw HTML is kept but shown escaped, as text (cmark's
 * safe mode would silently drop it). Not thread-safe: Debian's cmark-gfm
 * 0.29 switches parser tables process-wide on every parse.
 */
void ob_markdown_render(const char *text, size_t len, unsigned flags,
                        struct ob_buf *out);

#endif
