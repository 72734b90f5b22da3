"""The preview server's door: which requests it answers, decided in one place (``Door``), and the
tornado application that asks the door first for every request: pages, livereload.js and the
live-reload socket alike.

Any web page the operator opens can send requests to 127.0.0.1: a cross-site form posts to it,
and DNS rebinding lets a page read the answers under a host name of its own. So the preview
answers only requests addressed to a loopback name with its port (the ``Host`` allow-list),
opens its live-reload socket only to its own pages (``Origin``), takes GET and HEAD only, sends
no CORS header, and marks every answer not to be sniffed, stored or sent as a referrer (the
preview shows drafts). The workbench (/_workbench/, portal/workbench/) is let in by the same door,
which asks the workbench's guard: its token or cookie on every request, its own origin on every
POST; only such a POST may send more than 64 kB (a form with photos).
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import livereload
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import httputil, web
from tornado.ioloop import PeriodicCallback
from tornado.wsgi import WSGIContainer

from portal.workbench import app as workbench
from portal.workbench.guard import Guard
from portal.workbench.web import Bench, Request, Response, text

LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
READS = ("GET", "HEAD")
MAX_TARGET = 4096  # characters of a request's path and query; longer ones get 414
MAX_BODY = 64 * 1024  # bytes of a request body: the preview takes none; a bigger one is cut off (400)


@dataclass(frozen=True)
class Refusal:
    """A request the door turns away: its status, a short Chinese text, and headers it needs."""

    status: int
    text: str
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Door:
    """Who is answered: requests whose ``Host`` names this server by a loopback name and its port."""

    address: str  # as printed at start, e.g. http://127.0.0.1:8000/
    hosts: frozenset[str]  # the Host values a browser sends for it: 127.0.0.1:8000, localhost:8000, …
    origins: frozenset[str]  # its own pages' Origin: http://127.0.0.1:8000, …
    guard: Guard = field(default_factory=Guard.new)  # the workbench's: a new token each start

    @classmethod
    def at(cls, host: str, port: int) -> Door:
        """The door of a server listening on ``host`` (a loopback address) and ``port``."""
        bound = f"[{host}]" if ":" in host else host.lower()
        names = {*LOOPBACK, bound}
        hosts = {f"{name}:{port}" for name in names} | (names if port == 80 else set())
        return cls(f"http://{bound}:{port}/", frozenset(hosts), frozenset(f"http://{h}" for h in hosts))

    @property
    def workbench(self) -> str:
        """The workbench's address with its token, as printed at start."""
        return f"{self.address}_workbench/?token={self.guard.token}"

    def refusal(self, method: str, target: str, headers: Mapping[str, str]) -> Refusal | None:
        """Why this request is not answered, or None when it is. Asked before anything else is
        done: a refused request reads no file and opens no socket."""
        if headers.get("Host", "").lower() not in self.hosts:
            return Refusal(403, f"403：预览只回答发给本机地址的请求。请在这台电脑的浏览器里打开 {self.address}")
        if len(target) > MAX_TARGET:
            return Refusal(414, "414：地址太长。")
        if self.guard.covers(target):
            denied = self.guard.refusal(method, target, headers, self.same_origin(headers.get("Origin")))
            return denied and Refusal(denied.status, denied.text, (("Allow", denied.allow),) if denied.allow else ())
        if method not in READS:
            return Refusal(405, "405：预览只接受 GET 和 HEAD 请求。", (("Allow", ", ".join(READS)),))
        if "Upgrade" in headers and not self.same_origin(headers.get("Origin")):
            return Refusal(403, "403：自动刷新只接受预览自己的页面的连接。")
        return None

    def same_origin(self, origin: str | None) -> bool:
        return origin is not None and origin.lower() in self.origins


class SafetyHeaders(web.OutputTransform):
    """On every answer: no MIME sniffing, no referrer, nothing stored (drafts are in the pages,
    the feeds, the data files and the search index alike). The workbench's pages send their
    referrer to their own origin only: from a no-referrer page a browser's POST says ``Origin:
    null``, and the door could not tell the workbench's own forms from anyone's."""

    def transform_first_chunk(
        self, status_code: int, headers: httputil.HTTPHeaders, chunk: bytes, finishing: bool
    ) -> tuple[int, httputil.HTTPHeaders, bytes]:
        headers["X-Content-Type-Options"] = "nosniff"
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers["Cache-Control"] = "no-store"
        return status_code, headers, chunk


class Refused(web.RequestHandler):
    """The answer to a request the door refused, whatever its method."""

    def initialize(self, refusal: Refusal) -> None:
        self.refusal = refusal
        self.SUPPORTED_METHODS = (self.request.method or "",)  # answered here, not by tornado's 405

    def prepare(self) -> None:
        self.set_status(self.refusal.status)
        for name, value in self.refusal.headers:
            self.set_header(name, value)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(self.refusal.text.encode())


