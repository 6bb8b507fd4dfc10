/* site.c: the handbook site: every page through its layout, the lists
 * and redirects a docs site has, search, and the theme's files. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/site.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsbook/content.h"
#include "opsbook/date.h"
#include "opsbook/embed.h"
#include "opsbook/embedded.h"
#include "opsbook/hash.h"
#include "opsbook/kpiview.h"
#include "opsbook/links.h"
#include "opsbook/markdown.h"
#include "opsbook/mem.h"
#include "opsbook/nav.h"
#include "opsbook/numfmt.h"
#include "opsbook/okrview.h"
#include "opsbook/pagecache.h"
#include "opsbook/pool.h"
#include "opsbook/reportview.h"
#include "opsbook/search.h"
#include "opsbook/tmpl.h"
#include "opsbook/tokens.h"
#include "opsbook/watchdog.h"

#define LAYOUTS_DIR "layouts"

/* ---- words ------------------------------------------------------------ */

/* Every string the theme shows, by language (the `t` of the layouts). */
static const char *const ui_words[][3] = {
    {"skip", "Skip to content", "Aller au contenu"},
    {"menu", "Menu", "Menu"},
    {"search", "Search", "Rechercher"},
    {"search_hint", "Search (press /)", "Rechercher (touche /)"},
    {"toggle_theme", "Light or dark theme", "Th\xC3\xA8me clair ou sombre"},
    {"breadcrumbs", "Breadcrumbs",
     "Fil d\xE2\x80\x99"
     "Ariane"},
    {"on_this_page", "On this page", "Sur cette page"},
    {"previous", "Previous",
     "Pr\xC3\xA9"
     "c\xC3\xA9"
     "dent"},
    {"next", "Next", "Suivant"},
    {"pager", "Previous and next pages",
     "Pages pr\xC3\xA9"
     "c\xC3\xA9"
     "dente et suivante"},
    {"needs_review", "Needs review", "\xC3\x80 relire"},
    {"review_due", "due for review on", "\xC3\xA0 relire depuis le"},
    {"owner", "Owner", "Responsable"},
    {"tags", "Tags", "\xC3\x89tiquettes"},
    {"data_as_of", "data as of",
     "donn\xC3\xA9"
     "es au"},
    {"moved", "This page has moved to",
     "Cette page a d\xC3\xA9m\xC3\xA9nag\xC3\xA9 :"},
    {"home", "Home", "Accueil"},
    {"not_found", "Page not found", "Page introuvable"},
    {"not_found_text",
     "No page here. Try the search box, or start from the home page.",
     "Aucune page ici. Essayez la recherche, ou partez de l\xE2\x80\x99"
     "accueil."},
    {"review_title", "Pages needing review", "Pages \xC3\xA0 relire"},
    {"review_none", "Every page is up to date.",
     "Toutes les pages sont \xC3\xA0 jour."},
    {"tags_title", "Tags", "\xC3\x89tiquettes"},
    {"kpis_title", "KPIs", "Indicateurs"},
    {"okrs_title", "OKRs", "OKR"},
    {"reports_title", "Reports", "Rapports"},
    {"tagged", "Pages tagged",
     "Pages \xC3\xA9tiquet\xC3\xA9"
     "es"},
    {NULL, NULL, NULL},
};

static const char *
word(const struct ob_build *b, const char *key)
{
    size_t i;
    int lang = b->config.site.language == OB_LANG_FR ? 2 : 1;

    for (i = 0; ui_words[i][0]; i++)
        if (!strcmp(ui_words[i][0], key))
            return ui_words[i][lang];
    return key;
}

/* ---- layouts ---------------------------------------------------------- */

/* The theme's layouts, each replaced by a file of the same name in the
 * site's layouts/ folder; other files there are partials of their own. */
struct layout {
    const char *name; /* "page.html" */
    const char *path; /* "layouts/page.html": diagnostics keep it */
    struct ob_tmpl *tmpl;
};

struct layouts {
    struct layout *items;
    size_t n;
    uint64_t site_hash; /* of the site's own layouts/ (names and bytes) */
};

static struct layout *
layout_slot(struct layouts *l, const char *name)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (!strcmp(l->items[i].name, name))
            return &l->items[i];
    l->items = ob_xreallocarray(l->items, l->n + 1, sizeof(*l->items));
    memset(&l->items[l->n], 0, sizeof(*l->items));
    l->items[l->n].name = ob_xstrdup(name);
    return &l->items[l->n++];
}

static void
set_layout(struct layouts *l, const char *name, const char *path,
           const char *text, size_t len, struct ob_diag *d)
{
    struct layout *slot = layout_slot(l, name);

    ob_tmpl_free(slot->tmpl);
    slot->path = path;
    slot->tmpl = ob_tmpl_parse(slot->path, text, len, d);
}

/* `a` holds the paths: it must outlive the diagnostics. A layout, or the
 * folder, that resolves outside the site is an error, as in content/. */
static enum ob_err
load_layouts(struct layouts *l, const struct ob_fs_root *root,
             struct ob_diag *d, struct ob_arena *a)
{
    struct ob_fs_entry *entries;
    struct ob_buf text = OB_BUF_INIT;
    size_t n, i, errors = d->errors;
    enum ob_err err = OB_OK;
    struct ob_hasher h;

    for (i = 0; i < ob_theme_count; i++) {
        const struct ob_embedded_file *f = &ob_theme_files[i];

        if (!strncmp(f->path, "layouts/", 8))
            set_layout(l, f->path + 8, f->path, (const char *)f->data, f->len,
                       d);
    }
    ob_hasher_init(&h);
    if (access(LAYOUTS_DIR, F_OK) == 0 &&
        ob_fs_check_inside(root, d, NULL, LAYOUTS_DIR) == OB_OK) {
        err = ob_fs_list(d, LAYOUTS_DIR, a, &entries, &n);
        for (i = 0; !err && i < n; i++) {
            const char *path = ob_fs_join(a, LAYOUTS_DIR, entries[i].name);
            struct ob_pos pos = {path, 0, 0};

            if (entries[i].type != OB_FS_FILE ||
                (entries[i].symlink &&
                 ob_fs_check_inside(root, d, &pos, path) != OB_OK))
                continue;
            ob_buf_reset(&text);
            err = ob_fs_read_file(d, NULL, path, OB_FS_MAX_FILE, &text);
            if (!err)
                set_layout(l, entries[i].name, path, text.ptr, text.len, d);
            ob_hasher_add_str(&h, entries[i].name);
            ob_hasher_add_u64(&h, ob_hash(text.ptr, text.len));
        }
    }
    l->site_hash = ob_hasher_finish(&h);
    ob_buf_release(&text);
    if (err)
        return err;
    return d->errors > errors ? OB_ERR_INPUT : OB_OK;
}

static void
free_layouts(struct layouts *l)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        ob_tmpl_free(l->items[i].tmpl);
        free((char *)l->items[i].name);
    }
    free(l->items);
}

static const struct ob_tmpl *
find_layout(void *ctx, const char *name)
{
    struct layouts *l = ctx;
    size_t i;

    for (i = 0; i < l->n; i++)
        if (!strcmp(l->items[i].name, name))
            return l->items[i].tmpl;
    return NULL;
}

/* ---- one site --------------------------------------------------------- */

/* A nav entry as it is written, escaped once for every page. */
struct nav_text {
    const char *url, *title;
    size_t url_len, title_len;
};

struct nav_made; /* see nav_html() */

struct site {
    const struct ob_build *b;
    struct ob_diag *d;
    struct ob_output *o;
    struct ob_nav nav;
    struct nav_text *nav_text;  /* by content page */
    struct nav_made **nav_made; /* by nav item: the navs opened there */
    pthread_mutex_t nav_lock;   /* over nav_made */
    struct ob_links *links;
    struct ob_search *search;
    struct ob_watchdog *dog; /* build.page_timeout, per page */
    struct layouts layouts;
    struct ob_arena *keep; /* the build's: what diagnostics point to */
    struct ob_arena arena; /* the site's: nav, titles, links */
    struct ob_tval *site_ctx, *words;
    struct ob_figures *figures; /* the charts pages show */
    bool pretty;                /* folder links: see ob_content_load() */
    struct ob_buf html;         /* the Markdown pass's */
    struct render *main;        /* for the pages made in this thread */
    /* Incremental builds: the site key, what each page left this build,
     * and what the last build's pages left (NULL: render every page). */
    uint64_t key;
    struct pages_key *pages_key;        /* the pages' part, being made */
    struct ob_pagecache_read *prefetch; /* the last build's, being read */
    struct ob_page_facts *facts;        /* by page */
    struct ob_pagecache *last;
    size_t n_reused;
    uint64_t search_js;         /* the search script's hash */
    bool search_kept;           /* ... which is the last build's */
    size_t n_keyed;             /* search entry keys worked out */
    struct ob_site_file *files; /* written from the site key alone */
    size_t n_files, cap_files;
    bool recording;              /* the files written now are such files */
    struct facts_job *facts_job; /* the next build's facts, being made */
};

/* What rendering one page through its layout needs: its values and
 * buffers. Pages render on several threads, each item with its own. */
struct render {
    struct site *s;
    struct ob_arena a; /* the page's values */
    struct ob_buf nav, out;
    struct ob_diag *d;
    const char *root; /* links from an absolute root, or NULL: relative */
};

static void
render_init(struct render *r, struct site *s, struct ob_diag *d)
{
    r->s = s;
    r->d = d;
    r->root = NULL;
    ob_arena_init(&r->a);
    ob_buf_init(&r->nav);
    ob_buf_init(&r->out);
}

