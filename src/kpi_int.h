/* kpi_int.h: what kpi.c (measures over sources) shares with formula.c. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_KPI_INT_H
#define OPSBOOK_KPI_INT_H

#include "opsbook/expr.h"
#include "opsbook/kpi.h"

/* Why a KPI has no results: its source or an operand failed. */
struct kpi_slot {
    struct ob_kpi *kpi;
    bool ready;              /* series computed */
    bool failed;             /* a problem was reported (or an operand failed) */
    double *cum;             /* cumsum per point, made when a formula asks */
    struct ob_expr *formula; /* parsed; NAME nodes: column = KPI index */
    uint8_t visit; /* dependency walk: 0 new, 1 on the stack, 2 done */
};

/** The engine's state while computing one build's KPIs. */
struct kpi_engine {
    const struct ob_kpi_input *in;
    struct ob_arena *a;
    struct ob_diag *d;
    struct ob_kpis *out;
    struct kpi_slot *slots; /* one per KPI, definition order */
};

/** Sorts groups by name and points by (period, group); fills kpi->groups. */
void kpi_settle_series(struct ob_kpi *kpi, struct ob_arena *a,
                       const char *const *names, size_t n_names);

/**
 * Parses and binds every formula, orders them by dependency (cycles are
 * errors) and evaluates them once their operands are ready.
 */
void formula_compute_all(struct kpi_engine *e);

#endif
