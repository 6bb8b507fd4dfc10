/* runner.h: a minimal unit-test harness; each test binary includes it once. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_TEST_RUNNER_H
#define OPSBOOK_TEST_RUNNER_H

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int ob_test_passed, ob_test_failed;

#define OB_CHECK(cond)                                                         \
    do {                                                                       \
        if (cond) {                                                            \
            ob_test_passed++;                                                  \
        } else {                                                               \
            ob_test_failed++;                                                  \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
        }                                                                      \
    } while (0)

#define OB_CHECK_INT(got, want)                                                \
    do {                                                                       \
        long long ob_g = (long long)(got), ob_w = (long long)(want);           \
        if (ob_g == ob_w) {                                                    \
            ob_test_passed++;                                                  \
        } else {                                                               \
            ob_test_failed++;                                                  \
            fprintf(stderr, "%s:%d: %s: got %lld, expected %lld\n", __FILE__,  \
                    __LINE__, #got, ob_g, ob_w);                               \
        }                                                                      \
    } while (0)

#define OB_CHECK_NUM(got, want)                                                \
    do {                                                                       \
        double ob_g = (got), ob_w = (want);                                    \
        if (fabs(ob_g - ob_w) <= 1e-9 * (fabs(ob_w) > 1 ? fabs(ob_w) : 1)) {   \
            ob_test_passed++;                                                  \
        } else {                                                               \
            ob_test_failed++;                                                  \
            fprintf(stderr, "%s:%d: %s: got %.17g, expected %.17g\n",          \
                    __FILE__, __LINE__, #got, ob_g, ob_w);                     \
        }                                                                      \
    } while (0)

#define OB_CHECK_STR(got, want)                                                \
    do {                                                                       \
        const char *ob_g = (got), *ob_w = (want);                              \
        if (ob_g && ob_w && strcmp(ob_g, ob_w) == 0) {                         \
            ob_test_passed++;                                                  \
        } else {                                                               \
            ob_test_failed++;                                                  \
            fprintf(stderr, "%s:%d: %s:\n   got: %s\n  want: %s\n", __FILE__,  \
                    __LINE__, #got, ob_g ? ob_g : "(null)",                    \
                    ob_w ? ob_w : "(null)");                                   \
        }                                                                      \
    } while (0)

/* Writes a fixture file; false when it could not be written. */
static inline bool
ob_test_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    bool ok;

    if (!f)
        return false;
    ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok;
}

/* Runs a test function, naming it when it fails. */
#define OB_RUN(fn)                                                             \
    do {                                                                       \
        int ob_before = ob_test_failed;                                        \
        fn();                                                                  \
        if (ob_test_failed != ob_before)                                       \
            fprintf(stderr, "FAIL %s\n", #fn);                                 \
    } while (0)

/* The last line tests/run reads: "N passed, N failed". */
#define OB_TEST_DONE()                                                         \
    (printf("%d passed, %d failed\n", ob_test_passed, ob_test_failed),         \
     ob_test_failed ? 1 : 0)

#endif
