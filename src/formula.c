/* formula.c: KPIs computed from other KPIs' series. */
/* SPDX-License-Identifier: MIT */
#include "kpi_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/mem.h"
#include "opsbook/text.h"

/*
 * A formula is an expression over KPI series. After binding, every NAME
 * node (a KPI used as is, or a function's first argument) holds the KPI's
 * index in `column`, and every CALL node holds its function in `column`.
 */
enum fn {
    FN_PREV,
    FN_CUMSUM,
    FN_ROLLING,
    FN_AVG, /* the aggregates of a finer KPI inside the formula's period */
    FN_SUM,
    FN_MIN,
    FN_MAX,
    FN_LAST
};

static const char *const fn_names[] = {"prev", "cumsum", "rolling", "avg",
                                       "sum",  "min",    "max",     "last"};
#define N_FNS (sizeof(fn_names) / sizeof(fn_names[0]))

static bool
is_aggregate(int fn)
{
    return fn >= FN_AVG;
}

/* What evaluating a formula at one (period, group) needs. */
struct feval {
    struct kpi_engine *e;
    const struct ob_kpi *f;
    int32_t period;
    const char *group; /* the formula's group name ("" without by) */
};

/* ---- binding -------------------------------------------------------- */

struct binder {
    struct kpi_engine *e;
    size_t self;
    const struct ob_kpi_def *def;
    bool grouped_operand;
};

static void
bind_error(struct binder *b, const struct ob_expr *x, const char *fmt,
           const char *s1, const char *s2)
{
    struct ob_pos pos = ob_expr_pos(&b->def->formula, x->offset);

    ob_diag_error(b->e->d, &pos, fmt, s1, s2);
}

/* Grain order, finest first: an aggregate reads a KPI at most as coarse. */
static int
grain_rank(enum ob_grain g)
{
    return (int)g;
}

static bool
check_operand(struct binder *b, const struct ob_expr *name, int fn)
{
    const struct ob_kpi_def *k = b->e->slots[name->column].kpi->def;
    const char *g = ob_grain_name(b->def->grain);

    if (fn >= 0 && is_aggregate(fn)) {
        if (grain_rank(k->grain) > grain_rank(b->def->grain)) {
            bind_error(b, name,
                       "'%s' is coarser than this formula's grain (%s)", k->id,
                       g);
            return false;
        }
    } else if (k->grain != b->def->grain) {
        struct ob_pos pos = ob_expr_pos(&b->def->formula, name->offset);
        ob_diag_error(b->e->d, &pos,
                      "'%s' has grain %s and this formula %s: aggregate it "
                      "with avg(%s), sum(%s), min(%s), max(%s) or last(%s)",
                      k->id, ob_grain_name(k->grain), g, k->id, k->id, k->id,
                      k->id, k->id);
        return false;
    }
    if (!k->by.name)
        return true;
    b->grouped_operand = true;
    if (!b->def->by.name) {
        bind_error(b, name,
                   "'%s' is grouped by '%s': give this formula the "
                   "same 'by'",
                   k->id, k->by.name);
        return false;
    }
    if (strcmp(k->by.name, b->def->by.name) != 0) {
        struct ob_pos pos = ob_expr_pos(&b->def->formula, name->offset);
        ob_diag_error(b->e->d, &pos,
                      "'%s' is grouped by '%s' and this formula by '%s'", k->id,
                      k->by.name, b->def->by.name);
        return false;
    }
    return true;
}

/* A NAME as a KPI: its index in `column`. */
static bool
bind_kpi(struct binder *b, struct ob_expr *x, int fn)
{
    const struct ob_config *cfg = b->e->in->cfg;
    const char **ids;
    char *word;
    const char *hint;
    size_t i;

    if (x->kind != OB_EXPR_NAME) {
        bind_error(b, x, "expected a KPI id here%s%s", "", "");
        return false;
    }
    word = ob_arena_strndup(b->e->a, x->str, x->len);
    for (i = 0; i < cfg->n_kpis; i++)
        if (strcmp(cfg->kpis[i].id, word) == 0)
            break;
    if (i < cfg->n_kpis) {
        x->column = (int)i;
        return check_operand(b, x, fn);
    }
    ids = ob_arena_calloc(b->e->a, cfg->n_kpis + 1, sizeof(*ids));
    for (i = 0; i < cfg->n_kpis; i++)
        ids[i] = cfg->kpis[i].id;
    hint = ob_suggest_n(word, ids, cfg->n_kpis);
    if (hint)
        bind_error(b, x, "unknown KPI '%s' (did you mean '%s'?)", word, hint);
    else
        bind_error(b, x, "unknown KPI '%s'%s", word, "");
    return false;
}

