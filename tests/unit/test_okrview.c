/* test_okrview.c: unit tests for the OKR views, rendered from the real
 * fixture tests/sites/okr (as-of dates and values from tests/e2e/okr.sh)
 * and from tiny sites written to a temporary folder. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/okrview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opsbook/build.h"
#include "opsbook/date.h"
#include "opsbook/numfmt.h"
#include "runner.h"

static char top[4096]; /* the repository root, where tests run */

static int32_t
day(const char *iso)
{
    int32_t d = 0;

    if (!ob_date_parse(iso, strlen(iso), &d))
        fprintf(stderr, "bad test date %s\n", iso);
    return d;
}

/* Loads and computes the site in `dir` at `as_of`, as `opsbook okrs`
 * does; false (and the diagnostics printed) when that fails. */
static bool
load(struct ob_build *b, const char *dir, const char *as_of)
{
    struct ob_options opt;
    enum ob_err err = OB_ERR_ENV;

    memset(&opt, 0, sizeof(opt));
    opt.has_as_of = true;
    opt.as_of = day(as_of);
    opt.jobs = 1;
    ob_build_init(b, &opt);
    if (chdir(dir) == 0) {
        err = ob_build_load_data(b);
        if (!err)
            err = ob_build_compute(b);
    }
    if (chdir(top) != 0)
        perror(top);
    if (err)
        ob_diag_print(&b->diag, stderr, OB_DIAG_TEXT, 0);
    return err == OB_OK;
}

static struct ob_view
view(const struct ob_build *b, const char *root, bool pretty)
{
    struct ob_view v = {b, NULL, root, pretty};

    return v;
}

static const struct ob_quarter *
quarter(const struct ob_build *b, const char *label)
{
    int q = ob_okrs_quarter(&b->okrs, label, 1);

    OB_CHECK(q >= 0);
    return q >= 0 ? &b->okrs.quarters[q] : &b->okrs.quarters[0];
}

/* The page of `label` as its own page renders it (okrs/SLUG/). */
static void
page(const struct ob_build *b, const char *label, struct ob_buf *out)
{
    struct ob_view v = view(b, "../../", true);

    ob_buf_reset(out);
    ob_okrview_page(&v, quarter(b, label), out);
}

/* ---- reading the HTML ------------------------------------------------ */

/* The start of the element carrying data-id="id", or NULL. */
static const char *
element(const char *html, const char *id)
{
    char attr[128];
    const char *at;

    snprintf(attr, sizeof(attr), "data-id=\"%s\"", id);
    at = strstr(html, attr);
    if (!at)
        return NULL;
    while (at > html && *at != '<')
        at--;
    return at;
}

/* Where the <li> starting at `li` ends (after its </li>), nested ones
 * included. */
static const char *
element_end(const char *li)
{
    const char *p = li + 1;
    int depth = 1;

    while (depth && *p) {
        if (!strncmp(p, "<li", 3))
            depth++;
        else if (!strncmp(p, "</li>", 5))
            depth--;
        p++;
    }
    return p + 4;
}

static bool
inside(const char *html, const char *outer, const char *inner)
{
    const char *o = element(html, outer), *i = element(html, inner);

    return o && i && i > o && i < element_end(o);
}

/* The text after `marker` in the element of `id` (before its first
 * nested objective), up to the next '<'; "" when not found. */
static const char *
text_of(const char *html, const char *id, const char *marker)
{
    static char text[256];
    const char *e = element(html, id), *m, *end, *stop;
    size_t n;

    text[0] = '\0';
    if (!e)
        return text;
    stop = element_end(e);
    end = strstr(e + 1, "<li class=\"objective");
    if (end && end < stop)
        stop = end;
    m = strstr(e, marker);
    if (!m || m >= stop)
        return text;
    m += strlen(marker);
    n = strcspn(m, "<");
    if (n >= sizeof(text))
        n = sizeof(text) - 1;
    memcpy(text, m, n);
    text[n] = '\0';
    return text;
}

/* Whether the element of `id` (nested objectives left out) holds `s`. */
static bool
has(const char *html, const char *id, const char *s)
{
    const char *e = element(html, id), *stop, *nested, *m;

    if (!e)
        return false;
    stop = element_end(e);
    nested = strstr(e + 1, "<li class=\"objective");
    if (nested && nested < stop)
        stop = nested;
    m = strstr(e, s);
    return m && m < stop;
}

static const char *
status_of(const char *html, const char *id)
{
    const char *t = text_of(html, id, "class=\"okr-status tone-");

    t = strchr(t, '>');
    return t ? t + 1 : "";
}

static size_t
count(const char *html, const char *s)
{
    size_t n = 0;

    while ((html = strstr(html, s))) {
        n++;
        html += strlen(s);
    }
    return n;
}

/* ---- the fixture at 2026-11-20 ----------------------------------------- */

static const char *const q4_ids[] = {
    "co-O1",         "growth-O1",    "kr-signups",  "kr-ttv",   "ms-manual",
    "sales-O1",      "sales-eu-O1",  "kr-rev-eu",   "ms-done",  "sales-us-O1",
    "kr-rev-us",     "kr-rev-apac",  "kr-churn",    "ops-O1",   "ms-none",
    "kr-stale-edge", "kr-conf-only", "ship-O1",     "ship-ms1", "ship-ms2",
    "empty-O1",      "cost-O1",      "kr-apac-down"};

