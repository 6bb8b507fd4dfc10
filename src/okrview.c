/* okrview.c: OKRs as HTML: a quarter's alignment tree with progress bars,
 * its page (dates, pace, counts, team filter), and the OKR index. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/okrview.h"

#include <math.h>
#include <string.h>

#include "opsbook/date.h"
#include "opsbook/numfmt.h"

/* Alignment cycles are input errors, so the tree is finite; the guard
 * only keeps a bug from overflowing the stack. */
#define MAX_DEPTH 32

#define N_STATUS (OB_OKR_OFF_TRACK + 1)
#define N_GRADE  (OB_GRADE_RED + 1)

/* Every word the views show, per language. Statuses and grades are always
 * written out: colour is never the only signal. */
struct words {
    const char *status[N_STATUS];   /* a badge: "On track" */
    const char *count[N_STATUS][2]; /* after a count, singular and plural */
    const char *grade[N_GRADE];
    const char *grade_label;   /* "Grade: " */
    const char *done_expected; /* "%s done, %s expected" */
    const char *confidence;
    const char *trend[4]; /* for screen readers: the arrow's meaning */
    const char *stale;
    const char *weight;
    const char *owner, *team, *context;
    const char *current, *from_kpi, *from_checkin, *from_baseline;
    const char *milestone_done, *milestone_open;
    const char *baseline, *target;
    const char *rolled_up, *empty, *aligned_to;
    const char *objectives[2];
    const char *day_of; /* "day %d of %d" */
    const char *expected_today, *not_yet, *ended;
    const char *filter, *all_teams;
    const char *none_defined, *none_started, *all_quarters, *shown_above;
    const char *colon; /* French sets a no-break space before it */
};

static const char *const trend_arrow[4] = {"", "\xE2\x86\x91", "\xE2\x86\x93",
                                           "\xE2\x86\x92"};

#define NBSP "\xC2\xA0"

static const struct words words[2] = {
    [OB_LANG_EN] =
        {
            {"Not started", "Ended", "Done", "On track", "At risk",
             "Off track"},
            {{"not started", "not started"},
             {"ended", "ended"},
             {"done", "done"},
             {"on track", "on track"},
             {"at risk", "at risk"},
             {"off track", "off track"}},
            {"", "green", "yellow", "red"},
            "Grade: ",
            "%s done, %s expected",
            "confidence",
            {"", "rising since the check-in before",
             "falling since the check-in before",
             "unchanged since the check-in before"},
            "No recent check-in",
            "weight",
            "Owner: ",
            "Team: ",
            "shown for context",
            "Current",
            "from KPI",
            "from the check-in of",
            "from the baseline: no KPI value or check-in yet",
            "Milestone: done",
            "Milestone: not done",
            "baseline",
            "target",
            "Progress from its aligned objectives",
            "No key results or aligned objectives",
            "Aligned to",
            {"objective", "objectives"},
            "day %d of %d",
            "expected progress today: ",
            "Not started yet",
            "Ended: progress is graded green from 0.7, yellow from 0.4, "
            "red below",
            "Filter by team",
            "All teams",
            "No OKRs are defined yet: list OKR files under okrs: in "
            "opsbook.yaml.",
            "No quarter has started yet.",
            "All quarters",
            "shown above",
            ": ",
        },
    [OB_LANG_FR] =
        {
            {"Pas commencé", "Clos", "Atteint", "En bonne voie", "À risque",
             "En retard"},
            {{"pas commencé", "pas commencés"},
             {"clos", "clos"},
             {"atteint", "atteints"},
             {"en bonne voie", "en bonne voie"},
             {"à risque", "à risque"},
             {"en retard", "en retard"}},
            {"", "vert", "jaune", "rouge"},
            "Note" NBSP ": ",
            "%s atteint, %s attendu",
            "confiance",
            {"", "en hausse depuis le point précédent",
             "en baisse depuis le point précédent",
             "inchangée depuis le point précédent"},
            "Pas de point récent",
            "poids",
            "Responsable" NBSP ": ",
            "Équipe" NBSP ": ",
            "affiché pour le contexte",
            "Valeur actuelle",
            "d’après le KPI",
            "d’après le point du",
            "d’après la valeur de départ" NBSP
            ": pas encore de valeur du KPI ni "
            "de point",
            "Jalon" NBSP ": fait",
            "Jalon" NBSP ": pas fait",
            "départ",
            "cible",
            "Progression tirée des objectifs alignés",
            "Ni résultat clé ni objectif aligné",
            "Aligné sur",
            {"objectif", "objectifs"},
            "jour %d sur %d",
            "progression attendue aujourd’hui" NBSP ": ",
            "Pas encore commencé",
            "Clos" NBSP ": la progression est notée vert dès 0,7, jaune dès "
            "0,4, rouge en dessous",
            "Filtrer par équipe",
            "Toutes les équipes",
            "Aucun OKR n’est défini pour l’instant" NBSP ": listez les "
            "fichiers d’OKR sous okrs: dans opsbook.yaml.",
            "Aucun trimestre n’a encore commencé.",
            "Tous les trimestres",
            "ci-dessus",
            NBSP ": ",
        },
};