class Page(web.RequestHandler):
    """The built site, from the preview's WSGI app, with the live-reload script in its pages.
    HEAD is GET without the body: tornado sends the headers and Content-Length only."""

    def initialize(self, site: Callable[..., Iterable[bytes]], script: bytes) -> None:
        self.site = site
        self.script = script

    def get(self) -> None:
        answered: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            answered["status"], answered["headers"] = status, headers

        body = b"".join(self.site(WSGIContainer(self.site).environ(self.request), start_response))
        code, reason = answered["status"].split(" ", 1)
        self.set_status(int(code), reason)
        for name, value in answered["headers"]:
            if name.lower() == "content-type" and value.startswith("text/html"):
                body = body.replace(b"</head>", self.script + b"</head>", 1)
            if name.lower() != "content-length":  # tornado counts what is written
                self.set_header(name, value)
        self.write(body)

    head = get


@web.stream_request_body
class Workbench(web.RequestHandler):
    """The workbench's pages (portal/workbench/app.py) for the requests the door let in. A POST
    is received here as it arrives, so that the door's 64 kB may be raised for it alone."""

    SUPPORTED_METHODS = ("GET", "HEAD", "POST")

    def initialize(self, bench: Bench) -> None:
        self.bench = bench
        self.received = bytearray()

    def prepare(self) -> None:
        if self.request.method == "POST":  # its token and origin passed the door: it may send photos
            self.request.connection.set_max_body_size(workbench.MAX_BODY)  # type: ignore[attr-defined]

    def data_received(self, chunk: bytes) -> None:
        self.received += chunk

    def get(self) -> None:
        self._answer({}, {}, {})

    head = get

    def post(self) -> None:
        arguments: dict[str, list[bytes]] = {}
        uploaded: dict[str, list[httputil.HTTPFile]] = {}
        kind = self.request.headers.get("Content-Type", "")
        httputil.parse_body_arguments(kind, bytes(self.received), arguments, uploaded, self.request.headers)
        try:
            form = {name: tuple(v.decode("utf-8") for v in values) for name, values in arguments.items()}
        except UnicodeDecodeError:
            self._send(text(400, "400：提交的文字不是 UTF-8 编码：请在工作台页面上重新提交。"))
            return
        files = {name: tuple(f.body for f in found) for name, found in uploaded.items()}
        self._answer(form, files, {name: tuple(f.filename for f in found) for name, found in uploaded.items()})

    def _answer(
        self, form: dict[str, tuple[str, ...]], files: dict[str, tuple[bytes, ...]], names: dict[str, tuple[str, ...]]
    ) -> None:
        query = {k: tuple(v.decode("utf-8", "replace") for v in vs) for k, vs in self.request.query_arguments.items()}
        path = (self.request.path or "").removeprefix("/_workbench/")
        asked = Request(self.request.method or "", path, query, self.request.headers, form, files, names)
        self._send(workbench.answer(self.bench, asked))

    def _send(self, response: Response) -> None:
        self.set_status(response.status)
        self.set_header("Content-Type", response.content_type)
        for name, value in response.headers:
            self.add_header(name, value)
        self.finish(response.body)


class ReloadScript(LiveReloadJSHandler):
    head = LiveReloadJSHandler.get


class ReloadSocket(LiveReloadHandler):
    """livereload's socket, open to the preview's own pages only (livereload's takes any)."""

    def initialize(self, door: Door) -> None:
        self.door = door

    def check_origin(self, origin: str) -> bool:
        return self.door.same_origin(origin)

    head = LiveReloadHandler.get


class Guarded(web.Application):
    """A tornado application whose door is asked first, before any route is taken."""

    def __init__(self, door: Door, handlers: list[Any]):
        super().__init__(handlers, transforms=[SafetyHeaders])
        self.door = door

    def find_handler(self, request: httputil.HTTPServerRequest, **kwargs: Any) -> Any:
        refusal = self.door.refusal(request.method or "", request.uri or "", request.headers)
        if refusal is not None:
            return self.get_handler_delegate(request, Refused, {"refusal": refusal})
        return super().find_handler(request, **kwargs)


def preview_application(site: Callable[..., Iterable[bytes]], door: Door, port: int, bench: Bench) -> Guarded:
    """The preview's routes: the live-reload socket and script, the workbench, then the site.
    livereload's /forcereload (a GET that reloads every open page) is left out."""
    script = f'<script src="/livereload.js?port={port}"></script>'.encode()
    return Guarded(
        door,
        [
            (r"/livereload", ReloadSocket, {"door": door}),
            (r"/livereload\.js", ReloadScript),
            (r"/_workbench", web.RedirectHandler, {"url": "/_workbench/"}),
            (r"/_workbench/.*", Workbench, {"bench": bench}),
            (r".*", Page, {"site": site, "script": script}),
        ],
    )


class Server(livereload.Server):
    """livereload's server (its watcher protocol, its socket's reload messages), with the
    preview's guarded application in place of livereload's own."""

    def __init__(self, site: Callable[..., Iterable[bytes]], watcher: Any, door: Door, bench: Bench):
        super().__init__(site, watcher=watcher)
        self.door = door
        self.bench = bench

    def application(self, port: int, host: str, liveport: Any = None, debug: Any = None, live_css: bool = True) -> None:
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        application = preview_application(self.app, self.door, port, self.bench)
        application.listen(port, address=host, max_body_size=MAX_BODY)
        if not hasattr(signal, "pthread_sigmask"):
            # Where signals cannot be kept to this thread (Windows, whose select() does not
            # return on Ctrl+C either), wake twice a second to see a Ctrl+C.
            PeriodicCallback(lambda: None, 500).start()
