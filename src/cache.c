/* cache.c: the record format of the files a build keeps for the next. */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* dl_iterate_phdr() */
#include "opsbook/cache.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "opsbook/build.h"
#include "opsbook/fs.h"

/* Bumped whenever any kind's records change shape. */
#define CACHE_FORMAT 1
#define CACHE_ROOM   ((size_t)4 << 20)
#define NULL_MARK    UINT64_MAX /* as ob_cache_put_str() writes it */

/* Deltas (see struct ob_cache_file): the kind of their header, the suffix
 * of their name, and how big one may be, at most, against its file: past
 * that, the whole file is written again (it costs the reader more than the
 * writer saves, and keeps a file's delta from growing with every build). */
#define DELTA_KIND   "delta"
#define DELTA_SUFFIX ".delta"
#define DELTA_SHARE  8
/* Bytes compared at a time; differences closer than this are one range. */
#define DIFF_BLOCK 64

/* The linker's build id of the running program (its GNU build-id note),
 * as hex, or "" without one: a rebuilt opsbook renders differently, even
 * under the same version number, so it never trusts an older one's cache. */
static int
find_build_id(struct dl_phdr_info *info, size_t size, void *data)
{
    struct ob_buf *out = data;
    int i;

    (void)size;
    if (info->dlpi_name && *info->dlpi_name)
        return 0; /* a shared library; the program comes first, named "" */
    for (i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr);
        const char *end = p + ph->p_memsz;

        if (ph->p_type != PT_NOTE)
            continue;
        while (end - p >= (long)sizeof(ElfW(Nhdr))) {
            const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)(const void *)p;
            const unsigned char *desc = (const unsigned char *)p + sizeof(*n) +
                                        ((n->n_namesz + 3) & ~3u);
            size_t k;

            if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
                !memcmp(p + sizeof(*n), "GNU", 4)) {
                for (k = 0; k < n->n_descsz; k++)
                    ob_buf_printf(out, "%02x", desc[k]);
                return 1;
            }
            p = (const char *)desc + ((n->n_descsz + 3) & ~3u);
        }
    }
    return 1;
}

static void
header(struct ob_buf *out, const char *kind)
{
    ob_buf_printf(out, "opsbook-cache %s %d %s ", kind, CACHE_FORMAT,
                  OB_VERSION);
    dl_iterate_phdr(find_build_id, out);
    ob_buf_putc(out, '\n');
}

static int64_t
mtime_ns(const struct stat *st)
{
    return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* The file open at `fd` (of `st`), mapped at a fresh place with a page
 * of zeros after it, so that its bytes end in a NUL (the file's last page
 * is zero past its end, and the page after is anonymous). Read-only and
 * read in at once (MAP_POPULATE: one call, no page faults); or, for a
 * delta to be applied, private and writable, read in without being copied
 * (MADV_POPULATE_READ): a page becomes the process's own when written. */
static bool
map_fd(int fd, const struct stat *st, bool writable, struct ob_cache_file *f)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), len, map_len;
    int prot = PROT_READ | (writable ? PROT_WRITE : 0);
    int flags = MAP_PRIVATE | MAP_FIXED;
    void *base;

    if (!S_ISREG(st->st_mode) || st->st_size <= 0 ||
        (uint64_t)st->st_size > SIZE_MAX / 2)
        return false;
    len = (size_t)st->st_size;
    map_len = (len + page) / page * page;
#ifdef MAP_POPULATE
    if (!writable)
        flags |= MAP_POPULATE;
#endif
    base = mmap(NULL, map_len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base != MAP_FAILED &&
        mmap(base, len, prot, flags, fd, 0) == MAP_FAILED) {
        munmap(base, map_len);
        base = MAP_FAILED;
    }
    if (base == MAP_FAILED)
        return false;
#ifdef MADV_POPULATE_READ
    if (writable)
        (void)madvise(base, len, MADV_POPULATE_READ); /* else on demand */
#endif
    f->ptr = base;
    f->len = len;
    f->map_len = map_len;
    f->written = mtime_ns(st);
    return true;
}

