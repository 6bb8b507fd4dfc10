/* test_input.c: UTF-8 checks, iconv conversion and gzip through ob_input. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/input.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "opsbook/buf.h"
#include "runner.h"

static char dir[] = "/tmp/opsbook-input-XXXXXX";

static const char *
write_file(const char *name, const void *data, size_t len)
{
    static char path[256];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
    return path;
}

static const char *
write_gzip(const char *name, const void *data, size_t len)
{
    static char path[256];
    gzFile gz;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    gz = gzopen(path, "wb");
    gzwrite(gz, data, (unsigned)len);
    gzclose(gz);
    return path;
}

/* Reads the whole file in reads of `chunk` bytes; returns the status of the
 * last read (0 at a clean end, -2 after a reported problem). */
static long
read_all(const char *path, enum ob_encoding enc, size_t chunk,
         struct ob_buf *out, struct ob_diag *d)
{
    struct ob_input *in;
    char buf[4096];
    long n;

    ob_buf_reset(out);
    if (ob_input_open(&in, d, NULL, path, enc) != OB_OK)
        return -3;
    for (n = ob_input_read(in, buf, chunk); n > 0;
         n = ob_input_read(in, buf, chunk))
        ob_buf_add(out, buf, (size_t)n);
    ob_input_close(in);
    return n;
}

static const char *
first_error(struct ob_diag *d)
{
    static char line[256];

    if (!d->len)
        return "(none)";
    snprintf(line, sizeof line, "%u:%u: %s", (unsigned)d->entries[0].pos.line,
             (unsigned)d->entries[0].pos.col, d->entries[0].message);
    return line;
}

static void
test_utf8_every_chunking(void)
{
    const char text[] =
        "id;name\r\n1;Caf\xc3\xa9\r\n2;\xe2\x82\xac\xf0\x9f\x93\x88\n";
    struct ob_buf out = OB_BUF_INIT;
    struct ob_diag d;
    const char *path = write_file("ok.csv", text, sizeof text - 1);
    size_t chunk;

    ob_diag_init(&d, 10);
    for (chunk = 8; chunk <= 40; chunk++) {
        OB_CHECK_INT(read_all(path, OB_ENC_UTF8, chunk, &out, &d), 0);
        OB_CHECK_STR(out.ptr, text);
    }
    OB_CHECK_INT(d.len, 0);
    ob_diag_release(&d);
    ob_buf_release(&out);
}

static void
test_utf8_invalid_position(void)
{
    /* Line 3 (after a CRLF and a lone CR), column 4: after "ab" and é. */
    const char text[] = "x,y\r\n1,2\rab\xc3\xa9\xff,3\n";
    struct ob_buf out = OB_BUF_INIT;
    struct ob_diag d;
    const char *path = write_file("bad.csv", text, sizeof text - 1);
    size_t chunk;

    for (chunk = 8; chunk <= 24; chunk++) {
        ob_diag_init(&d, 10);
        OB_CHECK_INT(read_all(path, OB_ENC_UTF8, chunk, &out, &d), -2);
        OB_CHECK_STR(first_error(&d), "3:4: invalid UTF-8 text");
        ob_diag_release(&d);
    }
    /* A file that ends in the middle of a character. */
    path = write_file("cut.csv", "a\nb\xe2\x82", 5);
    ob_diag_init(&d, 10);
    OB_CHECK_INT(read_all(path, OB_ENC_UTF8, 64, &out, &d), -2);
    OB_CHECK_STR(first_error(&d), "2:2: invalid UTF-8 text");
    ob_diag_release(&d);
    ob_buf_release(&out);
}

static void
test_windows_1252(void)
{
    /* A French export: "Café;12,5 €" then an undefined byte (0x81). */
    const char text[] =
        "nom;montant\r\nCaf\xe9;12,5 \x80\r\n\x93ok\x94;\x81\r\n";
    struct ob_buf out = OB_BUF_INIT;
    struct ob_diag d;
    const char *path = write_file("fr.csv", text, sizeof text - 1);

    ob_diag_init(&d, 10);
    OB_CHECK_INT(read_all(path, OB_ENC_WINDOWS_1252, 4096, &out, &d), -2);
    OB_CHECK_STR(first_error(&d), "3:6: invalid windows-1252 text");
    ob_diag_release(&d);
    /* Everything before the bad byte converts, in reads of any size. */
    path = write_file("fr-ok.csv", text, 31);
    ob_diag_init(&d, 10);
    OB_CHECK_INT(read_all(path, OB_ENC_WINDOWS_1252, 8, &out, &d), 0);
    OB_CHECK_STR(out.ptr, "nom;montant\r\nCaf\xc3\xa9;12,5 \xe2\x82\xac\r\n"
                          "\xe2\x80\x9cok\xe2\x80\x9d;");
    ob_diag_release(&d);

    path = write_file("latin1.csv", "a\xe9\xff\n", 4);
    ob_diag_init(&d, 10);
    OB_CHECK_INT(read_all(path, OB_ENC_ISO_8859_1, 8, &out, &d), 0);
    OB_CHECK_STR(out.ptr, "a\xc3\xa9\xc3\xbf\n");
    ob_diag_release(&d);
    ob_buf_release(&out);
}

