/* table.c: open a source's files as one typed table and stream its rows. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/table.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opsbook/csv.h"
#include "opsbook/date.h"
#include "opsbook/input.h"
#include "opsbook/mem.h"
#include "opsbook/pool.h"
#include "opsbook/text.h"

/* How many records type inference may read before it settles. */
#define MAX_SAMPLE_RECORDS 100000
#define SAMPLE_VALUES      1000

/* One file opened through the input layers and the CSV reader. */
struct csv_file {
    struct ob_input *in;
    struct ob_csv_reader *csv;
};

/* What opening a table reads of each file: its header, and a sample for
 * the types, which a thousand records or so give. Reading (and, for a
 * .csv.gz, inflating) a scan's megabyte for them made opening a source of
 * many files cost more than its KPIs' reuse saves. */
#define OPEN_CHUNK ((size_t)64 << 10)

static enum ob_err
csv_file_open(struct csv_file *f, const struct ob_table *t, const char *path,
              char delimiter, size_t chunk, struct ob_diag *d)
{
    struct ob_csv_options opt = {delimiter, chunk, 0, 0, 0};
    struct ob_csv_input input;
    enum ob_err err;

    memset(f, 0, sizeof(*f));
    err = ob_input_open(&f->in, d, NULL, path, t->src->encoding);
    if (err)
        return err;
    if (chunk == OPEN_CHUNK)
        ob_input_read_little(f->in);
    input.read = ob_input_read;
    input.ctx = f->in;
    f->csv = ob_csv_open(path, &input, &opt);
    return OB_OK;
}

static void
csv_file_close(struct csv_file *f)
{
    ob_csv_close(f->csv);
    ob_input_close(f->in);
    memset(f, 0, sizeof(*f));
}

/* The error a failed read implies: I/O (exit 3) or bad text (exit 1). */
static enum ob_err
read_failure(const struct csv_file *f)
{
    return ob_input_env_failed(f->in) ? OB_ERR_ENV : OB_ERR_INPUT;
}

static struct ob_pos
field_pos(const struct csv_file *f, const char *path,
          const struct ob_csv_field *field)
{
    struct ob_pos pos = {path, 0, 0};

    ob_csv_position(f->csv, field->offset, &pos.line, &pos.col);
    return pos;
}

/* Number of header fields that name columns: a trailing delimiter on the
 * header line (some exporters end every line with one) names nothing. */
static size_t
header_width(const struct ob_csv_record *rec)
{
    size_t n = rec->n;

    if (n > 1 && rec->fields[n - 1].len == 0 && !rec->fields[n - 1].quoted)
        n--;
    return n;
}

static void
check_header_names(const struct csv_file *f, const char *path,
                   const struct ob_csv_record *rec, size_t n, struct ob_diag *d)
{
    size_t i, j;

    for (i = 0; i < n; i++) {
        const struct ob_csv_field *fi = &rec->fields[i];
        struct ob_pos pos = field_pos(f, path, fi);

        if (fi->len == 0) {
            ob_diag_error(d, &pos,
                          "column %zu has an empty name in the "
                          "header",
                          i + 1);
            continue;
        }
        for (j = 0; j < i; j++) {
            const struct ob_csv_field *fj = &rec->fields[j];
            if (fj->len == fi->len && !memcmp(fj->ptr, fi->ptr, fi->len)) {
                ob_diag_error(d, &pos,
                              "duplicate column name '%.*s' (also column "
                              "%zu)",
                              (int)fi->len, fi->ptr, j + 1);
                break;
            }
        }
    }
}

/* The first file's header defines the columns. */
static void
define_columns(struct ob_table *t, const struct csv_file *f, const char *path,
               const struct ob_csv_record *rec, size_t n, struct ob_arena *a)
{
    size_t i;

    t->n_columns = n;
    t->columns = ob_arena_calloc(a, n ? n : 1, sizeof(*t->columns));
    for (i = 0; i < n; i++) {
        t->columns[i].name =
            ob_arena_strndup(a, rec->fields[i].ptr, rec->fields[i].len);
        t->columns[i].type = OB_COL_STRING;
        t->columns[i].pos = field_pos(f, path, &rec->fields[i]);
    }
}

/* Every later file must have the same header as the first. */
static bool
same_header(const struct ob_table *t, const struct ob_csv_record *rec, size_t n)
{
    size_t i;

    if (n != t->n_columns)
        return false;
    for (i = 0; i < n; i++)
        if (strlen(t->columns[i].name) != rec->fields[i].len ||
            memcmp(t->columns[i].name, rec->fields[i].ptr, rec->fields[i].len))
            return false;
    return true;
}

/* Reads the header of file k; the first one defines the columns. */
static enum ob_err
read_header(struct ob_table *t, size_t k, struct csv_file *f,
            struct ob_arena *a, struct ob_diag *d)
{
    const char *path = t->paths[k];
    struct ob_pos file_pos = {path, 1, 1};
    struct ob_csv_record rec;
    size_t n;
    int rc = ob_csv_next(f->csv, d, &rec);

    if (rc < 0)
        return read_failure(f);
    if (rc == 0) {
        file_pos.line = 0;
        ob_diag_error(d, &file_pos,
                      "'%s' is empty: a CSV file needs a "
                      "header line",
                      path);
        return OB_ERR_INPUT;
    }
    n = header_width(&rec);
    if (k == 0) {
        t->delimiter = ob_csv_delimiter(f->csv);
        check_header_names(f, path, &rec, n, d);
        define_columns(t, f, path, &rec, n, a);
        return OB_OK;
    }
    if (!same_header(t, &rec, n)) {
        ob_diag_error(d, &file_pos,
                      "the header differs from the one of '%s' (every file "
                      "of source '%s' must have the same columns)",
                      t->paths[0], t->src->name);
        return OB_ERR_INPUT;
    }
    return OB_OK;
}

int
ob_table_column(const struct ob_table *t, const char *name)
{
    size_t i;

    for (i = 0; i < t->n_columns; i++)
        if (!strcmp(t->columns[i].name, name))
            return (int)i;
    return -1;
}

/* Reports a name that is no column of the table, with a suggestion. */
static void
unknown_column(const struct ob_table *t, const struct ob_pos *pos,
               const char *name, struct ob_diag *d)
{
    const char **names = ob_xcalloc(t->n_columns + 1, sizeof(*names));
    const char *hint;
    size_t i;

    for (i = 0; i < t->n_columns; i++)
        names[i] = t->columns[i].name;
    hint = ob_suggest(name, names);
    if (hint)
        ob_diag_error(d, pos,
                      "unknown column '%s' in source '%s' (did you mean "
                      "'%s'?)",
                      name, t->src->name, hint);
    else
        ob_diag_error(d, pos, "unknown column '%s' in source '%s'", name,
                      t->src->name);
    free(names);
}

