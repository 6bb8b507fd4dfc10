/* test_pool.c: work on a few threads: pools, tasks, workers, and work
 * done once by whichever thread asks first. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* sched_getaffinity(), pthread_getaffinity_np() */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "opsbook/pool.h"
#include "runner.h"

static void
sleep_ms(long ms)
{
    struct timespec t = {0, ms * 1000000L};

    nanosleep(&t, NULL);
}

static void
count_item(void *ctx, size_t i)
{
    atomic_int *seen = ctx;

    atomic_fetch_add(&seen[i], 1);
}

/* Every item once, whatever the number of threads. */
static void
test_pool_items(void)
{
    static const unsigned jobs[] = {1, 2, 8, 100};
    atomic_int seen[257];
    size_t i, k;

    for (k = 0; k < 4; k++) {
        bool once = true;

        for (i = 0; i < 257; i++)
            atomic_init(&seen[i], 0);
        ob_pool_run(257, jobs[k], count_item, seen);
        for (i = 0; i < 257; i++)
            once = once && atomic_load(&seen[i]) == 1;
        OB_CHECK(once);
    }
    ob_pool_run(0, 4, count_item, seen); /* nothing to do */
}

struct slow {
    atomic_int runs;
    long ms;
    pthread_t by;        /* the thread it ran on */
    atomic_bool started; /* it began */
};

static void
slow_work(void *ctx)
{
    struct slow *s = ctx;

    s->by = pthread_self();
    atomic_store(&s->started, true);
    sleep_ms(s->ms);
    atomic_fetch_add(&s->runs, 1);
}

/* Until the helper is inside the work (however busy the machine). */
static void
wait_started(struct slow *s)
{
    while (!atomic_load(&s->started))
        sleep_ms(1);
}

/* A task runs once, threaded or not; a worker runs its tasks in turn. */
static void
test_task_and_worker(void)
{
    struct slow s = {0, 5, 0, false};
    struct ob_task t;
    struct ob_worker w;
    int threaded;

    for (threaded = 0; threaded < 2; threaded++) {
        atomic_store(&s.runs, 0);
        ob_task_start(&t, slow_work, &s, threaded);
        ob_task_wait(&t);
        OB_CHECK_INT(atomic_load(&s.runs), 1);
        ob_task_wait(&t); /* waited for already: nothing */
        OB_CHECK_INT(atomic_load(&s.runs), 1);

        atomic_store(&s.runs, 0);
        ob_worker_init(&w, threaded);
        ob_worker_give(&w, slow_work, &s);
        ob_worker_give(&w, slow_work, &s); /* after the first */
        ob_worker_wait(&w);
        OB_CHECK_INT(atomic_load(&s.runs), 2);
        ob_worker_release(&w);
    }
}

struct joined {
    atomic_int seen[40];
    atomic_int by_caller; /* items the joining thread ran */
    pthread_t caller;
};

static void
joined_item(void *ctx, size_t i)
{
    struct joined *j = ctx;

    sleep_ms(5); /* long enough that the caller joins while items remain */
    atomic_fetch_add(&j->seen[i], 1);
    if (pthread_equal(pthread_self(), j->caller))
        atomic_fetch_add(&j->by_caller, 1);
}

static void
run_items(void *ctx)
{
    ob_items_run(ctx, 1);
}

/* A thread joins items a worker runs: each item runs once, some of them
 * on the joiner, and once both are done none is left. */
static void
test_items_joined(void)
{
    struct joined j;
    struct ob_items it;
    struct ob_worker w;
    bool once = true;
    size_t i;

    for (i = 0; i < 40; i++)
        atomic_init(&j.seen[i], 0);
    atomic_init(&j.by_caller, 0);
    j.caller = pthread_self();
    ob_items_init(&it, 40, joined_item, &j);
    ob_worker_init(&w, true);
    ob_worker_give(&w, run_items, &it);
    ob_items_take(&it);
    ob_worker_wait(&w);
    ob_worker_release(&w);
    for (i = 0; i < 40; i++)
        once = once && atomic_load(&j.seen[i]) == 1;
    OB_CHECK(once);
    OB_CHECK(atomic_load(&j.by_caller) > 0);
    ob_items_take(&it); /* all taken: nothing */
    OB_CHECK(atomic_load(&j.seen[0]) == 1);
}

