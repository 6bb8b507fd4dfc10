/* links.c: what a page's links point at: rewritten to outputs, checked. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/links.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/buf.h"
#include "opsbook/mem.h"
#include "opsbook/pathindex.h"

/* A page or file, by the path it has in the repository. */
struct target {
    const char *src;
    const char *url;
    const struct ob_page *page; /* NULL for a file, or a list made outside
                                 * content (review/, tags/) */
    bool is_page;
};

struct anchor {
    const struct ob_page *page;
    const char *id;
};

struct pending {
    struct anchor want;
    struct ob_pos pos;
};

struct ob_links {
    struct ob_arena arena;
    struct target *targets;
    size_t n_targets;
    struct ob_path_index by_src; /* of targets; none while stale */
    struct anchor *anchors;
    size_t n_anchors, cap_anchors;
    struct pending *pending;
    size_t n_pending, cap_pending;
    struct ob_buf path;
};

struct ob_links *
ob_links_new(const struct ob_content *c)
{
    struct ob_links *l = ob_xcalloc(1, sizeof(*l));
    size_t i, n = 0;

    ob_arena_init(&l->arena);
    ob_buf_init(&l->path);
    l->targets = ob_xcalloc(c->n_pages + c->n_assets + 1, sizeof(*l->targets));
    for (i = 0; i < c->n_pages; i++)
        l->targets[n++] = (struct target){c->pages[i].src, c->pages[i].link,
                                          &c->pages[i], true};
    for (i = 0; i < c->n_assets; i++)
        l->targets[n++] =
            (struct target){c->assets[i].src, c->assets[i].url, NULL, false};
    l->n_targets = n;
    return l;
}

void
ob_links_free(struct ob_links *l)
{
    if (!l)
        return;
    free(l->targets);
    ob_path_index_release(&l->by_src);
    free(l->anchors);
    free(l->pending);
    ob_buf_release(&l->path);
    ob_arena_release(&l->arena);
    free(l);
}

void
ob_links_add_output(struct ob_links *l, const char *path, const char *url)
{
    size_t len = strlen(path);

    l->targets =
        ob_xreallocarray(l->targets, l->n_targets + 1, sizeof(*l->targets));
    l->targets[l->n_targets++] = (struct target){
        ob_arena_printf(&l->arena, "content/%s", path),
        ob_arena_strdup(&l->arena, url), NULL, len && path[len - 1] == '/'};
    ob_path_index_release(&l->by_src);
}

static const struct target *
find(struct ob_links *l, const char *src)
{
    if (!l->by_src.slots)
        ob_path_index_build(&l->by_src, l->targets, l->n_targets,
                            sizeof(*l->targets), offsetof(struct target, src));
    return ob_path_index_find(&l->by_src, src);
}

/* "http:", "mailto:", "//host": links that leave the site. */
static bool
leaves_site(const char *url)
{
    const char *p = url;

    if (url[0] == '/' || url[0] == '\0')
        return true; /* from the site's root, or empty: as written */
    if (!isalpha((unsigned char)*p))
        return false;
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    return *p == ':';
}

static int
hex(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Appends s[0..len) with %XX decoded, as the file system names it. */
static void
add_decoded(struct ob_buf *out, const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (s[i] == '%' && i + 2 < len && hex(s[i + 1]) >= 0 &&
            hex(s[i + 2]) >= 0) {
            ob_buf_putc(out, (char)(hex(s[i + 1]) * 16 + hex(s[i + 2])));
            i += 2;
        } else {
            ob_buf_putc(out, s[i]);
        }
    }
}

/*
 * `rel` joined to the folder of `from_src`, with "." and ".." resolved,
 * into l->path; false when it climbs out of the repository.
 */
static bool
resolve_path(struct ob_links *l, const char *from_src, const char *rel,
             size_t rel_len)
{
    struct ob_buf *p = &l->path;
    const char *slash = strrchr(from_src, '/');
    struct ob_buf joined = OB_BUF_INIT;
    size_t i = 0;
    bool ok = true;

    if (slash)
        ob_buf_add(&joined, from_src, (size_t)(slash - from_src) + 1);
    add_decoded(&joined, rel, rel_len);
    ob_buf_reset(p);
    while (i < joined.len) {
        size_t end = i, n;

        while (end < joined.len && joined.ptr[end] != '/')
            end++;
        n = end - i;
        if (n == 2 && !memcmp(joined.ptr + i, "..", 2)) {
            if (!p->len) {
                ok = false;
                break;
            }
            ob_buf_truncate(p, p->len - 1); /* the '/' */
            while (p->len && p->ptr[p->len - 1] != '/')
                ob_buf_truncate(p, p->len - 1);
        } else if (n && !(n == 1 && joined.ptr[i] == '.')) {
            ob_buf_add(p, joined.ptr + i, n);
            if (end < joined.len)
                ob_buf_putc(p, '/');
        }
        i = end + 1;
    }
    ob_buf_release(&joined);
    return ok;
}

/* A folder's own page: its _index.md, index.md, README.md, or the one
 * generated for it. l->path holds the folder, with its '/'. */
static const struct target *
find_folder(struct ob_links *l)
{
    static const char *const names[] = {"_index.md", "index.md", "README.md",
                                        "", NULL};
    size_t len = l->path.len, i;
    const struct target *t = NULL;

    for (i = 0; !t && names[i]; i++) {
        ob_buf_truncate(&l->path, len);
        ob_buf_puts(&l->path, names[i]);
        t = find(l, l->path.ptr);
        if (t && !t->is_page)
            t = NULL;
    }
    ob_buf_truncate(&l->path, len);
    return t;
}

