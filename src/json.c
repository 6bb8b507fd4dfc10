/* json.c: the JSON values every --json output writes, written one way. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/json.h"

#include <string.h>

#include "opsbook/date.h"
#include "opsbook/numfmt.h"

void
ob_json_str(struct ob_buf *out, const char *s)
{
    if (!s) {
        ob_buf_puts(out, "null");
        return;
    }
    ob_buf_putc(out, '"');
    ob_buf_add_json(out, s, strlen(s));
    ob_buf_putc(out, '"');
}

void
ob_json_num(struct ob_buf *out, bool has, double v)
{
    if (has)
        ob_numfmt_plain(out, v);
    else
        ob_buf_puts(out, "null");
}

void
ob_json_date(struct ob_buf *out, int32_t day)
{
    char date[11];

    ob_date_format(day, date);
    ob_json_str(out, date);
}

void
ob_json_key(struct ob_buf *out, bool first, const char *key)
{
    if (!first)
        ob_buf_puts(out, ", ");
    ob_json_str(out, key);
    ob_buf_puts(out, ": ");
}
