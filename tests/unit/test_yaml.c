/* test_yaml.c: positions, errors, limits and accessors of src/yaml.c. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/yaml.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "opsbook/arena.h"
#include "opsbook/buf.h"
#include "opsbook/diag.h"
#include "runner.h"

/* Each test owns an arena and a sink, released at its end. */
struct fixture {
    struct ob_arena a;
    struct ob_diag d;
};

static void
fx_init(struct fixture *f)
{
    ob_arena_init(&f->a);
    ob_diag_init(&f->d, 100);
}

static void
fx_release(struct fixture *f)
{
    ob_diag_release(&f->d);
    ob_arena_release(&f->a);
}

static const struct ob_yaml_node *
fx_parse(struct fixture *f, const char *text)
{
    return ob_yaml_parse(&f->a, &f->d, "t.yaml", text, strlen(text), 1,
                         &ob_yaml_default_limits);
}

/* Checks that text[0..len) fails with `msg` first, at line:col. */
static void
check_error_n(const char *text, size_t len, const struct ob_yaml_limits *limits,
              unsigned line, unsigned col, const char *msg)
{
    struct fixture f;
    const struct ob_yaml_node *root;

    fx_init(&f);
    root = ob_yaml_parse(&f.a, &f.d, "t.yaml", text, len, 1, limits);
    OB_CHECK(root == NULL);
    OB_CHECK(f.d.errors >= 1);
    if (f.d.len >= 1) {
        OB_CHECK_STR(f.d.entries[0].message, msg);
        OB_CHECK_STR(f.d.entries[0].pos.path, "t.yaml");
        OB_CHECK_INT(f.d.entries[0].pos.line, line);
        OB_CHECK_INT(f.d.entries[0].pos.col, col);
    }
    fx_release(&f);
}

static void
check_error(const char *text, unsigned line, unsigned col, const char *msg)
{
    check_error_n(text, strlen(text), &ob_yaml_default_limits, line, col, msg);
}

/* A run of `n` copies of `unit` followed by `tail`, in a buffer. */
static char *
repeat(const char *unit, size_t n, const char *tail, size_t *len)
{
    struct ob_buf b = OB_BUF_INIT;
    size_t i;

    for (i = 0; i < n; i++)
        ob_buf_puts(&b, unit);
    ob_buf_puts(&b, tail);
    return ob_buf_detach(&b, len);
}

static void
test_positions(void)
{
    struct fixture f;
    const struct ob_yaml_node *root, *m, *l;

    fx_init(&f);
    root = fx_parse(&f, "top:\n  inner: value\n  list:\n    - a\n"
                        "    - [x, {k: v}]\n");
    OB_CHECK(root != NULL);
    OB_CHECK_INT(root->kind, OB_YAML_MAP);
    OB_CHECK_INT(root->pos.line, 1);
    OB_CHECK_INT(root->pos.col, 1);
    OB_CHECK_STR(root->pos.path, "t.yaml");
    m = ob_yaml_get(root, "top");
    OB_CHECK_INT(m->pos.line, 2);
    OB_CHECK_INT(m->pos.col, 3);
    OB_CHECK_INT(ob_yaml_get(m, "inner")->pos.col, 10);
    OB_CHECK_INT(m->pairs[1].key->pos.line, 3);
    OB_CHECK_INT(m->pairs[1].key->pos.col, 3);
    l = ob_yaml_get(m, "list");
    OB_CHECK_INT(l->kind, OB_YAML_SEQ);
    OB_CHECK_INT(l->pos.line, 4);
    OB_CHECK_INT(l->pos.col, 5);
    OB_CHECK_INT(l->items[1]->pos.col, 7);
    OB_CHECK_INT(l->items[1]->items[1]->pos.col, 11);
    OB_CHECK_INT(ob_yaml_get(l->items[1]->items[1], "k")->pos.line, 5);
    OB_CHECK_INT(ob_yaml_get(l->items[1]->items[1], "k")->pos.col, 15);
    OB_CHECK_INT(root->weight, 13);
    fx_release(&f);
}

