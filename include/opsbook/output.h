/* output.h: writing OUT atomically beside the old one and swapping it in. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_OUTPUT_H
#define OPSBOOK_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsbook/arena.h"
#include "opsbook/buf.h"
#include "opsbook/diag.h"

/**
 * A build writes into a temporary folder beside OUT; commit swaps it in
 * with one rename (renameat2 RENAME_EXCHANGE when OUT exists); abort
 * removes the temporary folder. Until commit, OUT is untouched. When OUT
 * is a mount point (it cannot be renamed), commit says so and replaces the
 * files inside it instead: changed and new files first, stale ones last.
 * When OUT is a symlink, its target is what gets replaced.
 *
 * Builds are incremental: the tree OUT replaces is not removed but kept
 * in the cache folder as the spare, and the next build writes into it.
 * Manifests there record every file of OUT and of the spare (its content
 * hash, and its inode, size and mtime as it sits in the tree). A file
 * whose bytes are already in the spare stays as it is; one whose bytes
 * are in OUT becomes a hard link to OUT's; only the others are written,
 * always as new files: no file of either tree is ever written through, so
 * OUT stays as it was until commit even where the trees share files.
 * Commit removes what the build did not make, so OUT is the same as a
 * clean build's. Anything odd about the cache (a file edited by hand, a
 * manifest missing, cut short or from another opsbook) only means more
 * files are written.
 */
struct ob_output_kept;  /* cache files waiting for commit */
struct ob_output_trees; /* the manifests and folders of the trees */

struct ob_output {
    char *final;   /* OUT, resolved */
    char *tmp;     /* the temporary folder beside it (the tree being made) */
    char *cache;   /* what builds keep for the next, beside OUT, or NULL */
    bool in_place; /* OUT is a mount point */
    bool quiet;
    bool verbose; /* commit says how many files were written */
    bool discard; /* writes go nowhere: see ob_output_discard() */
    struct ob_output_kept *kept;
    size_t n_kept;
    struct ob_output_trees *trees;
    struct ob_output *next_live; /* the builds under way: see output.c */
};

/**
 * The folder beside OUT where the last build kept what the next one can
 * reuse (".NAME.opsbook-cache" for OUT ".../NAME"), as an absolute path to
 * free; NULL when OUT cannot be placed, or the folder does not describe
 * the OUT there now (OUT deleted or replaced since: the next build is a
 * clean one, and ob_output_begin() removes the folder). Creates nothing:
 * what loads before the output begins (pages, KPI results) reads its
 * cache files from here.
 */
char *ob_output_cache_dir(const char *out_path, const char *site_root);

/**
 * Keeps `data` as the cache file `name` (a plain file name), taking its
 * bytes (`data` is left empty). Kept files are written into the cache
 * folder by commit, after the swap, each whole or as a delta against the
 * last build's (ob_cache_write()); a build that fails keeps none. Before
 * the swap, commit spoils the cache's "out" file, which it writes last,
 * naming the new OUT: a cache never describes an OUT other than the one
 * beside it. Files of names this build did not keep are removed.
 */
void ob_output_keep(struct ob_output *o, const char *name, struct ob_buf *data);

/**
 * Keeps the cache file `name` the last build kept as it is (with its
 * delta), for a caller that read it this build and would write the same
 * bytes: nothing is written, so a big file that did not change costs
 * nothing (the search index of a rebuild that changed no page's words).
 */
void ob_output_keep_as_is(struct ob_output *o, const char *name);

/**
 * Keeps the cache file `name` whose bytes are still being made (on a
 * thread of the caller's): commit calls finish(ctx, data) once OUT is
 * swapped in, which waits for them and puts them in `data`; an output
 * that keeps nothing (a failed build, no cache) calls finish(ctx, NULL)
 * instead, which only waits and frees. Either way finish runs once.
 */
void ob_output_keep_later(struct ob_output *o, const char *name,
                          void (*finish)(void *ctx, struct ob_buf *data),
                          void *ctx);

/**
 * Prepares to build `out_path`, relative to the site root or absolute.
 * Refuses (OB_ERR_USAGE) an OUT that is the site root, holds it, or is one
 * of its input folders; OB_ERR_ENV when OUT exists as a non-folder or the
 * temporary folder cannot be made. Problems go to `d`. The temporary
 * folder is the cache's spare tree when there is one, else a new folder.
 */
enum ob_err ob_output_begin(struct ob_output *o, struct ob_diag *d,
                            const char *out_path, const char *site_root);

