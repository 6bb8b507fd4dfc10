# xlsx.sh: the Excel reports (SPEC "The output", OUT/reports/ID.xlsx): read
# back with openpyxl and LibreOffice against `opsbook kpi --json` and
# `opsbook okrs --json`; hostile text stays text; byte-identical rebuilds;
# dated copies carried over and pruned; an I/O failure leaves OUT as it was.
# Needs /usr/bin/python3 with python3-openpyxl, LibreOffice (Debian's
# libreoffice-calc-nogui) and poppler-utils: tools/test-deps.sh.
# SPDX-License-Identifier: MIT
CASE=xlsx
SITE=$TESTS/sites/xlsx
PY=/usr/bin/python3
CHECK=$TESTS/tools/xlsx_check.py

# pycheck NAME ARGS...: runs xlsx_check.py, showing why when it fails.
pycheck() {
    name=$1
    shift
    if $PY "$CHECK" "$@" > "$TMPROOT/pycheck.out" 2>&1; then
        pass "$name"
    else
        fail "$name"
        sed 's/^/  /' "$TMPROOT/pycheck.out"
    fi
}

site=$(fresh_site "$SITE")
out=$TMPROOT/xlsx-out
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" --out "$out" 2>"$TMPROOT/err"
check "the fixture builds" test $? -eq 0
check "one workbook per report" \
    test -f "$out/reports/leadership.xlsx" -a -f "$out/reports/ops.xlsx"
check "a dated copy of each" \
    cmp "$out/reports/leadership.xlsx" "$out/reports/leadership-$ASOF.xlsx"
check "libxlsxwriter said nothing" test ! -s "$TMPROOT/err"
"$OPSBOOK" -C "$site" kpi --json --as-of "$ASOF" > "$TMPROOT/kpi.json"
"$OPSBOOK" -C "$site" okrs --json --as-of "$ASOF" > "$TMPROOT/okrs.json"

if ! $PY -c 'import openpyxl' 2>/dev/null; then
    fail "python3-openpyxl is missing (tools/test-deps.sh installs it)"
fi
pycheck "leadership: sheets, values, formats, OKRs, charts, sparklines, pages" \
    leadership "$out/reports/leadership.xlsx" "$TMPROOT/kpi.json" \
    "$TMPROOT/okrs.json" "$out" "$site"
pycheck "ops: hostile text stays text, typed cells, two quarters" \
    ops "$out/reports/ops.xlsx" "$TMPROOT/kpi.json" "$TMPROOT/okrs.json" \
    "$out" "$site"

# ---- a stale source ----------------------------------------------------------
# The Sources sheet says how old a source past its stale_after is (events,
# a day old, stays fresh).
ssite=$(fresh_site "$SITE")
sed -i 's|^  deals: {path: data/deals.csv, time: closed}|  deals: {path: data/deals.csv, time: closed, stale_after: 7d}|' \
    "$ssite/opsbook.yaml"
"$OPSBOOK" -C "$ssite" build -q --as-of "$ASOF" --out "$TMPROOT/xlsx-stale" \
    2>"$TMPROOT/err"
check "a build with a stale source" test $? -eq 0
pycheck "Sources: freshness of a stale and a fresh source" \
    stale "$TMPROOT/xlsx-stale/reports/leadership.xlsx" "$ssite"

# ---- reproducible ----------------------------------------------------------
# Another second, another thread count, the same bytes: created is as_of's,
# and the zip entries are dated 1980-01-01, never the clock.
sleep 1
"$OPSBOOK" -C "$site" build -q -j1 --as-of "$ASOF" --out "$TMPROOT/xlsx-j1"
"$OPSBOOK" -C "$site" build -q -j8 --as-of "$ASOF" --out "$TMPROOT/xlsx-j8"
# Pieces of 64 bytes: every table file is "large", and a table sheet's
# rows are read on a second thread while the workbook is written.
OPSBOOK_PIECE_BYTES=64 "$OPSBOOK" -C "$site" build -q -j2 --as-of "$ASOF" \
    --out "$TMPROOT/xlsx-piped"
