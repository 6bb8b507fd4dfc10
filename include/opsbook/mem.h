/* mem.h: allocation wrappers that never return NULL. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_MEM_H
#define OPSBOOK_MEM_H

#include <stddef.h>

/**
 * Allocation wrappers: on failure they print "opsbook: out of memory" and
 * exit with status 3 (OB_ERR_ENV). That is safe because OUT is only swapped
 * in at the very end of a build, so an aborted build leaves it untouched;
 * the exit removes the temporary folder of the build under way (an exit
 * handler of src/output.c).
 * Every result is freed with free().
 */
/** Prints "opsbook: out of memory" and exits 3 (or as ob_oom_outcome()
 * says). */
_Noreturn void ob_oom(void);
/**
 * From now on, running out of memory prints `message` (a whole line; NULL:
 * "opsbook: out of memory") and exits with `status`. A build whose new
 * OUT is in place has succeeded: what is left (the cache) only saves the
 * next build time, so src/output.c makes it exit 0 with a warning then.
 */
void ob_oom_outcome(int status, const char *message);
void *ob_xmalloc(size_t size);
void *ob_xcalloc(size_t nmemb, size_t size);
void *ob_xrealloc(void *ptr, size_t size);
/** Grows an array of nmemb elements of size bytes, checking for overflow. */
void *ob_xreallocarray(void *ptr, size_t nmemb, size_t size);
char *ob_xstrdup(const char *s);
char *ob_xstrndup(const char *s, size_t len);

/** qsort() that also takes an empty array, which may be NULL. */
void ob_qsort(void *base, size_t n, size_t size,
              int (*compare)(const void *, const void *));

/** Grow *cap (an element count) so that it holds at least need elements. */
#define OB_GROW(ptr, need, cap)                                                \
    do {                                                                       \
        if ((need) > (cap)) {                                                  \
            size_t ob_grow_n = (cap) ? (cap)*2 : 8;                            \
            while (ob_grow_n < (need))                                         \
                ob_grow_n *= 2;                                                \
            (ptr) = ob_xreallocarray((ptr), ob_grow_n, sizeof(*(ptr)));        \
            (cap) = ob_grow_n;                                                 \
        }                                                                      \
    } while (0)

#endif
