/* warehouse_sql.c: KPI measures and filters written as PostgreSQL. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/warehouse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/date.h"
#include "opsbook/mem.h"

/*
 * How opsbook's rules read in SQL (README "Warehouse sources"):
 * - a column is read as its type: numbers as float8 (opsbook computes in
 *   doubles, so sums and averages round alike), strings as text where ''
 *   is NULL (a CSV's empty cell, quoted or not, is empty), times as
 *   timestamptz (a `timestamp` column is local time in the session's
 *   TimeZone, which is site.timezone);
 * - comparisons and aggregates follow SQL's three-valued logic, as the
 *   SPEC says empty cells do; strings compare in byte order (COLLATE "C");
 * - a period is the local date (AT TIME ZONE the site's zone) truncated:
 *   date_trunc('week') is the ISO week's Monday, and months, quarters and
 *   years are shifted by fiscal_year_start - 1 months before and after
 *   truncating.
 */

void
ob_warehouse_sql_init(struct ob_warehouse_sql *q)
{
    memset(q, 0, sizeof(*q));
    ob_buf_init(&q->text);
}

void
ob_warehouse_sql_release(struct ob_warehouse_sql *q)
{
    size_t i;

    for (i = 0; i < q->n_params; i++)
        free(q->params[i]);
    free(q->params);
    ob_buf_release(&q->text);
    memset(q, 0, sizeof(*q));
}

/* Binds a text as the next parameter; returns its number. */
static unsigned
bind_text(struct ob_warehouse_sql *q, const char *s, size_t len)
{
    char *copy = ob_xmalloc(len + 1);

    memcpy(copy, s, len);
    copy[len] = '\0';
    OB_GROW(q->params, q->n_params + 1, q->cap_params);
    q->params[q->n_params++] = copy;
    return (unsigned)q->n_params;
}

static void
put_param(struct ob_warehouse_sql *q, const char *s, size_t len,
          const char *cast)
{
    ob_buf_printf(&q->text, "$%u::%s", bind_text(q, s, len), cast);
}

/* The zone, the cut-off and the fiscal shift are bound once per query. */
static void
put_tz(struct ob_warehouse_sql *q, const struct ob_warehouse_context *c)
{
    if (!q->p_tz)
        q->p_tz = bind_text(q, c->tz, strlen(c->tz));
    ob_buf_printf(&q->text, "$%u::text", q->p_tz);
}

static void
put_shift(struct ob_warehouse_sql *q, const struct ob_warehouse_context *c)
{
    char num[16];

    if (!q->p_shift) {
        snprintf(num, sizeof num, "%u", c->fiscal_year_start - 1);
        q->p_shift = bind_text(q, num, strlen(num));
    }
    ob_buf_printf(&q->text, "$%u::int", q->p_shift);
}

void
ob_warehouse_quote_ident(struct ob_buf *out, const char *name, bool dotted)
{
    const char *p;

    ob_buf_putc(out, '"');
    for (p = name; *p; p++) {
        if (*p == '"')
            ob_buf_putc(out, '"');
        if (*p == '.' && dotted) {
            ob_buf_puts(out, "\".\"");
            continue;
        }
        ob_buf_putc(out, *p);
    }
    ob_buf_putc(out, '"');
}

static void
put_relation(struct ob_warehouse_sql *q, const struct ob_source *src)
{
    if (src->table) {
        ob_warehouse_quote_ident(&q->text, src->table, true);
    } else {
        ob_warehouse_put_query(&q->text, src->query);
    }
    ob_buf_puts(&q->text, " AS s");
}

void
ob_warehouse_put_query(struct ob_buf *out, const char *query)
{
    size_t len = strlen(query);

    /* a query written as for psql ends with ';', which a subquery cannot */
    while (len && strchr(" \t\r\n;", query[len - 1]))
        len--;
    ob_buf_putc(out, '(');
    ob_buf_add(out, query, len);
    ob_buf_putc(out, ')');
}

