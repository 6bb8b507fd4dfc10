/* test_cache.c: the record format of the files a build keeps, and its
 * hashes: what is written reads back, and a damaged file is no cache. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "opsbook/cache.h"
#include "opsbook/hash.h"
#include "runner.h"

static char dir[] = "/tmp/opsbook-cache-test.XXXXXX";

static void
write_file(const char *name, const struct ob_buf *b)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    fwrite(b->ptr, 1, b->len, f);
    fclose(f);
}

static void
sample(struct ob_buf *out)
{
    static const char *const tags[] = {"feedback", "", "process"};

    ob_cache_begin(out, "sample");
    ob_cache_put_u64(out, 0);
    ob_cache_put_u64(out, UINT64_MAX - 1);
    ob_cache_put_str(out, "content/process/triage.md");
    ob_cache_put_str(out, NULL);
    ob_cache_put_str(out, "");
    ob_cache_put_bytes(out, "a\0b", 3);
    ob_cache_put_strs(out, tags, 3);
}

/* Everything written reads back, in order, and nothing is left over. */
static void
test_round_trip(void)
{
    struct ob_buf out = OB_BUF_INIT;
    struct ob_cache_file file = OB_CACHE_FILE_INIT;
    struct ob_cache_reader r;
    struct ob_arena a;
    const char **tags;
    const char *bytes;
    size_t n, len;

    ob_arena_init(&a);
    sample(&out);
    write_file("sample", &out);
    OB_CHECK(ob_cache_open(&r, &file, dir, "sample", "sample"));
    OB_CHECK_INT(ob_cache_get_u64(&r), 0);
    OB_CHECK(ob_cache_get_u64(&r) == UINT64_MAX - 1);
    OB_CHECK(!strcmp(ob_cache_get_str(&r, &a), "content/process/triage.md"));
    OB_CHECK(ob_cache_get_str(&r, &a) == NULL);
    OB_CHECK(!strcmp(ob_cache_get_str(&r, &a), ""));
    bytes = ob_cache_get_bytes(&r, &len);
    OB_CHECK_INT(len, 3);
    OB_CHECK(bytes && !memcmp(bytes, "a\0b", 3));
    tags = ob_cache_get_strs(&r, &a, &n);
    OB_CHECK_INT(n, 3);
    OB_CHECK(n == 3 && !strcmp(tags[0], "feedback") && !*tags[1] &&
             !strcmp(tags[2], "process"));
    OB_CHECK(ob_cache_done(&r));
    /* another kind, or a missing file or folder, is no cache */
    OB_CHECK(!ob_cache_open(&r, &file, dir, "sample", "other"));
    OB_CHECK(!ob_cache_open(&r, &file, dir, "missing", "sample"));
    OB_CHECK(!ob_cache_open(&r, &file, NULL, "sample", "sample"));
    ob_buf_release(&out);
    ob_cache_file_release(&file);
    ob_arena_release(&a);
}

/* Strings kept with their NUL are lent from the file, not copied; one
 * whose NUL is missing makes the reader bad. The arena frees the
 * file it took. */
