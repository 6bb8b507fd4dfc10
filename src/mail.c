/* mail.c: `opsbook mail`: check the inputs, make the MIME message, write
 * OUT/reports/ID.eml atomically, and hand it to the SMTP client. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/mail.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mail_int.h"
#include "opsbook/chart.h"
#include "opsbook/date.h"
#include "opsbook/fs.h"
#include "opsbook/kpichart.h"
#include "opsbook/mem.h"
#include "opsbook/numfmt.h"
#include "opsbook/report.h"
#include "opsbook/text.h"

#define XLSX_TYPE                                                              \
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Charts in the email: as wide as the message column, drawn at twice the
 * pixels for sharp phones and high-density screens. */
#define CHART_WIDTH  560
#define CHART_HEIGHT 260
#define CHART_SCALE  2

void
ob_mail_init(struct ob_mail *m)
{
    memset(m, 0, sizeof(*m));
    ob_buf_init(&m->xlsx);
    ob_buf_init(&m->message);
}

void
ob_mail_release(struct ob_mail *m)
{
    size_t i;

    if (m->from)
        ob_mailbox_release(m->from);
    free(m->from);
    for (i = 0; i < m->n_to; i++)
        ob_mailbox_release(&m->to[i]);
    free(m->to);
    free(m->xlsx_path);
    free(m->eml_path);
    ob_buf_release(&m->xlsx);
    ob_buf_release(&m->message);
    memset(m, 0, sizeof(*m));
}

/* ---- checks before computing --------------------------------------------- */

/* Problems in opsbook.yaml's mail: section are reported at the file. */
static struct ob_pos
config_pos(const struct ob_build *b)
{
    struct ob_pos pos = {b->config.path, 0, 0};

    return pos;
}

static enum ob_err
find_report(struct ob_mail *m, struct ob_build *b, const char *id)
{
    const struct ob_config *cfg = &b->config;
    const char **ids;
    size_t i;

    for (i = 0; i < cfg->n_reports; i++)
        if (!strcmp(cfg->reports[i].id, id)) {
            m->report = &cfg->reports[i];
            return OB_OK;
        }
    if (!cfg->n_reports) {
        ob_diag_error(&b->diag, NULL,
                      "unknown report '%s': opsbook.yaml defines no "
                      "'reports:'",
                      id);
        return OB_ERR_USAGE;
    }
    ids = ob_xcalloc(cfg->n_reports, sizeof(*ids));
    for (i = 0; i < cfg->n_reports; i++)
        ids[i] = cfg->reports[i].id;
    ob_diag_unknown(&b->diag, NULL, "report", id, ids, cfg->n_reports);
    free(ids);
    return OB_ERR_USAGE;
}

/* Text that cannot go in a header, said without echoing it: a value
 * holding a line break is an attempt (or a slip) to add headers. */
static void
bad_text(struct ob_build *b, const struct ob_pos *pos, const char *what,
         const char *why)
{
    bool eol = !strcmp(why, "holds a line break");

    ob_diag_error(&b->diag, pos, "%s %s%s", what, why,
                  eol ? ": refused, since a line break in a mail header "
                        "would start a header of its own"
                      : "");
}

/* A mailbox from `what` ("mail.from", "--to"), or a reported problem. */
static bool
parse_mailbox(struct ob_build *b, const struct ob_pos *pos, const char *what,
              const char *s, struct ob_mailbox *mb)
{
    const char *why = ob_mailbox_parse(s, mb);

    if (!why)
        return true;
    if (ob_mail_check_text(s))
        bad_text(b, pos, what, why);
    else
        ob_diag_error(&b->diag, pos, "%s '%s' %s", what, s, why);
    return false;
}

struct rcpt_ctx {
    struct ob_mail *m;
    struct ob_build *b;
    const struct ob_pos *pos;
    const char *what;
    bool ok;
};

