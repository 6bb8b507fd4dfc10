/* yaml.c: one YAML document as a positioned tree, built on libyaml events. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/yaml.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "opsbook/date.h"
#include "opsbook/mem.h"
#include "opsbook/text.h"

/* Longest part of a value quoted in a message, in bytes. */
#define MAX_SHOWN 40

const struct ob_yaml_limits ob_yaml_default_limits = {
    64,               /* max_depth */
    1000000,          /* max_nodes */
    64 * 1024 * 1024, /* max_bytes */
};

/*
 * A node waiting for its collection to end, with the position where it
 * appeared: for an alias that is the alias, not the anchor, so that key
 * errors point at the right place.
 */
struct child {
    struct ob_yaml_node *node;
    struct ob_pos pos;
};

/* An open sequence or mapping; its children are children[base..]. */
struct frame {
    struct ob_yaml_node *node;
    size_t base;
    char *anchor; /* defined when the collection ends, so no cycles */
};

struct anchor {
    char *name;
    struct ob_yaml_node *node;
};

/* Where a walk through the text has got to, in step with libyaml's marks. */
struct cursor {
    size_t chars, bytes;
    uint32_t line, col;
};

struct loader {
    struct ob_arena *a;
    struct ob_diag *d;
    const char *path;
    const char *text;
    size_t len;
    size_t start; /* 3 after a byte order mark, which libyaml skips */
    uint32_t first_line;
    struct ob_yaml_limits lim;
    yaml_parser_t parser;
    bool parser_ready;
    struct cursor cur;
    struct frame *frames;
    size_t depth, frames_cap;
    struct child *children;
    size_t nchildren, children_cap;
    struct anchor *anchors; /* open addressing, capacity a power of two */
    size_t nanchors, anchors_cap;
    const struct child **scratch; /* keys of one mapping, for sorting */
    size_t scratch_cap;
    size_t total; /* nodes so far, aliases expanded; never past max_nodes */
    size_t docs;
    bool failed, done;
    struct ob_yaml_node *root;
};

static void report(struct loader *l, const struct ob_pos *pos, const char *fmt,
                   ...) __attribute__((format(printf, 3, 4)));

static void
report(struct loader *l, const struct ob_pos *pos, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ob_diag_vreport(l->d, OB_SEV_ERROR, pos, fmt, ap);
    va_end(ap);
    l->failed = true;
}

static void
cursor_reset(struct loader *l)
{
    l->cur.chars = 0;
    l->cur.bytes = l->start;
    l->cur.line = l->first_line;
    l->cur.col = 1;
}

/*
 * Walks until `chars` characters or `bytes` bytes are behind the cursor.
 * Line ends are LF, CRLF and a lone CR, as in ob_text_position(); libyaml
 * also breaks lines at NEL, LS and PS, which editors do not, so its line and
 * column are not used, only its character index: both count code points
 * after the byte order mark, CRLF as two.
 */
static void
cursor_walk(struct loader *l, size_t chars, size_t bytes)
{
    struct cursor *c = &l->cur;

    while (c->chars < chars && c->bytes < bytes && c->bytes < l->len) {
        unsigned char ch = (unsigned char)l->text[c->bytes];
        bool crlf = ch == '\r' && c->bytes + 1 < l->len &&
                    l->text[c->bytes + 1] == '\n';

        c->bytes += ob_utf8_seq_len(ch);
        c->chars++;
        if ((ch == '\n' || ch == '\r') && !crlf) {
            c->line++;
            c->col = 1;
        } else {
            c->col++;
        }
    }
}

/* The position of a libyaml mark. Events arrive in text order, so
 * walking on from the previous mark keeps this linear overall. */
static struct ob_pos
mark_pos(struct loader *l, const yaml_mark_t *m)
{
    struct ob_pos pos;

    if (m->index < l->cur.chars)
        cursor_reset(l);
    cursor_walk(l, m->index, SIZE_MAX);
    pos.path = l->path;
    pos.line = l->cur.line;
    pos.col = l->cur.col;
    return pos;
}

