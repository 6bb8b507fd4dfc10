/* report_int.h: what the report's sheet writers share: the workbook being
 * written, its formats, safe cell writers and column widths. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_REPORT_INT_H
#define OPSBOOK_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xlsxwriter.h>

#include "opsbook/arena.h"
#include "opsbook/buf.h"
#include "opsbook/build.h"
#include "opsbook/kpi.h"
#include "opsbook/numfmt.h"
#include "opsbook/okr.h"

/* Excel's limits: rows per sheet, characters per cell. */
#define OB_XL_MAX_ROWS  1048576
#define OB_XL_MAX_CHARS 32767

/* Columns are fitted to their content up to this width (characters): a
 * wider one would make a fit-to-width page print too small to read.
 * Longer text wraps, its row growing to the lines it needs. */
#define OB_XL_MAX_WIDTH 40.0
/* Room left beside a column's widest content (characters), so that a
 * number aligned right does not touch the text of the next column. */
#define OB_XL_PAD 2.0
/* Excel's tallest row (409 points) holds this many lines. */
#define OB_XL_MAX_LINES 27

/** How a cell looks, besides its number format. */
enum ob_xl_style {
    OB_XL_PLAIN = 0,
    OB_XL_TITLE = 1 << 0,    /* the sheet's title, large and bold */
    OB_XL_SUBTITLE = 1 << 1, /* a line under the title, grey */
    OB_XL_HEADER = 1 << 2,   /* a table's header row */
    OB_XL_BOLD = 1 << 3,
    OB_XL_ROW = 1 << 4,   /* a table row: middle-aligned, thin rule below */
    OB_XL_MUTED = 1 << 5, /* grey italics: "no data" */
    OB_XL_WRAP = 1 << 6,
    OB_XL_LINK = 1 << 7, /* a hyperlink's blue underline */
    /* conditional-format fills, each a status colour with its text colour */
    OB_XL_GOOD = 1 << 8,
    OB_XL_WARN = 1 << 9,
    OB_XL_BAD = 1 << 10,
    OB_XL_DONE = 1 << 11,
    OB_XL_GREY = 1 << 12,
    OB_XL_RIGHT = 1 << 13, /* a header over numbers */
    OB_XL_CENTER = 1 << 14 /* a status word */
};
/* Indentation (0-7) rides above the style bits. */
#define OB_XL_INDENT(n) ((unsigned)(n) << 16)

/** A format made once and found again by its number format and style. */
struct ob_xl_format {
    char *num_format; /* "" for General */
    unsigned style;
    lxw_format *format;
};

/** A table's header cell, fitted to its column at the end. */
struct ob_xl_head {
    const char *text; /* NULL: none; a copy in the workbook's arena */
    double indent;    /* the room its indentation takes */
};

/**
 * A sheet's layout as its cells are written: content widths per column,
 * in characters, for the widths we set, and how wide each may grow; the
 * columns aligned right; the header, whose cells wrap at words rather
 * than widen a column much; and the height of the row being written,
 * grown to its tallest wrapped cell.
 */
struct ob_xl_widths {
    double *w, *max;
    size_t n;
    uint64_t right;   /* bit c: column c holds numbers or dates */
    uint64_t centred; /* bit c: column c holds centred words */
    struct ob_xl_head *head;
    lxw_row_t head_row;
    lxw_row_t row; /* the row whose height is fitted */
    double height; /* its height so far, in points */
    uint8_t level; /* its outline level */
};

/** Sheet names given so far, to keep them unique. */
struct ob_xl_names {
    char **names;
    size_t n, cap;
};

