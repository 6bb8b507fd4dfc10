/* test_output.c: incremental output trees (issue #12): files reused from
 * the spare or linked from OUT, never written through; what callers that
 * skip a page ask (reusable, reuse); claimed files; abort. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <fcntl.h>

#include "opsbook/fs.h"
#include "opsbook/hash.h"
#include "output_int.h"
#include "runner.h"

static char root[64];
static struct ob_diag diag;

static const char *
at(const char *rel)
{
    static char path[256];

    snprintf(path, sizeof path, "%s/%s", root, rel);
    return path;
}

static long
ino_of(const char *rel)
{
    struct stat st;

    return stat(at(rel), &st) == 0 ? (long)st.st_ino : -1;
}

static const char *
text_of(const char *rel)
{
    static char text[256];
    FILE *f = fopen(at(rel), "r");
    size_t n;

    if (!f)
        return NULL;
    n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

static bool
exists(const char *rel)
{
    struct stat st;

    return lstat(at(rel), &st) == 0;
}

static void
begin(struct ob_output *o)
{
    OB_CHECK_INT(ob_output_begin(o, &diag, "out", root), OB_OK);
}

static void
put(struct ob_output *o, const char *rel, const char *text)
{
    OB_CHECK_INT(ob_output_write(o, &diag, rel, text, strlen(text)), OB_OK);
}

static uint64_t
hash_of(const char *text)
{
    return ob_hash(text, strlen(text));
}

/* No ".out.tmp-*" folder beside OUT. */
static bool
no_tmp_left(void)
{
    struct ob_fs_entry *e;
    struct ob_arena a;
    size_t n, i;
    bool clean = true;

    ob_arena_init(&a);
    if (ob_fs_list(&diag, root, &a, &e, &n) != OB_OK)
        clean = false;
    for (i = 0; clean && i < n; i++)
        clean = strncmp(e[i].name, ".out.tmp-", 9) != 0;
    ob_arena_release(&a);
    return clean;
}

static void
test_builds(void)
{
    struct ob_output o;
    struct ob_arena a;
    const char *claimed;
    long a1, c2;
    FILE *f;

    ob_arena_init(&a);
    /* 1: a clean build */
    begin(&o);
    put(&o, "a.html", "A");
    put(&o, "b/c.html", "C");
    claimed = ob_output_claim(&o, &diag, "r/x.bin", &a);
    OB_CHECK(claimed != NULL);
    f = claimed ? fopen(claimed, "wb") : NULL;
    OB_CHECK(f != NULL);
    if (f) {
        fputs("X", f);
        fclose(f);
    }
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);
    OB_CHECK_STR(text_of("out/a.html"), "A");
    OB_CHECK_STR(text_of("out/r/x.bin"), "X");
    OB_CHECK(exists(".out.opsbook-cache/outputs"));
    a1 = ino_of("out/a.html");

    /* 2: a.html reused as it is, c.html changed, r/ no longer made */
    begin(&o);
    OB_CHECK(ob_output_reusable(&o, "a.html", hash_of("A")));
    OB_CHECK(!ob_output_reusable(&o, "a.html", hash_of("B")));
    OB_CHECK(!ob_output_reusable(&o, "r/x.bin", hash_of("X")));
    OB_CHECK(!ob_output_reusable(&o, "nope.html", hash_of("A")));
    OB_CHECK_INT(ob_output_reuse(&o, &diag, "a.html"), OB_OK);
    put(&o, "b/c.html", "C2");
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);
    OB_CHECK_INT(ino_of("out/a.html"), a1);
    OB_CHECK_STR(text_of("out/b/c.html"), "C2");
    OB_CHECK(!exists("out/r"));
    /* the old tree is the spare, as it was */
    OB_CHECK_STR(text_of(".out.opsbook-cache/tree/b/c.html"), "C");
    OB_CHECK_STR(text_of(".out.opsbook-cache/tree/r/x.bin"), "X");
    c2 = ino_of("out/b/c.html");

    /* 3: the spare's a.html and OUT's c.html; a write of the same bytes
     * is no write */
    begin(&o);
    OB_CHECK(ob_output_reusable(&o, "a.html", hash_of("A")));
    OB_CHECK(ob_output_reusable(&o, "b/c.html", hash_of("C2")));
    OB_CHECK(!ob_output_reusable(&o, "b/c.html", hash_of("C")));
    OB_CHECK_INT(ob_output_reuse(&o, &diag, "a.html"), OB_OK);
    put(&o, "b/c.html", "C2");
    put(&o, "new.html", "N");
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);
    OB_CHECK_INT(ino_of("out/a.html"), a1);
    OB_CHECK_INT(ino_of("out/b/c.html"), c2);
    OB_CHECK_STR(text_of("out/new.html"), "N");

    /* 4: a page changed back to older bytes: a new file, though the work
     * tree's was OUT's too (a hard link); OUT untouched until the swap */
    begin(&o);
    put(&o, "a.html", "A");
    put(&o, "b/c.html", "C");
    OB_CHECK_STR(text_of("out/b/c.html"), "C2");
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);
    OB_CHECK_STR(text_of("out/b/c.html"), "C");
    OB_CHECK(!exists("out/new.html"));
    OB_CHECK_STR(text_of(".out.opsbook-cache/tree/b/c.html"), "C2");
    OB_CHECK(no_tmp_left());
    ob_arena_release(&a);
}

