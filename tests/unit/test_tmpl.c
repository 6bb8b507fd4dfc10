/* test_tmpl.c: the Mustache spec, diagnostics and bounds of src/tmpl.c. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/tmpl.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "opsbook/arena.h"
#include "opsbook/buf.h"
#include "opsbook/diag.h"
#include "opsbook/yaml.h"
#include "runner.h"

/* ---- partials by name, for the spec's "partials" and our own tests ---- */

struct partials {
    const char *names[16];
    struct ob_tmpl *tmpls[16];
    size_t n;
};

static const struct ob_tmpl *
find_partial(void *ctx, const char *name)
{
    const struct partials *p = ctx;
    size_t i;

    for (i = 0; i < p->n; i++)
        if (strcmp(p->names[i], name) == 0)
            return p->tmpls[i];
    return NULL;
}

static void
partials_release(struct partials *p)
{
    while (p->n)
        ob_tmpl_free(p->tmpls[--p->n]);
}

/* Adds a partial; false (and the diagnostics printed) when it fails. */
static bool
partials_add(struct partials *p, const char *name, const char *text, size_t len)
{
    struct ob_diag d;

    if (p->n == 16)
        return false;
    ob_diag_init(&d, 10);
    p->names[p->n] = name;
    p->tmpls[p->n] = ob_tmpl_parse(name, text, len, &d);
    ob_diag_print(&d, stderr, OB_DIAG_TEXT, 0);
    ob_diag_release(&d);
    return p->tmpls[p->n++] != NULL;
}

static bool
add_partial(struct partials *p, const char *name, const char *text)
{
    return partials_add(p, name, text, strlen(text));
}

/* Parses and renders `text`; returns the output (heap) or NULL when
 * parsing fails. *ok gets the render's result. */
static char *
render(const char *text, const struct ob_tval *ctx, struct partials *p,
       size_t max, bool *ok, struct ob_diag *d)
{
    struct ob_tmpl *t = ob_tmpl_parse("t.html", text, strlen(text), d);
    struct ob_buf out = OB_BUF_INIT;
    bool rendered;

    if (!t)
        return NULL;
    out.max = max;
    rendered = ob_tmpl_render(t, ctx, p ? find_partial : NULL, p, &out, d);
    if (ok)
        *ok = rendered;
    ob_tmpl_free(t);
    return ob_buf_detach(&out, NULL);
}

/* Checks that rendering `text` against YAML `data` gives `want`. */
#define CHECK_RENDER(text, data, want)                                         \
    do {                                                                       \
        struct ob_arena ob_a;                                                  \
        struct ob_diag ob_d;                                                   \
        char *ob_got;                                                          \
        ob_arena_init(&ob_a);                                                  \
        ob_diag_init(&ob_d, 10);                                               \
        ob_got =                                                               \
            render((text), yaml_val(&ob_a, (data)), NULL, 0, NULL, &ob_d);     \
        OB_CHECK_STR(ob_got, (want));                                          \
        free(ob_got);                                                          \
        ob_diag_release(&ob_d);                                                \
        ob_arena_release(&ob_a);                                               \
    } while (0)

static struct ob_tval *
yaml_val(struct ob_arena *a, const char *text)
{
    struct ob_diag d;
    const struct ob_yaml_node *n;

    ob_diag_init(&d, 10);
    n = ob_yaml_parse(a, &d, "data.yaml", text, strlen(text), 1, NULL);
    ob_diag_print(&d, stderr, OB_DIAG_TEXT, 0);
    ob_diag_release(&d);
    return ob_tval_from_yaml(a, n);
}

/* ---- the official spec ---- */

static bool
read_file(const char *path, struct ob_buf *out)
{
    char chunk[8192];
    size_t n;
    FILE *f = fopen(path, "rb");

    if (!f)
        return false;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        ob_buf_add(out, chunk, n);
    fclose(f);
    return true;
}

static const char *
str_of(const struct ob_yaml_node *n)
{
    return n && n->kind == OB_YAML_SCALAR ? n->str : NULL;
}

