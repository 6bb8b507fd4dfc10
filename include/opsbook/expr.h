/* expr.h: the expression language of `where`, measures and formulas. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_EXPR_H
#define OPSBOOK_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsbook/arena.h"
#include "opsbook/config.h"
#include "opsbook/diag.h"
#include "opsbook/table.h"
#include "opsbook/tz.h"
#include "opsbook/value.h"

/*
 * One grammar serves all three uses; what a name or a call means is decided
 * by whoever binds the tree:
 *
 *   or      := and ("or" and)*
 *   and     := not ("and" not)*
 *   not     := "not" not | cmp
 *   cmp     := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum
 *                  | "in" "[" literal ("," literal)* "]"
 *                  | "is" ["not"] "empty")?
 *   sum     := product (("+" | "-") product)*
 *   product := unary (("*" | "/") unary)*
 *   unary   := "-" unary | primary
 *   primary := NUMBER | STRING | DATE | "true" | "false"
 *            | NAME | NAME "(" [or ("," or)*] ")" | "(" or ")"
 *
 * NUMBER: 12, 1.5, 2e3. STRING: "text" or 'text' (a backslash escapes the
 * quote or itself). DATE: 2026-11-01 (a real calendar date). NAME:
 * [A-Za-z_][A-Za-z0-9_]* (a column, a KPI id, a function); keywords (and, or,
 * not, in, is, empty, true, false) are case-sensitive, lowercase.
 *
 * A minus sign before a number literal is folded into it (-5 is one
 * NUMBER node), so `in` lists may hold negative numbers. The list after
 * `in` may end with a comma. Hostile input fails cleanly: at most
 * OB_EXPR_MAX_NESTING levels of parentheses, `not`, `-` and calls, at most
 * OB_EXPR_MAX_DEPTH levels in the tree (a chain of a + b + ... deepens it)
 * and OB_EXPR_MAX_LEN bytes, so evaluation's recursion stays bounded.
 */
#define OB_EXPR_MAX_NESTING 200
#define OB_EXPR_MAX_DEPTH   1000
#define OB_EXPR_MAX_LEN     (1u << 20)

enum ob_expr_kind {
    OB_EXPR_NUMBER,
    OB_EXPR_STRING,
    OB_EXPR_DATE,
    OB_EXPR_BOOL,
    OB_EXPR_NAME, /* a column or a KPI id */
    OB_EXPR_CALL, /* name(args) */
    OB_EXPR_NEG,
    OB_EXPR_NOT,
    OB_EXPR_ADD,
    OB_EXPR_SUB,
    OB_EXPR_MUL,
    OB_EXPR_DIV,
    OB_EXPR_EQ,
    OB_EXPR_NE,
    OB_EXPR_LT,
    OB_EXPR_LE,
    OB_EXPR_GT,
    OB_EXPR_GE,
    OB_EXPR_AND,
    OB_EXPR_OR,
    OB_EXPR_IN,          /* args[0] in [args[1], ...] (literals) */
    OB_EXPR_IS_EMPTY,    /* args[0] is empty */
    OB_EXPR_IS_NOT_EMPTY /* args[0] is not empty */
};

/** What an expression yields once bound to a table. */
enum ob_expr_type {
    OB_TYPE_UNKNOWN, /* not bound yet */
    OB_TYPE_NUMBER,
    OB_TYPE_STRING,
    OB_TYPE_BOOL,
    OB_TYPE_DATE,
    OB_TYPE_DATETIME
};

struct ob_expr {
    enum ob_expr_kind kind;
    uint32_t offset; /* byte offset of its first character in the text */
    uint32_t length; /* bytes it spans */
    enum ob_expr_type type;
    double num;      /* NUMBER */
    const char *str; /* STRING (unescaped), NAME and CALL (the name) */
    size_t len;
    int32_t date; /* DATE: days since 1970-01-01 */
    bool b;       /* BOOL */
    int column;   /* NAME bound to a row: the column index; else -1 */
    /* A date literal compared with a datetime column is that day's start
     * in the site's zone, set by binding; so is a string literal holding
     * an ISO datetime (its fraction of a second in `nanos`). */
    int64_t instant;
    int32_t nanos;
    /* Set by binding where evaluation needs the zone: days_between and
     * hours_between, and a date column compared with a datetime one. */
    const struct ob_tz *tz;
    struct ob_expr **args; /* operands, or a call's arguments */
    size_t n_args;
    /* A literal's value as binding typed it (a date string compared with
     * a date is a date), ready for evaluation; OB_VAL_EMPTY before. */
    struct ob_value value;
};

