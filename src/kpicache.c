/* kpicache.c: KPI results kept for the next build, reused while unchanged. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/kpicache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opsbook/cache.h"
#include "opsbook/hash.h"
#include "opsbook/mem.h"

#define KIND      "kpis"
#define FILE_NAME "kpis"
#define NONE      UINT64_MAX /* a NULL array, a formula KPI's table */

/*
 * Everything below reads and writes whole structs field by field. When one
 * of them gains a field, its size changes and the build stops here: add
 * the field to what is hashed (a definition) or kept (a result), then
 * update the size.
 */
#if UINTPTR_MAX == UINT64_MAX
/* ob_source's dsn_pos and relation_pos are positions (not hashed) and
 * ob_table's warehouse a connection: KPIs on postgres sources are never
 * kept (build.c), there is nothing of them to keep. */
_Static_assert(sizeof(struct ob_source) == 232, "hash the new field");
_Static_assert(sizeof(struct ob_kpi_def) == 384, "hash the new field");
_Static_assert(sizeof(struct ob_target) == 64, "hash the new field");
_Static_assert(sizeof(struct ob_kpi) == 144, "keep the new field");
_Static_assert(sizeof(struct ob_kpi_state) == 104, "keep the new field");
_Static_assert(sizeof(struct ob_table) == 176, "keep the new field");
#endif

struct ob_kpicache_file {
    const char *path; /* borrowed from the table */
    bool exists;      /* stat() worked */
    uint64_t dev, ino, size, mtime;
    bool has_hash; /* `hash` holds the bytes' hash at this identity */
    uint64_t hash;
};

/* ---- what the results depend on ------------------------------------- */

static void
hash_i64(struct ob_hasher *h, int64_t v)
{
    ob_hasher_add_u64(h, (uint64_t)v);
}

/* A source's definition, positions left out: no diagnostic the cache
 * keeps points into opsbook.yaml (those that would are errors, and a
 * build with errors keeps nothing), and the checks run afresh. */
static void
hash_source(struct ob_hasher *h, const struct ob_source *s)
{
    size_t i;

    ob_hasher_add_str(h, s->name);
    hash_i64(h, s->type);
    ob_hasher_add_str(h, s->path);
    ob_hasher_add_str(h, s->time.name);
    hash_i64(h, s->delimiter);
    hash_i64(h, s->decimal);
    hash_i64(h, s->encoding);
    ob_hasher_add_str(h, s->date_format);
    hash_i64(h, s->on_error);
    hash_i64(h, s->stale_after);
    hash_i64(h, s->checks.min_rows);
    ob_hasher_add_u64(h, s->checks.n_unique);
    for (i = 0; i < s->checks.n_unique; i++)
        ob_hasher_add_str(h, s->checks.unique[i].name);
    ob_hasher_add_u64(h, s->checks.n_not_empty);
    for (i = 0; i < s->checks.n_not_empty; i++)
        ob_hasher_add_str(h, s->checks.not_empty[i].name);
    ob_hasher_add_u64(h, s->n_columns);
    for (i = 0; i < s->n_columns; i++) {
        ob_hasher_add_str(h, s->columns[i].name);
        hash_i64(h, s->columns[i].type);
    }
    ob_hasher_add_str(h, s->dsn);
    ob_hasher_add_str(h, s->table);
    ob_hasher_add_str(h, s->query);
    hash_i64(h, s->statement_timeout);
}

/* The table as opened (files, header, inferred types): the same files
 * give the same, but a glob may match other files. */
static void
hash_table(struct ob_hasher *h, const struct ob_table *t)
{
    size_t i;

    ob_hasher_add_strs(h, t->paths, t->n_paths);
    ob_hasher_add_u64(h, t->n_columns);
    for (i = 0; i < t->n_columns; i++) {
        ob_hasher_add_str(h, t->columns[i].name);
        hash_i64(h, t->columns[i].type);
        ob_hasher_add_u64(h, t->columns[i].hinted);
    }
    hash_i64(h, t->delimiter);
    hash_i64(h, t->time_column);
    hash_i64(h, t->format.decimal);
    ob_hasher_add_str(h, t->format.date_format);
}