/* Runs one spec case; true when the output is as expected. */
static bool
run_case(const char *file, const struct ob_yaml_node *c, struct ob_arena *a)
{
    const char *name = str_of(ob_yaml_get(c, "name"));
    const struct ob_yaml_node *tn = ob_yaml_get(c, "template");
    const struct ob_yaml_node *want = ob_yaml_get(c, "expected");
    const struct ob_yaml_node *pn = ob_yaml_get(c, "partials");
    struct partials parts = {{0}, {0}, 0};
    struct ob_buf out = OB_BUF_INIT;
    struct ob_diag d;
    struct ob_tmpl *t = NULL;
    bool ok = false;
    size_t i;

    ob_diag_init(&d, 10);
    if (!name || !str_of(tn) || !str_of(want)) {
        fprintf(stderr, "%s: a case without name, template or expected\n",
                file);
        goto done;
    }
    for (i = 0; pn && pn->kind == OB_YAML_MAP && i < pn->n; i++)
        if (!partials_add(&parts, pn->pairs[i].key->str,
                          pn->pairs[i].value->str, pn->pairs[i].value->len))
            goto done;
    t = ob_tmpl_parse(name, tn->str, tn->len, &d);
    if (t && ob_tmpl_render(t, ob_tval_from_yaml(a, ob_yaml_get(c, "data")),
                            find_partial, &parts, &out, &d))
        ok = out.len == want->len && memcmp(out.ptr, want->str, out.len) == 0;
    if (!ok) {
        fprintf(stderr, "%s: case '%s' failed\n  template: [%s]\n", file, name,
                tn->str);
        fprintf(stderr, "  got:      [%s]\n  expected: [%s]\n",
                t ? out.ptr : "(no template)", want->str);
        ob_diag_print(&d, stderr, OB_DIAG_TEXT, 0);
    }
done:
    ob_tmpl_free(t);
    partials_release(&parts);
    ob_buf_release(&out);
    ob_diag_release(&d);
    return ok;
}

/* Every case of one spec file, each one check. */
static void
run_spec_file(const char *dir, const char *file)
{
    struct ob_buf path = OB_BUF_INIT, text = OB_BUF_INIT;
    struct ob_arena a;
    struct ob_diag d;
    const struct ob_yaml_node *root, *tests;
    size_t i, passed = 0;

    ob_arena_init(&a);
    ob_diag_init(&d, 10);
    ob_buf_printf(&path, "%s/%s", dir, file);
    if (!read_file(path.ptr, &text)) {
        fprintf(stderr,
                "cannot read the Mustache spec file %s: %s (set "
                "OPSBOOK_MUSTACHE_SPEC to the folder of the spec's JSON "
                "files)\n",
                path.ptr, strerror(errno));
        OB_CHECK(!"spec file missing");
        goto done;
    }
    /* JSON is YAML's flow syntax: our loader reads the files as they are. */
    root = ob_yaml_parse(&a, &d, path.ptr, text.ptr, text.len, 1, NULL);
    ob_diag_print(&d, stderr, OB_DIAG_TEXT, 0);
    tests = ob_yaml_get(root, "tests");
    OB_CHECK(tests && tests->kind == OB_YAML_SEQ && tests->n > 0);
    for (i = 0; tests && tests->kind == OB_YAML_SEQ && i < tests->n; i++) {
        bool ok = run_case(file, tests->items[i], &a);

        OB_CHECK(ok);
        passed += ok;
    }
    printf("spec %s: %zu of %zu cases passed\n", file, passed,
           tests ? tests->n : 0);
done:
    ob_diag_release(&d);
    ob_arena_release(&a);
    ob_buf_release(&text);
    ob_buf_release(&path);
}

static void
test_spec(void)
{
    /* Optional modules left out: lambdas, dynamic names, inheritance. */
    static const char *const files[] = {
        "interpolation.json", "sections.json", "inverted.json",
        "comments.json",      "partials.json", "delimiters.json"};
    const char *dir = getenv("OPSBOOK_MUSTACHE_SPEC");
    size_t i;

    if (!dir || !*dir)
        dir = "../shared/spec/mustache";
    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
        run_spec_file(dir, files[i]);
}

/* ---- diagnostics ---- */

/* Checks that parsing text[0..len) fails with "t.html:line:col: msg"
 * only. */
