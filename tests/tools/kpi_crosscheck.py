#!/usr/bin/env python3
"""kpi_crosscheck.py: checks opsbook's KPI series against DuckDB on a
generated site. Python 3 stdlib only.

  kpi_crosscheck.py [--seed N] [--rows N] [--timezone TZ] [--keep DIR]

Generates, with a fixed seed, a site in a temporary folder (DIR with
--keep, which must not exist yet):
- data/events-1.csv and events-2.csv (one source through a glob; the
  second with CRLF): ~20,000 rows from 2024-02-20 to 2026-03-10, sorted
  by time: a leap day, ISO week 2025-W01 starting 2024-12-30, two year
  ends, whole weeks, a whole month and single days without rows, groups
  absent from some periods, runs of rows at one instant (last() ties, one
  across the two files), times with Z, with other offsets and without
  one, instants placed on both sides of the as-of day's end, rows with
  an empty time, empty cells (quoted or not) in every column, a percent
  column, rows past as_of;
- data/daily.csv.gz: a DATE time column, newest day first, several rows a
  day, gzipped, with a BOM, ';' and decimal commas;
- opsbook.yaml (site.timezone from --timezone, default UTC;
  fiscal_year_start 1) whose ~110 KPIs use every measure, every grain,
  `by` (string, number, boolean and date columns), the whole `where`
  language and every formula function (coverage() checks this).
The same KPIs are written as DuckDB SQL (a view per KPI, see catalog()),
independently of opsbook.

Then runs `$OPSBOOK build --as-of 2026-03-05` (and `kpi --csv`, which
must print the same series) and DuckDB (tests/tools/duckdb.js, with
@duckdb/node-api from $DUCKDB_NODE), and compares every KPI: the same
(period, group) keys, values within a relative 1e-9 (absolute 1e-12 near
zero). Prints one line per KPI and the differences; exits 0 when all
match, 1 on a mismatch or an opsbook failure, 2 when the environment is
wrong (no OPSBOOK, DuckDB missing or failing).

How the SQL reads the SPEC ("Time", "KPIs") where it leaves room, as the
bench's ext set does (shared/bench/README.md):
- rows after the end of the as-of day (in site.timezone) and rows with
  an empty time cell belong to no period; `where` keeps only rows where
  it is true (SQL three-valued logic); aggregates skip empty cells.
- a measure's series is exactly the (period, group) pairs GROUP BY gives
  over the kept rows; a pair without a value (an average over empty cells,
  a rate with no true/false row) is left out; an empty `by` cell (quoted or
  not) is the group "(empty)".
- last(x) skips empty x like every aggregate, and of the rows at the
  latest time takes the last one in file order.
- new_distinct: values whose first period (in the group, after `where`) is
  this one; retained/churned compare a period with the calendar period
  before it, in the same group (0 when that one has no rows).
- formulas: a value only where every operand has one, no value for a
  division by zero; prev(K, n) and rolling(K, n) count calendar periods
  and rolling needs all n; cumsum(K) has rows where K has; avg/sum/min/
  max/last(K) aggregate the rows of a finer K (in the same group) whose
  period starts inside the formula's period; an operand without `by`
  applies to every group.
"""
import csv
import datetime
import gzip
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
DUCKDB_JS = os.path.join(HERE, "duckdb.js")

AS_OF = "2026-03-05"
ZONE = "UTC"  # site.timezone; --timezone changes it
FIRST_DAY = datetime.date(2024, 2, 20)  # 2024-02-29 is inside
LAST_DAY = datetime.date(2026, 3, 10)   # past as_of on purpose
REL_TOL = 1e-9
ABS_TOL = 1e-12
MAX_DIFFS = 12  # differences printed per KPI
TIMEOUT = 120   # seconds for each command

# ---------------------------------------------------------------- the data

PLANS = ["free", "pro", "team", "enterprise"]
FEATURES = ["search", "export", "sharing", "dashboard", "api", "search, advanced", "import"]
FEATURE_W = [30, 12, 10, 20, 8, 6, 4]
TEAMS = ["web", "mobile", "data", ""]


def gap_days():
    """Days without any event: whole ISO weeks (two in a row), a whole
    month, and some single days (never around the 2024/2025 year end)."""
    gaps = set()
    for monday in (datetime.date(2024, 6, 10), datetime.date(2024, 6, 17),
                   datetime.date(2025, 8, 4), datetime.date(2025, 11, 17)):
        for i in range(7):
            gaps.add(monday + datetime.timedelta(days=i))
    d = datetime.date(2024, 10, 1)
    while d.month == 10:
        gaps.add(d)
        d += datetime.timedelta(days=1)
    for d in (datetime.date(2024, 3, 3), datetime.date(2024, 5, 1), datetime.date(2025, 2, 2),
              datetime.date(2025, 4, 13), datetime.date(2025, 7, 14), datetime.date(2026, 1, 11),
              datetime.date(2026, 2, 28)):
        gaps.add(d)
    return gaps


def local_wall(dt):
    """The wall-clock time in ZONE of the UTC instant dt (naive), or None
    where that wall time is ambiguous or skipped (a DST change)."""
    zone = zoneinfo.ZoneInfo(ZONE)
    wall = dt.replace(tzinfo=datetime.timezone.utc).astimezone(zone).replace(tzinfo=None)
    back = {wall.replace(tzinfo=zone, fold=f).astimezone(datetime.timezone.utc).replace(tzinfo=None)
            for f in (0, 1)}
    return wall if back == {dt} else None


def fmt_ts(rng, dt, millis):
    """A UTC instant as ISO 8601: mostly with Z, sometimes without an offset
    (wall time in site.timezone) or with another offset (the same instant)."""
    r = rng.random()
    suffix = "Z"
    if r < 0.04 and local_wall(dt) is not None:
        dt, suffix = local_wall(dt), ""
    elif 0.04 <= r < 0.12:
        sign = rng.choice([1, -1])
        hh, mm = rng.randint(0, 13), rng.choice([0, 0, 30, 45])
        dt = dt + sign * datetime.timedelta(hours=hh, minutes=mm)
        sign = "+" if sign > 0 else "-"
        suffix = rng.choice(["%s%02d:%02d" % (sign, hh, mm), "%s%02d%02d" % (sign, hh, mm)])
        if mm == 0 and rng.random() < 0.3:
            suffix = "%s%02d" % (sign, hh)
    s = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if millis:
        s += ".%03d" % millis
    return s + suffix


