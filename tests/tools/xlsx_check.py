#!/usr/bin/python3
"""xlsx_check.py: reads opsbook's Excel reports back and checks them.

    xlsx_check.py leadership XLSX KPI_JSON OKR_JSON OUT SITE
    xlsx_check.py ops XLSX KPI_JSON OKR_JSON OUT SITE
    xlsx_check.py csv DIR            (LibreOffice's CSV export of ops.xlsx)
    xlsx_check.py table XLSX SHEET ROWS   (a bench-shaped table sheet)
    xlsx_check.py stale XLSX SITE     (the fixture with a stale deals source)

openpyxl (Debian's python3-openpyxl, so run with /usr/bin/python3) reads
values, number formats, panes, filters and outline levels; the package's
XML is read directly for what openpyxl drops or rewrites (drawings,
charts, page set-up, inline strings, formulas). Exits 1 with the first
problem found.
"""
import csv
import datetime as dt
import json
import os
import re
import sys
import warnings
import zipfile

warnings.simplefilter("ignore")  # openpyxl: "extension is not supported"
import openpyxl  # noqa: E402

AS_OF = dt.date(2026, 11, 20)
DAY = 86400.0


def fail(msg):
    sys.exit("xlsx_check: " + msg)


def expect(got, want, what):
    if got != want:
        fail(f"{what}: got {got!r}, want {want!r}")


def near(got, want, what):
    tolerance = 1e-9 * max(1.0, abs(want or 0))
    if isinstance(got, dt.timedelta):
        # openpyxl reads [h]:mm:ss as a timedelta rounded to milliseconds
        got = got.total_seconds() / DAY
        tolerance = 1e-8
    if want is None or got is None:
        expect(got, want, what)
    elif abs(got - want) > tolerance:
        fail(f"{what}: got {got!r}, want {want!r}")


# ---- the package's parts -------------------------------------------------

class Package:
    """The zip's XML parts, with each sheet's drawing and charts."""

    def __init__(self, path):
        self.zip = zipfile.ZipFile(path)
        self.names = self.zip.namelist()
        wb = self.text("xl/workbook.xml")
        rels = self.rels("xl/_rels/workbook.xml.rels")
        self.sheets = {}
        for m in re.finditer(r'<sheet name="([^"]*)" sheetId="\d+" r:id="(rId\d+)"', wb):
            self.sheets[unescape(m.group(1))] = "xl/" + rels[m.group(2)]

    def text(self, name):
        return self.zip.read(name).decode("utf-8")

    def rels(self, name):
        if name not in self.names:
            return {}
        return {m.group(1): m.group(2) for m in re.finditer(
            r'<Relationship Id="(rId\d+)" Type="[^"]*" Target="([^"]*)"', self.text(name))}

    def sheet_xml(self, sheet):
        return self.text(self.sheets[sheet])

    def drawing(self, sheet):
        """The sheet's drawing part's XML and its relationships, or None."""
        part = self.sheets[sheet]
        folder, base = os.path.split(part)
        rels = self.rels(f"{folder}/_rels/{base}.rels")
        for target in rels.values():
            if "drawings/" in target:
                name = os.path.normpath(os.path.join(folder, target))
                dfolder, dbase = os.path.split(name)
                drels = self.rels(f"{dfolder}/_rels/{dbase}.rels")
                return self.text(name), {k: os.path.normpath(os.path.join(dfolder, v))
                                         for k, v in drels.items()}
        return None

    def charts(self, sheet):
        d = self.drawing(sheet)
        if not d:
            return []
        xml, rels = d
        return [self.text(rels[rid]) for rid in re.findall(r'<c:chart [^>]*r:id="(rId\d+)"', xml)]

    def images(self, sheet):
        """(row, col, picture part) of each picture anchored on the sheet."""
        d = self.drawing(sheet)
        if not d:
            return []
        xml, rels = d
        out = []
        for anchor in re.findall(r"<xdr:twoCellAnchor.*?</xdr:twoCellAnchor>", xml, re.S):
            if "<xdr:pic>" not in anchor:
                continue
            col = int(re.search(r"<xdr:from><xdr:col>(\d+)</xdr:col>", anchor).group(1))
            row = int(re.search(r"<xdr:from>.*?<xdr:row>(\d+)</xdr:row>", anchor, re.S).group(1))
            rid = re.search(r'r:embed="(rId\d+)"', anchor).group(1)
            out.append((row, col, rels[rid]))
        return out


