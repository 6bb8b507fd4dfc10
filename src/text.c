/* text.c: UTF-8 validation, positions in text and typo suggestions. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/text.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "opsbook/mem.h"

/* Bytes from s on that are ASCII, counted in whole blocks (of 64 bytes,
 * with SSE2; else of 8): the rest is for the caller to look at. */
static size_t
ascii_run(const unsigned char *s, size_t len)
{
    size_t i = 0;
#ifdef __SSE2__
    while (len - i >= 64) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i b =
            _mm_loadu_si128((const __m128i *)(const void *)(s + i + 16));
        __m128i c =
            _mm_loadu_si128((const __m128i *)(const void *)(s + i + 32));
        __m128i d =
            _mm_loadu_si128((const __m128i *)(const void *)(s + i + 48));

        if (_mm_movemask_epi8(
                _mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d))))
            break;
        i += 64;
    }
#endif
    while (len - i >= 8) {
        uint64_t word;

        memcpy(&word, s + i, 8);
        if (word & 0x8080808080808080ULL)
            break;
        i += 8;
    }
    return i;
}

bool
ob_utf8_valid(const char *str, size_t len, size_t *bad)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        uint32_t cp, min;

        if (c < 0x80) {
            i++;
            /* Exports are mostly ASCII: skip it by blocks. */
            i += ascii_run(s + i, len - i);
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1, cp = c & 0x1f, min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2, cp = c & 0x0f, min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3, cp = c & 0x07, min = 0x10000;
        } else {
            goto invalid;
        }
        if (len - i <= n)
            goto invalid;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                goto invalid;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            goto invalid;
        i += n + 1;
    }
    return true;
invalid:
    if (bad)
        *bad = i;
    return false;
}

size_t
ob_utf8_seq_len(unsigned char lead)
{
    if (lead < 0xc2)
        return 1;
    if (lead < 0xe0)
        return 2;
    if (lead < 0xf0)
        return 3;
    return lead < 0xf5 ? 4 : 1;
}

size_t
ob_utf8_chars(const char *s, size_t len)
{
    size_t i, n = 0;

    for (i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            n++;
    return n;
}

void
ob_text_position(const char *s, size_t offset, uint32_t first_line,
                 uint32_t *line, uint32_t *col)
{
    size_t i, start = 0;
    uint32_t l = first_line;

    for (i = 0; i < offset; i++) {
        if (s[i] == '\n' || (s[i] == '\r' && s[i + 1] != '\n')) {
            l++;
            start = i + 1;
        }
    }
    *line = l;
    *col = (uint32_t)ob_utf8_chars(s + start, offset - start) + 1;
}

/* Damerau-free Levenshtein distance, bounded to short identifiers. */
static size_t
edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j;
    size_t *row;
    size_t result;

    if (la > 64 || lb > 64)
        return (size_t)-1;
    row = ob_xcalloc(lb + 1, sizeof(*row));
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    result = row[lb];
    free(row);
    return result;
}

const char *
ob_suggest_n(const char *word, const char *const *candidates, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1, i;
    size_t limit = strlen(word) / 3 + 1;

    if (limit > 3)
        limit = 3;
    for (i = 0; i < n; i++) {
        size_t d = edit_distance(word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    return best_d <= limit ? best : NULL;
}

const char *
ob_suggest(const char *word, const char *const *candidates)
{
    size_t n = 0;

    while (candidates[n])
        n++;
    return ob_suggest_n(word, candidates, n);
}
