#!/usr/bin/env python3
"""Writes the data exports of the demo site (the repository root, which
`opsbook new` scaffolds): a year of a fictional B2B SaaS, Acme, from
2026-01-01 to 2026-11-20.

    python3 tools/make_demo_data.py [DATA_DIR]      (default: data)

Deterministic: one 64-bit linear congruential generator with a fixed seed
drives everything (no library randomness), gzip files carry no name and no
time, so the same script writes the same bytes on every run. Its output is
committed; run it again after changing it and commit both.

What it writes (all times are what the tools export):

  exports/events-2026-MM.csv.gz  product analytics: one row per feature used
                                 by a user on a day (ts in UTC), monthly files
  exports/signups.csv            self-serve sign-ups whose 14 days are over,
                                 and whether they activated in them
  exports/nps-responses.csv      the in-app NPS survey, with free-text comments
  exports/feedback.csv           Productboard notes since 2025-11-01: source,
                                 category, area, segment, status, shipped date
  exports/tickets-fr.csv         the support desk's export, in French Excel
                                 style: UTF-8 BOM, ';', decimal comma,
                                 dd/mm/yyyy dates, CRLF, Paris local time
  releases.yaml                  the release log (a YAML source)

The story the numbers tell: steady growth in users; a new onboarding
checklist in March lifts activation, though not to the raised H2 target;
Reports 2.0 in May lifts report adoption; an outage on 2026-06-09 dents
usage, floods support and the NPS, and costs users in the summer, when a
short-staffed support desk lets the ticket backlog grow until a hire in
September; Automations reach general availability in October.
"""
# SPDX-License-Identifier: MIT
import datetime as dt
import gzip
import math
import os
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else "data"
START = dt.date(2026, 1, 1)
END = dt.date(2026, 11, 20)          # the exports' last day
FEEDBACK_START = dt.date(2025, 11, 1)  # Productboard keeps a rolling window
DAY = dt.timedelta(days=1)


# ---- randomness: a fixed LCG --------------------------------------------

class Rng:
    """Knuth's MMIX LCG; the top 53 bits make a float in [0, 1)."""

    def __init__(self, seed):
        self.s = seed & (2**64 - 1)

    def random(self):
        self.s = (self.s * 6364136223846793005 + 1442695040888963407) % 2**64
        return (self.s >> 11) / float(2**53)

    def randint(self, a, b):
        return a + int(self.random() * (b - a + 1))

    def chance(self, p):
        return self.random() < p

    def choice(self, items):
        return items[int(self.random() * len(items))]

    def weighted(self, pairs):
        total = sum(w for _, w in pairs)
        x = self.random() * total
        for item, w in pairs:
            x -= w
            if x < 0:
                return item
        return pairs[-1][0]

    def poisson(self, lam):
        # Knuth's method; lam stays small here.
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.random()
            if p <= limit:
                return k
            k += 1

    def normal(self):
        u1 = max(self.random(), 1e-12)
        return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * self.random())

    def lognormal(self, median, sigma):
        return median * math.exp(sigma * self.normal())


rng = Rng(20261120)


class Even:
    """A golden-ratio sequence in [0, 1): used where a share must come out
    close to its design month by month (activation, NPS) rather than with
    the noise of a few hundred coin flips."""

    def __init__(self, start):
        self.x = start

    def next(self):
        self.x = (self.x + 0.6180339887498949) % 1.0
        return self.x


even_activation, even_nps, even_releases = Even(0.1), Even(0.3), Even(0.5)


def days(a, b):
    d = a
    while d <= b:
        yield d
        d += DAY


def weekday(d):
    return d.weekday() < 5


# French public holidays in range (Acme's biggest office is in Paris).
HOLIDAYS = {dt.date(2026, 1, 1), dt.date(2026, 4, 6), dt.date(2026, 5, 1), dt.date(2026, 5, 8),
            dt.date(2026, 5, 14), dt.date(2026, 5, 25), dt.date(2026, 7, 14),
            dt.date(2026, 8, 15), dt.date(2026, 11, 11), dt.date(2026, 11, 1)}

