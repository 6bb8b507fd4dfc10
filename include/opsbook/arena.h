/* arena.h: a bump allocator for everything that lives as long as a build. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_ARENA_H
#define OPSBOOK_ARENA_H

#include <stdarg.h>
#include <stddef.h>

/**
 * Config, model objects and names are allocated here and freed all at once by
 * ob_arena_release(). Per-row data never goes here (memory must stay flat in
 * the number of rows). Not thread-safe: one arena per thread or per build.
 */
struct ob_arena {
    struct ob_arena_block *head;
    size_t total;                 /* bytes handed out, for -v statistics */
    struct ob_arena_taken *taken; /* see ob_arena_take() */
};

void ob_arena_init(struct ob_arena *a);
void ob_arena_release(struct ob_arena *a);

/** Zeroed memory aligned for any type; never NULL (exits when out of memory).
 */
void *ob_arena_alloc(struct ob_arena *a, size_t size);
/** An array of n zeroed elements of size bytes, checking for overflow. */
void *ob_arena_calloc(struct ob_arena *a, size_t n, size_t size);
char *ob_arena_strdup(struct ob_arena *a, const char *s);
/** Makes `p`, from malloc(), the arena's: freed by ob_arena_release(). A
 * file read whole can then lend its strings to what lives in the arena
 * instead of each being copied. Returns p. */
void *ob_arena_take(struct ob_arena *a, void *p);
/** Calls release(p, len) when `a` is released: memory the arena did not
 * allocate, a mapping say. */
void ob_arena_take_with(struct ob_arena *a, void *p, size_t len,
                        void (*release)(void *p, size_t len));
char *ob_arena_strndup(struct ob_arena *a, const char *s, size_t len);
/**
 * Moves everything `from` holds into `a`, to be freed with it: what one
 * thread allocated in an arena of its own joins the build's. `from` is
 * left empty.
 */
void ob_arena_adopt(struct ob_arena *a, struct ob_arena *from);
char *ob_arena_printf(struct ob_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
