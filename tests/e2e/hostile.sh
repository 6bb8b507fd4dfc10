# hostile.sh: issue #15's hostile inputs (SPEC "Bad input gets a clear
# error and loses nothing"): every class below has a test, here or where
# the list says.
#
#   ../ and absolute paths
#     slugs ............................ here (1)
#     aliases .......................... errors/alias-outside
#     links and images ................. here (1)
#     static/, layouts/ ................ errors/static-folder-outside (only
#                                        symlinks can leave them)
#     sources, KPI/OKR/annotation files  errors/paths-outside, unit test_config
#     OKR check-in files ............... errors/data-symlink-outside
#     report and KPI ids (file names) .. here (1), with their length;
#                                        errors/name-too-long (slugs,
#                                        aliases, tags past 255 bytes)
#   symlinks out of the site
#     pages ............................ errors/symlink-outside
#     content folders, data files ...... errors/source-symlink-outside,
#                                        errors/data-symlink-outside
#     static/ and layouts/ ............. errors/static-symlink-outside,
#                                        errors/static-folder-outside,
#                                        errors/layout-symlink-outside
#     content/ itself .................. here (1)
#   YAML alias bombs ................... errors/alias-bomb (config); here (2)
#                                        in front matter and a YAML source
#   100,000-deep nesting ............... errors/deep-nesting (the config,
#                                        past 64); here (2) 100,000 deep in
#                                        the config, front matter, an embed,
#                                        a KPI file and a YAML source
#   pathological Markdown .............. here (3); site.sh (a wide table
#                                        past page_timeout)
#   1 GB single-line files, NUL files .. here (4); site.sh (page size cap);
#                                        errors/csv-nul-byte,
#                                        errors/page-nul-bytes
#   invalid UTF-8 ...................... errors/csv-invalid-utf8,
#                                        errors/csv-invalid-windows-1252,
#                                        errors/invalid-utf8-front-matter,
#                                        errors/invalid-utf8-file-name,
#                                        errors/invalid-utf8-layout,
#                                        pieces.sh (late in a big CSV); here
#                                        (5) page body, KPI title, YAML
#                                        source value, annotation, OKR
#                                        title, check-in CSV, config, a
#                                        ${NAME} value
#   script and markup payloads ......... here (6): HTML, SVG, search index,
#                                        xlsx, email; xlsx.sh (a KPI title,
#                                        a hostile table), mail.sh (a KPI
#                                        title in the HTML mail)
#   formula payloads in CSV cells ...... xlsx.sh (ops: hostile table, read
#                                        by openpyxl and LibreOffice);
#                                        here (6) with '+cmd|', '-2+3', CR
#   CR/LF header injection ............. errors/mail-header-injection
#                                        (from, to, subject in the config);
#                                        errors/mail-title-line-break (the
#                                        report title as the subject);
#                                        here (7) --to, ${NAME} values in
#                                        to and subject, the report title
#                                        (attachment name), the company
#   found on the way ................... here (8): a header without rows,
#                                        a `by` KPI with 16,001 groups
# SPDX-License-Identifier: MIT
CASE=hostile
PY=/usr/bin/python3 # Debian's: python3-openpyxl is a Debian package here
HOSTILE=$TESTS/sites/hostile
H=$(mktemp -d "$TMPROOT/hostile.XXXXXX") # this script's scratch files

# run_ob SITE ARGS...: opsbook in SITE at ASOF; stderr in $H/err,
# status in $rc, wall time in $ms (milliseconds) and peak memory in $kb.
run_ob() {
    d=$1
    shift
    t0=$(date +%s%N)
    /usr/bin/time -f %M -o "$H/mem" \
        "$OPSBOOK" -C "$d" "$@" --as-of "$ASOF" >"$H/out" 2>"$H/err"
    rc=$?
    ms=$((($(date +%s%N) - t0) / 1000000))
    kb=$(tail -n 1 "$H/mem")
    case $kb in '' | *[!0-9]*) kb=0 ;; esac
}

# new_site TITLE: an empty site with a home page; prints its folder, which
# holds a previous OUT (public/old/index.html) that must outlive failures.
new_site() {
    d=$(mktemp -d "$H/site.XXXXXX")
    mkdir -p "$d/content" "$d/data" "$d/public/old"
    printf 'site: {title: %s}\n' "$1" >"$d/opsbook.yaml"
    printf '# Home\n' >"$d/content/_index.md"
    echo "previous build" >"$d/public/old/index.html"
    echo "$d"
}

