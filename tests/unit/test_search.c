/* test_search.c: the search index: terms, postings, bytes of the script. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsbook/buf.h"
#include "opsbook/cache.h"
#include "opsbook/hash.h"
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
/* A string as the script escapes it, a byte at a time. */
static void
escape_slowly(struct ob_buf *b, const char *s, size_t len)
{
    size_t i;

    ob_buf_putc(b, '"');
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xe2 && i + 2 < len && s[i + 1] == '\x80' &&
            (s[i + 2] == '\xa8' || s[i + 2] == '\xa9')) {
            ob_buf_puts(b, s[i + 2] == '\xa8' ? "\\u2028" : "\\u2029");
            i += 2;
        } else if (c == '"' || c == '\\') {
            ob_buf_putc(b, '\\');
            ob_buf_putc(b, (char)c);
        } else if (c < 0x20 || c == '<' || c == 0x7f) {
            ob_buf_printf(b, "\\u%04x", c);
        } else {
            ob_buf_putc(b, (char)c);
        }
    }
    ob_buf_putc(b, '"');
}

static struct ob_search *reload(struct ob_search *s);

/* Strings of every length up to 70 with bytes to escape anywhere (the
 * scan takes 16 or 8 bytes at a time, and the last ones overlapping), in
 * pages added or loaded from a cache. */
static void
test_escaping_anywhere(void)
{
    static const char *const bits[] = {
        "a",
        "Z",
        "\"",
        "<",
        "\\",
        "\x01",
        "\x1f",
        "\x7f",
        " ",
        "~",
        "\xc3\xa9",
        "\xe2\x80\xa8",
        "\xe2\x80\xa9",
        "\xe2\x82\xac",
        "\xe2\x80",
        "\xe2",
    };
    struct ob_buf text = OB_BUF_INIT, want = OB_BUF_INIT;
    uint64_t x = 5;
    size_t len, round, bad = 0;

    for (len = 0; len <= 70; len++) {
        for (round = 0; round < 12; round++) {
            struct ob_search *s = ob_search_new();
            ob_buf_reset(&text);
            while (text.len < len) {
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                /* mostly plain, the rest anything */
                ob_buf_puts(&text, (x >> 33) % 8 ? "x" : bits[(x >> 40) % 16]);
            }
            ob_search_add_page(s, "a.html", text.ptr, "", text.ptr);
            ob_buf_reset(&want);
            ob_buf_puts(&want, "[\"a.html\",");
            escape_slowly(&want, text.ptr, text.len);
            ob_buf_puts(&want, ",0,");
            escape_slowly(&want, text.ptr, text.len);
            ob_buf_puts(&want, ",[]]");
            bad += strstr(script(s), want.ptr) == NULL;
            if (round % 3 == 0) { /* and loaded from a cache */
                s = reload(s);
                bad += strstr(script(s), want.ptr) == NULL;
            }
            ob_search_free(s);
        }
    }
    OB_CHECK_INT(bad, 0);
    ob_buf_release(&text);
    ob_buf_release(&want);
}

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

/* ---- saving, loading, restarting ------------------------------------- */

static uint64_t
next_rand(uint64_t *x)
{
    *x = *x * 6364136223846793005ull + 1442695040888963407ull;
    return *x >> 33;
}

static const char *const words[] = {
    "release",      "billing",
    "roll",         "out",
    "owner",        "risk",
    "the",          "of",
    "invoice",      "r\xc3\xa9vision",
    "plan",         "q3",
    "\xe6\x9d\xb1", "\xce\xb1\xce\xbb\xcf\x86\xce\xb1",
    "2024",         "zeta",
    "\xef\xa4\x80", "\xf0\xa0\x80\x80",
    "budget",       "kpi",
};
#define N_WORDS (sizeof(words) / sizeof(words[0]))

static const char *const sections[] = {"", "Billing", "Ops", "Zeta", "Alpha"};
static const char *const heads[] = {"Risks", "Owners", "Roll-out",
                                    "Budget plan", "Next steps"};

/* A random word into b: a common one, or one only this version of this
 * page has, which disappears with it. */
static void
put_word(struct ob_buf *b, uint64_t *x, size_t page, unsigned v)
{
    uint64_t r = next_rand(x) % 16;

    if (r < 11)
        ob_buf_puts(b, words[next_rand(x) % (r < 6 ? 6 : N_WORDS)]);
    else if (r < 14)
        ob_buf_printf(b, "w%u", (unsigned)(next_rand(x) % 300));
    else
        ob_buf_printf(b, "only%zux%u", page, v);
    ob_buf_putc(b, ' ');
}

