#!/usr/bin/env node
/* dash_check.js: the dashboards fixture (tests/golden/dashboards/site) in
 * a real headless Chromium, for tests/e2e/dash_browser.sh: the numbers a
 * reader sees on the KPI and OKR pages equal the JSON commands', charts
 * load and follow the theme (dark picture sources, light in print), the
 * team filter, a phone's width, and screenshots to look at.
 * SPDX-License-Identifier: MIT
 *
 *   node tests/tools/dash_check.js BASE_URL KPI_JSON OKR_JSON SHOTS_DIR
 *
 * Prints "ok NAME" / "FAIL NAME: why" per check, then "done". */
"use strict";
const fs = require("fs");
const path = require("path");

const [base, kpiJson, okrJson, shots] = process.argv.slice(2);
if (!shots) {
  process.stderr.write("usage: dash_check.js BASE_URL KPI_JSON OKR_JSON SHOTS_DIR\n");
  process.exit(2);
}
const t = require("./browser_lib.js")(base);
const { ok, bad, watch, expect, open, run, main, noProblems } = t;
const kpis = JSON.parse(fs.readFileSync(kpiJson, "utf8"));
const okrs = JSON.parse(fs.readFileSync(okrJson, "utf8"));

/* What a card shows, as the reader's browser renders it. */
async function cardTexts(page, scope) {
  return page.locator(scope + " article.kpi-card[data-kpi]").evaluateAll(
    (cards) => cards.filter((c) => !c.dataset.group).map((c) => ({
      id: c.dataset.kpi,
      value: (c.querySelector(".kpi-figure .kpi-value") || {}).innerText,
      groups: Array.from(c.querySelectorAll("tr.kpi-group")).map((r) => ({
        group: r.dataset.group,
        value: r.querySelector(".kpi-value").innerText,
      })),
    })));
}

function sameCard(card, k) {
  if (k.by === null) {
    const want = k.current_text === null ? "no data" : k.current_text;
    expect(card.value === want, k.id + " shows " + card.value + ", kpi --json " + want);
    return;
  }
  for (const g of k.groups) {
    const row = card.groups.find((r) => r.group === g.group);
    expect(row, k.id + " has no row for " + g.group);
    expect(row.value === g.current_text, k.id + "[" + g.group + "] shows " +
      row.value + ", kpi --json " + g.current_text);
  }
}

/* Scrolls to the end so that lazy images load. */
async function loadAll(page) {
  await page.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 400) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 20));
    }
    window.scrollTo(0, 0);
  });
  await page.waitForLoadState("networkidle");
}

/* Lists the images that did not load, all of them asked for. */
async function brokenImages(page) {
  await loadAll(page);
  return page.locator("img").evaluateAll((imgs) => imgs
    .filter((i) => !i.complete || i.naturalWidth === 0)
    .map((i) => i.getAttribute("src")));
}

/* Group names in the cards' tables whose words the browser broke inside
 * (issue 8: "repor/ts"): a word may break only when it is longer than
 * the column may be (its max-width). */
async function brokenGroupNames(page) {
  return page.locator(".kpi-groups .kpi-group-name").evaluateAll((cells) => {
    const out = [];
    for (const cell of cells) {
      const text = cell.firstChild;
      if (!text || text.nodeType !== Node.TEXT_NODE) continue;
      const max = parseFloat(getComputedStyle(cell).maxWidth) || Infinity;
      const re = /\S+/g;
      let m;
      while ((m = re.exec(text.data))) {
        const r = document.createRange();
        r.setStart(text, m.index);
        r.setEnd(text, m.index + m[0].length);
        const rects = Array.from(r.getClientRects()).filter((x) => x.width > 0);
        const width = rects.reduce((w, x) => w + x.width, 0);
        if (rects.length > 1 && width <= max) out.push(m[0]);
      }
    }
    return out;
  });
}

/* Tables in the text that run past it without a way to see the rest:
 * each fits, or scrolls inside its own box with a shadow at its edges. */
async function clippedTables(page) {
  return page.locator("article table").evaluateAll((tables) => {
    const main = document.querySelector("main").getBoundingClientRect();
    const out = [];
    for (const t of tables) {
      if (t.closest("details:not([open])") || t.closest(".kpi-card")) continue;
      const box = t.getBoundingClientRect();
      const cs = getComputedStyle(t);
      const name = (t.querySelector("caption") || {}).textContent || t.className;
      if (box.right > main.right + 0.5)
        out.push(name + " runs past the text (" + box.right + " > " + main.right + ")");
      else if (t.scrollWidth > t.clientWidth &&
          (!/auto|scroll/.test(cs.overflowX) || !/gradient/.test(cs.backgroundImage)))
        out.push(name + " is cut with no scroll or shadow");
    }
    return out;
  });
}