static const struct words *
words_of(const struct ob_view *v)
{
    return &words[ob_view_language(v) == OB_LANG_FR ? OB_LANG_FR : OB_LANG_EN];
}

static void
put_text(struct ob_buf *out, const char *s)
{
    ob_buf_add_html(out, s, strlen(s));
}

/* ---- numbers -------------------------------------------------------- */

/* Percent with no decimals, as {{okr:ID.progress}} writes it, so the
 * page, the prose and `okrs --json` agree. */
static void
put_percent(const struct ob_view *v, struct ob_buf *out, double share)
{
    struct ob_numfmt pct = {OB_FMT_PERCENT, NULL, 0, ob_view_language(v)};

    ob_numfmt_value(out, &pct, share);
}

/* A share as a CSS percentage with two decimals ("55.43"), written with
 * integers so no locale can turn the point into a comma. */
static void
put_css_percent(struct ob_buf *out, double share)
{
    long hundredths;

    if (!(share > 0))
        share = 0;
    if (share > 1)
        share = 1;
    hundredths = lround(share * 10000);
    ob_buf_printf(out, "%ld.%02ld", hundredths / 100, hundredths % 100);
}

/* A short number (confidence, weight) with as few decimals as it needs,
 * at most two: 0.6, 0.75, 2. */
static void
put_short(const struct ob_view *v, struct ob_buf *out, double x)
{
    struct ob_numfmt f = {OB_FMT_NUMBER, NULL, 0, ob_view_language(v)};
    double scale = 1;

    while (f.decimals < 2 &&
           fabs(x * scale - ob_round_half_away(x * scale, 0)) > 1e-9) {
        f.decimals++;
        scale *= 10;
    }
    ob_numfmt_value(out, &f, x);
}

/* ---- scores --------------------------------------------------------- */

/* The colour family of a status, as the charts use it (chart_int.h). */
static const char *
tone_of(const struct ob_okr_score *s)
{
    static const char *const by_status[N_STATUS] = {"muted", "muted", "done",
                                                    "good",  "warn",  "bad"};
    static const char *const by_grade[N_GRADE] = {"muted", "good", "warn",
                                                  "bad"};

    if (s->status == OB_OKR_ENDED)
        return by_grade[s->grade];
    return by_status[s->status];
}

/* The bar: the fill to the progress, a marker at the expected progress,
 * both in words for screen readers; raw shares in data- attributes for
 * scripts and tests. */
