/* csv.c: a streaming CSV reader whose fields point into its read buffer. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/csv.h"

#include <errno.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/mem.h"
#include "opsbook/text.h"

/*
 * How it works. Bytes are read into one buffer. A record is split in a
 * single pass from its first byte; when the data runs out before the
 * record is decided, the reader reads more and splits the record again
 * from its start. Each refill at least doubles what is pending (up to
 * max_record), so a record spanning many chunks still costs linear time,
 * and the usual case (short records) re-splits at most one record a chunk.
 *
 * Fields of unquoted data, and quoted fields without doubled quotes, point
 * into the buffer. Doubled quotes are unescaped into a scratch area sized
 * once per record, so pointers stay valid for the whole record and the
 * buffer keeps the bytes as read: ob_csv_position() counts characters over
 * them when a diagnostic needs a column, so nothing is counted per field.
 *
 * When the buffer is compacted (the unread tail moved to the front), the
 * bytes of the last record returned are kept as well, since a caller may
 * ask for a position in it after reading the next one. Blank lines between
 * records are not kept: a file of empty lines cannot grow the buffer.
 *
 * A UTF-8 BOM is skipped: offsets count its three bytes (they are bytes of
 * the input), columns do not count it as a character (it is invisible in
 * every editor, so column 1 is the first visible character).
 */

#define DEFAULT_CHUNK      ((size_t)1 << 20)
#define DEFAULT_MAX_RECORD ((size_t)16 << 20)
/* Keeps sizes far from overflow whatever the options say. */
#define MAX_SIZE_OPTION ((size_t)1 << 40)
/*
 * How far a decision may look past its byte: a CR's LF, a quote's twin,
 * the rest of a UTF-8 character named in a message. A record is too long
 * when the byte that decides it lies past max_record; with this margin
 * that does not depend on where the chunks end.
 */
#define LOOKAHEAD 4
/* The sentinel '\n' after the data stops every scan loop without a bound
 * check; zeros follow it, so that the 64 bytes read at any byte up to the
 * sentinel (see stop_bits()) are inside the buffer and set. */
#define PAD 64
/* Sniffing looks at the header and this many lines after it. */
#define SNIFF_LINES 21
/* Enough bytes for SNIFF_LINES lines of any real export, whatever chunk. */
#define SNIFF_BYTES ((size_t)64 << 10)

enum scan { SCAN_OK, SCAN_MORE, SCAN_END, SCAN_FAIL };

/* A record returned to the caller, still in the buffer for positions. */
struct span {
    size_t idx; /* index of its first byte in buf */
    size_t len; /* its bytes, the line end excluded */
    uint64_t off;
    uint32_t line;
    bool set;
};

struct ob_csv_reader {
    const char *path;
    struct ob_csv_input in;
    char delim;
    size_t chunk, max_record;
    unsigned char *buf;
    size_t cap;       /* bytes allocated, the sentinel's included */
    size_t end;       /* bytes of data; buf[end] is the sentinel */
    size_t pos;       /* the first byte not returned in a record yet */
    uint64_t pos_off; /* input offset of buf[pos] */
    uint32_t line;    /* line of buf[pos] */
    bool eof, failed, started;
    bool inside;  /* starts inside a file: no BOM to skip */
    int read_err; /* a failed read, reported once the bytes before it are
                     used: 0, an errno, or -1 (reported by the callback) */
    struct span last, prev;
    struct ob_csv_field *fields;
    size_t fields_cap;
    size_t *esc; /* indexes of the fields that hold doubled quotes */
    size_t esc_len, esc_cap;
    char *scratch;
    size_t scratch_cap;
    unsigned char stop_plain[256];  /* ends an unquoted field */
    unsigned char stop_quoted[256]; /* needs a look inside a quoted one */
    /* Which of the 64 bytes from buf[bits_at] end an unquoted field (bit
     * i: buf[bits_at + i]); bits_at is NO_BITS when unknown. */
    size_t bits_at;
    uint64_t bits;
};

#define NO_BITS SIZE_MAX

static const char sniff_candidates[] = {',', ';', '\t', '|'};

