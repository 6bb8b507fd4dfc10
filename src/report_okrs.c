/* report_okrs.c: the OKRs sheet: each objective with its key results
 * grouped beneath it (Excel outline levels), aligned objectives under
 * their parent; progress with data bars, expected pace, status and
 * confidence. */
/* SPDX-License-Identifier: MIT */
#include "report_int.h"

#include <stdlib.h>
#include <string.h>

#include "opsbook/date.h"
#include "opsbook/mem.h"

#define HEADER_ROW 3
#define MAX_LEVEL  7 /* Excel's deepest outline level */

/* The widest the long texts grow (characters) before they wrap: the
 * sheet then prints at about 73% of its size on a landscape page, its
 * 11-point text at 8 points. */
#define TITLE_WIDTH 30.0
#define OWNER_WIDTH 18.0
#define NOTE_WIDTH  30.0

enum col {
    C_QUARTER,
    C_ID,
    C_TITLE,
    C_OWNER,
    C_BASELINE,
    C_CURRENT,
    C_TARGET,
    C_PROGRESS,
    C_EXPECTED,
    C_STATUS,
    C_CONFIDENCE,
    C_CHECKIN,
    C_NOTE,
    N_COLS
};

struct okr_sheet {
    struct ob_xl *x;
    lxw_worksheet *ws;
    struct ob_xl_widths w;
    lxw_row_t row; /* the last row written */
    struct ob_buf cell;
};

/* ---- words -------------------------------------------------------------- */

static const char *const status_words[][2] = {
    [OB_OKR_NOT_STARTED] = {"not started", "pas commencé"},
    [OB_OKR_ENDED] = {"ended", "terminé"},
    [OB_OKR_DONE] = {"done", "atteint"},
    [OB_OKR_ON_TRACK] = {"on track", "en bonne voie"},
    [OB_OKR_AT_RISK] = {"at risk", "à risque"},
    [OB_OKR_OFF_TRACK] = {"off track", "en retard"},
};

static const char *const grade_words[][2] = {
    [OB_GRADE_NONE] = {"", ""},
    [OB_GRADE_GREEN] = {"green", "vert"},
    [OB_GRADE_YELLOW] = {"yellow", "jaune"},
    [OB_GRADE_RED] = {"red", "rouge"},
};

/* "on track"; after the quarter, "ended (green)". */
static void
status_text(const struct ob_xl *x, const struct ob_okr_score *s,
            struct ob_buf *out)
{
    int fr = x->lang == OB_LANG_FR;

    ob_buf_puts(out, status_words[s->status][fr]);
    if (s->grade != OB_GRADE_NONE)
        ob_buf_printf(out, " (%s)", grade_words[s->grade][fr]);
}

/* ---- rows --------------------------------------------------------------- */

static unsigned
level_of(size_t depth)
{
    return depth > MAX_LEVEL ? MAX_LEVEL : (unsigned)depth;
}

/* Starts a row at outline level `level` (0: not grouped). */
static lxw_row_t
next_row(struct okr_sheet *s, unsigned level)
{
    s->row++;
    ob_xl_row(s->x, s->ws, &s->w, s->row, LXW_DEF_ROW_HEIGHT, (uint8_t)level);
    return s->row;
}

static void
put_share(struct okr_sheet *s, lxw_col_t col, bool has, double v,
          const char *numfmt, unsigned style)
{
    lxw_format *f = ob_xl_format(s->x, numfmt, OB_XL_ROW | style);

    if (has)
        ob_xl_num(s->x, s->ws, s->row, col, v, f, 6, &s->w);
    else
        ob_xl_blank(s->x, s->ws, s->row, col, f);
}

/* Progress, expected, status and confidence: what objectives and key
 * results share. */
static void
put_score(struct okr_sheet *s, const struct ob_okr_score *sc, unsigned style)
{
    struct ob_xl *x = s->x;

    put_share(s, C_PROGRESS, true, sc->progress, "0%", style);
    put_share(s, C_EXPECTED, true, sc->expected, "0%", style);
    ob_buf_reset(&s->cell);
    status_text(x, sc, &s->cell);
    ob_xl_str(x, s->ws, s->row, C_STATUS, s->cell.ptr,
              ob_xl_format(x, NULL, OB_XL_ROW | OB_XL_CENTER | style), &s->w);
    put_share(s, C_CONFIDENCE, sc->has_confidence, sc->confidence, "0%", style);
}

