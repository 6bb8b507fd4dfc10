/* okrview.c: OKRs as HTML (placeholder until the views land). */
/* SPDX-License-Identifier: MIT */
#include "opsbook/okrview.h"

#include <string.h>

void
ob_okrview_tree(const struct ob_view *v, const struct ob_quarter *q,
                const char *team, struct ob_buf *out)
{
    size_t i;

    (void)v;
    (void)team;
    ob_buf_puts(out, "<ul class=\"okr-tree\">\n");
    for (i = 0; i < q->n_objectives; i++) {
        const char *t = q->objectives[i]->def->title;

        ob_buf_puts(out, "<li>");
        ob_buf_add_html(out, t, strlen(t));
        ob_buf_puts(out, "</li>\n");
    }
    ob_buf_puts(out, "</ul>\n");
}

void
ob_okrview_page(const struct ob_view *v, const struct ob_quarter *q,
                struct ob_buf *out)
{
    ob_okrview_tree(v, q, NULL, out);
}

void
ob_okrview_index(const struct ob_view *v, struct ob_buf *out)
{
    const struct ob_okrs *o = &v->b->okrs;

    if (o->latest >= 0)
        ob_okrview_page(v, &o->quarters[o->latest], out);
}

void
ob_okrview_slug(const struct ob_quarter *q, struct ob_buf *out)
{
    const char *dots = strstr(q->label, "..");

    if (!dots) {
        ob_buf_puts(out, q->label);
        return;
    }
    ob_buf_add(out, q->label, (size_t)(dots - q->label));
    ob_buf_puts(out, "--");
    ob_buf_puts(out, dots + 2);
}
