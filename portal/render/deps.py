"""What a page shows, in the terms the preview rebuilds by: a small typed vocabulary.

Each page lists its dependencies (render/pages.py, ``Page.deps``); when a post is saved the
preview names what it changed in the same terms (preview/incremental.py) and renders again
only the pages whose dependencies meet them. Both sides build them with the helpers below, so a
misspelt kind is an AttributeError, not a page silently left stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from portal.model.records import Month


class DepKind(Enum):
    UPDATE = "update"  # that post (key: its slug)
    PROJECT = "project"  # any post of that project (key: its id)
    YEAR = "year"  # a report, an inspection or a vote about a project of that year (the deputies' page)
    MONTH = "month"  # a report for that month (key: "YYYY-MM")
    STATE = "state"  # the progress or reporting record of a project of that year (key None: of any year)
    POSTS = "posts"  # how a post dated in that year is listed (key: (kind or None, year))
    KIND = "kind"  # how a post of that kind is listed (see changes.listed)
    SEARCHABLE = "searchable"  # which pages are searchable (the search page names the index's parts)
    CLOCK = "clock"  # the reporting clock as of that year (key None: the site's; see clock() below)
    ALWAYS = "always"  # every time


@dataclass(frozen=True)
class Dep:
    """One thing a page shows: ``kind``, and which one (a slug, an id, a year, a month)."""

    kind: DepKind
    key: str | int | tuple[str | None, int] | None = None


ALWAYS = Dep(DepKind.ALWAYS)
SEARCHABLE = Dep(DepKind.SEARCHABLE)
CLOCK = Dep(
    DepKind.CLOCK
)  # the site's clock: the as-of month and date, every year's reporting months, the current year


def clock(of_year: int) -> Dep:
    """The reporting clock as one year's pages show it: the year's reporting months and its as-of
    date (Portfolio.as_of_date_in), which stop moving once the year is over. Only a page with a
    clock dep is shown an as-of date (environment.context); a month's first report re-renders
    the pages of the site's clock and of its year's, not the older years' pages."""
    return Dep(DepKind.CLOCK, of_year)


def update(slug: str) -> Dep:
    return Dep(DepKind.UPDATE, slug)


def project(project_id: str) -> Dep:
    return Dep(DepKind.PROJECT, project_id)


def year(number: int) -> Dep:
    return Dep(DepKind.YEAR, number)


def month(period: Month) -> Dep:
    return Dep(DepKind.MONTH, str(period))


def state(of_year: int | None = None) -> Dep:
    """The progress or reporting record of a project of that year; of any year without one."""
    return Dep(DepKind.STATE, of_year)


def posts(of_year: int, kind: str | None = None) -> Dep:
    """How the posts of a year are listed: of every kind (kind None, archive/<year>/) or of one
    (kinds/<kind>/<year>/)."""
    return Dep(DepKind.POSTS, (kind, of_year))


def kind(name: str) -> Dep:
    return Dep(DepKind.KIND, name)