/* The cells every row has, left of the numbers. */
static void
put_names(struct okr_sheet *s, const struct ob_quarter *q, const char *id,
          const char *title, const char *owner, unsigned style, size_t indent)
{
    struct ob_xl *x = s->x;
    lxw_format *f = ob_xl_format(x, NULL, OB_XL_ROW | style);

    ob_xl_str(x, s->ws, s->row, C_QUARTER, q->label, f, &s->w);
    ob_xl_str(x, s->ws, s->row, C_ID, id, f, &s->w);
    /* (the indent takes room too: ob_xl_fit() counts it) */
    ob_xl_str(x, s->ws, s->row, C_TITLE, title,
              ob_xl_format(x, NULL, OB_XL_ROW | style | OB_XL_INDENT(indent)),
              &s->w);
    ob_xl_str(x, s->ws, s->row, C_OWNER, owner ? owner : "", f, &s->w);
}

static void
put_kr_value(struct okr_sheet *s, lxw_col_t col, const struct ob_kr *kr,
             bool has, double v)
{
    struct ob_buf nf = OB_BUF_INIT;
    lxw_format *f;

    ob_xl_numfmt(&kr->fmt, false, &nf);
    f = ob_xl_format(s->x, nf.ptr, OB_XL_ROW);
    ob_buf_release(&nf);
    if (!has) {
        ob_xl_blank(s->x, s->ws, s->row, col, f);
        return;
    }
    ob_buf_reset(&s->cell);
    ob_numfmt_value(&s->cell, &kr->fmt, v);
    ob_xl_num(s->x, s->ws, s->row, col, ob_xl_value(&kr->fmt, v), f,
              (size_t)ob_xl_text_width(s->cell.ptr, s->cell.len), &s->w);
}

/* Where the current value came from, the latest check-in's note, and the
 * flags the site shows beside a key result. */
static void
kr_note(const struct ob_xl *x, const struct ob_kr *kr, struct ob_buf *out)
{
    bool fr = x->lang == OB_LANG_FR;
    const char *sep = "";

    if (kr->n_checkins && *kr->checkins[kr->n_checkins - 1]->note) {
        ob_buf_puts(out, kr->checkins[kr->n_checkins - 1]->note);
        sep = "; ";
    }
    if (kr->from == OB_KR_FROM_KPI) {
        ob_buf_printf(out, "%s%s %s", sep, fr ? "indicateur" : "KPI",
                      kr->def->kpi.name);
        sep = "; ";
    }
    if (kr->trend != OB_TREND_NONE) {
        ob_buf_printf(out, "%s%s %s", sep, fr ? "confiance" : "confidence",
                      ob_trend_name(kr->trend));
        sep = "; ";
    }
    if (kr->stale)
        ob_buf_printf(out, "%s%s", sep,
                      fr ? "pas de point récent" : "no recent check-in");
}

static void
put_kr(struct okr_sheet *s, const struct ob_quarter *q, const struct ob_kr *kr,
       size_t depth)
{
    struct ob_xl *x = s->x;
    const struct ob_kr_def *def = kr->def;
    bool numeric = def->type == OB_KR_NUMERIC;
    lxw_format *text = ob_xl_format(x, NULL, OB_XL_ROW);

    next_row(s, level_of(depth + 1));
    put_names(s, q, def->id, def->title, def->owner, 0, depth + 1);
    put_kr_value(s, C_BASELINE, kr, numeric, def->baseline);
    put_kr_value(s, C_CURRENT, kr, numeric, kr->current);
    put_kr_value(s, C_TARGET, kr, numeric, def->target);
    put_score(s, &kr->score, 0);
    if (kr->has_checkin && ob_xl_date_ok(kr->last_checkin)) {
        ob_xl_num(x, s->ws, s->row, C_CHECKIN, ob_xl_date(kr->last_checkin),
                  ob_xl_format(x, "yyyy-mm-dd", OB_XL_ROW), 10, &s->w);
    } else {
        ob_xl_blank(x, s->ws, s->row, C_CHECKIN, text);
    }
    ob_buf_reset(&s->cell);
    kr_note(x, kr, &s->cell);
    ob_xl_str(x, s->ws, s->row, C_NOTE, s->cell.ptr, text, &s->w);
}