/**
 * Parses `src->text`. A syntax error is reported at the exact character
 * inside the YAML file (ob_expr_pos()) and NULL is returned; only the first
 * syntax error of an expression is reported. The tree lives in `a`; it is
 * not bound (every NAME has column -1, every type OB_TYPE_UNKNOWN). Each
 * node's offset and length cover its own text: parentheses around a node
 * belong to its parent's span, not to its own.
 */
struct ob_expr *ob_expr_parse(struct ob_arena *a, struct ob_diag *d,
                              const struct ob_expr_src *src);

/**
 * Where a byte offset of `src->text` stands in its YAML file: plain and
 * quoted scalars (escapes, doubled quotes, line folding) and block scalars
 * map exactly, through `src->raw`; a byte of a multi-byte character or of
 * an escape gives that character or escape. An offset at or past the end
 * gives the column just after the value's last non-blank character (where
 * "unexpected end of expression" belongs). Without `src->raw`, characters
 * are counted from the node's position (one more inside a quote); without
 * a node, line 0 (the whole file).
 */
struct ob_pos ob_expr_pos(const struct ob_expr_src *src, uint32_t offset);

/**
 * Binds a row expression (a `where`, or a measure's argument) to a table's
 * columns and checks its types: every NAME must be a column (else "unknown
 * column 'x' in source 'events' (did you mean 'y'?)"), the only calls are
 * days_between(a, b) and hours_between(a, b) over dates or datetimes
 * (b - a as a decimal number), arithmetic needs numbers, a comparison needs
 * both sides of one type (a DATE or a STRING literal that is an ISO date
 * compares with a date or datetime column), `in` lists literals of the
 * column's type, and `and`/`or`/`not` need booleans. `want` is the type the
 * caller needs (OB_TYPE_BOOL for a where; OB_TYPE_UNKNOWN: any). Problems
 * are reported at their character; returns false after reporting.
 *
 * A STRING literal compared with (or listed for) a datetime may also be an
 * ISO datetime ("2026-11-01T09:30", local time in `tz` without an offset).
 * A date column may be compared with a datetime column (as its day start).
 * days_between of two dates counts calendar days; otherwise both give
 * elapsed time (a date being its day start in `tz`), e.g. 36 hours is 1.5
 * days. Strings compare by bytes: == exactly, < and > in byte order.
 */
bool ob_expr_bind_row(struct ob_expr *e, struct ob_diag *d,
                      const struct ob_expr_src *src, const struct ob_table *t,
                      const struct ob_tz *tz, enum ob_expr_type want);

/** Marks in used[] (one per column) every column a bound tree reads. */
void ob_expr_columns(const struct ob_expr *e, bool *used);

/** Three-valued logic, as SQL: a comparison with an empty cell is unknown. */
enum ob_tri { OB_FALSE = 0, OB_TRUE = 1, OB_UNKNOWN = 2 };

/**
 * Evaluates a bound boolean expression over one row's values (indexed by
 * column). Comparisons with an empty operand are unknown; `not unknown` is
 * unknown; `and`/`or` follow Kleene's logic; `is empty` is never unknown.
 */
enum ob_tri ob_expr_test(const struct ob_expr *e, const struct ob_value *row);

/**
 * Evaluates a bound expression of any type into `out` (borrowing strings
 * from the row or the tree). An empty operand, a division by zero, a
 * result too large for a double or an unknown comparison gives
 * OB_VAL_EMPTY (never NaN or infinity). Numbers are OB_VAL_NUMBER, booleans
 * OB_VAL_BOOL, and so on as the type says. A cell whose value does not
 * have its column's type (a column left unconverted by the table's
 * projection: see ob_expr_columns()) is never misread: comparisons with it
 * are unknown and arithmetic gives no value. Allocation-free, and
 * thread-safe over a shared tree.
 */
void ob_expr_eval(const struct ob_expr *e, const struct ob_value *row,
                  struct ob_value *out);

/** True when `e` is a NAME bound to a column: the fast path reads it. */
static inline bool
ob_expr_is_column(const struct ob_expr *e)
{
    return e->kind == OB_EXPR_NAME && e->column >= 0;
}

#endif
