/* markdown.c: cmark-gfm with GitHub's extensions, raw HTML made visible. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/markdown.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <cmark-gfm/registry.h> /* cmark_release_plugins() */

#include "opsbook/mem.h"
#include "opsbook/text.h"

/* Marks a token's place where cmark-gfm takes no custom node (see
 * insert_html()). ASCII SUB: text holding it is never given tokens. */
#define PLACEHOLDER "\x1A"

static const char *const extension_names[] = {
    "table", "strikethrough", "autolink", "tagfilter", "tasklist", NULL};

void
ob_markdown_setup(void)
{
    cmark_mem *mem = cmark_get_default_mem_allocator();

    /* cmark-gfm's own allocator aborts (a core dump) when memory runs out;
     * opsbook's ends the run as from any other allocation (ob_oom()). Set
     * before the extensions register: they allocate with it. */
    mem->calloc = ob_xcalloc;
    mem->realloc = ob_xrealloc;
    mem->free = free;
    cmark_gfm_core_extensions_ensure_registered();
}

void
ob_markdown_teardown(void)
{
    cmark_release_plugins();
}

/*
 * cmark-gfm allocates every node, delimiter and buffer of a page with
 * calloc and frees them one by one: a tenth of a docs build went to
 * malloc and free. A page's allocations all die with its render, so they
 * come from a bump arena freed at once. cmark_mem has no context pointer:
 * the arena of the render under way is this thread's `page_arena`.
 */
#define ARENA_CHUNK (256u * 1024)
#define ARENA_ALIGN 16u
/* A page this long parses with the C library's allocator: a pathological
 * page could otherwise hold every buffer it ever grew. */
#define ARENA_MAX_PAGE (512u * 1024)

struct arena_chunk {
    struct arena_chunk *next;
    size_t size, used; /* of the space after the header */
    char *last;        /* the latest block: realloc grows it in place */
};

struct page_arena {
    struct arena_chunk *chunks; /* the current one first */
};

static _Thread_local struct page_arena *page_arena;

