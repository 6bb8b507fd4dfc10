/* expr.c: the expressions of where, measures and formulas: parse, bind, run. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/expr.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/date.h"
#include "opsbook/mem.h"
#include "opsbook/text.h"

/* Longest part of the text quoted in a message, in bytes. */
#define MAX_SHOWN 40
/* Longer names get no "did you mean": the edit distance is quadratic. */
#define MAX_SUGGEST 64

/* ---- Positions inside the YAML scalar -------------------------------- */

/*
 * A walk through a scalar's source that redoes YAML's own unescaping and
 * line folding, counting the bytes of the value each source character
 * produces, until the byte sought is reached. Only counts matter, so the
 * value itself is never rebuilt.
 */
struct walk {
    const char *s; /* the scalar as written */
    size_t len, i;
    uint32_t line, col; /* of s[i] */
    size_t out;         /* bytes of the value produced so far */
    size_t target;      /* the byte sought; SIZE_MAX: none (past the end) */
    bool found;
    uint32_t hit_line, hit_col;
    bool has_last; /* the last non-blank character produced */
    uint32_t last_line, last_col;
};

static bool
is_break(char c)
{
    return c == '\n' || c == '\r';
}

static bool
is_white(char c)
{
    return c == ' ' || c == '\t';
}

static bool
at_end(const struct walk *w)
{
    return w->i >= w->len;
}

static char
cur(const struct walk *w)
{
    return at_end(w) ? '\0' : w->s[w->i];
}

/* Moves past one character; LF, CRLF and a lone CR end a line, as in
 * yaml.c, so lines agree with the node's position. */
static void
step(struct walk *w)
{
    char c = w->s[w->i];

    if (is_break(c)) {
        w->i +=
            c == '\r' && w->i + 1 < w->len && w->s[w->i + 1] == '\n' ? 2 : 1;
        w->line++;
        w->col = 1;
        return;
    }
    w->i += ob_utf8_seq_len((unsigned char)c);
    if (w->i > w->len)
        w->i = w->len;
    w->col++;
}

/* Notes that n bytes of the value came from the character at line:col. */
static void
produce(struct walk *w, size_t n, uint32_t line, uint32_t col, bool blank)
{
    if (n == 0)
        return;
    if (!w->found && w->target < w->out + n) {
        w->found = true;
        w->hit_line = line;
        w->hit_col = col;
    }
    if (!blank) {
        w->has_last = true;
        w->last_line = line;
        w->last_col = col;
    }
    w->out += n;
}

/* The character under the cursor goes into the value as it is. */
static void
copy_char(struct walk *w)
{
    size_t n = ob_utf8_seq_len((unsigned char)w->s[w->i]);

    if (n > w->len - w->i)
        n = w->len - w->i;
    produce(w, n, w->line, w->col, is_white(w->s[w->i]));
    step(w);
}

/* A tag or an anchor before the scalar (`!!str &a text`) gives nothing. */
static void
skip_properties(struct walk *w)
{
    while (cur(w) == '!' || cur(w) == '&') {
        while (!at_end(w) && !is_white(cur(w)) && !is_break(cur(w)))
            step(w);
        for (;;) {
            if (is_white(cur(w)) || is_break(cur(w))) {
                step(w);
            } else if (cur(w) == '#') {
                while (!at_end(w) && !is_break(cur(w)))
                    step(w);
            } else {
                break;
            }
        }
    }
}

/*
 * Flow folding, the cursor on a line break: the break and the next line's
 * indentation become one space, or nothing after an escaped break (a
 * backslash ending a line in double quotes); each empty line becomes a
 * newline.
 */
static void
fold(struct walk *w, bool escaped)
{
    uint32_t line = w->line, col = w->col;
    size_t empty = 0;

    step(w);
    for (;;) {
        while (is_white(cur(w)))
            step(w);
        if (!is_break(cur(w)))
            break;
        empty++;
        step(w);
    }
    produce(w, escaped || empty ? empty : 1, line, col, true);
}

/* Blanks stay, unless a line break follows them: folding drops them. */
static void
blanks(struct walk *w)
{
    size_t j = w->i;

    while (j < w->len && is_white(w->s[j]))
        j++;
    if (j < w->len && is_break(w->s[j])) {
        while (w->i < j)
            step(w);
        return;
    }
    while (w->i < j)
        copy_char(w);
}

static unsigned
hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return (unsigned)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (unsigned)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F')
        return (unsigned)(c - 'A' + 10);
    return 0;
}

/* A double-quoted escape: \" \\ \n \xXX \uXXXX \UXXXXXXXX, \N \_ (two
 * bytes in UTF-8), \L \P (three), or a backslash ending the line. */
static void
escape(struct walk *w)
{
    uint32_t line = w->line, col = w->col;
    size_t n = 1, digits = 0, k;
    unsigned long cp = 0;
    char c;

    step(w);
    if (at_end(w))
        return;
    c = cur(w);
    if (is_break(c)) {
        fold(w, true);
        return;
    }
    step(w);
    if (c == 'x')
        digits = 2;
    else if (c == 'u')
        digits = 4;
    else if (c == 'U')
        digits = 8;
    else if (c == 'N' || c == '_')
        n = 2;
    else if (c == 'L' || c == 'P')
        n = 3;
    for (k = 0; k < digits && !at_end(w); k++) {
        cp = cp * 16 + hex_value(cur(w));
        step(w);
    }
    if (digits)
        n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    produce(w, n, line, col,
            c == ' ' || c == 't' || c == '\t' || c == 'n' || c == 'r');
}

/* Plain (quote 0), single- and double-quoted scalars. */
static void
walk_flow(struct walk *w, char quote)
{
    if (quote)
        step(w);
    while (!at_end(w) && !w->found) {
        char c = cur(w);

        if (quote == '\'' && c == '\'') {
            if (w->i + 1 >= w->len || w->s[w->i + 1] != '\'')
                return;
            produce(w, 1, w->line, w->col, false);
            step(w);
            step(w);
        } else if (quote == '"' && c == '"') {
            return;
        } else if (quote == '"' && c == '\\') {
            escape(w);
        } else if (is_white(c)) {
            blanks(w);
        } else if (is_break(c)) {
            fold(w, false);
        } else {
            copy_char(w);
        }
    }
}

/*
 * The indentation of a block scalar's content. With an indentation
 * indicator it is relative to the parent node, which the walk does not
 * know, so it is read off the value: the first non-empty line keeps the
 * spaces past the indentation.
 */
static size_t
block_indent(const struct walk *w, const char *text)
{
    size_t j = w->i, sr, sv = 0;

    for (;;) {
        sr = 0;
        while (j + sr < w->len && w->s[j + sr] == ' ')
            sr++;
        if (j + sr >= w->len || !is_break(w->s[j + sr]))
            break;
        j += sr + 1;
        if (w->s[j - 1] == '\r' && j < w->len && w->s[j] == '\n')
            j++;
    }
    while (*text == '\n')
        text++;
    while (text[sv] == ' ')
        sv++;
    return sr >= sv ? sr - sv : sr;
}

/*
 * Literal (|) and folded (>) scalars: the header line gives nothing, the
 * indentation is stripped, and each run of line breaks gives newlines;
 * folded style joins two ordinary lines with a space instead, keeping the
 * breaks around more-indented lines. Chomping only touches the end, which
 * offsets inside the value never reach.
 */
static void
walk_block(struct walk *w, const char *text, bool folded)
{
    uint32_t bline = 0, bcol = 0; /* the first pending break */
    size_t indent, breaks = 0, k;
    bool first = true, prev_more = false, more;

    while (!at_end(w) && !is_break(cur(w)))
        step(w);
    if (at_end(w))
        return;
    step(w);
    indent = block_indent(w, text);
    while (!at_end(w) && !w->found) {
        for (k = 0; k < indent && cur(w) == ' '; k++)
            step(w);
        if (at_end(w))
            break;
        if (is_break(cur(w))) {
            if (breaks++ == 0) {
                bline = w->line;
                bcol = w->col;
            }
            step(w);
            continue;
        }
        more = is_white(cur(w));
        if (folded && !first && !prev_more && !more)
            produce(w, breaks == 1 ? 1 : breaks - 1, bline, bcol, true);
        else
            produce(w, breaks, bline, bcol, true);
        first = false;
        prev_more = more;
        breaks = 0;
        while (!at_end(w) && !is_break(cur(w)) && !w->found)
            copy_char(w);
        if (is_break(cur(w))) {
            breaks = 1;
            bline = w->line;
            bcol = w->col;
            step(w);
        }
    }
}

