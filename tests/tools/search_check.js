#!/usr/bin/env node
/* search_check.js: runs the site's search (src/theme/assets/search.js) over
 * a generated search-index.js in node, for end-to-end tests.
 * SPDX-License-Identifier: MIT
 *
 *   node tests/tools/search_check.js [--links] [--limit N] INDEX.js QUERY...
 *     Prints each query's result URLs, best first, one per line (with
 *     --links, the #anchor of the heading that matched too). With more
 *     than one query, each list follows a line "== QUERY". A query with
 *     no results prints nothing.
 *   node tests/tools/search_check.js --terms TEXT...
 *     Prints the search terms of each TEXT, space-separated, one line each,
 *     so tests can compare the JavaScript terms with the C ones.
 *   node tests/tools/search_check.js --dom [INDEX.js]
 *     Runs the page code on a fake DOM: with an index, typing a query
 *     shows linked results (relative to data-root) and Escape clears them;
 *     without, the box says search is unavailable. Prints "ok" or fails.
 *
 * SEARCH_JS overrides where search.js is. Exit status 2 on usage errors,
 * 1 when the index does not load or a --dom check fails. */
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const SEARCH_JS = process.env.SEARCH_JS ||
  path.join(__dirname, "..", "..", "src", "theme", "assets", "search.js");

function usage() {
  process.stderr.write("usage: search_check.js [--links] [--limit N] " +
    "INDEX.js QUERY...\n       search_check.js --terms TEXT...\n" +
    "       search_check.js --dom [INDEX.js]\n");
  process.exit(2);
}

function fail(msg) {
  process.stderr.write("search_check: " + msg + "\n");
  process.exit(1);
}

/* A context where scripts see `window` as their global, as in a page. */
function context(document) {
  const ctx = { console: console, setTimeout: setTimeout,
    clearTimeout: clearTimeout };
  ctx.window = ctx;
  if (document) ctx.document = document;
  return vm.createContext(ctx);
}

function run(ctx, file) {
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    fail("cannot read " + file + ": " + e.message);
  }
  vm.runInContext(text, ctx, { filename: file });
}

/* ---- a fake DOM, just what search.js uses ---- */

class FakeNode {
  constructor(doc, tag, text) {
    this.ownerDocument = doc;
    this.tagName = tag;
    this.children = [];
    this.attrs = {};
    this.listeners = {};
    this.parentNode = null;
    this.text = text || "";
    this.className = "";
    this.id = "";
    this.value = "";
    this.disabled = false;
    this.placeholder = "";
  }
  appendChild(c) {
    c.parentNode = this;
    this.children.push(c);
    return c;
  }
  set textContent(t) {
    this.children = [];
    this.text = String(t);
  }
  get textContent() {
    return this.text + this.children.map((c) => c.textContent).join("");
  }
  setAttribute(k, v) { this.attrs[k] = String(v); }
  getAttribute(k) { return k in this.attrs ? this.attrs[k] : null; }
  removeAttribute(k) { delete this.attrs[k]; }
  addEventListener(type, fn) {
    (this.listeners[type] = this.listeners[type] || []).push(fn);
  }
  dispatch(type, props) {
    const e = Object.assign({ type: type, target: this, defaultPrevented: false,
      preventDefault() { this.defaultPrevented = true; } }, props || {});
    (this.listeners[type] || []).forEach((fn) => fn(e));
    if (this.parentNode && type === "keydown") this.parentNode.dispatch(type, e);
    return e;
  }
  focus() { this.ownerDocument.activeElement = this; }
  all(tag) {
    let out = this.tagName === tag ? [this] : [];
    this.children.forEach((c) => { out = out.concat(c.all(tag)); });
    return out;
  }
}

