/* test_csv.c: the streaming CSV reader, across every chunk boundary. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/buf.h"
#include "opsbook/diag.h"
#include "opsbook/mem.h"
#include "opsbook/text.h"
#include "runner.h"

/* An input in memory, read whole or in random pieces of 1..7 bytes. */
struct mem_input {
    const char *s;
    size_t len, pos;
    unsigned seed;  /* 0: each read takes all it may */
    size_t fail_at; /* reads fail once this many bytes are out; 0: never */
    long fail_code; /* what they return then: -1 (errno EIO) or -2 */
};

static long
mem_read(void *ctx, char *buf, size_t cap)
{
    struct mem_input *m = ctx;
    size_t n = m->len - m->pos;

    if (m->fail_at && m->pos >= m->fail_at) {
        errno = EIO;
        return m->fail_code;
    }
    if (m->seed) {
        m->seed = m->seed * 1103515245u + 12345u;
        if (n > 1 + (m->seed >> 16) % 7)
            n = 1 + (m->seed >> 16) % 7;
    }
    if (m->fail_at && n > m->fail_at - m->pos)
        n = m->fail_at - m->pos;
    if (n > cap)
        n = cap;
    memcpy(buf, m->s + m->pos, n);
    m->pos += n;
    return (long)n;
}

/* How each case is read: every one must give the same result. */
static const struct {
    unsigned seed;
    size_t chunk;
} configs[] = {
    {0, 0}, {0, 1}, {0, 2},  {0, 3},  {0, 5},    {0, 64},
    {1, 0}, {7, 1}, {42, 2}, {99, 4}, {1234, 3}, {5, 16},
};
#define N_CONFIGS (sizeof(configs) / sizeof(configs[0]))

/* Options of a case beyond its text. */
struct run {
    char delim;
    size_t max_record;
    size_t fail_at;
    long fail_code;
};

static const struct run comma = {',', 0, 0, 0};

/* The line and column of an offset computed over the whole input: what
 * ob_csv_position() must agree with. A BOM is no character. */
static void
ref_position(const char *s, size_t len, uint64_t off, uint32_t *line,
             uint32_t *col)
{
    size_t bom = len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3) ? 3 : 0;

    ob_text_position(s + bom, (size_t)off - bom, 1, line, col);
}

static bool
same_position(const struct ob_csv_reader *r, const char *s, size_t len,
              uint64_t off)
{
    uint32_t l1, c1, l2, c2;

    ob_csv_position(r, off, &l1, &c1);
    ref_position(s, len, off, &l2, &c2);
    if (l1 == l2 && c1 == c2)
        return true;
    fprintf(stderr, "  offset %llu: got %u:%u, expected %u:%u\n",
            (unsigned long long)off, l1, c1, l2, c2);
    return false;
}

/* Checks a record against the input: offsets, lines, positions. */
static bool
record_consistent(const struct ob_csv_reader *r, const char *s, size_t len,
                  const struct ob_csv_record *rec)
{
    bool ok = same_position(r, s, len, rec->offset);
    uint32_t line, col;
    size_t i;

    ref_position(s, len, rec->offset, &line, &col);
    ok = ok && rec->line == line && col == 1 && rec->n > 0;
    ok = ok && rec->fields[0].offset == rec->offset;
    for (i = 0; i < rec->n; i++) {
        const struct ob_csv_field *f = &rec->fields[i];

        ok = ok && same_position(r, s, len, f->offset);
        if (f->quoted)
            ok = ok && s[f->offset] == '"';
        else
            ok = ok && !memcmp(s + f->offset, f->ptr, f->len);
    }
    return ok;
}

static void
put_field(struct ob_buf *out, const struct ob_csv_field *f)
{
    size_t i;

    if (f->quoted)
        ob_buf_putc(out, '<');
    for (i = 0; i < f->len; i++) {
        if (f->ptr[i] == '\n')
            ob_buf_puts(out, "\\n");
        else if (f->ptr[i] == '\r')
            ob_buf_puts(out, "\\r");
        else
            ob_buf_putc(out, f->ptr[i]);
    }
    if (f->quoted)
        ob_buf_putc(out, '>');
}

