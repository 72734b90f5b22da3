"""The record's outline: what a build needs of the last one before anything heavy is imported.

The record (record.py) begins with a line saying what it is valid for, then this outline, a
small pickle of plain values, then the record itself. A build reads the outline right after it
has scanned the content, before the model's modules are imported (0.4 s at 4,000 posts on a
fast machine), so that Pagefind can start indexing again, from the site's pages as they are,
the part of the search index the changed posts will most likely change
(write/search.Indexing.prepare), while the build reads those posts and renders their pages.
Only a guess: a part guessed wrongly costs Pagefind time, not correctness (Pagefind is then
given the part's pages afresh).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from portal import files
from portal.write import staging
from portal.write.fingerprint import Scan

# As render/indexparts.py plans them: not imported from there, the outline is read before any
# module of the model or the renderer is (tests/test_partial_build.py checks it).
Part = tuple[str, tuple[str, ...]]

VERSION = 3  # 2: the feed's spans, not its entries; 3: the outline

PREPARED = 1  # parts prepared ahead at most


@dataclass(frozen=True)
class Outline:
    files: dict[str, bytes]  # each content file's digest (Scan.files)
    parts: tuple[Part, ...]  # the search index's parts as made
    shows: dict[str, tuple[str, ...]]  # a post's file: the searchable pages that show it

    def likely(self, scan: Scan) -> list[Part]:
        """The first part holding a page that shows a changed post, if any (a new post's pages
        are not known before it is read). One: Pagefind holds a part it prepares in memory until
        it is made, up to 0.3 GB at 50,000 posts, and makes the parts one after the other."""
        pages = {page for rel in changed(self.files, scan) for page in self.shows.get(rel, ())}
        return [part for part in self.parts if pages.intersection(part[1])][:PREPARED]


def changed(before: dict[str, bytes], scan: Scan) -> set[str]:
    """The content files added, removed or changed since the build that found ``before``."""
    return {rel for rel in before.keys() | scan.files.keys() if before.get(rel) != scan.files.get(rel)}


def where(out: Path) -> Path:
    return staging.beside(out, "portal-record")


def header(code: str, shown: str, inputs: str | None) -> bytes:
    """The record's first line: the version, code, content path and inputs it is valid for."""
    said = hashlib.blake2b(f"{VERSION}\0{code}\0{shown}\0{inputs}".encode(errors="surrogateescape"), digest_size=20)
    return b"portal-record " + said.hexdigest().encode() + b"\n"


def opened(out: Path, scan: Scan, shown: str, built_from: str | None) -> BinaryIO | None:
    """The record file, read past its header, if it is this user's own and was made by this code
    from this content for the site in ``out``; else None."""
    path, said = where(out), header(scan.code, shown, built_from)
    try:
        if not files.private(path):
            return None
        kept = path.open("rb")
    except OSError:
        return None
    if kept.read(len(said)) != said:  # another code, content path or site: not unpickled
        kept.close()
        return None
    return kept


def read(out: Path, scan: Scan, shown: str, built_from: str | None) -> Outline | None:
    """The outline of the record beside ``out``, if the record can be trusted for this build."""
    kept = opened(out, scan, shown, built_from)
    if kept is None:
        return None
    with kept, contextlib.suppress(Exception):  # unreadable or damaged: no outline
        outline = load(kept)
        return outline if isinstance(outline, Outline) else None
    return None


def load(kept: BinaryIO) -> object:
    """The next pickle in the record file, without collecting garbage meanwhile (unpickling
    makes many objects and no garbage: 5× quicker), streamed from the file."""
    gc.disable()
    try:
        return pickle.load(kept)
    finally:
        gc.enable()