/* The whole file at `path`, mapped read-only (see map_fd()), quietly: a
 * missing cache is not a problem. `st`: the file's. */
static bool
map_path(const char *path, struct ob_cache_file *f, struct stat *st)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    bool ok = fd >= 0 && fstat(fd, st) == 0 && map_fd(fd, st, false, f);

    if (fd >= 0)
        close(fd);
    return ok;
}

/* Whether `f` opens with the header of `kind`; moves `r` past it. */
static bool
open_kind(struct ob_cache_reader *r, const struct ob_cache_file *f,
          const char *kind)
{
    struct ob_buf want = OB_BUF_INIT;
    bool ok;

    header(&want, kind);
    ok = f->len >= want.len && !memcmp(f->ptr, want.ptr, want.len);
    r->p = ok ? f->ptr + want.len : NULL;
    r->end = ok ? f->ptr + f->len : NULL;
    r->bad = !ok;
    ob_buf_release(&want);
    return ok;
}

/*
 * A delta: after its header, where its seal is (its length up to there),
 * whom it is for, its ranges, and the seal: the hash of all before it.
 * What follows the seal is left from a longer delta: a delta is written
 * over the last one, never cut shorter, as a build that has it mapped
 * would find the pages cut off gone (SIGBUS).
 *
 * Opens delta `d` for the file of `st`: checks its header, its seal and
 * whom it is for, and leaves `r` at its count of ranges.
 */
static bool
open_delta(struct ob_cache_reader *r, const struct ob_cache_file *d,
           const struct stat *st)
{
    const char *seal;
    uint64_t at, want = 0;
    int i;

    if (!open_kind(r, d, DELTA_KIND))
        return false;
    at = ob_cache_get_u64(r);
    if (r->bad || at < (uint64_t)(r->p - d->ptr) || at > d->len - 8)
        return false;
    seal = d->ptr + at;
    for (i = 0; i < 8; i++)
        want |= (uint64_t)(unsigned char)seal[i] << (8 * i);
    if (ob_hash(d->ptr, (size_t)at) != want)
        return false;
    r->end = seal;
    return ob_cache_get_u64(r) == (uint64_t)st->st_ino &&
           ob_cache_get_u64(r) == (uint64_t)st->st_size &&
           ob_cache_get_u64(r) == (uint64_t)mtime_ns(st) && !r->bad;
}

/* Applies the ranges `r` reads (at its count) to `f`, mapped writable:
 * in order, apart, inside the file, all, or the file is no cache. */
static bool
apply_ranges(struct ob_cache_reader *r, struct ob_cache_file *f)
{
    size_t n = ob_cache_get_count(r, 16), i;
    uint64_t from = 0;

    for (i = 0; i < n; i++) {
        uint64_t at = ob_cache_get_u64(r);
        size_t len;
        const char *bytes = ob_cache_get_bytes(r, &len);

        if (r->bad || !len || at < from || at > f->len || len > f->len - at)
            return false;
        memcpy((char *)f->ptr + at, bytes, len);
        from = at + len;
    }
    return ob_cache_done(r);
}

/* The file at `path` with its delta applied, when it has one for it (see
 * map_fd()). */
static bool
map_file(const char *path, struct ob_cache_file *f)
{
    struct ob_cache_file d = OB_CACHE_FILE_INIT;
    struct ob_buf delta = OB_BUF_INIT;
    struct ob_cache_reader r;
    struct stat st, dst;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    bool ok = fd >= 0 && fstat(fd, &st) == 0, patched = false;

    if (ok) {
        ob_buf_printf(&delta, "%s" DELTA_SUFFIX, path);
        patched = map_path(delta.ptr, &d, &dst) && open_delta(&r, &d, &st);
        ok = map_fd(fd, &st, patched, f);
    }
    if (ok && patched) {
        ok = apply_ranges(&r, f);
        f->written = d.written;
    }
    if (fd >= 0)
        close(fd);
    ob_cache_file_release(&d);
    ob_buf_release(&delta);
    if (!ok)
        ob_cache_file_release(f);
    return ok;
}

