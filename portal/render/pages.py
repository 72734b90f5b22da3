"""Every page the site has: where it is written, which template draws it, what it shows.

``pages()`` lists them all cheaply (each page's data is computed when it is rendered); each
page's ``deps`` tell the preview which saved posts change it (preview/incremental.py).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from typing import Any

from portal.model import records as model
from portal.model import urls
from portal.model.portfolio import Portfolio
from portal.model.records import Project
from portal.render import deps, deputies, facets, indexparts, listings, views
from portal.render.deps import ALWAYS, CLOCK, Dep


@dataclass(frozen=True)
class Page:
    """One page: where it is written, which template draws it, and what that template sees.

    The template's data is computed when the page is rendered (``make``), so listing every page
    is cheap and the work is shared by the rendering processes. ``deps`` says what the page
    shows, for the preview's rebuild of only the pages a saved post changes (render/deps.py,
    preview/incremental.py); ``ALWAYS`` every time; () never (what only site.yaml, the
    project tables and the templates change). Only a page with a clock dep is shown an as-of
    date (environment.context): ``CLOCK`` the site's, ``deps.clock(year)`` that year's, so a
    month's first report re-renders the site's pages that span the years and its own year's,
    not every page.
    """

    path: str  # under the output folder, e.g. "projects/2020-01/index.html" (urls.page_file)
    template: str
    title: str
    make: Callable[[], dict[str, Any]] = dict
    deps: tuple[Dep, ...] = (ALWAYS,)

    @cached_property
    def data(self) -> dict[str, Any]:
        return self.make()

    @property
    def url(self) -> str:
        return self.path.removesuffix(urls.INDEX)

    @property
    def searchable(self) -> bool:
        """Pages whose text the search index holds (they mark it with data-pagefind-body): the
        project pages, and the posts that are (Update.searchable)."""
        if self.template == "update.html":
            return self.data["update"].searchable
        return self.template == "project.html"


def searchable(p: Portfolio) -> list[tuple[int, str]]:
    """The pages Page.searchable takes, each with its year (the index is made in parts by year,
    render/indexparts.py): the projects' pages and the searchable posts'."""
    found = [(project.year, urls.page_file(project.url)) for project in p.projects]
    return found + [(u.date.year, urls.page_file(u.url)) for u in p.updates if u.searchable]


def search_data(p: Portfolio) -> dict[str, Any]:
    """The index's folders, as render/indexparts.py splits the searchable pages."""
    url = urls.linker(p.config.base_url)
    return {"bundles": [url(folder) for folder in indexparts.folders(searchable(p))]}


LISTED = tuple(deps.kind(kind) for kind in model.KINDS)  # how any post is listed (changes.listed)


def pages(p: Portfolio, posts: Collection[str] | None = None) -> Iterator[Page]:
    """Every page of the site, its data computed only when it is rendered; with ``posts``
    (slugs), of the posts' own pages only theirs (a save: every other post's page, which shows
    only its post, is as it was)."""
    home = (deps.state(p.current_year), CLOCK, *LISTED)  # the current year's progress, the newest posts
    yield Page(urls.page_file(urls.HOME), "index.html", p.config.title, partial(views.home_data, p), home)
    yield Page(urls.NOT_FOUND, "404.html", "页面不存在", deps=())
    about = (deps.kind("notice"),)  # it lists the notices
    yield Page(urls.page_file(urls.ABOUT), "about.html", "关于本站", partial(views.about_data, p), about)
    yield Page(urls.page_file(urls.SEARCH), "search.html", "搜索", partial(search_data, p), (deps.SEARCHABLE,))
    yield from project_pages(p)
    yield from group_pages(p)
    yield from post_pages(p, posts)
    yield from report_pages(p)
    yield from deputies_pages(p)