static size_t
aligned(size_t n)
{
    return (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

/* Where a chunk's blocks start; each block starts with its size (for
 * realloc), ARENA_ALIGN bytes before what the caller gets. */
static char *
space_of(struct arena_chunk *c)
{
    return (char *)c + aligned(sizeof(*c));
}

static struct arena_chunk *
new_chunk(size_t size)
{
    struct arena_chunk *c = ob_xmalloc(aligned(sizeof(*c)) + size);

    c->size = size;
    c->used = 0;
    c->last = NULL;
    return c;
}

static void *
arena_alloc(size_t size)
{
    struct page_arena *a = page_arena;
    struct arena_chunk *c = a->chunks;
    size_t need;
    char *block;

    if (size > SIZE_MAX - 2 * ARENA_ALIGN)
        ob_oom();
    need = ARENA_ALIGN + aligned(size);
    if (need > ARENA_CHUNK / 4) { /* a chunk of its own, behind the current */
        c = new_chunk(need);
        if (a->chunks) {
            c->next = a->chunks->next;
            a->chunks->next = c;
        } else {
            c->next = NULL;
            a->chunks = c;
        }
    } else if (!c || c->size - c->used < need) {
        c = new_chunk(ARENA_CHUNK);
        c->next = a->chunks;
        a->chunks = c;
    }
    block = space_of(c) + c->used;
    c->used += need;
    c->last = block;
    memcpy(block, &size, sizeof size);
    return block + ARENA_ALIGN;
}

static void *
arena_calloc(size_t n, size_t size)
{
    void *p;

    if (size && n > SIZE_MAX / size)
        ob_oom();
    p = arena_alloc(n * size);
    memset(p, 0, n * size);
    return p;
}

static void *
arena_realloc(void *ptr, size_t size)
{
    struct arena_chunk *c = page_arena->chunks;
    char *block;
    size_t old, at;
    void *p;

    if (!ptr)
        return arena_alloc(size);
    block = (char *)ptr - ARENA_ALIGN;
    memcpy(&old, block, sizeof old);
    at = c && block == c->last ? (size_t)(block - space_of(c)) : SIZE_MAX;
    if (at != SIZE_MAX && size <= ARENA_CHUNK &&
        ARENA_ALIGN + aligned(size) <= c->size - at) {
        /* the latest block of the current chunk grows in place */
        c->used = at + ARENA_ALIGN + aligned(size);
        memcpy(block, &size, sizeof size);
        return ptr;
    }
    p = arena_alloc(size);
    memcpy(p, ptr, old < size ? old : size);
    return p;
}

static void
arena_free(void *ptr)
{
    (void)ptr; /* all at once, when the page is done */
}

static cmark_mem arena_mem = {arena_calloc, arena_realloc, arena_free};

static void
arena_release(struct page_arena *a)
{
    struct arena_chunk *c = a->chunks, *next;

    for (; c; c = next) {
        next = c->next;
        free(c);
    }
    a->chunks = NULL;
}

/* A text node holding `literal`, which may end in a newline to drop. */
static cmark_node *
text_node(const char *literal, cmark_mem *mem)
{
    cmark_node *t = cmark_node_new_with_mem(CMARK_NODE_TEXT, mem);
    size_t n = literal ? strlen(literal) : 0;
    char *copy;

    while (n && (literal[n - 1] == '\n' || literal[n - 1] == '\r'))
        n--;
    copy = ob_xstrndup(literal ? literal : "", n);
    cmark_node_set_literal(t, copy);
    free(copy);
    return t;
}

/* Replaces a raw HTML node by text that renders escaped. */
static void
escape_html_node(cmark_node *node, cmark_mem *mem)
{
    const char *literal = cmark_node_get_literal(node);
    cmark_node *repl = text_node(literal, mem);

    if (cmark_node_get_type(node) == CMARK_NODE_HTML_BLOCK) {
        cmark_node *para = cmark_node_new_with_mem(CMARK_NODE_PARAGRAPH, mem);
        cmark_node_append_child(para, repl);
        repl = para;
    }
    cmark_node_replace(node, repl);
    cmark_node_free(node);
}

static void
escape_raw_html(cmark_node *doc, cmark_mem *mem)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_node **found = NULL;
    size_t n = 0, cap = 0, i;
    cmark_event_type ev;

    for (ev = cmark_iter_next(it); ev != CMARK_EVENT_DONE;
         ev = cmark_iter_next(it)) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(node);

        if (ev == CMARK_EVENT_ENTER &&
            (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE)) {
            OB_GROW(found, n + 1, cap);
            found[n++] = node;
        }
    }
    cmark_iter_free(it);
    /* Replaced after the walk: the iterator must not see freed nodes. */
    for (i = 0; i < n; i++)
        escape_html_node(found[i], mem);
    free(found);
}

/* ---- anchors ------------------------------------------------------------ */

static size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    if (s[0] < 0x80 || len < 2) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xe0) == 0xc0) {
        *cp = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
        return 2;
    }
    if ((s[0] & 0xf0) == 0xe0 && len >= 3) {
        *cp = (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 |
              (s[2] & 0x3f);
        return 3;
    }
    if (len >= 4) {
        *cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
              (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
        return 4;
    }
    *cp = 0xfffd;
    return 1;
}

static void
utf8_encode(struct ob_buf *out, uint32_t cp)
{
    char b[4];

    if (cp < 0x80) {
        ob_buf_putc(out, (char)cp);
    } else if (cp < 0x800) {
        b[0] = (char)(0xc0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3f));
        ob_buf_add(out, b, 2);
    } else if (cp < 0x10000) {
        b[0] = (char)(0xe0 | cp >> 12);
        b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        b[2] = (char)(0x80 | (cp & 0x3f));
        ob_buf_add(out, b, 3);
    } else {
        b[0] = (char)(0xf0 | cp >> 18);
        b[1] = (char)(0x80 | (cp >> 12 & 0x3f));
        b[2] = (char)(0x80 | (cp >> 6 & 0x3f));
        b[3] = (char)(0x80 | (cp & 0x3f));
        ob_buf_add(out, b, 4);
    }
}

/* Lowercase for the scripts handbooks are written in: Latin-1 and
 * Latin Extended-A, Greek, Cyrillic. */
static uint32_t
lower(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    if (cp >= 0xc0 && cp <= 0xde && cp != 0xd7)
        return cp + 32;
    if (cp == 0x178)
        return 0xff; /* Ÿ -> ÿ */
    if (cp >= 0x100 && cp <= 0x17f && cp != 0x130 && cp != 0x138 &&
        !((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e)))
        return cp | 1;
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e))
        return cp & 1 ? cp + 1 : cp;
    if (cp >= 0x391 && cp <= 0x3a9 && cp != 0x3a2)
        return cp + 32;
    if (cp >= 0x410 && cp <= 0x42f)
        return cp + 32;
    if (cp >= 0x400 && cp <= 0x40f)
        return cp + 80;
    return cp;
}

