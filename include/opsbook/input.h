/* input.h: a site's data file as a stream of checked UTF-8 text. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_INPUT_H
#define OPSBOOK_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "opsbook/config.h"
#include "opsbook/diag.h"

/**
 * Reads a file as UTF-8 text whatever it is stored as: gzip-compressed
 * files (recognised by their magic bytes, so `.csv.gz` needs no temporary
 * copy) are inflated with zlib, windows-1252, iso-8859-1 and utf-16 are
 * converted with iconv, and UTF-8 is checked. Invalid text is reported at
 * its line and character column in the text, with the encoding named.
 * Memory is a few fixed buffers, whatever the size of the file.
 */
struct ob_input;

/**
 * Opens `path`. Returns OB_OK, OB_ERR_INPUT (missing, or not a regular
 * file) or OB_ERR_ENV (unreadable), reported to `d` at `where` (NULL: the
 * file). `d` and `path` must outlive the input: later problems go there.
 */
enum ob_err ob_input_open(struct ob_input **out, struct ob_diag *d,
                          const struct ob_pos *where, const char *path,
                          enum ob_encoding enc);

/**
 * Says that the caller will read only the start of `in` (a header, a
 * sample of records), before any read: a compressed file is then inflated
 * a little ahead of the reads, not a quarter of a megabyte.
 */
void ob_input_read_little(struct ob_input *in);

/**
 * Opens bytes [start, end) of a plain (not compressed) UTF-8 file, for
 * reading one piece of it; `start` must begin a line, numbered
 * `first_line` in the positions of reported problems. With first_line 0
 * the piece's place is not known: lines are not counted (which is
 * faster) and invalid text is reported without a position.
 */
enum ob_err ob_input_open_range(struct ob_input **out, struct ob_diag *d,
                                const char *path, uint64_t start, uint64_t end,
                                uint32_t first_line);

/**
 * Reads up to `cap` bytes of UTF-8 into `buf`, never splitting a
 * character. Returns the count, 0 at the end, or -2 after reporting a
 * problem (invalid text, a corrupt gzip stream, an I/O error) to `d`.
 * Its signature is that of ob_csv_input.read, with the input as `ctx`.
 */
long ob_input_read(void *input, char *buf, size_t cap);

/** True when a read failed with an I/O error (exit 3) rather than bad text. */
int ob_input_env_failed(const struct ob_input *in);

void ob_input_close(struct ob_input *in);

#endif