def unescape(s):
    return (s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


def excel_text(s):
    """Text as Excel reads it: _xHHHH_ escapes (control characters) decoded."""
    if not isinstance(s, str):
        return s
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), s)


def quoted(sheet):
    """A sheet name as formulas write it."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


# ---- common checks ---------------------------------------------------------

def check_setup(pkg, wb, sheet, freeze, title):
    ws = wb[sheet]
    expect(ws.freeze_panes, freeze, f"{sheet}: frozen panes")
    xml = pkg.sheet_xml(sheet)
    setup = re.search(r"<pageSetup [^>]*>", xml)
    if not setup or 'orientation="landscape"' not in setup.group(0):
        fail(f"{sheet}: not landscape")
    # fit to pages, 1 wide (the default) by any number tall
    if ('fitToHeight="0"' not in setup.group(0) or "fitToWidth" in setup.group(0)
            or '<pageSetUpPr fitToPage="1"/>' not in xml):
        fail(f"{sheet}: not fit to one page wide")
    if "<oddHeader>" not in xml or "<oddFooter>" not in xml:
        fail(f"{sheet}: no page header or footer")
    head = unescape(re.search(r"<oddHeader>(.*?)</oddHeader>", xml).group(1))
    # '&' is a code in headers: a literal one is doubled
    if "&L" + title.replace("&", "&&") not in head:
        fail(f"{sheet}: header {head!r} does not hold the report title")
    if "<f>" in xml:
        fail(f"{sheet}: a formula cell")
    return ws


def check_properties(pkg, wb, title):
    p = wb.properties
    expect(p.title, title, "document title")
    expect(p.created, dt.datetime(2026, 11, 20), "document created (as_of)")
    if "2026-11-20" not in (p.subject or ""):
        fail(f"subject {p.subject!r} does not name as_of")
    app = pkg.text("docProps/app.xml")
    if "<Company>Acme &amp; Co &lt;R&amp;D&gt;</Company>" not in app:
        fail("company not in docProps/app.xml")
    for info in pkg.zip.infolist():
        if info.date_time != (1980, 1, 1, 0, 0, 0):
            fail(f"zip entry {info.filename} dated {info.date_time}")


# ---- layout: widths, wrapping, room beside numbers ----------------------------

CAP = 40          # the widest a fitted column grows (characters)
PAD = 2           # room beside a column's widest content
LXW_PAD = 0.7109375   # libxlsxwriter adds Excel's 5-pixel cell padding


def col_widths(pkg, sheet):
    """{column (1-based): width in characters as set}, hidden ones left out."""
    out = {}
    for a, b, w, rest in re.findall(r'<col min="(\d+)" max="(\d+)" width="([\d.]+)"([^>]*)>',
                                     pkg.sheet_xml(sheet)):
        if 'hidden="1"' in rest:
            continue
        for c in range(int(a), int(b) + 1):
            out[c] = float(w) - LXW_PAD
    return out


def check_layout(pkg, wb, sheet, header):
    """No column wider than CAP; a text longer than its column wraps, its
    row at least as tall as the lines it needs (15 points a line)."""
    ws = wb[sheet]
    widths = col_widths(pkg, sheet)
    for c, w in widths.items():
        if w > CAP + 1e-9:
            fail(f"{sheet}: column {c} is {w:g} characters wide, over {CAP}")
    for row in ws.iter_rows(min_row=header):
        for cell in row:
            if not isinstance(cell.value, str) or cell.column not in widths:
                continue
            longest = max(len(line) for line in cell.value.split("\n"))
            lines = len(cell.value.split("\n"))
            if longest <= widths[cell.column] and lines == 1:
                continue
            what = f"{sheet}!{cell.coordinate} ({longest} characters)"
            if not cell.alignment.wrap_text:
                fail(f"{what}: wider than its column ({widths[cell.column]:g}) but not wrapped")
            # at least a line per column's width of its longest line
            need = min(27, max(lines, -(-longest // int(widths[cell.column]))))
            height = ws.row_dimensions[cell.row].height or 15
            if height < 15 * need:
                fail(f"{what}: its row is {height:g} points tall, under {need} lines")


def shown(cell):
    """The text a cell shows, for the formats the fixture's numbers use."""
    v, f = cell.value, cell.number_format
    if isinstance(v, dt.datetime):
        return v.strftime({"yyyy-mm-dd": "%Y-%m-%d", "yyyy-mm-dd hh:mm": "%Y-%m-%d %H:%M",
                           "yyyy-mm-dd hh:mm:ss": "%Y-%m-%d %H:%M:%S"}[f])
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return f"{v:,.0f}" if f == "#,##0" else f"{v:.0f}" if f == "0" else str(v)
    return "" if v is None else str(v)


