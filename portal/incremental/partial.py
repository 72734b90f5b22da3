"""A build in a new process that changes only what changed posts change (issue #17).

A deploy job builds after every ``git pull``; most pulls bring a post or a month's reports. With
the record of the last build (record.py) this build reads only the changed posts (the rest come
from the record's memo), builds the model, renders what changes.py says they change, makes
again only the parts of the search index holding a page that changed, and swaps it all in
(write/overlay.py). It returns None, and the caller builds the whole site, whenever that is not
possible: a file other than a post changed, or a changed post has a photo or an attachment.
The result is byte for byte the site a whole build makes (tests/test_partial_build.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

from portal import load
from portal.incremental import changes, outline
from portal.incremental.record import Record, drop, keep, staged
from portal.load import walk
from portal.load.memo import Stale
from portal.model import urls
from portal.model.portfolio import Portfolio
from portal.render import indexparts, pages
from portal.render.feeds import Previous, Spans
from portal.render.indexparts import Part
from portal.write import parallel, search
from portal.write.fingerprint import Scan
from portal.write.overlay import Overlay


def build(
    content: Path, out: Path, shown: str, drafts: bool, scan: Scan, record: Record, indexing: search.Indexing
) -> Portfolio | None:
    """Build in part from ``record``; None when only a whole build will do (``indexing``, the
    Pagefind the caller started, is then left to it)."""
    changed = outline.changed(record.files, scan)
    if not all(rel.startswith("updates/") and not walk.beside_a_post(rel) for rel in changed):
        return None
    return _build(content, out, shown, drafts, scan, record, changed, indexing)


def _build(
    content: Path,
    out: Path,
    shown: str,
    drafts: bool,
    scan: Scan,
    record: Record,
    changed: set[str],
    indexing: search.Indexing,
) -> Portfolio | None:
    unchanged = {rel for rel in scan.files if rel.startswith("updates/") and rel not in changed}
    memo = record.memo
    root = str(content)
    memo.refresh({f"{shown}/{rel}": os.path.join(root, rel) for rel in unchanged})
    old = record.portfolio
    try:
        new = Portfolio.build(load.load(content, shown, drafts, memo), previous=old)
    except Stale:  # a kept post would be checked again (never with the same lists and schemas)
        return None
    memo.slim()
    pairs = changes.touched(old, new)
    if not changes.partial_possible(old, new, pairs):
        return None
    feed = Spans(previous=Previous(out / urls.FEED, record.feed, {u.slug: u for u in old.updates}))
    made = changes.patch(old, new, pairs, record.paths, feed)
    parts = tuple(indexparts.plan(pages.searchable(new)))
    after = Record.of(scan, shown, memo, new, made.paths, parts, feed)
    kept = _write(out, made, parts, record.parts, scan.total, indexing, partial(staged, out, after))
    keep(out, kept)
    return new


def _write(
    out: Path,
    made: changes.Patch,
    parts: tuple[Part, ...],
    before: tuple[Part, ...],
    inputs: str,
    indexing: search.Indexing,
    meanwhile: Callable[[], Path | None],
) -> Path | None:
    """Stage the files that differ, make the parts of the index that hold a changed page (the
    pages first, so that Pagefind starts while the feeds are written and ``meanwhile`` is
    done: the new record staged), then swap them in."""
    overlay = Overlay(out)
    done = None
    try:
        searchable = {rel for _, paths in parts for rel in paths}
        targets = [overlay.stage(page.path) for page in made.dirty]
        parallel.render_to(made.model, made.dirty, targets, jobs=os.cpu_count() or 1)
        reindex = {page.path for page in made.dirty if _reindex(overlay, page.path, page.path in searchable)}
        redo = [(folder, paths) for folder, paths in parts if (folder, paths) not in before or reindex & set(paths)]
        if redo:
            jobs = [(folder, [(str(overlay.source(rel)), rel) for rel in paths]) for folder, paths in redo]
            indexing.make(overlay.root, jobs, again=reindex)
        else:
            indexing.cancel()
        for rel, data in made.files:
            overlay.write(rel, data)
        done = meanwhile()
        if redo:
            indexing.finish()
        stale = sorted({folder for folder, _ in before} - {folder for folder, _ in parts})
        overlay.commit(made.gone, [folder for folder, _ in redo], stale, inputs)
        return done
    except BaseException:
        drop(done)
        overlay.discard()
        raise


def _reindex(overlay: Overlay, rel: str, searchable: bool) -> bool:
    """Keep a page rendered into the overlay if it differs from the site's; whether the index
    must read it again (searchable, and changed in more than the footer Pagefind does not read)."""
    found = overlay.adopt(rel)
    if found is None or not searchable:
        return False
    new, old = found
    return old is None or search.indexed(old) != search.indexed(new)
