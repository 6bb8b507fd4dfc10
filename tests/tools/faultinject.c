/* faultinject.c: an LD_PRELOAD shim for the tests (tests/e2e/faults.sh)
 * that makes one call of a kind fail, as SQLite's and curl's torture tests
 * do, or counts the calls a run makes. Built by the Makefile into
 * build/tests/faultinject.so. Never linked into opsbook.
 *
 * The kinds and the public functions each covers (what opsbook and the
 * libraries it opens call through their PLT; glibc's own stdio, opendir
 * and the like call its internal entry points, which no preload sees):
 *
 *   write   write, pwrite, writev
 *   stdio   fwrite to any stream but stderr (libxlsxwriter's parts)
 *   fsync   fsync, fdatasync
 *   rename  rename, renameat, renameat2
 *   open    open, open64, openat, openat64, fopen, fopen64, tmpfile
 *   malloc  malloc, calloc, realloc, called from the main program only:
 *           libraries such as glib abort on a failed allocation by design
 *           (g_malloc), so failing theirs would test nothing of opsbook's
 *
 * Environment:
 *   OB_FAULT=KIND OB_FAULT_AT=N  the Nth call of KIND (from 1) fails, once
 *   OB_FAULT_PERSIST=1           ... and every later call of KIND too
 *   OB_FAULT_ERRNO=E             the errno it fails with (a number); by
 *                                default ENOSPC (write, stdio), EIO (fsync,
 *                                rename, open), ENOMEM (malloc)
 *   OB_FAULT_PATH=TEXT           every open of a path holding TEXT fails
 *                                (EACCES unless OB_FAULT_ERRNO)
 *   OB_FAULT_COUNT=FILE          at exit, appends "KIND COUNT" lines (the
 *                                calls each kind made) to FILE
 *   OB_FAULT_LOG=1               says on stderr which call failed
 *
 * Counting is per process and thread-safe; runs that must be repeatable
 * use one thread (-j1). */
/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

enum kind { K_WRITE, K_STDIO, K_FSYNC, K_RENAME, K_OPEN, K_MALLOC, N_KINDS };
static const char *const kind_names[N_KINDS] = {"write",  "stdio", "fsync",
                                                "rename", "open",  "malloc"};

static unsigned long counts[N_KINDS];
static int fault_kind = -1;
static unsigned long fault_at;
static int fault_persist, fault_errno, fault_log;
static const char *fault_path;
static const char *count_file;

/* The main program's loaded segments: malloc calls from there count. */
static uintptr_t main_lo, main_hi;

/* ---- the real functions -------------------------------------------------- */

/* dlsym() may allocate (its error state): allocations made while it runs,
 * or before the real allocator is known, come from this buffer and are
 * never freed. */
static _Alignas(16) char boot[65536];
static size_t boot_used;
static __thread int in_dlsym __attribute__((tls_model("initial-exec")));

static void *
boot_alloc(size_t size)
{
    size_t at = __atomic_fetch_add(&boot_used, (size + 15) & ~(size_t)15,
                                   __ATOMIC_RELAXED);

    if (at + size > sizeof boot)
        return NULL;
    return boot + at;
}

static int
is_boot(const void *p)
{
    return (const char *)p >= boot && (const char *)p < boot + sizeof boot;
}

static void *
real(const char *name)
{
    void *p;

    in_dlsym++;
    p = dlsym(RTLD_NEXT, name);
    in_dlsym--;
    if (!p) {
        static const char msg[] = "faultinject: a function is missing\n";
        (void)syscall(SYS_write, 2, msg, sizeof msg - 1);
        _exit(127);
    }
    return p;
}