/* Columns count characters, and only LF, CRLF and CR end lines. */
static void
test_positions_unicode(void)
{
    struct fixture f;
    const struct ob_yaml_node *root;

    fx_init(&f);
    root = fx_parse(&f, "\xc3\xa9t\xc3\xa9: [\xe2\x82\xac, \xf0\x9f\x98\x80,"
                        " x]\n");
    OB_CHECK(root != NULL);
    OB_CHECK_INT(ob_yaml_get(root, "\xc3\xa9t\xc3\xa9")->pos.col, 6);
    OB_CHECK_INT(ob_yaml_get(root, "\xc3\xa9t\xc3\xa9")->items[1]->pos.col, 10);
    OB_CHECK_INT(ob_yaml_get(root, "\xc3\xa9t\xc3\xa9")->items[2]->pos.col, 13);
    /* A byte order mark takes no column. */
    root = fx_parse(&f, "\xef\xbb\xbf"
                        "a: b\n");
    OB_CHECK(root != NULL);
    OB_CHECK_INT(root->pos.col, 1);
    OB_CHECK_INT(ob_yaml_get(root, "a")->pos.col, 4);
    /* CRLF and lone CR are one line end each. */
    root = fx_parse(&f, "a: 1\r\nb: 2\rc: 3\n");
    OB_CHECK(root != NULL);
    OB_CHECK_INT(ob_yaml_get(root, "c")->pos.line, 3);
    OB_CHECK_INT(ob_yaml_get(root, "c")->pos.col, 4);
    /* libyaml breaks lines at U+2028, editors and opsbook do not. */
    root = fx_parse(&f, "a: \"x\xe2\x80\xa8y\"\nb: c\n");
    OB_CHECK(root != NULL);
    OB_CHECK_INT(ob_yaml_get(root, "b")->pos.line, 2);
    OB_CHECK_INT(ob_yaml_get(root, "b")->pos.col, 4);
    OB_CHECK_INT(f.d.errors, 0);
    fx_release(&f);
}

/* The source of a scalar as written, from its position to its end. */
static const char *
source_of(const char *text, const struct ob_yaml_node *n)
{
    static char out[256];

    snprintf(out, sizeof out, "%.*s", (int)n->src_len, text + n->src_offset);
    return out;
}

/* Scalars know their style and the bytes they span, for expressions. */
static void
test_scalar_source(void)
{
    static const char text[] = "\xef\xbb\xbf"
                               "a: plan != \"x\"\n"
                               "b: 'it''s \xc3\xa9'\n"
                               "c: \"q \\\" \\u00e9\"\n"
                               "d: |\n  one\n  two\n"
                               "e: >-\n  x\n\n  y\n"
                               "f: !!str &anc multi\r\n   line\n"
                               "g:\n"
                               "h: [x, 'y']\n";
    struct fixture f;
    const struct ob_yaml_node *root, *n;

    fx_init(&f);
    root = fx_parse(&f, text);
    OB_CHECK(root != NULL);
    if (!root)
        goto done;
    OB_CHECK_INT(root->src_len, 0);
    n = ob_yaml_get(root, "a");
    OB_CHECK_INT(n->style, OB_YAML_PLAIN);
    OB_CHECK_STR(source_of(text, n), "plan != \"x\"");
    OB_CHECK_INT(n->src_offset, 6); /* after the byte order mark */
    n = ob_yaml_get(root, "b");
    OB_CHECK_INT(n->style, OB_YAML_SINGLE);
    OB_CHECK_STR(source_of(text, n), "'it''s \xc3\xa9'");
    n = ob_yaml_get(root, "c");
    OB_CHECK_INT(n->style, OB_YAML_DOUBLE);
    OB_CHECK_STR(source_of(text, n), "\"q \\\" \\u00e9\"");
    OB_CHECK_STR(n->str, "q \" \xc3\xa9");
    n = ob_yaml_get(root, "d");
    OB_CHECK_INT(n->style, OB_YAML_LITERAL);
    OB_CHECK(strncmp(source_of(text, n), "|\n  one\n  two\n", 14) == 0);
    n = ob_yaml_get(root, "e");
    OB_CHECK_INT(n->style, OB_YAML_FOLDED);
    OB_CHECK(strncmp(source_of(text, n), ">-\n  x\n\n  y", 11) == 0);
    OB_CHECK_STR(n->str, "x\ny");
    /* A tag and an anchor belong to the node, so its source holds them. */
    n = ob_yaml_get(root, "f");
    OB_CHECK_INT(n->style, OB_YAML_PLAIN);
    OB_CHECK_STR(source_of(text, n), "!!str &anc multi\r\n   line");
    OB_CHECK_STR(n->str, "multi line");
    OB_CHECK_INT(ob_yaml_get(root, "g")->src_len, 0);
    n = ob_yaml_get(root, "h");
    OB_CHECK_INT(n->src_len, 0);
    OB_CHECK_STR(source_of(text, n->items[1]), "'y'");
    OB_CHECK_INT(n->items[1]->pos.col, 8);
done:
    fx_release(&f);
}

