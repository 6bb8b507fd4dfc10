/* warehouse.c: postgres sources through libpq: connect, describe, compute. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/warehouse.h"

#include <libpq-fe.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "opsbook/intern.h"
#include "opsbook/lazylib.h"
#include "opsbook/mem.h"
#include "opsbook/period.h"
#include "opsbook/text.h"

/* Server type oids (pg_type.h): what a column reads as. */
#define OID_BOOL        16
#define OID_INT8        20
#define OID_INT2        21
#define OID_INT4        23
#define OID_FLOAT4      700
#define OID_FLOAT8      701
#define OID_NUMERIC     1700
#define OID_DATE        1082
#define OID_TIMESTAMP   1114
#define OID_TIMESTAMPTZ 1184

#define EMPTY_GROUP               "(empty)"
#define DEFAULT_STATEMENT_TIMEOUT 60 /* seconds, as the SPEC says */

struct ob_warehouse {
    PGconn *conn;
    struct ob_warehouse_traffic traffic;
};

/* ---- errors ----------------------------------------------------------- */

/* The first line of libpq's message, without its trailing newline. */
static void
first_line(const char *msg, char *out, size_t size)
{
    size_t len = strcspn(msg ? msg : "", "\n");

    if (len >= size)
        len = size - 1;
    memcpy(out, msg ? msg : "", len);
    out[len] = '\0';
    if (!out[0])
        snprintf(out, size, "unknown error");
}

/* The server's own words for a failed result: its primary message (no
 * "ERROR:" prefix), else libpq's. */
static void
result_message(const PGresult *r, PGconn *conn, char *out, size_t size)
{
    const char *primary =
        r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;

    if (primary)
        first_line(primary, out, size);
    else
        first_line(r ? PQresultErrorMessage(r) : PQerrorMessage(conn), out,
                   size);
}

/* ---- opening ---------------------------------------------------------- */

static enum ob_column_type
column_type(Oid oid)
{
    switch (oid) {
    case OID_BOOL:
        return OB_COL_BOOLEAN;
    case OID_INT2:
    case OID_INT4:
    case OID_INT8:
        return OB_COL_INTEGER;
    case OID_FLOAT4:
    case OID_FLOAT8:
    case OID_NUMERIC:
        return OB_COL_NUMBER;
    case OID_DATE:
        return OB_COL_DATE;
    case OID_TIMESTAMP:
    case OID_TIMESTAMPTZ:
        return OB_COL_DATETIME;
    default:
        return OB_COL_STRING;
    }
}

/* The session: queries bounded by statement_timeout, dates in the site's
 * zone, floats printed exactly (so strtod() reads back the server's
 * double). */
static bool
set_session(PGconn *conn, const struct ob_source *src, const char *tz,
            struct ob_diag *d)
{
    char ms[32];
    const char *params[2];
    PGresult *r;
    bool ok;
    int64_t secs = src->statement_timeout ? src->statement_timeout
                                          : DEFAULT_STATEMENT_TIMEOUT;

    snprintf(ms, sizeof ms, "%lld", (long long)secs * 1000);
    params[0] = ms;
    params[1] = tz;
    r = PQexecParams(conn,
                     "SELECT set_config('statement_timeout', $1, false), "
                     "set_config('TimeZone', $2, false), "
                     "set_config('extra_float_digits', '3', false)",
                     2, NULL, params, NULL, NULL, 0);
    ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok) {
        char msg[256];
        result_message(r, conn, msg, sizeof msg);
        ob_diag_error(d, &src->dsn_pos,
                      "source '%s': the warehouse refuses the session "
                      "settings (time zone '%s'): %s",
                      src->name, tz, msg);
    }
    PQclear(r);
    return ok;
}

/* The relation's columns, from a query that reads no row. */
static enum ob_err
describe(struct ob_table *t, PGconn *conn, struct ob_arena *a,
         struct ob_diag *d)
{
    const struct ob_source *src = t->src;
    struct ob_warehouse_sql q;
    PGresult *r;
    enum ob_err err = OB_OK;
    int i;

    ob_warehouse_sql_init(&q);
    ob_buf_puts(&q.text, "SELECT * FROM ");
    if (src->table) {
        ob_warehouse_quote_ident(&q.text, src->table, true);
    } else {
        ob_warehouse_put_query(&q.text, src->query);
    }
    ob_buf_puts(&q.text, " AS s LIMIT 0");
    r = PQexec(conn, q.text.ptr);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        char msg[256];

