/* config.c: load opsbook.yaml and the KPI files, check every key and value. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/buf.h"
#include "opsbook/date.h"
#include "opsbook/mem.h"
#include "opsbook/text.h"

#include "config_int.h"

static const key_list top_keys = {"site", "build",     "sources",     "kpis",
                                  "okrs", "okr_rules", "annotations", "reports",
                                  "mail", NULL};
static const key_list site_keys = {
    "title",    "description",       "company",     "language", "base_url",
    "timezone", "fiscal_year_start", "unsafe_html", NULL};
static const key_list build_keys = {"output", "strict", "keep_reports",
                                    "page_timeout", NULL};
static const key_list source_keys = {
    "path",     "type",        "time",     "delimiter",   "decimal",
    "encoding", "date_format", "on_error", "stale_after", "checks",
    "columns",  "dsn",         "table",    "query",       "statement_timeout",
    NULL};
static const key_list checks_keys = {"min_rows", "unique", "not_empty", NULL};
static const key_list kpi_keys = {
    "id",         "title",  "description", "owner",   "tags",   "source",
    "measure",    "where",  "grain",       "by",      "target", "direction",
    "thresholds", "format", "decimals",    "formula", NULL};
static const key_list threshold_keys = {"green", "amber", NULL};
static const key_list okr_rule_keys = {"on_track", "at_risk", "checkin_stale",
                                       NULL};
static const key_list report_keys = {"id",   "title",  "kpis",
                                     "okrs", "tables", NULL};
static const key_list mail_keys = {"from", "to", "subject", "smtp", NULL};
static const key_list target_step_keys = {"from", "value", NULL};

static const char *const grain_names[] = {"day",     "week", "month",
                                          "quarter", "year", NULL};
static const char *const column_type_names[] = {"string",  "number", "integer",
                                                "boolean", "date",   "datetime",
                                                "percent", NULL};

const char *
ob_grain_name(enum ob_grain g)
{
    return grain_names[g];
}

const char *
ob_env_get(const struct ob_env *env, const char *name)
{
    size_t n = strlen(name);
    const char *const *v;

    if (!env || !env->vars)
        return NULL;
    for (v = env->vars; *v; v++)
        if (strncmp(*v, name, n) == 0 && (*v)[n] == '=')
            return *v + n + 1;
    return NULL;
}

/* ---- keys and typed values ------------------------------------------- */

static bool
key_allowed(const char *key, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (!strcmp(key, *allowed))
            return true;
    return false;
}

/* Reports each key of `map` not in `allowed`, with a "did you mean". */
void
cfg_check_keys(struct loader *l, const struct ob_yaml_node *map,
               const char *const *allowed, const char *where)
{
    size_t i;

    for (i = 0; i < map->n; i++) {
        const struct ob_yaml_node *k = map->pairs[i].key;
        const char *hint;

        if (key_allowed(k->str, allowed))
            continue;
        hint = ob_suggest(k->str, allowed);
        if (hint)
            ob_diag_error(l->d, &k->pos,
                          "unknown key '%s' in %s (did you mean '%s'?)", k->str,
                          where, hint);
        else
            ob_diag_error(l->d, &k->pos, "unknown key '%s' in %s", k->str,
                          where);
    }
}

static bool
is_env_name_char(char c, bool first)
{
    return c == '_' || isalpha((unsigned char)c) ||
           (!first && isdigit((unsigned char)c));
}

/* Replaces ${NAME} with the environment's value; "$${" stands for "${".
 * An unset variable, or one whose value is not UTF-8, is reported at n. */
static const char *
expand_env(struct loader *l, const struct ob_yaml_node *n, const char *s)
{
    struct ob_buf out = OB_BUF_INIT;
    const char *p = s, *result;
    bool ok = true;

    if (!strchr(s, '$'))
        return s;
    while (*p) {
        size_t len = 0;
        const char *value;
        char *name;

        if (p[0] == '$' && p[1] == '$' && p[2] == '{') {
            ob_buf_puts(&out, "${");
            p += 3;
            continue;
        }
        if (p[0] != '$' || p[1] != '{') {
            ob_buf_putc(&out, *p++);
            continue;
        }
        while (is_env_name_char(p[2 + len], len == 0))
            len++;
        if (len == 0 || p[2 + len] != '}') {
            ob_buf_putc(&out, *p++);
            continue;
        }
        name = ob_xstrndup(p + 2, len);
        value = ob_env_get(l->env, name);
        if (!value) {
            ob_diag_error(l->d, &n->pos, "environment variable '%s' is not set",
                          name);
            ok = false;
        } else if (!ob_utf8_valid(value, strlen(value), NULL)) {
            /* checked as the file's own text is (yaml.c): it reaches
             * pages, the workbook and mail headers the same way */
            ob_diag_error(l->d, &n->pos,
                          "environment variable '%s' holds invalid UTF-8 text",
                          name);
            ok = false;
        } else {
            ob_buf_puts(&out, value);
            ob_hasher_add_str(&l->vars, name);
            ob_hasher_add_str(&l->vars, value);
        }
        free(name);
        p += len + 3;
    }
    result = ok ? ob_arena_strndup(l->a, out.ptr, out.len) : NULL;
    ob_buf_release(&out);
    return result;
}

/* A string value with ${NAME} expanded; NULL (reported) when it is not. */
const char *
cfg_string(struct loader *l, const struct ob_yaml_node *n)
{
    const char *s;

    if (!ob_yaml_str(l->d, n, &s))
        return NULL;
    return expand_env(l, n, s);
}

/* Optional string key: leaves *out alone when absent. */
void
cfg_opt_string(struct loader *l, const struct ob_yaml_node *map,
               const char *key, const char **out)
{
    const struct ob_yaml_node *n = ob_yaml_get(map, key);
    const char *s;

    if (!n)
        return;
    s = cfg_string(l, n);
    if (s)
        *out = s;
}

void
cfg_opt_bool(struct loader *l, const struct ob_yaml_node *map, const char *key,
             bool *out)
{
    const struct ob_yaml_node *n = ob_yaml_get(map, key);

    if (n)
        ob_yaml_bool(l->d, n, out);
}

void
cfg_opt_duration(struct loader *l, const struct ob_yaml_node *map,
                 const char *key, int64_t *out)
{
    const struct ob_yaml_node *n = ob_yaml_get(map, key);

    if (n)
        ob_yaml_duration(l->d, n, out);
}