/* Front matter keeps the numbering of the file around it. */
static void
test_first_line(void)
{
    struct fixture f;
    const struct ob_yaml_node *root;
    const char *text = "title: x\nlist:\n  - \xc3\xbc: 1\n";

    fx_init(&f);
    root = ob_yaml_parse(&f.a, &f.d, "page.md", text, strlen(text), 2,
                         &ob_yaml_default_limits);
    OB_CHECK(root != NULL);
    OB_CHECK_INT(root->pos.line, 2);
    OB_CHECK_INT(ob_yaml_get(root, "list")->pos.line, 4);
    OB_CHECK_INT(
        ob_yaml_get(ob_yaml_get(root, "list")->items[0], "\xc3\xbc")->pos.col,
        8);
    OB_CHECK_INT(
        ob_yaml_get(ob_yaml_get(root, "list")->items[0], "\xc3\xbc")->pos.line,
        4);
    OB_CHECK_STR(root->pos.path, "page.md");
    text = "a: [1,\n  ]]\n";
    root = ob_yaml_parse(&f.a, &f.d, "page.md", text, strlen(text), 10,
                         &ob_yaml_default_limits);
    OB_CHECK(root == NULL);
    OB_CHECK_INT(f.d.entries[0].pos.line, 11);
    OB_CHECK_INT(f.d.entries[0].pos.col, 4);
    fx_release(&f);
}

static void
test_syntax_errors(void)
{
    check_error("a: b: c\n", 1, 5,
                "mapping values are not allowed in this context");
    check_error("a: 1\nb: [1, 2\n", 3, 1,
                "did not find expected ',' or ']' while parsing a flow "
                "sequence that starts at line 2, column 4");
    check_error("k: \"\xc3\xa9\\q\"\n", 1, 6,
                "found unknown escape character while parsing a quoted "
                "scalar that starts at line 1, column 4");
    check_error("a: \x01\n", 1, 4, "control characters are not allowed");
    check_error("\xc3\xa9: \xc3\xa9\x7f\n", 1, 5,
                "control characters are not allowed");
}

static void
test_utf8(void)
{
    check_error("a: b\nc: \xff\n", 2, 4, "invalid UTF-8 text");
    check_error("\xc3\xa9\xc3\xa9: x\xc3\n", 1, 6, "invalid UTF-8 text");
    check_error("a: \xed\xa0\x80\n", 1, 4, "invalid UTF-8 text");
    check_error("a: 1\r\n\xc0\xaf: 2\n", 2, 1, "invalid UTF-8 text");
    check_error("\xef\xbb\xbf"
                "a: \xfe\n",
                1, 4, "invalid UTF-8 text");
}

static void
test_duplicates(void)
{
    struct fixture f;

    check_error("a: 1\nb: 2\na: 3\n", 3, 1,
                "duplicate key 'a' (first at line 1)");
    check_error("x:\n  - {k: 1, \"k\": 2}\n", 2, 12,
                "duplicate key 'k' (first at line 2)");
    /* Every duplicate is reported, not only the first. */
    fx_init(&f);
    OB_CHECK(fx_parse(&f, "a: 1\nb: 2\na: 3\nb: 4\na: 5\n") == NULL);
    OB_CHECK_INT(f.d.errors, 3);
    /* Equal prefixes and other lengths are different keys. */
    OB_CHECK(fx_parse(&f, "ab: 1\na: 2\nabc: 3\n\"\": 4\n") != NULL);
    OB_CHECK_INT(f.d.errors, 3);
    fx_release(&f);
}

static void
test_documents(void)
{
    struct fixture f;
    const struct ob_yaml_node *root;

    check_error("a: 1\n---\nb: 2\n", 2, 1,
                "a second YAML document is not allowed here");
    check_error("a: 1\n...\n--- b\n", 3, 1,
                "a second YAML document is not allowed here");
    fx_init(&f);
    root = fx_parse(&f, "");
    OB_CHECK(root != NULL);
    OB_CHECK_INT(root->kind, OB_YAML_SCALAR);
    OB_CHECK(ob_yaml_is_null(root));
    OB_CHECK_INT(root->pos.line, 1);
    OB_CHECK_INT(root->pos.col, 1);
    root = fx_parse(&f, "# only a comment\n\n");
    OB_CHECK(root != NULL && ob_yaml_is_null(root));
    root = fx_parse(&f, "---\n");
    OB_CHECK(root != NULL && ob_yaml_is_null(root));
    root = fx_parse(&f, "--- x\n...\n");
    OB_CHECK(root != NULL);
    OB_CHECK_STR(root->str, "x");
    root = ob_yaml_parse(&f.a, &f.d, "t.yaml", NULL, 0, 1, NULL);
    OB_CHECK(root != NULL && ob_yaml_is_null(root));
    OB_CHECK_INT(f.d.errors, 0);
    fx_release(&f);
}

