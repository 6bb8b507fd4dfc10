/* search.c: the site's search index, written as one script for search.js. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/search.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/cache.h"
#include "opsbook/content.h"
#include "opsbook/hash.h"
#include "opsbook/intern.h"
#include "opsbook/mem.h"

/* Scans for bytes to escape, and checks a cache's postings, 16 bytes at a
 * time where SSE2 is there (all x86-64), else 8 (in a uint64_t). */
#if defined(__SSE2__) && !defined(OB_SEARCH_NO_SIMD)
#include <emmintrin.h>
#define SIMD16 1
#endif

#define IN_TITLE    1u
#define IN_HEADING  2u
#define IN_BODY     4u
#define FREQUENT    4u /* the flag written for a body count of 3 or more */
#define FREQUENT_TF 3u
#define NONE        UINT32_MAX

_Static_assert(sizeof(OB_SEARCH_DIGITS) == 64 + 27 + 1, "64 + 27 digits");

/* One (term, page): where the term is on the page. */
struct posting {
    uint32_t term, page;
    uint32_t heads; /* 1 + index in `hnodes` of the newest heading, or 0 */
    uint16_t tf;    /* times in the body, saturated */
    uint8_t flags;  /* IN_*; 0 once dropped by the body cap */
};

/* A heading a posting's term is in: a list, newest first. */
struct hnode {
    uint32_t next; /* 1 + index, or 0 */
    uint32_t pos;  /* in the page's headings */
};

struct page {
    size_t url, title, summary; /* offsets into `strs`, one after the */
    size_t end;                 /* other: each ends where the next starts */
    bool plain;                 /* none needs escaping in the script */
    uint32_t section;
    uint32_t *heads; /* ids in `heads`, in document order; loaded ones in
                        `loaded_heads` (cap_heads 0) */
    size_t n_heads, cap_heads;
};

/*
 * What ob_search_load() read: the terms that have postings, in order, with
 * their postings as written (the script's "terms" and "post" as they were),
 * and per term a table entry: an id that stays the same from save to save
 * (new terms take new ids; a term that lost every posting leaves a hole)
 * and checkpoints into its postings (see struct skip). Per page, the ids of
 * the terms it is in: a restarted page finds the terms to write again
 * without decoding the others, and the checkpoints find its postings in
 * them without decoding those before.
 */
struct touch {
    uint32_t pos, page; /* stale page `page` is in term `pos` */
};

struct frozen {
    const char *bytes; /* terms, postings, table, page lists, as saved */
    char *own;         /* the memory they are in: a copy... */
    struct ob_cache_file file; /* ... or the file */
    uint32_t *term_at;         /* n_terms + 1 starts of ' '-joined terms */
    uint32_t *post_at;         /* the same for their postings */
    uint32_t *tab_at;          /* n_terms + 1 starts of their table entries */
    uint32_t *id;              /* per term: its id */
    uint32_t *pos;             /* per id: its term, or NONE for a hole */
    size_t *list_at;           /* n_pages + 1 starts of the page lists */
    size_t n_terms, n_ids, n_pages;
    unsigned char *stale; /* per page: restarted since loaded */
    size_t n_stale;
};

struct merged;

struct ob_search {
    struct ob_intern terms, sections, heads;
    /* Per term id: the page and posting it was last seen in, so a page's
     * words merge into one posting without a lookup. */
    uint32_t *last_page, *last_post;
    size_t cap_terms;
    struct posting *posts;
    size_t n_posts, cap_posts;
    struct hnode *hnodes;
    size_t n_hnodes, cap_hnodes;
    struct page *pages;
    size_t n_pages, cap_pages;
    uint32_t *loaded_heads; /* the loaded pages' headings, in one block */
    struct ob_buf strs, term, key;
    /* The postings at the tail all belong to run_page from run_start on;
     * when text moves to another page they are capped, so memory stays
     * at about OB_SEARCH_BODY_TERMS postings a page. */
    uint32_t run_page;
    size_t run_start;
    struct frozen f; /* pages 0..f.n_pages) came from a cache */
    bool restarted;  /* sections and headings are renumbered to write */
    /* Loaded from a cache file it keeps: the records read, which saving
     * writes again as they are while nothing changed (`changed`). */
    const char *raw;
    size_t raw_len;
    bool changed;
    /* What writing worked out, for the next ob_search_write_js() or
     * ob_search_save() until the index changes: the struct is always
     * there, so that those can keep it with `s` const. */
    struct merged *mg;
};

/* ---- terms ------------------------------------------------------------ */

enum kind { SEP, DROP, LETTER, IDEO };

struct range {
    uint32_t lo, hi;
    enum kind kind;
};

/*
 * Code points that are not plain letters, by range. search.js holds the
 * same table: a term must split the same way in the index and the query.
 * Ideographs and kana are one term each, as there are no spaces to split
 * Chinese or Japanese on.
 */
static const struct range ranges[] = {
    {0x00ad, 0x00ad, DROP},   {0x0300, 0x036f, DROP},
    {0x037e, 0x037e, SEP},    {0x0387, 0x0387, SEP},
    {0x055a, 0x055f, SEP},    {0x0589, 0x058a, SEP},
    {0x05be, 0x05be, SEP},    {0x05c0, 0x05c0, SEP},
    {0x05c3, 0x05c3, SEP},    {0x05f3, 0x05f4, SEP},
    {0x0600, 0x060f, SEP},    {0x061b, 0x061f, SEP},
    {0x066a, 0x066d, SEP},    {0x06d4, 0x06d4, SEP},
    {0x0964, 0x0965, SEP},    {0x0970, 0x0970, SEP},
    {0x0e4f, 0x0e4f, SEP},    {0x0e5a, 0x0e5b, SEP},
    {0x2000, 0x200b, SEP},    {0x200c, 0x200d, DROP},
    {0x200e, 0x2bff, SEP},    {0x2e00, 0x2e7f, SEP},
    {0x3000, 0x303f, SEP},    {0x3040, 0x30fa, IDEO},
    {0x30fb, 0x30fb, SEP},    {0x30fc, 0x30ff, IDEO},
    {0x3400, 0x4dbf, IDEO},   {0x4e00, 0x9fff, IDEO},
    {0xd800, 0xf8ff, SEP},    {0xf900, 0xfaff, IDEO},
    {0xfe00, 0xfe0f, DROP},   {0xfe10, 0xfe1f, SEP},
    {0xfe30, 0xfe6f, SEP},    {0xfeff, 0xfeff, DROP},
    {0xff00, 0xff0f, SEP},    {0xff1a, 0xff20, SEP},
    {0xff3b, 0xff40, SEP},    {0xff5b, 0xff65, SEP},
    {0xff66, 0xff9f, IDEO},   {0xfff0, 0xffff, SEP},
    {0x1f000, 0x1faff, SEP},  {0x20000, 0x3ffff, IDEO},
    {0xe0000, 0xe01ef, DROP}, {0xf0000, 0x10ffff, SEP},
};

static enum kind
range_kind(uint32_t cp)
{
    size_t lo = 0, hi = sizeof(ranges) / sizeof(ranges[0]);

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < ranges[mid].lo)
            hi = mid;
        else if (cp > ranges[mid].hi)
            lo = mid + 1;
        else
            return ranges[mid].kind;
    }
    return LETTER;
}

/* Lowercase for the scripts where it is one step: Greek (accents and
 * final sigma folded too), Cyrillic (ё as е), Armenian, fullwidth ASCII. */
static uint32_t
lower(uint32_t cp)
{
    if (cp >= 0xff10 && cp <= 0xff5a)
        return cp - 0xfee0; /* fullwidth digits and letters: ASCII */
    if (cp >= 0x0391 && cp <= 0x03a9)
        return cp + 0x20;
    if (cp >= 0x0410 && cp <= 0x042f)
        return cp + 0x20;
    if (cp >= 0x0400 && cp <= 0x040f)
        cp += 0x50;
    if (cp >= 0x0531 && cp <= 0x0556)
        return cp + 0x30;
    switch (cp) {
    case 0x0386:
    case 0x03ac:
        return 0x03b1;
    case 0x0388:
    case 0x03ad:
        return 0x03b5;
    case 0x0389:
    case 0x03ae:
        return 0x03b7;
    case 0x038a:
    case 0x0390:
    case 0x03aa:
    case 0x03af:
    case 0x03ca:
        return 0x03b9;
    case 0x038c:
    case 0x03cc:
        return 0x03bf;
    case 0x038e:
    case 0x03ab:
    case 0x03b0:
    case 0x03cb:
    case 0x03cd:
        return 0x03c5;
    case 0x038f:
    case 0x03ce:
        return 0x03c9;
    case 0x03c2:
        return 0x03c3;
    case 0x0451:
        return 0x0435;
    default:
        return cp;
    }
}

/* Decodes one UTF-8 sequence; a bad one is U+FFFD, one byte long. */
static size_t
decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    size_t n, i;

    *cp = 0xfffd;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xc2 && s[0] < 0xe0)
        n = 2;
    else if (s[0] >= 0xe0 && s[0] < 0xf0)
        n = 3;
    else if (s[0] >= 0xf0 && s[0] < 0xf5)
        n = 4;
    else
        return 1;
    if (n > len)
        return 1;
    for (i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 1;
    *cp = s[0] & (0xff >> (n + 1));
    for (i = 1; i < n; i++)
        *cp = (*cp << 6) | (s[i] & 0x3f);
    return n;
}

static size_t
encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* What a code point adds to a term: out[0..*len), *cps code points. */
static enum kind
fold_cp(uint32_t cp, char out[8], size_t *len, size_t *cps)
{
    enum kind k = cp == 0xad ? DROP : range_kind(cp);
    char one[2];
    const char *f;

    *len = *cps = 0;
    if (k != LETTER && k != IDEO)
        return k;
    cp = lower(cp);
    if (cp >= 0x180) {
        *len = encode(cp, out);
        *cps = 1;
        return k;
    }
    /* ASCII and Latin: fold as slugs fold, "é" -> "e", "Æ" -> "ae". */
    f = ob_fold_latin(cp, one);
    if (*f == '-')
        return SEP;
    *len = *cps = strlen(f);
    memcpy(out, f, *len);
    return *len ? LETTER : DROP;
}

/*
 * The next term at *cursor into `term`; false when none is left. A term
 * keeps its first OB_SEARCH_TERM_MAX code points; an ideograph is a term.
 */
static bool
next_term(const char **cursor, const char *end, struct ob_buf *term)
{
    const unsigned char *p = (const unsigned char *)*cursor;
    const unsigned char *e = (const unsigned char *)end;
    size_t cps = 0;
    bool full = false;

    ob_buf_reset(term);
    while (p < e) {
        uint32_t cp;
        char f[8];
        size_t n, flen, fcps;
        enum kind k;

        if (*p < 0x80) {
            /* ASCII, most of the text: what fold_cp() does, faster. */
            char c = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
            p++;
            if ((c < 'a' || c > 'z') && (c < '0' || c > '9')) {
                if (term->len)
                    break;
                continue;
            }
            if (!full && cps < OB_SEARCH_TERM_MAX) {
                ob_buf_putc(term, c);
                cps++;
            } else {
                full = true;
            }
            continue;
        }
        n = decode(p, (size_t)(e - p), &cp);
        k = fold_cp(cp, f, &flen, &fcps);

        if (k == IDEO && term->len)
            break; /* it starts the next term */
        p += n;
        if (k == DROP)
            continue;
        if (k == SEP) {
            if (term->len)
                break;
            continue;
        }
        if (!full && cps + fcps <= OB_SEARCH_TERM_MAX) {
            ob_buf_add(term, f, flen);
            cps += fcps;
        } else {
            full = true;
        }
        if (k == IDEO)
            break;
    }
    *cursor = (const char *)p;
    return term->len > 0;
}

/* ---- building --------------------------------------------------------- */

static struct merged *merged_new(void);
static void merged_forget(struct merged *m);

struct ob_search *
ob_search_new(void)
{
    struct ob_search *s = ob_xcalloc(1, sizeof(*s));

    ob_intern_init(&s->terms);
    ob_intern_init(&s->sections);
    ob_intern_init(&s->heads);
    ob_buf_init(&s->strs);
    ob_buf_init(&s->term);
    ob_buf_init(&s->key);
    s->run_page = NONE;
    s->mg = merged_new();
    return s;
}

