/* date.c: proleptic Gregorian dates, ISO 8601 datetimes and durations. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/date.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/*
 * The civil conversions are Howard Hinnant's "days_from_civil" and
 * "civil_from_days" (http://howardhinnant.github.io/date_algorithms.html):
 * branch-light, exact for every year, and free of struct tm, timegm() and
 * the TZ variable. They work in 64 bits so that any int32_t year is safe;
 * the result wraps only outside about +-5.8 million years.
 */
int32_t
ob_date_from_civil(int32_t year, unsigned month, unsigned day)
{
    int64_t y = (int64_t)year - (month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = month > 2 ? (int64_t)month - 3 : (int64_t)month + 9;
    int64_t doy = (153 * mp + 2) / 5 + (int64_t)day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void
ob_date_to_civil(int32_t days, int32_t *year, unsigned *month, unsigned *day)
{
    int64_t z = (int64_t)days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    unsigned m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);

    *day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *month = m;
    *year = (int32_t)(yoe + era * 400 + (m <= 2));
}

static bool
is_leap(int32_t year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

/* Returns 0 for a month outside 1-12, so callers can reject it by range. */
unsigned
ob_date_days_in_month(int32_t year, unsigned month)
{
    static const unsigned char len[12] = {31, 28, 31, 30, 31, 30,
                                          31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && is_leap(year))
        return 29;
    return len[month - 1];
}

unsigned
ob_date_weekday(int32_t days)
{
    /* 1970-01-01 was a Thursday (ISO 4); % may be negative before it. */
    int64_t r = ((int64_t)days % 7 + 7 + 3) % 7;
    return (unsigned)r + 1;
}

/* Reads exactly n ASCII digits at s; locale-free, unlike isdigit(). */
static bool
read_digits(const char *s, size_t n, unsigned *out)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return true;
}

bool
ob_date_parse(const char *s, size_t len, int32_t *days)
{
    unsigned y, m, d;

    if (len != 10 || s[4] != '-' || s[7] != '-')
        return false;
    if (!read_digits(s, 4, &y) || !read_digits(s + 5, 2, &m) ||
        !read_digits(s + 8, 2, &d))
        return false;
    if (d < 1 || d > ob_date_days_in_month((int32_t)y, m))
        return false;
    *days = ob_date_from_civil((int32_t)y, m, d);
    return true;
}

static void
put_digits(char *out, unsigned v, size_t n)
{
    while (n-- > 0) {
        out[n] = (char)('0' + v % 10);
        v /= 10;
    }
}

/*
 * Four year digits is all out[11] has room for, so dates before 0000-01-01
 * or after 9999-12-31 are written as those limits rather than overflowing.
 */
void
ob_date_format(int32_t days, char out[11])
{
    int32_t y;
    unsigned m, d;

    if (days < ob_date_from_civil(0, 1, 1))
        days = ob_date_from_civil(0, 1, 1);
    if (days > ob_date_from_civil(9999, 12, 31))
        days = ob_date_from_civil(9999, 12, 31);
    ob_date_to_civil(days, &y, &m, &d);
    put_digits(out, (unsigned)y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, d, 2);
    out[10] = '\0';
}

/* A cursor over the datetime text, so each piece is a small function. */
struct cursor {
    const char *p, *end;
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

static bool
take_2digits(struct cursor *c, unsigned max, unsigned *out)
{
    if (c->end - c->p < 2 || !read_digits(c->p, 2, out) || *out > max)
        return false;
    c->p += 2;
    return true;
}

/* 1 to 9 digits after the point, scaled to nanoseconds. */
static bool
take_fraction(struct cursor *c, int32_t *nanos)
{
    int32_t v = 0;
    int n = 0;

    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        if (n == 9)
            return false;
        v = v * 10 + (*c->p - '0');
        c->p++;
        n++;
    }
    if (n == 0)
        return false;
    for (; n < 9; n++)
        v *= 10;
    *nanos = v;
    return true;
}

/*
 * HH:MM[:SS[.frac]]. Hour 24 is rejected (write 00:00 of the next day).
 * A leap second :60 is clamped to :59, keeping its fraction, because the
 * epoch count has no slot for it and the clamp keeps the order of instants.
 */
static bool
take_time(struct cursor *c, int64_t *secs, int32_t *nanos)
{
    unsigned hh, mm, ss = 0;

    if (!take_2digits(c, 23, &hh) || !take_char(c, ':') ||
        !take_2digits(c, 59, &mm))
        return false;
    if (take_char(c, ':')) {
        if (!take_2digits(c, 60, &ss))
            return false;
        if (ss == 60)
            ss = 59;
        if (take_char(c, '.') && !take_fraction(c, nanos))
            return false;
    }
    *secs = (int64_t)hh * 3600 + mm * 60 + ss;
    return true;
}

/* Z, or +HH, +HHMM, +HH:MM (or -) as seconds east of UTC. */
static bool
take_offset(struct cursor *c, int32_t *east)
{
    unsigned hh, mm = 0;
    int sign;

    if (take_char(c, 'Z')) {
        *east = 0;
        return true;
    }
    if (take_char(c, '+'))
        sign = 1;
    else if (take_char(c, '-'))
        sign = -1;
    else
        return false;
    if (!take_2digits(c, 23, &hh))
        return false;
    if (take_char(c, ':')) {
        if (!take_2digits(c, 59, &mm))
            return false;
    } else if (c->p < c->end && !take_2digits(c, 59, &mm)) {
        return false;
    }
    *east = sign * (int32_t)(hh * 3600 + mm * 60);
    return true;
}

/*
 * The day of the "YYYY-MM-DD" at s (s has at least 10 bytes), from the memo
 * when s starts with its prefix: the memo only ever holds a prefix that
 * passed ob_date_parse(), so equal bytes are the same valid day and the
 * checks need not run again. A new valid prefix replaces it.
 */
static bool
date_prefix(const char *s, struct ob_date_memo *memo, int32_t *days)
{
    if (memo && memo->set && memcmp(s, memo->prefix, 10) == 0) {
        *days = memo->days;
        return true;
    }
    if (!ob_date_parse(s, 10, days))
        return false;
    if (memo) {
        memcpy(memo->prefix, s, 10);
        memo->days = *days;
        memo->set = true;
    }
    return true;
}

/* "YYYY-MM-DDTHH:MM:SS" (or a space for the T), UTC with a Z or in the
 * site's zone without: what most exports write, read in one go. False
 * when the general path must decide. */
static bool
plain_datetime(const char *s, size_t len, struct ob_date_memo *memo,
               struct ob_datetime *out)
{
    unsigned hh, mm, ss;
    int32_t days;

    if ((len != 19 && (len != 20 || s[19] != 'Z')) ||
        (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
        return false;
    if (!read_digits(s + 11, 2, &hh) || !read_digits(s + 14, 2, &mm) ||
        !read_digits(s + 17, 2, &ss) || hh > 23 || mm > 59 || ss > 60)
        return false;
    if (!date_prefix(s, memo, &days))
        return false;
    if (ss == 60)
        ss = 59; /* a leap second, as take_time reads it */
    out->seconds =
        (int64_t)days * OB_SECONDS_PER_DAY + hh * 3600 + mm * 60 + ss;
    out->nanos = 0;
    out->has_time = true;
    out->has_offset = len == 20;
    return true;
}

bool
ob_datetime_parse_memo(const char *s, size_t len, struct ob_date_memo *memo,
                       struct ob_datetime *out)
{
    struct cursor c = {s + 10, s + len};
    struct ob_datetime dt = {0, 0, false, false};
    int32_t days, east = 0;
    int64_t tod = 0;

    if (plain_datetime(s, len, memo, out))
        return true;
    if (len < 10 || !date_prefix(s, memo, &days))
        return false;
    if (c.p < c.end) {
        if (!take_char(&c, 'T') && !take_char(&c, ' '))
            return false;
        if (!take_time(&c, &tod, &dt.nanos))
            return false;
        dt.has_time = true;
        if (c.p < c.end) {
            if (!take_offset(&c, &east))
                return false;
            dt.has_offset = true;
        }
        if (c.p != c.end)
            return false;
    }
    dt.seconds = (int64_t)days * OB_SECONDS_PER_DAY + tod - east;
    *out = dt;
    return true;
}

bool
ob_datetime_parse(const char *s, size_t len, struct ob_datetime *out)
{
    return ob_datetime_parse_memo(s, len, NULL, out);
}

static int64_t
unit_seconds(char unit)
{
    switch (unit) {
    case 's':
        return 1;
    case 'm':
        return 60;
    case 'h':
        return 3600;
    case 'd':
        return OB_SECONDS_PER_DAY;
    case 'w':
        return 7 * (int64_t)OB_SECONDS_PER_DAY;
    default:
        return 0;
    }
}

/* One <digits><unit> term; false on a missing part or int64_t overflow. */
static bool
take_term(struct cursor *c, int64_t *secs)
{
    int64_t n = 0, mult;
    const char *start = c->p;

    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        int digit = *c->p - '0';
        if (n > (INT64_MAX - digit) / 10)
            return false;
        n = n * 10 + digit;
        c->p++;
    }
    if (c->p == start || c->p == c->end)
        return false;
    mult = unit_seconds(*c->p);
    if (mult == 0 || n > INT64_MAX / mult)
        return false;
    c->p++;
    *secs = n * mult;
    return true;
}

/* Terms may come in any order and repeat ("1h1h" is 2h): they just add. */
bool
ob_duration_parse(const char *s, size_t len, int64_t *seconds)
{
    struct cursor c = {s, s + len};
    int64_t total = 0, term;

    if (len == 0)
        return false;
    while (c.p < c.end) {
        if (!take_term(&c, &term) || term > INT64_MAX - total)
            return false;
        total += term;
    }
    *seconds = total;
    return true;
}

void
ob_instant_format(int64_t utc, char out[OB_INSTANT_MAX])
{
    int64_t day = utc / OB_SECONDS_PER_DAY, sec = utc % OB_SECONDS_PER_DAY;
    char date[11];

    if (sec < 0) {
        sec += OB_SECONDS_PER_DAY;
        day--;
    }
    ob_date_format((int32_t)day, date);
    snprintf(out, OB_INSTANT_MAX, "%sT%02d:%02d:%02dZ", date, (int)(sec / 3600),
             (int)(sec / 60 % 60), (int)(sec % 60));
}
