/* chart.c: charts drawn with cairo and pango: surfaces, pinned fonts,
 * text, alt text and data tables. The drawing itself is chart_draw.c. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/chart.h"

#include <fontconfig/fontconfig.h>
#include <math.h>
#include <pango/pangofc-fontmap.h>
#include <png.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-svg.h>

#include "chart_int.h"
#include "opsbook/cache.h"
#include "opsbook/lazylib.h"
#include "opsbook/mem.h"

#ifndef OB_FONT_DIR
#define OB_FONT_DIR "/usr/share/fonts/truetype/dejavu"
#endif

/* The only fonts a chart may use, from Debian's fonts-dejavu-core: the
 * same glyphs on every machine, Latin with accents, Greek, Cyrillic,
 * Arabic and Hebrew. */
static const char *const font_files[] = {"DejaVuSans.ttf",
                                         "DejaVuSans-Bold.ttf"};
#define FONT_FAMILY "DejaVu Sans"

#define RGB(hex)                                                               \
    {                                                                          \
        ((hex) >> 16 & 0xff) / 255.0, ((hex) >> 8 & 0xff) / 255.0,             \
            ((hex)&0xff) / 255.0                                               \
    }

/* Okabe-Ito: blue, orange, bluish green, reddish purple, vermillion, sky
 * blue, yellow, black (grey on dark), in an order that keeps the first
 * colours strong on the background. Tones: good is bluish green, warn
 * orange, bad vermillion, done blue. */
static const struct ob_palette palettes[] = {
    [OB_THEME_LIGHT] = {RGB(0xffffff),
                        RGB(0x1f2328),
                        RGB(0x59636e),
                        RGB(0xd8dee4),
                        RGB(0x1f2328),
                        {RGB(0x0072b2), RGB(0xe69f00), RGB(0x009e73),
                         RGB(0xcc79a7), RGB(0xd55e00), RGB(0x56b4e9),
                         RGB(0x000000), RGB(0xb8a600)},
                        RGB(0x8c959f),
                        {RGB(0x0072b2), RGB(0x009e73), RGB(0xe69f00),
                         RGB(0xd55e00), RGB(0x0072b2), RGB(0x8c959f)}},
    [OB_THEME_DARK] = {RGB(0x0d1117),
                       RGB(0xe6edf3),
                       RGB(0x9198a1),
                       RGB(0x30363d),
                       RGB(0xe6edf3),
                       {RGB(0x56b4e9), RGB(0xe69f00), RGB(0x009e73),
                        RGB(0xcc79a7), RGB(0xd55e00), RGB(0xf0e442),
                        RGB(0xbbbbbb), RGB(0x0072b2)},
                       RGB(0x6e7681),
                       {RGB(0x56b4e9), RGB(0x009e73), RGB(0xe69f00),
                        RGB(0xd55e00), RGB(0x56b4e9), RGB(0x6e7681)}},
};

const struct ob_palette *
ob_palette_of(enum ob_chart_theme theme)
{
    return &palettes[theme == OB_THEME_DARK ? OB_THEME_DARK : OB_THEME_LIGHT];
}

static const char *const words[][2] = {
    [OB_WORD_TARGET] = {"Target", "Objectif"},
    [OB_WORD_NO_DATA] = {"No data", "Aucune donn\xC3\xA9"
                                    "e"},
    [OB_WORD_IN_PROGRESS] = {"in progress", "en cours"},
    [OB_WORD_EXPECTED] = {"expected", "attendu"},
    [OB_WORD_PERIOD] = {"Period", "P\xC3\xA9riode"},
};

const char *
ob_chart_word(const struct ob_chart *c, enum ob_chart_word w)
{
    return words[w][c->fmt.language == OB_LANG_FR];
}

void
ob_chart_default_size(enum ob_chart_kind kind, int *width, int *height)
{
    switch (kind) {
    case OB_CHART_SPARKLINE:
        *width = 120, *height = 32;
        break;
    case OB_CHART_PROGRESS:
        *width = 360, *height = 28;
        break;
    case OB_CHART_STRIP:
        *width = 480, *height = 44;
        break;
    default:
        *width = 720, *height = 320;
        break;
    }
}

