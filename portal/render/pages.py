"""Render: the model → pages, through one Jinja Environment (autoescape, StrictUndefined).

``pages()`` lists every page the site has, with its output path; ``context()`` is the whole
contract between code and templates: numbers a template shows are computed here, not there.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property, partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from portal import cores, revisions
from portal.load import markup
from portal.model import progress
from portal.model import records as model
from portal.model.portfolio import Portfolio
from portal.model.progress import Compliance, ProjectState, schedule
from portal.model.records import Month, Project, Update
from portal.paths import TEMPLATES_DIR
from portal.render import charts as charts_svg
from portal.revisions import Correction
from portal.write import search, staging


@dataclass(frozen=True)
class Page:
    """One page: where it is written, which template draws it, and what that template sees.

    The template's data is computed when the page is rendered (``make``), so listing every page
    is cheap and the work is shared by the rendering processes. ``deps`` says what the page
    shows, for the preview's rebuild of only the pages a saved post changes (incremental.py):
    "update:<slug>" that post; "project:<id>" any post of that project; "year:<year>" any post of
    a project of that year; "month:<YYYY-MM>" a report for that month; "state:<year>" and
    "state" the progress or reporting record of a project of that year or of any year (a
    report's period, date, status or values); "posts:<year>" a post dated in that year;
    "kind:<kind>" a post of that kind; "searchable" the number of searchable pages; "*"
    every time; () never (what only site.yaml, the project tables and the templates change).
    """

    path: str  # under the output folder, e.g. "projects/2020-01/index.html"
    template: str
    title: str
    make: Callable[[], dict[str, Any]] = dict
    deps: tuple[str, ...] = ("*",)

    @cached_property
    def data(self) -> dict[str, Any]:
        return self.make()

    @property
    def url(self) -> str:
        return self.path.removesuffix("index.html")

    @property
    def searchable(self) -> bool:
        """Pages whose text the search index holds (they mark it with data-pagefind-body): the
        project pages, and the posts that are (Update.searchable)."""
        if self.template == "update.html":
            return self.data["update"].searchable
        return self.template == "project.html"


@cache
def environment() -> jinja2.Environment:
    """The one Environment of a process: each template compiled once (again when it changes)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(num=number, pct=pct, cn_date=cn_date, json_attr=json_attr)
    env.globals.update(
        KINDS=model.KINDS,
        STATUSES=model.STATUSES,
        VERDICTS=model.VERDICTS,
        COMPLIANCE=model.COMPLIANCE,
        RESULTS=model.RESULTS,
        MEASURES=model.MEASURES,
    )
    return env


def compile_templates() -> None:
    """Compile every template into this process's environment ahead of its first page."""
    env = environment()
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)


def number(value: Decimal | int | None) -> str:
    """12, 6.977, 1180: as written, without trailing zeros or exponent."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return str(value)
    text = format(value.normalize(), "f")
    return text


def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def cn_date(value: dt.date | None) -> str:
    return "—" if value is None else f"{value.year}年{value.month}月{value.day}日"


def json_attr(value: Any) -> Markup:
    """JSON for a data- attribute or a <script type=application/json>: no markup can break out."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("'", "\\u0027"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return Markup(text.replace('"', "&quot;"))


def site_url(portfolio: Portfolio):
    base = portfolio.config.base_url

    @cache
    def url(path: str = "") -> str:
        """A site-relative path as a link under base_url, each segment percent-encoded."""
        return base + quote(path, safe="/#?=&")

    return url


def context(portfolio: Portfolio, page: Page, url: Callable[..., str] | None = None) -> dict[str, Any]:
    """Everything a template sees: the site, the page, and the page's own data."""
    p = portfolio
    return {
        "site": p.config,
        "portfolio": p,
        "page": page,
        "url": url or site_url(p),
        "as_of": p.as_of,
        "as_of_date": p.as_of_date,
        "years": p.years,
        "current_year": p.current_year,
        "state": p.state,
        "schedule": schedule,
        **page.data,
    }


