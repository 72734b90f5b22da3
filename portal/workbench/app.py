"""Which page answers a workbench request: one table of (method, address) → page function.

Before a page is picked: a first visit by the address with the token (?token=…) gets the
cookie and is sent on to the same address without it, and a POST that does not carry the token
in its body or header is refused (the door, preview/serve_http.py, has already refused every
request without the token or cookie, and every POST from another origin). Every answer forbids
scripts, styles, images, forms and frames from anywhere but the workbench itself, and sends its
referrer to its own origin only (from a page with no referrer at all, a browser sends a form's
POST with ``Origin: null``, which the door refuses).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from portal.workbench import guard, monthpages, pages, postpages
from portal.workbench.web import Bench, Request, Response, redirect, text

MAX_BODY = 25_000_000  # bytes of a workbench POST, once the door has let it in: a form with its
# photos (photos.MAX_HELD, a third bigger as base64) and a long body, or a month's filled forms
# (a few dozen kB each); every other request takes 64 kB

Page = Callable[[Bench, Request], Response]
ROUTES: dict[tuple[str, str], Page] = {
    ("GET", ""): pages.home,
    ("GET", "posts"): postpages.listing,
    ("GET", "post"): postpages.edit,
    ("POST", "post"): postpages.submit,
    ("POST", "preview"): postpages.live,
    ("GET", "photo"): postpages.picture,
    ("GET", "month"): monthpages.month,
    ("GET", "month/zip"): monthpages.download_all,
    ("GET", "month/form"): monthpages.download_one,
    ("POST", "month/check"): monthpages.check,
    ("POST", "month/import"): monthpages.confirm,
    **{("GET", f"static/{name}"): pages.asset for name in pages.ASSETS},
}


def answer(bench: Bench, request: Request) -> Response:
    """The answer to a request the door let in."""
    return _secured(_answer(bench, request))


def _answer(bench: Bench, request: Request) -> Response:
    method = "GET" if request.method == "HEAD" else request.method
    if method == "GET" and guard.FIELD in request.query:
        rest = {key: values for key, values in request.query.items() if key != guard.FIELD}
        where = f"{guard.PREFIX}/{request.path}" + (f"?{urlencode(rest, doseq=True)}" if rest else "")
        return redirect(where, ("Set-Cookie", bench.guard.cookie()))
    if method == "POST" and not bench.guard.signed(request.form, request.headers):
        return text(403, guard.UNSIGNED)
    found = ROUTES.get((method, request.path))
    if found is not None:
        return found(bench, request)
    allowed = sorted(m for m, path in ROUTES if path == request.path)
    if allowed:
        return pages.method_not_allowed(bench, request, ", ".join(allowed))
    return pages.not_found(bench, request)


def _secured(response: Response) -> Response:
    headers = (
        ("Content-Security-Policy", guard.CSP),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),  # else a browser's POST from these pages says "Origin: null"
        *response.headers,
    )
    return Response(response.status, response.body, response.content_type, headers)
