/* okrfile.c: load the OKR files opsbook.yaml names, check every key. */
/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/buf.h"
#include "opsbook/config.h"
#include "opsbook/mem.h"
#include "opsbook/period.h"
#include "opsbook/text.h"

#include "config_int.h"

static const key_list file_keys = {"quarter",  "start",      "end",
                                   "checkins", "objectives", NULL};
static const key_list objective_keys = {"id",          "title", "description",
                                        "owner",       "team",  "parent",
                                        "key_results", NULL};
static const key_list kr_keys = {
    "id",    "title",    "description", "owner",  "type",   "kpi",
    "group", "baseline", "target",      "weight", "format", "decimals",
    "done",  "progress", "checkins",    NULL};
static const key_list checkin_keys = {"date", "value", "confidence", "note",
                                      NULL};
static const char *const kr_types[] = {"numeric", "milestone", NULL};

/* Ids of objectives and key results: letters, digits, '-', '_' and '.'
 * (OKR tools write "growth-O1-KR2"). */
static bool
valid_okr_id(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
            return false;
    return true;
}

/* The `id:` of an objective or key result; NULL (reported) when missing or
 * malformed. */
static const char *
load_id(struct loader *l, const struct ob_yaml_node *map, const char *what,
        struct ob_pos *pos)
{
    const struct ob_yaml_node *n = ob_yaml_get(map, "id");
    const char *id;

    if (!n) {
        ob_diag_error(l->d, &map->pos, "%s needs an 'id'", what);
        return NULL;
    }
    if (!ob_yaml_str(l->d, n, &id))
        return NULL;
    if (!valid_okr_id(id)) {
        ob_diag_error(l->d, &n->pos,
                      "id '%s' may hold only letters, digits, '-', '_' and '.'",
                      id);
        return NULL;
    }
    *pos = n->pos;
    return id;
}

static void
opt_name(struct loader *l, const struct ob_yaml_node *map, const char *key,
         struct ob_name *out)
{
    const struct ob_yaml_node *n = ob_yaml_get(map, key);

    if (n && ob_yaml_str(l->d, n, &out->name))
        out->pos = n->pos;
}

/* A number from 0 to 1 (progress, confidence). */
static bool
opt_share(struct loader *l, const struct ob_yaml_node *map, const char *key,
          double *out)
{
    double v = -1;

    if (!ob_yaml_get(map, key))
        return false;
    cfg_opt_number(l, map, key, 0, 1, &v);
    if (v < 0)
        return false;
    *out = v;
    return true;
}

/* ---- check-ins ---------------------------------------------------------- */

static bool
load_checkin(struct loader *l, struct ob_checkin *c, const char *kr,
             const struct ob_yaml_node *n)
{
    const struct ob_yaml_node *date, *value;

    memset(c, 0, sizeof(*c));
    if (!ob_yaml_expect_map(l->d, n))
        return false;
    cfg_check_keys(l, n, checkin_keys, "a check-in");
    c->kr = kr;
    c->pos = n->pos;
    c->note = "";
    date = ob_yaml_get(n, "date");
    if (!date) {
        ob_diag_error(l->d, &n->pos, "a check-in needs a 'date'");
        return false;
    }
    if (!ob_yaml_date(l->d, date, &c->date))
        return false;
    value = ob_yaml_get(n, "value");
    if (value && ob_yaml_number(l->d, value, &c->value))
        c->has_value = true;
    c->has_confidence = opt_share(l, n, "confidence", &c->confidence);
    cfg_opt_string(l, n, "note", &c->note);
    return true;
}

static void
load_inline_checkins(struct loader *l, struct ob_kr_def *kr,
                     const struct ob_yaml_node *n)
{
    size_t i;

    if (!ob_yaml_expect_seq(l->d, n))
        return;
    kr->checkins = ob_arena_calloc(l->a, n->n + 1, sizeof(*kr->checkins));
    for (i = 0; i < n->n; i++)
        if (load_checkin(l, &kr->checkins[kr->n_checkins], kr->id, n->items[i]))
            kr->n_checkins++;
}

