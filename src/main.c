/* main.c: the command line: options, commands and exit codes. */
/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "opsbook/build.h"
#include "opsbook/date.h"
#include "opsbook/inspect.h"
#include "opsbook/kpiout.h"
#include "opsbook/mail.h"
#include "opsbook/okrout.h"
#include "opsbook/markdown.h"
#include "opsbook/mem.h"
#include "opsbook/scaffold.h"
#include "opsbook/serve.h"
#include "opsbook/text.h"

extern char **environ;

enum command {
    CMD_NONE,
    CMD_BUILD,
    CMD_CHECK,
    CMD_NEW,
    CMD_DATA,
    CMD_KPI,
    CMD_OKRS,
    CMD_MAIL,
    CMD_SERVE
};

/* Options that take a value, and which commands accept each option. */
enum opt_scope {
    SCOPE_SITE = 1 << 0,  /* every command that reads a site */
    SCOPE_BUILD = 1 << 1, /* build only */
    SCOPE_ALL = 1 << 2,   /* every command */
    SCOPE_DATA = 1 << 3,  /* data only */
    SCOPE_KPI = 1 << 4,   /* kpi only */
    SCOPE_OKRS = 1 << 5,  /* okrs only */
    SCOPE_MAIL = 1 << 6,  /* mail only */
    SCOPE_SERVE = 1 << 7  /* serve only */
};

enum kpi_output { KPI_TABLE, KPI_CSV, KPI_JSON };

struct cli {
    enum command cmd;
    const char *cmd_name;
    struct ob_options opt;
    const char *dir;       /* -C */
    const char *new_dir;   /* new DIR */
    const char *data_what; /* data SOURCE|FILE */
    struct ob_inspect_options inspect;
    /* kpi ID... or okrs QUARTER...: borrowed from argv */
    const char **kpi_ids;
    size_t n_kpi_ids, cap_kpi_ids;
    enum kpi_output kpi_output;
    struct ob_mail_options mail;
    const char **mail_to; /* --to, borrowed from argv */
    size_t n_mail_to, cap_mail_to;
    char *cacert; /* the CA file made absolute before -C: heap */
    enum ob_diag_format diag_format;
    struct ob_serve_options serve;
    bool help, version;
};

static const char *const command_names[] = {"build", "check", "new",  "data",
                                            "kpi",   "okrs",  "mail", "serve",
                                            "help",  NULL};

static const char usage_main[] =
    "usage: opsbook [-C DIR] COMMAND [OPTIONS]\n"
    "\n"
    "Turns a product-operations repository (Markdown process docs, YAML and\n"
    "CSV data) into a static handbook site with KPI and OKR dashboards.\n"
    "\n"
    "commands:\n"
    "  build     build the site into OUT (default: build.output, 'public')\n"
    "  check     load and validate the site; write nothing\n"
    "  new DIR   scaffold a working example site in DIR\n"
    "  data SOURCE|FILE  show how a source or CSV file parses\n"
    "  kpi [ID...]       print KPI results (--csv, --json)\n"
    "  okrs [QUARTER...] print OKR progress (--json)\n"
    "  mail --report ID  email a report (OUT/reports/ID.eml; --send)\n"
    "  serve     preview on 127.0.0.1, rebuild and reload on change\n"
    "\n"
    "options for commands that read a site:\n"
    "  -C DIR                  run in DIR, the site root (default: .)\n"
    "  --as-of YYYY-MM-DD      read data up to the end of this day\n"
    "                          (default: yesterday in site.timezone)\n"
    "  --strict                treat warnings as errors\n"
    "  -q, --quiet             print errors only\n"
    "  -v, --verbose           print the time of each phase\n"
    "  -j, --jobs N            threads (default: one per CPU); the output\n"
    "                          is the same whatever N is\n"
    "  --diagnostics text|json print problems as text or JSON lines\n"
    "\n"
    "  -h, --help              show help (also: opsbook COMMAND --help)\n"
    "  --version               show the version\n"
    "\n"
    "exit status: 0 success, 1 a problem in the inputs, 2 usage,\n"
    "3 the environment failed (I/O, network, out of memory).\n";

static const char usage_build[] =
    "usage: opsbook build [--out DIR] [SITE OPTIONS]\n"
    "\n"
    "Builds the site and writes it to OUT atomically: OUT is replaced only\n"
    "when everything succeeded, and left untouched otherwise.\n"
    "\n"
    "  --out DIR   write here instead of build.output\n"
    "\n"
    "See 'opsbook --help' for the site options (-C, --as-of, --strict, ...).\n";

