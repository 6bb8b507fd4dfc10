/* test_period.c: unit tests for reporting periods and their labels. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/period.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "opsbook/date.h"
#include "runner.h"

static struct ob_calendar
cal(enum ob_grain g, unsigned fiscal_year_start)
{
    struct ob_calendar c;
    c.grain = g;
    c.fiscal_year_start = fiscal_year_start;
    return c;
}

static int32_t
ymd(int32_t y, unsigned m, unsigned d)
{
    return ob_date_from_civil(y, m, d);
}

/* The label of the period holding `date`, in a static buffer for checks. */
static const char *
label(enum ob_grain g, unsigned fs, int32_t date)
{
    static char out[OB_PERIOD_LABEL_MAX];
    struct ob_calendar c = cal(g, fs);
    size_t n = ob_period_label(&c, ob_period_start(&c, date), out);
    return n == strlen(out) ? out : "(bad length)";
}

/*
 * From Python: date.fromisocalendar(y, 1, 1) as days since 1970-01-01 and
 * date(y, 12, 28).isocalendar().week, the number of ISO weeks in year y.
 */
static const struct {
    int32_t year, week1, weeks;
} iso_years[] = {
    {1999, 10595, 52}, {2000, 10959, 52}, {2001, 11323, 52}, {2002, 11687, 52},
    {2003, 12051, 52}, {2004, 12415, 53}, {2005, 12786, 52}, {2006, 13150, 52},
    {2007, 13514, 52}, {2008, 13878, 52}, {2009, 14242, 53}, {2010, 14613, 52},
    {2011, 14977, 52}, {2012, 15341, 52}, {2013, 15705, 52}, {2014, 16069, 52},
    {2015, 16433, 53}, {2016, 16804, 52}, {2017, 17168, 52}, {2018, 17532, 52},
    {2019, 17896, 52}, {2020, 18260, 53}, {2021, 18631, 52}, {2022, 18995, 52},
    {2023, 19359, 52}, {2024, 19723, 52}, {2025, 20087, 52}, {2026, 20451, 53},
    {2027, 20822, 52}, {2028, 21186, 52}, {2029, 21550, 52}, {2030, 21914, 52},
    {2031, 22278, 52},
};

/* Every day of 2000-2030 against the ISO calendar from Python's table. */
static void
test_week_every_day(void)
{
    struct ob_calendar c = cal(OB_GRAIN_WEEK, 1);
    size_t n_years = sizeof iso_years / sizeof iso_years[0];
    size_t i = 0;
    long bad = 0;
    char want[OB_PERIOD_LABEL_MAX], got[OB_PERIOD_LABEL_MAX];

    /* The table agrees with itself: 52 or 53 weeks between week 1s. */
    for (size_t k = 0; k + 1 < n_years; k++)
        OB_CHECK_INT(iso_years[k + 1].week1 - iso_years[k].week1,
                     7 * iso_years[k].weeks);

    for (int32_t d = ymd(2000, 1, 1); d <= ymd(2030, 12, 31); d++) {
        while (i + 1 < n_years && d >= iso_years[i + 1].week1)
            i++;
        int32_t week = (d - iso_years[i].week1) / 7;
        int32_t monday = iso_years[i].week1 + 7 * week;
        int32_t start = ob_period_start(&c, d);
        snprintf(want, sizeof want, "%d-W%02d", (int)iso_years[i].year,
                 (int)week + 1);
        ob_period_label(&c, start, got);
        if (start != monday || strcmp(got, want) != 0 ||
            ob_period_last_day(&c, start) != monday + 6) {
            if (bad++ < 5)
                fprintf(stderr, "day %d: got %d %s, want %d %s\n", (int)d,
                        (int)start, got, (int)monday, want);
        }
    }
    OB_CHECK_INT(bad, 0);
}

/* The ISO rule as the standard states it: week 1 holds January 4th. */
static int32_t
week1_monday(int32_t year)
{
    int32_t jan4 = ymd(year, 1, 4);
    return jan4 - (int32_t)(ob_date_weekday(jan4) - 1);
}

