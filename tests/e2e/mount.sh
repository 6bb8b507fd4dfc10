# mount.sh: when OUT is a mount point it cannot be swapped: opsbook says so
# and replaces the files inside it, new files first and stale ones last.
# Needs a private mount namespace (root); skipped without one.
# SPDX-License-Identifier: MIT
CASE=mount

if ! unshare -m true 2>/dev/null; then
    echo "skip mount: no mount namespace here"
    report
    return 0 2>/dev/null || exit 0
fi
site=$(fresh_site "$TESTS/golden/basic/site")
cat > "$TMPROOT/mounted.sh" <<SCRIPT
set -e
mkdir -p "$site/public"
mount -t tmpfs tmpfs "$site/public"
mkdir -p "$site/public/old"
echo stale > "$site/public/old/stale.html"
echo "previous" > "$site/public/index.html"
cd "$site"
"$OPSBOOK" build --as-of $ASOF 2> "$TMPROOT/err"
findmnt -n "$site/public" > "$TMPROOT/findmnt"
cp -R "$site/public" "$TMPROOT/result"
printf '\nEdited.\n' >> content/process/feedback-triage.md
"$OPSBOOK" build -q --as-of $ASOF
cp -R "$site/public" "$TMPROOT/result2"
(cd public && find . -type f -printf '%P %i\n' | sort) > "$TMPROOT/ino2"
"$OPSBOOK" build -q --as-of $ASOF
(cd public && find . -type f -printf '%P %i\n' | sort) > "$TMPROOT/ino3"
"$OPSBOOK" build -q --as-of $ASOF --out "$TMPROOT/clean2"
SCRIPT
unshare -m sh "$TMPROOT/mounted.sh"
check "the build succeeds" test $? -eq 0
check "it says OUT is a mount point" \
    grep -q "is a mount point and cannot be swapped" "$TMPROOT/err"
check "OUT is still the mount" grep -q tmpfs "$TMPROOT/findmnt"
check "the new files are in it" \
    cmp -s "$TMPROOT/result/index.html" "$TESTS/golden/basic/expected/index.html"
check "the stale files are gone" test ! -e "$TMPROOT/result/old"
check "the same tree as a normal build" \
    diff -r "$TMPROOT/result" "$TESTS/golden/basic/expected"
# Rebuilds in place replace only the files that changed (issue #12).
check "a rebuild in place after an edit is a normal build" \
    diff -r "$TMPROOT/result2" "$TMPROOT/clean2"
check "a rebuild in place with nothing changed replaces no file" \
    cmp -s "$TMPROOT/ino2" "$TMPROOT/ino3"

# A full disk: the build fails with exit 3 naming the problem, OUT is left
# as it was and the half-written tree is removed.
cat > "$TMPROOT/full.sh" <<SCRIPT
mkdir -p "$TMPROOT/small"
mount -t tmpfs -o size=16k tmpfs "$TMPROOT/small"
mkdir -p "$TMPROOT/small/out"
echo previous > "$TMPROOT/small/out/index.html"
head -c 12000 /dev/zero > "$site/static/big.bin"
cd "$site"
"$OPSBOOK" build --as-of $ASOF --out "$TMPROOT/small/out" 2> "$TMPROOT/err-full"
echo \$? > "$TMPROOT/status-full"
ls -A "$TMPROOT/small" > "$TMPROOT/left-full"
cat "$TMPROOT/small/out/index.html" > "$TMPROOT/index-full"
SCRIPT
unshare -m sh "$TMPROOT/full.sh"
check "a full disk exits 3" test "$(cat "$TMPROOT/status-full")" -eq 3
check "it says why" grep -q "No space left on device" "$TMPROOT/err-full"
check "OUT is untouched" grep -qx previous "$TMPROOT/index-full"
check "no temporary folder left" test "$(cat "$TMPROOT/left-full")" = out
report