static const char usage_check[] =
    "usage: opsbook check [SITE OPTIONS]\n"
    "\n"
    "Loads and validates opsbook.yaml, the data and every page, and reports\n"
    "every problem as path:line:col. Writes nothing.\n"
    "\n"
    "See 'opsbook --help' for the site options (-C, --as-of, --strict, ...).\n";

static const char usage_new[] =
    "usage: opsbook new DIR\n"
    "\n"
    "Writes a working example handbook into DIR (which must not exist or be\n"
    "empty). Build it with: opsbook -C DIR build --as-of " OB_SCAFFOLD_AS_OF
    "\n"
    "(its example data ends on that day; drop --as-of once data/ holds your\n"
    "own exports).\n";

static const char usage_data[] =
    "usage: opsbook data SOURCE|FILE [--json [--raw]] [--head N]\n"
    "\n"
    "Shows how a source of opsbook.yaml (by name) or a CSV file of the site\n"
    "parses: the files, the delimiter, each column's inferred type and the\n"
    "first rows.\n"
    "\n"
    "  --json     print a JSON array with an object per row, keyed by the\n"
    "             header, values typed (numbers, booleans, ISO dates, null)\n"
    "  --raw      with --json: every cell as the string parsed\n"
    "  --head N   only the first N rows (default 10; all with --json)\n";

static const char usage_kpi[] =
    "usage: opsbook kpi [ID...] [--json|--csv] [SITE OPTIONS]\n"
    "\n"
    "Computes the KPIs of opsbook.yaml (all of them, or the ids given) and\n"
    "prints, per KPI and group, the latest complete period's value, its\n"
    "change against the period before, the target and the status.\n"
    "\n"
    "  --csv    every series as one table: kpi,period,group,value\n"
    "  --json   everything, as a JSON array (shape in the README)\n"
    "\n"
    "See 'opsbook --help' for the site options (-C, --as-of, --strict, ...).\n";

static const char usage_okrs[] =
    "usage: opsbook okrs [QUARTER...] [--json] [SITE OPTIONS]\n"
    "\n"
    "Evaluates the OKR files of opsbook.yaml at --as-of and prints each\n"
    "quarter (all of them, or those named: 2026-Q4, FY27-Q1) as a tree:\n"
    "objectives with their aligned objectives beneath them, progress\n"
    "against the expected pace, status (graded after the end), confidence,\n"
    "and each key result from baseline through current to target.\n"
    "\n"
    "  --json   everything, as a JSON object (shape in the README)\n"
    "\n"
    "See 'opsbook --help' for the site options (-C, --as-of, --strict, ...).\n";

static const char usage_mail[] =
    "usage: opsbook mail --report ID [--to ADDR]... [--send URL] [OPTIONS]\n"
    "\n"
    "Emails a report: writes OUT/reports/ID.eml (a text and HTML summary of\n"
    "the report's KPIs and OKRs with inline charts, and the workbook\n"
    "OUT/reports/ID.xlsx that 'opsbook build' left, attached), then\n"
    "delivers it over SMTP when --send or mail.smtp names a server.\n"
    "\n"
    "  --report ID        the report of opsbook.yaml to send (required)\n"
    "  --to ADDR          a recipient instead of mail.to: repeat it, or\n"
    "                     give a comma-separated list\n"
    "  --send URL         deliver through smtp://HOST:PORT (STARTTLS) or\n"
    "                     smtps://HOST:PORT (TLS) instead of mail.smtp\n"
    "  --no-send          write the .eml only, even when mail.smtp is set\n"
    "  --insecure-smtp    allow a server that offers no TLS (the report\n"
    "                     and the login then travel unencrypted)\n"
    "  --cacert FILE      trust the certificate authorities in FILE\n"
    "                     (default: $CURL_CA_BUNDLE, $SSL_CERT_FILE, else\n"
    "                     the system's)\n"
    "  --timeout SECONDS  give up delivering after this long (default 120)\n"
    "  --out DIR          the OUT that 'opsbook build' wrote (default:\n"
    "                     build.output)\n"
    "\n"
    "The login comes from the environment: SMTP_USER and SMTP_PASSWORD.\n"
    "See 'opsbook --help' for the site options (-C, --as-of, --strict, ...).\n";

