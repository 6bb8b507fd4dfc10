/* httpd.c: serving a built site over HTTP, read-only, with libmicrohttpd. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* NI_MAXHOST, O_CLOEXEC */
#include "opsbook/httpd.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "httpd_int.h"
#include "opsbook/buf.h"
#include "opsbook/fs.h"
#include "opsbook/lazylib.h"
#include "opsbook/mem.h"
#include "opsbook/webfile.h"

#define DEFAULT_BIND "127.0.0.1"
/* Threads are per connection: this bounds them. */
#define MAX_CONNECTIONS 256
/* An idle keep-alive connection is closed after this long. */
#define IDLE_SECONDS 60

/* Keeps the request path as sent: webfile.c decodes it, strictly, so that
 * %00 and encoded separators are seen rather than silently cut or
 * joined. (Query arguments, which we do not read, stay encoded too.) */
static size_t
keep_raw(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    return strlen(s);
}

/* A short answer of our own: errors, redirects. */
static enum MHD_Result
reply(struct MHD_Connection *conn, unsigned status, const char *text,
      const char *header, const char *value)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ret;

    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            "text/plain; charset=utf-8");
    if (header)
        MHD_add_response_header(r, header, value);
    ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* `rel` (clean, relative) resolved below the root, symlinks and all:
 * a path to free, or NULL with *status 404 (not there) or 403 (outside
 * the site, or not readable). */
static char *
resolve(const struct ob_httpd *h, const char *rel, unsigned *status)
{
    struct ob_buf path = OB_BUF_INIT;
    char *root = realpath(h->root, NULL), *real;
    size_t n;

    ob_buf_printf(&path, "%s/%s", h->root, rel);
    real = root ? realpath(path.ptr, NULL) : NULL;
    *status = !real && (errno == EACCES || errno == ELOOP) ? 403 : 404;
    ob_buf_release(&path);
    if (real) {
        n = strlen(root);
        if (strncmp(real, root, n) != 0 || (real[n] && real[n] != '/')) {
            free(real);
            real = NULL;
            *status = 403;
        }
    }
    free(root);
    return real;
}

/* The rest of a page, up to the size opsbook reads files at. */
static bool
read_all(int fd, struct ob_buf *out)
{
    char chunk[65536];
    ssize_t n;

    out->max = OB_FS_MAX_FILE + 65536; /* and room for the script */
    for (;;) {
        n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n == 0;
        if (!ob_buf_add(out, chunk, (size_t)n))
            return false;
    }
}

/* A file as the response, HTML with the reload script. NULL when it is
 * not a regular file that can be read. */
static struct MHD_Response *
file_response(const char *path, uint64_t generation)
{
    const char *type = ob_webfile_type(path);
    struct MHD_Response *r = NULL;
    struct ob_buf html = OB_BUF_INIT;
    struct stat st;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    size_t len;
    char *bytes;

    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return NULL;
    }
    if (!ob_webfile_is_html(type)) {
        /* libmicrohttpd closes fd with the response (and uses sendfile) */
        r = MHD_create_response_from_fd64((uint64_t)st.st_size, fd);
        if (!r)
            close(fd);
    } else {
        if (read_all(fd, &html) && ob_webfile_inject(&html, generation)) {
            bytes = ob_buf_detach(&html, &len);
            r = MHD_create_response_from_buffer(len, bytes,
                                                MHD_RESPMEM_MUST_FREE);
            if (!r)
                free(bytes);
        }
        close(fd);
        ob_buf_release(&html);
    }
    if (r) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
        /* every request sees the latest build */
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
        MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    }
    return r;
}

static enum MHD_Result
send_file(struct MHD_Connection *conn, const char *path, unsigned status,
          uint64_t generation)
{
    struct MHD_Response *r = file_response(path, generation);
    enum MHD_Result ret;

    if (!r)
        return MHD_NO;
    ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* The site's 404.html with status 404, else a page of our own (with the
 * reload script: before the first good build every page is this one). */
