/* json.h: the JSON values every --json output writes, written one way. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_JSON_H
#define OPSBOOK_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "opsbook/buf.h"

/** A string, escaped; NULL is null. */
void ob_json_str(struct ob_buf *out, const char *s);

/** A number as the shortest text that reads back the same; null when
 * `has` is false. */
void ob_json_num(struct ob_buf *out, bool has, double v);

/** A date as "YYYY-MM-DD". */
void ob_json_date(struct ob_buf *out, int32_t day);

/** ", " unless `first`, then "\"key\": " — the start of a member. */
void ob_json_key(struct ob_buf *out, bool first, const char *key);

#endif
