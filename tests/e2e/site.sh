# site.sh: the handbook site: layouts overridden from the site's layouts/,
# a layout's syntax error, --strict on broken links, the page size cap and
# page_timeout, and search over the golden site.
# SPDX-License-Identifier: MIT
CASE=site
BASIC=$TESTS/golden/basic/site

# A file in layouts/ replaces the built-in one of the same name; a new one
# is a partial layouts can include.
site=$(fresh_site "$BASIC")
mkdir -p "$site/layouts"
printf '<footer class="custom">{{site.owner}} {{> extra.html}}</footer>\n' \
    > "$site/layouts/footer.html"
printf 'extra {{page.params.custom_param}}' > "$site/layouts/extra.html"
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" 2>/dev/null
check "a site layout replaces the built-in one" \
    grep -q '<footer class="custom">Testco extra kept for layouts</footer>' \
    "$site/public/process/feedback-triage.html"
check "the other built-in layouts stay" \
    grep -q '<aside class="toc"' "$site/public/process/feedback-triage.html"

# A layout that does not parse: an error at its position, nothing written.
mkdir -p "$site/public/old" && echo previous > "$site/public/old/x.html"
printf '<main>\n{{#page}}\n</main>\n' > "$site/layouts/page.html"
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" 2>"$TMPROOT/err"
check "a broken layout fails the build" test $? -eq 1
check "it is reported at its position" \
    grep -q "^layouts/page.html:2:" "$TMPROOT/err"
check "the previous output stays" test -f "$site/public/old/x.html"

# The bytes do not depend on -j: Markdown (autolinks, tables, strikethrough)
# in one thread, layouts on eight.
site=$(fresh_site "$BASIC")
for i in 1 2 3 4 5 6 7 8; do
    printf -- '---\ntitle: Load %s\n---\n| a | b |\n|---|---|\n| ~~x~~ | https://example.com/%s |\n\nSee www.example.org and https://example.net/%s.\n' \
        "$i" "$i" "$i" > "$site/content/load-$i.md"
done
"$OPSBOOK" -C "$site" build -q -j1 --as-of "$ASOF" --out "$TMPROOT/j1" 2>/dev/null
"$OPSBOOK" -C "$site" build -q -j8 --as-of "$ASOF" --out "$TMPROOT/j8" 2>/dev/null
check "-j1 and -j8 write the same bytes" diff -r "$TMPROOT/j1" "$TMPROOT/j8"
check "autolinks survive" grep -q '<a href="http://www.example.org">' \
    "$TMPROOT/j8/load-8.html"

# Drafts are left out: no page, no nav entry, not in search.
site=$(fresh_site "$BASIC")
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" 2>/dev/null
check "a draft has no page" test ! -e "$site/public/process/draft.html"
check "nor a nav entry" sh -c "! grep -rq 'draft.html' '$site/public'"
check "a page due for review is flagged" grep -q \
    '<strong>Needs review</strong>: due for review on Jun 30, 2026' \
    "$site/public/process/feedback-triage.html"
check "one not yet due is not" sh -c \
    "! grep -q 'Needs review' '$site/public/process/revision-trimestrielle.html'"
check "the review list has the one due" grep -q \
    'feedback-triage.html">Feedback triage</a> — due for review on Jun 30, 2026 · Product Ops' \
    "$site/public/review/index.html"

# Broken links are warnings, errors with --strict.
site=$(fresh_site "$BASIC")
"$OPSBOOK" -C "$site" build --as-of "$ASOF" 2>"$TMPROOT/err"
check "broken links warn" test $? -eq 0
check "with their position" grep -q \
    "^content/process/feedback-triage.md:37:28: warning: link to a missing page or file 'nope.md'$" \
    "$TMPROOT/err"
"$OPSBOOK" -C "$site" build -q --strict --as-of "$ASOF" 2>"$TMPROOT/err"
check "--strict fails on them" test $? -eq 1
check "as errors" grep -q \
    "feedback-triage.md:38:1: error: link to a missing anchor '#nowhere' in 'content/_index.md'" \
    "$TMPROOT/err"

# A page beyond the size cap is an error naming it.
site=$(fresh_site "$BASIC")
head -c 5000000 /dev/zero | tr '\0' 'a' > "$site/content/huge.md"
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" 2>"$TMPROOT/err"
check "a page over 4 MiB fails the build" test $? -eq 3 -o $? -eq 1
check "naming it" grep -q "content/huge.md" "$TMPROOT/err"

# page_timeout: cmark-gfm takes seconds on a table row of 60,000 cells; the
# watchdog stops the build at the limit, naming the page; OUT is untouched
# and no temporary folder is left.
site=$(fresh_site "$BASIC")
python3 -c "import sys; sys.stdout.write('|a|\n|-|\n|b|\n' + 'x|' * 60000)" \
    > "$site/content/slow.md"
