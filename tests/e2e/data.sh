# data.sh: `opsbook data` over the quirks of real exports, typed and raw,
# and a round trip of random tables written by Python's csv module.
# SPDX-License-Identifier: MIT
CASE=data
SITE=$TESTS/sites/data

for s in quirks french daily zips feedback; do
    "$OPSBOOK" -C "$SITE" data "$s" > "$TMPROOT/$s.txt" 2>"$TMPROOT/err"
    check "data $s (text)" cmp -s "$TMPROOT/$s.txt" "$SITE/expected/$s.txt"
    "$OPSBOOK" -C "$SITE" data "$s" --json > "$TMPROOT/$s.json"
    check "data $s --json" cmp -s "$TMPROOT/$s.json" "$SITE/expected/$s.json"
    check "data $s --json is JSON" python3 -c "import json; json.load(open('$TMPROOT/$s.json'))"
done
"$OPSBOOK" -C "$SITE" data french --json --raw > "$TMPROOT/raw.json"
check "data --json --raw" cmp -s "$TMPROOT/raw.json" "$SITE/expected/french-raw.json"
"$OPSBOOK" -C "$SITE" data quirks --head 1 > "$TMPROOT/head.txt"
rows=$(awk -v RS= 'END { print split($0, lines, "\n") }' "$TMPROOT/head.txt")
check "--head 1 shows the header and one row" test "$rows" -eq 2
"$OPSBOOK" -C "$SITE" data data/zips.csv --json > "$TMPROOT/file.json"
check "a file path without a source" grep -q '"zip": "01234"' "$TMPROOT/file.json"
"$OPSBOOK" -C "$SITE" data quirks --raw > /dev/null 2>&1
check "--raw without --json is a usage error" test $? -eq 2
"$OPSBOOK" -C "$SITE" check --as-of $ASOF
check "check reads every source cleanly" test $? -eq 0

# Random tables, every quoting style and line end, written by Python's csv
# module (not by us) and read back: the raw cells must come back equal.
site=$(mktemp -d "$TMPROOT/rt.XXXXXX")
python3 - "$site" <<'PY'
import csv, json, random, sys, os
random.seed(20261121)
site = sys.argv[1]
os.makedirs(site + "/data")
alphabet = ["a", "b", "Z", "0", "7", " ", ",", ";", '"', "\n", "\r\n", "é", "€", "\t", "|", "x"]
styles = [csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]
expected = {}
tables = {}  # for the DuckDB cross-check below
srcs = []
for n in range(30):
    cols = random.randint(1, 6)
    delim = random.choice([",", ";", "\t", "|"])
    header = ["c%d" % i for i in range(cols)]
    rows = []
    for r in range(random.randint(1, 40)):
        row = ["".join(random.choice(alphabet) for _ in range(random.randint(0, 8)))
               for _ in range(cols)]
        if all(v == "" for v in row) and cols == 1:
            row[0] = "x"  # a lone empty field is a blank line, skipped
        rows.append(row)
    name = "t%02d" % n
    style = random.choice(styles)
    newline = random.choice(["\n", "\r\n"])
    with open("%s/data/%s.csv" % (site, name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=delim, quoting=style, lineterminator=newline)
        w.writerow(header)
        w.writerows(rows)
    expected[name] = [dict(zip(header, row)) for row in rows]
    tables[name] = {"path": "data/%s.csv" % name, "delim": delim, "newline": newline}
    srcs.append("  %s: {path: data/%s.csv, delimiter: %s}" % (name, name, json.dumps(delim)))
open(site + "/opsbook.yaml", "w").write("site: {title: RT}\nsources:\n" + "\n".join(srcs) + "\n")
json.dump(expected, open(site + "/expected.json", "w"))
json.dump(tables, open(site + "/tables.json", "w"))
PY
ok=0
bad=0
for n in $(python3 -c "import json; print(' '.join(sorted(json.load(open('$site/expected.json')))))"); do
    "$OPSBOOK" -C "$site" data "$n" --json --raw > "$TMPROOT/rt.json" 2>"$TMPROOT/rt.err"
    if python3 -c "
import json, sys
got = json.load(open('$TMPROOT/rt.json'))
want = json.load(open('$site/expected.json'))['$n']
sys.exit(0 if got == want else 1)"; then ok=$((ok + 1)); else bad=$((bad + 1)); echo "round trip $n differs"; fi
done
check "30 random tables round-trip through Python's csv module" test "$bad" -eq 0 -a "$ok" -eq 30

# The same files, and typed ones, read by DuckDB as well (the SQL and the
# rules of the comparison: tests/tools/csv_crosscheck.py). make test installs
# DuckDB (tools/test-deps.sh) and passes DUCKDB_NODE; without it these fail.
python3 "$TESTS/tools/csv_crosscheck.py" gen "$site"
if [ -z "${DUCKDB_NODE:-}" ] ||
    [ ! -f "$DUCKDB_NODE/@duckdb/node-api/package.json" ] ||
    ! command -v node > /dev/null 2>&1; then
    fail "duckdb cross-check: @duckdb/node-api missing: run tools/test-deps.sh"
else
    for part in raw typed; do
        case $part in
        raw) what="--json --raw equals DuckDB's all_varchar read_csv, cell for cell" ;;
        typed) what="--json equals DuckDB's typed read_csv on typed columns" ;;
        esac
        if python3 "$TESTS/tools/csv_crosscheck.py" $part "$site" \
            > "$TMPROOT/duckdb.out" 2>&1; then
            pass "opsbook data $what"
        else
            fail "opsbook data $what"
            sed 's/^/  /' "$TMPROOT/duckdb.out"
        fi
    done
fi

report
