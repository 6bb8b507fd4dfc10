# pieces.sh: a large CSV file is cut into pieces at guessed line feeds and
# read on several threads. Whatever the cuts hit (a line feed inside a
# quoted field, a CRLF, a bad cell, invalid text), the series and the
# diagnostics must be those of one whole read. OPSBOOK_PIECE_BYTES makes a
# small generated file "large"; many piece sizes move the cuts everywhere.
# SPDX-License-Identifier: MIT
CASE=pieces

site=$(mktemp -d "$TMPROOT/pieces.XXXXXX")
mkdir -p "$site/data"
cat >"$site/opsbook.yaml" <<'YAML'
site: {title: Pieces}
sources:
  e:
    path: data/e.csv
    time: ts
    on_error: skip
    columns: {dur: number, score: number}
kpis:
  - {id: rows, title: Rows, source: e, measure: count(), grain: week, by: plan}
  - {id: users, title: Users, source: e, measure: count_distinct(user), grain: week}
  - {id: dur_sum, title: Duration, source: e, measure: sum(dur), grain: month}
  - {id: dur_p90, title: P90, source: e, measure: p90(dur), grain: week}
  - {id: dur_last, title: Last, source: e, measure: last(dur), grain: week}
  - {id: nps, title: NPS, source: e, measure: nps(score), grain: month}
  - {id: retained, title: Retained, source: e, measure: retained_distinct(user), grain: week}
YAML

# 600 rows over ten weeks. The first third is plain; then notes with quoted
# line feeds, doubled quotes and delimiters; CRLF here and there; bad
# durations (skipped with a warning) and one out-of-range score in a plain piece.
gen() {
    python3 - "$site/data/e.csv" "$1" <<'PY'
import datetime, random, sys
rnd = random.Random(7)
plans = ["free", "pro", "team", ""]
out = ["ts,user,plan,dur,score,note\n"]
for i in range(600):
    day = datetime.date(2026, 9, 2) + datetime.timedelta(days=i * 70 // 600)
    ts = f"{day}T{rnd.randrange(24):02d}:{rnd.randrange(60):02d}:00Z"
    dur = str(rnd.randrange(3600) / 4)  # exact in binary: sums in any order agree
    if i % 97 == 50:
        dur = "x"
    score = str(rnd.randrange(11)) if i % 3 else ""
    if i == 150 and sys.argv[2] == "bad-score":
        score = "12"
    note = "plain"
    if i > 200 and i % 4 == 0:
        note = '"line one\nline ""two"", with, commas\n"'
    elif i > 200 and i % 7 == 0:
        note = '"\n\n"'
    end = "\r\n" if i % 11 == 0 else "\n"
    out.append(f"{ts},u{rnd.randrange(90)},{rnd.choice(plans)},{dur},{score},{note}{end}")
open(sys.argv[1], "w", newline="").write("".join(out))
PY
}

gen good
"$OPSBOOK" -C "$site" kpi -q --csv --as-of "$ASOF" >"$TMPROOT/whole.csv"
gen bad-score
"$OPSBOOK" -C "$site" check --as-of "$ASOF" 2>"$TMPROOT/whole.err"
check "the whole read computes every KPI" test "$(grep -c , "$TMPROOT/whole.csv")" -gt 40
check "the whole read warns about the bad cells" \
    test "$(grep -c 'does not fit column' "$TMPROOT/whole.err")" -eq 6
check "and the out-of-range score" grep -q '^data/e.csv:[0-9]*:[0-9]*: error: .*score' "$TMPROOT/whole.err"
same_csv=0 same_err=0 sizes=0
for pb in 61 97 128 150 211 257 333 404 512 777 1000 1777 3001 5000 9999 \
    20000 100000 1000000; do
    sizes=$((sizes + 1))
    for j in 1 3; do
        OPSBOOK_PIECE_BYTES=$pb "$OPSBOOK" -C "$site" check -j$j --as-of "$ASOF" 2>"$TMPROOT/p.err"
        cmp -s "$TMPROOT/whole.err" "$TMPROOT/p.err" && same_err=$((same_err + 1))
    done
done
gen good
for pb in 61 97 128 150 211 257 333 404 512 777 1000 1777 3001 5000 9999 \
    20000 100000 1000000; do
    for j in 1 3; do
        OPSBOOK_PIECE_BYTES=$pb "$OPSBOOK" -C "$site" kpi -q -j$j --csv --as-of "$ASOF" >"$TMPROOT/p.csv"
        cmp -s "$TMPROOT/whole.csv" "$TMPROOT/p.csv" && same_csv=$((same_csv + 1))
    done
done
check "every piece size gives the series of one read" test "$same_csv" -eq $((sizes * 2))
check "every piece size gives the diagnostics of one read" test "$same_err" -eq $((sizes * 2))

# Too small for pieces (under two), but not too small to be read on one
# thread while another aggregates (a 64th of a piece), at -j3 above: the
# same series and diagnostics too (the out-of-range score's column).
check "the file is too small for pieces from 20000 on" \
    test "$(stat -c %s "$site/data/e.csv")" -lt 40000
check "and large enough to be read on two threads up to 1000000" \
    test "$(stat -c %s "$site/data/e.csv")" -ge 15625

# Invalid UTF-8 in a late piece, then an unterminated quote at the end:
# each reported where one read reports it.
for bad in utf8 quote; do
    cp "$site/data/e.csv" "$TMPROOT/e.csv"
    if [ $bad = utf8 ]; then
        python3 - "$site/data/e.csv" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
at = b.rindex(b"plain", 0, len(b) * 4 // 5)
open(sys.argv[1], "wb").write(b[:at] + b"pl\xe9in" + b[at + 5:])
PY
    else
        printf '2026-10-09T10:00:00Z,u1,pro,1,9,"open\n' >>"$site/data/e.csv"
    fi
    "$OPSBOOK" -C "$site" check --as-of "$ASOF" 2>"$TMPROOT/whole.err"
    want='invalid UTF-8 text'
    [ $bad = quote ] && want='unterminated quoted field'
    check "$bad: one read reports it at its line" \
        grep -q "^data/e.csv:[0-9]*:[0-9]*: error: $want" "$TMPROOT/whole.err"
    n=0
    for pb in 97 333 1000 100000; do
        OPSBOOK_PIECE_BYTES=$pb "$OPSBOOK" -C "$site" check -j3 --as-of "$ASOF" 2>"$TMPROOT/p.err"
        status=$?
        cmp -s "$TMPROOT/whole.err" "$TMPROOT/p.err" && test $status -eq 1 && n=$((n + 1))
    done
    check "$bad: reported at the same place in pieces and on two threads" test $n -eq 4
    cp "$TMPROOT/e.csv" "$site/data/e.csv"
done
report
