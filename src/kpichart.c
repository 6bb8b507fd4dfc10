/* kpichart.c: a KPI's series as a chart. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/kpichart.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/buf.h"
#include "opsbook/mem.h"
#include "opsbook/numfmt.h"
#include "opsbook/period.h"

int
ob_kpi_chart_default_periods(enum ob_grain g)
{
    switch (g) {
    case OB_GRAIN_DAY:
        return 90;
    case OB_GRAIN_WEEK:
        return 52;
    case OB_GRAIN_MONTH:
        return 24;
    case OB_GRAIN_QUARTER:
        return 12;
    default:
        return 10;
    }
}

/* Counts and sums add up across groups, so the groups left out can be
 * shown as one "Other" series; other measures cannot. */
static bool
adds_up(const struct ob_kpi *kpi)
{
    return kpi->measure == OB_MEASURE_COUNT || kpi->measure == OB_MEASURE_SUM;
}

/* The periods shown: the last `want` up to the latest, from the first
 * with data on. Sets *first and returns how many. */
static size_t
window(const struct ob_kpi *kpi, int want, int32_t *first)
{
    int32_t last =
        kpi->has_partial_period ? kpi->partial_period : kpi->current_period;
    int32_t from = ob_period_add(&kpi->cal, last, -(want - 1));
    int32_t n;

    if (!kpi->n_points || kpi->points[0].period > last)
        return 0;
    if (kpi->points[0].period > from)
        from = kpi->points[0].period;
    n = ob_period_diff(&kpi->cal, from, last) + 1;
    *first = from;
    return n > 0 ? (size_t)n : 0;
}

enum ob_chart_kind
ob_kpi_chart_default_kind(const struct ob_kpi *kpi, int group)
{
    return group < 0 && kpi->n_groups != 1 && adds_up(kpi) ? OB_CHART_STACKED
                                                           : OB_CHART_LINE;
}

static double *
group_values(const struct ob_kpi *kpi, uint32_t g, const int32_t *periods,
             size_t n, struct ob_arena *a)
{
    double *v = ob_arena_alloc(a, (n ? n : 1) * sizeof *v);
    size_t i;

    for (i = 0; i < n; i++)
        if (!ob_kpi_shown_value(kpi, periods[i], g, &v[i]))
            v[i] = NAN;
    return v;
}

struct ranked {
    uint32_t group;
    double weight; /* the sum of |value| over the periods shown */
};

static int
by_weight(const void *pa, const void *pb)
{
    const struct ranked *a = pa, *b = pb;

    if (a->weight != b->weight)
        return a->weight > b->weight ? -1 : 1;
    return a->group < b->group ? -1 : a->group > b->group;
}

/* The groups by weight, heaviest first; ties in group order. */
static struct ranked *
rank_groups(const struct ob_kpi *kpi, const int32_t *periods, size_t n)
{
    struct ranked *r = ob_xcalloc(kpi->n_groups, sizeof *r);
    size_t i;
    uint32_t g;

    for (g = 0; g < kpi->n_groups; g++) {
        r[g].group = g;
        for (i = 0; i < n; i++) {
            double v;

            if (ob_kpi_shown_value(kpi, periods[i], g, &v) && isfinite(v))
                r[g].weight += fabs(v);
        }
    }
    ob_qsort(r, kpi->n_groups, sizeof *r, by_weight);
    return r;
}

/* Adds `v` into the "Other" sum; no value stays no value. */
static void
fold(double *other, const double *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (isfinite(v[i]))
            other[i] = isfinite(other[i]) ? other[i] + v[i] : v[i];
}

static void
all_groups(struct ob_chart *c, const struct ob_kpi *kpi, const int32_t *periods,
           enum ob_language lang, struct ob_arena *a)
{
    struct ob_chart_series *s;
    struct ranked *r = rank_groups(kpi, periods, c->n);
    size_t shown = kpi->n_groups, i, k;
    double *other = NULL;

    if (shown > OB_KPI_CHART_GROUPS + 1)
        shown = OB_KPI_CHART_GROUPS;
    s = ob_arena_calloc(a, shown + 1, sizeof *s);
    for (k = 0; k < shown; k++) {
        s[k].name = kpi->groups[r[k].group];
        s[k].values = group_values(kpi, r[k].group, periods, c->n, a);
    }
    c->series = s;
    c->n_series = shown;
    if (shown < kpi->n_groups && adds_up(kpi)) {
        other = ob_arena_alloc(a, (c->n ? c->n : 1) * sizeof *other);
        for (i = 0; i < c->n; i++)
            other[i] = NAN;
        for (k = shown; k < kpi->n_groups; k++)
            fold(other, group_values(kpi, r[k].group, periods, c->n, a), c->n);
        s[shown].name = lang == OB_LANG_FR ? "Autres" : "Other";
        s[shown].values = other;
        c->n_series++;
        c->other_last = true;
    } else if (shown < kpi->n_groups) {
        c->more = ob_arena_printf(
            a, lang == OB_LANG_FR ? "+%zu autres groupes" : "+%zu more groups",
            kpi->n_groups - shown);
    }
    free(r);
}

static void
one_group(struct ob_chart *c, const struct ob_kpi *kpi, int g,
          const int32_t *periods, struct ob_arena *a)
{
    struct ob_chart_series *s = ob_arena_calloc(a, 1, sizeof *s);
    size_t i;

    s->name = g >= 0 ? kpi->groups[g] : "";
    if (g >= 0) {
        s->values = group_values(kpi, (uint32_t)g, periods, c->n, a);
    } else {
        double *v = ob_arena_alloc(a, (c->n ? c->n : 1) * sizeof *v);

        for (i = 0; i < c->n; i++)
            v[i] = NAN;
        s->values = v;
    }
    c->series = s;
    c->n_series = 1;
}