INCIDENT = dt.date(2026, 6, 9)                 # EU region outage
ONBOARDING_CHECKLIST = dt.date(2026, 3, 17)    # release 4.0
REPORTS_2 = dt.date(2026, 5, 12)
AUTOMATIONS_BETA = dt.date(2026, 7, 1)
MOBILE_3 = dt.date(2026, 9, 15)
AUTOMATIONS_GA = dt.date(2026, 10, 6)
GUIDED_SETUP_BETA = dt.date(2026, 10, 20)
SUPPORT_HIRE = dt.date(2026, 9, 9)


def activity_factor(d):
    """How much of its usual activity the user base shows on day d."""
    f = 1.0 if weekday(d) else 0.09
    if d in HOLIDAYS:
        f *= 0.35
    if d.month == 8:
        f *= 0.82           # August in Europe
    if d == INCIDENT:
        f *= 0.45
    elif d == INCIDENT + DAY:
        f *= 0.78
    elif d == INCIDENT + 2 * DAY:
        f *= 0.9
    return f


def churn_factor(d):
    if INCIDENT <= d <= dt.date(2026, 7, 31):
        return 2.2          # customers who lost a day of work
    return 0.75 if d >= SUPPORT_HIRE else 1.0


# ---- the user base --------------------------------------------------------

class Workspace:
    def __init__(self, wid, plan, trial_until=None, final_plan=None):
        self.id = wid
        self.plan = plan
        self.trial_until = trial_until
        self.final_plan = final_plan
        self.users = []
        self.left = None

    def plan_on(self, d):
        if self.trial_until and d <= self.trial_until:
            return "trial"
        return self.final_plan or self.plan


class User:
    def __init__(self, uid, ws, joined, p):
        self.id = uid
        self.ws = ws
        self.joined = joined
        self.left = None
        self.p = p              # chance of being active on a weekday
        self.features = set()   # besides boards and workflows
        ws.users.append(self)


workspaces, users, gains = [], [], []
signups = []          # (ts, user, workspace, channel, activated, activated_at)


def new_workspace(plan, **kw):
    ws = Workspace("w%04d" % len(workspaces), plan, **kw)
    workspaces.append(ws)
    return ws


def engagement(plan):
    if plan == "internal":
        return 0.8
    tier = rng.weighted([("heavy", 0.24), ("regular", 0.42), ("light", 0.34)])
    p = {"heavy": 0.78, "regular": 0.42, "light": 0.13}[tier]
    if plan in ("business", "enterprise"):
        p = min(0.9, p * 1.12)
    return p


def feature_odds(plan, d):
    big = plan in ("business", "enterprise")
    odds = {
        "reports": (0.30 if big else 0.18) + (0.10 if d >= REPORTS_2 else 0),
        "integrations": 0.30 if big else 0.10,
        "mobile": 0.17 + (0.06 if d >= MOBILE_3 else 0),
        "automations": (0.22 if d >= AUTOMATIONS_GA
                        else 0.05 if d >= AUTOMATIONS_BETA and big else 0),
    }
    return odds


def new_user(ws, joined, p=None):
    u = User("u%05d" % len(users), ws, joined, p if p is not None else
             engagement(ws.plan_on(joined + 20 * DAY)))
    for f, odds in feature_odds(ws.plan_on(joined + 20 * DAY), joined).items():
        if rng.chance(odds):
            u.features.add(f)
    if not ws.users[:-1]:
        u.features.add("admin")     # the workspace's owner
    users.append(u)
    return u


# The internal workspace: Acme's own staff, excluded from every KPI.
internal = new_workspace("internal")
for _ in range(22):
    new_user(internal, START - 400 * DAY)

