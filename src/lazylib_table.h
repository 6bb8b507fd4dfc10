/* lazylib_table.h: the table of a library opened at first use, and a
 * definition per function that calls through it (see lazylib.h). */
/* SPDX-License-Identifier: MIT */
/*
 * Included once by each src/NAME_lib.c, after it defines FUNCTIONS(FN,
 * FN_VOID) (each function with its return type, parameters and argument
 * names), WHAT, PACKAGE and `sonames`. It defines `lib`, the library's
 * struct ob_lazylib, for that file's require function.
 */
#ifndef FUNCTIONS
#error "define FUNCTIONS(FN, FN_VOID) before including lazylib_table.h"
#endif

/* The table's slots, the names to look up, and a definition per function
 * that calls through its slot (see lazylib.h). */
enum {
#define FN(ret, name, params, args) SLOT_##name,
#define FN_VOID(name, params, args) SLOT_##name,
    FUNCTIONS(FN, FN_VOID)
#undef FN
#undef FN_VOID
        N_SLOTS
};

static const char *const names[] = {
#define FN(ret, name, params, args) #name,
#define FN_VOID(name, params, args) #name,
    FUNCTIONS(FN, FN_VOID)
#undef FN
#undef FN_VOID
};

static ob_lazy_fn fns[N_SLOTS];
static void open_lib(void);

/* Process-wide, like the libraries themselves: opened once, by whichever
 * thread calls first, and never closed. */
static struct ob_lazylib lib = {
    .what = WHAT,
    .package = PACKAGE,
    .sonames = sonames,
    .names = names,
    .n = N_SLOTS,
    .fns = fns,
    .once = PTHREAD_ONCE_INIT,
    .open = open_lib,
};

static void
open_lib(void)
{
    ob_lazylib_open(&lib);
}

#define FN(ret, name, params, args)                                            \
    ret name params                                                            \
    {                                                                          \
        return ((ret(*) params)ob_lazylib_fn(&lib, SLOT_##name))args;          \
    }
#define FN_VOID(name, params, args)                                            \
    void name params                                                           \
    {                                                                          \
        ((void(*) params)ob_lazylib_fn(&lib, SLOT_##name)) args;               \
    }
FUNCTIONS(FN, FN_VOID)
#undef FN
#undef FN_VOID
