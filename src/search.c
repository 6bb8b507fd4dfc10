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
    size_t url, title, summary; /* offsets into `strs` */
    uint32_t section;
    uint32_t *heads; /* ids in `heads`, in document order */
    size_t n_heads, cap_heads;
};

/*
 * What ob_search_load() read: the postings of the pages saved, final (capped,
 * merged) and encoded as written, by a term id that stays the same from
 * save to save (new terms take new ids; a term that lost every posting
 * leaves a hole), and per page the ids of the terms it is in, so that a
 * restarted page finds the terms to re-encode without decoding them all.
 */
struct frozen {
    char *bytes;       /* terms, postings, page lists, as saved */
    uint32_t *term_at; /* n_ids + 1 starts of ' '-joined terms */
    uint32_t *post_at; /* the same for their postings */
    uint32_t *order;   /* the ids that have postings, in term order */
    size_t *list_at;   /* n_pages + 1 starts of the page lists */
    size_t n_ids, n_order, n_pages;
    unsigned char *stale;   /* per page: restarted since loaded */
    unsigned char *touched; /* per id: a stale page is in its postings */
};

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
    struct ob_buf strs, term, key;
    /* The postings at the tail all belong to run_page from run_start on;
     * when text moves to another page they are capped, so memory stays
     * at about OB_SEARCH_BODY_TERMS postings a page. */
    uint32_t run_page;
    size_t run_start;
    struct frozen f; /* pages 0..f.n_pages) came from a cache */
    bool restarted;  /* sections and headings are renumbered to write */
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
    return s;
}

void
ob_search_free(struct ob_search *s)
{
    size_t i;

    if (!s)
        return;
    for (i = 0; i < s->n_pages; i++)
        free(s->pages[i].heads);
    free(s->pages);
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
    free(s->f.bytes);
    free(s->f.term_at);
    free(s->f.post_at);
    free(s->f.order);
    free(s->f.list_at);
    free(s->f.stale);
    free(s->f.touched);
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
    ob_buf_putc(&s->strs, '\0');
    return at;
}

static void add_text(struct ob_search *s, uint32_t page, const char *text,
                     size_t len, unsigned flag, uint32_t heading);

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
    p->section = ob_intern_add(&s->sections, section ? section : "",
                               section ? strlen(section) : 0);
    p->n_heads = 0;
    add_text(s, (uint32_t)n, title, strlen(title), IN_TITLE, 0);
    add_text(s, (uint32_t)n, summary, strlen(summary), IN_BODY, 0);
}

