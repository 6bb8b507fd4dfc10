/* test_value.c: unit tests for cell parsing and column type inference. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/value.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/date.h"
#include "opsbook/tz.h"
#include "runner.h"

#define NBSP     "\xC2\xA0"
#define NNBSP    "\xE2\x80\xAF"
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct num_case {
    const char *text;
    double want;
};

struct dt_case {
    const char *text;
    int64_t utc;
    int32_t nanos;
};

struct date_case {
    const char *text;
    int32_t y;
    unsigned m, d;
};

struct infer_case {
    char decimal;
    const char *date_format;
    const char *values[4]; /* NULL-terminated */
    enum ob_column_type want;
};

static const struct ob_value_format dot = {'.', NULL, NULL};
static const struct ob_value_format comma = {',', NULL, NULL};

static int64_t
utc_at(int32_t y, unsigned m, unsigned d, int hh, int mm, int ss)
{
    return (int64_t)ob_date_from_civil(y, m, d) * OB_SECONDS_PER_DAY +
           hh * 3600 + mm * 60 + ss;
}

static bool
parse(const char *s, enum ob_column_type t, const struct ob_value_format *f,
      struct ob_value *v)
{
    return ob_value_parse(s, strlen(s), t, f, v);
}

/* Expected doubles are C literals, which the compiler rounds correctly:
 * equality, not a tolerance, is what "exact" means. */
static void
check_accept(const struct num_case *c, size_t n, enum ob_column_type t,
             const struct ob_value_format *f)
{
    for (size_t i = 0; i < n; i++) {
        struct ob_value v = {OB_VAL_EMPTY, {.num = 0}};
        bool ok = parse(c[i].text, t, f, &v);
        if (!ok || v.type != OB_VAL_NUMBER || v.u.num != c[i].want)
            fprintf(stderr, "'%s' (%s, '%c'): got %d %.17g, want %.17g\n",
                    c[i].text, ob_column_type_name(t), f->decimal, ok, v.u.num,
                    c[i].want);
        OB_CHECK(ok && v.type == OB_VAL_NUMBER && v.u.num == c[i].want);
    }
}

/* A rejected text leaves `out` as it was. */
static void
check_reject(const char *const *texts, size_t n, enum ob_column_type t,
             const struct ob_value_format *f)
{
    for (size_t i = 0; i < n; i++) {
        struct ob_value v = {OB_VAL_BOOL, {.b = true}};
        bool ok = parse(texts[i], t, f, &v);
        if (ok)
            fprintf(stderr, "accepted '%s' as %s ('%c')\n", texts[i],
                    ob_column_type_name(t), f->decimal);
        OB_CHECK(!ok && v.type == OB_VAL_BOOL && v.u.b);
    }
}

static void
test_number_dot(void)
{
    static const struct num_case ok[] = {
        {"0", 0.0},
        {"-0", 0.0},
        {"42", 42.0},
        {"+42", 42.0},
        {"-3.25", -3.25},
        {"0.5", 0.5},
        {".5", 0.5},
        {"-.5", -0.5},
        {"0.1", 0.1},
        {"0.30000000000000004", 0.30000000000000004},
        {"1e3", 1e3},
        {"1E-2", 1e-2},
        {"2.5e+2", 250.0},
        {"007", 7.0},
        {"123456789012345678901234567890", 123456789012345678901234567890.0},
        {"9007199254740993", 9007199254740992.0},
        {"2.2250738585072011e-308", 2.2250738585072011e-308},
        {"4.9e-324", 4.9e-324},
        {"1.7976931348623157e308", 1.7976931348623157e308},
        {"1e-400", 0.0},
        {"0e999999999999999999999", 0.0},
        {"3.14159265358979323846264338327950288", 3.14159265358979323846},
        {"1.50000000000000000000000", 1.5},
        {"0.000000000000000000000000000001", 1e-30},
    };
    static const char *const bad[] = {
        "",      "+",          "-",
        ".",     "1.",         "1,234.5",
        "1,5",   "1 234",      "1e",
        "1e+",   "e5",         ".e1",
        "inf",   "-inf",       "nan",
        "NaN",   "Infinity",   "0x10",
        "0x1p3", " 1",         "1 ",
        "1..2",  "--1",        "+-1",
        "1.2.3", "1e5.5",      "1e309",
        "12%",   "1_000",      "1" NBSP "234",
        "true",  "2024-01-01", "1.7976931348623159e308",
        "1e400", "-1e400",
    };
    struct ob_value v;

    check_accept(ok, COUNT(ok), OB_COL_NUMBER, &dot);
    /* "" is empty, not rejected: check it apart from the table. */
    check_reject(bad + 1, COUNT(bad) - 1, OB_COL_NUMBER, &dot);
    OB_CHECK(parse("", OB_COL_NUMBER, &dot, &v) && v.type == OB_VAL_EMPTY);
    /* "-0" must not come back as a signed zero that prints "-0". */
    OB_CHECK(parse("-0.0", OB_COL_NUMBER, &dot, &v) && !signbit(v.u.num));
    /* No fmt: '.', ISO, UTC. */
    OB_CHECK(ob_value_parse("2.5", 3, OB_COL_NUMBER, NULL, &v));
    OB_CHECK_NUM(v.u.num, 2.5);
    /* len, not a NUL, ends the text. */
    OB_CHECK(ob_value_parse("12.5xyz", 4, OB_COL_NUMBER, &dot, &v));
    OB_CHECK_NUM(v.u.num, 12.5);
}