static const char usage_serve[] =
    "usage: opsbook serve [--port N] [--bind ADDR] [SITE OPTIONS]\n"
    "\n"
    "Builds the site into a private temporary folder (not OUT), serves it\n"
    "over HTTP and prints \"Serving SITE at URL\". Each change to content/,\n"
    "data/, layouts/, static/ or opsbook.yaml rebuilds what changed and\n"
    "reloads the pages open in a browser; a failed rebuild keeps the last\n"
    "good site and shows the problems here and on the page. Ctrl-C stops.\n"
    "\n"
    "  --port N      listen on port N (default 1313; 0: any free port)\n"
    "  --bind ADDR   listen on ADDR instead of 127.0.0.1 (the preview is\n"
    "                then open to whoever can reach ADDR)\n"
    "\n"
    "See 'opsbook --help' for the site options (-C, --as-of, --strict, ...).\n";

static int
usage_error(const char *fmt, const char *arg, const char *cmd)
{
    fputs("opsbook: error: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    if (cmd)
        fprintf(stderr, "run 'opsbook %s --help' for its options\n", cmd);
    else
        fputs("run 'opsbook --help' for the commands and options\n", stderr);
    return OB_ERR_USAGE;
}

static const char *
command_usage(enum command cmd)
{
    switch (cmd) {
    case CMD_BUILD:
        return usage_build;
    case CMD_CHECK:
        return usage_check;
    case CMD_NEW:
        return usage_new;
    case CMD_DATA:
        return usage_data;
    case CMD_KPI:
        return usage_kpi;
    case CMD_OKRS:
        return usage_okrs;
    case CMD_MAIL:
        return usage_mail;
    case CMD_SERVE:
        return usage_serve;
    default:
        return usage_main;
    }
}

/* The value of an option: "--opt=VALUE", "-oVALUE" or the next argument. */
static const char *
option_value(int argc, char **argv, int *i, const char *inline_value)
{
    if (inline_value)
        return inline_value;
    if (*i + 1 < argc)
        return argv[++*i];
    return NULL;
}

static int
parse_head(struct cli *c, const char *v)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < 0)
        return usage_error("--head expects a number of rows, got '%s'", v,
                           c->cmd_name);
    c->inspect.head = n;
    return OB_OK;
}

static int
parse_jobs(struct cli *c, const char *v)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < 1 || n > 1024)
        return usage_error("-j expects a number of threads from 1, got '%s'", v,
                           c->cmd_name);
    c->opt.jobs = (unsigned)n;
    return OB_OK;
}

static int
parse_as_of(struct cli *c, const char *v)
{
    if (!ob_date_parse(v, strlen(v), &c->opt.as_of))
        return usage_error("--as-of expects a date YYYY-MM-DD, got '%s'", v,
                           c->cmd_name);
    c->opt.has_as_of = true;
    return OB_OK;
}

static int
parse_diagnostics(struct cli *c, const char *v)
{
    if (!strcmp(v, "text"))
        c->diag_format = OB_DIAG_TEXT;
    else if (!strcmp(v, "json"))
        c->diag_format = OB_DIAG_JSON;
    else
        return usage_error("--diagnostics expects text or json, got '%s'", v,
                           c->cmd_name);
    return OB_OK;
}

static int
parse_timeout(struct cli *c, const char *v)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < 1 || n > 86400)
        return usage_error("--timeout expects seconds from 1 to 86400, got "
                           "'%s'",
                           v, c->cmd_name);
    c->mail.timeout = n;
    return OB_OK;
}

static int
parse_port(struct cli *c, const char *v)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < 0 || n > 65535)
        return usage_error("--port expects a port from 0 to 65535, got '%s'", v,
                           c->cmd_name);
    c->serve.port = (unsigned)n;
    return OB_OK;
}

static bool
option_allowed(const struct cli *c, unsigned scope)
{
    if (scope & SCOPE_ALL)
        return true;
    if ((scope & SCOPE_MAIL) && c->cmd == CMD_MAIL)
        return true;
    if (scope & SCOPE_SERVE)
        return c->cmd == CMD_SERVE;
    if (scope & SCOPE_BUILD)
        return c->cmd == CMD_BUILD || c->cmd == CMD_NONE;
    if ((scope & SCOPE_DATA) && c->cmd == CMD_DATA)
        return true;
    if ((scope & SCOPE_OKRS) && c->cmd == CMD_OKRS)
        return true;
    if (scope & SCOPE_KPI)
        return c->cmd == CMD_KPI;
    if (scope & (SCOPE_DATA | SCOPE_MAIL))
        return false;
    return c->cmd != CMD_NEW; /* SCOPE_SITE */
}

