# checks.sh: a source's checks and freshness warn, fail under --strict, and
# only count rows up to the end of the as-of day.
# SPDX-License-Identifier: MIT
CASE=checks
SITE=$TESTS/sites/checks

"$OPSBOOK" -C "$SITE" check --as-of 2026-11-05 2>"$TMPROOT/err"
check "warnings do not fail the run" test $? -eq 0
check "unique" grep -qx "opsbook.yaml:7:36: warning: column 'id' of source 'events' repeats a value in 1 row (checks: unique)" "$TMPROOT/err"
check "not_empty" grep -qx "opsbook.yaml:7:53: warning: column 'user' of source 'events' is empty in 2 rows (checks: not_empty)" "$TMPROOT/err"
check "min_rows is met with 4 rows" sh -c "! grep -q min_rows '$TMPROOT/err'"
check "fresh at 2026-11-05" sh -c "! grep -q stale '$TMPROOT/err'"

"$OPSBOOK" -C "$SITE" check --as-of 2026-11-05 --strict 2>"$TMPROOT/err"
check "--strict makes them errors" test $? -eq 1
check "--strict prints errors" grep -q "^opsbook.yaml:7:36: error: column 'id'" "$TMPROOT/err"

# At 2026-11-02 only two rows count: the later ones are ignored.
"$OPSBOOK" -C "$SITE" check --as-of 2026-11-02 2>"$TMPROOT/err"
check "rows after as-of are ignored" grep -qx "opsbook.yaml:3:3: warning: source 'events' has 2 rows, fewer than its min_rows of 3" "$TMPROOT/err"
check "no duplicate before the repeat" sh -c "! grep -q unique '$TMPROOT/err'"

"$OPSBOOK" -C "$SITE" check --as-of 2026-11-20 2>"$TMPROOT/err"
check "stale_after" grep -qx "opsbook.yaml:3:3: warning: source 'events' is stale: its newest row is 17 days old at the end of the as-of day" "$TMPROOT/err"


# A source that lost more than half its rows since the last build warns;
# the counts live in OUT/sources.json.
site=$(fresh_site "$SITE")
"$OPSBOOK" -C "$site" build -q --as-of 2026-11-05
check "sources.json records the rows" grep -q '"events": {"as_of": "2026-11-05", "files": 1, "rows": 4, "newest": "2026-11-03T23:00:00Z"}' "$site/public/sources.json"
printf 'id,user,ts\n1,u1,2026-11-01\n' > "$site/data/events.csv"
"$OPSBOOK" -C "$site" build --as-of 2026-11-05 2>"$TMPROOT/err"
check "a drop by more than half warns" grep -qx "opsbook.yaml:3:3: warning: source 'events' has 1 row, fewer than half of the 4 it had at the last build" "$TMPROOT/err"

# An older --as-of reads fewer rows, rightly: no drop to warn about.
printf 'id,user,ts\n1,u1,2026-10-01\n2,u2,2026-11-01\n3,u3,2026-11-02\n4,u4,2026-11-03\n' > "$site/data/events.csv"
"$OPSBOOK" -C "$site" build -q --as-of 2026-11-05 2>/dev/null
"$OPSBOOK" -C "$site" build --as-of 2026-10-15 2>"$TMPROOT/err"
check "an older as-of compares no row counts" sh -c "! grep -q 'fewer than half' '$TMPROOT/err'"
report
