#!/usr/bin/env python3
"""warehouse_sites.py: the data and sites of tests/e2e/warehouse.sh.
Python 3 stdlib only; deterministic (fixed seed).

  warehouse_sites.py DIR [--rows N] [--timezone TZ] [--fiscal M] [--dsn-env NAME]
  warehouse_sites.py --compare A B

--compare: two `kpi --csv` outputs (kpi,period,group,value) or two
OUT/kpis folders must hold the same keys in the same order and the same
values: counts byte for byte, other numbers within a relative 1e-12 (a
warehouse adds floats in its own order: a sort before an ordered-set
aggregate, parallel workers; opsbook adds a CSV's in file order). Prints
the differences and how many values were byte-identical; exits 1 on a
difference.

Writes:
- DIR/events.csv: N rows (default 100,000) shaped like the bench's events
  (ts, user_id, feature, plan, country, duration_s) plus an NPS score, a
  boolean and a signup date: times sorted over 2025-12-01..2026-03-20,
  mostly UTC with some other offsets, a few empty cells in every column
  (the time too), a plan holding a quote;
- DIR/load.sql: CREATE TABLE events (typed) + COPY FROM STDIN, for psql;
- DIR/csv/ and DIR/pg/: two sites with the same KPIs (every measure, every
  grain, `by`, the `where` language, an expression argument, a formula)
  over a CSV source and over a postgres source (dsn: ${NAME}) on the same
  rows. Their `kpi --csv` and OUT/kpis/*.csv must be equal.
"""
import argparse
import datetime
import os
import random

PLANS = ["free", "pro", "team", "enterprise", "", "o'brien \"plan\""]
PLAN_W = [50, 25, 12, 6, 3, 1]
COUNTRIES = ["US", "DE", "FR", "JP", "BR", "IN"]
FEATURES = ["search", "export", "sharing", "dashboard", "api"]
START = datetime.datetime(2025, 12, 1)
SPAN_DAYS = 110