static void
test_utf16(void)
{
    /* UTF-16LE with a BOM, as Excel's "Unicode text" writes it. */
    const char text[] = "\xff\xfe"
                        "a\0,\0\xe9\0\n\0";
    struct ob_buf out = OB_BUF_INIT;
    struct ob_diag d;
    const char *path = write_file("u16.csv", text, sizeof text - 1);

    ob_diag_init(&d, 10);
    OB_CHECK_INT(read_all(path, OB_ENC_UTF16, 8, &out, &d), 0);
    OB_CHECK_STR(out.ptr, "a,\xc3\xa9\n");
    OB_CHECK_INT(d.len, 0);
    ob_diag_release(&d);
    ob_buf_release(&out);
}

static void
test_gzip(void)
{
    struct ob_buf text = OB_BUF_INIT, out = OB_BUF_INIT;
    struct ob_diag d;
    const char *path;
    char *copy;
    FILE *f;
    long size;
    int i;

    for (i = 0; i < 20000; i++)
        ob_buf_printf(&text, "%d,user-%d,2026-11-%02d\n", i, i % 97,
                      i % 28 + 1);
    path = write_gzip("events.csv.gz", text.ptr, text.len);
    ob_diag_init(&d, 10);
    OB_CHECK_INT(read_all(path, OB_ENC_UTF8, 4096, &out, &d), 0);
    OB_CHECK_INT(out.len, text.len);
    OB_CHECK(out.len == text.len && !memcmp(out.ptr, text.ptr, text.len));
    OB_CHECK_INT(d.len, 0);
    ob_diag_release(&d);

    /* Read little (a header, a sample), then on to the end: the same bytes. */
    {
        struct ob_input *in;
        char buf[4096];
        long n;

        ob_diag_init(&d, 10);
        ob_buf_reset(&out);
        OB_CHECK_INT(ob_input_open(&in, &d, NULL, path, OB_ENC_UTF8), OB_OK);
        ob_input_read_little(in);
        n = ob_input_read(in, buf, 100);
        OB_CHECK(n > 0 && n <= 100 && !memcmp(buf, text.ptr, (size_t)n));
        while (n > 0) {
            ob_buf_add(&out, buf, (size_t)n);
            n = ob_input_read(in, buf, sizeof buf);
        }
        ob_input_close(in);
        OB_CHECK_INT(n, 0);
        OB_CHECK(out.len == text.len && !memcmp(out.ptr, text.ptr, text.len));
        ob_diag_release(&d);
    }

    /* The same file cut in half is reported, not read short silently. */
    f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    rewind(f);
    copy = malloc((size_t)size);
    OB_CHECK(fread(copy, 1, (size_t)size, f) == (size_t)size);
    fclose(f);
    path = write_file("cut.csv.gz", copy, (size_t)size / 2);
    ob_diag_init(&d, 10);
    OB_CHECK_INT(read_all(path, OB_ENC_UTF8, 4096, &out, &d), -2);
    OB_CHECK(d.len == 1 &&
             strstr(d.entries[0].message, "is not a valid gzip file") != NULL);
    ob_diag_release(&d);
    free(copy);
    ob_buf_release(&text);
    ob_buf_release(&out);
}

static void
test_open_errors(void)
{
    struct ob_input *in;
    struct ob_diag d;
    char missing[300];

    snprintf(missing, sizeof missing, "%s/nope.csv", dir);
    ob_diag_init(&d, 10);
    OB_CHECK_INT(ob_input_open(&in, &d, NULL, missing, OB_ENC_UTF8),
                 OB_ERR_INPUT);
    OB_CHECK(d.len == 1 && strstr(d.entries[0].message, "does not exist"));
    OB_CHECK_INT(ob_input_open(&in, &d, NULL, dir, OB_ENC_UTF8), OB_ERR_INPUT);
    ob_diag_release(&d);
}

int
main(void)
{
    char cmd[128];
    int rc;

    if (!mkdtemp(dir))
        return 2;
    OB_RUN(test_utf8_every_chunking);
    OB_RUN(test_utf8_invalid_position);
    OB_RUN(test_windows_1252);
    OB_RUN(test_utf16);
    OB_RUN(test_gzip);
    OB_RUN(test_open_errors);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    rc = system(cmd);
    (void)rc;
    return OB_TEST_DONE();
}
