/* serve.c: `opsbook serve`: the loop that watches, rebuilds and publishes. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* signalfd, mkdtemp */
#include "opsbook/serve.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "opsbook/buf.h"
#include "opsbook/fs.h"
#include "opsbook/httpd.h"
#include "opsbook/mem.h"
#include "opsbook/watch.h"

/* A rebuild starts once the inputs have been quiet this long (an editor's
 * save, a `git checkout`, are bursts of events)... */
#define QUIET_MS 100
/* ...or when changes have kept coming for this long. */
#define MAX_WAIT_MS 1000

/* What a build reads (site.c, config.c): these, and nothing else of the
 * site root, start a rebuild. */
static const char *const inputs[] = {"content", "data",         "layouts",
                                     "static",  "opsbook.yaml", NULL};

struct serve {
    const struct ob_options *opt;
    const struct ob_serve_options *so;
    char *tmp; /* the private folder: the build and its cache */
    char *out; /* the build served: tmp/site */
    struct ob_httpd *httpd;
    struct ob_watch *watch;
    int sigfd;
    bool masked; /* old_mask is to be restored */
    sigset_t old_mask;
};

static double
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The diagnostics as the overlay shows them: text, no colours. */
static char *
problems_text(struct ob_diag *d)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    if (!f)
        return NULL;
    ob_diag_print(d, f, OB_DIAG_TEXT, 0);
    fclose(f);
    if (len == 0) {
        free(text);
        text = ob_xstrdup("the build failed (see the terminal)\n");
    }
    return text;
}

/* One build into s->out. *problems: the diagnostics of a failure. */
static enum ob_err
build(struct serve *s, char **problems)
{
    struct ob_options o = *s->opt;
    struct ob_build b;
    enum ob_err err;

    o.out = s->out;
    ob_build_init(&b, &o);
    err = ob_build_run(&b);
    ob_diag_print(&b.diag, stderr, s->so->diag_format, s->so->print_flags);
    *problems = err ? problems_text(&b.diag) : NULL;
    ob_build_release(&b);
    return err;
}

static void
rebuild(struct serve *s)
{
    double t = now_ms();
    char *problems;
    enum ob_err err = build(s, &problems);

    ob_httpd_publish(s->httpd, !err, problems);
    if (err)
        fputs("opsbook: the build failed; serving the last good build\n",
              stderr);
    else if (!s->opt->quiet)
        fprintf(stderr, "opsbook: rebuilt in %.0f ms\n", now_ms() - t);
    free(problems);
}

/* SIGINT and SIGTERM come through a descriptor, for every thread started
 * from here on; SIGPIPE is ignored (a browser that goes away mid-reply
 * is the socket's business). */
static enum ob_err
take_signals(struct serve *s)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    signal(SIGPIPE, SIG_IGN);
    if (pthread_sigmask(SIG_BLOCK, &set, &s->old_mask) != 0)
        return OB_ERR_ENV;
    s->masked = true;
    s->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (s->sigfd < 0) {
        fprintf(stderr, "opsbook: error: cannot take signals: %s\n",
                strerror(errno));
        return OB_ERR_ENV;
    }
    return OB_OK;
}

static enum ob_err
make_folder(struct serve *s)
{
    const char *dir = ob_env_get(&s->opt->env, "TMPDIR");
    struct ob_buf path = OB_BUF_INIT;

    ob_buf_printf(&path, "%s/opsbook-serve.XXXXXX", dir && *dir ? dir : "/tmp");
    if (!mkdtemp(path.ptr)) {
        fprintf(stderr, "opsbook: error: cannot make a folder in %s: %s\n",
                dir && *dir ? dir : "/tmp", strerror(errno));
        ob_buf_release(&path);
        return OB_ERR_ENV;
    }
    s->tmp = ob_buf_detach(&path, NULL);
    ob_buf_printf(&path, "%s/site", s->tmp);
    s->out = ob_buf_detach(&path, NULL);
    return OB_OK;
}

