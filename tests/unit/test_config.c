/* test_config.c: opsbook.yaml validation, defaults, ${NAME}, KPI files. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opsbook/fs.h"
#include "runner.h"

/* A loaded config in a fresh temporary site folder. */
struct fixture {
    char dir[64];
    char cwd[4096];
    struct ob_arena arena;
    struct ob_diag diag;
    struct ob_fs_root root;
    struct ob_config cfg;
    enum ob_err err;
};

static void
write_file(const char *path, const char *text)
{
    char *copy = strdup(path);
    FILE *f;

    ob_fs_make_parents(copy);
    free(copy);
    f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static const char *const test_env[] = {"HOME=/root", "WAREHOUSE_DSN=host=db",
                                       "EMPTY=", "LATIN1=caf\xE9", NULL};

static void
load(struct fixture *f, const char *yaml)
{
    struct ob_env env = {test_env};

    memset(f, 0, sizeof(*f));
    getcwd(f->cwd, sizeof f->cwd);
    snprintf(f->dir, sizeof f->dir, "/tmp/opsbook-config-XXXXXX");
    mkdtemp(f->dir);
    chdir(f->dir);
    if (yaml)
        write_file("opsbook.yaml", yaml);
    ob_arena_init(&f->arena);
    ob_diag_init(&f->diag, 100);
    ob_fs_root_init(&f->root);
    f->err = ob_config_load(&f->cfg, &f->arena, &f->diag, &env, &f->root,
                            "opsbook.yaml");
}

/* The n-th diagnostic as "line:col: message". */
static const char *
diag_at(struct fixture *f, size_t n)
{
    static char line[512];

    ob_diag_sort(&f->diag);
    if (n >= f->diag.len)
        return "(none)";
    snprintf(line, sizeof line, "%u:%u: %s",
             (unsigned)f->diag.entries[n].pos.line,
             (unsigned)f->diag.entries[n].pos.col, f->diag.entries[n].message);
    return line;
}

static void
release(struct fixture *f)
{
    chdir(f->cwd);
    ob_fs_remove_tree(f->dir);
    ob_fs_root_release(&f->root);
    ob_diag_release(&f->diag);
    ob_arena_release(&f->arena);
}

static void
test_defaults(void)
{
    struct fixture f;

    load(&f, "site:\n  title: Handbook\n");
    OB_CHECK_INT(f.err, OB_OK);
    OB_CHECK_INT(f.diag.len, 0);
    OB_CHECK_STR(f.cfg.site.title, "Handbook");
    OB_CHECK_STR(f.cfg.site.timezone, "UTC");
    OB_CHECK_STR(f.cfg.site.base_url, "");
    OB_CHECK_INT(f.cfg.site.language, OB_LANG_EN);
    OB_CHECK_INT(f.cfg.site.fiscal_year_start, 1);
    OB_CHECK(!f.cfg.site.unsafe_html);
    OB_CHECK_STR(f.cfg.build.output, "public");
    OB_CHECK_INT(f.cfg.build.keep_reports, 12);
    OB_CHECK_INT(f.cfg.build.page_timeout, 10);
    OB_CHECK_NUM(f.cfg.okr_rules.on_track, 0.10);
    OB_CHECK_NUM(f.cfg.okr_rules.at_risk, 0.25);
    OB_CHECK_INT(f.cfg.okr_rules.checkin_stale, 14 * 86400);
    release(&f);
}

static void
test_unknown_keys_suggest(void)
{
    struct fixture f;

    load(&f, "site:\n  titel: X\nbuidl: {}\nzzz: 1\n");
    OB_CHECK_INT(f.err, OB_ERR_INPUT);
    OB_CHECK_STR(diag_at(&f, 0), "2:3: missing required key 'title' in 'site'");
    OB_CHECK_STR(diag_at(&f, 1),
                 "2:3: unknown key 'titel' in 'site' (did you mean 'title'?)");
    OB_CHECK_STR(diag_at(&f, 2), "3:1: unknown key 'buidl' in opsbook.yaml "
                                 "(did you mean 'build'?)");
    OB_CHECK_STR(diag_at(&f, 3), "4:1: unknown key 'zzz' in opsbook.yaml");
    release(&f);
}

static void
test_wrong_types(void)
{
    struct fixture f;

    load(&f, "site:\n"
             "  title: [a, b]\n"
             "  fiscal_year_start: 13\n"
             "  unsafe_html: yes\n"
             "  language: de\n"
             "build:\n"
             "  page_timeout: soon\n"
             "  keep_reports: \"12\"\n");
    OB_CHECK_INT(f.err, OB_ERR_INPUT);
    OB_CHECK_STR(diag_at(&f, 0), "2:10: expected a string, got a list");
    OB_CHECK_STR(diag_at(&f, 1),
                 "3:22: expected an integer from 1 to 12, got '13'");
    OB_CHECK_STR(diag_at(&f, 2), "4:16: expected true or false, got 'yes'");
    OB_CHECK_STR(diag_at(&f, 3),
                 "5:13: unknown language 'de' (expected one of: en, fr)");
    OB_CHECK_STR(diag_at(&f, 4),
                 "7:17: expected a duration such as 14d or 10s, got 'soon'");
    OB_CHECK_STR(diag_at(&f, 5),
                 "8:17: expected an integer, got a quoted string '12'");
    OB_CHECK_INT(f.diag.len, 6);
    release(&f);
}

static void
test_env_expansion(void)
{
    struct fixture f;

    load(&f, "site:\n  title: \"At ${HOME} $${HOME} ${EMPTY}$\"\n"
             "  company: ${NOPE_NOT_SET}\n");
    OB_CHECK_INT(f.err, OB_ERR_INPUT);
    OB_CHECK_STR(f.cfg.site.title, "At /root ${HOME} $");
    OB_CHECK_STR(diag_at(&f, 0),
                 "3:12: environment variable 'NOPE_NOT_SET' is not set");
    release(&f);
    /* A value that is not UTF-8 is refused as bad text in the file is. */
    load(&f, "site: {title: \"At ${LATIN1}\"}\n");
    OB_CHECK_INT(f.err, OB_ERR_INPUT);
    OB_CHECK_STR(diag_at(&f, 0), "1:15: environment variable 'LATIN1' holds "
                                 "invalid UTF-8 text");
    OB_CHECK_INT(f.diag.len, 1);
    release(&f);
}

static const char sources_yaml[] =
    "site: {title: T}\n"
    "sources:\n"
    "  events:\n"
    "    path: data/events-*.csv\n"
    "    time: ts\n"
    "    delimiter: \";\"\n"
    "    decimal: \",\"\n"
    "    encoding: Windows-1252\n"
    "    date_format: \"%d/%m/%Y\"\n"
    "    on_error: skip\n"
    "    stale_after: 2d\n"
    "    checks: {min_rows: 1000, unique: [event_id], not_empty: user_id}\n"
    "    columns: {user_id: string, duration_s: number}\n"
    "  wh:\n"
    "    type: postgres\n"
    "    dsn: ${WAREHOUSE_DSN}\n"
    "    table: events\n"
    "    statement_timeout: 60s\n";

static void
test_sources(void)
{
    struct fixture f;
    const struct ob_source *s;

    load(&f, sources_yaml);
    OB_CHECK_INT(f.err, OB_OK);
    OB_CHECK_STR(diag_at(&f, 0), "(none)");
    OB_CHECK_INT(f.cfg.n_sources, 2);
    s = ob_config_source(&f.cfg, "events");
    OB_CHECK(s != NULL);
    if (!s)
        goto done;
    OB_CHECK_STR(s->path, "data/events-*.csv");
    OB_CHECK_STR(s->time.name, "ts");
    OB_CHECK_INT(s->delimiter, ';');
    OB_CHECK_INT(s->decimal, ',');
    OB_CHECK_INT(s->encoding, OB_ENC_WINDOWS_1252);
    OB_CHECK_STR(s->date_format, "%d/%m/%Y");
    OB_CHECK_INT(s->on_error, OB_ON_ERROR_SKIP);
    OB_CHECK_INT(s->stale_after, 2 * 86400);
    OB_CHECK_INT(s->checks.min_rows, 1000);
    OB_CHECK_INT(s->checks.n_unique, 1);
    OB_CHECK_STR(s->checks.not_empty[0].name, "user_id");
    OB_CHECK_INT(s->n_columns, 2);
    OB_CHECK_INT(s->columns[1].type, OB_COL_NUMBER);
    s = ob_config_source(&f.cfg, "wh");
    OB_CHECK(s && s->type == OB_SOURCE_POSTGRES);
    OB_CHECK(s && !strcmp(s->dsn, "host=db"));
    OB_CHECK(s && s->statement_timeout == 60);
done:
    release(&f);
}

static void
test_source_errors(void)
{
    struct fixture f;

    load(&f, "site: {title: T}\n"
             "sources:\n"
             "  a:\n"
             "    path: ../secrets.csv\n"
             "    dsn: x\n"
             "    delimiter: ':'\n"
             "  b: {type: postgres, dsn: x, path: p.csv}\n"
             "  C: {type: sqlite}\n");
    OB_CHECK_INT(f.err, OB_ERR_INPUT);
    OB_CHECK_STR(diag_at(&f, 0), "4:11: '../secrets.csv' must be a path "
                                 "inside the site (relative, without '.' "
                                 "or '..')");
    OB_CHECK_STR(diag_at(&f, 1), "5:10: 'dsn' does not apply to a csv source");
    OB_CHECK_STR(diag_at(&f, 2),
                 "6:16: unknown delimiter ':' (expected auto, \",\", \";\", "
                 "\"\\t\" or \"|\")");
    OB_CHECK_STR(diag_at(&f, 3),
                 "7:6: source 'b' needs either 'table' or 'query'");
    /* a DSN written in the file, not taken from the environment */
    OB_CHECK_STR(diag_at(&f, 4),
                 "7:28: source 'b': the DSN is written in opsbook.yaml; take "
                 "it from the environment (dsn: ${WAREHOUSE_DSN}) so no "
                 "password is committed");
    OB_CHECK_STR(diag_at(&f, 5),
                 "7:37: 'path' does not apply to a postgres source");
    OB_CHECK_STR(diag_at(&f, 6), "8:3: source name 'C' may hold only a-z, "
                                 "0-9, '_' and '-'");
    OB_CHECK_STR(diag_at(&f, 7), "8:13: unknown source type 'sqlite' "
                                 "(expected one of: csv, yaml, postgres)");
    release(&f);
}

static void
test_kpis_inline(void)
{
    struct fixture f;
    const struct ob_kpi_def *k;

    load(&f, "site: {title: T}\n"
             "sources: {events: {path: e.csv, time: ts}}\n"
             "kpis:\n"
             "  - id: wau\n"
             "    title: Weekly active users\n"
             "    tags: [north-star, engagement]\n"
             "    source: events\n"
             "    measure: count_distinct(user_id)\n"
             "    where: plan != \"internal\"\n"
             "    grain: week\n"
             "    by: plan\n"
             "    target: {free: 100, pro: 50}\n"
             "    direction: up\n"
             "    thresholds: {green: 12000, amber: 10000}\n"
             "    format: currency:EUR\n"
             "    decimals: 0\n"
             "  - id: growth\n"
             "    formula: wau / prev(wau) - 1\n"
             "    grain: week\n"
             "    target: [{from: 2026-07-01, value: 2}, "
             "{from: 2026-01-01, value: 1}]\n"
             "    format: percent\n");
    OB_CHECK_INT(f.err, OB_OK);
    OB_CHECK_STR(diag_at(&f, 0), "(none)");
    OB_CHECK_INT(f.cfg.n_kpis, 2);
    k = ob_config_kpi(&f.cfg, "wau");
    OB_CHECK(k != NULL);
    if (!k)
        goto done;
    OB_CHECK_STR(k->title, "Weekly active users");
    OB_CHECK_INT(k->n_tags, 2);
    OB_CHECK_STR(k->measure.text, "count_distinct(user_id)");
    OB_CHECK_INT(k->measure.node->pos.line, 8);
    OB_CHECK_INT(k->measure.node->pos.col, 14);
    OB_CHECK_STR(k->where.text, "plan != \"internal\"");
    OB_CHECK_INT(k->grain, OB_GRAIN_WEEK);
    OB_CHECK_STR(k->by.name, "plan");
    OB_CHECK_INT(k->target.kind, OB_TARGET_BY_GROUP);
    OB_CHECK_INT(k->target.n_groups, 2);
    OB_CHECK_STR(k->target.groups[1].group, "pro");
    OB_CHECK_NUM(k->target.groups[1].value, 50);
    OB_CHECK(k->has_thresholds);
    OB_CHECK_INT(k->fmt.format, OB_FMT_CURRENCY);
    OB_CHECK_STR(k->fmt.currency, "EUR");
    OB_CHECK_INT(k->fmt.decimals, 0);
    k = ob_config_kpi(&f.cfg, "growth");
    OB_CHECK(k && k->target.kind == OB_TARGET_STEPS);
    OB_CHECK(k && k->target.n_steps == 2 && k->target.steps[0].value == 1);
    OB_CHECK(k && k->title == k->id && k->fmt.decimals == -1);
done:
    release(&f);
}

static void
test_kpi_errors(void)
{
    struct fixture f;

    load(&f, "site: {title: T}\n"
             "sources: {events: {path: e.csv}}\n"
             "kpis:\n"
             "  - id: Bad-Id\n"
             "  - id: a\n"
             "    source: evnts\n"
             "    measure: count()\n"
             "  - id: b\n"
             "    formula: a * 2\n"
             "  - id: c\n"
             "    source: events\n"
             "    measure: nps(score)\n"
             "    format: percent\n"
             "  - id: d\n"
             "    source: events\n"
             "    measure: count()\n"
             "    direction: down\n"
             "    thresholds: {green: 10, amber: 5}\n"
             "    grain: fortnight\n");
    OB_CHECK_INT(f.err, OB_ERR_INPUT);
    OB_CHECK_STR(diag_at(&f, 0),
                 "4:9: KPI id 'Bad-Id' may hold only a-z, 0-9 and '_'");
    OB_CHECK_STR(diag_at(&f, 1),
                 "6:13: unknown source 'evnts' (did you mean 'events'?)");
    OB_CHECK_STR(diag_at(&f, 2),
                 "9:14: formula KPI 'b' must declare its 'grain'");
    /* 'format: percent' on nps is the KPI engine's to report, once the
     * measure is parsed (tests/errors/kpi-nps-percent*) */
    OB_CHECK_STR(diag_at(&f, 3),
                 "18:17: for direction 'down' the green threshold must be at "
                 "or below the amber one");
    OB_CHECK_STR(diag_at(&f, 4), "19:12: unknown grain 'fortnight' (expected "
                                 "one of: day, week, month, quarter, year)");
    release(&f);
}

static void
test_kpi_files_and_duplicates(void)
{
    struct fixture f;
    const char *yaml = "site: {title: T}\n"
                       "sources: {events: {path: e.csv}}\n"
                       "kpis:\n"
                       "  - data/kpis/*.yaml\n"
                       "  - id: first\n"
                       "    source: events\n"
                       "    measure: count()\n";

    memset(&f, 0, sizeof(f));
    /* The KPI files must exist before the load: write them in a first pass
     * through a fixture whose load is thrown away. */
    load(&f, NULL);
    write_file("data/kpis/b.yaml", "- {id: second, source: events, "
                                   "measure: count()}\n"
                                   "- {id: first, source: events, "
                                   "measure: count()}\n");
    write_file("data/kpis/a.yaml", "- id: zeroth\n  source: events\n"
                                   "  measure: count()\n");
    write_file("opsbook.yaml", yaml);
    ob_diag_release(&f.diag);
    ob_diag_init(&f.diag, 100);
    f.err = ob_config_load(&f.cfg, &f.arena, &f.diag,
                           &(struct ob_env){test_env}, &f.root, "opsbook.yaml");
    OB_CHECK_INT(f.err, OB_ERR_INPUT);
    /* Globs expand in byte order: a.yaml, then b.yaml, then the list. */
    OB_CHECK_INT(f.cfg.n_kpis, 4);
    OB_CHECK_STR(f.cfg.kpis[0].id, "zeroth");
    OB_CHECK_STR(f.cfg.kpis[1].id, "second");
    OB_CHECK_STR(f.cfg.kpis[3].id, "first");
    OB_CHECK_INT(f.diag.len, 1);
    OB_CHECK_STR(f.diag.entries[0].pos.path, "opsbook.yaml");
    OB_CHECK_STR(diag_at(&f, 0), "5:9: duplicate KPI id 'first' (first "
                                 "defined at data/kpis/b.yaml:2:8)");
    release(&f);
}

static void
test_reports_and_mail(void)
{
    struct fixture f;

    load(&f, "site: {title: T}\n"
             "sources: {feedback: {path: f.csv}}\n"
             "kpis: [{id: nps, source: feedback, measure: nps(score)}]\n"
             "reports:\n"
             "  - id: leadership\n"
             "    kpis: [nps, npx]\n"
             "    okrs: [2026-Q4, FY27-Q1, next]\n"
             "    tables: [feedback, feedbak]\n"
             "  - {id: weekly}\n"
             "  - {id: weekly}\n"
             "mail:\n"
             "  from: \"Ops <ops@example.com>\"\n"
             "  to: lead@example.com\n");
    OB_CHECK_INT(f.err, OB_ERR_INPUT);
    OB_CHECK_STR(diag_at(&f, 0),
                 "6:17: unknown KPI 'npx' (did you mean 'nps'?)");
    OB_CHECK_STR(diag_at(&f, 1), "7:30: expected 'latest' or a quarter such "
                                 "as 2026-Q4 or FY27-Q1, got 'next'");
    OB_CHECK_STR(diag_at(&f, 2),
                 "8:24: unknown source 'feedbak' (did you mean 'feedback'?)");
    OB_CHECK_STR(diag_at(&f, 3),
                 "10:10: duplicate report id 'weekly' (first defined at line "
                 "9)");
    OB_CHECK_INT(f.cfg.n_reports, 3);
    OB_CHECK(!f.cfg.reports[0].all_kpis && f.cfg.reports[1].all_kpis);
    OB_CHECK(f.cfg.reports[1].latest_okrs);
    OB_CHECK_STR(f.cfg.reports[1].title, "weekly");
    OB_CHECK_INT(f.cfg.mail.n_to, 1);
    OB_CHECK_STR(f.cfg.mail.to[0], "lead@example.com");
    release(&f);
}

static void
test_not_a_mapping(void)
{
    struct fixture f;

    load(&f, "- just\n- a list\n");
    OB_CHECK_INT(f.err, OB_ERR_INPUT);
    OB_CHECK_STR(diag_at(&f, 0), "1:1: expected a mapping, got a list");
    release(&f);
    load(&f, "");
    OB_CHECK_INT(f.err, OB_ERR_INPUT);
    OB_CHECK_STR(diag_at(&f, 0), "1:1: expected a mapping, got nothing");
    release(&f);
}

int
main(void)
{
    OB_RUN(test_defaults);
    OB_RUN(test_unknown_keys_suggest);
    OB_RUN(test_wrong_types);
    OB_RUN(test_env_expansion);
    OB_RUN(test_sources);
    OB_RUN(test_source_errors);
    OB_RUN(test_kpis_inline);
    OB_RUN(test_kpi_errors);
    OB_RUN(test_kpi_files_and_duplicates);
    OB_RUN(test_reports_and_mail);
    OB_RUN(test_not_a_mapping);
    return OB_TEST_DONE();
}
