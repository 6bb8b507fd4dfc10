/* date.h: calendar dates, datetimes and durations as plain integers. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_DATE_H
#define OPSBOOK_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A date is a count of days since 1970-01-01 (proleptic Gregorian); a
 * datetime is seconds since 1970-01-01T00:00:00 of some clock (UTC, or a
 * local wall clock before a time zone places it). No struct tm, no TZ
 * environment variable, no locale: everything is pure and thread-safe.
 */

#define OB_SECONDS_PER_DAY 86400

/** Days since 1970-01-01 of year-month-day (month 1-12, day 1-31). */
int32_t ob_date_from_civil(int32_t year, unsigned month, unsigned day);
void ob_date_to_civil(int32_t days, int32_t *year, unsigned *month,
                      unsigned *day);
/** Days in a month of a year (leap years included). */
unsigned ob_date_days_in_month(int32_t year, unsigned month);
/** ISO weekday: 1 = Monday ... 7 = Sunday. */
unsigned ob_date_weekday(int32_t days);

/** Strict YYYY-MM-DD with a real day of that month. */
bool ob_date_parse(const char *s, size_t len, int32_t *days);
/** Writes YYYY-MM-DD and a NUL into out. */
void ob_date_format(int32_t days, char out[11]);

/** Writes a UTC instant as YYYY-MM-DDTHH:MM:SSZ and a NUL into out. */
#define OB_INSTANT_MAX 21
void ob_instant_format(int64_t utc, char out[OB_INSTANT_MAX]);

/** A datetime as parsed from ISO 8601 text. */
struct ob_datetime {
    int64_t seconds; /* since the epoch, on the clock of the text */
    int32_t nanos;   /* fraction of a second */
    bool has_time;   /* false for a plain date (that day's 00:00) */
    bool has_offset; /* Z or +HH:MM was given: seconds are then UTC */
};

/**
 * Parses YYYY-MM-DD, optionally followed by 'T' or ' ', HH:MM[:SS[.frac]]
 * and an optional Z, +HH, +HHMM or +HH:MM. With an offset the result is
 * converted to UTC; without one it is wall-clock time for a time zone to
 * place (see ob_tz_local_to_utc()).
 */
bool ob_datetime_parse(const char *s, size_t len, struct ob_datetime *out);

/**
 * The date part of the last datetime a column read: exports come in time
 * order, so most values share the day of the one before and need only
 * their time of day read. Zero-initialise one per column per reader; it
 * is plain state of that reader, never shared between threads.
 */
struct ob_date_memo {
    char prefix[10]; /* "YYYY-MM-DD" as written, a valid date when set */
    bool set;
    int32_t days; /* of prefix */
};

/**
 * ob_datetime_parse() that reuses memo's day when the text starts with
 * its prefix, and remembers the day of a text that does not. The result
 * is the same as without it, for every text; a NULL memo is none.
 */
bool ob_datetime_parse_memo(const char *s, size_t len,
                            struct ob_date_memo *memo, struct ob_datetime *out);

/**
 * Parses a duration: one or more <integer><unit> with units s, m, h, d, w
 * ("10s", "2d", "1h30m"). Returns false for anything else, zero-length or
 * overflowing input.
 */
bool ob_duration_parse(const char *s, size_t len, int64_t *seconds);

#endif