static void
read_cpus(void *ctx)
{
    cpu_set_t *cpus = ctx;

    CPU_ZERO(cpus);
    (void)pthread_getaffinity_np(pthread_self(), sizeof(*cpus), cpus);
}

/* The CPUs a task's thread may run on. */
static void
task_cpus(cpu_set_t *cpus)
{
    struct ob_task t;

    ob_task_start(&t, read_cpus, cpus, true);
    ob_task_wait(&t);
}

/* A task's thread may run on the CPUs its starter may use but the one
 * it is on (which stays the starter's), or on the starter's one CPU when
 * it has only one. */
static void
test_task_placed(void)
{
    cpu_set_t allowed, got, both, one;
    int first;

    OB_CHECK(sched_getaffinity(0, sizeof allowed, &allowed) == 0);
    for (first = 0; first < CPU_SETSIZE && !CPU_ISSET(first, &allowed); first++)
        ;
    if (CPU_COUNT(&allowed) >= 2) {
        task_cpus(&got);
        CPU_AND(&both, &got, &allowed);
        OB_CHECK_INT(CPU_COUNT(&got), CPU_COUNT(&allowed) - 1);
        OB_CHECK(CPU_EQUAL(&both, &got));
    }
    CPU_ZERO(&one);
    CPU_SET(first, &one);
    OB_CHECK(sched_setaffinity(0, sizeof one, &one) == 0);
    task_cpus(&got);
    OB_CHECK(CPU_EQUAL(&got, &one));
    OB_CHECK(sched_setaffinity(0, sizeof allowed, &allowed) == 0);
}

static void
help(void *ctx)
{
    ob_once_run(ctx);
}

/*
 * The work runs once: on the helper when it comes first (the asker then
 * waits for it, mid-way), on the asker when it comes first (the helper
 * then does nothing). Settled before it began, it never runs, and asking
 * later does nothing; settled while it runs, it is waited for.
 */
static void
test_once(void)
{
    struct slow s = {0, 20, 0, false};
    struct ob_once o;
    struct ob_task t;

    /* the helper first: the asker, mid-way, waits */
    ob_once_init(&o, slow_work, &s);
    ob_task_start(&t, help, &o, true);
    wait_started(&s);
    ob_once_run(&o);
    OB_CHECK_INT(atomic_load(&s.runs), 1);
    OB_CHECK(!pthread_equal(s.by, pthread_self()));
    ob_task_wait(&t);
    OB_CHECK_INT(atomic_load(&s.runs), 1);
    OB_CHECK(ob_once_settle(&o)); /* it ran */
    ob_once_release(&o);

    /* the asker first: the helper after it finds it done */
    atomic_store(&s.runs, 0);
    ob_once_init(&o, slow_work, &s);
    ob_once_run(&o);
    OB_CHECK(pthread_equal(s.by, pthread_self()));
    ob_task_start(&t, help, &o, true);
    ob_task_wait(&t);
    OB_CHECK_INT(atomic_load(&s.runs), 1);
    ob_once_release(&o);

    /* settled before anyone began: never runs */
    atomic_store(&s.runs, 0);
    ob_once_init(&o, slow_work, &s);
    OB_CHECK(!ob_once_settle(&o));
    ob_once_run(&o);
    OB_CHECK_INT(atomic_load(&s.runs), 0);
    OB_CHECK(!ob_once_settle(&o));
    ob_once_release(&o);

    /* settled while the helper runs it: waits, and says it ran */
    atomic_store(&s.started, false);
    ob_once_init(&o, slow_work, &s);
    ob_task_start(&t, help, &o, true);
    wait_started(&s);
    OB_CHECK(ob_once_settle(&o));
    OB_CHECK_INT(atomic_load(&s.runs), 1);
    ob_task_wait(&t);
    ob_once_release(&o);
}

int
main(void)
{
    OB_RUN(test_pool_items);
    OB_RUN(test_task_and_worker);
    OB_RUN(test_items_joined);
    OB_RUN(test_once);
    OB_RUN(test_task_placed);
    return OB_TEST_DONE();
}
