/* pool.h: run the items of a job on a few threads. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_POOL_H
#define OPSBOOK_POOL_H

#include <stddef.h>

/**
 * Calls work(ctx, i) once for every i in [0, n), on up to `jobs` threads,
 * the caller's among them; items are taken in increasing order. Returns
 * when every item is done. A thread that cannot be started only means
 * fewer threads. What items share is the caller's to lock.
 */
void ob_pool_run(size_t n, unsigned jobs, void (*work)(void *ctx, size_t i),
                 void *ctx);

#endif
