/* config_int.h: what config.c (opsbook.yaml, KPI files) shares with
 * okrfile.c (OKR files): the loader and its checked-value helpers. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_CONFIG_INT_H
#define OPSBOOK_CONFIG_INT_H

#include "opsbook/config.h"
#include "opsbook/hash.h"

/* State shared by the loading functions of one opsbook.yaml. */
struct loader {
    struct ob_config *cfg;
    struct ob_arena *a;
    struct ob_diag *d;
    const struct ob_env *env;
    const struct ob_fs_root *root;
    enum ob_err env_err; /* a file could not be read */
    /* The text of the file being loaded, which node source offsets index:
     * expressions copy their source from it (load_expr()). */
    const char *text;
    size_t text_len;
    struct ob_hasher inputs, vars; /* become cfg->inputs_key, env_key */
};

typedef const char *const key_list[];

/** Reports each key of `map` not in `allowed`, with a "did you mean". */
void cfg_check_keys(struct loader *l, const struct ob_yaml_node *map,
                    const char *const *allowed, const char *where);

/** A string value with ${NAME} expanded; NULL (reported) when it is not. */
const char *cfg_string(struct loader *l, const struct ob_yaml_node *n);

/* Optional keys: *out is left alone when the key is absent or wrong. */
void cfg_opt_string(struct loader *l, const struct ob_yaml_node *map,
                    const char *key, const char **out);
void cfg_opt_bool(struct loader *l, const struct ob_yaml_node *map,
                  const char *key, bool *out);
void cfg_opt_duration(struct loader *l, const struct ob_yaml_node *map,
                      const char *key, int64_t *out);
void cfg_opt_number(struct loader *l, const struct ob_yaml_node *map,
                    const char *key, double lo, double hi, double *out);

/** One of `names` (NULL-terminated); its index, or -1 (reported). */
int cfg_choice(struct loader *l, const struct ob_yaml_node *n,
               const char *const *names, const char *what);
int cfg_opt_choice(struct loader *l, const struct ob_yaml_node *map,
                   const char *key, const char *const *names, const char *what,
                   int dflt);

/** A list of names; a single string is a one-item list. */
struct ob_name *cfg_name_list(struct loader *l, const struct ob_yaml_node *n,
                              size_t *count);

/** "unknown WHAT 'name'", with the closest of `names` as a hint. */
void cfg_unknown_name(struct loader *l, const struct ob_name *ref,
                      const char *what, const char **names);

/** `format:` and `decimals:` of a KPI or key result. */
void cfg_format_keys(struct loader *l, struct ob_format_def *f,
                     const struct ob_yaml_node *map);

/**
 * Parses every YAML file `pattern` (a path or glob, byte order) names and
 * hands each non-empty document to `each`, with l->text set to the file's
 * text. No match is an error naming `what` ("KPI file").
 */
void cfg_each_file(struct loader *l, const struct ob_name *pattern,
                   const char *what,
                   void (*each)(struct loader *l,
                                const struct ob_yaml_node *root, void *ctx),
                   void *ctx);

/** Loads the OKR files cfg->okr_globs names into cfg->okr_files and checks
 * them (okrfile.c). */
void cfg_load_okrs(struct loader *l);

/** Loads the annotations file cfg->annotations names into cfg->notes
 * (annotfile.c); needs the KPIs loaded. */
void cfg_load_annotations(struct loader *l);

#endif
