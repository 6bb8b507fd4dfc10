# okr.sh: OKR progress, pace, status, grade, confidence and roll-up against
# values worked out by hand from the SPEC ("OKRs") and the fixtures
# tests/sites/okr (calendar quarters, default okr_rules), okr-fiscal
# (fiscal_year_start: 2) and okr-rules (custom okr_rules, start/end periods).
# Each expectation block below is checked by tests/tools/okr_check.py (one
# check per quarter, objective and key result; numbers within 1e-9).
#
# Rules used throughout:
#   e = min(as_of, end); expected = (as_of - start + 1) / days, 0 before the
#   start, 1 after the end.
#   numeric progress = clamp((current - baseline) / (target - baseline), 0, 1)
#   status: not_started | ended (grade >= .7 green, >= .4 yellow, red) |
#     done (1) | on_track (>= expected - on_track) | at_risk (>= expected -
#     at_risk) | off_track; defaults on_track .10, at_risk .25.
#   objective progress = weighted mean of its KRs, or the plain mean of its
#   aligned children (recursively).
# SPDX-License-Identifier: MIT
CASE=okr
SITE=$TESTS/sites/okr
FISCAL=$TESTS/sites/okr-fiscal
RULES=$TESTS/sites/okr-rules
CHK=$TESTS/tools/okr_check.py

# okr_expect NAME DIR ASOF [ARGS...] <<EXPECTED: runs `okrs --json` at ASOF
# and counts one check per block of EXPECTED (see tests/tools/okr_check.py).
okr_expect() {
    n=$1 dir=$2 asof=$3
    shift 3
    if ! "$OPSBOOK" -C "$dir" okrs --json --as-of "$asof" "$@" \
        >"$TMPROOT/okrs.json" 2>"$TMPROOT/okrs.err"; then
        fail "$n: okrs --json failed"
        sed 's/^/  /' "$TMPROOT/okrs.err"
        cat >/dev/null
        return 0
    fi
    python3 "$CHK" "$TMPROOT/okrs.json" - "$n" >"$TMPROOT/okrs.out" 2>&1
    [ -s "$TMPROOT/okrs.out" ] || fail "$n: the checker printed nothing"
    while IFS= read -r line; do
        case $line in
        "ok "*) pass "${line#ok }" ;;
        "FAIL "*) fail "${line#FAIL }" ;;
        *) fail "$n: $line" ;;
        esac
    done <"$TMPROOT/okrs.out"
    return 0
}

site=$(fresh_site "$SITE")
"$OPSBOOK" -C "$site" check -q --as-of "$ASOF" 2>"$TMPROOT/err"
check "the fixture checks" test $? -eq 0

