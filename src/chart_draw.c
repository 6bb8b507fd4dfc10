/* chart_draw.c: the drawing of every chart kind, in CSS pixels. */
/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "chart_int.h"
#include "opsbook/mem.h"
#include "opsbook/numfmt.h"

#define PAD         8.0
#define TITLE_SIZE  15.0
#define LEGEND_SIZE 12.0
#define LABEL_SIZE  11.0
#define LINE_WIDTH  2.0

/* Values beyond this are drawn at it: the axis arithmetic stays finite. */

/* A chart being drawn: where the plot sits and what its axis spans. */
struct frame {
    struct ob_charter *ch;
    cairo_t *cr;
    const struct ob_chart *c;
    const struct ob_palette *pal;
    double w, h;
    double x0, y0, x1, y1; /* the plot area */
    double lo, hi, step;   /* the value axis and its tick step */
    double top;            /* below the title and legend */
    struct ob_numfmt ticks;
};

static void
colour(cairo_t *cr, const struct ob_rgb *rgb, double alpha)
{
    cairo_set_source_rgba(cr, rgb->r, rgb->g, rgb->b, alpha);
}

static const struct ob_rgb *
series_colour(const struct frame *f, size_t s)
{
    if (f->c->other_last && s + 1 == f->c->n_series && s > 0)
        return &f->pal->other;
    return &f->pal->series[s % OB_CHART_COLOURS];
}

static double
value_at(const struct ob_chart *c, size_t s, size_t i)
{
    return ob_chart_clamp(c->series[s].values[i]);
}

static double
x_of(const struct frame *f, size_t i)
{
    return f->x0 + (i + 0.5) * (f->x1 - f->x0) / (double)f->c->n;
}

static double
band(const struct frame *f)
{
    return (f->x1 - f->x0) / (double)f->c->n;
}

static double
y_of(const struct frame *f, double v)
{
    return f->y1 - (v - f->lo) / (f->hi - f->lo) * (f->y1 - f->y0);
}

