/* test_diag.c: the diagnostics sink and the error code table. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/diag.h"

#include <stdlib.h>
#include <string.h>

#include "runner.h"

/* Prints the sink into a string (caller frees). */
static char *
print_to_string(struct ob_diag *d, enum ob_diag_format fmt, unsigned flags)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    ob_diag_print(d, f, fmt, flags);
    fclose(f);
    return text;
}

static void
test_strerror_in_sync(void)
{
    OB_CHECK_STR(ob_strerror(OB_OK), "success");
    OB_CHECK_STR(ob_strerror(OB_ERR_INPUT), "problem in the inputs");
    OB_CHECK_STR(ob_strerror(OB_ERR_USAGE), "usage error");
    OB_CHECK_STR(ob_strerror(OB_ERR_ENV), "environment failure");
    OB_CHECK_STR(ob_strerror((enum ob_err)4), "unknown error");
    /* The exit codes are part of the spec: never renumber. */
    OB_CHECK_INT(OB_ERR_INPUT, 1);
    OB_CHECK_INT(OB_ERR_USAGE, 2);
    OB_CHECK_INT(OB_ERR_ENV, 3);
}

static void
test_sorted_and_formatted(void)
{
    struct ob_diag d;
    struct ob_pos b12 = {"b.yaml", 1, 2}, a31 = {"a.yaml", 3, 1};
    struct ob_pos a21 = {"a.yaml", 2, 1}, file = {"c.md", 0, 0};
    char *text;

    ob_diag_init(&d, 100);
    ob_diag_error(&d, &b12, "second file");
    ob_diag_warning(&d, &a31, "later line");
    ob_diag_error(&d, &a21, "earlier line '%s'", "x");
    ob_diag_error(&d, &file, "whole file");
    ob_diag_error(&d, NULL, "no file");
    text = print_to_string(&d, OB_DIAG_TEXT, 0);
    OB_CHECK_STR(text, "opsbook: error: no file\n"
                       "a.yaml:2:1: error: earlier line 'x'\n"
                       "a.yaml:3:1: warning: later line\n"
                       "b.yaml:1:2: error: second file\n"
                       "c.md: error: whole file\n");
    free(text);
    OB_CHECK_INT(d.errors, 4);
    OB_CHECK_INT(d.warnings, 1);
    OB_CHECK(ob_diag_failed(&d));
    ob_diag_release(&d);
}

static void
test_strict_and_quiet(void)
{
    struct ob_diag d;
    struct ob_pos p = {"x.md", 4, 7};
    char *text;

    ob_diag_init(&d, 10);
    ob_diag_warning(&d, &p, "broken link 'y.md'");
    OB_CHECK(!ob_diag_failed(&d));
    text = print_to_string(&d, OB_DIAG_TEXT, OB_DIAG_QUIET);
    OB_CHECK_STR(text, "");
    free(text);
    d.strict = true;
    OB_CHECK(ob_diag_failed(&d));
    text = print_to_string(&d, OB_DIAG_TEXT, OB_DIAG_QUIET);
    OB_CHECK_STR(text, "x.md:4:7: error: broken link 'y.md'\n");
    free(text);
    ob_diag_release(&d);
}

static void
test_json_lines(void)
{
    struct ob_diag d;
    struct ob_pos p = {"data/\"q\".yaml", 2, 3};
    char *text;

    ob_diag_init(&d, 10);
    ob_diag_error(&d, &p, "bad\tvalue \"v\"");
    ob_diag_warning(&d, NULL, "note");
    text = print_to_string(&d, OB_DIAG_JSON, 0);
    OB_CHECK_STR(text,
                 "{\"path\":null,\"line\":0,\"column\":0,\"severity\":"
                 "\"warning\",\"message\":\"note\"}\n"
                 "{\"path\":\"data/\\\"q\\\".yaml\",\"line\":2,\"column\":3,"
                 "\"severity\":\"error\",\"message\":\"bad\\tvalue "
                 "\\\"v\\\"\"}\n");
    free(text);
    ob_diag_release(&d);
}

static void
test_color_only_when_asked(void)
{
    struct ob_diag d;
    struct ob_pos p = {"a", 1, 1};
    char *text;

    ob_diag_init(&d, 10);
    ob_diag_error(&d, &p, "m");
    text = print_to_string(&d, OB_DIAG_TEXT, OB_DIAG_COLOR);
    OB_CHECK_STR(text, "\033[1ma:1:1: \033[31merror:\033[0m m\n");
    free(text);
    ob_diag_release(&d);
}

static void
test_bounded(void)
{
    struct ob_diag d;
    struct ob_pos p = {"big.csv", 1, 1};
    char *text;
    int i;

    ob_diag_init(&d, 3);
    for (i = 0; i < 10; i++) {
        p.line = (uint32_t)(i + 1);
        ob_diag_error(&d, &p, "bad row");
    }
    OB_CHECK_INT(d.len, 3);
    OB_CHECK_INT(d.errors, 10);
    text = print_to_string(&d, OB_DIAG_TEXT, 0);
    OB_CHECK(strstr(text, "opsbook: 7 more problems not shown\n") != NULL);
    free(text);
    ob_diag_release(&d);
}

/* A worker's sink moved into the build's keeps its order and counts,
 * and respects the build's bound. */
static void
test_absorb(void)
{
    struct ob_diag d, w;
    struct ob_pos p = {"a.csv", 2, 3};

    ob_diag_init(&d, 3);
    ob_diag_init(&w, 3);
    ob_diag_error(&d, &p, "first");
    ob_diag_warning(&w, &p, "second");
    ob_diag_error(&w, &p, "third");
    ob_diag_error(&w, &p, "fourth");
    ob_diag_error(&w, &p, "dropped in the worker");
    ob_diag_absorb(&d, &w);
    OB_CHECK_INT(d.len, 3);
    OB_CHECK_INT(d.errors, 4);
    OB_CHECK_INT(d.warnings, 1);
    OB_CHECK_INT(d.dropped, 2); /* one in the worker, one in the move */
    OB_CHECK_STR(d.entries[1].message, "second");
    OB_CHECK_STR(d.entries[2].message, "third");
    OB_CHECK_INT(d.entries[2].seq, 2);
    OB_CHECK_INT(w.len, 0);
    OB_CHECK_INT(w.errors, 0);
    ob_diag_release(&w);
    ob_diag_release(&d);
}

int
main(void)
{
    OB_RUN(test_absorb);
    OB_RUN(test_strerror_in_sync);
    OB_RUN(test_sorted_and_formatted);
    OB_RUN(test_strict_and_quiet);
    OB_RUN(test_json_lines);
    OB_RUN(test_color_only_when_asked);
    OB_RUN(test_bounded);
    return OB_TEST_DONE();
}