/* GitHub drops punctuation and symbols from anchors: ASCII ones, the
 * Latin-1 signs, general punctuation, currency, arrows, maths, shapes,
 * dingbats and emoji. */
static bool
dropped(uint32_t cp)
{
    if (cp < 0x80)
        return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
                 (cp >= '0' && cp <= '9') || cp == '_' || cp == '-' ||
                 cp == ' ');
    return (cp >= 0xa0 && cp <= 0xbf && cp != 0xaa && cp != 0xb5 &&
            cp != 0xba) ||
           cp == 0xd7 || cp == 0xf7 || (cp >= 0x2000 && cp <= 0x2bff) ||
           (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
           (cp >= 0xff00 && cp <= 0xff0f) || (cp >= 0x1f000 && cp <= 0x1faff);
}

void
ob_markdown_anchor(struct ob_buf *out, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;

    while (i < len) {
        uint32_t cp;

        i += utf8_decode(s + i, len - i, &cp);
        if (dropped(cp))
            continue;
        if (cp == ' ')
            ob_buf_putc(out, '-');
        else
            utf8_encode(out, lower(cp));
    }
}

/* ---- the tree ----------------------------------------------------------- */

/* The text of a heading or paragraph: its literal text and code. */
static void
inline_text(cmark_node *n, struct ob_buf *out)
{
    cmark_node *c;

    for (c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
        cmark_node_type t = cmark_node_get_type(c);

        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE ||
            t == CMARK_NODE_HTML_INLINE)
            ob_buf_puts(out, cmark_node_get_literal(c));
        else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
            ob_buf_putc(out, ' ');
        else
            inline_text(c, out);
    }
}

/* What one page's walk found, changed after the walk: cmark's iterator
 * must not meet nodes that moved. */
struct walk {
    const struct ob_md_hooks *hooks;
    cmark_node **headings, **alerts, **tokens, **embeds;
    size_t n_headings, cap_headings, n_alerts, cap_alerts;
    size_t n_tokens, cap_tokens, n_embeds, cap_embeds;
    const char *text; /* the page, for character columns */
    size_t len;
    size_t *lines; /* where each line starts, made when first needed */
    size_t n_lines;
    char **held;   /* HTML waiting for its placeholder: see insert_html() */
    bool has_mark; /* the page's text holds PLACEHOLDER */
    size_t n_held, cap_held;
    int in_heading;
};

static const char *const alert_names[] = {"NOTE",    "TIP",     "IMPORTANT",
                                          "WARNING", "CAUTION", NULL};
static const char *const alert_titles[][2] = {
    {"Note", "Remarque"},       {"Tip", "Astuce"},
    {"Important", "Important"}, {"Warning", "Avertissement"},
    {"Caution", "Attention"},
};

/* The alert a block quote opens with ("[!NOTE]" alone on its first
 * line, any case), or -1. */
static int
alert_kind(cmark_node *quote)
{
    cmark_node *para = cmark_node_first_child(quote), *text, *next;
    const char *lit;
    size_t i, len;

    if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
        return -1;
    text = cmark_node_first_child(para);
    if (!text || cmark_node_get_type(text) != CMARK_NODE_TEXT)
        return -1;
    next = cmark_node_next(text);
    if (next && cmark_node_get_type(next) != CMARK_NODE_SOFTBREAK &&
        cmark_node_get_type(next) != CMARK_NODE_LINEBREAK)
        return -1;
    lit = cmark_node_get_literal(text);
    len = strlen(lit);
    while (len && lit[len - 1] == ' ')
        len--;
    if (len < 4 || lit[0] != '[' || lit[1] != '!' || lit[len - 1] != ']')
        return -1;
    for (i = 0; alert_names[i]; i++)
        if (strlen(alert_names[i]) == len - 3 &&
            !strncasecmp(lit + 2, alert_names[i], len - 3))
            return (int)i;
    return -1;
}

/* A fenced block whose info string's first word is "opsbook". */
static bool
is_embed(cmark_node *node)
{
    const char *info = cmark_node_get_fence_info(node);
    size_t n = strlen("opsbook");
    int length, offset;
    char fence;

    return cmark_node_get_fenced(node, &length, &offset, &fence) && info &&
           !strncmp(info, "opsbook", n) &&
           (info[n] == '\0' || info[n] == ' ' || info[n] == '\t');
}