/*
 * Page `page` as of version v (0 is none: an empty page), added or
 * restarted: title, section, summary, headings and body all vary with the
 * version. Some versions have more body terms than OB_SEARCH_BODY_TERMS or
 * more headings than OB_SEARCH_HEADINGS.
 */
static void
put_page(struct ob_search *s, size_t page, unsigned v, bool restart)
{
    struct ob_buf b = OB_BUF_INIT, t = OB_BUF_INIT, sum = OB_BUF_INIT;
    uint64_t x = page * 7919 + v * 104729 + 1;
    char url[32], anchor[32];
    const char *section;
    size_t i, n, k;

    next_rand(&x);
    snprintf(url, sizeof url, "p%zu.html", page);
    section = v ? sections[next_rand(&x) % 5] : "";
    for (i = 0; v && i < 1 + next_rand(&x) % 3; i++)
        put_word(&t, &x, page, v);
    for (i = 0; v && i < next_rand(&x) % 4 * 20; i++)
        put_word(&sum, &x, page, v);
    if (restart)
        ob_search_restart_page(s, page, url, t.ptr, section, sum.ptr);
    else
        OB_CHECK_INT(ob_search_add_page(s, url, t.ptr, section, sum.ptr), page);
    n = !v ? 0 : v % 5 == 4 ? OB_SEARCH_HEADINGS + 7 : next_rand(&x) % 6;
    for (k = 0; k < n; k++) {
        ob_buf_reset(&b);
        ob_buf_puts(&b, heads[next_rand(&x) % 5]);
        snprintf(anchor, sizeof anchor, "h%u", (unsigned)(next_rand(&x) % 3));
        if (next_rand(&x) % 4 == 0)
            put_word(&b, &x, page, v);
        ob_search_add_heading(s, page, b.ptr, b.len, anchor);
        ob_buf_reset(&b);
        for (i = 0; i < next_rand(&x) % 12; i++)
            put_word(&b, &x, page, v);
        ob_search_add_body(s, page, b.ptr, b.len, anchor);
    }
    ob_buf_reset(&b);
    if (v && v % 3 == 2)
        for (i = 0; i < OB_SEARCH_BODY_TERMS + 50; i++)
            ob_buf_printf(&b, "u%zu ", (page + v + i) % 700);
    for (i = 0; v && i < next_rand(&x) % 40; i++)
        put_word(&b, &x, page, v);
    ob_search_add_body(s, page, b.ptr, b.len, NULL);
    ob_buf_release(&b);
    ob_buf_release(&t);
    ob_buf_release(&sum);
}

static struct ob_search *
build(const unsigned *vers, size_t n)
{
    struct ob_search *s = ob_search_new();
    size_t i;

    for (i = 0; i < n; i++)
        put_page(s, i, vers[i], false);
    return s;
}

static void
write_to(const struct ob_search *s, struct ob_buf *b)
{
    ob_buf_reset(b);
    ob_search_write_js(s, b);
}

/* Whether s writes the same script as a fresh build of vers. */
static bool
same_as_fresh(const struct ob_search *s, const unsigned *vers, size_t n)
{
    struct ob_buf a = OB_BUF_INIT, b = OB_BUF_INIT;
    struct ob_search *fresh = build(vers, n);
    bool same;

    write_to(s, &a);
    write_to(fresh, &b);
    same = a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
    if (!same) {
        size_t i = 0;
        while (i < a.len && i < b.len && a.ptr[i] == b.ptr[i])
            i++;
        fprintf(stderr, "differ at %zu:\n  got: %.80s\n want: %.80s\n", i,
                a.ptr + (i > 20 ? i - 20 : 0), b.ptr + (i > 20 ? i - 20 : 0));
    }
    ob_search_free(fresh);
    ob_buf_release(&a);
    ob_buf_release(&b);
    return same;
}

/* The index saved and loaded again (s is freed). */
static struct ob_search *
reload(struct ob_search *s)
{
    struct ob_buf b = OB_BUF_INIT;
    struct ob_cache_reader r;
    struct ob_search *t;

    ob_search_save(s, &b);
    ob_search_free(s);
    r = (struct ob_cache_reader){b.ptr, b.ptr + b.len, false};
    t = ob_search_load(&r);
    OB_CHECK(t != NULL);
    OB_CHECK(ob_cache_done(&r));
    ob_buf_release(&b);
    return t;
}

