/* report_book.c: what every report sheet uses: words, formats, cells that
 * stay text, column widths, page set-up and sheet names. */
/* SPDX-License-Identifier: MIT */
#include "report_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "opsbook/date.h"
#include "opsbook/mem.h"
#include "opsbook/text.h"

/* ---- words ------------------------------------------------------------ */

static const char *const words[OB_XW_N][2] = {
    [OB_XW_SUMMARY] = {"Summary", "Synthèse"},
    [OB_XW_OKRS] = {"OKRs", "OKR"},
    [OB_XW_SOURCES] = {"Sources", "Sources"},
    [OB_XW_KPI] = {"KPI", "Indicateur"},
    [OB_XW_GROUP] = {"Group", "Groupe"},
    [OB_XW_PERIOD] = {"Period", "Période"},
    [OB_XW_PERIOD_START] = {"Period start", "Début"},
    [OB_XW_VALUE] = {"Value", "Valeur"},
    [OB_XW_PREVIOUS] = {"Previous", "Précédent"},
    [OB_XW_CHANGE] = {"Change", "Variation"},
    [OB_XW_CHANGE_PCT] = {"Change %", "Variation %"},
    [OB_XW_TARGET] = {"Target", "Cible"},
    [OB_XW_STATUS] = {"Status", "Statut"},
    [OB_XW_TREND] = {"Trend", "Tendance"},
    [OB_XW_NO_DATA] = {"no data", "pas de données"},
    [OB_XW_AS_OF] = {"As of", "Au"},
    [OB_XW_NOTE] = {"Note", "Note"},
    [OB_XW_IN_PROGRESS] = {"in progress", "en cours"},
    [OB_XW_QUARTER] = {"Quarter", "Trimestre"},
    [OB_XW_ID] = {"ID", "ID"},
    [OB_XW_OBJECTIVE] = {"Objective / key result", "Objectif / résultat clé"},
    [OB_XW_OWNER] = {"Owner", "Responsable"},
    [OB_XW_BASELINE] = {"Baseline", "Départ"},
    [OB_XW_CURRENT] = {"Current", "Actuel"},
    [OB_XW_PROGRESS] = {"Progress", "Avancement"},
    [OB_XW_EXPECTED] = {"Expected", "Attendu"},
    [OB_XW_CONFIDENCE] = {"Confidence", "Confiance"},
    [OB_XW_LAST_CHECKIN] = {"Last check-in", "Dernier point"},
    [OB_XW_SOURCE] = {"Source", "Source"},
    [OB_XW_TYPE] = {"Type", "Type"},
    [OB_XW_PATH] = {"Path", "Chemin"},
    [OB_XW_FILES] = {"Files", "Fichiers"},
    [OB_XW_ROWS] = {"Rows", "Lignes"},
    [OB_XW_NEWEST] = {"Newest row", "Ligne la plus récente"},
    [OB_XW_FRESHNESS] = {"Freshness", "Fraîcheur"},
    [OB_XW_CHECKS] = {"Checks", "Contrôles"},
    [OB_XW_PAGE] = {"Page", "Page"},
    [OB_XW_MEASURE] = {"Measure", "Mesure"},
    [OB_XW_DATE] = {"Date", "Date"},
    [OB_XW_WEEKDAY] = {"Weekday", "Jour"},
};

const char *
ob_xl_word(const struct ob_xl *x, enum ob_xl_word w)
{
    return words[w][x->lang == OB_LANG_FR];
}

const char *
ob_xl_status_word(const struct ob_xl *x, enum ob_status s)
{
    static const char *const names[][2] = {
        [OB_STATUS_NONE] = {"", ""},
        [OB_STATUS_GREEN] = {"green", "vert"},
        [OB_STATUS_AMBER] = {"amber", "orange"},
        [OB_STATUS_RED] = {"red", "rouge"}};

    return names[s][x->lang == OB_LANG_FR];
}

/* ---- libxlsxwriter status ------------------------------------------- */

