"""The build record: what a build read and made, kept beside the output for the next build.

A build that finished keeps, in ``.<output>.portal-record`` beside its output folder, the load's
memo (each post as read, validated and made), the model, the pages it made, the parts of the
search index, where each post's entry lies in the portal's feed, and the digest of every content
file. The next ``build`` in a new process finds
from it which files changed and, when only posts did, builds only what they change
(incremental/partial.py). The record is only a shortcut: it is used only when it was made by
this very code, templates, schemas and library versions, from the content path given the same
way, for exactly the site in the output folder (its input digest); anything else (a missing,
damaged, foreign or older record) means a whole build. Safe to delete. It is a pickle, so it is
read only when this user wrote it and no one else can write it (as ssh treats its keys).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from portal.incremental.outline import VERSION, Outline, header, opened, where
from portal.load import Memo
from portal.model import urls
from portal.model.portfolio import Portfolio
from portal.render.feeds import Spans
from portal.render.indexparts import Part
from portal.write import staging
from portal.write.fingerprint import Scan


@dataclass(frozen=True)
class Record:
    version: int
    code: str  # Scan.code: the drafts setting, the libraries, the portal's code
    shown: str  # the content folder as messages name it (posts are remembered by that path)
    inputs: str  # Scan.total: the output's marker says it was built from this
    files: dict[str, bytes]  # each content file's digest (Scan.files)
    memo: Memo
    portfolio: Portfolio
    paths: frozenset[str]  # the pages the site has
    parts: tuple[Part, ...]  # the search index's parts as made
    feed: Spans  # where each post's entry lies in feed.xml (render/feeds.py)

    @classmethod
    def of(
        cls,
        scan: Scan,
        shown: str,
        memo: Memo,
        portfolio: Portfolio,
        paths: frozenset[str],
        parts: tuple,
        feed: Spans,
    ) -> Record:
        """The record of a build made from what ``scan`` found (``feed`` filled as it is written)."""
        return cls(VERSION, scan.code, shown, scan.total, scan.files, memo, portfolio, paths, parts, feed)


def staged(out: Path, record: Record) -> Path | None:
    """The record pickled and written beside the output under this process's name, while
    Pagefind finishes the index (0.15 s and 23 MB at 4,000 posts), readable and writable by this
    user only; ``keep`` puts it in place once the site is, ``drop`` removes it if the build fails
    (a killed build's is removed by the next: staging.remove_leftovers). None if it cannot be
    written: the next build is then a whole one."""
    path = staging.beside(out, f"record-{os.getpid()}")
    gc.disable()  # pickling a model makes no garbage: collecting meanwhile only costs time
    try:
        path.unlink(missing_ok=True)
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
            os.fchmod(file.fileno(), 0o600)  # whatever the umask
            # First a line saying what the record is valid for (read before anything is
            # unpickled), then its outline (outline.py), then the record, streamed to the file
            # (never whole in memory: 290 MB at 50,000 posts).
            file.write(header(record.code, record.shown, record.inputs))
            pickle.dump(outline(record), file, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(record, file, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        drop(path)
        return None
    finally:
        gc.enable()
    return path


def outline(record: Record) -> Outline:
    """What the next build reads first: the files, the index's parts, and for each post the
    searchable pages that show it (its own, its projects')."""
    shows = {
        f"updates/{post.slug}.md": (
            *(urls.page_file(urls.project(project)) for project in post.projects),
            *([urls.page_file(post.url)] if post.searchable else []),
        )
        for post in record.portfolio.updates
    }
    return Outline(record.files, record.parts, shows)


def keep(out: Path, made: Path | None) -> None:
    """Put a staged record in place; never fails the build: without it the next build is a
    whole one."""
    if made is None:
        forget(out)
        return
    try:
        os.replace(made, where(out))
    except OSError:
        drop(made)
        forget(out)


def drop(made: Path | None) -> None:
    """A staged record the build will not keep (it failed)."""
    if made is not None:
        with contextlib.suppress(OSError):
            made.unlink()


def load(out: Path, scan: Scan, shown: str, built_from: str | None) -> Record | None:
    """The record of the build that made ``out``, if it can be trusted for this one."""
    kept = opened(out, scan, shown, built_from)
    if kept is None:
        return None
    try:
        with kept:
            pickle.load(kept)  # the outline
            gc.disable()  # unpickling makes a million objects and no garbage: 5× quicker without collections
            try:
                record = pickle.load(kept)  # streamed from the file, never whole in memory
            finally:
                gc.freeze()  # and out of every later collection: they live as long as this build
                gc.enable()
    except Exception:  # unreadable, damaged or older: no record  # noqa: BLE001
        return None
    if not isinstance(record, Record) or record.version != VERSION:
        return None
    if (record.code, record.shown, record.inputs) != (scan.code, shown, built_from):
        return None
    return record


def forget(out: Path) -> None:
    with contextlib.suppress(OSError):
        where(out).unlink(missing_ok=True)