def check_room(pkg, wb, sheet, header, columns):
    """Each of `columns` (1-based) is at least PAD characters wider than
    the widest text its cells show."""
    ws = wb[sheet]
    widths = col_widths(pkg, sheet)
    for c in columns:
        longest = max(len(shown(ws.cell(r, c))) for r in range(header + 1, ws.max_row + 1))
        if widths[c] < longest + PAD:
            fail(f"{sheet}: column {c} is {widths[c]:g} wide for {longest} characters"
                 f" and {PAD} of room")


def check_indent(wb, sheet, header, col, want=1):
    """Text in column `col` (1-based), after a column of numbers, is
    indented off them (its header too)."""
    ws = wb[sheet]
    for r in range(header, ws.max_row + 1):
        cell = ws.cell(r, col)
        if isinstance(cell.value, str) and cell.alignment.indent != want:
            fail(f"{sheet}!{cell.coordinate} {cell.value!r}: indent "
                 f"{cell.alignment.indent:g}, want {want}")


# ---- Summary ----------------------------------------------------------------

STATUS = {"green": "green", "amber": "amber", "red": "red", None: None}
NUMFMT = {"integer": "#,##0", "number": "#,##0.0", "percent": "0.0%",
          "currency:EUR": '"€"#,##0.00', "duration": "[h]:mm:ss"}
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def cell_value(kpi, v):
    if v is None:
        return None
    return v / DAY if kpi["format"] == "duration" else v


def period_label(kpi):
    p = kpi["current_period"]
    if kpi["grain"] == "month":
        y, m, _ = p["start"].split("-")
        return f"{MONTHS[int(m) - 1]} {y}"
    return p["label"]


def summary_rows(kpis):
    for k in kpis:
        states = k["groups"] if k["by"] else [dict(k, group=None)]
        for st in states:
            yield k, st


