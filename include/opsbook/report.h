/* report.h: the Excel stakeholder reports: OUT/reports/ID.xlsx per report,
 * its dated copies, and the ones carried over from the previous OUT. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_REPORT_H
#define OPSBOOK_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsbook/arena.h"
#include "opsbook/build.h"
#include "opsbook/config.h"
#include "opsbook/output.h"

/** Where reports go inside OUT. */
#define OB_REPORT_DIR "reports"

/** A dated copy of a report: ID-YYYY-MM-DD.xlsx. */
struct ob_report_file {
    const char *name; /* "leadership-2026-11-20.xlsx", inside reports/ */
    int32_t date;     /* its as-of day */
    bool carried;     /* from the previous OUT, not made by this build */
};

/**
 * The dated copies report `r` has in the OUT a build writes, newest
 * first: this build's own (as_of), and the newest ones of the previous
 * OUT (`previous_out`, the OUT folder being replaced; NULL or missing:
 * none) that are regular files named ID-YYYY-MM-DD.xlsx with a valid date
 * other than as_of: build.keep_reports in all, this build's among them
 * (keep_reports 0: none, not even this build's). The undated ID.xlsx is
 * always written and is not listed. The same answer for the same folder,
 * so the site's reports page can list exactly what the build keeps.
 * Returns how many; *files lives in `a`.
 */
size_t ob_report_files(const struct ob_build *b, const struct ob_report_def *r,
                       const char *previous_out, struct ob_arena *a,
                       struct ob_report_file **files);

/**
 * Writes every report of opsbook.yaml into the new tree of `out`:
 * reports/ID.xlsx (Summary, OKRs, a sheet per KPI with a native chart, a
 * sheet per `tables` source, Sources), its dated copy and the copies
 * carried over from the previous OUT (see ob_report_files()). The bytes
 * depend only on the inputs and as_of. Sparklines are drawn on up to
 * `jobs` threads. With `same_data` (the build's data is the last
 * build's: see build.c), a workbook OUT still holds as it was written is
 * kept instead. Returns OB_OK, OB_ERR_INPUT (a report names an OKR
 * quarter that has no OKRs; reported) or OB_ERR_ENV (a file could not be
 * written or a source read again; reported).
 */
enum ob_err ob_reports_write(struct ob_build *b, struct ob_output *out,
                             unsigned jobs, bool same_data);

#endif