# Customers at the start of the year.
for _ in range(112):
    plan = rng.weighted([("free", 0.30), ("team", 0.42), ("business", 0.22),
                         ("enterprise", 0.06)])
    ws = new_workspace(plan)
    lo, hi = {"free": (1, 3), "team": (3, 9), "business": (6, 16),
              "enterprise": (14, 30)}[plan]
    for _ in range(rng.randint(lo, hi)):
        new_user(ws, START - rng.randint(30, 900) * DAY)

# Automations' design partners: the first three Business and Enterprise
# customers have used an early version since before the year began.
for ws in [w for w in workspaces if w.plan in ("business", "enterprise")][:3]:
    for u in ws.users[:4]:
        u.features.add("automations")


def signups_per_day(d):
    progress = (d - START).days / (END - START).days
    lam = 3.5 + 1.1 * progress
    if dt.date(2026, 9, 14) <= d <= dt.date(2026, 10, 11):
        lam *= 1.3          # the autumn paid campaign
    return lam * (1.0 if weekday(d) else 0.45)


def activation_odds(d):
    if d < ONBOARDING_CHECKLIST:
        return 0.325
    if d < dt.date(2026, 7, 1):
        return 0.375
    if d < GUIDED_SETUP_BETA:
        return 0.385
    return 0.405


def work_time(d, lo=7, hi=17):
    """A UTC time of day in working hours, skewed to the morning."""
    h = lo + int((hi - lo) * rng.random() ** 1.3)
    return dt.datetime(d.year, d.month, d.day, h, rng.randint(0, 59),
                       rng.randint(0, 59))


def simulate():
    for d in days(START, END):
        # self-serve sign-ups: a trial workspace each
        for _ in range(rng.poisson(signups_per_day(d))):
            final = rng.weighted([("free", 0.74), ("team", 0.26)])
            ws = new_workspace(final, trial_until=d + 14 * DAY, final_plan=final)
            channel = rng.weighted([("organic", 0.44), ("paid_search", 0.22),
                                    ("referral", 0.16), ("partner", 0.08),
                                    ("content", 0.10)])
            if d >= dt.date(2026, 9, 14) and d <= dt.date(2026, 10, 11) \
                    and rng.chance(0.25):
                channel = "paid_search"
            odds = activation_odds(d) * (1.12 if channel == "referral" else
                                         0.85 if channel == "paid_search" else 1.0)
            ts = work_time(d, 6, 21)
            if even_activation.next() < odds:
                act = d + rng.randint(1, 13) * DAY
                owner = new_user(ws, d)
                owner.p = max(owner.p, 0.42)
                for _ in range(rng.randint(1, 3)):
                    new_user(ws, act + rng.randint(0, 10) * DAY)
                signups.append((ts, owner, ws, channel, act))
            else:
                owner = new_user(ws, d, p=0.0)
                owner.trial_days = sorted({d + rng.randint(0, 9) * DAY
                                           for _ in range(rng.randint(1, 3))})
                owner.left = d + 15 * DAY
                ws.left = d + 15 * DAY
                signups.append((ts, owner, ws, channel, None))
        # seats added to paying workspaces, churn
        for ws in workspaces:
            if ws.left or ws.plan == "internal":
                continue
            plan = ws.plan_on(d)
            if plan in ("team", "business", "enterprise") and rng.chance(0.0016):
                new_user(ws, d)
            if plan != "trial" and rng.chance(
                    (0.0009 if plan == "free" else 0.00035) * churn_factor(d)):
                ws.left = d
                for u in ws.users:
                    if not u.left:
                        u.left = d
        for u in users:
            if u.left or u.joined > d or u.ws.plan == "internal":
                continue
            hazard = 0.0021 if u.ws.plan_on(d) == "free" else 0.0011
            if u.p < 0.2:
                hazard *= 1.6
            if rng.chance(hazard * churn_factor(d)):
                u.left = d
        # launches make existing users pick up features
        if d == REPORTS_2:
            for u in users:
                if not u.left and "reports" not in u.features and rng.chance(0.2):
                    gains.append((d + rng.randint(0, 60) * DAY, u, "reports"))
        if d == AUTOMATIONS_BETA:
            for u in users:
                if not u.left and u.ws.plan in ("business", "enterprise") \
                        and rng.chance(0.12):
                    gains.append((d + rng.randint(0, 30) * DAY, u, "automations"))
        if d == AUTOMATIONS_GA:
            for u in users:
                if not u.left and rng.chance(0.22):
                    gains.append((d + rng.randint(0, 35) * DAY, u, "automations"))
        if d == MOBILE_3:
            for u in users:
                if not u.left and rng.chance(0.07):
                    gains.append((d + rng.randint(0, 20) * DAY, u, "mobile"))