/* Objectives whose owner line sits beside the title instead of under it
 * (okrs/: a short title left room for it, a long one did not). */
async function ownerBesideTitle(page) {
  return page.locator("li.objective > .okr-head").evaluateAll((heads) => heads
    .filter((h) => h.querySelector(".okr-meta") && h.offsetParent)
    .filter((h) => h.querySelector(".okr-meta").getBoundingClientRect().top <
      h.querySelector(".okr-title").getBoundingClientRect().bottom - 1)
    .map((h) => h.parentElement.dataset.id));
}

function okrItems(q) {
  const out = [];
  for (const o of q.objectives) {
    out.push(o);
    for (const kr of o.key_results) out.push(kr);
  }
  return out;
}

async function checks(browser) {
  fs.mkdirSync(shots, { recursive: true });
  const desktop = await browser.newContext({
    viewport: { width: 1280, height: 900 }, colorScheme: "light",
  });
  const page = watch(await desktop.newPage());

  await run("every KPI card on kpis/ shows the kpi --json value", async () => {
    await open(page, "kpis/index.html", "KPIs");
    const cards = await cardTexts(page, "main");
    expect(cards.length === kpis.length, cards.length + " cards for " +
      kpis.length + " KPIs");
    for (const k of kpis) sameCard(cards.find((c) => c.id === k.id) || {}, k);
    await page.screenshot({ path: path.join(shots, "kpis.png"), fullPage: true });
  });

  await run("charts, sparklines and pictures all load", async () => {
    for (const where of ["kpis/index.html", "kpis/feedback/index.html",
      "process/feedback.html", "index.html"]) {
      await open(page, where);
      const broken = await brokenImages(page);
      expect(broken.length === 0, where + ": " + broken.join(", "));
    }
  });

  await run("group names in cards break between words, tables fit or scroll", async () => {
    for (const where of ["kpis/index.html", "kpis/feedback/index.html",
      "process/feedback.html"]) {
      await open(page, where);
      const words = await brokenGroupNames(page);
      expect(words.length === 0, where + ": broken inside " + words.join(", "));
      const cut = await clippedTables(page);
      expect(cut.length === 0, where + ": " + cut.join("; "));
    }
  });

  await run("each KPI page shows its card, chart and table", async () => {
    for (const k of kpis) {
      await open(page, "kpis/" + k.id + "/index.html", k.title);
      const cards = await cardTexts(page, ".kpi-page");
      sameCard(cards[0] || {}, k);
      expect(await page.locator("h2#chart + figure.chart picture img").count() === 1,
        k.id + ": no chart");
      /* its numbers are the table's below, not a second copy */
      expect(await page.locator("h2#chart + figure.chart details").count() === 0,
        k.id + ": the chart repeats the By period table");
      /* a target per group: a chart of each such group, with its target */
      const targeted = k.by === null ? [] : k.groups.filter((g) => g.target !== null);
      const alts = await page.locator(".kpi-target-charts figure.chart img")
        .evaluateAll((imgs) => imgs.map((i) => i.alt));
      expect(alts.length === targeted.length, k.id + ": " + alts.length +
        " target charts for " + targeted.length + " groups with a target");
      for (const g of targeted) {
        const alt = alts.find((a) => a.startsWith(k.title + ", " + g.group + ","));
        expect(alt && alt.includes(" against a target of "),
          k.id + "[" + g.group + "]: no chart saying its target (" + alt + ")");
      }
      expect(await page.locator("table.kpi-table tbody tr").count() > 0,
        k.id + ": no table");
      if (k.id === "wau")
        await page.screenshot({ path: path.join(shots, "kpi.png"), fullPage: true });
    }
  });

  await run("the cards in a page agree with kpi --json", async () => {
    await open(page, "index.html");
    const cards = await cardTexts(page, "main");
    expect(cards.length >= 5, "only " + cards.length + " cards");
    for (const c of cards) sameCard(c, kpis.find((k) => k.id === c.id));
    await page.screenshot({ path: path.join(shots, "home.png"), fullPage: true });
  });

  const latest = okrs.quarters.find((q) => q.quarter === okrs.latest);
  await run("okrs/ shows the latest quarter's okrs --json progress and status", async () => {
    await open(page, "okrs/index.html", "OKRs");
    for (const item of okrItems(latest)) {
      const el = page.locator('[data-id="' + item.id + '"]').first();
      const got = await el.evaluate((e) => ({
        progress: e.querySelector(".okr-progress").innerText.trim(),
        status: e.dataset.status,
        words: e.querySelector(".okr-status").innerText.trim(),
        bar: Number(e.querySelector(".okr-bar").dataset.progress),
      }));
      const want = Math.floor(item.progress * 100 + 0.5) + "%";
      expect(got.progress === want, item.id + " shows " + got.progress + ", okrs --json " + want);
      expect(got.status === item.status && got.words.length > 0,
        item.id + " status " + got.status + " (" + got.words + "), okrs --json " + item.status);
      expect(Math.abs(got.bar - item.progress) < 1e-9, item.id + " bar at " + got.bar);
    }
    const beside = await ownerBesideTitle(page);
    expect(beside.length === 0, "owner beside the title: " + beside.join(", "));
    await page.screenshot({ path: path.join(shots, "okrs.png"), fullPage: true });
  });

  await run("the team filter shows a team's objectives and their parents", async () => {
    await open(page, "okrs/" + latest.quarter + "/index.html");
    await page.locator('.okr-filter button[data-team="growth"]').click();
    const shown = async (id) => page.locator('li.objective[data-id="' + id + '"]').first().isVisible();
    expect(await shown("growth-O1"), "growth-O1 is hidden");
    expect(await shown("co-O1"), "its parent co-O1 is hidden");
    expect(!(await shown("support-O1")), "support-O1 is still shown");
    expect(/team=growth/.test(page.url()), "the choice is not in the URL: " + page.url());
    await page.reload();
    expect(!(await shown("support-O1")), "after a reload support-O1 is shown again");
    await page.locator('.okr-filter button[data-team=""]').click();
    expect(await shown("support-O1"), "All teams does not bring support-O1 back");
  });

  await run("in the dark theme the charts are the dark ones", async () => {
    await open(page, "kpis/wau/index.html");
    await page.locator(".theme-toggle").click();
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll("picture img")).every((i) =>
        i.currentSrc.endsWith(".dark.svg")));
    await page.screenshot({ path: path.join(shots, "dark.png"), fullPage: true });
    await page.emulateMedia({ media: "print" });
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll("picture img")).every((i) =>
        !i.currentSrc.endsWith(".dark.svg")));
    await page.emulateMedia({ media: "screen" });
    await page.locator(".theme-toggle").click(); /* back to light */
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll("picture img")).every((i) =>
        !i.currentSrc.endsWith(".dark.svg")));
  });

  const darkOs = await browser.newContext({
    viewport: { width: 1280, height: 900 }, colorScheme: "dark",
  });
  await run("a dark system theme gets the dark charts without a click", async () => {
    const p = watch(await darkOs.newPage());
    await open(p, "process/feedback.html");
    await loadAll(p);
    await p.waitForFunction(() =>
      Array.from(document.querySelectorAll("picture img")).every((i) =>
        i.currentSrc.endsWith(".dark.svg")));
  });
  await darkOs.close();

  const phone = await browser.newContext({
    viewport: { width: 375, height: 740 }, colorScheme: "light",
    isMobile: true, hasTouch: true,
  });
  await run("on a 375px screen nothing scrolls sideways", async () => {
    const p = watch(await phone.newPage());
    for (const where of ["kpis/index.html", "kpis/feedback/index.html",
      "okrs/index.html", "process/feedback.html", "process/planning.html"]) {
      await open(p, where);
      const w = await p.evaluate(() => ({
        scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth,
      }));
      expect(w.scroll <= w.inner, where + " scrolls sideways (" + w.scroll +
        " > " + w.inner + ")");
      const words = await brokenGroupNames(p);
      expect(words.length === 0, where + ": broken inside " + words.join(", "));
      const cut = await clippedTables(p);
      expect(cut.length === 0, where + ": " + cut.join("; "));
      if (where === "kpis/index.html")
        await p.screenshot({ path: path.join(shots, "mobile-kpis.png"), fullPage: true });
      if (where === "okrs/index.html")
        await p.screenshot({ path: path.join(shots, "mobile-okrs.png"), fullPage: true });
    }
  });
  await phone.close();

  noProblems();
  await desktop.close();
}

main(checks);
