/* mail_send.c: delivery over SMTP with libcurl: TLS required, certificates
 * verified, and every failure said in words that name what to fix. */
/* SPDX-License-Identifier: MIT */
#include "mail_int.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "opsbook/mail.h"

/* Connecting gets a short while of the whole budget: a host that does not
 * answer at all should not hold the nightly job for minutes. */
#define CONNECT_TIMEOUT 10L

/* ---- libcurl, loaded when a delivery starts ------------------------------ */

/* Why dlopen: linking libcurl makes every run load it and the ~25 libraries
 * it needs (OpenSSL, GnuTLS, Kerberos, LDAP, ssh2, nghttp2, ...), about 4 ms
 * of a ~9 ms start, while only `opsbook mail --send` uses it (issue #12: an
 * incremental build must take ~10 ms in all). So curl.h still gives the
 * types and constants, and the functions come from libcurl.so.4 at the
 * first delivery. That soname is Debian's libcurl4, the OpenSSL flavour
 * whose headers we build against (libcurl4-openssl-dev); GnuTLS's is
 * libcurl-gnutls.so.4, so the name picks the flavour the messages expect.
 * RTLD_LOCAL: its symbols serve only these pointers. Once opened it is
 * never closed, as lazylib.h's libraries are not: dlclose() would unload
 * the libraries it brought (GnuTLS, Kerberos, ...), whose thread-local
 * storage the main thread then still names; LeakSanitizer's check at exit
 * reads it and crashed on that one run in five. */
#define LIBCURL "libcurl.so.4"

struct libcurl {
    void *lib; /* NULL until loaded, and after ob_mail_teardown() */
    CURLcode (*global_init)(long flags);
    void (*global_cleanup)(void);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL *curl);
    const char *(*easy_strerror)(CURLcode code);
    void (*easy_cleanup)(CURL *curl);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
    void (*slist_free_all)(struct curl_slist *list);
};

/* Process-wide, like the library it holds (and curl_global_init's state):
 * filled once, on the main thread, by the first ob_smtp_send(), which
 * runs after the build's worker threads have joined; emptied by
 * ob_mail_teardown() at the end of main(). */
static struct libcurl libcurl;

/* Each pointer has the type curl.h declares for its function (an
 * incompatible assignment fails under -Werror). sizeof evaluates nothing,
 * so no symbol of libcurl is referenced and nothing links to it. */