static void report(struct ob_csv_reader *r, struct ob_diag *d, size_t idx,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static size_t
option_size(size_t value, size_t fallback)
{
    if (!value)
        return fallback;
    return value > MAX_SIZE_OPTION ? MAX_SIZE_OPTION : value;
}

struct ob_csv_reader *
ob_csv_open(const char *path, const struct ob_csv_input *in,
            const struct ob_csv_options *opt)
{
    struct ob_csv_reader *r = ob_xcalloc(1, sizeof(*r));

    r->path = path;
    r->in = *in;
    if (opt) {
        r->delim = opt->delimiter;
        r->chunk = option_size(opt->chunk, DEFAULT_CHUNK);
        r->max_record = option_size(opt->max_record, DEFAULT_MAX_RECORD);
    } else {
        r->chunk = DEFAULT_CHUNK;
        r->max_record = DEFAULT_MAX_RECORD;
    }
    /* These three could never split anything; sniff instead. */
    if (r->delim == '"' || r->delim == '\n' || r->delim == '\r')
        r->delim = 0;
    /* Room for a chunk plus the tail carried over from the previous one. */
    r->cap = r->chunk + r->chunk / 8 + 64 + PAD;
    /* not zeroed: every fill ends the bytes read with its own padding,
     * and a reader often opens only to read a header (1 MB cleared for
     * nothing, each time) */
    r->buf = ob_xmalloc(r->cap);
    r->buf[0] = '\n';
    r->bits_at = NO_BITS;
    r->line = 1;
    if (opt && opt->first_line) {
        r->line = opt->first_line;
        r->pos_off = opt->first_offset;
        r->inside = true;
    }
    return r;
}

void
ob_csv_close(struct ob_csv_reader *r)
{
    if (!r)
        return;
    free(r->buf);
    free(r->fields);
    free(r->esc);
    free(r->scratch);
    free(r);
}

char
ob_csv_delimiter(const struct ob_csv_reader *r)
{
    return r->delim;
}

/* Reports at buf[idx], inside the record that starts at buf[pos]. */
static void
report(struct ob_csv_reader *r, struct ob_diag *d, size_t idx, const char *fmt,
       ...)
{
    struct ob_pos where = {r->path, 0, 0};
    va_list ap;

    ob_text_position((const char *)r->buf + r->pos, idx - r->pos, r->line,
                     &where.line, &where.col);
    va_start(ap, fmt);
    ob_diag_vreport(d, OB_SEV_ERROR, &where, fmt, ap);
    va_end(ap);
}

/* A failed read: err is an errno, or -1 when the callback (the input
 * layer) has reported the problem itself. */
static void
read_failed(struct ob_csv_reader *r, struct ob_diag *d, int err)
{
    if (err > 0)
        report(r, d, r->end, "cannot read: %s", strerror(err));
}

/*
 * Moves what must stay to the front: the last record returned (for
 * ob_csv_position) and the pending bytes. The record before it goes.
 */
static void
compact(struct ob_csv_reader *r)
{
    size_t head = 0, from = r->pos;

    r->prev.set = false;
    if (r->last.set) {
        size_t last_end = r->last.idx + r->last.len + 1; /* + its line end */

        if (last_end >= r->pos) {
            from = r->last.idx;
        } else {
            head = last_end - r->last.idx;
            memmove(r->buf, r->buf + r->last.idx, head);
        }
        r->last.idx = 0;
    }
    if (from != head)
        memmove(r->buf + head, r->buf + from, r->end - from);
    r->end = head + (r->end - from);
    r->pos = head + (r->pos - from);
}

static void
make_room(struct ob_csv_reader *r, size_t want)
{
    size_t need;

    compact(r);
    need = r->end + want + PAD;
    if (need <= r->cap)
        return;
    need += need / 4;
    r->buf = ob_xrealloc(r->buf, need);
    r->cap = need;
}

/*
 * How much to read: a chunk, or as much as is pending when a record has
 * outgrown a chunk (so re-splitting it stays linear), but never much more
 * than it takes to prove a record too long.
 */
static size_t
refill_size(const struct ob_csv_reader *r)
{
    size_t pending = r->end - r->pos;
    size_t limit = r->max_record + LOOKAHEAD + 1;
    size_t want = pending;

    if (pending < limit && want > limit - pending)
        want = limit - pending;
    return want > r->chunk ? want : r->chunk;
}

/* Why a read returned n: 0 when it did not fail, else errno (EIO when the
 * callback broke its contract) or -1 when the callback reported it. Call
 * right after the read, before errno changes. */
static int
read_errno(long n, size_t asked)
{
    if (n == -1)
        return errno ? errno : EIO;
    if (n < 0)
        return -1;
    return (size_t)n > asked ? EIO : 0;
}

/*
 * Reads at least refill_size() bytes, or up to the end of the input. A
 * failed read is only remembered: it is reported when the data before it
 * is used up, so every record read before it is returned first, whatever
 * the chunks.
 */
static void
refill(struct ob_csv_reader *r)
{
    size_t want = refill_size(r), got = 0;

    make_room(r, want);
    while (got < want && !r->eof) {
        size_t room = r->cap - PAD - r->end;
        size_t ask = want - got < room ? want - got : room;
        long n;
        int err;

        errno = 0; /* a callback that fails without errno: EIO, not stale */
        n = r->in.read(r->in.ctx, (char *)r->buf + r->end, ask);
        err = read_errno(n, ask);
        if (err == EINTR)
            continue;
        if (err) {
            r->read_err = err;
            break;
        }
        if (n == 0)
            r->eof = true;
        r->end += (size_t)n;
        got += (size_t)n;
    }
    r->buf[r->end] = '\n';
    memset(r->buf + r->end + 1, 0, PAD - 1);
    r->bits_at = NO_BITS; /* the bytes moved, or more came */
}

/*
 * Counts the fields of the line at s, quotes respected (a quote opens a
 * quoted field only at the start of a field, as when reading). Returns the
 * line's end: its line end byte, or `end`.
 */
static const unsigned char *
sniff_line(const unsigned char *s, const unsigned char *end,
           unsigned char delim, size_t *fields)
{
    bool at_start = true, quoted = false;
    size_t n = 1;

    for (; s < end; s++) {
        if (quoted) {
            if (*s == '"' && s + 1 < end && s[1] == '"')
                s++;
            else if (*s == '"')
                quoted = false;
            continue;
        }
        if (*s == '\n' || *s == '\r')
            break;
        if (*s == delim) {
            n++;
            at_start = true;
            continue;
        }
        if (*s == '"' && at_start)
            quoted = true;
        at_start = false;
    }
    *fields = n;
    return s;
}

/* The header's field count for `delim`, and whether the lines after it
 * have the same count. A line cut by the end of the sample is left out. */
static size_t
sniff_count(const unsigned char *s, const unsigned char *end, bool whole,
            unsigned char delim, bool *same)
{
    size_t lines = 0, first = 1, n;

    *same = true;
    while (s < end && lines < SNIFF_LINES) {
        const unsigned char *e;

        if (*s == '\n' || *s == '\r') {
            s++; /* a line end, or a blank line */
            continue;
        }
        e = sniff_line(s, end, delim, &n);
        if (e == end && !whole && lines > 0)
            break;
        if (lines == 0)
            first = n;
        else if (n != first)
            *same = false;
        lines++;
        s = e;
    }
    return first;
}

/*
 * The candidate that splits the header and the lines after it into the
 * same number of fields > 1, most fields winning, ties in the order of
 * sniff_candidates. When none does (ragged rows), the one that splits the
 * header most, so that the caller's "ragged row" message names the right
 * columns; ',' when nothing splits the header either.
 */
static char
sniff(const unsigned char *s, const unsigned char *end, bool whole)
{
    size_t best_n = 1, header_n = 1, i;
    char best = 0, header_best = ',';

    for (i = 0; i < sizeof(sniff_candidates); i++) {
        char c = sniff_candidates[i];
        bool same;
        size_t n = sniff_count(s, end, whole, (unsigned char)c, &same);

        if (same && n > best_n) {
            best = c;
            best_n = n;
        }
        if (n > header_n) {
            header_best = c;
            header_n = n;
        }
    }
    return best ? best : header_best;
}

static void
set_classes(struct ob_csv_reader *r)
{
    memset(r->stop_plain, 0, sizeof(r->stop_plain));
    memset(r->stop_quoted, 0, sizeof(r->stop_quoted));
    r->stop_plain[(unsigned char)r->delim] = 1;
    r->stop_plain['\n'] = r->stop_plain['\r'] = 1;
    r->stop_quoted['"'] = 1;
    r->stop_quoted['\n'] = r->stop_quoted['\r'] = 1;
}

/* Reads the first bytes: enough to see a BOM, or to sniff. */
static void
start(struct ob_csv_reader *r)
{
    size_t need = r->delim ? 3 : SNIFF_BYTES;

    while (r->end - r->pos < need && !r->eof && !r->read_err)
        refill(r);
    if (!r->inside && r->end - r->pos >= 3 &&
        !memcmp(r->buf + r->pos, "\xef\xbb\xbf", 3)) {
        r->pos += 3;
        r->pos_off += 3;
    }
    if (!r->delim)
        r->delim = sniff(r->buf + r->pos, r->buf + r->end, r->eof);
    set_classes(r);
    r->started = true;
}

/* Skips blank lines; SCAN_OK leaves buf[pos] at a record's first byte. */
static enum scan
skip_blank(struct ob_csv_reader *r)
{
    const unsigned char *b = r->buf;

    while (r->pos < r->end) {
        size_t n = 1;

        if (b[r->pos] != '\n' && b[r->pos] != '\r')
            return SCAN_OK;
        if (b[r->pos] == '\r' && r->pos + 1 == r->end && !r->eof)
            return SCAN_MORE; /* a CRLF cut in two? */
        if (b[r->pos] == '\r' && r->pos + 1 < r->end && b[r->pos + 1] == '\n')
            n = 2;
        r->pos += n;
        r->pos_off += n;
        r->line++;
    }
    return r->eof ? SCAN_END : SCAN_MORE;
}

static enum scan
too_long(struct ob_csv_reader *r, struct ob_diag *d)
{
    report(r, d, r->pos, "record longer than %zu bytes", r->max_record);
    return SCAN_FAIL;
}

/* The character at q, quoted for a message; control bytes and invalid
 * text as '\xHH'. */
static void
describe_char(const unsigned char *q, const unsigned char *end, char *out,
              size_t size)
{
    size_t n = ob_utf8_seq_len(*q);

    if (*q >= 0x20 && *q < 0x7f)
        snprintf(out, size, "'%c'", *q);
    else if (n > 1 && (size_t)(end - q) >= n &&
             ob_utf8_valid((const char *)q, n, NULL))
        snprintf(out, size, "'%.*s'", (int)n, (const char *)q);
    else
        snprintf(out, size, "'\\x%02x'", *q);
}

/* Text after a closing quote, at q. */
static enum scan
unexpected(struct ob_csv_reader *r, struct ob_diag *d, const unsigned char *q)
{
    const unsigned char *end = r->buf + r->end;
    char what[16];

    if ((size_t)(q - (r->buf + r->pos)) > r->max_record)
        return too_long(r, d);
    if ((size_t)(end - q) < ob_utf8_seq_len(*q) && !r->eof)
        return SCAN_MORE; /* the whole character, for the message */
    describe_char(q, end, what, sizeof(what));
    report(r, d, (size_t)(q - r->buf), "unexpected %s after a closing quote",
           what);
    return SCAN_FAIL;
}

/* The input ended inside the quoted field that opens at `open`. */
static enum scan
unterminated(struct ob_csv_reader *r, struct ob_diag *d,
             const unsigned char *open)
{
    if (r->end - r->pos > r->max_record)
        return too_long(r, d);
    report(r, d, (size_t)(open - r->buf), "unterminated quoted field");
    return SCAN_FAIL;
}

static void
note_escape(struct ob_csv_reader *r, size_t field)
{
    OB_GROW(r->esc, r->esc_len + 1, r->esc_cap);
    r->esc[r->esc_len++] = field;
}

/*
 * Splits the quoted field whose opening quote is at *pp into field
 * `fi`, counting the line ends inside it. Leaves *pp after the closing
 * quote, at a delimiter, a line end or the end of the data.
 */
static enum scan
scan_quoted(struct ob_csv_reader *r, struct ob_diag *d,
            const unsigned char **pp, uint32_t *line, size_t fi)
{
    const unsigned char *open = *pp, *q = open + 1, *end = r->buf + r->end;
    const unsigned char *stop = r->stop_quoted;
    uint32_t lines = 0;
    bool doubled = false;

    for (;;) {
        while (!stop[*q])
            q++;
        if (q == end)
            return r->eof ? unterminated(r, d, open) : SCAN_MORE;
        if (*q == '"' && q + 1 < end && q[1] == '"') {
            doubled = true;
            q += 2;
            continue;
        }
        if (*q == '"' && q + 1 == end && !r->eof)
            return SCAN_MORE; /* a doubled quote cut in two? */
        if (*q == '"')
            break;
        /* CRLF counts at its LF; the sentinel after a CR is no LF that
         * counts, but then the next turn asks for more data anyway. */
        if (*q == '\n' || q[1] != '\n')
            lines++;
        q++;
    }
    r->fields[fi].ptr = (const char *)open + 1;
    r->fields[fi].len = (size_t)(q - open - 1);
    r->fields[fi].quoted = true;
    if (doubled)
        note_escape(r, fi);
    q++;
    if (!r->stop_plain[*q])
        return unexpected(r, d, q);
    *line += lines;
    *pp = q;
    return SCAN_OK;
}

/* Copies src with each doubled quote made single; returns the length. */
static size_t
unescape(char *dst, const char *src, size_t len)
{
    const char *end = src + len;
    char *w = dst;

    while (src < end) {
        const char *q = memchr(src, '"', (size_t)(end - src));
        size_t n = q ? (size_t)(q - src) + 1 : (size_t)(end - src);

        memcpy(w, src, n);
        w += n;
        src += n;
        if (q)
            src++; /* the twin */
    }
    return (size_t)(w - dst);
}

/* Unescapes every field with doubled quotes into scratch, sized once so
 * that the pointers handed out stay valid for the whole record. */
static void
unescape_fields(struct ob_csv_reader *r)
{
    size_t i, total = 0;
    char *w;

    for (i = 0; i < r->esc_len; i++)
        total += r->fields[r->esc[i]].len;
    if (total > r->scratch_cap) {
        r->scratch = ob_xrealloc(r->scratch, total);
        r->scratch_cap = total;
    }
    w = r->scratch;
    for (i = 0; i < r->esc_len; i++) {
        struct ob_csv_field *f = &r->fields[r->esc[i]];
        size_t len = unescape(w, f->ptr, f->len);

        f->ptr = w;
        f->len = len;
        w += len;
    }
}

/* The record ends at p (its line end, or the end of the data): hands it
 * out and moves past it. */
static enum scan
end_record(struct ob_csv_reader *r, struct ob_diag *d,
           struct ob_csv_record *rec, const unsigned char *p, uint32_t line,
           size_t n)
{
    const unsigned char *end = r->buf + r->end;
    size_t len = (size_t)(p - (r->buf + r->pos)), next;

    if (p == end && !r->eof)
        return SCAN_MORE;
    if (*p == '\r' && p + 1 == end && !r->eof)
        return SCAN_MORE; /* a CRLF cut in two? */
    if (len > r->max_record)
        return too_long(r, d);
    next = r->pos + len;
    if (p < end) {
        next += *p == '\r' && p + 1 < end && p[1] == '\n' ? 2 : 1;
        line++;
    }
    if (r->esc_len)
        unescape_fields(r);
    rec->fields = r->fields;
    rec->n = n;
    rec->line = r->line;
    rec->offset = r->pos_off;
    rec->text = (const char *)r->buf + r->pos;
    rec->text_len = len;
    r->prev = r->last;
    r->last = (struct span){r->pos, len, r->pos_off, r->line, true};
    r->pos_off += next - r->pos;
    r->pos = next;
    r->line = line;
    return SCAN_OK;
}

#ifdef __SSE2__
/* Which of the 64 bytes at p are the delimiter or a line end, as bits. */
static inline uint64_t
stop_bits(const unsigned char *p, __m128i delim)
{
    const __m128i lf = _mm_set1_epi32(0x0a0a0a0a),
                  cr = _mm_set1_epi32(0x0d0d0d0d);
    uint64_t bits = 0;
    int i;

    for (i = 0; i < 4; i++) {
        __m128i x =
            _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
        __m128i hit = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(x, delim), _mm_cmpeq_epi8(x, lf)),
            _mm_cmpeq_epi8(x, cr));
        bits |= (uint64_t)(uint32_t)_mm_movemask_epi8(hit) << (16 * i);
    }
    return bits;
}

