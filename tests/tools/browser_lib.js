/* browser_lib.js: what the browser tests share: Chromium through
 * playwright-core, "ok"/"FAIL" lines, a watch on console errors and
 * failed requests, and helpers to open pages and check where links lead.
 * SPDX-License-Identifier: MIT
 *
 *   const t = require("./browser_lib.js")(BASE_URL);
 *   t.main(async (browser) => { ... t.run("name", async () => ...) ... });
 *
 * main() prints "done" once every check ran and exits 0 when all passed,
 * 1 when one failed, 2 when the browser could not be run. */
"use strict";

module.exports = function harness(base) {
const CHROMIUM = "/usr/bin/chromium";
const TIMEOUT = 5000;

const BASE = base.endsWith("/") ? base : base + "/";

let chromium;
try {
  ({ chromium } = require("playwright-core"));
} catch (e) {
  console.log("FAIL setup: playwright-core does not load (" +
    e.message.split("\n")[0] + "); run tools/test-deps.sh and set NODE_PATH");
  process.exit(2);
}

let failed = 0;
function ok(name) {
  console.log("ok " + name);
}
function bad(name, why) {
  failed++;
  console.log("FAIL " + name + ": " + String(why).split("\n")[0]);
}

/* Every console error, uncaught exception, failed request and HTTP error
 * of the whole run; the browser's own favicon request is not ours. */
const problems = [];
function notOurs(url) {
  try {
    return new URL(url).pathname.endsWith("/favicon.ico");
  } catch (e) {
    return false;
  }
}
function watch(page) {
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const where = msg.location() && msg.location().url;
    if (where && notOurs(where)) return;
    problems.push("console error on " + page.url() + ": " + msg.text());
  });
  page.on("pageerror", (err) => {
    problems.push("uncaught exception on " + page.url() + ": " + err.message);
  });
  page.on("requestfailed", (req) => {
    if (notOurs(req.url())) return;
    const f = req.failure();
    /* A <picture> whose source changes (theme or print media switched)
     * cancels the image it was loading: the browser's choice, not a
     * missing file (that is ERR_FILE_NOT_FOUND). */
    if (f && f.errorText === "net::ERR_ABORTED" &&
        req.resourceType() === "image") return;
    problems.push("request failed: " + req.url() + " (" +
      (f ? f.errorText : "?") + ")");
  });
  page.on("response", (res) => {
    if (res.status() >= 400 && !notOurs(res.url()))
      problems.push("HTTP " + res.status() + ": " + res.url());
  });
  page.setDefaultTimeout(TIMEOUT);
  page.setDefaultNavigationTimeout(TIMEOUT);
  return page;
}

function url(rel) {
  return new URL(rel, BASE).href;
}
function rel(u) {
  const s = String(u).split("#")[0];
  return s.startsWith(BASE) ? s.slice(BASE.length) : s;
}
function expect(cond, why) {
  if (!cond) throw new Error(why);
}

/* The page's <h1>, less its "#" anchor link. */
async function h1(page) {
  return page.locator("main h1").first().evaluate((el) => {
    const c = el.cloneNode(true);
    c.querySelectorAll(".anchor").forEach((a) => a.remove());
    return c.textContent.trim();
  });
}

/* Waits for the page at REL (fully loaded), then checks its <h1>. */
async function landed(page, where, title) {
  await page.waitForURL((u) => rel(u.href) === where, { waitUntil: "load" });
  if (title !== undefined) {
    const got = await h1(page);
    expect(got === title, "on " + where + " the h1 is \u201c" + got +
      "\u201d, not \u201c" + title + "\u201d");
  }
}

async function open(page, where, title) {
  await page.goto(url(where));
  await landed(page, where, title);
}

/* Clicks LOCATOR (a link) and checks where it leads. */
async function follow(page, locator, where, title) {
  expect(await locator.count() === 1, "expected one link for " + where +
    " on " + rel(page.url()) + ", found " + await locator.count());
  await locator.click();
  await landed(page, where, title);
}

/* The one link of `scope` whose text is exactly `text`. */
function link(page, scope, text) {
  return page.locator(scope + " a").filter({
    hasText: new RegExp("^\\s*" + text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") +
      "\\s*$"),
  });
}

async function currentLinks(page) {
  return page.locator('nav.site a[aria-current="page"]').evaluateAll((as) =>
    as.map((a) => ({ text: a.textContent.trim(), href: a.href })));
}

/* WCAG relative luminance of an element's computed background. */
async function luminance(page, selector) {
  return page.locator(selector).first().evaluate((el) => {
    const m = getComputedStyle(el).backgroundColor.match(/[\d.]+/g).map(Number);
    const lin = (c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * lin(m[0]) + 0.7152 * lin(m[1]) + 0.0722 * lin(m[2]);
  });
}

async function run(name, fn) {
  try {
    await fn();
    ok(name);
  } catch (e) {
    bad(name, e.message);
  }
}


async function main(checks) {
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
      timeout: 15000,
    });
    try {
      await checks(browser);
    } finally {
      await browser.close();
    }
  } catch (e) {
    bad("setup", "the browser did not run: " + e.message);
    process.exit(2);
  }
  console.log("done");
  process.exit(failed ? 1 : 0);
}

/* The whole run: no console error, exception or failed request. */
function noProblems() {
  if (problems.length === 0)
    ok("no console error or failed request in the whole run");
  else
    bad("no console error or failed request in the whole run",
      problems.length + ": " + problems.slice(0, 5).join("; "));
}

return { BASE, ok, bad, problems, watch, url, rel, expect, h1, landed, open,
  follow, link, currentLinks, luminance, run, main, noProblems };
};
