"""Rendering across cores: forked workers share the model read-only and write their own files.

The pages are rendered by render/environment.py and written here to their already checked
paths in the staging folder (write/staging.py), in one process or in ``jobs`` when worth it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from portal import cores
from portal.model.portfolio import Portfolio
from portal.render import environment
from portal.render.pages import Page
from portal.write import staging

_WORK: tuple[Portfolio, list[Page], list[Path]] | None = None
PARALLEL_FROM = 400  # pages; below this a second process costs more than it saves


def render_to(p: Portfolio, chosen: list[Page], targets: list[Path], jobs: int) -> None:
    """Render each page to its (already checked) path, in ``jobs`` processes when worth it."""
    with rendering(p, chosen, targets, jobs):
        pass


@contextmanager
def rendering(p: Portfolio, chosen: list[Page], targets: list[Path], jobs: int, nice: int = 0) -> Iterator[None]:
    """render_to, while the body of the ``with`` runs in this process: the workers render and
    write the pages meanwhile, and leaving the ``with`` waits for them (and raises what they
    raised). Workers run ``nice`` steps below this process's priority (os.nice). Without
    workers the pages are rendered first."""
    global _WORK
    if jobs <= 1 or len(chosen) < PARALLEL_FROM or not cores.can_fork():
        _write_slice(p, chosen, targets)
        yield
        return
    _WORK = (p, chosen, targets)
    try:
        with cores.pool(jobs, nice) as workers:
            done = workers.map_async(_render_slice, [(i, jobs) for i in range(jobs)])
            yield
            done.get()
    finally:
        _WORK = None


def _render_slice(share: tuple[int, int]) -> None:
    assert _WORK is not None
    p, chosen, targets = _WORK
    start, step = share
    _write_slice(p, chosen[start::step], targets[start::step])


def _write_slice(p: Portfolio, chosen: list[Page], targets: list[Path]) -> None:
    """Render and write pages to their checked paths, making their folders."""
    made: set[Path] = set()
    for (_, html), target in zip(environment.render_pages(p, chosen), targets, strict=True):
        staging.make_folder(target.parent, made)
        target.write_bytes(html.encode("utf-8"))