static void
check_parse_error_len(const char *text, size_t len, unsigned line, unsigned col,
                      const char *msg)
{
    struct ob_diag d;
    struct ob_tmpl *t;

    ob_diag_init(&d, 10);
    t = ob_tmpl_parse("t.html", text, len, &d);
    OB_CHECK(t == NULL);
    OB_CHECK_INT(d.errors, 1);
    if (d.len >= 1) {
        OB_CHECK_STR(d.entries[0].pos.path, "t.html");
        OB_CHECK_INT(d.entries[0].pos.line, line);
        OB_CHECK_INT(d.entries[0].pos.col, col);
        OB_CHECK_STR(d.entries[0].message, msg);
    }
    ob_tmpl_free(t);
    ob_diag_release(&d);
}

static void
check_parse_error(const char *text, unsigned line, unsigned col,
                  const char *msg)
{
    check_parse_error_len(text, strlen(text), line, col, msg);
}

static void
test_parse_errors(void)
{
    check_parse_error("<ul>\n  {{#items}}\n  <li>{{.}}</li>\n</ul>\n", 2, 3,
                      "unclosed section 'items'");
    check_parse_error("{{#a}}{{#b}}\n{{/b}}", 1, 1, "unclosed section 'a'");
    check_parse_error("{{#a}}{{#b}}\n{{/a}}", 2, 1,
                      "mismatched close '{{/a}}': the open section is 'b' "
                      "(line 1)");
    check_parse_error("{{#a}}\n  x {{/b}}\n", 2, 5,
                      "mismatched close '{{/b}}': the open section is 'a' "
                      "(line 1)");
    check_parse_error("{{#a}}{{/a}}\n{{/a}}", 2, 1,
                      "no open section to close with '{{/a}}'");
    check_parse_error("<p>\n<b>{{title</b>\n", 2, 4,
                      "unclosed tag '{{title</b>': no '}}' after it");
    check_parse_error("x {{{raw}}\n", 1, 3,
                      "unclosed tag '{{{raw}}': no '}}}' after it");
    /* Columns count characters: "é" is two bytes, one column. */
    check_parse_error("\xC3\xA9t\xC3\xA9 {{x", 1, 5,
                      "unclosed tag '{{x': no '}}' after it");
    check_parse_error("{{=<% %>=}}\n<%name}}", 2, 1,
                      "unclosed tag '<%name}}': no '%>' after it");
    check_parse_error("a\n {{=<%=}}", 2, 2,
                      "bad set-delimiter tag (want '{{=<open> <close>=}}'): "
                      "'{{=<%=}}'");
    check_parse_error("{{= a b c =}}", 1, 1,
                      "bad set-delimiter tag (want '{{=<open> <close>=}}'): "
                      "'{{= a b c =}}'");
    check_parse_error("a {{ }}", 1, 3, "empty tag '{{ }}'");
    check_parse_error("{{=<% %>}}", 1, 1,
                      "unclosed tag '{{=<% %>}}': no '=}}' after it");
    check_parse_error("{{#\n\n}}", 1, 1, "empty tag '{{#'");
    check_parse_error("{{#}}{{/}}", 1, 1, "empty tag '{{#}}'");
    /* Without a sink the error is only the NULL. */
    OB_CHECK(ob_tmpl_parse("t.html", "{{#a}}", 6, NULL) == NULL);
    /* Line numbers count "\r\n" once. */
    check_parse_error("a\r\nb\r\n{{#s}}", 3, 1, "unclosed section 's'");
    /* Text that is not UTF-8, at its first bad byte (a Latin-1 byte, a
     * truncated sequence, a surrogate), before any tag is read. */
    check_parse_error("<p>\n  caf\xE9 {{x}}</p>", 2, 6, "invalid UTF-8 text");
    check_parse_error("\xC3\xA9 {{#a}} \xE2\x82", 1, 10, "invalid UTF-8 text");
    check_parse_error("a\r\n{{x}}\xED\xA0\x80", 2, 6, "invalid UTF-8 text");
    /* a NUL byte: valid UTF-8, but no text (a binary file); after a lone
     * CR, a line end (found by fuzz_tmpl) */
    check_parse_error_len("<p>\n  a\0b</p>", 13, 2, 4,
                          "NUL byte: not text (a binary file?)");
    check_parse_error_len("{{#a}}\n{{\r\0\0\0", 13, 3, 1,
                          "NUL byte: not text (a binary file?)");
}