/* The target per period for group `g`, or NULL when none is in force in
 * any period shown. */
static const double *
target_series(const struct ob_kpi *kpi, uint32_t g, const int32_t *periods,
              size_t n, struct ob_arena *a)
{
    double *t = ob_arena_alloc(a, (n ? n : 1) * sizeof *t);
    bool any = false;
    size_t i;

    for (i = 0; i < n; i++) {
        if (ob_kpi_target_at(kpi, periods[i], g, &t[i]))
            any = true;
        else
            t[i] = NAN;
    }
    return any ? t : NULL;
}

/* One target line makes sense for one series, or for every group alike
 * when the target is the same for all (a number, or steps over time);
 * never over stacked totals. A target per group ({GROUP: number}) is
 * drawn on a chart of that group (`group: G`; the KPI's page makes one
 * per group with a target). */
static void
add_target(struct ob_chart *c, const struct ob_kpi *kpi, int g,
           const int32_t *periods, struct ob_arena *a)
{
    if (c->kind == OB_CHART_STACKED && c->n_series > 1)
        return;
    if (g < 0 && kpi->n_groups > 1 &&
        kpi->def->target.kind == OB_TARGET_BY_GROUP)
        return;
    c->target = target_series(kpi, g >= 0 ? (uint32_t)g : 0, periods, c->n, a);
}

static bool
note_is_for(const struct ob_annotation *note, const char *kpi_id)
{
    size_t i;

    if (!note->n_kpis)
        return true;
    for (i = 0; i < note->n_kpis; i++)
        if (strcmp(note->kpis[i].name, kpi_id) == 0)
            return true;
    return false;
}

/* The notes for this KPI in the periods shown, in period order; notes of
 * one period keep their file order (the insertion sort is stable). */
static void
add_markers(struct ob_chart *c, const struct ob_kpi *kpi, int32_t first,
            const struct ob_kpi_chart_opts *o, struct ob_arena *a)
{
    struct ob_chart_marker *m;
    size_t i, n = 0;

    if (!o->n_notes || !c->n)
        return;
    m = ob_arena_calloc(a, o->n_notes, sizeof *m);
    for (i = 0; i < o->n_notes; i++) {
        int32_t p = ob_period_start(&kpi->cal, o->notes[i].date);
        int32_t x = ob_period_diff(&kpi->cal, first, p);

        if (!note_is_for(&o->notes[i], kpi->def->id) || x < 0 ||
            (size_t)x >= c->n)
            continue;
        m[n].x = (size_t)x;
        m[n].label = o->notes[i].label;
        n++;
    }
    for (i = 1; i < n; i++) {
        struct ob_chart_marker t = m[i];
        size_t j = i;

        for (; j > 0 && m[j - 1].x > t.x; j--)
            m[j] = m[j - 1];
        m[j] = t;
    }
    c->markers = m;
    c->n_markers = n;
}

void
ob_kpi_chart(struct ob_chart *c, const struct ob_kpi *kpi,
             const struct ob_kpi_chart_opts *o, enum ob_language lang,
             struct ob_arena *a)
{
    int want = o->periods > 0 ? o->periods
                              : ob_kpi_chart_default_periods(kpi->cal.grain);
    int32_t first = 0, *periods;
    const char **labels;
    struct ob_buf label = OB_BUF_INIT;
    size_t i;
    int g = -1;

    memset(c, 0, sizeof *c);
    c->title = kpi->def->title ? kpi->def->title : kpi->def->id;
    c->subject = c->title;
    c->fmt = kpi->fmt;
    c->fmt.language = lang;
    c->n = window(kpi, want, &first);
    periods = ob_arena_alloc(a, (c->n ? c->n : 1) * sizeof *periods);
    labels = ob_arena_alloc(a, (c->n ? c->n : 1) * sizeof *labels);
    for (i = 0; i < c->n; i++) {
        periods[i] = ob_period_add(&kpi->cal, first, (int32_t)i);
        ob_buf_reset(&label);
        ob_numfmt_period(&label, &kpi->cal, periods[i], lang);
        labels[i] = ob_arena_strdup(a, label.ptr);
    }
    ob_buf_release(&label);
    c->labels = labels;
    c->partial_last = c->n && kpi->has_partial_period &&
                      periods[c->n - 1] == kpi->partial_period;
    if (kpi->n_groups == 1)
        g = 0;
    else if (o->group)
        g = ob_kpi_group(kpi, o->group);
    c->kind = o->kind_given ? o->kind : ob_kpi_chart_default_kind(kpi, g);
    if (g >= 0 && kpi->def->by.name) {
        /* which group: drawn in the title ("Feedback · bug", as a card of
         * one group is titled) and said in the alt text */
        c->title =
            ob_arena_printf(a, "%s \xC2\xB7 %s", c->title, kpi->groups[g]);
        c->subject = ob_arena_printf(a, "%s, %s", c->subject, kpi->groups[g]);
    }
    if (g >= 0 || o->group)
        one_group(c, kpi, g, periods, a);
    else
        all_groups(c, kpi, periods, lang, a);
    if (o->target && kpi->def->target.kind != OB_TARGET_NONE)
        add_target(c, kpi, g, periods, a);
    add_markers(c, kpi, first, o, a);
}
