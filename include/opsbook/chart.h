/* chart.h: charts drawn with cairo and pango: SVG for the site, PNG for
 * email and xlsx. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_CHART_H
#define OPSBOOK_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "opsbook/buf.h"
#include "opsbook/diag.h"
#include "opsbook/hash.h"
#include "opsbook/numfmt.h"

/*
 * The module takes plain data: labels, series of doubles and a number
 * format. It knows nothing of KPIs or OKRs (kpichart.h builds charts from
 * them). One drawing path serves every surface: the same cairo calls make
 * the SVG and the PNG, so the two always agree.
 */

enum ob_chart_kind {
    OB_CHART_LINE,      /* one line per series over the x labels */
    OB_CHART_BAR,       /* one bar per series side by side (grouped) */
    OB_CHART_STACKED,   /* the series stacked in one bar per x label */
    OB_CHART_SPARKLINE, /* the first series, no axes or text */
    OB_CHART_PROGRESS,  /* a horizontal bar: progress against expected */
    OB_CHART_STRIP      /* segments in proportion: an OKR status strip */
};

enum ob_chart_theme { OB_THEME_LIGHT, OB_THEME_DARK };

/** What a colour means where a status is drawn; never the only signal: a
 * label or marker always says it in words too. */
enum ob_chart_tone {
    OB_TONE_NEUTRAL,
    OB_TONE_GOOD,
    OB_TONE_WARN,
    OB_TONE_BAD,
    OB_TONE_DONE,
    OB_TONE_MUTED
};

/** A series: one value per x label, NAN where it has none (a gap). */
struct ob_chart_series {
    const char *name;
    const double *values;
};

/** An annotation: a dated note drawn as a marker at x label `x`. */
struct ob_chart_marker {
    size_t x;
    const char *label;
};

/** A part of a status strip, or the bar of a progress chart. */
struct ob_chart_segment {
    const char *label; /* "3 on track" */
    double value;      /* strip: the count; widths are in proportion */
    enum ob_chart_tone tone;
};

struct ob_chart {
    enum ob_chart_kind kind;
    const char *title;    /* drawn above the plot; NULL or "": none */
    const char *subject;  /* the alt text's "what" ("Weekly active users") */
    int width, height;    /* CSS pixels; 0: the kind's default size */
    struct ob_numfmt fmt; /* values, in the site's language */

    /* line, bar, stacked, sparkline */
    const char *const *labels; /* n x labels, already in the reader's words */
    size_t n;
    const struct ob_chart_series *series;
    size_t n_series;
    const char *more; /* a legend note ("+12 more groups"), or NULL */
    bool other_last;  /* the last series folds the rest: drawn in grey */
    /* The target per x label (NAN where none): a horizontal line when it
     * never changes, else a step line. NULL: no target. */
    const double *target;
    bool partial_last; /* the last x label is a period still in progress */
    const struct ob_chart_marker *markers;
    size_t n_markers;

    /* progress: `progress` and `expected` are shares (0-1); `bar` gives
     * the bar's tone and the words drawn beside it ("62% · on track") */
    double progress, expected;
    struct ob_chart_segment bar;

    /* strip */
    const struct ob_chart_segment *segments;
    size_t n_segments;
};

/**
 * A key of everything drawing `c` reads: two charts with the same key draw
 * the same bytes (with the same program and fonts). What lets a build
 * keep the last build's file of a chart whose numbers did not change.
 */
uint64_t ob_chart_key(const struct ob_chart *c);

/** Adds to `h` who the pinned font files are (see ob_cache_hash_file()):
 * a font package upgraded draws other bytes. */
void ob_chart_hash_fonts(struct ob_hasher *h, int64_t now_ns);

/** The size a chart of `kind` gets when its width or height is 0. */
void ob_chart_default_size(enum ob_chart_kind kind, int *width, int *height);

/*
 * A charter holds what drawing needs: a font map over the pinned fonts
 * only (the host's fontconfig setup and installed fonts change nothing),
 * and scratch buffers. One per thread; it is not thread-safe itself.
 */
struct ob_charter;

/**
 * Makes a charter over the fonts in `font_dir` (NULL: the build's
 * default, OB_FONT_DIR). Returns NULL with a message in `d` (naming the
 * package to install) when the fonts cannot be loaded.
 */
struct ob_charter *ob_charter_new(const char *font_dir, struct ob_diag *d);
void ob_charter_free(struct ob_charter *ch);

/**
 * Appends the chart as a standalone SVG document: a <title> holding the
 * alt text, role="img", a transparent background, text as glyph outlines.
 * The bytes depend only on the chart and the theme, never on what the
 * process rendered before. Returns OB_OK or OB_ERR_ENV (cairo failed;
 * message in `d`).
 */
enum ob_err ob_chart_svg(struct ob_charter *ch, const struct ob_chart *c,
                         enum ob_chart_theme theme, struct ob_buf *out,
                         struct ob_diag *d);

/**
 * Appends the chart as a PNG on the theme's background, `scale` device
 * pixels per CSS pixel (2 for email). Same return as ob_chart_svg().
 */
enum ob_err ob_chart_png(struct ob_charter *ch, const struct ob_chart *c,
                         enum ob_chart_theme theme, double scale,
                         struct ob_buf *out, struct ob_diag *d);

/** One chart to draw in a batch, and what it became. */
struct ob_chart_job {
    const struct ob_chart *chart;
    enum ob_chart_theme theme;
    double png_scale;  /* 0: SVG; else a PNG at this scale */
    struct ob_buf out; /* the file's bytes; the caller releases it */
    enum ob_err err;
};

/**
 * Draws every job on up to `threads` threads, each with a charter of its
 * own (fonts over `font_dir`, as ob_charter_new()). The bytes are those
 * one thread would make; problems are reported to `d` in job order.
 * Returns OB_OK, or OB_ERR_ENV when the fonts cannot be loaded or a
 * chart could not be drawn.
 */
enum ob_err ob_chart_draw_all(struct ob_chart_job *jobs, size_t n,
                              unsigned threads, const char *font_dir,
                              struct ob_diag *d);

/**
 * Appends a sparkline (the first series of `c`, any kind) as SVG markup to
 * put inside a page: the line through the complete periods, the period in
 * progress dashed to a hollow point, the latest value dotted; the alt text
 * as its aria-label. It has no text, fonts or ids, and takes its colours
 * from CSS (classes spark, spark-line, spark-partial, spark-open,
 * spark-none; circles are dots), so one element serves light and dark.
 */
void ob_chart_sparkline_svg(const struct ob_chart *c, struct ob_buf *out);

/**
 * Appends the alt text: one sentence saying what the chart shows, the
 * period range, first to last value, and the latest against the target
 * ("Weekly active users, 2026-W01 to 2026-W45: 1,204 to 1,530; latest
 * 1,530 against a target of 1,500."). Plain text, not escaped.
 */
void ob_chart_alt(const struct ob_chart *c, struct ob_buf *out);

/**
 * Appends the chart's numbers as an HTML <table> (x labels down, series
 * across, the target last), every value formatted, text escaped: what a
 * screen reader or a reader who wants the figures gets beside the SVG.
 */
void ob_chart_table_html(const struct ob_chart *c, struct ob_buf *out);

#endif
