# kpi_reuse.sh: `opsbook build` reuses the last build's KPI results while
# nothing they read changed (issue #12), and its OUT and diagnostics are
# those of a build from scratch; any change to what the KPIs read (a row,
# a definition, as-of, the zone, the cache file itself) computes afresh.
# `check` and `kpi` always compute and keep nothing.
# SPDX-License-Identifier: MIT
CASE=kpi_reuse

site=$(fresh_site "$TESTS/sites/xlsx")
out=$TMPROOT/kr-out
cache=$TMPROOT/.kr-out.opsbook-cache
# A source with a bad row skipped with a warning: a diagnostic of the KPI
# phase itself, which a reuse must print again.
printf 'day,n\n2026-11-02,3\n2026-11-03,x\n2026-11-04,4\n' >"$site/data/skipped.csv"
sed -i '/^  history:/a\  skipped: {path: data/skipped.csv, time: day, on_error: skip, columns: {n: number}, checks: {min_rows: 5}}' \
    "$site/opsbook.yaml"
sed -i '/^okrs:/i\  - {id: skipped_sum, title: Skipped, source: skipped, measure: sum(n), grain: week}' \
    "$site/opsbook.yaml"

# Diagnostics without the -v phase lines.
diags() {
    grep -v '^opsbook: [a-z]* ' "$1" # the -v lines: phases, pages, files
}

# build_and_compare WHAT WANT [ARGS...]: builds OUT (beside its cache) with
# -v, checks the KPI phase was WANT (reused or computed), then that OUT and
# the diagnostics equal those of a build that computes: one from a copy of
# the previous OUT (dated reports carried over, the row-drop check) without
# a cache.
build_and_compare() {
    what=$1 want=$2
    shift 2
    rm -rf "$TMPROOT/kr-clean" "$TMPROOT/.kr-clean.opsbook-cache"
    [ -d "$out" ] && cp -R "$out" "$TMPROOT/kr-clean"
    (cd "$site" && "$OPSBOOK" build -v --as-of "$ASOF" --out "$out" "$@") \
        >/dev/null 2>"$TMPROOT/kr.err"
    status=$?
    if grep -q '^opsbook: kpis .* ms (reused)$' "$TMPROOT/kr.err"; then
        got=reused
    else
        got=computed
    fi
    check "$what: KPIs $want" test "$got" = "$want"
    (cd "$site" && "$OPSBOOK" build --as-of "$ASOF" --out "$TMPROOT/kr-clean" "$@") \
        >/dev/null 2>"$TMPROOT/kr-clean.err"
    check "$what: the same exit status" test "$status" -eq $?
    if [ "$status" -ne 0 ]; then
        # both failed: each OUT is the previous one, untouched
        check "$what: OUT is left as it was" diff -r "$TMPROOT/kr-clean" "$out"
    elif diff -r "$TMPROOT/kr-clean" "$out" >"$TMPROOT/kr.diff" 2>&1; then
        pass "$what: OUT is byte-identical to a build from scratch"
    else
        fail "$what: OUT differs from a build from scratch"
        head -n 20 "$TMPROOT/kr.diff" | sed 's/^/  /'
    fi
    if diags "$TMPROOT/kr.err" | diff -u "$TMPROOT/kr-clean.err" - >"$TMPROOT/kr.diff"; then
        pass "$what: the same diagnostics"
    else
        fail "$what: the diagnostics differ"
        sed 's/^/  /' "$TMPROOT/kr.diff"
    fi
}

# What the charts and reports phases did (-v): charts drawn and kept,
# and whether the reports were made from the last build's data.
drawn() { sed -n 's/^opsbook: charts *\([0-9]*\) drawn.*/\1/p' "$TMPROOT/kr.err"; }
unchanged() { sed -n 's/^opsbook: charts .* \([0-9]*\) unchanged$/\1/p' "$TMPROOT/kr.err"; }
same_data() { grep -q '^opsbook: reports .* ms (same data)$' "$TMPROOT/kr.err"; }
inode() { stat -c %i "$out/$1"; }