static void
chart_size(const struct ob_chart *c, int *width, int *height)
{
    int w, h;

    ob_chart_default_size(c->kind, &w, &h);
    *width = c->width > 0 ? c->width : w;
    *height = c->height > 0 ? c->height : h;
}

/* ---- what a chart is drawn from ----------------------------------------- */

/* When struct ob_chart gains a field, its size changes and the build stops
 * here: hash the new field in ob_chart_key(), then update the size. */
#if UINTPTR_MAX == UINT64_MAX
_Static_assert(sizeof(struct ob_chart) == 192, "hash the new field");
_Static_assert(sizeof(struct ob_numfmt) == 24, "hash the new field");
#endif

/* NULL and a list of n differ; a list's length is the chart's n. */
static void
hash_doubles(struct ob_hasher *h, const double *v, size_t n)
{
    size_t i;

    ob_hasher_add_u64(h, v != NULL);
    for (i = 0; v && i < n; i++)
        ob_hasher_add_double(h, v[i]);
}

static void
hash_segment(struct ob_hasher *h, const struct ob_chart_segment *s)
{
    ob_hasher_add_str(h, s->label);
    ob_hasher_add_double(h, s->value);
    ob_hasher_add_u64(h, s->tone);
}

uint64_t
ob_chart_key(const struct ob_chart *c)
{
    struct ob_hasher h;
    size_t i;

    ob_hasher_init(&h);
    ob_hasher_add_u64(&h, c->kind);
    ob_hasher_add_str(&h, c->title);
    ob_hasher_add_str(&h, c->subject);
    ob_hasher_add_u64(&h, (uint64_t)(int64_t)c->width);
    ob_hasher_add_u64(&h, (uint64_t)(int64_t)c->height);
    ob_hasher_add_u64(&h, c->fmt.format);
    ob_hasher_add_str(&h, c->fmt.currency);
    ob_hasher_add_u64(&h, (uint64_t)(int64_t)c->fmt.decimals);
    ob_hasher_add_u64(&h, c->fmt.language);
    ob_hasher_add_u64(&h, c->n);
    for (i = 0; i < c->n; i++)
        ob_hasher_add_str(&h, c->labels[i]);
    ob_hasher_add_u64(&h, c->n_series);
    for (i = 0; i < c->n_series; i++) {
        ob_hasher_add_str(&h, c->series[i].name);
        hash_doubles(&h, c->series[i].values, c->n);
    }
    ob_hasher_add_str(&h, c->more);
    ob_hasher_add_u64(&h, c->other_last);
    hash_doubles(&h, c->target, c->n);
    ob_hasher_add_u64(&h, c->partial_last);
    ob_hasher_add_u64(&h, c->n_markers);
    for (i = 0; i < c->n_markers; i++) {
        ob_hasher_add_u64(&h, c->markers[i].x);
        ob_hasher_add_str(&h, c->markers[i].label);
    }
    ob_hasher_add_double(&h, c->progress);
    ob_hasher_add_double(&h, c->expected);
    hash_segment(&h, &c->bar);
    ob_hasher_add_u64(&h, c->n_segments);
    for (i = 0; i < c->n_segments; i++)
        hash_segment(&h, &c->segments[i]);
    return ob_hasher_finish(&h);
}

/* ---- fonts and text --------------------------------------------------- */

/* A fontconfig setup of our own, holding only the pinned files: no host
 * configuration file, directory or cache takes part. */
static FcConfig *
pinned_fonts(const char *dir, struct ob_diag *d)
{
    FcConfig *fc = FcConfigCreate();
    char path[4096];
    size_t i;

    if (!fc) {
        ob_diag_error(d, NULL, "cannot set up fontconfig for charts");
        return NULL;
    }
    for (i = 0; i < sizeof font_files / sizeof *font_files; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, font_files[i]);
        if (!FcConfigAppFontAddFile(fc, (const FcChar8 *)path)) {
            ob_diag_error(d, NULL,
                          "cannot load the chart font '%s' (install "
                          "Debian's fonts-dejavu-core)",
                          path);
            FcConfigDestroy(fc);
            return NULL;
        }
    }
    return fc;
}

