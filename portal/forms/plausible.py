"""Plausibility: the months and numbers a clerk cannot have meant, caught before they are published.

A transparency portal must never publish a wrong number that nobody has looked at. What cannot
be true is refused, located at its cell: a negative value, a month before reporting began
(site.yaml's ``reporting_from``). What is unusual but possible is held: printed as ``提示：`` with
what to check, and written only when the clerk runs the import again with ``--confirm`` (a
value already reported for that month is not held again):

- a cumulative value below the newest one reported for an earlier month (from the content, or
  from an earlier month's form in the same import): a correction, or a slip;
- a value above 150% of its target (``at_least`` indicators with a target above 0): often a wrong
  unit or an extra digit;
- a month more than one month older than the newest month already reported for that year:
  often last year's or an old template filled in again.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from decimal import Decimal

from portal.errors import Problem
from portal.forms.compose import Filed
from portal.model.portfolio import Portfolio
from portal.model.records import Month

HOLD = "提示："
CONFIRM = "确认无误请加 --confirm 再导入"
LIMIT = Decimal("1.5")  # a value above 150% of its target is held


def period(place: Problem, month: Month, portfolio: Portfolio, problems: list[Problem], holds: list[Problem]) -> None:
    """A form's month against when reporting began and what is reported already; ``place`` is
    the cell that names the month."""
    start = portfolio.config.reporting_from
    if start is not None and month < Month.parse(start):
        message = (
            f"截至月份 {month} 早于开始报送的月份 {start}（site.yaml 的 reporting_from）：请核对表头的月份和表题的年份"
        )
        problems.append(dataclasses.replace(place, message=message))
    reported = [r.period for p in portfolio.of_year(month.year) for r in portfolio.reports.get(p.id, ())]
    if reported and month < max(reported).previous():
        newest = max(reported)
        months = (newest.year - month.year) * 12 + newest.month - month.month
        message = (
            f"{HOLD}截至月份 {month} 比已报送的最新月份 {newest} 早 {months} 个月：是否把旧的表格又填了一遍？"
            f"请核对表头的月份；确是补报或更正，{CONFIRM}"
        )
        holds.append(dataclasses.replace(place, message=message))


def values(filed: list[Filed], portfolio: Portfolio, problems: list[Problem], holds: list[Problem]) -> None:
    """Every value of every row: negative ones refused, implausible ones held."""
    history = _history(filed, portfolio)
    for row in filed:
        indicators = {i.id: i for i in portfolio.indicators.get(row.project.id, ())}
        for key, value in row.values.items():
            indicator, place = indicators[key], row.cells[key]
            name = f"{indicator.name}（{indicator.unit}）"
            if value < 0:
                message = f"{name}的本月值 {shown(value)} 是负数：请填截至本月底的累计完成值或当前水平（0 或以上）"
                problems.append(dataclasses.replace(place, message=message))
                continue
            reported = portfolio.report(row.project, row.period)
            if reported is not None and reported.values.get(key) == value:
                continue  # held and confirmed when it was first filed
            target = indicator.target
            if indicator.direction == "at_least" and target > 0 and value > target * LIMIT:
                percent = (value / target * 100).quantize(Decimal("0.1"))
                message = (
                    f"{HOLD}{name}的本月值 {shown(value)} 是目标值 {shown(target)} 的 {percent}%，超过 150%："
                    f"请核对数值和单位（是否多写了一位，或用错了单位）；{CONFIRM}"
                )
                holds.append(dataclasses.replace(place, message=message))
            earlier = {m: v for m, v in history[row.project.id, key].items() if m < row.period}
            if indicator.measure == "cumulative" and earlier and value < earlier[max(earlier)]:
                message = (
                    f"{HOLD}{name}的本月值 {shown(value)} 小于 {max(earlier)} 已报的 {shown(earlier[max(earlier)])}："
                    f"累计完成值不会减少，请核对本月值（或更正之前月份的数值）；{CONFIRM}"
                )
                holds.append(dataclasses.replace(place, message=message))


def _history(filed: list[Filed], portfolio: Portfolio) -> dict[tuple[str, str], dict[Month, Decimal]]:
    """Each indicator's value month by month: as reported, then as this import files it."""
    history: dict[tuple[str, str], dict[Month, Decimal]] = defaultdict(dict)
    for project, reports in portfolio.reports.items():
        for report in reports:
            for key, value in report.values.items():
                history[project, key][report.period] = value
    for row in filed:
        for key, value in row.values.items():
            history[row.project.id, key][row.period] = value
    return history


def shown(number: Decimal) -> str:
    """A number as a clerk writes it: 30, 6.5 (no trailing zeros, no exponent)."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
