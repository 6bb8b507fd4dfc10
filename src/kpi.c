/* kpi.c: measures over sources, one scan per source, then current and status.
 */
/* SPDX-License-Identifier: MIT */
#include "opsbook/kpi.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kpi_int.h"
#include "opsbook/date.h"
#include "opsbook/expr.h"
#include "opsbook/idset.h"
#include "opsbook/intern.h"
#include "opsbook/mem.h"
#include "opsbook/pool.h"
#include "opsbook/text.h"
#include "opsbook/warehouse.h"

#define EMPTY_GROUP "(empty)"

/* ---- measures ------------------------------------------------------ */

static const struct {
    const char *name;
    enum ob_measure m;
    double q; /* percentiles: the quantile */
} measures[] = {
    {"count", OB_MEASURE_COUNT, 0},
    {"count_distinct", OB_MEASURE_COUNT_DISTINCT, 0},
    {"sum", OB_MEASURE_SUM, 0},
    {"avg", OB_MEASURE_AVG, 0},
    {"min", OB_MEASURE_MIN, 0},
    {"max", OB_MEASURE_MAX, 0},
    {"median", OB_MEASURE_MEDIAN, 0.5},
    {"p75", OB_MEASURE_P75, 0.75},
    {"p90", OB_MEASURE_P90, 0.90},
    {"p95", OB_MEASURE_P95, 0.95},
    {"p99", OB_MEASURE_P99, 0.99},
    {"nps", OB_MEASURE_NPS, 0},
    {"rate", OB_MEASURE_RATE, 0},
    {"last", OB_MEASURE_LAST, 0},
    {"new_distinct", OB_MEASURE_NEW_DISTINCT, 0},
    {"retained_distinct", OB_MEASURE_RETAINED_DISTINCT, 0},
    {"churned_distinct", OB_MEASURE_CHURNED_DISTINCT, 0},
};
#define N_MEASURES (sizeof(measures) / sizeof(measures[0]))

const char *
ob_measure_name(enum ob_measure m)
{
    size_t i;

    for (i = 0; i < N_MEASURES; i++)
        if (measures[i].m == m)
            return measures[i].name;
    return "formula";
}

const char *
ob_status_name(enum ob_status s)
{
    switch (s) {
    case OB_STATUS_GREEN:
        return "green";
    case OB_STATUS_AMBER:
        return "amber";
    case OB_STATUS_RED:
        return "red";
    default:
        return "";
    }
}

static bool
is_distinct(enum ob_measure m)
{
    return m == OB_MEASURE_COUNT_DISTINCT || m == OB_MEASURE_NEW_DISTINCT ||
           m == OB_MEASURE_RETAINED_DISTINCT ||
           m == OB_MEASURE_CHURNED_DISTINCT;
}

static bool
is_percentile(enum ob_measure m)
{
    return m >= OB_MEASURE_MEDIAN && m <= OB_MEASURE_P99;
}

/* Counts read as 0 where a period has no rows; other measures have no
 * value there. */
static bool
is_count_like(enum ob_measure m)
{
    return m == OB_MEASURE_COUNT || is_distinct(m);
}

/* ---- per-KPI accumulation ------------------------------------------ */

/* One (period, group) of a measure KPI while its source is scanned. */
struct cell {
    int32_t period;
    uint32_t group;
    uint64_t n;   /* rows, or non-empty values */
    double x;     /* sum, min, max, last value, rate trues, nps promoters */
    double y;     /* nps detractors */
    int64_t when; /* last: the time of x */
};

struct values {
    double *v;
    size_t n, cap;
};

/* A dictionary of distinct values shared by every KPI of a source that
 * counts the same expression: user ids are hashed once per row. */
struct dict {
    const char *text; /* the argument as written */
    int column;       /* >= 0: a string column, hashed early (prefetch) */
    struct ob_intern in;
    uint64_t row;  /* the row `id` (or `key`) belongs to */
    uint32_t id;   /* UINT32_MAX: the value was empty */
    bool prepared; /* `key` is hashed and its slot on its way */
    struct ob_intern_key key;
};

#define GROUP_HINT_BITS 6
#define GROUP_HINTS     (1 << GROUP_HINT_BITS)

struct group_hint {
    uint64_t word;
    uint32_t len1; /* length + 1; 0: an empty hint */
    uint32_t group;
};

#define WHERE_HINT_BITS 8
#define WHERE_HINTS     (1 << WHERE_HINT_BITS)

/* A where's outcome for one text of up to 16 bytes of its column. */
struct where_hint {
    uint64_t lo, hi; /* the text's bytes 0-7 and 8-15, zero-padded */
    uint32_t len1;   /* length + 1; 0: an empty hint */
    bool pass;
};

struct agg {
    struct ob_kpi *kpi;
    struct kpi_slot *slot;
    const struct ob_kpi_def *def;
    enum ob_measure m;
    double q;
    struct ob_expr *arg; /* NULL for count() */
    struct ob_expr *where;
    int where_col; /* the one column the where reads; -1: several, none */
    int by_col;    /* -1: no by */
    struct dict *dict;
    struct agg *shares; /* percentiles: the agg that collects the values */
    struct ob_intern groups;
    int32_t last_date, last_period;
    uint64_t last_key;
    uint32_t last_cell;
    struct cell *cells;
    size_t n_cells, cap_cells;
    uint32_t *slots; /* (period, group) -> cell index + 1 */
    size_t cap_slots;
    struct ob_idset *sets; /* distinct: per cell */
    struct values *values; /* percentiles: per cell */
    size_t cap_extra;
    /* Percentiles: the value per cell of `values` (of the agg that collects
     * them), settled after the scan; on the collecting agg, every agg
     * reading its values, by quantile. */
    double *quantiles;
    struct agg **twins;
    size_t n_twins, cap_twins;
    /* `by` texts of up to 8 bytes seen lately, and the current period's
     * cell per group: a by column holds few values and exports come in
     * time order, so most rows find their cell without hashing. */
    struct group_hint groups_seen[GROUP_HINTS];
    /* A where that reads one column is a function of that cell's text
     * (its value is parsed from the text alone): its outcome for texts
     * seen lately, as a filter on a column of few values (feature ==
     * "export") would otherwise be evaluated on every row. WHERE_HINTS of
     * them when where_col >= 0, else NULL. */
    struct where_hint *where_seen;
    int32_t hinted_period;
    uint32_t *period_cells; /* group -> cell index + 1 in hinted_period */
    size_t cap_period_cells;
    /* nps scores outside 0-10 */
    uint64_t bad;
    double bad_value;
    struct ob_pos bad_pos;
};

/* One source's scan: its KPIs and the time of the current row. */
struct scan_plan {
    struct ob_table *t;
    /* t->time_column, read once: a row's reading (another thread, maybe)
     * writes the table's counters beside it */
    int time_column;
    struct ob_diag diag; /* this scan's problems, merged in source order */
    enum ob_err result;
    bool usable; /* the table opened: scan it */
    bool remote; /* a postgres source: the warehouse computes its KPIs */
    const struct ob_tz *tz;
    struct agg **aggs;
    size_t n_aggs, cap_aggs;
    struct dict **dicts;
    size_t n_dicts, cap_dicts;
    uint64_t row;
    /* the local day of UTC instants in [day_lo, day_hi) */
    int64_t day_lo, day_hi;
    int32_t day;
    unsigned jobs; /* threads for the pieces of a large file */
};

static uint64_t
cell_key(int32_t period, uint32_t group)
{
    return (uint64_t)(uint32_t)period << 32 | group;
}

static size_t
key_slot(uint64_t key, size_t mask)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ull;

    return (size_t)(h >> 32) & mask;
}

static void
grow_cells(struct agg *g)
{
    size_t cap = g->cap_slots ? g->cap_slots * 2 : 64, i;

    free(g->slots);
    g->slots = ob_xcalloc(cap, sizeof(*g->slots));
    g->cap_slots = cap;
    for (i = 0; i < g->n_cells; i++) {
        size_t k =
            key_slot(cell_key(g->cells[i].period, g->cells[i].group), cap - 1);
        while (g->slots[k])
            k = (k + 1) & (cap - 1);
        g->slots[k] = (uint32_t)i + 1;
    }
}