static void
test_aliases(void)
{
    struct fixture f;
    const struct ob_yaml_node *root, *a, *c;

    fx_init(&f);
    root = fx_parse(&f, "a: &x {b: 1, c: [2, 3]}\nc: *x\nd: &y s\ne: *y\n"
                        "f: &y t\ng: *y\n");
    OB_CHECK(root != NULL);
    a = ob_yaml_get(root, "a");
    c = ob_yaml_get(root, "c");
    OB_CHECK(a == c);
    OB_CHECK_INT(a->weight, 7);
    OB_CHECK_INT(root->weight, 1 + 2 * (1 + 7) + 4 * 2);
    OB_CHECK_STR(ob_yaml_get(root, "e")->str, "s");
    OB_CHECK_STR(ob_yaml_get(root, "g")->str, "t");
    /* An alias key works like the key it names. */
    root = fx_parse(&f, "- &k name\n- {*k : 1}\n");
    OB_CHECK(root != NULL);
    OB_CHECK(ob_yaml_get(root->items[1], "name") != NULL);
    OB_CHECK_INT(f.d.errors, 0);
    fx_release(&f);
    check_error("a: 1\nb: *nope\n", 2, 4, "unknown anchor 'nope'");
    /* An anchor is defined once its node ends: no cycles. */
    check_error("a: &r [1, *r]\n", 1, 11, "unknown anchor 'r'");
}

static void
test_keys(void)
{
    check_error("[a]: 1\n", 1, 1,
                "expected a string as a mapping key, got a list");
    check_error("x: &m {a: 1}\n? *m\n: 2\n", 2, 3,
                "expected a string as a mapping key, got a mapping");
}

/* 10 levels of 9-fold aliases: 9^9 nodes if it were expanded. */
static char *
billion_laughs(void)
{
    struct ob_buf b = OB_BUF_INIT;
    int level, i;

    ob_buf_puts(&b, "l0: &l0 lol\n");
    for (level = 1; level < 10; level++) {
        ob_buf_printf(&b, "l%d: &l%d [", level, level);
        for (i = 0; i < 9; i++)
            ob_buf_printf(&b, "%s*l%d", i ? ", " : "", level - 1);
        ob_buf_puts(&b, "]\n");
    }
    return ob_buf_detach(&b, NULL);
}

static void
test_billion_laughs(void)
{
    char *text = billion_laughs();
    clock_t start = clock();

    /* Lines l0..l6 add up to 672,612 nodes; l7's first alias adds l6's
     * 597,871 and crosses the bound: line 8, column 10. */
    check_error(text, 8, 10,
                "document too large after expanding aliases "
                "(more than 1000000 nodes)");
    OB_CHECK((double)(clock() - start) / CLOCKS_PER_SEC < 0.5);
    free(text);
}

/* Parses text[0..len) under `limits`; true when it loads without error. */
static bool
loads(const char *text, size_t len, const struct ob_yaml_limits *limits)
{
    struct fixture f;
    bool ok;

    fx_init(&f);
    ok = ob_yaml_parse(&f.a, &f.d, "t.yaml", text, len, 1, limits) != NULL &&
         f.d.errors == 0;
    fx_release(&f);
    return ok;
}

static void
test_node_limit(void)
{
    struct ob_yaml_limits lim = ob_yaml_default_limits;

    lim.max_nodes = 4;
    check_error_n("[1, 2, 3, 4]\n", 13, &lim, 1, 11,
                  "document too large (more than 4 nodes)");
    lim.max_nodes = 3;
    OB_CHECK(loads("[a, b]\n", 7, &lim));
}

static void
test_deep(void)
{
    size_t len;
    char *text;
    clock_t start = clock();

    text = repeat("[", 100000, "", &len);
    check_error_n(text, len, &ob_yaml_default_limits, 1, 65,
                  "nesting deeper than 64 levels");
    free(text);
    text = repeat("- ", 100000, "x\n", &len);
    check_error_n(text, len, &ob_yaml_default_limits, 1, 129,
                  "nesting deeper than 64 levels");
    free(text);
    text = repeat("? ", 100000, "x\n", &len);
    check_error_n(text, len, &ob_yaml_default_limits, 1, 129,
                  "nesting deeper than 64 levels");
    free(text);
    text = repeat("{a: ", 100000, "", &len);
    check_error_n(text, len, &ob_yaml_default_limits, 1, 257,
                  "nesting deeper than 64 levels");
    free(text);
    OB_CHECK((double)(clock() - start) / CLOCKS_PER_SEC < 0.5);
}