def check_summary(pkg, wb, kpis, title):
    ws = check_setup(pkg, wb, "Summary", "A5", title)
    expect(ws["A1"].value, title, "Summary title")
    if "As of Nov 20, 2026" not in ws["A2"].value:
        fail(f"Summary subtitle {ws['A2'].value!r} lacks as_of")
    header = [c.value for c in ws[4]][:10]
    expect(header, ["KPI", "Group", "Period", "Value", "Previous", "Change",
                    "Change %", "Target", "Status", "Trend"], "Summary header")
    rows = list(summary_rows(kpis))
    expect(ws.auto_filter.ref, f"A4:J{4 + len(rows)}", "Summary autofilter")
    for i, (k, st) in enumerate(rows):
        r = 5 + i
        what = f"Summary row {r} ({k['id']} {st.get('group')})"
        expect(ws.cell(r, 1).value, k["title"], what + " KPI")
        expect(ws.cell(r, 1).hyperlink is not None, True, what + " link")
        expect(ws.cell(r, 2).value, st.get("group"), what + " group")
        expect(ws.cell(r, 3).value, period_label(k), what + " period")
        if st["current"] is None:
            expect(ws.cell(r, 4).value, "no data", what + " value")
        else:
            near(ws.cell(r, 4).value, cell_value(k, st["current"]), what + " value")
            expect(ws.cell(r, 4).data_type in ("n", "d"), True, what + " value type")
        near(ws.cell(r, 5).value, cell_value(k, st["previous"]), what + " previous")
        near(ws.cell(r, 6).value, cell_value(k, st["delta"]), what + " change")
        rel = st["delta_rel"] if k["format"] != "percent" else None
        near(ws.cell(r, 7).value, rel, what + " change %")
        near(ws.cell(r, 8).value, cell_value(k, st["target"]), what + " target")
        expect(ws.cell(r, 9).value, STATUS[st["status"]], what + " status")
        expect(ws.cell(r, 4).number_format, NUMFMT[k["format"]], what + " number format")
        expect(ws.cell(r, 7).number_format, '+0.0%;"−"0.0%;0.0%', what + " change % format")
    # status colours: one rule per word over the status column
    rng = f"I5:I{4 + len(rows)}"
    # the Status header sits centred over its centred words, and the target
    # keeps a character off their fill
    expect(ws.cell(4, 9).alignment.horizontal, "center", "Summary: Status header alignment")
    for r in range(4, 5 + len(rows)):
        if ws.cell(r, 8).value is not None:
            expect((ws.cell(r, 8).alignment.horizontal, ws.cell(r, 8).alignment.indent),
                   ("right", 1), f"Summary H{r}: target alignment")
    words = sorted(r.formula[0] for cf in ws.conditional_formatting
                   if str(cf.sqref) == rng for r in cf.rules)
    expect(words, ['"amber"', '"green"', '"red"'], "status colour rules")
    # one sparkline per row, in the Trend column of that row
    images = pkg.images("Summary")
    expect(sorted((r, c) for r, c, _ in images),
           [(4 + i, 9) for i in range(len(rows))], "sparkline anchors")
    for _, _, part in images:
        if not pkg.zip.read(part).startswith(b"\x89PNG"):
            fail(f"{part} is not a PNG")
    return len(rows)


# ---- OKRs -------------------------------------------------------------------

OKR_WORDS = {"not_started": "not started", "ended": "ended", "done": "done",
             "on_track": "on track", "at_risk": "at risk", "off_track": "off track"}


def okr_rows(quarter):
    """(depth, kind, json) in the sheet's order: roots, their KRs, then
    their aligned children."""
    objs = {o["id"]: o for o in quarter["objectives"]}

    def walk(o, depth):
        yield depth, "objective", o
        for kr in o["key_results"]:
            yield depth + 1, "kr", kr
        for c in o["children"]:
            if c in objs:
                yield from walk(objs[c], depth + 1)
    for o in quarter["objectives"]:
        if o["parent"] not in objs:
            yield from walk(o, 0)


def status_word(x):
    w = OKR_WORDS[x["status"]]
    return f"{w} ({x['grade']})" if x.get("grade") else w


# Key results' owners (okrs --json names objectives' only).
KR_OWNERS = {"support-kr-docs": "Docs team"}


