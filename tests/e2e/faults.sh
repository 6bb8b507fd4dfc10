# faults.sh: fault injection (issue #15). tests/tools/faultinject.c,
# preloaded, makes the Nth call of a kind fail (write, stdio, fsync,
# rename, open, malloc); a build of a small site that still has every
# kind of output (pages, a KPI and its charts, an xlsx report, the
# caches) runs once for each N, as SQLite's and curl's torture tests do.
# Each time: the build exits 0 with OUT a whole new build (the failure
# only cost time: a cache file not kept, or memory that ran out once the
# new OUT was in place), or exits 1 or 3 with a clear message and OUT as
# it was; never a signal, never a hang, no temporary folder left, no
# sanitizer report (under `make asan`). Then the environment's own
# failures: OUT is a file, OUT's parent is read-only, an input that
# cannot be opened once the build has started.
#
# Two builds are swept on one thread (-j1: the Nth call is the same call
# each run): a full one (OUT holds an older build, no cache: every file
# is written) and an incremental one (a page edited; the cache and OUT's
# files are reused). KIND+ is KIND failing from the Nth call on, as on a
# disk that stays full. stdio (libxlsxwriter's fwrite() into its
# temporary parts) runs only so: libxlsxwriter 1.1.4 does not check
# those writes, so one that fails alone makes a broken workbook no caller
# can see (a known limitation); on a full disk the workbook's own writes
# fail after it, and that is caught. Every N is run for the kinds with
# few calls (open, rename, fsync, write). stdio and malloc make hundreds:
# by default the first 40 calls, the last 20 (the commit) and about 30
# evenly spaced between are run; OB_FAULTS_FULL=1 runs every N.
#
# fsync: the one file opsbook syncs is a report's .eml (mail.c's
# write_atomic(): a temporary file beside it, written, synced, renamed
# over it), which only a site with `mail:` writes: the build (into the
# new OUT) and `opsbook mail` (into OUT itself, beside the old .eml). So
# the site with a `mail:` section is swept too: its full build for fsync
# (its writes and renames are the full build's, and one more of each for
# the .eml, which `opsbook mail` fails), and `opsbook mail --report
# weekly` (no --send) for every kind; a failed mail run must leave the
# old .eml, and no temporary file. A kind a sweep is there for must be
# called: a count of 0 (a sweep that tests nothing) fails.
#
# Then a few -j2 runs, where the calls interleave.
# SPDX-License-Identifier: MIT
CASE=faults
SITE=$TESTS/sites/faults
FI=${FAULTINJECT:-$(dirname "$OPSBOOK")/tests/faultinject.so}
if [ ! -f "$FI" ]; then
    FI=$TMPROOT/faultinject.so
    cc -std=c11 -O2 -fPIC -shared -o "$FI" "$TESTS/tools/faultinject.c"
fi
# The asan binary takes a preload that is not its runtime when told to;
# its reports get an exit status of their own (1 would pass for "input").
ASAN_FI=
if ldd "$OPSBOOK" 2>/dev/null | grep -q libasan; then
    ASAN_FI="verify_asan_link_order=0:exitcode=86"
fi
TIMEOUT=60
site=$(fresh_site "$SITE")
dir=$TMPROOT/faults
out=$dir/out
guide=$site/content/guide.md
cp "$guide" "$TMPROOT/guide.v1"

# fi_run ENV...: a build of the site into OUT with the shim and ENV (or,
# with what=mail, `opsbook mail` of its report from OUT); stderr in
# $TMPROOT/fi.err, the status in $st.
what=build
fi_run() {
    if [ "$what" = mail ]; then
        set -- "$@" "$OPSBOOK" mail -q --report weekly
    else
        set -- "$@" "$OPSBOOK" build -q -j"$jobs"
    fi
    (cd "$site" || exit 2
     ulimit -c unlimited 2> /dev/null
     timeout -k 5 $TIMEOUT env LD_PRELOAD="$FI" \
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}${ASAN_FI:-}" "$@" \
        --as-of $ASOF --out "$out") \
        > /dev/null 2> "$TMPROOT/fi.err"
    st=$?
}

# setup SCENARIO: OUT holds a build of the guide as it was; then the guide
# changes. full: without the cache beside OUT; rebuild: with it.
setup() {
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$TMPROOT/guide.v1" "$guide"
    (cd "$site" && "$OPSBOOK" build -q -j1 --as-of $ASOF --out "$out")
    [ "$1" = full ] && rm -rf "$dir/.out.opsbook-cache"
    printf '\nEdited for the next build.\n' >> "$guide"
}