bool
ob_table_check_names(struct ob_table *t, struct ob_diag *d)
{
    const struct ob_source *src = t->src;
    size_t errors = d->errors, i;

    t->time_column = -1;
    if (src->time.name) {
        t->time_column = ob_table_column(t, src->time.name);
        if (t->time_column < 0)
            unknown_column(t, &src->time.pos, src->time.name, d);
    }
    for (i = 0; i < src->checks.n_unique; i++)
        if (ob_table_column(t, src->checks.unique[i].name) < 0)
            unknown_column(t, &src->checks.unique[i].pos,
                           src->checks.unique[i].name, d);
    for (i = 0; i < src->checks.n_not_empty; i++)
        if (ob_table_column(t, src->checks.not_empty[i].name) < 0)
            unknown_column(t, &src->checks.not_empty[i].pos,
                           src->checks.not_empty[i].name, d);
    return d->errors == errors;
}

/* columns: hints name columns there are, whose types they set. */
static void
apply_hints(struct ob_table *t, struct ob_diag *d)
{
    const struct ob_source *src = t->src;
    size_t i;
    int c;

    for (i = 0; i < src->n_columns; i++) {
        c = ob_table_column(t, src->columns[i].name);
        if (c < 0) {
            unknown_column(t, &src->columns[i].pos, src->columns[i].name, d);
            continue;
        }
        t->columns[c].type = src->columns[i].type;
        t->columns[c].hinted = true;
    }
    ob_table_check_names(t, d);
}

/* Feeds one record to the columns still inferring; true when all are done. */
static bool
feed_sample(struct ob_table *t, struct ob_infer *inf,
            const struct ob_csv_record *rec)
{
    bool done = true;
    size_t i;

    for (i = 0; i < t->n_columns; i++) {
        if (t->columns[i].hinted || inf[i].seen >= SAMPLE_VALUES)
            continue;
        if (i < rec->n && rec->fields[i].len)
            ob_infer_feed(&inf[i], rec->fields[i].ptr, rec->fields[i].len,
                          &t->format);
        if (inf[i].seen < SAMPLE_VALUES)
            done = false;
    }
    return done;
}

static void infer_yaml(struct ob_table *t, struct ob_infer *inf);

/* Feeds the first records of the CSV files to the inference. */
static enum ob_err
infer_csv(struct ob_table *t, struct ob_infer *inf, struct ob_diag *d)
{
    struct ob_diag quiet; /* problems are reported by the scan, once */
    struct ob_csv_record rec;
    struct csv_file f;
    size_t k, records = 0;
    bool done = false;
    enum ob_err err = OB_OK;

    ob_diag_init(&quiet, 0);
    for (k = 0; k < t->n_paths && !done && !err; k++) {
        err = csv_file_open(&f, t, t->paths[k], t->delimiter, OPEN_CHUNK, d);
        if (err)
            break;
        if (ob_csv_next(f.csv, &quiet, &rec) > 0) /* the header */
            while (!done && records++ < MAX_SAMPLE_RECORDS &&
                   ob_csv_next(f.csv, &quiet, &rec) > 0)
                done = feed_sample(t, inf, &rec);
        csv_file_close(&f);
    }
    ob_diag_release(&quiet);
    return err;
}

/* Settles each unhinted column's type from its first non-empty values. */
static enum ob_err
infer_types(struct ob_table *t, struct ob_diag *d)
{
    struct ob_infer *inf = ob_xcalloc(t->n_columns + 1, sizeof(*inf));
    enum ob_err err = OB_OK;
    size_t i;

    for (i = 0; i < t->n_columns; i++)
        ob_infer_init(&inf[i]);
    if (t->docs)
        infer_yaml(t, inf);
    else
        err = infer_csv(t, inf, d);
    for (i = 0; i < t->n_columns; i++)
        if (!t->columns[i].hinted)
            t->columns[i].type = ob_infer_result(&inf[i]);
    /* A time column with no value in the sample (a header without rows,
     * first records the scan will report as malformed, only open tickets
     * so far) is read as dates: the scan then says what is wrong, where. */
    if (t->time_column >= 0 && !t->columns[t->time_column].hinted &&
        inf[t->time_column].seen == 0)
        t->columns[t->time_column].type = OB_COL_DATETIME;
    free(inf);
    return err;
}

static void
check_time_type(const struct ob_table *t, struct ob_diag *d)
{
    const struct ob_column *c;

    if (t->time_column < 0)
        return;
    c = &t->columns[t->time_column];
    if (c->type == OB_COL_DATE || c->type == OB_COL_DATETIME)
        return;
    ob_diag_error(d, &t->src->time.pos,
                  "the time column '%s' holds %s values, not dates (set "
                  "'date_format', or a columns: hint)",
                  c->name, ob_column_type_name(c->type));
}

/* ---- yaml sources: a list of mappings ------------------------------- */

/* A cell of a yaml row: its text, "" when absent or null. False (and
 * *node set) when it is a list or a mapping, which no column can hold. */
static bool
yaml_cell(const struct ob_yaml_node *row, const char *name, const char **s,
          size_t *len, const struct ob_yaml_node **node)
{
    *node = ob_yaml_get(row, name);
    *s = "";
    *len = 0;
    if (!*node || ob_yaml_is_null(*node))
        return true;
    if ((*node)->kind != OB_YAML_SCALAR)
        return false;
    *s = (*node)->str;
    *len = (*node)->len;
    return true;
}

static void
add_yaml_columns(struct ob_table *t, const struct ob_yaml_node *row,
                 struct ob_arena *a, size_t *cap)
{
    size_t i;

    for (i = 0; i < row->n; i++) {
        const struct ob_yaml_node *key = row->pairs[i].key;
        struct ob_column *grown;

        if (ob_table_column(t, key->str) >= 0)
            continue;
        if (t->n_columns == *cap) {
            *cap = *cap ? *cap * 2 : 16;
            grown = ob_arena_calloc(a, *cap, sizeof(*grown));
            if (t->n_columns)
                memcpy(grown, t->columns, t->n_columns * sizeof(*grown));
            t->columns = grown;
        }
        t->columns[t->n_columns].name = key->str;
        t->columns[t->n_columns].type = OB_COL_STRING;
        t->columns[t->n_columns].pos = key->pos;
        t->n_columns++;
    }
}

/* Reads every file: each must be a list of mappings. */
static enum ob_err
open_yaml(struct ob_table *t, const struct ob_fs_root *root, struct ob_arena *a,
          struct ob_diag *d)
{
    struct ob_buf text = OB_BUF_INIT;
    enum ob_err err = OB_OK;
    size_t k, i, cap = 0;

