"""Tables from CSV (as Excel and WPS save them) or YAML, validated against a Table Schema.

A clerk's file goes through three steps, each reporting every problem it finds:
decode (UTF-8, UTF-8 with BOM or GB18030, decided on the whole file), shape (the header row
and the cells under it) and frictionless (types and constraints of ``schema/*.schema.yaml``).
Row numbers are the ones Excel shows (the header is row 1); YAML rows carry their lines.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from frictionless import Resource, Schema

from portal import files, limits
from portal.errors import Problem
from portal.load import chars, yamlsafe

BLANK = " \t\r\n\u3000\ufeff\u00a0"
_TYPE_WORDS = {
    "integer": "整数",
    "number": "数字",
    "date": "有效日期（YYYY-MM-DD）",
    "boolean": "true 或 false",
    "array": "列表",
    "list": "列表",
    "object": "“键: 值”的映射",
    "string": "文字",
}


@dataclass(frozen=True)
class RawRow:
    """Cells as written, before types: strings, or lists of strings (YAML sequences)."""

    cells: dict[str, Any]
    line: int
    lines: dict[str, int] = field(default_factory=dict)
    path: str | None = None  # when rows of one table come from several files (posts)

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


@dataclass(frozen=True)
class Row:
    """A validated row: typed values, and where each came from."""

    path: str
    values: dict[str, Any]
    line: int
    lines: dict[str, int]

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name)


@cache
def load_schema(path: Path) -> Schema:
    descriptor = yamlsafe.load(path.read_text(encoding="utf-8"), str(path))
    return Schema.from_descriptor(_plain(descriptor))


def _plain(value: Any) -> Any:
    """YAML strings to the JSON types a Table Schema descriptor expects."""
    if isinstance(value, dict):
        return {k: _plain_value(k, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _plain_value(key: str, value: Any) -> Any:
    if key in {"required", "unique"}:
        return value == "true"
    if key in {"minimum", "maximum", "minLength", "maxLength"}:
        return int(value)
    return _plain(value)


def decode(data: bytes, path: str) -> str:
    """UTF-8 (with or without BOM) or GB18030, decided on the whole file, never guessed."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise yamlsafe.YamlError(
            [Problem(path, None, None, "文件是 UTF-16 编码：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”")]
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_stop = exc.start
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        # The bad bytes are where the longer of the two readings stops.
        line = data[: max(utf8_stop, exc.start)].count(b"\n") + 1
        raise yamlsafe.YamlError(
            [
                Problem(
                    path,
                    line,
                    None,
                    "无法识别文件编码（既不是 UTF-8 也不是 GB18030）："
                    "请在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”",
                )
            ]
        ) from exc


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


def read_csv(path: Path, shown: str) -> tuple[list[str], list[RawRow], int]:
    """Header, rows and the header's row number; problems raise ``YamlError``."""
    text = decode(_read(path, shown), shown)
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
    data = yamlsafe.load(_read(path, shown).decode("utf-8-sig"), shown)
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
    rows, more = validate(raw, schema, shown)
    # A missing column is said once, at the header, not again as an empty cell in every row.
    more = [p for p in more if not (p.field in absent and p.message.endswith("不能为空"))]
    return rows, problems + more


def _canon(label: str) -> str:
    return unicodedata.normalize("NFKC", label).strip(BLANK).lower()


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


def clean(cell: Any, schema_field: Any) -> Any:
    """Trim what Excel and Word leave around a cell; split list cells into their items."""
    if cell is None:
        return None
    if isinstance(cell, str):
        cell = cell.strip(BLANK)
        if schema_field.type == "list":
            return [item.strip(BLANK) for item in cell.split(schema_field.delimiter)] if cell else None
        if schema_field.type in {"number", "integer"}:
            cell = unicodedata.normalize("NFKC", cell)
        return cell if cell != "" else None
    if isinstance(cell, list) and schema_field.type == "list":
        return [c.strip(BLANK) if isinstance(c, str) else c for c in cell]
    return cell


def validate(raw: list[RawRow], schema: Schema, shown: str) -> tuple[list[Row], list[Problem]]:
    """Cast and check every row through frictionless; every error becomes a located Problem."""
    problems: list[Problem] = []
    fields = list(schema.fields)
    names = [f.name for f in fields]
    data: list[list[Any]] = [names]
    for row in raw:
        data.append([clean(row.cells.get(f.name), f) for f in fields])
        for f in fields:
            value = data[-1][names.index(f.name)]
            if isinstance(value, list) and f.type == "list" and any(v in ("", None) for v in value):
                problems.append(
                    Problem(
                        row.path or shown,
                        row.line_of(f.name),
                        f.name,
                        f"{f.title}中有空项（多了一个“{f.delimiter}”？）",
                    )
                )
            if isinstance(value, list) and f.type == "list" and not all(isinstance(v, str) for v in value):
                problems.append(Problem(row.path or shown, row.line_of(f.name), f.name, f"{f.title}的每一项都应是文字"))
    rows: list[Row] = []
    by_field = {f.name: f for f in fields}
    with Resource(data=data, schema=schema) as resource:
        for position, typed in enumerate(resource.row_stream):
            source = raw[position]
            path = source.path or shown
            for error in typed.errors:
                name = getattr(error, "field_name", None)
                cell = getattr(error, "cell", "")
                if error.type == "primary-key" and len(schema.primary_key) == 1:
                    name = schema.primary_key[0]  # frictionless names no field for a repeated key
                    cell = typed[name]
                line = source.line_of(name) if name else source.line
                message = _message(error, by_field.get(name), raw, cell)
                problems.append(Problem(path, line, name, message))
            rows.append(Row(path, typed.to_dict(), source.line, dict(source.lines)))
    return rows, problems


def _message(error: Any, f: Any, raw: list[RawRow], cell: Any) -> str:
    title = f.title if f is not None and f.title else (f.name if f is not None else "")
    hint = f"：{f.description}" if f is not None and f.description else ""
    note = getattr(error, "note", "")
    if error.type == "type-error":
        return f"{title}“{cell}”不是{_TYPE_WORDS.get(f.type, f.type)}{hint}"
    if error.type == "constraint-error":
        if '"required"' in note:
            return f"{title}不能为空"
        if '"enum"' in note:
            options = "、".join(f.constraints["enum"])
            return f"{title}“{cell}”不是可选的值（{options}）"
        if '"pattern"' in note:
            return f"{title}“{cell}”格式不对{hint}"
        if '"minimum"' in note:
            return f"{title}“{cell}”不能小于 {f.constraints['minimum']}"
        if '"maximum"' in note:
            return f"{title}“{cell}”不能大于 {f.constraints['maximum']}"
    if error.type in {"unique-error", "primary-key"}:
        match = re.search(r"position (\d+)", note)
        other = raw[int(match.group(1)) - 2].line if match else "?"
        return f"{title}“{cell}”重复：第 {other} 行已有"
    return f"{title}：{getattr(error, 'message', error.type)}"
