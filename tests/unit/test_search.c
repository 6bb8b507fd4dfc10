/* test_search.c: the search index: terms, postings, bytes of the script. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/buf.h"
#include "opsbook/search.h"
#include "runner.h"

/* The script for an index, in a static buffer the next call reuses. */
static const char *
script(const struct ob_search *s)
{
    static struct ob_buf b = OB_BUF_INIT;

    ob_buf_reset(&b);
    ob_search_write_js(s, &b);
    return b.ptr;
}

/* The raw (still escaped) value of the string field `name`. */
static const char *
field(const char *js, const char *name)
{
    static char out[1 << 16];
    char key[64];
    const char *p, *end;

    snprintf(key, sizeof key, "\"%s\":\"", name);
    p = strstr(js, key);
    if (!p)
        return "(missing)";
    p += strlen(key);
    for (end = p; *end && *end != '"'; end++)
        if (*end == '\\')
            end++;
    if ((size_t)(end - p) >= sizeof out)
        return "(too long)";
    memcpy(out, p, (size_t)(end - p));
    out[end - p] = '\0';
    return out;
}

static void
add_text(struct ob_search *s, size_t page, const char *text)
{
    ob_search_add_body(s, page, text, strlen(text), NULL);
}

static void
add_heading(struct ob_search *s, size_t page, const char *text,
            const char *anchor)
{
    ob_search_add_heading(s, page, text, strlen(text), anchor);
}

/* The index of `term` among the ' '-separated terms, or -1. */
static int
term_index(const char *js, const char *term)
{
    const char *terms = field(js, "terms"), *p = terms;
    size_t len = strlen(term);
    int i = 0;

    while (*p) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == len && memcmp(p, term, len) == 0)
            return i;
        if (!e)
            break;
        p = e + 1;
        i++;
    }
    return -1;
}

static uint64_t
read_num(const char **p)
{
    static const char digits[] = OB_SEARCH_DIGITS;
    uint64_t acc = 0;

    for (;;) {
        const char *d = strchr(digits, **p);
        size_t v = d && **p ? (size_t)(d - digits) : 0;
        (*p)++;
        if (v < 64)
            return acc * 64 + v;
        acc = acc * 27 + (v - 64);
    }
}

/* A term's postings decoded as "page:flags[h,h]" joined by spaces. */
static const char *
postings(const char *js, const char *term)
{
    static char out[4096];
    char post[1 << 16];
    const char *p;
    size_t len = 0, skip;
    int want = term_index(js, term);
    long long page = -1;

    if (want < 0)
        return "(no term)";
    snprintf(post, sizeof post, "%s", field(js, "post"));
    p = post;
    for (skip = 0; skip < (size_t)want; skip++)
        p = strchr(p, ' ') + 1;
    out[0] = '\0';
    while (*p && *p != ' ') {
        uint64_t v = read_num(&p), nh, h;
        page += (long long)(v / 8) + 1;
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%lld:%u",
                                len ? " " : "", page, (unsigned)(v % 8));
        if (!(v & 2))
            continue;
        nh = read_num(&p) + 1;
        h = read_num(&p);
        len +=
            (size_t)snprintf(out + len, sizeof out - len, "[%u", (unsigned)h);
        while (--nh) {
            h += read_num(&p) + 1;
            len += (size_t)snprintf(out + len, sizeof out - len, ",%u",
                                    (unsigned)h);
        }
        len += (size_t)snprintf(out + len, sizeof out - len, "]");
    }
    return out;
}

static void
test_empty(void)
{
    struct ob_search *s = ob_search_new();

    OB_CHECK_STR(script(s), "window.OPSBOOK_SEARCH = {\"v\":1,\n"
                            "\"sections\":[],\n"
                            "\"heads\":[],\n"
                            "\"pages\":[\n"
                            "],\n"
                            "\"terms\":\"\",\n"
                            "\"post\":\"\"};\n");
    ob_search_free(s);
    ob_search_free(NULL);
}

/* Lowercase, accents folded as slugs fold them, split on anything else;
 * digits are terms; other scripts lowercased where it is one step. */
static void
test_terms(void)
{
    struct ob_search *s = ob_search_new();
    size_t p = ob_search_add_page(s, "a.html", "Révision", "", "");

    OB_CHECK_INT(p, 0);
    add_text(s, p,
             "Roll-out v1.2, 2024! ÆSIR Straße na\xc3\xafve "
             "Cafe\xcc\x81 co\xc2\xadop ΆΛΦΑ Ёлка 東京 ＡＢ１");
    OB_CHECK_STR(field(script(s), "terms"),
                 "2 2024 ab1 aesir cafe coop naive out revision roll strasse v1"
                 " \xce\xb1\xce\xbb\xcf\x86\xce\xb1" /* αλφα */
                 " \xd0\xb5\xd0\xbb\xd0\xba\xd0\xb0" /* елка */
                 " \xe4\xba\xac \xe6\x9d\xb1");      /* 京 東 */
    ob_search_free(s);
}