size_t
ob_search_add_page(struct ob_search *s, const char *url, const char *title,
                   const char *section, const char *summary)
{
    size_t n = s->n_pages;

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
    if (page < s->n_pages && !frozen(s, page))
        add_text(s, (uint32_t)page, text, len, IN_BODY, 0);
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

/* Numbers in the cache's blobs: 7 bits a byte, low first, as LEB128. */
static void
put_var(struct ob_buf *b, uint64_t v)
{
    char tmp[10];
    size_t n = 0;

    while (v >= 0x80) {
        tmp[n++] = (char)((v & 0x7f) | 0x80);
        v >>= 7;
    }
    tmp[n++] = (char)v;
    ob_buf_add(b, tmp, n);
}

static bool
get_var(const char **p, const char *end, uint64_t *v)
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

/* Marks a loaded page stale, and the terms it was in for re-encoding. */
static void
thaw(struct ob_search *s, size_t page)
{
    struct frozen *f = &s->f;
    const char *p = f->bytes + f->list_at[page];
    const char *end = f->bytes + f->list_at[page + 1];
    uint64_t id = 0, gap;

    f->stale[page] = 1;
    while (get_var(&p, end, &gap) && gap < f->n_ids - id) {
        id += gap;
        f->touched[id] = 1;
    }
}

void
ob_search_restart_page(struct ob_search *s, size_t page, const char *url,
                       const char *title, const char *section,
                       const char *summary)
{
    if (page >= s->n_pages)
        return;
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

/* A JavaScript string literal. "<" is escaped so that "</script>" cannot
 * end an inline script, U+2028/9 since older engines end lines there. */
static void
add_js(struct ob_buf *b, const char *s, size_t len)
{
    size_t i, start = 0;

    ob_buf_putc(b, '"');
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep;
        char esc[8];

        if (i + 8 <= len && !js_special8(s + i)) {
            i += 7;
            continue;
        }
        if (!js_special(c))
            continue;
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

static void
add_js_str(struct ob_buf *b, const char *s)
{
    add_js(b, s, strlen(s));
}

/* One number: base-27 continuation digits, then a final base-64 digit. */
static void
add_num(struct ob_buf *b, uint64_t v)
{
    static const char digits[] = OB_SEARCH_DIGITS;
    char tmp[16];
    size_t n = 0;
    uint64_t high = v / 64;

    tmp[sizeof tmp - ++n] = digits[v % 64];
    while (high) {
        tmp[sizeof tmp - ++n] = digits[64 + high % 27];
        high /= 27;
    }
    ob_buf_add(b, tmp + sizeof tmp - n, n);
}

/* A number in decimal. */
static void
add_uint(struct ob_buf *b, uint32_t v)
{
    char tmp[10];
    size_t n = 0;

    do {
        tmp[sizeof tmp - ++n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    ob_buf_add(b, tmp + sizeof tmp - n, n);
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
    size_t i, n = x_len < y_len ? x_len : y_len;

    for (i = 0; i < n; i++) {
        unsigned cx = (unsigned char)x[i], cy = (unsigned char)y[i];
        if (cx != cy)
            return utf16_rank(cx) < utf16_rank(cy) ? -1 : 1;
    }
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
        pl->order[i] = (uint32_t)i;
    sort_by(s, pl->order, tmp, s->n_pages, NULL);
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
    for (i = 0; i < s->n_posts; i++) {
        const struct posting *p = &s->posts[pl->order[i]];
        const struct posting *prev = i ? &s->posts[pl->order[i - 1]] : NULL;
        if (!prev || prev->term != p->term || prev->page != p->page)
            pl->grp[g++] = (uint32_t)i;
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

    for (i = 0; i < pl->n_grp; i++)
        if (body_only(pl->flags[i]))
            count[s->posts[pl->order[pl->grp[i]]].page]++;
    for (i = 0; i < pl->n_grp; i++) {
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
    ob_qsort(*h, n, sizeof(**h), u32_cmp);
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

    add_num(b, (gap - 1) * 8 + f);
    if (!nh)
        return;
    add_num(b, nh - 1);
    add_num(b, h[0]);
    for (i = 1; i < nh; i++)
        add_num(b, h[i] - h[i - 1] - 1);
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
}

/* ---- merging loaded and new postings ---------------------------------- */

/*
 * Terms go out in order from two sources: the loaded ones (struct frozen),
 * whose postings are copied as they are unless a restarted page was in
 * them, and those of the postings added since (the plan). A term in both,
 * or touched, is decoded and its postings merged by page, without the
 * restarted pages' old ones; only what changed is encoded again.
 */
struct merge {
    const struct ob_search *s;
    const struct plan *pl;
    signed char val[256]; /* digit -> value, -1 for anything else */
    size_t fi, g;         /* next in f.order, next group of the plan */
    struct ob_buf one;
    uint32_t *h;
    size_t cap_h;
    /* The term merge_next() found: */
    const char *term, *post;
    size_t term_len, post_len;
    uint32_t fid;   /* its id in `f`, or NONE */
    uint32_t lterm; /* its id in `terms`, or NONE */
    bool encoded;   /* `post` is in `one`, not loaded bytes */
};

/* A loaded posting: its page, flags as written, its bytes and the
 * headings part of them. */
struct fentry {
    uint32_t page;
    unsigned f;
    const char *at, *h, *end;
};

/* Where decoding a loaded term's postings is. */
struct fcursor {
    const char *p, *end;
    uint64_t next; /* the lowest page the next posting can have */
};

static void
merge_init(struct merge *m, const struct ob_search *s, const struct plan *pl)
{
    static const char digits[] = OB_SEARCH_DIGITS;
    size_t i;

    memset(m, 0, sizeof(*m));
    m->s = s;
    m->pl = pl;
    memset(m->val, -1, sizeof m->val);
    for (i = 0; i < sizeof digits - 1; i++)
        m->val[(unsigned char)digits[i]] = (signed char)i;
    ob_buf_init(&m->one);
}

static void
merge_release(struct merge *m)
{
    ob_buf_release(&m->one);
    free(m->h);
}

/* One number as add_num() writes it; false at the end, on a character
 * that is no digit or on more digits than any number needs. */
static bool
read_num(const struct merge *m, const char **p, const char *end, uint64_t *v)
{
    uint64_t acc = 0;
    int n;

    for (n = 0; n < 13 && *p < end; n++) {
        int d = m->val[(unsigned char)*(*p)++];
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

/* The next loaded posting; false at the end. Postings that do not decode
 * or name no loaded page end the list: a cache cannot make it overrun. */
static bool
fcursor_next(const struct merge *m, struct fcursor *c, struct fentry *e)
{
    uint64_t v, nh, x, i;

    e->at = c->p;
    if (c->p >= c->end || !read_num(m, &c->p, c->end, &v) ||
        v / 8 >= m->s->f.n_pages - c->next)
        goto bad;
    e->page = (uint32_t)(c->next + v / 8);
    e->f = (unsigned)(v % 8);
    e->h = c->p;
    if (e->f & 2) {
        if (!read_num(m, &c->p, c->end, &nh) || nh >= OB_SEARCH_HEADINGS)
            goto bad;
        for (i = 0; i <= nh; i++)
            if (!read_num(m, &c->p, c->end, &x))
                goto bad;
    }
    e->end = c->p;
    c->next = (uint64_t)e->page + 1;
    return true;
bad:
    c->p = c->end;
    return false;
}

/* The next loaded posting of a page not restarted since. */
static bool
fcursor_live(const struct merge *m, struct fcursor *c, struct fentry *e)
{
    while (fcursor_next(m, c, e))
        if (!m->s->f.stale[e->page])
            return true;
    return false;
}

/* The plan's next kept group of term `lterm` at or after m->g, or false. */
static bool
next_group(struct merge *m, uint32_t lterm)
{
    const struct plan *pl = m->pl;

    for (; m->g < pl->n_grp; m->g++) {
        if (m->s->posts[pl->order[pl->grp[m->g]]].term != lterm)
            return false;
        if (pl->flags[m->g])
            return true;
    }
    return false;
}

static void
flush(struct ob_buf *b, const char *from, const char *to)
{
    if (from != to)
        ob_buf_add(b, from, (size_t)(to - from));
}

/* The current term's postings, from both sources, into m->one. A page in
 * both (only a bad cache does that) takes the new postings. A loaded
 * posting that follows the one it followed before keeps its bytes: runs of
 * them are copied whole (`copy` to `done`). */
static void
encode_term(struct merge *m)
{
    const struct ob_search *s = m->s;
    const struct plan *pl = m->pl;
    struct fcursor c = {NULL, NULL, 0};
    struct fentry e;
    const char *copy = NULL, *done = NULL;
    bool have_f = false, have_l;
    int64_t prev = -1;

    ob_buf_reset(&m->one);
    memset(&e, 0, sizeof(e));
    if (m->fid != NONE) {
        c.p = s->f.bytes + s->f.post_at[m->fid];
        c.end = s->f.bytes + s->f.post_at[m->fid + 1] - 1;
        copy = done = c.p;
        have_f = fcursor_live(m, &c, &e);
    }
    for (;;) {
        uint32_t lpage = 0;
        have_l = m->lterm != NONE && next_group(m, m->lterm);
        if (have_l)
            lpage = s->posts[pl->order[pl->grp[m->g]]].page;
        if (have_l && (!have_f || lpage <= e.page)) {
            size_t nh = 0;
            if (have_f && lpage == e.page)
                have_f = fcursor_live(m, &c, &e);
            if (pl->flags[m->g] & IN_HEADING)
                nh = group_heads(s, pl, m->g, &m->h, &m->cap_h);
            flush(&m->one, copy, done);
            add_posting(&m->one, (uint64_t)((int64_t)lpage - prev),
                        pl->flags[m->g], pl->tf[m->g], m->h, nh);
            copy = done = NULL;
            prev = lpage;
            m->g++;
        } else if (have_f) {
            if (e.at != done) {
                flush(&m->one, copy, done);
                add_num(&m->one,
                        (uint64_t)((int64_t)e.page - prev - 1) * 8 + e.f);
                copy = e.h;
            }
            done = e.end;
            prev = e.page;
            have_f = fcursor_live(m, &c, &e);
        } else {
            break;
        }
    }
    flush(&m->one, copy, done);
}

static const char *
fterm(const struct frozen *f, uint32_t id, size_t *len)
{
    *len = f->term_at[id + 1] - 1 - f->term_at[id];
    return f->bytes + f->term_at[id];
}

/* The next term with postings, in order; false after the last. */
static bool
merge_next(struct merge *m)
{
    const struct ob_search *s = m->s;
    const struct frozen *f = &s->f;

    for (;;) {
        uint32_t fid = m->fi < f->n_order ? f->order[m->fi] : NONE;
        uint32_t lterm = NONE;
        const char *ft = NULL, *lt = NULL;
        size_t f_len = 0, l_len = 0;
        int cmp;

        if (m->g < m->pl->n_grp) {
            lterm = s->posts[m->pl->order[m->pl->grp[m->g]]].term;
            lt = ob_intern_get(&s->terms, lterm, &l_len);
        }
        if (fid == NONE && lterm == NONE)
            return false;
        if (fid != NONE)
            ft = fterm(f, fid, &f_len);
        cmp = fid == NONE     ? 1
              : lterm == NONE ? -1
                              : utf16_cmp(ft, f_len, lt, l_len);
        m->fid = cmp <= 0 ? fid : NONE;
        m->lterm = cmp >= 0 ? lterm : NONE;
        m->term = cmp <= 0 ? ft : lt;
        m->term_len = cmp <= 0 ? f_len : l_len;
        if (cmp <= 0)
            m->fi++;
        m->encoded = m->lterm != NONE || f->touched[fid];
        if (!m->encoded) {
            m->post = f->bytes + f->post_at[fid];
            m->post_len = f->post_at[fid + 1] - 1 - f->post_at[fid];
        } else {
            encode_term(m);
            m->post = m->one.ptr;
            m->post_len = m->one.len;
        }
        if (m->post_len)
            return true;
    }
}

/* ---- the script ------------------------------------------------------- */

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

static void
write_pages(const struct ob_search *s, const struct numbering *nb,
            struct ob_buf *out)
{
    size_t i, j;

    for (i = 0; i < s->n_pages; i++) {
        const struct page *p = &s->pages[i];
        ob_buf_putc(out, '[');
        add_js_str(out, s->strs.ptr + p->url);
        ob_buf_putc(out, ',');
        add_js_str(out, s->strs.ptr + p->title);
        ob_buf_putc(out, ',');
        add_uint(out, nb->sec[p->section]);
        ob_buf_putc(out, ',');
        add_js_str(out, s->strs.ptr + p->summary);
        ob_buf_puts(out, ",[");
        for (j = 0; j < p->n_heads; j++) {
            if (j)
                ob_buf_putc(out, ',');
            add_uint(out, nb->head[p->heads[j]]);
        }
        ob_buf_puts(out, i + 1 < s->n_pages ? "]],\n" : "]]\n");
    }
}

void
ob_search_write_js(const struct ob_search *s, struct ob_buf *out)
{
    struct plan pl;
    struct merge m;
    struct numbering nb;
    struct ob_buf terms = OB_BUF_INIT, post = OB_BUF_INIT;
    size_t i;

    plan_make(s, &pl);
    merge_init(&m, s, &pl);
    while (merge_next(&m)) {
        if (terms.len) {
            ob_buf_putc(&terms, ' ');
            ob_buf_putc(&post, ' ');
        }
        ob_buf_add(&terms, m.term, m.term_len);
        ob_buf_add(&post, m.post, m.post_len);
    }
    merge_release(&m);
    plan_release(&pl);
    numbering_make(s, &nb);

    ob_buf_printf(out, "window.OPSBOOK_SEARCH = {\"v\":%d,\n\"sections\":[",
                  OB_SEARCH_FORMAT);
    for (i = 0; i < nb.n_sec; i++) {
        size_t len;
        const char *t = ob_intern_get(&s->sections, nb.sec_ids[i], &len);
        if (i)
            ob_buf_putc(out, ',');
        add_js(out, t, len);
    }
    ob_buf_puts(out, "],\n\"heads\":[");
    write_heads(s, &nb, out);
    ob_buf_puts(out, "],\n\"pages\":[\n");
    write_pages(s, &nb, out);
    ob_buf_puts(out, "],\n\"terms\":");
    add_js(out, terms.ptr, terms.len);
    ob_buf_puts(out, ",\n\"post\":");
    add_js(out, post.ptr, post.len);
    ob_buf_puts(out, "};\n");

    numbering_release(&nb);
    ob_buf_release(&terms);
    ob_buf_release(&post);
}

/* ---- saving and loading ----------------------------------------------- */

/*
 * The records: a tag, the index as one blob of records, and the blob's
 * hash, so that a cache damaged anywhere is no cache. In the blob: the
 * sections and headings as numbered for writing, the pages, then the
 * terms by id (' '-joined, "" for an id no longer used), their postings
 * as written (' '-joined in the same way), the ids with postings in term
 * order (varints), and per page the ids of the terms it is in (ascending,
 * as gaps in varints; the lengths of the lists first).
 */
#define SAVE_TAG 0x31786564e6e69736ull /* changes when the records do */

/* Ids ascending, as gaps (the first as it is). */
static void
put_ids(struct ob_buf *b, uint32_t *ids, size_t n)
{
    size_t i;

    for (i = 1; i < n && ids[i - 1] < ids[i]; i++)
        ;
    if (i < n)
        ob_qsort(ids, n, sizeof(*ids), u32_cmp);
    for (i = 0; i < n; i++)
        put_var(b, i ? ids[i] - ids[i - 1] : ids[i]);
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

static void
save_pages(const struct ob_search *s, const struct numbering *nb,
           struct ob_buf *out)
{
    struct ob_buf heads = OB_BUF_INIT;
    size_t i, j;

    ob_cache_put_u64(out, s->n_pages);
    for (i = 0; i < s->n_pages; i++) {
        const struct page *p = &s->pages[i];
        ob_cache_put_str(out, s->strs.ptr + p->url);
        ob_cache_put_str(out, s->strs.ptr + p->title);
        ob_cache_put_str(out, s->strs.ptr + p->summary);
        ob_cache_put_u64(out, nb->sec[p->section]);
        ob_buf_reset(&heads);
        for (j = 0; j < p->n_heads; j++)
            put_var(&heads, nb->head[p->heads[j]]);
        ob_cache_put_bytes(out, heads.ptr, heads.len);
    }
    ob_buf_release(&heads);
}

/* A term to save. */
struct saved {
    const char *term, *post; /* post NULL: at post_at in the encoded ones */
    size_t term_len, post_at, post_len;
    uint32_t fid, lterm;
};

/* The terms with postings in order, and the saved id of each. */
struct save_plan {
    struct saved *t;
    size_t n, cap;
    struct ob_buf enc; /* postings encoded anew */
    uint32_t *ids;     /* per saved term: its id */
    uint32_t *slot;    /* per id: the saved term, NONE for a hole */
    uint32_t *lid;     /* per id in `terms`: its saved id, or NONE */
    uint32_t *remap;   /* per id in `f`: its new id; NULL: ids kept */
    size_t n_ids;
};

static void
save_collect(const struct ob_search *s, const struct plan *pl,
             struct save_plan *sp)
{
    struct merge m;

    merge_init(&m, s, pl);
    while (merge_next(&m)) {
        struct saved *t;
        OB_GROW(sp->t, sp->n + 1, sp->cap);
        t = &sp->t[sp->n++];
        *t = (struct saved){m.term,     m.post, m.term_len, 0,
                            m.post_len, m.fid,  m.lterm};
        if (m.encoded) {
            t->post = NULL;
            t->post_at = sp->enc.len;
            ob_buf_add(&sp->enc, m.post, m.post_len);
        }
    }
    merge_release(&m);
}

/* Ids: a loaded term keeps its own and a new one takes the next, unless
 * the holes grew to a quarter, when all are renumbered in term order. */
static void
save_ids(const struct ob_search *s, struct save_plan *sp)
{
    const struct frozen *f = &s->f;
    size_t k, n_new = 0, next = f->n_ids;

    for (k = 0; k < sp->n; k++)
        n_new += sp->t[k].fid == NONE;
    sp->n_ids = f->n_ids + n_new;
    if ((sp->n_ids - sp->n) * 4 > sp->n) {
        sp->n_ids = sp->n;
        sp->remap = ob_xreallocarray(NULL, f->n_ids + 1, sizeof(uint32_t));
        memset(sp->remap, 0xff, (f->n_ids + 1) * sizeof(uint32_t));
    }
    sp->ids = ob_xreallocarray(NULL, sp->n + 1, sizeof(uint32_t));
    sp->slot = ob_xreallocarray(NULL, sp->n_ids + 1, sizeof(uint32_t));
    memset(sp->slot, 0xff, (sp->n_ids + 1) * sizeof(uint32_t));
    sp->lid = ob_xreallocarray(NULL, s->terms.n + 1, sizeof(uint32_t));
    memset(sp->lid, 0xff, (s->terms.n + 1) * sizeof(uint32_t));
    for (k = 0; k < sp->n; k++) {
        const struct saved *t = &sp->t[k];
        uint32_t id = sp->remap        ? (uint32_t)k
                      : t->fid != NONE ? t->fid
                                       : (uint32_t)next++;
        if (sp->remap && t->fid != NONE)
            sp->remap[t->fid] = id;
        if (t->lterm != NONE)
            sp->lid[t->lterm] = id;
        sp->ids[k] = id;
        sp->slot[id] = (uint32_t)k;
    }
}

/* The id-ordered ' '-joined terms (postings: `post`) as a blob record. */
static void
save_joined(const struct save_plan *sp, bool post, struct ob_buf *out)
{
    size_t id, len = sp->n_ids ? sp->n_ids - 1 : 0;

    for (id = 0; id < sp->n_ids; id++)
        if (sp->slot[id] != NONE)
            len += post ? sp->t[sp->slot[id]].post_len
                        : sp->t[sp->slot[id]].term_len;
    ob_cache_put_u64(out, len); /* then the bytes, as put_bytes() does */
    for (id = 0; id < sp->n_ids; id++) {
        const struct saved *t =
            sp->slot[id] != NONE ? &sp->t[sp->slot[id]] : NULL;
        if (id)
            ob_buf_putc(out, ' ');
        if (t && post)
            ob_buf_add(out, t->post ? t->post : sp->enc.ptr + t->post_at,
                       t->post_len);
        else if (t)
            ob_buf_add(out, t->term, t->term_len);
    }
}

/* A loaded page's term list with its ids renumbered. */
static void
remap_list(const struct ob_search *s, const struct save_plan *sp, size_t page,
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
        if (sp->remap[id] == NONE)
            continue;
        OB_GROW(ids, n + 1, cap);
        ids[n++] = sp->remap[id];
    }
    put_ids(out, ids, n);
    free(ids);
}

/* Per page the ids of its terms: the loaded list for a page not
 * restarted, the plan's kept groups for the others. */
static void
save_lists(const struct ob_search *s, const struct plan *pl,
           const struct save_plan *sp, struct ob_buf *out)
{
    const struct frozen *f = &s->f;
    struct ob_buf lens = OB_BUF_INIT, lists = OB_BUF_INIT;
    size_t *at = ob_xcalloc(s->n_pages + 2, sizeof(size_t));
    uint32_t *ids;
    size_t g, i;

    for (g = 0; g < pl->n_grp; g++)
        if (pl->flags[g])
            at[s->posts[pl->order[pl->grp[g]]].page + 2]++;
    for (i = 0; i < s->n_pages; i++)
        at[i + 2] += at[i + 1];
    ids = ob_xreallocarray(NULL, at[s->n_pages + 1] + 1, sizeof(uint32_t));
    for (g = 0; g < pl->n_grp; g++) {
        const struct posting *p = &s->posts[pl->order[pl->grp[g]]];
        if (pl->flags[g])
            ids[at[p->page + 1]++] = sp->lid[p->term];
    }
    for (i = 0; i < s->n_pages; i++) {
        size_t from = lists.len;
        if (frozen(s, i) && sp->remap)
            remap_list(s, sp, i, &lists);
        else if (frozen(s, i))
            ob_buf_add(&lists, f->bytes + f->list_at[i],
                       f->list_at[i + 1] - f->list_at[i]);
        else
            put_ids(&lists, ids + at[i], at[i + 1] - at[i]);
        put_var(&lens, lists.len - from);
    }
    ob_cache_put_bytes(out, lens.ptr, lens.len);
    ob_cache_put_bytes(out, lists.ptr, lists.len);
    ob_buf_release(&lens);
    ob_buf_release(&lists);
    free(ids);
    free(at);
}

static void
save_terms(const struct ob_search *s, struct ob_buf *out)
{
    struct plan pl;
    struct save_plan sp;
    struct ob_buf order = OB_BUF_INIT;
    size_t k;

    memset(&sp, 0, sizeof(sp));
    ob_buf_init(&sp.enc);
    plan_make(s, &pl);
    save_collect(s, &pl, &sp);
    save_ids(s, &sp);
    ob_cache_put_u64(out, sp.n_ids);
    save_joined(&sp, false, out);
    save_joined(&sp, true, out);
    for (k = 0; k < sp.n; k++)
        put_var(&order, sp.ids[k]);
    ob_cache_put_bytes(out, order.ptr, order.len);
    save_lists(s, &pl, &sp, out);
    ob_buf_release(&order);
    ob_buf_release(&sp.enc);
    free(sp.t);
    free(sp.ids);
    free(sp.slot);
    free(sp.lid);
    free(sp.remap);
    plan_release(&pl);
}

/* Overwrites the 8-byte number record at `at`. */
static void
patch_u64(struct ob_buf *out, size_t at, uint64_t v)
{
    int i;

    for (i = 0; i < 8; i++)
        out->ptr[at + (size_t)i] = (char)(unsigned char)(v >> (8 * i));
}

void
ob_search_save(const struct ob_search *s, struct ob_buf *out)
{
    struct numbering nb;
    size_t at, start;

    ob_cache_put_u64(out, SAVE_TAG);
    at = out->len;
    ob_cache_put_u64(out, 0); /* the blob's length, once known */
    start = out->len;
    numbering_make(s, &nb);
    save_names(s, &nb, out);
    save_pages(s, &nb, out);
    numbering_release(&nb);
    save_terms(s, out);
    patch_u64(out, at, out->len - start);
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

static size_t
load_str(struct ob_search *s, const char *b, size_t len)
{
    size_t at = s->strs.len;

    ob_buf_add(&s->strs, b, len);
    ob_buf_putc(&s->strs, '\0');
    return at;
}

static bool
load_page(struct ob_search *s, struct page *p, struct ob_cache_reader *r)
{
    size_t url_len, title_len, summary_len, heads_len;
    const char *url = ob_cache_get_bytes(r, &url_len);
    const char *title = ob_cache_get_bytes(r, &title_len);
    const char *summary = ob_cache_get_bytes(r, &summary_len);
    uint64_t section = ob_cache_get_u64(r), h;
    const char *heads = ob_cache_get_bytes(r, &heads_len), *end;

    if (!url || !title || !summary || !heads || section >= s->sections.n)
        return false;
    end = heads + heads_len;
    p->url = load_str(s, url, url_len);
    p->title = load_str(s, title, title_len);
    p->summary = load_str(s, summary, summary_len);
    p->section = (uint32_t)section;
    while (heads < end) {
        if (!get_var(&heads, end, &h) || h >= s->heads.n ||
            p->n_heads >= OB_SEARCH_HEADINGS)
            return false;
        OB_GROW(p->heads, p->n_heads + 1, p->cap_heads);
        p->heads[p->n_heads++] = (uint32_t)h;
    }
    return true;
}

static bool
load_pages(struct ob_search *s, struct ob_cache_reader *r)
{
    uint64_t n = ob_cache_get_u64(r);

    if (n > (uint64_t)(r->end - r->p) / 40) /* five records a page */
        return false;
    s->pages = ob_xcalloc(n + 1, sizeof(*s->pages));
    s->cap_pages = n + 1;
    while (s->n_pages < n)
        if (!load_page(s, &s->pages[s->n_pages++], r))
            return false;
    return !r->bad;
}

/* Starts of the n ' '-joined strings of b[0..len) (whose bytes start at
 * `off` in f.bytes) into at[0..n], at[n] one past the end. */
static bool
split(const char *b, size_t len, size_t off, size_t n, uint32_t *at)
{
    const char *p = b, *end = b + len, *sp;
    size_t i;

    if (!n)
        return len == 0;
    for (i = 0; i < n; i++) {
        at[i] = (uint32_t)(off + (size_t)(p - b));
        sp = memchr(p, ' ', (size_t)(end - p));
        if ((i + 1 < n) != (sp != NULL))
            return false;
        p = sp ? sp + 1 : end;
    }
    at[n] = (uint32_t)(off + len + 1);
    return true;
}

static size_t
flen(const uint32_t *at, size_t id)
{
    return at[id + 1] - 1 - at[id];
}

/* The ids with postings, in term order: each once, every one. */
static bool
load_order(struct frozen *f, const char *p, const char *end)
{
    size_t id, live = 0;
    uint64_t v;
    bool ok = true;

    f->order = ob_xreallocarray(NULL, (size_t)(end - p) + 1, sizeof(uint32_t));
    while (ok && p < end) {
        size_t a, b;
        const char *x, *y;
        ok = get_var(&p, end, &v) && v < f->n_ids && !f->touched[v] &&
             flen(f->term_at, v) && flen(f->post_at, v);
        if (!ok)
            break;
        f->touched[v] = 1;
        if (f->n_order) {
            x = fterm(f, f->order[f->n_order - 1], &a);
            y = fterm(f, (uint32_t)v, &b);
            ok = utf16_cmp(x, a, y, b) < 0; /* in order, so merges work */
        }
        f->order[f->n_order++] = (uint32_t)v;
    }
    for (id = 0; id < f->n_ids; id++)
        live += flen(f->post_at, id) > 0;
    memset(f->touched, 0, f->n_ids + 1);
    return ok && live == f->n_order;
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

static bool
load_terms(struct ob_search *s, struct ob_cache_reader *r)
{
    struct frozen *f = &s->f;
    size_t t_len, p_len, o_len, n_len, l_len;
    uint64_t n_ids = ob_cache_get_u64(r);
    const char *terms = ob_cache_get_bytes(r, &t_len);
    const char *post = ob_cache_get_bytes(r, &p_len);
    const char *order = ob_cache_get_bytes(r, &o_len);
    const char *lens = ob_cache_get_bytes(r, &n_len);
    const char *lists = ob_cache_get_bytes(r, &l_len);

    if (r->bad || !terms || !post || !order || !lens || !lists ||
        n_ids > t_len + 1 || n_ids > p_len + 1 ||
        t_len + p_len + 2 >= UINT32_MAX)
        return false;
    f->n_ids = (size_t)n_ids;
    f->n_pages = s->n_pages;
    f->bytes = ob_xmalloc(t_len + p_len + l_len + 1);
    memcpy(f->bytes, terms, t_len);
    memcpy(f->bytes + t_len, post, p_len);
    memcpy(f->bytes + t_len + p_len, lists, l_len);
    f->term_at = ob_xreallocarray(NULL, f->n_ids + 1, sizeof(uint32_t));
    f->post_at = ob_xreallocarray(NULL, f->n_ids + 1, sizeof(uint32_t));
    f->touched = ob_xcalloc(f->n_ids + 1, 1);
    f->stale = ob_xcalloc(f->n_pages + 1, 1);
    return split(f->bytes, t_len, 0, f->n_ids, f->term_at) &&
           split(f->bytes + t_len, p_len, t_len, f->n_ids, f->post_at) &&
           load_order(f, order, order + o_len) &&
           load_lists(f, t_len + p_len, lens, n_len, l_len);
}

struct ob_search *
ob_search_load(struct ob_cache_reader *r)
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
         load_terms(s, &in) && ob_cache_done(&in);
    if (!ok) {
        r->bad = true;
        ob_search_free(s);
        return NULL;
    }
    return s;
}
