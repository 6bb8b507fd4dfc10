/* fs.c: safe reads inside the site, sorted folder listings and globs. */
/* SPDX-License-Identifier: MIT */
#define _DEFAULT_SOURCE /* d_type: DT_REG, DT_DIR */
#include "opsbook/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opsbook/mem.h"

enum ob_err
ob_fs_root_init(struct ob_fs_root *root)
{
    root->real = realpath(".", NULL);
    if (!root->real) {
        root->len = 0;
        return OB_ERR_ENV;
    }
    root->len = strlen(root->real);
    return OB_OK;
}

void
ob_fs_root_release(struct ob_fs_root *root)
{
    free(root->real);
    root->real = NULL;
    root->len = 0;
}

bool
ob_fs_path_is_clean(const char *path)
{
    const char *p = path;

    if (!*path || *path == '/')
        return false;
    while (*p) {
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);

        if (len == 0 || (len == 1 && p[0] == '.') ||
            (len == 2 && p[0] == '.' && p[1] == '.'))
            return false;
        if (!end)
            break;
        p = end + 1;
    }
    return true;
}

static bool
is_inside(const struct ob_fs_root *root, const char *real)
{
    if (strncmp(real, root->real, root->len) != 0)
        return false;
    return real[root->len] == '/' || real[root->len] == '\0' ||
           (root->len == 1 && root->real[0] == '/');
}

enum ob_err
ob_fs_check_inside(const struct ob_fs_root *root, struct ob_diag *d,
                   const struct ob_pos *where, const char *path)
{
    char *real = realpath(path, NULL);
    bool inside;

    if (!real) {
        ob_diag_error(d, where, "'%s' does not exist", path);
        return OB_ERR_INPUT;
    }
    inside = is_inside(root, real);
    free(real);
    if (!inside) {
        ob_diag_error(d, where, "'%s' resolves outside the site", path);
        return OB_ERR_INPUT;
    }
    return OB_OK;
}

enum ob_err
ob_fs_read_error(struct ob_diag *d, const struct ob_pos *where,
                 const char *path, int err)
{
    struct ob_pos file = {path, 0, 0};

    if (!where)
        where = &file;
    if (err == ENOENT || err == ENOTDIR) {
        ob_diag_error(d, where, "'%s' does not exist", path);
        return OB_ERR_INPUT;
    }
    ob_diag_error(d, where, "cannot read '%s': %s", path, strerror(err));
    return OB_ERR_ENV;
}

static enum ob_err
read_fd(struct ob_diag *d, const struct ob_pos *where, const char *path, int fd,
        size_t max, struct ob_buf *out)
{
    struct stat st;
    char chunk[65536];
    ssize_t n;

    if (fstat(fd, &st) != 0)
        return ob_fs_read_error(d, where, path, errno);
    if (S_ISDIR(st.st_mode))
        return ob_fs_read_error(d, where, path, EISDIR);
    if (!S_ISREG(st.st_mode)) {
        ob_diag_error(d, where ? where : &(struct ob_pos){path, 0, 0},
                      "'%s' is not a regular file", path);
        return OB_ERR_INPUT;
    }
    if ((size_t)st.st_size > max)
        goto too_big;
    for (;;) {
        n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return ob_fs_read_error(d, where, path, errno);
        if (n == 0)
            return OB_OK;
        if (out->len + (size_t)n > max)
            goto too_big;
        ob_buf_add(out, chunk, (size_t)n);
    }
too_big:
    ob_diag_error(d, where ? where : &(struct ob_pos){path, 0, 0},
                  "'%s' is too large (the limit is %zu MiB)", path,
                  max / (1024 * 1024));
    return OB_ERR_INPUT;
}

