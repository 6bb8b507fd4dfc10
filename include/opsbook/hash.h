/* hash.h: 64-bit content hashes (xxHash's XXH3, from Debian's libxxhash). */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_HASH_H
#define OPSBOOK_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * What the incremental build compares: two inputs or outputs with the same
 * hash are taken to be the same bytes. XXH3 is fast (memory speed) and its
 * results are the same on every machine, so a cache moves with the site.
 */

/** The hash of data[0..len). */
uint64_t ob_hash(const void *data, size_t len);

/** The hash of what is left to read of `fd`, read to its end (as ob_hash()
 * of those bytes); false, with errno set, when a read fails. */
bool ob_hash_fd(int fd, uint64_t *out);

/** A hash built from many pieces, in order. Small pieces are gathered in
 * `buf` and handed to XXH3 a block at a time: its update costs more than
 * copying a page title (and the site key adds thousands of them). */
struct ob_hasher {
    void *state; /* XXH3_state_t */
    size_t len;  /* bytes in buf */
    unsigned char buf[2048];
};

void ob_hasher_init(struct ob_hasher *h);
static inline void ob_hasher_add(struct ob_hasher *h, const void *data,
                                 size_t len);
/** Adds a string with its length, so ("ab","c") and ("a","bc") differ;
 * NULL differs from "". */
static inline void ob_hasher_add_str(struct ob_hasher *h, const char *s);
static inline void ob_hasher_add_u64(struct ob_hasher *h, uint64_t v);
/** Adds a double by its bits (-0 and 0 differ: more work, never less). */
static inline void ob_hasher_add_double(struct ob_hasher *h, double v);
/** Adds a count, then each string as ob_hasher_add_str() does. */
void ob_hasher_add_strs(struct ob_hasher *h, const char *const *list, size_t n);
/** The hash of everything added; releases the hasher. */
uint64_t ob_hasher_finish(struct ob_hasher *h);

/* Inline: the site key adds tens of thousands of small pieces, and a call
 * per piece cost more than the hashing. Pieces that do not fit go on. */
void ob_hasher_add_slow(struct ob_hasher *h, const void *data, size_t len);

static inline void
ob_hasher_add(struct ob_hasher *h, const void *data, size_t len)
{
    if (len <= sizeof h->buf - h->len) {
        if (len)
            memcpy(h->buf + h->len, data, len);
        h->len += len;
    } else {
        ob_hasher_add_slow(h, data, len);
    }
}

static inline void
ob_hasher_add_u64(struct ob_hasher *h, uint64_t v)
{
    /* little-endian, the same on every CPU */
    unsigned char b[8] = {(unsigned char)v,         (unsigned char)(v >> 8),
                          (unsigned char)(v >> 16), (unsigned char)(v >> 24),
                          (unsigned char)(v >> 32), (unsigned char)(v >> 40),
                          (unsigned char)(v >> 48), (unsigned char)(v >> 56)};

    ob_hasher_add(h, b, sizeof b);
}

static inline void
ob_hasher_add_double(struct ob_hasher *h, double v)
{
    uint64_t bits;

    memcpy(&bits, &v, sizeof bits);
    ob_hasher_add_u64(h, bits);
}

static inline void
ob_hasher_add_str(struct ob_hasher *h, const char *s)
{
    size_t len;

    if (!s) {
        ob_hasher_add_u64(h, UINT64_MAX);
        return;
    }
    len = strlen(s);
    ob_hasher_add_u64(h, len);
    ob_hasher_add(h, s, len);
}

#endif
