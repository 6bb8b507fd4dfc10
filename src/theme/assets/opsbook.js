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
