/* view.h: what the HTML of the KPI and OKR views needs to know about the
 * page it goes in. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_VIEW_H
#define OPSBOOK_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "opsbook/buf.h"
#include "opsbook/build.h"
#include "opsbook/figures.h"

/**
 * The page a view is written into. Views append HTML to an ob_buf; every
 * text from the inputs goes through ob_buf_add_html().
 */
struct ob_view {
    const struct ob_build *b;   /* KPIs, OKRs, config, as_of, language */
    struct ob_figures *figures; /* where charts are asked for */
    const char *root;           /* from the page to the site root: "../" */
    bool pretty; /* absolute base_url: a folder's link ends at "/", else at
                  * "/index.html" (relative links work from disk) */
};

/**
 * Appends the escaped link from the view's page to the site folder
 * `folder` ("kpis/wau/", "okrs/"), or to a file when `folder` does not
 * end in '/' ("kpis/wau.csv").
 */
void ob_view_link(const struct ob_view *v, struct ob_buf *out,
                  const char *folder);

/** Appends a date as people read it, marked up for machines:
 * <time datetime="2026-11-02">Nov 2, 2026</time>. */
void ob_view_date(const struct ob_view *v, struct ob_buf *out, int32_t date);

/** The site's language. */
enum ob_language ob_view_language(const struct ob_view *v);

#endif
