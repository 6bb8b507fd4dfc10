/* intern.c: byte strings mapped to dense ids (open addressing, FNV-1a). */
/* SPDX-License-Identifier: MIT */
#include "opsbook/intern.h"

#include <stdlib.h>
#include <string.h>

#include "opsbook/mem.h"

void
ob_intern_init(struct ob_intern *in)
{
    memset(in, 0, sizeof(*in));
}

void
ob_intern_release(struct ob_intern *in)
{
    free(in->slots);
    free(in->hashes);
    free(in->offsets);
    free(in->bytes);
    memset(in, 0, sizeof(*in));
}

/* FNV-1a, 8 bytes at a time would be faster but ids are short (user ids,
 * plan names): the byte loop is a few nanoseconds for them. */
static uint32_t
hash_bytes(const unsigned char *p, size_t len)
{
    uint32_t h = 2166136261u;
    size_t i;

    for (i = 0; i < len; i++)
        h = (h ^ p[i]) * 16777619u;
    return h ^ (h >> 15);
}

static void
rehash(struct ob_intern *in, size_t cap)
{
    size_t mask = cap - 1, i;

    free(in->slots);
    in->slots = ob_xcalloc(cap, sizeof(*in->slots));
    in->cap_slots = cap;
    for (i = 0; i < in->n; i++) {
        size_t k = in->hashes[i] & mask;
        while (in->slots[k])
            k = (k + 1) & mask;
        in->slots[k] = (uint32_t)i + 1;
    }
}

static int
same(const struct ob_intern *in, uint32_t id, const void *s, size_t len)
{
    size_t start = in->offsets[id];

    return in->offsets[id + 1] - start == len &&
           memcmp(in->bytes + start, s, len) == 0;
}

uint32_t
ob_intern_find(const struct ob_intern *in, const void *s, size_t len)
{
    uint32_t h = hash_bytes(s, len);
    size_t mask = in->cap_slots - 1, k;

    if (!in->cap_slots)
        return UINT32_MAX;
    for (k = h & mask; in->slots[k]; k = (k + 1) & mask) {
        uint32_t id = in->slots[k] - 1;
        if (in->hashes[id] == h && same(in, id, s, len))
            return id;
    }
    return UINT32_MAX;
}

uint32_t
ob_intern_add(struct ob_intern *in, const void *s, size_t len)
{
    uint32_t h = hash_bytes(s, len), id;
    size_t mask, k;

    if ((in->n + 1) * 2 > in->cap_slots)
        rehash(in, in->cap_slots ? in->cap_slots * 2 : 64);
    mask = in->cap_slots - 1;
    for (k = h & mask; in->slots[k]; k = (k + 1) & mask) {
        id = in->slots[k] - 1;
        if (in->hashes[id] == h && same(in, id, s, len))
            return id;
    }
    if (in->n >= UINT32_MAX - 1)
        ob_oom(); /* four billion distinct values: no set can hold them */
    if (in->n + 1 > in->cap_ids) {
        size_t old = in->cap_ids;
        OB_GROW(in->hashes, in->n + 1, in->cap_ids);
        in->offsets = ob_xreallocarray(in->offsets, in->cap_ids + 1,
                                       sizeof(*in->offsets));
        if (old == 0)
            in->offsets[0] = 0;
    }
    OB_GROW(in->bytes, in->len_bytes + len + 1, in->cap_bytes);
    memcpy(in->bytes + in->len_bytes, s, len);
    in->len_bytes += len;
    id = (uint32_t)in->n++;
    in->hashes[id] = h;
    in->offsets[id + 1] = in->len_bytes;
    in->slots[k] = id + 1;
    return id;
}

const char *
ob_intern_get(const struct ob_intern *in, uint32_t id, size_t *len)
{
    *len = in->offsets[id + 1] - in->offsets[id];
    return in->bytes + in->offsets[id];
}
