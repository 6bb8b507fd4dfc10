/* webfile.c: request paths, content types and the live-reload script. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/webfile.h"

#include <inttypes.h>
#include <string.h>
#include <strings.h>

/*
 * The script `serve` adds to every HTML page. It listens for the server's
 * events: "hello" (on connecting) and "reload" carry the generation of
 * the site being served, and the page reloads when that is newer than its
 * own (so an edit made between loading the page and connecting is not
 * missed); "problems" carries the diagnostics of a failed rebuild, shown
 * in an overlay with textContent (never parsed as HTML); "clear" hides it.
 */
static const char reload_script[] =
    "<script data-opsbook=\"serve\">(function () {\n"
    "  var gen = %" PRIu64 ", box = null;\n"
    "  function show(text) {\n"
    "    if (!box) {\n"
    "      box = document.createElement('pre');\n"
    "      box.id = 'opsbook-problems';\n"
    "      box.setAttribute('role', 'alert');\n"
    "      box.style.cssText = 'position:fixed;z-index:2147483647;left:0;'\n"
    "        + 'right:0;bottom:0;max-height:60%%;overflow:auto;margin:0;'\n"
    "        + 'padding:1em;background:#2b0b0b;color:#fdd;'\n"
    "        + 'font:13px/1.4 monospace;white-space:pre-wrap;'\n"
    "        + 'border-top:3px solid #e55';\n"
    "      box.title = 'click to hide';\n"
    "      box.onclick = hide;\n"
    "      (document.body || document.documentElement).appendChild(box);\n"
    "    }\n"
    "    box.textContent = 'opsbook serve: the rebuild failed; this is the '\n"
    "      + 'last good build.\\n\\n' + text;\n"
    "  }\n"
    "  function hide() {\n"
    "    if (box) box.remove();\n"
    "    box = null;\n"
    "  }\n"
    "  function newer(e) {\n"
    "    if (Number(e.data) > gen) location.reload();\n"
    "  }\n"
    "  if (!window.EventSource) return;\n"
    "  var es = new EventSource('" OB_WEBFILE_EVENTS "');\n"
    "  es.addEventListener('hello', newer);\n"
    "  es.addEventListener('reload', newer);\n"
    "  es.addEventListener('problems', function (e) { show(e.data); });\n"
    "  es.addEventListener('clear', hide);\n"
    "})();</script>\n";

static int
hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Ends the segment that starts at `start` in `out`: drops an empty one,
 * refuses "." and "..". */
static enum ob_webfile_path
end_segment(struct ob_buf *out, size_t start)
{
    const char *s = out->ptr + start;
    size_t n = out->len - start;

    if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
        return OB_WEBFILE_FORBIDDEN;
    if (n == 0 && start > 0)
        ob_buf_truncate(out, start - 1); /* the '/' before it */
    return OB_WEBFILE_OK;
}

enum ob_webfile_path
ob_webfile_path(const char *raw, size_t len, struct ob_buf *out, bool *dir)
{
    size_t i, start = 0;
    enum ob_webfile_path r;

    ob_buf_reset(out);
    *dir = len > 0 && raw[len - 1] == '/';
    if (len == 0 || raw[0] != '/')
        return OB_WEBFILE_BAD;
    /* Decoding first and splitting after is what makes "%2e%2e%2f" a
     * ".." segment, as a file system would read it. */
    for (i = 1; i < len; i++) {
        char c = raw[i];

        if (c == '%') {
            int hi = i + 2 < len ? hex_value(raw[i + 1]) : -1;
            int lo = hi >= 0 ? hex_value(raw[i + 2]) : -1;
            if (lo < 0)
                return OB_WEBFILE_BAD;
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        if (c == '\0' || c == '\\')
            return OB_WEBFILE_FORBIDDEN;
        if (c != '/') {
            ob_buf_putc(out, c);
            continue;
        }
        r = end_segment(out, start);
        if (r)
            return r;
        if (out->len > 0)
            ob_buf_putc(out, '/');
        start = out->len;
    }
    r = end_segment(out, start);
    if (r)
        return r;
    if (out->len > 0 && out->ptr[out->len - 1] == '/')
        ob_buf_truncate(out, out->len - 1);
    return OB_WEBFILE_OK;
}

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"xml", "application/xml"},
    {"rss", "application/rss+xml"},
    {"atom", "application/atom+xml"},
    {"csv", "text/csv; charset=utf-8"},
    {"txt", "text/plain; charset=utf-8"},
    {"md", "text/markdown; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"avif", "image/avif"},
    {"ico", "image/vnd.microsoft.icon"},
    {"pdf", "application/pdf"},
    {"xlsx", "application/"
             "vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"eml", "message/rfc822"},
    {"woff2", "font/woff2"},
    {"woff", "font/woff"},
    {"ttf", "font/ttf"},
    {"otf", "font/otf"},
    {"wasm", "application/wasm"},
    {"zip", "application/zip"},
    {"gz", "application/gzip"},
    {"mp4", "video/mp4"},
    {"webm", "video/webm"},
};

const char *
ob_webfile_type(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    size_t i;

    if (dot && dot[1])
        for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
            if (strcasecmp(dot + 1, types[i].ext) == 0)
                return types[i].type;
    return "application/octet-stream";
}

bool
ob_webfile_is_html(const char *type)
{
    return strncmp(type, "text/html", 9) == 0;
}

/* Where "</body>" (any case) last starts in `s`, or `len`. */
static size_t
body_end(const char *s, size_t len)
{
    size_t i = len;

    while (i >= 7) {
        i--;
        if (s[i - 6] == '<' && strncasecmp(s + i - 6, "</body>", 7) == 0)
            return i - 6;
    }
    return len;
}

bool
ob_webfile_inject(struct ob_buf *html, uint64_t generation)
{
    struct ob_buf script = OB_BUF_INIT;
    size_t at = body_end(html->ptr, html->len), tail = html->len - at;
    bool ok;

    ob_buf_printf(&script, reload_script, generation);
    ok = ob_buf_grow(html, script.len);
    if (ok) {
        memmove(html->ptr + at + script.len, html->ptr + at, tail);
        memcpy(html->ptr + at, script.ptr, script.len);
        html->len += script.len;
        html->ptr[html->len] = '\0';
    }
    ob_buf_release(&script);
    return ok;
}

void
ob_webfile_sse_data(struct ob_buf *out, const char *text, size_t len)
{
    size_t i = 0, end;

    while (i < len) {
        end = i;
        while (end < len && text[end] != '\n' && text[end] != '\r')
            end++;
        ob_buf_puts(out, "data: ");
        ob_buf_add(out, text + i, end - i);
        ob_buf_putc(out, '\n');
        if (end + 1 < len && text[end] == '\r' && text[end + 1] == '\n')
            end++;
        i = end + 1;
    }
    if (len == 0)
        ob_buf_puts(out, "data: \n");
}

bool
ob_webfile_local_host(const char *host)
{
    static const char *const names[] = {"localhost", "127.0.0.1", "[::1]"};
    size_t i, len;

    if (!host)
        return true;
    /* the name ends at the port's ':' ("[::1]" has its own colons) */
    len = host[0] == '[' ? strcspn(host, "]") + 1 : strcspn(host, ":");
    if (host[0] == '[' && !host[len - 1])
        return false; /* no closing bracket */
    if (host[len] &&
        (host[len] != ':' || !host[len + 1] ||
         strspn(host + len + 1, "0123456789") != strlen(host + len + 1)))
        return false;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strlen(names[i]) == len && strncasecmp(host, names[i], len) == 0)
            return true;
    return false;
}
