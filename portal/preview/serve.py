"""Preview: build into a private folder, serve it on 127.0.0.1, rebuild and reload on change.

A saved post rebuilds only the pages it changes (incremental.py); anything else the whole site.

When a rebuild fails the last good build keeps being served, with the problems shown at the top
of every page. The server answers from the built site only: no directory listings, no path
outside it (``..``, encoded or not, and symlinks out are refused), and a path it cannot name
(too long, not UTF-8, with NUL or backslash) is simply not found. Which requests are answered at
all (Host, Origin, method, the workbench's token) is decided at the door, serve_http.py.

The workbench (portal/workbench/) is served beside the preview at /_workbench/: what it writes
into the content folder the preview sees like any other save, and rebuilds.
"""

from __future__ import annotations

import gc
import html
import mimetypes
import shutil
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import watchfiles
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher as LivereloadWatcher
from tornado.ioloop import IOLoop

from portal.errors import ContentError
from portal.paths import SCHEMA_DIR, STATIC_DIR, TEMPLATES_DIR
from portal.preview.incremental import Preview
from portal.preview.serve_http import Door, Server
from portal.workbench.web import Bench


class PreviewApp:
    """A WSGI app serving one folder safely, with the last build error shown on every page."""

    def __init__(self, root: Path, ready: Callable[[str], object] | None = None):
        """``ready``: called with a file's path under the root before it is served (the
        preview writes then a file it kept for later)."""
        self.root = root.resolve()
        self.error: str | None = None
        self.ready = ready

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        url_path = _decoded(environ.get("PATH_INFO", "/"))
        if url_path is not None and self.ready is not None:
            self.ready(url_path.lstrip("/"))
        path = None if url_path is None else self.resolve(url_path)
        if path is None:
            return self._send(start_response, "404 Not Found", self.root / "404.html")
        if path.is_dir():
            if not url_path.endswith("/"):
                start_response("301 Moved Permanently", [("Location", _folder_url(url_path))])
                return [b""]
            path = path / "index.html"
            if not path.is_file():
                return self._send(start_response, "404 Not Found", self.root / "404.html")
        return self._send(start_response, "200 OK", path)

    def resolve(self, url_path: str) -> Path | None:
        """The file a URL path names inside the root, or None (never a path outside it)."""
        parts = [p for p in url_path.split("/") if p]
        if any(p in {".", ".."} or "\x00" in p or "\\" in p for p in parts):
            return None
        try:  # a name too long for the file system (ENAMETOOLONG) is not found like any other
            resolved = self.root.joinpath(*parts).resolve()
            found = resolved.is_relative_to(self.root) and resolved.exists()
        except (OSError, RuntimeError):
            return None
        return resolved if found else None

    def _send(self, start_response: Callable, status: str, path: Path) -> list[bytes]:
        if path.is_file() and path.resolve().is_relative_to(self.root):
            body = path.read_bytes()
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        else:
            body, kind = b"<!doctype html><title>404</title><p>Not found</p>", "text/html"
        if kind == "text/html" and self.error:
            body = self._with_error(body)
        if kind.startswith("text/") or kind in {"application/json", "application/xml", "image/svg+xml"}:
            kind += "; charset=utf-8"
        start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body)))])
        return [body]

    def _with_error(self, body: bytes) -> bytes:
        banner = (
            '<div role="alert" style="background:#fff0f0;color:#8a0000;border:3px solid #8a0000;'
            'padding:1rem;margin:0;font:16px/1.6 sans-serif;white-space:pre-wrap">'
            "<strong>重新生成失败，仍显示上一次成功的版本。请修改以下问题：</strong>\n"
            f"{html.escape(self.error or '')}</div>"
        ).encode()
        if b"<body>" in body:
            return body.replace(b"<body>", b"<body>" + banner, 1)
        return banner + body


def _decoded(path_info: str) -> str | None:
    """A WSGI path (its bytes as latin-1) as text, or None when they are not UTF-8."""
    try:
        return path_info.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return None


def _folder_url(url_path: str) -> str:
    """Where a folder's address without its trailing slash redirects: always a path on this
    server, never ``//host/…`` (leading slashes collapsed, every segment percent-encoded)."""
    return "/" + "".join(quote(part, safe="") + "/" for part in url_path.split("/") if part)


def rebuild(preview: Preview, app: PreviewApp, changed: Iterable[Path] | None = None) -> bool:
    """Rebuild the preview: whole at start (with the search index, kept after that), then in
    part when only posts changed. False, with the problems shown on every page, when it failed."""
    try:
        if changed is None:
            preview.whole(index=True)
        else:
            preview.changed(changed)
    except ContentError as exc:
        app.error = "\n".join(str(p) for p in exc.problems)
    except Exception:  # any failure: keep serving the last good build and say why
        app.error = traceback.format_exc()
    else:
        app.error = None
        return True
    print(app.error, file=sys.stderr)
    return False


