/* input.c: files as checked UTF-8 text, through zlib and iconv as needed. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/input.h"

#include <errno.h>
#include <fcntl.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "opsbook/fs.h"
#include "opsbook/mem.h"
#include "opsbook/text.h"

#define RAW_CAP (256 * 1024)
/* zlib inflates into a buffer of twice this for reads smaller than that */
#define LITTLE_GZ_BUFFER (16 * 1024)

static const char *const encoding_names[] = {"UTF-8", "WINDOWS-1252",
                                             "ISO-8859-1", "UTF-16"};
static const char *const encoding_labels[] = {"UTF-8", "windows-1252",
                                              "iso-8859-1", "utf-16"};

struct ob_input {
    struct ob_diag *d;
    const char *path;
    enum ob_encoding enc;
    int fd;
    gzFile gz;  /* NULL: a plain file read with read(2) */
    iconv_t cd; /* (iconv_t)-1 for UTF-8 */
    char *raw;  /* bytes read but not converted yet (iconv only) */
    size_t raw_start, raw_len;
    bool raw_eof;
    char carry[4]; /* UTF-8: a character split by the end of a chunk */
    size_t n_carry;
    /* Where the next byte handed out stands, for error positions. */
    uint64_t line;
    uint64_t col; /* characters since the last line end */
    bool last_cr;
    bool env_failed;
    uint64_t left;  /* a range: bytes still to read (UINT64_MAX: the rest) */
    bool untracked; /* positions unknown: invalid text at line 0 */
};

/* Lines ended and characters since the last line end in s[0..n), given
 * whether the byte before s was a CR (then a leading LF ends nothing). */
/* How many bytes of s[0..n) are c: 16 at a time where SSE2 is. */
static size_t
count_byte(const char *s, size_t n, char c)
{
    size_t k = 0, i = 0;
#ifdef __SSE2__
    const __m128i v = _mm_set1_epi8(c), zero = _mm_setzero_si128();

    while (n - i >= 16) {
        __m128i acc = zero, sums;
        size_t blocks = (n - i) / 16, b;

        if (blocks > 255) /* a byte counter each: at most 255 */
            blocks = 255;
        for (b = 0; b < blocks; b++, i += 16) {
            __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(x, v));
        }
        sums = _mm_sad_epu8(acc, zero);
        k += (size_t)_mm_cvtsi128_si32(sums) +
             (size_t)_mm_extract_epi16(sums, 4);
    }
#endif
    for (; i < n; i++)
        k += s[i] == c;
    return k;
}

/* Text without a CR (most files): every LF ends a line, except one right
 * after the previous chunk's CR. */
static void
count_lf_text(const char *s, size_t n, bool after_cr, uint64_t *lines,
              uint64_t *col, bool *has_end)
{
    const char *last_end = NULL;
    size_t i;

    *lines = count_byte(s, n, '\n') - (n && after_cr && s[0] == '\n');
    for (i = n; i > 0; i--) {
        if (s[i - 1] == '\n') {
            last_end = s + i - 1;
            break;
        }
    }
    *has_end = last_end != NULL;
    *col = last_end
               ? ob_utf8_chars(last_end + 1, (size_t)(s + n - last_end - 1))
               : ob_utf8_chars(s, n);
}

static void
count_text(const char *s, size_t n, bool after_cr, uint64_t *lines,
           uint64_t *col, bool *has_end)
{
    const char *p = s, *end = s + n, *last_end = NULL;
    uint64_t l = 0;

    if (!memchr(s, '\r', n)) {
        count_lf_text(s, n, after_cr, lines, col, has_end);
        return;
    }
    for (p = memchr(s, '\n', n); p; p = memchr(p + 1, '\n', end - p - 1)) {
        if (!(p == s ? after_cr : p[-1] == '\r'))
            l++;
        last_end = p;
        if (p + 1 >= end)
            break;
    }
    for (p = memchr(s, '\r', n); p; p = memchr(p + 1, '\r', end - p - 1)) {
        l++; /* CRLF counts here, once; a lone CR too */
        if (!last_end || p > last_end)
            last_end = p;
        if (p + 1 >= end)
            break;
    }
    *lines = l;
    *has_end = last_end != NULL;
    *col = last_end ? ob_utf8_chars(last_end + 1, (size_t)(end - last_end - 1))
                    : ob_utf8_chars(s, n);
}