for r in leadership ops; do
    check "$r.xlsx: the same bytes a second later (-j1)" \
        cmp "$out/reports/$r.xlsx" "$TMPROOT/xlsx-j1/reports/$r.xlsx"
    check "$r.xlsx: the same bytes with -j8" \
        cmp "$out/reports/$r.xlsx" "$TMPROOT/xlsx-j8/reports/$r.xlsx"
    check "$r.xlsx: the same bytes with its tables read on a second thread" \
        cmp "$out/reports/$r.xlsx" "$TMPROOT/xlsx-piped/reports/$r.xlsx"
done

# Every part is deflated at level 2, not libxlsxwriter's 6 (src/xlsx_lib.c):
# minizip marks level 2 in the general purpose flag's bits 1-2 as 10, and
# the default as 00. Without opsbook's export the call never reaches it.
check "every part deflated at level 2" $PY - "$out/reports/leadership.xlsx" <<'PY'
import sys, zipfile
parts = zipfile.ZipFile(sys.argv[1]).infolist()
assert len(parts) > 10, len(parts)
bad = [(p.filename, p.compress_type, p.flag_bits & 6) for p in parts
       if p.compress_type != zipfile.ZIP_DEFLATED or p.flag_bits & 6 != 4]
assert not bad, bad
PY

# libxlsxwriter's temporary files go in the new tree, never in /tmp. (Its
# files are opened by absolute path; opsbook's own, relative to the tree.)
if command -v strace >/dev/null 2>&1; then
    # (LeakSanitizer cannot run under ptrace: off for this one build)
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
        strace -f -e trace=openat -o "$TMPROOT/strace" \
        "$OPSBOOK" -C "$site" build -q --as-of "$ASOF" --out "$TMPROOT/xlsx-st"
    grep 'O_EXCL' "$TMPROOT/strace" | grep -o '"/[^"]*"' > "$TMPROOT/tmpfiles"
    check "temporary files were made" test -s "$TMPROOT/tmpfiles"
    check "all of them inside the new tree's reports folder" \
        sh -c "! grep -v '/\.xlsx-st\.tmp-[^/]*/reports/' '$TMPROOT/tmpfiles'"
else
    echo "skip xlsx: no strace, temporary files not checked"
fi

# ---- LibreOffice -------------------------------------------------------------
# It opens both workbooks, prints them (PDF) and exports every sheet as CSV;
# page 1 rendered as a PNG is left in TMPROOT for a person to look at.
lo_dir=$TMPROOT/lo
lo() {
    HOME=$lo_dir timeout 120 soffice --headless --norestore \
        "-env:UserInstallation=file://$lo_dir/profile" "$@" \
        > "$TMPROOT/lo.out" 2>&1
}
if command -v soffice >/dev/null 2>&1; then
    mkdir -p "$lo_dir"
    lo --convert-to pdf --outdir "$lo_dir" "$out/reports/leadership.xlsx" \
        "$out/reports/ops.xlsx"
    check "LibreOffice converts both reports to PDF" \
        test -s "$lo_dir/leadership.pdf" -a -s "$lo_dir/ops.pdf"
    check "the PDF has the report's pages" \
        sh -c "pdfinfo '$lo_dir/leadership.pdf' | grep -qE '^Pages: +[1-9]'"
    pdftoppm -r 80 -png -f 1 -l 1 "$lo_dir/leadership.pdf" "$lo_dir/page"
    check "page 1 renders" sh -c "ls '$lo_dir'/page*.png >/dev/null"
    mkdir -p "$lo_dir/csv"
    lo --convert-to \
        'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
        --outdir "$lo_dir/csv" "$out/reports/ops.xlsx"
    pycheck "LibreOffice reads every payload as text" csv "$lo_dir/csv"
else
    fail "LibreOffice is missing (tools/test-deps.sh installs it)"
