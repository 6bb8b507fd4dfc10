/* okrout.h: `opsbook okrs` output: a readable tree, and JSON. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_OKROUT_H
#define OPSBOOK_OKROUT_H

#include <stdbool.h>
#include <stdint.h>

#include "opsbook/buf.h"
#include "opsbook/okr.h"

/** Which quarters to print: `selected[q]` for okrs->quarters[q], or NULL
 * for all. */
struct ob_okrout {
    const struct ob_okrs *okrs;
    const bool *selected;
    int32_t as_of;
};

/**
 * Per quarter, its objectives as a tree (aligned objectives beneath their
 * parent), each with a text progress bar, progress against expected,
 * status (and grade after the end), confidence; its key results beneath
 * it with baseline → current → target.
 */
void ob_okrout_text(const struct ob_okrout *o, struct ob_buf *out);

/** A JSON object with every quarter, objective and key result; the shape
 * is in the README. */
void ob_okrout_json(const struct ob_okrout *o, struct ob_buf *out);

#endif
