/* kpiout.h: `opsbook kpi` output: a readable table, CSV and JSON. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_KPIOUT_H
#define OPSBOOK_KPIOUT_H

#include <stdbool.h>

#include "opsbook/buf.h"
#include "opsbook/kpi.h"

/** Which KPIs to print: `selected[i]` for kpis->kpis[i], or NULL for all. */
struct ob_kpiout {
    const struct ob_kpis *kpis;
    const bool *selected;
    int32_t as_of;
};

/**
 * One line per KPI (per group for `by` KPIs): id, the current period's
 * label, value, change against the previous period, target and status,
 * every number formatted as the KPI says.
 */
void ob_kpiout_table(const struct ob_kpiout *o, struct ob_buf *out);

/** One table `kpi,period,group,value`: every series, KPI after KPI. */
void ob_kpiout_csv(const struct ob_kpiout *o, struct ob_buf *out);

/** A JSON array with an object per KPI; the shape is in the README. */
void ob_kpiout_json(const struct ob_kpiout *o, struct ob_buf *out);

#endif
