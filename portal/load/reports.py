"""What a monthly report and a satisfaction evaluation say beyond the common fields, checked
against the lists: a report's month in its project's year, reported after it began, with values
of its project's indicators; an evaluation's votes adding up, on a project the congress voted on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from portal.errors import Problems
from portal.load import tables, yamlsafe
from portal.load.checks import Context, in_years
from portal.load.posts import Post
from portal.model.records import Month, Votes, parse_number

Claim = tuple[str, Month]  # a report's project and month: one report a project a month


@dataclass(frozen=True)
class Report:
    """A monthly report's own fields, as its Update carries them."""

    period: Month
    submitted: dt.date
    status: str | None
    values: dict[str, Decimal]
    reviewed_by: str


def check_report(
    post: Post, report: tables.Row, linked: list[str], context: Context, problems: Problems
) -> tuple[Report | None, Claim | None]:
    """The report's fields (None when any is wrong) and the month it claims for its project
    (whenever there is one, so that a second report of that month is said too)."""
    meta, rel = post.meta, post.rel
    if len(linked) != 1:
        problems.add(rel, meta.line_of("projects"), "projects", "月度推进情况须关联且只关联一个项目")
        return None, None
    if report["period"] is None or report["submitted"] is None:
        return None, None
    project = context.projects[linked[0]]
    try:
        period = Month.parse(report["period"])
    except ValueError:
        return None, None  # the schema's pattern, the same rule, has said what is wrong
    ok = in_years(post, "submitted", "报送日期", report["submitted"], problems)
    if period.year != project.year:
        message = f"截至月份 {period} 不在项目 {project.id} 的年度（{project.year} 年）内"
        problems.add(rel, meta.line_of("period"), "period", message)
        ok = False
    if report["submitted"] < period.first_day():
        message = f"报送日期 {report['submitted']} 早于所报月份 {period}"
        problems.add(rel, meta.line_of("submitted"), "submitted", message)
        ok = False
    claim = (project.id, period)
    written = meta.get("values")
    values: dict[str, Decimal] | None = {}
    if isinstance(written, yamlsafe.Mapping):
        values = check_values(written, project.id, context.indicators, rel, "values", problems)
    elif written not in (None, ""):
        problems.add(rel, meta.line_of("values"), "values", "指标完成值应为“指标编号: 数值”的映射")
        values = None
    if not ok or values is None:
        return None, claim
    return Report(period, report["submitted"], report["status"], values, report["reviewed_by"] or ""), claim


def check_values(
    written: yamlsafe.Mapping,
    project: str | None,
    indicators: frozenset[tuple[str, str]],
    rel: str,
    field: str,
    problems: Problems,
) -> dict[str, Decimal] | None:
    """Indicator values as written at ``field`` (a report's, or one recorded before a correction),
    or None when any is wrong: each a number, of an indicator of the project (when it is known)."""
    values: dict[str, Decimal] = {}
    ok = True
    for key, text in written.items():
        where = (rel, written.line_of(key), f"{field}.{key}")
        if project is not None and (project, key) not in indicators:
            problems.add(*where, f"项目 {project} 没有指标“{key}”")
            ok = False
            continue
        try:
            values[key] = parse_number(text)
        except ValueError as exc:
            problems.add(*where, f"指标完成值“{text}”{exc}")
            ok = False
    return values if ok else None


def check_votes(post: Post, linked: list[str], context: Context, votes: tables.Row, problems: Problems) -> Votes | None:
    """The evaluation's counts, or None when they are wrong or it has no project voted on."""
    meta, rel = post.meta, post.rel
    if len(linked) != 1:
        problems.add(rel, meta.line_of("projects"), "projects", "满意度测评须关联且只关联一个项目")
        return None
    if not context.projects[linked[0]].voted:
        message = f"项目 {linked[0]} 不是人大票决项目（voted 不为 true），不能有满意度测评"
        problems.add(rel, meta.line_of("projects"), "projects", message)
        return None
    counts: list[Any] = [votes[k] for k in ("satisfied", "basically_satisfied", "dissatisfied")]
    abstained = votes["abstained"] or 0
    if None in counts or min(*counts, abstained) < 0:
        return None  # the schema has said what is wrong
    result = Votes(*counts, abstained)
    if votes["total"] is not None and votes["total"] != result.total:
        message = f"总票数 {votes['total']} 与各项之和 {result.total} 不符"
        problems.add(rel, meta.line_of("votes"), "votes.total", message)
        return None
    if result.total == 0:
        problems.add(rel, meta.line_of("votes"), "votes", "票数全为 0：没有可测评的结果")
        return None
    return result