/* Without the source: characters counted from the node's position. */
static struct ob_pos
count_pos(const struct ob_expr_src *src, uint32_t offset)
{
    struct ob_pos pos = src->node->pos;
    const char *s = src->text ? src->text : "";
    size_t len = strlen(s), i = 0;

    if (src->node->style == OB_YAML_SINGLE ||
        src->node->style == OB_YAML_DOUBLE)
        pos.col++;
    if (offset > len)
        offset = (uint32_t)len;
    while (i < offset) {
        if (s[i] == '\n') {
            pos.line++;
            pos.col = 1;
            i++;
        } else {
            pos.col++;
            i += ob_utf8_seq_len((unsigned char)s[i]);
        }
    }
    return pos;
}

struct ob_pos
ob_expr_pos(const struct ob_expr_src *src, uint32_t offset)
{
    struct ob_pos pos = {NULL, 0, 0};
    const struct ob_yaml_node *n = src ? src->node : NULL;
    struct walk w;

    if (!n)
        return pos;
    if (!src->raw || !src->text)
        return count_pos(src, offset);
    memset(&w, 0, sizeof(w));
    w.s = src->raw;
    w.len = src->raw_len;
    w.line = n->pos.line;
    w.col = n->pos.col;
    w.target = offset < strlen(src->text) ? offset : SIZE_MAX;
    skip_properties(&w);
    pos = n->pos;
    pos.line = w.line;
    pos.col = w.col;
    switch (n->style) {
    case OB_YAML_SINGLE:
        walk_flow(&w, '\'');
        break;
    case OB_YAML_DOUBLE:
        walk_flow(&w, '"');
        break;
    case OB_YAML_LITERAL:
    case OB_YAML_FOLDED:
        walk_block(&w, src->text, n->style == OB_YAML_FOLDED);
        break;
    default:
        walk_flow(&w, 0);
        break;
    }
    if (w.found) {
        pos.line = w.hit_line;
        pos.col = w.hit_col;
    } else if (w.has_last) {
        pos.line = w.last_line;
        pos.col = w.last_col + 1;
    }
    return pos;
}

/* ---- Tokens ---------------------------------------------------------- */

enum tok {
    T_END,
    T_BAD, /* already reported */
    T_NUMBER,
    T_STRING,
    T_DATE,
    T_NAME,
    T_TRUE,
    T_FALSE,
    T_AND,
    T_OR,
    T_NOT,
    T_IN,
    T_IS,
    T_EMPTY,
    T_LPAREN,
    T_RPAREN,
    T_LBRACKET,
    T_RBRACKET,
    T_COMMA,
    T_PLUS,
    T_MINUS,
    T_STAR,
    T_SLASH,
    T_EQ,
    T_NE,
    T_LT,
    T_LE,
    T_GT,
    T_GE
};

struct token {
    enum tok kind;
    uint32_t start, end; /* bytes of the text */
    double num;
    int32_t date;
    const char *str; /* STRING (unescaped) and NAME, in the arena */
    size_t len;
};

struct parser {
    struct ob_arena *a;
    struct ob_diag *d;
    const struct ob_expr_src *src;
    const char *s;
    uint32_t len, i;
    struct token tok;
    unsigned nesting;
    bool failed;
};

/*
 * What a parse function hands back: the tree, the text it spans with its
 * parentheses (a node's own span leaves them out, a parent's takes them
 * in) and its depth. e is NULL after an error.
 */
struct part {
    struct ob_expr *e;
    uint32_t start, end;
    unsigned depth;
};

/* A bit of text for a message: its first line, at most MAX_SHOWN bytes
 * cut between characters, with "..." when cut. */
struct shown {
    int len;
    const char *ptr, *more;
};

