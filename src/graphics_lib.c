/* graphics_lib.c: cairo, pango and fontconfig, opened when the first chart
 * is drawn (see lazylib.h). */
/* SPDX-License-Identifier: MIT */
#include "opsbook/lazylib.h"

#include <cairo-svg.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>

#define WHAT    "cairo and pango"
#define PACKAGE "libpango1.0-dev"

/* pangocairo's: the libraries it needs hold the rest (see the Makefile,
 * which reads the soname off the library the build would have linked:
 * the one whose headers it uses; the name ends in a comma). */
static const char *const sonames[] = {OB_GRAPHICS_SONAMES NULL};

/* Every function of theirs that opsbook calls, with its prototype as the
 * headers give it: the compiler checks each definition against them. */
#define FUNCTIONS(FN, FN_VOID)                                                 \
    FN(FcBool, FcConfigAppFontAddFile,                                         \
       (FcConfig * config, const FcChar8 *file), (config, file))               \
    FN(FcConfig *, FcConfigCreate, (void), ())                                 \
    FN_VOID(FcConfigDestroy, (FcConfig * config), (config))                    \
    FN(FcBool, FcConfigSetCurrent, (FcConfig * config), (config))              \
    FN_VOID(cairo_arc,                                                         \
            (cairo_t * cr, double xc, double yc, double radius, double angle1, \
             double angle2),                                                   \
            (cr, xc, yc, radius, angle1, angle2))                              \
    FN_VOID(cairo_close_path, (cairo_t * cr), (cr))                            \
    FN(cairo_t *, cairo_create, (cairo_surface_t * target), (target))          \
    FN_VOID(cairo_destroy, (cairo_t * cr), (cr))                               \
    FN_VOID(cairo_fill, (cairo_t * cr), (cr))                                  \
    FN(cairo_font_options_t *, cairo_font_options_create, (void), ())          \
    FN_VOID(cairo_font_options_destroy, (cairo_font_options_t * options),      \
            (options))                                                         \
    FN_VOID(cairo_font_options_set_antialias,                                  \
            (cairo_font_options_t * options, cairo_antialias_t antialias),     \
            (options, antialias))                                              \
    FN_VOID(                                                                   \
        cairo_font_options_set_hint_metrics,                                   \
        (cairo_font_options_t * options, cairo_hint_metrics_t hint_metrics),   \
        (options, hint_metrics))                                               \
    FN_VOID(cairo_font_options_set_hint_style,                                 \
            (cairo_font_options_t * options, cairo_hint_style_t hint_style),   \
            (options, hint_style))                                             \
    FN(cairo_surface_t *, cairo_image_surface_create,                          \
       (cairo_format_t format, int width, int height),                         \
       (format, width, height))                                                \
    FN(unsigned char *, cairo_image_surface_get_data,                          \
       (cairo_surface_t * surface), (surface))                                 \
    FN(int, cairo_image_surface_get_height, (cairo_surface_t * surface),       \
       (surface))                                                              \
    FN(int, cairo_image_surface_get_stride, (cairo_surface_t * surface),       \
       (surface))                                                              \
    FN(int, cairo_image_surface_get_width, (cairo_surface_t * surface),        \
       (surface))                                                              \
    FN_VOID(cairo_line_to, (cairo_t * cr, double x, double y), (cr, x, y))     \
    FN_VOID(cairo_move_to, (cairo_t * cr, double x, double y), (cr, x, y))     \
    FN_VOID(cairo_new_sub_path, (cairo_t * cr), (cr))                          \
    FN_VOID(cairo_paint, (cairo_t * cr), (cr))                                 \
    FN_VOID(cairo_rectangle,                                                   \
            (cairo_t * cr, double x, double y, double width, double height),   \
            (cr, x, y, width, height))                                         \
    FN_VOID(cairo_restore, (cairo_t * cr), (cr))                               \
    FN_VOID(cairo_save, (cairo_t * cr), (cr))                                  \
    FN_VOID(cairo_scale, (cairo_t * cr, double sx, double sy), (cr, sx, sy))   \
    FN_VOID(                                                                   \
        cairo_set_dash,                                                        \
        (cairo_t * cr, const double *dashes, int num_dashes, double offset),   \
        (cr, dashes, num_dashes, offset))                                      \
    FN_VOID(cairo_set_line_join, (cairo_t * cr, cairo_line_join_t line_join),  \
            (cr, line_join))                                                   \
    FN_VOID(cairo_set_line_width, (cairo_t * cr, double width), (cr, width))   \
    FN_VOID(cairo_set_source_rgb,                                              \
            (cairo_t * cr, double red, double green, double blue),             \
            (cr, red, green, blue))                                            \
    FN_VOID(                                                                   \
        cairo_set_source_rgba,                                                 \
        (cairo_t * cr, double red, double green, double blue, double alpha),   \
        (cr, red, green, blue, alpha))                                         \
    FN(const char *, cairo_status_to_string, (cairo_status_t status),          \
       (status))                                                               \
    FN_VOID(cairo_stroke, (cairo_t * cr), (cr))                                \
    FN_VOID(cairo_surface_destroy, (cairo_surface_t * surface), (surface))     \
    FN_VOID(cairo_surface_finish, (cairo_surface_t * surface), (surface))      \
    FN_VOID(cairo_surface_flush, (cairo_surface_t * surface), (surface))       \
    FN(cairo_status_t, cairo_surface_status, (cairo_surface_t * surface),      \
       (surface))                                                              \
    FN(cairo_surface_t *, cairo_svg_surface_create_for_stream,                 \
       (cairo_write_func_t write_func, void *closure, double width_in_points,  \
        double height_in_points),                                              \
       (write_func, closure, width_in_points, height_in_points))               \
    FN_VOID(cairo_svg_surface_restrict_to_version,                             \
            (cairo_surface_t * surface, cairo_svg_version_t version),          \
            (surface, version))                                                \
    FN_VOID(cairo_svg_surface_set_document_unit,                               \
            (cairo_surface_t * surface, cairo_svg_unit_t unit),                \
            (surface, unit))                                                   \
    FN_VOID(g_object_unref, (gpointer object), (object))                       \
    FN(cairo_status_t, cairo_scaled_font_status,                               \
       (cairo_scaled_font_t * scaled_font), (scaled_font))                     \
    FN(PangoFont *, pango_context_load_font,                                   \
       (PangoContext * context, const PangoFontDescription *desc),             \
       (context, desc))                                                        \
    FN(cairo_scaled_font_t *, pango_cairo_font_get_scaled_font,                \
       (PangoCairoFont * font), (font))                                        \
    FN(GTypeInstance *, g_type_check_instance_cast,                            \
       (GTypeInstance * instance, GType iface_type), (instance, iface_type))   \
    FN_VOID(pango_cairo_context_set_font_options,                              \
            (PangoContext * context, const cairo_font_options_t *options),     \
            (context, options))                                                \
    FN_VOID(pango_cairo_context_set_resolution,                                \
            (PangoContext * context, double dpi), (context, dpi))              \
    FN(PangoFontMap *, pango_cairo_font_map_new_for_font_type,                 \
       (cairo_font_type_t fonttype), (fonttype))                               \
    FN_VOID(pango_cairo_show_layout, (cairo_t * cr, PangoLayout * layout),     \
            (cr, layout))                                                      \
    FN_VOID(pango_cairo_update_context,                                        \
            (cairo_t * cr, PangoContext * context), (cr, context))             \
    FN_VOID(pango_context_set_language,                                        \
            (PangoContext * context, PangoLanguage * language),                \
            (context, language))                                               \
    FN(GType, pango_fc_font_map_get_type, (void), ())                          \
    FN_VOID(pango_fc_font_map_set_config,                                      \
            (PangoFcFontMap * fcfontmap, FcConfig * fcconfig),                 \
            (fcfontmap, fcconfig))                                             \
    FN(FcConfig *, pango_fc_font_map_get_config, (PangoFcFontMap * fcfontmap), \
       (fcfontmap))                                                            \
    FN_VOID(pango_fc_font_map_shutdown, (PangoFcFontMap * fcfontmap),          \
            (fcfontmap))                                                       \
    FN_VOID(pango_font_description_free, (PangoFontDescription * desc),        \
            (desc))                                                            \
    FN(PangoFontDescription *, pango_font_description_from_string,             \
       (const char *str), (str))                                               \
    FN_VOID(pango_font_description_set_absolute_size,                          \
            (PangoFontDescription * desc, double size), (desc, size))          \
    FN(PangoContext *, pango_font_map_create_context,                          \
       (PangoFontMap * fontmap), (fontmap))                                    \
    FN(PangoLanguage *, pango_language_from_string, (const char *language),    \
       (language))                                                             \
    FN_VOID(pango_layout_context_changed, (PangoLayout * layout), (layout))    \
    FN_VOID(pango_layout_get_extents,                                          \
            (PangoLayout * layout, PangoRectangle * ink_rect,                  \
             PangoRectangle * logical_rect),                                   \
            (layout, ink_rect, logical_rect))                                  \
    FN(PangoLayout *, pango_layout_new, (PangoContext * context), (context))   \
    FN_VOID(pango_layout_set_ellipsize,                                        \
            (PangoLayout * layout, PangoEllipsizeMode ellipsize),              \
            (layout, ellipsize))                                               \
    FN_VOID(pango_layout_set_font_description,                                 \
            (PangoLayout * layout, const PangoFontDescription *desc),          \
            (layout, desc))                                                    \
    FN_VOID(pango_layout_set_single_paragraph_mode,                            \
            (PangoLayout * layout, gboolean setting), (layout, setting))       \
    FN_VOID(pango_layout_set_text,                                             \
            (PangoLayout * layout, const char *text, int length),              \
            (layout, text, length))                                            \
    FN_VOID(pango_layout_set_width, (PangoLayout * layout, int width),         \
            (layout, width))                                                   \
    /* the unit tests' (reading a PNG back, checking the text's layout) */     \
    FN(cairo_surface_t *, cairo_image_surface_create_from_png_stream,          \
       (cairo_read_func_t read_func, void *closure), (read_func, closure))     \
    FN(int, pango_layout_get_unknown_glyphs_count, (PangoLayout * layout),     \
       (layout))                                                               \
    FN(gboolean, pango_layout_is_ellipsized, (PangoLayout * layout), (layout))

#include "lazylib_table.h"

enum ob_err
ob_graphics_require(struct ob_diag *d)
{
    return ob_lazylib_require(&lib, d);
}
