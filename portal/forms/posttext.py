"""Text a clerk typed, written into a post so that it reads back exactly as typed.

The front matter is written so that ``yamlsafe`` reads back exactly the strings put in, and the
body so that Markdown shows the clerk's text as text: a "<script>" or a "*" typed into a cell
reaches the page as those characters, never as markup.
"""

from __future__ import annotations

import json
import re
import unicodedata
from decimal import Decimal
from typing import Any


def front_matter(meta: dict[str, Any]) -> str:
    """YAML that yamlsafe reads back as exactly these strings, lists and mappings; numbers plain."""
    return "".join(line + "\n" for key, value in meta.items() for line in _entry(key, value, ""))


def _entry(key: str, value: Any, indent: str) -> list[str]:
    if isinstance(value, dict):
        return [f"{indent}{key}:", *(line for k, v in value.items() for line in _entry(k, v, indent + "  "))]
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        lines = [f"{indent}{key}:"]
        for item in value:  # a block sequence of mappings: "  - date: …" then "    reason: …"
            inner = [line for k, v in item.items() for line in _entry(k, v, indent + "    ")]
            lines += [f"{indent}  - {inner[0].removeprefix(indent + '    ')}", *inner[1:]]
        return lines
    if isinstance(value, list):
        return [f"{indent}{key}: [{', '.join(_value(v, flow=True) for v in value)}]"]
    return [f"{indent}{key}: {_value(value)}"]


def _value(value: str | Decimal, flow: bool = False) -> str:
    return format(value, "f") if isinstance(value, Decimal) else scalar(value, flow)


_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`\\]([^:#]|:(?!\s)|(?<!\s)#)*")


def scalar(text: str, flow: bool = False) -> str:
    """A string as a YAML scalar: plain when nothing in it means anything to YAML, else quoted."""
    plain = (
        _PLAIN.fullmatch(text)
        and not text.endswith((":", " "))
        and all(c == " " or unicodedata.category(c)[0] not in "CZ" for c in text)
        and not (flow and any(c in ",[]{}" for c in text))
    )
    if plain:
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return "".join(_escape(c) if c != " " and unicodedata.category(c)[0] in "CZ" else c for c in quoted)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


# Characters Markdown reads as markup anywhere in a line, written as escapes or entities.
_INLINE = str.maketrans(
    {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "|": "\\|",
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
    }
)
_LINE_START = {"#": "\\#", "+": "\\+", "-": "\\-", "=": "&#61;", "~": "&#126;"}
_ORDERED = re.compile(r"^(\d+)\.")


def markdown_text(text: str) -> str:
    """The 推进情况 text as Markdown that renders to exactly that text, one line a paragraph."""
    paragraphs = []
    for line in text.split("\n"):
        line = line.translate(_INLINE)
        if line[:1] in _LINE_START:
            line = _LINE_START[line[0]] + line[1:]
        line = _ORDERED.sub(r"\1\\.", line)
        paragraphs.append(line)
    return "\n\n".join(paragraphs)
