/* test_text.c: UTF-8, positions, suggestions, buffers, escaping, slugs. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/text.h"

#include <stdlib.h>
#include <string.h>

#include "opsbook/buf.h"
#include "opsbook/content.h"
#include "runner.h"

static void
test_utf8(void)
{
    static const struct {
        const char *s;
        bool ok;
        size_t bad;
    } cases[] = {
        {"plain ascii", true, 0},
        {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x88", true, 0},
        {"ab\xc3", false, 2},             /* truncated */
        {"a\xc0\xaf", false, 1},          /* overlong '/' */
        {"a\xe0\x80\xaf", false, 1},      /* overlong, 3 bytes */
        {"\xed\xa0\x80", false, 0},       /* surrogate */
        {"xx\xf4\x90\x80\x80", false, 2}, /* past U+10FFFF */
        {"\x80", false, 0},               /* lone continuation */
        {"ok\xff", false, 2},
    };
    size_t i, bad;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bad = 99;
        OB_CHECK_INT(ob_utf8_valid(cases[i].s, strlen(cases[i].s), &bad),
                     cases[i].ok);
        if (!cases[i].ok)
            OB_CHECK_INT(bad, cases[i].bad);
    }
}

static void
test_positions(void)
{
    const char *s = "ab\r\ncaf\xc3\xa9X\rz\n\xe2\x82\xac!";
    uint32_t line, col;

    ob_text_position(s, 0, 1, &line, &col);
    OB_CHECK_INT(line, 1);
    OB_CHECK_INT(col, 1);
    ob_text_position(s, 9, 1, &line, &col); /* 'X' after "café" */
    OB_CHECK_INT(line, 2);
    OB_CHECK_INT(col, 5);
    ob_text_position(s, 11, 1, &line, &col); /* 'z' after a lone CR */
    OB_CHECK_INT(line, 3);
    OB_CHECK_INT(col, 1);
    ob_text_position(s, 16, 10, &line, &col); /* '!' after the euro sign */
    OB_CHECK_INT(line, 13);
    OB_CHECK_INT(col, 2);
}

static void
test_suggest(void)
{
    static const char *const keys[] = {"title", "description", "timezone",
                                       "fiscal_year_start", NULL};

    OB_CHECK_STR(ob_suggest("titel", keys), "title");
    OB_CHECK_STR(ob_suggest("timzone", keys), "timezone");
    OB_CHECK_STR(ob_suggest("fiscal_year_starts", keys), "fiscal_year_start");
    OB_CHECK(ob_suggest("colour", keys) == NULL);
    OB_CHECK(ob_suggest("x", keys) == NULL);
}

static void
test_buf(void)
{
    struct ob_buf b = OB_BUF_INIT;
    char *p;
    size_t len;

    OB_CHECK_STR(b.ptr, "");
    ob_buf_printf(&b, "%d-%s", 42, "x");
    ob_buf_add(&b, "\0y", 2);
    OB_CHECK_INT(b.len, 6);
    OB_CHECK(memcmp(b.ptr, "42-x\0y", 7) == 0);
    ob_buf_truncate(&b, 2);
    OB_CHECK_STR(b.ptr, "42");
    p = ob_buf_detach(&b, &len);
    OB_CHECK_STR(p, "42");
    OB_CHECK_INT(len, 2);
    OB_CHECK_STR(b.ptr, "");
    free(p);

    OB_CHECK(ob_buf_grow(&b, 1000));
    OB_CHECK(b.cap > 1000 && b.len == 0);
    p = b.ptr;
    ob_buf_add(&b, "x", 1);
    OB_CHECK(ob_buf_grow(&b, 999));
    OB_CHECK(b.ptr == p); /* no new memory: it had room */
    OB_CHECK_STR(b.ptr, "x");
    ob_buf_release(&b);

    b.max = 4;
    OB_CHECK(!ob_buf_grow(&b, 5));
    OB_CHECK(b.toobig);
    ob_buf_reset(&b);
    OB_CHECK(ob_buf_puts(&b, "abcd"));
    OB_CHECK(!ob_buf_putc(&b, 'e'));
    OB_CHECK(b.toobig);
    OB_CHECK_STR(b.ptr, "abcd");
    ob_buf_release(&b);
}

static void
test_escaping(void)
{
    struct ob_buf b = OB_BUF_INIT;
    const char *s = "<a href=\"x\">Tom's & Jerry</a>";

    ob_buf_add_html(&b, s, strlen(s));
    OB_CHECK_STR(b.ptr, "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; "
                        "Jerry&lt;/a&gt;");
    ob_buf_reset(&b);
    ob_buf_add_json(&b, "a\"b\\c\n\x01", 7);
    OB_CHECK_STR(b.ptr, "a\\\"b\\\\c\\n\\u0001");
    ob_buf_release(&b);
}

static void
check_slug(const char *in, const char *want)
{
    struct ob_buf b = OB_BUF_INIT;

    ob_slugify(&b, in, strlen(in));
    OB_CHECK_STR(b.ptr, want);
    ob_buf_release(&b);
}

static void
test_slugs(void)
{
    check_slug("Feedback Triage", "feedback-triage");
    check_slug("  Roadmap -- Q4 (2026)  ", "roadmap-q4-2026");
    check_slug("Revue trimestrielle \xc3\xa9t\xc3\xa9",
               "revue-trimestrielle-ete");
    check_slug("\xc3\x86sir \xc3\x9f \xc5\x92uvre \xc5\x81\xc3\xb3"
               "d\xc5\xba",
               "aesir-ss-oeuvre-lodz");
    check_slug("\xe6\x97\xa5\xe6\x9c\xac", "");
    check_slug("team_health-check.v2", "team-health-check-v2");
}

int
main(void)
{
    OB_RUN(test_utf8);
    OB_RUN(test_positions);
    OB_RUN(test_suggest);
    OB_RUN(test_buf);
    OB_RUN(test_escaping);
    OB_RUN(test_slugs);
    return OB_TEST_DONE();
}