/* Long words keep their first OB_SEARCH_TERM_MAX code points; invalid
 * UTF-8 splits and does not crash. */
static void
test_term_edges(void)
{
    struct ob_search *s = ob_search_new();
    size_t p = ob_search_add_page(s, "a.html", "", "", "");
    char want[OB_SEARCH_TERM_MAX + 1];

    add_text(s, p,
             "abcdefghijklmnopqrstuvwxyzabcdefghijklmnop "
             "x\xff"
             "y\xe2\x82 z\xc3");
    memcpy(want, "abcdefghijklmnopqrstuvwxyzabcdef", OB_SEARCH_TERM_MAX);
    want[OB_SEARCH_TERM_MAX] = '\0';
    OB_CHECK(term_index(script(s), want) == 0);
    OB_CHECK_STR(field(script(s), "terms"),
                 "abcdefghijklmnopqrstuvwxyzabcdef x y z");
    ob_search_free(s);
}

/* UTF-16 order, as JavaScript compares: U+20000 (a surrogate pair)
 * before U+F900, although its UTF-8 bytes sort after. */
static void
test_term_order(void)
{
    struct ob_search *s = ob_search_new();
    size_t p = ob_search_add_page(s, "a.html", "", "", "");
    const char *terms;

    add_text(s, p,
             "\xef\xa4\x80 \xf0\xa0\x80\x80 zeta alpha al alphabet "
             "b 10 9 \xc3\xa9t\xc3\xa9");
    terms = field(script(s), "terms");
    OB_CHECK_STR(terms, "10 9 al alpha alphabet b ete zeta "
                        "\xf0\xa0\x80\x80 \xef\xa4\x80");
    ob_search_free(s);
}

/* Where a term is: 1 title, 2 headings (listed), 4 three times or more in
 * the body; pages by number. */
static void
test_postings(void)
{
    struct ob_search *s = ob_search_new();
    const char *js;

    ob_search_add_page(s, "a.html", "Release checklist", "Ops", "");
    add_heading(s, 0, "Roll-out", "roll-out");
    add_text(s, 0, "The roll-out follows the release. Release release.");
    add_heading(s, 0, "Rollback after the roll-out", "rollback");
    ob_search_add_page(s, "b.html", "Other", "Ops", "No release here.");
    ob_search_add_page(s, "c.html", "Third", "", "");
    add_heading(s, 2, "Release", "release");
    js = script(s);
    OB_CHECK_STR(postings(js, "release"), "0:5 1:0 2:2[0]");
    OB_CHECK_STR(postings(js, "roll"), "0:2[0,1]");
    OB_CHECK_STR(postings(js, "out"), "0:2[0,1]");
    OB_CHECK_STR(postings(js, "checklist"), "0:1");
    OB_CHECK_STR(postings(js, "the"), "0:2[1]");
    OB_CHECK_STR(postings(js, "here"), "1:0");
    OB_CHECK(strstr(js, "\"sections\":[\"Ops\",\"\"]") != NULL);
    OB_CHECK(strstr(js, "\"heads\":[\"Roll-out\",\"roll-out\","
                        "\"Rollback after the roll-out\",\"rollback\","
                        "\"Release\",\"release\"]") != NULL);
    OB_CHECK(strstr(js, "[\"a.html\",\"Release checklist\",0,\"\",[0,1]],\n"
                        "[\"b.html\",\"Other\",0,\"No release here.\",[]],\n"
                        "[\"c.html\",\"Third\",1,\"\",[2]]\n") != NULL);
    ob_search_free(s);
}

/* Page gaps of 64 and more take continuation digits. */
static void
test_big_gaps(void)
{
    struct ob_search *s = ob_search_new();
    char url[32];
    size_t i;

    for (i = 0; i < 3000; i++) {
        snprintf(url, sizeof url, "p%zu.html", i);
        ob_search_add_page(s, url, "", "", "");
        add_text(s, i, i % 1000 == 999 || i == 7 ? "rare" : "common");
    }
    OB_CHECK_STR(postings(script(s), "rare"), "7:0 999:0 1999:0 2999:0");
    ob_search_free(s);
}