static uint32_t
new_cell(struct agg *g, int32_t period, uint32_t group, size_t slot)
{
    struct cell *c;
    size_t i = g->n_cells;

    OB_GROW(g->cells, i + 1, g->cap_cells);
    c = &g->cells[i];
    memset(c, 0, sizeof(*c));
    c->period = period;
    c->group = group;
    if ((is_distinct(g->m) || is_percentile(g->m)) && i >= g->cap_extra) {
        size_t cap = g->cap_extra ? g->cap_extra * 2 : 16;
        if (is_distinct(g->m)) {
            g->sets = ob_xreallocarray(g->sets, cap, sizeof(*g->sets));
            memset(g->sets + g->cap_extra, 0,
                   (cap - g->cap_extra) * sizeof(*g->sets));
        } else {
            g->values = ob_xreallocarray(g->values, cap, sizeof(*g->values));
            memset(g->values + g->cap_extra, 0,
                   (cap - g->cap_extra) * sizeof(*g->values));
        }
        g->cap_extra = cap;
    }
    g->slots[slot] = (uint32_t)i + 1;
    g->n_cells++;
    return (uint32_t)i;
}

/* The cell of (period, group), made when new. Sorted exports hit the
 * last cell almost always. */
/* The cell of the hinted period for `group`, remembered. */
static void
hint_cell(struct agg *g, int32_t period, uint32_t group, uint32_t cell)
{
    if (period != g->hinted_period || !g->period_cells) {
        if (g->period_cells)
            memset(g->period_cells, 0,
                   g->cap_period_cells * sizeof(*g->period_cells));
        g->hinted_period = period;
    }
    if (group >= g->cap_period_cells) {
        size_t old = g->cap_period_cells;
        OB_GROW(g->period_cells, (size_t)group + 1, g->cap_period_cells);
        memset(g->period_cells + old, 0,
               (g->cap_period_cells - old) * sizeof(*g->period_cells));
    }
    g->period_cells[group] = cell + 1;
}

/* The cell of (period, group) by hashing, made when new. */
static uint32_t __attribute__((noinline))
find_cell_slow(struct agg *g, int32_t period, uint32_t group)
{
    uint64_t key = cell_key(period, group);
    size_t mask, k;

    if ((g->n_cells + 1) * 2 > g->cap_slots)
        grow_cells(g);
    mask = g->cap_slots - 1;
    for (k = key_slot(key, mask); g->slots[k]; k = (k + 1) & mask) {
        struct cell *c = &g->cells[g->slots[k] - 1];
        if (c->period == period && c->group == group)
            break;
    }
    g->last_key = key;
    g->last_cell =
        g->slots[k] ? g->slots[k] - 1 : new_cell(g, period, group, k);
    hint_cell(g, period, group, g->last_cell);
    return g->last_cell;
}

/* The two hints inline, since they answer nearly every row (four calls a
 * row here): the hashed lookup is a call of its own so that this stays
 * small and saves no registers. */
static inline uint32_t
find_cell(struct agg *g, int32_t period, uint32_t group)
{
    uint64_t key = cell_key(period, group);

    if (g->n_cells && key == g->last_key)
        return g->last_cell;
    if (period == g->hinted_period && group < g->cap_period_cells &&
        g->period_cells[group]) {
        g->last_key = key;
        g->last_cell = g->period_cells[group] - 1;
        return g->last_cell;
    }
    return find_cell_slow(g, period, group);
}

/* A piece's values after the whole's, in an array grown to fit exactly:
 * percentiles keep every value, and doubling would leave up to half of
 * the largest arrays unused. */
static void
append_values(struct values *to, const struct values *from)
{
    if (!from->n)
        return;
    if (to->n + from->n > to->cap) {
        to->cap = to->n + from->n;
        to->v = ob_xreallocarray(to->v, to->cap, sizeof(*to->v));
    }
    memcpy(to->v + to->n, from->v, from->n * sizeof(*to->v));
    to->n += from->n;
}

static void
push_value(struct values *vs, double v)
{
    OB_GROW(vs->v, vs->n + 1, vs->cap);
    vs->v[vs->n++] = v;
}

/* The bytes that identify a value for distinct counts: the text for
 * strings, the bits for numbers (so 1 and 1.0 are one value). */
static size_t
value_key(const struct ob_value *v, unsigned char *buf, const void **out)
{
    switch (v->type) {
    case OB_VAL_STRING:
        *out = v->u.str.ptr;
        return v->u.str.len;
    case OB_VAL_NUMBER: {
        double x = v->u.num == 0 ? 0 : v->u.num; /* -0 is 0 */
        memcpy(buf, &x, sizeof(x));
        *out = buf;
        return sizeof(x);
    }
    case OB_VAL_BOOL:
        buf[0] = v->u.b;
        *out = buf;
        return 1;
    case OB_VAL_DATE:
        memcpy(buf, &v->u.date, sizeof(v->u.date));
        *out = buf;
        return sizeof(v->u.date);
    case OB_VAL_DATETIME:
        memcpy(buf, &v->u.dt.seconds, sizeof(v->u.dt.seconds));
        memcpy(buf + 8, &v->u.dt.nanos, sizeof(v->u.dt.nanos));
        *out = buf;
        return 12;
    default:
        *out = buf;
        return 0;
    }
}

/* The id of this row's argument value in the shared dictionary, computed
 * once per row; UINT32_MAX when it is empty. */
static uint32_t
distinct_id(struct scan_plan *p, struct agg *g, const struct ob_row *row)
{
    struct dict *dc = g->dict;
    struct ob_value v;
    unsigned char buf[16];
    const void *key;
    size_t len;

    if (dc->row == p->row && !dc->prepared)
        return dc->id;
    if (dc->row == p->row) {
        dc->prepared = false;
        dc->id = ob_intern_add_key(&dc->in, &dc->key);
        return dc->id;
    }
    dc->row = p->row;
    dc->prepared = false;
    if (ob_expr_is_column(g->arg))
        v = row->values[g->arg->column];
    else
        ob_expr_eval(g->arg, row->values, &v);
    if (v.type == OB_VAL_EMPTY) {
        dc->id = UINT32_MAX;
        return dc->id;
    }
    len = value_key(&v, buf, &key);
    dc->id = ob_intern_add(&dc->in, key, len);
    return dc->id;
}

static double
number_of(const struct agg *g, const struct ob_row *row, bool *empty)
{
    struct ob_value v;
    const struct ob_value *at = &v;

    /* a column is read in place, the cell not copied */
    if (ob_expr_is_column(g->arg))
        at = &row->values[g->arg->column];
    else
        ob_expr_eval(g->arg, row->values, &v);
    *empty = at->type != OB_VAL_NUMBER;
    return *empty ? 0 : at->u.num;
}

static void
note_bad_score(struct agg *g, const struct ob_row *row, double v)
{
    if (g->bad++)
        return;
    g->bad_value = v;
    /* a plain column points at the cell; an expression at the row */
    g->bad_pos = ob_expr_is_column(g->arg)
                     ? ob_row_cell_pos(row, (size_t)g->arg->column)
                     : (struct ob_pos){row->path, row->line, 1};
}

/* Adds a row's argument to its cell. */
static void
accumulate(struct scan_plan *p, struct agg *g, struct cell *c, uint32_t ci,
           const struct ob_row *row, int64_t when)
{
    bool empty;
    double v;

    switch (g->m) {
    case OB_MEASURE_COUNT:
        c->n++;
        return;
    case OB_MEASURE_RATE:
        switch (ob_expr_test(g->arg, row->values)) {
        case OB_TRUE:
            c->x++;
            c->n++;
            break;
        case OB_FALSE:
            c->n++;
            break;
        default:
            break;
        }
        return;
    case OB_MEASURE_COUNT_DISTINCT:
    case OB_MEASURE_NEW_DISTINCT:
    case OB_MEASURE_RETAINED_DISTINCT:
    case OB_MEASURE_CHURNED_DISTINCT: {
        uint32_t id = distinct_id(p, g, row);
        if (id != UINT32_MAX)
            ob_idset_add(&g->sets[ci], id);
        return;
    }
    default:
        break;
    }
    v = number_of(g, row, &empty);
    if (empty)
        return;
    switch (g->m) {
    case OB_MEASURE_SUM:
    case OB_MEASURE_AVG:
        c->x += v;
        break;
    case OB_MEASURE_MIN:
        if (!c->n || v < c->x)
            c->x = v;
        break;
    case OB_MEASURE_MAX:
        if (!c->n || v > c->x)
            c->x = v;
        break;
    case OB_MEASURE_NPS:
        if (v < 0 || v > 10) {
            note_bad_score(g, row, v);
            return;
        }
        c->x += v >= 9;
        c->y += v <= 6;
        break;
    case OB_MEASURE_LAST:
        /* ties go to the later row in file order */
        if (c->n && when < c->when)
            break;
        c->x = v;
        c->when = when;
        break;
    default: /* percentiles */
        push_value(&g->values[ci], v);
        break;
    }
    c->n++;
}

