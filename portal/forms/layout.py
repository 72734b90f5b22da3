"""The exported form's rows and cells, laid out as a clerk reads the notice's own form.

Layout, one block of rows a project:

    A 序号 | B 项目名称 | C 目标任务 | D 推进情况（截至X月底） | E 自评状态 |
    F 指标名称（单位） | G 目标值 | H 上月值 | I 本月值 | J 报送日期 | K 指标编号 (hidden)

The project's first row carries A–E and J; each measurable indicator takes one row of F–I, so a
project with five indicators has five rows and one with none has one. A co-led project is filed by
its first-listed unit (labels.filer): on the other lead units' forms it is one locked row saying
由<unit>汇总填报. Under the table: 填报人, 联系电话 and 审核人（单位主要负责人）, as the notice
sends the form "经单位主要负责人审核后". The rows of a block are not merged (Excel and WPS cannot
grow a merged cell's height to fit the text typed into it); borders draw the block instead. Light
yellow cells are the ones to fill; every other cell is locked (formfile.py turns protection on).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from portal.forms import labels
from portal.model.records import Month, Project

SHEET = "附件2"
HEADER_ROW = 3

# (label, width); the label of D depends on the month.
COLUMNS = (
    (labels.SEQ, 6),
    (labels.NAME, 16),
    (labels.TARGET, 32),
    (labels.PROGRESS, 44),
    (labels.STATUS, 10),
    (labels.INDICATOR, 24),
    (labels.GOAL, 8),
    (labels.LAST, 10),
    (labels.VALUE, 10),
    (labels.SUBMITTED, 12),
    (labels.INDICATOR_ID, 14),
)
PROJECT_COLUMNS = (1, 2, 3, 4, 5, 10)  # one cell a project, drawn as one box down its block
INPUT_FILL = PatternFill("solid", fgColor="FFF6D5")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_THIN = Side(style="thin", color="808080")
FONT = "宋体"


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator's row in a project's block, as shown."""

    name: str
    goal: str
    last: Decimal | str | None
    indicator_id: str


@dataclass(frozen=True)
class Block:
    """One project on a unit's form: the rows it fills in, or one locked row saying who files it."""

    project: Project
    fills: bool  # False on the form of a co-lead unit that does not file it
    lines: tuple[IndicatorLine, ...]  # its measurable indicators, each a row to fill


def lay_out(
    sheet: Worksheet, period: Month, unit: str | None, due_day: int, blocks: list[Block]
) -> dict[str, list[str]]:
    """The whole form on the sheet: title, header, a block a project, the lines under the table.
    Returns the cells to fill, by kind (status, value, date), for the checks on what is typed."""
    sheet.title = SHEET
    _title_rows(sheet, period, unit, due_day)
    _header(sheet, period)
    row = HEADER_ROW + 1
    inputs: dict[str, list[str]] = {"status": [], "value": [], "date": []}
    for block in blocks:
        if block.fills:
            row = _block(sheet, row, block.project, block.lines, inputs)
        else:
            row = _filed_by_other(sheet, row, block.project)
    _footer(sheet, row + 1)
    return inputs


