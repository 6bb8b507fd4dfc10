/* content_int.h: what content.c and content_memo.c share. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_CONTENT_INT_H
#define OPSBOOK_CONTENT_INT_H

#include "opsbook/content.h"

/**
 * Splits "---\nYAML\n---\nbody". Sets *yaml and *yaml_len (NULL when the
 * file has no front matter), *body (its offset) and *body_line. False when
 * the front matter is not closed. (Shared with tests/fuzz/fuzz_front.c.)
 */
bool ob_content_split_front_matter(const char *s, size_t len, const char **yaml,
                                   size_t *yaml_len, size_t *body,
                                   uint32_t *body_line);

/** The identity of the file at `path` (following symlinks), relative to
 * folder `dfd` (AT_FDCWD: the current one); false when it cannot be
 * stat'ed. */
bool ob_content_file_id(int dfd, const char *path, struct ob_file_id *id);

/**
 * The page the memo knew at `src` with identity `id`, copied into `out`,
 * `unread`; false when the memo has no such page or the file changed.
 */
bool ob_content_memo_place(const struct ob_content_memo *m, const char *src,
                           const struct ob_file_id *id, struct ob_page *out);

/**
 * The entries of folder `path` as the memo knew them, when the folder's
 * identity is `id` (a folder's times change when an entry is added,
 * removed or renamed); false when the memo cannot tell.
 */
bool ob_content_memo_folder(const struct ob_content_memo *m, const char *path,
                            const struct ob_file_id *id,
                            const struct ob_fs_entry **entries, size_t *n);

#endif
