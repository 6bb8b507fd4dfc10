/* cache.h: the records a build keeps for the next one (incremental builds). */
/* SPDX-License-Identifier: MIT */
#ifndef OPSBOOK_CACHE_H
#define OPSBOOK_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "opsbook/arena.h"
#include "opsbook/buf.h"
#include "opsbook/hash.h"

/*
 * A build keeps what the next one can reuse in a folder beside OUT (see
 * ob_output_cache_dir()): one file per kind (the output manifest, the
 * pages, the search index, the KPI results). A file opens with a line
 * naming its kind, its format and the opsbook version that wrote it; a
 * file from another version, or cut short, or unreadable, is no cache at
 * all, never an error: the build then does everything afresh.
 *
 * Records are numbers (8 bytes, little-endian) and strings (a number, the
 * length, then the bytes; NULL is its own mark). A reader that runs off
 * the end, or meets a bad length, turns `bad` and returns zeros and NULLs
 * from then on, so callers check once, at the end.
 */

/*
 * A file's timestamps are coarse (a clock tick, or seconds on some file
 * systems): a file written again within that time of the last build's look
 * at it may keep its size and times with other bytes. As git does for its
 * index, an identity less than this older than the cache file that holds
 * it is not trusted: the file is read again.
 */
#define OB_CACHE_RACY_NS 2000000000LL

/**
 * Whether a file identity with modification time `mtime_ns`, kept in a
 * cache file written at `written_ns`, is too close to it to be trusted.
 * The window is the file system's timestamp grain: a time with no
 * fraction of a second comes from a file system that keeps seconds
 * (OB_CACHE_RACY_NS then), any other from one that keeps a clock tick (a
 * few milliseconds; 50 ms is allowed).
 */
bool ob_cache_racy(int64_t mtime_ns, int64_t written_ns);

/** Now on the clock file times are on (ns), for ob_cache_hash_file(). */
int64_t ob_cache_now(void);

/**
 * Adds to `h` who the file at `path` is (device, inode, size, modification
 * time; or that it is missing): a key that changes when the file does.
 * When its time is within the file system's timestamp grain of `now_ns`
 * (ob_cache_racy()), a write later in the same tick could keep all of
 * that, so its bytes' hash is added too.
 */
void ob_cache_hash_file(struct ob_hasher *h, const char *path, int64_t now_ns);

/** Adds to `h` the path and the hash of the bytes of a small file (or that
 * it cannot be read): a key that changes when the file's bytes do. */
void ob_cache_hash_bytes(struct ob_hasher *h, const char *path);

/** Starts a cache file of `kind` (a word) in `out`, emptied first. */
void ob_cache_begin(struct ob_buf *out, const char *kind);
static inline void ob_cache_put_u64(struct ob_buf *out, uint64_t v);
static inline void ob_cache_put_str(struct ob_buf *out, const char *s);
/** Bytes with their length (a string that may hold NULs). */
static inline void ob_cache_put_bytes(struct ob_buf *out, const void *data,
                                      size_t len);
/** Sets the number record at offset `at` of `out`, put there before (a
 * length or a position known only later). */
void ob_cache_set_u64(struct ob_buf *out, size_t at, uint64_t v);
/** A count, then that many strings. */
void ob_cache_put_strs(struct ob_buf *out, const char *const *list, size_t n);
/** A string with its NUL, which ob_cache_get_cstr() lends from the file. */
static inline void ob_cache_put_cstr(struct ob_buf *out, const char *s);
/** A count, then that many strings as ob_cache_put_cstr() puts them. */
void ob_cache_put_cstrs(struct ob_buf *out, const char *const *list, size_t n);

struct ob_cache_reader {
    const char *p, *end;
    bool bad;
};

/**
 * A cache file's bytes, with a NUL after the last: mapped read-only
 * (megabytes the kernel need not copy, nor give new pages to), or memory
 * taken from a buffer. A build replaces a cache file by renaming a new one
 * over it, never writes into it: a mapping stays whole.
 *
 * Beside a file NAME there may be NAME.delta, which ob_cache_write() makes
 * when the new bytes differ from NAME's in a few places only (a rebuild
 * changes a few records in place: an edited page's identity and hashes):
 * those places' new bytes, for that very NAME (its inode, size and
 * modification time). Opening NAME applies it to the mapping (the pages it
 * changes become the process's own); a delta for another NAME is ignored,
 * and NAME alone is what the build that wrote it kept, whole.
 */
struct ob_cache_file {
    const char *ptr;
    size_t len;
    size_t map_len;  /* the mapping's length; 0: `ptr` is malloc()'s */
    int64_t written; /* when the bytes were written (ns): NAME's or its
                        delta's modification time; 0 unknown */
};

#define OB_CACHE_FILE_INIT                                                     \
    {                                                                          \
        NULL, 0, 0, 0                                                          \
    }

/**
 * Keeps `len` bytes of `data` as the cache file DIR/NAME for the next
 * build: as a delta against the NAME there when they are its size and a
 * small part of them differs, else as a new NAME (its delta removed); no
 * write at all when that NAME and delta hold them already. False when it
 * could not (NAME and its delta are then removed: the next build reads
 * none).
 */
bool ob_cache_write(const char *dir, const char *name, const void *data,
                    size_t len);