/*
 * Pango starts a thread that loads the host's fontconfig setup (its files,
 * directories and caches: 24 million instructions here) unless one is
 * current already. Charts never use it (their font map has the pinned
 * setup), so an empty setup is made current first, once a process: the
 * host's fonts stay out and the work is not done.
 */
static pthread_once_t host_fonts_once = PTHREAD_ONCE_INIT;

static void
keep_host_fonts_out(void)
{
    FcConfig *empty = FcConfigCreate();

    if (!empty)
        return;
    (void)FcConfigSetCurrent(empty); /* which takes its own reference */
    FcConfigDestroy(empty);
}

/* Whether the face of `desc` opens: pango would only warn ("expect ugly
 * output") and draw its text as nothing, the build going on. Opened here,
 * a font file that cannot be read stops the build instead; cairo keeps
 * the face open for the charts after. */
static bool
face_opens(struct ob_charter *ch, PangoFontDescription *desc)
{
    PangoFont *font;
    cairo_scaled_font_t *scaled;
    bool ok;

    pango_font_description_set_absolute_size(desc, 12 * PANGO_SCALE);
    font = pango_context_load_font(ch->pango, desc);
    if (!font)
        return false;
    scaled = pango_cairo_font_get_scaled_font((PangoCairoFont *)font);
    ok = scaled && cairo_scaled_font_status(scaled) == CAIRO_STATUS_SUCCESS;
    g_object_unref(font);
    return ok;
}

void
ob_chart_hash_fonts(struct ob_hasher *h, int64_t now_ns)
{
    char path[4096];
    size_t i;

    for (i = 0; i < sizeof font_files / sizeof *font_files; i++) {
        snprintf(path, sizeof path, "%s/%s", OB_FONT_DIR, font_files[i]);
        ob_cache_hash_file(h, path, now_ns);
    }
}