/*
 * The next unquoted field's end, from bit masks of 64 bytes at a time
 * kept across fields and records: a field costs a shift and a count of
 * trailing zeros, with no branch on its length (most fields are a few
 * bytes long, of varying length). The sentinel stops it at the end of
 * the data; the zeros after it keep every read inside the buffer.
 */
static inline size_t
skip_plain_bits(const unsigned char *buf, size_t i, size_t *bits_at,
                uint64_t *bits, __m128i delim)
{
    uint64_t m;

    if (*bits_at == NO_BITS || i < *bits_at || i - *bits_at >= 64) {
        *bits_at = i;
        *bits = stop_bits(buf + i, delim);
    }
    m = *bits >> (i - *bits_at);
    if (m)
        return i + (size_t)__builtin_ctzll(m);
    for (;;) {
        *bits_at += 64;
        *bits = stop_bits(buf + *bits_at, delim);
        if (*bits)
            return *bits_at + (size_t)__builtin_ctzll(*bits);
    }
}
#else

/* The next unquoted field's end: the hot loop, unrolled since most fields
 * are a few bytes long. The sentinel stops it at the end of the data. */
static inline const unsigned char *
skip_plain(const unsigned char *stop, const unsigned char *p)
{
    for (;;) {
        if (stop[p[0]])
            return p;
        if (stop[p[1]])
            return p + 1;
        if (stop[p[2]])
            return p + 2;
        if (stop[p[3]])
            return p + 3;
        p += 4;
    }
}
#endif

