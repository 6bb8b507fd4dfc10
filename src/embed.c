/* embed.c: dashboards inside a page: fenced `opsbook` blocks. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/embed.h"

#include <stdlib.h>
#include <string.h>

#include "opsbook/arena.h"
#include "opsbook/kpiview.h"
#include "opsbook/mem.h"
#include "opsbook/okrview.h"
#include "opsbook/text.h"
#include "opsbook/yaml.h"

enum kind { KIND_KPI, KIND_KPIS, KIND_CHART, KIND_TABLE, KIND_OKRS, N_KINDS };

/* Each kind's key, and the options it takes (NULL-terminated). */
static const char *const kind_keys[] = {"kpi",   "kpis", "chart",
                                        "table", "okrs", NULL};
static const char *const kind_options[N_KINDS][5] = {
    [KIND_KPI] = {"group", NULL},
    [KIND_KPIS] = {NULL},
    [KIND_CHART] = {"type", "periods", "target", "group", NULL},
    [KIND_TABLE] = {"periods", "group", NULL},
    [KIND_OKRS] = {"team", NULL},
};

/* Every key a body may hold, for "did you mean". */
static const char *const all_keys[] = {"kpi",    "kpis",  "chart", "table",
                                       "okrs",   "group", "type",  "periods",
                                       "target", "team",  NULL};

/* One embed being read: its view, sink and the nodes it names. */
struct embed {
    const struct ob_view *v;
    struct ob_diag *d;
    struct ob_diag *outer; /* for problems at the fence: its column is right */
    const struct ob_pos *fence;
    const struct ob_yaml_node *map;
    enum kind kind;
    const struct ob_yaml_node *subject; /* the kind key's value */
};

static bool
in_list(const char *key, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(key, *list))
            return true;
    return false;
}

/* The one kind key of the body; a second, or none, is reported. */
static bool
find_kind(struct embed *e)
{
    size_t i;
    int found = -1;

    for (i = 0; i < e->map->n; i++) {
        const struct ob_yaml_node *k = e->map->pairs[i].key;
        int j;

        for (j = 0; j < N_KINDS; j++) {
            if (strcmp(k->str, kind_keys[j]))
                continue;
            if (found >= 0) {
                ob_diag_error(e->d, &k->pos,
                              "an opsbook block shows one thing: '%s' "
                              "after '%s'",
                              k->str, kind_keys[found]);
                return false;
            }
            found = j;
            e->subject = e->map->pairs[i].value;
        }
    }
    if (found < 0) {
        ob_diag_error(e->outer, e->fence,
                      "an opsbook block needs one of kpi, kpis, chart, "
                      "table or okrs (as in 'kpi: ID')");
        return false;
    }
    e->kind = (enum kind)found;
    return true;
}

/* Another kind's option: say which ones this kind takes. */
static void
not_an_option(struct embed *e, const struct ob_yaml_node *k)
{
    const char *const *o = kind_options[e->kind];
    struct ob_buf list = OB_BUF_INIT;

    for (; *o; o++)
        ob_buf_printf(&list, "%s%s", list.len ? ", " : "", *o);
    ob_diag_error(e->d, &k->pos, "'%s' is no option of a '%s' block (%s%s)",
                  k->str, kind_keys[e->kind],
                  list.len ? "its options: " : "it has no options",
                  list.len ? list.ptr : "");
    ob_buf_release(&list);
}

/* Keys that are no option of the kind: a misspelling, or another kind's. */
static void
check_options(struct embed *e)
{
    size_t i;

    for (i = 0; i < e->map->n; i++) {
        const struct ob_yaml_node *k = e->map->pairs[i].key;

        if (in_list(k->str, kind_keys) ||
            in_list(k->str, kind_options[e->kind]))
            continue;
        if (in_list(k->str, all_keys))
            not_an_option(e, k);
        else
            ob_diag_unknown(e->d, &k->pos, "key", k->str, all_keys,
                            sizeof all_keys / sizeof *all_keys - 1);
    }
}

static const struct ob_kpi *
find_kpi(struct embed *e, const struct ob_yaml_node *n)
{
    const struct ob_kpis *k = &e->v->b->kpis;
    const char *id, **ids;
    const struct ob_kpi *kpi;
    size_t i;

    if (!ob_yaml_str(e->d, n, &id))
        return NULL;
    kpi = ob_kpis_find(k, id);
    if (kpi)
        return kpi;
    ids = ob_xcalloc(k->n + 1, sizeof(*ids));
    for (i = 0; i < k->n; i++)
        ids[i] = k->kpis[i].def->id;
    ob_diag_unknown(e->d, &n->pos, "KPI", id, ids, k->n);
    free(ids);
    return NULL;
}

/* The `group:` option: a group of a `by` KPI. *out stays NULL without
 * one. */
