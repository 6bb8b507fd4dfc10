/* nav.h: the site's structure: sections, their pages in order,
 * breadcrumbs and the reading order behind previous/next links. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_NAV_H
#define OPSBOOK_NAV_H

#include <stddef.h>

#include "opsbook/arena.h"
#include "opsbook/content.h"

/** A page's place in the site. */
struct ob_nav_item {
    const struct ob_page *page;
    struct ob_nav_item *parent; /* the section holding it; NULL: the root */
    /* A section's pages and subsections: weight, then title, then url. */
    struct ob_nav_item **children;
    size_t n_children;
    size_t order;   /* position in the reading order */
    unsigned level; /* 0 for the root, 1 for a top-level page or section */
};

struct ob_nav {
    struct ob_nav_item *items; /* one per content page, in the same order */
    size_t n;
    struct ob_nav_item *root;     /* the site's home (content/ itself) */
    struct ob_nav_item **reading; /* depth first, in nav order */
};

/**
 * Builds the structure of `c` (whose pages are sorted by url and whose
 * folders all have a section page: see ob_content_load()). Everything
 * lives in `a`. A site without pages has no root.
 */
void ob_nav_build(struct ob_nav *nav, const struct ob_content *c,
                  struct ob_arena *a);

/** The item of the page writing `url`, or NULL. */
struct ob_nav_item *ob_nav_find(const struct ob_nav *nav, const char *url);

#endif