static void
render_release(struct render *r)
{
    ob_arena_release(&r->a);
    ob_buf_release(&r->nav);
    ob_buf_release(&r->out);
}

static struct ob_tval *
str(struct render *r, const char *v)
{
    return ob_tval_str_ref(&r->a, v ? v : "");
}

static void
put(struct render *r, struct ob_tval *map, const char *key, struct ob_tval *v)
{
    ob_tval_set(&r->a, map, key, v);
}

static const char *
date_in(struct ob_arena *a, enum ob_language lang, int32_t date)
{
    struct ob_buf b = OB_BUF_INIT;
    const char *out;

    ob_numfmt_date(&b, date, lang);
    out = ob_arena_strdup(a, b.ptr);
    ob_buf_release(&b);
    return out;
}

static const char *
date_text(struct render *r, int32_t date)
{
    return date_in(&r->a, r->s->b->config.site.language, date);
}

static bool needs_review(const struct site *s, const struct ob_page *p);

/* The lists opsbook writes beside the pages (review/, tags/): their links
 * from the root, and whether there is anything in them, for the footer;
 * links in pages may lead there too. */
static void
lists_context(struct site *s, struct ob_tval *m)
{
    struct ob_arena *a = &s->arena;
    const struct ob_content *c = &s->b->content;
    size_t i, review = 0, tags = 0;
    const char *review_url = s->pretty ? "review/" : "review/index.html";
    const char *tags_url = s->pretty ? "tags/" : "tags/index.html";

    for (i = 0; i < c->n_pages; i++) {
        review += needs_review(s, &c->pages[i]);
        tags += c->pages[i].n_tags;
    }
    ob_tval_set(a, m, "review_url", ob_tval_str_ref(a, review_url));
    ob_tval_set(a, m, "review_count", ob_tval_num(a, (double)review));
    ob_tval_set(a, m, "has_review", ob_tval_bool(a, review > 0));
    ob_tval_set(a, m, "tags_url", ob_tval_str_ref(a, tags_url));
    ob_tval_set(a, m, "has_tags", ob_tval_bool(a, tags > 0));
    ob_links_add_output(s->links, "review/", review_url);
    if (tags)
        ob_links_add_output(s->links, "tags/", tags_url);
    for (i = 0; i < s->b->kpis.n; i++) {
        const char *csv =
            ob_arena_printf(a, "kpis/%s.csv", s->b->kpis.kpis[i].def->id);

        ob_links_add_output(s->links, csv, csv);
    }
    for (i = 0; i < s->b->config.n_reports; i++) {
        const char *xlsx =
            ob_arena_printf(a, "reports/%s.xlsx", s->b->config.reports[i].id);

        ob_links_add_output(s->links, xlsx, xlsx);
    }
}

/* What every page shares: the site and the words of its language. Kept
 * in the site's arena; pages refer to it. */
static void
site_context(struct site *s)
{
    const struct ob_site_config *site = &s->b->config.site;
    struct ob_arena *a = &s->arena;
    struct ob_tval *m = ob_tval_map(a), *t = ob_tval_map(a);
    size_t i;

    ob_tval_set(a, m, "title", ob_tval_str_ref(a, site->title));
    ob_tval_set(a, m, "description",
                ob_tval_str_ref(a, site->description ? site->description : ""));
    ob_tval_set(a, m, "owner",
                ob_tval_str_ref(a, site->company && *site->company
                                       ? site->company
                                       : site->title));
    ob_tval_set(a, m, "lang",
                ob_tval_str_ref(a, site->language == OB_LANG_FR ? "fr" : "en"));
    ob_tval_set(a, m, "base_url", ob_tval_str_ref(a, site->base_url));
    ob_tval_set(a, m, "as_of",
                ob_tval_str_ref(a, date_in(a, site->language, s->b->as_of)));
    lists_context(s, m);
    for (i = 0; ui_words[i][0]; i++)
        ob_tval_set(a, t, ui_words[i][0],
                    ob_tval_str_ref(a, word(s->b, ui_words[i][0])));
    s->site_ctx = m;
    s->words = t;
}

/* "../" once per folder between a page and the site root. */
static const char *
root_in(struct ob_arena *a, unsigned depth)
{
    static const char ups[] = "../../../../../../../../../../../../../../../";
    struct ob_buf b = OB_BUF_INIT;
    const char *root;

    if (depth * 3 < sizeof ups)
        return ups + sizeof ups - 1 - depth * 3;
    while (depth--)
        ob_buf_puts(&b, "../");
    root = ob_arena_strdup(a, b.ptr);
    ob_buf_release(&b);
    return root;
}

static const char *
root_of(struct render *r, unsigned depth)
{
    return root_in(&r->a, depth);
}

/* ---- the nav ------------------------------------------------------------- */

static bool
on_path(const struct ob_nav_item *it, const struct ob_nav_item *current)
{
    for (; current; current = current->parent)
        if (current == it)
            return true;
    return false;
}

static const char *
title_of(struct site *s, const struct ob_page *p)
{
    return *p->title ? p->title : word(s->b, "home");
}

/*
 * Every page of a section shows the same nav but for which link is the
 * current page's: a page opens the sections on the way to it (itself too
 * when it has pages of its own), and its links start with its root. So
 * the nav of each section opened last and root is made once, with no
 * link current, by whichever thread first needs it, and kept; a page's
 * nav is a copy with its own link marked (making it for each page took
 * 2.7 % of a full build's CPU at 2,000 pages).
 */
struct nav_made {
    const struct ob_nav_item *open; /* the section opened last */
    char *root;
    struct ob_buf html;
    /* where each link of `open`'s pages ends ('">'), then its own */
    size_t *mark;
    struct nav_made *next; /* another root */
};

#define NO_MARK SIZE_MAX

/* A level of the tree; the sections on the way to `open` are opened, and
 * where the links of its pages and its own end is noted in `made`. */
static void
nav_level(struct site *s, const struct ob_nav_item *parent,
          struct nav_made *made, struct ob_buf *out)
{
    const struct ob_nav_item *open = made->open;
    size_t i;

    ob_buf_puts(out, "<ul>\n");
    for (i = 0; i < parent->n_children; i++) {
        const struct ob_nav_item *it = parent->children[i];
        const struct nav_text *t = &s->nav_text[it - s->nav.items];

        ob_buf_puts(out, "<li><a href=\"");
        ob_buf_puts(out, made->root);
        ob_buf_add(out, t->url, t->url_len);
        if (parent == open)
            made->mark[i] = out->len;
        else if (it == open)
            made->mark[open->n_children] = out->len;
        ob_buf_puts(out, "\">");
        ob_buf_add(out, t->title, t->title_len);
        ob_buf_puts(out, "</a>");
        if (it->n_children && on_path(it, open))
            nav_level(s, it, made, out);
        ob_buf_puts(out, "</li>\n");
    }
    ob_buf_puts(out, "</ul>\n");
}

/* The nav opened at `open` with links from `root`, made now unless it
 * was. Under s->nav_lock. */
static const struct nav_made *
nav_opened(struct site *s, const struct ob_nav_item *open, const char *root)
{
    struct nav_made **at = &s->nav_made[open - s->nav.items], *m;
    size_t i;

    for (m = *at; m; m = m->next)
        if (!strcmp(m->root, root))
            return m;
    m = ob_xcalloc(1, sizeof(*m));
    m->open = open;
    m->root = ob_xstrdup(root);
    m->mark = ob_xcalloc(open->n_children + 1, sizeof(*m->mark));
    for (i = 0; i <= open->n_children; i++)
        m->mark[i] = NO_MARK;
    ob_buf_init(&m->html);
    ob_buf_printf(&m->html, "<nav class=\"site\" aria-label=\"%s\">\n",
                  word(s->b, "menu"));
    nav_level(s, s->nav.root, m, &m->html);
    ob_buf_puts(&m->html, "</nav>");
    m->next = *at;
    *at = m;
    return m;
}

static void
free_navs(struct site *s)
{
    size_t i;

    for (i = 0; s->nav_made && i < s->nav.n; i++) {
        struct nav_made *m = s->nav_made[i], *next;

        for (; m; m = next) {
            next = m->next;
            free(m->root);
            free(m->mark);
            ob_buf_release(&m->html);
            free(m);
        }
    }
    free(s->nav_made);
    pthread_mutex_destroy(&s->nav_lock);
}

/* `text` as HTML: itself when nothing in it needs escaping (titles and
 * links rarely do, and the nav escapes every page's), else a copy. */
static const char *
escaped(struct site *s, const char *text, size_t *len)
{
    struct ob_buf b = OB_BUF_INIT;
    const char *out;
    size_t n = strcspn(text, "&<>\"'");

    if (!text[n]) {
        *len = n;
        return text;
    }
    ob_buf_add_html(&b, text, n + strlen(text + n));
    out = ob_arena_strndup(&s->arena, b.ptr, b.len);
    *len = b.len;
    ob_buf_release(&b);
    return out;
}

static void
escape_nav(struct site *s)
{
    size_t i;

    s->nav_text =
        ob_arena_calloc(&s->arena, s->nav.n + 1, sizeof(*s->nav_text));
    for (i = 0; i < s->nav.n; i++) {
        const struct ob_page *p = s->nav.items[i].page;
        struct nav_text *t = &s->nav_text[i];

        t->url = escaped(s, p->link, &t->url_len);
        t->title = escaped(s, title_of(s, p), &t->title_len);
    }
}

/* The nav of a page (its item `current`), in r->nav until the next
 * page. */
