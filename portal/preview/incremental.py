"""The preview's rebuilds: a saved post costs the pages that show it, not the whole site.

The preview keeps what it read (``load.Memo``) and the model it built. When only posts have
changed, the model is built again from memory, compared with the last one, and only the pages
whose ``deps`` name a changed post, one of its projects or their year are rendered (with the
pages marked ``deps.ALWAYS``: home, listings), with the feeds and data files those posts appear in; each
file is written only when its bytes differ. Anything else (site.yaml, a project table, a
template, a photo, an attachment, a post that moves the as-of month or the reporting months) gets a whole
build. Either way the result is the site a whole build makes (tests/test_incremental.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from portal import load, pipeline
from portal.limits import ATTACHMENT_SUFFIXES
from portal.load import tables
from portal.model.portfolio import Portfolio
from portal.model.records import Update
from portal.render import deps, environment, feeds, listings, opendata, pages
from portal.render.deps import Dep, DepKind
from portal.write import search, staging


@dataclass(frozen=True)
class Outcome:
    how: str  # "whole": a whole build; "partial": pages patched in place; "none": nothing to do
    written: tuple[str, ...] = ()


class Preview:
    """The state of one preview: its content, its output folder, and what it last built."""

    def __init__(self, content: Path, out: Path):
        self.content = content
        self.out = out
        self.memo = load.Memo()
        self.entries: dict[str, tuple] = {}  # feeds' entries as last written (see feeds.files)
        self.portfolio: Portfolio | None = None
        self.paths: set[str] = set()  # the pages of the last build

    def whole(self, index: bool = False) -> Outcome:
        """A whole build (drafts shown), starting the memo afresh."""
        self.memo = load.Memo()
        self.entries = {}
        tables.load_schema.cache_clear()
        self.portfolio = None
        built = pipeline.build(self.content, self.out, drafts=True, index=index, memo=self.memo, entries=self.entries)
        self.portfolio = built if built is not None else self._model()
        self.paths = {page.path for page in pages.pages(self.portfolio)}
        environment.compile_templates()  # the pages were rendered by worker processes: not yet here
        return Outcome("whole" if built is not None else "none")

    def changed(self, paths: Iterable[Path]) -> Outcome:
        """Rebuild after these files changed (as the watcher saw them: saved, added, removed or
        renamed; the memo checks each post file's own stat too): in part when only posts did."""
        posts = self.content.resolve() / "updates"
        if self.portfolio is None or not all(_is_post(Path(p), posts) for p in paths):
            return self.whole()
        old, new = self.portfolio, self._model()
        if _frame(old) != _frame(new):
            return self.whole()
        before = {u.slug: u for u in old.updates}
        after = {u.slug: u for u in new.updates}
        touched = [(before.get(s), after.get(s)) for s in before.keys() | after.keys() if before.get(s) != after.get(s)]
        if not touched:
            self.portfolio = new
            return Outcome("none")
        if any(u is not None and (u.photos or u.attachments) for pair in touched for u in pair):
            return self.whole()  # a whole build re-encodes photos and copies attachments
        if not search.has_parts(self.out, pages.searchable_count(new)):  # the index's parts change: made again
            return self.whole()
        written = self._patch(old, new, touched)
        self.portfolio = new
        return Outcome("partial", tuple(written))

    def _model(self) -> Portfolio:
        return Portfolio.build(load.load(self.content, drafts=True, memo=self.memo))

    def _patch(self, old: Portfolio, new: Portfolio, touched: list[tuple[Update | None, Update | None]]) -> list[str]:
        """Render and write what the touched posts change; remember the pages now made."""
        keys = set().union(*(_keys(new, before, after) for before, after in touched))
        if listings.archive_years(old) != listings.archive_years(new):  # each year page of posts links every other
            keys |= {deps.posts(year) for years in listings.archive_years(new) for year in years}
        projects = {str(key.key) for key in keys if key.kind is DepKind.PROJECT}
        site_pages = list(pages.pages(new))
        before = self.paths
        dirty = [
            page
            for page in site_pages
            if deps.ALWAYS in page.deps or not keys.isdisjoint(page.deps) or page.path not in before  # a new page
        ]
        files: list[tuple[str, str | bytes | Iterable[str]]] = list(environment.render_pages(new, dirty))
        files += feeds.files(new, site_pages, only=projects, entries=self.entries)
        if deps.state() in keys or any(
            u is not None and (u.kind == "evaluation" or u.revisions) for pair in touched for u in pair
        ):
            files += opendata.files(new)  # the progress, the reporting record, the votes and the corrections
        now = {page.path for page in site_pages}
        written = staging.patch(self.out, files, sorted(before - now))
        self.paths = now
        return written


def _keys(p: Portfolio, before: Update | None, after: Update | None) -> set[Dep]:
    """What a changed post changes, in the terms of Page.deps."""
    keys: set[Dep] = set()
    years: set[int] = set()
    for u in (before, after):
        if u is None:
            continue
        keys |= {deps.update(u.slug), deps.posts(u.date.year), deps.kind(u.kind)}
        keys |= {deps.project(pid) for pid in u.projects}
        years |= {p.by_id[pid].year for pid in u.projects if pid in p.by_id}
        if u.period is not None:
            keys.add(deps.month(u.period))
    keys |= {deps.year(y) for y in years}
    if (before is not None and before.searchable) != (after is not None and after.searchable):
        keys.add(deps.SEARCHABLE)
    if _record(before) != _record(after):
        keys |= {deps.state()} | {deps.state(y) for y in years}
    return keys


def _record(u: Update | None) -> tuple | None:
    """What of a post the progress and the reporting record are computed from."""
    if u is None or u.kind != "report":
        return None
    return (u.projects, u.period, u.submitted, u.status, dict(u.values), u.slug, u.date)


def _is_post(path: Path, posts: Path) -> bool:
    """A file under content/updates/ but a photo or an attachment: load reads them all again,
    from its memo; the post of a photo or an attachment is checked against the file only by a
    whole build."""
    try:
        path = path.parent.resolve() / path.name
    except OSError:
        return False
    suffix = path.suffix.lower()
    return path.is_relative_to(posts) and suffix not in load.IMAGE_SUFFIXES and suffix not in ATTACHMENT_SUFFIXES


def _frame(p: Portfolio) -> tuple:
    """What every page depends on: when any of it changes, the whole site is built again."""
    return (p.config, p.projects, p.indicators, p.years, p.all_months, p.as_of, p.as_of_date, p.current_year)