static bool
add_rcpt(const char *piece, size_t len, void *arg)
{
    struct rcpt_ctx *r = arg;
    struct ob_mail *m = r->m;
    char *s = ob_xstrndup(piece, len);

    OB_GROW(m->to, m->n_to + 1, m->cap_to);
    if (parse_mailbox(r->b, r->pos, r->what, s, &m->to[m->n_to]))
        m->n_to++;
    else
        r->ok = false;
    free(s);
    return true; /* report every bad one */
}

static bool
add_rcpts(struct rcpt_ctx *r, const char *list)
{
    const char *why = ob_mail_check_text(list);

    /* Checked whole, before the split can hide where the break was. */
    if (why) {
        bad_text(r->b, r->pos, r->what, why);
        r->ok = false;
        return false;
    }
    ob_mail_split_list(list, add_rcpt, r);
    return r->ok;
}

static enum ob_err
check_recipients(struct ob_mail *m, struct ob_build *b,
                 const struct ob_mail_options *o)
{
    const struct ob_mail_config *mc = &b->config.mail;
    struct rcpt_ctx r = {m, b, NULL, "--to", true};
    size_t i;

    for (i = 0; i < o->n_to; i++)
        add_rcpts(&r, o->to[i]);
    if (o->n_to && r.ok && !m->n_to)
        ob_diag_error(&b->diag, NULL, "--to names no address");
    if (o->n_to)
        return r.ok && m->n_to ? OB_OK : OB_ERR_USAGE;
    r.what = "mail.to";
    for (i = 0; i < mc->n_to; i++) {
        r.pos = &mc->to_pos[i];
        add_rcpts(&r, mc->to[i]);
    }
    if (!r.ok)
        return OB_ERR_INPUT;
    if (!m->n_to && mc->present) { /* else check_sender says it */
        ob_diag_error(&b->diag, &mc->pos,
                      "no recipients: list them in mail.to or give --to");
        return OB_ERR_INPUT;
    }
    return OB_OK;
}

static enum ob_err
check_sender(struct ob_mail *m, struct ob_build *b)
{
    const struct ob_mail_config *mc = &b->config.mail;
    struct ob_pos pos = config_pos(b);

    if (!mc->present || !mc->from) {
        ob_diag_error(&b->diag, &pos,
                      "no 'mail:' section with 'from': 'opsbook mail' needs "
                      "one (see the README, \"opsbook mail\")");
        return OB_ERR_INPUT;
    }
    m->from = ob_xcalloc(1, sizeof(*m->from));
    return parse_mailbox(b, &mc->from_pos, "mail.from", mc->from, m->from)
               ? OB_OK
               : OB_ERR_INPUT;
}

static enum ob_err
check_subject(struct ob_mail *m, struct ob_build *b)
{
    struct ob_pos pos =
        b->config.mail.subject ? b->config.mail.subject_pos : m->report->pos;
    const char *s = b->config.mail.subject, *why;

    if (!s)
        s = ob_arena_printf(&b->arena, "%s \xE2\x80\x94 {{as_of}}",
                            m->report->title);
    m->subject_template = s;
    why = ob_mail_check_text(s);
    if (!why)
        return OB_OK;
    bad_text(b, &pos,
             b->config.mail.subject ? "mail.subject"
                                    : "the report's title (the subject)",
             why);
    return OB_ERR_INPUT;
}

static enum ob_err
check_url(struct ob_mail *m, struct ob_build *b,
          const struct ob_mail_options *o)
{
    const char *url = o->send_url ? o->send_url : b->config.mail.smtp, *why;
    struct ob_pos pos = b->config.mail.smtp_pos;

    if (o->no_send || !url || !*url)
        return OB_OK;
    why = ob_smtp_check_url(url);
    if (!why) {
        m->url = url;
        return OB_OK;
    }
    /* the URL may hold credentials: name what is wrong, not the value */
    if (o->send_url) {
        ob_diag_error(&b->diag, NULL, "--send %s", why);
        return OB_ERR_USAGE;
    }
    ob_diag_error(&b->diag, &pos, "mail.smtp %s", why);
    return OB_ERR_INPUT;
}