bool
ob_xl_check(struct ob_xl *x, lxw_error e, const char *what)
{
    if (e == LXW_NO_ERROR)
        return true;
    if (!x->failed) {
        x->failed = e;
        x->during = what;
    }
    return false;
}

bool
ob_xl_ok(const struct ob_xl *x)
{
    return x->failed == LXW_NO_ERROR && x->err == OB_OK;
}

/* ---- formats ---------------------------------------------------------- */

/* Colours: a dark blue header, grey rules and muted text, and the status
 * fills spreadsheet users know from Excel's own "Good", "Neutral" and
 * "Bad" styles. */
#define HEADER_FILL 0x1F3864
#define RULE_GREY   0xD9D9D9
#define MUTED_GREY  0x7F7F7F

static const struct {
    unsigned style;
    lxw_color_t font, fill;
} tones[] = {
    {OB_XL_GOOD, 0x006100, 0xC6EFCE}, {OB_XL_WARN, 0x9C5700, 0xFFEB9C},
    {OB_XL_BAD, 0x9C0006, 0xFFC7CE},  {OB_XL_DONE, 0x1F3864, 0xDDEBF7},
    {OB_XL_GREY, 0x595959, 0xEDEDED},
};

static void
apply_tone(lxw_format *f, unsigned style)
{
    size_t i;

    for (i = 0; i < sizeof tones / sizeof tones[0]; i++)
        if (style & tones[i].style) {
            format_set_font_color(f, tones[i].font);
            format_set_bg_color(f, tones[i].fill);
        }
}

static void
apply_style(lxw_format *f, unsigned style)
{
    if (style & OB_XL_TITLE) {
        format_set_bold(f);
        format_set_font_size(f, 16);
        format_set_font_color(f, HEADER_FILL);
    }
    if (style & OB_XL_SUBTITLE)
        format_set_font_color(f, MUTED_GREY);
    if (style & OB_XL_HEADER) {
        format_set_bold(f);
        format_set_font_color(f, LXW_COLOR_WHITE);
        format_set_bg_color(f, HEADER_FILL);
        format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
        format_set_text_wrap(f);
    }
    if (style & OB_XL_BOLD)
        format_set_bold(f);
    if (style & OB_XL_ROW) {
        format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
        format_set_bottom(f, LXW_BORDER_THIN);
        format_set_bottom_color(f, RULE_GREY);
    }
    if (style & OB_XL_MUTED) {
        format_set_italic(f);
        format_set_font_color(f, MUTED_GREY);
    }
    if (style & OB_XL_WRAP)
        format_set_text_wrap(f);
    if (style & OB_XL_LINK) {
        format_set_underline(f, LXW_UNDERLINE_SINGLE);
        format_set_font_color(f, 0x0563C1);
    }
    if (style & OB_XL_RIGHT)
        format_set_align(f, LXW_ALIGN_RIGHT);
    if (style & OB_XL_CENTER)
        format_set_align(f, LXW_ALIGN_CENTER);
    if (style >> 16)
        format_set_indent(f, (uint8_t)(style >> 16));
    apply_tone(f, style);
}

lxw_format *
ob_xl_format(struct ob_xl *x, const char *num_format, unsigned style)
{
    struct ob_xl_format *e;
    size_t i;

    if (!num_format)
        num_format = "";
    for (i = 0; i < x->n_formats; i++) {
        e = &x->formats[i];
        if (e->style == style && !strcmp(e->num_format, num_format))
            return e->format;
    }
    OB_GROW(x->formats, x->n_formats + 1, x->cap_formats);
    e = &x->formats[x->n_formats++];
    e->num_format = ob_arena_strdup(&x->a, num_format);
    e->style = style;
    e->format = workbook_add_format(x->wb);
    if (!e->format)
        ob_oom(); /* libxlsxwriter fails only on memory here */
    if (*num_format)
        format_set_num_format(e->format, num_format);
    apply_style(e->format, style);
    return e->format;
}