fi

# ---- dated copies --------------------------------------------------------------
# keep_reports: 3 in the fixture. Four nightly builds into one OUT keep the
# last three copies, carried over byte for byte.
dsite=$(fresh_site "$SITE")
dout=$dsite/public
for day in 2026-11-17 2026-11-18 2026-11-19 2026-11-20; do
    "$OPSBOOK" -C "$dsite" build -q --as-of "$day"
    cp "$dout/reports/ops-$day.xlsx" "$TMPROOT/ops-$day.xlsx"
done
ls "$dout/reports" | grep '^ops-' > "$TMPROOT/dated"
check "the last keep_reports (3) copies are kept" \
    sh -c "printf 'ops-2026-11-18.xlsx\nops-2026-11-19.xlsx\nops-2026-11-20.xlsx\n' | cmp -s - '$TMPROOT/dated'"
check "carried copies are the older builds' bytes" \
    cmp "$dout/reports/ops-2026-11-18.xlsx" "$TMPROOT/ops-2026-11-18.xlsx"
check "the undated report is today's" \
    cmp "$dout/reports/ops.xlsx" "$TMPROOT/ops-2026-11-20.xlsx"
# Only regular files named ID-YYYY-MM-DD.xlsx are carried: not a symlink,
# not a bad date, not another report's or another name's.
ln -s /etc/hostname "$dout/reports/ops-2026-12-01.xlsx"
echo junk > "$dout/reports/ops-2026-13-01.xlsx"
echo junk > "$dout/reports/ops-2026-11-30.xlsx.bak"
echo junk > "$dout/reports/opsx-2026-11-30.xlsx"
"$OPSBOOK" -C "$dsite" build -q --as-of 2026-11-21
ls "$dout/reports" | grep '^ops' > "$TMPROOT/dated"
check "junk beside the copies is not carried" \
    sh -c "printf 'ops-2026-11-19.xlsx\nops-2026-11-20.xlsx\nops-2026-11-21.xlsx\nops.xlsx\n' | cmp -s - '$TMPROOT/dated'"
# Rebuilding an older day keeps the newer copies.
"$OPSBOOK" -C "$dsite" build -q --as-of 2026-11-19
ls "$dout/reports" | grep '^ops-' > "$TMPROOT/dated"
check "an older as-of keeps the newer copies" \
    sh -c "printf 'ops-2026-11-19.xlsx\nops-2026-11-20.xlsx\nops-2026-11-21.xlsx\n' | cmp -s - '$TMPROOT/dated'"
check "and its own copy is that day's report again" \
    cmp "$dout/reports/ops-2026-11-19.xlsx" "$TMPROOT/ops-2026-11-19.xlsx"
sed 's/keep_reports: 3/keep_reports: 0/' "$dsite/opsbook.yaml" > "$TMPROOT/y" &&
    cp "$TMPROOT/y" "$dsite/opsbook.yaml"
"$OPSBOOK" -C "$dsite" build -q --as-of 2026-11-20
check "keep_reports: 0 keeps no dated copy" \
    sh -c "! ls '$dout/reports' | grep -q -- '-2026-'"

# ---- French ----------------------------------------------------------------
fsite=$(fresh_site "$SITE")
sed 's/^  timezone: UTC/  timezone: UTC\n  language: fr/' "$SITE/opsbook.yaml" \
    > "$fsite/opsbook.yaml"
"$OPSBOOK" -C "$fsite" build -q --as-of "$ASOF" --out "$TMPROOT/xlsx-fr"
check "a French site builds" test $? -eq 0
check "its report speaks French" $PY - "$TMPROOT/xlsx-fr/reports/leadership.xlsx" <<'PY'
import sys, warnings
warnings.simplefilter("ignore")
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames[:2] == ["Synthèse", "OKR"], wb.sheetnames
ws = wb["Synthèse"]
assert [c.value for c in ws[4]][:4] == ["Indicateur", "Groupe", "Période", "Valeur"]
assert "Au 20 nov. 2026" in ws["A2"].value, ws["A2"].value
words = {ws.cell(r, 9).value for r in range(5, ws.max_row + 1)}
assert {"vert", "orange", "rouge"} <= words, words
fmts = {ws.cell(r, 4).number_format for r in range(5, ws.max_row + 1)}
assert '#,##0.00"\u00a0€"' in fmts, fmts
PY

