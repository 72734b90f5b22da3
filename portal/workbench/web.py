"""What a workbench page is given and gives back, free of any web framework: a page is a plain
function from a ``Request`` to a ``Response``, so it can be called (and tested) directly.

The server (preview/serve_http.py) makes the Request from the HTTP request once the door has let
it in, and writes the Response back; app.py picks the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from portal.workbench.guard import PREFIX, Guard

LOG_NAME = ".portal-workbench.log"


@dataclass(frozen=True)
class Bench:
    """The workbench of one preview: the content folder it writes into and its secret."""

    content: Path
    shown: str  # the content folder as messages name it, e.g. "content"
    guard: Guard

    @property
    def log(self) -> Path:
        """The write log: beside the content folder, so never published nor read as content."""
        return self.content.resolve().parent / LOG_NAME


@dataclass(frozen=True)
class Request:
    """One request: ``path`` is what follows /_workbench/ (e.g. "post"), every value decoded text
    except the uploaded files' bytes. The file names a browser sends (``names``, beside each
    file) are for messages only, to name a file as the clerk knows it: the server chooses every
    name it writes."""

    method: str
    path: str
    query: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    form: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    files: Mapping[str, tuple[bytes, ...]] = field(default_factory=dict)
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # each file's name as sent: shown only

    def arg(self, name: str) -> str:
        """A query parameter's first value, or ""."""
        return next(iter(self.query.get(name, ())), "")

    def field(self, name: str) -> str:
        """A form field's first value, or ""."""
        return next(iter(self.form.get(name, ())), "")

    def fields(self, name: str) -> tuple[str, ...]:
        return tuple(self.form.get(name, ()))

    def file(self, name: str) -> bytes | None:
        """The first non-empty file sent under ``name`` (an empty file input sends an empty one)."""
        return next((data for data in self.files.get(name, ()) if data), None)


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


def address(page: str, **query: str) -> str:
    """The address of a workbench page, e.g. address("post", path="news/a.md")."""
    found = {key: value for key, value in query.items() if value}
    return f"{PREFIX}/{page}" + (f"?{urlencode(found)}" if found else "")


def redirect(location: str, *headers: tuple[str, str]) -> Response:
    """See Other: after a POST, the browser asks for the page with a GET (a reload never posts again)."""
    return Response(303, b"", "text/plain; charset=utf-8", (("Location", location), *headers))


def text(status: int, message: str) -> Response:
    return Response(status, message.encode(), "text/plain; charset=utf-8")