void
ob_search_free(struct ob_search *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->n_pages; i++)
        if (s->pages[i].cap_heads)
            free(s->pages[i].heads);
    free(s->pages);
    free(s->loaded_heads);
    free(s->posts);
    free(s->hnodes);
    free(s->last_page);
    free(s->last_post);
    ob_intern_release(&s->terms);
    ob_intern_release(&s->sections);
    ob_intern_release(&s->heads);
    ob_buf_release(&s->strs);
    ob_buf_release(&s->term);
    ob_buf_release(&s->key);
    merged_forget(s->mg);
    free(s->mg);
    free(s->f.own);
    ob_cache_file_release(&s->f.file);
    free(s->f.term_at);
    free(s->f.post_at);
    free(s->f.tab_at);
    free(s->f.id);
    free(s->f.pos);
    free(s->f.list_at);
    free(s->f.stale);
    free(s);
}

/* How much of s[0..len) to keep within max bytes: whole characters, and a
 * whole last word when there is a space to cut at. */
static size_t
trim_len(const char *s, size_t len, size_t max, bool *cut)
{
    size_t n = max;

    *cut = len > max;
    if (!*cut)
        return len;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    while (n > max / 2 && s[n] != ' ')
        n--;
    if (s[n] != ' ')
        n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    while (n > 0 && s[n - 1] && strchr(" ,;:.-", s[n - 1]))
        n--;
    return n;
}

/* Copies s, trimmed to max bytes with "…" when cut, into `strs`. */
static size_t
keep(struct ob_search *s, const char *text, size_t len, size_t max)
{
    size_t at = s->strs.len;
    bool cut;

    ob_buf_add(&s->strs, text, trim_len(text, len, max, &cut));
    if (cut)
        ob_buf_puts(&s->strs, "\xe2\x80\xa6");
    return at;
}

static void add_text(struct ob_search *s, uint32_t page, const char *text,
                     size_t len, unsigned flag, uint32_t heading);
static size_t js_scan(const char *s, size_t i, size_t len);

/* Sets page n's fields and indexes its title and summary. */
static void
set_page(struct ob_search *s, size_t n, const char *url, const char *title,
         const char *section, const char *summary)
{
    struct page *p = &s->pages[n];

    if (!summary)
        summary = "";
    p->url = keep(s, url, strlen(url), SIZE_MAX);
    p->title = keep(s, title, strlen(title), SIZE_MAX);
    p->summary = keep(s, summary, strlen(summary), OB_SEARCH_SUMMARY);
    p->end = s->strs.len;
    p->plain =
        js_scan(s->strs.ptr + p->url, 0, p->end - p->url) == p->end - p->url;
    p->section = ob_intern_add(&s->sections, section ? section : "",
                               section ? strlen(section) : 0);
    p->n_heads = 0;
    if (!p->cap_heads)
        p->heads = NULL; /* loaded: in loaded_heads */
    add_text(s, (uint32_t)n, title, strlen(title), IN_TITLE, 0);
    add_text(s, (uint32_t)n, summary, strlen(summary), IN_BODY, 0);
}

size_t
ob_search_add_page(struct ob_search *s, const char *url, const char *title,
                   const char *section, const char *summary)
{
    size_t n = s->n_pages;

    merged_forget(s->mg);
    s->changed = true;
    OB_GROW(s->pages, n + 1, s->cap_pages);
    memset(&s->pages[n], 0, sizeof(s->pages[n]));
    s->n_pages++;
    set_page(s, n, url, title, section, summary);
    return n;
}

/* Whether page n came from a cache and was not restarted: its postings
 * are final, and more text for it is ignored. */
static bool
frozen(const struct ob_search *s, size_t n)
{
    return n < s->f.n_pages && !s->f.stale[n];
}

void
ob_search_add_heading(struct ob_search *s, size_t page, const char *text,
                      size_t len, const char *anchor)
{
    struct page *p;
    size_t keep_len;
    bool cut;

    if (page >= s->n_pages || frozen(s, page))
        return;
    merged_forget(s->mg);
    s->changed = true;
    p = &s->pages[page];
    if (p->n_heads >= OB_SEARCH_HEADINGS) {
        add_text(s, (uint32_t)page, text, len, IN_BODY, 0);
        return;
    }
    /* Many pages share headings ("Risks", "Owners"): keep each once. */
    keep_len = trim_len(text, len, OB_SEARCH_SUMMARY, &cut);
    ob_buf_reset(&s->key);
    ob_buf_add(&s->key, text, keep_len);
    if (cut)
        ob_buf_puts(&s->key, "\xe2\x80\xa6");
    ob_buf_putc(&s->key, '\0');
    ob_buf_puts(&s->key, anchor ? anchor : "");
    OB_GROW(p->heads, p->n_heads + 1, p->cap_heads);
    p->heads[p->n_heads] = ob_intern_add(&s->heads, s->key.ptr, s->key.len);
    add_text(s, (uint32_t)page, text, len, IN_HEADING, (uint32_t)p->n_heads++);
}

void
ob_search_add_body(struct ob_search *s, size_t page, const char *text,
                   size_t len, const char *anchor)
{
    (void)anchor; /* body matches link to the page: heading lists per body
                     posting would double the index */
    if (page >= s->n_pages || frozen(s, page))
        return;
    merged_forget(s->mg);
    s->changed = true;
    add_text(s, (uint32_t)page, text, len, IN_BODY, 0);
}

/* ---- words kept for later --------------------------------------------- */

enum { WORDS_HEADING = 'h', WORDS_BODY = 'b' };

static void
words_put(struct ob_search_words *w, char kind, const char *text, size_t len)
{
    ob_buf_putc(&w->log, kind);
    ob_buf_add(&w->log, &len, sizeof len);
    ob_buf_add(&w->log, text, len);
}

void
ob_search_words_heading(struct ob_search_words *w, const char *text, size_t len,
                        const char *anchor)
{
    words_put(w, WORDS_HEADING, text, len);
    ob_buf_puts(&w->log, anchor ? anchor : "");
    ob_buf_putc(&w->log, '\0');
}

void
ob_search_words_body(struct ob_search_words *w, const char *text, size_t len)
{
    words_put(w, WORDS_BODY, text, len);
}

uint64_t
ob_search_entry_key(const char *url, const char *title, const char *section,
                    const char *summary, const struct ob_search_words *w)
{
    struct ob_search *s = ob_search_new();
    struct ob_buf js = OB_BUF_INIT;
    uint64_t key;

    ob_search_add_page(s, url, title, section, summary);
    ob_search_add_words(s, 0, w);
    ob_search_write_js(s, &js);
    key = ob_hash(js.ptr, js.len);
    ob_buf_release(&js);
    ob_search_free(s);
    return key;
}

void
ob_search_add_words(struct ob_search *s, size_t page,
                    const struct ob_search_words *w)
{
    const char *at = w->log.ptr, *end;

    if (!w->log.len)
        return;
    for (end = at + w->log.len; at < end;) {
        char kind = *at++;
        const char *text;
        size_t len;

        memcpy(&len, at, sizeof len);
        text = at + sizeof len;
        at = text + len;
        if (kind == WORDS_HEADING) {
            ob_search_add_heading(s, page, text, len, at);
            at += strlen(at) + 1;
        } else {
            ob_search_add_body(s, page, text, len, NULL);
        }
    }
}

void
ob_search_words_release(struct ob_search_words *w)
{
    ob_buf_release(&w->log);
}

/* A body-only posting, for choosing which a page keeps. */
struct cap_key {
    uint32_t page, tf, at; /* at: the posting's index, the order it came */
    uint32_t grp;          /* for plan_cap() */
};

/* Pages in order, then the most frequent first, then the earliest. */
static int
cap_cmp(const void *a, const void *b)
{
    const struct cap_key *x = a, *y = b;

    if (x->page != y->page)
        return x->page < y->page ? -1 : 1;
    if (x->tf != y->tf)
        return x->tf > y->tf ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

static bool
body_only(unsigned flags)
{
    return flags == IN_BODY;
}

/* Drops all but the page's OB_SEARCH_BODY_TERMS best body-only postings
 * of the tail run, and closes the gaps. */
static void
end_run(struct ob_search *s)
{
    struct cap_key *keys;
    size_t i, n = 0, out;

    for (i = s->run_start; i < s->n_posts; i++)
        n += body_only(s->posts[i].flags);
    if (n <= OB_SEARCH_BODY_TERMS)
        return;
    keys = ob_xreallocarray(NULL, n, sizeof(*keys));
    n = 0;
    for (i = s->run_start; i < s->n_posts; i++)
        if (body_only(s->posts[i].flags))
            keys[n++] = (struct cap_key){0, s->posts[i].tf, (uint32_t)i, 0};
    qsort(keys, n, sizeof(*keys), cap_cmp);
    for (i = OB_SEARCH_BODY_TERMS; i < n; i++) {
        struct posting *p = &s->posts[keys[i].at];
        s->last_page[p->term] = NONE;
        p->flags = 0;
    }
    free(keys);
    out = s->run_start;
    for (i = s->run_start; i < s->n_posts; i++) {
        if (!s->posts[i].flags)
            continue;
        s->posts[out] = s->posts[i];
        if (s->last_page[s->posts[out].term] == s->posts[out].page)
            s->last_post[s->posts[out].term] = (uint32_t)out;
        out++;
    }
    s->n_posts = out;
}

/* The posting of (term, page), new when needed. */
static struct posting *
posting_for(struct ob_search *s, uint32_t page, const char *t, size_t len)
{
    uint32_t id = ob_intern_add(&s->terms, t, len);
    struct posting *p;

    if (id >= s->cap_terms) {
        size_t old = s->cap_terms, cap = old;
        OB_GROW(s->last_post, (size_t)id + 1, cap);
        s->last_page = ob_xreallocarray(s->last_page, cap, sizeof(uint32_t));
        memset(s->last_page + old, 0xff, (cap - old) * sizeof(uint32_t));
        s->cap_terms = cap;
    }
    if (s->last_page[id] == page)
        return &s->posts[s->last_post[id]];
    if (page != s->run_page) {
        end_run(s);
        s->run_page = page;
        s->run_start = s->n_posts;
    }
    OB_GROW(s->posts, s->n_posts + 1, s->cap_posts);
    p = &s->posts[s->n_posts];
    *p = (struct posting){id, page, 0, 0, 0};
    s->last_page[id] = page;
    s->last_post[id] = (uint32_t)s->n_posts++;
    return p;
}

static void
add_text(struct ob_search *s, uint32_t page, const char *text, size_t len,
         unsigned flag, uint32_t heading)
{
    const char *cur = text, *end = text + len;

    while (next_term(&cur, end, &s->term)) {
        struct posting *p = posting_for(s, page, s->term.ptr, s->term.len);
        p->flags |= (uint8_t)flag;
        if (flag == IN_BODY && p->tf < UINT16_MAX)
            p->tf++;
        if (flag != IN_HEADING ||
            (p->heads && s->hnodes[p->heads - 1].pos == heading))
            continue;
        OB_GROW(s->hnodes, s->n_hnodes + 1, s->cap_hnodes);
        s->hnodes[s->n_hnodes] = (struct hnode){p->heads, heading};
        p->heads = (uint32_t)++s->n_hnodes;
    }
}

/* ---- restarting ------------------------------------------------------- */

/* Room for n more bytes at the end of b, to write in place and end with
 * took(): NULL when b cannot grow (and toobig is set). The index's output
 * is mostly small numbers, where a call of ob_buf_add() each would cost
 * more than the writing. */
static inline char *
room(struct ob_buf *b, size_t n)
{
    return ob_buf_grow(b, n) ? b->ptr + b->len : NULL;
}

static inline void
took(struct ob_buf *b, char *end)
{
    b->len = (size_t)(end - b->ptr);
    b->ptr[b->len] = '\0';
}

/* Numbers in the cache's blobs: 7 bits a byte, low first, as LEB128. */
static inline char *
var_at(char *o, uint64_t v)
{
    while (v >= 0x80) {
        *o++ = (char)((v & 0x7f) | 0x80);
        v >>= 7;
    }
    *o++ = (char)v;
    return o;
}

static void
put_var(struct ob_buf *b, uint64_t v)
{
    char *o = room(b, 10);

    if (o)
        took(b, var_at(o, v));
}

static bool
get_var_long(const char **p, const char *end, uint64_t *v)
{
    uint64_t acc = 0;
    unsigned shift;

    for (shift = 0; shift < 64 && *p < end; shift += 7) {
        unsigned char c = (unsigned char)*(*p)++;
        acc |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *v = acc;
            return true;
        }
    }
    return false;
}

static inline bool
get_var(const char **p, const char *end, uint64_t *v)
{
    if (*p < end && !(**p & 0x80)) {
        *v = (unsigned char)*(*p)++; /* most */
        return true;
    }
    return get_var_long(p, end, v);
}

/* Forgets the postings of a page built here (not loaded), keeping the
 * others' places in `last_post` right. */
