/* test_kpiview.c: unit tests for the KPI views: cards (numbers as numfmt
 * writes them, arrows by direction, status words, groups), charts as
 * pictures, tables, the KPI page and the index, in English and French,
 * over the KPI fixture and a small site made here. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/kpiview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opsbook/build.h"
#include "opsbook/chart.h"
#include "opsbook/date.h"
#include "opsbook/figures.h"
#include "opsbook/numfmt.h"
#include "runner.h"

#define AS_OF "2026-11-20"

static char top[4096]; /* the repository, where the tests run from */
static char tmp[] = "/tmp/ob-kpiview-XXXXXX";

/* A computed site and the view of a page two folders down (kpis/ID/). */
struct site {
    struct ob_build b;
    struct ob_figures *figures;
    struct ob_view v;
};

static bool
site_open(struct site *s, const char *dir)
{
    struct ob_options opt;
    enum ob_err err;

    memset(&opt, 0, sizeof opt);
    opt.has_as_of = ob_date_parse(AS_OF, strlen(AS_OF), &opt.as_of);
    opt.jobs = 1;
    opt.quiet = true;
    ob_build_init(&s->b, &opt);
    err = chdir(dir) == 0 ? OB_OK : OB_ERR_ENV;
    if (!err)
        err = ob_build_load_data(&s->b);
    if (!err)
        err = ob_build_compute(&s->b);
    if (err)
        ob_diag_print(&s->b.diag, stderr, OB_DIAG_TEXT, 0);
    s->figures = ob_figures_new(s->b.config.site.language, s->b.config.notes,
                                s->b.config.n_notes);
    s->v.b = &s->b;
    s->v.figures = s->figures;
    s->v.root = "../../";
    s->v.pretty = false;
    return err == OB_OK;
}

static void
site_close(struct site *s)
{
    ob_figures_free(s->figures);
    ob_build_release(&s->b);
    if (chdir(top) != 0)
        abort();
}

static const struct ob_kpi *
kpi(const struct site *s, const char *id)
{
    const struct ob_kpi *k = ob_kpis_find(&s->b.kpis, id);

    if (!k) {
        fprintf(stderr, "no KPI '%s' in the fixture\n", id);
        abort();
    }
    return k;
}

static char *
card(const struct site *s, const char *id, int group)
{
    struct ob_buf out = OB_BUF_INIT;

    ob_kpiview_card(&s->v, kpi(s, id), group, &out);
    return ob_buf_detach(&out, NULL);
}

static char *
page(const struct site *s, const char *id)
{
    struct ob_buf out = OB_BUF_INIT;

    ob_kpiview_page(&s->v, kpi(s, id), &out);
    return ob_buf_detach(&out, NULL);
}

static bool
has(const char *html, const char *needle)
{
    if (strstr(html, needle))
        return true;
    fprintf(stderr, "  missing: %s\n", needle);
    return false;
}

static size_t
count(const char *html, const char *needle)
{
    size_t n = 0;

    for (; (html = strstr(html, needle)); html += strlen(needle))
        n++;
    return n;
}

/* Whether `a` comes before `b` in html (both present). */
static bool
before(const char *html, const char *a, const char *b)
{
    const char *pa = strstr(html, a), *pb = strstr(html, b);

    return pa && pb && pa < pb;
}

enum how { VALUE, DELTA, RATIO };

/* <span class="CLS">numfmt's text</span>: what the browser tests read. */
static bool
has_num(const char *html, const struct ob_kpi *k, const char *cls, enum how how,
        double x)
{
    struct ob_buf want = OB_BUF_INIT;
    bool ok;

    /* a class alone, or the class and the rest of the tag */
    ob_buf_printf(&want,
                  strchr(cls, '"') ? "<span class=\"%s" : "<span class=\"%s\">",
                  cls);
    if (how == VALUE)
        ob_numfmt_value(&want, &k->fmt, x);
    else if (how == DELTA)
        ob_numfmt_delta(&want, &k->fmt, x);
    else
        ob_numfmt_ratio(&want, k->fmt.language, x);
    ob_buf_puts(&want, "</span>");
    ok = has(html, want.ptr);
    ob_buf_release(&want);
    return ok;
}

/* ---- the KPI fixture (English) ---------------------------------------- */