/* Moves the position past text handed out. */
static void
advance(struct ob_input *in, const char *s, size_t n)
{
    uint64_t lines, col;
    bool has_end;

    if (!n || in->untracked)
        return;
    count_text(s, n, in->last_cr, &lines, &col, &has_end);
    in->line += lines;
    in->col = has_end ? col : in->col + col;
    in->last_cr = s[n - 1] == '\r';
}

/* Reports a problem `offset` bytes into s (text not handed out yet). */
static long
text_error(struct ob_input *in, const char *s, size_t offset, const char *what)
{
    struct ob_pos pos = {in->path, 0, 0};
    uint64_t lines, col;
    bool has_end;

    if (in->untracked) {
        ob_diag_error(in->d, &pos, "%s", what);
        return -2;
    }
    count_text(s, offset, in->last_cr, &lines, &col, &has_end);
    pos.line = (uint32_t)(in->line + lines);
    pos.col = (uint32_t)((has_end ? col : in->col + col) + 1);
    ob_diag_error(in->d, &pos, "%s", what);
    return -2;
}

static long
invalid_text(struct ob_input *in, const char *s, size_t offset)
{
    char what[64];

    snprintf(what, sizeof what, "invalid %s text", encoding_labels[in->enc]);
    return text_error(in, s, offset, what);
}

/* A NUL is valid UTF-8 but never text in an export: cells would be cut
 * short at it (C strings), and a file of NULs is not a table. */
static long
check_nul(struct ob_input *in, const char *s, size_t len)
{
    const char *nul = memchr(s, '\0', len);

    if (!nul)
        return 0;
    return text_error(in, s, (size_t)(nul - s),
                      "NUL byte: not text (a binary file?)");
}

static long
io_error(struct ob_input *in, const char *what)
{
    struct ob_pos pos = {in->path, 0, 0};

    in->env_failed = true;
    ob_diag_error(in->d, &pos, "cannot read '%s': %s", in->path, what);
    return -2;
}

static long
read_gz(struct ob_input *in, char *buf, size_t cap)
{
    struct ob_pos pos = {in->path, 0, 0};
    int n = gzread(in->gz, buf, cap > INT32_MAX ? INT32_MAX : (unsigned)cap);
    int zerr = Z_OK;
    const char *msg;

    if (n > 0)
        return n;
    msg = gzerror(in->gz, &zerr);
    if (zerr == Z_OK)
        return 0; /* the end */
    if (zerr == Z_ERRNO)
        return io_error(in, strerror(errno));
    ob_diag_error(in->d, &pos, "'%s' is not a valid gzip file (%s)", in->path,
                  msg);
    return -2;
}

