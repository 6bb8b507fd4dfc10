# warehouse.sh: postgres sources against a real, throwaway PostgreSQL
# cluster (tests/tools/pg_cluster.sh): the same KPIs over a CSV and over a
# table loaded with that CSV give the same `kpi --csv` and OUT/kpis/*.csv
# (tests/tools/warehouse_sites.py: ~100,000 events, every measure, grain
# and `where` form, `by`, a zone with DST and fiscal_year_start 2, an
# as-of inside the data); then the errors: nothing listening, an unknown
# table or column, a timeout, a literal that must stay a literal.
# make test installs Debian's postgresql (tools/test-deps.sh); when the
# server cannot start this fails, it does not skip.
# SPDX-License-Identifier: MIT
CASE=warehouse

. "$TESTS/tools/pg_cluster.sh"
PGROOT=$(mktemp -d "${TMPDIR:-/tmp}/opsbook-pg.XXXXXX")
trap 'pg_stop' EXIT INT TERM
WH=$TMPROOT/warehouse
WH_ASOF=2026-03-10
SITES=$TESTS/tools/warehouse_sites.py

# check_out NAME STATUS PATTERN: the last command's status and stderr
wh_expect() {
    name=$1 want=$2 pattern=$3
    if [ "$wh_status" -eq "$want" ] && grep -q -- "$pattern" "$WH/err"; then
        pass "$name"
    else
        fail "$name (exit $wh_status, want $want; stderr:)"
        sed 's/^/  /' "$WH/err" | head -n 5
    fi
}

wh_run() {
    "$OPSBOOK" "$@" > "$WH/out" 2> "$WH/err"
    wh_status=$?
}