# expect_fail NAME STATUS WANT: after run_ob, the status is STATUS, stderr
# is exactly WANT (lines), the previous OUT is untouched and no temporary
# folder is left beside it.
expect_fail() {
    if [ "$rc" -ne "$2" ]; then
        fail "$1: exit status $rc, expected $2"
        sed 's/^/  /' "$H/err" | head -n 5
        return
    fi
    printf '%s\n' "$3" >"$H/want"
    if ! diff -u "$H/want" "$H/err" >"$H/diff"; then
        fail "$1: stderr differs"
        sed 's/^/  /' "$H/diff" | head -n 20
        return
    fi
    if [ "$(ls "$d/public")" != old ] ||
        [ "$(cat "$d/public/old/index.html")" != "previous build" ]; then
        fail "$1: the previous OUT changed"
        return
    fi
    if ls -A "$d" | grep -q '^\.'; then
        fail "$1: a temporary folder is left: $(ls -A "$d" | grep '^\.')"
        return
    fi
    pass "$1"
}

# bounded NAME MS KB: the last run took at most MS milliseconds and KB of
# peak memory.
bounded() {
    if [ "$ms" -le "$2" ] && [ "$kb" -le "$3" ]; then
        pass "$1: ${ms} ms, ${kb} KB"
    else
        fail "$1: ${ms} ms (at most $2), ${kb} KB (at most $3)"
    fi
}

# ---- (1) paths out of the site ----------------------------------------------
# Slugs are made of ASCII letters, digits and '-': '../' and '/' in one
# cannot place a page outside OUT.
d=$(new_site Paths)
mkdir "$d/content/deep"
printf -- '---\ntitle: Up\nslug: ../../../../escaped\n---\n# Up\n' \
    >"$d/content/deep/up.md"
printf -- '---\ntitle: Abs\nslug: /tmp/escaped-abs\n---\n# Abs\n' \
    >"$d/content/abs.md"
printf -- '---\ntitle: Dots\nslug: ..\n---\n# Dots\n' >"$d/content/dots.md"
# Links and images out of the repository: warnings at their position, the
# file is not copied, --strict fails.
printf '# Home\n\n[up](../../../etc/passwd) and ![pic](../../etc/hostname)\n[abs](/etc/passwd)\n' \
    >"$d/content/_index.md"
rm -rf "$d/public"
run_ob "$d" build
check "slugs with ../ and / build" test "$rc" -eq 0
check "a ../ slug stays in its folder" test -f "$d/public/deep/escaped.html"
check "an absolute slug stays in OUT" test -f "$d/public/tmp-escaped-abs.html"
check "a '..' slug gets a name of its own" \
    sh -c "ls '$d/public' | grep -q '^page.*\.html$'"
check "nothing was written beside the site" \
    test -z "$(find "$TMPROOT" -name 'escaped*' ! -path '*/public/*')" \
    -a ! -e /tmp/escaped-abs.html
cat >"$H/want" <<'EOF'
content/_index.md:3:1: warning: link '../../../etc/passwd' leads out of the repository
content/_index.md:3:31: warning: link '../../etc/hostname' leads out of the repository
EOF
check "links out of the repository warn at their position" \
    diff "$H/want" "$H/err"
check "what they point to is not copied" \
    sh -c "! grep -rqx 'root:.*' '$d/public' && test ! -e '$d/public/hostname'"
run_ob "$d" build --strict
check "--strict fails on them" test "$rc" -eq 1
# Report and KPI ids name files: only a-z, 0-9, '_' (and '-').
d=$(new_site Ids)
cat >>"$d/opsbook.yaml" <<'EOF'
sources:
  e: {path: data/e.csv, time: ts}
kpis:
  - {id: ../x, title: X, source: e, measure: count(), grain: week}
reports:
  - {id: /tmp/evil, title: R, kpis: all}
EOF
printf 'ts\n2026-11-02\n' >"$d/data/e.csv"
run_ob "$d" build
expect_fail "ids that are paths are refused" 1 \
    "opsbook.yaml:5:10: error: KPI id '../x' may hold only a-z, 0-9 and '_'
opsbook.yaml:7:10: error: report id '/tmp/evil' may hold only a-z, 0-9, '_' and '-'"
# Ids too long to name a file (kpis/ID.dark.svg in 255 bytes): an error at
# the id, not a failed write with status 3.
long=$(printf '%0201d' 0 | tr 0 a)
d=$(new_site Ids)
cat >>"$d/opsbook.yaml" <<EOF
sources:
  e: {path: data/e.csv, time: ts}
kpis:
  - {id: $long, title: X, source: e, measure: count(), grain: week}
reports:
  - {id: $long, title: R, kpis: all}
EOF
printf 'ts\n2026-11-02\n' >"$d/data/e.csv"
run_ob "$d" build
expect_fail "ids too long for a file name" 1 \
    "opsbook.yaml:5:10: error: KPI id 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is too long (more than 200 bytes): it names files
