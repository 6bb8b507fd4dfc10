/* view.c: links from a view's page. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/view.h"

#include <string.h>

#include "opsbook/date.h"
#include "opsbook/numfmt.h"

void
ob_view_link(const struct ob_view *v, struct ob_buf *out, const char *folder)
{
    size_t len = strlen(folder);

    ob_buf_add_html(out, v->root, strlen(v->root));
    ob_buf_add_html(out, folder, len);
    if (len && folder[len - 1] == '/' && !v->pretty)
        ob_buf_puts(out, "index.html");
}

enum ob_language
ob_view_language(const struct ob_view *v)
{
    return v->b->config.site.language;
}

void
ob_view_date(const struct ob_view *v, struct ob_buf *out, int32_t date)
{
    char iso[11];

    ob_date_format(date, iso);
    ob_buf_printf(out, "<time datetime=\"%s\">", iso);
    ob_numfmt_date(out, date, ob_view_language(v));
    ob_buf_puts(out, "</time>");
}
