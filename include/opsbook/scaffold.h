/* scaffold.h: `opsbook new`: the demo site, built into the binary. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_SCAFFOLD_H
#define OPSBOOK_SCAFFOLD_H

#include <stddef.h>

#include "opsbook/diag.h"
#include "opsbook/embedded.h"

/* The last day of the demo site's data (tools/make_demo_data.py): its
 * exports are a fixed snapshot, so it is built as of that day (the
 * Makefile's DEMO_AS_OF says the same), never "as of yesterday". */
#define OB_SCAFFOLD_AS_OF "2026-11-20"

/**
 * Writes the demo site into `dir`, which must not exist or be empty.
 * OB_ERR_USAGE when `dir` holds anything, OB_ERR_ENV on I/O failure
 * (reported to `d`; a half-written `dir` is removed again).
 */
enum ob_err ob_scaffold_write(struct ob_diag *d, const char *dir);

#endif
