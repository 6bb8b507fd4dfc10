/* okr.h: OKRs evaluated at as_of: progress, expected pace, status, grade. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_OKR_H
#define OPSBOOK_OKR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsbook/arena.h"
#include "opsbook/config.h"
#include "opsbook/diag.h"
#include "opsbook/fs.h"
#include "opsbook/kpi.h"
#include "opsbook/numfmt.h"
#include "opsbook/tz.h"

/* In the spec's order: the first that applies wins. */
enum ob_okr_status {
    OB_OKR_NOT_STARTED,
    OB_OKR_ENDED,
    OB_OKR_DONE,
    OB_OKR_ON_TRACK,
    OB_OKR_AT_RISK,
    OB_OKR_OFF_TRACK
};

enum ob_okr_grade {
    OB_GRADE_NONE, /* the quarter has not ended */
    OB_GRADE_GREEN,
    OB_GRADE_YELLOW,
    OB_GRADE_RED
};

/** Where a key result's current value came from. */
enum ob_kr_source {
    OB_KR_FROM_KPI,
    OB_KR_FROM_CHECKIN,
    OB_KR_FROM_BASELINE,
    OB_KR_FROM_MILESTONE
};

enum ob_trend { OB_TREND_NONE, OB_TREND_UP, OB_TREND_DOWN, OB_TREND_FLAT };

/** What progress, pace, status and grade an objective or KR has. */
struct ob_okr_score {
    double progress; /* 0-1 */
    double expected; /* 0-1: the share of the quarter elapsed */
    enum ob_okr_status status;
    enum ob_okr_grade grade;
    bool has_confidence;
    double confidence; /* 0-1 */
};

struct ob_kr {
    const struct ob_kr_def *def;
    const struct ob_kpi *kpi; /* NULL: not linked */
    int group;                /* the KPI's group, or 0 */
    struct ob_numfmt fmt;
    double current;
    enum ob_kr_source from;
    int32_t current_date; /* check-in date, or the KPI period's first day */
    struct ob_okr_score score;
    enum ob_trend trend; /* confidence against the check-in before */
    bool has_checkin;
    int32_t last_checkin; /* date of the latest check-in up to the day */
    bool stale;           /* no check-in within okr_rules.checkin_stale */
    const struct ob_checkin **checkins; /* up to as_of, by date */
    size_t n_checkins;
};

struct ob_quarter;

struct ob_objective {
    const struct ob_objective_def *def;
    struct ob_quarter *quarter;
    struct ob_objective *parent;
    struct ob_objective **children; /* aligned objectives, file order */
    size_t n_children;
    struct ob_kr *krs;
    size_t n_krs;
    bool rolled_up; /* no KRs: progress from its children */
    struct ob_okr_score score;
};

/** The OKR files sharing one period (a quarter, or start..end). */
struct ob_quarter {
    char label[32]; /* "2026-Q4", "FY27-Q1", or "2026-10-06..2026-12-20" */
    bool is_quarter;
    int32_t start, end;
    int32_t day;     /* the evaluation day: min(as_of, end) */
    double expected; /* days elapsed up to as_of / days in the period */
    enum ob_okr_status status; /* not_started, ended, or on_track (running) */
    struct ob_objective **objectives; /* file order */
    size_t n_objectives;
};

/** Every OKR of a build. */
struct ob_okrs {
    struct ob_quarter *quarters; /* by start, then end */
    size_t n_quarters;
    struct ob_objective *objectives; /* file order */
    size_t n_objectives;
    int latest; /* the `okrs: latest` quarter, or -1 */
    /* The check-in files read, by their bytes (ob_cache_hash_bytes()):
     * with the configuration's inputs_key, what the OKRs came from. */
    uint64_t files_key;
};

struct ob_okr_input {
    const struct ob_config *cfg;
    const struct ob_kpis *kpis;
    const struct ob_fs_root *root;
    const struct ob_tz *tz;
    int32_t as_of;
};

/**
 * Reads the check-in files, then evaluates every key result and objective
 * at min(as_of, end) of its period, rolls objectives without key results
 * up from their aligned children, and settles status and grade. Returns
 * OB_OK, OB_ERR_INPUT (reported to `d`) or OB_ERR_ENV.
 */
enum ob_err ob_okrs_compute(struct ob_okrs *o, const struct ob_okr_input *in,
                            struct ob_arena *a, struct ob_diag *d);

/** The quarter called `name`: its label ("2026-Q4", "FY27-Q1", a
 * "START..END" period), or a quarter name as OKR files write it ("2027-Q1"
 * for FY27-Q1 when the fiscal year starts in February); -1 if none. */
int ob_okrs_quarter(const struct ob_okrs *o, const char *name,
                    unsigned fiscal_year_start);

/** The objective or key result with this id: its progress, or false. */
bool ob_okrs_progress(const struct ob_okrs *o, const char *id, double *out);

/** "not_started", "ended", "done", "on_track", "at_risk", "off_track". */
const char *ob_okr_status_name(enum ob_okr_status s);

/** "green", "yellow", "red", or "" before the end. */
const char *ob_okr_grade_name(enum ob_okr_grade g);

/** "up", "down", "flat", or "" without two confidences. */
const char *ob_trend_name(enum ob_trend t);

#endif
