/* chart_int.h: what chart.c (surfaces, fonts, text) shares with
 * chart_draw.c (the drawing). */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_CHART_INT_H
#define OPSBOOK_CHART_INT_H

#include <math.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "opsbook/buf.h"
#include "opsbook/chart.h"

struct ob_rgb {
    double r, g, b;
};

/* The colours of one theme. Series colours are Okabe and Ito's
 * colour-blind-safe set, ordered for contrast on the theme's background. */
#define OB_CHART_COLOURS 8
struct ob_palette {
    struct ob_rgb bg, fg, muted, grid, target;
    struct ob_rgb series[OB_CHART_COLOURS];
    struct ob_rgb other; /* the folded "other" series */
    struct ob_rgb tone[OB_TONE_MUTED + 1];
};

const struct ob_palette *ob_palette_of(enum ob_chart_theme theme);

struct ob_charter {
    PangoFontMap *fonts;
    PangoContext *pango;
    PangoLayout *layout;
    PangoFontDescription *regular, *bold;
    cairo_font_options_t *font_options;
    struct ob_buf scratch; /* formatted numbers */
};

/* Values beyond this are drawn at it: cairo's fixed point would wrap. */
#define OB_CHART_VALUE_LIMIT 1e300

/** A value to draw: not NAN (a gap) nor infinite. */
static inline bool
ob_chart_present(double v)
{
    return isfinite(v);
}

/** v within +-OB_CHART_VALUE_LIMIT. */
static inline double
ob_chart_clamp(double v)
{
    return v > OB_CHART_VALUE_LIMIT    ? OB_CHART_VALUE_LIMIT
           : v < -OB_CHART_VALUE_LIMIT ? -OB_CHART_VALUE_LIMIT
                                       : v;
}

enum ob_text_weight { OB_TEXT_REGULAR, OB_TEXT_BOLD };

/* How a piece of text sits on its anchor point. */
enum ob_halign { OB_LEFT, OB_CENTER, OB_RIGHT };
enum ob_valign { OB_TOP, OB_MIDDLE, OB_BOTTOM };

struct ob_text_style {
    double size; /* CSS pixels */
    enum ob_text_weight weight;
    enum ob_halign h;
    enum ob_valign v;
    double max_width; /* ellipsised beyond it; 0: no limit */
};

/* Lays `text` out in the charter's layout; its logical size in *w, *h. */
void ob_text_measure(struct ob_charter *ch, const char *text,
                     const struct ob_text_style *st, double *w, double *h);

/* Draws `text` anchored at (x, y) in the current source colour. Returns
 * the width drawn. */
double ob_text_draw(struct ob_charter *ch, cairo_t *cr, const char *text,
                    double x, double y, const struct ob_text_style *st);

/* Draws the chart on `cr`, whose user space is the chart's CSS pixels. */
void ob_chart_draw(struct ob_charter *ch, cairo_t *cr, const struct ob_chart *c,
                   int width, int height, enum ob_chart_theme theme);

/* Where a line, bar or stacked chart puts its plot, for tests that check
 * pixels at computed places. */
struct ob_chart_geometry {
    bool plot; /* false: no data, or no room */
    double x0, y0, x1, y1;
    double lo, hi, step; /* the value axis */
};
void ob_chart_geometry(struct ob_charter *ch, const struct ob_chart *c,
                       int width, int height, struct ob_chart_geometry *g);

/* The word for `what` in the chart's language ("Target", "No data"). */
enum ob_chart_word {
    OB_WORD_TARGET,
    OB_WORD_NO_DATA,
    OB_WORD_IN_PROGRESS,
    OB_WORD_EXPECTED,
    OB_WORD_PERIOD
};
const char *ob_chart_word(const struct ob_chart *c, enum ob_chart_word w);

#endif