/* A column as its opsbook type. */
static void
put_column(struct ob_warehouse_sql *q, const struct ob_table *t, int col)
{
    const struct ob_column *c = &t->columns[col];
    struct ob_buf *b = &q->text;

    switch (c->type) {
    case OB_COL_NUMBER:
    case OB_COL_INTEGER:
    case OB_COL_PERCENT:
        ob_buf_puts(b, "s.");
        ob_warehouse_quote_ident(b, c->name, false);
        ob_buf_puts(b, "::float8");
        break;
    case OB_COL_BOOLEAN:
    case OB_COL_DATE:
        ob_buf_puts(b, "s.");
        ob_warehouse_quote_ident(b, c->name, false);
        break;
    case OB_COL_DATETIME:
        ob_buf_puts(b, "s.");
        ob_warehouse_quote_ident(b, c->name, false);
        ob_buf_puts(b, "::timestamptz");
        break;
    default:
        ob_buf_puts(b, "NULLIF(s.");
        ob_warehouse_quote_ident(b, c->name, false);
        ob_buf_puts(b, "::text, '')");
        break;
    }
}

static void put_expr(struct ob_warehouse_sql *q,
                     const struct ob_warehouse_context *c,
                     const struct ob_expr *e);

/* A literal as binding typed it: a date compared with a datetime is that
 * day's start in the site's zone, a string may be a date. */
static void
put_literal(struct ob_warehouse_sql *q, const struct ob_expr *e)
{
    char text[48];

    switch (e->type) {
    case OB_TYPE_DATETIME: {
        char when[OB_INSTANT_MAX];
        ob_instant_format(e->instant, when);
        /* 2026-11-01T09:30:00Z plus the fraction */
        snprintf(text, sizeof text, "%.19s.%09ld+00", when, (long)e->nanos);
        put_param(q, text, strlen(text), "timestamptz");
        return;
    }
    case OB_TYPE_DATE:
        ob_date_format(e->date, text);
        put_param(q, text, strlen(text), "date");
        return;
    case OB_TYPE_BOOL:
        put_param(q, e->b ? "true" : "false", e->b ? 4 : 5, "boolean");
        return;
    case OB_TYPE_NUMBER:
        snprintf(text, sizeof text, "%.17g", e->num);
        put_param(q, text, strlen(text), "float8");
        return;
    default:
        put_param(q, e->str, e->len, "text");
        return;
    }
}

static const char *
operator_of(enum ob_expr_kind k)
{
    switch (k) {
    case OB_EXPR_ADD:
        return " + ";
    case OB_EXPR_SUB:
        return " - ";
    case OB_EXPR_MUL:
        return " * ";
    case OB_EXPR_EQ:
        return " = ";
    case OB_EXPR_NE:
        return " <> ";
    case OB_EXPR_LT:
        return " < ";
    case OB_EXPR_LE:
        return " <= ";
    case OB_EXPR_GT:
        return " > ";
    case OB_EXPR_GE:
        return " >= ";
    case OB_EXPR_AND:
        return " AND ";
    default:
        return " OR ";
    }
}

/* An operand that must be an instant: a date is its day start. */
static void
put_instant(struct ob_warehouse_sql *q, const struct ob_warehouse_context *c,
            const struct ob_expr *e)
{
    put_expr(q, c, e);
    if (e->type == OB_TYPE_DATE)
        ob_buf_puts(&q->text, "::timestamptz");
}

/* days_between(a, b) and hours_between(a, b): b - a. */
static void
put_between(struct ob_warehouse_sql *q, const struct ob_warehouse_context *c,
            const struct ob_expr *e)
{
    const struct ob_expr *a = e->args[0], *b = e->args[1];
    bool days = e->str[0] == 'd';

    if (days && a->type == OB_TYPE_DATE && b->type == OB_TYPE_DATE) {
        ob_buf_puts(&q->text, "(");
        put_expr(q, c, b);
        ob_buf_puts(&q->text, " - ");
        put_expr(q, c, a);
        ob_buf_puts(&q->text, ")::float8");
        return;
    }
    ob_buf_puts(&q->text, "((extract(epoch FROM ");
    put_instant(q, c, b);
    ob_buf_puts(&q->text, ") - extract(epoch FROM ");
    put_instant(q, c, a);
    ob_buf_printf(&q->text, "))::float8 / %s)", days ? "86400" : "3600");
}

static void
put_comparison(struct ob_warehouse_sql *q, const struct ob_warehouse_context *c,
               const struct ob_expr *e)
{
    const struct ob_expr *a = e->args[0], *b = e->args[1];
    bool mixed = (a->type == OB_TYPE_DATE) != (b->type == OB_TYPE_DATE);

    ob_buf_puts(&q->text, "(");
    if (mixed)
        put_instant(q, c, a);
    else
        put_expr(q, c, a);
    ob_buf_puts(&q->text, operator_of(e->kind));
    if (mixed)
        put_instant(q, c, b);
    else
        put_expr(q, c, b);
    /* strings compare by bytes, whatever the database's collation */
    if (a->type == OB_TYPE_STRING && e->kind != OB_EXPR_EQ &&
        e->kind != OB_EXPR_NE)
        ob_buf_puts(&q->text, " COLLATE \"C\"");
    ob_buf_puts(&q->text, ")");
}

