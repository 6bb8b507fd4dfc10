/* test_markdown.c: unit tests for Markdown rendering: GitHub anchors,
 * callouts, raw HTML kept as text, and the link, heading and text hooks. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/buf.h"
#include "opsbook/text.h"
#include "runner.h"

static const char *
anchor(const char *text)
{
    static struct ob_buf b = OB_BUF_INIT;

    ob_buf_reset(&b);
    ob_markdown_anchor(&b, text, strlen(text));
    return b.ptr;
}

/* GitHub's own examples and the cases handbooks meet. */
static void
test_anchors(void)
{
    OB_CHECK_STR(anchor("Release roll-out"), "release-roll-out");
    OB_CHECK_STR(anchor("What's new? (2026)"), "whats-new-2026");
    OB_CHECK_STR(anchor("Qu\xE2\x80\x99"
                        "est-ce ? R\xC3\xA9vision 2.0!"),
                 "quest-ce--r\xC3\xA9vision-20");
    OB_CHECK_STR(anchor("\xC3\x89T\xC3\x89 \xC5\xB8"),
                 "\xC3\xA9t\xC3\xA9-\xC3\xBF");
    OB_CHECK_STR(anchor("\xCE\x95\xCE\xBB\xCE\xBB\xCE\xAC\xCE\xB4\xCE\xB1 "
                        "\xD0\xA0\xD0\xBE\xD1\x81\xD1\x81\xD0\xB8\xD1\x8F"),
                 "\xCE\xB5\xCE\xBB\xCE\xBB\xCE\xAC\xCE\xB4\xCE\xB1-"
                 "\xD1\x80\xD0\xBE\xD1\x81\xD1\x81\xD0\xB8\xD1\x8F");
    OB_CHECK_STR(anchor("snake_case and  two spaces"),
                 "snake_case-and--two-spaces");
    OB_CHECK_STR(anchor("Emoji \xF0\x9F\x9A\x80 launch"), "emoji--launch");
}

struct seen {
    char headings[512];
    char text[512];
    char links[512];
};

static const char *
on_link(void *ctx, const char *url, bool image, uint32_t line, uint32_t col)
{
    struct seen *s = ctx;
    size_t n = strlen(s->links);

    snprintf(s->links + n, sizeof s->links - n, "%s%s@%u:%u;",
             image ? "img:" : "", url, line, col);
    return strcmp(url, "other.md") == 0 ? "other.html" : NULL;
}

static void
on_heading(void *ctx, int level, const char *text, size_t len, const char *id)
{
    struct seen *s = ctx;
    size_t n = strlen(s->headings);

    snprintf(s->headings + n, sizeof s->headings - n, "%d:%.*s:%s;", level,
             (int)len, text, id);
}

static void
on_text(void *ctx, const char *text, size_t len)
{
    struct seen *s = ctx;
    size_t n = strlen(s->text);

    snprintf(s->text + n, sizeof s->text - n, "%.*s", (int)len, text);
}

/* "{{x}}" is a token shown as <b>X</b>; anything else is not one. */
static bool
on_token(void *ctx, const char *text, size_t len, uint32_t line, uint32_t col,
         struct ob_buf *html)
{
    struct seen *s = ctx;
    size_t n = strlen(s->links);

    if (len != 1 || text[0] != 'x')
        return false;
    snprintf(s->links + n, sizeof s->links - n, "token@%u:%u;", line, col);
    ob_buf_puts(html, "<b>X</b>");
    return true;
}

/* An embed shows its body's first line in <aside>, and says where it was;
 * a body "code" asks to stay code. */
static bool
on_embed(void *ctx, const char *body, size_t len, uint32_t line, uint32_t col,
         struct ob_buf *html)
{
    struct seen *s = ctx;
    size_t n = strlen(s->links);
    const char *nl = memchr(body, '\n', len);

    snprintf(s->links + n, sizeof s->links - n, "embed@%u:%u;", line, col);
    if (len >= 4 && !memcmp(body, "code", 4))
        return false;
    ob_buf_puts(html, "<aside>");
    ob_buf_add(html, body, nl ? (size_t)(nl - body) : len);
    ob_buf_puts(html, "</aside>\n");
    return true;
}

static const char *
render(const char *md, unsigned flags, struct seen *seen, enum ob_language l)
{
    static struct ob_buf out = OB_BUF_INIT;
    struct ob_md_hooks hooks = {seen,    l,        on_link, on_heading,
                                on_text, on_token, on_embed};
    struct ob_md_hooks lang_only = {NULL, l, NULL, NULL, NULL, NULL, NULL};

    ob_buf_reset(&out);
    ob_markdown_render(md, strlen(md), flags, seen ? &hooks : &lang_only, &out);
    return out.ptr;
}