static void
rounded_rect(cairo_t *cr, double x, double y, double w, double h, double r)
{
    if (r > h / 2)
        r = h / 2;
    if (r > w / 2)
        r = w / 2;
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

static const struct ob_text_style label_style = {LABEL_SIZE, OB_TEXT_REGULAR,
                                                 OB_LEFT, OB_TOP, 0};

/* ---- the value axis ------------------------------------------------- */

/* Widens [lo, hi] to include v. */
static void
extend(double *lo, double *hi, bool *any, double v)
{
    if (!ob_chart_present(v))
        return;
    v = ob_chart_clamp(v);
    if (!*any || v < *lo)
        *lo = v;
    if (!*any || v > *hi)
        *hi = v;
    *any = true;
}

/* The values' span: stacked bars span their sums, bars include zero. */
static void
value_span(const struct ob_chart *c, double *lo, double *hi)
{
    bool any = false;
    size_t i, s;

    for (i = 0; i < c->n; i++) {
        double up = 0, down = 0;

        for (s = 0; s < c->n_series; s++) {
            double v = c->series[s].values[i];

            if (c->kind != OB_CHART_STACKED)
                extend(lo, hi, &any, v);
            else if (ob_chart_present(v))
                *(v >= 0 ? &up : &down) += ob_chart_clamp(v);
        }
        if (c->kind == OB_CHART_STACKED) {
            extend(lo, hi, &any, up);
            extend(lo, hi, &any, down);
        }
        if (c->target)
            extend(lo, hi, &any, c->target[i]);
    }
    if (c->kind == OB_CHART_BAR || c->kind == OB_CHART_STACKED || !any)
        extend(lo, hi, &any, 0);
}

/* A step of 1, 2 or 5 times a power of ten near span / 5. */
static double
nice_step(double span)
{
    double raw = span / 5, mag = pow(10, floor(log10(raw))), m = raw / mag;

    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * mag;
}

/* The decimals a tick label needs to tell ticks `step` apart. */
static int
tick_decimals(const struct ob_numfmt *fmt, double step)
{
    int k = (int)floor(log10(step) + 1e-9);
    int d = fmt->format == OB_FMT_PERCENT ? -(k + 2) : -k;

    if (fmt->format == OB_FMT_DURATION || d < 0)
        return 0;
    return d > 6 ? 6 : d;
}

static void
value_axis(struct frame *f)
{
    double lo = 0, hi = 0;

    value_span(f->c, &lo, &hi);
    if (hi == lo) {
        double pad = lo == 0 ? 1 : fabs(lo) * 0.1;

        /* all values equal: centre them, unless zero is a floor */
        hi += pad;
        if (lo != 0 || f->c->kind == OB_CHART_LINE)
            lo -= pad;
    }
    f->step = nice_step(hi - lo);
    f->lo = floor(lo / f->step) * f->step;
    f->hi = ceil(hi / f->step) * f->step;
    if (f->hi <= f->lo)
        f->hi = f->lo + f->step;
    f->ticks = f->c->fmt;
    f->ticks.decimals = tick_decimals(&f->c->fmt, f->step);
}

static size_t
tick_count(const struct frame *f)
{
    double n = floor((f->hi - f->lo) / f->step + 0.5) + 1;

    return n > 50 ? 50 : (size_t)n;
}

static void
tick_label(struct frame *f, size_t t)
{
    ob_buf_reset(&f->ch->scratch);
    ob_numfmt_value(&f->ch->scratch, &f->ticks, f->lo + (double)t * f->step);
}

static double
tick_label_width(struct frame *f)
{
    double widest = 0, w, h;
    size_t t;

    for (t = 0; t < tick_count(f); t++) {
        tick_label(f, t);
        ob_text_measure(f->ch, f->ch->scratch.ptr, &label_style, &w, &h);
        if (w > widest)
            widest = w;
    }
    return widest;
}

/* ---- title, legend ------------------------------------------------------- */

enum swatch { SWATCH_LINE, SWATCH_BOX, SWATCH_DASH, SWATCH_NONE };

struct legend_item {
    const char *text;
    const struct ob_rgb *rgb;
    enum swatch swatch;
};

#define SWATCH_W      16.0
#define LEGEND_NAME_W 160.0

static size_t
legend_items(const struct frame *f, struct legend_item *items, size_t max)
{
    const struct ob_chart *c = f->c;
    size_t n = 0, s;
    enum swatch sw = c->kind == OB_CHART_LINE ? SWATCH_LINE : SWATCH_BOX;

    if (c->n_series > 1)
        for (s = 0; s < c->n_series && n + 2 < max; s++)
            items[n++] =
                (struct legend_item){c->series[s].name ? c->series[s].name : "",
                                     series_colour(f, s), sw};
    if (c->target)
        items[n++] = (struct legend_item){ob_chart_word(c, OB_WORD_TARGET),
                                          &f->pal->target, SWATCH_DASH};
    if (c->more)
        items[n++] = (struct legend_item){c->more, &f->pal->muted, SWATCH_NONE};
    return n;
}

static void
draw_swatch(const struct frame *f, const struct legend_item *it, double x,
            double y)
{
    cairo_t *cr = f->cr;

    colour(cr, it->rgb, 1);
    switch (it->swatch) {
    case SWATCH_BOX:
        cairo_rectangle(cr, x + 3, y - 5, 10, 10);
        cairo_fill(cr);
        break;
    case SWATCH_DASH:
    case SWATCH_LINE:
        if (it->swatch == SWATCH_DASH)
            cairo_set_dash(cr, (const double[]){4, 3}, 2, 0);
        cairo_set_line_width(cr, LINE_WIDTH);
        cairo_move_to(cr, x, y);
        cairo_line_to(cr, x + SWATCH_W, y);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        break;
    case SWATCH_NONE:
        break;
    }
}

/* Lays the legend out left to right, wrapping; draws it when `draw`.
 * Returns its height. */
static double
legend(struct frame *f, double top, bool draw)
{
    struct legend_item items[OB_CHART_COLOURS * 4];
    struct ob_text_style st = {LEGEND_SIZE, OB_TEXT_REGULAR, OB_LEFT, OB_MIDDLE,
                               LEGEND_NAME_W};
    size_t n = legend_items(f, items, sizeof items / sizeof *items), i;
    double x = PAD, row_h = LEGEND_SIZE + 6, y = top + row_h / 2, tw, th;

    if (!n)
        return 0;
    for (i = 0; i < n; i++) {
        double sw = items[i].swatch == SWATCH_NONE ? 0 : SWATCH_W + 5;

        ob_text_measure(f->ch, items[i].text, &st, &tw, &th);
        if (x > PAD && x + sw + tw > f->w - PAD) {
            x = PAD;
            y += row_h;
        }
        if (draw) {
            draw_swatch(f, &items[i], x, y);
            colour(f->cr, &f->pal->fg, 1);
            ob_text_draw(f->ch, f->cr, items[i].text, x + sw, y, &st);
        }
        x += sw + tw + 14;
    }
    return y + row_h / 2 - top;
}

static double
title(struct frame *f, bool draw)
{
    struct ob_text_style st = {TITLE_SIZE, OB_TEXT_BOLD, OB_LEFT, OB_TOP,
                               f->w - 2 * PAD};
    double w, h;

    if (!f->c->title || !*f->c->title)
        return 0;
    if (draw) {
        colour(f->cr, &f->pal->fg, 1);
        ob_text_draw(f->ch, f->cr, f->c->title, PAD, PAD, &st);
    }
    ob_text_measure(f->ch, f->c->title, &st, &w, &h);
    return h + 6;
}

/* ---- axes ------------------------------------------------------------- */

/* Every k-th x label fits; the latest is always labelled. */
static size_t
x_label_every(struct frame *f)
{
    double widest = 0, w, h;
    size_t i, k;

    for (i = 0; i < f->c->n; i++) {
        ob_text_measure(f->ch, f->c->labels[i], &label_style, &w, &h);
        if (w > widest)
            widest = w;
    }
    k = (size_t)ceil((widest + 10) / band(f));
    return k ? k : 1;
}

/* Each label centred under its x but kept inside the chart, from the
 * latest back; one that would touch its right neighbour is left out. */
static void
x_labels(struct frame *f)
{
    size_t i, every = x_label_every(f);
    double w, h, x, right_neighbour = f->w + 6; /* the latest always fits */

    colour(f->cr, &f->pal->muted, 1);
    for (i = f->c->n; i-- > 0;) {
        if ((f->c->n - 1 - i) % every)
            continue;
        ob_text_measure(f->ch, f->c->labels[i], &label_style, &w, &h);
        x = fmax(fmin(x_of(f, i) - w / 2, f->w - 2 - w), 2);
        if (x + w + 6 > right_neighbour)
            continue;
        ob_text_draw(f->ch, f->cr, f->c->labels[i], x, f->y1 + 5, &label_style);
        right_neighbour = x;
    }
}

static void
grid_and_ticks(struct frame *f)
{
    struct ob_text_style st = label_style;
    size_t t;

    st.h = OB_RIGHT;
    st.v = OB_MIDDLE;
    cairo_set_line_width(f->cr, 1);
    for (t = 0; t < tick_count(f); t++) {
        double v = f->lo + (double)t * f->step, y = round(y_of(f, v)) + 0.5;

        colour(f->cr, v == 0 ? &f->pal->muted : &f->pal->grid, 1);
        cairo_move_to(f->cr, f->x0, y);
        cairo_line_to(f->cr, f->x1, y);
        cairo_stroke(f->cr);
        tick_label(f, t);
        colour(f->cr, &f->pal->muted, 1);
        ob_text_draw(f->ch, f->cr, f->ch->scratch.ptr, f->x0 - 6, y, &st);
    }
}

/* ---- series ----------------------------------------------------------- */

static bool
has_value(const struct ob_chart *c, size_t s, size_t i)
{
    return i < c->n && ob_chart_present(c->series[s].values[i]);
}

static void
dot(cairo_t *cr, double x, double y, double r, bool hollow)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, r, 0, 2 * M_PI);
    if (hollow) {
        cairo_set_line_width(cr, 1.5);
        cairo_stroke(cr);
    } else {
        cairo_fill(cr);
    }
}

