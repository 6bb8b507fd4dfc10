/* test_expr.c: parsing, positions in YAML, binding and evaluation. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/expr.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "opsbook/buf.h"
#include "opsbook/date.h"
#include "opsbook/fs.h"
#include "opsbook/mem.h"
#include "opsbook/text.h"
#include "runner.h"

/* The table every test binds to, its columns typed as a CSV would be. */
enum {
    C_PLAN,
    C_FEATURE,
    C_N,
    C_A,
    C_B,
    C_C,
    C_PAID,
    C_Q,
    C_DAY,
    C_DUE,
    C_TS,
    C_CLOSED,
    N_COLS
};

static struct ob_column columns[N_COLS] = {
    [C_PLAN] = {.name = "plan", .type = OB_COL_STRING},
    [C_FEATURE] = {.name = "feature", .type = OB_COL_STRING},
    [C_N] = {.name = "n", .type = OB_COL_INTEGER},
    [C_A] = {.name = "a", .type = OB_COL_NUMBER},
    [C_B] = {.name = "b", .type = OB_COL_NUMBER},
    [C_C] = {.name = "c", .type = OB_COL_PERCENT},
    [C_PAID] = {.name = "paid", .type = OB_COL_BOOLEAN},
    [C_Q] = {.name = "q", .type = OB_COL_BOOLEAN},
    [C_DAY] = {.name = "day", .type = OB_COL_DATE},
    [C_DUE] = {.name = "due", .type = OB_COL_DATE},
    [C_TS] = {.name = "ts", .type = OB_COL_DATETIME},
    [C_CLOSED] = {.name = "closed", .type = OB_COL_DATETIME},
};

/* An arena, a sink, the table and a made-up node at t.yaml:1:1 (plain,
 * no source: positions count characters from there). */
struct fx {
    struct ob_arena a;
    struct ob_diag d;
    struct ob_source src;
    struct ob_table t;
    struct ob_yaml_node node;
    struct ob_expr_src es;
    struct ob_tz *tz;
    struct ob_value row[N_COLS];
};

static void
fx_init_tz(struct fx *f, const char *zone)
{
    memset(f, 0, sizeof(*f));
    ob_arena_init(&f->a);
    ob_diag_init(&f->d, 100);
    f->src.name = "events";
    f->t.src = &f->src;
    f->t.columns = columns;
    f->t.n_columns = N_COLS;
    f->t.time_column = -1;
    f->node.kind = OB_YAML_SCALAR;
    f->node.pos.path = "t.yaml";
    f->node.pos.line = 1;
    f->node.pos.col = 1;
    f->es.node = &f->node;
    f->es.key = "where";
    if (ob_tz_load(zone, NULL, &f->tz) != OB_OK)
        f->tz = NULL;
}

static void
fx_init(struct fx *f)
{
    fx_init_tz(f, "UTC");
}

static void
fx_release(struct fx *f)
{
    ob_tz_free(f->tz);
    ob_diag_release(&f->d);
    ob_arena_release(&f->a);
}

static struct ob_expr *
parse(struct fx *f, const char *text)
{
    f->es.text = ob_arena_strdup(&f->a, text);
    return ob_expr_parse(&f->a, &f->d, &f->es);
}

/* Parsed and bound, or NULL after reporting. */
static struct ob_expr *
bound(struct fx *f, const char *text, enum ob_expr_type want)
{
    struct ob_expr *e = parse(f, text);

    if (!e || !ob_expr_bind_row(e, &f->d, &f->es, &f->t, f->tz, want))
        return NULL;
    return e;
}

/* The n-th diagnostic (sorted) as "line:col: message". */
static const char *
diag_at(struct fx *f, size_t n)
{
    static char line[512];

    ob_diag_sort(&f->d);
    if (n >= f->d.len)
        return "(none)";
    snprintf(line, sizeof line, "%u:%u: %s", (unsigned)f->d.entries[n].pos.line,
             (unsigned)f->d.entries[n].pos.col, f->d.entries[n].message);
    return line;
}

/* ---- Row values -------------------------------------------------------- */

static void
clear_row(struct fx *f)
{
    memset(f->row, 0, sizeof(f->row)); /* OB_VAL_EMPTY is 0 */
}

static void
set_num(struct fx *f, int c, double v)
{
    f->row[c].type = OB_VAL_NUMBER;
    f->row[c].u.num = v;
}

static void
set_str(struct fx *f, int c, const char *s)
{
    f->row[c].type = OB_VAL_STRING;
    f->row[c].u.str.ptr = s;
    f->row[c].u.str.len = strlen(s);
}

static void
set_bool(struct fx *f, int c, bool b)
{
    f->row[c].type = OB_VAL_BOOL;
    f->row[c].u.b = b;
}

static void
set_date(struct fx *f, int c, const char *iso)
{
    f->row[c].type = OB_VAL_DATE;
    OB_CHECK(ob_date_parse(iso, strlen(iso), &f->row[c].u.date));
}

/* A UTC instant written as ISO text (with an offset, or UTC). */
static void
set_dt(struct fx *f, int c, const char *iso)
{
    struct ob_datetime dt;

    OB_CHECK(ob_datetime_parse(iso, strlen(iso), &dt));
    f->row[c].type = OB_VAL_DATETIME;
    f->row[c].u.dt.seconds = dt.seconds;
    f->row[c].u.dt.nanos = dt.nanos;
}

static void
set_empty(struct fx *f, int c)
{
    f->row[c].type = OB_VAL_EMPTY;
}

/* ob_expr_test() of a where over the fixture's row; -1 if it fails to
 * bind. */
static int
where(struct fx *f, const char *text)
{
    struct ob_expr *e = bound(f, text, OB_TYPE_BOOL);

    return e ? (int)ob_expr_test(e, f->row) : -1;
}

/* ob_expr_eval() of a number expression; NAN for an empty result, -1e300
 * when it does not bind. */
static double
value(struct fx *f, const char *text)
{
    struct ob_expr *e = bound(f, text, OB_TYPE_NUMBER);
    struct ob_value v;

    if (!e)
        return -1e300;
    ob_expr_eval(e, f->row, &v);
    if (v.type == OB_VAL_EMPTY)
        return NAN;
    OB_CHECK_INT(v.type, OB_VAL_NUMBER);
    return v.u.num;
}

/* ---- Trees --------------------------------------------------------- */

static const char *const op_names[] = {
    [OB_EXPR_NEG] = "neg",
    [OB_EXPR_NOT] = "not",
    [OB_EXPR_ADD] = "+",
    [OB_EXPR_SUB] = "-",
    [OB_EXPR_MUL] = "*",
    [OB_EXPR_DIV] = "/",
    [OB_EXPR_EQ] = "==",
    [OB_EXPR_NE] = "!=",
    [OB_EXPR_LT] = "<",
    [OB_EXPR_LE] = "<=",
    [OB_EXPR_GT] = ">",
    [OB_EXPR_GE] = ">=",
    [OB_EXPR_AND] = "and",
    [OB_EXPR_OR] = "or",
    [OB_EXPR_IN] = "in",
    [OB_EXPR_IS_EMPTY] = "empty",
    [OB_EXPR_IS_NOT_EMPTY] = "notempty",
};

/* A tree as an S-expression: (+ a (* b c)). */
static void
dump(const struct ob_expr *e, struct ob_buf *b)
{
    char date[11];
    size_t i;

    switch (e->kind) {
    case OB_EXPR_NUMBER:
        ob_buf_printf(b, "%g", e->num);
        return;
    case OB_EXPR_STRING:
        ob_buf_printf(b, "\"%.*s\"", (int)e->len, e->str);
        return;
    case OB_EXPR_DATE:
        ob_date_format(e->date, date);
        ob_buf_puts(b, date);
        return;
    case OB_EXPR_BOOL:
        ob_buf_puts(b, e->b ? "true" : "false");
        return;
    case OB_EXPR_NAME:
        ob_buf_add(b, e->str, e->len);
        return;
    case OB_EXPR_CALL:
        ob_buf_printf(b, "(%s()", e->str);
        break;
    default:
        ob_buf_printf(b, "(%s", op_names[e->kind]);
        break;
    }
    for (i = 0; i < e->n_args; i++) {
        ob_buf_putc(b, ' ');
        dump(e->args[i], b);
    }
    ob_buf_putc(b, ')');
}

static const char *
tree(const char *text)
{
    static char out[1024];
    struct fx f;
    struct ob_buf b = OB_BUF_INIT;
    struct ob_expr *e;

    fx_init(&f);
    e = parse(&f, text);
    if (e)
        dump(e, &b);
    snprintf(out, sizeof out, "%s", e ? b.ptr : diag_at(&f, 0));
    ob_buf_release(&b);
    fx_release(&f);
    return out;
}

/* The text a node covers. */
static const char *
span(const struct fx *f, const struct ob_expr *e)
{
    static char out[256];

    snprintf(out, sizeof out, "%.*s", (int)e->length, f->es.text + e->offset);
    return out;
}

