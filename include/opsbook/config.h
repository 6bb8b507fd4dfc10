/* config.h: opsbook.yaml (and the KPI files it names), loaded and checked. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_CONFIG_H
#define OPSBOOK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsbook/arena.h"
#include "opsbook/diag.h"
#include "opsbook/fs.h"
#include "opsbook/yaml.h"

enum ob_language { OB_LANG_EN, OB_LANG_FR };

struct ob_site_config {
    const char *title;
    const char *description;
    const char *company;
    enum ob_language language;
    const char *base_url; /* "" = relative links */
    const char *timezone; /* IANA name */
    struct ob_pos timezone_pos;
    unsigned fiscal_year_start; /* 1-12 */
    bool unsafe_html;
};

struct ob_build_config {
    const char *output;
    bool strict;
    unsigned keep_reports;
    int64_t page_timeout; /* seconds */
};

enum ob_source_type { OB_SOURCE_CSV, OB_SOURCE_YAML, OB_SOURCE_POSTGRES };
enum ob_encoding {
    OB_ENC_UTF8,
    OB_ENC_WINDOWS_1252,
    OB_ENC_ISO_8859_1,
    OB_ENC_UTF16
};
enum ob_on_error { OB_ON_ERROR_FAIL, OB_ON_ERROR_SKIP };
enum ob_column_type {
    OB_COL_STRING,
    OB_COL_NUMBER,
    OB_COL_INTEGER,
    OB_COL_BOOLEAN,
    OB_COL_DATE,
    OB_COL_DATETIME,
    OB_COL_PERCENT
};

/** A name with the position it was written at. */
struct ob_name {
    const char *name;
    struct ob_pos pos;
};

struct ob_column_hint {
    const char *name;
    enum ob_column_type type;
    struct ob_pos pos;
};

struct ob_source_checks {
    long long min_rows; /* -1: none */
    struct ob_name *unique;
    size_t n_unique;
    struct ob_name *not_empty;
    size_t n_not_empty;
};

struct ob_source {
    const char *name;
    struct ob_pos pos;
    enum ob_source_type type;
    const char *path; /* file or glob, relative to the site */
    struct ob_pos path_pos;
    struct ob_name time; /* name NULL: no time column */
    char delimiter;      /* 0 = auto */
    char decimal;        /* '.' or ',' */
    enum ob_encoding encoding;
    const char *date_format; /* NULL = ISO 8601 */
    enum ob_on_error on_error;
    int64_t stale_after; /* seconds, 0 = never stale */
    struct ob_source_checks checks;
    struct ob_column_hint *columns;
    size_t n_columns;
    /* postgres */
    const char *dsn;
    const char *table;
    const char *query;
    struct ob_pos dsn_pos;      /* of the dsn's value */
    struct ob_pos relation_pos; /* of the table's or the query's value */
    int64_t statement_timeout;  /* seconds */
};

enum ob_grain {
    OB_GRAIN_DAY,
    OB_GRAIN_WEEK,
    OB_GRAIN_MONTH,
    OB_GRAIN_QUARTER,
    OB_GRAIN_YEAR
};
enum ob_direction { OB_DIR_UP, OB_DIR_DOWN };
enum ob_format {
    OB_FMT_INTEGER,
    OB_FMT_NUMBER,
    OB_FMT_PERCENT,
    OB_FMT_CURRENCY,
    OB_FMT_DURATION
};
enum ob_target_kind {
    OB_TARGET_NONE,
    OB_TARGET_NUMBER,
    OB_TARGET_BY_GROUP,
    OB_TARGET_STEPS
};

struct ob_group_target {
    const char *group;
    double value;
    struct ob_pos pos;
};

struct ob_target_step {
    int32_t from; /* date */
    double value;
    struct ob_pos pos;
};

struct ob_target {
    enum ob_target_kind kind;
    struct ob_pos pos;
    double value;
    struct ob_group_target *groups;
    size_t n_groups;
    struct ob_target_step *steps; /* sorted by from */
    size_t n_steps;
};

/**
 * An expression as written (measure, where, formula). The node gives the
 * position and quoting style, and `raw` the scalar's source, so the
 * expression parser can point at the exact character inside the YAML
 * string (see ob_expr_pos() in expr.h).
 */
struct ob_expr_src {
    const char *text; /* NULL: not given */
    const struct ob_yaml_node *node;
    /* The scalar exactly as written in its file (tag, quotes, escapes,
     * line breaks and indentation), starting at node->pos; a copy in the
     * arena, since the file's text is released after loading. NULL when
     * unknown (expressions built in code): positions then count
     * characters of `text` from node->pos. */
    const char *raw;
    size_t raw_len;
    const char *key; /* "where", "measure", "formula": for messages */
};

/** How a KPI's or key result's numbers are written. */
struct ob_format_def {
    enum ob_format format;
    bool given;           /* false: picked from the measure (or the KPI) */
    struct ob_pos pos;    /* of `format:` */
    const char *currency; /* ISO code for OB_FMT_CURRENCY */
    int decimals;         /* -1: the format's default */
};

struct ob_kpi_def {
    const char *id;
    struct ob_pos pos;
    const char *title;
    const char *description;
    const char *owner;
    const char **tags;
    size_t n_tags;
    struct ob_name source; /* name NULL for a formula KPI */
    struct ob_expr_src measure;
    struct ob_expr_src where;
    struct ob_expr_src formula;
    enum ob_grain grain;
    struct ob_name by; /* name NULL: one series */
    struct ob_target target;
    enum ob_direction direction;
    bool has_thresholds;
    double green, amber;
    struct ob_pos thresholds_pos;
    struct ob_format_def fmt;
};