enum opt_id {
    OPT_HELP,
    OPT_VERSION,
    OPT_DIR,
    OPT_AS_OF,
    OPT_STRICT,
    OPT_QUIET,
    OPT_VERBOSE,
    OPT_DIAGNOSTICS,
    OPT_OUT,
    OPT_JSON,
    OPT_RAW,
    OPT_HEAD,
    OPT_CSV,
    OPT_JOBS,
    OPT_REPORT,
    OPT_TO,
    OPT_SEND,
    OPT_NO_SEND,
    OPT_INSECURE_SMTP,
    OPT_CACERT,
    OPT_TIMEOUT,
    OPT_PORT,
    OPT_BIND
};

static const struct option_def {
    enum opt_id id;
    const char *long_name;
    char short_name;
    bool takes_value;
    unsigned scope;
} options[] = {
    {OPT_HELP, "help", 'h', false, SCOPE_ALL},
    {OPT_VERSION, "version", 0, false, SCOPE_ALL},
    {OPT_DIR, "dir", 'C', true, SCOPE_SITE},
    {OPT_AS_OF, "as-of", 0, true, SCOPE_SITE},
    {OPT_STRICT, "strict", 0, false, SCOPE_SITE},
    {OPT_QUIET, "quiet", 'q', false, SCOPE_SITE},
    {OPT_VERBOSE, "verbose", 'v', false, SCOPE_SITE},
    {OPT_DIAGNOSTICS, "diagnostics", 0, true, SCOPE_SITE},
    {OPT_OUT, "out", 0, true, SCOPE_BUILD | SCOPE_MAIL},
    {OPT_JSON, "json", 0, false, SCOPE_DATA | SCOPE_KPI | SCOPE_OKRS},
    {OPT_CSV, "csv", 0, false, SCOPE_KPI},
    {OPT_JOBS, "jobs", 'j', true, SCOPE_SITE},
    {OPT_RAW, "raw", 0, false, SCOPE_DATA},
    {OPT_HEAD, "head", 0, true, SCOPE_DATA},
    {OPT_REPORT, "report", 0, true, SCOPE_MAIL},
    {OPT_TO, "to", 0, true, SCOPE_MAIL},
    {OPT_SEND, "send", 0, true, SCOPE_MAIL},
    {OPT_NO_SEND, "no-send", 0, false, SCOPE_MAIL},
    {OPT_INSECURE_SMTP, "insecure-smtp", 0, false, SCOPE_MAIL},
    {OPT_CACERT, "cacert", 0, true, SCOPE_MAIL},
    {OPT_TIMEOUT, "timeout", 0, true, SCOPE_MAIL},
    {OPT_PORT, "port", 0, true, SCOPE_SERVE},
    {OPT_BIND, "bind", 0, true, SCOPE_SERVE},
};

/* The option `arg` names ("--name", "--name=V", "-x", "-xV"), or NULL. */
static const struct option_def *
find_option(const char *arg, const char **inline_value)
{
    size_t k, n = sizeof(options) / sizeof(options[0]);

    *inline_value = NULL;
    for (k = 0; k < n; k++) {
        const struct option_def *o = &options[k];

        if (arg[1] == '-') {
            size_t len = strcspn(arg + 2, "=");
            if (strlen(o->long_name) != len ||
                strncmp(arg + 2, o->long_name, len) != 0)
                continue;
            if (arg[2 + len] == '=')
                *inline_value = arg + 3 + len;
            return o;
        }
        if (o->short_name && arg[1] == o->short_name) {
            if (arg[2])
                *inline_value = arg + 2;
            return o;
        }
    }
    return NULL;
}

static int
apply_mail_option(struct cli *c, enum opt_id id, const char *v)
{
    switch (id) {
    case OPT_REPORT:
        c->mail.report = v;
        break;
    case OPT_TO:
        OB_GROW(c->mail_to, c->n_mail_to + 1, c->cap_mail_to);
        c->mail_to[c->n_mail_to++] = v;
        break;
    case OPT_SEND:
        c->mail.send_url = v;
        break;
    case OPT_NO_SEND:
        c->mail.no_send = true;
        break;
    case OPT_INSECURE_SMTP:
        c->mail.insecure = true;
        break;
    case OPT_CACERT:
        c->mail.cacert = v;
        break;
    case OPT_TIMEOUT:
        return parse_timeout(c, v);
    default:
        break;
    }
    return OB_OK;
}

