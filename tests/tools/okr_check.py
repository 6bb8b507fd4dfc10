#!/usr/bin/env python3
# okr_check.py GOT.json EXPECTED [PREFIX]: compares the output of
# `opsbook okrs --json` with hand-computed expectations.
#
# EXPECTED is a file (or - for stdin) holding one Python expression,
# evaluated without builtins so that a value can be written as its
# derivation (51/92, (0.5*1 + 1*2 + 0.4*1)/4) and commented with #:
#
#   {"as_of": "2026-11-20",           # top-level keys of the output
#    "latest": "2026-Q4",
#    "labels": ["2026-Q3", "2026-Q4"], # the quarters printed, in order
#    "2026-Q4": {                      # a quarter, by its label
#        "state": "running", "expected": 51/92,   # fields of the quarter
#        "order": ["co-O1", ...],      # its objectives' ids, in order
#        "growth-O1": {"progress": 2.9/4, "status": "on_track"},
#        "kr-ttv": {"current": 1.5},   # an objective or key result, by id
#    }}
#
# Only the fields named are compared; numbers within 1e-9. Prints one line
# per expectation block: "ok NAME" or "FAIL NAME: what differs", so that the
# calling script counts one check per quarter, objective and key result.
# Exit status 1 when anything differs.
# SPDX-License-Identifier: MIT
import json
import sys

TOL = 1e-9
QUARTER_FIELDS = {"quarter", "start", "end", "state", "expected"}


def same(got, want):
    if isinstance(want, bool) or want is None or isinstance(got, bool):
        return type(got) is type(want) and got == want
    if isinstance(want, (int, float)):
        return isinstance(got, (int, float)) and abs(got - want) <= TOL
    return got == want


def compare(obj, want):
    bad = []
    for k, w in want.items():
        if k not in obj:
            bad.append(f"{k} missing")
        elif not same(obj[k], w):
            bad.append(f"{k}: got {obj[k]!r}, want {w!r}")
    return bad


def main():
    got = json.load(open(sys.argv[1]))
    src = sys.stdin.read() if sys.argv[2] == "-" else open(sys.argv[2]).read()
    want = eval(src, {"__builtins__": {}}, {"null": None, "true": True,
                                             "false": False})
    prefix = sys.argv[3] + " " if len(sys.argv) > 3 else ""
    failed = False

    def say(name, bad):
        nonlocal failed
        if bad:
            failed = True
            print(f"FAIL {prefix}{name}: " + "; ".join(bad))
        else:
            print(f"ok {prefix}{name}")

    quarters = {q["quarter"]: q for q in got.get("quarters", [])}
    top = {}
    for key, w in want.items():
        if not isinstance(w, dict):
            top[key] = w
    if "labels" in top:
        top.pop("labels")
        labels = [q["quarter"] for q in got.get("quarters", [])]
        say("quarters", [] if labels == want["labels"] else
            [f"labels: got {labels!r}, want {want['labels']!r}"])
    if top:
        say("top level", compare(got, top))
    for label, wq in want.items():
        if not isinstance(wq, dict):
            continue
        q = quarters.get(label)
        if q is None:
            say(label, [f"no quarter {label!r} (have {sorted(quarters)!r})"])
            continue
        items = {}
        for o in q["objectives"]:
            items[o["id"]] = o
            for kr in o["key_results"]:
                items[kr["id"]] = kr
        qwant = {k: v for k, v in wq.items() if k in QUARTER_FIELDS}
        bad = compare(q, qwant)
        if "order" in wq:
            ids = [o["id"] for o in q["objectives"]]
            if ids != wq["order"]:
                bad.append(f"objectives: got {ids!r}, want {wq['order']!r}")
        say(label, bad)
        for key, w in wq.items():
            if key in QUARTER_FIELDS or key == "order":
                continue
            if key not in items:
                say(f"{label} {key}", ["no such objective or key result"])
            else:
                say(f"{label} {key}", compare(items[key], w))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
