/* value.h: typed cell values, how a text becomes one, and type inference. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_VALUE_H
#define OPSBOOK_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsbook/config.h"
#include "opsbook/date.h"
#include "opsbook/tz.h"

enum ob_value_type {
    OB_VAL_EMPTY,
    OB_VAL_STRING,
    OB_VAL_NUMBER, /* integers and decimals alike, as a double */
    OB_VAL_BOOL,
    OB_VAL_DATE,    /* days since 1970-01-01 */
    OB_VAL_DATETIME /* UTC seconds (+ nanos) */
};

struct ob_value {
    enum ob_value_type type;
    union {
        struct {
            const char *ptr;
            size_t len;
        } str;
        double num;
        bool b;
        int32_t date;
        struct {
            int64_t seconds;
            int32_t nanos;
        } dt;
    } u;
};

/** How to read cells: from the source's keys and the site's zone. */
struct ob_value_format {
    char decimal;            /* '.' or ',' */
    const char *date_format; /* NULL: ISO 8601; else a strptime pattern */
    const struct ob_tz *tz;  /* places datetimes without an offset */
};

/**
 * Parses one cell as `type` (a column type of config.h). Empty text is
 * OB_VAL_EMPTY for every type. Numbers: optional sign, digits with an
 * optional fraction after `decimal`, optional exponent; with decimal ','
 * groups of thousands separated by ' ', U+00A0 or U+202F are accepted
 * ("1 234,5"), with '.' groups separated by ',' are not (ambiguous).
 * OB_COL_PERCENT: "12,5 %" / "12.5%" -> 0.125 (also a plain number, as a
 * share). Booleans: true/false (any case). Dates and datetimes as
 * ob_datetime_parse() or `date_format`; a datetime without an offset is
 * local time in `tz`. Returns false when the text does not fit the type.
 */
bool ob_value_parse(const char *s, size_t len, enum ob_column_type type,
                    const struct ob_value_format *fmt, struct ob_value *out);

/**
 * ob_value_parse() for a reader that keeps a memo per column (NULL: none):
 * an ISO 8601 datetime reuses the day of the value before it, as
 * ob_datetime_parse_memo() does. Same results as ob_value_parse().
 */
bool ob_value_parse_memo(const char *s, size_t len, enum ob_column_type type,
                         const struct ob_value_format *fmt,
                         struct ob_date_memo *memo, struct ob_value *out);

/**
 * Infers a column's type from its first non-empty values, fed one by one.
 * The result is the first type every value so far fits, in the order
 * boolean, date, datetime, integer, number, percent, else string (with
 * date_format "%Y%m%d", 20261121 is a date, not an integer). Integers
 * with a leading zero ("007", zip codes) make the column a string; so does
 * a mix of dates and numbers.
 */
struct ob_infer {
    unsigned fits; /* bit per enum ob_column_type still possible */
    size_t seen;   /* values fed */
};

void ob_infer_init(struct ob_infer *inf);
void ob_infer_feed(struct ob_infer *inf, const char *s, size_t len,
                   const struct ob_value_format *fmt);
enum ob_column_type ob_infer_result(const struct ob_infer *inf);

/** "string", "number", ... as in `columns:` hints. */
const char *ob_column_type_name(enum ob_column_type t);

#endif
