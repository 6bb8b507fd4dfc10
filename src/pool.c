/* pool.c: run the items of a job on a few threads. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/pool.h"

#define MAX_THREADS 64

struct pool {
    size_t n, next;
    void (*work)(void *ctx, size_t i);
    void *ctx;
    pthread_mutex_t lock;
};

static void *
worker(void *arg)
{
    struct pool *p = arg;

    for (;;) {
        size_t i;

        pthread_mutex_lock(&p->lock);
        i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n)
            return NULL;
        p->work(p->ctx, i);
    }
}

void
ob_pool_run(size_t n, unsigned jobs, void (*work)(void *ctx, size_t i),
            void *ctx)
{
    struct pool p = {n, 0, work, ctx, PTHREAD_MUTEX_INITIALIZER};
    pthread_t threads[MAX_THREADS];
    size_t i, started = 0;

    if (jobs > MAX_THREADS)
        jobs = MAX_THREADS;
    for (i = 1; i < jobs && i < n; i++)
        if (pthread_create(&threads[started], NULL, worker, &p) == 0)
            started++;
    worker(&p); /* the caller works too (and alone with one job) */
    for (i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    pthread_mutex_destroy(&p.lock);
}

static void *
run_task(void *arg)
{
    struct ob_task *t = arg;

    t->work(t->ctx);
    return NULL;
}

void
ob_task_start(struct ob_task *t, void (*work)(void *ctx), void *ctx,
              bool threaded)
{
    t->work = work;
    t->ctx = ctx;
    t->started = true;
    t->threaded =
        threaded && pthread_create(&t->thread, NULL, run_task, t) == 0;
}

void
ob_task_wait(struct ob_task *t)
{
    if (!t->started)
        return;
    if (t->threaded)
        pthread_join(t->thread, NULL);
    else
        t->work(t->ctx);
    t->started = t->threaded = false;
}