/* Exactly max_depth levels still load, one more does not. */
static void
test_depth_limit(void)
{
    struct ob_buf b = OB_BUF_INIT;
    struct ob_yaml_limits lim = ob_yaml_default_limits;
    int i;

    for (i = 0; i < 64; i++)
        ob_buf_putc(&b, '[');
    for (i = 0; i < 64; i++)
        ob_buf_putc(&b, ']');
    OB_CHECK(loads(b.ptr, b.len, &lim));
    lim.max_depth = 63;
    check_error_n(b.ptr, b.len, &lim, 1, 64, "nesting deeper than 63 levels");
    ob_buf_release(&b);
}

static void
test_max_bytes(void)
{
    struct ob_yaml_limits lim = ob_yaml_default_limits;

    lim.max_bytes = 8;
    check_error_n("a: 12345\n", 9, &lim, 0, 0,
                  "document too large (more than 8 bytes)");
    OB_CHECK(loads("a: 1234\n", 8, &lim));
}

static const char accessors_doc[] = "s: hello\n"                 /* 1 */
                                    "q: \"true\"\n"              /* 2 */
                                    "n: ~\n"                     /* 3 */
                                    "e: ''\n"                    /* 4 */
                                    "b1: true\n"                 /* 5 */
                                    "b2: FALSE\n"                /* 6 */
                                    "b3: yes\n"                  /* 7 */
                                    "i1: 42\n"                   /* 8 */
                                    "i2: -7\n"                   /* 9 */
                                    "i3: 3.5\n"                  /* 10 */
                                    "i4: 13\n"                   /* 11 */
                                    "i5: 99999999999999999999\n" /* 12 */
                                    "i6: \"5\"\n"                /* 13 */
                                    "f1: 2.5e3\n"                /* 14 */
                                    "f2: -.5\n"                  /* 15 */
                                    "f3: .inf\n"                 /* 16 */
                                    "f4: abc\n"                  /* 17 */
                                    "f5: 1e999\n"                /* 18 */
                                    "d1: 2024-02-29\n"           /* 19 */
                                    "d2: next week\n"            /* 20 */
                                    "d3: \"1970-01-02\"\n"       /* 21 */
                                    "d4: 2023-02-29\n"           /* 22 */
                                    "u1: 1h30m\n"                /* 23 */
                                    "u2: soon\n"                 /* 24 */
                                    "m: {a: 1}\n"                /* 25 */
                                    "l: [1, 2]\n"                /* 26 */
                                    "t: |\n  line one\n  two\n"; /* 27 */

/* The last message reported, and its position, must be these. */
static void
check_last(const struct ob_diag *d, unsigned line, unsigned col,
           const char *msg)
{
    OB_CHECK(d->len >= 1);
    if (d->len < 1)
        return;
    OB_CHECK_STR(d->entries[d->len - 1].message, msg);
    OB_CHECK_INT(d->entries[d->len - 1].pos.line, line);
    OB_CHECK_INT(d->entries[d->len - 1].pos.col, col);
}

static void
test_kind_names(void)
{
    struct fixture f;
    const struct ob_yaml_node *r;

    fx_init(&f);
    r = fx_parse(&f, accessors_doc);
    OB_CHECK(r != NULL);
    OB_CHECK_STR(ob_yaml_kind_name(ob_yaml_get(r, "s")), "a string");
    OB_CHECK_STR(ob_yaml_kind_name(ob_yaml_get(r, "n")), "nothing");
    OB_CHECK_STR(ob_yaml_kind_name(ob_yaml_get(r, "e")), "a string");
    OB_CHECK_STR(ob_yaml_kind_name(ob_yaml_get(r, "m")), "a mapping");
    OB_CHECK_STR(ob_yaml_kind_name(ob_yaml_get(r, "l")), "a list");
    OB_CHECK_STR(ob_yaml_kind_name(NULL), "nothing");
    OB_CHECK(ob_yaml_is_null(ob_yaml_get(r, "n")));
    OB_CHECK(!ob_yaml_is_null(ob_yaml_get(r, "e")));
    OB_CHECK(!ob_yaml_is_null(ob_yaml_get(r, "s")));
    OB_CHECK(ob_yaml_get(r, "missing") == NULL);
    OB_CHECK(ob_yaml_get(ob_yaml_get(r, "l"), "a") == NULL);
    OB_CHECK(ob_yaml_get(NULL, "a") == NULL);
    OB_CHECK(ob_yaml_get(r, "q")->quoted);
    OB_CHECK(ob_yaml_get(r, "t")->quoted);
    OB_CHECK(!ob_yaml_get(r, "s")->quoted);
    OB_CHECK_STR(ob_yaml_get(r, "t")->str, "line one\ntwo\n");
    fx_release(&f);
}