/* en symbols written before the amount, as numfmt.c writes them. */
static const char *
currency_symbol(const char *code)
{
    static const char *const map[][2] = {
        {"EUR", "\xE2\x82\xAC"}, {"USD", "$"}, {"GBP", "\xC2\xA3"}};
    size_t i;

    for (i = 0; code && i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(code, map[i][0]))
            return map[i][1];
    return NULL;
}

/* "#,##0.00": digits with groups and `dec` decimals. */
static void
put_digits(struct ob_buf *out, const char *whole, int dec)
{
    ob_buf_puts(out, whole);
    if (dec > 0)
        ob_buf_putc(out, '.');
    for (; dec > 0; dec--)
        ob_buf_putc(out, '0');
}

/* One section of a number format: the value without its sign. */
static void
put_section(struct ob_buf *out, const struct ob_numfmt *f, int dec)
{
    const char *sym, *shown;

    switch (f->format) {
    case OB_FMT_PERCENT:
        put_digits(out, "0", dec);
        ob_buf_putc(out, '%');
        break;
    case OB_FMT_CURRENCY:
        sym = currency_symbol(f->currency);
        shown = sym ? sym : f->currency;
        if (shown && f->language == OB_LANG_EN)
            ob_buf_printf(out, "\"%s%s\"", shown, sym ? "" : " ");
        put_digits(out, "#,##0", dec);
        if (shown && f->language == OB_LANG_FR)
            ob_buf_printf(out, "\"\xC2\xA0%s\"", shown);
        break;
    case OB_FMT_DURATION:
        ob_buf_puts(out, "[h]:mm:ss");
        break;
    default:
        put_digits(out, "#,##0", dec);
        break;
    }
}

void
ob_xl_numfmt(const struct ob_numfmt *f, bool delta, struct ob_buf *out)
{
    int dec = ob_numfmt_decimals(f);

    if (dec > 15)
        dec = 15;
    if (!delta) {
        put_section(out, f, dec);
        return;
    }
    /* +x;−x;x with U+2212, as the site writes changes */
    ob_buf_putc(out, '+');
    put_section(out, f, dec);
    ob_buf_puts(out, ";\"\xE2\x88\x92\"");
    put_section(out, f, dec);
    ob_buf_putc(out, ';');
    put_section(out, f, dec);
}

double
ob_xl_value(const struct ob_numfmt *f, double v)
{
    return f->format == OB_FMT_DURATION ? v / OB_SECONDS_PER_DAY : v;
}

/* Excel counts days from 1899-12-30 (its 1900 leap-year bug included):
 * 1970-01-01 is 25569. */
#define EXCEL_1970 25569.0

double
ob_xl_date(int32_t date)
{
    return (double)date + EXCEL_1970;
}

bool
ob_xl_date_ok(int32_t date)
{
    /* 1900-03-01 is serial 61; 9999-12-31 is Excel's last day */
    return ob_xl_date(date) >= 61 && ob_xl_date(date) <= 2958465;
}

/* ---- cells ------------------------------------------------------------- */

/* The longest prefix of s that holds at most `max` UTF-16 code units (how
 * Excel counts characters), cut at a character boundary. */
static size_t
excel_prefix(const char *s, size_t len, size_t max)
{
    size_t i = 0, units = 0;

    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        size_t n = ob_utf8_seq_len(c), u = n == 4 ? 2 : 1;

        if (n == 0 || i + n > len)
            n = 1;
        if (units + u > max)
            break;
        units += u;
        i += n;
    }
    return i;
}

/* How much wider bold text is than regular (characters), and the room an
 * indentation level takes. */
#define BOLD_WIDTH  1.1
#define INDENT_ROOM 1.5

static bool
bold(unsigned style)
{
    return (style & (OB_XL_BOLD | OB_XL_HEADER | OB_XL_TITLE)) != 0;
}

/* The entry of a workbook format, NULL for the default one. */
static const struct ob_xl_format *
format_entry(const struct ob_xl *x, const lxw_format *f)
{
    size_t i;

    for (i = 0; f && i < x->n_formats; i++)
        if (x->formats[i].format == f)
            return &x->formats[i];
    return NULL;
}