/* Weeks before 1970 and far from it, by brute force: walk back to Monday. */
static void
test_week_brute_force(void)
{
    struct ob_calendar c = cal(OB_GRAIN_WEEK, 1);
    long bad = 0;
    char want[OB_PERIOD_LABEL_MAX], got[OB_PERIOD_LABEL_MAX];

    for (int32_t d = ymd(1580, 1, 1); d <= ymd(1980, 12, 31); d++) {
        int32_t monday = d, y, year;
        unsigned m, dd;
        while (ob_date_weekday(monday) != 1)
            monday--;
        ob_date_to_civil(d, &y, &m, &dd);
        year = y;
        if (monday >= week1_monday(y + 1))
            year = y + 1;
        else if (monday < week1_monday(y))
            year = y - 1;
        snprintf(want, sizeof want, "%d-W%02d", (int)year,
                 (int)((monday - week1_monday(year)) / 7 + 1));
        ob_period_label(&c, ob_period_start(&c, d), got);
        if (ob_period_start(&c, d) != monday || strcmp(got, want) != 0) {
            if (bad++ < 5)
                fprintf(stderr, "day %d: got %s, want %s\n", (int)d, got, want);
        }
    }
    OB_CHECK_INT(bad, 0);
}

/* Days, labels and week starts from Python's date.isocalendar(). */
static void
test_week_known(void)
{
    static const struct {
        int32_t day, monday;
        const char *label;
    } cases[] = {
        {20451, 20451, "2026-W01"},     /* 2025-12-29 */
        {20815, 20815, "2026-W53"},     /* 2026-12-28 */
        {20821, 20815, "2026-W53"},     /* 2027-01-03 */
        {18624, 18624, "2020-W53"},     /* 2020-12-28 */
        {18630, 18624, "2020-W53"},     /* 2021-01-03 */
        {19782, 19779, "2024-W09"},     /* 2024-02-29 */
        {-1, -3, "1970-W01"},           /* 1969-12-31 */
        {-25567, -25567, "1900-W01"},   /* 1900-01-01 */
        {-135081, -135082, "1600-W09"}, /* 1600-02-29 */
    };
    struct ob_calendar c = cal(OB_GRAIN_WEEK, 1);
    char out[OB_PERIOD_LABEL_MAX];

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        OB_CHECK_INT(ob_period_start(&c, cases[i].day), cases[i].monday);
        OB_CHECK_INT(ob_period_label(&c, cases[i].monday, out), 8);
        OB_CHECK_STR(out, cases[i].label);
    }
    /* A week crossing the year: one period, Monday to Sunday. */
    OB_CHECK_INT(ob_period_start(&c, ymd(2026, 1, 4)), ymd(2025, 12, 29));
    OB_CHECK_INT(ob_period_last_day(&c, ymd(2025, 12, 29)), ymd(2026, 1, 4));
    OB_CHECK_INT(ob_period_add(&c, ymd(2026, 12, 28), 1), ymd(2027, 1, 4));
    OB_CHECK_STR(label(OB_GRAIN_WEEK, 1, ymd(2027, 1, 4)), "2027-W01");
    OB_CHECK_INT(ob_period_diff(&c, ymd(2025, 12, 29), ymd(2026, 12, 28)), 52);
}

static void
test_days_and_months(void)
{
    struct ob_calendar day = cal(OB_GRAIN_DAY, 1);
    struct ob_calendar mon = cal(OB_GRAIN_MONTH, 2);
    int32_t leap = ymd(2024, 2, 29);

    OB_CHECK_INT(ob_period_start(&day, leap), leap);
    OB_CHECK_INT(ob_period_last_day(&day, leap), leap);
    OB_CHECK_STR(label(OB_GRAIN_DAY, 1, ymd(2026, 11, 21)), "2026-11-21");
    OB_CHECK_STR(label(OB_GRAIN_DAY, 1, -1), "1969-12-31");

    /* Months are calendar months whatever the fiscal year. */
    OB_CHECK_INT(ob_period_start(&mon, leap), ymd(2024, 2, 1));
    OB_CHECK_INT(ob_period_last_day(&mon, ymd(2024, 2, 1)), leap);
    OB_CHECK_INT(ob_period_last_day(&mon, ymd(2023, 2, 1)), ymd(2023, 2, 28));
    OB_CHECK_INT(ob_period_last_day(&mon, ymd(1900, 2, 1)), ymd(1900, 2, 28));
    OB_CHECK_INT(ob_period_last_day(&mon, ymd(2000, 2, 1)), ymd(2000, 2, 29));
    OB_CHECK_INT(ob_period_start(&mon, -1), ymd(1969, 12, 1));
    OB_CHECK_INT(ob_period_start(&mon, ymd(1, 1, 1)), ymd(1, 1, 1));
    OB_CHECK_INT(ob_period_add(&mon, ymd(2024, 1, 1), 1), ymd(2024, 2, 1));
    OB_CHECK_INT(ob_period_add(&mon, ymd(1970, 1, 1), -1), ymd(1969, 12, 1));
    OB_CHECK_INT(ob_period_diff(&mon, ymd(1969, 11, 1), ymd(1970, 2, 1)), 3);
    OB_CHECK_STR(label(OB_GRAIN_MONTH, 2, ymd(2026, 11, 21)), "2026-11");
    OB_CHECK_STR(label(OB_GRAIN_MONTH, 1, ymd(1969, 12, 31)), "1969-12");
}

