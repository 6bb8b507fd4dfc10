/* buf.c: growable byte buffers and the escaping that writes through them. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/mem.h"

char ob_buf_empty[1];

void
ob_buf_init(struct ob_buf *b)
{
    b->ptr = ob_buf_empty;
    b->len = b->cap = b->max = 0;
    b->toobig = false;
}

void
ob_buf_release(struct ob_buf *b)
{
    size_t max = b->max;
    if (b->cap)
        free(b->ptr);
    ob_buf_init(b);
    b->max = max;
}

void
ob_buf_reset(struct ob_buf *b)
{
    b->len = 0;
    if (b->cap)
        b->ptr[0] = '\0';
    b->toobig = false;
}

char *
ob_buf_detach(struct ob_buf *b, size_t *len)
{
    char *p = b->cap ? b->ptr : ob_xstrdup("");
    if (len)
        *len = b->len;
    ob_buf_init(b);
    return p;
}

static bool
grow(struct ob_buf *b, size_t extra)
{
    size_t need, cap;

    if (extra > (size_t)-1 - b->len - 1 ||
        (b->max && b->len + extra > b->max)) {
        b->toobig = true;
        return false;
    }
    need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
    if (b->cap) {
        b->ptr = ob_xrealloc(b->ptr, cap);
    } else {
        b->ptr = ob_xmalloc(cap);
        b->ptr[0] = '\0';
    }
    b->cap = cap;
    return true;
}

/* Room for `extra` more bytes and the NUL: most calls find it already. */
static inline bool
reserve(struct ob_buf *b, size_t extra)
{
    if (extra < b->cap && b->len < b->cap - extra &&
        (!b->max || b->len + extra <= b->max))
        return true;
    return grow(b, extra);
}

bool
ob_buf_grow(struct ob_buf *b, size_t extra)
{
    return reserve(b, extra);
}

bool
ob_buf_add(struct ob_buf *b, const void *data, size_t len)
{
    if (!reserve(b, len))
        return false;
    if (len)
        memcpy(b->ptr + b->len, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
    return true;
}

bool
ob_buf_puts(struct ob_buf *b, const char *s)
{
    return ob_buf_add(b, s, strlen(s));
}

bool
ob_buf_vprintf(struct ob_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    int n;

    va_copy(cp, ap);
    n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0 || !reserve(b, (size_t)n))
        return false;
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return true;
}

bool
ob_buf_printf(struct ob_buf *b, const char *fmt, ...)
{
    va_list ap;
    bool ok;

    va_start(ap, fmt);
    ok = ob_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return ok;
}

void
ob_buf_truncate(struct ob_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->ptr[len] = '\0';
    }
}

bool
ob_buf_add_html(struct ob_buf *b, const char *s, size_t len)
{
    size_t i, start = 0;
    const char *rep;

    for (i = 0; i < len; i++) {
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            continue;
        }
        if (!ob_buf_add(b, s + start, i - start) || !ob_buf_puts(b, rep))
            return false;
        start = i + 1;
    }
    return ob_buf_add(b, s + start, len - start);
}

bool
ob_buf_add_json(struct ob_buf *b, const char *s, size_t len)
{
    size_t i, start = 0;
    char esc[8];

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = esc;
        if (c == '"')
            rep = "\\\"";
        else if (c == '\\')
            rep = "\\\\";
        else if (c == '\n')
            rep = "\\n";
        else if (c == '\t')
            rep = "\\t";
        else if (c == '\r')
            rep = "\\r";
        else if (c < 0x20)
            snprintf(esc, sizeof esc, "\\u%04x", c);
        else
            continue;
        if (!ob_buf_add(b, s + start, i - start) || !ob_buf_puts(b, rep))
            return false;
        start = i + 1;
    }
    return ob_buf_add(b, s + start, len - start);
}