static void
put_record(struct ob_buf *out, const struct ob_csv_record *rec)
{
    size_t i;

    ob_buf_printf(out, "%u@%llu:", rec->line, (unsigned long long)rec->offset);
    for (i = 0; i < rec->n; i++) {
        if (i)
            ob_buf_putc(out, '|');
        put_field(out, &rec->fields[i]);
    }
    ob_buf_putc(out, '\n');
}

/*
 * Reads s whole and prints every record ("line@offset:a|<quoted>") and
 * then every diagnostic ("Eline:col: message"). Sets *ok to false when a
 * record disagrees with the input, or when the previous record's positions
 * are lost after the next one is read.
 */
static char *
dump(const char *s, size_t len, const struct run *run, unsigned seed,
     size_t chunk, bool *ok)
{
    struct mem_input m = {s, len, 0, seed, run->fail_at, run->fail_code};
    struct ob_csv_input in = {mem_read, &m};
    struct ob_csv_options opt = {run->delim, chunk, run->max_record, 0, 0};
    struct ob_csv_reader *r = ob_csv_open("t.csv", &in, &opt);
    struct ob_buf out = OB_BUF_INIT;
    struct ob_csv_record rec;
    struct ob_diag d;
    uint64_t prev_offs[64];
    size_t n_prev = 0, i;
    int rc;

    ob_diag_init(&d, 10);
    for (;;) {
        rc = ob_csv_next(r, &d, &rec);
        for (i = 0; i < n_prev; i++)
            *ok = *ok && same_position(r, s, len, prev_offs[i]);
        if (rc <= 0)
            break;
        *ok = *ok && record_consistent(r, s, len, &rec);
        put_record(&out, &rec);
        n_prev = rec.n < 64 ? rec.n : 64;
        for (i = 0; i < n_prev; i++)
            prev_offs[i] = rec.fields[i].offset;
    }
    /* The end and a failure both stay, and nothing is reported twice. */
    *ok = *ok && ob_csv_next(r, &d, &rec) == rc;
    if (run->fail_code == -2) /* the callback reported it: nothing here */
        *ok = *ok && d.errors == 0 && rc < 0;
    else
        *ok = *ok && d.errors == (rc < 0);
    if (!run->delim)
        ob_buf_printf(&out, "delimiter '%c'\n", ob_csv_delimiter(r));
    for (i = 0; i < d.len; i++)
        ob_buf_printf(&out, "E%u:%u: %s\n", d.entries[i].pos.line,
                      d.entries[i].pos.col, d.entries[i].message);
    ob_diag_release(&d);
    ob_csv_close(r);
    return ob_buf_detach(&out, NULL);
}

/* Reads `s` in every configuration and compares with `want`. */
static void
expect_run(const char *s, size_t len, const struct run *run, const char *want)
{
    size_t k;

    for (k = 0; k < N_CONFIGS; k++) {
        bool ok = true;
        char *got = dump(s, len, run, configs[k].seed, configs[k].chunk, &ok);

        if (strcmp(got, want) || !ok)
            fprintf(stderr, "case \"%s\", seed %u, chunk %zu:\n", s,
                    configs[k].seed, configs[k].chunk);
        OB_CHECK_STR(got, want);
        OB_CHECK(ok);
        free(got);
    }
}

static void
expect(const char *s, const char *want)
{
    expect_run(s, strlen(s), &comma, want);
}