static void
drop_postings(struct ob_search *s, uint32_t page)
{
    size_t i, out = 0;

    end_run(s);
    for (i = 0; i < s->n_posts; i++) {
        struct posting p = s->posts[i];
        if (p.page == page) {
            if (s->last_page[p.term] == page)
                s->last_page[p.term] = NONE;
            continue;
        }
        if (s->last_page[p.term] == p.page && s->last_post[p.term] == i)
            s->last_post[p.term] = (uint32_t)out;
        s->posts[out++] = p;
    }
    s->n_posts = out;
    s->run_page = NONE;
    s->run_start = out;
}

/* Marks a loaded page stale: the terms it was in are to be written again
 * without it (see touches()). */
static void
thaw(struct ob_search *s, size_t page)
{
    s->f.stale[page] = 1;
    s->f.n_stale++;
}

void
ob_search_restart_page(struct ob_search *s, size_t page, const char *url,
                       const char *title, const char *section,
                       const char *summary)
{
    if (page >= s->n_pages)
        return;
    merged_forget(s->mg);
    s->changed = true;
    if (frozen(s, page))
        thaw(s, page);
    else
        drop_postings(s, (uint32_t)page);
    s->restarted = true;
    set_page(s, page, url, title, section, summary);
}

/* ---- writing ---------------------------------------------------------- */

/* Whether add_js() looks at byte c: those it escapes, and the lead byte of
 * U+2028 and U+2029. A bitmap: the script is mostly bytes it copies. */
static bool
js_special(unsigned char c)
{
    static const uint64_t bits[4] = {
        0x10000004ffffffffull,    /* controls, '"', '<' */
        0x8000000010000000ull,    /* '\\', DEL */
        0, 0x0000000400000000ull, /* 0xe2 */
    };

    return bits[c >> 6] >> (c & 63) & 1;
}

#define ONES 0x0101010101010101ull

/* With its high bit set in a byte that is 0 in v, and maybe above it. */
static uint64_t
zero_bytes(uint64_t v)
{
    return (v - ONES) & ~v;
}

/* Whether any of the 8 bytes at p is one js_special() looks at: a word at
 * a time, as bytes below 0x20 or equal to c show in the high bits. */
static bool
js_special8(const char *p)
{
    uint64_t w, hit;

    memcpy(&w, p, sizeof w);
    hit = (w - ONES * 0x20) & ~w;
    hit |= zero_bytes(w ^ ONES * '"') | zero_bytes(w ^ ONES * '<');
    hit |= zero_bytes(w ^ ONES * '\\') | zero_bytes(w ^ ONES * 0x7f);
    hit |= zero_bytes(w ^ ONES * 0xe2);
    return hit & ONES * 0x80;
}

#ifdef SIMD16
/* What js_special() looks at, 16 bytes at a time: one register each. */
struct js16 {
    __m128i low, quote, lt, backslash, del, e2;
};

static void
js16_init(struct js16 *k)
{
    k->low = _mm_set1_epi8(0x1f);
    k->quote = _mm_set1_epi8('"');
    k->lt = _mm_set1_epi8('<');
    k->backslash = _mm_set1_epi8('\\');
    k->del = _mm_set1_epi8(0x7f);
    k->e2 = _mm_set1_epi8((char)0xe2);
}

/* Bits of the 16 bytes in v that js_special() looks at. */
static inline unsigned
js16_mask(const struct js16 *k, __m128i v)
{
    __m128i hit = _mm_cmpeq_epi8(_mm_min_epu8(v, k->low), v);

    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, k->quote));
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, k->lt));
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, k->backslash));
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, k->del));
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, k->e2));
    return (unsigned)_mm_movemask_epi8(hit);
}

static inline unsigned
js16_bits(const struct js16 *k, const char *p)
{
    return js16_mask(k, _mm_loadu_si128((const __m128i *)(const void *)p));
}
#endif

/* The first byte of s[i..len) that js_special() looks at, or len. */
static size_t
js_scan(const char *s, size_t i, size_t len)
{
#ifdef SIMD16
    struct js16 k;
    unsigned bits;

    if (len >= 16) {
        js16_init(&k);
        for (; i + 16 <= len; i += 16) {
            bits = js16_bits(&k, s + i);
            if (bits)
                return i + (size_t)__builtin_ctz(bits);
        }
        if (i >= len)
            return len;
        /* The last 16 bytes, from i on */
        bits = js16_bits(&k, s + len - 16) >> (i - (len - 16));
        return bits ? i + (size_t)__builtin_ctz(bits) : len;
    }
#endif
    for (; i + 8 <= len; i += 8)
        if (js_special8(s + i))
            break;
    for (; i < len; i++)
        if (js_special((unsigned char)s[i]))
            break;
    return i;
}

/* Copies n bytes to dst as they are, and says whether none of them is one
 * js_special() looks at: js_scan() in the same pass. */
static bool
copy_plain(char *dst, const char *src, size_t n)
{
    size_t i = 0;
    bool plain = true;
#ifdef SIMD16
    struct js16 k;
    unsigned bits = 0;

    js16_init(&k);
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(src + i));
        _mm_storeu_si128((__m128i *)(void *)(dst + i), v);
        bits |= js16_mask(&k, v);
    }
    plain = !bits;
#endif
    memcpy(dst + i, src + i, n - i);
    return plain && js_scan(src, i, n) == n;
}

/* A JavaScript string literal. "<" is escaped so that "</script>" cannot
 * end an inline script, U+2028/9 since older engines end lines there. */
static void
add_js(struct ob_buf *b, const char *s, size_t len)
{
    size_t i, start = 0;

    ob_buf_putc(b, '"');
    for (i = js_scan(s, 0, len); i < len; i = js_scan(s, i + 1, len)) {
        unsigned char c = (unsigned char)s[i];
        const char *rep;
        char esc[8];

        if (c == 0xe2) {
            if (i + 2 >= len || s[i + 1] != '\x80' ||
                (s[i + 2] != '\xa8' && s[i + 2] != '\xa9'))
                continue;
            rep = s[i + 2] == '\xa8' ? "\\u2028" : "\\u2029";
            ob_buf_add(b, s + start, i - start);
            ob_buf_puts(b, rep);
            i += 2;
            start = i + 1;
            continue;
        }
        snprintf(esc, sizeof esc, "\\u%04x", c);
        rep = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : esc;
        ob_buf_add(b, s + start, i - start);
        ob_buf_puts(b, rep);
        start = i + 1;
    }
    ob_buf_add(b, s + start, len - start);
    ob_buf_putc(b, '"');
}

/* One number: base-27 continuation digits, then a final base-64 digit
 * (at most 13 digits in all). */
static inline char *
num_at(char *o, uint64_t v)
{
    static const char digits[] = OB_SEARCH_DIGITS;
    char tmp[16];
    size_t n = 0;
    uint64_t high = v / 64;

    if (!high) {
        *o = digits[v]; /* most */
        return o + 1;
    }
    if (high < 27) {
        o[0] = digits[64 + high];
        o[1] = digits[v % 64];
        return o + 2;
    }
    tmp[sizeof tmp - ++n] = digits[v % 64];
    while (high) {
        tmp[sizeof tmp - ++n] = digits[64 + high % 27];
        high /= 27;
    }
    memcpy(o, tmp + sizeof tmp - n, n);
    return o + n;
}

static void
add_num(struct ob_buf *b, uint64_t v)
{
    char *o = room(b, 16);

    if (o)
        took(b, num_at(o, v));
}

