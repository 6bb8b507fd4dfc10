/* build.c: the pipeline, top to bottom: load, model, compute, render, write. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "opsbook/buf.h"
#include "opsbook/cache.h"
#include "opsbook/chart.h"
#include "opsbook/figures.h"
#include "opsbook/kpicache.h"
#include "opsbook/warehouse.h"
#include "opsbook/mail.h"
#include "opsbook/date.h"
#include "opsbook/mem.h"
#include "opsbook/output.h"
#include "opsbook/pool.h"
#include "opsbook/report.h"
#include "opsbook/site.h"

#define CONFIG_FILE     "opsbook.yaml"
#define MAX_DIAGNOSTICS 1000

void
ob_build_init(struct ob_build *b, const struct ob_options *opt)
{
    memset(b, 0, sizeof(*b));
    b->opt = *opt;
    ob_arena_init(&b->arena);
    ob_diag_init(&b->diag, MAX_DIAGNOSTICS);
    b->diag.strict = opt->strict;
    ob_buf_init(&b->kpi_cache);
}

void
ob_build_release(struct ob_build *b)
{
    for (size_t i = 0; b->tables && i < b->config.n_sources; i++)
        ob_warehouse_close(&b->tables[i]);
    ob_buf_release(&b->kpi_cache);
    ob_tz_free(b->tz);
    free(b->cache_dir);
    ob_fs_root_release(&b->root);
    ob_diag_release(&b->diag);
    ob_arena_release(&b->arena);
    memset(b, 0, sizeof(*b));
}

/* An absolute base_url: pages are folders (see ob_content_load()). */
static bool
pretty_urls(const struct ob_build *b)
{
    return strstr(b->config.site.base_url, "://") != NULL;
}

