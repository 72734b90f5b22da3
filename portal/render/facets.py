"""The list of projects and its filters: level, category, verdict and the voted mark, each
option with a pre-rendered page of its own (the filters work without JavaScript). Units and
leaders have their own pages (views.group_data)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from portal.model import records as model
from portal.model import urls
from portal.model.portfolio import Portfolio
from portal.model.records import Project


@dataclass(frozen=True)
class Option:
    """One value of a filter, with its own pre-rendered page (works without JavaScript)."""

    facet: str
    value: str
    label: str
    count: int

    @property
    def url(self) -> str:
        return urls.facet(self.facet, self.value)

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
    counted: Counter[tuple[str, str]] = Counter()  # as Option.matches would count them, in one pass
    for pr in p.projects:
        counted.update([("level", pr.level), ("category", pr.category), ("verdict", p.state(pr).verdict)])
        counted["voted", ""] += pr.voted
    levels = [lv for lv in model.LEVELS if counted["level", lv]]
    categories = sorted(value for facet, value in counted if facet == "category" and value)
    verdicts = [v for v in model.VERDICTS if counted["verdict", v]]

    def count(facet: str, value: str) -> int:
        return counted[facet, value]

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


def chosen_listing(p: Portfolio, facets: tuple[Facet, ...], option: Option) -> dict[str, Any]:
    return listing(p, [pr for pr in p.projects if option.matches(pr, p)], facets, option)