/* The group of a row: the by cell's text, "(empty)" for an empty one. */
static uint32_t
group_of(struct agg *g, const struct ob_row *row)
{
    size_t len;

    struct group_hint *h;
    uint64_t word;

    if (g->by_col < 0)
        return 0;
    len = row->raw_len[g->by_col];
    if (!len)
        return ob_intern_add(&g->groups, EMPTY_GROUP, strlen(EMPTY_GROUP));
    if (len > 8)
        return ob_intern_add(&g->groups, row->raw[g->by_col], len);
    word = ob_intern_word(row->raw[g->by_col], len);
    h = &g->groups_seen[((word ^ len) * 0x9E3779B97F4A7C15ull) >>
                        (64 - GROUP_HINT_BITS)];
    if (h->len1 != len + 1 || h->word != word) {
        h->word = word;
        h->len1 = (uint32_t)len + 1;
        h->group = ob_intern_add(&g->groups, row->raw[g->by_col], len);
    }
    return h->group;
}

/* Whether a row passes the agg's where (none: every row does). */
static bool
passes(struct agg *g, const struct ob_row *row)
{
    struct where_hint *h;
    const char *s;
    uint64_t lo, hi;
    size_t len;

    if (!g->where)
        return true;
    if (!g->where_seen || row->raw_len[g->where_col] > 16)
        return ob_expr_test(g->where, row->values) == OB_TRUE;
    s = row->raw[g->where_col];
    len = row->raw_len[g->where_col];
    lo = ob_intern_word(s, len < 8 ? len : 8);
    hi = len > 8 ? ob_intern_word(s + 8, len - 8) : 0;
    h = &g->where_seen[((lo ^ hi * 31 ^ len) * 0x9E3779B97F4A7C15ull) >>
                       (64 - WHERE_HINT_BITS)];
    if (h->len1 != len + 1 || h->lo != lo || h->hi != hi) {
        h->lo = lo;
        h->hi = hi;
        h->len1 = (uint32_t)len + 1;
        h->pass = ob_expr_test(g->where, row->values) == OB_TRUE;
    }
    return h->pass;
}

static void
feed(struct scan_plan *p, struct agg *g, const struct ob_row *row, int32_t date,
     int64_t when)
{
    uint32_t ci;

    if (!passes(g, row))
        return;
    if (date != g->last_date || !g->n_cells) {
        g->last_date = date;
        g->last_period = ob_period_start(&g->kpi->cal, date);
    }
    ci = find_cell(g, g->last_period, group_of(g, row));
    accumulate(p, g, &g->cells[ci], ci, row, when);
}

/* The local day of a row and a time key for last(): later rows compare
 * greater. */
static bool
row_time(struct scan_plan *p, const struct ob_value *v, int32_t *date,
         int64_t *when)
{
    if (v->type == OB_VAL_DATE) {
        *date = v->u.date;
        *when = (int64_t)v->u.date;
        return true;
    }
    if (v->type != OB_VAL_DATETIME)
        return false;
    if (v->u.dt.seconds < p->day_lo || v->u.dt.seconds >= p->day_hi) {
        p->day = ob_tz_date_of(p->tz, v->u.dt.seconds);
        p->day_lo = ob_tz_day_start(p->tz, p->day);
        p->day_hi = ob_tz_day_start(p->tz, p->day + 1);
    }
    *date = p->day;
    *when = v->u.dt.seconds * 1000000000 + v->u.dt.nanos;
    return true;
}

/* Hashes this row's distinct keys and prefetches their slots before the
 * other KPIs run: the distinct KPIs come last in the plan, by then the
 * cache line has arrived. */
static void
prepare_dicts(struct scan_plan *p, const struct ob_row *row)
{
    size_t i;

    for (i = 0; i < p->n_dicts; i++) {
        struct dict *dc = p->dicts[i];
        const struct ob_value *v;

        dc->prepared = false;
        if (dc->column < 0)
            continue;
        v = &row->values[dc->column];
        if (v->type != OB_VAL_STRING)
            continue;
        ob_intern_prepare(&dc->in, &dc->key, v->u.str.ptr, v->u.str.len);
        dc->prepared = true;
        dc->row = p->row;
    }
}

static int
on_row(void *ctx, const struct ob_row *row)
{
    struct scan_plan *p = ctx;
    int32_t date;
    int64_t when;
    size_t i;

    /* a row without a time belongs to no period (the table counts it) */
    if (!row_time(p, &row->values[p->time_column], &date, &when))
        return 0;
    p->row++;
    prepare_dicts(p, row);
    for (i = 0; i < p->n_aggs; i++)
        if (!p->aggs[i]->shares)
            feed(p, p->aggs[i], row, date, when);
    return 0;
}

/* ---- percentiles by selection ------------------------------------- */

static void
swap(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

static int
compare_doubles(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;

    return (a > b) - (a < b);
}

/* Moves the k-th smallest of v[0..n) to v[k], smaller ones before it and
 * larger ones after (Hoare's selection, median of three; a sort past a
 * depth bound keeps adversarial inputs at n log n). */
static void
select_kth(double *v, size_t n, size_t k)
{
    ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, want = (ptrdiff_t)k;
    int depth = 0;

    while (hi > lo) {
        ptrdiff_t i = lo, j = hi, mid = lo + (hi - lo) / 2;
        double pivot;

        if (++depth > 64) {
            qsort(v + lo, (size_t)(hi - lo + 1), sizeof(*v), compare_doubles);
            return;
        }
        if (v[mid] < v[lo])
            swap(&v[mid], &v[lo]);
        if (v[hi] < v[lo])
            swap(&v[hi], &v[lo]);
        if (v[hi] < v[mid])
            swap(&v[hi], &v[mid]);
        pivot = v[mid];
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                swap(&v[i], &v[j]);
                i++;
                j--;
            }
        }
        /* v[lo..j] <= pivot, v[i..hi] >= pivot, between them == pivot */
        if (want <= j)
            hi = j;
        else if (want >= i)
            lo = i;
        else
            return;
    }
}

/* Linear interpolation between order statistics (PERCENTILE.INC, numpy's
 * default, DuckDB's quantile_cont). v[0..*done) holds the *done smallest
 * values in place (a lower quantile put them there), so only the rest is
 * searched; *done then moves past this one's rank. Reorders v. */
static double
quantile(double *v, size_t n, double q, size_t *done)
{
    double pos = q * (double)(n - 1), frac, lo, hi;
    size_t k = (size_t)pos, i;

    if (k >= *done)
        select_kth(v + *done, n - *done, k - *done);
    *done = k + 1;
    lo = v[k];
    frac = pos - (double)k;
    if (frac == 0 || k + 1 >= n)
        return lo;
    hi = v[k + 1];
    for (i = k + 2; i < n; i++)
        if (v[i] < hi)
            hi = v[i];
    return lo + (hi - lo) * frac;
}

/* Every quantile asked of one cell's values, lowest first, so each
 * selection searches only above the one before. */
static void
settle_cell_quantiles(struct agg *src, size_t ci)
{
    struct values *vs = &src->values[ci];
    size_t t, done = 0;

    for (t = 0; vs->n && t < src->n_twins; t++)
        src->twins[t]->quantiles[ci] =
            quantile(vs->v, vs->n, src->twins[t]->q, &done);
}

struct quantile_job {
    struct agg **src; /* per item: the agg whose values it reads */
    size_t *cell;
};

static void
quantile_item(void *ctx, size_t i)
{
    struct quantile_job *job = ctx;

    settle_cell_quantiles(job->src[i], job->cell[i]);
}

/* Percentile KPIs read their values once every scan is done: each cell's
 * selections are independent, so they run on the pool too. */