static void
put_bar(const struct ob_view *v, struct ob_buf *out,
        const struct ob_okr_score *s)
{
    struct ob_buf done = OB_BUF_INIT, expected = OB_BUF_INIT;

    put_percent(v, &done, s->progress);
    put_percent(v, &expected, s->expected);
    ob_buf_printf(out, "<div class=\"okr-bar tone-%s\" role=\"img\" ",
                  tone_of(s));
    ob_buf_puts(out, "aria-label=\"");
    ob_buf_printf(out, words_of(v)->done_expected, done.ptr, expected.ptr);
    ob_buf_puts(out, "\" data-progress=\"");
    ob_numfmt_plain(out, s->progress);
    ob_buf_puts(out, "\" data-expected=\"");
    ob_numfmt_plain(out, s->expected);
    ob_buf_puts(out, "\"><span class=\"okr-fill\" style=\"width:");
    put_css_percent(out, s->progress);
    ob_buf_puts(out, "%\"></span><span class=\"okr-expected\" style=\"left:");
    put_css_percent(out, s->expected);
    ob_buf_puts(out, "%\"></span></div>\n");
    ob_buf_release(&done);
    ob_buf_release(&expected);
}

/* "On track"; once ended, "Ended" and "Grade: green 0.72". */
static void
put_status(const struct ob_view *v, struct ob_buf *out,
           const struct ob_okr_score *s)
{
    const struct words *w = words_of(v);
    struct ob_numfmt two = {OB_FMT_NUMBER, NULL, 2, ob_view_language(v)};

    ob_buf_printf(out, "<span class=\"okr-status tone-%s\">", tone_of(s));
    put_text(out, w->status[s->status]);
    ob_buf_puts(out, "</span>\n");
    if (s->grade == OB_GRADE_NONE)
        return;
    ob_buf_printf(out, "<span class=\"okr-grade tone-%s\">", tone_of(s));
    put_text(out, w->grade_label);
    put_text(out, w->grade[s->grade]);
    ob_buf_putc(out, ' ');
    ob_numfmt_value(out, &two, s->progress);
    ob_buf_puts(out, "</span>\n");
}

static void
put_confidence(const struct ob_view *v, struct ob_buf *out,
               const struct ob_okr_score *s, enum ob_trend trend)
{
    const struct words *w = words_of(v);

    if (!s->has_confidence)
        return;
    ob_buf_puts(out, "<span class=\"okr-confidence\">");
    put_text(out, w->confidence);
    ob_buf_putc(out, ' ');
    put_short(v, out, s->confidence);
    if (trend != OB_TREND_NONE) {
        ob_buf_printf(out,
                      " <span class=\"okr-trend %s\"><span "
                      "aria-hidden=\"true\">%s</span><span "
                      "class=\"visually-hidden\">",
                      ob_trend_name(trend), trend_arrow[trend]);
        put_text(out, w->trend[trend]);
        ob_buf_puts(out, "</span></span>");
    }
    ob_buf_puts(out, "</span>\n");
}

/* Bar, number, status, grade and confidence of an objective or a KR, and
 * whether its check-ins have gone quiet. */
static void
put_score(const struct ob_view *v, struct ob_buf *out,
          const struct ob_okr_score *s, enum ob_trend trend, bool stale)
{
    ob_buf_puts(out, "<div class=\"okr-score\">\n");
    put_bar(v, out, s);
    ob_buf_puts(out, "<span class=\"okr-progress\">");
    put_percent(v, out, s->progress);
    ob_buf_puts(out, "</span>\n");
    put_status(v, out, s);
    put_confidence(v, out, s, trend);
    if (stale) {
        ob_buf_puts(out, "<span class=\"okr-stale\">");
        put_text(out, words_of(v)->stale);
        ob_buf_puts(out, "</span>\n");
    }
    ob_buf_puts(out, "</div>\n");
}

/* ---- key results ---------------------------------------------------- */

static void
put_kpi_link(const struct ob_view *v, struct ob_buf *out,
             const struct ob_kr *kr)
{
    struct ob_buf folder = OB_BUF_INIT;
    const char *title = kr->kpi->def->title;

    ob_buf_printf(&folder, "kpis/%s/", kr->kpi->def->id);
    ob_buf_puts(out, "<a class=\"okr-kpi\" href=\"");
    ob_view_link(v, out, folder.ptr);
    ob_buf_puts(out, "\">");
    put_text(out, title && title[0] ? title : kr->kpi->def->id);
    ob_buf_puts(out, "</a>");
    if (kr->def->group.name) {
        ob_buf_puts(out, " (");
        put_text(out, kr->def->group.name);
        ob_buf_putc(out, ')');
    }
    ob_buf_release(&folder);
}