/* ---- bounds ---- */

static void
test_recursion_bound(void)
{
    struct partials p = {{0}, {0}, 0};
    struct ob_arena a;
    struct ob_diag d;
    struct ob_tval *ctx;
    const char *self = "x{{#next}}{{>node}}{{/next}}";
    bool ok = true;
    char *got;

    ob_arena_init(&a);
    ob_diag_init(&d, 10);
    OB_CHECK(add_partial(&p, "node", self));
    /* `next` is found at the bottom of the stack at every level. */
    ctx = ob_tval_map(&a);
    ob_tval_set(&a, ctx, "next", ob_tval_bool(&a, true));
    got = render("{{>node}}", ctx, &p, 0, &ok, &d);
    OB_CHECK(!ok);
    OB_CHECK_INT(d.errors, 1);
    if (d.len == 1) {
        OB_CHECK_STR(d.entries[0].pos.path, "node");
        OB_CHECK_INT(d.entries[0].pos.line, 1);
        /* Levels alternate, partial first: the 101st is a partial. */
        OB_CHECK_INT(d.entries[0].pos.col, 11);
        OB_CHECK_STR(d.entries[0].message,
                     "partial 'node' nested more than 100 sections and "
                     "partials deep (does it include itself?)");
    }
    free(got);
    partials_release(&p);
    ob_diag_release(&d);
    ob_diag_init(&d, 10);

    /* Twice at each level: cut off at the first deep path, not 2^100. */
    OB_CHECK(add_partial(&p, "p", "{{>p}}{{>p}}"));
    got = render("{{>p}}", NULL, &p, 0, &ok, &d);
    OB_CHECK(!ok);
    OB_CHECK_INT(d.errors, 1);
    if (d.len == 1) {
        OB_CHECK_STR(d.entries[0].pos.path, "p");
        OB_CHECK_STR(d.entries[0].message,
                     "partial 'p' nested more than 100 sections and partials "
                     "deep (does it include itself?)");
    }
    free(got);
    partials_release(&p);
    ob_diag_release(&d);

    /* 99 nested sections plus one partial are fine. */
    {
        struct ob_buf t = OB_BUF_INIT;
        int i;

        ob_diag_init(&d, 10);
        OB_CHECK(add_partial(&p, "leaf", "ok"));
        for (i = 0; i < 99; i++)
            ob_buf_puts(&t, "{{#next}}");
        ob_buf_puts(&t, "{{>leaf}}");
        for (i = 0; i < 99; i++)
            ob_buf_puts(&t, "{{/next}}");
        got = render(t.ptr, ctx, &p, 0, &ok, &d);
        OB_CHECK(ok);
        OB_CHECK_STR(got, "ok");
        free(got);
        ob_buf_reset(&t);
        for (i = 0; i < 100; i++)
            ob_buf_puts(&t, "{{#next}}");
        ob_buf_puts(&t, "{{>leaf}}");
        for (i = 0; i < 100; i++)
            ob_buf_puts(&t, "{{/next}}");
        got = render(t.ptr, ctx, &p, 0, &ok, &d);
        OB_CHECK(!ok);
        OB_CHECK_INT(d.errors, 1);
        free(got);
        /* 101 sections: the innermost is the one reported. */
        ob_buf_reset(&t);
        for (i = 0; i < 101; i++)
            ob_buf_puts(&t, "{{#next}}");
        for (i = 0; i < 101; i++)
            ob_buf_puts(&t, "{{/next}}");
        got = render(t.ptr, ctx, &p, 0, &ok, &d);
        OB_CHECK(!ok);
        OB_CHECK_INT(d.errors, 2);
        if (d.len == 2) {
            OB_CHECK_INT(d.entries[1].pos.col, 901);
            OB_CHECK_STR(d.entries[1].message,
                         "section 'next' nested more than 100 sections and "
                         "partials deep");
        }
        free(got);
        ob_buf_release(&t);
        partials_release(&p);
        ob_diag_release(&d);
    }
    ob_arena_release(&a);
}

