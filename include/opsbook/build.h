/* build.h: one run of opsbook over a site: load, model, compute, render, write.
 */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_BUILD_H
#define OPSBOOK_BUILD_H

#include <stdbool.h>
#include <stdint.h>

#include "opsbook/arena.h"
#include "opsbook/buf.h"
#include "opsbook/config.h"
#include "opsbook/content.h"
#include "opsbook/diag.h"
#include "opsbook/fs.h"
#include "opsbook/kpi.h"
#include "opsbook/okr.h"
#include "opsbook/table.h"
#include "opsbook/tz.h"

#define OB_VERSION "0.1.0"

/**
 * What main() read from the command line, the clock and the environment:
 * the only inputs besides the site's files (no hidden global state).
 */
struct ob_options {
    const char *out;      /* --out, NULL: build.output */
    bool has_as_of;       /* --as-of given */
    int32_t as_of;        /* its date */
    bool strict;          /* --strict */
    bool quiet;           /* -q */
    bool verbose;         /* -v */
    unsigned jobs;        /* -j: threads; 0: one per online CPU */
    uint64_t piece_bytes; /* OPSBOOK_PIECE_BYTES (tests); 0: the default */
    int64_t now;          /* SOURCE_DATE_EPOCH, else the clock (UTC seconds) */
    struct ob_env env;    /* for ${NAME} in opsbook.yaml */
    const char *zoneinfo_dir; /* NULL: the system's */
};

/** A build: owns everything loaded and computed. */
struct ob_build {
    struct ob_options opt;
    struct ob_arena arena;
    struct ob_diag diag;
    struct ob_fs_root root;
    struct ob_config config;
    struct ob_tz *tz;
    int32_t as_of; /* the day whose end the data is read up to */
    struct ob_content content;
    struct ob_table *tables; /* one per source (postgres: left closed) */
    bool *table_ok;          /* per source: opened without problems */
    struct ob_kpis kpis;
    struct ob_okrs okrs;
    /* `build` only: it reuses what the last build kept beside OUT while
     * nothing it depends on changed, and keeps its own for the next */
    bool incremental;
    char *cache_dir;  /* see ob_output_cache_dir(), or NULL */
    bool kpis_reused; /* the last build's KPI results (kpicache.h) */
    bool same_data;   /* all the data is the last build's (build.c's key) */
    struct ob_buf kpi_cache; /* the "kpis" cache file (kpicache.h) */
};

/** Prepares a build in the current directory (the site root). */
void ob_build_init(struct ob_build *b, const struct ob_options *opt);
void ob_build_release(struct ob_build *b);

/**
 * Loads and checks opsbook.yaml (and the KPI files it names), loads the
 * time zone and settles as_of: what every command needs before it reads
 * data. Returns the exit code it implies.
 */
enum ob_err ob_build_load_config(struct ob_build *b);

/**
 * Loads opsbook.yaml and opens every source (header, column types): what
 * the commands that only compute need. Returns the exit code it implies.
 */
enum ob_err ob_build_load_data(struct ob_build *b);

/**
 * Loads and checks the whole site (opsbook.yaml, content/) and settles
 * as_of. Problems go to b->diag. Returns the exit code it implies.
 */
enum ob_err ob_build_load(struct ob_build *b);

/**
 * Reads every source once, computing every KPI, then checks each source's
 * freshness and `checks`, then evaluates the OKRs (they read the KPIs).
 * Needs ob_build_load() or ob_build_load_data().
 */
enum ob_err ob_build_compute(struct ob_build *b);

/** OUT: --out, else build.output. */
const char *ob_build_out_dir(const struct ob_build *b);

/**
 * What `opsbook check` does: the whole pipeline but the writing. Pages,
 * embeds, tokens and links render into an output that keeps nothing, so
 * every problem a build would meet is found; charts are not drawn.
 */
enum ob_err ob_build_check(struct ob_build *b);

/**
 * The whole pipeline: load, then render everything into a new OUT swapped
 * in at the end. On failure OUT is left exactly as it was.
 */
enum ob_err ob_build_run(struct ob_build *b);

#endif
