/* pagecache.c: what each page's rendering left, kept for the next build. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/pagecache.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/cache.h"
#include "opsbook/mem.h"
#include "opsbook/pathindex.h"
#include "opsbook/pool.h"

#define PAGECACHE_FILE "site"
#define SEARCH_FILE    "search"

struct cached_page {
    const char *src;
    struct ob_page_facts facts;
};

struct ob_pagecache {
    struct ob_arena a;
    struct cached_page *pages;
    size_t n;
    struct ob_path_index index; /* of pages, by src */
    struct ob_site_file *files;
    size_t n_files;
    uint64_t search_js;
    struct ob_cache_file file; /* the facts' strings lie in its bytes */
};

void
ob_page_facts_anchor(struct ob_page_facts *f, struct ob_arena *a,
                     const char *id)
{
    OB_GROW(f->anchors, f->n_anchors + 1, f->cap_anchors);
    f->anchors[f->n_anchors++] = ob_arena_strdup(a, id);
}

void
ob_page_facts_link(struct ob_page_facts *f, struct ob_arena *a, const char *url,
                   bool image, uint32_t line, uint32_t col)
{
    OB_GROW(f->links, f->n_links + 1, f->cap_links);
    f->links[f->n_links++] =
        (struct ob_page_link){ob_arena_strdup(a, url), line, col, image};
}

void
ob_page_facts_chart(struct ob_page_facts *f, struct ob_arena *a,
                    const struct ob_page_chart *c)
{
    struct ob_page_chart *to;

    OB_GROW(f->charts, f->n_charts + 1, f->cap_charts);
    to = &f->charts[f->n_charts++];
    *to = *c;
    to->kpi = ob_arena_strdup(a, c->kpi);
    to->group = c->group ? ob_arena_strdup(a, c->group) : NULL;
}

void
ob_page_facts_release(struct ob_page_facts *f)
{
    if (f->cap_anchors) /* else the cache's, in its arena */
        free(f->anchors);
    if (f->cap_links)
        free(f->links);
    if (f->cap_charts)
        free(f->charts);
    memset(f, 0, sizeof(*f));
}

static uint64_t
flags_of(const struct ob_page_facts *f)
{
    return (uint64_t)f->plain | (uint64_t)f->quiet << 1;
}

/* Whether loaded facts are still what their record says: their lists are
 * the loaded ones (a copy of loaded facts keeps them, with no capacity of
 * its own) and their numbers the record's first four. */
static bool
still_raw(const struct ob_page_facts *f)
{
    struct ob_cache_reader r = {f->raw, f->raw + f->raw_len, false};

    return f->raw && !f->cap_anchors && !f->cap_links && !f->cap_charts &&
           ob_cache_get_u64(&r) == f->hash &&
           ob_cache_get_u64(&r) == f->out_hash &&
           ob_cache_get_u64(&r) == flags_of(f) &&
           ob_cache_get_u64(&r) == f->words && !r.bad;
}

void
ob_pagecache_save(uint64_t key, const struct ob_content *c,
                  const struct ob_page_facts *facts,
                  const struct ob_site_file *files, size_t n_files,
                  struct ob_buf *out)
{
    size_t i, k;

    ob_cache_begin(out, PAGECACHE_FILE);
    ob_cache_put_u64(out, key);
    ob_cache_put_u64(out, c->n_pages);
    for (i = 0; i < c->n_pages; i++) {
        const struct ob_page_facts *f = &facts[i];

        ob_cache_put_cstr(out, c->pages[i].src);
        if (still_raw(f)) { /* a page not rendered again: as it was */
            ob_buf_add(out, f->raw, f->raw_len);
            continue;
        }
        ob_cache_put_u64(out, f->hash);
        ob_cache_put_u64(out, f->out_hash);
        ob_cache_put_u64(out, flags_of(f));
        ob_cache_put_u64(out, f->words);
        ob_cache_put_cstrs(out, f->anchors, f->n_anchors);
        ob_cache_put_u64(out, f->n_links);
        for (k = 0; k < f->n_links; k++) {
            ob_cache_put_cstr(out, f->links[k].url);
            ob_cache_put_u64(out, f->links[k].line);
            ob_cache_put_u64(out, f->links[k].col);
            ob_cache_put_u64(out, f->links[k].image);
        }
        ob_cache_put_u64(out, f->n_charts);
        for (k = 0; k < f->n_charts; k++) {
            const struct ob_page_chart *ch = &f->charts[k];

            ob_cache_put_cstr(out, ch->kpi);
            ob_cache_put_cstr(out, ch->group);
            ob_cache_put_u64(out, ch->kind | (uint64_t)ch->kind_given << 32 |
                                      (uint64_t)ch->target << 33);
            ob_cache_put_u64(out, (uint64_t)(int64_t)ch->periods);
        }
    }
    ob_cache_put_u64(out, n_files);
    for (i = 0; i < n_files; i++) {
        ob_cache_put_cstr(out, files[i].path);
        ob_cache_put_u64(out, files[i].hash);
    }
}

