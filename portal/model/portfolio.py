"""Model: the loaded records put together, with everything derived from them computed once."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

from portal.model import progress
from portal.model.progress import Compliance, ProjectState
from portal.model.records import Content, Indicator, Month, Project, Update
from portal.model.site import SiteConfig

T = TypeVar("T")
K = TypeVar("K")


@dataclass(frozen=True)
class Portfolio:
    """Projects, indicators and posts, with the as-of month and every computed state."""

    config: SiteConfig
    projects: tuple[Project, ...]  # by year (newest first), then 序号
    indicators: dict[str, tuple[Indicator, ...]]
    updates: tuple[Update, ...]  # newest first

    @classmethod
    def build(cls, content: Content, previous: Portfolio | None = None) -> Portfolio:
        """The model of ``content``; given the ``previous`` one (the preview's, before a post was
        saved), the states of the projects whose reports are the same are taken from it."""
        projects = tuple(sorted(content.projects, key=lambda p: (-p.year, p.seq)))
        indicators: dict[str, list[Indicator]] = defaultdict(list)
        for indicator in content.indicators:
            indicators[indicator.project].append(indicator)
        updates = tuple(sorted(content.updates, key=lambda u: (u.date, u.slug), reverse=True))
        made = cls(content.config, projects, {k: tuple(v) for k, v in indicators.items()}, updates)
        if previous is not None:
            made._states.update(made._same_states(previous))
        return made

    def _same_states(self, previous: Portfolio) -> dict[tuple[str, Month | None], ProjectState]:
        """The states ``previous`` computed that this model would compute alike: a state is made
        of its project, the project's indicators and reports, and its month (progress.project_state)."""
        if (previous.config, previous.projects, previous.indicators) != (self.config, self.projects, self.indicators):
            return {}
        same = {p.id for p in self.projects if previous.reports.get(p.id, ()) == self.reports.get(p.id, ())}
        return {key: state for key, state in previous._states.items() if key[0] in same}

    # -------------------------------------------------------------- lookups

    @cached_property
    def by_id(self) -> dict[str, Project]:
        return {p.id: p for p in self.projects}

    @cached_property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({p.year for p in self.projects}, reverse=True))

    @cached_property
    def current_year(self) -> int | None:
        """The year the home page shows: the as-of year when it has projects, else the newest."""
        if self.as_of is not None and self.as_of.year in self.years:
            return self.as_of.year
        return self.years[0] if self.years else None

    def of_year(self, year: int) -> tuple[Project, ...]:
        return self._by_year.get(year, ())

    @cached_property
    def _by_year(self) -> dict[int, tuple[Project, ...]]:
        return _group(self.projects, lambda p: (p.year,))

    @cached_property
    def reports(self) -> dict[str, tuple[Update, ...]]:
        """Each project's monthly reports, oldest period first."""
        found: dict[str, list[Update]] = defaultdict(list)
        for update in self.updates:
            if update.kind == "report":
                found[update.projects[0]].append(update)
        return {k: tuple(sorted(v, key=_period)) for k, v in found.items()}

    def report(self, project: Project, month: Month) -> Update | None:
        return self._by_period.get((project.id, month))

    @cached_property
    def _by_period(self) -> dict[tuple[str, Month], Update]:
        return {(pid, r.period): r for pid, rs in self.reports.items() for r in rs}

    def timeline(self, project: Project) -> tuple[Update, ...]:
        """The posts about a project, newest first."""
        return self._timelines.get(project.id, ())

    @cached_property
    def _timelines(self) -> dict[str, tuple[Update, ...]]:
        return _group(self.updates, lambda u: u.projects)

    def kind(self, kind: str) -> tuple[Update, ...]:
        return self._kinds.get(kind, ())

    @cached_property
    def _kinds(self) -> dict[str, tuple[Update, ...]]:
        return _group(self.updates, lambda u: (u.kind,))

    @cached_property
    def units(self) -> dict[str, tuple[Project, ...]]:
        return _group(self.projects, lambda p: p.units)

    @cached_property
    def leaders(self) -> dict[str, tuple[Project, ...]]:
        return _group(self.projects, lambda p: p.leaders)

    # -------------------------------------------------------------- the as-of month

    @cached_property
    def as_of_date(self) -> dt.date | None:
        """site.yaml's as_of, else the newest report period's month end; None with no report."""
        if self.config.as_of is not None:
            return self.config.as_of
        periods = [rs[-1].period for rs in self.reports.values()]  # each project's newest
        return max(periods, key=_month).last_day() if periods else None

    def as_of_date_in(self, year: int) -> dt.date | None:
        """The as-of date of one year's pages: the site's, or the year's last day once the site's
        is in a later year (a year's progress is judged at its December, progress.judged_month)."""
        day = self.as_of_date
        return dt.date(year, 12, 31) if day is not None and day.year > year else day

    @cached_property
    def as_of(self) -> Month | None:
        day = self.as_of_date
        return Month(day.year, day.month) if day else None

    # -------------------------------------------------------------- derived states

    def state(self, project: Project, month: Month | None = None) -> ProjectState:
        """The project judged at a month (default: its judged month, see progress.judged_month)."""
        if month is None:
            month = progress.judged_month(project, self.as_of)
        return self._states.get((project.id, month)) or self._compute(project, month)

    @cached_property
    def _states(self) -> dict[tuple[str, Month | None], ProjectState]:
        return {}

    def _compute(self, project: Project, month: Month | None) -> ProjectState:
        state = progress.project_state(
            project, list(self.indicators.get(project.id, ())), list(self.reports.get(project.id, ())), month
        )
        self._states[project.id, month] = state
        return state

    def months(self, year: int) -> tuple[Month, ...]:
        """The reporting months of a year, each with a page reports/<YYYY-MM>/."""
        if year not in self._months:
            self._months[year] = self._reporting_months(year)
        return self._months[year]

    @cached_property
    def _months(self) -> dict[int, tuple[Month, ...]]:
        return {}

    def _reporting_months(self, year: int) -> tuple[Month, ...]:
        periods = [rs[0].period for p in self.of_year(year) if (rs := self.reports.get(p.id))]  # each one's oldest
        start = Month.parse(self.config.reporting_from) if self.config.reporting_from else None
        return tuple(progress.reporting_months(year, min(periods, key=_month) if periods else None, start, self.as_of))

    @cached_property
    def all_months(self) -> tuple[Month, ...]:
        return tuple(sorted((m for y in self.years for m in self.months(y)), reverse=True))

    def compliance(self, project: Project, month: Month) -> Compliance:
        return progress.compliance(project, month, self.report(project, month), self.config.report_due_day)

    def record(self, project: Project) -> tuple[Compliance, ...]:
        """A project's reporting record: one entry a reporting month of its year."""
        return tuple(self.compliance(project, m) for m in self.months(project.year))


def _month(month: Month) -> tuple[int, int]:
    """A month's place in time, as Month orders them, compared as a plain tuple (much faster)."""
    return month.year, month.month


def _period(report: Update) -> tuple[int, int]:
    return _month(report.period)  # type: ignore[arg-type]  # a report has its period


def _group(items: Iterable[T], keys: Callable[[T], Iterable[K]]) -> dict[K, tuple[T, ...]]:
    """Items under each of their keys, in their own order; the keys sorted."""
    grouped: dict[K, list[T]] = defaultdict(list)
    for item in items:
        for key in keys(item):
            grouped[key].append(item)
    return {k: tuple(grouped[k]) for k in sorted(grouped)}
