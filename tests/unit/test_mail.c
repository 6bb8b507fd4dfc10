/* test_mail.c: the MIME encoders of the mail module: base64, quoted-
 * printable, encoded-words, folding, mailboxes, dates and file names. */
/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "../../src/mail_int.h"
#include "opsbook/date.h"
#include "runner.h"

/* ---- helpers ------------------------------------------------------------ */

static int
b64_value(char c)
{
    const char *digits =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = strchr(digits, c);

    return c && p ? (int)(p - digits) : -1;
}

/* Decodes base64, skipping CRLF; returns the length. */
static size_t
b64_decode(const char *s, unsigned char *out)
{
    unsigned acc = 0;
    int bits = 0;
    size_t n = 0;

    for (; *s; s++) {
        int v = b64_value(*s);

        if (v < 0)
            continue;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char)(acc >> bits);
        }
    }
    return n;
}

/* The longest line (CRLF-terminated) and whether every line end is CRLF. */
static size_t
longest_line(const char *s, bool *crlf)
{
    size_t longest = 0, len = 0;

    *crlf = true;
    for (; *s; s++) {
        if (*s == '\n' && (len == 0 || s[-1] != '\r'))
            *crlf = false;
        if (*s == '\r' && s[1] != '\n')
            *crlf = false;
        if (*s == '\r' || *s == '\n') {
            if (*s == '\n')
                len = 0;
            continue;
        }
        if (++len > longest)
            longest = len;
    }
    return longest;
}

/* Removes every CRLF that precedes a space: RFC 5322 unfolding. */
static char *
unfold(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;

    for (; *s; s++) {
        if (s[0] == '\r' && s[1] == '\n' && s[2] == ' ') {
            s++;
            continue;
        }
        *o++ = *s;
    }
    *o = '\0';
    return out;
}

/* ---- base64 ---------------------------------------------------------------
 */

static void
check_b64(const char *in, const char *want)
{
    struct ob_buf out = OB_BUF_INIT;

    ob_mail_base64(&out, in, strlen(in));
    OB_CHECK_STR(out.ptr, want);
    ob_buf_release(&out);
}

static void
test_base64_vectors(void)
{
    /* RFC 4648 section 10 */
    check_b64("", "");
    check_b64("f", "Zg==\r\n");
    check_b64("fo", "Zm8=\r\n");
    check_b64("foo", "Zm9v\r\n");
    check_b64("foob", "Zm9vYg==\r\n");
    check_b64("fooba", "Zm9vYmE=\r\n");
    check_b64("foobar", "Zm9vYmFy\r\n");
}

static void
test_base64_lines(void)
{
    unsigned char data[1000], back[1000];
    struct ob_buf out = OB_BUF_INIT;
    size_t i, n;
    bool crlf;

    for (i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 7 + 3);
    ob_mail_base64(&out, data, 57); /* exactly one full line */
    OB_CHECK_INT(out.len, 78);
    OB_CHECK(!memcmp(out.ptr + 76, "\r\n", 2));
    ob_buf_reset(&out);
    ob_mail_base64(&out, data, sizeof data);
    OB_CHECK_INT(longest_line(out.ptr, &crlf), 76);
    OB_CHECK(crlf);
    /* 1000 bytes: 17 full lines of 57 bytes and one of 31 */
    OB_CHECK_INT(out.len, 17 * 78 + 44 + 2);
    n = b64_decode(out.ptr, back);
    OB_CHECK_INT(n, sizeof data);
    OB_CHECK(!memcmp(back, data, sizeof data));
    ob_buf_release(&out);
}

/* ---- quoted-printable ------------------------------------------------------
 */

static void
check_qp(const char *in, const char *want)
{
    struct ob_buf out = OB_BUF_INIT;

    ob_mail_qp(&out, in, strlen(in));
    OB_CHECK_STR(out.ptr, want);
    ob_buf_release(&out);
}

