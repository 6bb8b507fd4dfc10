/* output_int.h: the manifests of output trees (output.c, output_tree.c). */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_OUTPUT_INT_H
#define OPSBOOK_OUTPUT_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "opsbook/arena.h"
#include "opsbook/buf.h"
#include "opsbook/cache.h"

/*
 * A manifest lists the files of one tree (OUT, the spare tree, the tree a
 * build makes): for each, its content hash and the identity it had when
 * it was written (inode, size, modification time). A file whose identity
 * still matches holds the bytes the manifest says; a file edited, replaced
 * or removed since does not match and is never reused.
 */
enum ob_entry_flags {
    OB_ENTRY_HASHED = 1 << 0, /* `hash` is the bytes' hash; else unknown */
    OB_ENTRY_COPY = 1 << 1    /* copied from the site file `src` */
};

/** Who a file is: what a manifest compares with stat. */
struct ob_file_id {
    uint64_t dev, ino, size;
    int64_t mtime, ctime; /* ns */
};

struct ob_entry {
    const char *path; /* relative to the tree */
    uint64_t key;     /* the path's hash */
    uint32_t flags;
    uint64_t hash, size, ino;
    int64_t mtime;         /* ns */
    struct ob_file_id src; /* with OB_ENTRY_COPY */
};

struct ob_manifest {
    struct ob_entry *e;
    size_t n, cap;
    uint32_t *slots;   /* open addressing: entry index + 1, 0 = free */
    size_t n_slots;    /* a power of two, or 0 */
    uint64_t dev, ino; /* the tree's root folder; 0, 0: no tree */
    struct ob_arena a; /* the paths put */
    const char *raw;   /* loaded: its records, as read; NULL once changed */
    size_t raw_len;
};

void ob_manifest_init(struct ob_manifest *m);
void ob_manifest_release(struct ob_manifest *m);
/** Forgets every entry and the root: a tree nothing is known about. */
void ob_manifest_clear(struct ob_manifest *m);

/** The entry of `path`, or NULL. */
const struct ob_entry *ob_manifest_find(const struct ob_manifest *m,
                                        const char *path);

/** The key of a path, for looking it up in several manifests. */
uint64_t ob_manifest_key(const char *path);
/** ob_manifest_find() with the path's key known. */
const struct ob_entry *ob_manifest_find_key(const struct ob_manifest *m,
                                            const char *path, uint64_t key);

/** Makes room for `n` entries. */
void ob_manifest_reserve(struct ob_manifest *m, size_t n);

/** Adds `e` (its path copied), replacing an entry of the same path. */
void ob_manifest_put(struct ob_manifest *m, const struct ob_entry *e);

/** Adds `e`, an entry of another manifest whose path (and key) it keeps:
 * that manifest must live as long as this one. */
void ob_manifest_put_borrowed(struct ob_manifest *m, const struct ob_entry *e);

/** Appends the manifest's records to a cache file being made. */
void ob_manifest_save(const struct ob_manifest *m, struct ob_buf *out);

/** Reads what ob_manifest_save() wrote into an empty manifest, whose
 * paths then point into the reader's buffer (which must outlive it);
 * false (and the manifest cleared) when a record is missing or odd. */
bool ob_manifest_load(struct ob_manifest *m, struct ob_cache_reader *r);

/** A stat's identity fields as a manifest keeps them. */
void ob_file_id_of(struct ob_file_id *id, const struct stat *st);

/** True when `st` (of a regular file) is the file the entry describes in
 * the tree of `m`. */
bool ob_entry_matches(const struct ob_manifest *m, const struct ob_entry *e,
                      const struct stat *st);

/** Fills the entry's identity from `st`. */
void ob_entry_set_stat(struct ob_entry *e, const struct stat *st);

enum ob_walk_mode {
    OB_WALK_SANITIZE, /* remove what is neither a file nor a folder */
    OB_WALK_PRUNE     /* also files `keep` lacks, and emptied folders */
};

/*
 * What a walk found in a tree, folder by folder: the sanitizing walk at
 * the start of a build records it, so that the pruning walk at its end
 * reads again only the folders the build changed (a build that changes
 * one page reads one folder, not all of them), and does not even open a
 * folder the build left untouched and made every file of again (nothing
 * in it can go; its folders are looked at the same way). Whoever changes
 * the tree
 * says so first with ob_tree_snap_touch(); folders the snapshot lacks are
 * read.
 */
struct ob_snap_folder;

struct ob_tree_snap {
    struct ob_snap_folder *f; /* sorted by path once the walk is done */
    size_t n, cap;
    struct ob_arena a; /* paths and names */
};

void ob_tree_snap_init(struct ob_tree_snap *s);
void ob_tree_snap_release(struct ob_tree_snap *s);
/** `rel` (a file or folder) is about to change: its folder is read again,
 * and when it is a folder, so is everything in it. Any thread. */
void ob_tree_snap_touch(struct ob_tree_snap *s, const char *rel);
/** Every folder on the way to `rel` is about to be made or changed. */
void ob_tree_snap_touch_parents(struct ob_tree_snap *s, const char *rel);

/**
 * Walks the tree open at `dfd` without following symlinks, removing what
 * `mode` says. With `snap`, a sanitizing walk records what stays there (an
 * empty snapshot), and a pruning walk takes the folders the snapshot has
 * untouched from it instead of reading them. Returns 0 or an errno value.
 */
int ob_tree_walk(int dfd, enum ob_walk_mode mode,
                 const struct ob_manifest *keep, struct ob_tree_snap *snap);

/**
 * What must not be removed from a tree being made: what the build itself
 * put there. A file and a folder of the same name is the build's own
 * conflict, an error as in a new folder, not something left over to
 * clear away.
 */
struct ob_tree_guard {
    /* true when `path` (a file; with `folder`, anything in that folder)
     * is the build's */
    bool (*owns)(void *ctx, const char *path, bool folder);
    void *ctx;
};

/** Removes `rel` in the tree at `dfd`, a file or a whole folder; 0 when
 * it is gone (or was never there), else an errno value: EISDIR for a
 * folder `guard` (or NULL) owns something in. */
int ob_tree_remove(int dfd, const char *rel, const struct ob_tree_guard *guard);

/** Makes the folders on the way to `rel` in the tree at `dfd`, replacing
 * anything else in their place. 0 or an errno value: ENOTDIR for a file
 * in the way that `guard` (or NULL) owns. */
int ob_tree_make_parents(int dfd, const char *rel,
                         const struct ob_tree_guard *guard);

#endif
