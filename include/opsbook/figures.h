/* figures.h: the KPI charts a site shows, each drawn once, in both
 * themes, as files beside the pages. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_FIGURES_H
#define OPSBOOK_FIGURES_H

#include <stddef.h>

#include "opsbook/chart.h"
#include "opsbook/config.h"
#include "opsbook/diag.h"
#include "opsbook/kpi.h"
#include "opsbook/kpichart.h"
#include "opsbook/output.h"

/** A chart the site shows: its files and its model. */
struct ob_figure {
    /* The files' path from the site root without the extension:
     * NAME.svg (light) and NAME.dark.svg. "kpis/wau" for a KPI's default
     * chart (a line, or stacked bars for a `by` KPI that adds up, with
     * its target), "kpis/wau-1b2c3d4e" for other options. */
    const char *name;
    const struct ob_chart *chart; /* for ob_chart_alt(), a data table */
};

/** The figures of one build; not thread-safe (pages ask in one thread). */
struct ob_figures;

/**
 * A set whose charts use labels in `lang` and carry the markers of
 * `notes` (the annotations file's, kept by the caller).
 */
struct ob_figures *ob_figures_new(enum ob_language lang,
                                  const struct ob_annotation *notes,
                                  size_t n_notes);
void ob_figures_free(struct ob_figures *f);

/**
 * The figure of `kpi` drawn with `o` (its notes are ignored: the set
 * adds its own). The same KPI and options give the same figure, drawn
 * once. `kpi` must be computed (kpi->ok) and outlive the set. The figure
 * lives as long as the set.
 */
const struct ob_figure *ob_figures_add(struct ob_figures *f,
                                       const struct ob_kpi *kpi,
                                       const struct ob_kpi_chart_opts *o);

/** How many figures the set holds. */
size_t ob_figures_count(const struct ob_figures *f);

/** One ob_figures_add() call: the KPI's id and the options (notes left
 * out), as asked. A page not rendered again asks the same again. */
struct ob_figure_ask {
    const char *kpi;
    struct ob_kpi_chart_opts opts;
};

/** How many ob_figures_add() calls the set has had. */
size_t ob_figures_asked(const struct ob_figures *f);

/** The i-th of them; it lives as long as the set. */
const struct ob_figure_ask *ob_figures_ask(const struct ob_figures *f,
                                           size_t i);

/**
 * Draws every figure in both themes on up to `threads` threads and writes
 * NAME.svg and NAME.dark.svg into `out`, in the order they were added.
 * A figure the last build drew from the same chart (ob_chart_key()) with
 * the same fonts is not drawn again while OUT holds its files as written:
 * they are kept. What the last build drew is read from its "figures"
 * cache file in `cache_dir` (NULL: none); the one for the next build is
 * put in `keep` (NULL: none made; a set without figures keeps nothing,
 * `keep` stays empty). With `verbose`, says how many figures
 * were drawn and kept. Returns OB_OK or the first failure (reported to
 * `d`).
 */
enum ob_err ob_figures_write(struct ob_figures *f, unsigned threads,
                             struct ob_output *out, struct ob_diag *d,
                             const char *cache_dir, struct ob_buf *keep,
                             bool verbose);

#endif