static void
test_step_bound(void)
{
    struct ob_arena a;
    struct ob_diag d;
    struct ob_tval *ctx, *list;
    bool ok = true;
    char *got;
    int i;

    /* 20 items, 6 levels: 64 million iterations that print nothing. */
    ob_arena_init(&a);
    ob_diag_init(&d, 10);
    ctx = ob_tval_map(&a);
    list = ob_tval_list(&a);
    for (i = 0; i < 20; i++)
        ob_tval_push(&a, list, ob_tval_null(&a));
    ob_tval_set(&a, ctx, "l", list);
    got = render("{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}"
                 "{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}",
                 ctx, NULL, 0, &ok, &d);
    OB_CHECK(!ok);
    OB_CHECK_INT(d.errors, 1);
    if (d.len == 1)
        OB_CHECK_STR(d.entries[0].message,
                     "rendering stopped after 50000000 steps");
    free(got);
    ob_diag_release(&d);
    ob_arena_release(&a);
}

static void
test_output_bound(void)
{
    struct ob_arena a;
    struct ob_diag d;
    bool ok = true;
    char *got;

    ob_arena_init(&a);
    ob_diag_init(&d, 10);
    got = render("<ul>\n{{#l}}\n  <li>{{.}}</li>\n{{/l}}\n</ul>\n",
                 yaml_val(&a, "l: [a, b, c, d, e, f, g, h, i, j, k, l, m]"),
                 NULL, 64, &ok, &d);
    OB_CHECK(!ok);
    OB_CHECK(strlen(got) <= 64);
    OB_CHECK_INT(d.errors, 1);
    if (d.len == 1) {
        OB_CHECK_INT(d.entries[0].pos.line, 3);
        OB_CHECK_STR(d.entries[0].message, "output larger than 64 bytes");
    }
    free(got);
    /* Without a sink the render still stops, quietly. */
    {
        struct ob_tmpl *t = ob_tmpl_parse("t", "{{#l}}{{.}}{{/l}}", 17, &d);
        struct ob_buf out = OB_BUF_INIT;

        out.max = 3;
        OB_CHECK(!ob_tmpl_render(t, yaml_val(&a, "l: [ab, cd]"), NULL, NULL,
                                 &out, NULL));
        OB_CHECK(out.toobig);
        ob_buf_release(&out);
        ob_tmpl_free(t);
    }
    ob_diag_release(&d);
    ob_arena_release(&a);
}

/* ---- values ---- */

static void
test_builder(void)
{
    struct ob_arena a;
    struct ob_tval *page, *kpis, *kpi, *tags;
    static const char title[] = "Q3 <ops> & \"review\"";
    char *got;
    int i;

    ob_arena_init(&a);
    page = ob_tval_map(&a);
    ob_tval_set(&a, page, "title", ob_tval_str_ref(&a, title));
    ob_tval_set(&a, page, "draft", ob_tval_bool(&a, true));
    ob_tval_set(&a, page, "draft", ob_tval_bool(&a, false)); /* replaces */
    ob_tval_set(&a, page, "nothing", ob_tval_null(&a));
    kpis = ob_tval_list(&a);
    for (i = 0; i < 3; i++) {
        kpi = ob_tval_map(&a);
        ob_tval_set(&a, kpi, "name", ob_tval_strn(&a, "nps-xyz", 3 + i));
        ob_tval_set(&a, kpi, "value", ob_tval_num(&a, i == 2 ? 1.21 : 85 * i));
        ob_tval_push(&a, kpis, kpi);
    }
    ob_tval_set(&a, page, "kpis", kpis);
    tags = ob_tval_list(&a);
    ob_tval_set(&a, page, "tags", tags);

    OB_CHECK_INT(page->u.map.n, 5);
    OB_CHECK_STR(page->u.map.keys[1].ptr, "draft");
    OB_CHECK(ob_tval_get(page, "draft")->u.b == false);
    OB_CHECK(ob_tval_get(page, "missing") == NULL);
    OB_CHECK(ob_tval_get(kpis, "name") == NULL); /* not a map */
    OB_CHECK(ob_tval_get(page, "title")->u.str.ptr == title);
    OB_CHECK_INT(kpis->u.list.n, 3);
    OB_CHECK_STR(kpis->u.list.items[2]->u.map.keys[0].ptr, "name");

    got = render("<h1>{{title}}</h1>{{{title}}}|{{draft}}|{{nothing}}|"
                 "{{#kpis}}[{{name}}={{value}}]{{/kpis}}"
                 "{{^tags}}no tags{{/tags}}{{#draft}}draft{{/draft}}",
                 page, NULL, 0, NULL, NULL);
    OB_CHECK_STR(got, "<h1>Q3 &lt;ops&gt; &amp; &quot;review&quot;</h1>"
                      "Q3 <ops> & \"review\"|false||"
                      "[nps=0][nps-=85][nps-x=1.21]no tags");
    free(got);

    /* A 30-key map: every key found, replaced in place. */
    {
        struct ob_tval *m = ob_tval_map(&a);
        char key[16];
        int bad = 0;

        for (i = 0; i < 30; i++) {
            snprintf(key, sizeof(key), "key%d", i);
            ob_tval_set(&a, m, key, ob_tval_num(&a, i));
        }
        for (i = 0; i < 30; i++) {
            snprintf(key, sizeof(key), "key%d", i);
            ob_tval_set(&a, m, key,
                        ob_tval_num(&a, ob_tval_get(m, key)->u.num * 2));
        }
        for (i = 0; i < 30; i++) {
            snprintf(key, sizeof(key), "key%d", i);
            bad += ob_tval_get(m, key)->u.num != 2 * i;
        }
        OB_CHECK_INT(m->u.map.n, 30);
        OB_CHECK_INT(bad, 0);
    }
    ob_arena_release(&a);
}