/* Where the current value came from: the KPI (and its period), a
 * check-in (and its date), or the baseline. */
static void
put_source(const struct ob_view *v, struct ob_buf *out, const struct ob_kr *kr)
{
    const struct words *w = words_of(v);

    ob_buf_puts(out, "<span class=\"okr-source\">");
    if (kr->from == OB_KR_FROM_KPI) {
        put_text(out, w->from_kpi);
        ob_buf_putc(out, ' ');
        put_kpi_link(v, out, kr);
        ob_buf_puts(out, ", ");
        ob_numfmt_period(out, &kr->kpi->cal, kr->current_date,
                         ob_view_language(v));
    } else if (kr->from == OB_KR_FROM_CHECKIN) {
        put_text(out, w->from_checkin);
        ob_buf_putc(out, ' ');
        ob_view_date(v, out, kr->current_date);
    } else {
        put_text(out, w->from_baseline);
    }
    if (kr->kpi && kr->from != OB_KR_FROM_KPI) {
        ob_buf_puts(out, " · KPI ");
        put_kpi_link(v, out, kr);
    }
    ob_buf_puts(out, "</span>");
}

static void
put_kr_value(const struct ob_view *v, struct ob_buf *out,
             const struct ob_kr *kr)
{
    const struct words *w = words_of(v);
    const struct ob_kr_def *def = kr->def;

    ob_buf_puts(out, "<p class=\"okr-value\">");
    if (def->type == OB_KR_MILESTONE) {
        put_text(out, def->done ? w->milestone_done : w->milestone_open);
        ob_buf_puts(out, "</p>\n");
        return;
    }
    put_text(out, w->current);
    ob_buf_puts(out, " <strong class=\"okr-current\">");
    ob_numfmt_value(out, &kr->fmt, kr->current);
    ob_buf_puts(out, "</strong> ");
    put_source(v, out, kr);
    ob_buf_puts(out, " · <span class=\"okr-range\">");
    put_text(out, w->baseline);
    ob_buf_putc(out, ' ');
    ob_numfmt_value(out, &kr->fmt, def->baseline);
    ob_buf_puts(out, " \xE2\x86\x92 ");
    put_text(out, w->target);
    ob_buf_putc(out, ' ');
    ob_numfmt_value(out, &kr->fmt, def->target);
    ob_buf_puts(out, "</span></p>\n");
}

static void
put_kr(const struct ob_view *v, struct ob_buf *out, const struct ob_kr *kr)
{
    const struct words *w = words_of(v);
    const struct ob_kr_def *def = kr->def;

    ob_buf_puts(out, "<li class=\"kr\" data-id=\"");
    put_text(out, def->id);
    ob_buf_printf(out, "\" data-status=\"%s\">\n<div class=\"okr-head\">",
                  ob_okr_status_name(kr->score.status));
    ob_buf_puts(out, "<span class=\"okr-title\">");
    put_text(out, def->title);
    ob_buf_puts(out, "</span>");
    if (fabs(def->weight - 1) > 1e-12) {
        ob_buf_puts(out, " <span class=\"okr-weight\">");
        put_text(out, w->weight);
        ob_buf_putc(out, ' ');
        put_short(v, out, def->weight);
        ob_buf_puts(out, "</span>");
    }
    ob_buf_puts(out, "</div>\n");
    put_score(v, out, &kr->score, kr->trend, kr->stale);
    put_kr_value(v, out, kr);
    ob_buf_puts(out, "</li>\n");
}

/* ---- objectives ----------------------------------------------------- */

/* A top objective of its quarter: no parent, or one in another quarter. */
static bool
is_root(const struct ob_objective *obj)
{
    return !obj->parent || obj->parent->quarter != obj->quarter;
}

