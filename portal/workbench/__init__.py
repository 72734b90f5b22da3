"""The workbench: news staff and the clerk publish from a browser, by the same code as the
command line, served by ``build.py serve`` at /_workbench/.

How a request travels: the preview's door (preview/serve_http.py) refuses any request whose Host
is not this computer's, and asks guard.py about every /_workbench/ request (the token or its
cookie; a POST also from the workbench's own origin); the server hands what it let in to
app.answer as a web.Request; app.py checks that a POST carries the token in its body or header,
picks the page from app.ROUTES, and adds the Content-Security-Policy to the web.Response.

Adding a page (as the clerk's 月度报送, monthpages.py, was added):
1. Write a module here (e.g. month.py) with functions ``page(bench, request) -> Response``: a GET
   only reads; a POST may write, and only through writes.py (``create`` for a new file,
   ``replace`` for the one being edited, each recorded in the write log). Refuse what ``check``
   would refuse by loading the content as it would be first (judged.check, or forms/mirror.py
   as the monthly import does).
2. Render with pages.page(bench, "your.html", title=…, …): the template extends
   templates/workbench/base.html (set ``nav`` to light its menu entry) and every form carries
   ``<input type="hidden" name="{{ token_field }}" value="{{ token }}">``; a script sends the
   header ``X-Workbench-Token`` instead. A form with files is ``enctype="multipart/form-data"``
   and its files arrive as ``request.files`` (bytes; the browser's file names are never given).
   No inline script or style: the CSP forbids them; put them in static/js/workbench.js and
   static/css/workbench.css.
3. Add its (method, address) pairs to app.ROUTES, and a test beside tests/test_workbench*.py.

从 Word 导入 (docx.py, ``convert(data, name)``: a .docx → a Markdown body and its images) fits
the post form as one more action of postpages.submit: put the body into the form's ``body`` and
each image into ``Form.held`` as photos.accept(data, "") gives it, and show the form again
(postform.show): each image then asks for its alt text, and nothing is written until the post
is saved like any other.
"""
