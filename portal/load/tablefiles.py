"""A table file (CSV as Excel and WPS save it, or YAML) read into rows, then validated.

A clerk's file goes through three steps, each reporting every problem it finds: decode
(tables.decode), shape (the header row and the cells under it, here) and frictionless (the types
and constraints of ``schema/*.schema.yaml``, tables.validate). Row numbers are the ones Excel
shows (the header is row 1); YAML rows carry their lines.
"""

from __future__ import annotations

import csv
import io
import itertools
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from frictionless import Schema

from portal import files, limits
from portal.errors import Problem
from portal.load import chars, tables, yamlsafe
from portal.load.tables import BLANK, RawRow, Row


def read_table(path: Path, shown: str, schema: Schema) -> tuple[list[Row], list[Problem]]:
    """Read a .csv or .yaml table and validate it; returns good rows and all problems."""
    try:
        if path.suffix == ".csv":
            header, raw, _ = read_csv(path, shown)
            raw, problems = map_columns(header, raw, schema, shown)
            problems += [  # YAML tables are checked as they are parsed (yamlsafe)
                Problem(shown, row.line, name, chars.message(cell))
                for row in raw
                for name, cell in row.cells.items()
                if chars.FORBIDDEN.search(cell)
            ]
            absent = {f.name for f in schema.fields if not any(f.name in r.cells for r in raw[:1])}
        else:
            raw, problems = read_yaml_table(path, shown), []
            problems += _unknown_keys(raw, schema, shown)
            absent = set()
    except yamlsafe.YamlError as exc:
        return [], exc.problems
    rows, more = tables.validate(raw, schema, shown)
    # A missing column is said once, at the header, not again as an empty cell in every row.
    more = [p for p in more if not (p.field in absent and p.message.endswith("不能为空"))]
    return rows, problems + more


def read_csv(path: Path, shown: str) -> tuple[list[str], list[RawRow], int]:
    """Header, rows and the header's row number; problems raise ``YamlError``."""
    text = tables.decode(_read(path, shown), shown)
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records.extend(reader)
    except csv.Error as exc:
        raise yamlsafe.YamlError(
            [Problem(shown, len(records) + 1, None, f"CSV 格式错误（引号不成对？）：{exc}")]
        ) from exc
    if not records:
        raise yamlsafe.YamlError([Problem(shown, 1, None, "文件是空的：第 1 行应为列名")])
    _check_rows((n for n, record in enumerate(records[1:], start=2) if any(c.strip(BLANK) for c in record)), shown)
    header = records[0]
    rows = [
        RawRow({str(i): cell for i, cell in enumerate(record)}, number)
        for number, record in enumerate(records[1:], start=2)
    ]
    return header, rows, 1


def read_yaml_table(path: Path, shown: str) -> list[RawRow]:
    data = yamlsafe.load(tables.decode(_read(path, shown), shown), shown)
    if not isinstance(data, list):
        raise yamlsafe.YamlError([Problem(shown, 1, None, "应为一个列表，每项是一行（- 键: 值）")])
    _check_rows((getattr(item, "line", 1) for item in data), shown)
    rows: list[RawRow] = []
    problems = []
    for item in data:
        if not isinstance(item, yamlsafe.Mapping):
            problems.append(Problem(shown, 1, None, "列表的每一项应为“键: 值”的映射"))
            continue
        rows.append(RawRow(dict(item), item.line, dict(item.lines)))
    if problems:
        raise yamlsafe.YamlError(problems)
    return rows


def map_columns(header: list[str], raw: list[RawRow], schema: Schema, shown: str) -> tuple[list[RawRow], list[Problem]]:
    """Match the header row to the schema by field name or title; cells become name → text."""
    problems: list[Problem] = []
    names = {}
    for f in schema.fields:
        names[_canon(f.name)] = f.name
        if f.title:
            names[_canon(f.title)] = f.name
    columns: dict[int, str] = {}
    seen: dict[str, int] = {}
    used = {i for row in raw for i, cell in row.cells.items() if cell.strip(BLANK)}
    for i, label in enumerate(header):
        col = _column_letter(i)
        key = _canon(label)
        if not key:
            if str(i) in used:
                problems.append(Problem(shown, 1, None, f"第 {col} 列有内容但没有列名"))
            continue
        name = names.get(key)
        if name is None:
            known = "、".join(f"{f.name}（{f.title}）" for f in schema.fields)
            problems.append(
                Problem(shown, 1, None, f"未知的列名“{label.strip(BLANK)}”（第 {col} 列）；可用的列名：{known}")
            )
            continue
        if name in seen:
            problems.append(
                Problem(
                    shown, 1, None, f"列名“{label.strip(BLANK)}”重复：第 {_column_letter(seen[name])} 列和第 {col} 列"
                )
            )
            continue
        seen[name] = i
        columns[i] = name
    for f in schema.fields:
        if f.constraints.get("required") and f.name not in seen:
            problems.append(Problem(shown, 1, None, f"缺少必填的列“{f.name}”（{f.title}）"))
    rows = []
    width = len(header)
    for row in raw:
        texts = {int(i): cell for i, cell in row.cells.items()}
        if not any(cell.strip(BLANK) for cell in texts.values()):
            continue  # a blank row carries nothing: Excel leaves them, nothing is lost
        for i, cell in texts.items():
            if i >= width and cell.strip(BLANK):
                problems.append(Problem(shown, row.line, None, f"第 {_column_letter(i)} 列有内容，但表头没有这一列"))
        cells = {name: texts.get(i, "") for i, name in columns.items()}
        rows.append(RawRow(cells, row.line))
    return rows, problems


def _read(path: Path, shown: str) -> bytes:
    """A table file's bytes, once it is known to be a regular file within the size limit."""
    try:
        return files.read(path, limits.MAX_TABLE_BYTES, "请检查是否粘贴了多余的内容")
    except files.Refused as exc:
        raise yamlsafe.YamlError([Problem(shown, None, None, exc.message)]) from exc


def _check_rows(lines: Iterator[int], shown: str) -> None:
    """Refuse a table longer than any real one before its rows cost anything, at its first row
    too many (``lines``: the line of each row that is not blank)."""
    beyond = next(itertools.islice(lines, limits.MAX_TABLE_ROWS, None), None)
    if beyond is not None:
        message = f"行数过多：超过 {limits.MAX_TABLE_ROWS} 行（空行不计）：请检查是否粘贴了多余的内容"
        raise yamlsafe.YamlError([Problem(shown, beyond, None, message)])


def _canon(label: str) -> str:
    return unicodedata.normalize("NFKC", label).strip(BLANK).lower()


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _unknown_keys(raw: list[RawRow], schema: Schema, shown: str) -> list[Problem]:
    known = {f.name for f in schema.fields}
    return [
        Problem(shown, row.line_of(key), key, f"未知的字段“{key}”")
        for row in raw
        for key in row.cells
        if key not in known
    ]