#define SAME_TYPE(field, fn)                                                   \
    _Static_assert(sizeof(libcurl.field = fn) != 0, #fn)
SAME_TYPE(global_init, curl_global_init);
SAME_TYPE(global_cleanup, curl_global_cleanup);
SAME_TYPE(easy_init, curl_easy_init);
SAME_TYPE(easy_setopt, curl_easy_setopt);
SAME_TYPE(easy_perform, curl_easy_perform);
SAME_TYPE(easy_strerror, curl_easy_strerror);
SAME_TYPE(easy_cleanup, curl_easy_cleanup);
SAME_TYPE(slist_append, curl_slist_append);
SAME_TYPE(slist_free_all, curl_slist_free_all);

/* dlsym(), keeping the first failure's dlerror() in `why`. Its result is
 * cast to a function pointer: POSIX makes that conversion valid. */
static void *
sym(void *lib, const char *name, char *why, size_t size)
{
    void *p = dlsym(lib, name);
    const char *e;

    if (!p && !*why) {
        e = dlerror();
        snprintf(why, size, "%s", e ? e : name);
    }
    return p;
}

/* Fills every pointer of `c` from `lib`. Returns false, with why in `why`,
 * when a function is missing. */
static bool
load_functions(struct libcurl *c, void *lib, char *why, size_t size)
{
    c->global_init = (CURLcode(*)(long))sym(lib, "curl_global_init", why, size);
    c->global_cleanup =
        (void (*)(void))sym(lib, "curl_global_cleanup", why, size);
    c->easy_init = (CURL * (*)(void)) sym(lib, "curl_easy_init", why, size);
    c->easy_setopt = (CURLcode(*)(CURL *, CURLoption, ...))sym(
        lib, "curl_easy_setopt", why, size);
    c->easy_perform =
        (CURLcode(*)(CURL *))sym(lib, "curl_easy_perform", why, size);
    c->easy_strerror =
        (const char *(*)(CURLcode))sym(lib, "curl_easy_strerror", why, size);
    c->easy_cleanup =
        (void (*)(CURL *))sym(lib, "curl_easy_cleanup", why, size);
    c->slist_append =
        (struct curl_slist * (*)(struct curl_slist *, const char *))
            sym(lib, "curl_slist_append", why, size);
    c->slist_free_all = (void (*)(struct curl_slist *))sym(
        lib, "curl_slist_free_all", why, size);
    return !*why;
}

/* Loads libcurl and runs its global setup, once. OB_ERR_ENV, reported,
 * when the library or one of its functions is missing. */
static enum ob_err
load_libcurl(struct ob_diag *d)
{
    struct libcurl c = {0};
    char why[512] = "";
    const char *e;

    if (libcurl.lib)
        return OB_OK;
    c.lib = dlopen(LIBCURL, RTLD_NOW | RTLD_LOCAL);
    if (!c.lib) {
        e = dlerror();
        snprintf(why, sizeof why, "%s", e ? e : LIBCURL);
    } else if (!load_functions(&c, c.lib, why, sizeof why)) {
        /* left open, unused (see LIBCURL) */
    } else if (c.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        ob_diag_error(d, NULL, "cannot initialise libcurl (%s)", LIBCURL);
        return OB_ERR_ENV;
    } else {
        libcurl = c;
        return OB_OK;
    }
    ob_diag_error(d, NULL,
                  "cannot load libcurl (%s): install Debian's libcurl4", why);
    return OB_ERR_ENV;
}

enum ob_err
ob_mail_setup(void)
{
    /* nothing before the threads: load_libcurl() runs on the main thread
     * once they are done, and only when a message is sent */
    return OB_OK;
}

void
ob_mail_teardown(void)
{
    if (!libcurl.lib)
        return;
    libcurl.global_cleanup();
    libcurl = (struct libcurl){0}; /* the library stays open (see LIBCURL) */
}

/* ---- URLs ---------------------------------------------------------------- */

static const char *
after_scheme(const char *url)
{
    if (!strncmp(url, "smtp://", 7))
        return url + 7;
    if (!strncmp(url, "smtps://", 8))
        return url + 8;
    return NULL;
}

const char *
ob_smtp_check_url(const char *url)
{
    const char *p = after_scheme(url), *at, *end;

    if (p) {
        end = p + strcspn(p, "/?#");
        at = memchr(p, '@', (size_t)(end - p));
        if (at)
            p = at + 1;
        if (strcspn(url, " \t\r\n") == strlen(url) && end > p && *p != ':')
            return NULL;
    }
    return "expects smtp://HOST[:PORT] (STARTTLS) or smtps://HOST[:PORT] "
           "(TLS)";
}

/* HOST:PORT as messages name the server: never the user or password a
 * URL may carry. */
static void
server_name(const char *url, char *out, size_t size)
{
    const char *p = after_scheme(url), *at, *end;

    end = p + strcspn(p, "/?#");
    at = memchr(p, '@', (size_t)(end - p));
    if (at)
        p = at + 1;
    snprintf(out, size, "%.*s%s", (int)(end - p), p,
             memchr(p, ':', (size_t)(end - p)) ? ""
             : !strncmp(url, "smtps", 5)       ? ":465"
                                               : ":25");
}

/* ---- what was said, for messages ----------------------------------------- */

/* The last command sent and the last reply line received. Commands that
 * carry credentials (AUTH and the lines answering its challenges) are
 * never kept: only the commands named here are. */
struct transcript {
    char command[300];
    char reply[300];
    bool in_auth; /* AUTH sent: the lines we send now carry credentials */
    bool quit;    /* QUIT sent: what follows says nothing of the failure */
};

static void
keep_line(char *dst, size_t size, const char *data, size_t len)
{
    while (len && (data[len - 1] == '\n' || data[len - 1] == '\r'))
        len--;
    if (len >= size)
        len = size - 1;
    memcpy(dst, data, len);
    dst[len] = '\0';
}

static bool
starts(const char *data, size_t len, const char *verb)
{
    size_t n = strlen(verb);

    return len >= n && !strncmp(data, verb, n);
}

static int
on_debug(CURL *h, curl_infotype type, char *data, size_t len, void *arg)
{
    static const char *const kept[] = {"EHLO ",      "HELO ",    "STARTTLS",
                                       "MAIL FROM:", "RCPT TO:", "DATA"};
    struct transcript *t = arg;
    size_t i;

    (void)h;
    if (t->quit)
        return 0;
    if (type == CURLINFO_HEADER_IN) {
        keep_line(t->reply, sizeof t->reply, data, len);
        /* 334 asks for the next piece of the login; anything else ends it */
        if (!starts(data, len, "334"))
            t->in_auth = false;
        return 0;
    }
    if (type != CURLINFO_HEADER_OUT || t->in_auth)
        return 0;
    if (starts(data, len, "QUIT")) {
        t->quit = true;
    } else if (starts(data, len, "AUTH")) {
        t->in_auth = true;
        keep_line(t->command, sizeof t->command, "AUTH", 4);
    } else {
        for (i = 0; i < sizeof kept / sizeof kept[0]; i++)
            if (starts(data, len, kept[i]))
                keep_line(t->command, sizeof t->command, data, len);
    }
    return 0;
}

struct reader {
    const char *p;
    size_t left;
};

static size_t
on_read(char *buf, size_t size, size_t nitems, void *arg)
{
    struct reader *r = arg;
    size_t n = size * nitems;

    if (n > r->left)
        n = r->left;
    memcpy(buf, r->p, n);
    r->p += n;
    r->left -= n;
    return n;
}

/* ---- failures ------------------------------------------------------------ */

/* The address inside "RCPT TO:<x@y>" or "MAIL FROM:<x@y>". */
static void
command_address(const char *cmd, char *out, size_t size)
{
    const char *lt = strchr(cmd, '<'), *gt = lt ? strchr(lt, '>') : NULL;

    if (lt && gt)
        snprintf(out, size, "%.*s", (int)(gt - lt - 1), lt + 1);
    else
        snprintf(out, size, "%s", cmd);
}

/* The server's answer refused a command of the envelope or the data. */
static void
refused(const struct ob_smtp_job *job, const char *server,
        const struct transcript *t, struct ob_diag *d)
{
    char addr[300];

    command_address(t->command, addr, sizeof addr);
    if (starts(t->command, strlen(t->command), "RCPT"))
        ob_diag_error(d, NULL,
                      "the SMTP server %s refused the recipient '%s': %s",
                      server, addr, t->reply);
    else if (starts(t->command, strlen(t->command), "MAIL"))
        ob_diag_error(d, NULL,
                      "the SMTP server %s refused the sender '%s': %s%s",
                      server, addr, t->reply,
                      !strncmp(t->reply, "530", 3) && !job->user
                          ? " (set SMTP_USER and SMTP_PASSWORD to log in)"
                          : "");
    else
        ob_diag_error(d, NULL, "the SMTP server %s refused the message: %s",
                      server, t->reply);
}

/* TLS failures: no STARTTLS, an untrusted certificate, a bad CA file.
 * Returns false for the other codes. */
static bool
report_tls(const struct ob_smtp_job *job, CURLcode rc, const char *server,
           const char *why, struct ob_diag *d)
{
    if (rc == CURLE_USE_SSL_FAILED)
        ob_diag_error(d, NULL,
                      "the SMTP server %s does not offer STARTTLS: refusing "
                      "to send the report unencrypted (--insecure-smtp "
                      "allows it)",
                      server);
    else if (rc == CURLE_PEER_FAILED_VERIFICATION)
        ob_diag_error(d, NULL,
                      "the SMTP server %s has a certificate that is not "
                      "trusted: %s (--cacert FILE names the authority to "
                      "trust)",
                      server, why);
    else if (rc == CURLE_SSL_CACERT_BADFILE)
        ob_diag_error(d, NULL, "cannot use the CA file '%s': %s",
                      job->cacert ? job->cacert : "(system)", why);
    else if (rc == CURLE_SSL_CONNECT_ERROR)
        ob_diag_error(d, NULL, "TLS with the SMTP server %s failed: %s", server,
                      why);
    else
        return false;
    return true;
}

static void
report(const struct ob_smtp_job *job, CURLcode rc, const char *errbuf,
       const struct transcript *t, struct ob_diag *d)
{
    const char *why = *errbuf ? errbuf : libcurl.easy_strerror(rc);
    bool replied = t->reply[0] == '4' || t->reply[0] == '5';
    char server[300];

    server_name(job->url, server, sizeof server);
    if (report_tls(job, rc, server, why, d))
        return;
    if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_CONNECT)
        ob_diag_error(d, NULL, "cannot connect to the SMTP server %s: %s",
                      server, why);
    else if (rc == CURLE_OPERATION_TIMEDOUT)
        ob_diag_error(d, NULL,
                      "the SMTP server %s did not answer in time (%ld s; "
                      "--timeout changes it): %s",
                      server, job->timeout, why);
    else if (rc == CURLE_LOGIN_DENIED)
        ob_diag_error(d, NULL,
                      "the SMTP server %s refused the login of SMTP_USER "
                      "'%s': %s",
                      server, job->user ? job->user : "", t->reply);
    else if (replied && (rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR ||
                         rc == CURLE_WEIRD_SERVER_REPLY))
        refused(job, server, t, d);
    else
        ob_diag_error(d, NULL, "sending through the SMTP server %s failed: %s",
                      server, why);
}

