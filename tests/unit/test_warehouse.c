/* test_warehouse.c: the SQL a postgres source's KPIs become (golden). */
/* SPDX-License-Identifier: MIT */
#include "opsbook/warehouse.h"

#include <stdlib.h>
#include <string.h>

#include "opsbook/buf.h"
#include "opsbook/date.h"
#include "opsbook/tz.h"
#include "runner.h"

/* A relation as ob_warehouse_open() describes one. */
static struct ob_column columns[] = {
    {.name = "ts", .type = OB_COL_DATETIME},
    {.name = "user_id", .type = OB_COL_STRING},
    {.name = "plan", .type = OB_COL_STRING},
    {.name = "duration_s", .type = OB_COL_NUMBER},
    {.name = "score", .type = OB_COL_INTEGER},
    {.name = "paid", .type = OB_COL_BOOLEAN},
    {.name = "signup_day", .type = OB_COL_DATE},
    {.name = "we\"ird", .type = OB_COL_STRING},
};
#define N_COLS (sizeof(columns) / sizeof(columns[0]))

struct fx {
    struct ob_arena a;
    struct ob_diag d;
    struct ob_source src;
    struct ob_table t;
    struct ob_yaml_node node;
    struct ob_kpi_def def;
    struct ob_tz *tz;
    struct ob_warehouse_context c;
};

static void
fx_init(struct fx *f, const char *zone, unsigned fiscal)
{
    memset(f, 0, sizeof(*f));
    ob_arena_init(&f->a);
    ob_diag_init(&f->d, 100);
    f->src.name = "events";
    f->src.type = OB_SOURCE_POSTGRES;
    f->src.table = "analytics.events";
    f->t.src = &f->src;
    f->t.columns = columns;
    f->t.n_columns = N_COLS;
    f->t.time_column = 0;
    f->node.kind = OB_YAML_SCALAR;
    f->node.pos.path = "t.yaml";
    f->node.pos.line = 1;
    f->node.pos.col = 1;
    f->def.id = "k";
    f->def.measure.node = &f->node;
    f->def.measure.key = "measure";
    f->def.where.node = &f->node;
    f->def.where.key = "where";
    if (ob_tz_load(zone, NULL, &f->tz) != OB_OK)
        f->tz = NULL;
    f->c.t = &f->t;
    f->c.tz = zone;
    f->c.fiscal_year_start = fiscal;
    ob_date_parse("2026-03-10", 10, &f->c.as_of);
    f->c.until = f->tz ? ob_tz_day_start(f->tz, f->c.as_of + 1) : 0;
}

static void
fx_release(struct fx *f)
{
    ob_tz_free(f->tz);
    ob_diag_release(&f->d);
    ob_arena_release(&f->a);
}

/* A KPI: measure name, its argument (or NULL), a where (or NULL). */
static void
kpi(struct fx *f, struct ob_warehouse_kpi *k, enum ob_measure m, double q,
    const char *arg, const char *where, enum ob_grain g, const char *by)
{
    memset(k, 0, sizeof(*k));
    k->def = &f->def;
    k->m = m;
    k->q = q;
    k->grain = g;
    k->by_col = by ? ob_table_column(&f->t, by) : -1;
    if (arg) {
        struct ob_expr *e;
        f->def.measure.text = arg;
        e = ob_expr_parse(&f->a, &f->d, &f->def.measure);
        OB_CHECK(e != NULL);
        OB_CHECK(e && ob_expr_bind_row(e, &f->d, &f->def.measure, &f->t, f->tz,
                                       m == OB_MEASURE_RATE ? OB_TYPE_BOOL
                                                            : OB_TYPE_UNKNOWN));
        k->arg = e;
    }
    if (where) {
        struct ob_expr *e;
        f->def.where.text = where;
        e = ob_expr_parse(&f->a, &f->d, &f->def.where);
        OB_CHECK(e && ob_expr_bind_row(e, &f->d, &f->def.where, &f->t, f->tz,
                                       OB_TYPE_BOOL));
        k->where = e;
    }
}

/* The parameters, as "$1=a|$2=b". */
static const char *
params_of(const struct ob_warehouse_sql *q)
{
    static char out[2048];
    size_t i, len = 0;

    out[0] = '\0';
    for (i = 0; i < q->n_params && len < sizeof out; i++)
        len += (size_t)snprintf(out + len, sizeof out - len, "%s$%zu=%s",
                                i ? "|" : "", i + 1, q->params[i]);
    return out;
}