/* The workbook `opsbook build` left in OUT: attached byte for byte. */
static enum ob_err
read_xlsx(struct ob_mail *m, struct ob_build *b)
{
    const char *out = m->opt->out_dir ? m->opt->out_dir : ob_build_out_dir(b);
    size_t len = strlen(out);
    const char *sep = len && out[len - 1] == '/' ? "" : "/";
    struct stat st;
    char *p, *xlsx;

    p = ob_arena_printf(&b->arena, "%s%s" OB_REPORT_DIR "/%s", out, sep,
                        m->report->id);
    xlsx = ob_arena_printf(&b->arena, "%s.xlsx", p);
    m->xlsx_path = ob_xstrdup(xlsx);
    m->eml_path = ob_xstrdup(ob_arena_printf(&b->arena, "%s.eml", p));
    if (stat(xlsx, &st) != 0 && errno == ENOENT) {
        ob_diag_error(&b->diag, NULL, "no %s: run 'opsbook build' first", xlsx);
        return OB_ERR_INPUT;
    }
    /* The arena's copy: a read error keeps the path as its position until
     * the diagnostics are printed, after ob_mail_release(). */
    return ob_fs_read_file(&b->diag, NULL, xlsx, OB_FS_MAX_FILE, &m->xlsx);
}

/* Keeps the first problem's code, so usage mistakes stay exit 2. */
static void
keep(enum ob_err *err, enum ob_err e)
{
    if (!*err)
        *err = e;
}

enum ob_err
ob_mail_prepare(struct ob_mail *m, struct ob_build *b,
                const struct ob_mail_options *o)
{
    enum ob_err err = OB_OK;

    m->opt = o;
    keep(&err, find_report(m, b, o->report));
    keep(&err, check_sender(m, b));
    keep(&err, check_recipients(m, b, o));
    keep(&err, check_url(m, b, o));
    if (m->report) {
        keep(&err, check_subject(m, b));
        /* only worth reading once the rest is right */
        if (!err)
            err = read_xlsx(m, b);
    }
    return err;
}

/* ---- the message --------------------------------------------------------- */

/* The domain of the sender's address: the right side of every id we make,
 * as RFC 5322 asks (ids unique to the sending domain). */
static const char *
id_domain(const struct ob_mail *m)
{
    return strchr(m->from->addr, '@') + 1;
}

static char *
subject_of(const struct ob_mail *m, const struct ob_build *b)
{
    static const char token[] = "{{as_of}}";
    struct ob_buf out = OB_BUF_INIT, date = OB_BUF_INIT;
    const char *s = m->subject_template, *hit;

    ob_numfmt_date(&date, b->as_of, b->config.site.language);
    for (hit = strstr(s, token); hit; hit = strstr(s, token)) {
        ob_buf_add(&out, s, (size_t)(hit - s));
        ob_buf_add(&out, date.ptr, date.len);
        s = hit + sizeof token - 1;
    }
    ob_buf_puts(&out, s);
    ob_buf_release(&date);
    return ob_buf_detach(&out, NULL);
}

/* "Leadership report 2026-11-20.xlsx", with the characters file systems
 * refuse replaced (control characters too: a title may hold a CR or LF),
 * so a reader can save it as it is named. */
static char *
attachment_name(const struct ob_mail *m, const struct ob_build *b)
{
    struct ob_buf out = OB_BUF_INIT;
    const char *t = m->report->title;
    char iso[11];

    for (; *t; t++) {
        unsigned char c = (unsigned char)*t;
        bool refused = c < 0x20 || c == 0x7f || strchr("/\\:*?\"<>|", c);

        ob_buf_putc(&out, refused ? '-' : *t);
    }
    ob_date_format(b->as_of, iso);
    ob_buf_printf(&out, " %s.xlsx", iso);
    return ob_buf_detach(&out, NULL);
}