static void
test_card_numbers(void)
{
    struct site s;
    const struct ob_kpi *rows;
    const struct ob_kpi_state *st;
    char *html;

    OB_CHECK(site_open(&s, "tests/sites/kpi"));
    rows = kpi(&s, "rows");
    st = &rows->states[0];
    html = card(&s, "rows", -1);
    OB_CHECK(has(html, "<article class=\"kpi-card\" data-kpi=\"rows\">"));
    OB_CHECK(has(html, "<a href=\"../../kpis/rows/index.html\">Rows</a>"));
    OB_CHECK(has_num(html, rows, "kpi-value", VALUE, st->current));
    OB_CHECK(has(html, "<span class=\"kpi-value\">0</span>"));
    OB_CHECK(has(html, "<span class=\"kpi-period\">2026-W46</span>"));
    OB_CHECK(has(html, "<p class=\"kpi-delta bad\">"));
    OB_CHECK(has_num(html, rows, "kpi-delta-text\" aria-hidden=\"true\">",
                     DELTA, st->delta));
    OB_CHECK(has_num(html, rows, "kpi-delta-rel\" aria-hidden=\"true\">", RATIO,
                     st->delta_rel));
    OB_CHECK(has(html, "<span class=\"kpi-arrow\" aria-hidden=\"true\">"
                       "\xE2\x96\xBC</span>"));
    OB_CHECK(has(html, "<span class=\"visually-hidden\">down 3 (100.0%) on "
                       "the previous period, worse</span>"));
    OB_CHECK(has_num(html, rows, "kpi-target-value", VALUE, st->target));
    OB_CHECK(has(html, "<span class=\"kpi-status red\" data-status=\"red\">"
                       "Off target</span>"));
    OB_CHECK(has(html, "<span class=\"kpi-partial-period\">2026-W47</span>, "
                       "in progress: <span class=\"kpi-partial-value\">1"
                       "</span> so far"));
    OB_CHECK(!strstr(html, "kpi-stale"));
    free(html);
    site_close(&s);
}

static void
test_card_direction(void)
{
    struct site s;
    char *html;

    OB_CHECK(site_open(&s, "tests/sites/kpi"));
    /* a rise of a KPI where lower is better is bad, and near its target */
    html = card(&s, "median_dur", -1);
    OB_CHECK(has(html, "<p class=\"kpi-delta bad\"><span class=\"kpi-arrow\" "
                       "aria-hidden=\"true\">\xE2\x96\xB2</span>"));
    OB_CHECK(has(html, "up 10.0 (200.0%) on the previous period, worse"));
    OB_CHECK(has(html, "data-status=\"amber\">Near target</span>"));
    free(html);
    /* a rise where higher is better is good */
    html = card(&s, "m_users", -1);
    OB_CHECK(has(html, "<p class=\"kpi-delta good\">"));
    OB_CHECK(has(html, "up 1 (100.0%) on the previous period, better"));
    free(html);
    /* no change: flat, no arrow up or down, no relative change */
    html = card(&s, "no_plan", -1);
    OB_CHECK(has(html, "<p class=\"kpi-delta flat\">"));
    OB_CHECK(has(html, "no change on the previous period</span>"));
    OB_CHECK(!strstr(html, "kpi-delta-rel"));
    OB_CHECK(has(html, "data-status=\"green\">On target</span>"));
    free(html);
    /* percent KPIs change in points, without a relative change */
    html = card(&s, "stickiness", -1);
    OB_CHECK(has(html, "\xE2\x88\x92"
                       "50.0 pts</span>"));
    OB_CHECK(!strstr(html, "kpi-delta-rel"));
    OB_CHECK(!strstr(html, "kpi-status"));
    free(html);
    site_close(&s);
}

static void
test_card_no_data(void)
{
    struct site s;
    struct ob_kpi broken;
    struct ob_buf out = OB_BUF_INIT;
    char *html;
    size_t n;

    OB_CHECK(site_open(&s, "tests/sites/kpi"));
    html = card(&s, "avg_dur", -1);
    OB_CHECK(has(html, "<span class=\"kpi-value none\">no data</span> "
                       "<span class=\"kpi-period\">2026-W46</span>"));
    OB_CHECK(!strstr(html, "kpi-delta"));
    OB_CHECK(!strstr(html, "kpi-status"));
    free(html);
    /* a KPI that could not be computed: words, and no chart asked */
    n = ob_figures_count(s.figures);
    broken = *kpi(&s, "rows");
    broken.ok = false;
    ob_kpiview_card(&s.v, &broken, -1, &out);
    ob_kpiview_chart(&s.v, &broken, &(struct ob_kpi_chart_opts){.target = 1},
                     &out);
    ob_kpiview_table(&s.v, &broken, &(struct ob_kpi_chart_opts){0}, &out);
    OB_CHECK(has(out.ptr, "<span class=\"kpi-value none\">no data</span>"));
    OB_CHECK_INT(count(out.ptr, "<p class=\"kpi-none\">no data</p>"), 2);
    OB_CHECK(!strstr(out.ptr, "kpi-period"));
    OB_CHECK_INT(ob_figures_count(s.figures), n);
    ob_buf_release(&out);
    site_close(&s);
}