def gen_rows(n, rng):
    users = ["u%05d" % i for i in range(max(50, n // 40))]
    signup = {u: (START - datetime.timedelta(days=rng.randrange(0, 400))).date()
              for u in users}
    plan_of = {u: rng.choices(PLANS, PLAN_W)[0] for u in users}
    secs = sorted(rng.randrange(SPAN_DAYS * 86400) for _ in range(n))
    rows = []
    for s in secs:
        u = users[min(len(users) - 1, int(rng.paretovariate(1.2)) - 1)
                  if rng.random() < 0.3 else rng.randrange(len(users))]
        t = START + datetime.timedelta(seconds=s)
        r = rng.random()
        if r < 0.05:
            # the same instant written with another offset
            h = rng.choice([2, -5, 9])
            lt = t + datetime.timedelta(hours=h)
            ts = lt.strftime("%Y-%m-%dT%H:%M:%S") + ("+%02d:00" % h if h > 0 else "-%02d:00" % -h)
        else:
            ts = t.strftime("%Y-%m-%dT%H:%M:%SZ")
        if rng.random() < 0.001:
            ts = ""  # no time: belongs to no period
        dur = "%.1f" % min(14400.0, rng.lognormvariate(5.0, 1.1))
        if rng.random() < 0.01:
            dur = ""
        score = str(rng.choices(range(11), [4, 2, 2, 3, 3, 5, 7, 12, 18, 20, 24])[0]) \
            if rng.random() < 0.2 else ""
        conv = rng.choice(["true", "false", "false", ""]) if rng.random() < 0.5 else ""
        country = rng.choice(COUNTRIES) if rng.random() > 0.005 else ""
        rows.append([ts, u, rng.choice(FEATURES), plan_of[u], country, dur, score, conv,
                     signup[u].isoformat()])
    return rows


def csv_field(s):
    if any(c in s for c in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


HEADER = ["ts", "user_id", "feature", "plan", "country", "duration_s", "score",
          "converted", "signup_day"]

KPIS = [
    # every grain
    ("rows_day", "count()", None, "day", None),
    ("rows_week", "count()", None, "week", None),
    ("rows_month", "count()", None, "month", None),
    ("rows_quarter", "count()", None, "quarter", None),
    ("rows_year", "count()", None, "year", None),
    ("rows_by_plan", "count()", None, "week", "plan"),
    # measures
    ("wau", "count_distinct(user_id)", None, "week", None),
    ("mau_country", "count_distinct(user_id)", None, "month", "country"),
    ("time_plan", "sum(duration_s)", None, "month", "plan"),
    ("avg_dur", "avg(duration_s)", None, "week", None),
    ("min_dur", "min(duration_s)", None, "quarter", "country"),
    ("max_dur", "max(duration_s)", None, "quarter", None),
    ("median_dur", "median(duration_s)", None, "month", None),
    ("p75_dur", "p75(duration_s)", None, "month", "plan"),
    ("p90_dur", "p90(duration_s)", None, "week", None),
    ("p95_dur", "p95(duration_s)", None, "quarter", None),
    ("p99_dur", "p99(duration_s)", None, "year", None),
    ("nps", "nps(score)", None, "month", None),
    ("nps_plan", "nps(score)", None, "quarter", "plan"),
    ("conv_rate", "rate(converted == true)", None, "month", None),
    ("long_rate", "rate(duration_s > 300)", None, "week", "plan"),
    ("last_dur", "last(duration_s)", None, "month", "feature"),
    ("new_users", "new_distinct(user_id)", None, "month", None),
    ("retained_users", "retained_distinct(user_id)", None, "week", None),
    ("churned_users", "churned_distinct(user_id)", None, "month", "plan"),
    ("new_by_country", "new_distinct(user_id)", None, "week", "country"),
    # expressions
    ("minutes", "sum(duration_s / 60)", None, "month", None),
    ("scaled", "avg(duration_s * 2 - 1)", None, "month", None),
    ("by_zero", "sum(duration_s / (score - score))", None, "month", None),
    ("age_days", "avg(days_between(signup_day, ts))", None, "month", None),
    ("age_hours", "max(hours_between(signup_day, ts))", None, "quarter", None),
    # where forms
    ("paid", "count()", 'plan != "free"', "week", None),
    ("pro_team", "count_distinct(user_id)", 'plan in ["pro", "team"]', "month", "country"),
    ("long_not_us", "sum(duration_s)", 'duration_s >= 60 and not (country == "US")', "month", None),
    ("no_plan", "count()", "plan is empty", "month", None),
    ("scored_or_conv", "count()", "score is not empty or converted", "week", None),
    ("march", "count()", "ts >= 2026-03-01", "day", None),
    ("march_str", "count()", 'ts < "2026-03-01T12:30:00"', "month", None),
    ("old_signup", "avg(duration_s)", 'signup_day < "2025-06-01"', "month", "plan"),
    ("aged", "count_distinct(user_id)", "days_between(signup_day, ts) > 200", "month", None),
    ("empty_rate", "rate(country == \"DE\")", "score >= 9 or score <= 2", "month", None),
    ("quote_plan", "count()", "plan == \"o'brien \\\"plan\\\"\"", "month", None),
    ("byte_order", "count()", 'plan > "Z" and plan < "q"', "month", "plan"),
    ("no_splice", "count()", "plan == \"x'; DROP TABLE events; --\"", "month", None),
    ("nps_where", "nps(score)", 'feature in ["search", "export"]', "month", "plan"),
    ("p50_where", "median(duration_s)", 'country != "US"', "week", None),
    ("last_where", "last(score)", "converted", "month", None),
    ("churn_where", "churned_distinct(user_id)", 'feature == "export"', "week", None),
]
FORMULAS = [
    ("wau_growth", "wau / prev(wau) - 1", "week", None),
    ("paid_share", "paid / rows_week", "week", None),
]


def yaml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_site(path, source, tz, fiscal):
    os.makedirs(path, exist_ok=True)
    lines = ["site: {title: Warehouse check, timezone: %s, fiscal_year_start: %d}"
             % (tz, fiscal), "sources:", "  events:"]
    lines += ["    " + l for l in source]
    lines.append("kpis:")
    for kid, measure, where, grain, by in KPIS:
        lines.append("  - id: " + kid)
        lines.append("    title: " + kid)
        lines.append("    source: events")
        lines.append("    measure: " + yaml_str(measure))
        if where:
            lines.append("    where: " + yaml_str(where))
        lines.append("    grain: " + grain)
        if by:
            lines.append("    by: " + by)
    for kid, formula, grain, by in FORMULAS:
        lines += ["  - id: " + kid, "    title: " + kid, "    formula: " + yaml_str(formula),
                  "    grain: " + grain]
    with open(os.path.join(path, "opsbook.yaml"), "w") as f:
        f.write("\n".join(lines) + "\n")


def read_rows(path):
    """A kpi --csv file, or an OUT/kpis folder's ID.csv files, as rows."""
    import csv as csvmod
    rows = []
    if os.path.isdir(path):
        for name in sorted(os.listdir(path)):
            if name.endswith(".csv"):
                with open(os.path.join(path, name), newline="") as f:
                    rows += [[name] + r for r in csvmod.reader(f)]
        return rows
    with open(path, newline="") as f:
        return list(csvmod.reader(f))


def compare(a, b):
    ra, rb = read_rows(a), read_rows(b)
    diffs, same, close = [], 0, 0
    if len(ra) != len(rb):
        diffs.append("%d rows against %d" % (len(ra), len(rb)))
    for x, y in zip(ra, rb):
        if x == y:
            same += 1
            continue
        if x[:-1] != y[:-1]:
            diffs.append("keys differ: %s | %s" % (x, y))
            continue
        try:
            u, v = float(x[-1]), float(y[-1])
        except ValueError:
            diffs.append("values differ: %s | %s" % (x, y))
            continue
        if abs(u - v) <= 1e-12 * max(abs(u), abs(v)):
            close += 1
        else:
            diffs.append("values differ: %s | %s" % (x, y))
    for d in diffs[:40]:
        print(d)
    print("%d rows: %d identical, %d within 1e-12, %d differences"
          % (len(ra), same, close, len(diffs)))
    return 1 if diffs or not ra else 0


def main():
    import sys
    if len(sys.argv) == 4 and sys.argv[1] == "--compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--rows", type=int, default=100000)
    ap.add_argument("--timezone", default="UTC")
    ap.add_argument("--fiscal", type=int, default=1)
    ap.add_argument("--dsn-env", default="WAREHOUSE_DSN")
    ap.add_argument("--seed", type=int, default=14)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    rows = gen_rows(a.rows, rng)
    os.makedirs(a.dir, exist_ok=True)
    text = ",".join(HEADER) + "\n" + "".join(
        ",".join(csv_field(c) for c in r) + "\n" for r in rows)
    with open(os.path.join(a.dir, "events.csv"), "w") as f:
        f.write(text)
    with open(os.path.join(a.dir, "load.sql"), "w") as f:
        f.write("DROP TABLE IF EXISTS events;\n"
                "CREATE TABLE events (ts timestamptz, user_id text, feature text, "
                "plan text, country text, duration_s float8, score int, "
                "converted boolean, signup_day date);\n"
                "SET TimeZone = 'UTC';\n"
                "\\copy events FROM '%s' WITH (FORMAT csv, HEADER true)\n"
                "ANALYZE events;\n" % os.path.join(os.path.abspath(a.dir), "events.csv"))
    csv_dir = os.path.join(a.dir, "csv")
    write_site(csv_dir, ["path: data/events.csv", "time: ts"], a.timezone, a.fiscal)
    os.makedirs(os.path.join(csv_dir, "data"), exist_ok=True)
    with open(os.path.join(csv_dir, "data", "events.csv"), "w") as f:
        f.write(text)
    write_site(os.path.join(a.dir, "pg"),
               ["type: postgres", "dsn: ${%s}" % a.dsn_env, "table: events",
                "time: ts", "statement_timeout: 120s"], a.timezone, a.fiscal)


if __name__ == "__main__":
    main()
