/* xlsx_lib.c: libxlsxwriter, opened when the first workbook is written
 * (see lazylib.h). */
/* SPDX-License-Identifier: MIT */
#include "opsbook/lazylib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <zlib.h>

#include <xlsxwriter.h>

#define WHAT    "libxlsxwriter"
#define PACKAGE "libxlsxwriter-dev"

/* The Makefile reads the soname off the library it would have linked. */
static const char *const sonames[] = {OB_XLSX_SONAMES NULL};

/* Every function of libxlsxwriter that opsbook calls, with its prototype
 * as xlsxwriter.h gives it: the compiler checks each definition. */
#define FUNCTIONS(FN, FN_VOID)                                                 \
    FN(lxw_chart_series *, chart_add_series,                                   \
       (lxw_chart * chart, const char *categories, const char *values),        \
       (chart, categories, values))                                            \
    FN_VOID(chart_axis_set_num_format,                                         \
            (lxw_chart_axis * axis, const char *num_format),                   \
            (axis, num_format))                                                \
    FN_VOID(chart_legend_set_position, (lxw_chart * chart, uint8_t position),  \
            (chart, position))                                                 \
    FN_VOID(chart_series_set_categories,                                       \
            (lxw_chart_series * series, const char *sheetname,                 \
             lxw_row_t first_row, lxw_col_t first_col, lxw_row_t last_row,     \
             lxw_col_t last_col),                                              \
            (series, sheetname, first_row, first_col, last_row, last_col))     \
    FN_VOID(chart_series_set_fill,                                             \
            (lxw_chart_series * series, lxw_chart_fill * fill),                \
            (series, fill))                                                    \
    FN_VOID(chart_series_set_line,                                             \
            (lxw_chart_series * series, lxw_chart_line * line),                \
            (series, line))                                                    \
    FN_VOID(chart_series_set_marker_type,                                      \
            (lxw_chart_series * series, uint8_t type), (series, type))         \
    FN_VOID(chart_series_set_name_range,                                       \
            (lxw_chart_series * series, const char *sheetname, lxw_row_t row,  \
             lxw_col_t col),                                                   \
            (series, sheetname, row, col))                                     \
    FN_VOID(chart_series_set_values,                                           \
            (lxw_chart_series * series, const char *sheetname,                 \
             lxw_row_t first_row, lxw_col_t first_col, lxw_row_t last_row,     \
             lxw_col_t last_col),                                              \
            (series, sheetname, first_row, first_col, last_row, last_col))     \
    FN_VOID(chart_show_blanks_as, (lxw_chart * chart, uint8_t option),         \
            (chart, option))                                                   \
    FN_VOID(chart_title_set_name_range,                                        \
            (lxw_chart * chart, const char *sheetname, lxw_row_t row,          \
             lxw_col_t col),                                                   \
            (chart, sheetname, row, col))                                      \
    FN_VOID(format_set_align, (lxw_format * format, uint8_t alignment),        \
            (format, alignment))                                               \
    FN_VOID(format_set_bg_color, (lxw_format * format, lxw_color_t color),     \
            (format, color))                                                   \
    FN_VOID(format_set_bold, (lxw_format * format), (format))                  \
    FN_VOID(format_set_bottom, (lxw_format * format, uint8_t style),           \
            (format, style))                                                   \
    FN_VOID(format_set_bottom_color, (lxw_format * format, lxw_color_t color), \
            (format, color))                                                   \
    FN_VOID(format_set_font_color, (lxw_format * format, lxw_color_t color),   \
            (format, color))                                                   \
    FN_VOID(format_set_font_size, (lxw_format * format, double size),          \
            (format, size))                                                    \
    FN_VOID(format_set_indent, (lxw_format * format, uint8_t level),           \
            (format, level))                                                   \
    FN_VOID(format_set_italic, (lxw_format * format), (format))                \
    FN_VOID(format_set_num_format,                                             \
            (lxw_format * format, const char *num_format),                     \
            (format, num_format))                                              \
    FN_VOID(format_set_text_wrap, (lxw_format * format), (format))             \
    FN_VOID(format_set_underline, (lxw_format * format, uint8_t style),        \
            (format, style))                                                   \
    FN(char *, lxw_strerror, (lxw_error error_num), (error_num))               \
    FN(lxw_chart *, workbook_add_chart,                                        \
       (lxw_workbook * workbook, uint8_t chart_type), (workbook, chart_type))  \
    FN(lxw_format *, workbook_add_format, (lxw_workbook * workbook),           \
       (workbook))                                                             \
    FN(lxw_worksheet *, workbook_add_worksheet,                                \
       (lxw_workbook * workbook, const char *sheetname),                       \
       (workbook, sheetname))                                                  \
    FN(lxw_error, workbook_close, (lxw_workbook * workbook), (workbook))       \
    FN(lxw_workbook *, workbook_new_opt,                                       \
       (const char *filename, lxw_workbook_options *options),                  \
       (filename, options))                                                    \
    FN(lxw_error, workbook_set_properties,                                     \
       (lxw_workbook * workbook, lxw_doc_properties * properties),             \
       (workbook, properties))                                                 \
    FN_VOID(worksheet_activate, (lxw_worksheet * worksheet), (worksheet))      \
    FN(lxw_error, worksheet_autofilter,                                        \
       (lxw_worksheet * worksheet, lxw_row_t first_row, lxw_col_t first_col,   \
        lxw_row_t last_row, lxw_col_t last_col),                               \
       (worksheet, first_row, first_col, last_row, last_col))                  \
    FN(lxw_error, worksheet_conditional_format_range,                          \
       (lxw_worksheet * worksheet, lxw_row_t first_row, lxw_col_t first_col,   \
        lxw_row_t last_row, lxw_col_t last_col,                                \
        lxw_conditional_format * conditional_format),                          \
       (worksheet, first_row, first_col, last_row, last_col,                   \
        conditional_format))                                                   \
    FN_VOID(worksheet_fit_to_pages,                                            \
            (lxw_worksheet * worksheet, uint16_t width, uint16_t height),      \
            (worksheet, width, height))                                        \
    FN_VOID(worksheet_freeze_panes,                                            \
            (lxw_worksheet * worksheet, lxw_row_t row, lxw_col_t col),         \
            (worksheet, row, col))                                             \
    FN_VOID(worksheet_gridlines, (lxw_worksheet * worksheet, uint8_t option),  \
            (worksheet, option))                                               \
    FN(lxw_error, worksheet_insert_chart_opt,                                  \
       (lxw_worksheet * worksheet, lxw_row_t row, lxw_col_t col,               \
        lxw_chart * chart, lxw_chart_options * user_options),                  \
       (worksheet, row, col, chart, user_options))                             \
    FN(lxw_error, worksheet_insert_image_buffer_opt,                           \
       (lxw_worksheet * worksheet, lxw_row_t row, lxw_col_t col,               \
        const unsigned char *image_buffer, size_t image_size,                  \
        lxw_image_options *options),                                           \
       (worksheet, row, col, image_buffer, image_size, options))               \
    FN_VOID(worksheet_outline_settings,                                        \
            (lxw_worksheet * worksheet, uint8_t visible,                       \
             uint8_t symbols_below, uint8_t symbols_right,                     \
             uint8_t auto_style),                                              \
            (worksheet, visible, symbols_below, symbols_right, auto_style))    \
    FN(lxw_error, worksheet_repeat_rows,                                       \
       (lxw_worksheet * worksheet, lxw_row_t first_row, lxw_row_t last_row),   \
       (worksheet, first_row, last_row))                                       \
    FN(lxw_error, worksheet_set_column,                                        \
       (lxw_worksheet * worksheet, lxw_col_t first_col, lxw_col_t last_col,    \
        double width, lxw_format *format),                                     \
       (worksheet, first_col, last_col, width, format))                        \
    FN(lxw_error, worksheet_set_column_opt,                                    \
       (lxw_worksheet * worksheet, lxw_col_t first_col, lxw_col_t last_col,    \
        double width, lxw_format *format, lxw_row_col_options *options),       \
       (worksheet, first_col, last_col, width, format, options))               \
    FN(lxw_error, worksheet_set_footer,                                        \
       (lxw_worksheet * worksheet, const char *string), (worksheet, string))   \
    FN(lxw_error, worksheet_set_header,                                        \
       (lxw_worksheet * worksheet, const char *string), (worksheet, string))   \
    FN_VOID(worksheet_set_landscape, (lxw_worksheet * worksheet), (worksheet)) \
    FN_VOID(worksheet_set_margins,                                             \
            (lxw_worksheet * worksheet, double left, double right, double top, \
             double bottom),                                                   \
            (worksheet, left, right, top, bottom))                             \
    FN(lxw_error, worksheet_set_row,                                           \
       (lxw_worksheet * worksheet, lxw_row_t row, double height,               \
        lxw_format *format),                                                   \
       (worksheet, row, height, format))                                       \
    FN(lxw_error, worksheet_set_row_opt,                                       \
       (lxw_worksheet * worksheet, lxw_row_t row, double height,               \
        lxw_format *format, lxw_row_col_options *options),                     \
       (worksheet, row, height, format, options))                              \
    FN(lxw_error, worksheet_write_blank,                                       \
       (lxw_worksheet * worksheet, lxw_row_t row, lxw_col_t col,               \
        lxw_format * format),                                                  \
       (worksheet, row, col, format))                                          \
    FN(lxw_error, worksheet_write_boolean,                                     \
       (lxw_worksheet * worksheet, lxw_row_t row, lxw_col_t col, int value,    \
        lxw_format *format),                                                   \
       (worksheet, row, col, value, format))                                   \
    FN(lxw_error, worksheet_write_number,                                      \
       (lxw_worksheet * worksheet, lxw_row_t row, lxw_col_t col,               \
        double number, lxw_format *format),                                    \
       (worksheet, row, col, number, format))                                  \
    FN(lxw_error, worksheet_write_string,                                      \
       (lxw_worksheet * worksheet, lxw_row_t row, lxw_col_t col,               \
        const char *string, lxw_format *format),                               \
       (worksheet, row, col, string, format))                                  \
    FN(lxw_error, worksheet_write_url_opt,                                     \
       (lxw_worksheet * worksheet, lxw_row_t row_num, lxw_col_t col_num,       \
        const char *url, lxw_format *format, const char *string,               \
        const char *tooltip),                                                  \
       (worksheet, row_num, col_num, url, format, string, tooltip))

