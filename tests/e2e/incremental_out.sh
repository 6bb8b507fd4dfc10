# incremental_out.sh: builds into an existing OUT (issue #12, "Output
# writing"). A rebuild writes only the files whose bytes changed (the rest
# keep their inodes), never writes through a file of the previous OUT (a
# hard link taken of every file before a build still holds the old bytes
# after it), and whatever happened to OUT or to the cache beside it, OUT
# ends byte for byte what a clean build makes, with no temporary folder
# left. Reports (xlsx, dated copies, .eml) likewise.
# SPDX-License-Identifier: MIT
CASE=incremental_out
BASIC=$TESTS/golden/basic/site

site=$(fresh_site "$BASIC")
out=$TMPROOT/inc/out
cache=$TMPROOT/inc/.out.opsbook-cache
mkdir -p "$TMPROOT/inc"

# build ARGS...: into OUT, as the nightly job does.
build() {
    (cd "$site" && "$OPSBOOK" build -q --as-of $ASOF --out "$out" "$@")
}

# same_as_clean WHAT: OUT equals a clean build of the same inputs, and no
# temporary folder is left beside it.
same_as_clean() {
    rm -rf "$TMPROOT/clean" "$TMPROOT/.clean.opsbook-cache"
    (cd "$site" && "$OPSBOOK" build -q --as-of $ASOF --out "$TMPROOT/clean")
    if diff -r "$TMPROOT/clean" "$out" > "$TMPROOT/diff" 2>&1; then
        pass "$1: OUT is a clean build's"
    else
        fail "$1: OUT differs from a clean build"
        head -n 20 "$TMPROOT/diff" | sed 's/^/  /'
    fi
    check "$1: no temporary folder left" \
        sh -c "! ls -A '$TMPROOT/inc' | grep -q '^\.out\.tmp-'"
}

# snap: remembers OUT: its bytes (a copy), its inodes, and a hard link to
# every file, which a build writing through a shared file would change.
snap() {
    rm -rf "$TMPROOT/snap" "$TMPROOT/links"
    cp -a "$out" "$TMPROOT/snap"
    cp -al "$out" "$TMPROOT/links"
    (cd "$out" && find . -type f -printf '%P %i\n' | sort) > "$TMPROOT/ino"
}

# untouched WHAT: the files of the OUT snap remembers still hold its bytes.
untouched() {
    if diff -r "$TMPROOT/snap" "$TMPROOT/links" > "$TMPROOT/diff" 2>&1; then
        pass "$1: the previous OUT's files were not written through"
    else
        fail "$1: a file of the previous OUT was written through"
        head -n 20 "$TMPROOT/diff" | sed 's/^/  /'
    fi
}

# reused WHAT: since snap, each file of OUT whose bytes are the same kept
# its inode (not written again), and each that changed is a new file.
reused() {
    (cd "$out" && find . -type f -printf '%P %i\n' | sort) > "$TMPROOT/ino-now"
    bad=0
    while read -r p i; do
        was=$(awk -v p="$p" '$1 == p { print $2 }' "$TMPROOT/ino")
        if [ -f "$TMPROOT/snap/$p" ] && cmp -s "$TMPROOT/snap/$p" "$out/$p"; then
            if [ "$i" != "$was" ]; then
                echo "  written again though unchanged: $p"
                bad=1
            fi
        elif grep -q " $i\$" "$TMPROOT/ino"; then
            echo "  changed in a file of the previous OUT: $p"
            bad=1
        fi
    done < "$TMPROOT/ino-now"
    if [ $bad -eq 0 ]; then
        pass "$1: unchanged files kept, changed ones new"
    else
        fail "$1: files were rewritten or reused wrongly"
    fi
}

# step_any WHAT ARGS...: a build into OUT after a change, and its checks
# but for reuse: where the cache cannot be trusted, files are written anew.
step_any() {
    what=$1
    shift
    snap
    build "$@"
    check "$what: the build succeeds" test $? -eq 0
    same_as_clean "$what"
    untouched "$what"
}

# step WHAT ARGS...: the same, and what could be reused was.
step() {
    step_any "$@"
    reused "$1"
}

build
check "the first build succeeds" test $? -eq 0
same_as_clean "first build"
check "the cache folder is beside OUT" test -d "$cache"

step "a rebuild with nothing changed"
step "another rebuild with nothing changed"
check "a rebuild with nothing changed writes nothing" \
    cmp -s "$TMPROOT/ino" "$TMPROOT/ino-now"

# a page edited: that page (and the search index) change, nothing else
printf '\nA second paragraph, added later.\n' \
    >> "$site/content/process/feedback-triage.md"
step "a page edited"
check "the edited page is a new file" \
    sh -c "! grep -qx 'process/feedback-triage.html $(stat -c %i "$out/process/feedback-triage.html")' '$TMPROOT/ino'"