/* The height of a row holding `lines` lines, grown now: in constant-memory
 * mode only the row being written can still change. */
static void
grow_row(struct ob_xl *x, lxw_worksheet *ws, struct ob_xl_widths *w,
         lxw_row_t row, unsigned lines)
{
    double height = LXW_DEF_ROW_HEIGHT *
                    (lines > OB_XL_MAX_LINES ? OB_XL_MAX_LINES : lines);
    lxw_row_col_options o = {LXW_FALSE, 0, LXW_FALSE};

    if (row != w->row || w->height <= 0) {
        w->row = row;
        w->height = LXW_DEF_ROW_HEIGHT;
        w->level = 0;
    }
    if (height <= w->height)
        return;
    w->height = height;
    o.level = w->level;
    ob_xl_check(x, worksheet_set_row_opt(ws, row, height, NULL, &o),
                "a row height");
}

/* Format `f` (entry `e`) with style `want` instead. */
static lxw_format *
variant(struct ob_xl *x, lxw_format *f, const struct ob_xl_format *e,
        unsigned want)
{
    /* the last variant made is asked for again and again down a column */
    if (x->variant.from != f || x->variant.style != want) {
        x->variant.from = f;
        x->variant.style = want;
        x->variant.to = ob_xl_format(x, e ? e->num_format : NULL, want);
    }
    return x->variant.to;
}

/* A number (or its header) aligned right beside a column of centred
 * words, which a status colour fills: it keeps a character's room from
 * the fill. */
static bool
wants_right_indent(const struct ob_xl_widths *w, lxw_col_t col)
{
    return col + 1 < 64 && (w->right >> col & 1) &&
           (w->centred >> (col + 1) & 1);
}

/* The characters a column holding `chars` of content wraps its text at:
 * its padding but a character's worth of cell margin; less the indent. */
static double
wrap_room(double chars, double indent, double scale)
{
    return (chars + OB_XL_PAD - 1 - indent) / scale;
}

/* Text after a column of numbers would touch them: it is indented, as an
 * analyst would, unless it is aligned or indented already. */
static bool
wants_indent(const struct ob_xl_widths *w, lxw_col_t col, unsigned style)
{
    if (col == 0 || col >= 64 || (style & (OB_XL_RIGHT | OB_XL_CENTER)) ||
        (style >> 16))
        return false;
    return (w->right >> (col - 1) & 1) && !(w->right >> col & 1);
}

lxw_format *
ob_xl_fit(struct ob_xl *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
          const char *s, size_t len, lxw_format *f, struct ob_xl_widths *w)
{
    const struct ob_xl_format *e = format_entry(x, f);
    unsigned style = e ? e->style : 0, want = style;
    double scale, indent, chars, room;
    bool breaks = memchr(s, '\n', len) != NULL;

    if (!w || col >= w->n) {
        /* a line break shows as one when the cell wraps */
        return !f && breaks ? ob_xl_format(x, NULL, OB_XL_WRAP) : f;
    }
    if (wants_indent(w, col, style))
        want |= OB_XL_INDENT(1);
    room = w->max[col] - OB_XL_PAD;
    scale = bold(style) ? BOLD_WIDTH : 1;
    indent = INDENT_ROOM * (want >> 16);
    /* A text has at most as many characters as bytes: one no longer in
     * bytes than the column is wide so far changes neither its width nor
     * its rows, as most cells down a long column do; not measured. */
    chars = (double)len * scale + indent;
    if (!breaks && chars <= w->w[col] && chars <= room)
        return want == style ? f : variant(x, f, e, want);
    chars = ob_xl_text_width(s, len) * scale + indent;
    if (breaks || chars > room) {
        /* wrapped in the column as wide as it may grow: the row grows
         * instead (Excel and LibreOffice wrap at words, as counted) */
        want |= OB_XL_WRAP;
        if (chars > room)
            chars = room;
        grow_row(x, ws, w, row,
                 ob_xl_text_lines(s, len, wrap_room(room, indent, scale)));
    }
    ob_xl_widths_fit(w, col, chars);
    return want == style ? f : variant(x, f, e, want);
}

