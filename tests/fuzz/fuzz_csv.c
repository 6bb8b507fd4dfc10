/* fuzz_csv.c: libFuzzer target for the CSV reader; chunking never matters. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/buf.h"
#include "opsbook/csv.h"
#include "opsbook/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The first two bytes choose the options and the chunking, the rest is the
 * CSV text. Each input is read twice: whole, and in pieces sized from a
 * seed. Both readings must give the same records, positions and messages,
 * and unquoted fields must hold the bytes at their offsets.
 */

struct fuzz_input {
    const uint8_t *s;
    size_t len, pos;
    uint32_t seed;  /* 0: each read takes all it may */
    size_t fail_at; /* reads fail once this many bytes are out; 0: never */
};

static long
fuzz_read(void *ctx, char *buf, size_t cap)
{
    struct fuzz_input *in = ctx;
    size_t n = in->len - in->pos;

    if (in->fail_at && in->pos >= in->fail_at)
        return -2; /* "reported already": no errno needed */
    if (in->seed) {
        in->seed = in->seed * 1664525u + 1013904223u;
        if (n > 1 + (in->seed >> 24) % 9)
            n = 1 + (in->seed >> 24) % 9;
    }
    if (in->fail_at && n > in->fail_at - in->pos)
        n = in->fail_at - in->pos;
    if (n > cap)
        n = cap;
    memcpy(buf, in->s + in->pos, n);
    in->pos += n;
    return (long)n;
}

static void
check_record(const struct ob_csv_reader *r, const struct ob_csv_record *rec,
             const uint8_t *s, size_t len, struct ob_buf *out)
{
    size_t i;
    uint32_t line, col;

    ob_buf_printf(out, "%u@%llu:%zu\n", rec->line,
                  (unsigned long long)rec->offset, rec->n);
    for (i = 0; i < rec->n; i++) {
        const struct ob_csv_field *f = &rec->fields[i];

        if (f->offset >= len + 1 || (!f->quoted && f->offset + f->len > len))
            abort();
        if (!f->quoted && memcmp(s + f->offset, f->ptr, f->len))
            abort();
        if (f->quoted && s[f->offset] != '"')
            abort();
        ob_csv_position(r, f->offset, &line, &col);
        if (line < rec->line || col < 1)
            abort();
        ob_buf_printf(out, "%u:%u:%d:", line, col, f->quoted);
        ob_buf_add(out, f->ptr, f->len);
        ob_buf_putc(out, '\n');
    }
}

/* Reads everything; returns the transcript of records and messages. */
static char *
transcript(const uint8_t *s, size_t len, const struct ob_csv_options *opt,
           uint32_t seed, size_t fail_at, size_t *out_len)
{
    struct fuzz_input in = {s, len, 0, seed, fail_at};
    struct ob_csv_input input = {fuzz_read, &in};
    struct ob_csv_reader *r = ob_csv_open("fuzz.csv", &input, opt);
    struct ob_buf out = OB_BUF_INIT;
    struct ob_csv_record rec;
    struct ob_diag d;
    uint32_t line, col;
    size_t i;
    int rc;

    ob_diag_init(&d, 4);
    for (;;) {
        rc = ob_csv_next(r, &d, &rec);
        if (rc <= 0)
            break;
        check_record(r, &rec, s, len, &out);
    }
    if (ob_csv_next(r, &d, &rec) != rc)
        abort();
    ob_csv_position(r, 0, &line, &col);
    ob_csv_position(r, UINT64_MAX, &line, &col);
    ob_buf_printf(&out, "rc %d delim %d\n", rc, ob_csv_delimiter(r));
    for (i = 0; i < d.len; i++)
        ob_buf_printf(&out, "E%u:%u: %s\n", d.entries[i].pos.line,
                      d.entries[i].pos.col, d.entries[i].message);
    ob_diag_release(&d);
    ob_csv_close(r);
    return ob_buf_detach(&out, out_len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[] = {0, ',', ';', '\t', '|', ',', 0, ';'};
    static const size_t max_records[] = {0, 1, 8, 64};
    static const size_t chunks[] = {1, 2, 3, 5, 7, 16, 64, 0};
    struct ob_csv_options whole, pieces;
    size_t fail_at = 0, na, nb;
    char *a, *b;

    if (size < 2)
        return 0;
    memset(&whole, 0, sizeof(whole)); /* every option not set is 0 */
    whole.delimiter = delims[data[0] & 7];
    whole.max_record = max_records[(data[0] >> 3) & 3];
    whole.chunk = 0;
    pieces = whole;
    pieces.chunk = chunks[data[0] >> 5];
    if (data[1] & 1)
        fail_at = 1 + data[1] % 97; /* may lie past the end: then unused */
    a = transcript(data + 2, size - 2, &whole, 0, fail_at, &na);
    b = transcript(data + 2, size - 2, &pieces, data[1] | 1u, fail_at, &nb);
    if (na != nb || memcmp(a, b, na)) {
        fprintf(stderr, "whole:\n%s\npieces:\n%s\n", a, b);
        abort();
    }
    free(a);
    free(b);
    return 0;
}
