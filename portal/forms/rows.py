"""A form's entries checked against the month's projects: each problem located at its cell, and
what passes becomes Filed, one post to write.

Rows are matched to projects by 序号 and 项目名称 together. A row whose 推进情况 is empty and
that has nothing else filled in is skipped (the project stays unreported). A row saying
由<unit>汇总填报 is a co-led project on the form of a unit that does not file it: not this form's
to file. A project's month is filed by one row only, across every form of the import.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal

from portal.errors import Problem
from portal.forms import labels, plausible
from portal.forms.cells import compact, date_of, integer, number_of, progress_text
from portal.forms.compose import Filed
from portal.forms.entries import Cell, Entry, Form, Line, at
from portal.forms.workbook import Grid
from portal.load import tables
from portal.model.portfolio import Portfolio
from portal.model.records import Indicator, Month, Project

_MARKER = re.compile(r"由(.+)汇总填报")  # on the forms of a co-led project's other lead units (canonical text)
NUMBER_HINT = "只写数字，如 12 或 6.5（不写“约”、单位或千位分隔符）"


def check(
    form: Form,
    period: Month,
    portfolio: Portfolio,
    problems: list[Problem],
    holds: list[Problem],
    skipped: list[tuple[Project, Month]],
    seen: dict[tuple[str, Month], str],
) -> list[Filed]:
    """Every entry against the period's projects; good ones become Filed, problems are added."""
    grid = form.grid
    projects = _projects(form, period, portfolio, problems)
    if not projects:
        return []
    plausible.period(at(grid, form.month, "") if form.month else _header(form), period, portfolio, problems, holds)
    filed: list[Filed] = []
    merged = _merged_over_projects(form, problems)
    for entry in form.entries:
        if entry.seq.row in merged:
            continue
        text = progress_text(entry.progress.value)
        if not text:
            _unfilled(grid, entry, projects.get(integer(entry.seq.value)), period, problems, skipped)
            continue
        project = _project(grid, entry, projects, period, problems)
        if project is not None and (marker := _MARKER.fullmatch(labels.canonical(text))):
            _filed_elsewhere(grid, entry, project, marker.group(1), problems)
            continue
        status = _status(grid, entry.status, problems)
        submitted = _date(grid, entry.submitted, period, problems)
        indicators = portfolio.indicators.get(project.id, ()) if project else ()
        values, cells = _values(grid, entry.lines, project, indicators, problems)
        place = at(grid, entry.seq, "")
        if project is not None and _first(place, project, period, problems, seen):
            filed.append(Filed(project, period, text, status, values, submitted, form.reviewer, place, cells))
    return filed


def _header(form: Form) -> Problem:
    """The form's header row, as a place for a problem."""
    return form.grid.problem(form.header, 1, "", "")


def _projects(form: Form, period: Month, portfolio: Portfolio, problems: list[Problem]) -> dict[int, Project]:
    """The period's year's projects by 序号; none is a problem, at the cell that names the year."""
    projects = {p.seq: p for p in portfolio.of_year(period.year)}
    if not projects:
        years = "、".join(str(y) for y in portfolio.years) or "无"
        message = f"截至月份 {period} 不在项目的年度内：没有 {period.year} 年的项目清单（已有年份：{years}）"
        place = form.year or form.month
        problems.append(at(form.grid, place, message) if place else dataclasses.replace(_header(form), message=message))
    return projects


def _unfilled(
    grid: Grid,
    entry: Entry,
    project: Project | None,
    period: Month,
    problems: list[Problem],
    skipped: list[tuple[Project, Month]],
) -> None:
    """A row without 推进情况: skipped when nothing else is filled in (its project, when its 序号
    names one, stays unreported), else a problem."""
    if _filled(entry):
        message = "推进情况为空，但填了自评状态、本月值或报送日期：请填写推进情况，或清空本行"
        problems.append(at(grid, entry.progress, message))
    elif project is not None:
        skipped.append((project, period))


def _first(
    place: Problem, project: Project, period: Month, problems: list[Problem], seen: dict[tuple[str, Month], str]
) -> bool:
    """Whether this is the first row of the import for the project's month (remembered in
    ``seen``); a later one is a problem, at its 序号."""
    key = (project.id, period)
    if key in seen:
        message = f"项目 {project.id}（{project.name}）重复：{seen[key]} 已有"
        if len(project.units) > 1:
            message += f"；共同牵头的项目由{labels.filer(project)}汇总填报"
        problems.append(dataclasses.replace(place, message=message))
        return False
    seen[key] = _where(place)
    return True


def _where(place: Problem) -> str:
    """A location as messages print it, without a message: ``file.xlsx:Sheet1!A5``."""
    return str(place).removesuffix(": ")


def _filled(entry: Entry) -> bool:
    """Whether a row has a status, a date or a value."""
    return bool(entry.lines) or any(c is not None and c.value is not None for c in (entry.status, entry.submitted))


def _filed_elsewhere(grid: Grid, entry: Entry, project: Project, unit: str, problems: list[Problem]) -> None:
    """A row saying 由<unit>汇总填报: a co-led project on the form of a unit that does not file it.
    Nothing to do when it names the unit that does, and the row has nothing filled in."""
    filer = labels.filer(project)
    if unit != labels.canonical(filer) or len(project.units) == 1:
        who = "汇总填报" if len(project.units) > 1 else "填报"
        message = (
            f"推进情况写的是“{compact(entry.progress.value)}”，但项目 {project.id}（{project.name}）由{filer}{who}："
            "请填写本月推进情况，或清空本行"
        )
        problems.append(at(grid, entry.progress, message))
    elif _filled(entry):
        message = f"项目 {project.id}（{project.name}）由{filer}汇总填报：本表这一行不填自评状态、本月值或报送日期"
        problems.append(at(grid, entry.progress, message))


