# browser.sh: the golden site in a real headless Chromium (Debian's, driven
# by playwright-core; tests/tools/browser_check.js): nav, breadcrumbs,
# previous/next, TOC, search, dark mode, a phone's width, tags, the review
# list, 404.html and an alias, with no console error or failed request;
# once from file:// and once over HTTP with the site at a sub-path.
# make test installs Chromium and playwright-core (tools/test-deps.sh) and
# passes DUCKDB_NODE (the node_modules folder); without them this fails, it
# does not skip. Screenshots: $BUILD/screenshots/{file,http}/ (light.png,
# dark.png, mobile.png, search.png).
# SPDX-License-Identifier: MIT
CASE=browser
CHROMIUM=/usr/bin/chromium

# browser_run WHAT URL SHOTS: runs browser_check.js and turns each line
# into a check named "WHAT: NAME".
browser_run() {
    timeout 90 env NODE_PATH="$DUCKDB_NODE" node \
        "$TESTS/tools/browser_check.js" "$2" "$3" \
        > "$TMPROOT/browser.out" 2> "$TMPROOT/browser.err"
    status=$?
    while IFS= read -r line; do
        case $line in
            "ok "*) pass "$1: ${line#ok }" ;;
            "FAIL "*) fail "$1: ${line#FAIL }" ;;
        esac
    done < "$TMPROOT/browser.out"
    if ! grep -q '^done$' "$TMPROOT/browser.out"; then
        fail "$1: browser_check.js stopped early (exit status $status)"
        sed 's/^/  /' "$TMPROOT/browser.err" | tail -n 20
    elif [ "$status" -ne 0 ] && ! grep -q '^FAIL ' "$TMPROOT/browser.out"; then
        fail "$1: browser_check.js exited $status"
    fi
}

if [ -z "${DUCKDB_NODE:-}" ]; then
    fail "DUCKDB_NODE is not set: run through make test, or set it to the node_modules folder of tools/test-deps.sh"
elif [ ! -f "$DUCKDB_NODE/playwright-core/package.json" ]; then
    fail "playwright-core missing in DUCKDB_NODE=$DUCKDB_NODE: run tools/test-deps.sh"
elif [ ! -x "$CHROMIUM" ]; then
    fail "$CHROMIUM missing (Debian's chromium): run tools/test-deps.sh"
elif ! command -v node > /dev/null 2>&1; then
    fail "node missing: run tools/test-deps.sh"
else
    site=$(fresh_site "$TESTS/golden/basic/site")
    "$OPSBOOK" -C "$site" build -q --as-of "$ASOF" --out "$site/out" \
        2>"$TMPROOT/err"
    check "the golden site builds" test $? -eq 0

    if [ -n "${BUILD:-}" ]; then
        mkdir -p "$BUILD/screenshots"
        shots=$(cd "$BUILD/screenshots" && pwd)
    else
        shots=$TMPROOT/screenshots
    fi
    rm -rf "$shots/file" "$shots/http"

    # From the disk, as someone opens index.html.
    browser_run file "file://$site/out/" "$shots/file"

    # Over HTTP, with the site in a sub-folder of what the server serves.
    # The server binds a free port and writes it down once it listens.
    mkdir -p "$TMPROOT/www"
    cp -R "$site/out" "$TMPROOT/www/handbook"
    rm -f "$TMPROOT/port"
    python3 -c '
import functools, http.server, sys
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
handler = functools.partial(Quiet, directory=sys.argv[1])
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
server.serve_forever()
' "$TMPROOT/www" "$TMPROOT/port" 2>"$TMPROOT/server.err" &
    server=$!
    # The server goes away with the script, even when it stops early.
    trap 'kill "$server" 2>/dev/null' EXIT INT TERM
    port=""
    tries=0
    while [ "$tries" -lt 50 ]; do
        if [ -s "$TMPROOT/port" ]; then
            port=$(cat "$TMPROOT/port")
            python3 -c 'import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2).read()' \
                "http://127.0.0.1:$port/handbook/index.html" 2>/dev/null && break
        fi
        kill -0 "$server" 2>/dev/null || break
        tries=$((tries + 1))
        sleep 0.1
    done
    if [ "$tries" -lt 50 ] && [ -n "$port" ] && kill -0 "$server" 2>/dev/null; then
        pass "the HTTP server answers"
        browser_run http "http://127.0.0.1:$port/handbook/" "$shots/http"
    else
        fail "the HTTP server did not answer"
        sed 's/^/  /' "$TMPROOT/server.err"
    fi
    kill "$server" 2>/dev/null
    wait "$server" 2>/dev/null
    trap - EXIT INT TERM
    [ -n "${VERBOSE:-}" ] && echo "  screenshots in $shots/file and $shots/http"
fi
report