def check_okrs(pkg, wb, okrs, quarters, title):
    ws = check_setup(pkg, wb, "OKRs", "A5", title)
    header = [c.value for c in ws[4]][:13]
    expect(header[:3], ["Quarter", "ID", "Objective / key result"], "OKRs header")
    by_label = {q["quarter"]: q for q in okrs["quarters"]}
    r = 5
    for label in quarters:
        for depth, kind, x in okr_rows(by_label[label]):
            what = f"OKRs row {r} ({x['id']})"
            expect(ws.cell(r, 1).value, label, what + " quarter")
            expect(ws.cell(r, 2).value, x["id"], what + " id")
            expect(ws.cell(r, 3).value, x["title"], what + " title")
            owner = x["owner"] if kind == "objective" else KR_OWNERS.get(x["id"])
            expect(ws.cell(r, 4).value, owner or None, what + " owner")
            expect(ws.row_dimensions[r].outline_level, min(depth, 7), what + " outline level")
            near(ws.cell(r, 8).value, x["progress"], what + " progress")
            near(ws.cell(r, 9).value, x["expected"], what + " expected")
            expect(ws.cell(r, 10).value, status_word(x), what + " status")
            near(ws.cell(r, 11).value, x["confidence"], what + " confidence")
            if kind == "kr" and x["type"] == "numeric":
                near(ws.cell(r, 5).value, x["baseline"], what + " baseline")
                near(ws.cell(r, 6).value, x["current"], what + " current")
                near(ws.cell(r, 7).value, x["target"], what + " target")
            if kind == "kr" and x["last_checkin"]:
                expect(ws.cell(r, 12).value,
                       dt.datetime.fromisoformat(x["last_checkin"]), what + " check-in")
            expect(ws.cell(r, 3).font.b, kind == "objective", what + " bold")
            r += 1
    expect(ws.max_row, r - 1, "OKRs rows")
    bars = [rule for cf in ws.conditional_formatting if str(cf.sqref) == f"H5:H{r - 1}"
            for rule in cf.rules if rule.type == "dataBar"]
    expect(len(bars), 1, "progress data bar")
    xml = pkg.sheet_xml("OKRs")
    if 'summaryBelow="0"' not in xml:
        fail("OKRs: outline summary rows should be above their details")
    # thirteen columns on a landscape page: long texts wrap sooner, the
    # note is indented off the check-in dates
    widths = col_widths(pkg, "OKRs")
    for c, cap in ((3, 30), (4, 18), (13, 30)):
        if widths[c] > cap:
            fail(f"OKRs: column {c} is {widths[c]:g} wide, over {cap}")
    check_layout(pkg, wb, "OKRs", 4)
    check_indent(wb, "OKRs", 4, 13)
    check_room(pkg, wb, "OKRs", 4, [12])


# ---- KPI sheets ---------------------------------------------------------------

def read_series(out, kpi_id):
    with open(os.path.join(out, "kpis", kpi_id + ".csv"), newline="") as f:
        return [(r["period"], r["group"], float(r["value"])) for r in csv.DictReader(f)]


def check_kpi_sheet(pkg, wb, sheet, k, out, title):
    ws = check_setup(pkg, wb, sheet, "A5", title)
    expect(ws["A1"].value, k["title"], f"{sheet}: title")
    header = [c.value for c in ws[4]]
    groups = [g["group"] for g in k["groups"]] if k["by"] else ["Value"]
    # a day is its own label: the second column names its weekday
    daily = k["grain"] == "day"
    names = ["Date", "Weekday"] if daily else ["Period start", "Period"]
    expect(header[:2 + len(groups)], names + groups, f"{sheet}: header")
    col = {g: 3 + i for i, g in enumerate(groups)}
    rows = {}
    last = ws.max_row
    for r in range(5, last + 1):
        start = ws.cell(r, 1).value
        if not isinstance(start, dt.datetime):
            fail(f"{sheet}: A{r} is {start!r}, not a date")
        rows[start.date().isoformat()] = r
        if daily:
            expect(ws.cell(r, 2).value, start.strftime("%a"), f"{sheet}: B{r} weekday")
        elif ws.cell(r, 2).value == start.date().isoformat():
            fail(f"{sheet}: B{r} repeats the period's date")
    series = read_series(out, k["id"])
    seen = set()
    for period, group, value in series:
        r = rows.get(period)
        if r is None:
            fail(f"{sheet}: no row for period {period}")
        c = col[group if k["by"] else "Value"]
        near(ws.cell(r, c).value, value / DAY if k["format"] == "duration" else value,
             f"{sheet}: {period} {group}")
        expect(ws.cell(r, c).number_format, NUMFMT[k["format"]], f"{sheet}: number format")
        seen.add((r, c))
    # cells the series leaves out: empty, or 0 for a count
    for r in range(5, last + 1):
        for c in col.values():
            v = ws.cell(r, c).value
            if (r, c) not in seen and v not in (None, 0):
                fail(f"{sheet}: {ws.cell(r, c).coordinate} holds {v!r}, not in the series")
    expect(ws.auto_filter.ref is not None, True, f"{sheet}: autofilter")
    charts = pkg.charts(sheet)
    expect(len(charts), 1, f"{sheet}: one chart")
    chart = charts[0]
    q = quoted(sheet)
    cats = {unescape(f) for f in re.findall(r"<c:cat>.*?<c:f>(.*?)</c:f>", chart, re.S)}
    cat = "A" if daily else "B"
    expect(cats, {f"{q}!${cat}$5:${cat}${last}"}, f"{sheet}: chart categories")
    vals = re.findall(r"<c:val>.*?<c:f>(.*?)</c:f>", chart, re.S)
    want = f"{q}!$C$5:$C${last}"
    if unescape(vals[0]) != want:
        fail(f"{sheet}: first series {vals[0]!r}, want {want!r}")
    if "<c:numCache>" not in chart:
        fail(f"{sheet}: the chart has no cached values (phone viewers draw them)")
    check_layout(pkg, wb, sheet, 4)
    # the label after the dates, and the note after the numbers, indented
    check_indent(wb, sheet, 4, 2)
    check_indent(wb, sheet, 4, len(header))
    check_room(pkg, wb, sheet, 4, [1])
    return chart


