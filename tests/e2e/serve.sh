# serve.sh: opsbook serve: the preview server (HTTP, path safety, types),
# rebuilds on change with live reload, a broken site keeps the last good
# build, a burst of requests during rebuilds, and a clean stop.
# Every wait polls with a time limit; nothing relies on a fixed sleep.
# SPDX-License-Identifier: MIT
CASE=serve
WAIT=${SERVE_WAIT:-20} # seconds any one thing may take (ASan is slow)

site=$(fresh_site "$TESTS/golden/basic/site")
stmp=$TMPROOT/serve-tmp # the servers' TMPDIR: what they leave behind
sout=$TMPROOT/serve.out
serr=$TMPROOT/serve.err
mkdir -p "$stmp" "$site/static/t"
for e in svg png json xml csv xlsx eml woff2 txt ico; do
    echo "x" >"$site/static/t/a.$e"
done

# until_ok SECONDS COMMAND...: runs COMMAND every 50 ms until it succeeds.
until_ok() {
    _end=$(($(date +%s) + $1))
    shift
    while ! "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -ge "$_end" ] && return 1
        sleep 0.05
    done
}
# Every request gives up after 10 s: a hung server fails checks, not the run.
curl() { command curl --max-time 10 "$@"; }
code() { curl -s -o /dev/null -w '%{http_code}' --path-as-is "$@"; }
ctype() { curl -s -o /dev/null -w '%{content_type}' "$@"; }
page_has() { curl -s "$url$1" | grep -q -- "$2"; }
# The page as served minus the live-reload script: the built file's bytes.
unscripted() {
    curl -s "$url$1" | python3 -c 'import re, sys
sys.stdout.write(re.sub(r"<script data-opsbook=\"serve\">.*?</script>\n",
                        "", sys.stdin.read(), flags=re.S))'
}
# raw LINE: sends "LINE" as the request line exactly; prints the answer.
raw() {
    python3 - "$port" "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(sys.argv[2].encode("latin-1")
          + b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
data = b""
while True:
    b = s.recv(65536)
    if not b:
        break
    data += b
sys.stdout.write(data.decode("latin-1"))
PY
}
stopped() { ! kill -0 "$1" 2>/dev/null; }
# reap PID: waits for it to stop (up to WAIT seconds, then kills it) and
# returns its exit status.
reap() {
    until_ok "$WAIT" stopped "$1" || kill -KILL "$1" 2>/dev/null
    wait "$1"
}
# sse_after FILE FIRST THEN: an "event: THEN" comes after an "event: FIRST".
sse_after() {
    awk -v a="event: $2" -v b="event: $3" '$0 == a { s = 1 } s && $0 == b { f = 1 }
        END { exit !f }' "$1"
}

serve_basics() {
    check "GET / is 200" test "$(code "$url")" = 200
    check "a page gets the live-reload script before </body>" \
        sh -c "curl --max-time 10 -s '$url' | tr -d '\n' | grep -q 'data-opsbook=\"serve\">.*</script></body></html>\$'"
    unscripted / >"$TMPROOT/serve-index.html"
    check "a page served is the built file plus the script" \
        cmp "$TMPROOT/serve-index.html" "$built/index.html"
    "$OPSBOOK" -C "$site" build -q --as-of "$ASOF" --out "$TMPROOT/serve-clean"
    check "the folder served is what 'opsbook build' makes, byte for byte" \
        diff -r "$TMPROOT/serve-clean" "$built"
    check "the build is in a private folder under TMPDIR" \
        sh -c "case '$built' in '$stmp'/opsbook-serve.*/site) true;; *) false;; esac"
    check "the site's own OUT is not written" test ! -e "$site/public"
    check "a folder with a slash: its index.html" test "$(code "$url/process/")" = 200
    unscripted /process/ >"$TMPROOT/serve-process.html"
    check "a folder's page is its index.html" \
        cmp "$TMPROOT/serve-process.html" "$built/process/index.html"
    check "a folder without a slash redirects" \
        sh -c "curl --max-time 10 -s -D - -o /dev/null '$url/process' | tr -d '\r' |
            grep -qx 'Location: /process/' &&
            test \"\$(curl -s -o /dev/null -w '%{http_code}' '$url/process')\" = 301"
    check "a folder without index.html is not listed" \
        test "$(code "$url/assets/")" = 404
    check "what is not there is 404" test "$(code "$url/nope.html")" = 404
    unscripted /nope.html >"$TMPROOT/serve-404.html"
    check "the 404 page is the site's 404.html" \
        cmp "$TMPROOT/serve-404.html" "$built/404.html"
}

