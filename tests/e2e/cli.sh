# cli.sh: help, version, usage errors and `opsbook new`.
# SPDX-License-Identifier: MIT
CASE=cli

"$OPSBOOK" --help > "$TMPROOT/out" 2>&1
check "--help exits 0" test $? -eq 0
check "--help lists the commands" grep -q "^  build " "$TMPROOT/out"
"$OPSBOOK" build --help > "$TMPROOT/out"
check "build --help" grep -q "^usage: opsbook build" "$TMPROOT/out"
"$OPSBOOK" help check > "$TMPROOT/out"
check "help check" grep -q "^usage: opsbook check" "$TMPROOT/out"
"$OPSBOOK" --version > "$TMPROOT/out"
check "--version" grep -Eq "^opsbook [0-9]+\.[0-9]+\.[0-9]+$" "$TMPROOT/out"
"$OPSBOOK" > /dev/null 2>&1
check "no command is a usage error" test $? -eq 2
"$OPSBOOK" check --out x > /dev/null 2>&1
check "an option of another command is a usage error" test $? -eq 2
"$OPSBOOK" build --out > /dev/null 2>&1
check "an option without its value is a usage error" test $? -eq 2
"$OPSBOOK" build --strict=yes > /dev/null 2>&1
check "a value for a flag is a usage error" test $? -eq 2
"$OPSBOOK" check extra > /dev/null 2>&1
check "a stray argument is a usage error" test $? -eq 2

# new DIR writes a site that builds.
"$OPSBOOK" new "$TMPROOT/fresh" > "$TMPROOT/out"
check "new exits 0" test $? -eq 0
check "new writes opsbook.yaml" test -f "$TMPROOT/fresh/opsbook.yaml"
check "new writes pages" test -f "$TMPROOT/fresh/content/_index.md"
"$OPSBOOK" -C "$TMPROOT/fresh" build -q --as-of $ASOF
check "the new site builds" test -f "$TMPROOT/fresh/public/index.html"
"$OPSBOOK" new "$TMPROOT/fresh" > /dev/null 2>&1
check "new refuses a non-empty folder" test $? -eq 2
"$OPSBOOK" new > /dev/null 2>&1
check "new needs a folder" test $? -eq 2

report
