"""Reading a filled form into plain grids of cells: .xlsx (XML parsed through defusedxml) or .csv.

A grid keeps cells as the file holds them (text, numbers, dates) and names a cell the way the
clerk finds it again: ``file.xlsx:Sheet1!D7`` in a workbook, ``file.csv:7:推进情况`` in a CSV.
Only a merged range's first cell holds a value; the grid also says which range covers a cell,
so that a range over two projects' rows can be refused rather than read as an empty cell.

A form comes from outside, so reading it is bounded before the work that its size would make
expensive: the file, each part of a workbook as its ZIP directory declares it (zipfile never
unpacks more than that), the sheets, rows and cells. And what a clerk cannot see or Excel
would show otherwise is refused at its place, never read as something else: hidden sheets,
formulas without a computed value, overlapping merged ranges.

Every limit is here, in one place; the pass over a sheet's XML (sheetxml) and the weighing of a
workbook's parts before they are parsed (xlsxparts) read them from portal/limits.py.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import os
import stat
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils.cell import get_column_letter

from portal import limits
from portal.errors import ContentError, Problem, UsageError, visible
from portal.forms import sheetxml, xlsxparts
from portal.forms.sheetxml import Span
from portal.load import tables, yamlsafe

_MB = limits.MB
_SAVE_AS = "请在 Excel/WPS 中另存为 .xlsx 后再导入"
_TOO_LONG = f"超过 Excel 单元格 {limits.FORM_CELL} 个字符的上限：请精简后再导入"
_HIDDEN = "工作表是隐藏的：看不见的内容不能导入公开。请在 Excel/WPS 中取消隐藏并核对（不需要的请删除）后再导入"
_VERY_HIDDEN = f"工作表被设为“深度隐藏”（Excel/WPS 中看不到，也不能直接取消隐藏），不能导入：{xlsxparts.NEW_BOOK}"
_UNCOMPUTED = "公式没有计算结果：请在 Excel/WPS 中打开并保存后再导入"


@dataclass(frozen=True)
class Grid:
    path: str  # as the clerk named the file
    sheet: str | None  # None for a CSV file
    rows: tuple[tuple[Any, ...], ...]  # rows[0] is row 1
    # (row, column) of every cell inside a merged range (the first cell included) → the range
    merged: Mapping[tuple[int, int], Span] = field(default_factory=dict, compare=False)

    def value(self, row: int, column: int) -> Any:
        """The cell at a 1-based row and column; None when empty or outside."""
        if column < 1 or row < 1 or row > len(self.rows):
            return None
        cells = self.rows[row - 1]
        value = cells[column - 1] if column <= len(cells) else None
        return None if isinstance(value, str) and not value.strip(tables.BLANK) else value

    def span(self, row: int, column: int) -> Span | None:
        """The merged range the cell belongs to, if any."""
        return self.merged.get((row, column))

    def problem(self, row: int | None, column: int | None, label: str, message: str) -> Problem:
        """A located problem: the cell's address in a workbook, row and column name in a CSV."""
        if self.sheet is None:
            return Problem(self.path, row, quoted(label) if label else None, message)
        if row is None:
            return Problem(self.path, None, quoted(self.sheet), message)
        return Problem(self.path, None, f"{quoted(self.sheet)}!{get_column_letter(column or 1)}{row}", message)


def quoted(name: str) -> str:
    """A sheet or column name in a location, quoted as Excel quotes a sheet in a formula ('a b'!B9,
    a ' doubled) unless it is only letters, digits, _ and brackets: so a name cannot forge one."""
    if name and all(c.isalnum() or c in "_()（）" for c in name):
        return name
    return "'" + name.replace("'", "''") + "'"


def read(path: Path) -> list[Grid]:
    """Every sheet of the file as a grid; an unreadable file raises ContentError."""
    shown = str(path)
    suffix = path.suffix.lower()
    size = _size(path, shown)
    if suffix in (".xls", ".et"):
        raise ContentError([Problem(shown, None, None, f"不能读取 {suffix} 格式的表格：{_SAVE_AS}")])
    if suffix not in (".xlsx", ".csv"):
        raise ContentError([Problem(shown, None, None, f"只能导入 .xlsx 或 .csv 文件（本文件是“{path.suffix}”）")])
    if size > limits.FORM_BYTES:
        raise ContentError(
            [Problem(shown, None, None, f"文件太大（超过 {limits.FORM_BYTES // _MB} MB），不像是月度推进情况表")]
        )
    if suffix == ".csv":
        return [_read_csv(path, shown)]
    return _read_xlsx(path, shown)


def _size(path: Path, shown: str) -> int:
    """The file's size, looked at before it is opened (opening a pipe waits for a writer)."""
    try:
        status = os.stat(path)
    except OSError:
        raise UsageError(f"找不到文件 {shown} (no such file)") from None
    if not stat.S_ISREG(status.st_mode):
        raise UsageError(f"{shown} 不是文件（是文件夹、管道或设备）：请给出要导入的 .xlsx 或 .csv 文件 (not a file)")
    return status.st_size


# ---------------------------------------------------------------- CSV