/* A number in decimal. */
static inline char *
dec_at(char *o, uint32_t v)
{
    char tmp[10];
    size_t n = 0;

    if (v < 100) { /* most: section and heading numbers */
        if (v >= 10)
            *o++ = (char)('0' + v / 10);
        *o = (char)('0' + v % 10);
        return o + 1;
    }
    do {
        tmp[sizeof tmp - ++n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    memcpy(o, tmp + sizeof tmp - n, n);
    return o + n;
}

struct term_ref {
    const char *s;
    size_t len;
    uint32_t id;
};

/* UTF-16 code unit order, which is what JavaScript's < compares: UTF-8
 * bytes order by code point, except that U+E000..U+FFFF (lead bytes
 * EE, EF) come after the surrogate pairs of U+10000 on (F0..F4). */
static unsigned
utf16_rank(unsigned char c)
{
    return c == 0xee ? 0xf5u : c == 0xef ? 0xf6u : c;
}

static int
utf16_cmp(const char *x, size_t x_len, const char *y, size_t y_len)
{
    size_t i = 0, n = x_len < y_len ? x_len : y_len;
    uint64_t a, b;

    for (; i + 8 <= n; i += 8) { /* long shared starts a word at a time */
        memcpy(&a, x + i, 8);
        memcpy(&b, y + i, 8);
        if (a != b)
            break;
    }
    while (i < n && x[i] == y[i])
        i++;
    if (i < n)
        return utf16_rank((unsigned char)x[i]) < utf16_rank((unsigned char)y[i])
                   ? -1
                   : 1;
    return x_len < y_len ? -1 : x_len > y_len;
}

static int
term_cmp(const void *a, const void *b)
{
    const struct term_ref *x = a, *y = b;

    return utf16_cmp(x->s, x->len, y->s, y->len);
}

/* What writing needs besides the index: postings in (term, page) order,
 * grouped (text added out of order can give one pair two postings). */
struct plan {
    uint32_t *rank;  /* term id -> place in sorted order */
    uint32_t *order; /* posting indexes by (rank, page, index) */
    uint32_t *grp;   /* starts of (term, page) groups in `order`; [n] = end */
    uint8_t *flags;  /* per group: IN_* merged, 0 when dropped */
    uint32_t *tf;    /* per group */
    uint32_t *term, *page; /* per group */
    size_t n_grp;
};

static void
plan_rank(const struct ob_search *s, struct plan *pl)
{
    size_t i, n = s->terms.n;
    struct term_ref *refs = ob_xreallocarray(NULL, n, sizeof(*refs));

    for (i = 0; i < n; i++) {
        refs[i].s = ob_intern_get(&s->terms, (uint32_t)i, &refs[i].len);
        refs[i].id = (uint32_t)i;
    }
    ob_qsort(refs, n, sizeof(*refs), term_cmp);
    pl->rank = ob_xreallocarray(NULL, n + 1, sizeof(uint32_t));
    for (i = 0; i < n; i++)
        pl->rank[refs[i].id] = (uint32_t)i;
    free(refs);
}

/* Counting sort of `in` by key, stable. */
static void
sort_by(const struct ob_search *s, const uint32_t *in, uint32_t *out,
        size_t n_keys, const uint32_t *rank)
{
    uint32_t *count = ob_xcalloc(n_keys + 1, sizeof(uint32_t));
    size_t i;

    for (i = 0; i < s->n_posts; i++) {
        const struct posting *p = &s->posts[in[i]];
        count[(rank ? rank[p->term] : p->page) + 1]++;
    }
    for (i = 0; i < n_keys; i++)
        count[i + 1] += count[i];
    for (i = 0; i < s->n_posts; i++) {
        const struct posting *p = &s->posts[in[i]];
        out[count[rank ? rank[p->term] : p->page]++] = in[i];
    }
    free(count);
}

static void
plan_order(const struct ob_search *s, struct plan *pl)
{
    size_t i, n = s->n_posts;
    uint32_t *tmp = ob_xreallocarray(NULL, n + 1, sizeof(uint32_t));

    pl->order = ob_xreallocarray(NULL, n + 1, sizeof(uint32_t));
    for (i = 0; i < n; i++)
        tmp[i] = (uint32_t)i;
    /* Text comes page after page, as a rule: then so do the postings. */
    for (i = 1; i < n && s->posts[i - 1].page <= s->posts[i].page; i++)
        ;
    if (i < n) {
        sort_by(s, tmp, pl->order, s->n_pages, NULL);
        memcpy(tmp, pl->order, n * sizeof(uint32_t));
    }
    sort_by(s, tmp, pl->order, s->terms.n, pl->rank);
    free(tmp);
}

static void
plan_groups(const struct ob_search *s, struct plan *pl)
{
    size_t i, g = 0;

    pl->grp = ob_xreallocarray(NULL, s->n_posts + 1, sizeof(uint32_t));
    pl->flags = ob_xcalloc(s->n_posts + 1, 1);
    pl->tf = ob_xcalloc(s->n_posts + 1, sizeof(uint32_t));
    pl->term = ob_xreallocarray(NULL, s->n_posts + 1, sizeof(uint32_t));
    pl->page = ob_xreallocarray(NULL, s->n_posts + 1, sizeof(uint32_t));
    for (i = 0; i < s->n_posts; i++) {
        const struct posting *p = &s->posts[pl->order[i]];
        if (!g || pl->term[g - 1] != p->term || pl->page[g - 1] != p->page) {
            pl->term[g] = p->term;
            pl->page[g] = p->page;
            pl->grp[g++] = (uint32_t)i;
        }
        pl->flags[g - 1] |= p->flags;
        pl->tf[g - 1] += p->tf;
    }
    pl->grp[g] = (uint32_t)s->n_posts;
    pl->n_grp = g;
}

/* The body cap, for pages whose text came in several runs or last. */
static void
plan_cap(const struct ob_search *s, struct plan *pl)
{
    uint32_t *count = ob_xcalloc(s->n_pages + 1, sizeof(uint32_t));
    struct cap_key *keys = NULL;
    size_t i, n = 0, cap = 0, kept = 0;
    bool over = false;

    for (i = 0; i < pl->n_grp; i++)
        if (body_only(pl->flags[i]))
            over |= ++count[pl->page[i]] > OB_SEARCH_BODY_TERMS;
    for (i = 0; over && i < pl->n_grp; i++) {
        /* The group's first posting is its earliest: it says when the
         * term came, as in end_run(). */
        uint32_t at = pl->order[pl->grp[i]];
        uint32_t page = s->posts[at].page;
        if (!body_only(pl->flags[i]) || count[page] <= OB_SEARCH_BODY_TERMS)
            continue;
        OB_GROW(keys, n + 1, cap);
        keys[n++] = (struct cap_key){page, pl->tf[i], at, (uint32_t)i};
    }
    ob_qsort(keys, n, sizeof(*keys), cap_cmp);
    for (i = 0; i < n; i++) {
        kept = i && keys[i].page == keys[i - 1].page ? kept + 1 : 1;
        if (kept > OB_SEARCH_BODY_TERMS)
            pl->flags[keys[i].grp] = 0;
    }
    free(keys);
    free(count);
}

static int
u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

/* The headings of group g, ascending and once each, into (*h)[0..n). */
static size_t
group_heads(const struct ob_search *s, const struct plan *pl, size_t g,
            uint32_t **h, size_t *cap)
{
    size_t i, n = 0, out = 0;
    uint32_t at;

    for (i = pl->grp[g]; i < pl->grp[g + 1]; i++) {
        for (at = s->posts[pl->order[i]].heads; at;
             at = s->hnodes[at - 1].next) {
            OB_GROW(*h, n + 1, *cap);
            (*h)[n++] = s->hnodes[at - 1].pos;
        }
    }
    if (n > 32) {
        ob_qsort(*h, n, sizeof(**h), u32_cmp);
    } else {
        for (i = 1; i < n; i++) { /* most: a few, newest first */
            uint32_t x = (*h)[i];
            size_t j = i;
            for (; j > 0 && (*h)[j - 1] > x; j--)
                (*h)[j] = (*h)[j - 1];
            (*h)[j] = x;
        }
    }
    for (i = 0; i < n; i++)
        if (!out || (*h)[out - 1] != (*h)[i])
            (*h)[out++] = (*h)[i];
    return out;
}

/* One posting: the page gap and flags, then any headings. */
static void
add_posting(struct ob_buf *b, uint64_t gap, unsigned flags, uint32_t tf,
            const uint32_t *h, size_t nh)
{
    size_t i;
    unsigned f = (flags & IN_TITLE ? 1u : 0u) | (nh ? 2u : 0u) |
                 (tf >= FREQUENT_TF ? FREQUENT : 0u);
    char *o = room(b, 16 * (nh + 2));

    if (!o)
        return;
    o = num_at(o, (gap - 1) * 8 + f);
    if (nh) {
        o = num_at(o, nh - 1);
        o = num_at(o, h[0]);
    }
    for (i = 1; i < nh; i++)
        o = num_at(o, h[i] - h[i - 1] - 1);
    took(b, o);
}

static void
plan_make(const struct ob_search *s, struct plan *pl)
{
    memset(pl, 0, sizeof(*pl));
    plan_rank(s, pl);
    plan_order(s, pl);
    plan_groups(s, pl);
    plan_cap(s, pl);
}

static void
plan_release(struct plan *pl)
{
    free(pl->rank);
    free(pl->order);
    free(pl->grp);
    free(pl->flags);
    free(pl->tf);
    free(pl->term);
    free(pl->page);
}

/*
 * Section and heading numbers as written: as interned, which is by first
 * use; after a restart, by first use again, page by page, as a fresh build
 * of the same pages would number them, leaving out those no page uses.
 */
struct numbering {
    uint32_t *sec, *head;         /* id -> number, NONE when unused */
    uint32_t *sec_ids, *head_ids; /* number -> id */
    size_t n_sec, n_head;
};

static void
number(uint32_t id, uint32_t *num, uint32_t *ids, size_t *n)
{
    if (num[id] == NONE) {
        num[id] = (uint32_t)*n;
        ids[(*n)++] = id;
    }
}

static void
numbering_make(const struct ob_search *s, struct numbering *nb)
{
    size_t i, j, ns = s->sections.n, nh = s->heads.n;

    nb->sec = ob_xreallocarray(NULL, ns + 1, sizeof(uint32_t));
    nb->sec_ids = ob_xreallocarray(NULL, ns + 1, sizeof(uint32_t));
    nb->head = ob_xreallocarray(NULL, nh + 1, sizeof(uint32_t));
    nb->head_ids = ob_xreallocarray(NULL, nh + 1, sizeof(uint32_t));
    memset(nb->sec, 0xff, (ns + 1) * sizeof(uint32_t));
    memset(nb->head, 0xff, (nh + 1) * sizeof(uint32_t));
    nb->n_sec = nb->n_head = 0;
    if (!s->restarted) {
        for (i = 0; i < ns; i++)
            number((uint32_t)i, nb->sec, nb->sec_ids, &nb->n_sec);
        for (i = 0; i < nh; i++)
            number((uint32_t)i, nb->head, nb->head_ids, &nb->n_head);
        return;
    }
    for (i = 0; i < s->n_pages; i++) {
        const struct page *p = &s->pages[i];
        number(p->section, nb->sec, nb->sec_ids, &nb->n_sec);
        for (j = 0; j < p->n_heads; j++)
            number(p->heads[j], nb->head, nb->head_ids, &nb->n_head);
    }
}

static void
numbering_release(struct numbering *nb)
{
    free(nb->sec);
    free(nb->sec_ids);
    free(nb->head);
    free(nb->head_ids);
}

/* ---- merging loaded and new postings ---------------------------------- */

/*
 * A loaded term's checkpoints: places in its postings where decoding can
 * start, so that a restarted page's posting is found without decoding all
 * those before it. Each is a posting's offset in the term's postings and
 * its base, the page of the posting before + 1 (what its gap counts from).
 * They come in order, one every SKIP_EVERY postings or so, each as two
 * varints: the differences from the one before (the first from the start,
 * base 0 at offset 0). A term with fewer postings has none.
 */
#define SKIP_EVERY 32

struct skip {
    const char *p, *end; /* the varints of those after the current one */
    uint64_t base, off;  /* the current one, when `have` */
    uint64_t max_base, max_off;
    bool have;
};

/* The next checkpoint. One out of order or out of bounds ends them (only
 * a bad cache has one): a cache cannot make decoding overrun. */
static void
skip_next(struct skip *k)
{
    const unsigned char *p = (const unsigned char *)k->p;
    uint64_t db = 0, doff = 0;

    if (k->end - k->p >= 2 && p[0] < 0x80 && p[1] < 0x80) {
        db = p[0]; /* most: a byte each */
        doff = p[1];
        k->p += 2;
    } else if (!get_var(&k->p, k->end, &db) || !get_var(&k->p, k->end, &doff)) {
        db = 0;
    }
    k->have = db > 0 && doff > 0 && db <= k->max_base - k->base &&
              doff < k->max_off - k->off;
    if (!k->have) {
        k->p = k->end;
        return;
    }
    k->base += db;
    k->off += doff;
}

/* The bytes of loaded term `pos`. */
static const char *
fterm(const struct frozen *f, uint32_t pos, size_t *len)
{
    *len = f->term_at[pos + 1] - 1 - f->term_at[pos];
    return f->bytes + f->term_at[pos];
}

/* Consecutive terms as written, from one source: loaded terms
 * first..first+n, their bytes as they are, or (`enc`) terms written anew,
 * et[first..first+n), whose bytes are in `merged`'s buffers. */
struct piece {
    bool enc;
    size_t first, n;
    size_t t_at, t_end, p_at, p_end; /* `enc`: in terms, in post */
};

/* A term written anew: its place among the loaded terms (or NONE), its id
 * in `terms` (or NONE) and its checkpoints, in `skips`. */
struct eterm {
    uint32_t fpos, lterm;
    size_t k_at, k_len;
};

/*
 * The terms as written, worked out once for ob_search_write_js() and
 * ob_search_save() both: runs of loaded terms that no restarted page was
 * in and no new posting joins, to be copied as they are, and the others,
 * written anew into `terms`, `post` and `skips` (' '-joined within a
 * piece). A loaded term written anew keeps the bytes of its postings but
 * for the restarted pages' and those after them, up to a checkpoint.
 */
struct merged {
    bool valid;
    struct plan pl;
    signed char val[256]; /* digit -> value, -1 for anything else */
    struct piece *pc;
    size_t n_pc, cap_pc;
    struct eterm *et;
    size_t n_et, cap_et;
    struct ob_buf terms, post, skips;
    size_t n_terms;
    struct numbering nb;
    uint32_t *h; /* for group_heads() */
    size_t cap_h;
};

static struct merged *
merged_new(void)
{
    struct merged *m = ob_xcalloc(1, sizeof(*m));

    ob_buf_init(&m->terms);
    ob_buf_init(&m->post);
    ob_buf_init(&m->skips);
    return m;
}

/* Drops what was worked out: the index changed. */
static void
merged_forget(struct merged *m)
{
    if (!m->valid)
        return;
    plan_release(&m->pl);
    numbering_release(&m->nb);
    free(m->pc);
    free(m->et);
    free(m->h);
    ob_buf_release(&m->terms);
    ob_buf_release(&m->post);
    ob_buf_release(&m->skips);
    memset(m, 0, sizeof(*m));
    ob_buf_init(&m->terms);
    ob_buf_init(&m->post);
    ob_buf_init(&m->skips);
}

/* One number as add_num() writes it; false at the end, on a character
 * that is no digit or on more digits than any number needs. */
static bool
read_num(const signed char *val, const char **p, const char *end, uint64_t *v)
{
    uint64_t acc = 0;
    int n;

    for (n = 0; n < 13 && *p < end; n++) {
        int d = val[(unsigned char)*(*p)++];
        if (d < 0)
            return false;
        if (d < 64) {
            *v = acc * 64 + (unsigned)d;
            return true;
        }
        acc = acc * 27 + (unsigned)(d - 64);
    }
    return false;
}

/* A loaded posting: its page, flags as written, its bytes and the
 * headings part of them. */
struct fentry {
    uint32_t page;
    unsigned f;
    const char *at, *h, *end;
};

/*
 * Writing one term's postings: the loaded ones (none for a new term) and
 * the plan's, merged by page, without the restarted pages' old ones.
 * Loaded postings are copied as they are while what was written before
 * them is what was there before ("in step"); the first after a change
 * gets its gap written anew. Whole segments between checkpoints that hold
 * no page to change are jumped over, their checkpoints carried.
 */
struct tw {
    const struct ob_search *s;
    struct merged *m;
    const char *p0, *p, *end; /* the loaded postings; p: the next */
    uint64_t next;            /* the lowest page the next can have */
    const char *copy;         /* [copy, p) is to be copied as it is */
    struct skip in;           /* the loaded checkpoints not passed */
    size_t out0;              /* where the term's postings start */
    int64_t prev;             /* the page of the last posting written */
    uint64_t k_base, k_off;   /* the last checkpoint written */
    size_t since;             /* postings written since */
    bool grew;                /* a posting was added since */
};

static bool
in_step(const struct tw *w)
{
    return (uint64_t)(w->prev + 1) == w->next;
}

/* Where loaded byte q lands in the term's postings as written, in step. */
static uint64_t
out_off(const struct tw *w, const char *q)
{
    return w->m->post.len - w->out0 + (size_t)(q - w->copy);
}

static bool
put_check(struct tw *w, uint64_t base, uint64_t off)
{
    if (base <= w->k_base || off <= w->k_off)
        return false; /* the start, or a bad cache's */
    put_var(&w->m->skips, base - w->k_base);
    put_var(&w->m->skips, off - w->k_off);
    w->k_base = base;
    w->k_off = off;
    w->since = 0;
    w->grew = false;
    return true;
}

static void
tw_flush(struct tw *w)
{
    if (w->copy < w->p)
        ob_buf_add(&w->m->post, w->copy, (size_t)(w->p - w->copy));
    w->copy = w->p;
}

/* The loaded posting at w->p; false at the end. A posting that does not
 * decode or names no loaded page ends the list: a cache cannot make it
 * overrun. */
static bool
tw_peek(struct tw *w, struct fentry *e)
{
    const signed char *val = w->m->val;
    const char *p = w->p;
    uint64_t v, nh, x, i;

    e->at = p;
    if (p >= w->end || !read_num(val, &p, w->end, &v) ||
        v / 8 >= w->s->f.n_pages - w->next)
        goto bad;
    e->page = (uint32_t)(w->next + v / 8);
    e->f = (unsigned)(v % 8);
    e->h = p;
    if (e->f & 2) {
        if (!read_num(val, &p, w->end, &nh) || nh >= OB_SEARCH_HEADINGS)
            goto bad;
        for (i = 0; i <= nh; i++)
            if (!read_num(val, &p, w->end, &x))
                goto bad;
    }
    e->end = p;
    return true;
bad:
    w->end = w->p;
    w->in.have = false;
    return false;
}

/* Passes loaded posting e: copied, or its gap written anew when what was
 * written before it changed and the rest of it copied. */
static void
tw_pass(struct tw *w, const struct fentry *e)
{
    if (w->in.have && w->p == w->p0 + w->in.off) {
        skip_next(&w->in);
        w->since = SKIP_EVERY; /* a checkpoint stays at its posting */
    }
    if (w->since >= SKIP_EVERY)
        put_check(w, (uint64_t)(w->prev + 1), out_off(w, w->p));
    if (!in_step(w)) {
        tw_flush(w);
        add_num(&w->m->post,
                (uint64_t)((int64_t)e->page - w->prev - 1) * 8 + e->f);
        w->copy = e->h;
    }
    w->p = e->end;
    w->next = (uint64_t)e->page + 1;
    w->prev = e->page;
    w->since++;
}

/* Drops loaded posting e, of a restarted page. */
static void
tw_drop(struct tw *w, const struct fentry *e)
{
    if (w->in.have && w->p == w->p0 + w->in.off) {
        skip_next(&w->in);
        w->since = SKIP_EVERY; /* its checkpoint moves to the next */
    }
    tw_flush(w);
    w->p = e->end;
    w->next = (uint64_t)e->page + 1;
    w->copy = w->p;
}

/*
 * In step, the postings up to the last checkpoint whose base is at most
 * `upto` (all pages before it are below) are copied as they are, and the
 * checkpoints on the way carried: the first written, the differences
 * between the others copied too. With `upto` UINT64_MAX, all the rest.
 * Not after a posting was added: then the segment is decoded to its end,
 * to split it when it grew too long.
 */
static void
tw_jump(struct tw *w, uint64_t upto)
{
    const char *from, *before;

    if (!in_step(w) || w->grew)
        return;
    while (w->in.have && w->p0 + w->in.off < w->p)
        skip_next(&w->in); /* passed: only a bad cache's */
    if (w->in.have && w->in.base <= upto) {
        if (!put_check(w, w->in.base, out_off(w, w->p0 + w->in.off))) {
            skip_next(&w->in); /* out of order: a bad cache's */
            return;
        }
        w->p = w->p0 + w->in.off;
        w->next = w->in.base;
        w->prev = (int64_t)w->in.base - 1;
        from = before = w->in.p;
        if (upto == UINT64_MAX) {
            before = w->in.end;
            w->in.have = false;
        }
        while (w->in.have) {
            before = w->in.p;
            skip_next(&w->in);
            if (!w->in.have || w->in.base > upto)
                break;
            w->p = w->p0 + w->in.off;
            w->next = w->in.base;
            w->prev = (int64_t)w->in.base - 1;
            w->k_base = w->in.base;
            w->k_off = out_off(w, w->p);
        }
        ob_buf_add(&w->m->skips, from, (size_t)(before - from));
    }
    if (upto == UINT64_MAX)
        w->p = w->end;
}

/* In step, passes as they are the loaded postings of one digit (most: a
 * gap of 8 or less, no headings) of pages below `upto`, not restarted, up
 * to a checkpoint's or the one that needs one: what tw_pass() does,
 * quicker. */
static void
tw_skim(struct tw *w, uint64_t upto)
{
    const signed char *val = w->m->val;
    const unsigned char *stale = w->s->f.stale;
    const char *p = w->p, *stop = w->end;
    uint64_t next = w->next, n_pages = w->s->f.n_pages;
    size_t since = w->since;

    if (!in_step(w))
        return;
    if (w->in.have && w->p0 + w->in.off < stop)
        stop = w->p0 + w->in.off;
    while (p < stop && since < SKIP_EVERY) {
        int d = val[(unsigned char)*p];
        uint64_t page = next + (unsigned)d / 8;
        if (d < 0 || d >= 64 || (d & 2) || page >= upto || page >= n_pages ||
            stale[page])
            break;
        p++;
        next = page + 1;
        since++;
    }
    w->p = p;
    w->next = next;
    w->prev = (int64_t)next - 1;
    w->since = since;
}

/* Passes the loaded postings of pages below `upto`, dropping restarted
 * pages'. True when one is left, in *e. */
static bool
tw_advance(struct tw *w, uint64_t upto, struct fentry *e)
{
    for (;;) {
        tw_jump(w, upto);
        tw_skim(w, upto);
        if (!tw_peek(w, e))
            return false;
        if (e->page >= upto)
            return true;
        if (w->s->f.stale[e->page])
            tw_drop(w, e); /* only a bad cache has one not in touch */
        else
            tw_pass(w, e);
    }
}

/* Page `page` changes: its loaded posting goes; the plan's group g, when
 * not SIZE_MAX and kept, is written. */
static void
tw_event(struct tw *w, uint32_t page, size_t g)
{
    struct merged *m = w->m;
    const struct plan *pl = &m->pl;
    struct fentry e;
    size_t nh = 0;
    bool replaced = false;

    if (tw_advance(w, page, &e) && e.page == page) {
        tw_drop(w, &e);
        replaced = true;
    }
    if (g == SIZE_MAX || !pl->flags[g])
        return;
    tw_flush(w);
    if (w->since >= SKIP_EVERY)
        put_check(w, (uint64_t)(w->prev + 1), m->post.len - w->out0);
    if (pl->flags[g] & IN_HEADING)
        nh = group_heads(w->s, pl, g, &m->h, &m->cap_h);
    add_posting(&m->post, (uint64_t)((int64_t)page - w->prev), pl->flags[g],
                pl->tf[g], m->h, nh);
    w->prev = page;
    w->since++;
    w->grew = w->grew || !replaced;
}

/* The plan's groups [g, g_end) of a term not loaded: what tw_event() does
 * with no loaded postings, quicker (the bytes of one posting without
 * headings are at most 13, room for which is made ahead). */
static void
put_new(const struct ob_search *s, struct merged *m, size_t g, size_t g_end)
{
    const struct plan *pl = &m->pl;
    size_t out0 = m->post.len, since = 0, nh;
    uint64_t k_base = 0, k_off = 0, off;
    int64_t prev = -1;
    char *o = room(&m->post, 13 * (g_end - g));

    for (; o && g < g_end; g++) {
        unsigned flags = pl->flags[g];
        uint32_t page = pl->page[g];
        if (!flags)
            continue;
        off = (uint64_t)(o - m->post.ptr) - out0;
        if (since >= SKIP_EVERY && off > k_off) {
            put_var(&m->skips, (uint64_t)(prev + 1) - k_base);
            put_var(&m->skips, off - k_off);
            k_base = (uint64_t)(prev + 1);
            k_off = off;
            since = 0;
        }
        if (flags & IN_HEADING) {
            took(&m->post, o);
            nh = group_heads(s, pl, g, &m->h, &m->cap_h);
            add_posting(&m->post, (uint64_t)((int64_t)page - prev), flags,
                        pl->tf[g], m->h, nh);
            o = room(&m->post, 13 * (g_end - g));
        } else {
            o = num_at(o, (uint64_t)((int64_t)page - prev - 1) * 8 +
                              (flags & IN_TITLE ? 1u : 0u) +
                              (pl->tf[g] >= FREQUENT_TF ? FREQUENT : 0u));
        }
        prev = page;
        since++;
    }
    if (o)
        took(&m->post, o);
}

/* Starts writing loaded term fpos (or NONE: a new term). */
static void
tw_start(struct tw *w, const struct ob_search *s, struct merged *m,
         uint32_t fpos)
{
    const struct frozen *f = &s->f;
    const char *tab, *tab_end;
    uint64_t id = 0, len = 0;

    memset(w, 0, sizeof(*w));
    w->s = s;
    w->m = m;
    w->out0 = m->post.len;
    w->prev = -1;
    w->p0 = w->p = w->end = w->copy = "";
    if (fpos == NONE)
        return;
    w->p0 = w->p = w->copy = f->bytes + f->post_at[fpos];
    w->end = f->bytes + f->post_at[fpos + 1] - 1;
    tab = f->bytes + f->tab_at[fpos];
    tab_end = f->bytes + f->tab_at[fpos + 1];
    get_var(&tab, tab_end, &id); /* both checked by load_table() */
    get_var(&tab, tab_end, &len);
    w->in = (struct skip){
        tab, tab + len, 0, 0, f->n_pages, (size_t)(w->end - w->p0), false};
    skip_next(&w->in);
}

/*
 * Writes a term: loaded term fpos (or NONE) without the postings of the
 * restarted pages t[0..nt) (its touches, by page), merged with the plan's
 * groups [g, g_end) of term lterm (or NONE). Nothing when no posting is
 * left.
 */
static void
put_term(const struct ob_search *s, struct merged *m, uint32_t fpos,
         const struct touch *t, size_t nt, uint32_t lterm, size_t g,
         size_t g_end)
{
    const struct plan *pl = &m->pl;
    struct piece *pc =
        m->n_pc && m->pc[m->n_pc - 1].enc ? &m->pc[m->n_pc - 1] : NULL;
    size_t p_len = m->post.len, k_at = m->skips.len, i = 0, len;
    const char *term;
    struct tw w;

    if (pc)
        ob_buf_putc(&m->post, ' ');
    tw_start(&w, s, m, fpos);
    if (fpos == NONE) {
        put_new(s, m, g, g_end);
        g = g_end;
    }
    while (i < nt || g < g_end) {
        uint32_t tp = i < nt ? t[i].page : NONE;
        uint32_t gp = g < g_end ? pl->page[g] : NONE;
        if (gp <= tp) {
            tw_event(&w, gp, g++);
            i += tp == gp;
        } else {
            tw_event(&w, tp, SIZE_MAX);
            i++;
        }
    }
    tw_advance(&w, UINT64_MAX, &(struct fentry){0, 0, NULL, NULL, NULL});
    tw_flush(&w);
    if (m->post.len == w.out0) {
        ob_buf_truncate(&m->post, p_len);
        ob_buf_truncate(&m->skips, k_at);
        return;
    }
    if (fpos != NONE)
        term = fterm(&s->f, fpos, &len);
    else
        term = ob_intern_get(&s->terms, lterm, &len);
    if (pc) {
        ob_buf_putc(&m->terms, ' ');
    } else {
        OB_GROW(m->pc, m->n_pc + 1, m->cap_pc);
        pc = &m->pc[m->n_pc++];
        *pc = (struct piece){true,         m->n_et, 0,    m->terms.len,
                             m->terms.len, p_len,   p_len};
    }
    ob_buf_add(&m->terms, term, len);
    OB_GROW(m->et, m->n_et + 1, m->cap_et);
    m->et[m->n_et++] = (struct eterm){fpos, lterm, k_at, m->skips.len - k_at};
    pc->n++;
    pc->t_end = m->terms.len;
    pc->p_end = m->post.len;
    m->n_terms++;
}

/* Loaded terms [from, to), copied as they are. */
static void
put_run(struct merged *m, size_t from, size_t to)
{
    struct piece *pc = m->n_pc ? &m->pc[m->n_pc - 1] : NULL;

    if (from == to)
        return;
    m->n_terms += to - from;
    if (pc && !pc->enc && pc->first + pc->n == from) {
        pc->n += to - from;
        return;
    }
    OB_GROW(m->pc, m->n_pc + 1, m->cap_pc);
    m->pc[m->n_pc++] = (struct piece){false, from, to - from, 0, 0, 0, 0};
}

/* The place of the first loaded term in [from, to) not below t[0..len),
 * or `to`. */
static size_t
lower_bound(const struct frozen *f, size_t from, size_t to, const char *t,
            size_t len)
{
    size_t lo = from, hi = to;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, n;
        const char *x = fterm(f, (uint32_t)mid, &n);
        if (utf16_cmp(x, n, t, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/*
 * Where term t[0..len) goes among loaded terms [from, nf), and
 * whether it is there (*match). `hint`, the next touched term, is tried
 * first: a restarted page has most of the terms it had. Past it, the
 * place is only known to be later.
 */
static size_t
find_term(const struct frozen *f, size_t nf, size_t from, size_t hint,
          const char *t, size_t len, bool *match)
{
    const char *x;
    size_t n, at;
    int c = 1;

    *match = false;
    if (hint < nf) {
        x = fterm(f, (uint32_t)hint, &n);
        c = utf16_cmp(x, n, t, len);
        if (c <= 0) {
            *match = c == 0;
            return c ? hint + 1 : hint;
        }
    }
    at = lower_bound(f, from, hint < nf ? hint : nf, t, len);
    if (at < nf) {
        x = fterm(f, (uint32_t)at, &n);
        *match = n == len && memcmp(x, t, len) == 0;
    }
    return at;
}

/* The terms the restarted loaded pages were in, by term and page: from
 * their lists, in page order, then a counting sort by term (there can be
 * as many as postings). */
static struct touch *
touches(const struct frozen *f, size_t *n)
{
    struct touch *raw, *out;
    uint32_t *count;
    size_t i, k = 0, bytes = 1;

    for (i = 0; i < f->n_pages; i++)
        if (f->stale[i])
            bytes += f->list_at[i + 1] - f->list_at[i]; /* ids or more */
    raw = ob_xreallocarray(NULL, bytes, sizeof(*raw));
    for (i = 0; i < f->n_pages; i++) {
        const char *p = f->bytes + f->list_at[i];
        const char *end = f->bytes + f->list_at[i + 1];
        uint64_t id = 0, gap;
        while (f->stale[i] && get_var(&p, end, &gap) && gap < f->n_ids - id) {
            id += gap;
            if (f->pos[id] != NONE) /* only a bad cache names a hole */
                raw[k++] = (struct touch){f->pos[id], (uint32_t)i};
        }
    }
    count = ob_xcalloc(f->n_terms + 1, sizeof(uint32_t));
    for (i = 0; i < k; i++)
        count[raw[i].pos + 1]++;
    for (i = 0; i < f->n_terms; i++)
        count[i + 1] += count[i];
    out = ob_xreallocarray(NULL, k + 1, sizeof(*out));
    for (i = 0; i < k; i++)
        out[count[raw[i].pos]++] = raw[i];
    free(count);
    free(raw);
    *n = k;
    return out;
}

/* The plan's groups of one term from g on: its id, and the end. */
static size_t
term_groups(const struct plan *pl, size_t g, uint32_t *lterm)
{
    *lterm = pl->term[g];
    for (g++; g < pl->n_grp; g++)
        if (pl->term[g] != *lterm)
            break;
    return g;
}

/*
 * Terms go out in order from two sources: the loaded ones, copied as they
 * are in runs between those a restarted page was in (touched), and the
 * plan's, whose postings were added since. A loaded term touched or with
 * new postings is written anew (put_term()), as is a new one.
 */
static void
merged_make(const struct ob_search *s, struct merged *m)
{
    static const char digits[] = OB_SEARCH_DIGITS;
    const struct frozen *f = &s->f;
    const struct plan *pl = &m->pl;
    /* With every loaded page restarted, none of their postings is left:
     * the terms are the plan's alone, as in a fresh build. */
    size_t nf = f->n_stale < f->n_pages ? f->n_terms : 0;
    size_t i, k = 0, g = 0, ti = 0, nt = 0, est;
    struct touch *t = nf && f->n_stale ? touches(f, &nt) : NULL;

    memset(m->val, -1, sizeof m->val);
    for (i = 0; i < sizeof digits - 1; i++)
        m->val[(unsigned char)digits[i]] = (signed char)i;
    plan_make(s, &m->pl);
    numbering_make(s, &m->nb);
    /* Room for what is written anew, so that it is not copied growing. */
    for (i = 0, est = 0; i < nt; i++)
        if (!i || t[i].pos != t[i - 1].pos)
            est += f->post_at[t[i].pos + 1] - f->post_at[t[i].pos];
    ob_buf_grow(&m->post, est + 4 * pl->n_grp + 64);
    for (;;) {
        uint32_t lterm = NONE;
        size_t g_end = g, lpos = nf, at, t0, len = 0;
        size_t tpos = ti < nt ? t[ti].pos : nf;
        const char *lt;
        bool match = false;

        if (g < pl->n_grp) {
            g_end = term_groups(pl, g, &lterm);
            lt = ob_intern_get(&s->terms, lterm, &len);
            lpos = find_term(f, nf, k, tpos, lt, len, &match);
        }
        if (lterm == NONE && ti == nt) {
            put_run(m, k, nf);
            break;
        }
        at = lpos < tpos ? lpos : tpos;
        put_run(m, k, at);
        k = at;
        if (lterm != NONE && lpos == at && !match) {
            put_term(s, m, NONE, NULL, 0, lterm, g, g_end); /* a new term */
            g = g_end;
            continue;
        }
        for (t0 = ti; ti < nt && t[ti].pos == at; ti++)
            ;
        if (match && lpos == at) {
            put_term(s, m, (uint32_t)at, t + t0, ti - t0, lterm, g, g_end);
            g = g_end;
        } else {
            put_term(s, m, (uint32_t)at, t + t0, ti - t0, NONE, 0, 0);
        }
        k = at + 1;
    }
    free(t);
    /* Kept for saving: the groups' flags, pages and terms (build_lists()). */
    free(m->pl.order);
    free(m->pl.grp);
    free(m->pl.tf);
    m->pl.order = m->pl.grp = m->pl.tf = NULL;
    m->valid = true;
}

/* What the index writes, worked out when the index changed since. */
static const struct merged *
merged_get(const struct ob_search *s)
{
    if (!s->mg->valid)
        merged_make(s, s->mg);
    return s->mg;
}

void
ob_search_prepare(const struct ob_search *s)
{
    if (!ob_search_unchanged(s))
        (void)merged_get(s);
}

bool
ob_search_unchanged(const struct ob_search *s)
{
    return s->raw && !s->changed;
}

/* The bytes of a piece's terms or (`post`) postings, ' '-joined. */
static const char *
piece_bytes(const struct ob_search *s, const struct merged *m,
            const struct piece *pc, bool post, size_t *len)
{
    const uint32_t *at = post ? s->f.post_at : s->f.term_at;

    if (pc->enc) {
        *len = post ? pc->p_end - pc->p_at : pc->t_end - pc->t_at;
        return post ? m->post.ptr + pc->p_at : m->terms.ptr + pc->t_at;
    }
    *len = at[pc->first + pc->n] - 1 - at[pc->first];
    return s->f.bytes + at[pc->first];
}

/* The length of all terms or (`post`) postings, ' '-joined. */
static size_t
joined_len(const struct ob_search *s, const struct merged *m, bool post)
{
    size_t i, len, sum = m->n_pc ? m->n_pc - 1 : 0;

    for (i = 0; i < m->n_pc; i++) {
        piece_bytes(s, m, &m->pc[i], post, &len);
        sum += len;
    }
    return sum;
}

static void
put_joined(const struct ob_search *s, const struct merged *m, bool post,
           struct ob_buf *out)
{
    size_t i, len;

    for (i = 0; i < m->n_pc; i++) {
        const char *b = piece_bytes(s, m, &m->pc[i], post, &len);
        if (i)
            ob_buf_putc(out, ' ');
        ob_buf_add(out, b, len);
    }
}

/* ---- the script ------------------------------------------------------- */

static void
write_heads(const struct ob_search *s, const struct numbering *nb,
            struct ob_buf *out)
{
    size_t i;

    for (i = 0; i < nb->n_head; i++) {
        size_t len, text;
        const char *key = ob_intern_get(&s->heads, nb->head_ids[i], &len);
        text = (size_t)((const char *)memchr(key, '\0', len) - key);
        if (i)
            ob_buf_putc(out, ',');
        add_js(out, key, text);
        ob_buf_putc(out, ',');
        add_js(out, key + text + 1, len - text - 1);
    }
}

/* Page p's line, its strings escaped. */
static void
write_page_slowly(const struct ob_search *s, const struct numbering *nb,
                  const struct page *p, struct ob_buf *out)
{
    size_t j;

    ob_buf_putc(out, '[');
    add_js(out, s->strs.ptr + p->url, p->title - p->url);
    ob_buf_putc(out, ',');
    add_js(out, s->strs.ptr + p->title, p->summary - p->title);
    ob_buf_printf(out, ",%u,", (unsigned)nb->sec[p->section]);
    add_js(out, s->strs.ptr + p->summary, p->end - p->summary);
    ob_buf_puts(out, ",[");
    for (j = 0; j < p->n_heads; j++)
        ob_buf_printf(out, j ? ",%u" : "%u", (unsigned)nb->head[p->heads[j]]);
    ob_buf_puts(out, "]]");
}

static char *
str_at(char *o, const char *s, size_t len)
{
    *o = '"';
    memcpy(o + 1, s, len);
    o[len + 1] = '"';
    return o + len + 2;
}

/* Page p's line: written in place when no string needs escaping (most). */
static void
write_page(const struct ob_search *s, const struct numbering *nb,
           const struct page *p, struct ob_buf *out)
{
    const char *url = s->strs.ptr + p->url, *title = s->strs.ptr + p->title;
    const char *sum = s->strs.ptr + p->summary;
    size_t ul = p->title - p->url, tl = p->summary - p->title;
    size_t sl = p->end - p->summary, j;
    char *o = NULL;

    if (p->plain)
        o = room(out, ul + tl + sl + 32 + 11 * p->n_heads);
    if (!o) {
        write_page_slowly(s, nb, p, out);
        return;
    }
    *o++ = '[';
    o = str_at(o, url, ul);
    *o++ = ',';
    o = str_at(o, title, tl);
    *o++ = ',';
    o = dec_at(o, nb->sec[p->section]);
    *o++ = ',';
    o = str_at(o, sum, sl);
    *o++ = ',';
    *o++ = '[';
    for (j = 0; j < p->n_heads; j++) {
        if (j)
            *o++ = ',';
        o = dec_at(o, nb->head[p->heads[j]]);
    }
    *o++ = ']';
    *o++ = ']';
    took(out, o);
}

static void
write_pages(const struct ob_search *s, const struct numbering *nb,
            struct ob_buf *out)
{
    size_t i;

    for (i = 0; i < s->n_pages; i++) {
        write_page(s, nb, &s->pages[i], out);
        ob_buf_puts(out, i + 1 < s->n_pages ? ",\n" : "\n");
    }
}

void
ob_search_write_js(const struct ob_search *s, struct ob_buf *out)
{
    const struct merged *m = merged_get(s);
    size_t terms_len = joined_len(s, m, false);
    size_t post_len = joined_len(s, m, true);
    const struct numbering *nb = &m->nb;
    size_t i;

    /* The terms and postings, most of it, with room for the rest. */
    ob_buf_grow(out, terms_len + post_len + s->strs.len + s->heads.n * 32 +
                         s->n_pages * 32 + 256);
    ob_buf_printf(out, "window.OPSBOOK_SEARCH = {\"v\":%d,\n\"sections\":[",
                  OB_SEARCH_FORMAT);
    for (i = 0; i < nb->n_sec; i++) {
        size_t len;
        const char *t = ob_intern_get(&s->sections, nb->sec_ids[i], &len);
        if (i)
            ob_buf_putc(out, ',');
        add_js(out, t, len);
    }
    ob_buf_puts(out, "],\n\"heads\":[");
    write_heads(s, nb, out);
    ob_buf_puts(out, "],\n\"pages\":[\n");
    write_pages(s, nb, out);
    /* Terms and postings need no escaping: terms are letters and digits
     * (load_terms() checks those it reads), postings digits. */
    ob_buf_puts(out, "],\n\"terms\":\"");
    put_joined(s, m, false, out);
    ob_buf_puts(out, "\",\n\"post\":\"");
    put_joined(s, m, true, out);
    ob_buf_puts(out, "\"};\n");
}

/* ---- saving and loading ----------------------------------------------- */

/*
 * The records: a tag, the index as one blob of records, and the blob's
 * hash, so that a cache damaged anywhere is no cache. In the blob: the
 * sections and headings as numbered for writing, the pages, the number of
 * terms and of ids, the terms and their postings as written (' '-joined,
 * in term order), per term its table entry (varints: its id, the length of
 * its checkpoints, then those), and per page the ids of the terms it is in
 * (ascending, as gaps in varints; the lengths of the lists first).
 */
#define SAVE_TAG 0x32786564e6e69736ull /* changes when the records do */

/* Ids ascending, as gaps (the first as it is). */
static void
put_ids(struct ob_buf *b, uint32_t *ids, size_t n)
{
    size_t i;
    char *o;

    for (i = 1; i < n && ids[i - 1] < ids[i]; i++)
        ;
    if (i < n)
        ob_qsort(ids, n, sizeof(*ids), u32_cmp);
    o = room(b, 5 * n);
    for (i = 0; o && i < n; i++)
        o = var_at(o, i ? ids[i] - ids[i - 1] : ids[i]);
    if (o)
        took(b, o);
}

/* Starts a bytes record whose length patch_len() fills in. */
static size_t
start_bytes(struct ob_buf *out)
{
    size_t at = out->len;

    ob_cache_put_u64(out, 0);
    return at;
}

static void
patch_len(struct ob_buf *out, size_t at)
{
    ob_cache_set_u64(out, at, out->len - at - 8);
}

static void
save_names(const struct ob_search *s, const struct numbering *nb,
           struct ob_buf *out)
{
    size_t i, len;
    const char *t;

    ob_cache_put_u64(out, nb->n_sec);
    for (i = 0; i < nb->n_sec; i++) {
        t = ob_intern_get(&s->sections, nb->sec_ids[i], &len);
        ob_cache_put_bytes(out, t, len);
    }
    ob_cache_put_u64(out, nb->n_head);
    for (i = 0; i < nb->n_head; i++) {
        t = ob_intern_get(&s->heads, nb->head_ids[i], &len);
        ob_cache_put_bytes(out, t, len);
    }
}

/* The pages: their strings, one after the other as they are in `strs`
 * (where those of pages loaded and not restarted are in runs), then per
 * page varints: the strings' lengths, the section, the number of
 * headings, the headings. */
static void
save_pages(const struct ob_search *s, const struct numbering *nb,
           struct ob_buf *out)
{
    size_t i, j, rec;

    ob_cache_put_u64(out, s->n_pages);
    rec = start_bytes(out);
    for (i = 0; i < s->n_pages; i = j) {
        for (j = i + 1;
             j < s->n_pages && s->pages[j].url == s->pages[j - 1].end; j++)
            ;
        ob_buf_add(out, s->strs.ptr + s->pages[i].url,
                   s->pages[j - 1].end - s->pages[i].url);
    }
    patch_len(out, rec);
    rec = start_bytes(out);
    for (i = 0; i < s->n_pages; i++) {
        const struct page *p = &s->pages[i];
        char *o = room(out, 10 * (5 + p->n_heads));
        if (!o)
            break;
        o = var_at(o, p->title - p->url);
        o = var_at(o, p->summary - p->title);
        o = var_at(o, p->end - p->summary);
        o = var_at(o, nb->sec[p->section]);
        o = var_at(o, p->n_heads);
        for (j = 0; j < p->n_heads; j++)
            o = var_at(o, nb->head[p->heads[j]]);
        took(out, o);
    }
    patch_len(out, rec);
}

/*
 * The ids of the terms saved. A loaded term keeps its own and a new one
 * takes the next, in term order, unless the holes grew to a quarter: then
 * all are numbered again, in term order.
 */
struct save_ids {
    size_t n_ids;
    uint32_t *eid;   /* per term written anew (et): its id */
    uint32_t *lid;   /* per id in `terms`: its id, or NONE */
    uint32_t *remap; /* per loaded id: its new one, NONE when gone; or NULL
                        when ids are kept */
};

static void
save_ids(const struct ob_search *s, const struct merged *m, struct save_ids *si)
{
    const struct frozen *f = &s->f;
    size_t i, j, at = 0, n_new = 0, next = f->n_ids;

    for (i = 0; i < m->n_et; i++)
        n_new += m->et[i].fpos == NONE;
    si->n_ids = f->n_ids + n_new;
    si->remap = NULL;
    if ((si->n_ids - m->n_terms) * 4 > m->n_terms) {
        si->n_ids = m->n_terms;
        si->remap = ob_xreallocarray(NULL, f->n_ids + 1, sizeof(uint32_t));
        memset(si->remap, 0xff, (f->n_ids + 1) * sizeof(uint32_t));
    }
    si->eid = ob_xreallocarray(NULL, m->n_et + 1, sizeof(uint32_t));
    si->lid = ob_xreallocarray(NULL, s->terms.n + 1, sizeof(uint32_t));
    memset(si->lid, 0xff, (s->terms.n + 1) * sizeof(uint32_t));
    for (i = 0; i < m->n_pc; at += m->pc[i++].n) {
        const struct piece *pc = &m->pc[i];
        for (j = 0; si->remap && !pc->enc && j < pc->n; j++)
            si->remap[f->id[pc->first + j]] = (uint32_t)(at + j);
        for (j = 0; pc->enc && j < pc->n; j++) {
            const struct eterm *e = &m->et[pc->first + j];
            uint32_t id = si->remap         ? (uint32_t)(at + j)
                          : e->fpos != NONE ? f->id[e->fpos]
                                            : (uint32_t)next++;
            if (si->remap && e->fpos != NONE)
                si->remap[f->id[e->fpos]] = id;
            if (e->lterm != NONE)
                si->lid[e->lterm] = id;
            si->eid[pc->first + j] = id;
        }
    }
}

static void
save_ids_release(struct save_ids *si)
{
    free(si->eid);
    free(si->lid);
    free(si->remap);
}

/* Per term its table entry: loaded ones copied in runs while ids stay. */
static void
save_table(const struct ob_search *s, const struct merged *m,
           const struct save_ids *si, struct ob_buf *out)
{
    const struct frozen *f = &s->f;
    size_t i, j, at = 0, rec = start_bytes(out);

    for (i = 0; i < m->n_pc; at += m->pc[i++].n) {
        const struct piece *pc = &m->pc[i];
        if (!pc->enc && !si->remap) {
            ob_buf_add(out, f->bytes + f->tab_at[pc->first],
                       f->tab_at[pc->first + pc->n] - f->tab_at[pc->first]);
            continue;
        }
        for (j = 0; j < pc->n; j++) {
            const char *k, *end;
            uint64_t id = 0, len = 0;
            if (pc->enc) {
                const struct eterm *e = &m->et[pc->first + j];
                k = m->skips.ptr + e->k_at;
                len = e->k_len;
                id = si->eid[pc->first + j];
            } else {
                k = f->bytes + f->tab_at[pc->first + j];
                end = f->bytes + f->tab_at[pc->first + j + 1];
                get_var(&k, end, &id); /* both checked by load_table() */
                get_var(&k, end, &len);
                id = at + j;
            }
            put_var(out, id);
            put_var(out, len);
            ob_buf_add(out, k, (size_t)len);
        }
    }
    patch_len(out, rec);
}

/* A loaded page's term list with its ids renumbered. */
static void
remap_list(const struct ob_search *s, const struct save_ids *si, size_t page,
           struct ob_buf *out)
{
    const struct frozen *f = &s->f;
    const char *p = f->bytes + f->list_at[page];
    const char *end = f->bytes + f->list_at[page + 1];
    uint64_t id = 0, gap;
    uint32_t *ids = NULL;
    size_t n = 0, cap = 0;

    while (get_var(&p, end, &gap) && gap < f->n_ids - id) {
        id += gap;
        if (si->remap[id] == NONE)
            continue;
        OB_GROW(ids, n + 1, cap);
        ids[n++] = si->remap[id];
    }
    put_ids(out, ids, n);
    free(ids);
}

/* Whether page i's loaded list is saved as it is. */
static bool
list_kept(const struct ob_search *s, const struct save_ids *si, size_t i)
{
    return frozen(s, i) && !si->remap;
}

/* The lists of the pages whose loaded ones are not kept, into `built`
 * (page i's at [at[i], at[i + 1])): renumbered, or the plan's kept
 * groups. */
static void
build_lists(const struct ob_search *s, const struct merged *m,
            const struct save_ids *si, struct ob_buf *built, size_t *at)
{
    const struct plan *pl = &m->pl;
    size_t *from = ob_xcalloc(s->n_pages + 2, sizeof(size_t));
    uint32_t *ids;
    size_t g, i;

    for (g = 0; g < pl->n_grp; g++)
        if (pl->flags[g])
            from[pl->page[g] + 2]++;
    for (i = 0; i < s->n_pages; i++)
        from[i + 2] += from[i + 1];
    ids = ob_xreallocarray(NULL, from[s->n_pages + 1] + 1, sizeof(uint32_t));
    for (g = 0; g < pl->n_grp; g++)
        if (pl->flags[g])
            ids[from[pl->page[g] + 1]++] = si->lid[pl->term[g]];
    for (i = 0; i < s->n_pages; i++) {
        at[i] = built->len;
        if (frozen(s, i) && si->remap)
            remap_list(s, si, i, built);
        else if (!frozen(s, i))
            put_ids(built, ids + from[i], from[i + 1] - from[i]);
    }
    at[s->n_pages] = built->len;
    free(ids);
    free(from);
}

/* Per page the ids of its terms: the lengths, then the lists, loaded ones
 * copied in runs. */
static void
save_lists(const struct ob_search *s, const struct merged *m,
           const struct save_ids *si, struct ob_buf *out)
{
    const struct frozen *f = &s->f;
    struct ob_buf built = OB_BUF_INIT;
    size_t *at = ob_xreallocarray(NULL, s->n_pages + 1, sizeof(size_t));
    size_t i, j, rec;
    char *o;

    build_lists(s, m, si, &built, at);
    rec = start_bytes(out);
    o = room(out, 10 * s->n_pages);
    for (i = 0; o && i < s->n_pages; i++)
        o = var_at(o, list_kept(s, si, i) ? f->list_at[i + 1] - f->list_at[i]
                                          : at[i + 1] - at[i]);
    if (o)
        took(out, o);
    patch_len(out, rec);
    rec = start_bytes(out);
    for (i = 0; i < s->n_pages; i = j) {
        bool kept = list_kept(s, si, i);
        for (j = i + 1; j < s->n_pages && list_kept(s, si, j) == kept; j++)
            ;
        if (kept)
            ob_buf_add(out, f->bytes + f->list_at[i],
                       f->list_at[j] - f->list_at[i]);
        else
            ob_buf_add(out, built.ptr + at[i], at[j] - at[i]);
    }
    patch_len(out, rec);
    ob_buf_release(&built);
    free(at);
}

void
ob_search_save(const struct ob_search *s, struct ob_buf *out)
{
    const struct merged *m;
    size_t terms_len, post_len;
    struct save_ids si;
    size_t at, start;

    if (ob_search_unchanged(s)) { /* what it was loaded from, as it was */
        ob_buf_add(out, s->raw, s->raw_len);
        return;
    }
    m = merged_get(s);
    terms_len = joined_len(s, m, false);
    post_len = joined_len(s, m, true);

    ob_buf_grow(
        out,
        terms_len + post_len + m->skips.len + s->strs.len + s->heads.n * 32 +
            (m->n_terms + s->n_pages) * 8 +
            (s->f.n_pages ? s->f.list_at[s->f.n_pages] - s->f.list_at[0] : 0) +
            256);
    ob_cache_put_u64(out, SAVE_TAG);
    at = start_bytes(out); /* the blob, its length once known */
    start = out->len;
    save_names(s, &m->nb, out);
    save_pages(s, &m->nb, out);
    save_ids(s, m, &si);
    ob_cache_put_u64(out, m->n_terms);
    ob_cache_put_u64(out, si.n_ids);
    ob_cache_put_u64(out, terms_len); /* then the bytes, as put_bytes() */
    put_joined(s, m, false, out);
    ob_cache_put_u64(out, post_len);
    put_joined(s, m, true, out);
    save_table(s, m, &si, out);
    save_lists(s, m, &si, out);
    save_ids_release(&si);
    patch_len(out, at);
    ob_cache_put_u64(out, ob_hash(out->ptr + start, out->len - start));
}

static bool
load_names(struct ob_intern *in, struct ob_cache_reader *r, bool heads)
{
    uint64_t i, n = ob_cache_get_u64(r);

    if (n > (uint64_t)(r->end - r->p) / 8)
        return false;
    for (i = 0; i < n; i++) {
        size_t len;
        const char *b = ob_cache_get_bytes(r, &len);
        if (!b || (heads && !memchr(b, '\0', len)) ||
            ob_intern_add(in, b, len) != i)
            return false; /* missing, no anchor or twice */
    }
    return !r->bad;
}

/* One of a page's strings, at *at of `len` bytes in all. */
static bool
load_str(size_t *at, uint64_t len, size_t all, size_t *str)
{
    if (len > all - *at)
        return false;
    *str = *at;
    *at += (size_t)len;
    return true;
}

/* Page p: its varints from *m, its strings from strs[*at...], copied to
 * `strs` (where there is room), its headings into *heads. */
static bool
load_page(struct ob_search *s, struct page *p, const char *strs, size_t all,
          size_t *at, uint32_t **heads, const char **m, const char *end)
{
    uint64_t url, title, summary, section, n, h;

    if (!get_var(m, end, &url) || !get_var(m, end, &title) ||
        !get_var(m, end, &summary) || !get_var(m, end, &section) ||
        !get_var(m, end, &n) || section >= s->sections.n ||
        n > OB_SEARCH_HEADINGS || n > (uint64_t)(end - *m) ||
        !load_str(at, url, all, &p->url) ||
        !load_str(at, title, all, &p->title) ||
        !load_str(at, summary, all, &p->summary))
        return false;
    p->end = *at;
    p->plain = copy_plain(s->strs.ptr + p->url, strs + p->url, p->end - p->url);
    p->section = (uint32_t)section;
    p->heads = *heads;
    *heads += n;
    while (p->n_heads < n) {
        if (!get_var(m, end, &h) || h >= s->heads.n)
            return false;
        p->heads[p->n_heads++] = (uint32_t)h;
    }
    return true;
}

static bool
load_pages(struct ob_search *s, struct ob_cache_reader *r)
{
    uint64_t n = ob_cache_get_u64(r);
    size_t strs_len, meta_len, at = 0;
    const char *strs = ob_cache_get_bytes(r, &strs_len);
    const char *meta = ob_cache_get_bytes(r, &meta_len);
    const char *end = meta + meta_len;

    uint32_t *heads;

    if (!strs || !meta || n > meta_len / 5 || /* five varints a page */
        !ob_buf_grow(&s->strs, strs_len))
        return false;
    s->pages = ob_xcalloc(n + 1, sizeof(*s->pages));
    s->cap_pages = n + 1;
    /* A heading takes a byte of `meta` or more. */
    heads = s->loaded_heads = ob_xreallocarray(NULL, meta_len + 1, 4);
    while (s->n_pages < n)
        if (!load_page(s, &s->pages[s->n_pages++], strs, strs_len, &at, &heads,
                       &meta, end))
            return false;
    if (meta != end || at != strs_len || r->bad)
        return false;
    took(&s->strs, s->strs.ptr + strs_len);
    return true;
}

/* Whether b[0..len) holds no byte add_js() would escape: so that terms
 * from a cache can go into the script as they are, as new ones do. */
static bool
js_plain(const char *b, size_t len)
{
    size_t i;

    for (i = js_scan(b, 0, len); i < len; i = js_scan(b, i + 1, len))
        if (b[i] != '\xe2' || (i + 2 < len && b[i + 1] == '\x80' &&
                               (b[i + 2] == '\xa8' || b[i + 2] == '\xa9')))
            return false;
    return true;
}

/* The terms: n_terms of them, ' '-joined, none empty, in order (so that
 * merging works) and plain. */
static bool
split_terms(struct frozen *f, size_t off, size_t len)
{
    const char *b = f->bytes + off, *p = b, *end = b + len, *sp;
    size_t i, prev_len = 0;

    if (!js_plain(b, len))
        return false;
    if (!f->n_terms)
        return len == 0;
    for (i = 0; i < f->n_terms; i++) {
        f->term_at[i] = (uint32_t)(off + (size_t)(p - b));
        sp = memchr(p, ' ', (size_t)(end - p));
        if ((i + 1 < f->n_terms) != (sp != NULL))
            return false;
        if (!sp)
            sp = end;
        if (sp == p || (i && utf16_cmp(f->bytes + f->term_at[i - 1], prev_len,
                                       p, (size_t)(sp - p)) >= 0))
            return false;
        prev_len = (size_t)(sp - p);
        p = sp + 1;
    }
    f->term_at[f->n_terms] = (uint32_t)(off + len + 1);
    return true;
}

#ifdef SIMD16
/* What is no digit (OB_SEARCH_DIGITS), 16 bytes at a time: up to ' ', from
 * DEL on, '"', '<' and '\\'. */
struct digit16 {
    __m128i space, del, quote, lt, backslash;
};

static void
digit16_init(struct digit16 *k)
{
    k->space = _mm_set1_epi8(' ');
    k->del = _mm_set1_epi8(0x7f);
    k->quote = _mm_set1_epi8('"');
    k->lt = _mm_set1_epi8('<');
    k->backslash = _mm_set1_epi8('\\');
}

/* Bits of the 16 bytes at p that are no digit. */
static inline unsigned
nondigit16(const struct digit16 *k, const char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i hit = _mm_cmpeq_epi8(_mm_min_epu8(v, k->space), v);

    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(_mm_max_epu8(v, k->del), v));
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, k->quote));
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, k->lt));
    hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, k->backslash));
    return (unsigned)_mm_movemask_epi8(hit);
}
#endif