/* ---- key results -------------------------------------------------------- */

static void
load_kr_numbers(struct loader *l, struct ob_kr_def *kr,
                const struct ob_yaml_node *n)
{
    const struct ob_yaml_node *v;

    v = ob_yaml_get(n, "baseline");
    if (v && ob_yaml_number(l->d, v, &kr->baseline))
        kr->has_baseline = true;
    v = ob_yaml_get(n, "target");
    if (v && ob_yaml_number(l->d, v, &kr->target))
        kr->has_target = true;
    v = ob_yaml_get(n, "weight");
    if (v && ob_yaml_number(l->d, v, &kr->weight) && !(kr->weight > 0))
        ob_diag_error(l->d, &v->pos, "a weight must be more than 0, got '%s'",
                      v->str);
}

/* Rules that tie several keys of a key result together. */
static void
check_kr(struct loader *l, const struct ob_kr_def *kr,
         const struct ob_yaml_node *n)
{
    const struct ob_yaml_node *v;

    if (kr->type == OB_KR_MILESTONE) {
        static const char *const numeric_only[] = {"kpi", "group", "baseline",
                                                   "target"};
        size_t i;

        for (i = 0; i < sizeof(numeric_only) / sizeof(*numeric_only); i++)
            if ((v = ob_yaml_get(n, numeric_only[i])))
                ob_diag_error(l->d, &v->pos,
                              "a milestone has no '%s' (it is done or not)",
                              numeric_only[i]);
        return;
    }
    if ((v = ob_yaml_get(n, "done")) || (v = ob_yaml_get(n, "progress")))
        ob_diag_error(l->d, &v->pos,
                      "'%s' is for milestones (add 'type: milestone')",
                      v == ob_yaml_get(n, "done") ? "done" : "progress");
    if (!kr->has_baseline || !kr->has_target) {
        if (!ob_yaml_get(n, "baseline") || !ob_yaml_get(n, "target"))
            ob_diag_error(l->d, &kr->pos,
                          "key result '%s' needs a 'baseline' and a 'target' "
                          "(or 'type: milestone')",
                          kr->id);
        return;
    }
    if (kr->baseline == kr->target)
        ob_diag_error(l->d, &ob_yaml_get(n, "target")->pos,
                      "the target equals the baseline (%g): progress would "
                      "divide by zero",
                      kr->target);
    if (kr->group.name && !kr->kpi.name)
        ob_diag_error(l->d, &kr->group.pos,
                      "'group' needs a 'kpi' (a KPI with 'by')");
}

static bool
load_kr(struct loader *l, struct ob_kr_def *kr, const struct ob_yaml_node *n)
{
    const struct ob_yaml_node *v;

    memset(kr, 0, sizeof(*kr));
    if (!ob_yaml_expect_map(l->d, n))
        return false;
    cfg_check_keys(l, n, kr_keys, "a key result");
    kr->id = load_id(l, n, "a key result", &kr->pos);
    if (!kr->id)
        return false;
    kr->title = kr->id;
    kr->description = kr->owner = "";
    kr->weight = 1;
    kr->fmt.format = OB_FMT_NUMBER;
    kr->fmt.decimals = -1;
    cfg_opt_string(l, n, "title", &kr->title);
    cfg_opt_string(l, n, "description", &kr->description);
    cfg_opt_string(l, n, "owner", &kr->owner);
    v = ob_yaml_get(n, "type");
    if (v) {
        int t = cfg_choice(l, v, kr_types, "key result type");
        if (t < 0)
            return true; /* what the rest needs depends on the type */
        kr->type = (enum ob_kr_type)t;
    }
    opt_name(l, n, "kpi", &kr->kpi);
    opt_name(l, n, "group", &kr->group);
    load_kr_numbers(l, kr, n);
    cfg_format_keys(l, &kr->fmt, n);
    cfg_opt_bool(l, n, "done", &kr->done);
    kr->has_progress = opt_share(l, n, "progress", &kr->progress);
    v = ob_yaml_get(n, "checkins");
    if (v)
        load_inline_checkins(l, kr, v);
    check_kr(l, kr, n);
    return true;
}