static void
test_numbers(void)
{
    CHECK_RENDER("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}}",
                 "{a: 85, b: 1.21, c: -0.0, d: 1e21, e: 0.30000000000000004, "
                 "f: -12.5, g: 1e3}",
                 "85 1.21 0 1e+21 0.30000000000000004 -12.5 1000");
}

static void
test_from_yaml(void)
{
    struct ob_arena a;
    const struct ob_tval *v;

    ob_arena_init(&a);
    v = yaml_val(&a, "a: 1\n"
                     "b: '1'\n"
                     "c: true\n"
                     "d: \"true\"\n"
                     "e: ~\n"
                     "f:\n"
                     "g: -1.5e3\n"
                     "h: 0x10\n"
                     "i: .inf\n"
                     "j: [1, x, null, FALSE]\n"
                     "k: {x: y}\n"
                     "l: Null\n"
                     "m: 1e999\n"
                     "n: |\n  12\n"
                     "o: .5\n"
                     "p: yes\n"
                     "q: ''\n");
    OB_CHECK(v && v->type == OB_TV_MAP);
    OB_CHECK_INT(v->u.map.n, 17);
    OB_CHECK_INT(ob_tval_get(v, "a")->type, OB_TV_NUMBER);
    OB_CHECK_NUM(ob_tval_get(v, "a")->u.num, 1);
    OB_CHECK_INT(ob_tval_get(v, "b")->type, OB_TV_STRING);
    OB_CHECK_STR(ob_tval_get(v, "b")->u.str.ptr, "1");
    OB_CHECK_INT(ob_tval_get(v, "c")->type, OB_TV_BOOL);
    OB_CHECK(ob_tval_get(v, "c")->u.b);
    OB_CHECK_INT(ob_tval_get(v, "d")->type, OB_TV_STRING);
    OB_CHECK_INT(ob_tval_get(v, "e")->type, OB_TV_NULL);
    OB_CHECK_INT(ob_tval_get(v, "f")->type, OB_TV_NULL);
    OB_CHECK_NUM(ob_tval_get(v, "g")->u.num, -1500);
    OB_CHECK_INT(ob_tval_get(v, "h")->type, OB_TV_STRING);
    OB_CHECK_INT(ob_tval_get(v, "i")->type, OB_TV_STRING);
    OB_CHECK_INT(ob_tval_get(v, "j")->type, OB_TV_LIST);
    OB_CHECK_INT(ob_tval_get(v, "j")->u.list.n, 4);
    OB_CHECK_INT(ob_tval_get(v, "j")->u.list.items[0]->type, OB_TV_NUMBER);
    OB_CHECK_INT(ob_tval_get(v, "j")->u.list.items[1]->type, OB_TV_STRING);
    OB_CHECK_INT(ob_tval_get(v, "j")->u.list.items[2]->type, OB_TV_NULL);
    OB_CHECK_INT(ob_tval_get(v, "j")->u.list.items[3]->type, OB_TV_BOOL);
    OB_CHECK_INT(ob_tval_get(v, "k")->type, OB_TV_MAP);
    OB_CHECK_STR(ob_tval_get(ob_tval_get(v, "k"), "x")->u.str.ptr, "y");
    OB_CHECK_INT(ob_tval_get(v, "l")->type, OB_TV_NULL);
    OB_CHECK_INT(ob_tval_get(v, "m")->type, OB_TV_STRING);
    OB_CHECK_INT(ob_tval_get(v, "n")->type, OB_TV_STRING);
    OB_CHECK_STR(ob_tval_get(v, "n")->u.str.ptr, "12\n");
    OB_CHECK_NUM(ob_tval_get(v, "o")->u.num, 0.5);
    OB_CHECK_INT(ob_tval_get(v, "p")->type, OB_TV_STRING); /* YAML 1.2 */
    OB_CHECK_INT(ob_tval_get(v, "q")->type, OB_TV_STRING);
    OB_CHECK(ob_tval_from_yaml(&a, NULL) == NULL);
    /* A bare scalar document. */
    v = yaml_val(&a, "\"a\\0b\"");
    OB_CHECK_INT(v->type, OB_TV_STRING);
    OB_CHECK_INT(v->u.str.len, 3);
    ob_arena_release(&a);
}

