/* period.c: reporting periods (day, ISO week, month, quarter, year). */
/* SPDX-License-Identifier: MIT */
#include "opsbook/period.h"

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "opsbook/config.h"
#include "opsbook/date.h"

/*
 * Months, quarters and years are handled as a month index, year * 12 +
 * (month - 1), so every step, start and difference is integer arithmetic
 * with floor division; no loops over days, and dates before 1970 (or before
 * year 0) need no special case. Days and weeks stay in day numbers.
 */

/* Floor division and its remainder: C's / truncates toward zero, which would
 * put negative dates into the wrong period. */
static int64_t
floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t
floor_mod(int64_t a, int64_t b)
{
    return a - floor_div(a, b) * b;
}

/* Clamps to int32_t: a far-out add/diff saturates instead of wrapping. */
static int32_t
clamp32(int64_t v)
{
    if (v > INT32_MAX)
        return INT32_MAX;
    if (v < INT32_MIN)
        return INT32_MIN;
    return (int32_t)v;
}

/* Months per period for the month-based grains, 0 for day and week. */
static int64_t
months_per(enum ob_grain g)
{
    switch (g) {
    case OB_GRAIN_MONTH:
        return 1;
    case OB_GRAIN_QUARTER:
        return 3;
    case OB_GRAIN_YEAR:
        return 12;
    default:
        return 0;
    }
}

/* A zero-initialised calendar (or a bad value) means calendar years, so a
 * caller that forgets the field still gets sensible periods. */
static int64_t
fiscal_offset(const struct ob_calendar *c)
{
    unsigned fs = c->fiscal_year_start;
    return (fs >= 1 && fs <= 12) ? (int64_t)fs - 1 : 0;
}

static int64_t
month_index(int32_t date)
{
    int32_t y;
    unsigned m, d;

    ob_date_to_civil(date, &y, &m, &d);
    return (int64_t)y * 12 + (m - 1);
}

/* Years this far out are past what int32_t days can count (about 5.8
 * million years); saturate there so nothing wraps. */
#define YEAR_LIMIT 5000000

static int32_t
month_index_to_date(int64_t mi)
{
    if (mi >= (int64_t)YEAR_LIMIT * 12)
        return INT32_MAX;
    if (mi < -(int64_t)YEAR_LIMIT * 12)
        return INT32_MIN;
    return ob_date_from_civil((int32_t)floor_div(mi, 12),
                              (unsigned)floor_mod(mi, 12) + 1, 1);
}

/* The month index of the first month of the period holding month `mi`. */
static int64_t
period_month(const struct ob_calendar *c, int64_t mi)
{
    int64_t k = months_per(c->grain);
    int64_t off = k == 1 ? 0 : fiscal_offset(c);
    return floor_div(mi - off, k) * k + off;
}

int32_t
ob_period_start(const struct ob_calendar *c, int32_t date)
{
    switch (c->grain) {
    case OB_GRAIN_DAY:
        return date;
    case OB_GRAIN_WEEK:
        return clamp32((int64_t)date - (ob_date_weekday(date) - 1));
    default:
        return month_index_to_date(period_month(c, month_index(date)));
    }
}

int32_t
ob_period_add(const struct ob_calendar *c, int32_t start, int32_t n)
{
    switch (c->grain) {
    case OB_GRAIN_DAY:
        return clamp32((int64_t)start + n);
    case OB_GRAIN_WEEK:
        return clamp32((int64_t)start + (int64_t)n * 7);
    default:
        return month_index_to_date(month_index(start) +
                                   (int64_t)n * months_per(c->grain));
    }
}

int32_t
ob_period_last_day(const struct ob_calendar *c, int32_t start)
{
    return clamp32((int64_t)ob_period_add(c, start, 1) - 1);
}

int32_t
ob_period_diff(const struct ob_calendar *c, int32_t from, int32_t to)
{
    int64_t k;

    switch (c->grain) {
    case OB_GRAIN_DAY:
        return clamp32((int64_t)to - from);
    case OB_GRAIN_WEEK:
        /* Exact for two Mondays; floor keeps other inputs consistent. */
        return clamp32(floor_div((int64_t)to - from, 7));
    default:
        k = months_per(c->grain);
        return clamp32(floor_div(month_index(to) - month_index(from), k));
    }
}