        result_message(r, conn, msg, sizeof msg);
        if (PQstatus(conn) == CONNECTION_BAD) {
            ob_diag_error(d, &src->dsn_pos,
                          "source '%s': lost the warehouse connection: %s",
                          src->name, msg);
            err = OB_ERR_ENV;
        } else if (src->table && state && strcmp(state, "42P01") == 0) {
            ob_diag_error(d, &src->relation_pos,
                          "source '%s': no table '%s' in the warehouse",
                          src->name, src->table);
            err = OB_ERR_INPUT;
        } else {
            ob_diag_error(d, &src->relation_pos,
                          "source '%s': the warehouse rejects the %s: %s",
                          src->name, src->table ? "table" : "query", msg);
            err = OB_ERR_INPUT;
        }
        goto done;
    }
    t->n_columns = (size_t)PQnfields(r);
    t->columns = ob_arena_calloc(a, t->n_columns + 1, sizeof(*t->columns));
    for (i = 0; i < PQnfields(r); i++) {
        t->columns[i].name = ob_arena_strdup(a, PQfname(r, i));
        t->columns[i].type = column_type(PQftype(r, i));
        t->columns[i].pos = src->relation_pos;
    }
done:
    PQclear(r);
    ob_warehouse_sql_release(&q);
    return err;
}

/* The time column and the checks' columns must exist, and the time
 * column hold dates or timestamps. */
static bool
check_columns(struct ob_table *t, struct ob_diag *d)
{
    const struct ob_source *src = t->src;
    size_t errors = d->errors;

    if (ob_table_check_names(t, d) && t->time_column >= 0 &&
        t->columns[t->time_column].type != OB_COL_DATE &&
        t->columns[t->time_column].type != OB_COL_DATETIME)
        ob_diag_error(d, &src->time.pos,
                      "the time column '%s' holds %s values in the "
                      "warehouse, not dates or timestamps",
                      src->time.name,
                      ob_column_type_name(t->columns[t->time_column].type));
    return d->errors == errors;
}

enum ob_err
ob_warehouse_open(struct ob_table *t, const struct ob_source *src,
                  const char *tz, struct ob_arena *a, struct ob_diag *d)
{
    /* the DSN's own settings win over these defaults (it comes last) */
    static const char *const keys[] = {"connect_timeout", "application_name",
                                       "dbname", NULL};
    const char *values[4] = {NULL, "opsbook", src->dsn, NULL};
    char timeout[16], msg[256];
    PGconn *conn;
    enum ob_err err;

    memset(t, 0, sizeof(*t));
    t->src = src;
    t->time_column = -1;
    t->until = INT64_MAX;
    snprintf(timeout, sizeof timeout, "%d", OB_WAREHOUSE_CONNECT_TIMEOUT);
    values[0] = timeout;
    if (ob_pq_require(d))
        return OB_ERR_ENV;
    conn = PQconnectdbParams(keys, values, 1);
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
        /* the message names the host, never the DSN (it may hold a
         * password) */
        first_line(conn ? PQerrorMessage(conn) : "out of memory", msg,
                   sizeof msg);
        ob_diag_error(d, &src->dsn_pos,
                      "source '%s': cannot reach the warehouse: %s", src->name,
                      msg);
        PQfinish(conn);
        return OB_ERR_ENV;
    }
    t->warehouse = ob_xcalloc(1, sizeof(*t->warehouse));
    t->warehouse->conn = conn;
    if (!set_session(conn, src, tz, d))
        return OB_ERR_INPUT;
    err = describe(t, conn, a, d);
    if (err)
        return err;
    t->empty =
        ob_arena_calloc(a, src->checks.n_not_empty + 1, sizeof(*t->empty));
    t->duplicates =
        ob_arena_calloc(a, src->checks.n_unique + 1, sizeof(*t->duplicates));
    return check_columns(t, d) ? OB_OK : OB_ERR_INPUT;
}

void
ob_warehouse_close(struct ob_table *t)
{
    if (!t || !t->warehouse)
        return;
    PQfinish(t->warehouse->conn);
    free(t->warehouse);
    t->warehouse = NULL;
}

struct ob_warehouse_traffic
ob_warehouse_traffic(const struct ob_table *t)
{
    struct ob_warehouse_traffic none = {0, 0, 0, 0};

    return t && t->warehouse ? t->warehouse->traffic : none;
}

