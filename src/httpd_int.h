/* httpd_int.h: what the server's files (httpd.c) and its event streams
 * (httpd_events.c) share. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_HTTPD_INT_H
#define OPSBOOK_HTTPD_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <microhttpd.h>

#include "opsbook/httpd.h"

struct ob_httpd {
    struct MHD_Daemon *daemon;
    char *root; /* the folder served, absolute */
    char *url;  /* "http://ADDR:PORT/" */
    bool local; /* on 127.0.0.1 (no --bind): only loopback Host names */
    /* shared with the connection threads, under `lock` */
    pthread_mutex_t lock;
    pthread_cond_t changed; /* broadcast on publish and on stop */
    uint64_t generation;    /* of the site served: 1 after the first build */
    uint64_t seq;           /* counts publishes */
    char *problems;         /* the last failed build's diagnostics, or NULL */
    bool stopping;
};

/** The generation of the site served now (taken under the lock). */
uint64_t ob_httpd_generation(struct ob_httpd *h);

/** Queues the event stream on `conn`. */
enum MHD_Result ob_httpd_events(struct ob_httpd *h,
                                struct MHD_Connection *conn);

/** Ends every event stream (they return end-of-stream) before the stop. */
void ob_httpd_events_stop(struct ob_httpd *h);

#endif