/* Headings shared by pages are written once. */
static void
test_shared_headings(void)
{
    struct ob_search *s = ob_search_new();
    const char *js;

    ob_search_add_page(s, "a.html", "A", "", "");
    add_heading(s, 0, "Risks", "risks");
    ob_search_add_page(s, "b.html", "B", "", "");
    add_heading(s, 1, "Owners", "owners");
    add_heading(s, 1, "Risks", "risks");
    add_heading(s, 1, "Risks", "risks-1");
    js = script(s);
    OB_CHECK(strstr(js, "\"heads\":[\"Risks\",\"risks\",\"Owners\",\"owners\","
                        "\"Risks\",\"risks-1\"]") != NULL);
    OB_CHECK(strstr(js, "[\"b.html\",\"B\",0,\"\",[1,0,2]]") != NULL);
    OB_CHECK_STR(postings(js, "risks"), "0:2[0] 1:2[1,2]");
    ob_search_free(s);
}

/* Quotes, backslashes, control characters and "</script>" cannot end the
 * string or the script; U+2028 is escaped for older engines. */
static void
test_escaping(void)
{
    struct ob_search *s = ob_search_new();
    const char *js;

    ob_search_add_page(s, "a \"b\".html", "Say \"hi\" \\ </script><!--",
                       "S\xe2\x80\xa8", "tab\there\n</SCRIPT>");
    add_heading(s, 0, "</script>", "x\"y");
    add_text(s, 0, "</script><script>alert(1)</script>");
    js = script(s);
    OB_CHECK(strstr(js, "</") == NULL);
    OB_CHECK(strstr(js, "<!") == NULL);
    OB_CHECK(strstr(js, "\"sections\":[\"S\\u2028\"]") != NULL);
    OB_CHECK(strstr(js,
                    "[\"a \\\"b\\\".html\","
                    "\"Say \\\"hi\\\" \\\\ \\u003c/script>\\u003c!--\",0,"
                    "\"tab\\u0009here\\u000a\\u003c/SCRIPT>\",[0]]") != NULL);
    OB_CHECK(strstr(js, "\"heads\":[\"\\u003c/script>\",\"x\\\"y\"]") != NULL);
    OB_CHECK(term_index(js, "script") >= 0);
    OB_CHECK(term_index(js, "alert") >= 0);
    ob_search_free(s);
}

/* Same pages in the same order: same bytes, with text arriving in
 * another order merged into the same postings. */
static void
test_deterministic(void)
{
    struct ob_buf a = OB_BUF_INIT, b = OB_BUF_INIT;
    int round;

    for (round = 0; round < 2; round++) {
        struct ob_search *s = ob_search_new();
        size_t i;
        for (i = 0; i < 50; i++) {
            char url[32], body[128];
            snprintf(url, sizeof url, "s%zu/p%zu.html", i % 3, i);
            snprintf(body, sizeof body, "word%zu shared w%zu é%zu", i % 7,
                     i % 13, i % 5);
            ob_search_add_page(s, url, "Title", i % 2 ? "Odd" : "Even",
                               "Summary");
            add_heading(s, i, "Heading", "heading");
            add_text(s, i, body);
        }
        ob_search_write_js(s, round ? &b : &a);
        ob_search_free(s);
    }
    OB_CHECK_INT(a.len, b.len);
    OB_CHECK(a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0);
    ob_buf_release(&a);
    ob_buf_release(&b);
}

static void
test_out_of_order(void)
{
    struct ob_search *s = ob_search_new();
    const char *js;

    ob_search_add_page(s, "a.html", "Alpha", "", "");
    ob_search_add_page(s, "b.html", "Beta", "", "");
    add_text(s, 1, "shared beta");
    add_text(s, 0, "shared alpha");
    add_text(s, 1, "shared");
    add_text(s, 0, "shared shared");
    add_heading(s, 0, "Shared", "shared");
    js = script(s);
    OB_CHECK_STR(postings(js, "shared"), "0:6[0] 1:0");
    OB_CHECK_STR(postings(js, "alpha"), "0:1");
    ob_search_free(s);
}

/* A long page keeps its most frequent body terms, and every title and
 * heading term; a page with few terms loses none. */
