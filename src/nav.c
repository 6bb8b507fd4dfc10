/* nav.c: the site's structure, built once for every page to share. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/nav.h"

#include <stdlib.h>
#include <string.h>

#include "opsbook/buf.h"
#include "opsbook/mem.h"

struct ob_nav_item *
ob_nav_find(const struct ob_nav *nav, const char *url)
{
    size_t lo = 0, hi = nav->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(nav->items[mid].page->url, url);

        if (!c)
            return &nav->items[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The section page of the folder holding `p`: a page's own folder, or a
 * section's parent folder. NULL for the root. */
static struct ob_nav_item *
parent_of(const struct ob_nav *nav, const struct ob_page *p, struct ob_buf *url)
{
    size_t len = strlen(p->section);

    if (p->is_section) {
        if (!len)
            return NULL;
        len--; /* "a/b/" -> "a/" */
        while (len && p->section[len - 1] != '/')
            len--;
    }
    ob_buf_reset(url);
    ob_buf_add(url, p->section, len);
    ob_buf_puts(url, "index.html");
    return ob_nav_find(nav, url->ptr);
}

static int
compare_items(const void *pa, const void *pb)
{
    const struct ob_page *a = (*(struct ob_nav_item *const *)pa)->page;
    const struct ob_page *b = (*(struct ob_nav_item *const *)pb)->page;
    int c;

    if (a->weight != b->weight)
        return a->weight < b->weight ? -1 : 1;
    c = strcmp(a->title, b->title);
    return c ? c : strcmp(a->url, b->url);
}

/* Depth first from `it`: a section, then its children in nav order. */
static size_t
number(struct ob_nav *nav, struct ob_nav_item *it, size_t next, unsigned level)
{
    size_t i;

    it->order = next;
    it->level = level;
    nav->reading[next++] = it;
    for (i = 0; i < it->n_children; i++)
        next = number(nav, it->children[i], next, level + 1);
    return next;
}

void
ob_nav_build(struct ob_nav *nav, const struct ob_content *c, struct ob_arena *a)
{
    struct ob_buf url = OB_BUF_INIT;
    size_t *counts, i, n = c->n_pages;

    memset(nav, 0, sizeof(*nav));
    if (!n)
        return;
    nav->n = n;
    nav->items = ob_arena_calloc(a, n, sizeof(*nav->items));
    nav->reading = ob_arena_calloc(a, n, sizeof(*nav->reading));
    for (i = 0; i < n; i++)
        nav->items[i].page = &c->pages[i];
    /* parents, then children arrays of the counted size */
    counts = ob_xcalloc(n, sizeof(*counts));
    for (i = 0; i < n; i++) {
        struct ob_nav_item *it = &nav->items[i];
        const struct ob_page *prev = i ? nav->items[i - 1].page : NULL;

        /* the pages of a folder come together, sharing its section
         * string: the parent of the one before */
        if (prev && !prev->is_section && !it->page->is_section &&
            prev->section == it->page->section)
            it->parent = nav->items[i - 1].parent;
        else
            it->parent = parent_of(nav, it->page, &url);
        if (it->parent)
            counts[it->parent - nav->items]++;
        else if (it->page->is_section && !*it->page->section)
            nav->root = it;
    }
    for (i = 0; i < n; i++)
        nav->items[i].children =
            ob_arena_calloc(a, counts[i] + 1, sizeof(struct ob_nav_item *));
    for (i = 0; i < n; i++) {
        struct ob_nav_item *p = nav->items[i].parent;

        if (p)
            p->children[p->n_children++] = &nav->items[i];
    }
    for (i = 0; i < n; i++)
        ob_qsort(nav->items[i].children, nav->items[i].n_children,
                 sizeof(struct ob_nav_item *), compare_items);
    free(counts);
    ob_buf_release(&url);
    if (nav->root)
        number(nav, nav->root, 0, 0);
}
