/* pagecache.h: the pages an incremental build need not render again. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_PAGECACHE_H
#define OPSBOOK_PAGECACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsbook/arena.h"
#include "opsbook/buf.h"
#include "opsbook/content.h"
#include "opsbook/search.h"

/*
 * A page's HTML depends on its own file and on what every page shares:
 * the configuration, the layouts, as_of, and every page's place, title
 * and front matter (the navigation, the lists, where links lead) — the
 * site key. A plain page (no KPI token, embed or view: nothing from the
 * data) whose file and site key are as they were when it was last written
 * is not rendered again: its HTML stays, and what its Markdown pass told
 * the rest of the site is replayed from here (its anchors and links, so
 * that link checks warn as before; its words stay in the cached search
 * index). When the site key changed, every page renders. A page with
 * live numbers (and a page of KPIs or OKRs opsbook makes) is not rendered
 * again either while the data is the last build's too (build.c's data
 * key), its numbers said nothing (no warning), and it asks for the same
 * charts again (so that they are drawn or kept).
 */

/** A link as written in a page, at its position in the page's file. */
struct ob_page_link {
    const char *url;
    uint32_t line, col;
    bool image;
};

/** A chart a page asked for (figures.h): the KPI's id and the options. */
struct ob_page_chart {
    const char *kpi;
    const char *group; /* NULL: every group */
    uint32_t kind;     /* enum ob_chart_kind, with kind_given */
    int32_t periods;   /* 0: the grain's default */
    bool kind_given, target;
};

/** What rendering a page left, by page. */
struct ob_page_facts {
    uint64_t hash;     /* of the page's file (ob_page.hash) */
    uint64_t out_hash; /* of the HTML written at its url */
    bool plain;        /* nothing from the data: reusable */
    bool quiet;        /* its numbers warned of nothing */
    uint64_t words;    /* of its entry in the search index (see site.c) */
    const char **anchors;
    size_t n_anchors, cap_anchors;
    struct ob_page_link *links;
    size_t n_links, cap_links;
    struct ob_page_chart *charts; /* in the order it asked */
    size_t n_charts, cap_charts;
    /* Loaded: the record the last build saved (its bytes in the cache
     * file), which saving copies as it is while these facts are its. */
    const char *raw;
    size_t raw_len;
};

/** A file the site writes from the site key alone (the review list, tag
 * pages, 404, sitemap), and the hash of its bytes. */
struct ob_site_file {
    const char *path;
    uint64_t hash;
};

struct ob_pagecache;

/**
 * The facts the last build kept in cache folder `dir`, the site key they
 * were kept for (into *key: reusable only under the same key), and its
 * search index (into *search, to free), kept in a file of its own: NULL
 * (and *search NULL) when there are none or they are unreadable. Touches
 * nothing but what it returns: a build reads it on a thread of its own
 * while it works out its key. The facts' strings lie in the cache's
 * bytes: free it after the facts' copies.
 */
struct ob_pagecache *ob_pagecache_load(const char *dir, uint64_t *key,
                                       struct ob_search **search);
void ob_pagecache_free(struct ob_pagecache *c);

/*
 * ob_pagecache_load() beside other work: a build reads the facts (1.3 MB
 * on the bench site) on the thread that opens OUT, ahead of the pages'
 * need, or on the pages' own thread when that one comes first. Whoever
 * made the read frees it, once no thread can run it any more.
 */
struct ob_pagecache_read;

/** The facts in `dir`, to be read (NULL: there are none). */
struct ob_pagecache_read *ob_pagecache_read_new(const char *dir);
/** Reads them now, on the calling thread, unless they are read or being
 * read already (then waits). */
void ob_pagecache_read_run(struct ob_pagecache_read *r);
/** What ob_pagecache_load() returns, read now unless it was; the caller
 * owns it, `r` keeps nothing (NULL `r`: no facts). */
struct ob_pagecache *ob_pagecache_read_take(struct ob_pagecache_read *r,
                                            uint64_t *key,
                                            struct ob_search **search);
/** No reading from now on (one under way is waited for), and what was
 * read and not taken is freed. */
void ob_pagecache_read_cancel(struct ob_pagecache_read *r);
/** Cancels and frees `r`. */
void ob_pagecache_read_free(struct ob_pagecache_read *r);

/** The last build's facts of the page from `src`, or NULL. */
const struct ob_page_facts *ob_pagecache_find(const struct ob_pagecache *c,
                                              const char *src);

/** The hash of the search script the last build wrote. */
uint64_t ob_pagecache_search_js(const struct ob_pagecache *c);

/** The files of the site key the last build wrote (see ob_site_file). */
const struct ob_site_file *ob_pagecache_files(const struct ob_pagecache *c,
                                              size_t *n);

/** Appends the cache file of `key`: each page's facts and the site key's
 * files; ob_pagecache_save_end() ends it. */
void ob_pagecache_save(uint64_t key, const struct ob_content *c,
                       const struct ob_page_facts *facts,
                       const struct ob_site_file *files, size_t n_files,
                       struct ob_buf *out);
/** Appends the search index's cache file, kept under the name
 * ob_pagecache_search_file() gives. Its records are those of the index the
 * facts were loaded with, when ob_search_unchanged(): a build that changed
 * no page's words keeps that file as it is instead. */
void ob_pagecache_save_search(const struct ob_search *search,
                              struct ob_buf *out);
const char *ob_pagecache_search_file(void);
/** Appends the last record: the hash of the search script written from
 * the index (known once it is written, which the saving need not await). */
void ob_pagecache_save_end(uint64_t search_js, struct ob_buf *out);

/** Records a heading anchor or a link of page facts `f` (copies into `a`). */
void ob_page_facts_anchor(struct ob_page_facts *f, struct ob_arena *a,
                          const char *id);
void ob_page_facts_link(struct ob_page_facts *f, struct ob_arena *a,
                        const char *url, bool image, uint32_t line,
                        uint32_t col);
/** Records a chart page facts `f` asked for (`c`'s strings copied into
 * `a`). */
void ob_page_facts_chart(struct ob_page_facts *f, struct ob_arena *a,
                         const struct ob_page_chart *c);
void ob_page_facts_release(struct ob_page_facts *f);

#endif