/* The count argument of prev(K, n) and rolling(K, n): a whole number >= 1.
 */
static bool
bind_count(struct binder *b, const struct ob_expr *x, const char *fn)
{
    if (x->kind == OB_EXPR_NUMBER && x->num >= 1 && x->num <= 100000 &&
        x->num == floor(x->num))
        return true;
    bind_error(b, x,
               "the second argument of %s() is a number of periods "
               "(a whole number from 1)%s",
               fn, "");
    return false;
}

static bool bind_node(struct binder *b, struct ob_expr *x);

static bool
bind_call(struct binder *b, struct ob_expr *x)
{
    char *word = ob_arena_strndup(b->e->a, x->str, x->len);
    const char *hint;
    size_t fn;

    for (fn = 0; fn < N_FNS; fn++)
        if (strcmp(fn_names[fn], word) == 0)
            break;
    if (fn == N_FNS) {
        hint = ob_suggest_n(word, fn_names, N_FNS);
        if (hint)
            bind_error(b, x, "unknown function '%s' (did you mean '%s'?)", word,
                       hint);
        else
            bind_error(b, x,
                       "unknown function '%s' (expected prev, cumsum, "
                       "rolling, avg, sum, min, max or last)%s",
                       word, "");
        return false;
    }
    x->column = (int)fn;
    if (x->n_args < 1 || x->n_args > 2 ||
        (x->n_args == 2 && fn != FN_PREV && fn != FN_ROLLING) ||
        (x->n_args == 1 && fn == FN_ROLLING)) {
        bind_error(b, x,
                   fn == FN_ROLLING ? "%s() takes a KPI and a number of "
                                      "periods%s"
                   : fn == FN_PREV  ? "%s() takes a KPI and an optional "
                                      "number of periods%s"
                                    : "%s() takes one KPI%s",
                   word, "");
        return false;
    }
    if (!bind_kpi(b, x->args[0], (int)fn))
        return false;
    return x->n_args == 1 || bind_count(b, x->args[1], word);
}

static bool
bind_node(struct binder *b, struct ob_expr *x)
{
    size_t i;
    bool ok = true;

    switch (x->kind) {
    case OB_EXPR_NUMBER:
        return true;
    case OB_EXPR_NAME:
        return bind_kpi(b, x, -1);
    case OB_EXPR_CALL:
        return bind_call(b, x);
    case OB_EXPR_NEG:
    case OB_EXPR_ADD:
    case OB_EXPR_SUB:
    case OB_EXPR_MUL:
    case OB_EXPR_DIV:
        for (i = 0; i < x->n_args; i++)
            ok = bind_node(b, x->args[i]) && ok;
        return ok;
    default:
        bind_error(b, x,
                   "a formula combines KPIs with + - * / and functions; "
                   "conditions and text%s%s are not allowed here",
                   "", "");
        return false;
    }
}

static bool
bind_formula(struct kpi_engine *e, size_t i)
{
    struct kpi_slot *slot = &e->slots[i];
    struct binder b = {e, i, slot->kpi->def, false};

    slot->formula = ob_expr_parse(e->a, e->d, &b.def->formula);
    if (!slot->formula || !bind_node(&b, slot->formula))
        return false;
    if (b.def->by.name && !b.grouped_operand) {
        ob_diag_error(e->d, &b.def->by.pos,
                      "formula KPI '%s' has 'by: %s' but none of its KPIs "
                      "is grouped",
                      b.def->id, b.def->by.name);
        return false;
    }
    return true;
}

/* ---- evaluation ----------------------------------------------------- */

