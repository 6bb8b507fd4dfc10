/* test_cache.c: the record format of the files a build keeps, and its
 * hashes: what is written reads back, and a damaged file is no cache. */
/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* ---- deltas ------------------------------------------------------------ */

static void
path_of(char *path, size_t size, const char *name)
{
    snprintf(path, size, "%s/%s", dir, name);
}

static bool
exists(const char *name)
{
    char path[256];
    struct stat st;

    path_of(path, sizeof path, name);
    return stat(path, &st) == 0;
}

static ino_t
inode_of(const char *name)
{
    char path[256];
    struct stat st;

    path_of(path, sizeof path, name);
    return stat(path, &st) == 0 ? st.st_ino : 0;
}

/* Whether the cache file `name` opens as `kind` with exactly `b`'s bytes. */
static bool
reads_as(const char *name, const char *kind, const struct ob_buf *b)
{
    struct ob_cache_file file = OB_CACHE_FILE_INIT;
    struct ob_cache_reader r;
    bool same = ob_cache_open(&r, &file, dir, name, kind) &&
                file.len == b->len && !memcmp(file.ptr, b->ptr, b->len) &&
                file.ptr[file.len] == '\0';

    ob_cache_file_release(&file);
    return same;
}

/* A cache file of `len` bytes of kind "delta-test", its bytes from `seed`. */
static void
make_sample(struct ob_buf *out, size_t len, unsigned seed)
{
    ob_cache_begin(out, "delta-test");
    while (out->len < len) {
        seed = seed * 1103515245u + 12345u;
        ob_buf_putc(out, (char)(seed >> 16));
    }
}

/* A new version a few bytes away from the last is kept as a delta beside
 * it, which opening applies; the same bytes again are no delta at all. */