/*
 * Splits the record at buf[pos] into fields. SCAN_MORE: the data ends
 * before the record can be decided; the caller reads more and calls again.
 */
static enum scan
parse_record(struct ob_csv_reader *r, struct ob_diag *d,
             struct ob_csv_record *rec)
{
    const unsigned char *p = r->buf + r->pos, *stop = r->stop_plain;
    /* Locals, not r->..., so the stores to fields need no reloads. */
    uint64_t base = r->pos_off - r->pos;
    const unsigned char *buf = r->buf;
    unsigned char delim = (unsigned char)r->delim;
    struct ob_csv_field *fields = r->fields;
    size_t n = 0, cap = r->fields_cap;
    uint32_t line = r->line;
    enum scan st;
#ifdef __SSE2__
    /* a broadcast from a register: a byte stored and read back as a word
     * stalls (no store forwarding) */
    const __m128i vdelim = _mm_set1_epi32((int)(delim * 0x01010101u));
    size_t bits_at = r->bits_at;
    uint64_t bits = r->bits;
#endif

    r->esc_len = 0;
    for (;;) {
        struct ob_csv_field *f;

        if (n == OB_CSV_MAX_FIELDS) {
            report(r, d, r->pos, "record with more than %d fields",
                   OB_CSV_MAX_FIELDS);
            return SCAN_FAIL;
        }
        if (n == cap) {
            OB_GROW(r->fields, n + 1, r->fields_cap);
            fields = r->fields;
            cap = r->fields_cap;
        }
        f = &fields[n++];
        f->offset = base + (uint64_t)(p - buf);
        if (*p == '"') {
            st = scan_quoted(r, d, &p, &line, n - 1);
            if (st != SCAN_OK)
                return st;
        } else {
            const unsigned char *s = p;

#ifdef __SSE2__
            (void)stop;
            p = buf + skip_plain_bits(buf, (size_t)(p - buf), &bits_at, &bits,
                                      vdelim);
#else
            p = skip_plain(stop, p);
#endif
            f->ptr = (const char *)s;
            f->len = (size_t)(p - s);
            f->quoted = false;
        }
        if (*p != delim)
            break;
        p++;
    }
#ifdef __SSE2__
    r->bits_at = bits_at; /* the next record starts in these bytes */
    r->bits = bits;
#endif
    return end_record(r, d, rec, p, line, n);
}