/* ---- objectives and files ---------------------------------------------- */

static bool
load_objective(struct loader *l, struct ob_objective_def *o,
               const struct ob_yaml_node *n)
{
    const struct ob_yaml_node *krs;
    size_t i;

    memset(o, 0, sizeof(*o));
    if (!ob_yaml_expect_map(l->d, n))
        return false;
    cfg_check_keys(l, n, objective_keys, "an objective");
    o->id = load_id(l, n, "an objective", &o->pos);
    if (!o->id)
        return false;
    o->title = o->id;
    o->description = o->owner = o->team = "";
    cfg_opt_string(l, n, "title", &o->title);
    cfg_opt_string(l, n, "description", &o->description);
    cfg_opt_string(l, n, "owner", &o->owner);
    cfg_opt_string(l, n, "team", &o->team);
    opt_name(l, n, "parent", &o->parent);
    krs = ob_yaml_get(n, "key_results");
    if (!krs || ob_yaml_is_null(krs) || !ob_yaml_expect_seq(l->d, krs))
        return true;
    o->krs = ob_arena_calloc(l->a, krs->n + 1, sizeof(*o->krs));
    for (i = 0; i < krs->n; i++)
        if (load_kr(l, &o->krs[o->n_krs], krs->items[i]))
            o->n_krs++;
    return true;
}

/* `quarter:`, or `start:` and `end:` (inclusive). */
static bool
load_period(struct loader *l, struct ob_okr_file *f,
            const struct ob_yaml_node *root)
{
    struct ob_calendar cal = {OB_GRAIN_QUARTER, l->cfg->site.fiscal_year_start};
    const struct ob_yaml_node *q = ob_yaml_get(root, "quarter"),
                              *start = ob_yaml_get(root, "start"),
                              *end = ob_yaml_get(root, "end");
    const char *s;

    if (q && (start || end)) {
        ob_diag_error(l->d, &(start ? start : end)->pos,
                      "give 'quarter' or 'start' and 'end', not both");
        return false;
    }
    if (q) {
        f->pos = q->pos;
        if (!ob_yaml_str(l->d, q, &s))
            return false;
        if (!ob_quarter_parse(s, cal.fiscal_year_start, &f->start)) {
            ob_diag_error(l->d, &q->pos,
                          "expected a quarter such as 2026-Q4 (or FY27-Q1), "
                          "got '%s'",
                          s);
            return false;
        }
        f->end = ob_period_last_day(&cal, f->start);
        return true;
    }
    if (!start || !end) {
        ob_diag_error(l->d, &root->pos,
                      "an OKR file needs a 'quarter' (or 'start' and 'end')");
        return false;
    }
    f->pos = start->pos;
    if (!ob_yaml_date(l->d, start, &f->start) ||
        !ob_yaml_date(l->d, end, &f->end))
        return false;
    if (f->end < f->start) {
        ob_diag_error(l->d, &end->pos, "'end' is before 'start'");
        return false;
    }
    return true;
}

