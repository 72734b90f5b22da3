"""What each kind of page sees: one data function a page kind, computed when the page is
rendered (render/pages.py lists the pages; the deputies', the listings and the filtered project
lists have modules of their own)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from portal.load import markup
from portal.model import progress, urls
from portal.model import records as model
from portal.model.portfolio import Portfolio
from portal.model.progress import ProjectState, schedule
from portal.model.records import Month, Project, Update
from portal.render import charts as charts_svg
from portal.render import duties
from portal.render.deputies import evaluations_of
from portal.render.revisions import Correction, corrections_of


def home_data(p: Portfolio) -> dict[str, Any]:
    return {**year_data(p, p.current_year), "latest": p.updates[:8]}


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


def about_data(p: Portfolio) -> dict[str, Any]:
    """The 关于 page: the notices it names, and the public's channels about the whole site."""
    return {"notices": p.kind("notice"), "feedback": duties.channels(p.config.feedback, f"意见建议：{p.config.title}")}


def project_data(p: Portfolio, project: Project) -> dict[str, Any]:
    months = p.months(project.year)
    history = [(m, p.state(project, m)) for m in months]
    charts = []
    for n, indicator in enumerate(p.indicators.get(project.id, ())):
        rows = [(m, s.indicators[n]) for m, s in history]
        title = f"{indicator.name}：逐月完成进度与序时进度"
        charts.append((indicator, rows, charts_svg.history(title, [(m, i.progress) for m, i in rows])))
    subject = f"意见建议：{project.id} {project.name}"
    return {
        "charts": charts,
        "project": project,
        "vote": next(iter(evaluations_of(p, project)), None),  # the newest
        "feedback": duties.channels(p.config.feedback, subject),
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


def update_data(p: Portfolio, update: Update) -> dict[str, Any]:
    related = [p.by_id[i] for i in update.projects]
    result = progress.satisfaction(update.votes) if update.votes else None
    return {
        "update": update,
        "source": duties.source(p.config, update),
        "related": related,
        "result": result,
        "corrections": corrections_of(p, update),
        "share_image": share_image(p, update),
    }


@dataclass(frozen=True)
class ShareImage:
    """The picture a link preview (WeChat, Weibo, QQ) shows of a post: its first photo, at the
    size its page shows first (base.html's og:image; other pages show the site's own image)."""

    address: str  # absolute, percent-encoded
    type: str
    width: int
    height: int


_IMAGE_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


def share_image(p: Portfolio, update: Update) -> ShareImage | None:
    if not update.photos:
        return None
    photo = update.photos[0]
    width = photo.shown_width()
    address = urls.encoded_address(p.config, urls.photo(update.url, photo.name(width)))
    return ShareImage(address, _IMAGE_TYPES[photo.suffix], width, photo.height_at(width))


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


def matrix_data(p: Portfolio) -> dict[str, Any]:
    return {"matrix": compliance_matrix(p)}


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
