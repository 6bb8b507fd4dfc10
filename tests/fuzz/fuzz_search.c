/* fuzz_search.c: libFuzzer target for the search index kept in the cache. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opsbook/buf.h"
#include "opsbook/cache.h"
#include "opsbook/hash.h"
#include "opsbook/search.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The input is what ob_search_save() appends (tag, blob length, blob,
 * hash), with the length and the hash set right here, so that the checks
 * behind the hash are what the fuzzer meets. An index that loads must
 * work: written, pages restarted, written again, saved; and what it saves
 * must load again and write the same script.
 */

static void
restart(struct ob_search *s, size_t page, const char *text)
{
    ob_search_restart_page(s, page, "p.html", text, "Ops", text);
    ob_search_add_heading(s, page, "Risks", 5, "risks");
    ob_search_add_body(s, page, text, strlen(text), NULL);
}

static void
check(struct ob_search *s)
{
    struct ob_buf js = OB_BUF_INIT, again = OB_BUF_INIT, saved = OB_BUF_INIT;
    struct ob_cache_file file = OB_CACHE_FILE_INIT;
    struct ob_cache_reader r;
    struct ob_search *t;

    ob_search_write_js(s, &js);
    restart(s, 0, "alpha beta beta beta gamma");
    restart(s, 2, "beta zeta");
    restart(s, 0, "alpha delta");
    ob_buf_reset(&js);
    ob_search_write_js(s, &js);
    ob_search_save(s, &saved);
    ob_cache_file_take(&file, &saved);
    r = (struct ob_cache_reader){file.ptr, file.ptr + file.len, false};
    t = ob_search_load_file(&r, &file);
    if (!t) {
        fprintf(stderr, "a saved index does not load\n");
        abort();
    }
    ob_search_write_js(t, &again);
    if (again.len != js.len || memcmp(again.ptr, js.ptr, js.len) != 0) {
        fprintf(stderr, "a saved index writes another script\n");
        abort();
    }
    ob_search_free(t);
    ob_buf_release(&js);
    ob_buf_release(&again);
    ob_buf_release(&saved);
    ob_cache_file_release(&file);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ob_buf b = OB_BUF_INIT;
    struct ob_cache_file file = OB_CACHE_FILE_INIT;
    struct ob_cache_reader r;
    struct ob_search *s;
    uint64_t len, h;
    int i;

    if (size < 24)
        return 0;
    ob_buf_add(&b, data, size);
    len = size - 24;
    for (i = 0; i < 8; i++)
        b.ptr[8 + i] = (char)(len >> (8 * i));
    h = ob_hash(b.ptr + 16, len);
    for (i = 0; i < 8; i++)
        b.ptr[size - 8 + (size_t)i] = (char)(h >> (8 * i));
    ob_cache_file_take(&file, &b);
    r = (struct ob_cache_reader){file.ptr, file.ptr + file.len, false};
    s = data[size - 1] & 1 ? ob_search_load_file(&r, &file)
                           : ob_search_load(&r);
    if (s) {
        check(s);
        ob_search_free(s);
    }
    ob_cache_file_release(&file);
    ob_buf_release(&b);
    return 0;
}