static const char *
nav_html(struct render *r, const struct ob_nav_item *current, const char *root)
{
    struct site *s = r->s;
    struct ob_buf *out = &r->nav;
    const struct ob_nav_item *open;
    const struct nav_made *m;
    size_t k, at;

    ob_buf_reset(out);
    if (!s->nav.root)
        return "";
    if (!current) /* a page with no place in the nav: none of it is open */
        current = s->nav.root;
    open = current->n_children || !current->parent ? current : current->parent;
    pthread_mutex_lock(&s->nav_lock);
    m = nav_opened(s, open, root);
    pthread_mutex_unlock(&s->nav_lock);
    for (k = 0; k < open->n_children && open->children[k] != current; k++)
        ;
    at = m->mark[k];     /* k is n_children for `open` itself */
    if (at == NO_MARK) { /* the home page: no link of its own */
        ob_buf_add(out, m->html.ptr, m->html.len);
        return out->ptr;
    }
    ob_buf_grow(out, m->html.len + 32);
    ob_buf_add(out, m->html.ptr, at);
    ob_buf_puts(out, "\" aria-current=\"page\">");
    ob_buf_add(out, m->html.ptr + at + 2, m->html.len - at - 2);
    return out->ptr;
}

static struct ob_tval *
link_to(struct render *r, const struct ob_page *p)
{
    struct site *s = r->s;
    struct ob_tval *m = ob_tval_map(&r->a);

    put(r, m, "title", str(r, title_of(s, p)));
    put(r, m, "url", str(r, p->link));
    put(r, m, "description", str(r, p->description));
    return m;
}

static void
structure_context(struct render *r, struct ob_tval *ctx,
                  const struct ob_nav_item *it)
{
    struct site *s = r->s;
    struct ob_tval *crumbs = ob_tval_list(&r->a);
    struct ob_tval *children = ob_tval_list(&r->a);
    const struct ob_nav_item *up;
    const struct ob_nav_item *chain[64];
    size_t n = 0, i;

    for (up = it ? it->parent : NULL; up && n < 64; up = up->parent)
        chain[n++] = up;
    while (n--)
        ob_tval_push(&r->a, crumbs, link_to(r, chain[n]->page));
    put(r, ctx, "breadcrumbs", crumbs);
    put(r, ctx, "has_breadcrumbs", ob_tval_bool(&r->a, crumbs->u.list.n > 0));
    /* a made list shows its pages its own way */
    for (i = 0;
         it && it->page->is_section && !it->page->made && i < it->n_children;
         i++)
        ob_tval_push(&r->a, children, link_to(r, it->children[i]->page));
    put(r, ctx, "children", children);
    put(r, ctx, "has_children", ob_tval_bool(&r->a, children->u.list.n > 0));
    if (it && it->order > 0)
        put(r, ctx, "prev", link_to(r, s->nav.reading[it->order - 1]->page));
    if (it && it->order + 1 < s->nav.n)
        put(r, ctx, "next", link_to(r, s->nav.reading[it->order + 1]->page));
    put(r, ctx, "has_pager",
        ob_tval_bool(&r->a, it && (it->order > 0 || it->order + 1 < s->nav.n)));
}

/* ---- Markdown hooks ----------------------------------------------------- */

/* A TOC entry, kept from the Markdown pass for the layout pass. */
struct toc_entry {
    int level;
    char *text, *id;
};

/* A page between its two passes: its HTML and its TOC. */
struct page_out {
    char *content;
    struct toc_entry *toc;
    size_t n_toc, cap_toc;
    const struct ob_yaml_node *front; /* read with the body */
    bool reused; /* unchanged since the last build: not rendered */
};

/* A page's words for the search index, kept by its Markdown pass and
 * added, in page order, by index_batch() beside the layouts. */
struct page_words {
    bool add; /* rendered: its entry in the index starts anew... */
    struct ob_search_words words;
    const struct ob_page_facts *last; /* ... unless the same as here */
};

/* The page in the Markdown pass, for its hooks. */
struct page_run {
    struct site *s;
    const struct ob_page *page;
    struct page_out *out;
    struct ob_page_facts *facts;
    struct ob_arena *a; /* rewritten links */
    struct page_words *words;
};

/* How many problems have been reported: a hook that adds one said
 * something a page not rendered again would not say. */
static size_t
said_so_far(const struct ob_diag *d)
{
    return d->errors + d->warnings + d->dropped;
}

static const char *
on_link(void *ctx, const char *url, bool image, uint32_t line, uint32_t col)
{
    struct page_run *r = ctx;
    struct ob_pos pos = {r->page->src, r->page->body_line + line - 1, col};

    struct ob_diag *d = r->s->d;
    size_t said = said_so_far(d);
    const char *to = ob_links_resolve(r->s->links, r->page, url, &pos, r->a, d);

    /* What a reused page replays: the links that warned, and those to an
     * anchor (checked once every page's anchors are known). Under the same
     * site key the others resolve as they did, silently. */
    if (strchr(url, '#') || said_so_far(d) != said)
        ob_page_facts_link(r->facts, &r->s->arena, url, image, pos.line, col);
    return to;
}

static void
on_heading(void *ctx, int level, const char *text, size_t len, const char *id)
{
    struct page_run *r = ctx;
    struct site *s = r->s;
    struct page_out *o = r->out;

    ob_links_add_anchor(s->links, r->page, id);
    ob_page_facts_anchor(r->facts, &s->arena, id);
    if (r->words->add)
        ob_search_words_heading(&r->words->words, text, len, id);
    if (level == 2 || level == 3) {
        OB_GROW(o->toc, o->n_toc + 1, o->cap_toc);
        o->toc[o->n_toc].level = level;
        o->toc[o->n_toc].text = ob_xstrndup(text, len);
        o->toc[o->n_toc].id = ob_xstrdup(id);
        o->n_toc++;
    }
}

static void
on_text(void *ctx, const char *text, size_t len)
{
    struct page_run *r = ctx;

    if (r->words->add)
        ob_search_words_body(&r->words->words, text, len);
}

static bool
on_token(void *ctx, const char *text, size_t len, uint32_t line, uint32_t col,
         struct ob_buf *html)
{
    struct page_run *r = ctx;
    struct ob_pos pos = {r->page->src, r->page->body_line + line - 1, col};
    size_t said = said_so_far(r->s->d);
    bool done;

    r->facts->plain = false;
    done = ob_token_render(r->s->b, text, len, &pos, html, r->s->d);
    r->facts->quiet &= said_so_far(r->s->d) == said;
    return done;
}

static bool
on_embed(void *ctx, const char *body, size_t len, uint32_t line, uint32_t col,
         struct ob_buf *html)
{
    struct page_run *r = ctx;
    struct site *s = r->s;
    struct ob_pos pos = {r->page->src, r->page->body_line + line - 1, col};
    struct ob_view v = {s->b, s->figures, root_in(r->a, r->page->depth),
                        s->pretty};

    size_t said = said_so_far(s->d);

    r->facts->plain = false;
    ob_embed_render(&v, body, len, &pos, s->d, html);
    r->facts->quiet &= said_so_far(s->d) == said;
    return true;
}

static void
page_out_release(struct page_out *o)
{
    size_t i;

    for (i = 0; i < o->n_toc; i++) {
        free(o->toc[i].text);
        free(o->toc[i].id);
    }
    free(o->toc);
    free(o->content);
    memset(o, 0, sizeof(*o));
}

/* ---- pages -------------------------------------------------------------- */

/* The file name of a tag's page: its slug, "tag" when nothing is left. */
static void
tag_slug(struct ob_buf *out, const char *tag)
{
    ob_buf_reset(out);
    ob_slugify(out, tag, strlen(tag));
    if (!out->len)
        ob_buf_puts(out, "tag");
}

static struct ob_tval *
tags_of(struct render *r, const struct ob_page *p)
{
    struct ob_tval *list = ob_tval_list(&r->a);
    struct ob_buf slug = OB_BUF_INIT;
    size_t i;

    for (i = 0; i < p->n_tags; i++) {
        struct ob_tval *m = ob_tval_map(&r->a);

        tag_slug(&slug, p->tags[i]);
        put(r, m, "name", str(r, p->tags[i]));
        put(r, m, "url",
            ob_tval_str(&r->a,
                        ob_arena_printf(&r->a, "tags/%s.html", slug.ptr)));
        ob_tval_push(&r->a, list, m);
    }
    ob_buf_release(&slug);
    return list;
}

static bool
needs_review(const struct site *s, const struct ob_page *p)
{
    return p->has_review_by && p->review_by < s->b->as_of;
}

static struct ob_tval *
page_fields(struct render *r, const struct ob_page *p,
            const struct ob_yaml_node *front)
{
    struct ob_tval *m = ob_tval_map(&r->a);
    struct ob_tval *tags = tags_of(r, p);

    put(r, m, "title", str(r, p->title));
    put(r, m, "url", str(r, p->link));
    put(r, m, "description", str(r, p->description));
    put(r, m, "owner", str(r, p->owner));
    put(r, m, "title_in_body", ob_tval_bool(&r->a, p->body_has_title));
    put(r, m, "is_section", ob_tval_bool(&r->a, p->is_section));
    put(r, m, "is_home", ob_tval_bool(&r->a, !*p->section && p->is_section));
    put(r, m, "needs_review", ob_tval_bool(&r->a, needs_review(r->s, p)));
    if (p->has_review_by)
        put(r, m, "review_by", str(r, date_text(r, p->review_by)));
    put(r, m, "tags", tags);
    put(r, m, "has_tags", ob_tval_bool(&r->a, tags->u.list.n > 0));
    put(r, m, "params",
        front ? ob_tval_from_yaml(&r->a, front) : ob_tval_map(&r->a));
    return m;
}