static void
test_card_groups(void)
{
    struct site s;
    const struct ob_kpi *plan;
    char *html;
    int free_g;

    OB_CHECK(site_open(&s, "tests/sites/kpi"));
    plan = kpi(&s, "plan_rows");
    html = card(&s, "plan_rows", -1);
    /* the largest first: pro 2, free 1, (empty) 0 */
    OB_CHECK(before(html, "data-group=\"pro\"", "data-group=\"free\""));
    OB_CHECK(before(html, "data-group=\"free\"", "data-group=\"(empty)\""));
    OB_CHECK_INT(count(html, "<tr class=\"kpi-group\""), 3);
    OB_CHECK(has(html, "<span class=\"kpi-period\">Oct 2026</span>"));
    OB_CHECK(has(html, "<th scope=\"row\" class=\"kpi-group-name\">pro</th>"
                       "<td><span class=\"kpi-value\">2</span></td>"
                       "<td class=\"kpi-delta good\">"));
    OB_CHECK(has(html, "data-status=\"green\">On target"));
    OB_CHECK(has(html, "data-status=\"red\">Off target"));
    OB_CHECK(has(html, "<th scope=\"col\">Change</th><th scope=\"col\">"
                       "Status</th>"));
    OB_CHECK(!strstr(html, "kpi-more"));
    /* no sparkline for a whole `by` KPI: one line would be one group's */
    OB_CHECK(!strstr(html, "<picture"));
    free(html);
    /* one group: its name, its numbers, its sparkline */
    free_g = ob_kpi_group(plan, "free");
    OB_CHECK(free_g >= 0);
    html = card(&s, "plan_rows", free_g);
    OB_CHECK(has(html, "data-kpi=\"plan_rows\" data-group=\"free\">"));
    OB_CHECK(has(html, "Rows by plan</a> <span class=\"kpi-group-name\">free"
                       "</span>"));
    OB_CHECK(
        has_num(html, plan, "kpi-value", VALUE, plan->states[free_g].current));
    OB_CHECK(has_num(html, plan, "kpi-target-value", VALUE, 2));
    OB_CHECK(has(html, "<span class=\"kpi-spark\"><svg class=\"spark\""));
    free(html);
    /* a group that does not exist has no data */
    html = card(&s, "plan_rows", 99);
    OB_CHECK(has(html, "kpi-value none"));
    OB_CHECK(!strstr(html, "data-group"));
    free(html);
    site_close(&s);
}