/* Whether `obj` or an objective aligned beneath it (in its quarter)
 * belongs to `team`. */
static bool
has_team(const struct ob_objective *obj, const char *team, int depth)
{
    size_t i;

    if (!strcmp(obj->def->team, team))
        return true;
    if (depth >= MAX_DEPTH)
        return false;
    for (i = 0; i < obj->n_children; i++)
        if (obj->children[i]->quarter == obj->quarter &&
            has_team(obj->children[i], team, depth + 1))
            return true;
    return false;
}

static void
put_quarter_link(const struct ob_view *v, struct ob_buf *out,
                 const struct ob_quarter *q)
{
    struct ob_buf folder = OB_BUF_INIT;

    ob_buf_puts(&folder, "okrs/");
    ob_okrview_slug(q, &folder);
    ob_buf_putc(&folder, '/');
    ob_view_link(v, out, folder.ptr);
    ob_buf_release(&folder);
}

/* Title, owner, team; the parent when it lives in another quarter. */
static void
put_objective_head(const struct ob_view *v, struct ob_buf *out,
                   const struct ob_objective *obj, bool context)
{
    const struct words *w = words_of(v);
    const struct ob_objective_def *def = obj->def;

    ob_buf_puts(out, "<div class=\"okr-head\"><span class=\"okr-title\">");
    put_text(out, def->title);
    ob_buf_puts(out, "</span>");
    if (def->owner[0] || def->team[0]) {
        ob_buf_puts(out, " <span class=\"okr-meta\">");
        if (def->owner[0]) {
            ob_buf_puts(out, "<span class=\"okr-owner\">");
            put_text(out, w->owner);
            put_text(out, def->owner);
            ob_buf_puts(out, "</span>");
        }
        if (def->owner[0] && def->team[0])
            ob_buf_puts(out, " · ");
        if (def->team[0]) {
            ob_buf_puts(out, "<span class=\"okr-team\">");
            put_text(out, w->team);
            put_text(out, def->team);
            ob_buf_puts(out, "</span>");
        }
        ob_buf_puts(out, "</span>");
    }
    /* Hidden unless the objective is context for a filtered team: the
     * script reveals it through the okr-context class. */
    ob_buf_printf(out, " <span class=\"okr-context-note\"%s>",
                  context ? "" : " hidden");
    put_text(out, w->context);
    ob_buf_puts(out, "</span></div>\n");
    if (def->description[0]) {
        ob_buf_puts(out, "<p class=\"okr-desc\">");
        put_text(out, def->description);
        ob_buf_puts(out, "</p>\n");
    }
    if (obj->parent && is_root(obj)) {
        ob_buf_puts(out, "<p class=\"okr-aligned\">");
        put_text(out, w->aligned_to);
        ob_buf_puts(out, " <a href=\"");
        put_quarter_link(v, out, obj->parent->quarter);
        ob_buf_puts(out, "\">");
        put_text(out, obj->parent->def->title);
        ob_buf_puts(out, "</a> (");
        put_text(out, obj->parent->quarter->label);
        ob_buf_puts(out, ")</p>\n");
    }
}

static void put_objective(const struct ob_view *v, struct ob_buf *out,
                          const struct ob_objective *obj, const char *team,
                          int depth);

static void
put_children(const struct ob_view *v, struct ob_buf *out,
             const struct ob_objective *obj, const char *team, int depth)
{
    size_t i;
    bool any = false;

    if (depth >= MAX_DEPTH)
        return;
    for (i = 0; i < obj->n_children; i++) {
        const struct ob_objective *c = obj->children[i];

        if (c->quarter != obj->quarter || (team && !has_team(c, team, 0)))
            continue;
        if (!any)
            ob_buf_puts(out, "<ul class=\"okr-children\">\n");
        any = true;
        put_objective(v, out, c, team, depth + 1);
    }
    if (any)
        ob_buf_puts(out, "</ul>\n");
}