static void
test_headings(void)
{
    struct seen s;
    const char *html;

    memset(&s, 0, sizeof s);
    html = render("# Intake\n\n## Intake\n\n## *Intake*\n\n### `code` & more\n",
                  0, &s, OB_LANG_EN);
    OB_CHECK(strstr(html, "<h1 id=\"intake\">") != NULL);
    OB_CHECK(strstr(html, "<h2 id=\"intake-1\">") != NULL);
    OB_CHECK(strstr(html, "<h2 id=\"intake-2\">\nIntake") == NULL);
    OB_CHECK(strstr(html, "<em>Intake</em>") != NULL);
    OB_CHECK(strstr(html, "href=\"#intake-2\"") != NULL);
    OB_CHECK_STR(s.headings, "1:Intake:intake;2:Intake:intake-1;"
                             "2:Intake:intake-2;3:code & more:code--more;");
}

static void
test_callouts(void)
{
    const char *html;

    html = render("> [!WARNING]\n> Mind **this**.\n\n> [!tip]\n> Lower case.\n"
                  "\n> [!NOPE]\n> Stays a quote.\n\n> [!NOTE] text after\n",
                  0, NULL, OB_LANG_EN);
    OB_CHECK(strstr(html,
                    "<div class=\"callout callout-warning\" role=\"note\">\n"
                    "<p class=\"callout-title\">Warning</p>\n"
                    "<p>Mind <strong>this</strong>.</p>\n</div>") != NULL);
    OB_CHECK(strstr(html, "callout-tip") != NULL);
    OB_CHECK(strstr(html, "<blockquote>\n<p>[!NOPE]") != NULL);
    /* the marker must stand alone on its line */
    OB_CHECK(strstr(html, "<p>[!NOTE] text after</p>") != NULL);
    html = render("> [!CAUTION]\n> Attention.\n", 0, NULL, OB_LANG_FR);
    OB_CHECK(strstr(html, "<p class=\"callout-title\">Attention</p>") != NULL);
    html = render("> [!NOTE]\n> Remarque.\n", 0, NULL, OB_LANG_FR);
    OB_CHECK(strstr(html, ">Remarque</p>") != NULL);
}

static void
test_raw_html(void)
{
    const char *html =
        render("<div>kept</div>\n\nInline <b>bold</b>.\n", 0, NULL, OB_LANG_EN);

    OB_CHECK(strstr(html, "&lt;div&gt;kept&lt;/div&gt;") != NULL);
    OB_CHECK(strstr(html, "Inline &lt;b&gt;bold&lt;/b&gt;.") != NULL);
    html = render("<div>kept</div>\n\n<script>x</script>\n", OB_MD_UNSAFE_HTML,
                  NULL, OB_LANG_EN);
    OB_CHECK(strstr(html, "<div>kept</div>") != NULL);
    OB_CHECK(strstr(html, "&lt;script>") != NULL); /* the tag filter */
}

static void
test_links_and_text(void)
{
    struct seen s;
    const char *html;

    memset(&s, 0, sizeof s);
    html = render("Intro [one](other.md) and\n![pic](img/a.png).\n\n"
                  "- item `code`\n",
                  0, &s, OB_LANG_EN);
    OB_CHECK(strstr(html, "<a href=\"other.html\">one</a>") != NULL);
    OB_CHECK(strstr(html, "<img src=\"img/a.png\"") != NULL);
    OB_CHECK_STR(s.links, "other.md@1:7;img:img/a.png@2:1;");
    OB_CHECK_STR(s.text, "Intro one and pic. item code  ");
}

/* Fenced `opsbook` blocks go to the embed hook, at their fence, even in
 * a list and in safe mode; other fences, and a body the hook declines,
 * stay code; the YAML is no words of the page. */
static void
test_embeds(void)
{
    struct seen s;
    const char *html;

    memset(&s, 0, sizeof s);
    html = render("Intro\n\n```opsbook\nkpi: <wau>\n```\n\n- item\n\n"
                  "  ~~~ opsbook extra\n  chart: x\n  ~~~\n\n"
                  "```opsbooks\nkpi: no\n```\n\n```yaml\nkpi: no\n```\n\n"
                  "```opsbook\ncode\n```\n\n    opsbook\n",
                  0, &s, OB_LANG_EN);
    OB_CHECK(strstr(html, "<p>Intro</p>\n<aside>kpi: <wau></aside>") != NULL);
    OB_CHECK(strstr(html, "<li>\n<p>item</p>\n<aside>chart: x</aside>") !=
             NULL);
    OB_CHECK(strstr(html, "class=\"language-opsbooks\"") != NULL);
    OB_CHECK(strstr(html, "class=\"language-yaml\"") != NULL);
    OB_CHECK(strstr(html, "<code class=\"language-opsbook\">code") != NULL);
    OB_CHECK(strstr(html, "<pre><code>opsbook") != NULL);
    OB_CHECK_STR(s.links, "embed@3:1;embed@9:3;embed@21:1;");
    OB_CHECK(strstr(s.text, "wau") == NULL);
    OB_CHECK(strstr(s.text, "chart") == NULL);
    OB_CHECK(strstr(s.text, "kpi: no") != NULL);
}

