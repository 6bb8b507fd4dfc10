/* kpiview.c: KPIs as HTML: cards, charts, tables, and the KPI pages. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/kpiview.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/arena.h"
#include "opsbook/chart.h"
#include "opsbook/date.h"
#include "opsbook/diag.h"
#include "opsbook/expr.h"
#include "opsbook/figures.h"
#include "opsbook/markdown.h"
#include "opsbook/mem.h"
#include "opsbook/numfmt.h"
#include "opsbook/period.h"
#include "opsbook/tz.h"

/* ---- words ------------------------------------------------------------ */

enum word {
    W_NO_DATA,
    W_TARGET,
    W_ON_TARGET,
    W_NEAR_TARGET,
    W_OFF_TARGET,
    W_UP,
    W_DOWN,
    W_NO_CHANGE,
    W_ON_PREVIOUS,
    W_BETTER,
    W_WORSE,
    W_IN_PROGRESS,
    W_SO_FAR,
    W_STALE,
    W_STALE_NEWEST,
    W_MORE,
    W_GROUP,
    W_VALUE,
    W_CHANGE,
    W_STATUS,
    W_PERIOD,
    W_NUMBERS,
    W_TO,
    W_OTHER,
    W_CHART,
    W_BY_PERIOD,
    W_AGAINST_TARGET,
    W_DEFINITION,
    W_SOURCE,
    W_NOTES,
    W_DOWNLOAD,
    W_MEASURE,
    W_FORMULA,
    W_COMPUTED_FROM,
    W_FILTER,
    W_GRAIN,
    W_BY,
    W_GROUPS,
    W_DIRECTION,
    W_HIGHER_BETTER,
    W_LOWER_BETTER,
    W_THRESHOLDS,
    W_DEFAULT_BANDS,
    W_NO_AMBER,
    W_FORMAT,
    W_DECIMAL,
    W_DECIMALS,
    W_OWNER,
    W_TAGS,
    W_NONE,
    W_FROM,
    W_FILES,
    W_ROWS_READ,
    W_UNTIMED,
    W_LATER,
    W_SKIPPED,
    W_NEWEST_ROW,
    W_CHECKS,
    W_PASSED,
    W_FAILED,
    W_ROWS,
    W_REPEATS,
    W_EMPTY_CELLS,
    W_FRESHNESS,
    W_FRESH,
    W_STALE_WORD,
    W_STALE_AFTER,
    W_NOT_CHECKED,
    W_GREEN,
    W_AMBER,
    W_ISO_WEEK,
    W_FISCAL
};

static const char *const words[][2] = {
    [W_NO_DATA] = {"no data", "pas de données"},
    [W_TARGET] = {"Target", "Objectif"},
    [W_ON_TARGET] = {"On target", "Objectif atteint"},
    [W_NEAR_TARGET] = {"Near target", "Proche de l’objectif"},
    [W_OFF_TARGET] = {"Off target", "Loin de l’objectif"},
    [W_UP] = {"up", "en hausse de"},
    [W_DOWN] = {"down", "en baisse de"},
    [W_NO_CHANGE] = {"no change", "stable"},
    [W_ON_PREVIOUS] = {"on the previous period",
                       "par rapport à la période précédente"},
    [W_BETTER] = {"better", "mieux"},
    [W_WORSE] = {"worse", "moins bien"},
    [W_IN_PROGRESS] = {"in progress", "en cours"},
    [W_SO_FAR] = {"so far", "pour l’instant"},
    [W_STALE] = {"Stale data", "Données anciennes"},
    [W_STALE_NEWEST] = {"newest row", "dernière ligne du"},
    [W_MORE] = {"more", "autres"},
    [W_GROUP] = {"Group", "Groupe"},
    [W_VALUE] = {"Value", "Valeur"},
    [W_CHANGE] = {"Change", "Évolution"},
    [W_STATUS] = {"Status", "Statut"},
    [W_PERIOD] = {"Period", "Période"},
    [W_NUMBERS] = {"The numbers", "Les chiffres"},
    [W_TO] = {"to", "à"},
    [W_OTHER] = {"Other", "Autres"},
    [W_CHART] = {"Chart", "Graphique"},
    [W_BY_PERIOD] = {"By period", "Par période"},
    [W_AGAINST_TARGET] = {"Against target", "Par rapport à l’objectif"},
    [W_DEFINITION] = {"Definition", "Définition"},
    [W_SOURCE] = {"Source", "Source"},
    [W_NOTES] = {"Notes", "Annotations"},
    [W_DOWNLOAD] = {"Download the series (CSV)", "Télécharger la série (CSV)"},
    [W_MEASURE] = {"Measure", "Mesure"},
    [W_FORMULA] = {"Formula", "Formule"},
    [W_COMPUTED_FROM] = {"Computed from", "Calculé à partir de"},
    [W_FILTER] = {"Filter", "Filtre"},
    [W_GRAIN] = {"Grain", "Granularité"},
    [W_BY] = {"By", "Par"},
    [W_GROUPS] = {"groups", "groupes"},
    [W_DIRECTION] = {"Direction", "Sens"},
    [W_HIGHER_BETTER] = {"higher is better", "plus c’est haut, mieux c’est"},
    [W_LOWER_BETTER] = {"lower is better", "plus c’est bas, mieux c’est"},
    [W_THRESHOLDS] = {"Thresholds", "Seuils"},
    [W_DEFAULT_BANDS] = {"green at the target or better, amber within 10% "
                         "of it, else red",
                         "vert à l’objectif ou mieux, orange à moins de "
                         "10 % de lui, rouge sinon"},
    [W_NO_AMBER] = {"green at the target or better, else red",
                    "vert à l’objectif ou mieux, rouge sinon"},
    [W_FORMAT] = {"Format", "Format"},
    [W_DECIMAL] = {"decimal", "décimale"},
    [W_DECIMALS] = {"decimals", "décimales"},
    [W_OWNER] = {"Owner", "Responsable"},
    [W_TAGS] = {"Tags", "Étiquettes"},
    [W_NONE] = {"none", "aucun"},
    [W_FROM] = {"from", "à partir du"},
    [W_FILES] = {"Files", "Fichiers"},
    [W_ROWS_READ] = {"Rows read", "Lignes lues"},
    [W_UNTIMED] = {"without a time", "sans date"},
    [W_LATER] = {"after the as-of day", "après le jour d’arrêt"},
    [W_SKIPPED] = {"skipped", "ignorées"},
    [W_NEWEST_ROW] = {"Newest row", "Ligne la plus récente"},
    [W_CHECKS] = {"Checks", "Contrôles"},
    [W_PASSED] = {"passed", "respecté"},
    [W_FAILED] = {"failed", "non respecté"},
    [W_ROWS] = {"rows", "lignes"},
    [W_REPEATS] = {"rows repeat a value", "lignes répètent une valeur"},
    [W_EMPTY_CELLS] = {"empty cells", "cellules vides"},
    [W_FRESHNESS] = {"Freshness", "Fraîcheur"},
    [W_FRESH] = {"fresh", "à jour"},
    [W_STALE_WORD] = {"stale", "ancienne"},
    [W_STALE_AFTER] = {"stale after", "ancienne après"},
    [W_NOT_CHECKED] = {"not checked (no stale_after)",
                       "non vérifiée (pas de stale_after)"},
    [W_GREEN] = {"green", "vert"},
    [W_AMBER] = {"amber", "orange"},
    [W_ISO_WEEK] = {"ISO, from Monday", "ISO, du lundi"},
    [W_FISCAL] = {"fiscal year from month", "exercice à partir du mois"},
};

