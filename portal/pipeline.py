"""The whole build on one screen: load → model → render → write."""

from __future__ import annotations

import os
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from portal.paths import STATIC_DIR
from portal.write import fingerprint, staging

if TYPE_CHECKING:
    from portal.load import Memo
    from portal.model.portfolio import Portfolio


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
    from portal.load import images
    from portal.model import urls
    from portal.model.portfolio import Portfolio
    from portal.render import feeds, opendata, pages, share
    from portal.write import parallel, search

    jobs = jobs or os.cpu_count() or 1
    # First gather all data from all files ...
    portfolio = Portfolio.build(load.load(content, shown, drafts, memo, jobs))
    site_pages = list(pages.pages(portfolio))
    searchable = [page for page in site_pages if page.searchable]
    others = [page for page in site_pages if not page.searchable]
    # ... then start writing files, into a staging folder swapped in at the end.
    stage = staging.Stage(out)
    indexing = None
    try:
        parallel.render_to(portfolio, searchable, [stage.target(page.path) for page in searchable], jobs)
        if index or not search.has_parts(out, len(searchable)):  # Pagefind indexes on another core meanwhile
            indexing = search.Indexing(stage, [page.path for page in searchable])
        else:
            stage.link_tree(out / "pagefind", "pagefind")
        # The rest of the pages, a step behind Pagefind (the longest task: it should not wait for
        # a core), and the other files, written by this process while the workers render.
        with parallel.rendering(portfolio, others, [stage.target(page.path) for page in others], jobs, nice=5):
            files = chain(
                feeds.files(portfolio, site_pages, entries=entries), opendata.files(portfolio), share.files(portfolio)
            )
            for path, data in files:
                stage.write(path, data)
            for update in portfolio.updates:
                for photo in {photo.source: photo for photo in update.photos}.values():  # each file once
                    for name, data in images.variants(photo):
                        stage.write(urls.photo(update.url, name), data)
            stage.copy_tree(STATIC_DIR, "static")
        if indexing is not None:
            indexing.finish()
        stage.publish(inputs)
        cache.save()
    except BaseException:
        if indexing is not None:
            indexing.cancel()
        stage.discard()
        raise
    return portfolio


def check(content: Path, shown: str | None = None) -> Portfolio:
    """Validate only: load and model, every problem raised together."""
    from portal import load
    from portal.model.portfolio import Portfolio

    return Portfolio.build(load.load(content, shown))