def pages(p: Portfolio) -> Iterator[Page]:
    """Every page of the site, its data computed only when it is rendered."""
    yield Page("index.html", "index.html", p.config.title, partial(home_data, p))
    yield Page("404.html", "404.html", "页面不存在", deps=())
    yield Page("about/index.html", "about.html", "关于本站", deps=("kind:notice",))  # it lists the notices
    yield Page("search/index.html", "search.html", "搜索", partial(search_data, p), ("searchable",))
    facets = filters(p)
    everything = partial(listing, p, p.projects, facets, None)
    yield Page("projects/index.html", "projects.html", "全部项目", everything, ("state",))
    for facet in facets:
        for option in facet.options:
            title = f"项目：{facet.label} {option.label}"
            make = partial(chosen_listing, p, facets, option)
            yield Page(f"{option.url}index.html", "projects.html", title, make, ("state",))
    for year in p.years:
        yield Page(
            f"years/{year}/index.html",
            "year.html",
            f"{year}年重点民生实事",
            partial(year_data, p, year),
            (f"state:{year}",),
        )
    for project in p.projects:
        deps = (f"project:{project.id}",)
        yield Page(f"{project.url}index.html", "project.html", project.name, partial(project_data, p, project), deps)
    units = {"groups": p.units, "kind": "units", "noun": "牵头单位"}
    yield Page("units/index.html", "groups.html", "牵头单位", partial(dict, units), ())
    for name, projects in p.units.items():
        make = partial(group_data, p, name, projects, "units", "牵头单位")
        yield Page(f"units/{name}/index.html", "group.html", name, make, _states_of(projects))
    leaders = {"groups": p.leaders, "kind": "leaders", "noun": "牵头领导"}
    yield Page("leaders/index.html", "groups.html", "牵头领导", partial(dict, leaders), ())
    for name, projects in p.leaders.items():
        make = partial(group_data, p, name, projects, "leaders", "牵头领导")
        yield Page(f"leaders/{name}/index.html", "group.html", name, make, _states_of(projects))
    yield from post_listings(p)
    for update in p.updates:
        yield Page(
            f"{update.url}index.html",
            "update.html",
            update.title,
            partial(update_data, p, update),
            (f"update:{update.slug}",),
        )
    yield Page("reports/index.html", "reports.html", "报送情况", partial(matrix_data, p), ("state",))
    for month in p.all_months:
        title = f"推进情况（截至{month.label}底）"
        deps = (f"month:{month}", f"state:{month.year}")
        yield Page(f"{month.url}index.html", "month.html", title, partial(month_data, p, month), deps)
    deputies = partial(deputies_data, p, p.current_year)
    yield Page("deputies/index.html", "deputies.html", "人大代表票决项目", deputies, (f"year:{p.current_year}",))
    for year in p.years:
        title = f"{year}年人大代表票决项目"
        yield Page(
            f"deputies/{year}/index.html", "deputies.html", title, partial(deputies_data, p, year), (f"year:{year}",)
        )


def matrix_data(p: Portfolio) -> dict[str, Any]:
    return {"matrix": compliance_matrix(p)}


def searchable_count(p: Portfolio) -> int:
    """How many pages Page.searchable takes: the projects' and the searchable posts'."""
    return len(p.projects) + sum(1 for u in p.updates if u.searchable)


def search_data(p: Portfolio) -> dict[str, Any]:
    """The index's folders: as many as search.bundles makes for the searchable pages."""
    url = site_url(p)
    return {"bundles": [url(folder) for folder in search.bundles(searchable_count(p))]}


def home_data(p: Portfolio) -> dict[str, Any]:
    return {**year_data(p, p.current_year), "latest": p.updates[:8]}


def chosen_listing(p: Portfolio, facets: tuple[Facet, ...], option: Option) -> dict[str, Any]:
    return listing(p, [pr for pr in p.projects if option.matches(pr, p)], facets, option)


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
    found = [Listing(None, "工作动态", "updates/", p.updates, archives(p.updates, "archive/"))]
    for kind, label in model.KINDS.items():
        url = f"kinds/{kind}/"
        found.append(Listing(kind, label, url, p.kind(kind), archives(p.kind(kind), url)))
    return tuple(found)


def archive_years(p: Portfolio) -> tuple[tuple[int, ...], ...]:
    """The years each listing has a page for. Every year page links them all, which its deps do not
    say: when they change, the preview renders every year page again (incremental.py)."""
    return tuple(tuple(archive.year for archive in listing.archives) for listing in listings(p))


def archives(updates: tuple[Update, ...], prefix: str) -> tuple[Archive, ...]:
    """Posts (newest first) by the year of their date, newest year first, each at prefix + year."""
    years: dict[int, list[Update]] = {}
    for update in updates:
        years.setdefault(update.date.year, []).append(update)
    return tuple(Archive(year, f"{prefix}{year}/", tuple(years[year])) for year in sorted(years, reverse=True))


def post_listings(p: Portfolio) -> Iterator[Page]:
    """Each listing's front page (whatever changed) and its year pages (a post of their year)."""
    for listing in listings(p):
        yield Page(f"{listing.url}index.html", "updates.html", listing.label, partial(listing_data, listing, None))
        for archive in listing.archives:
            title = f"{archive.year}年{listing.label}"
            make = partial(listing_data, listing, archive)
            yield Page(f"{archive.url}index.html", "updates.html", title, make, (f"posts:{archive.year}",))


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


def update_data(p: Portfolio, update: Update) -> dict[str, Any]:
    related = [p.by_id[i] for i in update.projects]
    result = progress.satisfaction(update.votes) if update.votes else None
    return {"update": update, "related": related, "result": result, "corrections": corrections_of(p, update)}


