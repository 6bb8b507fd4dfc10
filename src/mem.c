/* mem.c: allocation wrappers that exit cleanly when memory runs out. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/diag.h"

_Noreturn void
ob_oom(void)
{
    fputs("opsbook: out of memory\n", stderr);
    exit(OB_ERR_ENV);
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

void
ob_qsort(void *base, size_t n, size_t size,
         int (*compare)(const void *, const void *))
{
    const char *p = base;
    size_t i;

    /* qsort(NULL, 0, ...) is undefined behaviour in C. */
    if (n < 2)
        return;
    /* Lists often come in order already (the pages a cache kept, sorted
     * when saved): one look along them costs less than glibc's merge. */
    for (i = 1; i < n && compare(p + (i - 1) * size, p + i * size) <= 0; i++)
        ;
    if (i < n)
        qsort(base, n, size, compare);
}
