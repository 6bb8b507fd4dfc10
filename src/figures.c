/* figures.c: the KPI charts a site shows, each drawn once, in both
 * themes. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/figures.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/arena.h"
#include "opsbook/buf.h"
#include "opsbook/mem.h"

struct entry {
    struct ob_figure fig;
    const struct ob_kpi *kpi;
    char *key; /* the options, written out: what makes two figures one */
    struct ob_chart chart;
};

struct ob_figures {
    struct ob_arena a;
    enum ob_language lang;
    const struct ob_annotation *notes;
    size_t n_notes;
    struct entry **items;
    size_t n, cap;
};

struct ob_figures *
ob_figures_new(enum ob_language lang, const struct ob_annotation *notes,
               size_t n_notes)
{
    struct ob_figures *f = ob_xcalloc(1, sizeof(*f));

    ob_arena_init(&f->a);
    f->lang = lang;
    f->notes = notes;
    f->n_notes = n_notes;
    return f;
}

void
ob_figures_free(struct ob_figures *f)
{
    if (!f)
        return;
    free(f->items);
    ob_arena_release(&f->a);
    free(f);
}

size_t
ob_figures_count(const struct ob_figures *f)
{
    return f->n;
}

/* Options that ask for what the defaults give are the defaults: an
 * embed's `periods: 52` on a weekly KPI is the KPI page's chart. */
static struct ob_kpi_chart_opts
normal(const struct ob_kpi *kpi, const struct ob_kpi_chart_opts *o)
{
    struct ob_kpi_chart_opts n = *o;
    int g = n.group ? ob_kpi_group(kpi, n.group) : -1;

    if (kpi->n_groups == 1)
        g = 0;
    if (n.periods == ob_kpi_chart_default_periods(kpi->cal.grain))
        n.periods = 0;
    if (n.kind_given && n.kind == ob_kpi_chart_default_kind(kpi, g))
        n.kind_given = false;
    return n;
}

/* The options as text: equal options, equal keys. */
static char *
key_of(struct ob_arena *a, const struct ob_kpi *kpi,
       const struct ob_kpi_chart_opts *o)
{
    return ob_arena_printf(a, "%s|%d|%d|%d|%d|%s", kpi->def->id,
                           o->kind_given ? 1 : 0,
                           o->kind_given ? (int)o->kind : -1, o->periods,
                           o->target ? 1 : 0, o->group ? o->group : "\x01");
}

static bool
is_default(const struct ob_kpi_chart_opts *o)
{
    return !o->kind_given && !o->periods && o->target && !o->group;
}

/* FNV-1a: a short, stable name for a set of options. */
static uint32_t
fnv1a(const char *s)
{
    uint32_t h = 2166136261u;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static bool
name_taken(const struct ob_figures *f, const char *name)
{
    size_t i;

    for (i = 0; i < f->n; i++)
        if (!strcmp(f->items[i]->fig.name, name))
            return true;
    return false;
}

/* "kpis/ID" for the default chart, else "kpis/ID-HASH"; a clash of
 * hashes (never seen, but possible) moves to the next free number. */
static const char *
name_of(struct ob_figures *f, const struct ob_kpi *kpi,
        const struct ob_kpi_chart_opts *o, const char *key)
{
    uint32_t h = fnv1a(key);
    const char *name;

    if (is_default(o))
        return ob_arena_printf(&f->a, "kpis/%s", kpi->def->id);
    do
        name = ob_arena_printf(&f->a, "kpis/%s-%08x", kpi->def->id, h++);
    while (name_taken(f, name));
    return name;
}

const struct ob_figure *
ob_figures_add(struct ob_figures *f, const struct ob_kpi *kpi,
               const struct ob_kpi_chart_opts *o)
{
    struct ob_kpi_chart_opts n = normal(kpi, o), with_notes = n;
    char *key = key_of(&f->a, kpi, &n);
    struct entry *e;
    size_t i;

    for (i = 0; i < f->n; i++)
        if (!strcmp(f->items[i]->key, key))
            return &f->items[i]->fig;
    e = ob_arena_calloc(&f->a, 1, sizeof(*e));
    e->kpi = kpi;
    e->key = key;
    if (with_notes.group)
        with_notes.group = ob_arena_strdup(&f->a, with_notes.group);
    with_notes.notes = f->notes;
    with_notes.n_notes = f->n_notes;
    ob_kpi_chart(&e->chart, kpi, &with_notes, f->lang, &f->a);
    e->fig.name = name_of(f, kpi, &n, key);
    e->fig.chart = &e->chart;
    OB_GROW(f->items, f->n + 1, f->cap);
    f->items[f->n++] = e;
    return &e->fig;
}

enum ob_err
ob_figures_write(struct ob_figures *f, unsigned threads, struct ob_output *out,
                 struct ob_diag *d)
{
    static const char *const suffix[] = {
        [OB_THEME_LIGHT] = ".svg", [OB_THEME_DARK] = ".dark.svg"};
    struct ob_chart_job *jobs = ob_xcalloc(2 * f->n + 1, sizeof(*jobs));
    struct ob_buf path = OB_BUF_INIT;
    size_t i;
    enum ob_err err;

    for (i = 0; i < 2 * f->n; i++) {
        jobs[i].chart = &f->items[i / 2]->chart;
        jobs[i].theme = i % 2 ? OB_THEME_DARK : OB_THEME_LIGHT;
    }
    err = ob_chart_draw_all(jobs, 2 * f->n, threads, NULL, d);
    for (i = 0; i < 2 * f->n; i++) {
        if (!err) {
            ob_buf_reset(&path);
            ob_buf_puts(&path, f->items[i / 2]->fig.name);
            ob_buf_puts(&path, suffix[jobs[i].theme]);
            err = ob_output_write(out, d, path.ptr, jobs[i].out.ptr,
                                  jobs[i].out.len);
        }
        ob_buf_release(&jobs[i].out);
    }
    ob_buf_release(&path);
    free(jobs);
    return err;
}
