"""What a build depends on, as one digest: every content file, the portal's own code,
templates, static files and schemas, and the versions of the libraries that shape the output.

The output folder's marker keeps the digest of the build that made it; when nothing changed,
there is nothing to do (the pages are a pure function of these inputs: no clock, no randomness).

Everything under content/ counts, whatever it is, but nothing is read that a build would not
read: the bytes of a file of a kind the build reads, within its limit (limits.read_at_most);
the size and time of any other (a stray video, a file too big, which the build refuses); what
a link points to; the kind of a pipe, socket or device, which is never opened.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from portal import atomic, files, limits
from portal.paths import PACKAGE, SCHEMA_DIR, STATIC_DIR, TEMPLATES_DIR
from portal.write import staging

LIBRARIES = ("jinja2", "markdown", "nh3", "frictionless", "pyyaml", "pagefind", "segno", "pillow", "markupsafe")
CODE = (("portal", PACKAGE), ("templates", TEMPLATES_DIR), ("static", STATIC_DIR), ("schema", SCHEMA_DIR))


Known = dict[str, list]  # a content file → [size, mtime_ns, ctime_ns, inode, digest as hex]
RACY_NS = 2_000_000_000  # a file changed this recently may change again within its time's grain


@dataclass(frozen=True)
class Scan:
    """What a build was made from: ``total`` (kept in the output's marker), ``code`` (the drafts
    setting, the libraries' versions, the portal's code, templates, static files and schemas)
    and each content file's digest, by its path under content/ (for incremental/record.py);
    ``known``: the digests to keep for the next scan (regular files not changed just now)."""

    total: str
    code: str
    files: dict[str, bytes]
    known: Known


def digest(content: Path, drafts: bool) -> str:
    return scan(content, drafts).total


def scan(content: Path, drafts: bool, known: Known | None = None) -> Scan:
    """The digests; a regular file whose status is the one ``known`` says keeps the digest known
    (as git's index does), so that an unchanged file is not read again."""
    code = _code(drafts)
    total = hashlib.blake2b(code.encode(), digest_size=20)
    found: dict[str, bytes] = {}
    keep: Known = {}
    recent = time.time_ns() - RACY_NS  # only to decide what to trust next time, never in the output
    for relative, entry in _walk(content):
        one, status = _digest(entry, relative, (known or {}).get(relative))
        found[relative] = one
        if status is not None and max(status[1], status[2]) < recent:
            keep[relative] = [*status, one.hex()]
        total.update(f"content/{relative}\0".encode(errors="surrogateescape"))
        total.update(one)
    return Scan(total.hexdigest(), code, found, keep)


def _code(drafts: bool) -> str:
    code = hashlib.blake2b(digest_size=20)
    code.update(f"drafts={drafts}\n".encode())
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        code.update(f"{name}=={version}\n".encode())
    for name, root in CODE:  # installed, the package holds the other three under _data/: counted once
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and "_data" not in path.relative_to(root).parts:
                code.update(f"{name}/{path.relative_to(root).as_posix()}\0".encode())
                code.update(hashlib.blake2b(path.read_bytes(), digest_size=20).digest())
    return code.hexdigest()


def _digest(entry: os.DirEntry, relative: str, known: list | None) -> tuple[bytes, tuple[int, ...] | None]:
    """The entry's digest, and the status that vouches for it (a regular file's, else None)."""
    status = None
    if entry.is_file(follow_symlinks=False):
        try:
            found = entry.stat(follow_symlinks=False)
            status = (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)
        except OSError:
            status = None
    if status is not None and known is not None and tuple(known[:4]) == status:
        return bytes.fromhex(known[4]), status
    return hashlib.blake2b(_describe(entry, relative), digest_size=16).digest(), status


def recall(out: Path) -> Known | None:
    """The digests the last scan kept beside ``out`` (only from a file of this user that no one
    else may write; anything amiss: none, every file is read)."""
    path = _kept(out)
    try:
        if not files.private(path):
            return None
        known = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return known if isinstance(known, dict) else None


def remember(out: Path, found: Scan, known: Known | None) -> None:
    """Keep the scan's digests beside ``out`` when they changed; never fails the build."""
    if known == found.known or not out.resolve().parent.is_dir():
        return
    with contextlib.suppress(OSError):
        atomic.write_file(_kept(out), json.dumps(found.known, separators=(",", ":")).encode(), private=True)


def _kept(out: Path) -> Path:
    return staging.beside(out, "portal-scan")


def _walk(folder: Path, prefix: str = "") -> Iterator[tuple[str, os.DirEntry]]:
    """Every entry under folder but folders, sorted, with its path under folder; into no link."""
    with os.scandir(folder) as found:
        entries = sorted(found, key=lambda e: e.name)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path), f"{prefix}{entry.name}/")
        else:
            yield prefix + entry.name, entry


def _describe(entry: os.DirEntry, relative: str) -> bytes:
    """What the build would find at this entry, as bytes that change whenever that does."""
    found = b""
    if entry.is_symlink():
        found = b"link to " + os.fsencode(os.readlink(entry.path)) + b"\0"
    try:
        status = files.status(entry.path)
    except files.Refused as exc:  # a link to nowhere or to itself
        return found + exc.message.encode()
    if not stat.S_ISREG(status.st_mode):
        return found + f"kind {stat.S_IFMT(status.st_mode)}".encode()
    limit = limits.read_at_most(relative)
    if limit and status.st_size <= limit:  # a kind the build reads, within what it reads
        try:
            return found + hashlib.blake2b(files.read(entry.path, limit, ""), digest_size=20).digest()
        except files.Refused:  # changed meanwhile: the build will say what it finds
            pass
    return found + f"size {status.st_size} time {status.st_mtime_ns}".encode()