/* A file made by path after ob_output_claim() (as libxlsxwriter makes a
 * workbook), told complete with ob_output_claimed() when `tell`. */
static void
make_claimed(struct ob_output *o, struct ob_arena *a, const char *rel,
             const char *text, bool tell, const uint64_t *hash)
{
    const char *path = ob_output_claim(o, &diag, rel, a);
    FILE *f = path ? fopen(path, "wb") : NULL;

    OB_CHECK(f != NULL);
    if (!f)
        return;
    fputs(text, f);
    fclose(f);
    if (tell)
        OB_CHECK_INT(ob_output_claimed(o, &diag, rel, hash), OB_OK);
}

/* A claimed file's bytes are unknown until told: then a later build may
 * keep it (ob_output_unchanged(), for files whose inputs the caller knows
 * are unchanged), unless OUT's copy was edited by hand. */
static void
test_claimed(void)
{
    struct ob_output o;
    struct ob_arena a;
    uint64_t h = hash_of("W2");
    long w;
    FILE *f;

    ob_arena_init(&a);
    begin(&o);
    make_claimed(&o, &a, "r/w.xlsx", "W1", false, NULL);
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);
    begin(&o);
    OB_CHECK(!ob_output_unchanged(&o, "r/w.xlsx"));
    OB_CHECK(!ob_output_reusable(&o, "r/w.xlsx", hash_of("W1")));
    make_claimed(&o, &a, "r/w.xlsx", "W1", true, NULL);
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);
    w = ino_of("out/r/w.xlsx");

    /* told: read back and hashed */
    begin(&o);
    OB_CHECK(ob_output_unchanged(&o, "r/w.xlsx"));
    OB_CHECK(ob_output_reusable(&o, "r/w.xlsx", hash_of("W1")));
    OB_CHECK(!ob_output_unchanged(&o, "nope.xlsx"));
    OB_CHECK_INT(ob_output_reuse(&o, &diag, "r/w.xlsx"), OB_OK);
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);
    OB_CHECK_INT(ino_of("out/r/w.xlsx"), w);
    OB_CHECK_STR(text_of("out/r/w.xlsx"), "W1");

    /* told with the caller's hash */
    begin(&o);
    make_claimed(&o, &a, "r/w.xlsx", "W2", true, &h);
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);
    begin(&o);
    OB_CHECK(ob_output_unchanged(&o, "r/w.xlsx"));
    OB_CHECK(ob_output_reusable(&o, "r/w.xlsx", hash_of("W2")));
    OB_CHECK_INT(ob_output_reuse(&o, &diag, "r/w.xlsx"), OB_OK);
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);

    /* edited by hand in OUT: not the last build's any more */
    f = fopen(at("out/r/w.xlsx"), "a");
    OB_CHECK(f != NULL);
    if (f) {
        fputs("!", f);
        fclose(f);
    }
    begin(&o);
    OB_CHECK(!ob_output_unchanged(&o, "r/w.xlsx"));
    make_claimed(&o, &a, "r/w.xlsx", "W2", true, NULL);
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);
    OB_CHECK_STR(text_of("out/r/w.xlsx"), "W2");

    /* a claimed file gone before it was told: an error, reported */
    begin(&o);
    OB_CHECK(ob_output_claim(&o, &diag, "r/gone.xlsx", &a) != NULL);
    OB_CHECK_INT(ob_output_claimed(&o, &diag, "r/gone.xlsx", NULL), OB_ERR_ENV);
    ob_output_abort(&o);
    OB_CHECK(no_tmp_left());
    ob_arena_release(&a);
    ob_fs_remove_tree(at("out"));
    ob_fs_remove_tree(at(".out.opsbook-cache"));
}

