/* intern.h: byte strings mapped to dense ids, for groups and distinct counts.
 */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_INTERN_H
#define OPSBOOK_INTERN_H

#include <stddef.h>
#include <stdint.h>

/*
 * Each distinct string gets the next id (0, 1, 2, ...), so sets of them can
 * be bitmaps and arrays can be indexed by them. The strings are copied into
 * one growing buffer: memory grows with distinct values, never with rows.
 */
struct ob_intern {
    uint32_t *slots;  /* open addressing: id + 1, 0 = free */
    uint32_t *hashes; /* per id, so growing does not rehash the bytes */
    size_t *offsets;  /* per id: start in `bytes`; offsets[n] = end */
    char *bytes;
    size_t n, cap_slots, cap_ids, len_bytes, cap_bytes;
};

void ob_intern_init(struct ob_intern *in);
void ob_intern_release(struct ob_intern *in);

/** The id of s[0..len), adding it when new. */
uint32_t ob_intern_add(struct ob_intern *in, const void *s, size_t len);

/** The id of s[0..len), or UINT32_MAX when it was never added. */
uint32_t ob_intern_find(const struct ob_intern *in, const void *s, size_t len);

/** The bytes of id (not NUL-terminated) and their length. */
const char *ob_intern_get(const struct ob_intern *in, uint32_t id, size_t *len);

#endif
