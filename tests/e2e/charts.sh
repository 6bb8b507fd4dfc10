# charts.sh: every KPI's chart in a build: a light and a dark SVG, well
# formed, with alt text (tests/tools/svg_check.py); drawn by a second SVG
# reader (rsvg-convert) at the right size; byte-identical across builds
# and -j; the site's language in labels and alt text.
# SPDX-License-Identifier: MIT
CASE=charts
SITE=$TESTS/sites/kpi

site=$(fresh_site "$SITE")
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" -j1 2>"$TMPROOT/err"
check "the fixture builds" test $? -eq 0
kpis=$site/public/kpis
ids=$(cd "$kpis" && ls ./*.csv | sed 's|^\./||; s|\.csv$||')
missing=0
for id in $ids; do
    [ -s "$kpis/$id.svg" ] && [ -s "$kpis/$id.dark.svg" ] || missing=$((missing + 1))
done
check "every KPI has a light and a dark chart" test "$missing" -eq 0
# shellcheck disable=SC2086
check "the charts are well-formed SVG with alt text" \
    python3 "$TESTS/tools/svg_check.py" "$kpis" $ids

# Another renderer reads them: librsvg draws each at 720x320.
bad=0
for id in $ids; do
    for f in "$id.svg" "$id.dark.svg"; do
        if ! rsvg-convert "$kpis/$f" -o "$TMPROOT/chart.png" 2>/dev/null ||
            [ "$(python3 -c 'import struct,sys
d=open(sys.argv[1],"rb").read(24)
print("%dx%d" % struct.unpack(">II", d[16:24]) if d[:8]==b"\x89PNG\r\n\x1a\n" else "")' \
                "$TMPROOT/chart.png")" != 720x320 ]; then
            bad=$((bad + 1))
            echo "  rsvg-convert could not draw $f"
        fi
    done
done
check "rsvg-convert draws every chart at 720x320" test "$bad" -eq 0

# What the charts say: a `by` count is stacked, with its groups named; the
# period in progress is told apart; a KPI without data says so.
grep -o '<title>[^<]*' "$kpis/plan_rows.svg" >"$TMPROOT/alt"
check "a by KPI's alt text names its groups" \
    grep -q 'Rows by plan, Sep 2026 to Oct 2026: pro 0 to 2, free 1 to 1, ' \
    "$TMPROOT/alt"
check "the period in progress is told apart" \
    grep -q '; Nov 2026 in progress; marked: Login outage (Nov 2026)\.$' \
    "$TMPROOT/alt"
check "a KPI without data says so" \
    grep -q '<title>Division by zero: no data\.' "$kpis/nothing.svg"
check "a target is drawn as a dashed line" \
    grep -q 'stroke-dasharray:6,4' "$kpis/m_users.svg"

# Annotations (data/annotations.yaml): a marker, a dotted rule each, on the
# charts they belong to, and told in the alt text.
check "annotations are told in the alt text" \
    grep -q '; marked: Release 5 (Oct 2026), Login outage (Nov 2026)\.' \
    "$kpis/m_rows.svg"
check "two markers on the chart they name" \
    test "$(grep -c 'stroke-dasharray:2,3' "$kpis/m_rows.svg")" -eq 2
check "a note for one KPI stays off the others" \
    grep -q '; marked: Login outage (2026-W45)\.' "$kpis/avg_dur.svg"

# Reproducible: another build, with more threads, gives the same bytes.
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" -j4 --out "$TMPROOT/again" \
    2>"$TMPROOT/err"
diffs=0
for f in "$kpis"/*.svg; do
    cmp -s "$f" "$TMPROOT/again/kpis/$(basename "$f")" || diffs=$((diffs + 1))
done
check "charts are byte-identical across builds and -j" test "$diffs" -eq 0

# French: month names and number format in labels and alt text.
fr=$(fresh_site "$TESTS/sites/kpi-edges-fiscal")
"$OPSBOOK" -C "$fr" build -q --as-of "$ASOF" 2>"$TMPROOT/err"
check "a French site builds" test $? -eq 0
check "French alt text" \
    grep -q '<title>Montant par mois, [a-zé.]* 20[0-9][0-9] à ' \
    "$fr/public/kpis/fy_month.svg"
report
