/* watchdog.c: stop the build when one task runs too long. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/watchdog.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "opsbook/fs.h"
#include "opsbook/mem.h"

struct ob_watchdog {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake; /* a task began or ended, or stop */
    double seconds;
    char *limit_text, *cleanup_dir;
    const char *what;   /* the task in progress, or NULL */
    unsigned long task; /* counts tasks, so a new one is told apart */
    struct timespec deadline;
    bool stop;
};

static struct timespec
deadline_after(double seconds)
{
    struct timespec t;
    double whole;

    clock_gettime(CLOCK_MONOTONIC, &t);
    whole = (double)(long)seconds;
    t.tv_sec += (time_t)whole;
    t.tv_nsec += (long)((seconds - whole) * 1e9);
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

/* The task outlasted its limit: say so, remove the unfinished output and
 * end the process. Another thread is stuck in the task, so nothing else
 * may run: no exit handlers, just _exit(). */
static void
bite(struct ob_watchdog *w)
{
    fprintf(stderr,
            "%s: error: took longer than %s to render; the build "
            "stops\n",
            w->what, w->limit_text);
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
        unsigned long task = w->task;
        int rc;

        if (!w->what) {
            pthread_cond_wait(&w->wake, &w->lock);
            continue;
        }
        rc = pthread_cond_timedwait(&w->wake, &w->lock, &w->deadline);
        if (rc == ETIMEDOUT && w->what && w->task == task && !w->stop)
            bite(w);
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
    pthread_mutex_lock(&w->lock);
    w->what = what;
    w->task++;
    w->deadline = deadline_after(w->seconds);
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

void
ob_watchdog_leave(struct ob_watchdog *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->what = NULL;
    pthread_mutex_unlock(&w->lock);
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