/* Every objective and KR shows its computed progress, written as the
 * {{okr:ID.progress}} token writes it. */
static void
test_progress_text(void)
{
    struct ob_build b;
    struct ob_buf html = OB_BUF_INIT, want = OB_BUF_INIT;
    struct ob_numfmt pct = {OB_FMT_PERCENT, NULL, 0, OB_LANG_EN};
    size_t i;
    double p;

    if (!load(&b, "tests/sites/okr", "2026-11-20")) {
        OB_CHECK(!"the fixture loads");
        ob_build_release(&b);
        return;
    }
    page(&b, "2026-Q4", &html);
    for (i = 0; i < sizeof(q4_ids) / sizeof(q4_ids[0]); i++) {
        OB_CHECK(ob_okrs_progress(&b.okrs, q4_ids[i], &p));
        ob_buf_reset(&want);
        ob_numfmt_value(&want, &pct, p);
        OB_CHECK_STR(text_of(html.ptr, q4_ids[i], "class=\"okr-progress\">"),
                     want.ptr);
    }
    OB_CHECK_INT(count(html.ptr, "data-id=\""), 23);
    /* by hand (tests/e2e/okr.sh): (.725 + .35) / 2, 2.9 / 4, .5, 1 */
    OB_CHECK_STR(text_of(html.ptr, "co-O1", "class=\"okr-progress\">"), "54%");
    OB_CHECK_STR(text_of(html.ptr, "growth-O1", "class=\"okr-progress\">"),
                 "73%");
    OB_CHECK_STR(text_of(html.ptr, "kr-signups", "class=\"okr-progress\">"),
                 "50%");
    OB_CHECK_STR(text_of(html.ptr, "ship-O1", "class=\"okr-progress\">"),
                 "87%");
    /* the fill is drawn to the progress, raw shares for scripts */
    OB_CHECK(has(html.ptr, "kr-signups", "style=\"width:50.00%\""));
    OB_CHECK(has(html.ptr, "kr-signups", "data-progress=\"0.5\""));
    OB_CHECK(has(html.ptr, "kr-ttv", "style=\"width:100.00%\""));
    ob_buf_release(&html);
    ob_buf_release(&want);
    ob_build_release(&b);
}

/* The expected-progress marker sits at q->expected, said in words too. */
static void
test_expected_marker(void)
{
    struct ob_build b;
    struct ob_buf html = OB_BUF_INIT;

    if (!load(&b, "tests/sites/okr", "2026-11-20")) {
        OB_CHECK(!"the fixture loads");
        ob_build_release(&b);
        return;
    }
    page(&b, "2026-Q4", &html);
    OB_CHECK_NUM(quarter(&b, "2026-Q4")->expected, 51.0 / 92);
    /* 51 / 92 = 0.55434...: 55.43% from the left */
    OB_CHECK_INT(
        count(html.ptr, "class=\"okr-expected\" style=\"left:55.43%\""), 23);
    OB_CHECK(has(html.ptr, "co-O1",
                 "role=\"img\" aria-label=\"54% done, 55% expected\""));
    OB_CHECK(has(html.ptr, "co-O1", "data-expected=\"0.5543478260869565\""));
    OB_CHECK(strstr(html.ptr,
                    "<p class=\"okr-period\"><time "
                    "datetime=\"2026-10-01\">Oct 1, 2026</time> – "
                    "<time datetime=\"2026-12-31\">Dec 31, "
                    "2026</time> · day 51 of 92 · expected progress "
                    "today: <strong "
                    "class=\"okr-expected-today\">55%</strong></p>") != NULL);
    ob_buf_release(&html);
    ob_build_release(&b);

    /* the SPEC's example: 52/92 on 2026-11-21 */
    if (load(&b, "tests/sites/okr", "2026-11-21")) {
        page(&b, "2026-Q4", &html);
        OB_CHECK(has(html.ptr, "co-O1", "style=\"left:56.52%\""));
        OB_CHECK(strstr(html.ptr, "day 52 of 92") != NULL);
    }
    ob_buf_release(&html);
    ob_build_release(&b);
}