/** One report being written: its workbook and what its sheets share. */
struct ob_xl {
    struct ob_build *b;
    const struct ob_report_def *def;
    lxw_workbook *wb;
    const char *file; /* "reports/ID.xlsx", for messages */
    enum ob_language lang;
    lxw_error failed;   /* the first libxlsxwriter failure, or 0 */
    const char *during; /* what was being written when it failed */
    enum ob_err err;    /* another failure, already reported */
    struct ob_xl_format *formats;
    size_t n_formats, cap_formats;
    struct {
        lxw_format *from, *to;
        unsigned style;
    } variant;          /* ob_xl_fit()'s last variant of a format */
    struct ob_buf text; /* scratch: a cell's text, NUL-terminated */
    struct ob_arena a;  /* lives as long as the workbook */
    /* The report's KPIs, in its order, and their sheets' names. */
    const struct ob_kpi **kpis;
    const char **kpi_sheets;
    size_t n_kpis;
    /* The OKR quarters it shows, in its order. */
    const struct ob_quarter **quarters;
    size_t n_quarters;
    const char *okr_sheet;     /* NULL: no OKRs sheet */
    const char **table_sheets; /* one per def->tables entry */
    const char *summary_sheet, *sources_sheet;
    unsigned jobs; /* threads: sparklines drawn, a table sheet's rows read */
};

/* ---- words ------------------------------------------------------------ */

/** The words the workbook uses, in the site's language. */
enum ob_xl_word {
    OB_XW_SUMMARY,
    OB_XW_OKRS,
    OB_XW_SOURCES,
    OB_XW_KPI,
    OB_XW_GROUP,
    OB_XW_PERIOD,
    OB_XW_PERIOD_START,
    OB_XW_VALUE,
    OB_XW_PREVIOUS,
    OB_XW_CHANGE,
    OB_XW_CHANGE_PCT,
    OB_XW_TARGET,
    OB_XW_STATUS,
    OB_XW_TREND,
    OB_XW_NO_DATA,
    OB_XW_AS_OF,
    OB_XW_NOTE,
    OB_XW_IN_PROGRESS,
    OB_XW_QUARTER,
    OB_XW_ID,
    OB_XW_OBJECTIVE,
    OB_XW_OWNER,
    OB_XW_BASELINE,
    OB_XW_CURRENT,
    OB_XW_PROGRESS,
    OB_XW_EXPECTED,
    OB_XW_CONFIDENCE,
    OB_XW_LAST_CHECKIN,
    OB_XW_SOURCE,
    OB_XW_TYPE,
    OB_XW_PATH,
    OB_XW_FILES,
    OB_XW_ROWS,
    OB_XW_NEWEST,
    OB_XW_FRESHNESS,
    OB_XW_CHECKS,
    OB_XW_PAGE,
    OB_XW_MEASURE,
    OB_XW_DATE,
    OB_XW_WEEKDAY,
    OB_XW_N
};

/** The word in the report's language. */
const char *ob_xl_word(const struct ob_xl *x, enum ob_xl_word w);

/** "green", "amber", "red" (fr "vert", "orange", "rouge"), or "". */
const char *ob_xl_status_word(const struct ob_xl *x, enum ob_status s);

/* ---- libxlsxwriter status ------------------------------------------- */

/**
 * Keeps the first libxlsxwriter failure and what was being written then
 * (`what`, a static string); later calls change nothing. Returns true when
 * `e` is LXW_NO_ERROR. Sheet writers call it on every status and check
 * ob_xl_ok() where going on would be pointless.
 */
bool ob_xl_check(struct ob_xl *x, lxw_error e, const char *what);

/** Nothing has failed so far: no libxlsxwriter call, nothing else. */
bool ob_xl_ok(const struct ob_xl *x);

/* ---- formats ---------------------------------------------------------- */

/**
 * The workbook's format with Excel number format `num_format` (NULL or
 * "": General) and `style` (enum ob_xl_style bits, OB_XL_INDENT(n)), made
 * on first use. Owned by the workbook.
 */
lxw_format *ob_xl_format(struct ob_xl *x, const char *num_format,
                         unsigned style);

/**
 * Appends the Excel number format that shows a KPI's values as the site
 * does (en and fr alike: Excel puts in the reader's separators):
 * "#,##0", "#,##0.0", "0.0%", "\"€\"#,##0.00", "[h]:mm:ss". With `delta`,
 * changes with an explicit sign ("+#,##0;\"−\"#,##0;0").
 */