static void
test_precedence(void)
{
    OB_CHECK_STR(tree("a + b * c"), "(+ a (* b c))");
    OB_CHECK_STR(tree("a * b + c"), "(+ (* a b) c)");
    OB_CHECK_STR(tree("(a + b) * c"), "(* (+ a b) c)");
    OB_CHECK_STR(tree("a - b - c"), "(- (- a b) c)");
    OB_CHECK_STR(tree("a / b * c"), "(* (/ a b) c)");
    OB_CHECK_STR(tree("-x"), "(neg x)");
    OB_CHECK_STR(tree("-x * y"), "(* (neg x) y)");
    OB_CHECK_STR(tree("- -x"), "(neg (neg x))");
    OB_CHECK_STR(tree("a - -b"), "(- a (neg b))");
    OB_CHECK_STR(tree("-5"), "-5");
    OB_CHECK_STR(tree("- -5"), "5");
    OB_CHECK_STR(tree("-(2.5)"), "-2.5");
    OB_CHECK_STR(tree("not a == 1 and b"), "(and (not (== a 1)) b)");
    OB_CHECK_STR(tree("not not a"), "(not (not a))");
    OB_CHECK_STR(tree("a or b and c"), "(or a (and b c))");
    OB_CHECK_STR(tree("a and b or c and d"), "(or (and a b) (and c d))");
    OB_CHECK_STR(tree("a or b or c"), "(or (or a b) c)");
    OB_CHECK_STR(tree("(a or b) and c"), "(and (or a b) c)");
    OB_CHECK_STR(tree("a + 1 == b * 2"), "(== (+ a 1) (* b 2))");
    OB_CHECK_STR(tree("a != b"), "(!= a b)");
    OB_CHECK_STR(tree("a < b"), "(< a b)");
    OB_CHECK_STR(tree("a <= b"), "(<= a b)");
    OB_CHECK_STR(tree("a > b"), "(> a b)");
    OB_CHECK_STR(tree("a >= b"), "(>= a b)");
    OB_CHECK_STR(tree("a<=b"), "(<= a b)");
    OB_CHECK_STR(tree("x in [1, -2, \"s\", 2026-01-05, true, false]"),
                 "(in x 1 -2 \"s\" 2026-01-05 true false)");
    OB_CHECK_STR(tree("x in [1,]"), "(in x 1)");
    OB_CHECK_STR(tree("x + 1 in [2]"), "(in (+ x 1) 2)");
    OB_CHECK_STR(tree("x is empty"), "(empty x)");
    OB_CHECK_STR(tree("x is not empty or y"), "(or (notempty x) y)");
    OB_CHECK_STR(tree("not x is empty"), "(not (empty x))");
    OB_CHECK_STR(tree("f(a, b + 1)"), "(f() a (+ b 1))");
    OB_CHECK_STR(tree("f()"), "(f())");
    OB_CHECK_STR(tree("days_between(a, b) / 7 > 2"),
                 "(> (/ (days_between() a b) 7) 2)");
    OB_CHECK_STR(tree("rate(priority == \"urgent\")"),
                 "(rate() (== priority \"urgent\"))");
    /* Keywords are lowercase; other spellings are names. */
    OB_CHECK_STR(tree("True"), "True");
    OB_CHECK_STR(tree("android"), "android");
    OB_CHECK_STR(tree("_x1 == notes"), "(== _x1 notes)");
    OB_CHECK_STR(tree("\n  a\n  ==\t1\n"), "(== a 1)");
}

/* Each node's offset and length cover its own text. */
static void
test_spans(void)
{
    struct fx f;
    struct ob_expr *e;

    fx_init(&f);
    e = parse(&f, "(a + b) * c");
    OB_CHECK_STR(span(&f, e), "(a + b) * c");
    OB_CHECK_STR(span(&f, e->args[0]), "a + b");
    OB_CHECK_STR(span(&f, e->args[1]), "c");
    e = parse(&f, "  count_distinct( user_id ) ");
    OB_CHECK_INT(e->kind, OB_EXPR_CALL);
    OB_CHECK_STR(span(&f, e), "count_distinct( user_id )");
    OB_CHECK_STR(span(&f, e->args[0]), "user_id");
    OB_CHECK_STR(e->str, "count_distinct");
    OB_CHECK_INT(e->len, 14);
    e = parse(&f, "x in [1, -2] and -y is not empty");
    OB_CHECK_STR(span(&f, e->args[0]), "x in [1, -2]");
    OB_CHECK_STR(span(&f, e->args[0]->args[2]), "-2");
    OB_CHECK_STR(span(&f, e->args[1]), "-y is not empty");
    OB_CHECK_STR(span(&f, e->args[1]->args[0]), "-y");
    e = parse(&f, "not 'a b' == plan");
    OB_CHECK_STR(span(&f, e), "not 'a b' == plan");
    OB_CHECK_STR(span(&f, e->args[0]->args[0]), "'a b'");
    OB_CHECK_INT(e->args[0]->args[1]->column, -1);
    OB_CHECK_INT(e->args[0]->args[1]->type, OB_TYPE_UNKNOWN);
    OB_CHECK_INT(f.d.len, 0);
    fx_release(&f);
}

static void
test_literals(void)
{
    struct fx f;
    struct ob_expr *e;
    int32_t day;

    fx_init(&f);
    e = parse(&f, "\"say \\\"hi\\\"\"");
    OB_CHECK_STR(e->str, "say \"hi\"");
    e = parse(&f, "'it\\'s'");
    OB_CHECK_STR(e->str, "it's");
    OB_CHECK_INT(e->len, 4);
    e = parse(&f, "'back\\\\slash'");
    OB_CHECK_STR(e->str, "back\\slash");
    e = parse(&f, "'say \"hi\"'");
    OB_CHECK_STR(e->str, "say \"hi\"");
    e = parse(&f, "\"it's \\'x\\'\"");
    OB_CHECK_STR(e->str, "it's 'x'");
    e = parse(&f, "\"\"");
    OB_CHECK_INT(e->kind, OB_EXPR_STRING);
    OB_CHECK_INT(e->len, 0);
    e = parse(&f, "'\xc3\xa9t\xc3\xa9'");
    OB_CHECK_INT(e->len, 5);
    e = parse(&f, "12");
    OB_CHECK_NUM(e->num, 12);
    e = parse(&f, "1.5");
    OB_CHECK_NUM(e->num, 1.5);
    e = parse(&f, "2e3");
    OB_CHECK_NUM(e->num, 2000);
    e = parse(&f, "2.5E-3");
    OB_CHECK_NUM(e->num, 0.0025);
    e = parse(&f, "007");
    OB_CHECK_NUM(e->num, 7);
    e = parse(&f, "2026-11-01");
    OB_CHECK_INT(e->kind, OB_EXPR_DATE);
    OB_CHECK(ob_date_parse("2026-11-01", 10, &day));
    OB_CHECK_INT(e->date, day);
    e = parse(&f, "2024-02-29");
    OB_CHECK_INT(e->kind, OB_EXPR_DATE);
    /* Not the date shape: arithmetic. */
    OB_CHECK_STR(tree("2026-1-1"), "(- (- 2026 1) 1)");
    OB_CHECK_STR(tree("2026 - 11 - 01"), "(- (- 2026 11) 1)");
    e = parse(&f, "true");
    OB_CHECK(e->kind == OB_EXPR_BOOL && e->b);
    e = parse(&f, "false");
    OB_CHECK(e->kind == OB_EXPR_BOOL && !e->b);
    OB_CHECK_INT(f.d.len, 0);
    fx_release(&f);
}

/* Checks that `text` fails to parse with `msg` at 1:col (the made-up node
 * stands at 1:1, so col is the character offset + 1). */
static void
check_syntax(const char *text, unsigned col, const char *msg)
{
    struct fx f;
    char want[512];

    fx_init(&f);
    OB_CHECK(parse(&f, text) == NULL);
    OB_CHECK_INT(f.d.errors, 1);
    snprintf(want, sizeof want, "%u:%u: %s", 1u, col, msg);
    OB_CHECK_STR(diag_at(&f, 0), want);
    fx_release(&f);
}