def _read_csv(path: Path, shown: str) -> Grid:
    try:
        text = tables.decode(path.read_bytes(), shown)
    except yamlsafe.YamlError as exc:
        raise ContentError(exc.problems) from exc
    place = Problem(shown, None, None, "")
    records: list[tuple[str, ...]] = []
    cells: list[Problem] = []
    problems: list[Problem] = []
    number = 0
    try:
        for record in csv.reader(io.StringIO(text, newline=""), strict=True):
            number += 1
            if number > limits.FORM_ROWS and any(c.strip(tables.BLANK) for c in record):
                problems.append(_at(place, f"表格超过 {limits.FORM_ROWS} 行，不像是月度推进情况表"))
                break
            cells += [
                Problem(shown, number, None, f"第 {column} 列有 {len(cell)} 个字符，{_TOO_LONG}")
                for column, cell in enumerate(record, start=1)
                if len(cell) > limits.FORM_CELL
            ]
            if number <= limits.FORM_ROWS:
                records.append(tuple(record))
    except csv.Error as exc:
        if str(exc).startswith("field larger than field limit"):  # csv's own cap, above Excel's
            problems.append(Problem(shown, number + 1, None, f"有单元格{_TOO_LONG}"))
        else:
            problems.append(Problem(shown, number + 1, None, f"CSV 格式错误（引号不成对？）：{exc}"))
    if cells or problems:
        raise ContentError(_listed(cells, place) + problems)
    return Grid(shown, None, tuple(records))


def _listed(problems: list[Problem], place: Problem) -> list[Problem]:
    """The first limits.FORM_LISTED problems, then one line at place saying how many more there are."""
    if len(problems) <= limits.FORM_LISTED:
        return problems
    more = f"另有 {len(problems) - limits.FORM_LISTED} 处同类问题未列出（最多列出 {limits.FORM_LISTED} 处）：请先改正以上各处"
    return problems[: limits.FORM_LISTED] + [_at(place, more)]


def _at(place: Problem, message: str) -> Problem:
    return dataclasses.replace(place, message=message)


# ---------------------------------------------------------------- workbooks


def _read_xlsx(path: Path, shown: str) -> list[Grid]:
    import openpyxl

    if not openpyxl.DEFUSEDXML:  # openpyxl parses with defusedxml only when it can import it
        raise UsageError("读取 .xlsx 需要 defusedxml（pip install defusedxml），且不能设置 OPENPYXL_DEFUSEDXML=False")
    with path.open("rb") as file:
        try:
            with zipfile.ZipFile(file) as archive:
                sheets = xlsxparts.checked_parts(archive, shown)
                book = openpyxl.load_workbook(file, read_only=True, data_only=True, keep_links=False)
                try:
                    read = [_read_sheet(archive, sheets, sheet, shown) for sheet in book.worksheets]
                finally:
                    book.close()
        except ContentError:
            raise
        except Exception as exc:  # any parser failure on a clerk's file is the same message: re-save it
            message = f"无法读取：不是有效的 .xlsx 文件（已损坏或加密？）；{_SAVE_AS}"
            raise ContentError([Problem(shown, None, None, message)]) from exc
    problems = [p for _, found in read for p in found]
    if problems:
        raise ContentError(problems)
    return [grid for grid, _ in read if grid is not None]


def _read_sheet(archive: zipfile.ZipFile, parts: set[str], sheet: Any, shown: str) -> tuple[Grid | None, list[Problem]]:
    """The sheet as a grid, and its problems; a hidden sheet is not read at all."""
    where = Grid(shown, sheet.title, ())  # names the sheet and its cells in messages
    place = where.problem(None, None, "", "")
    if visible(sheet.title) != sheet.title:
        return None, [_at(place, "工作表名称含有控制字符：请在 Excel/WPS 中重命名这个工作表后再导入")]
    if sheet.sheet_state == "hidden":
        return None, [_at(place, _HIDDEN)]
    if sheet.sheet_state != "visible":
        return None, [_at(place, _VERY_HIDDEN)]
    if sheet._worksheet_path not in parts:  # openpyxl 3.1 (pinned) names the part it reads here
        raise ValueError("a sheet read from a part that was not checked")
    with archive.open(sheet._worksheet_path) as source:
        marks = sheetxml.marks(source)
    merged, overlap = sheetxml.cover(marks.spans)
    problems = [_at(place, f"合并单元格 {overlap[0]} 与 {overlap[1]} 重叠：文件已损坏，{_SAVE_AS}")] if overlap else []
    if len(marks.spans) > limits.FORM_MERGED:
        problems.append(
            _at(place, f"合并单元格超过 {limits.FORM_MERGED} 处，不像是月度推进情况表：请取消不必要的合并后再导入")
        )
    if marks.beyond:
        problems.append(_at(place, f"表格超过 {limits.FORM_ROWS} 行，不像是月度推进情况表"))
    cells = [where.problem(row, column, "", _UNCOMPUTED) for row, column in marks.uncomputed]
    sheet.reset_dimensions()  # some writers record wrong dimensions; read what is there
    # openpyxl parses what follows the rows too (merged ranges, validations, conditional formats,
    # into objects) unless its reading stops at the last row
    rows = tuple(itertools.islice(sheet.iter_rows(max_col=limits.FORM_COLUMNS, values_only=True), marks.last))
    cells += [
        where.problem(number, column, "", f"单元格有 {len(value)} 个字符，{_TOO_LONG}")
        for number, values in enumerate(rows, start=1)
        for column, value in enumerate(values, start=1)
        if isinstance(value, str) and len(value) > limits.FORM_CELL
    ]
    return Grid(shown, sheet.title, rows, merged), _listed(cells, place) + problems
