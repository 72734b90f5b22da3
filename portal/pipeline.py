"""The whole build on one screen: load → model → render → write."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portal.paths import STATIC_DIR
from portal.write import fingerprint, staging

if TYPE_CHECKING:
    from portal.errors import Problem
    from portal.load import Memo
    from portal.model.portfolio import Portfolio
    from portal.render.feeds import Spans
    from portal.render.pages import Page
    from portal.write import search


@dataclass(frozen=True)
class Order:
    """What a build was asked: from where, to where, how."""

    content: Path
    out: Path
    shown: str  # the content folder as messages name it
    drafts: bool
    jobs: int
    index: bool  # make the search index (the preview's rebuilds keep theirs)
    keep: bool  # keep the record for the next build (the command line's builds; not the preview's)


def build(
    content: Path,
    out: Path,
    shown: str | None = None,
    drafts: bool = False,
    jobs: int = 0,
    index: bool = True,
    memo: Memo | None = None,
    entries: dict | None = None,
) -> Portfolio | None:
    """Build content/ into out/; on any problem raise, leaving the old out/ as it was.

    Returns None when out/ was built from exactly these inputs already: nothing to do. When the
    record of the build that made out/ is beside it and only posts changed since, only what
    they change is built (incremental/partial.py). With index=False (the preview's rebuilds)
    the previous search index is kept as it was and no record is kept; the preview passes its
    memo of what it read and a dict to keep the feeds' entries in (see preview/incremental.py)."""
    from portal.write import search

    staging.check_output(out, content)
    jobs = jobs or os.cpu_count() or 1
    order = Order(content, out, shown or str(content), drafts, jobs, index, keep=memo is None and index)
    indexing = search.Indexing() if index else None  # Pagefind gets ready while the content is scanned and read
    try:
        return _build(order, memo, entries, indexing)
    except BaseException:
        if indexing is not None:
            indexing.cancel()
        raise


def _build(order: Order, memo: Memo | None, entries: dict | None, indexing: search.Indexing | None) -> Portfolio | None:
    """build(), with Pagefind started (``indexing``; None: the preview's rebuilds)."""
    known = fingerprint.recall(order.out)
    scan = fingerprint.scan(order.content, order.drafts, known)
    fingerprint.remember(order.out, scan, known)
    built = staging.built_from(order.out)
    if built == scan.total:
        if indexing is not None:
            indexing.cancel()
        return None
    recorded = indexing is not None and order.keep and _prepare(order, scan, built, indexing)
    # Only now is the rest imported: a build with nothing to do stays quick.
    from portal import load
    from portal.incremental import partial, record
    from portal.render.feeds import Spans

    if indexing is not None and recorded and (kept := record.load(order.out, scan, order.shown, built)):
        done = partial.build(order.content, order.out, order.shown, order.drafts, scan, kept, indexing)
        if done is not None:
            return done
    memo = memo if memo is not None else load.Memo()
    return _whole(order, scan, memo, entries if entries is not None else Spans(), indexing)


def _prepare(order: Order, scan: fingerprint.Scan, built: str | None, indexing: search.Indexing) -> bool:
    """Whether the output has a record this build may trust; if so, Pagefind is told the parts of
    the index the changed posts will most likely change, from the record's outline (plain data,
    read before the model's modules are imported, and let go: ~10 MB at 50,000 posts)."""
    from portal.incremental import outline

    ahead = outline.read(order.out, scan, order.shown, built)
    if ahead is None:
        return False
    indexing.prepare(order.out, ahead.likely(scan))
    return True


def _whole(
    order: Order, scan: fingerprint.Scan, memo: Memo, entries: dict | Spans, indexing: search.Indexing | None
) -> Portfolio:
    """The whole site, into a staging folder swapped in at the end; and the record of it,
    pickled while Pagefind finishes, kept once the site is in place."""
    from portal import cache, load
    from portal.incremental import record
    from portal.model.portfolio import Portfolio
    from portal.render import feeds, indexparts, pages
    from portal.write import search

    try:  # first gather all data from all files ...
        portfolio = Portfolio.build(load.load(order.content, order.shown, order.drafts, memo, order.jobs))
        if order.keep:  # a build's own process: the model lives as long as it, out of every collection
            memo.slim()  # what is kept for the next build (incremental/record.py)
            gc.freeze()
        site_pages = list(pages.pages(portfolio))
        searchable = pages.searchable(portfolio)
        paths, parts = frozenset(page.path for page in site_pages), tuple(indexparts.plan(searchable))
        if indexing is None and not search.has_parts(order.out, indexparts.folders(searchable)):
            indexing = search.Indexing()  # the preview's index, made again in its new parts
        feed = entries if isinstance(entries, feeds.Spans) else feeds.Spans()  # the preview's: no record kept
        made = record.Record.of(scan, order.shown, memo, portfolio, paths, parts, feed)
        # ... then start writing files, into a staging folder swapped in at the end.
        stage = staging.Stage(order.out)
        kept = None
        try:
            kept = _write(
                portfolio,
                site_pages,
                searchable,
                stage,
                order,
                entries,
                indexing,
                partial(record.staged, order.out, made),
            )
            stage.publish(scan.total)
            cache.save()
        except BaseException:
            record.drop(kept)
            stage.discard()
            raise
    except BaseException:
        if indexing is not None:
            indexing.cancel()
        raise
    if kept is not None:
        record.keep(order.out, kept)
    return portfolio


def _write(
    portfolio: Portfolio,
    site_pages: list[Page],
    searchable: list[tuple[int, str]],
    stage: staging.Stage,
    order: Order,
    entries: dict | Spans,
    indexing: search.Indexing | None,
    meanwhile: Callable[[], Path | None],
) -> Path | None:
    """Every file of the site into the stage: the searchable pages first, then Pagefind indexes
    them on one core while the rest of the pages render, a step behind it (the longest task
    should not wait for a core), and this process writes the other files meanwhile; then, while
    Pagefind finishes, ``meanwhile`` (the record staged, when one is kept). Without ``indexing``
    (the preview's rebuilds) the index is the one the site has. The caller cancels ``indexing``
    if this fails."""
    from portal.incremental import record
    from portal.write import parallel, search

    paths = {path for _, path in searchable}
    first = [page for page in site_pages if page.path in paths]
    others = [page for page in site_pages if page.path not in paths]
    jobs = order.jobs
    kept = None
    try:
        parallel.render_to(portfolio, first, [stage.target(page.path) for page in first], jobs)
        if indexing is not None:
            search.whole(indexing, stage, searchable)
        else:  # the preview keeps the index it made at start
            stage.link_tree(stage.out / "pagefind", "pagefind")
        with parallel.rendering(portfolio, others, [stage.target(page.path) for page in others], jobs, nice=5):
            for path, data in _files(portfolio, site_pages, entries):
                stage.write(path, data)
            stage.copy_tree(STATIC_DIR, "static")
        kept = meanwhile() if order.keep else None
        if indexing is not None:
            indexing.finish()
    except BaseException:
        record.drop(kept)
        raise
    return kept


def _files(portfolio: Portfolio, site_pages: list[Page], entries: dict | Spans | None) -> Iterator[tuple[str, Any]]:
    """The files that are not pages: feeds, open data, QR codes, each photo at its web sizes, and
    each attachment as it is."""
    from portal.load import attachments, images
    from portal.model import urls
    from portal.render import feeds, opendata, share

    yield from feeds.files(portfolio, site_pages, entries=entries)
    yield from opendata.files(portfolio)
    yield from share.files(portfolio)
    for update in portfolio.updates:
        for photo in {photo.source: photo for photo in update.photos}.values():  # each file once
            for name, data in images.variants(photo):
                yield urls.photo(update.url, name), data
        for attachment in update.attachments:
            yield attachment.url, attachments.published(attachment, update.source.path)


def check(content: Path, shown: str | None = None) -> tuple[Portfolio, list[Problem]]:
    """Validate only: load and model, every problem raised together; then the hints that do
    not fail a check (what a government-site inspection would mark down, model/advice.py)."""
    from portal import load
    from portal.model.advice import advice
    from portal.model.portfolio import Portfolio

    portfolio = Portfolio.build(load.load(content, shown))
    return portfolio, advice(portfolio, shown if shown is not None else str(content))
