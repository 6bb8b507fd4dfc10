/* pathindex.h: the entries of an array, found by the path each holds. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_PATHINDEX_H
#define OPSBOOK_PATHINDEX_H

#include <stddef.h>
#include <stdint.h>

/*
 * An open-addressing table over an array of entries of `stride` bytes,
 * each holding a `const char *` path at `offset`. A build looks up every
 * page and folder the last one knew, by paths that share long prefixes
 * ("content/section/..."): hashing each path once costs a fraction of
 * sorting them and searching with strcmp(). The array must not move or
 * change its paths while the index is in use. Zero-initialised is an
 * empty index.
 */
struct ob_path_index {
    const char *base;
    size_t stride, offset;
    uint32_t *slots; /* entry + 1; 0 = free */
    uint64_t *keys;  /* each entry's path hash */
    size_t mask;
};

/** Indexes n entries at `base`; a path seen before keeps its first entry. */
void ob_path_index_build(struct ob_path_index *ix, const void *base, size_t n,
                         size_t stride, size_t offset);

/** The entry holding `path`, or NULL. */
const void *ob_path_index_find(const struct ob_path_index *ix,
                               const char *path);

void ob_path_index_release(struct ob_path_index *ix);

#endif