static struct ob_tval *
toc_of(struct render *r, const struct page_out *o)
{
    struct ob_tval *list = ob_tval_list(&r->a);
    size_t i;

    for (i = 0; o && i < o->n_toc; i++) {
        struct ob_tval *e = ob_tval_map(&r->a);

        put(r, e, "level", ob_tval_num(&r->a, o->toc[i].level));
        put(r, e, "text", str(r, o->toc[i].text));
        put(r, e, "id", str(r, o->toc[i].id));
        ob_tval_push(&r->a, list, e);
    }
    return list;
}

/* The context of a page: the site, the page, its place, its HTML. */
static struct ob_tval *
page_context(struct render *r, const struct ob_page *p,
             const struct ob_nav_item *it, const char *content,
             const struct page_out *o)
{
    struct site *s = r->s;
    struct ob_tval *ctx = ob_tval_map(&r->a);
    struct ob_tval *toc = toc_of(r, o);
    const char *root = r->root ? r->root : root_of(r, p->depth);
    const char *desc = p->description && *p->description
                           ? p->description
                           : s->b->config.site.description;

    put(r, ctx, "site", s->site_ctx);
    put(r, ctx, "t", s->words);
    put(r, ctx, "root", str(r, root));
    put(r, ctx, "home",
        str(r, ob_arena_printf(&r->a, "%s%s", root,
                               s->nav.root ? s->nav.root->page->link
                                           : "index.html")));
    put(r, ctx, "page", page_fields(r, p, o ? o->front : p->front));
    put(r, ctx, "description", str(r, desc));
    put(r, ctx, "content", str(r, content));
    put(r, ctx, "nav", str(r, nav_html(r, it, root)));
    put(r, ctx, "toc", toc);
    put(r, ctx, "has_toc", ob_tval_bool(&r->a, toc->u.list.n > 1));
    structure_context(r, ctx, it);
    return ctx;
}

/* Writes a file of the site, hashed once for the output and the cache
 * (into *hash when not NULL); while `recording`, one of the site key's
 * (see reuse_key_files()). */
static enum ob_err
write_file(struct site *s, struct ob_diag *d, const char *url, const char *data,
           size_t len, uint64_t *hash)
{
    uint64_t h;

    if (s->o->discard)
        return OB_OK;
    h = ob_hash(data, len);
    if (hash)
        *hash = h;
    if (s->recording) {
        OB_GROW(s->files, s->n_files + 1, s->cap_files);
        s->files[s->n_files++] =
            (struct ob_site_file){ob_arena_strdup(&s->arena, url), h};
    }
    return ob_output_write_hashed(s->o, d, url, data, len, h);
}

static enum ob_err
write_layout(struct render *r, const char *layout, const char *url,
             const struct ob_tval *ctx, uint64_t *hash)
{
    struct site *s = r->s;
    const struct ob_tmpl *t = find_layout(&s->layouts, layout);

    ob_buf_reset(&r->out);
    if (t && !ob_tmpl_render(t, ctx, find_layout, &s->layouts, &r->out, r->d))
        return OB_ERR_INPUT;
    return write_file(s, r->d, url, r->out.ptr, r->out.len, hash);
}

static const char *
summary_of(const struct ob_page *p)
{
    return p->description ? p->description : "";
}

/* If p starts one of the entities views write (ob_buf_add_html's),
 * appends its character and returns its length; else 0. */
static size_t
entity(struct ob_buf *out, const char *p, const char *end)
{
    static const char *const entities[][2] = {{"&amp;", "&"}, {"&lt;", "<"},
                                              {"&gt;", ">"},  {"&quot;", "\""},
                                              {"&#39;", "'"}, {"&#x27;", "'"}};
    size_t k, n;

    for (k = 0; k < sizeof entities / sizeof *entities; k++) {
        n = strlen(entities[k][0]);
        if ((size_t)(end - p) >= n && !memcmp(p, entities[k][0], n)) {
            ob_buf_puts(out, entities[k][1]);
            return n;
        }
    }
    return 0;
}

/* Appends the text of html[0..len) without its tags or entities. */
static void
plain_text(struct ob_buf *out, const char *html, size_t len)
{
    const char *p = html, *end = html + len;
    size_t n;

    while (p < end) {
        if (*p == '<') {
            const char *close = memchr(p, '>', (size_t)(end - p));

            p = close ? close + 1 : end;
            continue;
        }
        n = *p == '&' ? entity(out, p, end) : 0;
        if (n)
            p += n;
        else
            ob_buf_putc(out, *p++);
    }
}

/* The <h2 id="..."> headings of a view's HTML become the page's: its
 * table of contents, anchors that links may name, search sections. */
static void
view_headings(struct page_run *run, const char *html, size_t len)
{
    const char *p = html, *end = html + len;
    struct ob_buf id = OB_BUF_INIT, text = OB_BUF_INIT;

    /* html is the end of a NUL-terminated buffer: strstr stays in it */
    while ((p = strstr(p, "<h2 id=\""))) {
        const char *id_end = memchr(p + 8, '"', (size_t)(end - p - 8));
        const char *body =
            id_end ? memchr(id_end, '>', (size_t)(end - id_end)) : NULL;
        const char *close = body ? strstr(body, "</h2>") : NULL;

        if (!close)
            break;
        ob_buf_reset(&id);
        plain_text(&id, p + 8, (size_t)(id_end - p - 8));
        ob_buf_reset(&text);
        plain_text(&text, body + 1, (size_t)(close - body - 1));
        on_heading(run, 2, text.ptr, text.len, id.ptr);
        p = close + 5;
    }
    ob_buf_release(&id);
    ob_buf_release(&text);
}

/* What a page opsbook makes shows after its body (if it has one). */
static void
made_view(struct site *s, const struct ob_page *p, struct ob_buf *out)
{
    struct ob_view v = {s->b, s->figures, root_in(&s->arena, p->depth),
                        s->pretty};

    switch (p->made) {
    case OB_MADE_KPIS:
        ob_kpiview_index(&v, out);
        break;
    case OB_MADE_KPI:
        ob_kpiview_page(&v, p->made_of, out);
        break;
    case OB_MADE_OKRS:
        ob_okrview_index(&v, out);
        break;
    case OB_MADE_QUARTER:
        ob_okrview_page(&v, p->made_of, out);
        break;
    case OB_MADE_REPORTS:
        ob_reportview_index(&v, s->o->final, out);
        break;
    case OB_MADE_NONE:
        break;
    }
}

/*
 * A page need not render again when the last build wrote it from the
 * same file under the same site key, nothing in it came from the data (or
 * the data is the last build's too and said nothing), and OUT still holds
 * what it wrote. What its Markdown pass told the rest of the site comes
 * back from the cache instead: its anchors, its links (resolved again: a
 * missing page warns as before), its words (in the cached search index)
 * and the charts it asked for (asked again: drawn, or kept).
 */
static bool
same_source(const struct site *s, const struct ob_page *p,
            const struct ob_page_facts *last)
{
    if (!last->plain && !(s->b->same_data && last->quiet))
        return false;
    /* the reports page lists the previous OUT's dated copies */
    if (p->made == OB_MADE_REPORTS)
        return false;
    /* a folder's generated page, or a page opsbook makes, has no file:
     * the keys are all it has (a made list may adopt a page's file) */
    return (p->hash || p->generated || p->made) && last->hash == p->hash;
}

/* The KPIs of the charts the last build's page asked for, all still
 * computed (into kpis[]). */
static bool
charts_known(const struct site *s, const struct ob_page_facts *last,
             const struct ob_kpi **kpis)
{
    size_t k;

    for (k = 0; k < last->n_charts; k++) {
        kpis[k] = ob_kpis_find(&s->b->kpis, last->charts[k].kpi);
        if (!kpis[k] || !kpis[k]->ok)
            return false;
    }
    return true;
}

static void
ask_charts(struct site *s, const struct ob_page_facts *last,
           const struct ob_kpi **kpis)
{
    size_t k;

    for (k = 0; k < last->n_charts; k++) {
        const struct ob_page_chart *c = &last->charts[k];
        struct ob_kpi_chart_opts o;

        memset(&o, 0, sizeof o);
        o.kind_given = c->kind_given;
        o.kind = (enum ob_chart_kind)c->kind;
        o.periods = c->periods;
        o.target = c->target;
        o.group = c->group;
        ob_figures_add(s->figures, kpis[k], &o);
    }
}

static bool
reuse_page(struct site *s, size_t i, const struct ob_page_facts *last)
{
    const struct ob_page *p = &s->b->content.pages[i];
    const struct ob_kpi **kpis;
    size_t k;

    if (!last || !same_source(s, p, last) ||
        !ob_output_reusable(s->o, p->url, last->out_hash))
        return false;
    kpis = last->n_charts
               ? ob_arena_calloc(&s->arena, last->n_charts, sizeof(*kpis))
               : NULL;
    if (!charts_known(s, last, kpis))
        return false;
    /* the last build's facts stay until the pages are written */
    for (k = 0; k < last->n_anchors; k++)
        ob_links_add_anchor_lent(s->links, p, last->anchors[k]);
    for (k = 0; k < last->n_links; k++) {
        struct ob_pos pos = {p->src, last->links[k].line, last->links[k].col};

        ob_links_resolve(s->links, p, last->links[k].url, &pos, &s->arena,
                         s->d);
    }
    ask_charts(s, last, kpis);
    s->facts[i] = *last;
    /* the cache's lists */
    s->facts[i].cap_anchors = s->facts[i].cap_links = 0;
    s->facts[i].cap_charts = 0;
    return true;
}

