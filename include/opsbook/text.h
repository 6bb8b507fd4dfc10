/* text.h: UTF-8 checks, character positions and "did you mean" hints. */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_TEXT_H
#define OPSBOOK_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * Checks that s[0..len) is valid UTF-8 (no overlongs, surrogates or code
 * points past U+10FFFF). On failure returns false and stores the byte offset
 * of the first bad sequence in *bad.
 */
bool ob_utf8_valid(const char *s, size_t len, size_t *bad);

/**
 * Turns a byte offset into a 1-based line and character column, counting
 * LF, CRLF and lone CR as line ends. `first_line` is the line number of s[0].
 */
void ob_text_position(const char *s, size_t offset, uint32_t first_line,
                      uint32_t *line, uint32_t *col);

/**
 * Bytes of the UTF-8 sequence that `lead` starts: 1 for ASCII, and for
 * bytes that cannot start a sequence (so a scan over bad text still moves).
 */
size_t ob_utf8_seq_len(unsigned char lead);

/** The number of code points in s[0..len) (bytes of invalid text count 1). */
size_t ob_utf8_chars(const char *s, size_t len);

/**
 * The candidate closest to `word` by edit distance, or NULL when none is
 * close enough to be a plausible typo. `candidates` ends with NULL.
 */
const char *ob_suggest(const char *word, const char *const *candidates);

/** Like ob_suggest() over an array of n strings. */
const char *ob_suggest_n(const char *word, const char *const *candidates,
                         size_t n);

#endif