#include "lazylib_table.h"

enum ob_err
ob_xlsx_require(struct ob_diag *d)
{
    return ob_lazylib_require(&lib, d);
}

/*
 * How hard the workbook is compressed. libxlsxwriter deflates each part
 * at zlib's default level (6) and has no setting for it, and a large
 * table's sheet is mostly deflate's time: at 1,000,000 rows by 10 columns
 * (bench large), deflating its 504 MB of XML took 7.8 s of a 13.2 s
 * report. At level 2 it takes 1.75 s, for a file 16 % larger (70.6 MB
 * against 60.7 MB); level 1 is no faster and 28 % larger, level 3 takes
 * 3.0 s for 10 % larger.
 *
 * So opsbook defines minizip's zipOpenNewFileInZip4_64(), which
 * libxlsxwriter calls to begin each part, and exports that name alone
 * (the Makefile's EXPORTS): the dynamic linker binds libxlsxwriter's call
 * to the executable's definition before minizip's. It calls minizip's own
 * with the level changed. A libxlsxwriter built with a minizip of its
 * own inside may not call here (when it binds the call itself): its
 * workbooks are then the same but for their size, and slower to write.
 */
#define WORKBOOK_DEFLATE_LEVEL 2

/* minizip 1.1's prototype (its zip.h; libminizip-dev is not a build
 * dependency), with zipFile, zip_fileinfo, uInt and uLong spelled out. */
