/* opsbook theme: the light/dark choice (kept across pages) and the
 * sidebar, open on wide screens and folded on narrow ones. */
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
  document.addEventListener("DOMContentLoaded", function () {
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