static int
apply_option(struct cli *c, enum opt_id id, const char *v)
{
    switch (id) {
    case OPT_HELP:
        c->help = true;
        break;
    case OPT_VERSION:
        c->version = true;
        break;
    case OPT_DIR:
        c->dir = v;
        break;
    case OPT_AS_OF:
        return parse_as_of(c, v);
    case OPT_STRICT:
        c->opt.strict = true;
        break;
    case OPT_QUIET:
        c->opt.quiet = true;
        break;
    case OPT_VERBOSE:
        c->opt.verbose = true;
        break;
    case OPT_DIAGNOSTICS:
        return parse_diagnostics(c, v);
    case OPT_OUT:
        c->opt.out = v;
        break;
    case OPT_JSON:
        c->inspect.json = true;
        c->kpi_output = KPI_JSON;
        break;
    case OPT_CSV:
        c->kpi_output = KPI_CSV;
        break;
    case OPT_RAW:
        c->inspect.raw = true;
        break;
    case OPT_HEAD:
        return parse_head(c, v);
    case OPT_JOBS:
        return parse_jobs(c, v);
    case OPT_PORT:
        return parse_port(c, v);
    case OPT_BIND:
        c->serve.bind = v;
        break;
    default:
        return apply_mail_option(c, id, v);
    }
    return OB_OK;
}

/* Reports an unknown option, suggesting the closest long one. */
static int
unknown_option(const struct cli *c, const char *arg)
{
    const char *names[sizeof(options) / sizeof(options[0]) + 1];
    const char *hint = NULL;
    size_t k, n = sizeof(options) / sizeof(options[0]);
    char *name;

    for (k = 0; k < n; k++)
        names[k] = options[k].long_name;
    names[n] = NULL;
    if (arg[1] == '-') {
        name = ob_xstrndup(arg + 2, strcspn(arg + 2, "="));
        hint = ob_suggest(name, names);
        free(name);
    }
    if (!hint)
        return usage_error("unknown option '%s'", arg, c->cmd_name);
    fprintf(stderr,
            "opsbook: error: unknown option '%s' (did you mean "
            "'--%s'?)\n",
            arg, hint);
    return OB_ERR_USAGE;
}

/* One option at argv[*i]; returns OB_OK or OB_ERR_USAGE (reported). */
static int
parse_option(struct cli *c, int argc, char **argv, int *i)
{
    const char *arg = argv[*i], *inline_value, *v = NULL;
    const struct option_def *o = find_option(arg, &inline_value);

    if (!o || (inline_value && !o->takes_value))
        return unknown_option(c, arg);
    if (!option_allowed(c, o->scope))
        return usage_error("option '%s' does not apply to this command", arg,
                           c->cmd_name);
    if (o->takes_value) {
        v = option_value(argc, argv, i, inline_value);
        if (!v)
            return usage_error("option '%s' needs a value", arg, c->cmd_name);
    }
    return apply_option(c, o->id, v);
}

static int
parse_command(struct cli *c, const char *arg)
{
    static const enum command cmds[] = {CMD_BUILD, CMD_CHECK, CMD_NEW,
                                        CMD_DATA,  CMD_KPI,   CMD_OKRS,
                                        CMD_MAIL,  CMD_SERVE, CMD_NONE};
    const char *hint;
    size_t k;

    for (k = 0; command_names[k]; k++) {
        if (strcmp(arg, command_names[k]) == 0) {
            c->cmd = cmds[k];
            c->cmd_name = command_names[k];
            if (c->cmd == CMD_NONE) /* "help [COMMAND]" */
                c->help = true;
            return OB_OK;
        }
    }
    hint = ob_suggest(arg, command_names);
    if (hint) {
        fprintf(stderr,
                "opsbook: error: unknown command '%s' (did you mean '%s'?)\n",
                arg, hint);
        return OB_ERR_USAGE;
    }
    return usage_error("unknown command '%s'", arg, NULL);
}

/* A positional argument: the command, the command after "help", or DIR. */
static int
parse_positional(struct cli *c, const char *arg)
{
    if (!c->cmd_name)
        return parse_command(c, arg);
    if (c->help && c->cmd == CMD_NONE && !strcmp(c->cmd_name, "help")) {
        int err = parse_command(c, arg);
        c->help = true;
        return err;
    }
    if (c->cmd == CMD_NEW && !c->new_dir) {
        c->new_dir = arg;
        return OB_OK;
    }
    if (c->cmd == CMD_DATA && !c->data_what) {
        c->data_what = arg;
        return OB_OK;
    }
    if (c->cmd == CMD_KPI || c->cmd == CMD_OKRS) {
        OB_GROW(c->kpi_ids, c->n_kpi_ids + 1, c->cap_kpi_ids);
        c->kpi_ids[c->n_kpi_ids++] = arg;
        return OB_OK;
    }
    return usage_error("unexpected argument '%s'", arg, c->cmd_name);
}

