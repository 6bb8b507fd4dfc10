#!/usr/bin/env python3
"""dash_numbers.py OUT KPI_JSON OKR_JSON: the numbers the KPI and OKR
pages show equal what `opsbook kpi --json` and `opsbook okrs --json` say.

Every card's value is compared as text with current_text; its delta and
target are read back as numbers and compared with the JSON's, rounded as
the KPI's format shows them; status words by their data-status. OKR
progress is compared as the rounded percent. Prints "ok NAME" or
"FAIL NAME: why" per check, for tests/e2e/dashboards.sh."""
# SPDX-License-Identifier: MIT
import html.parser
import json
import os
import sys


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.text = [], []

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def all_text(self):
        out = list(self.text)
        for c in self.children:
            out.append(c.all_text())
        return "".join(out)

    def find_all(self, pred):
        for c in self.children:
            if pred(c):
                yield c
            yield from c.find_all(pred)

    def find(self, pred):
        return next(self.find_all(pred), None)


VOID = {"img", "br", "hr", "meta", "link", "input", "source", "col", "wbr"}


class Tree(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        # text goes in order with the children: keep it as a pseudo child
        t = Node("#text", {}, self.cur)
        t.text.append(data)
        self.cur.children.append(t)


def load(path):
    t = Tree()
    t.feed(open(path, encoding="utf-8").read())
    return t.root


def cls(name):
    return lambda n: name in n.classes()


def number(text):
    """A shown number back as a float: 1,204 / −3 / 48.2% / −2.3 pts."""
    t = text.strip().replace("\u2212", "-").replace(",", "")
    scale = 1.0
    if t.endswith(" pts"):
        t, scale = t[:-4], 0.01
    elif t.endswith("%"):
        t, scale = t[:-1], 0.01
    return float(t.lstrip("+")) * scale


failed = 0


def ok(name):
    print("ok " + name)


def bad(name, why):
    global failed
    failed += 1
    print("FAIL %s: %s" % (name, why))


def close(shown, want, kpi):
    """The shown text is the JSON number as the format rounds it."""
    d = kpi.get("decimals", 0)
    unit = 0.01 if kpi["format"] == "percent" else 1.0
    return abs(number(shown) - want) <= 0.5 * unit * 10 ** -d + 1e-9


def check_state(where, el, state, kpi):
    value = el.find(cls("kpi-value"))
    want = state.get("current_text") or "no data"
    if value is None or value.all_text().strip() != want:
        bad(where + " value", "shows %r, kpi --json %r" %
            (value and value.all_text(), want))
    else:
        ok(where + " value")
    delta = el.find(cls("kpi-delta-text"))
    if state.get("delta") is None:
        if delta is not None:
            bad(where + " delta", "shown without one in the JSON")
    elif delta is None or not close(delta.all_text(), state["delta"], kpi):
        bad(where + " delta", "shows %r, JSON %r" %
            (delta and delta.all_text(), state["delta"]))
    else:
        ok(where + " delta")
    status = el.find(cls("kpi-status"))
    got = status.attrs.get("data-status") if status is not None else None
    if got != state.get("status"):
        bad(where + " status", "shows %r, JSON %r" % (got, state.get("status")))
    elif status is not None and not status.all_text().strip():
        bad(where + " status", "a status without words")
    else:
        ok(where + " status")


def check_card(where, card, kpi):
    if card is None:
        bad(where, "no card")
        return
    if kpi["by"] is None:
        check_state(where, card, kpi, kpi)
        target = card.find(cls("kpi-target-value"))
        if kpi["target"] is None:
            if target is not None:
                bad(where + " target", "shown without one")
        elif target is None or not close(target.all_text(), kpi["target"], kpi):
            bad(where + " target", "shows %r, JSON %r" %
                (target and target.all_text(), kpi["target"]))
        else:
            ok(where + " target")
        return
    rows = {r.attrs.get("data-group"): r
            for r in card.find_all(cls("kpi-group"))}
    for g in kpi["groups"]:
        row = rows.get(g["group"])
        if row is None:
            bad("%s[%s]" % (where, g["group"]), "no row")
        else:
            check_state("%s[%s]" % (where, g["group"]), row, g, kpi)


def main():
    out, kpi_json, okr_json = sys.argv[1:4]
    kpis = json.load(open(kpi_json))
    index = load(os.path.join(out, "kpis", "index.html"))
    for k in kpis:
        card = index.find(lambda n: n.tag == "article" and
                          n.attrs.get("data-kpi") == k["id"] and
                          "data-group" not in n.attrs)
        check_card("kpis/ card " + k["id"], card, k)
        page = load(os.path.join(out, "kpis", k["id"], "index.html"))
        body = page.find(cls("kpi-page"))
        check_card("kpis/%s/ card" % k["id"],
                   body and body.find(cls("kpi-card")), k)
        csv = page.find(lambda n: n.tag == "a" and
                        n.attrs.get("href", "").endswith(k["id"] + ".csv"))
        if csv is None:
            bad("kpis/%s/ CSV link" % k["id"], "missing")
        else:
            ok("kpis/%s/ CSV link" % k["id"])
    okrs = json.load(open(okr_json))
    check_okrs(out, okrs)
    return 1 if failed else 0


def walk(q):
    for o in q["objectives"]:
        yield o
        for kr in o["key_results"]:
            yield kr


def check_okrs(out, okrs):
    pages = {"okrs/": os.path.join(out, "okrs", "index.html")}
    for q in okrs["quarters"]:
        slug = q["quarter"].replace("..", "--")
        pages["okrs/%s/" % slug] = os.path.join(out, "okrs", slug, "index.html")
    for name, path in sorted(pages.items()):
        page = load(path)
        quarters = [q for q in okrs["quarters"]
                    if name == "okrs/" and q["quarter"] == okrs["latest"] or
                    name == "okrs/%s/" % q["quarter"].replace("..", "--")]
        for q in quarters:
            for item in walk(q):
                el = page.find(lambda n: n.attrs.get("data-id") == item["id"])
                where = "%s %s" % (name, item["id"])
                if el is None:
                    bad(where, "not shown")
                    continue
                prog = el.find(cls("okr-progress"))
                want = "%d%%" % int(item["progress"] * 100 + 0.5)
                if prog is None or prog.all_text().strip() != want:
                    bad(where + " progress", "shows %r, okrs --json %s" %
                        (prog and prog.all_text(), want))
                else:
                    ok(where + " progress")
                words = el.find(cls("okr-status"))
                got = el.attrs.get("data-status")
                if got != item["status"]:
                    bad(where + " status", "shows %r, okrs --json %r" %
                        (got, item["status"]))
                elif words is None or not words.all_text().strip():
                    bad(where + " status", "no words for it")
                else:
                    ok(where + " status")


if __name__ == "__main__":
    sys.exit(main())