    (void)root;
    t->docs = ob_arena_calloc(a, t->n_paths, sizeof(*t->docs));
    for (k = 0; k < t->n_paths && err != OB_ERR_ENV; k++) {
        const struct ob_yaml_node *doc;
        enum ob_err e;

        e = ob_fs_read_file(d, NULL, t->paths[k], OB_FS_MAX_FILE, &text);
        if (e) {
            err = e;
            continue;
        }
        doc = ob_yaml_parse(a, d, t->paths[k], text.ptr, text.len, 1,
                            &ob_yaml_default_limits);
        if (!doc || (!ob_yaml_is_null(doc) && !ob_yaml_expect_seq(d, doc))) {
            err = OB_ERR_INPUT;
            continue;
        }
        t->docs[k] = ob_yaml_is_null(doc) ? NULL : doc;
        for (i = 0; t->docs[k] && i < doc->n; i++)
            if (ob_yaml_expect_map(d, doc->items[i]))
                add_yaml_columns(t, doc->items[i], a, &cap);
    }
    ob_buf_release(&text);
    return err;
}

static void
infer_yaml(struct ob_table *t, struct ob_infer *inf)
{
    size_t k, i, c;

    for (k = 0; k < t->n_paths; k++) {
        const struct ob_yaml_node *doc = t->docs[k];

        for (i = 0; doc && i < doc->n; i++) {
            for (c = 0; c < t->n_columns; c++) {
                const struct ob_yaml_node *node;
                const char *text;
                size_t len;

                if (t->columns[c].hinted || inf[c].seen >= SAMPLE_VALUES ||
                    doc->items[i]->kind != OB_YAML_MAP)
                    continue;
                if (yaml_cell(doc->items[i], t->columns[c].name, &text, &len,
                              &node) &&
                    len)
                    ob_infer_feed(&inf[c], text, len, &t->format);
            }
        }
    }
}

enum ob_err
ob_table_open(struct ob_table *t, const struct ob_source *src,
              const struct ob_fs_root *root, const struct ob_tz *tz,
              struct ob_arena *a, struct ob_diag *d)
{
    struct csv_file f;
    size_t errors = d->errors, k;
    enum ob_err err;

    memset(t, 0, sizeof(*t));
    t->src = src;
    t->time_column = -1;
    t->until = INT64_MAX;
    t->piece_bytes = OB_TABLE_PIECE_BYTES;
    t->format.decimal = src->decimal;
    t->format.date_format = src->date_format;
    t->format.tz = tz;
    err = ob_fs_glob(root, d, &src->path_pos, src->path, a, &t->paths,
                     &t->n_paths);
    if (err)
        return err;
    if (!t->n_paths) {
        ob_diag_error(d, &src->path_pos, "no file matches '%s'", src->path);
        return OB_ERR_INPUT;
    }
    t->delimiter = src->delimiter;
    if (src->type == OB_SOURCE_YAML)
        err = open_yaml(t, root, a, d);
    for (k = 0; src->type == OB_SOURCE_CSV && k < t->n_paths && !err; k++) {
        err = csv_file_open(&f, t, t->paths[k], t->delimiter, OPEN_CHUNK, d);
        if (!err) {
            err = read_header(t, k, &f, a, d);
            csv_file_close(&f);
        }
    }
    if (err)
        return err;
    apply_hints(t, d);
    t->empty =
        ob_arena_calloc(a, src->checks.n_not_empty + 1, sizeof(*t->empty));
    t->duplicates =
        ob_arena_calloc(a, src->checks.n_unique + 1, sizeof(*t->duplicates));
    err = infer_types(t, d);
    if (!err)
        check_time_type(t, d);
    if (!err && d->errors > errors)
        err = OB_ERR_INPUT;
    return err;
}

/* The values seen in a `unique` column: an open-addressing hash set of
 * strings. It grows with the distinct values, as the check needs. */
struct seen_set {
    struct ob_buf text; /* the strings, one after another */
    size_t *slots;      /* offset + 1 into text, 0 = free */
    size_t *lens;
    size_t cap, n;
};

static uint64_t
hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static void seen_grow(struct seen_set *set);

/* Adds s; false when it was there already. */
static bool
seen_add(struct seen_set *set, const char *s, size_t len)
{
    size_t i;

    if (set->n * 2 >= set->cap)
        seen_grow(set);
    for (i = hash_bytes(s, len) & (set->cap - 1); set->slots[i];
         i = (i + 1) & (set->cap - 1)) {
        if (set->lens[i] == len &&
            !memcmp(set->text.ptr + set->slots[i] - 1, s, len))
            return false;
    }
    set->slots[i] = set->text.len + 1;
    set->lens[i] = len;
    ob_buf_add(&set->text, s, len);
    set->n++;
    return true;
}

static void
seen_grow(struct seen_set *set)
{
    size_t old_cap = set->cap, *old_slots = set->slots, *old_lens = set->lens;
    size_t i, j;

    set->cap = old_cap ? old_cap * 2 : 1024;
    set->slots = ob_xcalloc(set->cap, sizeof(*set->slots));
    set->lens = ob_xcalloc(set->cap, sizeof(*set->lens));
    for (i = 0; i < old_cap; i++) {
        if (!old_slots[i])
            continue;
        j = hash_bytes(set->text.ptr + old_slots[i] - 1, old_lens[i]) &
            (set->cap - 1);
        while (set->slots[j])
            j = (j + 1) & (set->cap - 1);
        set->slots[j] = old_slots[i];
        set->lens[j] = old_lens[i];
    }
    free(old_slots);
    free(old_lens);
}

static void
seen_release(struct seen_set *set)
{
    ob_buf_release(&set->text);
    free(set->slots);
    free(set->lens);
    memset(set, 0, sizeof(*set));
}

/* The columns the source's checks name, resolved once per scan. */
struct checks {
    int *not_empty; /* column index per check, -1 when unknown */
    int *unique;
    struct seen_set *seen;
};

static void
checks_init(struct checks *c, struct ob_table *t)
{
    const struct ob_source_checks *sc = &t->src->checks;
    size_t i;

    c->not_empty = ob_xcalloc(sc->n_not_empty + 1, sizeof(int));
    c->unique = ob_xcalloc(sc->n_unique + 1, sizeof(int));
    c->seen = ob_xcalloc(sc->n_unique + 1, sizeof(*c->seen));
    for (i = 0; i < sc->n_not_empty; i++)
        c->not_empty[i] = ob_table_column(t, sc->not_empty[i].name);
    for (i = 0; i < sc->n_unique; i++)
        c->unique[i] = ob_table_column(t, sc->unique[i].name);
    memset(t->empty, 0, (sc->n_not_empty + 1) * sizeof(uint64_t));
    memset(t->duplicates, 0, (sc->n_unique + 1) * sizeof(uint64_t));
}

static void
checks_row(struct checks *c, struct ob_table *t, const size_t *raw_len,
           const char *const *raw)
{
    const struct ob_source_checks *sc = &t->src->checks;
    size_t i;

    for (i = 0; i < sc->n_not_empty; i++)
        if (c->not_empty[i] >= 0 && raw_len[c->not_empty[i]] == 0)
            t->empty[i]++;
    for (i = 0; i < sc->n_unique; i++) {
        int col = c->unique[i];
        if (col >= 0 && !seen_add(&c->seen[i], raw[col], raw_len[col]))
            t->duplicates[i]++;
    }
}