/* An objective, its key results, then the objectives aligned to it in the
 * same quarter, one level deeper. */
static void
put_objective(struct okr_sheet *s, const struct ob_quarter *q,
              const struct ob_objective *obj, size_t depth)
{
    struct ob_xl *x = s->x;
    lxw_format *f = ob_xl_format(x, NULL, OB_XL_ROW | OB_XL_BOLD);
    size_t i;
    lxw_col_t c;

    next_row(s, level_of(depth));
    put_names(s, q, obj->def->id, obj->def->title, obj->def->owner, OB_XL_BOLD,
              depth);
    for (c = C_BASELINE; c <= C_TARGET; c++)
        ob_xl_blank(x, s->ws, s->row, c, f);
    put_score(s, &obj->score, OB_XL_BOLD);
    ob_xl_blank(x, s->ws, s->row, C_CHECKIN, f);
    ob_xl_blank(x, s->ws, s->row, C_NOTE, f);
    for (i = 0; i < obj->n_krs; i++)
        put_kr(s, q, &obj->krs[i], depth);
    for (i = 0; i < obj->n_children; i++)
        if (obj->children[i]->quarter == obj->quarter)
            put_objective(s, q, obj->children[i], depth + 1);
}

static bool
is_root(const struct ob_objective *obj)
{
    return !obj->parent || obj->parent->quarter != obj->quarter;
}

/* ---- the sheet ---------------------------------------------------------- */

/* "2026-Q4: day 51 of 92, expected 55%" for each quarter shown. */
static void
subtitle(struct okr_sheet *s, struct ob_buf *out)
{
    struct ob_xl *x = s->x;
    bool fr = x->lang == OB_LANG_FR;
    size_t i;

    for (i = 0; i < x->n_quarters; i++) {
        const struct ob_quarter *q = x->quarters[i];

        if (i)
            ob_buf_puts(out, " \xC2\xB7 ");
        ob_buf_printf(out, "%s: ", q->label);
        if (q->status == OB_OKR_NOT_STARTED)
            ob_buf_puts(out, fr ? "pas commencé" : "not started");
        else if (q->status == OB_OKR_ENDED)
            ob_buf_puts(out, fr ? "terminé" : "ended");
        else
            ob_buf_printf(out,
                          fr ? "jour %d sur %d, attendu %.0f %%"
                             : "day %d of %d, expected %.0f%%",
                          x->b->as_of - q->start + 1, q->end - q->start + 1,
                          q->expected * 100);
    }
}

static void
header(struct okr_sheet *s)
{
    static const enum ob_xl_word names[N_COLS] = {
        OB_XW_QUARTER,  OB_XW_ID,      OB_XW_OBJECTIVE,  OB_XW_OWNER,
        OB_XW_BASELINE, OB_XW_CURRENT, OB_XW_TARGET,     OB_XW_PROGRESS,
        OB_XW_EXPECTED, OB_XW_STATUS,  OB_XW_CONFIDENCE, OB_XW_LAST_CHECKIN,
        OB_XW_NOTE};
    const char *words[N_COLS];
    size_t i;

    for (i = 0; i < N_COLS; i++)
        words[i] = ob_xl_word(s->x, names[i]);
    ob_xl_header(s->x, s->ws, HEADER_ROW, words, N_COLS,
                 (1u << C_BASELINE) | (1u << C_CURRENT) | (1u << C_TARGET) |
                     (1u << C_PROGRESS) | (1u << C_EXPECTED) |
                     (1u << C_CONFIDENCE) | (1u << C_CHECKIN),
                 1u << C_STATUS, &s->w);
}

/* Progress as a bar from 0 to 100% (fixed ends: a bar means the same in
 * every row and every report). */
static void
progress_bars(struct okr_sheet *s, lxw_row_t first, lxw_row_t last)
{
    lxw_conditional_format cf;

    memset(&cf, 0, sizeof(cf));
    cf.type = LXW_CONDITIONAL_DATA_BAR;
    cf.min_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER;
    cf.min_value = 0;
    cf.max_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER;
    cf.max_value = 1;
    cf.bar_color = 0x5B9BD5;
    cf.bar_solid = LXW_TRUE;
    ob_xl_check(s->x,
                worksheet_conditional_format_range(s->ws, first, C_PROGRESS,
                                                   last, C_PROGRESS, &cf),
                "progress bars");
}

