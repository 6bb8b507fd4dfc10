/* table.h: a source's files read as one typed table, streamed row by row. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_TABLE_H
#define OPSBOOK_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsbook/arena.h"
#include "opsbook/config.h"
#include "opsbook/diag.h"
#include "opsbook/fs.h"
#include "opsbook/value.h"
#include "opsbook/yaml.h"

/* A large file is cut into OB_TABLE_PIECES pieces, of at least
 * OB_TABLE_PIECE_MIN bytes and at most OB_TABLE_PIECE_BYTES (more pieces
 * then). Each piece interns the ids it meets and merging does it again:
 * so few pieces, to merge little, and no larger than 64 MiB, to keep a
 * piece's tables in cache and cores busy on files of gigabytes. Measured
 * on the bench: 52 MB in 8 pieces reads in 0.75 of the time one piece
 * takes; 520 MB in 63 pieces of 8 MiB takes 1.5 times the 8 of 64 MiB. */
#define OB_TABLE_PIECES      8
#define OB_TABLE_PIECE_MIN   ((uint64_t)4 << 20)
#define OB_TABLE_PIECE_BYTES ((uint64_t)64 << 20)

/** A column as the header names it, with its type. */
struct ob_column {
    const char *name;
    enum ob_column_type type;
    bool hinted;       /* from the source's `columns:` */
    struct ob_pos pos; /* of the name in the first file's header */
};

/** One row handed to a sink: a value per column (all of them). */
struct ob_row {
    const struct ob_value *values;
    const char *const *raw; /* the text of each cell as parsed */
    const size_t *raw_len;
    const char *path;
    uint32_t line;
    const void *scan; /* the scan delivering it, for ob_row_cell_pos() */
};

/** Where a cell of a row stands in its file (while the row is delivered).
 */
struct ob_pos ob_row_cell_pos(const struct ob_row *row, size_t column);

/** Receives rows; returns 0 to go on, anything else to stop the scan. */
struct ob_row_sink {
    int (*row)(void *ctx, const struct ob_row *row);
    void *ctx;
};

/** A source opened for reading: its files, columns and statistics. */
struct ob_table {
    const struct ob_source *src;
    const char **paths; /* the files, in byte order */
    size_t n_paths;
    struct ob_column *columns;
    size_t n_columns;
    const struct ob_yaml_node **docs; /* type yaml: each file's list */
    /* type postgres: the open connection (warehouse.h), else NULL */
    struct ob_warehouse *warehouse;
    char delimiter;
    int time_column; /* -1: none */
    struct ob_value_format format;
    /* Projection: columns to convert to their type (NULL: all). Others
     * reach the sink as OB_VAL_STRING, unchecked: the hot path only pays
     * for the columns some KPI or page needs. The time column is always
     * converted. Set by the caller before ob_table_scan(). */
    const bool *convert;
    /* A plain UTF-8 CSV file of at least two pieces is read in pieces on
     * several threads: OB_TABLE_PIECES of them, of no more than this many
     * bytes (0: never). */
    uint64_t piece_bytes;
    /* Rows whose time is after this instant (the end of the as-of day)
     * are ignored: counted in `later`, never passed on. INT64_MAX: none. */
    int64_t until;
    /* Counted by ob_table_scan(). */
    uint64_t rows;    /* rows read */
    uint64_t skipped; /* bad rows skipped (on_error: skip) */
    uint64_t untimed; /* rows whose time cell is empty */
    uint64_t later;   /* rows after `until`, ignored */
    bool has_newest;
    int64_t newest; /* latest time, UTC seconds */
    /* The source's checks, one entry per column it names, in its order. */
    uint64_t *empty;      /* not_empty: rows with an empty cell */
    uint64_t *duplicates; /* unique: rows repeating an earlier value */
};