# show_core: where a run that crashed was, from the core it left in the
# site's folder (where a machine whose core_pattern is a plain name writes
# it), read by gdb when there is one; the core is removed. A crash that
# does not come back (one in thousands of runs) can then still be found
# from the log.
show_core() {
    for c in "$site"/core "$site"/core.*; do
        [ -f "$c" ] || continue
        if command -v gdb > /dev/null 2>&1; then
            gdb -q -batch -ex 'thread apply all bt 30' "$OPSBOOK" "$c" 2>&1 |
                grep -E '^(#|Thread|Program terminated)' | head -n 120 |
                sed 's/^/    | /'
        fi
        rm -f "$c"
    done
}

# A clear message: "opsbook: ..." or "path[:line[:col]]: error: ...".
clear_message() {
    grep -Eq '^(opsbook|[^ :]+(:[0-9]+){0,2}): (error: |out of memory)' \
        "$TMPROOT/fi.err"
}

# What a failed run may have left: a temporary folder beside OUT (a
# build's), or a temporary .eml beside the one it replaces (mail.c).
temp_left() {
    { ls -A "$dir" | grep '\.tmp-'
      ls -A "$out/reports" 2>/dev/null | grep '^\..*\.eml\.'; } | tr '\n' ' '
}

# verdict: what is wrong with the last run, or nothing.
verdict() {
    if [ "$st" -eq 124 ] || [ "$st" -eq 137 ]; then
        echo "hung (killed after ${TIMEOUT}s)"
    elif [ "$st" -gt 128 ] || [ "$st" -eq 86 ]; then
        echo "crashed (status $st)"
    elif grep -q 'Sanitizer\|runtime error' "$TMPROOT/fi.err"; then
        echo "a sanitizer report"
    elif [ -n "$(temp_left)" ]; then
        echo "a temporary file or folder left: $(temp_left)"
    elif [ "$st" -eq 0 ]; then
        [ "$(tree_sum "$out")" = "$after" ] ||
            echo "exit 0 but OUT is not the whole new build"
    elif [ "$st" -ne 1 ] && [ "$st" -ne 3 ]; then
        echo "exit status $st (not 0, 1 or 3)"
    elif ! clear_message; then
        echo "exit $st without a clear message"
    elif [ "$(tree_sum "$out")" != "$before" ]; then
        echo "exit $st and OUT changed"
    fi
}

# sample COUNT: the Ns to run for a kind that made COUNT calls.
sample() {
    if [ -n "${OB_FAULTS_FULL:-}" ] || [ "$1" -le 90 ]; then
        seq 1 "$1"
    else
        { seq 1 40
          seq 41 $((($1 - 60) / 30 + 1)) $(($1 - 20))
          seq $(($1 - 19)) "$1"; } | sort -n | uniq
    fi
}

# count_calls NAME KIND...: runs once under the shim, counting; $after is
# then what OUT must be after a run that succeeds. Each KIND must have
# been called: a sweep over no calls would pass and test nothing.
count_calls() {
    cc_name=$1
    shift
    rm -f "$TMPROOT/fi.count"
    fi_run OB_FAULT_COUNT="$TMPROOT/fi.count"
    check "$cc_name: succeeds under the shim" test "$st" -eq 0
    after=$(tree_sum "$out")
    echo "  $cc_name: $(tr '\n' ' ' < "$TMPROOT/fi.count")"
    for k in "$@"; do
        count=$(sed -n "s/^$k //p" "$TMPROOT/fi.count")
        check "$cc_name: makes $k calls (${count:-0}) to fail" \
            test "${count:-0}" -gt 0
    done
}

