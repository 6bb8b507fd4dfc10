/* httpd.h: the HTTP server of `opsbook serve` (libmicrohttpd). */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_HTTPD_H
#define OPSBOOK_HTTPD_H

#include <stdbool.h>
#include <stdint.h>

#include "opsbook/diag.h"

/*
 * Serves the files of one folder (a build's OUT) read-only: GET and HEAD,
 * a folder's index.html, the folder's 404.html for what is not there,
 * nothing outside the folder once symlinks are resolved. HTML pages get
 * the live-reload script (webfile.h); OB_WEBFILE_EVENTS streams
 * server-sent events: "reload" when a new build is published, "problems"
 * when one failed. The folder is looked up by name for every request, so
 * a build that swaps a new tree in under that name is served at once.
 *
 * libmicrohttpd runs a thread per connection (an event stream blocks its
 * thread while it waits); what they share with the caller's thread (the
 * generation and the problems) is behind a mutex.
 */
struct ob_httpd;

/**
 * Listens on `bind` (an address or host name; NULL: 127.0.0.1) at `port`
 * (0: a free port) and serves `root` (an absolute path, copied; it need
 * not exist yet). On failure prints why on stderr and returns
 * OB_ERR_USAGE (an address that does not resolve) or OB_ERR_ENV (the
 * port is taken, the server cannot start), with *out NULL.
 */
enum ob_err ob_httpd_start(const char *bind, unsigned port, const char *root,
                           bool verbose, struct ob_httpd **out);

/**
 * Closes every connection (event streams end first) and frees the
 * server. NULL does nothing.
 */
void ob_httpd_free(struct ob_httpd *h);

/** "http://ADDR:PORT/", the address listened on; owned by `h`. */
const char *ob_httpd_url(const struct ob_httpd *h);

/**
 * A build finished. ok: the folder holds a new site (its generation goes
 * up, pages reload, the problems are cleared); else `problems` (the
 * diagnostics as text, copied) go to every page and the site served
 * stays as it was.
 */
void ob_httpd_publish(struct ob_httpd *h, bool ok, const char *problems);

#endif
