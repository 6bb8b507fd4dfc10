/* site.h: the handbook site: pages in their layout, files, static/. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_SITE_H
#define OPSBOOK_SITE_H

#include "opsbook/buf.h"
#include "opsbook/build.h"
#include "opsbook/figures.h"
#include "opsbook/output.h"
#include "opsbook/pagecache.h"

/**
 * Adds the pages the site makes from the KPIs and OKRs to b->content
 * (kpis/, kpis/ID/, okrs/, okrs/QUARTER/), after ob_build_compute().
 * Returns OB_OK, or OB_ERR_INPUT when a page from content/ takes one's
 * place (reported to b->diag).
 */
enum ob_err ob_site_plan(struct ob_build *b);

/**
 * Writes the site into `o`: every page through its layout (the built-in
 * theme's, or the site's layouts/), the review list, tag pages, alias
 * redirects, 404.html, sitemap.xml (with an absolute base_url), the
 * search index, the theme's assets, the files beside the pages and
 * static/, the KPI and OKR pages. Charts the pages show are asked of
 * `figures` (drawn later by the caller). Links are checked as pages render.
 * Layouts render on up to `threads` threads (Markdown in this one); the bytes
 * never depend on it. Returns OB_OK or the first failure (reported to `diag`;
 * what its positions name is kept in `keep`, which must live as long as
 * `diag`). `last` is the last build's facts, read or being read (see
 * ob_pagecache_read_new(); NULL: none), which it takes but does not free:
 * a page they show unchanged is not rendered again.
 */
enum ob_err ob_site_write(const struct ob_build *b, struct ob_arena *keep,
                          unsigned threads, struct ob_figures *figures,
                          struct ob_diag *diag, struct ob_output *o,
                          struct ob_pagecache_read *last);

#endif