enum ob_kr_type { OB_KR_NUMERIC, OB_KR_MILESTONE };

/** A check-in: a dated reading of a key result, inline or from a file. */
struct ob_checkin {
    const char *kr; /* the key result's id */
    int32_t date;
    bool has_value;
    double value;
    bool has_confidence;
    double confidence; /* 0-1 */
    const char *note;  /* "" when none */
    struct ob_pos pos;
};

struct ob_kr_def {
    const char *id;
    struct ob_pos pos;
    const char *title;
    const char *description;
    const char *owner;
    enum ob_kr_type type;
    struct ob_name kpi;   /* name NULL: not linked to a KPI */
    struct ob_name group; /* for a KPI with `by` */
    bool has_baseline, has_target;
    double baseline, target;
    double weight; /* > 0, default 1 */
    struct ob_format_def fmt;
    bool done;         /* milestones */
    bool has_progress; /* milestones: manual progress while not done */
    double progress;   /* 0-1 */
    struct ob_checkin *checkins; /* inline, in written order */
    size_t n_checkins;
};

struct ob_objective_def {
    const char *id;
    struct ob_pos pos;
    const char *title;
    const char *description;
    const char *owner;
    const char *team;
    struct ob_name parent; /* name NULL: a top objective */
    struct ob_kr_def *krs;
    size_t n_krs;
};

/** One OKR file: a quarter (or a start/end period) and its objectives. */
struct ob_okr_file {
    const char *path;
    struct ob_pos pos;       /* of `quarter:` (or `start:`) */
    int32_t start, end;      /* inclusive dates */
    struct ob_name checkins; /* a CSV kr,date,value,confidence,note; or NULL */
    struct ob_objective_def *objectives;
    size_t n_objectives;
};

struct ob_okr_rules {
    double on_track; /* tolerance below expected */
    double at_risk;
    int64_t checkin_stale; /* seconds */
};

struct ob_report_def {
    const char *id;
    struct ob_pos pos;
    const char *title;
    bool all_kpis;
    struct ob_name *kpis;
    size_t n_kpis;
    bool latest_okrs;
    struct ob_name *okr_quarters;
    size_t n_okr_quarters;
    struct ob_name *tables;
    size_t n_tables;
};

struct ob_mail_config {
    bool present;
    struct ob_pos pos; /* of the `mail:` mapping */
    const char *from;
    struct ob_pos from_pos;
    const char **to;
    struct ob_pos *to_pos; /* one per entry of `to` */
    size_t n_to;
    const char *subject;
    struct ob_pos subject_pos;
    const char *smtp;
    struct ob_pos smtp_pos;
};

/** A dated note (a release, an incident): a marker on time charts. */
struct ob_annotation {
    int32_t date;
    const char *label;
    struct ob_name *kpis; /* the charts it belongs on; none: every chart */
    size_t n_kpis;
    struct ob_pos pos;
};

/** Everything opsbook.yaml says, with defaults filled in. Lives in an arena. */
struct ob_config {
    const char *path; /* "opsbook.yaml" */
    struct ob_site_config site;
    struct ob_build_config build;
    struct ob_source *sources;
    size_t n_sources;
    struct ob_kpi_def *kpis; /* in definition order (globs: byte order) */
    size_t n_kpis;
    struct ob_name *okr_globs;
    size_t n_okr_globs;
    struct ob_okr_file *okr_files; /* in glob (byte) order */
    size_t n_okr_files;
    struct ob_okr_rules okr_rules;
    struct ob_name annotations;  /* name NULL: none */
    struct ob_annotation *notes; /* the annotations file's, in file order */
    size_t n_notes;
    struct ob_report_def *reports;
    size_t n_reports;
    struct ob_mail_config mail;
    /* What it was read from: the path and bytes of opsbook.yaml and of
     * every KPI, OKR and annotations file, and each ${NAME}'s value
     * (env_key: those values alone). Two loads with the same inputs_key
     * say the same. */
    uint64_t inputs_key, env_key;
};

/** A read-only view of the process environment, for ${NAME} expansion. */
struct ob_env {
    const char *const *vars; /* NAME=value strings, NULL-terminated */
};

/** The value of NAME in env, or NULL when unset. */
const char *ob_env_get(const struct ob_env *env, const char *name);

/**
 * Loads `path` (relative to the current directory, the site root `root`)
 * and every KPI file it names, validating each key: unknown keys (with a "did
 * you mean" hint), wrong types, bad values, duplicate ids, references to
 * unknown sources or KPIs, and unset ${NAME} variables are reported to `d`.
 * Returns OB_OK, OB_ERR_INPUT (problems reported; `cfg` partially filled)
 * or OB_ERR_ENV (a file could not be read). Everything lives in `a`.
 */
enum ob_err ob_config_load(struct ob_config *cfg, struct ob_arena *a,
                           struct ob_diag *d, const struct ob_env *env,
                           const struct ob_fs_root *root, const char *path);

/** The KPI with this id, or NULL. */
const struct ob_kpi_def *ob_config_kpi(const struct ob_config *cfg,
                                       const char *id);
/** The source with this name, or NULL. */
const struct ob_source *ob_config_source(const struct ob_config *cfg,
                                         const char *name);

/** "day", "week", ... */
const char *ob_grain_name(enum ob_grain g);

#endif
