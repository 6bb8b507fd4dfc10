#!/usr/bin/env python3
"""csv_crosscheck.py: reads a test site's CSV files with `opsbook data` and
with DuckDB and compares the two, cell for cell. Python 3 stdlib only.

  csv_crosscheck.py gen SITE    add typed tables y00..y29 to SITE: files
                                written by Python's csv module, sources in
                                SITE/opsbook.yaml, entries in SITE/tables.json
  csv_crosscheck.py raw SITE    every table of SITE/tables.json:
                                `opsbook data T --json --raw` equals DuckDB's
                                all-VARCHAR reading (and, for the typed tables,
                                the cells Python wrote)
  csv_crosscheck.py typed SITE  the typed tables: `opsbook data T --json`
                                equals DuckDB's typed reading

SITE/tables.json maps a source name to {"path", "delim", "newline"} and, for
typed tables, "kinds" (one per column, see KINDS) and "cells" (the text
Python wrote, "" for empty). Needs OPSBOOK (the binary) and DUCKDB_NODE (the
node_modules folder holding @duckdb/node-api) in the environment. Prints
each difference (the first 20) and exits 1 when there is any.
"""
import csv
import datetime
import io
import json
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_REPORTED = 20

# What each kind of typed column holds, what opsbook infers for it (the
# SPEC's rules), and how DuckDB is told to read it: None lets its sniffer
# infer the type (which must then be one of the types accepted: the test
# checks DuckDB's inference too), else the type is declared with read_csv's
# `types`. A declared type marks a place where DuckDB's inference rules and
# the SPEC's differ on purpose:
# - code: "007", zip codes. The SPEC keeps leading-zero codes as strings;
#   DuckDB 1.5's sniffer happens to agree, but that is its choice, not a
#   rule, so the column is declared VARCHAR.
# - bigid: integers past 2^53 stay strings in the SPEC (a double would merge
#   them); DuckDB reads them as BIGINT. Declared VARCHAR.
# - signed: "+1.5", ".5", "-.25", "1E5". The SPEC's numbers take a leading
#   '+' and a missing integer part; DuckDB's sniffer leaves such a column
#   VARCHAR although its DOUBLE cast reads every value. Declared DOUBLE.
KINDS = {
    # kind: (opsbook's inferred type, DuckDB declared type, DuckDB types accepted)
    "int": ("integer", None, ["BIGINT"]),
    "dec": ("number", None, ["DOUBLE"]),
    "signed": ("number", "DOUBLE", ["DOUBLE"]),
    "bool": ("boolean", None, ["BOOLEAN"]),
    "date": ("date", None, ["DATE"]),
    "ts": ("datetime", None, ["TIMESTAMP"]),
    "tstz": ("datetime", None, ["TIMESTAMP", "TIMESTAMP WITH TIME ZONE"]),
    "code": ("string", "VARCHAR", ["VARCHAR"]),
    "bigid": ("string", "VARCHAR", ["VARCHAR"]),
    "text": ("string", None, ["VARCHAR"]),
}
# opsbook's type -> the shape of its --json value and DuckDB's slot for it.
SHAPES = {"integer": "number", "number": "number", "boolean": "boolean", "date": "date",
          "datetime": "datetime", "string": "string"}


def fail_env(msg):
    print("csv_crosscheck: " + msg, file=sys.stderr)
    sys.exit(2)


def sql_str(s):
    return "'" + s.replace("'", "''") + "'"


def sql_ident(s):
    return '"' + s.replace('"', '""') + '"'


# ---- typed tables ----

def rand_date(rng):
    if rng.random() < 0.1:
        return rng.choice([datetime.date(1, 1, 1), datetime.date(9999, 12, 31),
                           datetime.date(2000, 2, 29), datetime.date(1970, 1, 1)])
    return datetime.date(1900, 1, 1) + datetime.timedelta(days=rng.randint(0, 73000))


