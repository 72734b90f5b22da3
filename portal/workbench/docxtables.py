"""A Word table as a Markdown table (Python-Markdown's tables extension): one line a row, the
first row its header.

A Markdown cell holds one line of text, so what Word allows beyond that is flattened, and the
editor told: a merged cell's text stays in its first cell and the cells it covered are left
empty; a cell's paragraphs, list items and any table inside it are joined into one line.
"""

from __future__ import annotations

from collections.abc import Callable

from portal.workbench.docxhtml import Node

MAX_SPAN = 63  # Word's own most columns in a table; a larger span is a damaged or hostile file
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6"}
_MERGED = "表格中的合并单元格已拆开：合并格的文字只留在第一格，其余格留空，请在预览中核对"
_PARAGRAPHS = "表格中一格里的多段文字（或列表）已合成一行，段与段之间用空格隔开"
_NESTED = "表格里套着的表格已展开成文字，放在外层表格的格子里"


class Table:
    """One table's Markdown, written with the body's own inline writer; notes on what was flattened."""

    def __init__(self, inline: Callable[[list[Node | str]], str]):
        self.inline = inline
        self.notes: list[str] = []

    def markdown(self, table: Node) -> str:
        grid = self._grid(table)
        if not grid:
            return ""
        width = max(map(len, grid))
        rows = [row + [""] * (width - len(row)) for row in grid]
        lines = [_line(rows[0]), _line(["---"] * width), *map(_line, rows[1:])]
        return "\n".join(lines)

    def _grid(self, table: Node) -> list[list[str]]:
        """The table's text, a list a row, one string a column: spans filled with empty cells."""
        grid: list[list[str]] = []
        below: dict[int, int] = {}  # column → rows that a cell above still covers
        for row in _rows(table):
            line: list[str] = []
            for cell in (c for c in row.children if _tag(c) in ("td", "th")):
                _covered(line, below)
                across, down = _span(cell, "colspan"), _span(cell, "rowspan")
                if across > 1 or down > 1:
                    self.notes.append(_MERGED)
                for column in range(len(line), len(line) + across):
                    below[column] = down - 1
                line += [self._cell(cell)] + [""] * (across - 1)
            while any(column >= len(line) and left for column, left in below.items()):
                if below.get(len(line)):
                    _covered(line, below)
                else:
                    line.append("")
            grid.append(line)
        return grid

    def _cell(self, cell: Node) -> str:
        pieces = [piece for piece in self._pieces(cell.children) if piece]
        if len(pieces) > 1:
            self.notes.append(_PARAGRAPHS)
        return " ".join(pieces)

    def _pieces(self, nodes: list[Node | str]) -> list[str]:
        """The cell's paragraphs and list items, each as one line of Markdown."""
        pieces: list[str] = []
        loose: list[Node | str] = []  # text and inline elements outside any paragraph
        for node in nodes:
            tag = _tag(node)
            if tag in _BLOCKS or tag in ("ol", "ul", "table"):
                pieces.append(self.inline(loose).strip())
                loose = []
            if tag == "table":
                self.notes.append(_NESTED)
            if tag in _BLOCKS:
                own = [c for c in node.children if _tag(c) not in ("ol", "ul", "table")]
                pieces.append(self.inline(own).strip())
                pieces += self._pieces([c for c in node.children if _tag(c) in ("ol", "ul", "table")])
            elif tag in ("ol", "ul", "table", "thead", "tbody", "tfoot", "tr", "td", "th"):
                pieces += self._pieces(node.children)
            else:
                loose.append(node)
        return [*pieces, self.inline(loose).strip()]


def _tag(node: Node | str) -> str:
    return "" if isinstance(node, str) else node.tag


def _rows(table: Node) -> list[Node]:
    """The table's own rows, in a header, body or footer or not (not those of a table inside)."""
    grouped = [row for c in table.children if _tag(c) in ("thead", "tbody", "tfoot") for row in c.children]
    return [row for row in table.children + grouped if isinstance(row, Node) and row.tag == "tr"]


def _covered(line: list[str], below: dict[int, int]) -> None:
    """Empty cells for the columns at the line's end that a cell above spans down into."""
    while below.get(len(line), 0) > 0:
        below[len(line)] -= 1
        line.append("")


def _span(cell: Node, name: str) -> int:
    value = cell.attrs.get(name, "1")
    return max(1, min(int(value), MAX_SPAN)) if value.isascii() and value.isdigit() else 1


def _line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