/** Takes the bytes of `b` (emptied). */
void ob_cache_file_take(struct ob_cache_file *f, struct ob_buf *b);
void ob_cache_file_release(struct ob_cache_file *f);
/** Hands the bytes over to `a`, which releases them with itself. */
void ob_cache_file_give(struct ob_cache_file *f, struct ob_arena *a);

/**
 * Maps DIR/NAME into `file` (released first) and opens it for reading as a
 * cache of `kind`. False (nothing to reuse) when DIR is NULL, the file is
 * missing or unreadable, or its first line is not this kind, format and
 * version.
 */
bool ob_cache_open(struct ob_cache_reader *r, struct ob_cache_file *file,
                   const char *dir, const char *name, const char *kind);
static inline uint64_t ob_cache_get_u64(struct ob_cache_reader *r);
/** A string copied into `a` (NUL-terminated), or NULL. */
const char *ob_cache_get_str(struct ob_cache_reader *r, struct ob_arena *a);
/** A count of items of at least `each` bytes: one that cannot fit in what
 * is left of the file turns the reader bad (a corrupt count must not ask
 * for the moon); 0 then. */
size_t ob_cache_get_count(struct ob_cache_reader *r, size_t each);
/** What ob_cache_put_strs() wrote, in an array in `a` (*n strings, none
 * NULL: a NULL among them turns the reader bad). */
const char **ob_cache_get_strs(struct ob_cache_reader *r, struct ob_arena *a,
                               size_t *n);
/** What ob_cache_put_cstr() wrote, pointing into the file's buffer (not
 * copied: valid while it is), or NULL; one without its NUL is bad. */
static inline const char *ob_cache_get_cstr(struct ob_cache_reader *r);
/** What ob_cache_put_cstrs() wrote: an array in `a` (*n strings, none
 * NULL) of strings in the file's buffer. */
const char **ob_cache_get_cstrs(struct ob_cache_reader *r, struct ob_arena *a,
                                size_t *n);
/** Bytes pointing into the file's buffer, not copied; NULL when bad. */
static inline const char *ob_cache_get_bytes(struct ob_cache_reader *r,
                                             size_t *len);
/** Whether every record was read and nothing is left over. */
bool ob_cache_done(const struct ob_cache_reader *r);

/* ---- inline: a page's facts are dozens of numbers and strings, and a
 * rebuild reads and writes every page's (2,000 on the bench site): out of
 * line, the calls cost more than the bytes. */

/* What cannot take the fast path: a buffer to grow, or one with a max. */
void ob_cache_put_slow(struct ob_buf *out, const void *data, size_t len);

static inline void
ob_cache_put_u64(struct ob_buf *out, uint64_t v)
{
    unsigned char *p;
    int i;

    if (out->max || out->len + 9 > out->cap) {
        unsigned char b[8];
        for (i = 0; i < 8; i++)
            b[i] = (unsigned char)(v >> (8 * i));
        ob_cache_put_slow(out, b, sizeof b);
        return;
    }
    p = (unsigned char *)out->ptr + out->len;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(p, &v, 8); /* the byte order the file has */
#else
    for (i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
#endif
    out->len += 8;
    out->ptr[out->len] = '\0';
}

static inline void
ob_cache_put_bytes(struct ob_buf *out, const void *data, size_t len)
{
    ob_cache_put_u64(out, len);
    if (out->max || out->len + len + 1 > out->cap) {
        ob_cache_put_slow(out, data, len);
        return;
    }
    if (len)
        memcpy(out->ptr + out->len, data, len);
    out->len += len;
    out->ptr[out->len] = '\0';
}

static inline void
ob_cache_put_str(struct ob_buf *out, const char *s)
{
    if (!s)
        ob_cache_put_u64(out, UINT64_MAX); /* NULL's mark */
    else
        ob_cache_put_bytes(out, s, strlen(s));
}

static inline uint64_t
ob_cache_get_u64(struct ob_cache_reader *r)
{
    const unsigned char *p = (const unsigned char *)r->p;
    uint64_t v = 0;
    int i;

    if (r->bad || r->end - r->p < 8) {
        r->bad = true;
        return 0;
    }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    (void)i;
    memcpy(&v, p, 8);
#else
    for (i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
#endif
    r->p += 8;
    return v;
}

static inline const char *
ob_cache_get_bytes(struct ob_cache_reader *r, size_t *len)
{
    uint64_t n = ob_cache_get_u64(r);
    const char *at = r->p;

    *len = 0;
    if (r->bad || n > (uint64_t)(r->end - r->p)) {
        r->bad = r->bad || n != UINT64_MAX; /* NULL's mark */
        return NULL;
    }
    r->p += n;
    *len = (size_t)n;
    return at;
}

static inline const char *
ob_cache_get_cstr(struct ob_cache_reader *r)
{
    size_t len;
    const char *s = ob_cache_get_bytes(r, &len);

    /* a NUL inside would only make it shorter: the file's hash was right */
    if (s && (!len || s[len - 1] != '\0')) {
        r->bad = true;
        return NULL;
    }
    return s;
}

static inline void
ob_cache_put_cstr(struct ob_buf *out, const char *s)
{
    if (!s)
        ob_cache_put_u64(out, UINT64_MAX); /* NULL's mark */
    else
        ob_cache_put_bytes(out, s, strlen(s) + 1);
}

#endif
