/* mail_int.h: what the mail module's files share: the MIME encoders, the
 * bodies and the SMTP delivery. Not for other modules. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_MAIL_INT_H
#define OPSBOOK_MAIL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsbook/buf.h"
#include "opsbook/build.h"
#include "opsbook/config.h"
#include "opsbook/diag.h"

/* ---- MIME encoders (mail_mime.c): RFC 2045-2047, 2231, 5322 ---------- */

/** Lines of encoded text end in CRLF everywhere in a message. */
#define OB_MAIL_CRLF "\r\n"

/** Base64 body lines hold 76 characters (RFC 2045 section 6.8). */
#define OB_MAIL_B64_LINE 76

/**
 * Appends `len` bytes as base64 in lines of 76 characters, each ending in
 * CRLF (the last one too, when there is any data).
 */
void ob_mail_base64(struct ob_buf *out, const void *data, size_t len);

/**
 * Appends UTF-8 text (lines ending in LF or CRLF) as quoted-printable:
 * lines of at most 76 characters with soft breaks, CRLF line ends, '=',
 * controls, bytes over 0x7F and whitespace before a line end encoded;
 * also a '.' opening a line and the F of a line opening "From ", which
 * some relays and mbox files mangle.
 */
void ob_mail_qp(struct ob_buf *out, const char *text, size_t len);

/**
 * Appends the header `name: value` for unstructured text (Subject):
 * folded at spaces to lines of at most 78 characters; as RFC 2047
 * encoded-words (UTF-8, B) when it holds non-ASCII text, "=?", or a word
 * too long to fold. Ends in CRLF. `value` must hold no control
 * characters (see ob_mail_check_text()).
 */
void ob_mail_header_text(struct ob_buf *out, const char *name,
                         const char *value);

/**
 * Why `s` cannot go into a header, or NULL when it can: a line break (CR
 * or LF: it would start a header of its own), another control
 * character, or text that is not UTF-8.
 */
const char *ob_mail_check_text(const char *s);

/** A mailbox: an address with an optional display name. */
struct ob_mailbox {
    char *name; /* UTF-8, unquoted; NULL when none */
    char *addr; /* local@domain, ASCII */
};

/**
 * Parses one mailbox: "local@domain", "Name <local@domain>" or
 * "\"Name, Inc.\" <local@domain>". On success fills `mb` (heap strings,
 * freed by ob_mailbox_release()) and returns NULL; otherwise returns why
 * it is not one ("holds a line break", "is not an email address", ...)
 * and leaves `mb` empty.
 */
const char *ob_mailbox_parse(const char *s, struct ob_mailbox *mb);
void ob_mailbox_release(struct ob_mailbox *mb);

/**
 * Splits a comma-separated list of mailboxes at the commas outside quotes
 * and angle brackets. Calls `each(piece, len, arg)` for every non-blank
 * piece, trimmed; stops early (returning false) when it returns false.
 */
bool ob_mail_split_list(const char *s,
                        bool (*each)(const char *piece, size_t len, void *arg),
                        void *arg);

/**
 * Appends `name: mailbox, mailbox` folded between mailboxes, display names
 * as atoms, a quoted string or encoded-words. Ends in CRLF.
 */
void ob_mail_header_mailboxes(struct ob_buf *out, const char *name,
                              const struct ob_mailbox *list, size_t n);

/**
 * Appends an RFC 5322 date-time: "Fri, 20 Nov 2026 23:59:59 +0100" for
 * the instant `utc` (seconds) seen at `offset` seconds east of UTC.
 */
void ob_mail_date(struct ob_buf *out, int64_t utc, int32_t offset);

/**
 * Appends the header field `name` with the MIME type `type` as its value,
 * folded after the colon when the line, with the ";" of a parameter
 * after it, would pass RFC 5322's 78 characters
 * ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
 * alone is 65).
 */
void ob_mail_type_field(struct ob_buf *out, const char *name, const char *type);

