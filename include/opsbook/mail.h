/* mail.h: `opsbook mail`: the leadership email as OUT/reports/ID.eml (a
 * text and HTML summary with inline PNG charts, the xlsx attached), and its
 * delivery over SMTP. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_MAIL_H
#define OPSBOOK_MAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "opsbook/buf.h"
#include "opsbook/build.h"
#include "opsbook/diag.h"

/** What the command line and the environment say (main() reads them). */
struct ob_mail_options {
    const char *report;        /* --report ID */
    const char *const *to;     /* --to, each one address or a comma list */
    size_t n_to;               /* 0: mail.to */
    const char *send_url;      /* --send; NULL: mail.smtp */
    bool no_send;              /* --no-send: write the .eml only */
    bool insecure;             /* --insecure-smtp: allow a server without TLS */
    const char *cacert;        /* --cacert, CURL_CA_BUNDLE or SSL_CERT_FILE */
    long timeout;              /* --timeout seconds; 0: the default */
    const char *smtp_user;     /* SMTP_USER; NULL or "": no AUTH */
    const char *smtp_password; /* SMTP_PASSWORD */
    const char *out_dir; /* the folder holding reports/; NULL: OUT (a build
                          * writing its new tree passes that) */
};

/** The default for --timeout: the whole delivery, in seconds. */
#define OB_MAIL_TIMEOUT 120

struct ob_mailbox;

/** One email being made and sent. Caller-owned: ob_mail_init() first,
 * ob_mail_release() after. */
struct ob_mail {
    const struct ob_mail_options *opt;
    const struct ob_report_def *report;
    struct ob_mailbox *from;
    struct ob_mailbox *to;
    size_t n_to, cap_to;
    const char *subject_template; /* with {{as_of}} */
    const char *url;              /* where to deliver; NULL: nowhere */
    char *xlsx_path;              /* OUT/reports/ID.xlsx */
    char *eml_path;               /* OUT/reports/ID.eml */
    struct ob_buf xlsx;           /* the workbook's bytes */
    struct ob_buf message;        /* the whole message, as written */
};

void ob_mail_init(struct ob_mail *m);
void ob_mail_release(struct ob_mail *m);

/**
 * Checks everything the email needs before the KPIs are computed, so a
 * mistake costs no time: the report id (unknown: OB_ERR_USAGE, with a
 * "did you mean"), mail.from and the recipients (--to, else mail.to), the
 * subject (a line break in any header is refused: it would inject
 * headers), the delivery URL, and reads OUT/reports/ID.xlsx as the last
 * build left it (missing: OB_ERR_INPUT, "run 'opsbook build' first").
 * Needs ob_build_load_config(). Problems go to b->diag; returns the exit
 * code they imply.
 */
enum ob_err ob_mail_prepare(struct ob_mail *m, struct ob_build *b,
                            const struct ob_mail_options *o);

/**
 * Makes the message from the computed KPIs and OKRs (needs
 * ob_build_compute()) and writes it to OUT/reports/ID.eml through a
 * temporary file renamed into place, so a reader never sees half of one.
 * The bytes depend only on the inputs and as_of. Returns OB_OK or
 * OB_ERR_ENV (a chart or the file could not be written; reported).
 */
enum ob_err ob_mail_write(struct ob_mail *m, struct ob_build *b);

/**
 * Delivers the message written by ob_mail_write() to m->url, if any (see
 * ob_smtp_send() in mail_int.h). OB_ERR_ENV when delivery fails, with a
 * message in b->diag that never holds the password.
 */
enum ob_err ob_mail_send(struct ob_mail *m, struct ob_build *b);

/**
 * Process-wide setup of the SMTP client: main() calls it once before any
 * thread starts, and ob_mail_teardown() at the end. It has nothing to do
 * now: the first delivery loads libcurl (dlopen) and runs
 * curl_global_init on the main thread, so runs that send nothing never
 * load it; ob_mail_teardown() runs curl_global_cleanup (the library stays
 * loaded until the process ends: see src/mail_send.c).
 * Returns OB_OK or OB_ERR_ENV (reported on stderr).
 */
enum ob_err ob_mail_setup(void);
void ob_mail_teardown(void);

#endif
