/* test_report.c: the report module's pieces: sheet names Excel accepts,
 * Excel number formats, column widths and wrapped lines (issue 9), and
 * which dated copies a report keeps. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/report_int.h"
#include "opsbook/date.h"
#include "runner.h"

static const char *
name(struct ob_xl_names *n, const char *want, struct ob_arena *a)
{
    return ob_xl_sheet_name(n, want, "fallback", a);
}

static void
test_sheet_names(void)
{
    struct ob_xl_names n = {NULL, 0, 0};
    struct ob_arena a;

    ob_arena_init(&a);
    OB_CHECK_STR(name(&n, "Summary", &a), "Summary");
    /* unique ignoring case, suffixed within 31 characters */
    OB_CHECK_STR(name(&n, "SUMMARY", &a), "SUMMARY (2)");
    OB_CHECK_STR(name(&n, "summary", &a), "summary (3)");
    OB_CHECK_STR(name(&n, "a/b\\c[d]e:f*g?h", &a), "a_b_c_d_e_f_g_h");
    OB_CHECK_STR(name(&n, "'quoted'", &a), "quoted");
    OB_CHECK_STR(name(&n, "tab\there", &a), "tab_here");
    OB_CHECK_STR(name(&n, "History", &a), "History_");
    OB_CHECK_STR(name(&n, "", &a), "fallback");
    OB_CHECK_STR(name(&n, "'''", &a), "fallback (2)");
    OB_CHECK_STR(name(&n, "Time from ticket opened to closed, on average", &a),
                 "Time from ticket opened to clos");
    OB_CHECK_STR(name(&n, "Time from ticket opened to closed, median", &a),
                 "Time from ticket opened to (2)");
    /* characters, not bytes; Latin-1 letters fold too */
    OB_CHECK_STR(name(&n, "Équipe", &a), "Équipe");
    OB_CHECK_STR(name(&n, "équipe", &a), "équipe (2)");
    OB_CHECK_STR(name(&n, "ééééééééééééééééééééééééééééééééééé", &a),
                 "ééééééééééééééééééééééééééééééé");
    /* a character outside the BMP counts twice, as Excel counts */
    OB_CHECK_STR(name(&n, "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀", &a), "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀");
    ob_xl_names_release(&n);
    ob_arena_release(&a);
}

static const char *
numfmt(enum ob_format format, const char *currency, int decimals,
       enum ob_language lang, bool delta, struct ob_buf *out)
{
    struct ob_numfmt f = {format, currency, decimals, lang};

    ob_buf_reset(out);
    ob_xl_numfmt(&f, delta, out);
    return out->ptr;
}

static void
test_numfmt(void)
{
    struct ob_buf b = OB_BUF_INIT;

    OB_CHECK_STR(numfmt(OB_FMT_INTEGER, NULL, -1, OB_LANG_EN, false, &b),
                 "#,##0");
    OB_CHECK_STR(numfmt(OB_FMT_NUMBER, NULL, -1, OB_LANG_EN, false, &b),
                 "#,##0.0");
    OB_CHECK_STR(numfmt(OB_FMT_NUMBER, NULL, 3, OB_LANG_EN, false, &b),
                 "#,##0.000");
    OB_CHECK_STR(numfmt(OB_FMT_PERCENT, NULL, -1, OB_LANG_EN, false, &b),
                 "0.0%");
    OB_CHECK_STR(numfmt(OB_FMT_PERCENT, NULL, 0, OB_LANG_EN, false, &b), "0%");
    OB_CHECK_STR(numfmt(OB_FMT_CURRENCY, "EUR", -1, OB_LANG_EN, false, &b),
                 "\"€\"#,##0.00");
    OB_CHECK_STR(numfmt(OB_FMT_CURRENCY, "CHF", -1, OB_LANG_EN, false, &b),
                 "\"CHF \"#,##0.00");
    OB_CHECK_STR(numfmt(OB_FMT_CURRENCY, "EUR", -1, OB_LANG_FR, false, &b),
                 "#,##0.00\"\xC2\xA0€\"");
    OB_CHECK_STR(numfmt(OB_FMT_DURATION, NULL, -1, OB_LANG_EN, false, &b),
                 "[h]:mm:ss");
    OB_CHECK_STR(numfmt(OB_FMT_INTEGER, NULL, -1, OB_LANG_EN, true, &b),
                 "+#,##0;\"−\"#,##0;#,##0");
    ob_buf_release(&b);
    OB_CHECK_INT((long long)ob_xl_date(0), 25569);
    OB_CHECK(ob_xl_date_ok(ob_date_from_civil(1900, 3, 1)));
    OB_CHECK(!ob_xl_date_ok(ob_date_from_civil(1900, 2, 28)));
    OB_CHECK(!ob_xl_date_ok(ob_date_from_civil(10000, 1, 1)));
}

/* Issue 9: columns fitted with room beside their content, capped, long
 * text wrapped at words, headers wrapped rather than widening a column. */
