/*
 * The workbench, improved: everything works without this file (the 预览正文 button posts the
 * form and the page shows the preview).
 *
 * - The body's preview follows the typing: a moment after the last key, the body is posted to
 *   the workbench's own /_workbench/preview (with its token in the X-Workbench-Token header),
 *   which renders it with the site's own Markdown and sanitiser.
 * - When a save was refused, the list of problems gets the focus, so a keyboard or screen
 *   reader user starts there; each problem links to its field.
 */
(function () {
  "use strict";

  var problems = document.getElementById("problems");
  if (problems) {
    problems.focus();
  }

  var body = document.getElementById("field-body");
  var shown = document.getElementById("preview-body");
  if (!body || !shown || !window.fetch || !window.FormData) {
    return;
  }
  var form = body.form;
  var token = form.elements.token.value;
  var timer = null;
  var asked = 0;

  function refresh() {
    var data = new FormData();
    data.append("token", token);
    data.append("body", body.value);
    data.append("path", form.elements.path.value);
    asked += 1;
    var mine = asked;
    window
      .fetch(shown.getAttribute("data-address"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Workbench-Token": token },
      })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        if (mine === asked) {
          shown.innerHTML = html; // rendered and sanitised by the server, as on the site
        }
      })
      .catch(function () {
        /* the last preview stays; the 预览正文 button still works */
      });
  }

  body.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 400);
  });
  refresh();
})();
