/* output_tree.c: manifests of output trees, and walking those trees. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* O_NOFOLLOW, O_DIRECTORY, fdopendir() */
#include "output_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsbook/fs.h"
#include "opsbook/hash.h"
#include "opsbook/mem.h"

void
ob_manifest_init(struct ob_manifest *m)
{
    memset(m, 0, sizeof(*m));
    ob_arena_init(&m->a);
}

void
ob_manifest_release(struct ob_manifest *m)
{
    free(m->e);
    free(m->slots);
    ob_arena_release(&m->a);
    memset(m, 0, sizeof(*m));
}

void
ob_manifest_clear(struct ob_manifest *m)
{
    ob_manifest_release(m);
    ob_manifest_init(m);
}

static uint64_t
path_key(const char *path)
{
    return ob_hash(path, strlen(path));
}

/* The slot holding `path`, or the free slot where it would go. */
static size_t
find_slot(const struct ob_manifest *m, const char *path, uint64_t key)
{
    size_t mask = m->n_slots - 1, i = (size_t)key & mask;

    while (m->slots[i]) {
        const struct ob_entry *e = &m->e[m->slots[i] - 1];

        if (e->key == key && !strcmp(e->path, path))
            break;
        i = (i + 1) & mask;
    }
    return i;
}

static void
rehash(struct ob_manifest *m, size_t n_slots)
{
    size_t i;

    free(m->slots);
    m->n_slots = n_slots;
    m->slots = ob_xcalloc(m->n_slots, sizeof(*m->slots));
    for (i = 0; i < m->n; i++) {
        size_t mask = m->n_slots - 1, s = (size_t)m->e[i].key & mask;

        while (m->slots[s])
            s = (s + 1) & mask;
        m->slots[s] = (uint32_t)(i + 1);
    }
}

void
ob_manifest_reserve(struct ob_manifest *m, size_t n)
{
    size_t n_slots = m->n_slots ? m->n_slots : 64;

    OB_GROW(m->e, n, m->cap);
    while (n_slots < 2 * n)
        n_slots *= 2;
    if (n_slots != m->n_slots)
        rehash(m, n_slots);
}

uint64_t
ob_manifest_key(const char *path)
{
    return path_key(path);
}

const struct ob_entry *
ob_manifest_find_key(const struct ob_manifest *m, const char *path,
                     uint64_t key)
{
    size_t slot;

    if (!m->n)
        return NULL;
    slot = find_slot(m, path, key);
    return m->slots[slot] ? &m->e[m->slots[slot] - 1] : NULL;
}

const struct ob_entry *
ob_manifest_find(const struct ob_manifest *m, const char *path)
{
    return m->n ? ob_manifest_find_key(m, path, path_key(path)) : NULL;
}

/* Adds `e`, whose path and key are set; `copy`: the path is copied into
 * the manifest's arena when new. */
static void
put(struct ob_manifest *m, const struct ob_entry *e, bool copy)
{
    size_t slot;

    m->raw = NULL;
    if (2 * (m->n + 1) > m->n_slots)
        ob_manifest_reserve(m, m->n + 1);
    slot = find_slot(m, e->path, e->key);
    if (m->slots[slot]) {
        struct ob_entry *had = &m->e[m->slots[slot] - 1];
        const char *path = had->path;

        *had = *e;
        had->path = path;
        return;
    }
    OB_GROW(m->e, m->n + 1, m->cap);
    m->e[m->n] = *e;
    if (copy)
        m->e[m->n].path = ob_arena_strdup(&m->a, e->path);
    m->slots[slot] = (uint32_t)++m->n;
}

void
ob_manifest_put(struct ob_manifest *m, const struct ob_entry *e)
{
    struct ob_entry copy = *e;

    copy.key = path_key(e->path);
    put(m, &copy, true);
}

void
ob_manifest_put_borrowed(struct ob_manifest *m, const struct ob_entry *e)
{
    put(m, e, false);
}

/* A record as ob_manifest_save() writes it, in `b` (up to 96 bytes after
 * the path); returns its length. */
static size_t
pack(unsigned char *b, const struct ob_entry *e)
{
    uint64_t v[11];
    size_t n = 0, i, k;

    v[n++] = e->flags;
    v[n++] = e->hash;
    v[n++] = e->size;
    v[n++] = e->ino;
    v[n++] = (uint64_t)e->mtime;
    if (e->flags & OB_ENTRY_COPY) {
        v[n++] = e->src.dev;
        v[n++] = e->src.ino;
        v[n++] = e->src.size;
        v[n++] = (uint64_t)e->src.mtime;
        v[n++] = (uint64_t)e->src.ctime;
    }
    for (i = 0; i < n; i++)
        for (k = 0; k < 8; k++)
            b[8 * i + k] = (unsigned char)(v[i] >> (8 * k));
    return 8 * n;
}

