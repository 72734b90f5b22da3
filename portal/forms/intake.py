"""``form import``: filled 附件2 forms → one report post a project a month, all or nothing.

First every file is read and every row checked (each problem located at its cell), then the
posts are composed and the content as it would be afterwards is loaded once more as a whole;
only when nothing at all is wrong are the posts written, each atomically.

A form is any sheet with a header row naming 序号, 项目名称 and 推进情况: the portal's own
export, or the notice's plain four columns with its title row above and merged, wrapped cells.
Rows are matched to projects by 序号 and 项目名称 together. A project's row may be followed by
rows without 序号 that carry more of its indicators (the export's layout). A row saying
由<unit>汇总填报 is a co-led project on the form of a unit that does not file it: not this form's
to file. The rows under the table (填报人, 联系电话, 审核人) are read by forms_footer, and what
cannot be meant (or should be looked at twice) by forms_plausible.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from portal import load
from portal.errors import ContentError, Problem, UsageError
from portal.forms import footer, plausible, posting, workbook
from portal.forms import labels as forms
from portal.forms.compose import Filed, Options
from portal.forms.workbook import Grid
from portal.load import tables
from portal.model.portfolio import Portfolio
from portal.model.records import Indicator, Month, Project

HEADER_SEARCH = 20  # the header row is among the first rows
_ROLES = {
    forms.SEQ: "seq",
    forms.NAME: "name",
    forms.STATUS: "status",
    forms.INDICATOR_ID: "indicator_id",
    forms.SUBMITTED: "submitted",
}
_MARKER = re.compile(r"由(.+)汇总填报")  # on the forms of a co-led project's other lead units (canonical text)
_MONTH = re.compile(r"截至(?:(\d{4})年)?(\d{1,2}|[一二三四五六七八九十]{1,3})月")
_YEAR = re.compile(r"(\d{4})年")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_CHINESE_MONTHS = {n: i for i, n in enumerate("一二三四五六七八九十", start=1)} | {"十一": 11, "十二": 12}
NUMBER_HINT = "只写数字，如 12 或 6.5（不写“约”、单位或千位分隔符）"


@dataclass(frozen=True)
class Cell:
    value: Any
    row: int
    column: int
    label: str  # its column's header, as a CSV message names it


@dataclass(frozen=True)
class Line:
    """One indicator line with a value: the indicator named by id or label, and the value."""

    indicator_id: Cell | None
    label: Cell | None
    value: Cell


@dataclass(frozen=True)
class Entry:
    """One project's rows in a form."""

    seq: Cell
    name: Cell
    progress: Cell
    status: Cell | None
    submitted: Cell | None
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Form:
    """One sheet: where its header is, what month it speaks for, and its project rows."""

    grid: Grid
    header: int
    month: Cell | None  # value: the month number from 推进情况（截至X月底）
    year: Cell | None  # value: the year from the title row (or the header)
    entries: tuple[Entry, ...]
    reviewer: str | None  # 审核人, under the table


def run(content: Path, shown: str, files: list[Path], period: Month | None, options: Options) -> int:
    portfolio = Portfolio.build(load.load(content, shown))
    problems: list[Problem] = []
    parsed: list[Form] = []
    for path in files:
        try:
            grids = workbook.read(path)
        except ContentError as exc:
            problems += exc.problems
            continue
        before = len(problems)
        found = [form for grid in grids if (form := parse(grid, problems)) is not None]
        if not found and len(problems) == before:
            problems.append(
                Problem(str(path), None, None, "找不到表头：应有一行写着“序号”“项目名称”“推进情况（截至X月底）”")
            )
        for form in found:
            if not form.entries:
                message = "表头下没有项目行：请逐行填写序号、项目名称和推进情况"
                problems.append(form.grid.problem(form.header, 1, "", message))
        parsed.extend(found)
    filed: list[Filed] = []
    skipped: list[tuple[Project, Month]] = []
    holds: list[Problem] = []
    seen: dict[tuple[str, Month], str] = {}
    for form in parsed:
        month = resolve_period(form, period, problems)
        if month is not None:
            filed += check(form, month, portfolio, problems, holds, skipped, seen)
    plausible.values(filed, portfolio, problems, holds)
    return posting.publish(content, shown, portfolio, filed, options, skipped, problems, holds)