/* Quarters and years from January: calendar labels. */
static void
test_calendar_quarters(void)
{
    struct ob_calendar q = cal(OB_GRAIN_QUARTER, 1);
    struct ob_calendar y = cal(OB_GRAIN_YEAR, 1);

    OB_CHECK_INT(ob_period_start(&q, ymd(2026, 11, 21)), ymd(2026, 10, 1));
    OB_CHECK_INT(ob_period_last_day(&q, ymd(2026, 10, 1)), ymd(2026, 12, 31));
    OB_CHECK_INT(ob_period_last_day(&q, ymd(2024, 1, 1)), ymd(2024, 3, 31));
    OB_CHECK_INT(ob_period_start(&q, ymd(2024, 2, 29)), ymd(2024, 1, 1));
    OB_CHECK_INT(ob_period_start(&q, -1), ymd(1969, 10, 1));
    OB_CHECK_STR(label(OB_GRAIN_QUARTER, 1, ymd(2026, 11, 21)), "2026-Q4");
    OB_CHECK_STR(label(OB_GRAIN_QUARTER, 1, ymd(2026, 1, 1)), "2026-Q1");
    OB_CHECK_STR(label(OB_GRAIN_QUARTER, 1, -1), "1969-Q4");

    OB_CHECK_INT(ob_period_start(&y, ymd(2024, 2, 29)), ymd(2024, 1, 1));
    OB_CHECK_INT(ob_period_last_day(&y, ymd(2024, 1, 1)), ymd(2024, 12, 31));
    OB_CHECK_INT(ob_period_start(&y, -1), ymd(1969, 1, 1));
    OB_CHECK_STR(label(OB_GRAIN_YEAR, 1, ymd(2026, 11, 21)), "2026");

    /* A zeroed calendar behaves as January. */
    OB_CHECK_STR(label(OB_GRAIN_QUARTER, 0, ymd(2026, 11, 21)), "2026-Q4");
}

/* Fiscal years from February (FY27 = 2026-02-01..2027-01-31). */
static void
test_fiscal_february(void)
{
    struct ob_calendar q = cal(OB_GRAIN_QUARTER, 2);
    struct ob_calendar y = cal(OB_GRAIN_YEAR, 2);

    OB_CHECK_INT(ob_period_start(&q, ymd(2026, 2, 1)), ymd(2026, 2, 1));
    OB_CHECK_INT(ob_period_start(&q, ymd(2026, 4, 30)), ymd(2026, 2, 1));
    OB_CHECK_INT(ob_period_last_day(&q, ymd(2026, 2, 1)), ymd(2026, 4, 30));
    OB_CHECK_STR(label(OB_GRAIN_QUARTER, 2, ymd(2026, 2, 1)), "FY27-Q1");
    OB_CHECK_STR(label(OB_GRAIN_QUARTER, 2, ymd(2026, 5, 1)), "FY27-Q2");
    OB_CHECK_STR(label(OB_GRAIN_QUARTER, 2, ymd(2026, 11, 21)), "FY27-Q4");
    OB_CHECK_STR(label(OB_GRAIN_QUARTER, 2, ymd(2027, 1, 31)), "FY27-Q4");
    OB_CHECK_STR(label(OB_GRAIN_QUARTER, 2, ymd(2026, 1, 31)), "FY26-Q4");
    OB_CHECK_INT(ob_period_start(&q, ymd(2027, 1, 31)), ymd(2026, 11, 1));
    OB_CHECK_INT(ob_period_last_day(&q, ymd(2026, 11, 1)), ymd(2027, 1, 31));
    /* Q4 of FY24 ends on a leap day. */
    OB_CHECK_INT(ob_period_last_day(&q, ymd(2023, 11, 1)), ymd(2024, 1, 31));
    OB_CHECK_INT(ob_period_start(&q, ymd(2024, 2, 29)), ymd(2024, 2, 1));

    OB_CHECK_INT(ob_period_start(&y, ymd(2026, 11, 21)), ymd(2026, 2, 1));
    OB_CHECK_INT(ob_period_start(&y, ymd(2026, 1, 31)), ymd(2025, 2, 1));
    OB_CHECK_INT(ob_period_last_day(&y, ymd(2026, 2, 1)), ymd(2027, 1, 31));
    OB_CHECK_STR(label(OB_GRAIN_YEAR, 2, ymd(2026, 2, 1)), "FY27");
    OB_CHECK_STR(label(OB_GRAIN_YEAR, 2, ymd(2027, 1, 31)), "FY27");
    OB_CHECK_STR(label(OB_GRAIN_YEAR, 2, ymd(2027, 2, 1)), "FY28");
    OB_CHECK_STR(label(OB_GRAIN_YEAR, 2, ymd(2099, 6, 1)), "FY00");
    OB_CHECK_STR(label(OB_GRAIN_YEAR, 2, ymd(1969, 12, 31)), "FY70");
    OB_CHECK_INT(ob_period_start(&y, -1), ymd(1969, 2, 1));
}