static void
add_okr_file(struct loader *l, const struct ob_yaml_node *root, void *cap)
{
    struct ob_config *cfg = l->cfg;
    struct ob_okr_file *f;
    const struct ob_yaml_node *objs, *v;
    size_t i;

    if (!ob_yaml_expect_map(l->d, root))
        return;
    cfg_check_keys(l, root, file_keys, "an OKR file");
    if (cfg->n_okr_files == *(size_t *)cap) {
        size_t ncap = cfg->n_okr_files ? cfg->n_okr_files * 2 : 8;
        struct ob_okr_file *grown = ob_arena_calloc(l->a, ncap, sizeof(*f));
        if (cfg->n_okr_files)
            memcpy(grown, cfg->okr_files, cfg->n_okr_files * sizeof(*f));
        cfg->okr_files = grown;
        *(size_t *)cap = ncap;
    }
    f = &cfg->okr_files[cfg->n_okr_files];
    memset(f, 0, sizeof(*f));
    f->path = root->pos.path;
    if (!load_period(l, f, root))
        return;
    v = ob_yaml_get(root, "checkins");
    if (v && ob_yaml_str(l->d, v, &f->checkins.name)) {
        f->checkins.pos = v->pos;
        if (!ob_fs_path_is_clean(f->checkins.name))
            ob_diag_error(l->d, &v->pos,
                          "'%s' must be a path inside the site (relative, "
                          "without '.' or '..')",
                          f->checkins.name);
    }
    objs = ob_yaml_get(root, "objectives");
    if (!objs || !ob_yaml_expect_seq(l->d, objs)) {
        if (!objs)
            ob_diag_error(l->d, &root->pos, "an OKR file needs 'objectives'");
        return;
    }
    f->objectives = ob_arena_calloc(l->a, objs->n + 1, sizeof(*f->objectives));
    for (i = 0; i < objs->n; i++)
        if (load_objective(l, &f->objectives[f->n_objectives], objs->items[i]))
            f->n_objectives++;
    cfg->n_okr_files++;
}

/* ---- checks across files ------------------------------------------------ */

struct okr_id {
    const char *id;
    const struct ob_pos *pos;
    size_t order;
};

static int
compare_ids(const void *pa, const void *pb)
{
    const struct okr_id *a = pa, *b = pb;
    int c = strcmp(a->id, b->id);

    return c ? c : (a->order > b->order) - (a->order < b->order);
}

/* Objective and key result ids share one namespace across all files. */
static void
check_unique_ids(struct loader *l)
{
    const struct ob_config *cfg = l->cfg;
    struct okr_id *ids = NULL;
    size_t n = 0, cap = 0, f, o, k, i;

    for (f = 0; f < cfg->n_okr_files; f++) {
        const struct ob_okr_file *file = &cfg->okr_files[f];

        for (o = 0; o < file->n_objectives; o++) {
            const struct ob_objective_def *obj = &file->objectives[o];

            OB_GROW(ids, n + 1 + obj->n_krs, cap);
            ids[n] = (struct okr_id){obj->id, &obj->pos, n};
            n++;
            for (k = 0; k < obj->n_krs; k++, n++)
                ids[n] = (struct okr_id){obj->krs[k].id, &obj->krs[k].pos, n};
        }
    }
    ob_qsort(ids, n, sizeof(*ids), compare_ids);
    for (i = 1; i < n; i++) {
        size_t first = i;

        while (first > 0 && !strcmp(ids[first - 1].id, ids[i].id))
            first--;
        if (first == i)
            continue;
        ob_diag_error(l->d, ids[i].pos,
                      "duplicate OKR id '%s' (first defined at %s:%u:%u)",
                      ids[i].id, ids[first].pos->path,
                      (unsigned)ids[first].pos->line,
                      (unsigned)ids[first].pos->col);
    }
    free(ids);
}

/* Every objective of every file, in order (NULL-terminated). */
static const struct ob_objective_def **
all_objectives(struct loader *l, size_t *count)
{
    const struct ob_config *cfg = l->cfg;
    const struct ob_objective_def **v;
    size_t n = 0, f, o;

    for (f = 0; f < cfg->n_okr_files; f++)
        n += cfg->okr_files[f].n_objectives;
    v = ob_arena_calloc(l->a, n + 1, sizeof(*v));
    n = 0;
    for (f = 0; f < cfg->n_okr_files; f++)
        for (o = 0; o < cfg->okr_files[f].n_objectives; o++)
            v[n++] = &cfg->okr_files[f].objectives[o];
    *count = n;
    return v;
}

static const struct ob_objective_def *
find_objective(const struct ob_objective_def **v, size_t n, const char *id)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!strcmp(v[i]->id, id))
            return v[i];
    return NULL;
}

/* Following parents from objective i comes back to it: reported once per
 * cycle, at the objective of the cycle that comes first in the files,
 * with the whole path. */