static enum ob_err
draw_image(struct ob_charter *ch, struct ob_build *b, const struct ob_mail *m,
           const struct ob_kpi *kpi, struct ob_mail_image *img)
{
    struct ob_kpi_chart_opts o = {
        .target = true, .notes = b->config.notes, .n_notes = b->config.n_notes};
    struct ob_buf alt = OB_BUF_INIT;
    struct ob_chart c;
    enum ob_err err;

    ob_kpi_chart(&c, kpi, &o, b->config.site.language, &b->arena);
    c.width = CHART_WIDTH;
    c.height = CHART_HEIGHT;
    ob_buf_init(&img->png);
    err =
        ob_chart_png(ch, &c, OB_THEME_LIGHT, CHART_SCALE, &img->png, &b->diag);
    ob_chart_alt(&c, &alt);
    img->kpi = kpi->def->id;
    img->alt = ob_buf_detach(&alt, NULL);
    img->filename =
        ob_xstrdup(ob_arena_printf(&b->arena, "%s.png", kpi->def->id));
    img->cid = ob_xstrdup(
        ob_arena_printf(&b->arena, "%s.%016llx@%s", kpi->def->id,
                        (unsigned long long)ob_mail_hash(
                            OB_MAIL_HASH_INIT, img->png.ptr, img->png.len),
                        id_domain(m)));
    return err;
}

static void
free_images(struct ob_mail_image *imgs, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        free(imgs[i].cid);
        free(imgs[i].filename);
        free(imgs[i].alt);
        ob_buf_release(&imgs[i].png);
    }
    free(imgs);
}

/* A chart per KPI of the report that has numbers. */
static enum ob_err
draw_images(struct ob_build *b, const struct ob_mail *m,
            struct ob_mail_image **out, size_t *n)
{
    const struct ob_kpi **kpis;
    struct ob_charter *ch;
    enum ob_err err = OB_OK;
    size_t i, count;

    *out = NULL;
    *n = 0;
    kpis = ob_mail_report_kpis(b, m->report, &count);
    if (!count)
        return OB_OK;
    ch = ob_charter_new(NULL, &b->diag);
    if (!ch) {
        free(kpis);
        return OB_ERR_ENV;
    }
    *out = ob_xcalloc(count, sizeof(**out));
    for (i = 0; !err && i < count; i++)
        if (kpis[i]->ok)
            err = draw_image(ch, b, m, kpis[i], &(*out)[(*n)++]);
    ob_charter_free(ch);
    free(kpis);
    return err;
}

static bool
quarter_listed(const struct ob_quarter **list, size_t n,
               const struct ob_quarter *q)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (list[i] == q)
            return true;
    return false;
}

/* The report's OKR quarters: `latest`, or those it names, each once (as
 * the workbook shows them). */
static enum ob_err
report_quarters(struct ob_build *b, const struct ob_report_def *r,
                const struct ob_quarter ***out, size_t *n)
{
    const struct ob_okrs *o = &b->okrs;
    size_t i;
    int q;

    *n = 0;
    *out = ob_xcalloc(r->n_okr_quarters + 1, sizeof(**out));
    if (r->latest_okrs) {
        if (o->latest >= 0)
            (*out)[(*n)++] = &o->quarters[o->latest];
        return OB_OK;
    }
    for (i = 0; i < r->n_okr_quarters; i++) {
        q = ob_okrs_quarter(o, r->okr_quarters[i].name,
                            b->config.site.fiscal_year_start);
        if (q < 0) {
            ob_diag_error(&b->diag, &r->okr_quarters[i].pos,
                          "report '%s' names quarter '%s', which has no OKRs",
                          r->id, r->okr_quarters[i].name);
            return OB_ERR_INPUT;
        }
        if (!quarter_listed(*out, *n, &o->quarters[q]))
            (*out)[(*n)++] = &o->quarters[q];
    }
    return OB_OK;
}

/* Everything the message says, fingerprinted: boundaries and the
 * Message-ID follow the content, so the same inputs give the same bytes
 * and a different email gets a different id. */
