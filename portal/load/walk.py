"""Walking content/: only regular files inside it are read, and each post has a page of its own.

A link may point anywhere and a pipe or a device would hang a read, so the walk enters no
linked folder, refuses special files and broken links, and reads a link to a file only when it
stays inside content/. Under updates/ it also says which page each file makes (``place``) and
refuses two files that would make the same one.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from portal import files, limits, paths
from portal.errors import Problems

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
Place = str | tuple[str, str]  # (slug, the key two slugs collide by), or why a file has no page ("": none is due)


@dataclass(frozen=True)
class PostFile:
    """A post to read: its file, its path as messages show it, and its page's slug."""

    path: str
    rel: str
    slug: str


def post_files(content: Path, shown: str, problems: Problems, place: Callable[[str], Place]) -> list[PostFile]:
    """The posts under content/updates/, each file that is none said once (``place``: the page
    a path makes, as ``place`` below or remembered)."""
    folder = content / "updates"
    if not folder.is_dir():
        if os.path.lexists(folder):  # a file, a pipe or a broken link where the posts should be
            problems.add(
                f"{shown}/updates", None, None, "不是文件夹：文章应放在 updates 文件夹中，请删除它后新建文件夹"
            )
        return []
    found: list[PostFile] = []
    slugs: dict[str, str] = {}
    inside = Inside(content)
    plain_inside = inside(folder / "x")  # a file that is no link, in a folder that is none
    for relative, entry in walk(folder):
        rel = f"{shown}/updates/{relative}"
        # a plain file in a plain folder (nearly all) is read: no question to ask of it
        where = None if plain_inside and entry.is_file(follow_symlinks=False) else _refusal(entry, inside, plain_inside)
        if where is None:
            where = place(relative)
        if isinstance(where, str):  # a problem, or "" for a folder, a picture or an attachment
            if where:
                problems.add(rel, None, None, where)
            continue
        slug, key = where
        if key in slugs:
            problems.add(rel, None, None, f"与 {slugs[key]} 会生成同一个网页（文件名只差大小写或写法）")
            continue
        slugs[key] = rel
        found.append(PostFile(entry.path, rel, slug))
    return found


def _refusal(entry: os.DirEntry, inside: Inside, plain_inside: bool) -> str | None:
    """Why the walk does not read this entry ("" for a folder: nothing to say), or None."""
    try:
        if not is_file(entry):
            return ""
    except files.Refused as exc:
        return exc.message
    if (entry.is_symlink() or not plain_inside) and not inside(Path(entry.path)):
        return "链接指向 content 文件夹以外，不予读取"
    return None


def walk(folder: Path, prefix: str = "") -> Iterator[tuple[str, os.DirEntry]]:
    """Every entry under folder, as sorted(folder.rglob("*")) gives them (folders first, into no
    linked folder), hidden ones and their contents left out; with the path under folder. Each
    folder is listed as the walk enters it (no generator a level: 16,000 posts at each save)."""
    folders = [(prefix, _listed(folder))]
    while folders:
        prefix, entries = folders[-1]
        for entry in entries:
            if entry.name.startswith("."):
                continue
            yield prefix + entry.name, entry
            if entry.is_dir(follow_symlinks=False):
                folders.append((f"{prefix}{entry.name}/", _listed(Path(entry.path))))
                break
        else:
            folders.pop()


def _listed(folder: Path) -> Iterator[os.DirEntry]:
    with os.scandir(folder) as found:
        return iter(sorted(found, key=lambda e: e.name))


def is_file(entry: os.DirEntry) -> bool:
    """Whether the walk reads this entry: a regular file or a link to one, not a folder or a link
    to one (never followed); anything else (a pipe, a device, a broken link) is refused."""
    if entry.is_file(follow_symlinks=False):
        return True
    if entry.is_dir(follow_symlinks=False):
        return False
    mode = files.status(entry.path).st_mode  # a link, or no regular file
    if stat.S_ISDIR(mode):
        return False
    problem = files.kind_problem(mode)
    if problem:
        raise files.Refused(problem)
    return True


def beside_a_post(relative: str) -> bool:
    """A picture or an attachment under updates/: read with the post that names it, not a post
    of its own (a rebuild in part reads posts; a changed picture or attachment needs a whole one)."""
    suffix = Path(relative).suffix.lower()
    return suffix in IMAGE_SUFFIXES or suffix in limits.ATTACHMENT_SUFFIXES


def place(relative: str) -> Place:
    """A file's page under updates/: (slug, the key two slugs collide by), or why it has none."""
    suffix = Path(relative).suffix
    if beside_a_post(relative):
        return ""
    if suffix != ".md":
        return f"未知的文件：文章须为 .md 文件，附件只能是 {limits.ATTACHMENTS_SAID} 文件"
    slug = relative[: -len(suffix)]
    bad = [paths.segment_problem(part) for part in slug.split("/")]
    if any(bad):
        return "文件名不能用作网址：" + next(r for r in bad if r)
    return slug, paths.key(slug)


class Inside:
    """Whether a path, links followed, stays inside root: each folder resolved once, a file
    only when it is a link itself."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.folders: dict[Path, Path] = {}

    def __call__(self, path: Path) -> bool:
        folder = self.folders.get(path.parent)
        if folder is None:
            folder = self.folders[path.parent] = path.parent.resolve()
        real = path.resolve() if path.is_symlink() else folder / path.name
        return real.is_relative_to(self.root)