static void
test_qp(void)
{
    check_qp("plain text\n", "plain text\r\n");
    check_qp("a=b\n", "a=3Db\r\n");
    check_qp("caf\xC3\xA9\n", "caf=C3=A9\r\n");
    /* whitespace before a line end would be lost in transit */
    check_qp("a \nb\t\n", "a=20\r\nb=09\r\n");
    check_qp("one\r\ntwo\r\n", "one\r\ntwo\r\n");
    check_qp("no end", "no end\r\n");
    check_qp("\n\n", "\r\n\r\n");
    /* a lone '.' ends SMTP data; "From " lines get mangled in mbox */
    check_qp(".\n", "=2E\r\n");
    check_qp("From here\nnot From\n", "=46rom here\r\nnot From\r\n");
    check_qp("a\x01\x7f\n", "a=01=7F\r\n");
}

static void
test_qp_long_lines(void)
{
    char line[200];
    struct ob_buf out = OB_BUF_INIT;
    bool crlf;

    memset(line, 'x', 76);
    line[76] = '\0';
    ob_mail_qp(&out, line, 76); /* 76 fits without a soft break */
    OB_CHECK_INT(out.len, 78);
    ob_buf_reset(&out);
    memset(line, 'x', 77);
    ob_mail_qp(&out, line, 77);
    OB_CHECK(!strncmp(out.ptr + 75, "=\r\n", 3));
    OB_CHECK_INT(longest_line(out.ptr, &crlf), 76);
    ob_buf_reset(&out);
    /* escapes are never split by a soft break */
    for (size_t i = 0; i < 60; i++)
        memcpy(line + 2 * i, "\xC3\xA9", 2);
    ob_mail_qp(&out, line, 120);
    OB_CHECK_INT(longest_line(out.ptr, &crlf), 76);
    OB_CHECK(crlf);
    OB_CHECK(strstr(out.ptr, "=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3=A9=C3="
                             "A9=C3=A9=C3=A9=C3=A9=C3=A9=\r\n"));
    ob_buf_release(&out);
}

/* ---- header text -----------------------------------------------------------
 */

static void
check_header(const char *value, const char *want)
{
    struct ob_buf out = OB_BUF_INIT;

    ob_mail_header_text(&out, "Subject", value);
    OB_CHECK_STR(out.ptr, want);
    ob_buf_release(&out);
}

static void
test_header_text(void)
{
    check_header("Product KPIs", "Subject: Product KPIs\r\n");
    /* only the words that need it are encoded, whole characters each */
    check_header("KPIs \xE2\x80\x94 Nov 20",
                 "Subject: KPIs =?UTF-8?B?4oCU?= Nov 20\r\n");
    check_header("Indicateurs \xC3\xA9t\xC3\xA9 d\xC3\xA9j\xC3\xA0 ok",
                 "Subject: Indicateurs =?UTF-8?B?w6l0w6kgZMOpasOg?= ok\r\n");
    /* text a reader would take for an encoded-word is encoded itself */
    check_header("a =?x?= b", "Subject: a =?UTF-8?B?PT94Pz0=?= b\r\n");
}

static void
test_header_folding(void)
{
    const char *long_ascii =
        "Product KPIs and OKRs for the leadership team, with every chart, "
        "the quarter's objectives and the key results that are off track";
    struct ob_buf out = OB_BUF_INIT;
    char *back;
    bool crlf;

    ob_mail_header_text(&out, "Subject", long_ascii);
    OB_CHECK(longest_line(out.ptr, &crlf) <= 76);
    OB_CHECK(crlf);
    back = unfold(out.ptr);
    OB_CHECK(!strncmp(back, "Subject: ", 9));
    OB_CHECK(!strncmp(back + 9, long_ascii, strlen(long_ascii)));
    free(back);
    ob_buf_reset(&out);
    /* a long French subject: every line holding encoded-words fits 76 */
    ob_mail_header_text(&out, "Subject",
                        "\xC3\x89t\xC3\xA9 \xC3\xA9l\xC3\xA9gant "
                        "\xC3\xA9lev\xC3\xA9 \xC3\xA9t\xC3\xA9 "
                        "\xC3\xA9l\xC3\xA9gant \xC3\xA9lev\xC3\xA9 "
                        "\xC3\xA9t\xC3\xA9 \xC3\xA9l\xC3\xA9gant "
                        "\xC3\xA9lev\xC3\xA9 \xC3\xA9t\xC3\xA9");
    OB_CHECK(longest_line(out.ptr, &crlf) <= 76);
    OB_CHECK(strstr(out.ptr, "\r\n =?UTF-8?B?") != NULL);
    ob_buf_release(&out);
}