static uint64_t
fingerprint(const struct ob_mail *m, const char *subject,
            const struct ob_buf *text, const struct ob_buf *html,
            const struct ob_mail_image *imgs, size_t n)
{
    uint64_t h = OB_MAIL_HASH_INIT;
    size_t i;

    h = ob_mail_hash(h, subject, strlen(subject) + 1);
    h = ob_mail_hash(h, m->from->addr, strlen(m->from->addr) + 1);
    for (i = 0; i < m->n_to; i++)
        h = ob_mail_hash(h, m->to[i].addr, strlen(m->to[i].addr) + 1);
    h = ob_mail_hash(h, text->ptr, text->len);
    h = ob_mail_hash(h, html->ptr, html->len);
    for (i = 0; i < n; i++)
        h = ob_mail_hash(h, imgs[i].png.ptr, imgs[i].png.len);
    return ob_mail_hash(h, m->xlsx.ptr, m->xlsx.len);
}

struct parts {
    const char *subject, *attachment;
    struct ob_buf text, html;
    struct ob_mail_image *imgs;
    size_t n_imgs;
    char mixed[48], related[48], alt[48];
};

static void
headers(const struct ob_mail *m, const struct ob_build *b,
        const struct parts *p, uint64_t h, struct ob_buf *out)
{
    int64_t end = ob_tz_day_start(b->tz, b->as_of + 1) - 1;
    char iso[11];

    /* The end of the as_of day: the moment the data is complete, so the
     * Date never depends on when the job ran and is never in the future
     * of a nightly run (spam filters score future dates). */
    ob_buf_puts(out, "Date: ");
    ob_mail_date(out, end, ob_tz_offset_at(b->tz, end));
    ob_buf_puts(out, OB_MAIL_CRLF);
    ob_mail_header_mailboxes(out, "From", m->from, 1);
    ob_mail_header_mailboxes(out, "To", m->to, m->n_to);
    ob_mail_header_text(out, "Subject", p->subject);
    ob_date_format(b->as_of, iso);
    ob_buf_printf(out, "Message-ID: <opsbook.%s.%s.%016llx@%s>" OB_MAIL_CRLF,
                  m->report->id, iso, (unsigned long long)h, id_domain(m));
    /* RFC 3834: out-of-office replies are not sent to a robot */
    ob_buf_puts(out, "MIME-Version: 1.0" OB_MAIL_CRLF
                     "Auto-Submitted: auto-generated" OB_MAIL_CRLF);
    ob_buf_printf(out,
                  "Content-Type: multipart/mixed;" OB_MAIL_CRLF
                  "\tboundary=\"%s\"" OB_MAIL_CRLF OB_MAIL_CRLF
                  "This is a message in MIME format." OB_MAIL_CRLF,
                  p->mixed);
}

static void
text_part(struct ob_buf *out, const char *type, const struct ob_buf *body)
{
    ob_buf_printf(
        out,
        "Content-Type: %s; charset=UTF-8" OB_MAIL_CRLF
        "Content-Transfer-Encoding: quoted-printable" OB_MAIL_CRLF OB_MAIL_CRLF,
        type);
    ob_mail_qp(out, body->ptr, body->len);
}

static void
alternative(const struct parts *p, struct ob_buf *out)
{
    ob_buf_printf(out,
                  "Content-Type: multipart/alternative;" OB_MAIL_CRLF
                  "\tboundary=\"%s\"" OB_MAIL_CRLF OB_MAIL_CRLF
                  "--%s" OB_MAIL_CRLF,
                  p->alt, p->alt);
    text_part(out, "text/plain", &p->text);
    ob_buf_printf(out, OB_MAIL_CRLF "--%s" OB_MAIL_CRLF, p->alt);
    text_part(out, "text/html", &p->html);
    ob_buf_printf(out, OB_MAIL_CRLF "--%s--" OB_MAIL_CRLF, p->alt);
}

static void
image_part(const struct ob_mail_image *img, struct ob_buf *out)
{
    ob_buf_puts(out, "Content-Type: image/png");
    ob_mail_filename_param(out, "name", img->filename);
    ob_buf_printf(out,
                  OB_MAIL_CRLF "Content-Transfer-Encoding: base64" OB_MAIL_CRLF
                               "Content-ID: <%s>" OB_MAIL_CRLF
                               "Content-Disposition: inline",
                  img->cid);
    ob_mail_filename_param(out, "filename", img->filename);
    ob_buf_puts(out, OB_MAIL_CRLF OB_MAIL_CRLF);
    ob_mail_base64(out, img->png.ptr, img->png.len);
}

