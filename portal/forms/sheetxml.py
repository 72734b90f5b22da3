"""What read-only openpyxl does not tell about a sheet, found in one pass over the sheet's XML.

Read-only openpyxl gives a sheet's values and nothing else: not its merged ranges (a 推进情况 cell
merged over two projects must be refused, not read as empty for the second), not which formulas
lack a computed value (it reads them as empty cells), and it parses whatever follows the rows
unless told where they end. One streaming pass finds all of that within a window of rows and
columns, dropping each element once read, so that a long sheet is never held whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter, range_boundaries

from portal import limits


@dataclass(frozen=True)
class Span:
    """A merged range of cells, as Excel shows it: one value, in its first (top left) cell."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int

    def __str__(self) -> str:
        first = f"{get_column_letter(self.first_column)}{self.first_row}"
        return f"{first}:{get_column_letter(self.last_column)}{self.last_row}"


@dataclass(frozen=True)
class Marks:
    """What read-only openpyxl does not give about a sheet."""

    spans: list[Span]  # its merged ranges that start within the rows and columns read, limits.FORM_MERGED + 1 at most
    uncomputed: list[tuple[int, int]]  # (row, column) of each formula without a computed value
    last: int  # the last row within the rows and columns read
    beyond: bool  # a value below the window's rows


def marks(source: IO[bytes]) -> Marks:
    """One pass over a sheet's XML: merged ranges, formulas without a computed value (a workbook
    written by a program, never opened in Excel; openpyxl reads them as empty cells), the last row
    to read and whether any value lies below the rows read."""
    from defusedxml.ElementTree import iterparse
    from openpyxl.xml.constants import SHEET_MAIN_NS

    ns = "{" + SHEET_MAIN_NS + "}"
    spans: list[Span] = []
    uncomputed: list[tuple[int, int]] = []
    beyond = False
    row = column = last = 0
    parent: Any = None
    for event, element in iterparse(source, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag in (ns + "sheetData", ns + "mergeCells"):
                parent = element
            elif tag == ns + "row":
                row, column = int(element.get("r") or row + 1), 0
                last = max(last, row if row <= limits.FORM_ROWS else 0)
            continue
        if tag == ns + "c":
            row, column = coordinate_to_tuple(element.get("r")) if element.get("r") else (row, column + 1)
            last = max(last, row if row <= limits.FORM_ROWS else 0)
            if column > limits.FORM_COLUMNS:
                continue
            if row > limits.FORM_ROWS:
                beyond = beyond or _holds_value(element, ns)
            elif _uncomputed(element, ns):
                uncomputed.append((row, column))
        elif tag == ns + "mergeCell":
            first_column, first_row, last_column, last_row = range_boundaries(element.get("ref", ""))
            if (
                first_row <= limits.FORM_ROWS
                and first_column <= limits.FORM_COLUMNS
                and len(spans) <= limits.FORM_MERGED
            ):
                spans.append(Span(first_row, first_column, last_row, last_column))
        if tag in (ns + "row", ns + "mergeCell"):
            parent.remove(element)  # dropped once read: a long sheet is not kept whole
    return Marks(spans, uncomputed, last, beyond)


def _holds_value(cell: Any, ns: str) -> bool:
    """Whether openpyxl reads a value from the cell: a <v> with text, or an inline string."""
    return bool(cell.findtext(ns + "v")) or cell.find(ns + "is") is not None


def _uncomputed(cell: Any, ns: str) -> bool:
    """A formula without a value: no <v>, or an empty one where the value is not text."""
    if cell.find(ns + "f") is None:
        return False
    value = cell.find(ns + "v")
    return value is None or (not value.text and cell.get("t") != "str")


def cover(spans: list[Span]) -> tuple[dict[tuple[int, int], Span], tuple[Span, Span] | None]:
    """Each cell of the merged ranges within the rows and columns read → its range; and the first two ranges that
    share a cell (a damaged file), where covering stops: the cells are never more than the window's."""
    cells: dict[tuple[int, int], Span] = {}
    for span in spans:
        for row in range(span.first_row, min(span.last_row, limits.FORM_ROWS) + 1):
            for column in range(span.first_column, min(span.last_column, limits.FORM_COLUMNS) + 1):
                if (first := cells.setdefault((row, column), span)) is not span:
                    return cells, (first, span)
    return cells, None
