"""Post listings that stay small at any size: updates/ and kinds/<kind>/ show the newest LATEST
posts, then one page a year (archive/<year>/, kinds/<kind>/<year>/) that together hold every post,
for readers on phones."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter
from typing import Any

from portal.model import records as model
from portal.model import urls
from portal.model.portfolio import Portfolio
from portal.model.records import Update

LATEST = 30  # posts on updates/ and on each kinds/<kind>/; the older ones on the year pages


@dataclass(frozen=True)
class Archive:
    """One year of a listing's posts, on a page of its own: archive/<year>/, kinds/<kind>/<year>/."""

    year: int
    url: str
    updates: tuple[Update, ...]  # dated in that year, newest first

    @property
    def count(self) -> int:
        return len(self.updates)


@dataclass(frozen=True)
class Listing:
    """The posts of one kind (or of every kind, ``kind`` None): the newest few, then a page a year.

    Each page stays small whatever the number of posts, for readers on phones."""

    kind: str | None
    label: str  # 工作动态, or the kind's label
    url: str  # updates/ or kinds/<kind>/
    updates: tuple[Update, ...]  # newest first
    archives: tuple[Archive, ...]  # one a year with posts, newest year first


def listings(p: Portfolio) -> tuple[Listing, ...]:
    """updates/ (year pages under archive/, as a post may be named updates/2020.md), then each kind."""
    found = [Listing(None, "工作动态", urls.posts(None), p.updates, archives(p.updates, None))]
    for kind, label in model.KINDS.items():
        found.append(Listing(kind, label, urls.posts(kind), p.kind(kind), archives(p.kind(kind), kind)))
    return tuple(found)


def archive_years(p: Portfolio) -> tuple[tuple[int, ...], ...]:
    """The years each listing has a page for. Every year page links them all, which its deps do not
    say: when they change, the preview renders every year page again (incremental.py). As
    listings() makes them, without making the listings (a look at each post's year)."""
    return tuple(
        tuple(year for year, _ in groupby(updates, key=_year))
        for updates in (p.updates, *(p.kind(kind) for kind in model.KINDS))
    )


_year = attrgetter("date.year")


def archives(updates: tuple[Update, ...], kind: str | None) -> tuple[Archive, ...]:
    """Posts (newest first) by the year of their date, newest year first, each on its kind's
    year page (``kind`` None: of every kind). Newest first, a year's posts come together."""
    return tuple(
        Archive(year, urls.posts_of_year(kind, year), tuple(posts)) for year, posts in groupby(updates, key=_year)
    )


def listing_data(listing: Listing, archive: Archive | None) -> dict[str, Any]:
    """A listing's front page (``archive`` None: its newest LATEST posts) or one of its years."""
    shown = listing.updates[:LATEST] if archive is None else archive.updates
    return {
        "kind": listing.kind,
        "listing": listing,
        "archive": archive,
        "updates": shown,
        "shown": len(shown),
        "total": len(listing.updates),
    }