opsbook.yaml:7:10: error: report id 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is too long (more than 200 bytes): it names files"
# content/ itself a symlink out of the site.
d=$(new_site Linked)
mkdir "$H/elsewhere"
printf '# Elsewhere\n' >"$H/elsewhere/_index.md"
rm -r "$d/content"
ln -s "$H/elsewhere" "$d/content"
run_ob "$d" build
expect_fail "content/ linked out of the site" 1 \
    "opsbook: error: 'content' resolves outside the site"

# ---- (2) YAML: 100,000-deep nesting and alias bombs -------------------------
# Refused at the 65th level, at its position, in milliseconds.
deep=$($PY -c 'print("[" * 100000 + "]" * 100000)')
d=$(new_site Deep)
printf 'site: {title: Deep}\nx: %s\n' "$deep" >"$d/opsbook.yaml"
run_ob "$d" build
expect_fail "100,000-deep config" 1 \
    "opsbook.yaml:2:67: error: nesting deeper than 64 levels"
bounded "100,000-deep config" 5000 262144
d=$(new_site Deep)
printf -- '---\ntitle: Deep\nx: %s\n---\n# Deep\n' "$deep" >"$d/content/_index.md"
run_ob "$d" build
expect_fail "100,000-deep front matter" 1 \
    "content/_index.md:3:67: error: nesting deeper than 64 levels"
d=$(new_site Deep)
printf '# Deep\n\n```opsbook\nkpi: %s\n```\n' "$deep" >"$d/content/_index.md"
run_ob "$d" build
expect_fail "100,000-deep embed" 1 \
    "content/_index.md:4:69: error: nesting deeper than 64 levels"
d=$(new_site Deep)
printf 'site: {title: Deep}\nkpis: data/kpis.yaml\n' >"$d/opsbook.yaml"
printf -- '- id: k\n  title: %s\n' "$deep" >"$d/data/kpis.yaml"
run_ob "$d" build
expect_fail "100,000-deep KPI file" 1 \
    "data/kpis.yaml:2:72: error: nesting deeper than 64 levels"
d=$(new_site Deep)
printf 'site: {title: Deep}\nsources:\n  e: {path: data/e.yaml, type: yaml, time: ts}\n' \
    >"$d/opsbook.yaml"
printf -- '- {ts: 2026-11-02, a: %s}\n' "$deep" >"$d/data/e.yaml"
run_ob "$d" build
expect_fail "100,000-deep YAML source" 1 \
    "data/e.yaml:1:85: error: nesting deeper than 64 levels"
# A billion laughs (10^12 nodes once expanded) in front matter and in a
# YAML source: refused at a million nodes.
bomb() {
    printf 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n'
    i=1
    while [ $i -le 11 ]; do
        printf 'a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n' \
            $i $i $((i - 1)) $((i - 1)) $((i - 1)) $((i - 1)) $((i - 1)) \
            $((i - 1)) $((i - 1)) $((i - 1)) $((i - 1)) $((i - 1))
        i=$((i + 1))
    done
}
d=$(new_site Bomb)
{ printf -- '---\ntitle: Bomb\n'; bomb; printf -- '---\n# Bomb\n'; } \
    >"$d/content/_index.md"
run_ob "$d" build
expect_fail "an alias bomb in front matter" 1 \
    "content/_index.md:8:45: error: document too large after expanding aliases (more than 1000000 nodes)"
bounded "an alias bomb in front matter" 5000 262144
d=$(new_site Bomb)
printf 'site: {title: Bomb}\nsources:\n  e: {path: data/e.yaml, type: yaml, time: ts}\n' \
    >"$d/opsbook.yaml"
{ printf -- '- ts: 2026-11-02\n'; bomb | sed 's/^/  /'; } >"$d/data/e.yaml"
run_ob "$d" build
expect_fail "an alias bomb in a YAML source" 1 \
    "data/e.yaml:7:47: error: document too large after expanding aliases (more than 1000000 nodes)"

