/* inspect.h: `opsbook data`: how a source or a CSV file parses. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_INSPECT_H
#define OPSBOOK_INSPECT_H

#include <stdbool.h>
#include <stdio.h>

#include "opsbook/build.h"

struct ob_inspect_options {
    bool json; /* a JSON array of row objects, values typed */
    bool raw;  /* with json: every cell as the string parsed */
    long head; /* rows to show; -1: the default (10, or all for json) */
};

/**
 * Prints how `what` parses: a source of opsbook.yaml by name, else a file
 * of the site read with the default CSV options. Without json: the files,
 * the delimiter, each column's inferred type, then the first rows as an
 * aligned table. The build must have its config loaded
 * (ob_build_load_config()). Problems go to b->diag; returns the exit code.
 */
enum ob_err ob_inspect_data(struct ob_build *b, const char *what,
                            const struct ob_inspect_options *opt, FILE *out);

#endif