void
cfg_opt_number(struct loader *l, const struct ob_yaml_node *map,
               const char *key, double lo, double hi, double *out)
{
    const struct ob_yaml_node *n = ob_yaml_get(map, key);
    double v;

    if (!n || !ob_yaml_number(l->d, n, &v))
        return;
    if (v < lo || v > hi) {
        ob_diag_error(l->d, &n->pos,
                      "expected a number from %g to %g, got '%s'", lo, hi,
                      n->str);
        return;
    }
    *out = v;
}

/* One of `names` (NULL-terminated); returns its index or -1 (reported). */
int
cfg_choice(struct loader *l, const struct ob_yaml_node *n,
           const char *const *names, const char *what)
{
    const char *s, *hint;
    struct ob_buf list = OB_BUF_INIT;
    int i;

    if (!ob_yaml_str(l->d, n, &s))
        return -1;
    for (i = 0; names[i]; i++)
        if (!strcmp(s, names[i]))
            return i;
    for (i = 0; names[i]; i++)
        ob_buf_printf(&list, "%s%s", i ? ", " : "", names[i]);
    hint = ob_suggest(s, names);
    if (hint)
        ob_diag_error(l->d, &n->pos, "unknown %s '%s' (did you mean '%s'?)",
                      what, s, hint);
    else
        ob_diag_error(l->d, &n->pos, "unknown %s '%s' (expected one of: %s)",
                      what, s, list.ptr);
    ob_buf_release(&list);
    return -1;
}

int
cfg_opt_choice(struct loader *l, const struct ob_yaml_node *map,
               const char *key, const char *const *names, const char *what,
               int dflt)
{
    const struct ob_yaml_node *n = ob_yaml_get(map, key);
    int i;

    if (!n)
        return dflt;
    i = cfg_choice(l, n, names, what);
    return i < 0 ? dflt : i;
}

/* A list of names, also accepting a single string for a one-item list. */
struct ob_name *
cfg_name_list(struct loader *l, const struct ob_yaml_node *n, size_t *count)
{
    struct ob_name *out;
    size_t i, len = n->kind == OB_YAML_SEQ ? n->n : 1;

    *count = 0;
    if (n->kind == OB_YAML_MAP) {
        ob_diag_error(l->d, &n->pos, "expected a list of names, got %s",
                      ob_yaml_kind_name(n));
        return NULL;
    }
    out = ob_arena_calloc(l->a, len, sizeof(*out));
    for (i = 0; i < len; i++) {
        const struct ob_yaml_node *item =
            n->kind == OB_YAML_SEQ ? n->items[i] : n;
        const char *s = cfg_string(l, item);

        if (!s)
            continue;
        out[*count].name = s;
        out[*count].pos = item->pos;
        (*count)++;
    }
    return out;
}

static bool
valid_id(const char *s, bool allow_dash)
{
    if (!*s)
        return false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!(islower(c) || isdigit(c) || c == '_' || (allow_dash && c == '-')))
            return false;
    }
    return true;
}

/* KPI and report ids name files (kpis/ID.dark.svg, reports/ID-2026-11-20
 * .xlsx): they leave room for those in a file name's 255 bytes. False, and
 * an error at n, when `id` is longer. */
#define MAX_ID 200

static bool
id_fits(struct loader *l, const struct ob_yaml_node *n, const char *what,
        const char *id)
{
    if (strlen(id) <= MAX_ID)
        return true;
    ob_diag_error(l->d, &n->pos,
                  "%s '%.32s...' is too long (more than %d bytes): it names "
                  "files",
                  what, id, MAX_ID);
    return false;
}

/* ---- site, build, okr_rules, mail ------------------------------------ */

static void
load_site(struct loader *l, const struct ob_yaml_node *n,
          const struct ob_pos *top)
{
    static const char *const languages[] = {"en", "fr", NULL};
    struct ob_site_config *s = &l->cfg->site;
    const struct ob_yaml_node *v;
    long long fy;

    if (!n) {
        ob_diag_error(l->d, top, "missing required section 'site'");
        return;
    }
    if (!ob_yaml_expect_map(l->d, n))
        return;
    cfg_check_keys(l, n, site_keys, "'site'");
    if (!ob_yaml_get(n, "title"))
        ob_diag_error(l->d, &n->pos, "missing required key 'title' in 'site'");
    cfg_opt_string(l, n, "title", &s->title);
    cfg_opt_string(l, n, "description", &s->description);
    cfg_opt_string(l, n, "company", &s->company);
    s->language = (enum ob_language)cfg_opt_choice(l, n, "language", languages,
                                                   "language", OB_LANG_EN);
    cfg_opt_string(l, n, "base_url", &s->base_url);
    v = ob_yaml_get(n, "timezone");
    if (v) {
        cfg_opt_string(l, n, "timezone", &s->timezone);
        s->timezone_pos = v->pos;
    }
    v = ob_yaml_get(n, "fiscal_year_start");
    if (v && ob_yaml_int(l->d, v, 1, 12, &fy))
        s->fiscal_year_start = (unsigned)fy;
    cfg_opt_bool(l, n, "unsafe_html", &s->unsafe_html);
}

static void
load_build(struct loader *l, const struct ob_yaml_node *n)
{
    struct ob_build_config *b = &l->cfg->build;
    const struct ob_yaml_node *v;
    long long keep;

    if (!n || !ob_yaml_expect_map(l->d, n))
        return;
    cfg_check_keys(l, n, build_keys, "'build'");
    cfg_opt_string(l, n, "output", &b->output);
    cfg_opt_bool(l, n, "strict", &b->strict);
    v = ob_yaml_get(n, "keep_reports");
    if (v && ob_yaml_int(l->d, v, 0, 10000, &keep))
        b->keep_reports = (unsigned)keep;
    v = ob_yaml_get(n, "page_timeout");
    if (v && ob_yaml_duration(l->d, v, &b->page_timeout) &&
        b->page_timeout <= 0)
        ob_diag_error(l->d, &v->pos, "'page_timeout' must be positive");
}

static void
load_okr_rules(struct loader *l, const struct ob_yaml_node *n)
{
    struct ob_okr_rules *r = &l->cfg->okr_rules;

    if (!n || !ob_yaml_expect_map(l->d, n))
        return;
    cfg_check_keys(l, n, okr_rule_keys, "'okr_rules'");
    cfg_opt_number(l, n, "on_track", 0, 1, &r->on_track);
    cfg_opt_number(l, n, "at_risk", 0, 1, &r->at_risk);
    cfg_opt_duration(l, n, "checkin_stale", &r->checkin_stale);
    if (r->at_risk < r->on_track)
        ob_diag_error(l->d, &n->pos,
                      "'at_risk' (%g) must not be below 'on_track' (%g)",
                      r->at_risk, r->on_track);
}