def rand_time(rng, seconds=True):
    h, m, s = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
    if not seconds:
        return "%02d:%02d" % (h, m)
    t = "%02d:%02d:%02d" % (h, m, s)
    if rng.random() < 0.4:  # DuckDB's TIMESTAMP keeps microseconds, no more
        t += "." + "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 6)))
    return t


def rand_offset(rng):
    hh, mm = rng.randint(0, 14), rng.choice([0, 0, 30, 45])
    sign = rng.choice("+-")
    return rng.choice(["Z", "%s%02d" % (sign, hh), "%s%02d%02d" % (sign, hh, mm),
                       "%s%02d:%02d" % (sign, hh, mm)])


def rand_float(rng):
    r = rng.random()
    if r < 0.1:
        return rng.choice([5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
                           0.1, 1e-5, 1.5e20, 123456789.125, -0.0])
    if r < 0.4:
        return rng.uniform(-1e6, 1e6)
    return rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30)


WORDS = ["é", "ß", "Ж", "中", "🙂", "naïve", "Zoë", "a", "x", "€", "ö"]
TEXT_BITS = WORDS + [" ", ",", ";", "\t", "|", '"', "\n", "\r\n", "\r", "0", "7", "'", "#"]


def value(kind, rng, first):
    """A cell of `kind`: what is handed to csv.writer (a str, or an int or
    float so that QUOTE_NONNUMERIC leaves it unquoted)."""
    if kind == "int":
        if rng.random() < 0.1:  # the SPEC's bounds: +-2^53 are still integers
            return rng.choice([2 ** 53, -2 ** 53, 0, -1])
        if rng.random() < 0.3:
            return rng.randint(-2 ** 53, 2 ** 53)
        return rng.randint(-10 ** 6, 10 ** 6)
    if kind == "dec":
        if first:  # one fraction at least: DuckDB infers DOUBLE, not BIGINT
            return rng.choice([0.5, -12.25, 3.0])
        r = rng.random()
        if r < 0.5:
            return rand_float(rng)
        if r < 0.7:
            return "%.*f" % (rng.randint(1, 8), rng.uniform(-1e4, 1e4))
        if r < 0.85:
            return "%de%d" % (rng.randint(-999, 999), rng.randint(-20, 20))
        return rng.randint(-1000, 1000)
    if kind == "signed":
        if first:
            return "+1.5"
        return rng.choice(["+", "-", ""]) + rng.choice([
            ".%d" % rng.randint(0, 99999),
            "%d.%d" % (rng.randint(1, 9999), rng.randint(0, 99)),
            "%dE%d" % (rng.randint(1, 99), rng.randint(-5, 5)),
            "%d" % rng.randint(1, 10 ** 6)])
    if kind == "bool":
        word = rng.choice(["true", "false"])
        return rng.choice([word, word.upper(), word.capitalize()])
    if kind == "date":
        return rand_date(rng).isoformat()
    if kind in ("ts", "tstz"):
        d = rand_date(rng).isoformat()
        if kind == "ts" and d.startswith("0001"):
            d = "2001" + d[4:]
        zoned = kind == "tstz" and (first or rng.random() < 0.7)
        # Both read "2026-11-21T10:30" (no seconds), but DuckDB not with an
        # offset after it ("10:30+02"), which ISO 8601 and the SPEC allow.
        t = d + rng.choice("T ") + rand_time(rng, seconds=zoned or rng.random() < 0.9)
        if zoned:
            if d.startswith(("0001", "9999")):  # an offset could leave the range
                t = "2020" + t[4:]
            t += rand_offset(rng)
        return t
    if kind == "code":
        digits = rng.randint(2, 6)
        if first or rng.random() < 0.5:
            return "0" + "".join(rng.choice("0123456789") for _ in range(digits - 1))
        return str(rng.randint(1, 10 ** digits - 1))
    if kind == "bigid":
        if first:
            return str(rng.choice([2 ** 53 + 1, -2 ** 53 - 1, 2 ** 63 - 1]))
        if rng.random() < 0.6:
            return str(rng.randint(2 ** 53 + 1, 2 ** 63 - 1))
        return str(rng.randint(0, 10 ** 6))
    if kind == "text":
        # Starts with a letter, so no rule reads it as anything but text.
        s = rng.choice(WORDS) + "".join(rng.choice(TEXT_BITS) for _ in range(rng.randint(0, 8)))
        return s if s.lower() not in ("true", "false") else s + "!"
    raise ValueError(kind)