#define TS      "s.\"ts\"::timestamptz"
#define LOCAL   "(" TS " AT TIME ZONE $1::text)::date"
#define FROM    "\nFROM \"analytics\".\"events\" AS s\nWHERE "
#define TAIL    "\nGROUP BY 1, 2 ORDER BY 1, 2"
#define DUR     "s.\"duration_s\"::float8"
#define SCORE   "s.\"score\"::float8"
#define PLAN    "NULLIF(s.\"plan\"::text, '')"
#define UNTIL_1 "2026-03-11T00:00:00Z"

/* One KPI alone: its whole query and parameters. */
static void
check_one(struct fx *f, const struct ob_warehouse_kpi *k, const char *sql,
          const char *params)
{
    struct ob_warehouse_sql q;

    ob_warehouse_sql_init(&q);
    ob_warehouse_sql_aggregate(&q, &f->c, k, 1);
    OB_CHECK_STR(q.text.ptr, sql);
    OB_CHECK_STR(params_of(&q), params);
    ob_warehouse_sql_release(&q);
}

static void
test_quote(void)
{
    struct ob_buf b = OB_BUF_INIT;

    ob_warehouse_quote_ident(&b, "events", true);
    ob_buf_putc(&b, ' ');
    ob_warehouse_quote_ident(&b, "sch.ev\"x", true);
    ob_buf_putc(&b, ' ');
    ob_warehouse_quote_ident(&b, "a.b", false);
    ob_buf_putc(&b, ' ');
    ob_warehouse_quote_ident(&b, "x\"; DROP TABLE t; --", false);
    OB_CHECK_STR(b.ptr, "\"events\" \"sch\".\"ev\"\"x\" \"a.b\" "
                        "\"x\"\"; DROP TABLE t; --\"");
    ob_buf_release(&b);
}

/* Every measure, by day in UTC: the aggregate each becomes. */
static void
test_measures(void)
{
    static const struct {
        enum ob_measure m;
        double q;
        const char *arg, *agg;
    } cases[] = {
        {OB_MEASURE_COUNT, 0, NULL, "count(*)"},
        {OB_MEASURE_COUNT_DISTINCT, 0, "user_id",
         "count(DISTINCT NULLIF(s.\"user_id\"::text, ''))"},
        {OB_MEASURE_SUM, 0, "duration_s", "sum(" DUR ")"},
        {OB_MEASURE_AVG, 0, "duration_s", "avg(" DUR ")"},
        {OB_MEASURE_MIN, 0, "duration_s", "min(" DUR ")"},
        {OB_MEASURE_MAX, 0, "duration_s", "max(" DUR ")"},
        {OB_MEASURE_MEDIAN, 0.5, "duration_s",
         "percentile_cont(0.50) WITHIN GROUP (ORDER BY " DUR ")"},
        {OB_MEASURE_P75, 0.75, "duration_s",
         "percentile_cont(0.75) WITHIN GROUP (ORDER BY " DUR ")"},
        {OB_MEASURE_P90, 0.9, "duration_s",
         "percentile_cont(0.90) WITHIN GROUP (ORDER BY " DUR ")"},
        {OB_MEASURE_P95, 0.95, "duration_s",
         "percentile_cont(0.95) WITHIN GROUP (ORDER BY " DUR ")"},
        {OB_MEASURE_P99, 0.99, "duration_s",
         "percentile_cont(0.99) WITHIN GROUP (ORDER BY " DUR ")"},
        {OB_MEASURE_NPS, 0, "score",
         "100 * (count(*) FILTER (WHERE " SCORE " BETWEEN 9 AND 10) - "
         "count(*) FILTER (WHERE " SCORE " BETWEEN 0 AND 6))::float8 / "
         "NULLIF(count(" SCORE "), 0), count(*) FILTER (WHERE NOT " SCORE
         " BETWEEN 0 AND 10), min(" SCORE ") FILTER (WHERE NOT " SCORE
         " BETWEEN 0 AND 10)"},
        {OB_MEASURE_RATE, 0, "paid",
         "count(*) FILTER (WHERE s.\"paid\")::float8 / NULLIF(count(*) "
         "FILTER (WHERE s.\"paid\" IS NOT NULL), 0)"},
        {OB_MEASURE_LAST, 0, "duration_s",
         "(array_agg(" DUR " ORDER BY " TS " DESC, " DUR " DESC) FILTER "
         "(WHERE " DUR " IS NOT NULL))[1]"},
    };
    struct fx f;
    size_t i;

    fx_init(&f, "UTC", 1);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ob_warehouse_kpi k;
        char sql[2048];

        kpi(&f, &k, cases[i].m, cases[i].q, cases[i].arg, NULL, OB_GRAIN_DAY,
            NULL);
        snprintf(sql, sizeof sql,
                 "SELECT " LOCAL " - DATE '1970-01-01' AS p, '' AS g,\n"
                 "  %s" FROM "(" TS " IS NOT NULL AND " TS
                 " < $2::timestamptz)" TAIL,
                 cases[i].agg);
        check_one(&f, &k, sql, "$1=UTC|$2=" UNTIL_1);
        OB_CHECK_INT(ob_warehouse_columns(cases[i].m),
                     cases[i].m == OB_MEASURE_NPS ? 3 : 1);
    }
    fx_release(&f);
}

