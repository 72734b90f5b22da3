"""What the portal computes, not the author: the rules of CONTENT-FORMAT.md, one function each.

Numbers are Decimals throughout, so a percentage shown agrees with a hand calculation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from portal.model.records import Indicator, Month, Project, Update, Votes

HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")


def percent(value: Decimal) -> Decimal:
    """One decimal, rounded half up, as a person rounds."""
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def schedule(month: Month) -> Decimal:
    """序时进度 at the end of a month: m/12, as a percentage with one decimal."""
    return percent(Decimal(month.month) * HUNDRED / 12)


@dataclass(frozen=True)
class IndicatorState:
    """An indicator at a month: its value then, and its progress (None while unknown)."""

    indicator: Indicator
    value: Decimal | None
    progress: Decimal | None  # percent, uncapped
    reached: bool
    behind: bool  # a cumulative indicator trailing 序时进度

    @property
    def capped(self) -> Decimal | None:
        return None if self.progress is None else min(self.progress, HUNDRED)


@dataclass(frozen=True)
class ProjectState:
    """A project judged at a month: the verdict and what it rests on."""

    month: Month | None
    indicators: tuple[IndicatorState, ...]
    progress: Decimal | None
    verdict: str  # done | on_schedule | behind | no_data
    latest: Update | None  # the newest report at or before the month
    disagreement: str  # "" or a sentence saying how the unit's status differs


def reports_until(reports: Iterable[Update], month: Month | None) -> list[Update]:
    """Reports at or before a month, oldest first."""
    if month is None:
        return []
    return sorted((r for r in reports if r.period is not None and r.period <= month), key=lambda r: r.period)


def indicator_state(indicator: Indicator, reports: list[Update], month: Month) -> IndicatorState:
    """Progress of one indicator at a month, from reports sorted oldest first."""
    value = next((r.values[indicator.id] for r in reversed(reports) if indicator.id in r.values), None)
    any_values = any(r.values for r in reports)
    if value is None and indicator.measure == "cumulative" and any_values:
        value = Decimal(0)
    if value is None:
        return IndicatorState(indicator, None, None, False, False)
    if indicator.measure == "level":
        held = value <= indicator.target if indicator.direction == "at_most" else value >= indicator.target
        return IndicatorState(indicator, value, HUNDRED if held else Decimal(0), held, False)
    reached = value >= indicator.target
    if indicator.target > 0:
        progress = percent(value * HUNDRED / indicator.target)
        behind = value * 12 < indicator.target * month.month
    else:
        progress = HUNDRED if reached else Decimal(0)
        behind = not reached
    return IndicatorState(indicator, value, progress, reached, behind)


def judged_month(project: Project, as_of: Month | None) -> Month | None:
    """The as-of month, or December of the project's own year if that came first."""
    if as_of is None or as_of.year < project.year:
        return None
    return min(as_of, Month(project.year, 12))


def project_state(
    project: Project, indicators: list[Indicator], reports: list[Update], month: Month | None
) -> ProjectState:
    until = reports_until(reports, month)
    latest = until[-1] if until else None
    if month is None:
        return ProjectState(None, (), None, "no_data", None, "")
    states = tuple(indicator_state(i, until, month) for i in indicators)
    known = [s.capped for s in states if s.capped is not None]
    progress = percent(sum(known) / len(known)) if known else None
    if indicators:
        if not any(r.values for r in until):
            verdict = "no_data"
        elif all(s.reached for s in states):
            verdict = "done"
        elif any(s.behind for s in states):
            verdict = "behind"
        else:
            verdict = "on_schedule"
    else:
        with_status = [r for r in until if r.status]
        status = with_status[-1].status if with_status else None
        verdict = {
            "done": "done",
            "lagging": "behind",
            "not_started": "behind",
            "on_track": "on_schedule",
            None: "no_data",
        }[status]
    return ProjectState(month, states, progress, verdict, latest, disagreement(latest, verdict))


def disagreement(latest: Update | None, verdict: str) -> str:
    """Where the unit's own status and the computed verdict part ways: shown, never hidden."""
    status = latest.status if latest else None
    if status == "done" and verdict != "done":
        return "牵头单位自评“已完成”，但按指标完成值计算尚未完成"
    if status == "on_track" and verdict == "behind":
        return "牵头单位自评“序时推进”，但按指标完成值计算滞后于序时进度"
    if status == "lagging" and verdict in ("on_schedule", "done"):
        return "牵头单位自评“滞后”，但按指标完成值计算已达到序时进度"
    return ""


@dataclass(frozen=True)
class Compliance:
    project: Project
    month: Month
    due: dt.date
    report: Update | None
    state: str  # on_time | late | missing


def compliance(project: Project, month: Month, report: Update | None, due_day: int) -> Compliance:
    due = month.day(due_day)
    if report is None or report.submitted is None:
        return Compliance(project, month, due, None, "missing")
    return Compliance(project, month, due, report, "on_time" if report.submitted <= due else "late")


def reporting_months(
    year: int, first_report: Month | None, reporting_from: Month | None, as_of: Month | None
) -> list[Month]:
    """From reporting_from (or the year's earliest report) to the as-of month, or December."""
    if as_of is None or as_of.year < year:
        return []
    start = reporting_from if reporting_from is not None and reporting_from.year == year else first_report
    if start is None:
        return []
    end = min(as_of, Month(year, 12))
    months = []
    month = start
    while month <= end:
        months.append(month)
        month = month.next()
    return months


def satisfaction(votes: Votes) -> str:
    """满意 when 满意 > N/2; else 基本满意 when 满意 + 基本满意 > N/2; else 不满意 (N includes 弃权)."""
    n = votes.total
    if 2 * votes.satisfied > n:
        return "satisfied"
    if 2 * (votes.satisfied + votes.basically_satisfied) > n:
        return "basically_satisfied"
    return "dissatisfied"