void
ob_cache_file_take(struct ob_cache_file *f, struct ob_buf *b)
{
    ob_cache_file_release(f);
    f->len = b->len;
    f->ptr = b->ptr ? ob_buf_detach(b, NULL) : NULL;
}

void
ob_cache_file_release(struct ob_cache_file *f)
{
    if (f->map_len)
        munmap((void *)f->ptr, f->map_len);
    else
        free((void *)f->ptr);
    f->ptr = NULL;
    f->len = f->map_len = 0;
    f->written = 0;
}

static void
unmap(void *p, size_t len)
{
    if (len)
        munmap(p, len);
    else
        free(p);
}

void
ob_cache_file_give(struct ob_cache_file *f, struct ob_arena *a)
{
    if (f->ptr)
        ob_arena_take_with(a, (void *)f->ptr, f->map_len, unmap);
    f->ptr = NULL;
    f->len = f->map_len = 0;
}

bool
ob_cache_racy(int64_t mtime_ns, int64_t written_ns)
{
    int64_t grain = mtime_ns % 1000000000 ? 50000000 : OB_CACHE_RACY_NS;

    return mtime_ns > written_ns - grain;
}

int64_t
ob_cache_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The hash of a file's bytes; the clock's time (a key no other build
 * shares) when it cannot be read. */
static uint64_t
bytes_key(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    uint64_t bytes;

    if (fd < 0 || !ob_hash_fd(fd, &bytes))
        bytes = (uint64_t)ob_cache_now();
    if (fd >= 0)
        close(fd);
    return bytes;
}

void
ob_cache_hash_file(struct ob_hasher *h, const char *path, int64_t now_ns)
{
    struct stat st;
    int64_t mtime;

    ob_hasher_add_str(h, path);
    if (stat(path, &st) != 0) {
        ob_hasher_add_u64(h, UINT64_MAX);
        return;
    }
    mtime = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    ob_hasher_add_u64(h, (uint64_t)st.st_dev);
    ob_hasher_add_u64(h, (uint64_t)st.st_ino);
    ob_hasher_add_u64(h, (uint64_t)st.st_size);
    ob_hasher_add_u64(h, (uint64_t)mtime);
    if (ob_cache_racy(mtime, now_ns))
        ob_hasher_add_u64(h, bytes_key(path));
}

void
ob_cache_hash_bytes(struct ob_hasher *h, const char *path)
{
    ob_hasher_add_str(h, path);
    ob_hasher_add_u64(h, bytes_key(path));
}

void
ob_cache_begin(struct ob_buf *out, const char *kind)
{
    ob_buf_reset(out);
    /* Room for a big site's file at once: growing by doubling copies and
     * touches twice the memory, and memory not written to costs nothing
     * (the pages a rebuild writes are a few MB; touching each new page of
     * memory is what costs) */
    ob_buf_grow(out, CACHE_ROOM);
    header(out, kind);
}

void
ob_cache_put_slow(struct ob_buf *out, const void *data, size_t len)
{
    ob_buf_add(out, data, len);
}

void
ob_cache_set_u64(struct ob_buf *out, size_t at, uint64_t v)
{
    int i;

    for (i = 0; i < 8; i++)
        out->ptr[at + (size_t)i] = (char)(unsigned char)(v >> (8 * i));
}

bool
ob_cache_open(struct ob_cache_reader *r, struct ob_cache_file *file,
              const char *dir, const char *name, const char *kind)
{
    struct ob_buf path = OB_BUF_INIT;
    bool ok;

    r->p = r->end = NULL;
    r->bad = true;
    ob_cache_file_release(file);
    if (!dir)
        return false;
    ob_buf_printf(&path, "%s/%s", dir, name);
    ok = map_file(path.ptr, file) && open_kind(r, file, kind);
    ob_buf_release(&path);
    return ok;
}