# ---- the reports ---------------------------------------------------------------

LEADERSHIP_SHEETS = [
    "Summary", "OKRs", "Weekly active users", "Pro share of events", "Feedback items",
    "Events by plan", "Tickets opened", "Time from ticket opened to clos",
    "Time from ticket opened to (2)", "Revenue <script>alert('x')<_scr",
    "Events per active user", "Events", "Events per day", "feedback", "deals", "Sources"]


def leadership(xlsx, kpi_json, okr_json, out, site):
    title = "Leadership report — Q4 & beyond"
    kpis = json.load(open(kpi_json))
    okrs = json.load(open(okr_json))
    pkg = Package(xlsx)
    wb = openpyxl.load_workbook(xlsx)
    expect(wb.sheetnames, LEADERSHIP_SHEETS, "sheet names and order")
    check_properties(pkg, wb, title)
    check_summary(pkg, wb, kpis, title)
    check_okrs(pkg, wb, okrs, [okrs["latest"]], title)
    for sheet, k in zip(LEADERSHIP_SHEETS[2:13], kpis):
        chart = check_kpi_sheet(pkg, wb, sheet, k, out, title)
        if k["id"] == "events_by_plan":
            if '<c:grouping val="stacked"/>' not in chart or "<c:barChart>" not in chart:
                fail("events_by_plan: not a stacked column chart")
        elif "<c:lineChart>" not in chart:
            fail(f"{k['id']}: not a line chart")
        if k["id"] == "wau" and chart.count("<c:ser>") != 2:
            fail("wau: the chart should have the value and the target")
    ws = check_setup(pkg, wb, "feedback", "A2", title)
    expect([c.value for c in ws[1]], ["created", "category", "source", "status"], "feedback header")
    with open(os.path.join(site, "data", "feedback.csv"), newline="") as f:
        want = [r for r in csv.DictReader(f) if r["created"] <= AS_OF.isoformat()]
    expect(ws.max_row - 1, len(want), "feedback rows")
    for i, r in enumerate(want):
        got = [c.value for c in ws[i + 2]]
        expect(got, [dt.datetime.fromisoformat(r["created"]), r["category"], r["source"],
                     r["status"]], f"feedback row {i + 2}")
    expect(ws.auto_filter.ref, f"A1:D{len(want) + 1}", "feedback autofilter")
    check_layout(pkg, wb, "feedback", 1)
    check_indent(wb, "feedback", 1, 2)
    check_room(pkg, wb, "feedback", 1, [1])
    check_deals(pkg, wb, site, title)
    ws = check_setup(pkg, wb, "Sources", "A5", title)
    got = {ws.cell(r, 1).value: ws.cell(r, 5).value for r in range(5, ws.max_row + 1)}
    expect(got["events"], 4193, "Sources: events rows")
    if "min_rows 10: ok" not in ws.cell(6, 8).value:
        fail(f"Sources: feedback checks {ws.cell(6, 8).value!r}")
    expect(ws.cell(5, 6).is_date, True, "Sources: newest row is a date")
    # freshness: events has stale_after (its newest row is a day old), the
    # others none
    fresh = {ws.cell(r, 1).value: ws.cell(r, 7).value for r in range(5, ws.max_row + 1)}
    expect(fresh["events"], "fresh", "Sources: events freshness")
    expect(fresh["feedback"], "not checked", "Sources: feedback freshness")
    check_layout(pkg, wb, "Sources", 4)
    check_indent(wb, "Sources", 4, 7)
    check_room(pkg, wb, "Sources", 4, [4, 5, 6])
    check_layout(pkg, wb, "Summary", 4)
    check_room(pkg, wb, "Summary", 4, [3])


