"""Reading a post: its front matter (YAML, each key located), its Markdown body measured before it
is ever rendered, the photos it shows and the files it attaches.

Nothing here knows what the fields mean (checks.py and what follows do); a post that cannot be
read is said so once and left out. A whole build reads its posts across the cores (read_pooled).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from multiprocessing.pool import Pool
from pathlib import Path

from portal import files, limits, paths
from portal.errors import Problem, Problems
from portal.load import attachments, chars, images, markup, tables, yamlsafe
from portal.load.walk import PostFile
from portal.model import urls
from portal.model.records import Attachment

_NO_PHOTOS = images.Found((), (), frozenset(), frozenset())


@dataclass(frozen=True)
class Post:
    rel: str
    slug: str
    meta: yamlsafe.Mapping
    body: str
    body_line: int  # the line of the file its body starts on
    images: images.Found
    attachments: tuple[Attachment, ...] = ()

    def line_of(self, text: str) -> int:
        """The body line where ``text`` is first written, else the body's first line."""
        at = self.body.find(text)
        return self.body_line + (self.body.count("\n", 0, at) if at >= 0 else 0)


# A post read in a worker: its file, the post (None if unreadable), its problems, its status.
Read = tuple[PostFile, "Post | None", list[Problem], tuple[int, ...] | None]


def read(file: PostFile, content: Path, problems: Problems) -> Post | None:
    """The post, or None when it cannot be read (said in ``problems``). A body Markdown must not
    see is refused and left empty; its fields are still checked."""
    try:
        text = tables.decode(files.read(Path(file.path), limits.MAX_POST_BYTES, "请把文章拆成几篇"), file.rel)
    except files.Refused as exc:
        problems.add(file.rel, None, None, exc.message)
        return None
    except yamlsafe.YamlError as exc:
        problems.extend(exc.problems)
        return None
    parts = _front_matter(text.replace("\r\n", "\n").replace("\r", "\n"), file.rel, problems)
    if parts is None:
        return None
    meta, body, body_line = parts
    problems.extend(chars.problems(body, file.rel, first_line=body_line))
    refusal = markup.refusal(body)
    if refusal is not None:
        problems.add(file.rel, body_line + refusal[0], None, refusal[1])
        body, found = "", _NO_PHOTOS
    else:
        found = _photos(body, Path(file.path), content, file.rel, body_line, problems)
    url = urls.update(file.slug)
    attached = attachments.find(meta, Path(file.path), file.rel, url, found.photos, problems)
    return Post(file.rel, file.slug, meta, body, body_line, found, attached)


def read_pooled(found: list[PostFile], content: Path, workers: Pool, jobs: int) -> Iterator[Read]:
    """Each post read by ``jobs`` workers, in the files' order: what read() found (None when it
    cannot be read), its problems, and the file's status before it was read (files.stat_key)."""
    chunk = max(1, len(found) // (4 * jobs))
    yield from workers.imap(partial(_read_apart, content=content), found, chunksize=chunk)


def _read_apart(file: PostFile, content: Path) -> Read:
    """read() in a worker."""
    problems = Problems()
    key = files.stat_key(file.path)
    return file, read(file, content, problems), problems.items, key


def _front_matter(text: str, rel: str, problems: Problems) -> tuple[yamlsafe.Mapping, str, int] | None:
    """The front matter, the body and the line it starts on; None when the front matter is wrong."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.add(rel, 1, None, "文章应以 --- 开头的前置信息（front matter）开始")
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        problems.add(rel, 1, None, "前置信息没有结束：缺少第二个 --- 行")
        return None
    try:
        meta = yamlsafe.load("\n".join(lines[1:end]), rel, first_line=2)
    except yamlsafe.YamlError as exc:
        problems.extend(exc.problems)
        return None
    if not isinstance(meta, yamlsafe.Mapping):
        problems.add(rel, 2, None, "前置信息应为“键: 值”的映射")
        return None
    return meta, "\n".join(lines[end + 1 :]), end + 2


def _photos(body: str, path: Path, content: Path, rel: str, body_line: int, problems: Problems) -> images.Found:
    """The photos the body shows; two that would be published under one file name are said."""
    found = images.find(body, path, content, first_line=body_line)
    for line, message in found.problems:
        problems.add(rel, line, None, message)
    published: dict[str, images.Photo] = {}  # the same photo used twice is published once
    for photo in found.photos:
        other = published.setdefault(paths.key(photo.stem + photo.suffix), photo)
        if other.source != photo.source:
            name = photo.stem + photo.suffix
            problems.add(
                rel, None, None, f"图片“{photo.src}”和“{other.src}”会发布为同一个文件名 {name}：请给其中一个改名"
            )
    return found
