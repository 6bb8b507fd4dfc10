/* search.js: the site's search box, over search-index.js, offline.
 * SPDX-License-Identifier: MIT
 *
 * The index (window.OPSBOOK_SEARCH) is written by src/search.c; its format
 * is described in include/opsbook/search.h. The ranking needs no DOM:
 * window.OPSBOOK_SEARCH_RANK(index, query) (or module.exports.rank) gives
 * the results, so tests run it in node; window.OPSBOOK_SEARCH_API also
 * has tokens() and highlight().
 *
 * On a page it needs <input id="search-input"> and <div id="search-results">
 * and takes links relative to <html data-root="../">: "/" focuses the box,
 * the arrow keys move through the results, Enter opens one, Escape clears.
 * Results are links in a listbox; the box is a combobox pointing at it.
 * Without the index the box is disabled and says search is unavailable. */
(function (global) {
  "use strict";

  /* ---- terms: the same splitting and folding as src/search.c ---- */

  var FORMAT = 1;
  var TERM_MAX = 32;
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz$_" +
    "!#%&'()*+,-./:;=>?@[]^`{|}~";
  /* src/content.c's folds of U+00C0..U+00FF and U+0100..U+017F. */
  var LATIN1 = "AAAAAA#CEEEEIIIIDNOOOOO-OUUUUY##aaaaaa#ceeeeiiiidnooooo-ouuuuy#y";
  var LATIN_A = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii##jjkkklllllllll" +
    "lnnnnnnnnnoooooo##rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";
  var SPECIAL = { 0xc6: "ae", 0xe6: "ae", 0xde: "th", 0xfe: "th", 0xdf: "ss",
    0x132: "ij", 0x133: "ij", 0x152: "oe", 0x153: "oe" };
  var SEP = 0, DROP = 1, LETTER = 2, IDEO = 3;
  var RANGES = [
    [0x00ad, 0x00ad, DROP], [0x0300, 0x036f, DROP],
    [0x037e, 0x037e, SEP], [0x0387, 0x0387, SEP],
    [0x055a, 0x055f, SEP], [0x0589, 0x058a, SEP],
    [0x05be, 0x05be, SEP], [0x05c0, 0x05c0, SEP],
    [0x05c3, 0x05c3, SEP], [0x05f3, 0x05f4, SEP],
    [0x0600, 0x060f, SEP], [0x061b, 0x061f, SEP],
    [0x066a, 0x066d, SEP], [0x06d4, 0x06d4, SEP],
    [0x0964, 0x0965, SEP], [0x0970, 0x0970, SEP],
    [0x0e4f, 0x0e4f, SEP], [0x0e5a, 0x0e5b, SEP],
    [0x2000, 0x200b, SEP], [0x200c, 0x200d, DROP],
    [0x200e, 0x2bff, SEP], [0x2e00, 0x2e7f, SEP],
    [0x3000, 0x303f, SEP], [0x3040, 0x30fa, IDEO],
    [0x30fb, 0x30fb, SEP], [0x30fc, 0x30ff, IDEO],
    [0x3400, 0x4dbf, IDEO], [0x4e00, 0x9fff, IDEO],
    [0xd800, 0xf8ff, SEP], [0xf900, 0xfaff, IDEO],
    [0xfe00, 0xfe0f, DROP], [0xfe10, 0xfe1f, SEP],
    [0xfe30, 0xfe6f, SEP], [0xfeff, 0xfeff, DROP],
    [0xff00, 0xff0f, SEP], [0xff1a, 0xff20, SEP],
    [0xff3b, 0xff40, SEP], [0xff5b, 0xff65, SEP],
    [0xff66, 0xff9f, IDEO], [0xfff0, 0xffff, SEP],
    [0x1f000, 0x1faff, SEP], [0x20000, 0x3ffff, IDEO],
    [0xe0000, 0xe01ef, DROP], [0xf0000, 0x10ffff, SEP]
  ];
  var GREEK = { 0x386: 0x3b1, 0x3ac: 0x3b1, 0x388: 0x3b5, 0x3ad: 0x3b5,
    0x389: 0x3b7, 0x3ae: 0x3b7, 0x38a: 0x3b9, 0x390: 0x3b9, 0x3aa: 0x3b9,
    0x3af: 0x3b9, 0x3ca: 0x3b9, 0x38c: 0x3bf, 0x3cc: 0x3bf, 0x38e: 0x3c5,
    0x3ab: 0x3c5, 0x3b0: 0x3c5, 0x3cb: 0x3c5, 0x3cd: 0x3c5, 0x38f: 0x3c9,
    0x3ce: 0x3c9, 0x3c2: 0x3c3, 0x451: 0x435 };

  function rangeKind(cp) {
    var lo = 0, hi = RANGES.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1, r = RANGES[mid];
      if (cp < r[0]) hi = mid;
      else if (cp > r[1]) lo = mid + 1;
      else return r[2];
    }
    return LETTER;
  }

  function lower(cp) {
    if (cp >= 0xff10 && cp <= 0xff5a) return cp - 0xfee0;
    if (cp >= 0x391 && cp <= 0x3a9) return cp + 0x20;
    if (cp >= 0x410 && cp <= 0x42f) return cp + 0x20;
    if (cp >= 0x400 && cp <= 0x40f) cp += 0x50;
    if (cp >= 0x531 && cp <= 0x556) return cp + 0x30;
    return GREEK[cp] || cp;
  }

  /* [kind, text] of one code point. */
  function foldCp(cp) {
    var k = cp === 0xad ? DROP : rangeKind(cp), f, c;
    if (k !== LETTER && k !== IDEO) return [k, ""];
    cp = lower(cp);
    if (cp >= 0x180) return [k, String.fromCodePoint(cp)];
    if (cp < 0x80) {
      c = String.fromCharCode(cp).toLowerCase();
      f = /[a-z0-9]/.test(c) ? c : "-";
    } else if (cp >= 0xc0) {
      c = cp < 0x100 ? LATIN1[cp - 0xc0] : LATIN_A[cp - 0x100];
      f = c === "#" ? SPECIAL[cp] || "" : c.toLowerCase();
    } else {
      f = "-";
    }
    if (f === "-") return [SEP, ""];
    return [f ? LETTER : DROP, f];
  }

  /* The terms of a text: {t: term, start, end} (UTF-16 offsets of the
   * text it came from, for highlighting). */
  function tokens(text) {
    var out = [], term = "", cps = 0, full = false, start = 0, end = 0;
    var i = 0;
    function flush() {
      if (term) out.push({ t: term, start: start, end: end });
      term = "";
      cps = 0;
      full = false;
    }
    text = String(text);
    while (i < text.length) {
      var cp = text.codePointAt(i), n = cp > 0xffff ? 2 : 1;
      /* Latin folds to ASCII letters; anything else is one code point. */
      var f = foldCp(cp), k = f[0], len = lower(cp) < 0x180 ? f[1].length : 1;
      if (k === IDEO && term) {
        flush();
        continue;
      }
      i += n;
      if (k === DROP) continue;
      if (k === SEP) {
        flush();
        continue;
      }
      if (!term) start = i - n;
      if (!full && cps + len <= TERM_MAX) {
        term += f[1];
        cps += len;
      } else {
        full = true;
      }
      end = i;
      if (k === IDEO) flush();
    }
    flush();
    return out;
  }

  /* ---- the index ---- */

  var DIGIT = {};
  for (var d = 0; d < DIGITS.length; d++) DIGIT[DIGITS.charCodeAt(d)] = d;

  /* A term's postings: pages, flags (1 title, 2 headings, 4 frequent in
   * the body) and heading positions (or null), by page number. */
  function decode(s) {
    var pages = [], flags = [], heads = [], pos = 0, page = -1;
    function num() {
      var acc = 0;
      for (;;) {
        var v = DIGIT[s.charCodeAt(pos++)];
        if (v === undefined) return -1;
        if (v < 64) return acc * 64 + v;
        acc = acc * 27 + (v - 64);
      }
    }
    while (pos < s.length) {
      var v = num(), h = null;
      if (v < 0) break;
      page += Math.floor(v / 8) + 1;
      if (v & 2) {
        var nh = num() + 1, x = num();
        h = [x];
        while (--nh > 0) {
          x += num() + 1;
          h.push(x);
        }
      }
      pages.push(page);
      flags.push(v & 7);
      heads.push(h);
    }
    return { pages: pages, flags: flags, heads: heads };
  }

  var prepared = typeof WeakMap === "function" ? new WeakMap() : null;

  function prepare(index) {
    if (!index || typeof index !== "object" || index.v !== FORMAT ||
        !Array.isArray(index.pages))
      return null;
    var p = prepared && prepared.get(index);
    if (!p) {
      p = {
        terms: index.terms ? String(index.terms).split(" ") : [],
        post: index.post ? String(index.post).split(" ") : [],
        decoded: new Map()
      };
      if (prepared) prepared.set(index, p);
    }
    return p;
  }

  function postingsOf(p, i) {
    var d = p.decoded.get(i);
    if (!d) {
      d = decode(p.post[i] || "");
      p.decoded.set(i, d);
    }
    return d;
  }

  /* The first term not below w (JavaScript's order, which the index is
   * sorted in). */
  function lowerBound(terms, w) {
    var lo = 0, hi = terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (terms[mid] < w) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /* A short prefix ("s") can match thousands of terms: keep the exact one
   * and the most common, fewer for a shorter prefix (each costs decoding
   * its postings, and one letter says little). */
  function candidates(p, w) {
    var i = lowerBound(p.terms, w), out = [];
    var max = w.length === 1 ? 8 : w.length === 2 ? 24 : 64;
    for (; i < p.terms.length && p.terms[i].startsWith(w); i++) out.push(i);
    if (out.length <= max) return out;
    var exact = p.terms[out[0]] === w ? out[0] : -1;
    out.sort(function (a, b) {
      if ((a === exact) !== (b === exact)) return a === exact ? -1 : 1;
      return p.post[b].length - p.post[a].length || a - b;
    });
    return out.slice(0, max);
  }

  /* Field weights: any title match outranks any heading match, which
   * outranks any body match; a prefix counts 3/4 of an exact term; words
   * on few pages count up to half more. */
  var TITLE = 100, HEADING = 20, BODY = 4, FREQUENT = 1, PREFIX = 0.75;

  /* Per page, the best a query word does there. */
  function matchWord(p, w) {
    var best = new Map();
    candidates(p, w).forEach(function (ti) {
      var exact = p.terms[ti] === w, d = postingsOf(p, ti);
      for (var j = 0; j < d.pages.length; j++) {
        var f = d.flags[j], s;
        s = f & 1 ? TITLE : f & 2 ? HEADING : BODY + (f & 4 ? FREQUENT : 0);
        if (!exact) s *= PREFIX;
        var b = best.get(d.pages[j]);
        if (!b) {
          b = { score: 0, title: false, heads: null };
          best.set(d.pages[j], b);
        }
        if (s > b.score) b.score = s;
        if (f & 1) b.title = true;
        if (d.heads[j]) {
          if (!b.heads) b.heads = new Set();
          d.heads[j].forEach(function (h) { b.heads.add(h); });
        }
      }
    });
    return best;
  }

  function uniqueWords(query) {
    var seen = new Set(), out = [];
    tokens(query).forEach(function (t) {
      if (!seen.has(t.t)) {
        seen.add(t.t);
        out.push(t.t);
      }
    });
    return out;
  }

  /* The heading (position) that matched the most words, first on a tie,
   * or -1 when it would say no more than the title. */
  function bestHeading(a) {
    var best = -1, count = 0;
    if (a.titleWords >= a.words) return -1;
    a.heads.forEach(function (n, h) {
      if (n > count || n === count && h < best) {
        best = h;
        count = n;
      }
    });
    return best;
  }

  /**
   * Ranks the pages of `index` for `query`: pages with every word first,
   * then by score (title > heading > body), then in site order. Returns
   * up to opts.limit (20) results {page, url, title, section, snippet,
   * anchor, href, score, words}; the array's `total` counts all matches
   * and `words` holds the query's terms, for highlighting.
   */
  function rank(index, query, opts) {
    var p = prepare(index), out = [];
    var limit = opts && opts.limit > 0 ? opts.limit : 20;
    var words = uniqueWords(query || "");
    out.total = 0;
    out.words = words;
    if (!p || !words.length) return out;
    var n = index.pages.length || 1, acc = new Map();
    words.forEach(function (w) {
      var best = matchWord(p, w), idf = 1 + 0.5 * (1 - best.size / n);
      best.forEach(function (b, page) {
        var a = acc.get(page);
        if (!a) {
          a = { page: page, words: 0, titleWords: 0, score: 0, heads: new Map() };
          acc.set(page, a);
        }
        a.words++;
        a.score += b.score * idf;
        if (b.title) a.titleWords++;
        if (b.heads) b.heads.forEach(function (h) {
          a.heads.set(h, (a.heads.get(h) || 0) + 1);
        });
      });
    });
    var all = Array.from(acc.values());
    all.sort(function (x, y) {
      return y.words - x.words || y.score - x.score || x.page - y.page;
    });
    out.total = all.length;
    all.slice(0, limit).forEach(function (a) {
      var pg = index.pages[a.page] || [], hp = bestHeading(a);
      var hid = hp >= 0 && pg[4] ? pg[4][hp] : undefined;
      var heads = index.heads || [], snippet = pg[3] || "", anchor = "";
      if (hid !== undefined && 2 * hid + 1 < heads.length) {
        snippet = heads[2 * hid];
        anchor = heads[2 * hid + 1];
      }
      var url = String(pg[0] || "");
      out.push({
        page: a.page, url: url, title: String(pg[1] || url),
        section: (index.sections || [])[pg[2]] || "",
        snippet: snippet, anchor: anchor,
        href: anchor ? url + "#" + anchor : url,
        score: a.score, words: a.words
      });
    });
    return out;
  }

  /* Pieces of `text` as [string, marked]: words starting with a query
   * word are marked. */
  function highlight(text, words) {
    var out = [], at = 0;
    text = String(text);
    tokens(text).forEach(function (t) {
      var hit = words.some(function (w) { return t.t.startsWith(w); });
      if (!hit) return;
      if (t.start > at) out.push([text.slice(at, t.start), false]);
      out.push([text.slice(t.start, t.end), true]);
      at = t.end;
    });
    if (at < text.length) out.push([text.slice(at), false]);
    return out;
  }

  /* ---- the page ---- */

  function setup(doc, win) {
    var input = doc.getElementById("search-input");
    var box = doc.getElementById("search-results");
    if (!input || !box) return;
    var links = [], selected = -1, timer = 0, last = null;

    function index() {
      return win.OPSBOOK_SEARCH;
    }
    function unavailable() {
      input.disabled = true;
      input.value = "";
      input.placeholder = "Search is unavailable (no search index)";
      input.title = input.placeholder;
    }
    function marked(parent, text, words) {
      highlight(text, words).forEach(function (piece) {
        if (piece[1]) {
          var m = doc.createElement("mark");
          m.textContent = piece[0];
          parent.appendChild(m);
        } else {
          parent.appendChild(doc.createTextNode(piece[0]));
        }
      });
    }
    function select(i) {
      if (selected >= 0 && links[selected])
        links[selected].setAttribute("aria-selected", "false");
      selected = i;
      if (i >= 0 && links[i]) {
        links[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", links[i].id);
        if (links[i].scrollIntoView) links[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function clear() {
      box.textContent = "";
      links = [];
      selected = -1;
      last = null;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function render(query) {
      if (query === last) return;
      clear();
      if (!query.trim()) return;
      last = query;
      var results = rank(index(), query);
      var root = doc.documentElement.dataset.root || "";
      var status = doc.createElement("p");
      if (!results.length) {
        status.className = "snippet";
        status.textContent = "No results for \u201c" + query.trim() + "\u201d";
        box.appendChild(status);
        return;
      }
      status.className = "visually-hidden";
      status.textContent = results.total === 1 ? "1 result" :
        results.total > results.length ?
          results.total + " results, the first " + results.length + " shown" :
          results.total + " results";
      box.appendChild(status);
      var list = doc.createElement("ol");
      list.id = "search-list";
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", "Search results");
      results.forEach(function (r, i) {
        var li = doc.createElement("li"), a = doc.createElement("a");
        var title = doc.createElement("span");
        li.setAttribute("role", "presentation");
        a.id = "search-result-" + i;
        a.href = root + r.href;
        a.setAttribute("role", "option");
        a.setAttribute("aria-selected", "false");
        marked(title, r.title, results.words);
        a.appendChild(title);
        if (r.section) {
          var sec = doc.createElement("span");
          sec.className = "section";
          sec.textContent = r.section;
          a.appendChild(sec);
        }
        if (r.snippet) {
          var snip = doc.createElement("span");
          snip.className = "snippet";
          marked(snip, r.snippet, results.words);
          a.appendChild(snip);
        }
        li.appendChild(a);
        list.appendChild(li);
        links.push(a);
      });
      box.appendChild(list);
      input.setAttribute("aria-controls", "search-list");
      input.setAttribute("aria-expanded", "true");
    }
    function open(i) {
      if (links[i]) win.location.href = links[i].href;
    }
    function typing(el) {
      return el && (el.isContentEditable ||
        /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName || ""));
    }

    function start() {
      var ix = index();
      if (!ix || ix.v !== FORMAT) {
        unavailable();
        return;
      }
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-autocomplete", "list");
      input.setAttribute("aria-expanded", "false");
      input.addEventListener("input", function () {
        clearTimeout(timer);
        /* A big index takes a few ms a keystroke: wait for a pause. */
        timer = setTimeout(function () { render(input.value); }, 60);
      });
      input.addEventListener("focus", function () { render(input.value); });
      input.addEventListener("keydown", function (e) {
        if (e.key === "ArrowDown" || e.key === "ArrowUp") {
          clearTimeout(timer);
          render(input.value);
          if (!links.length) return;
          e.preventDefault();
          /* Down past the last result, or up past the first, comes back
           * to the box (-1). */
          var states = links.length + 1;
          var step = e.key === "ArrowDown" ? 1 : -1;
          select((selected + 1 + step + states) % states - 1);
        } else if (e.key === "Enter") {
          e.preventDefault();
          clearTimeout(timer);
          render(input.value);
          open(selected >= 0 ? selected : 0);
        } else if (e.key === "Escape") {
          e.preventDefault();
          input.value = "";
          clear();
        }
      });
      doc.addEventListener("click", function (e) {
        var t = e.target;
        while (t && t !== input && t !== box) t = t.parentNode;
        if (!t) clear();
      });
    }

    doc.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey ||
          typing(e.target) || input.disabled)
        return;
      e.preventDefault();
      input.focus();
      if (input.select) input.select();
    });
    if (index()) start();
    else if (doc.readyState === "complete") unavailable();
    /* A deferred index runs before DOMContentLoaded; wait for the whole
     * page in case it is still coming. */
    else win.addEventListener("load", function () {
      if (index()) start();
      else unavailable();
    });
  }

  var api = { rank: rank, tokens: tokens, highlight: highlight,
    decode: decode, setup: setup };
  global.OPSBOOK_SEARCH_RANK = rank;
  global.OPSBOOK_SEARCH_API = api;
  if (typeof module === "object" && module && module.exports)
    module.exports = api;
  var doc = global.document;
  if (doc && typeof doc.getElementById === "function") {
    if (doc.readyState === "loading")
      doc.addEventListener("DOMContentLoaded", function () { setup(doc, global); });
    else setup(doc, global);
  }
})(typeof window !== "undefined" ? window : typeof globalThis !== "undefined" ? globalThis : this);