# ---------------------------------------------------------------- as_of in the middle
# 2026-11-20: 2026-Q4 (92 days from 2026-10-01) is on day 31 + 20 = 51.
# Weeks start on Mondays: 2026-11-09..15 is the latest complete one (4 rows;
# 2026-11-16.. is in progress). The latest complete month is October.
okr_expect "2026-11-20" "$site" 2026-11-20 <<'EOF'
{"as_of": "2026-11-20",
 "latest": "2026-Q4",     # the quarter holding as_of
 "labels": ["2026-06-01..2026-06-10", "2026-Q3", "2026-Q4", "2028-Q1"],
 "2026-06-01..2026-06-10": {
     "start": "2026-06-01", "end": "2026-06-10", "state": "ended", "expected": 1,
     # (0.3 + 0.15 + 0.14 + 0.7) / 4 = 0.3225 < 0.4: red
     "jun-O1": {"progress": 1.29/4, "status": "ended", "grade": "red"},
     "jun-d": {"progress": 0.7, "status": "ended", "grade": "green"},
 },
 "2026-Q3": {
     "start": "2026-07-01", "end": "2026-09-30", "state": "ended", "expected": 1,
     # (0.24 - 0.03) / (0.33 - 0.03) = 0.7 (0.6999999999999998 in doubles): green
     "q3-O1": {"progress": 0.7, "status": "ended", "grade": "green",
               "confidence": 0.9},
     "q3-kr1": {"current": 0.24, "current_from": "checkin", "progress": 0.7,
                "status": "ended", "grade": "green", "confidence": 0.9,
                "last_checkin": "2026-09-20",
                "no_recent_checkin": false},     # the quarter is over
     # 0.04 / 0.1 = 0.4 (0.39999999999999997 in doubles): yellow
     "q3-O2": {"progress": 0.4, "status": "ended", "grade": "yellow",
               "confidence": null},
     "q3-kr2": {"progress": 0.4, "grade": "yellow", "confidence": null,
                "confidence_trend": null, "last_checkin": "2026-09-25"},
     "q3-O3": {"progress": 0.39, "status": "ended", "grade": "red"},
     # progress 1 after the end: ended (not done), green
     "q3-O4": {"progress": 1, "status": "ended", "grade": "green"},
     "q3-ms4": {"progress": 1, "status": "ended", "grade": "green"},
 },
 "2026-Q4": {
     "start": "2026-10-01", "end": "2026-12-31", "state": "running",
     "expected": 51/92,     # on_track from 51/92 - .1 = .4543, at_risk from .3043
     "order": ["co-O1", "growth-O1", "sales-O1", "sales-eu-O1", "sales-us-O1",
               "ops-O1", "ship-O1", "empty-O1", "cost-O1"],
     # KPI signups (weekly count), week 2026-11-09: 4 rows; (4 - 2) / (6 - 2)
     "kr-signups": {"type": "numeric", "kpi": "signups", "group": null,
                    "weight": 1, "baseline": 2, "target": 6, "current": 4,
                    "current_from": "kpi", "progress": 0.5,
                    "expected": 51/92, "status": "on_track", "grade": null,
                    "confidence": null, "confidence_trend": null,
                    "last_checkin": null,
                    "no_recent_checkin": false},  # KPI-linked, no check-in
     # check-ins up to as_of: file 10-15 (4.0, .5), inline 11-01 (3.0, .6),
     # file 11-18 (1.5, .8); 11-25 and 2027-01-10 are after as_of.
     # (1.5 - 5) / (2 - 5) = 1.17: overshoot, clamped to 1: done
     "kr-ttv": {"kpi": null, "weight": 2, "current": 1.5,
                "current_from": "checkin", "progress": 1, "status": "done",
                "confidence": 0.8, "confidence_trend": "up",   # .6 -> .8
                "last_checkin": "2026-11-18",
                "no_recent_checkin": false},   # 2 days old
     # milestone, not done, manual progress .4: at_risk (.3043 <= .4 < .4543);
     # no check-in and 2026-11-20 - 2026-10-01 = 50 >= 14 days
     "ms-manual": {"type": "milestone", "current_from": "milestone",
                   "baseline": null, "target": null,
                   "progress": 0.4, "status": "at_risk",
                   "no_recent_checkin": true},
     # (1 * .5 + 2 * 1 + 1 * .4) / 4; confidence: only kr-ttv has one
     "growth-O1": {"parent": "co-O1", "children": [], "rolled_up": false,
                   "owner": "Growth squad", "team": "growth",
                   "progress": 2.9/4, "expected": 51/92, "status": "on_track",
                   "grade": null, "confidence": 0.8},
     # KPI revenue[eu], October: 700 + 800; the KPI wins over the check-in
     # (1900) of 11-12, which still gives the confidence
     "kr-rev-eu": {"kpi": "revenue", "group": "eu", "weight": 3,
                   "current": 1500, "current_from": "kpi", "progress": 0.5,
                   "status": "on_track", "confidence": 0.7,
                   "confidence_trend": null, "last_checkin": "2026-11-12",
                   "no_recent_checkin": false},
     "ms-done": {"progress": 1, "status": "done", "current_from": "milestone"},
     # (3 * .5 + 1 * 1) / 4
     "sales-eu-O1": {"progress": 2.5/4, "status": "on_track", "confidence": 0.7},
     # revenue[us] has no October rows (a sum: no value): the check-in of
     # 11-10, 1300: .3 < .3043: off_track
     "kr-rev-us": {"group": "us", "current": 1300, "current_from": "checkin",
                   "progress": 0.3, "status": "off_track", "confidence": 0.6,
                   "last_checkin": "2026-11-10", "no_recent_checkin": false},
     # revenue[apac]: no October value, no check-in: the baseline
     "kr-rev-apac": {"group": "apac", "current": 1000,
                     "current_from": "baseline", "progress": 0,
                     "status": "off_track", "confidence": null,
                     "no_recent_checkin": false},
     # 11-05 has a file check-in (.04, .6) then an inline one (.06, .4): the
     # inline one is the latest. (.06 - .05) / (.03 - .05) = -.5: clamped to 0;
     # trend .6 -> .4 down; 15 days old > 14: no recent check-in
     "kr-churn": {"weight": 2, "current": 0.06, "current_from": "checkin",
                  "progress": 0, "status": "off_track", "confidence": 0.4,
                  "confidence_trend": "down", "last_checkin": "2026-11-05",
                  "no_recent_checkin": true},
     # (.3 + 0 + 2 * 0) / 4; confidence (1 * .6 + 2 * .4) / 3
     "sales-us-O1": {"progress": 0.3/4, "status": "off_track",
                     "confidence": 1.4/3},
     # rolled up: (.625 + .075) / 2; confidence (.7 + 1.4/3) / 2
     "sales-O1": {"parent": "co-O1", "children": ["sales-eu-O1", "sales-us-O1"],
                  "rolled_up": true, "key_results": [],
                  "progress": 0.35, "status": "at_risk",
                  "confidence": (0.7 + 1.4/3)/2},
     # rolled up two levels: (growth .725 + sales .35) / 2
     "co-O1": {"parent": null, "children": ["growth-O1", "sales-O1"],
               "rolled_up": true, "owner": "CEO", "team": "company",
               "progress": (2.9/4 + 0.35)/2, "status": "on_track",
               "grade": null, "confidence": (0.8 + (0.7 + 1.4/3)/2)/2},
     "ms-none": {"progress": 0, "status": "off_track", "no_recent_checkin": true,
                 "confidence": null},
     # check-in of 11-06: exactly 14 days before as_of, not more: recent
     "kr-stale-edge": {"current": 40, "progress": 0.4, "status": "at_risk",
                       "confidence": 0.9, "last_checkin": "2026-11-06",
                       "no_recent_checkin": false},
     # 11-01 (6, .5), then 11-15 with a confidence and no value: current 6,
     # confidence .5, trend flat, latest check-in 11-15
     "kr-conf-only": {"current": 6, "current_from": "checkin", "progress": 0.6,
                      "status": "on_track", "confidence": 0.5,
                      "confidence_trend": "flat", "last_checkin": "2026-11-15",
                      "no_recent_checkin": false},
     # (0 + .4 + 2 * .6) / 4; confidence (1 * .9 + 2 * .5) / 3
     "ops-O1": {"progress": 0.4, "status": "at_risk", "confidence": 1.9/3},
     # weights 3 and .5: (3 * 1 + .5 * .1) / 3.5
     "ship-O1": {"progress": 3.05/3.5, "status": "on_track", "confidence": null},
     "ship-ms2": {"weight": 0.5, "progress": 0.1, "status": "off_track"},
     # neither KRs nor children: 0 (and a warning)
     "empty-O1": {"progress": 0, "status": "off_track", "confidence": null,
                  "children": []},
     # decreasing KPI-linked KR, no value and no check-in: the baseline 3000,
     # progress 0 (not (0 - 3000) / (2000 - 3000) clamped to 1)
     "kr-apac-down": {"current": 3000, "current_from": "baseline",
                      "progress": 0, "status": "off_track"},
     "cost-O1": {"progress": 0, "status": "off_track"},
 },
 "2028-Q1": {
     "start": "2028-01-01", "end": "2028-03-31", "state": "not_started",
     "expected": 0,
     "leap-O1": {"progress": 0.56, "status": "not_started", "grade": null},
     "leap-ms": {"status": "not_started", "no_recent_checkin": false},
 },
}
EOF
check "the empty objective is a warning at its id" grep -q \
    "^data/okrs/2026-q4.yaml:80:9: warning: objective 'empty-O1'" "$TMPROOT/okrs.err"
