"""A sheet read as a form: its header row found, the month and year it speaks for, its project entries.

A form is any sheet with a header row naming 序号, 项目名称 and 推进情况: the portal's own
export, or the notice's plain four columns with its title row above and merged, wrapped cells.
A project's row may be followed by rows without 序号 that carry more of its indicators (the
export's layout). The rows under the table (填报人, 联系电话, 审核人) are read by footer.py.
Nothing here is checked against the projects: that is rows.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from portal.errors import Problem
from portal.forms import footer, labels
from portal.forms.cells import compact
from portal.forms.workbook import Grid

HEADER_SEARCH = 20  # the header row is among the first rows
_ROLES = {
    labels.SEQ: "seq",
    labels.NAME: "name",
    labels.STATUS: "status",
    labels.INDICATOR_ID: "indicator_id",
    labels.SUBMITTED: "submitted",
}
_MONTH = re.compile(r"截至(?:(\d{4})年)?(\d{1,2}|[一二三四五六七八九十]{1,3})月")
_YEAR = re.compile(r"(\d{4})年")
_CHINESE_MONTHS = {n: i for i, n in enumerate("一二三四五六七八九十", start=1)} | {"十一": 11, "十二": 12}


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
    headings = {role: compact(grid.value(header, column)) for role, column in columns.items()}
    progress_label = labels.canonical(grid.value(header, columns["progress"]))
    month = year = None
    if match := _MONTH.search(progress_label):
        number = _CHINESE_MONTHS.get(match.group(2)) or int(match.group(2))
        month = Cell(number, header, columns["progress"], headings["progress"])
        if match.group(1):
            year = Cell(int(match.group(1)), header, columns["progress"], headings["progress"])
    if year is None:
        year = _title_year(grid, header)
    entries = _entries(grid, header, columns, headings, problems)
    reviewer = footer.reviewer(r for r in grid.rows[header:] if footer.is_footer(r))
    return Form(grid, header, month, year, entries, reviewer)


def _role(label: Any) -> str | None:
    key = labels.canonical(label)
    if key.startswith(labels.PROGRESS):
        return "progress"
    if key.startswith("指标名称") or key == "指标":
        return "indicator"
    if key.startswith("本月"):
        return "value"
    return {labels.canonical(k): v for k, v in _ROLES.items()}.get(key)


def _title_year(grid: Grid, header: int) -> Cell | None:
    for row in range(1, header):
        for column, value in enumerate(grid.rows[row - 1], start=1):
            if isinstance(value, str) and (match := _YEAR.search(labels.canonical(value))):
                return Cell(int(match.group(1)), row, column, "")
    return None


def _entries(
    grid: Grid, header: int, columns: dict[str, int], headings: dict[str, str], problems: list[Problem]
) -> tuple[Entry, ...]:
    def cell(row: int, role: str) -> Cell | None:
        if role not in columns:
            return None
        return Cell(grid.value(row, columns[role]), row, columns[role], headings[role])

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
            problems.append(grid.problem(row, columns[role], headings[role], "这一行没有序号：应写在项目所在的行"))
            continue
        elif not entries:
            if "value" in filled:
                problems.append(grid.problem(row, columns["value"], headings["value"], "这一行不在任何项目之下"))
            continue
        value = cells.get("value")
        if value is not None and value.value is not None:
            entries[-1]["lines"].append(Line(cells.get("indicator_id"), cells.get("indicator"), value))
    return tuple(
        Entry(e["seq"], e["name"], e["progress"], e.get("status"), e.get("submitted"), tuple(e["lines"]))
        for e in entries
    )


def at(grid: Grid, cell: Cell, message: str) -> Problem:
    """A problem located at a cell."""
    return grid.problem(cell.row, cell.column, cell.label, message)
