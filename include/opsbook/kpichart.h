/* kpichart.h: a KPI's series as a chart: the periods shown, its groups
 * folded to fit, the target in force in each period. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_KPICHART_H
#define OPSBOOK_KPICHART_H

#include <stdbool.h>

#include "opsbook/arena.h"
#include "opsbook/chart.h"
#include "opsbook/kpi.h"

/* At most this many groups get a series of their own; the rest are
 * folded into one "Other" series (counts and sums) or left out with a
 * note in the legend (measures that do not add up across groups). */
#define OB_KPI_CHART_GROUPS 7

struct ob_kpi_chart_opts {
    bool kind_given;         /* false: stacked bars for a `by` KPI that
                              * adds up (count, sum), else a line */
    enum ob_chart_kind kind; /* line, bar, stacked or sparkline */
    int periods;             /* periods shown, up to the latest; 0: the
                              * grain's default (90 days, 52 weeks, 24
                              * months, 12 quarters, 10 years) */
    bool target;             /* draw the target when the KPI has one */
    const char *group;       /* only this group of a `by` KPI; NULL: all */
    /* Annotations: the ones for every chart or naming this KPI become
     * markers on the period holding their date, when it is shown. */
    const struct ob_annotation *notes;
    size_t n_notes;
};

/** The periods a chart of this grain shows when none are asked for. */
int ob_kpi_chart_default_periods(enum ob_grain g);

/** The kind a chart of `kpi` gets when none is asked for: stacked bars
 * for every group (`group` -1) of a `by` KPI that adds up, else a line. */
enum ob_chart_kind ob_kpi_chart_default_kind(const struct ob_kpi *kpi,
                                             int group);

/**
 * Fills `c` with `kpi`'s chart: the last `periods` periods up to the one
 * holding as_of (drawn as in progress when incomplete), never before the
 * first period with data; values as people read them (count-like KPIs
 * show 0 where a period has no rows); x labels in `lang`. Everything `c`
 * points to is allocated in `a`. An unknown `group` gives a chart with
 * no data.
 */
void ob_kpi_chart(struct ob_chart *c, const struct ob_kpi *kpi,
                  const struct ob_kpi_chart_opts *o, enum ob_language lang,
                  struct ob_arena *a);

#endif
