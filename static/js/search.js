/* Search: the Pagefind UI (self-hosted under pagefind/), in Chinese, under any base_url.
   Every search box on the site is pointed at the search page; the query is kept in the URL. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-search-action]").forEach(function (form) {
    form.setAttribute("action", form.getAttribute("data-search-action"));
  });
  var box = document.getElementById("search");
  if (!box || typeof window.PagefindUI !== "function") return;
  var base = box.getAttribute("data-base") || "/";
  // A large site's index comes in parts (Pagefind holds one part in memory while it writes it).
  var more = JSON.parse(box.getAttribute("data-more") || "[]").map(function (path) {
    return { bundlePath: path, baseUrl: base };
  });
  var ui = new window.PagefindUI({
    element: "#search",
    baseUrl: base,
    bundlePath: box.getAttribute("data-bundle"),
    mergeIndex: more,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
})();