/* Restarts the pages whose version changed from `from` to `to`. */
static void
restart_changed(struct ob_search *s, const unsigned *from, const unsigned *to,
                size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (from[i] != to[i])
            put_page(s, i, to[i], true);
}

/* Saved and loaded, an index writes the same bytes. */
static void
test_save_load(void)
{
    unsigned vers[40];
    struct ob_buf a = OB_BUF_INIT, b = OB_BUF_INIT;
    struct ob_search *s;
    size_t i;

    for (i = 0; i < 40; i++)
        vers[i] = (unsigned)(i % 9);
    s = build(vers, 40);
    write_to(s, &a);
    s = reload(s);
    write_to(s, &b);
    OB_CHECK(a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0);
    s = reload(s); /* twice: what a load saves loads again */
    write_to(s, &b);
    OB_CHECK(a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0);
    ob_buf_reset(&a);
    ob_buf_reset(&b);
    ob_search_save(s, &a);
    s = reload(s); /* and saves the same records, unchanged */
    ob_search_save(s, &b);
    OB_CHECK(a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0);
    ob_search_free(s);
    s = reload(ob_search_new());
    OB_CHECK(same_as_fresh(s, vers, 0));
    ob_search_free(s);
    ob_buf_release(&a);
    ob_buf_release(&b);
}

/* Restarting the changed pages of a loaded index gives the script of a
 * fresh build, generation after generation (terms come and go, sections
 * and headings change, long pages are capped), and so does restarting
 * pages of an index built here. */
static void
test_restart(void)
{
    enum { N = 30, GENS = 12 };
    unsigned vers[GENS][N];
    struct ob_search *s, *here;
    uint64_t x = 42;
    size_t g, i;

    for (g = 0; g < GENS; g++)
        for (i = 0; i < N; i++)
            vers[g][i] = !g || next_rand(&x) % 4
                             ? (g ? vers[g - 1][i] : (unsigned)(i % 7 + 1))
                             : (unsigned)(g * 10 + next_rand(&x) % 10);
    for (i = 0; i < N; i++)
        vers[3][i] = vers[2][i] + 1; /* every page */
    vers[5][0] = 0;
    vers[5][N - 1] = 0; /* empty pages */
    s = build(vers[0], N);
    for (g = 1; g < GENS; g++) {
        s = reload(s);
        restart_changed(s, vers[g - 1], vers[g], N);
        OB_CHECK(same_as_fresh(s, vers[g], N));
        here = build(vers[g - 1], N);
        restart_changed(here, vers[g - 1], vers[g], N);
        OB_CHECK(same_as_fresh(here, vers[g], N));
        ob_search_free(here);
    }
    s = reload(s);
    OB_CHECK(same_as_fresh(s, vers[GENS - 1], N));
    ob_search_free(s);
}

/* Restarting a page twice, or with the same text, or the first and last
 * pages, or every one in reverse; pages added after loading; text for a
 * loaded page not restarted is ignored. */
static void
test_restart_edges(void)
{
    enum { N = 12 };
    unsigned a[N], b[N];
    struct ob_search *s;
    size_t i;

    for (i = 0; i < N; i++) {
        a[i] = (unsigned)(i + 1);
        b[i] = (unsigned)(i % 3 ? i + 1 : i + 20);
    }
    s = reload(build(a, N));
    put_page(s, 3, 99, true);
    put_page(s, 3, b[3], true);
    put_page(s, 0, b[0], true);
    put_page(s, N - 1, b[N - 1], true);
    put_page(s, 5, b[5], true);
    restart_changed(s, a, b, N);
    ob_search_add_body(s, 1, "ignored", 7, NULL);
    ob_search_add_heading(s, 1, "Ignored", 7, "ignored");
    ob_search_restart_page(s, N, "x.html", "X", "", ""); /* no such page */
    OB_CHECK(same_as_fresh(s, b, N));
    ob_search_free(s);

    s = reload(build(a, N));
    for (i = N; i-- > 0;)
        put_page(s, i, b[i], true);
    OB_CHECK(same_as_fresh(s, b, N));
    ob_search_free(s);

    s = reload(build(a, N - 3));
    restart_changed(s, a, b, N - 3);
    for (i = N - 3; i < N; i++)
        put_page(s, i, b[i], false);
    OB_CHECK(same_as_fresh(s, b, N));
    s = reload(s);
    OB_CHECK(same_as_fresh(s, b, N));
    ob_search_free(s);
}