/* The position of a byte offset (invalid UTF-8, libyaml reader errors). */
static struct ob_pos
byte_pos(struct loader *l, size_t offset)
{
    struct ob_pos pos;

    cursor_reset(l);
    cursor_walk(l, SIZE_MAX, offset);
    pos.path = l->path;
    pos.line = l->cur.line;
    pos.col = l->cur.col;
    return pos;
}

/* FNV-1a: anchor names are short, and the files are the user's own, so a
 * keyed hash against flooding would buy nothing. */
static size_t
hash_name(const char *s)
{
    uint64_t h = UINT64_C(14695981039346656037);

    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(1099511628211);
    }
    return (size_t)h;
}

/* The slot holding `name`, or the empty slot where it belongs. */
static struct anchor *
anchor_slot(struct anchor *tab, size_t cap, const char *name)
{
    size_t i = hash_name(name) & (cap - 1);

    while (tab[i].name && strcmp(tab[i].name, name) != 0)
        i = (i + 1) & (cap - 1);
    return &tab[i];
}

static void
grow_anchors(struct loader *l)
{
    size_t cap = l->anchors_cap ? l->anchors_cap * 2 : 16, i;
    struct anchor *tab = ob_xcalloc(cap, sizeof(*tab));

    for (i = 0; i < l->anchors_cap; i++)
        if (l->anchors[i].name)
            *anchor_slot(tab, cap, l->anchors[i].name) = l->anchors[i];
    free(l->anchors);
    l->anchors = tab;
    l->anchors_cap = cap;
}

/* Takes `name` (heap). A redefined anchor serves the aliases after it. */
static void
define_anchor(struct loader *l, char *name, struct ob_yaml_node *node)
{
    struct anchor *slot;

    if ((l->nanchors + 1) * 2 > l->anchors_cap)
        grow_anchors(l);
    slot = anchor_slot(l->anchors, l->anchors_cap, name);
    if (slot->name) {
        free(name);
    } else {
        slot->name = name;
        l->nanchors++;
    }
    slot->node = node;
}

static struct ob_yaml_node *
find_anchor(struct loader *l, const char *name)
{
    struct anchor *slot;

    if (!l->anchors_cap)
        return NULL;
    slot = anchor_slot(l->anchors, l->anchors_cap, name);
    return slot->name ? slot->node : NULL;
}

/*
 * Adds n nodes to the running total, which bounds the expanded size of the
 * document: an alias adds its anchor's whole weight, so a billion laughs
 * stops at the alias that crosses max_nodes, after little work.
 */
static bool
count_nodes(struct loader *l, size_t n, const struct ob_pos *pos, bool alias)
{
    if (n <= l->lim.max_nodes - l->total) {
        l->total += n;
        return true;
    }
    if (alias)
        report(l, pos,
               "document too large after expanding aliases "
               "(more than %zu nodes)",
               l->lim.max_nodes);
    else
        report(l, pos, "document too large (more than %zu nodes)",
               l->lim.max_nodes);
    l->done = true;
    return false;
}

static struct ob_yaml_node *
new_node(struct loader *l, enum ob_yaml_kind kind, const struct ob_pos *pos)
{
    struct ob_yaml_node *n = ob_arena_alloc(l->a, sizeof(*n));

    n->kind = kind;
    n->pos = *pos;
    n->str = "";
    n->weight = 1;
    return n;
}

/* Hands a finished node to the open collection, or makes it the root. */
static void
add_child(struct loader *l, struct ob_yaml_node *node, const struct ob_pos *pos)
{
    if (l->depth == 0) {
        l->root = node;
        return;
    }
    OB_GROW(l->children, l->nchildren + 1, l->children_cap);
    l->children[l->nchildren].node = node;
    l->children[l->nchildren].pos = *pos;
    l->nchildren++;
}

/* How much of a value goes in a message: its first line, at most
 * MAX_SHOWN bytes cut between characters; *more is "..." when cut. */