static void
test_null_spellings(void)
{
    struct fixture f;
    const struct ob_yaml_node *r;

    fx_init(&f);
    r = fx_parse(&f, "[~, null, Null, NULL, nULL, '', \"~\", !!str null,"
                     " ! null, ]\n");
    OB_CHECK(r != NULL && r->n == 9);
    OB_CHECK(ob_yaml_is_null(r->items[0]));
    OB_CHECK(ob_yaml_is_null(r->items[1]));
    OB_CHECK(ob_yaml_is_null(r->items[2]));
    OB_CHECK(ob_yaml_is_null(r->items[3]));
    OB_CHECK(!ob_yaml_is_null(r->items[4]));
    OB_CHECK(!ob_yaml_is_null(r->items[5]));
    OB_CHECK(!ob_yaml_is_null(r->items[6]));
    OB_CHECK(!ob_yaml_is_null(r->items[7]));
    OB_CHECK(r->items[7]->quoted);
    OB_CHECK(r->items[8]->quoted);
    fx_release(&f);
}

static void
test_str(void)
{
    struct fixture f;
    const struct ob_yaml_node *r;
    const char *s = "unchanged";

    fx_init(&f);
    r = fx_parse(&f, accessors_doc);
    OB_CHECK(ob_yaml_str(&f.d, ob_yaml_get(r, "s"), &s));
    OB_CHECK_STR(s, "hello");
    OB_CHECK(ob_yaml_str(&f.d, ob_yaml_get(r, "e"), &s));
    OB_CHECK_STR(s, "");
    OB_CHECK(ob_yaml_str(&f.d, ob_yaml_get(r, "q"), &s));
    OB_CHECK_STR(s, "true");
    OB_CHECK_INT(f.d.errors, 0);
    OB_CHECK(!ob_yaml_str(&f.d, ob_yaml_get(r, "n"), &s));
    check_last(&f.d, 3, 4, "expected a string, got nothing");
    OB_CHECK(!ob_yaml_str(&f.d, ob_yaml_get(r, "m"), &s));
    check_last(&f.d, 25, 4, "expected a string, got a mapping");
    OB_CHECK(!ob_yaml_str(&f.d, ob_yaml_get(r, "l"), &s));
    check_last(&f.d, 26, 4, "expected a string, got a list");
    OB_CHECK_STR(s, "true");
    fx_release(&f);
}

static void
test_bool(void)
{
    struct fixture f;
    const struct ob_yaml_node *r;
    bool b = false;

    fx_init(&f);
    r = fx_parse(&f, accessors_doc);
    OB_CHECK(ob_yaml_bool(&f.d, ob_yaml_get(r, "b1"), &b));
    OB_CHECK(b == true);
    OB_CHECK(ob_yaml_bool(&f.d, ob_yaml_get(r, "b2"), &b));
    OB_CHECK(b == false);
    OB_CHECK_INT(f.d.errors, 0);
    b = true;
    OB_CHECK(!ob_yaml_bool(&f.d, ob_yaml_get(r, "b3"), &b));
    check_last(&f.d, 7, 5, "expected true or false, got 'yes'");
    OB_CHECK(!ob_yaml_bool(&f.d, ob_yaml_get(r, "q"), &b));
    check_last(&f.d, 2, 4,
               "expected true or false, got a quoted string 'true'");
    OB_CHECK(!ob_yaml_bool(&f.d, ob_yaml_get(r, "n"), &b));
    check_last(&f.d, 3, 4, "expected true or false, got nothing");
    OB_CHECK(!ob_yaml_bool(&f.d, ob_yaml_get(r, "l"), &b));
    check_last(&f.d, 26, 4, "expected true or false, got a list");
    OB_CHECK(b == true);
    fx_release(&f);
}