function fakeDocument(root) {
  const doc = new FakeNode(null, "#document");
  doc.ownerDocument = doc;
  doc.readyState = "complete";
  doc.documentElement = new FakeNode(doc, "HTML");
  doc.documentElement.dataset = { root: root };
  const body = doc.appendChild(new FakeNode(doc, "BODY"));
  const input = body.appendChild(new FakeNode(doc, "INPUT"));
  input.id = "search-input";
  const box = body.appendChild(new FakeNode(doc, "DIV"));
  box.id = "search-results";
  doc.createElement = (tag) => new FakeNode(doc, tag.toUpperCase());
  doc.createTextNode = (t) => new FakeNode(doc, "#text", t);
  doc.getElementById = (id) => (id === input.id ? input : id === box.id ? box : null);
  doc.activeElement = body;
  doc.input = input;
  doc.box = box;
  return doc;
}

function check(cond, msg) {
  if (!cond) fail("--dom: " + msg);
}

function domCheck(indexFile) {
  const doc = fakeDocument("../../");
  const ctx = context(doc);
  ctx.location = { href: "" };
  if (indexFile) run(ctx, indexFile);
  run(ctx, SEARCH_JS);
  const input = doc.input, box = doc.box;
  if (!indexFile) {
    check(input.disabled && /unavailable/i.test(input.placeholder),
      "no index: the box should say search is unavailable");
    process.stdout.write("ok\n");
    return;
  }
  check(!input.disabled, "the box is disabled although the index loaded");
  doc.body = doc.children[0];
  doc.children[0].dispatch("keydown", { key: "/" });
  check(doc.activeElement === input, "'/' should focus the search box");
  const page = ctx.OPSBOOK_SEARCH.pages[0];
  const query = page ? ctx.OPSBOOK_SEARCH_API.tokens(page[1]).map((t) => t.t)
    .join(" ") : "";
  input.value = query || "zzzz";
  input.dispatch("keydown", { key: "ArrowDown" });
  const links = box.all("A");
  if (query) {
    check(links.length > 0, "no results for '" + query + "'");
    check(links[0].href.startsWith("../../"), "links must start at data-root");
    check(links[0].getAttribute("aria-selected") === "true",
      "ArrowDown should select the first result");
    check(box.all("MARK").length > 0, "matched words should be marked");
    input.dispatch("keydown", { key: "Enter" });
    check(ctx.location.href === links[0].href, "Enter should open the result");
  }
  input.dispatch("keydown", { key: "Escape" });
  check(input.value === "" && box.children.length === 0,
    "Escape should clear the box and the results");
  process.stdout.write("ok\n");
}

function main(argv) {
  let links = false, limit = 20;
  if (argv[0] === "--terms") {
    const ctx = context(null);
    run(ctx, SEARCH_JS);
    argv.slice(1).forEach((t) => {
      process.stdout.write(ctx.OPSBOOK_SEARCH_API.tokens(t).map((x) => x.t)
        .join(" ") + "\n");
    });
    return;
  }
  if (argv[0] === "--dom") {
    domCheck(argv[1]);
    return;
  }
  while (argv.length && argv[0].startsWith("--")) {
    const opt = argv.shift();
    if (opt === "--links") links = true;
    else if (opt === "--limit" && argv.length) limit = Number(argv.shift());
    else usage();
  }
  if (argv.length < 2 || !(limit > 0)) usage();
  const indexFile = argv.shift();
  /* A document without the search box: loading must not throw. */
  const ctx = context({ readyState: "complete", getElementById: () => null,
    addEventListener() {}, documentElement: { dataset: { root: "" } } });
  run(ctx, indexFile);
  run(ctx, SEARCH_JS);
  if (!ctx.OPSBOOK_SEARCH) fail(indexFile + " does not set window.OPSBOOK_SEARCH");
  let out = "";
  argv.forEach((q) => {
    if (argv.length > 1) out += "== " + q + "\n";
    ctx.OPSBOOK_SEARCH_RANK(ctx.OPSBOOK_SEARCH, q, { limit: limit }).forEach((r) => {
      out += (links ? r.href : r.url) + "\n";
    });
  });
  process.stdout.write(out);
}

/* `| head` closing the pipe early is not an error. */
process.stdout.on("error", (e) => process.exit(e.code === "EPIPE" ? 0 : 1));
main(process.argv.slice(2));