/* The index of K's point at (period, group), or -1. */
static long
point_index(const struct ob_kpi *k, int32_t period, uint32_t group)
{
    size_t lo = 0, hi = k->n_points;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct ob_point *p = &k->points[mid];
        if (p->period < period || (p->period == period && p->group < group))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < k->n_points && k->points[lo].period == period &&
        k->points[lo].group == group)
        return (long)lo;
    return -1;
}

/* The group of K that the formula's group reads: K's own when K is
 * grouped, else K's single series. */
static bool
operand_group(const struct feval *c, const struct ob_kpi *k, uint32_t *g)
{
    int i;

    if (!k->def->by.name) {
        *g = 0;
        return k->n_groups > 0;
    }
    i = ob_kpi_group(k, c->group);
    *g = (uint32_t)i;
    return i >= 0;
}

static const double *
cumulative(struct kpi_slot *slot)
{
    const struct ob_kpi *k = slot->kpi;
    double *running;
    size_t i;

    if (slot->cum)
        return slot->cum;
    slot->cum = ob_xmalloc((k->n_points + 1) * sizeof(*slot->cum));
    running = ob_xcalloc(k->n_groups + 1, sizeof(*running));
    for (i = 0; i < k->n_points; i++) {
        running[k->points[i].group] += k->points[i].value;
        slot->cum[i] = running[k->points[i].group];
    }
    free(running);
    return slot->cum;
}

/* avg/sum/min/max/last of K's rows whose period starts inside the
 * formula's period. */
static bool
aggregate(const struct feval *c, const struct ob_kpi *k, uint32_t g, int fn,
          double *out)
{
    int32_t last_day = ob_period_last_day(&c->f->cal, c->period);
    size_t lo = 0, hi = k->n_points, n = 0;
    double acc = 0;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (k->points[mid].period < c->period)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < k->n_points && k->points[lo].period <= last_day; lo++) {
        double v = k->points[lo].value;
        if (k->points[lo].group != g)
            continue;
        if (n == 0 || fn == FN_LAST)
            acc = v;
        else if (fn == FN_AVG || fn == FN_SUM)
            acc += v;
        else if (fn == FN_MIN ? v < acc : v > acc)
            acc = v;
        n++;
    }
    if (!n)
        return false;
    *out = fn == FN_AVG ? acc / (double)n : acc;
    return true;
}

static bool
call_at(const struct feval *c, const struct ob_expr *x, double *out)
{
    struct kpi_slot *slot = &c->e->slots[x->args[0]->column];
    const struct ob_kpi *k = slot->kpi;
    int32_t n = x->n_args > 1 ? (int32_t)x->args[1]->num : 1;
    uint32_t g;
    long at;
    int32_t j;
    double sum = 0, v;

    if (!operand_group(c, k, &g))
        return false;
    switch (x->column) {
    case FN_PREV:
        return ob_kpi_value_at(k, ob_period_add(&k->cal, c->period, -n), g,
                               out);
    case FN_CUMSUM:
        at = point_index(k, c->period, g);
        if (at < 0)
            return false;
        *out = cumulative(slot)[at];
        return true;
    case FN_ROLLING:
        for (j = 0; j < n; j++) {
            if (!ob_kpi_value_at(k, ob_period_add(&k->cal, c->period, -j), g,
                                 &v))
                return false;
            sum += v;
        }
        *out = sum / n;
        return true;
    default:
        return aggregate(c, k, g, x->column, out);
    }
}

/* The formula at one (period, group); false where it has no value. */
static bool
eval_at(const struct feval *c, const struct ob_expr *x, double *out)
{
    const struct ob_kpi *k;
    double a, b;
    uint32_t g;

    switch (x->kind) {
    case OB_EXPR_NUMBER:
        *out = x->num;
        return true;
    case OB_EXPR_NAME:
        k = c->e->slots[x->column].kpi;
        return operand_group(c, k, &g) && ob_kpi_value_at(k, c->period, g, out);
    case OB_EXPR_CALL:
        return call_at(c, x, out);
    case OB_EXPR_NEG:
        if (!eval_at(c, x->args[0], &a))
            return false;
        *out = -a;
        return true;
    default:
        break;
    }
    if (!eval_at(c, x->args[0], &a) || !eval_at(c, x->args[1], &b))
        return false;
    switch (x->kind) {
    case OB_EXPR_ADD:
        *out = a + b;
        break;
    case OB_EXPR_SUB:
        *out = a - b;
        break;
    case OB_EXPR_MUL:
        *out = a * b;
        break;
    default:
        if (b == 0)
            return false; /* no value, never NaN or infinity */
        *out = a / b;
        break;
    }
    return isfinite(*out);
}

