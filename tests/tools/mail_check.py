#!/usr/bin/env python3
# mail_check.py EML EXPECT.json: reads a message `opsbook mail` wrote with
# Python's standard email package and checks it against EXPECT, a JSON
# object:
#
#   {"xlsx": "path of the workbook it must carry, byte for byte",
#    "filename": "the attachment's name as a reader sees it",
#    "subject": "the decoded Subject", "from": "Name <addr>",
#    "to": ["addr", ...], "date": "Fri, 20 Nov 2026 23:59:59 +0100",
#    "lang": "en", "kpis": "path of `opsbook kpi --json`",
#    "report_kpis": ["wau", ...], "images": true,
#    "words": ["text the plain body must hold", ...],
#    "okrs": "path of `opsbook okrs --json`", "quarters": ["2026-Q4", ...],
#    "site": "the absolute base_url the HTML links to, or \"\" for none"}
#
# Prints one line per check, "ok NAME" or "FAIL NAME: why", for
# tests/e2e/mail.sh to count. Exit status 1 when anything failed.
# SPDX-License-Identifier: MIT
import email
import html
import io
import json
import re
import sys
import zipfile
from email import policy
from email.utils import getaddresses

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
failed = False


def result(name, ok, why=""):
    global failed
    if ok:
        print("ok " + name)
    else:
        failed = True
        print("FAIL %s: %s" % (name, why))


def check_lines(raw):
    bare = re.search(rb"(?<!\r)\n|\r(?!\n)", raw)
    result("CRLF line ends everywhere", bare is None and raw.endswith(b"\r\n"),
           "a bare CR or LF at byte %d" % (bare.start() if bare else -1))
    lines = raw.split(b"\r\n")
    longest = max(len(line) for line in lines)
    result("no line over 998 characters", longest <= 998, "%d" % longest)
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    long_head = [h for h in head if len(h) > 78]
    result("header lines fit 78 characters", not long_head,
           repr(long_head[:2]))
    result("only ASCII in the message", max(raw) < 128, "8-bit bytes")


def check_part_headers(raw, msg):
    """RFC 5322's 78 characters, in every part's header too."""
    marks = {b"--" + p.get_boundary().encode() for p in msg.walk()
             if p.is_multipart()}
    lines = raw.split(b"\r\n")
    long_head, i = [], 0
    while i < len(lines):
        if lines[i] in marks:
            i += 1
            while i < len(lines) and lines[i]:
                if len(lines[i]) > 78:
                    long_head.append(lines[i])
                i += 1
        i += 1
    result("every part's header lines fit 78 characters", not long_head,
           repr(long_head[:2]))


def leaves(msg):
    return [p for p in msg.walk() if not p.is_multipart()]


def body_lines(part):
    raw = part.as_bytes(policy=policy.SMTP)
    return raw.split(b"\r\n\r\n", 1)[1].split(b"\r\n")


def check_encodings(msg):
    for part in leaves(msg):
        cte = part["Content-Transfer-Encoding"]
        lines = [x for x in body_lines(part) if x]
        name = "%s: %s" % (part.get_content_type(), cte)
        if cte == "base64":
            bad = [len(x) for x in lines[:-1] if len(x) != 76]
            last = len(lines[-1]) if lines else 0
            result(name + " lines of 76", not bad and 0 < last <= 76 and
                   last % 4 == 0, "lengths %r, last %d" % (bad[:3], last))
        elif cte == "quoted-printable":
            bad = [len(x) for x in lines if len(x) > 76]
            result(name + " lines up to 76", not bad, "lengths %r" % bad[:3])
        else:
            result(name, False, "unexpected transfer encoding")


def shape(part):
    if part.is_multipart():
        return [part.get_content_type(), [shape(p) for p in part.iter_parts()]]
    return part.get_content_type()


def check_structure(msg, want_images, n_images):
    alt = ["multipart/alternative", ["text/plain", "text/html"]]
    if want_images:
        rel = ["multipart/related", [alt] + ["image/png"] * n_images]
        want = ["multipart/mixed", [rel, XLSX]]
    else:
        want = ["multipart/mixed", [alt, XLSX]]
    result("structure: mixed(related(alternative(text, html), png...), xlsx)",
           shape(msg) == want, "%r" % (shape(msg),))
    if want_images:
        rel = next(msg.iter_parts())
        result("related names its root's type",
               rel.get_param("type") == "multipart/alternative",
               rel.get_param("type"))


def check_headers(msg, want):
    result("Subject decodes", str(msg["Subject"]) == want["subject"],
           "%r" % str(msg["Subject"]))
    result("From", str(msg["From"]) == want["from"], "%r" % str(msg["From"]))
    got_to = [a for _, a in getaddresses([str(msg["To"])])]
    result("To", got_to == want["to"], "%r" % got_to)
    result("Date from as_of", msg["Date"] == want["date"], msg["Date"])
    result("MIME-Version", msg["MIME-Version"] == "1.0", msg["MIME-Version"])
    mid = str(msg["Message-ID"])
    result("Message-ID", re.fullmatch(r"<[\w.\-]+@[\w.\-]+>", mid) is not None,
           mid)


def check_cids(msg, html_text):
    refs = re.findall(r'src="cid:([^"]+)"', html_text)
    parts = {p["Content-ID"].strip("<>"): p for p in leaves(msg)
             if p["Content-ID"]}
    missing = [r for r in refs if html.unescape(r) not in parts]
    unused = [c for c in parts if c not in map(html.unescape, refs)]
    result("every cid in the HTML has its part", not missing, repr(missing))
    result("every picture is shown", not unused, repr(unused))
    pngs = [p for p in parts.values()
            if p.get_content().startswith(b"\x89PNG\r\n\x1a\n")]
    result("pictures are PNG", len(pngs) == len(parts), "%d" % len(pngs))
    return len(refs)


