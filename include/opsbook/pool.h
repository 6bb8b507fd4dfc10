/* pool.h: run the items of a job on a few threads. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_POOL_H
#define OPSBOOK_POOL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

/**
 * Calls work(ctx, i) once for every i in [0, n), on up to `jobs` threads,
 * the caller's among them; items are taken in increasing order. Returns
 * when every item is done. A thread that cannot be started only means
 * fewer threads. What items share is the caller's to lock.
 */
void ob_pool_run(size_t n, unsigned jobs, void (*work)(void *ctx, size_t i),
                 void *ctx);

/**
 * The items of such a job, for a thread that joins it while it runs: one
 * that finishes its own work early takes items of a job another thread
 * started, instead of waiting for it.
 */
struct ob_items {
    size_t n;
    atomic_size_t next; /* the next item to take */
    void (*work)(void *ctx, size_t i);
    void *ctx;
};

void ob_items_init(struct ob_items *it, size_t n,
                   void (*work)(void *ctx, size_t i), void *ctx);
/** ob_pool_run() on these items: returns when every item is done. */
void ob_items_run(struct ob_items *it, unsigned jobs);
/** Runs items, in increasing order, until none is left to take; items
 * other threads took may still be running when it returns. */
void ob_items_take(struct ob_items *it);

/**
 * Work started now and waited for later, beside what the caller goes on
 * with: on a thread of its own when `threaded` (and one can be started),
 * which runs on the CPUs the caller may use but the one it is on (when it
 * may use others), else in ob_task_wait(), on the caller's.
 */
struct ob_task {
    void (*work)(void *ctx);
    void *ctx;
    pthread_t thread;
    bool threaded; /* running on a thread of its own */
    bool started;  /* not yet waited for */
};

void ob_task_start(struct ob_task *t, void (*work)(void *ctx), void *ctx,
                   bool threaded);
/** Returns once the work is done; does nothing for a task not started,
 * or already waited for. */
void ob_task_wait(struct ob_task *t);

/**
 * A thread kept for a sequence of tasks run one after another beside the
 * caller (starting a thread for each small task costs more than the task):
 * ob_worker_give() hands it the next, once the last is done, and returns;
 * ob_worker_wait() waits for it. Without its thread (`threaded` false, or
 * none could be started) a task runs in ob_worker_wait(), on the caller's.
 */
struct ob_worker {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    void (*work)(void *ctx);
    void *ctx;
    bool pending; /* given, not done */
    bool stop;
    bool threaded;
    pthread_t thread;
};

void ob_worker_init(struct ob_worker *w, bool threaded);
void ob_worker_give(struct ob_worker *w, void (*work)(void *ctx), void *ctx);
void ob_worker_wait(struct ob_worker *w);
/** Waits for the last task, then ends the thread. */
void ob_worker_release(struct ob_worker *w);

/**
 * Work that runs once, on whichever thread asks for it first: a helper
 * thread that does it ahead of need, or the one that needs its result
 * (when the helper is late, busy elsewhere, or never came). A second
 * asker waits until the work is done.
 */
struct ob_once {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    void (*work)(void *ctx);
    void *ctx;
    enum { OB_ONCE_WAITING, OB_ONCE_RUNNING, OB_ONCE_DONE } state;
    bool ran; /* the work ran (was not skipped) */
};

void ob_once_init(struct ob_once *o, void (*work)(void *ctx), void *ctx);
/** Runs the work now, unless it ran or runs already: then waits for it. */
void ob_once_run(struct ob_once *o);
/** Makes sure the work will not run: returns false at once when it had
 * not begun, else waits for it and returns true. */
bool ob_once_settle(struct ob_once *o);
/** Once no thread can ask any more. */
void ob_once_release(struct ob_once *o);

#endif