def _title_rows(sheet: Worksheet, period: Month, unit: str | None, due_day: int) -> None:
    last = get_column_letter(len(COLUMNS) - 1)  # the hidden id column stays outside
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = labels.title(period.year)
    sheet["A1"].font = Font(name="黑体", size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 32
    sheet.merge_cells(f"A2:{last}2")
    due = period.day(due_day)
    sheet["A2"] = (
        f"填报单位：{unit or '__________'}　　截至{period.year}年{period.month}月底　　"
        f"请于{due.month}月{due.day}日前报送\n"
        "填写说明：浅黄色单元格为填写处；自评状态从下拉列表中选择；本月值填截至本月底的累计完成值，"
        "只写数字（不写“约”、单位或千位分隔符）；推进情况为空的项目视为未报送。"
    )
    sheet["A2"].font = Font(name=FONT, size=10)
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[2].height = 36


def _header(sheet: Worksheet, period: Month) -> None:
    for column, (label, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(
            HEADER_ROW, column, labels.progress_header(period.month) if label == labels.PROGRESS else label
        )
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.column_dimensions[get_column_letter(len(COLUMNS))].hidden = True
    sheet.row_dimensions[HEADER_ROW].height = 30
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"


def _block(
    sheet: Worksheet, first: int, project: Project, lines: tuple[IndicatorLine, ...], inputs: dict[str, list[str]]
) -> int:
    """Write one project's rows from ``first``; returns the next free row."""
    height = max(len(lines), 1)
    last = first + height - 1
    for offset in range(height):
        row = first + offset
        line = lines[offset] if lines else None
        top = row == first
        prefilled = {1: project.seq, 2: project.name, 3: project.target} if top else {}
        for column in range(1, len(COLUMNS) + 1):
            cell = _put(sheet, row, column, prefilled.get(column))
            editable = (top and column in (4, 5, 10)) or (line is not None and column == 9)
            cell.protection = Protection(locked=not editable)
            cell.font = Font(name=FONT, size=11)
            centred = column in (1, 5, 7, 8, 9, 10)
            cell.alignment = Alignment(
                horizontal="center" if centred else "left",
                vertical="center" if column > 5 and column != 10 else "top",
                wrap_text=True,
            )
            if editable:
                cell.fill = INPUT_FILL
            elif column not in (4, 5, 10):  # below a yellow cell stays white: one box with it
                cell.fill = LOCKED_FILL
            if column in PROJECT_COLUMNS:
                cell.border = Border(
                    left=_THIN, right=_THIN, top=_THIN if row == first else None, bottom=_THIN if row == last else None
                )
            else:
                cell.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
        if line is None:
            _put(sheet, row, 6, labels.NO_INDICATOR)
        else:
            for column, value in ((6, line.name), (7, line.goal), (8, line.last), (11, line.indicator_id)):
                _put(sheet, row, column, value)
            inputs["value"].append(f"I{row}")
    for offset in range(height):
        row = first + offset
        texts = {c: sheet.cell(row, c).value for c in (1, 2, 3, 6)}
        sheet.row_dimensions[row].height = _height(texts, minimum_lines=3 if offset == 0 else 1)
    inputs["status"].append(f"E{first}")
    inputs["date"].append(f"J{first}")
    sheet.cell(first, 10).number_format = "yyyy-mm-dd"
    return last + 1


def _filed_by_other(sheet: Worksheet, row: int, project: Project) -> int:
    """A co-led project on a form of one of its other lead units: one locked row, nothing to fill."""
    text = f"由{labels.filer(project)}汇总填报"
    for column in range(1, len(COLUMNS) + 1):
        value = {1: project.seq, 2: project.name, 3: project.target, 4: text}.get(column)
        cell = _put(sheet, row, column, value)
        cell.protection = Protection(locked=True)
        cell.font = Font(name=FONT, size=11, italic=column == 4)
        cell.fill = LOCKED_FILL
        cell.alignment = Alignment(horizontal="center" if column == 1 else "left", vertical="top", wrap_text=True)
        cell.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
    sheet.row_dimensions[row].height = _height({c: sheet.cell(row, c).value for c in (1, 2, 3)}, minimum_lines=2)
    return row + 1


def _footer(sheet: Worksheet, first: int) -> None:
    """填报人, 联系电话, 审核人: a label merged over A:B, and the cell to fill in C (the import
    keeps only 审核人, as the report's reviewed_by)."""
    for offset, label in enumerate(labels.FOOTER):
        row = first + offset
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        cell = _put(sheet, row, 1, f"{label}：")
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = Alignment(horizontal="right", vertical="center", wrap_text=True)
        box = _put(sheet, row, 3, None)
        box.protection = Protection(locked=False)
        box.fill = INPUT_FILL
        box.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
        box.font = Font(name=FONT, size=11)
        sheet.row_dimensions[row].height = 22


def _put(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """A value into a cell, text always as text: a name starting with "=" is no formula."""
    cell = sheet.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _height(texts: dict[int, object], minimum_lines: int) -> float:
    """Points enough for every prefilled text to show whole (Excel and WPS grow no row on
    opening; a clerk's own text can grow the row with a double click on its lower border)."""
    lines = minimum_lines
    for column, text in texts.items():
        if text is None:
            continue
        room = COLUMNS[column - 1][1] - 1
        widths = [
            sum(2.2 if unicodedata.east_asian_width(c) in "WF" else 1.1 for c in p) for p in str(text).split("\n")
        ]
        lines = max(lines, sum(max(1, math.ceil(w / room)) for w in widths))
    return lines * 15 + 4
