/* okr.c: OKRs evaluated at as_of: progress, pace, status, grade. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/okr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/cache.h"
#include "opsbook/date.h"
#include "opsbook/mem.h"
#include "opsbook/period.h"
#include "opsbook/table.h"
#include "opsbook/text.h"

/* Progress and pace written in decimals ("0.4" against 0.5 - 0.1) must
 * compare as written, not as their binary neighbours. */
#define SCORE_EPSILON 1e-9

struct okr_engine {
    const struct ob_okr_input *in;
    struct ob_arena *a;
    struct ob_diag *d;
    struct ob_okrs *out;
    /* Check-ins from the files, then inline ones, in that order. */
    struct ob_checkin **checkins;
    size_t n_checkins, cap_checkins;
    enum ob_err err;
    struct ob_hasher files; /* becomes out->files_key */
};

/* ---- check-in files ----------------------------------------------------- */

enum checkin_column { COL_KR, COL_DATE, COL_VALUE, COL_CONFIDENCE, COL_NOTE };
static const char *const checkin_columns[] = {"kr", "date", "value",
                                              "confidence", "note"};
#define N_CHECKIN_COLUMNS 5

struct checkin_reader {
    struct okr_engine *e;
    int col[N_CHECKIN_COLUMNS]; /* table column, or -1 */
};

static void
add_checkin(struct okr_engine *e, struct ob_checkin *c)
{
    OB_GROW(e->checkins, e->n_checkins + 1, e->cap_checkins);
    e->checkins[e->n_checkins++] = c;
}

static int
on_checkin_row(void *ctx, const struct ob_row *row)
{
    struct checkin_reader *r = ctx;
    struct okr_engine *e = r->e;
    const struct ob_value *v = row->values;
    struct ob_checkin *c = ob_arena_calloc(e->a, 1, sizeof(*c));
    struct ob_pos pos;

    c->pos = ob_row_cell_pos(row, (size_t)r->col[COL_KR]);
    c->note = "";
    if (v[r->col[COL_KR]].type != OB_VAL_STRING) {
        ob_diag_error(e->d, &c->pos, "a check-in needs the key result's id");
        return 0;
    }
    c->kr = ob_arena_strndup(e->a, v[r->col[COL_KR]].u.str.ptr,
                             v[r->col[COL_KR]].u.str.len);
    if (v[r->col[COL_DATE]].type != OB_VAL_DATE) {
        pos = ob_row_cell_pos(row, (size_t)r->col[COL_DATE]);
        ob_diag_error(e->d, &pos, "a check-in needs a date (YYYY-MM-DD)");
        return 0;
    }
    c->date = v[r->col[COL_DATE]].u.date;
    if (r->col[COL_VALUE] >= 0 && v[r->col[COL_VALUE]].type == OB_VAL_NUMBER) {
        c->has_value = true;
        c->value = v[r->col[COL_VALUE]].u.num;
    }
    if (r->col[COL_CONFIDENCE] >= 0 &&
        v[r->col[COL_CONFIDENCE]].type == OB_VAL_NUMBER) {
        c->confidence = v[r->col[COL_CONFIDENCE]].u.num;
        c->has_confidence = true;
        if (c->confidence < 0 || c->confidence > 1) {
            pos = ob_row_cell_pos(row, (size_t)r->col[COL_CONFIDENCE]);
            ob_diag_error(e->d, &pos, "a confidence is from 0 to 1, got %g",
                          c->confidence);
            return 0;
        }
    }
    if (r->col[COL_NOTE] >= 0 && v[r->col[COL_NOTE]].type == OB_VAL_STRING)
        c->note = ob_arena_strndup(e->a, v[r->col[COL_NOTE]].u.str.ptr,
                                   v[r->col[COL_NOTE]].u.str.len);
    add_checkin(e, c);
    return 0;
}

/* The check-in CSV of one OKR file, read through the data layer (any
 * delimiter, encoding detection, gzip) with its columns' types fixed. */