const char *
ob_cache_get_str(struct ob_cache_reader *r, struct ob_arena *a)
{
    size_t len;
    const char *s = ob_cache_get_bytes(r, &len);

    return s ? ob_arena_strndup(a, s, len) : NULL;
}

size_t
ob_cache_get_count(struct ob_cache_reader *r, size_t each)
{
    uint64_t n = ob_cache_get_u64(r);

    if (r->bad || n > (uint64_t)(r->end - r->p) / (each ? each : 1)) {
        r->bad = true;
        return 0;
    }
    return (size_t)n;
}

/* A count, then each string as `put` writes it. */
static void
put_list(struct ob_buf *out, const char *const *list, size_t n,
         void (*put)(struct ob_buf *, const char *))
{
    size_t i;

    ob_cache_put_u64(out, n);
    for (i = 0; i < n; i++)
        put(out, list[i]);
}

void
ob_cache_put_strs(struct ob_buf *out, const char *const *list, size_t n)
{
    put_list(out, list, n, ob_cache_put_str);
}

void
ob_cache_put_cstrs(struct ob_buf *out, const char *const *list, size_t n)
{
    put_list(out, list, n, ob_cache_put_cstr);
}

/* What put_list() wrote: the strings copied into `a`, or `lent` from the
 * file (see ob_cache_get_cstr()). */
static const char **
get_list(struct ob_cache_reader *r, struct ob_arena *a, size_t *n, bool lent)
{
    size_t count = ob_cache_get_count(r, 8), i;
    const char **list = count ? ob_arena_calloc(a, count, sizeof(*list)) : NULL;

    for (i = 0; i < count && !r->bad; i++) {
        list[i] = lent ? ob_cache_get_cstr(r) : ob_cache_get_str(r, a);
        if (!list[i])
            r->bad = true;
    }
    *n = r->bad ? 0 : count;
    return list;
}

const char **
ob_cache_get_strs(struct ob_cache_reader *r, struct ob_arena *a, size_t *n)
{
    return get_list(r, a, n, false);
}

const char **
ob_cache_get_cstrs(struct ob_cache_reader *r, struct ob_arena *a, size_t *n)
{
    return get_list(r, a, n, true);
}

bool
ob_cache_done(const struct ob_cache_reader *r)
{
    return !r->bad && r->p == r->end;
}

/* ---- writing ----------------------------------------------------------- */

/* Writes `len` bytes as the file `path` (in `dir`): a new file renamed
 * over it, so that a reader sees the old bytes or the new. */