/* The position of map[key]'s value, or of the map when it has none. */
static struct ob_pos
value_pos(const struct ob_yaml_node *map, const char *key)
{
    const struct ob_yaml_node *v = ob_yaml_get(map, key);

    return v ? v->pos : map->pos;
}

static void
load_mail(struct loader *l, const struct ob_yaml_node *n)
{
    struct ob_mail_config *m = &l->cfg->mail;
    const struct ob_yaml_node *to;
    struct ob_name *names;
    size_t i;

    if (!n || !ob_yaml_expect_map(l->d, n))
        return;
    m->present = true;
    m->pos = n->pos;
    cfg_check_keys(l, n, mail_keys, "'mail'");
    if (!ob_yaml_get(n, "from"))
        ob_diag_error(l->d, &n->pos, "missing required key 'from' in 'mail'");
    cfg_opt_string(l, n, "from", &m->from);
    cfg_opt_string(l, n, "subject", &m->subject);
    cfg_opt_string(l, n, "smtp", &m->smtp);
    /* where each value stands: the mail module checks the addresses */
    m->from_pos = value_pos(n, "from");
    m->subject_pos = value_pos(n, "subject");
    m->smtp_pos = value_pos(n, "smtp");
    to = ob_yaml_get(n, "to");
    if (!to)
        return;
    names = cfg_name_list(l, to, &m->n_to);
    m->to = ob_arena_calloc(l->a, m->n_to ? m->n_to : 1, sizeof(*m->to));
    m->to_pos =
        ob_arena_calloc(l->a, m->n_to ? m->n_to : 1, sizeof(*m->to_pos));
    for (i = 0; i < m->n_to; i++) {
        m->to[i] = names[i].name;
        m->to_pos[i] = names[i].pos;
    }
}

/* ---- sources --------------------------------------------------------- */

static void
load_checks(struct loader *l, struct ob_source_checks *c,
            const struct ob_yaml_node *n)
{
    const struct ob_yaml_node *v;

    if (!ob_yaml_expect_map(l->d, n))
        return;
    cfg_check_keys(l, n, checks_keys, "'checks'");
    v = ob_yaml_get(n, "min_rows");
    if (v)
        ob_yaml_int(l->d, v, 0, 1LL << 53, &c->min_rows);
    v = ob_yaml_get(n, "unique");
    if (v)
        c->unique = cfg_name_list(l, v, &c->n_unique);
    v = ob_yaml_get(n, "not_empty");
    if (v)
        c->not_empty = cfg_name_list(l, v, &c->n_not_empty);
}

static void
load_columns(struct loader *l, struct ob_source *src,
             const struct ob_yaml_node *n)
{
    size_t i;

    if (!ob_yaml_expect_map(l->d, n))
        return;
    src->columns =
        ob_arena_calloc(l->a, n->n ? n->n : 1, sizeof(*src->columns));
    for (i = 0; i < n->n; i++) {
        struct ob_column_hint *h = &src->columns[src->n_columns];
        int t =
            cfg_choice(l, n->pairs[i].value, column_type_names, "column type");

        if (t < 0)
            continue;
        h->name = n->pairs[i].key->str;
        h->pos = n->pairs[i].key->pos;
        h->type = (enum ob_column_type)t;
        src->n_columns++;
    }
}

static void
load_delimiter(struct loader *l, struct ob_source *src,
               const struct ob_yaml_node *n)
{
    const char *s;

    if (!ob_yaml_str(l->d, n, &s))
        return;
    if (!strcmp(s, "auto"))
        src->delimiter = 0;
    else if (!strcmp(s, "tab") || !strcmp(s, "\\t"))
        src->delimiter = '\t';
    else if (strlen(s) == 1 && strchr(",;\t|", s[0]))
        src->delimiter = s[0];
    else
        ob_diag_error(l->d, &n->pos,
                      "unknown delimiter '%s' (expected auto, \",\", \";\", "
                      "\"\\t\" or \"|\")",
                      s);
}

static void
load_encoding(struct loader *l, struct ob_source *src,
              const struct ob_yaml_node *n)
{
    static const char *const names[] = {"utf-8", "windows-1252", "iso-8859-1",
                                        "utf-16", NULL};
    static const char *const aliases[] = {"utf8", "cp1252", "latin1", "utf16",
                                          NULL};
    const char *s;
    char lower[32];
    size_t i;

    if (!ob_yaml_str(l->d, n, &s))
        return;
    for (i = 0; s[i] && i < sizeof lower - 1; i++)
        lower[i] = (char)tolower((unsigned char)s[i]);
    lower[i] = '\0';
    for (i = 0; names[i]; i++) {
        if (!strcmp(lower, names[i]) || !strcmp(lower, aliases[i])) {
            src->encoding = (enum ob_encoding)i;
            return;
        }
    }
    cfg_choice(l, n, names, "encoding"); /* reports with the valid names */
}

/* Reports each of `keys` present in `n`: they do not apply to its type. */
static void
reject_keys(struct loader *l, const struct ob_yaml_node *n,
            const char *const *keys, const char *type)
{
    for (; *keys; keys++) {
        const struct ob_yaml_node *v = ob_yaml_get(n, *keys);

        if (v)
            ob_diag_error(l->d, &v->pos, "'%s' does not apply to a %s source",
                          *keys, type);
    }
}

/* Keys that apply to some source types only. */
static void
check_type_keys(struct loader *l, const struct ob_source *src,
                const struct ob_yaml_node *n)
{
    static const char *const file_only[] = {
        "path",        "delimiter", "decimal", "encoding",
        "date_format", "on_error",  NULL};
    static const char *const csv_only[] = {"delimiter", "decimal", "encoding",
                                           NULL};
    static const char *const pg_only[] = {"dsn", "table", "query",
                                          "statement_timeout", NULL};

    if (src->type == OB_SOURCE_POSTGRES) {
        reject_keys(l, n, file_only, "postgres");
        return;
    }
    reject_keys(l, n, pg_only, src->type == OB_SOURCE_CSV ? "csv" : "yaml");
    if (src->type == OB_SOURCE_YAML)
        reject_keys(l, n, csv_only, "yaml");
}

