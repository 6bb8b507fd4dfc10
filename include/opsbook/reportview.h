/* reportview.h: the reports page: each Excel report to download, with the
 * dated copies the build keeps. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_REPORTVIEW_H
#define OPSBOOK_REPORTVIEW_H

#include "opsbook/buf.h"
#include "opsbook/view.h"

/**
 * Appends the body of reports/: for every report of opsbook.yaml, its
 * title, what it holds (KPIs, OKR quarters, tables), a link to
 * reports/ID.xlsx, and its dated copies, newest first, exactly as
 * ob_report_files() lists them for `previous_out` (the OUT the build
 * replaces; NULL: none). The page is at reports/index.html, so links are
 * relative to reports/.
 */
void ob_reportview_index(const struct ob_view *v, const char *previous_out,
                         struct ob_buf *out);

#endif