struct ob_charter *
ob_charter_new(const char *font_dir, struct ob_diag *d)
{
    struct ob_charter *ch;
    FcConfig *fc;

    if (ob_graphics_require(d))
        return NULL;
    pthread_once(&host_fonts_once, keep_host_fonts_out);
    fc = pinned_fonts(font_dir ? font_dir : OB_FONT_DIR, d);
    if (!fc)
        return NULL;
    ch = ob_xcalloc(1, sizeof *ch);
    ch->fonts = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(ch->fonts), fc);
    FcConfigDestroy(fc); /* the font map holds its own reference */
    ch->pango = pango_font_map_create_context(ch->fonts);
    /* Outlines as the font draws them, metrics unhinted: the same text
     * positions in the SVG and in the PNG at any scale. */
    ch->font_options = cairo_font_options_create();
    cairo_font_options_set_hint_style(ch->font_options, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(ch->font_options,
                                        CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(ch->font_options, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(ch->pango, ch->font_options);
    pango_cairo_context_set_resolution(ch->pango, 96);
    /* not the host's locale: the same shaping everywhere */
    pango_context_set_language(ch->pango, pango_language_from_string("en"));
    ch->layout = pango_layout_new(ch->pango);
    ch->regular = pango_font_description_from_string(FONT_FAMILY);
    ch->bold = pango_font_description_from_string(FONT_FAMILY " Bold");
    ob_buf_init(&ch->scratch);
    if (!face_opens(ch, ch->regular) || !face_opens(ch, ch->bold)) {
        ob_diag_error(d, NULL,
                      "cannot open the chart fonts in '%s' (install "
                      "Debian's fonts-dejavu-core)",
                      font_dir ? font_dir : OB_FONT_DIR);
        ob_charter_free(ch);
        return NULL;
    }
    return ch;
}

void
ob_charter_free(struct ob_charter *ch)
{
    if (!ch)
        return;
    pango_font_description_free(ch->regular);
    pango_font_description_free(ch->bold);
    g_object_unref(ch->layout);
    g_object_unref(ch->pango);
    /* A font map's first creation starts a thread of pango's that loads
     * the host's fontconfig setup (which charts never use); a process that
     * ends while it runs can crash in it (seen under ASan, in a build that
     * failed at once). Asking the map for its setup waits for that thread:
     * by now it has long finished, but for the smallest builds. */
    (void)pango_fc_font_map_get_config(PANGO_FC_FONT_MAP(ch->fonts));
    /* pango 1.50 keeps its reference to the fontconfig setup when the map
     * is finalised: taking the setup away first frees it */
    pango_fc_font_map_shutdown(PANGO_FC_FONT_MAP(ch->fonts));
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(ch->fonts), NULL);
    g_object_unref(ch->fonts);
    cairo_font_options_destroy(ch->font_options);
    ob_buf_release(&ch->scratch);
    free(ch);
}

static void
set_text(struct ob_charter *ch, const char *text,
         const struct ob_text_style *st)
{
    PangoFontDescription *f =
        st->weight == OB_TEXT_BOLD ? ch->bold : ch->regular;

    pango_font_description_set_absolute_size(f, st->size * PANGO_SCALE);
    pango_layout_set_font_description(ch->layout, f);
    if (st->max_width > 0) {
        pango_layout_set_width(ch->layout, (int)(st->max_width * PANGO_SCALE));
        pango_layout_set_ellipsize(ch->layout, PANGO_ELLIPSIZE_END);
    } else {
        pango_layout_set_width(ch->layout, -1);
        pango_layout_set_ellipsize(ch->layout, PANGO_ELLIPSIZE_NONE);
    }
    pango_layout_set_single_paragraph_mode(ch->layout, TRUE);
    pango_layout_set_text(ch->layout, text, -1);
}

void
ob_text_measure(struct ob_charter *ch, const char *text,
                const struct ob_text_style *st, double *w, double *h)
{
    PangoRectangle logical;

    set_text(ch, text, st);
    pango_layout_get_extents(ch->layout, NULL, &logical);
    *w = (double)logical.width / PANGO_SCALE;
    *h = (double)logical.height / PANGO_SCALE;
}

double
ob_text_draw(struct ob_charter *ch, cairo_t *cr, const char *text, double x,
             double y, const struct ob_text_style *st)
{
    double w, h;

    ob_text_measure(ch, text, st, &w, &h);
    if (st->h == OB_CENTER)
        x -= w / 2;
    else if (st->h == OB_RIGHT)
        x -= w;
    if (st->v == OB_MIDDLE)
        y -= h / 2;
    else if (st->v == OB_BOTTOM)
        y -= h;
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, ch->layout);
    return w;
}

/* ---- surfaces ----------------------------------------------------------- */

static cairo_status_t
append_bytes(void *closure, const unsigned char *data, unsigned int length)
{
    return ob_buf_add(closure, data, length) ? CAIRO_STATUS_SUCCESS
                                             : CAIRO_STATUS_WRITE_ERROR;
}

/* Draws on `surface` with the charter's text set up for it. */
static void
draw_on(struct ob_charter *ch, cairo_surface_t *surface,
        const struct ob_chart *c, int w, int h, double scale,
        enum ob_chart_theme theme, bool background)
{
    cairo_t *cr = cairo_create(surface);

    cairo_scale(cr, scale, scale);
    pango_cairo_update_context(cr, ch->pango);
    pango_layout_context_changed(ch->layout);
    if (background) {
        const struct ob_rgb *bg = &ob_palette_of(theme)->bg;

        cairo_set_source_rgb(cr, bg->r, bg->g, bg->b);
        cairo_paint(cr);
    }
    ob_chart_draw(ch, cr, c, w, h, theme);
    cairo_destroy(cr);
}