/* Where each line of the page starts, once. */
static void
index_lines(struct walk *w)
{
    size_t i, cap = 0;

    OB_GROW(w->lines, 1, cap);
    w->lines[w->n_lines++] = 0;
    for (i = 0; i < w->len; i++) {
        const char *nl = memchr(w->text + i, '\n', w->len - i);

        if (!nl)
            break;
        i = (size_t)(nl - w->text);
        OB_GROW(w->lines, w->n_lines + 1, cap);
        w->lines[w->n_lines++] = i + 1;
    }
}

/*
 * Where a node starts: its line, and its character column (cmark-gfm
 * counts bytes), always a place in the page. cmark-gfm 0.29's table
 * extension, when a table's header row ends a paragraph, leaves what stays
 * of the paragraph at line 0 and counts its inlines' lines and columns
 * from 0 (found by tests/fuzz/fuzz_markdown.c); the table it places at the
 * paragraph's first line, which gives them back their lines. Its header
 * cells' columns run on across the paragraph's lines: a column is kept
 * within its line.
 */
static void
place_of(struct walk *w, cmark_node *node, uint32_t *line_out,
         uint32_t *col_out)
{
    cmark_node *block = cmark_node_parent(node), *next;
    int line = cmark_node_get_start_line(node);
    int col = cmark_node_get_start_column(node);
    size_t start, end;

    if (!w->lines)
        index_lines(w);
    while (block && (cmark_node_get_type(block) & CMARK_NODE_TYPE_MASK) !=
                        CMARK_NODE_TYPE_BLOCK)
        block = cmark_node_parent(block);
    if (block && cmark_node_get_type(block) == CMARK_NODE_PARAGRAPH &&
        cmark_node_get_start_line(block) < 1) {
        next = cmark_node_next(block);
        line += next ? cmark_node_get_start_line(next) : 1;
        col++; /* counted from 0 there too */
    }
    if (line < 1)
        line = 1;
    if ((size_t)line > w->n_lines)
        line = (int)w->n_lines;
    if (col < 1)
        col = 1;
    start = w->lines[line - 1];
    end = (size_t)line < w->n_lines ? w->lines[line] - 1 : w->len;
    if ((size_t)col - 1 < end - start)
        end = start + (size_t)col - 1;
    *line_out = (uint32_t)line;
    *col_out = (uint32_t)ob_utf8_chars(w->text + start, end - start) + 1;
}

static void
visit(struct walk *w, cmark_node *node, cmark_event_type ev)
{
    const struct ob_md_hooks *h = w->hooks;
    cmark_node_type t = cmark_node_get_type(node);

    if (t == CMARK_NODE_CODE_BLOCK && h->embed && is_embed(node)) {
        OB_GROW(w->embeds, w->n_embeds + 1, w->cap_embeds);
        w->embeds[w->n_embeds++] = node;
        return; /* its YAML is no words of the page */
    }

    if (t == CMARK_NODE_HEADING) {
        w->in_heading += ev == CMARK_EVENT_ENTER ? 1 : -1;
        if (ev == CMARK_EVENT_ENTER) {
            OB_GROW(w->headings, w->n_headings + 1, w->cap_headings);
            w->headings[w->n_headings++] = node;
        }
        return;
    }
    if (ev == CMARK_EVENT_EXIT) {
        if (h->text && !w->in_heading &&
            (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_CODE_BLOCK ||
             t == CMARK_NODE_ITEM))
            h->text(h->ctx, " ", 1);
        return;
    }
    if (t == CMARK_NODE_TEXT && h->token &&
        strstr(cmark_node_get_literal(node), "{{")) {
        OB_GROW(w->tokens, w->n_tokens + 1, w->cap_tokens);
        w->tokens[w->n_tokens++] = node;
    }
    if (t == CMARK_NODE_BLOCK_QUOTE && alert_kind(node) >= 0) {
        OB_GROW(w->alerts, w->n_alerts + 1, w->cap_alerts);
        w->alerts[w->n_alerts++] = node;
    } else if ((t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) && h->link) {
        uint32_t line, col;
        const char *to;

        place_of(w, node, &line, &col);
        to = h->link(h->ctx, cmark_node_get_url(node), t == CMARK_NODE_IMAGE,
                     line, col);

        if (to)
            cmark_node_set_url(node, to);
    } else if (h->text && !w->in_heading &&
               (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE ||
                t == CMARK_NODE_CODE_BLOCK)) {
        const char *lit = cmark_node_get_literal(node);

        h->text(h->ctx, lit, strlen(lit));
    } else if (h->text && !w->in_heading &&
               (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)) {
        h->text(h->ctx, " ", 1);
    }
}