static void
test_syntax_errors(void)
{
    check_syntax("a == 1)", 7, "unexpected ')' in expression");
    check_syntax("plan == \"pro", 9, "unterminated string");
    check_syntax("plan == 'pro", 9, "unterminated string");
    check_syntax("plan == 'pro\\'", 9, "unterminated string");
    check_syntax("x in [1, 2", 11, "expected ']' to close the list");
    check_syntax("x in [1 2]", 9, "expected ']' to close the list");
    check_syntax("day == 2026-02-30", 8, "'2026-02-30' is not a date");
    check_syntax("day == 2026-13-01", 8, "'2026-13-01' is not a date");
    check_syntax("day == 2026-11-01x", 8, "'2026-11-01x' is not a date");
    check_syntax("ts > 2026-11-01T10:00", 6,
                 "'2026-11-01T10:00' is not a date (write a datetime as a "
                 "string, in quotes)");
    check_syntax("plan ==", 8,
                 "unexpected end of expression (expected a value)");
    check_syntax("", 1, "unexpected end of expression (expected a value)");
    check_syntax("   ", 4, "unexpected end of expression (expected a value)");
    check_syntax("not", 4, "unexpected end of expression (expected a value)");
    check_syntax("-", 2, "unexpected end of expression (expected a value)");
    check_syntax("a == )", 6,
                 "unexpected ')' in expression (expected a value)");
    check_syntax("a and or b", 7,
                 "unexpected 'or' in expression (expected a value)");
    check_syntax("a == not b", 6,
                 "unexpected 'not' in expression (expected a value)");
    check_syntax("a = 1", 3, "'=' is not an operator (did you mean '=='?)");
    check_syntax("a =< 1", 3, "'=<' is not an operator (did you mean '<='?)");
    check_syntax("a => 1", 3, "'=>' is not an operator (did you mean '>='?)");
    check_syntax("a <> 1", 3, "'<>' is not an operator (did you mean '!='?)");
    check_syntax("!a", 1,
                 "'!' is not an operator (did you mean 'not' or '!='?)");
    check_syntax("a && b", 3, "'&&' is not an operator (did you mean 'and'?)");
    check_syntax("a & b", 3, "'&' is not an operator (did you mean 'and'?)");
    check_syntax("a || b", 3, "'||' is not an operator (did you mean 'or'?)");
    check_syntax("a % 2", 3, "unexpected '%' in expression");
    check_syntax("a == 1;", 7, "unexpected ';' in expression");
    check_syntax("a\x01", 2, "unexpected character U+0001 in expression");
    check_syntax("\xc3\xa9t\xc3\xa9 == 1", 1,
                 "unexpected '\xc3\xa9' (U+00E9) in expression");
    check_syntax("plan == \xe2\x80\x9cpro\xe2\x80\x9d", 9,
                 "unexpected '\xe2\x80\x9c' (U+201C) in expression (quote "
                 "strings with \" or ')");
    /* Columns count characters: 'é' is two bytes, one column. */
    check_syntax("plan == '\xc3\xa9' )", 13, "unexpected ')' in expression");
    check_syntax("(a == 1", 8, "expected ')' to close the parenthesis");
    check_syntax("(a == 1 b)", 9, "expected ')' to close the parenthesis");
    check_syntax("f(a", 4, "expected ')' to close the call to 'f'");
    check_syntax("f(a b)", 5, "expected ')' to close the call to 'f'");
    check_syntax("f(a,)", 5, "unexpected ')' in expression (expected a value)");
    check_syntax("f(,)", 3, "unexpected ',' in expression (expected a value)");
    check_syntax("x in 1", 6, "expected '[' after 'in'");
    check_syntax("x in []", 7, "empty list after 'in'");
    check_syntax("x in [y]", 7,
                 "unexpected 'y' in expression (expected a string, number, "
                 "date, true or false in the list)");
    check_syntax("x in [1, -y]", 11,
                 "unexpected 'y' in expression (expected a number after "
                 "'-')");
    check_syntax("x in [1, (2)]", 10,
                 "unexpected '(' in expression (expected a string, number, "
                 "date, true or false in the list)");
    check_syntax("x is nothing", 6,
                 "expected 'empty' or 'not empty' after 'is'");
    check_syntax("x is not 3", 10, "expected 'empty' after 'is not'");
    check_syntax("x is", 5, "expected 'empty' or 'not empty' after 'is'");
    check_syntax("a < b < c", 7,
                 "unexpected '<' in expression (comparisons do not chain: "
                 "join them with 'and')");
    check_syntax("a == 1 in [1]", 8,
                 "unexpected 'in' in expression (comparisons do not chain: "
                 "join them with 'and')");
    check_syntax("a b", 3,
                 "unexpected 'b' in expression (expected an operator such "
                 "as 'and' or '==')");
    check_syntax("plan == \"pro\" \"free\"", 15,
                 "unexpected '\"free\"' in expression (expected an operator "
                 "such as 'and' or '==')");
    check_syntax("a == 1 AND b", 8,
                 "unexpected 'AND' in expression (keywords are lowercase: "
                 "'and')");
    check_syntax("(a Or b)", 4,
                 "unexpected 'Or' in expression (keywords are lowercase: "
                 "'or')");
    check_syntax("\"a\\nb\"", 3,
                 "unknown escape '\\n' in a string (a backslash escapes only "
                 "a quote or a backslash)");
    check_syntax("12abc", 1, "'12abc' is not a number");
    check_syntax("1.2.3", 1, "'1.2.3' is not a number");
    check_syntax("1e999", 1, "'1e999' is too large a number");
    check_syntax("a == 1 .", 8, "unexpected '.' in expression");
}

/* Hostile input fails with a message, never a crash or a deep stack. */
static void
test_limits(void)
{
    struct fx f;
    struct ob_buf b = OB_BUF_INIT;
    struct ob_expr *e;
    size_t i;

    fx_init(&f);
    /* 200 levels of parentheses are fine, 201 are not. */
    for (i = 0; i < 200; i++)
        ob_buf_putc(&b, '(');
    ob_buf_puts(&b, "a");
    for (i = 0; i < 200; i++)
        ob_buf_putc(&b, ')');
    e = parse(&f, b.ptr);
    OB_CHECK(e != NULL && e->kind == OB_EXPR_NAME);
    ob_buf_reset(&b);
    for (i = 0; i < 201; i++)
        ob_buf_putc(&b, '(');
    ob_buf_puts(&b, "a");
    OB_CHECK(parse(&f, b.ptr) == NULL);
    OB_CHECK_STR(diag_at(&f, 0),
                 "1:201: expression nested too deeply (more than 200 levels)");
    /* A hundred thousand of anything that recurses. */
    ob_buf_reset(&b);
    for (i = 0; i < 100000; i++)
        ob_buf_putc(&b, '(');
    OB_CHECK(parse(&f, b.ptr) == NULL);
    ob_buf_reset(&b);
    for (i = 0; i < 100000; i++)
        ob_buf_puts(&b, "not ");
    ob_buf_puts(&b, "a");
    OB_CHECK(parse(&f, b.ptr) == NULL);
    ob_buf_reset(&b);
    for (i = 0; i < 100000; i++)
        ob_buf_putc(&b, '-');
    ob_buf_puts(&b, "a");
    OB_CHECK(parse(&f, b.ptr) == NULL);
    ob_buf_reset(&b);
    for (i = 0; i < 100000; i++)
        ob_buf_puts(&b, "f(");
    OB_CHECK(parse(&f, b.ptr) == NULL);
    /* A long chain deepens the tree without nesting. */
    ob_diag_release(&f.d);
    ob_diag_init(&f.d, 100);
    ob_buf_reset(&b);
    ob_buf_puts(&b, "a");
    for (i = 0; i < 5000; i++)
        ob_buf_puts(&b, " + a");
    OB_CHECK(parse(&f, b.ptr) == NULL);
    OB_CHECK_STR(diag_at(&f, 0), "1:1: expression too complex (more than "
                                 "1000 nested operations)");
    /* 500 terms are fine, and evaluate. */
    ob_buf_reset(&b);
    ob_buf_puts(&b, "a");
    for (i = 1; i < 500; i++)
        ob_buf_puts(&b, " + a");
    clear_row(&f);
    set_num(&f, C_A, 2);
    OB_CHECK_NUM(value(&f, b.ptr), 1000);
    /* Long lists are no problem: they are flat. */
    ob_buf_reset(&b);
    ob_buf_puts(&b, "n in [");
    for (i = 0; i < 20000; i++)
        ob_buf_printf(&b, "%zu, ", i);
    ob_buf_puts(&b, "-1]");
    set_num(&f, C_N, 19999);
    OB_CHECK_INT(where(&f, b.ptr), OB_TRUE);
    set_num(&f, C_N, 20000);
    OB_CHECK_INT(where(&f, b.ptr), OB_FALSE);
    /* Longer than OB_EXPR_MAX_LEN. */
    ob_diag_release(&f.d);
    ob_diag_init(&f.d, 100);
    ob_buf_reset(&b);
    ob_buf_puts(&b, "a == '");
    for (i = 0; i < OB_EXPR_MAX_LEN; i++)
        ob_buf_putc(&b, 'x');
    ob_buf_puts(&b, "'");
    OB_CHECK(parse(&f, b.ptr) == NULL);
    OB_CHECK_STR(diag_at(&f, 0),
                 "1:1: expression too long (more than 1048576 bytes)");
    ob_buf_release(&b);
    fx_release(&f);
}

/* Random token soup: every input parses or is reported, and whatever
 * parses binds or is reported too. */
static void
test_soup(void)
{
    static const char *const toks[] = {
        "a",   "n",          "plan",       "day",
        "ts",  "1",          "-",          "+",
        "*",   "/",          "(",          ")",
        "[",   "]",          ",",          "==",
        "<",   ">=",         "!",          "=",
        "and", "or",         "not",        "in",
        "is",  "empty",      "\"s",        "'x'",
        "\\",  "2026-02-30", "2026-01-01", "days_between(",
        "f(",  "\xc3\xa9",   " ",          "\n",
        "1e5", "true"};
    size_t ntoks = sizeof(toks) / sizeof(toks[0]);
    unsigned seed = 12345;
    int round, k;

    for (round = 0; round < 3000; round++) {
        struct fx f;
        struct ob_buf b = OB_BUF_INIT;
        struct ob_expr *e;
        int len = 1 + round % 12;

        fx_init(&f);
        for (k = 0; k < len; k++) {
            seed = seed * 1103515245u + 12345u;
            ob_buf_puts(&b, toks[(seed >> 16) % ntoks]);
            ob_buf_putc(&b, ' ');
        }
        e = parse(&f, b.ptr);
        if (!e) {
            OB_CHECK(f.d.errors == 1);
        } else if (!ob_expr_bind_row(e, &f.d, &f.es, &f.t, f.tz,
                                     OB_TYPE_UNKNOWN)) {
            OB_CHECK(f.d.errors >= 1);
        } else {
            struct ob_value v;

            clear_row(&f);
            ob_expr_eval(e, f.row, &v);
            OB_CHECK(v.type == OB_VAL_EMPTY || e->type != OB_TYPE_UNKNOWN);
        }
        ob_buf_release(&b);
        fx_release(&f);
    }
}

/* ---- Binding ------------------------------------------------------- */