/* Where the warehouse's errors point; a DSN written in the file (no
 * ${NAME}) is a secret about to be committed. */
static void
load_dsn_pos(struct loader *l, struct ob_source *src,
             const struct ob_yaml_node *n)
{
    const struct ob_yaml_node *dsn = ob_yaml_get(n, "dsn");
    const struct ob_yaml_node *rel = ob_yaml_get(n, "table");

    if (!rel)
        rel = ob_yaml_get(n, "query");
    src->relation_pos = rel ? rel->pos : n->pos;
    src->dsn_pos = dsn ? dsn->pos : n->pos;
    if (dsn && dsn->str && !strstr(dsn->str, "${"))
        ob_diag_warning(l->d, &dsn->pos,
                        "source '%s': the DSN is written in %s; take it "
                        "from the environment (dsn: ${WAREHOUSE_DSN}) so "
                        "no password is committed",
                        src->name, dsn->pos.path);
}

static void
load_source_type(struct loader *l, struct ob_source *src,
                 const struct ob_yaml_node *n)
{
    static const char *const types[] = {"csv", "yaml", "postgres", NULL};
    const struct ob_yaml_node *type = ob_yaml_get(n, "type");
    int t = type ? cfg_choice(l, type, types, "source type") : OB_SOURCE_CSV;

    if (t < 0)
        return; /* what else applies depends on the type */
    src->type = (enum ob_source_type)t;
    check_type_keys(l, src, n);
    if (src->type == OB_SOURCE_POSTGRES) {
        cfg_opt_string(l, n, "dsn", &src->dsn);
        cfg_opt_string(l, n, "table", &src->table);
        cfg_opt_string(l, n, "query", &src->query);
        cfg_opt_duration(l, n, "statement_timeout", &src->statement_timeout);
        load_dsn_pos(l, src, n);
        if (!src->dsn)
            ob_diag_error(l->d, &n->pos, "source '%s' needs a 'dsn'",
                          src->name);
        if (!src->table == !src->query)
            ob_diag_error(l->d, &n->pos,
                          "source '%s' needs either 'table' or 'query'",
                          src->name);
        return;
    }
    cfg_opt_string(l, n, "path", &src->path);
    if (!ob_yaml_get(n, "path"))
        ob_diag_error(l->d, &n->pos, "source '%s' needs a 'path'", src->name);
    else if (src->path && !ob_fs_path_is_clean(src->path))
        ob_diag_error(l->d, &ob_yaml_get(n, "path")->pos,
                      "'%s' must be a path inside the site (relative, "
                      "without '.' or '..')",
                      src->path);
    if (ob_yaml_get(n, "path"))
        src->path_pos = ob_yaml_get(n, "path")->pos;
}

static void
load_source_format(struct loader *l, struct ob_source *src,
                   const struct ob_yaml_node *n)
{
    static const char *const on_errors[] = {"fail", "skip", NULL};
    const struct ob_yaml_node *v;
    const char *s = NULL;

    v = ob_yaml_get(n, "delimiter");
    if (v)
        load_delimiter(l, src, v);
    v = ob_yaml_get(n, "decimal");
    if (v && ob_yaml_str(l->d, v, &s)) {
        if (strcmp(s, ".") && strcmp(s, ","))
            ob_diag_error(l->d, &v->pos,
                          "unknown decimal separator '%s' (expected \".\" "
                          "or \",\")",
                          s);
        else
            src->decimal = s[0];
    }
    v = ob_yaml_get(n, "encoding");
    if (v)
        load_encoding(l, src, v);
    cfg_opt_string(l, n, "date_format", &src->date_format);
    if (src->date_format && !strcmp(src->date_format, "auto"))
        src->date_format = NULL;
    else if (src->date_format && !strchr(src->date_format, '%'))
        ob_diag_error(l->d, &ob_yaml_get(n, "date_format")->pos,
                      "'date_format' must be auto or a strptime pattern "
                      "such as \"%%d/%%m/%%Y\", got '%s'",
                      src->date_format);
    src->on_error = (enum ob_on_error)cfg_opt_choice(
        l, n, "on_error", on_errors, "on_error value", OB_ON_ERROR_FAIL);
}

static void
load_source(struct loader *l, struct ob_source *src,
            const struct ob_yaml_node *key, const struct ob_yaml_node *n)
{
    const struct ob_yaml_node *v;

    src->name = key->str;
    src->pos = key->pos;
    src->decimal = '.';
    src->checks.min_rows = -1;
    if (!valid_id(key->str, true))
        ob_diag_error(l->d, &key->pos,
                      "source name '%s' may hold only a-z, 0-9, '_' and '-'",
                      key->str);
    if (!ob_yaml_expect_map(l->d, n))
        return;
    cfg_check_keys(l, n, source_keys, "a source");
    load_source_type(l, src, n);
    if (src->type != OB_SOURCE_POSTGRES)
        load_source_format(l, src, n);
    v = ob_yaml_get(n, "time");
    if (v && ob_yaml_str(l->d, v, &src->time.name))
        src->time.pos = v->pos;
    cfg_opt_duration(l, n, "stale_after", &src->stale_after);
    v = ob_yaml_get(n, "checks");
    if (v)
        load_checks(l, &src->checks, v);
    v = ob_yaml_get(n, "columns");
    if (v)
        load_columns(l, src, v);
}

static void
load_sources(struct loader *l, const struct ob_yaml_node *n)
{
    size_t i;

    if (!n || !ob_yaml_expect_map(l->d, n))
        return;
    l->cfg->sources =
        ob_arena_calloc(l->a, n->n ? n->n : 1, sizeof(*l->cfg->sources));
    for (i = 0; i < n->n; i++)
        load_source(l, &l->cfg->sources[i], n->pairs[i].key, n->pairs[i].value);
    l->cfg->n_sources = n->n;
}

/* ---- KPIs ------------------------------------------------------------ */

static void
load_expr(struct loader *l, const struct ob_yaml_node *map, const char *key,
          struct ob_expr_src *e)
{
    const struct ob_yaml_node *n = ob_yaml_get(map, key);

