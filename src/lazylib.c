/* lazylib.c: opening a library set at its first use (see lazylib.h). */
/* SPDX-License-Identifier: MIT */
#include "opsbook/lazylib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Keeps the first failure only: it is the one that explains the rest. */
static void
failed(struct ob_lazylib *l, const char *what)
{
    const char *e = dlerror();

    if (!l->why[0])
        snprintf(l->why, sizeof l->why, "%s", e ? e : what);
}

void
ob_lazylib_open(struct ob_lazylib *l)
{
    void *libs[8];
    size_t n_libs = 0, i, k;

    for (i = 0; l->sonames[i] && n_libs < sizeof libs / sizeof *libs; i++) {
        /* RTLD_LOCAL: their symbols serve only our table */
        void *lib = dlopen(l->sonames[i], RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
            failed(l, l->sonames[i]);
            return;
        }
        libs[n_libs++] = lib;
    }
    for (i = 0; i < l->n; i++) {
        void *p = NULL;
        for (k = 0; k < n_libs && !p; k++)
            p = dlsym(libs[k], l->names[i]);
        if (!p) {
            failed(l, l->names[i]);
            return;
        }
        /* POSIX makes this conversion valid (dlsym's own rationale) */
        l->fns[i] = (ob_lazy_fn)p;
    }
    l->ok = true;
}

ob_lazy_fn
ob_lazylib_fn(struct ob_lazylib *l, size_t i)
{
    pthread_once(&l->once, l->open);
    if (!l->ok) {
        fprintf(stderr,
                "opsbook: error: cannot load %s (%s): install "
                "Debian's %s\n",
                l->what, l->why, l->package);
        _exit(3); /* OB_ERR_ENV; see lazylib.h */
    }
    return l->fns[i];
}

enum ob_err
ob_lazylib_require(struct ob_lazylib *l, struct ob_diag *d)
{
    pthread_once(&l->once, l->open);
    if (l->ok)
        return OB_OK;
    ob_diag_error(d, NULL, "cannot load %s (%s): install Debian's %s", l->what,
                  l->why, l->package);
    return OB_ERR_ENV;
}
