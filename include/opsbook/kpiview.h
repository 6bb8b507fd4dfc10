/* kpiview.h: KPIs as HTML: cards, charts, tables, and the KPI pages. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_KPIVIEW_H
#define OPSBOOK_KPIVIEW_H

#include <stddef.h>

#include "opsbook/buf.h"
#include "opsbook/kpi.h"
#include "opsbook/kpichart.h"
#include "opsbook/view.h"

/*
 * Every function appends HTML to `out`, in the site's language, with the
 * KPI's number format, links relative to the view's page. Charts are
 * asked of v->figures and shown as <picture>: the light SVG, and the dark
 * one for a dark theme. A KPI that was not computed (kpi->ok false) shows
 * "no data".
 *
 * The markup the theme styles and browser tests read (numbers are the
 * exact texts of `opsbook kpi --json`, through numfmt):
 *   article.kpi-card[data-kpi=ID][data-group=G]   a card
 *   .kpi-value            the current value, or "no data" (.kpi-value.none)
 *   .kpi-period           the period it is for ("2026-W46", "Oct 2026")
 *   .kpi-delta.good|.bad|.flat  the change; inside it .kpi-arrow,
 *                         .kpi-delta-text (ob_numfmt_delta), .kpi-delta-rel
 *                         (ob_numfmt_ratio; none for percent KPIs) and the
 *                         words for screen readers (.visually-hidden)
 *   .kpi-target-value     the target in force
 *   .kpi-status[data-status=green|amber|red]  the status in words
 *   .kpi-partial-value, .kpi-stale  the notes
 *   tr.kpi-group[data-group=G]  a group's row in a `by` KPI's card
 *   picture > source[media] + img  every chart, sparklines too
 */

/**
 * A KPI card: its title (a link to its page), the current value, the
 * delta with an arrow coloured by whether the change is good for the
 * KPI's direction (said in words for screen readers too), the target and
 * a status badge in words (not colour alone), a sparkline, and notes for
 * a period in progress and for stale source data. `group` is a group of a
 * `by` KPI; -1 for a KPI without `by`, or for every group of a `by` KPI
 * (one row per group, the largest first, at most OB_KPI_CHART_GROUPS).
 */
void ob_kpiview_card(const struct ob_view *v, const struct ob_kpi *kpi,
                     int group, struct ob_buf *out);

/** Cards in a grid, in the order given, one per KPI (group -1). */
void ob_kpiview_cards(const struct ob_view *v, const struct ob_kpi *const *kpis,
                      size_t n, struct ob_buf *out);

/**
 * A chart as a <figure>: the picture, its alt text, a caption, and the
 * numbers in a folded data table (ob_chart_table_html()).
 */
void ob_kpiview_chart(const struct ob_view *v, const struct ob_kpi *kpi,
                      const struct ob_kpi_chart_opts *o, struct ob_buf *out);

/**
 * The series as a table: one row per period (the latest first), one
 * column per group shown, the target, and the period in progress marked.
 * `o` gives the periods and the group (its kind is ignored).
 */
void ob_kpiview_table(const struct ob_view *v, const struct ob_kpi *kpi,
                      const struct ob_kpi_chart_opts *o, struct ob_buf *out);

/**
 * The body of the KPI's page (kpis/ID/): its card, its default chart,
 * the table, the definition (measure or formula, filter, grain, by,
 * target, direction, thresholds, format; the source's files, rows read,
 * newest row, checks and freshness), the annotations of the periods shown,
 * and links to ID.csv and to the KPIs it is computed from.
 */
void ob_kpiview_page(const struct ob_view *v, const struct ob_kpi *kpi,
                     struct ob_buf *out);

/** The body of kpis/: every KPI's card, grouped by owner (KPIs without one
 * last), in definition order within a group, each group a heading. */
void ob_kpiview_index(const struct ob_view *v, struct ob_buf *out);

#endif
