/* output.c: build OUT beside itself, then swap it in with one rename. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* renameat2() */
#include "opsbook/output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "opsbook/buf.h"
#include "opsbook/cache.h"
#include "opsbook/fs.h"
#include "opsbook/hash.h"
#include "opsbook/mem.h"
#include "output_int.h"

/* ---- the work trees of the builds under way ------------------------------
 *
 * ob_oom() ends the process from wherever memory ran out, on any thread,
 * with no way back to the build whose work tree is beside OUT; an exit
 * handler is the one thing that still runs. So the outputs that have a
 * work tree are listed here, process-wide (global state, like the
 * handler it serves, because exit() gives its handlers no argument), and
 * the handler removes their trees: the previous OUT stays as it was and
 * no temporary folder is left. Every change of an o->tmp in the list
 * happens under `live_lock`. Nothing here can call ob_oom() again, as it
 * must work when memory has run out: nftw() (ob_fs_remove_tree()) reports
 * an allocation it could not make as an error.
 */
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ob_output *live;
static pthread_once_t live_once = PTHREAD_ONCE_INIT;
/* The handler ran: the process is ending, and no thread still making its
 * work tree (a build opens OUT on a thread of its own) may make one. */
static bool exiting;

/*
 * Another thread may be making a file or folder in a work tree while the
 * handler removes it, and leave it behind. So each such step is a gate
 * pass: it counts itself in, then looks whether the handler has begun
 * (and then makes nothing); the handler says it has begun, then waits
 * for the steps under way. Either the step sees the handler or the
 * handler sees the step.
 */
static atomic_int tree_steps;
static atomic_bool closing;

static bool
step_in(void)
{
    atomic_fetch_add(&tree_steps, 1);
    if (!atomic_load(&closing))
        return true;
    atomic_fetch_sub(&tree_steps, 1);
    errno = ECANCELED;
    return false;
}

static void
step_out(void)
{
    atomic_fetch_sub(&tree_steps, 1);
}

/* The steps under way end, for a second at most (a thread that ran out
 * of memory inside one never does). */
static void
wait_for_steps(void)
{
    struct timespec ms = {0, 1000000};
    int waits;

    atomic_store(&closing, true);
    for (waits = 0; atomic_load(&tree_steps) > 0 && waits < 1000; waits++)
        nanosleep(&ms, NULL);
}

static void
remove_live_trees(void)
{
    struct ob_output *o;
    int tries;

    wait_for_steps();
    pthread_mutex_lock(&live_lock);
    for (o = live; o; o = o->next_live) {
        /* another thread may still be adding to it: again, a few times */
        for (tries = 0; o->tmp && tries < 3; tries++)
            if (ob_fs_remove_tree(o->tmp) == 0 || errno == ENOENT)
                break;
    }
    live = NULL;
    exiting = true;
    pthread_mutex_unlock(&live_lock);
}

static void
register_handler(void)
{
    (void)atexit(remove_live_trees);
}

/*
 * Makes the folder `tmpl` (a mkdtemp() template) o's work tree, listing
 * `o`, as one step under the lock the exit handler takes: a handler that
 * runs meanwhile comes first (and then nothing is made: the process is
 * ending) or finds the folder. Returns false, errno set, when it cannot;
 * *was: the work tree it replaces.
 */
static bool
live_make(struct ob_output *o, char *tmpl, char **was)
{
    struct ob_output *p;
    bool made;

    pthread_once(&live_once, register_handler);
    pthread_mutex_lock(&live_lock);
    if (exiting)
        errno = ECANCELED;
    made = !exiting && mkdtemp(tmpl) != NULL;
    if (made) {
        *was = o->tmp;
        o->tmp = tmpl;
        for (p = live; p && p != o; p = p->next_live)
            ;
        if (!p) {
            o->next_live = live;
            live = o;
        }
    }
    pthread_mutex_unlock(&live_lock);
    return made;
}

/* rename(from, o->tmp) under the exit handler's lock (see live_make()):
 * the spare tree becomes the work tree, or stays where it was. */
static bool
live_adopt(struct ob_output *o, const char *from)
{
    bool ok;

    pthread_mutex_lock(&live_lock);
    ok = !exiting && rename(from, o->tmp) == 0;
    pthread_mutex_unlock(&live_lock);
    return ok;
}

static void
live_remove(struct ob_output *o)
{
    struct ob_output **p;

    pthread_mutex_lock(&live_lock);
    for (p = &live; *p; p = &(*p)->next_live) {
        if (*p == o) {
            *p = o->next_live;
            break;
        }
    }
    o->next_live = NULL;
    pthread_mutex_unlock(&live_lock);
}

/* o->tmp becomes `tmp`; returns what it was. */
static char *
set_tmp(struct ob_output *o, char *tmp)
{
    char *was;

    pthread_mutex_lock(&live_lock);
    was = o->tmp;
    o->tmp = tmp;
    pthread_mutex_unlock(&live_lock);
    return was;
}

static char *
path_join(const char *a, const char *b)
{
    struct ob_buf p = OB_BUF_INIT;

    ob_buf_printf(&p, "%s/%s", a, b);
    return ob_buf_detach(&p, NULL);
}

static bool
is_within(const char *inner, const char *outer)
{
    size_t n = strlen(outer);

    return strncmp(inner, outer, n) == 0 &&
           (inner[n] == '/' || inner[n] == '\0');
}

/* Refuses an OUT that would swap away the site or one of its inputs. */
static bool
out_is_safe(const char *final, const char *site_root)
{
    static const char *const inputs[] = {"content", "data", "layouts", "static",
                                         NULL};
    size_t i;

    if (is_within(site_root, final))
        return false;
    for (i = 0; inputs[i]; i++) {
        char *in = path_join(site_root, inputs[i]);
        bool inside = is_within(final, in);
        free(in);
        if (inside)
            return false;
    }
    return true;
}

/* OUT as an absolute path: its longest existing prefix resolved (so a
 * symlinked OUT keeps pointing where it did), the rest appended as written.
 * Creates nothing; NULL when the part that does not exist yet has "." or
 * ".." in it (it could not be checked safely). */
