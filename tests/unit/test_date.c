/* test_date.c: unit tests for civil dates, datetimes and durations. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/date.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "runner.h"

/* Walks every day of 1900-2200 and checks both conversions agree. */
static void
test_civil_round_trip(void)
{
    int32_t first = ob_date_from_civil(1900, 1, 1);
    int32_t last = ob_date_from_civil(2200, 12, 31);
    int32_t y = 1900;
    unsigned m = 1, d = 1, wd = 1; /* 1900-01-01 was a Monday */
    long bad = 0;

    for (int32_t days = first; days <= last; days++) {
        int32_t gy;
        unsigned gm, gd;
        ob_date_to_civil(days, &gy, &gm, &gd);
        if (gy != y || gm != m || gd != d ||
            ob_date_from_civil(y, m, d) != days)
            bad++;
        if (ob_date_weekday(days) != wd)
            bad++;
        wd = wd % 7 + 1;
        /* Step the expected date by hand, independently of the code. */
        if (++d > ob_date_days_in_month(y, m)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    OB_CHECK_INT(bad, 0);
    OB_CHECK_INT(y, 2201);
}

/* Day counts and ISO weekdays from Python's datetime.date (independent). */
static void
test_known_dates(void)
{
    static const struct {
        int32_t y;
        unsigned m, d;
        int32_t days;
        unsigned wd;
    } cases[] = {
        {1970, 1, 1, 0, 4},         {1900, 1, 1, -25567, 1},
        {2000, 1, 1, 10957, 6},     {2024, 2, 29, 19782, 4},
        {2025, 12, 29, 20451, 1},   {1, 1, 1, -719162, 1},
        {9999, 12, 31, 2932896, 5}, {2200, 12, 31, 84370, 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t y;
        unsigned m, d;
        OB_CHECK_INT(ob_date_from_civil(cases[i].y, cases[i].m, cases[i].d),
                     cases[i].days);
        ob_date_to_civil(cases[i].days, &y, &m, &d);
        OB_CHECK(y == cases[i].y && m == cases[i].m && d == cases[i].d);
        OB_CHECK_INT(ob_date_weekday(cases[i].days), cases[i].wd);
    }
    /* 2025-12-29 is the Monday that starts ISO week 2026-W01. */
    OB_CHECK_INT(ob_date_weekday(ob_date_from_civil(2025, 12, 29)), 1);
    OB_CHECK_INT(ob_date_weekday(ob_date_from_civil(2025, 12, 28)), 7);
    OB_CHECK_INT(ob_date_weekday(-1), 3);
    OB_CHECK_INT(ob_date_weekday(-7), 4);
}

static void
test_days_in_month(void)
{
    OB_CHECK_INT(ob_date_days_in_month(2024, 2), 29);
    OB_CHECK_INT(ob_date_days_in_month(2023, 2), 28);
    OB_CHECK_INT(ob_date_days_in_month(1900, 2), 28);
    OB_CHECK_INT(ob_date_days_in_month(2000, 2), 29);
    OB_CHECK_INT(ob_date_days_in_month(2025, 4), 30);
    OB_CHECK_INT(ob_date_days_in_month(2025, 12), 31);
    OB_CHECK_INT(ob_date_days_in_month(2025, 0), 0);
    OB_CHECK_INT(ob_date_days_in_month(2025, 13), 0);
}

static bool
parse(const char *s, int32_t *days)
{
    return ob_date_parse(s, strlen(s), days);
}

static void
test_date_parse(void)
{
    static const char *const bad[] = {
        "",
        "2025-1-01",
        "2025-01-1",
        "25-01-01",
        "2025-02-29",
        "2024-02-30",
        "2025-13-01",
        "2025-00-10",
        "2025-01-00",
        "2025-04-31",
        "2025/01/01",
        "2025-01-01x",
        "2025-01-01 ",
        " 2025-01-01",
        "+2025-01-01",
        "2025-01-0a",
        "20250101",
        "2025-01--1",
        "1900-02-29",
        "-025-01-01",
    };
    int32_t days = 12345;
    char out[11];

    OB_CHECK(parse("2025-12-29", &days));
    OB_CHECK_INT(days, 20451);
    OB_CHECK(parse("2024-02-29", &days));
    OB_CHECK_INT(days, 19782);
    OB_CHECK(parse("2000-02-29", &days));
    OB_CHECK(parse("0000-01-01", &days));
    OB_CHECK(parse("9999-12-31", &days));
    OB_CHECK_INT(days, 2932896);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        days = 777;
        if (parse(bad[i], &days))
            fprintf(stderr, "accepted: '%s'\n", bad[i]);
        OB_CHECK(days == 777);
    }
    /* The length bounds the parse: no NUL needed, no reading past it. */
    OB_CHECK(ob_date_parse("2025-01-02garbage", 10, &days));
    OB_CHECK_INT(days, ob_date_from_civil(2025, 1, 2));

    ob_date_format(20451, out);
    OB_CHECK_STR(out, "2025-12-29");
    ob_date_format(-719162, out);
    OB_CHECK_STR(out, "0001-01-01");
    ob_date_format(INT32_MAX, out);
    OB_CHECK_STR(out, "9999-12-31");
    ob_date_format(INT32_MIN, out);
    OB_CHECK_STR(out, "0000-01-01");
}

/* Every day of 1900-2200 formats and parses back to itself. */
static void
test_format_round_trip(void)
{
    long bad = 0;
    char out[11];

    for (int32_t days = -25567; days <= 84370; days++) {
        int32_t back = 0;
        ob_date_format(days, out);
        if (!ob_date_parse(out, strlen(out), &back) || back != days)
            bad++;
    }
    OB_CHECK_INT(bad, 0);
}

static bool
dt(const char *s, struct ob_datetime *out)
{
    return ob_datetime_parse(s, strlen(s), out);
}

/* Expected seconds from Python's datetime.fromisoformat().timestamp(). */
static void
test_datetime_parse(void)
{
    struct ob_datetime d;

    OB_CHECK(dt("2024-02-29T12:34:56.789+05:30", &d));
    OB_CHECK_INT(d.seconds, 1709190296);
    OB_CHECK_INT(d.nanos, 789000000);
    OB_CHECK(d.has_time && d.has_offset);

    OB_CHECK(dt("1969-12-31T23:59:59Z", &d));
    OB_CHECK_INT(d.seconds, -1);
    OB_CHECK(dt("2000-01-01 00:00-0800", &d));
    OB_CHECK_INT(d.seconds, 946713600);
    OB_CHECK(dt("2000-01-01T08:00-08", &d));
    OB_CHECK_INT(d.seconds, 946742400);
    OB_CHECK(dt("1900-03-01", &d));
    OB_CHECK_INT(d.seconds, -2203891200LL);
    OB_CHECK(!d.has_time && !d.has_offset && d.nanos == 0);

    /* No offset: wall-clock seconds, left for a zone to place. */
    OB_CHECK(dt("2026-03-29T02:30", &d));
    OB_CHECK_INT(d.seconds, 1774751400);
    OB_CHECK(d.has_time && !d.has_offset);

    OB_CHECK(dt("2026-01-01T00:00:00.000000001Z", &d));
    OB_CHECK_INT(d.nanos, 1);
    OB_CHECK(dt("2026-01-01T00:00:00.5", &d));
    OB_CHECK_INT(d.nanos, 500000000);

    /* A leap second clamps to :59 of the same minute. */
    OB_CHECK(dt("2016-12-31T23:59:60Z", &d));
    OB_CHECK_INT(d.seconds, 1483228799);
}

/* The one-go form ("YYYY-MM-DDTHH:MM:SS", Z or not) and the general path
 * (the same text with a fraction) agree on random instants. */
static void
test_datetime_plain_form(void)
{
    uint64_t state = 7;
    int bad = 0;

    for (int i = 0; i < 20000; i++) {
        char a[40], b[64];
        struct ob_datetime x, y;
        unsigned r;

        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        r = (unsigned)(state >> 33);
        snprintf(a, sizeof a, "%04u-%02u-%02u%c%02u:%02u:%02u%s",
                 1900 + r % 250, 1 + r / 7 % 12, 1 + r / 11 % 28,
                 r % 2 ? 'T' : ' ', r / 13 % 24, r / 17 % 60, r / 19 % 61,
                 r / 3 % 2 ? "Z" : "");
        memcpy(b, a, 19);
        snprintf(b + 19, sizeof b - 19, ".0%s", a + 19);
        if (!dt(a, &x) || !dt(b, &y) || x.seconds != y.seconds ||
            x.nanos != y.nanos || x.has_offset != y.has_offset || !x.has_time) {
            if (bad++ < 5)
                fprintf(stderr, "'%s' and '%s' disagree\n", a, b);
        }
    }
    OB_CHECK_INT(bad, 0);
}

static void
test_datetime_reject(void)
{
    static const char *const bad[] = {
        "2026-01-01T",
        "2026-01-01T1:00",
        "2026-01-01T24:00",
        "2026-01-01T24:00:00",
        "2026-01-01T12:60",
        "2026-01-01T12:00:61",
        "2026-01-01t12:00",
        "2026-01-01X12:00",
        "2026-01-01T12",
        "2026-01-01T12:00:",
        "2026-01-01T12:00.5",
        "2026-01-01T12:00:00.",
        "2026-01-01T12:00:00.1234567890",
        "2026-01-01T12:00+",
        "2026-01-01T12:00+1",
        "2026-01-01T12:00+24:00",
        "2026-01-01T12:00+05:60",
        "2026-01-01T12:00+05:3",
        "2026-01-01T12:00+053",
        "2026-01-01T12:00Zx",
        "2026-01-01T12:00 Z",
        "2026-02-30T12:00",
        "2026-01-01T12:00:00+01:00:00",
        "2026-01-01T12:00z",
        "2026-01-01 ",
        /* the one-go form with a bad field */
        "2026-13-01T12:00:00Z",
        "2026-00-10T00:00:00",
        "2026-04-31T12:00:00Z",
        "2026-01-00T00:00:00Z",
        "2026-01-01T24:00:00Z",
        "2026-01-01T12:60:00",
        "2026-01-01T12:00:61Z",
        "2026-01-01T12:0a:00Z",
        "2026-01-01T12-00:00Z",
        "2026-01-01T12:00:00z",
    };
    struct ob_datetime d;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bool ok = dt(bad[i], &d);
        if (ok)
            fprintf(stderr, "accepted: '%s'\n", bad[i]);
        OB_CHECK(!ok);
    }
}

/* The memo must not change any result: whether a text parses and what it
 * gives, with and without the memo, over random texts in time order whose
 * dates often differ from the one before in a single character (the day's
 * last digit, the year's first), valid and not (Feb 29 of common years,
 * day 31 of short months, month 13), in every form the parser takes. */
static bool
same_datetime(const struct ob_datetime *a, const struct ob_datetime *b)
{
    return a->seconds == b->seconds && a->nanos == b->nanos &&
           a->has_time == b->has_time && a->has_offset == b->has_offset;
}

static uint64_t
lcg(uint64_t *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return *state >> 33;
}

static void
random_date_text(uint64_t *state, char *out, size_t size)
{
    static const char *const tails[] = {
        "T%02u:%02u:%02uZ",   "T%02u:%02u:%02u",     " %02u:%02u:%02u",
        "T%02u:%02u:%02u.5Z", "T%02u:%02u+01:00",    "",
        "T%02u:%02u:%02uX",   "T%02u:%02u:%02u-0130"};
    unsigned r = (unsigned)lcg(state);
    unsigned y = 1999 + r % 4 + (r / 4 % 8 == 0 ? 1000 : 0);
    unsigned m = 1 + r / 32 % 13, d = 26 + r / 416 % 7;
    const char *tail = tails[r / 2912 % 8];
    int n = snprintf(out, size, "%04u-%02u-%02u", y, m, d);

    r = (unsigned)lcg(state);
    snprintf(out + n, size - (size_t)n, tail, r % 25, r / 25 % 61,
             r / 1525 % 62);
}

static void
test_datetime_memo_random(void)
{
    struct ob_date_memo memo;
    uint64_t state = 11;
    int bad = 0, hits = 0, accepted = 0;
    char prev[64] = "";

    memset(&memo, 0, sizeof(memo));
    for (int i = 0; i < 200000; i++) {
        struct ob_datetime x = {0, 0, false, false}, y = x;
        char text[64];
        bool a, b;

        /* mostly the day before's text with a new time, as exports go */
        if (prev[0] && lcg(&state) % 3 != 0) {
            random_date_text(&state, text, sizeof text);
            memcpy(text, prev, 10);
        } else {
            random_date_text(&state, text, sizeof text);
        }
        hits += memo.set && !memcmp(text, memo.prefix, 10);
        a = ob_datetime_parse_memo(text, strlen(text), &memo, &x);
        b = ob_datetime_parse(text, strlen(text), &y);
        accepted += a;
        if (a != b || (a && !same_datetime(&x, &y))) {
            if (bad++ < 5)
                fprintf(stderr, "'%s': memo %d, plain %d\n", text, a, b);
        }
        memcpy(prev, text, 11);
    }
    OB_CHECK_INT(bad, 0);
    OB_CHECK(hits > 50000);     /* the memo was used */
    OB_CHECK(accepted > 50000); /* and so were valid texts */
    OB_CHECK(accepted < 190000);
}

/* Dates one character apart, the second of each pair invalid or another
 * day: a stale memo would take the first's day for it. */
static void
test_datetime_memo_neighbours(void)
{
    static const struct {
        const char *first, *second;
        bool ok;
    } cases[] = {
        {"2026-02-28T10:00:00Z", "2026-02-29T10:00:00Z", false},
        {"2024-02-29T10:00:00Z", "2025-02-29T10:00:00Z", false},
        {"2026-04-30T10:00:00Z", "2026-04-31T10:00:00Z", false},
        {"2026-12-01T10:00:00Z", "2026-13-01T10:00:00Z", false},
        {"2026-01-01T10:00:00Z", "2026-01-00T10:00:00Z", false},
        {"2026-01-01T10:00:00Z", "2026-01-0xT10:00:00Z", false},
        {"2026-01-01T10:00:00Z", "2026/01-01T10:00:00Z", false},
        {"2026-01-01T10:00:00Z", "2026-01-02T10:00:00Z", true},
        {"2026-01-01T10:00:00Z", "3026-01-01T10:00:00Z", true},
        {"2026-01-01T10:00:00Z", "2026-01-01T24:00:00Z", false},
        {"2026-01-01T10:00:00Z", "2026-01-01T10:00:61Z", false},
        {"2026-01-01T10:00:00Z", "2026-01-01", true},
        {"2026-01-01", "2026-01-02T00:00", true},
        {"2026-03-01T10:00:00Z", "2026-03-01T10:00:00.25+02:00", true},
    };
    int32_t days;

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ob_date_memo memo;
        struct ob_datetime x, y;
        const char *s = cases[i].second;
        bool ok;

        memset(&memo, 0, sizeof(memo));
        OB_CHECK(ob_datetime_parse_memo(cases[i].first, strlen(cases[i].first),
                                        &memo, &x));
        ok = ob_datetime_parse_memo(s, strlen(s), &memo, &x);
        if (ok != cases[i].ok)
            fprintf(stderr, "'%s' after '%s': %d\n", s, cases[i].first, ok);
        OB_CHECK(ok == cases[i].ok);
        if (ok && ob_datetime_parse(s, strlen(s), &y))
            OB_CHECK(same_datetime(&x, &y));
        /* a rejected text leaves the memo on the last good day */
        OB_CHECK(memo.set);
        OB_CHECK(ob_date_parse(memo.prefix, 10, &days) && days == memo.days);
    }
}

