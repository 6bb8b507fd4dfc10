# incremental.sh: a build into an existing OUT renders only what changed,
# and its output and diagnostics are those of a clean build, byte for byte.
# A clean build goes to another OUT (so another cache) from the same site.
# SPDX-License-Identifier: MIT
CASE=incremental
BASIC=$TESTS/golden/basic/site

site=$(fresh_site "$BASIC")
out=$site/public
clean=$TMPROOT/incremental-clean
inc() { # an incremental build: its -v lines in $TMPROOT/inc.v, the rest in inc.err
    "$OPSBOOK" -C "$site" build -v --as-of "${1:-$ASOF}" 2>"$TMPROOT/inc.all"
    grep '^opsbook: ' "$TMPROOT/inc.all" >"$TMPROOT/inc.v"
    grep -v '^opsbook: ' "$TMPROOT/inc.all" >"$TMPROOT/inc.err"
}
fresh() { # a clean build of the same inputs
    rm -rf "$clean" "$(dirname "$clean")/.incremental-clean.opsbook-cache"
    "$OPSBOOK" -C "$site" build --as-of "${1:-$ASOF}" --out "$clean" \
        2>"$TMPROOT/clean.err"
}
written() { sed -n 's/^opsbook: pages *\([0-9]*\) written.*/\1/p' "$TMPROOT/inc.v"; }
same_as_clean() { # $1: what changed
    fresh "${2:-$ASOF}"
    check "$1: OUT equals a clean build" diff -r "$clean" "$out"
    check "$1: the same warnings as a clean build" \
        diff "$TMPROOT/clean.err" "$TMPROOT/inc.err"
}
printf '\n## Contacts\n\nAsk in #product-ops.\n' >>"$site/content/_index.md"
printf '\nSee the [contacts](../../_index.md#contacts).\n' \
    >>"$site/content/guides/onboarding/first-week.md"
n_pages=$(cd "$site/content" && find . -name '*.md' ! -name draft.md | wc -l)

inc
check "the first build writes every page" test "$(written)" -ge "$n_pages"
same_as_clean "first build"
check "the cache sits beside OUT" test -f "$site/.public.opsbook-cache/site"

# The search index has a cache file of its own, which a build that
# changed no page's words keeps as it is: not even written over.
search_id() { stat -c '%i %Y %y' "$site/.public.opsbook-cache/search"; }
search_before=$(search_id)
sleep 0.05
inc
check "nothing changed: no page written" test "$(written)" = 0
same_as_clean "nothing changed"
check "nothing changed: the search index's cache file untouched" \
    test "$(search_id)" = "$search_before"

# One page's body: that page alone.
echo "One more line about intake." >>"$site/content/process/feedback-triage.md"
inc
check "an edited body: one page written" test "$(written)" = 1
check "an edited body shows" grep -q "One more line about intake" \
    "$out/process/feedback-triage.html"
same_as_clean "an edited body"

# What a rebuild keeps is most often the last build's cache a few bytes
# away: kept as deltas beside its files (cache.h), which the next build
# applies. A damaged delta is no delta: the build reads the file alone,
# an older cache, and is still right.
cache=$site/.public.opsbook-cache
memo_ino=$(stat -c %i "$cache/pages")
echo "Another line about intake." >>"$site/content/process/feedback-triage.md"
inc
check "an edited body: the memo kept as a delta" test -s "$cache/pages.delta"
check "an edited body: the memo itself not written again" \
    test "$(stat -c %i "$cache/pages")" = "$memo_ino"
same_as_clean "a cache kept as deltas"
inc
check "deltas applied: no page written" test "$(written)" = 0
check "deltas applied: no file written" test "$(sed -n \
    's/^opsbook: files .* \([0-9]*\) written$/\1/p' "$TMPROOT/inc.v")" = 0
printf 'x' | dd of="$cache/pages.delta" bs=1 seek=90 conv=notrunc 2>/dev/null
printf 'x' | dd of="$cache/site.delta" bs=1 seek=90 conv=notrunc 2>/dev/null
echo "Yet another line about intake." \
    >>"$site/content/process/feedback-triage.md"
inc
check "damaged deltas: the edited page written" test "$(written)" -ge 1
same_as_clean "damaged deltas"

# A file saved again unchanged (new mtime, same bytes): nothing.
touch "$site/content/guides/onboarding/first-week.md"
inc
check "a touched file: no page written" test "$(written)" = 0
same_as_clean "a touched file"

# A page whose search entry stays (a link leads elsewhere, a word it has
# comes once more): it is written again, the search index is left as the
# last build saved it, and the script written from it is kept, not
# written. A page's entry is known once an incremental build rendered it.
files_written() {
    sed -n 's/^opsbook: files .* \([0-9]*\) written$/\1/p' "$TMPROOT/inc.v"
}
echo "Ask your onboarding buddy." \
    >>"$site/content/guides/onboarding/first-week.md"
inc
check "a new word: the search index written" \
    grep -qx "opsbook: search   index written" "$TMPROOT/inc.v"
same_as_clean "a new word"
sed -i 's|(../../_index.md#contacts)|(../../_index.md)|; s|Ask your onboarding buddy.|Ask your onboarding buddy, your buddy.|' \
    "$site/content/guides/onboarding/first-week.md"
inc
check "a link changed: one page written" test "$(written)" = 1
check "a link changed: one file written" test "$(files_written)" = 1
check "a link changed: the search index as it was" \
    grep -qx "opsbook: search   index unchanged" "$TMPROOT/inc.v"
same_as_clean "a link changed"
# and the words of a page changed: the script is written again
echo "Pairing with a mentor helps." \
    >>"$site/content/guides/onboarding/first-week.md"
