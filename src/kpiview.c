/* kpiview.c: KPIs as HTML (placeholder until the views land). */
/* SPDX-License-Identifier: MIT */
#include "opsbook/kpiview.h"

#include <string.h>

void
ob_kpiview_card(const struct ob_view *v, const struct ob_kpi *kpi, int group,
                struct ob_buf *out)
{
    (void)v;
    (void)group;
    ob_buf_puts(out, "<div class=\"kpi-card\">");
    ob_buf_add_html(out, kpi->def->title, strlen(kpi->def->title));
    ob_buf_puts(out, "</div>\n");
}

void
ob_kpiview_cards(const struct ob_view *v, const struct ob_kpi *const *kpis,
                 size_t n, struct ob_buf *out)
{
    size_t i;

    for (i = 0; i < n; i++)
        ob_kpiview_card(v, kpis[i], -1, out);
}

void
ob_kpiview_chart(const struct ob_view *v, const struct ob_kpi *kpi,
                 const struct ob_kpi_chart_opts *o, struct ob_buf *out)
{
    const struct ob_figure *f = ob_figures_add(v->figures, kpi, o);

    ob_buf_puts(out, "<img src=\"");
    ob_view_link(v, out, f->name);
    ob_buf_puts(out, ".svg\">\n");
}

void
ob_kpiview_table(const struct ob_view *v, const struct ob_kpi *kpi,
                 const struct ob_kpi_chart_opts *o, struct ob_buf *out)
{
    (void)v;
    (void)kpi;
    (void)o;
    ob_buf_puts(out, "<table></table>\n");
}

void
ob_kpiview_page(const struct ob_view *v, const struct ob_kpi *kpi,
                struct ob_buf *out)
{
    struct ob_kpi_chart_opts o = {.target = true};

    ob_kpiview_card(v, kpi, -1, out);
    if (kpi->ok)
        ob_kpiview_chart(v, kpi, &o, out);
}

void
ob_kpiview_index(const struct ob_view *v, struct ob_buf *out)
{
    size_t i;

    for (i = 0; i < v->b->kpis.n; i++)
        ob_kpiview_card(v, &v->b->kpis.kpis[i], -1, out);
}