# fail_each NAME RESET KIND...: fails each call of each KIND in turn (of
# the counts count_calls left), running RESET after a run that changed
# what the next one starts from.
fail_each() {
    fe_name=$1 fe_reset=$2
    shift 2
    for kind in "$@"; do
        k=${kind%+}
        persist=
        [ "$k" != "$kind" ] && persist=1 # a disk that stays full
        count=$(sed -n "s/^$k //p" "$TMPROOT/fi.count")
        runs=0 bad=0
        for n in $(sample "${count:-0}"); do
            fi_run OB_FAULT=$k OB_FAULT_AT="$n" \
                ${persist:+OB_FAULT_PERSIST=1}
            runs=$((runs + 1))
            why=$(verdict)
            if [ -n "$why" ]; then
                bad=$((bad + 1))
                if [ "$bad" -le 5 ]; then
                    echo "  $fe_name, $kind #$n: $why"
                    sed 's/^/    /' "$TMPROOT/fi.err" | head -n 8
                fi
                show_core
            fi
            # a run that went through (or failed in a way already told)
            # changed what the next one starts from
            if [ "$st" -eq 0 ] || [ -n "$why" ]; then
                $fe_reset
            fi
        done
        FI_CASES=$((FI_CASES + runs))
        if [ "$bad" -eq 0 ]; then
            pass "$fe_name: $kind failing at each of $runs calls of ${count:-0}"
        else
            fail "$fe_name: $kind failing at $bad of $runs calls of ${count:-0}"
        fi
    done
}

# sweep SCENARIO: counts the calls of the build, then fails each in turn.
# No fsync: without `mail:` a build syncs nothing (mail_sweep). No stdio
# in a rebuild: its data is the last build's, so it keeps the workbook
# libxlsxwriter would write with stdio.
sweep() {
    stdio=stdio
    [ "$1" = rebuild ] && stdio=
    setup "$1"
    before=$(tree_sum "$out")
    count_calls "$1 build" open rename write $stdio
    setup "$1"
    fail_each "$1" "setup $1" open rename write write+ ${stdio:+stdio+} $MALLOC
}

# mail_setup: OUT holds a build, with an older .eml of the report for
# `opsbook mail` to replace (not the one the build wrote: a failed run
# that left the new one in place would not be seen).
mail_setup() {
    setup full
    printf 'an older message\n' > "$out/reports/weekly.eml"
}

# The site with `mail:`: a copy of the fixture.
msite=$(fresh_site "$SITE")
cat >> "$msite/opsbook.yaml" <<'EOF'
mail:
  from: "Product Ops <product-ops@example.com>"
  to: [leadership@example.com]
EOF

# mail_sweep: the site with `mail:`: its full build for fsync, then
# `opsbook mail` for every kind (no stdio: the message is written with
# write(); one thread whatever -j).
mail_sweep() {
    site0=$site guide0=$guide
    site=$msite guide=$msite/content/guide.md
    setup full
    before=$(tree_sum "$out")
    count_calls "full build with mail" fsync
    setup full
    fail_each "full build with mail" "setup full" fsync
    what=mail
    mail_setup
    before=$(tree_sum "$out")
    count_calls mail fsync rename write open
    mail_setup
    fail_each mail mail_setup fsync rename write open $MALLOC
    what=build site=$site0 guide=$guide0
}

# A coverage build (make coverage) writes its counts from the program's
# own code at exit, allocating without a check: a failed allocation there
# crashes gcov's code, not opsbook's, and cannot be told from ours. Its
# run leaves malloc out, and says so; the plain and ASan runs sweep it.
MALLOC=malloc
if [ -n "${OB_COVERAGE:-}" ]; then
    MALLOC=
    echo "  malloc not swept: a coverage build (gcov allocates at exit)"
fi

jobs=1
FI_CASES=0
sweep full
sweep rebuild
mail_sweep

# On threads (-j2: OUT opened beside the loading, charts drawn on two):
# which call is the Nth changes from run to run, what must hold does not.
setup full
before=$(tree_sum "$out")
after=$(cd "$site" && rm -rf "$TMPROOT/clean" &&
    "$OPSBOOK" build -q -j1 --as-of $ASOF --out "$TMPROOT/clean" &&
    tree_sum "$TMPROOT/clean")
jobs=2
for kind in $MALLOC open write; do
    runs=0 bad=0
    for n in $(seq 1 37 1000); do
        fi_run OB_FAULT=$kind OB_FAULT_AT="$n"
        runs=$((runs + 1))
        why=$(verdict)
        if [ -n "$why" ]; then
            bad=$((bad + 1))
            echo "  -j2, $kind #$n: $why"
            sed 's/^/    /' "$TMPROOT/fi.err" | head -n 8
            show_core
        fi
        if [ "$st" -eq 0 ] || [ -n "$why" ]; then
            setup full
        fi
    done
    FI_CASES=$((FI_CASES + runs))
    check "-j2: $kind failing at $runs calls, every 37th" test "$bad" -eq 0
