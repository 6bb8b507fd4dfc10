/* mail_body.c: what the leadership email says, as plain text and as
 * email-safe HTML: the KPIs with their changes and status, the OKR status
 * counts and the key results off track, links to the hosted site. */
/* SPDX-License-Identifier: MIT */
#include "mail_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/kpi.h"
#include "opsbook/mem.h"
#include "opsbook/numfmt.h"
#include "opsbook/okr.h"
#include "opsbook/okrview.h"

/* ---- words --------------------------------------------------------------- */

#define NBSP "\xC2\xA0"

enum word {
    W_DATA_UP_TO,
    W_KPIS,
    W_TARGET,
    W_ON_TARGET,
    W_NEAR_TARGET,
    W_OFF_TARGET,
    W_NO_DATA,
    W_ON_PREVIOUS,
    W_BETTER,
    W_WORSE,
    W_NO_CHANGE,
    W_NO_PREVIOUS,
    W_GROUP,
    W_VALUE,
    W_STATUS,
    W_DAY_OF,
    W_NOT_STARTED_Q,
    W_ENDED_Q,
    W_KEY_RESULTS,
    W_OBJECTIVES,
    W_OFF_TRACK_KRS,
    W_RED_KRS,
    W_NONE_OFF_TRACK,
    W_NONE_RED,
    W_DONE_EXPECTED,
    W_NO_RECENT,
    W_OPEN_KPIS,
    W_ATTACHED,
    W_SENT_BY,
    W_SENT_BY_FOR,
    W_COLON,
    N_WORDS
};

/* The site's own words where it has them (kpiview.c, okrview.c), so the
 * email and the dashboards say the same thing. */
static const char *const words[N_WORDS][2] = {
    [W_DATA_UP_TO] = {"data up to %s", "données jusqu’au %s"},
    [W_KPIS] = {"KPIs", "Indicateurs"},
    [W_TARGET] = {"Target", "Objectif"},
    [W_ON_TARGET] = {"On target", "Objectif atteint"},
    [W_NEAR_TARGET] = {"Near target", "Proche de l’objectif"},
    [W_OFF_TARGET] = {"Off target", "Loin de l’objectif"},
    [W_NO_DATA] = {"no data", "pas de données"},
    [W_ON_PREVIOUS] = {"on the previous period",
                       "par rapport à la période précédente"},
    [W_BETTER] = {"better", "mieux"},
    [W_WORSE] = {"worse", "moins bien"},
    [W_NO_CHANGE] = {"no change", "stable"},
    [W_NO_PREVIOUS] = {"no previous period to compare with",
                       "pas de période précédente à comparer"},
    [W_GROUP] = {"Group", "Groupe"},
    [W_VALUE] = {"Value", "Valeur"},
    [W_STATUS] = {"Status", "Statut"},
    [W_DAY_OF] = {"day %d of %d, %s expected", "jour %d sur %d, %s attendu"},
    [W_NOT_STARTED_Q] = {"not started yet", "pas encore commencé"},
    [W_ENDED_Q] = {"ended: graded green from 0.7, yellow from 0.4, red below",
                   "clos" NBSP ": noté vert dès 0,7, jaune dès 0,4, rouge en "
                   "dessous"},
    [W_KEY_RESULTS] = {"Key results", "Résultats clés"},
    [W_OBJECTIVES] = {"Objectives", "Objectifs"},
    [W_OFF_TRACK_KRS] = {"Key results off track", "Résultats clés en retard"},
    [W_RED_KRS] = {"Key results graded red", "Résultats clés notés rouge"},
    [W_NONE_OFF_TRACK] = {"No key result is off track.",
                          "Aucun résultat clé n’est en retard."},
    [W_NONE_RED] = {"No key result is graded red.",
                    "Aucun résultat clé n’est noté rouge."},
    [W_DONE_EXPECTED] = {"%s done, %s expected", "%s atteint, %s attendu"},
    [W_NO_RECENT] = {"no recent check-in", "pas de point récent"},
    [W_OPEN_KPIS] = {"Open the KPI dashboards",
                     "Ouvrir les tableaux de bord des indicateurs"},
    [W_ATTACHED] = {"The full report is attached: %s",
                    "Le rapport complet est en pièce jointe" NBSP ": %s"},
    [W_SENT_BY] = {"Sent by opsbook", "Envoyé par opsbook"},
    [W_SENT_BY_FOR] = {"Sent by opsbook for %s", "Envoyé par opsbook pour %s"},
    [W_COLON] = {": ", NBSP ": "},
};

/* OKR statuses and grades, singular and plural (okrview.c's words). */
static const char *const status_words[6][2][2] = {
    {{"not started", "not started"}, {"pas commencé", "pas commencés"}},
    {{"ended", "ended"}, {"clos", "clos"}},
    {{"done", "done"}, {"atteint", "atteints"}},
    {{"on track", "on track"}, {"en bonne voie", "en bonne voie"}},
    {{"at risk", "at risk"}, {"à risque", "à risque"}},
    {{"off track", "off track"}, {"en retard", "en retard"}},
};
static const char *const grade_words[4][2] = {
    {"", ""}, {"green", "vert"}, {"yellow", "jaune"}, {"red", "rouge"}};