static void
hash_target(struct ob_hasher *h, const struct ob_target *t)
{
    size_t i;

    hash_i64(h, t->kind);
    ob_hasher_add_double(h, t->value);
    ob_hasher_add_u64(h, t->n_groups);
    for (i = 0; i < t->n_groups; i++) {
        ob_hasher_add_str(h, t->groups[i].group);
        ob_hasher_add_double(h, t->groups[i].value);
    }
    ob_hasher_add_u64(h, t->n_steps);
    for (i = 0; i < t->n_steps; i++) {
        hash_i64(h, t->steps[i].from);
        ob_hasher_add_double(h, t->steps[i].value);
    }
}

/* What of a KPI's definition its results depend on. Its title and the
 * like are read from the definition itself, never from the cache. */
static void
hash_kpi_def(struct ob_hasher *h, const struct ob_kpi_def *k)
{
    ob_hasher_add_str(h, k->id);
    ob_hasher_add_str(h, k->source.name);
    ob_hasher_add_str(h, k->measure.text);
    ob_hasher_add_str(h, k->where.text);
    ob_hasher_add_str(h, k->formula.text);
    hash_i64(h, k->grain);
    ob_hasher_add_str(h, k->by.name);
    hash_target(h, &k->target);
    hash_i64(h, k->direction);
    ob_hasher_add_u64(h, k->has_thresholds);
    ob_hasher_add_double(h, k->green);
    ob_hasher_add_double(h, k->amber);
    hash_i64(h, k->fmt.format);
    ob_hasher_add_u64(h, k->fmt.given);
    ob_hasher_add_str(h, k->fmt.currency);
    hash_i64(h, k->fmt.decimals);
}

static uint64_t
hash_inputs(const struct ob_kpi_input *in)
{
    const struct ob_config *cfg = in->cfg;
    struct ob_hasher h;
    size_t i;

    ob_hasher_init(&h);
    hash_i64(&h, in->as_of);
    ob_hasher_add_u64(&h, ob_tz_hash(in->tz));
    hash_i64(&h, cfg->site.language);
    ob_hasher_add_u64(&h, cfg->site.fiscal_year_start);
    ob_hasher_add_u64(&h, cfg->n_sources);
    for (i = 0; i < cfg->n_sources; i++) {
        hash_source(&h, &cfg->sources[i]);
        ob_hasher_add_u64(&h, in->table_ok[i]);
        if (in->table_ok[i])
            hash_table(&h, &in->tables[i]);
    }
    ob_hasher_add_u64(&h, cfg->n_kpis);
    for (i = 0; i < cfg->n_kpis; i++)
        hash_kpi_def(&h, &cfg->kpis[i]);
    return ob_hasher_finish(&h);
}

/* ---- source files --------------------------------------------------- */

static void
take_identity(struct ob_kpicache_file *f)
{
    struct stat st;

    f->exists = stat(f->path, &st) == 0;
    if (!f->exists)
        return;
    f->dev = (uint64_t)st.st_dev;
    f->ino = (uint64_t)st.st_ino;
    f->size = (uint64_t)st.st_size;
    f->mtime = (uint64_t)st.st_mtim.tv_sec * 1000000000u +
               (uint64_t)st.st_mtim.tv_nsec;
}

static bool
same_identity(const struct ob_kpicache_file *a,
              const struct ob_kpicache_file *b)
{
    return a->exists && b->exists && a->dev == b->dev && a->ino == b->ino &&
           a->size == b->size && a->mtime == b->mtime;
}

/* The XXH3 of a file's bytes; false when it cannot be read. */
static bool
hash_file(const char *path, uint64_t *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    bool ok;

    if (fd < 0)
        return false;
    ok = ob_hash_fd(fd, out);
    close(fd);
    return ok;
}

/* Hashes the file at its noted identity, once. */
static bool
known_hash(struct ob_kpicache_file *f)
{
    if (!f->has_hash)
        f->has_hash = f->exists && hash_file(f->path, &f->hash);
    return f->has_hash;
}

