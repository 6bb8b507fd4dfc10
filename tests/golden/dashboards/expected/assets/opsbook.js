/* opsbook theme: the light/dark choice (kept across pages, followed by
 * the charts) and the sidebar, open on wide screens and folded on narrow
 * ones. */
(function () {
  "use strict";
  var root = document.documentElement;
  try {
    var saved = localStorage.getItem("opsbook-theme");
    if (saved === "light" || saved === "dark") root.dataset.theme = saved;
  } catch (e) { /* storage may be off (file://, private mode) */ }
  function dark() {
    if (root.dataset.theme) return root.dataset.theme === "dark";
    return window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches;
  }
  /* Charts are <picture>s whose dark <source> follows the system's
   * scheme; a theme chosen with the toggle wins over it, on screen only
   * (print keeps the light chart). The media query as written is kept in
   * data-media, for when no theme is chosen. */
  function syncPictures() {
    var sources = document.querySelectorAll(
      'picture source[data-media], picture source[media*="prefers-color-scheme: dark"]');
    for (var i = 0; i < sources.length; i++) {
      var s = sources[i];
      if (!s.hasAttribute("data-media")) s.setAttribute("data-media", s.media);
      var media = root.dataset.theme === "dark" ? "screen"
        : root.dataset.theme === "light" ? "not all"
        : s.getAttribute("data-media");
      if (s.media !== media) s.media = media;
    }
  }
  if (window.MutationObserver)
    new MutationObserver(syncPictures).observe(root, { attributes: true, attributeFilter: ["data-theme"] });
  document.addEventListener("DOMContentLoaded", function () {
    syncPictures();
    var button = document.querySelector(".theme-toggle");
    if (button) {
      button.setAttribute("aria-pressed", String(dark()));
      button.addEventListener("click", function () {
        root.dataset.theme = dark() ? "light" : "dark";
        button.setAttribute("aria-pressed", String(dark()));
        try { localStorage.setItem("opsbook-theme", root.dataset.theme); } catch (e) { }
      });
    }
    var side = document.querySelector("details.sidebar");
    if (side && window.matchMedia && matchMedia("(max-width: 48rem)").matches)
      side.open = false;
  });
})();
/* OKR pages: the team filter. Choosing a team hides the objectives with no
 * objective of that team in their subtree and marks the ones kept only on
 * the way to it as context. The choice lives in the URL (?team=NAME, or
 * #team=NAME where the query cannot be rewritten) so a link shares the
 * filtered view; it works from file:// too. Without scripts the filter
 * stays hidden and everything shows. */
(function () {
  "use strict";
  function param(text, lead) {
    var m = new RegExp("[" + lead + "&]team=([^&#]*)").exec(text);
    if (!m) return null;
    try { return decodeURIComponent(m[1].replace(/\+/g, " ")); } catch (e) { return null; }
  }
  function chosen() {
    var t = param(location.search, "?");
    return t !== null ? t : param(location.hash, "#");
  }
  function remember(team) {
    var search = location.search.replace(/([?&])team=[^&#]*&?/, "$1")
      .replace(/[?&]$/, "");
    var hash = /^#team=/.test(location.hash) ? "" : location.hash;
    if (team) search += (search ? "&" : "?") + "team=" + encodeURIComponent(team);
    try {
      history.replaceState(history.state, "", location.pathname + search + hash);
    } catch (e) {
      location.hash = team ? "team=" + encodeURIComponent(team) : "";
    }
  }
  function ofTeam(li, team) {
    if (li.getAttribute("data-team") === team) return true;
    var nested = li.querySelectorAll("li.objective");
    for (var i = 0; i < nested.length; i++)
      if (nested[i].getAttribute("data-team") === team) return true;
    return false;
  }
  function apply(view, team) {
    var buttons = view.querySelectorAll(".okr-filter button");
    var known = false, i;
    for (i = 0; i < buttons.length; i++)
      if (buttons[i].getAttribute("data-team") === team) known = true;
    if (!known) team = "";
    for (i = 0; i < buttons.length; i++)
      buttons[i].setAttribute("aria-pressed",
        String(buttons[i].getAttribute("data-team") === team));
    var items = view.querySelectorAll("li.objective");
    for (i = 0; i < items.length; i++) {
      var keep = !team || ofTeam(items[i], team);
      items[i].hidden = !keep;
      items[i].classList.toggle("okr-context",
        !!team && keep && items[i].getAttribute("data-team") !== team);
    }
  }
  function applyAll() {
    var views = document.querySelectorAll(".okr-view");
    var team = chosen() || "";
    for (var i = 0; i < views.length; i++)
      if (views[i].querySelector(".okr-filter")) apply(views[i], team);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var filters = document.querySelectorAll(".okr-view .okr-filter");
    if (!filters.length) return;
    Array.prototype.forEach.call(filters, function (f) {
      f.hidden = false;
      f.addEventListener("click", function (ev) {
        var b = ev.target.closest("button[data-team]");
        if (!b) return;
        remember(b.getAttribute("data-team"));
        applyAll();
      });
    });
    applyAll();
    window.addEventListener("hashchange", applyAll);
  });
})();