/* Records in `facts` the charts asked for since the `from`th ask. */
static void
note_charts(struct site *s, struct ob_page_facts *facts, size_t from)
{
    size_t k, n = ob_figures_asked(s->figures);

    for (k = from; k < n; k++) {
        const struct ob_figure_ask *ask = ob_figures_ask(s->figures, k);
        struct ob_page_chart c = {
            ask->kpi,          ask->opts.group,      (uint32_t)ask->opts.kind,
            ask->opts.periods, ask->opts.kind_given, ask->opts.target};

        ob_page_facts_chart(facts, &s->arena, &c);
    }
}

/*
 * The Markdown pass of page i, in the main thread (cmark-gfm cannot run
 * on two threads): its HTML, with links rewritten and checked, its TOC,
 * and its words for search, under the page_timeout watchdog.
 */
static enum ob_err
markdown_pass(struct site *s, size_t i, struct page_out *out,
              struct page_words *words)
{
    const struct ob_page *p = &s->b->content.pages[i];
    struct ob_page_facts *facts = &s->facts[i];
    struct page_run run = {s, p, out, facts, &s->arena, words};
    struct ob_md_hooks hooks = {&run,    s->b->config.site.language,
                                on_link, on_heading,
                                on_text, on_token,
                                on_embed};
    unsigned flags = s->b->config.site.unsafe_html ? OB_MD_UNSAFE_HTML : 0;
    const struct ob_page_facts *last =
        s->last ? ob_pagecache_find(s->last, p->src) : NULL;
    const char *body;
    size_t body_len, asked;
    enum ob_err err;

    if (reuse_page(s, i, last)) {
        out->reused = true;
        s->n_reused++;
        return OB_OK;
    }
    err =
        ob_content_read_text(p, &s->arena, s->d, &body, &body_len, &out->front);
    if (err)
        return err;
    facts->hash = p->hash;
    facts->plain = !p->made;
    facts->quiet = true;
    words->add = s->search != NULL;
    words->last = last;
    asked = ob_figures_asked(s->figures);
    ob_buf_reset(&s->html);
    ob_watchdog_enter(s->dog, p->src);
    ob_markdown_render(body, body_len, flags, &hooks, &s->html);
    if (p->made) {
        size_t from = s->html.len, said = said_so_far(s->d);

        made_view(s, p, &s->html);
        facts->quiet &= said_so_far(s->d) == said;
        view_headings(&run, s->html.ptr + from, s->html.len - from);
    }
    ob_watchdog_leave(s->dog);
    note_charts(s, facts, asked);
    out->content = ob_xstrndup(s->html.ptr, s->html.len);
    return OB_OK;
}

/* A page opsbook makes (the review list, tags, 404) in the same layout. */
static enum ob_err
write_made_page(struct render *r, const char *url, unsigned depth,
                const char *title, const char *content)
{
    struct ob_page p;

    memset(&p, 0, sizeof p);
    p.url = url;
    p.link = url;
    p.src = url;
    p.section = "";
    p.depth = depth;
    p.title = title;
    p.body = "";
    return write_layout(r, "page.html", url,
                        page_context(r, &p, NULL, content, NULL), NULL);
}

/* ---- lists: review, tags --------------------------------------------------
 */

static void
page_item(struct site *s, struct ob_buf *out, const struct ob_page *p,
          const char *root, const char *note)
{
    ob_buf_printf(out, "<li><a href=\"%s", root);
    ob_buf_add_html(out, p->link, strlen(p->link));
    ob_buf_puts(out, "\">");
    ob_buf_add_html(out, title_of(s, p), strlen(title_of(s, p)));
    ob_buf_puts(out, "</a>");
    if (note && *note) {
        ob_buf_puts(out, " — ");
        ob_buf_add_html(out, note, strlen(note));
    }
    ob_buf_puts(out, "</li>\n");
}

static enum ob_err
write_review(struct site *s)
{
    struct render *r = s->main;
    struct ob_buf out = OB_BUF_INIT;
    size_t i, n = 0;
    enum ob_err err;

    ob_buf_puts(&out, "<ul class=\"review-list\">\n");
    for (i = 0; i < s->nav.n; i++) {
        const struct ob_page *p = s->nav.reading[i]->page;

        if (!needs_review(s, p))
            continue;
        page_item(s, &out, p, "../",
                  ob_arena_printf(&r->a, "%s %s%s%s", word(s->b, "review_due"),
                                  date_text(r, p->review_by),
                                  p->owner ? " · " : "",
                                  p->owner ? p->owner : ""));
        n++;
    }
    ob_buf_puts(&out, "</ul>\n");
    if (!n) {
        ob_buf_reset(&out);
        ob_buf_printf(&out, "<p>%s</p>\n", word(s->b, "review_none"));
    }
    err = write_made_page(r, "review/index.html", 1, word(s->b, "review_title"),
                          out.ptr);
    ob_buf_release(&out);
    return err;
}

struct tag_use {
    const char *slug, *name;
    const struct ob_page *page;
    size_t order;
};

static int
by_tag(const void *pa, const void *pb)
{
    const struct tag_use *a = pa, *b = pb;
    int c = strcmp(a->slug, b->slug);

    return c ? c : a->order < b->order ? -1 : a->order > b->order;
}

static enum ob_err
write_tags(struct site *s)
{
    struct render *r = s->main;
    struct tag_use *uses = NULL;
    size_t n = 0, cap = 0, i, j, k;
    struct ob_buf index = OB_BUF_INIT, list = OB_BUF_INIT, slug = OB_BUF_INIT;
    enum ob_err err = OB_OK;

    for (i = 0; i < s->nav.n; i++) {
        const struct ob_page *p = s->nav.reading[i]->page;

        for (k = 0; k < p->n_tags; k++) {
            tag_slug(&slug, p->tags[k]);
            OB_GROW(uses, n + 1, cap);
            uses[n++] = (struct tag_use){ob_arena_strdup(&s->arena, slug.ptr),
                                         p->tags[k], p, i};
        }
    }
    ob_qsort(uses, n, sizeof(*uses), by_tag);
    ob_buf_puts(&index, "<ul class=\"tag-list\">\n");
    for (i = 0; !err && i < n; i = j) {
        for (j = i; j < n && !strcmp(uses[j].slug, uses[i].slug); j++)
            ;
        ob_buf_printf(&index, "<li><a class=\"tag\" href=\"%s.html\">",
                      uses[i].slug);
        ob_buf_add_html(&index, uses[i].name, strlen(uses[i].name));
        ob_buf_printf(&index, "</a> %zu</li>\n", j - i);
        ob_buf_reset(&list);
        ob_buf_puts(&list, "<ul>\n");
        for (k = i; k < j; k++)
            if (k == i || uses[k].page != uses[k - 1].page)
                page_item(s, &list, uses[k].page, "../", NULL);
        ob_buf_puts(&list, "</ul>\n");
        err = write_made_page(
            r, ob_arena_printf(&s->arena, "tags/%s.html", uses[i].slug), 1,
            ob_arena_printf(&s->arena, "%s \xE2\x80\x9C%s\xE2\x80\x9D",
                            word(s->b, "tagged"), uses[i].name),
            list.ptr);
        ob_arena_release(&r->a);
        ob_arena_init(&r->a);
    }
    ob_buf_puts(&index, "</ul>\n");
    if (!err && n)
        err = write_made_page(r, "tags/index.html", 1, word(s->b, "tags_title"),
                              index.ptr);
    free(uses);
    ob_buf_release(&index);
    ob_buf_release(&list);
    ob_buf_release(&slug);
    return err;
}

/* ---- redirects, 404, sitemap, search ----------------------------------------
 */

/* A page's front matter, read now if the page was placed unread. */
static const struct ob_yaml_node *
front_of(struct site *s, const struct ob_page *p)
{
    const struct ob_yaml_node *front = NULL;
    const char *body;
    size_t len;

    if (!p->unread)
        return p->front;
    (void)ob_content_read_text(p, &s->arena, s->d, &body, &len, &front);
    return front;
}

/* An alias ("old/triage.html", "old/triage/" or "old/triage") becomes a
 * page that sends the reader on. */
static enum ob_err
write_aliases(struct site *s)
{
    struct render *r = s->main;
    enum ob_err err = OB_OK;
    size_t i, k;

    for (i = 0; !err && i < s->b->content.n_pages; i++) {
        const struct ob_page *p = &s->b->content.pages[i];

        for (k = 0; !err && k < p->n_aliases; k++) {
            const char *alias = p->aliases[k];
            size_t len = strlen(alias);
            const char *url, *c;
            struct ob_tval *ctx = ob_tval_map(&r->a);
            unsigned depth = 0;

            while (*alias == '/')
                alias++, len--;
            if (len && alias[len - 1] == '/')
                url = ob_arena_printf(&r->a, "%sindex.html", alias);
            else if (len > 5 && !strcmp(alias + len - 5, ".html"))
                url = alias;
            else
                url = ob_arena_printf(&r->a, "%s.html", alias);
            if (ob_nav_find(&s->nav, url)) {
                struct ob_pos pos = {p->src, 1, 1};

                ob_diag_error(
                    s->d, &pos, "alias '%s' would replace the page '%s'",
                    p->aliases[k], ob_nav_find(&s->nav, url)->page->src);
                err = OB_ERR_INPUT;
                continue;
            }
            for (c = url; *c; c++)
                depth += *c == '/';
            put(r, ctx, "site", s->site_ctx);
            put(r, ctx, "t", s->words);
            put(r, ctx, "page", page_fields(r, p, front_of(s, p)));
            put(r, ctx, "target",
                str(r, ob_arena_printf(&r->a, "%s%s", root_of(r, depth),
                                       p->link)));
            err = write_layout(r, "redirect.html", url, ctx, NULL);
        }
    }
    return err;
}