def quoting_styles():
    styles = [csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC, csv.QUOTE_NONE]
    # Python 3.12 adds these two; Debian 12's 3.11 does not have them.
    styles += [getattr(csv, n) for n in ("QUOTE_STRINGS", "QUOTE_NOTNULL") if hasattr(csv, n)]
    return styles


def cell_text(v):
    """What csv.writer writes for a cell: repr() of a float, "" for None."""
    return "" if v is None else (repr(v) if isinstance(v, float) else str(v))


def write_csv(header, rows, delim, style, newline):
    """The file's text, or None when the style cannot write these rows
    unambiguously: QUOTE_NONE meets a delimiter or quote, or a line-end
    character that is not in `newline` is left unquoted (csv.writer only
    quotes the characters of its own lineterminator, but a reader takes
    CR, LF and CRLF alike for a line end)."""
    out = io.StringIO(newline="")
    w = csv.writer(out, delimiter=delim, quoting=style, lineterminator=newline,
                   escapechar=None)
    try:
        w.writerow(header)
        w.writerows(rows)
        back = list(csv.reader(io.StringIO(out.getvalue(), newline=""), delimiter=delim))
    except csv.Error:
        return None
    if back != [header] + [[cell_text(v) for v in row] for row in rows]:
        return None
    return out.getvalue()


def cmd_gen(site, count=30, seed=20261122):
    rng = random.Random(seed)
    tables = json.load(open(os.path.join(site, "tables.json")))
    yaml_lines = []
    kinds_all = sorted(KINDS)
    for n in range(count):
        name = "y%02d" % n
        kinds = [rng.choice(kinds_all) for _ in range(rng.randint(1, 8))]
        if n < len(kinds_all):  # every kind in some table
            kinds[0] = kinds_all[n]
        header = ["c%d" % i for i in range(len(kinds))]
        rows = []
        for r in range(rng.randint(1, 40)):
            row = []
            for k in kinds:
                if r > 0 and rng.random() < 0.12:
                    row.append(None)  # empty: "" with QUOTE_ALL, nothing otherwise
                else:
                    row.append(value(k, rng, r == 0))
            rows.append(row)
        delim = rng.choice([",", ";", "\t", "|"])
        newline = rng.choice(["\n", "\r\n", "\r"])
        text = None
        while text is None:  # QUOTE_ALL always works
            text = write_csv(header, rows, delim, rng.choice(quoting_styles()), newline)
        bom = rng.random() < 0.2
        path = "data/%s.csv" % name
        with open(os.path.join(site, path), "w", encoding="utf-8-sig" if bom else "utf-8",
                  newline="") as f:
            f.write(text)
        # What a reader must find in each cell: csv.writer's own text of it.
        cells = [[cell_text(v) for v in row] for row in rows]
        tables[name] = {"path": path, "delim": delim, "newline": newline,
                        "kinds": kinds, "header": header, "cells": cells}
        yaml_lines.append("  %s: {path: %s, delimiter: %s}" % (name, path, json.dumps(delim)))
    with open(os.path.join(site, "opsbook.yaml"), "a") as f:
        f.write("\n".join(yaml_lines) + "\n")
    with open(os.path.join(site, "tables.json"), "w") as f:
        json.dump(tables, f)


# ---- running both readers ----