static enum ob_err
surface_failed(cairo_status_t st, const char *what, struct ob_diag *d)
{
    ob_diag_error(d, NULL, "cannot draw a chart (%s): %s", what,
                  cairo_status_to_string(st));
    return OB_ERR_ENV;
}

/*
 * cairo 1.16 names some SVG ids after process-wide counters ("surface53",
 * "image62", "source9"): the same chart gets other ids after other charts.
 * These are renumbered in order of first appearance, per document.
 */
static const char *const counted_ids[] = {"surface", "image", "source",
                                          "pattern", "mask"};
struct renumbering {
    unsigned long *from; /* the number cairo gave, by new number - 1 */
    size_t n, cap;
};

static size_t
counted_prefix(const char *p, const char *start)
{
    size_t i;

    /* only as a whole word: "surface53" inside another name is not one */
    if (p > start &&
        ((p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= '0' && p[-1] <= '9')))
        return 0;
    for (i = 0; i < sizeof counted_ids / sizeof *counted_ids; i++) {
        size_t len = strlen(counted_ids[i]);

        if (!strncmp(p, counted_ids[i], len) && p[len] >= '0' && p[len] <= '9')
            return len;
    }
    return 0;
}

static unsigned long
renumber(struct renumbering *r, unsigned long from)
{
    size_t i;

    for (i = 0; i < r->n; i++)
        if (r->from[i] == from)
            return i + 1;
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 8;
        r->from = ob_xreallocarray(r->from, r->cap, sizeof *r->from);
    }
    r->from[r->n] = from;
    return ++r->n;
}

/* The SVG cairo wrote, with ids renumbered, and a role and a title for
 * assistive technology at the root element's start. */
static void
finish_svg(const struct ob_chart *c, const char *svg, size_t len,
           struct ob_buf *out)
{
    struct renumbering r[sizeof counted_ids / sizeof *counted_ids];
    const char *p = svg, *end = svg + len;
    const char *root = strstr(svg, "<svg ");
    const char *root_end = root ? strchr(root, '>') : NULL;
    struct ob_buf alt = OB_BUF_INIT;
    size_t k;

    memset(r, 0, sizeof r);
    while (p < end) {
        size_t plen = counted_prefix(p, svg);
        char *num_end;

        if (p == root_end) {
            ob_chart_alt(c, &alt);
            ob_buf_puts(out, " role=\"img\">\n<title>");
            ob_buf_add_html(out, alt.ptr, alt.len);
            ob_buf_puts(out, "</title>");
            p++;
            continue;
        }
        if (!plen) {
            ob_buf_putc(out, *p++);
            continue;
        }
        for (k = 0; strncmp(counted_ids[k], p, plen); k++)
            ;
        ob_buf_add(out, p, plen);
        ob_buf_printf(out, "%lu",
                      renumber(&r[k], strtoul(p + plen, &num_end, 10)));
        p = num_end;
    }
    for (k = 0; k < sizeof r / sizeof *r; k++)
        free(r[k].from);
    ob_buf_release(&alt);
}

enum ob_err
ob_chart_svg(struct ob_charter *ch, const struct ob_chart *c,
             enum ob_chart_theme theme, struct ob_buf *out, struct ob_diag *d)
{
    struct ob_buf raw = OB_BUF_INIT;
    cairo_surface_t *s;
    cairo_status_t st;
    int w, h;

    chart_size(c, &w, &h);
    s = cairo_svg_surface_create_for_stream(append_bytes, &raw, w, h);
    cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
    draw_on(ch, s, c, w, h, 1, theme, false);
    cairo_surface_finish(s);
    st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st == CAIRO_STATUS_SUCCESS)
        finish_svg(c, raw.ptr, raw.len, out);
    ob_buf_release(&raw);
    return st == CAIRO_STATUS_SUCCESS ? OB_OK : surface_failed(st, "SVG", d);
}

static void
png_append(png_structp png, png_bytep data, size_t len)
{
    if (!ob_buf_add(png_get_io_ptr(png), data, len))
        png_error(png, "PNG too large");
}

