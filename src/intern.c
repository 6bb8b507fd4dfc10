/* intern.c: byte strings mapped to dense ids (open addressing). */
/* SPDX-License-Identifier: MIT */
#include "opsbook/intern.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/mem.h"

#define MUL1 0xff51afd7ed558ccdull
#define MUL2 0xc4ceb9fe1a85ec53ull

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

/* A word at a time, mixed as in MurmurHash3's finaliser: good enough to
 * spread ids such as "u0012345" over the table, and a few cycles each. */
static uint64_t
hash_bytes(const unsigned char *p, size_t len, uint64_t *prefix)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ len, w;
    size_t i;

    if (len >= 8)
        memcpy(prefix, p, 8);
    else
        *prefix = ob_intern_word(p, len);
    for (i = 0; i + 8 <= len; i += 8) {
        memcpy(&w, p + i, 8);
        h = (h ^ w) * MUL1;
        h ^= h >> 32;
    }
    if (i < len) {
        w = ob_intern_word(p + i, len - i);
        h = (h ^ w) * MUL1;
        h ^= h >> 32;
    }
    h *= MUL2;
    return h ^ (h >> 29);
}

static uint16_t
short_len(size_t len)
{
    return len < UINT16_MAX ? (uint16_t)len : UINT16_MAX;
}

/* Whether the slot holds this key: the slot alone decides for keys of up
 * to 8 bytes; longer ones are compared in full. */
static bool
slot_matches(const struct ob_intern *in, const struct ob_intern_slot *sl,
             uint64_t prefix, uint16_t tag, const void *s, size_t len)
{
    size_t start;

    if (sl->prefix != prefix || sl->len != short_len(len) || sl->tag != tag)
        return false;
    if (len <= 8)
        return true;
    start = in->offsets[sl->id1 - 1];
    return in->offsets[sl->id1] - start == len &&
           memcmp(in->bytes + start, s, len) == 0;
}

static void
rehash(struct ob_intern *in, size_t cap)
{
    struct ob_intern_slot *old = in->slots;
    size_t old_cap = in->cap_slots, mask = cap - 1, i;

    in->slots = ob_xcalloc(cap, sizeof(*in->slots));
    in->cap_slots = cap;
    for (i = 0; i < old_cap; i++) {
        size_t k;
        if (!old[i].id1)
            continue;
        k = in->hashes[old[i].id1 - 1] & mask;
        while (in->slots[k].id1)
            k = (k + 1) & mask;
        in->slots[k] = old[i];
    }
    free(old);
}

uint32_t
ob_intern_find(const struct ob_intern *in, const void *s, size_t len)
{
    uint64_t prefix, h = hash_bytes(s, len, &prefix);
    uint16_t tag = (uint16_t)(h >> 48);
    size_t mask = in->cap_slots - 1, k;

    if (!in->cap_slots)
        return UINT32_MAX;
    for (k = h & mask; in->slots[k].id1; k = (k + 1) & mask)
        if (slot_matches(in, &in->slots[k], prefix, tag, s, len))
            return in->slots[k].id1 - 1;
    return UINT32_MAX;
}

/* Appends a new key's bytes and bookkeeping; returns its id. */
static uint32_t
append(struct ob_intern *in, const void *s, size_t len, uint64_t h)
{
    uint32_t id;

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
    return id;
}

void
ob_intern_prepare(const struct ob_intern *in, struct ob_intern_key *key,
                  const void *s, size_t len)
{
    key->s = s;
    key->len = len;
    key->hash = hash_bytes(s, len, &key->prefix);
    if (in->cap_slots)
        __builtin_prefetch(&in->slots[key->hash & (in->cap_slots - 1)]);
}

uint32_t
ob_intern_add_key(struct ob_intern *in, const struct ob_intern_key *key)
{
    uint16_t tag = (uint16_t)(key->hash >> 48);
    struct ob_intern_slot *sl;
    size_t mask, k;

    if ((in->n + 1) * 2 > in->cap_slots)
        rehash(in, in->cap_slots ? in->cap_slots * 2 : 16);
    mask = in->cap_slots - 1;
    for (k = key->hash & mask; in->slots[k].id1; k = (k + 1) & mask)
        if (slot_matches(in, &in->slots[k], key->prefix, tag, key->s, key->len))
            return in->slots[k].id1 - 1;
    sl = &in->slots[k];
    sl->prefix = key->prefix;
    sl->len = short_len(key->len);
    sl->tag = tag;
    sl->id1 = append(in, key->s, key->len, key->hash) + 1;
    return sl->id1 - 1;
}

uint32_t
ob_intern_add(struct ob_intern *in, const void *s, size_t len)
{
    struct ob_intern_key key;

    key.s = s;
    key.len = len;
    key.hash = hash_bytes(s, len, &key.prefix);
    return ob_intern_add_key(in, &key);
}

/* How many keys ahead a merge fetches slots: enough misses in flight to
 * hide memory latency, few enough that the lines stay in cache. */
#define MERGE_AHEAD 16

void
ob_intern_merge(struct ob_intern *into, const struct ob_intern *from,
                uint32_t *ids)
{
    struct ob_intern_key key;
    size_t i;

    /* The table grows as keys arrive (most are often known already, so
     * growing for all of them up front could double it for nothing); a
     * slot fetched just before a growth is merely a wasted fetch. */
    for (i = 0; i < from->n; i++) {
        if (i + MERGE_AHEAD < from->n && into->cap_slots)
            __builtin_prefetch(&into->slots[from->hashes[i + MERGE_AHEAD] &
                                            (into->cap_slots - 1)]);
        key.s = ob_intern_get(from, (uint32_t)i, &key.len);
        key.hash = from->hashes[i];
        key.prefix = ob_intern_word((const unsigned char *)key.s,
                                    key.len < 8 ? key.len : 8);
        ids[i] = ob_intern_add_key(into, &key);
    }
}

const char *
ob_intern_get(const struct ob_intern *in, uint32_t id, size_t *len)
{
    *len = in->offsets[id + 1] - in->offsets[id];
    return in->bytes + in->offsets[id];
}