static struct shown
show(const char *s, size_t len)
{
    struct shown sh;
    size_t n = 0;

    while (n < len && !is_break(s[n]))
        n++;
    if (n > MAX_SHOWN) {
        n = MAX_SHOWN;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    sh.len = (int)n;
    sh.ptr = s;
    sh.more = n < len ? "..." : "";
    return sh;
}

static void report(struct parser *p, uint32_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Only the first syntax error counts: the rest would be its echoes. */
static void
report(struct parser *p, uint32_t offset, const char *fmt, ...)
{
    struct ob_pos pos;
    va_list ap;

    if (p->failed)
        return;
    p->failed = true;
    pos = ob_expr_pos(p->src, offset);
    va_start(ap, fmt);
    ob_diag_vreport(p->d, OB_SEV_ERROR, &pos, fmt, ap);
    va_end(ap);
}

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool
is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
is_name_char(char c)
{
    return is_name_start(c) || is_digit(c);
}

static const struct {
    const char *word;
    enum tok kind;
} keywords[] = {
    {"and", T_AND}, {"or", T_OR},       {"not", T_NOT},   {"in", T_IN},
    {"is", T_IS},   {"empty", T_EMPTY}, {"true", T_TRUE}, {"false", T_FALSE},
};

static void
lex_name(struct parser *p, uint32_t i)
{
    struct token *t = &p->tok;
    uint32_t j = i;
    size_t k;

    while (j < p->len && is_name_char(p->s[j]))
        j++;
    t->end = j;
    for (k = 0; k < sizeof(keywords) / sizeof(keywords[0]); k++) {
        if (strlen(keywords[k].word) == j - i &&
            memcmp(keywords[k].word, p->s + i, j - i) == 0) {
            t->kind = keywords[k].kind;
            return;
        }
    }
    t->kind = T_NAME;
    t->len = j - i;
    t->str = ob_arena_strndup(p->a, p->s + i, t->len);
}

/* NNNN-NN-NN: a date literal, not a subtraction. */
static bool
date_shape(const char *s, uint32_t len, uint32_t i)
{
    static const char shape[] = "dddd-dd-dd";
    uint32_t k;

    if (len - i < 10)
        return false;
    for (k = 0; k < 10; k++)
        if (shape[k] == 'd' ? !is_digit(s[i + k]) : s[i + k] != '-')
            return false;
    return i + 10 == len || !is_digit(s[i + 10]);
}

static uint32_t
skip_digits(const char *s, uint32_t len, uint32_t j)
{
    while (j < len && is_digit(s[j]))
        j++;
    return j;
}

static void
lex_date(struct parser *p, uint32_t i)
{
    struct token *t = &p->tok;
    uint32_t j = i + 10;
    struct shown sh;

    if (j < p->len && (is_name_char(p->s[j]) || p->s[j] == ':')) {
        while (j < p->len && (is_name_char(p->s[j]) || p->s[j] == ':' ||
                              p->s[j] == '.' || p->s[j] == '+'))
            j++;
        sh = show(p->s + i, j - i);
        if (p->s[i + 10] == 'T')
            report(p, i,
                   "'%.*s%s' is not a date (write a datetime as a string, "
                   "in quotes)",
                   sh.len, sh.ptr, sh.more);
        else
            report(p, i, "'%.*s%s' is not a date", sh.len, sh.ptr, sh.more);
        t->kind = T_BAD;
        return;
    }
    if (!ob_date_parse(p->s + i, 10, &t->date)) {
        report(p, i, "'%.*s' is not a date", 10, p->s + i);
        t->kind = T_BAD;
        return;
    }
    t->kind = T_DATE;
    t->end = j;
}

/* 12, 1.5, 2e3, 2.5E-3: checked here, so strtod never sees hex, inf or
 * nan, nor the locale's decimal point (main() keeps the C locale). */
static void
lex_number(struct parser *p, uint32_t i)
{
    struct token *t = &p->tok;
    const char *s = p->s;
    uint32_t j = skip_digits(s, p->len, i);
    char small[64], *copy;
    struct shown sh;

    if (date_shape(s, p->len, i)) {
        lex_date(p, i);
        return;
    }
    if (j + 1 < p->len && s[j] == '.' && is_digit(s[j + 1]))
        j = skip_digits(s, p->len, j + 1);
    if (j < p->len && (s[j] == 'e' || s[j] == 'E')) {
        uint32_t k = j + 1;

        if (k < p->len && (s[k] == '+' || s[k] == '-'))
            k++;
        if (k < p->len && is_digit(s[k]))
            j = skip_digits(s, p->len, k);
    }
    if (j < p->len && (is_name_char(s[j]) || s[j] == '.')) {
        while (j < p->len && (is_name_char(s[j]) || s[j] == '.'))
            j++;
        sh = show(s + i, j - i);
        report(p, i, "'%.*s%s' is not a number", sh.len, sh.ptr, sh.more);
        t->kind = T_BAD;
        return;
    }
    copy = j - i < sizeof(small) ? small : ob_arena_strndup(p->a, s + i, j - i);
    if (copy == small) {
        memcpy(small, s + i, j - i);
        small[j - i] = '\0';
    }
    t->num = strtod(copy, NULL);
    if (!isfinite(t->num)) {
        sh = show(s + i, j - i);
        report(p, i, "'%.*s%s' is too large a number", sh.len, sh.ptr, sh.more);
        t->kind = T_BAD;
        return;
    }
    t->kind = T_NUMBER;
    t->end = j;
}

/* "text" or 'text'; a backslash escapes either quote or itself. */
static void
lex_string(struct parser *p, uint32_t i)
{
    struct token *t = &p->tok;
    const char *s = p->s;
    char q = s[i], *out;
    uint32_t j = i + 1;
    size_t n = 0;

    while (j < p->len && s[j] != q) {
        if (s[j] == '\\' && j + 1 < p->len) {
            char e = s[j + 1];

            if (e != '"' && e != '\'' && e != '\\') {
                report(p, j,
                       "unknown escape '\\%.*s' in a string (a backslash "
                       "escapes only a quote or a backslash)",
                       (int)ob_utf8_seq_len((unsigned char)e), s + j + 1);
                t->kind = T_BAD;
                return;
            }
            j++;
        }
        j++;
        n++;
    }
    if (j >= p->len) {
        report(p, i, "unterminated string");
        t->kind = T_BAD;
        return;
    }
    out = ob_arena_alloc(p->a, n + 1);
    t->str = out;
    t->len = n;
    for (j = i + 1; s[j] != q; j++) {
        if (s[j] == '\\')
            j++;
        *out++ = s[j];
    }
    t->kind = T_STRING;
    t->end = j + 1;
}

/* A character that starts no token; typed-in habits get a hint. */
static void
lex_stray(struct parser *p, uint32_t i)
{
    const char *s = p->s;
    char c = s[i], n = i + 1 < p->len ? s[i + 1] : '\0';
    unsigned char u = (unsigned char)c;
    size_t k, len;
    unsigned long cp;

    p->tok.kind = T_BAD;
    if (c == '=' && n == '<')
        report(p, i, "'=<' is not an operator (did you mean '<='?)");
    else if (c == '=' && n == '>')
        report(p, i, "'=>' is not an operator (did you mean '>='?)");
    else if (c == '=')
        report(p, i, "'=' is not an operator (did you mean '=='?)");
    else if (c == '!')
        report(p, i, "'!' is not an operator (did you mean 'not' or '!='?)");
    else if (c == '&')
        report(p, i, "'%s' is not an operator (did you mean 'and'?)",
               n == '&' ? "&&" : "&");
    else if (c == '|')
        report(p, i, "'%s' is not an operator (did you mean 'or'?)",
               n == '|' ? "||" : "|");
    else if (u < 0x20 || u == 0x7f)
        report(p, i, "unexpected character U+%04X in expression", u);
    else if (u < 0x80)
        report(p, i, "unexpected '%c' in expression", c);
    else {
        len = ob_utf8_seq_len(u);
        if (len > p->len - i)
            len = p->len - i;
        cp = len == 2 ? u & 0x1f : len == 3 ? u & 0x0f : u & 0x07;
        for (k = 1; k < len; k++)
            cp = cp << 6 | ((unsigned char)s[i + k] & 0x3f);
        if (cp == 0x201c || cp == 0x201d || cp == 0x2018 || cp == 0x2019)
            report(p, i,
                   "unexpected '%.*s' (U+%04lX) in expression (quote "
                   "strings with \" or ')",
                   (int)len, s + i, cp);
        else
            report(p, i, "unexpected '%.*s' (U+%04lX) in expression", (int)len,
                   s + i, cp);
    }
}

static void
lex_operator(struct parser *p, uint32_t i)
{
    struct token *t = &p->tok;
    char c = p->s[i], n = i + 1 < p->len ? p->s[i + 1] : '\0';

    static const struct {
        char c;
        enum tok kind;
    } singles[] = {{'(', T_LPAREN},   {')', T_RPAREN}, {'[', T_LBRACKET},
                   {']', T_RBRACKET}, {',', T_COMMA},  {'+', T_PLUS},
                   {'-', T_MINUS},    {'*', T_STAR},   {'/', T_SLASH}};
    size_t k;

    t->end = i + 1;
    for (k = 0; k < sizeof(singles) / sizeof(singles[0]); k++) {
        if (c == singles[k].c) {
            t->kind = singles[k].kind;
            return;
        }
    }
    switch (c) {
    case '<':
        if (n == '>') {
            report(p, i, "'<>' is not an operator (did you mean '!='?)");
            t->kind = T_BAD;
            return;
        }
        t->kind = n == '=' ? T_LE : T_LT;
        break;
    case '>':
        t->kind = n == '=' ? T_GE : T_GT;
        break;
    case '=':
    case '!':
        if (n != '=') {
            lex_stray(p, i);
            return;
        }
        t->kind = c == '=' ? T_EQ : T_NE;
        break;
    default:
        lex_stray(p, i);
        return;
    }
    if (n == '=')
        t->end = i + 2;
}

/* Reads the next token into p->tok. */
static void
next(struct parser *p)
{
    struct token *t = &p->tok;
    uint32_t i = p->i;
    char c;

    while (i < p->len && (is_white(p->s[i]) || is_break(p->s[i])))
        i++;
    memset(t, 0, sizeof(*t));
    t->start = t->end = i;
    if (i >= p->len) {
        t->kind = T_END;
    } else {
        c = p->s[i];
        if (is_digit(c))
            lex_number(p, i);
        else if (c == '"' || c == '\'')
            lex_string(p, i);
        else if (is_name_start(c))
            lex_name(p, i);
        else
            lex_operator(p, i);
    }
    if (t->kind == T_BAD)
        t->end = i;
    p->i = t->end;
}

/* ---- Parser ---------------------------------------------------------- */

static const struct part no_part = {NULL, 0, 0, 0};

static struct ob_expr *
new_node(struct parser *p, enum ob_expr_kind kind, uint32_t start, uint32_t end,
         size_t n_args)
{
    struct ob_expr *e = ob_arena_alloc(p->a, sizeof(*e));

    e->kind = kind;
    e->offset = start;
    e->length = end - start;
    e->column = -1;
    if (n_args) {
        e->args = ob_arena_calloc(p->a, n_args, sizeof(*e->args));
        e->n_args = n_args;
    }
    return e;
}

/* "'x'" for a token, "end of expression" at the end. */
static void
unexpected(struct parser *p, const char *hint)
{
    const struct token *t = &p->tok;
    struct shown sh;

    if (t->kind == T_BAD)
        return;
    if (t->kind == T_END) {
        report(p, t->start, "unexpected end of expression%s", hint);
        return;
    }
    sh = show(p->s + t->start, t->end - t->start);
    report(p, t->start, "unexpected '%.*s%s' in expression%s", sh.len, sh.ptr,
           sh.more, hint);
}

/* AND, Or, NOT... spelled in capitals: a name, but surely meant as the
 * keyword. Returns the keyword, or NULL. */
static const char *
capital_keyword(const struct token *t)
{
    size_t k, i;

    if (t->kind != T_NAME)
        return NULL;
    for (k = 0; k < sizeof(keywords) / sizeof(keywords[0]); k++) {
        const char *w = keywords[k].word;

        if (strlen(w) != t->len)
            continue;
        for (i = 0; i < t->len; i++)
            if ((t->str[i] | 0x20) != w[i])
                break;
        if (i == t->len)
            return w;
    }
    return NULL;
}

/* Where a closing bracket or the end was expected. */
static void
expected_close(struct parser *p, const char *what)
{
    const char *kw = capital_keyword(&p->tok);
    struct shown sh;

    if (p->tok.kind == T_BAD)
        return;
    if (kw) {
        sh = show(p->s + p->tok.start, p->tok.end - p->tok.start);
        report(p, p->tok.start,
               "unexpected '%.*s' in expression (keywords are lowercase: "
               "'%s')",
               sh.len, sh.ptr, kw);
        return;
    }
    report(p, p->tok.start, "%s", what);
}

/* Parentheses, `not`, unary minus and calls recurse: bounded here. */
static bool
enter(struct parser *p)
{
    if (++p->nesting <= OB_EXPR_MAX_NESTING)
        return true;
    report(p, p->tok.start,
           "expression nested too deeply (more than %d levels)",
           OB_EXPR_MAX_NESTING);
    return false;
}

/* A chain such as 1 + 1 + ... deepens the tree without nesting. */
static bool
deep_enough(struct parser *p, struct part *r, unsigned depth)
{
    r->depth = depth;
    if (depth <= OB_EXPR_MAX_DEPTH)
        return true;
    report(p, r->start,
           "expression too complex (more than %d nested operations)",
           OB_EXPR_MAX_DEPTH);
    return false;
}

static struct part
binary(struct parser *p, enum ob_expr_kind kind, struct part l, struct part r)
{
    struct part out = {NULL, l.start, r.end, 0};

    if (!deep_enough(p, &out, 1 + (l.depth > r.depth ? l.depth : r.depth)))
        return no_part;
    out.e = new_node(p, kind, l.start, r.end, 2);
    out.e->args[0] = l.e;
    out.e->args[1] = r.e;
    return out;
}

static struct part parse_or(struct parser *p);

/* A literal from the current token, or NULL when it is none. */
static struct ob_expr *
literal(struct parser *p)
{
    const struct token *t = &p->tok;
    struct ob_expr *e;

    switch (t->kind) {
    case T_NUMBER:
        e = new_node(p, OB_EXPR_NUMBER, t->start, t->end, 0);
        e->num = t->num;
        return e;
    case T_STRING:
        e = new_node(p, OB_EXPR_STRING, t->start, t->end, 0);
        e->str = t->str;
        e->len = t->len;
        return e;
    case T_DATE:
        e = new_node(p, OB_EXPR_DATE, t->start, t->end, 0);
        e->date = t->date;
        return e;
    case T_TRUE:
    case T_FALSE:
        e = new_node(p, OB_EXPR_BOOL, t->start, t->end, 0);
        e->b = t->kind == T_TRUE;
        return e;
    default:
        return NULL;
    }
}

/* name(args): the name token is behind, the cursor on '('. */
static struct part
parse_call(struct parser *p, struct token name)
{
    struct part out = {NULL, name.start, 0, 0}, arg;
    struct ob_expr **args = NULL;
    size_t n = 0, cap = 0;
    unsigned depth = 0;

    struct shown sh = show(name.str, name.len);
    char what[128];

    if (!enter(p))
        return no_part;
    next(p);
    while (p->tok.kind != T_RPAREN && !p->failed) {
        arg = parse_or(p);
        if (!arg.e)
            break;
        OB_GROW(args, n + 1, cap);
        args[n++] = arg.e;
        if (arg.depth > depth)
            depth = arg.depth;
        if (p->tok.kind == T_COMMA) {
            next(p);
            if (p->tok.kind == T_RPAREN)
                unexpected(p, " (expected a value)");
        } else if (p->tok.kind != T_RPAREN) {
            snprintf(what, sizeof(what),
                     "expected ')' to close the call to '%.*s%s'", sh.len,
                     sh.ptr, sh.more);
            expected_close(p, what);
        }
    }
    p->nesting--;
    if (!p->failed && deep_enough(p, &out, depth + 1)) {
        out.end = p->tok.end;
        out.e = new_node(p, OB_EXPR_CALL, name.start, out.end, n);
        out.e->str = name.str;
        out.e->len = name.len;
        if (n)
            memcpy(out.e->args, args, n * sizeof(*args));
        next(p);
    }
    free(args);
    return out;
}

static struct part
parse_paren(struct parser *p)
{
    uint32_t start = p->tok.start;
    struct part in;

    if (!enter(p))
        return no_part;
    next(p);
    in = parse_or(p);
    p->nesting--;
    if (!in.e)
        return no_part;
    if (p->tok.kind != T_RPAREN) {
        expected_close(p, "expected ')' to close the parenthesis");
        return no_part;
    }
    in.start = start;
    in.end = p->tok.end;
    next(p);
    return in;
}

static struct part
parse_primary(struct parser *p)
{
    struct part out = {NULL, p->tok.start, p->tok.end, 1};
    struct token name;

    if (p->failed)
        return no_part;
    out.e = literal(p);
    if (out.e) {
        next(p);
        return out;
    }
    if (p->tok.kind == T_LPAREN)
        return parse_paren(p);
    if (p->tok.kind != T_NAME) {
        unexpected(p, " (expected a value)");
        return no_part;
    }
    name = p->tok;
    next(p);
    if (p->tok.kind == T_LPAREN)
        return parse_call(p, name);
    out.e = new_node(p, OB_EXPR_NAME, name.start, name.end, 0);
    out.e->str = name.str;
    out.e->len = name.len;
    return out;
}

/* The operand of a prefix operator ('-' or 'not'), parsed by `self`
 * after the operator, one nesting level deeper. */
static struct part
prefix_operand(struct parser *p, struct part (*self)(struct parser *))
{
    struct part in;

    if (!enter(p))
        return no_part;
    next(p);
    in = self(p);
    p->nesting--;
    return in;
}

/* A prefix operator's node ('-' or 'not') over its operand. */
static struct part
prefix_node(struct parser *p, enum ob_expr_kind kind, uint32_t start,
            struct part in)
{
    struct part out;

    out.start = start;
    out.end = in.end;
    if (!deep_enough(p, &out, in.depth + 1))
        return no_part;
    out.e = new_node(p, kind, start, in.end, 1);
    out.e->args[0] = in.e;
    return out;
}

static struct part
parse_unary(struct parser *p)
{
    uint32_t start = p->tok.start;
    struct part in;

    if (p->tok.kind != T_MINUS)
        return parse_primary(p);
    in = prefix_operand(p, parse_unary);
    if (!in.e)
        return no_part;
    if (in.e->kind == OB_EXPR_NUMBER) {
        in.e->num = -in.e->num;
        in.e->offset = start;
        in.e->length = in.end - start;
        in.start = start;
        return in;
    }
    return prefix_node(p, OB_EXPR_NEG, start, in);
}

/* A left-associative level: operands parsed by `operand`, joined by the
 * tokens of `ops` (up to two, each with its node kind). */
struct level {
    struct part (*operand)(struct parser *p);
    enum tok tok[2];
    enum ob_expr_kind kind[2];
};

static struct part
parse_level(struct parser *p, const struct level *lv)
{
    struct part l = lv->operand(p), r;

    while (l.e && (p->tok.kind == lv->tok[0] || p->tok.kind == lv->tok[1])) {
        enum ob_expr_kind kind = lv->kind[p->tok.kind == lv->tok[0] ? 0 : 1];
        next(p);
        r = lv->operand(p);
        if (!r.e)
            return no_part;
        l = binary(p, kind, l, r);
    }
    return l;
}

static struct part
parse_product(struct parser *p)
{
    static const struct level lv = {
        parse_unary, {T_STAR, T_SLASH}, {OB_EXPR_MUL, OB_EXPR_DIV}};

    return parse_level(p, &lv);
}

static struct part
parse_sum(struct parser *p)
{
    static const struct level lv = {
        parse_product, {T_PLUS, T_MINUS}, {OB_EXPR_ADD, OB_EXPR_SUB}};

    return parse_level(p, &lv);
}

/* One item of an `in` list: a literal, a negative number included. */
static struct ob_expr *
list_item(struct parser *p)
{
    uint32_t start = p->tok.start;
    struct ob_expr *e;

    if (p->tok.kind == T_MINUS) {
        next(p);
        if (p->tok.kind != T_NUMBER) {
            unexpected(p, " (expected a number after '-')");
            return NULL;
        }
    }
    e = literal(p);
    if (!e) {
        unexpected(p, " (expected a string, number, date, true or false in "
                      "the list)");
        return NULL;
    }
    if (start != e->offset) {
        e->num = -e->num;
        e->length += e->offset - start;
        e->offset = start;
    }
    next(p);
    return e;
}

/* x in [a, b, ...]; the cursor on `in`. */
static struct part
parse_in(struct parser *p, struct part l)
{
    struct part out = {NULL, l.start, 0, 0};
    struct ob_expr **items = NULL, *item;
    size_t n = 0, cap = 0;

    next(p);
    if (p->tok.kind != T_LBRACKET) {
        expected_close(p, "expected '[' after 'in'");
        return no_part;
    }
    next(p);
    if (p->tok.kind == T_RBRACKET)
        report(p, p->tok.start, "empty list after 'in'");
    while (!p->failed) {
        item = list_item(p);
        if (!item)
            break;
        OB_GROW(items, n + 1, cap);
        items[n++] = item;
        if (p->tok.kind == T_COMMA)
            next(p);
        else if (p->tok.kind != T_RBRACKET)
            expected_close(p, "expected ']' to close the list");
        if (p->tok.kind == T_RBRACKET)
            break;
    }
    if (!p->failed && deep_enough(p, &out, l.depth + 1)) {
        out.end = p->tok.end;
        out.e = new_node(p, OB_EXPR_IN, l.start, out.end, n + 1);
        out.e->args[0] = l.e;
        memcpy(out.e->args + 1, items, n * sizeof(*items));
        next(p);
    }
    free(items);
    return out;
}

/* x is empty, x is not empty; the cursor on `is`. */
static struct part
parse_is(struct parser *p, struct part l)
{
    struct part out = {NULL, l.start, 0, 0};
    enum ob_expr_kind kind = OB_EXPR_IS_EMPTY;

    next(p);
    if (p->tok.kind == T_NOT) {
        kind = OB_EXPR_IS_NOT_EMPTY;
        next(p);
    }
    if (p->tok.kind != T_EMPTY) {
        expected_close(p, kind == OB_EXPR_IS_EMPTY
                              ? "expected 'empty' or 'not empty' after 'is'"
                              : "expected 'empty' after 'is not'");
        return no_part;
    }
    out.end = p->tok.end;
    if (!deep_enough(p, &out, l.depth + 1))
        return no_part;
    out.e = new_node(p, kind, l.start, out.end, 1);
    out.e->args[0] = l.e;
    next(p);
    return out;
}

static bool
is_comparison(enum tok t)
{
    return (t >= T_EQ && t <= T_GE) || t == T_IN || t == T_IS;
}

static struct part
parse_cmp(struct parser *p)
{
    static const enum ob_expr_kind kinds[] = {
        OB_EXPR_EQ, OB_EXPR_NE, OB_EXPR_LT, OB_EXPR_LE, OB_EXPR_GT, OB_EXPR_GE};
    struct part l = parse_sum(p), r;
    enum tok op = p->tok.kind;
    struct shown sh;

    if (!l.e || !is_comparison(op))
        return l;
    if (op == T_IN) {
        l = parse_in(p, l);
    } else if (op == T_IS) {
        l = parse_is(p, l);
    } else {
        next(p);
        r = parse_sum(p);
        if (!r.e)
            return no_part;
        l = binary(p, kinds[op - T_EQ], l, r);
    }
    if (l.e && is_comparison(p->tok.kind)) {
        sh = show(p->s + p->tok.start, p->tok.end - p->tok.start);
        report(p, p->tok.start,
               "unexpected '%.*s' in expression (comparisons do not chain: "
               "join them with 'and')",
               sh.len, sh.ptr);
        return no_part;
    }
    return l;
}

static struct part
parse_not(struct parser *p)
{
    uint32_t start = p->tok.start;
    struct part in;

    if (p->tok.kind != T_NOT)
        return parse_cmp(p);
    in = prefix_operand(p, parse_not);
    if (!in.e)
        return no_part;
    return prefix_node(p, OB_EXPR_NOT, start, in);
}

static struct part
parse_and(struct parser *p)
{
    static const struct level lv = {
        parse_not, {T_AND, T_AND}, {OB_EXPR_AND, OB_EXPR_AND}};

    return parse_level(p, &lv);
}

static struct part
parse_or(struct parser *p)
{
    static const struct level lv = {
        parse_and, {T_OR, T_OR}, {OB_EXPR_OR, OB_EXPR_OR}};

    return parse_level(p, &lv);
}

struct ob_expr *
ob_expr_parse(struct ob_arena *a, struct ob_diag *d,
              const struct ob_expr_src *src)
{
    struct parser p;
    struct part top;
    size_t len;

    if (!src || !src->text)
        return NULL;
    memset(&p, 0, sizeof(p));
    p.a = a;
    p.d = d;
    p.src = src;
    p.s = src->text;
    len = strlen(src->text);
    if (len > OB_EXPR_MAX_LEN) {
        report(&p, 0, "expression too long (more than %u bytes)",
               (unsigned)OB_EXPR_MAX_LEN);
        return NULL;
    }
    p.len = (uint32_t)len;
    next(&p);
    top = parse_or(&p);
    if (!top.e || p.failed)
        return NULL;
    if (p.tok.kind == T_RPAREN)
        report(&p, p.tok.start, "unexpected ')' in expression");
    else if (p.tok.kind != T_END && capital_keyword(&p.tok))
        expected_close(&p, "");
    else if (p.tok.kind != T_END)
        unexpected(&p, " (expected an operator such as 'and' or '==')");
    return p.failed ? NULL : top.e;
}

/* ---- Binding --------------------------------------------------------- */

struct binder {
    struct ob_diag *d;
    const struct ob_expr_src *src;
    const struct ob_table *t;
    const struct ob_tz *tz;
    bool ok;
};

static void berror(struct binder *b, uint32_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
berror(struct binder *b, uint32_t offset, const char *fmt, ...)
{
    struct ob_pos pos = ob_expr_pos(b->src, offset);
    va_list ap;

    va_start(ap, fmt);
    ob_diag_vreport(b->d, OB_SEV_ERROR, &pos, fmt, ap);
    va_end(ap);
    b->ok = false;
}

/* The text a node spans, for messages. */
static struct shown
node_text(const struct binder *b, const struct ob_expr *e)
{
    const char *s = b->src && b->src->text ? b->src->text : "";
    size_t len = strlen(s);

    if (e->offset > len)
        return show("", 0);
    return show(s + e->offset,
                e->length < len - e->offset ? e->length : len - e->offset);
}

static const char *
type_name(enum ob_expr_type t)
{
    switch (t) {
    case OB_TYPE_NUMBER:
        return "a number";
    case OB_TYPE_STRING:
        return "a string";
    case OB_TYPE_BOOL:
        return "a condition";
    case OB_TYPE_DATE:
        return "a date";
    case OB_TYPE_DATETIME:
        return "a datetime";
    default:
        return "unknown";
    }
}

static bool
is_time(enum ob_expr_type t)
{
    return t == OB_TYPE_DATE || t == OB_TYPE_DATETIME;
}

static bool
is_literal(const struct ob_expr *e)
{
    return e->kind <= OB_EXPR_BOOL;
}

static enum ob_expr_type
column_type(enum ob_column_type t)
{
    switch (t) {
    case OB_COL_STRING:
        return OB_TYPE_STRING;
    case OB_COL_BOOLEAN:
        return OB_TYPE_BOOL;
    case OB_COL_DATE:
        return OB_TYPE_DATE;
    case OB_COL_DATETIME:
        return OB_TYPE_DATETIME;
    default: /* number, integer, percent */
        return OB_TYPE_NUMBER;
    }
}

/* The instant a date begins; UTC when no zone is given. */
static int64_t
day_start(const struct ob_tz *tz, int32_t date)
{
    return tz ? ob_tz_day_start(tz, date) : (int64_t)date * OB_SECONDS_PER_DAY;
}

/*
 * Reads a DATE or STRING literal as a time to compare with `want`: a date
 * stays a date for OB_TYPE_DATE and becomes its day start for
 * OB_TYPE_DATETIME; OB_TYPE_UNKNOWN keeps a date a date and a datetime a
 * datetime (calls). False when the literal is no such time.
 */
static bool
as_time(struct binder *b, struct ob_expr *lit, enum ob_expr_type want)
{
    struct ob_datetime dt;
    int32_t day;

    if (lit->kind == OB_EXPR_DATE) {
        day = lit->date;
    } else if (lit->kind != OB_EXPR_STRING) {
        return false;
    } else if (!ob_date_parse(lit->str, lit->len, &day)) {
        if (want == OB_TYPE_DATE ||
            !ob_datetime_parse(lit->str, lit->len, &dt) || !dt.has_time)
            return false;
        lit->type = OB_TYPE_DATETIME;
        lit->instant = dt.has_offset || !b->tz
                           ? dt.seconds
                           : ob_tz_local_to_utc(b->tz, dt.seconds);
        lit->nanos = dt.nanos;
        return true;
    }
    lit->date = day;
    if (want == OB_TYPE_DATETIME) {
        lit->type = OB_TYPE_DATETIME;
        lit->instant = day_start(b->tz, day);
        lit->nanos = 0;
    } else {
        lit->type = OB_TYPE_DATE;
    }
    return true;
}

/* "'yesterday' is not a date", for a string standing for a time. */
static void
not_a_time(struct binder *b, const struct ob_expr *lit, enum ob_expr_type want)
{
    struct shown sh = show(lit->str, lit->len);

    berror(b, lit->offset, "'%.*s%s' is not a %s", sh.len, sh.ptr, sh.more,
           want == OB_TYPE_DATE ? "date (YYYY-MM-DD)"
                                : "date or datetime (YYYY-MM-DD[THH:MM:SS])");
}

static void bind(struct binder *b, struct ob_expr *e);
static void literal_value(const struct ob_expr *e, struct ob_value *out);

static void
bind_name(struct binder *b, struct ob_expr *e)
{
    const struct ob_table *t = b->t;
    const char *hint = NULL, **names;
    const char *source = t->src && t->src->name ? t->src->name : NULL;
    struct shown sh = show(e->str, e->len);
    size_t i;
    int col = ob_table_column(t, e->str);

    e->column = -1;
    if (col >= 0) {
        e->column = col;
        e->type = column_type(t->columns[col].type);
        return;
    }
    if (e->len <= MAX_SUGGEST && t->n_columns) {
        names = ob_xcalloc(t->n_columns, sizeof(*names));
        for (i = 0; i < t->n_columns; i++)
            names[i] = t->columns[i].name;
        hint = ob_suggest_n(e->str, names, t->n_columns);
        free(names);
    }
    berror(b, e->offset, "unknown column '%.*s%s'%s%s%s%s%s%s", sh.len, sh.ptr,
           sh.more, source ? " in source '" : "", source ? source : "",
           source ? "'" : "", hint ? " (did you mean '" : "", hint ? hint : "",
           hint ? "'?)" : "");
}

static void
bind_call(struct binder *b, struct ob_expr *e)
{
    struct shown sh = show(e->str, e->len);
    size_t i;
    bool ok = true;

    if (strcmp(e->str, "days_between") != 0 &&
        strcmp(e->str, "hours_between") != 0) {
        berror(b, e->offset,
               "unknown function '%.*s%s' (expected days_between or "
               "hours_between)",
               sh.len, sh.ptr, sh.more);
        return;
    }
    if (e->n_args != 2) {
        berror(b, e->offset,
               "'%s' takes two arguments (a start and an end), got %zu", e->str,
               e->n_args);
        return;
    }
    for (i = 0; i < 2; i++) {
        struct ob_expr *arg = e->args[i];

        bind(b, arg);
        if (arg->kind == OB_EXPR_STRING && !as_time(b, arg, OB_TYPE_UNKNOWN)) {
            not_a_time(b, arg, OB_TYPE_DATETIME);
            ok = false;
        } else if (arg->type != OB_TYPE_UNKNOWN && !is_time(arg->type)) {
            sh = node_text(b, arg);
            berror(b, arg->offset,
                   "'%.*s%s' is %s, not a date or datetime ('%s' needs "
                   "dates or datetimes)",
                   sh.len, sh.ptr, sh.more, type_name(arg->type), e->str);
            ok = false;
        } else if (arg->type == OB_TYPE_UNKNOWN) {
            ok = false;
        }
    }
    if (ok) {
        e->tz = b->tz;
        e->type = OB_TYPE_NUMBER;
    }
}

/* Checks an operand of `op`; false (reported unless already) if not `t`. */
static bool
need(struct binder *b, const struct ob_expr *arg, enum ob_expr_type t,
     const char *op)
{
    struct shown sh;

    if (arg->type == t)
        return true;
    if (arg->type == OB_TYPE_UNKNOWN)
        return false;
    sh = node_text(b, arg);
    if (t == OB_TYPE_BOOL)
        berror(b, arg->offset,
               "'%.*s%s' is %s, not a condition ('%s' needs conditions such "
               "as plan == \"pro\")",
               sh.len, sh.ptr, sh.more, type_name(arg->type), op);
    else
        berror(b, arg->offset,
               "'%.*s%s' is %s, not a number ('%s' needs "
               "numbers)",
               sh.len, sh.ptr, sh.more, type_name(arg->type), op);
    return false;
}

static const char *
op_name(enum ob_expr_kind k)
{
    static const char *const names[] = {
        [OB_EXPR_NEG] = "-",   [OB_EXPR_NOT] = "not", [OB_EXPR_ADD] = "+",
        [OB_EXPR_SUB] = "-",   [OB_EXPR_MUL] = "*",   [OB_EXPR_DIV] = "/",
        [OB_EXPR_EQ] = "==",   [OB_EXPR_NE] = "!=",   [OB_EXPR_LT] = "<",
        [OB_EXPR_LE] = "<=",   [OB_EXPR_GT] = ">",    [OB_EXPR_GE] = ">=",
        [OB_EXPR_AND] = "and", [OB_EXPR_OR] = "or",   [OB_EXPR_IN] = "in",
    };

    return (size_t)k < sizeof(names) / sizeof(names[0]) && names[k] ? names[k]
                                                                    : "?";
}

/* Where a binary operator stands: after its left operand, past blanks
 * and the parentheses closing it. */
static uint32_t
op_offset(const struct binder *b, const struct ob_expr *e)
{
    const char *s = b->src && b->src->text ? b->src->text : "";
    size_t len = strlen(s), i = (size_t)e->args[0]->offset + e->args[0]->length;

    while (i < len && (is_white(s[i]) || is_break(s[i]) || s[i] == ')'))
        i++;
    return i < len ? (uint32_t)i : e->offset;
}

/* A date or string literal facing a time is read as one; false (and
 * reported) when a string is none. */
static bool
coerce_time(struct binder *b, struct ob_expr *lit, enum ob_expr_type want)
{
    if (!is_literal(lit) || !is_time(want))
        return true;
    if (lit->kind == OB_EXPR_STRING && !as_time(b, lit, want)) {
        not_a_time(b, lit, want);
        return false;
    }
    if (lit->kind == OB_EXPR_DATE)
        as_time(b, lit, want);
    return true;
}

static void
bind_compare(struct binder *b, struct ob_expr *e)
{
    struct ob_expr *l = e->args[0], *r = e->args[1];
    struct shown ls, rs;

    bind(b, l);
    bind(b, r);
    if (l->type == OB_TYPE_UNKNOWN || r->type == OB_TYPE_UNKNOWN)
        return;
    if (is_time(l->type) && !is_literal(l) && !coerce_time(b, r, l->type))
        return;
    if (is_time(r->type) && !is_literal(r) && !coerce_time(b, l, r->type))
        return;
    if (l->type == OB_TYPE_BOOL && r->type == OB_TYPE_BOOL &&
        e->kind != OB_EXPR_EQ && e->kind != OB_EXPR_NE) {
        berror(b, op_offset(b, e),
               "'%s' does not apply to conditions (only == and != do)",
               op_name(e->kind));
        return;
    }
    if (l->type != r->type && !(is_time(l->type) && is_time(r->type))) {
        ls = node_text(b, l);
        rs = node_text(b, r);
        berror(b, op_offset(b, e),
               "cannot compare '%.*s%s' (%s) with "
               "'%.*s%s' (%s)",
               ls.len, ls.ptr, ls.more, type_name(l->type), rs.len, rs.ptr,
               rs.more, type_name(r->type));
        return;
    }
    e->tz = b->tz;
    e->type = OB_TYPE_BOOL;
}

static void
bind_in(struct binder *b, struct ob_expr *e)
{
    struct ob_expr *x = e->args[0];
    struct shown xs, is;
    size_t i;
    bool ok = true;

    bind(b, x);
    if (x->type == OB_TYPE_UNKNOWN)
        return;
    xs = node_text(b, x);
    for (i = 1; i < e->n_args; i++) {
        struct ob_expr *item = e->args[i];

        bind(b, item);
        if (is_time(x->type) && item->kind == OB_EXPR_STRING &&
            !as_time(b, item, x->type)) {
            not_a_time(b, item, x->type);
            ok = false;
            continue;
        }
        if (is_time(x->type) && item->kind == OB_EXPR_DATE)
            as_time(b, item, x->type);
        if (item->type != x->type) {
            is = node_text(b, item);
            berror(b, item->offset, "'%.*s%s' is %s, but '%.*s%s' is %s",
                   is.len, is.ptr, is.more, type_name(item->type), xs.len,
                   xs.ptr, xs.more, type_name(x->type));
            ok = false;
        }
    }
    if (ok)
        e->type = OB_TYPE_BOOL;
}

/* Literals keep their value ready once their types are settled, so that
 * evaluation reads it in place. */
static void
settle_literals(struct ob_expr *e)
{
    size_t i;

    if (is_literal(e))
        literal_value(e, &e->value);
    for (i = 0; i < e->n_args; i++)
        settle_literals(e->args[i]);
}

/* Types a tree bottom-up; a node whose operands failed stays unknown
 * without a message of its own, so one mistake gives one error. */
static void
bind(struct binder *b, struct ob_expr *e)
{
    size_t i;
    bool ok = true;

    e->type = OB_TYPE_UNKNOWN;
    switch (e->kind) {
    case OB_EXPR_NUMBER:
        e->type = OB_TYPE_NUMBER;
        break;
    case OB_EXPR_STRING:
        e->type = OB_TYPE_STRING;
        break;
    case OB_EXPR_DATE:
        e->type = OB_TYPE_DATE;
        break;
    case OB_EXPR_BOOL:
        e->type = OB_TYPE_BOOL;
        break;
    case OB_EXPR_NAME:
        bind_name(b, e);
        break;
    case OB_EXPR_CALL:
        bind_call(b, e);
        break;
    case OB_EXPR_NEG:
    case OB_EXPR_ADD:
    case OB_EXPR_SUB:
    case OB_EXPR_MUL:
    case OB_EXPR_DIV:
    case OB_EXPR_NOT:
    case OB_EXPR_AND:
    case OB_EXPR_OR: {
        enum ob_expr_type t = e->kind == OB_EXPR_NOT ||
                                      e->kind == OB_EXPR_AND ||
                                      e->kind == OB_EXPR_OR
                                  ? OB_TYPE_BOOL
                                  : OB_TYPE_NUMBER;

        for (i = 0; i < e->n_args; i++) {
            bind(b, e->args[i]);
            if (!need(b, e->args[i], t, op_name(e->kind)))
                ok = false;
        }
        if (ok)
            e->type = t;
        break;
    }
    case OB_EXPR_EQ:
    case OB_EXPR_NE:
    case OB_EXPR_LT:
    case OB_EXPR_LE:
    case OB_EXPR_GT:
    case OB_EXPR_GE:
        bind_compare(b, e);
        break;
    case OB_EXPR_IN:
        bind_in(b, e);
        break;
    case OB_EXPR_IS_EMPTY:
    case OB_EXPR_IS_NOT_EMPTY:
        bind(b, e->args[0]);
        if (e->args[0]->type != OB_TYPE_UNKNOWN)
            e->type = OB_TYPE_BOOL;
        break;
    }
}

bool
ob_expr_bind_row(struct ob_expr *e, struct ob_diag *d,
                 const struct ob_expr_src *src, const struct ob_table *t,
                 const struct ob_tz *tz, enum ob_expr_type want)
{
    struct binder b = {d, src, t, tz, true};
    struct shown sh;

    bind(&b, e);
    settle_literals(e);
    if (!b.ok || e->type == OB_TYPE_UNKNOWN) {
        b.ok = false;
        return false;
    }
    if (want == OB_TYPE_UNKNOWN || e->type == want)
        return true;
    sh = node_text(&b, e);
    if (want == OB_TYPE_BOOL && src && src->key &&
        strcmp(src->key, "where") == 0)
        berror(&b, e->offset,
               "'where' must be a condition such as plan == \"pro\", got %s "
               "('%.*s%s')",
               type_name(e->type), sh.len, sh.ptr, sh.more);
    else if (want == OB_TYPE_BOOL)
        berror(&b, e->offset,
               "expected a condition such as plan == \"pro\", got %s "
               "('%.*s%s')",
               type_name(e->type), sh.len, sh.ptr, sh.more);
    else
        berror(&b, e->offset, "expected %s, got %s ('%.*s%s')", type_name(want),
               type_name(e->type), sh.len, sh.ptr, sh.more);
    return false;
}

void
ob_expr_columns(const struct ob_expr *e, bool *used)
{
    size_t i;

    if (e->kind == OB_EXPR_NAME && e->column >= 0)
        used[e->column] = true;
    for (i = 0; i < e->n_args; i++)
        ob_expr_columns(e->args[i], used);
}

/* ---- Evaluation ------------------------------------------------------ */

/*
 * The hot path: a where runs on every row. Column cells are read in place,
 * literals are made on the stack, nothing is allocated, strings carry
 * their lengths. Values whose type does not fit the node (a column the
 * caller left unconverted) give unknown rather than reading the wrong
 * member of the union.
 */

static void eval(const struct ob_expr *e, const struct ob_value *row,
                 struct ob_value *out);

static void
literal_value(const struct ob_expr *e, struct ob_value *out)
{
    switch (e->type) {
    case OB_TYPE_NUMBER:
        out->type = OB_VAL_NUMBER;
        out->u.num = e->num;
        break;
    case OB_TYPE_STRING:
        out->type = OB_VAL_STRING;
        out->u.str.ptr = e->str;
        out->u.str.len = e->len;
        break;
    case OB_TYPE_DATE:
        out->type = OB_VAL_DATE;
        out->u.date = e->date;
        break;
    case OB_TYPE_DATETIME:
        out->type = OB_VAL_DATETIME;
        out->u.dt.seconds = e->instant;
        out->u.dt.nanos = e->nanos;
        break;
    case OB_TYPE_BOOL:
        out->type = OB_VAL_BOOL;
        out->u.b = e->b;
        break;
    default:
        out->type = OB_VAL_EMPTY;
        break;
    }
}

/* An operand's value: a column's cell is not copied. */
static inline const struct ob_value *
operand(const struct ob_expr *e, const struct ob_value *row,
        struct ob_value *tmp)
{
    if (e->kind == OB_EXPR_NAME && e->column >= 0)
        return &row[e->column];
    if (is_literal(e))
        return &e->value;
    eval(e, row, tmp);
    return tmp;
}

static bool
time_value(const struct ob_value *v)
{
    return v->type == OB_VAL_DATE || v->type == OB_VAL_DATETIME;
}

/* A date or datetime as (seconds, nanos); a date is its day start. */
static void
instant_of(const struct ob_value *v, const struct ob_tz *tz, int64_t *s,
           int32_t *ns)
{
    if (v->type == OB_VAL_DATE) {
        *s = day_start(tz, v->u.date);
        *ns = 0;
    } else {
        *s = v->u.dt.seconds;
        *ns = v->u.dt.nanos;
    }
}

#define CMP(a, b) (((a) > (b)) - ((a) < (b)))

/*
 * Orders two values: -1, 0 or 1, or 2 when they do not compare (an empty
 * cell, or types that differ other than a date and a datetime). Equality
 * of strings skips the byte comparison when the lengths differ.
 */
#define NO_ORDER 2

static int
order(const struct ob_value *a, const struct ob_value *b,
      const struct ob_tz *tz, bool eq_only)
{
    int64_t sa, sb;
    int32_t na, nb;
    size_t n;
    int c;

    if (a->type != b->type) {
        if (!time_value(a) || !time_value(b))
            return NO_ORDER;
        instant_of(a, tz, &sa, &na);
        instant_of(b, tz, &sb, &nb);
        return sa != sb ? CMP(sa, sb) : CMP(na, nb);
    }
    switch (a->type) {
    case OB_VAL_NUMBER:
        return CMP(a->u.num, b->u.num);
    case OB_VAL_STRING:
        if (eq_only && a->u.str.len != b->u.str.len)
            return 1;
        n = a->u.str.len < b->u.str.len ? a->u.str.len : b->u.str.len;
        c = n ? memcmp(a->u.str.ptr, b->u.str.ptr, n) : 0;
        return c ? CMP(c, 0) : CMP(a->u.str.len, b->u.str.len);
    case OB_VAL_DATE:
        return CMP(a->u.date, b->u.date);
    case OB_VAL_DATETIME:
        return a->u.dt.seconds != b->u.dt.seconds
                   ? CMP(a->u.dt.seconds, b->u.dt.seconds)
                   : CMP(a->u.dt.nanos, b->u.dt.nanos);
    case OB_VAL_BOOL:
        return CMP(a->u.b, b->u.b);
    default:
        return NO_ORDER;
    }
}

/* The outcome of each comparison (rows: ==, !=, <, <=, >, >=) for an
 * order of -1, 0, 1 or NO_ORDER. */
static const unsigned char outcome[6][4] = {
    {OB_FALSE, OB_TRUE, OB_FALSE, OB_UNKNOWN},
    {OB_TRUE, OB_FALSE, OB_TRUE, OB_UNKNOWN},
    {OB_TRUE, OB_FALSE, OB_FALSE, OB_UNKNOWN},
    {OB_TRUE, OB_TRUE, OB_FALSE, OB_UNKNOWN},
    {OB_FALSE, OB_FALSE, OB_TRUE, OB_UNKNOWN},
    {OB_FALSE, OB_TRUE, OB_TRUE, OB_UNKNOWN},
};

static enum ob_tri
compare(const struct ob_expr *e, const struct ob_value *row)
{
    struct ob_value ta, tb;
    const struct ob_value *a = operand(e->args[0], row, &ta);
    const struct ob_value *b = operand(e->args[1], row, &tb);
    int c = order(a, b, e->tz, e->kind == OB_EXPR_EQ || e->kind == OB_EXPR_NE);

    return (enum ob_tri)outcome[e->kind - OB_EXPR_EQ][c + 1];
}

static enum ob_tri
in_list(const struct ob_expr *e, const struct ob_value *row)
{
    struct ob_value tx;
    const struct ob_value *x = operand(e->args[0], row, &tx);
    size_t i;

    if (x->type == OB_VAL_EMPTY)
        return OB_UNKNOWN;
    for (i = 1; i < e->n_args; i++)
        if (order(x, &e->args[i]->value, e->tz, true) == 0)
            return OB_TRUE;
    return OB_FALSE;
}

static enum ob_tri
test(const struct ob_expr *e, const struct ob_value *row)
{
    struct ob_value tmp;
    const struct ob_value *v;
    enum ob_tri l, r;

    switch (e->kind) {
    case OB_EXPR_AND:
        l = test(e->args[0], row);
        if (l == OB_FALSE)
            return OB_FALSE;
        r = test(e->args[1], row);
        if (r == OB_FALSE)
            return OB_FALSE;
        return l == OB_TRUE && r == OB_TRUE ? OB_TRUE : OB_UNKNOWN;
    case OB_EXPR_OR:
        l = test(e->args[0], row);
        if (l == OB_TRUE)
            return OB_TRUE;
        r = test(e->args[1], row);
        if (r == OB_TRUE)
            return OB_TRUE;
        return l == OB_FALSE && r == OB_FALSE ? OB_FALSE : OB_UNKNOWN;
    case OB_EXPR_NOT:
        l = test(e->args[0], row);
        return l == OB_UNKNOWN ? OB_UNKNOWN : l == OB_TRUE ? OB_FALSE : OB_TRUE;
    case OB_EXPR_EQ:
    case OB_EXPR_NE:
    case OB_EXPR_LT:
    case OB_EXPR_LE:
    case OB_EXPR_GT:
    case OB_EXPR_GE:
        return compare(e, row);
    case OB_EXPR_IN:
        return in_list(e, row);
    case OB_EXPR_IS_EMPTY:
        v = operand(e->args[0], row, &tmp);
        return v->type == OB_VAL_EMPTY ? OB_TRUE : OB_FALSE;
    case OB_EXPR_IS_NOT_EMPTY:
        v = operand(e->args[0], row, &tmp);
        return v->type == OB_VAL_EMPTY ? OB_FALSE : OB_TRUE;
    default: /* a boolean column or literal; anything else is none */
        v = operand(e, row, &tmp);
        if (v->type != OB_VAL_BOOL)
            return OB_UNKNOWN;
        return v->u.b ? OB_TRUE : OB_FALSE;
    }
}

/* days_between and hours_between: b - a. Two dates are whole calendar
 * days apart (a DST change does not make a day 23/24 of one); otherwise
 * the elapsed time between instants. */
static void
between(const struct ob_expr *e, const struct ob_value *row,
        struct ob_value *out)
{
    struct ob_value ta, tb;
    const struct ob_value *a = operand(e->args[0], row, &ta);
    const struct ob_value *b = operand(e->args[1], row, &tb);
    bool days = e->str[0] == 'd'; /* binding admits only the two names */
    int64_t sa, sb;
    int32_t na, nb;
    double diff;

    out->type = OB_VAL_EMPTY;
    if (!time_value(a) || !time_value(b))
        return;
    if (days && a->type == OB_VAL_DATE && b->type == OB_VAL_DATE) {
        out->type = OB_VAL_NUMBER;
        out->u.num = (double)b->u.date - (double)a->u.date;
        return;
    }
    instant_of(a, e->tz, &sa, &na);
    instant_of(b, e->tz, &sb, &nb);
    diff = (double)(sb - sa) + (double)(nb - na) / 1e9;
    out->type = OB_VAL_NUMBER;
    out->u.num = diff / (days ? OB_SECONDS_PER_DAY : 3600.0);
}

static void
arithmetic(const struct ob_expr *e, const struct ob_value *row,
           struct ob_value *out)
{
    struct ob_value ta, tb;
    const struct ob_value *a = operand(e->args[0], row, &ta);
    const struct ob_value *b = operand(e->args[1], row, &tb);
    double x, y, r;

    out->type = OB_VAL_EMPTY;
    if (a->type != OB_VAL_NUMBER || b->type != OB_VAL_NUMBER)
        return;
    x = a->u.num;
    y = b->u.num;
    switch (e->kind) {
    case OB_EXPR_ADD:
        r = x + y;
        break;
    case OB_EXPR_SUB:
        r = x - y;
        break;
    case OB_EXPR_MUL:
        r = x * y;
        break;
    default:
        if (y == 0)
            return;
        r = x / y;
        break;
    }
    /* An overflow gives no value, like a division by zero: never inf. */
    if (!isfinite(r))
        return;
    out->u.num = r;
    out->type = OB_VAL_NUMBER;
}

static void
eval(const struct ob_expr *e, const struct ob_value *row, struct ob_value *out)
{
    struct ob_value tmp;
    const struct ob_value *v;
    enum ob_tri t;

    switch (e->kind) {
    case OB_EXPR_NAME:
        if (e->column >= 0)
            *out = row[e->column];
        else
            out->type = OB_VAL_EMPTY;
        return;
    case OB_EXPR_NUMBER:
    case OB_EXPR_STRING:
    case OB_EXPR_DATE:
    case OB_EXPR_BOOL:
        *out = e->value;
        return;
    case OB_EXPR_ADD:
    case OB_EXPR_SUB:
    case OB_EXPR_MUL:
    case OB_EXPR_DIV:
        arithmetic(e, row, out);
        return;
    case OB_EXPR_NEG:
        v = operand(e->args[0], row, &tmp);
        if (v->type != OB_VAL_NUMBER) {
            out->type = OB_VAL_EMPTY;
            return;
        }
        out->type = OB_VAL_NUMBER;
        out->u.num = -v->u.num;
        return;
    case OB_EXPR_CALL:
        between(e, row, out);
        return;
    default: /* conditions */
        t = test(e, row);
        if (t == OB_UNKNOWN) {
            out->type = OB_VAL_EMPTY;
            return;
        }
        out->type = OB_VAL_BOOL;
        out->u.b = t == OB_TRUE;
        return;
    }
}

enum ob_tri
ob_expr_test(const struct ob_expr *e, const struct ob_value *row)
{
    return test(e, row);
}

void
ob_expr_eval(const struct ob_expr *e, const struct ob_value *row,
             struct ob_value *out)
{
    eval(e, row, out);
}
