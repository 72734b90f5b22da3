"""The whole build on one screen: load → model → render → write."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from portal.paths import STATIC_DIR
from portal.write import fingerprint, staging

if TYPE_CHECKING:
    from portal.errors import Problem
    from portal.load import Memo
    from portal.model.portfolio import Portfolio
    from portal.render.pages import Page


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

    Returns None when out/ was built from exactly these inputs already: nothing to do.
    With index=False (the preview's rebuilds) the previous search index is kept as it was; the
    preview passes its memo of what it read and a dict to keep the feeds' entries in (see
    incremental.py)."""
    staging.check_output(out, content)
    inputs = fingerprint.digest(content, drafts)
    if staging.built_from(out) == inputs:
        return None
    # Only now is the rest imported: a build with nothing to do stays quick.
    from portal import cache, load
    from portal.model.portfolio import Portfolio
    from portal.render import pages

    jobs = jobs or os.cpu_count() or 1
    # First gather all data from all files ...
    portfolio = Portfolio.build(load.load(content, shown, drafts, memo, jobs))
    site_pages = list(pages.pages(portfolio))
    # ... then start writing files, into a staging folder swapped in at the end.
    stage = staging.Stage(out)
    try:
        _write(portfolio, site_pages, stage, jobs, index, entries)
        stage.publish(inputs)
        cache.save()
    except BaseException:
        stage.discard()
        raise
    return portfolio


def _write(
    portfolio: Portfolio, site_pages: list[Page], stage: staging.Stage, jobs: int, index: bool, entries: dict | None
) -> None:
    """Every file of the site into the stage: the searchable pages first, then Pagefind indexes
    them on one core while the rest of the pages render, a step behind it (the longest task
    should not wait for a core), and this process writes the other files meanwhile."""
    from portal.write import parallel, search

    searchable = [page for page in site_pages if page.searchable]
    others = [page for page in site_pages if not page.searchable]
    parallel.render_to(portfolio, searchable, [stage.target(page.path) for page in searchable], jobs)
    indexing = None
    if index or not search.has_parts(stage.out, len(searchable)):
        indexing = search.Indexing(stage, [page.path for page in searchable])
    else:  # the preview keeps the index it made at start
        stage.link_tree(stage.out / "pagefind", "pagefind")
    try:
        with parallel.rendering(portfolio, others, [stage.target(page.path) for page in others], jobs, nice=5):
            for path, data in _files(portfolio, site_pages, entries):
                stage.write(path, data)
            stage.copy_tree(STATIC_DIR, "static")
        if indexing is not None:
            indexing.finish()
    except BaseException:
        if indexing is not None:
            indexing.cancel()
        raise


def _files(portfolio: Portfolio, site_pages: list[Page], entries: dict | None) -> Iterator[tuple[str, Any]]:
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
