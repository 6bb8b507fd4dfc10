/* site.h: the handbook site: pages in their layout, files, static/. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_SITE_H
#define OPSBOOK_SITE_H

#include "opsbook/buf.h"
#include "opsbook/build.h"
#include "opsbook/output.h"

/**
 * Renders one page into `out` as a complete HTML document in the built-in
 * layout. Links are relative, so the site works from disk and any sub-path.
 */
void ob_site_render_page(const struct ob_build *b, const struct ob_page *p,
                         struct ob_buf *out);

/**
 * Writes every page, the files beside them, static/ and the theme's assets
 * into `o`. Returns OB_OK or the first failure (reported to `diag`).
 */
enum ob_err ob_site_write(const struct ob_build *b, struct ob_diag *diag,
                          struct ob_output *o);

#endif
