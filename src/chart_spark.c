/* chart_spark.c: a sparkline as SVG markup inside a page: no fonts, no
 * ids, its colour from the page's CSS, so one element serves both themes
 * and a page of cards asks for no files. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/chart.h"

#include <stdbool.h>

#include "chart_int.h"

#define INSET 3.0 /* room for the end dot */

struct spark {
    const struct ob_chart *c;
    double w, h, lo, hi;
};

static bool
has(const struct ob_chart *c, size_t i)
{
    return c->n_series && i < c->n && ob_chart_present(c->series[0].values[i]);
}

static double
x_at(const struct spark *s, size_t i)
{
    return INSET + (i + 0.5) * (s->w - 2 * INSET) / (double)s->c->n;
}

static double
y_at(const struct spark *s, size_t i)
{
    double v = ob_chart_clamp(s->c->series[0].values[i]);

    return s->h - INSET - (v - s->lo) / (s->hi - s->lo) * (s->h - 2 * INSET);
}

/* The range of the values; false when there is none. */
static bool
range(struct spark *s)
{
    bool any = false;
    size_t i;

    for (i = 0; i < s->c->n; i++) {
        double v;

        if (!has(s->c, i))
            continue;
        v = ob_chart_clamp(s->c->series[0].values[i]);
        if (!any || v < s->lo)
            s->lo = v;
        if (!any || v > s->hi)
            s->hi = v;
        any = true;
    }
    if (any && s->hi == s->lo)
        s->lo -= 1, s->hi += 1;
    return any;
}

/* The complete periods as one path, lifting the pen over gaps; a lone
 * point between gaps gets a dot, as on the drawn charts. */
static void
solid_path(const struct spark *s, size_t solid, struct ob_buf *out)
{
    bool pen = false;
    size_t i;

    ob_buf_puts(out, "<path class=\"spark-line\" d=\"");
    for (i = 0; i < solid; i++) {
        if (!has(s->c, i)) {
            pen = false;
            continue;
        }
        ob_buf_printf(out, "%s%.1f %.1f", pen ? "L" : "M", x_at(s, i),
                      y_at(s, i));
        pen = true;
    }
    ob_buf_puts(out, "\"/>");
    for (i = 0; i < solid; i++)
        if (has(s->c, i) && (!i || !has(s->c, i - 1)) &&
            (i + 1 >= solid || !has(s->c, i + 1)))
            ob_buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\"/>",
                          x_at(s, i), y_at(s, i));
}

/* The period in progress: dashed from the last complete value, hollow. */
static void
partial_end(const struct spark *s, size_t last, struct ob_buf *out)
{
    size_t i = last;

    while (i-- > 0 && !has(s->c, i))
        ;
    if (i < last)
        ob_buf_printf(out,
                      "<path class=\"spark-partial\" d=\"M%.1f %.1fL%.1f "
                      "%.1f\"/>",
                      x_at(s, i), y_at(s, i), x_at(s, last), y_at(s, last));
    ob_buf_printf(out,
                  "<circle class=\"spark-open\" cx=\"%.1f\" cy=\"%.1f\" "
                  "r=\"2.5\"/>",
                  x_at(s, last), y_at(s, last));
}

void
ob_chart_sparkline_svg(const struct ob_chart *c, struct ob_buf *out)
{
    struct spark s = {c, c->width, c->height, 0, 0};
    size_t solid = c->partial_last && c->n > 1 ? c->n - 1 : c->n, i;
    struct ob_buf alt = OB_BUF_INIT;
    int w, h;

    ob_chart_default_size(OB_CHART_SPARKLINE, &w, &h);
    if (s.w <= 0)
        s.w = w;
    if (s.h <= 0)
        s.h = h;
    ob_chart_alt(c, &alt);
    ob_buf_printf(out,
                  "<svg class=\"spark\" viewBox=\"0 0 %g %g\" width=\"%g\" "
                  "height=\"%g\" role=\"img\" aria-label=\"",
                  s.w, s.h, s.w, s.h);
    ob_buf_add_html(out, alt.ptr, alt.len);
    ob_buf_puts(out, "\">");
    if (!range(&s)) {
        ob_buf_printf(out, "<path class=\"spark-none\" d=\"M%.1f %.1fH%.1f\"/>",
                      INSET, s.h / 2, s.w - INSET);
    } else {
        solid_path(&s, solid, out);
        if (solid < c->n && has(c, solid)) {
            partial_end(&s, solid, out);
        } else {
            for (i = solid; i-- > 0;)
                if (has(c, i))
                    break;
            if (i < solid)
                ob_buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\"/>",
                              x_at(&s, i), y_at(&s, i));
        }
    }
    ob_buf_puts(out, "</svg>");
    ob_buf_release(&alt);
}