/* Each grain's period, with fiscal_year_start 2 and a zone with DST. */
static void
test_grains(void)
{
    static const struct {
        enum ob_grain g;
        const char *period;
    } cases[] = {
        {OB_GRAIN_DAY, LOCAL},
        {OB_GRAIN_WEEK, "date_trunc('week', " LOCAL "::timestamp)::date"},
        {OB_GRAIN_MONTH, "date_trunc('month', " LOCAL "::timestamp)::date"},
        {OB_GRAIN_QUARTER,
         "(date_trunc('quarter', " LOCAL "::timestamp - $2::int * interval "
         "'1 month') + $2::int * interval '1 month')::date"},
        {OB_GRAIN_YEAR, "(date_trunc('year', " LOCAL "::timestamp - $2::int "
                        "* interval '1 month') + $2::int * interval '1 "
                        "month')::date"},
    };
    struct fx f;
    size_t i;

    fx_init(&f, "Europe/Paris", 2);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ob_warehouse_kpi k;
        char sql[2048], params[256];
        bool shifted = cases[i].g >= OB_GRAIN_QUARTER;

        kpi(&f, &k, OB_MEASURE_COUNT, 0, NULL, NULL, cases[i].g, "plan");
        snprintf(sql, sizeof sql,
                 "SELECT %s - DATE '1970-01-01' AS p, coalesce(NULLIF("
                 "s.\"plan\"::text, ''), '(empty)') AS g,\n  count(*)" FROM
                 "(" TS " IS NOT NULL AND " TS " < $%d::timestamptz)" TAIL,
                 cases[i].period, shifted ? 3 : 2);
        /* the as-of day ends at 23:00 UTC in Paris in March (CET) */
        snprintf(params, sizeof params, "$1=Europe/Paris|%s$%d=%s",
                 shifted ? "$2=1|" : "", shifted ? 3 : 2,
                 "2026-03-10T23:00:00Z");
        check_one(&f, &k, sql, params);
    }
    fx_release(&f);
}

/* Filters: literals are parameters, strings compare by bytes, empty
 * cells are NULL, a date literal against a datetime is its day start. */