static void
put_expr(struct ob_warehouse_sql *q, const struct ob_warehouse_context *c,
         const struct ob_expr *e)
{
    struct ob_buf *b = &q->text;
    size_t i;

    switch (e->kind) {
    case OB_EXPR_NUMBER:
    case OB_EXPR_STRING:
    case OB_EXPR_DATE:
    case OB_EXPR_BOOL:
        put_literal(q, e);
        return;
    case OB_EXPR_NAME:
        put_column(q, c->t, e->column);
        return;
    case OB_EXPR_CALL:
        put_between(q, c, e);
        return;
    case OB_EXPR_NEG:
    case OB_EXPR_NOT:
        ob_buf_puts(b, e->kind == OB_EXPR_NEG ? "(-" : "(NOT ");
        put_expr(q, c, e->args[0]);
        ob_buf_puts(b, ")");
        return;
    case OB_EXPR_DIV: /* by zero: no value, as opsbook's */
        ob_buf_puts(b, "(");
        put_expr(q, c, e->args[0]);
        ob_buf_puts(b, " / NULLIF(");
        put_expr(q, c, e->args[1]);
        ob_buf_puts(b, ", 0))");
        return;
    case OB_EXPR_EQ:
    case OB_EXPR_NE:
    case OB_EXPR_LT:
    case OB_EXPR_LE:
    case OB_EXPR_GT:
    case OB_EXPR_GE:
        put_comparison(q, c, e);
        return;
    case OB_EXPR_IN:
        ob_buf_puts(b, "(");
        put_expr(q, c, e->args[0]);
        ob_buf_puts(b, " IN (");
        for (i = 1; i < e->n_args; i++) {
            if (i > 1)
                ob_buf_puts(b, ", ");
            put_literal(q, e->args[i]);
        }
        ob_buf_puts(b, "))");
        return;
    case OB_EXPR_IS_EMPTY:
    case OB_EXPR_IS_NOT_EMPTY:
        ob_buf_puts(b, "(");
        put_expr(q, c, e->args[0]);
        ob_buf_puts(b, e->kind == OB_EXPR_IS_EMPTY ? " IS NULL)"
                                                   : " IS NOT NULL)");
        return;
    default: /* + - * and or */
        ob_buf_puts(b, "(");
        put_expr(q, c, e->args[0]);
        ob_buf_puts(b, operator_of(e->kind));
        put_expr(q, c, e->args[1]);
        ob_buf_puts(b, ")");
        return;
    }
}

/* The source's time as an instant (timestamptz) or a date. */
static void
put_time(struct ob_warehouse_sql *q, const struct ob_warehouse_context *c)
{
    put_column(q, c->t, c->t->time_column);
}

static bool
time_is_date(const struct ob_warehouse_context *c)
{
    return c->t->columns[c->t->time_column].type == OB_COL_DATE;
}

/* Rows placed in time up to the end of the as-of day. */
static void
put_timed(struct ob_warehouse_sql *q, const struct ob_warehouse_context *c)
{
    char text[OB_INSTANT_MAX + 11];

    ob_buf_puts(&q->text, "(");
    put_time(q, c);
    ob_buf_puts(&q->text, " IS NOT NULL AND ");
    put_time(q, c);
    if (!q->p_until) {
        if (time_is_date(c))
            ob_date_format(c->as_of, text);
        else
            ob_instant_format(c->until, text);
        q->p_until = bind_text(q, text, strlen(text));
    }
    if (time_is_date(c))
        ob_buf_printf(&q->text, " <= $%u::date)", q->p_until);
    else
        ob_buf_printf(&q->text, " < $%u::timestamptz)", q->p_until);
}

/* The local date of a row: its period's day. */
static void
put_local_date(struct ob_warehouse_sql *q, const struct ob_warehouse_context *c)
{
    if (time_is_date(c)) {
        put_time(q, c);
        return;
    }
    ob_buf_puts(&q->text, "(");
    put_time(q, c);
    ob_buf_puts(&q->text, " AT TIME ZONE ");
    put_tz(q, c);
    ob_buf_puts(&q->text, ")::date");
}

