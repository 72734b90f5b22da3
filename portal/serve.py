"""Preview: build into a private folder, serve it on 127.0.0.1, rebuild and reload on change.

When a rebuild fails the last good build keeps being served, with the problems shown at the top
of every page. The server answers from the built site only: no directory listings, no path
outside it (``..``, encoded or not, and symlinks out are refused).
"""

from __future__ import annotations

import html
import mimetypes
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .config import SCHEMA_DIR, STATIC_DIR, TEMPLATES_DIR
from .errors import ContentError

WATCHED = ("content", TEMPLATES_DIR, STATIC_DIR, SCHEMA_DIR)


class PreviewApp:
    """A WSGI app serving one folder safely, with the last build error shown on every page."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.error: str | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        raw = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        path = self.resolve(raw)
        if path is None:
            return self._send(start_response, "404 Not Found", self.root / "404.html", not_found=True)
        if path.is_dir():
            if not raw.endswith("/"):
                location = environ.get("SCRIPT_NAME", "") + raw + "/"
                start_response("301 Moved Permanently", [("Location", location)])
                return [b""]
            path = path / "index.html"
            if not path.is_file():
                return self._send(start_response, "404 Not Found", self.root / "404.html", not_found=True)
        return self._send(start_response, "200 OK", path)

    def resolve(self, url_path: str) -> Path | None:
        """The file a URL path names inside the root, or None (never a path outside it)."""
        parts = [p for p in url_path.split("/") if p]
        if any(p in {".", ".."} or "\x00" in p or "\\" in p for p in parts):
            return None
        candidate = self.root.joinpath(*parts)
        try:
            resolved = candidate.resolve()
        except (OSError, RuntimeError):
            return None
        if not resolved.is_relative_to(self.root) or not resolved.exists():
            return None
        return resolved

    def _send(self, start_response: Callable, status: str, path: Path, not_found: bool = False) -> list[bytes]:
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


def rebuild(content: Path, out: Path, app: PreviewApp, index: bool = False) -> bool:
    """Rebuild the preview; the search index is made at start and kept after that."""
    from . import pipeline

    try:
        pipeline.build(content, out, drafts=True, index=index)
    except ContentError as exc:
        app.error = "\n".join(str(p) for p in exc.problems)
    except Exception:  # any failure: keep serving the last good build and say why
        app.error = traceback.format_exc()
    else:
        app.error = None
        return True
    print(app.error, file=sys.stderr)
    return False


def serve(content: Path, host: str, port: int) -> int:
    from livereload import Server

    work = Path(tempfile.mkdtemp(prefix="portal-preview-"))
    out = work / "site"
    app = PreviewApp(out)
    out.mkdir()
    rebuild(content, out, app, index=True)
    server = Server(app)
    for place in WATCHED:
        folder = content if place == "content" else place
        server.watch(str(folder), lambda: rebuild(content, out, app), delay=0.3)
    print(f"预览地址 (preview): http://{host}:{port}/  （Ctrl+C 退出）")
    try:
        server.serve(host=host, port=port, debug=False, restart_delay=0)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0