static void
test_where(void)
{
    struct fx f;
    struct ob_warehouse_kpi k;

    fx_init(&f, "Europe/Paris", 1);
    kpi(&f, &k, OB_MEASURE_SUM, 0, "duration_s",
        "plan in [\"pro\", \"it's'; DROP TABLE events; --\"] and not "
        "(duration_s > 1.5) or plan is empty",
        OB_GRAIN_DAY, NULL);
    check_one(&f, &k,
              "SELECT " LOCAL " - DATE '1970-01-01' AS p, '' AS g,\n"
              "  sum(" DUR ") FILTER (WHERE (((" PLAN " IN ($2::text, "
              "$3::text)) AND (NOT (" DUR " > $4::float8))) OR (" PLAN
              " IS NULL))), count(*) FILTER (WHERE (((" PLAN " IN "
              "($5::text, $6::text)) AND (NOT (" DUR " > $7::float8))) OR "
              "(" PLAN " IS NULL)))" FROM "(" TS " IS NOT NULL AND " TS
              " < $8::timestamptz)" TAIL,
              "$1=Europe/Paris|$2=pro|$3=it's'; DROP TABLE events; --|$4=1.5|"
              "$5=pro|$6=it's'; DROP TABLE events; --|$7=1.5|"
              "$8=2026-03-10T23:00:00Z");
    kpi(&f, &k, OB_MEASURE_COUNT, 0, NULL,
        "ts >= 2026-03-01 and plan < \"q\" and signup_day < ts", OB_GRAIN_DAY,
        NULL);
    check_one(&f, &k,
              "SELECT " LOCAL " - DATE '1970-01-01' AS p, '' AS g,\n"
              "  count(*) FILTER (WHERE (((" TS " >= $2::timestamptz) AND "
              "(" PLAN " < $3::text COLLATE \"C\")) AND (s.\"signup_day\""
              "::timestamptz < " TS ")))" FROM "(" TS " IS NOT NULL AND " TS
              " < $4::timestamptz)" TAIL,
              "$1=Europe/Paris|$2=2026-02-28T23:00:00.000000000+00|$3=q|"
              "$4=2026-03-10T23:00:00Z");
    fx_release(&f);
}

/* days_between of dates counts days; otherwise elapsed time. */
static void
test_between(void)
{
    struct fx f;
    struct ob_warehouse_kpi k;

    fx_init(&f, "UTC", 1);
    kpi(&f, &k, OB_MEASURE_AVG, 0,
        "days_between(signup_day, signup_day) + hours_between(signup_day, "
        "ts)",
        NULL, OB_GRAIN_DAY, NULL);
    check_one(&f, &k,
              "SELECT " LOCAL " - DATE '1970-01-01' AS p, '' AS g,\n"
              "  avg(((s.\"signup_day\" - s.\"signup_day\")::float8 + "
              "((extract(epoch FROM " TS ") - extract(epoch FROM "
              "s.\"signup_day\"::timestamptz))::float8 / 3600)))" FROM "(" TS
              " IS NOT NULL AND " TS " < $2::timestamptz)" TAIL,
              "$1=UTC|$2=" UNTIL_1);
    kpi(&f, &k, OB_MEASURE_SUM, 0, "duration_s / (score - 1)", NULL,
        OB_GRAIN_DAY, NULL);
    check_one(&f, &k,
              "SELECT " LOCAL " - DATE '1970-01-01' AS p, '' AS g,\n"
              "  sum((" DUR " / NULLIF((" SCORE " - $2::float8), 0)))" FROM
              "(" TS " IS NOT NULL AND " TS " < $3::timestamptz)" TAIL,
              "$1=UTC|$2=1|$3=" UNTIL_1);
    fx_release(&f);
}

/* KPIs of one grain and by share a query, each with its columns. */
static void
test_shared(void)
{
    struct fx f;
    struct ob_warehouse_kpi k[3];
    struct ob_warehouse_sql q;

    fx_init(&f, "UTC", 1);
    kpi(&f, &k[0], OB_MEASURE_COUNT, 0, NULL, "paid", OB_GRAIN_MONTH, NULL);
    kpi(&f, &k[1], OB_MEASURE_COUNT_DISTINCT, 0, "user_id", "paid",
        OB_GRAIN_MONTH, NULL);
    kpi(&f, &k[2], OB_MEASURE_MAX, 0, "score", NULL, OB_GRAIN_MONTH, NULL);
    ob_warehouse_sql_init(&q);
    ob_warehouse_sql_aggregate(&q, &f.c, k, 3);
    OB_CHECK_STR(q.text.ptr,
                 "SELECT date_trunc('month', " LOCAL
                 "::timestamp)::date - DATE '1970-01-01' AS p, '' AS g,\n"
                 "  count(*) FILTER (WHERE s.\"paid\"),\n"
                 "  count(DISTINCT NULLIF(s.\"user_id\"::text, '')) FILTER "
                 "(WHERE s.\"paid\"), count(*) FILTER (WHERE s.\"paid\"),\n"
                 "  max(" SCORE ")" FROM "(" TS " IS NOT NULL AND " TS
                 " < $2::timestamptz)" TAIL);
    ob_warehouse_sql_release(&q);
    fx_release(&f);
}

/* new/retained/churned: distinct values per period, and when each was
 * seen before. */
