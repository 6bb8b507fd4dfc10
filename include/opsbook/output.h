/* output.h: writing OUT atomically beside the old one and swapping it in. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_OUTPUT_H
#define OPSBOOK_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsbook/buf.h"
#include "opsbook/diag.h"

/**
 * A build writes into a fresh temporary folder beside OUT; commit swaps it
 * in with one rename (renameat2 RENAME_EXCHANGE when OUT exists) and then
 * removes the old tree; abort removes the temporary folder. Until commit,
 * OUT is untouched. When OUT is a mount point (it cannot be renamed), commit
 * says so and replaces the files inside OUT instead: new files first, stale
 * ones last. When OUT is a symlink, its target is what gets replaced.
 */
struct ob_output_kept; /* cache files waiting for commit */

struct ob_output {
    char *final;   /* OUT, resolved */
    char *tmp;     /* the temporary folder beside it */
    char *cache;   /* what builds keep for the next, beside OUT, or NULL */
    bool in_place; /* OUT is a mount point */
    bool quiet;
    bool discard; /* writes go nowhere: see ob_output_discard() */
    struct ob_output_kept *kept;
    size_t n_kept;
};

/**
 * The folder beside OUT where a build keeps what the next one can reuse
 * (".NAME.opsbook-cache" for OUT ".../NAME"), as an absolute path to free;
 * NULL when OUT cannot be placed. Creates nothing: what loads before the
 * output begins (pages, KPI results) reads its cache files from here.
 */
char *ob_output_cache_dir(const char *out_path, const char *site_root);

/**
 * Keeps `data` as the cache file `name` (a plain file name), taking its
 * bytes (`data` is left empty). Kept files are written into the cache
 * folder by commit, after the swap, each whole or not at all; a build
 * that fails keeps none, and commit first removes the older ones, so a
 * cache never describes an OUT other than the one beside it.
 */
void ob_output_keep(struct ob_output *o, const char *name, struct ob_buf *data);

/**
 * Prepares to build `out_path`, relative to the site root or absolute.
 * Refuses (OB_ERR_USAGE) an OUT that is the site root, holds it, or is one
 * of its input folders; OB_ERR_ENV when OUT exists as a non-folder or the
 * temporary folder cannot be made. Problems go to `d`.
 */
enum ob_err ob_output_begin(struct ob_output *o, struct ob_diag *d,
                            const char *out_path, const char *site_root);

/**
 * Writes a file at `relpath` inside the new tree, making folders as needed.
 * OB_ERR_ENV on any I/O failure (a full disk included), reported to `d`.
 */
enum ob_err ob_output_write(struct ob_output *o, struct ob_diag *d,
                            const char *relpath, const void *data, size_t len);

/**
 * Prepares an output whose writes and copies succeed and keep nothing:
 * what `opsbook check` renders into, to find every problem a build would
 * without writing a file. Commit and abort do nothing.
 */
void ob_output_discard(struct ob_output *o);

/**
 * Whether the previous build's OUT holds `relpath` with content hash
 * `hash` (XXH3, ob_hash()), checked now: a caller that would write those
 * very bytes may call ob_output_reuse() instead of rendering them.
 */
bool ob_output_reusable(struct ob_output *o, const char *relpath,
                        uint64_t hash);

/** Puts the previous build's `relpath` in the new tree unchanged (after
 * ob_output_reusable() said yes). */
enum ob_err ob_output_reuse(struct ob_output *o, struct ob_diag *d,
                            const char *relpath);

/** Copies the site file `src` to `relpath` in the new tree. */
enum ob_err ob_output_copy(struct ob_output *o, struct ob_diag *d,
                           const char *relpath, const char *src);

/** Swaps the new tree in (see above) and frees `o`. */
enum ob_err ob_output_commit(struct ob_output *o, struct ob_diag *d);

/** Removes the new tree, leaving OUT as it was, and frees `o`. */
void ob_output_abort(struct ob_output *o);

#endif
