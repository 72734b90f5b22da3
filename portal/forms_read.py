"""Reading a filled form into plain grids of cells: .xlsx (XML parsed through defusedxml) or .csv.

A grid keeps cells as the file holds them (text, numbers, dates) and names a cell the way the
clerk finds it again: ``file.xlsx:Sheet1!D7`` in a workbook, ``file.csv:7:推进情况`` in a CSV.
Merged cells need nothing special: only a merged range's first cell holds a value.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from . import tables, yamlsafe
from .cli import UsageError
from .errors import ContentError, Problem

MAX_BYTES = 20 * 1024 * 1024  # a month's form is a few dozen kilobytes
MAX_UNPACKED = 200 * 1024 * 1024  # refuse zip bombs before parsing
MAX_ROWS = 5000
MAX_COLUMNS = 60
_SAVE_AS = "请在 Excel/WPS 中另存为 .xlsx 后再导入"


@dataclass(frozen=True)
class Grid:
    path: str  # as the clerk named the file
    sheet: str | None  # None for a CSV file
    rows: tuple[tuple[Any, ...], ...]  # rows[0] is row 1

    def value(self, row: int, column: int) -> Any:
        """The cell at a 1-based row and column; None when empty or outside."""
        if column < 1 or row < 1 or row > len(self.rows):
            return None
        cells = self.rows[row - 1]
        value = cells[column - 1] if column <= len(cells) else None
        return None if isinstance(value, str) and not value.strip(tables.BLANK) else value

    def problem(self, row: int | None, column: int | None, label: str, message: str) -> Problem:
        """A located problem: the cell's address in a workbook, row and column name in a CSV."""
        if self.sheet is None:
            return Problem(self.path, row, label or None, message)
        if row is None:
            return Problem(self.path, None, self.sheet, message)
        return Problem(self.path, None, f"{self.sheet}!{get_column_letter(column or 1)}{row}", message)


def read(path: Path) -> list[Grid]:
    """Every sheet of the file as a grid; an unreadable file raises ContentError."""
    shown = str(path)
    if not path.is_file():
        raise UsageError(f"找不到文件 {shown} (no such file)")
    suffix = path.suffix.lower()
    if suffix in (".xls", ".et"):
        raise ContentError([Problem(shown, None, None, f"不能读取 {suffix} 格式的表格：{_SAVE_AS}")])
    if suffix not in (".xlsx", ".csv"):
        raise ContentError([Problem(shown, None, None, f"只能导入 .xlsx 或 .csv 文件（本文件是“{path.suffix}”）")])
    if path.stat().st_size > MAX_BYTES:
        raise ContentError(
            [Problem(shown, None, None, f"文件太大（超过 {MAX_BYTES // 1024 // 1024} MB），不像是月度推进情况表")]
        )
    if suffix == ".csv":
        return [_read_csv(path, shown)]
    return _read_xlsx(path, shown)


def _read_csv(path: Path, shown: str) -> Grid:
    try:
        text = tables.decode(path.read_bytes(), shown)
    except yamlsafe.YamlError as exc:
        raise ContentError(exc.problems) from exc
    records: list[list[str]] = []
    try:
        records.extend(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise ContentError([Problem(shown, len(records) + 1, None, f"CSV 格式错误（引号不成对？）：{exc}")]) from exc
    return Grid(shown, None, tuple(tuple(r) for r in records))


def _read_xlsx(path: Path, shown: str) -> list[Grid]:
    import openpyxl

    if not openpyxl.DEFUSEDXML:  # openpyxl parses with defusedxml only when it can import it
        raise UsageError("读取 .xlsx 需要 defusedxml（pip install defusedxml），且不能设置 OPENPYXL_DEFUSEDXML=False")
    damaged = Problem(shown, None, None, f"无法读取：不是有效的 .xlsx 文件（已损坏或加密？）；{_SAVE_AS}")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise ContentError([damaged]) from exc
    if unpacked > MAX_UNPACKED:
        raise ContentError([Problem(shown, None, None, "文件解压后过大，拒绝读取")])
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # any parser failure on a clerk's file is the same message: re-save it
        raise ContentError([damaged]) from exc
    grids, problems = [], []
    try:
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # some writers record wrong dimensions; read what is there
            rows: list[tuple[Any, ...]] = []
            for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
                if number > MAX_ROWS:
                    if any(c is not None for c in cells):
                        problems.append(
                            Problem(shown, None, sheet.title, f"表格超过 {MAX_ROWS} 行，不像是月度推进情况表")
                        )
                        break
                    continue
                rows.append(tuple(cells))
            grids.append(Grid(shown, sheet.title, tuple(rows)))
    except Exception as exc:
        raise ContentError([damaged]) from exc
    finally:
        book.close()
    if problems:
        raise ContentError(problems)
    return grids