static char *
resolve_out(const char *out_path, const char *site_root)
{
    char *abs = out_path[0] == '/' ? ob_xstrdup(out_path)
                                   : path_join(site_root, out_path);
    size_t cut = strlen(abs);
    char *real = NULL, *result = NULL;

    while (cut > 1 && abs[cut - 1] == '/')
        abs[--cut] = '\0';
    for (;;) {
        char saved = abs[cut];

        abs[cut] = '\0';
        real = realpath(cut ? abs : "/", NULL);
        abs[cut] = saved;
        if (real || cut == 0)
            break;
        while (cut > 0 && abs[cut - 1] != '/')
            cut--;
        if (cut > 0)
            cut--; /* the slash before the part that does not exist */
    }
    if (real && (!abs[cut] || ob_fs_path_is_clean(abs + cut + 1)))
        result = abs[cut]
                     ? path_join(strcmp(real, "/") ? real : "", abs + cut + 1)
                     : ob_xstrdup(real);
    free(real);
    free(abs);
    return result;
}

/* ".NAME.opsbook-cache" beside OUT (resolved), whatever it holds. */
static char *
cache_path(const char *final)
{
    const char *slash = strrchr(final, '/');
    struct ob_buf dir = OB_BUF_INIT;

    ob_buf_add(&dir, final, (size_t)(slash - final));
    ob_buf_printf(&dir, "/.%s.opsbook-cache", slash + 1);
    return ob_buf_detach(&dir, NULL);
}

#define OUT_ID "out" /* the cache file naming the OUT it describes */

/* OUT's folder identity, as the cache file OUT_ID holds it. */
static bool
out_identity(const char *final, struct ob_buf *out)
{
    struct stat st;

    if (stat(final, &st) != 0 || !S_ISDIR(st.st_mode))
        return false;
    ob_buf_printf(out, "%llu %llu\n", (unsigned long long)st.st_dev,
                  (unsigned long long)st.st_ino);
    return true;
}

/*
 * Whether the cache describes the OUT there now: the folder the last
 * build swapped in, not removed or replaced since. Deleting OUT is how a
 * user asks for a clean build, and a cache that outlived its OUT would
 * otherwise make the next build an incremental one.
 */
static bool
cache_matches(const char *cache, const char *final)
{
    struct ob_buf want = OB_BUF_INIT, have = OB_BUF_INIT, path = OB_BUF_INIT;
    char chunk[128];
    bool ok = out_identity(final, &want);
    int fd;

    ob_buf_printf(&path, "%s/" OUT_ID, cache);
    fd = ok ? open(path.ptr, O_RDONLY | O_CLOEXEC) : -1;
    if (fd >= 0) {
        ssize_t n = read(fd, chunk, sizeof chunk);

        if (n > 0)
            ob_buf_add(&have, chunk, (size_t)n);
        close(fd);
    }
    ok = ok && fd >= 0 && have.len == want.len &&
         !memcmp(have.ptr, want.ptr, want.len);
    ob_buf_release(&want);
    ob_buf_release(&have);
    ob_buf_release(&path);
    return ok;
}

char *
ob_output_cache_dir(const char *out_path, const char *site_root)
{
    char *final = resolve_out(out_path, site_root);
    char *dir = final ? cache_path(final) : NULL;

    if (dir && !cache_matches(dir, final)) {
        free(dir);
        dir = NULL;
    }
    free(final);
    return dir;
}

struct ob_output_kept {
    char *name;
    char *data;
    size_t len;
    bool as_is; /* the last build's file stays: see ob_output_keep_as_is() */
    /* still being made (see ob_output_keep_later()), or NULL */
    void (*finish)(void *ctx, struct ob_buf *data);
    void *ctx;
};

static struct ob_output_kept *
add_kept(struct ob_output *o, const char *name)
{
    struct ob_output_kept *k;

    o->kept = ob_xrealloc(o->kept, (o->n_kept + 1) * sizeof(*o->kept));
    k = &o->kept[o->n_kept++];
    memset(k, 0, sizeof(*k));
    k->name = ob_xstrdup(name);
    return k;
}

void
ob_output_keep(struct ob_output *o, const char *name, struct ob_buf *data)
{
    struct ob_output_kept *k;

    if (o->discard || !o->cache) {
        ob_buf_reset(data);
        return;
    }
    k = add_kept(o, name);
    k->data = ob_buf_detach(data, &k->len);
}

void
ob_output_keep_as_is(struct ob_output *o, const char *name)
{
    if (!o->discard && o->cache)
        add_kept(o, name)->as_is = true;
}

void
ob_output_keep_later(struct ob_output *o, const char *name,
                     void (*finish)(void *ctx, struct ob_buf *data), void *ctx)
{
    struct ob_output_kept *k;

    if (o->discard || !o->cache) {
        finish(ctx, NULL);
        return;
    }
    k = add_kept(o, name);
    k->finish = finish;
    k->ctx = ctx;
}

/* The bytes of the cache files still being made, once they are. */
static void
settle_kept(struct ob_output *o)
{
    struct ob_buf data = OB_BUF_INIT;
    size_t i;

    for (i = 0; i < o->n_kept; i++) {
        struct ob_output_kept *k = &o->kept[i];

        if (!k->finish)
            continue;
        k->finish(k->ctx, &data);
        k->finish = NULL;
        k->data = ob_buf_detach(&data, &k->len);
    }
}

static void
free_kept(struct ob_output *o)
{
    size_t i;

    for (i = 0; i < o->n_kept; i++) {
        if (o->kept[i].finish)
            o->kept[i].finish(o->kept[i].ctx, NULL);
        free(o->kept[i].name);
        free(o->kept[i].data);
    }
    free(o->kept);
    o->kept = NULL;
    o->n_kept = 0;
}

/*
 * The cache's "out" file names no tree from before the swap (see
 * cache_matches()) until the files kept for the next build are written
 * and it names the new OUT, last. The last build's other files stay
 * meanwhile: what the next one keeps is most often a few bytes away from
 * them (see ob_cache_write()).
 *
 * "out" is written over, never replaced or emptied: its reader compares
 * all of it, so one half written only fails to match, and ext4 charges
 * for each inode freed (and writes a file emptied and filled again at
 * once), several times what the write costs.
 */
static void
write_out_identity(const struct ob_output *o, const char *data, size_t len)
{
    char *path = path_join(o->cache, OUT_ID);
    int fd = open(path, O_WRONLY | (data ? O_CREAT : 0) | O_CLOEXEC, 0666);
    struct stat st;
    bool ok = fd >= 0 && fstat(fd, &st) == 0;

    if (ok && !data) /* a digit no more: names no tree */
        ok = pwrite(fd, "-", 1, 0) == 1;
    else if (ok)
        ok = pwrite(fd, data, len, 0) == (ssize_t)len &&
             (st.st_size <= (off_t)len || ftruncate(fd, (off_t)len) == 0);
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    if (!ok && (fd >= 0 || errno != ENOENT))
        (void)unlink(path);
    free(path);
}