/* Status cells coloured by their word. */
static void
status_colours(struct okr_sheet *s, lxw_row_t first, lxw_row_t last)
{
    static const struct {
        enum ob_okr_status status;
        enum ob_okr_grade grade;
        unsigned tone;
    } rules[] = {
        {OB_OKR_DONE, OB_GRADE_NONE, OB_XL_DONE},
        {OB_OKR_ON_TRACK, OB_GRADE_NONE, OB_XL_GOOD},
        {OB_OKR_AT_RISK, OB_GRADE_NONE, OB_XL_WARN},
        {OB_OKR_OFF_TRACK, OB_GRADE_NONE, OB_XL_BAD},
        {OB_OKR_NOT_STARTED, OB_GRADE_NONE, OB_XL_GREY},
        {OB_OKR_ENDED, OB_GRADE_GREEN, OB_XL_GOOD},
        {OB_OKR_ENDED, OB_GRADE_YELLOW, OB_XL_WARN},
        {OB_OKR_ENDED, OB_GRADE_RED, OB_XL_BAD},
    };
    struct ob_buf word = OB_BUF_INIT, value = OB_BUF_INIT;
    size_t i;

    for (i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        struct ob_okr_score sc = {0,     0, rules[i].status, rules[i].grade,
                                  false, 0};
        lxw_conditional_format cf;

        ob_buf_reset(&word);
        ob_buf_reset(&value);
        status_text(s->x, &sc, &word);
        ob_buf_printf(&value, "\"%s\"", word.ptr);
        memset(&cf, 0, sizeof(cf));
        cf.type = LXW_CONDITIONAL_TYPE_CELL;
        cf.criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO;
        cf.value_string = value.ptr;
        cf.format = ob_xl_format(s->x, NULL, rules[i].tone);
        ob_xl_check(s->x,
                    worksheet_conditional_format_range(s->ws, first, C_STATUS,
                                                       last, C_STATUS, &cf),
                    "status colours");
    }
    ob_buf_release(&word);
    ob_buf_release(&value);
}

void
ob_xl_okrs(struct ob_xl *x)
{
    struct okr_sheet s;
    struct ob_buf sub = OB_BUF_INIT;
    size_t q, i;

    memset(&s, 0, sizeof(s));
    s.x = x;
    s.ws = ob_xl_add_sheet(x, x->okr_sheet, false);
    if (!s.ws)
        return;
    ob_xl_widths_init(&s.w, N_COLS);
    /* thirteen columns on a page: the long texts wrap sooner */
    ob_xl_widths_cap(&s.w, C_TITLE, TITLE_WIDTH);
    ob_xl_widths_cap(&s.w, C_OWNER, OWNER_WIDTH);
    ob_xl_widths_cap(&s.w, C_NOTE, NOTE_WIDTH);
    ob_buf_init(&s.cell);
    subtitle(&s, &sub);
    ob_xl_title(x, s.ws, ob_xl_word(x, OB_XW_OKRS), sub.ptr);
    header(&s);
    s.row = HEADER_ROW;
    for (q = 0; q < x->n_quarters; q++)
        for (i = 0; i < x->quarters[q]->n_objectives; i++)
            if (is_root(x->quarters[q]->objectives[i]))
                put_objective(&s, x->quarters[q], x->quarters[q]->objectives[i],
                              0);
    if (s.row > HEADER_ROW) {
        progress_bars(&s, HEADER_ROW + 1, s.row);
        status_colours(&s, HEADER_ROW + 1, s.row);
    }
    /* objectives sit above their key results: the outline's buttons too */
    worksheet_outline_settings(s.ws, LXW_TRUE, LXW_FALSE, LXW_TRUE, LXW_FALSE);
    worksheet_gridlines(s.ws, LXW_HIDE_ALL_GRIDLINES);
    ob_xl_widths_apply(x, s.ws, &s.w);
    ob_xl_sheet_setup(x, s.ws, x->okr_sheet, HEADER_ROW, s.row, N_COLS - 1);
    ob_xl_widths_release(&s.w);
    ob_buf_release(&s.cell);
    ob_buf_release(&sub);
}