/* Binds a text as the next parameter of q; returns its number. */
static unsigned
bind_limit(struct ob_warehouse_sql *q, const char *text)
{
    OB_GROW(q->params, q->n_params + 1, q->cap_params);
    q->params[q->n_params++] = ob_xstrdup(text);
    return (unsigned)q->n_params;
}

/* ---- running queries --------------------------------------------------- */

static double
now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* -v: the query and its parameters, for a data team to review. */
static void
log_query(FILE *log, const struct ob_source *src,
          const struct ob_warehouse_sql *q)
{
    size_t i;

    if (!log)
        return;
    fprintf(log, "-- source '%s'\n%s;\n", src->name, q->text.ptr);
    for (i = 0; i < q->n_params; i++)
        fprintf(log, "--   $%zu = '%s'\n", i + 1, q->params[i]);
}

/* How a failed query went: the environment (connection, timeout) or the
 * query itself. */
static enum ob_err
query_failed(struct ob_warehouse *w, const struct ob_source *src, PGresult *r,
             const struct ob_pos *pos, const char *what, struct ob_diag *d)
{
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    char msg[256];

    result_message(r, w->conn, msg, sizeof msg);
    if (PQstatus(w->conn) == CONNECTION_BAD) {
        ob_diag_error(d, &src->dsn_pos,
                      "source '%s': lost the warehouse connection: %s",
                      src->name, msg);
        return OB_ERR_ENV;
    }
    if (state && strcmp(state, "57014") == 0) {
        ob_diag_error(d, &src->pos,
                      "source '%s': the warehouse cancelled a query that "
                      "ran past statement_timeout (%llds): %s",
                      src->name,
                      (long long)(src->statement_timeout
                                      ? src->statement_timeout
                                      : DEFAULT_STATEMENT_TIMEOUT),
                      msg);
        return OB_ERR_ENV;
    }
    ob_diag_error(d, pos, "%s: the warehouse cannot compute it: %s", what, msg);
    return OB_ERR_INPUT;
}

/* Runs a query; NULL after a failure (reported, *err set). */
static PGresult *
run(struct ob_warehouse *w, const struct ob_source *src,
    const struct ob_warehouse_sql *q, const struct ob_pos *pos,
    const char *what, FILE *log, struct ob_diag *d, enum ob_err *err)
{
    double start = now_seconds();
    PGresult *r;
    int i, j;

    log_query(log, src, q);
    r = PQexecParams(w->conn, q->text.ptr, (int)q->n_params, NULL,
                     (const char *const *)q->params, NULL, NULL, 0);
    w->traffic.queries++;
    w->traffic.seconds += now_seconds() - start;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        *err = query_failed(w, src, r, pos, what, d);
        PQclear(r);
        return NULL;
    }
    w->traffic.result_rows += (uint64_t)PQntuples(r);
    for (i = 0; i < PQntuples(r); i++)
        for (j = 0; j < PQnfields(r); j++)
            w->traffic.result_bytes += (uint64_t)PQgetlength(r, i, j);
    return r;
}

/* A number the server printed, or false for NULL (no value). */
static bool
number_at(const PGresult *r, int row, int col, double *out)
{
    char *end;

    if (PQgetisnull(r, row, col))
        return false;
    *out = strtod(PQgetvalue(r, row, col), &end);
    return isfinite(*out);
}

/* ---- results into series -------------------------------------------- */

/* Groups of one KPI as they come; settled into k->groups at the end. */
static uint32_t
group_id(const struct ob_warehouse_kpi *k, struct ob_intern *in,
         const PGresult *r, int row)
{
    if (k->by_col < 0)
        return 0;
    return ob_intern_add(in, PQgetvalue(r, row, 1),
                         (size_t)PQgetlength(r, row, 1));
}

static void
settle_groups(struct ob_warehouse_kpi *k, const struct ob_intern *in,
              struct ob_arena *a)
{
    size_t i, n = k->by_col < 0 ? 1 : in->n;

    k->groups = ob_arena_calloc(a, n + 1, sizeof(*k->groups));
    k->n_groups = n;
    if (k->by_col < 0) {
        k->groups[0] = "";
        return;
    }
    for (i = 0; i < n; i++) {
        size_t len;
        const char *s = ob_intern_get(in, (uint32_t)i, &len);
        k->groups[i] = ob_arena_strndup(a, s, len);
    }
}

