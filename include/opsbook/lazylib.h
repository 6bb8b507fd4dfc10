/* lazylib.h: shared libraries opened at their first use, not at start-up. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_LAZYLIB_H
#define OPSBOOK_LAZYLIB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "opsbook/diag.h"

/*
 * Why: cairo and pango with the ~30 libraries they pull in (glib,
 * harfbuzz, fontconfig, freetype, X11's...) cost about 3.5 ms of a 5.3 ms
 * start, libxlsxwriter with OpenSSL's libcrypto another 1 ms, libpq
 * (Kerberos, LDAP, OpenSSL) and libmicrohttpd (GnuTLS) as much as cairo,
 * while most runs draw no chart, write no workbook, read no warehouse and
 * serve nothing: a rebuild after one edit
 * (issue #12 budgets ~15 ms for all of it), `check`, `kpi`, `data`.
 *
 * So opsbook links none of them. src/graphics_lib.c and src/xlsx_lib.c
 * define each function of theirs that opsbook calls, with the library
 * header's own prototype (so the compiler checks every one), as a call
 * through a table that the first call fills from the library, opened with
 * dlopen(). The rest of the code calls cairo_create() or
 * worksheet_write_number() as usual. The binary exports none of these
 * definitions, so the libraries' calls among themselves still reach each
 * other, not us. It exports one other name on purpose: minizip's, which
 * libxlsxwriter calls for each part of a workbook (src/xlsx_lib.c sets
 * the compression level there).
 *
 * The libraries are never closed: the process ends with them loaded,
 * which keeps their names in leak checkers' stacks (the suppressions in
 * tools/).
 */

typedef void (*ob_lazy_fn)(void);

struct ob_lazylib {
    const char *what;           /* "cairo and pango": for messages */
    const char *package;        /* Debian's package that has them */
    const char *const *sonames; /* opened in order, NULL-terminated; dlsym()
                                 * looks in what they need too */
    const char *const *names;   /* the functions, in table order */
    size_t n;                   /* how many names */
    ob_lazy_fn *fns;            /* n pointers, filled by opening */
    pthread_once_t once;        /* PTHREAD_ONCE_INIT */
    void (*open)(void);         /* ob_lazylib_open() of this one */
    bool ok;                    /* every function found */
    char why[256];              /* else what failed (dlerror()) */
};

/**
 * Opens every library of `l` and looks up every function, in the first
 * library that has it: what l->open() calls, once, under l->once.
 */
void ob_lazylib_open(struct ob_lazylib *l);

/**
 * Function i of `l`, opening the libraries at the first call. When they
 * cannot be opened, says so and ends the process with exit status 3: the
 * callers' entry points use ob_lazylib_require() first, so this is only
 * reached on a machine missing a package opsbook depends on.
 */
ob_lazy_fn ob_lazylib_fn(struct ob_lazylib *l, size_t i);

/** Opens `l` now. OB_ERR_ENV, reported to `d`, when it cannot. */
enum ob_err ob_lazylib_require(struct ob_lazylib *l, struct ob_diag *d);

/** Cairo, pango and fontconfig (charts): ob_lazylib_require() of them. */
enum ob_err ob_graphics_require(struct ob_diag *d);

/** libxlsxwriter (reports): ob_lazylib_require() of it. */
enum ob_err ob_xlsx_require(struct ob_diag *d);

/** libpq (warehouse sources): ob_lazylib_require() of it. */
enum ob_err ob_pq_require(struct ob_diag *d);

/** libmicrohttpd (`opsbook serve`): ob_lazylib_require() of it. */
enum ob_err ob_httpd_lib_require(struct ob_diag *d);

#endif
