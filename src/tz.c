/* tz.c: IANA time zones from TZif files (RFC 8536) and POSIX TZ rules. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/tz.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "opsbook/date.h"
#include "opsbook/hash.h"
#include "opsbook/mem.h"

/* Real zone files are a few KiB; anything this big is not one. */
#define TZ_MAX_FILE (1024 * 1024)
#define TZ_MAX_NAME 255
/* RFC 8536 3.2: utoff SHOULD be more than -25 and less than 26 hours. */
#define TZ_MIN_UTOFF (-89999)
#define TZ_MAX_UTOFF 93599
/*
 * Instants are clamped to +-2^45 s (about a million years) before calendar
 * arithmetic, so that day counts fit in int32_t and offsets cannot overflow.
 */
#define TZ_TIME_LIMIT ((int64_t)1 << 45)

/* One day of a POSIX TZ rule: Jn, n or Mm.w.d. */
struct rule_day {
    char kind; /* 'J' (1-365, no Feb 29), 'n' (0-365) or 'M' */
    int n, month, week, wday;
};

/* The footer's rule, e.g. CET-1CEST,M3.5.0,M10.5.0/3. Offsets are east. */
struct rule {
    int32_t std_off, dst_off;
    bool has_dst;
    struct rule_day start, end;
    int32_t start_time, end_time; /* local seconds after 00:00, may be < 0 */
};

struct ob_tz {
    char *name;
    int64_t *times;   /* transition instants, strictly ascending */
    int32_t *offsets; /* offsets[i] is in force from times[i] on */
    size_t count;
    int32_t initial; /* before times[0]: time type 0 (RFC 8536 3.2) */
    bool has_rule;   /* the footer governs instants after the last time */
    struct rule rule;
};

static int64_t
clamp_time(int64_t t)
{
    if (t < -TZ_TIME_LIMIT)
        return -TZ_TIME_LIMIT;
    if (t > TZ_TIME_LIMIT)
        return TZ_TIME_LIMIT;
    return t;
}

static int64_t
floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if (a % b != 0 && a < 0)
        q--;
    return q;
}

/* ---- POSIX TZ rule strings (the TZif footer) ---- */

struct cursor {
    const char *p, *end;
};

static bool
peek_is(const struct cursor *c, char ch)
{
    return c->p < c->end && *c->p == ch;
}