wh_main() {
pass "a throwaway PostgreSQL cluster started on 127.0.0.1:$PG_PORT"
mkdir -p "$WH"

# ---- the same numbers from CSV and from PostgreSQL ----------------------
for setting in "UTC 1" "America/New_York 2"; do
    set -- $setting
    dir=$WH/tz-$2
    python3 "$SITES" "$dir" --timezone "$1" --fiscal "$2" > /dev/null
    if ! pg_psql -f "$dir/load.sql" > "$WH/load.log" 2>&1; then
        fail "loading the events into PostgreSQL"
        sed 's/^/  /' "$WH/load.log" | head -n 5
        continue
    fi
    export WAREHOUSE_DSN="$PG_DSN"
    "$OPSBOOK" -C "$dir/csv" kpi --csv --as-of $WH_ASOF > "$dir/csv.out" 2> "$WH/err"
    s1=$?
    "$OPSBOOK" -C "$dir/pg" kpi --csv --as-of $WH_ASOF > "$dir/pg.out" 2> "$WH/err2"
    s2=$?
    if [ $s1 -eq 0 ] && [ $s2 -eq 0 ] &&
        python3 "$SITES" --compare "$dir/csv.out" "$dir/pg.out" > "$WH/cmp" 2>&1; then
        pass "kpi --csv: CSV and PostgreSQL agree ($1, fiscal_year_start $2): $(tail -n 1 "$WH/cmp")"
    else
        fail "kpi --csv: CSV and PostgreSQL differ ($1, fiscal_year_start $2; exits $s1 $s2)"
        cat "$WH/err" "$WH/err2" "$WH/cmp" 2> /dev/null | head -n 30 | sed 's/^/  /'
    fi
    # every measure kind made it into the comparison with values
    n=$(grep -c '^\(new_users\|retained_users\|churned_users\|p99_dur\|nps\|conv_rate\|last_dur\|age_days\|quote_plan\|byte_order\),' "$dir/pg.out")
    check "every measure has values ($1: $n rows)" test "$n" -gt 40
    "$OPSBOOK" -C "$dir/csv" build -q --as-of $WH_ASOF > /dev/null 2>&1
    s1=$?
    "$OPSBOOK" -C "$dir/pg" build -q --as-of $WH_ASOF > /dev/null 2> "$WH/err2"
    s2=$?
    if [ $s1 -eq 0 ] && [ $s2 -eq 0 ] &&
        python3 "$SITES" --compare "$dir/csv/public/kpis" "$dir/pg/public/kpis" > "$WH/cmp" 2>&1; then
        pass "build: OUT/kpis/*.csv agree ($1): $(tail -n 1 "$WH/cmp")"
    else
        fail "build: OUT/kpis/*.csv differ ($1; exits $s1 $s2)"
        cat "$WH/err2" "$WH/cmp" | head -n 30 | sed 's/^/  /'
    fi
    # the statistics come from the warehouse too: the sources sheet
    # counts the same rows
    check "sources.json counts the same rows ($1)" python3 -c "
import json, sys
a = json.load(open('$dir/csv/public/sources.json'))['events']
b = json.load(open('$dir/pg/public/sources.json'))['events']
sys.exit(a['rows'] != b['rows'] or a['newest'] != b['newest'])"
done

dir=$WH/tz-1
# A second build computes again: nothing of a warehouse is reused.
pg_psql -c "DELETE FROM events WHERE plan = 'team'" > /dev/null 2>&1
"$OPSBOOK" -C "$dir/pg" build -q --as-of $WH_ASOF > /dev/null 2>&1
check "a rebuild reads the warehouse again (no cached KPIs)" \
    sh -c "! grep -q ',team,' '$dir/pg/public/kpis/rows_by_plan.csv'"

# ---- check -v shows the SQL and its parameters ----------------------------
wh_run -C "$dir/pg" check -v --as-of $WH_ASOF
check "check -v prints the SQL" grep -q 'GROUP BY 1, 2' "$WH/err"
check "check -v prints the parameters" grep -q "^--   \$1 = 'UTC'" "$WH/err"
# the quote-and-DROP literal went as a parameter, not into the SQL
check "a where literal is a bound parameter" grep -q "^--   \$[0-9]* = 'x'; DROP TABLE events; --'" "$WH/err"
check "no literal is spliced into the SQL" sh -c "! grep -v '^--' '$WH/err' | grep -q 'DROP TABLE'"
left=$(pg_psql -tA -c 'SELECT count(*) > 0 FROM events' 2>&1)
check "the events table survived" test "$left" = t
check "check -v reports the bytes that crossed" grep -q "bytes of values" "$WH/err"

# ---- errors ---------------------------------------------------------------
err_site() {
    mkdir -p "$WH/e"
    cat > "$WH/e/opsbook.yaml"
}

err_site <<'EOF'
site: {title: Errors}
sources:
  events:
    type: postgres
    dsn: ${WAREHOUSE_DSN}
    table: events
    time: ts
kpis:
  - {id: n, title: N, source: events, measure: count(), grain: month}
EOF
port=$(pg_free_port)
export WAREHOUSE_DSN="host=127.0.0.1 port=$port user=ob dbname=postgres connect_timeout=5"
wh_run -C "$WH/e" check --as-of $WH_ASOF
export WAREHOUSE_DSN="$PG_DSN"
wh_expect "nothing listening: exit 3 at the dsn" 3 \
    "^opsbook.yaml:5:10: error: source 'events': cannot reach the warehouse"

sed -i 's/table: events/table: nope/' "$WH/e/opsbook.yaml"
wh_run -C "$WH/e" check --as-of $WH_ASOF
wh_expect "an unknown table: exit 1 at its name" 1 \
    "^opsbook.yaml:6:12: error: source 'events': no table 'nope' in the warehouse"

err_site <<'EOF'
site: {title: Errors}
sources:
  events:
    type: postgres
    dsn: ${WAREHOUSE_DSN}
    table: events
    time: ts
kpis:
  - {id: n, title: N, source: events, measure: count(), grain: month}
  - {id: d, title: D, source: events, measure: sum(duraton_s), grain: month}
  - {id: w, title: W, source: events, measure: count(), where: 'plann == "x"', grain: month}
  - {id: b, title: B, source: events, measure: count(), grain: month, by: cuntry}
EOF
wh_run -C "$WH/e" check --as-of $WH_ASOF
wh_expect "an unknown column in a measure: at its character" 1 \
    "^opsbook.yaml:10:52: error: unknown column 'duraton_s' in source 'events' (did you mean 'duration_s'?)"
wh_expect "an unknown column in a where: at its character" 1 \
    "^opsbook.yaml:11:65: error: unknown column 'plann'"
wh_expect "an unknown by column: at its value" 1 \
    "^opsbook.yaml:12:75: error: unknown column 'cuntry'"

err_site <<'EOF'
site: {title: Errors}
sources:
  slow:
    type: postgres
    dsn: ${WAREHOUSE_DSN}
    query: "SELECT e.* FROM events AS e, pg_sleep(30)"
    time: ts
    statement_timeout: 1s
kpis:
  - {id: n, title: N, source: slow, measure: count(), grain: month}
EOF
start=$(date +%s)
wh_run -C "$WH/e" check --as-of $WH_ASOF
took=$(($(date +%s) - start))
wh_expect "a query past statement_timeout: exit 3" 3 \
    "^opsbook.yaml:3:3: error: source 'slow': the warehouse cancelled a query that ran past statement_timeout (1s)"
check "statement_timeout bounds the wait (${took}s)" test "$took" -lt 20

err_site <<'EOF'
site: {title: Errors}
sources:
  plans:
    type: postgres
    dsn: ${WAREHOUSE_DSN}
    query: |
      SELECT plan, count(*) AS n FROM events GROUP BY plan;
  events:
    type: postgres
    dsn: ${WAREHOUSE_DSN}
    query: "SELECT * FROM events ;"
    time: ts
kpis:
  - {id: n, title: N, source: events, measure: count(), grain: year}
EOF
wh_run -C "$WH/e" kpi --csv --as-of $WH_ASOF
check "a query ending in ';', a source without time nor KPIs" \
    grep -q '^n,2025-01-01,,' "$WH/out"

err_site <<'EOF'
site: {title: Errors}
sources:
  events:
    type: postgres
    dsn: ${WAREHOUSE_DSN}
    table: events
    time: ts
kpis:
  - {id: n, title: N, source: events, measure: count(), grain: month}
  - {id: big, title: Big, source: events, measure: sum(duration_s * 1e308), grain: month}
  - {id: m, title: M, source: events, measure: max(duration_s), grain: month}
EOF
wh_run -C "$WH/e" check -v --as-of $WH_ASOF
wh_expect "a measure the server cannot compute: exit 1 at the measure" 1 \
    "^opsbook.yaml:10:52: error: KPI 'big': the warehouse cannot compute it: value out of range: overflow"
# the shared query failed; each KPI was then asked alone, and only 'big'
# failed
check "the other KPIs of its query are still computed" \
    test "$(grep -c '^FROM "events" AS s$' "$WH/err")" -ge 4

err_site <<'EOF'
site: {title: Errors}
sources:
  q:
    type: postgres
    dsn: ${WAREHOUSE_DSN}
    query: "SELECT ts, user_id FROM events WHERE nope"
    time: ts
kpis:
  - {id: n, title: N, source: q, measure: count(), grain: month}
EOF
wh_run -C "$WH/e" check --as-of $WH_ASOF
wh_expect "a query the server rejects: exit 1 at the query" 1 \
    "^opsbook.yaml:6:12: error: source 'q': the warehouse rejects the query: column \"nope\" does not exist"

err_site <<'EOF'
site: {title: Errors}
sources:
  events:
    type: postgres
    dsn: ${WAREHOUSE_DSN}
    table: events
    time: user_id
kpis:
  - {id: n, title: N, source: events, measure: count(), grain: month}
EOF
wh_run -C "$WH/e" check --as-of $WH_ASOF
wh_expect "a time column that holds no times" 1 \
    "^opsbook.yaml:7:11: error: the time column 'user_id' holds string values"

err_site <<'EOF'
site: {title: Errors}
sources:
  events:
    type: postgres
    dsn: ${WAREHOUSE_DSN}
    query: "SELECT ts, user_id, feature, score + 20 AS score FROM events"
    time: ts
kpis:
  - {id: n, title: N, source: events, measure: nps(score), grain: month}
EOF
wh_run -C "$WH/e" check --as-of $WH_ASOF
wh_expect "nps over scores outside 0-10: an error at the measure" 1 \
    "^opsbook.yaml:9:52: error: KPI 'n': nps() needs scores from 0 to 10, got 20"

err_site <<EOF
site: {title: Errors}
sources:
  events:
    type: postgres
    dsn: "$PG_DSN"
    table: events
    time: ts
kpis:
  - {id: n, title: N, source: events, measure: count(), grain: month}
EOF
wh_run -C "$WH/e" check --as-of $WH_ASOF
wh_expect "a DSN written in opsbook.yaml is a warning" 0 \
    "^opsbook.yaml:5:10: warning: source 'events': the DSN is written in opsbook.yaml"

err_site <<'EOF'
site: {title: Errors}
sources:
  events:
    type: postgres
    dsn: ${WAREHOUSE_DSN}
    table: events
    time: ts
reports:
  - {id: r, title: R, tables: [events]}
EOF
wh_run -C "$WH/e" check --as-of $WH_ASOF
wh_expect "a report's raw sheet of a postgres source is an error" 1 \
    "^opsbook.yaml:9:32: error: source 'events' is a postgres source: a report's tables are raw sheets of file sources"

# ---- opsbook data on a postgres source --------------------------------------
export WAREHOUSE_DSN="$PG_DSN"
dir=$WH/tz-2
wh_run -C "$dir/pg" data events --head 3
check "data: the server's columns and types" \
    grep -q '^duration_s  number$' "$WH/out"
check "data: the time column is a datetime" grep -q '^ts          datetime$' "$WH/out"
check "data: three rows after the header" \
    test "$(sed -n '/^ts  *user_id/,$p' "$WH/out" | wc -l)" -eq 4
wh_run -C "$dir/pg" data events --json --head 5
"$OPSBOOK" -C "$dir/csv" data events --json --head 5 > "$WH/csv.json" 2>&1
check "data --json: typed like a CSV's (first rows, in load order)" python3 -c "
import json, sys
a, b = json.load(open('$WH/csv.json')), json.load(open('$WH/out'))
keys = ['user_id', 'plan', 'duration_s', 'score', 'converted', 'signup_day']
sys.exit(len(b) != 5 or [[r[k] for k in keys] for r in a] != [[r[k] for k in keys] for r in b])"

}

if pg_start "$PGROOT"; then
    wh_main
else
    fail "the PostgreSQL test cluster did not start: $PG_ERROR"
fi
pg_stop
trap - EXIT INT TERM
check "the cluster's folder is gone" test ! -e "$PGROOT"
report