/* The period in progress: a dashed segment to a hollow point. */
static void
partial_end(struct frame *f, size_t s, size_t last)
{
    const struct ob_chart *c = f->c;
    cairo_t *cr = f->cr;

    if (has_value(c, s, last - 1)) {
        cairo_set_dash(cr, (const double[]){4, 3}, 2, 0);
        cairo_move_to(cr, x_of(f, last - 1), y_of(f, value_at(c, s, last - 1)));
        cairo_line_to(cr, x_of(f, last), y_of(f, value_at(c, s, last)));
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    dot(cr, x_of(f, last), y_of(f, value_at(c, s, last)), 3, true);
}

/* One series as a line: gaps where values are missing, a lone value as a
 * dot, the period in progress dashed with a hollow end. */
static void
line_series(struct frame *f, size_t s)
{
    const struct ob_chart *c = f->c;
    cairo_t *cr = f->cr;
    size_t i, solid = c->partial_last && c->n > 1 ? c->n - 1 : c->n;
    bool pen = false;

    cairo_save(cr);
    colour(cr, series_colour(f, s), 1);
    cairo_set_line_width(cr, LINE_WIDTH);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (i = 0; i < solid; i++) {
        if (!has_value(c, s, i)) {
            pen = false;
            continue;
        }
        if (pen)
            cairo_line_to(cr, x_of(f, i), y_of(f, value_at(c, s, i)));
        else
            cairo_move_to(cr, x_of(f, i), y_of(f, value_at(c, s, i)));
        pen = true;
    }
    cairo_stroke(cr);
    for (i = 0; i < solid; i++)
        if (has_value(c, s, i) && (!i || !has_value(c, s, i - 1)) &&
            (i + 1 >= solid || !has_value(c, s, i + 1)))
            dot(cr, x_of(f, i), y_of(f, value_at(c, s, i)), 2.5, false);
    if (solid < c->n && has_value(c, s, solid))
        partial_end(f, s, solid);
    cairo_restore(cr);
}

/* A bar from `from` to `to`; the period in progress paler. */
static void
bar(struct frame *f, size_t i, double x, double w, double from, double to,
    const struct ob_rgb *rgb)
{
    double ya = y_of(f, from), yb = y_of(f, to);

    colour(f->cr, rgb, f->c->partial_last && i + 1 == f->c->n ? 0.45 : 1);
    cairo_rectangle(f->cr, x, fmin(ya, yb), w, fabs(ya - yb));
    cairo_fill(f->cr);
}

static void
grouped_bars(struct frame *f)
{
    const struct ob_chart *c = f->c;
    double inner = band(f) * 0.8, w = inner / (double)c->n_series;
    size_t i, s;

    for (i = 0; i < c->n; i++)
        for (s = 0; s < c->n_series; s++)
            if (has_value(c, s, i))
                bar(f, i, x_of(f, i) - inner / 2 + (double)s * w, w, 0,
                    value_at(c, s, i), series_colour(f, s));
}

static void
stacked_bars(struct frame *f)
{
    const struct ob_chart *c = f->c;
    double w = band(f) * 0.8;
    size_t i, s;

    for (i = 0; i < c->n; i++) {
        double up = 0, down = 0;

        for (s = 0; s < c->n_series; s++) {
            double v, *base;

            if (!has_value(c, s, i))
                continue;
            v = value_at(c, s, i);
            base = v >= 0 ? &up : &down;
            bar(f, i, x_of(f, i) - w / 2, w, *base, *base + v,
                series_colour(f, s));
            *base += v;
        }
    }
}

/* True when every target value present is the same. */
static bool
constant_target(const struct ob_chart *c, double *value)
{
    bool any = false;
    size_t i;

    for (i = 0; i < c->n; i++) {
        if (!ob_chart_present(c->target[i]))
            return false;
        if (any && c->target[i] != *value)
            return false;
        *value = ob_chart_clamp(c->target[i]);
        any = true;
    }
    return any;
}

/* The target: a dashed line, or a step line when it changes over time. */
static void
target_line(struct frame *f)
{
    const struct ob_chart *c = f->c;
    cairo_t *cr = f->cr;
    double v = 0, b = band(f);
    size_t i;

    colour(cr, &f->pal->target, 1);
    cairo_set_line_width(cr, 1.5);
    cairo_set_dash(cr, (const double[]){6, 4}, 2, 0);
    if (constant_target(c, &v)) {
        cairo_move_to(cr, f->x0, y_of(f, v));
        cairo_line_to(cr, f->x1, y_of(f, v));
    } else {
        for (i = 0; i < c->n; i++) {
            double left = x_of(f, i) - b / 2, t;

            if (!ob_chart_present(c->target[i]))
                continue;
            t = ob_chart_clamp(c->target[i]);
            if (i && ob_chart_present(c->target[i - 1]))
                cairo_line_to(cr, left, y_of(f, t));
            else
                cairo_move_to(cr, left, y_of(f, t));
            cairo_line_to(cr, left + b, y_of(f, t));
        }
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

/* Annotation labels go in this many rows under the plot's top. */
#define MARKER_ROWS 3

/* A label placed: its row and its span across the chart. */
struct label_span {
    double x0, x1;
    unsigned row;
};

/* Whether the label from x0 to x1 in `row` meets a placed one, or (with
 * `rules`) another annotation's rule. */
static bool
label_meets(const struct frame *f, const struct label_span *placed,
            size_t n_placed, const double *rule_x, size_t self, double x0,
            double x1, unsigned row, bool rules)
{
    size_t i;

    for (i = 0; i < n_placed; i++)
        if (placed[i].row == row && x0 < placed[i].x1 + 4 &&
            placed[i].x0 < x1 + 4)
            return true;
    for (i = 0; rules && i < f->c->n_markers; i++)
        if (i != self && rule_x[i] >= 0 && rule_x[i] > x0 - 3 &&
            rule_x[i] < x1 + 3)
            return true;
    return false;
}

/* Where a label `w` wide goes for the rule at x: the first row, and side,
 * where it meets no other label and no other rule; else the first row
 * where it meets no label; else a row by turns. Beside the rule on its
 * right; on its left when that is nearer the edge or clear of the rules. */
static struct label_span
place_label(const struct frame *f, const struct label_span *placed,
            size_t n_placed, const double *rule_x, size_t self, double w)
{
    double x = rule_x[self];
    struct label_span s = {x + 4, x + 4 + w, (unsigned)(self % 2)};
    bool right_fits = x + 4 + w <= f->w - 2, left_fits = x - 4 - w >= f->x0;
    int pass;
    unsigned row;

    if (!right_fits)
        s = (struct label_span){x - 4 - w, x - 4, s.row};
    for (pass = 0; pass < 2; pass++)
        for (row = 0; row < MARKER_ROWS; row++) {
            if (right_fits && !label_meets(f, placed, n_placed, rule_x, self,
                                           x + 4, x + 4 + w, row, pass == 0))
                return (struct label_span){x + 4, x + 4 + w, row};
            if (left_fits && !label_meets(f, placed, n_placed, rule_x, self,
                                          x - 4 - w, x - 4, row, pass == 0))
                return (struct label_span){x - 4 - w, x - 4, row};
        }
    return s;
}

/* Annotations: a dotted rule with a small flag, and a label placed clear
 * of the others (place_label()) on a patch of the background, so that a
 * line under it does not strike it through. */
static void
markers(struct frame *f)
{
    struct ob_text_style st = {LABEL_SIZE - 1, OB_TEXT_REGULAR, OB_LEFT, OB_TOP,
                               110};
    cairo_t *cr = f->cr;
    size_t n = f->c->n_markers, n_placed = 0, m;
    double *rule_x = ob_xcalloc(n + 1, sizeof(*rule_x));
    struct label_span *placed = ob_xcalloc(n + 1, sizeof(*placed));

    for (m = 0; m < n; m++) {
        const struct ob_chart_marker *mk = &f->c->markers[m];
        double x;

        rule_x[m] = -1;
        if (mk->x >= f->c->n)
            continue;
        x = rule_x[m] = round(x_of(f, mk->x)) + 0.5;
        colour(cr, &f->pal->muted, 1);
        cairo_set_line_width(cr, 1);
        cairo_set_dash(cr, (const double[]){2, 3}, 2, 0);
        cairo_move_to(cr, x, f->y0);
        cairo_line_to(cr, x, f->y1);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        cairo_move_to(cr, x - 4, f->y0);
        cairo_line_to(cr, x + 4, f->y0);
        cairo_line_to(cr, x, f->y0 + 5);
        cairo_close_path(cr);
        cairo_fill(cr);
    }
    for (m = 0; m < n; m++) {
        const char *label = f->c->markers[m].label;
        struct label_span s;
        double y, w, h;

        if (rule_x[m] < 0 || !label || !*label)
            continue;
        ob_text_measure(f->ch, label, &st, &w, &h);
        s = place_label(f, placed, n_placed, rule_x, m, w);
        placed[n_placed++] = s;
        y = f->y0 + 2 + s.row * (LABEL_SIZE + 3);
        colour(cr, &f->pal->bg, 0.85);
        rounded_rect(cr, s.x0 - 2, y - 1, s.x1 - s.x0 + 4, h + 2, 2);
        cairo_fill(cr);
        colour(cr, &f->pal->fg, 1);
        ob_text_draw(f->ch, cr, label, s.x0, y, &st);
    }
    free(rule_x);
    free(placed);
}

static bool
any_value(const struct ob_chart *c)
{
    size_t i, s;

    for (s = 0; s < c->n_series; s++)
        for (i = 0; i < c->n; i++)
            if (ob_chart_present(c->series[s].values[i]))
                return true;
    return false;
}

static void
no_data(struct frame *f, double top)
{
    struct ob_text_style st = {LEGEND_SIZE, OB_TEXT_REGULAR, OB_CENTER,
                               OB_MIDDLE, 0};

    colour(f->cr, &f->pal->grid, 1);
    cairo_set_line_width(f->cr, 1);
    cairo_move_to(f->cr, PAD, f->h - PAD - 0.5);
    cairo_line_to(f->cr, f->w - PAD, f->h - PAD - 0.5);
    cairo_stroke(f->cr);
    colour(f->cr, &f->pal->muted, 1);
    ob_text_draw(f->ch, f->cr, ob_chart_word(f->c, OB_WORD_NO_DATA), f->w / 2,
                 (top + f->h) / 2, &st);
}

/* Where the plot goes below the title and legend, and what its value
 * axis spans. False when there is no plot: no data, or no room. */
static bool
plot_layout(struct frame *f)
{
    double top = PAD + title(f, false), tw;

    top += legend(f, top, false);
    f->top = top;
    if (!f->c->n || !any_value(f->c))
        return false;
    value_axis(f);
    tw = tick_label_width(f);
    if (tw > f->w * 0.4)
        tw = f->w * 0.4;
    f->x0 = PAD + tw + 8;
    f->x1 = f->w - PAD;
    f->y0 = top + 6;
    f->y1 = f->h - PAD - LABEL_SIZE - 8;
    return f->y1 - f->y0 >= 10 && f->x1 - f->x0 >= 10;
}

/* Line, bar and stacked charts: title, legend, axes, the data. */
static void
time_chart(struct frame *f)
{
    bool plot = plot_layout(f);

    title(f, true);
    legend(f, PAD + title(f, false), true);
    if (!f->c->n || !any_value(f->c)) {
        no_data(f, f->top);
        return;
    }
    if (!plot)
        return; /* too small to draw a plot in */
    grid_and_ticks(f);
    x_labels(f);
    if (f->c->kind == OB_CHART_LINE) {
        size_t s;

        for (s = f->c->n_series; s-- > 0;)
            line_series(f, s);
    } else if (f->c->kind == OB_CHART_BAR) {
        grouped_bars(f);
    } else {
        stacked_bars(f);
    }
    if (f->c->target)
        target_line(f);
    markers(f);
}

/* ---- small charts ------------------------------------------------------ */

/* The first series as a bare line over its own range, for a table cell
 * or a card: no text, the latest value marked. */
static void
sparkline(struct frame *f)
{
    const struct ob_chart *c = f->c;
    double lo = 0, hi = 0;
    bool any = false;
    size_t i;

    for (i = 0; c->n_series && i < c->n; i++)
        extend(&lo, &hi, &any, c->series[0].values[i]);
    f->x0 = 3, f->x1 = f->w - 3, f->y0 = 3, f->y1 = f->h - 3;
    if (!any) {
        colour(f->cr, &f->pal->grid, 1);
        cairo_set_line_width(f->cr, 1);
        cairo_move_to(f->cr, f->x0, f->h / 2);
        cairo_line_to(f->cr, f->x1, f->h / 2);
        cairo_stroke(f->cr);
        return;
    }
    if (hi == lo)
        lo -= 1, hi += 1;
    f->lo = lo, f->hi = hi;
    line_series(f, 0);
    for (i = c->n; i-- > 0;)
        if (has_value(c, 0, i)) {
            if (!(c->partial_last && i + 1 == c->n))
                dot(f->cr, x_of(f, i), y_of(f, value_at(c, 0, i)), 2, false);
            break;
        }
}

static double
share(double v)
{
    return !ob_chart_present(v) || v < 0 ? 0 : v > 1 ? 1 : v;
}

/* A track filled to `progress` in the bar's tone, a rule at `expected`,
 * and the bar's words beside it. */
static void
progress(struct frame *f)
{
    const struct ob_chart *c = f->c;
    struct ob_text_style st = {LEGEND_SIZE, OB_TEXT_REGULAR, OB_LEFT, OB_MIDDLE,
                               f->w * 0.45};
    double tw = 0, th, track_w, mid = f->h / 2, x;

    if (c->bar.label && *c->bar.label)
        ob_text_measure(f->ch, c->bar.label, &st, &tw, &th);
    track_w = f->w - 2 * PAD - (tw > 0 ? tw + 8 : 0);
    if (track_w < 10)
        track_w = 10;
    colour(f->cr, &f->pal->grid, 1);
    rounded_rect(f->cr, PAD, mid - 5, track_w, 10, 5);
    cairo_fill(f->cr);
    if (share(c->progress) > 0) {
        colour(f->cr, &f->pal->tone[c->bar.tone], 1);
        rounded_rect(f->cr, PAD, mid - 5, track_w * share(c->progress), 10, 5);
        cairo_fill(f->cr);
    }
    x = round(PAD + track_w * share(c->expected)) + 0.5;
    colour(f->cr, &f->pal->fg, 1);
    cairo_set_line_width(f->cr, 2);
    cairo_move_to(f->cr, x, mid - 9);
    cairo_line_to(f->cr, x, mid + 9);
    cairo_stroke(f->cr);
    if (tw > 0)
        ob_text_draw(f->ch, f->cr, c->bar.label, PAD + track_w + 8, mid, &st);
}

/* Segments side by side in proportion to their values, a labelled key
 * beneath: "3 on track", with the colour as a second signal only. */
static void
strip(struct frame *f)
{
    const struct ob_chart *c = f->c;
    struct ob_text_style st = {LABEL_SIZE, OB_TEXT_REGULAR, OB_LEFT, OB_MIDDLE,
                               200};
    double total = 0, x = PAD, span = f->w - 2 * PAD, tw, th;
    size_t i;

    for (i = 0; i < c->n_segments; i++)
        if (ob_chart_present(c->segments[i].value) && c->segments[i].value > 0)
            total += c->segments[i].value;
    colour(f->cr, &f->pal->grid, 1);
    rounded_rect(f->cr, PAD, 4, span, 14, 3);
    cairo_fill(f->cr);
    for (i = 0; total > 0 && i < c->n_segments; i++) {
        double v = c->segments[i].value, w;

        if (!ob_chart_present(v) || v <= 0)
            continue;
        w = span * v / total;
        colour(f->cr, &f->pal->tone[c->segments[i].tone], 1);
        cairo_rectangle(f->cr, x, 4, w > 1.5 ? w - 1 : w, 14);
        cairo_fill(f->cr);
        x += w;
    }
    for (i = 0, x = PAD; i < c->n_segments; i++) {
        const char *label = c->segments[i].label ? c->segments[i].label : "";

        colour(f->cr, &f->pal->tone[c->segments[i].tone], 1);
        cairo_rectangle(f->cr, x, 26, 10, 10);
        cairo_fill(f->cr);
        colour(f->cr, &f->pal->fg, 1);
        ob_text_measure(f->ch, label, &st, &tw, &th);
        ob_text_draw(f->ch, f->cr, label, x + 14, 31, &st);
        x += 14 + tw + 14;
    }
}

void
ob_chart_draw(struct ob_charter *ch, cairo_t *cr, const struct ob_chart *c,
              int width, int height, enum ob_chart_theme theme)
{
    struct frame f;

    memset(&f, 0, sizeof f);
    f.ch = ch, f.cr = cr, f.c = c, f.pal = ob_palette_of(theme);
    f.w = width, f.h = height;
    switch (c->kind) {
    case OB_CHART_SPARKLINE:
        sparkline(&f);
        break;
    case OB_CHART_PROGRESS:
        progress(&f);
        break;
    case OB_CHART_STRIP:
        strip(&f);
        break;
    default:
        time_chart(&f);
        break;
    }
}

void
ob_chart_geometry(struct ob_charter *ch, const struct ob_chart *c, int width,
                  int height, struct ob_chart_geometry *g)
{
    struct frame f;

    memset(&f, 0, sizeof f);
    f.ch = ch, f.c = c, f.pal = ob_palette_of(OB_THEME_LIGHT);
    f.w = width, f.h = height;
    g->plot = plot_layout(&f);
    g->x0 = f.x0, g->y0 = f.y0, g->x1 = f.x1, g->y1 = f.y1;
    g->lo = f.lo, g->hi = f.hi, g->step = f.step;
}