static void
test_check_text(void)
{
    OB_CHECK(ob_mail_check_text("KPIs \xE2\x80\x94 fine") == NULL);
    OB_CHECK_STR(ob_mail_check_text("a\r\nBcc: x@example.com"),
                 "holds a line break");
    OB_CHECK_STR(ob_mail_check_text("a\nb"), "holds a line break");
    OB_CHECK_STR(ob_mail_check_text("a\rb"), "holds a line break");
    OB_CHECK_STR(ob_mail_check_text("a\tb"), "holds a control character");
    OB_CHECK_STR(ob_mail_check_text("caf\xE9"), "is not UTF-8 text");
}

/* ---- mailboxes --------------------------------------------------------------
 */

static void
check_mailbox(const char *s, const char *name, const char *addr)
{
    struct ob_mailbox mb;
    const char *why = ob_mailbox_parse(s, &mb);

    OB_CHECK_STR(why ? why : "ok", "ok");
    if (why)
        return;
    OB_CHECK_STR(mb.name ? mb.name : "(none)", name ? name : "(none)");
    OB_CHECK_STR(mb.addr, addr);
    ob_mailbox_release(&mb);
}

static void
check_bad_mailbox(const char *s, const char *why_start)
{
    struct ob_mailbox mb;
    const char *why = ob_mailbox_parse(s, &mb);

    OB_CHECK(why && !strncmp(why, why_start, strlen(why_start)));
    if (why && strncmp(why, why_start, strlen(why_start)))
        fprintf(stderr, "  '%s': %s\n", s, why);
    OB_CHECK(mb.name == NULL && mb.addr == NULL);
}

static void
test_mailbox_parse(void)
{
    check_mailbox("ops@example.com", NULL, "ops@example.com");
    check_mailbox("  Product Ops <product-ops@example.com> ", "Product Ops",
                  "product-ops@example.com");
    check_mailbox("\"Doe, Jane \\\"JD\\\"\" <jane@x.example.org>",
                  "Doe, Jane \"JD\"", "jane@x.example.org");
    check_mailbox("\"a <b>\" <c@d.fr>", "a <b>", "c@d.fr");
    check_mailbox("\xC3\x89quipe Produit <produit@example.fr>",
                  "\xC3\x89quipe Produit", "produit@example.fr");
    check_mailbox("<bare@example.com>", NULL, "bare@example.com");
    check_mailbox("first.last+tag@sub.example.co.uk", NULL,
                  "first.last+tag@sub.example.co.uk");
    check_mailbox("root@[192.0.2.1]", NULL, "root@[192.0.2.1]");
}

static void
test_mailbox_refused(void)
{
    check_bad_mailbox("a@example.com\r\nBcc: spy@example.com",
                      "holds a line break");
    check_bad_mailbox("Name\n <a@example.com>", "holds a line break");
    check_bad_mailbox("no-at-sign", "is not an email address");
    check_bad_mailbox("a@@example.com", "is not an email address");
    check_bad_mailbox("a@example..com", "is not an email address");
    check_bad_mailbox(".a@example.com", "is not an email address");
    check_bad_mailbox("a b@example.com", "is not an email address");
    check_bad_mailbox("a@-example.com", "is not an email address");
    check_bad_mailbox("Name <a@example.com", "has a '<' without its '>'");
    check_bad_mailbox("Name <a@example.com> more", "has text after its '>'");
    check_bad_mailbox("\"Name <a@example.com>", "has an unterminated");
    check_bad_mailbox("\xC3\xA9@example.fr", "is not an ASCII email address");
    check_bad_mailbox("caf\xE9 <a@example.com>", "is not UTF-8 text");
}