enum ob_err
ob_fs_read_file(struct ob_diag *d, const struct ob_pos *where, const char *path,
                size_t max, struct ob_buf *out)
{
    enum ob_err err;
    int fd;

    ob_buf_reset(out);
    /* O_NONBLOCK: a FIFO in the site must not hang the build; read_fd()
     * refuses anything but a regular file, where the flag has no effect. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return ob_fs_read_error(d, where, path, errno);
    err = read_fd(d, where, path, fd, max, out);
    close(fd);
    return err;
}

static int
compare_entries(const void *pa, const void *pb)
{
    const struct ob_fs_entry *a = pa, *b = pb;

    return strcmp(a->name, b->name);
}

static enum ob_fs_type
entry_type(const char *path, bool *symlink)
{
    struct stat st;

    *symlink = lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
    if (stat(path, &st) != 0)
        return OB_FS_OTHER;
    if (S_ISDIR(st.st_mode))
        return OB_FS_DIR;
    return S_ISREG(st.st_mode) ? OB_FS_FILE : OB_FS_OTHER;
}

enum ob_err
ob_fs_list(struct ob_diag *d, const char *dir, struct ob_arena *a,
           struct ob_fs_entry **entries, size_t *n)
{
    struct ob_fs_entry *list = NULL;
    size_t len = 0, cap = 0;
    struct dirent *de;
    DIR *dh = opendir(dir);

    *entries = NULL;
    *n = 0;
    if (!dh)
        return ob_fs_read_error(d, NULL, dir, errno);
    for (de = readdir(dh); de; de = readdir(dh)) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        OB_GROW(list, len + 1, cap);
        list[len].name = ob_arena_strdup(a, de->d_name);
        /* The folder's own record says what most entries are; a symlink
         * or a file system that does not say costs two stats. */
        list[len].symlink = false;
        if (de->d_type == DT_REG)
            list[len].type = OB_FS_FILE;
        else if (de->d_type == DT_DIR)
            list[len].type = OB_FS_DIR;
        else
            list[len].type =
                entry_type(ob_fs_join(a, dir, de->d_name), &list[len].symlink);
        len++;
    }
    closedir(dh);
    ob_qsort(list, len, sizeof(*list), compare_entries);
    if (len) {
        *entries = ob_arena_calloc(a, len, sizeof(*list));
        memcpy(*entries, list, len * sizeof(*list));
    }
    free(list);
    *n = len;
    return OB_OK;
}

static int
compare_strings(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

enum ob_err
ob_fs_glob(const struct ob_fs_root *root, struct ob_diag *d,
           const struct ob_pos *where, const char *pattern, struct ob_arena *a,
           const char ***paths, size_t *n)
{
    enum ob_err err = OB_OK;
    glob_t g;
    size_t i, kept = 0;
    const char **out;
    int rc;

    *paths = NULL;
    *n = 0;
    if (!ob_fs_path_is_clean(pattern)) {
        ob_diag_error(d, where,
                      "'%s' must be a path inside the site (relative, "
                      "without '.' or '..')",
                      pattern);
        return OB_ERR_INPUT;
    }
    rc = glob(pattern, GLOB_NOSORT, NULL, &g);
    if (rc == GLOB_NOMATCH)
        return OB_OK;
    if (rc != 0) {
        ob_diag_error(d, where, "cannot expand '%s'", pattern);
        return OB_ERR_ENV;
    }
    /* glob() sorts by the locale's collation; the spec wants byte order. */
    ob_qsort(g.gl_pathv, g.gl_pathc, sizeof(char *), compare_strings);
    out = ob_arena_calloc(a, g.gl_pathc ? g.gl_pathc : 1, sizeof(*out));
    for (i = 0; i < g.gl_pathc; i++) {
        struct stat st;

        if (stat(g.gl_pathv[i], &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (ob_fs_check_inside(root, d, where, g.gl_pathv[i]) != OB_OK) {
            err = OB_ERR_INPUT;
            continue;
        }
        out[kept++] = ob_arena_strdup(a, g.gl_pathv[i]);
    }
    globfree(&g);
    *paths = out;
    *n = kept;
    return err;
}

char *
ob_fs_join(struct ob_arena *a, const char *dir, const char *name)
{
    size_t dl, nl;
    char *p;

    if (!dir || !*dir || !strcmp(dir, "."))
        return ob_arena_strdup(a, name);
    dl = strlen(dir);
    nl = strlen(name);
    p = ob_arena_alloc(a, dl + nl + 2); /* a path per file walked: no printf */
    memcpy(p, dir, dl);
    p[dl] = '/';
    memcpy(p + dl + 1, name, nl + 1);
    return p;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

bool
ob_fs_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;

    while (len) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            errno = EIO;
        if (n <= 0)
            return false;
        p += n;
        len -= (size_t)n;
    }
    return true;
}

int
ob_fs_remove_tree(const char *path)
{
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int
ob_fs_make_parents(char *path)
{
    char *slash;

    if (!*path)
        return 0;
    for (slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            *slash = '/';
            return -1;
        }
        *slash = '/';
    }
    return 0;
}