static enum MHD_Result
not_found(struct ob_httpd *h, struct MHD_Connection *conn, uint64_t gen)
{
    static const char page[] = "<!doctype html>\n<title>Not found</title>\n"
                               "<h1>404 Not found</h1>\n</body>\n";
    struct MHD_Response *r = NULL;
    struct ob_buf html = OB_BUF_INIT;
    unsigned status;
    char *path = resolve(h, "404.html", &status);
    enum MHD_Result ret;
    size_t len;
    char *bytes;

    if (path)
        r = file_response(path, gen);
    free(path);
    if (!r) {
        ob_buf_puts(&html, page);
        ob_webfile_inject(&html, gen);
        bytes = ob_buf_detach(&html, &len);
        r = MHD_create_response_from_buffer(len, bytes, MHD_RESPMEM_MUST_FREE);
        if (!r) {
            free(bytes);
            return MHD_NO;
        }
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                                "text/html; charset=utf-8");
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    }
    ret = MHD_queue_response(conn, MHD_HTTP_NOT_FOUND, r);
    MHD_destroy_response(r);
    return ret;
}

/* A folder: its index.html, once the URL ends with '/' (so the page's
 * relative links resolve); no listing. */
static enum MHD_Result
serve_folder(struct ob_httpd *h, struct MHD_Connection *conn, const char *url,
             const char *rel, bool slash, uint64_t gen)
{
    struct ob_buf buf = OB_BUF_INIT;
    unsigned status;
    char *index;
    enum MHD_Result ret;

    if (!slash) {
        ob_buf_printf(&buf, "%s/", url);
        ret = reply(conn, MHD_HTTP_MOVED_PERMANENTLY, "moved\n",
                    MHD_HTTP_HEADER_LOCATION, buf.ptr);
        ob_buf_release(&buf);
        return ret;
    }
    ob_buf_printf(&buf, "%s%sindex.html", rel, *rel ? "/" : "");
    index = resolve(h, buf.ptr, &status);
    ob_buf_release(&buf);
    ret = index ? send_file(conn, index, MHD_HTTP_OK, gen) : MHD_NO;
    free(index);
    if (ret == MHD_NO && status == 403)
        return reply(conn, MHD_HTTP_FORBIDDEN, "forbidden\n", NULL, NULL);
    return ret == MHD_NO ? not_found(h, conn, gen) : ret;
}

static enum MHD_Result
serve_path(struct ob_httpd *h, struct MHD_Connection *conn, const char *url)
{
    /* before the file is opened: a page is never newer than it says */
    uint64_t gen = ob_httpd_generation(h);
    struct ob_buf rel = OB_BUF_INIT;
    enum MHD_Result ret;
    unsigned status = 404;
    struct stat st;
    char *real = NULL;
    bool slash;

    switch (ob_webfile_path(url, strlen(url), &rel, &slash)) {
    case OB_WEBFILE_OK:
        real = resolve(h, rel.ptr, &status);
        break;
    case OB_WEBFILE_BAD:
        status = 400;
        break;
    case OB_WEBFILE_FORBIDDEN:
        status = 403;
        break;
    }
    if (real && stat(real, &st) == 0 && S_ISDIR(st.st_mode))
        ret = serve_folder(h, conn, url, rel.ptr, slash, gen);
    else if (real && !slash)
        ret = send_file(conn, real, MHD_HTTP_OK, gen);
    else if (status == 400)
        ret = reply(conn, MHD_HTTP_BAD_REQUEST, "bad request\n", NULL, NULL);
    else if (status == 403)
        ret = reply(conn, MHD_HTTP_FORBIDDEN, "forbidden\n", NULL, NULL);
    else
        ret = MHD_NO;
    if (ret == MHD_NO && status != 400 && status != 403)
        ret = not_found(h, conn, gen);
    free(real);
    ob_buf_release(&rel);
    return ret;
}

static enum MHD_Result
answer(void *cls, struct MHD_Connection *conn, const char *url,
       const char *method, const char *version, const char *upload_data,
       size_t *upload_data_size, void **req)
{
    static char seen; /* a marker: the request's headers were read */
    struct ob_httpd *h = cls;

    (void)version;
    (void)upload_data;
    /* Refused at once: libmicrohttpd then closes the connection rather
     * than read a body nobody wants. */
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
        strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n",
                     MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    if (h->local && !ob_webfile_local_host(MHD_lookup_connection_value(
                        conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST)))
        return reply(conn, MHD_HTTP_FORBIDDEN, "not a local host name\n", NULL,
                     NULL);
    /* A response queued on the first call, before libmicrohttpd knows the
     * request has no body, closes the connection: answer on the second,
     * once any body (ignored) is read, and keep-alive works. */
    if (!*req) {
        *req = &seen;
        return MHD_YES;
    }
    if (*upload_data_size) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (strcmp(url, OB_WEBFILE_EVENTS) == 0)
        return ob_httpd_events(h, conn);
    return serve_path(h, conn, url);
}