def corrections_of(p: Portfolio, update: Update) -> tuple[Correction, ...]:
    """A post's corrections, a report's values named by its project's indicators."""
    indicators = p.indicators.get(update.projects[0], ()) if update.kind == "report" else ()
    return revisions.corrections(update, indicators)


@dataclass(frozen=True)
class Option:
    """One value of a filter, with its own pre-rendered page (works without JavaScript)."""

    facet: str
    value: str
    label: str
    count: int

    @property
    def url(self) -> str:
        return "projects/voted/" if self.facet == "voted" else f"projects/{self.facet}/{self.value}/"

    def matches(self, project: Project, p: Portfolio) -> bool:
        if self.facet == "voted":
            return project.voted
        if self.facet == "verdict":
            return p.state(project).verdict == self.value
        return getattr(project, self.facet) == self.value


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    options: tuple[Option, ...]


def filters(p: Portfolio) -> tuple[Facet, ...]:
    """Level, category, verdict and the voted mark (units and leaders have their own pages)."""
    levels = [lv for lv in model.LEVELS if any(pr.level == lv for pr in p.projects)]
    categories = sorted({pr.category for pr in p.projects if pr.category})
    verdicts = [v for v in model.VERDICTS if any(p.state(pr).verdict == v for pr in p.projects)]

    def count(facet: str, value: str) -> int:
        return sum(1 for pr in p.projects if Option(facet, value, "", 0).matches(pr, p))

    facets = [
        Facet("level", "级别", tuple(Option("level", v, v, count("level", v)) for v in levels)),
        Facet("category", "领域", tuple(Option("category", v, v, count("category", v)) for v in categories)),
        Facet("verdict", "进度", tuple(Option("verdict", v, model.VERDICTS[v], count("verdict", v)) for v in verdicts)),
    ]
    voted = count("voted", "")
    if voted:
        facets.append(Facet("voted", "人大票决", (Option("voted", "voted", "人大代表票决项目", voted),)))
    return tuple(f for f in facets if f.options)


def listing(p: Portfolio, projects: Iterable[Project], facets: tuple[Facet, ...], chosen: Option | None) -> dict:
    chosen_projects = list(projects)
    groups = [(y, [pr for pr in chosen_projects if pr.year == y]) for y in p.years]
    return {
        "groups": [(y, g) for y, g in groups if g],
        "facets": facets,
        "chosen": chosen,
        "total": len(chosen_projects),
    }


def year_data(p: Portfolio, year: int | None) -> dict[str, Any]:
    """A year's projects grouped by level, with the count of each verdict."""
    projects = p.of_year(year) if year is not None else ()
    states = {pr.id: p.state(pr) for pr in projects}
    levels = [(level, [pr for pr in projects if pr.level == level]) for level in model.LEVELS]
    judged = progress.judged_month(projects[0], p.as_of) if projects else None
    return {
        **dashboard(p, projects, states, judged),
        "year": year,
        "projects": projects,
        "states": states,
        "levels": [(level, group) for level, group in levels if group],
        "counts": {v: sum(1 for s in states.values() if s.verdict == v) for v in model.VERDICTS},
        "schedule_pct": schedule(judged) if judged else None,
    }


def dashboard(
    p: Portfolio, projects: tuple[Project, ...], states: dict[str, ProjectState], month: Month | None
) -> dict[str, Any]:
    """The home page at a glance: progress by category and the month's reporting rate."""
    categories = []
    for name in sorted({pr.category or "其他" for pr in projects}):
        known = [states[pr.id].progress for pr in projects if (pr.category or "其他") == name]
        known = [k for k in known if k is not None]
        categories.append((name, progress.percent(sum(known) / len(known)) if known else None))
    rate = None
    if month is not None and month in p.months(month.year):
        marks = [p.compliance(pr, month).state for pr in projects]
        filed = sum(1 for m in marks if m != "missing")
        on_time = sum(1 for m in marks if m == "on_time")
        rate = {"month": month, "filed": filed, "on_time": on_time, "total": len(marks)}
    title = "各领域项目平均进度（虚线为序时进度）"
    reference = schedule(month) if month else None
    return {"categories": categories, "category_chart": charts_svg.bars(title, categories, reference), "rate": rate}


@dataclass(frozen=True)
class MonthlyReport:
    """A monthly report as its project's page shows it: under a heading of its own, which a
    search result or a link can point to (#month-2020-09)."""

    update: Update
    body: Markup  # the report's sanitised body, its headings moved below the month's <h3>
    corrections: tuple[Correction, ...]

    @property
    def anchor(self) -> str:
        return f"month-{self.update.period}"


