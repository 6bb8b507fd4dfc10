/* intern.h: byte strings mapped to dense ids, for groups and distinct counts.
 */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_INTERN_H
#define OPSBOOK_INTERN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Each distinct string gets the next id (0, 1, 2, ...), so sets of them can
 * be bitmaps and arrays can be indexed by them. The strings are copied into
 * one growing buffer: memory grows with distinct values, never with rows.
 *
 * This is on the hot path (a user id per row over millions of rows), so a
 * slot holds the key's first 8 bytes and its length: keys of up to 8 bytes
 * (most ids and codes) are found with one memory access per probe.
 */
struct ob_intern_slot {
    uint64_t prefix; /* the key's first 8 bytes, zero-padded */
    uint32_t id1;    /* id + 1; 0 = free */
    uint16_t len;    /* the key's length, saturated at UINT16_MAX */
    uint16_t tag;    /* 16 more bits of the hash */
};

struct ob_intern {
    struct ob_intern_slot *slots; /* open addressing, linear probing */
    uint64_t *hashes;             /* per id, to grow without rehashing keys */
    size_t *offsets;              /* per id: start in `bytes`; [n] = end */
    char *bytes;
    size_t n, cap_slots, cap_ids, len_bytes, cap_bytes;
};

void ob_intern_init(struct ob_intern *in);
void ob_intern_release(struct ob_intern *in);

/** The id of s[0..len), adding it when new. */
uint32_t ob_intern_add(struct ob_intern *in, const void *s, size_t len);

/*
 * The same in two steps, so a caller can start the memory access early
 * and do other work while it arrives: a table of a million ids does not
 * fit in a core's cache, and one lookup per row would otherwise wait.
 */
struct ob_intern_key {
    const void *s;
    size_t len;
    uint64_t hash, prefix;
};

/** Hashes s[0..len) and prefetches its slot. */
void ob_intern_prepare(const struct ob_intern *in, struct ob_intern_key *key,
                       const void *s, size_t len);

/** ob_intern_add() of a prepared key. */
uint32_t ob_intern_add_key(struct ob_intern *in,
                           const struct ob_intern_key *key);

/**
 * Adds every key of `from` to `into` (merging the dictionary of one piece
 * of a file into the whole's) and writes each one's id in `into` to
 * ids[0..from->n). Keys go in `from`'s order, so new ones get ids in that
 * order. The stored hashes are reused and slots fetched ahead.
 */
void ob_intern_merge(struct ob_intern *into, const struct ob_intern *from,
                     uint32_t *ids);

/** The id of s[0..len), or UINT32_MAX when it was never added. */
uint32_t ob_intern_find(const struct ob_intern *in, const void *s, size_t len);

/** The bytes of id (not NUL-terminated) and their length. */
const char *ob_intern_get(const struct ob_intern *in, uint32_t id, size_t *len);

/**
 * The len <= 8 bytes at p as a zero-padded little-endian word: with the
 * length, a short key's identity, compared without memcmp. Inline, since
 * callers run it per row, and without a variable-length memcpy (a library
 * call): two overlapping 4-byte loads cover 4..7 bytes, and the bytes
 * they share are equal, so OR-ing them is exact.
 */
static inline uint64_t
ob_intern_word(const void *p, size_t len)
{
    const unsigned char *b = p;
    uint32_t lo, hi;
    uint64_t w = 0;
    size_t i;

    if (len == 8) {
        memcpy(&w, b, 8);
        return w;
    }
    if (len >= 4) {
        memcpy(&lo, b, 4);
        memcpy(&hi, b + len - 4, 4);
        return lo | (uint64_t)hi << ((len - 4) * 8);
    }
    for (i = 0; i < len; i++)
        w |= (uint64_t)b[i] << (i * 8);
    return w;
}

#endif
