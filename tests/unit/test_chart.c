/* test_chart.c: unit tests for charts: SVG structure, pixels at computed
 * places, reproducible bytes, alt text, data tables, degenerate data, and
 * KPI charts with folded groups and time-varying targets. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/chart.h"

#include <cairo.h>
#include <dlfcn.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/chart_int.h"
#include "opsbook/arena.h"
#include "opsbook/buf.h"
#include "opsbook/date.h"
#include "opsbook/kpichart.h"
#include "runner.h"

#define N 52

static struct ob_charter *charter;
static struct ob_diag diag;

static const char *week_labels[N];
static char week_text[N][16];
static double wau[N], pro[N], target[N];

static void
setup(void)
{
    size_t i;
    double level = 1200;

    for (i = 0; i < N; i++) {
        snprintf(week_text[i], sizeof week_text[i], "2026-W%02zu", i + 1);
        week_labels[i] = week_text[i];
        level *= 1 + 0.01 + 0.05 * sin((double)i * 1.7);
        wau[i] = round(level);
        pro[i] = round(level * 0.4);
        target[i] = 1500;
    }
}

static struct ob_chart
line_chart(void)
{
    static struct ob_chart_series s[2];
    struct ob_chart c;

    memset(&c, 0, sizeof c);
    s[0] = (struct ob_chart_series){"All plans", wau};
    s[1] = (struct ob_chart_series){"Pro", pro};
    c.kind = OB_CHART_LINE;
    c.title = "Weekly active users";
    c.labels = week_labels;
    c.n = N;
    c.series = s;
    c.n_series = 2;
    c.target = target;
    c.fmt.format = OB_FMT_INTEGER;
    c.fmt.decimals = -1;
    return c;
}

static char *
svg_of(const struct ob_chart *c, enum ob_chart_theme theme)
{
    struct ob_buf b = OB_BUF_INIT;

    OB_CHECK_INT(ob_chart_svg(charter, c, theme, &b, &diag), OB_OK);
    return ob_buf_detach(&b, NULL);
}

static size_t
count(const char *hay, const char *needle)
{
    size_t n = 0;
    const char *p = hay;

    while ((p = strstr(p, needle))) {
        n++;
        p += strlen(needle);
    }
    return n;
}

/* The number of stroked paths in `svg` with this style fragment and line
 * width. */
static size_t
strokes(const char *svg, const char *width, const char *fragment)
{
    size_t n = 0;
    const char *p = svg;

    while ((p = strstr(p, "<path style=\"fill:none;"))) {
        const char *end = strchr(p, '>');
        char style[512];
        size_t len = (size_t)(end - p);

        if (len >= sizeof style)
            len = sizeof style - 1;
        memcpy(style, p, len);
        style[len] = '\0';
        if (strstr(style, width) && strstr(style, fragment))
            n++;
        p = end;
    }
    return n;
}

static void
test_svg_structure(void)
{
    struct ob_chart c = line_chart();
    char *svg = svg_of(&c, OB_THEME_LIGHT);
    const struct ob_palette *pal = ob_palette_of(OB_THEME_LIGHT);

    OB_CHECK(!strncmp(svg, "<?xml", 5));
    OB_CHECK(strstr(svg, "<svg ") != NULL);
    OB_CHECK(strstr(svg, "width=\"720px\" height=\"320px\"") != NULL);
    OB_CHECK(strstr(svg, "role=\"img\">\n<title>Weekly active users, "
                         "2026-W01 to 2026-W52: ") != NULL);
    OB_CHECK_INT(count(svg, "</svg>"), 1);
    /* one line per series (2 px, round joins), in its palette colour, and
     * one legend swatch each */
    /* #0072b2, the light theme's first series, as cairo writes it */
    OB_CHECK(pal->series[0].r == 0);
    OB_CHECK(strokes(svg, "stroke-width:2;",
                     "stroke:rgb(0%,44.705882%,69.803922%)") == 2);
    OB_CHECK_INT(strokes(svg, "stroke-width:2;", "stroke-linejoin:round;"), 2);
    /* the target: one dashed line 1.5 px wide, and its legend swatch */
    OB_CHECK_INT(strokes(svg, "stroke-width:1.5;", "stroke-dasharray:6,4;"), 1);
    OB_CHECK_INT(strokes(svg, "stroke-width:2;", "stroke-dasharray:4,3;"), 1);
    /* no partial period: no dashed series segment */
    OB_CHECK_INT(strokes(svg, "linejoin:round;", "stroke-dasharray:4,3;"), 0);
    free(svg);

    /* the period in progress adds one dashed segment per series */
    c.partial_last = true;
    svg = svg_of(&c, OB_THEME_LIGHT);
    OB_CHECK_INT(strokes(svg, "linejoin:round;", "stroke-dasharray:4,3;"), 2);
    OB_CHECK(strstr(svg, "; 2026-W52 in progress.</title>") != NULL);
    free(svg);

    /* one series, no target: no legend, one line */
    c.n_series = 1;
    c.target = NULL;
    c.partial_last = false;
    svg = svg_of(&c, OB_THEME_LIGHT);
    OB_CHECK_INT(strokes(svg, "stroke-width:2;", "linejoin:round;"), 1);
    OB_CHECK_INT(strokes(svg, "stroke-width:2;", "linejoin:miter;"), 0);
    OB_CHECK_INT(count(svg, "dasharray"), 0);
    free(svg);
}

static void
test_svg_dark(void)
{
    struct ob_chart c = line_chart();
    char *light = svg_of(&c, OB_THEME_LIGHT), *dark = svg_of(&c, OB_THEME_DARK);

    /* the dark theme's first series is sky blue, its text near white */
    OB_CHECK(strcmp(light, dark) != 0);
    OB_CHECK(strstr(dark, "stroke:rgb(33.72549%,70.588235%,91.372549%)"));
    OB_CHECK(strstr(light, "stroke:rgb(33.72549%,70.588235%,91.372549%)") ==
             NULL);
    OB_CHECK(strstr(dark, "fill:rgb(90.196078%,92.941176%,95.294118%)"));
    free(light);
    free(dark);
}

/* ---- pixels ------------------------------------------------------------ */

struct png_reader {
    const char *p;
    size_t left;
};

static cairo_status_t
read_png(void *closure, unsigned char *data, unsigned int length)
{
    struct png_reader *r = closure;

    if (length > r->left)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->p, length);
    r->p += length;
    r->left -= length;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *
png_of(const struct ob_chart *c, enum ob_chart_theme theme, double scale)
{
    struct ob_buf b = OB_BUF_INIT;
    struct png_reader r;
    cairo_surface_t *s;

    OB_CHECK_INT(ob_chart_png(charter, c, theme, scale, &b, &diag), OB_OK);
    OB_CHECK(b.len > 8 && !memcmp(b.ptr, "\x89PNG", 4));
    r.p = b.ptr;
    r.left = b.len;
    s = cairo_image_surface_create_from_png_stream(read_png, &r);
    OB_CHECK_INT(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    ob_buf_release(&b);
    return s;
}

/* The pixel at (x, y) in CSS pixels, as 0xRRGGBB (PNGs are opaque). */
static unsigned long
pixel(cairo_surface_t *s, double scale, double x, double y)
{
    const unsigned char *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    int px = (int)floor(x * scale), py = (int)floor(y * scale);
    uint32_t v;

    if (px < 0 || py < 0 || px >= cairo_image_surface_get_width(s) ||
        py >= cairo_image_surface_get_height(s))
        return 0xffffffffUL;
    memcpy(&v, data + (size_t)py * (size_t)stride + (size_t)px * 4, 4);
    return v & 0xffffff;
}

static unsigned long
hex(const struct ob_rgb *c)
{
    return (unsigned long)lround(c->r * 255) << 16 |
           (unsigned long)lround(c->g * 255) << 8 |
           (unsigned long)lround(c->b * 255);
}

static double
y_at(const struct ob_chart_geometry *g, double v)
{
    return g->y1 - (v - g->lo) / (g->hi - g->lo) * (g->y1 - g->y0);
}

static void
test_png_pixels(void)
{
    struct ob_chart c = line_chart();
    const struct ob_palette *pal = ob_palette_of(OB_THEME_LIGHT);
    struct ob_chart_geometry g;
    cairo_surface_t *s;
    double scale = 2, x, y;
    int w, h;

    c.n_series = 1;
    ob_chart_default_size(c.kind, &w, &h);
    s = png_of(&c, OB_THEME_LIGHT, scale);
    OB_CHECK_INT(cairo_image_surface_get_width(s), 1440);
    OB_CHECK_INT(cairo_image_surface_get_height(s), 640);
    ob_chart_geometry(charter, &c, w, h, &g);
    OB_CHECK(g.plot);
    /* the target line's colour where its first dash starts, at its y */
    y = y_at(&g, 1500);
    OB_CHECK_INT(pixel(s, scale, g.x0 + 2, y), hex(&pal->target));
    /* and the background just above and below the dash */
    OB_CHECK_INT(pixel(s, scale, g.x0 + 2, y - 3), hex(&pal->bg));
    OB_CHECK_INT(pixel(s, scale, g.x0 + 2, y + 3), hex(&pal->bg));
    /* the series passes through its sixth point (a round join, solid
     * within 1 px of it) in its colour */
    x = g.x0 + 5.5 * (g.x1 - g.x0) / N;
    OB_CHECK_INT(pixel(s, scale, x, y_at(&g, wau[5])), hex(&pal->series[0]));
    OB_CHECK_INT(pixel(s, scale, x, y_at(&g, wau[5]) + 6), hex(&pal->bg));
    /* the top-left corner is the theme's background */
    OB_CHECK_INT(pixel(s, scale, 1, 1), hex(&pal->bg));
    cairo_surface_destroy(s);

    s = png_of(&c, OB_THEME_DARK, 1);
    OB_CHECK_INT(pixel(s, 1, 1, 1), hex(&ob_palette_of(OB_THEME_DARK)->bg));
    OB_CHECK_INT(pixel(s, 1, g.x0 + 2, y_at(&g, 1500)),
                 hex(&ob_palette_of(OB_THEME_DARK)->target));
    cairo_surface_destroy(s);
}

/* Bars: the zero line is inside the axis and a bar's top at its value. */
static void
test_bar_pixels(void)
{
    static const double v[4] = {30, -10, 20, 45};
    static const char *const labels[4] = {"Q1", "Q2", "Q3", "Q4"};
    struct ob_chart_series s = {"Tickets", v};
    struct ob_chart c;
    struct ob_chart_geometry g;
    cairo_surface_t *img;
    double band, x;
    int w, h;

    memset(&c, 0, sizeof c);
    c.kind = OB_CHART_BAR;
    c.labels = labels;
    c.n = 4;
    c.series = &s;
    c.n_series = 1;
    c.fmt.format = OB_FMT_INTEGER;
    c.fmt.decimals = -1;
    ob_chart_default_size(c.kind, &w, &h);
    ob_chart_geometry(charter, &c, w, h, &g);
    /* -10..45 spans 55: ticks of 20 from -20 to 60 */
    OB_CHECK_NUM(g.lo, -20);
    OB_CHECK_NUM(g.hi, 60);
    OB_CHECK_NUM(g.step, 20);
    img = png_of(&c, OB_THEME_LIGHT, 1);
    band = (g.x1 - g.x0) / 4;
    x = g.x0 + 3.5 * band;
    /* inside the last bar, just under its top; above it, background */
    OB_CHECK_INT(pixel(img, 1, x, y_at(&g, 45) + 2),
                 hex(&ob_palette_of(OB_THEME_LIGHT)->series[0]));
    OB_CHECK_INT(pixel(img, 1, x, y_at(&g, 45) - 3),
                 hex(&ob_palette_of(OB_THEME_LIGHT)->bg));
    /* the negative bar hangs below zero */
    x = g.x0 + 1.5 * band;
    OB_CHECK_INT(pixel(img, 1, x, y_at(&g, -5)),
                 hex(&ob_palette_of(OB_THEME_LIGHT)->series[0]));
    OB_CHECK_INT(pixel(img, 1, x, y_at(&g, 5)),
                 hex(&ob_palette_of(OB_THEME_LIGHT)->bg));
    cairo_surface_destroy(img);
}

static void
test_progress_pixels(void)
{
    struct ob_chart c;
    cairo_surface_t *img;
    const struct ob_palette *pal = ob_palette_of(OB_THEME_LIGHT);

    memset(&c, 0, sizeof c);
    c.kind = OB_CHART_PROGRESS;
    c.subject = "Ship SSO";
    c.progress = 0.25;
    c.expected = 0.75;
    c.bar = (struct ob_chart_segment){"25% \xC2\xB7 off track", 0, OB_TONE_BAD};
    img = png_of(&c, OB_THEME_LIGHT, 1);
    /* filled in the bad tone near the start, track colour past 25% */
    OB_CHECK_INT(pixel(img, 1, 20, 14), hex(&pal->tone[OB_TONE_BAD]));
    OB_CHECK_INT(pixel(img, 1, 150, 14), hex(&pal->grid));
    cairo_surface_destroy(img);
}

/* ---- reproducible bytes ------------------------------------------------ */

static void
test_reproducible(void)
{
    struct ob_chart c = line_chart(), other = line_chart();
    struct ob_buf alone = OB_BUF_INIT, after = OB_BUF_INIT;
    struct ob_buf png_alone = OB_BUF_INIT, png_after = OB_BUF_INIT;
    struct ob_charter *fresh = ob_charter_new(NULL, &diag);
    double shifted[N];
    int i, k;

    OB_CHECK(fresh != NULL);
    OB_CHECK_INT(ob_chart_svg(fresh, &c, OB_THEME_LIGHT, &alone, &diag), OB_OK);
    OB_CHECK_INT(ob_chart_png(fresh, &c, OB_THEME_LIGHT, 2, &png_alone, &diag),
                 OB_OK);
    ob_charter_free(fresh);
    /* 50 other charts first, of every kind, in the shared charter */
    for (k = 0; k < 50; k++) {
        struct ob_buf junk = OB_BUF_INIT;

        for (i = 0; i < N; i++)
            shifted[i] = wau[i] * (1 + k);
        other.series = &(struct ob_chart_series){"x", shifted};
        other.n_series = 1;
        other.kind = (enum ob_chart_kind)(k % 6);
        other.title = k % 2 ? "Été, ČSSR, Ελλάδα, Россия" : "Other";
        ob_chart_svg(charter, &other, (enum ob_chart_theme)(k % 2), &junk,
                     &diag);
        ob_chart_png(charter, &other, OB_THEME_LIGHT, 1, &junk, &diag);
        ob_buf_release(&junk);
    }
    OB_CHECK_INT(ob_chart_svg(charter, &c, OB_THEME_LIGHT, &after, &diag),
                 OB_OK);
    OB_CHECK_INT(
        ob_chart_png(charter, &c, OB_THEME_LIGHT, 2, &png_after, &diag), OB_OK);
    OB_CHECK(alone.len == after.len &&
             !memcmp(alone.ptr, after.ptr, alone.len));
    OB_CHECK(png_alone.len == png_after.len &&
             !memcmp(png_alone.ptr, png_after.ptr, png_alone.len));
    /* cairo's counted ids come out renumbered from 1 */
    OB_CHECK(strstr(after.ptr, "id=\"surface1\"") != NULL);
    ob_buf_release(&alone);
    ob_buf_release(&after);
    ob_buf_release(&png_alone);
    ob_buf_release(&png_after);
}

/* ---- words ----------------------------------------------------------------
 */

static const char *
alt_of(const struct ob_chart *c)
{
    static struct ob_buf b = OB_BUF_INIT;

    ob_buf_reset(&b);
    ob_chart_alt(c, &b);
    return b.ptr;
}

static void
test_alt_text(void)
{
    static const double v[4] = {1204, NAN, 1480.4, 1530};
    static const double t[4] = {1500, 1500, 1500, 1500};
    static const char *const labels[4] = {"2026-W42", "2026-W43", "2026-W44",
                                          "2026-W45"};
    struct ob_chart_series s[2] = {{"Free", v}, {"Pro", t}};
    struct ob_chart c;
    struct ob_chart_segment seg[2] = {{"3 on track", 3, OB_TONE_GOOD},
                                      {"1 at risk", 1, OB_TONE_WARN}};

    memset(&c, 0, sizeof c);
    c.kind = OB_CHART_LINE;
    c.subject = "Weekly active users";
    c.labels = labels;
    c.n = 4;
    c.series = s;
    c.n_series = 1;
    c.fmt.format = OB_FMT_INTEGER;
    c.fmt.decimals = -1;
    OB_CHECK_STR(alt_of(&c), "Weekly active users, 2026-W42 to 2026-W45: "
                             "1,204 to 1,530.");
    c.target = t;
    OB_CHECK_STR(alt_of(&c), "Weekly active users, 2026-W42 to 2026-W45: "
                             "1,204 to 1,530; latest 1,530 against a target "
                             "of 1,500.");
    /* the period in progress is told apart from the complete ones */
    c.partial_last = true;
    OB_CHECK_STR(alt_of(&c), "Weekly active users, 2026-W42 to 2026-W44: "
                             "1,204 to 1,480; latest 1,480 against a target "
                             "of 1,500; 2026-W45 in progress: 1,530.");
    c.fmt.language = OB_LANG_FR;
    OB_CHECK_STR(alt_of(&c),
                 "Weekly active users, 2026-W42 \xC3\xA0 2026-W44 : "
                 "1\xE2\x80\xAF"
                 "204 \xC3\xA0 1\xE2\x80\xAF"
                 "480 ; derni\xC3\xA8re valeur 1\xE2\x80\xAF"
                 "480 pour un objectif de 1\xE2\x80\xAF"
                 "500 ; 2026-W45 en cours : 1\xE2\x80\xAF"
                 "530.");
    /* markers are told too */
    c.fmt.language = OB_LANG_EN;
    c.markers = (const struct ob_chart_marker[]){
        {1, "Release 4.2"}, {3, "Outage"}, {9, "beyond the chart"}};
    c.n_markers = 3;
    OB_CHECK_STR(alt_of(&c), "Weekly active users, 2026-W42 to 2026-W44: "
                             "1,204 to 1,480; latest 1,480 against a target "
                             "of 1,500; 2026-W45 in progress: 1,530; marked: "
                             "Release 4.2 (2026-W43), Outage (2026-W45).");
    c.n_markers = 0;
    /* one period, one value */
    c.fmt.language = OB_LANG_EN;
    c.partial_last = false;
    c.n = 1;
    OB_CHECK_STR(alt_of(&c), "Weekly active users, 2026-W42: 1,204; latest "
                             "1,204 against a target of 1,500.");
    c.n = 4;
    c.fmt.language = OB_LANG_EN;
    c.partial_last = false;
    c.target = NULL;
    c.n_series = 2;
    OB_CHECK_STR(alt_of(&c), "Weekly active users, 2026-W42 to 2026-W45: "
                             "Free 1,204 to 1,530, Pro 1,500 to 1,500.");
    c.n = 0;
    OB_CHECK_STR(alt_of(&c), "Weekly active users: no data.");
    c.kind = OB_CHART_STRIP;
    c.subject = "Q4 key results";
    c.segments = seg;
    c.n_segments = 2;
    OB_CHECK_STR(alt_of(&c), "Q4 key results: 3 on track, 1 at risk.");
    c.kind = OB_CHART_PROGRESS;
    c.subject = "Ship SSO";
    c.bar = (struct ob_chart_segment){"62% done, on track", 0, OB_TONE_GOOD};
    c.expected = 0.48;
    OB_CHECK_STR(alt_of(&c), "Ship SSO: 62% done, on track (expected: 48%).");
}

/* The x extent and the top and bottom of a path's points. */
static void
path_extent(const char *d, double *x0, double *x1, double *y0, double *y1)
{
    double v[2];
    int k = 0;
    char *end;

    *x0 = *y0 = 1e9;
    *x1 = *y1 = -1e9;
    while (*d) {
        if (strchr("MLCZ ", *d)) {
            d++;
            continue;
        }
        v[k] = strtod(d, &end);
        if (end == d)
            break;
        d = end;
        if (++k < 2)
            continue;
        k = 0;
        *x0 = v[0] < *x0 ? v[0] : *x0;
        *x1 = v[0] > *x1 ? v[0] : *x1;
        *y0 = v[1] < *y0 ? v[1] : *y0;
        *y1 = v[1] > *y1 ? v[1] : *y1;
    }
}

/* Audit of issue 11: annotation labels sit on a patch of background,
 * clear of each other and of the other annotations' rules (two close
 * ones used to run into each other). */
static void
test_marker_labels(void)
{
    static const struct ob_chart_marker mk[] = {
        {20, "Reports 2.0"}, {24, "EU outage (4 h)"}, {40, "Pricing"}};
    struct ob_chart c = line_chart();
    double rule[3], box[3][4];
    size_t n_rules = 0, n_boxes = 0, i, j;
    char *svg;
    const char *p;

    c.markers = mk;
    c.n_markers = 3;
    svg = svg_of(&c, OB_THEME_LIGHT);
    for (p = svg; (p = strstr(p, "<path style=\"")); p++) {
        const char *end = strchr(p, '>'), *d = strstr(p, " d=\"");
        double e[4];

        if (!d || d > end)
            continue;
        path_extent(d + 4, &e[0], &e[1], &e[2], &e[3]);
        if (strstr(p, "stroke-dasharray:2,3") &&
            strstr(p, "stroke-dasharray:2,3") < end && n_rules < 3)
            rule[n_rules++] = e[0];
        else if (strstr(p, "fill-opacity:0.85") &&
                 strstr(p, "fill-opacity:0.85") < end && n_boxes < 3)
            memcpy(box[n_boxes++], e, sizeof e);
    }
    OB_CHECK_INT(n_rules, 3);
    OB_CHECK_INT(n_boxes, 3);
    for (i = 0; i < n_boxes; i++) {
        for (j = 0; j < n_rules; j++)
            OB_CHECK(rule[j] <= box[i][0] || rule[j] >= box[i][1]);
        for (j = 0; j < i; j++)
            OB_CHECK(box[i][1] <= box[j][0] || box[j][1] <= box[i][0] ||
                     box[i][3] <= box[j][2] || box[j][3] <= box[i][2]);
    }
    free(svg);
}

static void
test_table_html(void)
{
    static const double v[2] = {0.482, NAN};
    static const double t[2] = {0.5, 0.5};
    static const char *const labels[2] = {"Nov 2026", "<Dec> 2026"};
    struct ob_chart_series s = {"", v};
    struct ob_chart c;
    struct ob_buf b = OB_BUF_INIT;

    memset(&c, 0, sizeof c);
    c.kind = OB_CHART_LINE;
    c.subject = "Activation & retention";
    c.labels = labels;
    c.n = 2;
    c.series = &s;
    c.n_series = 1;
    c.target = t;
    c.fmt.format = OB_FMT_PERCENT;
    c.fmt.decimals = -1;
    ob_chart_table_html(&c, &b);
    OB_CHECK_STR(b.ptr, "<table class=\"chart-data\">\n"
                        "<caption>Activation &amp; retention</caption>\n"
                        "<thead><tr><th scope=\"col\">Period</th>"
                        "<th scope=\"col\">Activation &amp; retention</th>"
                        "<th scope=\"col\">Target</th></tr></thead>\n<tbody>\n"
                        "<tr><th scope=\"row\">Nov 2026</th><td>48.2%</td>"
                        "<td>50.0%</td></tr>\n"
                        "<tr><th scope=\"row\">&lt;Dec&gt; 2026</th><td></td>"
                        "<td>50.0%</td></tr>\n"
                        "</tbody>\n</table>\n");
    ob_buf_release(&b);
}

/* ---- degenerate data ------------------------------------------------------
 */

static void
check_draws(const struct ob_chart *c, const char *what)
{
    struct ob_buf b = OB_BUF_INIT;
    enum ob_chart_kind k;
    int theme;

    for (k = OB_CHART_LINE; k <= OB_CHART_SPARKLINE; k++) {
        struct ob_chart kc = *c;

        kc.kind = k;
        for (theme = 0; theme < 2; theme++) {
            ob_buf_reset(&b);
            if (ob_chart_svg(charter, &kc, (enum ob_chart_theme)theme, &b,
                             &diag) != OB_OK ||
                !strstr(b.ptr, "</svg>")) {
                fprintf(stderr, "%s: kind %d did not draw\n", what, (int)k);
                OB_CHECK(false);
            }
            ob_buf_reset(&b);
            OB_CHECK_INT(ob_chart_png(charter, &kc, (enum ob_chart_theme)theme,
                                      1, &b, &diag),
                         OB_OK);
        }
    }
    ob_buf_release(&b);
}

static void
test_degenerate(void)
{
    static double one[1] = {42}, same[N], neg[N], huge[N], none[N];
    static double many_v[200][4];
    static struct ob_chart_series many[200];
    static const char *const labels4[4] = {"a", "b", "c", "d"};
    struct ob_chart c = line_chart();
    struct ob_chart_series s = {"x", one};
    struct ob_chart_geometry g;
    size_t i;
    int w, h;

    ob_chart_default_size(OB_CHART_LINE, &w, &h);
    for (i = 0; i < N; i++) {
        same[i] = 7;
        neg[i] = -1000.0 * (double)i;
        huge[i] = 1e12 * (1 + (double)i / N);
        none[i] = NAN;
    }
    c.series = &s;
    c.n_series = 1;
    c.target = NULL;
    c.n = 0;
    check_draws(&c, "no points");
    ob_chart_geometry(charter, &c, w, h, &g);
    OB_CHECK(!g.plot);

    c.n = 1;
    check_draws(&c, "one point");
    ob_chart_geometry(charter, &c, w, h, &g);
    OB_CHECK(g.plot && g.lo < 42 && g.hi > 42);

    c.n = N;
    s.values = same;
    check_draws(&c, "all equal");
    ob_chart_geometry(charter, &c, w, h, &g);
    OB_CHECK(g.plot && g.lo < 7 && g.hi > 7);

    s.values = neg;
    check_draws(&c, "negatives");
    ob_chart_geometry(charter, &c, w, h, &g);
    OB_CHECK(g.lo <= -51000 && g.hi >= 0);

    s.values = huge;
    check_draws(&c, "1e12");
    ob_chart_geometry(charter, &c, w, h, &g);
    OB_CHECK(g.plot && g.hi >= 1e12 * (1 + 51.0 / N));

    s.values = none;
    check_draws(&c, "all missing");
    ob_chart_geometry(charter, &c, w, h, &g);
    OB_CHECK(!g.plot);

    /* 200 series: drawn, colours cycle */
    for (i = 0; i < 200; i++) {
        many_v[i][0] = (double)i;
        many_v[i][1] = NAN;
        many_v[i][2] = (double)i * 2;
        many_v[i][3] = -(double)i;
        many[i] =
            (struct ob_chart_series){"a group with a long name", many_v[i]};
    }
    c.series = many;
    c.n_series = 200;
    c.labels = labels4;
    c.n = 4;
    check_draws(&c, "200 series");

    /* infinities and values beyond the axis limit are drawn, not crashed */
    huge[3] = INFINITY;
    huge[4] = -1e308;
    huge[5] = 1e308;
    c.series = &s;
    c.n_series = 1;
    c.labels = week_labels;
    c.n = N;
    s.values = huge;
    check_draws(&c, "extremes");

    /* a tiny chart has no room for a plot and still draws */
    c.width = 30;
    c.height = 20;
    check_draws(&c, "tiny");
}

static void
test_nice_ticks(void)
{
    static const double v[3] = {13, 87, 51};
    static const char *const labels[3] = {"a", "b", "c"};
    struct ob_chart_series s = {"x", v};
    struct ob_chart c;
    struct ob_chart_geometry g;
    double m;
    int w, h;

    memset(&c, 0, sizeof c);
    c.kind = OB_CHART_BAR;
    c.labels = labels;
    c.n = 3;
    c.series = &s;
    c.n_series = 1;
    ob_chart_default_size(c.kind, &w, &h);
    ob_chart_geometry(charter, &c, w, h, &g);
    OB_CHECK_NUM(g.lo, 0); /* bars start at zero */
    OB_CHECK_NUM(g.step, 20);
    OB_CHECK_NUM(g.hi, 100);
    c.kind = OB_CHART_LINE;
    ob_chart_geometry(charter, &c, w, h, &g);
    OB_CHECK_NUM(g.step, 20);
    OB_CHECK_NUM(g.lo, 0);
    OB_CHECK_NUM(g.hi, 100);
    /* every step is 1, 2 or 5 times a power of ten */
    m = g.step / pow(10, floor(log10(g.step)));
    OB_CHECK(fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9);
}

/* ---- KPI charts ------------------------------------------------------------
 */

static struct ob_kpi_def kdef;

/* A `by` KPI over `groups` groups and 4 weeks, group g worth g + 1 in
 * every week. */
static struct ob_kpi
fake_kpi(size_t groups, enum ob_measure m, struct ob_arena *a)
{
    struct ob_kpi k;
    size_t g, p, n = 0;
    const char **names = ob_arena_calloc(a, groups, sizeof *names);
    int32_t first = ob_date_from_civil(2026, 10, 26); /* a Monday */

    memset(&k, 0, sizeof k);
    memset(&kdef, 0, sizeof kdef);
    kdef.id = "signups";
    kdef.title = "Signups by plan";
    k.def = &kdef;
    k.measure = m;
    k.count_like = m == OB_MEASURE_COUNT;
    k.cal.grain = OB_GRAIN_WEEK;
    k.cal.fiscal_year_start = 1;
    k.fmt.format = OB_FMT_INTEGER;
    k.fmt.decimals = -1;
    for (g = 0; g < groups; g++)
        names[g] = ob_arena_printf(a, "plan-%03zu", g);
    k.groups = names;
    k.n_groups = groups;
    k.points = ob_arena_calloc(a, groups * 4, sizeof *k.points);
    for (p = 0; p < 4; p++)
        for (g = 0; g < groups; g++)
            k.points[n++] = (struct ob_point){first + 7 * (int32_t)p,
                                              (uint32_t)g, (double)g + 1};
    k.n_points = n;
    k.current_period = first + 14;
    k.previous_period = first + 7;
    k.has_partial_period = true;
    k.partial_period = first + 21;
    k.ok = true;
    return k;
}

static void
test_kpi_chart_groups(void)
{
    struct ob_arena a;
    struct ob_kpi k;
    struct ob_chart c;
    struct ob_kpi_chart_opts o = {.target = true};
    size_t i;

    ob_arena_init(&a);
    k = fake_kpi(200, OB_MEASURE_COUNT, &a);
    ob_kpi_chart(&c, &k, &o, OB_LANG_EN, &a);
    OB_CHECK_INT(c.kind, OB_CHART_STACKED);
    OB_CHECK_INT(c.n, 4);
    OB_CHECK_STR(c.labels[0], "2026-W44");
    OB_CHECK_STR(c.labels[3], "2026-W47");
    OB_CHECK(c.partial_last);
    OB_CHECK_INT(c.n_series, OB_KPI_CHART_GROUPS + 1);
    /* the heaviest groups first, then "Other" with the rest's sum */
    OB_CHECK_STR(c.series[0].name, "plan-199");
    OB_CHECK_STR(c.series[6].name, "plan-193");
    OB_CHECK_STR(c.series[7].name, "Other");
    OB_CHECK(c.other_last);
    /* groups 0..192 are worth 1..193: their sum */
    OB_CHECK_NUM(c.series[7].values[0], 193.0 * 194 / 2);
    OB_CHECK(c.target == NULL);
    check_draws(&c, "200 groups");

    /* an average does not add up: the rest are left out, with a note */
    k = fake_kpi(20, OB_MEASURE_AVG, &a);
    ob_kpi_chart(&c, &k, &o, OB_LANG_FR, &a);
    OB_CHECK_INT(c.kind, OB_CHART_LINE);
    OB_CHECK_INT(c.n_series, OB_KPI_CHART_GROUPS);
    OB_CHECK_STR(c.more, "+13 autres groupes");
    OB_CHECK(!c.other_last);

    /* eight groups fit: all shown, nothing folded */
    k = fake_kpi(8, OB_MEASURE_COUNT, &a);
    ob_kpi_chart(&c, &k, &o, OB_LANG_EN, &a);
    OB_CHECK_INT(c.n_series, 8);
    OB_CHECK(c.more == NULL && !c.other_last);

    /* one group asked for; an unknown one has no data */
    o.group = "plan-003";
    ob_kpi_chart(&c, &k, &o, OB_LANG_EN, &a);
    OB_CHECK_INT(c.n_series, 1);
    OB_CHECK_INT(c.kind, OB_CHART_LINE);
    for (i = 0; i < c.n; i++)
        OB_CHECK_NUM(c.series[0].values[i], 4);
    o.group = "nope";
    ob_kpi_chart(&c, &k, &o, OB_LANG_EN, &a);
    OB_CHECK_INT(c.n_series, 1);
    OB_CHECK(isnan(c.series[0].values[0]));

    /* periods: only the last two */
    o.group = NULL;
    o.periods = 2;
    ob_kpi_chart(&c, &k, &o, OB_LANG_EN, &a);
    OB_CHECK_INT(c.n, 2);
    OB_CHECK_STR(c.labels[0], "2026-W46");
    ob_arena_release(&a);
}

static void
test_kpi_chart_target_steps(void)
{
    struct ob_arena a;
    struct ob_kpi k;
    struct ob_chart c;
    struct ob_kpi_chart_opts o = {.target = true};
    struct ob_target_step steps[2];

    ob_arena_init(&a);
    k = fake_kpi(1, OB_MEASURE_SUM, &a);
    /* from the week of Nov 2 on: 10; from Nov 16 on: 20 */
    steps[0] =
        (struct ob_target_step){ob_date_from_civil(2026, 11, 2), 10, {0}};
    steps[1] =
        (struct ob_target_step){ob_date_from_civil(2026, 11, 16), 20, {0}};
    kdef.target.kind = OB_TARGET_STEPS;
    kdef.target.steps = steps;
    kdef.target.n_steps = 2;
    ob_kpi_chart(&c, &k, &o, OB_LANG_EN, &a);
    OB_CHECK(c.target != NULL);
    OB_CHECK(isnan(c.target[0])); /* W44 ends Nov 1: no step yet */
    OB_CHECK_NUM(c.target[1], 10);
    OB_CHECK_NUM(c.target[2], 10); /* W46 ends Nov 15 */
    OB_CHECK_NUM(c.target[3], 20);
    o.target = false;
    ob_kpi_chart(&c, &k, &o, OB_LANG_EN, &a);
    OB_CHECK(c.target == NULL);
    ob_arena_release(&a);
}

/* Issue 8: a target per group ({GROUP: number}) is drawn on a chart of
 * that group, whose title and alt text name it; a chart of every group
 * cannot draw several targets, but steps (the same for every group) it
 * can. */
static void
test_kpi_chart_group_targets(void)
{
    struct ob_arena a;
    struct ob_kpi k;
    struct ob_chart c;
    struct ob_kpi_chart_opts o = {.target = true};
    struct ob_group_target map[2] = {{"plan-001", 4, {0}},
                                     {"plan-002", 2, {0}}};
    struct ob_target_step step = {ob_date_from_civil(2026, 1, 1), 3, {0}};
    struct ob_buf alt = OB_BUF_INIT;
    size_t i;

    ob_arena_init(&a);
    k = fake_kpi(3, OB_MEASURE_AVG, &a);
    kdef.by.name = "plan";
    kdef.target.kind = OB_TARGET_BY_GROUP;
    kdef.target.groups = map;
    kdef.target.n_groups = 2;
    ob_kpi_chart(&c, &k, &o, OB_LANG_EN, &a);
    OB_CHECK_INT(c.kind, OB_CHART_LINE);
    OB_CHECK_INT(c.n_series, 3);
    OB_CHECK(c.target == NULL);
    OB_CHECK_STR(c.title, "Signups by plan");

    o.group = "plan-001";
    ob_kpi_chart(&c, &k, &o, OB_LANG_EN, &a);
    OB_CHECK_INT(c.n_series, 1);
    OB_CHECK(c.target != NULL);
    for (i = 0; c.target && i < c.n; i++)
        OB_CHECK_NUM(c.target[i], 4);
    OB_CHECK_STR(c.title, "Signups by plan \xC2\xB7 plan-001");
    OB_CHECK_STR(c.subject, "Signups by plan, plan-001");
    ob_chart_alt(&c, &alt);
    OB_CHECK_STR(alt.ptr, "Signups by plan, plan-001, 2026-W44 to 2026-W46: "
                          "2 to 2; latest 2 against a target of 4; "
                          "2026-W47 in progress: 2.");
    check_draws(&c, "one group against its target");
    /* target: false leaves it out; a group the map leaves out has none */
    o.target = false;
    ob_kpi_chart(&c, &k, &o, OB_LANG_EN, &a);
    OB_CHECK(c.target == NULL);
    o.target = true;
    o.group = "plan-000";
    ob_kpi_chart(&c, &k, &o, OB_LANG_EN, &a);
    OB_CHECK(c.target == NULL);

    /* steps apply to every group alike: one line over all of them */
    o.group = NULL;
    kdef.target.kind = OB_TARGET_STEPS;
    kdef.target.steps = &step;
    kdef.target.n_steps = 1;
    ob_kpi_chart(&c, &k, &o, OB_LANG_EN, &a);
    OB_CHECK_INT(c.n_series, 3);
    OB_CHECK(c.target != NULL && c.target[0] == 3);
    /* but never over stacked totals */
    o.kind_given = true;
    o.kind = OB_CHART_STACKED;
    ob_kpi_chart(&c, &k, &o, OB_LANG_EN, &a);
    OB_CHECK(c.target == NULL);
    ob_buf_release(&alt);
    ob_arena_release(&a);
}

static void
test_kpi_chart_markers(void)
{
    struct ob_arena a;
    struct ob_kpi k;
    struct ob_chart c;
    struct ob_name only_other = {"churn", {0}}, only_this = {"signups", {0}};
    struct ob_annotation notes[5];
    struct ob_kpi_chart_opts o = {.target = true};

    ob_arena_init(&a);
    k = fake_kpi(1, OB_MEASURE_COUNT, &a);
    memset(notes, 0, sizeof notes);
    /* the window is W44 (Oct 26) to W47 (Nov 16-22) */
    notes[0] = (struct ob_annotation){
        ob_date_from_civil(2026, 11, 18), "Release 5", NULL, 0, {0}};
    notes[1] = (struct ob_annotation){
        ob_date_from_civil(2026, 10, 27), "Pricing change", &only_this, 1, {0}};
    notes[2] = (struct ob_annotation){
        ob_date_from_civil(2026, 11, 3), "Churn note", &only_other, 1, {0}};
    notes[3] = (struct ob_annotation){
        ob_date_from_civil(2026, 10, 25), "Before the window", NULL, 0, {0}};
    notes[4] = (struct ob_annotation){ob_date_from_civil(2026, 11, 22),
                                      "Same week, later in file",
                                      NULL,
                                      0,
                                      {0}};
    o.notes = notes;
    o.n_notes = 5;
    ob_kpi_chart(&c, &k, &o, OB_LANG_EN, &a);
    OB_CHECK_INT(c.n_markers, 3);
    OB_CHECK_INT(c.markers[0].x, 0);
    OB_CHECK_STR(c.markers[0].label, "Pricing change");
    OB_CHECK_INT(c.markers[1].x, 3);
    OB_CHECK_STR(c.markers[1].label, "Release 5");
    OB_CHECK_INT(c.markers[2].x, 3);
    OB_CHECK_STR(c.markers[2].label, "Same week, later in file");
    ob_arena_release(&a);
}

static void
test_period_labels(void)
{
    struct ob_calendar cal = {OB_GRAIN_MONTH, 1};
    struct ob_buf b = OB_BUF_INIT;

    ob_numfmt_period(&b, &cal, ob_date_from_civil(2026, 11, 1), OB_LANG_EN);
    OB_CHECK_STR(b.ptr, "Nov 2026");
    ob_buf_reset(&b);
    ob_numfmt_period(&b, &cal, ob_date_from_civil(2026, 2, 1), OB_LANG_FR);
    OB_CHECK_STR(b.ptr, "f\xC3\xA9vr. 2026");
    ob_buf_reset(&b);
    cal.grain = OB_GRAIN_QUARTER;
    ob_numfmt_period(&b, &cal, ob_date_from_civil(2026, 10, 1), OB_LANG_EN);
    OB_CHECK_STR(b.ptr, "2026-Q4");
    ob_buf_reset(&b);
    cal.grain = OB_GRAIN_WEEK;
    ob_numfmt_period(&b, &cal, ob_date_from_civil(2026, 11, 2), OB_LANG_EN);
    OB_CHECK_STR(b.ptr, "2026-W45");
    ob_buf_release(&b);
}

/* The pinned font has every glyph of accented Latin, Greek, Cyrillic,
 * Arabic and Hebrew text; CJK falls back to boxes (documented). */
static void
test_scripts(void)
{
    struct ob_text_style st = {12, OB_TEXT_REGULAR, OB_LEFT, OB_TOP, 0};
    double w, h;

    ob_text_measure(charter,
                    "R\xC3\xA9vision \xC3\xA9t\xC3\xA9 \xC5\x92uvre "
                    "\xCE\x95\xCE\xBB\xCE\xBB\xCE\xAC\xCE\xB4\xCE\xB1 "
                    "\xD0\xA0\xD0\xBE\xD1\x81\xD1\x81\xD0\xB8\xD1\x8F "
                    "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85 "
                    "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D",
                    &st, &w, &h);
    OB_CHECK(w > 100);
    OB_CHECK_INT(pango_layout_get_unknown_glyphs_count(charter->layout), 0);
    ob_text_measure(charter, "\xE6\x97\xA5\xE6\x9C\xAC", &st, &w, &h);
    OB_CHECK(pango_layout_get_unknown_glyphs_count(charter->layout) > 0);
}

/* A label too long for its room ends in an ellipsis, within the room. */
static void
test_ellipsis(void)
{
    struct ob_text_style st = {12, OB_TEXT_REGULAR, OB_LEFT, OB_TOP, 80};
    double w, h;

    ob_text_measure(charter, "A very long group name that cannot fit", &st, &w,
                    &h);
    OB_CHECK(w <= 80);
    OB_CHECK(pango_layout_is_ellipsized(charter->layout));
}

/* A batch on four threads gives each job the bytes one charter gives it;
 * missing fonts are reported once, every job failing. */
static void
test_batch(void)
{
    struct ob_chart c = line_chart(), bars = line_chart();
    struct ob_chart_job jobs[24];
    struct ob_diag d;
    size_t i;
    bool same = true;

    bars.kind = OB_CHART_STACKED;
    memset(jobs, 0, sizeof jobs);
    for (i = 0; i < 24; i++) {
        jobs[i].chart = i % 3 ? &c : &bars;
        jobs[i].theme = (enum ob_chart_theme)(i % 2);
        jobs[i].png_scale = i % 4 == 3 ? 2 : 0;
    }
    ob_diag_init(&d, 10);
    OB_CHECK_INT(ob_chart_draw_all(jobs, 24, 4, NULL, &d), OB_OK);
    for (i = 0; i < 24; i++) {
        struct ob_buf one = OB_BUF_INIT;

        if (jobs[i].png_scale > 0)
            ob_chart_png(charter, jobs[i].chart, jobs[i].theme, 2, &one, &diag);
        else
            ob_chart_svg(charter, jobs[i].chart, jobs[i].theme, &one, &diag);
        if (one.len != jobs[i].out.len ||
            memcmp(one.ptr, jobs[i].out.ptr, one.len))
            same = false;
        OB_CHECK_INT(jobs[i].err, OB_OK);
        ob_buf_release(&one);
        ob_buf_release(&jobs[i].out);
    }
    OB_CHECK(same);
    OB_CHECK(!ob_diag_failed(&d));

    memset(jobs, 0, sizeof jobs);
    for (i = 0; i < 5; i++)
        jobs[i].chart = &c;
    OB_CHECK_INT(ob_chart_draw_all(jobs, 5, 2, "/nonexistent-font-dir", &d),
                 OB_ERR_ENV);
    OB_CHECK_INT(d.errors, 1);
    for (i = 0; i < 5; i++) {
        OB_CHECK_INT(jobs[i].err, OB_ERR_ENV);
        OB_CHECK_INT(jobs[i].out.len, 0);
    }
    ob_diag_release(&d);
}

static void
test_missing_font(void)
{
    struct ob_diag d;

    ob_diag_init(&d, 10);
    OB_CHECK(ob_charter_new("/nonexistent-font-dir", &d) == NULL);
    OB_CHECK(ob_diag_failed(&d));
    OB_CHECK(strstr(d.entries[0].message, "fonts-dejavu-core") != NULL);
    ob_diag_release(&d);
}

/* The host's fontconfig setup is never loaded: the setup current in the
 * process (which pango's warm-up thread would otherwise fill with the
 * host's configuration and fonts, fonts-dejavu-core among them) holds no
 * font once a charter exists. fontconfig is opened by the charter, with
 * its symbols kept local: they are looked up in it here. */
static void
test_host_fonts_out(void)
{
    void *fc = dlopen("libfontconfig.so.1", RTLD_NOW | RTLD_NOLOAD);
    FcConfig *(*get_current)(void);
    FcFontSet *(*get_fonts)(FcConfig *, FcSetName);
    FcFontSet *fonts;

    OB_CHECK(fc != NULL);
    if (!fc)
        return;
    *(void **)&get_current = dlsym(fc, "FcConfigGetCurrent");
    *(void **)&get_fonts = dlsym(fc, "FcConfigGetFonts");
    OB_CHECK(get_current && get_fonts);
    if (get_current && get_fonts) {
        fonts = get_fonts(get_current(), FcSetSystem);
        OB_CHECK(!fonts || fonts->nfont == 0);
    }
    dlclose(fc);
}

static char *
inline_spark(const double *v, size_t n, bool partial)
{
    static const char *labels[] = {"a", "b", "c", "d", "e", "f"};
    struct ob_chart_series series = {"s", v};
    struct ob_chart c;
    struct ob_buf b = OB_BUF_INIT;

    memset(&c, 0, sizeof c);
    c.kind = OB_CHART_SPARKLINE;
    c.subject = "Spark <&>";
    c.labels = labels;
    c.n = n;
    c.series = &series;
    c.n_series = 1;
    c.partial_last = partial;
    c.fmt.format = OB_FMT_INTEGER;
    c.fmt.decimals = -1;
    ob_chart_sparkline_svg(&c, &b);
    return ob_buf_detach(&b, NULL);
}

/* The inline sparkline: the geometry of the drawn one (x at the middle of
 * each band, 3 px inset), gaps lift the pen, a lone point is a dot, the
 * period in progress is dashed to a hollow point, no data is a flat rule;
 * the alt text escaped; never an id or a colour of its own. */
/* ob_chart_key(): the same chart, built twice, the same key; any change
 * to what is drawn, another key (a build keeps a chart's files by it). */
static void
test_chart_key(void)
{
    static const char *other_labels[N];
    static double values[N], other_target[N];
    struct ob_chart_marker mark = {3, "Launch"};
    struct ob_chart a = line_chart(), b = line_chart();
    uint64_t key = ob_chart_key(&a);
    size_t i;

    for (i = 0; i < N; i++) {
        other_labels[i] = week_labels[i];
        values[i] = wau[i];
        other_target[i] = target[i];
    }
    OB_CHECK(key == ob_chart_key(&b));
    b.labels = other_labels; /* equal text elsewhere: the same chart */
    b.target = other_target;
    OB_CHECK(key == ob_chart_key(&b));

#define DIFFERS(change)                                                        \
    do {                                                                       \
        struct ob_chart c = line_chart();                                      \
        change;                                                                \
        OB_CHECK(key != ob_chart_key(&c));                                     \
    } while (0)
    DIFFERS(c.kind = OB_CHART_BAR);
    DIFFERS(c.title = "Weekly users");
    DIFFERS(c.subject = "Weekly active users");
    DIFFERS(c.width = 400);
    DIFFERS(c.fmt.decimals = 2);
    DIFFERS(c.fmt.language = OB_LANG_FR);
    DIFFERS(c.n = N - 1);
    DIFFERS(c.n_series = 1);
    DIFFERS(c.target = NULL);
    DIFFERS(c.partial_last = true);
    DIFFERS(c.other_last = true);
    DIFFERS(c.more = "+3 more groups");
    DIFFERS((c.markers = &mark, c.n_markers = 1));
    DIFFERS(c.progress = 0.5);
#undef DIFFERS
    values[N - 1] += 1; /* one value of one series */
    {
        struct ob_chart_series s[2] = {{"All plans", values}, {"Pro", pro}};
        struct ob_chart c = line_chart();

        c.series = s;
        OB_CHECK(key != ob_chart_key(&c));
        values[N - 1] -= 1;
        OB_CHECK(key == ob_chart_key(&c));
        other_labels[0] = "2026-W00"; /* one label */
        c.labels = other_labels;
        OB_CHECK(key != ob_chart_key(&c));
    }
}

static void
test_inline_sparkline(void)
{
    const double rise[] = {0, 5, 10, 5};
    const double gaps[] = {1, NAN, 3, NAN, 5, 6};
    const double flat[] = {7, 7};
    const double none[] = {NAN, NAN};
    char *svg;

    svg = inline_spark(rise, 4, false);
    OB_CHECK(strncmp(svg,
                     "<svg class=\"spark\" viewBox=\"0 0 120 32\" "
                     "width=\"120\" height=\"32\" role=\"img\" "
                     "aria-label=\"Spark &lt;&amp;&gt;",
                     100) == 0);
    /* x = 3 + (i + .5) * 114 / 4; y = 29 - v / 10 * 26 */
    OB_CHECK(strstr(svg, "<path class=\"spark-line\" d=\"M17.2 29.0L45.8 "
                         "16.0L74.2 3.0L102.8 16.0\"/>") != NULL);
    OB_CHECK(strstr(svg, "<circle cx=\"102.8\" cy=\"16.0\" r=\"2\"/>") != NULL);
    OB_CHECK(!strstr(svg, "spark-partial"));
    OB_CHECK(!strstr(svg, "id=") && !strstr(svg, "fill=") &&
             !strstr(svg, "stroke="));
    free(svg);
    svg = inline_spark(rise, 4, true);
    OB_CHECK(strstr(svg, "d=\"M17.2 29.0L45.8 16.0L74.2 3.0\"/>") != NULL);
    OB_CHECK(strstr(svg, "<path class=\"spark-partial\" d=\"M74.2 3.0L102.8 "
                         "16.0\"/><circle class=\"spark-open\" cx=\"102.8\" "
                         "cy=\"16.0\" r=\"2.5\"/>") != NULL);
    free(svg);
    svg = inline_spark(gaps, 6, false);
    OB_CHECK_INT(count(svg, "M"), 3);       /* three runs: 1 | 3 | 5 6 */
    OB_CHECK_INT(count(svg, "<circle"), 3); /* two lone points, the end */
    free(svg);
    svg = inline_spark(flat, 2, false);
    OB_CHECK(strstr(svg, "L") != NULL && strstr(svg, "16.0L") != NULL);
    free(svg);
    svg = inline_spark(none, 2, false);
    OB_CHECK(
        strstr(svg, "<path class=\"spark-none\" d=\"M3.0 16.0H117.0\"/>") !=
        NULL);
    OB_CHECK(!strstr(svg, "<circle"));
    free(svg);
}

int
main(void)
{
    ob_diag_init(&diag, 100);
    charter = ob_charter_new(NULL, &diag);
    if (!charter) {
        ob_diag_print(&diag, stderr, OB_DIAG_TEXT, 0);
        return 1;
    }
    setup();
    OB_RUN(test_svg_structure);
    OB_RUN(test_svg_dark);
    OB_RUN(test_png_pixels);
    OB_RUN(test_bar_pixels);
    OB_RUN(test_progress_pixels);
    OB_RUN(test_reproducible);
    OB_RUN(test_alt_text);
    OB_RUN(test_table_html);
    OB_RUN(test_degenerate);
    OB_RUN(test_nice_ticks);
    OB_RUN(test_kpi_chart_groups);
    OB_RUN(test_kpi_chart_target_steps);
    OB_RUN(test_kpi_chart_group_targets);
    OB_RUN(test_kpi_chart_markers);
    OB_RUN(test_marker_labels);
    OB_RUN(test_period_labels);
    OB_RUN(test_scripts);
    OB_RUN(test_ellipsis);
    OB_RUN(test_batch);
    OB_RUN(test_missing_font);
    OB_RUN(test_host_fonts_out);
    OB_RUN(test_inline_sparkline);
    OB_RUN(test_chart_key);
    OB_CHECK(!ob_diag_failed(&diag));
    ob_charter_free(charter);
    ob_diag_release(&diag);
    return OB_TEST_DONE();
}
