/* okrout.c: `opsbook okrs` output: a readable tree, and JSON. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/okrout.h"

#include <math.h>
#include <string.h>

#include "opsbook/date.h"
#include "opsbook/json.h"
#include "opsbook/numfmt.h"

static bool
shown(const struct ob_okrout *o, size_t q)
{
    return !o->selected || o->selected[q];
}

/* Roots of a quarter's tree: objectives without a parent in the quarter. */
static bool
is_root(const struct ob_objective *obj)
{
    return !obj->parent || obj->parent->quarter != obj->quarter;
}

/* ---- the tree -------------------------------------------------------- */

#define BAR_WIDTH 10

static void
put_bar(struct ob_buf *out, double progress)
{
    int filled = (int)floor(progress * BAR_WIDTH + 0.5), i;

    ob_buf_putc(out, '[');
    for (i = 0; i < BAR_WIDTH; i++)
        ob_buf_putc(out, i < filled ? '#' : '-');
    ob_buf_putc(out, ']');
}

static void
put_percent(struct ob_buf *out, double share)
{
    ob_buf_printf(out, "%3.0f%%", floor(share * 100 + 0.5));
}

static void
put_indent(struct ob_buf *out, size_t depth)
{
    size_t i;

    for (i = 0; i < depth; i++)
        ob_buf_puts(out, "  ");
}

/* "on_track", "ended (green)", then the confidence and its trend. */
static void
put_status(struct ob_buf *out, const struct ob_okr_score *s)
{
    ob_buf_puts(out, ob_okr_status_name(s->status));
    if (s->grade != OB_GRADE_NONE)
        ob_buf_printf(out, " (%s)", ob_okr_grade_name(s->grade));
    if (s->has_confidence)
        ob_buf_printf(out, "  confidence %.2f", s->confidence);
}

static void
put_kr(struct ob_buf *out, const struct ob_kr *kr, size_t depth)
{
    const struct ob_kr_def *def = kr->def;

    put_indent(out, depth);
    ob_buf_printf(out, "- %s  %s\n", def->id, def->title);
    put_indent(out, depth + 1);
    ob_buf_puts(out, "  ");
    put_bar(out, kr->score.progress);
    ob_buf_putc(out, ' ');
    put_percent(out, kr->score.progress);
    ob_buf_puts(out, "  ");
    if (def->type == OB_KR_MILESTONE) {
        ob_buf_puts(out, "milestone");
    } else {
        ob_numfmt_value(out, &kr->fmt, def->baseline);
        ob_buf_puts(out, " -> ");
        ob_numfmt_value(out, &kr->fmt, kr->current);
        ob_buf_puts(out, " -> ");
        ob_numfmt_value(out, &kr->fmt, def->target);
        if (kr->from == OB_KR_FROM_KPI)
            ob_buf_printf(out, " (KPI %s)", def->kpi.name);
        else if (kr->from == OB_KR_FROM_CHECKIN)
            ob_buf_puts(out, " (check-in)");
    }
    ob_buf_puts(out, "  ");
    put_status(out, &kr->score);
    if (kr->trend != OB_TREND_NONE)
        ob_buf_printf(out, " %s", ob_trend_name(kr->trend));
    if (kr->stale)
        ob_buf_puts(out, "  no recent check-in");
    ob_buf_putc(out, '\n');
}

static void
put_objective(struct ob_buf *out, const struct ob_objective *obj, size_t depth)
{
    size_t i;

    put_indent(out, depth);
    ob_buf_printf(out, "%s  %s", obj->def->id, obj->def->title);
    if (obj->def->owner[0])
        ob_buf_printf(out, "  (%s)", obj->def->owner);
    if (obj->parent && is_root(obj))
        ob_buf_printf(out, "  aligned to %s", obj->parent->def->id);
    ob_buf_putc(out, '\n');
    put_indent(out, depth + 1);
    put_bar(out, obj->score.progress);
    ob_buf_putc(out, ' ');
    put_percent(out, obj->score.progress);
    ob_buf_puts(out, "  ");
    put_status(out, &obj->score);
    if (obj->rolled_up && obj->n_children)
        ob_buf_puts(out, "  (from aligned objectives)");
    ob_buf_putc(out, '\n');
    for (i = 0; i < obj->n_krs; i++)
        put_kr(out, &obj->krs[i], depth + 1);
    for (i = 0; i < obj->n_children; i++)
        if (obj->children[i]->quarter == obj->quarter)
            put_objective(out, obj->children[i], depth + 1);
}

void
ob_okrout_text(const struct ob_okrout *o, struct ob_buf *out)
{
    const struct ob_okrs *okrs = o->okrs;
    char a[11], b[11];
    bool first = true;
    size_t q, i;

    for (q = 0; q < okrs->n_quarters; q++) {
        const struct ob_quarter *qt = &okrs->quarters[q];

        if (!shown(o, q))
            continue;
        if (!first)
            ob_buf_putc(out, '\n');
        first = false;
        ob_date_format(qt->start, a);
        ob_date_format(qt->end, b);
        if (qt->is_quarter)
            ob_buf_printf(out, "%s  %s..%s  ", qt->label, a, b);
        else
            ob_buf_printf(out, "%s  ", qt->label);
        if (qt->status == OB_OKR_NOT_STARTED)
            ob_buf_puts(out, "not started\n");
        else if (qt->status == OB_OKR_ENDED)
            ob_buf_puts(out, "ended\n");
        else
            ob_buf_printf(out, "day %d of %d, expected %.0f%%\n",
                          o->as_of - qt->start + 1, qt->end - qt->start + 1,
                          floor(qt->expected * 100 + 0.5));
        for (i = 0; i < qt->n_objectives; i++)
            if (is_root(qt->objectives[i]))
                put_objective(out, qt->objectives[i], 1);
    }
}