static int
shown_len(const char *s, size_t len, const char **more)
{
    size_t n = 0;

    while (n < len && s[n] != '\n' && s[n] != '\r' && s[n] != '\0')
        n++;
    if (n > MAX_SHOWN) {
        n = MAX_SHOWN;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    *more = n < len ? "..." : "";
    return (int)n;
}

/* Orders keys by text, then by place so the first comes first. */
static int
compare_keys(const void *pa, const void *pb)
{
    const struct child *a = *(const struct child *const *)pa;
    const struct child *b = *(const struct child *const *)pb;
    int c;

    if (a->node->len != b->node->len)
        return a->node->len < b->node->len ? -1 : 1;
    c = memcmp(a->node->str, b->node->str, a->node->len);
    if (c)
        return c;
    return a < b ? -1 : a > b;
}

static bool
same_key(const struct child *a, const struct child *b)
{
    return a->node->len == b->node->len &&
           memcmp(a->node->str, b->node->str, a->node->len) == 0;
}

/* Sorting rather than comparing every pair keeps a mapping of a million
 * keys fast. kids[0..n) alternate key and value. */
static void
check_duplicates(struct loader *l, const struct child *kids, size_t n)
{
    size_t m = 0, i, first = 0;
    const char *more;
    int shown;

    OB_GROW(l->scratch, n / 2, l->scratch_cap);
    for (i = 0; i + 1 < n; i += 2)
        if (kids[i].node->kind == OB_YAML_SCALAR)
            l->scratch[m++] = &kids[i];
    ob_qsort(l->scratch, m, sizeof(*l->scratch), compare_keys);
    for (i = 1; i < m; i++) {
        const struct child *k = l->scratch[i];

        if (!same_key(l->scratch[first], k)) {
            first = i;
            continue;
        }
        shown = shown_len(k->node->str, k->node->len, &more);
        report(l, &k->pos, "duplicate key '%.*s%s' (first at line %u)", shown,
               k->node->str, more, l->scratch[first]->pos.line);
    }
}

static void
fill_map(struct loader *l, struct ob_yaml_node *map, const struct child *kids,
         size_t n)
{
    size_t i;

    map->n = n / 2;
    map->pairs = ob_arena_calloc(l->a, map->n, sizeof(*map->pairs));
    for (i = 0; i < map->n; i++) {
        const struct child *k = &kids[2 * i];

        if (k->node->kind != OB_YAML_SCALAR)
            report(l, &k->pos, "expected a string as a mapping key, got %s",
                   ob_yaml_kind_name(k->node));
        map->pairs[i].key = k->node;
        map->pairs[i].value = kids[2 * i + 1].node;
        map->weight += k->node->weight + kids[2 * i + 1].node->weight;
    }
    if (map->n > 1)
        check_duplicates(l, kids, n);
}

static void
fill_seq(struct loader *l, struct ob_yaml_node *seq, const struct child *kids,
         size_t n)
{
    size_t i;

    seq->n = n;
    seq->items = ob_arena_calloc(l->a, n, sizeof(*seq->items));
    for (i = 0; i < n; i++) {
        seq->items[i] = kids[i].node;
        seq->weight += kids[i].node->weight;
    }
}

/* Depth is checked as each collection opens, before libyaml reads on, so a
 * hundred thousand '[' fail at the 65th instead of after a slow scan. */
static void
open_collection(struct loader *l, const yaml_event_t *ev,
                enum ob_yaml_kind kind, const yaml_char_t *anchor)
{
    struct ob_pos pos = mark_pos(l, &ev->start_mark);
    struct frame *f;

    if (l->depth >= l->lim.max_depth) {
        report(l, &pos, "nesting deeper than %zu levels", l->lim.max_depth);
        l->done = true;
        return;
    }
    if (!count_nodes(l, 1, &pos, false))
        return;
    OB_GROW(l->frames, l->depth + 1, l->frames_cap);
    f = &l->frames[l->depth++];
    f->node = new_node(l, kind, &pos);
    f->base = l->nchildren;
    f->anchor = anchor ? ob_xstrdup((const char *)anchor) : NULL;
}

static void
close_collection(struct loader *l)
{
    struct frame f = l->frames[--l->depth];
    size_t n = l->nchildren - f.base;
    /* No child has arrived yet for an empty collection at the start. */
    const struct child *kids = n ? l->children + f.base : NULL;

    if (f.node->kind == OB_YAML_SEQ)
        fill_seq(l, f.node, kids, n);
    else
        fill_map(l, f.node, kids, n);
    l->nchildren = f.base;
    if (f.anchor)
        define_anchor(l, f.anchor, f.node);
    add_child(l, f.node, &f.node->pos);
}

/* Quoted and block scalars are strings, and so are plain ones tagged !!str
 * or with the non-specific tag "!". */
static bool
is_quoted(const yaml_event_t *ev)
{
    const char *tag = (const char *)ev->data.scalar.tag;

    if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return true;
    return tag && (strcmp(tag, YAML_STR_TAG) == 0 || strcmp(tag, "!") == 0);
}

static unsigned char
scalar_style(const yaml_event_t *ev)
{
    switch (ev->data.scalar.style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
        return OB_YAML_SINGLE;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
        return OB_YAML_DOUBLE;
    case YAML_LITERAL_SCALAR_STYLE:
        return OB_YAML_LITERAL;
    case YAML_FOLDED_SCALAR_STYLE:
        return OB_YAML_FOLDED;
    default:
        return OB_YAML_PLAIN;
    }
}

/*
 * Records which bytes of the text the scalar spans, the cursor standing at
 * its start. The end is found by counting characters on a copy of the
 * cursor: the next event may start before this end (an empty value), and
 * walking back would restart from the top of the file.
 */
static void
set_source(struct loader *l, struct ob_yaml_node *n, const yaml_mark_t *end)
{
    size_t start = l->cur.bytes, bytes = start, chars = l->cur.chars;

    while (chars < end->index && bytes < l->len) {
        bytes += ob_utf8_seq_len((unsigned char)l->text[bytes]);
        chars++;
    }
    if (bytes > l->len || bytes > UINT32_MAX)
        return;
    n->src_offset = (uint32_t)start;
    n->src_len = (uint32_t)(bytes - start);
}

static void
on_scalar(struct loader *l, const yaml_event_t *ev)
{
    struct ob_pos pos = mark_pos(l, &ev->start_mark);
    const char *anchor = (const char *)ev->data.scalar.anchor;
    struct ob_yaml_node *n;

    if (!count_nodes(l, 1, &pos, false))
        return;
    n = new_node(l, OB_YAML_SCALAR, &pos);
    n->len = ev->data.scalar.length;
    n->str =
        ob_arena_strndup(l->a, (const char *)ev->data.scalar.value, n->len);
    n->quoted = is_quoted(ev);
    n->style = scalar_style(ev);
    set_source(l, n, &ev->end_mark);
    if (anchor)
        define_anchor(l, ob_xstrdup(anchor), n);
    add_child(l, n, &pos);
}

/* An unknown anchor is reported and stands in as a null, so the rest of
 * the document is still checked. */
static void
on_alias(struct loader *l, const yaml_event_t *ev)
{
    struct ob_pos pos = mark_pos(l, &ev->start_mark);
    const char *name = (const char *)ev->data.alias.anchor;
    struct ob_yaml_node *n = find_anchor(l, name);
    const char *more;
    int shown;

    if (!n) {
        shown = shown_len(name, strlen(name), &more);
        report(l, &pos, "unknown anchor '%.*s%s'", shown, name, more);
        n = new_node(l, OB_YAML_SCALAR, &pos);
    }
    if (!count_nodes(l, n->weight, &pos, true))
        return;
    add_child(l, n, &pos);
}

static void
on_document(struct loader *l, const yaml_event_t *ev)
{
    struct ob_pos pos;

    if (++l->docs == 1)
        return;
    pos = mark_pos(l, &ev->start_mark);
    report(l, &pos, "a second YAML document is not allowed here");
    l->done = true;
}

static void
on_event(struct loader *l, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        on_document(l, ev);
        break;
    case YAML_SEQUENCE_START_EVENT:
        open_collection(l, ev, OB_YAML_SEQ, ev->data.sequence_start.anchor);
        break;
    case YAML_MAPPING_START_EVENT:
        open_collection(l, ev, OB_YAML_MAP, ev->data.mapping_start.anchor);
        break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        close_collection(l);
        break;
    case YAML_SCALAR_EVENT:
        on_scalar(l, ev);
        break;
    case YAML_ALIAS_EVENT:
        on_alias(l, ev);
        break;
    case YAML_STREAM_END_EVENT:
        l->done = true;
        break;
    default: /* stream start, document end */
        break;
    }
}