static bool
write_whole(const char *dir, const char *path, const void *data, size_t len)
{
    struct ob_buf part = OB_BUF_INIT;
    int fd;
    bool ok;

    ob_buf_printf(&part, "%s/.part", dir);
    fd = open(part.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    ok = fd >= 0 && ob_fs_write_all(fd, data, len);
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    ok = ok && rename(part.ptr, path) == 0;
    if (!ok)
        (void)unlink(part.ptr);
    ob_buf_release(&part);
    return ok;
}

/* Where `data` differs from `base` (both `len` bytes), as ranges in
 * `out`, each an offset and the new bytes: false when they would take more
 * than 1/DELTA_SHARE of the file. */
static bool
diff_ranges(const char *base, const char *data, size_t len, struct ob_buf *out,
            uint64_t *n_ranges)
{
    size_t at = 0, budget = len / DELTA_SHARE, used = 0;

    *n_ranges = 0;
    while (at < len) {
        size_t block = len - at < DIFF_BLOCK ? len - at : DIFF_BLOCK, end;

        if (!memcmp(base + at, data + at, block)) {
            at += block;
            continue;
        }
        /* a range: blocks that differ, and the same blocks between them
         * when shorter than one (a range costs 16 bytes more) */
        for (end = at + block; end < len;) {
            size_t next = len - end < DIFF_BLOCK ? len - end : DIFF_BLOCK;

            if (!memcmp(base + end, data + end, next) &&
                (end + next >= len ||
                 !memcmp(base + end + next, data + end + next,
                         len - end - next < DIFF_BLOCK ? len - end - next
                                                       : DIFF_BLOCK)))
                break;
            end += next;
        }
        used += end - at + 16;
        if (used > budget)
            return false;
        ob_cache_put_u64(out, at);
        ob_cache_put_bytes(out, data + at, end - at);
        ++*n_ranges;
        at = end;
    }
    return true;
}

/* The delta that makes the file at `path` (already there, of `len` bytes)
 * hold `data`, in `out`: false when there is no such file, or too much
 * differs. `*none`: nothing does. */
static bool
make_delta(const char *path, const void *data, size_t len, struct ob_buf *out,
           bool *none)
{
    struct ob_cache_file base = OB_CACHE_FILE_INIT;
    struct ob_buf ranges = OB_BUF_INIT;
    struct stat st;
    uint64_t n = 0;
    bool ok;

    ok = len && map_path(path, &base, &st) && base.len == len &&
         diff_ranges(base.ptr, data, len, &ranges, &n);
    ob_cache_file_release(&base);
    *none = ok && !n;
    if (ok) {
        size_t seal_at;

        ob_buf_reset(out);
        header(out, DELTA_KIND);
        seal_at = out->len;
        ob_cache_put_u64(out, 0); /* set below */
        ob_cache_put_u64(out, (uint64_t)st.st_ino);
        ob_cache_put_u64(out, (uint64_t)st.st_size);
        ob_cache_put_u64(out, (uint64_t)mtime_ns(&st));
        ob_cache_put_u64(out, n);
        ob_buf_add(out, ranges.ptr, ranges.len);
        ob_cache_set_u64(out, seal_at, out->len);
        ob_cache_put_u64(out, ob_hash(out->ptr, out->len));
    }
    ob_buf_release(&ranges);
    return ok;
}

/* Writes `len` bytes at the start of the file `path`, over the bytes it
 * held, and cuts nothing off: for a delta (see open_delta()), which a
 * reader that reads it meanwhile finds whole or finds broken, and then
 * ignores. Replacing it would free its inode each time, which costs ext4
 * more than the write (a few tenths of a millisecond here). */
static bool
write_over(const char *path, const void *data, size_t len)
{
    const char *p = data;
    size_t at = 0;
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    bool ok = fd >= 0;

    while (ok && at < len) {
        ssize_t n = pwrite(fd, p + at, len - at, (off_t)at);

        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0;
        at += ok ? (size_t)n : 0;
    }
    if (fd >= 0)
        ok = close(fd) == 0 && ok;
    return ok;
}

/* Whether the file at `path` starts with `len` bytes of `data`. */
static bool
holds(const char *path, const char *data, size_t len)
{
    struct ob_cache_file f = OB_CACHE_FILE_INIT;
    struct stat st;
    bool same =
        map_path(path, &f, &st) && f.len >= len && !memcmp(f.ptr, data, len);

    ob_cache_file_release(&f);
    return same;
}

bool
ob_cache_write(const char *dir, const char *name, const void *data, size_t len)
{
    struct ob_buf path = OB_BUF_INIT, delta_path = OB_BUF_INIT;
    struct ob_buf delta = OB_BUF_INIT;
    bool ok, none;

    ob_buf_printf(&path, "%s/%s", dir, name);
    ob_buf_printf(&delta_path, "%s" DELTA_SUFFIX, path.ptr);
    if (make_delta(path.ptr, data, len, &delta, &none)) {
        if (none)
            ok = unlink(delta_path.ptr) == 0 || errno == ENOENT;
        else
            ok = holds(delta_path.ptr, delta.ptr, delta.len) ||
                 write_over(delta_path.ptr, delta.ptr, delta.len);
    } else {
        ok = write_whole(dir, path.ptr, data, len);
        (void)unlink(delta_path.ptr);
    }
    if (!ok) {
        (void)unlink(path.ptr);
        (void)unlink(delta_path.ptr);
    }
    ob_buf_release(&delta);
    ob_buf_release(&path);
    ob_buf_release(&delta_path);
    return ok;
}