/* ---- which periods and groups to evaluate ------------------------- */

struct periods {
    int32_t *v;
    size_t n, cap;
};

static void
add_period(struct periods *ps, int32_t p)
{
    OB_GROW(ps->v, ps->n + 1, ps->cap);
    ps->v[ps->n++] = p;
}

/* The formula periods where an operand can have a value. */
static void
operand_periods(struct kpi_engine *e, const struct ob_kpi *f,
                const struct ob_expr *x, int fn, struct periods *ps)
{
    const struct ob_kpi *k = e->slots[x->column].kpi;
    size_t i;

    for (i = 0; i < k->n_points; i++) {
        int32_t p = k->points[i].period;
        if (fn >= 0 && is_aggregate(fn))
            p = ob_period_start(&f->cal, p);
        add_period(ps, p);
    }
}

static void
collect_periods(struct kpi_engine *e, const struct ob_kpi *f,
                const struct ob_expr *x, struct periods *ps)
{
    int32_t holding = ob_period_start(&f->cal, e->in->as_of);
    size_t i;

    if (x->kind == OB_EXPR_NAME) {
        operand_periods(e, f, x, -1, ps);
        return;
    }
    if (x->kind == OB_EXPR_CALL && x->column == FN_PREV) {
        const struct ob_kpi *k = e->slots[x->args[0]->column].kpi;
        int32_t n = x->n_args > 1 ? (int32_t)x->args[1]->num : 1;
        for (i = 0; i < k->n_points; i++) {
            int32_t p = ob_period_add(&f->cal, k->points[i].period, n);
            if (p <= holding)
                add_period(ps, p);
        }
        return;
    }
    if (x->kind == OB_EXPR_CALL) {
        operand_periods(e, f, x->args[0], x->column, ps);
        return;
    }
    for (i = 0; i < x->n_args; i++)
        collect_periods(e, f, x->args[i], ps);
}

static int
compare_int32(const void *pa, const void *pb)
{
    int32_t a = *(const int32_t *)pa, b = *(const int32_t *)pb;

    return (a > b) - (a < b);
}

