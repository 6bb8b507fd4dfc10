/* test_webfile.c: request paths, content types, the reload script, events. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/webfile.h"

#include <string.h>

#include "opsbook/buf.h"
#include "runner.h"

static void
check_path(const char *raw, size_t len, enum ob_webfile_path want,
           const char *want_path, bool want_dir)
{
    struct ob_buf out = OB_BUF_INIT;
    bool dir = !want_dir;
    enum ob_webfile_path got = ob_webfile_path(raw, len, &out, &dir);

    OB_CHECK_INT(got, want);
    if (got == OB_WEBFILE_OK) {
        OB_CHECK_STR(out.ptr, want_path);
        OB_CHECK_INT(dir, want_dir);
    }
    if (got != want || (want_path && strcmp(out.ptr, want_path) != 0))
        fprintf(stderr, "  for '%.*s'\n", (int)len, raw);
    ob_buf_release(&out);
}

#define PATH(raw, want, path, dir) check_path(raw, strlen(raw), want, path, dir)

static void
test_paths(void)
{
    PATH("/", OB_WEBFILE_OK, "", true);
    PATH("/index.html", OB_WEBFILE_OK, "index.html", false);
    PATH("/process/", OB_WEBFILE_OK, "process", true);
    PATH("/process", OB_WEBFILE_OK, "process", false);
    PATH("//etc/passwd", OB_WEBFILE_OK, "etc/passwd", false);
    PATH("/a//b///c", OB_WEBFILE_OK, "a/b/c", false);
    PATH("/%2Fetc%2Fpasswd", OB_WEBFILE_OK, "etc/passwd", false);
    PATH("/caf%C3%A9%20menu.html", OB_WEBFILE_OK, "caf\xc3\xa9 menu.html",
         false);
    PATH("/...html", OB_WEBFILE_OK, "...html", false);
    PATH("/.well-known/x", OB_WEBFILE_OK, ".well-known/x", false);
    PATH("/a%2e%2e", OB_WEBFILE_OK, "a..", false);
    /* escapes, however written */
    PATH("/..", OB_WEBFILE_FORBIDDEN, NULL, false);
    PATH("/../etc/passwd", OB_WEBFILE_FORBIDDEN, NULL, false);
    PATH("/a/../../etc", OB_WEBFILE_FORBIDDEN, NULL, false);
    PATH("/%2e%2e/etc", OB_WEBFILE_FORBIDDEN, NULL, false);
    PATH("/%2E%2e%2Fetc", OB_WEBFILE_FORBIDDEN, NULL, false);
    PATH("/a/..%2F..%2Fetc", OB_WEBFILE_FORBIDDEN, NULL, false);
    PATH("/.%2e/", OB_WEBFILE_FORBIDDEN, NULL, false);
    PATH("/./a", OB_WEBFILE_FORBIDDEN, NULL, false);
    PATH("/a/.", OB_WEBFILE_FORBIDDEN, NULL, false);
    PATH("/a%00.html", OB_WEBFILE_FORBIDDEN, NULL, false);
    PATH("/..%5Cetc", OB_WEBFILE_FORBIDDEN, NULL, false);
    PATH("/a\\b", OB_WEBFILE_FORBIDDEN, NULL, false);
    check_path("/a\0b", 4, OB_WEBFILE_FORBIDDEN, NULL, false);
    /* not paths */
    PATH("", OB_WEBFILE_BAD, NULL, false);
    PATH("index.html", OB_WEBFILE_BAD, NULL, false);
    PATH("../etc", OB_WEBFILE_BAD, NULL, false);
    PATH("http://x/a", OB_WEBFILE_BAD, NULL, false);
    PATH("/a%zz", OB_WEBFILE_BAD, NULL, false);
    PATH("/a%2", OB_WEBFILE_BAD, NULL, false);
    PATH("/a%", OB_WEBFILE_BAD, NULL, false);
}