/* Everything up to serving: signals, the folder, the watch, the server
 * (listening first, so that a port in use fails before a long build; until
 * the first build is published every page is a 404 that reloads), the
 * first build. */
static enum ob_err
start(struct serve *s)
{
    char *problems = NULL, *root;
    enum ob_err err, built;

    err = take_signals(s);
    if (!err)
        err = make_folder(s);
    if (err)
        return err;
    /* before the first build, so that no edit made during it is missed */
    s->watch = ob_watch_new(inputs);
    if (!s->watch) {
        fprintf(stderr, "opsbook: error: cannot watch the site: %s\n",
                strerror(errno));
        return OB_ERR_ENV;
    }
    err = ob_httpd_start(s->so->bind, s->so->port, s->out, s->opt->verbose,
                         &s->httpd);
    if (err)
        return err;
    if (!s->opt->quiet)
        fprintf(stderr, "opsbook: building in %s (removed on exit)\n", s->out);
    built = build(s, &problems);
    if (built && access("opsbook.yaml", F_OK) != 0) {
        free(problems); /* not a site: nothing to serve */
        return built;
    }
    ob_httpd_publish(s->httpd, !built, problems);
    free(problems);
    root = realpath(".", NULL);
    printf("Serving %s at %s\n", root ? root : ".", ob_httpd_url(s->httpd));
    fflush(stdout);
    free(root);
    return OB_OK;
}

/* Watches and rebuilds until a signal comes. */
static enum ob_err
loop(struct serve *s)
{
    struct pollfd fds[2];
    double first = 0, last = 0, t;
    bool pending = false;
    int timeout;

    fds[0].fd = s->sigfd;
    fds[0].events = POLLIN;
    fds[1].fd = ob_watch_fd(s->watch);
    fds[1].events = POLLIN;
    for (;;) {
        timeout = -1;
        if (pending) {
            t = now_ms();
            timeout = (int)(last + QUIET_MS - t);
            if (first + MAX_WAIT_MS - t < timeout)
                timeout = (int)(first + MAX_WAIT_MS - t);
            if (timeout < 0)
                timeout = 0;
        }
        if (poll(fds, 2, timeout) < 0 && errno != EINTR) {
            fprintf(stderr, "opsbook: error: poll: %s\n", strerror(errno));
            return OB_ERR_ENV;
        }
        if (fds[0].revents)
            return OB_OK; /* SIGINT or SIGTERM */
        if (fds[1].revents && ob_watch_read(s->watch)) {
            last = now_ms();
            if (!pending)
                first = last;
            pending = true;
        }
        t = now_ms();
        if (pending && (t - last >= QUIET_MS || t - first >= MAX_WAIT_MS)) {
            pending = false;
            rebuild(s);
        }
    }
}

/* Undoes start(), whatever part of it was done. */
static void
finish(struct serve *s)
{
    struct signalfd_siginfo si;

    ob_httpd_free(s->httpd);
    ob_watch_free(s->watch);
    if (s->tmp && ob_fs_remove_tree(s->tmp) != 0)
        fprintf(stderr, "opsbook: warning: cannot remove '%s': %s\n", s->tmp,
                strerror(errno));
    free(s->out);
    free(s->tmp);
    if (s->sigfd >= 0) {
        /* the signals taken are done with: none stays pending */
        while (read(s->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
            continue;
        close(s->sigfd);
    }
    if (s->masked)
        pthread_sigmask(SIG_SETMASK, &s->old_mask, NULL);
}

enum ob_err
ob_serve_run(const struct ob_options *opt, const struct ob_serve_options *so)
{
    struct serve s;
    enum ob_err err;

    memset(&s, 0, sizeof(s));
    s.opt = opt;
    s.so = so;
    s.sigfd = -1;
    err = start(&s);
    if (!err)
        err = loop(&s);
    finish(&s);
    return err;
}