static void
test_abort_and_hand_edits(void)
{
    struct ob_output o;
    FILE *f;

    /* an aborted build leaves OUT, takes the spare with it */
    begin(&o);
    put(&o, "a.html", "changed");
    ob_output_abort(&o);
    OB_CHECK_STR(text_of("out/a.html"), "A");
    OB_CHECK(!exists(".out.opsbook-cache/tree"));
    OB_CHECK(no_tmp_left());

    /* OUT edited by hand: that file is not reusable any more */
    f = fopen(at("out/a.html"), "a");
    OB_CHECK(f != NULL);
    if (f) {
        fputs("!", f);
        fclose(f);
    }
    begin(&o);
    OB_CHECK(!ob_output_reusable(&o, "a.html", hash_of("A")));
    OB_CHECK(!ob_output_reusable(&o, "a.html", hash_of("A!")));
    OB_CHECK(ob_output_reusable(&o, "b/c.html", hash_of("C")));
    OB_CHECK_INT(ob_output_reuse(&o, &diag, "b/c.html"), OB_OK);
    OB_CHECK_INT(ob_output_reuse(&o, &diag, "a.html"), OB_ERR_ENV);
    put(&o, "a.html", "A");
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);
    OB_CHECK_STR(text_of("out/a.html"), "A");
    OB_CHECK_STR(text_of("out/b/c.html"), "C");
}

static void
test_copies(void)
{
    struct ob_output o;
    char src[128];
    long ino;

    snprintf(src, sizeof src, "%s/src.txt", root);
    OB_CHECK(ob_test_write_file(src, "static"));
    begin(&o);
    OB_CHECK_INT(ob_output_copy(&o, &diag, "s/src.txt", src), OB_OK);
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);
    ino = ino_of("out/s/src.txt");
    OB_CHECK_STR(text_of("out/s/src.txt"), "static");
    /* the same source: the same file; its bytes hashed for reuse */
    begin(&o);
    OB_CHECK(ob_output_reusable(&o, "s/src.txt", hash_of("static")));
    OB_CHECK_INT(ob_output_copy(&o, &diag, "s/src.txt", src), OB_OK);
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);
    OB_CHECK_INT(ino_of("out/s/src.txt"), ino);
    /* a source replaced: copied again */
    OB_CHECK(ob_test_write_file(src, "static, changed"));
    begin(&o);
    OB_CHECK_INT(ob_output_copy(&o, &diag, "s/src.txt", src), OB_OK);
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);
    OB_CHECK_STR(text_of("out/s/src.txt"), "static, changed");
    /* a missing source is an error */
    begin(&o);
    OB_CHECK_INT(ob_output_copy(&o, &diag, "s/none.txt", at("none")),
                 OB_ERR_ENV);
    ob_output_abort(&o);
}

static void
test_discard(void)
{
    struct ob_output o;
    struct ob_arena a;

    ob_arena_init(&a);
    ob_output_discard(&o);
    OB_CHECK(!ob_output_reusable(&o, "a.html", hash_of("A")));
    OB_CHECK_INT(ob_output_write(&o, &diag, "a.html", "A", 1), OB_OK);
    OB_CHECK(ob_output_claim(&o, &diag, "r/x.bin", &a) == NULL);
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);
    ob_arena_release(&a);
}

/* A cache file still being made when it is kept. */
struct later {
    int calls, with_data;
};

static void
finish_later(void *ctx, struct ob_buf *data)
{
    struct later *l = ctx;

    l->calls++;
    if (data) {
        l->with_data++;
        ob_buf_puts(data, "made later");
    }
}