void
ob_manifest_save(const struct ob_manifest *m, struct ob_buf *out)
{
    unsigned char record[96];
    size_t i;

    if (m->raw) {
        ob_buf_add(out, m->raw, m->raw_len);
        return;
    }
    ob_cache_put_u64(out, m->dev);
    ob_cache_put_u64(out, m->ino);
    ob_cache_put_u64(out, m->n);
    for (i = 0; i < m->n; i++) {
        const struct ob_entry *e = &m->e[i];

        /* with its NUL: a loaded path points into the file */
        ob_cache_put_cstr(out, e->path);
        ob_buf_add(out, record, pack(record, e));
    }
}

bool
ob_manifest_load(struct ob_manifest *m, struct ob_cache_reader *r)
{
    const char *start = r->p;
    uint64_t n, i;

    m->dev = ob_cache_get_u64(r);
    m->ino = ob_cache_get_u64(r);
    n = ob_cache_get_u64(r);
    /* each record takes 50 bytes at least: a count beyond is a lie */
    if (r->bad || n > (uint64_t)(r->end - r->p) / 50)
        goto bad;
    ob_manifest_reserve(m, (size_t)n);
    for (i = 0; i < n; i++) {
        struct ob_entry e;
        size_t len;

        memset(&e, 0, sizeof e);
        e.path = ob_cache_get_bytes(r, &len);
        e.flags = (uint32_t)ob_cache_get_u64(r);
        e.hash = ob_cache_get_u64(r);
        e.size = ob_cache_get_u64(r);
        e.ino = ob_cache_get_u64(r);
        e.mtime = (int64_t)ob_cache_get_u64(r);
        if (e.flags & OB_ENTRY_COPY) {
            e.src.dev = ob_cache_get_u64(r);
            e.src.ino = ob_cache_get_u64(r);
            e.src.size = ob_cache_get_u64(r);
            e.src.mtime = (int64_t)ob_cache_get_u64(r);
            e.src.ctime = (int64_t)ob_cache_get_u64(r);
        }
        if (r->bad || !e.path || len < 2 ||
            memchr(e.path, '\0', len) != e.path + len - 1 ||
            !ob_fs_path_is_clean(e.path))
            goto bad;
        e.key = ob_hash(e.path, len - 1);
        put(m, &e, false);
    }
    m->raw = start;
    m->raw_len = (size_t)(r->p - start);
    return true;
bad:
    ob_manifest_clear(m);
    return false;
}

