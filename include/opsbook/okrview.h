/* okrview.h: OKRs as HTML: the alignment tree of a quarter, and the OKR
 * pages. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_OKRVIEW_H
#define OPSBOOK_OKRVIEW_H

#include "opsbook/buf.h"
#include "opsbook/okr.h"
#include "opsbook/view.h"

/*
 * Every function appends HTML to `out`, in the site's language, links
 * relative to the view's page. Progress is drawn with HTML and CSS (a bar
 * with the expected-progress marker), always with its number and its
 * status in words too.
 *
 * What scripts and tests can rely on:
 *   li.objective[data-id][data-team][data-status]  an objective; its
 *       aligned objectives nest in its ul.okr-children
 *   li.kr[data-id][data-status]  a key result, in its objective's ol.krs
 *   in either, before any nested objective:
 *     .okr-progress   the progress as {{okr:ID.progress}} writes it
 *     .okr-status     the status in words; .okr-grade once ended
 *     .okr-bar        role="img", aria-label "62% done, 57% expected",
 *                     data-progress and data-expected (shares, 0-1)
 *   data-status is ob_okr_status_name() of the status.
 */

/**
 * A quarter's alignment tree: its top objectives (those whose parent is
 * not in the quarter) with their progress bar, expected marker, status,
 * grade once ended, confidence and owner; key results beneath each
 * (current value in its format, baseline and target, progress, status,
 * confidence with its trend, "no recent check-in"); aligned objectives
 * nested under their parent. `team` NULL: every team; else only the
 * objectives of that team and the ones on the way to them, which are
 * marked li.okr-context ("shown for context") and shown without their key
 * results. Returns an empty ul.okr-tree when nothing matches.
 */
void ob_okrview_tree(const struct ob_view *v, const struct ob_quarter *q,
                     const char *team, struct ob_buf *out);

/**
 * The body of a quarter's page (okrs/SLUG/), in a div.okr-view: its
 * dates, expected progress, the count of objectives by status (by grade
 * once ended), a team filter when there are two teams or more (hidden;
 * opsbook.js reveals it, hides the other teams and keeps the choice in
 * the URL as ?team=NAME; without scripts everything shows), and the tree.
 */
void ob_okrview_page(const struct ob_view *v, const struct ob_quarter *q,
                     struct ob_buf *out);

/**
 * The body of okrs/: the latest quarter's page under an h2 linking to it
 * (a sentence instead when no quarter has started, or when no OKRs are
 * defined at all), then ol.okr-quarters: every quarter, the latest
 * first, linking to its page, with where it stands and its counts.
 */
void ob_okrview_index(const struct ob_view *v, struct ob_buf *out);

/**
 * Appends the folder name of a quarter's page: its label, with ".." of a
 * START..END period written "--" ("2026-Q4", "FY27-Q1",
 * "2026-10-06--2026-12-20").
 */
void ob_okrview_slug(const struct ob_quarter *q, struct ob_buf *out);

#endif