static int
parse_args(struct cli *c, int argc, char **argv)
{
    bool only_positional = false;
    int i, err;

    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];

        if (!only_positional && !strcmp(arg, "--")) {
            only_positional = true;
            continue;
        }
        if (!only_positional && arg[0] == '-' && arg[1])
            err = parse_option(c, argc, argv, &i);
        else
            err = parse_positional(c, arg);
        if (err)
            return err;
    }
    return OB_OK;
}

/* SOURCE_DATE_EPOCH (reproducible builds) or the clock: what "today" is. */
static int
read_now(struct ob_options *opt)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long v;

    if (!sde || !*sde) {
        opt->now = (int64_t)time(NULL);
        return OB_OK;
    }
    errno = 0;
    v = strtoll(sde, &end, 10);
    if (errno || end == sde || *end || v < 0) {
        fprintf(stderr,
                "opsbook: error: SOURCE_DATE_EPOCH must be a number of "
                "seconds, got '%s'\n",
                sde);
        return OB_ERR_USAGE;
    }
    opt->now = (int64_t)v;
    return OB_OK;
}

/* OPSBOOK_PIECE_BYTES: the size large CSV files are split into for
 * threads; tests set it small to split small files. */
static int
read_piece_bytes(struct ob_options *opt)
{
    const char *v = getenv("OPSBOOK_PIECE_BYTES");
    char *end;
    unsigned long long n;

    if (!v || !*v)
        return OB_OK;
    errno = 0;
    n = strtoull(v, &end, 10);
    if (errno || end == v || *end || n == 0) {
        fprintf(stderr,
                "opsbook: error: OPSBOOK_PIECE_BYTES must be a number of "
                "bytes, got '%s'\n",
                v);
        return OB_ERR_USAGE;
    }
    opt->piece_bytes = (uint64_t)n;
    return OB_OK;
}

static unsigned
print_flags(const struct cli *c)
{
    const char *no_color = getenv("NO_COLOR");
    unsigned flags = c->opt.quiet ? OB_DIAG_QUIET : 0;

    if (isatty(STDERR_FILENO) && !(no_color && *no_color))
        flags |= OB_DIAG_COLOR;
    return flags;
}

/* Marks the KPIs named on the command line; an unknown id is a usage
 * error with a suggestion. NULL: all of them. */
static enum ob_err
select_kpis(const struct cli *c, const struct ob_kpis *k, bool **selected)
{
    const char **ids;
    size_t i, j;

    *selected = NULL;
    if (!c->n_kpi_ids)
        return OB_OK;
    *selected = ob_xcalloc(k->n + 1, sizeof(**selected));
    ids = ob_xcalloc(k->n + 1, sizeof(*ids));
    for (j = 0; j < k->n; j++)
        ids[j] = k->kpis[j].def->id;
    for (i = 0; i < c->n_kpi_ids; i++) {
        const char *hint;
        for (j = 0; j < k->n; j++)
            if (strcmp(ids[j], c->kpi_ids[i]) == 0)
                break;
        if (j < k->n) {
            (*selected)[j] = true;
            continue;
        }
        hint = ob_suggest(c->kpi_ids[i], ids);
        if (hint)
            fprintf(stderr,
                    "opsbook: error: unknown KPI '%s' (did you mean '%s'?)\n",
                    c->kpi_ids[i], hint);
        else
            fprintf(stderr, "opsbook: error: unknown KPI '%s'\n",
                    c->kpi_ids[i]);
        free(ids);
        free(*selected);
        *selected = NULL;
        return OB_ERR_USAGE;
    }
    free(ids);
    return OB_OK;
}

/* Prints a command's whole output; a failed write is the environment's. */
static enum ob_err
write_stdout(const struct ob_buf *out)
{
    if (fwrite(out->ptr, 1, out->len, stdout) != out->len || fflush(stdout)) {
        fprintf(stderr, "opsbook: error: cannot write the output: %s\n",
                strerror(errno));
        return OB_ERR_ENV;
    }
    return OB_OK;
}

