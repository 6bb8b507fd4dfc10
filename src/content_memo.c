/* content_memo.c: the pages of the last build, so that unchanged files
 * need not be read again. */
/* SPDX-License-Identifier: MIT */
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "content_int.h"
#include "opsbook/cache.h"
#include "opsbook/mem.h"
#include "opsbook/pathindex.h"

#define MEMO_FILE "pages"

struct ob_content_memo {
    struct ob_page *pages; /* strings in the caller's arena */
    size_t n;
    struct ob_folder *folders;
    size_t n_folders;
    struct ob_path_index page_index, folder_index;
    int64_t written; /* when the memo was written (ns) */
};

bool
ob_content_file_id(int dfd, const char *path, struct ob_file_id *id)
{
    struct stat st;

    memset(id, 0, sizeof(*id));
    if (fstatat(dfd, path, &st, 0) != 0)
        return false;
    id->dev = (uint64_t)st.st_dev;
    id->ino = (uint64_t)st.st_ino;
    id->size = (uint64_t)st.st_size;
    id->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    id->ctime_ns = (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec;
    return true;
}

/* A page worth remembering: read from a file of content/, without a
 * made view (made pages and the folders they take come back each time). */
static bool
memorable(const struct ob_page *p)
{
    return p->hash && !p->generated && !p->made;
}

static void
put_id(struct ob_buf *out, const struct ob_file_id *id)
{
    ob_cache_put_u64(out, id->dev);
    ob_cache_put_u64(out, id->ino);
    ob_cache_put_u64(out, id->size);
    ob_cache_put_u64(out, (uint64_t)id->mtime_ns);
    ob_cache_put_u64(out, (uint64_t)id->ctime_ns);
}

static void
get_id(struct ob_cache_reader *r, struct ob_file_id *id)
{
    id->dev = ob_cache_get_u64(r);
    id->ino = ob_cache_get_u64(r);
    id->size = ob_cache_get_u64(r);
    id->mtime_ns = (int64_t)ob_cache_get_u64(r);
    id->ctime_ns = (int64_t)ob_cache_get_u64(r);
}

static void
put_folder(struct ob_buf *out, const struct ob_folder *f)
{
    size_t k;

    ob_cache_put_cstr(out, f->path);
    put_id(out, &f->id);
    ob_cache_put_u64(out, f->n);
    for (k = 0; k < f->n; k++) {
        ob_cache_put_cstr(out, f->entries[k].name);
        ob_cache_put_u64(out, (uint64_t)f->entries[k].type);
    }
}

static void
get_folder(struct ob_cache_reader *r, struct ob_arena *a, struct ob_folder *f)
{
    struct ob_fs_entry *entries;
    size_t k;

    f->path = ob_cache_get_cstr(r);
    get_id(r, &f->id);
    f->n = ob_cache_get_count(r, 16);
    entries = f->n ? ob_arena_calloc(a, f->n, sizeof(*entries)) : NULL;
    for (k = 0; k < f->n && !r->bad; k++) {
        uint64_t type;

        entries[k].name = ob_cache_get_cstr(r);
        type = ob_cache_get_u64(r);
        entries[k].type = (enum ob_fs_type)type;
        if (!entries[k].name || type > OB_FS_OTHER)
            r->bad = true;
    }
    f->entries = entries;
    if (!f->path)
        r->bad = true;
}

void
ob_content_memo_save(const struct ob_content *c, bool pretty_urls,
                     struct ob_buf *out)
{
    size_t i, n = 0;

    ob_cache_begin(out, MEMO_FILE);
    ob_cache_put_u64(out, pretty_urls);
    for (i = 0; i < c->n_pages; i++)
        n += memorable(&c->pages[i]);
    ob_cache_put_u64(out, n);
    for (i = 0; i < c->n_pages; i++) {
        const struct ob_page *p = &c->pages[i];

        if (!memorable(p))
            continue;
        ob_cache_put_cstr(out, p->src);
        put_id(out, &p->id);
        ob_cache_put_u64(out, p->hash);
        ob_cache_put_cstr(out, p->url);
        ob_cache_put_cstr(out, p->link);
        ob_cache_put_cstr(out, p->section);
        ob_cache_put_u64(out, p->is_section);
        ob_cache_put_u64(out, p->depth);
        ob_cache_put_cstr(out, p->title);
        ob_cache_put_u64(out, p->body_has_title);
        ob_cache_put_cstr(out, p->description);
        ob_cache_put_cstr(out, p->owner);
        ob_cache_put_cstrs(out, p->tags, p->n_tags);
        ob_cache_put_cstrs(out, p->aliases, p->n_aliases);
        ob_cache_put_u64(out, (uint64_t)p->weight);
        ob_cache_put_u64(out, p->has_review_by);
        ob_cache_put_u64(out, (uint64_t)(int64_t)p->review_by);
        ob_cache_put_u64(out, p->body_line);
    }
    ob_cache_put_u64(out, c->n_folders);
    for (i = 0; i < c->n_folders; i++)
        put_folder(out, &c->folders[i]);
}

static void
get_page(struct ob_cache_reader *r, struct ob_arena *a, struct ob_page *p)
{
    memset(p, 0, sizeof(*p));
    p->src = ob_cache_get_cstr(r);
    get_id(r, &p->id);
    p->hash = ob_cache_get_u64(r);
    p->url = ob_cache_get_cstr(r);
    p->link = ob_cache_get_cstr(r);
    p->section = ob_cache_get_cstr(r);
    p->is_section = ob_cache_get_u64(r) != 0;
    p->depth = (unsigned)ob_cache_get_u64(r);
    p->title = ob_cache_get_cstr(r);
    p->body_has_title = ob_cache_get_u64(r) != 0;
    p->description = ob_cache_get_cstr(r);
    p->owner = ob_cache_get_cstr(r);
    p->tags = ob_cache_get_cstrs(r, a, &p->n_tags);
    p->aliases = ob_cache_get_cstrs(r, a, &p->n_aliases);
    p->weight = (long long)ob_cache_get_u64(r);
    p->has_review_by = ob_cache_get_u64(r) != 0;
    p->review_by = (int32_t)(int64_t)ob_cache_get_u64(r);
    p->body_line = (uint32_t)ob_cache_get_u64(r);
    if (!p->src || !p->url || !p->link || !p->section || !p->title)
        r->bad = true;
}

struct ob_content_memo *
ob_content_memo_load(const char *dir, bool pretty_urls, struct ob_arena *a)
{
    struct ob_cache_file file = OB_CACHE_FILE_INIT;
    struct ob_cache_reader r;
    struct ob_content_memo *m;
    uint64_t n;
    size_t i;

    if (!ob_cache_open(&r, &file, dir, MEMO_FILE, MEMO_FILE)) {
        ob_cache_file_release(&file);
        return NULL;
    }
    m = ob_xcalloc(1, sizeof(*m));
    if (ob_cache_get_u64(&r) != (uint64_t)pretty_urls)
        r.bad = true;
    n = ob_cache_get_count(&r, 8);
    if (!r.bad) {
        m->pages = ob_xcalloc((size_t)n + 1, sizeof(*m->pages));
        for (i = 0; i < n && !r.bad; i++)
            get_page(&r, a, &m->pages[i]);
        m->n = (size_t)n;
        m->n_folders = ob_cache_get_count(&r, 8);
        m->folders = ob_xcalloc(m->n_folders + 1, sizeof(*m->folders));
        for (i = 0; i < m->n_folders && !r.bad; i++)
            get_folder(&r, a, &m->folders[i]);
    }
    m->written = file.written;
    /* its strings are lent, not copied: the file lives as long as `a` */
    ob_cache_file_give(&file, a);
    if (!ob_cache_done(&r)) {
        ob_content_memo_free(m);
        return NULL;
    }
    ob_path_index_build(&m->page_index, m->pages, m->n, sizeof(*m->pages),
                        offsetof(struct ob_page, src));
    ob_path_index_build(&m->folder_index, m->folders, m->n_folders,
                        sizeof(*m->folders), offsetof(struct ob_folder, path));
    return m;
}

void
ob_content_memo_free(struct ob_content_memo *m)
{
    if (!m)
        return;
    free(m->pages);
    free(m->folders);
    ob_path_index_release(&m->page_index);
    ob_path_index_release(&m->folder_index);
    free(m);
}

static bool
same_file(const struct ob_file_id *a, const struct ob_file_id *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns;
}

bool
ob_content_memo_place(const struct ob_content_memo *m, const char *src,
                      const struct ob_file_id *id, struct ob_page *out)
{
    const struct ob_page *p =
        m ? ob_path_index_find(&m->page_index, src) : NULL;

    /* a file changed so close to the memo's writing could look the same */
    if (!p || !same_file(&p->id, id) ||
        ob_cache_racy(p->id.mtime_ns, m->written))
        return false;
    *out = *p; /* its strings are in the build's arena already */
    out->src = src;
    out->body = NULL;
    out->front = NULL;
    out->unread = true;
    return true;
}

bool
ob_content_memo_folder(const struct ob_content_memo *m, const char *path,
                       const struct ob_file_id *id,
                       const struct ob_fs_entry **entries, size_t *n)
{
    const struct ob_folder *f =
        m ? ob_path_index_find(&m->folder_index, path) : NULL;

    if (!f || !same_file(&f->id, id) ||
        ob_cache_racy(f->id.mtime_ns, m->written))
        return false;
    *entries = f->entries;
    *n = f->n;
    return true;
}
