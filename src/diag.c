/* diag.c: collect problems with their positions and print them sorted. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/diag.h"

#include <stdlib.h>
#include <string.h>

#include "opsbook/buf.h"
#include "opsbook/mem.h"
#include "opsbook/text.h"

static const char *const err_names[] = {
    [OB_OK] = "success",
    [OB_ERR_INPUT] = "problem in the inputs",
    [OB_ERR_USAGE] = "usage error",
    [OB_ERR_ENV] = "environment failure",
};

const char *
ob_strerror(enum ob_err err)
{
    if ((unsigned)err >= sizeof(err_names) / sizeof(err_names[0]))
        return "unknown error";
    return err_names[err];
}

void
ob_diag_init(struct ob_diag *d, size_t max)
{
    memset(d, 0, sizeof(*d));
    d->max = max;
}

void
ob_diag_release(struct ob_diag *d)
{
    size_t i;

    for (i = 0; i < d->len; i++)
        free(d->entries[i].message);
    free(d->entries);
    ob_diag_init(d, d->max);
}

void
ob_diag_vreport(struct ob_diag *d, enum ob_severity sev,
                const struct ob_pos *pos, const char *fmt, va_list ap)
{
    struct ob_diag_entry *e;
    struct ob_buf msg = OB_BUF_INIT;

    if (sev == OB_SEV_ERROR)
        d->errors++;
    else
        d->warnings++;
    if (d->len >= d->max) {
        d->dropped++;
        return;
    }
    OB_GROW(d->entries, d->len + 1, d->cap);
    e = &d->entries[d->len];
    e->severity = sev;
    if (pos)
        e->pos = *pos;
    else
        memset(&e->pos, 0, sizeof(e->pos));
    ob_buf_vprintf(&msg, fmt, ap);
    e->message = ob_buf_detach(&msg, NULL);
    e->seq = d->len++;
}

void
ob_diag_absorb(struct ob_diag *d, struct ob_diag *from)
{
    size_t i;

    d->errors += from->errors;
    d->warnings += from->warnings;
    d->dropped += from->dropped;
    for (i = 0; i < from->len; i++) {
        if (d->len >= d->max) {
            d->dropped++;
            free(from->entries[i].message);
            continue;
        }
        OB_GROW(d->entries, d->len + 1, d->cap);
        d->entries[d->len] = from->entries[i];
        d->entries[d->len].seq = d->len;
        d->len++;
    }
    free(from->entries);
    ob_diag_init(from, from->max);
}

void
ob_diag_shift_lines(struct ob_diag *d, uint32_t by)
{
    size_t i;

    for (i = 0; i < d->len; i++)
        if (d->entries[i].pos.line)
            d->entries[i].pos.line += by;
}

void
ob_diag_error(struct ob_diag *d, const struct ob_pos *pos, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ob_diag_vreport(d, OB_SEV_ERROR, pos, fmt, ap);
    va_end(ap);
}

void
ob_diag_warning(struct ob_diag *d, const struct ob_pos *pos, const char *fmt,
                ...)
{
    va_list ap;

    va_start(ap, fmt);
    ob_diag_vreport(d, OB_SEV_WARNING, pos, fmt, ap);
    va_end(ap);
}

bool
ob_diag_failed(const struct ob_diag *d)
{
    return d->errors > 0 || (d->strict && d->warnings > 0);
}

/* Entries without a file (command line, environment) sort first. */
static int
compare_entries(const void *pa, const void *pb)
{
    const struct ob_diag_entry *a = pa, *b = pb;
    int c;

    if (!a->pos.path != !b->pos.path)
        return a->pos.path ? 1 : -1;
    c = a->pos.path ? strcmp(a->pos.path, b->pos.path) : 0;
    if (c)
        return c;
    if (a->pos.line != b->pos.line)
        return a->pos.line < b->pos.line ? -1 : 1;
    if (a->pos.col != b->pos.col)
        return a->pos.col < b->pos.col ? -1 : 1;
    c = strcmp(a->message, b->message);
    if (c)
        return c;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void
format_location(struct ob_buf *out, const struct ob_pos *pos)
{
    if (!pos->path)
        ob_buf_puts(out, "opsbook");
    else if (!pos->line)
        ob_buf_puts(out, pos->path);
    else if (!pos->col)
        ob_buf_printf(out, "%s:%u", pos->path, (unsigned)pos->line);
    else
        ob_buf_printf(out, "%s:%u:%u", pos->path, (unsigned)pos->line,
                      (unsigned)pos->col);
}

static void
format_text(struct ob_buf *out, const struct ob_diag_entry *e, bool error,
            bool color)
{
    if (color)
        ob_buf_puts(out, "\033[1m");
    format_location(out, &e->pos);
    ob_buf_puts(out, ": ");
    if (color)
        ob_buf_puts(out, error ? "\033[31m" : "\033[35m");
    ob_buf_puts(out, error ? "error:" : "warning:");
    if (color)
        ob_buf_puts(out, "\033[0m");
    ob_buf_printf(out, " %s\n", e->message);
}

static void
format_json(struct ob_buf *out, const struct ob_diag_entry *e, bool error)
{
    ob_buf_puts(out, "{\"path\":");
    if (e->pos.path) {
        ob_buf_putc(out, '"');
        ob_buf_add_json(out, e->pos.path, strlen(e->pos.path));
        ob_buf_putc(out, '"');
    } else {
        ob_buf_puts(out, "null");
    }
    ob_buf_printf(out,
                  ",\"line\":%u,\"column\":%u,\"severity\":\"%s\","
                  "\"message\":\"",
                  (unsigned)e->pos.line, (unsigned)e->pos.col,
                  error ? "error" : "warning");
    ob_buf_add_json(out, e->message, strlen(e->message));
    ob_buf_puts(out, "\"}\n");
}

void
ob_diag_sort(struct ob_diag *d)
{
    ob_qsort(d->entries, d->len, sizeof(*d->entries), compare_entries);
}

void
ob_diag_print(struct ob_diag *d, FILE *out, enum ob_diag_format fmt,
              unsigned flags)
{
    struct ob_buf line = OB_BUF_INIT;
    size_t i;

    ob_diag_sort(d);
    for (i = 0; i < d->len; i++) {
        const struct ob_diag_entry *e = &d->entries[i];
        bool error = e->severity == OB_SEV_ERROR || d->strict;

        if (!error && (flags & OB_DIAG_QUIET))
            continue;
        ob_buf_reset(&line);
        if (fmt == OB_DIAG_JSON)
            format_json(&line, e, error);
        else
            format_text(&line, e, error, flags & OB_DIAG_COLOR);
        fwrite(line.ptr, 1, line.len, out);
    }
    if (d->dropped && fmt == OB_DIAG_TEXT)
        fprintf(out, "opsbook: %zu more problems not shown\n", d->dropped);
    ob_buf_release(&line);
    fflush(out);
}

void
ob_diag_unknown(struct ob_diag *d, const struct ob_pos *pos, const char *what,
                const char *name, const char *const *candidates, size_t n)
{
    const char *hint = ob_suggest_n(name, candidates, n);

    if (hint)
        ob_diag_error(d, pos, "unknown %s '%s' (did you mean '%s'?)", what,
                      name, hint);
    else
        ob_diag_error(d, pos, "unknown %s '%s'", what, name);
}