check "a check-in after the end is a warning at its row" grep -q \
    "^data/checkins-q4.csv:10:1: warning: check-in for 'kr-ttv' after the end of 2026-Q4" \
    "$TMPROOT/okrs.err"

# The SPEC's example: 2026-Q4 at 2026-11-21 expects 52/92. QUARTER selects.
okr_expect "2026-11-21" "$site" 2026-11-21 2026-Q4 <<'EOF'
{"labels": ["2026-Q4"], "latest": "2026-Q4",
 "2026-Q4": {"state": "running", "expected": 52/92}}
EOF
okr_expect "select two" "$site" "$ASOF" 2028-Q1 2026-Q3 <<'EOF'
{"labels": ["2026-Q3", "2028-Q1"]}
EOF

# ---------------------------------------------------------------- before the start
# 2026-09-30: 2026-Q4 has not started (expected 0, no staleness); progress is
# still computed at e = 2026-09-30: week 2026-09-21 has 3 rows, (3 - 2) / 4;
# September is complete on its last day: revenue[eu] 600 + 500.
# 2026-Q3 is on its last day: expected 92/92 = 1, running.
okr_expect "2026-09-30" "$site" 2026-09-30 <<'EOF'
{"latest": "2026-Q3",
 "2026-Q4": {"state": "not_started", "expected": 0,
     "kr-signups": {"current": 3, "progress": 0.25, "status": "not_started",
                    "expected": 0, "grade": null},
     "kr-rev-eu": {"current": 1100, "progress": 0.1, "status": "not_started"},
     "ms-none": {"status": "not_started", "no_recent_checkin": false},
     "co-O1": {"status": "not_started", "grade": null, "expected": 0},
 },
 "2026-Q3": {"state": "running", "expected": 1,
     "q3-O4": {"progress": 1, "status": "done", "grade": null},
     # .7 < 1 - .25: off_track; the check-in of 09-20 is 10 days old
     "q3-O1": {"status": "off_track"},
     "q3-kr1": {"status": "off_track", "no_recent_checkin": false},
     # no check-in, 2026-09-30 - 2026-07-01 = 91 >= 14 days
     "q3-ms3": {"no_recent_checkin": true},
 },
 "2026-06-01..2026-06-10": {"state": "ended"},
}
EOF