static void
test_status_words(void)
{
    struct ob_build b;
    struct ob_buf html = OB_BUF_INIT;

    if (!load(&b, "tests/sites/okr", "2026-11-20")) {
        OB_CHECK(!"the fixture loads");
        ob_build_release(&b);
        return;
    }
    page(&b, "2026-Q4", &html);
    OB_CHECK_STR(status_of(html.ptr, "growth-O1"), "On track");
    OB_CHECK_STR(status_of(html.ptr, "sales-O1"), "At risk");
    OB_CHECK_STR(status_of(html.ptr, "sales-us-O1"), "Off track");
    OB_CHECK_STR(status_of(html.ptr, "kr-ttv"), "Done");
    OB_CHECK_STR(status_of(html.ptr, "ms-manual"), "At risk");
    OB_CHECK(has(html.ptr, "growth-O1", "okr-status tone-good"));
    OB_CHECK(has(html.ptr, "sales-O1", "okr-bar tone-warn"));
    OB_CHECK(has(html.ptr, "sales-us-O1", "okr-bar tone-bad"));
    OB_CHECK(has(html.ptr, "kr-ttv", "okr-bar tone-done"));
    OB_CHECK(has(html.ptr, "sales-O1", "data-status=\"at_risk\""));
    OB_CHECK(!strstr(html.ptr, "okr-grade"));
    /* counted in words: 9 objectives */
    OB_CHECK(strstr(html.ptr,
                    "9 objectives: <span class=\"okr-count tone-good\">4 on "
                    "track</span> · <span class=\"okr-count tone-warn\">2 at "
                    "risk</span> · <span class=\"okr-count tone-bad\">3 off "
                    "track</span></p>") != NULL);
    OB_CHECK(strstr(html.ptr, "<span class=\"tone-good\" "
                              "style=\"flex-grow:4\"></span>") != NULL);

    /* ended: graded */
    page(&b, "2026-Q3", &html);
    OB_CHECK_STR(status_of(html.ptr, "q3-O1"), "Ended");
    OB_CHECK_STR(text_of(html.ptr, "q3-O1", "class=\"okr-grade tone-good\">"),
                 "Grade: green 0.70");
    OB_CHECK_STR(text_of(html.ptr, "q3-O2", "class=\"okr-grade tone-warn\">"),
                 "Grade: yellow 0.40");
    OB_CHECK_STR(text_of(html.ptr, "q3-O3", "class=\"okr-grade tone-bad\">"),
                 "Grade: red 0.39");
    OB_CHECK_STR(text_of(html.ptr, "q3-ms4", "class=\"okr-grade tone-good\">"),
                 "Grade: green 1.00");
    OB_CHECK(strstr(html.ptr, "4 objectives: <span class=\"okr-count "
                              "tone-good\">2 green</span>") != NULL);
    OB_CHECK(strstr(html.ptr, "Ended: progress is graded") != NULL);

    /* not started */
    page(&b, "2028-Q1", &html);
    OB_CHECK_STR(status_of(html.ptr, "leap-O1"), "Not started");
    OB_CHECK_STR(status_of(html.ptr, "leap-ms"), "Not started");
    OB_CHECK(has(html.ptr, "leap-O1", "okr-bar tone-muted"));
    OB_CHECK(strstr(html.ptr, "2028</time> · Not started yet</p>") != NULL);
    OB_CHECK(strstr(html.ptr, "1 objective: <span class=\"okr-count "
                              "tone-muted\">1 not started</span>") != NULL);
    ob_buf_release(&html);
    ob_build_release(&b);

    /* done, and at the end of its quarter still running (2026-09-30) */
    if (load(&b, "tests/sites/okr", "2026-09-30")) {
        page(&b, "2026-Q3", &html);
        OB_CHECK_STR(status_of(html.ptr, "q3-O4"), "Done");
        OB_CHECK_STR(status_of(html.ptr, "q3-O1"), "Off track");
        OB_CHECK(has(html.ptr, "q3-ms3", "No recent check-in"));
    }
    ob_buf_release(&html);
    ob_build_release(&b);
}

static void
test_alignment(void)
{
    struct ob_build b;
    struct ob_buf html = OB_BUF_INIT;

    if (!load(&b, "tests/sites/okr", "2026-11-20")) {
        OB_CHECK(!"the fixture loads");
        ob_build_release(&b);
        return;
    }
    page(&b, "2026-Q4", &html);
    OB_CHECK(inside(html.ptr, "co-O1", "growth-O1"));
    OB_CHECK(inside(html.ptr, "co-O1", "sales-O1"));
    OB_CHECK(inside(html.ptr, "sales-O1", "sales-eu-O1"));
    OB_CHECK(inside(html.ptr, "sales-O1", "sales-us-O1"));
    OB_CHECK(inside(html.ptr, "co-O1", "sales-us-O1"));
    OB_CHECK(inside(html.ptr, "sales-eu-O1", "kr-rev-eu"));
    OB_CHECK(!inside(html.ptr, "co-O1", "ops-O1"));
    OB_CHECK(!inside(html.ptr, "growth-O1", "sales-O1"));
    OB_CHECK(!inside(html.ptr, "sales-eu-O1", "sales-us-O1"));
    /* each objective once; key results before aligned objectives */
    OB_CHECK_INT(count(html.ptr, "data-id=\"sales-eu-O1\""), 1);
    OB_CHECK(strstr(element(html.ptr, "co-O1"), "<ul class=\"okr-children\">") <
             element(html.ptr, "growth-O1"));
    OB_CHECK(inside(html.ptr, "ops-O1", "ms-none"));
    OB_CHECK(has(html.ptr, "co-O1", "Progress from its aligned objectives"));
    OB_CHECK(has(html.ptr, "empty-O1", "No key results or aligned objectives"));
    OB_CHECK(has(html.ptr, "co-O1",
                 "<span class=\"okr-owner\">Owner: CEO</span> · <span "
                 "class=\"okr-team\">Team: company</span>"));
    OB_CHECK(has(html.ptr, "co-O1", "data-team=\"company\""));
    /* objective confidence: weighted from its KRs, no trend of its own */
    OB_CHECK_STR(text_of(html.ptr, "growth-O1", "class=\"okr-confidence\">"),
                 "confidence 0.8");
    ob_buf_release(&html);
    ob_build_release(&b);
}