static void
test_basics(void)
{
    expect("a,b,c\n1,2,3\n", "1@0:a|b|c\n2@6:1|2|3\n");
    expect("a,b\n1,2", "1@0:a|b\n2@4:1|2\n"); /* no final line end */
    expect("a,b\r\n1,2\r\n", "1@0:a|b\n2@5:1|2\n");
    expect("a,b\r1,2\r", "1@0:a|b\n2@4:1|2\n");
    expect("a\r\nb\rc\nd", "1@0:a\n2@3:b\n3@5:c\n4@7:d\n");
    expect("", "");
    expect("\n\r\n\r\n\r", "");
    expect("x", "1@0:x\n");
    expect("caf\xc3\xa9,\xe2\x82\xac\n", "1@0:caf\xc3\xa9|\xe2\x82\xac\n");
    expect(" \n", "1@0: \n");               /* a space is not a blank line */
    expect("a\"b,c\"\n", "1@0:a\"b|c\"\n"); /* quotes inside: literal */
    expect_run("a\tb\n1\t2\n", 8, &(struct run){'\t', 0, 0, 0},
               "1@0:a|b\n2@4:1|2\n");
    expect_run("a|b,c\n", 6, &(struct run){'|', 0, 0, 0}, "1@0:a|b,c\n");
}

static void
test_blank_lines(void)
{
    expect("\n\na,b\r\n\r\n\n1,2\n\n", "3@2:a|b\n6@10:1|2\n");
    expect("a\r\r\rb\r", "1@0:a\n4@4:b\n");
    expect("a\n\r\n\rb", "1@0:a\n4@5:b\n");
}

static void
test_empty_fields(void)
{
    expect(",,\n", "1@0:||\n"); /* only delimiters: a record */
    expect(",\n,", "1@0:|\n2@2:|\n");
    expect("a,b,\n1,2,\n", "1@0:a|b|\n2@5:1|2|\n"); /* trailing delimiter */
    expect("a,b,", "1@0:a|b|\n");
    expect("\"\"\n", "1@0:<>\n");
    expect("\"\",\"\"", "1@0:<>|<>\n");
    expect("a,\"\",", "1@0:a|<>|\n");
}

static void
test_quoted(void)
{
    expect("\"a,b\",\"say \"\"hi\"\"\",\"x\ny\"\nnext,1\n",
           "1@0:<a,b>|<say \"hi\">|<x\\ny>\n3@25:next|1\n");
    expect("\"\"\"\"\n", "1@0:<\">\n");
    expect("\"\"\"\"\"\",x", "1@0:<\"\">|x\n");
    expect("\"a\r\nb\",c\r\nd\r\n", "1@0:<a\\r\\nb>|c\n3@10:d\n");
    expect("\"a\rb\"\rc", "1@0:<a\\rb>\n3@6:c\n");
    expect("a,\"b\"", "1@0:a|<b>\n");
    expect("\"a\"\r", "1@0:<a>\n");
    expect("\"a\"\"\"", "1@0:<a\">\n");
    expect("\"\n\n\n\",x\ny", "1@0:<\\n\\n\\n>|x\n5@8:y\n");
    expect("\"caf\xc3\xa9\",\"\xe2\x82\xac\"\"\"\n",
           "1@0:<caf\xc3\xa9>|<\xe2\x82\xac\">\n");
    /* Unescaped fields stay valid next to each other in one record. */
    expect("\"a\"\"b\",\"c\"\"d\",e,\"f\"\"\"\n",
           "1@0:<a\"b>|<c\"d>|e|<f\">\n");
}

static void
test_bom(void)
{
    expect("\xef\xbb\xbf"
           "a,b\n1,2\n",
           "1@3:a|b\n2@7:1|2\n");
    expect("\xef\xbb\xbf", "");
    expect("\xef\xbb\xbf\n\nx", "3@5:x\n");
    expect("\xef\xbb\xbf\"q\"\"\",x\n", "1@3:<q\">|x\n");
    /* Only a BOM at the very start is one. */
    expect("a\n\xef\xbb\xbf"
           "b\n",
           "1@0:a\n2@2:\xef\xbb\xbf"
           "b\n");
}

