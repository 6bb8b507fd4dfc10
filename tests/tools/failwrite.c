/* failwrite.c: an LD_PRELOAD fault injector for the tests. A file opened
 * for writing with fopen() whose path ends with $OB_FAIL_SUFFIX fails:
 * with OB_FAIL_MODE=open the open itself fails (ENOSPC); with
 * OB_FAIL_MODE=full it opens /dev/full instead, so the writes fail as on a
 * full disk. Build: cc -shared -fPIC -o failwrite.so failwrite.c -ldl */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef FILE *(*fopen_fn)(const char *, const char *);

static int
matches(const char *path, const char *mode)
{
    const char *suffix = getenv("OB_FAIL_SUFFIX");
    size_t n, m;

    if (!suffix || !*suffix || !path || !mode || !strpbrk(mode, "wa"))
        return 0;
    n = strlen(path);
    m = strlen(suffix);
    return n >= m && strcmp(path + n - m, suffix) == 0;
}

static FILE *
faulty(fopen_fn real, const char *path, const char *mode)
{
    const char *how = getenv("OB_FAIL_MODE");

    if (!matches(path, mode))
        return real(path, mode);
    if (how && strcmp(how, "full") == 0)
        return real("/dev/full", mode);
    errno = ENOSPC;
    return NULL;
}

FILE *
fopen(const char *path, const char *mode)
{
    static fopen_fn real;

    if (!real)
        real = (fopen_fn)dlsym(RTLD_NEXT, "fopen");
    return faulty(real, path, mode);
}

FILE *
fopen64(const char *path, const char *mode)
{
    static fopen_fn real;

    if (!real)
        real = (fopen_fn)dlsym(RTLD_NEXT, "fopen64");
    return faulty(real, path, mode);
}
