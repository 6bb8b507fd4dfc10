# dashboards.sh: embeds, KPI and OKR pages beyond the golden case:
# `opsbook check` finds what a build finds; the bytes do not depend on -j;
# pretty URLs; a page of one's own at kpis/ keeps its text; French.
# The numbers on the pages are compared with `kpi --json` and
# `okrs --json` in tests/tools/dash_numbers.py.
# SPDX-License-Identifier: MIT
CASE=dashboards
DASH=$TESTS/golden/dashboards/site

# check: the same problems as build, and nothing written.
bad=$(fresh_site "$TESTS/errors/embed-errors/site")
"$OPSBOOK" -C "$bad" check --as-of "$ASOF" 2>"$TMPROOT/check.err"
check "check fails on bad embeds" test $? -eq 1
check "check says what build says" \
    diff -u "$TESTS/errors/embed-errors/expected.stderr" "$TMPROOT/check.err"
check "check writes nothing" test ! -e "$bad/public"

# -j1 and -j8 give the same bytes, charts and pages included.
site=$(fresh_site "$DASH")
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" -j1 --out "$site/one" 2>/dev/null
check "the fixture builds with -j1" test $? -eq 0
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" -j8 --out "$site/eight" 2>/dev/null
check "the fixture builds with -j8" test $? -eq 0
check "-j1 and -j8 give the same bytes" diff -r "$site/one" "$site/eight"

# The numbers shown equal the JSON commands'.
"$OPSBOOK" -C "$site" kpi --json --as-of "$ASOF" >"$TMPROOT/kpi.json" 2>/dev/null
"$OPSBOOK" -C "$site" okrs --json --as-of "$ASOF" >"$TMPROOT/okrs.json" 2>/dev/null
python3 "$TESTS/tools/dash_numbers.py" "$site/one" "$TMPROOT/kpi.json" \
    "$TMPROOT/okrs.json" >"$TMPROOT/numbers.out" 2>&1
while IFS= read -r line; do
    case $line in
        "ok "*) pass "numbers: ${line#ok }" ;;
        *) fail "numbers: $line" ;;
    esac
done <"$TMPROOT/numbers.out"

# Chart options (issue 8): process/feedback.md draws feedback stacked (the
# default), as lines and stacked over three months, tickets without its
# target and one group without its target; the KPI pages draw the targets.
python3 - "$site/one" >"$TMPROOT/options.out" <<'PY'
import re, sys
out = sys.argv[1]
def figures(page):
    html = open(f"{out}/{page}").read()
    return re.findall(r'<img src="[./]*(kpis/[^"]+)\.svg" alt="([^"]*)"', html)
def svg(name):
    return open(f"{out}/{name}.svg", "rb").read()
page = figures("process/feedback.html")
srcs = [s for s, _ in page]
alts = dict(page)
def say(ok, what):
    print(("ok " if ok else "FAIL ") + what)
say(len(page) == 6 and len(set(srcs)) == 6, "six charts, six files: %s" % srcs)
stacked, bug_bars, lines, three, tickets, ux = srcs
say(svg(lines) != svg(stacked), "type: line draws other than the default stacked bars")
say(three != stacked and svg(three) != svg(stacked), "type: stacked with periods: 3")
say(alts[three].startswith("Feedback items, Sep 2026 to Oct 2026:"), "three months: " + alts[three])
say(" against a target of " not in alts[tickets], "target: false: no target in " + alts[tickets])
say(" against a target of " not in alts[ux], "target: false on a group: " + alts[ux])
say(alts[ux].startswith("Feedback items, ux, "), "a group's chart names it: " + alts[ux])
say(" against a target of 20" in alts[bug_bars], "a group's target is drawn: " + alts[bug_bars])
own = dict(figures("kpis/tickets/index.html"))
say(any(" against a target of " in a for a in own.values()), "tickets' own page draws its target")
own = figures("kpis/feedback/index.html")
say([a.split(",")[1].strip() for _, a in own[1:]] == ["bug", "ux"] and
    all(" against a target of " in a for _, a in own[1:]),
    "feedback's page draws bug and ux against their targets")
say(" against a target of " not in own[0][1], "not over its stacked groups")
PY
while IFS= read -r line; do
    case $line in
        "ok "*) pass "options: ${line#ok }" ;;
        *) fail "options: $line" ;;
    esac
done <"$TMPROOT/options.out"

# Pretty URLs: links to the made pages end at their folder.
pretty=$(fresh_site "$DASH")
sed -i 's|^  timezone: UTC|  timezone: UTC\n  base_url: https://handbook.example.com/product/|' \
    "$pretty/opsbook.yaml"