/* 404.html: a server shows it at any depth, so with an absolute base_url
 * its links start from there; with relative links only the site's root
 * can serve it as it is. */
static enum ob_err
write_404(struct site *s)
{
    struct render *r = s->main;
    const char *base = s->b->config.site.base_url;
    size_t len = strlen(base);
    const char *content =
        ob_arena_printf(&r->a, "<p>%s</p>\n", word(s->b, "not_found_text"));
    enum ob_err err;

    if (strstr(base, "://"))
        r->root = ob_arena_printf(&r->a, "%s%s", base,
                                  len && base[len - 1] == '/' ? "" : "/");
    err = write_made_page(r, "404.html", 0, word(s->b, "not_found"), content);
    r->root = NULL;
    return err;
}

static enum ob_err
write_sitemap(struct site *s)
{
    const char *base = s->b->config.site.base_url;
    struct ob_buf out = OB_BUF_INIT;
    size_t i, len = strlen(base);
    enum ob_err err;

    if (!strstr(base, "://"))
        return OB_OK; /* relative links: no absolute URLs to list */
    ob_buf_puts(&out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset "
                      "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
                      "\n");
    for (i = 0; i < s->nav.n; i++) {
        const char *url = s->nav.reading[i]->page->link;

        ob_buf_puts(&out, "<url><loc>");
        ob_buf_add_html(&out, base, len);
        if (len && base[len - 1] != '/')
            ob_buf_putc(&out, '/');
        if (strcmp(url, "./"))
            ob_buf_add_html(&out, url, strlen(url));
        ob_buf_puts(&out, "</loc></url>\n");
    }
    ob_buf_puts(&out, "</urlset>\n");
    err = write_file(s, s->d, "sitemap.xml", out.ptr, out.len, NULL);
    ob_buf_release(&out);
    return err;
}

#define SEARCH_JS "search-index.js"

/* The search script: as the last build wrote it when the index it loaded
 * did not change, and OUT still has it. */
static enum ob_err
write_search(struct site *s)
{
    struct ob_buf out = OB_BUF_INIT;
    enum ob_err err;

    s->search_js = ob_pagecache_search_js(s->last);
    if (s->last && ob_search_unchanged(s->search) &&
        ob_output_reusable(s->o, SEARCH_JS, s->search_js)) {
        s->search_kept = true;
        return ob_output_reuse(s->o, s->d, SEARCH_JS);
    }
    ob_search_write_js(s->search, &out);
    s->search_js = ob_hash(out.ptr, out.len);
    err = ob_output_write(s->o, s->d, SEARCH_JS, out.ptr, out.len);
    ob_buf_release(&out);
    return err;
}

/* The theme's assets/, each replaced by a file of the same name in the
 * site's static/assets/ (copied later, over it). */
static enum ob_err
write_assets(struct site *s)
{
    enum ob_err err = OB_OK;
    size_t i;

    for (i = 0; !err && i < ob_theme_count; i++) {
        const struct ob_embedded_file *f = &ob_theme_files[i];

        if (!strncmp(f->path, "assets/", 7))
            err = ob_output_write(s->o, s->d, f->path, f->data, f->len);
    }
    return err;
}

/* Copies static/ into OUT as it is, folders included. Every symlink out
 * of the site is reported, not only the first. `a` holds the paths: it
 * must outlive the diagnostics. */
static enum ob_err
copy_static(const struct ob_build *b, struct ob_diag *d, struct ob_output *o,
            struct ob_arena *a, const char *dir, const char *rel)
{
    struct ob_fs_entry *entries;
    size_t n, i;
    enum ob_err err, one;

    err = ob_fs_list(d, dir, a, &entries, &n);
    for (i = 0; err != OB_ERR_ENV && i < n; i++) {
        const char *path = ob_fs_join(a, dir, entries[i].name);
        const char *to = ob_fs_join(a, rel, entries[i].name);
        struct ob_pos pos = {path, 0, 0};

        one = OB_OK;
        if (entries[i].symlink &&
            ob_fs_check_inside(&b->root, d, &pos, path) != OB_OK)
            one = OB_ERR_INPUT;
        else if (entries[i].type == OB_FS_DIR)
            one = copy_static(b, d, o, a, path, to);
        else if (entries[i].type == OB_FS_FILE && !err)
            one = ob_output_copy(o, d, to, path);
        if (one > err)
            err = one;
    }
    return err;
}

/* The layout pass of a batch of pages, on the build's threads: each
 * item with its own values, buffers and diagnostics. */
struct layout_pass {
    struct site *s;
    size_t first;          /* page number of item 0 */
    size_t n;              /* pages */
    struct page_out *outs; /* by page */
    struct page_words *words;
    struct ob_diag *diags;
    enum ob_err *errs;
};

/* The key of the entry a page puts in the search index (0: unknown),
 * worked out (tens of microseconds: an index of the page alone) for the
 * first ENTRY_KEYS pages an incremental build renders again: an author's
 * edit, not a build that renders every page, or hundreds, and most likely
 * changes the index anyway. */
#define ENTRY_KEYS 16

static uint64_t
words_key(struct site *s, const struct ob_page *p, const char *section,
          const struct ob_search_words *w)
{
    if (!s->last || s->n_keyed >= ENTRY_KEYS)
        return 0;
    s->n_keyed++; /* index_batch() runs on one thread at a time */
    return ob_search_entry_key(p->link, title_of(s, p), section, summary_of(p),
                               w);
}

/* Adds the batch's words to the search index, page by page in order, as
 * its Markdown pass found them: one thread does it, beside the layouts.
 * A page rendered again whose entry would be what the cached index has
 * (an edit that changed no word the index keeps: markup, a link, a word
 * already there) leaves the index as it is. */
static void
index_batch(struct layout_pass *lp, size_t n)
{
    struct site *s = lp->s;
    size_t k;

    for (k = 0; k < n; k++) {
        size_t i = lp->first + k;
        const struct ob_page *p = &s->b->content.pages[i];
        const struct ob_nav_item *it = &s->nav.items[i];
        const char *section =
            it->parent && it->parent->parent ? it->parent->page->title : "";
        struct page_words *pw = &lp->words[k];

        if (!pw->add)
            continue;
        s->facts[i].words = words_key(s, p, section, &pw->words);
        if (!s->last) {
            ob_search_add_page(s->search, p->link, title_of(s, p), section,
                               summary_of(p));
            ob_search_add_words(s->search, i, &pw->words);
        } else if (!pw->last || pw->last->words != s->facts[i].words) {
            /* the cached index: this page's entry starts anew */
            ob_search_restart_page(s->search, i, p->link, title_of(s, p),
                                   section, summary_of(p));
            ob_search_add_words(s->search, i, &pw->words);
        }
        ob_search_words_release(&pw->words);
        pw->add = false;
    }
}

static void
layout_page(void *ctx, size_t k)
{
    struct layout_pass *lp = ctx;
    struct site *s = lp->s;
    size_t i = lp->first + k;
    const struct ob_page *p = &s->b->content.pages[i];
    struct render r;

    if (lp->errs[k]) { /* its Markdown pass failed */
    } else if (lp->outs[k].reused) {
        lp->errs[k] = ob_output_reuse(s->o, &lp->diags[k], p->url);
    } else {
        render_init(&r, s, &lp->diags[k]);
        lp->errs[k] =
            write_layout(&r, "page.html", p->url,
                         page_context(&r, p, &s->nav.items[i],
                                      lp->outs[k].content, &lp->outs[k]),
                         &s->facts[i].out_hash);
        render_release(&r);
    }
    /* empty again, whatever it held: the slot takes a later batch's page */
    page_out_release(&lp->outs[k]);
}

/* Item 0 of a batch's pass is its search words (first, so that one
 * thread takes them while the others lay pages out); item k the layout
 * of page k - 1. */
static void
batch_item(void *ctx, size_t k)
{
    struct layout_pass *lp = ctx;

    if (k == 0)
        index_batch(lp, lp->n);
    else
        layout_page(lp, k - 1);
}

/* Pages go in batches. This thread runs the Markdown pass of batch k+1
 * while the other threads lay out batch k: cmark-gfm must stay in one
 * thread, the layouts and file writes need not. Then it joins them on
 * what is left of batch k. A batch bounds the HTML held at once. The
 * last batch is laid out once every Markdown pass is done, by all the
 * threads, this one too: the smaller a batch, the less of the build runs
 * while the others wait for it. */
#define PAGE_BATCH 128

struct batch {
    struct layout_pass lp;
    struct ob_items items; /* its search words, then its pages */
    unsigned threads;
    struct ob_worker *worker; /* laying it out, or NULL: not yet */
};

static void
lay_out_batch(void *arg)
{
    struct batch *b = arg;

    ob_items_run(&b->items, b->threads);
}