static void
test_figures(void)
{
    struct site s;
    struct ob_kpi_chart_opts o = {.target = true};
    struct ob_buf out = OB_BUF_INIT, alt = OB_BUF_INIT, want = OB_BUF_INIT;
    const struct ob_figure *f;
    char *html;

    OB_CHECK(site_open(&s, "tests/sites/kpi"));
    /* a card's sparkline is inline SVG: it asks for no file */
    html = card(&s, "rows", -1);
    OB_CHECK_INT(ob_figures_count(s.figures), 0);
    OB_CHECK(has(html, "<span class=\"kpi-spark\"><svg class=\"spark\" "
                       "viewBox=\"0 0 120 32\" width=\"120\" height=\"32\" "
                       "role=\"img\" aria-label=\"Rows, "));
    OB_CHECK(has(html, "<path class=\"spark-partial\" d=\"M"));
    OB_CHECK(has(html, "<circle class=\"spark-open\""));
    OB_CHECK(!strstr(html, "<picture"));
    free(html);

    ob_kpiview_chart(&s.v, kpi(&s, "rows"), &o, &out);
    OB_CHECK_INT(ob_figures_count(s.figures), 1);
    f = ob_figures_add(s.figures, kpi(&s, "rows"), &o);
    OB_CHECK_STR(f->name, "kpis/rows");
    ob_chart_alt(f->chart, &alt);
    ob_buf_puts(&want, "<figure class=\"chart\">\n<picture class=\"chart-"
                       "picture\"><source srcset=\"../../kpis/rows.dark.svg\" "
                       "media=\"screen and (prefers-color-scheme: dark)\">"
                       "<img src=\"../../kpis/rows.svg\" alt=\"");
    ob_buf_add_html(&want, alt.ptr, alt.len);
    ob_buf_puts(&want, "\" width=\"720\" height=\"320\" loading=\"lazy\">"
                       "</picture>\n<figcaption>Rows, 2026-W38 to 2026-W47"
                       "</figcaption>\n<details class=\"chart-numbers\">"
                       "<summary>The numbers</summary>\n<table class=\"chart-"
                       "data\">");
    OB_CHECK(has(out.ptr, want.ptr));
    OB_CHECK(has(out.ptr, "</table>\n</details>\n</figure>\n"));
    ob_buf_reset(&out);
    ob_kpiview_chart(&s.v, kpi(&s, "rows"), &o, &out); /* the same figure */
    OB_CHECK_INT(ob_figures_count(s.figures), 1);
    /* the grain's default periods and kind are the default figure */
    o.periods = ob_kpi_chart_default_periods(kpi(&s, "rows")->cal.grain);
    o.kind_given = true;
    o.kind = OB_CHART_LINE;
    OB_CHECK_STR(ob_figures_add(s.figures, kpi(&s, "rows"), &o)->name,
                 "kpis/rows");
    o.periods = 4;
    ob_kpiview_chart(&s.v, kpi(&s, "rows"), &o, &out); /* another one */
    OB_CHECK_INT(ob_figures_count(s.figures), 2);
    OB_CHECK(ob_figures_add(s.figures, kpi(&s, "rows"), &o)->name[9] == '-');
    ob_buf_release(&out);
    ob_buf_release(&alt);
    ob_buf_release(&want);
    site_close(&s);
}

static void
test_links(void)
{
    struct site s;
    char *html;

    OB_CHECK(site_open(&s, "tests/sites/kpi"));
    s.v.pretty = true;
    html = card(&s, "rows", -1);
    OB_CHECK(has(html, "<a href=\"../../kpis/rows/\">Rows</a>"));
    free(html);
    html = page(&s, "share");
    OB_CHECK(has(html, "<a href=\"../../kpis/plan_rows/\">Rows by plan</a>"));
    OB_CHECK(has(html, "<a href=\"../../kpis/share.csv\" download>"));
    free(html);
    s.v.pretty = false;
    s.v.root = "../";
    html = card(&s, "rows", -1);
    OB_CHECK(has(html, "<a href=\"../kpis/rows/index.html\">Rows</a>"));
    free(html);
    html = page(&s, "rows");
    OB_CHECK(has(html, "<img src=\"../kpis/rows.svg\""));
    OB_CHECK(has(html, "<source srcset=\"../kpis/rows.dark.svg\""));
    free(html);
    site_close(&s);
}

static void
test_table(void)
{
    struct site s;
    struct ob_buf out = OB_BUF_INIT;
    struct ob_kpi_chart_opts o = {.target = true};

    OB_CHECK(site_open(&s, "tests/sites/kpi"));
    ob_kpiview_table(&s.v, kpi(&s, "rows"), &o, &out);
    OB_CHECK(has(out.ptr, "<thead><tr><th scope=\"col\">Period</th><th "
                          "scope=\"col\">Value</th><th scope=\"col\">Target"
                          "</th></tr></thead>"));
    /* the latest first, in progress marked; a week without rows reads 0 */
    OB_CHECK(has(out.ptr, "<tbody>\n<tr class=\"partial\"><th scope=\"row\">"
                          "2026-W47 <span class=\"kpi-in-progress\">(in "
                          "progress)</span></th><td>1</td><td>5</td></tr>\n"
                          "<tr><th scope=\"row\">2026-W46</th><td>0</td>"
                          "<td>5</td></tr>\n<tr><th scope=\"row\">2026-W45"
                          "</th><td>3</td>"));
    OB_CHECK(has(out.ptr, "<th scope=\"row\">2026-W38</th><td>1</td><td>5"
                          "</td></tr>\n</tbody>"));
    ob_buf_reset(&out);
    /* an average has no value in a week without rows */
    ob_kpiview_table(&s.v, kpi(&s, "avg_dur"), &o, &out);
    OB_CHECK(has(out.ptr, "<th scope=\"row\">2026-W46</th><td class=\"none\">"
                          "<span aria-hidden=\"true\">\xE2\x80\x94</span>"
                          "<span class=\"visually-hidden\">no data</span>"));
    OB_CHECK(!strstr(out.ptr, ">Target<"));
    ob_buf_reset(&out);
    /* one column per group, as the chart ranks them; targets per group do
     * not make one column */
    ob_kpiview_table(&s.v, kpi(&s, "plan_rows"), &o, &out);
    OB_CHECK(has(out.ptr, "<th scope=\"col\">Period</th><th scope=\"col\">"
                          "pro</th><th scope=\"col\">free</th><th scope=\""
                          "col\">(empty)</th></tr>"));
    OB_CHECK(has(out.ptr, "<th scope=\"row\">Sep 2026</th><td>0</td><td>1"
                          "</td><td>0</td></tr>"));
    ob_buf_reset(&out);
    /* one group, with its target */
    o.group = "pro";
    ob_kpiview_table(&s.v, kpi(&s, "plan_rows"), &o, &out);
    OB_CHECK(has(out.ptr, "<th scope=\"col\">pro</th><th scope=\"col\">"
                          "Target</th>"));
    ob_buf_release(&out);
    site_close(&s);
}