static void
read_checkin_file(struct okr_engine *e, const struct ob_okr_file *f)
{
    static const enum ob_column_type types[] = {OB_COL_STRING, OB_COL_DATE,
                                                OB_COL_NUMBER, OB_COL_NUMBER,
                                                OB_COL_STRING};
    struct ob_source src;
    struct ob_column_hint hints[N_CHECKIN_COLUMNS];
    struct checkin_reader r = {e, {-1, -1, -1, -1, -1}};
    struct ob_row_sink sink = {on_checkin_row, &r};
    struct ob_table t;
    enum ob_err err;
    size_t i;

    memset(&src, 0, sizeof(src));
    src.name = f->checkins.name;
    src.pos = f->checkins.pos;
    src.path = f->checkins.name;
    src.path_pos = f->checkins.pos;
    src.decimal = '.';
    src.checks.min_rows = -1;
    for (i = 0; i < N_CHECKIN_COLUMNS; i++)
        hints[i] = (struct ob_column_hint){checkin_columns[i], types[i],
                                           f->checkins.pos};
    src.columns = hints;
    src.n_columns = N_CHECKIN_COLUMNS;
    err = ob_table_open(&t, &src, e->in->root, e->in->tz, e->a, e->d);
    if (err) {
        e->err = err == OB_ERR_ENV || !e->err ? err : e->err;
        return;
    }
    for (i = 0; i < t.n_paths; i++)
        ob_cache_hash_bytes(&e->files, t.paths[i]);
    for (i = 0; i < N_CHECKIN_COLUMNS; i++)
        r.col[i] = ob_table_column(&t, checkin_columns[i]);
    if (r.col[COL_KR] < 0 || r.col[COL_DATE] < 0) {
        ob_diag_error(e->d, &f->checkins.pos,
                      "'%s' needs the columns kr and date (and value, "
                      "confidence, note)",
                      f->checkins.name);
        e->err = e->err ? e->err : OB_ERR_INPUT;
        return;
    }
    err = ob_table_scan(&t, e->d, &sink);
    if (err)
        e->err = err == OB_ERR_ENV || !e->err ? err : e->err;
}

/* ---- quarters ----------------------------------------------------------- */

static int
compare_quarters(const void *pa, const void *pb)
{
    const struct ob_quarter *a = pa, *b = pb;

    if (a->start != b->start)
        return (a->start > b->start) - (a->start < b->start);
    return (a->end > b->end) - (a->end < b->end);
}

static double
expected_at(int32_t start, int32_t end, int32_t as_of)
{
    if (as_of < start)
        return 0;
    if (as_of >= end)
        return 1;
    return (double)(as_of - start + 1) / (double)(end - start + 1);
}

static void
settle_quarter(struct okr_engine *e, struct ob_quarter *q)
{
    struct ob_calendar cal = {OB_GRAIN_QUARTER,
                              e->in->cfg->site.fiscal_year_start};
    int32_t as_of = e->in->as_of;
    char a[11], b[11];

    q->is_quarter = ob_period_start(&cal, q->start) == q->start &&
                    ob_period_last_day(&cal, q->start) == q->end;
    if (q->is_quarter) {
        ob_period_label(&cal, q->start, q->label);
    } else {
        ob_date_format(q->start, a);
        ob_date_format(q->end, b);
        snprintf(q->label, sizeof(q->label), "%s..%s", a, b);
    }
    q->day = as_of < q->end ? as_of : q->end;
    q->expected = expected_at(q->start, q->end, as_of);
    q->status = as_of < q->start ? OB_OKR_NOT_STARTED
                : as_of > q->end ? OB_OKR_ENDED
                                 : OB_OKR_ON_TRACK;
}

/* One quarter per distinct period of the files, sorted. */
static void
make_quarters(struct okr_engine *e)
{
    const struct ob_config *cfg = e->in->cfg;
    struct ob_okrs *o = e->out;
    size_t f, q;

    o->quarters =
        ob_arena_calloc(e->a, cfg->n_okr_files + 1, sizeof(*o->quarters));
    for (f = 0; f < cfg->n_okr_files; f++) {
        const struct ob_okr_file *file = &cfg->okr_files[f];

        for (q = 0; q < o->n_quarters; q++)
            if (o->quarters[q].start == file->start &&
                o->quarters[q].end == file->end)
                break;
        if (q == o->n_quarters) {
            o->quarters[q].start = file->start;
            o->quarters[q].end = file->end;
            o->n_quarters++;
        }
    }
    ob_qsort(o->quarters, o->n_quarters, sizeof(*o->quarters),
             compare_quarters);
    for (q = 0; q < o->n_quarters; q++)
        settle_quarter(e, &o->quarters[q]);
}