static void
test_number_comma(void)
{
    static const struct num_case ok[] = {
        {"1 234,5", 1234.5},
        {"1 234 567", 1234567.0},
        {"1" NBSP "234,5", 1234.5},
        {"1" NNBSP "234,5", 1234.5},
        {"12" NNBSP "345" NBSP "678,25", 12345678.25},
        {"999 999,99", 999999.99},
        {"-0,5", -0.5},
        {"0,5", 0.5},
        {",5", 0.5},
        {"1,5e3", 1500.0},
        {"12", 12.0},
        {"-1 000", -1000.0},
        {"0,1", 0.1},
    };
    static const char *const bad[] = {
        "1 23,4",
        "1 2345",
        "1234 567",
        "1.5",
        "1.234,5",
        " 1",
        "1 ",
        "0 123",
        "1  234",
        "1 234 56",
        "1,",
        "1 234,5 6",
        "1,234.5",
        "1 234,",
        "1\t234",
        "1" NNBSP,
        "1\xC2"
        "234",
        "12 %",
    };

    check_accept(ok, COUNT(ok), OB_COL_NUMBER, &comma);
    check_reject(bad, COUNT(bad), OB_COL_NUMBER, &comma);
}

static void
test_integer(void)
{
    static const struct num_case ok[] = {
        {"0", 0.0},
        {"-17", -17.0},
        {"+5", 5.0},
        {"007", 7.0},
        {"9007199254740992", 9007199254740992.0},
        {"-9007199254740992", -9007199254740992.0},
        {"1000000000000000", 1e15},
    };
    static const struct num_case ok_comma[] = {
        {"1 234", 1234.0},
        {"-12" NNBSP "345" NNBSP "678", -12345678.0},
    };
    static const char *const bad[] = {
        "9007199254740993",
        "-9007199254740993",
        "10000000000000000",
        "99999999999999999999",
        "1.0",
        "1e3",
        "1.5",
        ".5",
        "12%",
        "x",
    };
    static const char *const bad_comma[] = {"1,0", "1 234,5", "1.5"};

    check_accept(ok, COUNT(ok), OB_COL_INTEGER, &dot);
    check_accept(ok_comma, COUNT(ok_comma), OB_COL_INTEGER, &comma);
    check_reject(bad, COUNT(bad), OB_COL_INTEGER, &dot);
    check_reject(bad_comma, COUNT(bad_comma), OB_COL_INTEGER, &comma);
}

static void
test_percent(void)
{
    static const struct num_case ok_dot[] = {
        {"12.5%", 0.125}, {"50%", 0.5},    {"0.125", 0.125},
        {"-3%", -0.03},   {"0.1%", 0.001}, {"12.3 %", 0.123},
        {"100%", 1.0},    {"1e2%", 1.0},   {"33.3" NBSP "%", 0.333},
    };
    static const struct num_case ok_comma[] = {
        {"12,5" NNBSP "%", 0.125}, {"12,5" NBSP "%", 0.125}, {"12,5 %", 0.125},
        {"12,5%", 0.125},          {"1 234,5 %", 12.345},    {"0,125", 0.125},
        {"-0,5 %", -0.005},
    };
    static const char *const bad[] = {
        "%",       "12%%",   "12  %", "% 12",  "abc%",
        "12.5 % ", "12.5%x", " %",    "12,5%",
    };
    static const char *const bad_comma[] = {"12.5%", "12,5 " NNBSP "%",
                                            "1 23 %"};

    check_accept(ok_dot, COUNT(ok_dot), OB_COL_PERCENT, &dot);
    check_accept(ok_comma, COUNT(ok_comma), OB_COL_PERCENT, &comma);
    check_reject(bad, COUNT(bad), OB_COL_PERCENT, &dot);
    check_reject(bad_comma, COUNT(bad_comma), OB_COL_PERCENT, &comma);
}