static void
check_bind(const char *text, enum ob_expr_type want, unsigned col,
           const char *msg)
{
    struct fx f;
    char expect[512];

    fx_init(&f);
    OB_CHECK(bound(&f, text, want) == NULL);
    snprintf(expect, sizeof expect, "%u:%u: %s", 1u, col, msg);
    OB_CHECK_STR(diag_at(&f, 0), expect);
    OB_CHECK_INT(f.d.errors, 1);
    fx_release(&f);
}

static void
test_bind(void)
{
    struct fx f;
    struct ob_expr *e;
    bool used[N_COLS] = {false};

    fx_init(&f);
    e = bound(&f, "plan == \"pro\" and (n + a) * c > 1 or paid", OB_TYPE_BOOL);
    OB_CHECK(e != NULL);
    if (e) {
        OB_CHECK_INT(e->type, OB_TYPE_BOOL);
        ob_expr_columns(e, used);
    }
    OB_CHECK(used[C_PLAN] && used[C_N] && used[C_A] && used[C_C] &&
             used[C_PAID]);
    OB_CHECK(!used[C_B] && !used[C_FEATURE] && !used[C_TS]);
    e = bound(&f, "n", OB_TYPE_NUMBER);
    OB_CHECK(e && ob_expr_is_column(e) && e->column == C_N);
    e = bound(&f, "-n", OB_TYPE_UNKNOWN);
    OB_CHECK(e && !ob_expr_is_column(e) && e->type == OB_TYPE_NUMBER);
    e = bound(&f, "plan", OB_TYPE_UNKNOWN);
    OB_CHECK(e && e->type == OB_TYPE_STRING);
    e = bound(&f, "day", OB_TYPE_UNKNOWN);
    OB_CHECK(e && e->type == OB_TYPE_DATE);
    e = bound(&f, "ts", OB_TYPE_UNKNOWN);
    OB_CHECK(e && e->type == OB_TYPE_DATETIME);
    e = bound(&f, "paid", OB_TYPE_BOOL);
    OB_CHECK(e && e->type == OB_TYPE_BOOL);
    e = bound(&f, "hours_between(ts, closed)", OB_TYPE_NUMBER);
    OB_CHECK(e && e->type == OB_TYPE_NUMBER);
    e = bound(&f, "day == '2026-01-01'", OB_TYPE_BOOL);
    OB_CHECK(e && e->args[1]->type == OB_TYPE_DATE);
    e = bound(&f, "ts >= 2026-01-01", OB_TYPE_BOOL);
    OB_CHECK(e && e->args[1]->type == OB_TYPE_DATETIME &&
             e->args[1]->instant == 1767225600);
    e = bound(&f, "day < ts", OB_TYPE_BOOL);
    OB_CHECK(e != NULL);
    e = bound(&f, "plan in ['pro', \"team\"]", OB_TYPE_BOOL);
    OB_CHECK(e != NULL);
    e = bound(&f, "(n > 1) == paid", OB_TYPE_BOOL);
    OB_CHECK(e != NULL);
    e = bound(&f, "a is empty", OB_TYPE_BOOL);
    OB_CHECK(e != NULL);
    OB_CHECK_INT(f.d.errors, 0);
    /* Every problem is reported, not only the first. */
    OB_CHECK(bound(&f, "zzz == 1 and plan == 2 or yyy", OB_TYPE_BOOL) == NULL);
    OB_CHECK_INT(f.d.errors, 3);
    OB_CHECK_STR(diag_at(&f, 0), "1:1: unknown column 'zzz' in source "
                                 "'events'");
    OB_CHECK_STR(diag_at(&f, 1), "1:19: cannot compare 'plan' (a string) "
                                 "with '2' (a number)");
    OB_CHECK_STR(diag_at(&f, 2), "1:27: unknown column 'yyy' in source "
                                 "'events' (did you mean 'day'?)");
    fx_release(&f);

    check_bind("plann == \"pro\"", OB_TYPE_BOOL, 1,
               "unknown column 'plann' in source 'events' (did you mean "
               "'plan'?)");
    check_bind("n > 1 and featur == 'x'", OB_TYPE_BOOL, 11,
               "unknown column 'featur' in source 'events' (did you mean "
               "'feature'?)");
    check_bind("plan == 3", OB_TYPE_BOOL, 6,
               "cannot compare 'plan' (a string) with '3' (a number)");
    check_bind("(plan) == (3)", OB_TYPE_BOOL, 8,
               "cannot compare 'plan' (a string) with '3' (a number)");
    check_bind("n < 'ten'", OB_TYPE_BOOL, 3,
               "cannot compare 'n' (a number) with ''ten'' (a string)");
    check_bind("n + plan > 1", OB_TYPE_BOOL, 5,
               "'plan' is a string, not a number ('+' needs numbers)");
    check_bind("day * 2", OB_TYPE_NUMBER, 1,
               "'day' is a date, not a number ('*' needs numbers)");
    check_bind("-plan", OB_TYPE_UNKNOWN, 2,
               "'plan' is a string, not a number ('-' needs numbers)");
    check_bind("n and paid", OB_TYPE_BOOL, 1,
               "'n' is a number, not a condition ('and' needs conditions "
               "such as plan == \"pro\")");
    check_bind("paid or plan", OB_TYPE_BOOL, 9,
               "'plan' is a string, not a condition ('or' needs conditions "
               "such as plan == \"pro\")");
    check_bind("not n", OB_TYPE_BOOL, 5,
               "'n' is a number, not a condition ('not' needs conditions "
               "such as plan == \"pro\")");
    check_bind("count(n) > 1", OB_TYPE_BOOL, 1,
               "unknown function 'count' (expected days_between or "
               "hours_between)");
    check_bind("days_between(day) > 1", OB_TYPE_BOOL, 1,
               "'days_between' takes two arguments (a start and an end), got "
               "1");
    check_bind("days_between(n, day) > 1", OB_TYPE_BOOL, 14,
               "'n' is a number, not a date or datetime ('days_between' "
               "needs dates or datetimes)");
    check_bind("hours_between(ts, 'soon')", OB_TYPE_NUMBER, 19,
               "'soon' is not a date or datetime (YYYY-MM-DD[THH:MM:SS])");
    check_bind("day == \"yesterday\"", OB_TYPE_BOOL, 8,
               "'yesterday' is not a date (YYYY-MM-DD)");
    check_bind("day >= '2026-01-01T10:00'", OB_TYPE_BOOL, 8,
               "'2026-01-01T10:00' is not a date (YYYY-MM-DD)");
    check_bind("ts in [2026-01-01, 'later']", OB_TYPE_BOOL, 20,
               "'later' is not a date or datetime (YYYY-MM-DD[THH:MM:SS])");
    check_bind("plan in ['a', 1]", OB_TYPE_BOOL, 15,
               "'1' is a number, but 'plan' is a string");
    check_bind("n in [2026-01-01]", OB_TYPE_BOOL, 7,
               "'2026-01-01' is a date, but 'n' is a number");
    check_bind("paid < true", OB_TYPE_BOOL, 6,
               "'<' does not apply to conditions (only == and != do)");
    check_bind("n + 1", OB_TYPE_BOOL, 1,
               "'where' must be a condition such as plan == \"pro\", got a "
               "number ('n + 1')");
    check_bind("plan", OB_TYPE_NUMBER, 1,
               "expected a number, got a string ('plan')");
    /* A condition that is not a where says so in general terms. */
    fx_init(&f);
    f.es.key = "measure";
    OB_CHECK(bound(&f, "  day", OB_TYPE_BOOL) == NULL);
    OB_CHECK_STR(diag_at(&f, 0), "1:3: expected a condition such as plan == "
                                 "\"pro\", got a date ('day')");
    fx_release(&f);
}

/* ---- Evaluation ---------------------------------------------------- */

static void
test_arithmetic(void)
{
    struct fx f;

    fx_init(&f);
    clear_row(&f);
    set_num(&f, C_A, 1);
    set_num(&f, C_B, 2);
    set_num(&f, C_C, 3);
    set_num(&f, C_N, -4);
    OB_CHECK_NUM(value(&f, "a + b * c"), 7);
    OB_CHECK_NUM(value(&f, "(a + b) * c"), 9);
    OB_CHECK_NUM(value(&f, "a - b - c"), -4);
    OB_CHECK_NUM(value(&f, "a / b"), 0.5);
    OB_CHECK_NUM(value(&f, "c / b * 4"), 6);
    OB_CHECK_NUM(value(&f, "-n"), 4);
    OB_CHECK_NUM(value(&f, "-n * -2"), -8);
    OB_CHECK_NUM(value(&f, "2.5e1 - a"), 24);
    OB_CHECK_NUM(value(&f, "a"), 1);
    /* Division by zero, overflow and empty operands give no value. */
    OB_CHECK(isnan(value(&f, "a / 0")));
    OB_CHECK(isnan(value(&f, "a / (b - 2)")));
    OB_CHECK(isnan(value(&f, "0 / 0")));
    OB_CHECK(isnan(value(&f, "1e308 * 10")));
    OB_CHECK(isnan(value(&f, "-1e308 - 1e308")));
    set_empty(&f, C_B);
    OB_CHECK(isnan(value(&f, "a + b")));
    OB_CHECK(isnan(value(&f, "b * 0")));
    OB_CHECK(isnan(value(&f, "-b")));
    OB_CHECK(isnan(value(&f, "a / b")));
    OB_CHECK_INT(f.d.errors, 0);
    fx_release(&f);
}