/* Whether `name` in the cache folder is a kept file or its delta. */
static bool
is_kept(const struct ob_output *o, const char *name)
{
    size_t i, len;

    for (i = 0; i < o->n_kept; i++) {
        len = strlen(o->kept[i].name);
        if (!strncmp(name, o->kept[i].name, len) &&
            (!name[len] || !strcmp(name + len, ".delta")))
            return true;
    }
    return false;
}

/* Removes the cache files this build did not keep: what the last one kept
 * and this one has no use for must not outlive it. */
static void
drop_stale_files(const struct ob_output *o)
{
    struct dirent *de;
    DIR *dh = opendir(o->cache);

    if (!dh)
        return;
    while ((de = readdir(dh))) {
        if ((de->d_type == DT_REG || de->d_type == DT_UNKNOWN) &&
            !is_kept(o, de->d_name))
            (void)unlinkat(dirfd(dh), de->d_name, 0);
    }
    closedir(dh);
}

/* Which OUT the cache files describe: the one just swapped in. */
static void
keep_out_identity(struct ob_output *o)
{
    struct ob_buf id = OB_BUF_INIT;

    if (out_identity(o->final, &id))
        ob_output_keep(o, OUT_ID, &id);
    ob_buf_release(&id);
}

/* Writes each kept file (ob_cache_write(): whole or as a delta, never
 * into a file a build that reads it meanwhile has open), the stale ones
 * gone, and "out" last. A failure only costs the next build time. */
static void
write_kept(const struct ob_output *o)
{
    const struct ob_output_kept *id = NULL;
    size_t i;

    if (!o->n_kept || (mkdir(o->cache, 0777) != 0 && errno != EEXIST))
        return;
    for (i = 0; i < o->n_kept; i++) {
        const struct ob_output_kept *k = &o->kept[i];

        if (!strcmp(k->name, OUT_ID))
            id = k;
        else if (!k->as_is)
            (void)ob_cache_write(o->cache, k->name, k->data, k->len);
    }
    drop_stale_files(o);
    if (id)
        write_out_identity(o, id->data, id->len);
}

static bool
is_mount_point(const char *path)
{
    struct stat st, parent;
    char *up = path_join(path, "..");
    bool mounted;

    mounted = stat(path, &st) == 0 && stat(up, &parent) == 0 &&
              st.st_dev != parent.st_dev;
    free(up);
    return mounted;
}

/*
 * Marks the new tree as the top of a hierarchy (ext2/3/4's "T" attribute).
 * A build usually follows the removal of the previous OUT beside it, and
 * ext4 will not reuse inodes freed in the last half minute: it searches
 * past every one of them for each new file, which made the system time of
 * a 10,000-page build several times its own. Under a top folder, ext4
 * spreads the subfolders over other block groups instead. A hint only:
 * other file systems refuse it, which changes nothing.
 */
static void
mark_top_folder(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int flags;

    if (fd < 0)
        return;
    if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0) {
        flags |= FS_TOPDIR_FL;
        (void)ioctl(fd, FS_IOC_SETFLAGS, &flags);
    }
    close(fd);
}

/* ---- the trees ---------------------------------------------------------- */

/* Whether an entry's file is still there: asked at most once a build. */
enum { UNCHECKED, THERE, GONE };

struct ob_output_trees {
    int work;                 /* the tree being made (o->tmp) */
    int out;                  /* OUT as the build found it, or -1 */
    struct ob_manifest spare; /* what the work tree held when adopted */
    struct ob_manifest old;   /* what OUT holds */
    _Atomic unsigned char *spare_state; /* per entry of `spare` */
    _Atomic unsigned char *old_state;   /* per entry of `old` */
    struct ob_manifest made;            /* this build's files, under `lock` */
    struct ob_cache_file file;  /* the manifests', their paths point in */
    struct ob_tree_guard guard; /* keeps `made` from being removed */
    struct ob_tree_snap snap;   /* the work tree as adopted */
    pthread_mutex_t lock;
    size_t kept, linked, written;
};

#define MANIFEST      "outputs"
#define MANIFEST_KIND "outputs"
#define SPARE         "tree"

static bool
same_root(const struct ob_manifest *m, int fd)
{
    struct stat st;

    return fd >= 0 && fstat(fd, &st) == 0 && m->ino &&
           (uint64_t)st.st_dev == m->dev && (uint64_t)st.st_ino == m->ino;
}

/* The manifests of OUT and of the spare, as the last commit wrote them. */
static void
load_manifests(const struct ob_output *o, struct ob_output_trees *t)
{
    struct ob_cache_reader r;

    if (ob_cache_open(&r, &t->file, o->cache, MANIFEST, MANIFEST_KIND) &&
        ob_manifest_load(&t->old, &r) && ob_manifest_load(&t->spare, &r) &&
        ob_cache_done(&r))
        return;
    ob_manifest_clear(&t->old);
    ob_manifest_clear(&t->spare);
}

/* A new empty folder at o->tmp, in place of what is there. */
static int
fresh_work_tree(struct ob_output *o)
{
    char *spare = o->tmp;
    size_t len = strlen(spare);
    char *fresh = ob_xstrdup(spare);

    /* the same name pattern, a new folder */
    memcpy(fresh + len - 6, "XXXXXX", 6);
    if (!live_make(o, fresh, &spare)) {
        int err = errno;
        free(fresh);
        return err;
    }
    (void)ob_fs_remove_tree(spare);
    free(spare);
    return 0;
}

static bool made_here(void *ctx, const char *path, bool folder);

/* Loads the manifests, opens OUT and makes the cache's spare tree (if
 * any) the work tree at o->tmp. Returns 0 or an errno value. */