/* The first day of a row's period (a date). */
static void
put_period(struct ob_warehouse_sql *q, const struct ob_warehouse_context *c,
           enum ob_grain g)
{
    struct ob_buf *b = &q->text;

    switch (g) {
    case OB_GRAIN_DAY:
        put_local_date(q, c);
        return;
    case OB_GRAIN_WEEK: /* ISO: Monday */
    case OB_GRAIN_MONTH:
        ob_buf_printf(b, "date_trunc('%s', ",
                      g == OB_GRAIN_WEEK ? "week" : "month");
        put_local_date(q, c);
        ob_buf_puts(b, "::timestamp)::date");
        return;
    default: /* quarters and years start at fiscal_year_start */
        ob_buf_printf(b, "(date_trunc('%s', ",
                      g == OB_GRAIN_QUARTER ? "quarter" : "year");
        put_local_date(q, c);
        ob_buf_puts(b, "::timestamp - ");
        put_shift(q, c);
        ob_buf_puts(b, " * interval '1 month') + ");
        put_shift(q, c);
        ob_buf_puts(b, " * interval '1 month')::date");
        return;
    }
}

/* The period before `p` (a period start named p). */
static void
put_previous(struct ob_warehouse_sql *q, enum ob_grain g)
{
    static const char *const months[] = {"", "", "1", "3", "12"};

    if (g == OB_GRAIN_DAY || g == OB_GRAIN_WEEK)
        ob_buf_printf(&q->text, "p - %d", g == OB_GRAIN_DAY ? 1 : 7);
    else
        ob_buf_printf(&q->text, "(p - interval '%s month')::date", months[g]);
}

/* The group: the by cell's text, "(empty)" for an empty one. */
static void
put_group(struct ob_warehouse_sql *q, const struct ob_warehouse_context *c,
          int by_col)
{
    if (by_col < 0) {
        ob_buf_puts(&q->text, "''");
        return;
    }
    ob_buf_puts(&q->text, "coalesce(NULLIF(s.");
    ob_warehouse_quote_ident(&q->text, c->t->columns[by_col].name, false);
    ob_buf_puts(&q->text, "::text, ''), '(empty)')");
}

/* " FILTER (WHERE where AND extra)", or nothing without either. */
static void
put_filter(struct ob_warehouse_sql *q, const struct ob_warehouse_context *c,
           const struct ob_warehouse_kpi *k, const char *extra_pre,
           const struct ob_expr *extra, const char *extra_post)
{
    struct ob_buf *b = &q->text;

    if (!k->where && !extra)
        return;
    ob_buf_puts(b, " FILTER (WHERE ");
    if (k->where)
        put_expr(q, c, k->where);
    if (k->where && extra)
        ob_buf_puts(b, " AND ");
    if (extra) {
        ob_buf_puts(b, extra_pre);
        put_expr(q, c, extra);
        ob_buf_puts(b, extra_post);
    }
    ob_buf_puts(b, ")");
}

size_t
ob_warehouse_columns(enum ob_measure m)
{
    switch (m) {
    case OB_MEASURE_NPS:
        return 3; /* nps, scores outside 0-10, one of them */
    default:
        return 1;
    }
}

bool
ob_warehouse_over_periods(enum ob_measure m)
{
    return m == OB_MEASURE_NEW_DISTINCT || m == OB_MEASURE_RETAINED_DISTINCT ||
           m == OB_MEASURE_CHURNED_DISTINCT;
}

static void
put_percentile(struct ob_warehouse_sql *q, const struct ob_warehouse_context *c,
               const struct ob_warehouse_kpi *k)
{
    /* the quantile is opsbook's own constant (0.5 ... 0.99), not a value */
    ob_buf_printf(&q->text, "percentile_cont(%.2f) WITHIN GROUP (ORDER BY ",
                  k->q);
    put_expr(q, c, k->arg);
    ob_buf_puts(&q->text, ")");
    put_filter(q, c, k, "", NULL, "");
}