static void
checks_release(struct checks *c, const struct ob_table *t)
{
    size_t i;

    for (i = 0; i < t->src->checks.n_unique; i++)
        seen_release(&c->seen[i]);
    free(c->seen);
    free(c->not_empty);
    free(c->unique);
}

/* Per-scan state: the row being built and where it came from. */
struct scan {
    struct ob_table *t;
    struct ob_diag *d;
    const struct ob_row_sink *sink;
    struct csv_file f;
    const char *path;
    struct ob_value *values;
    const char **raw;
    size_t *raw_len;
    struct ob_date_memo *memos; /* per column: this reader's last day */
    bool *parse;                /* per column: type_row parses its cells */
    uint64_t file_rows;
    struct checks checks;
    bool failed;  /* an error that fails the run (not a skipped row) */
    bool stopped; /* the sink asked to stop */
    /* the row being delivered, for ob_row_cell_pos() */
    const struct ob_csv_record *rec;
    const struct ob_yaml_node *yaml_row;
    /* Reading on one thread and delivering on another (see "Reading and
     * aggregating at once" below): the reader's rows go to `pipe`; the
     * rows delivered come from row `batch_row` of `batch`. */
    struct pipe *pipe;
    const struct batch *batch;
    size_t batch_row;
};

static bool pipe_slot(struct scan *s, const struct ob_csv_record *rec);
static bool pipe_push(struct scan *s, const struct ob_csv_record *rec);

/* A bad row: an error, or with on_error: skip a warning and no row. */
static void __attribute__((format(printf, 3, 4)))
bad_row(struct scan *s, const struct ob_pos *pos, const char *fmt, ...)
{
    bool skip = s->t->src->on_error == OB_ON_ERROR_SKIP;
    va_list ap;

    va_start(ap, fmt);
    ob_diag_vreport(s->d, skip ? OB_SEV_WARNING : OB_SEV_ERROR, pos, fmt, ap);
    va_end(ap);
    if (skip)
        s->t->skipped++;
    else
        s->failed = true;
}

/* A cell that does not fit its column's type; an inferred type can be
 * changed with a hint, a hinted one was the user's choice. */
static void
misfit(struct scan *s, const struct ob_pos *pos, const char *text,
       const struct ob_column *c)
{
    if (c->hinted)
        bad_row(s, pos, "'%.60s' does not fit column '%s' (%s)", text, c->name,
                ob_column_type_name(c->type));
    else
        bad_row(s, pos,
                "'%.60s' does not fit column '%s' (%s); a columns: hint sets "
                "another type",
                text, c->name, ob_column_type_name(c->type));
}

/* Fields beyond the header, allowing one empty field for a trailing
 * delimiter at the end of the line. */
static bool
row_fits(const struct ob_table *t, const struct ob_csv_record *rec)
{
    if (rec->n == t->n_columns)
        return true;
    return rec->n == t->n_columns + 1 && rec->fields[rec->n - 1].len == 0 &&
           !rec->fields[rec->n - 1].quoted;
}

static void
ragged_row(struct scan *s, const struct ob_csv_record *rec)
{
    struct ob_pos pos = {s->path, rec->line, 1};

    bad_row(s, &pos, "this row has %zu fields, the header has %zu", rec->n,
            s->t->n_columns);
}

/* Which columns type_row() parses, settled once a scan: not a string
 * column (its cell is its text, no call needed), nor one the projection
 * leaves as text; the time column always. */
static bool *
parsed_columns(const struct ob_table *t)
{
    bool *parse = ob_xcalloc(t->n_columns + 1, sizeof(*parse));
    size_t i;

    for (i = 0; i < t->n_columns; i++)
        parse[i] = t->columns[i].type != OB_COL_STRING &&
                   (!t->convert || t->convert[i] || (int)i == t->time_column);
    return parse;
}

/* Types every cell of a record; false (reported) when one does not fit. */
static bool
type_row(struct scan *s, const struct ob_csv_record *rec)
{
    struct ob_table *t = s->t;
    size_t i;

    for (i = 0; i < t->n_columns; i++) {
        const struct ob_csv_field *f = &rec->fields[i];
        const struct ob_column *c = &t->columns[i];
        struct ob_pos pos;
        char *text;

        s->raw[i] = f->ptr;
        s->raw_len[i] = f->len;
        if (!s->parse[i]) {
            s->values[i].type = f->len ? OB_VAL_STRING : OB_VAL_EMPTY;
            s->values[i].u.str.ptr = f->ptr;
            s->values[i].u.str.len = f->len;
            continue;
        }
        if (ob_value_parse_memo(f->ptr, f->len, c->type, &t->format,
                                &s->memos[i], &s->values[i]))
            continue;
        pos = field_pos(&s->f, s->path, f);
        text = ob_xstrndup(f->ptr, f->len > 60 ? 60 : f->len);
        misfit(s, &pos, text, c);
        free(text);
        return false;
    }
    return true;
}

/* Places a row in time; false for a row after `until`, to be ignored. A
 * date is its day's 00:00 in the site's zone. */
static bool
track_time(struct ob_table *t, const struct ob_value *v)
{
    int64_t when;

    if (v->type == OB_VAL_EMPTY) {
        t->untimed++;
        return true;
    }
    when = v->type == OB_VAL_DATE ? ob_tz_day_start(t->format.tz, v->u.date)
                                  : v->u.dt.seconds;
    if (when > t->until) {
        t->later++;
        return false;
    }
    if (!t->has_newest || when > t->newest)
        t->newest = when;
    t->has_newest = true;
    return true;
}

/* A typed row: placed in time, counted, checked and handed to the sink.
 * Returns false when the sink asked to stop. */
static bool
deliver(struct scan *s, uint32_t line)
{
    struct ob_table *t = s->t;
    struct ob_row row;

    s->file_rows++;
    if (t->time_column >= 0 && !track_time(t, &s->values[t->time_column]))
        return true;
    t->rows++;
    checks_row(&s->checks, t, s->raw_len, s->raw);
    if (!s->sink)
        return true;
    if (s->pipe)
        return pipe_push(s, s->rec);
    row.values = s->values;
    row.raw = s->raw;
    row.raw_len = s->raw_len;
    row.path = s->path;
    row.line = line;
    row.scan = s;
    if (s->sink->row(s->sink->ctx, &row)) {
        s->stopped = true;
        return false;
    }
    return true;
}

/* Streams one file's rows to the sink. Returns 0 at the end of the input,
 * 1 when the sink asked to stop, -1 when the reader failed. */
static int
scan_records(struct scan *s)
{
    struct ob_csv_record rec;
    int rc;

    for (rc = ob_csv_next(s->f.csv, s->d, &rec); rc > 0;
         rc = ob_csv_next(s->f.csv, s->d, &rec)) {
        if (!row_fits(s->t, &rec)) {
            ragged_row(s, &rec);
            continue;
        }
        s->rec = &rec;
        if (s->pipe && !pipe_slot(s, &rec))
            return 1;
        if (type_row(s, &rec) && !deliver(s, rec.line))
            return 1;
    }
    if (rc < 0)
        s->failed = true;
    return rc;
}