/**
 * Appends the filename parameters of a Content-Disposition (`param`
 * "filename") or Content-Type (`param` "name"): a quoted value when the
 * name is plain ASCII; else RFC 2231 (`name*0*=UTF-8''%C3%A9...`, split
 * in sections that keep lines short) followed by an RFC 2047 quoted
 * fallback for the mail readers that know only that. Each parameter
 * starts with ";" CRLF and a tab, so lines stay short.
 */
void ob_mail_filename_param(struct ob_buf *out, const char *param,
                            const char *filename);

/** FNV-1a, 64 bits: a stable fingerprint of bytes, for boundaries and
 * ids that depend on the content only (never the clock). Start at
 * OB_MAIL_HASH_INIT; chain calls to hash several pieces. */
#define OB_MAIL_HASH_INIT 0xcbf29ce484222325ULL
uint64_t ob_mail_hash(uint64_t h, const void *data, size_t len);

/* ---- the bodies (mail_body.c) ----------------------------------------- */

/** A picture in the message, referred to from the HTML by its cid. */
struct ob_mail_image {
    const char *kpi; /* the KPI it charts */
    char *cid;       /* "wau.1f2e3d4c5b6a7988@example.com": heap */
    char *filename;  /* "wau.png": heap */
    char *alt;       /* the chart's alt text: heap */
    struct ob_buf png;
};

/** What the bodies say, besides the KPIs and OKRs of the build. */
struct ob_mail_content {
    const struct ob_build *b;
    const struct ob_report_def *report;
    const char *subject;    /* as sent: {{as_of}} replaced */
    const char *attachment; /* the xlsx's file name, as attached */
    const struct ob_quarter *const *quarters; /* the report's OKRs */
    size_t n_quarters;
    const struct ob_mail_image *images; /* one per KPI, or none */
    size_t n_images;
};

/**
 * The KPIs of `report` in the workbook's order (`kpis: all`: definition
 * order; a list: its order, each KPI once): borrowed pointers in a heap
 * array the caller frees (NULL when there are none). Sets *n.
 */
const struct ob_kpi **ob_mail_report_kpis(const struct ob_build *b,
                                          const struct ob_report_def *report,
                                          size_t *n);

/** Appends the plain-text body (LF line ends), in the site's language. */
void ob_mail_body_text(const struct ob_mail_content *c, struct ob_buf *out);

/**
 * Appends the HTML body: one table-based, inline-styled document that
 * reads well on a phone and in dark mode, with no script or external
 * resource but the images by cid.
 */
void ob_mail_body_html(const struct ob_mail_content *c, struct ob_buf *out);

/* ---- delivery (mail_send.c) -------------------------------------------- */

/** One delivery over SMTP. */
struct ob_smtp_job {
    const char *url;         /* smtp://HOST[:PORT] or smtps://HOST[:PORT] */
    const char *from;        /* envelope sender: an address */
    const char *const *rcpt; /* envelope recipients */
    size_t n_rcpt;
    const char *message; /* the whole message, CRLF line ends */
    size_t len;
    bool insecure;               /* plain text allowed when no TLS is offered */
    const char *cacert;          /* CA file; NULL: the system's */
    const char *user, *password; /* AUTH; NULL: none */
    long timeout;                /* seconds for the whole delivery */
};

/**
 * Checks that `url` is smtp:// or smtps:// with a host. Returns NULL, or
 * why not.
 */
const char *ob_smtp_check_url(const char *url);

/**
 * Delivers the message with libcurl: TLS required (smtps, or STARTTLS on
 * smtp) unless `insecure`, certificates verified, AUTH when a user is
 * given. The first call loads libcurl.so.4 (Debian's libcurl4); call it
 * from the main thread only, with no other thread using libcurl. Returns
 * OB_OK, or OB_ERR_ENV with a message in `d` that says what failed
 * (libcurl cannot be loaded, no server, no TLS, an untrusted certificate,
 * refused credentials or recipient) and never holds the password.
 */
enum ob_err ob_smtp_send(const struct ob_smtp_job *job, struct ob_diag *d);

#endif