serve_http() {
    raw "HEAD / HTTP/1.1" | tr -d '\r' >"$TMPROOT/serve-head"
    len=$(curl -s "$url" | wc -c)
    check "HEAD: 200 with the page's length" \
        sh -c "head -n 1 '$TMPROOT/serve-head' | grep -q '^HTTP/1.1 200' &&
               grep -qix 'content-length: $len' '$TMPROOT/serve-head'"
    check "HEAD: no body" \
        sh -c "test \"\$(sed '1,/^\$/d' '$TMPROOT/serve-head' | wc -c)\" = 0"
    for m in POST PUT DELETE OPTIONS PATCH; do
        check "$m is 405" test "$(code -X "$m" -d x=1 "$url/")" = 405
    done
    check "405 says what is allowed" \
        sh -c "curl --max-time 10 -s -D - -o /dev/null -X POST '$url/' | tr -d '\r' |
            grep -qix 'allow: GET, HEAD'"
    check "on 127.0.0.1, a Host that is not local is refused (DNS rebinding)" \
        test "$(code -H "Host: evil.example:$port" "$url/")" = 403
    check "Host localhost is fine" \
        test "$(code -H "Host: localhost:$port" "$url/")" = 200
    check "keep-alive: two requests on one connection" \
        sh -c "curl --max-time 10 -sv -o /dev/null '$url/' -o /dev/null '$url/process/' 2>&1 |
            grep -q 'Re-using existing connection'"
    while read -r path want; do
        check "type of $path" test "$(ctype "$url$path")" = "$want"
    done <<EOF
/ text/html; charset=utf-8
/process/feedback-triage.html text/html; charset=utf-8
/assets/opsbook.css text/css; charset=utf-8
/assets/opsbook.js text/javascript; charset=utf-8
/robots.txt text/plain; charset=utf-8
/sources.json application/json
/t/a.svg image/svg+xml
/t/a.png image/png
/t/a.json application/json
/t/a.xml application/xml
/t/a.csv text/csv; charset=utf-8
/t/a.xlsx application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
/t/a.eml message/rfc822
/t/a.woff2 font/woff2
/t/a.txt text/plain; charset=utf-8
/t/a.ico image/vnd.microsoft.icon
EOF
}

serve_escapes() {
    for p in '/../../../../../etc/passwd' '/%2e%2e/%2e%2e/%2e%2e/etc/passwd' \
        '/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd' \
        '/process/..%2f..%2f..%2f..%2fetc/passwd' '/./index.html' \
        '/index.html%00.png' '/..%5c..%5cetc/passwd'; do
        check "$p is 403" test "$(code "$url$p")" = 403
    done
    for p in '/%2Fetc%2Fpasswd' '//etc/passwd' '/etc/passwd'; do
        check "$p is 404" test "$(code "$url$p")" = 404
    done
    check "a bad %-escape is 400" test "$(code "$url/a%zz")" = 400
    raw "GET ../../etc/passwd HTTP/1.1" >"$TMPROOT/serve-rel"
    check "a request path without its / is refused" \
        grep -q '^HTTP/1.1 400' "$TMPROOT/serve-rel"
    for p in '/../../../../../etc/passwd' '/%2e%2e/%2e%2e/%2e%2e/etc/passwd' \
        '//etc/passwd' '/%2Fetc%2Fpasswd'; do
        curl -s --path-as-is "$url$p"
    done >"$TMPROOT/serve-escapes"
    raw "GET /../../../../etc/passwd HTTP/1.1" >>"$TMPROOT/serve-escapes"
    check "no escape leaks a file" sh -c "! grep -q 'root:' '$TMPROOT/serve-escapes'"
    # Symlinks in the folder served: inside the site is fine, out of it is
    # not. (The next build removes them: they are none of its files.)
    ln -s /etc "$built/etc-link"
    ln -s /etc/passwd "$built/passwd.html"
    ln -s index.html "$built/alias.html"
    check "a symlink out of the site is 403" \
        test "$(code "$url/passwd.html")" = 403
    check "a path through a symlinked folder out of the site is 403" \
        test "$(code "$url/etc-link/passwd")" = 403
    check "a symlink within the site is served" \
        test "$(code "$url/alias.html")" = 200
    rm -f "$built/etc-link" "$built/passwd.html" "$built/alias.html"
}