static void
test_errors(void)
{
    expect("a,b\n1,\"xy\n2,3\n", "1@0:a|b\nE2:3: unterminated quoted field\n");
    expect("\"", "E1:1: unterminated quoted field\n");
    expect("x\n\"a\"\"", "1@0:x\nE2:1: unterminated quoted field\n");
    expect("a,b\n\"x\"y,2\n",
           "1@0:a|b\nE2:4: unexpected 'y' after a closing quote\n");
    expect("\"a\nbc\"d\n", "E2:4: unexpected 'd' after a closing quote\n");
    expect("\"\xc3\xa9\"\xc3\xbc\n",
           "E1:4: unexpected '\xc3\xbc' after a closing quote\n");
    expect("\"a\" ,b", "E1:4: unexpected ' ' after a closing quote\n");
    expect("\"a\"\x01", "E1:4: unexpected '\\x01' after a closing quote\n");
    expect("\"a\"\xff", "E1:4: unexpected '\\xff' after a closing quote\n");
    expect("\"a\"\xc3", "E1:4: unexpected '\\xc3' after a closing quote\n");
    expect("caf\xc3\xa9,\"x\"\"\"z",
           "E1:11: unexpected 'z' after a closing quote\n");
    expect("\xef\xbb\xbf\"x\"z",
           "E1:4: unexpected 'z' after a closing quote\n");
    expect("a\n\n\"multi\r\nline\"\r\nok,\"x\"\"y\"z",
           "1@0:a\n3@3:<multi\\r\\nline>\nE5:10: unexpected 'z' after a "
           "closing quote\n");
}

static void
test_max_record(void)
{
    const struct run five = {',', 5, 0, 0};
    const char *s;

    s = "abcde\nab,de\r\n\"b\"\"\"\nabcdef\n";
    expect_run(s, strlen(s), &five,
               "1@0:abcde\n2@6:ab|de\n3@13:<b\">\n"
               "E4:1: record longer than 5 bytes\n");
    s = "abcde";
    expect_run(s, strlen(s), &five, "1@0:abcde\n");
    s = "abcdef";
    expect_run(s, strlen(s), &five, "E1:1: record longer than 5 bytes\n");
    s = "a\n\n\"abcdefghijklmnop";
    expect_run(s, strlen(s), &five,
               "1@0:a\nE3:1: record longer than 5 bytes\n");
    s = "\"abc\"\"de\"x";
    expect_run(s, strlen(s), &five, "E1:1: record longer than 5 bytes\n");
    s = "\"ab\"x";
    expect_run(s, strlen(s), &five,
               "E1:5: unexpected 'x' after a closing quote\n");
    s = "\"abc\"";
    expect_run(s, strlen(s), &five, "1@0:<abc>\n");
    s = "\"abcd\"";
    expect_run(s, strlen(s), &five, "E1:1: record longer than 5 bytes\n");
}

/* A line of delimiters must not cost gigabytes of fields. */
static void
test_max_fields(void)
{
    struct ob_buf s = OB_BUF_INIT;
    size_t i;

    ob_buf_puts(&s, "a,b\n");
    for (i = 0; i < OB_CSV_MAX_FIELDS; i++)
        ob_buf_putc(&s, ',');
    ob_buf_puts(&s, "\nc,d\n");
    /* One reading configuration: the others re-split a 100 KB record on
     * every tiny read, which only costs time here. */
    {
        bool ok = true;
        char *got = dump(s.ptr, s.len, &comma, 0, 0, &ok);
        OB_CHECK_STR(got, "1@0:a|b\nE2:1: record with more than 100000 "
                          "fields\n");
        free(got);
    }
    ob_buf_release(&s);
}

static void
test_read_errors(void)
{
    const struct run fail = {',', 0, 6, -1};
    const struct run reported = {',', 0, 6, -2};
    const struct run at_once = {',', 0, 1, -1};
    const char *s = "a,b\n1,2,3\n";

    expect_run(s, strlen(s), &fail,
               "1@0:a|b\nE2:3: cannot read: Input/output error\n");
    expect_run(s, strlen(s), &reported, "1@0:a|b\n");
    expect_run(s, strlen(s), &at_once,
               "E1:2: cannot read: Input/output error\n");
    /* Sniffing sees the same bytes however the reads before a failure
     * went (a fuzzer find). */
    s = "a;b\n1;2\n";
    expect_run(s, strlen(s), &(struct run){0, 0, 5, -1},
               "1@0:a|b\ndelimiter ';'\nE2:2: cannot read: Input/output "
               "error\n");
    expect_run(s, strlen(s), &(struct run){0, 0, 2, -2}, "delimiter ';'\n");
}

