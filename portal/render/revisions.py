"""Corrections of published posts as readers see them: each one's date, reason and what it
changed, before → after, computed here once for the pages, the feeds and the open data.

A post's ``revisions`` record what each correction replaced (``before``); what it became is
that field's value in the ``before`` of the next correction that records it, else the post's
value now. A public record that was corrected says so, and says how, wherever it is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

from portal.model.portfolio import Portfolio
from portal.model.present import number
from portal.model.records import STATUSES, Before, Indicator, Update

_UNSET = "（未填）"
T = TypeVar("T")


@dataclass(frozen=True)
class Change:
    """One field a correction changed, as text: ``field`` names it for data (status, title,
    body, values.<indicator id>), ``label`` for readers (自评状态, 标题, 正文, the indicator's
    name); ``before`` and ``after`` as shown (a value with its unit, a status by its label)."""

    field: str
    label: str
    before: str
    after: str
    before_data: str  # as open data has it: the number alone, the status's code
    after_data: str
    current: bool  # ``after`` is what the post says now (no later correction recorded it)

    @property
    def is_body(self) -> bool:
        """The Markdown source of a body: shown as plain text, folded, never as HTML."""
        return self.field == "body"


@dataclass(frozen=True)
class Correction:
    """One correction of a post, numbered from 1 (the oldest)."""

    number: int
    date: dt.date
    reason: str
    changes: tuple[Change, ...]  # empty when the correction recorded nothing of before


def corrections(update: Update, indicators: tuple[Indicator, ...] = ()) -> tuple[Correction, ...]:
    """The post's corrections, oldest first; ``indicators`` are its project's (for a report)."""
    befores = [r.before for r in update.revisions]
    return tuple(
        Correction(n, r.date, r.reason, tuple(_changes(update, r.before, befores[n:], indicators)))
        for n, r in enumerate(update.revisions, start=1)
    )


def corrections_of(p: Portfolio, update: Update) -> tuple[Correction, ...]:
    """A post's corrections, a report's values named by its project's indicators."""
    indicators = p.indicators.get(update.projects[0], ()) if update.kind == "report" else ()
    return corrections(update, indicators)


def updated(update: Update) -> dt.date:
    """When the post last changed: its newest correction (they run oldest first), else its date."""
    return max(update.date, update.revisions[-1].date) if update.revisions else update.date


def _changes(
    update: Update, before: Before, later: list[Before], indicators: tuple[Indicator, ...]
) -> Iterator[Change]:
    """What one correction changed: title, status, each value (in the indicators' order), body."""
    if before.title is not None:
        after, current = _after([b.title for b in later], update.title)
        yield Change("title", "标题", before.title, after, before.title, after, current)
    if before.status is not None:
        status, current = _after([b.status for b in later], update.status)
        yield Change(
            "status", "自评状态", _status(before.status), _status(status), before.status, status or "", current
        )
    named = {i.id: i for i in indicators}
    order = {key: n for n, key in enumerate(named)}
    for key in sorted(before.values, key=lambda k: order.get(k, len(order))):
        value, current = _after([b.values.get(key) for b in later], update.values.get(key))
        indicator = named.get(key)
        unit = f" {indicator.unit}" if indicator else ""
        old, new = number(before.values[key]), "" if value is None else number(value)
        label = indicator.name if indicator else key
        yield Change(f"values.{key}", label, old + unit, new + unit if new else _UNSET, old, new, current)
    if before.body is not None:
        body, current = _after([b.body for b in later], update.body)
        old, new = before.body.strip(), (body or "").strip()  # a file's last newline is no part of it
        yield Change("body", "正文", old, new, old, new, current)


def _after(later: list[T | None], now: T | None) -> tuple[T | None, bool]:
    """What a field became: the first later correction's record of it, else its value now."""
    recorded = next((value for value in later if value is not None), None)
    return (now, True) if recorded is None else (recorded, False)


def _status(code: str | None) -> str:
    return STATUSES[code] if code else _UNSET