/*
 * 2^53 + 1 sits exactly halfway between two doubles; a non-zero digit 900
 * places later tips it up. Dropping that digit would round to even (down).
 */
static void
test_number_long(void)
{
    const char *head = "9007199254740993.";
    size_t zeros = 900, n = strlen(head) + zeros + 1;
    char *s = malloc(n + 1);
    struct ob_value v;

    OB_CHECK(s != NULL);
    if (!s)
        return;
    memcpy(s, head, strlen(head));
    memset(s + strlen(head), '0', zeros);
    s[n - 1] = '1';
    s[n] = '\0';
    OB_CHECK(ob_value_parse(s, n, OB_COL_NUMBER, &dot, &v));
    OB_CHECK(v.u.num == 9007199254740994.0);
    s[n - 1] = '0';
    OB_CHECK(ob_value_parse(s, n, OB_COL_NUMBER, &dot, &v));
    OB_CHECK(v.u.num == 9007199254740992.0);
    free(s);
}

/* A fixed LCG: the same "random" cases on every run. */
static uint64_t
next_random(uint64_t *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return *state >> 11;
}

/*
 * Random doubles written with 17 digits must read back bit for bit, and
 * random digit strings must agree with strtod (this test runs in the C
 * locale), across the fast path and the strtod one.
 */
static void
test_number_random(void)
{
    uint64_t state = 42;
    char text[64];
    int bad = 0;

    for (int i = 0; i < 20000; i++) {
        uint64_t bits = next_random(&state) << 11 ^ next_random(&state);
        double d, got = 0;
        struct ob_value v;
        int n;

        memcpy(&d, &bits, sizeof d);
        if (!isfinite(d))
            continue;
        n = snprintf(text, sizeof text, i % 2 ? "%.17g" : "%.15e", d);
        if (i % 2 == 0)
            d = strtod(text, NULL);
        if (ob_value_parse(text, (size_t)n, OB_COL_NUMBER, &dot, &v))
            got = v.u.num;
        if (got != d && !(d == 0 && got == 0) && bad++ < 5)
            fprintf(stderr, "'%s': got %.17g\n", text, got);
    }
    for (int i = 0; i < 20000; i++) {
        int k = snprintf(text, sizeof text, "%llu.%llue%d",
                         (unsigned long long)(next_random(&state) % 100000000),
                         (unsigned long long)(next_random(&state) %
                                              (i % 2 ? 1000 : UINT64_MAX)),
                         (int)(next_random(&state) % 60) - 30);
        struct ob_value v = {OB_VAL_EMPTY, {.num = 0}};

        if (!ob_value_parse(text, (size_t)k, OB_COL_NUMBER, &dot, &v) ||
            v.u.num != strtod(text, NULL)) {
            if (bad++ < 5)
                fprintf(stderr, "'%s': got %.17g\n", text, v.u.num);
        }
    }
    /* Plain decimals, the one-pass path's cells, up to 17 digits (past 15
     * the general path takes them). */
    for (int i = 0; i < 40000; i++) {
        int digits = 1 + (int)(next_random(&state) % 17), point;
        struct ob_value v = {OB_VAL_EMPTY, {.num = 0}};
        size_t k = 0;

        point = (int)(next_random(&state) % (unsigned)(digits + 1));
        if (i % 3 == 0)
            text[k++] = '-';
        for (int d = 0; d < digits; d++) {
            if (d == point && d > 0)
                text[k++] = '.';
            text[k++] = (char)('0' + next_random(&state) % 10);
        }
        text[k] = '\0';
        if (!ob_value_parse(text, k, OB_COL_NUMBER, &dot, &v) ||
            v.u.num != strtod(text, NULL)) {
            if (bad++ < 5)
                fprintf(stderr, "'%s': got %.17g\n", text, v.u.num);
        }
    }
    OB_CHECK_INT(bad, 0);
}