static bool
collect(const char *piece, size_t len, void *arg)
{
    struct ob_buf *b = arg;

    ob_buf_add(b, piece, len);
    ob_buf_putc(b, '|');
    return true;
}

static void
test_split_list(void)
{
    struct ob_buf b = OB_BUF_INIT;

    ob_mail_split_list(" a@x.com, \"Doe, J\" <j@x.com>,, <k,l@x.com> ,b@y",
                       collect, &b);
    OB_CHECK_STR(b.ptr, "a@x.com|\"Doe, J\" <j@x.com>|<k,l@x.com>|b@y|");
    ob_buf_release(&b);
}

static void
check_mailboxes(const char *const *in, size_t n, const char *want)
{
    struct ob_mailbox list[4];
    struct ob_buf out = OB_BUF_INIT;
    size_t i;

    for (i = 0; i < n; i++)
        OB_CHECK(ob_mailbox_parse(in[i], &list[i]) == NULL);
    ob_mail_header_mailboxes(&out, "To", list, n);
    OB_CHECK_STR(out.ptr, want);
    for (i = 0; i < n; i++)
        ob_mailbox_release(&list[i]);
    ob_buf_release(&out);
}

static void
test_header_mailboxes(void)
{
    const char *plain[] = {"a@x.com", "Chief Executive <ceo@x.com>"};
    const char *quoted[] = {"\"Doe, Jane\" <jane@x.com>"};
    const char *french[] = {"Directrice G\xC3\xA9n\xC3\xA9rale <dg@x.fr>"};
    const char *many[] = {"Alexandra Longname-Example <alexandra@example.com>",
                          "Bartholomew Example <bartholomew@example.com>",
                          "c@example.com"};

    check_mailboxes(plain, 2, "To: a@x.com, Chief Executive <ceo@x.com>\r\n");
    check_mailboxes(quoted, 1, "To: \"Doe, Jane\" <jane@x.com>\r\n");
    check_mailboxes(french, 1,
                    "To: Directrice =?UTF-8?B?R8OpbsOpcmFsZQ==?= "
                    "<dg@x.fr>\r\n");
    check_mailboxes(many, 3,
                    "To: Alexandra Longname-Example <alexandra@example.com>,"
                    "\r\n Bartholomew Example <bartholomew@example.com>, "
                    "c@example.com\r\n");
}

/* ---- dates, file names, fingerprints ------------------------------------ */

static void
check_date(int64_t utc, int32_t offset, const char *want)
{
    struct ob_buf out = OB_BUF_INIT;

    ob_mail_date(&out, utc, offset);
    OB_CHECK_STR(out.ptr, want);
    ob_buf_release(&out);
}

static void
test_date(void)
{
    int64_t day = (int64_t)ob_date_from_civil(2026, 11, 20) * 86400;

    check_date(day + 22 * 3600 + 3599, 3600, "Fri, 20 Nov 2026 23:59:59 +0100");
    check_date(day + 4 * 3600, -5 * 3600, "Thu, 19 Nov 2026 23:00:00 -0500");
    check_date(day, 19800, "Fri, 20 Nov 2026 05:30:00 +0530");
    check_date(0, 0, "Thu, 1 Jan 1970 00:00:00 +0000");
}

