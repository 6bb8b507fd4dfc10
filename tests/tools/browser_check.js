#!/usr/bin/env node
/* browser_check.js: the golden site (tests/golden/basic/site) in a real
 * headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core),
 * for tests/e2e/browser.sh.
 * SPDX-License-Identifier: MIT
 *
 *   node tests/tools/browser_check.js BASE_URL SHOTS_DIR
 *
 * BASE_URL is the folder the built site is in (file:///tmp/x/public/ or
 * http://127.0.0.1:8000/handbook/), SHOTS_DIR where the screenshots go
 * (light.png, dark.png, mobile.png, search.png). Prints one line per
 * check, "ok NAME" or "FAIL NAME: why", then "done" once every check ran.
 * playwright-core is looked up through NODE_PATH (tests set it to the
 * node_modules folder of tools/test-deps.sh). Exit status 0 when every
 * check passed, 1 when one failed, 2 when the browser could not be run. */
"use strict";
const fs = require("fs");
const path = require("path");

const [base, shots] = process.argv.slice(2);
if (!base || !shots) {
  process.stderr.write("usage: browser_check.js BASE_URL SHOTS_DIR\n");
  process.exit(2);
}
const { ok, bad, problems, watch, url, rel, expect, h1, landed, open, follow,
  link, currentLinks, luminance, run, main, noProblems } =
  require("./browser_lib.js")(base);

const TRIAGE = "process/feedback-triage.html";
const PROCESS = "process/index.html";
const REVISION = "process/revision-trimestrielle.html";
const FIRST_WEEK = "guides/onboarding/first-week.html";

