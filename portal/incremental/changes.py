"""What changed posts change: the pages whose ``deps`` meet them, and the files beside them.

The model is built again (from the load's memo, so only changed posts are read), compared with
the last one, and only the pages whose ``deps`` meet what changed of a post (its page, its
projects, how it is listed: ``listed``, its month, what the deputies see) are rendered, with
the feeds and data files those posts appear in. When the reporting clock moves (a month's
first report), the pages marked ``deps.CLOCK`` are rendered too, every feed, and the pages of
each year whose own clock moved (``deps.clock(year)``: the newest year's, not the years already
over). Anything else (site.yaml, a project table, a template, a photo, an attachment) needs a
whole build: ``partial_possible``. Either way the result is the site a whole build makes
(tests/test_incremental.py, tests/test_partial_build.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.model import records as model
from portal.model import urls
from portal.model.portfolio import Portfolio
from portal.model.records import Update
from portal.render import deps, environment, feeds, listings, opendata, pages
from portal.render.deps import Dep, DepKind
from portal.render.pages import Page
from portal.write.filedata import Content

Pair = tuple[Update | None, Update | None]  # a post before and after (None: not there)
Files = list[tuple[str, Content]]


@dataclass(frozen=True)
class Patch:
    """What a partial build writes: the pages to render again (``dirty``) and the other
    ``files`` (each a site-relative path and its content), the pages no longer made (``gone``),
    and the pages the site has now."""

    model: Portfolio
    dirty: list[Page]
    files: Files
    gone: tuple[str, ...]
    paths: frozenset[str]

    @property
    def everything(self) -> Files:
        """The pages rendered here, then the other files (the preview's few pages a save)."""
        return list(environment.render_pages(self.model, self.dirty)) + self.files


def touched(old: Portfolio, new: Portfolio) -> list[Pair]:
    """The posts that differ between two models, before and after. The memo gives an unchanged
    post its very record again, so only the records not in both models are compared."""
    kept = {id(u) for u in old.updates} & {id(u) for u in new.updates}
    before = {u.slug: u for u in old.updates if id(u) not in kept}
    after = {u.slug: u for u in new.updates if id(u) not in kept}
    return [
        (before.get(s), after.get(s)) for s in sorted(before.keys() | after.keys()) if before.get(s) != after.get(s)
    ]


def searchable_moved(pairs: list[Pair]) -> bool:
    """Whether the searchable pages may differ (a searchable post came, went, or moved to another
    year or address), and with them how the index is split (render/indexparts.py)."""
    return any(
        a is None or b is None or (a.searchable, a.date.year, a.url) != (b.searchable, b.date.year, b.url)
        for a, b in pairs
    )


def partial_possible(old: Portfolio, new: Portfolio, pairs: list[Pair]) -> bool:
    """Whether only posts changed, none with a photo or an attachment (a whole build re-encodes
    photos and copies attachments)."""
    if frame(old) != frame(new):
        return False
    return not any(u is not None and (u.photos or u.attachments) for pair in pairs for u in pair)


def patch(
    old: Portfolio, new: Portfolio, pairs: list[Pair], before: frozenset[str], entries: dict | feeds.Spans | None
) -> Patch:
    """Render what the changed posts change; ``before``: the pages of the last build; ``entries``:
    the feeds' entries kept (the preview's) or where they lie in the last feed (feeds.files)."""
    keys = set().union(*(_keys(new, a, b) for a, b in pairs))
    archived = listings.archive_years(new)
    if listings.archive_years(old) != archived:  # each year page of posts links every other
        kinds = [None, *model.KINDS]  # as archive_years lists them
        keys |= {deps.posts(year, kind) for kind, years in zip(kinds, archived, strict=True) for year in years}
    moved = clock(old) != clock(new)
    if moved:
        keys.add(deps.CLOCK)
        keys |= {deps.clock(year) for year in new.years if year_clock(old, year) != year_clock(new, year)}
    slugs = {u.slug for pair in pairs for u in pair if u is not None}
    listed = list(pages.pages(new, posts=slugs))  # every other post's page shows only its post
    dirty = [
        page
        for page in listed
        if deps.ALWAYS in page.deps or not keys.isdisjoint(page.deps) or page.path not in before  # a new page
    ]
    now = frozenset(page.path for page in listed if page.template != "update.html")
    now |= {urls.page_file(u.url) for u in new.updates}
    site_pages = list(pages.pages(new)) if now != before else None  # the sitemap: when pages come or go
    projects = None if moved else {str(key.key) for key in keys if key.kind is DepKind.PROJECT}
    files: Files = list(feeds.files(new, site_pages, only=projects, entries=entries))
    if (
        moved
        or deps.state() in keys
        or any(u is not None and (u.kind == "evaluation" or u.revisions) for pair in pairs for u in pair)
    ):
        files += opendata.files(new)  # the progress, the reporting record, the votes and the corrections
    return Patch(new, dirty, files, tuple(sorted(before - now)), now)


def _keys(p: Portfolio, before: Update | None, after: Update | None) -> set[Dep]:
    """What a changed post changes, in the terms of Page.deps."""
    keys: set[Dep] = set()
    years: set[int] = set()
    relisted = listed(before) != listed(after)
    for u in (before, after):
        if u is None:
            continue
        keys |= {deps.update(u.slug)} | {deps.project(pid) for pid in u.projects}
        if relisted:
            keys |= {deps.kind(u.kind), deps.posts(u.date.year), deps.posts(u.date.year, u.kind)}
        mine = {p.by_id[pid].year for pid in u.projects if pid in p.by_id}
        years |= mine
        if u.kind in DEPUTIES_SEE:
            keys |= {deps.year(y) for y in mine}
        if u.period is not None:
            keys.add(deps.month(u.period))
        if u.searchable:  # the search page names the index's parts, split by the searchable pages
            keys.add(deps.SEARCHABLE)
    if _record(before) != _record(after):
        keys |= {deps.state()} | {deps.state(y) for y in years}
    return keys


# The posts the deputies' pages show (render/deputies.py): the newest report's text, inspections, votes.
DEPUTIES_SEE = ("report", "inspection", "evaluation")


def listed(u: Update | None) -> tuple | None:
    """What of a post its listings show (the kind's and every kind's, their year pages, the notices
    on the about page: _macros.update_list, about.html): a change elsewhere, its body say, leaves
    them as they are."""
    if u is None:
        return None
    return (u.slug, u.url, u.kind, u.title, u.date, bool(u.revisions), u.document_number)


def _record(u: Update | None) -> tuple | None:
    """What of a post the progress and the reporting record are computed from."""
    if u is None or u.kind != "report":
        return None
    return (u.projects, u.period, u.submitted, u.status, dict(u.values), u.slug, u.date)


def frame(p: Portfolio) -> tuple:
    """What every page depends on: when any of it changes, the whole site is built again."""
    return (p.config, p.projects, p.indicators, p.years)


def clock(p: Portfolio) -> tuple:
    """The site's reporting clock: only the pages marked deps.CLOCK show it (render/environment.py).
    Any year's clock (below) moves only with it."""
    return (p.all_months, p.as_of, p.as_of_date, p.current_year)


def year_clock(p: Portfolio, year: int) -> tuple:
    """The clock as the pages of one year show it (deps.clock(year)): its as-of date and its
    reporting months, from which its projects are judged (progress.judged_month)."""
    return (p.as_of_date_in(year), p.months(year))
