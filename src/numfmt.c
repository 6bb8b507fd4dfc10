/* numfmt.c: how KPI values are written for people, in one place. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/numfmt.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/buf.h"
#include "opsbook/config.h"
#include "opsbook/date.h"
#include "opsbook/period.h"

/*
 * Rounding works on decimal digits, not on the binary double. 2.675 is
 * stored as 2.67499999999999982236431605997495353221893310546875, so
 * rounding the double itself gives 2.67, while the person who wrote 2.675
 * expects 2.68. So a value is first turned into the shortest decimal that
 * reads back as the same double (the text a person most likely wrote, and
 * what ob_numfmt_plain() prints): %.15e, %.16e or %.17e, the first whose
 * strtod() gives the value back. Those digits are then rounded half away
 * from zero as text, and the renderers print the rounded digits directly,
 * so no second binary rounding can creep in. A value whose shortest form
 * has 17 digits (0.1 + 0.2 = 0.30000000000000004) is rounded as those
 * digits say; that is exact for the double and invisible at display
 * precision.
 *
 * Signs: every negative shown to people uses U+2212 MINUS SIGN, in values
 * ("−€1,234.50", "−12,5") and deltas alike, so a column of values and
 * a column of changes look the same. Only ob_numfmt_plain(), which writes
 * data for programs, uses ASCII '-'. A value that rounds to zero is
 * written without a sign ("0.0", never "−0.0"; a delta of 0 is "0").
 */

#define MINUS   "\xE2\x88\x92" /* U+2212 MINUS SIGN */
#define NNBSP   "\xE2\x80\xAF" /* U+202F NARROW NO-BREAK SPACE (fr groups) */
#define NBSP    "\xC2\xA0"     /* U+00A0 NO-BREAK SPACE (fr before units) */
#define EM_DASH "\xE2\x80\x94" /* U+2014, for NaN and infinities */

/* Significant digits of a double never exceed 17; rounding may add one. */
#define MAX_DIGITS 24

/* Decimals are capped: more than 15 only shows binary noise. */
#define MAX_DECIMALS 15

/*
 * A finite value as decimal digits: 0.d[0]d[1]...d[n-1] x 10^point, with
 * no leading or trailing zero digits; zero is n == 0.
 */
struct decimal {
    bool neg;
    int n;
    int point;
    char d[MAX_DIGITS];
};

/* The shortest of %.15e, %.16e, %.17e that reads back as `v`. */
static void
shortest_e(double v, char *tmp, size_t size)
{
    for (int prec = 14; prec <= 16; prec++) {
        snprintf(tmp, size, "%.*e", prec, v);
        if (prec == 16 || strtod(tmp, NULL) == v)
            return;
    }
}

static void
decimal_from_double(double v, struct decimal *x)
{
    char tmp[40];
    const char *p, *e;

    memset(x, 0, sizeof(*x));
    if (v == 0)
        return;
    x->neg = v < 0;
    shortest_e(fabs(v), tmp, sizeof tmp);
    /* tmp is "D.DDDDe[+-]XX" in the C locale. */
    e = strchr(tmp, 'e');
    for (p = tmp; p < e; p++)
        if (*p != '.')
            x->d[x->n++] = *p;
    x->point = (int)strtol(e + 1, NULL, 10) + 1;
    while (x->n > 0 && x->d[x->n - 1] == '0')
        x->n--;
}

/* Rounds half away from zero to `decimals` places, as text. */
static void
decimal_round(struct decimal *x, int decimals)
{
    int keep = x->point + decimals;
    int i;

    if (keep >= x->n)
        return;
    if (keep < 0) {
        x->n = 0;
    } else if (x->d[keep] < '5') {
        x->n = keep;
    } else {
        /* Up in magnitude: add one at digit keep - 1, carrying 9s. */
        x->n = keep;
        for (i = keep - 1; i >= 0 && x->d[i] == '9'; i--)
            x->n--;
        if (i >= 0) {
            x->d[i]++;
        } else {
            /* All nines (or nothing kept): the next power of ten. */
            x->d[0] = '1';
            x->n = 1;
            x->point++;
        }
    }
    while (x->n > 0 && x->d[x->n - 1] == '0')
        x->n--;
    if (x->n == 0)
        x->neg = false;
}

