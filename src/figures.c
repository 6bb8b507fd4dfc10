/* figures.c: the KPI charts a site shows, each drawn once, in both
 * themes. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/figures.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/arena.h"
#include "opsbook/buf.h"
#include "opsbook/cache.h"
#include "opsbook/mem.h"
#include "opsbook/pathindex.h"

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
    struct ob_figure_ask *asks; /* every ob_figures_add(), in order */
    size_t n_asks, cap_asks;
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
    free(f->asks);
    free(f->items);
    ob_arena_release(&f->a);
    free(f);
}

size_t
ob_figures_count(const struct ob_figures *f)
{
    return f->n;
}

size_t
ob_figures_asked(const struct ob_figures *f)
{
    return f->n_asks;
}

const struct ob_figure_ask *
ob_figures_ask(const struct ob_figures *f, size_t i)
{
    return i < f->n_asks ? &f->asks[i] : NULL;
}

static void
note_ask(struct ob_figures *f, const struct ob_kpi *kpi,
         const struct ob_kpi_chart_opts *o)
{
    struct ob_figure_ask *ask;

    OB_GROW(f->asks, f->n_asks + 1, f->cap_asks);
    ask = &f->asks[f->n_asks++];
    ask->kpi = kpi->def->id;
    ask->opts = *o;
    ask->opts.group = o->group ? ob_arena_strdup(&f->a, o->group) : NULL;
    ask->opts.notes = NULL;
    ask->opts.n_notes = 0;
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

    note_ask(f, kpi, o);
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

/* ---- what the last build drew ------------------------------------------ */

#define CACHE_FILE "figures"

struct drawn {
    const char *name; /* in the cache file's bytes */
    uint64_t key;     /* ob_chart_key() of its chart */
};

struct last_drawn {
    struct ob_cache_file file;
    struct drawn *list;
    size_t n;
    struct ob_path_index index;
};

static uint64_t
fonts_key(void)
{
    struct ob_hasher h;

    ob_hasher_init(&h);
    ob_chart_hash_fonts(&h, ob_cache_now());
    return ob_hasher_finish(&h);
}

/* The last build's figures, when it drew them with these fonts. */
static void
last_load(struct last_drawn *l, const char *dir, uint64_t fonts)
{
    struct ob_cache_reader r;
    size_t i, n;

    memset(l, 0, sizeof(*l));
    if (!dir || !ob_cache_open(&r, &l->file, dir, CACHE_FILE, CACHE_FILE))
        return;
    if (ob_cache_get_u64(&r) != fonts)
        return;
    n = ob_cache_get_count(&r, 16);
    l->list = ob_xcalloc(n + 1, sizeof(*l->list));
    for (i = 0; i < n; i++) {
        l->list[i].name = ob_cache_get_cstr(&r);
        l->list[i].key = ob_cache_get_u64(&r);
        if (!l->list[i].name)
            r.bad = true;
    }
    if (!ob_cache_done(&r)) {
        free(l->list);
        l->list = NULL;
        return;
    }
    l->n = n;
    ob_path_index_build(&l->index, l->list, n, sizeof(*l->list),
                        offsetof(struct drawn, name));
}

static void
last_release(struct last_drawn *l)
{
    ob_path_index_release(&l->index);
    free(l->list);
    ob_cache_file_release(&l->file);
}

static void
save(const struct ob_figures *f, const uint64_t *keys, uint64_t fonts,
     struct ob_buf *out)
{
    size_t i;

    ob_cache_begin(out, CACHE_FILE);
    ob_cache_put_u64(out, fonts);
    ob_cache_put_u64(out, f->n);
    for (i = 0; i < f->n; i++) {
        ob_cache_put_cstr(out, f->items[i]->fig.name);
        ob_cache_put_u64(out, keys[i]);
    }
}

/* ---- drawing ------------------------------------------------------------ */

static const char *const suffix[] = {
    [OB_THEME_LIGHT] = ".svg", [OB_THEME_DARK] = ".dark.svg"};

static const char *
file_of(struct ob_buf *path, const struct entry *e, enum ob_chart_theme theme)
{
    ob_buf_reset(path);
    ob_buf_puts(path, e->fig.name);
    ob_buf_puts(path, suffix[theme]);
    return path->ptr;
}

/* Whether the last build drew figure `e` (its chart's key `key`) and OUT
 * holds both of its files as written. */
static bool
still_drawn(const struct last_drawn *l, struct ob_output *out,
            const struct entry *e, uint64_t key, struct ob_buf *path)
{
    const struct drawn *had = ob_path_index_find(&l->index, e->fig.name);

    return had && had->key == key &&
           ob_output_unchanged(out, file_of(path, e, OB_THEME_LIGHT)) &&
           ob_output_unchanged(out, file_of(path, e, OB_THEME_DARK));
}

/* Puts the figures kept (`kept[i]`) into `out` as they are. */
static enum ob_err
reuse_kept(const struct ob_figures *f, const bool *kept, struct ob_output *out,
           struct ob_diag *d, struct ob_buf *path)
{
    enum ob_err err = OB_OK;
    size_t i;

    for (i = 0; i < f->n && !err; i++) {
        if (!kept[i])
            continue;
        err =
            ob_output_reuse(out, d, file_of(path, f->items[i], OB_THEME_LIGHT));
        if (!err)
            err = ob_output_reuse(out, d,
                                  file_of(path, f->items[i], OB_THEME_DARK));
    }
    return err;
}

enum ob_err
ob_figures_write(struct ob_figures *f, unsigned threads, struct ob_output *out,
                 struct ob_diag *d, const char *cache_dir, struct ob_buf *keep,
                 bool verbose)
{
    struct ob_chart_job *jobs = ob_xcalloc(2 * f->n + 1, sizeof(*jobs));
    size_t *item_of = ob_xcalloc(2 * f->n + 1, sizeof(*item_of));
    uint64_t *keys = ob_xcalloc(f->n + 1, sizeof(*keys));
    bool *kept = ob_xcalloc(f->n + 1, sizeof(*kept));
    struct ob_buf path = OB_BUF_INIT;
    uint64_t fonts = f->n ? fonts_key() : 0;
    struct last_drawn last;
    size_t i, n_jobs = 0, n_kept = 0;
    enum ob_chart_theme theme;
    enum ob_err err;

    /* no charts, nothing to keep (or to look up) */
    last_load(&last, f->n ? cache_dir : NULL, fonts);
    for (i = 0; i < f->n; i++) {
        keys[i] = ob_chart_key(&f->items[i]->chart);
        kept[i] = still_drawn(&last, out, f->items[i], keys[i], &path);
        n_kept += kept[i];
        if (kept[i])
            continue;
        for (theme = OB_THEME_LIGHT; theme <= OB_THEME_DARK; theme++) {
            jobs[n_jobs].chart = &f->items[i]->chart;
            jobs[n_jobs].theme = theme;
            item_of[n_jobs++] = i;
        }
    }
    last_release(&last);
    err = reuse_kept(f, kept, out, d, &path);
    if (!err && n_jobs)
        err = ob_chart_draw_all(jobs, n_jobs, threads, NULL, d);
    for (i = 0; i < n_jobs; i++) {
        if (!err)
            err = ob_output_write(
                out, d, file_of(&path, f->items[item_of[i]], jobs[i].theme),
                jobs[i].out.ptr, jobs[i].out.len);
        ob_buf_release(&jobs[i].out);
    }
    if (!err && keep && f->n)
        save(f, keys, fonts, keep);
    if (verbose)
        fprintf(stderr, "opsbook: charts   %zu drawn, %zu unchanged\n",
                f->n - n_kept, n_kept);
    ob_buf_release(&path);
    free(kept);
    free(keys);
    free(item_of);
    free(jobs);
    return err;
}
