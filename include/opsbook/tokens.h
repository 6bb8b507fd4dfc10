/* tokens.h: live numbers in prose: {{kpi:ID}}, {{okr:ID.progress}}, ... */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_TOKENS_H
#define OPSBOOK_TOKENS_H

#include <stdbool.h>
#include <stddef.h>

#include "opsbook/buf.h"
#include "opsbook/build.h"
#include "opsbook/diag.h"

/*
 * A token is the text between "{{" and "}}" in a page's prose (never in
 * code): `kpi:ID` (the current value), `kpi:ID.delta`, `kpi:ID.target`,
 * `kpi:ID[GROUP]` (a group of a `by` KPI, with .delta and .target too),
 * `okr:ID.progress` and `as_of`. Everything else between braces is left
 * as written.
 */

/**
 * Whether `text[0..len)` (without the braces) is a token; if so, appends
 * its HTML to `out` (a value in the KPI's format and the site's language,
 * or the words "no data"), or reports at `pos` why it cannot be shown (an
 * unknown KPI, OKR, group or field; a `by` KPI without a group) and
 * appends nothing. False: not a token, leave the text alone.
 */
bool ob_token_render(const struct ob_build *b, const char *text, size_t len,
                     const struct ob_pos *pos, struct ob_buf *out,
                     struct ob_diag *d);

#endif