def duckdb(sql, site, json_out):
    node_modules = os.environ.get("DUCKDB_NODE", "")
    if not node_modules or not os.path.isfile(
            os.path.join(node_modules, "@duckdb", "node-api", "package.json")):
        fail_env("@duckdb/node-api missing: run tools/test-deps.sh")
    sql_file = os.path.join(site, "crosscheck-%s.sql" % ("json" if json_out else "csv"))
    with open(sql_file, "w") as f:
        f.write(sql)
    cmd = ["node", os.path.join(HERE, "duckdb.js"), "--cwd", site]
    cmd += ["--json"] if json_out else []
    p = subprocess.run(cmd + [sql_file], capture_output=True)
    if p.returncode != 0:
        fail_env("DuckDB failed on %s:\n%s" % (sql_file, p.stderr.decode("utf-8", "replace")))
    return p.stdout.decode("utf-8")


def opsbook(site, name, raw):
    exe = os.environ.get("OPSBOOK") or fail_env("OPSBOOK is not set")
    cmd = [exe, "-C", site, "data", name, "--json"] + (["--raw"] if raw else [])
    p = subprocess.run(cmd, capture_output=True)
    if p.returncode != 0:
        return None, "opsbook data %s failed (%d): %s" % (
            name, p.returncode, p.stderr.decode("utf-8", "replace").strip())
    return json.loads(p.stdout.decode("utf-8")), None


def opsbook_types(site, name):
    """The column types `opsbook data NAME` shows (its "column  type" table)."""
    exe = os.environ.get("OPSBOOK") or fail_env("OPSBOOK is not set")
    p = subprocess.run([exe, "-C", site, "data", name, "--head", "1"], capture_output=True)
    if p.returncode != 0:
        return None, "opsbook data %s failed (%d): %s" % (
            name, p.returncode, p.stderr.decode("utf-8", "replace").strip())
    lines = p.stdout.decode("utf-8").split("\n")
    try:
        start = lines.index("column  type") + 1
        end = lines.index("", start)
    except ValueError:
        return None, "opsbook data %s: no column table in its output" % name
    return [line.split()[1] for line in lines[start:end]], None


def read_options(t):
    # Everything about the file's dialect is given, nothing sniffed: comment=''
    # and skip=0 stop the sniffer from taking a '#' line for a comment or
    # skipping rows it finds odd. allow_quoted_nulls (DuckDB's default, made
    # explicit) reads a quoted "" as NULL like an unquoted empty field: the
    # SPEC's "an empty field, quoted or not, is empty".
    return ("delim=%s, quote='\"', escape='\"', header=true, new_line=%s, comment='', "
            "skip=0, allow_quoted_nulls=true"
            % (sql_str(t["delim"]), sql_str(t["newline"].replace("\r", "\\r").replace("\n", "\\n"))))


def header_of(site, t):
    if "header" in t:
        return t["header"]
    with open(os.path.join(site, t["path"]), newline="", encoding="utf-8-sig") as f:
        return next(csv.reader(f, delimiter=t["delim"]))


class Report:
    def __init__(self):
        self.problems = 0

    def __call__(self, msg):
        self.problems += 1
        if self.problems <= MAX_REPORTED:
            print(msg)

    def done(self, what):
        if self.problems > MAX_REPORTED:
            print("... and %d more" % (self.problems - MAX_REPORTED))
        print("%s: %d difference(s)" % (what, self.problems))
        return 1 if self.problems else 0


def setup_sql():
    # One thread keeps row_number() OVER () in file order; UTC is the
    # site's time zone (the default), where datetimes without an offset are.
    return "SET threads = 1;\nSET TimeZone = 'UTC';\n"