simulate()
gains_by_day = {}
for d, u, f in gains:
    gains_by_day.setdefault(d, []).append((u, f))


def write_events():
    os.makedirs(os.path.join(OUT, "exports"), exist_ok=True)
    feature_use = {"reports": 0.45, "integrations": 0.5, "mobile": 0.35,
                   "automations": 0.4, "admin": 0.08}
    month, rows = None, []

    def flush():
        if not rows:
            return
        path = os.path.join(OUT, "exports", "events-%s.csv.gz" % month)
        data = ("ts,user_id,workspace_id,plan,feature\n" + "".join(rows)).encode()
        with open(path, "wb") as raw:
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                               compresslevel=9) as z:
                z.write(data)

    for d in days(START, END):
        if d.strftime("%Y-%m") != month:
            flush()
            month, rows = d.strftime("%Y-%m"), []
        for u, f in gains_by_day.get(d, []):
            u.features.add(f)
        factor = activity_factor(d)
        day_rows = []
        for u in users:
            if u.joined > d or (u.left and u.left <= d):
                continue
            trial_days = getattr(u, "trial_days", None)
            if trial_days is not None:
                active = d in trial_days
            else:
                active = rng.chance(u.p * factor)
            if not active:
                continue
            plan = u.ws.plan_on(d)
            t = work_time(d)
            first = "boards" if rng.chance(0.68) else "workflows"
            day_rows.append((t, u.id, u.ws.id, plan, first))
            for f in sorted(u.features):
                if rng.chance(feature_use[f]):
                    t2 = t + dt.timedelta(seconds=rng.randint(20, 3000))
                    day_rows.append((t2, u.id, u.ws.id, plan, f))
        day_rows.sort()
        rows.extend("%sZ,%s,%s,%s,%s\n" % (t.isoformat(), a, b, c, e)
                    for t, a, b, c, e in day_rows)
    flush()


def write_signups():
    with open(os.path.join(OUT, "exports", "signups.csv"), "w", newline="") as f:
        f.write("signed_up_at,user_id,workspace_id,channel,activated_at,activated\n")
        for ts, u, ws, channel, act in sorted(signups, key=lambda s: s[0]):
            d = ts.date()
            if d + 14 * DAY > END:
                continue    # exported once its 14 days are over
            if act:
                activated, at = "true", act.isoformat()
            else:
                activated, at = "false", ""
            f.write("%sZ,%s,%s,%s,%s,%s\n" % (ts.isoformat(), u.id, ws.id,
                                               channel, at, activated))


COMMENTS = {
    "promoter": [
        "Boards are exactly how our team thinks",
        "Reports 2.0 saved me an hour every Monday",
        "Support answered in minutes, thank you!",
        "Love the automations, we removed three spreadsheets",
        "Simple, fast, and the mobile app finally works offline",
        "Onboarding my team took one afternoon",
        "The Slack integration is great",
    ],
    "passive": [
        "Good tool, but permissions are confusing",
        "Would like more chart types in reports",
        "Pricing jumps a lot between Team and Business",
        "Fine for us; exports to Excel could be better",
        "Mobile app is still slow on Android",
        'We need a "read-only guest" role',
    ],
    "detractor": [
        "The outage in June cost us a day of work",
        "Sync with Jira keeps breaking",
        "Too expensive for what we use, we are looking at alternatives",
        "Support took four days to answer, during a release week",
        "Search is unusable with more than 500 items",
        "Nobody on my team uses it; too hard to set up",
        "Lost changes after the outage, still no explanation",
    ],
}