static int
open_trees(struct ob_output *o)
{
    struct ob_output_trees *t = ob_xcalloc(1, sizeof(*t));
    char *spare = o->cache ? path_join(o->cache, SPARE) : NULL;
    bool adopted;

    o->trees = t;
    ob_manifest_init(&t->spare);
    ob_manifest_init(&t->old);
    ob_manifest_init(&t->made);
    t->file = (struct ob_cache_file)OB_CACHE_FILE_INIT;
    ob_tree_snap_init(&t->snap);
    pthread_mutex_init(&t->lock, NULL);
    t->guard.owns = made_here;
    t->guard.ctx = t;
    t->work = t->out = -1;
    load_manifests(o, t);
    /* clearing a manifest later only makes it shorter */
    t->spare_state = ob_xcalloc(t->spare.n + 1, sizeof(*t->spare_state));
    t->old_state = ob_xcalloc(t->old.n + 1, sizeof(*t->old_state));
    ob_manifest_reserve(&t->made,
                        t->old.n > t->spare.n ? t->old.n : t->spare.n);
    t->out = open(o->final, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (!same_root(&t->old, t->out))
        ob_manifest_clear(&t->old);
    /* an empty folder is replaced by a rename of a folder over it */
    adopted = spare && live_adopt(o, spare);
    free(spare);
    t->work = open(o->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (t->work < 0)
        return errno;
    if (!adopted || !same_root(&t->spare, t->work))
        ob_manifest_clear(&t->spare);
    /* The spare is OUT of two builds ago, as whoever had it left it: a
     * symlink in it would lead writes out of the tree. */
    if (adopted &&
        ob_tree_walk(t->work, OB_WALK_SANITIZE, NULL, &t->snap) != 0) {
        int err;

        ob_tree_snap_release(&t->snap);
        ob_tree_snap_init(&t->snap);
        close(t->work);
        t->work = -1;
        ob_manifest_clear(&t->spare);
        err = fresh_work_tree(o);
        if (err)
            return err;
        t->work = open(o->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (t->work < 0)
            return errno;
    }
    return 0;
}

static void
close_trees(struct ob_output *o)
{
    struct ob_output_trees *t = o->trees;

    if (!t)
        return;
    if (t->work >= 0)
        close(t->work);
    if (t->out >= 0)
        close(t->out);
    ob_manifest_release(&t->spare);
    ob_manifest_release(&t->old);
    ob_manifest_release(&t->made);
    ob_cache_file_release(&t->file);
    ob_tree_snap_release(&t->snap);
    free(t->spare_state);
    free(t->old_state);
    pthread_mutex_destroy(&t->lock);
    free(t);
    o->trees = NULL;
}

enum ob_err
ob_output_begin(struct ob_output *o, struct ob_diag *d, const char *out_path,
                const char *site_root)
{
    struct ob_pos none = {NULL, 0, 0};
    struct stat st;
    char *slash, *name, *was;
    struct ob_buf tmp = OB_BUF_INIT;
    mode_t mask;
    int err;

    memset(o, 0, sizeof(*o));
    o->final = resolve_out(out_path, site_root);
    if (!o->final) {
        ob_diag_error(d, &none,
                      "cannot place the output folder '%s': the part of it "
                      "that does not exist yet holds '.' or '..'",
                      out_path);
        return OB_ERR_USAGE;
    }
    if (!out_is_safe(o->final, site_root)) {
        ob_diag_error(d, &none,
                      "the output folder '%s' would replace the site or "
                      "its inputs",
                      out_path);
        goto usage;
    }
    if (stat(o->final, &st) == 0 && !S_ISDIR(st.st_mode)) {
        ob_diag_error(d, &none, "'%s' exists and is not a folder", out_path);
        free(o->final);
        o->final = NULL;
        return OB_ERR_ENV;
    }
    o->in_place = is_mount_point(o->final);
    if (ob_fs_make_parents(o->final) != 0) {
        ob_diag_error(d, &none, "cannot create the output folder '%s': %s",
                      out_path, strerror(errno));
        free(o->final);
        o->final = NULL;
        return OB_ERR_ENV;
    }
    slash = strrchr(o->final, '/');
    ob_buf_add(&tmp, o->final, (size_t)(slash - o->final));
    ob_buf_printf(&tmp, "/.%s.tmp-XXXXXX", slash + 1);
    name = ob_buf_detach(&tmp, NULL);
    if (!live_make(o, name, &was)) {
        ob_diag_error(d, &none, "cannot create a folder beside '%s': %s",
                      out_path, strerror(errno));
        free(name);
        free(o->final);
        o->final = NULL;
        return OB_ERR_ENV;
    }
    o->cache = cache_path(o->final);
    if (!cache_matches(o->cache, o->final))
        (void)ob_fs_remove_tree(o->cache); /* it describes nothing now */
    err = open_trees(o);
    if (err) {
        ob_diag_error(d, &none, "cannot create a folder beside '%s': %s",
                      out_path, strerror(err));
        ob_output_abort(o);
        return OB_ERR_ENV;
    }
    /* mkdtemp() makes the folder private; OUT should be like any folder. */
    mask = umask(022);
    umask(mask);
    chmod(o->tmp, 0777 & ~mask);
    mark_top_folder(o->tmp);
    return OB_OK;
usage:
    free(o->final);
    o->final = NULL;
    return OB_ERR_USAGE;
}

static enum ob_err
write_error(struct ob_diag *d, const char *relpath, int err)
{
    struct ob_pos none = {NULL, 0, 0};

    ob_diag_error(d, &none, "cannot write '%s': %s", relpath, strerror(err));
    return OB_ERR_ENV;
}

void
ob_output_discard(struct ob_output *o)
{
    memset(o, 0, sizeof(*o));
    o->discard = true;
}

/* ---- placing files ------------------------------------------------------ */

/* The guard of the work tree: what this build made there stays. */
static bool
made_here(void *ctx, const char *path, bool folder)
{
    struct ob_output_trees *t = ctx;
    size_t len = strlen(path), i;
    bool mine;

    pthread_mutex_lock(&t->lock);
    mine = !folder && ob_manifest_find(&t->made, path);
    for (i = 0; folder && !mine && i < t->made.n; i++)
        mine = !strncmp(t->made.e[i].path, path, len) &&
               t->made.e[i].path[len] == '/';
    pthread_mutex_unlock(&t->lock);
    return mine;
}

/* Records a file of the new tree; `borrowed`: `e` is an entry of the
 * spare's or OUT's manifest, whose path it keeps. */
static void
record(struct ob_output_trees *t, const struct ob_entry *e, size_t *count,
       bool borrowed)
{
    pthread_mutex_lock(&t->lock);
    if (borrowed)
        ob_manifest_put_borrowed(&t->made, e);
    else
        ob_manifest_put(&t->made, e);
    ++*count;
    pthread_mutex_unlock(&t->lock);
}

/* Whether the file of `e` (from manifest `m`) is still in the tree at
 * `dfd` as the manifest says; fills `st`. */
static bool
still_there(int dfd, const struct ob_manifest *m, const struct ob_entry *e,
            struct stat *st)
{
    return e && dfd >= 0 &&
           fstatat(dfd, e->path, st, AT_SYMLINK_NOFOLLOW) == 0 &&
           ob_entry_matches(m, e, st);
}

/* still_there(), asked once per entry and build: what ob_output_reusable()
 * found, ob_output_reuse() need not stat again. The spare's answer turns
 * GONE when the build removes the file (work_remove()); OUT's never
 * changes during a build. The opener checks the spare's files while the
 * pages ask too: the first answer stays, and one the opener worked out
 * before the build removed the file cannot overwrite the GONE. */
static bool
there(int dfd, const struct ob_manifest *m, _Atomic unsigned char *states,
      const struct ob_entry *e)
{
    _Atomic unsigned char *state;
    unsigned char known, found;
    struct stat st;

    if (!e)
        return false;
    state = &states[e - m->e];
    known = atomic_load_explicit(state, memory_order_relaxed);
    if (known == UNCHECKED) {
        found = still_there(dfd, m, e, &st) ? THERE : GONE;
        if (atomic_compare_exchange_strong_explicit(state, &known, found,
                                                    memory_order_relaxed,
                                                    memory_order_relaxed))
            known = found;
    }
    return known == THERE;
}

static bool
in_spare(struct ob_output_trees *t, const struct ob_entry *e)
{
    return there(t->work, &t->spare, t->spare_state, e);
}

static bool
in_out(struct ob_output_trees *t, const struct ob_entry *e)
{
    return there(t->out, &t->old, t->old_state, e);
}

/* Removes what the work tree holds at `rel` (a file, or a folder). */
static int
work_remove(struct ob_output_trees *t, const char *rel)
{
    const struct ob_entry *s = ob_manifest_find(&t->spare, rel);

    ob_tree_snap_touch(&t->snap, rel);
    if (s)
        atomic_store_explicit(&t->spare_state[s - t->spare.e], GONE,
                              memory_order_relaxed);
    return ob_tree_remove(t->work, rel, &t->guard);
}

/* Makes the work tree's folders on the way to `rel`. */
static int
work_make_parents(struct ob_output_trees *t, const char *rel)
{
    ob_tree_snap_touch_parents(&t->snap, rel);
    return ob_tree_make_parents(t->work, rel, &t->guard);
}

/* Removes `rel` in the tree at `dfd`: the work tree's (t) or OUT's. */
static int
remove_at(struct ob_output_trees *t, int dfd, const char *rel)
{
    return t ? work_remove(t, rel) : ob_tree_remove(dfd, rel, NULL);
}

/* A new file at `rel` in the tree at `dfd` (the work tree when `t` is
 * given): whatever is there goes first (`present`: something is, most
 * likely), folders are made. Never opens an existing file, which may be
 * shared with OUT. */
static int
create_new_step(struct ob_output_trees *t, int dfd, const char *rel,
                bool present)
{
    int tries, fd, err;

    if (t)
        ob_tree_snap_touch(&t->snap, rel);
    if (present) {
        err = remove_at(t, dfd, rel);
        if (err) {
            errno = err;
            return -1;
        }
    }
    for (tries = 0;; tries++) {
        fd = openat(dfd, rel,
                    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd >= 0 || tries == 3 ||
            (errno != EEXIST && errno != ENOENT && errno != ENOTDIR))
            return fd;
        err = errno == EEXIST ? remove_at(t, dfd, rel)
              : t             ? work_make_parents(t, rel)
                              : ob_tree_make_parents(dfd, rel, NULL);
        if (err) {
            errno = err;
            return -1;
        }
    }
}

static int
create_new(struct ob_output_trees *t, int dfd, const char *rel, bool present)
{
    int fd;

    if (!step_in())
        return -1;
    fd = create_new_step(t, dfd, rel, present);
    step_out();
    return fd;
}

/* A hard link in the work tree to OUT's file at `rel`: 0 or an errno
 * value (EXDEV, EPERM, EMLINK: the caller writes the bytes instead). */
static int
link_step(struct ob_output_trees *t, const char *rel, bool present)
{
    int tries, err;

    ob_tree_snap_touch(&t->snap, rel);
    if (present) {
        err = work_remove(t, rel);
        if (err)
            return err;
    }
    for (tries = 0;; tries++) {
        if (linkat(t->out, rel, t->work, rel, 0) == 0)
            return 0;
        err = errno;
        if (tries == 3 || (err != EEXIST && err != ENOENT && err != ENOTDIR))
            return err;
        err = err == EEXIST ? work_remove(t, rel) : work_make_parents(t, rel);
        if (err)
            return err;
    }
}

static int
link_from_out(struct ob_output_trees *t, const char *rel, bool present)
{
    int err;

    if (!step_in())
        return ECANCELED;
    err = link_step(t, rel, present);
    step_out();
    return err;
}

/* What a file must hold to be reused. */
struct wanted {
    uint64_t hash, size;          /* with OB_ENTRY_HASHED */
    const struct ob_file_id *src; /* else: copied from this site file */
};

static bool
is_wanted(const struct ob_entry *e, const struct wanted *w)
{
    const struct ob_file_id *a, *b = w->src;

    if (!e)
        return false;
    a = &e->src;
    if (!b)
        return (e->flags & OB_ENTRY_HASHED) && e->hash == w->hash &&
               e->size == w->size;
    return (e->flags & OB_ENTRY_COPY) && (e->flags & OB_ENTRY_HASHED) &&
           a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime == b->mtime && a->ctime == b->ctime;
}

/* What the spare (s) and OUT (p) have at a path, by their manifests. */
struct known {
    const struct ob_entry *s, *p;
};

static struct known
look_up(struct ob_output_trees *t, const char *relpath)
{
    uint64_t key = ob_manifest_key(relpath);
    struct known k;

    k.s = ob_manifest_find_key(&t->spare, relpath, key);
    k.p = ob_manifest_find_key(&t->old, relpath, key);
    return k;
}

/* Puts the spare's or OUT's file at `relpath` (`k`) in the new tree when
 * it holds what `w` says, and records it. False when neither does (or the
 * link failed): the caller writes the file. */
static bool
place_known(struct ob_output_trees *t, const char *relpath, struct known k,
            const struct wanted *w, uint32_t drop_flags)
{
    const struct ob_entry *s = k.s, *p = k.p;
    struct ob_entry e;

    if (is_wanted(s, w) && in_spare(t, s)) {
        e = *s;
        e.flags &= ~drop_flags;
        record(t, &e, &t->kept, true);
        return true;
    }
    if (is_wanted(p, w) && in_out(t, p) &&
        link_from_out(t, relpath, s != NULL) == 0) {
        e = *p;
        e.flags &= ~drop_flags;
        record(t, &e, &t->linked, true);
        return true;
    }
    return false;
}

/* Writes len bytes of data as a new file at `relpath`. */
static int
write_new(struct ob_output_trees *t, const char *relpath, bool present,
          const char *data, size_t len, struct stat *st)
{
    int fd = create_new(t, t->work, relpath, present), err = 0;

    if (fd < 0)
        return errno;
    if (!ob_fs_write_all(fd, data, len) || fstat(fd, st) != 0)
        err = errno;
    if (close(fd) != 0 && !err)
        err = errno;
    return err;
}

enum ob_err
ob_output_write(struct ob_output *o, struct ob_diag *d, const char *relpath,
                const void *data, size_t len)
{
    if (o->discard)
        return OB_OK;
    return ob_output_write_hashed(o, d, relpath, data, len, ob_hash(data, len));
}

enum ob_err
ob_output_write_hashed(struct ob_output *o, struct ob_diag *d,
                       const char *relpath, const void *data, size_t len,
                       uint64_t hash)
{
    struct ob_output_trees *t = o->trees;
    struct wanted w = {hash, len, NULL};
    struct ob_entry e;
    struct known k;
    struct stat st;
    int err;

    if (o->discard)
        return OB_OK;
    k = look_up(t, relpath);
    if (place_known(t, relpath, k, &w, OB_ENTRY_COPY))
        return OB_OK;
    err = write_new(t, relpath, k.s != NULL, data, len, &st);
    if (err)
        return write_error(d, relpath, err);
    memset(&e, 0, sizeof e);
    e.path = relpath;
    e.flags = OB_ENTRY_HASHED;
    e.hash = w.hash;
    ob_entry_set_stat(&e, &st);
    record(t, &e, &t->written, false);
    return OB_OK;
}

/* Copies what is left to read of `in` to `out` (hashing it into `h`,
 * unless NULL) and closes `out`; fills `st` with its identity. 0 or an
 * errno value. */
static int
copy_fd(int in, int out, struct ob_hasher *h, struct stat *st)
{
    char chunk[65536];
    ssize_t n;
    int err = 0;

    for (;;) {
        n = read(in, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            err = n < 0 ? errno : 0;
            break;
        }
        if (h)
            ob_hasher_add(h, chunk, (size_t)n);
        if (!ob_fs_write_all(out, chunk, (size_t)n)) {
            err = errno;
            break;
        }
    }
    if (!err && fstat(out, st) != 0)
        err = errno;
    if (close(out) != 0 && !err)
        err = errno;
    return err;
}

/* Copies what `in` holds into a new file at `relpath` in the work tree,
 * hashing it; fills `e` (hash, identity). 0 or an errno value. */
static int
copy_new(struct ob_output_trees *t, const char *relpath, bool present, int in,
         struct ob_entry *e)
{
    int out = create_new(t, t->work, relpath, present), err;
    struct ob_hasher h;
    struct stat st;

    if (out < 0)
        return errno;
    ob_hasher_init(&h);
    err = copy_fd(in, out, &h, &st);
    e->hash = ob_hasher_finish(&h);
    if (!err)
        ob_entry_set_stat(e, &st);
    return err;
}

enum ob_err
ob_output_copy(struct ob_output *o, struct ob_diag *d, const char *relpath,
               const char *src)
{
    struct ob_output_trees *t = o->trees;
    struct ob_file_id id;
    struct wanted w = {0, 0, &id};
    struct ob_entry e;
    struct known k;
    struct stat st;
    int in, err;

    if (o->discard)
        return OB_OK;
    in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0 || fstat(in, &st) != 0) {
        err = errno;
        if (in >= 0)
            close(in);
        return write_error(d, relpath, err);
    }
    ob_file_id_of(&id, &st);
    k = look_up(t, relpath);
    if (place_known(t, relpath, k, &w, 0)) {
        close(in);
        return OB_OK;
    }
    memset(&e, 0, sizeof e);
    e.path = relpath;
    e.flags = OB_ENTRY_HASHED | OB_ENTRY_COPY;
    e.src = id;
    err = copy_new(t, relpath, k.s != NULL, in, &e);
    close(in);
    if (err)
        return write_error(d, relpath, err);
    record(t, &e, &t->written, false);
    return OB_OK;
}

/* The file ob_output_reuse() puts: OUT's (from the spare when it holds
 * the same bytes), else the spare's. */
static const struct ob_entry *
reused_entry(struct known k)
{
    if (k.p)
        return k.p->flags & OB_ENTRY_HASHED ? k.p : NULL;
    return k.s && (k.s->flags & OB_ENTRY_HASHED) ? k.s : NULL;
}

/* From the last file back: the pages ask about theirs in about the
 * manifest's order, so the two meet once, where this thread stops finding
 * files unchecked. Walking the same way, they kept overtaking each other
 * and both stat'ed the same file (800 of 2,000 at bench medium). */
void
ob_output_check_spare(struct ob_output *o)
{
    struct ob_output_trees *t = o->trees;
    size_t i;

    for (i = t && !o->discard ? t->spare.n : 0; i > 0; i--)
        (void)in_spare(t, &t->spare.e[i - 1]);
}

bool
ob_output_reusable(struct ob_output *o, const char *relpath, uint64_t hash)
{
    struct ob_output_trees *t = o->trees;
    const struct ob_entry *e;
    struct wanted w;
    struct known k;

    if (o->discard)
        return false;
    k = look_up(t, relpath);
    e = reused_entry(k);
    if (!e || e->hash != hash)
        return false;
    w = (struct wanted){e->hash, e->size, NULL};
    /* the spare first: its file is then kept, OUT's not even looked at */
    return (is_wanted(k.s, &w) && in_spare(t, k.s)) ||
           (e == k.p && in_out(t, e));
}

enum ob_err
ob_output_reuse(struct ob_output *o, struct ob_diag *d, const char *relpath)
{
    struct ob_output_trees *t = o->trees;
    struct ob_pos none = {NULL, 0, 0};
    const struct ob_entry *had;
    struct wanted w;
    struct ob_entry e;
    struct known k;
    int in, err;

    if (o->discard)
        return OB_OK;
    k = look_up(t, relpath);
    had = reused_entry(k);
    if (had) {
        w = (struct wanted){had->hash, had->size, NULL};
        if (place_known(t, relpath, k, &w, OB_ENTRY_COPY))
            return OB_OK;
    }
    if (!had || had != k.p || !in_out(t, had)) {
        ob_diag_error(d, &none,
                      "cannot reuse '%s': the previous output no longer "
                      "holds it",
                      relpath);
        return OB_ERR_ENV;
    }
    /* OUT is elsewhere (a mount point): its bytes, then */
    e = *had;
    e.flags = OB_ENTRY_HASHED;
    in = openat(t->out, relpath, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    err = in < 0 ? errno : copy_new(t, relpath, k.s != NULL, in, &e);
    if (in >= 0)
        close(in);
    if (!err && e.hash != had->hash)
        err = ESTALE; /* changed since it was checked */
    if (err)
        return write_error(d, relpath, err);
    record(t, &e, &t->written, false);
    return OB_OK;
}

const char *
ob_output_claim(struct ob_output *o, struct ob_diag *d, const char *relpath,
                struct ob_arena *a)
{
    struct ob_output_trees *t = o->trees;
    struct ob_entry e;
    int err;

    if (o->discard) {
        write_error(d, relpath, EROFS);
        return NULL;
    }
    if (!step_in())
        err = ECANCELED;
    else {
        err = work_remove(t, relpath); /* touches its folder too */
        if (!err)
            err = work_make_parents(t, relpath);
        step_out();
    }
    if (err) {
        write_error(d, relpath, err);
        return NULL;
    }
    memset(&e, 0, sizeof e);
    e.path = relpath;
    record(t, &e, &t->written, false);
    return ob_arena_printf(a, "%s/%s", o->tmp, relpath);
}

enum ob_err
ob_output_claimed(struct ob_output *o, struct ob_diag *d, const char *relpath,
                  const uint64_t *hash)
{
    struct ob_output_trees *t = o->trees;
    struct ob_entry e;
    struct stat st;
    int fd, err = 0;

    if (o->discard)
        return OB_OK;
    memset(&e, 0, sizeof e);
    e.path = relpath;
    e.flags = OB_ENTRY_HASHED;
    fd = openat(t->work, relpath, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0)
        err = errno;
    else if (hash)
        e.hash = *hash;
    else if (!ob_hash_fd(fd, &e.hash))
        err = errno;
    if (fd >= 0)
        close(fd);
    if (err)
        return write_error(d, relpath, err);
    ob_entry_set_stat(&e, &st);
    record(t, &e, &t->written, false);
    return OB_OK;
}

bool
ob_output_unchanged(struct ob_output *o, const char *relpath)
{
    const struct ob_entry *e;

    if (o->discard)
        return false;
    e = ob_manifest_find(&o->trees->old, relpath);
    return e && (e->flags & OB_ENTRY_HASHED) &&
           ob_output_reusable(o, relpath, e->hash);
}

/* ---- commit ---------------------------------------------------------------
 */

static void
output_free(struct ob_output *o)
{
    ob_oom_outcome(OB_ERR_ENV, NULL);
    live_remove(o);
    close_trees(o);
    free_kept(o);
    free(o->final);
    free(o->tmp);
    free(o->cache);
    memset(o, 0, sizeof(*o));
}

void
ob_output_abort(struct ob_output *o)
{
    /* The manifest still tells the truth about OUT, and the spare it
     * names is gone with the work tree: a later tree there is a commit's,
     * which writes the manifest anew. */
    if (o->tmp)
        ob_fs_remove_tree(o->tmp);
    output_free(o);
}

void
ob_output_cancel(struct ob_output *o)
{
    struct ob_output_trees *t = o->trees;
    char *spare;

    /* The work tree is the spare as it was adopted (opening it only took
     * away what could not stay, which its manifest's identities tell):
     * given back, the next build still finds it. */
    if (!t || !t->spare.ino || !o->cache) {
        ob_output_abort(o);
        return;
    }
    spare = path_join(o->cache, SPARE);
    if (rename(o->tmp, spare) == 0)
        free(set_tmp(o, NULL));
    free(spare);
    ob_output_abort(o);
}

/* OUT's file for `e` (from this build's tree), written beside it and
 * renamed over it (readers never see half a file), unless OUT has it. */
static int
sync_file(struct ob_output_trees *t, int outfd, const struct ob_entry *e,
          struct ob_manifest *now)
{
    const struct ob_entry *p = ob_manifest_find(&t->old, e->path);
    const char *slash = strrchr(e->path, '/');
    struct ob_buf part = OB_BUF_INIT;
    struct ob_entry rec = *e;
    struct stat st;
    int in, out = -1, err = 0, tries;

    if ((e->flags & OB_ENTRY_HASHED) && p && (p->flags & OB_ENTRY_HASHED) &&
        p->hash == e->hash && p->size == e->size &&
        still_there(outfd, &t->old, p, &st)) {
        ob_entry_set_stat(&rec, &st);
        ob_manifest_put(now, &rec);
        return 0;
    }
    in = openat(t->work, e->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0)
        return errno == ENOENT && !(e->flags & OB_ENTRY_HASHED) ? 0 : errno;
    if (slash)
        ob_buf_add(&part, e->path, (size_t)(slash - e->path) + 1);
    ob_buf_puts(&part, ".opsbook-part");
    out = create_new(NULL, outfd, part.ptr, true);
    err = out < 0 ? errno : copy_fd(in, out, NULL, &st);
    for (tries = 0; !err; tries++) {
        if (renameat(outfd, part.ptr, outfd, e->path) == 0)
            break;
        err = errno;
        if (tries == 1 || (err != EISDIR && err != ENOTEMPTY && err != EEXIST))
            break;
        err = ob_tree_remove(outfd, e->path, NULL);
    }
    if (err && out >= 0)
        unlinkat(outfd, part.ptr, 0);
    close(in);
    ob_buf_release(&part);
    if (!err) {
        ob_entry_set_stat(&rec, &st);
        ob_manifest_put(now, &rec);
    }
    return err;
}

/* OUT cannot be renamed: its files are replaced one by one, changed and
 * new ones first, stale ones last. `now` gets what OUT holds then. */
static enum ob_err
commit_in_place(struct ob_output *o, struct ob_diag *d, struct ob_manifest *now)
{
    struct ob_output_trees *t = o->trees;
    int outfd = t->out, err;
    size_t i;

    if (!o->quiet)
        fprintf(stderr,
                "opsbook: note: '%s' is a mount point and cannot be "
                "swapped; replacing the files inside it\n",
                o->final);
    if (outfd < 0)
        return write_error(d, o->final, ENOENT);
    err = ob_tree_walk(outfd, OB_WALK_SANITIZE, NULL, NULL);
    for (i = 0; !err && i < t->made.n; i++)
        err = sync_file(t, outfd, &t->made.e[i], now);
    if (!err)
        err = ob_tree_walk(outfd, OB_WALK_PRUNE, &t->made, NULL);
    if (err)
        return write_error(d, o->final, err);
    return OB_OK;
}

/* Swaps the new tree in. Afterwards o->tmp is the old tree (NULL when
 * there was none). */
static enum ob_err
commit_swap(struct ob_output *o, struct ob_diag *d, struct ob_manifest *now)
{
    struct stat st;
    struct ob_buf old = OB_BUF_INIT;
    int err;

    if (lstat(o->final, &st) != 0) {
        if (rename(o->tmp, o->final) != 0)
            return write_error(d, o->final, errno);
        free(set_tmp(o, NULL));
        return OB_OK;
    }
    if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->final, RENAME_EXCHANGE) == 0)
        return OB_OK; /* o->tmp now holds the old tree */
    err = errno;
    if (err == EBUSY || err == EXDEV) {
        o->in_place = true;
        return commit_in_place(o, d, now);
    }
    if (err != EINVAL && err != ENOSYS)
        return write_error(d, o->final, err);
    /* No atomic exchange on this file system: two renames instead. */
    ob_buf_printf(&old, "%s.old", o->tmp);
    if (rename(o->final, old.ptr) != 0) {
        err = errno;
        ob_buf_release(&old);
        return write_error(d, o->final, err);
    }
    if (rename(o->tmp, o->final) != 0) {
        err = errno;
        rename(old.ptr, o->final);
        ob_buf_release(&old);
        return write_error(d, o->final, err);
    }
    free(set_tmp(o, ob_buf_detach(&old, NULL)));
    return OB_OK;
}

/* Moves o->tmp into the cache as the next build's spare; true when it
 * is there (o->tmp is then NULL). */
static bool
keep_spare(struct ob_output *o, struct stat *st)
{
    char *spare = path_join(o->cache, SPARE);
    bool kept;

    if (mkdir(o->cache, 0777) != 0 && errno != EEXIST) {
        free(spare);
        return false;
    }
    kept = rename(o->tmp, spare) == 0;
    if (!kept && (errno == EEXIST || errno == ENOTEMPTY || errno == ENOTDIR ||
                  errno == EISDIR)) {
        /* a spare the last build could not take */
        (void)ob_fs_remove_tree(spare);
        kept = rename(o->tmp, spare) == 0;
    }
    kept = kept && lstat(spare, st) == 0;
    free(spare);
    if (kept)
        free(set_tmp(o, NULL));
    return kept;
}

/* Keeps the old tree (or, in place, the work tree) as the spare and
 * queues the manifest of OUT and of the spare. */
static void
keep_trees(struct ob_output *o, struct ob_manifest *in_place)
{
    struct ob_output_trees *t = o->trees;
    struct ob_manifest none, *out, *spare;
    struct ob_buf file = OB_BUF_INIT;
    struct stat st;

    ob_manifest_init(&none);
    out = o->in_place ? in_place : &t->made;
    spare = o->in_place ? &t->made : &t->old;
    if (!o->tmp || !o->cache || !keep_spare(o, &st) ||
        (uint64_t)st.st_dev != spare->dev || (uint64_t)st.st_ino != spare->ino)
        spare = &none;
    if (o->cache) {
        ob_cache_begin(&file, MANIFEST_KIND);
        ob_manifest_save(out, &file);
        ob_manifest_save(spare, &file);
        ob_output_keep(o, MANIFEST, &file);
    }
    ob_buf_release(&file);
    ob_manifest_release(&none);
}

/* The root folder's identity, for the manifest of the tree it holds. */
static int
set_root(struct ob_manifest *m, int fd)
{
    struct stat st;

    if (fd < 0 || fstat(fd, &st) != 0)
        return fd < 0 ? ENOENT : errno;
    m->dev = (uint64_t)st.st_dev;
    m->ino = (uint64_t)st.st_ino;
    return 0;
}

enum ob_err
ob_output_commit(struct ob_output *o, struct ob_diag *d)
{
    struct ob_output_trees *t = o->trees;
    struct ob_manifest in_place;
    enum ob_err err = OB_OK;
    int e;

    if (o->discard) {
        output_free(o);
        return OB_OK;
    }
    ob_manifest_init(&in_place);
    /* what this build did not make goes: OUT is then a clean build's */
    e = ob_tree_walk(t->work, OB_WALK_PRUNE, &t->made, &t->snap);
    if (!e)
        e = set_root(&t->made, t->work);
    if (e)
        err = write_error(d, o->final, e);
    if (!err) {
        if (o->cache)
            write_out_identity(o, NULL, 0);
        if (o->in_place)
            err = commit_in_place(o, d, &in_place);
        else
            err = commit_swap(o, d, &in_place);
    }
    /* The new OUT is in place: the build has done its work. Running out
     * of memory while keeping the cache costs the next build time only
     * (the old tree, o->tmp, goes with the exit; a cache without its
     * "out" file describes nothing). */
    if (!err && !o->in_place)
        ob_oom_outcome(OB_OK, "opsbook: warning: out of memory once the "
                              "new output was in place; the cache for the "
                              "next build is not kept\n");
    if (!err && o->in_place)
        (void)set_root(&in_place, t->out);
    if (!err)
        keep_trees(o, &in_place);
    if (!err)
        keep_out_identity(o);
    if (!err) {
        settle_kept(o);
        write_kept(o);
    }
    if (!err && o->verbose)
        fprintf(stderr, "opsbook: files    %zu kept, %zu linked, %zu written\n",
                t->kept, t->linked, t->written);
    if (o->tmp)
        ob_fs_remove_tree(o->tmp);
    ob_manifest_release(&in_place);
    output_free(o);
    return err;
}
