"""A content-addressed cache of work that is slow and pure: Markdown rendered and sanitised,
QR codes drawn. Text in, text out, keyed by a digest of the input, the code that made it and
the versions of the libraries involved, so it never goes stale and is safe to delete.

One JSON file a kind in .cache/portal/ (git-ignored), read once and written once per build
(reading thousands of small files costs as much as the work they save). Entries a build did
not use are dropped when it saves, so the cache holds one site's worth. PORTAL_CACHE=off (or
another folder) changes where it lives; the cache never changes what a build writes.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from portal import atomic
from portal.paths import INSTALLED, PORTAL

_VERSIONS = "|".join(f"{name}={metadata.version(name)}" for name in ("markdown", "nh3", "segno"))
_STORES: dict[str, tuple[dict[str, str], dict[str, str]]] = {}  # kind → (loaded, used)
_CODE: dict[Path, str] = {}


def folder() -> Path | None:
    return _folder(os.environ.get("PORTAL_CACHE", ""))


@functools.cache
def _folder(setting: str) -> Path | None:
    if setting.lower() in {"off", "0", "no"}:
        return None
    if setting:
        return Path(setting)
    if INSTALLED:  # not inside site-packages: the user's cache folder
        home = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA") or Path.home() / ".cache"
        return Path(home) / "minsheng-portal"
    return PORTAL / ".cache" / "portal"


def cached(kind: str, source: Path, text: str, make: Callable[[str], str]) -> str:
    """make(text), remembered under a digest of (kind, text, the source file of make, versions)."""
    root = folder()
    if root is None:
        return make(text)
    loaded, used = _store(root, kind)
    key = _key(source, text)
    result = used.get(key)
    if result is None:
        result = loaded[key] if key in loaded else make(text)
        used[key] = result
    return result


def holds(kind: str, source: Path, text: str) -> bool:
    """Whether cached() would find this without making it."""
    root = folder()
    if root is None:
        return False
    loaded, used = _store(root, kind)
    key = _key(source, text)
    return key in used or key in loaded


def _key(source: Path, text: str) -> str:
    return hashlib.blake2b(f"{_VERSIONS}\0{_code(source)}\0{text}".encode(), digest_size=20).hexdigest()


def save() -> None:
    """Write each kind used by this build, keeping only the entries it used."""
    root = folder()
    if root is None:
        return
    for kind, (loaded, used) in _STORES.items():
        if used.keys() == loaded.keys():
            continue
        text = json.dumps(used, ensure_ascii=False, sort_keys=True)
        with contextlib.suppress(OSError):  # a read-only or full disk only makes the next build slower
            atomic.write_file(root / f"{kind}.json", text.encode("utf-8"))
    _STORES.clear()


def _store(root: Path, kind: str) -> tuple[dict[str, str], dict[str, str]]:
    if kind not in _STORES:
        try:
            loaded = json.loads((root / f"{kind}.json").read_text(encoding="utf-8"))
            if not isinstance(loaded, dict):
                loaded = {}
        except (OSError, ValueError):
            loaded = {}
        _STORES[kind] = (loaded, {})
    return _STORES[kind]


def _code(source: Path) -> str:
    if source not in _CODE:
        _CODE[source] = hashlib.blake2b(source.read_bytes(), digest_size=20).hexdigest()
    return _CODE[source]
