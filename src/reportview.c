/* reportview.c: the reports page. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/reportview.h"

#include <string.h>

#include "opsbook/arena.h"
#include "opsbook/markdown.h"
#include "opsbook/report.h"

enum word {
    W_NONE,
    W_KPIS,
    W_KPI,
    W_OKRS,
    W_TABLE,
    W_DOWNLOAD,
    W_AS_OF,
    W_COPIES,
    W_COPIES_NOTE,
    W_CARRIED,
    W_EMAIL
};

static const char *const words[][2] = {
    [W_NONE] = {"No reports: add one under 'reports:' in opsbook.yaml.",
                "Aucun rapport : ajoutez-en un sous « reports: » dans "
                "opsbook.yaml."},
    [W_KPIS] = {"KPIs", "indicateurs"},
    [W_KPI] = {"KPI", "indicateur"},
    [W_OKRS] = {"OKRs", "OKR"},
    [W_TABLE] = {"data", "données"},
    [W_DOWNLOAD] = {"Download the workbook (Excel)",
                    "Télécharger le classeur (Excel)"},
    [W_AS_OF] = {"data as of", "données au"},
    [W_COPIES] = {"Dated copies", "Copies datées"},
    [W_COPIES_NOTE] = {"The workbook of each build, kept so that last week's "
                       "numbers stay at hand.",
                       "Le classeur de chaque construction, gardé pour "
                       "retrouver les chiffres des semaines passées."},
    [W_CARRIED] = {"from an earlier build", "d’une construction précédente"},
    [W_EMAIL] = {"the email (.eml)", "le courriel (.eml)"},
};

static const char *
word(const struct ob_view *v, enum word w)
{
    return words[w][ob_view_language(v) == OB_LANG_FR];
}

static void
put_text(struct ob_buf *out, const char *s)
{
    ob_buf_add_html(out, s, strlen(s));
}

/* "8 KPIs · OKRs 2026-Q4 · data: feedback" */
static void
contents(const struct ob_view *v, const struct ob_report_def *r,
         struct ob_buf *out)
{
    const struct ob_okrs *okrs = &v->b->okrs;
    size_t n = r->all_kpis ? v->b->kpis.n : r->n_kpis, i;

    ob_buf_printf(out, "<p class=\"report-what\">%zu %s", n,
                  word(v, n == 1 ? W_KPI : W_KPIS));
    if (r->latest_okrs && okrs->latest >= 0) {
        ob_buf_printf(out, " · %s ", word(v, W_OKRS));
        put_text(out, okrs->quarters[okrs->latest].label);
    }
    for (i = 0; i < r->n_okr_quarters; i++) {
        ob_buf_printf(out, i ? ", " : " · %s ", word(v, W_OKRS));
        put_text(out, r->okr_quarters[i].name);
    }
    for (i = 0; i < r->n_tables; i++) {
        ob_buf_printf(out, i ? ", " : " · %s: ", word(v, W_TABLE));
        put_text(out, r->tables[i].name);
    }
    ob_buf_puts(out, "</p>\n");
}

static void
copies(const struct ob_view *v, const struct ob_report_file *files, size_t n,
       struct ob_buf *out)
{
    size_t i;

    ob_buf_printf(out,
                  "<details class=\"report-copies\"><summary>%s (%zu)"
                  "</summary>\n<p>%s</p>\n<ul>\n",
                  word(v, W_COPIES), n, word(v, W_COPIES_NOTE));
    for (i = 0; i < n; i++) {
        ob_buf_puts(out, "<li><a href=\"");
        put_text(out, files[i].name);
        ob_buf_puts(out, "\" download>");
        ob_view_date(v, out, files[i].date);
        ob_buf_puts(out, "</a>");
        if (files[i].carried)
            ob_buf_printf(out, " <span class=\"report-carried\">(%s)</span>",
                          word(v, W_CARRIED));
        ob_buf_puts(out, "</li>\n");
    }
    ob_buf_puts(out, "</ul>\n</details>\n");
}

static void
report(const struct ob_view *v, const struct ob_report_def *r,
       const char *previous_out, struct ob_buf *out)
{
    const char *title = r->title && *r->title ? r->title : r->id;
    struct ob_report_file *files;
    struct ob_buf id = OB_BUF_INIT;
    struct ob_arena a;
    size_t n;

    ob_arena_init(&a);
    n = ob_report_files(v->b, r, previous_out, &a, &files);
    ob_markdown_anchor(&id, r->id, strlen(r->id));
    ob_buf_puts(out, "<section class=\"report\" data-report=\"");
    put_text(out, r->id);
    ob_buf_puts(out, "\">\n<h2 id=\"");
    put_text(out, id.len ? id.ptr : "report");
    ob_buf_puts(out, "\">");
    put_text(out, title);
    ob_buf_puts(out, "</h2>\n");
    contents(v, r, out);
    ob_buf_puts(out, "<p><a class=\"report-download\" href=\"");
    put_text(out, r->id);
    ob_buf_printf(out, ".xlsx\" download>%s</a> · %s ", word(v, W_DOWNLOAD),
                  word(v, W_AS_OF));
    ob_view_date(v, out, v->b->as_of);
    if (v->b->config.mail.present) {
        ob_buf_puts(out, " · <a class=\"report-email\" href=\"");
        put_text(out, r->id);
        ob_buf_printf(out, ".eml\" download>%s</a>", word(v, W_EMAIL));
    }
    ob_buf_puts(out, "</p>\n");
    if (n)
        copies(v, files, n, out);
    ob_buf_puts(out, "</section>\n");
    ob_buf_release(&id);
    ob_arena_release(&a);
}

void
ob_reportview_index(const struct ob_view *v, const char *previous_out,
                    struct ob_buf *out)
{
    const struct ob_config *cfg = &v->b->config;
    size_t i;

    if (!cfg->n_reports) {
        ob_buf_printf(out, "<p>%s</p>\n", word(v, W_NONE));
        return;
    }
    ob_buf_puts(out, "<div class=\"report-list\">\n");
    for (i = 0; i < cfg->n_reports; i++)
        report(v, &cfg->reports[i], previous_out, out);
    ob_buf_puts(out, "</div>\n");
}