void
ob_xl_text(struct ob_xl *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
           const char *s, size_t len, lxw_format *f, struct ob_xl_widths *w)
{
    /* A UTF-8 text of at most 32,767 bytes is short enough whatever it
     * holds; longer ones are measured and cut. */
    if (len > OB_XL_MAX_CHARS)
        len = excel_prefix(s, len, OB_XL_MAX_CHARS);
    f = ob_xl_fit(x, ws, row, col, s, len, f, w);
    ob_buf_reset(&x->text);
    ob_buf_add(&x->text, s, len);
    /* worksheet_write_string() never reads its text as a formula: "=1+1"
     * is stored as those four characters, a string cell. */
    ob_xl_check(x, worksheet_write_string(ws, row, col, x->text.ptr, f),
                "a text cell");
}

void
ob_xl_str(struct ob_xl *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
          const char *s, lxw_format *f, struct ob_xl_widths *w)
{
    ob_xl_text(x, ws, row, col, s ? s : "", s ? strlen(s) : 0, f, w);
}

void
ob_xl_num(struct ob_xl *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
          double v, lxw_format *f, size_t shown, struct ob_xl_widths *w)
{
    if (!isfinite(v)) {
        ob_xl_blank(x, ws, row, col, f);
        return;
    }
    if (w && wants_right_indent(w, col)) {
        const struct ob_xl_format *e = format_entry(x, f);
        unsigned style = e ? e->style : 0;

        if (!(style >> 16)) {
            f = variant(x, f, e, style | OB_XL_RIGHT | OB_XL_INDENT(1));
            shown += (size_t)INDENT_ROOM;
        }
    }
    ob_xl_check(x, worksheet_write_number(ws, row, col, v, f), "a number");
    if (w)
        ob_xl_widths_fit(w, col, (double)shown);
}

void
ob_xl_blank(struct ob_xl *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
            lxw_format *f)
{
    if (f)
        ob_xl_check(x, worksheet_write_blank(ws, row, col, f), "a cell");
}

void
ob_xl_header(struct ob_xl *x, lxw_worksheet *ws, lxw_row_t row,
             const char *const *names, size_t n, uint64_t numbers,
             uint64_t centred, struct ob_xl_widths *w)
{
    /* a streamed sheet's header row is behind it when the widths are
     * known: it is fitted now, as any row */
    bool later = w && !ws->optimize;
    size_t i;

    if (w) {
        ob_xl_widths_right(w, numbers);
        w->centred |= centred & ~numbers;
        w->head_row = row;
    }
    for (i = 0; i < n; i++) {
        unsigned style = OB_XL_HEADER;

        if (i < 64 && (numbers >> i & 1))
            style |= OB_XL_RIGHT;
        else if (i < 64 && (centred >> i & 1))
            style |= OB_XL_CENTER;
        if (w && wants_right_indent(w, (lxw_col_t)i))
            style |= OB_XL_INDENT(1);
        if (later && i < w->n) {
            if (wants_indent(w, (lxw_col_t)i, style))
                style |= OB_XL_INDENT(1);
            w->head[i].text = ob_arena_strdup(&x->a, names[i]);
            w->head[i].indent = INDENT_ROOM * (style >> 16);
        }
        ob_xl_str(x, ws, row, (lxw_col_t)i, names[i],
                  ob_xl_format(x, NULL, style), later ? NULL : w);
    }
}

void
ob_xl_title(struct ob_xl *x, lxw_worksheet *ws, const char *title,
            const char *subtitle)
{
    ob_xl_check(x, worksheet_set_row(ws, 0, 24, NULL), "the title row");
    ob_xl_str(x, ws, 0, 0, title, ob_xl_format(x, NULL, OB_XL_TITLE), NULL);
    if (subtitle)
        ob_xl_str(x, ws, 1, 0, subtitle, ob_xl_format(x, NULL, OB_XL_SUBTITLE),
                  NULL);
}

/* ---- columns ----------------------------------------------------------- */