# ---- (3) pathological Markdown ----------------------------------------------
# cmark's own pathological cases (test/pathological_tests.py) and GFM's:
# each renders well within page_timeout, or stops the build naming the
# page; never longer than the limit and a little, never unbounded memory.
d=$(new_site Patho)
printf 'site: {title: Patho}\nbuild: {page_timeout: 2s}\n' >"$d/opsbook.yaml"
$PY - "$d/content" <<'EOF'
import os, sys
n = 30000
cases = {
    "nested-quotes": "> " * n + "a\n",
    "nested-lists": "".join("  " * i + "- a\n" for i in range(1000)),
    "dash-runs": "- " * n + "a\n",
    "brackets": "[" * n + "a" + "]" * n + "\n",
    "open-brackets": "[" * n + "\n",
    "link-openers": "[a](b " * n + "\n",
    "image-openers": "![" * n + "a" + "]" * n + "\n",
    "emph-stars": "*a **a " * n + "\n",
    "emph-underscores": "_a __a " * n + "\n",
    "emph-openers": "a_" * n + "\n",
    "mixed-openers": "*a _b " * n + "\n",
    "backticks": "".join("e" + "`" * i for i in range(1, 1000)) + "\n",
    "unclosed-html": "<a " * n + "\n",
    "html-comments": "<!--" * n + "\n",
    "cdata": "<![CDATA[" * n + "\n",
    "entities": "&#" * n + "\n",
    "strikethrough": "~~a " * n + "\n",
    "footnote-refs": "[^a]" * n + "\n\n[^a]: x\n",
    "task-lists": "- [ ] " * n + "\n",
    "alerts": "> [!NOTE]\n" * 5000,
    "table-rows": "|a|b|\n|-|-|\n" + "|x|y|\n" * n,
}
for name, text in cases.items():
    with open(os.path.join(sys.argv[1], name + ".md"), "w") as f:
        f.write(text)