# An edit is served, with a reload event; a new folder is watched.
serve_edits() {
    t0=$(date +%s%N)
    echo "Served fresh one." >>"$site/content/_index.md"
    check "an edited page is served updated" \
        until_ok "$WAIT" page_has / "Served fresh one"
    ms=$((($(date +%s%N) - t0) / 1000000))
    [ -n "${VERBOSE:-}" ] && echo "     (an edit served after $ms ms)"
    check "the stream says reload after the edit" \
        until_ok "$WAIT" sse_after "$sse" hello reload
    check "the stream said hello first" \
        sh -c "head -n 3 '$sse' | tr '\n' ' ' | grep -q 'event: hello data: 1'"
    check "the build says it rebuilt" until_ok "$WAIT" grep -q '^opsbook: rebuilt in' "$serr"
    mkdir -p "$site/content/deep/er"
    printf -- '---\ntitle: Deep\n---\n# Deep\n\nDeep down text.\n' \
        >"$site/content/deep/er/page.md"
    check "a page in a new folder is served" \
        until_ok "$WAIT" page_has /deep/er/page.html "Deep down text"
    printf 'More deep text.\n' >>"$site/content/deep/er/page.md"
    check "an edit in a new folder is seen" \
        until_ok "$WAIT" page_has /deep/er/page.html "More deep text"
}

# A broken build: the last good site, the problems in the terminal and
# on the stream; then recovery.
serve_broken() {
    cp "$site/opsbook.yaml" "$TMPROOT/serve-good.yaml"
    printf 'site: [broken\n' >>"$site/opsbook.yaml"
    check "a broken opsbook.yaml: the error in the terminal" \
        until_ok "$WAIT" grep -q '^opsbook\.yaml:[0-9]*:[0-9]*: error: ' "$serr"
    check "and that the last good build is served" \
        until_ok "$WAIT" grep -q 'the build failed; serving the last good build' "$serr"
    check "the problems on the stream" \
        until_ok "$WAIT" grep -q '^data: opsbook\.yaml:[0-9]*:[0-9]*: error: ' "$sse"
    check "every line of an event is a data line" \
        awk '/^event: problems$/ { p = 1; next } p && /^$/ { p = 0 }
            p && !/^data: / { bad = 1 } END { exit bad }' "$sse"
    check "the last good site is still served" page_has / "Served fresh one"
    check "its pages still 200" test "$(code "$url/process/")" = 200
    command curl -sN --max-time 60 "$url/__opsbook/events" \
        >"$TMPROOT/serve-sse2" 2>/dev/null &
    sse2=$!
    check "a page that connects now is told the problems at once" \
        until_ok "$WAIT" sse_after "$TMPROOT/serve-sse2" hello problems
    kill "$sse2" 2>/dev/null
    reap "$sse2"
    # The configuration fixed, but a symlink out of the site in static/:
    # the build refuses it, so it is not served.
    ln -s /etc/passwd "$site/static/leak.txt"
    cp "$TMPROOT/serve-good.yaml" "$site/opsbook.yaml"
    check "a symlink out of the site in static/: the build refuses it" \
        until_ok "$WAIT" grep -q "static/leak.txt.*outside the site" "$serr"
    check "and it is not served" test "$(code "$url/leak.txt")" = 404
    rm "$site/static/leak.txt"
    echo "Served fresh two." >>"$site/content/_index.md"
    check "fixed: the new site is served" \
        until_ok "$WAIT" page_has / "Served fresh two"
    check "fixed: the stream says reload after the problems" \
        sse_after "$sse" problems reload
}

