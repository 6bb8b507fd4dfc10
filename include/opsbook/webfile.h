/* webfile.h: what `serve` makes of a request path: a safe site path, a
 * content type, and HTML with the live-reload script added. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_WEBFILE_H
#define OPSBOOK_WEBFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opsbook/buf.h"

/*
 * Pure functions, no I/O: the server (httpd.c) resolves the path they give
 * against the built site and checks containment once symlinks are
 * resolved; these only make sure the path has the right shape.
 */

enum ob_webfile_path {
    OB_WEBFILE_OK,        /* a clean relative path ("" for the root) */
    OB_WEBFILE_BAD,       /* not a path: no leading '/', a bad %-escape */
    OB_WEBFILE_FORBIDDEN, /* a "." or ".." segment, NUL, a backslash */
};

/**
 * Decodes the request path `raw` (as sent, %-encoded, without the query)
 * into `out`: relative to the site, segments joined by one '/', no empty
 * segment. "." and ".." segments are refused whether written plainly or
 * %-encoded (%2e%2e, ..%2F), as are NUL (%00) and backslashes. `*dir` says
 * whether `raw` ends with '/' (a folder was asked for). `out` is reset
 * first.
 */
enum ob_webfile_path ob_webfile_path(const char *raw, size_t len,
                                     struct ob_buf *out, bool *dir);

/**
 * The Content-Type for a file by its name's extension (ASCII case
 * ignored); "application/octet-stream" for one not known. Text types
 * carry "; charset=utf-8". A static string.
 */
const char *ob_webfile_type(const char *path);

/** True when `type` (from ob_webfile_type()) is HTML. */
bool ob_webfile_is_html(const char *type);

/**
 * Adds the live-reload script to the HTML page in `html`, before its last
 * "</body>" (any case), else at its end. `generation` is the build the
 * page comes from: the script reloads when the server is at a later one.
 * Returns false when the buffer cannot grow (its cap).
 */
bool ob_webfile_inject(struct ob_buf *html, uint64_t generation);

/**
 * Appends `text` as the data lines of a server-sent event: "data: LINE\n"
 * per line (CR, LF and CRLF end lines; the browser joins them with LF).
 * The caller writes "event: NAME\n" before and the blank line after.
 */
void ob_webfile_sse_data(struct ob_buf *out, const char *text, size_t len);

/**
 * True when a Host header names this machine's loopback: "localhost",
 * "127.0.0.1" or "[::1]", with or without a port (ASCII case ignored);
 * NULL (no Host, HTTP/1.0) too. A server on loopback refuses other names,
 * so that a web page whose host name was made to resolve to 127.0.0.1
 * (DNS rebinding) cannot read the preview.
 */
bool ob_webfile_local_host(const char *host);

/** The path the live-reload script listens on for server-sent events. */
#define OB_WEBFILE_EVENTS "/__opsbook/events"

#endif