def _merged_over_projects(form: Form, problems: list[Problem]) -> set[int]:
    """The rows of projects whose 推进情况 is one cell merged over several projects' rows, each
    such cell refused where it is (read as it was, the second project would look empty)."""
    grid = form.grid
    rows = sorted(entry.seq.row for entry in form.entries)
    refused: set[int] = set()
    for entry in form.entries:
        span = grid.span(entry.progress.row, entry.progress.column)
        if span is None or entry.seq.row in refused:
            continue
        inside = [row for row in rows if span.first_row <= row <= span.last_row]
        if len(inside) > 1:
            message = (
                f"推进情况是跨 {len(inside)} 个项目的合并单元格（{span}）："
                "每个项目的推进情况应写在它自己的行，请取消合并后分别填写"
            )
            problems.append(grid.problem(span.first_row, span.first_column, entry.progress.label, message))
            refused.update(inside)
    return refused


def _project(
    grid: Grid, entry: Entry, projects: dict[int, Project], period: Month, problems: list[Problem]
) -> Project | None:
    seq = integer(entry.seq.value)
    if entry.seq.value is None:
        problems.append(at(grid, entry.seq, "缺少序号"))
        return None
    if seq is None:
        problems.append(at(grid, entry.seq, f"序号“{entry.seq.value}”不是整数"))
        return None
    project = projects.get(seq)
    if project is None:
        problems.append(at(grid, entry.seq, f"序号 {seq} 不在 {period.year} 年的项目清单中（共 {len(projects)} 项）"))
        return None
    if labels.canonical(entry.name.value) != labels.canonical(project.name):
        written = compact(entry.name.value)
        problems.append(
            at(grid, entry.name, f"项目名称“{written}”与序号 {seq} 的项目“{project.name}”不符")
            if written
            else at(grid, entry.name, f"项目名称为空：序号 {seq} 的项目是“{project.name}”")
        )
        return None
    return project


def _status(grid: Grid, cell: Cell | None, problems: list[Problem]) -> str | None:
    if cell is None or cell.value is None:
        return None
    key = labels.canonical(cell.value)
    choices = {labels.canonical(label): code for label, code in labels.STATUS_LABELS.items()}
    choices |= {code: code for code in labels.STATUS_LABELS.values()}
    if key not in choices:
        options = "、".join(labels.STATUS_LABELS)
        problems.append(at(grid, cell, f"自评状态“{cell.value}”不是可选的值（{options}）"))
        return None
    return choices[key]


def _date(grid: Grid, cell: Cell | None, period: Month, problems: list[Problem]) -> dt.date | None:
    if cell is None or cell.value is None:
        return None
    value = cell.value
    day = date_of(value)
    if day is None:
        problems.append(at(grid, cell, f"报送日期“{value}”不是日期：写成 {period.year}-{period.month:02d}-25 这样"))
        return None
    if day < period.first_day():
        problems.append(at(grid, cell, f"报送日期 {day} 早于所报月份 {period}"))
        return None
    return day


def _values(
    grid: Grid,
    lines: tuple[Line, ...],
    project: Project | None,
    indicators: tuple[Indicator, ...],
    problems: list[Problem],
) -> tuple[dict[str, Decimal], dict[str, Problem]]:
    """The row's values by indicator id, and the cell each was read from."""
    values: dict[str, Decimal] = {}
    cells: dict[str, Problem] = {}
    rows: dict[str, int] = {}
    for line in lines:
        number = number_of(line.value.value)
        if number is None:
            problems.append(at(grid, line.value, f"{labels.VALUE}“{line.value.value}”不是数字：{NUMBER_HINT}"))
        if project is None:
            continue
        indicator = _indicator(line, indicators)
        if indicator is None:
            problems.append(at(grid, line.value, _no_indicator(project, line, indicators)))
            continue
        if indicator.id in rows:
            problems.append(at(grid, line.value, f"指标“{indicator.name}”重复：第 {rows[indicator.id]} 行已有"))
            continue
        rows[indicator.id] = line.value.row
        if number is not None:
            values[indicator.id] = number
            cells[indicator.id] = at(grid, line.value, "")
    return values, cells


def _no_indicator(project: Project, line: Line, indicators: tuple[Indicator, ...]) -> str:
    cells = (line.label, line.indicator_id)
    named = next((compact(c.value) for c in cells if c is not None and c.value is not None), "")
    if named and labels.canonical(named) != labels.canonical(labels.NO_INDICATOR):
        own = "、".join(f"{i.name}（{i.unit}）" for i in indicators)
        return f"项目 {project.id}（{project.name}）没有指标“{named}”" + (
            f"（它的指标：{own}）" if own else "（它没有量化指标）"
        )
    if indicators:
        return "这一行没有指标名称：本月值应写在指标所在的行"
    return f"项目 {project.id}（{project.name}）没有量化指标：本月值应留空"


def _indicator(line: Line, indicators: tuple[Indicator, ...]) -> Indicator | None:
    """The indicator a line names: by the export's hidden 指标编号, else by its name (and unit)."""
    if line.indicator_id is not None and line.indicator_id.value is not None:
        key = str(line.indicator_id.value).strip(tables.BLANK)
        return next((i for i in indicators if i.id == key), None)
    if line.label is None or line.label.value is None:
        return None
    key = labels.canonical(line.label.value)
    return next(
        (i for i in indicators if key in (labels.canonical(f"{i.name}（{i.unit}）"), labels.canonical(i.name))), None
    )