# wrk for 2 s over a few paths while the site rebuilds under it.
serve_burst() {
    if ! command -v wrk >/dev/null 2>&1; then
        fail "wrk is not installed (tools/test-deps.sh installs it)"
        return
    fi
    cat >"$TMPROOT/serve-paths.lua" <<'LUA'
local paths = {"/", "/process/", "/assets/opsbook.css", "/t/a.svg",
               "/process/feedback-triage.html"}
local i = 0
request = function()
    i = i % #paths + 1
    return wrk.format("GET", paths[i])
end
LUA
    n=0
    (while [ $n -lt 4 ]; do
        echo "Burst edit $n." >>"$site/content/process/feedback-triage.md"
        n=$((n + 1))
        sleep 0.4
    done) &
    edits=$!
    wrk -t2 -c16 -d2s --timeout 5s -s "$TMPROOT/serve-paths.lua" "$url" \
        >"$TMPROOT/serve-wrk" 2>&1
    wait "$edits"
    [ -n "${VERBOSE:-}" ] && sed 's/^/     /' "$TMPROOT/serve-wrk"
    check "the burst ran" grep -q ' requests in ' "$TMPROOT/serve-wrk"
    check "no request of the burst failed" \
        sh -c "! grep -qE 'Non-2xx|Socket errors' '$TMPROOT/serve-wrk'"
    check "the server is still up" kill -0 "$spid"
    check "the edits made during the burst are served" \
        until_ok "$WAIT" page_has /process/feedback-triage.html "Burst edit 3"
}

serve_stop() {
    port2=$port
    TMPDIR=$stmp "$OPSBOOK" -C "$site" serve -q --port "$port2" --as-of "$ASOF" \
        >"$TMPROOT/serve-busy.out" 2>"$TMPROOT/serve-busy.err" &
    busy=$!
    reap "$busy"
    check "a port in use: the second server stops with status 3" test $? -eq 3
    check "saying why" grep -q "cannot listen on 127.0.0.1 port $port2" \
        "$TMPROOT/serve-busy.err"
    kill -INT "$spid"
    reap "$spid"
    check "SIGINT stops the server with exit status 0" test $? -eq 0
    check "the private folder is removed" test ! -e "$built"
    check "nothing is left in TMPDIR" test -z "$(ls -A "$stmp")"
    check "the event stream ended" until_ok "$WAIT" stopped "$ssepid"
    reap "$ssepid"
}

# A site broken from the start is served (a 404 with the problems) until
# it is fixed; SIGTERM stops it.
serve_broken_start() {
    b=$(fresh_site "$TESTS/golden/basic/site")
    cp "$b/opsbook.yaml" "$TMPROOT/serve-good2.yaml"
    printf 'site: [broken\n' >>"$b/opsbook.yaml"
    TMPDIR=$stmp "$OPSBOOK" -C "$b" serve --port 0 --as-of "$ASOF" \
        >"$TMPROOT/serve-b.out" 2>"$TMPROOT/serve-b.err" &
    bpid=$!
    check "a broken site is served anyway" \
        until_ok "$WAIT" grep -q '^Serving ' "$TMPROOT/serve-b.out"
    burl=$(sed -n 's/^Serving .* at //p' "$TMPROOT/serve-b.out")
    check "before a good build every page is 404" \
        test "$(code "${burl}")" = 404
    check "with the reload script" page_has_b "$burl"
    cp "$TMPROOT/serve-good2.yaml" "$b/opsbook.yaml"
    check "fixed: the site is served" \
        until_ok "$WAIT" sh -c "curl --max-time 10 -s '$burl' | grep -q 'Test Handbook'"
    kill -TERM "$bpid"
    reap "$bpid"
    check "SIGTERM stops the server with exit status 0" test $? -eq 0
    check "nothing is left in TMPDIR after SIGTERM" test -z "$(ls -A "$stmp")"
}
page_has_b() { curl -s "$1" | grep -q 'data-opsbook="serve"'; }