static void
test_body_cap(void)
{
    struct ob_search *s = ob_search_new();
    struct ob_buf text = OB_BUF_INIT;
    const char *js;
    char last[16], next[16], end[16], short_text[32];
    int i, k = OB_SEARCH_BODY_TERMS;

    ob_search_add_page(s, "long.html", "Zebra", "", "");
    add_heading(s, 0, "Yak", "yak");
    for (i = 0; i < 2 * k; i++)
        ob_buf_printf(&text, "u%d ", i);
    ob_buf_puts(&text, "often often yak zebra later later");
    add_text(s, 0, text.ptr);
    snprintf(last, sizeof last, "u%d", k - 3);
    snprintf(next, sizeof next, "u%d", k - 2);
    snprintf(end, sizeof end, "u%d", 2 * k - 1);
    snprintf(short_text, sizeof short_text, "%s %s", end, next);
    ob_search_add_page(s, "short.html", "Short", "", "");
    add_text(s, 1, short_text);
    js = script(s);
    OB_CHECK_STR(postings(js, "often"), "0:0");
    OB_CHECK_STR(postings(js, "later"), "0:0");
    OB_CHECK_STR(postings(js, "zebra"), "0:1");
    OB_CHECK_STR(postings(js, "yak"), "0:2[0]");
    OB_CHECK_STR(postings(js, "u0"), "0:0");
    /* Kept: "often", "later", then u0, u1, ... in order. */
    OB_CHECK_STR(postings(js, last), "0:0");
    OB_CHECK_STR(postings(js, next), "1:0");
    OB_CHECK_STR(postings(js, end), "1:0");
    ob_buf_release(&text);
    ob_search_free(s);
}

/* The cap also holds for the last page, and for a page whose text came
 * in two runs (then the earliest terms win among equals). */
static void
test_body_cap_at_write(void)
{
    struct ob_search *s = ob_search_new();
    struct ob_buf text = OB_BUF_INIT;
    const char *js;
    int i, k = OB_SEARCH_BODY_TERMS;

    ob_search_add_page(s, "a.html", "A", "", "");
    ob_search_add_page(s, "b.html", "B", "", "");
    for (i = 0; i < k - 10; i++)
        ob_buf_printf(&text, "a%d ", i);
    add_text(s, 0, text.ptr);
    add_text(s, 1, "x a0");
    ob_buf_reset(&text);
    for (i = 0; i < 20; i++)
        ob_buf_printf(&text, "b%d ", i);
    add_text(s, 0, text.ptr);
    ob_search_add_page(s, "c.html", "C", "", "");
    ob_buf_reset(&text);
    for (i = 0; i < k + 5; i++)
        ob_buf_printf(&text, "c%d ", i);
    add_text(s, 2, text.ptr);
    js = script(s);
    OB_CHECK_STR(postings(js, "a0"), "0:0 1:0");
    OB_CHECK_STR(postings(js, "b9"), "0:0");
    OB_CHECK_STR(postings(js, "b10"), "(no term)");
    OB_CHECK_STR(postings(js, "x"), "1:0");
    OB_CHECK_STR(postings(js, "c0"), "2:0");
    ob_buf_reset(&text);
    ob_buf_printf(&text, "c%d", k - 1);
    OB_CHECK_STR(postings(js, text.ptr), "2:0");
    ob_buf_reset(&text);
    ob_buf_printf(&text, "c%d", k);
    OB_CHECK_STR(postings(js, text.ptr), "(no term)");
    ob_buf_release(&text);
    ob_search_free(s);
}

/* The summary is cut at a word end, with an ellipsis; it is searched. */
static void
test_summary(void)
{
    struct ob_search *s = ob_search_new();
    struct ob_buf text = OB_BUF_INIT;
    const char *js, *p;
    size_t i;

    for (i = 0; i < 60; i++)
        ob_buf_puts(&text, "word\xc3\xa9 ");
    ob_search_add_page(s, "a.html", "A", "", text.ptr);
    js = script(s);
    p = strstr(js, "\"a.html\",\"A\",0,\"");
    OB_CHECK(p != NULL);
    if (p) {
        const char *end = strstr(p, "\xe2\x80\xa6\",[]]");
        p += strlen("\"a.html\",\"A\",0,\"");
        OB_CHECK(end != NULL);
        OB_CHECK(end && (size_t)(end - p) <= OB_SEARCH_SUMMARY);
        OB_CHECK(end && (size_t)(end - p) > OB_SEARCH_SUMMARY - 10);
        OB_CHECK(end && memcmp(end - 6, "word\xc3\xa9", 6) == 0);
    }
    OB_CHECK_STR(postings(js, "worde"), "0:4");
    ob_buf_release(&text);
    ob_search_free(s);
}

int
main(void)
{
    OB_RUN(test_empty);
    OB_RUN(test_terms);
    OB_RUN(test_term_edges);
    OB_RUN(test_term_order);
    OB_RUN(test_postings);
    OB_RUN(test_big_gaps);
    OB_RUN(test_shared_headings);
    OB_RUN(test_escaping);
    OB_RUN(test_deterministic);
    OB_RUN(test_out_of_order);
    OB_RUN(test_body_cap);
    OB_RUN(test_body_cap_at_write);
    OB_RUN(test_summary);
    return OB_TEST_DONE();
}
