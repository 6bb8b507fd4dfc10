/* report.c: the Excel reports: one workbook per `reports:` entry, its
 * dated copy, and the dated copies carried over from the previous OUT. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/report.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opsbook/date.h"
#include "opsbook/lazylib.h"
#include "opsbook/mem.h"
#include "opsbook/text.h"
#include "report_int.h"

/* ---- dated copies ---------------------------------------------------- */

#define XLSX_EXT ".xlsx"

/* The date of a dated copy's name "ID-YYYY-MM-DD.xlsx", or false. */
static bool
dated_name(const char *name, const char *id, int32_t *date)
{
    size_t n = strlen(id);

    return strlen(name) == n + 1 + 10 + strlen(XLSX_EXT) &&
           !strncmp(name, id, n) && name[n] == '-' &&
           !strcmp(name + n + 11, XLSX_EXT) &&
           ob_date_parse(name + n + 1, 10, date);
}

static int
newest_first(const void *pa, const void *pb)
{
    const struct ob_report_file *a = pa, *b = pb;

    return a->date < b->date ? 1 : a->date > b->date ? -1 : 0;
}

/* The previous OUT's dated copies of `id` (regular files only: a symlink
 * could point anywhere), newest first, as_of's left out. */
static size_t
previous_copies(const char *previous_out, const char *id, int32_t as_of,
                struct ob_arena *a, struct ob_report_file **out)
{
    struct ob_buf path = OB_BUF_INIT;
    struct ob_report_file *files = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    DIR *dh;