def nps_mix(d):
    """(promoter, passive) shares; detractors are the rest."""
    if d < ONBOARDING_CHECKLIST:
        return 0.46, 0.36
    if d < INCIDENT:
        return 0.49, 0.34
    if d < dt.date(2026, 7, 1):
        return 0.33, 0.35
    if d < dt.date(2026, 8, 1):
        return 0.40, 0.36
    if d < dt.date(2026, 9, 1):
        return 0.44, 0.36
    if d < AUTOMATIONS_GA:
        return 0.47, 0.35
    return 0.50, 0.33


def write_nps():
    # users of last year were surveyed at some point in the last 60 days
    last_asked = {u.id: START - rng.randint(15, 75) * DAY for u in users
                  if u.joined < START}
    rows = []
    for d in days(START, END):
        if not weekday(d):
            continue
        for u in users:
            if u.joined > d - 30 * DAY or (u.left and u.left <= d):
                continue
            plan = u.ws.plan_on(d)
            if plan not in ("team", "business", "enterprise"):
                continue
            if d - last_asked.get(u.id, START - 365 * DAY) < 60 * DAY:
                continue
            if not rng.chance(0.011 * (1 + u.p)):
                continue
            last_asked[u.id] = d
            pro, pas = nps_mix(d)
            x = even_nps.next()
            kind = "promoter" if x < pro else "passive" if x < pro + pas else "detractor"
            score = {"promoter": rng.choice([9, 9, 10, 10, 10]),
                     "passive": rng.choice([7, 8, 8]),
                     "detractor": rng.choice([2, 3, 4, 5, 5, 6, 6, 6])}[kind]
            comment = ""
            if rng.chance(0.42):
                pool = COMMENTS[kind]
                if kind == "detractor" and not (INCIDENT <= d <= dt.date(2026, 8, 15)):
                    pool = [c for c in pool if "outage" not in c]
                comment = rng.choice(pool)
            rows.append((work_time(d, 8, 19), u.id, plan, score, comment))
    rows.sort()
    with open(os.path.join(OUT, "exports", "nps-responses.csv"), "w", newline="") as f:
        f.write("submitted_at,respondent,plan,score,comment\n")
        for ts, uid, plan, score, comment in rows:
            if any(c in comment for c in ',"'):
                comment = '"' + comment.replace('"', '""') + '"'
            f.write("%sZ,%s,%s,%d,%s\n" % (ts.isoformat(), uid, plan, score, comment))


# ---- releases ---------------------------------------------------------------