# ---------------------------------------------------------------- first day
# 2026-10-01: expected 1/92; every threshold is below 0, so anything not done
# is on_track. Latest complete week 2026-09-21 (3 rows), month September.
okr_expect "2026-10-01" "$site" 2026-10-01 2026-Q4 <<'EOF'
{"latest": "2026-Q4",
 "2026-Q4": {"state": "running", "expected": 1/92,
     "kr-signups": {"current": 3, "current_from": "kpi", "progress": 0.25,
                    "status": "on_track"},
     # no check-in on or before 10-01: the baseline
     "kr-ttv": {"current": 5, "current_from": "baseline", "progress": 0,
                "status": "on_track", "confidence": null,
                "last_checkin": null, "no_recent_checkin": false},
     "ms-manual": {"progress": 0.4, "status": "on_track",
                   "no_recent_checkin": false},   # 0 days into the quarter
     # (.25 + 2 * 0 + .4) / 4
     "growth-O1": {"progress": 0.65/4, "status": "on_track", "confidence": null},
     "kr-rev-eu": {"current": 1100, "current_from": "kpi", "progress": 0.1,
                   "confidence": null, "last_checkin": null},
     # September us: 900 is below the baseline: clamped to 0
     "kr-rev-us": {"current": 900, "current_from": "kpi", "progress": 0},
     "kr-rev-apac": {"current": 1000, "current_from": "baseline", "progress": 0},
     "kr-churn": {"current": 0.05, "current_from": "baseline", "progress": 0},
     # (3 * .1 + 1) / 4 = .325; (0 + 0 + 0) / 4 = 0
     "sales-eu-O1": {"progress": 1.3/4},
     "sales-us-O1": {"progress": 0},
     "sales-O1": {"progress": 1.3/8, "status": "on_track"},
     "co-O1": {"progress": (0.65/4 + 1.3/8)/2, "status": "on_track"},
     "ms-done": {"status": "done"},
     "empty-O1": {"progress": 0, "status": "on_track"},
 },
}
EOF

# 2026-10-06: the latest complete week (2026-09-28..10-04) has no rows: a
# count reads 0 there, from the KPI, not the baseline 2.
okr_expect "2026-10-06" "$site" 2026-10-06 2026-Q4 <<'EOF'
{"2026-Q4": {"expected": 6/92,
     "kr-signups": {"current": 0, "current_from": "kpi", "progress": 0}}}
EOF

# no_recent_checkin without a check-in: as_of - start >= 14 days.
okr_expect "2026-10-14" "$site" 2026-10-14 2026-Q4 <<'EOF'
{"2026-Q4": {
     "ms-none": {"no_recent_checkin": false},    # 13 days
     "kr-ttv": {"no_recent_checkin": false, "last_checkin": null}}}
EOF
okr_expect "2026-10-15" "$site" 2026-10-15 2026-Q4 <<'EOF'
{"2026-Q4": {"expected": 15/92,
     "ms-none": {"no_recent_checkin": true},     # 14 days
     # the check-in of the day: (4 - 5) / (2 - 5) = 1/3, recent, no trend yet
     "kr-ttv": {"current": 4, "progress": 1/3, "status": "on_track",
                "confidence": 0.5, "confidence_trend": null,
                "last_checkin": "2026-10-15", "no_recent_checkin": false},
     # KPI-linked, no check-in on or before as_of (the 11-12 one is ignored)
     "kr-signups": {"no_recent_checkin": false},
     "kr-rev-eu": {"no_recent_checkin": false, "confidence": null}}}
EOF