/* The delimiter the reader settles on, the same in every configuration. */
static void
expect_sniff(const char *s, char want, size_t n_fields)
{
    size_t k;

    for (k = 0; k < N_CONFIGS; k++) {
        struct mem_input m = {s, strlen(s), 0, configs[k].seed, 0, 0};
        struct ob_csv_input in = {mem_read, &m};
        struct ob_csv_options opt = {0, configs[k].chunk, 0, 0, 0};
        struct ob_csv_reader *r = ob_csv_open("t.csv", &in, &opt);
        struct ob_csv_record rec;
        struct ob_diag d;
        int rc;

        ob_diag_init(&d, 10);
        OB_CHECK_INT(ob_csv_delimiter(r), 0);
        rc = ob_csv_next(r, &d, &rec);
        OB_CHECK_INT(rc, 1);
        if (ob_csv_delimiter(r) != want)
            fprintf(stderr, "sniffing \"%s\", seed %u, chunk %zu:\n", s,
                    configs[k].seed, configs[k].chunk);
        OB_CHECK_INT(ob_csv_delimiter(r), want);
        OB_CHECK_INT(rc == 1 ? rec.n : 0, n_fields);
        ob_diag_release(&d);
        ob_csv_close(r);
    }
}

static void
test_sniff(void)
{
    expect_sniff("a,b,c\n1,2,3\n", ',', 3);
    expect_sniff("a;b;c\n1;2;3\n", ';', 3);
    expect_sniff("a\tb\n1\t2\n", '\t', 2);
    expect_sniff("a|b|c|d\n1|2|3|4\n", '|', 4);
    /* French exports: ';' between fields, ',' in decimals. */
    expect_sniff("date;montant;taux\n2024-01-01;12,5;3,25\n"
                 "2024-01-02;7,0;1,5\n",
                 ';', 3);
    expect_sniff("nom;prix\r\nstylo;1,50\r\ncahier;2,75\r\n", ';', 2);
    /* The same number of commas on every line does not make ',' win when
     * the header has none. */
    expect_sniff("produit;prix;remise\nA;1,5;0,1\nB;2,5;0,2\n", ';', 3);
    /* Delimiters inside quotes do not count. */
    expect_sniff("\"a;b\",c\n\"1;2\",3\n", ',', 2);
    expect_sniff("\"x,y\";\"z\"\n\"1,5\";2\n", ';', 2);
    expect_sniff("\"a\nb;c\",d\n1,2\n", ',', 2);
    /* Most fields wins; ties go in the order , ; tab |. */
    expect_sniff("a,b;c;d\n1,2;3;4\n", ';', 3);
    expect_sniff("a,b;c\n1,2;3\n", ',', 2);
    expect_sniff("a\tb|c\n1\t2|3\n", '\t', 2);
    /* Nothing splits: ','. Ragged rows: what splits the header most. */
    expect_sniff("name\nalice\nbob\n", ',', 1);
    expect_sniff("note\nhello, world\n", ',', 1);
    expect_sniff("a;b;c\n1;2\n", ';', 3);
    /* Header only, BOM, blank lines, CRLF, no final line end. */
    expect_sniff("a|b", '|', 2);
    expect_sniff("\xef\xbb\xbf"
                 "a;b\r\n\r\n1;2\r\n",
                 ';', 2);
    expect_sniff("\n\na\tb\n\n1\t2", '\t', 2);
}

