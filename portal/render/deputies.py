"""The deputies' pages (deputies/, deputies/<year>/): each project the People's Congress voted
on in a year, with what its deputies check: progress, the reporting record, inspections and
satisfaction votes. The page opens with a short list of them, each entry linking to its
project's section (#<id>); a voted project's own page shows its newest vote too."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.model import progress
from portal.model import records as model
from portal.model.portfolio import Portfolio
from portal.model.progress import Compliance, ProjectState
from portal.model.records import Project, Update


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
    evaluations: tuple[Evaluation, ...]  # newest first

    @property
    def newest(self) -> Evaluation | None:
        return self.evaluations[0] if self.evaluations else None

    @property
    def late(self) -> int:
        return sum(1 for c in self.record if c.state == "late")

    @property
    def missing(self) -> int:
        return sum(1 for c in self.record if c.state == "missing")


def evaluations_of(p: Portfolio, project: Project) -> tuple[Evaluation, ...]:
    """A project's satisfaction votes, newest first."""
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
        "results": {r: sum(1 for s in supervised if s.newest and s.newest.result == r) for r in model.RESULTS},
    }