# ---------------------------------------------------------------- reading a sheet


def _role(label: Any) -> str | None:
    key = forms.canonical(label)
    if key.startswith(forms.PROGRESS):
        return "progress"
    if key.startswith("指标名称") or key == "指标":
        return "indicator"
    if key.startswith("本月"):
        return "value"
    return {forms.canonical(k): v for k, v in _ROLES.items()}.get(key)


def parse(grid: Grid, problems: list[Problem]) -> Form | None:
    """The sheet's header, month, year and entries; None when it has no form header."""
    for header in range(1, min(len(grid.rows), HEADER_SEARCH) + 1):
        roles = {c: _role(v) for c, v in enumerate(grid.rows[header - 1], start=1) if _role(v)}
        if {"seq", "name"} <= set(roles.values()):
            break
    else:
        return None
    columns: dict[str, int] = {}
    for column, role in roles.items():
        if role in columns:
            first = grid.value(header, columns[role])
            problems.append(grid.problem(header, column, "", f"表头“{first}”重复：这一列与前面的列是同一项"))
            continue
        columns[role] = column
    if "progress" not in columns:
        problems.append(grid.problem(header, 1, "", "表头缺少“推进情况（截至X月底）”列"))
        return None
    labels = {role: _label(grid.value(header, column)) for role, column in columns.items()}
    progress_label = forms.canonical(grid.value(header, columns["progress"]))
    month = year = None
    if match := _MONTH.search(progress_label):
        number = _CHINESE_MONTHS.get(match.group(2)) or int(match.group(2))
        month = Cell(number, header, columns["progress"], labels["progress"])
        if match.group(1):
            year = Cell(int(match.group(1)), header, columns["progress"], labels["progress"])
    if year is None:
        year = _title_year(grid, header)
    entries = _entries(grid, header, columns, labels, problems)
    reviewer = footer.reviewer(r for r in grid.rows[header:] if footer.is_footer(r))
    return Form(grid, header, month, year, entries, reviewer)


def _label(value: Any) -> str:
    return "".join(str(value or "").split())


def _title_year(grid: Grid, header: int) -> Cell | None:
    for row in range(1, header):
        for column, value in enumerate(grid.rows[row - 1], start=1):
            if isinstance(value, str) and (match := _YEAR.search(forms.canonical(value))):
                return Cell(int(match.group(1)), row, column, "")
    return None


def _entries(
    grid: Grid, header: int, columns: dict[str, int], labels: dict[str, str], problems: list[Problem]
) -> tuple[Entry, ...]:
    def cell(row: int, role: str) -> Cell | None:
        if role not in columns:
            return None
        return Cell(grid.value(row, columns[role]), row, columns[role], labels[role])

    entries: list[dict[str, Any]] = []
    for row in range(header + 1, len(grid.rows) + 1):
        if footer.is_footer(grid.rows[row - 1]):
            continue
        cells = {role: cell(row, role) for role in columns}
        filled = {role for role, c in cells.items() if c is not None and c.value is not None}
        if not filled:
            continue
        if filled & {"seq", "name"}:
            entries.append({**cells, "lines": []})
        elif filled & {"progress", "status", "submitted"}:
            role = min(filled & {"progress", "status", "submitted"})
            problems.append(grid.problem(row, columns[role], labels[role], "这一行没有序号：应写在项目所在的行"))
            continue
        elif not entries:
            if "value" in filled:
                problems.append(grid.problem(row, columns["value"], labels["value"], "这一行不在任何项目之下"))
            continue
        value = cells.get("value")
        if value is not None and value.value is not None:
            entries[-1]["lines"].append(Line(cells.get("indicator_id"), cells.get("indicator"), value))
    return tuple(
        Entry(e["seq"], e["name"], e["progress"], e.get("status"), e.get("submitted"), tuple(e["lines"]))
        for e in entries
    )


# ---------------------------------------------------------------- the period