MAJOR = [
    (dt.date(2026, 1, 20), "growth", 2, "Trial extension requests in-app", False),
    (dt.date(2026, 2, 10), "platform", 2, "Audit log export", False),
    (ONBOARDING_CHECKLIST, "growth", 1, "Onboarding checklist and new sign-up flow", True),
    (dt.date(2026, 4, 14), "platform", 2, "Jira two-way sync", False),
    (REPORTS_2, "core", 1, "Reports 2.0: scheduled reports and sharing", False),
    (dt.date(2026, 6, 16), "platform", 3, "Status page and sync recovery after the outage", False),
    (AUTOMATIONS_BETA, "core", 2, "Automations beta (Business and Enterprise)", False),
    (dt.date(2026, 8, 25), "platform", 2, "SCIM group sync", False),
    (MOBILE_3, "core", 2, "Mobile app 3.0 with offline mode", False),
    (AUTOMATIONS_GA, "core", 1, "Automations generally available", True),
    (GUIDED_SETUP_BETA, "growth", 2, "Guided workspace setup (beta)", False),
    (dt.date(2026, 11, 17), "platform", 2, "Audit log API", False),
]
MINOR_TITLES = {
    "growth": ["Faster sign-up on mobile", "Invite teammates from the empty state",
               "Billing page redesign", "Plan comparison in the trial banner",
               "Trial reminder emails", "Self-serve seat changes",
               "Referral credits", "Clearer upgrade prompts",
               "Google Workspace sign-in", "Annual billing toggle",
               "Sample board for new workspaces", "Checklist progress emails"],
    "core": ["Bulk edit on boards", "Saved filters", "Board templates",
             "Keyboard shortcuts for workflows", "Faster board loading",
             "Due-date reminders", "Report colour themes", "Comment mentions",
             "Swimlanes on boards", "CSV import of work items",
             "Recurring work items", "Workflow step conditions",
             "Board archive and restore", "Report drill-down", "Dark mode",
             "Rich text in descriptions", "Card cover images",
             "Timeline zoom levels", "Report PDF export", "Watchers on items"],
    "platform": ["Slack notifications per board", "API rate limit headers",
                 "SAML metadata refresh", "Webhook retries", "Teams integration",
                 "Data export to S3", "Granular API tokens",
                 "Salesforce integration fixes", "Permission presets",
                 "Zapier triggers for workflows", "IP allow-listing",
                 "GitHub integration", "Okta SCIM fixes", "Bulk user import",
                 "Data residency for EU workspaces"],
}


def release_days():
    """Minor releases from Tuesday to Thursday: about eight a month, fewer
    in August and right after the outage (a change freeze)."""
    out = []
    for d in days(START, END):
        if d.weekday() not in (1, 2, 3) or d in HOLIDAYS:
            continue
        if INCIDENT <= d < INCIDENT + 7 * DAY:
            continue
        odds = 0.56
        if d.month == 8:
            odds = 0.15
        elif d.month == 9:
            odds = 0.45
        elif d.month >= 10:
            odds = 0.66
        if even_releases.next() < odds:
            out.append(d)
    return out


def build_releases():
    majors = {m[0] for m in MAJOR}
    rel = list(MAJOR)
    bumps = {(d, t) for d, _, _, t, bump in MAJOR if bump}
    rel = [(d, sq, tier, title) for d, sq, tier, title, _ in rel]
    used = {k: 0 for k in MINOR_TITLES}
    for d in release_days():
        if d in majors:
            continue
        sq = rng.weighted([("core", 0.45), ("growth", 0.25), ("platform", 0.30)])
        titles = MINOR_TITLES[sq]
        title = titles[used[sq]] if used[sq] < len(titles) else \
            "Fixes and small improvements"
        used[sq] += 1
        rel.append((d, sq, 3, title))
    rel.sort()
    # versions in order: two launches open a new major version
    out, major, minor = [], 3, 16
    for d, sq, tier, title in rel:
        if (d, title) in bumps:
            major, minor = major + 1, 0
        else:
            minor += 1
        out.append((d, "%d.%d" % (major, minor), sq, tier, title))
    return out


def write_releases(rel):
    with open(os.path.join(OUT, "releases.yaml"), "w") as f:
        f.write("# The release log: one entry per release to customers (generated by\n"
                "# tools/make_demo_data.py). tier: 1 launch, 2 notable, 3 improvement.\n")
        for d, v, sq, tier, title in rel:
            t = title.replace('"', "'")
            f.write('- {date: %s, version: "%s", squad: %s, tier: %d, title: "%s"}\n'
                    % (d.isoformat(), v, sq, tier, t))


# ---- feedback ---------------------------------------------------------------

SOURCES = [("zendesk", 0.41), ("salesforce", 0.20), ("gong", 0.14),
           ("slack", 0.12), ("in_app", 0.09), ("qbr", 0.04)]
CATEGORIES = [("feature_request", 0.38), ("usability", 0.22), ("integration", 0.14),
              ("bug", 0.12), ("pricing", 0.07), ("question", 0.07)]


