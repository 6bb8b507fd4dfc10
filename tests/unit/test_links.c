/* test_links.c: links rewritten to outputs, and anchors checked. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/links.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

#define N_PAGES 40

/* A site of N_PAGES pages, content/p00.md ... content/p39.md, at the root. */
struct site {
    struct ob_page pages[N_PAGES];
    char src[N_PAGES][32], url[N_PAGES][32];
    struct ob_content c;
};

static void
site_init(struct site *s)
{
    size_t i;

    memset(s, 0, sizeof(*s));
    for (i = 0; i < N_PAGES; i++) {
        snprintf(s->src[i], sizeof s->src[i], "content/p%02zu.md", i);
        snprintf(s->url[i], sizeof s->url[i], "p%02zu.html", i);
        s->pages[i].src = s->src[i];
        s->pages[i].url = s->pages[i].link = s->url[i];
        s->pages[i].section = "";
    }
    s->c.pages = s->pages;
    s->c.n_pages = N_PAGES;
}

/* How many diagnostics name a missing anchor `id` at line `line`. */
static size_t
count_missing(const struct ob_diag *d, uint32_t line, const char *id)
{
    char want[64];
    size_t i, n = 0;

    snprintf(want, sizeof want, "link to a missing anchor '#%s'", id);
    for (i = 0; i < d->len; i++)
        if (d->entries[i].pos.line == line &&
            strncmp(d->entries[i].message, want, strlen(want)) == 0)
            n++;
    return n;
}

static void
test_resolve(void)
{
    struct site s;
    struct ob_links *l;
    struct ob_arena a;
    struct ob_diag d;
    struct ob_pos pos = {"content/p00.md", 3, 1};

    site_init(&s);
    ob_arena_init(&a);
    ob_diag_init(&d, 100);
    l = ob_links_new(&s.c);
    OB_CHECK_STR(ob_links_resolve(l, &s.pages[0], "p07.md", &pos, &a, &d),
                 "p07.html");
    OB_CHECK_STR(ob_links_resolve(l, &s.pages[0], "p07.md#x?y", &pos, &a, &d),
                 "p07.html#x?y");
    OB_CHECK(!ob_links_resolve(l, &s.pages[0], "https://example.com/", &pos, &a,
                               &d));
    OB_CHECK_INT(d.warnings, 0);
    OB_CHECK(!ob_links_resolve(l, &s.pages[0], "nope.md", &pos, &a, &d));
    OB_CHECK_INT(d.warnings, 1);
    ob_links_free(l);
    ob_diag_release(&d);
    ob_arena_release(&a);
}

/* Links to anchors, some there and some not, several to the same one;
 * `headings` anchors per page. Both ways of matching (fewer links than
 * anchors, and more) must give the same warnings. */
static void
check_anchors(unsigned headings)
{
    struct site s;
    struct ob_links *l;
    struct ob_arena a;
    struct ob_diag d;
    char id[32], url[48];
    uint32_t line = 1;
    size_t i, k;

    site_init(&s);
    ob_arena_init(&a);
    ob_diag_init(&d, 1000);
    l = ob_links_new(&s.c);
    for (i = 0; i < N_PAGES; i++)
        for (k = 0; k < headings; k++) {
            snprintf(id, sizeof id, "h%zu", k);
            ob_links_add_anchor(l, &s.pages[i], id);
        }
    /* from page 0: to h0 of every page (twice to page 5), to h99 (missing)
     * of pages 3 and 4, and to "#h1" on the page itself */
    for (i = 0; i < N_PAGES; i++) {
        struct ob_pos pos = {"content/p00.md", line++, 1};
        snprintf(url, sizeof url, "p%02zu.md#h0", i);
        ob_links_resolve(l, &s.pages[0], url, &pos, &a, &d);
    }
    {
        struct ob_pos p1 = {"content/p00.md", 100, 1};
        struct ob_pos p2 = {"content/p00.md", 101, 1};
        struct ob_pos p3 = {"content/p00.md", 102, 1};
        struct ob_pos p4 = {"content/p00.md", 103, 1};
        struct ob_pos p5 = {"content/p00.md", 104, 1};
        ob_links_resolve(l, &s.pages[0], "p05.md#h0", &p1, &a, &d);
        ob_links_resolve(l, &s.pages[0], "p03.md#h99", &p2, &a, &d);
        ob_links_resolve(l, &s.pages[0], "p04.md#h99", &p3, &a, &d);
        ob_links_resolve(l, &s.pages[0], "#h1", &p4, &a, &d);
        ob_links_resolve(l, &s.pages[0], "p04.md#h99", &p5, &a, &d);
    }
    ob_links_check_anchors(l, &d);
    OB_CHECK_INT(count_missing(&d, 101, "h99"), 1);
    OB_CHECK_INT(count_missing(&d, 102, "h99"), 1);
    OB_CHECK_INT(count_missing(&d, 104, "h99"), 1);
    /* with one heading a page, "#h1" is missing too */
    OB_CHECK_INT(count_missing(&d, 103, "h1"), headings < 2);
    OB_CHECK_INT(count_missing(&d, 100, "h0"), headings == 0);
    OB_CHECK_INT(count_missing(&d, 7, "h0"), headings == 0);
    OB_CHECK_INT(d.warnings, headings ? 3 + (headings < 2) : 45);
    ob_links_free(l);
    ob_diag_release(&d);
    ob_arena_release(&a);
}

static void
test_anchors(void)
{
    check_anchors(1); /* 40 anchors, 45 links: the anchors are sorted */
    check_anchors(5); /* 200 anchors, 45 links: the links are sorted */
}

/* No anchors at all: every link to one is missing (more links than
 * anchors, none to sort). */
static void
test_no_anchors(void)
{
    check_anchors(0);
}

int
main(void)
{
    OB_RUN(test_resolve);
    OB_RUN(test_anchors);
    OB_RUN(test_no_anchors);
    return OB_TEST_DONE();
}
