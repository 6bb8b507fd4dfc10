/* tokens.c: live numbers in prose: {{kpi:ID}}, {{okr:ID.progress}}, ... */
/* SPDX-License-Identifier: MIT */
#include "opsbook/tokens.h"

#include <stdlib.h>
#include <string.h>

#include "opsbook/kpi.h"
#include "opsbook/mem.h"
#include "opsbook/numfmt.h"
#include "opsbook/okr.h"
#include "opsbook/text.h"

/* What a token asks for, split out of its text. */
struct token {
    char id[128], group[128], field[16];
    bool has_group;
};

static bool
copy_part(char *out, size_t size, const char *s, size_t len)
{
    if (!len || len >= size)
        return false;
    memcpy(out, s, len);
    out[len] = '\0';
    return true;
}

/* "ID", "ID.field", "ID[GROUP]", "ID[GROUP].field". */
static bool
split(const char *s, size_t len, struct token *t)
{
    const char *end = s + len, *p = s, *dot;

    memset(t, 0, sizeof(*t));
    while (p < end && *p != '[' && *p != '.')
        p++;
    if (!copy_part(t->id, sizeof t->id, s, (size_t)(p - s)))
        return false;
    if (p < end && *p == '[') {
        const char *close = memchr(p, ']', (size_t)(end - p));

        if (!close || !copy_part(t->group, sizeof t->group, p + 1,
                                 (size_t)(close - p - 1)))
            return false;
        t->has_group = true;
        p = close + 1;
    }
    if (p == end)
        return true;
    dot = p;
    return *dot == '.' && copy_part(t->field, sizeof t->field, dot + 1,
                                    (size_t)(end - dot - 1));
}

static void
no_data(const struct ob_build *b, struct ob_buf *out)
{
    ob_buf_puts(out, b->config.site.language == OB_LANG_FR
                         ? "<span class=\"token none\">pas de donn\xC3\xA9"
                           "es</span>"
                         : "<span class=\"token none\">no data</span>");
}

static void
value_span(struct ob_buf *out, const char *cls, const struct ob_buf *text)
{
    ob_buf_printf(out, "<span class=\"token %s\">", cls);
    ob_buf_add_html(out, text->ptr, text->len);
    ob_buf_puts(out, "</span>");
}

static const char **
kpi_ids(const struct ob_build *b)
{
    size_t i;
    const char **ids;

    ids = ob_xcalloc(b->kpis.n + 1, sizeof(*ids));
    for (i = 0; i < b->kpis.n; i++)
        ids[i] = b->kpis.kpis[i].def->id;
    return ids;
}

static bool
unknown_kpi(const struct ob_build *b, const struct token *t,
            const struct ob_pos *pos, struct ob_diag *d)
{
    const char **ids = kpi_ids(b);

    ob_diag_unknown(d, pos, "KPI", t->id, ids, b->kpis.n);
    free(ids);
    return true;
}

#define NO_ROWS -2 /* a group without rows: "no data" */

/* The group a token names, the one group of a KPI without `by`, NO_ROWS,
 * or -1 after an error. */
static int
group_of(const struct ob_kpi *kpi, const struct token *t,
         const struct ob_pos *pos, struct ob_diag *d)
{
    int g;

    if (!kpi->def->by.name) {
        if (t->has_group) {
            ob_diag_error(d, pos, "KPI '%s' has no 'by', so no groups", t->id);
            return -1;
        }
        return 0;
    }
    if (!t->has_group) {
        ob_diag_error(d, pos,
                      "KPI '%s' has one value per '%s': name the group, as "
                      "in {{kpi:%s[GROUP]}}",
                      t->id, kpi->def->by.name, t->id);
        return -1;
    }
    g = ob_kpi_group(kpi, t->group);
    if (g < 0) { /* no rows yet (a new category, an older as-of) */
        ob_diag_warning(d, pos,
                        "KPI '%s' has no group '%s' up to the as-of day: "
                        "shown as no data",
                        t->id, t->group);
        return NO_ROWS;
    }
    return g;
}