def fmt_ts_z(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def gen_events(rng, n_rows):
    days = (LAST_DAY - FIRST_DAY).days + 1
    gaps = gap_days()
    n_users = max(50, n_rows // 28)
    users = []
    for i in range(n_users):
        join = 0 if rng.random() < 0.25 else rng.randrange(days)
        life = int(rng.expovariate(1 / 250.0)) + 7
        plan = rng.choices(PLANS, [50, 30, 15, 5])[0]
        users.append(("u%04d" % (i + 1), join, join + life, plan, 1.0 / (i + 1) ** 0.7))
    # rows a day grow over time; scaled so that the whole file has ~n_rows
    live_days = [d for d in range(days) if FIRST_DAY + datetime.timedelta(days=d) not in gaps]
    weights = {d: 1.0 + 1.6 * d / days for d in live_days}
    scale = n_rows / sum(weights.values())
    rows = []
    for d in live_days:
        day = FIRST_DAY + datetime.timedelta(days=d)
        active = [u for u in users if u[1] <= d <= u[2]] or users[:5]
        n = max(1, int(round(rng.gauss(weights[d] * scale, 3))))
        picks = rng.choices(active, [u[4] for u in active], k=n)
        secs = sorted(rng.randrange(86400) for _ in range(n))
        prev = None
        for u, s in zip(picks, secs):
            if prev is not None and rng.random() < 0.07:
                t = prev  # the same instant as the row before: last() ties
            else:
                midnight = datetime.datetime.combine(day, datetime.time())
                t = (midnight + datetime.timedelta(seconds=s),
                     rng.randrange(1, 1000) if rng.random() < 0.03 else 0)
            prev = t
            rows.append(event_row(rng, day, t, u))
    # Instants at the edges, written so that the local text and the UTC
    # instant fall on different sides: the last instant of the as-of day
    # counts, the first one after it does not; year and week ends.
    for utc, text in (("2026-03-05T23:59:59", "2026-03-05T23:59:59Z"),
                      ("2026-03-05T23:00:00", "2026-03-06T01:00:00+02:00"),
                      ("2026-03-06T00:00:00", "2026-03-05T20:00:00-04:00"),
                      ("2026-03-06T00:00:00", "2026-03-06T00:00:00Z"),
                      ("2024-12-31T23:30:00", "2025-01-01T00:30:00+01:00"),
                      ("2025-01-01T00:15:00", "2024-12-31T19:15:00-0500"),
                      ("2025-12-28T23:45:00", "2025-12-29T09:45:00+10"),
                      ("2024-02-29T23:59:59.5", "2024-02-29T23:59:59.500Z")):
        dt = datetime.datetime.fromisoformat(utc)
        t = (dt.replace(microsecond=0), dt.microsecond // 1000)
        rows.append(event_row(rng, dt.date(), t, users[1], text))
    # the same in site.timezone, written in UTC: the last second of the
    # as-of day, the first one after it, the first second of 2025
    zone = zoneinfo.ZoneInfo(ZONE)
    for day, delta in ((datetime.date(2026, 3, 6), -1), (datetime.date(2026, 3, 6), 0),
                       (datetime.date(2025, 1, 1), 0), (datetime.date(2025, 1, 1), -1)):
        start = datetime.datetime.combine(day, datetime.time(), zone)
        dt = (start.astimezone(datetime.timezone.utc).replace(tzinfo=None)
              + datetime.timedelta(seconds=delta))
        rows.append(event_row(rng, dt.date(), (dt, 0), users[2], fmt_ts_z(dt)))
    rows.sort(key=lambda r: r[0])  # stable: ties keep their order
    out = [r[1] for r in rows]
    for _ in range(12):  # rows whose time cell is empty, anywhere
        r = event_row(rng, FIRST_DAY, (datetime.datetime(2025, 1, 1), 0), rng.choice(users))[1]
        r[0] = ""
        out.insert(rng.randrange(len(out) + 1), r)
    return out


def event_row(rng, day, t, u, text=None):
    dt, millis = t
    user = "" if rng.random() < 0.03 else u[0]
    plan = u[3]
    if plan == "enterprise" and day < datetime.date(2025, 5, 1):
        plan = "team"  # no enterprise group before May 2025
    r = rng.random()
    if r < 0.03:
        plan = "" if r < 0.015 else '""'  # empty, quoted or not
    elif r < 0.08:
        plan = rng.choice(PLANS[:3])
    feature = rng.choices(FEATURES, FEATURE_W)[0]
    if feature == "search, advanced":
        feature = '"search, advanced"'
    amount = ""
    if rng.random() < 0.75:
        cents = rng.randint(-30000, 90000)
        amount = "%d" % (cents // 100) if rng.random() < 0.1 else "%.2f" % (cents / 100)
    score = ""
    if rng.random() < 0.65:
        score = str(rng.choices(range(11), [3, 2, 2, 3, 3, 5, 6, 9, 12, 14, 12])[0])
    flag = rng.choices(["true", "false", ""], [40, 40, 20])[0]
    day2 = ""
    if rng.random() < 0.85:
        day2 = (day + datetime.timedelta(days=rng.randint(-90, 30))).isoformat()
    pct = "%.1f%%" % rng.uniform(0, 100) if rng.random() < 0.6 else ""
    ts = text or fmt_ts(rng, dt, millis)
    return ((dt, millis), [ts, user, plan, feature, amount, score, flag, day2, pct])


def gen_daily(rng):
    """data/daily.csv: day (a DATE time column), newest day first, 0-3 rows a
    day (several rows of one day: last() takes the last in file order)."""
    rows = []
    d = FIRST_DAY
    while d <= LAST_DAY:
        if rng.random() > 0.12:
            for _ in range(rng.choice([1, 1, 2, 3])):
                value = "" if rng.random() < 0.1 else "%.1f" % rng.uniform(-5, 50)
                due = ""
                if rng.random() >= 0.2:
                    due = (d + datetime.timedelta(days=rng.randint(-5, 40))).isoformat()
                team = rng.choice(TEAMS)
                rows.append([d.isoformat(), team, value, due])
        d += datetime.timedelta(days=1)
    rows.reverse()  # newest day first, like many exports
    for _ in range(3):
        rows.insert(rng.randrange(len(rows)), ["", "web", "1.0", ""])
    return rows


EVENTS_HEADER = ["seq", "ts", "user", "plan", "feature", "amount", "score", "flag", "day2", "pct"]
DAILY_HEADER = ["seq", "day", "team", "value", "due"]


def csv_text(header, rows, first=1, delim=",", eol="\n"):
    """Cells are written as given (the generator quotes where it wants),
    after a `seq` column numbering the rows in file order from `first`."""
    return "".join(delim.join(r) + eol for r in
                   [header] + [[str(first + i)] + r for i, r in enumerate(rows)])


def write_site_data(data, events, daily):
    """events in two files read through a glob (the second with CRLF line
    ends, split inside a run of rows at one instant); daily gzipped, with a
    BOM, ';' and decimal commas, like a French export."""
    cut = len(events) // 2
    while cut < len(events) - 1 and not (events[cut][0] and events[cut][0] == events[cut - 1][0]):
        cut += 1
    with open(os.path.join(data, "events-1.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(csv_text(EVENTS_HEADER, events[:cut]))
    with open(os.path.join(data, "events-2.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(csv_text(EVENTS_HEADER, events[cut:], first=cut + 1, eol="\r\n"))
    french = [[day, team, value.replace(".", ","), due] for day, team, value, due in daily]
    text = "\ufeff" + csv_text(DAILY_HEADER, french, delim=";")
    with open(os.path.join(data, "daily.csv.gz"), "wb") as f:
        f.write(gzip.compress(text.encode("utf-8"), mtime=0))


# ------------------------------------------------------ the KPIs, twice

GRAINS = ("day", "week", "month", "quarter", "year")
SOURCES = {"events": ("ev", "ts"), "daily": ("dl", "day")}


MEASURES = ("count", "count_distinct", "sum", "avg", "min", "max", "median", "p75", "p90", "p95",
            "p99", "nps", "rate", "last", "new_distinct", "retained_distinct", "churned_distinct")
FUNCTIONS = ("prev", "cumsum", "rolling", "avg", "sum", "min", "max", "last")


class Kpi:
    def __init__(self, kid, grain, by, yaml, sql, kind, formula=None):
        self.id, self.grain, self.by, self.yaml, self.sql = kid, grain, by, yaml, sql
        self.kind, self.formula = kind, formula


def yq(s):
    return "'" + s.replace("'", "''") + "'"


def shift(p, grain, n):
    """The period n periods after p (n < 0: before), as SQL."""
    if grain == "day":
        return "(%s + INTERVAL (%d) DAY)::DATE" % (p, n)
    if grain == "week":
        return "(%s + INTERVAL (%d) DAY)::DATE" % (p, 7 * n)
    months = {"month": 1, "quarter": 3, "year": 12}[grain] * n
    return "(%s + INTERVAL (%d) MONTH)::DATE" % (p, months)


QUANTILES = {"median": 0.5, "p75": 0.75, "p90": 0.9, "p95": 0.95, "p99": 0.99}


def measure_sql(source, grain, by, where, kind, x):
    """A measure's series as SQL: (period, grp, value), value never NULL."""
    table, tcol = SOURCES[source]
    grp = "coalesce(%s::VARCHAR, '(empty)')" % by if by else "''"
    rows = ("SELECT date_trunc('%s', %s)::DATE AS period, %s AS grp, %s AS x, tkey FROM %s WHERE %s"
            % (grain, tcol, grp, x or "NULL", table, where or "true"))
    if kind in ("new_distinct", "retained_distinct", "churned_distinct"):
        pairs = "SELECT DISTINCT period, grp FROM r"
        if kind == "new_distinct":
            body = ("SELECT p.period, p.grp, count(f.x) AS value FROM (%s) p "
                    "LEFT JOIN (SELECT grp, x, min(period) AS period FROM r WHERE x IS NOT NULL "
                    "GROUP BY grp, x) f ON f.period = p.period AND f.grp = p.grp "
                    "GROUP BY p.period, p.grp" % pairs)
        else:
            keep = "b.x IS NOT NULL" if kind == "retained_distinct" else "b.x IS NULL"
            body = ("SELECT p.period, p.grp, count(a.x) FILTER (WHERE %s) AS value FROM (%s) p "
                    "LEFT JOIN s a ON a.grp = p.grp AND a.period = %s "
                    "LEFT JOIN s b ON b.grp = p.grp AND b.period = p.period AND b.x = a.x "
                    "GROUP BY p.period, p.grp" % (keep, pairs, shift("p.period", grain, -1)))
        return ("WITH r AS (%s), s AS (SELECT DISTINCT period, grp, x FROM r WHERE x IS NOT NULL) "
                "SELECT period, grp, value::DOUBLE AS value FROM (%s)" % (rows, body))
    if kind == "count":
        agg = "count(*)"
    elif kind == "count_distinct":
        agg = "count(DISTINCT x)"
    elif kind == "sum":
        agg = "kahan_sum(x)"
    elif kind in ("avg", "min", "max"):
        agg = "%s(x)" % kind
    elif kind in QUANTILES:
        agg = "quantile_cont(x, %s)" % QUANTILES[kind]
    elif kind == "nps":
        agg = ("100.0 * (count(*) FILTER (WHERE x >= 9) - count(*) FILTER (WHERE x <= 6))"
               " / NULLIF(count(x), 0)")
    elif kind == "rate":  # true / (true + false); unknown counts neither way
        agg = "count(*) FILTER (WHERE x) / NULLIF(count(x), 0)"
    elif kind == "last":  # the latest time, then the last row in file order
        agg = "arg_max(x, tkey) FILTER (WHERE x IS NOT NULL)"
    else:
        raise ValueError(kind)
    return ("SELECT * FROM (SELECT period, grp, (%s)::DOUBLE AS value FROM (%s) "
            "GROUP BY period, grp) WHERE value IS NOT NULL" % (agg, rows))


class Catalog:
    def __init__(self):
        self.kpis = []
        self.by_id = {}
        self.expect_empty = set()

    def add(self, k):
        assert k.id not in self.by_id, k.id
        self.kpis.append(k)
        self.by_id[k.id] = k

    def m(self, kid, source, measure, grain, x=None, by=None, where=None, w=None, empty=False):
        """A measure KPI: `measure` and `where` for opsbook, `x` (the
        argument) and `w` (the filter) in SQL."""
        kind = measure.split("(", 1)[0]
        fields = ["id: %s" % kid, "title: %s" % kid, "source: %s" % source,
                  "measure: %s" % yq(measure), "grain: %s" % grain]
        if by:
            fields.append("by: %s" % by)
        if where:
            fields.append("where: %s" % yq(where))
        self.add(Kpi(kid, grain, by, "{%s}" % ", ".join(fields),
                     measure_sql(source, grain, by, w, kind, x), kind))
        if empty:
            self.expect_empty.add(kid)

    # operands of formulas: (SQL of a (period, grp, value) relation, grouped)
    def k(self, kid):
        return ("(SELECT period, grp, value FROM k_%s)" % kid, bool(self.by_id[kid].by))

    def prev(self, kid, n=1):
        g = self.by_id[kid].grain
        return ("(SELECT %s AS period, grp, value FROM k_%s)" % (shift("period", g, n), kid),
                bool(self.by_id[kid].by))

    def cumsum(self, kid):
        return ("(SELECT period, grp, sum(value) OVER (PARTITION BY grp ORDER BY period "
                "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS value FROM k_%s)" % kid,
                bool(self.by_id[kid].by))

    def rolling(self, kid, n):
        g = self.by_id[kid].grain
        return ("(SELECT a.period, a.grp, avg(b.value) AS value FROM k_%s a JOIN k_%s b "
                "ON b.grp = a.grp AND b.period BETWEEN %s AND a.period "
                "GROUP BY a.period, a.grp HAVING count(*) = %d)"
                % (kid, kid, shift("a.period", g, -(n - 1)), n), bool(self.by_id[kid].by))

    def agg(self, fn, kid, grain):
        a = "arg_max(value, period)" if fn == "last" else "%s(value)" % fn
        return ("(SELECT date_trunc('%s', period)::DATE AS period, grp, %s AS value FROM k_%s "
                "GROUP BY ALL)" % (grain, a, kid), bool(self.by_id[kid].by))

    def f(self, kid, grain, formula, ops, expr, by=None, empty=False):
        """A formula KPI: `formula` for opsbook; in SQL the operands `ops`
        joined on the period (and the group, between grouped ones) and
        `expr` over their values {0}, {1}, ..."""
        anchor = next((i for i, (_, g) in enumerate(ops) if g), 0) if by else 0
        joins = "%s o%d" % (ops[anchor][0], anchor)
        for i, (sql, grouped) in enumerate(ops):
            if i == anchor:
                continue
            on = "o%d.period = o%d.period" % (i, anchor)
            if grouped and ops[anchor][1]:
                on += " AND o%d.grp = o%d.grp" % (i, anchor)
            joins += " JOIN %s o%d ON %s" % (sql, i, on)
        value = expr.format(*["o%d.value" % i for i in range(len(ops))])
        grp = "o%d.grp" % anchor if by else "''"
        sql = ("SELECT * FROM (SELECT o%d.period AS period, %s AS grp, (%s)::DOUBLE AS value "
               "FROM %s) WHERE value IS NOT NULL AND isfinite(value)"
               % (anchor, grp, value, joins))
        fields = ["id: %s" % kid, "title: %s" % kid, "formula: %s" % yq(formula),
                  "grain: %s" % grain]
        if by:
            fields.append("by: %s" % by)
        self.add(Kpi(kid, grain, by, "{%s}" % ", ".join(fields), sql, "formula", formula))
        if empty:
            self.expect_empty.add(kid)


def catalog():
    c = Catalog()
    m, f = c.m, c.f
    # --- events: count and count_distinct, every grain
    m("rows_d", "events", "count()", "day")
    m("rows_w", "events", "count()", "week")
    m("rows_m", "events", "count()", "month")
    m("rows_m_plan", "events", "count()", "month", by="plan")
    m("users_d", "events", "count_distinct(user)", "day", x='"user"')
    m("users_w", "events", "count_distinct(user)", "week", x='"user"')
    m("users_m", "events", "count_distinct(user)", "month", x='"user"')
    m("users_q_plan", "events", "count_distinct(user)", "quarter", x='"user"', by="plan")
    m("users_y", "events", "count_distinct(user)", "year", x='"user"')
    m("features_y_plan", "events", "count_distinct(feature)", "year", x="feature", by="plan",
      where="amount > 0", w="amount > 0")
    m("scores_m", "events", "count_distinct(score)", "month", x="score")
    # --- sum, avg, min, max, with expressions as arguments
    m("amount_sum_m", "events", "sum(amount)", "month", x="amount")
    m("amount_sum_m_plan", "events", "sum(amount)", "month", x="amount", by="plan")
    m("amount_sum_d_plan", "events", "sum(amount)", "day", x="amount", by="plan")
    m("amount2_sum_w", "events", "sum(amount * 2 - 1)", "week", x="amount * 2 - 1",
      where="ts >= 2025-06-01", w="ts >= TIMESTAMP '2025-06-01'")
    m("amount_avg_q_feature", "events", "avg(amount)", "quarter", x="amount", by="feature")
    m("amount_avg_w", "events", "avg(amount)", "week", x="amount",
      where="score is not empty and flag != false", w="score IS NOT NULL AND flag != false")
    m("amount_min_y", "events", "min(amount)", "year", x="amount")
    m("mixed_min_w", "events", "min(amount + score * 10)", "week", x="amount + score * 10")
    m("amount_max_w_plan", "events", "max(amount)", "week", x="amount", by="plan",
      where='plan != "free"', w="plan != 'free'")
    m("neg_max_d", "events", "max(-amount / 4)", "day", x="-amount / 4")
    # --- percentiles (linear interpolation) and nps
    m("amount_median_m", "events", "median(amount)", "month", x="amount")
    m("amount_median_q_plan", "events", "median(amount)", "quarter", x="amount", by="plan")
    m("amount_p75_q", "events", "p75(amount)", "quarter", x="amount")
    m("amount_p90_w_plan", "events", "p90(amount)", "week", x="amount", by="plan")
    m("score_p95_m", "events", "p95(score)", "month", x="score")
    m("amount_p99_y_plan", "events", "p99(amount)", "year", x="amount", by="plan")
    m("score_p90_d", "events", "p90(score)", "day", x="score")
    m("nps_m", "events", "nps(score)", "month", x="score")
    m("nps_w_plan", "events", "nps(score)", "week", x="score", by="plan")
    m("nps_y", "events", "nps(score)", "year", x="score",
      where='feature in ["export", "search, advanced", "api"]',
      w="feature IN ('export', 'search, advanced', 'api')")
    # --- rate: true / (true + false), unknown neither way
    m("flag_rate_m", "events", "rate(flag)", "month", x="flag")
    m("pos_rate_w_plan", "events", "rate(amount > 0)", "week", x="amount > 0", by="plan")
    m("mixed_rate_q", "events", 'rate(plan == "pro" or score >= 9)', "quarter",
      x="plan = 'pro' OR score >= 9")
    m("neg_rate_d", "events", "rate(not flag and amount < 0)", "day",
      x="NOT flag AND amount < 0")
    m("flag_ne_rate_y", "events", "rate(flag != true)", "year", x="flag != true")
    # --- last: the latest time, ties to the last row in file order
    m("last_amount_d", "events", "last(amount)", "day", x="amount")
    m("last_score_m_plan", "events", "last(score)", "month", x="score", by="plan")
    m("last_expr_y", "events", "last(amount * 2 - 1)", "year", x="amount * 2 - 1")
    m("last_amount_w", "events", "last(amount)", "week", x="amount")
    # --- new, retained, churned
    m("new_users_m", "events", "new_distinct(user)", "month", x='"user"')
    m("new_users_w_plan", "events", "new_distinct(user)", "week", x='"user"', by="plan")
    m("new_users_q", "events", "new_distinct(user)", "quarter", x='"user"')
    m("new_users_d", "events", "new_distinct(user)", "day", x='"user"',
      where='feature == "export"', w="feature = 'export'")
    m("retained_m", "events", "retained_distinct(user)", "month", x='"user"')
    m("retained_w", "events", "retained_distinct(user)", "week", x='"user"')
    m("retained_d", "events", "retained_distinct(user)", "day", x='"user"')
    m("retained_y", "events", "retained_distinct(user)", "year", x='"user"')
    m("retained_m_plan", "events", "retained_distinct(user)", "month", x='"user"', by="plan")
    m("churned_m", "events", "churned_distinct(user)", "month", x='"user"')
    m("churned_w", "events", "churned_distinct(user)", "week", x='"user"')
    m("churned_q_plan", "events", "churned_distinct(user)", "quarter", x='"user"', by="plan")
    m("churned_y", "events", "churned_distinct(user)", "year", x='"user"')
    # --- days_between / hours_between (a date and a datetime: elapsed time)
    # elapsed time between instants: tsz is ts as TIMESTAMPTZ, a date is
    # its day's start in site.timezone (day_start(), see setup_sql())
    age = "(epoch_us(tsz) - epoch_us(day_start(day2))) / %s"
    m("age_avg_m", "events", "avg(days_between(day2, ts))", "month", x=age % "86400e6")
    m("age_hours_max_w", "events", "max(hours_between(day2, ts))", "week", x=age % "3600e6")
    m("age_p99_q", "events", "p99(hours_between(day2, ts))", "quarter", x=age % "3600e6")
    m("age_back_min_m_plan", "events", "min(days_between(ts, day2))", "month", by="plan",
      x="(epoch_us(day_start(day2)) - epoch_us(tsz)) / 86400e6")
    # --- where: the whole language
    m("complex_m", "events", "count()", "month",
      where='(plan in ["pro", "team"] or feature == "export") and not (score < 5) and user is not empty',
      w="(plan IN ('pro', 'team') OR feature = 'export') AND NOT (score < 5) AND \"user\" IS NOT NULL")
    m("no_plan_w", "events", "count()", "week", where="plan is empty", w="plan IS NULL")
    m("nothing_m", "events", "count()", "month", where='feature == "does-not-exist"',
      w="feature = 'does-not-exist'", empty=True)
    m("low_score_q", "events", "count()", "quarter",
      where="score <= 3 or (amount < 0 and flag == true)",
      w="score <= 3 OR (amount < 0 AND flag = true)")
    m("old_day2_m_plan", "events", "count_distinct(user)", "month", x='"user"', by="plan",
      where="day2 < 2025-01-01 and day2 > 2024-03-01 and ts < 2025-01-31",
      w="day2 < DATE '2025-01-01' AND day2 > DATE '2024-03-01' AND ts < TIMESTAMP '2025-01-31'")
    m("score_in_w", "events", "count()", "week",
      where="score in [0, 9, 10] or amount in [-1.5, 12, 100.25]",
      w="score IN (0, 9, 10) OR amount IN (-1.5, 12, 100.25)")
    m("empty_cells_y", "events", "count()", "year", where="day2 is empty or amount is empty",
      w="day2 IS NULL OR amount IS NULL")
    m("not_not_q_plan", "events", "sum(score)", "quarter", x="score", by="plan",
      where='not (plan != "pro" or not (flag == false)) or user == "u0002"',
      w="NOT (plan != 'pro' OR NOT (flag = false)) OR \"user\" = 'u0002'")
    m("late_rows_d", "events", "count()", "day", where="ts >= 2026-02-20",
      w="ts >= TIMESTAMP '2026-02-20'")
    m("prec_q", "events", "count()", "quarter",  # not > and > or, as in SQL
      where='not score < 5 and flag or plan == "team" and amount > 1e2',
      w="((NOT (score < 5)) AND flag) OR (plan = 'team' AND amount > 1e2)")
    m("str_lt_w", "events", "count()", "week", where='feature < "export" and plan >= "pro"',
      w="feature < 'export' AND plan >= 'pro'")
    m("day2_vs_ts_m", "events", "count()", "month", where="day2 >= ts",
      w="day_start(day2) >= tsz")
    m("ratio_avg_m", "events", "avg(amount / (score - 5))", "month",
      x="amount / NULLIF(score - 5, 0)")  # a division by zero is an empty cell
    # --- a percent column (12.5% is 0.125)
    m("pct_avg_m", "events", "avg(pct)", "month", x="pct")
    m("pct_p75_w_plan", "events", "p75(pct)", "week", x="pct", by="plan", where="pct >= 0.5",
      w="pct >= 0.5")
    # --- by a number, a boolean and a date column; count_distinct of numbers
    m("distinct_amount_m", "events", "count_distinct(amount)", "month", x="amount")
    m("rows_by_flag_q", "events", "count()", "quarter", by="flag")
    m("amount_by_score_y", "events", "sum(amount)", "year", x="amount", by="score")
    m("rows_by_day2_m", "events", "count()", "month", by="day2", where="day2 >= 2026-01-01",
      w="day2 >= DATE '2026-01-01'")
    # --- daily: a DATE time column, newest first, several rows a day
    m("d_sum_d", "daily", "sum(value)", "day", x="value")
    m("d_last_w_team", "daily", "last(value)", "week", x="value", by="team")
    m("d_last_m", "daily", "last(value)", "month", x="value")
    m("d_count_m", "daily", "count()", "month", where="due is not empty and value >= 10",
      w="due IS NOT NULL AND value >= 10")
    m("d_lead_avg_m", "daily", "avg(days_between(day, due))", "month", x="(due - day)")
    m("d_lead_hours_q", "daily", "sum(hours_between(day, due))", "quarter",
      x="(epoch_us(day_start(due)) - epoch_us(day_start(day))) / 3600e6")
    m("d_min_y", "daily", "min(value)", "year", x="value")
    m("d_due_q_team", "daily", "count()", "quarter", by="team",
      where='due < 2025-01-01 or team in ["web"]', w="due < DATE '2025-01-01' OR team IN ('web')")
    m("d_median_w", "daily", "median(value)", "week", x="value")
    # --- formulas
    k, prev, cumsum, rolling, agg = c.k, c.prev, c.cumsum, c.rolling, c.agg
    f("users_w_growth", "week", "users_w / prev(users_w) - 1",
      [k("users_w"), prev("users_w")], "{0} / NULLIF({1}, 0) - 1")
    f("users_m_yoy", "month", "users_m - prev(users_m, 12)",
      [k("users_m"), prev("users_m", 12)], "{0} - {1}")
    f("rows_w_cum", "week", "cumsum(rows_w)", [cumsum("rows_w")], "{0}")
    f("rows_w_roll", "week", "rolling(rows_w, 4)", [rolling("rows_w", 4)], "{0}")
    f("stickiness", "month", "avg(users_d) / users_m",
      [agg("avg", "users_d", "month"), k("users_m")], "{0} / NULLIF({1}, 0)")
    f("active_days", "month", "sum(users_d) / users_m",
      [agg("sum", "users_d", "month"), k("users_m")], "{0} / NULLIF({1}, 0)")
    f("rows_d_range", "month", "max(rows_d) - min(rows_d)",
      [agg("max", "rows_d", "month"), agg("min", "rows_d", "month")], "{0} - {1}")
    f("rows_m_last_d", "month", "last(rows_d)", [agg("last", "rows_d", "month")], "{0}")
    f("plan_share", "month", "rows_m_plan / rows_m", [k("rows_m_plan"), k("rows_m")],
      "{0} / NULLIF({1}, 0)", by="plan")
    f("plan_amount_cum", "month", "cumsum(amount_sum_m_plan)", [cumsum("amount_sum_m_plan")],
      "{0}", by="plan")
    f("retained_growth", "month", "retained_m / prev(retained_m) - 1",
      [k("retained_m"), prev("retained_m")], "{0} / NULLIF({1}, 0) - 1")
    f("div0", "week", "rows_w / (rows_w - rows_w)", [k("rows_w"), k("rows_w"), k("rows_w")],
      "{0} / NULLIF({1} - {2}, 0)", empty=True)
    f("users_q_plan_2q", "quarter", "users_q_plan - prev(users_q_plan, 2)",
      [k("users_q_plan"), prev("users_q_plan", 2)], "{0} - {1}", by="plan")
    f("plan_rows_roll", "month", "rolling(rows_m_plan, 3)", [rolling("rows_m_plan", 3)], "{0}",
      by="plan")
    f("users_y_growth", "year", "users_y / prev(users_y) - 1",
      [k("users_y"), prev("users_y")], "{0} / NULLIF({1}, 0) - 1")
    f("amount_y_spread", "year", "(max(amount_sum_m) - min(amount_sum_m)) / avg(amount_sum_m)",
      [agg("max", "amount_sum_m", "year"), agg("min", "amount_sum_m", "year"),
       agg("avg", "amount_sum_m", "year")], "({0} - {1}) / NULLIF({2}, 0)")
    f("stick_pct", "month", "stickiness * 100", [k("stickiness")], "{0} * 100")
    f("plan_share_days", "month", "rows_m_plan / sum(rows_d)",
      [k("rows_m_plan"), agg("sum", "rows_d", "month")], "{0} / NULLIF({1}, 0)", by="plan")
    f("plan_day_share", "month", "sum(amount_sum_d_plan) / amount_sum_m",
      [agg("sum", "amount_sum_d_plan", "month"), k("amount_sum_m")], "{0} / NULLIF({1}, 0)",
      by="plan")
    f("rows_d_diff", "day", "rows_d - prev(rows_d)", [k("rows_d"), prev("rows_d")], "{0} - {1}")
    f("rows_d_roll", "day", "rolling(rows_d, 7)", [rolling("rows_d", 7)], "{0}")
    f("q_from_days", "quarter", "avg(rows_d) * 2 / (1 + last(users_d))",
      [agg("avg", "rows_d", "quarter"), agg("last", "users_d", "quarter")],
      "{0} * 2 / NULLIF(1 + {1}, 0)")
    f("consts_w", "week", "(rows_w + 2) * 3 / 4 - -1", [k("rows_w")], "({0} + 2) * 3 / 4 - -1")
    f("daily_vs_events", "month", "d_last_m / amount_sum_m", [k("d_last_m"), k("amount_sum_m")],
      "{0} / NULLIF({1}, 0)")
    f("pos_rate_change", "week", "pos_rate_w_plan - prev(pos_rate_w_plan)",
      [k("pos_rate_w_plan"), prev("pos_rate_w_plan")], "{0} - {1}", by="plan")
    f("plan_of_cum", "month", "rows_m_plan / cumsum(rows_m)", [k("rows_m_plan"), cumsum("rows_m")],
      "{0} / NULLIF({1}, 0)", by="plan")
    f("amount_per_row_plan", "month", "amount_sum_m_plan / rows_m_plan",
      [k("amount_sum_m_plan"), k("rows_m_plan")], "{0} / NULLIF({1}, 0)", by="plan")
    f("churn_ratio_w", "week", "churned_w / (retained_w + churned_w)",
      [k("churned_w"), k("retained_w"), k("churned_w")], "{0} / NULLIF({1} + {2}, 0)")
    f("nps_m_prev2", "month", "nps_m - prev(nps_m, 2) + rolling(nps_m, 2)",
      [k("nps_m"), prev("nps_m", 2), rolling("nps_m", 2)], "{0} - {1} + {2}")
    return c


def coverage(c):
    """What the catalogue fails to cover: every measure, every grain with
    and without `by` for measures and formulas, every formula function."""
    missing = []
    for kind in MEASURES:
        if not any(k.kind == kind for k in c.kpis):
            missing.append("measure " + kind)
    for fn in FUNCTIONS:
        if not any(k.formula and (fn + "(") in k.formula for k in c.kpis):
            missing.append("formula function " + fn)
    for grain in GRAINS:
        for what in ("measure", "formula"):
            if not any(k.grain == grain and (k.kind == "formula") == (what == "formula")
                       for k in c.kpis):
                missing.append("a %s KPI of grain %s" % (what, grain))
    for what in ("measure", "formula"):
        ks = [k for k in c.kpis if (k.kind == "formula") == (what == "formula")]
        for grouped in (True, False):
            if not any(bool(k.by) == grouped for k in ks):
                missing.append("a %s KPI %s by" % (what, "with" if grouped else "without"))
    return missing


def site_yaml(c):
    return ("site: {title: KPI cross-check, timezone: %s, fiscal_year_start: 1}\n" % ZONE +
            "sources:\n"
            "  events: {path: data/events-*.csv, time: ts}\n"
            "  daily: {path: data/daily.csv.gz, time: day, delimiter: ';', decimal: ','}\n"
            "kpis:\n" + "".join("  - %s\n" % k.yaml for k in c.kpis))


def setup_sql():
    end = (datetime.date.fromisoformat(AS_OF) + datetime.timedelta(days=1)).isoformat()
    opts = "header = true, auto_detect = false, quote = '\"', escape = '\"', " \
           "nullstr = '', allow_quoted_nulls = true"
    return (
        # Times are read as TIMESTAMPTZ (a plain TIMESTAMP cast drops an
        # offset; one without an offset is in the session's TimeZone, the
        # site's), then ts is the wall time in the site's zone (periods,
        # as_of, date literals) and tsz the instant (elapsed times, last()).
        # In UTC, ts is the plain UTC TIMESTAMP the bench uses.
        "SET TimeZone = '%s';\n"
        # A date as an instant: the start of that day in the zone. Where
        # 00:00 happens twice (a DST change at midnight, America/Havana),
        # ICU takes the second one, but the day starts at the first: the
        # earliest instant whose wall time is that day's 00:00.
        "CREATE MACRO day_start(d) AS CASE "
        "WHEN (d::TIMESTAMPTZ - INTERVAL 1 HOUR)::TIMESTAMP = d::TIMESTAMP "
        "THEN d::TIMESTAMPTZ - INTERVAL 1 HOUR "
        "WHEN (d::TIMESTAMPTZ - INTERVAL 30 MINUTE)::TIMESTAMP = d::TIMESTAMP "
        "THEN d::TIMESTAMPTZ - INTERVAL 30 MINUTE ELSE d::TIMESTAMPTZ END;\n"
        "CREATE TABLE ev AS SELECT *, epoch_us(tsz)::HUGEINT * 10000000 + seq AS tkey FROM ("
        # pct ("12.5%") is a share: 0.125
        "SELECT * REPLACE (tsz::TIMESTAMP AS ts, replace(pct, '%%', '')::DOUBLE / 100 AS pct), tsz "
        "FROM (SELECT *, ts AS tsz FROM read_csv("
        "'data/events-*.csv', %s, delim = ',', columns = {'seq': 'BIGINT', 'ts': 'TIMESTAMPTZ', "
        "'user': 'VARCHAR', 'plan': 'VARCHAR', 'feature': 'VARCHAR', 'amount': 'DOUBLE', "
        "'score': 'BIGINT', 'flag': 'BOOLEAN', 'day2': 'DATE', 'pct': 'VARCHAR'}))) "
        "WHERE ts < TIMESTAMP '%s';\n"
        "CREATE TABLE dl AS SELECT *, (day - DATE '1970-01-01')::HUGEINT * 10000000 + seq AS tkey "
        "FROM read_csv('data/daily.csv.gz', %s, delim = ';', decimal_separator = ',', "
        "columns = {'seq': 'BIGINT', 'day': 'DATE', 'team': 'VARCHAR', 'value': 'DOUBLE', "
        "'due': 'DATE'}) WHERE day < DATE '%s';\n"
        % (ZONE, opts, end, opts, end))


def duckdb_sql(c):
    parts = [setup_sql()]
    for k in c.kpis:
        parts.append("CREATE VIEW k_%s AS %s;\n" % (k.id, k.sql))
    parts.append(" UNION ALL\n".join(
        "SELECT '%s' AS kpi, period, grp AS \"group\", value FROM k_%s" % (k.id, k.id)
        for k in c.kpis) + "\nORDER BY 1, 2, 3;\n")
    return "".join(parts)


# ------------------------------------------------------------- comparing

def fail_env(msg):
    print("kpi_crosscheck: " + msg, file=sys.stderr)
    sys.exit(2)


def read_series(text, what, with_kpi):
    """{kpi: {(period, group): value}} from CSV text; problems appended to
    `bad` as messages."""
    out, bad = {}, []
    rows = list(csv.reader(io.StringIO(text)))
    want = ["kpi", "period", "group", "value"] if with_kpi else ["period", "group", "value"]
    if not rows or rows[0] != want:
        return out, ["%s: header %r, expected %r" % (what, rows[0] if rows else None, want)]
    for r in rows[1:]:
        if len(r) != len(want):
            bad.append("%s: row %r" % (what, r))
            continue
        kpi = r[0] if with_kpi else None
        period, group, value = r[-3:]
        key = (period, group)
        s = out.setdefault(kpi, {})
        if key in s:
            bad.append("%s: duplicate row %s %r" % (what, period, group))
        try:
            v = float(value)
        except ValueError:
            bad.append("%s: %s %r: value %r is not a number" % (what, period, group, value))
            continue
        if v != v or v in (float("inf"), float("-inf")):
            bad.append("%s: %s %r: value %r" % (what, period, group, value))
        s[key] = v
    return out, bad


def close(a, b):
    d = abs(a - b)
    return d <= ABS_TOL or d <= REL_TOL * max(abs(a), abs(b))


def num(v):
    return "%d" % v if v.is_integer() and abs(v) < 1e15 else repr(v)


def compare(kid, got, want):
    """Differences between opsbook's series `got` and DuckDB's `want`."""
    diffs = []
    for key in sorted(set(got) | set(want)):
        p, g = key
        label = "%s %s" % (p, g if g else "-")
        if key not in want:
            diffs.append("  only in opsbook: %s = %s" % (label, num(got[key])))
        elif key not in got:
            diffs.append("  only in DuckDB:  %s = %s" % (label, num(want[key])))
        elif not close(got[key], want[key]):
            diffs.append("  %s: opsbook %s, DuckDB %s" % (label, num(got[key]), num(want[key])))
    return diffs


def main(argv):
    global ZONE
    seed, n_rows, keep = 20260305, 20000, None
    args = list(argv)
    while args:
        a = args.pop(0)
        if a in ("--seed", "--rows", "--keep", "--timezone") and args:
            v = args.pop(0)
            if a == "--keep":
                keep = v
            elif a == "--timezone":
                try:
                    zoneinfo.ZoneInfo(v)
                except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                    fail_env("unknown time zone %r" % v)
                ZONE = v
            else:
                try:
                    n = int(v)
                except ValueError:
                    fail_env("%s needs an integer" % a)
                if a == "--seed":
                    seed = n
                else:
                    n_rows = max(1000, n)
        elif a in ("-h", "--help"):
            print(__doc__.split("\n\n")[1].strip())
            return 0
        else:
            fail_env("usage: kpi_crosscheck.py [--seed N] [--rows N] [--timezone TZ] [--keep DIR]")
    exe = os.environ.get("OPSBOOK") or fail_env("OPSBOOK is not set (the opsbook binary)")
    if not os.access(exe, os.X_OK):
        fail_env("OPSBOOK=%s is not an executable" % exe)
    if shutil.which("node") is None:
        fail_env("node is missing: run tools/test-deps.sh")
    dnode = os.environ.get("DUCKDB_NODE")
    if not dnode or not os.path.isfile(os.path.join(dnode, "@duckdb", "node-api", "package.json")):
        fail_env("DUCKDB_NODE does not hold @duckdb/node-api: run tools/test-deps.sh")

    t0 = time.monotonic()
    if keep:
        os.makedirs(keep)
        root = keep
    else:
        root = tempfile.mkdtemp(prefix="opsbook-kpicheck.")
    try:
        return run(root, seed, n_rows, exe, t0)
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def run(root, seed, n_rows, exe, t0):
    site = os.path.join(root, "site")
    os.makedirs(os.path.join(site, "data"))
    os.makedirs(os.path.join(site, "content"))
    rng = random.Random(seed)
    events = gen_events(rng, n_rows)
    daily = gen_daily(rng)
    write_site_data(os.path.join(site, "data"), events, daily)
    c = catalog()
    missing = coverage(c)
    if missing:  # a broken test, not an opsbook problem
        fail_env("the KPI set does not cover: " + ", ".join(missing))
    with open(os.path.join(site, "opsbook.yaml"), "w") as fh:
        fh.write(site_yaml(c))
    with open(os.path.join(site, "content", "index.md"), "w") as fh:
        fh.write("# KPI cross-check\n\nGenerated by tests/tools/kpi_crosscheck.py.\n")
    sql_path = os.path.join(root, "kpis.sql")
    with open(sql_path, "w") as fh:
        fh.write(duckdb_sql(c))
    t_gen = time.monotonic() - t0

    # opsbook build, opsbook kpi --csv and DuckDB side by side
    out = os.path.join(root, "out")
    procs = {
        "build": [exe, "-C", site, "build", "-q", "--as-of", AS_OF, "--out", out],
        "kpi": [exe, "-C", site, "kpi", "-q", "--csv", "--as-of", AS_OF],
        "duckdb": ["node", DUCKDB_JS, "--cwd", site, sql_path],
    }
    started = {n: (subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE),
                   time.monotonic()) for n, cmd in procs.items()}
    res, took = {}, {}
    for n, (p, t) in started.items():
        try:
            so, se = p.communicate(timeout=max(1, TIMEOUT - (time.monotonic() - t)))
        except subprocess.TimeoutExpired:
            p.kill()
            so, se = p.communicate()
            se += b"\n(killed after %ds)" % TIMEOUT
        took[n] = time.monotonic() - t
        res[n] = (p.returncode, so.decode("utf-8", "replace"), se.decode("utf-8", "replace"))
    if res["duckdb"][0] != 0:
        fail_env("DuckDB failed:\n" + res["duckdb"][2])
    if res["build"][0] != 0:
        print("FAIL opsbook build exited %d:\n%s" % (res["build"][0], res["build"][2].rstrip()))
        return 1

    problems = 0
    want, bad = read_series(res["duckdb"][1], "DuckDB", True)
    if bad:
        fail_env("DuckDB's output: " + "; ".join(bad[:5]))
    table = None
    if res["kpi"][0] != 0:
        print("FAIL opsbook kpi --csv exited %d:\n%s" % (res["kpi"][0], res["kpi"][2].rstrip()))
        problems += 1
    else:
        table, bad_table = read_series(res["kpi"][1], "opsbook kpi --csv", True)
        for m in bad_table[:MAX_DIFFS]:
            print("FAIL " + m)
        problems += len(bad_table)

    kdir = os.path.join(out, "kpis")
    files = set(os.listdir(kdir)) if os.path.isdir(kdir) else set()
    ids = [k.id for k in c.kpis]
    extra = sorted(f for f in files if f.endswith(".csv") and f[:-4] not in c.by_id)
    if extra:
        print("FAIL series of unknown KPIs in OUT/kpis: " + ", ".join(extra))
        problems += 1
    n_ok, n_rows_total, failed = 0, 0, []
    for kid in ids:
        path = os.path.join(out, "kpis", kid + ".csv")
        w = want.get(kid, {})
        n_rows_total += len(w)
        if kid + ".csv" not in files:
            print("FAIL %-22s OUT/kpis/%s.csv is missing" % (kid, kid))
            failed.append(kid)
            continue
        with open(path, encoding="utf-8", newline="") as fh:
            got, bad = read_series(fh.read(), "OUT/kpis/%s.csv" % kid, False)
        got = got.get(None, {})
        diffs = ["  " + b for b in bad] + compare(kid, got, w)
        t = table.get(kid, {}) if table is not None else got
        if t != got:  # kpi --csv prints the same series, value for value
            diffs.append("  opsbook kpi --csv differs from OUT/kpis/%s.csv (%d rows against %d)"
                         % (kid, len(t), len(got)))
        # the test itself: a series expected to have rows has some
        if (len(w) == 0) != (kid in c.expect_empty):
            diffs.append("  DuckDB has %d rows: the generated data does not exercise this KPI"
                         % len(w))
        if diffs:
            failed.append(kid)
            print("FAIL %-22s %d rows in opsbook, %d in DuckDB, %d differences:"
                  % (kid, len(got), len(w), len(diffs)))
            for d in diffs[:MAX_DIFFS]:
                print(d)
            if len(diffs) > MAX_DIFFS:
                print("  ... and %d more" % (len(diffs) - MAX_DIFFS))
        else:
            n_ok += 1
            print("ok   %-22s %d rows" % (kid, len(w)))
    print("kpi_crosscheck: %d of %d KPIs equal DuckDB's (timezone %s; %d series rows; %d event"
          " rows, %d daily rows; gen %.2fs, opsbook build %.2fs, kpi --csv %.2fs, duckdb %.2fs,"
          " total %.2fs)"
          % (n_ok, len(ids), ZONE, n_rows_total, len(events), len(daily), t_gen, took["build"],
             took["kpi"], took["duckdb"], time.monotonic() - t0))
    if failed:
        print("kpi_crosscheck: differences in %s (the site and the SQL: run "
              "tests/tools/kpi_crosscheck.py --timezone %s --keep DIR)" % (", ".join(failed), ZONE))
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