def project_pages(p: Portfolio) -> Iterator[Page]:
    """The list of projects and each filter's, each year's projects, each project's page."""
    found = facets.filters(p)
    everything = partial(facets.listing, p, p.projects, found, None)
    yield Page(urls.page_file(urls.PROJECTS), "projects.html", "全部项目", everything, (deps.state(), CLOCK))
    for facet in found:
        for option in facet.options:
            title = f"项目：{facet.label} {option.label}"
            make = partial(facets.chosen_listing, p, found, option)
            yield Page(urls.page_file(option.url), "projects.html", title, make, (deps.state(), CLOCK))
    for year in p.years:
        make = partial(views.year_data, p, year)
        yield Page(
            urls.page_file(urls.year(year)),
            "year.html",
            f"{year}年重点民生实事",
            make,
            (deps.state(year), deps.clock(year)),
        )
    for project in p.projects:
        make = partial(views.project_data, p, project)
        shows = (deps.project(project.id), deps.clock(project.year))
        yield Page(urls.page_file(project.url), "project.html", project.name, make, shows)


def group_pages(p: Portfolio) -> Iterator[Page]:
    """The lead units' and the leaders' lists, and each one's page of projects."""
    for kind, noun, groups in (("units", "牵头单位", p.units), ("leaders", "牵头领导", p.leaders)):
        data = {"groups": groups, "kind": kind, "noun": noun}
        yield Page(urls.page_file(urls.group(kind)), "groups.html", noun, partial(dict, data), ())
        for name, projects in groups.items():
            make = partial(views.group_data, p, name, projects, kind, noun)
            yield Page(urls.page_file(urls.group(kind, name)), "group.html", name, make, _states_of(projects))


def _states_of(projects: tuple[Project, ...]) -> tuple[Dep, ...]:
    """The deps of a page that shows these projects' progress and reporting records, no post:
    a unit's or a leader's (a post's text or a news item does not change it)."""
    return (*(deps.state(year) for year in sorted({project.year for project in projects})), CLOCK)


def post_pages(p: Portfolio, posts: Collection[str] | None = None) -> Iterator[Page]:
    """Each listing's front page (whatever changed) and its year pages (a post of their year),
    then each post's page."""
    for listing in listings.listings(p):
        make = partial(listings.listing_data, listing, None)
        shows = LISTED if listing.kind is None else (deps.kind(listing.kind),)  # the newest, how many a year
        yield Page(urls.page_file(listing.url), "updates.html", listing.label, make, shows)
        for archive in listing.archives:
            title = f"{archive.year}年{listing.label}"
            make = partial(listings.listing_data, listing, archive)
            shows = (deps.posts(archive.year, listing.kind),)
            yield Page(urls.page_file(archive.url), "updates.html", title, make, shows)
    for update in p.updates if posts is None else (u for u in p.updates if u.slug in posts):
        make = partial(views.update_data, p, update)
        yield Page(urls.page_file(update.url), "update.html", update.title, make, _post_deps(update.slug))


@lru_cache(maxsize=1 << 17)
def _post_deps(slug: str) -> tuple[Dep, ...]:
    """A post page's deps, made once a post: the preview lists every page at each save (fewer
    objects made, fewer collections of the garbage collector among the ones it keeps)."""
    return (deps.update(slug),)


def report_pages(p: Portfolio) -> Iterator[Page]:
    """The reporting record of every year, and each reporting month's table."""
    yield Page(
        urls.page_file(urls.REPORTS), "reports.html", "报送情况", partial(views.matrix_data, p), (deps.state(), CLOCK)
    )
    for month in p.all_months:
        title = f"推进情况（截至{month.label}底）"
        shows = (deps.month(month), deps.state(month.year), deps.clock(month.year))
        yield Page(urls.page_file(month.url), "month.html", title, partial(views.month_data, p, month), shows)


def deputies_pages(p: Portfolio) -> Iterator[Page]:
    """deputies/ (the current year's voted projects), then one page a year."""
    make = partial(deputies.deputies_data, p, p.current_year)
    shows = (deps.year(p.current_year), deps.state(p.current_year), CLOCK)
    yield Page(urls.page_file(urls.DEPUTIES), "deputies.html", "人大代表票决项目", make, shows)
    for year in p.years:
        make = partial(deputies.deputies_data, p, year)
        title = f"{year}年人大代表票决项目"
        shows = (deps.year(year), deps.state(year), deps.clock(year))
        yield Page(urls.page_file(urls.deputies(year)), "deputies.html", title, make, shows)
