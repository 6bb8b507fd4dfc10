/* hash.h: 64-bit content hashes (xxHash's XXH3, from Debian's libxxhash). */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_HASH_H
#define OPSBOOK_HASH_H

#include <stddef.h>
#include <stdint.h>

/*
 * What the incremental build compares: two inputs or outputs with the same
 * hash are taken to be the same bytes. XXH3 is fast (memory speed) and its
 * results are the same on every machine, so a cache moves with the site.
 */

/** The hash of data[0..len). */
uint64_t ob_hash(const void *data, size_t len);

/** A hash built from many pieces, in order. Small pieces are gathered in
 * `buf` and handed to XXH3 a block at a time: its update costs more than
 * copying a page title (and the site key adds thousands of them). */
struct ob_hasher {
    void *state; /* XXH3_state_t */
    size_t len;  /* bytes in buf */
    unsigned char buf[2048];
};

void ob_hasher_init(struct ob_hasher *h);
void ob_hasher_add(struct ob_hasher *h, const void *data, size_t len);
/** Adds a string with its length, so ("ab","c") and ("a","bc") differ;
 * NULL differs from "". */
void ob_hasher_add_str(struct ob_hasher *h, const char *s);
void ob_hasher_add_u64(struct ob_hasher *h, uint64_t v);
/** Adds a count, then each string as ob_hasher_add_str() does. */
void ob_hasher_add_strs(struct ob_hasher *h, const char *const *list, size_t n);
/** The hash of everything added; releases the hasher. */
uint64_t ob_hasher_finish(struct ob_hasher *h);

#endif