static int
clamp_decimals(int decimals)
{
    if (decimals < 0)
        return 0;
    return decimals > MAX_DECIMALS ? MAX_DECIMALS : decimals;
}

double
ob_round_half_away(double v, int decimals)
{
    struct decimal x;
    char tmp[MAX_DIGITS + 16];

    if (!isfinite(v))
        return v;
    decimal_from_double(v, &x);
    decimal_round(&x, clamp_decimals(decimals));
    if (x.n == 0)
        return 0.0;
    snprintf(tmp, sizeof tmp, "%s0.%.*se%d", x.neg ? "-" : "", x.n, x.d,
             x.point);
    return strtod(tmp, NULL);
}

int
ob_numfmt_decimals(const struct ob_numfmt *f)
{
    if (f->decimals >= 0)
        return clamp_decimals(f->decimals);
    switch (f->format) {
    case OB_FMT_NUMBER:
    case OB_FMT_PERCENT:
        return 1;
    case OB_FMT_CURRENCY:
        return 2;
    default:
        return 0;
    }
}

/* The digit at place 10^(point - 1 - i), zero outside the kept digits. */
static char
digit_at(const struct decimal *x, int i)
{
    return i >= 0 && i < x->n ? x->d[i] : '0';
}

/* Appends |x| with `decimals` places, grouped in threes: en "1,234.50",
 * fr "1 234,50" with U+202F. */
static void
put_digits(struct ob_buf *out, const struct decimal *x, int decimals,
           enum ob_language lang)
{
    const char *group = lang == OB_LANG_FR ? NNBSP : ",";
    int ints = x->point > 0 ? x->point : 0;

    if (ints == 0)
        ob_buf_putc(out, '0');
    for (int i = 0; i < ints; i++) {
        if (i > 0 && (ints - i) % 3 == 0)
            ob_buf_puts(out, group);
        ob_buf_putc(out, digit_at(x, i));
    }
    if (decimals > 0)
        ob_buf_putc(out, lang == OB_LANG_FR ? ',' : '.');
    for (int i = 0; i < decimals; i++)
        ob_buf_putc(out, digit_at(x, x->point + i));
}

/* The sign before a rounded number: U+2212 for negatives, '+' for positive
 * changes, nothing for zero. */
static void
put_sign(struct ob_buf *out, const struct decimal *x, bool explicit_sign)
{
    if (x->n == 0)
        return;
    if (x->neg)
        ob_buf_puts(out, MINUS);
    else if (explicit_sign)
        ob_buf_putc(out, '+');
}

/* Appends an integer with groups (days of a long duration). */
static void
put_count(struct ob_buf *out, int64_t v, enum ob_language lang)
{
    struct decimal x;

    decimal_from_double((double)v, &x);
    put_digits(out, &x, 0, lang);
}

/* en symbols that go before the amount; any other code is written out. */
static const char *
currency_symbol(const char *code)
{
    static const char *const map[][2] = {
        {"EUR", "\xE2\x82\xAC"}, {"USD", "$"}, {"GBP", "\xC2\xA3"}};

    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(code, map[i][0]))
            return map[i][1];
    return NULL;
}

/*
 * en "€1,234.50", "CHF 1,234.50"; fr "1 234,50 €", "1 234,50 CHF" (U+00A0
 * before the symbol, as French typography puts it). No code: the bare
 * amount.
 */