"$OPSBOOK" -C "$pretty" build -q --as-of "$ASOF" 2>/dev/null
check "pretty URLs: builds" test $? -eq 0
check "pretty URLs: the nav links kpis/ as a folder" \
    grep -q 'href="kpis/"' "$pretty/public/index.html"
check "pretty URLs: a card links its KPI's folder" \
    grep -q 'href="kpis/wau/"' "$pretty/public/index.html"
check "pretty URLs: no index.html links to made pages" \
    sh -c "! grep -q 'kpis/wau/index.html' '$pretty/public/index.html'"
check "pretty URLs: the sitemap lists a KPI page" \
    grep -q '<loc>https://handbook.example.com/product/kpis/wau/</loc>' \
    "$pretty/public/sitemap.xml"

# A page of one's own at content/kpis/_index.md comes first on kpis/.
own=$(fresh_site "$DASH")
mkdir -p "$own/content/kpis"
printf -- '---\ntitle: Our numbers\n---\nRead these every Monday.\n' \
    >"$own/content/kpis/_index.md"
"$OPSBOOK" -C "$own" build -q --as-of "$ASOF" 2>/dev/null
check "own kpis page: builds" test $? -eq 0
check "own kpis page: its title" \
    grep -q '<h1>Our numbers</h1>' "$own/public/kpis/index.html"
python3 - "$own/public/kpis/index.html" >"$TMPROOT/own.out" <<'PY'
import sys
page = open(sys.argv[1]).read()
intro = page.find("Read these every Monday.")
card = page.find('<article class="kpi-card"')
print("ok" if 0 <= intro < card else "intro at %d, first card at %d" % (intro, card))
PY
check "own kpis page: its text before the cards" grep -qx ok "$TMPROOT/own.out"
check "own kpis page: the nav calls it by its title" \
    grep -q '>Our numbers</a>' "$own/public/index.html"

# reports/ lists exactly the workbooks the build keeps: two builds on
# two days, the second carrying the first's dated copy over.
rep=$(fresh_site "$TESTS/sites/xlsx")
"$OPSBOOK" -C "$rep" build -q --as-of 2026-11-19 2>/dev/null
"$OPSBOOK" -C "$rep" build -q --as-of "$ASOF" 2>/dev/null
check "reports: two builds" test $? -eq 0
python3 - "$rep/public/reports" >"$TMPROOT/reports.out" <<'PY2'
import os, re, sys
folder = sys.argv[1]
page = open(os.path.join(folder, "index.html")).read()
linked = sorted(set(re.findall(r'href="([^"/]+\.xlsx)"', page)))
there = sorted(f for f in os.listdir(folder) if f.endswith(".xlsx"))
dated = [f for f in there if re.search(r"-2026-11-1[89]|-2026-11-20", f)]
print("ok" if linked == there and len(dated) == 4 else
      "page links %s, folder has %s" % (linked, there))
PY2
check "reports: the page links every workbook in the folder, and no other" \
    grep -qx ok "$TMPROOT/reports.out"
grep -v '^ok$' "$TMPROOT/reports.out"
check "reports: the earlier copy is marked as carried over" \
    grep -q '2026-11-19.xlsx" download><time datetime="2026-11-19">Nov 19, 2026</time></a> <span class="report-carried">' \
    "$rep/public/reports/index.html"
check "reports: in the nav" grep -q 'href="reports/index.html">Reports</a>' \
    "$rep/public/index.html"

# French: the pages' words and the numbers' formats.
fr=$(fresh_site "$DASH")
sed -i 's|^  timezone: UTC|  timezone: UTC\n  language: fr|' "$fr/opsbook.yaml"
"$OPSBOOK" -C "$fr" build -q --as-of "$ASOF" 2>/dev/null
check "French: builds" test $? -eq 0
check "French: the KPI list's title" \
    grep -q '<h1>Indicateurs</h1>' "$fr/public/kpis/index.html"
check "French: a percent with a no-break space" \
    grep -q "<span class=\"kpi-value\">30,5$(printf '\302\240')%</span>" \
    "$fr/public/kpis/index.html"
check "French: a decimal comma" \
    grep -q '<span class="kpi-value">1,9</span>' "$fr/public/kpis/index.html"
check "French: status words" \
    grep -q 'data-status="green">Objectif atteint<' "$fr/public/kpis/index.html"
check "French: the OKR list's title" \
    grep -q '<h1>OKR</h1>' "$fr/public/okrs/index.html"

report
