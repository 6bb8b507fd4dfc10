/* annotfile.c: load the annotations file: dated notes for time charts. */
/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "opsbook/config.h"
#include "opsbook/mem.h"

#include "config_int.h"

/*
 * The file is a list of notes:
 *
 *   - {date: 2026-03-14, label: "Release 4.2", kpis: [wau, activation]}
 *   - {date: 2026-06-02, label: Login outage}
 *
 * A note without `kpis` belongs on every time chart.
 */
static const key_list note_keys = {"date", "label", "kpis", NULL};

static bool
load_note(struct loader *l, struct ob_annotation *a,
          const struct ob_yaml_node *n, const char **kpi_ids)
{
    const struct ob_yaml_node *date, *kpis;
    size_t i;

    memset(a, 0, sizeof(*a));
    if (!ob_yaml_expect_map(l->d, n))
        return false;
    cfg_check_keys(l, n, note_keys, "an annotation");
    a->pos = n->pos;
    date = ob_yaml_get(n, "date");
    if (!date) {
        ob_diag_error(l->d, &n->pos, "an annotation needs a 'date'");
        return false;
    }
    if (!ob_yaml_date(l->d, date, &a->date))
        return false;
    cfg_opt_string(l, n, "label", &a->label);
    if (!a->label || !*a->label) {
        ob_diag_error(l->d, &n->pos, "an annotation needs a 'label'");
        return false;
    }
    kpis = ob_yaml_get(n, "kpis");
    if (kpis)
        a->kpis = cfg_name_list(l, kpis, &a->n_kpis);
    for (i = 0; i < a->n_kpis; i++)
        if (!ob_config_kpi(l->cfg, a->kpis[i].name))
            cfg_unknown_name(l, &a->kpis[i], "KPI", kpi_ids);
    return true;
}

static void
add_notes(struct loader *l, const struct ob_yaml_node *root, void *ctx)
{
    struct ob_config *cfg = l->cfg;
    struct ob_annotation *grown;
    size_t i;

    if (!ob_yaml_expect_seq(l->d, root))
        return;
    grown = ob_arena_calloc(l->a, cfg->n_notes + root->n + 1, sizeof(*grown));
    if (cfg->n_notes)
        memcpy(grown, cfg->notes, cfg->n_notes * sizeof(*grown));
    cfg->notes = grown;
    for (i = 0; i < root->n; i++)
        if (load_note(l, &cfg->notes[cfg->n_notes], root->items[i], ctx))
            cfg->n_notes++;
}

void
cfg_load_annotations(struct loader *l)
{
    const struct ob_config *cfg = l->cfg;
    const char **ids = ob_arena_calloc(l->a, cfg->n_kpis + 1, sizeof(*ids));
    size_t i;

    for (i = 0; i < cfg->n_kpis; i++)
        ids[i] = cfg->kpis[i].id;
    cfg_each_file(l, &l->cfg->annotations, "annotations file", add_notes, ids);
}
