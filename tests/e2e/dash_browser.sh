# dash_browser.sh: the dashboards fixture in a real headless Chromium
# (tests/tools/dash_check.js): the numbers on the KPI and OKR pages equal
# `kpi --json` and `okrs --json` as the browser renders them, charts load
# and follow the theme, the team filter, a phone's width. Screenshots:
# $BUILD/screenshots/dash/. Needs what browser.sh needs; fails without it.
# SPDX-License-Identifier: MIT
CASE=dash_browser

if [ -z "${DUCKDB_NODE:-}" ] || [ ! -f "$DUCKDB_NODE/playwright-core/package.json" ] ||
    [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1; then
    fail "Chromium, node or playwright-core missing: run tools/test-deps.sh (make test does)"
else
    site=$(fresh_site "$TESTS/golden/dashboards/site")
    "$OPSBOOK" -C "$site" build -q --as-of "$ASOF" 2>"$TMPROOT/err"
    check "the dashboards fixture builds" test $? -eq 0
    "$OPSBOOK" -C "$site" kpi --json --as-of "$ASOF" >"$TMPROOT/kpi.json" 2>/dev/null
    "$OPSBOOK" -C "$site" okrs --json --as-of "$ASOF" >"$TMPROOT/okrs.json" 2>/dev/null
    if [ -n "${BUILD:-}" ]; then
        mkdir -p "$BUILD/screenshots"
        shots=$(cd "$BUILD/screenshots" && pwd)/dash
    else
        shots=$TMPROOT/screenshots/dash
    fi
    rm -rf "$shots"
    timeout 120 env NODE_PATH="$DUCKDB_NODE" node "$TESTS/tools/dash_check.js" \
        "file://$site/public/" "$TMPROOT/kpi.json" "$TMPROOT/okrs.json" "$shots" \
        >"$TMPROOT/dash.out" 2>"$TMPROOT/dash.err"
    status=$?
    while IFS= read -r line; do
        case $line in
            "ok "*) pass "${line#ok }" ;;
            "FAIL "*) fail "${line#FAIL }" ;;
        esac
    done <"$TMPROOT/dash.out"
    if ! grep -q '^done$' "$TMPROOT/dash.out"; then
        fail "dash_check.js stopped early (exit status $status)"
        sed 's/^/  /' "$TMPROOT/dash.err" | tail -n 20
    fi
    [ -n "${VERBOSE:-}" ] && echo "  screenshots in $shots"
fi
report