static struct ob_quarter *
quarter_of(struct ob_okrs *o, int32_t start, int32_t end)
{
    size_t q;

    for (q = 0; q < o->n_quarters; q++)
        if (o->quarters[q].start == start && o->quarters[q].end == end)
            return &o->quarters[q];
    return NULL;
}

/* The quarter holding as_of (the latest starting, if periods overlap),
 * else the latest that started before it. */
static int
latest_quarter(const struct ob_okrs *o, int32_t as_of)
{
    int best = -1;
    size_t q;

    for (q = 0; q < o->n_quarters; q++)
        if (o->quarters[q].start <= as_of && as_of <= o->quarters[q].end)
            best = (int)q;
    if (best >= 0)
        return best;
    for (q = 0; q < o->n_quarters; q++)
        if (o->quarters[q].start <= as_of)
            best = (int)q;
    return best;
}

/* ---- status -------------------------------------------------------------- */

static enum ob_okr_grade
grade_of(double progress)
{
    if (progress + SCORE_EPSILON >= 0.7)
        return OB_GRADE_GREEN;
    if (progress + SCORE_EPSILON >= 0.4)
        return OB_GRADE_YELLOW;
    return OB_GRADE_RED;
}

/* The spec's order: not started, ended (graded), done, then pace. */
static void
settle_status(const struct okr_engine *e, const struct ob_quarter *q,
              struct ob_okr_score *s)
{
    const struct ob_okr_rules *r = &e->in->cfg->okr_rules;
    double p = s->progress + SCORE_EPSILON;

    s->expected = q->expected;
    s->grade = OB_GRADE_NONE;
    if (q->status == OB_OKR_NOT_STARTED) {
        s->status = OB_OKR_NOT_STARTED;
    } else if (q->status == OB_OKR_ENDED) {
        s->status = OB_OKR_ENDED;
        s->grade = grade_of(s->progress);
    } else if (s->progress >= 1) {
        s->status = OB_OKR_DONE;
    } else if (p >= q->expected - r->on_track) {
        s->status = OB_OKR_ON_TRACK;
    } else if (p >= q->expected - r->at_risk) {
        s->status = OB_OKR_AT_RISK;
    } else {
        s->status = OB_OKR_OFF_TRACK;
    }
}

/* ---- key results ----------------------------------------------------------
 */

static int
compare_checkins(const void *pa, const void *pb)
{
    const struct ob_checkin *a = *(const struct ob_checkin *const *)pa,
                            *b = *(const struct ob_checkin *const *)pb;

    return (a->date > b->date) - (a->date < b->date);
}

/* The KR's check-ins up to as_of, by date; on one date the later given
 * (files first, then inline) counts as the latest. */
static void
collect_checkins(struct okr_engine *e, struct ob_kr *kr,
                 const struct ob_quarter *q)
{
    size_t i, n = 0;
    char end[11];

    kr->checkins =
        ob_arena_calloc(e->a, e->n_checkins + 1, sizeof(*kr->checkins));
    for (i = 0; i < e->n_checkins; i++) {
        const struct ob_checkin *c = e->checkins[i];

        if (strcmp(c->kr, kr->def->id))
            continue;
        if (c->date > q->end) {
            ob_date_format(q->end, end);
            ob_diag_warning(e->d, &c->pos,
                            "check-in for '%s' after the end of %s (%s)", c->kr,
                            q->label, end);
        }
        if (c->date > e->in->as_of)
            continue;
        kr->checkins[n++] = c;
    }
    /* insertion sort: stable, and a KR has few check-ins */
    for (i = 1; i < n; i++) {
        const struct ob_checkin *c = kr->checkins[i];
        size_t j = i;

        while (j > 0 && compare_checkins(&kr->checkins[j - 1], &c) > 0) {
            kr->checkins[j] = kr->checkins[j - 1];
            j--;
        }
        kr->checkins[j] = c;
    }
    kr->n_checkins = n;
}