inc
check "words changed: the search script written too" \
    test "$(files_written)" = 2
check "words changed: the search index written" \
    grep -qx "opsbook: search   index written" "$TMPROOT/inc.v"
check "words changed: the new words are in the script" \
    grep -q "mentor" "$out/search-index.js"
same_as_clean "words changed"
sed -i 's|(../../_index.md)|(../../_index.md#contacts)|; /onboarding buddy/d; /with a mentor/d' \
    "$site/content/guides/onboarding/first-week.md"
inc
same_as_clean "both undone"

# The anchor another page links to goes: the unchanged page that links to
# it is not rendered, yet its warning comes as from a clean build.
sed -i 's/^## Contacts/## People/' "$site/content/_index.md"
inc
check "a renamed heading: one page written" test "$(written)" = 1
check "the unchanged page linking to it warns" \
    grep -q "first-week.md:.*missing anchor '#contacts'" "$TMPROOT/inc.err"
same_as_clean "a heading another page links to"

# A title (front matter): navigation changes on every page.
sed -i '0,/^title: .*/s//title: "Triage, renamed"/' \
    "$site/content/process/feedback-triage.md"
inc
check "a new title: every page written" test "$(written)" -ge "$n_pages"
same_as_clean "a new title"

# The configuration, a layout of the site's own, as_of: every page.
sed -i 's/^  title: Test Handbook/  title: Renamed Handbook/' "$site/opsbook.yaml"
inc
check "a config change: every page written" test "$(written)" -ge "$n_pages"
same_as_clean "a config change"
mkdir -p "$site/layouts"
cat >"$site/layouts/redirect.html" <<'HTML'
<!doctype html><meta http-equiv="refresh" content="0; url={{target}}"><p>Moved: {{target}}</p>
HTML
inc
same_as_clean "a new layout"
inc 2026-11-25
check "another as_of: every page written" test "$(written)" -ge "$n_pages"
same_as_clean "another as_of" 2026-11-25

# A page deleted, a page added: no stale file, the new one there.
rm "$site/content/guides/onboarding/first-week.md"
printf -- '---\ntitle: Fresh\n---\n# Fresh\n\nNew [triage](../process/feedback-triage.md).\n' \
    >"$site/content/guides/fresh.md"
inc
check "a deleted page's file is gone" test ! -e "$out/guides/onboarding/first-week.html"
check "an added page is there" test -f "$out/guides/fresh.html"
same_as_clean "a deleted and an added page"

# A broken cache is no cache: the build does everything, rightly.
inc
for f in site pages; do
    head -c 100 "$site/.public.opsbook-cache/$f" >"$TMPROOT/cut" &&
        cp "$TMPROOT/cut" "$site/.public.opsbook-cache/$f"
done
inc
check "a cut cache: every page written" test "$(written)" -ge "$n_pages"
same_as_clean "a cut cache"
printf 'opsbook-cache site 1 0.0.0 deadbeef\n' >"$site/.public.opsbook-cache/site"
inc
same_as_clean "another version's cache"

# A failed build keeps OUT and the cache as they were: the next good
# build still reuses.
inc
before=$(tree_sum "$out")
printf -- '---\ntitle: [broken\n---\n' >"$site/content/process/broken.md"
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" 2>/dev/null
check "a broken page fails the build" test $? -eq 1
check "a failed build leaves OUT as it was" test "$before" = "$(tree_sum "$out")"
rm "$site/content/process/broken.md"
inc
check "after a failed build, nothing to write" test "$(written)" = 0
same_as_clean "after a failed build"

# Pages are rendered in batches whose slots later batches take over
# (site.c): a reused page must leave its slot empty for the next. A site
# of 300 pages, built; then the 260th (in URL order) changes while the
# pages before it that share its slot do not: it must be written. So must
# the first, the last, and both at once.
many=$TMPROOT/incremental-many
rm -rf "$many" "$TMPROOT/.incremental-many.opsbook-cache"
mkdir -p "$many/content/notes"
printf 'site: {title: Many}\n' >"$many/opsbook.yaml"
for i in $(seq 100 399); do
    printf -- '---\ntitle: Note %s\n---\nText of note %s.\n' "$i" "$i" \
        >"$many/content/notes/n$i.md"
done
"$OPSBOOK" -C "$many" build -q -j2 --as-of "$ASOF"
many_edit() { # $1: what; the rest: the notes to edit, then build and check
    local what=$1 n
    shift
    for n in "$@"; do
        printf '\nEdited (%s) after the first build.\n' "$what" \
            >>"$many/content/notes/n$n.md"
    done
    "$OPSBOOK" -C "$many" build -v -j2 --as-of "$ASOF" 2>"$TMPROOT/many.v"
    check "300 pages, $what: $# written" \
        grep -q "pages *$# written," "$TMPROOT/many.v"
    for n in "$@"; do
        check "300 pages, $what: n$n is written" \
            grep -q "Edited ($what)" "$many/public/notes/n$n.html"
    done
    rm -rf "$clean"
    "$OPSBOOK" -C "$many" build -q --as-of "$ASOF" --out "$clean"
    check "300 pages, $what: OUT equals a clean build" \
        diff -r "$clean" "$many/public"
}
many_edit "one in the batch" 359
many_edit "the first" 100
many_edit "the last" 399
many_edit "both ends" 101 398
many_edit "none"

# check and kpi never read or write the cache.
rm -rf "$site/.public.opsbook-cache"
"$OPSBOOK" -C "$site" check -q --as-of "$ASOF" 2>/dev/null
check "check keeps no cache" test ! -e "$site/.public.opsbook-cache"
report