static void
test_distinct(void)
{
    struct fx f;
    struct ob_warehouse_kpi k;
    struct ob_warehouse_sql q;

    fx_init(&f, "UTC", 1);
    f.src.table = NULL;
    f.src.query =
        "SELECT * FROM events WHERE ts > now() - interval '1 year';\n ";
    kpi(&f, &k, OB_MEASURE_CHURNED_DISTINCT, 0, "user_id", "plan != \"free\"",
        OB_GRAIN_MONTH, "plan");
    OB_CHECK(ob_warehouse_over_periods(k.m));
    ob_warehouse_sql_init(&q);
    ob_warehouse_sql_distinct(&q, &f.c, &k);
    OB_CHECK_STR(q.text.ptr,
                 "WITH b AS (SELECT date_trunc('month', " LOCAL
                 "::timestamp)::date AS p, coalesce(NULLIF(s.\"plan\"::text, "
                 "''), '(empty)') AS g, NULLIF(s.\"user_id\"::text, '') AS "
                 "x\n  FROM (SELECT * FROM events WHERE ts > now() - "
                 "interval '1 year') AS s\n  WHERE (" TS " IS NOT NULL AND " TS
                 " < $2::timestamptz) AND (" PLAN " <> $3::text)),\n"
                 "d AS (SELECT DISTINCT p, g, x FROM b WHERE x IS NOT NULL),\n"
                 "l AS (SELECT p, g, lag(p) OVER (PARTITION BY g, x ORDER BY "
                 "p) AS q FROM d),\n"
                 "m AS (SELECT p, g, count(*) AS n, count(*) FILTER (WHERE q "
                 "IS NULL) AS fresh,\n  count(*) FILTER (WHERE q = (p - "
                 "interval '1 month')::date) AS kept FROM l GROUP BY p, g)\n"
                 "SELECT c.p - DATE '1970-01-01', c.g, coalesce(m.n, 0), "
                 "coalesce(m.fresh, 0), coalesce(m.kept, 0)\n"
                 "FROM (SELECT DISTINCT p, g FROM b) AS c LEFT JOIN m ON m.p "
                 "= c.p AND m.g = c.g\nORDER BY 2, 1");
    OB_CHECK_STR(params_of(&q), "$1=UTC|$2=" UNTIL_1 "|$3=free");
    ob_warehouse_sql_release(&q);
    fx_release(&f);
}

/* Statistics, with a date time column and the checks. */
static void
test_stats(void)
{
    struct fx f;
    struct ob_warehouse_sql q;
    struct ob_name ne = {"plan", {NULL, 0, 0}}, un = {"user_id", {NULL, 0, 0}};

    fx_init(&f, "UTC", 1);
    f.t.time_column = 6; /* signup_day, a date */
    f.src.checks.not_empty = &ne;
    f.src.checks.n_not_empty = 1;
    f.src.checks.unique = &un;
    f.src.checks.n_unique = 1;
    ob_warehouse_sql_init(&q);
    ob_warehouse_sql_stats(&q, &f.c);
#define D     "s.\"signup_day\""
#define DT    "(" D " IS NOT NULL AND " D " <= $1::date)"
#define USERS "NULLIF(s.\"user_id\"::text, '')"
    OB_CHECK_STR(q.text.ptr,
                 "SELECT count(*) FILTER (WHERE " DT "), count(*) FILTER "
                 "(WHERE " D " IS NULL), count(*),\n  extract(epoch FROM max(" D
                 "::timestamptz) FILTER (WHERE " DT "))::float8,\n"
                 "  count(*) FILTER (WHERE " DT " AND " PLAN " IS NULL),\n"
                 "  count(" USERS ") FILTER (WHERE " DT
                 ") - count(DISTINCT " USERS ") FILTER (WHERE " DT
                 ")\nFROM \"analytics\".\"events\" AS s");
    OB_CHECK_STR(params_of(&q), "$1=2026-03-10");
    ob_warehouse_sql_release(&q);
    fx_release(&f);
}

int
main(void)
{
    OB_RUN(test_quote);
    OB_RUN(test_measures);
    OB_RUN(test_grains);
    OB_RUN(test_where);
    OB_RUN(test_between);
    OB_RUN(test_shared);
    OB_RUN(test_distinct);
    OB_RUN(test_stats);
    return OB_TEST_DONE();
}