static void
test_int(void)
{
    struct fixture f;
    const struct ob_yaml_node *r;
    long long v = 0;

    fx_init(&f);
    r = fx_parse(&f, accessors_doc);
    OB_CHECK(ob_yaml_int(&f.d, ob_yaml_get(r, "i1"), 0, 100, &v));
    OB_CHECK_INT(v, 42);
    OB_CHECK(ob_yaml_int(&f.d, ob_yaml_get(r, "i2"), LLONG_MIN, LLONG_MAX, &v));
    OB_CHECK_INT(v, -7);
    OB_CHECK_INT(f.d.errors, 0);
    OB_CHECK(!ob_yaml_int(&f.d, ob_yaml_get(r, "i3"), 1, 12, &v));
    check_last(&f.d, 10, 5, "expected an integer, got '3.5'");
    OB_CHECK(!ob_yaml_int(&f.d, ob_yaml_get(r, "i4"), 1, 12, &v));
    check_last(&f.d, 11, 5, "expected an integer from 1 to 12, got '13'");
    OB_CHECK(!ob_yaml_int(&f.d, ob_yaml_get(r, "i2"), 0, LLONG_MAX, &v));
    check_last(&f.d, 9, 5, "expected an integer of at least 0, got '-7'");
    OB_CHECK(!ob_yaml_int(&f.d, ob_yaml_get(r, "i1"), LLONG_MIN, 9, &v));
    check_last(&f.d, 8, 5, "expected an integer of at most 9, got '42'");
    OB_CHECK(
        !ob_yaml_int(&f.d, ob_yaml_get(r, "i5"), LLONG_MIN, LLONG_MAX, &v));
    check_last(&f.d, 12, 5, "expected an integer, got '99999999999999999999'");
    OB_CHECK(!ob_yaml_int(&f.d, ob_yaml_get(r, "i6"), 0, 9, &v));
    check_last(&f.d, 13, 5, "expected an integer, got a quoted string '5'");
    OB_CHECK(!ob_yaml_int(&f.d, ob_yaml_get(r, "m"), 0, 9, &v));
    check_last(&f.d, 25, 4, "expected an integer, got a mapping");
    OB_CHECK_INT(v, -7);
    fx_release(&f);
}

static void
test_number(void)
{
    struct fixture f;
    const struct ob_yaml_node *r;
    double v = 0;

    fx_init(&f);
    r = fx_parse(&f, accessors_doc);
    OB_CHECK(ob_yaml_number(&f.d, ob_yaml_get(r, "f1"), &v));
    OB_CHECK_NUM(v, 2500.0);
    OB_CHECK(ob_yaml_number(&f.d, ob_yaml_get(r, "f2"), &v));
    OB_CHECK_NUM(v, -0.5);
    OB_CHECK(ob_yaml_number(&f.d, ob_yaml_get(r, "i1"), &v));
    OB_CHECK_NUM(v, 42.0);
    OB_CHECK_INT(f.d.errors, 0);
    OB_CHECK(!ob_yaml_number(&f.d, ob_yaml_get(r, "f3"), &v));
    check_last(&f.d, 16, 5, "expected a number, got '.inf'");
    OB_CHECK(!ob_yaml_number(&f.d, ob_yaml_get(r, "f4"), &v));
    check_last(&f.d, 17, 5, "expected a number, got 'abc'");
    OB_CHECK(!ob_yaml_number(&f.d, ob_yaml_get(r, "f5"), &v));
    check_last(&f.d, 18, 5, "expected a number, got '1e999'");
    OB_CHECK(!ob_yaml_number(&f.d, ob_yaml_get(r, "n"), &v));
    check_last(&f.d, 3, 4, "expected a number, got nothing");
    OB_CHECK_NUM(v, 42.0);
    fx_release(&f);
}

/* Spellings the core schema accepts or rejects as numbers. */
static void
test_number_forms(void)
{
    struct fixture f;
    const struct ob_yaml_node *r;
    double v = 0;
    size_t i;

    fx_init(&f);
    r = fx_parse(&f, "[1., +.5e-2, 7E+2, 0, -0.0]\n");
    for (i = 0; i < r->n; i++)
        OB_CHECK(ob_yaml_number(&f.d, r->items[i], &v));
    OB_CHECK_NUM(v, 0.0);
    r = fx_parse(&f, "[., e5, 1e, 0x10, 1_000, .nan, -.inf, '1', 1.5.]\n");
    for (i = 0; i < r->n; i++)
        OB_CHECK(!ob_yaml_number(&f.d, r->items[i], &v));
    OB_CHECK_INT(f.d.errors, 9);
    fx_release(&f);
}

