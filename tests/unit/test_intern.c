/* test_intern.c: dense ids for byte strings, and sets of them. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/idset.h"
#include "opsbook/intern.h"
#include "runner.h"

/* Ids are dense and stable; keys that share their first 8 bytes, differ
 * only in length, or hold NUL bytes stay apart. */
static void
test_intern_keys(void)
{
    static const char *const keys[] = {"",
                                       "a",
                                       "ab",
                                       "abcdefg",
                                       "abcdefgh",
                                       "abcdefghi",
                                       "abcdefgh2",
                                       "u0012345",
                                       "u0012346",
                                       "a\0",
                                       "ab\0\0\0\0\0\0",
                                       "a long key well past one word"};
    static const size_t lens[] = {0, 1, 2, 7, 8, 9, 9, 8, 8, 2, 8, 29};
    struct ob_intern in;
    size_t i, len;

    ob_intern_init(&in);
    OB_CHECK_INT(ob_intern_find(&in, "a", 1), UINT32_MAX);
    for (i = 0; i < 12; i++)
        OB_CHECK_INT(ob_intern_add(&in, keys[i], lens[i]), i);
    for (i = 0; i < 12; i++) {
        const char *s;
        OB_CHECK_INT(ob_intern_add(&in, keys[i], lens[i]), i);
        OB_CHECK_INT(ob_intern_find(&in, keys[i], lens[i]), i);
        s = ob_intern_get(&in, (uint32_t)i, &len);
        OB_CHECK_INT(len, lens[i]);
        OB_CHECK(memcmp(s, keys[i], len) == 0);
    }
    OB_CHECK_INT(ob_intern_find(&in, "abc", 3), UINT32_MAX);
    OB_CHECK_INT(in.n, 12);
    ob_intern_release(&in);
}

/* Many keys through several table growths, with the two-step lookup. */
static void
test_intern_many(void)
{
    struct ob_intern in;
    char key[32];
    uint32_t i;
    int bad = 0;

    ob_intern_init(&in);
    for (i = 0; i < 100000; i++) {
        int n = snprintf(key, sizeof key, i % 3 ? "u%07u" : "user-%u-x", i);
        struct ob_intern_key k;
        ob_intern_prepare(&in, &k, key, (size_t)n);
        bad += ob_intern_add_key(&in, &k) != i;
    }
    for (i = 0; i < 100000; i += 7) {
        int n = snprintf(key, sizeof key, i % 3 ? "u%07u" : "user-%u-x", i);
        bad += ob_intern_find(&in, key, (size_t)n) != i;
    }
    OB_CHECK_INT(bad, 0);
    OB_CHECK_INT(in.n, 100000);
    ob_intern_release(&in);
}

/* Merging a piece's dictionary: keys both have get the whole's ids, new
 * ones come next in the piece's order, and every key reads back. */
static void
test_intern_merge(void)
{
    struct ob_intern whole, piece;
    uint32_t *ids, i;
    char key[32];
    int bad = 0;
    size_t len;

    ob_intern_init(&whole);
    ob_intern_init(&piece);
    for (i = 0; i < 30000; i++) { /* even numbers, some long */
        int n =
            snprintf(key, sizeof key, i % 5 ? "u%u" : "a-long-id-%u", 2 * i);
        ob_intern_add(&whole, key, (size_t)n);
    }
    for (i = 0; i < 20000; i++) { /* 0, 3, 6, ...: a third already known */
        int n = snprintf(key, sizeof key,
                         (3 * i / 2) % 5 ? "u%u" : "a-long-id-%u", 3 * i);
        ob_intern_add(&piece, key, (size_t)n);
    }
    ids = calloc(piece.n, sizeof(*ids));
    OB_CHECK(ids != NULL);
    if (!ids)
        return;
    ob_intern_merge(&whole, &piece, ids);
    for (i = 0; i < piece.n; i++) {
        const char *a = ob_intern_get(&piece, i, &len);
        size_t len2;
        const char *b = ob_intern_get(&whole, ids[i], &len2);
        bad += len != len2 || memcmp(a, b, len) != 0;
        bad += ob_intern_find(&whole, a, len) != ids[i];
    }
    /* the piece's new keys, in its order, after the whole's 30,000 */
    for (i = 1; i < piece.n; i++)
        if (ids[i] >= 30000 && ids[i - 1] >= 30000)
            bad += ids[i] <= ids[i - 1];
    OB_CHECK_INT(bad, 0);
    OB_CHECK_INT(whole.n, 30000 + 10000);
    free(ids);
    ob_intern_release(&whole);
    ob_intern_release(&piece);
}

/* A set against a plain array of flags, through the switch to a bitmap. */
static void
test_idset_against_flags(void)
{
    enum { N = 50000 };
    unsigned char *flags = calloc(N, 1);
    struct ob_idset s = OB_IDSET_INIT;
    size_t count = 0, cursor = 0, seen = 0;
    uint32_t id;
    int bad = 0, i;

    srand(7);
    for (i = 0; i < 200000; i++) {
        /* sparse at first (few, large ids), then dense */
        uint32_t v =
            i < 1000 ? (uint32_t)(rand() % N) : (uint32_t)(rand() % (N / 4));
        bool fresh = ob_idset_add(&s, v);
        bad += fresh != !flags[v];
        if (!flags[v])
            count++;
        flags[v] = 1;
    }
    OB_CHECK(s.bits != NULL); /* dense enough to be a bitmap */
    OB_CHECK_INT(s.count, count);
    for (i = 0; i < N; i++)
        bad += ob_idset_has(&s, (uint32_t)i) != (flags[i] != 0);
    while (ob_idset_next(&s, &cursor, &id)) {
        bad += !flags[id];
        seen++;
    }
    OB_CHECK_INT(seen, count);
    OB_CHECK_INT(bad, 0);
    ob_idset_release(&s);
    free(flags);
}

static void
test_idset_sparse(void)
{
    struct ob_idset s = OB_IDSET_INIT;
    size_t cursor = 0, n = 0;
    uint32_t id, sum = 0;

    OB_CHECK(!ob_idset_has(&s, 0));
    OB_CHECK(!ob_idset_next(&s, &cursor, &id));
    OB_CHECK(ob_idset_add(&s, 0));
    OB_CHECK(ob_idset_add(&s, 4000000000u));
    OB_CHECK(!ob_idset_add(&s, 0));
    OB_CHECK(ob_idset_has(&s, 4000000000u));
    OB_CHECK(!ob_idset_has(&s, 1));
    OB_CHECK(s.bits == NULL); /* two ids far apart: a bitmap would be huge */
    cursor = 0;
    while (ob_idset_next(&s, &cursor, &id)) {
        sum += id == 0 || id == 4000000000u;
        n++;
    }
    OB_CHECK_INT(n, 2);
    OB_CHECK_INT(sum, 2);
    ob_idset_release(&s);
}

int
main(void)
{
    OB_RUN(test_intern_keys);
    OB_RUN(test_intern_many);
    OB_RUN(test_intern_merge);
    OB_RUN(test_idset_against_flags);
    OB_RUN(test_idset_sparse);
    return OB_TEST_DONE();
}
