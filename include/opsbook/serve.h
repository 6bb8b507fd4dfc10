/* serve.h: `opsbook serve`: build, serve, watch, rebuild, reload. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_SERVE_H
#define OPSBOOK_SERVE_H

#include "opsbook/build.h"
#include "opsbook/diag.h"

/** The port `serve` listens on without --port (Hugo's). */
#define OB_SERVE_DEFAULT_PORT 1313

struct ob_serve_options {
    const char *bind; /* --bind; NULL: 127.0.0.1 */
    unsigned port;    /* --port; 0: any free port */
    enum ob_diag_format diag_format;
    unsigned print_flags; /* ob_diag_print() flags for the terminal */
};

/**
 * Runs `opsbook serve` in the current directory (the site root): builds
 * the site into a private folder (made with mkdtemp under $TMPDIR, its
 * incremental cache beside the build; never the user's OUT), serves it
 * (httpd.h) and prints "Serving SITE at URL" on stdout, then rebuilds
 * after each change to the inputs (watch.h) once they have been quiet
 * for 100 ms. A failed build keeps the last good site served; its
 * diagnostics go to stderr and to the pages. Runs until SIGINT or SIGTERM,
 * then stops the server, removes the private folder and returns OB_OK.
 * Must be called before any thread is started (it blocks those signals
 * for every thread and takes them through a signalfd).
 *
 * Fails without serving when there is no opsbook.yaml (the build's
 * error), the address cannot be listened on, or inotify is not there.
 */
enum ob_err ob_serve_run(const struct ob_options *opt,
                         const struct ob_serve_options *so);

#endif
