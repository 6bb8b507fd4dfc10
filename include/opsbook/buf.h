/* buf.h: a growable, always NUL-terminated, binary-safe byte buffer. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_BUF_H
#define OPSBOOK_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/**
 * A byte buffer. `ptr` is never NULL after ob_buf_init() and always ends in
 * a NUL byte that `len` does not count. `max` caps the length (0: no cap);
 * an append past it fails and sets `toobig`, so a huge file or an expanding
 * input stops cleanly instead of exhausting memory.
 */
struct ob_buf {
    char *ptr;
    size_t len, cap, max;
    bool toobig;
};

/** A borrowed view into someone else's bytes. */
struct ob_str {
    const char *ptr;
    size_t len;
};

#define OB_BUF_INIT                                                            \
    {                                                                          \
        ob_buf_empty, 0, 0, 0, false                                           \
    }
extern char ob_buf_empty[]; /* the shared "" of an unallocated buffer */

void ob_buf_init(struct ob_buf *b);
/** Frees the bytes and leaves `b` empty and ready for reuse. */
void ob_buf_release(struct ob_buf *b);
/** Empties `b` but keeps its memory for the next use. */
void ob_buf_reset(struct ob_buf *b);
/** Hands the bytes to the caller, who frees them; `b` is left empty. */
char *ob_buf_detach(struct ob_buf *b, size_t *len);

/**
 * Makes room for `extra` more bytes, so that appending them does not grow
 * `b` again: for a caller that knows how much it will write. False (and
 * toobig set) when `max` would be passed.
 */
bool ob_buf_grow(struct ob_buf *b, size_t extra);
/** Appends; each returns false (and sets toobig) when `max` would be passed. */
bool ob_buf_add(struct ob_buf *b, const void *data, size_t len);
bool ob_buf_puts(struct ob_buf *b, const char *s);
static inline bool ob_buf_putc(struct ob_buf *b, char c);
bool ob_buf_printf(struct ob_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
bool ob_buf_vprintf(struct ob_buf *b, const char *fmt, va_list ap);
/** Shortens to `len` bytes (no-op when already shorter). */
void ob_buf_truncate(struct ob_buf *b, size_t len);

/** Appends `s` escaped for HTML text and attribute values. */
bool ob_buf_add_html(struct ob_buf *b, const char *s, size_t len);
/** Appends `s` as the contents of a JSON string (no surrounding quotes). */
bool ob_buf_add_json(struct ob_buf *b, const char *s, size_t len);

/* One byte: inline, as text is often built a character at a time (the
 * search index's terms); the growing is ob_buf_add()'s. */
static inline bool
ob_buf_putc(struct ob_buf *b, char c)
{
    if (b->len + 2 > b->cap || (b->max && b->len + 1 > b->max))
        return ob_buf_add(b, &c, 1);
    b->ptr[b->len++] = c;
    b->ptr[b->len] = '\0';
    return true;
}

#endif
