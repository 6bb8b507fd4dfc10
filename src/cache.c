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

/* Bumped whenever any kind's records change shape. */
#define CACHE_FORMAT 1
#define CACHE_ROOM   ((size_t)4 << 20)
#define NULL_MARK    UINT64_MAX /* as ob_cache_put_str() writes it */

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

/* The whole file, mapped, quietly: a missing cache is not a problem. One
 * page past its end is mapped too (zeros: the file's last page is zero
 * past its end, and a page beyond is anonymous), so that the bytes end in
 * a NUL. */
static bool
map_file(const char *path, struct ob_cache_file *f)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), len, map_len;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int flags = MAP_PRIVATE | MAP_FIXED;
    struct stat st;
    void *base;

    if (fd < 0)
        return false;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        (uint64_t)st.st_size > SIZE_MAX / 2) {
        close(fd);
        return false;
    }
    len = (size_t)st.st_size;
    map_len = (len + page) / page * page;
#ifdef MAP_POPULATE
    flags |= MAP_POPULATE; /* every page now: one call, no page faults */
#endif
    base = mmap(NULL, map_len, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base != MAP_FAILED &&
        mmap(base, len, PROT_READ, flags, fd, 0) == MAP_FAILED) {
        munmap(base, map_len);
        base = MAP_FAILED;
    }
    close(fd);
    if (base == MAP_FAILED)
        return false;
    f->ptr = base;
    f->len = len;
    f->map_len = map_len;
    return true;
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

int64_t
ob_cache_written_at(const char *dir, const char *name)
{
    struct ob_buf path = OB_BUF_INIT;
    struct stat st;
    int64_t ns = 0;

    if (!dir)
        return 0;
    ob_buf_printf(&path, "%s/%s", dir, name);
    if (stat(path.ptr, &st) == 0)
        ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    ob_buf_release(&path);
    return ns;
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

bool
ob_cache_open(struct ob_cache_reader *r, struct ob_cache_file *file,
              const char *dir, const char *name, const char *kind)
{
    struct ob_buf path = OB_BUF_INIT, want = OB_BUF_INIT;
    bool ok;

    r->p = r->end = NULL;
    r->bad = true;
    ob_cache_file_release(file);
    if (!dir)
        return false;
    ob_buf_printf(&path, "%s/%s", dir, name);
    ok = map_file(path.ptr, file);
    header(&want, kind);
    ok = ok && file->len >= want.len && !memcmp(file->ptr, want.ptr, want.len);
    if (ok) {
        r->p = file->ptr + want.len;
        r->end = file->ptr + file->len;
        r->bad = false;
    }
    ob_buf_release(&path);
    ob_buf_release(&want);
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