/* An objective, its key results, then its aligned objectives. With a
 * team, an objective of another team is only context on the way to it:
 * shown, marked, without its key results. */
static void
put_objective(const struct ob_view *v, struct ob_buf *out,
              const struct ob_objective *obj, const char *team, int depth)
{
    const struct words *w = words_of(v);
    bool context = team && strcmp(obj->def->team, team);
    size_t i;

    ob_buf_puts(out, "<li class=\"objective");
    if (context)
        ob_buf_puts(out, " okr-context");
    ob_buf_puts(out, "\" data-id=\"");
    put_text(out, obj->def->id);
    ob_buf_puts(out, "\" data-team=\"");
    put_text(out, obj->def->team);
    ob_buf_printf(out, "\" data-status=\"%s\">\n",
                  ob_okr_status_name(obj->score.status));
    put_objective_head(v, out, obj, context);
    put_score(v, out, &obj->score, OB_TREND_NONE, false);
    if (obj->rolled_up) {
        ob_buf_puts(out, "<p class=\"okr-rollup\">");
        put_text(out, obj->n_children ? w->rolled_up : w->empty);
        ob_buf_puts(out, "</p>\n");
    }
    if (obj->n_krs && !context) {
        ob_buf_puts(out, "<ol class=\"krs\">\n");
        for (i = 0; i < obj->n_krs; i++)
            put_kr(v, out, &obj->krs[i]);
        ob_buf_puts(out, "</ol>\n");
    }
    put_children(v, out, obj, team, depth);
    ob_buf_puts(out, "</li>\n");
}

void
ob_okrview_tree(const struct ob_view *v, const struct ob_quarter *q,
                const char *team, struct ob_buf *out)
{
    size_t i;

    ob_buf_puts(out, "<ul class=\"okr-tree\">\n");
    for (i = 0; i < q->n_objectives; i++) {
        const struct ob_objective *obj = q->objectives[i];

        if (is_root(obj) && (!team || has_team(obj, team, 0)))
            put_objective(v, out, obj, team, 0);
    }
    ob_buf_puts(out, "</ul>\n");
}

/* ---- a quarter's page ----------------------------------------------- */

static void
put_dates(const struct ob_view *v, struct ob_buf *out,
          const struct ob_quarter *q)
{
    ob_view_date(v, out, q->start);
    ob_buf_puts(out, " – ");
    ob_view_date(v, out, q->end);
}

/* Where the quarter stands: its day and expected progress while it runs;
 * else not started, or ended (`brief` leaves out how grades read). */
static void
put_pace(const struct ob_view *v, struct ob_buf *out,
         const struct ob_quarter *q, bool brief)
{
    const struct words *w = words_of(v);

    if (q->status == OB_OKR_NOT_STARTED) {
        put_text(out, w->not_yet);
    } else if (q->status == OB_OKR_ENDED) {
        put_text(out, brief ? w->status[OB_OKR_ENDED] : w->ended);
    } else {
        ob_buf_printf(out, w->day_of, (int)(v->b->as_of - q->start + 1),
                      (int)(q->end - q->start + 1));
        ob_buf_puts(out, " · ");
        put_text(out, w->expected_today);
        ob_buf_puts(out, "<strong class=\"okr-expected-today\">");
        put_percent(v, out, q->expected);
        ob_buf_puts(out, "</strong>");
    }
}

/* Objectives counted by what their badge says: by grade once the quarter
 * has ended, else by status. Slots follow the badge order of the strip. */
enum slot { S_DONE, S_ON, S_RISK, S_OFF, S_NOT, S_GREEN, S_YELLOW, S_RED };
#define N_SLOTS 8

static enum slot
slot_of(const struct ob_okr_score *s)
{
    static const enum slot by_status[N_STATUS] = {S_NOT, S_RED,  S_DONE,
                                                  S_ON,  S_RISK, S_OFF};
    static const enum slot by_grade[N_GRADE] = {S_RED, S_GREEN, S_YELLOW,
                                                S_RED};

    if (s->status == OB_OKR_ENDED)
        return by_grade[s->grade];
    return by_status[s->status];
}