static bool
is_fr(const struct ob_mail_content *c)
{
    return c->b->config.site.language == OB_LANG_FR;
}

static const char *
word(const struct ob_mail_content *c, enum word w)
{
    return words[w][is_fr(c)];
}

/* ---- what a KPI's state says, in words ----------------------------------- */

enum tone { TONE_NONE, TONE_GOOD, TONE_WARN, TONE_BAD };

struct state_text {
    struct ob_buf value;  /* "70", or "no data" */
    struct ob_buf change; /* as `opsbook kpi` prints it: "+7 (+11.1%)" */
    const char *arrow;    /* "▲", "▼", "=" */
    const char *trend;    /* better / worse / no change; NULL: no delta */
    enum tone change_tone;
    struct ob_buf target; /* "" without one */
    const char *status;   /* NULL without a target */
    enum tone status_tone;
};

/* A delta that rounds to 0 as shown is flat, not a rise (as the cards). */
static bool
shows_zero(const struct ob_numfmt *f, double d)
{
    double scaled = f->format == OB_FMT_PERCENT ? d * 100 : d;

    return ob_round_half_away(scaled, ob_numfmt_decimals(f)) == 0;
}

static void
change_text(const struct ob_mail_content *c, const struct ob_kpi *kpi,
            const struct ob_kpi_state *st, struct state_text *t)
{
    bool good;

    if (!st->has_delta)
        return;
    ob_numfmt_delta(&t->change, &kpi->fmt, st->delta);
    if (st->has_delta_rel && kpi->fmt.format != OB_FMT_PERCENT) {
        ob_buf_puts(&t->change, " (");
        ob_numfmt_ratio(&t->change, kpi->fmt.language, st->delta_rel);
        ob_buf_putc(&t->change, ')');
    }
    if (shows_zero(&kpi->fmt, st->delta)) {
        t->arrow = "=";
        t->trend = word(c, W_NO_CHANGE);
        return;
    }
    good = (st->delta > 0) == (kpi->def->direction == OB_DIR_UP);
    t->arrow = st->delta > 0 ? "\xE2\x96\xB2" : "\xE2\x96\xBC"; /* ▲ ▼ */
    t->trend = word(c, good ? W_BETTER : W_WORSE);
    t->change_tone = good ? TONE_GOOD : TONE_BAD;
}

static void
state_text_init(const struct ob_mail_content *c, const struct ob_kpi *kpi,
                const struct ob_kpi_state *st, struct state_text *t)
{
    memset(t, 0, sizeof(*t));
    ob_buf_init(&t->value);
    ob_buf_init(&t->change);
    ob_buf_init(&t->target);
    if (!st || !st->has_current) {
        ob_buf_puts(&t->value, word(c, W_NO_DATA));
        if (!st)
            return;
    } else {
        ob_numfmt_value(&t->value, &kpi->fmt, st->current);
    }
    change_text(c, kpi, st, t);
    if (st->has_target)
        ob_numfmt_value(&t->target, &kpi->fmt, st->target);
    if (st->status != OB_STATUS_NONE) {
        t->status = word(c, st->status == OB_STATUS_GREEN   ? W_ON_TARGET
                            : st->status == OB_STATUS_AMBER ? W_NEAR_TARGET
                                                            : W_OFF_TARGET);
        t->status_tone = st->status == OB_STATUS_GREEN   ? TONE_GOOD
                         : st->status == OB_STATUS_AMBER ? TONE_WARN
                                                         : TONE_BAD;
    }
}

static void
state_text_release(struct state_text *t)
{
    ob_buf_release(&t->value);
    ob_buf_release(&t->change);
    ob_buf_release(&t->target);
}

static const struct ob_kpi_state *
state_of(const struct ob_kpi *kpi, size_t g)
{
    return kpi->ok && kpi->states && g < kpi->n_groups ? &kpi->states[g] : NULL;
}

/* ---- the report's KPIs, links, OKR counts -------------------------------- */

const struct ob_kpi **
ob_mail_report_kpis(const struct ob_build *b, const struct ob_report_def *r,
                    size_t *n)
{
    size_t max = r->all_kpis ? b->kpis.n : r->n_kpis, i, j;
    const struct ob_kpi **list;

    *n = 0;
    if (!max)
        return NULL;
    list = ob_xcalloc(max, sizeof(*list));
    for (i = 0; i < max; i++) {
        const struct ob_kpi *kpi =
            r->all_kpis ? &b->kpis.kpis[i]
                        : ob_kpis_find(&b->kpis, r->kpis[i].name);

        for (j = 0; kpi && j < *n; j++)
            if (list[j] == kpi)
                kpi = NULL; /* named twice: shown once */
        if (kpi)
            list[(*n)++] = kpi;
    }
    return list;
}

/* The hosted site's root with one '/', when base_url is an absolute web
 * address; NULL otherwise (relative links mean nothing in an email). */
