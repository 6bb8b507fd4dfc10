/* csv.h: a streaming RFC 4180 reader for the CSV files real tools export. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_CSV_H
#define OPSBOOK_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsbook/buf.h"
#include "opsbook/diag.h"

/**
 * Where the reader gets its bytes: a callback that fills `buf` with up to
 * `cap` bytes and returns how many (0 at the end), -1 with errno set on an
 * I/O error (the reader reports it), or -2 when the input has reported its
 * own problem already (invalid text in the declared encoding, say): the
 * reader then stops with -1 and adds no message. The layers below it (a
 * plain file, zlib, iconv) are the caller's; the reader only sees UTF-8.
 */
struct ob_csv_input {
    long (*read)(void *ctx, char *buf, size_t cap);
    void *ctx;
};

/** Fields one record may have: a line of 16M commas must not cost 512 MiB. */
#define OB_CSV_MAX_FIELDS 100000

struct ob_csv_options {
    char delimiter;    /* ',', ';', '\t', '|', or 0 to sniff */
    size_t chunk;      /* read size; 0: 1 MiB */
    size_t max_record; /* bytes of one record; 0: 16 MiB */
    /* A reader of one piece of a file, starting at a record boundary: the
     * line of its first byte (0: it starts the file, line 1, and a BOM
     * is skipped), and the byte offset of that byte in the file. */
    uint32_t first_line;
    uint64_t first_offset;
};

/** One field of a record: its text with quotes removed ("" -> "). */
struct ob_csv_field {
    const char *ptr; /* valid until the next ob_csv_next() */
    size_t len;
    uint64_t offset; /* byte offset in the input of the field's first byte
                        (its opening quote for a quoted field) */
    bool quoted;
};

struct ob_csv_record {
    struct ob_csv_field *fields;
    size_t n;
    uint32_t line;   /* line of the record's first byte, 1-based */
    uint64_t offset; /* byte offset of the record's first byte */
    /* The record's bytes as read (quotes, doubled quotes and line ends
     * inside quoted fields included, its own line end not), from
     * `offset` on: the fields that hold no doubled quote point into them.
     * Valid until the next ob_csv_next(). */
    const char *text;
    size_t text_len;
};

struct ob_csv_reader;

/**
 * Starts reading `path` (used in diagnostics only) from `in`. A UTF-8 BOM
 * is skipped. With delimiter 0 the reader sniffs among , ; tab | from the
 * header and the first rows (the candidate that splits them into the same
 * number of fields > 1, most fields wins; ties in the order , ; tab |).
 * Free with ob_csv_close().
 */
struct ob_csv_reader *ob_csv_open(const char *path,
                                  const struct ob_csv_input *in,
                                  const struct ob_csv_options *opt);
void ob_csv_close(struct ob_csv_reader *r);

/** The delimiter in use (after sniffing, once the first record is read). */
char ob_csv_delimiter(const struct ob_csv_reader *r);

/**
 * Reads the next record. Returns 1 with *rec filled (valid until the next
 * call), 0 at the end, or -1 after reporting a problem to `d`: an
 * unterminated quote (at the opening quote), text after a closing quote
 * (e.g. "a"b, at the 'b'), a record over max_record or with more than
 * OB_CSV_MAX_FIELDS fields, or an I/O error. After -1 every later call
 * returns -1 too, without a new message.
 * Blank lines are skipped; CRLF, LF and lone CR end records; a last record
 * without a line end is read; a quoted field may hold delimiters, doubled
 * quotes and line ends. An empty field, quoted or not, has len 0.
 * Ragged rows are the caller's to judge (it knows the header).
 */
int ob_csv_next(struct ob_csv_reader *r, struct ob_diag *d,
                struct ob_csv_record *rec);

/**
 * The line the reader has reached: after the end, one more than the line
 * ends it read (a piece read from line 1 spans ob_csv_line() - 1 lines).
 */
uint32_t ob_csv_line(const struct ob_csv_reader *r);

/**
 * The 1-based line and character column of a byte offset of the input, for
 * a diagnostic about a field (e.g. a value that does not fit its column).
 * Only offsets within the current record (or the previous one) are valid.
 */
void ob_csv_position(const struct ob_csv_reader *r, uint64_t offset,
                     uint32_t *line, uint32_t *col);

#endif
