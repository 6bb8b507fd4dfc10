/* site.c: render pages into the built-in layout and write the site. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/site.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsbook/date.h"
#include "opsbook/markdown.h"
#include "opsbook/mem.h"

static const char stylesheet[] =
    ":root{--fg:#1f2328;--bg:#fff;--muted:#59636e;--line:#d1d9e0;"
    "--accent:#0969da;--warn-bg:#fff8c5;--warn-line:#d4a72c}\n"
    "@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;"
    "--muted:#9198a1;--line:#3d444d;--accent:#4493f8;--warn-bg:#272115;"
    "--warn-line:#9e6a03}}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:16px/1.6 system-ui,-apple-system,'Segoe UI',sans-serif;"
    "color:var(--fg);background:var(--bg)}\n"
    "a{color:var(--accent)}\n"
    "header.site{padding:.75rem 1.5rem;border-bottom:1px solid var(--line)}\n"
    "header.site a{color:inherit;text-decoration:none;font-weight:600}\n"
    ".layout{display:flex;gap:2rem;max-width:72rem;margin:0 auto;"
    "padding:1.5rem}\n"
    "nav.site{flex:0 0 14rem}\n"
    "nav.site ul{list-style:none;padding:0;margin:0}\n"
    "nav.site li{margin:.25rem 0}\n"
    "nav.site ul ul{padding-left:1rem}\n"
    "nav.site a[aria-current]{font-weight:600;color:var(--fg)}\n"
    "main{flex:1;min-width:0}\n"
    "main table{border-collapse:collapse;display:block;overflow-x:auto}\n"
    "main th,main td{border:1px solid var(--line);padding:.3rem .6rem}\n"
    "main pre{overflow-x:auto;padding:.75rem;border:1px solid var(--line)}\n"
    ".meta{color:var(--muted);font-size:.9rem}\n"
    ".review{background:var(--warn-bg);border-left:4px solid "
    "var(--warn-line);padding:.5rem .75rem}\n"
    "footer.site{color:var(--muted);font-size:.85rem;padding:1rem 1.5rem;"
    "border-top:1px solid var(--line)}\n"
    "@media (max-width:48rem){.layout{flex-direction:column}"
    "nav.site{flex:none}}\n";

#define STYLESHEET "assets/opsbook.css"

static void
html(struct ob_buf *out, const char *s)
{
    ob_buf_add_html(out, s, strlen(s));
}

/* "../" once per folder between the page and OUT's root. */
static void
root_prefix(struct ob_buf *out, unsigned depth)
{
    while (depth--)
        ob_buf_puts(out, "../");
}

static int
compare_nav(const void *pa, const void *pb)
{
    const struct ob_page *a = *(const struct ob_page *const *)pa;
    const struct ob_page *b = *(const struct ob_page *const *)pb;
    int c;

    if (a->weight != b->weight)
        return a->weight < b->weight ? -1 : 1;
    c = strcmp(a->title, b->title);
    return c ? c : strcmp(a->url, b->url);
}

/* Pages that belong in the nav under `section`: the folder's own pages and
 * the pages of its direct subfolders. */
static size_t
nav_children(const struct ob_content *c, const char *section,
             const struct ob_page **out)
{
    size_t i, n = 0, len = strlen(section);

    for (i = 0; i < c->n_pages; i++) {
        const struct ob_page *p = &c->pages[i];
        const char *rest;

        if (strncmp(p->url, section, len) != 0)
            continue;
        rest = p->url + len;
        if (!strcmp(rest, "index.html"))
            continue; /* the section itself */
        if (!p->is_section && strcmp(p->section, section) == 0)
            out[n++] = p;
        else if (p->is_section && strchr(rest, '/') == strrchr(rest, '/'))
            out[n++] = p; /* a direct subfolder's own page */
    }
    ob_qsort(out, n, sizeof(*out), compare_nav);
    return n;
}

static void
nav_link(struct ob_buf *out, const struct ob_page *target,
         const struct ob_page *current)
{
    ob_buf_puts(out, "<a href=\"");
    root_prefix(out, current->depth);
    html(out, target->url);
    ob_buf_putc(out, '"');
    if (target == current)
        ob_buf_puts(out, " aria-current=\"page\"");
    ob_buf_putc(out, '>');
    html(out, *target->title ? target->title : "Home");
    ob_buf_puts(out, "</a>");
}

/* The top level, with the current page's section opened beneath it. */
static void
render_nav(const struct ob_build *b, const struct ob_page *p,
           struct ob_buf *out)
{
    const struct ob_content *c = &b->content;
    const struct ob_page **top, **sub;
    size_t n, m, i, j;

    top = ob_xcalloc(c->n_pages + 1, sizeof(*top));
    sub = ob_xcalloc(c->n_pages + 1, sizeof(*sub));
    n = nav_children(c, "", top);
    ob_buf_puts(out, "<nav class=\"site\" aria-label=\"Handbook\"><ul>\n");
    for (i = 0; i < n; i++) {
        ob_buf_puts(out, "<li>");
        nav_link(out, top[i], p);
        if (top[i]->is_section &&
            !strncmp(p->url, top[i]->section, strlen(top[i]->section))) {
            m = nav_children(c, top[i]->section, sub);
            ob_buf_puts(out, m ? "<ul>\n" : "");
            for (j = 0; j < m; j++) {
                ob_buf_puts(out, "<li>");
                nav_link(out, sub[j], p);
                ob_buf_puts(out, "</li>\n");
            }
            ob_buf_puts(out, m ? "</ul>" : "");
        }
        ob_buf_puts(out, "</li>\n");
    }
    ob_buf_puts(out, "</ul></nav>\n");
    free(top);
    free(sub);
}

