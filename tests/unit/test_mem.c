/* test_mem.c: sorting that knows lists come mostly in order, and entries
 * found by their paths. */
/* SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/mem.h"
#include "opsbook/pathindex.h"
#include "runner.h"

struct item {
    int key;
    int seq; /* where it started: ties are told apart by it */
};

static int
by_key_seq(const void *pa, const void *pb)
{
    const struct item *a = pa, *b = pb;

    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static uint32_t
next_random(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

/* Fills `n` items in one of several shapes: sorted, sorted but for a
 * few at the end (a long run and a short one), random with many ties,
 * reversed, sorted with its last item first. */
static void
fill(struct item *it, size_t n, int shape, uint32_t *rnd)
{
    size_t i, head = n - n / 10;

    for (i = 0; i < n; i++) {
        it[i].seq = (int)i;
        switch (shape) {
        case 0:
            it[i].key = (int)i;
            break;
        case 1:
            it[i].key =
                i < head ? 2 * (int)i : (int)(next_random(rnd) % (2 * n));
            break;
        case 2:
            it[i].key = (int)(next_random(rnd) % 7);
            break;
        case 3:
            it[i].key = (int)(n - i);
            break;
        default:
            it[i].key = i + 1 < n ? (int)i + 1 : 0;
            break;
        }
    }
}

/* ob_qsort() orders every shape as qsort() does (the comparison is total,
 * so there is one right order). */
static void
test_qsort_shapes(void)
{
    static const size_t sizes[] = {0, 1, 2, 3, 9, 17, 100, 1000, 4099};
    uint32_t rnd = 12345;
    size_t s, i;
    int shape;

    for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        size_t n = sizes[s];
        struct item *a = ob_xcalloc(n + 1, sizeof(*a));
        struct item *b = ob_xcalloc(n + 1, sizeof(*b));

        for (shape = 0; shape < 5; shape++) {
            bool same = true;

            fill(a, n, shape, &rnd);
            memcpy(b, a, n * sizeof(*a));
            ob_qsort(a, n, sizeof(*a), by_key_seq);
            if (n)
                qsort(b, n, sizeof(*b), by_key_seq);
            for (i = 0; i < n; i++)
                same = same && a[i].key == b[i].key && a[i].seq == b[i].seq;
            OB_CHECK(same);
            if (!same)
                fprintf(stderr, "  n=%zu shape=%d\n", n, shape);
        }
        free(a);
        free(b);
    }
    ob_qsort(NULL, 0, sizeof(struct item), by_key_seq); /* no crash */
}

struct named {
    int value;
    const char *path;
};

/* Every entry is found by its path, however long the shared prefix; a
 * path not there is not; a repeated path finds its first entry. */
static void
test_path_index(void)
{
    enum { N = 3000 };
    struct named *e = ob_xcalloc(N + 1, sizeof(*e));
    char(*paths)[64] = ob_xcalloc(N, sizeof(*paths));
    struct ob_path_index ix = {0};
    const struct named *got;
    size_t i;
    bool all = true;

    OB_CHECK(ob_path_index_find(&ix, "content/a.md") == NULL);
    for (i = 0; i < N; i++) {
        snprintf(paths[i], sizeof(paths[i]), "content/section-%zu/page-%zu.md",
                 i % 17, i);
        e[i] = (struct named){(int)i, paths[i]};
    }
    e[N - 1].path = e[5].path; /* a repeat */
    ob_path_index_build(&ix, e, N, sizeof(*e), offsetof(struct named, path));
    for (i = 0; i + 1 < N; i++) {
        got = ob_path_index_find(&ix, paths[i]);
        all = all && got && got->value == (int)i;
    }
    OB_CHECK(all);
    got = ob_path_index_find(&ix, paths[5]);
    OB_CHECK(got && got->value == 5);
    OB_CHECK(ob_path_index_find(&ix, paths[N - 1]) == NULL);
    OB_CHECK(ob_path_index_find(&ix, "content/section-1/page-1.m") == NULL);
    OB_CHECK(ob_path_index_find(&ix, "") == NULL);
    ob_path_index_release(&ix);
    OB_CHECK(ob_path_index_find(&ix, paths[0]) == NULL);

    ob_path_index_build(&ix, e, 0, sizeof(*e), offsetof(struct named, path));
    OB_CHECK(ob_path_index_find(&ix, paths[0]) == NULL);
    ob_path_index_release(&ix);
    free(paths);
    free(e);
}

int
main(void)
{
    OB_RUN(test_qsort_shapes);
    OB_RUN(test_path_index);
    return OB_TEST_DONE();
}