/* The linked KPI's value in its latest period complete on `day`. */
static bool
kpi_value_on(const struct ob_kr *kr, int32_t day, double *v, int32_t *period)
{
    const struct ob_kpi *k = kr->kpi;
    int32_t p;

    if (!k || !k->ok)
        return false;
    p = ob_period_start(&k->cal, day);
    if (!ob_period_complete(&k->cal, p, day))
        p = ob_period_add(&k->cal, p, -1);
    *period = p;
    return ob_kpi_shown_value(k, p, (uint32_t)kr->group, v);
}

/* current: the KPI's value, else the latest check-in on or before the
 * evaluation day, else the baseline. */
static void
settle_current(struct ob_kr *kr, const struct ob_quarter *q)
{
    const struct ob_kr_def *def = kr->def;
    double v;
    size_t i;

    if (def->type == OB_KR_MILESTONE) {
        kr->current = def->done ? 1 : def->has_progress ? def->progress : 0;
        kr->from = OB_KR_FROM_MILESTONE;
        kr->score.progress = kr->current;
        return;
    }
    kr->from = OB_KR_FROM_BASELINE;
    kr->current = def->baseline;
    if (kpi_value_on(kr, q->day, &v, &kr->current_date)) {
        kr->current = v;
        kr->from = OB_KR_FROM_KPI;
    } else {
        for (i = kr->n_checkins; i-- > 0;) {
            const struct ob_checkin *c = kr->checkins[i];
            if (c->date <= q->day && c->has_value) {
                kr->current = c->value;
                kr->current_date = c->date;
                kr->from = OB_KR_FROM_CHECKIN;
                break;
            }
        }
    }
    kr->score.progress =
        (kr->current - def->baseline) / (def->target - def->baseline);
    if (kr->score.progress < 0)
        kr->score.progress = 0;
    if (kr->score.progress > 1)
        kr->score.progress = 1;
}

/* Confidence from the latest check-in on or before the evaluation day
 * that gives one, its trend against the one before, and staleness. */
static void
settle_confidence(const struct okr_engine *e, struct ob_kr *kr,
                  const struct ob_quarter *q)
{
    const struct ob_checkin *last = NULL, *before = NULL;
    int64_t stale_days = (e->in->cfg->okr_rules.checkin_stale + 86399) / 86400;
    int32_t as_of = e->in->as_of;
    size_t i;

    for (i = kr->n_checkins; i-- > 0;) {
        const struct ob_checkin *c = kr->checkins[i];

        if (c->date > q->day)
            continue;
        if (!kr->has_checkin) {
            kr->has_checkin = true;
            kr->last_checkin = c->date;
        }
        if (!c->has_confidence)
            continue;
        if (!last)
            last = c;
        else if (!before)
            before = c;
    }
    if (last) {
        kr->score.has_confidence = true;
        kr->score.confidence = last->confidence;
    }
    kr->trend = !last || !before                        ? OB_TREND_NONE
                : last->confidence > before->confidence ? OB_TREND_UP
                : last->confidence < before->confidence ? OB_TREND_DOWN
                                                        : OB_TREND_FLAT;
    /* Only while the quarter runs and the KR is not done; a KR fed by its
     * KPI alone needs none. */
    if (q->status != OB_OKR_ON_TRACK || kr->score.progress >= 1 ||
        (kr->kpi && !kr->has_checkin))
        return;
    kr->stale = kr->has_checkin ? (int64_t)as_of - kr->last_checkin > stale_days
                                : (int64_t)as_of - q->start >= stale_days;
}

/* A plain number KR shows the decimals its baseline and target are
 * written with, and enough to see a tenth of the way between them
 * (0 -> 0.1 reads "0.00 -> 0.04 -> 0.10"), at most four. */
static int
decimals_shown(const struct ob_kr_def *def)
{
    const double ends[2] = {def->baseline, def->target};
    double step = fabs(def->target - def->baseline) / 10;
    int best = 0, d, i;

    for (i = 0; i < 2; i++) {
        for (d = 0; d < 4; d++) {
            double scaled = ends[i] * pow(10, d);
            if (fabs(scaled - floor(scaled + 0.5)) <
                1e-9 * fmax(1, fabs(scaled)))
                break;
        }
        if (d > best)
            best = d;
    }
    for (d = best; d < 4 && step > 0 && step < pow(10, -d); d++)
        ;
    return d;
}