static void
test_comparisons(void)
{
    struct fx f;

    fx_init(&f);
    clear_row(&f);
    set_num(&f, C_N, 5);
    set_str(&f, C_PLAN, "pro");
    set_bool(&f, C_PAID, true);
    OB_CHECK_INT(where(&f, "n == 5"), OB_TRUE);
    OB_CHECK_INT(where(&f, "n != 5"), OB_FALSE);
    OB_CHECK_INT(where(&f, "n < 5"), OB_FALSE);
    OB_CHECK_INT(where(&f, "n <= 5"), OB_TRUE);
    OB_CHECK_INT(where(&f, "n > 4.5"), OB_TRUE);
    OB_CHECK_INT(where(&f, "n >= 6"), OB_FALSE);
    OB_CHECK_INT(where(&f, "n * 2 == 10"), OB_TRUE);
    OB_CHECK_INT(where(&f, "-n < -4"), OB_TRUE);
    OB_CHECK_INT(where(&f, "plan == \"pro\""), OB_TRUE);
    OB_CHECK_INT(where(&f, "plan == 'Pro'"), OB_FALSE);
    OB_CHECK_INT(where(&f, "plan == 'pro '"), OB_FALSE);
    OB_CHECK_INT(where(&f, "plan != \"internal\""), OB_TRUE);
    OB_CHECK_INT(where(&f, "'pro' == plan"), OB_TRUE);
    /* Strings order by bytes: capitals first, UTF-8 after ASCII. */
    OB_CHECK_INT(where(&f, "plan > 'Zebra'"), OB_TRUE);
    OB_CHECK_INT(where(&f, "plan < 'pro2'"), OB_TRUE);
    OB_CHECK_INT(where(&f, "plan > 'pr'"), OB_TRUE);
    OB_CHECK_INT(where(&f, "plan < '\xc3\xa9'"), OB_TRUE);
    OB_CHECK_INT(where(&f, "plan >= 'pro'"), OB_TRUE);
    set_str(&f, C_PLAN, "");
    OB_CHECK_INT(where(&f, "plan == ''"), OB_TRUE);
    OB_CHECK_INT(where(&f, "plan < 'a'"), OB_TRUE);
    /* Booleans. */
    OB_CHECK_INT(where(&f, "paid"), OB_TRUE);
    OB_CHECK_INT(where(&f, "paid == true"), OB_TRUE);
    OB_CHECK_INT(where(&f, "paid != true"), OB_FALSE);
    OB_CHECK_INT(where(&f, "(n > 1) == paid"), OB_TRUE);
    OB_CHECK_INT(where(&f, "true"), OB_TRUE);
    OB_CHECK_INT(where(&f, "1 == 1 and 'a' < 'b'"), OB_TRUE);
    /* in */
    set_str(&f, C_FEATURE, "sharing");
    OB_CHECK_INT(where(&f, "feature in [\"export\", \"sharing\"]"), OB_TRUE);
    OB_CHECK_INT(where(&f, "feature in ['export']"), OB_FALSE);
    OB_CHECK_INT(where(&f, "not feature in ['export']"), OB_TRUE);
    OB_CHECK_INT(where(&f, "n in [1, 5]"), OB_TRUE);
    OB_CHECK_INT(where(&f, "-n in [-5]"), OB_TRUE);
    OB_CHECK_INT(where(&f, "n in [5.5]"), OB_FALSE);
    OB_CHECK_INT(where(&f, "paid in [false]"), OB_FALSE);
    OB_CHECK_INT(f.d.errors, 0);
    fx_release(&f);
}

/* SQL's three-valued logic, with p and q boolean columns. */
static void
test_three_valued(void)
{
    /* Values: 0 false, 1 true, 2 empty (unknown). */
    static const int and_table[3][3] = {
        {OB_FALSE, OB_FALSE, OB_FALSE},
        {OB_FALSE, OB_TRUE, OB_UNKNOWN},
        {OB_FALSE, OB_UNKNOWN, OB_UNKNOWN},
    };
    static const int or_table[3][3] = {
        {OB_FALSE, OB_TRUE, OB_UNKNOWN},
        {OB_TRUE, OB_TRUE, OB_TRUE},
        {OB_UNKNOWN, OB_TRUE, OB_UNKNOWN},
    };
    static const int not_table[3] = {OB_TRUE, OB_FALSE, OB_UNKNOWN};
    struct fx f;
    int i, j;

    fx_init(&f);
    for (i = 0; i < 3; i++) {
        for (j = 0; j < 3; j++) {
            clear_row(&f);
            if (i < 2)
                set_bool(&f, C_PAID, i == 1);
            if (j < 2)
                set_bool(&f, C_Q, j == 1);
            OB_CHECK_INT(where(&f, "paid and q"), and_table[i][j]);
            OB_CHECK_INT(where(&f, "paid or q"), or_table[i][j]);
            /* The same through comparisons with numbers. */
            if (i < 2)
                set_num(&f, C_A, i);
            if (j < 2)
                set_num(&f, C_B, j);
            OB_CHECK_INT(where(&f, "a == 1 and b == 1"), and_table[i][j]);
            OB_CHECK_INT(where(&f, "a == 1 or b == 1"), or_table[i][j]);
        }
        OB_CHECK_INT(where(&f, "not paid"), not_table[i]);
        OB_CHECK_INT(where(&f, "not a == 1"), not_table[i]);
        OB_CHECK_INT(where(&f, "not not paid"), i == 2 ? OB_UNKNOWN : i);
    }
    /* Comparisons with an empty cell are unknown, whatever the type. */
    clear_row(&f);
    OB_CHECK_INT(where(&f, "n == 1"), OB_UNKNOWN);
    OB_CHECK_INT(where(&f, "n != 1"), OB_UNKNOWN);
    OB_CHECK_INT(where(&f, "n < 1"), OB_UNKNOWN);
    OB_CHECK_INT(where(&f, "n + 1 >= 1"), OB_UNKNOWN);
    OB_CHECK_INT(where(&f, "plan == ''"), OB_UNKNOWN);
    OB_CHECK_INT(where(&f, "day == 2026-01-01"), OB_UNKNOWN);
    OB_CHECK_INT(where(&f, "ts > 2026-01-01"), OB_UNKNOWN);
    OB_CHECK_INT(where(&f, "paid == true"), OB_UNKNOWN);
    OB_CHECK_INT(where(&f, "plan in ['a', 'b']"), OB_UNKNOWN);
    OB_CHECK_INT(where(&f, "not plan in ['a', 'b']"), OB_UNKNOWN);
    OB_CHECK_INT(where(&f, "n == n"), OB_UNKNOWN);
    /* is empty / is not empty are never unknown. */
    OB_CHECK_INT(where(&f, "n is empty"), OB_TRUE);
    OB_CHECK_INT(where(&f, "n is not empty"), OB_FALSE);
    OB_CHECK_INT(where(&f, "n + 1 is empty"), OB_TRUE);
    OB_CHECK_INT(where(&f, "(n > 1) is empty"), OB_TRUE);
    OB_CHECK_INT(where(&f, "not n is empty"), OB_FALSE);
    OB_CHECK_INT(where(&f, "n is empty or n > 1"), OB_TRUE);
    OB_CHECK_INT(where(&f, "n is not empty and n > 1"), OB_FALSE);
    set_num(&f, C_N, 0);
    set_str(&f, C_PLAN, "");
    OB_CHECK_INT(where(&f, "n is empty"), OB_FALSE);
    OB_CHECK_INT(where(&f, "n is not empty"), OB_TRUE);
    OB_CHECK_INT(where(&f, "plan is not empty"), OB_TRUE);
    OB_CHECK_INT(where(&f, "n / 0 is empty"), OB_TRUE);
    OB_CHECK_INT(where(&f, "n / 0 == 1"), OB_UNKNOWN);
    /* eval() of a condition: unknown is an empty value. */
    {
        struct ob_expr *e = bound(&f, "a > 1", OB_TYPE_BOOL);
        struct ob_value v;

        ob_expr_eval(e, f.row, &v);
        OB_CHECK_INT(v.type, OB_VAL_EMPTY);
        set_num(&f, C_A, 2);
        ob_expr_eval(e, f.row, &v);
        OB_CHECK(v.type == OB_VAL_BOOL && v.u.b);
    }
    OB_CHECK_INT(f.d.errors, 0);
    fx_release(&f);
}