def resolve_period(form: Form, given: Month | None, problems: list[Problem]) -> Month | None:
    """--period, else the header's month and the title's year; neither → ask for --period."""
    grid = form.grid
    if given is not None:
        if form.month is not None and form.month.value != given.month:
            problems.append(_at(grid, form.month, f"表头写的是截至{form.month.value}月底，与 --period {given} 不符"))
        if form.year is not None and form.year.value != given.year:
            problems.append(_at(grid, form.year, f"表题写的是 {form.year.value} 年，与 --period {given} 不符"))
        return given
    missing = []
    if form.month is None:
        missing.append("表头没有写明月份（推进情况（截至X月底））")
    if form.year is None:
        missing.append("表题没有写明年份（如“2020年…”）")
    if missing:
        where = grid.path + (f" 的工作表“{grid.sheet}”" if grid.sheet else "")
        raise UsageError(f"{where}：{'，'.join(missing)}。请用 --period YYYY-MM 指定所报月份")
    assert form.month is not None and form.year is not None
    if not 1 <= form.month.value <= 12:
        problems.append(_at(grid, form.month, f"表头的月份“{form.month.value}”不是 1–12 月"))
        return None
    return Month(form.year.value, form.month.value)


def _at(grid: Grid, cell: Cell, message: str) -> Problem:
    return grid.problem(cell.row, cell.column, cell.label, message)


# ---------------------------------------------------------------- the rows


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
    projects = {p.seq: p for p in portfolio.of_year(period.year)}
    header = grid.problem(form.header, 1, "", "")
    if not projects:
        years = "、".join(str(y) for y in portfolio.years) or "无"
        message = f"截至月份 {period} 不在项目的年度内：没有 {period.year} 年的项目清单（已有年份：{years}）"
        place = form.year or form.month
        problems.append(_at(grid, place, message) if place else dataclasses.replace(header, message=message))
        return []
    plausible.period(_at(grid, form.month, "") if form.month else header, period, portfolio, problems, holds)
    filed: list[Filed] = []
    merged = _merged_over_projects(form, problems)
    for entry in form.entries:
        if entry.seq.row in merged:
            continue
        text = progress_text(entry.progress.value)
        if not text:
            if _filled(entry):
                message = "推进情况为空，但填了自评状态、本月值或报送日期：请填写推进情况，或清空本行"
                problems.append(_at(grid, entry.progress, message))
            elif (project := projects.get(_integer(entry.seq.value))) is not None:
                skipped.append((project, period))
            continue
        project = _project(grid, entry, projects, period, problems)
        if project is not None and (marker := _MARKER.fullmatch(forms.canonical(text))):
            _filed_elsewhere(grid, entry, project, marker.group(1), problems)
            continue
        status = _status(grid, entry.status, problems)
        submitted = _date(grid, entry.submitted, period, problems)
        indicators = portfolio.indicators.get(project.id, ()) if project else ()
        values, cells = _values(grid, entry.lines, project, indicators, problems)
        if project is None:
            continue
        place = _at(grid, entry.seq, "")
        key = (project.id, period)
        if key in seen:
            message = f"项目 {project.id}（{project.name}）重复：{seen[key]} 已有"
            if len(project.units) > 1:
                message += f"；共同牵头的项目由{forms.filer(project)}汇总填报"
            problems.append(dataclasses.replace(place, message=message))
            continue
        seen[key] = _where(place)
        filed.append(Filed(project, period, text, status, values, submitted, form.reviewer, place, cells))
    return filed


def _where(place: Problem) -> str:
    """A location as messages print it, without a message: ``file.xlsx:Sheet1!A5``."""
    return str(place).removesuffix(": ")


def _filled(entry: Entry) -> bool:
    """Whether a row has a status, a date or a value."""
    return bool(entry.lines) or any(c is not None and c.value is not None for c in (entry.status, entry.submitted))


