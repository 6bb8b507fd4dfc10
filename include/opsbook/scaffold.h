/* scaffold.h: `opsbook new`: the demo site, built into the binary. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_SCAFFOLD_H
#define OPSBOOK_SCAFFOLD_H

#include <stddef.h>

#include "opsbook/diag.h"

/** One file of the demo site, embedded at build time by tools/embed.sh. */
struct ob_scaffold_file {
    const char *path;
    const unsigned char *data;
    size_t len;
};

/** The embedded files, in byte order of path (generated). */
extern const struct ob_scaffold_file ob_scaffold_files[];
extern const size_t ob_scaffold_count;

/**
 * Writes the demo site into `dir`, which must not exist or be empty.
 * OB_ERR_USAGE when `dir` holds anything, OB_ERR_ENV on I/O failure
 * (reported to `d`; a half-written `dir` is removed again).
 */
enum ob_err ob_scaffold_write(struct ob_diag *d, const char *dir);

#endif
