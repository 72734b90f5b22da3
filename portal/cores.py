"""Work across cores: forked processes that share the parent's memory, copy-on-write."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@contextmanager
def pool(jobs: int, nice: int = 0) -> Iterator[Pool]:
    """A pool of ``jobs`` forked workers, ``nice`` steps below the parent's priority. The
    parent's objects are frozen out of the garbage collector meanwhile, so that no collection
    in a worker writes to (and so copies) them."""
    gc.freeze()
    try:
        start = {"initializer": os.nice, "initargs": (nice,)} if nice else {}
        with multiprocessing.get_context("fork").Pool(jobs, **start) as workers:
            yield workers
    finally:
        gc.unfreeze()