/* Only the header and 20 lines after it are looked at. */
static void
test_sniff_window(void)
{
    struct ob_buf s = OB_BUF_INIT;
    int i;

    /* ';' splits in 3, ',' in 2; a row ragged for ';' past the window. */
    ob_buf_puts(&s, "x,y;z;w\n");
    for (i = 0; i < 20; i++)
        ob_buf_puts(&s, "1,2;3;4\n");
    ob_buf_puts(&s, "1,2;3\n");
    expect_sniff(s.ptr, ';', 3);
    /* The same row as the 20th after the header: ';' is out. */
    ob_buf_reset(&s);
    ob_buf_puts(&s, "x,y;z;w\n");
    for (i = 0; i < 19; i++)
        ob_buf_puts(&s, "1,2;3;4\n");
    ob_buf_puts(&s, "1,2;3\n1,2;3;4\n");
    expect_sniff(s.ptr, ',', 2);
    ob_buf_release(&s);
}

/* Reads s with the given delimiter; returns the reader at record `n`. */
static struct ob_csv_reader *
open_at(struct mem_input *m, struct ob_csv_input *in, size_t chunk, int n,
        struct ob_csv_record *rec, struct ob_diag *d)
{
    struct ob_csv_options opt = {',', chunk, 0, 0, 0};
    struct ob_csv_reader *r;
    int i;

    in->read = mem_read;
    in->ctx = m;
    r = ob_csv_open("t.csv", in, &opt);
    for (i = 0; i < n; i++)
        OB_CHECK_INT(ob_csv_next(r, d, rec), 1);
    return r;
}

static void
check_pos(const struct ob_csv_reader *r, uint64_t off, uint32_t line,
          uint32_t col)
{
    uint32_t l, c;

    ob_csv_position(r, off, &l, &c);
    OB_CHECK_INT(l, line);
    OB_CHECK_INT(c, col);
}

static void
test_positions(void)
{
    const char *s = "\xef\xbb\xbfid,name,x\n1,\"multi\nline\",x\n\n"
                    "2,caf\xc3\xa9,\xe2\x82\xacz\n";
    size_t chunks[] = {0, 1, 3};
    size_t k;

    for (k = 0; k < 3; k++) {
        struct mem_input m = {s, strlen(s), 0, (unsigned)k, 0, 0};
        struct ob_csv_input in;
        struct ob_csv_record rec;
        struct ob_diag d;
        struct ob_csv_reader *r;

        ob_diag_init(&d, 10);
        r = open_at(&m, &in, chunks[k], 1, &rec, &d);
        check_pos(r, rec.fields[0].offset, 1, 1); /* the BOM is no column */
        check_pos(r, rec.fields[2].offset, 1, 9);
        OB_CHECK(ob_csv_next(r, &d, &rec) == 1);
        OB_CHECK_INT(rec.line, 2);
        check_pos(r, rec.fields[1].offset, 2, 3);
        check_pos(r, rec.fields[2].offset, 3, 7); /* after the newline */
        OB_CHECK(ob_csv_next(r, &d, &rec) == 1);
        OB_CHECK_INT(rec.line, 5);
        check_pos(r, rec.fields[2].offset, 5, 8);     /* after "café" */
        check_pos(r, rec.fields[2].offset + 3, 5, 9); /* after the euro */
        check_pos(r, rec.offset - 2, 3, 8); /* the previous record's end */
        check_pos(r, rec.offset - 1, 3, 8); /* a blank line: its nearest */
        check_pos(r, 3, 2, 1); /* two records back: the nearest kept */
        OB_CHECK_INT(ob_csv_next(r, &d, &rec), 0);
        OB_CHECK_INT(d.errors, 0);
        ob_csv_close(r);
        ob_diag_release(&d);
    }
}

/* A generated input: a header, then rows "i,2024-...,u<i>,plan,i%3600". */
struct gen_input {
    long rows, next;
    char line[128];
    size_t len, pos;
};