static void
settle_quantiles(struct scan_plan *plans, size_t n_plans, unsigned jobs)
{
    struct quantile_job job = {NULL, NULL};
    size_t s, i, t, n = 0, cap = 0;

    for (s = 0; s < n_plans; s++) {
        struct scan_plan *p = &plans[s];

        for (i = 0; p->usable && !p->result && i < p->n_aggs; i++) {
            struct agg *g = p->aggs[i], *src = g->shares ? g->shares : g;

            if (!is_percentile(g->m))
                continue;
            g->quantiles = ob_xcalloc(src->n_cells + 1, sizeof(double));
            OB_GROW(src->twins, src->n_twins + 1, src->cap_twins);
            for (t = src->n_twins++; t > 0 && src->twins[t - 1]->q > g->q; t--)
                src->twins[t] = src->twins[t - 1];
            src->twins[t] = g;
        }
        for (i = 0; p->usable && !p->result && i < p->n_aggs; i++) {
            struct agg *g = p->aggs[i];
            size_t c;

            if (!is_percentile(g->m) || g->shares)
                continue;
            OB_GROW(job.src, n + g->n_cells, cap);
            job.cell = ob_xreallocarray(job.cell, cap, sizeof(*job.cell));
            for (c = 0; c < g->n_cells; c++, n++) {
                job.src[n] = g;
                job.cell[n] = c;
            }
        }
    }
    ob_pool_run(n, jobs, quantile_item, &job);
    free(job.src);
    free(job.cell);
}

/* ---- finishing a measure KPI -------------------------------------- */

static bool
cell_value(struct agg *g, size_t ci, double *out)
{
    const struct agg *src = g->shares ? g->shares : g;
    const struct cell *c = &src->cells[ci];

    switch (g->m) {
    case OB_MEASURE_COUNT:
        *out = (double)c->n;
        return true;
    case OB_MEASURE_COUNT_DISTINCT:
        *out = (double)g->sets[ci].count;
        return true;
    case OB_MEASURE_SUM:
    case OB_MEASURE_MIN:
    case OB_MEASURE_MAX:
    case OB_MEASURE_LAST:
        *out = c->x;
        return c->n > 0;
    case OB_MEASURE_AVG:
        *out = c->n ? c->x / (double)c->n : 0;
        return c->n > 0;
    case OB_MEASURE_NPS:
        *out = c->n ? 100.0 * (c->x - c->y) / (double)c->n : 0;
        return c->n > 0;
    case OB_MEASURE_RATE:
        *out = c->n ? c->x / (double)c->n : 0;
        return c->n > 0;
    default:
        if (is_percentile(g->m)) {
            if (!src->values[ci].n)
                return false;
            *out = g->quantiles[ci];
            return true;
        }
        return false; /* new/retained/churned: see distinct_over_periods */
    }
}

static int
compare_cells(const void *pa, const void *pb)
{
    const struct cell *a = pa, *b = pb;

    if (a->group != b->group)
        return (a->group > b->group) - (a->group < b->group);
    return (a->period > b->period) - (a->period < b->period);
}

/* Adds a value shown for a period the series leaves out. */
static void
add_fill(struct ob_kpi *kpi, struct ob_arena *a, int32_t period, uint32_t group,
         double value, size_t most)
{
    if (!kpi->fill)
        kpi->fill = ob_arena_calloc(a, most + 1, sizeof(*kpi->fill));
    kpi->fill[kpi->n_fill].period = period;
    kpi->fill[kpi->n_fill].group = group;
    kpi->fill[kpi->n_fill].value = value;
    kpi->n_fill++;
}

/* new/retained/churned: each group's sets in period order, each compared
 * with the calendar period before it and with every value seen so far. */
static void
distinct_over_periods(struct agg *g, double *values, struct ob_kpi *kpi,
                      struct ob_arena *a)
{
    struct ob_idset seen = OB_IDSET_INIT;
    size_t *order = ob_xmalloc((g->n_cells + 1) * sizeof(*order));
    struct cell *sorted = ob_xmalloc((g->n_cells + 1) * sizeof(*sorted));
    size_t i, j;

    /* sort cell indexes by (group, period) through a copy of the keys */
    for (i = 0; i < g->n_cells; i++) {
        sorted[i] = g->cells[i];
        sorted[i].n = i; /* remember the cell */
    }
    ob_qsort(sorted, g->n_cells, sizeof(*sorted), compare_cells);
    for (i = 0; i < g->n_cells; i++)
        order[i] = (size_t)sorted[i].n;
    for (i = 0; i < g->n_cells; i++) {
        const struct cell *c = &g->cells[order[i]];
        const struct ob_idset *cur = &g->sets[order[i]], *prev = NULL;
        size_t cursor = 0, fresh = 0, kept = 0;
        uint32_t id;

        if (i == 0 || g->cells[order[i - 1]].group != c->group) {
            ob_idset_release(&seen);
        } else if (g->cells[order[i - 1]].period ==
                   ob_period_add(&g->kpi->cal, c->period, -1)) {
            prev = &g->sets[order[i - 1]];
        }
        while (ob_idset_next(cur, &cursor, &id)) {
            if (ob_idset_add(&seen, id))
                fresh++;
            if (prev && ob_idset_has(prev, id))
                kept++;
        }
        j = order[i];
        if (g->m == OB_MEASURE_NEW_DISTINCT)
            values[j] = (double)fresh;
        else if (g->m == OB_MEASURE_RETAINED_DISTINCT)
            values[j] = (double)kept;
        else
            values[j] = prev ? (double)(prev->count - kept) : 0;
        /* A period without rows after one with rows: everyone of that
         * one churned. GROUP BY has no row for it, but people read it. */
        if (g->m == OB_MEASURE_CHURNED_DISTINCT &&
            (i + 1 == g->n_cells || g->cells[order[i + 1]].group != c->group ||
             g->cells[order[i + 1]].period !=
                 ob_period_add(&g->kpi->cal, c->period, 1)))
            add_fill(kpi, a, ob_period_add(&g->kpi->cal, c->period, 1),
                     c->group, (double)cur->count, g->n_cells);
    }
    ob_idset_release(&seen);
    free(order);
    free(sorted);
}

static void
finish_agg(struct agg *g, struct ob_arena *a, struct ob_diag *d)
{
    const struct agg *src = g->shares ? g->shares : g;
    struct ob_kpi *kpi = g->kpi;
    double *over = NULL;
    const char **names;
    size_t i, n = 0, n_groups = g->by_col < 0 ? 1 : src->groups.n;

    if (g->bad) {
        ob_diag_error(d, &g->bad_pos,
                      "KPI '%s': nps() needs scores from 0 to 10, got %g%s",
                      g->def->id, g->bad_value,
                      g->bad > 1 ? " (and in other rows)" : "");
        g->slot->failed = true;
        return;
    }
    if (g->m == OB_MEASURE_NEW_DISTINCT ||
        g->m == OB_MEASURE_RETAINED_DISTINCT ||
        g->m == OB_MEASURE_CHURNED_DISTINCT) {
        over = ob_xmalloc((g->n_cells + 1) * sizeof(*over));
        distinct_over_periods(g, over, kpi, a);
    }
    kpi->points = ob_arena_calloc(a, src->n_cells + 1, sizeof(*kpi->points));
    for (i = 0; i < src->n_cells; i++) {
        double v;
        bool has = over ? (v = over[i], true) : cell_value(g, i, &v);
        if (!has || !isfinite(v))
            continue;
        kpi->points[n].period = src->cells[i].period;
        kpi->points[n].group = src->cells[i].group;
        kpi->points[n].value = v;
        n++;
    }
    kpi->n_points = n;
    free(over);
    names = ob_arena_calloc(a, n_groups + 1, sizeof(*names));
    if (g->by_col < 0) {
        names[0] = "";
    } else {
        for (i = 0; i < n_groups; i++) {
            size_t len;
            const char *s = ob_intern_get(&src->groups, (uint32_t)i, &len);
            names[i] = ob_arena_strndup(a, s, len);
        }
    }
    kpi_settle_series(kpi, a, names, n_groups);
    g->slot->ready = true;
}

static void
agg_release(struct agg *g)
{
    size_t i;

    for (i = 0; g->sets && i < g->n_cells; i++)
        ob_idset_release(&g->sets[i]);
    for (i = 0; g->values && i < g->n_cells; i++)
        free(g->values[i].v);
    free(g->sets);
    free(g->values);
    free(g->quantiles);
    free(g->twins);
    free(g->period_cells);
    free(g->cells);
    free(g->slots);
    free(g->where_seen);
    ob_intern_release(&g->groups);
}

/* ---- series in order ---------------------------------------------- */

struct name_index {
    const char *name;
    uint32_t old;
};