/* libyaml's own message, at its problem mark; reader errors (control
 * characters) give a byte offset instead. */
static void
report_syntax(struct loader *l)
{
    const yaml_parser_t *p = &l->parser;
    struct ob_pos pos;

    if (p->error == YAML_MEMORY_ERROR)
        ob_oom();
    if (p->error == YAML_READER_ERROR) {
        pos = byte_pos(l, p->problem_offset);
    } else {
        pos = mark_pos(l, &p->problem_mark);
    }
    if (p->error != YAML_READER_ERROR && p->context) {
        /* "found unexpected end of stream" alone does not say that a quote
         * opened ten lines up was never closed: name where that began. */
        struct ob_pos start = mark_pos(l, &p->context_mark);
        report(l, &pos, "%s %s that starts at line %u, column %u",
               p->problem ? p->problem : "invalid YAML", p->context,
               (unsigned)start.line, (unsigned)start.col);
    } else {
        report(l, &pos, "%s", p->problem ? p->problem : "invalid YAML");
    }
    l->done = true;
}

static void
next_event(struct loader *l)
{
    yaml_event_t ev;

    if (!yaml_parser_parse(&l->parser, &ev)) {
        report_syntax(l);
        return;
    }
    on_event(l, &ev);
    yaml_event_delete(&ev);
}