static long
gen_read(void *ctx, char *buf, size_t cap)
{
    struct gen_input *g = ctx;
    size_t n = 0;

    while (n < cap) {
        size_t k;

        if (g->pos == g->len) {
            if (g->next > g->rows)
                break;
            if (g->next == 0)
                g->len = (size_t)snprintf(g->line, sizeof(g->line),
                                          "event_id,ts,user_id,plan,"
                                          "duration_s\n");
            else
                g->len = (size_t)snprintf(
                    g->line, sizeof(g->line),
                    "%ld,2024-03-%02ldT%02ld:%02ld:%02ld,u%ld,%s,%ld\n",
                    g->next, 1 + g->next % 28, g->next % 24, g->next % 60,
                    g->next % 59, g->next % 1000,
                    g->next % 7 ? "pro" : "\"team, annual\"", g->next % 3600);
            g->pos = 0;
            g->next++;
        }
        k = g->len - g->pos < cap - n ? g->len - g->pos : cap - n;
        memcpy(buf + n, g->line + g->pos, k);
        g->pos += k;
        n += k;
    }
    return (long)n;
}

/* A reader of a piece of a file: lines and offsets continue the file's,
 * and a leading U+FEFF is text, not a BOM. */
static void
test_piece_of_a_file(void)
{
    const char *s = "\xef\xbb\xbfx,y\n\"a\nb\",2\n3,\"4\n";
    struct mem_input m = {s, strlen(s), 0, 0, 0, 0};
    struct ob_csv_input in = {mem_read, &m};
    struct ob_csv_options opt = {',', 0, 0, 41, 1000};
    struct ob_csv_reader *r = ob_csv_open("t.csv", &in, &opt);
    struct ob_csv_record rec;
    struct ob_diag d;
    uint32_t line, col;

    ob_diag_init(&d, 10);
    OB_CHECK_INT(ob_csv_next(r, &d, &rec), 1);
    OB_CHECK_INT(rec.line, 41);
    OB_CHECK_INT(rec.offset, 1000);
    OB_CHECK_INT(rec.fields[0].len, 4); /* the U+FEFF is kept */
    OB_CHECK_INT(ob_csv_next(r, &d, &rec), 1);
    OB_CHECK_INT(rec.line, 42);
    OB_CHECK_INT(rec.fields[1].offset, 1000 + 13);
    ob_csv_position(r, rec.fields[1].offset, &line, &col);
    OB_CHECK_INT(line, 43);
    OB_CHECK_INT(col, 4);                       /* b",2 */
    OB_CHECK_INT(ob_csv_next(r, &d, &rec), -1); /* the unterminated quote */
    OB_CHECK_STR(d.entries[0].message, "unterminated quoted field");
    OB_CHECK_INT(d.entries[0].pos.line, 44);
    OB_CHECK_INT(d.entries[0].pos.col, 3);
    ob_csv_close(r);
    ob_diag_release(&d);
}

static void
test_million_rows(void)
{
    struct gen_input g = {1000000, 0, {0}, 0, 0};
    struct ob_csv_input in = {gen_read, &g};
    struct ob_csv_options opt = {0, 0, 0, 0, 0};
    struct ob_csv_reader *r = ob_csv_open("big.csv", &in, &opt);
    struct ob_csv_record rec;
    struct ob_diag d;
    long rows = 0, bad = 0, quoted = 0;
    unsigned long long id_sum = 0;
    uint32_t last_line = 0;
    int rc;

    ob_diag_init(&d, 10);
    OB_CHECK_INT(ob_csv_next(r, &d, &rec), 1); /* the header */
    OB_CHECK_INT(ob_csv_delimiter(r), ',');
    for (;;) {
        rc = ob_csv_next(r, &d, &rec);
        if (rc <= 0)
            break;
        rows++;
        bad += rec.n != 5;
        quoted += rec.fields[3].quoted;
        id_sum += strtoull(rec.fields[0].ptr, NULL, 10);
        last_line = rec.line;
    }
    OB_CHECK_INT(rc, 0);
    OB_CHECK_INT(rows, 1000000);
    OB_CHECK_INT(bad, 0);
    OB_CHECK_INT(quoted, 1000000 / 7);
    OB_CHECK_INT(id_sum, 1000000ULL * 1000001ULL / 2);
    OB_CHECK_INT(last_line, 1000001);
    OB_CHECK_INT(d.errors, 0);
    ob_diag_release(&d);
    ob_csv_close(r);
}

