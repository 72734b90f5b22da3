"""A checked form row → the text of its report post, written over the one already there.

A report filed before keeps the day it was first filed (a correction never makes an on-time report
late) and whatever the form does not carry; what a correction changes (status, values, title,
body) is appended to its ``revisions`` with the correction's date and reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from portal.errors import Problem
from portal.forms.posttext import front_matter, markdown_text
from portal.load import tables, yamlsafe
from portal.model.portfolio import Portfolio
from portal.model.records import Month, Project, parse_number

ORDER = ("title", "date", "kind", "projects", "source", "period", "submitted", "status", "values", "reviewed_by")


@dataclass(frozen=True)
class Options:
    """What the command line says for the whole import."""

    submitted: dt.date | None  # --submitted
    replace: bool
    reason: str | None  # --reason, for the corrections --replace makes
    confirm: bool  # write what plausibility holds


@dataclass(frozen=True)
class Filed:
    """A checked form row: what one post will say, and its cells for messages."""

    project: Project
    period: Month
    text: str
    status: str | None
    values: dict[str, Decimal]
    submitted: dt.date | None  # from the row's 报送日期, when it has one
    reviewer: str | None  # the sheet's 审核人
    place: Problem  # its 序号 cell, with an empty message
    cells: dict[str, Problem]  # each value's cell, by indicator id


@dataclass(frozen=True)
class Dated:
    """A day, and where it came from: 表格, --submitted, 导入当天, or 原有 (the report's own)."""

    day: dt.date
    source: str

    def __str__(self) -> str:
        return f"{self.day}（{self.source}）"


@dataclass(frozen=True)
class Post:
    filed: Filed
    path: Path  # in content/
    shown: str  # as messages name it
    text: str
    old: str | None  # the file's text before, when it exists
    submitted: Dated  # as written: for a report filed before, the day it was first filed (原有)
    filing: Dated  # the day this form was filed: a new report's submitted, or a correction's date
    corrected: bool  # a revision is appended
    not_before: dt.date  # a correction's earliest day: the first filing's, or the last correction's


def compose(content: Path, shown: str, portfolio: Portfolio, filed: Filed, options: Options) -> Post:
    """The post for a row; over an existing one, keep what the form does not carry, keep the day
    it was first filed, and record what the form changes as a revision."""
    project, period = filed.project, filed.period
    existing = portfolio.report(project, period)
    slug = existing.slug if existing is not None else f"reports/{period}/{project.id}"
    path = content / "updates" / f"{slug}.md"
    old = path.read_text(encoding="utf-8-sig") if path.is_file() else None
    kept, old_body = _read(old) if old is not None else ({}, "")
    filing = _filing(filed, options)
    first = kept.get("submitted")  # a correction never moves the day a report was filed
    submitted = Dated(_day(first), "原有") if first else filing
    meta: dict[str, Any] = dict(kept)
    meta.update(
        title=f"{project.name}推进情况（截至{period.month}月底）",
        date=str(submitted.day),
        kind="report",
        projects=[project.id],
        source="、".join(project.units),
        period=str(period),
        submitted=str(submitted.day),
    )
    if filed.status:
        meta["status"] = filed.status
    values = _numbers(kept.get("values")) | filed.values
    if values:
        order = [i.id for i in portfolio.indicators.get(project.id, ())]
        meta["values"] = dict(
            sorted(values.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
        )
    if filed.reviewer:
        meta["reviewed_by"] = filed.reviewer
    body = markdown_text(filed.text)
    revisions = list(meta.pop("revisions", None) or ())
    not_before = max([submitted.day, *(_day(r["date"]) for r in revisions)])
    before = _before(kept, old_body, meta, body) if old is not None else {}
    if before:
        reason = {"reason": options.reason} if options.reason else {}
        revisions.append({"date": str(filing.day), **reason, "before": before})
    ordered = {k: meta[k] for k in ORDER if k in meta} | {k: v for k, v in meta.items() if k not in ORDER}
    if revisions:
        ordered["revisions"] = revisions  # last: a list that grows with each correction
    text = "---\n" + front_matter(ordered) + "---\n\n" + body + "\n"
    return Post(filed, path, f"{shown}/updates/{slug}.md", text, old, submitted, filing, bool(before), not_before)


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text.strip(tables.BLANK))


def _filing(filed: Filed, options: Options) -> Dated:
    """The day the form was filed: its row's 报送日期, else --submitted, else today."""
    if filed.submitted is not None:
        return Dated(filed.submitted, "表格")
    if options.submitted is not None:
        return Dated(options.submitted, "--submitted")
    return Dated(dt.date.today(), "导入当天")  # the clock, only here: a form imported today was filed today


def _before(kept: dict[str, Any], old_body: str, meta: dict[str, Any], body: str) -> dict[str, Any]:
    """What the report said before, of what the form changes (status, values, title, body)."""
    before: dict[str, Any] = {}
    if kept.get("status") and kept["status"] != meta.get("status"):
        before["status"] = kept["status"]
    new = meta.get("values", {})
    changed = {k: v for k, v in _numbers(kept.get("values")).items() if new.get(k) != v}
    if changed:
        before["values"] = changed
    if kept.get("title") and kept["title"] != meta["title"]:
        before["title"] = kept["title"]
    if old_body.strip() != body.strip():
        before["body"] = old_body.strip("\n")
    return before


def _read(text: str) -> tuple[dict[str, Any], str]:
    """An existing post's front matter, its values as numbers, and its body (it loaded cleanly)."""
    lines = text.replace("\r\n", "\n").split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    meta = dict(yamlsafe.load("\n".join(lines[1:end]), "", first_line=2))
    if "values" in meta:
        meta["values"] = _numbers(meta["values"])
    for revision in meta.get("revisions") or ():
        if isinstance(revision.get("before"), dict) and "values" in revision["before"]:
            revision["before"]["values"] = _numbers(revision["before"]["values"])
    return meta, "\n".join(lines[end + 1 :])


def _numbers(values: Any) -> dict[str, Decimal]:
    """A values mapping as read (strings) or composed (numbers), as numbers."""
    return {k: v if isinstance(v, Decimal) else parse_number(v) for k, v in (values or {}).items()}