/* opsbook kpi: compute, then print the KPIs asked for on stdout. */
static enum ob_err
print_kpis(struct cli *c, struct ob_build *b)
{
    struct ob_kpiout o = {&b->kpis, NULL, b->as_of};
    struct ob_buf out = OB_BUF_INIT;
    bool *selected;
    enum ob_err err;

    err = select_kpis(c, &b->kpis, &selected);
    if (err)
        return err;
    o.selected = selected;
    if (c->kpi_output == KPI_CSV)
        ob_kpiout_csv(&o, &out);
    else if (c->kpi_output == KPI_JSON)
        ob_kpiout_json(&o, &out);
    else
        ob_kpiout_table(&o, &out);
    err = write_stdout(&out);
    ob_buf_release(&out);
    free(selected);
    return err;
}

/* The quarters `okrs QUARTER...` names; every name must be one. */
static enum ob_err
select_quarters(const struct cli *c, const struct ob_okrs *o,
                unsigned fiscal_year_start, bool **selected)
{
    size_t i;
    int q;

    *selected = NULL;
    if (!c->n_kpi_ids)
        return OB_OK;
    *selected = ob_xcalloc(o->n_quarters + 1, sizeof(**selected));
    for (i = 0; i < c->n_kpi_ids; i++) {
        q = ob_okrs_quarter(o, c->kpi_ids[i], fiscal_year_start);
        if (q < 0) {
            fprintf(stderr, "opsbook: error: no OKRs for quarter '%s'\n",
                    c->kpi_ids[i]);
            free(*selected);
            *selected = NULL;
            return OB_ERR_USAGE;
        }
        (*selected)[q] = true;
    }
    return OB_OK;
}

/* opsbook okrs: evaluate, then print the quarters asked for on stdout. */
static enum ob_err
print_okrs(struct cli *c, struct ob_build *b)
{
    struct ob_okrout o = {&b->okrs, NULL, b->as_of};
    struct ob_buf out = OB_BUF_INIT;
    bool *selected;
    enum ob_err err;

    err = select_quarters(c, &b->okrs, b->config.site.fiscal_year_start,
                          &selected);
    if (err)
        return err;
    o.selected = selected;
    if (c->kpi_output == KPI_JSON)
        ob_okrout_json(&o, &out);
    else
        ob_okrout_text(&o, &out);
    err = write_stdout(&out);
    ob_buf_release(&out);
    free(selected);
    return err;
}

/* opsbook mail: every check before the (slow) computing, then the .eml,
 * then delivery. */
static enum ob_err
run_mail(struct cli *c, struct ob_build *b)
{
    struct ob_mail m;
    enum ob_err err;

    ob_mail_init(&m);
    err = ob_build_load_data(b);
    if (!err)
        err = ob_mail_prepare(&m, b, &c->mail);
    if (!err)
        err = ob_build_compute(b);
    if (!err)
        err = ob_mail_write(&m, b);
    if (!err)
        err = ob_mail_send(&m, b);
    ob_mail_release(&m);
    return err;
}

static int
run_site_command(struct cli *c)
{
    struct ob_build b;
    enum ob_err err;

    ob_build_init(&b, &c->opt);
    if (c->cmd == CMD_BUILD) {
        err = ob_build_run(&b);
    } else if (c->cmd == CMD_DATA) {
        err = ob_build_load_config(&b);
        if (!err)
            err = ob_inspect_data(&b, c->data_what, &c->inspect, stdout);
    } else if (c->cmd == CMD_KPI) {
        err = ob_build_load_data(&b);
        if (!err)
            err = ob_build_compute(&b);
        /* the numbers are printed only when all of them are right */
        if (!err)
            err = print_kpis(c, &b);
    } else if (c->cmd == CMD_OKRS) {
        err = ob_build_load_data(&b);
        if (!err)
            err = ob_build_compute(&b);
        if (!err)
            err = print_okrs(c, &b);
    } else if (c->cmd == CMD_MAIL) {
        err = run_mail(c, &b);

    } else {
        err = ob_build_check(&b);
    }
    ob_diag_print(&b.diag, stderr, c->diag_format, print_flags(c));
    ob_build_release(&b);
    return err;
}

/* opsbook serve: a build per change, each printing its own problems. */
static int
run_serve(struct cli *c)
{
    c->serve.diag_format = c->diag_format;
    c->serve.print_flags = print_flags(c);
    return ob_serve_run(&c->opt, &c->serve);
}