def cmd_raw(site):
    tables = json.load(open(os.path.join(site, "tables.json")))
    names = sorted(tables)
    sql = [setup_sql()]
    selects = []
    headers = {}
    for name in names:
        t = tables[name]
        header = headers[name] = header_of(site, t)
        # No sniffing at all (auto_detect=false): the columns are given, every
        # one VARCHAR, so DuckDB's parser alone reads the file.
        cols = ", ".join("%s: 'VARCHAR'" % sql_str(h) for h in header)
        sql.append("CREATE TABLE %s AS SELECT row_number() OVER () AS \"#row\", * FROM read_csv(%s, %s, "
                   "all_varchar=true, auto_detect=false, columns={%s});\n"
                   % (sql_ident("raw " + name), sql_str(t["path"]), read_options(t), cols))
        for i, h in enumerate(header):
            selects.append("SELECT %s AS tbl, \"#row\" AS r, %d AS i, %s AS v FROM %s"
                           % (sql_str(name), i, sql_ident(h), sql_ident("raw " + name)))
    sql.append("\nUNION ALL\n".join(selects) + "\nORDER BY tbl, r, i;\n")
    out = duckdb("".join(sql), site, json_out=False)
    # An empty field is NULL in DuckDB (see read_options) and "" in opsbook's
    # --raw; duckdb.js prints NULL as an empty CSV field, read back as ''.
    duck = {name: {} for name in names}
    reader = csv.reader(io.StringIO(out, newline=""))
    if next(reader) != ["tbl", "r", "i", "v"]:
        fail_env("unexpected header from duckdb.js")
    for tbl, r, i, v in reader:
        duck[tbl].setdefault(int(r), {})[headers[tbl][int(i)]] = v
    report = Report()
    for name in names:
        got, err = opsbook(site, name, raw=True)
        if err:
            report(err)
            continue
        want = [duck[name][r] for r in sorted(duck[name])]
        compare_rows(report, name, "DuckDB", got, want)
        if "cells" in tables[name]:
            python = [dict(zip(headers[name], row)) for row in tables[name]["cells"]]
            compare_rows(report, name, "Python's csv", got, python)
    return report.done("raw cells, opsbook vs DuckDB, %d tables" % len(names))


def compare_rows(report, name, other, got, want):
    if len(got) != len(want):
        report("%s: opsbook read %d rows, %s %d" % (name, len(got), other, len(want)))
    for r, (g, w) in enumerate(zip(got, want)):
        if list(g) != list(w):
            report("%s row %d: opsbook's columns %r, %s's %r" % (name, r + 1, list(g), other, list(w)))
            continue
        for col in w:
            if g[col] != w[col]:
                report("%s row %d %s: opsbook %r, %s %r" % (name, r + 1, col, g[col], other, w[col]))