/* Fiscal years from December: FY26 = 2025-12-01..2026-11-30. */
static void
test_fiscal_december(void)
{
    struct ob_calendar q = cal(OB_GRAIN_QUARTER, 12);
    struct ob_calendar y = cal(OB_GRAIN_YEAR, 12);

    OB_CHECK_INT(ob_period_start(&q, ymd(2026, 1, 15)), ymd(2025, 12, 1));
    OB_CHECK_INT(ob_period_last_day(&q, ymd(2025, 12, 1)), ymd(2026, 2, 28));
    OB_CHECK_INT(ob_period_last_day(&q, ymd(2023, 12, 1)), ymd(2024, 2, 29));
    OB_CHECK_INT(ob_period_start(&q, ymd(2024, 2, 29)), ymd(2023, 12, 1));
    OB_CHECK_STR(label(OB_GRAIN_QUARTER, 12, ymd(2025, 12, 1)), "FY26-Q1");
    OB_CHECK_STR(label(OB_GRAIN_QUARTER, 12, ymd(2026, 2, 28)), "FY26-Q1");
    OB_CHECK_STR(label(OB_GRAIN_QUARTER, 12, ymd(2026, 3, 1)), "FY26-Q2");
    OB_CHECK_STR(label(OB_GRAIN_QUARTER, 12, ymd(2026, 11, 30)), "FY26-Q4");
    OB_CHECK_STR(label(OB_GRAIN_QUARTER, 12, ymd(2026, 12, 1)), "FY27-Q1");

    OB_CHECK_INT(ob_period_start(&y, ymd(2026, 11, 30)), ymd(2025, 12, 1));
    OB_CHECK_INT(ob_period_start(&y, ymd(2026, 12, 1)), ymd(2026, 12, 1));
    OB_CHECK_INT(ob_period_last_day(&y, ymd(2025, 12, 1)), ymd(2026, 11, 30));
    OB_CHECK_STR(label(OB_GRAIN_YEAR, 12, ymd(2026, 6, 1)), "FY26");
    OB_CHECK_STR(label(OB_GRAIN_YEAR, 12, ymd(1969, 12, 31)), "FY70");
    OB_CHECK_INT(ob_period_diff(&y, ymd(1969, 12, 1), ymd(2025, 12, 1)), 56);
}

/*
 * Month-based starts for every day of 1890-2110 and every fiscal start,
 * by walking the days and noting where a period begins: a 1st of a month
 * that is a whole number of periods after the fiscal start month.
 */
static void
test_month_grains_brute_force(void)
{
    static const enum ob_grain grains[] = {OB_GRAIN_MONTH, OB_GRAIN_QUARTER,
                                           OB_GRAIN_YEAR};
    static const unsigned per[] = {1, 3, 12};
    long bad = 0;

    for (unsigned fs = 1; fs <= 12; fs++) {
        for (size_t g = 0; g < 3; g++) {
            struct ob_calendar c = cal(grains[g], fs);
            int32_t first = ymd(1890, fs, 1), last = ymd(2110, 12, 31);
            int32_t cur = first;
            for (int32_t d = first; d <= last; d++) {
                int32_t y;
                unsigned m, dd;
                ob_date_to_civil(d, &y, &m, &dd);
                if (dd == 1 && (m + 12 - fs) % per[g] == 0) {
                    /* The previous period ended yesterday, not before. */
                    if (d != first && (ob_period_last_day(&c, cur) != d - 1 ||
                                       ob_period_add(&c, cur, 1) != d ||
                                       !ob_period_complete(&c, cur, d - 1) ||
                                       ob_period_complete(&c, cur, d - 2)))
                        bad++;
                    cur = d;
                }
                if (ob_period_start(&c, d) != cur)
                    bad++;
            }
        }
    }
    OB_CHECK_INT(bad, 0);
}

