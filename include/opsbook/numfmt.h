/* numfmt.h: how KPI values are written for people, in one place. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_NUMFMT_H
#define OPSBOOK_NUMFMT_H

#include <stdbool.h>
#include <stddef.h>

#include "opsbook/buf.h"
#include "opsbook/config.h"
#include "opsbook/period.h"

/*
 * Every renderer (HTML, SVG, xlsx, email, the CLI) formats numbers through
 * this module, so a value reads the same everywhere.
 */
struct ob_numfmt {
    enum ob_format format;
    const char *currency; /* ISO 4217 code for OB_FMT_CURRENCY */
    int decimals;         /* -1: the format's default */
    enum ob_language language;
};

/** Rounds half away from zero to `decimals` places (0-15), exactly for
 * values whose decimal text is short (2.675 -> 2.68, -0.5 -> -1). */
double ob_round_half_away(double v, int decimals);

/** The decimals a format shows: `decimals` when >= 0, else integer 0,
 * number 1, percent 1, currency 2, duration 0. */
int ob_numfmt_decimals(const struct ob_numfmt *f);

/**
 * Appends `v` formatted: en "12,345.6", "48.2%", "€1,234.50", "3d 4h";
 * fr "12 345,6" (U+202F between groups), "48,2 %" and "1 234,50 €" (U+00A0
 * before the sign). Percent values are shares (0.482 -> 48.2%). Durations
 * are seconds, shown as the two largest non-zero units of d, h, m, s
 * ("3d 4h", "12m 5s", "45s"). Never prints "-0".
 */
void ob_numfmt_value(struct ob_buf *out, const struct ob_numfmt *f, double v);

/**
 * Appends a change: like ob_numfmt_value() with an explicit sign ("+1,204",
 * "−3.1%", with U+2212 for minus); for percent formats the change is in
 * points ("+2.1 pts", fr "+2,1 pts").
 */
void ob_numfmt_delta(struct ob_buf *out, const struct ob_numfmt *f, double d);

/** Appends a relative change (0.052 -> "+5.2%", fr "+5,2 %"), one decimal. */
void ob_numfmt_ratio(struct ob_buf *out, enum ob_language lang, double r);

/**
 * Appends the name people read for the period starting at `start`: a day
 * as its ISO date, a week "2026-W45", a month "Nov 2026" (fr "nov.
 * 2026"), a quarter "2026-Q4" or "FY27-Q1", a year "2026" or "FY27".
 */
void ob_numfmt_period(struct ob_buf *out, const struct ob_calendar *cal,
                      int32_t start, enum ob_language lang);

/** Appends a date as people read it: en "Nov 21, 2026", fr "21 nov.
 * 2026". */
void ob_numfmt_date(struct ob_buf *out, int32_t date, enum ob_language lang);

/** Appends a plain number as data files want it: shortest text that reads
 * back as the same double ("0.1", "12", "1e+21"), '.' decimal, no groups. */
void ob_numfmt_plain(struct ob_buf *out, double v);

#endif
