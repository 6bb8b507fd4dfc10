/* fs.h: reading the site's files safely, listing folders, globbing. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_FS_H
#define OPSBOOK_FS_H

#include <stdbool.h>
#include <stddef.h>

#include "opsbook/arena.h"
#include "opsbook/buf.h"
#include "opsbook/diag.h"

/*
 * Every path here is relative to the site root, which is the process's
 * current directory (main() changes to it once, before any thread starts).
 * A site path never leaves the site: absolute paths, ".." components and
 * symlinks that resolve outside the root are refused.
 */

/** Largest file opsbook reads whole (Markdown, YAML): 64 MiB. */
#define OB_FS_MAX_FILE (64u * 1024 * 1024)

/** The site root as an absolute, resolved path, for containment checks. */
struct ob_fs_root {
    char *real; /* heap; freed by ob_fs_root_release() */
    size_t len;
};

/** Resolves the current directory. OB_ERR_ENV when it cannot. */
enum ob_err ob_fs_root_init(struct ob_fs_root *root);
void ob_fs_root_release(struct ob_fs_root *root);

/**
 * True when `path` is relative, non-empty and has no "." or ".."
 * component: the shape every site path must have.
 */
bool ob_fs_path_is_clean(const char *path);

/**
 * Checks that `path` exists inside the root once symlinks are resolved.
 * Returns OB_OK, or reports at `where` and returns OB_ERR_INPUT ("'x'
 * resolves outside the site", "'x' does not exist").
 */
enum ob_err ob_fs_check_inside(const struct ob_fs_root *root, struct ob_diag *d,
                               const struct ob_pos *where, const char *path);

/**
 * Reads a whole file into `out` (replacing its contents). Problems are
 * reported at `where` (NULL: the file itself): a missing file is
 * OB_ERR_INPUT, a file over `max` bytes is OB_ERR_INPUT, anything the OS
 * refuses (permissions, I/O, a folder) is OB_ERR_ENV.
 */
enum ob_err ob_fs_read_file(struct ob_diag *d, const struct ob_pos *where,
                            const char *path, size_t max, struct ob_buf *out);

/**
 * Reports that `path` could not be opened or read (errno value `err`) at
 * `where` (NULL: the file) and returns what it implies: OB_ERR_INPUT for a
 * missing file, OB_ERR_ENV for anything the OS refused.
 */
enum ob_err ob_fs_read_error(struct ob_diag *d, const struct ob_pos *where,
                             const char *path, int err);

enum ob_fs_type { OB_FS_FILE, OB_FS_DIR, OB_FS_OTHER };

struct ob_fs_entry {
    const char *name;     /* in the arena */
    enum ob_fs_type type; /* after following symlinks */
    bool symlink;
};

/**
 * Lists a folder in byte order of names, leaving out "." and "..".
 * Returns OB_ERR_ENV when it cannot be read (reported at `dir`).
 */
enum ob_err ob_fs_list(struct ob_diag *d, const char *dir, struct ob_arena *a,
                       struct ob_fs_entry **entries, size_t *n);

/**
 * Expands a glob pattern (or plain path) relative to the site into the
 * matching regular files, in byte order. The pattern must be clean (see
 * ob_fs_path_is_clean()); every match must stay inside the root. No match
 * is not an error here: *n is 0 and the caller decides.
 */
enum ob_err ob_fs_glob(const struct ob_fs_root *root, struct ob_diag *d,
                       const struct ob_pos *where, const char *pattern,
                       struct ob_arena *a, const char ***paths, size_t *n);

/**
 * Removes a file or a whole tree without following symlinks out of it.
 * Returns 0, or -1 with errno set.
 */
int ob_fs_remove_tree(const char *path);

/**
 * Creates the missing folders on the way to `path` (not `path` itself),
 * like mkdir -p on its folder. `path` is modified while it works and
 * restored. Returns 0, or -1 with errno set.
 */
int ob_fs_make_parents(char *path);

/**
 * Writes all `len` bytes of `data` to `fd`, again after a signal or a short
 * write. False, errno set, when it cannot.
 */
bool ob_fs_write_all(int fd, const void *data, size_t len);

/** Joins two path parts with one '/', in the arena. */
char *ob_fs_join(struct ob_arena *a, const char *dir, const char *name);

#endif