build_and_compare "first build" computed
check "the build keeps its KPI results beside OUT" test -s "$cache/kpis"
check "the first build draws every chart" test "$(unchanged)" = 0
check "the first build makes its reports" sh -c '! grep -q "(same data)" "$1"' - "$TMPROOT/kr.err"
charts=$(drawn)
xlsx_inode=$(inode reports/ops.xlsx)
build_and_compare "nothing changed" reused
check "nothing changed: no chart drawn" test "$(drawn)" = 0
check "nothing changed: every chart kept" test "$(unchanged)" = "$charts"
check "nothing changed: the same data" same_data
check "nothing changed: the workbook is the last build's file" \
    test "$(inode reports/ops.xlsx)" = "$xlsx_inode"
check "a reuse prints the KPI phase's warnings again" \
    grep -q "^data/skipped.csv:3:.*warning: 'x' does not fit column 'n'" "$TMPROOT/kr.err"
check "and the source checks" \
    grep -q "warning: source 'skipped' has 2 rows, fewer than its min_rows of 5" "$TMPROOT/kr.err"

printf '\nA new paragraph.\n' >>"$site/content/_index.md"
build_and_compare "a page edited" reused
check "the page changed" grep -rq "A new paragraph" "$out/index.html"
check "a page edited: the same data" same_data
check "a page edited: no chart drawn" test "$(drawn)" = 0

# Pages with live numbers: kept while the data is the same, with the
# charts they ask for (a chart only this page shows is kept too); a page
# whose numbers warn (a group with no rows yet) renders every build, to
# warn again.
written() { sed -n 's/^opsbook: pages *\([0-9]*\) written.*/\1/p' "$TMPROOT/kr.err"; }
cat >"$site/content/live.md" <<'MD'
---
title: Live numbers
---
WAU is {{kpi:wau}}.

```opsbook
chart: wau
periods: 5
type: bar
```
MD
build_and_compare "a page with live numbers added" reused
check "its own chart is there" sh -c 'ls "$1"/kpis/wau-*.svg' - "$out"
build_and_compare "a page with live numbers, nothing changed" reused
check "nothing changed: only the reports page rendered" test "$(written)" = 1
check "nothing changed: no chart drawn, the page's own kept" \
    test "$(drawn)" = 0
printf 'Free: {{kpi:events_by_plan[nosuchplan]}}.\n' >>"$site/content/live.md"
build_and_compare "a page whose numbers warn" reused
build_and_compare "a page whose numbers warn, nothing changed" reused
check "it warns again" grep -q "has no group 'nosuchplan'" "$TMPROOT/kr.err"
check "it is rendered again, with the reports page" test "$(written)" = 2
sed -i '/nosuchplan/d' "$site/content/live.md"
build_and_compare "the warning gone" reused

# A workbook or chart edited in OUT by hand is made again.
printf 'junk' >>"$out/reports/ops.xlsx"
printf 'junk' >>"$out/kpis/wau.svg"
build_and_compare "a workbook and a chart edited in OUT" reused
check "an edited chart is drawn again" test "$(drawn)" = 1

# A check-in file of an OKR file: the data, not the KPIs, changed.
printf 'kr,date,value,confidence,note\n' >"$site/data/okrs/checkins.csv"
printf 'checkins: data/okrs/checkins.csv\n' >>"$site/data/okrs/2026-q4.yaml"
build_and_compare "a check-in file added" reused
check "a check-in file added: other data" sh -c '! grep -q "(same data)" "$1"' - "$TMPROOT/kr.err"
build_and_compare "a check-in file, nothing changed" reused
check "a check-in file, nothing changed: the same data" same_data
printf 'support-kr-docs,2026-11-18,12,0.4,halfway\n' >>"$site/data/okrs/checkins.csv"
build_and_compare "a check-in added to the file" reused
check "a check-in added: other data" sh -c '! grep -q "(same data)" "$1"' - "$TMPROOT/kr.err"