printf 'site: {title: Slow}\nbuild: {page_timeout: 1s}\n' > "$site/opsbook.yaml"
mkdir -p "$site/public" && echo previous > "$site/public/keep.html"
start=$(date +%s)
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" 2>"$TMPROOT/err"
status=$?
took=$(( $(date +%s) - start ))
check "a slow page stops the build with status 1" test $status -eq 1
check "naming the page and the limit" grep -q \
    "^content/slow.md: error: took longer than page_timeout (1s) to render; the build stops$" \
    "$TMPROOT/err"
check "soon after the limit" test "$took" -le 5
check "OUT is untouched" test "$(ls "$site/public")" = keep.html
check "no temporary folder is left" \
    test "$(ls -A "$site" | grep -c '^\.')" -eq 0

# Search: the index ranks a title match first.
site=$(fresh_site "$BASIC")
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" 2>/dev/null
node "$TESTS/tools/search_check.js" "$site/public/search-index.js" triage \
    > "$TMPROOT/hits" 2>"$TMPROOT/err"
check "search finds the triage page first" \
    test "$(head -n 1 "$TMPROOT/hits")" = process/feedback-triage.html
node "$TESTS/tools/search_check.js" "$site/public/search-index.js" revis \
    > "$TMPROOT/hits" 2>"$TMPROOT/err"
check "by prefix, accents folded" \
    test "$(head -n 1 "$TMPROOT/hits")" = process/revision-trimestrielle.html

# An absolute base_url: pretty URLs (folder/slug/index.html, linked as
# folder/slug/) and sitemap.xml.
site=$(fresh_site "$BASIC")
printf 'site:\n  title: Pretty\n  base_url: https://handbook.example.com/ops/\n' \
    > "$site/opsbook.yaml"
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" 2>/dev/null
check "pages are folders" test -f "$site/public/process/feedback-triage/index.html"
check "linked as folders" grep -q 'href="../../process/feedback-triage/"' \
    "$site/public/process/revision-trimestrielle/index.html"
check "Markdown links too" grep -q 'href="process/feedback-triage/"' \
    "$site/public/index.html"
check "the sitemap lists them" grep -q \
    '<loc>https://handbook.example.com/ops/process/feedback-triage/</loc>' \
    "$site/public/sitemap.xml"
check "the home page as the site's root" grep -q \
    '<loc>https://handbook.example.com/ops/</loc>' "$site/public/sitemap.xml"
check "404.html links from the absolute root" grep -q \
    'href="https://handbook.example.com/ops/assets/opsbook.css"' \
    "$site/public/404.html"
site=$(fresh_site "$BASIC")
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" 2>/dev/null
check "no sitemap with relative links" test ! -e "$site/public/sitemap.xml"

# French: the theme's words and dates.
site=$(fresh_site "$BASIC")
printf 'site:\n  title: Manuel\n  language: fr\n' > "$site/opsbook.yaml"
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" 2>/dev/null
f=$site/public/process/feedback-triage.html
check "French: html lang" grep -q '<html lang="fr"' "$f"
check "French: on this page" grep -q 'Sur cette page' "$f"
check "French: search" grep -q 'placeholder="Rechercher (touche /)"' "$f"
check "French: review flag and date" grep -q \
    '<strong>À relire</strong>: à relire depuis le 30 juin 2026' "$f"
check "French: callout titles" grep -q 'callout-title">Astuce<' "$f"
check "French: data date" grep -q 'données au 20 nov. 2026' "$f"

# Front matter with every kind of line end, and a fence with trailing
# blanks: a lone CR (old Mac files) once made the YAML start past the
# fence (found by tests/fuzz/fuzz_front.c).
site=$(fresh_site "$BASIC")
printf -- '---\rtitle: Old Mac\rweight: 1\r---\rBody one.\r' \
    > "$site/content/process/cr.md"
printf -- '---\r\ntitle: Windows\r\n---\r\nBody two.\r\n' \
    > "$site/content/process/crlf.md"
printf -- '---  \ntitle: Blanks\n---\t\nBody three.\n' \
    > "$site/content/process/blanks.md"
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" 2>"$TMPROOT/err"
check "line ends: the build succeeds" test $? -eq 0
check "lone CR: the title" grep -q '<title>Old Mac' "$site/public/process/cr.html"
check "lone CR: the body" grep -q 'Body one.' "$site/public/process/cr.html"
check "CRLF: the title" grep -q '<title>Windows' "$site/public/process/crlf.html"
check "blanks after the fences: the title" \
    grep -q '<title>Blanks' "$site/public/process/blanks.html"
check "line ends: nothing to warn about" test ! -s "$TMPROOT/err"
report