/* nps: 100 x (promoters - detractors) / scores, as opsbook computes it. */
static void
put_nps(struct ob_warehouse_sql *q, const struct ob_warehouse_context *c,
        const struct ob_warehouse_kpi *k)
{
    struct ob_buf *b = &q->text;

    ob_buf_puts(b, "100 * (count(*)");
    put_filter(q, c, k, "", k->arg, " BETWEEN 9 AND 10");
    ob_buf_puts(b, " - count(*)");
    put_filter(q, c, k, "", k->arg, " BETWEEN 0 AND 6");
    ob_buf_puts(b, ")::float8 / NULLIF(count(");
    put_expr(q, c, k->arg);
    ob_buf_puts(b, ")");
    put_filter(q, c, k, "", NULL, "");
    ob_buf_puts(b, ", 0), count(*)");
    put_filter(q, c, k, "NOT ", k->arg, " BETWEEN 0 AND 10");
    ob_buf_puts(b, ", min(");
    put_expr(q, c, k->arg);
    ob_buf_puts(b, ")");
    put_filter(q, c, k, "NOT ", k->arg, " BETWEEN 0 AND 10");
}

/* rate(C): rows where C is true / rows where it is true or false. */
static void
put_rate(struct ob_warehouse_sql *q, const struct ob_warehouse_context *c,
         const struct ob_warehouse_kpi *k)
{
    ob_buf_puts(&q->text, "count(*)");
    put_filter(q, c, k, "", k->arg, "");
    ob_buf_puts(&q->text, "::float8 / NULLIF(count(*)");
    put_filter(q, c, k, "", k->arg, " IS NOT NULL");
    ob_buf_puts(&q->text, ", 0)");
}

/* last(x): the value at the latest time; a table has no file order, so
 * of the values at that time the greatest wins. */
static void
put_last(struct ob_warehouse_sql *q, const struct ob_warehouse_context *c,
         const struct ob_warehouse_kpi *k)
{
    ob_buf_puts(&q->text, "(array_agg(");
    put_expr(q, c, k->arg);
    ob_buf_puts(&q->text, " ORDER BY ");
    put_time(q, c);
    ob_buf_puts(&q->text, " DESC, ");
    put_expr(q, c, k->arg);
    ob_buf_puts(&q->text, " DESC)");
    put_filter(q, c, k, "", k->arg, " IS NOT NULL");
    ob_buf_puts(&q->text, ")[1]");
}

static void
put_measure(struct ob_warehouse_sql *q, const struct ob_warehouse_context *c,
            const struct ob_warehouse_kpi *k)
{
    static const char *const plain[] = {[OB_MEASURE_SUM] = "sum",
                                        [OB_MEASURE_AVG] = "avg",
                                        [OB_MEASURE_MIN] = "min",
                                        [OB_MEASURE_MAX] = "max"};

    switch (k->m) {
    case OB_MEASURE_COUNT:
        ob_buf_puts(&q->text, "count(*)");
        put_filter(q, c, k, "", NULL, "");
        return;
    case OB_MEASURE_COUNT_DISTINCT:
        ob_buf_puts(&q->text, "count(DISTINCT ");
        put_expr(q, c, k->arg);
        ob_buf_puts(&q->text, ")");
        put_filter(q, c, k, "", NULL, "");
        return;
    case OB_MEASURE_SUM:
    case OB_MEASURE_AVG:
    case OB_MEASURE_MIN:
    case OB_MEASURE_MAX:
        ob_buf_printf(&q->text, "%s(", plain[k->m]);
        put_expr(q, c, k->arg);
        ob_buf_puts(&q->text, ")");
        put_filter(q, c, k, "", NULL, "");
        return;
    case OB_MEASURE_NPS:
        put_nps(q, c, k);
        return;
    case OB_MEASURE_RATE:
        put_rate(q, c, k);
        return;
    case OB_MEASURE_LAST:
        put_last(q, c, k);
        return;
    default:
        put_percentile(q, c, k);
        return;
    }
}

void
ob_warehouse_sql_aggregate(struct ob_warehouse_sql *q,
                           const struct ob_warehouse_context *c,
                           const struct ob_warehouse_kpi *k, size_t n)
{
    size_t i;

    ob_buf_puts(&q->text, "SELECT ");
    put_period(q, c, k[0].grain);
    ob_buf_puts(&q->text, " - DATE '1970-01-01' AS p, ");
    put_group(q, c, k[0].by_col);
    ob_buf_puts(&q->text, " AS g");
    for (i = 0; i < n; i++) {
        ob_buf_puts(&q->text, ",\n  ");
        put_measure(q, c, &k[i]);
        /* the rows a where keeps: a group without any is not the KPI's */
        if (k[i].where && k[i].m != OB_MEASURE_COUNT) {
            ob_buf_puts(&q->text, ", count(*)");
            put_filter(q, c, &k[i], "", NULL, "");
        }
    }
    ob_buf_puts(&q->text, "\nFROM ");
    put_relation(q, c->t->src);
    ob_buf_puts(&q->text, "\nWHERE ");
    put_timed(q, c);
    ob_buf_puts(&q->text, "\nGROUP BY 1, 2 ORDER BY 1, 2");
}