static void
batch_init(struct batch *b, struct site *s)
{
    memset(b, 0, sizeof(*b));
    b->lp.s = s;
    b->lp.outs = ob_xcalloc(PAGE_BATCH, sizeof(*b->lp.outs));
    b->lp.words = ob_xcalloc(PAGE_BATCH, sizeof(*b->lp.words));
    b->lp.diags = ob_xcalloc(PAGE_BATCH, sizeof(*b->lp.diags));
    b->lp.errs = ob_xcalloc(PAGE_BATCH, sizeof(*b->lp.errs));
}

/* Waits for the batch's layouts; takes in its diagnostics, in order. */
static enum ob_err
batch_finish(struct batch *b)
{
    enum ob_err err = OB_OK;
    size_t k;

    if (b->worker) {
        /* this thread's Markdown pass is done: it lays pages out beside
         * the worker rather than wait for it. The layouts and writes take
         * longer than the Markdown (most of all creating files where ext4
         * skips the inodes of an OUT removed moments ago), and this
         * thread had waited for half of a large build. */
        ob_items_take(&b->items);
        ob_worker_wait(b->worker);
    } else
        lay_out_batch(b);
    b->worker = NULL;
    for (k = 0; k < b->lp.n; k++) {
        ob_diag_absorb(b->lp.s->d, &b->lp.diags[k]);
        ob_diag_release(&b->lp.diags[k]);
        if (b->lp.errs[k] && !err)
            err = b->lp.errs[k];
    }
    b->lp.n = 0;
    return err;
}

static void
batch_release(struct batch *b)
{
    free(b->lp.outs);
    free(b->lp.words);
    free(b->lp.diags);
    free(b->lp.errs);
}

/* Starts laying out a batch: by the worker when there is more than one
 * thread and Markdown passes are still to come, else later, in
 * batch_finish(), on all of them. */
static void
batch_start(struct batch *b, struct ob_worker *w, unsigned threads, bool last)
{
    ob_items_init(&b->items, b->lp.n + 1, batch_item, &b->lp);
    b->threads = threads > 1 && !last ? threads - 1 : threads;
    b->worker = threads > 1 && !last ? w : NULL;
    if (b->worker)
        ob_worker_give(w, lay_out_batch, b);
}

static enum ob_err
write_pages(struct site *s, unsigned threads)
{
    size_t n = s->b->content.n_pages, first, k;
    struct batch batches[2], *prev = NULL;
    struct ob_worker worker; /* lays out every batch but the last */
    enum ob_err err = OB_OK, done;
    int which = 0;

    ob_worker_init(&worker, threads > 1 && n > PAGE_BATCH);
    batch_init(&batches[0], s);
    batch_init(&batches[1], s);
    for (first = 0; first < n; first += PAGE_BATCH) {
        struct batch *b = &batches[which];
        size_t m = n - first < PAGE_BATCH ? n - first : PAGE_BATCH;

        b->lp.first = first;
        b->lp.n = m;
        for (k = 0; k < m; k++) {
            ob_diag_init(&b->lp.diags[k], 100);
            b->lp.errs[k] =
                markdown_pass(s, first + k, &b->lp.outs[k], &b->lp.words[k]);
            if (b->lp.errs[k] && !err)
                err = b->lp.errs[k];
        }
        if (prev && (done = batch_finish(prev)) && !err)
            err = done;
        batch_start(b, &worker, threads, first + m >= n);
        prev = b;
        which ^= 1;
    }
    if (prev && (done = batch_finish(prev)) && !err)
        err = done;
    ob_worker_release(&worker);
    batch_release(&batches[0]);
    batch_release(&batches[1]);
    if (!err)
        ob_links_check_anchors(s->links, s->d);
    return err;
}

/* ---- incremental builds ------------------------------------------------ */

/* What every page's HTML may depend on besides its own file: the
 * configuration (with the values of its ${NAME}s), the site's layouts (the
 * theme's are in the program, which the cache names), as_of, URL style, and
 * every page's place and front matter (navigation, lists, link targets), every
 * file beside the pages. See pagecache.h. The pages' part, the most of it, is
 * worked out on a thread of its own while the navigation is made
 * (key_of_pages()). */
static uint64_t
site_key(const struct site *s, uint64_t pages_key)
{
    const struct ob_build *b = s->b;
    struct ob_buf config = OB_BUF_INIT;
    struct ob_hasher h;

    ob_hasher_init(&h);
    if (b->config.path && ob_fs_read_file(s->d, NULL, b->config.path,
                                          OB_FS_MAX_FILE, &config) == OB_OK)
        ob_hasher_add(&h, config.ptr, config.len);
    ob_buf_release(&config);
    ob_hasher_add_u64(&h, b->config.env_key); /* ${NAME} in it */
    ob_hasher_add_u64(&h, s->layouts.site_hash);
    ob_hasher_add_u64(&h, (uint64_t)(int64_t)b->as_of);
    ob_hasher_add_u64(&h, s->pretty);
    ob_hasher_add_u64(&h, pages_key);
    return ob_hasher_finish(&h);
}

struct pages_key {
    const struct ob_content *c;
    uint64_t key;
    struct ob_task task;
};

static void
key_of_pages(void *arg)
{
    struct pages_key *k = arg;
    const struct ob_content *c = k->c;
    struct ob_hasher h;
    size_t i;

    ob_hasher_init(&h);
    ob_hasher_add_u64(&h, c->n_pages);
    for (i = 0; i < c->n_pages; i++) {
        const struct ob_page *p = &c->pages[i];

        ob_hasher_add_str(&h, p->src);
        ob_hasher_add_str(&h, p->url);
        ob_hasher_add_str(&h, p->link);
        ob_hasher_add_str(&h, p->section);
        ob_hasher_add_str(&h, p->title);
        ob_hasher_add_str(&h, p->description);
        ob_hasher_add_str(&h, p->owner);
        ob_hasher_add_u64(&h, (uint64_t)p->weight);
        ob_hasher_add_u64(&h, p->is_section | p->generated << 1 |
                                  p->body_has_title << 2 |
                                  p->has_review_by << 3);
        ob_hasher_add_u64(&h, (uint64_t)p->made);
        ob_hasher_add_u64(&h, (uint64_t)(int64_t)p->review_by);
        ob_hasher_add_strs(&h, p->tags, p->n_tags);
        ob_hasher_add_strs(&h, p->aliases, p->n_aliases);
    }
    ob_hasher_add_u64(&h, c->n_assets);
    for (i = 0; i < c->n_assets; i++) {
        ob_hasher_add_str(&h, c->assets[i].src);
        ob_hasher_add_str(&h, c->assets[i].url);
    }
    k->key = ob_hasher_finish(&h);
}

/* The last build's facts and search index when its site key is this
 * one's (and OUT can keep files); else a fresh index. */
static void
start_reuse(struct site *s)
{
    uint64_t key = 0;

    s->facts = ob_xcalloc(s->b->content.n_pages + 1, sizeof(*s->facts));
    ob_task_wait(&s->pages_key->task);
    s->key = site_key(s, s->pages_key->key);
    s->last = ob_pagecache_read_take(s->prefetch, &key, &s->search);
    s->prefetch = NULL;
    if (s->last && key != s->key) {
        ob_pagecache_free(s->last);
        ob_search_free(s->search);
        s->last = NULL;
        s->search = NULL;
    }
    if (!s->last)
        s->search = ob_search_new();
}

/*
 * The facts the next build reuses and the search index (cache files of
 * 0.3 and 1 MB on the bench site), made on a thread of its own from when
 * the last files are written until the commit writes them
 * (ob_output_keep_later()): the build swaps OUT in meanwhile. What it
 * reads, the pages, their facts and the search index, no longer changes
 * once it starts, and is its own once the pages are written
 * (hand_off_facts()), with the site's arena, which holds the facts'
 * strings, and the last build's facts, which the reused ones lie in. An
 * index no page changed is not made again: its file stays as it is.
 */
struct facts_job {
    const struct ob_content *content;
    uint64_t key, search_js;
    struct ob_page_facts *facts; /* by page */
    struct ob_site_file *files;
    size_t n_files;
    struct ob_search *search;
    bool search_as_is; /* the last build's index, unchanged */
    struct ob_pagecache *last;
    struct ob_arena arena;
    bool owns;     /* the above are the job's: see hand_off_facts() */
    unsigned refs; /* the kept files still to finish, or the site */
    struct ob_buf out, search_out;
    struct ob_task task;
};

static void
make_facts(void *arg)
{
    struct facts_job *j = arg;

    ob_pagecache_save(j->key, j->content, j->facts, j->files, j->n_files,
                      &j->out);
    if (!j->search_as_is)
        ob_pagecache_save_search(j->search, &j->search_out);
}

/* The job, started; NULL when OUT keeps no cache. */
static struct facts_job *
start_facts(struct site *s, unsigned threads)
{
    struct facts_job *j;

    if (s->o->discard || !s->o->cache)
        return NULL;
    j = ob_xcalloc(1, sizeof(*j));
    j->content = &s->b->content;
    j->key = s->key;
    j->facts = s->facts;
    j->files = s->files;
    j->n_files = s->n_files;
    j->search = s->search;
    j->search_as_is = ob_search_unchanged(s->search);
    j->refs = 1;
    ob_buf_init(&j->out);
    ob_buf_init(&j->search_out);
    ob_search_prepare(s->search); /* the two writers of the index read it */
    ob_task_start(&j->task, make_facts, j, threads > 1);
    return j;
}

