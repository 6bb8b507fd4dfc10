/* yaml.h: YAML documents as trees whose every node knows its position. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_YAML_H
#define OPSBOOK_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsbook/arena.h"
#include "opsbook/diag.h"

enum ob_yaml_kind { OB_YAML_SCALAR, OB_YAML_SEQ, OB_YAML_MAP };

/** How a scalar is written: the rules that turned its source into `str`. */
enum ob_yaml_style {
    OB_YAML_PLAIN,   /* also collections and nodes made up by the loader */
    OB_YAML_SINGLE,  /* 'text' */
    OB_YAML_DOUBLE,  /* "text" */
    OB_YAML_LITERAL, /* | */
    OB_YAML_FOLDED   /* > */
};

struct ob_yaml_pair {
    struct ob_yaml_node *key, *value;
};

/**
 * A node of a loaded document. Scalars keep their text exactly as written
 * (after YAML's own unescaping); `quoted` is set for quoted and block
 * scalars, which are always strings (never null, booleans or numbers).
 * An alias points at its anchor's node: the tree is a DAG, never copied.
 *
 * A scalar also knows its source: text[src_offset..src_offset + src_len)
 * of the text given to ob_yaml_parse() is the scalar as written, from
 * `pos` (its tag or anchor, when it has one, then its quote or block
 * indicator) to its end, so a parser of the value (expressions) can map
 * each byte of `str` back to its character in the file. src_len 0: not
 * known (collections, empty scalars, offsets past 4 GiB). The small fields
 * fill padding: data files hold millions of nodes.
 */
struct ob_yaml_node {
    enum ob_yaml_kind kind;
    uint32_t src_offset; /* scalars: first byte of the source */
    struct ob_pos pos;
    bool quoted;
    unsigned char style; /* enum ob_yaml_style */
    uint32_t src_len;    /* scalars: bytes of the source; 0: unknown */
    const char *str;     /* scalars: NUL-terminated text */
    size_t len;
    size_t n;                    /* items of a sequence, pairs of a map */
    struct ob_yaml_node **items; /* sequence */
    struct ob_yaml_pair *pairs;  /* mapping, in document order */
    size_t weight;               /* nodes in this subtree, aliases expanded */
};

/** Bounds that make hostile input fail cleanly instead of hanging. */
struct ob_yaml_limits {
    size_t max_depth; /* nesting of sequences and mappings */
    size_t max_nodes; /* nodes after expanding aliases (billion laughs) */
    size_t max_bytes; /* input size */
};

/** The limits used by opsbook's own files: depth 64, 1M nodes, 64 MiB. */
extern const struct ob_yaml_limits ob_yaml_default_limits;

/**
 * Parses text[0..len) holding at most one YAML document. Positions are
 * reported as `path`, line `first_line` + the document's line (so front
 * matter keeps the .md file's numbering), 1-based character column.
 * Problems (syntax, invalid UTF-8, duplicate keys, a second document, limits
 * exceeded, unknown anchors) go to `d` with their position and NULL is
 * returned. An empty document gives a plain empty scalar (null). Nodes and
 * strings live in `a`.
 */
struct ob_yaml_node *ob_yaml_parse(struct ob_arena *a, struct ob_diag *d,
                                   const char *path, const char *text,
                                   size_t len, uint32_t first_line,
                                   const struct ob_yaml_limits *limits);

/** The name of a node's kind for messages: "a string", "a list", ... */
const char *ob_yaml_kind_name(const struct ob_yaml_node *n);

/** True for a plain scalar "", "~", "null", "Null" or "NULL". */
bool ob_yaml_is_null(const struct ob_yaml_node *n);

/** The value of `key` in a mapping, or NULL (also when `map` is no map). */
const struct ob_yaml_node *ob_yaml_get(const struct ob_yaml_node *map,
                                       const char *key);

/*
 * Typed accessors. Each returns true and stores the value, or reports at
 * the node, e.g. "expected a date (YYYY-MM-DD), got 'next week'", and
 * returns false leaving *out unchanged. With `d` NULL nothing is reported:
 * a way to ask whether a node has the type.
 */
bool ob_yaml_str(struct ob_diag *d, const struct ob_yaml_node *n,
                 const char **out);
/** true/false in YAML 1.2 core spellings (true, True, TRUE, ...). */
bool ob_yaml_bool(struct ob_diag *d, const struct ob_yaml_node *n, bool *out);
/** An integer (decimal, optional sign) within [min, max]. */
bool ob_yaml_int(struct ob_diag *d, const struct ob_yaml_node *n, long long min,
                 long long max, long long *out);
/** A finite number: integer or decimal, optional exponent. */
bool ob_yaml_number(struct ob_diag *d, const struct ob_yaml_node *n,
                    double *out);
/** A calendar date YYYY-MM-DD, as days since 1970-01-01. */
bool ob_yaml_date(struct ob_diag *d, const struct ob_yaml_node *n,
                  int32_t *out);
/** A duration such as 10s, 90m, 2h, 14d, 1w or 1h30m, in seconds. */
bool ob_yaml_duration(struct ob_diag *d, const struct ob_yaml_node *n,
                      int64_t *out);
/** Expects a mapping (reports "expected a mapping, got ..." otherwise). */
bool ob_yaml_expect_map(struct ob_diag *d, const struct ob_yaml_node *n);
/** Expects a sequence. */
bool ob_yaml_expect_seq(struct ob_diag *d, const struct ob_yaml_node *n);

#endif
