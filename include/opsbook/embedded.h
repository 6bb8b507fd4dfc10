/* embedded.h: files built into the binary by tools/embed.sh. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_EMBEDDED_H
#define OPSBOOK_EMBEDDED_H

#include <stddef.h>

/** One embedded file: its path (below the folder it came from) and bytes,
 * NUL-terminated beyond `len`. */
struct ob_embedded_file {
    const char *path;
    const unsigned char *data;
    size_t len;
};

/** The demo site (`opsbook new`), in byte order of path. */
extern const struct ob_embedded_file ob_scaffold_files[];
extern const size_t ob_scaffold_count;

/** The built-in theme: layouts/ and assets/ (src/theme/), by path. */
extern const struct ob_embedded_file ob_theme_files[];
extern const size_t ob_theme_count;

#endif