void
ob_warehouse_sql_distinct(struct ob_warehouse_sql *q,
                          const struct ob_warehouse_context *c,
                          const struct ob_warehouse_kpi *k)
{
    struct ob_buf *b = &q->text;

    /* b: the rows the where keeps; d: each value once per period and
     * group; l: the period each value was last seen before */
    ob_buf_puts(b, "WITH b AS (SELECT ");
    put_period(q, c, k->grain);
    ob_buf_puts(b, " AS p, ");
    put_group(q, c, k->by_col);
    ob_buf_puts(b, " AS g, ");
    put_expr(q, c, k->arg);
    ob_buf_puts(b, " AS x\n  FROM ");
    put_relation(q, c->t->src);
    ob_buf_puts(b, "\n  WHERE ");
    put_timed(q, c);
    if (k->where) {
        ob_buf_puts(b, " AND ");
        put_expr(q, c, k->where);
    }
    ob_buf_puts(b, "),\nd AS (SELECT DISTINCT p, g, x FROM b WHERE x IS NOT "
                   "NULL),\n"
                   "l AS (SELECT p, g, lag(p) OVER (PARTITION BY g, x ORDER "
                   "BY p) AS q FROM d),\n"
                   "m AS (SELECT p, g, count(*) AS n, count(*) FILTER (WHERE "
                   "q IS NULL) AS fresh,\n  count(*) FILTER (WHERE q = ");
    put_previous(q, k->grain);
    ob_buf_puts(b, ") AS kept FROM l GROUP BY p, g)\n"
                   "SELECT c.p - DATE '1970-01-01', c.g, coalesce(m.n, 0), "
                   "coalesce(m.fresh, 0), coalesce(m.kept, 0)\n"
                   "FROM (SELECT DISTINCT p, g FROM b) AS c LEFT JOIN m ON "
                   "m.p = c.p AND m.g = c.g\n"
                   "ORDER BY 2, 1");
}

static void
put_check_column(struct ob_warehouse_sql *q, const struct ob_table *t,
                 const char *name)
{
    int col = ob_table_column(t, name);

    if (col < 0) /* reported when the table was opened */
        ob_buf_puts(&q->text, "NULL::text");
    else
        put_column(q, t, col);
}

void
ob_warehouse_sql_stats(struct ob_warehouse_sql *q,
                       const struct ob_warehouse_context *c)
{
    const struct ob_source_checks *ch = &c->t->src->checks;
    struct ob_buf *b = &q->text;
    size_t i;

    ob_buf_puts(b, "SELECT count(*) FILTER (WHERE ");
    put_timed(q, c);
    ob_buf_puts(b, "), count(*) FILTER (WHERE ");
    put_time(q, c);
    ob_buf_puts(b, " IS NULL), count(*),\n  extract(epoch FROM max(");
    put_time(q, c);
    if (time_is_date(c))
        ob_buf_puts(b, "::timestamptz");
    ob_buf_puts(b, ") FILTER (WHERE ");
    put_timed(q, c);
    ob_buf_puts(b, "))::float8");
    /* the checks count over the rows read, as over a CSV's */
    for (i = 0; i < ch->n_not_empty; i++) {
        ob_buf_puts(b, ",\n  count(*) FILTER (WHERE ");
        put_timed(q, c);
        ob_buf_puts(b, " AND ");
        put_check_column(q, c->t, ch->not_empty[i].name);
        ob_buf_puts(b, " IS NULL)");
    }
    for (i = 0; i < ch->n_unique; i++) {
        ob_buf_puts(b, ",\n  count(");
        put_check_column(q, c->t, ch->unique[i].name);
        ob_buf_puts(b, ") FILTER (WHERE ");
        put_timed(q, c);
        ob_buf_puts(b, ") - count(DISTINCT ");
        put_check_column(q, c->t, ch->unique[i].name);
        ob_buf_puts(b, ") FILTER (WHERE ");
        put_timed(q, c);
        ob_buf_puts(b, ")");
    }
    ob_buf_puts(b, "\nFROM ");
    put_relation(q, c->t->src);
}