/* The teams' objectives and the objectives on the way to them, nothing
 * else; ancestors marked as context, without their key results. */
static void
test_team(void)
{
    struct ob_build b;
    struct ob_buf html = OB_BUF_INIT;
    struct ob_view v;
    const struct ob_quarter *q;

    if (!load(&b, "tests/sites/okr", "2026-11-20")) {
        OB_CHECK(!"the fixture loads");
        ob_build_release(&b);
        return;
    }
    v = view(&b, "../", true);
    q = quarter(&b, "2026-Q4");
    ob_okrview_tree(&v, q, "sales-eu", &html);
    OB_CHECK(inside(html.ptr, "co-O1", "sales-O1"));
    OB_CHECK(inside(html.ptr, "sales-O1", "sales-eu-O1"));
    OB_CHECK(element(html.ptr, "growth-O1") == NULL);
    OB_CHECK(element(html.ptr, "sales-us-O1") == NULL);
    OB_CHECK(element(html.ptr, "ops-O1") == NULL);
    OB_CHECK(element(html.ptr, "ship-O1") == NULL);
    OB_CHECK(strstr(html.ptr, "<li class=\"objective okr-context\" "
                              "data-id=\"co-O1\"") != NULL);
    OB_CHECK(strstr(html.ptr, "<li class=\"objective okr-context\" "
                              "data-id=\"sales-O1\"") != NULL);
    OB_CHECK(strstr(html.ptr, "<li class=\"objective\" "
                              "data-id=\"sales-eu-O1\"") != NULL);
    OB_CHECK(has(html.ptr, "co-O1",
                 "<span class=\"okr-context-note\">shown for context</span>"));
    OB_CHECK(has(html.ptr, "sales-eu-O1", "okr-context-note\" hidden>"));
    OB_CHECK(element(html.ptr, "kr-rev-eu") != NULL);
    OB_CHECK(element(html.ptr, "ms-done") != NULL);

    ob_buf_reset(&html);
    ob_okrview_tree(&v, q, "growth", &html);
    OB_CHECK(inside(html.ptr, "co-O1", "growth-O1"));
    OB_CHECK(element(html.ptr, "kr-signups") != NULL);
    OB_CHECK(element(html.ptr, "sales-O1") == NULL);
    OB_CHECK_INT(count(html.ptr, "<li class=\"objective"), 2);

    ob_buf_reset(&html);
    ob_okrview_tree(&v, q, "ops", &html);
    OB_CHECK_INT(count(html.ptr, "<li class=\"objective\""), 1);
    OB_CHECK(element(html.ptr, "ops-O1") != NULL);
    OB_CHECK(element(html.ptr, "co-O1") == NULL);

    ob_buf_reset(&html);
    ob_okrview_tree(&v, q, "nobody", &html);
    OB_CHECK_STR(html.ptr, "<ul class=\"okr-tree\">\n</ul>\n");

    /* the page: every team once, in file order, revealed by the script */
    page(&b, "2026-Q4", &html);
    OB_CHECK(strstr(html.ptr, "<div class=\"okr-filter\" role=\"group\" "
                              "aria-label=\"Filter by team\" hidden>") != NULL);
    OB_CHECK(strstr(html.ptr, "data-team=\"\" aria-pressed=\"true\">All "
                              "teams</button>\n<button type=\"button\" "
                              "data-team=\"company\" aria-pressed=\"false\">"
                              "company</button>\n<button type=\"button\" "
                              "data-team=\"growth\"") != NULL);
    OB_CHECK_INT(count(html.ptr, "<button type=\"button\" data-team="), 7);
    OB_CHECK(strstr(html.ptr, "data-team=\"ops\" aria-pressed") >
             strstr(html.ptr, "data-team=\"sales-us\" aria-pressed"));
    OB_CHECK(!strstr(html.ptr, "okr-context\""));
    /* no teams, nothing to filter */
    page(&b, "2026-Q3", &html);
    OB_CHECK(!strstr(html.ptr, "okr-filter"));
    ob_buf_release(&html);
    ob_build_release(&b);
}