class Watcher(LivereloadWatcher):
    """livereload's watcher, told of saved files by the kernel (watchfiles: inotify and its kin)
    instead of looking at every file every 0.8 s: a save is seen within ~10 ms at any size (a burst
    of events, an editor's write and rename, comes as one; a longer one may come in two).

    It watches from ``begin()``, before the first build, so no save is missed while that runs."""

    def __init__(self, folders: list[Path], on_change: Callable[[set[Path]], object]):
        super().__init__()
        self.folders = folders
        self.on_change = on_change
        self.pending: set[Path] = set()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.wake: Callable[[], None] | None = None
        self.tidying: object | None = None  # the IOLoop's handle of the next idle()
        self.idle: Callable[[], object] = tidy  # when saves have paused (serve: the preview's flush, then tidy)

    def begin(self) -> None:
        def watch() -> None:
            # Signals go to the server's thread (Ctrl+C stops it), not to this one or the
            # threads watchfiles starts from it: they would leave the server asleep.
            # Where that cannot be done (Windows), the server wakes to look (serve_http.Server).
            if hasattr(signal, "pthread_sigmask"):
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
            for changes in watchfiles.watch(
                *self.folders, step=10, debounce=400, stop_event=self.stopping, raise_interrupt=False
            ):
                with self.lock:
                    self.pending |= {Path(path) for _, path in changes}
                    wake = self.wake
                if wake is not None:
                    wake()

        threading.Thread(target=watch, name="preview-watcher", daemon=True).start()

    def start(self, callback: Callable[[], None]) -> bool:
        """Called by livereload once its server runs: from now on a change calls callback (its
        poll_tasks, which calls examine) on the server's thread."""
        loop = IOLoop.current()
        with self.lock:
            self.wake = partial(loop.add_callback, callback)
            if self.pending:
                self.wake()
        return True  # livereload need not poll

    def examine(self) -> tuple[str | None, float | None]:
        """On the server's thread: rebuild, then tell the open pages to reload."""
        self._changes.clear()  # livereload's "restarted" message: nothing to reload here
        with self.lock:
            changed, self.pending = self.pending, set()
        if changed:
            self.on_change(changed)
            gc.freeze()  # what this rebuild made: out of the next one's collections (see tidy)
            LiveReloadHandler.reload_waiters(path="*")
            loop = IOLoop.current()
            if self.tidying is not None:
                loop.remove_timeout(self.tidying)
            self.tidying = loop.call_later(TIDY_AFTER, self.idle)
        return None, None


TIDY_AFTER = 5.0  # seconds without a save


def tidy() -> None:
    """When saves have paused: collect what the rebuilds since the last tidy left in reference
    cycles, then freeze what is left (the memo and model the next rebuild starts from) out of
    the garbage collector's way. Otherwise a collection of the whole heap could fall in the
    middle of a rebuild: at 4,000 posts a saved post took 0.13-0.25 s, 0.13-0.15 s with this.
    A collection here takes 0.05 s at 4k, 0.25 s at 16k, so it waits for a pause in the saves;
    meanwhile each rebuild freezes what it made (gc.freeze costs nothing)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def serve(content: Path, host: str, port: int, shown: str | None = None) -> int:
    """Preview ``content`` on ``host`` (a loopback address, checked by the command line), with
    the workbench writing into it; ``shown`` names the content folder in messages."""
    work = Path(tempfile.mkdtemp(prefix="portal-preview-"))
    out = work / "site"
    out.mkdir()
    preview = Preview(content, out)
    app = PreviewApp(out, ready=preview.flush)
    folders = [content, TEMPLATES_DIR, STATIC_DIR, SCHEMA_DIR]
    watcher = Watcher(folders, lambda changed: rebuild(preview, app, changed))
    watcher.idle = lambda: (preview.flush(), tidy())
    watcher.begin()
    rebuild(preview, app)
    tidy()
    door = Door.at(host, port)
    server = Server(app, watcher, door, Bench(content, shown or str(content), door.guard))
    print(f"预览地址 (preview): {door.address}  （Ctrl+C 退出）")
    print(f"工作台地址 (workbench): {door.workbench}  （只在这台电脑上用，不要发给别人）", flush=True)
    try:
        server.serve(host=host, port=port, debug=False, restart_delay=0)
    finally:
        watcher.stopping.set()
        shutil.rmtree(work, ignore_errors=True)
    return 0