check "a page it does not show is not" \
    grep -qx "metrics/index.html $(stat -c %i "$out/metrics/index.html")" \
    "$TMPROOT/ino"
step "a rebuild after the edit"
cp "$BASIC/content/process/feedback-triage.md" "$site/content/process/"
step "the edit undone"
step "a rebuild after the undo"

# a page removed: its page, its aliases and the folders only it used go
rm "$site/content/guides/onboarding/first-week.md"
step "a page removed"
check "its folder is gone" test ! -e "$out/guides/onboarding/first-week.html"
cp "$BASIC/content/guides/onboarding/first-week.md" \
    "$site/content/guides/onboarding/"
step "the page back"

# static files added, changed, removed
echo "new file" > "$site/static/added.txt"
mkdir -p "$site/static/deep/er"
echo "deep file" > "$site/static/deep/er/file.txt"
step "static files added"
check "the static file is in OUT" test -f "$out/deep/er/file.txt"
echo "changed, and longer than before" > "$site/static/added.txt"
step "a static file changed"
printf 'User-agent: *\nDisallow: /x\n' > "$site/static/robots.txt"
step "a static file changed, same name as before"
rm -r "$site/static/deep" "$site/static/added.txt"
step "static files removed"

# OUT edited by hand: the edit does not leak into the next build
echo "edited by hand" >> "$out/index.html"
echo "added by hand" > "$out/stray.html"
mkdir -p "$out/stray-folder/empty"
ln -s /etc "$out/stray-link"
step "OUT edited by hand"
printf 'x' | dd of="$out/metrics/index.html" bs=1 seek=10 conv=notrunc \
    2>/dev/null
step "a byte of OUT overwritten in place"
# strays deep in folders no build touches, under folders that keep every
# file: the build after next takes that tree over as its work tree and
# must still find them (the pruning walk skips only folders whose files
# were all made again)
echo "added by hand" > "$out/guides/onboarding/stray.html"
mkdir -p "$out/guides/junk/empty" "$out/process/img/junk"
echo "added by hand" > "$out/process/img/junk/stray.png"
step "strays deep in OUT"
step "a rebuild after the strays"
step "another rebuild after the strays"
rm "$out/index.html"
mkdir "$out/index.html"
step "a folder where OUT had a file"
rm -r "$out/process"
echo "a file" > "$out/process"
step "a file where OUT had a folder"

# the spare tree in the cache edited by hand: a link out of it is never
# followed, a file where a folder belongs is replaced
mkdir -p "$TMPROOT/elsewhere"
if [ -d "$cache/tree" ]; then
    rm -rf "$cache/tree/guides"
    ln -s "$TMPROOT/elsewhere" "$cache/tree/guides"
    rm -rf "$cache/tree/assets"
    echo "a file" > "$cache/tree/assets"
fi
step "the spare tree edited by hand"
check "nothing was written through a symlink in the spare" \
    test -z "$(ls -A "$TMPROOT/elsewhere")"

# OUT removed, the cache kept
rm -rf "$out"
build
check "a build after rm -rf OUT succeeds" test $? -eq 0
same_as_clean "OUT removed"
step "a rebuild after OUT was removed"

# the manifest cut short, or damaged, or gone
step "before the manifest is damaged"
if [ -f "$cache/outputs" ]; then
    head -c 300 "$cache/outputs" > "$TMPROOT/m" && cp "$TMPROOT/m" "$cache/outputs"
fi
step_any "the manifest cut short"
if [ -f "$cache/outputs" ]; then
    size=$(stat -c %s "$cache/outputs")
    for at in 150 700 1500 3000; do
        [ "$at" -lt "$size" ] && printf 'garbage!' |
            dd of="$cache/outputs" bs=1 seek=$at conv=notrunc 2>/dev/null
    done
fi
step_any "the manifest damaged"
[ -d "$cache" ] && echo "opsbook-cache outputs 0 old" > "$cache/outputs"
step_any "a manifest from another version"
rm -rf "$cache"
step_any "the cache removed"

# threads: the same result, whatever -j is, edits included
printf '\nThreads.\n' >> "$site/content/metrics/README.md"
step "-j1 with an edit" -j1
step "-j8" -j8
printf '\nMore threads.\n' >> "$site/content/metrics/README.md"
step "-j8 with an edit" -j8

# A build that fails (bad front matter) leaves OUT as it was, byte for
# byte, and the next good build is a clean one's.
snap
printf -- '---\ntitle: [oops\n---\nBroken.\n' > "$site/content/broken.md"
build 2>/dev/null
check "a page with bad front matter fails the build" test $? -eq 1
check "the failed build left OUT as it was" diff -r "$TMPROOT/snap" "$out"
untouched "the failed build"
check "the failed build left no temporary folder" \
    sh -c "! ls -A '$TMPROOT/inc' | grep -q '^\.out\.tmp-'"