def check_deals(pkg, wb, site, title):
    """The deals table: integers with thousands separators but ids and
    years; a long note wrapped; the stage indented off the amounts."""
    ws = check_setup(pkg, wb, "deals", "A2", title)
    expect([c.value for c in ws[1]], ["closed", "id", "year", "arr", "stage", "note"],
           "deals header")
    with open(os.path.join(site, "data", "deals.csv"), newline="") as f:
        want = list(csv.DictReader(f))
    expect(ws.max_row - 1, len(want), "deals rows")
    for i, r in enumerate(want):
        row = ws[i + 2]
        what = f"deals row {i + 2}"
        expect([row[1].value, row[2].value, row[3].value],
               [int(r["id"]), int(r["year"]), int(r["arr"])], what)
        expect([c.number_format for c in row[1:4]], ["0", "0", "#,##0"], what + " formats")
        expect(row[5].value, r["note"], what + " note")
    check_layout(pkg, wb, "deals", 1)
    check_indent(wb, "deals", 1, 5)
    check_room(pkg, wb, "deals", 1, [1, 2, 3, 4])
    expect(ws["F2"].alignment.wrap_text, True, "deals: the long note wraps")


def ops(xlsx, kpi_json, okr_json, out, site):
    title = "Ops data"
    kpis = {k["id"]: k for k in json.load(open(kpi_json))}
    okrs = json.load(open(okr_json))
    pkg = Package(xlsx)
    wb = openpyxl.load_workbook(xlsx)
    sheets = ["Summary", "OKRs", "Tickets opened", "Time from ticket opened to clos",
              "Time from ticket opened to (2)", "hostile", "history_", "Sources"]
    expect(wb.sheetnames, sheets, "sheet names and order")
    n = check_summary(pkg, wb, [kpis[i] for i in ("tickets", "close_avg", "close_median")],
                      title)
    expect(n, 3, "ops Summary rows")
    check_okrs(pkg, wb, okrs, ["2026-Q3", "2026-Q4"], title)
    # the hostile table: every text cell exactly as exported, a string cell
    ws = check_setup(pkg, wb, "hostile", "A2", title)
    with open(os.path.join(site, "data", "hostile.csv"), newline="") as f:
        want = [r for r in csv.DictReader(f) if r["day"] <= AS_OF.isoformat()]
    expect(ws.max_row - 1, len(want), "hostile rows (up to as_of)")
    for i, r in enumerate(want):
        row = ws[i + 2]
        what = f"hostile row {i + 2}"
        for c, name in ((2, "who"), (3, "payload"), (7, "code")):
            if r[name] == "":
                expect(row[c].value, None, what + " " + name)
                continue
            expect(excel_text(row[c].value), r[name], what + " " + name)
            expect(row[c].data_type, "s", what + " " + name + " type")
        expect(row[0].value, dt.datetime.fromisoformat(r["day"]), what + " day")
        expect(row[0].number_format, "yyyy-mm-dd", what + " day format")
        near(row[4].value, float(r["amount"]), what + " amount")
        expect(row[4].data_type, "n", what + " amount type")
        if r["flag"]:
            expect(row[5].value, r["flag"].lower() == "true", what + " flag")
        if r["share"]:
            near(row[6].value, float(r["share"].rstrip("%")) / 100, what + " share")
            expect(row[6].number_format, "0.0%", what + " share format")
        if r["at"]:
            want_at = dt.datetime.fromisoformat(r["at"].replace("Z", "+00:00"))
            got_at = row[1].value.replace(tzinfo=dt.timezone.utc)
            if abs((got_at - want_at).total_seconds()) > 0.001:
                fail(f"{what} at: got {got_at}, want {want_at}")
    check_layout(pkg, wb, "hostile", 1)
    ws = wb["history_"]
    expect(excel_text(ws["B2"].value), "\r=1+1 after a CR", "a CR-first cell")
    expect(ws["B3"].value, "-5 apples", "a minus-first cell")
    for sheet in pkg.sheets:
        if "<f>" in pkg.sheet_xml(sheet):
            fail(f"{sheet}: a formula cell")


