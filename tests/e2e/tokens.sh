# tokens.sh: live numbers in prose ({{kpi:ID}}, .delta, .target, [GROUP],
# {{okr:ID.progress}}, {{as_of}}) agree with `opsbook kpi --json` and
# `opsbook okrs --json`; code and other braces are left alone; unknown ids
# and a `by` KPI without a group are errors at their position.
# SPDX-License-Identifier: MIT
CASE=tokens

site=$(fresh_site "$TESTS/sites/kpi")
mkdir -p "$site/content"
cat > "$site/content/numbers.md" <<'MD'
# Numbers

Rows: {{kpi:rows}}, change {{kpi:rows.delta}}, target {{kpi:rows.target}}.
Pro rows: {{kpi:plan_rows[pro]}} (target {{kpi:plan_rows[pro].target}}).
Share: {{kpi:share[free]}}. As of {{as_of}}. Not a token: {{name}}.

`{{kpi:rows}}` stays code.
MD
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" 2>"$TMPROOT/err"
check "a page with tokens builds" test $? -eq 0
"$OPSBOOK" -C "$site" kpi --json --as-of "$ASOF" >"$TMPROOT/kpi.json" 2>/dev/null
python3 - "$TMPROOT/kpi.json" "$site/public/numbers.html" >"$TMPROOT/out" <<'PY'
import html, json, re, sys
kpis = {k["id"]: k for k in json.load(open(sys.argv[1]))}
page = open(sys.argv[2]).read()
spans = [html.unescape(s) for s in re.findall(r'<span class="token [a-z-]+">([^<]*)</span>', page)]
group = lambda k, g: [x for x in kpis[k]["groups"] if x["group"] == g][0]
want = [kpis["rows"]["current_text"], "\u22123", "5",
        group("plan_rows", "pro")["current_text"], "2",
        group("share", "free")["current_text"], "Nov 20, 2026"]
print("ok" if spans == want else "spans %r want %r" % (spans, want))
PY
check "values agree with kpi --json" grep -qx ok "$TMPROOT/out"
cat "$TMPROOT/out" | grep -v '^ok$'
check "other braces stay as written" grep -q 'Not a token: {{name}}.' \
    "$site/public/numbers.html"
check "tokens in code stay code" grep -q '<code>{{kpi:rows}}</code>' \
    "$site/public/numbers.html"

# OKR progress, against okrs --json.
okr=$(fresh_site "$TESTS/sites/okr")
mkdir -p "$okr/content"
printf 'Growth is at {{okr:growth-O1.progress}}.\n' > "$okr/content/index.md"
"$OPSBOOK" -C "$okr" build -q --as-of "$ASOF" 2>/dev/null
"$OPSBOOK" -C "$okr" okrs --json --as-of "$ASOF" >"$TMPROOT/okrs.json" 2>/dev/null
python3 - "$TMPROOT/okrs.json" "$okr/public/index.html" >"$TMPROOT/out" <<'PY'
import json, re, sys
def walk(q):
    for o in q["objectives"]:
        yield o
        for kr in o["key_results"]:
            yield kr
d = json.load(open(sys.argv[1]))
p = [x for q in d["quarters"] for x in walk(q) if x["id"] == "growth-O1"][0]["progress"]
want = "%d%%" % int(p * 100 + 0.5)
got = re.findall(r'<span class="token progress">([^<]*)</span>', open(sys.argv[2]).read())
print("ok" if got == [want] else "got %r want %r" % (got, want))
PY
check "OKR progress agrees with okrs --json" grep -qx ok "$TMPROOT/out"
cat "$TMPROOT/out" | grep -v '^ok$'

# Errors, at the token's line and column.
cat > "$site/content/numbers.md" <<'MD'
Unknown {{kpi:rowz}}, no group {{kpi:plan_rows}},
a group too many {{kpi:rows[pro]}}, no such group {{kpi:plan_rows[gold]}},
{{kpi:rows.median}} and {{okr:nope.progress}}.
MD
"$OPSBOOK" -C "$site" build -q --as-of "$ASOF" 2>"$TMPROOT/err"
check "bad tokens fail the build" test $? -eq 1
cat > "$TMPROOT/want" <<'ERR'
content/numbers.md:1:9: error: unknown KPI 'rowz' (did you mean 'rows'?)
content/numbers.md:1:32: error: KPI 'plan_rows' has one value per 'plan': name the group, as in {{kpi:plan_rows[GROUP]}}
content/numbers.md:2:18: error: KPI 'rows' has no 'by', so no groups
content/numbers.md:3:1: error: unknown field 'median' of KPI 'rows' (one of value, delta, target)
content/numbers.md:3:25: error: unknown objective or key result 'nope'
ERR
check "each at its position" diff "$TMPROOT/want" "$TMPROOT/err"
diff "$TMPROOT/want" "$TMPROOT/err"

# A group without rows up to as-of (a new category, an older --as-of) is
# "no data" and a warning, as for a key result; --strict makes it fail.
printf 'Gold: {{kpi:plan_rows[gold]}}.\n' > "$site/content/numbers.md"
"$OPSBOOK" -C "$site" build --as-of "$ASOF" 2>"$TMPROOT/err"
check "a group without rows builds" test $? -eq 0
check "a group without rows is said where it stands" grep -qx \
    "content/numbers.md:1:7: warning: KPI 'plan_rows' has no group 'gold' up to the as-of day: shown as no data" \
    "$TMPROOT/err"
check "a group without rows shows no data" grep -q \
    'Gold: <span class="token none">no data</span>.' "$site/public/numbers.html"
"$OPSBOOK" -C "$site" build -q --strict --as-of "$ASOF" 2>/dev/null
check "a group without rows fails --strict" test $? -eq 1
report
