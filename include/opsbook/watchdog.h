/* watchdog.h: stop the build when one task runs too long. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_WATCHDOG_H
#define OPSBOOK_WATCHDOG_H

/*
 * cmark-gfm cannot be interrupted, and some small inputs take it minutes.
 * A watchdog thread watches the task in progress; when one outlasts its
 * limit it says which, removes the unfinished output folder and ends the
 * process with status 1. OUT is untouched: the build only ever wrote
 * beside it.
 */
struct ob_watchdog;

/**
 * Starts watching with a limit of `seconds` a task. `limit_text` names the
 * limit in the message ("page_timeout (10s)"); `cleanup_dir` is removed
 * before the process ends (NULL: none). Both are copied. Returns NULL when
 * no thread can be started (the build then runs unwatched).
 */
struct ob_watchdog *ob_watchdog_start(double seconds, const char *limit_text,
                                      const char *cleanup_dir);

/** A task named `what` (a file path; borrowed until leave) begins. */
void ob_watchdog_enter(struct ob_watchdog *w, const char *what);

/** The task ended in time. */
void ob_watchdog_leave(struct ob_watchdog *w);

/** Stops the thread and frees `w`; NULL does nothing. */
void ob_watchdog_stop(struct ob_watchdog *w);

#endif