void
ob_xl_widths_init(struct ob_xl_widths *w, size_t n)
{
    size_t i;

    memset(w, 0, sizeof(*w));
    w->w = ob_xcalloc(n + 1, sizeof(*w->w));
    w->max = ob_xcalloc(n + 1, sizeof(*w->max));
    w->head = ob_xcalloc(n + 1, sizeof(*w->head));
    w->n = n;
    for (i = 0; i < n; i++)
        w->max[i] = OB_XL_MAX_WIDTH;
}

void
ob_xl_widths_release(struct ob_xl_widths *w)
{
    free(w->w);
    free(w->max);
    free(w->head);
    memset(w, 0, sizeof(*w));
}

void
ob_xl_widths_fit(struct ob_xl_widths *w, size_t col, double chars)
{
    if (col < w->n && chars > w->w[col])
        w->w[col] = chars;
}

void
ob_xl_widths_right(struct ob_xl_widths *w, uint64_t mask)
{
    w->right |= mask;
}

void
ob_xl_widths_cap(struct ob_xl_widths *w, size_t col, double chars)
{
    if (col < w->n && chars >= 6 && chars < OB_XL_MAX_WIDTH)
        w->max[col] = chars;
}

void
ob_xl_row(struct ob_xl *x, lxw_worksheet *ws, struct ob_xl_widths *w,
          lxw_row_t row, double height, uint8_t level)
{
    lxw_row_col_options o = {LXW_FALSE, level, LXW_FALSE};

    w->row = row;
    w->height = height;
    w->level = level;
    ob_xl_check(x, worksheet_set_row_opt(ws, row, height, NULL, &o), "a row");
}

double
ob_xl_text_width(const char *s, size_t len)
{
    double chars = 0, line = 0;
    size_t i;

    /* Characters, not bytes; a line break starts a new line (the widest
     * line counts); past the widest column the rest does not matter. */
    for (i = 0; i < len && chars <= OB_XL_MAX_WIDTH; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '\n') {
            line = 0;
            continue;
        }
        if ((c & 0xC0) == 0x80)
            continue; /* inside a character */
        line++;
        if (line > chars)
            chars = line;
    }
    return chars;
}

/* Puts a word `word` characters wide on the line, or on the next ones. */
static void
place_word(double word, double chars, double *line, unsigned *lines)
{
    if (*line > 0 && *line + word > chars) {
        ++*lines;
        *line = 0;
    }
    /* a word longer than the line is broken where the line ends */
    for (; word > chars; word -= chars)
        ++*lines;
    *line += word;
}

unsigned
ob_xl_text_lines(const char *s, size_t len, double chars)
{
    double line = 0, word = 0;
    unsigned lines = 1;
    size_t i;

    if (chars < 1)
        chars = 1;
    for (i = 0; i < len && lines <= OB_XL_MAX_LINES; i++) {
        unsigned char c = (unsigned char)s[i];

        if ((c & 0xC0) == 0x80)
            continue;
        if (c != ' ' && c != '\n') {
            word++;
            continue;
        }
        place_word(word, chars, &line, &lines);
        word = 0;
        if (c == ' ') {
            line++; /* a space at the end of a line hangs past it */
        } else {
            lines++;
            line = 0;
        }
    }
    place_word(word, chars, &line, &lines);
    return lines;
}

/* The widest word of a text, in characters. */
static double
widest_word(const char *s)
{
    double widest = 0, word = 0;

    for (;; s++) {
        unsigned char c = (unsigned char)*s;

        if (!c || c == ' ' || c == '\n') {
            if (word > widest)
                widest = word;
            word = 0;
            if (!c)
                return widest;
        } else if ((c & 0xC0) != 0x80) {
            word++;
        }
    }
}

/* A header wraps when that spares its column this many characters: a
 * second header line for less is not worth it. */
#define HEAD_WRAP_GAIN 4.0

