/* httpd_events.c: the server-sent event stream that drives live reload. */
/* SPDX-License-Identifier: MIT */
#include "httpd_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "opsbook/buf.h"
#include "opsbook/mem.h"
#include "opsbook/webfile.h"

/* An idle stream sends a comment this often: proxies and browsers keep
 * it open, and a client that went away is noticed. */
#define PING_SECONDS 15

/* One open stream: what it has told its page so far. */
struct stream {
    struct ob_httpd *h;
    bool greeted;      /* "hello" sent */
    uint64_t gen;      /* the generation it reported */
    uint64_t seq;      /* the last publish it reported */
    bool showing;      /* its page shows problems */
    struct ob_buf out; /* bytes not yet handed to libmicrohttpd */
    size_t off;
};

uint64_t
ob_httpd_generation(struct ob_httpd *h)
{
    uint64_t g;

    pthread_mutex_lock(&h->lock);
    g = h->generation;
    pthread_mutex_unlock(&h->lock);
    return g;
}

static void
event(struct ob_buf *out, const char *name, const char *data)
{
    ob_buf_printf(out, "event: %s\n", name);
    ob_webfile_sse_data(out, data, strlen(data));
    ob_buf_putc(out, '\n');
}

/* The events that bring the page up to date. Under the lock. */
static void
catch_up(struct stream *s, bool greeting)
{
    struct ob_httpd *h = s->h;
    char gen[24];

    snprintf(gen, sizeof(gen), "%" PRIu64, h->generation);
    if (greeting || h->generation != s->gen)
        event(&s->out, greeting ? "hello" : "reload", gen);
    s->gen = h->generation;
    if (h->problems) {
        event(&s->out, "problems", h->problems);
        s->showing = true;
    } else if (s->showing) {
        event(&s->out, "clear", "");
        s->showing = false;
    }
    s->seq = h->seq;
}

/* Waits for a publish, the stop, or the ping interval. Under the lock. */
static void
wait_for_news(struct stream *s)
{
    struct ob_httpd *h = s->h;
    struct timespec until;

    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += PING_SECONDS;
    while (!h->stopping && s->seq == h->seq)
        if (pthread_cond_timedwait(&h->changed, &h->lock, &until) != 0)
            break; /* timed out */
}

/* libmicrohttpd asks for the next bytes. In thread-per-connection mode
 * blocking here is allowed: it holds up this connection's thread only. */
static ssize_t
stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct stream *s = cls;
    struct ob_httpd *h = s->h;
    size_t n;

    (void)pos;
    if (s->off == s->out.len) {
        ob_buf_reset(&s->out);
        s->off = 0;
        pthread_mutex_lock(&h->lock);
        if (!s->greeted) {
            ob_buf_puts(&s->out, "retry: 1000\n");
            catch_up(s, true);
            s->greeted = true;
        } else {
            wait_for_news(s);
            if (!h->stopping && s->seq != h->seq)
                catch_up(s, false);
            else if (!h->stopping)
                ob_buf_puts(&s->out, ": ping\n\n");
        }
        pthread_mutex_unlock(&h->lock);
        if (s->out.len == 0)
            return MHD_CONTENT_READER_END_OF_STREAM;
    }
    n = s->out.len - s->off;
    if (n > max)
        n = max;
    memcpy(buf, s->out.ptr + s->off, n);
    s->off += n;
    return (ssize_t)n;
}

static void
stream_free(void *cls)
{
    struct stream *s = cls;

    ob_buf_release(&s->out);
    free(s);
}

enum MHD_Result
ob_httpd_events(struct ob_httpd *h, struct MHD_Connection *conn)
{
    struct stream *s = ob_xcalloc(1, sizeof(*s));
    struct MHD_Response *r;
    enum MHD_Result ret;

    s->h = h;
    ob_buf_init(&s->out);
    r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read,
                                          s, stream_free);
    if (!r) {
        stream_free(s);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            "text/event-stream; charset=utf-8");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

void
ob_httpd_events_stop(struct ob_httpd *h)
{
    pthread_mutex_lock(&h->lock);
    h->stopping = true;
    pthread_cond_broadcast(&h->changed);
    pthread_mutex_unlock(&h->lock);
}