/* Where the spec leaves the choice to us (see tmpl.h). */
static void
test_truthiness(void)
{
    CHECK_RENDER("{{#a}}A{{/a}}{{#b}}B{{/b}}{{#c}}C{{/c}}{{#d}}D{{/d}}"
                 "{{#e}}E{{/e}}{{#f}}F{{/f}}",
                 "{a: 0, b: '', c: {}, d: '0', e: -1, f: []}", "CDE");
    CHECK_RENDER("{{^a}}A{{/a}}{{^b}}B{{/b}}{{^c}}C{{/c}}{{^d}}D{{/d}}",
                 "{a: 0, b: '', c: {}, d: [null]}", "AB");
    /* Lists and maps print nothing; booleans print their name. */
    CHECK_RENDER("[{{a}}][{{b}}][{{c}}][{{d}}]",
                 "{a: [1, 2], b: {x: 1}, c: true, d: false}",
                 "[][][true][false]");
    /* Single quotes are escaped too (one escaping function for HTML). */
    CHECK_RENDER("{{a}}", "{a: \"it's\"}", "it&#39;s");
    /* No data at all. */
    CHECK_RENDER("[{{a}}{{.}}{{#a}}x{{/a}}{{^a}}y{{/a}}]", "", "[y]");
}

/* Indentation of standalone partials, beyond the spec's cases. */
static void
test_indentation(void)
{
    struct partials p = {{0}, {0}, 0};
    struct ob_arena a;
    struct ob_tval *ctx;
    char *got;

    ob_arena_init(&a);
    ctx = yaml_val(&a, "{items: [a, b], deep: {x: 1}}");
    OB_CHECK(add_partial(&p, "list",
                         "<ul>\n{{#items}}\n  <li>{{.}}</li>\n"
                         "{{/items}}\n</ul>\n"));
    OB_CHECK(add_partial(&p, "outer", "<div>\n  {{>list}}\n</div>\n"));
    OB_CHECK(add_partial(&p, "inline", "a\nb"));
    OB_CHECK(add_partial(&p, "close", "{{#deep}}\nx\n{{/deep}}y\n"));
    got = render("<body>\n  {{>outer}}\n</body>\n", ctx, &p, 0, NULL, NULL);
    OB_CHECK_STR(got, "<body>\n  <div>\n    <ul>\n      <li>a</li>\n"
                      "      <li>b</li>\n    </ul>\n  </div>\n</body>\n");
    free(got);
    /* A partial inside an indented partial, not standalone: not indented. */
    OB_CHECK(add_partial(&p, "mixed", "[{{>inline}}]\n"));
    got = render("  {{>mixed}}\n", ctx, &p, 0, NULL, NULL);
    OB_CHECK_STR(got, "  [a\nb]\n");
    free(got);
    /* A closing tag that starts a line but is not alone on it. */
    got = render("  {{>close}}\n", ctx, &p, 0, NULL, NULL);
    OB_CHECK_STR(got, "  x\n  y\n");
    free(got);
    partials_release(&p);
    ob_arena_release(&a);
}