/* Size and encoding are checked before libyaml sees the text, so its
 * errors never have to describe bad bytes. */
static bool
check_input(struct loader *l)
{
    struct ob_pos pos = {l->path, 0, 0};
    size_t bad;

    if (l->len > l->lim.max_bytes) {
        report(l, &pos, "document too large (more than %zu bytes)",
               l->lim.max_bytes);
        return false;
    }
    if (!ob_utf8_valid(l->text, l->len, &bad)) {
        pos = byte_pos(l, bad);
        report(l, &pos, "invalid UTF-8 text");
        return false;
    }
    return true;
}

static void
loader_release(struct loader *l)
{
    size_t i;

    if (l->parser_ready)
        yaml_parser_delete(&l->parser);
    for (i = 0; i < l->depth; i++)
        free(l->frames[i].anchor);
    for (i = 0; i < l->anchors_cap; i++)
        free(l->anchors[i].name);
    free(l->frames);
    free(l->children);
    free(l->anchors);
    free(l->scratch);
}

static struct ob_yaml_node *
run_parser(struct loader *l)
{
    struct ob_pos pos = {l->path, l->first_line, 1};

    if (!yaml_parser_initialize(&l->parser))
        ob_oom();
    l->parser_ready = true;
    /* libyaml detects the encoding itself, which skips a byte order mark. */
    yaml_parser_set_input_string(&l->parser, (const unsigned char *)l->text,
                                 l->len);
    while (!l->done)
        next_event(l);
    if (l->failed)
        return NULL;
    return l->root ? l->root : new_node(l, OB_YAML_SCALAR, &pos);
}

struct ob_yaml_node *
ob_yaml_parse(struct ob_arena *a, struct ob_diag *d, const char *path,
              const char *text, size_t len, uint32_t first_line,
              const struct ob_yaml_limits *limits)
{
    struct loader l;
    struct ob_yaml_node *root = NULL;

    memset(&l, 0, sizeof(l));
    l.a = a;
    l.d = d;
    l.path = path;
    l.text = text ? text : ""; /* libyaml asserts on a NULL input */
    l.len = len;
    l.first_line = first_line;
    l.lim = limits ? *limits : ob_yaml_default_limits;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        l.start = 3;
    cursor_reset(&l);
    if (check_input(&l))
        root = run_parser(&l);
    loader_release(&l);
    return root;
}