/* A cache file kept before its bytes exist: a commit asks for them once
 * OUT is in place and writes them; an output that keeps nothing (aborted,
 * discarding) lets its maker free them, once, and writes nothing. */
static void
test_keep_later(void)
{
    struct later committed = {0, 0}, aborted = {0, 0}, discarded = {0, 0};
    struct ob_output o;

    begin(&o);
    put(&o, "a.html", "A");
    ob_output_keep_later(&o, "later", finish_later, &committed);
    OB_CHECK_INT(committed.calls, 0);
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);
    OB_CHECK_INT(committed.calls, 1);
    OB_CHECK_INT(committed.with_data, 1);
    OB_CHECK_STR(text_of(".out.opsbook-cache/later"), "made later");

    begin(&o);
    put(&o, "a.html", "A2");
    ob_output_keep_later(&o, "later2", finish_later, &aborted);
    ob_output_abort(&o);
    OB_CHECK_INT(aborted.calls, 1);
    OB_CHECK_INT(aborted.with_data, 0);
    OB_CHECK(!exists(".out.opsbook-cache/later2"));
    OB_CHECK_STR(text_of("out/a.html"), "A");

    ob_output_discard(&o);
    ob_output_keep_later(&o, "later3", finish_later, &discarded);
    OB_CHECK_INT(discarded.calls, 1);
    OB_CHECK_INT(discarded.with_data, 0);
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);
    OB_CHECK_INT(discarded.calls, 1);
}

static long
mtime_ns_of(const char *rel)
{
    struct stat st;

    return stat(at(rel), &st) == 0
               ? (long)st.st_mtim.tv_sec * 1000000000L + st.st_mtim.tv_nsec
               : -1;
}

/* A cache file kept as it is stays untouched, its delta with it; a file
 * neither kept nor kept as is goes. */
static void
test_keep_as_is(void)
{
    struct ob_output o;
    struct ob_buf data = OB_BUF_INIT;
    long ino, mtime, delta_ino;
    FILE *f;

    begin(&o);
    put(&o, "a.html", "A");
    ob_buf_puts(&data, "the index");
    ob_output_keep(&o, "index", &data);
    ob_buf_puts(&data, "other");
    ob_output_keep(&o, "other", &data);
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);
    OB_CHECK_STR(text_of(".out.opsbook-cache/index"), "the index");
    f = fopen(at(".out.opsbook-cache/index.delta"), "w");
    OB_CHECK(f != NULL);
    if (f) {
        fputs("a delta", f);
        fclose(f);
    }
    ino = ino_of(".out.opsbook-cache/index");
    mtime = mtime_ns_of(".out.opsbook-cache/index");
    delta_ino = ino_of(".out.opsbook-cache/index.delta");
    /* a rewrite would show in the mtime */
    nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);

    begin(&o);
    put(&o, "a.html", "A2");
    ob_output_keep_as_is(&o, "index");
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);
    OB_CHECK_STR(text_of(".out.opsbook-cache/index"), "the index");
    OB_CHECK_INT(ino_of(".out.opsbook-cache/index"), ino);
    OB_CHECK(mtime_ns_of(".out.opsbook-cache/index") == mtime);
    OB_CHECK_INT(ino_of(".out.opsbook-cache/index.delta"), delta_ino);
    OB_CHECK_STR(text_of(".out.opsbook-cache/index.delta"), "a delta");
    OB_CHECK(!exists(".out.opsbook-cache/other"));

    begin(&o);
    put(&o, "a.html", "A3");
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);
    OB_CHECK(!exists(".out.opsbook-cache/index"));
    OB_CHECK(!exists(".out.opsbook-cache/index.delta"));

    ob_output_discard(&o);
    ob_output_keep_as_is(&o, "index"); /* keeps nothing: nothing to do */
    OB_CHECK_INT(ob_output_commit(&o, &diag), OB_OK);
    ob_buf_release(&data);
}

static void
make_file(const char *rel)
{
    FILE *f = fopen(at(rel), "w");

    OB_CHECK(f != NULL);
    if (f)
        fclose(f);
}

