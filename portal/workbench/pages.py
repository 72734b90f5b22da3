"""The workbench's pages as HTML: its own Jinja environment over templates/workbench/, the home
page, its style sheets and script, and the answer to an address it does not have.

Every page extends templates/workbench/base.html and is given ``token`` (for the hidden field
every form carries: see guard.py) and ``root`` (the workbench's address). Its styles and script
come from the portal's own static/ folder, served here so that the workbench works even while
the preview has no good build, and so that nothing is loaded from another host.
"""

from __future__ import annotations

import mimetypes
from functools import cache
from typing import Any

import jinja2

from portal.model.records import KINDS
from portal.paths import STATIC_DIR, TEMPLATES_DIR
from portal.workbench.guard import FIELD, PREFIX
from portal.workbench.web import Bench, Request, Response

ASSETS = ("css/portal.css", "css/workbench.css", "js/workbench.js")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR / "workbench"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(KINDS=KINDS, root=PREFIX + "/", token_field=FIELD)
    return env


def page(bench: Bench, template: str, status: int = 200, **context: Any) -> Response:
    """A workbench page rendered from ``template`` with ``context``."""
    html = environment().get_template(template).render(token=bench.guard.token, **context)
    return Response(status, html.encode("utf-8"))


def home(bench: Bench, request: Request) -> Response:
    return page(bench, "home.html", title="工作台")


def asset(bench: Bench, request: Request) -> Response:
    """One of the workbench's own style sheets or script, by a name from a fixed list."""
    name = request.path.removeprefix("static/")
    if name not in ASSETS:
        return not_found(bench, request)
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Response(200, (STATIC_DIR / name).read_bytes(), f"{kind}; charset=utf-8")


def not_found(bench: Bench, request: Request) -> Response:
    return page(bench, "missing.html", 404, title="找不到这个页面")


def method_not_allowed(bench: Bench, request: Request, allowed: str) -> Response:
    return Response(
        405,
        f"405：这个地址只接受 {allowed} 请求。".encode(),
        "text/plain; charset=utf-8",
        (("Allow", allowed),),
    )