/* "http://HOST:PORT/" for the socket's own address. */
static char *
socket_url(int fd, unsigned *port)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    struct ob_buf url = OB_BUF_INIT;

    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0 ||
        getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), serv,
                    sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return NULL;
    *port = (unsigned)strtoul(serv, NULL, 10);
    if (ss.ss_family == AF_INET6)
        ob_buf_printf(&url, "http://[%s]:%s/", host, serv);
    else
        ob_buf_printf(&url, "http://%s:%s/", host, serv);
    return ob_buf_detach(&url, NULL);
}

/* A listening socket on the first address `bind` resolves to that works;
 * -1 with the problem printed. *family: the address family. */
static int
listen_on(const char *bind_to, unsigned port, int *family, enum ob_err *err)
{
    struct addrinfo hints, *list, *ai;
    char serv[16];
    int fd = -1, one = 1, rc, saved = 0;

    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(serv, sizeof(serv), "%u", port);
    rc = getaddrinfo(bind_to, serv, &hints, &list);
    if (rc != 0) {
        fprintf(stderr, "opsbook: error: cannot resolve --bind '%s': %s\n",
                bind_to, gai_strerror(rc));
        *err = OB_ERR_USAGE;
        return -1;
    }
    for (ai = list; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                    ai->ai_protocol);
        if (fd < 0)
            continue;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
            listen(fd, 128) == 0) {
            *family = ai->ai_family;
            break;
        }
        saved = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(list);
    if (fd < 0) {
        fprintf(stderr, "opsbook: error: cannot listen on %s port %u: %s\n",
                bind_to, port, strerror(saved));
        *err = OB_ERR_ENV;
    }
    return fd;
}

/* libmicrohttpd is opened now (see lazylib.h): a machine without it is
 * told which package to install. */
static bool
load_library(void)
{
    struct ob_diag d;
    bool ok;

    ob_diag_init(&d, 1);
    ok = ob_httpd_lib_require(&d) == OB_OK;
    ob_diag_print(&d, stderr, OB_DIAG_TEXT, 0);
    ob_diag_release(&d);
    return ok;
}

enum ob_err
ob_httpd_start(const char *bind_to, unsigned port, const char *root,
               bool verbose, struct ob_httpd **out)
{
    struct ob_httpd *h;
    pthread_condattr_t ca;
    enum ob_err err = OB_OK;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL;
    int fd, family = AF_INET;
    bool local;

    *out = NULL;
    if (!load_library())
        return OB_ERR_ENV;
    local = !bind_to;
    if (!bind_to)
        bind_to = DEFAULT_BIND;
    fd = listen_on(bind_to, port, &family, &err);
    if (fd < 0)
        return err;
    h = ob_xcalloc(1, sizeof(*h));
    h->root = ob_xstrdup(root);
    h->local = local;
    h->url = socket_url(fd, &port);
    pthread_mutex_init(&h->lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&h->changed, &ca);
    pthread_condattr_destroy(&ca);
    if (family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (verbose)
        flags |= MHD_USE_ERROR_LOG;
    h->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, answer, h, MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_SECONDS,
        MHD_OPTION_UNESCAPE_CALLBACK, keep_raw, NULL, MHD_OPTION_END);
    if (!h->daemon || !h->url) {
        fprintf(stderr, "opsbook: error: cannot start the HTTP server on %s\n",
                bind_to);
        if (!h->daemon)
            close(fd);
        ob_httpd_free(h);
        return OB_ERR_ENV;
    }
    *out = h;
    return OB_OK;
}

void
ob_httpd_free(struct ob_httpd *h)
{
    if (!h)
        return;
    if (h->daemon) {
        ob_httpd_events_stop(h);
        MHD_stop_daemon(h->daemon); /* joins the connection threads */
    }
    pthread_cond_destroy(&h->changed);
    pthread_mutex_destroy(&h->lock);
    free(h->problems);
    free(h->url);
    free(h->root);
    free(h);
}

const char *
ob_httpd_url(const struct ob_httpd *h)
{
    return h->url;
}

void
ob_httpd_publish(struct ob_httpd *h, bool ok, const char *problems)
{
    pthread_mutex_lock(&h->lock);
    free(h->problems);
    h->problems = ok ? NULL : ob_xstrdup(problems ? problems : "");
    if (ok)
        h->generation++;
    h->seq++;
    pthread_cond_broadcast(&h->changed);
    pthread_mutex_unlock(&h->lock);
}