void ob_xl_numfmt(const struct ob_numfmt *f, bool delta, struct ob_buf *out);

/** A KPI value as the cell holds it: durations become days (Excel's
 * time unit), everything else is the value itself. */
double ob_xl_value(const struct ob_numfmt *f, double v);

/** The Excel serial number of a date (days since 1970-01-01). */
double ob_xl_date(int32_t date);

/** True when Excel can hold the date as a number (from 1900-03-01 on,
 * past its 1900 leap-year bug). */
bool ob_xl_date_ok(int32_t date);

/* ---- cells ------------------------------------------------------------- */

/**
 * Fits `len` bytes of text about to be written in cell (row, col) with
 * format `f` (NULL: the default) into the sheet's layout `w`: widens the
 * column up to OB_XL_MAX_WIDTH; wraps text longer than that, or holding a
 * line break, and grows the row to the lines it takes; indents a
 * left-aligned text that follows a column aligned right. Returns the
 * format to write the cell with: `f`, or a variant of it (the workbook's).
 */
lxw_format *ob_xl_fit(struct ob_xl *x, lxw_worksheet *ws, lxw_row_t row,
                      lxw_col_t col, const char *s, size_t len, lxw_format *f,
                      struct ob_xl_widths *w);

/**
 * Writes `len` bytes of text as a string cell, never a formula, whatever
 * it starts with ("=", "+", "-", "@", a tab or a CR): text from data stays
 * text. Text past Excel's 32,767 characters is cut at a character
 * boundary. With `w`, fits the cell into the layout (ob_xl_fit()).
 */
void ob_xl_text(struct ob_xl *x, lxw_worksheet *ws, lxw_row_t row,
                lxw_col_t col, const char *s, size_t len, lxw_format *f,
                struct ob_xl_widths *w);

/** ob_xl_text() of a NUL-terminated string. */
void ob_xl_str(struct ob_xl *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
               const char *s, lxw_format *f, struct ob_xl_widths *w);

/** A number; widens `w` by `shown` characters (what the format shows). */
void ob_xl_num(struct ob_xl *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
               double v, lxw_format *f, size_t shown, struct ob_xl_widths *w);

/** An empty cell carrying a format (a table row's rule). */
void ob_xl_blank(struct ob_xl *x, lxw_worksheet *ws, lxw_row_t row,
                 lxw_col_t col, lxw_format *f);

/**
 * Writes the header row `names` from column 0. The columns whose bit is
 * set in `numbers` (bit 0: column 0) hold numbers: their header aligns
 * right, over them, and `w` learns they align right; those set in
 * `centred` hold centred words: their header is centred too. With `w`, a
 * sheet not streamed gets its header fitted by ob_xl_widths_apply(): a
 * header much wider than its column's cells wraps at words, the row
 * growing to its lines.
 */
void ob_xl_header(struct ob_xl *x, lxw_worksheet *ws, lxw_row_t row,
                  const char *const *names, size_t n, uint64_t numbers,
                  uint64_t centred, struct ob_xl_widths *w);

/** Writes the sheet's title (row 0) and subtitle (row 1, when given). */
void ob_xl_title(struct ob_xl *x, lxw_worksheet *ws, const char *title,
                 const char *subtitle);

/* ---- columns and pages ------------------------------------------------ */

void ob_xl_widths_init(struct ob_xl_widths *w, size_t n);
void ob_xl_widths_release(struct ob_xl_widths *w);

/** Counts a cell of `chars` characters in column `col`. */
void ob_xl_widths_fit(struct ob_xl_widths *w, size_t col, double chars);

/** Marks the columns whose bit is set in `mask` (bit 0: column 0) as
 * aligned right: the left-aligned text after one is indented. */
void ob_xl_widths_right(struct ob_xl_widths *w, uint64_t mask);

/** Lets column `col` grow to `chars` characters (less than
 * OB_XL_MAX_WIDTH) before its text wraps. Call before writing it. */
void ob_xl_widths_cap(struct ob_xl_widths *w, size_t col, double chars);