/* Sections and headings are numbered by first use as a fresh build does:
 * a restart can drop one, add one or change their order. */
static void
test_restart_numbering(void)
{
    struct ob_search *s = ob_search_new(), *fresh = ob_search_new();
    struct ob_buf a = OB_BUF_INIT, b = OB_BUF_INIT;
    const char *js;

    ob_search_add_page(s, "a.html", "A", "Ops", "");
    add_heading(s, 0, "Risks", "risks");
    add_text(s, 0, "gone");
    ob_search_add_page(s, "b.html", "B", "Billing", "");
    add_heading(s, 1, "Owners", "owners");
    add_heading(s, 1, "Risks", "risks");
    s = reload(s);
    ob_search_restart_page(s, 0, "a.html", "A", "Billing", "");
    add_heading(s, 0, "Owners", "owners");
    add_heading(s, 0, "Owners", "owners");
    add_text(s, 0, "kept");
    js = script(s);
    OB_CHECK(strstr(js, "\"sections\":[\"Billing\"]") != NULL);
    OB_CHECK(strstr(js, "\"heads\":[\"Owners\",\"owners\",\"Risks\","
                        "\"risks\"]") != NULL);
    OB_CHECK(strstr(js, "[\"a.html\",\"A\",0,\"\",[0,0]],\n"
                        "[\"b.html\",\"B\",0,\"\",[0,1]]\n") != NULL);
    OB_CHECK_STR(postings(js, "gone"), "(no term)");
    OB_CHECK_STR(postings(js, "kept"), "0:0");
    OB_CHECK_STR(postings(js, "owners"), "0:2[0,1] 1:2[0]");
    OB_CHECK_STR(postings(js, "risks"), "1:2[1]");
    ob_search_add_page(fresh, "a.html", "A", "Billing", "");
    add_heading(fresh, 0, "Owners", "owners");
    add_heading(fresh, 0, "Owners", "owners");
    add_text(fresh, 0, "kept");
    ob_search_add_page(fresh, "b.html", "B", "Billing", "");
    add_heading(fresh, 1, "Owners", "owners");
    add_heading(fresh, 1, "Risks", "risks");
    write_to(s, &a);
    write_to(fresh, &b);
    OB_CHECK_STR(a.ptr, b.ptr);
    ob_search_free(s);
    ob_search_free(fresh);
    ob_buf_release(&a);
    ob_buf_release(&b);
}

/* Enough pages that common terms have checkpoints (one every 32 postings
 * or so): restarting pages anywhere (the first, the last, runs of them,
 * most of them), generation after generation, and adding pages at the end
 * give a fresh build's script, so long lists stay right where they are
 * copied and where they are decoded. */
static void
test_restart_long(void)
{
    enum { N = 300, GENS = 14 };
    static unsigned vers[GENS][N];
    size_t n[GENS], g, i;
    struct ob_search *s;
    uint64_t x = 99;

    for (g = 0; g < GENS; g++) {
        n[g] = g < 5 ? N - 40 : g < 9 ? N - 10 : N;
        for (i = 0; i < N; i++) {
            unsigned keep = g ? vers[g - 1][i] : (unsigned)(i % 11 + 1);
            bool change = g && next_rand(&x) % 50 == 0;
            if (g == 3 && (i < 3 || i + 3 >= n[g]))
                change = true; /* the ends */
            if (g == 6 && i >= 100 && i < 180)
                change = true; /* a run across checkpoints */
            if (g == 10)
                change = next_rand(&x) % 4 != 0; /* most pages */
            vers[g][i] =
                change ? (unsigned)(g * 10 + next_rand(&x) % 10) : keep;
        }
    }
    s = build(vers[0], n[0]);
    for (g = 1; g < GENS; g++) {
        s = reload(s);
        restart_changed(s, vers[g - 1], vers[g], n[g - 1]);
        for (i = n[g - 1]; i < n[g]; i++)
            put_page(s, i, vers[g][i], false);
        OB_CHECK(same_as_fresh(s, vers[g], n[g]));
    }
    ob_search_free(s);
}

/* Whether a and b hold the same bytes. */
static bool
same_bytes(const struct ob_buf *a, const struct ob_buf *b)
{
    return a->len == b->len && memcmp(a->ptr, b->ptr, a->len) == 0;
}