static void
count_slots(const struct ob_quarter *q, size_t counts[N_SLOTS])
{
    size_t i;

    memset(counts, 0, N_SLOTS * sizeof(counts[0]));
    for (i = 0; i < q->n_objectives; i++)
        counts[slot_of(&q->objectives[i]->score)]++;
}

static const char *
slot_tone(enum slot s)
{
    static const char *const tones[N_SLOTS] = {"done",  "good", "warn", "bad",
                                               "muted", "good", "warn", "bad"};

    return tones[s];
}

static void
put_slot_words(const struct ob_view *v, struct ob_buf *out, enum slot s,
               size_t n)
{
    static const enum ob_okr_status status[S_GREEN] = {
        OB_OKR_DONE, OB_OKR_ON_TRACK, OB_OKR_AT_RISK, OB_OKR_OFF_TRACK,
        OB_OKR_NOT_STARTED};
    const struct words *w = words_of(v);

    ob_buf_printf(out, "%zu ", n);
    if (s >= S_GREEN)
        put_text(out, w->grade[OB_GRADE_GREEN + (s - S_GREEN)]);
    else
        put_text(out, w->count[status[s]][n != 1]);
}

/* "9 objectives: 5 on track · 2 at risk · 2 off track", and the same as
 * a strip of proportional segments (decoration: the words say it). */
static void
put_counts(const struct ob_view *v, struct ob_buf *out,
           const struct ob_quarter *q)
{
    const struct words *w = words_of(v);
    size_t counts[N_SLOTS];
    int s;
    bool first = true;

    count_slots(q, counts);
    ob_buf_printf(out, "<p class=\"okr-counts\">%zu ", q->n_objectives);
    put_text(out, w->objectives[q->n_objectives != 1]);
    for (s = 0; s < N_SLOTS; s++) {
        if (!counts[s])
            continue;
        ob_buf_puts(out, first ? w->colon : " · ");
        first = false;
        ob_buf_printf(out, "<span class=\"okr-count tone-%s\">", slot_tone(s));
        put_slot_words(v, out, (enum slot)s, counts[s]);
        ob_buf_puts(out, "</span>");
    }
    ob_buf_puts(out, "</p>\n");
    if (first)
        return;
    ob_buf_puts(out, "<div class=\"okr-strip\" aria-hidden=\"true\">");
    for (s = 0; s < N_SLOTS; s++)
        if (counts[s])
            ob_buf_printf(out,
                          "<span class=\"tone-%s\" style=\"flex-grow:%zu\">"
                          "</span>",
                          slot_tone(s), counts[s]);
    ob_buf_puts(out, "</div>\n");
}

/* Whether objective `i` is the first of the quarter with its team (teams
 * are listed once, in file order; "" is no team). */
static bool
first_of_team(const struct ob_quarter *q, size_t i)
{
    const char *team = q->objectives[i]->def->team;
    size_t j;

    if (!team[0])
        return false;
    for (j = 0; j < i; j++)
        if (!strcmp(q->objectives[j]->def->team, team))
            return false;
    return true;
}

static size_t
count_teams(const struct ob_quarter *q)
{
    size_t i, n = 0;

    for (i = 0; i < q->n_objectives; i++)
        n += first_of_team(q, i);
    return n;
}

/* Every team as a toggle button. The group is hidden until the script
 * runs: without it nothing filters, so nothing offers to. */
static void
put_filter(const struct ob_view *v, struct ob_buf *out,
           const struct ob_quarter *q)
{
    const struct words *w = words_of(v);
    size_t i;

    ob_buf_puts(out, "<div class=\"okr-filter\" role=\"group\" aria-label=\"");
    put_text(out, w->filter);
    ob_buf_puts(out, "\" hidden>\n<button type=\"button\" data-team=\"\" "
                     "aria-pressed=\"true\">");
    put_text(out, w->all_teams);
    ob_buf_puts(out, "</button>\n");
    for (i = 0; i < q->n_objectives; i++) {
        const char *team = q->objectives[i]->def->team;

        if (!first_of_team(q, i))
            continue;
        ob_buf_puts(out, "<button type=\"button\" data-team=\"");
        put_text(out, team);
        ob_buf_puts(out, "\" aria-pressed=\"false\">");
        put_text(out, team);
        ob_buf_puts(out, "</button>\n");
    }
    ob_buf_puts(out, "</div>\n");
}