static int
compare_str(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* Every group of the grouped operands, sorted and unique. */
static void
collect_groups(struct kpi_engine *e, const struct ob_expr *x,
               const char ***names, size_t *n, size_t *cap)
{
    size_t i;

    if (x->kind == OB_EXPR_NAME) {
        const struct ob_kpi *k = e->slots[x->column].kpi;
        if (!k->def->by.name)
            return;
        for (i = 0; i < k->n_groups; i++) {
            OB_GROW(*names, *n + 1, *cap);
            (*names)[(*n)++] = k->groups[i];
        }
        return;
    }
    for (i = 0; i < x->n_args; i++)
        collect_groups(e, x->args[i], names, n, cap);
}

static size_t
unique_sorted(void *base, size_t n, size_t size,
              int (*compare)(const void *, const void *))
{
    char *v = base;
    size_t i, out = 0;

    ob_qsort(base, n, size, compare);
    for (i = 0; i < n; i++)
        if (out == 0 || compare(v + (out - 1) * size, v + i * size) != 0)
            memmove(v + out++ * size, v + i * size, size);
    return out;
}

/* Evaluates formula i at every candidate (period, group). */
static void
evaluate(struct kpi_engine *e, size_t i)
{
    struct kpi_slot *slot = &e->slots[i];
    struct ob_kpi *f = slot->kpi;
    struct periods ps = {NULL, 0, 0};
    const char **groups = NULL;
    size_t n_groups = 0, cap_groups = 0, p, g, n = 0;
    struct feval c = {e, f, 0, ""};

    collect_periods(e, f, slot->formula, &ps);
    ps.n = unique_sorted(ps.v, ps.n, sizeof(*ps.v), compare_int32);
    if (f->def->by.name) {
        collect_groups(e, slot->formula, &groups, &n_groups, &cap_groups);
        n_groups =
            unique_sorted(groups, n_groups, sizeof(*groups), compare_str);
    } else {
        OB_GROW(groups, 1, cap_groups);
        groups[0] = "";
        n_groups = 1;
    }
    f->points = ob_arena_calloc(e->a, ps.n * n_groups + 1, sizeof(*f->points));
    for (p = 0; p < ps.n; p++) {
        for (g = 0; g < n_groups; g++) {
            double v;
            c.period = ps.v[p];
            c.group = groups[g];
            if (!eval_at(&c, slot->formula, &v))
                continue;
            f->points[n].period = c.period;
            f->points[n].group = (uint32_t)g;
            f->points[n].value = v;
            n++;
        }
    }
    f->n_points = n;
    kpi_settle_series(f, e->a, groups, n_groups);
    slot->ready = true;
    free(ps.v);
    free(groups);
}

/* ---- dependency order ---------------------------------------------- */

/* The KPIs a bound formula reads, into deps (no duplicates needed). */
static void
collect_deps(const struct ob_expr *x, int **deps, size_t *n, size_t *cap)
{
    size_t i;

    if (x->kind == OB_EXPR_NAME) {
        OB_GROW(*deps, *n + 1, *cap);
        (*deps)[(*n)++] = x->column;
        return;
    }
    for (i = 0; i < x->n_args; i++)
        collect_deps(x->args[i], deps, n, cap);
}

struct walk {
    struct kpi_engine *e;
    size_t *stack;
    size_t depth;
};

static void
report_cycle(struct walk *w, size_t at)
{
    struct kpi_slot *slot = &w->e->slots[at];
    struct ob_buf path = OB_BUF_INIT;
    size_t i, from = 0;

    for (i = 0; i < w->depth; i++)
        if (w->stack[i] == at)
            from = i;
    for (i = from; i < w->depth; i++) {
        ob_buf_puts(&path, w->e->slots[w->stack[i]].kpi->def->id);
        ob_buf_puts(&path, " -> ");
    }
    ob_buf_puts(&path, slot->kpi->def->id);
    ob_diag_error(w->e->d, &slot->kpi->def->formula.node->pos,
                  "formula KPI '%s' depends on itself: %s", slot->kpi->def->id,
                  path.ptr);
    ob_buf_release(&path);
}

/* Evaluates formula `at` after the formulas it reads (depth first). */
static void
visit(struct walk *w, size_t at)
{
    struct kpi_slot *slot = &w->e->slots[at];
    int *deps = NULL;
    size_t n = 0, cap = 0, i;
    bool ok = true;

    if (slot->visit == 2 || !slot->formula)
        return;
    if (slot->visit == 1) {
        report_cycle(w, at);
        slot->failed = true;
        return;
    }
    slot->visit = 1;
    w->stack[w->depth++] = at;
    collect_deps(slot->formula, &deps, &n, &cap);
    for (i = 0; i < n; i++) {
        struct kpi_slot *dep = &w->e->slots[deps[i]];
        visit(w, (size_t)deps[i]);
        if (dep->failed || !dep->ready)
            ok = false;
    }
    free(deps);
    w->depth--;
    slot->visit = 2;
    if (!ok || slot->failed) {
        slot->failed = true; /* its operand's problem is reported */
        return;
    }
    evaluate(w->e, at);
}

void
formula_compute_all(struct kpi_engine *e)
{
    const struct ob_config *cfg = e->in->cfg;
    struct walk w = {e, NULL, 0};
    size_t i;

    for (i = 0; i < cfg->n_kpis; i++) {
        if (!cfg->kpis[i].formula.text)
            continue;
        e->slots[i].kpi->measure = OB_MEASURE_FORMULA;
        if (!bind_formula(e, i)) {
            e->slots[i].failed = true;
            e->slots[i].formula = NULL;
        }
    }
    w.stack = ob_xcalloc(cfg->n_kpis + 1, sizeof(*w.stack));
    for (i = 0; i < cfg->n_kpis; i++)
        visit(&w, i);
    free(w.stack);
}
