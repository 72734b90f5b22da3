"""Rows as a Table Schema types them: what every table of content/ shares, whatever it came from.

The text of a clerk's file (``decode``: UTF-8, UTF-8 with BOM or GB18030, decided on the whole
file), the rows before and after types, the schemas of ``schema/*.schema.yaml``, and frictionless
validation with each of its errors said in Chinese at its row and field. A table file's own
shape (header, columns, CSV or YAML) is tablefiles.py's; posts' front matter and site.yaml are
validated here too, as tables of one row.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from frictionless import Resource, Schema

from portal.errors import Problem
from portal.load import yamlsafe

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