void
ob_kpicache_init(struct ob_kpicache *c, const struct ob_kpi_input *in)
{
    const struct ob_config *cfg = in->cfg;
    size_t i, k, n = 0;

    memset(c, 0, sizeof(*c));
    c->inputs = hash_inputs(in);
    for (i = 0; i < cfg->n_sources; i++)
        if (in->table_ok[i])
            n += in->tables[i].n_paths;
    c->files = ob_xcalloc(n + 1, sizeof(*c->files));
    for (i = 0; i < cfg->n_sources; i++) {
        for (k = 0; in->table_ok[i] && k < in->tables[i].n_paths; k++) {
            struct ob_kpicache_file *f = &c->files[c->n_files++];
            f->path = in->tables[i].paths[k];
            take_identity(f);
        }
    }
}

void
ob_kpicache_release(struct ob_kpicache *c)
{
    free(c->files);
    memset(c, 0, sizeof(*c));
}

/* ---- the record ----------------------------------------------------- */

static void
put_double(struct ob_buf *out, double v)
{
    uint64_t bits;

    memcpy(&bits, &v, sizeof bits);
    ob_cache_put_u64(out, bits);
}

static void
put_points(struct ob_buf *out, const struct ob_point *p, size_t n)
{
    size_t i;

    ob_cache_put_u64(out, p ? n : NONE);
    for (i = 0; p && i < n; i++) {
        ob_cache_put_u64(out, (uint64_t)(int64_t)p[i].period);
        ob_cache_put_u64(out, p[i].group);
        put_double(out, p[i].value);
    }
}

static void
put_state(struct ob_buf *out, const struct ob_kpi_state *st)
{
    ob_cache_put_u64(out, st->has_current);
    put_double(out, st->current);
    ob_cache_put_u64(out, st->has_previous);
    put_double(out, st->previous);
    ob_cache_put_u64(out, st->has_delta);
    put_double(out, st->delta);
    ob_cache_put_u64(out, st->has_delta_rel);
    put_double(out, st->delta_rel);
    ob_cache_put_u64(out, st->has_partial);
    put_double(out, st->partial);
    ob_cache_put_u64(out, st->has_target);
    put_double(out, st->target);
    ob_cache_put_u64(out, st->status);
}

/* A computed KPI; its definition is the one at the same index, and its
 * format's currency comes from that definition. */
static void
put_kpi(struct ob_buf *out, const struct ob_kpi *kpi,
        const struct ob_table *tables)
{
    size_t i;

    ob_cache_put_u64(out, kpi->measure);
    ob_cache_put_u64(out, kpi->cal.grain);
    ob_cache_put_u64(out, kpi->cal.fiscal_year_start);
    ob_cache_put_u64(out, kpi->fmt.format);
    ob_cache_put_u64(out, (uint64_t)(int64_t)kpi->fmt.decimals);
    ob_cache_put_u64(out, kpi->fmt.language);
    ob_cache_put_u64(out, kpi->count_like);
    ob_cache_put_u64(out, kpi->groups ? kpi->n_groups : NONE);
    for (i = 0; kpi->groups && i < kpi->n_groups; i++)
        ob_cache_put_str(out, kpi->groups[i]);
    put_points(out, kpi->points, kpi->n_points);
    put_points(out, kpi->fill, kpi->n_fill);
    ob_cache_put_u64(out, (uint64_t)(int64_t)kpi->current_period);
    ob_cache_put_u64(out, (uint64_t)(int64_t)kpi->previous_period);
    ob_cache_put_u64(out, kpi->has_partial_period);
    ob_cache_put_u64(out, (uint64_t)(int64_t)kpi->partial_period);
    ob_cache_put_u64(out, kpi->states ? kpi->n_groups : NONE);
    for (i = 0; kpi->states && i < kpi->n_groups; i++)
        put_state(out, &kpi->states[i]);
    ob_cache_put_u64(out, kpi->table ? (uint64_t)(kpi->table - tables) : NONE);
    ob_cache_put_u64(out, kpi->stale);
    ob_cache_put_u64(out, kpi->ok);
}