static void
test_tokens(void)
{
    struct seen s;
    const char *html;

    memset(&s, 0, sizeof s);
    html = render("A {{x}} and {{y}} and {{x}}.\n\n`{{x}}` and\n"
                  "```\n{{x}}\n```\n\n[{{x}}](a.html) {{x\n",
                  0, &s, OB_LANG_EN);
    OB_CHECK(strstr(html, "<p>A <b>X</b> and {{y}} and <b>X</b>.</p>") != NULL);
    OB_CHECK(strstr(html, "<code>{{x}}</code>") != NULL);
    OB_CHECK(strstr(html, "<pre><code>{{x}}\n</code></pre>") != NULL);
    OB_CHECK(strstr(html, "<a href=\"a.html\"><b>X</b></a> {{x</p>") != NULL);
    /* links are met in the walk, tokens after it */
    OB_CHECK_STR(s.links, "a.html@8:1;token@1:3;token@1:23;token@8:2;");

    /* a table cell takes no custom node: the token still shows there;
     * columns count characters, not bytes */
    memset(&s, 0, sizeof s);
    html =
        render("| a | b |\n|---|---|\n| \xC3\xA9t\xC3\xA9 {{x}} | *{{x}}* |\n",
               0, &s, OB_LANG_EN);
    OB_CHECK(strstr(html, "<td>\xC3\xA9t\xC3\xA9 <b>X</b></td>") != NULL);
    OB_CHECK(strstr(html, "<td><em><b>X</b></em></td>") != NULL);
    OB_CHECK(!strchr(html, 0x1A));
    OB_CHECK_STR(s.links, "token@3:7;token@3:16;");
    memset(&s, 0, sizeof s);
    render("\xC3\xA9t\xC3\xA9 \xE2\x80\x94 [a](b.md)\n", 0, &s, OB_LANG_EN);
    OB_CHECK_STR(s.links, "b.md@1:7;");
    /* a page holding the placeholder's character keeps such tokens as
     * written, rather than mistaking its text for a placeholder */
    memset(&s, 0, sizeof s);
    html = render("| a |\n|---|\n| {{x}} \x1A"
                  "0\x1A |\n",
                  0, &s, OB_LANG_EN);
    OB_CHECK(strstr(html, "<td>{{x}} \x1A"
                          "0\x1A</td>") != NULL);
}

/* A table whose header row ends a paragraph: cmark-gfm 0.29 leaves the
 * rest of the paragraph at line 0 with its inlines counted from 0 (found
 * by fuzz_markdown). Links there still get their lines and columns; every
 * other place stays inside the page. */
static void
test_table_after_paragraph(void)
{
    struct seen s;

    memset(&s, 0, sizeof s);
    render("Title\n\nIntro line with a [link](#a) here.\n"
           "Second [b](#b) x{{x}}.\n"
           "| h1 | [h](#h) |\n"
           "|----|----|\n"
           "| c  | [d](#d) |\n",
           0, &s, OB_LANG_EN);
    OB_CHECK_STR(s.links, "#a@3:19;#b@4:8;#h@3:35;#d@7:8;token@4:17;");
}

/* An undefined footnote reference whose label runs over a line break:
 * cmark-gfm 0.29 cuts its label at a byte count, inside a character (found
 * by fuzz_markdown); the HTML stays UTF-8. */
static void
test_footnote_cut_in_a_character(void)
{
    static const char *const pages[] = {
        "[^h\xe2\x82\xac\xe2\x82\xac\ntable]\n",
        "x [^h\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\ntable] y\n",
        "[^h\0\0\0\ntable]\n#ng srpe.\0\n",
    };
    static const size_t lens[] = {17, 24, 25};
    struct ob_buf out = OB_BUF_INIT;
    size_t i;

    for (i = 0; i < sizeof pages / sizeof *pages; i++) {
        ob_buf_reset(&out);
        ob_markdown_render(pages[i], lens[i], 0, NULL, &out);
        OB_CHECK(out.len > 0);
        OB_CHECK(ob_utf8_valid(out.ptr, out.len, NULL));
        OB_CHECK(strstr(out.ptr, "[^h") != NULL);
    }
    ob_buf_release(&out);
}

int
main(void)
{
    ob_markdown_setup();
    OB_RUN(test_anchors);
    OB_RUN(test_headings);
    OB_RUN(test_callouts);
    OB_RUN(test_raw_html);
    OB_RUN(test_links_and_text);
    OB_RUN(test_tokens);
    OB_RUN(test_embeds);
    OB_RUN(test_table_after_paragraph);
    OB_RUN(test_footnote_cut_in_a_character);
    ob_markdown_teardown();
    return OB_TEST_DONE();
}