static void
test_dates(void)
{
    struct fx f;

    fx_init(&f);
    clear_row(&f);
    set_date(&f, C_DAY, "2026-03-01");
    set_date(&f, C_DUE, "2026-03-31");
    OB_CHECK_INT(where(&f, "day == 2026-03-01"), OB_TRUE);
    OB_CHECK_INT(where(&f, "day == '2026-03-01'"), OB_TRUE);
    OB_CHECK_INT(where(&f, "'2026-03-02' > day"), OB_TRUE);
    OB_CHECK_INT(where(&f, "day < 2026-02-28"), OB_FALSE);
    OB_CHECK_INT(where(&f, "day >= 2026-03-01 and day < 2026-04-01"), OB_TRUE);
    OB_CHECK_INT(where(&f, "day in [2026-01-01, '2026-03-01']"), OB_TRUE);
    OB_CHECK_INT(where(&f, "due > day"), OB_TRUE);
    OB_CHECK_NUM(value(&f, "days_between(day, due)"), 30);
    OB_CHECK_NUM(value(&f, "days_between(due, day)"), -30);
    OB_CHECK_NUM(value(&f, "days_between(day, '2026-03-02')"), 1);
    OB_CHECK_NUM(value(&f, "days_between(2026-02-01, day)"), 28);
    OB_CHECK_NUM(value(&f, "hours_between(day, due)"), 720);
    /* Datetimes: seconds and nanos; a date is its day start. */
    set_dt(&f, C_TS, "2026-03-01T00:00:00Z");
    set_dt(&f, C_CLOSED, "2026-03-02T12:00:00.5Z");
    OB_CHECK_NUM(value(&f, "hours_between(ts, closed)"), 36 + 0.5 / 3600);
    OB_CHECK_NUM(value(&f, "days_between(ts, closed)"), 1.5 + 0.5 / 86400);
    OB_CHECK_NUM(value(&f, "hours_between(closed, ts)"), -36 - 0.5 / 3600);
    OB_CHECK_NUM(value(&f, "days_between(day, closed)"), 1.5 + 0.5 / 86400);
    OB_CHECK_NUM(value(&f, "hours_between(closed, due)"),
                 28 * 24 + 12 - 0.5 / 3600);
    OB_CHECK_NUM(value(&f, "hours_between('2026-03-01T06:00', ts)"), -6);
    OB_CHECK_INT(where(&f, "hours_between(ts, closed) > 24"), OB_TRUE);
    OB_CHECK_INT(where(&f, "ts == 2026-03-01"), OB_TRUE);
    OB_CHECK_INT(where(&f, "ts == day"), OB_TRUE);
    OB_CHECK_INT(where(&f, "closed > day"), OB_TRUE);
    OB_CHECK_INT(where(&f, "closed > '2026-03-02T12:00:00'"), OB_TRUE);
    OB_CHECK_INT(where(&f, "closed > '2026-03-02T12:00:00.6'"), OB_FALSE);
    OB_CHECK_INT(where(&f, "closed == '2026-03-02T13:00:00.5+01:00'"), OB_TRUE);
    OB_CHECK_INT(where(&f, "ts in [2026-03-01]"), OB_TRUE);
    OB_CHECK_INT(where(&f, "ts in ['2026-03-01T00:00:01']"), OB_FALSE);
    set_dt(&f, C_TS, "2026-03-01T00:00:00.000000001Z");
    OB_CHECK_INT(where(&f, "ts > 2026-03-01"), OB_TRUE);
    OB_CHECK_INT(where(&f, "ts > day"), OB_TRUE);
    /* An empty argument gives no value. */
    set_empty(&f, C_CLOSED);
    OB_CHECK(isnan(value(&f, "days_between(ts, closed)")));
    OB_CHECK_INT(where(&f, "days_between(ts, closed) > 1"), OB_UNKNOWN);
    OB_CHECK_INT(f.d.errors, 0);
    fx_release(&f);
}

/* Day starts follow the site's zone, daylight saving time included. */
static void
test_zone(void)
{
    struct fx f;

    fx_init_tz(&f, "Europe/Paris");
    if (!f.tz) {
        fprintf(stderr, "test_zone: no Europe/Paris zone, skipped\n");
        fx_release(&f);
        return;
    }
    clear_row(&f);
    /* 00:30 in Paris on July 1 (UTC+2). */
    set_dt(&f, C_TS, "2026-06-30T22:30:00Z");
    OB_CHECK_INT(where(&f, "ts >= 2026-07-01"), OB_TRUE);
    OB_CHECK_INT(where(&f, "ts >= '2026-07-01'"), OB_TRUE);
    OB_CHECK_INT(where(&f, "ts == '2026-07-01T00:30'"), OB_TRUE);
    OB_CHECK_INT(where(&f, "ts == '2026-07-01T00:30Z'"), OB_FALSE);
    set_dt(&f, C_TS, "2026-06-30T21:59:59Z");
    OB_CHECK_INT(where(&f, "ts >= 2026-07-01"), OB_FALSE);
    set_date(&f, C_DAY, "2026-07-01");
    OB_CHECK_INT(where(&f, "ts < day"), OB_TRUE);
    /* March 29, 2026 has 23 hours in Paris; calendar days stay whole. */
    set_date(&f, C_DAY, "2026-03-29");
    set_date(&f, C_DUE, "2026-03-30");
    OB_CHECK_NUM(value(&f, "hours_between(day, due)"), 23);
    OB_CHECK_NUM(value(&f, "days_between(day, due)"), 1);
    set_dt(&f, C_TS, "2026-03-29T12:00:00+02:00");
    OB_CHECK_NUM(value(&f, "hours_between(day, ts)"), 11);
    OB_CHECK_INT(f.d.errors, 0);
    fx_release(&f);
}

/* A column the caller did not convert reaches the row as a string: that
 * must not be read as a number. An unbound name is empty. */
static void
test_unconverted(void)
{
    struct fx f;
    struct ob_expr *e;
    struct ob_value v;

    fx_init(&f);
    clear_row(&f);
    set_str(&f, C_N, "5");
    OB_CHECK_INT(where(&f, "n == 5"), OB_UNKNOWN);
    OB_CHECK(isnan(value(&f, "n + 1")));
    set_str(&f, C_DAY, "2026-01-01");
    OB_CHECK(isnan(value(&f, "days_between(day, day)")));
    e = parse(&f, "x");
    ob_expr_eval(e, f.row, &v);
    OB_CHECK_INT(v.type, OB_VAL_EMPTY);
    fx_release(&f);
}

/* ---- Positions in YAML ----------------------------------------------- */

/*
 * Parses a YAML mapping and makes the expression source of `key` the way
 * config.c does; returns "line:col" of the byte of the value where the
 * n-th (0-based) occurrence of `needle` starts, or of the end when needle
 * is NULL.
 */
static const char *
yaml_pos(const char *yaml, const char *key, const char *needle, int nth)
{
    static char out[64];
    struct ob_arena a;
    struct ob_diag d;
    const struct ob_yaml_node *root, *n;
    struct ob_expr_src es;
    struct ob_pos pos;
    const char *at;
    uint32_t offset;

    ob_arena_init(&a);
    ob_diag_init(&d, 10);
    snprintf(out, sizeof out, "(no node)");
    root = ob_yaml_parse(&a, &d, "k.yaml", yaml, strlen(yaml), 1, NULL);
    n = ob_yaml_get(root, key);
    if (!n || n->kind != OB_YAML_SCALAR)
        goto done;
    memset(&es, 0, sizeof(es));
    es.text = n->str;
    es.node = n;
    es.raw = yaml + n->src_offset;
    es.raw_len = n->src_len;
    if (!needle) {
        offset = (uint32_t)n->len;
    } else {
        at = strstr(n->str, needle);
        while (at && nth-- > 0)
            at = strstr(at + 1, needle);
        snprintf(out, sizeof out, "(no '%s' in '%s')", needle, n->str);
        if (!at)
            goto done;
        offset = (uint32_t)(at - n->str);
    }
    pos = ob_expr_pos(&es, offset);
    snprintf(out, sizeof out, "%u:%u", (unsigned)pos.line, (unsigned)pos.col);
done:
    ob_diag_release(&d);
    ob_arena_release(&a);
    return out;
}