/* -v: how long each phase took, on stderr. */
static double
phase_start(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* `note` follows the time: how the phase got its results. */
static void
phase_noted(const struct ob_build *b, const char *name, double start,
            const char *note)
{
    if (b->opt.verbose)
        fprintf(stderr, "opsbook: %-8s %8.1f ms%s\n", name,
                (phase_start() - start) * 1000.0, note);
}

static void
phase_done(const struct ob_build *b, const char *name, double start)
{
    phase_noted(b, name, start, "");
}

/* Loads the zone and settles as_of: --as-of, else yesterday there. */
static enum ob_err
settle_time(struct ob_build *b)
{
    const struct ob_site_config *site = &b->config.site;
    enum ob_err err;

    err = ob_tz_load(site->timezone, b->opt.zoneinfo_dir, &b->tz);
    if (err == OB_ERR_INPUT) {
        ob_diag_error(&b->diag, &site->timezone_pos,
                      "unknown time zone '%s' (expected an IANA name such "
                      "as Europe/Paris)",
                      site->timezone);
        return err;
    }
    if (err) {
        ob_diag_error(&b->diag, &site->timezone_pos,
                      "cannot read the time zone '%s'", site->timezone);
        return err;
    }
    if (b->opt.has_as_of)
        b->as_of = b->opt.as_of;
    else
        b->as_of = ob_tz_date_of(b->tz, b->opt.now) - 1;
    return OB_OK;
}

const char *
ob_build_out_dir(const struct ob_build *b)
{
    return b->opt.out ? b->opt.out : b->config.build.output;
}

/* Warns when a source's newest row is older than its stale_after. */
static void
check_freshness(struct ob_build *b, const struct ob_table *t)
{
    int64_t end_of_as_of = ob_tz_day_start(b->tz, b->as_of + 1);
    int64_t age = ob_table_staleness(t, end_of_as_of);

    if (age)
        ob_diag_warning(&b->diag, &t->src->pos,
                        "source '%s' is stale: its newest row is %lld days "
                        "old at the end of the as-of day",
                        t->src->name, (long long)(age / OB_SECONDS_PER_DAY));
}

/* "row" or "rows", for counts in messages. */
static const char *
rows_word(uint64_t n)
{
    return n == 1 ? "row" : "rows";
}

/* The source's checks: each warns (fails under --strict) at its key. */
static void
check_rows(struct ob_build *b, const struct ob_table *t)
{
    const struct ob_source_checks *c = &t->src->checks;
    size_t i;

    if (c->min_rows >= 0 && t->rows < (uint64_t)c->min_rows)
        ob_diag_warning(&b->diag, &t->src->pos,
                        "source '%s' has %llu %s, fewer than its "
                        "min_rows of %lld",
                        t->src->name, (unsigned long long)t->rows,
                        rows_word(t->rows), c->min_rows);
    for (i = 0; i < c->n_not_empty; i++)
        if (t->empty[i])
            ob_diag_warning(&b->diag, &c->not_empty[i].pos,
                            "column '%s' of source '%s' is empty in %llu "
                            "%s (checks: not_empty)",
                            c->not_empty[i].name, t->src->name,
                            (unsigned long long)t->empty[i],
                            rows_word(t->empty[i]));
    for (i = 0; i < c->n_unique; i++)
        if (t->duplicates[i])
            ob_diag_warning(&b->diag, &c->unique[i].pos,
                            "column '%s' of source '%s' repeats a value in "
                            "%llu %s (checks: unique)",
                            c->unique[i].name, t->src->name,
                            (unsigned long long)t->duplicates[i],
                            rows_word(t->duplicates[i]));
}

#define SOURCE_STATS "sources.json"

/* The row count a source had at the last build, from OUT/sources.json (a
 * file this build rewrites), or -1: also when that build read the data up
 * to a later day (an older --as-of has fewer rows, and rightly so). */
static double
previous_rows(const struct ob_build *b, const struct ob_yaml_node *prev,
              const char *name)
{
    const struct ob_yaml_node *src = ob_yaml_get(prev, name);
    const struct ob_yaml_node *rows = ob_yaml_get(src, "rows");
    const struct ob_yaml_node *as_of = ob_yaml_get(src, "as_of");
    struct ob_diag quiet;
    double n = -1;
    int32_t then;

    ob_diag_init(&quiet, 0);
    if (rows && !ob_yaml_number(&quiet, rows, &n))
        n = -1;
    if (as_of && ob_yaml_date(&quiet, as_of, &then) && then > b->as_of)
        n = -1;
    ob_diag_release(&quiet);
    return n;
}

/* Warns when a source lost more than half its rows since the last build:
 * an export that silently shrank is worse than one that failed. */
static void
check_row_drop(struct ob_build *b)
{
    const char *path = ob_fs_join(&b->arena, ob_build_out_dir(b), SOURCE_STATS);
    const struct ob_yaml_node *prev = NULL;
    struct ob_buf text = OB_BUF_INIT;
    struct ob_diag quiet; /* no stats yet is the first build, not a problem */
    size_t i;

    ob_diag_init(&quiet, 0);
    if (ob_fs_read_file(&quiet, NULL, path, OB_FS_MAX_FILE, &text) == OB_OK)
        prev = ob_yaml_parse(&b->arena, &quiet, path, text.ptr, text.len, 1,
                             &ob_yaml_default_limits);
    for (i = 0; prev && i < b->config.n_sources; i++) {
        const struct ob_table *t = &b->tables[i];
        double before =
            b->table_ok[i] ? previous_rows(b, prev, t->src->name) : -1;

        if (before > 0 && (double)t->rows * 2 < before)
            ob_diag_warning(&b->diag, &t->src->pos,
                            "source '%s' has %llu %s, fewer than half of "
                            "the %.0f it had at the last build",
                            t->src->name, (unsigned long long)t->rows,
                            rows_word(t->rows), before);
    }
    ob_diag_release(&quiet);
    ob_buf_release(&text);
}

/* OUT/sources.json: each source's files, rows and newest row, for the next
 * build's drop check (and for anyone's monitoring). */
static enum ob_err
write_source_stats(struct ob_build *b, struct ob_output *out)
{
    struct ob_buf json = OB_BUF_INIT;
    enum ob_err err;
    size_t i, n = 0;

    ob_buf_puts(&json, "{");
    for (i = 0; i < b->config.n_sources; i++) {
        const struct ob_table *t = &b->tables[i];
        char when[OB_INSTANT_MAX], day[11];

        if (!b->table_ok[i])
            continue;
        ob_date_format(b->as_of, day);
        ob_buf_puts(&json, n++ ? ",\n  \"" : "\n  \"");
        ob_buf_add_json(&json, t->src->name, strlen(t->src->name));
        ob_buf_printf(&json,
                      "\": {\"as_of\": \"%s\", \"files\": %zu, "
                      "\"rows\": %llu, \"newest\": ",
                      day, t->n_paths, (unsigned long long)t->rows);
        if (t->has_newest) {
            ob_instant_format(t->newest, when);
            ob_buf_printf(&json, "\"%s\"}", when);
        } else {
            ob_buf_puts(&json, "null}");
        }
    }
    ob_buf_puts(&json, n ? "\n}\n" : "}\n");
    err = ob_output_write(out, &b->diag, SOURCE_STATS, json.ptr, json.len);
    ob_buf_release(&json);
    return err;
}

/* Opens every file source: its files, header and column types. The rows
 * are read later, once, by the KPI engine. */
static enum ob_err
open_sources(struct ob_build *b)
{
    const struct ob_config *cfg = &b->config;
    enum ob_err err = OB_OK, e;
    size_t i;

    b->tables =
        ob_arena_calloc(&b->arena, cfg->n_sources + 1, sizeof(*b->tables));
    b->table_ok =
        ob_arena_calloc(&b->arena, cfg->n_sources + 1, sizeof(*b->table_ok));
    for (i = 0; i < cfg->n_sources; i++) {
        if (cfg->sources[i].type == OB_SOURCE_POSTGRES)
            e = ob_warehouse_open(&b->tables[i], &cfg->sources[i],
                                  ob_tz_name(b->tz), &b->arena, &b->diag);
        else
            e = ob_table_open(&b->tables[i], &cfg->sources[i], &b->root, b->tz,
                              &b->arena, &b->diag);
        b->table_ok[i] = e == OB_OK;
        if (b->opt.piece_bytes)
            b->tables[i].piece_bytes = b->opt.piece_bytes;
        if (e == OB_ERR_ENV || (e && !err))
            err = e;
    }
    return err;
}

/* Freshness and checks of every source read without problems. */
static void
check_sources(struct ob_build *b)
{
    size_t i;

    for (i = 0; i < b->config.n_sources; i++) {
        if (!b->table_ok[i])
            continue;
        check_freshness(b, &b->tables[i]);
        check_rows(b, &b->tables[i]);
    }
    check_row_drop(b);
}

enum ob_err
ob_build_load_config(struct ob_build *b)
{
    enum ob_err err;

    if (ob_fs_root_init(&b->root) != OB_OK) {
        ob_diag_error(&b->diag, NULL, "cannot resolve the site folder");
        return OB_ERR_ENV;
    }
    if (access(CONFIG_FILE, F_OK) != 0) {
        ob_diag_error(&b->diag, NULL,
                      "no " CONFIG_FILE " here: not a site ('opsbook new "
                      "DIR' makes one)");
        return OB_ERR_INPUT;
    }
    if (ob_fs_check_inside(&b->root, &b->diag, NULL, CONFIG_FILE) != OB_OK)
        return OB_ERR_INPUT;
    err = ob_config_load(&b->config, &b->arena, &b->diag, &b->opt.env, &b->root,
                         CONFIG_FILE);
    if (err == OB_ERR_ENV)
        return err;
    if (b->config.build.strict)
        b->diag.strict = true;
    if (!err)
        err = settle_time(b);
    return err;
}

enum ob_err
ob_build_load_data(struct ob_build *b)
{
    enum ob_err err;

    err = ob_build_load_config(b);
    if (!err)
        err = open_sources(b);
    return err;
}

/* -j, or one thread per online CPU: the output is the same either way. */
static unsigned
jobs_of(const struct ob_build *b)
{
    long n;

    if (b->opt.jobs)
        return b->opt.jobs;
    n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

/* ---- OUT opened while the site loads ----------------------------------- */

/* Opening OUT's trees is mostly checking, file by file, that the spare
 * tree still is as its manifest says: as many stats as there are output
 * files (2,000 on the bench site), about as long as reading content's. A
 * build does it on a second thread, the opener, which first opens OUT
 * (ob_output_begin(): the loading and it share nothing, the cache files
 * the loading reads are left alone), then reads the last build's page
 * facts, which the pages need once the site's navigation is made, then
 * checks the spare's files. The pages wait only for the opening, and ask
 * for the facts when they need them: a step the opener has not reached
 * yet is done by the thread that needs it (ob_once), and a spare file not
 * checked yet is checked when a page asks (ob_output_reusable()). The
 * opening's problems join the build's once OUT is open. */
struct opening {
    struct ob_output out;
    struct ob_diag diag;
    const char *out_path, *root;
    enum ob_err err;
    struct ob_once begin; /* ob_output_begin(), into out, diag and err */
    struct ob_task task;  /* the opener */
    bool begun;           /* start_opening() was called */
    bool spare;           /* the opener checks the spare tree's files too */
    struct ob_pagecache_read *last; /* the last build's page facts */
};

static void
begin_output(void *arg)
{
    struct opening *op = arg;

    op->err = ob_output_begin(&op->out, &op->diag, op->out_path, op->root);
}

static void
open_output(void *arg)
{
    struct opening *op = arg;

    ob_once_run(&op->begin);
    if (op->err)
        return;
    ob_pagecache_read_run(op->last);
    if (op->spare)
        ob_output_check_spare(&op->out);
}

static void
start_opening(struct opening *op, struct ob_build *b)
{
    ob_diag_init(&op->diag, b->diag.max);
    op->diag.strict = b->diag.strict;
    op->out_path = ob_build_out_dir(b);
    op->root = b->root.real;
    op->begun = true;
    op->spare = jobs_of(b) > 1;
    op->last = ob_pagecache_read_new(b->cache_dir);
    ob_once_init(&op->begin, begin_output, op);
    ob_task_start(&op->task, open_output, op, op->spare);
}

/* Waits for OUT to be open (or opens it); its result, once its problems
 * are the build's. The opener may still be at work. */
static enum ob_err
finish_opening(struct opening *op, struct ob_build *b)
{
    if (!op->begun)
        return OB_OK;
    ob_once_run(&op->begin);
    ob_diag_absorb(&b->diag, &op->diag);
    ob_diag_release(&op->diag);
    return op->err;
}

/* Waits for the opener, before OUT is committed or given up; frees what
 * it read. */
static void
end_opening(struct opening *op)
{
    if (!op->begun)
        return;
    ob_task_wait(&op->task);
    ob_once_release(&op->begin);
    ob_pagecache_read_free(op->last);
    op->last = NULL;
    op->begun = false;
}

/* ob_build_load(), opening OUT meanwhile when `op` is given. */
static enum ob_err
load_site(struct ob_build *b, struct opening *op)
{
    double t = phase_start();
    struct ob_content_memo *memo;
    enum ob_err err, content_err;

    err = ob_build_load_config(b);
    if (err == OB_ERR_ENV || !b->config.path)
        return err;
    if (!err)
        err = open_sources(b);
    /* Content is read even after a config problem: report everything. */
    if (b->incremental && !err)
        b->cache_dir = ob_output_cache_dir(ob_build_out_dir(b), b->root.real);
    if (op && !err)
        start_opening(op, b);
    memo = b->cache_dir
               ? ob_content_memo_load(b->cache_dir, pretty_urls(b), &b->arena)
               : NULL;
    content_err = ob_content_load(&b->content, &b->arena, &b->diag, &b->root,
                                  pretty_urls(b), memo, jobs_of(b));
    ob_content_memo_free(memo);
    if (content_err == OB_ERR_ENV || !err)
        err = content_err;
    phase_done(b, "load", t);
    if (!err && ob_diag_failed(&b->diag))
        err = OB_ERR_INPUT;
    return err;
}

enum ob_err
ob_build_load(struct ob_build *b)
{
    return load_site(b, NULL);
}

static bool
has_warehouse(const struct ob_build *b)
{
    size_t i;

    for (i = 0; i < b->config.n_sources; i++)
        if (b->config.sources[i].type == OB_SOURCE_POSTGRES)
            return true;
    return false;
}

/* -v: what the warehouse sent back, per postgres source. */
static void
note_traffic(const struct ob_build *b)
{
    size_t i;

    for (i = 0; b->opt.verbose && i < b->config.n_sources; i++) {
        struct ob_warehouse_traffic w = ob_warehouse_traffic(&b->tables[i]);
        if (w.queries)
            fprintf(stderr,
                    "opsbook: source '%s': %u queries, %llu rows, %llu "
                    "bytes of values in %.1f ms\n",
                    b->config.sources[i].name, w.queries,
                    (unsigned long long)w.result_rows,
                    (unsigned long long)w.result_bytes, w.seconds * 1000.0);
    }
}

/* The KPIs of a build: the last build's when nothing they read changed
 * (kpicache.h), else computed, and kept for the next. Their diagnostics go
 * to a sink of their own first, so the cache keeps exactly those. Other
 * commands compute, and keep nothing. */
static enum ob_err
compute_kpis(struct ob_build *b, const struct ob_kpi_input *in, bool *reused)
{
    struct ob_kpicache cache;
    struct ob_diag d;
    enum ob_err err = OB_OK;

    *reused = false;
    /* a warehouse table has no file whose change the cache could see */
    if (!b->incremental || has_warehouse(b))
        return ob_kpis_compute(&b->kpis, in, &b->arena, &b->diag);
    ob_diag_init(&d, b->diag.max);
    d.strict = b->diag.strict;
    ob_kpicache_init(&cache, in);
    *reused =
        ob_kpicache_load(&cache, b->cache_dir, in, &b->kpis, &b->arena, &d);
    if (*reused)
        err = d.errors ? OB_ERR_INPUT : OB_OK;
    else
        err = ob_kpis_compute(&b->kpis, in, &b->arena, &d);
    if (!err)
        ob_kpicache_save(&cache, in, &b->kpis, &d, &b->kpi_cache);
    ob_diag_absorb(&b->diag, &d);
    ob_diag_release(&d);
    ob_kpicache_release(&cache);
    return err;
}

enum ob_err
ob_build_compute(struct ob_build *b)
{
    struct ob_kpi_input in = {&b->config, b->tables,  b->table_ok, b->tz,
                              b->as_of,   jobs_of(b), NULL};
    double t = phase_start();
    enum ob_err err;

    struct ob_okr_input okr_in = {&b->config, &b->kpis, &b->root, b->tz,
                                  b->as_of};
    enum ob_err okr_err;

    if (b->opt.verbose)
        in.sql_log = stderr;
    err = compute_kpis(b, &in, &b->kpis_reused);
    note_traffic(b);
    if (err != OB_ERR_ENV)
        check_sources(b);
    phase_noted(b, "kpis", t, b->kpis_reused ? " (reused)" : "");
    t = phase_start();
    okr_err = ob_okrs_compute(&b->okrs, &okr_in, &b->arena, &b->diag);
    if (okr_err == OB_ERR_ENV || !err)
        err = okr_err;
    phase_done(b, "okrs", t);
    if (!err && ob_diag_failed(&b->diag))
        err = OB_ERR_INPUT;
    return err;
}

/* OUT/kpis/ID.csv: each KPI's series, as SQL's GROUP BY would give it. */
static enum ob_err
write_kpi_series(struct ob_build *b, struct ob_output *out)
{
    struct ob_buf csv = OB_BUF_INIT;
    enum ob_err err = OB_OK;
    size_t i;

    for (i = 0; !err && i < b->kpis.n; i++) {
        const struct ob_kpi *kpi = &b->kpis.kpis[i];
        char *name = ob_arena_printf(&b->arena, "kpis/%s.csv", kpi->def->id);

        ob_buf_reset(&csv);
        ob_kpi_write_csv(kpi, &csv);
        err = ob_output_write(out, &b->diag, name, csv.ptr, csv.len);
    }
    ob_buf_release(&csv);
    return err;
}

/* The figures every KPI page shows, asked first so that each KPI's own
 * chart keeps its plain name (kpis/ID.svg, kpis/ID.dark.svg) and the
 * files come in KPI order. */
static struct ob_figures *
kpi_figures(const struct ob_build *b)
{
    struct ob_figures *f = ob_figures_new(b->config.site.language,
                                          b->config.notes, b->config.n_notes);
    struct ob_kpi_chart_opts o = {.target = true};
    size_t i;

    for (i = 0; i < b->kpis.n; i++)
        if (b->kpis.kpis[i].ok)
            ob_figures_add(f, &b->kpis.kpis[i], &o);
    return f;
}

/*
 * The data key: what the reports and emails are made from besides the
 * program (which every cache file names) and the sources' files: the
 * configuration and the files it names (inputs_key), the check-in files,
 * as_of, the time zone and the chart fonts. The sources' files are the
 * last build's when its KPI results could be reused (kpicache.h looks at
 * every source's files): a build whose data key is the last build's, and
 * whose KPIs were reused, makes the same reports (b->same_data).
 */
#define DATA_CACHE "data"

static uint64_t
data_key(const struct ob_build *b)
{
    struct ob_hasher h;

    ob_hasher_init(&h);
    ob_hasher_add_u64(&h, b->config.inputs_key);
    ob_hasher_add_u64(&h, b->okrs.files_key);
    ob_hasher_add_u64(&h, (uint64_t)(int64_t)b->as_of);
    ob_hasher_add_u64(&h, ob_tz_hash(b->tz));
    ob_chart_hash_fonts(&h, ob_cache_now());
    return ob_hasher_finish(&h) | 1; /* 0 is "none" */
}

/* Whether the site has data at all: a handbook of pages alone keeps no
 * data key (a file less to write in each rebuild). */
static bool
has_data(const struct ob_build *b)
{
    const struct ob_config *c = &b->config;

    return c->n_sources || c->n_kpis || c->n_okr_files || c->n_reports;
}

/* The last build's data key, or 0. */
static uint64_t
last_data_key(const struct ob_build *b)
{
    struct ob_cache_file file = OB_CACHE_FILE_INIT;
    struct ob_cache_reader r;
    uint64_t key = 0;

    if (ob_cache_open(&r, &file, b->cache_dir, DATA_CACHE, DATA_CACHE)) {
        key = ob_cache_get_u64(&r);
        if (!ob_cache_done(&r))
            key = 0;
    }
    ob_cache_file_release(&file);
    return key;
}

static void
keep_data_key(struct ob_output *out, uint64_t key)
{
    struct ob_buf data = OB_BUF_INIT;

    if (!key)
        return;
    ob_cache_begin(&data, DATA_CACHE);
    ob_cache_put_u64(&data, key);
    ob_output_keep(out, DATA_CACHE, &data);
    ob_buf_release(&data);
}

/* One report's email, reports/ID.eml, as `opsbook mail` writes it. */
static enum ob_err
write_email(struct ob_build *b, struct ob_output *out, const char *id,
            const char *eml)
{
    struct ob_mail_options o;
    struct ob_mail m;
    enum ob_err err;
    uint64_t hash;

    memset(&o, 0, sizeof o);
    o.report = id;
    o.no_send = true;
    o.out_dir = out->tmp;
    /* written as a new file renamed into place: not through OUT's */
    if (!ob_output_claim(out, &b->diag, eml, &b->arena))
        return OB_ERR_ENV;
    ob_mail_init(&m);
    err = ob_mail_prepare(&m, b, &o);
    if (!err)
        err = ob_mail_write(&m, b);
    if (!err) {
        hash = ob_hash(m.message.ptr, m.message.len);
        err = ob_output_claimed(out, &b->diag, eml, &hash);
    }
    ob_mail_release(&m);
    return err;
}

/* With `mail:` set, each report's email beside its workbook: the site's
 * reports page links it, and the next build replaces it, or keeps it when
 * the data is the same (`same_data`). */
static enum ob_err
write_emails(struct ob_build *b, struct ob_output *out, bool same_data)
{
    enum ob_err err = OB_OK;
    size_t i;

    if (!b->config.mail.present)
        return OB_OK;
    for (i = 0; !err && i < b->config.n_reports; i++) {
        const char *id = b->config.reports[i].id;
        const char *eml =
            ob_arena_printf(&b->arena, OB_REPORT_DIR "/%s.eml", id);

        if (same_data && ob_output_unchanged(out, eml))
            err = ob_output_reuse(out, &b->diag, eml);
        else
            err = write_email(b, out, id, eml);
    }
    return err;
}

/* The charts, those the last build drew from the same numbers kept. */
static enum ob_err
write_figures(struct ob_build *b, struct ob_figures *figures,
              struct ob_output *out)
{
    struct ob_buf keep = OB_BUF_INIT;
    enum ob_err err;

    err = ob_figures_write(figures, jobs_of(b), out, &b->diag, b->cache_dir,
                           &keep, b->opt.verbose);
    if (!err && keep.len)
        ob_output_keep(out, "figures", &keep);
    ob_buf_release(&keep);
    return err;
}

/* What the next build need not read again: the pages memo. It holds
 * what loading found (ob_site_write() changes none of it), so it is made
 * on a thread of its own while the pages are written. */
struct memo_job {
    const struct ob_build *b;
    struct ob_buf memo;
    struct ob_task task;
};

static void
make_memo(void *arg)
{
    struct memo_job *j = arg;

    ob_content_memo_save(&j->b->content, pretty_urls(j->b), &j->memo);
}

static void
start_memo(struct memo_job *j, const struct ob_build *b)
{
    j->b = b;
    ob_buf_init(&j->memo);
    ob_task_start(&j->task, make_memo, j, jobs_of(b) > 1);
}

/* Waits for the memo; kept in `out` unless it is NULL (a failed build). */
static void
finish_memo(struct memo_job *j, struct ob_output *out)
{
    ob_task_wait(&j->task);
    if (out)
        ob_output_keep(out, "pages", &j->memo);
    ob_buf_release(&j->memo);
}

/* What a build and a check share: load, compute, and the pages to make.
 * A build opens OUT meanwhile (`op`). */
static enum ob_err
prepare(struct ob_build *b, struct opening *op)
{
    enum ob_err err;

    err = load_site(b, op);
    if (!err)
        err = ob_build_compute(b);
    if (!err)
        err = ob_site_plan(b);
    return err;
}

enum ob_err
ob_build_check(struct ob_build *b)
{
    struct ob_output none;
    struct ob_figures *figures;
    enum ob_err err;
    double t;

    err = prepare(b, NULL);
    if (err)
        return err;
    ob_output_discard(&none);
    figures = kpi_figures(b);
    t = phase_start();
    err =
        ob_site_write(b, &b->arena, jobs_of(b), figures, &b->diag, &none, NULL);
    phase_done(b, "pages", t);
    ob_figures_free(figures);
    if (!err && ob_diag_failed(&b->diag))
        err = OB_ERR_INPUT;
    return err;
}

enum ob_err
ob_build_run(struct ob_build *b)
{
    struct opening op = {0};
    struct memo_job memo;
    struct ob_output *out;
    struct ob_figures *figures;
    enum ob_err err, opened;
    uint64_t data;
    double t;

    b->incremental = true;
    err = prepare(b, &op);
    opened = op.begun ? finish_opening(&op, b) : OB_ERR_INPUT;
    if (err || opened) {
        bool open = op.begun && !opened;

        end_opening(&op);
        if (open)
            ob_output_cancel(&op.out);
        return err ? err : opened;
    }
    out = &op.out;
    out->quiet = b->opt.quiet;
    out->verbose = b->opt.verbose;
    if (b->kpi_cache.len)
        ob_output_keep(out, "kpis", &b->kpi_cache);
    data = has_data(b) ? data_key(b) : 0;
    b->same_data = data && b->kpis_reused && data == last_data_key(b);
    start_memo(&memo, b);
    figures = kpi_figures(b);
    t = phase_start();
    err = ob_site_write(b, &b->arena, jobs_of(b), figures, &b->diag, out,
                        op.last);
    if (!err)
        err = write_source_stats(b, out);
    if (!err)
        err = write_kpi_series(b, out);
    phase_done(b, "pages", t);
    t = phase_start();
    if (!err)
        err = write_figures(b, figures, out);
    ob_figures_free(figures);
    phase_done(b, "charts", t);
    t = phase_start();
    if (!err)
        err = ob_reports_write(b, out, jobs_of(b), b->same_data);
    if (!err)
        err = write_emails(b, out, b->same_data);
    if (!err)
        keep_data_key(out, data);
    phase_noted(b, "reports", t, b->same_data ? " (same data)" : "");
    if (!err && ob_diag_failed(&b->diag))
        err = OB_ERR_INPUT;
    finish_memo(&memo, err ? NULL : out);
    end_opening(&op);
    if (err) {
        ob_output_abort(out);
        return err;
    }
    t = phase_start();
    err = ob_output_commit(out, &b->diag);
    phase_done(b, "write", t);
    return err;
}
