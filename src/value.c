/* value.c: cell text to typed values, exactly and without the locale. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/value.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/config.h"
#include "opsbook/date.h"
#include "opsbook/tz.h"

/*
 * Numbers are scanned by hand into (significant digits, power of ten) and
 * only then turned into a double. That keeps the grammar ours (decimal ',' or
 * '.', thousands groups, no inf/nan/hex, which strtod would take) and keeps
 * the locale out: the text handed to strtod has no decimal point at all, so
 * LC_NUMERIC cannot change its meaning.
 *
 * Decisions the header leaves open:
 * - ".5" is accepted (some tools write it), "1." is not: a separator with
 *   nothing after it looks more like a cut-off value than a number.
 * - "-0" is 0 without a sign, so it never prints as "-0".
 * - Underflow ("1e-400") is 0; overflow ("1e309") is rejected.
 * - Surrounding spaces are not trimmed: " 1" is not a number.
 */

/*
 * Significant digits kept. Any decimal is rounded correctly from its first
 * 768 digits plus a "sticky" digit saying whether anything non-zero was
 * dropped, so a longer text still gives the nearest double.
 */
#define SIG_MAX 800
/* An exponent past this gives 0 or overflow anyway; clamping stops int64
 * overflow on "1e99999999999999999999". */
#define EXP_CLAMP 1000000
/* 2^53: past it not every integer is a double, so integers stop being exact.
 */
#define EXACT_INT_MAX (UINT64_C(1) << 53)

#define BIT(t)   (1u << (t))
#define ALL_FITS (BIT(OB_COL_PERCENT + 1) - 1)

/* A scanned number: value = (neg ? -1 : 1) * dig * 10^exp. */
struct num {
    char dig[SIG_MAX + 1]; /* significant digits, no leading zeros */
    size_t n;
    int64_t exp;
    bool neg;
    bool sticky; /* a non-zero digit was dropped past SIG_MAX */
    bool frac;   /* a decimal separator was written */
    bool expo;   /* an exponent was written */
    bool lead0;  /* "007": the integer part has a leading zero */
};

struct cursor {
    const char *p, *end;
};