static void
put_table_stats(struct ob_buf *out, const struct ob_table *t)
{
    size_t i;

    ob_cache_put_u64(out, t->rows);
    ob_cache_put_u64(out, t->skipped);
    ob_cache_put_u64(out, t->untimed);
    ob_cache_put_u64(out, t->later);
    ob_cache_put_u64(out, t->has_newest);
    ob_cache_put_u64(out, (uint64_t)t->newest);
    ob_cache_put_u64(out, t->src->checks.n_not_empty);
    for (i = 0; i < t->src->checks.n_not_empty; i++)
        ob_cache_put_u64(out, t->empty[i]);
    ob_cache_put_u64(out, t->src->checks.n_unique);
    for (i = 0; i < t->src->checks.n_unique; i++)
        ob_cache_put_u64(out, t->duplicates[i]);
}

static void
put_diag(struct ob_buf *out, const struct ob_diag *d)
{
    size_t i;

    ob_cache_put_u64(out, d->errors);
    ob_cache_put_u64(out, d->warnings);
    ob_cache_put_u64(out, d->dropped);
    ob_cache_put_u64(out, d->len);
    for (i = 0; i < d->len; i++) {
        const struct ob_diag_entry *e = &d->entries[i];
        ob_cache_put_u64(out, e->severity);
        ob_cache_put_str(out, e->pos.path);
        ob_cache_put_u64(out, e->pos.line);
        ob_cache_put_u64(out, e->pos.col);
        ob_cache_put_str(out, e->message);
    }
}

/* Every file's identity with its hash, hashing those not known yet;
 * false when one changed since ob_kpicache_init() or cannot be read. */
static bool
put_files(struct ob_buf *out, struct ob_kpicache *c)
{
    size_t i;

    for (i = 0; i < c->n_files; i++)
        if (!known_hash(&c->files[i]))
            return false;
    ob_cache_put_u64(out, c->n_files);
    for (i = 0; i < c->n_files; i++) {
        struct ob_kpicache_file *f = &c->files[i], now = *f;

        take_identity(&now);
        if (!same_identity(f, &now))
            return false;
        ob_cache_put_str(out, f->path);
        ob_cache_put_u64(out, f->dev);
        ob_cache_put_u64(out, f->ino);
        ob_cache_put_u64(out, f->size);
        ob_cache_put_u64(out, f->mtime);
        ob_cache_put_u64(out, f->hash);
    }
    return true;
}

void
ob_kpicache_save(struct ob_kpicache *c, const struct ob_kpi_input *in,
                 const struct ob_kpis *k, const struct ob_diag *d,
                 struct ob_buf *out)
{
    size_t i;

    ob_cache_begin(out, KIND);
    if (!put_files(out, c)) {
        ob_buf_reset(out);
        return;
    }
    ob_cache_put_u64(out, c->inputs);
    ob_cache_put_u64(out, in->cfg->n_sources);
    for (i = 0; i < in->cfg->n_sources; i++) {
        ob_cache_put_u64(out, in->table_ok[i]);
        if (in->table_ok[i])
            put_table_stats(out, &in->tables[i]);
    }
    ob_cache_put_u64(out, k->n);
    for (i = 0; i < k->n; i++)
        put_kpi(out, &k->kpis[i], in->tables);
    put_diag(out, d);
    /* the seal: a flipped bit anywhere is no cache */
    ob_cache_put_u64(out, ob_hash(out->ptr, out->len));
}

/* ---- reading it back ------------------------------------------------ */

static double
get_double(struct ob_cache_reader *r)
{
    uint64_t bits = ob_cache_get_u64(r);
    double v;

    memcpy(&v, &bits, sizeof v);
    return v;
}

static bool
get_bool(struct ob_cache_reader *r)
{
    uint64_t v = ob_cache_get_u64(r);

    if (v > 1)
        r->bad = true;
    return v == 1;
}

static int32_t
get_i32(struct ob_cache_reader *r)
{
    int64_t v = (int64_t)ob_cache_get_u64(r);

    if (v < INT32_MIN || v > INT32_MAX)
        r->bad = true;
    return (int32_t)v;
}