    if (!n)
        return;
    if (n->kind == OB_YAML_SCALAR && !n->quoted &&
        (n->str[0] == '\0' || ob_yaml_is_null(n))) {
        ob_diag_error(l->d, &n->pos, "'%s' is empty", key);
        return;
    }
    if (!ob_yaml_str(l->d, n, &e->text))
        return;
    e->node = n;
    e->key = key;
    /* The file's text goes away after loading; errors found later (when
     * a KPI is bound to its source) still need the scalar as written. */
    if (l->text && n->src_len > 0 &&
        (size_t)n->src_offset + n->src_len <= l->text_len) {
        e->raw = ob_arena_strndup(l->a, l->text + n->src_offset, n->src_len);
        e->raw_len = n->src_len;
    }
}

static int
compare_steps(const void *pa, const void *pb)
{
    const struct ob_target_step *a = pa, *b = pb;

    return (a->from > b->from) - (a->from < b->from);
}

static void
load_target_steps(struct loader *l, struct ob_target *t,
                  const struct ob_yaml_node *n)
{
    size_t i;

    t->kind = OB_TARGET_STEPS;
    t->steps = ob_arena_calloc(l->a, n->n ? n->n : 1, sizeof(*t->steps));
    for (i = 0; i < n->n; i++) {
        const struct ob_yaml_node *item = n->items[i], *from, *value;
        struct ob_target_step *s = &t->steps[t->n_steps];

        if (!ob_yaml_expect_map(l->d, item))
            continue;
        cfg_check_keys(l, item, target_step_keys, "a target step");
        from = ob_yaml_get(item, "from");
        value = ob_yaml_get(item, "value");
        if (!from || !value) {
            ob_diag_error(l->d, &item->pos,
                          "a target step needs 'from' and 'value'");
            continue;
        }
        if (ob_yaml_date(l->d, from, &s->from) &&
            ob_yaml_number(l->d, value, &s->value)) {
            s->pos = item->pos;
            t->n_steps++;
        }
    }
    ob_qsort(t->steps, t->n_steps, sizeof(*t->steps), compare_steps);
    for (i = 1; i < t->n_steps; i++)
        if (t->steps[i].from == t->steps[i - 1].from)
            ob_diag_error(l->d, &t->steps[i].pos,
                          "two target steps start on the same date");
}

static void
load_target(struct loader *l, struct ob_target *t, const struct ob_yaml_node *n)
{
    size_t i;

    t->pos = n->pos;
    if (n->kind == OB_YAML_SEQ) {
        load_target_steps(l, t, n);
        return;
    }
    if (n->kind == OB_YAML_SCALAR) {
        if (ob_yaml_number(l->d, n, &t->value))
            t->kind = OB_TARGET_NUMBER;
        return;
    }
    t->kind = OB_TARGET_BY_GROUP;
    t->groups = ob_arena_calloc(l->a, n->n ? n->n : 1, sizeof(*t->groups));
    for (i = 0; i < n->n; i++) {
        struct ob_group_target *g = &t->groups[t->n_groups];

        if (!ob_yaml_number(l->d, n->pairs[i].value, &g->value))
            continue;
        g->group = n->pairs[i].key->str;
        g->pos = n->pairs[i].key->pos;
        t->n_groups++;
    }
}

static void
load_format(struct loader *l, struct ob_format_def *k,
            const struct ob_yaml_node *n)
{
    static const char *const formats[] = {"integer",  "number",   "percent",
                                          "currency", "duration", NULL};
    const char *s;
    size_t len;
    int f;

    if (!ob_yaml_str(l->d, n, &s))
        return;
    k->pos = n->pos;
    if (!strncmp(s, "currency:", 9)) {
        len = strlen(s + 9);
        if (len != 3 || !isupper((unsigned char)s[9]) ||
            !isupper((unsigned char)s[10]) || !isupper((unsigned char)s[11])) {
            ob_diag_error(l->d, &n->pos,
                          "expected a currency code such as currency:EUR, "
                          "got '%s'",
                          s);
            return;
        }
        k->format = OB_FMT_CURRENCY;
        k->currency = s + 9;
        k->given = true;
        return;
    }
    if (!strcmp(s, "currency")) {
        ob_diag_error(l->d, &n->pos,
                      "'currency' needs a code, such as currency:EUR");
        return;
    }
    f = cfg_choice(l, n, formats, "format");
    if (f >= 0) {
        k->format = (enum ob_format)f;
        k->given = true;
    }
}

/* `format:` and `decimals:` of a KPI or key result. */
void
cfg_format_keys(struct loader *l, struct ob_format_def *f,
                const struct ob_yaml_node *map)
{
    const struct ob_yaml_node *v = ob_yaml_get(map, "format");
    long long dec;

    if (v)
        load_format(l, f, v);
    v = ob_yaml_get(map, "decimals");
    if (v && ob_yaml_int(l->d, v, 0, 10, &dec))
        f->decimals = (int)dec;
}

static void
load_thresholds(struct loader *l, struct ob_kpi_def *k,
                const struct ob_yaml_node *n)
{
    const struct ob_yaml_node *green, *amber;

    if (!ob_yaml_expect_map(l->d, n))
        return;
    cfg_check_keys(l, n, threshold_keys, "'thresholds'");
    green = ob_yaml_get(n, "green");
    amber = ob_yaml_get(n, "amber");
    if (!green || !amber) {
        ob_diag_error(l->d, &n->pos, "'thresholds' needs 'green' and 'amber'");
        return;
    }
    if (!ob_yaml_number(l->d, green, &k->green) ||
        !ob_yaml_number(l->d, amber, &k->amber))
        return;
    k->has_thresholds = true;
    k->thresholds_pos = n->pos;
}

/* Checks that depend on several keys of one KPI. */
static void
check_kpi(struct loader *l, struct ob_kpi_def *k, const struct ob_yaml_node *n)
{

    if (k->formula.text && (k->source.name || k->measure.text || k->where.text))
        ob_diag_error(l->d, &k->formula.node->pos,
                      "KPI '%s' has a formula: 'source', 'measure' and "
                      "'where' do not apply",
                      k->id);
    else if (!k->formula.text && !k->source.name)
        ob_diag_error(l->d, &n->pos,
                      "KPI '%s' needs a 'source' and a 'measure', or a "
                      "'formula'",
                      k->id);
    else if (k->source.name && !k->measure.text)
        ob_diag_error(l->d, &n->pos, "KPI '%s' needs a 'measure'", k->id);
    if (k->formula.text && !ob_yaml_get(n, "grain"))
        ob_diag_error(l->d, &k->formula.node->pos,
                      "formula KPI '%s' must declare its 'grain'", k->id);
    if (k->has_thresholds &&
        (k->direction == OB_DIR_UP ? k->green < k->amber : k->green > k->amber))
        ob_diag_error(l->d, &k->thresholds_pos,
                      "for direction '%s' the green threshold must be %s the "
                      "amber one",
                      k->direction == OB_DIR_UP ? "up" : "down",
                      k->direction == OB_DIR_UP ? "at or above"
                                                : "at or below");
}