# Live reload in Chromium (tests/tools/serve_check.js), as browser.sh
# runs it: make test provides node, playwright-core and Chromium.
serve_browser() {
    if [ -z "${DUCKDB_NODE:-}" ] ||
        [ ! -f "$DUCKDB_NODE/playwright-core/package.json" ] ||
        [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1; then
        fail "live reload in a browser: needs node, playwright-core (DUCKDB_NODE) and chromium: run through make test"
        return
    fi
    w=$(fresh_site "$TESTS/golden/basic/site")
    TMPDIR=$stmp "$OPSBOOK" -C "$w" serve -q --port 0 --as-of "$ASOF" \
        >"$TMPROOT/serve-w.out" 2>"$TMPROOT/serve-w.err" &
    wpid=$!
    if until_ok "$WAIT" grep -q '^Serving ' "$TMPROOT/serve-w.out"; then
        wurl=$(sed -n 's/^Serving .* at //p' "$TMPROOT/serve-w.out")
        timeout 120 env NODE_PATH="$DUCKDB_NODE" node \
            "$TESTS/tools/serve_check.js" "$wurl" "$w" \
            >"$TMPROOT/serve-w.checks" 2>"$TMPROOT/serve-w.node"
        status=$?
        while IFS= read -r line; do
            case $line in
            "ok "*) pass "browser: ${line#ok }" ;;
            "FAIL "*) fail "browser: ${line#FAIL }" ;;
            esac
        done <"$TMPROOT/serve-w.checks"
        if ! grep -q '^done$' "$TMPROOT/serve-w.checks"; then
            fail "browser: serve_check.js stopped early (exit status $status)"
            tail -n 20 "$TMPROOT/serve-w.node" | sed 's/^/  /'
        fi
    else
        fail "browser: serve did not start"
    fi
    kill -INT "$wpid"
    reap "$wpid"
    check "browser: the server stops with status 0" test $? -eq 0
}

serve_cli() {
    check "serve --help" sh -c "'$OPSBOOK' serve --help | grep -q -- '--port N'"
    "$OPSBOOK" serve --port 70000 2>/dev/null
    check "--port out of range is a usage error" test $? -eq 2
    "$OPSBOOK" build --port 1 2>/dev/null
    check "--port is serve's only" test $? -eq 2
    mkdir -p "$TMPROOT/serve-empty"
    TMPDIR=$stmp "$OPSBOOK" -C "$TMPROOT/serve-empty" serve --port 0 \
        >"$TMPROOT/serve-e.out" 2>"$TMPROOT/serve-e.err"
    check "no opsbook.yaml: exit status 1" test $? -eq 1
    check "no opsbook.yaml: nothing served" test ! -s "$TMPROOT/serve-e.out"
    check "no opsbook.yaml: nothing left in TMPDIR" test -z "$(ls -A "$stmp")"
}

serve_main() {
    TMPDIR=$stmp "$OPSBOOK" -C "$site" serve --port 0 --as-of "$ASOF" \
        >"$sout" 2>"$serr" &
    spid=$!
    if ! until_ok "$WAIT" grep -q '^Serving .* at http://127\.0\.0\.1:[0-9]*/$' "$sout"; then
        fail "serve did not say where it serves"
        sed 's/^/  /' "$serr"
        kill -TERM "$spid" 2>/dev/null
        reap "$spid"
        return
    fi
    pass "serve says where it serves"
    url=$(sed -n 's/^Serving .* at \(http.*\)\/$/\1/p' "$sout")
    port=${url##*:}
    built=$(sed -n 's/^opsbook: building in \(.*\) (removed on exit)$/\1/p' "$serr")
    sse=$TMPROOT/serve-sse
    command curl -sN --max-time 300 "$url/__opsbook/events" >"$sse" 2>/dev/null &
    ssepid=$!
    check "the event stream says hello" until_ok "$WAIT" grep -qx 'event: hello' "$sse"
    serve_basics
    serve_http
    serve_escapes
    serve_edits
    serve_broken
    serve_burst
    serve_stop
}

serve_main
serve_broken_start
serve_browser
serve_cli
report
