/* idset.c: sets of dense ids, a hash table that turns into a bitmap. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/idset.h"

#include <stdlib.h>
#include <string.h>

#include "opsbook/mem.h"

#define MIN_SLOTS 16

void
ob_idset_release(struct ob_idset *s)
{
    free(s->slots);
    free(s->bits);
    memset(s, 0, sizeof(*s));
}

static size_t
slot_of(uint32_t id, size_t mask)
{
    uint32_t h = id * 0x9E3779B1u;

    return (h ^ (h >> 15)) & mask;
}

static bool
sparse_insert(uint32_t *slots, size_t cap, uint32_t id)
{
    size_t mask = cap - 1, k;

    for (k = slot_of(id, mask); slots[k]; k = (k + 1) & mask)
        if (slots[k] == id + 1)
            return false;
    slots[k] = id + 1;
    return true;
}

static void
set_bit(struct ob_idset *s, uint32_t id)
{
    size_t word = id / 64;

    if (word >= s->cap) {
        size_t cap = s->cap * 2 > word + 1 ? s->cap * 2 : word + 1;
        s->bits = ob_xreallocarray(s->bits, cap, sizeof(*s->bits));
        memset(s->bits + s->cap, 0, (cap - s->cap) * sizeof(*s->bits));
        s->cap = cap;
    }
    s->bits[word] |= (uint64_t)1 << (id % 64);
}

/* Grows a full hash table: into a bigger one, or into a bitmap when that
 * takes less memory than the bigger table would. */
static void
grow(struct ob_idset *s)
{
    size_t cap = s->cap ? s->cap * 2 : MIN_SLOTS, i;
    size_t bitmap_words = (size_t)s->max_id / 64 + 1;
    uint32_t *old = s->slots;
    size_t old_cap = s->cap;

    if (old && bitmap_words * sizeof(uint64_t) <= cap * sizeof(uint32_t)) {
        s->slots = NULL;
        s->cap = 0;
        for (i = 0; i < old_cap; i++)
            if (old[i])
                set_bit(s, old[i] - 1);
        free(old);
        return;
    }
    s->slots = ob_xcalloc(cap, sizeof(*s->slots));
    s->cap = cap;
    for (i = 0; i < old_cap; i++)
        if (old[i])
            sparse_insert(s->slots, cap, old[i] - 1);
    free(old);
}

bool
ob_idset_add(struct ob_idset *s, uint32_t id)
{
    if (s->bits) {
        if (ob_idset_has(s, id))
            return false;
        set_bit(s, id);
    } else {
        if ((s->count + 1) * 2 > s->cap) {
            if (id > s->max_id && s->count)
                s->max_id = id;
            grow(s);
            if (s->bits)
                return ob_idset_add(s, id);
        }
        if (!sparse_insert(s->slots, s->cap, id))
            return false;
    }
    if (id > s->max_id || s->count == 0)
        s->max_id = id;
    s->count++;
    return true;
}

bool
ob_idset_has(const struct ob_idset *s, uint32_t id)
{
    size_t mask, k;

    if (s->bits)
        return id / 64 < s->cap && (s->bits[id / 64] >> (id % 64) & 1) != 0;
    if (!s->cap)
        return false;
    mask = s->cap - 1;
    for (k = slot_of(id, mask); s->slots[k]; k = (k + 1) & mask)
        if (s->slots[k] == id + 1)
            return true;
    return false;
}

bool
ob_idset_next(const struct ob_idset *s, size_t *cursor, uint32_t *id)
{
    if (s->bits) {
        size_t i = *cursor;
        while (i / 64 < s->cap) {
            uint64_t w = s->bits[i / 64] >> (i % 64);
            if (w) {
                i += (size_t)__builtin_ctzll(w);
                *id = (uint32_t)i;
                *cursor = i + 1;
                return true;
            }
            i = (i / 64 + 1) * 64;
        }
        *cursor = i;
        return false;
    }
    while (*cursor < s->cap) {
        uint32_t v = s->slots[(*cursor)++];
        if (v) {
            *id = v - 1;
            return true;
        }
    }
    return false;
}