/* A count of records of at least `each` bytes, or NONE; bad when the rest
 * of the file cannot hold them. */
static uint64_t
get_count(struct ob_cache_reader *r, size_t each)
{
    uint64_t n = ob_cache_get_u64(r);

    if (n != NONE && n > (uint64_t)(r->end - r->p) / each)
        r->bad = true;
    return r->bad ? 0 : n;
}

/* An enum's value, bad past `last`. */
static unsigned
get_enum(struct ob_cache_reader *r, unsigned last)
{
    uint64_t v = ob_cache_get_u64(r);

    if (v > last)
        r->bad = true;
    return r->bad ? 0 : (unsigned)v;
}

static struct ob_point *
get_points(struct ob_cache_reader *r, struct ob_arena *a, size_t n_groups,
           size_t *n)
{
    uint64_t count = get_count(r, 24);
    struct ob_point *p;
    size_t i;

    *n = 0;
    if (count == NONE || r->bad)
        return NULL;
    p = ob_arena_calloc(a, (size_t)count + 1, sizeof(*p));
    for (i = 0; i < count && !r->bad; i++) {
        p[i].period = get_i32(r);
        p[i].group = (uint32_t)ob_cache_get_u64(r);
        p[i].value = get_double(r);
        if (p[i].group >= n_groups)
            r->bad = true;
    }
    *n = (size_t)count;
    return p;
}

static void
get_state(struct ob_cache_reader *r, struct ob_kpi_state *st)
{
    st->has_current = get_bool(r);
    st->current = get_double(r);
    st->has_previous = get_bool(r);
    st->previous = get_double(r);
    st->has_delta = get_bool(r);
    st->delta = get_double(r);
    st->has_delta_rel = get_bool(r);
    st->delta_rel = get_double(r);
    st->has_partial = get_bool(r);
    st->partial = get_double(r);
    st->has_target = get_bool(r);
    st->target = get_double(r);
    st->status = get_enum(r, OB_STATUS_RED);
}

static void
get_kpi(struct ob_cache_reader *r, struct ob_kpi *kpi,
        const struct ob_kpi_input *in, struct ob_arena *a)
{
    uint64_t n, table;
    size_t i;

    kpi->measure = get_enum(r, OB_MEASURE_FORMULA);
    kpi->cal.grain = get_enum(r, OB_GRAIN_YEAR);
    kpi->cal.fiscal_year_start = get_enum(r, 12);
    kpi->fmt.format = get_enum(r, OB_FMT_DURATION);
    kpi->fmt.decimals = get_i32(r);
    kpi->fmt.language = get_enum(r, OB_LANG_FR);
    kpi->fmt.currency = kpi->def->fmt.currency;
    kpi->count_like = get_bool(r);
    n = get_count(r, 8);
    if (n != NONE && !r->bad) {
        kpi->groups = ob_arena_calloc(a, (size_t)n + 1, sizeof(*kpi->groups));
        kpi->n_groups = (size_t)n;
        for (i = 0; i < n && !r->bad; i++) {
            kpi->groups[i] = ob_cache_get_str(r, a);
            if (!kpi->groups[i])
                r->bad = true;
        }
    }
    kpi->points = get_points(r, a, kpi->n_groups, &kpi->n_points);
    kpi->fill = get_points(r, a, kpi->n_groups, &kpi->n_fill);
    kpi->current_period = get_i32(r);
    kpi->previous_period = get_i32(r);
    kpi->has_partial_period = get_bool(r);
    kpi->partial_period = get_i32(r);
    n = get_count(r, 13 * 8);
    if (n != NONE && !r->bad) {
        if (n != kpi->n_groups)
            r->bad = true;
        kpi->states = ob_arena_calloc(a, (size_t)n + 1, sizeof(*kpi->states));
        for (i = 0; i < n && !r->bad; i++)
            get_state(r, &kpi->states[i]);
    }
    table = ob_cache_get_u64(r);
    if (table != NONE && table >= in->cfg->n_sources)
        r->bad = true;
    kpi->table = table == NONE || r->bad ? NULL : &in->tables[table];
    kpi->stale = get_bool(r);
    kpi->ok = get_bool(r);
}