def parse_instant(s, zulu):
    """A datetime text as a naive UTC datetime (microseconds)."""
    if zulu:
        if not s.endswith("Z"):
            return None
        s = s[:-1]
    date, _, time = s.partition("T")
    frac = ""
    if "." in time:
        time, frac = time.split(".")
    if len(frac) > 6:
        return None
    try:
        d = datetime.datetime.strptime(date + "T" + time, "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return None
    return d.replace(microsecond=int((frac + "000000")[:6]))


def same(kind, got, want):
    """Whether opsbook's typed JSON value `got` is DuckDB's `want`."""
    shape = SHAPES[KINDS[kind][0]]
    if want is None or got is None:
        return got is None and want is None
    if shape == "number":
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            return False
        a, b = float(got), float(want)
        return a == b or abs(a - b) <= 1e-12 * max(abs(a), abs(b))
    if shape == "boolean":
        return got is want
    if shape == "date":
        return isinstance(got, str) and got == want
    if shape == "datetime":
        return isinstance(got, str) and parse_instant(got, True) == parse_instant(want, False) \
            and parse_instant(got, True) is not None
    return got == want


def cmd_typed(site):
    tables = json.load(open(os.path.join(site, "tables.json")))
    names = sorted(n for n in tables if "kinds" in tables[n])
    sql = [setup_sql()]
    selects = []
    slots = {"number": ("num", "DOUBLE"), "boolean": ("bool", "BOOLEAN"), "date": ("date", "DATE"),
             "datetime": ("ts", "TIMESTAMP"), "string": ("str", "VARCHAR")}
    for name in names:
        t = tables[name]
        declared = {h: KINDS[k][1] for h, k in zip(t["header"], t["kinds"]) if KINDS[k][1]}
        types = ""
        if declared:
            types = ", types={%s}" % ", ".join("%s: %s" % (sql_str(h), sql_str(ty))
                                               for h, ty in declared.items())
        # The other columns' types are DuckDB's own inference (checked below).
        sql.append("CREATE TABLE %s AS SELECT row_number() OVER () AS \"#row\", * FROM read_csv(%s, %s%s);\n"
                   % (sql_ident("typed " + name), sql_str(t["path"]), read_options(t), types))
        for i, (h, k) in enumerate(zip(t["header"], t["kinds"])):
            slot = slots[SHAPES[KINDS[k][0]]][0]
            cols = []
            for s, ty in slots.values():
                # TRY_CAST: a column DuckDB typed otherwise shows in `type`
                # rather than stopping the query. TIMESTAMPTZ becomes UTC.
                cols.append(("TRY_CAST(%s AS %s)" % (sql_ident(h), ty) if s == slot
                             else "NULL::%s" % ty) + " AS " + s)
            selects.append("SELECT %s AS tbl, \"#row\" AS r, %d AS i, typeof(%s) AS type, %s FROM %s"
                           % (sql_str(name), i, sql_ident(h), ", ".join(cols), sql_ident("typed " + name)))
    sql.append("\nUNION ALL\n".join(selects) + "\nORDER BY tbl, r, i;\n")
    out = json.loads(duckdb("".join(sql), site, json_out=True))
    duck = {name: {} for name in names}
    report = Report()
    seen_type = set()
    for row in out:
        t = tables[row["tbl"]]
        kind = t["kinds"][row["i"]]
        slot = slots[SHAPES[KINDS[kind][0]]][0]
        key = (row["tbl"], row["i"])
        if row["type"] not in KINDS[kind][2] and key not in seen_type:
            seen_type.add(key)
            report("%s %s (%s): DuckDB typed it %s, expected %s" % (
                row["tbl"], t["header"][row["i"]], kind, row["type"], " or ".join(KINDS[kind][2])))
        duck[row["tbl"]].setdefault(row["r"], []).append(row[slot])
    for name in names:
        t = tables[name]
        types, err = opsbook_types(site, name)
        if err:
            report(err)
            continue
        want_types = [KINDS[k][0] for k in t["kinds"]]
        if types != want_types:
            report("%s: opsbook inferred %s, the SPEC's rules give %s" % (
                name, " ".join(types), " ".join(want_types)))
        got, err = opsbook(site, name, raw=False)
        if err:
            report(err)
            continue
        want = [duck[name][r] for r in sorted(duck[name])]
        if len(got) != len(want):
            report("%s: opsbook read %d rows, DuckDB %d" % (name, len(got), len(want)))
        for r, (g, w) in enumerate(zip(got, want)):
            if list(g) != t["header"]:
                report("%s row %d: opsbook's columns %r" % (name, r + 1, list(g)))
                continue
            for h, k, wv in zip(t["header"], t["kinds"], w):
                if not same(k, g[h], wv):
                    report("%s row %d %s (%s): opsbook %r, DuckDB %r (cell %r)" % (
                        name, r + 1, h, k, g[h], wv, t["cells"][r][t["header"].index(h)]))
    return report.done("typed values, opsbook vs DuckDB, %d tables" % len(names))


def main(argv):
    if len(argv) != 3 or argv[1] not in ("gen", "raw", "typed"):
        print(__doc__.strip().split("\n\n")[0], file=sys.stderr)
        print("usage: csv_crosscheck.py gen|raw|typed SITE", file=sys.stderr)
        return 2
    site = os.path.abspath(argv[2])
    if argv[1] == "gen":
        cmd_gen(site)
        return 0
    return cmd_raw(site) if argv[1] == "raw" else cmd_typed(site)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