static void
settle_format(const struct okr_engine *e, struct ob_kr *kr)
{
    const struct ob_format_def *f = &kr->def->fmt;

    if (!f->given && kr->kpi) {
        kr->fmt = kr->kpi->fmt;
        if (f->decimals >= 0)
            kr->fmt.decimals = f->decimals;
        return;
    }
    kr->fmt.format = f->format;
    kr->fmt.currency = f->currency;
    kr->fmt.decimals = f->decimals;
    kr->fmt.language = e->in->cfg->site.language;
    if (f->decimals < 0 && f->format == OB_FMT_NUMBER &&
        kr->def->type == OB_KR_NUMERIC)
        kr->fmt.decimals = decimals_shown(kr->def);
}

/* The KPI a KR follows and its group. A group the KPI has no rows for up
 * to as_of is a warning, not an error: a key result on a region that has
 * no data yet must not stop the nightly build (nor an older --as-of); it
 * reads its check-ins or its baseline meanwhile. */
static void
link_kpi(struct okr_engine *e, struct ob_kr *kr)
{
    const struct ob_kr_def *def = kr->def;
    const char *hint;

    if (!def->kpi.name)
        return;
    kr->kpi = ob_kpis_find(e->in->kpis, def->kpi.name);
    if (!kr->kpi || !def->group.name || !kr->kpi->ok)
        return; /* a KPI that failed reported its own problems */
    kr->group = ob_kpi_group(kr->kpi, def->group.name);
    if (kr->group >= 0)
        return;
    hint = ob_suggest_n(def->group.name, kr->kpi->groups, kr->kpi->n_groups);
    if (hint)
        ob_diag_warning(e->d, &def->group.pos,
                        "KPI '%s' has no rows for group '%s' up to as_of "
                        "(did you mean '%s'?)",
                        kr->kpi->def->id, def->group.name, hint);
    else
        ob_diag_warning(e->d, &def->group.pos,
                        "KPI '%s' has no rows for group '%s' up to as_of",
                        kr->kpi->def->id, def->group.name);
    kr->group = 0;
    kr->kpi = NULL;
}

static void
evaluate_kr(struct okr_engine *e, struct ob_kr *kr, const struct ob_quarter *q)
{
    link_kpi(e, kr);
    collect_checkins(e, kr, q);
    settle_format(e, kr);
    settle_current(kr, q);
    settle_confidence(e, kr, q);
    settle_status(e, q, &kr->score);
}

/* ---- objectives -----------------------------------------------------------
 */

static void
make_objectives(struct okr_engine *e)
{
    const struct ob_config *cfg = e->in->cfg;
    struct ob_okrs *o = e->out;
    size_t f, i, k, n = 0;

    for (f = 0; f < cfg->n_okr_files; f++)
        n += cfg->okr_files[f].n_objectives;
    o->objectives = ob_arena_calloc(e->a, n + 1, sizeof(*o->objectives));
    for (f = 0; f < cfg->n_okr_files; f++) {
        const struct ob_okr_file *file = &cfg->okr_files[f];
        struct ob_quarter *q = quarter_of(o, file->start, file->end);

        for (i = 0; i < file->n_objectives; i++) {
            struct ob_objective *obj = &o->objectives[o->n_objectives++];

            obj->def = &file->objectives[i];
            obj->quarter = q;
            obj->n_krs = obj->def->n_krs;
            obj->krs = ob_arena_calloc(e->a, obj->n_krs + 1, sizeof(*obj->krs));
            for (k = 0; k < obj->n_krs; k++)
                obj->krs[k].def = &obj->def->krs[k];
            q->n_objectives++;
        }
    }
}

static struct ob_objective *
find_objective(struct ob_okrs *o, const char *id)
{
    size_t i;

    for (i = 0; i < o->n_objectives; i++)
        if (!strcmp(o->objectives[i].def->id, id))
            return &o->objectives[i];
    return NULL;
}