static const struct target *
find_target(struct ob_links *l)
{
    const struct target *t = find(l, l->path.ptr);

    if (t)
        return t;
    if (!l->path.len || l->path.ptr[l->path.len - 1] != '/')
        ob_buf_putc(&l->path, '/');
    return find_folder(l);
}

static void
expect_anchor(struct ob_links *l, const struct ob_page *page, const char *id,
              size_t len, const struct ob_pos *pos)
{
    struct pending *p;

    OB_GROW(l->pending, l->n_pending + 1, l->cap_pending);
    p = &l->pending[l->n_pending++];
    p->want.page = page;
    p->want.id = ob_arena_strndup(&l->arena, id, len);
    p->pos = *pos;
}

const char *
ob_links_resolve(struct ob_links *l, const struct ob_page *from,
                 const char *url, const struct ob_pos *pos, struct ob_arena *a,
                 struct ob_diag *d)
{
    const char *hash = strchr(url, '#');
    size_t path_len = hash ? (size_t)(hash - url) : strlen(url), q;
    const struct target *t;
    struct ob_buf out = OB_BUF_INIT;
    const char *result;
    unsigned depth;

    if (leaves_site(url))
        return NULL;
    if (!path_len) { /* "#anchor" on this page */
        if (hash[1])
            expect_anchor(l, from, hash + 1, strlen(hash + 1), pos);
        return NULL;
    }
    for (q = 0; q < path_len && url[q] != '?'; q++)
        ;
    if (!resolve_path(l, from->src, url, q)) {
        ob_diag_warning(d, pos, "link '%s' leads out of the repository", url);
        return NULL;
    }
    t = find_target(l);
    if (!t) {
        ob_diag_warning(d, pos, "link to a missing page or file '%s'", url);
        return NULL;
    }
    if (hash && hash[1] && t->page)
        expect_anchor(l, t->page, hash + 1, strlen(hash + 1), pos);
    for (depth = from->depth; depth; depth--)
        ob_buf_puts(&out, "../");
    ob_buf_puts(&out, t->url);
    ob_buf_puts(&out, url + q); /* ?query#fragment as written */
    result = ob_arena_strdup(a, out.ptr);
    ob_buf_release(&out);
    return result;
}

void
ob_links_add_anchor_lent(struct ob_links *l, const struct ob_page *p,
                         const char *id)
{
    OB_GROW(l->anchors, l->n_anchors + 1, l->cap_anchors);
    l->anchors[l->n_anchors].page = p;
    l->anchors[l->n_anchors].id = id;
    l->n_anchors++;
}

void
ob_links_add_anchor(struct ob_links *l, const struct ob_page *p, const char *id)
{
    ob_links_add_anchor_lent(l, p, ob_arena_strdup(&l->arena, id));
}

static int
by_anchor(const void *pa, const void *pb)
{
    const struct anchor *a = pa, *b = pb;

    /* any fixed order serves the lookup: the pages' addresses, then ids */
    if (a->page != b->page)
        return (uintptr_t)a->page < (uintptr_t)b->page ? -1 : 1;
    return strcmp(a->id, b->id);
}

static int
by_want(const void *pa, const void *pb)
{
    return by_anchor(&((const struct pending *)pa)->want,
                     &((const struct pending *)pb)->want);
}

static void
warn_missing(const struct pending *p, struct ob_diag *d)
{
    ob_diag_warning(d, &p->pos, "link to a missing anchor '#%s' in '%s'",
                    p->want.id, p->want.page->src);
}

/* Each anchor of the pending list found among those of the pages: the
 * longer list is looked up in the shorter, sorted, one (a rebuild checks
 * a few links against every page's anchors; a full build, often more
 * links than anchors). The diagnostics are sorted when printed. */
void
ob_links_check_anchors(struct ob_links *l, struct ob_diag *d)
{
    size_t i, k, n = l->n_pending;
    bool *found;

    if (n > l->n_anchors) {
        ob_qsort(l->anchors, l->n_anchors, sizeof(*l->anchors), by_anchor);
        for (i = 0; i < n; i++) /* bsearch() wants a list, even empty */
            if (!l->n_anchors ||
                !bsearch(&l->pending[i].want, l->anchors, l->n_anchors,
                         sizeof(*l->anchors), by_anchor))
                warn_missing(&l->pending[i], d);
        return;
    }
    if (!n)
        return;
    ob_qsort(l->pending, n, sizeof(*l->pending), by_want);
    found = ob_xcalloc(n, sizeof(*found));
    for (i = 0; i < l->n_anchors; i++) {
        struct pending key = {l->anchors[i], {NULL, 0, 0}};
        const struct pending *p =
            bsearch(&key, l->pending, n, sizeof(*l->pending), by_want);

        if (!p)
            continue;
        /* every link to it: equal entries sit side by side */
        for (k = (size_t)(p - l->pending);
             k && !by_want(&l->pending[k - 1], p);)
            k--;
        for (; k < n && !by_want(&l->pending[k], p); k++)
            found[k] = true;
    }
    for (i = 0; i < n; i++)
        if (!found[i])
            warn_missing(&l->pending[i], d);
    free(found);
}