static int
run_new(struct cli *c)
{
    struct ob_diag d;
    enum ob_err err;

    if (!c->new_dir)
        return usage_error("%s needs a folder: opsbook new DIR", "new", "new");
    ob_diag_init(&d, 10);
    err = ob_scaffold_write(&d, c->new_dir);
    ob_diag_print(&d, stderr, c->diag_format, print_flags(c));
    ob_diag_release(&d);
    if (!err && !c->opt.quiet)
        printf("Created a handbook in %s. Build it with:\n"
               "  opsbook -C %s build --as-of " OB_SCAFFOLD_AS_OF "\n"
               "Its example data ends on " OB_SCAFFOLD_AS_OF
               ": drop --as-of once data/ holds your\n"
               "own exports (the default is yesterday).\n",
               c->new_dir, c->new_dir);
    return err;
}

/* What `mail` takes from the environment, read here once: the SMTP login
 * and the CA file curl's own tool would use. */
static int
read_mail_env(struct cli *c)
{
    const struct ob_env *env = &c->opt.env;
    const char *ca = ob_env_get(env, "CURL_CA_BUNDLE");

    if (!c->mail.report)
        return usage_error("%s needs --report ID", "mail", "mail");
    if (c->mail.no_send && c->mail.send_url)
        return usage_error("%s and --send contradict each other", "--no-send",
                           "mail");
    c->mail.to = c->mail_to;
    c->mail.n_to = c->n_mail_to;
    c->mail.smtp_user = ob_env_get(env, "SMTP_USER");
    c->mail.smtp_password = ob_env_get(env, "SMTP_PASSWORD");
    if (c->mail.smtp_password && *c->mail.smtp_password &&
        !(c->mail.smtp_user && *c->mail.smtp_user))
        return usage_error("%s is set but SMTP_USER is not", "SMTP_PASSWORD",
                           "mail");
    if (!c->mail.cacert)
        c->mail.cacert = ca && *ca ? ca : ob_env_get(env, "SSL_CERT_FILE");
    if (c->mail.cacert && !*c->mail.cacert)
        c->mail.cacert = NULL;
    /* named from where the user stands, read after -C moved us */
    if (c->mail.cacert)
        c->cacert = realpath(c->mail.cacert, NULL);
    if (c->cacert)
        c->mail.cacert = c->cacert;
    return OB_OK;
}

static int
change_dir(const char *dir)
{
    if (!dir || chdir(dir) == 0)
        return OB_OK;
    fprintf(stderr, "opsbook: error: cannot change to '%s': %s\n", dir,
            strerror(errno));
    return OB_ERR_INPUT;
}

/* Everything after the options are read; main() frees what they hold. */
static int
run(struct cli *c)
{
    int err;

    if (c->version) {
        printf("opsbook %s\n", OB_VERSION);
        return OB_OK;
    }
    if (c->help || c->cmd == CMD_NONE) {
        fputs(command_usage(c->cmd), c->help ? stdout : stderr);
        return c->help ? OB_OK : OB_ERR_USAGE;
    }
    if (c->cmd == CMD_NEW)
        return run_new(c);
    if (c->cmd == CMD_DATA && !c->data_what)
        return usage_error("%s needs a source or a file", "data", "data");
    if (c->inspect.raw && !c->inspect.json)
        return usage_error("%s goes with --json", "--raw", "data");
    err = c->cmd == CMD_MAIL ? read_mail_env(c) : OB_OK;
    if (!err)
        err = read_now(&c->opt);
    if (!err)
        err = read_piece_bytes(&c->opt);
    if (!err)
        err = change_dir(c->dir);
    if (err)
        return err;
    /* libcurl's global setup, like cmark-gfm's, before any thread */
    if (c->cmd == CMD_MAIL && ob_mail_setup() != OB_OK)
        return OB_ERR_ENV;
    ob_markdown_setup();
    err = c->cmd == CMD_SERVE ? run_serve(c) : run_site_command(c);
    ob_markdown_teardown();
    if (c->cmd == CMD_MAIL)
        ob_mail_teardown();
    return err;
}

int
main(int argc, char **argv)
{
    struct cli c;
    int err;

    /* Buffers of megabytes (caches, the search index) come and go; from
     * the heap, a freed one is the next one's memory, already paged in,
     * where mmap() would give and take back fresh pages each time. */
    (void)mallopt(M_MMAP_THRESHOLD, 64 << 20);
    (void)mallopt(M_TRIM_THRESHOLD, 128 << 20);
    memset(&c, 0, sizeof(c));
    c.inspect.head = -1;
    c.serve.port = OB_SERVE_DEFAULT_PORT;
    c.opt.env.vars = (const char *const *)environ;
    err = parse_args(&c, argc, argv);
    if (!err)
        err = run(&c);
    free(c.kpi_ids);
    free(c.mail_to);
    free(c.cacert);
    return err;
}
