/* pathindex.c: the entries of an array, found by the path each holds. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/pathindex.h"

#include <stdlib.h>
#include <string.h>

#include "opsbook/hash.h"
#include "opsbook/mem.h"

static const char *
path_of(const struct ob_path_index *ix, size_t i)
{
    const char *const *p =
        (const void *)(ix->base + i * ix->stride + ix->offset);

    return *p;
}

/* The slot holding the entry at `path` (hash `key`), or the free slot
 * where it would go. */
static size_t
find_slot(const struct ob_path_index *ix, const char *path, uint64_t key)
{
    size_t s;

    for (s = (size_t)key & ix->mask; ix->slots[s]; s = (s + 1) & ix->mask) {
        size_t i = ix->slots[s] - 1;

        if (ix->keys[i] == key && !strcmp(path_of(ix, i), path))
            break;
    }
    return s;
}

void
ob_path_index_build(struct ob_path_index *ix, const void *base, size_t n,
                    size_t stride, size_t offset)
{
    size_t n_slots = 16, i, s;

    while (n_slots < 2 * n)
        n_slots *= 2;
    ix->base = base;
    ix->stride = stride;
    ix->offset = offset;
    ix->slots = ob_xcalloc(n_slots, sizeof(*ix->slots));
    ix->keys = ob_xcalloc(n + 1, sizeof(*ix->keys));
    ix->mask = n_slots - 1;
    for (i = 0; i < n; i++) {
        const char *path = path_of(ix, i);

        ix->keys[i] = ob_hash(path, strlen(path));
        s = find_slot(ix, path, ix->keys[i]);
        if (!ix->slots[s])
            ix->slots[s] = (uint32_t)(i + 1);
    }
}

const void *
ob_path_index_find(const struct ob_path_index *ix, const char *path)
{
    size_t s;

    if (!ix->slots)
        return NULL;
    s = find_slot(ix, path, ob_hash(path, strlen(path)));
    return ix->slots[s] ? ix->base + (ix->slots[s] - 1) * ix->stride : NULL;
}

void
ob_path_index_release(struct ob_path_index *ix)
{
    free(ix->slots);
    free(ix->keys);
    ix->slots = NULL;
    ix->keys = NULL;
}
