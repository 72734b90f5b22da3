"""The whole build on one screen: load → model → render → write."""

from __future__ import annotations

from pathlib import Path

from . import feeds, fingerprint, images, load, opendata, render, search, share, write
from .config import PORTAL, STATIC_DIR
from .portfolio import Portfolio


def build(content: Path, out: Path, shown: str | None = None, drafts: bool = False) -> Portfolio | None:
    """Build content/ into out/; on any problem raise, leaving the old out/ as it was.

    Returns None when out/ was built from exactly these inputs already: nothing to do."""
    write.check_output(out, protected=[PORTAL, content])
    inputs = fingerprint.digest(content, drafts)
    if write.built_from(out) == inputs:
        return None
    # First gather all data from all files ...
    portfolio = Portfolio.build(load.load(content, shown, drafts))
    # ... then start writing files, into a staging folder swapped in at the end.
    stage = write.Stage(out)
    try:
        for path, html in render.render_pages(portfolio):
            stage.write(path, html)
        for path, data in [*feeds.files(portfolio), *opendata.files(portfolio), *share.files(portfolio)]:
            stage.write(path, data)
        for update in portfolio.updates:
            for photo in update.photos:
                for name, data in images.variants(photo):
                    stage.write(f"{update.url}{name}", data)
        stage.copy_tree(STATIC_DIR, "static")
        search.index(stage.root)
        stage.publish(inputs)
    except BaseException:
        stage.discard()
        raise
    return portfolio


def check(content: Path, shown: str | None = None) -> Portfolio:
    """Validate only: load and model, every problem raised together."""
    return Portfolio.build(load.load(content, shown))