/* 10,000 rows render in linear time: the same work per row. */
static void
test_big_list(void)
{
    struct ob_arena a;
    struct ob_tval *ctx, *rows, *row;
    struct ob_buf want = OB_BUF_INIT;
    clock_t t0;
    double secs;
    char *got;
    int i, n = 10000;

    ob_arena_init(&a);
    ctx = ob_tval_map(&a);
    rows = ob_tval_list(&a);
    for (i = 0; i < n; i++) {
        row = ob_tval_map(&a);
        ob_tval_set(&a, row, "id", ob_tval_num(&a, i));
        ob_tval_set(&a, row, "name",
                    ob_tval_str(&a, ob_arena_printf(&a, "kpi <%d>", i)));
        ob_tval_push(&a, rows, row);
        ob_buf_printf(&want, "<tr><td>%d</td><td>kpi &lt;%d&gt;</td></tr>\n", i,
                      i);
    }
    ob_tval_set(&a, ctx, "rows", rows);
    ob_tval_set(&a, ctx, "title", ob_tval_str(&a, "KPIs"));
    t0 = clock();
    got = render("{{#rows}}\n<tr><td>{{id}}</td><td>{{name}}</td></tr>\n"
                 "{{/rows}}\n",
                 ctx, NULL, 0, NULL, NULL);
    secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    OB_CHECK_INT(rows->u.list.n, n);
    OB_CHECK(got && strcmp(got, want.ptr) == 0);
    /* Quadratic work would take minutes; linear takes milliseconds (and
     * about a second under valgrind). */
    OB_CHECK(secs < 5);
    free(got);
    ob_buf_release(&want);
    ob_arena_release(&a);
}

/* ---- threads: templates and values are only read while rendering ---- */

struct job {
    const struct ob_tmpl *t;
    const struct ob_tval *ctx;
    struct partials *p;
    char *out;
};

static void *
render_job(void *arg)
{
    struct job *j = arg;
    struct ob_buf out = OB_BUF_INIT;
    int i;

    for (i = 0; i < 200; i++) {
        ob_buf_reset(&out);
        ob_tmpl_render(j->t, j->ctx, find_partial, j->p, &out, NULL);
    }
    j->out = ob_buf_detach(&out, NULL);
    return NULL;
}

static void
test_threads(void)
{
    struct partials p = {{0}, {0}, 0};
    struct ob_arena a;
    struct ob_tmpl *t;
    struct job jobs[4];
    pthread_t th[4];
    const char *text = "{{#rows}}\n  {{>row}}\n{{/rows}}\n";
    int i;

    ob_arena_init(&a);
    OB_CHECK(
        add_partial(&p, "row", "<{{name}}>\n{{#tags}}\n#{{.}}\n{{/tags}}"));
    t = ob_tmpl_parse("t", text, strlen(text), NULL);
    for (i = 0; i < 4; i++) {
        jobs[i].t = t;
        jobs[i].ctx = yaml_val(&a, "rows: [{name: a, tags: [x, y]}, "
                                   "{name: b}]");
        jobs[i].p = &p;
        jobs[i].out = NULL;
        pthread_create(&th[i], NULL, render_job, &jobs[i]);
    }
    for (i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        OB_CHECK_STR(jobs[i].out, "  <a>\n  #x\n  #y\n  <b>\n");
        free(jobs[i].out);
    }
    ob_tmpl_free(t);
    partials_release(&p);
    ob_arena_release(&a);
}

int
main(void)
{
    OB_RUN(test_spec);
    OB_RUN(test_parse_errors);
    OB_RUN(test_recursion_bound);
    OB_RUN(test_step_bound);
    OB_RUN(test_output_bound);
    OB_RUN(test_builder);
    OB_RUN(test_numbers);
    OB_RUN(test_from_yaml);
    OB_RUN(test_truthiness);
    OB_RUN(test_indentation);
    OB_RUN(test_big_list);
    OB_RUN(test_threads);
    return OB_TEST_DONE();
}
