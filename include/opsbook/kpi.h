/* kpi.h: KPIs computed from sources and formulas: series, current, status. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_KPI_H
#define OPSBOOK_KPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "opsbook/arena.h"
#include "opsbook/buf.h"
#include "opsbook/config.h"
#include "opsbook/diag.h"
#include "opsbook/numfmt.h"
#include "opsbook/period.h"
#include "opsbook/table.h"
#include "opsbook/tz.h"

enum ob_measure {
    OB_MEASURE_COUNT,
    OB_MEASURE_COUNT_DISTINCT,
    OB_MEASURE_SUM,
    OB_MEASURE_AVG,
    OB_MEASURE_MIN,
    OB_MEASURE_MAX,
    OB_MEASURE_MEDIAN,
    OB_MEASURE_P75,
    OB_MEASURE_P90,
    OB_MEASURE_P95,
    OB_MEASURE_P99,
    OB_MEASURE_NPS,
    OB_MEASURE_RATE,
    OB_MEASURE_LAST,
    OB_MEASURE_NEW_DISTINCT,
    OB_MEASURE_RETAINED_DISTINCT,
    OB_MEASURE_CHURNED_DISTINCT,
    OB_MEASURE_FORMULA
};

enum ob_status {
    OB_STATUS_NONE,
    OB_STATUS_GREEN,
    OB_STATUS_AMBER,
    OB_STATUS_RED
};

/** One row of a series: a period, a group (index into groups) and a value. */
struct ob_point {
    int32_t period; /* first day */
    uint32_t group;
    double value;
};

/** What a KPI says about one group (or the whole KPI without `by`). */
struct ob_kpi_state {
    bool has_current;
    double current; /* the latest complete period's value */
    bool has_previous;
    double previous;
    bool has_delta;
    double delta;
    bool has_delta_rel;
    double delta_rel; /* delta / |previous| */
    bool has_partial;
    double partial; /* the period in progress, so far */
    bool has_target;
    double target; /* in force in the current period */
    enum ob_status status;
};

/** A computed KPI. */
struct ob_kpi {
    const struct ob_kpi_def *def;
    enum ob_measure measure;
    struct ob_calendar cal;
    struct ob_numfmt fmt;
    bool count_like; /* periods without rows read as 0 in tables and charts */
    /* Groups in byte order ("(empty)" for an empty cell); one group ""
     * for a KPI without `by`. */
    const char **groups;
    size_t n_groups;
    struct ob_point *points; /* sorted by period, then group */
    size_t n_points;
    /* Values for periods the series leaves out (no rows) that the measure
     * still defines: churned_distinct after a period with rows is all of
     * that period's values. Shown in tables, never in the series. */
    struct ob_point *fill;
    size_t n_fill;
    int32_t current_period;  /* the latest complete period */
    int32_t previous_period; /* the one before it */
    bool has_partial_period; /* the period holding as_of is not complete */
    int32_t partial_period;
    struct ob_kpi_state *states;  /* one per group */
    const struct ob_table *table; /* the source (NULL for a formula) */
    bool stale; /* the source's newest row is older than its stale_after */
    bool ok;    /* computed: false after a problem in it or an operand */
};

/** Every KPI of a build, in definition order. */
struct ob_kpis {
    struct ob_kpi *kpis;
    size_t n;
};

/** What the engine reads. */
struct ob_kpi_input {
    const struct ob_config *cfg;
    struct ob_table *tables; /* one per cfg->sources entry, opened */
    const bool *table_ok;    /* per source: opened without problems */
    const struct ob_tz *tz;
    int32_t as_of;
    unsigned jobs; /* sources scanned at once (-j); 0 or 1: one at a time */
    FILE *sql_log; /* -v: the SQL of postgres sources is printed here */
};

/**
 * Compiles every KPI (measures, filters, formulas: errors at their exact
 * character), scans each usable source once for all its KPIs (sources no
 * KPI reads are scanned too, for their statistics), evaluates formulas in
 * dependency order and settles current, delta and status. Returns OB_OK,
 * OB_ERR_INPUT (reported to `d`) or OB_ERR_ENV. Results live in `a`.
 */
enum ob_err ob_kpis_compute(struct ob_kpis *k, const struct ob_kpi_input *in,
                            struct ob_arena *a, struct ob_diag *d);

/** The computed KPI with this id, or NULL. */
const struct ob_kpi *ob_kpis_find(const struct ob_kpis *k, const char *id);

/** The value of `kpi` at (period, group), or false when it has none. */
bool ob_kpi_value_at(const struct ob_kpi *kpi, int32_t period, uint32_t group,
                     double *out);

/**
 * The value people read for (period, group): the series' value, else a
 * fill value, else 0 for count-like KPIs; false for "no data".
 */
bool ob_kpi_shown_value(const struct ob_kpi *kpi, int32_t period,
                        uint32_t group, double *out);

/** The target in force in the period starting at `period` for `group`
 * (the step whose `from` is the latest on or before the period's last
 * day), or false when there is none. */
bool ob_kpi_target_at(const struct ob_kpi *kpi, int32_t period, uint32_t group,
                      double *out);

/** The index of the group called `name`, or -1. */
int ob_kpi_group(const struct ob_kpi *kpi, const char *name);

/** "count_distinct", ... */
const char *ob_measure_name(enum ob_measure m);

/** "green", "amber", "red", or "" for none. */
const char *ob_status_name(enum ob_status s);

/** Appends the series as CSV: period,group,value (OUT/kpis/ID.csv). */
void ob_kpi_write_csv(const struct ob_kpi *kpi, struct ob_buf *out);

#endif
