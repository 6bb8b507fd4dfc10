/* arena.c: block-chained bump allocation, freed in one go. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/mem.h"

#define BLOCK_SIZE (64 * 1024)
#define ALIGN      alignof(max_align_t)

struct ob_arena_block {
    struct ob_arena_block *next;
    size_t used, size;
    alignas(max_align_t) unsigned char data[];
};

struct ob_arena_taken {
    struct ob_arena_taken *next;
    void *p;
    size_t len;
    void (*release)(void *p, size_t len); /* NULL: free() */
};

void
ob_arena_init(struct ob_arena *a)
{
    a->head = NULL;
    a->total = 0;
    a->taken = NULL;
}

void
ob_arena_release(struct ob_arena *a)
{
    struct ob_arena_block *b = a->head, *next;
    struct ob_arena_taken *t;

    for (t = a->taken; t; t = t->next) { /* the list lives in the blocks */
        if (t->release)
            t->release(t->p, t->len);
        else
            free(t->p);
    }
    for (; b; b = next) {
        next = b->next;
        free(b);
    }
    ob_arena_init(a);
}

static struct ob_arena_block *
new_block(size_t size)
{
    struct ob_arena_block *b = ob_xmalloc(sizeof(*b) + size);
    b->next = NULL;
    b->used = 0;
    b->size = size;
    return b;
}

/* `size` bytes at an `align` boundary (a power of two), not zeroed. */
static void *
bump(struct ob_arena *a, size_t size, size_t align)
{
    struct ob_arena_block *b = a->head;
    size_t at = 0;

    if (size > SIZE_MAX - ALIGN - sizeof(*b))
        ob_oom();
    if (b)
        at = (b->used + align - 1) & ~(align - 1);
    if (!b || at > b->size || b->size - at < size) {
        if (size > BLOCK_SIZE / 4) {
            /* A big object gets its own block behind the current one, so
             * the current block's free space is not wasted. */
            struct ob_arena_block *big = new_block(size);
            if (b) {
                big->next = b->next;
                b->next = big;
            } else {
                a->head = big;
            }
            big->used = size;
            a->total += size;
            return big->data;
        }
        b = new_block(BLOCK_SIZE);
        b->next = a->head;
        a->head = b;
        at = 0;
    }
    b->used = at + size;
    a->total += size;
    return b->data + at;
}

void *
ob_arena_alloc(struct ob_arena *a, size_t size)
{
    void *p = bump(a, size, ALIGN);

    memset(p, 0, size);
    return p;
}

void *
ob_arena_calloc(struct ob_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        ob_oom();
    return ob_arena_alloc(a, n * size);
}

char *
ob_arena_strndup(struct ob_arena *a, const char *s, size_t len)
{
    /* strings need no alignment, nor zeroing: they are copied over */
    char *p = bump(a, len + 1, 1);

    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void
ob_arena_take_with(struct ob_arena *a, void *p, size_t len,
                   void (*release)(void *p, size_t len))
{
    struct ob_arena_taken *t = bump(a, sizeof(*t), ALIGN);

    t->p = p;
    t->len = len;
    t->release = release;
    t->next = a->taken;
    a->taken = t;
}

void *
ob_arena_take(struct ob_arena *a, void *p)
{
    ob_arena_take_with(a, p, 0, NULL);
    return p;
}

void
ob_arena_adopt(struct ob_arena *a, struct ob_arena *from)
{
    struct ob_arena_block *last = from->head;
    struct ob_arena_taken *t = from->taken;

    if (!last)
        return;
    while (last->next)
        last = last->next;
    /* behind a's current block, which stays the one to bump */
    if (a->head) {
        last->next = a->head->next;
        a->head->next = from->head;
    } else {
        a->head = from->head;
    }
    if (t) {
        while (t->next)
            t = t->next;
        t->next = a->taken;
        a->taken = from->taken;
    }
    a->total += from->total;
    ob_arena_init(from);
}

char *
ob_arena_strdup(struct ob_arena *a, const char *s)
{
    return ob_arena_strndup(a, s, strlen(s));
}

char *
ob_arena_printf(struct ob_arena *a, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return ob_arena_strdup(a, "");
    p = ob_arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