/* RFC 2387: the HTML and its pictures travel together; the text and HTML
 * alternatives are its root part. */
static void
related(const struct parts *p, struct ob_buf *out)
{
    size_t i;

    ob_buf_printf(out,
                  "Content-Type: multipart/related;" OB_MAIL_CRLF
                  "\ttype=\"multipart/alternative\";" OB_MAIL_CRLF
                  "\tboundary=\"%s\"" OB_MAIL_CRLF OB_MAIL_CRLF
                  "--%s" OB_MAIL_CRLF,
                  p->related, p->related);
    alternative(p, out);
    for (i = 0; i < p->n_imgs; i++) {
        ob_buf_printf(out, OB_MAIL_CRLF "--%s" OB_MAIL_CRLF, p->related);
        image_part(&p->imgs[i], out);
    }
    ob_buf_printf(out, OB_MAIL_CRLF "--%s--" OB_MAIL_CRLF, p->related);
}

static void
attachment_part(const struct ob_mail *m, const struct parts *p,
                struct ob_buf *out)
{
    ob_mail_type_field(out, "Content-Type", XLSX_TYPE);
    ob_mail_filename_param(out, "name", p->attachment);
    ob_buf_puts(out,
                OB_MAIL_CRLF "Content-Transfer-Encoding: base64" OB_MAIL_CRLF
                             "Content-Disposition: attachment");
    ob_mail_filename_param(out, "filename", p->attachment);
    ob_buf_puts(out, OB_MAIL_CRLF OB_MAIL_CRLF);
    ob_mail_base64(out, m->xlsx.ptr, m->xlsx.len);
}

static void
assemble(const struct ob_mail *m, const struct ob_build *b, struct parts *p,
         struct ob_buf *out)
{
    uint64_t h =
        fingerprint(m, p->subject, &p->text, &p->html, p->imgs, p->n_imgs);

    /* "=_" cannot occur in base64 or quoted-printable text, so no body
     * line can ever look like a boundary (RFC 2045 section 6.7). */
    snprintf(p->mixed, sizeof p->mixed, "=_opsbook_mixed_%016llx",
             (unsigned long long)h);
    snprintf(p->related, sizeof p->related, "=_opsbook_related_%016llx",
             (unsigned long long)h);
    snprintf(p->alt, sizeof p->alt, "=_opsbook_alt_%016llx",
             (unsigned long long)h);
    headers(m, b, p, h, out);
    ob_buf_printf(out, OB_MAIL_CRLF "--%s" OB_MAIL_CRLF, p->mixed);
    if (p->n_imgs)
        related(p, out);
    else
        alternative(p, out);
    ob_buf_printf(out, OB_MAIL_CRLF "--%s" OB_MAIL_CRLF, p->mixed);
    attachment_part(m, p, out);
    ob_buf_printf(out, OB_MAIL_CRLF "--%s--" OB_MAIL_CRLF, p->mixed);
}

static enum ob_err
compose(struct ob_mail *m, struct ob_build *b)
{
    struct parts p;
    struct ob_mail_content c;
    const struct ob_quarter **quarters;
    enum ob_err err;

    memset(&p, 0, sizeof(p));
    memset(&c, 0, sizeof(c));
    ob_buf_init(&p.text);
    ob_buf_init(&p.html);
    err = report_quarters(b, m->report, &quarters, &c.n_quarters);
    if (!err)
        err = draw_images(b, m, &p.imgs, &p.n_imgs);
    if (!err) {
        p.subject = subject_of(m, b);
        p.attachment = attachment_name(m, b);
        c = (struct ob_mail_content){
            b,        m->report,    p.subject, p.attachment,
            quarters, c.n_quarters, p.imgs,    p.n_imgs};
        ob_mail_body_text(&c, &p.text);
        ob_mail_body_html(&c, &p.html);
        assemble(m, b, &p, &m->message);
    }
    free((char *)p.subject);
    free((char *)p.attachment);
    free(quarters);
    free_images(p.imgs, p.n_imgs);
    ob_buf_release(&p.text);
    ob_buf_release(&p.html);
    return err;
}