static void
test_key_results(void)
{
    struct ob_build b;
    struct ob_buf html = OB_BUF_INIT;
    struct ob_view v;

    if (!load(&b, "tests/sites/okr", "2026-11-20")) {
        OB_CHECK(!"the fixture loads");
        ob_build_release(&b);
        return;
    }
    page(&b, "2026-Q4", &html);
    OB_CHECK(has(html.ptr, "kr-signups",
                 "Current <strong class=\"okr-current\">4</strong> <span "
                 "class=\"okr-source\">from KPI <a class=\"okr-kpi\" "
                 "href=\"../../kpis/signups/\">Signups</a>, 2026-W46</span> · "
                 "<span class=\"okr-range\">baseline 2 → target 6</span>"));
    OB_CHECK(has(html.ptr, "kr-rev-eu",
                 "<strong class=\"okr-current\">€1,500.00</strong>"));
    OB_CHECK(has(html.ptr, "kr-rev-eu",
                 "href=\"../../kpis/revenue/\">Revenue</a> (eu), Oct 2026"));
    OB_CHECK(has(html.ptr, "kr-rev-eu",
                 "baseline €1,000.00 → target "
                 "€2,000.00"));
    OB_CHECK_STR(text_of(html.ptr, "kr-rev-eu", "class=\"okr-weight\">"),
                 "weight 3");
    OB_CHECK(!has(html.ptr, "kr-signups", "okr-weight"));
    OB_CHECK_STR(text_of(html.ptr, "ship-ms2", "class=\"okr-weight\">"),
                 "weight 0.5");
    /* from a check-in: its date; still linked to its KPI */
    OB_CHECK(has(html.ptr, "kr-ttv",
                 "from the check-in of <time datetime=\"2026-11-18\">Nov 18, "
                 "2026</time>"));
    OB_CHECK(has(html.ptr, "kr-rev-us",
                 "<time datetime=\"2026-11-10\">Nov 10, 2026</time> · KPI <a "
                 "class=\"okr-kpi\" href=\"../../kpis/revenue/\">Revenue</a> "
                 "(us)"));
    OB_CHECK(has(html.ptr, "kr-rev-apac",
                 "<strong class=\"okr-current\">1,000.0</strong> <span "
                 "class=\"okr-source\">from the baseline"));
    OB_CHECK(has(html.ptr, "kr-churn", "<strong class=\"okr-current\">6.0%"));
    OB_CHECK(has(html.ptr, "ms-done", "Milestone: done"));
    OB_CHECK(has(html.ptr, "ms-manual", "Milestone: not done"));
    /* confidence and its trend, in words for screen readers */
    OB_CHECK(has(html.ptr, "kr-ttv",
                 "confidence 0.8 <span class=\"okr-trend up\"><span "
                 "aria-hidden=\"true\">↑</span><span "
                 "class=\"visually-hidden\">rising since the check-in "
                 "before</span></span>"));
    OB_CHECK(has(html.ptr, "kr-churn",
                 "confidence 0.4 <span "
                 "class=\"okr-trend down\">"));
    OB_CHECK(has(html.ptr, "kr-conf-only", "okr-trend flat"));
    OB_CHECK(!has(html.ptr, "kr-signups", "okr-confidence"));
    /* staleness */
    OB_CHECK(has(html.ptr, "kr-churn",
                 "<span class=\"okr-stale\">No recent check-in</span>"));
    OB_CHECK(has(html.ptr, "ms-manual", "okr-stale"));
    OB_CHECK(!has(html.ptr, "kr-ttv", "okr-stale"));
    OB_CHECK(!has(html.ptr, "kr-stale-edge", "okr-stale"));

    /* links from disk end at index.html */
    v = view(&b, "../../", false);
    ob_buf_reset(&html);
    ob_okrview_tree(&v, quarter(&b, "2026-Q4"), NULL, &html);
    OB_CHECK(has(html.ptr, "kr-signups",
                 "href=\"../../kpis/signups/index.html\">Signups</a>"));
    OB_CHECK_INT(count(html.ptr, "/index.html\""), 5);
    ob_buf_release(&html);
    ob_build_release(&b);
}

static void
test_index(void)
{
    struct ob_build b;
    struct ob_buf html = OB_BUF_INIT;
    struct ob_view v;
    const char *list, *a, *b4, *b3, *jun;

    if (!load(&b, "tests/sites/okr", "2026-11-20")) {
        OB_CHECK(!"the fixture loads");
        ob_build_release(&b);
        return;
    }
    v = view(&b, "../", false);
    ob_okrview_index(&v, &html);
    OB_CHECK(!strncmp(html.ptr,
                      "<h2 class=\"okr-quarter\"><a "
                      "href=\"../okrs/2026-Q4/index.html\">2026-Q4</a></h2>\n"
                      "<div class=\"okr-view\" data-quarter=\"2026-Q4\">",
                      80));
    OB_CHECK(element(html.ptr, "co-O1") != NULL);
    list =
        strstr(html.ptr, "<h2>All quarters</h2>\n<ol class=\"okr-quarters\">");
    OB_CHECK(list != NULL);
    if (list) {
        a = strstr(list, "<li data-quarter=\"2028-Q1\"><a "
                         "href=\"../okrs/2028-Q1/index.html\">2028-Q1</a>");
        b4 = strstr(list, "<li data-quarter=\"2026-Q4\"><a "
                          "href=\"../okrs/2026-Q4/index.html\">2026-Q4</a> "
                          "<span class=\"okr-latest\">(shown above)</span>");
        b3 = strstr(list, "<li data-quarter=\"2026-Q3\">");
        jun = strstr(list, "<li data-quarter=\"2026-06-01..2026-06-10\"><a "
                           "href=\"../okrs/2026-06-01--2026-06-10/"
                           "index.html\">");
        OB_CHECK(a && b4 && b3 && jun);
        OB_CHECK(a < b4 && b4 < b3 && b3 < jun);
        OB_CHECK(b3 && strstr(b3, "4 objectives: <span class=\"okr-count "
                                  "tone-good\">2 green</span> · <span "
                                  "class=\"okr-count tone-warn\">1 "
                                  "yellow</span> · <span class=\"okr-count "
                                  "tone-bad\">1 red</span>") != NULL);
        OB_CHECK_INT(count(list, "<li data-quarter="), 4);
        /* the list says where each stands, briefly */
        OB_CHECK(b3 && strstr(b3, "Sep 30, 2026</time> · Ended</p>") != NULL);
        OB_CHECK(a && strstr(a, "2028</time> · Not started yet</p>") != NULL);
    }
    ob_buf_release(&html);
    ob_build_release(&b);
}