/* A table's statistics as its scan left them. */
struct stats {
    uint64_t rows, skipped, untimed, later;
    bool has_newest;
    int64_t newest;
    uint64_t *empty, *duplicates;
};

static void
get_stats(struct ob_cache_reader *r, struct stats *s, const struct ob_table *t,
          struct ob_arena *a)
{
    size_t n, i;

    s->rows = ob_cache_get_u64(r);
    s->skipped = ob_cache_get_u64(r);
    s->untimed = ob_cache_get_u64(r);
    s->later = ob_cache_get_u64(r);
    s->has_newest = get_bool(r);
    s->newest = (int64_t)ob_cache_get_u64(r);
    n = t->src->checks.n_not_empty;
    if (ob_cache_get_u64(r) != n)
        r->bad = true;
    s->empty = ob_arena_calloc(a, n + 1, sizeof(*s->empty));
    for (i = 0; i < n && !r->bad; i++)
        s->empty[i] = ob_cache_get_u64(r);
    n = t->src->checks.n_unique;
    if (ob_cache_get_u64(r) != n)
        r->bad = true;
    s->duplicates = ob_arena_calloc(a, n + 1, sizeof(*s->duplicates));
    for (i = 0; i < n && !r->bad; i++)
        s->duplicates[i] = ob_cache_get_u64(r);
}

static void
set_stats(struct ob_table *t, const struct stats *s)
{
    size_t i;

    t->rows = s->rows;
    t->skipped = s->skipped;
    t->untimed = s->untimed;
    t->later = s->later;
    t->has_newest = s->has_newest;
    t->newest = s->newest;
    for (i = 0; i < t->src->checks.n_not_empty; i++)
        t->empty[i] = s->empty[i];
    for (i = 0; i < t->src->checks.n_unique; i++)
        t->duplicates[i] = s->duplicates[i];
}

/* The diagnostics, read whole before any goes to `d`. */
static struct ob_diag_entry *
get_entries(struct ob_cache_reader *r, struct ob_arena *a, size_t *n)
{
    uint64_t count = get_count(r, 5 * 8);
    struct ob_diag_entry *e;
    size_t i;

    *n = 0;
    if (count == NONE || r->bad) {
        r->bad = true;
        return NULL;
    }
    e = ob_arena_calloc(a, (size_t)count + 1, sizeof(*e));
    for (i = 0; i < count && !r->bad; i++) {
        e[i].severity = get_enum(r, OB_SEV_ERROR);
        e[i].pos.path = ob_cache_get_str(r, a);
        e[i].pos.line = (uint32_t)ob_cache_get_u64(r);
        e[i].pos.col = (uint32_t)ob_cache_get_u64(r);
        e[i].message = (char *)ob_cache_get_str(r, a);
        if (!e[i].message)
            r->bad = true;
    }
    *n = (size_t)count;
    return e;
}

/* Adds the kept diagnostics to `d` as their reports did. */
static void
add_entries(struct ob_diag *d, const struct ob_diag_entry *e, size_t n,
            const uint64_t counts[3])
{
    size_t i;

    d->errors += counts[0];
    d->warnings += counts[1];
    d->dropped += counts[2];
    for (i = 0; i < n; i++) {
        if (d->len >= d->max) {
            d->dropped++;
            continue;
        }
        OB_GROW(d->entries, d->len + 1, d->cap);
        d->entries[d->len] = e[i];
        d->entries[d->len].message = ob_xstrdup(e[i].message);
        d->entries[d->len].seq = d->len;
        d->len++;
    }
}

/* An identity taken less than OB_CACHE_RACY_NS before the cache was
 * written is not trusted; the file's bytes are compared instead. */
#define RACY_NS ((uint64_t)OB_CACHE_RACY_NS)

/* The kept files against the source files now: each the same identity
 * (taken well before the cache was written), else the same bytes. Notes
 * each one's hash where known, for the next cache. */