EOF
for f in "$d"/content/*.md; do
    name=$(basename "$f" .md)
    [ "$name" = _index ] && continue
    mkdir -p "$d/one/content"
    rm -f "$d"/one/content/*
    cp "$d/opsbook.yaml" "$d/one/"
    cp "$f" "$d/one/content/"
    run_ob "$d/one" build -q
    if [ "$rc" -eq 0 ] ||
        { [ "$rc" -eq 1 ] && grep -qx "content/$name.md: error: took longer than page_timeout (2s) to render; the build stops" "$H/err"; }; then
        pass "pathological $name: status $rc"
    else
        fail "pathological $name: status $rc"
        sed 's/^/  /' "$H/err" | head -n 3
    fi
    bounded "pathological $name" 7000 1048576
done
# One that cmark-gfm's autolink extension takes seconds over: stopped at
# the limit, named. Its time is the library's (not slower under the
# sanitizers), about 10 us an address, linear: 100,000 of them took 1.0 s
# on one machine, a coin's toss against a 1 s limit, so 800,000 (3.2 MB,
# under the 4 MiB limit of a page), some 8 s without the limit.
d=$(new_site Slow)
printf 'site: {title: Slow}\nbuild: {page_timeout: 1s}\n' >"$d/opsbook.yaml"
$PY -c 'print("a@a." * 800000)' >"$d/content/mail.md"
run_ob "$d" build
expect_fail "a slow page stops the build" 1 \
    "content/mail.md: error: took longer than page_timeout (1s) to render; the build stops"
bounded "soon after the limit" 6000 1048576

# ---- (4) 1 GB single-line files and files of NULs ---------------------------
# Sparse files: no disk used. Each is refused by its size or at its first
# byte, without reading it all: fast and in little memory.
d=$(new_site Huge)
truncate -s 1G "$d/content/huge.md"
run_ob "$d" build
expect_fail "a 1 GB page" 1 \
    "content/huge.md: error: 'content/huge.md' is too large (the limit is 4 MiB)"
bounded "a 1 GB page" 5000 262144
rm "$d/content/huge.md"
head -c 100000 /dev/zero >"$d/content/zeros.md"
run_ob "$d" build
expect_fail "a page of NULs" 1 \
    "content/zeros.md:1:1: error: NUL byte: not text (a binary file?)"
d=$(new_site Huge)
printf 'site: {title: Huge}\nsources:\n  e: {path: data/e.csv, time: ts}\n' \
    >"$d/opsbook.yaml"
truncate -s 1G "$d/data/e.csv"
run_ob "$d" build
expect_fail "a 1 GB CSV of NULs" 1 \
    "data/e.csv:1:1: error: NUL byte: not text (a binary file?)"
bounded "a 1 GB CSV of NULs" 5000 262144
# A 1 GB single line of text: read up to the record cap (16 MiB), then
# refused at the record's line. (40 MB of it show the cap as well as 1 GB.)
printf 'ts,user\n2026-11-02,u1\n2026-11-03,' >"$d/data/e.csv"
head -c 40000000 /dev/zero | tr '\0' x >>"$d/data/e.csv"
run_ob "$d" build
expect_fail "a 40 MB CSV record" 1 \
    "data/e.csv:3:1: error: record longer than 16777216 bytes"
bounded "a 40 MB CSV record" 10000 262144
run_ob "$d" data e
expect_fail "opsbook data on it" 1 \
    "data/e.csv:3:1: error: record longer than 16777216 bytes"
rm "$d/data/e.csv" # 40 MB of real disk
d=$(new_site Huge)
truncate -s 1G "$d/opsbook.yaml"
run_ob "$d" build
expect_fail "a 1 GB config" 1 \
    "opsbook.yaml: error: 'opsbook.yaml' is too large (the limit is 64 MiB)"
bounded "a 1 GB config" 5000 262144
head -c 100000 /dev/zero >"$d/opsbook.yaml"
run_ob "$d" build
expect_fail "a config of NULs" 1 \
    "opsbook.yaml:1:1: error: control characters are not allowed"
d=$(new_site Huge)
printf 'site: {title: Huge}\nkpis: data/kpis.yaml\nokrs: data/okrs.yaml\nannotations: data/notes.yaml\n' \
    >"$d/opsbook.yaml"
for f in kpis okrs notes; do truncate -s 1G "$d/data/$f.yaml"; done
run_ob "$d" build
expect_fail "1 GB KPI, OKR and annotation files" 1 \
    "data/kpis.yaml: error: 'data/kpis.yaml' is too large (the limit is 64 MiB)
data/notes.yaml: error: 'data/notes.yaml' is too large (the limit is 64 MiB)
data/okrs.yaml: error: 'data/okrs.yaml' is too large (the limit is 64 MiB)"
bounded "1 GB KPI, OKR and annotation files" 5000 262144
for f in kpis okrs notes; do head -c 1000 /dev/zero >"$d/data/$f.yaml"; done
run_ob "$d" build
expect_fail "KPI, OKR and annotation files of NULs" 1 \
    "data/kpis.yaml:1:1: error: control characters are not allowed
data/notes.yaml:1:1: error: control characters are not allowed
data/okrs.yaml:1:1: error: control characters are not allowed"
d=$(new_site Huge)
printf 'site: {title: Huge}\nsources:\n  e: {path: data/e.yaml, type: yaml, time: ts}\n' \
    >"$d/opsbook.yaml"
truncate -s 1G "$d/data/e.yaml"
run_ob "$d" build
expect_fail "a 1 GB YAML source" 1 \
    "data/e.yaml: error: 'data/e.yaml' is too large (the limit is 64 MiB)"
bounded "a 1 GB YAML source" 5000 262144
head -c 1000 /dev/zero >"$d/data/e.yaml"
run_ob "$d" build
expect_fail "a YAML source of NULs" 1 \
    "data/e.yaml:1:1: error: control characters are not allowed"

# ---- (5) invalid UTF-8 everywhere ---------------------------------------------
# Each at its line and character column; nothing written.
bad=$(printf '\377')
d=$(new_site Text)
printf '# Home\n\nSome text, then %s here.\n' "$bad" >"$d/content/_index.md"
run_ob "$d" build
expect_fail "invalid UTF-8 in a page body" 1 \
    "content/_index.md:3:17: error: invalid UTF-8 text"
d=$(new_site Text)
printf 'site: {title: "Hand%sbook"}\n' "$bad" >"$d/opsbook.yaml"
run_ob "$d" build
expect_fail "invalid UTF-8 in the config" 1 \
    "opsbook.yaml:1:20: error: invalid UTF-8 text"
d=$(new_site Text)
cat >"$d/opsbook.yaml" <<EOF
site: {title: Text}
sources:
  e: {path: data/e.csv, time: ts}
kpis:
  - {id: k, title: "Sign-ups $bad", source: e, measure: count(), grain: week}
EOF
printf 'ts\n2026-11-02\n' >"$d/data/e.csv"
run_ob "$d" build
expect_fail "invalid UTF-8 in a KPI title" 1 \
    "opsbook.yaml:5:30: error: invalid UTF-8 text"
d=$(new_site Text)
printf 'site: {title: Text}\nsources:\n  e: {path: data/e.yaml, type: yaml, time: ts}\n' \
    >"$d/opsbook.yaml"
printf -- '- {ts: 2026-11-02, plan: pro}\n- {ts: 2026-11-03, plan: "pr%so"}\n' \
    "$bad" >"$d/data/e.yaml"
run_ob "$d" build
expect_fail "invalid UTF-8 in a YAML source value" 1 \
    "data/e.yaml:2:29: error: invalid UTF-8 text"
d=$(new_site Text)
cat >"$d/opsbook.yaml" <<'EOF'
site: {title: Text}
annotations: data/notes.yaml
okrs: data/okrs/*.yaml
EOF
printf -- '- {date: 2026-11-02, label: "v3 %s"}\n' "$bad" >"$d/data/notes.yaml"
mkdir "$d/data/okrs"
printf 'quarter: 2026-Q4\nobjectives:\n  - id: o1\n    title: "Gr%sow"\n' "$bad" \
    >"$d/data/okrs/q4.yaml"
run_ob "$d" build
expect_fail "invalid UTF-8 in an annotation and an OKR title" 1 \
    "data/notes.yaml:1:33: error: invalid UTF-8 text
data/okrs/q4.yaml:4:15: error: invalid UTF-8 text"
printf -- '- {date: 2026-11-02, label: v3}\n' >"$d/data/notes.yaml"
cat >"$d/data/okrs/q4.yaml" <<'EOF'
quarter: 2026-Q4
checkins: data/checkins.csv
objectives:
  - id: o1
    title: Grow
    key_results:
      - {id: kr1, title: Users, baseline: 0, target: 10}
EOF
printf 'kr,date,value,confidence,note\nkr1,2026-11-02,3,0.5,on %s track\n' \
    "$bad" >"$d/data/checkins.csv"
run_ob "$d" build
expect_fail "invalid UTF-8 in a check-in note" 1 \
    "data/checkins.csv:2:25: error: invalid UTF-8 text"
# A ${NAME} value is checked as the text around it is, at the value's
# position, naming the variable; so is a layout (errors/invalid-utf8-layout).
d=$(new_site Text)
printf 'site: {title: "Hand ${OB_TEST_TITLE}"}\n' >"$d/opsbook.yaml"
export OB_TEST_TITLE="a${bad}b"
run_ob "$d" build
unset OB_TEST_TITLE
expect_fail "invalid UTF-8 in a \${NAME} value" 1 \
    "opsbook.yaml:1:15: error: environment variable 'OB_TEST_TITLE' holds invalid UTF-8 text"

# ---- (6) script, markup and formula payloads ---------------------------------
# tests/sites/hostile puts them in every text the site reaches an output
# with: never markup in HTML or SVG, always text in the xlsx and the mail.
d=$(fresh_site "$HOSTILE")
run_ob "$d" build
check "the hostile fixture builds" test "$rc" -eq 0
out=$d/public
# No payload survives as markup in any page, chart or the search index:
# no script, img, iframe or b element from the data, no javascript: URL.
if grep -rIil -E '<script>alert|<img src=x|<iframe|<b onmouseover|<b>owner|(href|src)="javascript:' \
    "$out" --include='*.html' --include='*.svg' --include='*.js' >"$H/hits"; then
    fail "a payload is markup in $(tr '\n' ' ' <"$H/hits")"
else
    pass "no payload is markup in HTML, SVG or JS"
fi
check "titles are escaped in <title>" grep -qF \
    '<title>&lt;script&gt;alert(&quot;page&quot;)&lt;/script&gt;&lt;/title&gt; · Ops &lt;script&gt;alert(&quot;site&quot;)&lt;/script&gt;&lt;/title&gt;</title>' \
    "$out/index.html"
check "a KPI title on its page" grep -qF \
    '&lt;script&gt;alert(&quot;kpi&quot;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;/title&gt;]]&gt;' \
    "$out/kpis/signups/index.html"
check "javascript: links lose their URL" \
    sh -c "grep -c '<a href=\"\">' '$out/index.html' | grep -qx 2"
check "a javascript: image too" grep -qF '<img src="" alt="img"' "$out/index.html"
check "raw HTML in a page shows as text" grep -qF \
    'Raw &lt;script&gt;alert(&quot;body&quot;)&lt;/script&gt;' "$out/index.html"
# The charts: well-formed XML whose text is the payload, as text.
$PY - "$out" >"$H/svg.out" 2>&1 <<'EOF'
import glob, sys
import xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
files = sorted(glob.glob(sys.argv[1] + "/kpis/*.svg"))
assert len(files) == 4, files
for f in files:
    root = ET.parse(f).getroot()
    tags = {e.tag.replace(ns, "") for e in root.iter()}
    assert not tags & {"script", "img", "iframe", "foreignObject"}, (f, tags)
    title = root.find(ns + "title").text
    assert '<script>alert("note")</script>"><img src=x onerror=alert(4)>]]>' in title, (f, title)
signups = ET.parse(sys.argv[1] + "/kpis/signups.svg").getroot().find(ns + "title").text
assert signups.startswith('<script>alert("kpi")</script>"><img src=x onerror=alert(1)></title>]]>'), signups
groups = ET.parse(sys.argv[1] + "/kpis/by_plan.svg").getroot()
assert any(t.text and '<script>alert("group")</script>' in t.text for t in groups.iter()), "group"
EOF
if [ $? -eq 0 ]; then pass "SVG: well-formed, payloads as text"; else
    fail "SVG: payloads"
    sed 's/^/  /' "$H/svg.out"
fi
# The search index: a script whose strings hold no '<' to close it.
check "the search index has no raw '<'" \
    sh -c "! sed 's/^window.OPSBOOK_SEARCH = //' '$out/search-index.js' | grep -q '<'"
$PY - "$out/search-index.js" >"$H/js.out" 2>&1 <<'EOF'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
prefix = "window.OPSBOOK_SEARCH = "
assert text.startswith(prefix), text[:40]
index = json.loads(text[len(prefix):].rstrip().rstrip(";"))
def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for x in v.values():
            yield from strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)
found = set(strings(index))
assert '<script>alert("page")</script></title>' in found, "page title"
assert any('<script>alert("h1")</script>' in x for x in found), "heading"
EOF
if [ $? -eq 0 ]; then pass "the search index is JSON holding the payloads"; else
    fail "the search index"
    sed 's/^/  /' "$H/js.out"
fi
# The workbook: every payload a string cell holding exactly the text,
# formulas included (Excel's _xHHHH_ escape decoded, as Excel does).
$PY - "$out/reports/leadership.xlsx" "$d/data/events.csv" >"$H/xlsx.out" 2>&1 <<'EOF'
import csv, re, sys, warnings
warnings.simplefilter("ignore")
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
def text(v):
    return re.sub(r"_x([0-9A-F]{4})_", lambda m: chr(int(m.group(1), 16)), v)
bad = []
def want(ws, coord, value):
    c = ws[coord]
    if c.data_type != "s" or text(c.value) != value:
        bad.append(f"{ws.title}!{coord}: {c.data_type} {c.value!r}, want {value!r}")
rows = list(csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8")))
ws = wb["events"]
for i, r in enumerate(rows):
    want(ws, f"C{i + 2}", r["plan"])
    want(ws, f"D{i + 2}", r["payload"])
assert len(rows) == 10 and ws.max_row == 11, ws.max_row
s = wb["Summary"]
want(s, "A1", '<script>alert("report")</script> ]]>')
want(s, "A5", '<script>alert("kpi")</script>"><img src=x onerror=alert(1)></title>]]>')
o = wb["OKRs"]
want(o, "C5", '<script>alert("objective")</script>')
want(o, "C6", '</title><script>alert("kr")</script>')
assert text(o["M6"].value).startswith('<script>alert("checkin")</script>]]>'), o["M6"].value
assert wb.properties.title == '<script>alert("report")</script> ]]>', wb.properties.title
# no formula anywhere: openpyxl reads a formula cell as type 'f'
for sheet in wb:
    for row in sheet.iter_rows():
        for c in row:
            if c.data_type == "f":
                bad.append(f"{sheet.title}!{c.coordinate}: a formula {c.value!r}")
if bad:
    sys.exit("\n".join(bad))
EOF
if [ $? -eq 0 ]; then pass "xlsx: payloads and formulas are text cells"; else
    fail "xlsx: payloads"
    sed 's/^/  /' "$H/xlsx.out" | head -n 20
fi
# The mail: the HTML part escapes them; the headers are the expected ones.
run_ob "$d" mail --report leadership
check "opsbook mail writes the .eml" test "$rc" -eq 0 -a -s "$out/reports/leadership.eml"
$PY - "$out/reports/leadership.eml" >"$H/eml.out" 2>&1 <<'EOF'
import email, sys
from email import policy
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=policy.default)
assert not m.defects, m.defects
h = m.get_body(("html",)).get_content()
for p in ("<script>alert", "<img src=x", "<b>&amp;</b>", "<iframe"):
    assert p not in h, p
assert "&lt;script&gt;alert(&quot;kpi&quot;)&lt;/script&gt;" in h
assert str(m["Subject"]) == '<script>alert("subject")</script> Nov 20, 2026', m["Subject"]
t = m.get_body(("plain",)).get_content()
assert '<script>alert("kpi")</script>' in t  # plain text stays as written
EOF
if [ $? -eq 0 ]; then pass "mail: payloads escaped in HTML, text in the rest"; else
    fail "mail: payloads"
    sed 's/^/  /' "$H/eml.out"
fi

# ---- (7) CR/LF in mail headers ------------------------------------------------
# The config's from, to and subject: errors/mail-header-injection. Here:
# --to, and titles that reach headers (the attachment's name) or the body.
run_ob "$d" mail --report leadership --to "$(printf 'a@example.com\r\nBcc: evil@example.com')"
check "--to with a line break is refused" test "$rc" -eq 2
check "saying why" grep -qx \
    "opsbook: error: --to holds a line break: refused, since a line break in a mail header would start a header of its own" \
    "$H/err"
sed -e 's/^  company: .*/  company: "Co\\r\\nX-Evil: 1"/' \
    -e "s/^    title: '<script>alert(\"report\")<\\/script> ]]>'/    title: \"Report\\\\r\\\\nBcc: evil@example.com\\\\r\\\\n\\\\r\\\\nbody\"/" \
    "$HOSTILE/opsbook.yaml" >"$d/opsbook.yaml"
check "the CR/LF fixture differs" sh -c "grep -q 'Bcc: evil' '$d/opsbook.yaml'"
run_ob "$d" build -q
run_ob "$d" mail --report leadership
check "titles with CR/LF still mail" test "$rc" -eq 0
$PY - "$out/reports/leadership.eml" >"$H/eml.out" 2>&1 <<'EOF'
import email, sys
from email import policy
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=policy.default)
assert not m.defects, m.defects
assert m.keys() == ["Date", "From", "To", "Subject", "Message-ID", "MIME-Version",
                    "Auto-Submitted", "Content-Type"], m.keys()