static void
png_no_flush(png_structp png)
{
    (void)png;
}

/* One row of cairo's xRGB pixels (native-endian words) as RGB bytes. */
static void
rgb_row(const unsigned char *from, int width, unsigned char *to)
{
    int x;

    for (x = 0; x < width; x++) {
        uint32_t px;

        memcpy(&px, from + 4 * (size_t)x, 4);
        to[3 * x] = (unsigned char)(px >> 16);
        to[3 * x + 1] = (unsigned char)(px >> 8);
        to[3 * x + 2] = (unsigned char)px;
    }
}

/*
 * An opaque RGB PNG of the surface. cairo's own writer keeps the alpha
 * channel and lets libpng try every filter at zlib's default level: more
 * than half of a chart's time went there. Charts are flat colours and
 * text, which the Sub filter at level 1 compresses nearly as well.
 * No time or text chunks: the bytes depend only on the pixels.
 */
static bool
encode_png(cairo_surface_t *s, struct ob_buf *out)
{
    int w = cairo_image_surface_get_width(s);
    int h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s), y;
    const unsigned char *pixels = cairo_image_surface_get_data(s);
    unsigned char *const row = ob_xmalloc(3 * (size_t)w);
    png_structp png =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    volatile bool ok = false;

    if (!info || setjmp(png_jmpbuf(png)))
        goto done;
    png_set_write_fn(png, out, png_append, png_no_flush);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 1);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_write_info(png, info);
    for (y = 0; y < h; y++) {
        rgb_row(pixels + (size_t)y * (size_t)stride, w, row);
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    ok = true;
done:
    png_destroy_write_struct(&png, &info);
    free(row);
    return ok;
}

enum ob_err
ob_chart_png(struct ob_charter *ch, const struct ob_chart *c,
             enum ob_chart_theme theme, double scale, struct ob_buf *out,
             struct ob_diag *d)
{
    cairo_surface_t *s;
    cairo_status_t st;
    int w, h;

    chart_size(c, &w, &h);
    if (!(scale > 0 && scale <= 8))
        scale = 1;
    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(w * scale),
                                   (int)ceil(h * scale));
    draw_on(ch, s, c, w, h, scale, theme, true);
    cairo_surface_flush(s);
    st = cairo_surface_status(s);
    if (st == CAIRO_STATUS_SUCCESS && !encode_png(s, out))
        st = CAIRO_STATUS_WRITE_ERROR;
    cairo_surface_destroy(s);
    return st == CAIRO_STATUS_SUCCESS ? OB_OK : surface_failed(st, "PNG", d);
}

/* ---- words: alt text and the data table ------------------------------ */

/* The first and last x before `upto` where series `s` has a value;
 * false if none. */
static bool
series_span(const struct ob_chart *c, size_t s, size_t upto, size_t *first,
            size_t *last)
{
    size_t i;
    bool any = false;

    for (i = 0; i < upto; i++) {
        if (!ob_chart_present(c->series[s].values[i]))
            continue;
        if (!any)
            *first = i;
        *last = i;
        any = true;
    }
    return any;
}

static void
add_value(struct ob_buf *out, const struct ob_chart *c, double v)
{
    ob_numfmt_value(out, &c->fmt, v);
}

static const char *
subject_of(const struct ob_chart *c)
{
    if (c->subject && *c->subject)
        return c->subject;
    return c->title && *c->title ? c->title : "Chart";
}

/* "Free 120 to 340" for each series, at most three named; one value
 * alone when the series has only one. */
