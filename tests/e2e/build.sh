# build.sh: a good build, reproducibility, atomic replacement of OUT.
# SPDX-License-Identifier: MIT
CASE=build
BASIC=$TESTS/golden/basic/site

# Two builds of the same inputs and --as-of are byte-identical, wherever
# they are written; a third with another as-of differs only where it shows.
site=$(fresh_site "$BASIC")
(cd "$site" && "$OPSBOOK" build --as-of $ASOF --out "$TMPROOT/one") 2>/dev/null
(cd "$site" && "$OPSBOOK" build --as-of $ASOF --out "$TMPROOT/two") 2>/dev/null
check "two builds are byte-identical" diff -r "$TMPROOT/one" "$TMPROOT/two"
(cd "$site" && "$OPSBOOK" build --as-of 2026-11-21 --out "$TMPROOT/three") 2>/dev/null
check "another as-of shows in the footer" \
    grep -q "data as of Nov 21, 2026" "$TMPROOT/three/index.html"

# The default OUT is build.output ("public") inside the site.
(cd "$site" && "$OPSBOOK" build -q --as-of $ASOF)
check "default output folder" test -f "$site/public/index.html"
check "no temporary folder left" \
    sh -c "! ls -A '$site' | grep -q tmp"

# A failing build after a good one leaves OUT as it was, byte for byte.
before=$(tree_sum "$site/public")
printf 'site: {title: [oops}\n' > "$site/opsbook.yaml.bad"
cp "$site/opsbook.yaml" "$site/opsbook.yaml.good"
cp "$site/opsbook.yaml.bad" "$site/opsbook.yaml"
(cd "$site" && "$OPSBOOK" build --as-of $ASOF) 2>/dev/null
status=$?
check "a broken config exits 1" test "$status" -eq 1
check "the previous OUT is untouched" test "$before" = "$(tree_sum "$site/public")"
check "no temporary folder left after a failure" \
    sh -c "! ls -A '$site' | grep -q tmp"
cp "$site/opsbook.yaml.good" "$site/opsbook.yaml"

# A later good build replaces OUT: stale files go.
echo stale > "$site/public/stale.html"
(cd "$site" && "$OPSBOOK" build -q --as-of $ASOF)
check "stale files are gone after a rebuild" test ! -e "$site/public/stale.html"

# OUT given as a symlink keeps pointing where it pointed.
mkdir -p "$TMPROOT/real-out"
ln -s "$TMPROOT/real-out" "$site/linked"
(cd "$site" && "$OPSBOOK" build -q --as-of $ASOF --out linked)
check "a symlinked OUT stays a symlink" test -L "$site/linked"
check "its target receives the site" test -f "$TMPROOT/real-out/index.html"

# OUT that is a file is refused (environment, exit 3) and left alone.
echo "a file" > "$site/afile"
(cd "$site" && "$OPSBOOK" build --as-of $ASOF --out afile) 2>"$TMPROOT/err"
check "OUT as a file exits 3" test $? -eq 3
check "OUT as a file is named" grep -q "'afile' exists and is not a folder" "$TMPROOT/err"
check "the file is untouched" grep -qx "a file" "$site/afile"

# check validates and writes nothing.
rm -rf "$site/public"
(cd "$site" && "$OPSBOOK" check --as-of $ASOF)
check "check succeeds" test $? -eq 0
check "check writes nothing" test ! -e "$site/public"

# -C runs in another folder.
"$OPSBOOK" -C "$site" build -q --as-of $ASOF
check "-C builds there" test -f "$site/public/index.html"

# as_of defaults to yesterday in site.timezone, today from SOURCE_DATE_EPOCH:
# 2026-11-21T23:30Z is already the 22nd in Paris.
SOURCE_DATE_EPOCH=1795303800 "$OPSBOOK" -C "$site" build -q --out "$TMPROOT/sde"
check "as_of is yesterday in the site's zone" \
    grep -q "data as of Nov 21, 2026" "$TMPROOT/sde/index.html"
printf 'site:\n  title: Test Handbook\n  timezone: UTC\n' > "$site/opsbook.yaml"
SOURCE_DATE_EPOCH=1795303800 "$OPSBOOK" -C "$site" build -q --out "$TMPROOT/sde-utc"
check "and in UTC it is a day earlier" \
    grep -q "data as of Nov 20, 2026" "$TMPROOT/sde-utc/index.html"
SOURCE_DATE_EPOCH=yesterday "$OPSBOOK" -C "$site" build -q 2>/dev/null
check "a malformed SOURCE_DATE_EPOCH is a usage error" test $? -eq 2

# --diagnostics json prints one JSON object per problem.
printf 'site:\n  title: T\n  titel: x\n' > "$site/opsbook.yaml"
"$OPSBOOK" -C "$site" check --diagnostics json 2>"$TMPROOT/json"
check "json diagnostics" grep -qx '{"path":"opsbook.yaml","line":3,"column":3,"severity":"error","message":"unknown key '"'titel'"' in '"'site'"' (did you mean '"'title'"'?)"}' "$TMPROOT/json"
check "json diagnostics parse" python3 -c "import json,sys; [json.loads(l) for l in open('$TMPROOT/json')]"

report