static bool
same_files(struct ob_cache_reader *r, struct ob_kpicache *c, uint64_t written)
{
    uint64_t n = get_count(r, 6 * 8);
    bool same = n == c->n_files;
    size_t i;

    for (i = 0; i < n && !r->bad; i++) {
        struct ob_kpicache_file was;
        size_t len;
        const char *path = ob_cache_get_bytes(r, &len);

        was.exists = true;
        was.dev = ob_cache_get_u64(r);
        was.ino = ob_cache_get_u64(r);
        was.size = ob_cache_get_u64(r);
        was.mtime = ob_cache_get_u64(r);
        was.hash = ob_cache_get_u64(r);
        if (r->bad || i >= c->n_files || !path ||
            strlen(c->files[i].path) != len ||
            memcmp(c->files[i].path, path, len) != 0) {
            same = false;
            continue;
        }
        if (same_identity(&c->files[i], &was) &&
            was.mtime + RACY_NS < written) {
            c->files[i].hash = was.hash;
            c->files[i].has_hash = true;
        } else if (same && (!known_hash(&c->files[i]) ||
                            c->files[i].hash != was.hash)) {
            same = false;
        }
    }
    return same && !r->bad;
}

/* Opens the cache and checks its seal, leaving the reader before it. */
static bool
open_sealed(struct ob_cache_reader *r, struct ob_cache_file *file,
            const char *dir)
{
    const char *seal;
    uint64_t want = 0;
    int i;

    if (!ob_cache_open(r, file, dir, FILE_NAME, KIND))
        return false;
    if (r->end - r->p < 8)
        return false;
    seal = r->end - 8;
    for (i = 0; i < 8; i++)
        want |= (uint64_t)(unsigned char)seal[i] << (8 * i);
    if (ob_hash(file->ptr, (size_t)(seal - file->ptr)) != want)
        return false;
    r->end = seal;
    return true;
}

bool
ob_kpicache_load(struct ob_kpicache *c, const char *dir,
                 const struct ob_kpi_input *in, struct ob_kpis *k,
                 struct ob_arena *a, struct ob_diag *d)
{
    const struct ob_config *cfg = in->cfg;
    struct ob_cache_file file = OB_CACHE_FILE_INIT;
    struct ob_cache_reader r;
    struct ob_kpis got = {NULL, 0};
    struct stats *stats = NULL;
    struct ob_diag_entry *entries = NULL;
    uint64_t counts[3];
    size_t i, n_entries = 0;
    bool ok;

    ok = open_sealed(&r, &file, dir) &&
         same_files(&r, c, file.written > 0 ? (uint64_t)file.written : 0) &&
         ob_cache_get_u64(&r) == c->inputs &&
         ob_cache_get_u64(&r) == cfg->n_sources;
    if (ok)
        stats = ob_arena_calloc(a, cfg->n_sources + 1, sizeof(*stats));
    for (i = 0; ok && !r.bad && i < cfg->n_sources; i++) {
        if (get_bool(&r) != in->table_ok[i])
            r.bad = true;
        else if (in->table_ok[i])
            get_stats(&r, &stats[i], &in->tables[i], a);
    }
    ok = ok && !r.bad && ob_cache_get_u64(&r) == cfg->n_kpis;
    if (ok) {
        got.n = cfg->n_kpis;
        got.kpis = ob_arena_calloc(a, got.n + 1, sizeof(*got.kpis));
    }
    for (i = 0; ok && !r.bad && i < got.n; i++) {
        got.kpis[i].def = &cfg->kpis[i];
        get_kpi(&r, &got.kpis[i], in, a);
    }
    if (ok) {
        for (i = 0; i < 3; i++)
            counts[i] = ob_cache_get_u64(&r);
        entries = get_entries(&r, a, &n_entries);
    }
    ok = ok && ob_cache_done(&r);
    if (ok) {
        for (i = 0; i < cfg->n_sources; i++)
            if (in->table_ok[i])
                set_stats(&in->tables[i], &stats[i]);
        *k = got;
        add_entries(d, entries, n_entries, counts);
    }
    ob_cache_file_release(&file);
    return ok;
}