/**
 * Puts a file with `data` at `relpath` inside the new tree, making folders
 * as needed (reusing the spare's or OUT's file when it holds these bytes).
 * Safe to call from several threads at once, for different paths.
 * OB_ERR_ENV on any I/O failure (a full disk included), reported to `d`.
 */
enum ob_err ob_output_write(struct ob_output *o, struct ob_diag *d,
                            const char *relpath, const void *data, size_t len);

/**
 * Checks now, by stat, every file the work tree was given from two builds
 * ago, as ob_output_reusable() would one by one: for a thread of its own,
 * while the build does other work, placing files included (a rebuild of
 * 2,000 pages then finds most of them checked). Only an optimisation; the
 * answers are the same. It must have returned before `o` is committed,
 * aborted or cancelled.
 */
void ob_output_check_spare(struct ob_output *o);

/**
 * Whether ob_output_reuse() can put the file at `relpath` that the
 * previous OUT holds (or, without one, the spare tree), and whether its
 * bytes are those whose ob_hash() is `hash`: checked by stat now, against
 * the manifests. False when writes are discarded. For callers that skip
 * making a file that would come out the same.
 */
bool ob_output_reusable(struct ob_output *o, const char *relpath,
                        uint64_t hash);

/**
 * Puts the file ob_output_reusable() found at `relpath` into the new tree
 * unchanged (kept, linked, or copied). OB_ERR_ENV, reported, when there is
 * none any more or it cannot be placed.
 */
enum ob_err ob_output_reuse(struct ob_output *o, struct ob_diag *d,
                            const char *relpath);

/**
 * For modules that write a file of the new tree themselves (libxlsxwriter
 * writes by path): makes room at `relpath` (removes the file there: it may
 * be shared with OUT, and must not be written through), makes its folders,
 * records the path as made by this build (its bytes never reused), and
 * returns the absolute path to create, in `a`. The caller must create a
 * new file there (or rename one there), never open an existing one for
 * writing. NULL, reported to `d`, when the room cannot be made or writes
 * are discarded.
 */
const char *ob_output_claim(struct ob_output *o, struct ob_diag *d,
                            const char *relpath, struct ob_arena *a);

/**
 * Tells the output that the file the caller made at `relpath` after
 * ob_output_claim() is complete: its bytes' hash is recorded (`hash`, the
 * caller's ob_hash() of them, or NULL: the file is read back and hashed),
 * so that a later build can reuse it as it reuses a written file.
 * OB_ERR_ENV, reported, when the file cannot be read.
 */
enum ob_err ob_output_claimed(struct ob_output *o, struct ob_diag *d,
                              const char *relpath, const uint64_t *hash);

/**
 * Whether the last build's file at `relpath` (the previous OUT's, whose
 * bytes its manifest knows) is still as it was written, so that
 * ob_output_reuse() can put it into the new tree: for files made from
 * inputs the caller knows to be unchanged since, whatever their bytes.
 * False when writes are discarded.
 */
bool ob_output_unchanged(struct ob_output *o, const char *relpath);

/** ob_output_write() of bytes whose ob_hash() the caller has already. */
enum ob_err ob_output_write_hashed(struct ob_output *o, struct ob_diag *d,
                                   const char *relpath, const void *data,
                                   size_t len, uint64_t hash);

/**
 * Prepares an output whose writes and copies succeed and keep nothing:
 * what `opsbook check` renders into, to find every problem a build would
 * without writing a file. Commit and abort do nothing.
 */
void ob_output_discard(struct ob_output *o);

/**
 * Copies the site file `src` to `relpath` in the new tree; when `src` is
 * the same file (device, inode, size, times) it was when the spare or OUT
 * got its copy, that copy is reused.
 */
enum ob_err ob_output_copy(struct ob_output *o, struct ob_diag *d,
                           const char *relpath, const char *src);

/**
 * Removes from the new tree what this build did not put there, swaps it
 * in (see above), keeps the old tree as the spare and writes the
 * manifests and kept cache files; frees `o`.
 */
enum ob_err ob_output_commit(struct ob_output *o, struct ob_diag *d);

/**
 * Removes the new tree (the spare with it: the next build starts with an
 * empty one), leaving OUT and the manifest describing it as they were,
 * and frees `o`.
 */
void ob_output_abort(struct ob_output *o);

/**
 * Ends an output nothing was put in (the build failed before writing):
 * as ob_output_abort(), but the spare tree it took goes back beside OUT
 * for the next build.
 */
void ob_output_cancel(struct ob_output *o);

#endif