const char *
ob_yaml_kind_name(const struct ob_yaml_node *n)
{
    if (!n || ob_yaml_is_null(n))
        return "nothing";
    switch (n->kind) {
    case OB_YAML_SEQ:
        return "a list";
    case OB_YAML_MAP:
        return "a mapping";
    default:
        return "a string";
    }
}

bool
ob_yaml_is_null(const struct ob_yaml_node *n)
{
    static const char *const names[] = {"", "~", "null", "Null", "NULL"};
    size_t i;

    if (!n || n->kind != OB_YAML_SCALAR || n->quoted)
        return false;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (n->len == strlen(names[i]) && strcmp(n->str, names[i]) == 0)
            return true;
    return false;
}

const struct ob_yaml_node *
ob_yaml_get(const struct ob_yaml_node *map, const char *key)
{
    size_t i, len;

    if (!map || map->kind != OB_YAML_MAP || !key)
        return NULL;
    len = strlen(key);
    for (i = 0; i < map->n; i++) {
        const struct ob_yaml_node *k = map->pairs[i].key;

        if (k->kind == OB_YAML_SCALAR && k->len == len &&
            memcmp(k->str, key, len) == 0)
            return map->pairs[i].value;
    }
    return NULL;
}

/*
 * Reports "expected <what>, got <n>": the kind for collections and nulls,
 * else the value. `typed` says quoting mattered (booleans and numbers must
 * be plain), so a quoted value says so, or "got '3'" would puzzle.
 */
static void
expected(struct ob_diag *d, const struct ob_yaml_node *n, const char *what,
         bool typed)
{
    const struct ob_pos *pos = n ? &n->pos : NULL;
    const char *more;
    int shown;

    if (!d)
        return; /* the caller only asks */
    if (!n || n->kind != OB_YAML_SCALAR || ob_yaml_is_null(n)) {
        ob_diag_error(d, pos, "expected %s, got %s", what,
                      ob_yaml_kind_name(n));
        return;
    }
    shown = shown_len(n->str, n->len, &more);
    ob_diag_error(d, pos, "expected %s, got %s'%.*s%s'", what,
                  typed && n->quoted ? "a quoted string " : "", shown, n->str,
                  more);
}

/* A scalar that holds a value: not a collection, not null. */
static bool
is_value(const struct ob_yaml_node *n)
{
    return n && n->kind == OB_YAML_SCALAR && !ob_yaml_is_null(n);
}

/* A plain scalar, the only kind that can be a boolean or a number. */
static bool
is_plain_value(const struct ob_yaml_node *n)
{
    return is_value(n) && !n->quoted;
}

bool
ob_yaml_str(struct ob_diag *d, const struct ob_yaml_node *n, const char **out)
{
    if (!is_value(n)) {
        expected(d, n, "a string", false);
        return false;
    }
    *out = n->str;
    return true;
}

/* One of "true", "True", "TRUE" or the same three of "false". */
static bool
spelled(const struct ob_yaml_node *n, const char *lower, const char *title,
        const char *upper)
{
    return strcmp(n->str, lower) == 0 || strcmp(n->str, title) == 0 ||
           strcmp(n->str, upper) == 0;
}

bool
ob_yaml_bool(struct ob_diag *d, const struct ob_yaml_node *n, bool *out)
{
    if (is_plain_value(n) && spelled(n, "true", "True", "TRUE")) {
        *out = true;
        return true;
    }
    if (is_plain_value(n) && spelled(n, "false", "False", "FALSE")) {
        *out = false;
        return true;
    }
    expected(d, n, "true or false", true);
    return false;
}

/* Advances *i over ASCII digits and returns how many there were. */
static size_t
skip_digits(const char *s, size_t len, size_t *i)
{
    size_t start = *i;

    while (*i < len && s[*i] >= '0' && s[*i] <= '9')
        (*i)++;
    return *i - start;
}

