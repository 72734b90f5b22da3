"""A cell's value as the import reads it: a number, a whole number, a date, the 推进情况 text.

A cell holds what the file holds: numbers and dates from a workbook, text from a CSV or typed by
a clerk (全角 digits, 2020年6月20日). Each reader gives None when the cell is not what is asked;
the caller says why, at the cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal
from typing import Any

from portal.load import tables
from portal.model.records import parse_integer, parse_number

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def number_of(value: Any) -> Decimal | None:
    """A cell as a number: numbers as they are, text as a clerk writes a plain number (全角 digits
    are read; 约100, 12,3 and 100台 are not)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, str):
        try:
            return parse_number(value)
        except ValueError:
            return None
    return None


def integer(value: Any) -> int | None:
    """A 序号 as a whole number: 3, 3.0 or "３"; not 3.5, "3a" or True."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        try:
            return parse_integer(value)
        except ValueError:
            return None
    return None


def progress_text(value: Any) -> str:
    """The 推进情况 cell as text: one line a paragraph, blank lines and edges dropped."""
    if value is None:
        return ""
    text = str(value).replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")
    lines = ("".join(c for c in line if c == "\t" or unicodedata.category(c)[0] != "C") for line in text.split("\n"))
    return "\n".join(line.strip(tables.BLANK) for line in lines if line.strip(tables.BLANK))


def compact(value: Any) -> str:
    """A cell as text without any white space: a header as messages name it, a name as written."""
    return "".join(str(value or "").split())


def date_of(value: Any) -> dt.date | None:
    """A 报送日期 cell as a day: a date or a date and time from a workbook, or text like 2020-06-20,
    2020/6/20 or 2020年6月20日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and (match := _DATE.fullmatch(unicodedata.normalize("NFKC", value).strip())):
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            return None
    return None