def project_data(p: Portfolio, project: Project) -> dict[str, Any]:
    months = p.months(project.year)
    history = [(m, p.state(project, m)) for m in months]
    charts = []
    for n, indicator in enumerate(p.indicators.get(project.id, ())):
        rows = [(m, s.indicators[n]) for m, s in history]
        title = f"{indicator.name}：逐月完成进度与序时进度"
        charts.append((indicator, rows, charts_svg.history(title, [(m, i.progress) for m, i in rows])))
    return {
        "charts": charts,
        "project": project,
        "current": p.state(project),
        "history": history,
        "record": p.record(project),
        "timeline": p.timeline(project),
        "indicators": p.indicators.get(project.id, ()),
        "monthly": [
            MonthlyReport(r, Markup(markup.headings_under(r.body_html, 3)), corrections_of(p, r))
            for r in reversed(p.reports.get(project.id, ()))
        ],
    }


def _states_of(projects: tuple[Project, ...]) -> tuple[str, ...]:
    """The deps of a page that shows these projects' progress and reporting records, no post:
    a unit's or a leader's (a post's text or a news item does not change it)."""
    return tuple(sorted({f"state:{project.year}" for project in projects}))


def group_data(p: Portfolio, name: str, projects: tuple[Project, ...], kind: str, noun: str) -> dict[str, Any]:
    records = [(project, p.record(project)) for project in projects]
    return {"name": name, "projects": projects, "kind": kind, "noun": noun, "records": records}


def month_data(p: Portfolio, month: Month) -> dict[str, Any]:
    projects = p.of_year(month.year)
    rows = [(project, p.compliance(project, month), p.state(project, month)) for project in projects]
    counts = {v: sum(1 for _, _, s in rows if s.verdict == v) for v in model.VERDICTS}
    counts["missing"] = sum(1 for _, c, _ in rows if c.state == "missing")
    counts["late"] = sum(1 for _, c, _ in rows if c.state == "late")
    months = p.months(month.year)
    index = months.index(month)
    return {
        "month": month,
        "rows": rows,
        "counts": counts,
        "schedule_pct": schedule(month),
        "previous": months[index - 1] if index > 0 else None,
        "next": months[index + 1] if index + 1 < len(months) else None,
    }


def compliance_matrix(p: Portfolio) -> list[dict[str, Any]]:
    """Per year: months as columns, lead units as groups, projects as rows."""
    years = []
    for year in p.years:
        months = p.months(year)
        groups = []
        for unit, projects in p.units.items():
            mine = [pr for pr in projects if pr.year == year]
            if mine:
                groups.append((unit, [(pr, [p.compliance(pr, m) for m in months]) for pr in mine]))
        years.append({"year": year, "months": months, "groups": groups})
    return years


@dataclass(frozen=True)
class Evaluation:
    """A satisfaction vote with its result computed by the contract's rule."""

    update: Update
    result: str


@dataclass(frozen=True)
class Supervised:
    """One voted project as the deputies see it."""

    project: Project
    state: ProjectState
    record: tuple[Compliance, ...]
    inspections: tuple[Update, ...]
    evaluations: tuple[Evaluation, ...]

    @property
    def late(self) -> int:
        return sum(1 for c in self.record if c.state == "late")

    @property
    def missing(self) -> int:
        return sum(1 for c in self.record if c.state == "missing")


def evaluations_of(p: Portfolio, project: Project) -> tuple[Evaluation, ...]:
    return tuple(
        Evaluation(u, progress.satisfaction(u.votes))
        for u in p.timeline(project)
        if u.kind == "evaluation" and u.votes is not None
    )


def deputies_data(p: Portfolio, year: int | None) -> dict[str, Any]:
    """The projects marked voted in a year, however many, each with what deputies check."""
    supervised = [
        Supervised(
            project=pr,
            state=p.state(pr),
            record=p.record(pr),
            inspections=tuple(u for u in p.timeline(pr) if u.kind == "inspection"),
            evaluations=evaluations_of(p, pr),
        )
        for pr in p.projects
        if pr.voted and pr.year == year
    ]
    return {
        "year": year,
        "supervised": supervised,
        "summary": {v: sum(1 for s in supervised if s.state.verdict == v) for v in model.VERDICTS},
        "results": {r: sum(1 for s in supervised for e in s.evaluations[-1:] if e.result == r) for r in model.RESULTS},
    }


def render_pages(p: Portfolio, chosen: list[Page]) -> Iterator[tuple[str, str]]:
    env, url = environment(), site_url(p)
    for page in chosen:
        template = env.get_template(page.template)
        yield page.path, template.render(context(p, page, url))


# Rendering across cores: forked workers share the model read-only and write their own files.
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
    for (_, html), target in zip(render_pages(p, chosen), targets, strict=True):
        staging.make_folder(target.parent, made)
        target.write_bytes(html.encode("utf-8"))