static void
test_boolean(void)
{
    static const char *const yes[] = {"true", "TRUE", "True", "tRuE"};
    static const char *const no[] = {"false", "FALSE", "False"};
    static const char *const bad[] = {"yes",   "no",  "1",     "0",
                                      "t",     "f",   "truee", "true ",
                                      " true", "tru", "on"};
    struct ob_value v;

    for (size_t i = 0; i < COUNT(yes); i++) {
        OB_CHECK(parse(yes[i], OB_COL_BOOLEAN, &dot, &v));
        OB_CHECK(v.type == OB_VAL_BOOL && v.u.b);
    }
    for (size_t i = 0; i < COUNT(no); i++) {
        OB_CHECK(parse(no[i], OB_COL_BOOLEAN, &dot, &v));
        OB_CHECK(v.type == OB_VAL_BOOL && !v.u.b);
    }
    check_reject(bad, COUNT(bad), OB_COL_BOOLEAN, &dot);
}

static void
test_string(void)
{
    static const char text[] = "  anything, 1,5 %  ";
    struct ob_value v;

    OB_CHECK(parse(text, OB_COL_STRING, &comma, &v));
    OB_CHECK(v.type == OB_VAL_STRING);
    OB_CHECK(v.u.str.ptr == text);
    OB_CHECK_INT(v.u.str.len, strlen(text));
    OB_CHECK(parse("", OB_COL_STRING, &comma, &v) && v.type == OB_VAL_EMPTY);
    OB_CHECK(parse("", OB_COL_DATE, &comma, &v) && v.type == OB_VAL_EMPTY);
    OB_CHECK(parse("", OB_COL_BOOLEAN, &comma, &v) && v.type == OB_VAL_EMPTY);
}

static void
check_dates(const struct date_case *c, size_t n, enum ob_column_type t,
            const struct ob_value_format *f)
{
    for (size_t i = 0; i < n; i++) {
        struct ob_value v = {OB_VAL_EMPTY, {.date = 0}};
        bool ok = parse(c[i].text, t, f, &v);
        int32_t want = ob_date_from_civil(c[i].y, c[i].m, c[i].d);
        if (!ok || v.type != OB_VAL_DATE || v.u.date != want)
            fprintf(stderr, "'%s' as %s: got %d type %d date %d, want %d\n",
                    c[i].text, ob_column_type_name(t), ok, (int)v.type,
                    (int)v.u.date, (int)want);
        OB_CHECK(ok && v.type == OB_VAL_DATE && v.u.date == want);
    }
}

static void
check_datetimes(const struct dt_case *c, size_t n,
                const struct ob_value_format *f)
{
    for (size_t i = 0; i < n; i++) {
        struct ob_value v = {OB_VAL_EMPTY, {.num = 0}};
        bool ok = parse(c[i].text, OB_COL_DATETIME, f, &v);
        if (!ok || v.type != OB_VAL_DATETIME || v.u.dt.seconds != c[i].utc ||
            v.u.dt.nanos != c[i].nanos)
            fprintf(stderr, "'%s': got %d type %d %lld.%09d, want %lld.%09d\n",
                    c[i].text, ok, (int)v.type, (long long)v.u.dt.seconds,
                    (int)v.u.dt.nanos, (long long)c[i].utc, (int)c[i].nanos);
        OB_CHECK(ok && v.type == OB_VAL_DATETIME &&
                 v.u.dt.seconds == c[i].utc && v.u.dt.nanos == c[i].nanos);
    }
}

static void
test_dates_utc(void)
{
    static const struct date_case dates[] = {
        {"2024-02-29", 2024, 2, 29},
        {"1969-12-31", 1969, 12, 31},
        /* A datetime in a date column keeps its (local = UTC) date. */
        {"2024-03-31T23:30:00", 2024, 3, 31},
        {"1969-12-31T23:59:59", 1969, 12, 31},
        {"2024-03-31T23:30:00-02:00", 2024, 4, 1},
    };
    struct dt_case dts[] = {
        {"2024-07-01T12:00:00", utc_at(2024, 7, 1, 12, 0, 0), 0},
        {"2024-07-01T12:00:00+05:30", utc_at(2024, 7, 1, 6, 30, 0), 0},
        {"2024-07-01 12:00:00.25Z", utc_at(2024, 7, 1, 12, 0, 0), 250000000},
    };
    static const char *const bad[] = {
        "2024-02-30", "2024-13-01", "01/02/2024",  "2024-01-01T25:00",
        "2024-1-1",   "20240101",   "2024-01-01 ", "yesterday",
    };
    struct ob_value v;

    check_dates(dates, COUNT(dates), OB_COL_DATE, &dot);
    check_datetimes(dts, COUNT(dts), &dot);
    check_reject(bad, COUNT(bad), OB_COL_DATE, &dot);
    check_reject(bad, COUNT(bad), OB_COL_DATETIME, &dot);
    /* A date in a datetime column stays a date: its instant needs a zone. */
    OB_CHECK(parse("2024-07-01", OB_COL_DATETIME, &dot, &v));
    OB_CHECK(v.type == OB_VAL_DATE);
    OB_CHECK_INT(v.u.date, ob_date_from_civil(2024, 7, 1));
}

