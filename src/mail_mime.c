/* mail_mime.c: the encoders a MIME message needs: base64, quoted-printable,
 * encoded-words, folded headers, mailboxes, dates and file names. */
/* SPDX-License-Identifier: MIT */
#include "mail_int.h"

#include <stdlib.h>
#include <string.h>

#include "opsbook/date.h"
#include "opsbook/mem.h"
#include "opsbook/text.h"

/* RFC 5322 asks for lines of at most 78 characters; RFC 2047 for lines
 * holding encoded-words of at most 76, and encoded-words of at most 75. */
#define LINE_MAX_TEXT 78
#define LINE_MAX_EW   76
#define EW_MAX        75
#define EW_OVERHEAD   12 /* "=?UTF-8?B?" and "?=" */

static const char b64_digits[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char hex_digits[] = "0123456789ABCDEF";

/* RFC 5322 atext: what an atom (and a dot-atom's parts) may hold. */
static bool
is_atext(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* ---- base64 -------------------------------------------------------------- */

/* Base64 of `len` bytes with no line breaks. */
static void
base64_run(struct ob_buf *out, const unsigned char *p, size_t len)
{
    char q[4];

    for (; len >= 3; p += 3, len -= 3) {
        q[0] = b64_digits[p[0] >> 2];
        q[1] = b64_digits[((p[0] & 3) << 4) | (p[1] >> 4)];
        q[2] = b64_digits[((p[1] & 15) << 2) | (p[2] >> 6)];
        q[3] = b64_digits[p[2] & 63];
        ob_buf_add(out, q, 4);
    }
    if (!len)
        return;
    q[0] = b64_digits[p[0] >> 2];
    q[1] = b64_digits[((p[0] & 3) << 4) | (len > 1 ? p[1] >> 4 : 0)];
    q[2] = len > 1 ? b64_digits[(p[1] & 15) << 2] : '=';
    q[3] = '=';
    ob_buf_add(out, q, 4);
}

void
ob_mail_base64(struct ob_buf *out, const void *data, size_t len)
{
    /* 57 bytes make exactly one line of 76 characters */
    const size_t per_line = OB_MAIL_B64_LINE / 4 * 3;
    const unsigned char *p = data;
    size_t n;

    for (; len; p += n, len -= n) {
        n = len < per_line ? len : per_line;
        base64_run(out, p, n);
        ob_buf_puts(out, OB_MAIL_CRLF);
    }
}

/* ---- quoted-printable ---------------------------------------------------- */

struct qp {
    struct ob_buf *out;
    size_t col; /* characters on the current output line */
};

static void
qp_soft_break(struct qp *q)
{
    ob_buf_puts(q->out, "=" OB_MAIL_CRLF);
    q->col = 0;
}

/* Emits one input byte, literal or as =XX; `last` when a line end follows
 * it, where trailing whitespace must be encoded and the line may use all
 * 76 columns (no soft break "=" is needed after it). */
static void
qp_byte(struct qp *q, unsigned char c, bool last, bool from_line)
{
    bool literal =
        (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
    size_t width, limit = last ? 76 : 75;

    if (q->col == 0 && (c == '.' || (c == 'F' && from_line)))
        literal = false;
    width = literal ? 1 : 3;
    if (q->col + width > limit) {
        qp_soft_break(q);
        if (c == '.' || (c == 'F' && from_line))
            literal = false, width = 3;
    }
    if (literal) {
        ob_buf_putc(q->out, (char)c);
    } else {
        char e[3] = {'=', hex_digits[c >> 4], hex_digits[c & 15]};
        ob_buf_add(q->out, e, 3);
    }
    q->col += width;
}

void
ob_mail_qp(struct ob_buf *out, const char *text, size_t len)
{
    struct qp q = {out, 0};
    size_t i, start = 0;

    for (i = 0; i <= len; i++) {
        size_t end = i, j;
        bool eol = i == len || text[i] == '\n';

        if (!eol)
            continue;
        if (end > start && text[end - 1] == '\r')
            end--; /* CRLF in, CRLF out */
        for (j = start; j < end; j++) {
            bool from = end - j >= 5 && !memcmp(text + j, "From ", 5);
            qp_byte(&q, (unsigned char)text[j], j + 1 == end, from);
        }
        if (i < len) {
            ob_buf_puts(out, OB_MAIL_CRLF);
            q.col = 0;
        }
        start = i + 1;
    }
    if (q.col) /* a last line without a line end still gets one */
        ob_buf_puts(out, OB_MAIL_CRLF);
}

/* ---- header text --------------------------------------------------------- */

const char *
ob_mail_check_text(const char *s)
{
    const char *p;
    size_t bad;

    if (!s)
        return NULL;
    for (p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;

        if (c == '\r' || c == '\n')
            return "holds a line break";
        if (c < 0x20 || c == 0x7f)
            return "holds a control character";
    }
    return ob_utf8_valid(s, strlen(s), &bad) ? NULL : "is not UTF-8 text";
}

/* The bytes of `s` that fit in `max` bytes without splitting a UTF-8
 * sequence (RFC 2047 section 5: whole characters per encoded-word). */
static size_t
utf8_prefix(const char *s, size_t len, size_t max)
{
    size_t n = 0, step;

    while (n < len) {
        step = ob_utf8_seq_len((unsigned char)s[n]);
        if (n + step > len)
            step = len - n;
        if (n + step > max)
            break;
        n += step;
    }
    if (n == 0) /* cannot happen with max >= 4; never loop forever */
        n = len < max ? len : max;
    return n;
}

/* Where to end an encoded-word holding s[0..len) of at most `max`
 * bytes: after its last space when it has one, so that a reader that
 * wrongly keeps the folding between encoded-words (Python's email does,
 * in display names) only doubles a space instead of splitting a word. */
static size_t
chunk_end(const char *s, size_t len, size_t max)
{
    size_t take = utf8_prefix(s, len, max), i;

    if (take == len)
        return take;
    for (i = take; i > take / 2; i--)
        if (s[i - 1] == ' ')
            return i;
    return take;
}

static void
add_token(char ***tokens, size_t *n, size_t *cap, char *t)
{
    OB_GROW(*tokens, *n + 1, *cap);
    (*tokens)[(*n)++] = t;
}

/* s[0..len) as encoded-words appended to the tokens: the first fits on a
 * line of LINE_MAX_EW with `room` characters already taken, the rest on
 * a line of their own after one space. */
static void
encode_run(const char *s, size_t len, size_t room, char ***tokens, size_t *n,
           size_t *cap)
{
    struct ob_buf w = OB_BUF_INIT;
    size_t take, max;

    do {
        size_t chars = room < LINE_MAX_EW ? LINE_MAX_EW - room : 0;

        if (chars > EW_MAX || chars < EW_OVERHEAD + 8)
            chars = EW_MAX; /* no room: the token goes on a line of its own */
        max = (chars - EW_OVERHEAD) / 4 * 3;
        take = chunk_end(s, len, max);
        ob_buf_reset(&w);
        ob_buf_puts(&w, "=?UTF-8?B?");
        base64_run(&w, (const unsigned char *)s, take);
        ob_buf_puts(&w, "?=");
        add_token(tokens, n, cap, ob_xstrndup(w.ptr, w.len));
        s += take;
        len -= take;
        room = 1;
    } while (len);
    ob_buf_release(&w);
}

/* A word that can go in a header as it is: ASCII, not taken for an
 * encoded-word, short enough to fold, and in a phrase (a display name)
 * an atom. */
static bool
word_is_plain(const char *w, size_t len, bool phrase)
{
    size_t i;

    if (len > LINE_MAX_EW - 1)
        return false;
    for (i = 0; i < len; i++) {
        if ((unsigned char)w[i] >= 0x80 ||
            (w[i] == '=' && i + 1 < len && w[i + 1] == '?'))
            return false;
        if (phrase && !is_atext(w[i]))
            return false;
    }
    return true;
}

/* Splits text at its spaces into the tokens of a header: plain words as
 * they are; each run of words that cannot be (with the spaces inside the
 * run) as encoded-words, as RFC 2047 section 5 allows in text and in
 * phrases. Joined with single spaces, the tokens decode back to `s`. */
static void
text_tokens(const char *s, bool phrase, size_t room, char ***tokens, size_t *n,
            size_t *cap)
{
    const char *p = s, *end;
    size_t len;

    for (;;) {
        len = strcspn(p, " ");
        if (word_is_plain(p, len, phrase)) {
            add_token(tokens, n, cap, ob_xstrndup(p, len));
            end = p + len;
        } else {
            /* the run takes the words after it that need encoding too */
            for (end = p + len; *end == ' ';) {
                size_t next = strcspn(end + 1, " ");

                if (word_is_plain(end + 1, next, phrase))
                    break;
                end += 1 + next;
            }
            encode_run(p, (size_t)(end - p), room, tokens, n, cap);
        }
        room = 1;
        if (!*end)
            return;
        p = end + 1;
    }
}

/* Encoded-words for all of `s` (file name fallbacks). */
static size_t
encoded_words(const char *s, size_t room, char ***tokens)
{
    size_t n = 0, cap = 0;

    *tokens = NULL;
    encode_run(s, strlen(s), room, tokens, &n, &cap);
    return n;
}

/* Writes tokens separated by single spaces, folding before a token that
 * would pass `limit`; `col` is where the line stands. */
static void
fold_tokens(struct ob_buf *out, size_t col, char *const *tokens, size_t n,
            size_t limit)
{
    size_t i, tl;

    for (i = 0; i < n; i++) {
        tl = strlen(tokens[i]);
        if (i && col + 1 + tl > limit) {
            ob_buf_puts(out, OB_MAIL_CRLF " ");
            col = 1;
        } else if (i) {
            ob_buf_putc(out, ' ');
            col++;
        }
        ob_buf_puts(out, tokens[i]);
        col += tl;
    }
}

static void
free_tokens(char **tokens, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(tokens[i]);
    free(tokens);
}

void
ob_mail_header_text(struct ob_buf *out, const char *name, const char *value)
{
    size_t col = strlen(name) + 2, n = 0, cap = 0;
    char **tokens = NULL;

    ob_buf_printf(out, "%s: ", name);
    text_tokens(value, false, col, &tokens, &n, &cap);
    fold_tokens(out, col, tokens, n, LINE_MAX_EW);
    free_tokens(tokens, n);
    ob_buf_puts(out, OB_MAIL_CRLF);
}

/* ---- mailboxes ----------------------------------------------------------- */

static bool
valid_local(const char *s, size_t len)
{
    size_t i;

    if (!len || len > 64 || s[0] == '.' || s[len - 1] == '.')
        return false;
    for (i = 0; i < len; i++)
        if (!is_atext(s[i]) && !(s[i] == '.' && s[i - 1] != '.'))
            return false;
    return true;
}

static bool
valid_domain(const char *s, size_t len)
{
    size_t i, label = 0;

    if (!len || len > 253)
        return false;
    if (s[0] == '[') /* an address literal: [192.0.2.1], [IPv6:...] */
        return len > 2 && s[len - 1] == ']' &&
               strspn(s + 1, "0123456789abcdefABCDEF.:IPv") == len - 2;
    for (i = 0; i < len; i++) {
        char c = s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                     (c >= '0' && c <= '9');

        if (c == '.') {
            if (!label || s[i - 1] == '-')
                return false;
            label = 0;
        } else if (alnum || (c == '-' && label)) {
            if (++label > 63)
                return false;
        } else {
            return false;
        }
    }
    return label && s[len - 1] != '-';
}

/* local@domain, ASCII only: SMTPUTF8 is not used, so a non-ASCII address
 * could not be delivered anyway. */
static const char *
check_addr(const char *s, size_t len)
{
    const char *at = memchr(s, '@', len);
    size_t i;

    for (i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return "is not an ASCII email address (SMTPUTF8 is not "
                   "supported)";
    if (!at || memchr(at + 1, '@', len - (size_t)(at - s) - 1) ||
        !valid_local(s, (size_t)(at - s)) ||
        !valid_domain(at + 1, len - (size_t)(at - s) - 1))
        return "is not an email address (expected name@example.com or "
               "Name <name@example.com>)";
    return NULL;
}

static void
trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t'))
        (*s)++, (*len)--;
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

/* The display name before '<': a phrase, or a quoted string whose \" and
 * \\ are unescaped. NULL (and *why) when the quoting is broken. */
static char *
parse_name(const char *s, size_t len, const char **why)
{
    struct ob_buf name = OB_BUF_INIT;
    size_t i;

    trim(&s, &len);
    if (!len)
        return NULL;
    if (s[0] != '"')
        return ob_xstrndup(s, len);
    if (len < 2 || s[len - 1] != '"') {
        *why = "has an unterminated quoted name";
        return NULL;
    }
    for (i = 1; i + 1 < len; i++) {
        if (s[i] == '\\' && i + 2 < len)
            i++;
        else if (s[i] == '"') {
            *why = "has a stray '\"' in its quoted name";
            ob_buf_release(&name);
            return NULL;
        }
        ob_buf_putc(&name, s[i]);
    }
    return ob_buf_detach(&name, NULL);
}

static const char *
parse_angle(const char *s, size_t len, const char *lt, struct ob_mailbox *mb)
{
    const char *gt = memchr(lt, '>', len - (size_t)(lt - s));
    const char *why = NULL, *rest;
    size_t rest_len;

    if (!gt)
        return "has a '<' without its '>'";
    rest = gt + 1;
    rest_len = len - (size_t)(rest - s);
    trim(&rest, &rest_len);
    if (rest_len)
        return "has text after its '>'";
    why = check_addr(lt + 1, (size_t)(gt - lt - 1));
    if (why)
        return why;
    mb->name = parse_name(s, (size_t)(lt - s), &why);
    if (why)
        return why;
    mb->addr = ob_xstrndup(lt + 1, (size_t)(gt - lt - 1));
    return NULL;
}

/* The '<' that opens the address: the first one outside quotes. */
static const char *
find_angle(const char *s, size_t len)
{
    bool quoted = false;
    size_t i;

    for (i = 0; i < len; i++) {
        if (quoted && s[i] == '\\' && i + 1 < len)
            i++;
        else if (s[i] == '"')
            quoted = !quoted;
        else if (s[i] == '<' && !quoted)
            return s + i;
    }
    return NULL;
}

const char *
ob_mailbox_parse(const char *s, struct ob_mailbox *mb)
{
    size_t len = strlen(s);
    const char *why = ob_mail_check_text(s), *lt;

    memset(mb, 0, sizeof(*mb));
    if (why)
        return why;
    trim(&s, &len);
    lt = find_angle(s, len);
    if (!lt && s[0] == '"' && !memchr(s + 1, '"', len - 1))
        why = "has an unterminated quoted name";
    else if (lt)
        why = parse_angle(s, len, lt, mb);
    else
        why = check_addr(s, len);
    if (!why && !lt)
        mb->addr = ob_xstrndup(s, len);
    if (why)
        ob_mailbox_release(mb);
    return why;
}

void
ob_mailbox_release(struct ob_mailbox *mb)
{
    free(mb->name);
    free(mb->addr);
    memset(mb, 0, sizeof(*mb));
}

bool
ob_mail_split_list(const char *s,
                   bool (*each)(const char *piece, size_t len, void *arg),
                   void *arg)
{
    const char *start = s;
    bool quoted = false, angle = false;

    for (;; s++) {
        if (*s == '\\' && quoted && s[1]) {
            s++;
            continue;
        }
        if (*s == '"' && !angle)
            quoted = !quoted;
        else if (*s == '<' && !quoted)
            angle = true;
        else if (*s == '>' && !quoted)
            angle = false;
        if (*s == '\0' || (*s == ',' && !quoted && !angle)) {
            const char *p = start;
            size_t len = (size_t)(s - start);

            trim(&p, &len);
            if (len && !each(p, len, arg))
                return false;
            if (!*s)
                return true;
            start = s + 1;
        }
    }
}

/* A display name that can go as it is: atoms and single spaces. */
static bool
is_phrase(const char *s)
{
    if (!*s || *s == ' ')
        return false;
    for (; *s; s++)
        if (!is_atext(*s) && !(*s == ' ' && s[1] && s[1] != ' '))
            return false;
    return true;
}

/* A display name that is plain ASCII text. */
static bool
is_ascii_text(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

/* The name as a quoted string (for names with specials, like commas). */
static void
quoted_name(struct ob_buf *t, const char *name)
{
    ob_buf_putc(t, '"');
    for (; *name; name++) {
        if (*name == '"' || *name == '\\')
            ob_buf_putc(t, '\\');
        ob_buf_putc(t, *name);
    }
    ob_buf_putc(t, '"');
}

/* The tokens of one mailbox, folded between only when it does not fit a
 * line: "Name <addr>," whole when it can be; else the name's words (and
 * encoded-words for non-ASCII ones) and then "<addr>,". */
static void
mailbox_tokens(const struct ob_mailbox *mb, bool comma, size_t room,
               char ***tokens, size_t *n, size_t *cap)
{
    const char *name = mb->name;
    struct ob_buf t = OB_BUF_INIT;
    bool ascii = name && *name && is_ascii_text(name) && !strstr(name, "=?");

    if (ascii && is_phrase(name))
        ob_buf_puts(&t, name);
    else if (ascii)
        quoted_name(&t, name);
    if (t.len && t.len + strlen(mb->addr) + 4 < LINE_MAX_EW) {
        ob_buf_printf(&t, " <%s>%s", mb->addr, comma ? "," : "");
        add_token(tokens, n, cap, ob_buf_detach(&t, NULL));
        return;
    }
    if (t.len)
        add_token(tokens, n, cap, ob_buf_detach(&t, NULL));
    else if (name && *name)
        text_tokens(name, true, room, tokens, n, cap);
    ob_buf_printf(&t, name && *name ? "<%s>%s" : "%s%s", mb->addr,
                  comma ? "," : "");
    add_token(tokens, n, cap, ob_buf_detach(&t, NULL));
}

void
ob_mail_header_mailboxes(struct ob_buf *out, const char *name,
                         const struct ob_mailbox *list, size_t n)
{
    char **tokens = NULL;
    size_t i, count = 0, cap = 0;

    for (i = 0; i < n; i++)
        mailbox_tokens(&list[i], i + 1 < n, i ? 1 : strlen(name) + 2, &tokens,
                       &count, &cap);
    ob_buf_printf(out, "%s: ", name);
    fold_tokens(out, strlen(name) + 2, tokens, count, LINE_MAX_EW);
    ob_buf_puts(out, OB_MAIL_CRLF);
    free_tokens(tokens, count);
}

/* ---- dates, file names, fingerprints ------------------------------------- */

void
ob_mail_date(struct ob_buf *out, int64_t utc, int32_t offset)
{
    static const char *const days[7] = {"Mon", "Tue", "Wed", "Thu",
                                        "Fri", "Sat", "Sun"};
    static const char *const months[12] = {"Jan", "Feb", "Mar", "Apr",
                                           "May", "Jun", "Jul", "Aug",
                                           "Sep", "Oct", "Nov", "Dec"};
    int64_t local = utc + offset, secs;
    int32_t date, year;
    unsigned month, day;
    int32_t off = offset < 0 ? -offset : offset;

    date = (int32_t)(local / OB_SECONDS_PER_DAY);
    secs = local % OB_SECONDS_PER_DAY;
    if (secs < 0)
        date--, secs += OB_SECONDS_PER_DAY;
    ob_date_to_civil(date, &year, &month, &day);
    ob_buf_printf(out, "%s, %u %s %04d %02d:%02d:%02d %c%02d%02d",
                  days[ob_date_weekday(date) - 1], day, months[month - 1],
                  (int)year, (int)(secs / 3600), (int)(secs / 60 % 60),
                  (int)(secs % 60), offset < 0 ? '-' : '+', (int)(off / 3600),
                  (int)(off / 60 % 60));
}

/* A name that can go in a quoted parameter value as it is. */
static bool
plain_filename(const char *s)
{
    if (!*s || strlen(s) > 60)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f ||
            *s == '"' || *s == '\\')
            return false;
    return true;
}

/* RFC 2231 attribute-char: what goes unescaped in an extended value. */
static bool
attr_char(unsigned char c)
{
    return c > 0x20 && c < 0x7f && !strchr("*'%()<>@,;:\\\"/[]?=", c);
}

/* name*0*=UTF-8''...; name*1*=... in sections that keep each line, its
 * ";" included, within 78 characters, never splitting a %XX escape. */
static void
rfc2231_param(struct ob_buf *out, const char *param, const char *value)
{
    const unsigned char *p = (const unsigned char *)value;
    unsigned section = 0;
    size_t start = out->len, col;

    ob_buf_printf(out, ";" OB_MAIL_CRLF "\t%s*0*=UTF-8''", param);
    col = out->len - start - 3; /* after ";" CRLF */
    for (; *p; p++) {
        size_t w = attr_char(*p) ? 1 : 3;

        if (col + w + 1 > LINE_MAX_TEXT) {
            start = out->len;
            ob_buf_printf(out, ";" OB_MAIL_CRLF "\t%s*%u*=", param, ++section);
            col = out->len - start - 3;
        }
        if (w == 1)
            ob_buf_putc(out, (char)*p);
        else
            ob_buf_printf(out, "%%%c%c", hex_digits[*p >> 4],
                          hex_digits[*p & 15]);
        col += w;
    }
}

void
ob_mail_type_field(struct ob_buf *out, const char *name, const char *type)
{
    /* "Name: type;" */
    bool fits = strlen(name) + 2 + strlen(type) + 1 <= LINE_MAX_TEXT;

    ob_buf_printf(out, fits ? "%s: %s" : "%s:" OB_MAIL_CRLF "\t%s", name, type);
}

void
ob_mail_filename_param(struct ob_buf *out, const char *param,
                       const char *filename)
{
    char **ew;
    size_t n;

    if (plain_filename(filename)) {
        ob_buf_printf(out, ";" OB_MAIL_CRLF "\t%s=\"%s\"", param, filename);
        return;
    }
    rfc2231_param(out, param, filename);
    /* The RFC 2047 form inside quotes is not in any standard, but it is
     * what Outlook and older readers understand; RFC 2231 readers take
     * the starred form and ignore this one. */
    ob_buf_printf(out, ";" OB_MAIL_CRLF "\t%s=\"", param);
    n = encoded_words(filename, strlen(param) + 3, &ew);
    /* folded between the words, as Gmail does: readers join adjacent
     * encoded-words, the space between them dropped */
    fold_tokens(out, strlen(param) + 3, ew, n, LINE_MAX_TEXT - 2);
    ob_buf_putc(out, '"');
    free_tokens(ew, n);
}

uint64_t
ob_mail_hash(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}