static void
load_kpi_fields(struct loader *l, struct ob_kpi_def *k,
                const struct ob_yaml_node *n)
{
    static const char *const directions[] = {"up", "down", NULL};
    const struct ob_yaml_node *v;
    struct ob_name *tags;
    size_t i;

    cfg_opt_string(l, n, "title", &k->title);
    cfg_opt_string(l, n, "description", &k->description);
    cfg_opt_string(l, n, "owner", &k->owner);
    v = ob_yaml_get(n, "tags");
    if (v) {
        tags = cfg_name_list(l, v, &k->n_tags);
        k->tags = ob_arena_calloc(l->a, k->n_tags + 1, sizeof(*k->tags));
        for (i = 0; i < k->n_tags; i++)
            k->tags[i] = tags[i].name;
    }
    v = ob_yaml_get(n, "source");
    if (v && ob_yaml_str(l->d, v, &k->source.name))
        k->source.pos = v->pos;
    load_expr(l, n, "measure", &k->measure);
    load_expr(l, n, "where", &k->where);
    load_expr(l, n, "formula", &k->formula);
    k->grain = (enum ob_grain)cfg_opt_choice(l, n, "grain", grain_names,
                                             "grain", OB_GRAIN_WEEK);
    v = ob_yaml_get(n, "by");
    if (v && ob_yaml_str(l->d, v, &k->by.name))
        k->by.pos = v->pos;
    v = ob_yaml_get(n, "target");
    if (v)
        load_target(l, &k->target, v);
    k->direction = (enum ob_direction)cfg_opt_choice(
        l, n, "direction", directions, "direction", OB_DIR_UP);
    v = ob_yaml_get(n, "thresholds");
    if (v)
        load_thresholds(l, k, v);
    cfg_format_keys(l, &k->fmt, n);
}

/* Loads one KPI mapping; false when it has no usable id. */
static bool
load_kpi(struct loader *l, struct ob_kpi_def *k, const struct ob_yaml_node *n)
{
    const struct ob_yaml_node *id;

    memset(k, 0, sizeof(*k));
    k->fmt.decimals = -1;
    k->fmt.format = OB_FMT_NUMBER;
    if (!ob_yaml_expect_map(l->d, n))
        return false;
    cfg_check_keys(l, n, kpi_keys, "a KPI");
    id = ob_yaml_get(n, "id");
    if (!id) {
        ob_diag_error(l->d, &n->pos, "a KPI needs an 'id'");
        return false;
    }
    if (!ob_yaml_str(l->d, id, &k->id))
        return false;
    k->pos = id->pos;
    if (!valid_id(k->id, false)) {
        ob_diag_error(l->d, &id->pos,
                      "KPI id '%s' may hold only a-z, 0-9 and '_'", k->id);
        return false;
    }
    if (!id_fits(l, id, "KPI id", k->id))
        return false;
    k->title = k->id;
    load_kpi_fields(l, k, n);
    check_kpi(l, k, n);
    return true;
}

static void add_kpis_from_list(struct loader *l,
                               const struct ob_yaml_node *list,
                               bool allow_globs, size_t *cap);

void
cfg_each_file(struct loader *l, const struct ob_name *pattern, const char *what,
              void (*each)(struct loader *l, const struct ob_yaml_node *root,
                           void *ctx),
              void *ctx)
{
    struct ob_buf text = OB_BUF_INIT;
    const char *outer_text = l->text;
    size_t outer_len = l->text_len;
    const char **paths;
    size_t n, i;
    enum ob_err err;

    err = ob_fs_glob(l->root, l->d, &pattern->pos, pattern->name, l->a, &paths,
                     &n);
    if (err == OB_ERR_ENV)
        l->env_err = err;
    if (err == OB_OK && n == 0)
        ob_diag_error(l->d, &pattern->pos, "no %s matches '%s'", what,
                      pattern->name);
    for (i = 0; i < n; i++) {
        struct ob_yaml_node *root;

        err = ob_fs_read_file(l->d, NULL, paths[i], OB_FS_MAX_FILE, &text);
        if (err == OB_ERR_ENV)
            l->env_err = err;
        if (err)
            continue;
        ob_hasher_add_str(&l->inputs, paths[i]);
        ob_hasher_add(&l->inputs, text.ptr, text.len);
        root = ob_yaml_parse(l->a, l->d, paths[i], text.ptr, text.len, 1,
                             &ob_yaml_default_limits);
        if (!root || ob_yaml_is_null(root))
            continue;
        l->text = text.ptr;
        l->text_len = text.len;
        each(l, root, ctx);
    }
    l->text = outer_text;
    l->text_len = outer_len;
    ob_buf_release(&text);
}

/* A KPI file: a list of KPI mappings. */
static void
add_kpi_file(struct loader *l, const struct ob_yaml_node *root, void *cap)
{
    if (ob_yaml_expect_seq(l->d, root))
        add_kpis_from_list(l, root, false, cap);
}

/* A list of KPI mappings; in opsbook.yaml, strings in it are globs of
 * further KPI files. */
static void
add_kpis_from_list(struct loader *l, const struct ob_yaml_node *list,
                   bool allow_globs, size_t *cap)
{
    struct ob_config *cfg = l->cfg;
    size_t i;

    for (i = 0; i < list->n; i++) {
        const struct ob_yaml_node *item = list->items[i];

        if (allow_globs && item->kind == OB_YAML_SCALAR &&
            !ob_yaml_is_null(item)) {
            struct ob_name pattern = {item->str, item->pos};

            cfg_each_file(l, &pattern, "KPI file", add_kpi_file, cap);
            continue;
        }
        if (cfg->n_kpis == *cap) {
            size_t ncap = *cap ? *cap * 2 : 16;
            struct ob_kpi_def *grown =
                ob_arena_calloc(l->a, ncap, sizeof(*grown));
            if (cfg->n_kpis)
                memcpy(grown, cfg->kpis, cfg->n_kpis * sizeof(*grown));
            cfg->kpis = grown;
            *cap = ncap;
        }
        if (load_kpi(l, &cfg->kpis[cfg->n_kpis], item))
            cfg->n_kpis++;
    }
}

