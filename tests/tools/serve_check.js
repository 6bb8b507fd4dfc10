#!/usr/bin/env node
/* serve_check.js: live reload of `opsbook serve` in a real headless
 * Chromium (Debian's, driven by playwright-core), for tests/e2e/serve.sh.
 * SPDX-License-Identifier: MIT
 *
 *   node tests/tools/serve_check.js URL SITE_DIR
 *
 * URL is where serve serves the site in SITE_DIR (a copy of the golden
 * basic site, which this script edits). Prints "ok NAME" or "FAIL NAME:
 * why" per check, then "done" (see browser_lib.js). The page is never
 * navigated by the script after the first load: every reload seen is the
 * injected script's own doing. */
"use strict";
const fs = require("fs");
const path = require("path");

const [base, site] = process.argv.slice(2);
if (!base || !site) {
  process.stderr.write("usage: serve_check.js URL SITE_DIR\n");
  process.exit(2);
}
const { run, expect, main } = require("./browser_lib.js")(base);
const WAIT = 15000;

/* Polls fn (which may throw while the page reloads) until it is true. */
async function until(what, fn) {
  const end = Date.now() + WAIT;
  for (;;) {
    try {
      if (await fn()) return;
    } catch (e) { /* the page is being replaced */ }
    if (Date.now() > end) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const bodyText = (page) => page.evaluate(() => document.body.innerText);
const overlay = (page) => page.evaluate(() => {
  const box = document.getElementById("opsbook-problems");
  return box ? { text: box.textContent, elements: box.children.length } : null;
});
const file = (rel) => path.join(site, rel);

main(async (browser) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  let loads = 0;
  page.on("load", () => loads++);

  await run("the page loads with the reload script", async () => {
    await page.goto(base, { waitUntil: "load" });
    expect(await page.locator('script[data-opsbook="serve"]').count() === 1,
      "no reload script in the page");
  });

  await run("an edit reloads the page by itself", async () => {
    const before = loads;
    fs.appendFileSync(file("content/_index.md"), "\nThe browser sees this.\n");
    // The new text shows once the document is parsed, the "load" event
    // only after its styles and scripts: on a slow machine there is time
    // between them, so both are waited for. A change of text seen without
    // any load at all would time out here.
    await until("the edit on the page, reloaded", async () =>
      loads > before &&
      (await bodyText(page)).includes("The browser sees this."));
  });

  // A diagnostic that quotes HTML: the overlay must show it as text.
  const bad = "---\ntitle: Bad\n---\n# Bad\n\n{{okr:<img src=x>}}\n";
  await run("a failed build shows its problems, as text, over the page",
    async () => {
      const before = loads;
      fs.writeFileSync(file("content/bad.md"), bad);
      await until("the overlay", async () => {
        const o = await overlay(page);
        return o && o.text.includes("content/bad.md:6:1: error:");
      });
      const o = await overlay(page);
      expect(o.text.includes("'{{okr:<img src=x>}}'"), "text: " + o.text);
      expect(o.elements === 0, "the problems were parsed as HTML");
      expect(loads === before, "the page reloaded on a failed build");
      expect((await bodyText(page)).includes("The browser sees this."),
        "the last good page is gone");
    });

  await run("a page opened while the build is broken shows the problems",
    async () => {
      const other = await context.newPage();
      await other.goto(base + "process/", { waitUntil: "load" });
      await until("the overlay on a new page", async () => {
        const o = await overlay(other);
        return o && o.text.includes("content/bad.md:6:1: error:");
      });
      await other.close();
    });

  await run("the fix reloads the page and the overlay goes", async () => {
    const before = loads;
    fs.unlinkSync(file("content/bad.md"));
    fs.appendFileSync(file("content/_index.md"), "\nAnd the fix.\n");
    await until("the fixed page, reloaded", async () =>
      loads > before &&
      (await bodyText(page)).includes("And the fix.") &&
      (await overlay(page)) === null);
  });
});