static void
test_slug(void)
{
    struct ob_build b;
    struct ob_buf s = OB_BUF_INIT;

    if (load(&b, "tests/sites/okr", "2026-11-20")) {
        ob_okrview_slug(&b.okrs.quarters[0], &s);
        OB_CHECK_STR(s.ptr, "2026-06-01--2026-06-10");
        ob_buf_reset(&s);
        ob_okrview_slug(quarter(&b, "2026-Q4"), &s);
        OB_CHECK_STR(s.ptr, "2026-Q4");
    }
    ob_build_release(&b);
    if (load(&b, "tests/sites/okr-fiscal", "2026-11-20")) {
        ob_buf_reset(&s);
        ob_okrview_slug(&b.okrs.quarters[0], &s);
        OB_CHECK_STR(s.ptr, "FY27-Q1");
    }
    ob_build_release(&b);
    if (load(&b, "tests/sites/okr-rules", "2026-11-20")) {
        ob_buf_reset(&s);
        ob_okrview_slug(&b.okrs.quarters[1], &s);
        OB_CHECK_STR(s.ptr, "2026-11-15--2027-02-14");
    }
    ob_build_release(&b);
    ob_buf_release(&s);
}

/* ---- tiny sites --------------------------------------------------------- */

static char tmp[4096];

#define OKR_SITE "site: {title: T}\nokrs: data/*.yaml\n"

/* A site in a fresh temporary folder: opsbook.yaml, up to two OKR files
 * (data/okrs1.yaml, data/okrs2.yaml). */
static bool
make_site(const char *config, const char *okrs1, const char *okrs2)
{
    char path[4200];
    const char *base = getenv("TMPDIR");

    snprintf(tmp, sizeof(tmp), "%s/test_okrview.XXXXXX",
             base && base[0] ? base : "/tmp");
    if (!mkdtemp(tmp))
        return false;
    snprintf(path, sizeof(path), "%s/data", tmp);
    if (mkdir(path, 0700))
        return false;
    snprintf(path, sizeof(path), "%s/opsbook.yaml", tmp);
    if (!ob_test_write_file(path, config))
        return false;
    snprintf(path, sizeof(path), "%s/data/okrs1.yaml", tmp);
    if (okrs1 && !ob_test_write_file(path, okrs1))
        return false;
    snprintf(path, sizeof(path), "%s/data/okrs2.yaml", tmp);
    return !okrs2 || ob_test_write_file(path, okrs2);
}

static void
remove_site(void)
{
    static const char *const files[] = {"data/okrs1.yaml", "data/okrs2.yaml",
                                        "data", "opsbook.yaml"};
    char path[4200];
    size_t i;

    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", tmp, files[i]);
        remove(path);
    }
    rmdir(tmp);
}

static const char escape_okrs[] =
    "quarter: 2026-Q4\n"
    "objectives:\n"
    "  - id: x-O1\n"
    "    title: '<script>alert(\"x\")</script> & co'\n"
    "    owner: R&D <lab>\n"
    "    team: a&b \"q\"\n"
    "    description: Fish & chips\n"
    "    key_results:\n"
    "      - {id: x-kr1, title: 'Tom & <b>Jerry</b>', baseline: 0, target: "
    "10}\n"
    "  - id: x-O2\n"
    "    title: Second\n"
    "    team: <i>\n"
    "    parent: x-O1\n";

static void
test_escaping(void)
{
    struct ob_build b;
    struct ob_buf html = OB_BUF_INIT;

    if (!make_site(OKR_SITE, escape_okrs, NULL)) {
        OB_CHECK(!"a temporary site");
        return;
    }
    if (load(&b, tmp, "2026-11-20")) {
        page(&b, "2026-Q4", &html);
        OB_CHECK(!strstr(html.ptr, "<script"));
        OB_CHECK(!strstr(html.ptr, "<b>"));
        OB_CHECK(!strstr(html.ptr, "<i>"));
        OB_CHECK(has(html.ptr, "x-O1",
                     "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
                     "co</span>"));
        OB_CHECK(has(html.ptr, "x-O1", "Owner: R&amp;D &lt;lab&gt;"));
        OB_CHECK(has(html.ptr, "x-O1", "data-team=\"a&amp;b &quot;q&quot;\""));
        OB_CHECK(has(html.ptr, "x-O1", "Fish &amp; chips"));
        OB_CHECK(has(html.ptr, "x-kr1", "Tom &amp; &lt;b&gt;Jerry&lt;/b&gt;"));
        OB_CHECK(strstr(html.ptr,
                        "data-team=\"&lt;i&gt;\" "
                        "aria-pressed=\"false\">&lt;i&gt;</button>") != NULL);
        OB_CHECK(inside(html.ptr, "x-O1", "x-O2"));
    } else {
        OB_CHECK(!"the escaping site loads");
    }
    ob_buf_release(&html);
    ob_build_release(&b);
    remove_site();
}