static void
load_kpis(struct loader *l, const struct ob_yaml_node *n)
{
    size_t cap = 0;

    if (!n || ob_yaml_is_null(n))
        return;
    if (n->kind == OB_YAML_SCALAR) {
        const char *s;
        if (ob_yaml_str(l->d, n, &s))
            cfg_each_file(l, &(struct ob_name){s, n->pos}, "KPI file",
                          add_kpi_file, &cap);
        return;
    }
    if (!ob_yaml_expect_seq(l->d, n))
        return;
    add_kpis_from_list(l, n, true, &cap);
}

/* Reports ids used twice, naming both positions. */
static void
check_unique_kpis(struct loader *l)
{
    const struct ob_config *cfg = l->cfg;
    size_t i, j;

    for (i = 1; i < cfg->n_kpis; i++) {
        for (j = 0; j < i; j++) {
            const struct ob_pos *first = &cfg->kpis[j].pos;

            if (strcmp(cfg->kpis[i].id, cfg->kpis[j].id))
                continue;
            ob_diag_error(l->d, &cfg->kpis[i].pos,
                          "duplicate KPI id '%s' (first defined at %s:%u:%u)",
                          cfg->kpis[i].id, first->path, (unsigned)first->line,
                          (unsigned)first->col);
            break;
        }
    }
}

static const char **
source_names(struct loader *l)
{
    const char **names =
        ob_arena_calloc(l->a, l->cfg->n_sources + 1, sizeof(*names));
    size_t i;

    for (i = 0; i < l->cfg->n_sources; i++)
        names[i] = l->cfg->sources[i].name;
    return names;
}

static const char **
kpi_names(struct loader *l)
{
    const char **names =
        ob_arena_calloc(l->a, l->cfg->n_kpis + 1, sizeof(*names));
    size_t i;

    for (i = 0; i < l->cfg->n_kpis; i++)
        names[i] = l->cfg->kpis[i].id;
    return names;
}

void
cfg_unknown_name(struct loader *l, const struct ob_name *ref, const char *what,
                 const char **names)
{
    const char *hint = ob_suggest(ref->name, names);

    if (hint)
        ob_diag_error(l->d, &ref->pos, "unknown %s '%s' (did you mean '%s'?)",
                      what, ref->name, hint);
    else
        ob_diag_error(l->d, &ref->pos, "unknown %s '%s'", what, ref->name);
}

static void
check_kpi_sources(struct loader *l)
{
    const char **names = source_names(l);
    size_t i;

    for (i = 0; i < l->cfg->n_kpis; i++) {
        const struct ob_name *src = &l->cfg->kpis[i].source;

        if (src->name && !ob_config_source(l->cfg, src->name))
            cfg_unknown_name(l, src, "source", names);
    }
}

/* ---- OKRs, annotations, reports -------------------------------------- */

static void
load_okr_globs(struct loader *l, const struct ob_yaml_node *n)
{
    struct ob_config *cfg = l->cfg;
    size_t i;

    if (!n || ob_yaml_is_null(n))
        return;
    cfg->okr_globs = cfg_name_list(l, n, &cfg->n_okr_globs);
    for (i = 0; i < cfg->n_okr_globs; i++)
        if (!ob_fs_path_is_clean(cfg->okr_globs[i].name))
            ob_diag_error(l->d, &cfg->okr_globs[i].pos,
                          "'%s' must be a path inside the site (relative, "
                          "without '.' or '..')",
                          cfg->okr_globs[i].name);
}

static void
load_annotations(struct loader *l, const struct ob_yaml_node *n)
{
    struct ob_name *a = &l->cfg->annotations;

    if (!n || ob_yaml_is_null(n))
        return;
    a->name = cfg_string(l, n);
    a->pos = n->pos;
    if (a->name && !ob_fs_path_is_clean(a->name)) {
        ob_diag_error(l->d, &n->pos,
                      "'%s' must be a path inside the site (relative, "
                      "without '.' or '..')",
                      a->name);
        a->name = NULL;
    }
}

/* 2026-Q4 (calendar) or FY27-Q1 (fiscal year starting another month). */
static bool
valid_quarter(const char *s)
{
    size_t n = strlen(s);

    if (n == 7 && isdigit((unsigned char)s[0]) &&
        isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]) &&
        isdigit((unsigned char)s[3]))
        return s[4] == '-' && s[5] == 'Q' && s[6] >= '1' && s[6] <= '4';
    return n == 7 && s[0] == 'F' && s[1] == 'Y' &&
           isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) &&
           s[4] == '-' && s[5] == 'Q' && s[6] >= '1' && s[6] <= '4';
}

static void
load_report_refs(struct loader *l, struct ob_report_def *r,
                 const struct ob_yaml_node *n)
{
    const struct ob_yaml_node *v;
    size_t i;

    v = ob_yaml_get(n, "kpis");
    if (v && !(v->kind == OB_YAML_SCALAR && !strcmp(v->str, "all"))) {
        r->all_kpis = false;
        r->kpis = cfg_name_list(l, v, &r->n_kpis);
    }
    v = ob_yaml_get(n, "okrs");
    if (v && !(v->kind == OB_YAML_SCALAR && !strcmp(v->str, "latest"))) {
        r->latest_okrs = false;
        r->okr_quarters = cfg_name_list(l, v, &r->n_okr_quarters);
        for (i = 0; i < r->n_okr_quarters; i++)
            if (!valid_quarter(r->okr_quarters[i].name))
                ob_diag_error(l->d, &r->okr_quarters[i].pos,
                              "expected 'latest' or a quarter such as "
                              "2026-Q4 or FY27-Q1, got '%s'",
                              r->okr_quarters[i].name);
    }
    v = ob_yaml_get(n, "tables");
    if (v)
        r->tables = cfg_name_list(l, v, &r->n_tables);
}