static void
test_cstr(void)
{
    static const char *const tags[] = {"a", "", "bc"};
    struct ob_buf out = OB_BUF_INIT;
    struct ob_cache_reader r;
    struct ob_arena a;
    const char **list, *s;
    char *copy;
    size_t n;

    ob_arena_init(&a);
    ob_cache_put_cstr(&out, "content/a.md");
    ob_cache_put_cstr(&out, NULL);
    ob_cache_put_cstr(&out, "");
    ob_cache_put_cstrs(&out, tags, 3);
    copy = ob_arena_take(&a, ob_buf_detach(&out, &n));
    r.p = copy;
    r.end = copy + n;
    r.bad = false;
    s = ob_cache_get_cstr(&r);
    OB_CHECK(s && !strcmp(s, "content/a.md"));
    OB_CHECK(s >= copy && s < copy + n); /* in the file: not a copy */
    OB_CHECK(ob_cache_get_cstr(&r) == NULL && !r.bad);
    s = ob_cache_get_cstr(&r);
    OB_CHECK(s && !*s);
    list = ob_cache_get_cstrs(&r, &a, &n);
    OB_CHECK_INT(n, 3);
    OB_CHECK(n == 3 && !strcmp(list[0], "a") && !*list[1] &&
             !strcmp(list[2], "bc"));
    OB_CHECK(ob_cache_done(&r));

    /* bytes without their NUL, or with one inside */
    ob_cache_put_bytes(&out, "abc", 3);
    r.p = out.ptr;
    r.end = out.ptr + out.len;
    r.bad = false;
    OB_CHECK(!ob_cache_get_cstr(&r) && r.bad);
    ob_buf_reset(&out);
    ob_cache_put_bytes(&out, "a\0c\0", 4);
    r.p = out.ptr;
    r.end = out.ptr + out.len;
    r.bad = false;
    s = ob_cache_get_cstr(&r); /* a NUL inside only makes it shorter */
    OB_CHECK(s && !strcmp(s, "a") && !r.bad);
    ob_buf_release(&out);
    ob_arena_release(&a); /* frees `copy`: ASan and valgrind would see */
}

/* Cut anywhere, the file reads as bad (never out of bounds: ASan checks),
 * and a count larger than the file turns the reader bad at once. */
static void
test_cut_and_counts(void)
{
    struct ob_buf out = OB_BUF_INIT, cut = OB_BUF_INIT;
    struct ob_cache_file file = OB_CACHE_FILE_INIT;
    struct ob_cache_reader r;
    struct ob_arena a;
    size_t len, n, bad = 0, tries = 0;

    ob_arena_init(&a);
    sample(&out);
    for (len = 0; len < out.len; len++) {
        ob_buf_reset(&cut);
        ob_buf_add(&cut, out.ptr, len);
        write_file("cut", &cut);
        if (!ob_cache_open(&r, &file, dir, "cut", "sample")) {
            bad++;
            tries++;
            continue;
        }
        ob_cache_get_u64(&r);
        ob_cache_get_u64(&r);
        ob_cache_get_str(&r, &a);
        ob_cache_get_str(&r, &a);
        ob_cache_get_str(&r, &a);
        ob_cache_get_bytes(&r, &n);
        ob_cache_get_strs(&r, &a, &n);
        bad += !ob_cache_done(&r);
        tries++;
    }
    OB_CHECK_INT(bad, tries);
    ob_cache_begin(&cut, "counts");
    ob_cache_put_u64(&cut, 1000000);
    ob_cache_put_u64(&cut, 1);
    write_file("counts", &cut);
    OB_CHECK(ob_cache_open(&r, &file, dir, "counts", "counts"));
    OB_CHECK_INT(ob_cache_get_count(&r, 8), 0);
    OB_CHECK(r.bad);
    ob_buf_release(&out);
    ob_cache_file_release(&file);
    ob_buf_release(&cut);
    ob_arena_release(&a);
}

/* A cache file is mapped whole, its bytes followed by a NUL, whatever its
 * length (a page's multiple too, where the NUL lies past the file); given
 * to an arena, it goes with the arena. */
static void
test_mapped(void)
{
    size_t lens[] = {4096, 8192, 5000};
    struct ob_buf out = OB_BUF_INIT;
    struct ob_cache_file file = OB_CACHE_FILE_INIT;
    struct ob_cache_reader r;
    struct ob_arena a;
    size_t i;

    for (i = 0; i < sizeof lens / sizeof *lens; i++) {
        ob_cache_begin(&out, "pad");
        while (out.len < lens[i])
            ob_buf_putc(&out, (char)('a' + out.len % 26));
        write_file("pad", &out);
        OB_CHECK(ob_cache_open(&r, &file, dir, "pad", "pad"));
        OB_CHECK_INT(file.len, lens[i]);
        OB_CHECK(file.ptr && !memcmp(file.ptr, out.ptr, out.len) &&
                 file.ptr[file.len] == '\0');
    }
    ob_arena_init(&a);
    ob_cache_file_give(&file, &a);
    OB_CHECK(file.ptr == NULL && file.len == 0);
    ob_arena_release(&a); /* unmaps it: ASan and valgrind see no leak */
    ob_buf_release(&out);
}

