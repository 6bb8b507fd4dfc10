#!/usr/bin/env python3
"""Writes the data of tests/golden/dashboards/site: a small product's events, feedback
and support tickets for 2026-01-01..2026-11-20, the same bytes every run
(a fixed linear congruential generator, no library randomness)."""
# SPDX-License-Identifier: MIT
import datetime
import os
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "tests/golden/dashboards/site/data"
os.makedirs(out, exist_ok=True)
state = 20261120


def rnd(n):
    global state
    state = (state * 1103515245 + 12345) % 2**31
    return (state >> 16) % n


start = datetime.date(2026, 1, 1)
end = datetime.date(2026, 11, 20)
days = (end - start).days + 1
plans = ["free", "free", "free", "pro", "pro", "team"]

with open(os.path.join(out, "events.csv"), "w") as f:
    f.write("ts,user,plan\n")
    for d in range(days):
        day = start + datetime.timedelta(days=d)
        users = 5 + d // 25 + rnd(5)  # growing through the year
        for k in range(users):
            u = rnd(20 + d // 5)
            f.write("%s,u%03d,%s\n" % (day.isoformat(), u, plans[u % 6]))

categories = ["bug", "ux", "pricing", "integration"]
with open(os.path.join(out, "feedback.csv"), "w") as f:
    f.write("created,category,source,status\n")
    for d in range(days):
        day = start + datetime.timedelta(days=d)
        for k in range(rnd(4)):
            f.write("%s,%s,%s,%s\n" % (
                day.isoformat(), categories[rnd(4)],
                ["sales", "support", "survey"][rnd(3)],
                ["new", "triaged", "shipped"][rnd(3)]))

with open(os.path.join(out, "tickets.csv"), "w") as f:
    f.write("opened,closed\n")
    for d in range(days):
        day = start + datetime.timedelta(days=d)
        for k in range(1 + rnd(3)):
            wait = rnd(9)
            closed = day + datetime.timedelta(days=wait)
            f.write("%s,%s\n" % (day.isoformat(),
                                 closed.isoformat() if closed <= end else ""))