static bool
read_group(struct embed *e, const struct ob_kpi *kpi, const char **out)
{
    const struct ob_yaml_node *n = ob_yaml_get(e->map, "group");
    const char *g, *hint;

    *out = NULL;
    if (!n)
        return true;
    if (!ob_yaml_str(e->d, n, &g))
        return false;
    if (!kpi->def->by.name) {
        ob_diag_error(e->d, &n->pos, "KPI '%s' has no 'by', so no groups",
                      kpi->def->id);
        return false;
    }
    /* A group may have no rows yet (a new category, an older as-of):
     * shown as no data, and said, as for a key result. */
    if (ob_kpi_group(kpi, g) < 0) {
        hint = ob_suggest_n(g, kpi->groups, kpi->n_groups);
        if (hint)
            ob_diag_warning(e->d, &n->pos,
                            "KPI '%s' has no group '%s' up to the as-of day "
                            "(did you mean '%s'?): shown as no data",
                            kpi->def->id, g, hint);
        else
            ob_diag_warning(e->d, &n->pos,
                            "KPI '%s' has no group '%s' up to the as-of day: "
                            "shown as no data",
                            kpi->def->id, g);
    }
    *out = g;
    return true;
}

/* The card's group: -1 for none named, past the last for one without
 * rows (a card with no data). */
static int
group_index(const struct ob_kpi *kpi, const char *group)
{
    int g;

    if (!group)
        return -1;
    g = ob_kpi_group(kpi, group);
    return g >= 0 ? g : (int)kpi->n_groups;
}

static bool
read_chart_type(struct embed *e, struct ob_kpi_chart_opts *o)
{
    static const char *const names[] = {"line", "bar", "stacked", NULL};
    static const enum ob_chart_kind kinds[] = {OB_CHART_LINE, OB_CHART_BAR,
                                               OB_CHART_STACKED};
    const struct ob_yaml_node *n = ob_yaml_get(e->map, "type");
    const char *t;
    size_t i;

    if (!n)
        return true;
    if (!ob_yaml_str(e->d, n, &t))
        return false;
    for (i = 0; names[i]; i++) {
        if (!strcmp(t, names[i])) {
            o->kind_given = true;
            o->kind = kinds[i];
            return true;
        }
    }
    ob_diag_error(e->d, &n->pos,
                  "unknown chart type '%s' (one of line, bar, stacked)", t);
    return false;
}

/* periods, target, type, group: what a chart or table shows. */
static bool
read_chart_opts(struct embed *e, const struct ob_kpi *kpi,
                struct ob_kpi_chart_opts *o)
{
    const struct ob_yaml_node *periods = ob_yaml_get(e->map, "periods");
    const struct ob_yaml_node *target = ob_yaml_get(e->map, "target");
    long long n = 0;
    bool ok = true;

    memset(o, 0, sizeof(*o));
    o->target = true;
    if (periods && !ob_yaml_int(e->d, periods, 1, 1000, &n))
        ok = false;
    o->periods = (int)n;
    if (target && !ob_yaml_bool(e->d, target, &o->target))
        ok = false;
    if (!read_chart_type(e, o))
        ok = false;
    return read_group(e, kpi, &o->group) && ok;
}

static void
render_kpi(struct embed *e, struct ob_buf *out)
{
    static const char *const classes[] = {[KIND_KPI] = "embed-kpi",
                                          [KIND_CHART] = "embed-chart",
                                          [KIND_TABLE] = "embed-table"};
    const struct ob_kpi *kpi = find_kpi(e, e->subject);
    const char *group;
    struct ob_kpi_chart_opts o;

    if (!kpi)
        return;
    ob_buf_printf(out, "<div class=\"embed %s\">\n", classes[e->kind]);
    switch (e->kind) {
    case KIND_KPI:
        if (read_group(e, kpi, &group))
            ob_kpiview_card(e->v, kpi, group_index(kpi, group), out);
        break;
    case KIND_CHART:
        if (read_chart_opts(e, kpi, &o))
            ob_kpiview_chart(e->v, kpi, &o, out);
        break;
    default:
        if (read_chart_opts(e, kpi, &o))
            ob_kpiview_table(e->v, kpi, &o, out);
        break;
    }
    ob_buf_puts(out, "</div>\n");
}

/* kpis: [IDs], or kpis: all. */
static void
render_kpis(struct embed *e, struct ob_buf *out)
{
    const struct ob_kpis *k = &e->v->b->kpis;
    const struct ob_yaml_node *list = e->subject;
    const struct ob_kpi **kpis;
    size_t i, n = 0;
    const char *all;

    if (ob_yaml_str(NULL, list, &all) && !strcmp(all, "all")) {
        kpis = ob_xcalloc(k->n + 1, sizeof(*kpis));
        for (i = 0; i < k->n; i++)
            kpis[n++] = &k->kpis[i];
    } else {
        if (!ob_yaml_expect_seq(e->d, list))
            return;
        kpis = ob_xcalloc(list->n + 1, sizeof(*kpis));
        for (i = 0; i < list->n; i++)
            if ((kpis[n] = find_kpi(e, list->items[i])))
                n++;
        if (n < list->n) {
            free(kpis);
            return;
        }
    }
    ob_buf_puts(out, "<div class=\"embed embed-kpis\">\n");
    ob_kpiview_cards(e->v, kpis, n, out);
    ob_buf_puts(out, "</div>\n");
    free(kpis);
}

