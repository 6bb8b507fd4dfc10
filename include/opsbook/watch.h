/* watch.h: notices changes to the site's inputs with inotify. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_WATCH_H
#define OPSBOOK_WATCH_H

#include <stdbool.h>

#include "opsbook/diag.h"

/*
 * Watches a few names in the current directory (the site root): folders
 * with everything below them, and plain files. Folders made later, below
 * a watched one or as one of the names, are watched as they appear; no
 * polling. Symlinked folders inside a tree are not followed (the build
 * reads them, but following them could loop); the names themselves are.
 */
struct ob_watch;

/**
 * Starts watching `names` (a NULL-terminated list; a name that does not
 * exist yet is watched for from the root). Returns NULL with errno set
 * when inotify cannot be used at all; a folder that cannot be watched
 * (the watch limit) is reported on stderr and skipped.
 */
struct ob_watch *ob_watch_new(const char *const *names);
void ob_watch_free(struct ob_watch *w);

/** The descriptor to poll() for reading. */
int ob_watch_fd(const struct ob_watch *w);

/**
 * Reads the events waiting (it does not block) and returns true when any
 * concerns a watched name: a file written, made, removed or renamed, a
 * folder added (now watched too), or lost events (the kernel's queue
 * overflowed: everything is watched again, and that counts as a change).
 */
bool ob_watch_read(struct ob_watch *w);

#endif