static void
skip_sign(const char *s, size_t len, size_t *i)
{
    if (*i < len && (s[*i] == '-' || s[*i] == '+'))
        (*i)++;
}

/* YAML 1.2 core schema int, decimal form: [-+]?[0-9]+ */
static bool
is_decimal(const char *s, size_t len)
{
    size_t i = 0;

    skip_sign(s, len, &i);
    return skip_digits(s, len, &i) > 0 && i == len;
}

/* YAML 1.2 core schema float without .inf and .nan:
 * [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static bool
is_number(const char *s, size_t len)
{
    size_t i = 0, whole, frac = 0;

    skip_sign(s, len, &i);
    whole = skip_digits(s, len, &i);
    if (i < len && s[i] == '.') {
        i++;
        frac = skip_digits(s, len, &i);
    }
    if (whole == 0 && frac == 0)
        return false;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        skip_sign(s, len, &i);
        if (skip_digits(s, len, &i) == 0)
            return false;
    }
    return i == len;
}

/* "an integer from 1 to 12", leaving out bounds that are no bound. */
static void
int_range_error(struct ob_diag *d, const struct ob_yaml_node *n, long long min,
                long long max)
{
    char what[96];

    if (min == LLONG_MIN && max == LLONG_MAX)
        snprintf(what, sizeof(what), "an integer");
    else if (max == LLONG_MAX)
        snprintf(what, sizeof(what), "an integer of at least %lld", min);
    else if (min == LLONG_MIN)
        snprintf(what, sizeof(what), "an integer of at most %lld", max);
    else
        snprintf(what, sizeof(what), "an integer from %lld to %lld", min, max);
    expected(d, n, what, true);
}

bool
ob_yaml_int(struct ob_diag *d, const struct ob_yaml_node *n, long long min,
            long long max, long long *out)
{
    char *end;
    long long v;

    if (!is_plain_value(n) || !is_decimal(n->str, n->len)) {
        expected(d, n, "an integer", true);
        return false;
    }
    errno = 0;
    v = strtoll(n->str, &end, 10);
    if (errno == ERANGE || end != n->str + n->len || v < min || v > max) {
        int_range_error(d, n, min, max);
        return false;
    }
    *out = v;
    return true;
}

/* strtod follows LC_NUMERIC; main() keeps the C locale, and the end
 * pointer check would catch a ',' locale anyway. */
bool
ob_yaml_number(struct ob_diag *d, const struct ob_yaml_node *n, double *out)
{
    char *end;
    double v;

    if (!is_plain_value(n) || !is_number(n->str, n->len)) {
        expected(d, n, "a number", true);
        return false;
    }
    errno = 0;
    v = strtod(n->str, &end);
    if (!isfinite(v) || end != n->str + n->len) {
        expected(d, n, "a number", true);
        return false;
    }
    *out = v;
    return true;
}

/* Dates and durations have no YAML type of their own, so quoting them is
 * fine. */
bool
ob_yaml_date(struct ob_diag *d, const struct ob_yaml_node *n, int32_t *out)
{
    int32_t days;

    if (!is_value(n) || !ob_date_parse(n->str, n->len, &days)) {
        expected(d, n, "a date (YYYY-MM-DD)", false);
        return false;
    }
    *out = days;
    return true;
}

bool
ob_yaml_duration(struct ob_diag *d, const struct ob_yaml_node *n, int64_t *out)
{
    int64_t seconds;

    if (!is_value(n) || !ob_duration_parse(n->str, n->len, &seconds)) {
        expected(d, n, "a duration such as 14d or 10s", false);
        return false;
    }
    *out = seconds;
    return true;
}

bool
ob_yaml_expect_map(struct ob_diag *d, const struct ob_yaml_node *n)
{
    if (n && n->kind == OB_YAML_MAP)
        return true;
    expected(d, n, "a mapping", false);
    return false;
}

bool
ob_yaml_expect_seq(struct ob_diag *d, const struct ob_yaml_node *n)
{
    if (n && n->kind == OB_YAML_SEQ)
        return true;
    expected(d, n, "a list", false);
    return false;
}