# ${NAME} in opsbook.yaml: its value is part of the data.
sed -i 's/^  company: .*/  company: "${KR_COMPANY}"/' "$site/opsbook.yaml"
KR_COMPANY="Acme One" build_and_compare "a company from the environment" reused
KR_COMPANY="Acme One" build_and_compare "the same environment" reused
check "the same environment: the same data" same_data
KR_COMPANY="Acme Two" build_and_compare "another value in the environment" reused
check "another value in the environment: other data" \
    sh -c '! grep -q "(same data)" "$1"' - "$TMPROOT/kr.err"
sed -i 's/^  company: .*/  company: Acme \& Co <R\&D>/' "$site/opsbook.yaml"

# The email beside the workbook: made once, then kept while the data is.
cat >>"$site/opsbook.yaml" <<'YAML'
mail:
  from: "Product Ops <ops@example.com>"
  to: [lead@example.com]
YAML
build_and_compare "mail: set" reused
check "mail: the email is made" test -s "$out/reports/ops.eml"
eml_inode=$(inode reports/ops.eml)
build_and_compare "mail: nothing changed" reused
check "mail: the email is the last build's file" \
    test "$(inode reports/ops.eml)" = "$eml_inode"
printf 'junk' >>"$out/reports/ops.eml"
build_and_compare "mail: the email edited in OUT" reused

touch -d '2020-01-01 00:00' "$site/data/events.csv"
build_and_compare "a CSV touched (same bytes)" reused
cp "$site/data/tickets.csv" "$TMPROOT/kr-tickets.csv"
mv "$TMPROOT/kr-tickets.csv" "$site/data/tickets.csv"
build_and_compare "a CSV replaced by a copy (same bytes, new inode)" reused

sed -i 's/^2026-11-10,u065,team$/2026-11-10,u065,free/' "$site/data/events.csv"
grep -q '^2026-11-10,u065,free$' "$site/data/events.csv" ||
    fail "the fixture has no row to change"
build_and_compare "a CSV row changed" computed
check "a CSV row changed: the charts of its KPIs drawn" test "$(drawn)" -gt 0
check "a CSV row changed: the charts of the others kept" test "$(unchanged)" -gt 0
build_and_compare "then nothing changed" reused

# The same inode, size and mtime, other bytes. File times are coarse (a
# clock tick, or seconds): an identity taken less than two seconds before
# the cache was written, or in the future, is not trusted, and the bytes
# are compared.
touch -d '2031-01-01 00:00' "$site/data/events.csv"
build_and_compare "a CSV with an mtime in the future" reused
touch "$site/data/events.csv"
build_and_compare "a CSV touched just before the build" reused
mtime=$(stat -c %Y "$site/data/events.csv")
# the build took under a second: the cache was written then (its delta's
# time when it has one, which is what the next build goes by; see cache.h)
written=$cache/kpis
[ -f "$cache/kpis.delta" ] && written=$cache/kpis.delta
touch -d "@$((mtime + 1))" "$written"
cp -p "$site/data/events.csv" "$TMPROOT/kr-stamp"
sed 's/^2026-11-10,u065,free$/2026-11-10,u065,team/' "$site/data/events.csv" >"$TMPROOT/kr-events.csv"
before=$(stat -c %i.%s.%Y "$site/data/events.csv")
cat "$TMPROOT/kr-events.csv" >"$site/data/events.csv"
touch -r "$TMPROOT/kr-stamp" "$site/data/events.csv"
check "the fixture keeps inode, size and mtime" \
    test "$(stat -c %i.%s.%Y "$site/data/events.csv")" = "$before"
build_and_compare "a CSV rewritten in place, same inode, size and mtime" computed