/* ---- writing ------------------------------------------------------------- */

static enum ob_err
write_failed(struct ob_diag *d, const char *path, int err)
{
    ob_diag_error(d, NULL, "cannot write %s: %s", path, strerror(err));
    return OB_ERR_ENV;
}

/* A temporary file beside `path`, renamed over it once complete: a
 * reader (or a crash) never meets half a message. */
static enum ob_err
write_atomic(struct ob_diag *d, const char *path, const struct ob_buf *data)
{
    struct ob_buf tmp = OB_BUF_INIT;
    const char *slash = strrchr(path, '/');
    bool ok;
    int fd, saved = 0;

    if (slash)
        ob_buf_add(&tmp, path, (size_t)(slash - path) + 1);
    ob_buf_printf(&tmp, ".%s.XXXXXX", slash ? slash + 1 : path);
    fd = mkstemp(tmp.ptr);
    if (fd < 0) {
        ob_buf_release(&tmp);
        return write_failed(d, path, errno);
    }
    ok = fchmod(fd, 0644) == 0 && ob_fs_write_all(fd, data->ptr, data->len) &&
         fsync(fd) == 0;
    if (!ok)
        saved = errno;
    if (close(fd) != 0 && ok)
        ok = false, saved = errno;
    if (ok && rename(tmp.ptr, path) != 0)
        ok = false, saved = errno;
    if (!ok)
        unlink(tmp.ptr);
    ob_buf_release(&tmp);
    return ok ? OB_OK : write_failed(d, path, saved);
}

enum ob_err
ob_mail_write(struct ob_mail *m, struct ob_build *b)
{
    enum ob_err err;

    ob_buf_reset(&m->message);
    err = compose(m, b);
    if (!err)
        err = write_atomic(&b->diag, m->eml_path, &m->message);
    if (!err && b->opt.verbose) {
        /* A build writes into its new tree, swapped in as OUT at the end:
         * name the file where it will be, not where it is for now. */
        const char *out = ob_build_out_dir(b);
        size_t len = strlen(out);
        const char *shown =
            !m->opt->out_dir
                ? m->eml_path
                : ob_arena_printf(&b->arena, "%s%s" OB_REPORT_DIR "/%s.eml",
                                  out, len && out[len - 1] == '/' ? "" : "/",
                                  m->report->id);

        fprintf(stderr, "opsbook: wrote %s (%zu bytes)\n", shown,
                m->message.len);
    }
    return err;
}

enum ob_err
ob_mail_send(struct ob_mail *m, struct ob_build *b)
{
    const struct ob_mail_options *o = m->opt;
    struct ob_smtp_job job;
    const char **rcpt;
    enum ob_err err;
    size_t i;

    if (!m->url)
        return OB_OK;
    rcpt = ob_xcalloc(m->n_to, sizeof(*rcpt));
    for (i = 0; i < m->n_to; i++)
        rcpt[i] = m->to[i].addr;
    job = (struct ob_smtp_job){
        m->url,
        m->from->addr,
        rcpt,
        m->n_to,
        m->message.ptr,
        m->message.len,
        o->insecure,
        o->cacert,
        o->smtp_user && *o->smtp_user ? o->smtp_user : NULL,
        o->smtp_password,
        o->timeout > 0 ? o->timeout : OB_MAIL_TIMEOUT,
    };
    err = ob_smtp_send(&job, &b->diag);
    if (!err && b->opt.verbose)
        fprintf(stderr, "opsbook: sent %s to %zu recipient%s\n", m->eml_path,
                m->n_to, m->n_to == 1 ? "" : "s");
    free(rcpt);
    return err;
}