static bool
kpi_token(const struct ob_build *b, const char *s, size_t len,
          const struct ob_pos *pos, struct ob_buf *out, struct ob_diag *d)
{
    struct token t;
    const struct ob_kpi *kpi;
    const struct ob_kpi_state *st;
    struct ob_numfmt fmt;
    struct ob_buf text = OB_BUF_INIT;
    int g;

    if (!split(s, len, &t)) {
        ob_diag_error(d, pos,
                      "'{{kpi:%.*s}}' is not a KPI token: write "
                      "{{kpi:ID}}, {{kpi:ID.delta}}, {{kpi:ID.target}} "
                      "or {{kpi:ID[GROUP]}}",
                      (int)len, s);
        return true;
    }
    kpi = ob_kpis_find(&b->kpis, t.id);
    if (!kpi)
        return unknown_kpi(b, &t, pos, d);
    if (*t.field && strcmp(t.field, "delta") && strcmp(t.field, "target")) {
        ob_diag_error(d, pos,
                      "unknown field '%s' of KPI '%s' (one of value, "
                      "delta, target)",
                      t.field, t.id);
        return true;
    }
    g = group_of(kpi, &t, pos, d);
    if (g == -1)
        return true;
    if (g == NO_ROWS || !kpi->ok || !kpi->states) {
        no_data(b, out);
        return true;
    }
    st = &kpi->states[g];
    fmt = kpi->fmt;
    fmt.language = b->config.site.language;
    if (!strcmp(t.field, "delta") && st->has_delta) {
        ob_numfmt_delta(&text, &fmt, st->delta);
        value_span(out,
                   st->delta > 0   ? "up"
                   : st->delta < 0 ? "down"
                                   : "flat",
                   &text);
    } else if (!strcmp(t.field, "target") && st->has_target) {
        ob_numfmt_value(&text, &fmt, st->target);
        value_span(out, "target", &text);
    } else if (!*t.field && st->has_current) {
        ob_numfmt_value(&text, &fmt, st->current);
        value_span(out, "value", &text);
    } else {
        no_data(b, out);
    }
    ob_buf_release(&text);
    return true;
}

static bool
okr_token(const struct ob_build *b, const char *s, size_t len,
          const struct ob_pos *pos, struct ob_buf *out, struct ob_diag *d)
{
    struct token t;
    struct ob_numfmt pct = {OB_FMT_PERCENT, NULL, 0, b->config.site.language};
    struct ob_buf text = OB_BUF_INIT;
    double progress;

    if (!split(s, len, &t) || t.has_group || strcmp(t.field, "progress")) {
        ob_diag_error(d, pos,
                      "'{{okr:%.*s}}' is not an OKR token: write "
                      "{{okr:ID.progress}}",
                      (int)len, s);
        return true;
    }
    if (!ob_okrs_progress(&b->okrs, t.id, &progress)) {
        ob_diag_error(d, pos, "unknown objective or key result '%s'", t.id);
        return true;
    }
    ob_numfmt_value(&text, &pct, progress);
    value_span(out, "progress", &text);
    ob_buf_release(&text);
    return true;
}

bool
ob_token_render(const struct ob_build *b, const char *text, size_t len,
                const struct ob_pos *pos, struct ob_buf *out, struct ob_diag *d)
{
    if (len == 5 && !memcmp(text, "as_of", 5)) {
        struct ob_buf date = OB_BUF_INIT;

        ob_numfmt_date(&date, b->as_of, b->config.site.language);
        value_span(out, "as-of", &date);
        ob_buf_release(&date);
        return true;
    }
    if (len > 4 && !memcmp(text, "kpi:", 4))
        return kpi_token(b, text + 4, len - 4, pos, out, d);
    if (len > 4 && !memcmp(text, "okr:", 4))
        return okr_token(b, text + 4, len - 4, pos, out, d);
    return false;
}
