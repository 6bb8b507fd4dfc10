/* chart_jobs.c: many charts drawn on a few threads. */
/* SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdlib.h>

#include "opsbook/chart.h"
#include "opsbook/mem.h"
#include "opsbook/pool.h"

/*
 * A charter holds a pango font map, which is not thread-safe, so each
 * thread draws with its own: a worker takes an idle charter (or makes
 * one) for each job and gives it back after. At most one charter per
 * thread ever exists. Drawing depends only on the chart, so which charter
 * drew a job changes no byte.
 */
struct batch {
    struct ob_chart_job *jobs;
    struct ob_diag *diags; /* one per job, absorbed in order */
    const char *font_dir;
    pthread_mutex_t lock;
    struct ob_charter **idle;
    size_t n_idle;
};

static struct ob_charter *
take_charter(struct batch *b, struct ob_diag *d)
{
    struct ob_charter *ch = NULL;

    pthread_mutex_lock(&b->lock);
    if (b->n_idle)
        ch = b->idle[--b->n_idle];
    pthread_mutex_unlock(&b->lock);
    return ch ? ch : ob_charter_new(b->font_dir, d);
}

static void
give_charter(struct batch *b, struct ob_charter *ch)
{
    pthread_mutex_lock(&b->lock);
    b->idle[b->n_idle++] = ch;
    pthread_mutex_unlock(&b->lock);
}

static void
draw_job(void *ctx, size_t i)
{
    struct batch *b = ctx;
    struct ob_chart_job *job = &b->jobs[i];
    struct ob_charter *ch = take_charter(b, &b->diags[i]);

    if (!ch) {
        job->err = OB_ERR_ENV;
        return;
    }
    if (job->png_scale > 0)
        job->err = ob_chart_png(ch, job->chart, job->theme, job->png_scale,
                                &job->out, &b->diags[i]);
    else
        job->err =
            ob_chart_svg(ch, job->chart, job->theme, &job->out, &b->diags[i]);
    give_charter(b, ch);
}

enum ob_err
ob_chart_draw_all(struct ob_chart_job *jobs, size_t n, unsigned threads,
                  const char *font_dir, struct ob_diag *d)
{
    struct batch b = {jobs, NULL, font_dir, PTHREAD_MUTEX_INITIALIZER, NULL, 0};
    enum ob_err err = OB_OK;
    size_t i;

    if (!n)
        return OB_OK;
    if (!threads)
        threads = 1;
    b.idle = ob_xcalloc((size_t)threads + 1, sizeof(*b.idle));
    b.diags = ob_xcalloc(n, sizeof(*b.diags));
    for (i = 0; i < n; i++)
        ob_diag_init(&b.diags[i], 16);
    /* the first charter here: missing fonts are said once, not per job */
    b.idle[0] = ob_charter_new(font_dir, d);
    if (b.idle[0]) {
        b.n_idle = 1;
        ob_pool_run(n, threads, draw_job, &b);
    }
    for (i = 0; i < n; i++) {
        if (!b.idle[0])
            jobs[i].err = OB_ERR_ENV;
        if (jobs[i].err && !err)
            err = jobs[i].err;
        ob_diag_absorb(d, &b.diags[i]);
        ob_diag_release(&b.diags[i]);
    }
    for (i = 0; i < b.n_idle; i++)
        ob_charter_free(b.idle[i]);
    free(b.idle);
    free(b.diags);
    pthread_mutex_destroy(&b.lock);
    return err;
}