done
jobs=1
echo "  $FI_CASES fault cases${OB_FAULTS_FULL:+ (the full sweep)}"

# ---- the environment ---------------------------------------------------

# An input that cannot be opened once the build has started (the site's
# files are listed first, read later): exit 3, named, OUT as it was.
for f in content/guide.md data/events.csv data/annotations.yaml; do
    setup full
    before=$(tree_sum "$out")
    fi_run OB_FAULT_PATH="$f"
    check "unreadable $f: exit 3" test "$st" -eq 3
    check "unreadable $f: the message names it" \
        grep -q "^$f: error: cannot read '$f': Permission denied" \
        "$TMPROOT/fi.err"
    check "unreadable $f: nothing else wrong" test -z "$(verdict)"
done

# The workbook libxlsxwriter writes cannot be created: exit 3, named. (A
# build without a cache: a rebuild of the same data keeps the last one.)
setup full
before=$(tree_sum "$out")
fi_run OB_FAULT_PATH=weekly.xlsx
check "an xlsx that cannot be written: exit 3" test "$st" -eq 3
check "an xlsx that cannot be written: named" \
    grep -q "weekly.xlsx" "$TMPROOT/fi.err"
check "an xlsx that cannot be written: nothing else wrong" test -z "$(verdict)"

# The workbook `opsbook mail` attaches cannot be read: exit 3, named at
# its path (the diagnostic kept the mail's own copy of it, freed before
# it was printed: garbage bytes came first), the older .eml as it was.
site0=$site guide0=$guide
site=$msite guide=$msite/content/guide.md what=mail
mail_setup
before=$(tree_sum "$out")
fi_run OB_FAULT_PATH=weekly.xlsx
check "mail, a workbook that cannot be read: exit 3" test "$st" -eq 3
check "mail, a workbook that cannot be read: named at its path" grep -qx \
    "$out/reports/weekly.xlsx: error: cannot read '$out/reports/weekly.xlsx': Permission denied" \
    "$TMPROOT/fi.err"
check "mail, a workbook that cannot be read: nothing else wrong" \
    test -z "$(verdict)"
site=$site0 guide=$guide0 what=build

# The cache cannot be read or written: the build costs more, that is all.
setup rebuild
after=$(cd "$site" && rm -rf "$TMPROOT/clean" &&
    "$OPSBOOK" build -q -j1 --as-of $ASOF --out "$TMPROOT/clean" &&
    tree_sum "$TMPROOT/clean")
fi_run OB_FAULT_PATH=.out.opsbook-cache
check "an unusable cache: exit 0" test "$st" -eq 0
check "an unusable cache: OUT is the whole new build" test -z "$(verdict)"

# OUT is a file: exit 3, said, the file as it was.
rm -rf "$dir"
mkdir -p "$dir"
echo "not a folder" > "$out"
fi_run
check "OUT a file: exit 3" test "$st" -eq 3
check "OUT a file: said" grep -q "^opsbook: error: '$out' exists and is not a folder" "$TMPROOT/fi.err"
check "OUT a file: left as it was" grep -qx "not a folder" "$out"
check "OUT a file: no temporary folder" sh -c "! ls -A '$dir' | grep -q tmp"

# OUT's parent is read-only: exit 3, said, OUT as it was. root writes
# anywhere: the build runs as nobody (unreadable.sh does the same).
setup full
before=$(tree_sum "$out")
chmod -R a+rX "$TMPROOT" "$site"
chmod a+x "$TMPROOT"
chmod 555 "$dir"
run=""
[ "$(id -u)" -eq 0 ] && run="setpriv --reuid=65534 --regid=65534 --clear-groups"
(cd "$site" && $run "$OPSBOOK" build -q -j"$jobs" --as-of $ASOF --out "$out") \
    > /dev/null 2> "$TMPROOT/fi.err"
st=$?
check "OUT's parent read-only: exit 3" test "$st" -eq 3
check "OUT's parent read-only: said" \
    grep -q "^opsbook: error: cannot create a folder beside '$out': Permission denied" \
    "$TMPROOT/fi.err"
check "OUT's parent read-only: OUT as it was" test "$(tree_sum "$out")" = "$before"
check "OUT's parent read-only: no temporary folder" \
    sh -c "! ls -A '$dir' | grep -q tmp"
chmod 755 "$dir"

report
