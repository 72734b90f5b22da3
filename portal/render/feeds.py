"""Feeds for readers and crawlers: Atom (the whole portal, each project, each unit),
sitemap.xml and robots.txt. Addresses are absolute (urls.encoded_address)."""

from __future__ import annotations

import contextlib
import datetime as dt
import mmap
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from portal.model import urls
from portal.model.portfolio import Portfolio
from portal.model.records import Project, Update
from portal.render import environment, revisions
from portal.render.pages import Page
from portal.render.xmltext import escape, quoteattr

EPOCH = dt.date(1970, 1, 1)
# A unit leads projects year after year: its feed carries its newest posts, as feeds do (a
# reader polls for what is new); its page and the year archives keep every one.
UNIT_FEED = 50


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"


def _entry(p: Portfolio, u: Update) -> str:
    c = p.config
    link = urls.encoded_address(c, u.url)
    categories = "".join(f"<category term={quoteattr(pid)}/>" for pid in u.projects)
    return (
        "<entry>"
        f"<title>{escape(u.title)}</title>"
        f"<id>{escape(link)}</id>"
        f'<link rel="alternate" type="text/html" href={quoteattr(link)}/>'
        f"<updated>{_stamp(revisions.updated(u))}</updated>"
        f"<published>{_stamp(u.date)}</published>"
        f"<author><name>{escape(u.source_unit or c.publisher)}</name></author>"
        f"<category term={quoteattr(u.kind)} label={quoteattr(u.kind_label)}/>{categories}"
        f"<summary>{escape(u.summary)}</summary>"
        f'<content type="html" xml:base={quoteattr(link)}>{escape(u.body_html + _corrections(p, u))}</content>'
        "</entry>"
    )


def _corrections(p: Portfolio, u: Update) -> str:
    """A corrected post's correction list, as its page shows it, to end its entry's content."""
    if not u.revisions:
        return ""
    macro = environment.environment().get_template("_corrections.html").module.corrections
    return "\n" + str(macro(revisions.corrections_of(p, u), "h2", "corrections"))


def atom(
    p: Portfolio, updates: tuple[Update, ...], path: str, title: str, page: str, near: dict | None = None
) -> Iterator[str]:
    """Posts newest first, written to ``path``, about ``page``; dates from content, never the clock.

    In pieces, written as they come (the portal's feed carries every post: 130 MB at 50,000).
    ``near`` keeps each post's entry by slug, for a post in several feeds."""

    def entry(u: Update) -> str:
        if near is None:
            return _entry(p, u)
        known = near.get(u.slug)
        if known is None:
            known = near[u.slug] = _entry(p, u)
        return known

    yield _head(p, updates, path, title, page)
    for u in updates:
        yield entry(u)
    yield _TAIL


def kept(p: Portfolio, updates: tuple[Update, ...], path: str, title: str, page: str, entries: dict) -> bytes:
    """The feed ``atom`` writes, as bytes, from ``entries``: each post's entry encoded, kept by
    slug while its record stays (the preview's), so a saved post costs its own entry and a copy."""
    pieces = [_head(p, updates, path, title, page).encode()]
    for u in updates:
        known = entries.get(u.slug)
        if known is None or (known[0] is not u and known[0] != u):  # the same record, mostly: no field compared
            known = entries[u.slug] = (u, _entry(p, u).encode())
        pieces.append(known[1])
    pieces.append(_TAIL.encode())
    return b"".join(pieces)


_TAIL = "</feed>\n"


@dataclass(frozen=True)
class Previous:
    """The portal's feed as the last build wrote it: its file, where each entry lies in it, and
    the posts they were made from."""

    feed: Path
    spans: Spans
    posts: dict[str, Update]


@dataclass
class Spans:
    """Where each post's entry lies in the portal's feed as a build writes it (slug → start and
    length in bytes), filled as it is written. The record keeps these rather than the entries
    (130 MB at 50,000 posts): the next build in a new process copies an unchanged post's entry
    from the feed the last one wrote (``previous``, never kept in the record)."""

    at: dict[str, tuple[int, int]] = field(default_factory=dict)
    size: int = -1
    previous: Previous | None = None

    def __getstate__(self) -> dict:
        return {"at": self.at, "size": self.size, "previous": None}


def spanned(
    p: Portfolio, updates: tuple[Update, ...], path: str, title: str, page: str, spans: Spans
) -> Iterator[bytes]:
    """The feed ``atom`` writes, in bytes, noting where each entry lies in ``spans``; an unchanged
    post's entry copied from the previous feed."""
    head = _head(p, updates, path, title, page).encode()
    yield head
    at = len(head)
    with _copier(spans.previous) as copied:
        for u in updates:
            data = copied(u) or _entry(p, u).encode()
            spans.at[u.slug] = (at, len(data))
            at += len(data)
            yield data
    tail = _TAIL.encode()
    yield tail
    spans.size = at + len(tail)


