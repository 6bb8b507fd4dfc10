/* test_watch.c: which changes the inotify watch reports, in a temp site. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opsbook/fs.h"
#include "runner.h"

static const char *const names[] = {"content", "data", "opsbook.yaml", NULL};

/* inotify queues an event while the write happens: no waiting needed. */
static void
write_file(const char *path)
{
    OB_CHECK(ob_test_write_file(path, "x\n"));
}

static void
test_watch(void)
{
    struct ob_watch *w;

    OB_CHECK(mkdir("content", 0777) == 0);
    OB_CHECK(mkdir("content/a", 0777) == 0);
    OB_CHECK(mkdir("content/a/b", 0777) == 0);
    OB_CHECK(mkdir("outside", 0777) == 0);
    w = ob_watch_new(names);
    OB_CHECK(w != NULL);
    if (!w)
        return;
    OB_CHECK(ob_watch_fd(w) >= 0);
    OB_CHECK(!ob_watch_read(w)); /* nothing yet */

    write_file("content/a/b/page.md");
    OB_CHECK(ob_watch_read(w)); /* deep in a tree there at the start */
    write_file("notes.txt");
    OB_CHECK(!ob_watch_read(w)); /* the root's other files */
    write_file("opsbook.yaml");
    OB_CHECK(ob_watch_read(w));

    OB_CHECK(mkdir("content/new", 0777) == 0);
    OB_CHECK(ob_watch_read(w));
    write_file("content/new/x.md");
    OB_CHECK(ob_watch_read(w)); /* a folder made later is watched */

    OB_CHECK(mkdir("content/d1", 0777) == 0);
    OB_CHECK(mkdir("content/d1/d2", 0777) == 0); /* before the read */
    OB_CHECK(ob_watch_read(w));
    write_file("content/d1/d2/y.md");
    OB_CHECK(ob_watch_read(w)); /* and what it held when first seen */

    OB_CHECK(mkdir("data", 0777) == 0); /* a watched name, made later */
    OB_CHECK(ob_watch_read(w));
    write_file("data/x.csv");
    OB_CHECK(ob_watch_read(w));

    OB_CHECK(rename("content/new", "content/moved") == 0);
    OB_CHECK(ob_watch_read(w));
    write_file("content/moved/z.md");
    OB_CHECK(ob_watch_read(w)); /* renamed within: still watched */

    OB_CHECK(rename("content/moved", "outside/gone") == 0);
    OB_CHECK(ob_watch_read(w)); /* moved away: a change */
    write_file("outside/gone/w.md");
    OB_CHECK(!ob_watch_read(w)); /* and no longer watched */

    OB_CHECK(symlink("../outside", "content/link") == 0);
    OB_CHECK(ob_watch_read(w));
    write_file("outside/v.md");
    OB_CHECK(!ob_watch_read(w)); /* symlinked folders are not followed */

    OB_CHECK(unlink("content/a/b/page.md") == 0);
    OB_CHECK(ob_watch_read(w));
    ob_watch_free(w);
    ob_watch_free(NULL);
}

int
main(void)
{
    char dir[] = "/tmp/opsbook-test-watch.XXXXXX";
    char *cwd = getcwd(NULL, 0);

    if (!mkdtemp(dir) || chdir(dir) != 0) {
        perror("test_watch");
        return 1;
    }
    OB_RUN(test_watch);
    if (cwd && chdir(cwd) != 0)
        perror("test_watch");
    ob_fs_remove_tree(dir);
    free(cwd);
    return OB_TEST_DONE();
}