/**
 * Starts row `row`: `height` points tall (grown later by wrapped cells)
 * at outline level `level` (0: not grouped). Rows a writer does not start
 * are 15 points tall, at level 0.
 */
void ob_xl_row(struct ob_xl *x, lxw_worksheet *ws, struct ob_xl_widths *w,
               lxw_row_t row, double height, uint8_t level);

/** The display width of UTF-8 text, in characters (the widest line),
 * stopping well past the widest column we set. */
double ob_xl_text_width(const char *s, size_t len);

/** The lines UTF-8 text takes wrapped at words in a column `chars`
 * characters wide, its own line breaks included: at least 1, and counted
 * no further than one past OB_XL_MAX_LINES. */
unsigned ob_xl_text_lines(const char *s, size_t len, double chars);

/**
 * Fits the header ob_xl_header() left to fit (a sheet not streamed) to
 * the columns' cells: returns the lines the header row then takes.
 * ob_xl_widths_apply() calls it.
 */
unsigned ob_xl_widths_settle(struct ob_xl_widths *w);

/** The width of column `col` as ob_xl_widths_apply() sets it, once
 * settled. */
double ob_xl_widths_get(const struct ob_xl_widths *w, size_t col);

/** The columns' width in pixels, as Excel draws them (Calibri 11), once
 * settled. */
double ob_xl_widths_pixels(const struct ob_xl_widths *w);

/** Settles the header, then sets each column's width from its content
 * (OB_XL_PAD beside it, at least 6 characters and at most its cap) and
 * the header row's height. */
void ob_xl_widths_apply(struct ob_xl *x, lxw_worksheet *ws,
                        struct ob_xl_widths *w);

/**
 * The set-up every sheet gets: the table's header frozen and an
 * autofilter over rows header..last (no filter when last < header);
 * landscape, fit to one page wide, header rows repeated on every page, a
 * header (report title, sheet) and footer (as-of, page of pages).
 */
void ob_xl_sheet_setup(struct ob_xl *x, lxw_worksheet *ws, const char *name,
                       lxw_row_t header, lxw_row_t last, lxw_col_t last_col);

/**
 * A sheet name Excel accepts from `want` (NULL or empty: `fallback`):
 * []:*?/\ and control characters become '_', no leading or trailing
 * apostrophe, at most 31 characters, not "History", and unique in `names`
 * ignoring case (" (2)", " (3)"... appended). Lives in `a`.
 */
const char *ob_xl_sheet_name(struct ob_xl_names *names, const char *want,
                             const char *fallback, struct ob_arena *a);
void ob_xl_names_release(struct ob_xl_names *names);

/* ---- the sheets ------------------------------------------------------ */

/**
 * Adds a sheet called `name` (a name from ob_xl_sheet_name()); `streamed`
 * sheets are written in constant-memory mode (rows in order, one row in
 * memory). NULL after a failure, recorded as by ob_xl_check().
 */
lxw_worksheet *ob_xl_add_sheet(struct ob_xl *x, const char *name,
                               bool streamed);

/** The Summary sheet: title block, the KPI table with sparklines. */
void ob_xl_summary(struct ob_xl *x);

/** The OKRs sheet (x->okr_sheet must be set). */
void ob_xl_okrs(struct ob_xl *x);

/** The sheet of the report's KPI `i`: its series and a native chart. */
void ob_xl_kpi_sheet(struct ob_xl *x, size_t i);

/**
 * The sheet of the report's table `i`: the source's rows up to as_of,
 * typed, streamed (constant memory). When the source cannot be read
 * again, says so and sets x->err.
 */
void ob_xl_table_sheet(struct ob_xl *x, size_t i);
/** Whether every `tables` sheet of the report holds all of its source's
 * rows: none is cut at Excel's limit (which warns). */
bool ob_xl_tables_fit(const struct ob_xl *x);

/** The Sources sheet: each source's files, rows, newest row, freshness,
 * checks. */
void ob_xl_sources(struct ob_xl *x);

#endif
