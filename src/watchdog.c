/* watchdog.c: stop the build when one task runs too long. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/watchdog.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "opsbook/fs.h"
#include "opsbook/mem.h"

/*
 * Pages start and end thousands of times a build: entering and leaving
 * write three atomics and wake nobody. The watching thread sleeps until
 * the deadline of the task it last saw (a whole limit when none runs)
 * and bites only if that same task is still running then; it is woken
 * early only to stop.
 */
struct ob_watchdog {
    pthread_t thread;
    pthread_mutex_t lock; /* for `wake` and `stop` only */
    pthread_cond_t wake;  /* stop */
    bool stop;
    double seconds;
    char *limit_text, *cleanup_dir;
    _Atomic(const char *) what; /* the task in progress, or NULL */
    _Atomic unsigned long task; /* counts tasks: a new one is told apart */
    _Atomic long long deadline; /* of the latest task, ns (monotonic) */
};

static long long
now_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static struct timespec
timespec_of(long long ns)
{
    struct timespec t = {(time_t)(ns / 1000000000LL),
                         (long)(ns % 1000000000LL)};
    return t;
}

static long long
limit_ns(const struct ob_watchdog *w)
{
    return (long long)(w->seconds * 1e9);
}

/* The task outlasted its limit: say so, remove the unfinished output and
 * end the process. Another thread is stuck in the task, so nothing else
 * may run: no exit handlers, just _exit(). */
static void
bite(struct ob_watchdog *w, const char *what)
{
    fprintf(stderr,
            "%s: error: took longer than %s to render; the build "
            "stops\n",
            what, w->limit_text);
    fflush(stderr);
    if (w->cleanup_dir)
        ob_fs_remove_tree(w->cleanup_dir);
    _exit(1);
}

static void *
watch(void *arg)
{
    struct ob_watchdog *w = arg;

    pthread_mutex_lock(&w->lock);
    while (!w->stop) {
        /* the deadline is written before the count: it is this task's,
         * or a later one's (then the count has moved on when it comes) */
        unsigned long task =
            atomic_load_explicit(&w->task, memory_order_acquire);
        long long until =
            atomic_load_explicit(&w->deadline, memory_order_relaxed);
        bool busy = atomic_load_explicit(&w->what, memory_order_relaxed);
        const char *what;
        struct timespec t;
        int rc;

        if (!busy)
            until = now_ns() + limit_ns(w);
        t = timespec_of(until);
        rc = pthread_cond_timedwait(&w->wake, &w->lock, &t);
        if (rc != ETIMEDOUT || !busy || w->stop)
            continue;
        what = atomic_load_explicit(&w->what, memory_order_acquire);
        if (what &&
            atomic_load_explicit(&w->task, memory_order_acquire) == task)
            bite(w, what);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

struct ob_watchdog *
ob_watchdog_start(double seconds, const char *limit_text,
                  const char *cleanup_dir)
{
    struct ob_watchdog *w = ob_xcalloc(1, sizeof(*w));
    pthread_condattr_t attr;

    w->seconds = seconds;
    w->limit_text = ob_xstrdup(limit_text);
    w->cleanup_dir = cleanup_dir ? ob_xstrdup(cleanup_dir) : NULL;
    pthread_mutex_init(&w->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w->wake, &attr);
    pthread_condattr_destroy(&attr);
    if (pthread_create(&w->thread, NULL, watch, w) != 0) {
        pthread_cond_destroy(&w->wake);
        pthread_mutex_destroy(&w->lock);
        free(w->limit_text);
        free(w->cleanup_dir);
        free(w);
        return NULL;
    }
    return w;
}

void
ob_watchdog_enter(struct ob_watchdog *w, const char *what)
{
    if (!w)
        return;
    atomic_store_explicit(&w->deadline, now_ns() + limit_ns(w),
                          memory_order_relaxed);
    atomic_store_explicit(&w->what, what, memory_order_relaxed);
    atomic_fetch_add_explicit(&w->task, 1, memory_order_release);
}

void
ob_watchdog_leave(struct ob_watchdog *w)
{
    if (w)
        atomic_store_explicit(&w->what, NULL, memory_order_release);
}

void
ob_watchdog_stop(struct ob_watchdog *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    free(w->limit_text);
    free(w->cleanup_dir);
    free(w);
}