/* Hashes are XXH3's, the same on every machine; pieces hash with their
 * lengths, so ("ab","c") and ("a","bc") differ, and NULL differs from "". */
static void
test_hashes(void)
{
    struct ob_hasher h;
    uint64_t ab_c, a_bc, null_s, empty_s;
    static const char *const list[] = {"ab", "c"};

    OB_CHECK(ob_hash("", 0) == 0x2d06800538d394c2ULL); /* XXH3_64bits("") */
    OB_CHECK(ob_hash("abc", 3) == ob_hash("abc", 3));
    ob_hasher_init(&h);
    ob_hasher_add_strs(&h, list, 2);
    ab_c = ob_hasher_finish(&h);
    ob_hasher_init(&h);
    ob_hasher_add_u64(&h, 2);
    ob_hasher_add_str(&h, "a");
    ob_hasher_add_str(&h, "bc");
    a_bc = ob_hasher_finish(&h);
    OB_CHECK(ab_c != a_bc);
    ob_hasher_init(&h);
    ob_hasher_add_str(&h, NULL);
    null_s = ob_hasher_finish(&h);
    ob_hasher_init(&h);
    ob_hasher_add_str(&h, "");
    empty_s = ob_hasher_finish(&h);
    OB_CHECK(null_s != empty_s);
}

/* A hasher's hash is XXH3's of the bytes added, however they come: small
 * pieces (gathered), pieces across its buffer's end, pieces larger than
 * it; numbers as 8 bytes, little-endian. */
static void
test_hasher_streams(void)
{
    static const unsigned char le[8] = {8, 7, 6, 5, 4, 3, 2, 1};
    static char bytes[10000];
    struct ob_hasher h;
    size_t sizes[] = {1, 7, 2040, 3, 2049, 0, 5000, 93};
    size_t i, at = 0;

    for (i = 0; i < sizeof bytes; i++)
        bytes[i] = (char)(i * 131 + 7);
    ob_hasher_init(&h);
    for (i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        ob_hasher_add(&h, bytes + at, sizes[i]);
        at += sizes[i];
    }
    OB_CHECK(ob_hasher_finish(&h) == ob_hash(bytes, at));
    ob_hasher_init(&h);
    ob_hasher_add_u64(&h, 0x0102030405060708ULL);
    OB_CHECK(ob_hasher_finish(&h) == ob_hash(le, sizeof le));
}

/* A kept identity is trusted only when its time is older than the file
 * system's timestamp grain before the cache was written. */
static void
test_racy(void)
{
    const int64_t s = 1000000000, t = 1763800000 * s; /* a whole second */

    OB_CHECK(ob_cache_racy(t + 123456789, t + 123456789 + 1000));
    OB_CHECK(!ob_cache_racy(t + 123456789, t + 123456789 + s / 10));
    /* whole seconds: a coarse file system, two seconds of doubt */
    OB_CHECK(ob_cache_racy(t, t + s));
    OB_CHECK(!ob_cache_racy(t, t + 3 * s));
    /* written before the file's time (a clock set back): never trusted */
    OB_CHECK(ob_cache_racy(t + 5, t));
}

int
main(void)
{
    char path[256];

    if (!mkdtemp(dir))
        return 1;
    OB_RUN(test_round_trip);
    OB_RUN(test_cstr);
    OB_RUN(test_mapped);
    OB_RUN(test_hasher_streams);
    OB_RUN(test_cut_and_counts);
    OB_RUN(test_hashes);
    OB_RUN(test_racy);
    snprintf(path, sizeof path, "%s/sample", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/cut", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/counts", dir);
    unlink(path);
    rmdir(dir);
    return OB_TEST_DONE();
}