static void
test_positions(void)
{
    /* Plain. */
    OB_CHECK_STR(
        yaml_pos("where: plan != \"internal\"\n", "where", "internal", 0),
        "1:17");
    OB_CHECK_STR(yaml_pos("where: plan != \"internal\"\n", "where", NULL, 0),
                 "1:26");
    OB_CHECK_STR(yaml_pos("where: plan ==   \n", "where", NULL, 0), "1:15");
    OB_CHECK_STR(yaml_pos("x: 1\nkpi:\n  where: pays == \"\xc3\xa9t\xc3\xa9\" "
                          "and x\n",
                          "kpi", NULL, 0),
                 "(no node)");
    /* Accents: bytes are not columns. */
    OB_CHECK_STR(
        yaml_pos("w: pays == \"\xc3\xa9t\xc3\xa9\" and x = 1\n", "w", "= 1", 0),
        "1:24");
    OB_CHECK_STR(yaml_pos("\xc3\xa9: \xc3\xa9 == 1\n", "\xc3\xa9", "1", 0),
                 "1:9");
    /* Single quotes: '' is one quote. */
    OB_CHECK_STR(
        yaml_pos("b: 'feature in [\"\xc3\xa9\", ''x'']'\n", "b", "x", 0),
        "1:24");
    OB_CHECK_STR(
        yaml_pos("b: 'feature in [\"\xc3\xa9\", ''x'']'\n", "b", "'", 0),
        "1:22");
    OB_CHECK_STR(
        yaml_pos("b: 'feature in [\"\xc3\xa9\", ''x'']'\n", "b", "]", 0),
        "1:27");
    OB_CHECK_STR(
        yaml_pos("b: 'feature in [\"\xc3\xa9\", ''x'']'\n", "b", NULL, 0),
        "1:28");
    /* Double quotes: escapes, \u included. */
    OB_CHECK_STR(
        yaml_pos("m: \"rate(priority == \\\"urgent\\\")\"\n", "m", "urgent", 0),
        "1:24");
    OB_CHECK_STR(
        yaml_pos("m: \"rate(priority == \\\"urgent\\\")\"\n", "m", ")", 0),
        "1:32");
    OB_CHECK_STR(
        yaml_pos("m: \"x == \\u00e9\\x41 and \\\\ y\"\n", "m", "\xc3\xa9", 0),
        "1:10");
    OB_CHECK_STR(yaml_pos("m: \"x == \\u00e9\\x41 and \\\\ y\"\n", "m", "A", 0),
                 "1:16");
    OB_CHECK_STR(
        yaml_pos("m: \"x == \\u00e9\\x41 and \\\\ y\"\n", "m", "and", 0),
        "1:21");
    OB_CHECK_STR(yaml_pos("m: \"x == \\u00e9\\x41 and \\\\ y\"\n", "m", "y", 0),
                 "1:28");
    OB_CHECK_STR(yaml_pos("m: \"\\U0001F600 \\t\\N\\L z\"\n", "m", "z", 0),
                 "1:23");
    /* Plain scalars over several lines: a break folds into a space, an
     * empty line into a newline; CRLF is one line end. */
    OB_CHECK_STR(yaml_pos("where: plan == \"pro\"\n  and\n  country == 'fr'\n"
                          "next: 1\n",
                          "where", "and", 0),
                 "2:3");
    OB_CHECK_STR(yaml_pos("where: plan == \"pro\"\n  and\n  country == 'fr'\n",
                          "where", "country", 0),
                 "3:3");
    OB_CHECK_STR(yaml_pos("where: plan == \"pro\"   \r\n    and\r\n\r\n"
                          "    \xc3\xa9 == 'fr'\r\n",
                          "where", "'fr'", 0),
                 "4:10");
    OB_CHECK_STR(yaml_pos("where: plan == \"pro\"\n  and\n  country == 'fr'\n",
                          "where", NULL, 0),
                 "3:18");
    /* Quoted scalars fold too; an escaped line break joins without a
     * space; blanks before a break go. */
    OB_CHECK_STR(yaml_pos("w: \"plan ==  \n    \\\"pro\\\" and\n\n    x \\\n"
                          "    == 1\"\n",
                          "w", "\"pro", 0),
                 "2:5");
    OB_CHECK_STR(yaml_pos("w: \"plan ==  \n    \\\"pro\\\" and\n\n    x \\\n"
                          "    == 1\"\n",
                          "w", "x", 0),
                 "4:5");
    OB_CHECK_STR(yaml_pos("w: \"plan ==  \n    \\\"pro\\\" and\n\n    x \\\n"
                          "    == 1\"\n",
                          "w", "== 1", 0),
                 "5:5");
    OB_CHECK_STR(yaml_pos("w: 'a ==\n  ''b'' or\n\n\n  c'\n", "w", "c", 0),
                 "5:3");
    OB_CHECK_STR(yaml_pos("w: 'a ==\n  ''b'' or\n\n\n  c'\n", "w", "b", 0),
                 "2:5");
    /* Block scalars: the header line and the indentation give nothing. */
    OB_CHECK_STR(yaml_pos("where: >-\n  plan == \"pro\"\n  and\n\n  x == 1\n"
                          "next: 2\n",
                          "where", "x", 0),
                 "5:3");
    OB_CHECK_STR(yaml_pos("where: >-\n  plan == \"pro\"\n  and\n\n  x == 1\n",
                          "where", "and", 0),
                 "3:3");
    OB_CHECK_STR(yaml_pos("where: >-\n  plan == \"pro\"\n  and\n\n  x == 1\n",
                          "where", NULL, 0),
                 "5:9");
    OB_CHECK_STR(yaml_pos("kpi:\n  where: |  # why\n    \xc3\xa9 == 1 or\n"
                          "      foo\n",
                          "kpi", NULL, 0),
                 "(no node)");
    OB_CHECK_STR(yaml_pos("where: |  # why\n  \xc3\xa9 == 1 or\n    foo\n",
                          "where", "or", 0),
                 "2:10");
    OB_CHECK_STR(yaml_pos("where: |  # why\n  \xc3\xa9 == 1 or\n    foo\n",
                          "where", "foo", 0),
                 "3:5");
    OB_CHECK_STR(
        yaml_pos("where: >\n\n  a\n    b\n  c\n  d\n", "where", "d", 0), "6:3");
    OB_CHECK_STR(
        yaml_pos("where: >\n\n  a\n    b\n  c\n  d\n", "where", "b", 0), "4:5");
    /* An indentation indicator keeps the spaces past it. */
    OB_CHECK_STR(yaml_pos("where: |1\n   x ==\n  y\n", "where", "y", 0), "3:3");
    OB_CHECK_STR(yaml_pos("where: |1\n   x ==\n  y\n", "where", "x", 0), "2:4");
    OB_CHECK_STR(yaml_pos("where: >2-\n\n    x\n   y\n", "where", "y", 0),
                 "4:4");
    /* Tags and anchors come before the scalar. */
    OB_CHECK_STR(yaml_pos("where: !!str &w plan == 'x'\n", "where", "'x'", 0),
                 "1:25");
    OB_CHECK_STR(yaml_pos("where: &w\n  \"a == 'x'\"\n", "where", "'x'", 0),
                 "2:9");
}

static unsigned rand_state = 2026;

static unsigned
rnd(unsigned n)
{
    rand_state = rand_state * 1103515245u + 12345u;
    return (rand_state >> 16) % n;
}

/* Random words: letters, digits, operators and accents. */
static void
add_words(struct ob_buf *b, int n)
{
    static const char *const words[] = {"plan",
                                        "x1",
                                        "==",
                                        "(a)",
                                        "\xc3\xa9t\xc3\xa9",
                                        "Zz",
                                        "b",
                                        "99",
                                        "q\xe2\x82\xacq",
                                        "<="};
    int i;

    for (i = 0; i < n; i++) {
        if (i)
            ob_buf_puts(b, rnd(4) ? " " : "  ");
        ob_buf_puts(b, words[rnd(10)]);
    }
}

/* A random scalar of some style under `k:`, with line breaks, empty
 * lines, escapes and doubled quotes. */
static void
random_doc(struct ob_buf *b)
{
    static const char *const dq_bits[] = {"\\\"",    "\\\\",    "\\t",
                                          "\\u00e9", "\\\n   ", "'"};
    int style = (int)rnd(5), lines = 1 + (int)rnd(4), i;
    const char *nl = rnd(5) ? "\n" : "\r\n";

    ob_buf_puts(b, "a: 1\nk: ");
    if (style == 3 || style == 4) {
        ob_buf_puts(b, style == 3 ? "|" : ">");
        ob_buf_puts(b, rnd(2) ? "-" : "");
        ob_buf_puts(b, nl);
        for (i = 0; i < lines; i++) {
            if (rnd(4) == 0)
                ob_buf_puts(b, nl);
            ob_buf_puts(b, i && rnd(4) == 0 ? "    " : "  ");
            add_words(b, 1 + (int)rnd(4));
            ob_buf_puts(b, nl);
        }
        ob_buf_puts(b, "z: 2\n");
        return;
    }
    ob_buf_puts(b, style == 1 ? "'" : style == 2 ? "\"" : "");
    for (i = 0; i < lines; i++) {
        if (i) {
            ob_buf_puts(b, rnd(3) == 0 ? " " : "");
            ob_buf_puts(b, nl);
            if (rnd(4) == 0)
                ob_buf_puts(b, nl);
            ob_buf_puts(b, "   ");
        }
        add_words(b, 1 + (int)rnd(4));
        if (style == 1 && rnd(3) == 0)
            ob_buf_puts(b, " ''x'' \"");
        if (style == 2 && rnd(2) == 0)
            ob_buf_puts(b, dq_bits[rnd(6)]);
        if (style == 2 && rnd(3) == 0)
            ob_buf_puts(b, " b");
    }
    ob_buf_puts(b, style == 1 ? "'" : style == 2 ? "\"" : "");
    ob_buf_puts(b, nl);
    ob_buf_puts(b, "z: 2\n");
}

/* The character at line:col of a text (lines end at LF, CRLF or CR). */
static const char *
char_at(const char *text, uint32_t line, uint32_t col)
{
    uint32_t l = 1, c = 1;
    const char *p = text;

    while (*p && (l < line || (l == line && c < col))) {
        if (*p == '\r' || *p == '\n') {
            p += *p == '\r' && p[1] == '\n' ? 2 : 1;
            l++;
            c = 1;
        } else {
            p += ob_utf8_seq_len((unsigned char)*p);
            c++;
        }
    }
    return p;
}

/* Every letter or digit of a value maps back to the same character in
 * the file, whatever the style, folding and escapes around it. */
static void
test_positions_random(void)
{
    int round, checked = 0, bad = 0;

    for (round = 0; round < 3000; round++) {
        struct ob_buf b = OB_BUF_INIT;
        struct ob_arena a;
        struct ob_diag d;
        const struct ob_yaml_node *root, *n;
        struct ob_expr_src es;
        size_t i;

        ob_arena_init(&a);
        ob_diag_init(&d, 10);
        random_doc(&b);
        root = ob_yaml_parse(&a, &d, "r.yaml", b.ptr, b.len, 1, NULL);
        n = ob_yaml_get(root, "k");
        if (n && n->kind == OB_YAML_SCALAR && n->src_len) {
            memset(&es, 0, sizeof(es));
            es.text = n->str;
            es.node = n;
            es.raw = b.ptr + n->src_offset;
            es.raw_len = n->src_len;
            for (i = 0; i < n->len; i++) {
                char ch = n->str[i];
                struct ob_pos pos;

                if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                      (ch >= '0' && ch <= '9')))
                    continue;
                pos = ob_expr_pos(&es, (uint32_t)i);
                checked++;
                if (*char_at(b.ptr, pos.line, pos.col) != ch) {
                    if (bad++ < 3)
                        fprintf(stderr,
                                "offset %zu ('%c') of [%s] -> %u:%u "
                                "in:\n%s\n",
                                i, ch, n->str, (unsigned)pos.line,
                                (unsigned)pos.col, b.ptr);
                }
            }
        }
        ob_diag_release(&d);
        ob_arena_release(&a);
        ob_buf_release(&b);
    }
    OB_CHECK_INT(bad, 0);
    OB_CHECK(checked > 20000);
}