static void
test_page(void)
{
    struct site s;
    char *html;

    OB_CHECK(site_open(&s, "tests/sites/kpi"));
    html = page(&s, "p75_dur");
    OB_CHECK(has(html, "<div class=\"kpi-page\" data-kpi=\"p75_dur\">"));
    /* the card without its title: the page has it above */
    OB_CHECK(!strstr(html, "kpi-title"));
    OB_CHECK(before(html, "<article class=\"kpi-card\"", "<h2 id=\"chart\">"));
    OB_CHECK(has(html, "<img src=\"../../kpis/p75_dur.svg\""));
    OB_CHECK(has(html, "<table class=\"kpi-table\">"));
    OB_CHECK(has(html, "<dt>Measure</dt><dd><code>p75(dur)</code></dd>"));
    OB_CHECK(has(html, "<dt>Grain</dt><dd>month</dd>"));
    OB_CHECK(has(html, "<li>from <time datetime=\"2026-01-01\">Jan 1, 2026"
                       "</time>: 10.0</li><li>from <time datetime=\"2026-10-"
                       "15\">Oct 15, 2026</time>: 20.0</li>"));
    OB_CHECK(has(html, "<dt>Direction</dt><dd>higher is better</dd>"));
    OB_CHECK(has(html, "<dt>Format</dt><dd>number, 1 decimal</dd>"));
    OB_CHECK(has(html, "<li><code>data/events.csv</code></li>"));
    OB_CHECK(has(html, "<dt>Rows read</dt><dd>8 (1 after the as-of day)"));
    OB_CHECK(has(html, "<dt>Newest row</dt><dd><time datetime=\"2026-11-16\">"
                       "Nov 16, 2026</time>"));
    /* annotations: the one for every chart, not the one for m_rows */
    OB_CHECK(has(html, "Nov 2, 2026</time> \xE2\x80\x94 Login outage</li>"));
    OB_CHECK(!strstr(html, "Release 5"));
    OB_CHECK(has(html, "<a href=\"../../kpis/p75_dur.csv\" download>Download "
                       "the series (CSV)</a>"));
    free(html);
    html = page(&s, "m_rows");
    OB_CHECK(before(html, "Release 5", "Login outage"));
    free(html);
    html = page(&s, "no_plan");
    OB_CHECK(has(html, "<dt>Filter</dt><dd><code>plan is empty</code></dd>"));
    OB_CHECK(has(html, "<dt>Direction</dt><dd>lower is better</dd>"));
    OB_CHECK(has(html, "<dt>Thresholds</dt><dd>green at the target or "
                       "better, else red</dd>"));
    free(html);
    /* a formula links the KPIs it reads, each once */
    html = page(&s, "stickiness");
    OB_CHECK(has(html, "<dt>Formula</dt><dd><code>avg(d_users) / m_users"
                       "</code></dd>\n<dt>Computed from</dt><dd><ul class=\""
                       "kpi-operands\"><li><a href=\"../../kpis/d_users/index"
                       ".html\">Users a day</a> <code>d_users</code></li><li>"
                       "<a href=\"../../kpis/m_users/index.html\">"));
    OB_CHECK(!strstr(html, "<h2 id=\"source\">"));
    free(html);
    html = page(&s, "two_back");
    OB_CHECK_INT(count(html, "<code>m_rows</code></li>"), 1);
    free(html);
    site_close(&s);
}