int
ob_csv_next(struct ob_csv_reader *r, struct ob_diag *d,
            struct ob_csv_record *rec)
{
    enum scan st;

    if (r->failed)
        return -1;
    if (!r->started)
        start(r);
    for (;;) {
        st = skip_blank(r);
        if (st == SCAN_OK)
            st = parse_record(r, d, rec);
        if (st == SCAN_OK)
            return 1;
        if (st == SCAN_END)
            return 0;
        if (st == SCAN_FAIL)
            goto fail;
        if (r->end - r->pos > r->max_record + LOOKAHEAD) {
            too_long(r, d);
            goto fail;
        }
        if (r->read_err) {
            read_failed(r, d, r->read_err);
            goto fail;
        }
        refill(r);
    }
fail:
    r->failed = true;
    return -1;
}

uint32_t
ob_csv_line(const struct ob_csv_reader *r)
{
    return r->line;
}

void
ob_csv_position(const struct ob_csv_reader *r, uint64_t offset, uint32_t *line,
                uint32_t *col)
{
    const struct span *s = &r->last;

    if (r->prev.set && offset < r->last.off)
        s = &r->prev;
    if (!s->set) {
        *line = r->line;
        *col = 1;
        return;
    }
    /* Outside the records kept: their nearest end, never out of bounds. */
    if (offset < s->off)
        offset = s->off;
    if (offset > s->off + s->len)
        offset = s->off + s->len;
    ob_text_position((const char *)r->buf + s->idx, (size_t)(offset - s->off),
                     s->line, line, col);
}
