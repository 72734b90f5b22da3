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
  var bundle = box.getAttribute("data-bundle");
  // A large site's index comes in parts (render/indexparts.py). They are merged all at once: the
  // UI's own mergeIndex option merges one after the other, two round trips a part, which a phone
  // pays at every search. Merged parts share the first one's WebAssembly (Pagefind's mergeIndex);
  // the UI imports the same module and searches them all once they are ready.
  var more = JSON.parse(box.getAttribute("data-more") || "[]");
  if (more.length) {
    import(bundle + "pagefind.js").then(function (pagefind) {
      more.forEach(function (path) {
        pagefind.mergeIndex(path, { baseUrl: base });
      });
    });
  }
  var ui = new window.PagefindUI({
    element: "#search",
    baseUrl: base,
    bundlePath: bundle,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
})();