/* Whether an objective of quarter `q` belongs to `team`. */
static bool
quarter_has_team(const struct ob_quarter *q, const char *team)
{
    size_t i;

    for (i = 0; i < q->n_objectives; i++) {
        const char *t = q->objectives[i]->def->team;

        if (t && !strcmp(t, team))
            return true;
    }
    return false;
}

static void
unknown_quarter(struct embed *e, const char *name)
{
    const struct ob_okrs *o = &e->v->b->okrs;
    struct ob_buf known = OB_BUF_INIT;
    size_t i;

    for (i = 0; i < o->n_quarters; i++)
        ob_buf_printf(&known, "%s%s", i ? ", " : "", o->quarters[i].label);
    ob_diag_error(e->d, &e->subject->pos,
                  "no OKRs for the quarter '%s' (there are: %s, latest)", name,
                  known.ptr);
    ob_buf_release(&known);
}

/* okrs: QUARTER (or latest), team: T. */
static void
render_okrs(struct embed *e, struct ob_buf *out)
{
    const struct ob_build *b = e->v->b;
    const struct ob_yaml_node *team_node = ob_yaml_get(e->map, "team");
    const char *name, *team = NULL;
    const struct ob_quarter *q;
    int i;

    if (!ob_yaml_str(e->d, e->subject, &name))
        return;
    if (!strcmp(name, "latest"))
        i = b->okrs.latest;
    else
        i = ob_okrs_quarter(&b->okrs, name, b->config.site.fiscal_year_start);
    if (i < 0) {
        if (!b->okrs.n_quarters)
            ob_diag_error(e->d, &e->subject->pos,
                          "no OKRs to show ('okrs:' in opsbook.yaml names "
                          "the OKR files)");
        else if (!strcmp(name, "latest"))
            ob_diag_error(e->d, &e->subject->pos,
                          "no OKR quarter has started by the as-of day");
        else
            unknown_quarter(e, name);
        return;
    }
    q = &b->okrs.quarters[i];
    if (team_node) {
        if (!ob_yaml_str(e->d, team_node, &team))
            return;
        if (!quarter_has_team(q, team)) {
            ob_diag_error(e->d, &team_node->pos,
                          "no objective of %s belongs to the team '%s'",
                          q->label, team);
            return;
        }
    }
    ob_buf_printf(out, "<div class=\"embed embed-okrs\">\n");
    ob_okrview_tree(e->v, q, team, out);
    ob_buf_puts(out, "</div>\n");
}

static void
render(struct embed *e, struct ob_buf *out)
{
    if (!find_kind(e))
        return;
    check_options(e); /* and go on: every problem is said at once */
    if (e->kind == KIND_KPIS)
        render_kpis(e, out);
    else if (e->kind == KIND_OKRS)
        render_okrs(e, out);
    else
        render_kpi(e, out);
}

/* The body's columns start at the fence's: move the positions there. */
static void
shift_columns(struct ob_diag *d, uint32_t by)
{
    size_t i;

    for (i = 0; i < d->len; i++)
        if (d->entries[i].pos.line)
            d->entries[i].pos.col += by;
}

void
ob_embed_render(const struct ob_view *v, const char *body, size_t len,
                const struct ob_pos *fence, struct ob_diag *d,
                struct ob_buf *out)
{
    struct ob_arena a;
    struct ob_diag local;
    struct ob_buf html = OB_BUF_INIT;
    size_t errors = d->errors;
    struct embed e = {v, &local, d, fence, NULL, KIND_KPI, NULL};

    ob_arena_init(&a);
    ob_diag_init(&local, d->max);
    e.map = ob_yaml_parse(&a, &local, fence->path, body, len, fence->line + 1,
                          &ob_yaml_default_limits);
    if (e.map && ob_yaml_is_null(e.map))
        ob_diag_error(d, fence,
                      "empty opsbook block: write 'kpi: ID', 'kpis: [IDs]', "
                      "'chart: ID', 'table: ID' or 'okrs: QUARTER'");
    else if (e.map && ob_yaml_expect_map(&local, e.map))
        render(&e, &html);
    if (fence->col > 1)
        shift_columns(&local, fence->col - 1);
    if (local.errors == 0 && d->errors == errors)
        ob_buf_add(out, html.ptr, html.len);
    ob_diag_absorb(d, &local);
    ob_diag_release(&local);
    ob_buf_release(&html);
    ob_arena_release(&a);
}