static void
add_point(struct ob_point *to, size_t *n, int32_t period, uint32_t group,
          double value)
{
    to[*n].period = period;
    to[*n].group = group;
    to[*n].value = value;
    (*n)++;
}

/* One KPI's columns of one result row, from column `col` on. */
static void
take_row(struct ob_warehouse_kpi *k, const PGresult *r, int row, int col,
         struct ob_intern *groups, uint64_t *bad, double *bad_value)
{
    int32_t period = (int32_t)strtol(PQgetvalue(r, row, 0), NULL, 10);
    size_t width = ob_warehouse_columns(k->m);
    double v, rows = 1;

    /* with a where, the last column counts the rows it keeps: a group
     * with none is not the KPI's */
    if (k->where && k->m != OB_MEASURE_COUNT &&
        (!number_at(r, row, col + (int)width, &rows) || rows == 0))
        return;
    if (k->m == OB_MEASURE_COUNT &&
        (!number_at(r, row, col, &rows) || rows == 0))
        return;
    if (k->m == OB_MEASURE_NPS && number_at(r, row, col + 1, &v) && v > 0) {
        if (!*bad)
            number_at(r, row, col + 2, bad_value);
        *bad += (uint64_t)v;
    }
    {
        uint32_t g = group_id(k, groups, r, row);
        if (number_at(r, row, col, &v))
            add_point(k->points, &k->n_points, period, g, v);
    }
}

/* The measure's columns in the aggregate query, rows-kept column
 * included. */
static size_t
width_of(const struct ob_warehouse_kpi *k)
{
    return ob_warehouse_columns(k->m) +
           (k->where && k->m != OB_MEASURE_COUNT ? 1 : 0);
}

static void
take_aggregate(struct ob_warehouse_kpi **k, size_t n, const PGresult *r,
               struct ob_arena *a, struct ob_diag *d)
{
    int rows = PQntuples(r), col = 2;
    size_t i;
    int row;

    for (i = 0; i < n; i++) {
        struct ob_intern groups;
        uint64_t bad = 0;
        double bad_value = 0;

        ob_intern_init(&groups);
        k[i]->points =
            ob_arena_calloc(a, (size_t)rows + 1, sizeof(*k[i]->points));
        for (row = 0; row < rows; row++)
            take_row(k[i], r, row, col, &groups, &bad, &bad_value);
        settle_groups(k[i], &groups, a);
        ob_intern_release(&groups);
        col += (int)width_of(k[i]);
        if (bad) {
            struct ob_pos pos = ob_expr_pos(&k[i]->def->measure,
                                            k[i]->arg ? k[i]->arg->offset : 0);
            ob_diag_error(d, &pos,
                          "KPI '%s': nps() needs scores from 0 to 10, got "
                          "%g%s",
                          k[i]->def->id, bad_value,
                          bad > 1 ? " (and in other rows)" : "");
            k[i]->failed = true;
        }
    }
}

/* new/retained/churned, from each cell's distinct values (n), those new
 * to the group (fresh) and those also in the period before (kept); rows
 * come by group, then period. As kpi.c does over its sets. */
static void
take_distinct(struct ob_warehouse_kpi *k, const struct ob_warehouse_context *c,
              const PGresult *r, struct ob_arena *a)
{
    struct ob_calendar cal = {k->grain, c->fiscal_year_start};
    struct ob_intern groups;
    int rows = PQntuples(r), i;
    uint32_t prev_g = UINT32_MAX;
    int32_t prev_p = 0;
    double prev_n = 0;

    ob_intern_init(&groups);
    k->points = ob_arena_calloc(a, (size_t)rows + 1, sizeof(*k->points));
    k->fill = ob_arena_calloc(a, (size_t)rows + 1, sizeof(*k->fill));
    for (i = 0; i < rows; i++) {
        int32_t p = (int32_t)strtol(PQgetvalue(r, i, 0), NULL, 10);
        uint32_t g = group_id(k, &groups, r, i);
        double n = 0, fresh = 0, kept = 0, v;
        bool has_prev = g == prev_g && prev_p == ob_period_add(&cal, p, -1);

        number_at(r, i, 2, &n);
        number_at(r, i, 3, &fresh);
        number_at(r, i, 4, &kept);
        if (k->m == OB_MEASURE_NEW_DISTINCT)
            v = fresh;
        else if (k->m == OB_MEASURE_RETAINED_DISTINCT)
            v = has_prev ? kept : 0;
        else
            v = has_prev ? prev_n - kept : 0;
        add_point(k->points, &k->n_points, p, g, v);
        /* a period without rows after one with rows: all of it churned */
        if (k->m == OB_MEASURE_CHURNED_DISTINCT) {
            bool next_follows = i + 1 < rows &&
                                group_id(k, &groups, r, i + 1) == g &&
                                strtol(PQgetvalue(r, i + 1, 0), NULL, 10) ==
                                    ob_period_add(&cal, p, 1);
            if (!next_follows)
                add_point(k->fill, &k->n_fill, ob_period_add(&cal, p, 1), g, n);
        }
        prev_g = g;
        prev_p = p;
        prev_n = n;
    }
    settle_groups(k, &groups, a);
    ob_intern_release(&groups);
}