/* Reads raw (still encoded, decompressed) bytes. */
static long
read_raw(struct ob_input *in, char *buf, size_t cap)
{
    ssize_t n;

    if (in->gz)
        return read_gz(in, buf, cap);
    if (cap > in->left)
        cap = (size_t)in->left;
    if (!cap)
        return 0;
    do {
        n = read(in->fd, buf, cap);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return io_error(in, strerror(errno));
    if (in->left != UINT64_MAX)
        in->left -= (uint64_t)n;
    return (long)n;
}

/* Length of the tail of s[0..n) that starts a character it does not end. */
static size_t
split_tail(const char *s, size_t n)
{
    size_t k;

    for (k = 1; k <= 3 && k <= n; k++) {
        unsigned char c = (unsigned char)s[n - k];
        size_t need;

        if ((c & 0xc0) == 0x80)
            continue; /* a continuation byte: look further back */
        need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
        return need > k ? k : 0;
    }
    return 0;
}

static long
read_utf8(struct ob_input *in, char *buf, size_t cap)
{
    size_t have = in->n_carry, tail, bad;
    long n;

    memcpy(buf, in->carry, have);
    in->n_carry = 0;
    n = read_raw(in, buf + have, cap - have);
    if (n < 0)
        return n;
    if (n == 0 && have)
        return invalid_text(in, buf, 0); /* the file ends mid-character */
    have += (size_t)n;
    tail = n ? split_tail(buf, have) : 0;
    if (!ob_utf8_valid(buf, have - tail, &bad))
        return invalid_text(in, buf, bad);
    if (check_nul(in, buf, have - tail) < 0)
        return -2;
    memcpy(in->carry, buf + have - tail, tail);
    in->n_carry = tail;
    advance(in, buf, have - tail);
    return (long)(have - tail);
}

static long
fill_raw(struct ob_input *in)
{
    long n;

    memmove(in->raw, in->raw + in->raw_start, in->raw_len);
    in->raw_start = 0;
    n = read_raw(in, in->raw + in->raw_len, RAW_CAP - in->raw_len);
    if (n < 0)
        return n;
    if (n == 0)
        in->raw_eof = true;
    in->raw_len += (size_t)n;
    return n;
}

static long
read_converted(struct ob_input *in, char *buf, size_t cap)
{
    char *out = buf;
    size_t out_left = cap;

    for (;;) {
        char *src = in->raw + in->raw_start;
        size_t src_left = in->raw_len;
        size_t rc;
        int err;

        if (!src_left && !in->raw_eof) {
            long n = fill_raw(in);
            if (n < 0)
                return n;
            continue;
        }
        if (!src_left)
            break;
        rc = iconv(in->cd, &src, &src_left, &out, &out_left);
        err = errno;
        in->raw_start = (size_t)(src - in->raw);
        in->raw_len = src_left;
        if (rc != (size_t)-1 || err == E2BIG)
            break;
        if (err == EILSEQ || (err == EINVAL && in->raw_eof))
            return invalid_text(in, buf, (size_t)(out - buf));
        if (out != buf)
            break; /* EINVAL: hand out what we have, read on next time */
        if (fill_raw(in) < 0)
            return -2;
    }
    if (check_nul(in, buf, (size_t)(out - buf)) < 0)
        return -2;
    advance(in, buf, (size_t)(out - buf));
    return (long)(out - buf);
}

long
ob_input_read(void *input, char *buf, size_t cap)
{
    struct ob_input *in = input;

    if (cap < 8) {
        errno = EINVAL;
        return -1;
    }
    if (in->cd == (iconv_t)-1)
        return read_utf8(in, buf, cap);
    return read_converted(in, buf, cap);
}

int
ob_input_env_failed(const struct ob_input *in)
{
    return in->env_failed;
}

/* gzip files start with 1f 8b; anything else is read as it is. */
static bool
is_gzip(int fd)
{
    unsigned char magic[2];

    return pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

enum ob_err
ob_input_open(struct ob_input **out, struct ob_diag *d,
              const struct ob_pos *where, const char *path,
              enum ob_encoding enc)
{
    struct ob_input *in;
    struct stat st;
    int fd;

    *out = NULL;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return ob_fs_read_error(d, where, path, errno);
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int err = errno;
        close(fd);
        if (err)
            return ob_fs_read_error(d, where, path, err);
        ob_diag_error(d, where ? where : &(struct ob_pos){path, 0, 0},
                      "'%s' is not a regular file", path);
        return OB_ERR_INPUT;
    }
    in = ob_xcalloc(1, sizeof(*in));
    in->d = d;
    in->path = path;
    in->enc = enc;
    in->fd = fd;
    in->line = 1;
    in->left = UINT64_MAX;
    in->cd = (iconv_t)-1;
    if (is_gzip(fd)) {
        in->gz = gzdopen(fd, "rb");
        if (!in->gz)
            ob_oom();
        gzbuffer(in->gz, RAW_CAP);
    }
    if (enc != OB_ENC_UTF8) {
        in->cd = iconv_open("UTF-8", encoding_names[enc]);
        if (in->cd == (iconv_t)-1) {
            ob_input_close(in);
            return ob_fs_read_error(d, where, path, errno);
        }
        in->raw = ob_xmalloc(RAW_CAP);
    }
    *out = in;
    return OB_OK;
}

void
ob_input_read_little(struct ob_input *in)
{
    if (in->gz)
        gzbuffer(in->gz, LITTLE_GZ_BUFFER);
}

enum ob_err
ob_input_open_range(struct ob_input **out, struct ob_diag *d, const char *path,
                    uint64_t start, uint64_t end, uint32_t first_line)
{
    enum ob_err err = ob_input_open(out, d, NULL, path, OB_ENC_UTF8);
    struct ob_input *in = *out;

    if (err)
        return err;
    if (in->gz || lseek(in->fd, (off_t)start, SEEK_SET) < 0) {
        io_error(in, in->gz ? "compressed" : strerror(errno));
        ob_input_close(in);
        *out = NULL;
        return OB_ERR_ENV;
    }
    in->left = end > start ? end - start : 0;
    in->line = first_line;
    in->untracked = first_line == 0;
    return OB_OK;
}

void
ob_input_close(struct ob_input *in)
{
    if (!in)
        return;
    if (in->gz)
        gzclose(in->gz); /* closes fd too */
    else
        close(in->fd);
    if (in->cd != (iconv_t)-1)
        iconv_close(in->cd);
    free(in->raw);
    free(in);
}
