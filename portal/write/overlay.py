"""Write in part: a build that changes a few files of a built site, all or nothing.

The files that differ from the site's are written first into a private folder beside it (an
``Overlay``); the new parts of the search index are made there too, from those files and the
site's unchanged ones. Only when everything is ready is the site changed: its input digest is
cleared (so that a build interrupted from here on is never taken for up to date: the next
one builds the whole site), each file renamed into place, the pages no longer made removed, each
new part of the index swapped in, then the new digest written. A build that fails before that
leaves the site as it was, byte for byte.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from portal.write.filedata import Content, encoded, pieces, same, same_files, written
from portal.write.staging import INPUTS, beside, checked, inside, make_folder, ours, remove, remove_leftovers


class Overlay:
    """The files a partial build changes, staged beside the site until ``commit``."""

    def __init__(self, out: Path):
        self.out = ours(out)
        self.root = self.sibling("staging")
        remove_leftovers(self.out)
        self.written: list[str] = []
        self._folders: set[Path] = set()
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)

    def sibling(self, kind: str) -> Path:
        return beside(self.out, f"{kind}-{os.getpid()}")

    def write(self, rel: str, data: Content) -> bool:
        """Stage a file when its bytes differ from the site's; whether they did. Pieces are
        written as they come and compared once written (the portal's feed: 130 MB at 50,000
        posts)."""
        site = checked(self.out, rel)
        if not pieces(data):
            data = encoded(data)
            if same(site, data):
                return False
            self.stage(rel).write_bytes(data)
        else:
            staged = self.stage(rel)
            written(staged, data)
            if same_files(staged, site):
                staged.unlink()
                return False
        self.written.append(rel)
        return True

    def stage(self, rel: str) -> Path:
        """Where a file is staged (a page rendered to before ``adopt`` decides on it), its
        folder made."""
        path = inside(self.root, rel)
        checked(self.out, rel)
        make_folder(path.parent, self._folders)
        return path

    def adopt(self, rel: str) -> tuple[bytes, bytes | None] | None:
        """A page rendered into ``stage(rel)``: kept, with its new and old bytes, when it differs
        from the site's (None: dropped, the site's is the same)."""
        path = inside(self.root, rel)
        new, old = path.read_bytes(), self.current(rel)
        if new == old:
            path.unlink()
            return None
        self.written.append(rel)
        return new, old

    def current(self, rel: str) -> bytes | None:
        """The site's file as it is, None if there is none."""
        try:
            return checked(self.out, rel).read_bytes()
        except OSError:
            return None

    def source(self, rel: str) -> Path:
        """Where a page's newest bytes are: staged, or the site's."""
        staged = inside(self.root, rel)
        return staged if staged.is_file() else inside(self.out, rel)

    def commit(self, gone: Iterable[str], parts: Iterable[str], stale: Iterable[str], inputs: str) -> None:
        """Change the site: the staged files and index ``parts`` (folders made under the overlay)
        in, the ``gone`` pages and the ``stale`` parts out, then the new input digest."""
        (self.out / INPUTS).write_text("\n", encoding="utf-8")
        made: set[Path] = set()
        for rel in self.written:
            target = checked(self.out, rel)
            make_folder(target.parent, made)
            os.replace(inside(self.root, rel), target)
        for rel in gone:
            remove(self.out, rel)
        for folder in parts:
            _swap_part(self.root / folder, self.out / folder)
        for folder in stale:
            shutil.rmtree(self.out / folder, ignore_errors=True)
        (self.out / INPUTS).write_text(inputs + "\n", encoding="utf-8")
        self.discard()

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _swap_part(fresh: Path, site: Path) -> None:
    """A part of the index made afresh in place of the site's: each of its entries in, what
    the old part had besides out; the other parts, folders inside the first (part2/, …), stay."""
    site.mkdir(parents=True, exist_ok=True)
    names = {entry.name for entry in fresh.iterdir() if not _is_part(entry.name)}
    for entry in site.iterdir():
        if entry.name not in names and not _is_part(entry.name):
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    for name in sorted(names):
        target = site / name
        if target.is_dir() and not target.is_symlink():
            old = fresh.parent / f".{name}.old"
            os.rename(target, old)
            os.rename(fresh / name, target)
            shutil.rmtree(old)
        else:
            os.replace(fresh / name, target)


def _is_part(name: str) -> bool:
    return name.startswith("part") and name[4:].isdigit()
