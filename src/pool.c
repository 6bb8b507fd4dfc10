/* pool.c: run the items of a job on a few threads. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* sched_getcpu(), pthread_attr_setaffinity_np() */
#include "opsbook/pool.h"

#include <sched.h>

#define MAX_THREADS 64

/*
 * Starts a task's thread on the CPUs the starting thread may use but the
 * one it is on. A task is side work (opening OUT, keys, cache files) of
 * the thread the build waits for: the main thread, which alone parses
 * Markdown (cmark-gfm). The scheduler puts a thread it wakes on the
 * waker's CPU, caches warm, and there a task took the main thread's CPU
 * from it while the other of the bench's two CPUs idled: kept off it,
 * rebuilds at bench medium took 0.87 of the time. The threads of pools
 * and workers, which the caller joins in the work, are left to the
 * scheduler: kept off the caller's CPU, more of them than the other CPUs
 * crowd those, and two runs of the bench at large were slower so. With
 * one CPU to run on, or none known, a task may run anywhere; the starter
 * itself stays free to move.
 */
static int
start_task_thread(pthread_t *thread, void *(*run)(void *), void *arg)
{
    pthread_attr_t attr;
    cpu_set_t cpus;
    int cpu = sched_getcpu(), err;

    if (cpu < 0 || sched_getaffinity(0, sizeof cpus, &cpus) != 0 ||
        !CPU_ISSET(cpu, &cpus) || CPU_COUNT(&cpus) < 2 ||
        pthread_attr_init(&attr) != 0)
        return pthread_create(thread, NULL, run, arg);
    CPU_CLR(cpu, &cpus);
    err = pthread_attr_setaffinity_np(&attr, sizeof cpus, &cpus);
    if (!err)
        err = pthread_create(thread, &attr, run, arg);
    pthread_attr_destroy(&attr);
    /* a CPU gone offline meanwhile, say: anywhere, rather than not at all */
    return err ? pthread_create(thread, NULL, run, arg) : 0;
}

void
ob_items_init(struct ob_items *it, size_t n, void (*work)(void *ctx, size_t i),
              void *ctx)
{
    it->n = n;
    atomic_init(&it->next, 0);
    it->work = work;
    it->ctx = ctx;
}

void
ob_items_take(struct ob_items *it)
{
    for (;;) {
        size_t i = atomic_fetch_add(&it->next, 1);

        if (i >= it->n)
            return;
        it->work(it->ctx, i);
    }
}

static void *
take_items(void *arg)
{
    ob_items_take(arg);
    return NULL;
}

void
ob_items_run(struct ob_items *it, unsigned jobs)
{
    pthread_t threads[MAX_THREADS];
    size_t i, started = 0;

    if (jobs > MAX_THREADS)
        jobs = MAX_THREADS;
    for (i = 1; i < jobs && i < it->n; i++)
        if (pthread_create(&threads[started], NULL, take_items, it) == 0)
            started++;
    ob_items_take(it); /* the caller works too (and alone with one job) */
    for (i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
}

void
ob_pool_run(size_t n, unsigned jobs, void (*work)(void *ctx, size_t i),
            void *ctx)
{
    struct ob_items it;

    ob_items_init(&it, n, work, ctx);
    ob_items_run(&it, jobs);
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
    t->threaded = threaded && start_task_thread(&t->thread, run_task, t) == 0;
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

static void *
worker_loop(void *arg)
{
    struct ob_worker *w = arg;

    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->pending && !w->stop)
            pthread_cond_wait(&w->cond, &w->lock);
        if (!w->pending)
            break; /* stopped, nothing left to do */
        pthread_mutex_unlock(&w->lock);
        w->work(w->ctx);
        pthread_mutex_lock(&w->lock);
        w->pending = false;
        pthread_cond_broadcast(&w->cond);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

void
ob_worker_init(struct ob_worker *w, bool threaded)
{
    w->work = NULL;
    w->ctx = NULL;
    w->pending = w->stop = false;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->cond, NULL);
    w->threaded =
        threaded && pthread_create(&w->thread, NULL, worker_loop, w) == 0;
}

void
ob_worker_give(struct ob_worker *w, void (*work)(void *ctx), void *ctx)
{
    ob_worker_wait(w);
    pthread_mutex_lock(&w->lock);
    w->work = work;
    w->ctx = ctx;
    w->pending = true;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
}

void
ob_worker_wait(struct ob_worker *w)
{
    if (!w->threaded) {
        if (w->pending)
            w->work(w->ctx);
        w->pending = false;
        return;
    }
    pthread_mutex_lock(&w->lock);
    while (w->pending)
        pthread_cond_wait(&w->cond, &w->lock);
    pthread_mutex_unlock(&w->lock);
}

void
ob_worker_release(struct ob_worker *w)
{
    ob_worker_wait(w);
    if (w->threaded) {
        pthread_mutex_lock(&w->lock);
        w->stop = true;
        pthread_cond_broadcast(&w->cond);
        pthread_mutex_unlock(&w->lock);
        pthread_join(w->thread, NULL);
    }
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->lock);
}

void
ob_once_init(struct ob_once *o, void (*work)(void *ctx), void *ctx)
{
    pthread_mutex_init(&o->lock, NULL);
    pthread_cond_init(&o->cond, NULL);
    o->work = work;
    o->ctx = ctx;
    o->state = OB_ONCE_WAITING;
    o->ran = false;
}

/* Claims the work (then true: the caller runs it), or waits until it is
 * done; `skip`: a claim marks it done without running it. */
static bool
claim_or_wait(struct ob_once *o, bool skip)
{
    bool claimed = false;

    pthread_mutex_lock(&o->lock);
    if (o->state == OB_ONCE_WAITING) {
        o->state = skip ? OB_ONCE_DONE : OB_ONCE_RUNNING;
        claimed = true;
    }
    while (!claimed && o->state != OB_ONCE_DONE)
        pthread_cond_wait(&o->cond, &o->lock);
    pthread_mutex_unlock(&o->lock);
    return claimed;
}

void
ob_once_run(struct ob_once *o)
{
    if (!claim_or_wait(o, false))
        return;
    o->work(o->ctx);
    pthread_mutex_lock(&o->lock);
    o->ran = true;
    o->state = OB_ONCE_DONE;
    pthread_cond_broadcast(&o->cond);
    pthread_mutex_unlock(&o->lock);
}

bool
ob_once_settle(struct ob_once *o)
{
    bool ran;

    (void)claim_or_wait(o, true);
    pthread_mutex_lock(&o->lock);
    ran = o->ran;
    pthread_mutex_unlock(&o->lock);
    return ran;
}

void
ob_once_release(struct ob_once *o)
{
    pthread_cond_destroy(&o->cond);
    pthread_mutex_destroy(&o->lock);
}