static void
alt_series(const struct ob_chart *c, size_t upto, struct ob_buf *out, bool fr)
{
    size_t s, named = 0, first = 0, last = 0;

    for (s = 0; s < c->n_series; s++) {
        if (!series_span(c, s, upto, &first, &last))
            continue;
        if (named == 3) {
            ob_buf_printf(out, fr ? " et %zu autres" : " and %zu more",
                          c->n_series - s);
            return;
        }
        ob_buf_puts(out, named++ ? ", " : "");
        if (c->n_series > 1)
            ob_buf_printf(out, "%s ",
                          c->series[s].name ? c->series[s].name : "");
        add_value(out, c, c->series[s].values[first]);
        if (last == first)
            continue;
        ob_buf_puts(out, fr ? " \xC3\xA0 " : " to ");
        add_value(out, c, c->series[s].values[last]);
    }
}

/* "; latest 1,530 against a target of 1,500" (the first series). */
static void
alt_latest(const struct ob_chart *c, size_t upto, struct ob_buf *out, bool fr)
{
    size_t first, last;

    if (!c->n_series || !series_span(c, 0, upto, &first, &last))
        return;
    if (!c->target || !ob_chart_present(c->target[last]))
        return;
    ob_buf_puts(out, fr ? " ; derni\xC3\xA8re valeur " : "; latest ");
    add_value(out, c, c->series[0].values[last]);
    ob_buf_puts(out, fr ? " pour un objectif de " : " against a target of ");
    add_value(out, c, c->target[last]);
}

/* The period in progress: its value so far when there is one series. */
static void
alt_partial(const struct ob_chart *c, struct ob_buf *out, bool fr)
{
    double v = c->n_series == 1 ? c->series[0].values[c->n - 1] : NAN;

    ob_buf_printf(out, fr ? " ; %s en cours" : "; %s in progress",
                  c->labels[c->n - 1]);
    if (!ob_chart_present(v))
        return;
    ob_buf_puts(out, fr ? " : " : ": ");
    add_value(out, c, v);
}

static bool
any_value(const struct ob_chart *c, size_t upto)
{
    size_t s, first, last;

    for (s = 0; s < c->n_series; s++)
        if (series_span(c, s, upto, &first, &last))
            return true;
    return false;
}

static void
alt_segments(const struct ob_chart *c, struct ob_buf *out, bool fr)
{
    struct ob_numfmt pct = {OB_FMT_PERCENT, NULL, 0, c->fmt.language};
    size_t i;

    if (c->kind == OB_CHART_PROGRESS) {
        ob_buf_puts(out, c->bar.label ? c->bar.label : "");
        ob_buf_puts(out, fr ? " (attendu : " : " (expected: ");
        ob_numfmt_value(out, &pct, c->expected);
        ob_buf_puts(out, ")");
        return;
    }
    for (i = 0; i < c->n_segments; i++) {
        ob_buf_puts(out, i ? ", " : "");
        ob_buf_puts(out, c->segments[i].label ? c->segments[i].label : "");
    }
    if (!c->n_segments)
        ob_buf_puts(out, fr ? "rien" : "none");
}

/* "; marked: Release 4.2 (2026-W12), Outage (2026-W40)": what the
 * markers show to the eye. */
static void
alt_markers(const struct ob_chart *c, struct ob_buf *out, bool fr)
{
    size_t m, said = 0;

    for (m = 0; m < c->n_markers; m++) {
        if (c->markers[m].x >= c->n)
            continue;
        ob_buf_puts(out, said++ ? ", "
                         : fr   ? " ; rep\xC3\xA8res : "
                                : "; marked: ");
        ob_buf_printf(out, "%s (%s)",
                      c->markers[m].label ? c->markers[m].label : "",
                      c->labels[c->markers[m].x]);
    }
}

/* The periods described: all, or up to the last complete one; the one
 * in progress is then told apart. */
static void
alt_time(const struct ob_chart *c, struct ob_buf *out, bool fr)
{
    size_t upto = c->partial_last && c->n > 1 ? c->n - 1 : c->n;

    if (!any_value(c, upto))
        upto = c->n; /* only the period in progress has data */
    ob_buf_printf(out, ", %s", c->labels[0]);
    if (upto > 1)
        ob_buf_printf(out, "%s%s", fr ? " \xC3\xA0 " : " to ",
                      c->labels[upto - 1]);
    ob_buf_puts(out, fr ? " : " : ": ");
    alt_series(c, upto, out, fr);
    alt_latest(c, upto, out, fr);
    if (c->partial_last && upto < c->n)
        alt_partial(c, out, fr);
    else if (c->partial_last)
        ob_buf_printf(out, " (%s)", ob_chart_word(c, OB_WORD_IN_PROGRESS));
    alt_markers(c, out, fr);
}

