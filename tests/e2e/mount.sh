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
report