static void
test_types(void)
{
    OB_CHECK_STR(ob_webfile_type("index.html"), "text/html; charset=utf-8");
    OB_CHECK_STR(ob_webfile_type("a/b/INDEX.HTM"), "text/html; charset=utf-8");
    OB_CHECK_STR(ob_webfile_type("assets/opsbook.css"),
                 "text/css; charset=utf-8");
    OB_CHECK_STR(ob_webfile_type("x.js"), "text/javascript; charset=utf-8");
    OB_CHECK_STR(ob_webfile_type("c.svg"), "image/svg+xml");
    OB_CHECK_STR(ob_webfile_type("c.png"), "image/png");
    OB_CHECK_STR(ob_webfile_type("k.json"), "application/json");
    OB_CHECK_STR(ob_webfile_type("k.csv"), "text/csv; charset=utf-8");
    OB_CHECK_STR(ob_webfile_type("r.xlsx"),
                 "application/"
                 "vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    OB_CHECK_STR(ob_webfile_type("r.eml"), "message/rfc822");
    OB_CHECK_STR(ob_webfile_type("f.woff2"), "font/woff2");
    OB_CHECK_STR(ob_webfile_type("favicon.ico"), "image/vnd.microsoft.icon");
    OB_CHECK_STR(ob_webfile_type("s.xml"), "application/xml");
    OB_CHECK_STR(ob_webfile_type("noext"), "application/octet-stream");
    OB_CHECK_STR(ob_webfile_type("dir.html/noext"), "application/octet-stream");
    OB_CHECK_STR(ob_webfile_type("trailing."), "application/octet-stream");
    OB_CHECK_STR(ob_webfile_type("x.unknown"), "application/octet-stream");
    OB_CHECK(ob_webfile_is_html(ob_webfile_type("a.html")));
    OB_CHECK(!ob_webfile_is_html(ob_webfile_type("a.svg")));
}

static void
test_inject(void)
{
    struct ob_buf b = OB_BUF_INIT;
    const char *at;

    ob_buf_puts(&b, "<html><body><p>x</p></BODY></html>\n");
    OB_CHECK(ob_webfile_inject(&b, 7));
    at = strstr(b.ptr, "<script data-opsbook=\"serve\">");
    OB_CHECK(at != NULL);
    OB_CHECK(strstr(b.ptr, "var gen = 7,") != NULL);
    OB_CHECK(strstr(b.ptr, "'" OB_WEBFILE_EVENTS "'") != NULL);
    /* before the last </body>, with the rest after it unchanged */
    OB_CHECK(at && strstr(at, "</script>\n</BODY></html>\n") != NULL);
    OB_CHECK(strncmp(b.ptr, "<html><body><p>x</p><script", 27) == 0);
    OB_CHECK_INT(strlen(b.ptr), b.len);

    /* no </body>: at the end */
    ob_buf_reset(&b);
    ob_buf_puts(&b, "<p>fragment");
    OB_CHECK(ob_webfile_inject(&b, 1));
    OB_CHECK(strncmp(b.ptr, "<p>fragment<script data-opsbook", 31) == 0);
    OB_CHECK(b.len > 20 && strcmp(b.ptr + b.len - 10, "</script>\n") == 0);

    /* a buffer at its cap refuses, and stays as it was */
    ob_buf_reset(&b);
    ob_buf_puts(&b, "<body></body>");
    b.max = b.len + 10;
    OB_CHECK(!ob_webfile_inject(&b, 1));
    OB_CHECK_STR(b.ptr, "<body></body>");
    ob_buf_release(&b);
}

static void
check_sse(const char *text, const char *want)
{
    struct ob_buf b = OB_BUF_INIT;

    ob_webfile_sse_data(&b, text, strlen(text));
    OB_CHECK_STR(b.ptr, want);
    ob_buf_release(&b);
}

static void
test_sse(void)
{
    check_sse("", "data: \n");
    check_sse("one", "data: one\n");
    check_sse("a:1: error: x\n", "data: a:1: error: x\n");
    check_sse("a\nb\n", "data: a\ndata: b\n");
    check_sse("a\r\nb\rc", "data: a\ndata: b\ndata: c\n");
    check_sse("a\n\nb", "data: a\ndata: \ndata: b\n");
    check_sse("<script>alert(1)</script>", "data: <script>alert(1)</script>\n");
}

static void
test_hosts(void)
{
    OB_CHECK(ob_webfile_local_host(NULL));
    OB_CHECK(ob_webfile_local_host("127.0.0.1"));
    OB_CHECK(ob_webfile_local_host("127.0.0.1:1313"));
    OB_CHECK(ob_webfile_local_host("localhost:8000"));
    OB_CHECK(ob_webfile_local_host("LocalHost"));
    OB_CHECK(ob_webfile_local_host("[::1]:1313"));
    OB_CHECK(ob_webfile_local_host("[::1]"));
    OB_CHECK(!ob_webfile_local_host(""));
    OB_CHECK(!ob_webfile_local_host("evil.example"));
    OB_CHECK(!ob_webfile_local_host("evil.example:1313"));
    OB_CHECK(!ob_webfile_local_host("localhost.evil.example:1313"));
    OB_CHECK(!ob_webfile_local_host("127.0.0.1.nip.io:1313"));
    OB_CHECK(!ob_webfile_local_host("127.0.0.1:1313x"));
    OB_CHECK(!ob_webfile_local_host("127.0.0.1:"));
    OB_CHECK(!ob_webfile_local_host("[::1"));
    OB_CHECK(!ob_webfile_local_host("[::2]:1313"));
    OB_CHECK(!ob_webfile_local_host("localhost@evil"));
}

int
main(void)
{
    OB_RUN(test_paths);
    OB_RUN(test_types);
    OB_RUN(test_inject);
    OB_RUN(test_sse);
    OB_RUN(test_hosts);
    return OB_TEST_DONE();
}