def _filed_elsewhere(grid: Grid, entry: Entry, project: Project, unit: str, problems: list[Problem]) -> None:
    """A row saying 由<unit>汇总填报: a co-led project on the form of a unit that does not file it.
    Nothing to do when it names the unit that does, and the row has nothing filled in."""
    filer = forms.filer(project)
    if unit != forms.canonical(filer) or len(project.units) == 1:
        who = "汇总填报" if len(project.units) > 1 else "填报"
        message = (
            f"推进情况写的是“{_label(entry.progress.value)}”，但项目 {project.id}（{project.name}）由{filer}{who}："
            "请填写本月推进情况，或清空本行"
        )
        problems.append(_at(grid, entry.progress, message))
    elif _filled(entry):
        message = f"项目 {project.id}（{project.name}）由{filer}汇总填报：本表这一行不填自评状态、本月值或报送日期"
        problems.append(_at(grid, entry.progress, message))


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
    seq = _integer(entry.seq.value)
    if entry.seq.value is None:
        problems.append(_at(grid, entry.seq, "缺少序号"))
        return None
    if seq is None:
        problems.append(_at(grid, entry.seq, f"序号“{entry.seq.value}”不是整数"))
        return None
    project = projects.get(seq)
    if project is None:
        problems.append(_at(grid, entry.seq, f"序号 {seq} 不在 {period.year} 年的项目清单中（共 {len(projects)} 项）"))
        return None
    if forms.canonical(entry.name.value) != forms.canonical(project.name):
        written = _label(entry.name.value)
        problems.append(
            _at(grid, entry.name, f"项目名称“{written}”与序号 {seq} 的项目“{project.name}”不符")
            if written
            else _at(grid, entry.name, f"项目名称为空：序号 {seq} 的项目是“{project.name}”")
        )
        return None
    return project


def _status(grid: Grid, cell: Cell | None, problems: list[Problem]) -> str | None:
    if cell is None or cell.value is None:
        return None
    key = forms.canonical(cell.value)
    choices = {forms.canonical(label): code for label, code in forms.STATUS_LABELS.items()}
    choices |= {code: code for code in forms.STATUS_LABELS.values()}
    if key not in choices:
        options = "、".join(forms.STATUS_LABELS)
        problems.append(_at(grid, cell, f"自评状态“{cell.value}”不是可选的值（{options}）"))
        return None
    return choices[key]


def _date(grid: Grid, cell: Cell | None, period: Month, problems: list[Problem]) -> dt.date | None:
    if cell is None or cell.value is None:
        return None
    value = cell.value
    day = value.date() if isinstance(value, dt.datetime) else value if isinstance(value, dt.date) else None
    if isinstance(value, str) and (match := _DATE.fullmatch(unicodedata.normalize("NFKC", value).strip())):
        try:
            day = dt.date(*map(int, match.groups()))
        except ValueError:
            day = None
    if day is None:
        problems.append(_at(grid, cell, f"报送日期“{value}”不是日期：写成 {period.year}-{period.month:02d}-25 这样"))
        return None
    if day < period.first_day():
        problems.append(_at(grid, cell, f"报送日期 {day} 早于所报月份 {period}"))
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
            problems.append(_at(grid, line.value, f"{forms.VALUE}“{line.value.value}”不是数字：{NUMBER_HINT}"))
        if project is None:
            continue
        indicator = _indicator(line, indicators)
        if indicator is None:
            problems.append(_at(grid, line.value, _no_indicator(project, line, indicators)))
            continue
        if indicator.id in rows:
            problems.append(_at(grid, line.value, f"指标“{indicator.name}”重复：第 {rows[indicator.id]} 行已有"))
            continue
        rows[indicator.id] = line.value.row
        if number is not None:
            values[indicator.id] = number
            cells[indicator.id] = _at(grid, line.value, "")
    return values, cells


def _no_indicator(project: Project, line: Line, indicators: tuple[Indicator, ...]) -> str:
    cells = (line.label, line.indicator_id)
    named = next((_label(c.value) for c in cells if c is not None and c.value is not None), "")
    if named and forms.canonical(named) != forms.canonical(forms.NO_INDICATOR):
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
    key = forms.canonical(line.label.value)
    return next(
        (i for i in indicators if key in (forms.canonical(f"{i.name}（{i.unit}）"), forms.canonical(i.name))), None
    )


def number_of(value: Any) -> Decimal | None:
    """A cell as a number: numbers as they are, text as a clerk writes a plain number (全角 digits
    are read; 约100, 12,3 and 100台 are not)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, str):
        return load.parse_number(value)
    return None


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip(tables.BLANK)
        return int(text) if text.isascii() and text.isdigit() else None
    return None


def progress_text(value: Any) -> str:
    """The 推进情况 cell as text: one line a paragraph, blank lines and edges dropped."""
    if value is None:
        return ""
    text = str(value).replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")
    lines = ("".join(c for c in line if c == "\t" or unicodedata.category(c)[0] != "C") for line in text.split("\n"))
    return "\n".join(line.strip(tables.BLANK) for line in lines if line.strip(tables.BLANK))
