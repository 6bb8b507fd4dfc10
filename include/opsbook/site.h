/* site.h: the handbook site: pages in their layout, files, static/. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_SITE_H
#define OPSBOOK_SITE_H

#include "opsbook/buf.h"
#include "opsbook/build.h"
#include "opsbook/output.h"

/**
 * Writes the site into `o`: every page through its layout (the built-in
 * theme's, or the site's layouts/), the review list, tag pages, alias
 * redirects, 404.html, sitemap.xml (with an absolute base_url), the
 * search index, the theme's assets, the files beside the pages and
 * static/. Links are checked as pages render. Layouts render on up to
 * `threads` threads (Markdown in this one); the bytes never depend on it.
 * Returns OB_OK or the first
 * failure (reported to `diag`; what its positions name is kept in `keep`,
 * which must live as long as `diag`).
 */
enum ob_err ob_site_write(const struct ob_build *b, struct ob_arena *keep,
                          unsigned threads, struct ob_diag *diag,
                          struct ob_output *o);

#endif