/* Parents, children and each quarter's list, all in file order. */
static void
link_objectives(struct okr_engine *e)
{
    struct ob_okrs *o = e->out;
    size_t i, q;

    for (q = 0; q < o->n_quarters; q++) {
        o->quarters[q].objectives =
            ob_arena_calloc(e->a, o->quarters[q].n_objectives + 1,
                            sizeof(struct ob_objective *));
        o->quarters[q].n_objectives = 0;
    }
    for (i = 0; i < o->n_objectives; i++) {
        struct ob_objective *obj = &o->objectives[i];
        struct ob_quarter *oq = obj->quarter;

        oq->objectives[oq->n_objectives++] = obj;
        if (obj->def->parent.name)
            obj->parent = find_objective(o, obj->def->parent.name);
        if (obj->parent)
            obj->parent->n_children++;
    }
    for (i = 0; i < o->n_objectives; i++) {
        struct ob_objective *obj = &o->objectives[i];
        obj->children =
            ob_arena_calloc(e->a, obj->n_children + 1, sizeof(*obj->children));
        obj->n_children = 0;
    }
    for (i = 0; i < o->n_objectives; i++) {
        struct ob_objective *obj = &o->objectives[i];
        if (obj->parent)
            obj->parent->children[obj->parent->n_children++] = obj;
    }
}

/* Weighted mean of the KRs' progress and confidence. */
static void
score_from_krs(struct ob_objective *obj)
{
    double w = 0, p = 0, cw = 0, c = 0;
    size_t k;

    for (k = 0; k < obj->n_krs; k++) {
        const struct ob_kr *kr = &obj->krs[k];

        w += kr->def->weight;
        p += kr->def->weight * kr->score.progress;
        if (kr->score.has_confidence) {
            cw += kr->def->weight;
            c += kr->def->weight * kr->score.confidence;
        }
    }
    obj->score.progress = w > 0 ? p / w : 0;
    obj->score.has_confidence = cw > 0;
    obj->score.confidence = cw > 0 ? c / cw : 0;
}

/* An objective without KRs: the unweighted mean of its aligned children,
 * rolled up first (alignment has no cycles: the loader checked). `depth`
 * bounds the walk all the same. */
static void
score_objective(struct okr_engine *e, struct ob_objective *obj, size_t depth,
                uint8_t *done)
{
    size_t i, idx = (size_t)(obj - e->out->objectives), with_conf = 0;
    double p = 0, c = 0;

    if (done[idx] || depth > e->out->n_objectives)
        return;
    done[idx] = 1;
    if (obj->n_krs) {
        score_from_krs(obj);
        return;
    }
    obj->rolled_up = true;
    for (i = 0; i < obj->n_children; i++) {
        struct ob_objective *ch = obj->children[i];

        score_objective(e, ch, depth + 1, done);
        p += ch->score.progress;
        if (ch->score.has_confidence) {
            c += ch->score.confidence;
            with_conf++;
        }
    }
    if (!obj->n_children)
        ob_diag_warning(e->d, &obj->def->pos,
                        "objective '%s' has no key results and no aligned "
                        "objectives: its progress is 0",
                        obj->def->id);
    obj->score.progress = obj->n_children ? p / (double)obj->n_children : 0;
    obj->score.has_confidence = with_conf > 0;
    obj->score.confidence = with_conf ? c / (double)with_conf : 0;
}

static void
evaluate(struct okr_engine *e)
{
    struct ob_okrs *o = e->out;
    uint8_t *done = ob_xcalloc(o->n_objectives + 1, 1);
    size_t i, k;

    for (i = 0; i < o->n_objectives; i++)
        for (k = 0; k < o->objectives[i].n_krs; k++)
            evaluate_kr(e, &o->objectives[i].krs[k], o->objectives[i].quarter);
    for (i = 0; i < o->n_objectives; i++)
        score_objective(e, &o->objectives[i], 0, done);
    for (i = 0; i < o->n_objectives; i++)
        settle_status(e, o->objectives[i].quarter, &o->objectives[i].score);
    free(done);
}

