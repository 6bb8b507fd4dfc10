/* embed.h: dashboards inside a page: fenced blocks with the info string
 * `opsbook` and a YAML body. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_EMBED_H
#define OPSBOOK_EMBED_H

#include <stddef.h>

#include "opsbook/buf.h"
#include "opsbook/diag.h"
#include "opsbook/view.h"

/*
 * The body is a mapping with one of these keys and its options:
 *   kpi: ID      a card            group: G
 *   kpis: [IDs]  a grid of cards   (or `kpis: all`)
 *   chart: ID    a chart           type: line|bar|stacked, periods: N,
 *                                  target: true|false, group: G
 *   table: ID    the numbers       periods: N, group: G
 *   okrs: Q      an OKR tree       team: T   (Q a quarter, or `latest`)
 */

/**
 * Renders the embed whose body is body[0..len), found in a page at `fence`
 * (its opening fence: the body starts on the next line, indented by the
 * fence's column), appending its HTML to `out`. A body that is no valid
 * embed (bad YAML, no kind or two, an unknown key, id, group, quarter or
 * team, a wrong value) is reported to `d` at the exact line and column in
 * the page file, and nothing is appended.
 */
void ob_embed_render(const struct ob_view *v, const char *body, size_t len,
                     const struct ob_pos *fence, struct ob_diag *d,
                     struct ob_buf *out);

#endif