    ob_buf_printf(&path, "%s/" OB_REPORT_DIR, previous_out);
    dh = opendir(path.ptr);
    for (de = dh ? readdir(dh) : NULL; de; de = readdir(dh)) {
        struct stat st;
        int32_t date;

        if (!dated_name(de->d_name, id, &date) || date == as_of)
            continue;
        ob_buf_reset(&path);
        ob_buf_printf(&path, "%s/" OB_REPORT_DIR "/%s", previous_out,
                      de->d_name);
        if (lstat(path.ptr, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        OB_GROW(files, n + 1, cap);
        files[n].name = ob_arena_strdup(a, de->d_name);
        files[n].date = date;
        files[n].carried = true;
        n++;
    }
    if (dh)
        closedir(dh);
    ob_qsort(files, n, sizeof(*files), newest_first);
    ob_buf_release(&path);
    *out = files;
    return n;
}

size_t
ob_report_files(const struct ob_build *b, const struct ob_report_def *r,
                const char *previous_out, struct ob_arena *a,
                struct ob_report_file **files)
{
    unsigned keep = b->config.build.keep_reports;
    struct ob_report_file *old = NULL, *all;
    size_t n_old = 0, n = 0, i;
    char date[11];

    all = ob_arena_calloc(a, keep + 1, sizeof(*all));
    *files = all;
    if (!keep)
        return 0;
    ob_date_format(b->as_of, date);
    all[n].name = ob_arena_printf(a, "%s-%s" XLSX_EXT, r->id, date);
    all[n].date = b->as_of;
    all[n++].carried = false;
    if (previous_out)
        n_old = previous_copies(previous_out, r->id, b->as_of, a, &old);
    for (i = 0; i < n_old && n < keep; i++)
        all[n++] = old[i];
    free(old);
    /* a rebuild of an older day keeps newer copies: order by date */
    ob_qsort(all, n, sizeof(*all), newest_first);
    return n;
}

/* Puts `from` (a file outside the new tree, or in it) at `relpath` in the
 * new tree: a hard link, which costs nothing and which no later build
 * writes through (each build makes new files), else a copy. */
static enum ob_err
place_file(struct ob_output *out, struct ob_diag *d, const char *from,
           const char *relpath, struct ob_arena *a)
{
    const char *to = ob_output_claim(out, d, relpath, a);

    if (!to)
        return OB_ERR_ENV;
    if (link(from, to) != 0)
        return ob_output_copy(out, d, relpath, from);
    return OB_OK;
}

/* This build's dated copy of ID.xlsx, and the ones carried over. */
static enum ob_err
dated_copies(struct ob_build *b, struct ob_output *out,
             const struct ob_report_def *r, struct ob_arena *a)
{
    struct ob_report_file *files;
    size_t n = ob_report_files(b, r, out->final, a, &files), i;
    enum ob_err err = OB_OK;

    for (i = 0; i < n && !err; i++) {
        const char *rel =
            ob_arena_printf(a, OB_REPORT_DIR "/%s", files[i].name);
        const char *from =
            files[i].carried
                ? ob_arena_printf(a, "%s/%s", out->final, rel)
                : ob_arena_printf(a, "%s/" OB_REPORT_DIR "/%s" XLSX_EXT,
                                  out->tmp, r->id);

        err = place_file(out, &b->diag, from, rel, a);
    }
    return err;
}

/* ---- what a report shows ---------------------------------------------- */

/* "2026-Q3, 2026-Q4", or "none", for a message. */
static const char *
quarter_list(struct ob_build *b)
{
    struct ob_buf list = OB_BUF_INIT;
    const char *result;
    size_t i;

    for (i = 0; i < b->okrs.n_quarters; i++)
        ob_buf_printf(&list, "%s%s", i ? ", " : "", b->okrs.quarters[i].label);
    result = ob_arena_strdup(&b->arena, list.len ? list.ptr : "none");
    ob_buf_release(&list);
    return result;
}

/* Every quarter a report names must have OKRs: a typo would otherwise
 * give a report without them, silently. */
static enum ob_err
check_quarters(struct ob_build *b)
{
    const struct ob_config *cfg = &b->config;
    enum ob_err err = OB_OK;
    size_t i, j;

    for (i = 0; i < cfg->n_reports; i++) {
        const struct ob_report_def *r = &cfg->reports[i];

        for (j = 0; j < r->n_okr_quarters; j++) {
            const struct ob_name *q = &r->okr_quarters[j];

            if (ob_okrs_quarter(&b->okrs, q->name,
                                cfg->site.fiscal_year_start) >= 0)
                continue;
            ob_diag_error(&b->diag, &q->pos,
                          "report '%s' names quarter '%s', which has no "
                          "OKRs (quarters with OKRs: %s)",
                          r->id, q->name, quarter_list(b));
            err = OB_ERR_INPUT;
        }
    }
    return err;
}

/* A KPI's sheet has a column per group, and Excel 16,384 columns: a `by`
 * over an id column (users, tickets) cannot be a report's. An error at the
 * `by`, rather than libxlsxwriter's "index out of range" (status 3). */
#define MAX_REPORT_GROUPS 16000

static enum ob_err
check_groups(struct ob_xl *x)
{
    enum ob_err err = OB_OK;
    size_t i;

    for (i = 0; i < x->n_kpis; i++) {
        const struct ob_kpi *kpi = x->kpis[i];

        if (!kpi->ok || kpi->n_groups <= MAX_REPORT_GROUPS)
            continue;
        ob_diag_error(&x->b->diag, &kpi->def->by.pos,
                      "KPI '%s' has %zu groups by '%s': more than report "
                      "'%s' can hold (%d, a column each)",
                      kpi->def->id, kpi->n_groups, kpi->def->by.name,
                      x->def->id, MAX_REPORT_GROUPS);
        err = OB_ERR_INPUT;
    }
    return err;
}

static void
pick_kpis(struct ob_xl *x)
{
    const struct ob_report_def *r = x->def;
    const struct ob_kpis *k = &x->b->kpis;
    size_t n = r->all_kpis ? k->n : r->n_kpis, i;

    x->kpis = ob_arena_calloc(&x->a, n + 1, sizeof(*x->kpis));
    x->kpi_sheets = ob_arena_calloc(&x->a, n + 1, sizeof(*x->kpi_sheets));
    for (i = 0; i < n; i++) {
        const struct ob_kpi *kpi =
            r->all_kpis ? &k->kpis[i] : ob_kpis_find(k, r->kpis[i].name);

        if (kpi)
            x->kpis[x->n_kpis++] = kpi;
    }
}

static void
pick_quarters(struct ob_xl *x)
{
    const struct ob_report_def *r = x->def;
    const struct ob_okrs *o = &x->b->okrs;
    size_t n = r->latest_okrs ? 1 : r->n_okr_quarters, i;

    x->quarters = ob_arena_calloc(&x->a, n + 1, sizeof(*x->quarters));
    if (r->latest_okrs) {
        if (o->latest >= 0)
            x->quarters[x->n_quarters++] = &o->quarters[o->latest];
        return;
    }
    for (i = 0; i < n; i++) {
        int q = ob_okrs_quarter(o, r->okr_quarters[i].name,
                                x->b->config.site.fiscal_year_start);
        size_t j;
        bool seen = false;

        for (j = 0; q >= 0 && j < x->n_quarters; j++)
            seen = seen || x->quarters[j] == &o->quarters[q];
        if (q >= 0 && !seen)
            x->quarters[x->n_quarters++] = &o->quarters[q];
    }
}

/* Every sheet's name, settled before any sheet is made: the fixed ones
 * first, so a KPI titled "Summary" yields, not the Summary. */
static void
name_sheets(struct ob_xl *x)
{
    const struct ob_report_def *r = x->def;
    struct ob_xl_names names = {NULL, 0, 0};
    size_t i;

    x->summary_sheet = ob_xl_sheet_name(&names, ob_xl_word(x, OB_XW_SUMMARY),
                                        "Summary", &x->a);
    if (x->n_quarters)
        x->okr_sheet =
            ob_xl_sheet_name(&names, ob_xl_word(x, OB_XW_OKRS), "OKRs", &x->a);
    x->sources_sheet = ob_xl_sheet_name(&names, ob_xl_word(x, OB_XW_SOURCES),
                                        "Sources", &x->a);
    for (i = 0; i < x->n_kpis; i++)
        x->kpi_sheets[i] = ob_xl_sheet_name(&names, x->kpis[i]->def->title,
                                            x->kpis[i]->def->id, &x->a);
    x->table_sheets =
        ob_arena_calloc(&x->a, r->n_tables + 1, sizeof(*x->table_sheets));
    for (i = 0; i < r->n_tables; i++)
        x->table_sheets[i] = ob_xl_sheet_name(&names, r->tables[i].name,
                                              r->tables[i].name, &x->a);
    ob_xl_names_release(&names);
}

/* ---- one workbook ------------------------------------------------------ */

/* Title, subject, company and a creation time that is as_of's start, not
 * the clock's: the same inputs give the same bytes. */
static void
set_properties(struct ob_xl *x)
{
    const struct ob_site_config *site = &x->b->config.site;
    struct ob_buf subject = OB_BUF_INIT;
    lxw_doc_properties p;
    char date[11];

    ob_date_format(x->b->as_of, date);
    ob_buf_printf(&subject, "%s %s %s", site->title,
                  x->lang == OB_LANG_FR ? "au" : "as of", date);
    memset(&p, 0, sizeof(p));
    p.title = (char *)x->def->title;
    p.subject = subject.ptr;
    p.author = (char *)(site->company ? site->company : site->title);
    p.company = (char *)(site->company ? site->company : "");
    p.comments = (char *)"Made by opsbook " OB_VERSION;
    p.created = (time_t)ob_tz_day_start(x->b->tz, x->b->as_of);
    ob_xl_check(x, workbook_set_properties(x->wb, &p),
                "the document properties");
    ob_buf_release(&subject);
}

/*
 * libxlsxwriter's constant-memory mode is a workbook option, read when a
 * sheet is added: a sheet added while it is on streams its rows to a
 * temporary file and keeps one row in memory. Only the tables' sheets
 * need that (they grow with the data); the others stay in normal mode,
 * where a chart keeps a cache of its values (what phone viewers draw) and
 * cells may be written in any order.
 */
lxw_worksheet *
ob_xl_add_sheet(struct ob_xl *x, const char *name, bool streamed)
{
    lxw_worksheet *ws;

    x->wb->options.constant_memory = streamed ? LXW_TRUE : LXW_FALSE;
    ws = workbook_add_worksheet(x->wb, name);
    x->wb->options.constant_memory = LXW_FALSE;
    /* NULL: the temporary file of a streamed sheet could not be made */
    if (!ws)
        ob_xl_check(x, LXW_ERROR_CREATING_TMPFILE, "a sheet");
    return ws;
}

static void
write_sheets(struct ob_xl *x)
{
    size_t i;

    ob_xl_summary(x);
    if (x->okr_sheet && ob_xl_ok(x))
        ob_xl_okrs(x);
    for (i = 0; i < x->n_kpis && ob_xl_ok(x); i++)
        ob_xl_kpi_sheet(x, i);
    for (i = 0; i < x->def->n_tables && ob_xl_ok(x); i++)
        ob_xl_table_sheet(x, i);
    if (ob_xl_ok(x))
        ob_xl_sources(x);
}

/* Says what failed: the system's reason when there is one (a full disk,
 * a folder it cannot write to), else libxlsxwriter's and what was being
 * written. */
static enum ob_err
report_failure(struct ob_xl *x, int sys_errno)
{
    struct ob_pos none = {NULL, 0, 0};

    if (sys_errno)
        ob_diag_error(&x->b->diag, &none, "cannot write '%s': %s", x->file,
                      strerror(sys_errno));
    else
        ob_diag_error(&x->b->diag, &none,
                      "cannot write '%s': %s (while writing %s)", x->file,
                      lxw_strerror(x->failed), x->during);
    return OB_ERR_ENV;
}

/*
 * workbook_close() prints its own "[ERROR] ..." lines on stderr (naming
 * the temporary tree) before it returns a status; opsbook says what failed
 * once, in its own format. Nothing else runs while a workbook is closed
 * (the build's threads are done), so stderr points at /dev/null for that
 * call only. Returns the saved stderr, or -1 (then nothing was changed).
 */
static int
mute_stderr(void)
{
    int saved, null;

    fflush(stderr);
    null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null < 0)
        return -1;
    saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    if (saved >= 0 && dup2(null, STDERR_FILENO) < 0) {
        close(saved);
        saved = -1;
    }
    close(null);
    return saved;
}

static void
unmute_stderr(int saved)
{
    if (saved < 0)
        return;
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
}

static void
xl_init(struct ob_xl *x, struct ob_build *b, const struct ob_report_def *r,
        unsigned jobs)
{
    memset(x, 0, sizeof(*x));
    x->b = b;
    x->def = r;
    x->lang = b->config.site.language;
    x->jobs = jobs;
    ob_arena_init(&x->a);
    ob_buf_init(&x->text);
    x->file = ob_arena_printf(&x->a, OB_REPORT_DIR "/%s" XLSX_EXT, r->id);
    pick_kpis(x);
    pick_quarters(x);
    name_sheets(x);
}

static void
xl_release(struct ob_xl *x)
{
    free(x->formats);
    ob_buf_release(&x->text);
    ob_arena_release(&x->a);
}

/* reports/ID.xlsx in the new tree. libxlsxwriter writes to a file name
 * and keeps its temporary files in `tmpdir`: the reports folder of the
 * new tree, so they never land in /tmp and go with a failed build. */
static enum ob_err
write_workbook(struct ob_xl *x, struct ob_output *out)
{
    char *dir = ob_arena_printf(&x->a, "%s/" OB_REPORT_DIR, out->tmp);
    /* a new file, its folder made: the one there may be OUT's too */
    const char *path = ob_output_claim(out, &x->b->diag, x->file, &x->a);
    lxw_workbook_options opt = {LXW_FALSE, dir, LXW_FALSE};
    lxw_error closed;
    int muted, sys_errno;

    if (!path || ob_xlsx_require(&x->b->diag))
        return OB_ERR_ENV;
    x->wb = workbook_new_opt(path, &opt);
    if (!x->wb)
        ob_oom(); /* it allocates, and fails on nothing else */
    set_properties(x);
    write_sheets(x);
    muted = mute_stderr();
    errno = 0;
    /* closed even after a failure: it frees the workbook */
    closed = workbook_close(x->wb);
    sys_errno = closed ? errno : 0;
    unmute_stderr(muted);
    x->wb = NULL;
    ob_xl_check(x, closed, "the file");
    if (x->err)
        return x->err;
    if (x->failed)
        return report_failure(x, sys_errno);
    /* its bytes' hash: the next build may keep it (still_made()) */
    return ob_output_claimed(out, &x->b->diag, x->file, NULL);
}

/* Whether the last build's workbook is this one's: made from the same
 * data, in OUT as it was written, and with no warning to say again. */
static bool
still_made(const struct ob_xl *x, struct ob_output *out, bool same_data)
{
    return same_data && ob_xl_tables_fit(x) &&
           ob_output_unchanged(out, x->file);
}

enum ob_err
ob_reports_write(struct ob_build *b, struct ob_output *out, unsigned jobs,
                 bool same_data)
{
    enum ob_err err = check_quarters(b);
    size_t i;

    for (i = 0; i < b->config.n_reports && !err; i++) {
        const struct ob_report_def *r = &b->config.reports[i];
        struct ob_xl x;

        xl_init(&x, b, r, jobs);
        err = check_groups(&x);
        if (!err)
            err = still_made(&x, out, same_data)
                      ? ob_output_reuse(out, &b->diag, x.file)
                      : write_workbook(&x, out);
        if (!err)
            err = dated_copies(b, out, r, &x.a);
        xl_release(&x);
    }
    return err;
}
