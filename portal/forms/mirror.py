"""The content folder as it would be after an import, for ``load`` to judge before anything is written.

An import must say now whatever ``check`` would say afterwards, and never refuse what ``check``
accepts: so it loads the whole content folder (site settings, project lists, every post with its
photos and attachments) with the new posts in it, exactly as ``check`` reads it. That whole
folder is mirrored into a hidden temporary folder beside it, on the same disk, made of hard links:
no byte of any photo is copied, however many there are. Where a hard link is refused (a
FAT-formatted stick, a network share, a file the clerk does not own) that file is copied instead.
A symbolic link that points inside the content folder points at the same file of the mirror, so
what is inside stays inside. A new post is written as a new file of the mirror, never through a
hard link into the content folder, and the mirror is removed afterwards.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def mirrored(content: Path, texts: dict[Path, str]) -> Iterator[Path]:
    """A mirror of ``content`` with ``texts`` (paths inside content → their new text) in it."""
    root = _temporary_beside(content)
    try:
        mirror = root / "content"
        _mirror(content, mirror)
        for path, text in texts.items():
            target = mirror / path.relative_to(content)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)  # a hard link to the file in content/: never write through it
            target.write_text(text, encoding="utf-8")
        yield mirror
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _temporary_beside(content: Path) -> Path:
    """A hidden folder next to content/ (the same disk, so hard links work), else a system one."""
    try:
        return Path(tempfile.mkdtemp(prefix=f".{content.resolve().name}.import-", dir=content.resolve().parent))
    except OSError:
        return Path(tempfile.mkdtemp(prefix="minsheng-import-"))


def _mirror(source: Path, target: Path) -> None:
    real = source.resolve()
    target.mkdir()
    for folder, names, files in os.walk(source):
        here = Path(folder)
        there = target / here.relative_to(source)
        for name in (*names, *files):
            path, copy = here / name, there / name
            if path.is_symlink():
                _relink(path, copy, real, target)
            elif path.is_dir():
                copy.mkdir()
            else:
                try:
                    os.link(path, copy)
                except OSError:
                    shutil.copy2(path, copy)


def _relink(link: Path, copy: Path, real: Path, mirror: Path) -> None:
    """The same link in the mirror: into the mirror when it points inside the content folder."""
    resolved = link.resolve()
    if resolved.is_relative_to(real):
        copy.symlink_to(mirror.resolve() / resolved.relative_to(real))
    else:
        copy.symlink_to(os.readlink(link))
