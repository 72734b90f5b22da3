"""The preview's rebuilds: a saved post costs the pages that show it, not the whole site.

The preview keeps what it read (``load.Memo``) and the model it built, in memory. When only
posts have changed, the model is built again from memory and incremental/changes.py renders
what they change; each file is written only when its bytes differ, and the search index is kept
as it was. Anything else gets a whole build. Either way the result is the site a whole build
makes (tests/test_incremental.py).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from portal import load, pipeline
from portal.incremental import changes
from portal.load import tables, walk
from portal.model import urls
from portal.model.portfolio import Portfolio
from portal.render import environment, indexparts, pages
from portal.write import search, staging

# Written when asked for or when saves pause, not at each save: the portal's feed carries every
# post (20 MB at 16,000 posts, 0.1 s to write), and no one reads it while editing.
LATER = frozenset({urls.FEED})


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
        self.later: dict[str, object] = {}  # files written when asked for or when saves pause (flush)

    def whole(self, index: bool = False) -> Outcome:
        """A whole build (drafts shown), starting the memo afresh."""
        self.memo = load.Memo()
        self.entries = {}
        self.later = {}
        tables.load_schema.cache_clear()
        self.portfolio = None
        gc.unfreeze()  # what the last build kept is garbage now, or will be: collectable again
        built = pipeline.build(self.content, self.out, drafts=True, index=index, memo=self.memo, entries=self.entries)
        self.portfolio = built if built is not None else self._model()
        self.paths = {page.path for page in pages.pages(self.portfolio)}
        environment.compile_templates()  # the pages were rendered by worker processes: not yet here
        gc.collect()
        gc.freeze()  # the memo and the model, millions of objects, out of each save's collections
        return Outcome("whole" if built is not None else "none")

    def changed(self, paths: Iterable[Path]) -> Outcome:
        """Rebuild after these files changed (as the watcher saw them: saved, added, removed or
        renamed; the memo checks each post file's own stat too): in part when only posts did."""
        posts = self.content.resolve() / "updates"
        saved = [_under(Path(p), posts) for p in paths]
        if self.portfolio is None or not all(rel is not None and not walk.beside_a_post(rel) for rel in saved):
            return self.whole()
        self.memo.tell({rel for rel in saved if rel is not None})  # the watcher's word: only they are read again
        old, new = self.portfolio, self._model()
        pairs = changes.touched(old, new)
        if not changes.partial_possible(old, new, pairs):
            return self.whole()
        if not pairs:
            self.portfolio = new
            return Outcome("none")
        if changes.searchable_moved(pairs) and not search.has_parts(
            self.out, indexparts.folders(pages.searchable(new))
        ):
            # the index is made again in its new parts
            return self.whole()
        made = changes.patch(old, new, pairs, frozenset(self.paths), self.entries)
        files = made.everything
        self.later.update((rel, data) for rel, data in files if rel in LATER)
        written = staging.patch(self.out, [(rel, data) for rel, data in files if rel not in LATER], made.gone)
        self.paths = set(made.paths)
        self.portfolio = new
        return Outcome("partial", tuple(written))

    def flush(self, path: str | None = None) -> list[str]:
        """Write the files kept for later (all, or only if ``path`` is one of them): when the
        browser asks for one, and when saves pause."""
        if not self.later or (path is not None and path not in self.later):
            return []
        later, self.later = self.later, {}
        if staging.built_from(self.out):  # built whole since (a partial rebuild clears the digest)
            return []  # nothing stale goes in
        return staging.patch(self.out, later.items(), [])

    def _model(self) -> Portfolio:
        return Portfolio.build(load.load(self.content, drafts=True, memo=self.memo), previous=self.portfolio)


def _under(path: Path, posts: Path) -> str | None:
    """A changed path as a path under content/updates/ (None: elsewhere)."""
    try:
        path = path.parent.resolve() / path.name
    except OSError:
        return None
    return path.relative_to(posts).as_posix() if path.is_relative_to(posts) else None