static void
put_currency(struct ob_buf *out, const struct decimal *x, int decimals,
             const char *code, enum ob_language lang, bool explicit_sign)
{
    const char *sym = code && *code ? currency_symbol(code) : NULL;
    const char *shown = sym ? sym : code;

    put_sign(out, x, explicit_sign);
    if (lang == OB_LANG_EN && shown && *shown) {
        ob_buf_puts(out, shown);
        if (!sym)
            ob_buf_putc(out, ' ');
    }
    put_digits(out, x, decimals, lang);
    if (lang == OB_LANG_FR && shown && *shown) {
        ob_buf_puts(out, NBSP);
        ob_buf_puts(out, shown);
    }
}

/*
 * Durations keep the largest non-zero unit and the one below it, rounded
 * half up to that lower unit; a lower unit that rounds to 0 is left out
 * ("3d", not "3d 0h"), and we never skip a unit to show a finer one
 * ("3d 0h 5m" is "3d": "3d 5m" would claim precision the other values in
 * that column do not have). en "3d 4h", "12m 5s", "45s", "0s"; fr uses
 * French unit symbols, j for jours and min for minutes, with U+00A0
 * between number and unit: "3 j 4 h", "12 min 5 s". Decimals are ignored.
 */
static const struct {
    int64_t seconds;
    const char *en, *fr;
} units[] = {{86400, "d", NBSP "j"},
             {3600, "h", NBSP "h"},
             {60, "m", NBSP "min"},
             {1, "s", NBSP "s"}};

static size_t
largest_unit(int64_t s)
{
    size_t i = 0;
    while (i < 3 && s < units[i].seconds)
        i++;
    return i;
}

static void
put_unit(struct ob_buf *out, int64_t n, size_t u, enum ob_language lang)
{
    put_count(out, n, lang);
    ob_buf_puts(out, lang == OB_LANG_FR ? units[u].fr : units[u].en);
}

/* Beyond this many seconds (about 285 billion years) int64_t arithmetic
 * could overflow; such values are shown in whole days. */
#define DURATION_MAX 9.0e18

static void
put_duration(struct ob_buf *out, double v, enum ob_language lang,
             bool explicit_sign)
{
    struct decimal x;
    int64_t s, step;
    size_t u;

    if (fabs(v) >= DURATION_MAX) {
        decimal_from_double(v / units[0].seconds, &x);
        decimal_round(&x, 0);
        put_sign(out, &x, explicit_sign);
        put_digits(out, &x, 0, lang);
        ob_buf_puts(out, lang == OB_LANG_FR ? units[0].fr : units[0].en);
        return;
    }
    /* Whole seconds first (half away from zero, as everywhere), then the
     * lower shown unit; that can carry into a larger unit (23h 59m 40s is
     * 24h 0m, shown "1d"), and the carried value is exact in it. */
    decimal_from_double(v, &x);
    decimal_round(&x, 0);
    s = (int64_t)fabs(ob_round_half_away(v, 0));
    u = largest_unit(s);
    if (u < 3) {
        step = units[u + 1].seconds;
        s = (s + step / 2) / step * step;
        u = largest_unit(s);
    }
    put_sign(out, &x, explicit_sign);
    put_unit(out, s / units[u].seconds, u, lang);
    if (u < 3 && s % units[u].seconds != 0) {
        ob_buf_putc(out, ' ');
        put_unit(out, s % units[u].seconds / units[u + 1].seconds, u + 1, lang);
    }
}

/* Shared by values and deltas; `delta` adds the explicit sign and turns
 * percent into points. */