/* Europe/Paris: CET (+1) in winter, CEST (+2) from 2024-03-31 01:00Z to
 * 2024-10-27 01:00Z. */
static void
test_dates_paris(void)
{
    static const struct date_case dates[] = {
        {"2024-01-01T23:30:00Z", 2024, 1, 2},
        {"2024-01-01T23:30:00", 2024, 1, 1},
        {"2024-06-30T22:30:00Z", 2024, 7, 1},
        {"2024-06-30T21:30:00Z", 2024, 6, 30},
        {"2024-03-30T23:30:00-02:00", 2024, 3, 31},
    };
    struct dt_case dts[] = {
        {"2024-01-15T10:00:00", utc_at(2024, 1, 15, 9, 0, 0), 0},
        {"2024-07-01 12:00", utc_at(2024, 7, 1, 10, 0, 0), 0},
        {"2024-07-01T12:00:00+05:30", utc_at(2024, 7, 1, 6, 30, 0), 0},
        {"2024-07-01T12:00:00Z", utc_at(2024, 7, 1, 12, 0, 0), 0},
        {"2024-03-31T01:59:59", utc_at(2024, 3, 31, 0, 59, 59), 0},
        /* In the spring gap: read with the offset before it (+1). */
        {"2024-03-31T02:30:00", utc_at(2024, 3, 31, 1, 30, 0), 0},
        {"2024-03-31T03:00:00", utc_at(2024, 3, 31, 1, 0, 0), 0},
        /* In the autumn overlap: the first occurrence (+2). */
        {"2024-10-27T02:30:00", utc_at(2024, 10, 27, 0, 30, 0), 0},
        {"2024-10-27T03:00:00.5", utc_at(2024, 10, 27, 2, 0, 0), 500000000},
    };
    struct ob_tz *tz = NULL;
    struct ob_value_format f = {'.', NULL, NULL};

    OB_CHECK_INT(ob_tz_load("Europe/Paris", NULL, &tz), OB_OK);
    if (!tz)
        return;
    f.tz = tz;
    check_dates(dates, COUNT(dates), OB_COL_DATE, &f);
    check_datetimes(dts, COUNT(dts), &f);
    ob_tz_free(tz);
}

/* Values in a column parsed with one memo give what ob_value_parse()
 * gives, as dates and datetimes, in UTC and in a zone with its gaps, over
 * random texts whose days go back and forth and are sometimes invalid. */
static void
check_memo_column(enum ob_column_type t, const struct ob_value_format *f)
{
    static const char *const days[] = {"2024-03-30", "2024-03-31",
                                       "2024-02-29", "2023-02-29",
                                       "2024-10-27", "2024-04-31"};
    static const char *const times[] = {
        "T02:30:00",    "T01:59:59Z", " 23:30:00", "T03:00:00.5",
        "T12:00+05:30", "",           "T25:00:00"};
    struct ob_date_memo memo;
    uint64_t state = 5;
    int bad = 0;

    memset(&memo, 0, sizeof(memo));
    for (int i = 0; i < 20000; i++) {
        struct ob_value a = {OB_VAL_EMPTY, {.num = 0}}, b = a;
        uint64_t r = next_random(&state);
        char text[40];
        bool x, y;

        snprintf(text, sizeof text, "%s%s", days[r % 6 > 3 ? r / 8 % 6 : 1],
                 times[r / 64 % 7]);
        x = ob_value_parse_memo(text, strlen(text), t, f, &memo, &a);
        y = ob_value_parse(text, strlen(text), t, f, &b);
        if (x != y || a.type != b.type ||
            (a.type == OB_VAL_DATE && a.u.date != b.u.date) ||
            (a.type == OB_VAL_DATETIME && (a.u.dt.seconds != b.u.dt.seconds ||
                                           a.u.dt.nanos != b.u.dt.nanos)))
            if (bad++ < 5)
                fprintf(stderr, "'%s' as %s: memo and plain disagree\n", text,
                        ob_column_type_name(t));
    }
    OB_CHECK_INT(bad, 0);
}

