# kpi.sh: KPI series, current values and statuses against values worked out
# by hand (tests/sites/kpi/expected), and the `opsbook kpi` outputs.
# SPDX-License-Identifier: MIT
CASE=kpi
SITE=$TESTS/sites/kpi

site=$(fresh_site "$SITE")
rm -rf "$site/expected"
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" 2>"$TMPROOT/err"
check "the fixture builds" test $? -eq 0
for f in "$SITE"/expected/*.csv; do
    id=$(basename "$f" .csv)
    check "series $id" cmp "$f" "$site/public/kpis/$id.csv"
done
n=$(ls "$site/public/kpis" | grep -c '\.csv$')
check "one series per KPI" test "$n" -eq "$(ls "$SITE/expected" | wc -l)"

# kpi --csv is every series in one table.
"$OPSBOOK" -C "$site" kpi --csv --as-of "$ASOF" >"$TMPROOT/kpi.csv"
check "kpi --csv succeeds" test $? -eq 0
check "kpi --csv header" sh -c "head -1 '$TMPROOT/kpi.csv' | grep -qx 'kpi,period,group,value'"
check "kpi --csv holds every series" python3 - "$TMPROOT/kpi.csv" "$SITE/expected" <<'PY'
import csv, os, sys
rows = list(csv.reader(open(sys.argv[1])))[1:]
for name in os.listdir(sys.argv[2]):
    kpi = name[:-4]
    want = list(csv.reader(open(os.path.join(sys.argv[2], name))))[1:]
    got = [r[1:] for r in rows if r[0] == kpi]
    if got != want:
        sys.exit(f"{kpi}: {got} != {want}")
PY

# kpi --json: current, previous, delta, target and status as the SPEC says.
"$OPSBOOK" -C "$site" kpi --json --as-of "$ASOF" >"$TMPROOT/kpi.json"
check "kpi --json succeeds" test $? -eq 0
check "kpi --json states" python3 - "$TMPROOT/kpi.json" <<'PY'
import json, sys
k = {x["id"]: x for x in json.load(open(sys.argv[1]))}
def expect(got, want, what):
    if got != want:
        sys.exit(f"{what}: got {got!r}, want {want!r}")
rows = k["rows"]
expect(rows["current_period"]["label"], "2026-W46", "rows period")
expect(rows["partial_period"]["start"], "2026-11-16", "rows partial")
# no row in W46: a count reads 0, against 3 the week before
expect((rows["current"], rows["previous"], rows["delta"], rows["delta_rel"]),
       (0, 3, -3, -1), "rows current")
expect((rows["target"], rows["status"], rows["partial"]), (5, "red", 1), "rows status")
# an average has no value in an empty week: "no data", no status
a = k["avg_dur"]
expect((a["current"], a["status"], a["delta"]), (None, None, None), "avg_dur")
g = {x["group"]: x for x in k["plan_rows"]["groups"]}
expect(sorted(g), ["(empty)", "free", "pro"], "plan_rows groups")
expect((g["pro"]["current"], g["pro"]["target"], g["pro"]["status"]), (2, 2, "green"), "pro")
expect((g["free"]["current"], g["free"]["status"]), (1, "red"), "free")
expect((g["(empty)"]["current"], g["(empty)"]["status"]), (0, None), "(empty)")
m = k["m_users"]
expect((m["current"], m["previous"], m["status"]), (2, 1, "amber"), "m_users")
expect(k["median_dur"]["status"], "amber", "median_dur (down, within 10%)")
expect((k["p75_dur"]["target"], k["p75_dur"]["status"]), (20, "red"), "p75 step target")
expect((k["no_plan"]["current"], k["no_plan"]["status"]), (0, "green"), "target 0")
expect(k["nps"]["current"], None, "nps without answers in October")
expect(k["growth"]["format"], "percent", "growth format")
expect(k["rows"]["freshness"]["rows"], 8, "rows read up to as_of")
expect(k["rows"]["freshness"]["newest"], "2026-11-16T08:00:00Z", "newest row")
expect(k["growth"]["freshness"], None, "a formula has no source")
PY

# The readable table and a selection of ids.
"$OPSBOOK" -C "$site" kpi rows m_users --as-of "$ASOF" >"$TMPROOT/kpi.txt"
check "kpi IDS prints those" sh -c "test \$(wc -l < '$TMPROOT/kpi.txt') -eq 3"
check "kpi table row" grep -qE '^rows +2026-W46 +0 +−3 \(−100\.0%\) +5 +red$' "$TMPROOT/kpi.txt"
"$OPSBOOK" -C "$site" kpi row --as-of "$ASOF" 2>"$TMPROOT/err"
check "an unknown id is a usage error" test $? -eq 2
check "with a suggestion" grep -q "unknown KPI 'row' (did you mean 'rows'?)" "$TMPROOT/err"

# An older as-of reproduces an older report: nothing after it counts.
"$OPSBOOK" -C "$site" kpi -q m_rows --csv --as-of 2026-10-31 >"$TMPROOT/old.csv"
check "as-of cuts the data" sh -c "grep -c . '$TMPROOT/old.csv' | grep -qx 3"
check "October complete at its last day" python3 - "$site" <<'PY'
import json, subprocess, sys
out = subprocess.run([__import__("os").environ["OPSBOOK"], "-C", sys.argv[1], "kpi",
                      "m_rows", "--json", "--as-of", "2026-10-31"],
                     capture_output=True, text=True, check=True).stdout
k = json.loads(out)[0]
assert k["current_period"]["start"] == "2026-10-01", k["current_period"]
assert k["partial_period"] is None
assert (k["current"], k["previous"]) == (3, 1), k
PY
# churned_distinct in a period without rows: everyone of the month before
# churned (4 users in November), though GROUP BY has no December row.
"$OPSBOOK" -C "$site" kpi churned --json --as-of 2026-12-31 >"$TMPROOT/churn.json"
check "churned in an empty month is the month before's users" python3 - "$TMPROOT/churn.json" <<'PY'
import json, sys
k = json.load(open(sys.argv[1]))[0]
assert k["current_period"]["start"] == "2026-12-01", k["current_period"]
assert (k["current"], k["previous"]) == (4, 0), (k["current"], k["previous"])
assert [p["period"] for p in k["series"]] == ["2026-09-01", "2026-10-01", "2026-11-01"]
PY

# -j: sources scanned at once give the same bytes, and the same
# diagnostics in the same order, as one at a time.
site=$(fresh_site "$SITE")
rm -rf "$site/expected"
for j in 1 8; do
    "$OPSBOOK" -C "$site" build -q -j $j --out "out$j" --as-of "$ASOF"
done
check "-j1 and -j8 build the same files" \
    sh -c "test \"\$(tree_sum '$site/out1')\" = \"\$(tree_sum '$site/out8')\""
printf 'ts,user,plan,dur\n2026-11-02,u1,pro,x\n' >"$site/data/events.csv"
printf 'date,score\n2026-11-02,11\n2026-11-03,"\n' >"$site/data/survey.csv"
"$OPSBOOK" -C "$site" check -j1 --as-of "$ASOF" 2>"$TMPROOT/j1.err"
"$OPSBOOK" -C "$site" check -j8 --as-of "$ASOF" 2>"$TMPROOT/j8.err"
check "-j1 and -j8 report the same problems" cmp "$TMPROOT/j1.err" "$TMPROOT/j8.err"
check "problems of two sources are reported" sh -c "test \$(grep -c error: '$TMPROOT/j8.err') -ge 2"
"$OPSBOOK" -C "$site" check -j 0 2>/dev/null
check "-j 0 is a usage error" test $? -eq 2

# Large files are read in pieces on several threads (OPSBOOK_PIECE_BYTES
# makes the fixture's files "large"): the same series, and problems at the
# same positions, as one whole read.
site=$(fresh_site "$SITE")
rm -rf "$site/expected"
OPSBOOK_PIECE_BYTES=40 "$OPSBOOK" -C "$site" build -q -j3 --out pieces --as-of "$ASOF"
n=0
for f in "$SITE"/expected/*.csv; do
    cmp -s "$f" "$site/pieces/kpis/$(basename "$f")" || n=$((n + 1))
done
check "pieces of 40 bytes give every series unchanged" test "$n" -eq 0
# quoted line feeds and delimiters, doubled and stray quotes, CRLF, and
# bad cells in several pieces
printf 'ts,user,plan,dur\r\n' >"$site/data/events.csv"
for i in 1 2 3 4 5 6 7 8 9; do
    printf '2026-11-0%s,"u%s\nx",pro,%s\r\n2026-11-0%s,a"b,"f,""r""",x%s\r\n' \
        "$i" "$i" "$i" "$i" "$i" >>"$site/data/events.csv"
done
sed -i 's/events: {path: data\/events.csv, time: ts}/events: {path: data\/events.csv, time: ts, columns: {dur: number}}/' "$site/opsbook.yaml"
"$OPSBOOK" -C "$site" check --as-of "$ASOF" 2>"$TMPROOT/whole.err"
OPSBOOK_PIECE_BYTES=30 "$OPSBOOK" -C "$site" check -j4 --as-of "$ASOF" 2>"$TMPROOT/pieces.err"
check "problems in pieces are reported as in one read" cmp "$TMPROOT/whole.err" "$TMPROOT/pieces.err"
check "at their cells" grep -q "^data/events.csv:28:26: error: .x9. does not fit" "$TMPROOT/pieces.err"
sed -i 's/,x\([0-9]\)\r$/,\1\r/' "$site/data/events.csv"
for pb in "" 25 60; do
    OPSBOOK_PIECE_BYTES=$pb "$OPSBOOK" -C "$site" kpi -q -j4 --csv --as-of "$ASOF" >"$TMPROOT/p$pb.csv"
done
check "quoted line feeds and stray quotes: pieces of 25 bytes" cmp "$TMPROOT/p.csv" "$TMPROOT/p25.csv"
check "quoted line feeds and stray quotes: pieces of 60 bytes" cmp "$TMPROOT/p.csv" "$TMPROOT/p60.csv"
check "the rows were read" grep -q '^users,2026-11-02,,8' "$TMPROOT/p.csv"

# Regression: two distinct counts over one column, a row that every KPI
# skips, then a row with an empty cell: the empty cell must not count the
# skipped row's value (a stale prefetched key once did).
site=$(mktemp -d "$TMPROOT/stale.XXXXXX")
mkdir -p "$site/data"
printf 'site: {title: T}\nsources:\n  e: {path: data/e.csv, time: ts}\nkpis:\n' >"$site/opsbook.yaml"
printf '  - {id: a, title: A, source: e, measure: count_distinct(user), where: plan == "pro", grain: week}\n' >>"$site/opsbook.yaml"
printf '  - {id: b, title: B, source: e, measure: count_distinct(user), where: plan == "pro", grain: month}\n' >>"$site/opsbook.yaml"
printf 'ts,user,plan\n2026-11-02,u1,pro\n2026-11-03,zz,free\n2026-11-04,,pro\n' >"$site/data/e.csv"
"$OPSBOOK" -C "$site" kpi --csv --as-of "$ASOF" >"$TMPROOT/stale.csv"
check "an empty cell does not count the previous row's value" \
    cmp "$TMPROOT/stale.csv" - <<'CSV'
kpi,period,group,value
a,2026-11-02,,1
b,2026-11-01,,1
CSV
report