/* Every check-in must name a key result. */
static void
check_checkin_krs(struct okr_engine *e)
{
    const struct ob_okrs *o = e->out;
    const char **ids;
    size_t i, k, n = 0;

    for (i = 0; i < o->n_objectives; i++)
        n += o->objectives[i].n_krs;
    ids = ob_arena_calloc(e->a, n + 1, sizeof(*ids));
    n = 0;
    for (i = 0; i < o->n_objectives; i++)
        for (k = 0; k < o->objectives[i].n_krs; k++)
            ids[n++] = o->objectives[i].krs[k].def->id;
    for (i = 0; i < e->n_checkins; i++) {
        const struct ob_checkin *c = e->checkins[i];
        const char *hint;

        for (k = 0; k < n && strcmp(ids[k], c->kr); k++)
            ;
        if (k < n)
            continue;
        hint = ob_suggest(c->kr, ids);
        if (hint)
            ob_diag_error(e->d, &c->pos,
                          "check-in for unknown key result '%s' (did you "
                          "mean '%s'?)",
                          c->kr, hint);
        else
            ob_diag_error(e->d, &c->pos, "check-in for unknown key result '%s'",
                          c->kr);
        e->err = e->err ? e->err : OB_ERR_INPUT;
    }
}

enum ob_err
ob_okrs_compute(struct ob_okrs *o, const struct ob_okr_input *in,
                struct ob_arena *a, struct ob_diag *d)
{
    struct okr_engine e = {in, a, d, o, NULL, 0, 0, OB_OK, {0}};
    const struct ob_config *cfg = in->cfg;
    size_t f, i, k, c;

    memset(o, 0, sizeof(*o));
    o->latest = -1;
    ob_hasher_init(&e.files);
    for (f = 0; f < cfg->n_okr_files; f++)
        if (cfg->okr_files[f].checkins.name)
            read_checkin_file(&e, &cfg->okr_files[f]);
    for (f = 0; f < cfg->n_okr_files; f++)
        for (i = 0; i < cfg->okr_files[f].n_objectives; i++)
            for (k = 0; k < cfg->okr_files[f].objectives[i].n_krs; k++) {
                const struct ob_kr_def *kr =
                    &cfg->okr_files[f].objectives[i].krs[k];
                for (c = 0; c < kr->n_checkins; c++)
                    add_checkin(&e, &kr->checkins[c]);
            }
    make_quarters(&e);
    make_objectives(&e);
    link_objectives(&e);
    check_checkin_krs(&e);
    evaluate(&e);
    o->latest = latest_quarter(o, in->as_of);
    o->files_key = ob_hasher_finish(&e.files);
    free(e.checkins);
    return e.err;
}

int
ob_okrs_quarter(const struct ob_okrs *o, const char *name,
                unsigned fiscal_year_start)
{
    struct ob_calendar cal = {OB_GRAIN_QUARTER, fiscal_year_start};
    int32_t start;
    size_t q;

    for (q = 0; q < o->n_quarters; q++)
        if (!strcmp(o->quarters[q].label, name))
            return (int)q;
    if (!ob_quarter_parse(name, fiscal_year_start, &start))
        return -1;
    for (q = 0; q < o->n_quarters; q++)
        if (o->quarters[q].start == start &&
            o->quarters[q].end == ob_period_last_day(&cal, start))
            return (int)q;
    return -1;
}

bool
ob_okrs_progress(const struct ob_okrs *o, const char *id, double *out)
{
    size_t i, k;

    for (i = 0; i < o->n_objectives; i++) {
        const struct ob_objective *obj = &o->objectives[i];

        if (!strcmp(obj->def->id, id)) {
            *out = obj->score.progress;
            return true;
        }
        for (k = 0; k < obj->n_krs; k++)
            if (!strcmp(obj->krs[k].def->id, id)) {
                *out = obj->krs[k].score.progress;
                return true;
            }
    }
    return false;
}

const char *
ob_okr_status_name(enum ob_okr_status s)
{
    static const char *const names[] = {"not_started", "ended",   "done",
                                        "on_track",    "at_risk", "off_track"};
    return names[s];
}

const char *
ob_okr_grade_name(enum ob_okr_grade g)
{
    static const char *const names[] = {"", "green", "yellow", "red"};
    return names[g];
}

const char *
ob_trend_name(enum ob_trend t)
{
    static const char *const names[] = {"", "up", "down", "flat"};
    return names[t];
}