static void
test_dates_memo(void)
{
    struct ob_tz *tz = NULL;
    struct ob_value_format f = {'.', NULL, NULL};

    check_memo_column(OB_COL_DATE, &dot);
    check_memo_column(OB_COL_DATETIME, &dot);
    OB_CHECK_INT(ob_tz_load("Europe/Paris", NULL, &tz), OB_OK);
    if (!tz)
        return;
    f.tz = tz;
    check_memo_column(OB_COL_DATE, &f);
    check_memo_column(OB_COL_DATETIME, &f);
    ob_tz_free(tz);
}

static void
test_date_format(void)
{
    static const struct date_case dmy_ok[] = {
        {"31/12/2024", 2024, 12, 31},
        {"1/2/2024", 2024, 2, 1},
        {"29/02/2024", 2024, 2, 29},
    };
    static const char *const dmy_bad[] = {
        "31/02/2024", "2024-12-31",  "31/12/24", "31/12/2024 10:00",
        "31-12-2024", "31/12/20245", "/12/2024", "311/12/2024",
        "00/12/2024", "31/13/2024",
    };
    static const struct date_case other_ok[] = {
        {"05.03.24", 2024, 3, 5},
        {"05.03.69", 1969, 3, 5},
        {"05.03.68", 2068, 3, 5},
    };
    static const struct date_case names_ok[] = {
        {"5 Mar 2024", 2024, 3, 5},       {"15 march 2024", 2024, 3, 15},
        {"1 SEPTEMBER 2024", 2024, 9, 1}, {"1 sep 2024", 2024, 9, 1},
        {"31 May 2024", 2024, 5, 31},
    };
    static const char *const names_bad[] = {"5 Mars 2024", "5 Ma 2024",
                                            "5 Sept 2024", "5 3 2024"};
    struct ob_value_format f = {'.', "%d/%m/%Y", NULL};

    check_dates(dmy_ok, COUNT(dmy_ok), OB_COL_DATE, &f);
    check_dates(dmy_ok, COUNT(dmy_ok), OB_COL_DATETIME, &f);
    check_reject(dmy_bad, COUNT(dmy_bad), OB_COL_DATE, &f);
    f.date_format = "%d.%m.%y";
    check_dates(other_ok, COUNT(other_ok), OB_COL_DATE, &f);
    f.date_format = "%e %b %Y";
    check_dates(names_ok, COUNT(names_ok), OB_COL_DATE, &f);
    check_reject(names_bad, COUNT(names_bad), OB_COL_DATE, &f);
}

static void
test_date_format_more(void)
{
    static const struct date_case compact[] = {{"20240305", 2024, 3, 5}};
    static const struct date_case month[] = {{"2024-03", 2024, 3, 1}};
    static const struct date_case pct[] = {{"2024 %", 2024, 1, 1}};
    static const char *const unsupported[] = {"2024-03-05"};
    static const char *const no_year[] = {"03-05", "2024-03-05"};
    struct ob_value_format f = {'.', "%Y%m%d", NULL};

    check_dates(compact, COUNT(compact), OB_COL_DATE, &f);
    f.date_format = "%Y-%m";
    check_dates(month, COUNT(month), OB_COL_DATE, &f);
    f.date_format = "%Y %%";
    check_dates(pct, COUNT(pct), OB_COL_DATE, &f);
    f.date_format = "%Y-%m-%j";
    check_reject(unsupported, COUNT(unsupported), OB_COL_DATE, &f);
    f.date_format = "%Y-%m-%d%";
    check_reject(unsupported, COUNT(unsupported), OB_COL_DATE, &f);
    /* No year, no date. */
    f.date_format = "%m-%d";
    check_reject(no_year, COUNT(no_year), OB_COL_DATE, &f);
}