assert "Bcc" not in m and "X-Evil" not in m
parts = list(m.walk())
assert all(set(p.keys()) <= {"Content-Type", "Content-Transfer-Encoding",
                             "Content-ID", "Content-Disposition"}
           for p in parts[1:]), [p.keys() for p in parts]
names = [p.get_filename() for p in parts if p.get_filename()]
xlsx = [n for n in names if n.endswith(".xlsx")]
assert xlsx == ["Report--Bcc- evil@example.com----body 2026-11-20.xlsx"], names
assert not any(c in n for n in names for c in "\r\n"), names
EOF
if [ $? -eq 0 ]; then pass "no header from a title, no CR/LF in file names"; else
    fail "mail: CR/LF in titles"
    sed 's/^/  /' "$H/eml.out"
fi

# The same line breaks from ${NAME} values in mail.to and mail.subject:
# refused after expansion, at the value that named the variable.
d=$(new_site Mail)
cat >"$d/opsbook.yaml" <<'EOF'
site: {title: Mail}
reports:
  - {id: leadership, title: Leadership report}
mail:
  from: "Product Ops <product-ops@example.com>"
  to: ["${OB_TEST_TO}", ok@example.com]
  subject: "KPIs ${OB_TEST_SUBJECT}"
EOF
OB_TEST_TO=$(printf 'a@example.com\r\nBcc: evil@example.com')
OB_TEST_SUBJECT=$(printf '{{as_of}}\nBcc: evil@example.com')
export OB_TEST_TO OB_TEST_SUBJECT
run_ob "$d" mail --report leadership
unset OB_TEST_TO OB_TEST_SUBJECT
expect_fail "\${NAME} values with CR/LF in mail.to and mail.subject" 1 \
    "opsbook.yaml:6:8: error: mail.to holds a line break: refused, since a line break in a mail header would start a header of its own