void
ob_pagecache_save_search(const struct ob_search *search, struct ob_buf *out)
{
    ob_cache_begin(out, SEARCH_FILE);
    ob_search_save(search, out);
}

const char *
ob_pagecache_search_file(void)
{
    return SEARCH_FILE;
}

void
ob_pagecache_save_end(uint64_t search_js, struct ob_buf *out)
{
    ob_cache_put_u64(out, search_js);
}

static void
get_facts(struct ob_cache_reader *r, struct ob_arena *a,
          struct ob_page_facts *f)
{
    const char *start = r->p;
    uint64_t flags;
    size_t k, n;

    f->hash = ob_cache_get_u64(r);
    f->out_hash = ob_cache_get_u64(r);
    flags = ob_cache_get_u64(r);
    f->plain = flags & 1;
    f->quiet = flags >> 1 & 1;
    f->words = ob_cache_get_u64(r);
    f->anchors = ob_cache_get_cstrs(r, a, &f->n_anchors);
    n = ob_cache_get_count(r, 8);
    f->links = n ? ob_arena_calloc(a, n, sizeof(*f->links)) : NULL;
    for (k = 0; k < n && !r->bad; k++) {
        struct ob_page_link *l = &f->links[k];

        l->url = ob_cache_get_cstr(r);
        l->line = (uint32_t)ob_cache_get_u64(r);
        l->col = (uint32_t)ob_cache_get_u64(r);
        l->image = ob_cache_get_u64(r) != 0;
        if (!l->url)
            r->bad = true;
    }
    f->n_links = r->bad ? 0 : n;
    n = ob_cache_get_count(r, 32);
    f->charts = n ? ob_arena_calloc(a, n, sizeof(*f->charts)) : NULL;
    for (k = 0; k < n && !r->bad; k++) {
        struct ob_page_chart *ch = &f->charts[k];
        uint64_t v;

        ch->kpi = ob_cache_get_cstr(r);
        ch->group = ob_cache_get_cstr(r);
        v = ob_cache_get_u64(r);
        ch->kind = (uint32_t)v;
        ch->kind_given = v >> 32 & 1;
        ch->target = v >> 33 & 1;
        ch->periods = (int32_t)(int64_t)ob_cache_get_u64(r);
        if (!ch->kpi)
            r->bad = true;
    }
    f->n_charts = r->bad ? 0 : n;
    f->raw = start;
    f->raw_len = (size_t)(r->p - start);
}

/* The index in its own file: most rebuilds leave it as it was, and keep
 * that file untouched (ob_output_keep_as_is()). */
static struct ob_search *
load_search(const char *dir)
{
    struct ob_cache_file file = OB_CACHE_FILE_INIT;
    struct ob_cache_reader r;
    struct ob_search *s = NULL;

    if (ob_cache_open(&r, &file, dir, SEARCH_FILE, SEARCH_FILE))
        s = ob_search_load_file(&r, &file);
    if (s && !ob_cache_done(&r)) {
        ob_search_free(s);
        s = NULL;
    }
    ob_cache_file_release(&file);
    return s;
}