# ---- a large table ------------------------------------------------------------
# The bench's shape (date, strings, numbers): every row typed, and memory
# flat in rows (constant-memory mode): 200k rows cost what 20k do.
bsite=$TMPROOT/xlsx-bench
mkdir -p "$bsite/data" "$bsite/content"
printf -- '---\ntitle: T\n---\nT\n' > "$bsite/content/index.md"
cat > "$bsite/opsbook.yaml" <<'YAML'
site: {title: Bench report}
sources:
  table: {path: data/table.csv, time: date}
kpis:
  - {id: events, title: Events, source: table, measure: sum(events), grain: month}
reports:
  - {id: report, title: Data report, kpis: all, tables: [table]}
YAML
rss_of() {
    $PY - "$bsite/data/table.csv" "$1" <<'PY'
import datetime as dt, sys
d0 = dt.date(2026, 1, 1)
with open(sys.argv[1], "w") as f:
    f.write("date,user_id,feature,plan,country,events,duration_s,revenue,nps,note\n")
    for r in range(1, int(sys.argv[2]) + 1):
        f.write(f"{d0 + dt.timedelta(days=r % 320)},u{r * 7919 % 10000000:07d},f{r % 8},"
                f"p{r % 3},c{r % 15},{r % 97},{r * 37 % 6000 / 10},{r * 131 % 100000 / 100},"
                f"{r % 11},row {r} of the export\n")
PY
    # (under AddressSanitizer, without its quarantine of freed blocks,
    # which holds up to 256 MB on purpose)
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0 \
        /usr/bin/time -f '%M' -o "$TMPROOT/rss" \
        "$OPSBOOK" -C "$bsite" build -q --as-of "$ASOF" --out "$TMPROOT/xlsx-b$1"
    cat "$TMPROOT/rss"
}
small=$(rss_of 20000)
large=$(rss_of 200000)
pycheck "a 200k-row table sheet holds every row, typed" \
    table "$TMPROOT/xlsx-b200000/reports/report.xlsx" table 200000
check "memory is flat in rows (20k: ${small} KB, 200k: ${large} KB)" \
    test "$large" -lt $((small + 8192))

# ---- an I/O failure ------------------------------------------------------------
# The report cannot be written (open fails; then every write fails, as on a
# full disk): exit 3 naming it, OUT exactly as it was, nothing left beside it.
if cc -shared -fPIC -o "$TMPROOT/failwrite.so" "$TESTS/tools/failwrite.c" -ldl \
    2>/dev/null; then
    isite=$(fresh_site "$SITE")
    "$OPSBOOK" -C "$isite" build -q --as-of "$ASOF"
    before=$(tree_sum "$isite")
    for mode in open full; do
        LD_PRELOAD=$TMPROOT/failwrite.so OB_FAIL_MODE=$mode \
            OB_FAIL_SUFFIX=/reports/ops.xlsx \
            ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
            "$OPSBOOK" -C "$isite" build -q --as-of 2026-11-19 \
            2> "$TMPROOT/err"
        check "$mode: exit status 3" test $? -eq 3
        check "$mode: one message, naming the report and the reason" \
            sh -c "test \$(wc -l < '$TMPROOT/err') -eq 1 &&
                grep -q \"error: cannot write 'reports/ops.xlsx': No space left on device\" '$TMPROOT/err'"
        check "$mode: OUT is untouched" test "$before" = "$(tree_sum "$isite")"
    done
else
    fail "cannot build the fault injector (no C compiler?)"
fi

report