static enum ob_err
scan_file(struct scan *s, size_t k)
{
    struct ob_csv_record header;
    enum ob_err err;

    s->path = s->t->paths[k];
    s->file_rows = 0;
    err = csv_file_open(&s->f, s->t, s->path, s->t->delimiter, 0, s->d);
    if (err)
        return err;
    if (ob_csv_next(s->f.csv, s->d, &header) <= 0) {
        err = read_failure(&s->f);
        csv_file_close(&s->f);
        return err;
    }
    scan_records(s);
    if (s->failed && ob_input_env_failed(s->f.in))
        err = OB_ERR_ENV;
    if (!s->stopped && !s->failed && s->file_rows == 0) {
        struct ob_pos pos = {s->path, 0, 0};
        ob_diag_warning(s->d, &pos, "'%s' has a header but no rows", s->path);
    }
    csv_file_close(&s->f);
    return err;
}

/* Types the cells of one yaml row; false (reported) when one does not. */
static bool
type_yaml_row(struct scan *s, const struct ob_yaml_node *row)
{
    struct ob_table *t = s->t;
    size_t i;

    for (i = 0; i < t->n_columns; i++) {
        const struct ob_column *c = &t->columns[i];
        const struct ob_yaml_node *node;

        if (!yaml_cell(row, c->name, &s->raw[i], &s->raw_len[i], &node)) {
            bad_row(s, &node->pos, "expected a single value for '%s', got %s",
                    c->name, ob_yaml_kind_name(node));
            return false;
        }
        if (ob_value_parse_memo(s->raw[i], s->raw_len[i], c->type, &t->format,
                                &s->memos[i], &s->values[i]))
            continue;
        misfit(s, &node->pos, s->raw[i], c);
        return false;
    }
    return true;
}

static void
scan_yaml_file(struct scan *s, size_t k)
{
    const struct ob_yaml_node *doc = s->t->docs[k];
    size_t i;

    s->path = s->t->paths[k];
    s->file_rows = 0;
    for (i = 0; doc && i < doc->n && !s->stopped; i++) {
        const struct ob_yaml_node *row = doc->items[i];

        s->yaml_row = row;
        if (row->kind == OB_YAML_MAP && type_yaml_row(s, row))
            deliver(s, row->pos.line);
    }
    if (!s->stopped && s->file_rows == 0 && !s->failed) {
        struct ob_pos pos = {s->path, 0, 0};
        ob_diag_warning(s->d, &pos, "'%s' holds no rows", s->path);
    }
}

static enum ob_err scan_file_pieces(struct scan *s, size_t k,
                                    const struct ob_piece_sink *ps,
                                    unsigned jobs, bool *done);
static enum ob_err scan_file_piped(struct scan *s, size_t k, bool *done);

/* `piped`: with jobs > 1, a large file is read on a second thread while
 * this one hands its rows to `sink` (scan_file_piped()); a piece sink
 * implies it. */
static enum ob_err
scan_table(struct ob_table *t, struct ob_diag *d,
           const struct ob_row_sink *sink, const struct ob_piece_sink *ps,
           bool piped, unsigned jobs)
{
    struct scan s;
    enum ob_err err = OB_OK;
    size_t k;

    memset(&s, 0, sizeof(s));
    s.t = t;
    s.d = d;
    s.sink = sink;
    s.values = ob_xcalloc(t->n_columns + 1, sizeof(*s.values));
    s.raw = ob_xcalloc(t->n_columns + 1, sizeof(*s.raw));
    s.raw_len = ob_xcalloc(t->n_columns + 1, sizeof(*s.raw_len));
    s.memos = ob_xcalloc(t->n_columns + 1, sizeof(*s.memos));
    s.parse = parsed_columns(t);
    t->rows = t->skipped = t->untimed = t->later = 0;
    t->has_newest = false;
    checks_init(&s.checks, t);
    for (k = 0; k < t->n_paths && !err && !s.stopped; k++) {
        bool done = false;

        if (t->docs) {
            scan_yaml_file(&s, k);
            continue;
        }
        if (ps)
            err = scan_file_pieces(&s, k, ps, jobs, &done);
        if (!err && !done && (ps || piped) && jobs > 1)
            err = scan_file_piped(&s, k, &done);
        if (!err && !done)
            err = scan_file(&s, k);
    }
    checks_release(&s.checks, t);
    if (!err && s.failed)
        err = OB_ERR_INPUT;
    free(s.values);
    free(s.raw);
    free(s.raw_len);
    free(s.memos);
    free(s.parse);
    return err;
}

enum ob_err
ob_table_scan(struct ob_table *t, struct ob_diag *d,
              const struct ob_row_sink *sink)
{
    return scan_table(t, d, sink, NULL, false, 1);
}

enum ob_err
ob_table_scan_piped(struct ob_table *t, struct ob_diag *d,
                    const struct ob_row_sink *sink, unsigned jobs)
{
    return scan_table(t, d, sink, NULL, true, jobs ? jobs : 1);
}

enum ob_err
ob_table_scan_pieces(struct ob_table *t, struct ob_diag *d,
                     const struct ob_row_sink *sink,
                     const struct ob_piece_sink *pieces, unsigned jobs)
{
    return scan_table(t, d, sink, pieces, false, jobs ? jobs : 1);
}

/* ---- large files in pieces ----------------------------------------- */

/*
 * Piece i holds the records that start from the first line feed at or
 * after byte i * piece_size() up to where piece i + 1 starts; piece 0
 * starts the file and reads the header first. A cut that falls inside a
 * quoted field leaves the piece before it out of input inside that field:
 * the reader fails there. So a piece counts only when it and every piece
 * before it ended cleanly, and the file is read again, in one thread, from
 * the start of the first piece that did not, with the line numbers the
 * pieces before it counted. Any file thus reads as one scan would read
 * it; a plain export, whose line feeds all end records, reads in parallel.
 * Each piece checks its own text (UTF-8) and counts its own lines.
 */

/* What one piece found, kept until it is merged in file order. */
struct piece_state {
    uint64_t start, end;
    uint32_t lines; /* line ends read */
    void *ctx;
    struct ob_table shadow; /* its counters */
    struct ob_diag diag;
    bool done, clean, failed, io;
};

struct piece_run {
    struct scan *s;
    const struct ob_piece_sink *ps;
    struct piece_state *st;
    size_t n;
    size_t merged;       /* pieces merged or dropped, in file order */
    size_t cut;          /* the first piece that does not count; n: none */
    uint32_t line_shift; /* lines before the next piece to merge */
    pthread_mutex_t lock;
};

#define CUT_BLOCK (64 * 1024)

/* The offset after the first line feed at or after `at` (the file's size
 * when there is none), in *start; false when the file cannot be read. */