/* r_NAME: the next NAME, looked up at the first call */
#define REAL(name)                                                             \
    static __typeof__(&name) r_##name;                                         \
    if (!r_##name)                                                             \
    r_##name = (__typeof__(&name))real(#name)

/* ---- configuration and reports ------------------------------------------- */

static int
find_main(struct dl_phdr_info *info, size_t size, void *ctx)
{
    int i;

    (void)size;
    (void)ctx;
    /* the first object is the main program */
    for (i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr;

        if (ph->p_type != PT_LOAD)
            continue;
        if (!main_lo || lo < main_lo)
            main_lo = lo;
        if (lo + ph->p_memsz > main_hi)
            main_hi = lo + ph->p_memsz;
    }
    return 1;
}

__attribute__((constructor)) static void
setup(void)
{
    const char *kind = getenv("OB_FAULT"), *v;
    int i;

    for (i = 0; kind && i < N_KINDS; i++)
        if (!strcmp(kind, kind_names[i]))
            fault_kind = i;
    v = getenv("OB_FAULT_AT");
    fault_at = v ? strtoul(v, NULL, 10) : 0;
    v = getenv("OB_FAULT_ERRNO");
    fault_errno = v ? atoi(v) : 0;
    fault_persist = getenv("OB_FAULT_PERSIST") != NULL;
    fault_log = getenv("OB_FAULT_LOG") != NULL;
    fault_path = getenv("OB_FAULT_PATH");
    if (fault_path && !*fault_path)
        fault_path = NULL;
    count_file = getenv("OB_FAULT_COUNT");
    dl_iterate_phdr(find_main, NULL);
}

__attribute__((destructor)) static void
report(void)
{
    char line[64];
    int fd, i, n;

    if (!count_file)
        return;
    fd = (int)syscall(SYS_openat, AT_FDCWD, count_file,
                      O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd < 0)
        return;
    for (i = 0; i < N_KINDS; i++) {
        n = snprintf(line, sizeof line, "%s %lu\n", kind_names[i],
                     __atomic_load_n(&counts[i], __ATOMIC_RELAXED));
        (void)syscall(SYS_write, fd, line, (size_t)n);
    }
    (void)syscall(SYS_close, fd);
}

/* Counts a call of `k`; true when it is to fail (errno is then set). */
static int
fails(enum kind k)
{
    static const int errnos[N_KINDS] = {ENOSPC, ENOSPC, EIO, EIO, EIO, ENOMEM};
    unsigned long n = __atomic_add_fetch(&counts[k], 1, __ATOMIC_RELAXED);

    if ((int)k != fault_kind || !fault_at ||
        !(n == fault_at || (fault_persist && n > fault_at)))
        return 0;
    if (fault_log) {
        char line[64];
        int len = snprintf(line, sizeof line, "faultinject: %s #%lu fails\n",
                           kind_names[k], n);
        (void)syscall(SYS_write, 2, line, (size_t)len);
    }
    errno = fault_errno ? fault_errno : errnos[k];
    return 1;
}

/* An open of `path`: counted, and refused when it names the path given. */
static int
open_fails(const char *path)
{
    if (fault_path && path && strstr(path, fault_path)) {
        errno = fault_errno ? fault_errno : EACCES;
        return 1;
    }
    return fails(K_OPEN);
}

/* ---- write ----------------------------------------------------------------
 */

ssize_t
write(int fd, const void *buf, size_t n)
{
    REAL(write);
    return fails(K_WRITE) ? -1 : r_write(fd, buf, n);
}

ssize_t
pwrite(int fd, const void *buf, size_t n, off_t at)
{
    REAL(pwrite);
    return fails(K_WRITE) ? -1 : r_pwrite(fd, buf, n, at);
}

ssize_t
writev(int fd, const struct iovec *iov, int n)
{
    REAL(writev);
    return fails(K_WRITE) ? -1 : r_writev(fd, iov, n);
}

size_t
fwrite(const void *buf, size_t size, size_t n, FILE *f)
{
    REAL(fwrite);
    if (f != stderr && fails(K_STDIO)) {
        /* as stdio reports a failed write: the stream's error flag */
        f->_flags |= 0x0020; /* _IO_ERR_SEEN */
        return 0;
    }
    return r_fwrite(buf, size, n, f);
}

/* ---- fsync ----------------------------------------------------------------
 */

int
fsync(int fd)
{
    REAL(fsync);
    return fails(K_FSYNC) ? -1 : r_fsync(fd);
}

int
fdatasync(int fd)
{
    REAL(fdatasync);
    return fails(K_FSYNC) ? -1 : r_fdatasync(fd);
}

/* ---- rename ---------------------------------------------------------------
 */

int
rename(const char *from, const char *to)
{
    REAL(rename);
    return fails(K_RENAME) ? -1 : r_rename(from, to);
}

int
renameat(int fd1, const char *from, int fd2, const char *to)
{
    REAL(renameat);
    return fails(K_RENAME) ? -1 : r_renameat(fd1, from, fd2, to);
}

int
renameat2(int fd1, const char *from, int fd2, const char *to, unsigned flags)
{
    REAL(renameat2);
    return fails(K_RENAME) ? -1 : r_renameat2(fd1, from, fd2, to, flags);
}

/* ---- open -----------------------------------------------------------------
 */

static mode_t
mode_of(int flags, va_list ap)
{
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE
               ? (mode_t)va_arg(ap, int)
               : 0;
}

int
open(const char *path, int flags, ...)
{
    REAL(open);
    va_list ap;
    mode_t mode;

    va_start(ap, flags);
    mode = mode_of(flags, ap);
    va_end(ap);
    return open_fails(path) ? -1 : r_open(path, flags, mode);
}

int
open64(const char *path, int flags, ...)
{
    REAL(open64);
    va_list ap;
    mode_t mode;

    va_start(ap, flags);
    mode = mode_of(flags, ap);
    va_end(ap);
    return open_fails(path) ? -1 : r_open64(path, flags, mode);
}

int
openat(int dfd, const char *path, int flags, ...)
{
    REAL(openat);
    va_list ap;
    mode_t mode;

    va_start(ap, flags);
    mode = mode_of(flags, ap);
    va_end(ap);
    return open_fails(path) ? -1 : r_openat(dfd, path, flags, mode);
}

int
openat64(int dfd, const char *path, int flags, ...)
{
    REAL(openat64);
    va_list ap;
    mode_t mode;

    va_start(ap, flags);
    mode = mode_of(flags, ap);
    va_end(ap);
    return open_fails(path) ? -1 : r_openat64(dfd, path, flags, mode);
}

FILE *
fopen(const char *path, const char *how)
{
    REAL(fopen);
    return open_fails(path) ? NULL : r_fopen(path, how);
}

FILE *
fopen64(const char *path, const char *how)
{
    REAL(fopen64);
    return open_fails(path) ? NULL : r_fopen64(path, how);
}

FILE *
tmpfile(void)
{
    REAL(tmpfile);
    return open_fails(NULL) ? NULL : r_tmpfile();
}

/* ---- malloc ---------------------------------------------------------------
 */

static int
from_main(const void *caller)
{
    uintptr_t at = (uintptr_t)caller;

    return at >= main_lo && at < main_hi;
}

/* The next allocator, looked up at the first call of any of these: all
 * four at once, so that what dlsym() frees while it runs (its error state)
 * never needs a lookup of its own. */
static void *(*r_malloc)(size_t);
static void *(*r_calloc)(size_t, size_t);
static void *(*r_realloc)(void *, size_t);
static void (*r_free)(void *);

static int
alloc_ready(void)
{
    if (r_free)
        return 1;
    if (in_dlsym)
        return 0;
    r_malloc = (void *(*)(size_t))real("malloc");
    r_calloc = (void *(*)(size_t, size_t))real("calloc");
    r_realloc = (void *(*)(void *, size_t))real("realloc");
    r_free = (void (*)(void *))real("free");
    return 1;
}

void *
malloc(size_t size)
{
    if (!alloc_ready())
        return boot_alloc(size);
    if (from_main(__builtin_return_address(0)) && fails(K_MALLOC))
        return NULL;
    return r_malloc(size);
}

void *
calloc(size_t n, size_t size)
{
    if (!alloc_ready()) /* boot is zeroed, and never reused */
        return size && n > SIZE_MAX / size ? NULL : boot_alloc(n * size);
    if (from_main(__builtin_return_address(0)) && fails(K_MALLOC))
        return NULL;
    return r_calloc(n, size);
}

void *
realloc(void *p, size_t size)
{
    if (is_boot(p) || !alloc_ready()) {
        /* the bootstrap allocation's size is unknown: a copy of what the
         * buffer holds after it is long enough */
        void *q = malloc(size);
        size_t room = p ? (size_t)(boot + sizeof boot - (char *)p) : 0;

        if (q && p)
            memcpy(q, p, size < room ? size : room);
        return q;
    }
    if (from_main(__builtin_return_address(0)) && fails(K_MALLOC))
        return NULL;
    return r_realloc(p, size);
}

void
free(void *p)
{
    /* a bootstrap allocation stays; so would (never seen) one of the next
     * allocator's made before the lookup, which cannot be freed during it */
    if (!p || is_boot(p) || !alloc_ready())
        return;
    r_free(p);
}