unsigned
ob_xl_widths_settle(struct ob_xl_widths *w)
{
    unsigned lines = 1;
    size_t i;

    for (i = 0; i < w->n; i++) {
        const struct ob_xl_head *h = &w->head[i];
        double room = w->max[i] - OB_XL_PAD, whole, words, cells = w->w[i];
        unsigned n;

        if (!h->text)
            continue;
        whole =
            ob_xl_text_width(h->text, strlen(h->text)) * BOLD_WIDTH + h->indent;
        words = widest_word(h->text) * BOLD_WIDTH + h->indent;
        if (words < cells)
            words = cells;
        if (whole < cells)
            whole = cells;
        /* wrapping at words spares enough; or the column caps it */
        if (whole - words >= HEAD_WRAP_GAIN)
            whole = words;
        if (whole > room)
            whole = room;
        w->w[i] = whole;
        n = ob_xl_text_lines(h->text, strlen(h->text),
                             wrap_room(whole, h->indent, BOLD_WIDTH));
        if (n > lines)
            lines = n;
        w->head[i].text = NULL; /* settled */
    }
    return lines;
}

double
ob_xl_widths_get(const struct ob_xl_widths *w, size_t col)
{
    double width = col < w->n ? ceil(w->w[col] + OB_XL_PAD) : 0;

    if (width < 6)
        width = 6;
    if (col < w->n && width > w->max[col])
        width = w->max[col];
    return width;
}

double
ob_xl_widths_pixels(const struct ob_xl_widths *w)
{
    double pixels = 0;
    size_t i;

    /* libxlsxwriter's sum: 7 pixels a character (Calibri 11's widest
     * digit) and 5 of padding a column */
    for (i = 0; i < w->n; i++)
        pixels += floor(ob_xl_widths_get(w, i) * 7 + 0.5) + 5;
    return pixels;
}

void
ob_xl_widths_apply(struct ob_xl *x, lxw_worksheet *ws, struct ob_xl_widths *w)
{
    unsigned lines = ob_xl_widths_settle(w);
    size_t i;

    for (i = 0; i < w->n; i++)
        ob_xl_check(x,
                    worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i,
                                         ob_xl_widths_get(w, i), NULL),
                    "column widths");
    if (lines > 1)
        ob_xl_check(x,
                    worksheet_set_row(ws, w->head_row,
                                      LXW_DEF_ROW_HEIGHT * lines, NULL),
                    "the header's height");
}

/* ---- pages ------------------------------------------------------------- */

/* Text for a page header or footer: '&' starts a code there, so a literal
 * one is doubled; cut well inside Excel's 255 characters. */
static void
put_hf_text(struct ob_buf *out, const char *s, size_t max_chars)
{
    size_t chars = 0;

    for (; *s && chars < max_chars; s++) {
        if (((unsigned char)*s & 0xC0) != 0x80)
            chars++;
        if (*s == '&')
            ob_buf_putc(out, '&');
        ob_buf_putc(out, *s);
    }
    /* finish a character whose first byte went in */
    while (((unsigned char)*s & 0xC0) == 0x80)
        ob_buf_putc(out, *s++);
}

static void
page_header_footer(struct ob_xl *x, lxw_worksheet *ws, const char *name)
{
    const struct ob_site_config *site = &x->b->config.site;
    struct ob_buf hf = OB_BUF_INIT;
    char date[11];

    ob_buf_puts(&hf, "&L");
    put_hf_text(&hf, x->def->title, 80);
    ob_buf_puts(&hf, "&R");
    put_hf_text(&hf, name, 31);
    ob_xl_check(x, worksheet_set_header(ws, hf.ptr), "the page header");
    ob_buf_reset(&hf);
    ob_date_format(x->b->as_of, date);
    ob_buf_puts(&hf, "&L");
    put_hf_text(&hf, site->company ? site->company : site->title, 60);
    ob_buf_printf(&hf, " \xC2\xB7 %s %s&R%s &P / &N",
                  ob_xl_word(x, OB_XW_AS_OF), date, ob_xl_word(x, OB_XW_PAGE));
    ob_xl_check(x, worksheet_set_footer(ws, hf.ptr), "the page footer");
    ob_buf_release(&hf);
}

