/* tmpl.c: Mustache templates parsed once into instructions, and values. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/tmpl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/mem.h"
#include "opsbook/numfmt.h"
#include "opsbook/text.h"

/* ---- values ---- */

/* FNV-1a: lookups compare a hash before the bytes, so a miss in a map of
 * 30 keys costs 30 integer compares. */
static uint32_t
hash_bytes(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

/* A caller broke the contract (pushed to a map...): a bug, not input. */
static _Noreturn void
misuse(const char *what)
{
    fprintf(stderr, "opsbook: BUG: %s\n", what);
    abort();
}

static struct ob_tval *
new_val(struct ob_arena *a, enum ob_tval_type type)
{
    struct ob_tval *v = ob_arena_alloc(a, sizeof(*v));

    v->type = type;
    return v;
}

struct ob_tval *
ob_tval_null(struct ob_arena *a)
{
    return new_val(a, OB_TV_NULL);
}

struct ob_tval *
ob_tval_bool(struct ob_arena *a, bool b)
{
    struct ob_tval *v = new_val(a, OB_TV_BOOL);

    v->u.b = b;
    return v;
}

struct ob_tval *
ob_tval_num(struct ob_arena *a, double num)
{
    struct ob_tval *v = new_val(a, OB_TV_NUMBER);

    v->u.num = num;
    return v;
}

struct ob_tval *
ob_tval_strn(struct ob_arena *a, const char *s, size_t len)
{
    struct ob_tval *v = new_val(a, OB_TV_STRING);

    v->u.str.ptr = ob_arena_strndup(a, s, len);
    v->u.str.len = len;
    return v;
}

struct ob_tval *
ob_tval_str(struct ob_arena *a, const char *s)
{
    return ob_tval_strn(a, s, strlen(s));
}

struct ob_tval *
ob_tval_str_ref(struct ob_arena *a, const char *s)
{
    struct ob_tval *v = new_val(a, OB_TV_STRING);

    v->u.str.ptr = s;
    v->u.str.len = strlen(s);
    return v;
}

struct ob_tval *
ob_tval_list(struct ob_arena *a)
{
    return new_val(a, OB_TV_LIST);
}

struct ob_tval *
ob_tval_map(struct ob_arena *a)
{
    return new_val(a, OB_TV_MAP);
}

void
ob_tval_push(struct ob_arena *a, struct ob_tval *list, struct ob_tval *v)
{
    if (!list || list->type != OB_TV_LIST)
        misuse("ob_tval_push() on a value that is no list");
    if (list->u.list.n == list->u.list.cap) {
        /* The old array stays in the arena: at most as much again. */
        size_t cap = list->u.list.cap ? list->u.list.cap * 2 : 4;
        struct ob_tval **items = ob_arena_calloc(a, cap, sizeof(*items));

        if (list->u.list.n)
            memcpy(items, list->u.list.items, list->u.list.n * sizeof(*items));
        list->u.list.items = items;
        list->u.list.cap = cap;
    }
    list->u.list.items[list->u.list.n++] = v;
}

/* Index of key[0..len) in a map, or -1. */
static long
map_find(const struct ob_tval *map, const char *key, size_t len, uint32_t hash)
{
    size_t i;

    for (i = 0; i < map->u.map.n; i++)
        if (map->u.map.hashes[i] == hash && map->u.map.keys[i].len == len &&
            memcmp(map->u.map.keys[i].ptr, key, len) == 0)
            return (long)i;
    return -1;
}

/* Appends without looking for the key: the caller knows it is new. */
static void
map_append(struct ob_arena *a, struct ob_tval *map, const char *key, size_t len,
           uint32_t hash, struct ob_tval *v)
{
    size_t n = map->u.map.n;

    if (n == map->u.map.cap) {
        size_t cap = n ? n * 2 : 8;
        struct ob_str *keys = ob_arena_calloc(a, cap, sizeof(*keys));
        struct ob_tval **values = ob_arena_calloc(a, cap, sizeof(*values));
        uint32_t *hashes = ob_arena_calloc(a, cap, sizeof(*hashes));

        if (n) {
            memcpy(keys, map->u.map.keys, n * sizeof(*keys));
            memcpy(values, map->u.map.values, n * sizeof(*values));
            memcpy(hashes, map->u.map.hashes, n * sizeof(*hashes));
        }
        map->u.map.keys = keys;
        map->u.map.values = values;
        map->u.map.hashes = hashes;
        map->u.map.cap = cap;
    }
    map->u.map.keys[n].ptr = ob_arena_strndup(a, key, len);
    map->u.map.keys[n].len = len;
    map->u.map.hashes[n] = hash;
    map->u.map.values[n] = v;
    map->u.map.n = n + 1;
}

void
ob_tval_set(struct ob_arena *a, struct ob_tval *map, const char *key,
            struct ob_tval *v)
{
    size_t len = strlen(key);
    uint32_t hash = hash_bytes(key, len);
    long i;

    if (!map || map->type != OB_TV_MAP)
        misuse("ob_tval_set() on a value that is no map");
    i = map_find(map, key, len, hash);
    if (i >= 0)
        map->u.map.values[i] = v;
    else
        map_append(a, map, key, len, hash, v);
}

const struct ob_tval *
ob_tval_get(const struct ob_tval *map, const char *key)
{
    size_t len;
    long i;

    if (!map || map->type != OB_TV_MAP || !key)
        return NULL;
    len = strlen(key);
    i = map_find(map, key, len, hash_bytes(key, len));
    return i >= 0 ? map->u.map.values[i] : NULL;
}

static struct ob_tval *
scalar_from_yaml(struct ob_arena *a, const struct ob_yaml_node *n)
{
    if (n->quoted)
        return ob_tval_strn(a, n->str, n->len);
    bool b;
    double v;

    if (ob_yaml_is_null(n))
        return ob_tval_null(a);
    /* the loader's own typing, asked without reporting (no sink) */
    if (ob_yaml_bool(NULL, n, &b))
        return ob_tval_bool(a, b);
    if (ob_yaml_number(NULL, n, &v))
        return ob_tval_num(a, v);
    return ob_tval_strn(a, n->str, n->len);
}

struct ob_tval *
ob_tval_from_yaml(struct ob_arena *a, const struct ob_yaml_node *n)
{
    struct ob_tval *v;
    size_t i;

    if (!n)
        return NULL;
    switch (n->kind) {
    case OB_YAML_SCALAR:
        return scalar_from_yaml(a, n);
    case OB_YAML_SEQ:
        v = ob_tval_list(a);
        v->u.list.items = ob_arena_calloc(a, n->n, sizeof(*v->u.list.items));
        v->u.list.cap = n->n;
        for (i = 0; i < n->n; i++)
            v->u.list.items[v->u.list.n++] = ob_tval_from_yaml(a, n->items[i]);
        return v;
    case OB_YAML_MAP:
        v = ob_tval_map(a);
        for (i = 0; i < n->n; i++) {
            const struct ob_yaml_node *k = n->pairs[i].key;

            /* The loader refuses duplicate keys, so no lookup is needed
             * (which keeps big maps linear to convert). */
            if (k->kind != OB_YAML_SCALAR)
                continue;
            map_append(a, v, k->str, k->len, hash_bytes(k->str, k->len),
                       ob_tval_from_yaml(a, n->pairs[i].value));
        }
        return v;
    }
    return NULL;
}

/* ---- templates ---- */

enum op_kind {
    OP_TEXT,     /* literal text */
    OP_VAR,      /* {{x}}, {{{x}}}, {{&x}} */
    OP_SECTION,  /* {{#x}}: the body runs up to `end` */
    OP_INVERTED, /* {{^x}} */
    OP_PARTIAL,  /* {{>x}} */
    OP_INDENT    /* a line start holding no other instruction */
};

enum op_flags {
    OP_BOL = 1 << 0,       /* starts a line: a partial's indentation first */
    OP_ESCAPE = 1 << 1,    /* VAR: HTML-escape */
    OP_STANDALONE = 1 << 2 /* PARTIAL: alone on its line, so indented */
};

/*
 * One instruction. Offsets index the template's own copy of its text, so
 * nothing points outside the template; 32 bits suffice (ob_tmpl_parse()
 * refuses 4 GiB).
 */
struct op {
    unsigned char kind, flags;
    uint32_t off, len;         /* TEXT: the bytes; PARTIAL: in names; else
                                  the tag's name */
    uint32_t part, n_parts;    /* VAR, SECTION, INVERTED: the dotted name */
    uint32_t ind_off, ind_len; /* PARTIAL: the standalone indentation */
    uint32_t end;              /* SECTION, INVERTED: first op after the body */
    uint32_t line, col;        /* where the tag (or text) starts */
};

/* A part of a dotted name; no parts at all is the implicit iterator `.`. */
struct part {
    uint32_t off, len, hash;
};

struct ob_tmpl {
    const char *name;
    char *text; /* a copy */
    size_t len;
    struct op *ops;
    size_t n_ops;
    struct part *parts;
    size_t n_parts;
    char *names; /* partials' names, each NUL-terminated */
    size_t names_len;
};

struct parser {
    struct ob_tmpl *t;
    struct ob_diag *d;
    size_t ops_cap, parts_cap, names_cap;
    uint32_t *open; /* the sections open at this point, by op index */
    size_t n_open, open_cap;
    const char *otag, *ctag; /* the current delimiters */
    size_t olen, clen;
    size_t seen; /* the line and column below are those of text[seen] */
    uint32_t line, col;
};

/* Position of text[off]; offsets must come in increasing order, which
 * keeps the whole parse linear. Columns count characters, not bytes. */
static struct ob_pos
pos_at(struct parser *p, size_t off)
{
    struct ob_pos pos;

    for (; p->seen < off; p->seen++) {
        unsigned char c = (unsigned char)p->t->text[p->seen];

        if (c == '\n') {
            p->line++;
            p->col = 1;
        } else if ((c & 0xC0) != 0x80) {
            p->col++;
        }
    }
    pos.path = p->t->name;
    pos.line = p->line;
    pos.col = p->col;
    return pos;
}

static struct op *
add_op(struct parser *p, enum op_kind kind, size_t at)
{
    struct ob_tmpl *t = p->t;
    struct ob_pos pos = pos_at(p, at);
    struct op *op;

    OB_GROW(t->ops, t->n_ops + 1, p->ops_cap);
    op = &t->ops[t->n_ops++];
    memset(op, 0, sizeof(*op));
    op->kind = (unsigned char)kind;
    op->line = pos.line;
    op->col = pos.col;
    if (at == 0 || t->text[at - 1] == '\n')
        op->flags = OP_BOL;
    return op;
}

static void
add_text(struct parser *p, size_t from, size_t to)
{
    struct op *op;

    if (to <= from)
        return;
    op = add_op(p, OP_TEXT, from);
    op->off = (uint32_t)from;
    op->len = (uint32_t)(to - from);
}

/* Splits a name into parts at its dots; "." alone has none. */
static void
set_name(struct parser *p, struct op *op, size_t off, size_t len)
{
    struct ob_tmpl *t = p->t;
    size_t i, start = off;

    op->off = (uint32_t)off;
    op->len = (uint32_t)len;
    op->part = (uint32_t)t->n_parts;
    if (len == 1 && t->text[off] == '.')
        return;
    for (i = off; i <= off + len; i++) {
        if (i < off + len && t->text[i] != '.')
            continue;
        OB_GROW(t->parts, t->n_parts + 1, p->parts_cap);
        t->parts[t->n_parts].off = (uint32_t)start;
        t->parts[t->n_parts].len = (uint32_t)(i - start);
        t->parts[t->n_parts].hash = hash_bytes(t->text + start, i - start);
        t->n_parts++;
        op->n_parts++;
        start = i + 1;
    }
}

static bool
is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool
is_space(char c)
{
    return is_blank(c) || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* First occurrence of [lead] + s[0..n) in text[from..len), or len. */
static size_t
find(const char *text, size_t len, size_t from, char lead, const char *s,
     size_t n)
{
    size_t need = n + (lead != 0);
    char first = lead ? lead : s[0];
    const char *hit;

    while (from + need <= len) {
        hit = memchr(text + from, first, len - from - need + 1);
        if (!hit)
            break;
        from = (size_t)(hit - text);
        if (memcmp(text + from + (lead != 0), s, n) == 0)
            return from;
        from++;
    }
    return len;
}

/* A tag as found in the text. */
struct tag {
    size_t start, end; /* the whole tag, delimiters included */
    char sigil;        /* '#', '^', '/', '!', '>', '=', '{', '&' or 0 */
    size_t name, nlen; /* the content, trimmed */
    bool standalone;   /* alone on its line (only for sigils that can be) */
    size_t line_start; /* standalone: the line's first byte */
    size_t next;       /* where the text after the tag starts */
};

static bool
can_stand_alone(char sigil)
{
    return sigil && strchr("#^/!>=", sigil);
}

/* Alone on its line: only blanks before it and after it up to a newline
 * (or the end). Delimiters hold no blanks, so the scan back cannot run
 * into an earlier tag on the line. */
static void
check_standalone(const struct parser *p, struct tag *tag)
{
    const char *text = p->t->text;
    size_t len = p->t->len, s = tag->start, e = tag->end;

    while (s > 0 && is_blank(text[s - 1]))
        s--;
    if (s > 0 && text[s - 1] != '\n')
        return;
    while (e < len && is_blank(text[e]))
        e++;
    if (e < len && text[e] == '\n')
        e++;
    else if (e + 1 < len && text[e] == '\r' && text[e + 1] == '\n')
        e += 2;
    else if (e < len)
        return;
    tag->standalone = true;
    tag->line_start = s;
    tag->next = e;
}

/* How much of s[0..len) a message quotes: the first line, about 40
 * bytes at most, not cutting a UTF-8 character. */
static int
quote_len(const char *s, size_t len)
{
    size_t n = 0;

    while (n < len && s[n] != '\n' && s[n] != '\r' &&
           (n < 40 || (s[n] & 0xC0) == 0x80))
        n++;
    return (int)n;
}

static bool
parse_error(struct parser *p, size_t at, const char *msg, const char *subject,
            size_t len)
{
    struct ob_pos pos = pos_at(p, at);

    ob_diag_error(p->d, &pos, "%s '%.*s'", msg, quote_len(subject, len),
                  subject);
    return false;
}

/* "unclosed tag '{{name': no '}}' after it" */
static bool
unclosed_tag(struct parser *p, size_t start, char lead)
{
    const char *text = p->t->text;
    struct ob_pos pos = pos_at(p, start);

    ob_diag_error(p->d, &pos, "unclosed tag '%.*s': no '%.*s%.*s' after it",
                  quote_len(text + start, p->t->len - start), text + start,
                  lead ? 1 : 0, &lead, (int)p->clen, p->ctag);
    return false;
}

/* Reads the tag at text[start]; false (reported) when it never closes. */
static bool
read_tag(struct parser *p, size_t start, struct tag *tag)
{
    const char *text = p->t->text;
    size_t len = p->t->len, c = start + p->olen, close, e;
    char lead = 0;

    memset(tag, 0, sizeof(*tag));
    tag->start = start;
    if (c < len && text[c] && strchr("#^/!>={&", text[c])) {
        tag->sigil = text[c++];
        if (tag->sigil == '{')
            lead = '}';
        else if (tag->sigil == '=')
            lead = '=';
    }
    close = find(text, len, c, lead, p->ctag, p->clen);
    if (close == len)
        return unclosed_tag(p, start, lead);
    tag->end = close + (lead != 0) + p->clen;
    tag->next = tag->end;
    e = close;
    while (c < e && is_space(text[c]))
        c++;
    while (e > c && is_space(text[e - 1]))
        e--;
    tag->name = c;
    tag->nlen = e - c;
    if (can_stand_alone(tag->sigil))
        check_standalone(p, tag);
    return true;
}

/* {{=<% %>=}}: two delimiters, blank-separated, neither holding '='. */
static bool
set_delimiters(struct parser *p, const struct tag *tag)
{
    const char *s = p->t->text + tag->name;
    size_t n = tag->nlen, i = 0, o, olen, c, clen;

    o = i;
    while (i < n && !is_space(s[i]))
        i++;
    olen = i - o;
    while (i < n && is_space(s[i]))
        i++;
    c = i;
    while (i < n && !is_space(s[i]))
        i++;
    clen = i - c;
    if (!olen || !clen || i != n || memchr(s + o, '=', olen) ||
        memchr(s + c, '=', clen))
        return parse_error(p, tag->start,
                           "bad set-delimiter tag (want '{{=<open> "
                           "<close>=}}'):",
                           p->t->text + tag->start, tag->end - tag->start);
    p->otag = s + o;
    p->olen = olen;
    p->ctag = s + c;
    p->clen = clen;
    return true;
}

static bool
close_section(struct parser *p, const struct tag *tag)
{
    struct ob_tmpl *t = p->t;
    const struct op *open;

    if (!p->n_open)
        return parse_error(p, tag->start, "no open section to close with",
                           t->text + tag->start, tag->end - tag->start);
    open = &t->ops[p->open[p->n_open - 1]];
    if (open->len != tag->nlen ||
        memcmp(t->text + open->off, t->text + tag->name, tag->nlen) != 0) {
        struct ob_pos pos = pos_at(p, tag->start);

        ob_diag_error(p->d, &pos,
                      "mismatched close '%.*s': the open section is '%.*s' "
                      "(line %u)",
                      (int)(tag->end - tag->start), t->text + tag->start,
                      (int)open->len, t->text + open->off, open->line);
        return false;
    }
    t->ops[p->open[--p->n_open]].end = (uint32_t)t->n_ops;
    return true;
}

/* Adds the instructions of one tag. */
static bool
add_tag(struct parser *p, const struct tag *tag)
{
    struct ob_tmpl *t = p->t;
    struct op *op;

    if (!tag->nlen && tag->sigil != '!')
        return parse_error(p, tag->start, "empty tag", t->text + tag->start,
                           tag->end - tag->start);
    switch (tag->sigil) {
    case '#':
    case '^':
        op =
            add_op(p, tag->sigil == '#' ? OP_SECTION : OP_INVERTED, tag->start);
        set_name(p, op, tag->name, tag->nlen);
        if (tag->standalone)
            op->flags &= (unsigned char)~OP_BOL;
        OB_GROW(p->open, p->n_open + 1, p->open_cap);
        p->open[p->n_open++] = (uint32_t)(t->n_ops - 1);
        break;
    case '>':
        op = add_op(p, OP_PARTIAL, tag->start);
        /* The callback wants a C string: a copy, NUL-terminated. */
        OB_GROW(t->names, t->names_len + tag->nlen + 1, p->names_cap);
        memcpy(t->names + t->names_len, t->text + tag->name, tag->nlen);
        t->names[t->names_len + tag->nlen] = '\0';
        op->off = (uint32_t)t->names_len;
        op->len = (uint32_t)tag->nlen;
        t->names_len += tag->nlen + 1;
        if (tag->standalone) {
            op->flags = OP_STANDALONE;
            op->ind_off = (uint32_t)tag->line_start;
            op->ind_len = (uint32_t)(tag->start - tag->line_start);
        }
        break;
    case '/':
    case '!':
    case '=':
        /* These print nothing, but a partial's indentation still goes
         * where such a tag starts a line (inside the section for '/'). */
        if (!tag->standalone &&
            (tag->start == 0 || t->text[tag->start - 1] == '\n'))
            add_op(p, OP_INDENT, tag->start);
        if (tag->sigil == '/')
            return close_section(p, tag);
        if (tag->sigil == '=')
            return set_delimiters(p, tag);
        break;
    default:
        op = add_op(p, OP_VAR, tag->start);
        set_name(p, op, tag->name, tag->nlen);
        if (!tag->sigil)
            op->flags |= OP_ESCAPE;
        break;
    }
    return true;
}

static bool
parse(struct parser *p)
{
    struct ob_tmpl *t = p->t;
    size_t pos = 0, at;
    struct tag tag;

    for (;;) {
        at = find(t->text, t->len, pos, 0, p->otag, p->olen);
        if (at == t->len)
            break;
        if (!read_tag(p, at, &tag))
            return false;
        add_text(p, pos, tag.standalone ? tag.line_start : at);
        if (!add_tag(p, &tag))
            return false;
        pos = tag.next;
    }
    add_text(p, pos, t->len);
    if (p->n_open) {
        const struct op *open = &t->ops[p->open[p->n_open - 1]];
        struct ob_pos where = {t->name, open->line, open->col};

        ob_diag_error(p->d, &where, "unclosed section '%.*s'", (int)open->len,
                      t->text + open->off);
        return false;
    }
    return true;
}

/* The text a template may hold: under 4 GiB (offsets are 32 bits) and
 * UTF-8, as every other input is, since what it holds lands in the pages
 * as it is. */
static bool
check_text(const char *name, const char *text, size_t len, struct ob_diag *d)
{
    struct ob_pos where = {name, 0, 0};
    const char *nul;
    size_t bad;

    if (len >= UINT32_MAX) {
        ob_diag_error(d, &where, "template too large (4 GiB or more)");
        return false;
    }
    if (!ob_utf8_valid(text, len, &bad)) {
        ob_text_position(text, bad, 1, &where.line, &where.col);
        ob_diag_error(d, &where, "invalid UTF-8 text");
        return false;
    }
    /* valid UTF-8, but in a layout it means a binary file, as in a page */
    nul = len ? memchr(text, '\0', len) : NULL;
    if (nul) {
        ob_text_position(text, (size_t)(nul - text), 1, &where.line,
                         &where.col);
        ob_diag_error(d, &where, "NUL byte: not text (a binary file?)");
        return false;
    }
    return true;
}

struct ob_tmpl *
ob_tmpl_parse(const char *name, const char *text, size_t len, struct ob_diag *d)
{
    struct ob_tmpl *t;
    struct ob_diag quiet;
    struct parser p;
    bool ok;

    /* Without a sink, errors go to one that is thrown away. */
    ob_diag_init(&quiet, 0);
    if (!d)
        d = &quiet;
    if (!check_text(name, text, len, d)) {
        ob_diag_release(&quiet);
        return NULL;
    }
    t = ob_xcalloc(1, sizeof(*t));
    t->name = name;
    t->text = ob_xmalloc(len + 1);
    memcpy(t->text, text, len);
    t->text[len] = '\0';
    t->len = len;
    memset(&p, 0, sizeof(p));
    p.t = t;
    p.d = d;
    p.otag = "{{";
    p.ctag = "}}";
    p.olen = p.clen = 2;
    p.line = p.col = 1;
    ok = parse(&p);
    free(p.open);
    ob_diag_release(&quiet);
    if (!ok) {
        ob_tmpl_free(t);
        return NULL;
    }
    return t;
}

void
ob_tmpl_free(struct ob_tmpl *t)
{
    if (!t)
        return;
    free(t->text);
    free(t->ops);
    free(t->parts);
    free(t->names);
    free(t);
}

const char *
ob_tmpl_name(const struct ob_tmpl *t)
{
    return t->name;
}

/* ---- rendering ---- */

struct render {
    ob_tmpl_partial_fn partial;
    void *partial_ctx;
    struct ob_buf *out;
    struct ob_diag *d;
    const char *indent; /* the current partial's indentation */
    size_t indent_len;
    unsigned depth;
    size_t steps;
    bool reported; /* the cut-off is reported once, where it happened */
    size_t sp;
    const struct ob_tval *stack[OB_TMPL_MAX_DEPTH + 1]; /* one per section */
};

static bool cut_off(struct render *st, const struct ob_tmpl *t,
                    const struct op *op, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static bool
cut_off(struct render *st, const struct ob_tmpl *t, const struct op *op,
        const char *fmt, ...)
{
    struct ob_pos pos = {t->name, op->line, op->col};
    va_list ap;

    if (st->reported || !st->d)
        return false;
    st->reported = true;
    va_start(ap, fmt);
    ob_diag_vreport(st->d, OB_SEV_ERROR, &pos, fmt, ap);
    va_end(ap);
    return false;
}

static const struct ob_tval *
lookup(const struct render *st, const struct ob_tmpl *t, const struct op *op)
{
    const struct part *part = &t->parts[op->part];
    const struct ob_tval *v = NULL, *m;
    size_t i;
    long k = -1;

    if (!op->n_parts)
        return st->stack[st->sp - 1];
    /* The first part up the stack, the rest inside what it found. */
    for (i = st->sp; k < 0 && i-- > 0;) {
        m = st->stack[i];
        if (m && m->type == OB_TV_MAP)
            k = map_find(m, t->text + part->off, part->len, part->hash);
        if (k >= 0)
            v = m->u.map.values[k];
    }
    for (i = 1; v && i < op->n_parts; i++) {
        part++;
        if (v->type != OB_TV_MAP)
            return NULL;
        k = map_find(v, t->text + part->off, part->len, part->hash);
        v = k >= 0 ? v->u.map.values[k] : NULL;
    }
    return v;
}

/* JavaScript's !!value, plus the spec's empty list. */
static bool
truthy(const struct ob_tval *v)
{
    if (!v)
        return false;
    switch (v->type) {
    case OB_TV_NULL:
        return false;
    case OB_TV_BOOL:
        return v->u.b;
    case OB_TV_NUMBER:
        return v->u.num != 0 && !isnan(v->u.num);
    case OB_TV_STRING:
        return v->u.str.len > 0;
    case OB_TV_LIST:
        return v->u.list.n > 0;
    case OB_TV_MAP:
        return true;
    }
    return false;
}

/* Literal text; inside an indented partial, indentation after each
 * newline that more text follows (the next op indents its own line). */
static bool
put_text(struct render *st, const char *s, size_t len)
{
    const char *nl;
    size_t n;

    if (!st->indent_len)
        return ob_buf_add(st->out, s, len);
    while ((nl = memchr(s, '\n', len)) && nl + 1 < s + len) {
        n = (size_t)(nl + 1 - s);
        if (!ob_buf_add(st->out, s, n) ||
            !ob_buf_add(st->out, st->indent, st->indent_len))
            return false;
        s += n;
        len -= n;
    }
    return ob_buf_add(st->out, s, len);
}

static bool
put_value(struct render *st, const struct ob_tval *v, bool escape)
{
    if (!v)
        return true;
    switch (v->type) {
    case OB_TV_BOOL:
        return ob_buf_puts(st->out, v->u.b ? "true" : "false");
    case OB_TV_NUMBER:
        ob_numfmt_plain(st->out, v->u.num);
        return !st->out->toobig;
    case OB_TV_STRING:
        if (escape)
            return ob_buf_add_html(st->out, v->u.str.ptr, v->u.str.len);
        return ob_buf_add(st->out, v->u.str.ptr, v->u.str.len);
    case OB_TV_NULL:
    case OB_TV_LIST:
    case OB_TV_MAP:
        break;
    }
    return true;
}

static bool run(struct render *st, const struct ob_tmpl *t, size_t from,
                size_t to);

static bool
enter(struct render *st, const struct ob_tmpl *t, const struct op *op)
{
    if (st->depth < OB_TMPL_MAX_DEPTH) {
        st->depth++;
        return true;
    }
    if (op->kind == OP_PARTIAL)
        return cut_off(st, t, op,
                       "partial '%s' nested more than %d sections and "
                       "partials deep (does it include itself?)",
                       t->names + op->off, OB_TMPL_MAX_DEPTH);
    return cut_off(st, t, op,
                   "section '%.*s' nested more than %d sections and "
                   "partials deep",
                   (int)op->len, t->text + op->off, OB_TMPL_MAX_DEPTH);
}

static bool
too_many_steps(struct render *st, const struct ob_tmpl *t, const struct op *op)
{
    return cut_off(st, t, op, "rendering stopped after %u steps",
                   OB_TMPL_MAX_STEPS);
}

/* Runs the body of the section at ops[i] once with `v` on the stack, or
 * once per item when `v` is a list. */
static bool
run_section(struct render *st, const struct ob_tmpl *t, size_t i,
            const struct ob_tval *v)
{
    const struct op *op = &t->ops[i];
    size_t k, n = v->type == OB_TV_LIST ? v->u.list.n : 1;

    if (!enter(st, t, op))
        return false;
    for (k = 0; k < n; k++) {
        /* Iterations count too: an empty body repeated is still work. */
        if (++st->steps > OB_TMPL_MAX_STEPS)
            return too_many_steps(st, t, op);
        st->stack[st->sp++] = v->type == OB_TV_LIST ? v->u.list.items[k] : v;
        if (!run(st, t, i + 1, op->end))
            return false;
        st->sp--;
    }
    st->depth--;
    return true;
}

static bool
run_inverted(struct render *st, const struct ob_tmpl *t, size_t i)
{
    if (!enter(st, t, &t->ops[i]) || !run(st, t, i + 1, t->ops[i].end))
        return false;
    st->depth--;
    return true;
}

static bool
run_partial(struct render *st, const struct ob_tmpl *t, const struct op *op)
{
    const struct ob_tmpl *pt;
    const char *saved = st->indent, *own = t->text + op->ind_off;
    size_t saved_len = st->indent_len;
    char *joined = NULL;
    bool ok;

    pt = st->partial ? st->partial(st->partial_ctx, t->names + op->off) : NULL;
    if (!pt)
        return true;
    if (!enter(st, t, op))
        return false;
    if (!(op->flags & OP_STANDALONE)) {
        st->indent_len = 0; /* inline: the spec indents nothing */
    } else if (!saved_len) {
        st->indent = own;
        st->indent_len = op->ind_len;
    } else if (op->ind_len) {
        /* Nested standalone partials add up their indentation. */
        joined = ob_xmalloc(saved_len + op->ind_len);
        memcpy(joined, saved, saved_len);
        memcpy(joined + saved_len, own, op->ind_len);
        st->indent = joined;
        st->indent_len = saved_len + op->ind_len;
    }
    ok = run(st, pt, 0, pt->n_ops);
    free(joined);
    st->indent = saved;
    st->indent_len = saved_len;
    st->depth--;
    return ok;
}

/* Runs one op, leaving its section's body to its own loop. */
static bool
run_op(struct render *st, const struct ob_tmpl *t, size_t i)
{
    const struct op *op = &t->ops[i];
    const struct ob_tval *v;

    if ((op->flags & OP_BOL) && st->indent_len &&
        !ob_buf_add(st->out, st->indent, st->indent_len))
        return false;
    switch ((enum op_kind)op->kind) {
    case OP_TEXT:
        return put_text(st, t->text + op->off, op->len);
    case OP_VAR:
        return put_value(st, lookup(st, t, op), op->flags & OP_ESCAPE);
    case OP_SECTION:
        v = lookup(st, t, op);
        return !truthy(v) || run_section(st, t, i, v);
    case OP_INVERTED:
        return truthy(lookup(st, t, op)) || run_inverted(st, t, i);
    case OP_PARTIAL:
        return run_partial(st, t, op);
    case OP_INDENT:
        break;
    }
    return true;
}

/*
 * Runs ops [from, to). Returns false when cut off, reported once: where
 * the nesting or step bound was hit, or by the innermost op that found
 * the output full. The stack and depth are then left as they were at
 * that point: the render is over.
 */
static bool
run(struct render *st, const struct ob_tmpl *t, size_t from, size_t to)
{
    const struct op *op;
    size_t i;

    for (i = from; i < to; i++) {
        op = &t->ops[i];
        if (++st->steps > OB_TMPL_MAX_STEPS)
            return too_many_steps(st, t, op);
        if (!run_op(st, t, i)) {
            if (st->out->toobig)
                return cut_off(st, t, op, "output larger than %zu bytes",
                               st->out->max);
            return false;
        }
        if (op->kind == OP_SECTION || op->kind == OP_INVERTED)
            i = op->end - 1;
    }
    return true;
}

bool
ob_tmpl_render(const struct ob_tmpl *t, const struct ob_tval *ctx,
               ob_tmpl_partial_fn partial, void *partial_ctx,
               struct ob_buf *out, struct ob_diag *d)
{
    struct render st;
    bool was_toobig = out->toobig, ok;

    memset(&st, 0, sizeof(st));
    st.partial = partial;
    st.partial_ctx = partial_ctx;
    st.out = out;
    st.d = d;
    st.stack[0] = ctx;
    st.sp = 1;
    /* toobig tells this render's overflow apart from an earlier one. */
    out->toobig = false;
    ok = run(&st, t, 0, t->n_ops);
    out->toobig = out->toobig || was_toobig;
    return ok;
}
