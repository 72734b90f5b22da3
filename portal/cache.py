"""A content-addressed cache of work that is slow and pure: Markdown rendered and sanitised,
QR codes drawn. Text in, text out, keyed by a digest of the input, the code that made it and
the versions of the libraries involved, so it never needs invalidating and is safe to delete.

It lives in .cache/portal/ beside the portal (git-ignored). PORTAL_CACHE=off (or a folder)
changes that; the cache never changes what a build writes, only how fast.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from .config import PORTAL

_VERSIONS = "|".join(f"{name}={metadata.version(name)}" for name in ("markdown", "nh3", "segno"))


def folder() -> Path | None:
    setting = os.environ.get("PORTAL_CACHE", "")
    if setting.lower() in {"off", "0", "no"}:
        return None
    return Path(setting) if setting else PORTAL / ".cache" / "portal"


def cached(kind: str, source: Path, text: str, make: Callable[[str], str]) -> str:
    """make(text), remembered under a digest of (kind, text, the source file of make, versions)."""
    root = folder()
    if root is None:
        return make(text)
    key = hashlib.blake2b(digest_size=20)
    for part in (kind, _VERSIONS, _code(source), text):
        key.update(part.encode("utf-8"))
        key.update(b"\0")
    name = key.hexdigest()
    path = root / kind / name[:2] / name
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    result = make(text)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{name}.{os.getpid()}.tmp")
        temporary.write_text(result, encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only or full disk only makes the next build slower
    return result


_CODE: dict[Path, str] = {}


def _code(source: Path) -> str:
    if source not in _CODE:
        _CODE[source] = hashlib.blake2b(source.read_bytes(), digest_size=20).hexdigest()
    return _CODE[source]