struct ob_pagecache *
ob_pagecache_load(const char *dir, uint64_t *key, struct ob_search **search)
{
    struct ob_cache_reader r;
    struct ob_pagecache *c;
    size_t i, n;

    *search = NULL;
    *key = 0;
    c = ob_xcalloc(1, sizeof(*c));
    c->file = (struct ob_cache_file)OB_CACHE_FILE_INIT;
    if (!ob_cache_open(&r, &c->file, dir, PAGECACHE_FILE, PAGECACHE_FILE)) {
        ob_cache_file_release(&c->file);
        free(c);
        return NULL;
    }
    *key = ob_cache_get_u64(&r);
    ob_arena_init(&c->a);
    n = ob_cache_get_count(&r, 8);
    c->pages = ob_xcalloc(n + 1, sizeof(*c->pages));
    for (i = 0; i < n && !r.bad; i++) {
        c->pages[i].src = ob_cache_get_cstr(&r);
        get_facts(&r, &c->a, &c->pages[i].facts);
        if (!c->pages[i].src)
            r.bad = true;
    }
    c->n = n;
    n = ob_cache_get_count(&r, 8);
    c->files = ob_arena_calloc(&c->a, n + 1, sizeof(*c->files));
    for (i = 0; i < n && !r.bad; i++) {
        c->files[i].path = ob_cache_get_cstr(&r);
        c->files[i].hash = ob_cache_get_u64(&r);
        if (!c->files[i].path)
            r.bad = true;
    }
    c->n_files = n;
    c->search_js = ob_cache_get_u64(&r);
    *search = ob_cache_done(&r) ? load_search(dir) : NULL;
    if (!*search) {
        ob_pagecache_free(c);
        return NULL;
    }
    ob_path_index_build(&c->index, c->pages, c->n, sizeof(*c->pages),
                        offsetof(struct cached_page, src));
    return c;
}

void
ob_pagecache_free(struct ob_pagecache *c)
{
    if (!c)
        return;
    free(c->pages);
    ob_path_index_release(&c->index);
    ob_arena_release(&c->a);
    ob_cache_file_release(&c->file);
    free(c);
}

uint64_t
ob_pagecache_search_js(const struct ob_pagecache *c)
{
    return c ? c->search_js : 0;
}

const struct ob_site_file *
ob_pagecache_files(const struct ob_pagecache *c, size_t *n)
{
    *n = c ? c->n_files : 0;
    return c ? c->files : NULL;
}

const struct ob_page_facts *
ob_pagecache_find(const struct ob_pagecache *c, const char *src)
{
    const struct cached_page *p = c ? ob_path_index_find(&c->index, src) : NULL;

    return p ? &p->facts : NULL;
}

struct ob_pagecache_read {
    char *dir;
    uint64_t key;
    struct ob_pagecache *last;
    struct ob_search *search;
    struct ob_once once; /* read_facts(), by whoever comes first */
};

static void
read_facts(void *arg)
{
    struct ob_pagecache_read *r = arg;

    r->last = ob_pagecache_load(r->dir, &r->key, &r->search);
}

struct ob_pagecache_read *
ob_pagecache_read_new(const char *dir)
{
    struct ob_pagecache_read *r;

    if (!dir)
        return NULL;
    r = ob_xcalloc(1, sizeof(*r));
    r->dir = ob_xstrdup(dir);
    ob_once_init(&r->once, read_facts, r);
    return r;
}

void
ob_pagecache_read_run(struct ob_pagecache_read *r)
{
    if (r)
        ob_once_run(&r->once);
}

struct ob_pagecache *
ob_pagecache_read_take(struct ob_pagecache_read *r, uint64_t *key,
                       struct ob_search **search)
{
    struct ob_pagecache *last;

    *key = 0;
    *search = NULL;
    if (!r)
        return NULL;
    ob_once_run(&r->once);
    last = r->last;
    *key = r->key;
    *search = r->search;
    r->last = NULL;
    r->search = NULL;
    return last;
}

void
ob_pagecache_read_cancel(struct ob_pagecache_read *r)
{
    if (!r || !ob_once_settle(&r->once))
        return;
    ob_pagecache_free(r->last);
    ob_search_free(r->search);
    r->last = NULL;
    r->search = NULL;
}

void
ob_pagecache_read_free(struct ob_pagecache_read *r)
{
    if (!r)
        return;
    ob_pagecache_read_cancel(r);
    ob_once_release(&r->once);
    free(r->dir);
    free(r);
}