static bool
line_start_after(int fd, uint64_t at, uint64_t size, uint64_t *start)
{
    char buf[CUT_BLOCK];

    while (at < size) {
        ssize_t got = pread(fd, buf, sizeof(buf), (off_t)at);
        const char *nl;

        if (got <= 0)
            return false;
        nl = memchr(buf, '\n', (size_t)got);
        if (nl) {
            *start = at + (uint64_t)(nl - buf) + 1;
            return true;
        }
        at += (uint64_t)got;
    }
    *start = size;
    return true;
}

/* Places the cuts; false when the file must be read whole. */
static bool
cut_pieces(struct piece_run *run, int fd, uint64_t size, uint64_t piece_bytes)
{
    size_t i, n = (size_t)((size + piece_bytes - 1) / piece_bytes);

    run->st = ob_xcalloc(n, sizeof(*run->st));
    run->n = run->cut = n;
    for (i = 1; i < n; i++)
        if (!line_start_after(fd, i * piece_bytes, size, &run->st[i].start))
            return false;
    for (i = 0; i < n; i++)
        run->st[i].end = i + 1 < n ? run->st[i + 1].start : size;
    return true;
}

/* Reads st's bytes as records into a new state of the piece sink. A piece
 * that starts the file reads the header first. Another starts at line
 * `first_line`, or with 0 at a place not known yet: its positions are
 * then counted from line 1, and invalid text only fails it. */
static void
read_piece(struct piece_run *run, struct piece_state *st, uint32_t first_line)
{
    struct ob_table *t = run->s->t;
    struct ob_csv_options opt = {t->delimiter, 0, 0, 0, st->start};
    struct ob_csv_record header;
    struct ob_row_sink sink;
    struct scan s;
    enum ob_err err;
    int rc = -1;

    st->ctx = run->ps->begin(run->ps->ctx);
    sink.row = run->ps->row;
    sink.ctx = st->ctx;
    /* under the lock: merging an earlier piece writes t's counters */
    pthread_mutex_lock(&run->lock);
    st->shadow = *t;
    pthread_mutex_unlock(&run->lock);
    st->shadow.rows = st->shadow.skipped = 0;
    st->shadow.untimed = st->shadow.later = 0;
    st->shadow.has_newest = false;
    st->shadow.empty =
        ob_xcalloc(t->src->checks.n_not_empty + 1, sizeof(uint64_t));
    st->shadow.duplicates = ob_xcalloc(1, sizeof(uint64_t));
    ob_diag_init(&st->diag, run->s->d->max);
    memset(&s, 0, sizeof(s));
    s.t = &st->shadow;
    s.d = &st->diag;
    s.sink = &sink;
    s.path = run->s->path;
    s.values = ob_xcalloc(t->n_columns + 1, sizeof(*s.values));
    s.raw = ob_xcalloc(t->n_columns + 1, sizeof(*s.raw));
    s.raw_len = ob_xcalloc(t->n_columns + 1, sizeof(*s.raw_len));
    s.memos = ob_xcalloc(t->n_columns + 1, sizeof(*s.memos));
    s.parse = parsed_columns(t);
    checks_init(&s.checks, &st->shadow);
    if (st->start)
        opt.first_line = first_line ? first_line : 1;
    err = ob_input_open_range(&s.f.in, &st->diag, s.path, st->start, st->end,
                              first_line);
    if (!err) {
        struct ob_csv_input input = {ob_input_read, s.f.in};

        s.f.csv = ob_csv_open(s.path, &input, &opt);
        if (st->start || ob_csv_next(s.f.csv, &st->diag, &header) > 0)
            rc = scan_records(&s);
        st->lines = ob_csv_line(s.f.csv) - 1;
        st->io = ob_input_env_failed(s.f.in);
        csv_file_close(&s.f);
    }
    st->io = st->io || err == OB_ERR_ENV;
    st->clean = rc == 0;
    st->failed = s.failed || err;
    checks_release(&s.checks, &st->shadow);
    free(s.values);
    free(s.raw);
    free(s.raw_len);
    free(s.memos);
    free(s.parse);
}

static void
release_piece(struct piece_state *st)
{
    free(st->shadow.empty);
    free(st->shadow.duplicates);
    ob_diag_release(&st->diag);
}

/* Merges a piece into the scan: its rows (through the sink), counters and
 * diagnostics, moved down by `shift` lines. Called in file order. */
static void
merge_piece(struct piece_run *run, struct piece_state *st, uint32_t shift)
{
    struct ob_table *t = run->s->t, *sh = &st->shadow;
    size_t c;

    run->ps->end(run->ps->ctx, st->ctx, shift);
    t->rows += sh->rows;
    t->skipped += sh->skipped;
    t->untimed += sh->untimed;
    t->later += sh->later;
    if (sh->has_newest && (!t->has_newest || sh->newest > t->newest)) {
        t->newest = sh->newest;
        t->has_newest = true;
    }
    for (c = 0; c < t->src->checks.n_not_empty; c++)
        t->empty[c] += sh->empty[c];
    run->s->file_rows += sh->rows;
    ob_diag_shift_lines(&st->diag, shift);
    ob_diag_absorb(run->s->d, &st->diag);
    if (st->failed)
        run->s->failed = true;
    release_piece(st);
}

/* Merges, in file order, every piece that is read and counts, and drops
 * those after a piece that did not end cleanly. Under the lock. */
static void
settle_pieces(struct piece_run *run)
{
    for (; run->merged < run->n && run->st[run->merged].done; run->merged++) {
        struct piece_state *st = &run->st[run->merged];

        if (run->cut == run->n && !st->clean)
            run->cut = run->merged;
        if (run->merged < run->cut) {
            merge_piece(run, st, run->line_shift);
            run->line_shift += st->lines;
            continue;
        }
        if (st->ctx)
            run->ps->drop(run->ps->ctx, st->ctx);
        release_piece(st);
    }
}

static void
piece_item(void *arg, size_t i)
{
    struct piece_run *run = arg;
    bool wanted;

    pthread_mutex_lock(&run->lock);
    wanted = i < run->cut;
    pthread_mutex_unlock(&run->lock);
    if (wanted)
        read_piece(run, &run->st[i], 0);
    pthread_mutex_lock(&run->lock);
    run->st[i].done = true;
    settle_pieces(run);
    pthread_mutex_unlock(&run->lock);
}

/* Reads the file again from the first piece that did not count, in one
 * thread, with its exact line numbers. */
static bool
read_rest(struct piece_run *run, uint64_t size)
{
    struct piece_state rest;

    memset(&rest, 0, sizeof(rest));
    rest.start = run->st[run->cut].start;
    rest.end = size;
    read_piece(run, &rest, run->line_shift + 1);
    merge_piece(run, &rest, 0);
    return rest.io;
}

/* The size of a file's pieces: depends on nothing but its size and
 * piece_bytes, never on the threads, so neither do the results. */