/* Whether any of the 8 bytes at p is no digit. */
static bool
nondigit8(const char *p)
{
    uint64_t w, hit;

    memcpy(&w, p, sizeof w);
    hit = ((w - ONES * 0x21) & ~w) | w;
    hit |= zero_bytes(w ^ ONES * 0x7f) | zero_bytes(w ^ ONES * '"');
    hit |= zero_bytes(w ^ ONES * '<') | zero_bytes(w ^ ONES * '\\');
    return hit & ONES * 0x80;
}

static bool
is_digit(unsigned char c)
{
    return c > ' ' && c < 0x7f && c != '"' && c != '<' && c != '\\';
}

/* The first byte of s[i..len) that is no digit, or len. */
static size_t
digit_scan(const char *s, size_t i, size_t len)
{
#ifdef SIMD16
    struct digit16 k;
    unsigned bits;

    if (len >= 16) {
        digit16_init(&k);
        for (; i + 16 <= len; i += 16) {
            bits = nondigit16(&k, s + i);
            if (bits)
                return i + (size_t)__builtin_ctz(bits);
        }
        if (i >= len)
            return len;
        bits = nondigit16(&k, s + len - 16) >> (i - (len - 16));
        return bits ? i + (size_t)__builtin_ctz(bits) : len;
    }
#endif
    for (; i + 8 <= len; i += 8)
        if (nondigit8(s + i))
            break;
    for (; i < len; i++)
        if (!is_digit((unsigned char)s[i]))
            break;
    return i;
}