static void
test_filename_param(void)
{
    struct ob_buf out = OB_BUF_INIT;
    bool crlf;

    ob_mail_filename_param(&out, "filename", "Leadership report.xlsx");
    OB_CHECK_STR(out.ptr, ";\r\n\tfilename=\"Leadership report.xlsx\"");
    ob_buf_reset(&out);
    ob_mail_filename_param(&out, "filename", "\xC3\xA9t\xC3\xA9.xlsx");
    OB_CHECK_STR(out.ptr, ";\r\n\tfilename*0*=UTF-8''%C3%A9t%C3%A9.xlsx;"
                          "\r\n\tfilename=\"=?UTF-8?B?w6l0w6kueGxzeA==?=\"");
    ob_buf_reset(&out);
    /* a quote in a name cannot go in a quoted value as it is */
    ob_mail_filename_param(&out, "name", "a\"b.png");
    OB_CHECK(strstr(out.ptr, "name*0*=UTF-8''a%22b.png") != NULL);
    /* issue 11: a long non-ASCII name keeps every line within 78
     * characters, its encoded-words folded inside the quotes */
    ob_buf_reset(&out);
    ob_mail_filename_param(&out, "filename",
                           "Rapport de la direction \xE2\x80\x94 \xC3\xA9t"
                           "\xC3\xA9 - automne 2026-11-20.xlsx");
    ob_buf_puts(&out, ";");
    OB_CHECK(longest_line(out.ptr, &crlf) <= 78);
    OB_CHECK(strstr(out.ptr, "?=\r\n =?UTF-8?B?") != NULL);
    ob_buf_release(&out);
}

/* Issue 11: the xlsx type, 65 characters, is folded after the colon. */
static void
test_type_field(void)
{
    struct ob_buf out = OB_BUF_INIT;
    bool crlf;

    ob_mail_type_field(&out, "Content-Type", "image/png");
    OB_CHECK_STR(out.ptr, "Content-Type: image/png");
    ob_buf_reset(&out);
    ob_mail_type_field(
        &out, "Content-Type",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    OB_CHECK_STR(out.ptr, "Content-Type:\r\n\tapplication/"
                          "vnd.openxmlformats-officedocument.spreadsheetml."
                          "sheet");
    ob_buf_puts(&out, ";");
    OB_CHECK(longest_line(out.ptr, &crlf) <= 78 && crlf);
    ob_buf_release(&out);
}

static void
test_hash(void)
{
    /* FNV-1a 64 reference values */
    OB_CHECK(ob_mail_hash(OB_MAIL_HASH_INIT, "", 0) == 0xcbf29ce484222325ULL);
    OB_CHECK(ob_mail_hash(OB_MAIL_HASH_INIT, "a", 1) == 0xaf63dc4c8601ec8cULL);
    OB_CHECK(ob_mail_hash(ob_mail_hash(OB_MAIL_HASH_INIT, "fo", 2), "o", 1) ==
             ob_mail_hash(OB_MAIL_HASH_INIT, "foo", 3));
}

static void
test_smtp_url(void)
{
    OB_CHECK(ob_smtp_check_url("smtp://127.0.0.1:2525") == NULL);
    OB_CHECK(ob_smtp_check_url("smtps://mail.example.com") == NULL);
    OB_CHECK(ob_smtp_check_url("smtp://user:pw@mail.example.com:587") == NULL);
    OB_CHECK(ob_smtp_check_url("http://mail.example.com") != NULL);
    OB_CHECK(ob_smtp_check_url("smtp://") != NULL);
    OB_CHECK(ob_smtp_check_url("smtp://:25") != NULL);
    OB_CHECK(ob_smtp_check_url("smtp://host\r\n:25") != NULL);
}

int
main(void)
{
    OB_RUN(test_base64_vectors);
    OB_RUN(test_base64_lines);
    OB_RUN(test_qp);
    OB_RUN(test_qp_long_lines);
    OB_RUN(test_header_text);
    OB_RUN(test_header_folding);
    OB_RUN(test_check_text);
    OB_RUN(test_mailbox_parse);
    OB_RUN(test_mailbox_refused);
    OB_RUN(test_split_list);
    OB_RUN(test_header_mailboxes);
    OB_RUN(test_date);
    OB_RUN(test_filename_param);
    OB_RUN(test_type_field);
    OB_RUN(test_hash);
    OB_RUN(test_smtp_url);
    return OB_TEST_DONE();
}
