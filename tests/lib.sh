# tests/lib.sh: helpers shared by tests/run and the scripts in tests/e2e.
# SPDX-License-Identifier: MIT

PASSED=0
FAILED=0
TMPROOT=$(mktemp -d "${TMPDIR:-/tmp}/opsbook-test.XXXXXX")
# The as-of date every test builds with, so outputs never depend on the clock.
ASOF=2026-11-20

pass() {
    PASSED=$((PASSED + 1))
    [ -n "${VERBOSE:-}" ] && echo "ok   ${CASE:-}: $1"
    return 0
}

fail() {
    FAILED=$((FAILED + 1))
    echo "FAIL ${CASE:-}: $1"
    return 0
}

# check NAME COMMAND...: passes when the command succeeds.
check() {
    name=$1
    shift
    if "$@" >/dev/null 2>&1; then pass "$name"; else fail "$name"; fi
}

# Scripts end with this line so tests/run can add up their checks.
report() {
    echo "#passed $PASSED $FAILED"
}

# fresh_site SRC: copies a fixture site into a new temp dir, prints its path.
fresh_site() {
    d=$(mktemp -d "$TMPROOT/site.XXXXXX")
    cp -R "$1/." "$d/"
    echo "$d"
}

# A fingerprint of a tree: every path with its content hash and type.
tree_sum() {
    (cd "$1" 2>/dev/null && find . -print0 | sort -z |
        xargs -0 -n 64 sh -c 'for f; do
            if [ -L "$f" ]; then echo "L $f -> $(readlink "$f")";
            elif [ -d "$f" ]; then echo "D $f";
            elif [ -f "$f" ]; then echo "F $f $(cksum < "$f")";
            else echo "O $f"; fi; done' sh)
}

# tests/errors/NAME/: site/, args (default: build), expected.stderr and
# expected.status. Checks the message, the status, that the previous OUT is
# untouched and that no temporary directory is left beside it.
run_error_case() {
    CASE=errors/$(basename "$1")
    site=$(fresh_site "$1/site")
    args="build"
    [ -f "$1/args" ] && args=$(cat "$1/args")
    mkdir -p "$site/public/old"
    echo "previous build" > "$site/public/old/index.html"
    [ -f "$1/setup" ] && (cd "$site" && sh "$1/setup")
    before=$(tree_sum "$site")
    # shellcheck disable=SC2086
    (cd "$site" && eval "\"$OPSBOOK\" $args --as-of $ASOF") \
        > "$TMPROOT/stdout" 2> "$TMPROOT/stderr"
    status=$?
    [ -f "$1/teardown" ] && (cd "$site" && sh "$1/teardown")
    want=$(cat "$1/expected.status")
    if [ "$status" -ne "$want" ]; then
        fail "exit status $status, expected $want"
        sed 's/^/  /' "$TMPROOT/stderr"
        return
    fi
    if ! diff -u "$1/expected.stderr" "$TMPROOT/stderr" > "$TMPROOT/diff"; then
        fail "stderr differs"
        sed 's/^/  /' "$TMPROOT/diff"
        return
    fi
    after=$(tree_sum "$site")
    if [ "$before" != "$after" ]; then
        fail "the site or its previous output changed"
        return
    fi
    pass "$CASE"
}

# tests/golden/NAME/: site/ and expected/ (the whole OUT tree). Set
# UPDATE_GOLDEN=1 to rewrite expected/ from the current output.
run_golden_case() {
    CASE=golden/$(basename "$1")
    site=$(fresh_site "$1/site")
    args="build"
    [ -f "$1/args" ] && args=$(cat "$1/args")
    # shellcheck disable=SC2086
    if ! (cd "$site" && "$OPSBOOK" $args --as-of $ASOF --out "$TMPROOT/golden-out") \
        > "$TMPROOT/stdout" 2> "$TMPROOT/stderr"; then
        fail "build failed"
        sed 's/^/  /' "$TMPROOT/stderr"
        return
    fi
    # Paths a case leaves to another (the theme's assets: golden/basic).
    if [ -f "$1/ignore" ]; then
        while IFS= read -r p; do
            [ -n "$p" ] && rm -rf "${TMPROOT:?}/golden-out/$p"
        done < "$1/ignore"
    fi
    if [ -n "${UPDATE_GOLDEN:-}" ]; then
        rm -rf "$1/expected"
        cp -R "$TMPROOT/golden-out" "$1/expected"
    fi
    if [ -n "${UPDATE_GOLDEN:-}" ] && [ -f "$1/expected.stderr" ]; then
        cp "$TMPROOT/stderr" "$1/expected.stderr"
    fi
    if diff -ru "$1/expected" "$TMPROOT/golden-out" > "$TMPROOT/diff"; then
        pass "$CASE"
    else
        fail "output differs from expected/"
        head -n 40 "$TMPROOT/diff" | sed 's/^/  /'
    fi
    # The diagnostics too, where the case keeps them (links, warnings).
    if [ -f "$1/expected.stderr" ]; then
        if diff -u "$1/expected.stderr" "$TMPROOT/stderr" > "$TMPROOT/diff"; then
            pass "$CASE: diagnostics"
        else
            fail "$CASE: diagnostics differ from expected.stderr"
            sed 's/^/  /' "$TMPROOT/diff"
        fi
    fi
    rm -rf "$TMPROOT/golden-out"
}