/**
 * Opens a csv or yaml source: expands its path (a glob, byte order; no
 * match is an error), reads each file's header (all must match the
 * first; a yaml source is a list of mappings whose keys, in order of first
 * appearance, are the columns), and settles each column's type from the
 * `columns:` hints and the first 1,000 non-empty values. `tz` places datetimes
 * without an offset. Problems go to `d`; returns OB_OK, OB_ERR_INPUT or
 * OB_ERR_ENV. Strings live in `a`.
 */
enum ob_err ob_table_open(struct ob_table *t, const struct ob_source *src,
                          const struct ob_fs_root *root, const struct ob_tz *tz,
                          struct ob_arena *a, struct ob_diag *d);

/**
 * Streams every row of every file to `sink`, typed. A cell that does not
 * fit its column, a ragged row, or invalid text is an error (with
 * `on_error: skip`, a warning and the row is left out). Returns OB_OK,
 * OB_ERR_INPUT or OB_ERR_ENV; statistics are filled in. Memory does not
 * grow with the number of rows.
 */
enum ob_err ob_table_scan(struct ob_table *t, struct ob_diag *d,
                          const struct ob_row_sink *sink);

/**
 * ob_table_scan(), with the reading overlapped: with jobs > 1, a file of
 * at least a 64th of a piece (t->piece_bytes) is read and typed on a
 * second thread while the calling thread hands its rows to `sink`, in
 * file order: the same rows, in the same order. For a sink whose own work
 * is the larger part (a workbook's sheet). `sink` must not report to `d`.
 */
enum ob_err ob_table_scan_piped(struct ob_table *t, struct ob_diag *d,
                                const struct ob_row_sink *sink, unsigned jobs);

/**
 * A sink per piece of a large file, so its pieces can be read on several
 * threads: `begin` makes the state a piece's rows go to (through `row`).
 * `end` is called once per piece that counts, in file order, to merge that
 * state into the whole and free it; the piece was read as if it started
 * at line 1, so positions it kept move down by `line_shift` lines. `drop`
 * frees the state of a piece that does not count. `begin` may run on any
 * thread at any time; `end` and `drop` calls never overlap.
 */
struct ob_piece_sink {
    void *(*begin)(void *ctx);
    int (*row)(void *piece, const struct ob_row *row);
    void (*end)(void *ctx, void *piece, uint32_t line_shift);
    void (*drop)(void *ctx, void *piece);
    void *ctx;
};

/**
 * Like ob_table_scan(), but each plain UTF-8 CSV file of at least two
 * pieces (t->piece_bytes) is cut into pieces at line feeds and the pieces
 * are read on up to `jobs` threads at once, then merged in file order.
 * The cuts are guesses (a line feed may lie inside a quoted field): a
 * piece counts only when the one before it ended at a record boundary,
 * and the file from the first piece that did not is read again in one
 * thread. The pieces do not depend on `jobs`, so neither does the result,
 * and diagnostics keep their exact positions. Other files, and every file
 * of a source with `unique` checks (they need one set of values), are read
 * whole through `sink`; with jobs > 1 one of at least a 64th of a piece is
 * read on a second thread while the calling thread hands its rows to
 * `sink`, in file order (the same rows, in the same order, as one thread
 * gives). `sink` and the piece sink must not report to `d`.
 */
enum ob_err ob_table_scan_pieces(struct ob_table *t, struct ob_diag *d,
                                 const struct ob_row_sink *sink,
                                 const struct ob_piece_sink *pieces,
                                 unsigned jobs);

/**
 * How old the newest row is at `end` (UTC seconds) when that is more than
 * the source's stale_after; 0 when the source is fresh, has no
 * stale_after, or no timed row.
 */
int64_t ob_table_staleness(const struct ob_table *t, int64_t end);

/** The index of the column called `name`, or -1. */
int ob_table_column(const struct ob_table *t, const char *name);

/**
 * The source's time column (into t->time_column, -1 when it names none)
 * and its checks' columns must be columns of `t`: each that is not is an
 * error at its place in opsbook.yaml, with a suggestion. Whether all are.
 */
bool ob_table_check_names(struct ob_table *t, struct ob_diag *d);

#endif