def area_for(category):
    if category == "integration":
        return "platform"
    if category == "pricing":
        return "growth"
    return rng.weighted([("core", 0.55), ("growth", 0.22), ("platform", 0.23)])


def lead_median(d):
    """Median days from a note to the release that answers it, by the
    note's creation: product ops' changes to triage shorten it."""
    if d < dt.date(2026, 3, 1):
        return 78
    if d < dt.date(2026, 6, 1):
        return 66
    if d < dt.date(2026, 8, 1):
        return 54
    return 40


def write_feedback(rel):
    releases = [r[0] for r in rel]
    # the plan for the rest of the year: where unshipped work would land
    future = [END + k * 7 * DAY for k in range(1, 30)]
    n = 0
    rows = []
    for d in days(FEEDBACK_START, END):
        progress = (d - START).days / (END - START).days
        lam = (26 + 4 * progress) if weekday(d) else 4.5
        if d in HOLIDAYS:
            lam *= 0.4
        if d.month == 8:
            lam *= 0.85
        if dt.date(2025, 12, 22) <= d <= dt.date(2026, 1, 2):
            lam *= 0.45     # the Christmas weeks
        extra_bugs = 0
        if INCIDENT <= d < INCIDENT + 10 * DAY and weekday(d):
            extra_bugs = rng.poisson(9)
        count = rng.poisson(lam)
        for k in range(count + extra_bugs):
            n += 1
            category = "bug" if k >= count else rng.weighted(CATEGORIES)
            source = rng.weighted(SOURCES)
            if category == "bug" and rng.chance(0.5):
                source = "zendesk"
            area = area_for(category)
            segment = rng.weighted([("smb", 0.55), ("mid_market", 0.32),
                                    ("enterprise", 0.13)])
            arr = {"smb": (1200, 14900), "mid_market": (15000, 74000),
                   "enterprise": (75000, 320000)}[segment]
            arr = rng.randint(arr[0] // 100, arr[1] // 100) * 100
            if source == "salesforce" and rng.chance(0.4):
                segment, arr = "prospect", rng.randint(50, 900) * 100
            ts = work_time(d, 6, 18)
            status, shipped = "triaged", ""
            addressed = category in ("feature_request", "usability",
                                     "integration") and rng.chance(0.16)
            if category == "bug" and rng.chance(0.3):
                addressed = True
            if addressed:
                lead = rng.lognormal(lead_median(d) * (0.3 if category == "bug" else 1),
                                     0.45)
                want = d + dt.timedelta(days=int(lead))
                landing = [r for r in releases if r >= want] or \
                          [r for r in future if r >= want]
                ship = landing[0]
                if ship <= END:
                    status, shipped = "shipped", ship.isoformat()
                else:
                    status = "planned"
            elif rng.chance(0.14):
                status = "declined"
            if (END - d).days < 3 and status == "triaged":
                status = "new"
            rows.append((ts, "FB-%05d" % (10000 + n), source, category, area,
                         segment, arr, status, shipped))
    with open(os.path.join(OUT, "exports", "feedback.csv"), "w", newline="") as f:
        f.write("id,created_at,source,category,area,segment,arr,status,shipped_on\n")
        for ts, fid, source, category, area, segment, arr, status, shipped in rows:
            f.write("%s,%sZ,%s,%s,%s,%s,%d,%s,%s\n" % (
                fid, ts.isoformat(), source, category, area, segment, arr,
                status, shipped))


# ---- support tickets, French style -------------------------------------------

def paris(t):
    """UTC to Paris local time (CET/CEST, EU rules for 2026)."""
    summer = dt.datetime(2026, 3, 29, 1) <= t < dt.datetime(2026, 10, 25, 1)
    return t + dt.timedelta(hours=2 if summer else 1)


def capacity(d):
    """Tickets the desk closes on a working day."""
    if not weekday(d) or d in HOLIDAYS:
        return 0
    if dt.date(2026, 7, 6) <= d < SUPPORT_HIRE:
        return 13          # two agents on leave, one resigned
    if d >= SUPPORT_HIRE:
        return 21          # a new agent, and the summer leave over
    return 18


def write_tickets():
    opened = []
    for d in days(START, END):
        lam = 14.5 if weekday(d) else 2.0
        lam *= 1 + 0.12 * (d - START).days / 324
        if d in HOLIDAYS:
            lam *= 0.4
        if d.month == 8:
            lam *= 0.8
        if d >= dt.date(2026, 10, 15):
            lam *= 0.9     # the new help centre deflects some
        n = rng.poisson(lam)
        if d == INCIDENT:
            n += 95
        elif INCIDENT < d <= INCIDENT + 4 * DAY:
            n += 22
        for _ in range(n):
            opened.append(work_time(d, 6, 20))
    opened.sort()
    prio = {}
    for t in opened:
        near_incident = INCIDENT <= t.date() <= INCIDENT + 2 * DAY
        prio[t] = rng.weighted([("urgente", 0.08 if not near_incident else 0.3),
                                ("haute", 0.22), ("normale", 0.55), ("basse", 0.15)])
    # a ticket can be closed once its work is done: an answer, often a
    # question back to the customer and a wait
    ready = {t: t + dt.timedelta(hours=rng.lognormal(14, 1.0)) for t in opened}
    closed = {}
    queue = []
    i = 0
    for d in days(START, END):
        while i < len(opened) and opened[i].date() <= d:
            queue.append(opened[i])
            i += 1
        cap = capacity(d)
        # urgent first, then oldest first; a ticket needs a little time
        order = sorted(queue, key=lambda t: (prio[t] != "urgente", prio[t] != "haute", t))
        done = []
        for t in order:
            if len(done) >= cap:
                break
            close = max(ready[t], work_time(d, 7, 17))
            if close.date() != d:
                continue
            done.append(t)
            closed[t] = close
        queue = [t for t in queue if t not in closed]
    with open(os.path.join(OUT, "exports", "tickets-fr.csv"), "w", newline="",
              encoding="utf-8-sig") as f:
        f.write("ticket;ouvert_le;ferme_le;priorite;canal;premiere_reponse_h;satisfaction\r\n")
        for k, t in enumerate(opened):
            c = closed.get(t)
            backlog_hours = 1.5 + rng.lognormal(2.2, 0.7)
            if dt.date(2026, 7, 6) <= t.date() < SUPPORT_HIRE or \
                    INCIDENT <= t.date() <= INCIDENT + 6 * DAY:
                backlog_hours *= 2.4
            if prio[t] == "urgente":
                backlog_hours /= 6
            first = "%.1f" % backlog_hours
            sat = ""
            if c and rng.chance(0.38):
                slow = (c - t).total_seconds() > 3 * 86400
                sat = str(rng.weighted([(5, 0.55 - 0.3 * slow), (4, 0.25),
                                        (3, 0.1 + 0.15 * slow), (2, 0.05 + 0.1 * slow),
                                        (1, 0.05 + 0.05 * slow)]))
            canal = rng.weighted([("e-mail", 0.48), ("chat", 0.34),
                                  ("téléphone", 0.08), ("formulaire", 0.10)])
            f.write("%d;%s;%s;%s;%s;%s;%s\r\n" % (
                48211 + k, paris(t).strftime("%d/%m/%Y %H:%M"),
                paris(c).strftime("%d/%m/%Y %H:%M") if c else "",
                prio[t], canal, first.replace(".", ","), sat))


def stream(n):
    """Each export draws from its own stream, so that changing how one is
    made leaves the others as they were."""
    global rng
    rng = Rng(20261120 + 7919 * n)


os.makedirs(os.path.join(OUT, "exports"), exist_ok=True)
stream(1)
rel = build_releases()
write_releases(rel)
stream(2)
write_events()
stream(3)
write_signups()
stream(4)
write_nps()
stream(5)
write_feedback(rel)
stream(6)
write_tickets()