# ---------------------------------------------------------------- last day
# 2026-12-31: expected 92/92 = 1, still running: on_track from .9, at_risk
# from .75. Week 2026-12-21..27 holds 7 rows; December is complete on its
# last day (revenue[eu] 1200, none for us); check-in 11-25 now counts.
okr_expect "2026-12-31" "$site" 2026-12-31 2026-Q4 <<'EOF'
{"latest": "2026-Q4",
 "2026-Q4": {"state": "running", "expected": 1,
     # (7 - 2) / 4 = 1.25: clamped, done
     "kr-signups": {"current": 7, "progress": 1, "status": "done"},
     # 11-25: 10, (10 - 5) / -3 < 0: 0; confidence .8 -> .1 down; 36 days old
     "kr-ttv": {"current": 10, "progress": 0, "status": "off_track",
                "confidence": 0.1, "confidence_trend": "down",
                "last_checkin": "2026-11-25", "no_recent_checkin": true},
     "ms-manual": {"status": "off_track"},
     # (1 + 2 * 0 + .4) / 4
     "growth-O1": {"progress": 0.35, "status": "off_track", "confidence": 0.1},
     # (1200 - 1000) / 1000; check-in of 11-12: 49 days old
     "kr-rev-eu": {"current": 1200, "current_from": "kpi", "progress": 0.2,
                   "status": "off_track", "no_recent_checkin": true},
     "sales-eu-O1": {"progress": 1.6/4},
     "kr-rev-us": {"current": 1300, "current_from": "checkin", "progress": 0.3,
                   "no_recent_checkin": true},
     "sales-O1": {"progress": (0.4 + 0.075)/2, "status": "off_track"},
     "co-O1": {"progress": (0.35 + 0.2375)/2, "status": "off_track"},
     # .8714: at_risk (.75 <= p < .9)
     "ship-O1": {"progress": 3.05/3.5, "status": "at_risk"},
 }}
EOF

# ---------------------------------------------------------------- after the end
# 2027-01-05: ended; evaluated at e = 2026-12-31, so the same progress as on
# the last day (week 2026-12-28..2027-01-03, complete now and empty, does
# not count), graded.
okr_expect "2027-01-05" "$site" 2027-01-05 <<'EOF'
{"latest": "2026-Q4",     # none holds as_of: the latest that started before
 "2026-Q4": {"state": "ended", "expected": 1,
     "kr-signups": {"current": 7, "progress": 1, "status": "ended",
                    "grade": "green", "expected": 1},
     "kr-ttv": {"current": 10, "status": "ended", "grade": "red",
                "confidence": 0.1, "no_recent_checkin": false},
     "ms-manual": {"grade": "yellow"},                   # .4
     "growth-O1": {"progress": 0.35, "status": "ended", "grade": "red"},
     "sales-eu-O1": {"progress": 0.4, "grade": "yellow"},
     "kr-rev-eu": {"current": 1200, "grade": "red"},
     "sales-us-O1": {"grade": "red"},
     "sales-O1": {"progress": 0.2375, "grade": "red"},
     "co-O1": {"progress": 0.29375, "status": "ended", "grade": "red"},
     "ops-O1": {"progress": 0.4, "grade": "yellow"},
     "ship-O1": {"progress": 3.05/3.5, "grade": "green"},   # .87
     "ms-done": {"status": "ended", "grade": "green"},
     "kr-apac-down": {"current": 3000, "progress": 0, "grade": "red"},
 },
 "2028-Q1": {"state": "not_started"},
}
EOF
# 2027-01-15: the check-in of 2027-01-10 is on or before as_of but after the
# end: a warning, and it does not count (e = 2026-12-31).
okr_expect "2027-01-15" "$site" 2027-01-15 2026-Q4 <<'EOF'
{"2026-Q4": {"kr-ttv": {"current": 10, "confidence": 0.1,
                        "last_checkin": "2026-11-25"}}}
EOF
check "the check-in after the end is a warning" grep -q \
    "^data/checkins-q4.csv:10:1: warning: .*after the end" "$TMPROOT/okrs.err"

# ---------------------------------------------------------------- latest
# Before 2026-08-10 revenue has no row for any region, so the groups the
# Q4 key results name are not known yet. Whether that is an error is checked
# once here; the other early checks use a copy without the Q4 file (whose
# quarter starts later and so does not change which quarter is latest).
"$OPSBOOK" -C "$site" okrs --json --as-of 2026-06-04 >/dev/null 2>"$TMPROOT/err"
check "a KPI group without rows yet at as_of is not an error" test $? -eq 0
early=$(fresh_site "$SITE")
rm "$early/data/okrs/2026-q4.yaml"
okr_expect "latest before any quarter" "$early" 2026-05-31 <<'EOF'
{"latest": null}
EOF
okr_expect "latest after a period" "$early" 2026-06-30 <<'EOF'
{"latest": "2026-06-01..2026-06-10"}
EOF
okr_expect "latest between quarters" "$site" 2027-06-01 <<'EOF'
{"latest": "2026-Q4", "2028-Q1": {"state": "not_started", "expected": 0}}
EOF