/* The postings: one string of digits for each term, ' '-joined, none
 * empty. That they decode is checked as they are (tw_peek()). */
static bool
split_post(struct frozen *f, size_t off, size_t len)
{
    const char *b = f->bytes + off;
    size_t i, at = 0, stop;

    if (!f->n_terms)
        return len == 0;
    for (i = 0; i < f->n_terms; i++, at = stop + 1) {
        stop = digit_scan(b, at, len);
        f->post_at[i] = (uint32_t)(off + at);
        if (stop == at ||
            (i + 1 < f->n_terms ? stop == len || b[stop] != ' ' : stop != len))
            return false;
    }
    f->post_at[f->n_terms] = (uint32_t)(off + len + 1);
    return true;
}

/* Per term its table entry: an id, each once, and checkpoints. */
static bool
load_table(struct frozen *f, size_t off, size_t len)
{
    const char *b = f->bytes + off, *p = b, *end = b + len;
    uint64_t id, n;
    size_t i;

    f->tab_at = ob_xreallocarray(NULL, f->n_terms + 1, sizeof(uint32_t));
    f->id = ob_xreallocarray(NULL, f->n_terms + 1, sizeof(uint32_t));
    f->pos = ob_xreallocarray(NULL, f->n_ids + 1, sizeof(uint32_t));
    memset(f->pos, 0xff, (f->n_ids + 1) * sizeof(uint32_t));
    for (i = 0; i < f->n_terms; i++) {
        f->tab_at[i] = (uint32_t)(off + (size_t)(p - b));
        if (!get_var(&p, end, &id) || id >= f->n_ids || f->pos[id] != NONE ||
            !get_var(&p, end, &n) || n > (uint64_t)(end - p))
            return false;
        f->pos[id] = (uint32_t)i;
        f->id[i] = (uint32_t)id;
        p += n;
    }
    f->tab_at[f->n_terms] = (uint32_t)(off + len);
    return p == end;
}