/* Errors from the parser and the binder land on the character in the
 * YAML file, whatever the scalar's style. */
static const char *
yaml_error(const char *yaml, enum ob_expr_type want)
{
    static char out[512];
    struct fx f;
    const struct ob_yaml_node *root, *n;
    struct ob_expr *e;

    fx_init(&f);
    root = ob_yaml_parse(&f.a, &f.d, "k.yaml", yaml, strlen(yaml), 1, NULL);
    n = ob_yaml_get(root, "where");
    f.es.text = n ? n->str : NULL;
    f.es.node = n;
    if (n && n->src_len) {
        f.es.raw = yaml + n->src_offset;
        f.es.raw_len = n->src_len;
    }
    e = ob_expr_parse(&f.a, &f.d, &f.es);
    if (e)
        ob_expr_bind_row(e, &f.d, &f.es, &f.t, f.tz, want);
    snprintf(out, sizeof out, "%s", diag_at(&f, 0));
    fx_release(&f);
    return out;
}

static void
test_yaml_errors(void)
{
    OB_CHECK_STR(
        yaml_error("where: 'plan == \"pro\" and x = 1'\n", OB_TYPE_BOOL),
        "1:29: '=' is not an operator (did you mean '=='?)");
    OB_CHECK_STR(
        yaml_error("where: \"plan == \\\"pro\\\" and x = 1\"\n", OB_TYPE_BOOL),
        "1:31: '=' is not an operator (did you mean '=='?)");
    OB_CHECK_STR(yaml_error("where: plan == \"\xc3\xa9\" and plann == 'x'\n",
                            OB_TYPE_BOOL),
                 "1:24: unknown column 'plann' in source 'events' (did you "
                 "mean 'plan'?)");
    OB_CHECK_STR(yaml_error("where: >-\n  plan == 'pro' and\n\n"
                            "  n == 'x'\n",
                            OB_TYPE_BOOL),
                 "4:5: cannot compare 'n' (a number) with ''x'' (a string)");
    OB_CHECK_STR(yaml_error("where: |\n  plan == \"pro\n", OB_TYPE_BOOL),
                 "2:11: unterminated string");
    OB_CHECK_STR(yaml_error("where: plan ==\n", OB_TYPE_BOOL),
                 "1:15: unexpected end of expression (expected a value)");
    OB_CHECK_STR(yaml_error("where: \"plan ==\"\n", OB_TYPE_BOOL),
                 "1:16: unexpected end of expression (expected a value)");
    OB_CHECK_STR(yaml_error("where: '  n + 1  '\n", OB_TYPE_BOOL),
                 "1:11: 'where' must be a condition such as plan == \"pro\", "
                 "got a number ('n + 1')");
    OB_CHECK_STR(yaml_error("where: 'day == ''2026-02-30'''\n", OB_TYPE_BOOL),
                 "1:16: '2026-02-30' is not a date (YYYY-MM-DD)");
    OB_CHECK_STR(yaml_error("where: day == 2026-02-30\n", OB_TYPE_BOOL),
                 "1:15: '2026-02-30' is not a date");
}

/* Without the source, positions count characters from the node (and its
 * opening quote). */
static void
test_positions_fallback(void)
{
    struct fx f;
    struct ob_pos pos;

    fx_init(&f);
    f.es.text = "a\xc3\xa9 == 1\nor b";
    f.node.pos.line = 4;
    f.node.pos.col = 10;
    pos = ob_expr_pos(&f.es, 3);
    OB_CHECK_STR(pos.path, "t.yaml");
    OB_CHECK_INT(pos.line, 4);
    OB_CHECK_INT(pos.col, 12);
    pos = ob_expr_pos(&f.es, 9);
    OB_CHECK_INT(pos.line, 5);
    OB_CHECK_INT(pos.col, 1);
    f.node.style = OB_YAML_DOUBLE;
    pos = ob_expr_pos(&f.es, 0);
    OB_CHECK_INT(pos.col, 11);
    f.es.node = NULL;
    pos = ob_expr_pos(&f.es, 0);
    OB_CHECK_INT(pos.line, 0);
    fx_release(&f);
}

/* ---- Through config.c ---------------------------------------------------
 */

static void
write_file(const char *path, const char *text)
{
    char *copy = ob_xstrdup(path);
    FILE *f;

    ob_fs_make_parents(copy);
    free(copy);
    f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

/* opsbook.yaml and a KPI file: config.c keeps each expression's source,
 * so positions are exact once the files' text is gone. */
static void
test_config_sources(void)
{
    static const char *const env_vars[] = {NULL};
    struct ob_env env = {env_vars};
    char dir[64], cwd[4096];
    struct fx f;
    struct ob_fs_root root;
    struct ob_config cfg;
    const struct ob_kpi_def *k;
    struct ob_expr *e;
    enum ob_err err;

    fx_init(&f);
    OB_CHECK(getcwd(cwd, sizeof cwd) != NULL);
    snprintf(dir, sizeof dir, "/tmp/opsbook-expr-XXXXXX");
    OB_CHECK(mkdtemp(dir) != NULL);
    OB_CHECK_INT(chdir(dir), 0);
    write_file("opsbook.yaml",
               "site: {title: T}\n"
               "sources: {events: {path: e.csv, time: ts}}\n"
               "kpis:\n"
               "  - id: urgent\n"
               "    source: events\n"
               "    measure: \"rate(priority == \\\"urgent\\\")\"\n"
               "    where: >-\n"
               "      plan != \"internal\"\n"
               "      and n = 1\n"
               "  - kpis/*.yaml\n");
    write_file("kpis/more.yaml", "# more KPIs\n"
                                 "- id: late\n"
                                 "  source: events\n"
                                 "  measure: avg(days_between(day, due))\n"
                                 "  where: 'feature in [\"\xc3\xa9\", ''x'']"
                                 " and zzz'\n");
    ob_fs_root_init(&root);
    memset(&cfg, 0, sizeof(cfg));
    err = ob_config_load(&cfg, &f.a, &f.d, &env, &root, "opsbook.yaml");
    OB_CHECK_INT(err, OB_OK);
    OB_CHECK_STR(diag_at(&f, 0), "(none)");
    k = ob_config_kpi(&cfg, "urgent");
    OB_CHECK(k != NULL);
    if (k) {
        OB_CHECK(k->where.raw != NULL);
        OB_CHECK_STR(k->where.key, "where");
        OB_CHECK_STR(k->measure.key, "measure");
        OB_CHECK(ob_expr_parse(&f.a, &f.d, &k->where) == NULL);
        OB_CHECK_STR(diag_at(&f, 0),
                     "9:13: '=' is not an operator (did you mean '=='?)");
        OB_CHECK_STR(f.d.entries[0].pos.path, "opsbook.yaml");
        ob_diag_release(&f.d);
        ob_diag_init(&f.d, 100);
        /* The measure's argument, bound by the KPI engine. */
        e = ob_expr_parse(&f.a, &f.d, &k->measure);
        OB_CHECK(e != NULL && e->kind == OB_EXPR_CALL);
        if (e) {
            OB_CHECK(!ob_expr_bind_row(e->args[0], &f.d, &k->measure, &f.t,
                                       f.tz, OB_TYPE_BOOL));
            OB_CHECK_STR(diag_at(&f, 0),
                         "6:20: unknown column 'priority' in source "
                         "'events'");
        }
    }
    k = ob_config_kpi(&cfg, "late");
    OB_CHECK(k != NULL);
    if (k) {
        ob_diag_release(&f.d);
        ob_diag_init(&f.d, 100);
        e = ob_expr_parse(&f.a, &f.d, &k->where);
        OB_CHECK(e != NULL);
        if (e)
            OB_CHECK(!ob_expr_bind_row(e, &f.d, &k->where, &f.t, f.tz,
                                       OB_TYPE_BOOL));
        OB_CHECK_STR(diag_at(&f, 0), "5:39: unknown column 'zzz' in source "
                                     "'events'");
        OB_CHECK_STR(f.d.entries[0].pos.path, "kpis/more.yaml");
        e = ob_expr_parse(&f.a, &f.d, &k->measure);
        OB_CHECK(e != NULL);
        if (e)
            OB_CHECK(ob_expr_bind_row(e->args[0], &f.d, &k->measure, &f.t, f.tz,
                                      OB_TYPE_NUMBER));
    }
    OB_CHECK_INT(chdir(cwd), 0);
    ob_fs_remove_tree(dir);
    ob_fs_root_release(&root);
    fx_release(&f);
}

int
main(void)
{
    OB_RUN(test_precedence);
    OB_RUN(test_spans);
    OB_RUN(test_literals);
    OB_RUN(test_syntax_errors);
    OB_RUN(test_limits);
    OB_RUN(test_soup);
    OB_RUN(test_bind);
    OB_RUN(test_arithmetic);
    OB_RUN(test_comparisons);
    OB_RUN(test_three_valued);
    OB_RUN(test_dates);
    OB_RUN(test_zone);
    OB_RUN(test_unconverted);
    OB_RUN(test_positions);
    OB_RUN(test_positions_random);
    OB_RUN(test_yaml_errors);
    OB_RUN(test_positions_fallback);
    OB_RUN(test_config_sources);
    return OB_TEST_DONE();
}