static uint64_t
piece_size(const struct ob_table *t, uint64_t size)
{
    uint64_t bytes = size / OB_TABLE_PIECES;

    if (bytes < OB_TABLE_PIECE_MIN)
        bytes = OB_TABLE_PIECE_MIN;
    return bytes < t->piece_bytes ? bytes : t->piece_bytes;
}

static bool
piece_worthy(const struct scan *s, int fd, uint64_t size)
{
    const struct ob_table *t = s->t;
    unsigned char magic[2];

    return t->piece_bytes && size >= 2 * piece_size(t, size) &&
           t->src->encoding == OB_ENC_UTF8 && t->src->checks.n_unique == 0 &&
           t->delimiter && pread(fd, magic, 2, 0) == 2 &&
           !(magic[0] == 0x1f && magic[1] == 0x8b); /* not gzip */
}

/* Reads file k in pieces when it is large and plain; *done tells whether
 * it did (else the caller reads it whole). */
static enum ob_err
scan_file_pieces(struct scan *s, size_t k, const struct ob_piece_sink *ps,
                 unsigned jobs, bool *done)
{
    struct piece_run run;
    struct stat st;
    size_t i;
    bool io = false;
    int fd;

    memset(&run, 0, sizeof(run));
    s->path = s->t->paths[k];
    fd = open(s->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return OB_OK; /* the whole read reports it */
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        !piece_worthy(s, fd, (uint64_t)st.st_size) ||
        !cut_pieces(&run, fd, (uint64_t)st.st_size,
                    piece_size(s->t, (uint64_t)st.st_size))) {
        free(run.st);
        close(fd);
        return OB_OK;
    }
    close(fd);
    run.s = s;
    run.ps = ps;
    pthread_mutex_init(&run.lock, NULL);
    s->file_rows = 0;
    ob_pool_run(run.n, jobs, piece_item, &run);
    for (i = 0; i < run.cut; i++)
        io = io || run.st[i].io;
    if (run.cut < run.n)
        io = read_rest(&run, (uint64_t)st.st_size) || io;
    pthread_mutex_destroy(&run.lock);
    free(run.st);
    *done = true;
    return io ? OB_ERR_ENV : OB_OK;
}

/* ---- Reading and aggregating at once ------------------------------- */

/*
 * A file too small to be worth pieces, but large, is read by a second
 * thread, which splits and types its records into batches; the caller's
 * thread hands them to the sink in file order, so the sink sees exactly
 * the rows, in exactly the order, of a read in one thread (float sums
 * come out the same bits), while reading and aggregating overlap. The
 * reader does everything else a scan does (statistics, checks,
 * diagnostics); the sink must not report to the scan's sink.
 *
 * A batch keeps each record's text: its cells point into it, and
 * ob_row_cell_pos() counts characters over it. Memory stays flat: a few
 * batches of a few thousand cells go round.
 */
#define PIPE_CELLS   12288 /* a batch's cells: its rows, by the columns */
#define PIPE_MAX_ROW 2048
#define PIPE_TEXT    (256 * 1024)
#define PIPE_BATCHES 4
/* Files from piece_bytes / PIPE_SHARE bytes on are read this way. */
#define PIPE_SHARE 64

struct batch {
    _Alignas(64) size_t n;   /* rows, set when handed over */
    struct ob_value *values; /* rows of n_columns cells */
    const char **raw;
    size_t *raw_len;
    uint64_t *cell_off; /* each cell's offset in the input */
    uint32_t *line;     /* each row's first line */
    uint64_t *rec_off;  /* each record's offset in the input */
    size_t *rec_at;     /* where each record's text starts in `text` */
    char *text;
    size_t text_len, text_cap;
};

/* What each thread writes often lies on cache lines of its own. */
struct pipe {
    struct batch batches[PIPE_BATCHES];
    /* the reader's */
    _Alignas(64) struct batch *cur; /* the batch it fills */
    size_t n;                       /* its rows so far */
    size_t text_len;                /* its bytes of text so far */
    size_t n_columns;
    size_t rows; /* a batch's */
    /* shared, under the lock */
    _Alignas(64) size_t filled; /* batches handed over, in file order */
    size_t consumed;            /* batches delivered */
    bool done;                  /* the reader handed over its last batch */
    bool stop;                  /* the sink asked to stop */
    pthread_mutex_t lock;
    pthread_cond_t cond;
};

static void
batch_init(struct batch *b, size_t rows, size_t nc)
{
    memset(b, 0, sizeof(*b));
    b->values = ob_xcalloc(rows * nc + 1, sizeof(*b->values));
    b->raw = ob_xcalloc(rows * nc + 1, sizeof(*b->raw));
    b->raw_len = ob_xcalloc(rows * nc + 1, sizeof(*b->raw_len));
    b->cell_off = ob_xcalloc(rows * nc + 1, sizeof(*b->cell_off));
    b->line = ob_xcalloc(rows, sizeof(*b->line));
    b->rec_off = ob_xcalloc(rows, sizeof(*b->rec_off));
    b->rec_at = ob_xcalloc(rows, sizeof(*b->rec_at));
    b->text_cap = PIPE_TEXT;
    b->text = ob_xmalloc(b->text_cap);
}

static void
batch_release(struct batch *b)
{
    free(b->values);
    free(b->raw);
    free(b->raw_len);
    free(b->cell_off);
    free(b->line);
    free(b->rec_off);
    free(b->rec_at);
    free(b->text);
}

/* The reader hands the batch it filled over and takes the next one, once
 * the sink is done with it; false when the sink asked to stop. */
static bool
pipe_hand_over(struct pipe *pp)
{
    bool go_on;

    pp->cur->n = pp->n;
    pthread_mutex_lock(&pp->lock);
    pp->filled++;
    pthread_cond_broadcast(&pp->cond);
    while (pp->filled - pp->consumed >= PIPE_BATCHES && !pp->stop)
        pthread_cond_wait(&pp->cond, &pp->lock);
    go_on = !pp->stop;
    pthread_mutex_unlock(&pp->lock);
    pp->cur = &pp->batches[pp->filled % PIPE_BATCHES];
    pp->n = 0;
    pp->text_len = 0;
    return go_on;
}

/* Types the next record into the batch's next row, handing the batch over
 * first when the record's text may not fit (its cells, unescaped, take no
 * more than its text). False when the sink asked to stop. */
static bool
pipe_slot(struct scan *s, const struct ob_csv_record *rec)
{
    struct pipe *pp = s->pipe;
    struct batch *b = pp->cur;
    size_t need = 2 * rec->text_len, at;

    if (pp->text_len + need > b->text_cap && pp->n) {
        if (!pipe_hand_over(pp)) {
            s->stopped = true;
            return false;
        }
        b = pp->cur;
    }
    if (need > b->text_cap) { /* an empty batch: nothing points in yet */
        b->text_cap = need;
        b->text = ob_xrealloc(b->text, b->text_cap);
    }
    at = pp->n * pp->n_columns;
    s->values = b->values + at;
    s->raw = b->raw + at;
    s->raw_len = b->raw_len + at;
    return true;
}