static void
test_index_without_owners(void)
{
    struct site s;
    struct ob_buf out = OB_BUF_INIT;
    const struct ob_kpi *two[2];

    OB_CHECK(site_open(&s, "tests/sites/kpi"));
    ob_kpiview_index(&s.v, &out);
    OB_CHECK_INT(count(out.ptr, "<article class=\"kpi-card\""), s.b.kpis.n);
    OB_CHECK_INT(count(out.ptr, "<div class=\"kpi-cards\">"), 1);
    OB_CHECK(!strstr(out.ptr, "<h2"));
    OB_CHECK(before(out.ptr, "data-kpi=\"rows\"", "data-kpi=\"two_back\""));
    ob_buf_reset(&out);
    two[0] = kpi(&s, "m_users");
    two[1] = kpi(&s, "rows");
    ob_kpiview_cards(&s.v, two, 2, &out);
    OB_CHECK(has(out.ptr, "<div class=\"kpi-cards\">\n<article class=\"kpi-"
                          "card\" data-kpi=\"m_users\">"));
    OB_CHECK(before(out.ptr, "m_users", "data-kpi=\"rows\""));
    OB_CHECK_INT(count(out.ptr, "<h3 class=\"kpi-title\">"), 2);
    ob_buf_release(&out);
    site_close(&s);
}

/* ---- a French site made here: escaping, owners, stale data, checks ---- */

static const char site_yaml[] =
    "site: {title: Vue, language: fr, timezone: UTC}\n"
    "sources:\n"
    "  tickets:\n"
    "    path: data/tickets.csv\n"
    "    time: day\n"
    "    stale_after: 2d\n"
    "    checks: {min_rows: 100, unique: [id], not_empty: [team]}\n"
    "kpis:\n"
    "  - {id: wait, title: \"Attente <script>alert(1)</script> & co\",\n"
    "     owner: Support, source: tickets, measure: avg(hours),\n"
    "     grain: month, target: 10, direction: down}\n"
    "  - {id: orphan, title: Sans responsable, source: tickets,\n"
    "     measure: count(), grain: month}\n"
    "  - {id: tickets, title: Tickets, owner: Support, source: tickets,\n"
    "     measure: count(), grain: month, by: team}\n"
    "  - {id: revenue, title: Revenu, owner: Ventes, source: tickets,\n"
    "     measure: sum(amount), grain: month, format: \"currency:EUR\"}\n"
    "  - {id: nothing, title: Rien, owner: Ventes, source: tickets,\n"
    "     measure: avg(hours), where: 'team == \"zzz\"', grain: month}\n";

/* Sep: 2 tickets; Oct: 16 over ten teams (a 4, b 3, c 2, the rest 1,
 * one without a team); Nov 5: one. The id 7 repeats. */
static const char tickets_csv[] = "id,day,team,hours,amount\n"
                                  "1,2026-09-03,a,20,1000.5\n"
                                  "2,2026-09-20,a,20,234\n"
                                  "3,2026-10-01,a,12,100.25\n"
                                  "4,2026-10-02,a,12,100.25\n"
                                  "5,2026-10-03,a,12,100.25\n"
                                  "6,2026-10-04,a,12,100.25\n"
                                  "7,2026-10-05,b,12,100.25\n"
                                  "7,2026-10-06,b,12,100.25\n"
                                  "9,2026-10-07,b,12,100.25\n"
                                  "10,2026-10-08,c,12,100.25\n"
                                  "11,2026-10-09,c,12,100.25\n"
                                  "12,2026-10-10,d,12,100.25\n"
                                  "13,2026-10-11,e,12,100.25\n"
                                  "14,2026-10-12,f,12,100.25\n"
                                  "15,2026-10-13,g,12,100.25\n"
                                  "16,2026-10-14,h,12,100.25\n"
                                  "17,2026-10-15,i,12,100.25\n"
                                  "18,2026-10-16,,12,100.25\n"
                                  "19,2026-11-05,a,8,50\n";