/* ob_search_write_js() and ob_search_save() share what they work out:
 * either first, the bytes are those of each alone; a change in between
 * (a page added, text added, a page restarted) is seen by the next. */
static void
test_write_and_save(void)
{
    enum { N = 90 };
    unsigned vers[N], next[N];
    struct ob_buf js = OB_BUF_INIT, js2 = OB_BUF_INIT, c = OB_BUF_INIT,
                  c2 = OB_BUF_INIT;
    struct ob_search *a, *b;
    size_t i, round;

    for (i = 0; i < N; i++)
        vers[i] = (unsigned)(i % 13 + 1);
    for (round = 0; round < 2; round++) {
        /* round 0: built here; round 1: loaded, pages restarted */
        for (i = 0; i < N; i++)
            next[i] = i % 7 || !round ? vers[i] : vers[i] + 30;
        a = build(vers, N);
        b = build(vers, N);
        if (round) {
            a = reload(a);
            b = reload(b);
            restart_changed(a, vers, next, N);
            restart_changed(b, vers, next, N);
        }
        write_to(a, &js);
        ob_buf_reset(&c);
        ob_search_save(a, &c); /* after write_js */
        ob_buf_reset(&c2);
        ob_search_save(b, &c2); /* first */
        write_to(b, &js2);
        OB_CHECK(same_bytes(&js, &js2));
        OB_CHECK(same_bytes(&c, &c2));
        write_to(b, &js2); /* again */
        OB_CHECK(same_bytes(&js, &js2));
        OB_CHECK(same_as_fresh(a, next, N));

        /* Changes after writing are written. */
        put_page(a, 5, 77, true);
        next[5] = 77;
        OB_CHECK(same_as_fresh(a, next, N));
        put_page(a, N - 1, 78, true);
        next[N - 1] = 78;
        write_to(a, &js);
        OB_CHECK(same_as_fresh(a, next, N));
        ob_search_add_page(a, "extra.html", "Extra", "", "");
        OB_CHECK(strstr(script(a), "extra.html") != NULL);
        add_text(a, N, "zzyzx");
        OB_CHECK_STR(postings(script(a), "zzyzx"), "90:0");
        ob_search_add_heading(a, N, "Quokka", 6, "quokka");
        OB_CHECK_STR(postings(script(a), "quokka"), "90:2[0]");
        ob_buf_reset(&c);
        ob_search_save(a, &c); /* what the load of which writes the same */
        write_to(a, &js);
        ob_search_free(a);
        {
            struct ob_cache_reader r = {c.ptr, c.ptr + c.len, false};
            a = ob_search_load(&r);
        }
        OB_CHECK(a != NULL);
        if (a) {
            write_to(a, &js2);
            OB_CHECK(same_bytes(&js, &js2));
        }
        ob_search_free(a);
        ob_search_free(b);
    }
    ob_buf_release(&js);
    ob_buf_release(&js2);
    ob_buf_release(&c);
    ob_buf_release(&c2);
}

/* Loaded as a build does: after ob_cache_begin(), from a file. */
static void
test_cache_file(void)
{
    char dir[] = "/tmp/opsbook-search-XXXXXX", path[64];
    unsigned vers[5] = {1, 2, 3, 4, 5};
    struct ob_buf b = OB_BUF_INIT;
    struct ob_cache_file file = OB_CACHE_FILE_INIT;
    struct ob_cache_reader r;
    struct ob_search *s = build(vers, 5), *t;
    FILE *f;

    if (!mkdtemp(dir)) {
        OB_CHECK(!"mkdtemp");
        return;
    }
    ob_cache_begin(&b, "search");
    ob_search_save(s, &b);
    ob_cache_put_u64(&b, 7); /* a record of the caller's after ours */
    snprintf(path, sizeof path, "%s/search", dir);
    f = fopen(path, "wb");
    OB_CHECK(f && fwrite(b.ptr, 1, b.len, f) == b.len);
    if (f)
        fclose(f);
    OB_CHECK(ob_cache_open(&r, &file, dir, "search", "search"));
    t = ob_search_load(&r);
    OB_CHECK(t && same_as_fresh(t, vers, 5));
    OB_CHECK_INT(ob_cache_get_u64(&r), 7);
    OB_CHECK(ob_cache_done(&r));
    unlink(path);
    rmdir(dir);
    ob_search_free(s);
    ob_search_free(t);
    ob_buf_release(&b);
    ob_cache_file_release(&file);
}