@contextlib.contextmanager
def _copier(previous: Previous | None) -> Iterator[Callable[[Update], bytes | None]]:
    """A post's entry as the previous feed has it, if the post is the same (None otherwise, or if
    that feed is not the one its spans describe)."""
    with contextlib.ExitStack() as stack:
        view = _opened(previous, stack) if previous is not None else None
        if view is None or previous is None:
            yield lambda u: None
            return
        posts, at = previous.posts, previous.spans.at

        def copied(u: Update) -> bytes | None:
            known, span = posts.get(u.slug), at.get(u.slug)
            if known is None or span is None or (known is not u and known != u):
                return None
            data = view[span[0] : span[0] + span[1]]
            return data if data.startswith(b"<entry>") and data.endswith(b"</entry>") else None

        yield copied


def _opened(previous: Previous, stack: contextlib.ExitStack) -> mmap.mmap | None:
    """The previous feed's bytes, mapped (not read into memory), if it is the size its spans say."""
    try:
        file = stack.enter_context(previous.feed.open("rb"))
        if os.fstat(file.fileno()).st_size != previous.spans.size:
            return None
        return stack.enter_context(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))
    except (OSError, ValueError):
        return None


def _head(p: Portfolio, updates: tuple[Update, ...], path: str, title: str, page: str) -> str:
    c = p.config
    updated = max(map(revisions.updated, updates)) if updates else (p.as_of_date or EPOCH)
    home, self_link = urls.encoded_address(c, page), urls.encoded_address(c, path)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(c.language)}>'
        f"<title>{escape(title)}</title>"
        f"<id>{escape(self_link)}</id>"
        f'<link rel="alternate" type="text/html" href={quoteattr(home)}/>'
        f'<link rel="self" type="application/atom+xml" href={quoteattr(self_link)}/>'
        f"<updated>{_stamp(updated)}</updated>"
        f"<author><name>{escape(c.publisher)}</name></author>"
    )


def sitemap(p: Portfolio, site_pages: list[Page]) -> str:
    found = sorted(urls.encoded_address(p.config, page.url) for page in site_pages if page.path != urls.NOT_FOUND)
    body = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in found)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>\n'
    )


def robots(p: Portfolio) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {urls.address(p.config, urls.SITEMAP)}\n"


def files(
    p: Portfolio, site_pages: list[Page] | None, only: set[str] | None = None, entries: dict | Spans | None = None
) -> Iterator[tuple[str, Iterator[str] | Iterator[bytes] | str | bytes | Callable[[], bytes]]]:
    """Every feed, the sitemap (of ``site_pages``; None: the pages are the ones it lists already)
    and robots.txt; with ``only`` (project ids) the portal's feed, the sitemap and the feeds of
    those projects and of their units: all that a post of theirs changes.

    Each feed is to be written before the next is asked for: a unit's entries are kept for its
    projects' feeds and its own, then let go. The preview passes a dict as ``entries`` to keep
    them all, encoded (``kept``): its feeds come as bytes. A build for the record passes
    ``Spans``: the portal's feed notes where each entry lies (``spanned``)."""
    c = p.config
    done: set[str] = set()

    def feed(updates: tuple[Update, ...], path: str, title: str, page: str, near: dict | None) -> Iterator[str] | bytes:
        if not isinstance(entries, dict):
            return atom(p, updates, path, title, page, near)
        return kept(p, updates, path, title, page, entries)

    def project_feed(project: Project, near: dict) -> tuple[str, Iterator[str] | bytes]:
        done.add(project.id)
        title = f"{project.name}（{project.year}年）- {c.title}"
        path = urls.feed(project.url)
        return path, feed(p.timeline(project), path, title, project.url, near)

    if entries is None:
        yield urls.FEED, feed(p.updates, urls.FEED, c.title, urls.HOME, None)  # every post: none kept
    elif isinstance(entries, Spans):
        yield urls.FEED, spanned(p, p.updates, urls.FEED, c.title, urls.HOME, entries)
    else:  # made when written: the preview writes it only when asked for (20 MB at 16,000 posts)
        yield urls.FEED, partial(kept, p, p.updates, urls.FEED, c.title, urls.HOME, entries)
    for unit, projects in p.units.items():
        if only is not None and not any(pr.id in only for pr in projects):
            continue
        near: dict = {}
        for project in projects:
            if project.id not in done and (only is None or project.id in only):
                yield project_feed(project, near)
        seen = {u.slug: u for pr in projects for u in p.timeline(pr)}
        mine = tuple(sorted(seen.values(), key=lambda u: (u.date, u.slug), reverse=True))[:UNIT_FEED]
        url = urls.unit(unit)
        yield urls.feed(url), feed(mine, urls.feed(url), f"{unit} - {c.title}", url, near)
    for project in p.projects:  # a project of no unit: none in valid content, but never lost
        if project.id not in done and (only is None or project.id in only):
            yield project_feed(project, {})
    if site_pages is not None:
        yield urls.SITEMAP, sitemap(p, site_pages)
    yield "robots.txt", robots(p)
