"""How a number and an indicator's target are written, wherever they are shown.

The pages (the ``num`` and ``target`` filters), the corrections, the open data and the monthly
report form (forms/export.py) all write them with these functions, so that the form a unit fills
in and the pages the public reads say a target the same way.
"""

from __future__ import annotations

from decimal import Decimal

from portal.model.records import Indicator

NO_VALUE = "—"
MARKS = {"at_least": "≥", "at_most": "≤"}  # a level held at or above, at or below its target


def number(value: Decimal | int | None) -> str:
    """12, 6.977, 1180: as written, without trailing zeros or exponent ("—" for no value)."""
    if value is None:
        return NO_VALUE
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def target_text(indicator: Indicator, unit: bool = True) -> str:
    """≥90 %, ≤10 %, 18 座: a level indicator's target with the direction it is held in (a
    cumulative one is a total to reach, whatever its direction: progress.indicator_state), then
    its unit; without the unit (``unit`` False) where a column beside it names it (the form)."""
    text = (MARKS[indicator.direction] if indicator.measure == "level" else "") + number(indicator.target)
    return f"{text} {indicator.unit}" if unit else text