/* add and diff agree over +-2000 periods from several bases, every grain. */
static void
test_add_diff_round_trip(void)
{
    static const enum ob_grain grains[] = {OB_GRAIN_DAY, OB_GRAIN_WEEK,
                                           OB_GRAIN_MONTH, OB_GRAIN_QUARTER,
                                           OB_GRAIN_YEAR};
    static const unsigned fiscal[] = {1, 2, 7, 12};
    const int32_t bases[] = {ymd(2026, 11, 21), ymd(2024, 2, 29),  -1,
                             ymd(1600, 2, 29),  ymd(2000, 12, 31), 0};
    long bad = 0;

    for (size_t g = 0; g < 5; g++)
        for (size_t f = 0; f < 4; f++)
            for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++) {
                struct ob_calendar c = cal(grains[g], fiscal[f]);
                int32_t base = ob_period_start(&c, bases[b]);
                int32_t prev = ob_period_add(&c, base, -2001);
                for (int32_t n = -2000; n <= 2000; n++) {
                    int32_t s = ob_period_add(&c, base, n);
                    if (ob_period_start(&c, s) != s ||
                        ob_period_diff(&c, base, s) != n ||
                        ob_period_diff(&c, s, base) != -n ||
                        ob_period_add(&c, s, -n) != base ||
                        ob_period_last_day(&c, prev) != s - 1 ||
                        ob_period_start(&c, s - 1) != prev)
                        bad++;
                    prev = s;
                }
            }
    OB_CHECK_INT(bad, 0);
}

/* Complete exactly when the last day is on or before as_of. */
static void
test_complete(void)
{
    struct ob_calendar w = cal(OB_GRAIN_WEEK, 1);
    struct ob_calendar q = cal(OB_GRAIN_QUARTER, 2);
    struct ob_calendar d = cal(OB_GRAIN_DAY, 1);
    int32_t monday = ymd(2026, 11, 16);

    OB_CHECK(!ob_period_complete(&w, monday, ymd(2026, 11, 21)));
    OB_CHECK(ob_period_complete(&w, monday, ymd(2026, 11, 22)));
    OB_CHECK(ob_period_complete(&w, monday, ymd(2027, 1, 1)));
    OB_CHECK(!ob_period_complete(&q, ymd(2026, 2, 1), ymd(2026, 4, 29)));
    OB_CHECK(ob_period_complete(&q, ymd(2026, 2, 1), ymd(2026, 4, 30)));
    OB_CHECK(ob_period_complete(&d, ymd(2026, 11, 20), ymd(2026, 11, 20)));
    OB_CHECK(!ob_period_complete(&d, ymd(2026, 11, 21), ymd(2026, 11, 20)));
}

/* Far-out arguments saturate instead of wrapping. */
static void
test_extremes(void)
{
    struct ob_calendar y = cal(OB_GRAIN_YEAR, 1);
    struct ob_calendar d = cal(OB_GRAIN_DAY, 1);
    char out[OB_PERIOD_LABEL_MAX];

    OB_CHECK_INT(ob_period_add(&y, 0, INT32_MAX), INT32_MAX);
    OB_CHECK_INT(ob_period_add(&y, 0, INT32_MIN), INT32_MIN);
    OB_CHECK_INT(ob_period_add(&d, INT32_MAX, 1), INT32_MAX);
    OB_CHECK(ob_period_label(&y, ymd(12345, 1, 1), out) < OB_PERIOD_LABEL_MAX);
    OB_CHECK_STR(out, "9999");
}

int
main(void)
{
    OB_RUN(test_week_every_day);
    OB_RUN(test_week_brute_force);
    OB_RUN(test_week_known);
    OB_RUN(test_days_and_months);
    OB_RUN(test_calendar_quarters);
    OB_RUN(test_fiscal_february);
    OB_RUN(test_fiscal_december);
    OB_RUN(test_month_grains_brute_force);
    OB_RUN(test_add_diff_round_trip);
    OB_RUN(test_complete);
    OB_RUN(test_extremes);
    return OB_TEST_DONE();
}
