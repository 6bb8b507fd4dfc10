/* diag.h: error codes, source positions and the diagnostics sink. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_DIAG_H
#define OPSBOOK_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/** Result codes, equal to the exit status of the command. Never renumber. */
enum ob_err {
    OB_OK = 0,
    OB_ERR_INPUT = 1, /* a problem in the user's inputs */
    OB_ERR_USAGE = 2, /* the command line is wrong */
    OB_ERR_ENV = 3    /* I/O, network or memory failed */
};

/** A short description of an ob_err, for messages and tests. */
const char *ob_strerror(enum ob_err err);

/**
 * A position in a user's file: 1-based line and character (not byte) column.
 * line 0 means "the whole file"; a NULL path means "no file" (the command
 * line, the environment). `path` is borrowed: it must outlive the sink.
 */
struct ob_pos {
    const char *path;
    uint32_t line, col;
};

enum ob_severity { OB_SEV_WARNING, OB_SEV_ERROR };

enum ob_diag_format { OB_DIAG_TEXT, OB_DIAG_JSON };

struct ob_diag_entry {
    enum ob_severity severity;
    struct ob_pos pos;
    char *message;
    size_t seq; /* arrival order, the last sort key */
};

/**
 * Collects every problem of a run so all of them are reported, not only the
 * first. At most `max` entries are kept; the rest are only counted.
 * Parsers report here and keep going; the stage then returns OB_ERR_INPUT.
 */
struct ob_diag {
    struct ob_diag_entry *entries;
    size_t len, cap, max;
    size_t errors, warnings, dropped;
    bool strict; /* warnings count as errors */
};

void ob_diag_init(struct ob_diag *d, size_t max);
void ob_diag_release(struct ob_diag *d);

void ob_diag_error(struct ob_diag *d, const struct ob_pos *pos, const char *fmt,
                   ...) __attribute__((format(printf, 3, 4)));
void ob_diag_warning(struct ob_diag *d, const struct ob_pos *pos,
                     const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ob_diag_vreport(struct ob_diag *d, enum ob_severity sev,
                     const struct ob_pos *pos, const char *fmt, va_list ap);

/**
 * Moves every entry and count of `from` into `d` (a worker thread's sink
 * into the build's), leaving `from` empty. Entries keep their order, so
 * absorbing sinks in a fixed order gives the same output at any -j.
 */
void ob_diag_absorb(struct ob_diag *d, struct ob_diag *from);

/**
 * Adds `by` to the line of every entry that has one: a piece of a file,
 * read from line 1, moved to where the piece stands in the file.
 */
void ob_diag_shift_lines(struct ob_diag *d, uint32_t by);

/**
 * Reports "unknown WHAT 'NAME'" at `pos`, with "(did you mean 'X'?)" when
 * one of the n `candidates` is close to it ("unknown KPI 'wua' (did you
 * mean 'wau'?)").
 */
void ob_diag_unknown(struct ob_diag *d, const struct ob_pos *pos,
                     const char *what, const char *name,
                     const char *const *candidates, size_t n);

/** True when the run has failed: an error, or a warning under --strict. */
bool ob_diag_failed(const struct ob_diag *d);

/**
 * Sorts the entries by path, line, column, then message, so the order is
 * the same whatever order (or thread) reported them.
 */
void ob_diag_sort(struct ob_diag *d);

enum ob_diag_print_flags {
    OB_DIAG_COLOR = 1 << 0, /* ANSI colours (a terminal, no NO_COLOR) */
    OB_DIAG_QUIET = 1 << 1  /* leave warnings out */
};

/**
 * Prints every entry in ob_diag_sort() order. Text lines
 * are "path:line:col: error: message"; JSON lines are objects with path,
 * line, column, severity and message. Warnings print as errors under strict.
 */
void ob_diag_print(struct ob_diag *d, FILE *out, enum ob_diag_format fmt,
                   unsigned flags);

#endif