/* Whether the script's terms and postings, which go in as they are, hold
 * nothing that would need escaping. */
static bool
plain_terms(const char *js)
{
    const char *t = strstr(js, "],\n\"terms\":\"");
    const char *p = t ? strstr(t, "\",\n\"post\":\"") : NULL;
    const char *end = p ? strstr(p, "\"};\n") : NULL;

    if (!end || end[4])
        return false;
    t += strlen("],\n\"terms\":\"");
    for (; t < p; t++)
        if (strchr("\"\\<", *t) || (unsigned char)*t < 0x20)
            return false;
    for (p += strlen("\",\n\"post\":\""); p < end; p++)
        if (!strchr(OB_SEARCH_DIGITS " ", *p))
            return false;
    return true;
}

/* Loaded from a file's buffer, which the index takes: the same script;
 * what the reader points to stays readable; a failed load leaves the
 * buffer be. */
static void
test_load_file(void)
{
    unsigned vers[50];
    struct ob_buf bytes = OB_BUF_INIT, a = OB_BUF_INIT, b = OB_BUF_INIT;
    struct ob_cache_file file = OB_CACHE_FILE_INIT, again = OB_CACHE_FILE_INIT;
    struct ob_cache_reader r;
    struct ob_search *s, *t;
    size_t i, len;

    for (i = 0; i < 50; i++)
        vers[i] = (unsigned)(i % 9 + 1);
    s = build(vers, 50);
    ob_cache_put_u64(&bytes, 7); /* a record of the caller's before ours */
    ob_search_save(s, &bytes);
    ob_cache_put_u64(&bytes, 8); /* and after */
    write_to(s, &a);
    len = bytes.len;
    ob_cache_file_take(&file, &bytes);
    r = (struct ob_cache_reader){file.ptr, file.ptr + file.len, false};
    OB_CHECK_INT(ob_cache_get_u64(&r), 7);
    t = ob_search_load_file(&r, &file);
    OB_CHECK(t != NULL);
    OB_CHECK_INT(file.len, 0);
    OB_CHECK_INT(ob_cache_get_u64(&r), 8);
    OB_CHECK(ob_cache_done(&r));
    if (t) {
        write_to(t, &b);
        OB_CHECK(same_bytes(&a, &b));
        put_page(t, 7, 40, true); /* restarting still works */
        vers[7] = 40;
        OB_CHECK(same_as_fresh(t, vers, 50));
        ob_buf_reset(&b);
        ob_search_save(t, &b); /* and so does saving */
        ob_search_free(t);
        ob_cache_file_take(&again, &b);
        r = (struct ob_cache_reader){again.ptr, again.ptr + again.len, false};
        t = ob_search_load_file(&r, &again);
        OB_CHECK(t && same_as_fresh(t, vers, 50));
        ob_search_free(t);
    }

    /* Damaged: NULL, the buffer as it was */
    ob_search_save(s, &bytes);
    bytes.ptr[bytes.len / 2] ^= 1;
    ob_cache_file_take(&file, &bytes);
    r = (struct ob_cache_reader){file.ptr, file.ptr + file.len, false};
    OB_CHECK(ob_search_load_file(&r, &file) == NULL);
    OB_CHECK(r.bad);
    OB_CHECK(file.len > 0 && file.len == len - 16);
    /* A reader of other bytes: NULL */
    r = (struct ob_cache_reader){a.ptr, a.ptr + a.len, false};
    OB_CHECK(ob_search_load_file(&r, &file) == NULL);
    OB_CHECK(r.bad);
    ob_search_free(s);
    ob_cache_file_release(&file);
    ob_cache_file_release(&again);
    ob_buf_release(&bytes);
    ob_buf_release(&a);
    ob_buf_release(&b);
}

/* A loaded index nothing changed in is "unchanged" and saves the records
 * it was read from as they are: the bytes a save of the same pages makes.
 * A page restarted with the same text changes it, and the save worked out
 * anew gives those bytes too. */
