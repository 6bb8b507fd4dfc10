/* idset.h: sets of dense ids (from ob_intern), sparse or as a bitmap. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_IDSET_H
#define OPSBOOK_IDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A distinct count per period needs one set per period. Small sets are hash
 * tables (8 bytes a member); once a bitmap over the ids seen so far would be
 * smaller, the set becomes one (a weekly set of 100,000 users out of 200,000
 * is 25 KB instead of 800 KB). Zero-initialised is an empty set.
 */
struct ob_idset {
    uint32_t *slots; /* sparse: open addressing, id + 1, 0 = free */
    uint64_t *bits;  /* dense: bit per id (slots is then NULL) */
    size_t cap;      /* slots, or 64-bit words of bits */
    size_t count;    /* members */
    uint32_t max_id; /* the largest member */
};

#define OB_IDSET_INIT                                                          \
    {                                                                          \
        NULL, NULL, 0, 0, 0                                                    \
    }

void ob_idset_release(struct ob_idset *s);

/** Adds id; returns true when it was not a member yet. */
bool ob_idset_add(struct ob_idset *s, uint32_t id);

bool ob_idset_has(const struct ob_idset *s, uint32_t id);

/**
 * Iterates the members: start with *cursor = 0; returns false when done.
 * The order is unspecified; do not add while iterating.
 */
bool ob_idset_next(const struct ob_idset *s, size_t *cursor, uint32_t *id);

#endif