static void
test_date_duration(void)
{
    struct fixture f;
    const struct ob_yaml_node *r;
    int32_t days = -1;
    int64_t secs = -1;

    fx_init(&f);
    r = fx_parse(&f, accessors_doc);
    OB_CHECK(ob_yaml_date(&f.d, ob_yaml_get(r, "d1"), &days));
    OB_CHECK_INT(days, 19782);
    OB_CHECK(ob_yaml_date(&f.d, ob_yaml_get(r, "d3"), &days));
    OB_CHECK_INT(days, 1);
    OB_CHECK(ob_yaml_duration(&f.d, ob_yaml_get(r, "u1"), &secs));
    OB_CHECK_INT(secs, 5400);
    OB_CHECK_INT(f.d.errors, 0);
    OB_CHECK(!ob_yaml_date(&f.d, ob_yaml_get(r, "d2"), &days));
    check_last(&f.d, 20, 5, "expected a date (YYYY-MM-DD), got 'next week'");
    OB_CHECK(!ob_yaml_date(&f.d, ob_yaml_get(r, "d4"), &days));
    check_last(&f.d, 22, 5, "expected a date (YYYY-MM-DD), got '2023-02-29'");
    OB_CHECK(!ob_yaml_date(&f.d, ob_yaml_get(r, "n"), &days));
    check_last(&f.d, 3, 4, "expected a date (YYYY-MM-DD), got nothing");
    OB_CHECK_INT(days, 1);
    OB_CHECK(!ob_yaml_duration(&f.d, ob_yaml_get(r, "u2"), &secs));
    check_last(&f.d, 24, 5,
               "expected a duration such as 14d or 10s, got 'soon'");
    OB_CHECK(!ob_yaml_duration(&f.d, ob_yaml_get(r, "l"), &secs));
    check_last(&f.d, 26, 4,
               "expected a duration such as 14d or 10s, got a list");
    OB_CHECK_INT(secs, 5400);
    fx_release(&f);
}

static void
test_expect(void)
{
    struct fixture f;
    const struct ob_yaml_node *r;

    fx_init(&f);
    r = fx_parse(&f, accessors_doc);
    OB_CHECK(ob_yaml_expect_map(&f.d, r));
    OB_CHECK(ob_yaml_expect_seq(&f.d, ob_yaml_get(r, "l")));
    OB_CHECK_INT(f.d.errors, 0);
    OB_CHECK(!ob_yaml_expect_map(&f.d, ob_yaml_get(r, "l")));
    check_last(&f.d, 26, 4, "expected a mapping, got a list");
    OB_CHECK(!ob_yaml_expect_seq(&f.d, ob_yaml_get(r, "m")));
    check_last(&f.d, 25, 4, "expected a list, got a mapping");
    OB_CHECK(!ob_yaml_expect_map(&f.d, ob_yaml_get(r, "s")));
    check_last(&f.d, 1, 4, "expected a mapping, got 'hello'");
    OB_CHECK(!ob_yaml_expect_seq(&f.d, ob_yaml_get(r, "n")));
    check_last(&f.d, 3, 4, "expected a list, got nothing");
    OB_CHECK(!ob_yaml_expect_map(&f.d, ob_yaml_get(r, "t")));
    check_last(&f.d, 27, 4, "expected a mapping, got 'line one...'");
    fx_release(&f);
}

/* Long values are cut between characters in messages. */
static void
test_long_value(void)
{
    struct fixture f;
    const struct ob_yaml_node *r;
    long long v;

    fx_init(&f);
    r = fx_parse(&f,
                 "n: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9\xc3\xa9\n");
    OB_CHECK(!ob_yaml_int(&f.d, ob_yaml_get(r, "n"), 0, 1, &v));
    check_last(&f.d, 1, 4,
               "expected an integer, got "
               "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9...'");
    fx_release(&f);
}

int
main(void)
{
    OB_RUN(test_positions);
    OB_RUN(test_positions_unicode);
    OB_RUN(test_scalar_source);
    OB_RUN(test_first_line);
    OB_RUN(test_syntax_errors);
    OB_RUN(test_utf8);
    OB_RUN(test_duplicates);
    OB_RUN(test_documents);
    OB_RUN(test_aliases);
    OB_RUN(test_keys);
    OB_RUN(test_billion_laughs);
    OB_RUN(test_node_limit);
    OB_RUN(test_deep);
    OB_RUN(test_depth_limit);
    OB_RUN(test_max_bytes);
    OB_RUN(test_kind_names);
    OB_RUN(test_null_spellings);
    OB_RUN(test_str);
    OB_RUN(test_bool);
    OB_RUN(test_int);
    OB_RUN(test_number);
    OB_RUN(test_number_forms);
    OB_RUN(test_date_duration);
    OB_RUN(test_expect);
    OB_RUN(test_long_value);
    return OB_TEST_DONE();
}