/* Frees the job, with what it owns, once nothing needs it. */
static void
release_facts(struct facts_job *j)
{
    size_t i;

    if (--j->refs)
        return;
    if (j->owns) {
        /* the facts lie in the last build's cache: it goes after them */
        for (i = 0; i < j->content->n_pages; i++)
            ob_page_facts_release(&j->facts[i]);
        free(j->facts);
        free(j->files);
        ob_pagecache_free(j->last);
        ob_search_free(j->search);
        ob_arena_release(&j->arena);
    }
    ob_buf_release(&j->out);
    ob_buf_release(&j->search_out);
    free(j);
}

/* Waits for the job; the bytes it made in `made` go to `data` unless
 * that is NULL (the build failed, or keeps nothing). */
static void
hand_over(struct facts_job *j, struct ob_buf *made, struct ob_buf *data)
{
    ob_task_wait(&j->task);
    if (data) {
        *data = *made;
        ob_buf_init(made);
    }
    release_facts(j);
}

/* The file of page facts (ob_output_keep_later()). */
static void
finish_facts(void *ctx, struct ob_buf *data)
{
    struct facts_job *j = ctx;

    ob_task_wait(&j->task);
    if (data)
        ob_pagecache_save_end(j->search_js, &j->out);
    hand_over(j, &j->out, data);
}

/* The search index's file. */
static void
finish_search(void *ctx, struct ob_buf *data)
{
    struct facts_job *j = ctx;

    hand_over(j, &j->search_out, data);
}

/* The pages are written: what the job reads becomes its own, and the
 * output keeps what it makes. */
static void
hand_off_facts(struct site *s, struct facts_job *j)
{
    j->search_js = s->search_js;
    j->last = s->last;
    j->arena = s->arena;
    j->owns = true;
    s->facts = NULL;
    s->files = NULL;
    s->n_files = s->cap_files = 0;
    s->last = NULL;
    s->search = NULL;
    ob_arena_init(&s->arena);
    if (j->search_as_is) {
        ob_output_keep_as_is(s->o, ob_pagecache_search_file());
    } else {
        j->refs++;
        ob_output_keep_later(s->o, ob_pagecache_search_file(), finish_search,
                             j);
    }
    ob_output_keep_later(s->o, "site", finish_facts, j);
}

static void
end_reuse(struct site *s)
{
    size_t i;

    for (i = 0; s->facts && i < s->b->content.n_pages; i++)
        ob_page_facts_release(&s->facts[i]);
    free(s->facts);
    free(s->files);
    ob_pagecache_free(s->last);
}

/* The review list, tag pages, 404 and sitemap show the site key's inputs
 * only: under the same key, the last build's files stay as they are.
 * Whether they all could (*err: a reuse that failed). */
static bool
reuse_key_files(struct site *s, enum ob_err *err)
{
    size_t n, i;
    const struct ob_site_file *f = ob_pagecache_files(s->last, &n);

    *err = OB_OK;
    if (!n)
        return false;
    for (i = 0; i < n; i++)
        if (!ob_output_reusable(s->o, f[i].path, f[i].hash))
            return false;
    for (i = 0; !*err && i < n; i++) {
        *err = ob_output_reuse(s->o, s->d, f[i].path);
        OB_GROW(s->files, s->n_files + 1, s->cap_files);
        s->files[s->n_files++] = f[i];
    }
    return true;
}

/* The files of the site key, written or kept. */
static enum ob_err
write_key_files(struct site *s)
{
    enum ob_err err;

    if (reuse_key_files(s, &err))
        return err;
    s->n_files = 0;
    s->recording = true;
    err = write_review(s);
    if (!err)
        err = write_tags(s);
    if (!err)
        err = write_404(s);
    if (!err)
        err = write_sitemap(s);
    s->recording = false;
    return err;
}

static enum ob_err
write_site(struct site *s, unsigned threads)
{
    const struct ob_build *b = s->b;
    enum ob_err err;
    size_t i;

    err = load_layouts(&s->layouts, &b->root, s->d, s->keep);
    if (!err)
        start_reuse(s);
    if (!err)
        err = write_assets(s);
    if (!err)
        err = write_pages(s, threads);
    if (!err)
        err = write_key_files(s);
    if (!err)
        err = write_aliases(s);
    if (!err)
        s->facts_job = start_facts(s, threads);
    if (!err)
        err = write_search(s);
    for (i = 0; !err && i < b->content.n_assets; i++)
        err = ob_output_copy(s->o, s->d, b->content.assets[i].url,
                             b->content.assets[i].src);
    /* static/'s paths in the build's arena: a diagnostic may name one */
    if (!err && access("static", F_OK) == 0)
        err = ob_fs_check_inside(&b->root, s->d, NULL, "static");
    if (!err && access("static", F_OK) == 0)
        err = copy_static(b, s->d, s->o, s->keep, "static", "");
    if (err && s->facts_job) {
        finish_facts(s->facts_job, NULL); /* the site's to free */
        s->facts_job = NULL;
    }
    return err;
}

/* Made pages come after every page from content/ in their folder. */
#define MADE_WEIGHT 2000000000LL

enum ob_err
ob_site_plan(struct ob_build *b)
{
    struct ob_made_page *made;
    struct ob_buf slug = OB_BUF_INIT;
    size_t n = 0, i;
    enum ob_err err;

    made = ob_xcalloc(b->kpis.n + b->okrs.n_quarters + 3, sizeof(*made));
    if (b->kpis.n)
        made[n++] = (struct ob_made_page){
            "kpis/index.html", word(b, "kpis_title"), NULL,
            MADE_WEIGHT,       OB_MADE_KPIS,          NULL};
    for (i = 0; i < b->kpis.n; i++) {
        const struct ob_kpi *kpi = &b->kpis.kpis[i];

        made[n++] = (struct ob_made_page){
            ob_arena_printf(&b->arena, "kpis/%s/index.html", kpi->def->id),
            kpi->def->title,
            kpi->def->description,
            (long long)i,
            OB_MADE_KPI,
            kpi};
    }
    if (b->okrs.n_quarters)
        made[n++] = (struct ob_made_page){
            "okrs/index.html", word(b, "okrs_title"), NULL,
            MADE_WEIGHT + 1,   OB_MADE_OKRS,          NULL};
    for (i = 0; i < b->okrs.n_quarters; i++) {
        const struct ob_quarter *q = &b->okrs.quarters[i];

        ob_buf_reset(&slug);
        ob_okrview_slug(q, &slug);
        /* the latest first */
        made[n++] = (struct ob_made_page){
            ob_arena_printf(&b->arena, "okrs/%s/index.html", slug.ptr),
            ob_arena_printf(&b->arena, "OKRs %s", q->label),
            NULL,
            (long long)(b->okrs.n_quarters - i),
            OB_MADE_QUARTER,
            q};
    }
    if (b->config.n_reports)
        made[n++] = (struct ob_made_page){
            "reports/index.html", word(b, "reports_title"), NULL,
            MADE_WEIGHT + 2,      OB_MADE_REPORTS,          NULL};
    err = ob_content_add_made(&b->content, &b->arena, &b->diag, made, n,
                              strstr(b->config.site.base_url, "://") != NULL);
    free(made);
    ob_buf_release(&slug);
    return err;
}

enum ob_err
ob_site_write(const struct ob_build *b, struct ob_arena *keep, unsigned threads,
              struct ob_figures *figures, struct ob_diag *d,
              struct ob_output *o, struct ob_pagecache_read *last)
{
    struct site s;
    struct pages_key pages_key = {0};
    struct render main_render;
    const char *limit;
    enum ob_err err;

    memset(&s, 0, sizeof s);
    s.b = b;
    s.keep = keep;
    s.d = d;
    s.o = o;
    s.figures = figures;
    s.pretty = strstr(b->config.site.base_url, "://") != NULL;
    s.prefetch = o->discard || !o->cache ? NULL : last;
    if (!s.prefetch) /* no cache to keep: nothing to reuse */
        ob_pagecache_read_cancel(last);
    ob_arena_init(&s.arena);
    ob_buf_init(&s.html);
    render_init(&main_render, &s, d);
    s.main = &main_render;
    pages_key.c = &b->content;
    s.pages_key = &pages_key;
    ob_task_start(&pages_key.task, key_of_pages, &pages_key, threads > 1);
    ob_nav_build(&s.nav, &b->content, &s.arena);
    escape_nav(&s);
    s.nav_made = ob_xcalloc(s.nav.n + 1, sizeof(*s.nav_made));
    pthread_mutex_init(&s.nav_lock, NULL);
    s.links = ob_links_new(&b->content);
    site_context(&s);
    limit = ob_arena_printf(&s.arena, "page_timeout (%llds)",
                            (long long)b->config.build.page_timeout);
    s.dog =
        ob_watchdog_start((double)b->config.build.page_timeout, limit, o->tmp);
    err = write_site(&s, threads ? threads : 1);
    if (!err && b->opt.verbose && !o->discard) {
        fprintf(stderr, "opsbook: pages    %zu written, %zu unchanged\n",
                b->content.n_pages - s.n_reused, s.n_reused);
        fprintf(stderr, "opsbook: search   index %s\n",
                s.search_kept ? "unchanged" : "written");
    }
    ob_watchdog_stop(s.dog);
    ob_task_wait(&pages_key.task); /* if write_site() stopped before */
    /* write_site() stopped before start_reuse() */
    ob_pagecache_read_cancel(s.prefetch);
    if (s.facts_job)
        hand_off_facts(&s, s.facts_job);
    end_reuse(&s);
    free_layouts(&s.layouts);
    free_navs(&s);
    ob_search_free(s.search);
    ob_links_free(s.links);
    render_release(&main_render);
    ob_buf_release(&s.html);
    ob_arena_release(&s.arena);
    return err;
}