static void
insert_text(cmark_node *before, const char *s, size_t len, cmark_mem *mem)
{
    cmark_node *t;
    char *copy;

    if (!len)
        return;
    t = cmark_node_new_with_mem(CMARK_NODE_TEXT, mem);
    copy = ob_xstrndup(s, len);
    cmark_node_set_literal(t, copy);
    free(copy);
    cmark_node_insert_before(before, t);
}

/* A token's HTML, placed before `node`: a custom inline, written as it
 * is even in safe mode. Where the parent takes no custom inline (GFM's
 * table cells take only a few kinds of node), a placeholder text goes
 * there instead, and the HTML replaces it once the page is rendered. */
static bool
insert_html(struct walk *w, cmark_node *node, const char *html, cmark_mem *mem)
{
    cmark_node *raw = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_INLINE, mem);
    char mark[32];

    cmark_node_set_on_enter(raw, html);
    if (cmark_node_insert_before(node, raw))
        return true;
    cmark_node_free(raw);
    if (w->has_mark) /* a page holding the mark keeps such tokens as text */
        return false;
    OB_GROW(w->held, w->n_held + 1, w->cap_held);
    w->held[w->n_held] = ob_xstrdup(html);
    snprintf(mark, sizeof mark, PLACEHOLDER "%zu" PLACEHOLDER, w->n_held++);
    insert_text(node, mark, strlen(mark), mem);
    return true;
}

/* A text node's tokens become the HTML the hook gives; the text around
 * them, and braces that are no token, stay text. */
static void
expand_tokens(struct walk *w, cmark_node *node, cmark_mem *mem)
{
    const struct ob_md_hooks *h = w->hooks;
    const char *lit = cmark_node_get_literal(node), *p = lit, *from = lit;
    uint32_t line, col;
    struct ob_buf html = OB_BUF_INIT;
    bool changed = false;

    place_of(w, node, &line, &col);
    while ((p = strstr(p, "{{"))) {
        const char *end = strstr(p + 2, "}}");

        if (!end)
            break;
        ob_buf_reset(&html);
        if (!h->token(h->ctx, p + 2, (size_t)(end - p - 2), line,
                      col + (uint32_t)ob_utf8_chars(lit, (size_t)(p - lit)),
                      &html)) {
            p += 2;
            continue;
        }
        insert_text(node, from, (size_t)(p - from), mem);
        if (html.len && !insert_html(w, node, html.ptr, mem))
            insert_text(node, p, (size_t)(end + 2 - p), mem);
        from = p = end + 2;
        changed = true;
    }
    if (changed) {
        insert_text(node, from, strlen(from), mem);
        cmark_node_free(node);
    }
    ob_buf_release(&html);
}

/* An embed becomes the HTML the hook gives, even in safe mode. */
static void
expand_embed(struct walk *w, cmark_node *node, cmark_mem *mem)
{
    const struct ob_md_hooks *h = w->hooks;
    const char *body = cmark_node_get_literal(node);
    struct ob_buf html = OB_BUF_INIT;
    cmark_node *box;
    uint32_t line, col;

    place_of(w, node, &line, &col);
    if (!h->embed(h->ctx, body, strlen(body), line, col, &html)) {
        ob_buf_release(&html);
        return;
    }
    box = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, mem);
    cmark_node_set_on_enter(box, html.ptr);
    cmark_node_replace(node, box);
    cmark_node_free(node);
    ob_buf_release(&html);
}

/* Moves every child of `from` to the end of `to`. */
static void
move_children(cmark_node *from, cmark_node *to)
{
    cmark_node *c;

    while ((c = cmark_node_first_child(from))) {
        cmark_node_unlink(c);
        cmark_node_append_child(to, c);
    }
}