static void
test_unchanged_save(void)
{
    unsigned vers[20];
    struct ob_buf a = OB_BUF_INIT, b = OB_BUF_INIT, copy = OB_BUF_INIT;
    struct ob_cache_file file = OB_CACHE_FILE_INIT;
    struct ob_cache_reader r;
    struct ob_search *s, *t;
    size_t i;

    for (i = 0; i < 20; i++)
        vers[i] = (unsigned)(i % 5 + 1);
    s = build(vers, 20);
    OB_CHECK(!ob_search_unchanged(s)); /* made, not loaded */
    ob_search_save(s, &a);
    ob_buf_add(&copy, a.ptr, a.len);
    ob_cache_file_take(&file, &copy);
    r = (struct ob_cache_reader){file.ptr, file.ptr + file.len, false};
    t = ob_search_load_file(&r, &file);
    OB_CHECK(t && ob_search_unchanged(t));
    if (t) {
        ob_search_save(t, &b);
        OB_CHECK(same_bytes(&a, &b));
        put_page(t, 3, vers[3], true);
        OB_CHECK(!ob_search_unchanged(t));
        ob_buf_reset(&b);
        ob_search_save(t, &b);
        OB_CHECK(same_bytes(&a, &b));
        ob_search_free(t);
    }
    ob_search_free(s);
    ob_cache_file_release(&file);
    ob_buf_release(&a);
    ob_buf_release(&b);
}

/* An entry key is the same for the same entry, and changes with a field
 * or a word the index keeps. */
static void
test_entry_key(void)
{
    struct ob_search_words a = {OB_BUF_INIT}, b = {OB_BUF_INIT};
    uint64_t ka, kb;

    ob_search_words_heading(&a, "Intake", 6, "intake");
    ob_search_words_body(&a, "Feedback comes from sales.", 26);
    ob_search_words_heading(&b, "Intake", 6, "intake");
    ob_search_words_body(&b, "Feedback comes from sales.", 26);
    ka = ob_search_entry_key("a.html", "A", "", "Sum", &a);
    kb = ob_search_entry_key("a.html", "A", "", "Sum", &b);
    OB_CHECK(ka == kb);
    OB_CHECK(ka != ob_search_entry_key("a.html", "B", "", "Sum", &b));
    OB_CHECK(ka != ob_search_entry_key("b.html", "A", "", "Sum", &b));
    ob_search_words_body(&b, "And from support.", 17);
    OB_CHECK(ka != ob_search_entry_key("a.html", "A", "", "Sum", &b));
    ob_search_words_release(&a);
    ob_search_words_release(&b);
}

/* Whatever the records: NULL or an index that works, never a crash, and
 * never a script that needs escaping where it has none. */
static void
use(struct ob_search *s)
{
    struct ob_buf b = OB_BUF_INIT;

    ob_search_write_js(s, &b);
    OB_CHECK(plain_terms(b.ptr));
    ob_buf_reset(&b);
    put_page(s, 2, 17, true);
    put_page(s, 0, 3, true);
    ob_search_write_js(s, &b);
    ob_search_save(s, &b);
    ob_buf_release(&b);
    ob_search_free(s);
}

/* The index in p[0..len), or NULL; *odd counts a reader whose `bad` does
 * not say which. */
static struct ob_search *
load_bytes(const char *p, size_t len, size_t *odd)
{
    struct ob_cache_reader r = {p, p + len, false};
    struct ob_search *s = ob_search_load(&r);

    *odd += s ? r.bad : !r.bad;
    return s;
}

/* Cut short or damaged records are no index; damage that keeps the hash
 * right (so that only the checks behind it can catch it) does no harm. */
static void
test_load_damaged(void)
{
    unsigned vers[5] = {1, 2, 3, 9, 4};
    struct ob_search *s = build(vers, 5);
    struct ob_buf b = OB_BUF_INIT, bad = OB_BUF_INIT;
    size_t i, nulls = 0, loaded = 0, odd = 0;
    struct ob_cache_reader r;
    uint64_t x = 7;

    ob_search_save(s, &b);
    ob_search_free(s);
    for (i = 0; i < b.len; i++)
        loaded += load_bytes(b.ptr, i, &odd) != NULL;
    for (i = 0; i < b.len; i++) {
        ob_buf_reset(&bad);
        ob_buf_add(&bad, b.ptr, b.len);
        bad.ptr[i] ^= (char)(1u << (next_rand(&x) % 8));
        loaded += load_bytes(bad.ptr, bad.len, &odd) != NULL;
    }
    OB_CHECK_INT(loaded, 0);
    r = (struct ob_cache_reader){b.ptr, b.ptr + b.len, true};
    OB_CHECK(ob_search_load(&r) == NULL);
    /* tag, blob length, blob, hash: some 1,500 places of the blob */
    for (i = 16; i < b.len - 8; i += 1 + b.len / 1500) {
        unsigned k;
        for (k = 0; k < 3; k++) {
            uint64_t h;
            size_t j;
            ob_buf_reset(&bad);
            ob_buf_add(&bad, b.ptr, b.len);
            bad.ptr[i] = k == 0   ? (char)(bad.ptr[i] ^ 0x01)
                         : k == 1 ? (char)0xff
                                  : (char)(next_rand(&x) & 0xff);
            h = ob_hash(bad.ptr + 16, bad.len - 24);
            for (j = 0; j < 8; j++)
                bad.ptr[bad.len - 8 + j] = (char)(h >> (8 * j));
            s = load_bytes(bad.ptr, bad.len, &odd);
            nulls += !s;
            loaded += s != NULL;
            if (s)
                use(s);
        }
    }
    OB_CHECK(nulls > 0);
    OB_CHECK(loaded > 0);
    s = load_bytes(b.ptr, b.len, &odd);
    OB_CHECK(s != NULL);
    OB_CHECK_INT(odd, 0);
    if (s)
        use(s);
    ob_buf_release(&b);
    ob_buf_release(&bad);
}