opsbook.yaml:7:12: error: mail.subject holds a line break: refused, since a line break in a mail header would start a header of its own"
check "no .eml from CR/LF \${NAME} values" test ! -e "$d/public/reports"

# ---- (8) found on the way -------------------------------------------------------
# A malformed first record left the time column without a sampled value:
# "the time column holds string values" at the config, instead of the CSV
# error at its position (errors/csv-bad-first-record). A header without
# rows, the same way: it is a warning (SPEC "CSV reading rules").
d=$(new_site Header)
printf 'site: {title: Header}\nsources:\n  e: {path: data/e.csv, time: ts}\n' \
    >"$d/opsbook.yaml"
printf 'ts,user\n' >"$d/data/e.csv"
run_ob "$d" check
check "a header without rows passes" test "$rc" -eq 0
check "with a warning naming the file" grep -qx \
    "data/e.csv: warning: 'data/e.csv' has a header but no rows" "$H/err"
printf 'ts,user\n,u1\n,u2\n' >"$d/data/e.csv"
run_ob "$d" check
check "rows without a time yet pass (open tickets)" test "$rc" -eq 0
# A `by` over an id column: more groups than a report's KPI sheet has
# columns (a column each, Excel has 16,384). It was libxlsxwriter's "index
# out of range", status 3, after a warning line per Summary link past
# Excel's 65,530; now an error at the `by`, before any work on the book.
d=$(new_site Groups)
cat >>"$d/opsbook.yaml" <<'EOF'
sources:
  e: {path: data/e.csv, time: ts}
kpis:
  - {id: per_user, title: Per user, source: e, measure: count(), grain: week, by: user}
reports:
  - {id: r, title: R, kpis: all}
EOF
$PY -c 'print("ts,user"); print("\n".join("2026-11-16,u%d" % i for i in range(16001)))' \
    >"$d/data/e.csv"
run_ob "$d" build
expect_fail "a report KPI with 16,001 groups" 1 \
    "opsbook.yaml:5:83: error: KPI 'per_user' has 16001 groups by 'user': more than report 'r' can hold (16000, a column each)"
bounded "refused before writing the book" 10000 524288

report