/* The memo's day is taken on trust when the prefix matches: that is what
 * saves the work, and it shows the fast path is the one taken. */
static void
test_datetime_memo_trusted(void)
{
    struct ob_date_memo memo;
    struct ob_datetime x;

    memset(&memo, 0, sizeof(memo));
    memcpy(memo.prefix, "2026-01-01", 10);
    memo.days = 7;
    memo.set = true;
    OB_CHECK(ob_datetime_parse_memo("2026-01-01T00:00:01Z", 20, &memo, &x));
    OB_CHECK_INT(x.seconds, 7 * 86400 + 1);
    OB_CHECK(ob_datetime_parse_memo("2026-01-01T00:00:01.5", 21, &memo, &x));
    OB_CHECK_INT(x.seconds, 7 * 86400 + 1);
    OB_CHECK(ob_datetime_parse_memo("2026-01-02T00:00:01Z", 20, &memo, &x));
    OB_CHECK_INT(x.seconds, 20455 * 86400 + 1);
    OB_CHECK_INT(memo.days, 20455);
    OB_CHECK(!memcmp(memo.prefix, "2026-01-02", 10));
}

static bool
dur(const char *s, int64_t *out)
{
    return ob_duration_parse(s, strlen(s), out);
}

static void
test_duration(void)
{
    static const char *const bad[] = {
        "",
        "s",
        "10",
        "10x",
        "-5s",
        "+5s",
        "1h 30m",
        " 1h",
        "1h ",
        "1.5h",
        "1H",
        "h1",
        "1hm",
        "1mo",
        "9223372036854775808s",
        "9223372036854775807m",
        "15250284452472w",
        "9223372036854775807s1s",
    };
    int64_t s = 0;

    OB_CHECK(dur("10s", &s));
    OB_CHECK_INT(s, 10);
    OB_CHECK(dur("2d", &s));
    OB_CHECK_INT(s, 172800);
    OB_CHECK(dur("1h30m", &s));
    OB_CHECK_INT(s, 5400);
    OB_CHECK(dur("1w2d3h4m5s", &s));
    OB_CHECK_INT(s, 604800 + 172800 + 10800 + 240 + 5);
    OB_CHECK(dur("0s", &s));
    OB_CHECK_INT(s, 0);
    OB_CHECK(dur("007m", &s));
    OB_CHECK_INT(s, 420);
    OB_CHECK(dur("9223372036854775807s", &s));
    OB_CHECK_INT(s, INT64_MAX);
    OB_CHECK(dur("15250284452471w", &s));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = 99;
        if (dur(bad[i], &s))
            fprintf(stderr, "accepted: '%s'\n", bad[i]);
        OB_CHECK_INT(s, 99);
    }
    OB_CHECK(ob_duration_parse("5mX", 2, &s));
    OB_CHECK_INT(s, 300);
}

int
main(void)
{
    OB_RUN(test_civil_round_trip);
    OB_RUN(test_known_dates);
    OB_RUN(test_days_in_month);
    OB_RUN(test_date_parse);
    OB_RUN(test_format_round_trip);
    OB_RUN(test_datetime_parse);
    OB_RUN(test_datetime_plain_form);
    OB_RUN(test_datetime_reject);
    OB_RUN(test_datetime_memo_random);
    OB_RUN(test_datetime_memo_neighbours);
    OB_RUN(test_datetime_memo_trusted);
    OB_RUN(test_duration);
    return OB_TEST_DONE();
}