static void
report_cycle(struct loader *l, const struct ob_objective_def **v, size_t n,
             size_t i)
{
    const struct ob_objective_def *o = v[i], *p = o;
    struct ob_buf path = OB_BUF_INIT;
    size_t steps;

    for (steps = 0; steps <= n; steps++) {
        p = p->parent.name ? find_objective(v, n, p->parent.name) : NULL;
        if (!p || p == o)
            break;
        if (find_objective(v, i, p->id))
            return; /* an earlier objective of the cycle reports it */
    }
    if (p != o)
        return;
    ob_buf_puts(&path, o->id);
    do {
        p = find_objective(v, n, p->parent.name);
        ob_buf_printf(&path, " -> %s", p->id);
    } while (p != o);
    ob_diag_error(l->d, &o->parent.pos, "alignment cycle: %s", path.ptr);
    ob_buf_release(&path);
}

/* Parents must exist, and following them must not come back around. */
static void
check_parents(struct loader *l)
{
    size_t n, i;
    const struct ob_objective_def **v = all_objectives(l, &n);
    const char **names = ob_arena_calloc(l->a, n + 1, sizeof(*names));

    for (i = 0; i < n; i++)
        names[i] = v[i]->id;
    for (i = 0; i < n; i++) {
        const struct ob_objective_def *o = v[i], *p;
        const char *hint;

        if (!o->parent.name)
            continue;
        p = find_objective(v, n, o->parent.name);
        if (!p) {
            hint = ob_suggest(o->parent.name, names);
            if (hint && !strcmp(hint, o->id))
                hint = NULL; /* never "did you mean yourself" */
            if (hint)
                ob_diag_error(l->d, &o->parent.pos,
                              "unknown parent objective '%s' (did you mean "
                              "'%s'?)",
                              o->parent.name, hint);
            else
                ob_diag_error(l->d, &o->parent.pos,
                              "unknown parent objective '%s'", o->parent.name);
            continue;
        }
        report_cycle(l, v, n, i);
    }
}

/* Linked KPIs must exist; a KPI with `by` needs a group, one without none.
 * (Whether the group has data is known once the KPI is computed.) */
static void
check_kr_kpis(struct loader *l)
{
    const struct ob_config *cfg = l->cfg;
    const char **names = ob_arena_calloc(l->a, cfg->n_kpis + 1, sizeof(*names));
    size_t f, o, k, i;

    for (i = 0; i < cfg->n_kpis; i++)
        names[i] = cfg->kpis[i].id;
    for (f = 0; f < cfg->n_okr_files; f++)
        for (o = 0; o < cfg->okr_files[f].n_objectives; o++)
            for (k = 0; k < cfg->okr_files[f].objectives[o].n_krs; k++) {
                const struct ob_kr_def *kr =
                    &cfg->okr_files[f].objectives[o].krs[k];
                const struct ob_kpi_def *kpi;

                if (!kr->kpi.name)
                    continue;
                kpi = ob_config_kpi(cfg, kr->kpi.name);
                if (!kpi) {
                    cfg_unknown_name(l, &kr->kpi, "KPI", names);
                } else if (kpi->by.name && !kr->group.name) {
                    ob_diag_error(l->d, &kr->kpi.pos,
                                  "KPI '%s' has one series per '%s': name "
                                  "the one this key result follows with "
                                  "'group'",
                                  kpi->id, kpi->by.name);
                } else if (!kpi->by.name && kr->group.name) {
                    ob_diag_error(l->d, &kr->group.pos,
                                  "KPI '%s' has no 'by', so no groups",
                                  kpi->id);
                }
            }
}

void
cfg_load_okrs(struct loader *l)
{
    size_t cap = 0, i;

    for (i = 0; i < l->cfg->n_okr_globs; i++)
        if (ob_fs_path_is_clean(l->cfg->okr_globs[i].name))
            cfg_each_file(l, &l->cfg->okr_globs[i], "OKR file", add_okr_file,
                          &cap);
    check_unique_ids(l);
    check_parents(l);
    check_kr_kpis(l);
}