static int
compare_names(const void *pa, const void *pb)
{
    const struct name_index *a = pa, *b = pb;

    return strcmp(a->name, b->name);
}

static int
compare_points(const void *pa, const void *pb)
{
    const struct ob_point *a = pa, *b = pb;

    if (a->period != b->period)
        return (a->period > b->period) - (a->period < b->period);
    return (a->group > b->group) - (a->group < b->group);
}

void
kpi_settle_series(struct ob_kpi *kpi, struct ob_arena *a,
                  const char *const *names, size_t n_names)
{
    struct name_index *ix = ob_xmalloc((n_names + 1) * sizeof(*ix));
    uint32_t *rank = ob_xmalloc((n_names + 1) * sizeof(*rank));
    size_t i;

    for (i = 0; i < n_names; i++) {
        ix[i].name = names[i];
        ix[i].old = (uint32_t)i;
    }
    ob_qsort(ix, n_names, sizeof(*ix), compare_names);
    kpi->groups = ob_arena_calloc(a, n_names + 1, sizeof(*kpi->groups));
    for (i = 0; i < n_names; i++) {
        kpi->groups[i] = ix[i].name;
        rank[ix[i].old] = (uint32_t)i;
    }
    kpi->n_groups = n_names;
    for (i = 0; i < kpi->n_points; i++)
        kpi->points[i].group = rank[kpi->points[i].group];
    for (i = 0; i < kpi->n_fill; i++)
        kpi->fill[i].group = rank[kpi->fill[i].group];
    ob_qsort(kpi->points, kpi->n_points, sizeof(*kpi->points), compare_points);
    ob_qsort(kpi->fill, kpi->n_fill, sizeof(*kpi->fill), compare_points);
    free(ix);
    free(rank);
}

/* Binary search of sorted points for (period, group). */
static bool
find_point(const struct ob_point *points, size_t n, int32_t period,
           uint32_t group, double *out)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct ob_point *p = &points[mid];
        if (p->period < period || (p->period == period && p->group < group))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n && points[lo].period == period && points[lo].group == group) {
        *out = points[lo].value;
        return true;
    }
    return false;
}

bool
ob_kpi_value_at(const struct ob_kpi *kpi, int32_t period, uint32_t group,
                double *out)
{
    return find_point(kpi->points, kpi->n_points, period, group, out);
}

bool
ob_kpi_shown_value(const struct ob_kpi *kpi, int32_t period, uint32_t group,
                   double *out)
{
    if (ob_kpi_value_at(kpi, period, group, out) ||
        find_point(kpi->fill, kpi->n_fill, period, group, out))
        return true;
    *out = 0;
    return kpi->count_like;
}