/* ---- JSON ------------------------------------------------------------ */

static void
json_score(struct ob_buf *out, const struct ob_okr_score *s)
{
    ob_json_key(out, false, "progress");
    ob_json_num(out, true, s->progress);
    ob_json_key(out, false, "expected");
    ob_json_num(out, true, s->expected);
    ob_json_key(out, false, "status");
    ob_json_str(out, ob_okr_status_name(s->status));
    ob_json_key(out, false, "grade");
    ob_json_str(out, s->grade ? ob_okr_grade_name(s->grade) : NULL);
    ob_json_key(out, false, "confidence");
    ob_json_num(out, s->has_confidence, s->confidence);
}

static void
json_kr(struct ob_buf *out, const struct ob_kr *kr)
{
    static const char *const from[] = {"kpi", "checkin", "baseline",
                                       "milestone"};
    const struct ob_kr_def *def = kr->def;
    bool numeric = def->type == OB_KR_NUMERIC;

    ob_json_key(out, true, "id");
    ob_json_str(out, def->id);
    ob_json_key(out, false, "title");
    ob_json_str(out, def->title);
    ob_json_key(out, false, "type");
    ob_json_str(out, numeric ? "numeric" : "milestone");
    ob_json_key(out, false, "kpi");
    ob_json_str(out, def->kpi.name);
    ob_json_key(out, false, "group");
    ob_json_str(out, def->group.name);
    ob_json_key(out, false, "weight");
    ob_json_num(out, true, def->weight);
    ob_json_key(out, false, "baseline");
    ob_json_num(out, numeric, def->baseline);
    ob_json_key(out, false, "target");
    ob_json_num(out, numeric, def->target);
    ob_json_key(out, false, "current");
    ob_json_num(out, true, kr->current);
    ob_json_key(out, false, "current_from");
    ob_json_str(out, from[kr->from]);
    json_score(out, &kr->score);
    ob_json_key(out, false, "confidence_trend");
    ob_json_str(out, kr->trend ? ob_trend_name(kr->trend) : NULL);
    ob_json_key(out, false, "last_checkin");
    if (kr->has_checkin)
        ob_json_date(out, kr->last_checkin);
    else
        ob_buf_puts(out, "null");
    ob_json_key(out, false, "no_recent_checkin");
    ob_buf_puts(out, kr->stale ? "true" : "false");
}

static void
json_objective(struct ob_buf *out, const struct ob_objective *obj)
{
    size_t i;

    ob_json_key(out, true, "id");
    ob_json_str(out, obj->def->id);
    ob_json_key(out, false, "title");
    ob_json_str(out, obj->def->title);
    ob_json_key(out, false, "owner");
    ob_json_str(out, obj->def->owner);
    ob_json_key(out, false, "team");
    ob_json_str(out, obj->def->team);
    ob_json_key(out, false, "parent");
    ob_json_str(out, obj->parent ? obj->parent->def->id : NULL);
    ob_json_key(out, false, "children");
    ob_buf_putc(out, '[');
    for (i = 0; i < obj->n_children; i++) {
        if (i)
            ob_buf_puts(out, ", ");
        ob_json_str(out, obj->children[i]->def->id);
    }
    ob_buf_putc(out, ']');
    ob_json_key(out, false, "rolled_up");
    ob_buf_puts(out, obj->rolled_up ? "true" : "false");
    json_score(out, &obj->score);
    ob_json_key(out, false, "key_results");
    ob_buf_putc(out, '[');
    for (i = 0; i < obj->n_krs; i++) {
        ob_buf_puts(out, i ? ",\n        {" : "\n        {");
        json_kr(out, &obj->krs[i]);
        ob_buf_putc(out, '}');
    }
    ob_buf_puts(out, obj->n_krs ? "\n      ]" : "]");
}

static void
json_quarter(struct ob_buf *out, const struct ob_quarter *q)
{
    static const char *const states[] = {"not_started", "ended"};
    size_t i;

    ob_json_key(out, true, "quarter");
    ob_json_str(out, q->label);
    ob_json_key(out, false, "start");
    ob_json_date(out, q->start);
    ob_json_key(out, false, "end");
    ob_json_date(out, q->end);
    ob_json_key(out, false, "state");
    ob_json_str(out, q->status <= OB_OKR_ENDED ? states[q->status] : "running");
    ob_json_key(out, false, "expected");
    ob_json_num(out, true, q->expected);
    ob_json_key(out, false, "objectives");
    ob_buf_putc(out, '[');
    for (i = 0; i < q->n_objectives; i++) {
        ob_buf_puts(out, i ? ",\n      {" : "\n      {");
        json_objective(out, q->objectives[i]);
        ob_buf_putc(out, '}');
    }
    ob_buf_puts(out, q->n_objectives ? "\n    ]" : "]");
}

void
ob_okrout_json(const struct ob_okrout *o, struct ob_buf *out)
{
    const struct ob_okrs *okrs = o->okrs;
    bool first = true;
    size_t q;

    ob_buf_puts(out, "{");
    ob_json_key(out, true, "as_of");
    ob_json_date(out, o->as_of);
    ob_json_key(out, false, "latest");
    ob_json_str(out,
                okrs->latest >= 0 ? okrs->quarters[okrs->latest].label : NULL);
    ob_json_key(out, false, "quarters");
    ob_buf_putc(out, '[');
    for (q = 0; q < okrs->n_quarters; q++) {
        if (!shown(o, q))
            continue;
        ob_buf_puts(out, first ? "\n    {" : ",\n    {");
        first = false;
        json_quarter(out, &okrs->quarters[q]);
        ob_buf_putc(out, '}');
    }
    ob_buf_puts(out, first ? "]}\n" : "\n  ]}\n");
}