#define ZIP_OPEN_PARAMS                                                        \
    (void *file, const char *filename, const void *zipfi,                      \
     const void *extrafield_local, unsigned size_extrafield_local,             \
     const void *extrafield_global, unsigned size_extrafield_global,           \
     const char *comment, int method, int level, int raw, int window_bits,     \
     int mem_level, int strategy, const char *password,                        \
     unsigned long crc_for_crypting, unsigned long version_made_by,            \
     unsigned long flag_base, int zip64)
#define ZIP_INTERNALERROR (-104) /* zip.h's */

typedef int zip_open_fn ZIP_OPEN_PARAMS;
int zipOpenNewFileInZip4_64 ZIP_OPEN_PARAMS;

static zip_open_fn *minizip_open;
static pthread_once_t minizip_once = PTHREAD_ONCE_INIT;

/* minizip's own: looked up through libxlsxwriter, whose dependencies
 * are searched, not the executable. It is loaded: it is calling us. */
static void
find_minizip_open(void)
{
    void *xlsx = sonames[0] ? dlopen(sonames[0], RTLD_NOW | RTLD_NOLOAD) : NULL;
    void *p = xlsx ? dlsym(xlsx, "zipOpenNewFileInZip4_64") : NULL;

    /* POSIX makes this conversion valid (dlsym's own rationale) */
    minizip_open = (zip_open_fn *)p;
    if (xlsx)
        dlclose(xlsx); /* only the reference NOLOAD took */
}

int zipOpenNewFileInZip4_64 ZIP_OPEN_PARAMS
{
    pthread_once(&minizip_once, find_minizip_open);
    if (!minizip_open)
        return ZIP_INTERNALERROR; /* the workbook fails, and says so */
    if (method == Z_DEFLATED && level == Z_DEFAULT_COMPRESSION)
        level = WORKBOOK_DEFLATE_LEVEL;
    return minizip_open(file, filename, zipfi, extrafield_local,
                        size_extrafield_local, extrafield_global,
                        size_extrafield_global, comment, method, level, raw,
                        window_bits, mem_level, strategy, password,
                        crc_for_crypting, version_made_by, flag_base, zip64);
}