/* Keeps the typed row: the record's text, the cells moved into it. */
static bool
pipe_push(struct scan *s, const struct ob_csv_record *rec)
{
    struct pipe *pp = s->pipe;
    struct batch *b = pp->cur;
    size_t nc = pp->n_columns, k = pp->n, i, len = pp->text_len;
    uintptr_t from = (uintptr_t)rec->text, to = from + rec->text_len;
    char *copy = b->text + len;

    memcpy(copy, rec->text, rec->text_len);
    b->rec_at[k] = len;
    len += rec->text_len;
    for (i = 0; i < nc; i++) {
        const struct ob_csv_field *f = &rec->fields[i];
        uintptr_t at = (uintptr_t)f->ptr;
        const char **raw = &b->raw[k * nc + i];

        if (at >= from && at + f->len <= to) {
            *raw = copy + (at - from);
        } else { /* unescaped apart from the text */
            memcpy(b->text + len, f->ptr, f->len);
            *raw = b->text + len;
            len += f->len;
        }
        if (b->values[k * nc + i].type == OB_VAL_STRING)
            b->values[k * nc + i].u.str.ptr = *raw;
        b->cell_off[k * nc + i] = f->offset;
    }
    b->line[k] = rec->line;
    b->rec_off[k] = rec->offset;
    pp->text_len = len;
    if (++pp->n == pp->rows && !pipe_hand_over(pp)) {
        s->stopped = true;
        return false;
    }
    return true;
}

/* The reader's last batch, and the end. */
static void
pipe_finish(struct pipe *pp)
{
    pp->cur->n = pp->n;
    pthread_mutex_lock(&pp->lock);
    if (pp->n)
        pp->filled++;
    pp->done = true;
    pthread_cond_broadcast(&pp->cond);
    pthread_mutex_unlock(&pp->lock);
}

/* Hands every batch's rows to the sink, in order, as they come. `view`
 * stands for the scan in ob_row_cell_pos(). */
static void
pipe_deliver(struct pipe *pp, struct scan *view, const struct ob_row_sink *sink)
{
    size_t nc = pp->n_columns, i;

    pthread_mutex_lock(&pp->lock);
    for (;;) {
        const struct batch *b;

        while (pp->consumed == pp->filled && !pp->done)
            pthread_cond_wait(&pp->cond, &pp->lock);
        if (pp->consumed == pp->filled)
            break;
        b = &pp->batches[pp->consumed % PIPE_BATCHES];
        pthread_mutex_unlock(&pp->lock);
        view->batch = b;
        for (i = 0; i < b->n && !pp->stop; i++) {
            struct ob_row row;

            row.values = b->values + i * nc;
            row.raw = b->raw + i * nc;
            row.raw_len = b->raw_len + i * nc;
            row.path = view->path;
            row.line = b->line[i];
            row.scan = view;
            view->batch_row = i;
            if (sink->row(sink->ctx, &row)) {
                pthread_mutex_lock(&pp->lock);
                pp->stop = true;
                pthread_mutex_unlock(&pp->lock);
            }
        }
        pthread_mutex_lock(&pp->lock);
        pp->consumed++;
        pthread_cond_broadcast(&pp->cond);
    }
    pthread_mutex_unlock(&pp->lock);
}

struct pipe_reader {
    struct scan *s;
    size_t k;
    enum ob_err err;
};

static void *
pipe_read(void *arg)
{
    struct pipe_reader *r = arg;

    r->err = scan_file(r->s, r->k);
    pipe_finish(r->s->pipe);
    return NULL;
}

/* Reads file k on a second thread while this one delivers its rows, when
 * it is large enough; *done tells whether it did. */
static enum ob_err
scan_file_piped(struct scan *s, size_t k, bool *done)
{
    struct ob_table *t = s->t;
    struct pipe_reader reader = {s, k, OB_OK};
    struct ob_value *values = s->values;
    const char **raw = s->raw;
    size_t *raw_len = s->raw_len, i;
    struct scan view;
    struct pipe pp;
    struct stat st;
    pthread_t thread;

    if (!s->sink || !t->piece_bytes || stat(t->paths[k], &st) != 0 ||
        (uint64_t)st.st_size < t->piece_bytes / PIPE_SHARE)
        return OB_OK;
    memset(&pp, 0, sizeof(pp));
    pp.n_columns = t->n_columns;
    pp.rows = PIPE_CELLS / (t->n_columns + 1);
    if (pp.rows > PIPE_MAX_ROW)
        pp.rows = PIPE_MAX_ROW;
    if (pp.rows < 16)
        pp.rows = 16;
    for (i = 0; i < PIPE_BATCHES; i++)
        batch_init(&pp.batches[i], pp.rows, t->n_columns);
    pp.cur = &pp.batches[0];
    pthread_mutex_init(&pp.lock, NULL);
    pthread_cond_init(&pp.cond, NULL);
    view = *s;
    view.path = t->paths[k];
    view.rec = NULL;
    view.yaml_row = NULL;
    s->pipe = &pp;
    if (pthread_create(&thread, NULL, pipe_read, &reader) == 0) {
        pipe_deliver(&pp, &view, s->sink);
        pthread_join(thread, NULL);
        *done = true;
    }
    s->pipe = NULL;
    s->rec = NULL;
    s->values = values;
    s->raw = raw;
    s->raw_len = raw_len;
    if (pp.stop)
        s->stopped = true;
    pthread_cond_destroy(&pp.cond);
    pthread_mutex_destroy(&pp.lock);
    for (i = 0; i < PIPE_BATCHES; i++)
        batch_release(&pp.batches[i]);
    return reader.err;
}

int64_t
ob_table_staleness(const struct ob_table *t, int64_t end)
{
    int64_t age;

    if (!t->src->stale_after || !t->has_newest)
        return 0;
    age = end - t->newest;
    return age > t->src->stale_after ? age : 0;
}

struct ob_pos
ob_row_cell_pos(const struct ob_row *row, size_t column)
{
    const struct scan *s = row->scan;
    struct ob_pos pos = {row->path, row->line, 1};
    const struct ob_yaml_node *node;

    if (s->batch && column < s->t->n_columns) {
        const struct batch *b = s->batch;
        size_t r = s->batch_row, nc = s->t->n_columns;

        ob_text_position(b->text + b->rec_at[r],
                         (size_t)(b->cell_off[r * nc + column] - b->rec_off[r]),
                         b->line[r], &pos.line, &pos.col);
        return pos;
    }
    if (s->rec && column < s->rec->n)
        return field_pos(&s->f, s->path, &s->rec->fields[column]);
    if (s->yaml_row) {
        node = ob_yaml_get(s->yaml_row, s->t->columns[column].name);
        return node ? node->pos : s->yaml_row->pos;
    }
    return pos;
}