static void
test_date_format_time(void)
{
    struct dt_case dts[] = {
        {"31/12/2024 23:59", utc_at(2024, 12, 31, 22, 59, 0), 0},
        {"1/7/2024 9:05", utc_at(2024, 7, 1, 7, 5, 0), 0},
        {"31/03/2024 02:30", utc_at(2024, 3, 31, 1, 30, 0), 0},
    };
    struct dt_case iso_z[] = {
        {"2024-03-05T10:00:00+0100", utc_at(2024, 3, 5, 9, 0, 0), 0},
        {"2024-03-05T10:00:00Z", utc_at(2024, 3, 5, 10, 0, 0), 0},
        {"2024-03-05T10:00:00-03:30", utc_at(2024, 3, 5, 13, 30, 0), 0},
        {"2024-03-05T10:00:00.125+01", utc_at(2024, 3, 5, 9, 0, 0), 125000000},
    };
    static const struct date_case local_days[] = {
        {"31/12/2024 23:59", 2024, 12, 31},
        {"01/01/2025 00:30", 2025, 1, 1},
    };
    struct dt_case leap[] = {
        {"31/12/2016 23:59:60", utc_at(2016, 12, 31, 22, 59, 59), 0},
        {"31/12/2016 23:59:59.123456789", utc_at(2016, 12, 31, 22, 59, 59),
         123456789},
    };
    static const char *const bad_s[] = {
        "31/12/2016 23:59:61", "31/12/2016 23:59:59.1234567891",
        "31/12/2016 23:59:59.", "31/12/2016 23:59"};
    static const char *const bad[] = {"31/12/2024", "31/12/2024 24:00",
                                      "31/12/2024 10:60", "31/12/2024 10"};
    static const char *const bad_z[] = {
        "2024-03-05T10:00:00", "2024-03-05T10:00:00+1",
        "2024-03-05T10:00:00+01:6", "2024-03-05T10:00:00+2400"};
    struct ob_tz *tz = NULL;
    struct ob_value_format f = {'.', "%d/%m/%Y %H:%M", NULL};

    OB_CHECK_INT(ob_tz_load("Europe/Paris", NULL, &tz), OB_OK);
    if (!tz)
        return;
    f.tz = tz;
    check_datetimes(dts, COUNT(dts), &f);
    check_dates(local_days, COUNT(local_days), OB_COL_DATE, &f);
    check_reject(bad, COUNT(bad), OB_COL_DATETIME, &f);
    f.date_format = "%d/%m/%Y %H:%M:%S";
    check_datetimes(leap, COUNT(leap), &f);
    check_reject(bad_s, COUNT(bad_s), OB_COL_DATETIME, &f);
    f.date_format = "%Y-%m-%dT%H:%M:%S%z";
    check_datetimes(iso_z, COUNT(iso_z), &f);
    check_reject(bad_z, COUNT(bad_z), OB_COL_DATETIME, &f);
    ob_tz_free(tz);
}

static const struct infer_case infer_cases[] = {
    {'.', NULL, {"1", "2", "3", NULL}, OB_COL_INTEGER},
    {'.', NULL, {"1", "2.5", NULL}, OB_COL_NUMBER},
    {'.', NULL, {"-1.5", "1e3", NULL}, OB_COL_NUMBER},
    {'.', NULL, {"007", "1", NULL}, OB_COL_STRING},
    {'.', NULL, {"1", "01234", NULL}, OB_COL_STRING},
    {'.', NULL, {"00.5", NULL}, OB_COL_STRING},
    {'.', NULL, {"0", "0.5", NULL}, OB_COL_NUMBER},
    {'.', NULL, {"0", "-0", NULL}, OB_COL_INTEGER},
    {',', NULL, {"0,5", "1 234", NULL}, OB_COL_NUMBER},
    {',', NULL, {"1 234", "12", NULL}, OB_COL_INTEGER},
    {',', NULL, {"1.5", NULL}, OB_COL_STRING},
    {'.', NULL, {"1,5", NULL}, OB_COL_STRING},
    {'.', NULL, {"true", "FALSE", NULL}, OB_COL_BOOLEAN},
    {'.', NULL, {"true", "yes", NULL}, OB_COL_STRING},
    {'.', NULL, {"1", "0", NULL}, OB_COL_INTEGER},
    {'.', NULL, {"12%", "5 %", NULL}, OB_COL_PERCENT},
    {',', NULL, {"12,5" NNBSP "%", "3 %", NULL}, OB_COL_PERCENT},
    {'.', NULL, {"12%", "0.5", NULL}, OB_COL_STRING},
    {'.', NULL, {"05%", NULL}, OB_COL_STRING},
    {'.', NULL, {"2024-01-01", "2024-01-02", NULL}, OB_COL_DATE},
    {'.', NULL, {"2024-01-01", "2024-01-02T10:00", NULL}, OB_COL_DATETIME},
    {'.', NULL, {"2024-01-02T10:00Z", "2024-01-01", NULL}, OB_COL_DATETIME},
    {'.', NULL, {"2024-01-01", "5", NULL}, OB_COL_STRING},
    {'.', NULL, {"2024-02-30", NULL}, OB_COL_STRING},
    {'.', NULL, {"9007199254740992", NULL}, OB_COL_INTEGER},
    {'.', NULL, {"9007199254740993", NULL}, OB_COL_STRING},
    {'.', NULL, {"12345678901234567890", NULL}, OB_COL_STRING},
    {'.', NULL, {"abc", NULL}, OB_COL_STRING},
    {'.', NULL, {" 1", NULL}, OB_COL_STRING},
    {'.', NULL, {"NaN", "1", NULL}, OB_COL_STRING},
    {'.', NULL, {"1", "", "2", NULL}, OB_COL_INTEGER},
    {'.', NULL, {"", NULL}, OB_COL_STRING},
    {'.', NULL, {NULL}, OB_COL_STRING},
    {'.', "%d/%m/%Y", {"31/12/2024", "01/01/2025", NULL}, OB_COL_DATE},
    {'.', "%d/%m/%Y", {"2024-12-31", NULL}, OB_COL_STRING},
    {'.', "%d/%m/%Y %H:%M", {"31/12/2024 10:00", NULL}, OB_COL_DATETIME},
    /* A compact date layout is a date, though its values look like numbers. */
    {'.', "%Y%m%d", {"20261121", "20261122", NULL}, OB_COL_DATE},
    {'.', "%Y%m%d", {"20261121", "42", NULL}, OB_COL_INTEGER},
};

