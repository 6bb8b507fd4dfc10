# demo.sh: the repository's own demo site (issue 10), built as `make demo`
# builds it: pinned to the Makefile's DEMO_AS_OF, the last day of its fixed
# export, it is clean under --strict whatever today's date, and its numbers
# are the export's, not the empty day after it.
# SPDX-License-Identifier: MIT
CASE=demo

root=$(cd "$TESTS/.." && pwd)
asof=$(sed -n 's/^DEMO_AS_OF ?= *//p' "$root/Makefile")
check "the Makefile pins the demo's as-of day to 2026-11-20" \
    test "$asof" = 2026-11-20
before=$(cd "$root" && git status --porcelain 2>/dev/null)

"$OPSBOOK" -C "$root" build --strict --as-of "$asof" --out "$TMPROOT/demo" \
    >"$TMPROOT/out" 2>"$TMPROOT/err"
check "the demo builds with --strict at its as-of day" test $? -eq 0
if [ -s "$TMPROOT/err" ]; then
    fail "the demo build prints diagnostics"
    sed 's/^/  /' "$TMPROOT/err" | head -n 20
else
    pass "the demo build prints no warning"
fi
check "its home page is written" test -f "$TMPROOT/demo/index.html"
check "its report is written" test -f "$TMPROOT/demo/reports/leadership.xlsx"
check "the home page says the data runs to Nov 20" \
    grep -q "data as of Nov 20, 2026" "$TMPROOT/demo/index.html"
after=$(cd "$root" && git status --porcelain 2>/dev/null)
check "building the demo writes nothing into the repository" \
    test "$before" = "$after"

# DAU of the as-of day is the export's last day, not a day without rows.
"$OPSBOOK" -C "$root" kpi dau --json --as-of "$asof" >"$TMPROOT/dau.json" 2>&1
check "kpi dau --json at the demo's as-of day" test $? -eq 0
check "the demo's DAU is its last day's" \
    grep -q '"current_period": {"start": "2026-11-20"' "$TMPROOT/dau.json"
if grep -q '"current": [1-9][0-9]*,' "$TMPROOT/dau.json"; then
    pass "the demo's current DAU is not 0"
else
    fail "the demo's current DAU is 0 or missing"
    head -c 400 "$TMPROOT/dau.json" | sed 's/^/  /'
fi

# `opsbook new` copies the demo: it says to build it at the same day.
"$OPSBOOK" new "$TMPROOT/mine" >"$TMPROOT/out" 2>&1
check "new names the demo's as-of day" \
    grep -q "opsbook -C $TMPROOT/mine build --as-of $asof\$" "$TMPROOT/out"
"$OPSBOOK" -C "$TMPROOT/mine" build -q --strict --as-of "$asof" 2>"$TMPROOT/err"
check "the scaffolded site builds with --strict at that day" test $? -eq 0
check "quietly" test ! -s "$TMPROOT/err"

# build -v names the .eml where it ends up (OUT/reports/), not in the
# temporary tree that is swapped in and gone by then. (A new OUT: a
# rebuild of the same data keeps the last build's email.)
"$OPSBOOK" -C "$root" build -v --as-of "$asof" --out "$TMPROOT/demo-v" \
    >/dev/null 2>"$TMPROOT/err"
check "build -v names OUT/reports/leadership.eml" grep -q \
    "^opsbook: wrote $TMPROOT/demo-v/reports/leadership.eml (" "$TMPROOT/err"
check "and no temporary folder" sh -c "! grep -q 'tmp-' '$TMPROOT/err'"
check "the file is there" test -f "$TMPROOT/demo-v/reports/leadership.eml"
"$OPSBOOK" -C "$root" build -v --as-of "$asof" --out "$TMPROOT/demo-v" \
    >/dev/null 2>"$TMPROOT/err"
check "a rebuild of the same data keeps it" \
    grep -q '^opsbook: reports .* ms (same data)$' "$TMPROOT/err"
check "and renders only the reports page" \
    grep -q '^opsbook: pages *1 written' "$TMPROOT/err"

report