/* An alert's block quote becomes a callout: a titled <div>. */
static void
make_callout(cmark_node *quote, enum ob_language lang, cmark_mem *mem)
{
    int kind = alert_kind(quote);
    cmark_node *para = cmark_node_first_child(quote);
    cmark_node *marker = cmark_node_first_child(para);
    cmark_node *brk = cmark_node_next(marker);
    cmark_node *box = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, mem);
    struct ob_buf open = OB_BUF_INIT;
    char name[16];
    size_t i;

    for (i = 0; alert_names[kind][i] && i + 1 < sizeof name; i++)
        name[i] = (char)(alert_names[kind][i] - 'A' + 'a');
    name[i] = '\0';
    ob_buf_printf(&open,
                  "<div class=\"callout callout-%s\" role=\"note\">\n"
                  "<p class=\"callout-title\">%s</p>",
                  name, alert_titles[kind][lang == OB_LANG_FR]);
    cmark_node_set_on_enter(box, open.ptr);
    cmark_node_set_on_exit(box, "</div>");
    ob_buf_release(&open);
    cmark_node_free(marker);
    if (brk)
        cmark_node_free(brk);
    if (!cmark_node_first_child(para))
        cmark_node_free(para);
    move_children(quote, box);
    cmark_node_replace(quote, box);
    cmark_node_free(quote);
}

/* True when `id` is among the first n ids given. */
static bool
id_taken(char **ids, size_t n, const char *id)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!strcmp(ids[i], id))
            return true;
    return false;
}

/*
 * Headings become a custom block that writes the same <hN> with its id
 * and a link to itself. The heading node must outlive rendering: its
 * text nodes point into its content. Returns the detached headings.
 */
static void
anchor_headings(struct walk *w, cmark_mem *mem)
{
    char **ids = ob_xcalloc(w->n_headings + 1, sizeof(*ids));
    struct ob_buf text = OB_BUF_INIT, id = OB_BUF_INIT, tag = OB_BUF_INIT;
    size_t i;

    for (i = 0; i < w->n_headings; i++) {
        cmark_node *hd = w->headings[i];
        cmark_node *box = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, mem);
        int level = cmark_node_get_heading_level(hd), dup = 0;
        size_t base;

        ob_buf_reset(&text);
        inline_text(hd, &text);
        ob_buf_reset(&id);
        ob_markdown_anchor(&id, text.ptr, text.len);
        if (!id.len)
            ob_buf_puts(&id, "section");
        base = id.len;
        while (id_taken(ids, i, id.ptr)) {
            ob_buf_truncate(&id, base);
            ob_buf_printf(&id, "-%d", ++dup);
        }
        ids[i] = ob_xstrdup(id.ptr);
        if (w->hooks->heading)
            w->hooks->heading(w->hooks->ctx, level, text.ptr, text.len, id.ptr);
        ob_buf_reset(&tag);
        ob_buf_puts(&tag, "<h");
        ob_buf_putc(&tag, (char)('0' + level)); /* 1 to 6 */
        ob_buf_puts(&tag, " id=\"");
        ob_buf_add_html(&tag, id.ptr, id.len);
        ob_buf_puts(&tag, "\">");
        cmark_node_set_on_enter(box, tag.ptr);
        ob_buf_reset(&tag);
        ob_buf_puts(&tag, "<a class=\"anchor\" href=\"#");
        ob_buf_add_html(&tag, id.ptr, id.len);
        ob_buf_puts(&tag, "\" aria-hidden=\"true\">#</a></h");
        ob_buf_putc(&tag, (char)('0' + level));
        ob_buf_putc(&tag, '>');
        cmark_node_set_on_exit(box, tag.ptr);
        move_children(hd, box);
        cmark_node_replace(hd, box);
    }
    for (i = 0; i < w->n_headings; i++)
        free(ids[i]);
    free(ids);
    ob_buf_release(&text);
    ob_buf_release(&id);
    ob_buf_release(&tag);
}

static void
transform(cmark_node *doc, const struct ob_md_hooks *hooks, struct walk *w,
          cmark_mem *mem)
{
    cmark_iter *it;
    cmark_event_type ev;
    size_t i;

    /* "{{kpi:a[b]}}" arrives as several text nodes ('[' may open a link) */
    if (hooks->token)
        cmark_consolidate_text_nodes(doc);
    it = cmark_iter_new(doc);
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
        visit(w, cmark_iter_get_node(it), ev);
    cmark_iter_free(it);
    for (i = 0; i < w->n_tokens; i++)
        expand_tokens(w, w->tokens[i], mem);
    for (i = 0; i < w->n_embeds; i++)
        expand_embed(w, w->embeds[i], mem);
    for (i = 0; i < w->n_alerts; i++)
        make_callout(w->alerts[i], hooks->language, mem);
    anchor_headings(w, mem);
}

