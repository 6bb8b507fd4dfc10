/* tz.h: IANA time zones read from the system's TZif files. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_TZ_H
#define OPSBOOK_TZ_H

#include <stdbool.h>
#include <stdint.h>

#include "opsbook/diag.h"

/**
 * A loaded time zone: the transitions of its TZif file plus the POSIX rule
 * of its footer for instants past the last transition (Debian ships "slim"
 * files whose tables stop early). Immutable once loaded, so threads share it.
 */
struct ob_tz;

/**
 * Loads the zone called `name` ("UTC", "Europe/Paris") from `zoneinfo_dir`
 * (NULL: /usr/share/zoneinfo). "UTC" and "Etc/UTC" work without files.
 * Returns OB_ERR_INPUT for a name that is malformed (absolute, "..") or
 * not found, OB_ERR_ENV when the file cannot be read or is corrupt. The
 * result is freed with ob_tz_free().
 */
enum ob_err ob_tz_load(const char *name, const char *zoneinfo_dir,
                       struct ob_tz **out);
void ob_tz_free(struct ob_tz *tz);

/** The zone's name as loaded. */
const char *ob_tz_name(const struct ob_tz *tz);

/**
 * A hash of everything the zone says (name, transitions, rule): equal for
 * two loads of the same zone data, so cached results keyed on it are
 * dropped when the system's zone files change.
 */
uint64_t ob_tz_hash(const struct ob_tz *tz);

/** Offset from UTC, in seconds east, in force at a UTC instant. */
int32_t ob_tz_offset_at(const struct ob_tz *tz, int64_t utc);

/**
 * The UTC instant of a local wall-clock time. In a gap (spring forward) the
 * time is read with the offset before the gap; in an overlap (fall back)
 * the first occurrence wins.
 */
int64_t ob_tz_local_to_utc(const struct ob_tz *tz, int64_t local);

/** The local calendar date (days since 1970-01-01) of a UTC instant. */
int32_t ob_tz_date_of(const struct ob_tz *tz, int64_t utc);

/** The UTC instant at which a local date begins (its 00:00, or later in a gap).
 */
int64_t ob_tz_day_start(const struct ob_tz *tz, int32_t date);

#endif