# ---------------------------------------------------------------- leap day
# 2028-Q1: 31 + 29 + 31 = 91 days. Milestone .56.
okr_expect "2028-02-29" "$site" 2028-02-29 2028-Q1 <<'EOF'
{"latest": "2028-Q1",
 "2028-Q1": {"state": "running", "expected": 60/91,
     # 60/91 - .1 = .5593 <= .56: on_track (without the leap day, day 60 of
     # 90 would give .5667: at_risk)
     "leap-ms": {"status": "on_track"}, "leap-O1": {"status": "on_track"}}}
EOF
okr_expect "2028-03-01" "$site" 2028-03-01 2028-Q1 <<'EOF'
{"2028-Q1": {"expected": 61/91,
     # 61/91 - .1 = .5703 > .56 >= .4203: at_risk
     "leap-ms": {"status": "at_risk"}}}
EOF
okr_expect "2028-03-31" "$site" 2028-03-31 2028-Q1 <<'EOF'
{"2028-Q1": {"state": "running", "expected": 1}}
EOF
okr_expect "2028-04-01" "$site" 2028-04-01 2028-Q1 <<'EOF'
{"2028-Q1": {"state": "ended", "leap-O1": {"status": "ended", "grade": "yellow"}}}
EOF

# ---------------------------------------------------------------- exact boundaries
# Ten days: expected 4/10 = .4 and 8/10 = .8. In doubles .4 - .1 is
# 0.30000000000000004 and .8 - .1 is 0.7000000000000001: a progress of .3 or
# .7 still reaches the decimal boundary.
okr_expect "2026-06-04" "$early" 2026-06-04 2026-06-01..2026-06-10 <<'EOF'
{"latest": "2026-06-01..2026-06-10",
 "2026-06-01..2026-06-10": {"state": "running", "expected": 0.4,
     "jun-a": {"status": "on_track"},        # .3 >= .4 - .1
     "jun-b": {"status": "at_risk"},         # .15 >= .4 - .25
     "jun-c": {"status": "off_track"},       # .14
     "jun-d": {"status": "on_track"},
     "jun-O1": {"progress": 1.29/4, "status": "on_track"}}}   # .3225
EOF
okr_expect "2026-06-08" "$early" 2026-06-08 <<'EOF'
{"2026-06-01..2026-06-10": {"expected": 0.8,
     "jun-d": {"status": "on_track"},        # .7 >= .8 - .1
     "jun-a": {"status": "off_track"},       # .3 < .8 - .25
     "jun-O1": {"status": "off_track"}}}
EOF

# ---------------------------------------------------------------- selection, usage
"$OPSBOOK" -C "$site" okrs 2099-Q1 --as-of "$ASOF" >/dev/null 2>"$TMPROOT/err"
check "an unknown quarter is a usage error" test $? -eq 2
check "naming it" grep -q "2099-Q1" "$TMPROOT/err"

# ---------------------------------------------------------------- text output
"$OPSBOOK" -C "$site" okrs --as-of "$ASOF" >"$TMPROOT/okrs.txt" 2>/dev/null
check "okrs prints" test $? -eq 0
check "text: the quarter and its pace" \
    grep -q "^2026-Q4  2026-10-01\.\.2026-12-31  day 51 of 92, expected 55%$" "$TMPROOT/okrs.txt"
check "text: a rolled-up objective" \
    grep -qE "^  co-O1  Grow the business  \(CEO\)$" "$TMPROOT/okrs.txt"
check "text: its progress from aligned objectives" \
    grep -qE "^    \[#####-----\]  54%  on_track  confidence 0\.69  \(from aligned objectives\)$" "$TMPROOT/okrs.txt"
check "text: aligned objectives beneath, two levels" \
    grep -qE "^      sales-eu-O1  Sell more in Europe$" "$TMPROOT/okrs.txt"
check "text: a KR from check-ins, its confidence and trend" \
    grep -qF "[##########] 100%  5.0 -> 1.5 -> 2.0 (check-in)  done  confidence 0.80 up" "$TMPROOT/okrs.txt"
check "text: a KR from a KPI, in its format" \
    grep -qF "€1,000.00 -> €1,500.00 -> €2,000.00 (KPI revenue)  on_track  confidence 0.70" "$TMPROOT/okrs.txt"
