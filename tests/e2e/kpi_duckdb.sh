# kpi_duckdb.sh: opsbook's KPI series against DuckDB's on a generated site
# (~20,000 events, every measure, grain, filter and formula function; the
# data, the SQL and the comparison: tests/tools/kpi_crosscheck.py).
# make test installs DuckDB (tools/test-deps.sh) and passes DUCKDB_NODE;
# without it this fails, it does not skip.
# SPDX-License-Identifier: MIT
CASE=kpi_duckdb

if [ -z "${DUCKDB_NODE:-}" ]; then
    fail "DUCKDB_NODE is not set: run through make test, or set it to the node_modules folder of tools/test-deps.sh"
elif [ ! -f "$DUCKDB_NODE/@duckdb/node-api/package.json" ]; then
    fail "@duckdb/node-api missing in DUCKDB_NODE=$DUCKDB_NODE: run tools/test-deps.sh"
elif ! command -v node > /dev/null 2>&1; then
    fail "node missing: run tools/test-deps.sh"
else
    # UTC (periods are UTC days), then a zone with DST whose days are not
    # UTC days: periods, as_of and date literals in site.timezone.
    for tz in UTC America/New_York; do
        python3 "$TESTS/tools/kpi_crosscheck.py" --timezone "$tz" \
            > "$TMPROOT/kpi_duckdb.out" 2>&1
        status=$?
        if [ "$status" -eq 0 ]; then
            pass "every KPI series equals DuckDB's (timezone $tz)"
            [ -n "${VERBOSE:-}" ] && tail -n 1 "$TMPROOT/kpi_duckdb.out"
        else
            fail "KPI series differ from DuckDB's (timezone $tz; kpi_crosscheck.py exited $status)"
            grep -v '^ok ' "$TMPROOT/kpi_duckdb.out" | head -n 200 | sed 's/^/  /'
        fi
    done
    # The same exports read in pieces of 4 KB on four threads: the pieces
    # must not change a number.
    OPSBOOK_PIECE_BYTES=4096 python3 "$TESTS/tools/kpi_crosscheck.py" \
        > "$TMPROOT/kpi_duckdb.out" 2>&1
    status=$?
    if [ "$status" -eq 0 ]; then
        pass "every KPI series equals DuckDB's with the files read in pieces"
    else
        fail "KPI series read in pieces differ from DuckDB's (exit $status)"
        grep -v '^ok ' "$TMPROOT/kpi_duckdb.out" | head -n 200 | sed 's/^/  /'
    fi
fi

report