def check_html(html_text, lang):
    low = html_text.lower()
    result("HTML: no script", "<script" not in low and "javascript:" not in low)
    result("HTML: no external CSS or fonts",
           "<link" not in low and "@import" not in low and "url(" not in low)
    srcs = re.findall(r'src="([^"]*)"', html_text)
    result("HTML: pictures only by cid",
           all(s.startswith("cid:") for s in srcs), repr(srcs[:3]))
    imgs = re.findall(r"<img [^>]*>", html_text)
    result("HTML: every picture has alt text",
           all(re.search(r'alt="[^"]+"', i) for i in imgs))
    result("HTML: in the site's language", '<html lang="%s">' % lang
           in html_text)
    result("HTML: readable in dark mode",
           "prefers-color-scheme: dark" in html_text and
           'name="color-scheme"' in html_text)
    result("HTML: fits a phone", 'name="viewport"' in html_text and
           "max-width:640px" in html_text)


def check_numbers(text, html_text, kpis, ids):
    """The same figures as `opsbook kpi --json`, KPI by KPI."""
    for k in kpis:
        if k["id"] not in ids:
            continue
        if k.get("groups"):
            colon = "\u00a0: " if text.count("\u00a0: ") else ": "
            want = ["- %s%s%s" % (g["group"], colon, g["current_text"])
                    for g in k["groups"]]
        else:
            want = ["  %s" % k["current_text"]]
        lines = text.split("\n")
        missing = [w for w in want if w not in lines]
        in_html = all(html.escape(w.split(": ", 1)[-1].strip(), quote=False)
                      in html_text for w in want)  # the value after ": "
        result("KPI %s: the numbers of opsbook kpi" % k["id"],
               not missing and in_html, "missing %r" % missing)


OKR_ORDER = ["done", "on_track", "at_risk", "off_track", "not_started"]
OKR_WORDS = {"done": "done", "on_track": "on track", "at_risk": "at risk",
             "off_track": "off track", "not_started": "not started"}


def count_line(items, ended):
    """"2 on track, 1 off track" (grades once the quarter ended)."""
    if ended:
        keys = [(g, g) for g in ("green", "yellow", "red")]
        field = "grade"
    else:
        keys = [(s, OKR_WORDS[s]) for s in OKR_ORDER]
        field = "status"
    counts = [(sum(1 for x in items if x[field] == k), w) for k, w in keys]
    return ", ".join("%d %s" % (n, w) for n, w in counts if n)


def check_okr_counts(html_text, okrs, labels):
    """Each quarter's key results and objectives counted by status, as
    `opsbook okrs --json` has them (English)."""
    by_label = {q["quarter"]: q for q in okrs["quarters"]}
    for label in labels:
        q = by_label[label]
        ended = q["state"] == "ended"
        objs = q["objectives"]
        krs = [kr for o in objs for kr in o["key_results"]]
        want = ("<strong>Key results: </strong>%s<br><strong>Objectives: "
                "</strong>%s</p>" % (html.escape(count_line(krs, ended)),
                                    html.escape(count_line(objs, ended))))
        result("OKRs %s: the counts of opsbook okrs" % label,
               want in html_text, "%r not in the HTML" % want)


def check_site(html_text, text, site, labels, ids):
    """Links to the hosted site when base_url is absolute: its KPI list,
    each KPI's and quarter's page; none at all when it is relative."""
    hrefs = re.findall(r'href="([^"]*)"', html_text)
    if not site:
        result("relative base_url: no link in the HTML", not hrefs,
               repr(hrefs[:3]))
        result("relative base_url: no address in the text",
               "http://" not in text and "https://" not in text)
        return
    want = [site + "kpis/"] + [site + "kpis/%s/" % i for i in ids] + \
        [site + "okrs/%s/" % q for q in labels]
    missing = [w for w in want if w not in hrefs]
    result("HTML links the site's pages", not missing, "missing %r" % missing)
    result("HTML links nowhere else",
           all(h.startswith(site) for h in hrefs), repr(hrefs))


def main():
    raw = open(sys.argv[1], "rb").read()
    want = json.load(open(sys.argv[2]))
    check_lines(raw)
    msg = email.message_from_bytes(raw, policy=policy.default)
    check_part_headers(raw, msg)
    check_headers(msg, want)
    check_encodings(msg)
    text = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html_text = msg.get_body(("html",)).get_content()
    n = check_cids(msg, html_text)
    check_structure(msg, want["images"], n)
    check_html(html_text, want["lang"])
    att = [p for p in leaves(msg) if p.get_content_disposition() ==
           "attachment"]
    result("one attachment", len(att) == 1, "%d" % len(att))
    if att:
        result("attachment is the xlsx, byte for byte",
               att[0].get_content() == open(want["xlsx"], "rb").read())
        result("attachment type", att[0].get_content_type() == XLSX)
        try:
            names = zipfile.ZipFile(io.BytesIO(att[0].get_content())).namelist()
        except zipfile.BadZipFile:
            names = []
        result("attachment opens as a workbook", "xl/workbook.xml" in names)
        result("attachment name", att[0].get_filename() == want["filename"],
               repr(att[0].get_filename()))
    kpis = json.load(open(want["kpis"])) if want.get("kpis") else []
    check_numbers(text, html_text, kpis, want.get("report_kpis", []))
    for w in want.get("words", []):
        result("text says %r" % w, w in text, "not found")
    if want.get("okrs"):
        check_okr_counts(html_text, json.load(open(want["okrs"])),
                         want["quarters"])
    if "site" in want:
        check_site(html_text, text, want["site"], want.get("quarters", []),
                   want.get("report_kpis", []))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