static int64_t
ns_of(const struct timespec *ts)
{
    return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

void
ob_file_id_of(struct ob_file_id *id, const struct stat *st)
{
    id->dev = (uint64_t)st->st_dev;
    id->ino = (uint64_t)st->st_ino;
    id->size = (uint64_t)st->st_size;
    id->mtime = ns_of(&st->st_mtim);
    id->ctime = ns_of(&st->st_ctim);
}

bool
ob_entry_matches(const struct ob_manifest *m, const struct ob_entry *e,
                 const struct stat *st)
{
    return S_ISREG(st->st_mode) && (uint64_t)st->st_dev == m->dev &&
           (uint64_t)st->st_ino == e->ino && (uint64_t)st->st_size == e->size &&
           ns_of(&st->st_mtim) == e->mtime;
}

void
ob_entry_set_stat(struct ob_entry *e, const struct stat *st)
{
    e->ino = (uint64_t)st->st_ino;
    e->size = (uint64_t)st->st_size;
    e->mtime = ns_of(&st->st_mtim);
}

/* ---- snapshots of a tree ---------------------------------------------- */

struct snap_entry {
    const char *name;
    bool folder;
};

struct ob_snap_folder {
    const char *path; /* "" for the root */
    struct snap_entry *e;
    size_t n;
    atomic_bool touched;
    /* Its files: how many, and the sum of their paths' manifest keys;
     * then, for a pruning walk, the same of the files the build made in
     * it. A folder the build did not touch holds what it held, and when
     * it made the same set of files there, nothing in it goes. */
    size_t n_files, n_made;
    uint64_t file_keys, made_keys;
};

void
ob_tree_snap_init(struct ob_tree_snap *s)
{
    memset(s, 0, sizeof(*s));
    ob_arena_init(&s->a);
}

void
ob_tree_snap_release(struct ob_tree_snap *s)
{
    free(s->f);
    ob_arena_release(&s->a);
    memset(s, 0, sizeof(*s));
}

static int
folder_order(const void *pa, const void *pb)
{
    const struct ob_snap_folder *a = pa, *b = pb;

    return strcmp(a->path, b->path);
}

/* The folder whose path is the first `len` bytes of `path`, or NULL. */
static struct ob_snap_folder *
snap_find(const struct ob_tree_snap *s, const char *path, size_t len)
{
    size_t lo = 0, hi = s ? s->n : 0;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *p = s->f[mid].path;
        int c = strncmp(p, path, len);

        if (c == 0 && p[len])
            c = 1; /* longer: after */
        if (c == 0)
            return &s->f[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static void
mark(struct ob_snap_folder *f)
{
    if (f)
        atomic_store_explicit(&f->touched, true, memory_order_relaxed);
}

void
ob_tree_snap_touch(struct ob_tree_snap *s, const char *rel)
{
    const char *slash = strrchr(rel, '/');
    size_t len = strlen(rel), i;

    mark(snap_find(s, rel, slash ? (size_t)(slash - rel) : 0));
    if (!snap_find(s, rel, len))
        return;
    /* a folder: it, and every folder in it, may go or change */
    for (i = 0; i < s->n; i++)
        if (!strncmp(s->f[i].path, rel, len) &&
            (!s->f[i].path[len] || s->f[i].path[len] == '/'))
            mark(&s->f[i]);
}

void
ob_tree_snap_touch_parents(struct ob_tree_snap *s, const char *rel)
{
    const char *p;

    mark(snap_find(s, rel, 0));
    for (p = strchr(rel, '/'); p; p = strchr(p + 1, '/'))
        mark(snap_find(s, rel, (size_t)(p - rel)));
}

/* ---- walking a tree --------------------------------------------------- */

struct walk {
    enum ob_walk_mode mode;
    const struct ob_manifest *keep; /* NULL: keep no file */
    struct ob_tree_snap *snap;      /* recorded, or read from; or NULL */
    struct ob_buf rel;              /* the path of the folder being read */
};

static int walk_folder(struct walk *w, int dfd, size_t *left);

/* A folder opened only if something in it must go: `fd` is -1 until then,
 * opened from `up` (or from `parent_fd` at the top). */
struct lazy_dir {
    struct lazy_dir *up;
    int parent_fd;
    const char *name;
    int fd;
};

static int
lazy_fd(struct lazy_dir *d)
{
    int parent = d->up ? lazy_fd(d->up) : d->parent_fd;

    if (d->fd < 0 && parent >= 0)
        d->fd = openat(parent, d->name,
                       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    return d->fd;
}

/* The snapshot's folder at w->rel when the pruning walk can take it as it
 * is: untouched, with every file it held made again (and at least one,
 * so that it stays). */
static const struct ob_snap_folder *
clean_folder(const struct walk *w)
{
    const struct ob_snap_folder *f;

    if (!w->snap || w->mode != OB_WALK_PRUNE)
        return NULL;
    f = snap_find(w->snap, w->rel.len ? w->rel.ptr : "", w->rel.len);
    return f && !atomic_load_explicit(&f->touched, memory_order_relaxed) &&
                   f->n_files && f->n_made == f->n_files &&
                   f->made_keys == f->file_keys
               ? f
               : NULL;
}

static int walk_entry(struct walk *w, int dfd, const char *name,
                      unsigned char type, size_t *left, bool *kept_folder);

/* A clean folder (at w->rel): its files all stay, so it is opened only when
 * a folder in it is not clean too. */
static int
walk_clean(struct walk *w, const struct ob_snap_folder *f, struct lazy_dir *d)
{
    size_t i, mark_len = w->rel.len;
    int err = 0;

    for (i = 0; i < f->n && !err; i++) {
        const struct ob_snap_folder *sub;
        bool folder;

        if (!f->e[i].folder)
            continue;
        ob_buf_putc(&w->rel, '/');
        ob_buf_puts(&w->rel, f->e[i].name);
        sub = clean_folder(w);
        if (sub) {
            struct lazy_dir down = {d, -1, f->e[i].name, -1};

            err = walk_clean(w, sub, &down);
            if (down.fd >= 0)
                close(down.fd);
            ob_buf_truncate(&w->rel, mark_len);
        } else {
            size_t left = 0;

            ob_buf_truncate(&w->rel, mark_len);
            if (lazy_fd(d) < 0)
                err = errno == ENOENT ? 0 : errno;
            else
                err =
                    walk_entry(w, d->fd, f->e[i].name, DT_DIR, &left, &folder);
        }
    }
    return err;
}

/* One entry of a folder, of d_type `type`: kept (counted in *left, and
 * *kept_folder says what it is) or removed. */
static int
walk_entry(struct walk *w, int dfd, const char *name, unsigned char type,
           size_t *left, bool *kept_folder)
{
    size_t mark_len = w->rel.len;
    const struct ob_snap_folder *clean;
    struct stat st;
    int err = 0;

    if (type == DT_UNKNOWN) {
        if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            return errno == ENOENT ? 0 : errno;
        type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : 0;
    }
    if (mark_len)
        ob_buf_putc(&w->rel, '/');
    ob_buf_puts(&w->rel, name);
    if (type == DT_DIR && (clean = clean_folder(w))) {
        struct lazy_dir d = {NULL, dfd, name, -1};

        err = walk_clean(w, clean, &d);
        if (d.fd >= 0)
            close(d.fd);
        ++*left;
    } else if (type == DT_DIR) {
        int sub =
            openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        size_t sub_left = 0;

        if (sub < 0 && errno == ENOENT) { /* gone meanwhile */
            ob_buf_truncate(&w->rel, mark_len);
            *kept_folder = false;
            return 0;
        }
        if (sub < 0)
            err = errno;
        else
            err = walk_folder(w, sub, &sub_left);
        if (!err && w->mode == OB_WALK_PRUNE && !sub_left &&
            unlinkat(dfd, name, AT_REMOVEDIR) != 0)
            err = errno;
        if (!err && (w->mode != OB_WALK_PRUNE || sub_left))
            ++*left;
    } else if (type == DT_REG &&
               (w->mode == OB_WALK_SANITIZE ||
                (w->keep && ob_manifest_find(w->keep, w->rel.ptr)))) {
        ++*left;
    } else if (unlinkat(dfd, name, 0) != 0 && errno != ENOENT) {
        err = errno;
    }
    ob_buf_truncate(&w->rel, mark_len);
    *kept_folder = type == DT_DIR;
    return err;
}

/* The folder being walked as the snapshot keeps it: its entries, kept in
 * the order read. */
static void
snap_add(struct walk *w, struct snap_entry *e, size_t n, size_t n_files,
         uint64_t file_keys)
{
    struct ob_tree_snap *s = w->snap;
    struct ob_snap_folder *f;

    OB_GROW(s->f, s->n + 1, s->cap);
    f = &s->f[s->n++];
    f->path = ob_arena_strndup(&s->a, w->rel.len ? w->rel.ptr : "", w->rel.len);
    f->e = n ? ob_arena_alloc(&s->a, n * sizeof(*e)) : NULL;
    if (n)
        memcpy(f->e, e, n * sizeof(*e));
    f->n = n;
    atomic_init(&f->touched, false);
    f->n_files = n_files;
    f->file_keys = file_keys;
    f->n_made = 0;
    f->made_keys = 0;
}

/* The manifest key of the file `name` in the folder being walked. */
static uint64_t
key_in_folder(struct walk *w, const char *name)
{
    size_t mark_len = w->rel.len;
    uint64_t key;

    if (mark_len)
        ob_buf_putc(&w->rel, '/');
    ob_buf_puts(&w->rel, name);
    key = ob_manifest_key(w->rel.ptr);
    ob_buf_truncate(&w->rel, mark_len);
    return key;
}

/* A pruning walk's folder the build left untouched: as the snapshot has
 * it, not read again. */
static int
walk_known(struct walk *w, int dfd, const struct ob_snap_folder *f,
           size_t *left)
{
    size_t i;
    int err = 0;

    for (i = 0; i < f->n && !err; i++) {
        bool folder;

        err = walk_entry(w, dfd, f->e[i].name, f->e[i].folder ? DT_DIR : DT_REG,
                         left, &folder);
    }
    close(dfd);
    return err;
}

/* Reads the folder open at `dfd` (and closes it). */
static int
walk_folder(struct walk *w, int dfd, size_t *left)
{
    bool record = w->snap && w->mode == OB_WALK_SANITIZE;
    const struct ob_snap_folder *known =
        w->snap && w->mode == OB_WALK_PRUNE
            ? snap_find(w->snap, w->rel.len ? w->rel.ptr : "", w->rel.len)
            : NULL;
    const struct ob_snap_folder *clean;
    struct snap_entry *found = NULL;
    size_t n_found = 0, cap_found = 0, n_files = 0;
    uint64_t file_keys = 0;
    DIR *dh;
    struct dirent *de;
    int err = 0;

    if (known && (clean = clean_folder(w))) {
        struct lazy_dir d = {NULL, -1, NULL, dfd};

        err = walk_clean(w, clean, &d);
        close(dfd);
        ++*left;
        return err;
    }
    if (known && !atomic_load_explicit(&known->touched, memory_order_relaxed))
        return walk_known(w, dfd, known, left);
    dh = fdopendir(dfd);
    if (!dh) {
        err = errno;
        close(dfd);
        return err;
    }
    while (!err) {
        size_t before = *left;
        bool folder;

        errno = 0;
        de = readdir(dh);
        if (!de) {
            err = errno;
            break;
        }
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        err = walk_entry(w, dirfd(dh), de->d_name, de->d_type, left, &folder);
        if (!err && record && *left > before) {
            OB_GROW(found, n_found + 1, cap_found);
            found[n_found].name = ob_arena_strdup(&w->snap->a, de->d_name);
            found[n_found++].folder = folder;
            if (!folder) {
                n_files++;
                file_keys += key_in_folder(w, de->d_name);
            }
        }
    }
    closedir(dh);
    if (!err && record)
        snap_add(w, found, n_found, n_files, file_keys);
    free(found);
    return err;
}

/* Counts in each folder of the snapshot the files `keep` has there. */
static void
tally_made(struct ob_tree_snap *s, const struct ob_manifest *keep)
{
    size_t i;

    for (i = 0; i < s->n; i++) {
        s->f[i].n_made = 0;
        s->f[i].made_keys = 0;
    }
    for (i = 0; keep && i < keep->n; i++) {
        const char *path = keep->e[i].path, *slash = strrchr(path, '/');
        struct ob_snap_folder *f =
            snap_find(s, path, slash ? (size_t)(slash - path) : 0);

        if (f) {
            f->n_made++;
            f->made_keys += keep->e[i].key;
        }
    }
}

int
ob_tree_walk(int dfd, enum ob_walk_mode mode, const struct ob_manifest *keep,
             struct ob_tree_snap *snap)
{
    struct walk w = {mode, keep, snap, OB_BUF_INIT};
    size_t left = 0;
    /* a folder of its own: readdir() moves the offset it shares */
    int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), err;

    if (fd < 0)
        return errno;
    if (snap && mode == OB_WALK_PRUNE)
        tally_made(snap, keep);
    err = walk_folder(&w, fd, &left);
    ob_buf_release(&w.rel);
    if (snap && mode == OB_WALK_SANITIZE && !err)
        qsort(snap->f, snap->n, sizeof(*snap->f), folder_order);
    return err;
}

int
ob_tree_remove(int dfd, const char *rel, const struct ob_tree_guard *guard)
{
    struct walk w = {OB_WALK_PRUNE, NULL, NULL, OB_BUF_INIT};
    size_t left = 0;
    int sub, err;

    if (unlinkat(dfd, rel, 0) == 0 || errno == ENOENT || errno == ENOTDIR)
        return 0;
    if (errno != EISDIR && errno != EPERM)
        return errno;
    if (guard && guard->owns(guard->ctx, rel, true))
        return EISDIR;
    sub = openat(dfd, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub < 0)
        return errno;
    err = walk_folder(&w, sub, &left);
    ob_buf_release(&w.rel);
    if (!err && unlinkat(dfd, rel, AT_REMOVEDIR) != 0)
        err = errno;
    return err;
}

/* Makes the folder `path` unless it is one already. */
static int
make_folder(int dfd, const char *path, const struct ob_tree_guard *guard)
{
    struct stat st;

    if (mkdirat(dfd, path, 0777) == 0)
        return 0;
    if (errno != EEXIST)
        return errno;
    if (fstatat(dfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISDIR(st.st_mode))
        return 0;
    /* A file, or a symlink, where a folder belongs. Only unlinked: when
     * another thread has made the folder since, it stays (EISDIR). */
    if (guard && guard->owns(guard->ctx, path, false))
        return ENOTDIR;
    if (unlinkat(dfd, path, 0) != 0 && errno != ENOENT && errno != EISDIR &&
        errno != EPERM)
        return errno;
    if (mkdirat(dfd, path, 0777) != 0 && errno != EEXIST)
        return errno;
    return 0;
}

int
ob_tree_make_parents(int dfd, const char *rel,
                     const struct ob_tree_guard *guard)
{
    char *path = ob_xstrdup(rel), *slash;
    int err = 0;

    for (slash = strchr(path, '/'); slash && !err;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        err = make_folder(dfd, path, guard);
        *slash = '/';
    }
    free(path);
    return err;
}