/* ---- delivery ------------------------------------------------------------ */

static struct curl_slist *
recipients(const struct ob_smtp_job *job)
{
    struct curl_slist *list = NULL, *next;
    char addr[512];
    size_t i;

    for (i = 0; i < job->n_rcpt; i++) {
        snprintf(addr, sizeof addr, "<%s>", job->rcpt[i]);
        next = libcurl.slist_append(list, addr);
        if (!next) {
            libcurl.slist_free_all(list);
            return NULL;
        }
        list = next;
    }
    return list;
}

/* TLS: implicit with smtps; STARTTLS required with smtp, or tried when
 * --insecure-smtp allows plain text. Certificates are always verified. */
static void
set_tls(CURL *h, const struct ob_smtp_job *job)
{
    libcurl.easy_setopt(h, CURLOPT_USE_SSL,
                        job->insecure ? (long)CURLUSESSL_TRY
                                      : (long)CURLUSESSL_ALL);
    libcurl.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    libcurl.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (job->cacert)
        libcurl.easy_setopt(h, CURLOPT_CAINFO, job->cacert);
}

static void
set_options(CURL *h, const struct ob_smtp_job *job, struct curl_slist *rcpt,
            char *from, struct reader *r, struct transcript *t, char *errbuf)
{
    long connect =
        job->timeout < CONNECT_TIMEOUT ? job->timeout : CONNECT_TIMEOUT;

    libcurl.easy_setopt(h, CURLOPT_URL, job->url);
    libcurl.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    libcurl.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    libcurl.easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    libcurl.easy_setopt(h, CURLOPT_CONNECTTIMEOUT, connect);
    libcurl.easy_setopt(h, CURLOPT_TIMEOUT, job->timeout);
    libcurl.easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, job->timeout);
    set_tls(h, job);
    if (job->user) {
        libcurl.easy_setopt(h, CURLOPT_USERNAME, job->user);
        libcurl.easy_setopt(h, CURLOPT_PASSWORD,
                            job->password ? job->password : "");
    }
    libcurl.easy_setopt(h, CURLOPT_MAIL_FROM, from);
    libcurl.easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    libcurl.easy_setopt(h, CURLOPT_UPLOAD, 1L);
    libcurl.easy_setopt(h, CURLOPT_READFUNCTION, on_read);
    libcurl.easy_setopt(h, CURLOPT_READDATA, r);
    libcurl.easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)job->len);
    /* verbose only feeds on_debug, which prints nothing */
    libcurl.easy_setopt(h, CURLOPT_VERBOSE, 1L);
    libcurl.easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
    libcurl.easy_setopt(h, CURLOPT_DEBUGDATA, t);
}