static void
test_widths(void)
{
    struct ob_xl_widths w;

    OB_CHECK_INT(ob_xl_text_lines("short", 5, 38), 1);
    OB_CHECK_INT(ob_xl_text_lines("", 0, 8), 1);
    OB_CHECK_INT(ob_xl_text_lines("aaaa bbbb cccc", 14, 9), 2);
    OB_CHECK_INT(ob_xl_text_lines("aaaa bbbb cccc", 14, 8), 3);
    OB_CHECK_INT(ob_xl_text_lines("a\nb\nc", 5, 38), 3);
    /* a word longer than the line is broken */
    OB_CHECK_INT(ob_xl_text_lines("xxxxxxxxxxxxxxxxxxxx", 20, 8), 3);
    /* characters, not bytes */
    OB_CHECK_INT(
        ob_xl_text_lines("\xC3\xA9\xC3\xA9\xC3\xA9 \xC3\xA9\xC3\xA9", 11, 6),
        1);
    OB_CHECK_NUM(ob_xl_text_width("ab\ncde", 6), 3);

    ob_xl_widths_init(&w, 4);
    ob_xl_widths_fit(&w, 0, 10);  /* a date */
    ob_xl_widths_fit(&w, 1, 100); /* a long text */
    ob_xl_widths_fit(&w, 2, 1);
    ob_xl_widths_cap(&w, 3, 20);
    ob_xl_widths_fit(&w, 3, 30);
    OB_CHECK_INT(ob_xl_widths_settle(&w), 1);
    OB_CHECK_NUM(ob_xl_widths_get(&w, 0), 10 + OB_XL_PAD);
    OB_CHECK_NUM(ob_xl_widths_get(&w, 1), OB_XL_MAX_WIDTH);
    OB_CHECK_NUM(ob_xl_widths_get(&w, 2), 6);
    OB_CHECK_NUM(ob_xl_widths_get(&w, 3), 20);
    OB_CHECK(OB_XL_MAX_WIDTH <= 45);
    /* 7 pixels a character, 5 a column */
    OB_CHECK_NUM(ob_xl_widths_pixels(&w), 89 + 285 + 47 + 145);
    ob_xl_widths_release(&w);

    /* headers: bold, wrapped at words when that spares 4 characters */
    ob_xl_widths_init(&w, 4);
    w.head[0].text = "Last check-in";
    ob_xl_widths_fit(&w, 0, 10);
    w.head[1].text = "Period start"; /* spares 3.2: one line */
    ob_xl_widths_fit(&w, 1, 10);
    w.head[2].text = "Target (automations)";
    ob_xl_widths_fit(&w, 2, 5);
    w.head[3].text = "Status";
    w.head[3].indent = 1.5;
    OB_CHECK_INT(ob_xl_widths_settle(&w), 2);
    OB_CHECK_NUM(ob_xl_widths_get(&w, 0), 12);
    OB_CHECK_NUM(ob_xl_widths_get(&w, 1), 16);
    OB_CHECK_NUM(ob_xl_widths_get(&w, 2), 17);
    OB_CHECK_NUM(ob_xl_widths_get(&w, 3), 11);
    ob_xl_widths_release(&w);
}

static void
touch(const char *dir, const char *file)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof path, "%s/reports/%s", dir, file);
    f = fopen(path, "w");
    if (f)
        fclose(f);
}

static void
test_report_files(void)
{
    const char *tmp = getenv("TMPDIR");
    char dir[256], path[512];
    struct ob_build b;
    struct ob_report_def r;
    struct ob_report_file *files;
    struct ob_arena a;
    size_t n;

    memset(&b, 0, sizeof(b));
    memset(&r, 0, sizeof(r));
    ob_arena_init(&a);
    r.id = "lead";
    b.as_of = ob_date_from_civil(2026, 11, 20);
    b.config.build.keep_reports = 3;
    snprintf(dir, sizeof dir, "%s/opsbook-report-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    OB_CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/reports", dir);
    mkdir(path, 0777);
    touch(dir, "lead-2026-11-17.xlsx");
    touch(dir, "lead-2026-11-18.xlsx");
    touch(dir, "lead-2026-11-20.xlsx"); /* today's: made again */
    touch(dir, "lead-2026-11-30.xlsx"); /* newer: a rebuild of an older day */
    touch(dir, "lead-2026-02-30.xlsx"); /* no such day */
    touch(dir, "lead.xlsx");
    touch(dir, "leader-2026-11-19.xlsx");
    n = ob_report_files(&b, &r, dir, &a, &files);
    OB_CHECK_INT(n, 3);
    OB_CHECK_STR(files[0].name, "lead-2026-11-30.xlsx");
    OB_CHECK(files[0].carried);
    OB_CHECK_STR(files[1].name, "lead-2026-11-20.xlsx");
    OB_CHECK(!files[1].carried);
    OB_CHECK_STR(files[2].name, "lead-2026-11-18.xlsx");
    OB_CHECK_INT(files[2].date, ob_date_from_civil(2026, 11, 18));
    /* no previous OUT: today's alone */
    n = ob_report_files(&b, &r, NULL, &a, &files);
    OB_CHECK_INT(n, 1);
    b.config.build.keep_reports = 0;
    OB_CHECK_INT(ob_report_files(&b, &r, dir, &a, &files), 0);
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    OB_CHECK_INT(system(path), 0);
    ob_arena_release(&a);
}

int
main(void)
{
    OB_RUN(test_sheet_names);
    OB_RUN(test_numfmt);
    OB_RUN(test_widths);
    OB_RUN(test_report_files);
    return OB_TEST_DONE();
}