static void
render_head(const struct ob_build *b, const struct ob_page *p,
            struct ob_buf *out)
{
    const struct ob_site_config *site = &b->config.site;
    const char *desc = p->description ? p->description : site->description;

    ob_buf_printf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n",
                  site->language == OB_LANG_FR ? "fr" : "en");
    ob_buf_puts(out, "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
                     "content=\"width=device-width, initial-scale=1\">\n");
    ob_buf_puts(out, "<title>");
    if (*p->title && strcmp(p->title, site->title)) {
        html(out, p->title);
        ob_buf_puts(out, " · ");
    }
    html(out, site->title);
    ob_buf_puts(out, "</title>\n");
    if (desc && *desc) {
        ob_buf_puts(out, "<meta name=\"description\" content=\"");
        html(out, desc);
        ob_buf_puts(out, "\">\n");
    }
    ob_buf_puts(out, "<link rel=\"stylesheet\" href=\"");
    root_prefix(out, p->depth);
    ob_buf_puts(out, STYLESHEET "\">\n</head>\n");
}

static void
render_meta(const struct ob_build *b, const struct ob_page *p,
            struct ob_buf *out)
{
    char date[11];

    if (p->has_review_by && p->review_by < b->as_of) {
        ob_date_format(p->review_by, date);
        ob_buf_printf(out,
                      "<p class=\"review\" role=\"note\"><strong>Needs "
                      "review</strong>: due for review on %s.</p>\n",
                      date);
    }
    if (p->owner) {
        ob_buf_puts(out, "<p class=\"meta\">Owner: ");
        html(out, p->owner);
        ob_buf_puts(out, "</p>\n");
    }
}

void
ob_site_render_page(const struct ob_build *b, const struct ob_page *p,
                    struct ob_buf *out)
{
    const struct ob_site_config *site = &b->config.site;
    unsigned flags = site->unsafe_html ? OB_MD_UNSAFE_HTML : 0;
    char date[11];

    render_head(b, p, out);
    ob_buf_puts(out, "<body>\n<header class=\"site\"><a href=\"");
    root_prefix(out, p->depth);
    ob_buf_puts(out, "index.html\">");
    html(out, site->title);
    ob_buf_puts(out, "</a></header>\n<div class=\"layout\">\n");
    render_nav(b, p, out);
    ob_buf_puts(out, "<main>\n");
    if (!p->body_has_title && *p->title) {
        ob_buf_puts(out, "<h1>");
        html(out, p->title);
        ob_buf_puts(out, "</h1>\n");
    }
    render_meta(b, p, out);
    ob_markdown_render(p->body, p->body_len, flags, out);
    ob_buf_puts(out, "</main>\n</div>\n<footer class=\"site\">");
    html(out, site->company && *site->company ? site->company : site->title);
    ob_date_format(b->as_of, date);
    ob_buf_printf(out, " · data as of %s</footer>\n</body>\n</html>\n", date);
}

/* Copies static/ into OUT as it is, folders included. */
static enum ob_err
copy_static(const struct ob_build *b, struct ob_diag *d, struct ob_output *o,
            struct ob_arena *a, const char *dir, const char *rel)
{
    struct ob_fs_entry *entries;
    size_t n, i;
    enum ob_err err;

    err = ob_fs_list(d, dir, a, &entries, &n);
    for (i = 0; !err && i < n; i++) {
        const char *path = ob_fs_join(a, dir, entries[i].name);
        const char *to = ob_fs_join(a, rel, entries[i].name);
        struct ob_pos pos = {path, 0, 0};

        if (entries[i].symlink &&
            ob_fs_check_inside(&b->root, d, &pos, path) != OB_OK)
            err = OB_ERR_INPUT;
        else if (entries[i].type == OB_FS_DIR)
            err = copy_static(b, d, o, a, path, to);
        else if (entries[i].type == OB_FS_FILE)
            err = ob_output_copy(o, d, to, path);
    }
    return err;
}

static enum ob_err
write_pages(const struct ob_build *b, struct ob_diag *d, struct ob_output *o)
{
    struct ob_buf page = OB_BUF_INIT;
    enum ob_err err = OB_OK;
    size_t i;

    for (i = 0; !err && i < b->content.n_pages; i++) {
        const struct ob_page *p = &b->content.pages[i];

        ob_buf_reset(&page);
        ob_site_render_page(b, p, &page);
        err = ob_output_write(o, d, p->url, page.ptr, page.len);
    }
    ob_buf_release(&page);
    return err;
}

enum ob_err
ob_site_write(const struct ob_build *b, struct ob_diag *d, struct ob_output *o)
{
    struct ob_arena scratch;
    enum ob_err err;
    size_t i;

    ob_arena_init(&scratch);
    err = ob_output_write(o, d, STYLESHEET, stylesheet, sizeof stylesheet - 1);
    if (!err)
        err = write_pages(b, d, o);
    for (i = 0; !err && i < b->content.n_assets; i++)
        err = ob_output_copy(o, d, b->content.assets[i].url,
                             b->content.assets[i].src);
    if (!err && access("static", F_OK) == 0)
        err = copy_static(b, d, o, &scratch, "static", "");
    ob_arena_release(&scratch);
    return err;
}