/* The first needle[0..n) in b, or NULL. */
static char *
find_bytes(struct ob_buf *b, const char *needle, size_t n)
{
    size_t i;

    for (i = 0; i + n <= b->len; i++)
        if (memcmp(b->ptr + i, needle, n) == 0)
            return b->ptr + i;
    return NULL;
}

/* A cache whose hash is right but whose terms or postings hold a byte the
 * script would have to escape is no cache: they go in as they are. */
static void
test_load_unescaped(void)
{
    static const char *const bad[] = {"\"", "<",    "\\",
                                      "\n", "\x7f", "\xe2\x80\xa8"};
    struct ob_search *s = ob_search_new();
    struct ob_buf b = OB_BUF_INIT, t = OB_BUF_INIT;
    size_t i, odd = 0;
    char *at;

    ob_search_add_page(s, "a.html", "A", "", "");
    add_text(s, 0, "aaaa zzzzzz");
    add_text(s, 0, "aaaa aaaa"); /* frequent: flags 4, digit '4' */
    ob_search_save(s, &b);
    ob_search_free(s);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t h;
        size_t j, len = strlen(bad[i]);
        ob_buf_reset(&t);
        ob_buf_add(&t, b.ptr, b.len);
        at = find_bytes(&t, "zzzzzz", 6); /* a term */
        OB_CHECK(at != NULL);
        if (!at)
            break;
        memcpy(at + 1, bad[i], len);
        h = ob_hash(t.ptr + 16, t.len - 24);
        for (j = 0; j < 8; j++)
            t.ptr[t.len - 8 + j] = (char)(h >> (8 * j));
        s = load_bytes(t.ptr, t.len, &odd);
        OB_CHECK(s == NULL);
        ob_search_free(s);
    }
    /* A posting: those of "a", "aaaa" and "zzzzzz" are "1 4 0" */
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint64_t h;
        size_t j;
        ob_buf_reset(&t);
        ob_buf_add(&t, b.ptr, b.len);
        at = find_bytes(&t, "1 4 0", 5);
        OB_CHECK(at != NULL);
        if (!at)
            break;
        at += 2;
        at[0] = bad[i][0];
        h = ob_hash(t.ptr + 16, t.len - 24);
        for (j = 0; j < 8; j++)
            t.ptr[t.len - 8 + j] = (char)(h >> (8 * j));
        s = load_bytes(t.ptr, t.len, &odd);
        OB_CHECK(s == NULL);
        ob_search_free(s);
    }
    OB_CHECK_INT(odd, 0);
    ob_buf_release(&b);
    ob_buf_release(&t);
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
    OB_RUN(test_escaping_anywhere);
    OB_RUN(test_deterministic);
    OB_RUN(test_out_of_order);
    OB_RUN(test_body_cap);
    OB_RUN(test_body_cap_at_write);
    OB_RUN(test_summary);
    OB_RUN(test_save_load);
    OB_RUN(test_restart);
    OB_RUN(test_restart_edges);
    OB_RUN(test_restart_numbering);
    OB_RUN(test_restart_long);
    OB_RUN(test_write_and_save);
    OB_RUN(test_cache_file);
    OB_RUN(test_load_file);
    OB_RUN(test_unchanged_save);
    OB_RUN(test_entry_key);
    OB_RUN(test_load_damaged);
    OB_RUN(test_load_unescaped);
    return OB_TEST_DONE();
}