async function checks(browser) {
  const desktop = await browser.newContext({
    viewport: { width: 1280, height: 800 }, colorScheme: "light",
  });
  const page = watch(await desktop.newPage());

  // 1. The home page: loads, styled, scripts ran, nothing went wrong.
  await run("the home page loads without errors", async () => {
    const before = problems.length;
    await open(page, "index.html", "Welcome");
    expect(await page.title() === "Welcome \u00b7 Test Handbook",
      "title is " + await page.title());
    const sticky = await page.locator("header.site").evaluate((el) =>
      getComputedStyle(el).position);
    expect(sticky === "sticky", "the stylesheet did not apply");
    expect(await page.evaluate(() => typeof window.OPSBOOK_SEARCH === "object"),
      "search-index.js did not load");
    expect(await page.locator(".theme-toggle").getAttribute("aria-pressed") !== null,
      "opsbook.js did not run");
    expect(problems.length === before, problems.slice(before).join("; "));
  });

  // 2. Nav links: the current one is marked.
  await run("nav links lead to their pages, marked current", async () => {
    await open(page, "index.html", "Welcome");
    expect((await currentLinks(page)).length === 0,
      "the home page marks a nav link current");
    await follow(page, link(page, "nav.site", "How we work"), PROCESS,
      "How we work");
    let cur = await currentLinks(page);
    expect(cur.length === 1 && cur[0].text === "How we work" &&
      rel(cur[0].href) === PROCESS, "current: " + JSON.stringify(cur));
    await follow(page, link(page, "nav.site", "Feedback triage"), TRIAGE,
      "Feedback triage");
    cur = await currentLinks(page);
    expect(cur.length === 1 && cur[0].text === "Feedback triage" &&
      rel(cur[0].href) === TRIAGE, "current: " + JSON.stringify(cur));
  });

  // 3. Breadcrumbs and previous/next.
  await run("breadcrumbs lead to the parent pages", async () => {
    await open(page, TRIAGE, "Feedback triage");
    const crumbs = await page.locator(".breadcrumbs a").allTextContents();
    expect(JSON.stringify(crumbs) === '["Welcome","How we work"]',
      "breadcrumbs " + JSON.stringify(crumbs));
    await follow(page, link(page, ".breadcrumbs", "How we work"), PROCESS,
      "How we work");
    await page.goBack();
    await landed(page, TRIAGE, "Feedback triage");
    await follow(page, link(page, ".breadcrumbs", "Welcome"), "index.html",
      "Welcome");
    await open(page, FIRST_WEEK, "Your first week");
    await follow(page, link(page, ".breadcrumbs", "Onboarding"),
      "guides/onboarding/index.html", "Onboarding");
    await follow(page, link(page, ".breadcrumbs", "Guides"),
      "guides/index.html", "Guides");
  });

  await run("previous and next links lead to the neighbouring pages", async () => {
    await open(page, "index.html", "Welcome");
    expect(await page.locator(".pager a.prev").count() === 0,
      "the home page has a previous link");
    await follow(page, page.locator('.pager a[rel="next"]'),
      "guides/index.html", "Guides");
    await open(page, TRIAGE, "Feedback triage");
    await follow(page, page.locator('.pager a[rel="prev"]'), REVISION,
      "R\u00e9vision trimestrielle");
    await follow(page, page.locator('.pager a[rel="next"]'), TRIAGE,
      "Feedback triage");
    await follow(page, page.locator('.pager a[rel="prev"]'), REVISION);
    await follow(page, page.locator('.pager a[rel="prev"]'), PROCESS,
      "How we work");
  });

  // 4. The on-this-page TOC.
  await run("the TOC links to headings on the page", async () => {
    await open(page, TRIAGE, "Feedback triage");
    const hrefs = await page.locator("aside.toc a").evaluateAll((as) =>
      as.map((a) => a.getAttribute("href")));
    expect(hrefs.length === 2, "TOC links: " + JSON.stringify(hrefs));
    for (const h of hrefs) {
      expect(h.startsWith("#"), "TOC link " + h + " leaves the page");
      const id = decodeURIComponent(h.slice(1));
      const tag = await page.evaluate((i) => {
        const el = document.getElementById(i);
        return el && document.querySelectorAll('[id="' + CSS.escape(i) + '"]')
          .length === 1 ? el.tagName : null;
      }, id);
      expect(tag === "H2" || tag === "H3", "no single heading with id " + id);
    }
    expect(new Set(hrefs).size === hrefs.length, "TOC ids repeat");
    await page.locator("aside.toc a").last().click();
    expect(await page.evaluate(() => location.hash) === hrefs[hrefs.length - 1],
      "clicking a TOC link does not go to its heading");
  });

  // 5. Search: "/" focuses the box; results link relative to data-root.
  await run("the / key focuses search, triage finds the page and Enter opens it",
    async () => {
      await open(page, "index.html", "Welcome");
      await page.locator("body").click({ position: { x: 5, y: 300 } });
      await page.keyboard.press("/");
      expect(await page.evaluate(() => document.activeElement &&
        document.activeElement.id) === "search-input", "/ did not focus the box");
      await page.keyboard.type("triage");
      const first = page.locator("#search-results [role=option]").first();
      await first.waitFor();
      const href = await first.evaluate((a) => a.href);
      expect(rel(href) === TRIAGE, "the first result is " + href);
      expect((await first.textContent()).includes("Feedback triage"),
        "the first result reads " + await first.textContent());
      await page.screenshot({ path: path.join(shots, "search.png") });
      await page.keyboard.press("Enter");
      await landed(page, TRIAGE, "Feedback triage");
    });

  await run("search for an accent-folded prefix (revis) finds the Revision page",
    async () => {
      // From two folders down, so data-root ("../../") is used.
      await open(page, FIRST_WEEK, "Your first week");
      await page.keyboard.press("/");
      expect(await page.evaluate(() => document.activeElement.id) ===
        "search-input", "/ did not focus the box");
      await page.keyboard.type("revis");
      const options = page.locator("#search-results [role=option]");
      await options.first().waitFor();
      const texts = await options.allTextContents();
      const i = texts.findIndex((t) => t.includes("R\u00e9vision trimestrielle"));
      expect(i >= 0, "results: " + JSON.stringify(texts));
      expect(await options.nth(i).locator("mark").count() > 0,
        "the matched word is not highlighted");
      for (let k = 0; k <= i; k++) await page.keyboard.press("ArrowDown");
      expect(await options.nth(i).getAttribute("aria-selected") === "true",
        "the arrow keys did not select the result");
      await page.keyboard.press("Enter");
      await landed(page, REVISION, "R\u00e9vision trimestrielle");
    });

  // Desktop, light: the screenshot people look at.
  await run("desktop light screenshot", async () => {
    await open(page, TRIAGE, "Feedback triage");
    expect(await luminance(page, "body") > 0.8, "the light theme is not light");
    await page.screenshot({ path: path.join(shots, "light.png"), fullPage: true });
  });

  // 8. Tags and the review list.
  await run("a tag link leads to the tag page listing the page", async () => {
    await open(page, TRIAGE, "Feedback triage");
    await follow(page, link(page, "p.tags", "feedback"), "tags/feedback.html",
      "Pages tagged \u201cfeedback\u201d");
    await follow(page, link(page, "main article", "Feedback triage"), TRIAGE,
      "Feedback triage");
  });

  await run("the review list lists the page needing review", async () => {
    await open(page, "review/index.html", "Pages needing review");
    const items = await page.locator(".review-list li").allTextContents();
    expect(items.length === 1 && items[0].includes("Jun 30, 2026"),
      "review list: " + JSON.stringify(items));
    await follow(page, link(page, ".review-list", "Feedback triage"), TRIAGE,
      "Feedback triage");
    expect(await page.locator("p.review").isVisible(),
      "the page does not say it needs review");
  });

  // 9. The 404 page.
  await run("404.html renders", async () => {
    await open(page, "404.html", "Page not found");
    const sticky = await page.locator("header.site").evaluate((el) =>
      getComputedStyle(el).position);
    expect(sticky === "sticky", "the stylesheet did not apply");
    await follow(page, page.locator("header.site a.brand"), "index.html",
      "Welcome");
  });

  // 10. An alias redirects.
  await run("the alias legacy/first-week.html redirects", async () => {
    await page.goto(url("legacy/first-week.html"));
    await landed(page, FIRST_WEEK, "Your first week");
  });

  // 6. Dark mode: followed, toggled, remembered.
  const darkCtx = await browser.newContext({
    viewport: { width: 1280, height: 800 }, colorScheme: "dark",
  });
  await run("dark mode follows the system, toggles and is remembered",
    async () => {
      const p = watch(await darkCtx.newPage());
      await open(p, TRIAGE, "Feedback triage");
      const dark = await luminance(p, "body");
      expect(dark < 0.05, "the body background is not dark (luminance " +
        dark.toFixed(3) + ")");
      await p.screenshot({ path: path.join(shots, "dark.png"), fullPage: true });
      const toggle = p.locator(".theme-toggle");
      expect(await toggle.getAttribute("aria-pressed") === "true",
        "the toggle is not pressed in dark mode");
      await toggle.click();
      const light = await luminance(p, "body");
      expect(light > 0.8, "the toggle did not switch to light (luminance " +
        light.toFixed(3) + ")");
      expect(await toggle.getAttribute("aria-pressed") === "false",
        "the toggle is still pressed");
      await follow(p, link(p, "nav.site", "How we work"), PROCESS, "How we work");
      const after = await luminance(p, "body");
      expect(after > 0.8, "light was not kept across a navigation (luminance " +
        after.toFixed(3) + ")");
      expect(await p.evaluate(() => localStorage.getItem("opsbook-theme")) ===
        "light", "the choice is not in localStorage");
      await p.locator(".theme-toggle").click();
      expect(await luminance(p, "body") < 0.05, "the toggle did not switch back");
    });
  await darkCtx.close();

  // 7. A phone: the menu folded, nothing wider than the screen.
  const phone = await browser.newContext({
    viewport: { width: 375, height: 800 }, isMobile: true, hasTouch: true,
    colorScheme: "light",
  });
  await run("on a 375px screen the menu is folded and nothing scrolls sideways",
    async () => {
      const p = watch(await phone.newPage());
      for (const where of ["index.html", TRIAGE, FIRST_WEEK]) {
        await open(p, where);
        expect(await p.locator("details.sidebar").evaluate((d) => d.open) ===
          false, "the sidebar is open on " + where);
        const w = await p.evaluate(() => ({
          scroll: document.scrollingElement.scrollWidth,
          inner: window.innerWidth,
        }));
        expect(w.inner === 375 && w.scroll <= w.inner, where +
          " scrolls sideways (scrollWidth " + w.scroll + ", innerWidth " +
          w.inner + ")");
        if (where === TRIAGE)
          await p.screenshot({ path: path.join(shots, "mobile.png"),
            fullPage: true });
      }
      await p.locator("details.sidebar > summary").click();
      expect(await p.locator("details.sidebar").evaluate((d) => d.open),
        "the menu does not open");
      await follow(p, link(p, "nav.site", "How we work"), PROCESS, "How we work");
    });
  await phone.close();

  noProblems();
  await desktop.close();
}

fs.mkdirSync(shots, { recursive: true });
main(checks);