sed -i 's/^    target: 75$/    target: 80/' "$site/opsbook.yaml"
grep -q '^    target: 80$' "$site/opsbook.yaml" || fail "the fixture has no target to change"
build_and_compare "a KPI's target changed" computed
sed -i 's/^    where: source != "internal"$/    where: source != "sales"/' "$site/opsbook.yaml"
build_and_compare "a KPI's where changed" computed
sed -i 's/^  timezone: UTC$/  timezone: America\/New_York/' "$site/opsbook.yaml"
build_and_compare "the time zone changed" computed
sed -i 's/^  title: Dash Handbook$/  title: Dash Handbook 2/' "$site/opsbook.yaml"
build_and_compare "the site title changed" reused

ASOF_SAVED=$ASOF
ASOF=2026-10-31
build_and_compare "an older --as-of" computed
build_and_compare "the same older --as-of" reused
ASOF=$ASOF_SAVED
build_and_compare "back to the as-of" computed

# A damaged cache is no cache: a flipped byte, a cut, garbage.
size=$(stat -c %s "$cache/kpis")
printf '\377' | dd of="$cache/kpis" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
build_and_compare "a byte of the cache flipped" computed
head -c $((size - 9)) "$cache/kpis" >"$TMPROOT/kr-cut" && mv "$TMPROOT/kr-cut" "$cache/kpis"
build_and_compare "the cache cut short" computed
printf 'opsbook-cache kpis 1 0.0.0 x\n' >"$cache/kpis"
build_and_compare "a cache from another opsbook" computed
head -c 4096 /dev/urandom >"$cache/kpis"
build_and_compare "a cache of garbage" computed
build_and_compare "then nothing changed again" reused

# --strict: the warnings a reuse brings back fail the build as computed
# ones do, and the failed build leaves the cache as it was.
cp "$cache/kpis" "$TMPROOT/kr-kept"
build_and_compare "--strict" reused --strict
check "--strict fails on the reused warnings" test "$status" -eq 1
check "a failed build leaves the cache alone" cmp -s "$cache/kpis" "$TMPROOT/kr-kept"

# -j does not matter to what is kept.
build_and_compare "-j1" reused -j1

# check and kpi compute, and neither reads nor writes the cache (of the
# default OUT, public/).
(cd "$site" && "$OPSBOOK" build -q --as-of "$ASOF")
check "a build of the default OUT keeps its cache" test -s "$site/.public.opsbook-cache/kpis"
cp "$site/.public.opsbook-cache/kpis" "$TMPROOT/kr-kept"
"$OPSBOOK" -C "$site" check -v --as-of "$ASOF" 2>"$TMPROOT/kr.err"
check "check computes" sh -c "grep -q '^opsbook: kpis ' '$TMPROOT/kr.err' && ! grep -q reused '$TMPROOT/kr.err'"
"$OPSBOOK" -C "$site" kpi -v --csv --as-of "$ASOF" >"$TMPROOT/kr.csv" 2>"$TMPROOT/kr.err"
check "kpi computes" sh -c "grep -q '^opsbook: kpis ' '$TMPROOT/kr.err' && ! grep -q reused '$TMPROOT/kr.err'"
check "check and kpi leave the cache alone" cmp -s "$site/.public.opsbook-cache/kpis" "$TMPROOT/kr-kept"
rm -rf "$site/.public.opsbook-cache"
"$OPSBOOK" -C "$site" check --as-of "$ASOF" 2>/dev/null
"$OPSBOOK" -C "$site" kpi --csv --as-of "$ASOF" >/dev/null 2>&1
check "check and kpi keep no cache" test ! -e "$site/.public.opsbook-cache"

# The KPI fixture: every measure, formulas, fills (churned), targets by
# group and steps.
site=$(fresh_site "$TESTS/sites/kpi")
rm -rf "$out" "$cache"
build_and_compare "kpi fixture: first build" computed
build_and_compare "kpi fixture: rebuilt" reused
sed -i 's/, target: 2.2}/, target: 2.5}/' "$site/opsbook.yaml"
build_and_compare "kpi fixture: a target changed" computed
build_and_compare "kpi fixture: rebuilt again" reused
rm -rf "$out" "$cache" "$TMPROOT/kr-clean" "$TMPROOT/.kr-clean.opsbook-cache"

report