static bool
load_lists(struct frozen *f, size_t base, const char *lens, size_t lens_len,
           size_t lists_len)
{
    const char *p = lens, *end = lens + lens_len;
    uint64_t v;
    size_t i;

    f->list_at = ob_xreallocarray(NULL, f->n_pages + 1, sizeof(size_t));
    f->list_at[0] = base;
    for (i = 0; i < f->n_pages; i++) {
        if (!get_var(&p, end, &v) || v > lists_len - (f->list_at[i] - base))
            return false;
        f->list_at[i + 1] = f->list_at[i] + (size_t)v;
    }
    return p == end && f->list_at[f->n_pages] == base + lists_len;
}

/*
 * The terms' records. They are kept where they are when `base` is the
 * start of the memory they are in (the caller's, to be handed over), else
 * copied.
 */
static bool
load_terms(struct ob_search *s, struct ob_cache_reader *r, const char *base)
{
    struct frozen *f = &s->f;
    size_t t_len, p_len, x_len, n_len, l_len, t, p, x, l;
    uint64_t n_terms = ob_cache_get_u64(r), n_ids = ob_cache_get_u64(r);
    const char *terms = ob_cache_get_bytes(r, &t_len);
    const char *post = ob_cache_get_bytes(r, &p_len);
    const char *tab = ob_cache_get_bytes(r, &x_len);
    const char *lens = ob_cache_get_bytes(r, &n_len);
    const char *lists = ob_cache_get_bytes(r, &l_len);

    /* Each term has a byte or more; holes stay below a quarter. */
    if (r->bad || !terms || !post || !tab || !lens || !lists ||
        n_terms > t_len || n_terms > p_len || n_ids < n_terms ||
        n_ids - n_terms > n_terms / 4)
        return false;
    if (base) {
        f->bytes = base;
        t = (size_t)(terms - base);
        p = (size_t)(post - base);
        x = (size_t)(tab - base);
        l = (size_t)(lists - base);
    } else {
        f->bytes = f->own = ob_xmalloc(t_len + p_len + x_len + l_len + 1);
        t = 0;
        p = t_len;
        x = p + p_len;
        l = x + x_len;
        memcpy(f->own + t, terms, t_len);
        memcpy(f->own + p, post, p_len);
        memcpy(f->own + x, tab, x_len);
        memcpy(f->own + l, lists, l_len);
    }
    if (x + x_len + 2 >= UINT32_MAX) /* offsets are 32 bits */
        return false;
    f->n_terms = (size_t)n_terms;
    f->n_ids = (size_t)n_ids;
    f->n_pages = s->n_pages;
    f->term_at = ob_xreallocarray(NULL, f->n_terms + 1, sizeof(uint32_t));
    f->post_at = ob_xreallocarray(NULL, f->n_terms + 1, sizeof(uint32_t));
    f->stale = ob_xcalloc(f->n_pages + 1, 1);
    return split_terms(f, t, t_len) && split_post(f, p, p_len) &&
           load_table(f, x, x_len) && load_lists(f, l, lens, n_len, l_len);
}