static void
load_report(struct loader *l, struct ob_report_def *r,
            const struct ob_yaml_node *n)
{
    const struct ob_yaml_node *id;

    r->all_kpis = true;
    r->latest_okrs = true;
    if (!ob_yaml_expect_map(l->d, n))
        return;
    cfg_check_keys(l, n, report_keys, "a report");
    id = ob_yaml_get(n, "id");
    if (!id) {
        ob_diag_error(l->d, &n->pos, "a report needs an 'id'");
        return;
    }
    if (!ob_yaml_str(l->d, id, &r->id))
        return;
    r->pos = id->pos;
    if (!valid_id(r->id, true)) {
        ob_diag_error(l->d, &id->pos,
                      "report id '%s' may hold only a-z, 0-9, '_' and '-'",
                      r->id);
        r->id = NULL;
        return;
    }
    if (!id_fits(l, id, "report id", r->id)) {
        r->id = NULL;
        return;
    }
    r->title = r->id;
    cfg_opt_string(l, n, "title", &r->title);
    load_report_refs(l, r, n);
}

static void
check_report(struct loader *l, const struct ob_report_def *r, const char **kpis,
             const char **sources)
{
    size_t i;

    for (i = 0; i < r->n_kpis; i++)
        if (!ob_config_kpi(l->cfg, r->kpis[i].name))
            cfg_unknown_name(l, &r->kpis[i], "KPI", kpis);
    for (i = 0; i < r->n_tables; i++) {
        const struct ob_source *src =
            ob_config_source(l->cfg, r->tables[i].name);
        if (!src)
            cfg_unknown_name(l, &r->tables[i], "source", sources);
        else if (src->type == OB_SOURCE_POSTGRES)
            /* only aggregates leave the warehouse; its rows stay there */
            ob_diag_error(l->d, &r->tables[i].pos,
                          "source '%s' is a postgres source: a report's "
                          "tables are raw sheets of file sources (a query "
                          "that aggregates belongs in a KPI)",
                          src->name);
    }
}

static void
load_reports(struct loader *l, const struct ob_yaml_node *n)
{
    struct ob_config *cfg = l->cfg;
    const char **kpis, **sources;
    size_t i, j;

    if (!n || ob_yaml_is_null(n) || !ob_yaml_expect_seq(l->d, n))
        return;
    cfg->reports =
        ob_arena_calloc(l->a, n->n ? n->n : 1, sizeof(*cfg->reports));
    kpis = kpi_names(l);
    sources = source_names(l);
    for (i = 0; i < n->n; i++) {
        struct ob_report_def *r = &cfg->reports[cfg->n_reports];

        load_report(l, r, n->items[i]);
        if (!r->id)
            continue;
        for (j = 0; j < cfg->n_reports; j++)
            if (!strcmp(cfg->reports[j].id, r->id))
                ob_diag_error(l->d, &r->pos,
                              "duplicate report id '%s' (first defined at "
                              "line %u)",
                              r->id, (unsigned)cfg->reports[j].pos.line);
        check_report(l, r, kpis, sources);
        cfg->n_reports++;
    }
}

/* ---- the whole file -------------------------------------------------- */

static void
set_defaults(struct ob_config *cfg, const char *path)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->path = path;
    cfg->site.title = "";
    cfg->site.description = "";
    cfg->site.company = "";
    cfg->site.base_url = "";
    cfg->site.timezone = "UTC";
    cfg->site.fiscal_year_start = 1;
    cfg->build.output = "public";
    cfg->build.keep_reports = 12;
    cfg->build.page_timeout = 10;
    cfg->okr_rules.on_track = 0.10;
    cfg->okr_rules.at_risk = 0.25;
    cfg->okr_rules.checkin_stale = 14 * 86400;
}

static void
load_sections(struct loader *l, const struct ob_yaml_node *root)
{
    struct ob_pos top = {l->cfg->path, 1, 1};

    cfg_check_keys(l, root, top_keys, "opsbook.yaml");
    load_site(l, ob_yaml_get(root, "site"), &top);
    load_build(l, ob_yaml_get(root, "build"));
    load_sources(l, ob_yaml_get(root, "sources"));
    load_kpis(l, ob_yaml_get(root, "kpis"));
    check_unique_kpis(l);
    check_kpi_sources(l);
    load_okr_globs(l, ob_yaml_get(root, "okrs"));
    load_okr_rules(l, ob_yaml_get(root, "okr_rules"));
    cfg_load_okrs(l);
    load_annotations(l, ob_yaml_get(root, "annotations"));
    if (l->cfg->annotations.name)
        cfg_load_annotations(l);
    load_reports(l, ob_yaml_get(root, "reports"));
    load_mail(l, ob_yaml_get(root, "mail"));
}

enum ob_err
ob_config_load(struct ob_config *cfg, struct ob_arena *a, struct ob_diag *d,
               const struct ob_env *env, const struct ob_fs_root *root,
               const char *path)
{
    struct loader l = {cfg, a, d, env, root, OB_OK, NULL, 0, {0}, {0}};
    struct ob_buf text = OB_BUF_INIT;
    const struct ob_yaml_node *doc;
    size_t errors = d->errors;
    enum ob_err err;

    set_defaults(cfg, path);
    ob_hasher_init(&l.inputs);
    ob_hasher_init(&l.vars);
    err = ob_fs_read_file(d, NULL, path, OB_FS_MAX_FILE, &text);
    if (err)
        goto done;
    ob_hasher_add_str(&l.inputs, path);
    ob_hasher_add(&l.inputs, text.ptr, text.len);
    doc = ob_yaml_parse(a, d, path, text.ptr, text.len, 1,
                        &ob_yaml_default_limits);
    if (!doc) {
        err = OB_ERR_INPUT;
        goto done;
    }
    if (!ob_yaml_expect_map(d, doc)) {
        err = OB_ERR_INPUT;
        goto done;
    }
    l.text = text.ptr;
    l.text_len = text.len;
    load_sections(&l, doc);
    if (l.env_err)
        err = l.env_err;
    else if (d->errors > errors)
        err = OB_ERR_INPUT;
done:
    cfg->env_key = ob_hasher_finish(&l.vars);
    ob_hasher_add_u64(&l.inputs, cfg->env_key);
    cfg->inputs_key = ob_hasher_finish(&l.inputs);
    ob_buf_release(&text);
    return err;
}

const struct ob_kpi_def *
ob_config_kpi(const struct ob_config *cfg, const char *id)
{
    size_t i;

    for (i = 0; i < cfg->n_kpis; i++)
        if (!strcmp(cfg->kpis[i].id, id))
            return &cfg->kpis[i];
    return NULL;
}

const struct ob_source *
ob_config_source(const struct ob_config *cfg, const char *name)
{
    size_t i;

    for (i = 0; i < cfg->n_sources; i++)
        if (!strcmp(cfg->sources[i].name, name))
            return &cfg->sources[i];
    return NULL;
}