/* ---- the source's queries -------------------------------------------- */

static enum ob_err run_group(struct ob_table *t,
                             const struct ob_warehouse_context *c,
                             struct ob_warehouse_kpi **k, size_t n, FILE *log,
                             struct ob_arena *a, struct ob_diag *d);

/* The plain measures of one grain and `by`: one query. When the server
 * rejects it, each KPI is asked alone so the error lands on its own. */
static enum ob_err
run_group(struct ob_table *t, const struct ob_warehouse_context *c,
          struct ob_warehouse_kpi **k, size_t n, FILE *log, struct ob_arena *a,
          struct ob_diag *d)
{
    struct ob_warehouse_sql q;
    struct ob_warehouse_kpi *flat = ob_xcalloc(n + 1, sizeof(*flat));
    struct ob_pos pos = ob_expr_pos(&k[0]->def->measure, 0);
    struct ob_diag quiet;
    enum ob_err err = OB_OK, e;
    char what[160];
    PGresult *r;
    size_t i;

    for (i = 0; i < n; i++)
        flat[i] = *k[i];
    ob_warehouse_sql_init(&q);
    ob_warehouse_sql_aggregate(&q, c, flat, n);
    free(flat);
    snprintf(what, sizeof what, "KPI '%s'", k[0]->def->id);
    /* several KPIs: a rejection is reported per KPI by the retries */
    ob_diag_init(&quiet, 1);
    r = run(t->warehouse, t->src, &q, &pos, what, log, n > 1 ? &quiet : d,
            &err);
    ob_warehouse_sql_release(&q);
    if (r) {
        take_aggregate(k, n, r, a, d);
        PQclear(r);
    } else if (err == OB_ERR_ENV && n > 1) {
        ob_diag_absorb(d, &quiet);
    } else if (n > 1) {
        err = OB_OK;
        for (i = 0; i < n; i++) {
            e = run_group(t, c, &k[i], 1, log, a, d);
            if (e == OB_ERR_ENV)
                err = e;
            if (e == OB_ERR_ENV)
                break;
        }
    } else {
        k[0]->failed = true;
    }
    ob_diag_release(&quiet);
    return err == OB_ERR_ENV ? err : OB_OK;
}

static enum ob_err
run_distinct(struct ob_table *t, const struct ob_warehouse_context *c,
             struct ob_warehouse_kpi *k, FILE *log, struct ob_arena *a,
             struct ob_diag *d)
{
    struct ob_warehouse_sql q;
    struct ob_pos pos = ob_expr_pos(&k->def->measure, 0);
    enum ob_err err = OB_OK;
    char what[160];
    PGresult *r;

    ob_warehouse_sql_init(&q);
    ob_warehouse_sql_distinct(&q, c, k);
    snprintf(what, sizeof what, "KPI '%s'", k->def->id);
    r = run(t->warehouse, t->src, &q, &pos, what, log, d, &err);
    ob_warehouse_sql_release(&q);
    if (!r) {
        k->failed = true;
        return err == OB_ERR_ENV ? err : OB_OK;
    }
    take_distinct(k, c, r, a);
    PQclear(r);
    return OB_OK;
}

static enum ob_err
run_stats(struct ob_table *t, const struct ob_warehouse_context *c, FILE *log,
          struct ob_diag *d)
{
    const struct ob_source_checks *ch = &t->src->checks;
    struct ob_warehouse_sql q;
    enum ob_err err = OB_OK;
    double v, total = 0, untimed = 0;
    PGresult *r;
    size_t i;
    char what[160];

