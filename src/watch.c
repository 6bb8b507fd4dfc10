/* watch.c: recursive inotify watches over the site's inputs. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* IN_ONLYDIR and the other inotify flags */
#include "opsbook/watch.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opsbook/mem.h"

/* What changes a build's inputs; IN_MODIFY too, so that a long write
 * starts the quiet period at once rather than at close. */
#define CHANGES                                                                \
    (IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM |      \
     IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)

struct dirwatch {
    int wd;
    char *path; /* relative to the root; "." for the root itself */
};

struct ob_watch {
    int fd;
    const char *const *names; /* borrowed: the caller's list */
    struct dirwatch *dirs;
    size_t n, cap;
};

static struct dirwatch *
find_wd(struct ob_watch *w, int wd)
{
    size_t i;

    for (i = 0; i < w->n; i++)
        if (w->dirs[i].wd == wd)
            return &w->dirs[i];
    return NULL;
}

static void
forget(struct ob_watch *w, size_t i)
{
    free(w->dirs[i].path);
    w->dirs[i] = w->dirs[--w->n];
}

/* One folder. The same folder reached again (renamed within the tree)
 * gets the same wd from the kernel: its path is updated. */
static bool
add_one(struct ob_watch *w, const char *path, unsigned extra)
{
    struct dirwatch *d;
    int wd = inotify_add_watch(w->fd, path, CHANGES | IN_ONLYDIR | extra);

    if (wd < 0) {
        if (errno != ENOENT && errno != ENOTDIR)
            fprintf(stderr, "opsbook: warning: cannot watch '%s': %s\n", path,
                    strerror(errno));
        return false;
    }
    d = find_wd(w, wd);
    if (d) {
        free(d->path);
        d->path = ob_xstrdup(path);
        return true;
    }
    OB_GROW(w->dirs, w->n + 1, w->cap);
    w->dirs[w->n].wd = wd;
    w->dirs[w->n].path = ob_xstrdup(path);
    w->n++;
    return true;
}

/* A folder and every real folder below it (symlinks are not followed). */
static void
add_tree(struct ob_watch *w, const char *path, unsigned extra)
{
    DIR *dir;
    struct dirent *de;

    if (!add_one(w, path, extra))
        return;
    dir = opendir(path);
    if (!dir)
        return;
    while ((de = readdir(dir)) != NULL) {
        struct stat st;
        char *sub;

        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
            continue;
        sub = ob_xmalloc(strlen(path) + strlen(de->d_name) + 2);
        memcpy(sub, path, strlen(path));
        sub[strlen(path)] = '/';
        memcpy(sub + strlen(path) + 1, de->d_name, strlen(de->d_name) + 1);
        if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
            add_tree(w, sub, IN_DONT_FOLLOW);
        free(sub);
    }
    closedir(dir);
}

/* The root (for the names' own events) and each name that is a folder. */
static void
add_all(struct ob_watch *w)
{
    size_t i;

    add_one(w, ".", 0);
    for (i = 0; w->names[i]; i++)
        add_tree(w, w->names[i], 0);
}

static void
remove_all(struct ob_watch *w)
{
    while (w->n) {
        inotify_rm_watch(w->fd, w->dirs[w->n - 1].wd);
        forget(w, w->n - 1);
    }
}

/* A folder moved away: its watches and those below it go (a folder
 * moved within the tree is watched again at its new name). */
static void
remove_tree(struct ob_watch *w, const char *path)
{
    size_t i = 0, len = strlen(path);

    while (i < w->n) {
        const char *p = w->dirs[i].path;
        if (!strncmp(p, path, len) && (p[len] == '\0' || p[len] == '/')) {
            inotify_rm_watch(w->fd, w->dirs[i].wd);
            forget(w, i);
        } else {
            i++;
        }
    }
}

struct ob_watch *
ob_watch_new(const char *const *names)
{
    struct ob_watch *w;
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);

    if (fd < 0)
        return NULL;
    w = ob_xcalloc(1, sizeof(*w));
    w->fd = fd;
    w->names = names;
    add_all(w);
    return w;
}

void
ob_watch_free(struct ob_watch *w)
{
    if (!w)
        return;
    while (w->n)
        forget(w, w->n - 1);
    free(w->dirs);
    close(w->fd);
    free(w);
}

int
ob_watch_fd(const struct ob_watch *w)
{
    return w->fd;
}

static bool
is_name(const struct ob_watch *w, const char *name)
{
    size_t i;

    for (i = 0; w->names[i]; i++)
        if (!strcmp(w->names[i], name))
            return true;
    return false;
}

/* One event; true when it concerns the inputs. */
static bool
handle(struct ob_watch *w, const struct inotify_event *ev)
{
    struct dirwatch *d = find_wd(w, ev->wd);
    bool root, made_dir, gone_dir;
    char *path;

    if (!d)
        return false;
    if (ev->mask & IN_IGNORED) { /* the folder itself went */
        forget(w, (size_t)(d - w->dirs));
        return false;
    }
    root = !strcmp(d->path, ".");
    if (root && (!ev->len || !is_name(w, ev->name)))
        return false; /* another file of the site root: not an input */
    if (!ev->len || !(ev->mask & IN_ISDIR))
        return true;
    made_dir = ev->mask & (IN_CREATE | IN_MOVED_TO);
    gone_dir = ev->mask & IN_MOVED_FROM;
    path = root ? ob_xstrdup(ev->name)
                : ob_xmalloc(strlen(d->path) + strlen(ev->name) + 2);
    if (!root) {
        memcpy(path, d->path, strlen(d->path));
        path[strlen(d->path)] = '/';
        memcpy(path + strlen(d->path) + 1, ev->name, strlen(ev->name) + 1);
    }
    if (gone_dir)
        remove_tree(w, path);
    if (made_dir)
        add_tree(w, path, root ? 0 : IN_DONT_FOLLOW);
    free(path);
    return true;
}

bool
ob_watch_read(struct ob_watch *w)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool changed = false;
    ssize_t n;
    char *p;

    for (;;) {
        n = read(w->fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        for (p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;

            if (ev->mask & IN_Q_OVERFLOW) {
                remove_all(w);
                add_all(w);
                changed = true;
            } else if (handle(w, ev)) {
                changed = true;
            }
            p += sizeof(*ev) + ev->len;
        }
    }
    return changed;
}