check "text: a KR at its baseline shows the baseline as current" \
    grep -qF "1,000.0 -> 1,000.0 -> 2,000.0" "$TMPROOT/okrs.txt"
check "text: staleness" \
    grep -qE "confidence 0\.40 down  no recent check-in$" "$TMPROOT/okrs.txt"
check "text: a grade" grep -qF "ended (green)" "$TMPROOT/okrs.txt"

# ---------------------------------------------------------------- fiscal quarters
# fiscal_year_start 2: 2027-Q1 and FY27-Q1 are both 2026-02-01..2026-04-30
# (28 + 31 + 30 = 89 days), one quarter labelled FY27-Q1; FY27-Q4 is
# 2026-11-01..2027-01-31 (30 + 31 + 31 = 92 days).
okr_expect "fiscal 2026-11-20" "$FISCAL" 2026-11-20 <<'EOF'
{"latest": "FY27-Q4",
 "labels": ["FY27-Q1", "FY27-Q4"],
 "FY27-Q1": {"start": "2026-02-01", "end": "2026-04-30", "state": "ended",
     "order": ["f-O1", "f-O2"],
     # f-O1 has a KR: its own progress (.8), its child listed
     "f-O1": {"children": ["f-O2"], "rolled_up": false, "progress": 0.8,
              "grade": "green"},
     "f-O2": {"parent": "f-O1", "progress": 0.2, "grade": "red"}},
 "FY27-Q4": {"start": "2026-11-01", "end": "2027-01-31", "state": "running",
     "expected": 20/92,
     # no check-in yet: baseline 0; 20/92 - .1 = .117 > 0 >= 20/92 - .25
     "f-kr3": {"current": 0, "current_from": "baseline", "status": "at_risk",
               "no_recent_checkin": true}},     # 19 days >= 14
}
EOF
okr_expect "fiscal 2027-01-02" "$FISCAL" 2027-01-02 FY27-Q4 <<'EOF'
{"latest": "FY27-Q4",
 "FY27-Q4": {"expected": (30 + 31 + 2)/92,
     # 60/100 = .6 >= 63/92 - .1 = .5848: on_track; .5 -> .5 flat
     "f-kr3": {"current": 60, "progress": 0.6, "status": "on_track",
               "confidence": 0.5, "confidence_trend": "flat",
               "last_checkin": "2027-01-02"},
     "f-O3": {"progress": 0.6, "status": "on_track", "confidence": 0.5}}}
EOF
for q in 2027-Q1 FY27-Q1; do
    okr_expect "fiscal select $q" "$FISCAL" 2026-03-01 "$q" <<'EOF'
{"labels": ["FY27-Q1"], "latest": "FY27-Q1",
 # day 28 + 1 = 29 of 89
 "FY27-Q1": {"start": "2026-02-01", "end": "2026-04-30", "expected": 29/89,
     "f-O1": {"status": "on_track"}}}
EOF
done
"$OPSBOOK" -C "$FISCAL" okrs --as-of "$ASOF" >"$TMPROOT/fiscal.txt" 2>/dev/null
check "text: a fiscal label" grep -q "^FY27-Q1  2026-02-01\.\.2026-04-30  ended$" "$TMPROOT/fiscal.txt"

# ---------------------------------------------------------------- okr_rules, start/end
# on_track .05, at_risk .2, checkin_stale 36h = 2 days (rounded up).
# 2026-11-15..2027-02-14: 16 + 31 + 31 + 14 = 92 days.
okr_expect "rules 2026-11-20" "$RULES" 2026-11-20 <<'EOF'
{"latest": "2026-11-15..2027-02-14",
 "labels": ["2026-06-01..2026-06-10", "2026-11-15..2027-02-14"],
 "2026-11-15..2027-02-14": {"start": "2026-11-15", "end": "2027-02-14",
     "state": "running", "expected": 6/92,
     # baseline 0: 0 < 6/92 - .05 = .0152: at_risk; 5 days >= 2, no check-in
     "x-kr1": {"current": 0, "current_from": "baseline", "status": "at_risk",
               "no_recent_checkin": true},
     "x-ms": {"status": "on_track"},
     "x-O1": {"progress": 0.45/2, "status": "on_track"}}}
EOF
okr_expect "rules 2026-11-16" "$RULES" 2026-11-16 <<'EOF'
{"2026-11-15..2027-02-14": {"expected": 2/92,
     "x-ms": {"no_recent_checkin": false}}}      # 1 day < 2