# OUT is opened while the pages load: the spare tree it took goes back
check "the failed build gave the spare tree back" test -d "$cache/tree"
rm "$site/content/broken.md"
"$OPSBOOK" -C "$site" build --out "$out" --as-of "$ASOF" -v -j8 \
    2>"$TMPROOT/kept.err" >/dev/null
check "the build after the failed one keeps the spare's files" \
    grep -Eq 'files +[1-9][0-9]* kept' "$TMPROOT/kept.err"
same_as_clean "the build after the failed one"
step "a good build after the failed one"

# A static file named as a page folder (or the other way round) fails the
# build as it fails a clean one: what the build made itself is no leftover
# to clear away. OUT stays as it was.
snap
echo "a file" > "$site/static/guides"
build 2>"$TMPROOT/err"
check "a static file named as a page folder fails the build" test $? -eq 3
check "naming the file" \
    grep -q "cannot write 'guides': Is a directory" "$TMPROOT/err"
check "OUT is as it was after the conflict" diff -r "$TMPROOT/snap" "$out"
rm "$site/static/guides"
mkdir -p "$site/static/index.html"
echo "a file" > "$site/static/index.html/x.txt"
build 2>"$TMPROOT/err"
check "a static folder named as a page fails the build" test $? -eq 3
check "naming its file" \
    grep -q "cannot write 'index.html/x.txt': Not a directory" "$TMPROOT/err"
rm -r "$site/static/index.html"
step "a good build after the conflicts"

# Another OUT of the same site has its own cache.
(cd "$site" && "$OPSBOOK" build -q --as-of $ASOF --out "$TMPROOT/inc/other")
check "another OUT has its own cache folder" \
    test -d "$TMPROOT/inc/.other.opsbook-cache"
step "OUT after another OUT was built"

# ---- reports and mail ----------------------------------------------------------
# The workbooks and emails are written every build, by libxlsxwriter and
# the mail module themselves: never through the previous OUT's files,
# even where a rebuild makes other bytes (another day).
rsite=$(fresh_site "$TESTS/golden/dashboards/site")
rout=$TMPROOT/inc/reports
rbuild() {
    "$OPSBOOK" -C "$rsite" build -q --as-of "$1" --out "$rout"
}
# rclean WHAT DAY: OUT equals a build of the same day without the cache,
# into a copy of the OUT before (the dated copies come from there).
rclean() {
    rm -rf "$TMPROOT/rclean" "$TMPROOT/.rclean.opsbook-cache"
    cp -a "$TMPROOT/rsnap" "$TMPROOT/rclean"
    "$OPSBOOK" -C "$rsite" build -q --as-of "$2" --out "$TMPROOT/rclean"
    if diff -r "$TMPROOT/rclean" "$rout" > "$TMPROOT/diff" 2>&1; then
        pass "$1: OUT is a build's without the cache"
    else
        fail "$1: OUT differs from a build without the cache"
        head -n 20 "$TMPROOT/diff" | sed 's/^/  /'
    fi
}
# rstep WHAT DAY: a nightly build and its checks.
rstep() {
    rm -rf "$TMPROOT/rsnap" "$TMPROOT/rlinks"
    cp -a "$rout" "$TMPROOT/rsnap"
    cp -al "$rout" "$TMPROOT/rlinks"
    rbuild "$2"
    check "$1: the build succeeds" test $? -eq 0
    if diff -r "$TMPROOT/rsnap" "$TMPROOT/rlinks" > "$TMPROOT/diff" 2>&1; then
        pass "$1: the previous workbooks and emails were not written through"
    else
        fail "$1: a file of the previous OUT was written through"
        head -n 20 "$TMPROOT/diff" | sed 's/^/  /'
    fi
    rclean "$1" "$2"
    check "$1: no temporary folder left" \
        sh -c "! ls -A '$TMPROOT/inc' | grep -q '^\.reports\.tmp-'"
}
rbuild 2026-11-17
check "the reports site builds" test -f "$rout/reports/leadership.eml"
rstep "reports, the next day" 2026-11-18
rstep "reports, the same day again" 2026-11-18
rstep "reports, a day later" 2026-11-19
rstep "reports, one more day" 2026-11-20
check "dated copies are carried over" \
    test -f "$rout/reports/leadership-2026-11-17.xlsx" \
    -a -f "$rout/reports/leadership-2026-11-19.xlsx"
check "the email is today's" \
    sh -c "! cmp -s '$TMPROOT/rsnap/reports/leadership.eml' '$rout/reports/leadership.eml'"
rstep "reports, an older day" 2026-11-18
report
