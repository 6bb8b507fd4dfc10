/* links.h: what a page's links point at: rewritten to outputs, checked. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_LINKS_H
#define OPSBOOK_LINKS_H

#include "opsbook/arena.h"
#include "opsbook/content.h"
#include "opsbook/diag.h"

/*
 * Pages link to each other as they are written in the repository: to
 * other .md files (as on GitHub), to folders, to files beside the pages,
 * with or without a #fragment. Each is rewritten to its output, relative
 * to the page, so the site works from disk and at any sub-path. A link to
 * nothing is a warning (an error with --strict) at its position; links
 * to anchors are checked once every page's headings are known.
 */
struct ob_links;

/** Indexes the pages and files of `c` by their source path. */
struct ob_links *ob_links_new(const struct ob_content *c);
void ob_links_free(struct ob_links *l);

/**
 * Makes a file or list opsbook writes outside content/ a link target:
 * a link to content/PATH ("review/", "kpis/wau.csv") leads to `url`
 * ("review/index.html", "kpis/wau.csv"). A PATH ending in '/' is a
 * folder's page. Anchors on these are not checked.
 */
void ob_links_add_output(struct ob_links *l, const char *path, const char *url);

/**
 * The output URL of `url`, a link written in page `from` at `pos`, or
 * NULL to keep it as written (other sites, mailto:, #anchors of the page
 * itself, links from the site's root such as /static/x.png). The result
 * lives in `a`.
 */
const char *ob_links_resolve(struct ob_links *l, const struct ob_page *from,
                             const char *url, const struct ob_pos *pos,
                             struct ob_arena *a, struct ob_diag *d);

/** Records that page `p` has an anchor `id` (one of its headings). */
void ob_links_add_anchor(struct ob_links *l, const struct ob_page *p,
                         const char *id);
/** The same for an `id` that stays as it is until the anchors are
 * checked (the last build's, from its cache): not copied. */
void ob_links_add_anchor_lent(struct ob_links *l, const struct ob_page *p,
                              const char *id);

/** Warns about every link to an anchor its page does not have. */
void ob_links_check_anchors(struct ob_links *l, struct ob_diag *d);

#endif
