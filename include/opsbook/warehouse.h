/* warehouse.h: postgres sources, whose KPIs the warehouse computes (libpq). */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_WAREHOUSE_H
#define OPSBOOK_WAREHOUSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "opsbook/arena.h"
#include "opsbook/buf.h"
#include "opsbook/config.h"
#include "opsbook/diag.h"
#include "opsbook/expr.h"
#include "opsbook/kpi.h"
#include "opsbook/table.h"

/*
 * A postgres source is never read row by row: its KPIs become SQL that
 * groups by period and `by`, so only aggregates cross the network.
 *
 *   ob_warehouse_open()     connects, describes the relation's columns
 *                           into an ob_table (so measures and filters bind
 *                           as over a CSV: unknown columns are errors at
 *                           their character), keeps the connection in it
 *   ob_warehouse_compute()  one query per grain and `by` column for the
 *                           plain measures, one per new/retained/churned
 *                           KPI, plus one for the source's statistics
 *   ob_warehouse_close()    frees the connection
 *
 * Values never enter the SQL text: every literal of a measure or a filter,
 * the zone, the as-of cut-off and the fiscal shift are bound parameters;
 * identifiers are quoted. The session's TimeZone is site.timezone, so a
 * `timestamp` (without time zone) column is local time there, as a CSV
 * datetime without an offset is.
 */

/** Seconds libpq waits for a connection before the server counts as
 * unreachable. */
#define OB_WAREHOUSE_CONNECT_TIMEOUT 10

/** One query and its parameters, as the server receives them. */
struct ob_warehouse_sql {
    struct ob_buf text;
    char **params; /* NUL-terminated texts, $1 first; heap */
    size_t n_params, cap_params;
    /* which parameter holds the zone, the cut-off, the fiscal shift
     * (1-based; 0: not used yet) */
    unsigned p_tz, p_until, p_shift;
};

void ob_warehouse_sql_init(struct ob_warehouse_sql *q);
void ob_warehouse_sql_release(struct ob_warehouse_sql *q);

/** What the SQL of a source depends on besides its KPIs. */
struct ob_warehouse_context {
    const struct ob_table *t; /* columns and time column, as described */
    const char *tz;           /* site.timezone, an IANA name */
    unsigned fiscal_year_start;
    int32_t as_of; /* rows up to the end of this day count */
    int64_t until; /* that end in UTC seconds (exclusive) */
};

/** A measure KPI on a postgres source, bound, and what it gets back. */
struct ob_warehouse_kpi {
    const struct ob_kpi_def *def;
    enum ob_measure m;
    double q;                    /* percentiles */
    const struct ob_expr *arg;   /* bound; NULL for count() */
    const struct ob_expr *where; /* bound; NULL: every row */
    int by_col;                  /* -1: no by */
    enum ob_grain grain;
    /* results, in the arena: points with group indexes into groups */
    struct ob_point *points;
    size_t n_points;
    struct ob_point *fill; /* churned_distinct after a period with rows */
    size_t n_fill;
    const char **groups;
    size_t n_groups;
    bool failed; /* a problem was reported */
};

/**
 * The SQL that computes the plain measures of `k[0..n)`, which share a
 * grain and a `by` column: one row per (period, group) with rows, columns
 * p (days since 1970-01-01), g (the group's text), then each KPI's
 * aggregates in order: ob_warehouse_columns() of them, then, for a KPI
 * with a where (but count(), whose value is that), the rows it keeps.
 */
void ob_warehouse_sql_aggregate(struct ob_warehouse_sql *q,
                                const struct ob_warehouse_context *c,
                                const struct ob_warehouse_kpi *k, size_t n);

/**
 * The SQL for one new/retained/churned_distinct KPI: per (period, group)
 * with rows, ordered by group then period: p, g, the distinct values n,
 * those seen in no earlier period of the group, those also seen in the
 * calendar period before.
 */
void ob_warehouse_sql_distinct(struct ob_warehouse_sql *q,
                               const struct ob_warehouse_context *c,
                               const struct ob_warehouse_kpi *k);

/**
 * The source's statistics: rows up to as_of, rows without a time, all
 * rows, the newest time up to as_of (epoch seconds), then per `not_empty`
 * check the empty cells and per `unique` check the repeats.
 */
void ob_warehouse_sql_stats(struct ob_warehouse_sql *q,
                            const struct ob_warehouse_context *c);

/** How many columns a measure's value takes in ob_warehouse_sql_aggregate()
 * (nps: the value, the scores outside 0-10, one of them). */
size_t ob_warehouse_columns(enum ob_measure m);

/** True for the measures that need ob_warehouse_sql_distinct(). */
bool ob_warehouse_over_periods(enum ob_measure m);

/**
 * Appends `name` as a quoted SQL identifier ("a""b"); a dotted table name
 * (schema.table) is quoted part by part when `dotted`.
 */
void ob_warehouse_quote_ident(struct ob_buf *out, const char *name,
                              bool dotted);

/** Appends a source's query as a subquery, "(SELECT ...)", without the
 * trailing ';' a query written for psql has. */
void ob_warehouse_put_query(struct ob_buf *out, const char *query);

/**
 * Connects to a postgres source (libpq, its DSN; TLS as the DSN's
 * sslmode says), sets statement_timeout, TimeZone and exact float output,
 * and describes the table or query without reading a row: the columns go
 * into `t` (types from the server's: integers, numbers, booleans, dates,
 * timestamps; anything else a string), the connection into t->warehouse.
 * An unreachable server is OB_ERR_ENV; an unknown table, a query the
 * server rejects, a missing or untimed time column are OB_ERR_INPUT, at
 * their place in opsbook.yaml. Strings live in `a`.
 */
enum ob_err ob_warehouse_open(struct ob_table *t, const struct ob_source *src,
                              const char *tz, struct ob_arena *a,
                              struct ob_diag *d);

/** Closes the connection of a table ob_warehouse_open() opened (if any). */
void ob_warehouse_close(struct ob_table *t);

/** What crossed the network for one source (for -v and benchmarks). */
struct ob_warehouse_traffic {
    unsigned queries;
    uint64_t result_rows;
    uint64_t result_bytes; /* the values' bytes (PQgetlength), no framing */
    double seconds;
};

/**
 * Runs the queries of `k[0..n)` (all on t's source) and the statistics
 * query, filling each KPI's results and t's counters (rows, untimed,
 * later, newest, the checks'). A KPI the server cannot compute is an
 * error at its measure (the KPI fails, others go on); a lost connection
 * or a query cancelled by statement_timeout is OB_ERR_ENV. With `log`,
 * prints each query and its parameters there first. Results live in `a`.
 */
enum ob_err ob_warehouse_compute(struct ob_table *t,
                                 const struct ob_warehouse_context *c,
                                 struct ob_warehouse_kpi *k, size_t n,
                                 FILE *log, struct ob_arena *a,
                                 struct ob_diag *d);

/**
 * The first `n` rows (n < 0: all) of t's relation as the server prints
 * them, for `opsbook data`: row() gets each row's cells, NULL for an empty
 * one. Rows come in the server's order (a table has no file order).
 * Returns OB_OK, or OB_ERR_ENV / OB_ERR_INPUT after reporting to `d`.
 */
enum ob_err ob_warehouse_head(struct ob_table *t, long n,
                              void (*row)(void *ctx, const char *const *cells),
                              void *ctx, struct ob_diag *d);

/** The traffic of the queries run on t's connection so far. */
struct ob_warehouse_traffic ob_warehouse_traffic(const struct ob_table *t);

#endif
