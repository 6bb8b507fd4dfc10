/* output.c: build OUT beside itself, then swap it in with one rename. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* renameat2() */
#include "opsbook/output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opsbook/buf.h"
#include "opsbook/fs.h"
#include "opsbook/mem.h"

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

static enum ob_err write_all(int fd, const char *data, size_t len);

char *
ob_output_cache_dir(const char *out_path, const char *site_root)
{
    char *final = resolve_out(out_path, site_root);
    const char *slash;
    struct ob_buf dir = OB_BUF_INIT;

    if (!final)
        return NULL;
    slash = strrchr(final, '/');
    ob_buf_add(&dir, final, (size_t)(slash - final));
    ob_buf_printf(&dir, "/.%s.opsbook-cache", slash + 1);
    free(final);
    return ob_buf_detach(&dir, NULL);
}

struct ob_output_kept {
    char *name;
    char *data;
    size_t len;
};

void
ob_output_keep(struct ob_output *o, const char *name, struct ob_buf *data)
{
    struct ob_output_kept *k;

    if (o->discard || !o->cache) {
        ob_buf_reset(data);
        return;
    }
    o->kept = ob_xrealloc(o->kept, (o->n_kept + 1) * sizeof(*o->kept));
    k = &o->kept[o->n_kept++];
    k->name = ob_xstrdup(name);
    k->data = ob_buf_detach(data, &k->len);
}

static void
free_kept(struct ob_output *o)
{
    size_t i;

    for (i = 0; i < o->n_kept; i++) {
        free(o->kept[i].name);
        free(o->kept[i].data);
    }
    free(o->kept);
    o->kept = NULL;
    o->n_kept = 0;
}

/* The cache files of the old OUT go before the swap: from then on no
 * cache describes the wrong tree. */
static void
drop_cache_files(const struct ob_output *o)
{
    struct dirent *de;
    DIR *dh = o->cache ? opendir(o->cache) : NULL;

    if (!dh)
        return;
    while ((de = readdir(dh))) {
        if (de->d_type == DT_REG || de->d_type == DT_UNKNOWN)
            (void)unlinkat(dirfd(dh), de->d_name, 0);
    }
    closedir(dh);
}

/* Writes each kept file beside its final name and renames it in: a cache
 * file is whole or missing. A failure only costs the next build time. */