static const struct ob_value_format default_format = {'.', NULL, NULL};

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char
ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Bytes of a group separator at p: ' ', U+00A0 or U+202F in UTF-8, or 0. */
static size_t
group_sep(const char *p, const char *end)
{
    size_t left = (size_t)(end - p);

    if (left >= 1 && p[0] == ' ')
        return 1;
    if (left >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
        return 2;
    if (left >= 3 && (unsigned char)p[0] == 0xE2 &&
        (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0xAF)
        return 3;
    return 0;
}

/* Bytes of a group separator ending at s + len (before a '%'), or 0. */
static size_t
sep_before(const char *s, size_t len)
{
    if (len >= 3 && group_sep(s + len - 3, s + len) == 3)
        return 3;
    if (len >= 2 && group_sep(s + len - 2, s + len) == 2)
        return 2;
    if (len >= 1 && s[len - 1] == ' ')
        return 1;
    return 0;
}

static void
add_digit(struct num *x, char c, bool frac)
{
    if (frac)
        x->exp--;
    if (x->n == 0 && c == '0')
        return;
    if (x->n < SIG_MAX) {
        x->dig[x->n++] = c;
        return;
    }
    x->exp++;
    if (c != '0')
        x->sticky = true;
}

/* A run of digits; returns how many. */
static size_t
take_run(struct num *x, struct cursor *c, bool frac)
{
    size_t k = 0;

    while (c->p < c->end && is_digit(*c->p)) {
        add_digit(x, *c->p, frac);
        c->p++;
        k++;
    }
    return k;
}

/*
 * The integer part. With decimal ',' it may be split into groups of three
 * ("1 234 567"); a separator must be followed by a digit to count, so the
 * space of "12 %" is left for the caller.
 */
static bool
take_int_part(struct num *x, struct cursor *c, char decimal, size_t *ndigits)
{
    const char *start = c->p;
    size_t first = take_run(x, c, false);
    size_t sep;

    *ndigits = first;
    x->lead0 = first > 1 && *start == '0';
    if (decimal != ',')
        return true;
    for (;;) {
        sep = group_sep(c->p, c->end);
        if (sep == 0 || c->p + sep >= c->end || !is_digit(c->p[sep]))
            return true;
        if (first == 0 || first > 3 || *start == '0')
            return false;
        c->p += sep;
        if (take_run(x, c, false) != 3)
            return false;
        *ndigits += 3;
    }
}

static bool
take_exponent(struct num *x, struct cursor *c)
{
    int64_t e = 0;
    bool neg = false;
    const char *start;

    c->p++; /* the 'e' or 'E' */
    if (c->p < c->end && (*c->p == '+' || *c->p == '-')) {
        neg = *c->p == '-';
        c->p++;
    }
    start = c->p;
    while (c->p < c->end && is_digit(*c->p)) {
        if (e < EXP_CLAMP)
            e = e * 10 + (*c->p - '0');
        c->p++;
    }
    if (c->p == start)
        return false;
    x->expo = true;
    x->exp += neg ? -e : e;
    return true;
}

/* Trailing zeros move into the exponent so short values take the fast path.
 */
static void
finish_digits(struct num *x)
{
    if (x->sticky) {
        x->dig[x->n++] = '1';
        x->exp--;
        return;
    }
    while (x->n > 0 && x->dig[x->n - 1] == '0') {
        x->n--;
        x->exp++;
    }
}

/* The whole text as [sign] digits [decimal digits] [e [sign] digits]. */
static bool
scan_number(const char *s, size_t len, char decimal, struct num *x)
{
    struct cursor c = {s, s + len};
    size_t int_digits, frac_digits = 0;

    x->n = 0;
    x->exp = 0;
    x->neg = x->sticky = x->frac = x->expo = x->lead0 = false;
    if (c.p < c.end && (*c.p == '+' || *c.p == '-')) {
        x->neg = *c.p == '-';
        c.p++;
    }
    if (!take_int_part(x, &c, decimal, &int_digits))
        return false;
    if (c.p < c.end && *c.p == decimal) {
        c.p++;
        x->frac = true;
        frac_digits = take_run(x, &c, true);
        if (frac_digits == 0)
            return false;
    }
    if (int_digits == 0 && frac_digits == 0)
        return false;
    if (c.p < c.end && (*c.p == 'e' || *c.p == 'E')) {
        if (!take_exponent(x, &c))
            return false;
    }
    if (c.p != c.end)
        return false;
    finish_digits(x);
    return true;
}

/*
 * Clinger's fast path: a mantissa below 2^53 and a power of ten up to 1e22
 * are both exact doubles, so one multiplication or division rounds once,
 * correctly. It covers nearly every cell of a real export.
 */
static bool
fast_path(const struct num *x, double *v)
{
    static const double pow10[] = {
        1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    uint64_t m = 0;

    if (x->n > 19 || x->exp < -22 || x->exp > 22)
        return false;
    for (size_t i = 0; i < x->n; i++)
        m = m * 10 + (uint64_t)(x->dig[i] - '0');
    if (m > EXACT_INT_MAX)
        return false;
    if (x->exp >= 0)
        *v = (double)m * pow10[x->exp];
    else
        *v = (double)m / pow10[-x->exp];
    return true;
}

/* Writes e<exponent> without printf; returns the bytes written. */
static size_t
put_exponent(char *p, int64_t e)
{
    char tmp[24];
    size_t k = 0, n = 0;
    uint64_t u = e < 0 ? (uint64_t)(-e) : (uint64_t)e;

    p[n++] = 'e';
    if (e < 0)
        p[n++] = '-';
    do {
        tmp[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    while (k > 0)
        p[n++] = tmp[--k];
    return n;
}

/*
 * strtod on "<digits>e<exp>": no decimal point, so the locale cannot bite.
 * Its ERANGE is not consulted: underflow is accepted as 0 (or a subnormal),
 * overflow shows as an infinity.
 */
static bool
slow_path(const struct num *x, double *v)
{
    char buf[SIG_MAX + 32];
    char *end;
    size_t n = x->n;
    int64_t mag = x->exp + (int64_t)x->n; /* value < 10^mag */

    if (mag > 310)
        return false;
    if (mag < -330) {
        *v = 0.0;
        return true;
    }
    memcpy(buf, x->dig, n);
    n += put_exponent(buf + n, x->exp);
    buf[n] = '\0';
    *v = strtod(buf, &end);
    if (end != buf + n)
        return false;
    return isfinite(*v);
}

static bool
num_to_double(const struct num *x, double *out)
{
    double v;

    if (x->n == 0) {
        *out = 0.0;
        return true;
    }
    if (!fast_path(x, &v) && !slow_path(x, &v))
        return false;
    if (v == 0.0) {
        *out = 0.0;
        return true;
    }
    *out = x->neg ? -v : v;
    return true;
}

/* An integer written as such (no separator, no exponent) up to +-2^53. */
static bool
num_to_int(const struct num *x, double *out)
{
    uint64_t v = 0;

    if (x->frac || x->expo)
        return false;
    /* 2^53 has 16 digits: any more cannot be in range. */
    if ((int64_t)x->n + x->exp > 16)
        return false;
    for (size_t i = 0; i < x->n; i++)
        v = v * 10 + (uint64_t)(x->dig[i] - '0');
    for (int64_t e = 0; x->n > 0 && e < x->exp; e++)
        v *= 10;
    if (v > EXACT_INT_MAX)
        return false;
    *out = x->neg && v != 0 ? -(double)v : (double)v;
    return true;
}

/* Drops a trailing '%' and the one separator before it; false without '%'.
 */
static bool
strip_percent(const char *s, size_t *len)
{
    if (*len == 0 || s[*len - 1] != '%')
        return false;
    (*len)--;
    *len -= sep_before(s, *len);
    return true;
}

static char
decimal_of(const struct ob_value_format *fmt)
{
    return fmt->decimal == ',' ? ',' : '.';
}

/*
 * The cell most exports hold, [+-]digits[.digits] with at most 15 digits,
 * in one pass: the digits make an exact integer m and the value is
 * m / 10^k, rounded once (Clinger), as the general path would round it.
 * False when the cell needs the general path (it may still be a number).
 */
static bool
plain_decimal(const char *s, size_t len, enum ob_column_type type, char decimal,
              double *out)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3, 1e4,  1e5,
                                   1e6,  1e7,  1e8,  1e9, 1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15};
    const char *p = s, *end = s + len, *point = NULL;
    uint64_t m = 0;
    unsigned digits = 0, frac = 0;
    bool neg = false;

    if (p < end && (*p == '-' || *p == '+'))
        neg = *p++ == '-';
    for (; p < end; p++) {
        if (*p >= '0' && *p <= '9') {
            m = m * 10 + (uint64_t)(*p - '0');
            digits++;
            frac += point != NULL;
        } else if (*p == decimal && !point && type == OB_COL_NUMBER) {
            point = p;
        } else {
            return false;
        }
    }
    if (digits == 0 || digits > 15 || (point && frac == 0))
        return false;
    *out = m == 0 ? 0.0 : (double)m / pow10[frac];
    if (neg && m != 0)
        *out = -*out;
    return true;
}

/* The general path: its struct num is large, so it is a call of its own
 * and the plain cells of the caller's fast path never set up its frame. */
static bool __attribute__((noinline))
parse_general(const char *s, size_t len, enum ob_column_type type, char decimal,
              double *out)
{
    struct num x;
    bool pct = false;

    if (type == OB_COL_PERCENT)
        pct = strip_percent(s, &len);
    if (!scan_number(s, len, decimal, &x))
        return false;
    if (type == OB_COL_INTEGER)
        return num_to_int(&x, out);
    /* Shifting the exponent, not dividing by 100, keeps "12.3%" exact. */
    if (pct)
        x.exp -= 2;
    return num_to_double(&x, out);
}

static bool
parse_numeric(const char *s, size_t len, enum ob_column_type type, char decimal,
              double *out)
{
    if (type != OB_COL_PERCENT && plain_decimal(s, len, type, decimal, out))
        return true;
    return parse_general(s, len, type, decimal, out);
}

/* The first n bytes of s, lowercased, equal the first n of lowercase word. */
static bool
ascii_ieqn(const char *s, const char *word, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (ascii_lower(s[i]) != word[i])
            return false;
    }
    return true;
}

static bool
ascii_ieq(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && ascii_ieqn(s, word, len);
}

static bool
parse_bool(const char *s, size_t len, bool *out)
{
    if (ascii_ieq(s, len, "true")) {
        *out = true;
        return true;
    }
    if (ascii_ieq(s, len, "false")) {
        *out = false;
        return true;
    }
    return false;
}

/*
 * ---- date_format: a strptime subset, without strptime or the locale ----
 * %Y (4 digits), %y (2: 69-99 -> 19xx), %m %d %e %H %M %S (1 or 2 digits),
 * %b %B %h (English month names, full or 3 letters, any case), %z (Z, +HH,
 * +HHMM, +HH:MM), %%; other bytes match themselves and a space matches any
 * run of spaces. %S also takes a ".fraction" (up to nanoseconds) unless the
 * format goes on with '.'. Any other conversion makes every value fail.
 */

/* Fields read by a date_format; unset ones keep their defaults. */
struct fields {
    unsigned year, month, day, hour, min, sec;
    int32_t nanos, east;
    bool has_year, has_time, has_offset;
};

static bool
take_char(struct cursor *c, char ch)
{
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return true;
    }
    return false;
}

/* min to max digits, greedily: "%d" reads "1" and "01". */
static bool
take_num(struct cursor *c, size_t min, size_t max, unsigned *out)
{
    unsigned v = 0;
    size_t k = 0;

    while (k < max && c->p < c->end && is_digit(*c->p)) {
        v = v * 10 + (unsigned)(*c->p - '0');
        c->p++;
        k++;
    }
    *out = v;
    return k >= min;
}

/* English month names, full or abbreviated, any case (strptime's %b/%B). */
static bool
take_month_name(struct cursor *c, unsigned *month)
{
    static const char *const names[12] = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december"};
    size_t left = (size_t)(c->end - c->p);

    for (unsigned m = 0; m < 12; m++) {
        size_t n = strlen(names[m]);
        /* The full name first, so "march" is not read as "mar" + "ch". */
        if (left < n || !ascii_ieqn(c->p, names[m], n))
            n = 3;
        if (left >= n && ascii_ieqn(c->p, names[m], n)) {
            c->p += n;
            *month = m + 1;
            return true;
        }
    }
    return false;
}

/* 1 to 9 digits after a second's '.', as nanoseconds. */
static bool
take_nanos(struct cursor *c, int32_t *nanos)
{
    unsigned v;
    const char *start = c->p;
    size_t k;

    if (!take_num(c, 1, 9, &v) || (c->p < c->end && is_digit(*c->p)))
        return false;
    for (k = (size_t)(c->p - start); k < 9; k++)
        v *= 10;
    *nanos = (int32_t)v;
    return true;
}

/* %z: Z, +HH, +HHMM or +HH:MM (or -), as seconds east of UTC. */
static bool
take_zone(struct cursor *c, int32_t *east)
{
    unsigned hh, mm = 0;
    int sign = 1;

    if (take_char(c, 'Z')) {
        *east = 0;
        return true;
    }
    if (!take_char(c, '+')) {
        if (!take_char(c, '-'))
            return false;
        sign = -1;
    }
    if (!take_num(c, 2, 2, &hh) || hh > 23)
        return false;
    if (take_char(c, ':') || (c->p < c->end && is_digit(*c->p))) {
        if (!take_num(c, 2, 2, &mm) || mm > 59)
            return false;
    }
    *east = sign * (int32_t)(hh * 3600 + mm * 60);
    return true;
}

static bool
take_two_digit_year(struct cursor *c, struct fields *f)
{
    unsigned y;

    if (!take_num(c, 2, 2, &y))
        return false;
    /* POSIX: 69-99 are 1969-1999, 00-68 are 2000-2068. */
    f->year = y >= 69 ? 1900 + y : 2000 + y;
    f->has_year = true;
    return true;
}

/* %S, with an optional fraction unless the format itself goes on with '.'.
 */
static bool
take_seconds(struct cursor *c, struct fields *f, char next)
{
    if (!take_num(c, 1, 2, &f->sec))
        return false;
    f->has_time = true;
    if (next != '.' && c->end - c->p >= 2 && c->p[0] == '.' &&
        is_digit(c->p[1])) {
        c->p++;
        return take_nanos(c, &f->nanos);
    }
    return true;
}

static bool
take_time_part(struct cursor *c, unsigned *out, struct fields *f)
{
    f->has_time = true;
    return take_num(c, 1, 2, out);
}

/* One conversion; `next` is the format character after it. */
static bool
match_conv(char conv, char next, struct cursor *c, struct fields *f)
{
    switch (conv) {
    case 'Y':
        f->has_year = true;
        return take_num(c, 4, 4, &f->year);
    case 'y':
        return take_two_digit_year(c, f);
    case 'm':
        return take_num(c, 1, 2, &f->month);
    case 'e':
        take_char(c, ' ');
        return take_num(c, 1, 2, &f->day);
    case 'd':
        return take_num(c, 1, 2, &f->day);
    case 'b':
    case 'B':
    case 'h':
        return take_month_name(c, &f->month);
    case 'H':
        return take_time_part(c, &f->hour, f);
    case 'M':
        return take_time_part(c, &f->min, f);
    case 'S':
        return take_seconds(c, f, next);
    case 'z':
        f->has_offset = true;
        return take_zone(c, &f->east);
    case '%':
        return take_char(c, '%');
    default:
        return false; /* unsupported, or a '%' ending the format */
    }
}

static bool
match_format(const char *fmt, struct cursor *c, struct fields *f)
{
    for (const char *p = fmt; *p; p++) {
        if (*p == ' ') {
            /* As in strptime, a space matches any run of spaces. */
            while (c->p < c->end && *c->p == ' ')
                c->p++;
        } else if (*p != '%') {
            if (!take_char(c, *p))
                return false;
        } else {
            p++;
            if (!match_conv(*p, *p ? p[1] : '\0', c, f))
                return false;
        }
    }
    return c->p == c->end;
}

/* Checks the fields and builds the datetime (wall clock unless %z). */
static bool
fields_to_datetime(struct fields *f, struct ob_datetime *dt)
{
    int64_t tod;

    if (!f->has_year || f->month < 1 || f->month > 12 || f->day < 1 ||
        f->day > ob_date_days_in_month((int32_t)f->year, f->month))
        return false;
    if (f->hour > 23 || f->min > 59 || f->sec > 60)
        return false;
    /* A leap second is clamped, as ob_datetime_parse() does. */
    if (f->sec == 60)
        f->sec = 59;
    tod = (int64_t)f->hour * 3600 + f->min * 60 + f->sec;
    dt->seconds =
        (int64_t)ob_date_from_civil((int32_t)f->year, f->month, f->day) *
            OB_SECONDS_PER_DAY +
        (f->has_time ? tod - f->east : 0);
    dt->nanos = f->has_time ? f->nanos : 0;
    dt->has_time = f->has_time;
    dt->has_offset = f->has_time && f->has_offset;
    return true;
}

/*
 * A missing %m or %d defaults to 1 ("%Y-%m" reads a month as its first
 * day); a missing year fails, since no date can be built without it.
 */
static bool
parse_with_format(const char *s, size_t len, const char *fmt,
                  struct ob_datetime *dt)
{
    struct cursor c = {s, s + len};
    struct fields f = {.month = 1, .day = 1};

    if (!match_format(fmt, &c, &f))
        return false;
    return fields_to_datetime(&f, dt);
}

static bool
parse_when(const char *s, size_t len, const struct ob_value_format *fmt,
           struct ob_date_memo *memo, struct ob_datetime *dt)
{
    if (fmt->date_format)
        return parse_with_format(s, len, fmt->date_format, dt);
    return ob_datetime_parse_memo(s, len, memo, dt);
}

static int64_t
floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The local calendar date of a datetime; NULL tz is UTC. */
static int32_t
local_date(const struct ob_datetime *dt, const struct ob_tz *tz)
{
    if (dt->has_offset && tz)
        return ob_tz_date_of(tz, dt->seconds);
    return (int32_t)floor_div(dt->seconds, OB_SECONDS_PER_DAY);
}

static int64_t
utc_of(const struct ob_datetime *dt, const struct ob_tz *tz)
{
    if (dt->has_offset || !tz)
        return dt->seconds;
    return ob_tz_local_to_utc(tz, dt->seconds);
}

/*
 * A text without a time is OB_VAL_DATE even in a datetime column (its
 * instant depends on the zone, which the caller places with
 * ob_tz_day_start()); a datetime in a date column keeps its local date.
 */
static bool
parse_temporal(const char *s, size_t len, enum ob_column_type type,
               const struct ob_value_format *fmt, struct ob_date_memo *memo,
               struct ob_value *out)
{
    struct ob_datetime dt;

    if (!parse_when(s, len, fmt, memo, &dt))
        return false;
    if (!dt.has_time || type == OB_COL_DATE) {
        out->type = OB_VAL_DATE;
        out->u.date = local_date(&dt, fmt->tz);
        return true;
    }
    out->type = OB_VAL_DATETIME;
    out->u.dt.seconds = utc_of(&dt, fmt->tz);
    out->u.dt.nanos = dt.nanos;
    return true;
}

/* NULL fmt means '.', ISO 8601 and UTC. `out` is untouched on failure. */
bool
ob_value_parse_memo(const char *s, size_t len, enum ob_column_type type,
                    const struct ob_value_format *fmt,
                    struct ob_date_memo *memo, struct ob_value *out)
{
    double num;
    bool b;

    if (!fmt)
        fmt = &default_format;
    if (len == 0) {
        out->type = OB_VAL_EMPTY;
        return true;
    }
    switch (type) {
    case OB_COL_STRING:
        out->type = OB_VAL_STRING;
        out->u.str.ptr = s;
        out->u.str.len = len;
        return true;
    case OB_COL_NUMBER:
    case OB_COL_INTEGER:
    case OB_COL_PERCENT:
        if (!parse_numeric(s, len, type, decimal_of(fmt), &num))
            return false;
        out->type = OB_VAL_NUMBER;
        out->u.num = num;
        return true;
    case OB_COL_BOOLEAN:
        if (!parse_bool(s, len, &b))
            return false;
        out->type = OB_VAL_BOOL;
        out->u.b = b;
        return true;
    case OB_COL_DATE:
    case OB_COL_DATETIME:
        return parse_temporal(s, len, type, fmt, memo, out);
    }
    return false;
}

bool
ob_value_parse(const char *s, size_t len, enum ob_column_type type,
               const struct ob_value_format *fmt, struct ob_value *out)
{
    return ob_value_parse_memo(s, len, type, fmt, NULL, out);
}

/* ---- inference ---- */

/*
 * Numeric types a value fits. Integer-looking values with a leading zero
 * are codes (zip codes, "007"); so are integers past 2^53 (long ids), which
 * a double would silently merge. Percent needs its '%' sign.
 */
static unsigned
number_fits(const char *s, size_t len, char decimal)
{
    struct num x;
    double v;
    bool pct = strip_percent(s, &len);

    if (!scan_number(s, len, decimal, &x) || x.lead0)
        return 0;
    if (pct) {
        x.exp -= 2;
        return num_to_double(&x, &v) ? BIT(OB_COL_PERCENT) : 0;
    }
    if (!x.frac && !x.expo)
        return num_to_int(&x, &v) ? BIT(OB_COL_INTEGER) | BIT(OB_COL_NUMBER)
                                  : 0;
    return num_to_double(&x, &v) ? BIT(OB_COL_NUMBER) : 0;
}

/* A plain date fits a date column and a datetime one; a datetime only the
 * latter, so a mix of both infers datetime. */
static unsigned
temporal_fits(const char *s, size_t len, const struct ob_value_format *fmt)
{
    struct ob_datetime dt;

    if (!parse_when(s, len, fmt, NULL, &dt))
        return 0;
    if (dt.has_time)
        return BIT(OB_COL_DATETIME);
    return BIT(OB_COL_DATE) | BIT(OB_COL_DATETIME);
}

void
ob_infer_init(struct ob_infer *inf)
{
    inf->fits = ALL_FITS;
    inf->seen = 0;
}

/* Empty values say nothing about the type: they are ignored, not counted. */
void
ob_infer_feed(struct ob_infer *inf, const char *s, size_t len,
              const struct ob_value_format *fmt)
{
    unsigned fits = BIT(OB_COL_STRING);
    bool b;

    if (len == 0)
        return;
    if (!fmt)
        fmt = &default_format;
    if (parse_bool(s, len, &b))
        fits |= BIT(OB_COL_BOOLEAN);
    fits |= number_fits(s, len, decimal_of(fmt));
    fits |= temporal_fits(s, len, fmt);
    inf->fits &= fits;
    inf->seen++;
}

/* A column with no values at all is a string: nothing says otherwise. */
enum ob_column_type
ob_infer_result(const struct ob_infer *inf)
{
    /* Dates before numbers: with date_format "%Y%m%d", 20261121 is both,
     * and the export meant a date. ISO dates are never numbers. */
    static const enum ob_column_type order[] = {
        OB_COL_BOOLEAN, OB_COL_DATE,   OB_COL_DATETIME,
        OB_COL_INTEGER, OB_COL_NUMBER, OB_COL_PERCENT};

    if (inf->seen == 0)
        return OB_COL_STRING;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (inf->fits & BIT(order[i]))
            return order[i];
    }
    return OB_COL_STRING;
}

/* Same names, same order as config.c's `columns:` hints. */
const char *
ob_column_type_name(enum ob_column_type t)
{
    static const char *const names[] = {"string",  "number", "integer",
                                        "boolean", "date",   "datetime",
                                        "percent"};

    if ((unsigned)t >= sizeof names / sizeof names[0])
        return "string";
    return names[t];
}