static bool
is_alpha(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

static bool
is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* A number of 1 to max_digits digits, at most max. */
static bool
take_num(struct cursor *c, int max_digits, int max, int *out)
{
    int v = 0, n = 0;

    while (c->p < c->end && is_digit(*c->p) && n < max_digits) {
        v = v * 10 + (*c->p - '0');
        c->p++;
        n++;
    }
    if (n == 0 || v > max)
        return false;
    *out = v;
    return true;
}

/* A zone abbreviation: 3+ letters, or <...> of letters, digits, + and -. */
static bool
take_abbr(struct cursor *c)
{
    const char *start;

    if (peek_is(c, '<')) {
        c->p++;
        start = c->p;
        while (c->p < c->end && (is_alpha(*c->p) || is_digit(*c->p) ||
                                 *c->p == '+' || *c->p == '-'))
            c->p++;
        if (c->p - start < 3 || !peek_is(c, '>'))
            return false;
        c->p++;
        return true;
    }
    start = c->p;
    while (c->p < c->end && is_alpha(*c->p))
        c->p++;
    return c->p - start >= 3;
}

/*
 * [+-]hh[:mm[:ss]] as seconds. POSIX allows hours 0-24 in offsets; RFC 8536
 * 3.3.1 lets rule times run from -167 to 167 hours.
 */
static bool
take_hms(struct cursor *c, int max_hours, int32_t *out)
{
    int sign = 1, hh, mm = 0, ss = 0;

    if (peek_is(c, '+') || peek_is(c, '-')) {
        sign = *c->p == '-' ? -1 : 1;
        c->p++;
    }
    if (!take_num(c, 3, max_hours, &hh))
        return false;
    if (peek_is(c, ':')) {
        c->p++;
        if (!take_num(c, 2, 59, &mm))
            return false;
        if (peek_is(c, ':')) {
            c->p++;
            if (!take_num(c, 2, 59, &ss))
                return false;
        }
    }
    *out = sign * (hh * 3600 + mm * 60 + ss);
    return true;
}

static bool
take_rule_day(struct cursor *c, struct rule_day *d)
{
    if (peek_is(c, 'J')) {
        c->p++;
        d->kind = 'J';
        return take_num(c, 3, 365, &d->n) && d->n >= 1;
    }
    if (!peek_is(c, 'M')) {
        d->kind = 'n';
        return take_num(c, 3, 365, &d->n);
    }
    c->p++;
    d->kind = 'M';
    if (!take_num(c, 2, 12, &d->month) || d->month < 1 || !peek_is(c, '.'))
        return false;
    c->p++;
    if (!take_num(c, 1, 5, &d->week) || d->week < 1 || !peek_is(c, '.'))
        return false;
    c->p++;
    return take_num(c, 1, 6, &d->wday);
}

/* ",date[/time]"; the time defaults to 02:00. */
static bool
take_rule_change(struct cursor *c, struct rule_day *d, int32_t *time)
{
    if (!peek_is(c, ','))
        return false;
    c->p++;
    if (!take_rule_day(c, d))
        return false;
    *time = 7200;
    if (!peek_is(c, '/'))
        return true;
    c->p++;
    return take_hms(c, 167, time);
}

/* The part after the DST name: [offset],start[/time],end[/time]. */
static bool
take_dst_part(struct cursor *c, struct rule *r)
{
    int32_t west;

    /* POSIX: without an explicit DST offset, DST is one hour ahead. */
    r->dst_off = r->std_off + 3600;
    if (c->p < c->end && !peek_is(c, ',')) {
        if (!take_hms(c, 24, &west))
            return false;
        r->dst_off = -west;
    }
    /*
     * A DST name without dates would need an implementation-defined default
     * (glibc reads "posixrules"); zic always writes the dates, so a footer
     * without them is treated as corrupt rather than guessed at.
     */
    return take_rule_change(c, &r->start, &r->start_time) &&
           take_rule_change(c, &r->end, &r->end_time);
}

/* Parses a whole footer such as "<+0530>-5:30" or "EST5EDT,M3.2.0,M11.1.0". */
static bool
parse_rule(const char *s, size_t len, struct rule *r)
{
    struct cursor c = {s, s + len};
    int32_t west;

    memset(r, 0, sizeof(*r));
    if (!take_abbr(&c) || !take_hms(&c, 24, &west))
        return false;
    /* POSIX offsets count hours west of Greenwich: "CET-1" is UTC+1. */
    r->std_off = -west;
    if (c.p == c.end)
        return true;
    if (!take_abbr(&c))
        return false;
    r->has_dst = true;
    if (!take_dst_part(&c, r))
        return false;
    return c.p == c.end;
}

/* Days since the epoch of a rule day in a year. */
static int32_t
rule_day_date(const struct rule_day *d, int32_t year)
{
    int32_t jan1 = ob_date_from_civil(year, 1, 1);
    int32_t first, day;
    bool leap = ob_date_days_in_month(year, 2) == 29;

    if (d->kind == 'n')
        return jan1 + d->n;
    if (d->kind == 'J')
        return jan1 + d->n - 1 + (leap && d->n >= 60);
    first = ob_date_from_civil(year, (unsigned)d->month, 1);
    /* ob_date_weekday() is ISO (7 = Sunday); POSIX counts 0 = Sunday. */
    day = ((int32_t)d->wday - (int32_t)(ob_date_weekday(first) % 7) + 7) % 7;
    day += (d->week - 1) * 7;
    /* Week 5 means the last such weekday, which may be the fourth. */
    while (day >= (int32_t)ob_date_days_in_month(year, (unsigned)d->month))
        day -= 7;
    return first + day;
}

/* The UTC instants at which DST starts and ends in a year. */
static void
rule_year(const struct rule *r, int32_t year, int64_t *start, int64_t *end)
{
    int64_t s = rule_day_date(&r->start, year),
            e = rule_day_date(&r->end, year);

    /* Each change is given in the local time in force before it. */
    *start = s * OB_SECONDS_PER_DAY + r->start_time - r->std_off;
    *end = e * OB_SECONDS_PER_DAY + r->end_time - r->dst_off;
}

static int32_t
rule_base_year(const struct rule *r, int64_t utc)
{
    int64_t local = clamp_time(utc) + r->std_off;
    int32_t year;
    unsigned m, d;

    ob_date_to_civil((int32_t)floor_div(local, OB_SECONDS_PER_DAY), &year, &m,
                     &d);
    return year;
}

/*
 * The offset of a rule at an instant: whichever change of the years around
 * it came last. Looking at three years handles southern-hemisphere rules
 * and changes that rule times of -167..167 h push into a neighbouring year.
 * A start that coincides with the previous end wins, so "all-year DST"
 * rules (RFC 8536 3.3.1, e.g. "J1/0,J365/25") stay in DST.
 */
static int32_t
rule_offset_at(const struct rule *r, int64_t utc)
{
    int64_t best = INT64_MIN, start, end;
    int32_t off = r->std_off, year;

    if (!r->has_dst)
        return r->std_off;
    year = rule_base_year(r, utc);
    for (int32_t y = year - 1; y <= year + 1; y++) {
        rule_year(r, y, &start, &end);
        if (start <= utc && start >= best) {
            best = start;
            off = r->dst_off;
        }
        if (end <= utc && end > best) {
            best = end;
            off = r->std_off;
        }
    }
    return off;
}

/* The first change of a rule strictly after an instant. */
static bool
rule_next(const struct rule *r, int64_t utc, int64_t *when)
{
    int64_t best = INT64_MAX, start, end;
    int32_t year;

    if (!r->has_dst)
        return false;
    year = rule_base_year(r, utc);
    for (int32_t y = year - 1; y <= year + 2; y++) {
        rule_year(r, y, &start, &end);
        if (start > utc && start < best)
            best = start;
        if (end > utc && end < best)
            best = end;
    }
    *when = best;
    return best != INT64_MAX;
}

/* ---- TZif files ---- */

struct tzif_header {
    unsigned char version;
    uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static uint32_t
be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static int64_t
be64(const unsigned char *p)
{
    uint64_t v = (uint64_t)be32(p) << 32 | be32(p + 4);
    /* Two's complement by arithmetic, not by an implementation cast. */
    if (v >= (uint64_t)1 << 63)
        return -(int64_t)(~v) - 1;
    return (int64_t)v;
}

static int32_t
be32s(const unsigned char *p)
{
    uint32_t v = be32(p);
    if (v >= (uint32_t)1 << 31)
        return -(int32_t)(~v) - 1;
    return (int32_t)v;
}

/* A cursor over the file's bytes; every read is checked against its end. */
struct bytes {
    const unsigned char *p, *end;
};

static bool
read_header(struct bytes *b, struct tzif_header *h)
{
    uint32_t *counts[6] = {&h->isutcnt, &h->isstdcnt, &h->leapcnt,
                           &h->timecnt, &h->typecnt,  &h->charcnt};

    if (b->end - b->p < 44 || memcmp(b->p, "TZif", 4) != 0)
        return false;
    h->version = b->p[4];
    for (int i = 0; i < 6; i++)
        *counts[i] = be32(b->p + 20 + 4 * i);
    b->p += 44;
    return true;
}

/* RFC 8536 3.1: at least one type and one byte of names; flags per type. */
static bool
counts_valid(const struct tzif_header *h)
{
    if (h->typecnt == 0 || h->charcnt == 0)
        return false;
    return (h->isutcnt == 0 || h->isutcnt == h->typecnt) &&
           (h->isstdcnt == 0 || h->isstdcnt == h->typecnt);
}

/* The size of a data block: 64-bit sums of 32-bit counts cannot overflow. */
static uint64_t
block_size(const struct tzif_header *h, unsigned time_size)
{
    return (uint64_t)h->timecnt * (time_size + 1) + (uint64_t)h->typecnt * 6 +
           h->charcnt + (uint64_t)h->leapcnt * (time_size + 4) + h->isstdcnt +
           h->isutcnt;
}

/* Reads the ttinfo offsets of a block, checking each entry. */
static bool
read_types(const unsigned char *p, const struct tzif_header *h, int32_t *offs)
{
    for (uint32_t i = 0; i < h->typecnt; i++, p += 6) {
        int32_t utoff = be32s(p);
        if (utoff < TZ_MIN_UTOFF || utoff > TZ_MAX_UTOFF || p[4] > 1 ||
            p[5] >= h->charcnt)
            return false;
        offs[i] = utoff;
    }
    return true;
}

/* Fills tz->times/offsets/initial from one data block. */
static bool
read_block(struct ob_tz *tz, const unsigned char *p,
           const struct tzif_header *h, unsigned time_size)
{
    const unsigned char *idx = p + (size_t)h->timecnt * time_size;
    int32_t *types = ob_xreallocarray(NULL, h->typecnt, sizeof(*types));
    bool ok = read_types(idx + h->timecnt, h, types);

    tz->count = h->timecnt;
    if (tz->count) {
        tz->times = ob_xreallocarray(NULL, tz->count, sizeof(*tz->times));
        tz->offsets = ob_xreallocarray(NULL, tz->count, sizeof(*tz->offsets));
    }
    for (size_t i = 0; ok && i < tz->count; i++) {
        const unsigned char *t = p + i * time_size;
        tz->times[i] = time_size == 8 ? be64(t) : be32s(t);
        ok = idx[i] < h->typecnt && (i == 0 || tz->times[i] > tz->times[i - 1]);
        if (ok)
            tz->offsets[i] = types[idx[i]];
    }
    tz->initial = ok ? types[0] : 0;
    free(types);
    return ok;
}

/* The footer of a v2+ file: "\n<POSIX TZ string>\n", possibly empty. */
static bool
read_footer(struct ob_tz *tz, struct bytes *b)
{
    const unsigned char *nl;

    if (b->p >= b->end || *b->p != '\n')
        return false;
    b->p++;
    nl = memchr(b->p, '\n', (size_t)(b->end - b->p));
    if (!nl)
        return false;
    if (nl > b->p) {
        if (!parse_rule((const char *)b->p, (size_t)(nl - b->p), &tz->rule))
            return false;
        tz->has_rule = true;
    }
    return true;
}

/*
 * Parses a whole TZif file. For version 2 and later the 32-bit block is
 * skipped in favour of the 64-bit one, which is followed by the footer.
 * Leap-second tables ("right/" zones) are refused: their transition times
 * count leap seconds and would be silently wrong as POSIX times.
 */
static bool
parse_tzif(struct ob_tz *tz, const unsigned char *data, size_t len)
{
    struct bytes b = {data, data + len};
    struct tzif_header h;
    unsigned time_size = 4;

    if (!read_header(&b, &h) || block_size(&h, 4) > (uint64_t)(b.end - b.p))
        return false;
    if (h.version >= '2') {
        /* Only the 64-bit block is used, so only it must be well formed. */
        b.p += block_size(&h, 4);
        if (!read_header(&b, &h) || block_size(&h, 8) > (uint64_t)(b.end - b.p))
            return false;
        time_size = 8;
    }
    if (!counts_valid(&h) || h.leapcnt != 0 ||
        !read_block(tz, b.p, &h, time_size))
        return false;
    b.p += block_size(&h, time_size);
    return time_size == 4 || read_footer(tz, &b);
}

/* ---- Loading ---- */

/* [A-Za-z0-9_+-] components joined by single '/'s: no "..", no root. */
static bool
valid_name(const char *name)
{
    size_t len = strlen(name);

    if (len == 0 || len > TZ_MAX_NAME || name[0] == '/' || name[len - 1] == '/')
        return false;
    for (size_t i = 0; i < len; i++) {
        char ch = name[i];
        if (ch == '/' && name[i + 1] == '/')
            return false;
        if (!is_alpha(ch) && !is_digit(ch) && ch != '_' && ch != '+' &&
            ch != '-' && ch != '/')
            return false;
    }
    return true;
}

static bool
builtin_utc(const char *name)
{
    static const char *const names[] = {"UTC", "Etc/UTC", "GMT", "Etc/GMT"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(name, names[i]) == 0)
            return true;
    }
    return false;
}

/* Opens a zone file; a missing file or a directory is a bad name. */
static enum ob_err
open_zone(const char *path, FILE **out, size_t *size)
{
    struct stat st;
    FILE *f = fopen(path, "rb");

    if (!f)
        return errno == ENOENT || errno == ENOTDIR ? OB_ERR_INPUT : OB_ERR_ENV;
    if (fstat(fileno(f), &st) != 0) {
        fclose(f);
        return OB_ERR_ENV;
    }
    if (!S_ISREG(st.st_mode)) {
        fclose(f);
        return OB_ERR_INPUT;
    }
    if (st.st_size > TZ_MAX_FILE) {
        fclose(f);
        return OB_ERR_ENV;
    }
    *out = f;
    *size = (size_t)st.st_size;
    return OB_OK;
}

/* Reads a whole zone file into a new buffer of *len bytes. */
static enum ob_err
read_zone(const char *path, unsigned char **data, size_t *len)
{
    FILE *f = NULL;
    unsigned char *buf = NULL;
    size_t size = 0, got;
    enum ob_err err = open_zone(path, &f, &size);

    if (err)
        goto fail;
    /* One spare byte so a file that grew since fstat() is noticed. */
    buf = ob_xmalloc(size + 1);
    got = fread(buf, 1, size + 1, f);
    if (ferror(f) || got != size) {
        err = OB_ERR_ENV;
        goto fail;
    }
    fclose(f);
    *data = buf;
    *len = size;
    return OB_OK;
fail:
    if (f)
        fclose(f);
    free(buf);
    return err;
}

static char *
zone_path(const char *dir, const char *name)
{
    size_t len = strlen(dir) + 1 + strlen(name) + 1;
    char *path = ob_xmalloc(len);

    snprintf(path, len, "%s/%s", dir, name);
    return path;
}

static enum ob_err
load_file(struct ob_tz *tz, const char *name, const char *dir)
{
    char *path = zone_path(dir ? dir : "/usr/share/zoneinfo", name);
    unsigned char *data = NULL;
    size_t len = 0;
    enum ob_err err = read_zone(path, &data, &len);

    if (err)
        goto fail;
    /* Not a TZif file at all (e.g. "leapseconds"): not a zone name. */
    if (len < 4 || memcmp(data, "TZif", 4) != 0) {
        err = OB_ERR_INPUT;
        goto fail;
    }
    if (!parse_tzif(tz, data, len))
        err = OB_ERR_ENV;
fail:
    free(data);
    free(path);
    return err;
}

enum ob_err
ob_tz_load(const char *name, const char *zoneinfo_dir, struct ob_tz **out)
{
    struct ob_tz *tz = NULL;
    enum ob_err err = OB_OK;

    *out = NULL;
    if (!valid_name(name))
        return OB_ERR_INPUT;
    tz = ob_xcalloc(1, sizeof(*tz));
    tz->name = ob_xstrdup(name);
    if (!builtin_utc(name)) {
        err = load_file(tz, name, zoneinfo_dir);
        if (err)
            goto fail;
    }
    *out = tz;
    return OB_OK;
fail:
    ob_tz_free(tz);
    return err;
}

void
ob_tz_free(struct ob_tz *tz)
{
    if (!tz)
        return;
    free(tz->name);
    free(tz->times);
    free(tz->offsets);
    free(tz);
}

const char *
ob_tz_name(const struct ob_tz *tz)
{
    return tz->name;
}

static void
hash_rule_day(struct ob_hasher *h, const struct rule_day *d)
{
    ob_hasher_add_u64(h, (uint64_t)(unsigned char)d->kind);
    ob_hasher_add_u64(h, (uint64_t)(int64_t)d->n);
    ob_hasher_add_u64(h, (uint64_t)(int64_t)d->month);
    ob_hasher_add_u64(h, (uint64_t)(int64_t)d->week);
    ob_hasher_add_u64(h, (uint64_t)(int64_t)d->wday);
}

uint64_t
ob_tz_hash(const struct ob_tz *tz)
{
    struct ob_hasher h;
    size_t i;

    ob_hasher_init(&h);
    ob_hasher_add_str(&h, tz->name);
    ob_hasher_add_u64(&h, tz->count);
    for (i = 0; i < tz->count; i++) {
        ob_hasher_add_u64(&h, (uint64_t)tz->times[i]);
        ob_hasher_add_u64(&h, (uint64_t)(int64_t)tz->offsets[i]);
    }
    ob_hasher_add_u64(&h, (uint64_t)(int64_t)tz->initial);
    ob_hasher_add_u64(&h, tz->has_rule);
    if (tz->has_rule) {
        ob_hasher_add_u64(&h, (uint64_t)(int64_t)tz->rule.std_off);
        ob_hasher_add_u64(&h, (uint64_t)(int64_t)tz->rule.dst_off);
        ob_hasher_add_u64(&h, tz->rule.has_dst);
        hash_rule_day(&h, &tz->rule.start);
        hash_rule_day(&h, &tz->rule.end);
        ob_hasher_add_u64(&h, (uint64_t)(int64_t)tz->rule.start_time);
        ob_hasher_add_u64(&h, (uint64_t)(int64_t)tz->rule.end_time);
    }
    return ob_hasher_finish(&h);
}

/* ---- Queries ---- */

/* The index of the last transition at or before utc; count if none. */
static size_t
last_at_or_before(const struct ob_tz *tz, int64_t utc)
{
    size_t lo = 0, hi = tz->count;

    /* Invariant: times[< lo] <= utc < times[>= hi]. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tz->times[mid] <= utc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo == 0 ? tz->count : lo - 1;
}

int32_t
ob_tz_offset_at(const struct ob_tz *tz, int64_t utc)
{
    size_t i;

    if (tz->count == 0)
        return tz->has_rule ? rule_offset_at(&tz->rule, utc) : tz->initial;
    if (utc > tz->times[tz->count - 1] && tz->has_rule)
        return rule_offset_at(&tz->rule, utc);
    i = last_at_or_before(tz, utc);
    return i == tz->count ? tz->initial : tz->offsets[i];
}

/* The first transition strictly after utc, from the table or the rule. */
static bool
next_transition(const struct ob_tz *tz, int64_t utc, int64_t *when)
{
    size_t i;

    if (tz->count > 0 && utc < tz->times[tz->count - 1]) {
        i = last_at_or_before(tz, utc);
        *when = tz->times[i == tz->count ? 0 : i + 1];
        return true;
    }
    return tz->has_rule && rule_next(&tz->rule, utc, when);
}

/* How a local time maps to UTC: gap_end is set for a skipped time. */
struct resolved {
    int64_t utc;
    bool in_gap;
    int64_t gap_end; /* the transition that ends the gap */
};

/*
 * Walks the spans of constant offset that can contain the answer (offsets
 * stay within +-26 h, so two days either side is enough) in UTC order. The
 * first span holding local - offset is the earliest occurrence; a span that
 * starts after it means the local time was skipped by the transition that
 * opened that span.
 */
static struct resolved
resolve_local(const struct ob_tz *tz, int64_t wall)
{
    int64_t local = clamp_time(wall);
    int64_t limit = local + 2 * OB_SECONDS_PER_DAY;
    int64_t start = local - 2 * OB_SECONDS_PER_DAY, next = 0;
    int32_t off = ob_tz_offset_at(tz, start), prev = off;
    struct resolved r = {local - off, false, 0};

    while (start <= limit) {
        int64_t u = local - off;
        bool more = next_transition(tz, start, &next);
        if (u < start) {
            r.utc = local - prev;
            r.in_gap = true;
            r.gap_end = start;
            return r;
        }
        if (!more || u < next) {
            r.utc = u;
            return r;
        }
        prev = off;
        start = next;
        off = ob_tz_offset_at(tz, start);
    }
    return r;
}

int64_t
ob_tz_local_to_utc(const struct ob_tz *tz, int64_t local)
{
    return resolve_local(tz, local).utc;
}

int32_t
ob_tz_date_of(const struct ob_tz *tz, int64_t utc)
{
    int64_t t = clamp_time(utc);
    return (int32_t)floor_div(t + ob_tz_offset_at(tz, t), OB_SECONDS_PER_DAY);
}

int64_t
ob_tz_day_start(const struct ob_tz *tz, int32_t date)
{
    struct resolved r = resolve_local(tz, (int64_t)date * OB_SECONDS_PER_DAY);

    /* A skipped midnight: the day starts when the clock jumps past it. */
    return r.in_gap ? r.gap_end : r.utc;
}