/* Appends the rendered page, each placeholder replaced by its HTML. The
 * mark cannot come from the page: text holding it is refused first. */
static void
put_rendered(struct ob_buf *out, const char *html, const struct walk *w)
{
    const char *p = html, *mark;

    while (w->n_held && (mark = strchr(p, PLACEHOLDER[0]))) {
        char *end;
        unsigned long k = strtoul(mark + 1, &end, 10);

        ob_buf_add(out, p, (size_t)(mark - p));
        if (*end == PLACEHOLDER[0] && end > mark + 1 && k < w->n_held) {
            ob_buf_puts(out, w->held[k]);
            p = end + 1;
        } else {
            p = mark + 1; /* cannot happen: the page had no mark */
        }
    }
    ob_buf_puts(out, p);
}

/*
 * cmark-gfm 0.29 can cut a character in two: an undefined footnote
 * reference whose label runs over a line break ("[^ab\ncd]") comes out
 * as "[^", its label cut short by a byte count, and "]" (found by
 * fuzz_markdown; "[^€€\nx]" gives "[^" and half a "€"). The page's HTML
 * must stay UTF-8 whatever the parser does: each byte of a broken
 * sequence from `from` on becomes U+FFFD.
 */
static void
mend_utf8(struct ob_buf *out, size_t from)
{
    struct ob_buf good = OB_BUF_INIT;
    const char *p = out->ptr + from;
    size_t left = out->len - from, bad;

    if (ob_utf8_valid(p, left, NULL))
        return;
    while (!ob_utf8_valid(p, left, &bad)) {
        ob_buf_add(&good, p, bad);
        ob_buf_puts(&good, "\xef\xbf\xbd");
        p += bad + 1;
        left -= bad + 1;
    }
    ob_buf_add(&good, p, left);
    ob_buf_truncate(out, from);
    ob_buf_add(out, good.ptr, good.len);
    ob_buf_release(&good);
}

static const struct ob_md_hooks no_hooks = {NULL, OB_LANG_EN, NULL, NULL,
                                            NULL, NULL,       NULL};

void
ob_markdown_render(const char *text, size_t len, unsigned flags,
                   const struct ob_md_hooks *hooks, struct ob_buf *out)
{
    int options = CMARK_OPT_FOOTNOTES;
    cmark_mem *mem = cmark_get_default_mem_allocator();
    struct page_arena arena = {NULL};
    struct walk w;
    cmark_parser *parser;
    cmark_node *doc;
    char *html;
    size_t i, from;

    memset(&w, 0, sizeof w);
    w.hooks = hooks ? hooks : &no_hooks;
    w.has_mark = memchr(text, PLACEHOLDER[0], len) != NULL;
    w.text = text;
    w.len = len;
    if (flags & OB_MD_UNSAFE_HTML)
        options |= CMARK_OPT_UNSAFE;
    if (len <= ARENA_MAX_PAGE) {
        page_arena = &arena;
        mem = &arena_mem;
    }
    parser = cmark_parser_new_with_mem(options, mem);
    for (i = 0; extension_names[i]; i++) {
        cmark_syntax_extension *ext =
            cmark_find_syntax_extension(extension_names[i]);
        if (ext)
            cmark_parser_attach_syntax_extension(parser, ext);
    }
    cmark_parser_feed(parser, text, len);
    doc = cmark_parser_finish(parser);
    if (!(flags & OB_MD_UNSAFE_HTML))
        escape_raw_html(doc, mem);
    transform(doc, w.hooks, &w, mem);
    html = cmark_render_html_with_mem(
        doc, options, cmark_parser_get_syntax_extensions(parser), mem);
    from = out->len;
    put_rendered(out, html, &w);
    mend_utf8(out, from);
    mem->free(html);
    cmark_node_free(doc);
    for (i = 0; i < w.n_headings; i++)
        cmark_node_free(w.headings[i]);
    free(w.headings);
    free(w.alerts);
    free(w.tokens);
    free(w.embeds);
    for (i = 0; i < w.n_held; i++)
        free(w.held[i]);
    free(w.held);
    free(w.lines);
    cmark_parser_free(parser);
    page_arena = NULL;
    arena_release(&arena);
}