int
ob_kpi_group(const struct ob_kpi *kpi, const char *name)
{
    size_t lo = 0, hi = kpi->n_groups;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(kpi->groups[mid], name);
        if (c == 0)
            return (int)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

const struct ob_kpi *
ob_kpis_find(const struct ob_kpis *k, const char *id)
{
    size_t i;

    for (i = 0; i < k->n; i++)
        if (strcmp(k->kpis[i].def->id, id) == 0)
            return &k->kpis[i];
    return NULL;
}

/* ---- compiling measure KPIs ---------------------------------------- */

static struct ob_pos
expr_pos(const struct ob_expr_src *src, const struct ob_expr *x)
{
    return ob_expr_pos(src, x ? x->offset : 0);
}

static bool
same_name(const char *s, size_t len, const char *name)
{
    return strlen(name) == len && memcmp(s, name, len) == 0;
}

/* Which measure a call names; reports an unknown one with a suggestion. */
static bool
find_measure(struct kpi_engine *e, const struct ob_kpi_def *def,
             const struct ob_expr *call, size_t *which)
{
    const char *names[N_MEASURES];
    const char *word, *hint;
    struct ob_pos pos;
    size_t i;

    for (i = 0; i < N_MEASURES; i++) {
        names[i] = measures[i].name;
        if (same_name(call->str, call->len, names[i])) {
            *which = i;
            return true;
        }
    }
    word = ob_arena_strndup(e->a, call->str, call->len);
    hint = ob_suggest_n(word, names, N_MEASURES);
    pos = expr_pos(&def->measure, call);
    if (hint)
        ob_diag_error(e->d, &pos, "unknown measure '%s' (did you mean '%s'?)",
                      word, hint);
    else
        ob_diag_error(e->d, &pos,
                      "unknown measure '%s' (expected count, count_distinct, "
                      "sum, avg, min, max, median, p75, p90, p95, p99, nps, "
                      "rate, last, new_distinct, retained_distinct or "
                      "churned_distinct)",
                      word);
    return false;
}

/* The type a measure's argument must have. */
static enum ob_expr_type
argument_type(enum ob_measure m)
{
    if (m == OB_MEASURE_RATE)
        return OB_TYPE_BOOL;
    if (is_distinct(m))
        return OB_TYPE_UNKNOWN;
    return OB_TYPE_NUMBER;
}

static bool
check_arity(struct kpi_engine *e, const struct ob_kpi_def *def,
            const struct ob_expr *call, enum ob_measure m)
{
    struct ob_pos pos = expr_pos(&def->measure, call);
    const char *name = measures[0].name;
    size_t i;

    for (i = 0; i < N_MEASURES; i++)
        if (measures[i].m == m)
            name = measures[i].name;
    if (m == OB_MEASURE_COUNT && call->n_args != 0) {
        pos = expr_pos(&def->measure, call->args[0]);
        ob_diag_error(e->d, &pos,
                      "count() counts rows and takes no argument (use "
                      "count_distinct(x), or a 'where' to count some rows)");
        return false;
    }
    if (m != OB_MEASURE_COUNT && call->n_args != 1) {
        ob_diag_error(e->d, &pos, "%s() takes one argument, got %zu", name,
                      call->n_args);
        return false;
    }
    return true;
}

static bool
bind_by(struct kpi_engine *e, const struct ob_kpi_def *def,
        const struct ob_table *t, int *col)
{
    const char **names;
    const char *hint;
    size_t i;

    *col = -1;
    if (!def->by.name)
        return true;
    *col = ob_table_column(t, def->by.name);
    if (*col >= 0)
        return true;
    names = ob_arena_calloc(e->a, t->n_columns + 1, sizeof(*names));
    for (i = 0; i < t->n_columns; i++)
        names[i] = t->columns[i].name;
    hint = ob_suggest_n(def->by.name, names, t->n_columns);
    if (hint)
        ob_diag_error(e->d, &def->by.pos,
                      "unknown column '%s' in source '%s' (did you mean "
                      "'%s'?)",
                      def->by.name, t->src->name, hint);
    else
        ob_diag_error(e->d, &def->by.pos, "unknown column '%s' in source '%s'",
                      def->by.name, t->src->name);
    return false;
}

static struct dict *
plan_dict(struct scan_plan *p, const char *text, const struct ob_expr *arg)
{
    struct dict *dc;
    size_t i;

    for (i = 0; i < p->n_dicts; i++)
        if (strcmp(p->dicts[i]->text, text) == 0)
            return p->dicts[i];
    dc = ob_xcalloc(1, sizeof(*dc));
    dc->text = text;
    dc->row = UINT64_MAX;
    dc->column = arg && ob_expr_is_column(arg) &&
                         p->t->columns[arg->column].type == OB_COL_STRING
                     ? arg->column
                     : -1;
    ob_intern_init(&dc->in);
    OB_GROW(p->dicts, p->n_dicts + 1, p->cap_dicts);
    p->dicts[p->n_dicts++] = dc;
    return dc;
}

static bool
same_text(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* A percentile over the same values as an earlier one (median and p90 of
 * one column) reads that one's values instead of keeping its own. */
static struct agg *
percentile_twin(const struct scan_plan *p, const struct agg *g, const char *arg)
{
    size_t i;

    for (i = 0; i < p->n_aggs; i++) {
        const struct agg *o = p->aggs[i];
        if (!is_percentile(o->m) || o->shares || !o->dict)
            continue;
        if (strcmp(o->dict->text, arg) == 0 &&
            same_text(o->def->where.text, g->def->where.text) &&
            same_text(o->def->by.name, g->def->by.name) &&
            o->kpi->cal.grain == g->kpi->cal.grain)
            return p->aggs[i];
    }
    return NULL;
}

/* The one column an expression reads, or -1 when it reads several or
 * none. */
static int
sole_column(const struct ob_expr *e, size_t n_columns)
{
    bool *used = ob_xcalloc(n_columns + 1, sizeof(*used));
    size_t i, n = 0;
    int col = -1;

    ob_expr_columns(e, used);
    for (i = 0; i < n_columns; i++) {
        if (used[i]) {
            col = (int)i;
            n++;
        }
    }
    free(used);
    return n == 1 ? col : -1;
}

/* Compiles a measure KPI into its source's scan plan. */
static bool
compile_measure(struct kpi_engine *e, struct kpi_slot *slot,
                struct scan_plan *p)
{
    const struct ob_kpi_def *def = slot->kpi->def;
    struct ob_expr *call, *where = NULL, *arg = NULL;
    struct agg *g;
    size_t which;
    const char *arg_text;
    int by_col;

    call = ob_expr_parse(e->a, e->d, &def->measure);
    if (!call)
        return false;
    if (call->kind != OB_EXPR_CALL) {
        struct ob_pos pos = expr_pos(&def->measure, call);
        ob_diag_error(e->d, &pos,
                      "a measure is a call such as count() or "
                      "sum(duration_s)");
        return false;
    }
    if (!find_measure(e, def, call, &which) ||
        !check_arity(e, def, call, measures[which].m))
        return false;
    if (measures[which].m == OB_MEASURE_NPS && def->fmt.given &&
        def->fmt.format == OB_FMT_PERCENT) {
        ob_diag_error(e->d, &def->fmt.pos,
                      "'format: percent' does not apply to an nps measure "
                      "(nps is in points, -100 to 100)");
        return false;
    }
    if (call->n_args) {
        arg = call->args[0];
        if (!ob_expr_bind_row(arg, e->d, &def->measure, p->t, e->in->tz,
                              argument_type(measures[which].m)))
            return false;
    }
    if (def->where.text) {
        where = ob_expr_parse(e->a, e->d, &def->where);
        if (!where || !ob_expr_bind_row(where, e->d, &def->where, p->t,
                                        e->in->tz, OB_TYPE_BOOL))
            return false;
    }
    if (!bind_by(e, def, p->t, &by_col))
        return false;
    g = ob_xcalloc(1, sizeof(*g));
    g->kpi = slot->kpi;
    g->slot = slot;
    g->def = def;
    g->m = measures[which].m;
    g->q = measures[which].q;
    g->arg = arg;
    g->where = where;
    g->where_col = where ? sole_column(where, p->t->n_columns) : -1;
    if (g->where_col >= 0)
        g->where_seen = ob_xcalloc(WHERE_HINTS, sizeof(*g->where_seen));
    g->by_col = by_col;
    ob_intern_init(&g->groups);
    slot->kpi->measure = g->m;
    arg_text = arg ? ob_arena_strndup(e->a, def->measure.text + arg->offset,
                                      arg->length)
                   : "";
    if (is_distinct(g->m))
        g->dict = plan_dict(p, arg_text, arg);
    if (is_percentile(g->m)) {
        g->shares = percentile_twin(p, g, arg_text);
        /* the dict pointer only names the values for twins to find */
        g->dict = g->shares ? NULL : plan_dict(p, arg_text, NULL);
    }
    OB_GROW(p->aggs, p->n_aggs + 1, p->cap_aggs);
    p->aggs[p->n_aggs++] = g;
    return true;
}

/* Puts the distinct KPIs last (keeping the order otherwise), so the
 * lookups prefetched by prepare_dicts() have time to arrive. */
static void
order_plan(struct scan_plan *p)
{
    struct agg **sorted = ob_xcalloc(p->n_aggs + 1, sizeof(*sorted));
    size_t i, n = 0, pass;

    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < p->n_aggs; i++)
            if (is_distinct(p->aggs[i]->m) == (pass == 1))
                sorted[n++] = p->aggs[i];
    if (n)
        memcpy(p->aggs, sorted, n * sizeof(*sorted));
    free(sorted);
}

/* Converts only the columns the plan's expressions read. */
static void
set_projection(struct scan_plan *p, struct ob_arena *a)
{
    bool *used = ob_arena_calloc(a, p->t->n_columns + 1, sizeof(*used));
    size_t i;

    for (i = 0; i < p->n_aggs; i++) {
        if (p->aggs[i]->arg)
            ob_expr_columns(p->aggs[i]->arg, used);
        if (p->aggs[i]->where)
            ob_expr_columns(p->aggs[i]->where, used);
    }
    p->t->convert = used;
}

static void
plan_release(struct scan_plan *p)
{
    size_t i;

    for (i = 0; i < p->n_aggs; i++) {
        agg_release(p->aggs[i]);
        free(p->aggs[i]);
    }
    for (i = 0; i < p->n_dicts; i++) {
        ob_intern_release(&p->dicts[i]->in);
        free(p->dicts[i]);
    }
    free(p->aggs);
    free(p->dicts);
    ob_diag_release(&p->diag);
}

/* ---- current, delta and status ------------------------------------ */

bool
ob_kpi_target_at(const struct ob_kpi *kpi, int32_t period, uint32_t group,
                 double *out)
{
    const struct ob_target *t = &kpi->def->target;
    int32_t last_day;
    size_t i;
    bool found = false;

    switch (t->kind) {
    case OB_TARGET_NUMBER:
        *out = t->value;
        return true;
    case OB_TARGET_BY_GROUP:
        for (i = 0; i < t->n_groups; i++)
            if (strcmp(t->groups[i].group, kpi->groups[group]) == 0) {
                *out = t->groups[i].value;
                return true;
            }
        return false;
    case OB_TARGET_STEPS:
        /* the step in force on the period's last day */
        last_day = ob_period_last_day(&kpi->cal, period);
        for (i = 0; i < t->n_steps && t->steps[i].from <= last_day; i++) {
            *out = t->steps[i].value;
            found = true;
        }
        return found;
    default:
        return false;
    }
}

static enum ob_status
band_status(bool up, double v, double green, double amber, bool has_amber)
{
    if (up ? v >= green : v <= green)
        return OB_STATUS_GREEN;
    if (has_amber && (up ? v >= amber : v <= amber))
        return OB_STATUS_AMBER;
    return OB_STATUS_RED;
}

/* Statuses compare unrounded values. A target of 0 has no amber band. */
static enum ob_status
status_of(const struct ob_kpi_def *def, const struct ob_kpi_state *st)
{
    bool up = def->direction == OB_DIR_UP;
    double band;

    if (!st->has_current)
        return OB_STATUS_NONE;
    if (def->has_thresholds)
        return band_status(up, st->current, def->green, def->amber, true);
    if (!st->has_target)
        return OB_STATUS_NONE;
    band = 0.1 * fabs(st->target);
    return band_status(up, st->current, st->target,
                       up ? st->target - band : st->target + band, band > 0);
}

static void
settle_states(struct ob_kpi *kpi, int32_t as_of, struct ob_arena *a)
{
    int32_t holding = ob_period_start(&kpi->cal, as_of);
    uint32_t g;

    kpi->has_partial_period = !ob_period_complete(&kpi->cal, holding, as_of);
    kpi->partial_period = holding;
    kpi->current_period = kpi->has_partial_period
                              ? ob_period_add(&kpi->cal, holding, -1)
                              : holding;
    kpi->previous_period = ob_period_add(&kpi->cal, kpi->current_period, -1);
    kpi->states = ob_arena_calloc(a, kpi->n_groups + 1, sizeof(*kpi->states));
    for (g = 0; g < kpi->n_groups; g++) {
        struct ob_kpi_state *st = &kpi->states[g];

        st->has_current =
            ob_kpi_shown_value(kpi, kpi->current_period, g, &st->current);
        st->has_previous =
            ob_kpi_shown_value(kpi, kpi->previous_period, g, &st->previous);
        if (kpi->has_partial_period)
            st->has_partial = ob_kpi_shown_value(kpi, holding, g, &st->partial);
        st->has_delta = st->has_current && st->has_previous;
        if (st->has_delta)
            st->delta = st->current - st->previous;
        st->has_delta_rel = st->has_delta && st->previous != 0;
        if (st->has_delta_rel)
            st->delta_rel = st->delta / fabs(st->previous);
        st->has_target =
            ob_kpi_target_at(kpi, kpi->current_period, g, &st->target);
        st->status = status_of(kpi->def, st);
    }
}

/* The format a KPI shows when it names none: counts as integers, rates
 * as percentages, anything else as a number. */
static void
settle_format(struct ob_kpi *kpi, const struct ob_config *cfg)
{
    const struct ob_kpi_def *def = kpi->def;

    kpi->fmt.format = def->fmt.format;
    if (!def->fmt.given)
        kpi->fmt.format = kpi->count_like                   ? OB_FMT_INTEGER
                          : kpi->measure == OB_MEASURE_RATE ? OB_FMT_PERCENT
                                                            : OB_FMT_NUMBER;
    kpi->fmt.currency = def->fmt.currency;
    kpi->fmt.decimals = def->fmt.decimals;
    kpi->fmt.language = cfg->site.language;
}

/* The source's newest row is older than stale_after at the end of as_of. */
static bool
is_stale(const struct ob_table *t, const struct ob_kpi_input *in)
{
    return ob_table_staleness(t, ob_tz_day_start(in->tz, in->as_of + 1)) > 0;
}

/* ---- the whole computation ---------------------------------------- */

static int
source_index(const struct ob_config *cfg, const char *name)
{
    size_t i;

    for (i = 0; i < cfg->n_sources; i++)
        if (strcmp(cfg->sources[i].name, name) == 0)
            return (int)i;
    return -1;
}

static void
init_kpis(struct kpi_engine *e)
{
    const struct ob_config *cfg = e->in->cfg;
    size_t i;

    e->out->n = cfg->n_kpis;
    e->out->kpis =
        ob_arena_calloc(e->a, cfg->n_kpis + 1, sizeof(*e->out->kpis));
    e->slots = ob_xcalloc(cfg->n_kpis + 1, sizeof(*e->slots));
    for (i = 0; i < cfg->n_kpis; i++) {
        struct ob_kpi *kpi = &e->out->kpis[i];
        kpi->def = &cfg->kpis[i];
        kpi->cal.grain = cfg->kpis[i].grain;
        kpi->cal.fiscal_year_start = cfg->site.fiscal_year_start;
        kpi->measure =
            cfg->kpis[i].formula.text ? OB_MEASURE_FORMULA : OB_MEASURE_COUNT;
        e->slots[i].kpi = kpi;
    }
}

/* Compiles every measure KPI into the plan of its source. */
static void
compile_measures(struct kpi_engine *e, struct scan_plan *plans)
{
    const struct ob_config *cfg = e->in->cfg;
    size_t i;

    for (i = 0; i < cfg->n_kpis; i++) {
        struct kpi_slot *slot = &e->slots[i];
        int s;

        if (cfg->kpis[i].formula.text || !cfg->kpis[i].source.name)
            continue;
        s = source_index(cfg, cfg->kpis[i].source.name);
        slot->failed = true; /* until its scan succeeds */
        if (s < 0 || !e->in->table_ok[s])
            continue; /* reported by the config or the table */
        if (!compile_measure(e, slot, &plans[s]))
            continue;
        slot->kpi->table = plans[s].t;
        slot->failed = false;
    }
}

/* ---- pieces of a large file --------------------------------------- */

static size_t
index_of(void *const *v, size_t n, const void *x)
{
    size_t i;

    for (i = 0; i < n && v[i] != x; i++)
        ;
    return i;
}

/* A copy of a plan's compiled KPIs with empty accumulators, for one piece
 * of a file; reads only what does not change while the plan merges. */
static void *
plan_clone(void *ctx)
{
    const struct scan_plan *p = ctx;
    struct scan_plan *c = ob_xcalloc(1, sizeof(*c));
    size_t i;

    c->t = p->t;
    c->time_column = p->time_column;
    c->tz = p->tz;
    c->day_hi = INT64_MIN;
    c->dicts = ob_xcalloc(p->n_dicts + 1, sizeof(*c->dicts));
    c->n_dicts = c->cap_dicts = p->n_dicts;
    for (i = 0; i < p->n_dicts; i++) {
        struct dict *dc = ob_xcalloc(1, sizeof(*dc));
        dc->text = p->dicts[i]->text;
        dc->column = p->dicts[i]->column;
        dc->row = UINT64_MAX;
        ob_intern_init(&dc->in);
        c->dicts[i] = dc;
    }
    c->aggs = ob_xcalloc(p->n_aggs + 1, sizeof(*c->aggs));
    c->n_aggs = c->cap_aggs = p->n_aggs;
    for (i = 0; i < p->n_aggs; i++) {
        const struct agg *g = p->aggs[i];
        struct agg *k = ob_xcalloc(1, sizeof(*k));
        k->kpi = g->kpi;
        k->slot = g->slot;
        k->def = g->def;
        k->m = g->m;
        k->q = g->q;
        k->arg = g->arg;
        k->where = g->where;
        k->where_col = g->where_col;
        if (k->where_col >= 0)
            k->where_seen = ob_xcalloc(WHERE_HINTS, sizeof(*k->where_seen));
        k->by_col = g->by_col;
        ob_intern_init(&k->groups);
        if (g->dict)
            k->dict = c->dicts[index_of((void *const *)p->dicts, p->n_dicts,
                                        g->dict)];
        c->aggs[i] = k;
    }
    for (i = 0; i < p->n_aggs; i++)
        if (p->aggs[i]->shares)
            c->aggs[i]->shares = c->aggs[index_of(
                (void *const *)p->aggs, p->n_aggs, p->aggs[i]->shares)];
    return c;
}

static int
piece_row(void *piece, const struct ob_row *row)
{
    return on_row(piece, row);
}

/* One piece's cell added to the whole's: what each measure keeps. Pieces
 * come in file order, so a later tie for last() wins, as in one scan. */
static void
merge_cell(struct agg *g, uint32_t mi, const struct agg *k, uint32_t ki,
           const uint32_t *ids)
{
    struct cell *mc = &g->cells[mi];
    const struct cell *kc = &k->cells[ki];
    size_t cursor = 0;
    uint32_t id;

    switch (g->m) {
    case OB_MEASURE_MIN:
        if (kc->n && (!mc->n || kc->x < mc->x))
            mc->x = kc->x;
        break;
    case OB_MEASURE_MAX:
        if (kc->n && (!mc->n || kc->x > mc->x))
            mc->x = kc->x;
        break;
    case OB_MEASURE_LAST:
        if (kc->n && (!mc->n || kc->when >= mc->when)) {
            mc->x = kc->x;
            mc->when = kc->when;
        }
        break;
    default:
        if (is_distinct(g->m)) {
            while (ob_idset_next(&k->sets[ki], &cursor, &id))
                ob_idset_add(&g->sets[mi], ids[id]);
        } else if (is_percentile(g->m)) {
            append_values(&g->values[mi], &k->values[ki]);
        } else { /* count, sum, avg, nps, rate */
            mc->x += kc->x;
            mc->y += kc->y;
        }
        break;
    }
    mc->n += kc->n;
}

static void
merge_agg(struct agg *g, const struct agg *k, const uint32_t *ids,
          uint32_t line_shift)
{
    uint32_t *groups = ob_xcalloc(k->groups.n + 1, sizeof(*groups));
    size_t i;

    ob_intern_merge(&g->groups, &k->groups, groups);
    if (k->bad && !g->bad) {
        g->bad_value = k->bad_value;
        g->bad_pos = k->bad_pos;
        if (g->bad_pos.line)
            g->bad_pos.line += line_shift;
    }
    g->bad += k->bad;
    for (i = 0; !k->shares && i < k->n_cells; i++) {
        const struct cell *kc = &k->cells[i];
        merge_cell(g, find_cell(g, kc->period, groups[kc->group]), k,
                   (uint32_t)i, ids);
    }
    free(groups);
}

static void plan_release(struct scan_plan *p);

/* Adds a piece's results to the plan, then frees the piece. */
static void
plan_merge(void *ctx, void *piece, uint32_t line_shift)
{
    struct scan_plan *p = ctx, *c = piece;
    uint32_t **ids = ob_xcalloc(c->n_dicts + 1, sizeof(*ids));
    size_t i;

    for (i = 0; i < c->n_dicts; i++) {
        const struct ob_intern *in = &c->dicts[i]->in;
        ids[i] = ob_xcalloc(in->n + 1, sizeof(**ids));
        ob_intern_merge(&p->dicts[i]->in, in, ids[i]);
    }
    for (i = 0; i < c->n_aggs; i++) {
        const struct agg *k = c->aggs[i];
        size_t d = k->dict
                       ? index_of((void *const *)c->dicts, c->n_dicts, k->dict)
                       : 0;
        merge_agg(p->aggs[i], k, k->dict ? ids[d] : NULL, line_shift);
    }
    for (i = 0; i < c->n_dicts; i++)
        free(ids[i]);
    free(ids);
    plan_release(c);
    free(c);
}

/* Frees a piece that does not count. */
static void
plan_drop(void *ctx, void *piece)
{
    (void)ctx;
    plan_release(piece);
    free(piece);
}

static void
scan_one(struct scan_plan *p)
{
    struct ob_row_sink sink = {on_row, p};
    struct ob_piece_sink pieces = {plan_clone, piece_row, plan_merge, plan_drop,
                                   p};

    if (!p->n_aggs || p->t->time_column < 0) {
        p->result = ob_table_scan(p->t, &p->diag, NULL);
        return;
    }
    p->result = ob_table_scan_pieces(p->t, &p->diag, &sink, &pieces, p->jobs);
}

static void
scan_item(void *ctx, size_t s)
{
    struct scan_plan *plans = ctx;

    if (plans[s].usable && !plans[s].remote)
        scan_one(&plans[s]);
}

/* A postgres source's KPIs, computed by the warehouse (warehouse.h): their
 * series come back as a scan's would, then settle the same way. Runs on
 * the calling thread (it fills the arena). */
static enum ob_err
compute_remote(struct kpi_engine *e, struct scan_plan *p)
{
    struct ob_warehouse_kpi *k = ob_xcalloc(p->n_aggs + 1, sizeof(*k));
    struct ob_warehouse_context c = {
        p->t, ob_tz_name(e->in->tz), e->in->cfg->site.fiscal_year_start,
        e->in->as_of, ob_tz_day_start(e->in->tz, e->in->as_of + 1)};
    enum ob_err err;
    size_t i;

    for (i = 0; i < p->n_aggs; i++) {
        const struct agg *g = p->aggs[i];
        k[i].def = g->def;
        k[i].m = g->m;
        k[i].q = g->q;
        k[i].arg = g->arg;
        k[i].where = g->where;
        k[i].by_col = g->by_col;
        k[i].grain = g->kpi->cal.grain;
    }
    err = ob_warehouse_compute(p->t, &c, k, p->n_aggs, e->in->sql_log, e->a,
                               &p->diag);
    for (i = 0; !err && i < p->n_aggs; i++) {
        struct ob_kpi *kpi = p->aggs[i]->kpi;
        if (k[i].failed) {
            p->aggs[i]->slot->failed = true;
            continue;
        }
        kpi->points = k[i].points;
        kpi->n_points = k[i].n_points;
        kpi->fill = k[i].fill;
        kpi->n_fill = k[i].n_fill;
        kpi_settle_series(kpi, e->a, k[i].groups, k[i].n_groups);
        p->aggs[i]->slot->ready = true;
    }
    free(k);
    return err;
}

/* Scans every usable source once, feeding all its KPIs; sources are
 * independent, so with -j they are scanned at the same time. */
static enum ob_err
scan_sources(struct kpi_engine *e, struct scan_plan *plans)
{
    const struct ob_config *cfg = e->in->cfg;
    enum ob_err err = OB_OK;
    size_t s, i;

    for (s = 0; s < cfg->n_sources; s++) {
        struct scan_plan *p = &plans[s];

        p->usable = e->in->table_ok[s];
        p->remote = p->t->src->type == OB_SOURCE_POSTGRES;
        ob_diag_init(&p->diag, e->d->max);
        if (!p->usable)
            continue;
        set_projection(p, e->a);
        order_plan(p);
        p->jobs = e->in->jobs ? e->in->jobs : 1;
        p->t->until = ob_tz_day_start(e->in->tz, e->in->as_of + 1) - 1;
    }
    /* sources are independent: each on its own thread */
    ob_pool_run(cfg->n_sources, e->in->jobs ? e->in->jobs : 1, scan_item,
                plans);
    settle_quantiles(plans, cfg->n_sources, e->in->jobs ? e->in->jobs : 1);
    for (s = 0; s < cfg->n_sources; s++)
        if (plans[s].usable && plans[s].remote)
            plans[s].result = compute_remote(e, &plans[s]);
    for (s = 0; s < cfg->n_sources; s++) {
        struct scan_plan *p = &plans[s];

        ob_diag_absorb(e->d, &p->diag);
        if (!p->usable)
            continue;
        if (p->remote) {
            for (i = 0; p->result && i < p->n_aggs; i++)
                p->aggs[i]->slot->failed = true;
            if (p->result == OB_ERR_ENV || (p->result && !err))
                err = p->result;
            continue;
        }
        if (p->result == OB_ERR_ENV || (p->result && !err))
            err = p->result;
        for (i = 0; i < p->n_aggs; i++) {
            if (p->result)
                p->aggs[i]->slot->failed = true;
            else
                finish_agg(p->aggs[i], e->a, e->d);
        }
    }
    return err;
}

/* A measure KPI on a source without a time column cannot be placed in
 * periods. */
static void
check_time_columns(struct kpi_engine *e, struct scan_plan *plans)
{
    size_t s, i;

    for (s = 0; s < e->in->cfg->n_sources; s++) {
        if (!e->in->table_ok[s] || plans[s].t->time_column >= 0)
            continue;
        for (i = 0; i < plans[s].n_aggs; i++) {
            ob_diag_error(e->d, &plans[s].aggs[i]->def->source.pos,
                          "KPI '%s' reads source '%s', which has no 'time' "
                          "column to place rows in periods",
                          plans[s].aggs[i]->def->id, plans[s].t->src->name);
            plans[s].aggs[i]->slot->failed = true;
        }
    }
}

enum ob_err
ob_kpis_compute(struct ob_kpis *k, const struct ob_kpi_input *in,
                struct ob_arena *a, struct ob_diag *d)
{
    struct kpi_engine e = {in, a, d, k, NULL};
    size_t errors = d->errors, i, n_sources = in->cfg->n_sources;
    struct scan_plan *plans = ob_xcalloc(n_sources + 1, sizeof(*plans));
    enum ob_err err;

    memset(k, 0, sizeof(*k));
    init_kpis(&e);
    for (i = 0; i < n_sources; i++) {
        plans[i].t = &in->tables[i];
        plans[i].time_column = in->tables[i].time_column;
        plans[i].tz = in->tz;
        plans[i].day_hi = INT64_MIN; /* no day cached */
    }
    compile_measures(&e, plans);
    check_time_columns(&e, plans);
    err = scan_sources(&e, plans);
    for (i = 0; i < n_sources; i++)
        plan_release(&plans[i]);
    free(plans);
    if (err != OB_ERR_ENV)
        formula_compute_all(&e);
    for (i = 0; i < k->n; i++) {
        struct ob_kpi *kpi = &k->kpis[i];
        kpi->count_like = is_count_like(kpi->measure);
        settle_format(kpi, in->cfg);
        kpi->ok = e.slots[i].ready && !e.slots[i].failed;
        if (kpi->ok)
            settle_states(kpi, in->as_of, a);
        kpi->stale = kpi->table && is_stale(kpi->table, in);
        free(e.slots[i].cum);
    }
    free(e.slots);
    if (err)
        return err;
    return d->errors > errors ? OB_ERR_INPUT : OB_OK;
}

/* ---- output --------------------------------------------------------- */

static void
add_csv_field(struct ob_buf *out, const char *s)
{
    const char *p;

    if (!strpbrk(s, ",\"\r\n")) {
        ob_buf_puts(out, s);
        return;
    }
    ob_buf_putc(out, '"');
    for (p = s; *p; p++) {
        if (*p == '"')
            ob_buf_putc(out, '"');
        ob_buf_putc(out, *p);
    }
    ob_buf_putc(out, '"');
}

void
ob_kpi_write_csv(const struct ob_kpi *kpi, struct ob_buf *out)
{
    size_t i;

    ob_buf_puts(out, "period,group,value\n");
    for (i = 0; i < kpi->n_points; i++) {
        const struct ob_point *p = &kpi->points[i];
        char date[11];

        ob_date_format(p->period, date);
        ob_buf_puts(out, date);
        ob_buf_putc(out, ',');
        add_csv_field(out, kpi->groups[p->group]);
        ob_buf_putc(out, ',');
        ob_numfmt_plain(out, p->value);
        ob_buf_putc(out, '\n');
    }
}