void
ob_chart_alt(const struct ob_chart *c, struct ob_buf *out)
{
    bool fr = c->fmt.language == OB_LANG_FR;

    ob_buf_puts(out, subject_of(c));
    if (c->kind == OB_CHART_PROGRESS || c->kind == OB_CHART_STRIP) {
        ob_buf_puts(out, fr ? " : " : ": ");
        alt_segments(c, out, fr);
    } else if (!c->n || !any_value(c, c->n)) {
        ob_buf_puts(out, fr ? " : aucune donn\xC3\xA9"
                              "e"
                            : ": no data");
    } else {
        alt_time(c, out, fr);
    }
    ob_buf_putc(out, '.');
}

static void
cell(struct ob_buf *out, const char *tag, const char *attrs, const char *s)
{
    ob_buf_printf(out, "<%s%s>", tag, attrs);
    ob_buf_add_html(out, s, strlen(s));
    ob_buf_printf(out, "</%s>", tag);
}

static void
value_cell(struct ob_buf *out, const struct ob_chart *c, double v)
{
    ob_buf_puts(out, "<td>");
    if (ob_chart_present(v)) {
        struct ob_buf num = OB_BUF_INIT;

        add_value(&num, c, v);
        ob_buf_add_html(out, num.ptr, num.len);
        ob_buf_release(&num);
    }
    ob_buf_puts(out, "</td>");
}

static void
table_segments(const struct ob_chart *c, struct ob_buf *out)
{
    size_t i;

    if (c->kind == OB_CHART_PROGRESS) {
        ob_buf_puts(out, "<tr>");
        cell(out, "td", "", c->bar.label ? c->bar.label : "");
        ob_buf_puts(out, "</tr>");
        return;
    }
    for (i = 0; i < c->n_segments; i++) {
        ob_buf_puts(out, "<tr>");
        cell(out, "td", "", c->segments[i].label ? c->segments[i].label : "");
        ob_buf_puts(out, "</tr>");
    }
}

void
ob_chart_table_html(const struct ob_chart *c, struct ob_buf *out)
{
    size_t i, s;

    ob_buf_puts(out, "<table class=\"chart-data\">\n<caption>");
    ob_buf_add_html(out, subject_of(c), strlen(subject_of(c)));
    ob_buf_puts(out, "</caption>\n");
    if (c->kind == OB_CHART_PROGRESS || c->kind == OB_CHART_STRIP) {
        table_segments(c, out);
        ob_buf_puts(out, "\n</table>\n");
        return;
    }
    ob_buf_puts(out, "<thead><tr>");
    cell(out, "th", " scope=\"col\"", ob_chart_word(c, OB_WORD_PERIOD));
    for (s = 0; s < c->n_series; s++)
        cell(out, "th", " scope=\"col\"",
             c->n_series == 1 ? subject_of(c)
                              : (c->series[s].name ? c->series[s].name : ""));
    if (c->target)
        cell(out, "th", " scope=\"col\"", ob_chart_word(c, OB_WORD_TARGET));
    ob_buf_puts(out, "</tr></thead>\n<tbody>\n");
    for (i = 0; i < c->n; i++) {
        ob_buf_puts(out, "<tr>");
        cell(out, "th", " scope=\"row\"", c->labels[i]);
        for (s = 0; s < c->n_series; s++)
            value_cell(out, c, c->series[s].values[i]);
        if (c->target)
            value_cell(out, c, c->target[i]);
        ob_buf_puts(out, "</tr>\n");
    }
    ob_buf_puts(out, "</tbody>\n</table>\n");
}