static char *
site_root(const struct ob_mail_content *c)
{
    const char *base = c->b->config.site.base_url;
    size_t len = strlen(base);

    if (strncmp(base, "https://", 8) && strncmp(base, "http://", 7))
        return NULL;
    while (len && base[len - 1] == '/')
        len--;
    return ob_xstrndup(base, len);
}

/* Appends root + "/" + path made from printf, or nothing without a root. */
static bool link_to(struct ob_buf *out, const char *root, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool
link_to(struct ob_buf *out, const char *root, const char *fmt, ...)
{
    va_list ap;

    if (!root)
        return false;
    ob_buf_printf(out, "%s/", root);
    va_start(ap, fmt);
    ob_buf_vprintf(out, fmt, ap);
    va_end(ap);
    return true;
}

static void
quarter_link(struct ob_buf *out, const char *root, const struct ob_quarter *q)
{
    struct ob_buf slug = OB_BUF_INIT;

    ob_okrview_slug(q, &slug);
    link_to(out, root, "okrs/%s/", slug.ptr);
    ob_buf_release(&slug);
}

#define N_STATUS 6
#define N_GRADE  4

struct okr_counts {
    size_t kr_status[N_STATUS], kr_grade[N_GRADE];
    size_t obj_status[N_STATUS], obj_grade[N_GRADE];
};

static void
count_okrs(const struct ob_quarter *q, struct okr_counts *n)
{
    size_t i, k;

    memset(n, 0, sizeof(*n));
    for (i = 0; i < q->n_objectives; i++) {
        const struct ob_objective *o = q->objectives[i];

        n->obj_status[o->score.status]++;
        n->obj_grade[o->score.grade]++;
        for (k = 0; k < o->n_krs; k++) {
            n->kr_status[o->krs[k].score.status]++;
            n->kr_grade[o->krs[k].score.grade]++;
        }
    }
}

/* A key result the leadership should hear about: off track while the
 * quarter runs, graded red once it has ended. */
static bool
is_flagged(const struct ob_quarter *q, const struct ob_kr *kr)
{
    if (q->status == OB_OKR_ENDED)
        return kr->score.grade == OB_GRADE_RED;
    return kr->score.status == OB_OKR_OFF_TRACK;
}

static void
percent(const struct ob_mail_content *c, struct ob_buf *out, double share)
{
    struct ob_numfmt f = {OB_FMT_PERCENT, NULL, 0, c->b->config.site.language};

    ob_numfmt_value(out, &f, share);
}

/* "day 51 of 92, 55% expected", "not started yet", or "ended: ...". */
static void
quarter_pace(const struct ob_mail_content *c, const struct ob_quarter *q,
             struct ob_buf *out)
{
    struct ob_buf pct = OB_BUF_INIT;

    if (q->status == OB_OKR_NOT_STARTED) {
        ob_buf_puts(out, word(c, W_NOT_STARTED_Q));
    } else if (q->status == OB_OKR_ENDED) {
        ob_buf_puts(out, word(c, W_ENDED_Q));
    } else {
        percent(c, &pct, q->expected);
        ob_buf_printf(out, word(c, W_DAY_OF), (int)(q->day - q->start + 1),
                      (int)(q->end - q->start + 1), pct.ptr);
    }
    ob_buf_release(&pct);
}

/* "2 on track, 1 at risk" (or grades after the end); "" for none. */
static void
count_line(const struct ob_mail_content *c, const struct ob_quarter *q,
           const size_t *status, const size_t *grade, struct ob_buf *out)
{
    static const enum ob_okr_status order[] = {OB_OKR_DONE, OB_OKR_ON_TRACK,
                                               OB_OKR_AT_RISK, OB_OKR_OFF_TRACK,
                                               OB_OKR_NOT_STARTED};
    bool fr = is_fr(c), first = true;
    size_t i;

    if (q->status == OB_OKR_ENDED) {
        for (i = 1; i < N_GRADE; i++) {
            if (!grade[i])
                continue;
            ob_buf_printf(out, "%s%zu %s", first ? "" : ", ", grade[i],
                          grade_words[i][fr]);
            first = false;
        }
        return;
    }
    for (i = 0; i < sizeof order / sizeof order[0]; i++) {
        size_t n = status[order[i]];

        if (!n)
            continue;
        ob_buf_printf(out, "%s%zu %s", first ? "" : ", ", n,
                      status_words[order[i]][fr][n > 1]);
        first = false;
    }
}

static void
kr_progress(const struct ob_mail_content *c, const struct ob_kr *kr,
            struct ob_buf *out)
{
    struct ob_buf done = OB_BUF_INIT, expected = OB_BUF_INIT;

    percent(c, &done, kr->score.progress);
    percent(c, &expected, kr->score.expected);
    ob_buf_printf(out, word(c, W_DONE_EXPECTED), done.ptr, expected.ptr);
    if (kr->stale)
        ob_buf_printf(out, ", %s", word(c, W_NO_RECENT));
    ob_buf_release(&done);
    ob_buf_release(&expected);
}

static const char *
kr_title(const struct ob_kr *kr)
{
    return kr->def->title ? kr->def->title : kr->def->id;
}

static const char *
kpi_title(const struct ob_kpi *kpi)
{
    return kpi->def->title ? kpi->def->title : kpi->def->id;
}

static void
period_of(const struct ob_mail_content *c, const struct ob_kpi *kpi,
          struct ob_buf *out)
{
    if (kpi->ok)
        ob_numfmt_period(out, &kpi->cal, kpi->current_period,
                         c->b->config.site.language);
}

static void
dated_line(const struct ob_mail_content *c, struct ob_buf *out)
{
    struct ob_buf date = OB_BUF_INIT;

    ob_numfmt_date(&date, c->b->as_of, c->b->config.site.language);
    ob_buf_printf(out, word(c, W_DATA_UP_TO), date.ptr);
    ob_buf_release(&date);
}

/* ---- plain text ---------------------------------------------------------- */

static void
text_state(const struct ob_mail_content *c, const struct state_text *t,
           struct ob_buf *out)
{
    if (t->trend)
        ob_buf_printf(out, "  %s %s %s (%s)\n", t->arrow, t->change.ptr,
                      word(c, W_ON_PREVIOUS), t->trend);
    else
        ob_buf_printf(out, "  %s\n", word(c, W_NO_PREVIOUS));
    if (t->target.len)
        ob_buf_printf(out, "  %s %s%s%s\n", word(c, W_TARGET), t->target.ptr,
                      t->status ? word(c, W_COLON) : "",
                      t->status ? t->status : "");
}

static void
text_kpi(const struct ob_mail_content *c, const struct ob_kpi *kpi,
         const char *root, struct ob_buf *out)
{
    struct state_text t;
    size_t g, n = kpi->def->by.name && kpi->ok ? kpi->n_groups : 1;

    ob_buf_printf(out, "\n%s (", kpi_title(kpi));
    period_of(c, kpi, out);
    ob_buf_puts(out, ")\n");
    for (g = 0; g < n; g++) {
        state_text_init(c, kpi, state_of(kpi, g), &t);
        if (kpi->def->by.name && kpi->ok)
            ob_buf_printf(out, "- %s%s%s\n", kpi->groups[g], word(c, W_COLON),
                          t.value.ptr);
        else
            ob_buf_printf(out, "  %s\n", t.value.ptr);
        text_state(c, &t, out);
        state_text_release(&t);
    }
    if (root) {
        ob_buf_puts(out, "  ");
        link_to(out, root, "kpis/%s/", kpi->def->id);
        ob_buf_putc(out, '\n');
    }
}

static void
text_flagged(const struct ob_mail_content *c, const struct ob_quarter *q,
             struct ob_buf *out)
{
    size_t i, k, n = 0;
    bool ended = q->status == OB_OKR_ENDED;

    ob_buf_printf(out, "\n%s\n", word(c, ended ? W_RED_KRS : W_OFF_TRACK_KRS));
    for (i = 0; i < q->n_objectives; i++) {
        const struct ob_objective *o = q->objectives[i];

        for (k = 0; k < o->n_krs; k++) {
            if (!is_flagged(q, &o->krs[k]))
                continue;
            ob_buf_printf(out, "- %s (%s)\n  ", kr_title(&o->krs[k]),
                          o->def->title ? o->def->title : o->def->id);
            kr_progress(c, &o->krs[k], out);
            ob_buf_putc(out, '\n');
            n++;
        }
    }
    if (!n)
        ob_buf_printf(out, "%s\n",
                      word(c, ended ? W_NONE_RED : W_NONE_OFF_TRACK));
}

static void
text_quarter(const struct ob_mail_content *c, const struct ob_quarter *q,
             const char *root, struct ob_buf *out)
{
    struct okr_counts n;

    count_okrs(q, &n);
    ob_buf_printf(out, "\n\nOKRs %s (", q->label);
    quarter_pace(c, q, out);
    ob_buf_puts(out, ")\n");
    ob_buf_printf(out, "%s%s", word(c, W_KEY_RESULTS), word(c, W_COLON));
    count_line(c, q, n.kr_status, n.kr_grade, out);
    ob_buf_printf(out, "\n%s%s", word(c, W_OBJECTIVES), word(c, W_COLON));
    count_line(c, q, n.obj_status, n.obj_grade, out);
    ob_buf_putc(out, '\n');
    if (q->status != OB_OKR_NOT_STARTED)
        text_flagged(c, q, out);
    if (root) {
        quarter_link(out, root, q);
        ob_buf_putc(out, '\n');
    }
}

static void
text_footer(const struct ob_mail_content *c, const char *root,
            struct ob_buf *out)
{
    const char *company = c->b->config.site.company;

    ob_buf_puts(out, "\n\n");
    if (root) {
        ob_buf_printf(out, "%s%s", word(c, W_OPEN_KPIS), word(c, W_COLON));
        link_to(out, root, "kpis/");
        ob_buf_putc(out, '\n');
    }
    ob_buf_printf(out, word(c, W_ATTACHED), c->attachment);
    ob_buf_puts(out, "\n\n-- \n");
    if (company && *company)
        ob_buf_printf(out, word(c, W_SENT_BY_FOR), company);
    else
        ob_buf_puts(out, word(c, W_SENT_BY));
    ob_buf_putc(out, '\n');
}

void
ob_mail_body_text(const struct ob_mail_content *c, struct ob_buf *out)
{
    char *root = site_root(c);
    const struct ob_kpi **kpis;
    size_t i, n;

    ob_buf_printf(out, "%s\n%s \xC2\xB7 ", c->report->title,
                  c->b->config.site.title);
    dated_line(c, out);
    ob_buf_putc(out, '\n');
    kpis = ob_mail_report_kpis(c->b, c->report, &n);
    if (n)
        ob_buf_printf(out, "\n\n%s\n", word(c, W_KPIS));
    for (i = 0; i < n; i++)
        text_kpi(c, kpis[i], root, out);
    for (i = 0; i < c->n_quarters; i++)
        text_quarter(c, c->quarters[i], root, out);
    text_footer(c, root, out);
    free(kpis);
    free(root);
}

/* ---- HTML ---------------------------------------------------------------- */

/*
 * Mail readers drop <script>, most of <style> and anything remote, so the
 * layout is tables with inline styles and every colour repeats a word.
 * The light colours are inline; readers that honour prefers-color-scheme
 * (Apple Mail, iOS, Outlook for Mac, Thunderbird) switch to the dark ones
 * in the <style> block through the ob-* classes; the others apply their
 * own dark mode to the light colours, which stay readable inverted.
 */
#define C_TEXT   "#1f2328"
#define C_MUTED  "#59636e"
#define C_PAGE   "#f3f4f6"
#define C_CARD   "#ffffff"
#define C_BORDER "#d1d9e0"
#define C_LINK   "#0969da"
#define FONT                                                                   \
    "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,"       \
    "Arial,sans-serif"

static const char *const tone_class[4] = {"", "ob-good", "ob-warn", "ob-bad"};
static const char *const tone_fg[4] = {C_MUTED, "#1a7f37", "#7d4e00",
                                       "#c4272f"};
static const char *const tone_bg[4] = {C_PAGE, "#dafbe1", "#fff8c5", "#ffebe9"};

static const char dark_css[] =
    "<style>\n"
    ":root{color-scheme:light dark;supported-color-schemes:light dark}\n"
    "@media (prefers-color-scheme: dark){\n"
    ".ob-page{background:#0d1117!important;color:#e6edf3!important}\n"
    ".ob-card{background:#161b22!important;border-color:#3d444d!important;"
    "color:#e6edf3!important}\n"
    ".ob-text{color:#e6edf3!important}\n"
    ".ob-muted{color:#9198a1!important}\n"
    ".ob-link{color:#4493f8!important}\n"
    ".ob-line{border-color:#3d444d!important}\n"
    ".ob-good{color:#3fb950!important;background:#12261e!important}\n"
    ".ob-warn{color:#d29922!important;background:#272115!important}\n"
    ".ob-bad{color:#f85149!important;background:#2d1517!important}\n"
    "}\n"
    "@media (max-width: 480px){.ob-pad{padding:12px!important}"
    ".ob-big{font-size:24px!important}}\n"
    "</style>\n";

static void
put_html(struct ob_buf *out, const char *s)
{
    ob_buf_add_html(out, s, strlen(s));
}

/* A status or trend as a coloured word: the word is what carries it. */
static void
badge(struct ob_buf *out, enum tone t, const char *text)
{
    ob_buf_printf(out,
                  "<span class=\"%s\" style=\"display:inline-block;"
                  "padding:1px 8px;border-radius:10px;font-size:13px;"
                  "font-weight:600;color:%s;background:%s\">",
                  tone_class[t], tone_fg[t], tone_bg[t]);
    put_html(out, text);
    ob_buf_puts(out, "</span>");
}

static void
html_link(struct ob_buf *out, const char *href, const char *text)
{
    ob_buf_puts(out, "<a class=\"ob-link\" href=\"");
    put_html(out, href);
    ob_buf_printf(out, "\" style=\"color:%s;text-decoration:underline\">",
                  C_LINK);
    put_html(out, text);
    ob_buf_puts(out, "</a>");
}

static void
html_change(const struct ob_mail_content *c, const struct state_text *t,
            struct ob_buf *out)
{
    if (!t->trend) {
        ob_buf_puts(out,
                    "<span class=\"ob-muted\" style=\"color:" C_MUTED "\">");
        put_html(out, word(c, W_NO_PREVIOUS));
        ob_buf_puts(out, "</span>");
        return;
    }
    ob_buf_printf(out, "<span class=\"%s\" style=\"color:%s;font-weight:600\">",
                  tone_class[t->change_tone], tone_fg[t->change_tone]);
    ob_buf_printf(out, "%s ", t->arrow);
    put_html(out, t->change.ptr);
    ob_buf_puts(out, "</span> ");
    put_html(out, word(c, W_ON_PREVIOUS));
    ob_buf_puts(out, " (");
    put_html(out, t->trend);
    ob_buf_puts(out, ")");
}

static void
html_goal(const struct ob_mail_content *c, const struct state_text *t,
          struct ob_buf *out)
{
    if (!t->target.len)
        return;
    put_html(out, word(c, W_TARGET));
    ob_buf_putc(out, ' ');
    put_html(out, t->target.ptr);
    if (t->status) {
        ob_buf_puts(out, " ");
        badge(out, t->status_tone, t->status);
    }
}

/* One KPI without groups: the big value, its change and its target. */
static void
html_single(const struct ob_mail_content *c, const struct ob_kpi *kpi,
            struct ob_buf *out)
{
    struct state_text t;

    state_text_init(c, kpi, state_of(kpi, 0), &t);
    ob_buf_puts(out, "<p class=\"ob-text ob-big\" style=\"margin:6px 0 0;"
                     "font-size:28px;line-height:1.2;font-weight:700;"
                     "color:" C_TEXT "\">");
    put_html(out, t.value.ptr);
    ob_buf_puts(out, "</p>\n<p style=\"margin:4px 0 0;font-size:14px\">");
    html_change(c, &t, out);
    ob_buf_puts(out, "</p>\n");
    if (t.target.len) {
        ob_buf_puts(out, "<p style=\"margin:4px 0 0;font-size:14px\">");
        html_goal(c, &t, out);
        ob_buf_puts(out, "</p>\n");
    }
    state_text_release(&t);
}

#define CELL                                                                   \
    "class=\"ob-line\" style=\"padding:6px 8px 6px 0;border-top:1px "          \
    "solid " C_BORDER ";vertical-align:top;font-size:14px\""

static void
html_group_row(const struct ob_mail_content *c, const struct ob_kpi *kpi,
               size_t g, struct ob_buf *out)
{
    struct state_text t;

    state_text_init(c, kpi, state_of(kpi, g), &t);
    ob_buf_puts(out, "<tr><td " CELL ">");
    put_html(out, kpi->groups[g]);
    ob_buf_puts(out, "</td><td " CELL "><strong>");
    put_html(out, t.value.ptr);
    ob_buf_puts(out, "</strong><br>");
    html_change(c, &t, out);
    ob_buf_puts(out, "</td><td " CELL ">");
    html_goal(c, &t, out);
    ob_buf_puts(out, "</td></tr>\n");
    state_text_release(&t);
}

/* A KPI with `by`: a row per group, three columns to fit a phone. */
static void
html_groups(const struct ob_mail_content *c, const struct ob_kpi *kpi,
            struct ob_buf *out)
{
    size_t g;

    ob_buf_puts(out, "<table role=\"presentation\" width=\"100%\" "
                     "cellpadding=\"0\" cellspacing=\"0\" "
                     "style=\"margin-top:8px;border-collapse:collapse\">\n"
                     "<tr class=\"ob-muted\" style=\"color:" C_MUTED
                     ";font-size:12px;text-align:left\">");
    ob_buf_printf(out,
                  "<th style=\"padding:0 8px 4px 0;font-weight:600\">%s"
                  "</th><th style=\"padding:0 8px 4px 0;"
                  "font-weight:600\">%s</th><th style=\"padding:0 0 4px;"
                  "font-weight:600\">%s</th></tr>\n",
                  word(c, W_GROUP), word(c, W_VALUE), word(c, W_STATUS));
    for (g = 0; g < kpi->n_groups; g++)
        html_group_row(c, kpi, g, out);
    ob_buf_puts(out, "</table>\n");
}

static const struct ob_mail_image *
image_of(const struct ob_mail_content *c, const struct ob_kpi *kpi)
{
    size_t i;

    for (i = 0; i < c->n_images; i++)
        if (!strcmp(c->images[i].kpi, kpi->def->id))
            return &c->images[i];
    return NULL;
}

static void
html_image(const struct ob_mail_image *img, struct ob_buf *out)
{
    ob_buf_puts(out, "<img src=\"cid:");
    put_html(out, img->cid);
    ob_buf_puts(out, "\" alt=\"");
    put_html(out, img->alt);
    ob_buf_puts(out, "\" width=\"560\" style=\"display:block;width:100%;"
                     "max-width:560px;height:auto;margin-top:12px;border:0;"
                     "border-radius:4px\">\n");
}

static void
html_kpi_title(const struct ob_mail_content *c, const struct ob_kpi *kpi,
               const char *root, struct ob_buf *out)
{
    struct ob_buf href = OB_BUF_INIT, period = OB_BUF_INIT;

    ob_buf_puts(out, "<p class=\"ob-text\" style=\"margin:0;font-size:16px;"
                     "font-weight:600;color:" C_TEXT "\">");
    if (link_to(&href, root, "kpis/%s/", kpi->def->id))
        html_link(out, href.ptr, kpi_title(kpi));
    else
        put_html(out, kpi_title(kpi));
    period_of(c, kpi, &period);
    ob_buf_puts(out, " <span class=\"ob-muted\" style=\"font-weight:400;"
                     "color:" C_MUTED "\">");
    put_html(out, period.ptr);
    ob_buf_puts(out, "</span></p>\n");
    ob_buf_release(&href);
    ob_buf_release(&period);
}

static void
html_kpi(const struct ob_mail_content *c, const struct ob_kpi *kpi,
         const char *root, struct ob_buf *out)
{
    const struct ob_mail_image *img = image_of(c, kpi);

    ob_buf_puts(out, "<tr><td class=\"ob-line ob-pad\" style=\"padding:16px "
                     "24px;border-top:1px solid " C_BORDER "\">\n");
    html_kpi_title(c, kpi, root, out);
    if (kpi->def->by.name && kpi->ok)
        html_groups(c, kpi, out);
    else
        html_single(c, kpi, out);
    if (img)
        html_image(img, out);
    ob_buf_puts(out, "</td></tr>\n");
}

static void
html_heading(struct ob_buf *out, const char *text, const char *href)
{
    ob_buf_puts(out, "<tr><td class=\"ob-line ob-pad\" style=\"padding:20px "
                     "24px 8px;border-top:1px solid " C_BORDER "\">"
                     "<h2 class=\"ob-text\" style=\"margin:0;font-size:18px;"
                     "color:" C_TEXT "\">");
    if (href)
        html_link(out, href, text);
    else
        put_html(out, text);
    ob_buf_puts(out, "</h2>");
}

static void
html_counts(const struct ob_mail_content *c, const struct ob_quarter *q,
            const struct okr_counts *n, struct ob_buf *out)
{
    struct ob_buf line = OB_BUF_INIT;

    count_line(c, q, n->kr_status, n->kr_grade, &line);
    ob_buf_puts(out, "<p style=\"margin:8px 0 0;font-size:14px\"><strong>");
    put_html(out, word(c, W_KEY_RESULTS));
    put_html(out, word(c, W_COLON));
    ob_buf_puts(out, "</strong>");
    put_html(out, line.ptr);
    ob_buf_reset(&line);
    count_line(c, q, n->obj_status, n->obj_grade, &line);
    ob_buf_puts(out, "<br><strong>");
    put_html(out, word(c, W_OBJECTIVES));
    put_html(out, word(c, W_COLON));
    ob_buf_puts(out, "</strong>");
    put_html(out, line.ptr);
    ob_buf_puts(out, "</p>\n");
    ob_buf_release(&line);
}

static void
html_flagged_kr(const struct ob_mail_content *c, const struct ob_quarter *q,
                const struct ob_objective *o, const struct ob_kr *kr,
                struct ob_buf *out)
{
    struct ob_buf progress = OB_BUF_INIT;
    bool ended = q->status == OB_OKR_ENDED;

    kr_progress(c, kr, &progress);
    ob_buf_puts(out, "<li style=\"margin:6px 0\"><strong>");
    put_html(out, kr_title(kr));
    ob_buf_puts(out, "</strong> ");
    badge(out, TONE_BAD,
          ended ? grade_words[OB_GRADE_RED][is_fr(c)]
                : status_words[OB_OKR_OFF_TRACK][is_fr(c)][0]);
    ob_buf_puts(out,
                "<br><span class=\"ob-muted\" style=\"color:" C_MUTED "\">");
    put_html(out, o->def->title ? o->def->title : o->def->id);
    ob_buf_puts(out, " \xC2\xB7 ");
    put_html(out, progress.ptr);
    ob_buf_puts(out, "</span></li>\n");
    ob_buf_release(&progress);
}

static void
html_flagged(const struct ob_mail_content *c, const struct ob_quarter *q,
             struct ob_buf *out)
{
    bool ended = q->status == OB_OKR_ENDED;
    size_t i, k, n = 0;

    ob_buf_puts(out, "<h3 class=\"ob-text\" style=\"margin:16px 0 0;"
                     "font-size:15px;color:" C_TEXT "\">");
    put_html(out, word(c, ended ? W_RED_KRS : W_OFF_TRACK_KRS));
    ob_buf_puts(out, "</h3>\n<ul style=\"margin:4px 0 0;padding-left:20px;"
                     "font-size:14px\">\n");
    for (i = 0; i < q->n_objectives; i++)
        for (k = 0; k < q->objectives[i]->n_krs; k++)
            if (is_flagged(q, &q->objectives[i]->krs[k])) {
                html_flagged_kr(c, q, q->objectives[i],
                                &q->objectives[i]->krs[k], out);
                n++;
            }
    if (!n) {
        ob_buf_puts(out, "<li style=\"margin:6px 0\">");
        put_html(out, word(c, ended ? W_NONE_RED : W_NONE_OFF_TRACK));
        ob_buf_puts(out, "</li>\n");
    }
    ob_buf_puts(out, "</ul>\n");
}

static void
html_quarter(const struct ob_mail_content *c, const struct ob_quarter *q,
             const char *root, struct ob_buf *out)
{
    struct ob_buf title = OB_BUF_INIT, href = OB_BUF_INIT, pace = OB_BUF_INIT;
    struct okr_counts n;

    ob_buf_printf(&title, "OKRs %s", q->label);
    if (root)
        quarter_link(&href, root, q);
    html_heading(out, title.ptr, root ? href.ptr : NULL);
    quarter_pace(c, q, &pace);
    ob_buf_puts(out, "\n<p class=\"ob-muted\" style=\"margin:4px 0 0;"
                     "font-size:14px;color:" C_MUTED "\">");
    put_html(out, pace.ptr);
    ob_buf_puts(out, "</p>\n");
    count_okrs(q, &n);
    html_counts(c, q, &n, out);
    if (q->status != OB_OKR_NOT_STARTED)
        html_flagged(c, q, out);
    ob_buf_puts(out, "</td></tr>\n");
    ob_buf_release(&title);
    ob_buf_release(&href);
    ob_buf_release(&pace);
}

static void
html_head(const struct ob_mail_content *c, struct ob_buf *out)
{
    ob_buf_printf(out,
                  "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
                  "<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, "
                  "initial-scale=1\">\n"
                  "<meta name=\"color-scheme\" content=\"light dark\">\n"
                  "<meta name=\"supported-color-schemes\" "
                  "content=\"light dark\">\n<title>",
                  is_fr(c) ? "fr" : "en");
    put_html(out, c->subject);
    ob_buf_puts(out, "</title>\n");
    ob_buf_puts(out, dark_css);
    ob_buf_puts(out, "</head>\n");
}

static void
html_top(const struct ob_mail_content *c, struct ob_buf *out)
{
    struct ob_buf dated = OB_BUF_INIT;

    ob_buf_puts(out, "<body class=\"ob-page\" style=\"margin:0;padding:0;"
                     "background:" C_PAGE ";color:" C_TEXT ";" FONT "\">\n"
                     "<table role=\"presentation\" class=\"ob-page\" "
                     "width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "
                     "style=\"background:" C_PAGE "\"><tr><td align=\"center\" "
                     "style=\"padding:16px 8px\">\n"
                     "<table role=\"presentation\" class=\"ob-card\" "
                     "width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "
                     "style=\"max-width:640px;background:" C_CARD ";border:1px "
                     "solid " C_BORDER ";border-radius:8px;color:" C_TEXT
                     ";text-align:left;" FONT ";line-height:1.45\">\n"
                     "<tr><td class=\"ob-pad\" style=\"padding:20px 24px\">"
                     "<h1 class=\"ob-text\" style=\"margin:0;font-size:22px;"
                     "color:" C_TEXT "\">");
    put_html(out, c->report->title);
    ob_buf_puts(out, "</h1>\n<p class=\"ob-muted\" style=\"margin:4px 0 0;"
                     "font-size:14px;color:" C_MUTED "\">");
    put_html(out, c->b->config.site.title);
    ob_buf_puts(out, " \xC2\xB7 ");
    dated_line(c, &dated);
    put_html(out, dated.ptr);
    ob_buf_puts(out, "</p></td></tr>\n");
    ob_buf_release(&dated);
}

static void
html_footer(const struct ob_mail_content *c, const char *root,
            struct ob_buf *out)
{
    const char *company = c->b->config.site.company;
    struct ob_buf t = OB_BUF_INIT;

    ob_buf_puts(out,
                "<tr><td class=\"ob-line ob-pad\" style=\"padding:16px "
                "24px;border-top:1px solid " C_BORDER ";font-size:14px\">\n");
    if (root) {
        link_to(&t, root, "kpis/");
        ob_buf_puts(out, "<p style=\"margin:0 0 8px\">");
        html_link(out, t.ptr, word(c, W_OPEN_KPIS));
        ob_buf_puts(out, "</p>\n");
        ob_buf_reset(&t);
    }
    ob_buf_printf(&t, word(c, W_ATTACHED), c->attachment);
    ob_buf_puts(out, "<p style=\"margin:0\">");
    put_html(out, t.ptr);
    ob_buf_puts(out, "</p>\n<p class=\"ob-muted\" style=\"margin:8px 0 0;"
                     "font-size:12px;color:" C_MUTED "\">");
    ob_buf_reset(&t);
    if (company && *company)
        ob_buf_printf(&t, word(c, W_SENT_BY_FOR), company);
    else
        ob_buf_puts(&t, word(c, W_SENT_BY));
    put_html(out, t.ptr);
    ob_buf_puts(out, "</p>\n</td></tr>\n</table>\n</td></tr></table>\n"
                     "</body>\n</html>\n");
    ob_buf_release(&t);
}

void
ob_mail_body_html(const struct ob_mail_content *c, struct ob_buf *out)
{
    char *root = site_root(c);
    struct ob_buf href = OB_BUF_INIT;
    const struct ob_kpi **kpis;
    size_t i, n;

    html_head(c, out);
    html_top(c, out);
    kpis = ob_mail_report_kpis(c->b, c->report, &n);
    if (n) {
        html_heading(out, word(c, W_KPIS),
                     link_to(&href, root, "kpis/") ? href.ptr : NULL);
        ob_buf_puts(out, "</td></tr>\n");
    }
    for (i = 0; i < n; i++)
        html_kpi(c, kpis[i], root, out);
    for (i = 0; i < c->n_quarters; i++)
        html_quarter(c, c->quarters[i], root, out);
    html_footer(c, root, out);
    ob_buf_release(&href);
    free(kpis);
    free(root);
}