static const char french_okrs[] =
    "quarter: 2026-Q4\n"
    "objectives:\n"
    "  - id: fr-O1\n"
    "    title: Vendre\n"
    "    owner: Ventes\n"
    "    team: ventes\n"
    "    key_results:\n"
    "      - id: fr-kr1\n"
    "        title: Chiffre d'affaires\n"
    "        baseline: 1000\n"
    "        target: 3000\n"
    "        weight: 1.5\n"
    "        format: currency:EUR\n"
    "        checkins:\n"
    "          - {date: 2026-10-10, value: 1500, confidence: 0.5}\n"
    "          - {date: 2026-11-18, value: 2234.5, confidence: 0.65}\n"
    "      - {id: fr-ms, title: Jalon, type: milestone, progress: 0.1}\n"
    "  - id: fr-O2\n"
    "    title: Équipe\n"
    "    team: ops\n"
    "    key_results:\n"
    "      - {id: fr-ms2, title: Fini, type: milestone, done: true}\n";

static void
test_french(void)
{
    struct ob_build b;
    struct ob_buf html = OB_BUF_INIT;
    struct ob_view v;

    if (!make_site("site: {title: T, language: fr}\nokrs: data/*.yaml\n",
                   french_okrs, NULL)) {
        OB_CHECK(!"a temporary site");
        return;
    }
    if (load(&b, tmp, "2026-11-20")) {
        page(&b, "2026-Q4", &html);
        /* (2234.5 - 1000) / 2000 = .61725 */
        OB_CHECK_STR(text_of(html.ptr, "fr-kr1", "class=\"okr-progress\">"),
                     "62\xC2\xA0%");
        OB_CHECK(
            has(html.ptr, "fr-kr1",
                "aria-label=\"62\xC2\xA0% atteint, 55\xC2\xA0% attendu\""));
        OB_CHECK_STR(status_of(html.ptr, "fr-kr1"), "En bonne voie");
        OB_CHECK_STR(status_of(html.ptr, "fr-ms"), "En retard");
        OB_CHECK_STR(status_of(html.ptr, "fr-ms2"), "Atteint");
        OB_CHECK(has(html.ptr, "fr-kr1",
                     "<strong class=\"okr-current\">2\xE2\x80\xAF"
                     "234,50\xC2\xA0€</strong> <span class=\"okr-source\">"
                     "d’après le point du <time datetime=\"2026-11-18\">18 "
                     "nov. 2026</time></span>"));
        OB_CHECK(has(html.ptr, "fr-kr1",
                     "départ 1\xE2\x80\xAF"
                     "000,00\xC2\xA0€ → cible "
                     "3\xE2\x80\xAF"
                     "000,00\xC2\xA0€"));
        OB_CHECK(has(html.ptr, "fr-kr1",
                     "confiance 0,65 <span "
                     "class=\"okr-trend up\">"));
        OB_CHECK(has(html.ptr, "fr-kr1", "en hausse depuis le point"));
        OB_CHECK_STR(text_of(html.ptr, "fr-kr1", "class=\"okr-weight\">"),
                     "poids 1,5");
        OB_CHECK(has(html.ptr, "fr-ms", "Pas de point récent"));
        OB_CHECK(has(html.ptr, "fr-ms", "Jalon\xC2\xA0: pas fait"));
        OB_CHECK(has(html.ptr, "fr-O1", "Responsable\xC2\xA0: Ventes"));
        OB_CHECK(strstr(html.ptr, "<time datetime=\"2026-10-01\">1 oct. "
                                  "2026</time> – <time "
                                  "datetime=\"2026-12-31\">31 déc. "
                                  "2026</time> · jour 51 sur 92 · progression "
                                  "attendue aujourd’hui\xC2\xA0: <strong "
                                  "class=\"okr-expected-today\">55\xC2\xA0%"
                                  "</strong>") != NULL);
        OB_CHECK(strstr(html.ptr, "2 objectifs\xC2\xA0: <span "
                                  "class=\"okr-count tone-done\">1 "
                                  "atteint</span> · <span class=\"okr-count "
                                  "tone-warn\">1 à risque</span>") != NULL);
        OB_CHECK(strstr(html.ptr, "aria-label=\"Filtrer par équipe\"") != NULL);
        OB_CHECK(strstr(html.ptr, ">Toutes les équipes</button>") != NULL);
        OB_CHECK(strstr(html.ptr, "style=\"left:55.43%\"") != NULL);
        ob_buf_release(&html);
        ob_build_release(&b);
    } else {
        OB_CHECK(!"the French site loads");
        ob_build_release(&b);
    }
    /* graded in French after the end */
    if (load(&b, tmp, "2027-01-05")) {
        page(&b, "2026-Q4", &html);
        OB_CHECK_STR(status_of(html.ptr, "fr-O2"), "Clos");
        OB_CHECK_STR(
            text_of(html.ptr, "fr-O2", "class=\"okr-grade tone-good\">"),
            "Note\xC2\xA0: vert 1,00");
        OB_CHECK(strstr(html.ptr, "Clos\xC2\xA0: la progression est notée") !=
                 NULL);
        v = view(&b, "../", true);
        ob_buf_reset(&html);
        ob_okrview_index(&v, &html);
        OB_CHECK(strstr(html.ptr, "<h2>Tous les trimestres</h2>") != NULL);
        OB_CHECK(strstr(html.ptr, "href=\"../okrs/2026-Q4/\"") != NULL);
    }
    ob_buf_release(&html);
    ob_build_release(&b);
    remove_site();
}

