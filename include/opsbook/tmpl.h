/* tmpl.h: Mustache templates (the spec without lambdas) and their values. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_TMPL_H
#define OPSBOOK_TMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsbook/arena.h"
#include "opsbook/buf.h"
#include "opsbook/diag.h"
#include "opsbook/yaml.h"

/*
 * The data a template renders: a tree of values built by code (page
 * contexts) or converted from YAML. Values live in an arena and are
 * read-only while templates render, so any number of threads may render
 * the same values at once.
 */

enum ob_tval_type {
    OB_TV_NULL,
    OB_TV_BOOL,
    OB_TV_NUMBER,
    OB_TV_STRING,
    OB_TV_LIST,
    OB_TV_MAP
};

/**
 * A value. Read the fields freely; change them only through the functions
 * below. Strings are NUL-terminated and may hold NUL bytes (`len` counts).
 * Map keys are copies, NUL-terminated, in insertion order; `hashes` speeds
 * up lookups (see ob_tval_get()).
 */
struct ob_tval {
    enum ob_tval_type type;
    union {
        bool b;
        double num;
        struct ob_str str;
        struct {
            struct ob_tval **items;
            size_t n, cap;
        } list;
        struct {
            struct ob_str *keys;
            struct ob_tval **values;
            uint32_t *hashes;
            size_t n, cap;
        } map;
    } u;
};

/*
 * Constructors. Each returns a new value in `a`; none returns NULL (the
 * arena exits when memory runs out).
 */
struct ob_tval *ob_tval_null(struct ob_arena *a);
struct ob_tval *ob_tval_bool(struct ob_arena *a, bool b);
struct ob_tval *ob_tval_num(struct ob_arena *a, double v);
/** Copies `s` into the arena. */
struct ob_tval *ob_tval_str(struct ob_arena *a, const char *s);
/** Copies s[0..len) into the arena, adding a NUL. */
struct ob_tval *ob_tval_strn(struct ob_arena *a, const char *s, size_t len);
/** Borrows `s` (no copy): it must stay unchanged as long as the value. */
struct ob_tval *ob_tval_str_ref(struct ob_arena *a, const char *s);
/** An empty list. */
struct ob_tval *ob_tval_list(struct ob_arena *a);
/** An empty map. */
struct ob_tval *ob_tval_map(struct ob_arena *a);

/**
 * Appends `v` to `list` (which must be a list; `a` must be the arena it
 * was made in). Amortised O(1): the array doubles when full.
 */
void ob_tval_push(struct ob_arena *a, struct ob_tval *list, struct ob_tval *v);

/**
 * Sets `key` (copied) to `v` in `map`, replacing the value of an existing
 * key in place (its position stays). Adding is amortised O(1) plus the
 * check for an existing key, linear in the map's size: maps are small.
 */
void ob_tval_set(struct ob_arena *a, struct ob_tval *map, const char *key,
                 struct ob_tval *v);

/** The value of `key` in `map`, or NULL when absent or `map` is no map. */
const struct ob_tval *ob_tval_get(const struct ob_tval *map, const char *key);

/**
 * Converts a YAML tree into values in `a`. Plain scalars are typed as YAML
 * 1.2's core schema types them: null, ~ and empty are null; true/false (also
 * True, TRUE...) are booleans; integers and decimals (with an optional
 * exponent, finite) are numbers; anything else is a string. Quoted and block
 * scalars are always strings. Map keys that are not scalars are left out.
 * NULL gives NULL. Strings are copied, so the YAML arena may go first.
 */
struct ob_tval *ob_tval_from_yaml(struct ob_arena *a,
                                  const struct ob_yaml_node *n);

/*
 * Templates follow the Mustache spec (https://github.com/mustache/spec)
 * except lambdas: variables ({{x}} escaped with ob_buf_add_html(), {{{x}}}
 * and {{&x}} raw), dotted names, sections, inverted sections, comments,
 * partials (with standalone indentation) and set delimiters. A template is
 * parsed once into an instruction list; rendering never rescans its text.
 *
 * Where the spec leaves the choice open: a section is skipped (and an
 * inverted section shown) for a missing value, null, false, 0, NaN, "" and
 * the empty list, as JavaScript's `!!value` has it; an empty map counts as
 * true. Numbers print as the shortest text that reads back as the same
 * double (85, 1.21, 1e+21); booleans as true and false; lists and maps as
 * nothing.
 */

/** Nesting bound: sections inside sections and partials inside partials. */
#define OB_TMPL_MAX_DEPTH 100

/**
 * Work bound for one ob_tmpl_render() call, in instructions run. Sections
 * nested over lists multiply (a list of 10 ten levels deep runs its body
 * 10^10 times) even when they print nothing, so output size alone does not
 * bound the time. Real pages run far fewer (a 10,000-row table with 20
 * tags a row is about 400,000).
 */
#define OB_TMPL_MAX_STEPS 50000000u

/** A parsed template: immutable after parsing, shareable between threads. */
struct ob_tmpl;

/**
 * Parses text[0..len) (copied: the text may go after the call). `name`
 * names the template in diagnostics ("layouts/page.html") and is borrowed:
 * it must outlive the template and `d`. Text that is not valid UTF-8 or
 * a syntax error (an unclosed tag, an unclosed or mismatched section, a
 * bad set-delimiter tag, an empty tag) is reported to `d` (may be NULL)
 * at name:line:col (1-based, columns in characters; for bad text, its
 * first bad byte) and NULL returned; parsing stops at the first error.
 * Free the result with ob_tmpl_free().
 */
struct ob_tmpl *ob_tmpl_parse(const char *name, const char *text, size_t len,
                              struct ob_diag *d);

/** Frees a template; NULL does nothing. */
void ob_tmpl_free(struct ob_tmpl *t);

/** The `name` given to ob_tmpl_parse(). */
const char *ob_tmpl_name(const struct ob_tmpl *t);

/**
 * Finds the partial `name` ({{> name}}, spaces trimmed) for a render, so
 * the caller decides where partials come from (built-in layouts, the
 * site's layouts/ folder). Returns a parsed template the caller owns and
 * keeps alive during the render, or NULL, which renders as nothing (as the
 * spec says). Called from the rendering thread; it must be thread-safe if
 * several threads render at once.
 */
typedef const struct ob_tmpl *(*ob_tmpl_partial_fn)(void *ctx,
                                                    const char *name);

/**
 * Renders `t` against `ctx` (NULL: no data) and appends the result to
 * `out`. `partial` may be NULL (every partial is then empty). Returns true
 * when done, false only when rendering was cut off: nesting deeper than
 * OB_TMPL_MAX_DEPTH (say a partial including itself with no end), more
 * than OB_TMPL_MAX_STEPS instructions, or output beyond out->max. The
 * reason goes to `d` (may be NULL) at the template and tag concerned;
 * `out` then holds the output up to that point. Templates and values are
 * only read, so threads may render them at once (each with its own `out`
 * and `d`).
 */
bool ob_tmpl_render(const struct ob_tmpl *t, const struct ob_tval *ctx,
                    ob_tmpl_partial_fn partial, void *partial_ctx,
                    struct ob_buf *out, struct ob_diag *d);

#endif