static void
test_infer(void)
{
    for (size_t i = 0; i < COUNT(infer_cases); i++) {
        const struct infer_case *c = &infer_cases[i];
        struct ob_value_format f = {c->decimal, c->date_format, NULL};
        struct ob_infer inf;
        enum ob_column_type got;

        ob_infer_init(&inf);
        for (size_t k = 0; c->values[k]; k++)
            ob_infer_feed(&inf, c->values[k], strlen(c->values[k]), &f);
        got = ob_infer_result(&inf);
        if (got != c->want)
            fprintf(stderr, "infer case %zu ('%s'...): got %s, want %s\n", i,
                    c->values[0] ? c->values[0] : "", ob_column_type_name(got),
                    ob_column_type_name(c->want));
        OB_CHECK_INT(got, c->want);
    }
}

/* Empty values are not counted; a thousand integers stay integer. */
static void
test_infer_counts(void)
{
    struct ob_infer inf;
    char text[16];

    ob_infer_init(&inf);
    ob_infer_feed(&inf, "", 0, &dot);
    OB_CHECK_INT(inf.seen, 0);
    for (int i = 0; i < 1000; i++) {
        int n = snprintf(text, sizeof text, "%d", i * 37 - 500);
        ob_infer_feed(&inf, text, (size_t)n, &dot);
    }
    OB_CHECK_INT(inf.seen, 1000);
    OB_CHECK_INT(ob_infer_result(&inf), OB_COL_INTEGER);
    ob_infer_feed(&inf, "0.5", 3, NULL);
    OB_CHECK_INT(ob_infer_result(&inf), OB_COL_NUMBER);
    ob_infer_feed(&inf, "n/a", 3, &dot);
    OB_CHECK_INT(ob_infer_result(&inf), OB_COL_STRING);
}

static void
test_type_names(void)
{
    static const char *const want[] = {"string",  "number", "integer",
                                       "boolean", "date",   "datetime",
                                       "percent"};

    for (int t = OB_COL_STRING; t <= OB_COL_PERCENT; t++)
        OB_CHECK_STR(ob_column_type_name((enum ob_column_type)t), want[t]);
}

int
main(void)
{
    OB_RUN(test_number_dot);
    OB_RUN(test_number_comma);
    OB_RUN(test_integer);
    OB_RUN(test_percent);
    OB_RUN(test_number_long);
    OB_RUN(test_number_random);
    OB_RUN(test_boolean);
    OB_RUN(test_string);
    OB_RUN(test_dates_utc);
    OB_RUN(test_dates_paris);
    OB_RUN(test_dates_memo);
    OB_RUN(test_date_format);
    OB_RUN(test_date_format_more);
    OB_RUN(test_date_format_time);
    OB_RUN(test_infer);
    OB_RUN(test_infer_counts);
    OB_RUN(test_type_names);
    return OB_TEST_DONE();
}