void
ob_okrview_page(const struct ob_view *v, const struct ob_quarter *q,
                struct ob_buf *out)
{
    ob_buf_puts(out, "<div class=\"okr-view\" data-quarter=\"");
    put_text(out, q->label);
    ob_buf_puts(out, "\">\n<p class=\"okr-period\">");
    put_dates(v, out, q);
    ob_buf_puts(out, " · ");
    put_pace(v, out, q, false);
    ob_buf_puts(out, "</p>\n");
    put_counts(v, out, q);
    /* One team or none: nothing to choose between. */
    if (count_teams(q) > 1)
        put_filter(v, out, q);
    ob_okrview_tree(v, q, NULL, out);
    ob_buf_puts(out, "</div>\n");
}

/* ---- the index ------------------------------------------------------ */

/* One line per quarter: its link, dates, where it stands, its counts. */
static void
put_quarter_item(const struct ob_view *v, struct ob_buf *out,
                 const struct ob_quarter *q, bool latest)
{
    ob_buf_puts(out, "<li data-quarter=\"");
    put_text(out, q->label);
    ob_buf_puts(out, "\"><a href=\"");
    put_quarter_link(v, out, q);
    ob_buf_puts(out, "\">");
    put_text(out, q->label);
    ob_buf_puts(out, "</a>");
    if (latest) {
        ob_buf_puts(out, " <span class=\"okr-latest\">(");
        put_text(out, words_of(v)->shown_above);
        ob_buf_puts(out, ")</span>");
    }
    ob_buf_puts(out, "\n<p class=\"okr-period\">");
    put_dates(v, out, q);
    ob_buf_puts(out, " · ");
    put_pace(v, out, q, true);
    ob_buf_puts(out, "</p>\n");
    put_counts(v, out, q);
    ob_buf_puts(out, "</li>\n");
}

void
ob_okrview_index(const struct ob_view *v, struct ob_buf *out)
{
    const struct words *w = words_of(v);
    const struct ob_okrs *o = &v->b->okrs;
    size_t i;

    if (!o->n_quarters) {
        ob_buf_puts(out, "<p class=\"okr-none\">");
        put_text(out, w->none_defined);
        ob_buf_puts(out, "</p>\n");
        return;
    }
    if (o->latest >= 0) {
        const struct ob_quarter *q = &o->quarters[o->latest];

        ob_buf_puts(out, "<h2 class=\"okr-quarter\"><a href=\"");
        put_quarter_link(v, out, q);
        ob_buf_puts(out, "\">");
        put_text(out, q->label);
        ob_buf_puts(out, "</a></h2>\n");
        ob_okrview_page(v, q, out);
    } else {
        ob_buf_puts(out, "<p class=\"okr-none\">");
        put_text(out, w->none_started);
        ob_buf_puts(out, "</p>\n");
    }
    ob_buf_puts(out, "<h2>");
    put_text(out, w->all_quarters);
    ob_buf_puts(out, "</h2>\n<ol class=\"okr-quarters\">\n");
    for (i = o->n_quarters; i-- > 0;)
        put_quarter_item(v, out, &o->quarters[i], (int)i == o->latest);
    ob_buf_puts(out, "</ol>\n");
}

void
ob_okrview_slug(const struct ob_quarter *q, struct ob_buf *out)
{
    const char *dots = strstr(q->label, "..");

    if (!dots) {
        ob_buf_puts(out, q->label);
        return;
    }
    ob_buf_add(out, q->label, (size_t)(dots - q->label));
    ob_buf_puts(out, "--");
    ob_buf_puts(out, dots + 2);
}