EOF
okr_expect "rules 2026-11-17" "$RULES" 2026-11-17 <<'EOF'
{"2026-11-15..2027-02-14": {"x-ms": {"no_recent_checkin": true}}}   # 2 days
EOF
okr_expect "rules 2027-01-01" "$RULES" 2027-01-01 <<'EOF'
{"2026-11-15..2027-02-14": {"expected": 48/92,    # 16 + 31 + 1
     # 48/92: on_track; .5 -> .7 up
     "x-kr1": {"current": 48, "progress": 48/92, "status": "on_track",
               "confidence": 0.7, "confidence_trend": "up",
               "no_recent_checkin": false},
     # .45 < 48/92 - .05 = .4717 (on_track with the default .10): at_risk
     "x-ms": {"status": "at_risk"},
     # (48/92 + .45) / 2 = .4859 >= .4717
     "x-O1": {"progress": (48/92 + 0.45)/2, "status": "on_track",
              "confidence": 0.7}}}
EOF
okr_expect "rules 2027-01-03" "$RULES" 2027-01-03 <<'EOF'
{"2026-11-15..2027-02-14": {"x-kr1": {"no_recent_checkin": false}}}   # 2 days
EOF
okr_expect "rules 2027-01-04" "$RULES" 2027-01-04 <<'EOF'
{"2026-11-15..2027-02-14": {"expected": 51/92,
     "x-kr1": {"no_recent_checkin": true, "last_checkin": "2027-01-01"}}}  # 3
EOF
okr_expect "rules 2027-02-14" "$RULES" 2027-02-14 <<'EOF'
{"2026-11-15..2027-02-14": {"state": "running", "expected": 1}}
EOF
okr_expect "rules 2027-02-15" "$RULES" 2027-02-15 <<'EOF'
{"2026-11-15..2027-02-14": {"state": "ended", "expected": 1,
     "x-kr1": {"grade": "yellow"},                       # 48/92 = .52
     "x-O1": {"progress": (48/92 + 0.45)/2, "grade": "yellow"}}}
EOF
# Ten days with the custom tolerances: .2 - .05 is 0.15000000000000002,
# .8 - .2 is 0.6000000000000001 in doubles.
okr_expect "rules 2026-06-02" "$RULES" 2026-06-02 <<'EOF'
{"latest": "2026-06-01..2026-06-10",
 "2026-06-01..2026-06-10": {"expected": 0.2,
     "t-a": {"status": "on_track"},      # .15 >= .2 - .05
     "t-b": {"status": "at_risk"},       # 0 >= .2 - .2
     "t-c": {"status": "on_track"},
     "t-O1": {"progress": 0.375, "status": "on_track"}}}
EOF
okr_expect "rules 2026-06-08" "$RULES" 2026-06-08 <<'EOF'
{"2026-06-01..2026-06-10": {"expected": 0.8,
     "t-a": {"status": "off_track"},
     "t-c": {"status": "at_risk"},       # .6 >= .8 - .2
     "t-d": {"status": "on_track"},      # .75 >= .8 - .05
     "t-O1": {"status": "off_track"}}}
EOF

# ---------------------------------------------------------------- all problems
# Every problem of opsbook.yaml and its KPI and OKR files is reported
# together; data files (sources, check-in CSVs) are read once those are
# valid, as for KPIs (README). Several problems of one OKR file:
bad=$(fresh_site "$TESTS/errors/okr-checkin-file/site")
sed -i 's/target: 10}/target: 10, weight: 0, confidence: 2}/' "$bad/data/okrs/q4.yaml"
"$OPSBOOK" -C "$bad" check --as-of "$ASOF" 2>"$TMPROOT/err"
check "a problem of an OKR file is reported" \
    grep -q "^data/okrs/q4.yaml:7:.*a weight must be more than 0" "$TMPROOT/err"
check "with the others of the file" \
    grep -q "^data/okrs/q4.yaml:7:.*unknown key 'confidence' in a key result" "$TMPROOT/err"
check "and no data file is read meanwhile" \
    sh -c "! grep -q '^data/checkins.csv' '$TMPROOT/err'"
# A group without rows up to as_of is a warning (an error with --strict):
# a key result on a region without data yet must not stop the nightly build.
grp=$(fresh_site "$TESTS/errors/okr-kpi-group/site")
"$OPSBOOK" -C "$grp" check --as-of "$ASOF" 2>"$TMPROOT/err"
check "a KPI group without rows is a warning" \
    grep -q "^data/okrs/q4.yaml:7:85: warning: KPI 'revenue' has no rows for group 'apac'" "$TMPROOT/err"

report