static enum ob_err
check_cacert(const struct ob_smtp_job *job, struct ob_diag *d)
{
    if (!job->cacert || access(job->cacert, R_OK) == 0)
        return OB_OK;
    ob_diag_error(d, NULL, "cannot read the CA file '%s': %s", job->cacert,
                  strerror(errno));
    return OB_ERR_ENV;
}

enum ob_err
ob_smtp_send(const struct ob_smtp_job *job, struct ob_diag *d)
{
    char errbuf[CURL_ERROR_SIZE] = "", from[512];
    struct transcript t = {"", "", false, false};
    struct reader r = {job->message, job->len};
    struct curl_slist *rcpt;
    CURLcode rc;
    CURL *h;

    if (check_cacert(job, d) || load_libcurl(d))
        return OB_ERR_ENV;
    h = libcurl.easy_init();
    rcpt = recipients(job);
    if (!h || !rcpt) {
        libcurl.easy_cleanup(h);
        libcurl.slist_free_all(rcpt);
        ob_diag_error(d, NULL, "cannot start the SMTP client (libcurl)");
        return OB_ERR_ENV;
    }
    snprintf(from, sizeof from, "<%s>", job->from);
    set_options(h, job, rcpt, from, &r, &t, errbuf);
    rc = libcurl.easy_perform(h);
    if (rc != CURLE_OK)
        report(job, rc, errbuf, &t, d);
    libcurl.slist_free_all(rcpt);
    libcurl.easy_cleanup(h);
    return rc == CURLE_OK ? OB_OK : OB_ERR_ENV;
}