static void
test_delta_written_and_read(void)
{
    struct ob_buf v0 = OB_BUF_INIT, v1 = OB_BUF_INIT;
    struct ob_cache_file file = OB_CACHE_FILE_INIT;
    struct ob_cache_reader r;
    char path[256];
    struct stat st;
    off_t size;
    ino_t base;

    make_sample(&v0, 100000, 1);
    OB_CHECK(ob_cache_write(dir, "d", v0.ptr, v0.len));
    OB_CHECK(reads_as("d", "delta-test", &v0));
    OB_CHECK(!exists("d.delta"));
    base = inode_of("d");

    /* three places changed, the last byte one of them */
    ob_buf_add(&v1, v0.ptr, v0.len);
    v1.ptr[200] ^= 1;
    v1.ptr[50000] ^= 2;
    v1.ptr[v1.len - 1] ^= 4;
    OB_CHECK(ob_cache_write(dir, "d", v1.ptr, v1.len));
    OB_CHECK(exists("d.delta"));
    OB_CHECK(inode_of("d") == base); /* the file itself is not written */
    OB_CHECK(reads_as("d", "delta-test", &v1));
    /* written when its delta was */
    OB_CHECK(ob_cache_open(&r, &file, dir, "d", "delta-test"));
    path_of(path, sizeof path, "d.delta");
    OB_CHECK(stat(path, &st) == 0 &&
             file.written ==
                 (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec);
    ob_cache_file_release(&file);

    /* again: the delta is written over, not replaced; one shorter than
     * the last leaves the file as long (cutting it could take pages from
     * under a build that reads it) */
    base = inode_of("d.delta");
    v1.ptr[60000] ^= 8;
    OB_CHECK(ob_cache_write(dir, "d", v1.ptr, v1.len));
    OB_CHECK(inode_of("d.delta") == base);
    OB_CHECK(reads_as("d", "delta-test", &v1));
    path_of(path, sizeof path, "d.delta");
    OB_CHECK(stat(path, &st) == 0);
    size = st.st_size;
    v1.ptr[200] ^= 1;
    v1.ptr[50000] ^= 2;
    v1.ptr[60000] ^= 8;
    OB_CHECK(ob_cache_write(dir, "d", v1.ptr, v1.len));
    OB_CHECK(stat(path, &st) == 0 && st.st_size == size);
    OB_CHECK(reads_as("d", "delta-test", &v1));

    /* back to the file's own bytes: no delta */
    OB_CHECK(ob_cache_write(dir, "d", v0.ptr, v0.len));
    OB_CHECK(!exists("d.delta"));
    OB_CHECK(reads_as("d", "delta-test", &v0));
    ob_buf_release(&v0);
    ob_buf_release(&v1);
}

/* Bytes another size, or too many of them changed, make a new file, and
 * its old delta goes with the old file. */
static void
test_delta_or_whole(void)
{
    struct ob_buf v0 = OB_BUF_INIT, v1 = OB_BUF_INIT, v2 = OB_BUF_INIT;
    ino_t base;

    make_sample(&v0, 50000, 2);
    OB_CHECK(ob_cache_write(dir, "w", v0.ptr, v0.len));
    ob_buf_add(&v1, v0.ptr, v0.len);
    v1.ptr[1000] ^= 1;
    OB_CHECK(ob_cache_write(dir, "w", v1.ptr, v1.len));
    OB_CHECK(exists("w.delta"));
    base = inode_of("w");

    /* one byte longer */
    ob_buf_putc(&v1, 'x');
    OB_CHECK(ob_cache_write(dir, "w", v1.ptr, v1.len));
    OB_CHECK(!exists("w.delta") && inode_of("w") != base);
    OB_CHECK(reads_as("w", "delta-test", &v1));

    /* the same size, but half of it changed */
    base = inode_of("w");
    make_sample(&v2, v1.len, 3);
    memcpy(v2.ptr, v1.ptr, v2.len / 2);
    OB_CHECK(ob_cache_write(dir, "w", v2.ptr, v2.len));
    OB_CHECK(!exists("w.delta") && inode_of("w") != base);
    OB_CHECK(reads_as("w", "delta-test", &v2));
    ob_buf_release(&v0);
    ob_buf_release(&v1);
    ob_buf_release(&v2);
}

static void
copy_file(const char *from, const char *to)
{
    char a[256], b[256], chunk[4096];
    FILE *in, *out;
    size_t n;

    path_of(a, sizeof a, from);
    path_of(b, sizeof b, to);
    in = fopen(a, "rb");
    out = fopen(b, "wb");
    while (in && out && (n = fread(chunk, 1, sizeof chunk, in)) > 0)
        fwrite(chunk, 1, n, out);
    if (in)
        fclose(in);
    if (out)
        fclose(out);
}

/* A delta is for one file: beside another (the file replaced since, a
 * delta left from before), or damaged, it is ignored and the file reads
 * as written; one that checks out but reaches past the file's end makes
 * the file no cache. */
static void
test_delta_ignored(void)
{
    struct ob_buf v0 = OB_BUF_INIT, v1 = OB_BUF_INIT, v2 = OB_BUF_INIT;
    struct ob_buf bad = OB_BUF_INIT;
    struct ob_cache_file file = OB_CACHE_FILE_INIT;
    struct ob_cache_reader r;
    char path[256];
    FILE *f;

    make_sample(&v0, 30000, 4);
    OB_CHECK(ob_cache_write(dir, "i", v0.ptr, v0.len));
    ob_buf_add(&v1, v0.ptr, v0.len);
    v1.ptr[7000] ^= 1;
    OB_CHECK(ob_cache_write(dir, "i", v1.ptr, v1.len));
    copy_file("i.delta", "saved.delta");

    /* the file written anew (another size), the old delta put back */
    make_sample(&v2, 30001, 5);
    OB_CHECK(ob_cache_write(dir, "i", v2.ptr, v2.len));
    copy_file("saved.delta", "i.delta");
    OB_CHECK(reads_as("i", "delta-test", &v2));

    /* a damaged delta: the file alone */
    OB_CHECK(ob_cache_write(dir, "i", v0.ptr, v0.len));
    OB_CHECK(ob_cache_write(dir, "i", v1.ptr, v1.len));
    path_of(path, sizeof path, "i.delta");
    f = fopen(path, "r+b");
    OB_CHECK(f != NULL);
    if (f) {
        fseek(f, -12, SEEK_END);
        fputc('!', f);
        fclose(f);
    }
    OB_CHECK(reads_as("i", "delta-test", &v0));

    /* a sealed delta for this very file, with a range past its end */
    OB_CHECK(ob_cache_write(dir, "i", v1.ptr, v1.len));
    copy_file("i.delta", "saved.delta");
    {
        struct ob_cache_file d = OB_CACHE_FILE_INIT;
        struct ob_cache_reader dr;
        struct stat st;
        size_t seal_at;

        path_of(path, sizeof path, "i");
        OB_CHECK(stat(path, &st) == 0);
        ob_cache_begin(&bad, "delta");
        seal_at = bad.len;
        ob_cache_put_u64(&bad, 0);
        ob_cache_put_u64(&bad, (uint64_t)st.st_ino);
        ob_cache_put_u64(&bad, (uint64_t)st.st_size);
        ob_cache_put_u64(&bad, (uint64_t)st.st_mtim.tv_sec * 1000000000 +
                                   (uint64_t)st.st_mtim.tv_nsec);
        ob_cache_put_u64(&bad, 1);
        ob_cache_put_u64(&bad, v1.len - 2);
        ob_cache_put_bytes(&bad, "abcd", 4);
        ob_cache_set_u64(&bad, seal_at, bad.len); /* the seal is here */
        ob_cache_put_u64(&bad, ob_hash(bad.ptr, bad.len));
        write_file("i.delta", &bad);
        OB_CHECK(!ob_cache_open(&r, &file, dir, "i", "delta-test"));
        /* the real one, written the same way, does apply */
        OB_CHECK(ob_cache_open(&dr, &d, dir, "saved.delta", "delta"));
        ob_cache_file_release(&d);
        copy_file("saved.delta", "i.delta");
        OB_CHECK(reads_as("i", "delta-test", &v1));
    }
    ob_cache_file_release(&file);
    path_of(path, sizeof path, "saved.delta");
    unlink(path);
    ob_buf_release(&v0);
    ob_buf_release(&v1);
    ob_buf_release(&v2);
    ob_buf_release(&bad);
}

/* Random changes of random files, kept and read back: the bytes read are
 * the bytes kept, whether as a delta or not. */
static void
test_delta_random(void)
{
    struct ob_buf v = OB_BUF_INIT;
    unsigned seed = 7;
    int round, bad = 0, deltas = 0;
    size_t len = 0, head = 0;

    for (round = 0; round < 300; round++) {
        int k, changes;

        seed = seed * 1103515245u + 12345u;
        if (round % 50 == 0) { /* now and then a new file */
            len = 100 + (seed >> 8) % 20000;
            make_sample(&v, len, seed);
            head = (size_t)((char *)memchr(v.ptr, '\n', v.len) - v.ptr) + 1;
        }
        changes = (int)((seed >> 4) % 6);
        for (k = 0; k < changes; k++) {
            seed = seed * 1103515245u + 12345u;
            /* past the header line, which says what the file is */
            v.ptr[head + (seed >> 8) % (v.len - head)] ^= (char)(1 + k);
        }
        if (!ob_cache_write(dir, "r", v.ptr, v.len) ||
            !reads_as("r", "delta-test", &v))
            bad++;
        deltas += exists("r.delta");
    }
    OB_CHECK_INT(bad, 0);
    OB_CHECK(deltas > 100); /* most were kept as deltas */
    ob_buf_release(&v);
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
    OB_RUN(test_delta_written_and_read);
    OB_RUN(test_delta_or_whole);
    OB_RUN(test_delta_ignored);
    OB_RUN(test_delta_random);
    snprintf(path, sizeof path, "%s/sample", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/cut", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/counts", dir);
    unlink(path);
    {
        static const char *const made[] = {"d", "w", "i", "r", "pad"};
        size_t i;

        for (i = 0; i < sizeof made / sizeof *made; i++) {
            snprintf(path, sizeof path, "%s/%s", dir, made[i]);
            unlink(path);
            snprintf(path, sizeof path, "%s/%s.delta", dir, made[i]);
            unlink(path);
        }
    }
    rmdir(dir);
    return OB_TEST_DONE();
}