static void
keep_path(struct ob_manifest *m, const char *path)
{
    struct ob_entry e;

    memset(&e, 0, sizeof e);
    e.path = path;
    ob_manifest_put(m, &e);
}

/* A pruning walk reads again only the folders the build touched; the
 * others come from the sanitizing walk's snapshot, which lists what was
 * there then. */
static void
test_snapshot_prune(void)
{
    static const char *const folders[] = {"t",   "t/a", "t/b",
                                          "t/c", "t/d", "t/d/e"};
    static const char *const files[] = {"t/a/x.html",   "t/a/y.html",
                                        "t/b/z.html",   "t/c/old.html",
                                        "t/d/e/f.html", "t/top.html"};
    struct ob_tree_snap snap;
    struct ob_manifest keep;
    size_t i;
    int dfd;

    for (i = 0; i < sizeof folders / sizeof *folders; i++)
        OB_CHECK_INT(mkdir(at(folders[i]), 0777), 0);
    for (i = 0; i < sizeof files / sizeof *files; i++)
        make_file(files[i]);
    OB_CHECK_INT(symlink("/etc", at("t/a/link")), 0);
    dfd = open(at("t"), O_RDONLY | O_DIRECTORY);
    ob_tree_snap_init(&snap);
    OB_CHECK_INT(ob_tree_walk(dfd, OB_WALK_SANITIZE, NULL, &snap), 0);
    OB_CHECK(!exists("t/a/link"));

    /* what changes after the snapshot, as a build changes the tree */
    make_file("t/a/stray.html"); /* unannounced, in a folder not touched */
    ob_tree_snap_touch(&snap, "b/new.html");
    make_file("t/b/stray.html");
    ob_tree_snap_touch(&snap, "d"); /* a folder: all that is in it too */
    make_file("t/d/e/stray.html");
    ob_tree_snap_touch(&snap, "top.html"); /* a file becomes a folder */
    OB_CHECK_INT(unlink(at("t/top.html")), 0);
    ob_tree_snap_touch_parents(&snap, "top.html/index.html");
    OB_CHECK_INT(mkdir(at("t/top.html"), 0777), 0);
    make_file("t/top.html/index.html");

    ob_manifest_init(&keep);
    keep_path(&keep, "a/x.html");
    keep_path(&keep, "b/z.html");
    keep_path(&keep, "d/e/f.html");
    keep_path(&keep, "top.html/index.html");
    OB_CHECK_INT(ob_tree_walk(dfd, OB_WALK_PRUNE, &keep, &snap), 0);
    OB_CHECK(exists("t/a/x.html"));
    OB_CHECK(!exists("t/a/y.html"));    /* listed, not kept */
    OB_CHECK(exists("t/a/stray.html")); /* never listed, never read */
    OB_CHECK(exists("t/b/z.html"));
    OB_CHECK(!exists("t/b/stray.html")); /* b/ was read again */
    OB_CHECK(!exists("t/c"));            /* emptied, removed */
    OB_CHECK(exists("t/d/e/f.html"));
    OB_CHECK(!exists("t/d/e/stray.html"));
    OB_CHECK(exists("t/top.html/index.html"));

    /* without a snapshot, every folder is read */
    OB_CHECK_INT(ob_tree_walk(dfd, OB_WALK_PRUNE, &keep, NULL), 0);
    OB_CHECK(!exists("t/a/stray.html"));
    ob_manifest_release(&keep);
    ob_tree_snap_release(&snap);
    close(dfd);
    ob_fs_remove_tree(at("t"));
}

int
main(void)
{
    const char *tmp = getenv("TMPDIR");

    snprintf(root, sizeof root, "%s/opsbook-output.XXXXXX",
             tmp && *tmp && strlen(tmp) < 30 ? tmp : "/tmp");
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    ob_diag_init(&diag, 100);
    OB_RUN(test_builds);
    OB_RUN(test_abort_and_hand_edits);
    OB_RUN(test_copies);
    OB_RUN(test_discard);
    OB_RUN(test_keep_later);
    OB_RUN(test_keep_as_is);
    OB_RUN(test_snapshot_prune);
    OB_RUN(test_claimed);
    ob_diag_release(&diag);
    ob_fs_remove_tree(root);
    return OB_TEST_DONE();
}
