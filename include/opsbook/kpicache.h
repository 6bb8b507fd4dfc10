/* kpicache.h: KPI results kept for the next build, reused while unchanged. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_KPICACHE_H
#define OPSBOOK_KPICACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsbook/arena.h"
#include "opsbook/buf.h"
#include "opsbook/diag.h"
#include "opsbook/kpi.h"

/*
 * The KPI phase (ob_kpis_compute()) reads the sources' files, the source
 * and KPI definitions, the site's language and fiscal year, the time zone
 * and as_of. A build keeps what it gave, the sources' statistics and the
 * diagnostics it reported in the cache folder beside OUT (the file "kpis",
 * see ob_output_keep()), and the next build reuses them when all of these
 * are the same. A source file is the same when its identity (path, device,
 * inode, size, modification time in nanoseconds) is, or else when its
 * bytes hash (XXH3) to what they did. The cache header names the opsbook
 * version and build, and the record ends with a hash of itself: a cache
 * from another binary, cut short or damaged is no cache.
 */

struct ob_kpicache_file; /* a source file: identity and content hash */

/** What one build's KPI results depend on. */
struct ob_kpicache {
    uint64_t inputs; /* definitions, zone, as_of, the tables' shapes */
    struct ob_kpicache_file *files; /* every source file, in source order */
    size_t n_files;
};

/**
 * Notes what the KPIs of `in` depend on: hashes the definitions and the
 * opened tables' shapes, and takes each source file's identity. Release
 * with ob_kpicache_release().
 */
void ob_kpicache_init(struct ob_kpicache *c, const struct ob_kpi_input *in);
void ob_kpicache_release(struct ob_kpicache *c);

/**
 * Reuses DIR/kpis when a build kept it for the same inputs: fills `k` as
 * ob_kpis_compute() would (results in `a`), sets the tables' statistics
 * as their scan would, adds to `d` the diagnostics the computation
 * reported, and returns true. False, changing none of them, when DIR is
 * NULL, there is no such file, it was kept for other inputs or it is
 * damaged: the caller then computes. A source file whose identity
 * changed is hashed to compare its bytes.
 */
bool ob_kpicache_load(struct ob_kpicache *c, const char *dir,
                      const struct ob_kpi_input *in, struct ob_kpis *k,
                      struct ob_arena *a, struct ob_diag *d);

/**
 * The "kpis" file for the next build, into `out` (emptied first): the
 * results `k` of `in`, the tables' statistics, and the diagnostics in `d`
 * (the KPI phase's own). Hashes the files whose bytes are not known yet.
 * Leaves `out` empty, keeping nothing, when a source file changed while
 * the build read it or cannot be read again.
 */
void ob_kpicache_save(struct ob_kpicache *c, const struct ob_kpi_input *in,
                      const struct ob_kpis *k, const struct ob_diag *d,
                      struct ob_buf *out);

#endif
