"""The posts the workbench edits (every kind but the monthly reports, which the clerk's pages
handle), found by their path under updates/, and the choices the post form offers.

A path comes from the browser, so it is taken only when each of its parts is a name a post may
have (paths.segment_problem), it names a regular .md file that is no link, and it lies inside
the content folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from portal import files, limits, load, paths
from portal.errors import ContentError
from portal.model.records import KINDS
from portal.workbench import postfile, writes
from portal.workbench.web import Bench

EDITED = {kind: label for kind, label in KINDS.items() if kind != "report"}


@dataclass(frozen=True)
class Listed:
    """A post in the list: where it is and what its front matter says (or that it cannot be read)."""

    rel: str  # under updates/, e.g. "news/2030-04-10-lifts.md"
    title: str
    date: str
    kind: str
    draft: bool
    readable: bool


@dataclass(frozen=True)
class Choices:
    """What the form offers: the projects by year (newest first), the units, and any problem
    that kept the content from loading."""

    years: tuple[tuple[int, tuple[tuple[str, int, str], ...]], ...]
    sources: tuple[str, ...]
    problems: tuple[str, ...] = ()


def locate(bench: Bench, rel: str) -> Path | None:
    """The post file ``rel`` (under updates/) names, or None when it is no post one may edit."""
    parts = rel.split("/")
    if not rel.endswith(".md") or any(paths.segment_problem(part) for part in (*parts[:-1], parts[-1][:-3])):
        return None
    path = bench.content / "updates" / Path(*parts)
    if writes.problem(bench.content, path) or not path.is_file():
        return None
    return path


def read(bench: Bench, path: Path) -> tuple[bytes, postfile.PostFile | None]:
    """A post's bytes and what they say (None when its front matter cannot be read)."""
    data = files.read(path, limits.MAX_POST_BYTES, "请把文章拆成几篇")
    shown = f"{bench.shown}/{path.relative_to(bench.content).as_posix()}"
    try:
        return data, postfile.read(data.decode("utf-8-sig"), shown)
    except UnicodeDecodeError:
        return data, None


def listing(bench: Bench) -> list[Listed]:
    """Every post but the monthly reports, newest first; one that cannot be read is listed as such."""
    found: list[Listed] = []
    folder = bench.content / "updates"
    for here, folders, names in os.walk(folder):
        folders[:] = sorted(f for f in folders if not f.startswith(".") and not Path(here, f).is_symlink())
        for name in sorted(n for n in names if n.endswith(".md") and not n.startswith(".")):
            rel = Path(here, name).relative_to(folder).as_posix()
            path = locate(bench, rel)
            post = _post(bench, path) if path else None
            if post is None:
                found.append(Listed(rel, rel, "", "", False, False))
            elif post.meta.get("kind") != "report":
                values = postfile.fields(post)
                found.append(Listed(rel, values.title, values.date, values.kind, values.draft, True))
    return sorted(found, key=lambda p: (p.date, p.rel), reverse=True)


def _post(bench: Bench, path: Path) -> postfile.PostFile | None:
    try:
        return read(bench, path)[1]
    except files.Refused:
        return None


def choices(bench: Bench) -> Choices:
    """The projects and units as the content has them now."""
    try:
        content = load.load(bench.content, bench.shown, drafts=True)
    except ContentError as exc:
        return Choices((), (), tuple(str(p) for p in exc.problems))
    years: dict[int, list[tuple[str, int, str]]] = {}
    for project in sorted(content.projects, key=lambda p: (p.year, p.seq)):
        years.setdefault(project.year, []).append((project.id, project.seq, project.name))
    units = {unit for project in content.projects for unit in project.units}
    sources = units | {update.source_unit for update in content.updates if update.source_unit}
    ordered = tuple((year, tuple(items)) for year, items in sorted(years.items(), reverse=True))
    return Choices(ordered, tuple(sorted(sources)))