    ob_warehouse_sql_init(&q);
    ob_warehouse_sql_stats(&q, c);
    snprintf(what, sizeof what, "source '%s'", t->src->name);
    r = run(t->warehouse, t->src, &q, &t->src->pos, what, log, d, &err);
    ob_warehouse_sql_release(&q);
    if (!r)
        return err;
    t->untimed = number_at(r, 0, 1, &untimed) ? (uint64_t)untimed : 0;
    number_at(r, 0, 2, &total);
    /* as a CSV's: rows read count those without a time, not later ones */
    t->rows = (number_at(r, 0, 0, &v) ? (uint64_t)v : 0) + t->untimed;
    t->later = (uint64_t)total - t->rows;
    t->has_newest = number_at(r, 0, 3, &v);
    t->newest = t->has_newest ? (int64_t)floor(v) : 0;
    for (i = 0; i < ch->n_not_empty; i++)
        t->empty[i] = number_at(r, 0, 4 + (int)i, &v) ? (uint64_t)v : 0;
    for (i = 0; i < ch->n_unique; i++)
        t->duplicates[i] = number_at(r, 0, 4 + (int)(ch->n_not_empty + i), &v)
                               ? (uint64_t)v
                               : 0;
    PQclear(r);
    return OB_OK;
}

enum ob_err
ob_warehouse_compute(struct ob_table *t, const struct ob_warehouse_context *c,
                     struct ob_warehouse_kpi *k, size_t n, FILE *log,
                     struct ob_arena *a, struct ob_diag *d)
{
    struct ob_warehouse_kpi **group = ob_xcalloc(n + 1, sizeof(*group));
    bool *done = ob_xcalloc(n + 1, sizeof(*done));
    enum ob_err err = OB_OK;
    size_t i, j, m;

    /* without a time column nothing is placed in periods: its KPIs were
     * reported by the engine; the source alone is no problem */
    if (!t->warehouse || t->time_column < 0) {
        free(group);
        free(done);
        return !t->warehouse || n ? OB_ERR_INPUT : OB_OK;
    }
    /* one query per grain and `by` for the plain measures */
    for (i = 0; i < n && !err; i++) {
        if (done[i] || ob_warehouse_over_periods(k[i].m))
            continue;
        for (m = 0, j = i; j < n; j++) {
            if (done[j] || ob_warehouse_over_periods(k[j].m) ||
                k[j].grain != k[i].grain || k[j].by_col != k[i].by_col)
                continue;
            group[m++] = &k[j];
            done[j] = true;
        }
        err = run_group(t, c, group, m, log, a, d);
    }
    for (i = 0; i < n && !err; i++)
        if (ob_warehouse_over_periods(k[i].m))
            err = run_distinct(t, c, &k[i], log, a, d);
    if (!err)
        err = run_stats(t, c, log, d);
    free(group);
    free(done);
    return err;
}

enum ob_err
ob_warehouse_head(struct ob_table *t, long n,
                  void (*row)(void *ctx, const char *const *cells), void *ctx,
                  struct ob_diag *d)
{
    struct ob_warehouse_sql q;
    enum ob_err err = OB_OK;
    const char **cells;
    char what[160], limit[32];
    PGresult *r;
    int i, j;

    if (!t->warehouse)
        return OB_ERR_INPUT;
    ob_warehouse_sql_init(&q);
    ob_buf_puts(&q.text, "SELECT * FROM ");
    if (t->src->table) {
        ob_warehouse_quote_ident(&q.text, t->src->table, true);
    } else {
        ob_warehouse_put_query(&q.text, t->src->query);
    }
    if (n >= 0) {
        snprintf(limit, sizeof limit, "%ld", n);
        ob_buf_printf(&q.text, " AS s LIMIT $%u::bigint",
                      bind_limit(&q, limit));
    } else {
        ob_buf_puts(&q.text, " AS s");
    }
    snprintf(what, sizeof what, "source '%s'", t->src->name);
    r = run(t->warehouse, t->src, &q, &t->src->relation_pos, what, NULL, d,
            &err);
    ob_warehouse_sql_release(&q);
    if (!r)
        return err;
    cells = ob_xcalloc((size_t)PQnfields(r) + 1, sizeof(*cells));
    for (i = 0; i < PQntuples(r); i++) {
        for (j = 0; j < PQnfields(r); j++)
            cells[j] = PQgetisnull(r, i, j) ? NULL : PQgetvalue(r, i, j);
        row(ctx, cells);
    }
    free(cells);
    PQclear(r);
    return OB_OK;
}