def lo_csv(folder):
    """LibreOffice's CSV export of ops.xlsx, one file per sheet: the
    payloads were read as text, not evaluated."""
    files = {f: os.path.join(folder, f) for f in os.listdir(folder)}
    hostile = [f for f in files if f.endswith("-hostile.csv")]
    if not hostile:
        fail(f"no hostile sheet among {sorted(files)}")
    rows = list(csv.reader(open(files[hostile[0]], newline="", encoding="utf-8")))
    payloads = [r[3] for r in rows[1:]]
    for p in ('=HYPERLINK("http://x","y")', "+1+1", "-2", "@SUM(A1)", "=1+1",
              "<script>alert(1)</script> & co"):
        if p not in payloads:
            fail(f"LibreOffice CSV: payload {p!r} not kept as text: {payloads}")
    summary = [f for f in files if f.endswith("-Summary.csv")]
    rows = list(csv.reader(open(files[summary[0]], newline="", encoding="utf-8")))
    if rows[3][:4] != ["KPI", "Group", "Period", "Value"]:
        fail(f"LibreOffice CSV: Summary header {rows[3]}")
    if not any(r[0] == "Tickets opened" for r in rows):
        fail("LibreOffice CSV: Summary lacks the tickets row")


def table(xlsx, sheet, n):
    """A bench-shaped table sheet: n rows, typed, in the sheet's order."""
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    ws = wb[sheet]
    count = 0
    for i, row in enumerate(ws.iter_rows(min_row=2, values_only=True)):
        count += 1
        if i < 3 and not (isinstance(row[0], dt.datetime) and isinstance(row[5], (int, float))):
            fail(f"{sheet}: row {i + 2} not typed: {row}")
    expect(count, n, f"{sheet}: rows")


def stale(xlsx, site):
    """The Sources sheet of a build whose deals source went stale: its
    age in days, counted to the end of as_of."""
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["Sources"]
    fresh = {ws.cell(r, 1).value: ws.cell(r, 7).value for r in range(5, ws.max_row + 1)}
    with open(os.path.join(site, "data", "deals.csv"), newline="") as f:
        newest = max(dt.date.fromisoformat(r["closed"]) for r in csv.DictReader(f))
    days = (AS_OF + dt.timedelta(days=1) - newest).days
    expect(fresh["deals"], f"stale: {days} days old", "Sources: deals freshness")
    expect(fresh["events"], "fresh", "Sources: events freshness")


def main():
    if len(sys.argv) < 3:
        fail(__doc__)
    mode, args = sys.argv[1], sys.argv[2:]
    {"leadership": leadership, "ops": ops, "csv": lo_csv, "stale": stale,
     "table": lambda x, s, n: table(x, s, int(n))}[mode](*args)


if __name__ == "__main__":
    main()
