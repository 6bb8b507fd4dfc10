/* mem.c: allocation wrappers that exit cleanly when memory runs out. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/mem.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsbook/diag.h"

/* Set by the first thread to run out of memory. Process-wide, as the
 * exit it starts is: exit() runs the handlers (src/output.c removes the
 * work trees of the builds under way) and may not be called by two
 * threads at once, so a second thread that runs out waits for the end. */
static atomic_flag ending = ATOMIC_FLAG_INIT;

/* What running out of memory ends with: ob_oom_outcome(). */
static _Atomic int oom_status = OB_ERR_ENV;
static const char *_Atomic oom_message = NULL;

void
ob_oom_outcome(int status, const char *message)
{
    atomic_store(&oom_message, message);
    atomic_store(&oom_status, status);
}

_Noreturn void
ob_oom(void)
{
    const char *message = atomic_load(&oom_message);

    if (atomic_flag_test_and_set(&ending))
        for (;;)
            pause();
    fputs(message ? message : "opsbook: out of memory\n", stderr);
    exit(atomic_load(&oom_status));
}

void *
ob_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        ob_oom();
    return p;
}

void *
ob_xcalloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
    if (!p)
        ob_oom();
    return p;
}

void *
ob_xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        ob_oom();
    return p;
}

void *
ob_xreallocarray(void *ptr, size_t nmemb, size_t size)
{
    if (size && nmemb > SIZE_MAX / size)
        ob_oom();
    return ob_xrealloc(ptr, nmemb * size);
}

char *
ob_xstrndup(const char *s, size_t len)
{
    char *p = ob_xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *
ob_xstrdup(const char *s)
{
    return ob_xstrndup(s, strlen(s));
}

/* Merges the sorted runs base[0, k) and base[k, n) in place, from the
 * back, through a copy of the second: its ties go after the first's. */
static void
merge_runs(char *base, size_t k, size_t n, size_t size,
           int (*compare)(const void *, const void *))
{
    char *tail = ob_xmalloc((n - k) * size);
    size_t a = k, b = n - k, out = n;

    memcpy(tail, base + k * size, (n - k) * size);
    while (b > 0) {
        out--;
        if (a > 0 &&
            compare(base + (a - 1) * size, tail + (b - 1) * size) > 0) {
            a--;
            memmove(base + out * size, base + a * size, size);
        } else {
            b--;
            memcpy(base + out * size, tail + b * size, size);
        }
    }
    free(tail);
}

void
ob_qsort(void *base, size_t n, size_t size,
         int (*compare)(const void *, const void *))
{
    char *p = base;
    size_t i;

    /* qsort(NULL, 0, ...) is undefined behaviour in C. */
    if (n < 2)
        return;
    /* Lists often come in order already (the pages a cache kept, sorted
     * when saved), or in order but for a few added at the end (the
     * sections a site leaves without a page): one look along them, and
     * a merge of the few, cost less than glibc's merge of them all. */
    for (i = 1; i < n && compare(p + (i - 1) * size, p + i * size) <= 0; i++)
        ;
    if (i == n)
        return;
    if (n - i > n / 8) {
        qsort(base, n, size, compare);
        return;
    }
    ob_qsort(p + i * size, n - i, size, compare);
    merge_runs(p, i, n, size, compare);
}