static void
write_kept(const struct ob_output *o)
{
    size_t i;

    if (!o->n_kept || (mkdir(o->cache, 0777) != 0 && errno != EEXIST))
        return;
    for (i = 0; i < o->n_kept; i++) {
        char *path = path_join(o->cache, o->kept[i].name);
        char *part = path_join(o->cache, ".part");
        int fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        bool ok = fd >= 0;

        if (ok) {
            ok = write_all(fd, o->kept[i].data, o->kept[i].len) == OB_OK;
            ok = close(fd) == 0 && ok;
        }
        if (!ok || rename(part, path) != 0)
            (void)unlink(part);
        free(part);
        free(path);
    }
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

enum ob_err
ob_output_begin(struct ob_output *o, struct ob_diag *d, const char *out_path,
                const char *site_root)
{
    struct ob_pos none = {NULL, 0, 0};
    struct stat st;
    char *slash;
    struct ob_buf tmp = OB_BUF_INIT;
    mode_t mask;

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
    o->tmp = ob_buf_detach(&tmp, NULL);
    if (!mkdtemp(o->tmp)) {
        ob_diag_error(d, &none, "cannot create a folder beside '%s': %s",
                      out_path, strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        free(o->final);
        o->final = NULL;
        return OB_ERR_ENV;
    }
    /* mkdtemp() makes the folder private; OUT should be like any folder. */
    mask = umask(022);
    umask(mask);
    chmod(o->tmp, 0777 & ~mask);
    mark_top_folder(o->tmp);
    o->cache = ob_output_cache_dir(out_path, site_root);
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

static enum ob_err
write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return OB_ERR_ENV;
        data += n;
        len -= (size_t)n;
    }
    return OB_OK;
}

static int
create_file(const char *path)
{
    return open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
}

void
ob_output_discard(struct ob_output *o)
{
    memset(o, 0, sizeof(*o));
    o->discard = true;
}

enum ob_err
ob_output_write(struct ob_output *o, struct ob_diag *d, const char *relpath,
                const void *data, size_t len)
{
    char *path;
    enum ob_err err = OB_OK;
    int fd, saved;

    if (o->discard)
        return OB_OK;
    path = path_join(o->tmp, relpath);
    /* Most files go into folders made already: try first, and make the
     * parents only when one is missing (a mkdir per path part per file is
     * most of the system time of a large site). */
    fd = create_file(path);
    if (fd < 0 && errno == ENOENT) {
        if (ob_fs_make_parents(path) != 0) {
            saved = errno;
            goto fail;
        }
        fd = create_file(path);
    }
    if (fd < 0) {
        saved = errno;
        goto fail;
    }
    err = write_all(fd, data, len);
    saved = errno;
    if (close(fd) != 0 && !err) {
        err = OB_ERR_ENV;
        saved = errno;
    }
    if (err)
        goto fail;
    free(path);
    return OB_OK;
fail:
    free(path);
    return write_error(d, relpath, saved);
}

/* Copies src to dst by streaming; returns 0 or an errno value. */
static int
copy_file(const char *src, const char *dst)
{
    char chunk[65536];
    int in, out, err = 0;
    ssize_t n;

    in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return errno;
    out = create_file(dst);
    if (out < 0) {
        err = errno;
        close(in);
        return err;
    }
    for (;;) {
        n = read(in, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            err = n < 0 ? errno : 0;
            break;
        }
        if (write_all(out, chunk, (size_t)n) != OB_OK) {
            err = errno;
            break;
        }
    }
    close(in);
    if (close(out) != 0 && !err)
        err = errno;
    return err;
}

enum ob_err
ob_output_copy(struct ob_output *o, struct ob_diag *d, const char *relpath,
               const char *src)
{
    char *path;
    int err = 0;

    if (o->discard)
        return OB_OK;
    path = path_join(o->tmp, relpath);
    if (ob_fs_make_parents(path) != 0)
        err = errno;
    else
        err = copy_file(src, path);
    free(path);
    return err ? write_error(d, relpath, err) : OB_OK;
}

/* Placeholders until the manifest lands: nothing is reusable. */
bool
ob_output_reusable(struct ob_output *o, const char *relpath, uint64_t hash)
{
    (void)o;
    (void)relpath;
    (void)hash;
    return false;
}

enum ob_err
ob_output_reuse(struct ob_output *o, struct ob_diag *d, const char *relpath)
{
    (void)o;
    return write_error(d, relpath, ENOENT);
}

static void
output_free(struct ob_output *o)
{
    free_kept(o);
    free(o->final);
    free(o->tmp);
    free(o->cache);
    memset(o, 0, sizeof(*o));
}

void
ob_output_abort(struct ob_output *o)
{
    if (o->tmp)
        ob_fs_remove_tree(o->tmp);
    output_free(o);
}

/* Copies the new tree into OUT file by file (OUT cannot be renamed). */
static int sync_tree(const char *from, const char *to);

static int
sync_entry(const char *from, const char *to, const char *name)
{
    char *src = path_join(from, name), *dst = path_join(to, name);
    struct stat st, old;
    int err = 0;

    if (lstat(src, &st) != 0) {
        err = errno;
    } else if (S_ISDIR(st.st_mode)) {
        if (lstat(dst, &old) == 0 && !S_ISDIR(old.st_mode))
            remove(dst);
        if (mkdir(dst, 0777) != 0 && errno != EEXIST)
            err = errno;
        else
            err = sync_tree(src, dst);
    } else {
        /* Write beside, then rename over: readers never see half a file. */
        char *part = path_join(to, ".opsbook-part");
        if (lstat(dst, &old) == 0 && S_ISDIR(old.st_mode))
            ob_fs_remove_tree(dst);
        err = copy_file(src, part);
        if (!err && rename(part, dst) != 0)
            err = errno;
        if (err)
            remove(part);
        free(part);
    }
    free(src);
    free(dst);
    return err;
}

static int
sync_tree(const char *from, const char *to)
{
    struct dirent *de;
    DIR *dh = opendir(from);
    int err = 0;

    if (!dh)
        return errno;
    for (de = readdir(dh); de && !err; de = readdir(dh)) {
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            err = sync_entry(from, to, de->d_name);
    }
    closedir(dh);
    return err;
}

/* Removes what is in `to` but not in `from`: the stale files, last. */
static int
prune_tree(const char *from, const char *to)
{
    struct dirent *de;
    DIR *dh = opendir(to);
    int err = 0;

    if (!dh)
        return errno;
    for (de = readdir(dh); de && !err; de = readdir(dh)) {
        char *src, *dst;
        struct stat st;

        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        src = path_join(from, de->d_name);
        dst = path_join(to, de->d_name);
        if (lstat(src, &st) != 0) {
            if (ob_fs_remove_tree(dst) != 0)
                err = errno;
        } else if (S_ISDIR(st.st_mode)) {
            err = prune_tree(src, dst);
        }
        free(src);
        free(dst);
    }
    closedir(dh);
    return err;
}

static enum ob_err
commit_in_place(struct ob_output *o, struct ob_diag *d)
{
    int err;

    if (!o->quiet)
        fprintf(stderr,
                "opsbook: note: '%s' is a mount point and cannot be "
                "swapped; replacing the files inside it\n",
                o->final);
    err = sync_tree(o->tmp, o->final);
    if (!err)
        err = prune_tree(o->tmp, o->final);
    if (err)
        return write_error(d, o->final, err);
    return OB_OK;
}

static enum ob_err
commit_swap(struct ob_output *o, struct ob_diag *d)
{
    struct stat st;
    char *old;
    int err;

    if (lstat(o->final, &st) != 0) {
        if (rename(o->tmp, o->final) != 0)
            return write_error(d, o->final, errno);
        free(o->tmp);
        o->tmp = NULL;
        return OB_OK;
    }
    if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->final, RENAME_EXCHANGE) == 0)
        return OB_OK; /* o->tmp now holds the old tree, removed below */
    err = errno;
    if (err == EBUSY || err == EXDEV) {
        o->in_place = true;
        return commit_in_place(o, d);
    }
    if (err != EINVAL && err != ENOSYS)
        return write_error(d, o->final, err);
    /* No atomic exchange on this file system: two renames instead. */
    old = path_join(o->tmp, "..old");
    if (rename(o->final, old) != 0) {
        err = errno;
        free(old);
        return write_error(d, o->final, err);
    }
    if (rename(o->tmp, o->final) != 0) {
        err = errno;
        rename(old, o->final);
        free(old);
        return write_error(d, o->final, err);
    }
    free(o->tmp);
    o->tmp = old;
    return OB_OK;
}

enum ob_err
ob_output_commit(struct ob_output *o, struct ob_diag *d)
{
    enum ob_err err;

    drop_cache_files(o);
    if (o->in_place)
        err = commit_in_place(o, d);
    else
        err = commit_swap(o, d);
    if (!err)
        write_kept(o);
    if (o->tmp)
        ob_fs_remove_tree(o->tmp);
    output_free(o);
    return err;
}