static bool
make_site(void)
{
    char path[4200];

    if (!mkdtemp(tmp))
        return false;
    snprintf(path, sizeof path, "%s/data", tmp);
    if (mkdir(path, 0700) != 0)
        return false;
    snprintf(path, sizeof path, "%s/opsbook.yaml", tmp);
    if (!ob_test_write_file(path, site_yaml))
        return false;
    snprintf(path, sizeof path, "%s/data/tickets.csv", tmp);
    return ob_test_write_file(path, tickets_csv);
}

static void
test_french_card(void)
{
    struct site s;
    const struct ob_kpi *wait;
    struct ob_buf date = OB_BUF_INIT, want = OB_BUF_INIT;
    char *html;

    OB_CHECK(site_open(&s, tmp));
    wait = kpi(&s, "wait");
    html = card(&s, "wait", -1);
    /* the title escaped, everywhere (the sparkline's alt text too) */
    OB_CHECK(!strstr(html, "<script>"));
    OB_CHECK(has(html, "\">Attente &lt;script&gt;alert(1)&lt;/script&gt; "
                       "&amp; co</a></h3>"));
    OB_CHECK(has(html, "aria-label=\"Attente &lt;script&gt;"));
    /* a fall where lower is better is good; French words and numbers */
    OB_CHECK(has(html, "<p class=\"kpi-delta good\">"));
    OB_CHECK(has_num(html, wait, "kpi-value", VALUE, 12));
    OB_CHECK(has(html, "<span class=\"kpi-value\">12,0</span> <span class=\""
                       "kpi-period\">oct. 2026</span>"));
    OB_CHECK(has_num(html, wait, "kpi-delta-text\" aria-hidden=\"true\">",
                     DELTA, -8));
    OB_CHECK(has(html, "en baisse de 8,0 (40,0\xC2\xA0%) par rapport à la "
                       "période précédente, mieux</span>"));
    OB_CHECK(has(html, "<span class=\"kpi-target\">Objectif <span class=\""
                       "kpi-target-value\">10,0</span></span>"));
    OB_CHECK(has(html, "data-status=\"red\">Loin de l’objectif</span>"));
    OB_CHECK(has(html, "<span class=\"kpi-partial-period\">nov. 2026</span>"
                       ", en cours\xC2\xA0: <span class=\"kpi-partial-value\">"
                       "8,0</span> pour l’instant"));
    /* stale: the newest row is older than 2 days at as_of */
    ob_numfmt_date(&date, wait->table->newest / 86400, OB_LANG_FR);
    ob_buf_printf(&want,
                  "<p class=\"kpi-note kpi-stale\">Données anciennes\xC2\xA0: "
                  "dernière ligne du <time datetime=\"2026-11-05\">%s</time>"
                  "</p>",
                  date.ptr);
    OB_CHECK(wait->stale);
    OB_CHECK(has(html, want.ptr));
    free(html);
    html = card(&s, "revenue", -1);
    OB_CHECK(
        has_num(html, kpi(&s, "revenue"), "kpi-value", VALUE, 16 * 100.25));
    OB_CHECK(has(html, "1\xE2\x80\xAF"
                       "604,00\xC2\xA0€</span>"));
    free(html);
    html = card(&s, "nothing", -1);
    OB_CHECK(has(html, "<span class=\"kpi-value none\">pas de données</span>"));
    free(html);
    ob_buf_release(&date);
    ob_buf_release(&want);
    site_close(&s);
}

static void
test_french_groups(void)
{
    struct site s;
    char *html;

    OB_CHECK(site_open(&s, tmp));
    html = card(&s, "tickets", -1);
    /* seven rows, the largest first; ties in group order */
    OB_CHECK_INT(count(html, "<tr class=\"kpi-group\""), OB_KPI_CHART_GROUPS);
    OB_CHECK(before(html, "data-group=\"a\"", "data-group=\"b\""));
    OB_CHECK(before(html, "data-group=\"b\"", "data-group=\"c\""));
    OB_CHECK(before(html, "data-group=\"c\"", "data-group=\"(empty)\""));
    OB_CHECK(before(html, "data-group=\"(empty)\"", "data-group=\"d\""));
    OB_CHECK(has(html, "data-group=\"f\""));
    OB_CHECK(!strstr(html, "data-group=\"g\""));
    OB_CHECK(has(html, "<p class=\"kpi-more\"><a href=\"../../kpis/tickets/"
                       "index.html\">+3 autres</a></p>"));
    OB_CHECK(has(html, "<th scope=\"col\">Groupe</th><th scope=\"col\">"
                       "Valeur</th><th scope=\"col\">Évolution</th>"
                       "</tr>"));
    /* no target, no status column */
    OB_CHECK(!strstr(html, "Statut"));
    free(html);
    site_close(&s);
}