bool
ob_period_complete(const struct ob_calendar *c, int32_t start, int32_t as_of)
{
    return ob_period_last_day(c, start) <= as_of;
}

/* Labels keep their fixed shape: years outside 0000-9999 are clamped, as
 * ob_date_format() clamps dates. */
static int
label_year(int64_t y)
{
    if (y < 0)
        return 0;
    if (y > 9999)
        return 9999;
    return (int)y;
}

/* The ISO week-year and week number of the week starting on `monday`: the
 * week belongs to the year holding its Thursday. */
static void
iso_week(int32_t monday, int32_t *year, unsigned *week)
{
    int32_t thursday = clamp32((int64_t)monday + 3);
    unsigned m, d;

    ob_date_to_civil(thursday, year, &m, &d);
    *week = (unsigned)((thursday - ob_date_from_civil(*year, 1, 1)) / 7 + 1);
}

size_t
ob_period_label(const struct ob_calendar *c, int32_t start, char *out)
{
    int64_t mi, fy;
    int32_t y;
    unsigned w;
    int n;

    start = ob_period_start(c, start);
    switch (c->grain) {
    case OB_GRAIN_DAY:
        ob_date_format(start, out);
        return 10;
    case OB_GRAIN_WEEK:
        iso_week(start, &y, &w);
        n = snprintf(out, OB_PERIOD_LABEL_MAX, "%04d-W%02u", label_year(y), w);
        break;
    case OB_GRAIN_MONTH:
        mi = month_index(start);
        n = snprintf(out, OB_PERIOD_LABEL_MAX, "%04d-%02d",
                     label_year(floor_div(mi, 12)), (int)floor_mod(mi, 12) + 1);
        break;
    default:
        /* Months since the fiscal year began; the year is the one it ends
         * in, which is the calendar year itself when it starts in January. */
        mi = month_index(start) - fiscal_offset(c);
        fy = floor_div(mi, 12) + (fiscal_offset(c) ? 1 : 0);
        if (fiscal_offset(c) == 0 && c->grain == OB_GRAIN_QUARTER)
            n = snprintf(out, OB_PERIOD_LABEL_MAX, "%04d-Q%d", label_year(fy),
                         (int)floor_mod(mi, 12) / 3 + 1);
        else if (fiscal_offset(c) == 0)
            n = snprintf(out, OB_PERIOD_LABEL_MAX, "%04d", label_year(fy));
        else if (c->grain == OB_GRAIN_QUARTER)
            n = snprintf(out, OB_PERIOD_LABEL_MAX, "FY%02d-Q%d",
                         (int)floor_mod(fy, 100),
                         (int)floor_mod(mi, 12) / 3 + 1);
        else
            n = snprintf(out, OB_PERIOD_LABEL_MAX, "FY%02d",
                         (int)floor_mod(fy, 100));
        break;
    }
    if (n < 0)
        n = 0;
    return (size_t)n < OB_PERIOD_LABEL_MAX ? (size_t)n
                                           : OB_PERIOD_LABEL_MAX - 1;
}

bool
ob_quarter_parse(const char *s, unsigned fiscal_year_start, int32_t *start)
{
    struct ob_calendar c = {OB_GRAIN_QUARTER, fiscal_year_start};
    int64_t fy;
    int q;

    if (strlen(s) != 7 || s[4] != '-' || s[5] != 'Q' || s[6] < '1' ||
        s[6] > '4')
        return false;
    q = s[6] - '0';
    if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
        isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]))
        fy = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
             (s[3] - '0');
    else if (s[0] == 'F' && s[1] == 'Y' && isdigit((unsigned char)s[2]) &&
             isdigit((unsigned char)s[3]))
        fy = 2000 + (s[2] - '0') * 10 + (s[3] - '0');
    else
        return false;
    /* A fiscal year is named by the year it ends in: one starting in
     * February begins in the year before. */
    *start = month_index_to_date((fiscal_offset(&c) ? fy - 1 : fy) * 12 +
                                 fiscal_offset(&c) + (q - 1) * 3);
    return true;
}