static struct ob_search *
load(struct ob_cache_reader *r, const char *base)
{
    struct ob_search *s;
    struct ob_cache_reader in = {NULL, NULL, false};
    size_t len;
    bool ok = ob_cache_get_u64(r) == SAVE_TAG;

    in.p = ob_cache_get_bytes(r, &len);
    ok = ok && in.p && ob_cache_get_u64(r) == ob_hash(in.p, len) && !r->bad;
    if (!ok) {
        r->bad = true;
        return NULL;
    }
    in.end = in.p + len;
    s = ob_search_new();
    ok = load_names(&s->sections, &in, false) &&
         load_names(&s->heads, &in, true) && load_pages(s, &in) &&
         load_terms(s, &in, base) && ob_cache_done(&in);
    if (!ok) {
        r->bad = true;
        ob_search_free(s);
        return NULL;
    }
    return s;
}

struct ob_search *
ob_search_load(struct ob_cache_reader *r)
{
    return load(r, NULL);
}

struct ob_search *
ob_search_load_file(struct ob_cache_reader *r, struct ob_cache_file *file)
{
    const char *start = r->p;
    struct ob_search *s;

    if (r->bad || r->p < file->ptr || r->end > file->ptr + file->len) {
        r->bad = true; /* not reading `file` */
        return NULL;
    }
    s = load(r, file->ptr);
    if (s) {
        s->raw = start;
        s->raw_len = (size_t)(r->p - start);
        s->f.file = *file;
        *file = (struct ob_cache_file)OB_CACHE_FILE_INIT;
    }
    return s;
}