void
ob_xl_sheet_setup(struct ob_xl *x, lxw_worksheet *ws, const char *name,
                  lxw_row_t header, lxw_row_t last, lxw_col_t last_col)
{
    worksheet_freeze_panes(ws, header + 1, 0);
    if (last > header)
        ob_xl_check(x, worksheet_autofilter(ws, header, 0, last, last_col),
                    "an autofilter");
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
    ob_xl_check(x, worksheet_repeat_rows(ws, 0, header), "print titles");
    page_header_footer(x, ws, name);
}

/* ---- sheet names ------------------------------------------------------ */

#define SHEET_NAME_MAX 31

/* ASCII and Latin-1 letters folded to lower case: Excel compares sheet
 * names ignoring case. */
static void
fold_case(const char *s, struct ob_buf *out)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        else if (c == 0xC3 && (unsigned char)s[1] >= 0x80 &&
                 (unsigned char)s[1] <= 0x9E && (unsigned char)s[1] != 0x97) {
            ob_buf_putc(out, (char)c);
            c = (unsigned char)(*++s + 32);
        }
        ob_buf_putc(out, (char)c);
    }
}

static bool
name_taken(const struct ob_xl_names *names, const char *name)
{
    struct ob_buf a = OB_BUF_INIT, b = OB_BUF_INIT;
    bool taken = false;
    size_t i;

    fold_case(name, &a);
    for (i = 0; i < names->n && !taken; i++) {
        ob_buf_reset(&b);
        fold_case(names->names[i], &b);
        taken = !strcmp(a.ptr, b.ptr);
    }
    ob_buf_release(&a);
    ob_buf_release(&b);
    return taken;
}

/* `want` with the characters Excel refuses replaced, trimmed, cut to
 * `max` characters (UTF-16 units, as Excel counts). */
static void
clean_name(const char *want, size_t max, struct ob_buf *out)
{
    size_t cut = excel_prefix(want, strlen(want), max), i;

    for (i = 0; i < cut; i++) {
        char c = want[i];

        if (strchr("[]:*?/\\", c) || (unsigned char)c < 0x20 || c == 0x7f)
            c = '_';
        ob_buf_putc(out, c);
    }
    /* no apostrophe or space at either end */
    while (out->len &&
           (out->ptr[out->len - 1] == '\'' || out->ptr[out->len - 1] == ' '))
        ob_buf_truncate(out, out->len - 1);
    for (i = 0; i < out->len && (out->ptr[i] == '\'' || out->ptr[i] == ' ');)
        i++;
    if (i) {
        memmove(out->ptr, out->ptr + i, out->len - i);
        ob_buf_truncate(out, out->len - i);
    }
}

const char *
ob_xl_sheet_name(struct ob_xl_names *names, const char *want,
                 const char *fallback, struct ob_arena *a)
{
    struct ob_buf base = OB_BUF_INIT, name = OB_BUF_INIT;
    unsigned n;
    char *result;

    clean_name(want && *want ? want : fallback, SHEET_NAME_MAX, &base);
    if (!base.len)
        clean_name(fallback, SHEET_NAME_MAX, &base);
    /* Excel keeps "History" for its change tracking */
    if (!strcasecmp(base.ptr, "History"))
        ob_buf_putc(&base, '_');
    ob_buf_puts(&name, base.ptr);
    for (n = 2; name_taken(names, name.ptr); n++) {
        char suffix[16];

        snprintf(suffix, sizeof suffix, " (%u)", n);
        ob_buf_reset(&name);
        clean_name(base.ptr, SHEET_NAME_MAX - strlen(suffix), &name);
        ob_buf_puts(&name, suffix);
    }
    result = ob_arena_strdup(a, name.ptr);
    OB_GROW(names->names, names->n + 1, names->cap);
    names->names[names->n++] = result;
    ob_buf_release(&base);
    ob_buf_release(&name);
    return result;
}

void
ob_xl_names_release(struct ob_xl_names *names)
{
    free(names->names);
    memset(names, 0, sizeof(*names));
}