static const char *
word(const struct ob_view *v, enum word w)
{
    return words[w][ob_view_language(v) == OB_LANG_FR];
}

/* ---- small writers ---------------------------------------------------- */

static void
put_html(struct ob_buf *out, const char *s)
{
    ob_buf_add_html(out, s, strlen(s));
}

static void
put_word(const struct ob_view *v, struct ob_buf *out, enum word w)
{
    put_html(out, word(v, w));
}

/* A link from the view's page to a site path made with printf. */
static void put_link(const struct ob_view *v, struct ob_buf *out,
                     const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
put_link(const struct ob_view *v, struct ob_buf *out, const char *fmt, ...)
{
    struct ob_buf path = OB_BUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    ob_buf_vprintf(&path, fmt, ap);
    va_end(ap);
    ob_view_link(v, out, path.ptr);
    ob_buf_release(&path);
}

static const char *
title_of(const struct ob_kpi_def *def)
{
    return def->title ? def->title : def->id;
}

/* numfmt's text, escaped: the exact text `opsbook kpi --json` prints. */
enum numtext { NUM_VALUE, NUM_DELTA, NUM_RATIO };

static void
format_num(struct ob_buf *out, const struct ob_numfmt *f, enum numtext how,
           double x)
{
    if (how == NUM_VALUE)
        ob_numfmt_value(out, f, x);
    else if (how == NUM_DELTA)
        ob_numfmt_delta(out, f, x);
    else
        ob_numfmt_ratio(out, f->language, x);
}

static void
put_num(struct ob_buf *out, const struct ob_numfmt *f, enum numtext how,
        double x)
{
    struct ob_buf t = OB_BUF_INIT;

    format_num(&t, f, how, x);
    ob_buf_add_html(out, t.ptr, t.len);
    ob_buf_release(&t);
}

/* The same text without its sign, for the words read aloud ("up 3"). */
static void
put_magnitude(struct ob_buf *out, const struct ob_numfmt *f, enum numtext how,
              double x)
{
    static const char minus[] = "\xE2\x88\x92"; /* U+2212 */
    struct ob_buf t = OB_BUF_INIT;
    size_t skip = 0;

    format_num(&t, f, how, x);
    if (t.ptr[0] == '+' || t.ptr[0] == '-')
        skip = 1;
    else if (!strncmp(t.ptr, minus, sizeof minus - 1))
        skip = sizeof minus - 1;
    ob_buf_add_html(out, t.ptr + skip, t.len - skip);
    ob_buf_release(&t);
}

static void
put_period(const struct ob_view *v, struct ob_buf *out,
           const struct ob_kpi *kpi, int32_t start)
{
    struct ob_buf t = OB_BUF_INIT;

    ob_numfmt_period(&t, &kpi->cal, start, ob_view_language(v));
    ob_buf_add_html(out, t.ptr, t.len);
    ob_buf_release(&t);
}

static void
put_count(const struct ob_view *v, struct ob_buf *out, uint64_t n)
{
    struct ob_numfmt f = {OB_FMT_INTEGER, NULL, 0, ob_view_language(v)};

    put_num(out, &f, NUM_VALUE, (double)n);
}

/* ---- pictures --------------------------------------------------------- */

/* Every chart the views show, sparklines too: the light SVG, and the dark
 * one where the reader's system is dark (opsbook.js makes the dark
 * <source> follow the site's own theme toggle). Print takes the light. */
static void
picture(const struct ob_view *v, const struct ob_figure *f, const char *cls,
        struct ob_buf *out)
{
    struct ob_buf alt = OB_BUF_INIT;
    int w = f->chart->width, h = f->chart->height, dw, dh;

    ob_chart_default_size(f->chart->kind, &dw, &dh);
    ob_chart_alt(f->chart, &alt);
    ob_buf_printf(out, "<picture class=\"%s\"><source srcset=\"", cls);
    put_link(v, out, "%s.dark.svg", f->name);
    ob_buf_puts(out, "\" media=\"screen and (prefers-color-scheme: dark)\">"
                     "<img src=\"");
    put_link(v, out, "%s.svg", f->name);
    ob_buf_puts(out, "\" alt=\"");
    ob_buf_add_html(out, alt.ptr, alt.len);
    ob_buf_printf(out, "\" width=\"%d\" height=\"%d\" loading=\"lazy\">",
                  w > 0 ? w : dw, h > 0 ? h : dh);
    ob_buf_puts(out, "</picture>\n");
    ob_buf_release(&alt);
}

/* ---- cards ------------------------------------------------------------ */

static bool
has_states(const struct ob_kpi *kpi)
{
    return kpi->ok && kpi->states && kpi->n_groups;
}

/* A delta too small to show reads "0": it is flat, not a rise. */
static bool
shows_zero(const struct ob_numfmt *f, double d)
{
    double scaled = f->format == OB_FMT_PERCENT ? d * 100 : d;

    return ob_round_half_away(scaled, ob_numfmt_decimals(f)) == 0;
}

static const char *
delta_class(const struct ob_kpi *kpi, double d)
{
    if (shows_zero(&kpi->fmt, d))
        return "flat";
    return (d > 0) == (kpi->def->direction == OB_DIR_UP) ? "good" : "bad";
}

/* kpiout leaves the relative change out for percent KPIs (a change of
 * points said as a percent of a percent misleads); so do the cards. */
static bool
shows_ratio(const struct ob_kpi *kpi, const struct ob_kpi_state *st)
{
    return st->has_delta_rel && kpi->fmt.format != OB_FMT_PERCENT &&
           !shows_zero(&kpi->fmt, st->delta);
}

/* "up 3 (100.0%) on the previous period, better": what the arrow and its
 * colour say, for screen readers. */
static void
delta_words(const struct ob_view *v, const struct ob_kpi *kpi,
            const struct ob_kpi_state *st, const char *cls, struct ob_buf *out)
{
    ob_buf_puts(out, "<span class=\"visually-hidden\">");
    if (!strcmp(cls, "flat")) {
        put_word(v, out, W_NO_CHANGE);
    } else {
        put_word(v, out, st->delta > 0 ? W_UP : W_DOWN);
        ob_buf_putc(out, ' ');
        put_magnitude(out, &kpi->fmt, NUM_DELTA, st->delta);
        if (shows_ratio(kpi, st)) {
            ob_buf_puts(out, " (");
            put_magnitude(out, &kpi->fmt, NUM_RATIO, st->delta_rel);
            ob_buf_putc(out, ')');
        }
    }
    ob_buf_putc(out, ' ');
    put_word(v, out, W_ON_PREVIOUS);
    if (strcmp(cls, "flat")) {
        ob_buf_puts(out, ", ");
        put_word(v, out, !strcmp(cls, "good") ? W_BETTER : W_WORSE);
    }
    ob_buf_puts(out, "</span>");
}

/* The inside of a delta: arrow, change, relative change, and words. */
static void
delta_inner(const struct ob_view *v, const struct ob_kpi *kpi,
            const struct ob_kpi_state *st, const char *cls, struct ob_buf *out)
{
    const char *arrow = !strcmp(cls, "flat") ? "="
                        : st->delta > 0      ? "\xE2\x96\xB2" /* ▲ */
                                             : "\xE2\x96\xBC";     /* ▼ */

    ob_buf_printf(out,
                  "<span class=\"kpi-arrow\" aria-hidden=\"true\">%s</span> "
                  "<span class=\"kpi-delta-text\" aria-hidden=\"true\">",
                  arrow);
    put_num(out, &kpi->fmt, NUM_DELTA, st->delta);
    ob_buf_puts(out, "</span>");
    if (shows_ratio(kpi, st)) {
        ob_buf_puts(out, " <span class=\"kpi-delta-rel\" "
                         "aria-hidden=\"true\">");
        put_num(out, &kpi->fmt, NUM_RATIO, st->delta_rel);
        ob_buf_puts(out, "</span>");
    }
    delta_words(v, kpi, st, cls, out);
}

static enum word
status_word(enum ob_status s)
{
    return s == OB_STATUS_GREEN   ? W_ON_TARGET
           : s == OB_STATUS_AMBER ? W_NEAR_TARGET
                                  : W_OFF_TARGET;
}

/* The status in words; the colour only repeats them. */
static void
status_badge(const struct ob_view *v, enum ob_status s, struct ob_buf *out)
{
    if (s == OB_STATUS_NONE)
        return;
    ob_buf_printf(out, "<span class=\"kpi-status %s\" data-status=\"%s\">",
                  ob_status_name(s), ob_status_name(s));
    put_word(v, out, status_word(s));
    ob_buf_puts(out, "</span>");
}

static void
value_span(const struct ob_view *v, const struct ob_kpi *kpi,
           const struct ob_kpi_state *st, struct ob_buf *out)
{
    if (!st || !st->has_current) {
        ob_buf_puts(out, "<span class=\"kpi-value none\">");
        put_word(v, out, W_NO_DATA);
    } else {
        ob_buf_puts(out, "<span class=\"kpi-value\">");
        put_num(out, &kpi->fmt, NUM_VALUE, st->current);
    }
    ob_buf_puts(out, "</span>");
}

static void
figure_line(const struct ob_view *v, const struct ob_kpi *kpi,
            const struct ob_kpi_state *st, bool value, struct ob_buf *out)
{
    ob_buf_puts(out, "<p class=\"kpi-figure\">");
    if (value)
        value_span(v, kpi, st, out);
    if (kpi->ok) {
        ob_buf_puts(out, value ? " <span class=\"kpi-period\">"
                               : "<span class=\"kpi-period\">");
        put_period(v, out, kpi, kpi->current_period);
        ob_buf_puts(out, "</span>");
    }
    ob_buf_puts(out, "</p>\n");
}

static void
goal_line(const struct ob_view *v, const struct ob_kpi *kpi,
          const struct ob_kpi_state *st, struct ob_buf *out)
{
    /* thresholds give a status without a target */
    if (!st->has_target && st->status == OB_STATUS_NONE)
        return;
    ob_buf_puts(out, "<p class=\"kpi-goal\">");
    if (st->has_target) {
        ob_buf_puts(out, "<span class=\"kpi-target\">");
        put_word(v, out, W_TARGET);
        ob_buf_puts(out, " <span class=\"kpi-target-value\">");
        put_num(out, &kpi->fmt, NUM_VALUE, st->target);
        ob_buf_puts(out, "</span></span>");
        if (st->status != OB_STATUS_NONE)
            ob_buf_putc(out, ' ');
    }
    status_badge(v, st->status, out);
    ob_buf_puts(out, "</p>\n");
}

/* Sparklines cover about a year of weeks or months; fewer long periods,
 * more days. */
static int
spark_periods(enum ob_grain g)
{
    static const int n[] = {[OB_GRAIN_DAY] = 30,
                            [OB_GRAIN_WEEK] = 13,
                            [OB_GRAIN_MONTH] = 12,
                            [OB_GRAIN_QUARTER] = 8,
                            [OB_GRAIN_YEAR] = 5};

    return n[g];
}

static bool
group_has_points(const struct ob_kpi *kpi, uint32_t g)
{
    size_t i;

    for (i = 0; i < kpi->n_points; i++)
        if (kpi->points[i].group == g)
            return true;
    return false;
}

/* Inline SVG rather than a picture: a page of cards asks for no files,
 * and the CSS colours it in either theme. */
static void
sparkline(const struct ob_view *v, const struct ob_kpi *kpi, uint32_t g,
          struct ob_buf *out)
{
    struct ob_kpi_chart_opts o;
    struct ob_chart chart;
    struct ob_arena a;

    if (!group_has_points(kpi, g))
        return;
    memset(&o, 0, sizeof o);
    o.kind_given = true;
    o.kind = OB_CHART_SPARKLINE;
    o.periods = spark_periods(kpi->def->grain);
    o.group = kpi->def->by.name ? kpi->groups[g] : NULL;
    ob_arena_init(&a);
    ob_kpi_chart(&chart, kpi, &o, ob_view_language(v), &a);
    ob_buf_puts(out, "<span class=\"kpi-spark\">");
    ob_chart_sparkline_svg(&chart, out);
    ob_buf_puts(out, "</span>\n");
    ob_arena_release(&a);
}

static void
partial_note(const struct ob_view *v, const struct ob_kpi *kpi,
             const struct ob_kpi_state *st, struct ob_buf *out)
{
    bool fr = ob_view_language(v) == OB_LANG_FR;

    if (!kpi->has_partial_period || !st->has_partial)
        return;
    ob_buf_puts(out, "<p class=\"kpi-note kpi-partial\">"
                     "<span class=\"kpi-partial-period\">");
    put_period(v, out, kpi, kpi->partial_period);
    ob_buf_puts(out, "</span>, ");
    put_word(v, out, W_IN_PROGRESS);
    ob_buf_puts(out, fr ? "\xC2\xA0: " : ": ");
    ob_buf_puts(out, "<span class=\"kpi-partial-value\">");
    put_num(out, &kpi->fmt, NUM_VALUE, st->partial);
    ob_buf_puts(out, "</span> ");
    put_word(v, out, W_SO_FAR);
    ob_buf_puts(out, "</p>\n");
}

static void
stale_note(const struct ob_view *v, const struct ob_kpi *kpi,
           struct ob_buf *out)
{
    const struct ob_table *t = kpi->table;
    bool fr = ob_view_language(v) == OB_LANG_FR;

    if (!kpi->stale)
        return;
    ob_buf_puts(out, "<p class=\"kpi-note kpi-stale\">");
    put_word(v, out, W_STALE);
    if (t && t->has_newest && v->b->tz) {
        ob_buf_puts(out, fr ? "\xC2\xA0: " : ": ");
        put_word(v, out, W_STALE_NEWEST);
        ob_buf_putc(out, ' ');
        ob_view_date(v, out, ob_tz_date_of(v->b->tz, t->newest));
    }
    ob_buf_puts(out, "</p>\n");
}

/* One state: value and period, delta, target and status, sparkline. */
static void
card_state(const struct ob_view *v, const struct ob_kpi *kpi, uint32_t g,
           struct ob_buf *out)
{
    const struct ob_kpi_state *st = &kpi->states[g];

    figure_line(v, kpi, st, true, out);
    if (st->has_delta) {
        const char *cls = delta_class(kpi, st->delta);

        ob_buf_printf(out, "<p class=\"kpi-delta %s\">", cls);
        delta_inner(v, kpi, st, cls, out);
        ob_buf_puts(out, "</p>\n");
    }
    goal_line(v, kpi, st, out);
    sparkline(v, kpi, g, out);
    partial_note(v, kpi, st, out);
}

struct ranked {
    uint32_t group;
    const struct ob_kpi_state *st;
};

/* Largest current value first; groups without one last; ties in group
 * (byte) order, so the order never depends on the sort. */
static int
by_current(const void *pa, const void *pb)
{
    const struct ranked *a = pa, *b = pb;

    if (a->st->has_current != b->st->has_current)
        return a->st->has_current ? -1 : 1;
    if (a->st->has_current && a->st->current != b->st->current)
        return a->st->current > b->st->current ? -1 : 1;
    return a->group < b->group ? -1 : a->group > b->group;
}

static void
group_row(const struct ob_view *v, const struct ob_kpi *kpi, uint32_t g,
          bool status, struct ob_buf *out)
{
    const struct ob_kpi_state *st = &kpi->states[g];
    const char *cls = st->has_delta ? delta_class(kpi, st->delta) : "";

    ob_buf_puts(out, "<tr class=\"kpi-group\" data-group=\"");
    put_html(out, kpi->groups[g]);
    ob_buf_puts(out, "\"><th scope=\"row\" class=\"kpi-group-name\">");
    put_html(out, kpi->groups[g]);
    ob_buf_puts(out, "</th><td>");
    value_span(v, kpi, st, out);
    ob_buf_printf(out, "</td><td class=\"kpi-delta %s\">", cls);
    if (st->has_delta)
        delta_inner(v, kpi, st, cls, out);
    if (status) {
        ob_buf_puts(out, "</td><td>");
        status_badge(v, st->status, out);
    }
    ob_buf_puts(out, "</td></tr>\n");
}

/* The column of statuses only when some group has a target. */
static void
groups_head(const struct ob_view *v, bool status, struct ob_buf *out)
{
    static const enum word head[] = {W_GROUP, W_VALUE, W_CHANGE, W_STATUS};
    size_t i, n = status ? 4 : 3;

    ob_buf_puts(out, "<table class=\"kpi-groups\">\n<thead><tr>");
    for (i = 0; i < n; i++) {
        ob_buf_puts(out, "<th scope=\"col\">");
        put_word(v, out, head[i]);
        ob_buf_puts(out, "</th>");
    }
    ob_buf_puts(out, "</tr></thead>\n<tbody>\n");
}

/* A `by` KPI as a whole: one compact row per group, the largest first. */
static void
card_groups(const struct ob_view *v, const struct ob_kpi *kpi,
            struct ob_buf *out)
{
    struct ranked *r = ob_xcalloc(kpi->n_groups, sizeof *r);
    size_t i, shown = kpi->n_groups;
    bool status = false;

    for (i = 0; i < kpi->n_groups; i++) {
        r[i].group = (uint32_t)i;
        r[i].st = &kpi->states[i];
    }
    ob_qsort(r, kpi->n_groups, sizeof *r, by_current);
    if (shown > OB_KPI_CHART_GROUPS)
        shown = OB_KPI_CHART_GROUPS;
    for (i = 0; i < shown; i++)
        status |= r[i].st->status != OB_STATUS_NONE;
    figure_line(v, kpi, NULL, false, out);
    groups_head(v, status, out);
    for (i = 0; i < shown; i++)
        group_row(v, kpi, r[i].group, status, out);
    ob_buf_puts(out, "</tbody>\n</table>\n");
    if (shown < kpi->n_groups) {
        ob_buf_puts(out, "<p class=\"kpi-more\"><a href=\"");
        put_link(v, out, "kpis/%s/", kpi->def->id);
        ob_buf_printf(out, "\">+%zu ", kpi->n_groups - shown);
        put_word(v, out, W_MORE);
        ob_buf_puts(out, "</a></p>\n");
    }
    free(r);
}

static void
card_no_data(const struct ob_view *v, const struct ob_kpi *kpi,
             struct ob_buf *out)
{
    figure_line(v, kpi, NULL, true, out);
}

static void
card_title(const struct ob_view *v, const struct ob_kpi *kpi, int group,
           int heading, struct ob_buf *out)
{
    ob_buf_printf(out, "<h%d class=\"kpi-title\"><a href=\"", heading);
    put_link(v, out, "kpis/%s/", kpi->def->id);
    ob_buf_puts(out, "\">");
    put_html(out, title_of(kpi->def));
    ob_buf_puts(out, "</a>");
    if (group >= 0 && kpi->def->by.name) {
        ob_buf_puts(out, " <span class=\"kpi-group-name\">");
        put_html(out, kpi->groups[group]);
        ob_buf_puts(out, "</span>");
    }
    ob_buf_printf(out, "</h%d>\n", heading);
}

/* A card; `heading` is the title's level, 0 for none (the KPI's own page
 * has the title above it). */
static void
card(const struct ob_view *v, const struct ob_kpi *kpi, int group, int heading,
     struct ob_buf *out)
{
    bool by = kpi->def->by.name != NULL;
    bool known = group < (int)kpi->n_groups && (by || group <= 0);

    if (!has_states(kpi) || !known)
        group = -1;
    ob_buf_puts(out, "<article class=\"kpi-card\" data-kpi=\"");
    put_html(out, kpi->def->id);
    if (group >= 0 && by) {
        ob_buf_puts(out, "\" data-group=\"");
        put_html(out, kpi->groups[group]);
    }
    ob_buf_puts(out, "\">\n");
    if (heading)
        card_title(v, kpi, group, heading, out);
    if (!has_states(kpi) || !known)
        card_no_data(v, kpi, out);
    else if (by && group < 0)
        card_groups(v, kpi, out);
    else
        card_state(v, kpi, group < 0 ? 0 : (uint32_t)group, out);
    stale_note(v, kpi, out);
    ob_buf_puts(out, "</article>\n");
}

void
ob_kpiview_card(const struct ob_view *v, const struct ob_kpi *kpi, int group,
                struct ob_buf *out)
{
    card(v, kpi, group, 3, out);
}

void
ob_kpiview_cards(const struct ob_view *v, const struct ob_kpi *const *kpis,
                 size_t n, struct ob_buf *out)
{
    size_t i;

    ob_buf_puts(out, "<div class=\"kpi-cards\">\n");
    for (i = 0; i < n; i++)
        card(v, kpis[i], -1, 3, out);
    ob_buf_puts(out, "</div>\n");
}

/* ---- charts and tables ------------------------------------------------ */

static void
no_data_para(const struct ob_view *v, struct ob_buf *out)
{
    ob_buf_puts(out, "<p class=\"kpi-none\">");
    put_word(v, out, W_NO_DATA);
    ob_buf_puts(out, "</p>\n");
}

/* "Rows, pro, 2026-W38 to 2026-W47" */
static void
caption(const struct ob_view *v, const struct ob_kpi *kpi,
        const struct ob_kpi_chart_opts *o, const struct ob_chart *c,
        struct ob_buf *out)
{
    ob_buf_puts(out, "<figcaption>");
    put_html(out, title_of(kpi->def));
    if (o->group && kpi->def->by.name) {
        ob_buf_puts(out, ", ");
        put_html(out, o->group);
    }
    if (c->n) {
        ob_buf_puts(out, ", ");
        put_html(out, c->labels[0]);
    }
    if (c->n > 1) {
        ob_buf_printf(out, " %s ", word(v, W_TO));
        put_html(out, c->labels[c->n - 1]);
    }
    ob_buf_puts(out, "</figcaption>\n");
}

/* A chart's figure; `numbers`: with its numbers as a table, folded (the
 * KPI's page leaves them to its "By period" table, right below). */
static void
chart_figure(const struct ob_view *v, const struct ob_kpi *kpi,
             const struct ob_kpi_chart_opts *o, bool numbers,
             struct ob_buf *out)
{
    const struct ob_figure *f;

    ob_buf_puts(out, "<figure class=\"chart\">\n");
    if (!kpi->ok || !v->figures) {
        no_data_para(v, out);
        ob_buf_puts(out, "</figure>\n");
        return;
    }
    f = ob_figures_add(v->figures, kpi, o);
    picture(v, f, "chart-picture", out);
    caption(v, kpi, o, f->chart, out);
    if (numbers) {
        ob_buf_puts(out, "<details class=\"chart-numbers\"><summary>");
        put_word(v, out, W_NUMBERS);
        ob_buf_puts(out, "</summary>\n");
        ob_chart_table_html(f->chart, out);
        ob_buf_puts(out, "</details>\n");
    }
    ob_buf_puts(out, "</figure>\n");
}

void
ob_kpiview_chart(const struct ob_view *v, const struct ob_kpi *kpi,
                 const struct ob_kpi_chart_opts *o, struct ob_buf *out)
{
    chart_figure(v, kpi, o, true, out);
}

static void
th(struct ob_buf *out, const char *scope, const char *text)
{
    ob_buf_printf(out, "<th scope=\"%s\">", scope);
    put_html(out, text);
    ob_buf_puts(out, "</th>");
}

static void
table_cell(const struct ob_view *v, const struct ob_chart *c, double x,
           struct ob_buf *out)
{
    if (isnan(x)) {
        ob_buf_puts(out, "<td class=\"none\"><span aria-hidden=\"true\">"
                         "\xE2\x80\x94</span><span class=\"visually-hidden\">");
        put_word(v, out, W_NO_DATA);
        ob_buf_puts(out, "</span></td>");
        return;
    }
    ob_buf_puts(out, "<td>");
    put_num(out, &c->fmt, NUM_VALUE, x);
    ob_buf_puts(out, "</td>");
}

static void
table_head(const struct ob_view *v, const struct ob_kpi *kpi,
           const struct ob_chart *c, struct ob_buf *out)
{
    size_t s;

    ob_buf_puts(out, "<table class=\"kpi-table\">\n<caption>");
    put_html(out, title_of(kpi->def));
    ob_buf_puts(out, "</caption>\n<thead><tr>");
    th(out, "col", word(v, W_PERIOD));
    for (s = 0; s < c->n_series; s++)
        th(out, "col",
           c->n_series == 1 && !kpi->def->by.name ? word(v, W_VALUE)
                                                  : c->series[s].name);
    if (c->target)
        th(out, "col", word(v, W_TARGET));
    ob_buf_puts(out, "</tr></thead>\n<tbody>\n");
}

static void
table_row(const struct ob_view *v, const struct ob_chart *c, size_t i,
          struct ob_buf *out)
{
    bool partial = c->partial_last && i == c->n - 1;
    size_t s;

    ob_buf_puts(out, partial ? "<tr class=\"partial\">" : "<tr>");
    ob_buf_puts(out, "<th scope=\"row\">");
    put_html(out, c->labels[i]);
    if (partial) {
        ob_buf_puts(out, " <span class=\"kpi-in-progress\">(");
        put_word(v, out, W_IN_PROGRESS);
        ob_buf_puts(out, ")</span>");
    }
    ob_buf_puts(out, "</th>");
    for (s = 0; s < c->n_series; s++)
        table_cell(v, c, c->series[s].values[i], out);
    if (c->target)
        table_cell(v, c, c->target[i], out);
    ob_buf_puts(out, "</tr>\n");
}

void
ob_kpiview_table(const struct ob_view *v, const struct ob_kpi *kpi,
                 const struct ob_kpi_chart_opts *o, struct ob_buf *out)
{
    struct ob_kpi_chart_opts t = *o;
    struct ob_arena a;
    struct ob_chart c;
    size_t i;

    if (!kpi->ok) {
        no_data_para(v, out);
        return;
    }
    /* A line model: the same periods and groups as any chart of these
     * options, with the target kept wherever one line can carry it. */
    t.kind_given = true;
    t.kind = OB_CHART_LINE;
    t.target = true;
    t.notes = NULL;
    t.n_notes = 0;
    ob_arena_init(&a);
    ob_kpi_chart(&c, kpi, &t, ob_view_language(v), &a);
    if (!c.n) {
        no_data_para(v, out);
    } else {
        table_head(v, kpi, &c, out);
        for (i = c.n; i-- > 0;)
            table_row(v, &c, i, out);
        ob_buf_puts(out, "</tbody>\n</table>\n");
    }
    ob_arena_release(&a);
}

/* ---- the KPI's page --------------------------------------------------- */

static void
h2(const struct ob_view *v, const char *id, enum word w, struct ob_buf *out)
{
    ob_buf_printf(out, "<h2 id=\"%s\">", id);
    put_word(v, out, w);
    ob_buf_puts(out, "</h2>\n");
}

static void
dt(const struct ob_view *v, enum word w, struct ob_buf *out)
{
    ob_buf_puts(out, "<dt>");
    put_word(v, out, w);
    ob_buf_puts(out, "</dt><dd>");
}

static void
code(struct ob_buf *out, const char *s)
{
    ob_buf_puts(out, "<code>");
    put_html(out, s);
    ob_buf_puts(out, "</code>");
}

/* The KPIs a formula names, in order of first appearance. */
static void
collect_operands(const struct ob_kpis *k, const struct ob_expr *e,
                 const struct ob_kpi **found, size_t *n)
{
    size_t i, j;

    if (e->kind == OB_EXPR_NAME)
        for (i = 0; i < k->n; i++) {
            const char *id = k->kpis[i].def->id;

            if (strlen(id) != e->len || memcmp(id, e->str, e->len))
                continue;
            for (j = 0; j < *n && found[j] != &k->kpis[i]; j++)
                ;
            if (j == *n)
                found[(*n)++] = &k->kpis[i];
        }
    for (i = 0; i < e->n_args; i++)
        collect_operands(k, e->args[i], found, n);
}

static void
operand_links(const struct ob_view *v, const struct ob_kpi *kpi,
              struct ob_buf *out)
{
    const struct ob_kpis *k = &v->b->kpis;
    const struct ob_kpi **found = ob_xcalloc(k->n + 1, sizeof *found);
    struct ob_arena a;
    struct ob_diag quiet; /* it parsed when the KPI was computed */
    const struct ob_expr *e;
    size_t n = 0, i;

    ob_arena_init(&a);
    ob_diag_init(&quiet, 0);
    e = ob_expr_parse(&a, &quiet, &kpi->def->formula);
    if (e)
        collect_operands(k, e, found, &n);
    if (n) {
        dt(v, W_COMPUTED_FROM, out);
        ob_buf_puts(out, "<ul class=\"kpi-operands\">");
        for (i = 0; i < n; i++) {
            ob_buf_puts(out, "<li><a href=\"");
            put_link(v, out, "kpis/%s/", found[i]->def->id);
            ob_buf_puts(out, "\">");
            put_html(out, title_of(found[i]->def));
            ob_buf_puts(out, "</a> ");
            code(out, found[i]->def->id);
            ob_buf_puts(out, "</li>");
        }
        ob_buf_puts(out, "</ul></dd>\n");
    }
    ob_diag_release(&quiet);
    ob_arena_release(&a);
    free(found);
}

static void
def_expression(const struct ob_view *v, const struct ob_kpi *kpi,
               struct ob_buf *out)
{
    const struct ob_kpi_def *def = kpi->def;

    if (def->formula.text) {
        dt(v, W_FORMULA, out);
        code(out, def->formula.text);
        ob_buf_puts(out, "</dd>\n");
        operand_links(v, kpi, out);
        return;
    }
    if (def->measure.text) {
        dt(v, W_MEASURE, out);
        code(out, def->measure.text);
        ob_buf_puts(out, "</dd>\n");
    }
    if (def->where.text) {
        dt(v, W_FILTER, out);
        code(out, def->where.text);
        ob_buf_puts(out, "</dd>\n");
    }
}

static void
def_grain(const struct ob_view *v, const struct ob_kpi *kpi, struct ob_buf *out)
{
    static const char *const names[][2] = {
        [OB_GRAIN_DAY] = {"day", "jour"},
        [OB_GRAIN_WEEK] = {"week", "semaine"},
        [OB_GRAIN_MONTH] = {"month", "mois"},
        [OB_GRAIN_QUARTER] = {"quarter", "trimestre"},
        [OB_GRAIN_YEAR] = {"year", "année"}};
    enum ob_grain g = kpi->def->grain;

    dt(v, W_GRAIN, out);
    put_html(out, names[g][ob_view_language(v) == OB_LANG_FR]);
    if (g == OB_GRAIN_WEEK)
        ob_buf_printf(out, " (%s)", word(v, W_ISO_WEEK));
    else if (g >= OB_GRAIN_QUARTER && kpi->cal.fiscal_year_start != 1)
        ob_buf_printf(out, " (%s %u)", word(v, W_FISCAL),
                      kpi->cal.fiscal_year_start);
    ob_buf_puts(out, "</dd>\n");
}

static void
def_by(const struct ob_view *v, const struct ob_kpi *kpi, struct ob_buf *out)
{
    if (!kpi->def->by.name)
        return;
    dt(v, W_BY, out);
    code(out, kpi->def->by.name);
    if (kpi->ok)
        ob_buf_printf(out, " (%zu %s)", kpi->n_groups, word(v, W_GROUPS));
    ob_buf_puts(out, "</dd>\n");
}

static void
target_list(const struct ob_view *v, const struct ob_kpi *kpi,
            struct ob_buf *out)
{
    const struct ob_target *t = &kpi->def->target;
    bool fr = ob_view_language(v) == OB_LANG_FR;
    size_t i;

    ob_buf_puts(out, "<ul class=\"kpi-targets\">");
    for (i = 0; i < t->n_groups; i++) {
        ob_buf_puts(out, "<li>");
        code(out, t->groups[i].group);
        ob_buf_puts(out, fr ? "\xC2\xA0: " : ": ");
        put_num(out, &kpi->fmt, NUM_VALUE, t->groups[i].value);
        ob_buf_puts(out, "</li>");
    }
    for (i = 0; i < t->n_steps; i++) {
        ob_buf_printf(out, "<li>%s ", word(v, W_FROM));
        ob_view_date(v, out, t->steps[i].from);
        ob_buf_puts(out, fr ? "\xC2\xA0: " : ": ");
        put_num(out, &kpi->fmt, NUM_VALUE, t->steps[i].value);
        ob_buf_puts(out, "</li>");
    }
    ob_buf_puts(out, "</ul>");
}

static void
def_target(const struct ob_view *v, const struct ob_kpi *kpi,
           struct ob_buf *out)
{
    const struct ob_target *t = &kpi->def->target;

    dt(v, W_TARGET, out);
    if (t->kind == OB_TARGET_NONE)
        put_word(v, out, W_NONE);
    else if (t->kind == OB_TARGET_NUMBER)
        put_num(out, &kpi->fmt, NUM_VALUE, t->value);
    else
        target_list(v, kpi, out);
    ob_buf_puts(out, "</dd>\n");
}

static void
def_thresholds(const struct ob_view *v, const struct ob_kpi *kpi,
               struct ob_buf *out)
{
    const struct ob_kpi_def *def = kpi->def;
    const char *cmp = def->direction == OB_DIR_UP ? " \xE2\x89\xA5 "  /* ≥ */
                                                  : " \xE2\x89\xA4 "; /* ≤ */

    if (def->target.kind == OB_TARGET_NONE && !def->has_thresholds)
        return;
    dt(v, W_THRESHOLDS, out);
    if (def->has_thresholds) {
        ob_buf_printf(out, "%s%s", word(v, W_GREEN), cmp);
        put_num(out, &kpi->fmt, NUM_VALUE, def->green);
        ob_buf_printf(out, ", %s%s", word(v, W_AMBER), cmp);
        put_num(out, &kpi->fmt, NUM_VALUE, def->amber);
    } else {
        bool zero =
            def->target.kind == OB_TARGET_NUMBER && def->target.value == 0;

        put_word(v, out, zero ? W_NO_AMBER : W_DEFAULT_BANDS);
    }
    ob_buf_puts(out, "</dd>\n");
}

/* Whole numbers and durations say nothing of decimals unless asked. */
static bool
shows_decimals(const struct ob_kpi *kpi)
{
    enum ob_format f = kpi->fmt.format;

    return kpi->def->fmt.decimals >= 0 ||
           (f != OB_FMT_INTEGER && f != OB_FMT_DURATION);
}

static void
def_format(const struct ob_view *v, const struct ob_kpi *kpi,
           struct ob_buf *out)
{
    static const char *const names[][2] = {
        [OB_FMT_INTEGER] = {"integer", "entier"},
        [OB_FMT_NUMBER] = {"number", "nombre"},
        [OB_FMT_PERCENT] = {"percent", "pourcentage"},
        [OB_FMT_CURRENCY] = {"currency", "monnaie"},
        [OB_FMT_DURATION] = {"duration", "durée"}};
    const struct ob_numfmt *f = &kpi->fmt;

    dt(v, W_FORMAT, out);
    put_html(out, names[f->format][ob_view_language(v) == OB_LANG_FR]);
    if (f->format == OB_FMT_CURRENCY && f->currency) {
        ob_buf_putc(out, ' ');
        code(out, f->currency);
    }
    if (shows_decimals(kpi))
        ob_buf_printf(
            out, ", %d %s", ob_numfmt_decimals(f),
            word(v, ob_numfmt_decimals(f) == 1 ? W_DECIMAL : W_DECIMALS));
    ob_buf_puts(out, "</dd>\n");
}

static void
def_people(const struct ob_view *v, const struct ob_kpi_def *def,
           struct ob_buf *out)
{
    size_t i;

    if (def->owner) {
        dt(v, W_OWNER, out);
        put_html(out, def->owner);
        ob_buf_puts(out, "</dd>\n");
    }
    if (!def->n_tags)
        return;
    dt(v, W_TAGS, out);
    for (i = 0; i < def->n_tags; i++) {
        ob_buf_puts(out, i ? ", " : "");
        put_html(out, def->tags[i]);
    }
    ob_buf_puts(out, "</dd>\n");
}

static void
definition(const struct ob_view *v, const struct ob_kpi *kpi,
           struct ob_buf *out)
{
    h2(v, "definition", W_DEFINITION, out);
    ob_buf_puts(out, "<dl class=\"kpi-def\">\n");
    def_expression(v, kpi, out);
    def_grain(v, kpi, out);
    def_by(v, kpi, out);
    def_target(v, kpi, out);
    dt(v, W_DIRECTION, out);
    put_word(v, out,
             kpi->def->direction == OB_DIR_UP ? W_HIGHER_BETTER
                                              : W_LOWER_BETTER);
    ob_buf_puts(out, "</dd>\n");
    def_thresholds(v, kpi, out);
    def_format(v, kpi, out);
    def_people(v, kpi->def, out);
    ob_buf_puts(out, "</dl>\n");
}

/* "8 (1 without a time, 2 after the as-of day)" */
static void
src_rows(const struct ob_view *v, const struct ob_table *t, struct ob_buf *out)
{
    const uint64_t n[] = {t->untimed, t->later, t->skipped};
    const enum word w[] = {W_UNTIMED, W_LATER, W_SKIPPED};
    size_t i, said = 0;

    dt(v, W_ROWS_READ, out);
    put_count(v, out, t->rows);
    for (i = 0; i < sizeof n / sizeof *n; i++) {
        if (!n[i])
            continue;
        ob_buf_puts(out, said++ ? ", " : " (");
        put_count(v, out, n[i]);
        ob_buf_printf(out, " %s", word(v, w[i]));
    }
    ob_buf_puts(out, said ? ")</dd>\n" : "</dd>\n");
}

static void
src_files(const struct ob_view *v, const struct ob_table *t, struct ob_buf *out)
{
    size_t i;

    if (!t->n_paths)
        return;
    dt(v, W_FILES, out);
    ob_buf_puts(out, "<ul class=\"kpi-files\">");
    for (i = 0; i < t->n_paths; i++) {
        ob_buf_puts(out, "<li>");
        code(out, t->paths[i]);
        ob_buf_puts(out, "</li>");
    }
    ob_buf_puts(out, "</ul></dd>\n");
}

static void
check_item(const struct ob_view *v, const char *what, const char *column,
           uint64_t bad, enum word unit, struct ob_buf *out)
{
    ob_buf_printf(out, "<li class=\"%s\"><code>%s", bad ? "failed" : "passed",
                  what);
    if (column) {
        ob_buf_puts(out, ": ");
        put_html(out, column);
    }
    ob_buf_printf(out, "</code> %s", word(v, bad ? W_FAILED : W_PASSED));
    if (bad) {
        ob_buf_puts(out, " (");
        put_count(v, out, bad);
        ob_buf_printf(out, " %s)", word(v, unit));
    }
    ob_buf_puts(out, "</li>");
}

static void
src_checks(const struct ob_view *v, const struct ob_table *t,
           struct ob_buf *out)
{
    const struct ob_source_checks *c = &t->src->checks;
    size_t i;

    if (c->min_rows < 0 && !c->n_unique && !c->n_not_empty)
        return;
    dt(v, W_CHECKS, out);
    ob_buf_puts(out, "<ul class=\"kpi-checks\">");
    if (c->min_rows >= 0) {
        bool ok = t->rows >= (uint64_t)c->min_rows;

        ob_buf_printf(out, "<li class=\"%s\"><code>min_rows: %lld</code> %s",
                      ok ? "passed" : "failed", c->min_rows,
                      word(v, ok ? W_PASSED : W_FAILED));
        ob_buf_puts(out, " (");
        put_count(v, out, t->rows);
        ob_buf_printf(out, " %s)</li>", word(v, W_ROWS));
    }
    for (i = 0; i < c->n_unique; i++)
        check_item(v, "unique", c->unique[i].name,
                   t->duplicates ? t->duplicates[i] : 0, W_REPEATS, out);
    for (i = 0; i < c->n_not_empty; i++)
        check_item(v, "not_empty", c->not_empty[i].name,
                   t->empty ? t->empty[i] : 0, W_EMPTY_CELLS, out);
    ob_buf_puts(out, "</ul></dd>\n");
}

static void
src_freshness(const struct ob_view *v, const struct ob_kpi *kpi,
              const struct ob_table *t, struct ob_buf *out)
{
    struct ob_numfmt dur = {OB_FMT_DURATION, NULL, -1, ob_view_language(v)};

    if (t->has_newest && v->b->tz) {
        dt(v, W_NEWEST_ROW, out);
        ob_view_date(v, out, ob_tz_date_of(v->b->tz, t->newest));
        ob_buf_puts(out, "</dd>\n");
    }
    dt(v, W_FRESHNESS, out);
    if (!t->src->stale_after) {
        put_word(v, out, W_NOT_CHECKED);
    } else {
        ob_buf_printf(out, "<span class=\"%s\">",
                      kpi->stale ? "stale" : "fresh");
        put_word(v, out, kpi->stale ? W_STALE_WORD : W_FRESH);
        ob_buf_printf(out, "</span> (%s ", word(v, W_STALE_AFTER));
        put_num(out, &dur, NUM_VALUE, (double)t->src->stale_after);
        ob_buf_putc(out, ')');
    }
    ob_buf_puts(out, "</dd>\n");
}

static void
source(const struct ob_view *v, const struct ob_kpi *kpi, struct ob_buf *out)
{
    const struct ob_table *t = kpi->table;

    if (!kpi->def->source.name)
        return;
    h2(v, "source", W_SOURCE, out);
    ob_buf_puts(out, "<dl class=\"kpi-def kpi-source\">\n");
    dt(v, W_SOURCE, out);
    code(out, kpi->def->source.name);
    ob_buf_puts(out, "</dd>\n");
    if (t) {
        src_files(v, t, out);
        src_rows(v, t, out);
        src_checks(v, t, out);
        src_freshness(v, kpi, t, out);
    }
    ob_buf_puts(out, "</dl>\n");
}

static bool
note_is_for(const struct ob_annotation *note, const char *id)
{
    size_t i;

    if (!note->n_kpis)
        return true;
    for (i = 0; i < note->n_kpis; i++)
        if (!strcmp(note->kpis[i].name, id))
            return true;
    return false;
}

/* The days the default chart covers, as ob_kpi_chart() settles them. */
static bool
shown_days(const struct ob_view *v, const struct ob_kpi *kpi, int32_t *from,
           int32_t *to)
{
    struct ob_kpi_chart_opts o = {.target = true};
    int32_t last =
        kpi->has_partial_period ? kpi->partial_period : kpi->current_period;
    struct ob_arena a;
    struct ob_chart c;

    ob_arena_init(&a);
    ob_kpi_chart(&c, kpi, &o, ob_view_language(v), &a);
    ob_arena_release(&a);
    if (!c.n)
        return false;
    *from = ob_period_add(&kpi->cal, last, -(int32_t)(c.n - 1));
    *to = ob_period_last_day(&kpi->cal, last);
    return true;
}

static void
notes(const struct ob_view *v, const struct ob_kpi *kpi, struct ob_buf *out)
{
    const struct ob_config *cfg = &v->b->config;
    const struct ob_annotation **list;
    int32_t from, to;
    size_t i, j, n = 0;

    if (!kpi->ok || !cfg->n_notes || !shown_days(v, kpi, &from, &to))
        return;
    list = ob_xcalloc(cfg->n_notes, sizeof *list);
    for (i = 0; i < cfg->n_notes; i++) {
        const struct ob_annotation *a = &cfg->notes[i];

        if (a->date < from || a->date > to || !note_is_for(a, kpi->def->id))
            continue;
        /* by date; one day's notes keep their file order */
        for (j = n++; j > 0 && list[j - 1]->date > a->date; j--)
            list[j] = list[j - 1];
        list[j] = a;
    }
    if (n) {
        h2(v, "notes", W_NOTES, out);
        ob_buf_puts(out, "<ul class=\"kpi-notes\">\n");
        for (i = 0; i < n; i++) {
            ob_buf_puts(out, "<li>");
            ob_view_date(v, out, list[i]->date);
            ob_buf_puts(out, " \xE2\x80\x94 ");
            put_html(out, list[i]->label ? list[i]->label : "");
            ob_buf_puts(out, "</li>\n");
        }
        ob_buf_puts(out, "</ul>\n");
    }
    free(list);
}

/* A `by` KPI with a target per group ({GROUP: number}): its chart of
 * every group cannot draw them (one target line is for one series, or
 * for all alike), so each group with a target and data gets a chart of
 * its own with its target line, in the map's order, at most
 * OB_KPI_CHART_GROUPS. Their numbers stay beside them: the "By period"
 * table has no per-group targets. */
static void
group_target_charts(const struct ob_view *v, const struct ob_kpi *kpi,
                    struct ob_buf *out)
{
    const struct ob_target *t = &kpi->def->target;
    size_t i, shown = 0, more = 0;

    if (!kpi->ok || !kpi->def->by.name || t->kind != OB_TARGET_BY_GROUP ||
        kpi->n_groups < 2)
        return;
    for (i = 0; i < t->n_groups; i++) {
        struct ob_kpi_chart_opts o = {.target = true};

        if (ob_kpi_group(kpi, t->groups[i].group) < 0)
            continue;
        if (shown == OB_KPI_CHART_GROUPS) {
            more++;
            continue;
        }
        if (!shown++) {
            h2(v, "against-target", W_AGAINST_TARGET, out);
            ob_buf_puts(out, "<div class=\"kpi-target-charts\">\n");
        }
        o.kind_given = true;
        o.kind = OB_CHART_LINE;
        o.group = t->groups[i].group;
        chart_figure(v, kpi, &o, true, out);
    }
    if (more)
        ob_buf_printf(out, "<p class=\"kpi-more\">+%zu %s</p>\n", more,
                      word(v, W_MORE));
    if (shown)
        ob_buf_puts(out, "</div>\n");
}

void
ob_kpiview_page(const struct ob_view *v, const struct ob_kpi *kpi,
                struct ob_buf *out)
{
    struct ob_kpi_chart_opts o = {.target = true};

    ob_buf_puts(out, "<div class=\"kpi-page\" data-kpi=\"");
    put_html(out, kpi->def->id);
    ob_buf_puts(out, "\">\n");
    if (kpi->def->description) {
        ob_buf_puts(out, "<p class=\"kpi-description\">");
        put_html(out, kpi->def->description);
        ob_buf_puts(out, "</p>\n");
    }
    card(v, kpi, -1, 0, out);
    h2(v, "chart", W_CHART, out);
    /* the numbers are the "By period" table's: every period and series
     * of this chart, with its target */
    chart_figure(v, kpi, &o, false, out);
    group_target_charts(v, kpi, out);
    h2(v, "by-period", W_BY_PERIOD, out);
    ob_kpiview_table(v, kpi, &o, out);
    definition(v, kpi, out);
    source(v, kpi, out);
    notes(v, kpi, out);
    if (kpi->ok) {
        ob_buf_puts(out, "<p class=\"kpi-download\"><a href=\"");
        put_link(v, out, "kpis/%s.csv", kpi->def->id);
        ob_buf_puts(out, "\" download>");
        put_word(v, out, W_DOWNLOAD);
        ob_buf_puts(out, "</a></p>\n");
    }
    ob_buf_puts(out, "</div>\n");
}

/* ---- kpis/ ------------------------------------------------------------ */

static bool
same_owner(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* The cards of every KPI whose owner is `owner` (NULL: none). */
static void
owner_cards(const struct ob_view *v, const char *owner, struct ob_buf *out)
{
    const struct ob_kpis *k = &v->b->kpis;
    size_t i;

    ob_buf_puts(out, "<div class=\"kpi-cards\">\n");
    for (i = 0; i < k->n; i++)
        if (same_owner(k->kpis[i].def->owner, owner))
            card(v, &k->kpis[i], -1, 3, out);
    ob_buf_puts(out, "</div>\n");
}

/* An owner's heading gets GitHub's anchor of its name, so the page's
 * table of contents and links can reach it. */
static void
owner_section(const struct ob_view *v, const char *owner, struct ob_buf *out)
{
    const char *name = owner ? owner : word(v, W_OTHER);
    struct ob_buf id = OB_BUF_INIT;

    ob_markdown_anchor(&id, name, strlen(name));
    ob_buf_puts(out, "<section class=\"kpi-owner\">\n<h2 id=\"");
    put_html(out, id.len ? id.ptr : "owner");
    ob_buf_puts(out, "\">");
    put_html(out, name);
    ob_buf_puts(out, "</h2>\n");
    ob_buf_release(&id);
    owner_cards(v, owner, out);
    ob_buf_puts(out, "</section>\n");
}

/* Whether an earlier KPI than the i-th has the same owner. */
static bool
owner_seen(const struct ob_kpis *k, size_t i)
{
    size_t j;

    for (j = 0; j < i; j++)
        if (same_owner(k->kpis[j].def->owner, k->kpis[i].def->owner))
            return true;
    return false;
}

void
ob_kpiview_index(const struct ob_view *v, struct ob_buf *out)
{
    const struct ob_kpis *k = &v->b->kpis;
    bool owners = false, orphans = false;
    size_t i;

    for (i = 0; i < k->n; i++) {
        owners |= k->kpis[i].def->owner != NULL;
        orphans |= k->kpis[i].def->owner == NULL;
    }
    if (!owners) {
        owner_cards(v, NULL, out);
        return;
    }
    for (i = 0; i < k->n; i++)
        if (k->kpis[i].def->owner && !owner_seen(k, i))
            owner_section(v, k->kpis[i].def->owner, out);
    if (orphans)
        owner_section(v, NULL, out);
}
