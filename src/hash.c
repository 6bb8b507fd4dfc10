/* hash.c: XXH3 behind our own names. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/hash.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "opsbook/mem.h"

uint64_t
ob_hash(const void *data, size_t len)
{
    return XXH3_64bits(data, len);
}

bool
ob_hash_fd(int fd, uint64_t *out)
{
    enum { CHUNK = 1 << 20 };
    char *chunk = ob_xmalloc(CHUNK);
    struct ob_hasher h;
    ssize_t n;

    ob_hasher_init(&h);
    for (;;) {
        n = read(fd, chunk, CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        ob_hasher_add(&h, chunk, (size_t)n);
    }
    *out = ob_hasher_finish(&h);
    free(chunk);
    return n == 0;
}

void
ob_hasher_init(struct ob_hasher *h)
{
    h->state = XXH3_createState();
    if (!h->state)
        ob_oom();
    XXH3_64bits_reset(h->state);
    h->len = 0;
}

static void
flush(struct ob_hasher *h)
{
    XXH3_64bits_update(h->state, h->buf, h->len);
    h->len = 0;
}

void
ob_hasher_add_slow(struct ob_hasher *h, const void *data, size_t len)
{
    /* XXH3 streams: the hash is the same however the bytes come */
    flush(h);
    if (len >= sizeof h->buf) {
        XXH3_64bits_update(h->state, data, len);
        return;
    }
    memcpy(h->buf, data, len);
    h->len = len;
}

void
ob_hasher_add_strs(struct ob_hasher *h, const char *const *list, size_t n)
{
    size_t i;

    ob_hasher_add_u64(h, n);
    for (i = 0; i < n; i++)
        ob_hasher_add_str(h, list[i]);
}

uint64_t
ob_hasher_finish(struct ob_hasher *h)
{
    uint64_t v;

    flush(h);
    v = XXH3_64bits_digest(h->state);

    XXH3_freeState(h->state);
    h->state = NULL;
    return v;
}
