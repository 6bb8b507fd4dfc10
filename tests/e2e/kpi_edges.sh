# kpi_edges.sh: KPI edge cases against values worked out by hand from the
# SPEC (tests/sites/kpi-edges-*/README.txt holds the reasoning): time zones
# with DST, fiscal periods, ISO week 53, empty cells and periods, ties,
# negatives, formulas, as-of on period boundaries, statuses, fr formatting.
# SPDX-License-Identifier: MIT
CASE=kpi_edges

# pycheck NAME ARGS... <<PY: runs the Python on stdin; shows its output when
# it fails (the scripts print every mismatch, not only the first).
pycheck() {
    _name=$1
    shift
    if python3 - "$@" >"$TMPROOT/py.out" 2>&1; then
        pass "$_name"
    else
        fail "$_name"
        sed 's/^/  /' "$TMPROOT/py.out"
    fi
}

# edges_site NAME ASOF: builds tests/sites/NAME into a fresh copy, compares
# every series with expected/ and leaves the copy's path in $site.
edges_site() {
    src=$TESTS/sites/$1
    site=$(fresh_site "$src")
    rm -rf "$site/expected" "$site/README.txt"
    "$OPSBOOK" -C "$site" build -q --as-of "$2" 2>"$TMPROOT/err"
    check "$1 builds" test $? -eq 0
    for f in "$src"/expected/*.csv; do
        id=$(basename "$f" .csv)
        if cmp -s "$f" "$site/public/kpis/$id.csv"; then
            pass "$1 series $id"
        else
            fail "$1 series $id"
            diff -u "$f" "$site/public/kpis/$id.csv" 2>&1 | sed 's/^/  /'
        fi
    done
    n=$(ls "$site/public/kpis" | grep -c '\.csv$')
    check "$1: one series per KPI" test "$n" -eq "$(ls "$src/expected" | wc -l)"
}

# Shared by the Python checks: kpis(site, as_of) -> {id: object} from
# `opsbook kpi --json`, expect(got, want, what) collects mismatches, done()
# prints them and fails.
cat > "$TMPROOT/edges.py" <<'PY'
import json, os, subprocess, sys
ERRORS = []
def kpis(site, as_of, *ids):
    out = subprocess.run([os.environ["OPSBOOK"], "-C", site, "kpi", "--json",
                          "--as-of", as_of, *ids],
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"kpi --json --as-of {as_of} failed: {out.stderr}")
    return {k["id"]: k for k in json.loads(out.stdout)}
def expect(got, want, what):
    if got != want:
        ERRORS.append(f"{what}: got {got!r}, want {want!r}")
def period(p):
    return None if p is None else (p["start"], p["end"], p["label"])
def groups(k):
    return {g["group"]: g for g in k["groups"]}
def series(k):
    return [(s["period"], s.get("group"), s["value"]) for s in k["series"]]
def done():
    if ERRORS:
        print("\n".join(ERRORS))
        sys.exit(1)
PY
export PYTHONPATH="$TMPROOT"

# ---- America/New_York -------------------------------------------------
edges_site kpi-edges-ny 2026-11-20
pycheck "New York: current, partial and freshness" "$site" <<'PY'
from edges import *
site = sys.argv[1]
k = kpis(site, "2026-11-20")
d = k["ny_day"]
expect(period(d["current_period"]), ("2026-11-20", "2026-11-20", "2026-11-20"),
       "ny_day period: a day is complete on as_of")
expect(d["partial_period"], None, "ny_day partial")
expect((d["current"], d["previous"], d["delta"], d["delta_rel"]), (3, 0, 3, None),
       "ny_day current (rows until 23:59:59 EST count)")
w = k["ny_week"]
expect(period(w["current_period"]), ("2026-11-09", "2026-11-15", "2026-W46"), "ny_week period")
expect(period(w["partial_period"]), ("2026-11-16", "2026-11-22", "2026-W47"), "ny_week partial")
expect((w["current"], w["previous"], w["delta"], w["delta_rel"]), (0, 1, -1, -1), "ny_week current")
expect(w["freshness"]["rows"], 15, "rows up to the end of 2026-11-20 in New York")
expect(w["freshness"]["newest"], "2026-11-21T04:59:59Z", "newest row, in UTC")
m = k["ny_dates_month"]
expect((m["current_period"]["label"], m["current"]), ("2026-10", None),
       "ny_dates_month: no date in October")
done()
PY

# ---- Europe/Paris -----------------------------------------------------
edges_site kpi-edges-paris 2026-11-20
pycheck "Paris: quarters, years and a week across the new year" "$site" <<'PY'
from edges import *
site = sys.argv[1]
k = kpis(site, "2026-11-20")
q = k["p_quarter"]
expect(period(q["current_period"]), ("2026-07-01", "2026-09-30", "2026-Q3"), "p_quarter period")
expect(period(q["partial_period"]), ("2026-10-01", "2026-12-31", "2026-Q4"), "p_quarter partial")
expect((q["current"], q["previous"]), (1, 0), "p_quarter values (2026-Q2 has no row)")
y = k["p_year"]
expect(period(y["current_period"]), ("2025-01-01", "2025-12-31", "2025"), "p_year period")
expect(period(y["partial_period"]), ("2026-01-01", "2026-12-31", "2026"), "p_year partial")
expect(y["current"], 2, "p_year current")
expect(y["freshness"]["newest"], "2026-11-20T22:59:59Z", "newest row before 00:00 CET")
# 2026-01-04 is the Sunday that ends 2026-W01 (Monday 2025-12-29).
k = kpis(site, "2026-01-04")
w = k["p_week"]
expect(period(w["current_period"]), ("2025-12-29", "2026-01-04", "2026-W01"),
       "p_week at 2026-01-04: the week ending that Sunday is complete")
expect(period(w["previous_period"]), ("2025-12-22", "2025-12-28", "2025-W52"), "p_week previous")
expect(w["partial_period"], None, "p_week partial at a Sunday")
expect((w["current"], w["previous"], w["delta"]), (3, 0, 3), "p_week values")
expect(series(w), [("2025-12-29", None, 3)], "p_week series at 2026-01-04")
y = k["p_year"]
expect((y["current_period"]["label"], y["current"]), ("2025", 2), "p_year at 2026-01-04")
expect(period(y["partial_period"]), ("2026-01-01", "2026-12-31", "2026"), "p_year partial")
expect(series(y), [("2025-01-01", None, 2), ("2026-01-01", None, 1)],
       "p_year series: the new year's first row is the partial period")
done()
PY

# ---- fiscal_year_start: 2, ISO week 53, fr --------------------------------
edges_site kpi-edges-fiscal 2027-01-06
fiscal=$site
pycheck "fiscal periods and week 53" "$site" <<'PY'
from edges import *
site = sys.argv[1]
k = kpis(site, "2027-01-06")
w = k["fy_week"]
expect(period(w["current_period"]), ("2026-12-28", "2027-01-03", "2026-W53"), "fy_week period")
expect(period(w["previous_period"]), ("2026-12-21", "2026-12-27", "2026-W52"), "fy_week previous")
expect(period(w["partial_period"]), ("2027-01-04", "2027-01-10", "2027-W01"), "fy_week partial")
expect((w["current"], w["previous"]), (24576, 4096), "fy_week values")
q = k["fy_quarter"]
expect(period(q["current_period"]), ("2026-08-01", "2026-10-31", "FY27-Q3"), "fy_quarter period")
expect(period(q["previous_period"]), ("2026-05-01", "2026-07-31", "FY27-Q2"), "fy_quarter previous")
expect(period(q["partial_period"]), ("2026-11-01", "2027-01-31", "FY27-Q4"), "fy_quarter partial")
qc = k["fy_quarter_c"]
expect((qc["current"], qc["previous"], qc["delta"], qc["delta_rel"]), (0, 1, -1, -1),
       "fy_quarter_c: no row in FY27-Q3 reads 0")
y = k["fy_year"]
expect(period(y["current_period"]), ("2025-02-01", "2026-01-31", "FY26"), "fy_year period")
expect(period(y["previous_period"]), ("2024-02-01", "2025-01-31", "FY25"), "fy_year previous")
expect(period(y["partial_period"]), ("2026-02-01", "2027-01-31", "FY27"), "fy_year partial")
expect((y["current"], y["previous"], y["delta"]), (496, 15, 481), "fy_year values")
m = k["fy_month"]
expect((m["current_period"]["label"], m["current"]), ("2026-12", 12288), "fy_month current")
# The last day of FY27-Q1 makes it complete; its first day's data is partial.
q = kpis(site, "2026-04-30", "fy_quarter")["fy_quarter"]
expect(period(q["current_period"]), ("2026-02-01", "2026-04-30", "FY27-Q1"), "fy_quarter at 2026-04-30")
expect(q["partial_period"], None, "fy_quarter partial at 2026-04-30")
expect((q["current"], q["previous"]), (1536, 480), "fy_quarter values at 2026-04-30")
q = kpis(site, "2026-05-01", "fy_quarter")["fy_quarter"]
expect(q["current_period"]["label"], "FY27-Q1", "fy_quarter at 2026-05-01")
expect(period(q["partial_period"]), ("2026-05-01", "2026-07-31", "FY27-Q2"), "fy_quarter partial at 2026-05-01")
expect(series(q)[-1], ("2026-05-01", None, 2048), "the first day's row is in the partial period")
y = kpis(site, "2026-01-31", "fy_year")["fy_year"]
expect(period(y["current_period"]), ("2025-02-01", "2026-01-31", "FY26"), "fy_year at 2026-01-31")
expect((y["current"], y["partial_period"]), (496, None), "fy_year complete at its last day")
w = kpis(site, "2027-01-03", "fy_week")["fy_week"]
expect((w["current_period"]["label"], w["current"], w["partial_period"]), ("2026-W53", 24576, None),
       "fy_week at Sunday 2027-01-03")
w = kpis(site, "2027-01-04", "fy_week")["fy_week"]
expect((w["current_period"]["label"], w["current"]), ("2026-W53", 24576), "fy_week at Monday 2027-01-04")
expect(w["partial_period"]["label"], "2027-W01", "fy_week partial at Monday 2027-01-04")
expect(series(w)[-1], ("2027-01-04", None, 32768), "the Monday's row is in the partial week")
done()
PY

# fr: U+202F between groups, a decimal comma, U+00A0 before the euro sign;
# 1234567.25 with one decimal rounds half away from zero.
"$OPSBOOK" -C "$fiscal" kpi fr_amount fr_eur --as-of 2027-01-06 >"$TMPROOT/fr.txt"
check "kpi table in fr" test $? -eq 0
nnbsp=$(printf '\342\200\257')
nbsp=$(printf '\302\240')
check "fr number: 1 234 567,3" grep -qF "1${nnbsp}234${nnbsp}567,3 " "$TMPROOT/fr.txt"
check "fr currency: 1 234 567,25 €" grep -qF "1${nnbsp}234${nnbsp}567,25${nbsp}€" "$TMPROOT/fr.txt"
check "fr: no ASCII grouping" sh -c "! grep -qE '[0-9][ ,.][0-9]{3}[ ,.]' '$TMPROOT/fr.txt'"

# ---- measures, filters, formulas, statuses --------------------------------
edges_site kpi-edges-calc 2026-11-20
pycheck "empty periods, one row, ties and negatives" "$site" <<'PY'
from edges import *
site = sys.argv[1]
k = kpis(site, "2026-11-20")
def cur(i):
    x = k[i]
    return (x["current"], x["previous"], x["delta"], x["delta_rel"])
expect(k["c_rows"]["current_period"]["label"], "2026-10", "current month")
expect(k["c_rows"]["previous_period"]["label"], "2026-09", "previous month")
expect(cur("c_rows"), (3, 0, 3, None), "c_rows: September reads 0, no relative delta")
expect(cur("c_users"), (3, 0, 3, None), "c_users")
expect(cur("c_avg"), (-2.25, None, None, None), "c_avg: September has no data")
expect(cur("c_min"), (-7.5, None, None, None), "c_min")
expect(cur("c_last"), (-7.5, None, None, None), "c_last skips the empty cell")
expect(cur("c_rate")[:2], (0.5, None), "c_rate")
g = groups(k["c_by"])
expect(sorted(g), ["(empty)", "free", "pro"], "c_by groups")
expect({n: x["current"] for n, x in g.items()}, {"(empty)": 1, "free": 0, "pro": 2},
       "c_by: free is absent from October and reads 0")
g = groups(k["c_avg_by"])
expect({n: x["current"] for n, x in g.items()}, {"(empty)": None, "free": None, "pro": -2.25},
       "c_avg_by")
expect((k["f_none"]["current"], k["f_none"]["series"]), (0, []), "f_none")
expect((k["f_none_avg"]["current"], k["f_none_avg"]["series"]), (None, []), "f_none_avg")
expect(cur("o_count"), (1, 0, 1, None), "one row: count")
expect(cur("o_avg"), (-3.5, None, None, None), "one row: avg")
expect(cur("o_p90"), (-3.5, None, None, None), "one row: p90")
expect((k["o_week"]["current_period"]["label"], k["o_week"]["current"]), ("2026-W46", 0), "o_week")
expect(k["n_p95"]["current_period"]["label"], "2025", "neg: current year")
expect({i: k[i]["current"] for i in ("n_sum", "n_avg", "n_min", "n_max", "n_med", "n_p90", "n_p95", "n_last")},
       {"n_sum": -55, "n_avg": -5, "n_min": -10, "n_max": 0, "n_med": -5, "n_p90": -1,
        "n_p95": -0.5, "n_last": -6}, "negative aggregates")
expect(cur("t_last"), (3, 5, -2, -0.4), "t_last ties")
expect(k["fm_div"]["current"], None, "fm_div: division by zero has no value")
expect(k["fm_roll"]["current"], None, "fm_roll across September")
expect(k["fm_prev2"]["current"], 6, "fm_prev2")
expect(k["fm_rate_div"]["previous"], None, "fm_rate_div in September")
# Half away from zero, negatives too (the minus sign may be - or U+2212).
for i, text in (("c_avg", "-2.3"), ("c_p75", "0.4"), ("n_p95", "-0.5")):
    expect(k[i]["current_text"].replace("\u2212", "-"), text, f"{i} current_text")
# The relative delta divides by |previous|: (-10 - -4) / 4.
m = kpis(site, "2026-08-31", "c_min")["c_min"]
expect((m["current"], m["previous"], m["delta"], m["delta_rel"]), (-10, -4, -6, -1.5),
       "c_min at 2026-08-31")
done()
PY

pycheck "as-of on a month's last and first day" "$site" <<'PY'
from edges import *
site = sys.argv[1]
k = kpis(site, "2026-10-31", "c_rows", "c_avg")
r = k["c_rows"]
expect(period(r["current_period"]), ("2026-10-01", "2026-10-31", "2026-10"), "2026-10-31: October is current")
expect(r["partial_period"], None, "2026-10-31: no partial period")
expect((r["current"], r["previous"]), (3, 0), "2026-10-31: the last second of October counts")
expect(series(r), [("2026-07-01", None, 3), ("2026-08-01", None, 3), ("2026-10-01", None, 3)],
       "series at 2026-10-31")
k = kpis(site, "2026-10-01", "c_rows", "c_users", "c_avg")
r = k["c_rows"]
expect(period(r["current_period"]), ("2026-09-01", "2026-09-30", "2026-09"), "2026-10-01: September is current")
expect(period(r["partial_period"]), ("2026-10-01", "2026-10-31", "2026-10"), "2026-10-01: October is partial")
expect((r["current"], r["previous"], r["delta"], r["delta_rel"]), (0, 3, -3, -1), "2026-10-01 values")
expect(series(r)[-1], ("2026-10-01", None, 1), "October's first day in the partial period")
expect(k["c_users"]["current"], 0, "c_users in September")
expect((k["c_avg"]["current"], k["c_avg"]["previous"]), (None, -6), "c_avg in September")
k = kpis(site, "2026-09-30", "c_rows", "c_avg")
r = k["c_rows"]
expect((r["current_period"]["label"], r["current"], r["partial_period"]), ("2026-09", 0, None), "2026-09-30")
expect(k["c_avg"]["current"], None, "c_avg at 2026-09-30")
done()
PY

pycheck "statuses" "$site" <<'PY'
from edges import *
site = sys.argv[1]
k = kpis(site, "2026-11-20")
want = {"s_up_eq": "green", "s_up_band": "amber", "s_up_below": "red",
        "s_dn_eq": "green", "s_dn_band": "amber", "s_dn_above": "red",
        "s_neg": "amber", "s_thr_g": "green", "s_thr_a": "amber", "s_thr_r": "red",
        "s_thr_dn": "amber", "s_step": "green", "s_zero_up": "green",
        "s_zero_neg": "red", "s_zero_dn": "red", "s_round": "red"}
for i, st in want.items():
    expect(k[i]["status"], st, f"{i} ({k[i]['current']} vs {k[i]['target']})")
expect((k["s_step"]["current"], k["s_step"]["target"]), (60, 50), "s_step target in October")
expect(k["s_round"]["current_text"], "90", "s_round is shown rounded")
g = groups(k["s_by"])
expect({n: (x["target"], x["status"]) for n, x in g.items()},
       {"a": (100, "amber"), "b": (50, "green"), "c": (None, None)}, "s_by")
s = kpis(site, "2026-09-30", "s_step")["s_step"]
expect((s["current"], s["target"], s["status"]), (95, 100, "amber"), "s_step in September")
done()
PY
report