/* One field of 300 KB with doubled quotes and line ends, read a few bytes
 * at a time: it takes many refills and must still come out whole. */
static void
test_long_record(void)
{
    struct ob_buf s = OB_BUF_INIT;
    size_t i, k, n = 30000;

    ob_buf_puts(&s, "h\n\"");
    for (i = 0; i < n; i++)
        ob_buf_puts(&s, i % 100 ? "ab\"\"cdefg," : "ab\"\"cdef\r\n");
    ob_buf_puts(&s, "\",z\nlast\n");
    for (k = 0; k < 3; k++) {
        struct mem_input m = {s.ptr, s.len, 0, (unsigned)k * 17, 0, 0};
        struct ob_csv_input in;
        struct ob_csv_record rec;
        struct ob_diag d;
        struct ob_csv_reader *r;
        size_t quotes = 0, j;

        ob_diag_init(&d, 10);
        r = open_at(&m, &in, k == 2 ? 1 : 0, 2, &rec, &d);
        OB_CHECK_INT(rec.n, 2);
        OB_CHECK_INT(rec.fields[0].len, n * 9);
        for (j = 0; j < rec.fields[0].len; j++)
            quotes += rec.fields[0].ptr[j] == '"';
        OB_CHECK_INT(quotes, n);
        OB_CHECK_INT(rec.fields[1].len, 1);
        OB_CHECK_INT(rec.fields[1].ptr[0], 'z');
        /* 300 CRLFs inside; 99 pieces of 10 bytes, '"' and ',' before z */
        check_pos(r, rec.fields[1].offset, 2 + n / 100, 993);
        OB_CHECK_INT(ob_csv_next(r, &d, &rec), 1);
        OB_CHECK_INT(rec.line, 3 + n / 100);
        OB_CHECK_INT(ob_csv_next(r, &d, &rec), 0);
        ob_csv_close(r);
        ob_diag_release(&d);
    }
    ob_buf_release(&s);
}

static void
test_misc(void)
{
    struct mem_input m = {"a;b\n", 4, 0, 0, 0, 0};
    struct ob_csv_input in = {mem_read, &m};
    struct ob_csv_options opt = {'"', 0, 0, 0, 0}; /* cannot split: sniffed */
    struct ob_csv_reader *r = ob_csv_open("t.csv", &in, &opt);
    struct ob_csv_record rec;
    struct ob_diag d;
    uint32_t line, col;

    ob_diag_init(&d, 10);
    ob_csv_position(r, 0, &line, &col); /* nothing read: line 1, col 1 */
    OB_CHECK_INT(line, 1);
    OB_CHECK_INT(col, 1);
    OB_CHECK_INT(ob_csv_next(r, &d, &rec), 1);
    OB_CHECK_INT(ob_csv_delimiter(r), ';');
    OB_CHECK_INT(rec.n, 2);
    ob_csv_close(r);
    ob_csv_close(NULL);
    m.pos = 0;
    r = ob_csv_open("t.csv", &in, NULL); /* NULL options: sniff, defaults */
    OB_CHECK_INT(ob_csv_next(r, &d, &rec), 1);
    OB_CHECK_INT(ob_csv_delimiter(r), ';');
    ob_csv_close(r);
    ob_diag_release(&d);
}

int
main(void)
{
    OB_RUN(test_basics);
    OB_RUN(test_blank_lines);
    OB_RUN(test_empty_fields);
    OB_RUN(test_quoted);
    OB_RUN(test_bom);
    OB_RUN(test_errors);
    OB_RUN(test_max_record);
    OB_RUN(test_max_fields);
    OB_RUN(test_read_errors);
    OB_RUN(test_sniff);
    OB_RUN(test_sniff_window);
    OB_RUN(test_positions);
    OB_RUN(test_piece_of_a_file);
    OB_RUN(test_million_rows);
    OB_RUN(test_long_record);
    OB_RUN(test_misc);
    return OB_TEST_DONE();
}