static void
test_french_page(void)
{
    struct site s;
    char *html;

    OB_CHECK(site_open(&s, tmp));
    html = page(&s, "wait");
    OB_CHECK(!strstr(html, "<script>"));
    OB_CHECK(has(html, "<h2 id=\"chart\">Graphique</h2>"));
    OB_CHECK(has(html, "<h2 id=\"by-period\">Par période</h2>"));
    OB_CHECK(has(html, "<tr class=\"partial\"><th scope=\"row\">nov. 2026 "
                       "<span class=\"kpi-in-progress\">(en cours)</span>"));
    OB_CHECK(has(html, "<dt>Sens</dt><dd>plus c’est bas, mieux c’est</dd>"));
    OB_CHECK(has(html, "<dt>Seuils</dt><dd>vert à l’objectif ou mieux, "
                       "orange à moins de 10 % de lui, rouge sinon</dd>"));
    OB_CHECK(has(html, "<dt>Lignes lues</dt><dd>19</dd>"));
    OB_CHECK(has(html, "<li class=\"failed\"><code>min_rows: 100</code> non "
                       "respecté (19 lignes)</li>"));
    OB_CHECK(has(html, "<li class=\"failed\"><code>unique: id</code> non "
                       "respecté (1 lignes répètent une valeur)</li>"));
    OB_CHECK(has(html, "<li class=\"failed\"><code>not_empty: team</code> "
                       "non respecté (1 cellules vides)</li>"));
    OB_CHECK(has(html, "<dt>Fraîcheur</dt><dd><span class=\"stale\">"
                       "ancienne</span> (ancienne après 2"));
    OB_CHECK(has(html, "Télécharger la série (CSV)"));
    free(html);
    html = page(&s, "revenue");
    OB_CHECK(has(html, "<dt>Format</dt><dd>monnaie <code>EUR</code>, 2 "
                       "décimales</dd>"));
    OB_CHECK(has(html, "<dt>Objectif</dt><dd>aucun</dd>"));
    OB_CHECK(!strstr(html, "<dt>Seuils</dt>"));
    free(html);
    site_close(&s);
}

static void
test_french_index(void)
{
    struct site s;
    struct ob_buf out = OB_BUF_INIT;

    OB_CHECK(site_open(&s, tmp));
    ob_kpiview_index(&s.v, &out);
    /* owners in first-appearance order, KPIs without one last */
    OB_CHECK(before(out.ptr, "<h2 id=\"support\">Support</h2>",
                    "<h2 id=\"ventes\">Ventes</h2>"));
    OB_CHECK(before(out.ptr, "<h2 id=\"ventes\">Ventes</h2>",
                    "<h2 id=\"autres\">Autres</h2>"));
    OB_CHECK_INT(count(out.ptr, "<section class=\"kpi-owner\">"), 3);
    OB_CHECK(before(out.ptr, "data-kpi=\"wait\"", "data-kpi=\"tickets\""));
    OB_CHECK(before(out.ptr, "data-kpi=\"tickets\"",
                    "<h2 id=\"ventes\">Ventes</h2>"));
    OB_CHECK(before(out.ptr, "<h2 id=\"autres\">Autres</h2>",
                    "data-kpi=\"orphan\""));
    OB_CHECK_INT(count(out.ptr, "<article class=\"kpi-card\""), s.b.kpis.n);
    OB_CHECK(!strstr(out.ptr, "<script>"));
    ob_buf_release(&out);
    site_close(&s);
}

int
main(void)
{
    char cmd[128];
    int rc;

    if (!getcwd(top, sizeof top))
        return 2;
    OB_RUN(test_card_numbers);
    OB_RUN(test_card_direction);
    OB_RUN(test_card_no_data);
    OB_RUN(test_card_groups);
    OB_RUN(test_figures);
    OB_RUN(test_links);
    OB_RUN(test_table);
    OB_RUN(test_page);
    OB_RUN(test_index_without_owners);
    if (make_site()) {
        OB_RUN(test_french_card);
        OB_RUN(test_french_groups);
        OB_RUN(test_french_page);
        OB_RUN(test_french_index);
    } else {
        OB_CHECK(!"cannot make the French site");
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
    rc = system(cmd);
    (void)rc;
    return OB_TEST_DONE();
}
