/* period.h: reporting periods (day, ISO week, month, quarter, year). */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_PERIOD_H
#define OPSBOOK_PERIOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsbook/config.h"

/*
 * A period is named by its first day (days since 1970-01-01), so periods of
 * one grain sort as integers and the series CSV prints that date. Weeks are
 * ISO weeks (Monday). Months are calendar months; quarters and years start
 * on the first day of month `fiscal_year_start` (1-12) and are labelled by
 * the year they end in: with 2, Q1 of FY27 is 2026-02-01..2026-04-30.
 */
struct ob_calendar {
    enum ob_grain grain;
    unsigned fiscal_year_start; /* 1-12 */
};

/** The first day of the period holding `date`. */
int32_t ob_period_start(const struct ob_calendar *c, int32_t date);

/** The first day of the period `n` periods after the one starting at
 * `start` (n may be negative). `start` must be a period start. */
int32_t ob_period_add(const struct ob_calendar *c, int32_t start, int32_t n);

/** The last day of the period starting at `start`. */
int32_t ob_period_last_day(const struct ob_calendar *c, int32_t start);

/**
 * How many periods lie from the one starting at `from` to the one starting
 * at `to`: ob_period_add(c, from, result) == to.
 */
int32_t ob_period_diff(const struct ob_calendar *c, int32_t from, int32_t to);

/** True when the period starting at `start` is complete at `as_of`: its
 * last day is on or before as_of. */
bool ob_period_complete(const struct ob_calendar *c, int32_t start,
                        int32_t as_of);

/**
 * Writes the period's label and a NUL into out (at least
 * OB_PERIOD_LABEL_MAX bytes): day "2026-11-21", week "2026-W01" (ISO
 * week-year), month "2026-11", quarter "2026-Q4" (fiscal_year_start 1) or
 * "FY27-Q1", year "2026" or "FY27". Returns the length.
 */
#define OB_PERIOD_LABEL_MAX 16
size_t ob_period_label(const struct ob_calendar *c, int32_t start, char *out);

/**
 * The first day of the quarter named "YYYY-Qn" or "FYyy-Qn", where the
 * year is the fiscal year (the year it ends in, as labels write it): with
 * fiscal_year_start 2, "2027-Q1" and "FY27-Q1" are 2026-02-01..04-30.
 * False when `s` names no quarter.
 */
bool ob_quarter_parse(const char *s, unsigned fiscal_year_start,
                      int32_t *start);

#endif