static const char year_okrs[] =
    "quarter: 2026-Q3\n"
    "objectives:\n"
    "  - {id: y-O1, title: Year goal, team: company}\n";
static const char aligned_okrs[] =
    "quarter: 2026-Q4\n"
    "objectives:\n"
    "  - id: y-O2\n"
    "    title: Aligned across quarters\n"
    "    team: growth\n"
    "    parent: y-O1\n"
    "    key_results:\n"
    "      - {id: y-ms, title: M, type: milestone, progress: 0.5}\n";

/* A parent in another quarter: the objective is a top one of its own
 * quarter, linked to the parent's page; the parent's page does not nest
 * it. */
static void
test_across_quarters(void)
{
    struct ob_build b;
    struct ob_buf html = OB_BUF_INIT;

    if (!make_site(OKR_SITE, year_okrs, aligned_okrs)) {
        OB_CHECK(!"a temporary site");
        return;
    }
    if (load(&b, tmp, "2026-11-20")) {
        page(&b, "2026-Q4", &html);
        OB_CHECK(strstr(html.ptr,
                        "<ul class=\"okr-tree\">\n<li "
                        "class=\"objective\" data-id=\"y-O2\"") != NULL);
        OB_CHECK(has(html.ptr, "y-O2",
                     "<p class=\"okr-aligned\">Aligned to <a "
                     "href=\"../../okrs/2026-Q3/\">Year goal</a> "
                     "(2026-Q3)</p>"));
        /* one team here: nothing to filter */
        OB_CHECK(!strstr(html.ptr, "okr-filter"));
        page(&b, "2026-Q3", &html);
        OB_CHECK(element(html.ptr, "y-O2") == NULL);
        OB_CHECK(!strstr(html.ptr, "okr-children"));
        OB_CHECK_STR(text_of(html.ptr, "y-O1", "class=\"okr-progress\">"),
                     "50%");
    } else {
        OB_CHECK(!"the site loads");
    }
    ob_buf_release(&html);
    ob_build_release(&b);
    remove_site();
}

/* Without OKRs the index says so; before any quarter, it says that. */
static void
test_index_empty(void)
{
    struct ob_build b;
    struct ob_buf html = OB_BUF_INIT;
    struct ob_view v;

    if (!make_site("site: {title: T}\n", NULL, NULL)) {
        OB_CHECK(!"a temporary site");
        return;
    }
    if (load(&b, tmp, "2026-11-20")) {
        v = view(&b, "../", true);
        ob_okrview_index(&v, &html);
        OB_CHECK_STR(html.ptr, "<p class=\"okr-none\">No OKRs are defined "
                               "yet: list OKR files under okrs: in "
                               "opsbook.yaml.</p>\n");
    } else {
        OB_CHECK(!"the empty site loads");
    }
    ob_buf_release(&html);
    ob_build_release(&b);
    remove_site();

    if (!make_site(OKR_SITE, escape_okrs, NULL)) {
        OB_CHECK(!"a temporary site");
        return;
    }
    if (load(&b, tmp, "2026-05-01")) {
        v = view(&b, "../", true);
        ob_okrview_index(&v, &html);
        OB_CHECK(!strncmp(html.ptr,
                          "<p class=\"okr-none\">No quarter has started "
                          "yet.</p>\n<h2>All quarters</h2>",
                          70));
        OB_CHECK(strstr(html.ptr,
                        "<a href=\"../okrs/2026-Q4/\">2026-Q4</a>\n") != NULL);
        OB_CHECK(!strstr(html.ptr, "okr-latest"));
        OB_CHECK(!strstr(html.ptr, "okr-tree"));
    } else {
        OB_CHECK(!"the site loads");
    }
    ob_buf_release(&html);
    ob_build_release(&b);
    remove_site();
}

int
main(void)
{
    if (!getcwd(top, sizeof(top))) {
        perror("getcwd");
        return 1;
    }
    if (access("tests/sites/okr/opsbook.yaml", R_OK)) {
        fprintf(stderr, "test_okrview: run from the repository root\n");
        return 1;
    }
    OB_RUN(test_progress_text);
    OB_RUN(test_expected_marker);
    OB_RUN(test_status_words);
    OB_RUN(test_alignment);
    OB_RUN(test_team);
    OB_RUN(test_key_results);
    OB_RUN(test_index);
    OB_RUN(test_slug);
    OB_RUN(test_escaping);
    OB_RUN(test_french);
    OB_RUN(test_across_quarters);
    OB_RUN(test_index_empty);
    return OB_TEST_DONE();
}