static void
put_formatted(struct ob_buf *out, const struct ob_numfmt *f, double v,
              bool delta)
{
    struct decimal x;
    int dec = ob_numfmt_decimals(f);
    bool fr = f->language == OB_LANG_FR;

    if (!isfinite(v)) {
        ob_buf_puts(out, EM_DASH);
        return;
    }
    if (f->format == OB_FMT_DURATION) {
        put_duration(out, v, f->language, delta);
        return;
    }
    decimal_from_double(v, &x);
    if (f->format == OB_FMT_PERCENT && x.n > 0)
        x.point += 2; /* shares to percent, exactly, in decimal */
    decimal_round(&x, dec);
    if (f->format == OB_FMT_CURRENCY) {
        put_currency(out, &x, dec, f->currency, f->language, delta);
        return;
    }
    put_sign(out, &x, delta);
    put_digits(out, &x, dec, f->language);
    if (f->format == OB_FMT_PERCENT && delta)
        ob_buf_puts(out, fr ? NBSP "pts" : " pts");
    else if (f->format == OB_FMT_PERCENT)
        ob_buf_puts(out, fr ? NBSP "%" : "%");
}

void
ob_numfmt_value(struct ob_buf *out, const struct ob_numfmt *f, double v)
{
    put_formatted(out, f, v, false);
}

void
ob_numfmt_delta(struct ob_buf *out, const struct ob_numfmt *f, double d)
{
    put_formatted(out, f, d, true);
}

void
ob_numfmt_ratio(struct ob_buf *out, enum ob_language lang, double r)
{
    struct decimal x;

    if (!isfinite(r)) {
        ob_buf_puts(out, EM_DASH);
        return;
    }
    decimal_from_double(r, &x);
    if (x.n > 0)
        x.point += 2;
    decimal_round(&x, 1);
    put_sign(out, &x, true);
    put_digits(out, &x, 1, lang);
    ob_buf_puts(out, lang == OB_LANG_FR ? NBSP "%" : "%");
}

/* 2^53: below it every integer-valued double is an exact int64_t. */
#define EXACT_INT_LIMIT 9007199254740992.0

void
ob_numfmt_plain(struct ob_buf *out, double v)
{
    char tmp[40];

    if (isnan(v)) {
        ob_buf_puts(out, "nan");
        return;
    }
    /* The common case, counts and whole amounts, without trying widths.
     * -0.0 lands here too and prints "0". */
    if (fabs(v) < EXACT_INT_LIMIT && v == (double)(int64_t)v) {
        ob_buf_printf(out, "%lld", (long long)(int64_t)v);
        return;
    }
    /*
     * Any decimal of at most 15 significant digits survives the trip
     * through a double, so %.15g is right whenever a short form exists;
     * %.17g always reads back. Infinities print "inf"/"-inf".
     */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (prec == 17 || strtod(tmp, NULL) == v)
            break;
    }
    ob_buf_puts(out, tmp);
}

static const char *const month_names[][12] = {
    {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
     "Nov", "Dec"},
    {"janv.", "f\xC3\xA9vr.", "mars", "avr.", "mai", "juin", "juil.",
     "ao\xC3\xBBt", "sept.", "oct.", "nov.",
     "d\xC3\xA9"
     "c."},
};

void
ob_numfmt_period(struct ob_buf *out, const struct ob_calendar *cal,
                 int32_t start, enum ob_language lang)
{
    char label[OB_PERIOD_LABEL_MAX];
    int32_t year;
    unsigned month, day;

    if (cal->grain != OB_GRAIN_MONTH) {
        ob_period_label(cal, start, label);
        ob_buf_puts(out, label);
        return;
    }
    ob_date_to_civil(start, &year, &month, &day);
    ob_buf_printf(out, "%s %ld", month_names[lang == OB_LANG_FR][month - 1],
                  (long)year);
}

void
ob_numfmt_date(struct ob_buf *out, int32_t date, enum ob_language lang)
{
    int32_t year;
    unsigned month, day;

    ob_date_to_civil(date, &year, &month, &day);
    if (lang == OB_LANG_FR)
        ob_buf_printf(out, "%u %s %ld", day, month_names[1][month - 1],
                      (long)year);
    else
        ob_buf_printf(out, "%s %u, %ld", month_names[0][month - 1], day,
                      (long)year);
}
