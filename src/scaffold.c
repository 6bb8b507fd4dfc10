/* scaffold.c: `opsbook new DIR` writes the embedded demo site. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/scaffold.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "opsbook/buf.h"
#include "opsbook/fs.h"
#include "opsbook/mem.h"

/* True when `dir` does not exist or has nothing in it. */
static bool
is_empty_or_missing(const char *dir, bool *exists)
{
    struct dirent *de;
    DIR *dh = opendir(dir);
    bool empty = true;

    *exists = dh != NULL || errno != ENOENT;
    if (!dh)
        return !*exists;
    for (de = readdir(dh); de && empty; de = readdir(dh))
        empty = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
    closedir(dh);
    return empty;
}

static int
write_file(const char *path, const unsigned char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int err = 0;

    if (!f)
        return errno;
    if (fwrite(data, 1, len, f) != len)
        err = errno ? errno : EIO;
    if (fclose(f) != 0 && !err)
        err = errno;
    return err;
}

enum ob_err
ob_scaffold_write(struct ob_diag *d, const char *dir)
{
    struct ob_buf path = OB_BUF_INIT;
    bool existed;
    size_t i;
    int err = 0;

    if (!is_empty_or_missing(dir, &existed)) {
        ob_diag_error(d, NULL, "'%s' already exists and is not empty", dir);
        return OB_ERR_USAGE;
    }
    for (i = 0; !err && i < ob_scaffold_count; i++) {
        const struct ob_embedded_file *f = &ob_scaffold_files[i];

        ob_buf_reset(&path);
        ob_buf_printf(&path, "%s/%s", dir, f->path);
        if (ob_fs_make_parents(path.ptr) != 0)
            err = errno;
        else
            err = write_file(path.ptr, f->data, f->len);
    }
    if (err) {
        ob_diag_error(d, NULL, "cannot write '%s': %s", path.ptr,
                      strerror(err));
        if (!existed)
            ob_fs_remove_tree(dir);
    }
    ob_buf_release(&path);
    return err ? OB_ERR_ENV : OB_OK;
}
