"""A post's corrections (its front matter's ``revisions``): each dated, in order, with what the
post said before, checked field by field; each problem located at its line and field, e.g.
``revisions[2].before.values.lifts`` for the second correction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from typing import Any

from portal.errors import Problems
from portal.load import yamlsafe
from portal.load.posts import Post
from portal.load.reports import check_values
from portal.load.tables import BLANK
from portal.model.records import STATUSES, Before, Revision

_REVISION_KEYS = ("date", "reason", "before")
_BEFORE_KEYS = ("status", "values", "title", "body")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_revisions(
    post: Post, kind: str, project: str | None, indicators: frozenset[tuple[str, str]], problems: Problems
) -> tuple[Revision, ...] | None:
    """The post's corrections, oldest first, or None when any is written wrong (``project``: the
    one a report's values are of, when known)."""
    meta, rel = post.meta, post.rel
    written = meta.get("revisions")
    if written in (None, ""):
        return ()
    if not isinstance(written, list):
        problems.add(rel, meta.line_of("revisions"), "revisions", "更正记录应为列表，每条以“- date: 更正日期”开始")
        return None
    found = Problems()
    revisions: list[Revision] = []
    previous: dt.date | None = None
    for number, item in enumerate(written, start=1):
        name = f"revisions[{number}]"
        if not isinstance(item, yamlsafe.Mapping):
            message = f"第 {number} 条更正记录应为“键: 值”的映射，如 - date: 2020-07-02"
            found.add(rel, meta.line_of("revisions"), name, message)
            continue
        date = _revision_date(item, name, rel, previous, found)
        previous = date or previous
        reason = item.get("reason") or ""
        if not isinstance(reason, str):
            found.add(rel, item.line_of("reason"), f"{name}.reason", "更正原因应为一段文字")
        before = _check_before(item, name, kind, project, indicators, rel, found)
        if date is not None and isinstance(reason, str) and before is not None:
            revisions.append(Revision(date, reason.strip(BLANK), before))
    problems.extend(found.items)
    return None if found else tuple(revisions)


def _revision_date(
    item: yamlsafe.Mapping, name: str, rel: str, previous: dt.date | None, problems: Problems
) -> dt.date | None:
    """The correction's date (its unknown keys said first), or None when it is wrong; a date
    before the previous correction's is said, and kept."""
    for key in item:
        if key not in _REVISION_KEYS:
            message = f"未知的字段“{key}”：更正记录只有 date、reason、before"
            problems.add(rel, item.line_of(key), f"{name}.{key}", message)
    date = _date(item, name, rel, problems)
    if date is not None and previous is not None and date < previous:
        message = f"更正日期 {date} 早于上一条更正（{previous}）：更正记录须按日期从早到晚排列"
        problems.add(rel, item.line_of("date"), f"{name}.date", message)
    return date


def _date(item: yamlsafe.Mapping, name: str, rel: str, problems: Problems) -> dt.date | None:
    text = item.get("date")
    if text in (None, ""):
        problems.add(rel, item.line_of("date"), f"{name}.date", "更正日期不能为空：写明更正的日期，如 2020-07-02")
        return None
    if isinstance(text, str) and _DATE.fullmatch(text.strip(BLANK)):
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(text.strip(BLANK))
    shown = text if isinstance(text, str) else "…"
    message = f"更正日期“{shown}”不是有效日期：格式为 YYYY-MM-DD，如 2020-07-02"
    problems.add(rel, item.line_of("date"), f"{name}.date", message)
    return None


def _check_before(
    item: yamlsafe.Mapping,
    name: str,
    kind: str,
    project: str | None,
    indicators: frozenset[tuple[str, str]],
    rel: str,
    problems: Problems,
) -> Before | None:
    """What the post said before this correction, or None when it is written wrong."""
    before = item.get("before")
    if before in (None, ""):
        return Before()
    name = f"{name}.before"
    if not isinstance(before, yamlsafe.Mapping):
        message = "before 应为“字段: 更正前的内容”的映射（可记 status、values、title、body）"
        problems.add(rel, item.line_of("before"), name, message)
        return None
    ok = True
    fields: dict[str, Any] = {}
    for key, text in before.items():
        line, field = before.line_of(key), f"{name}.{key}"
        if key == "values" and kind == "report":
            fields[key] = _before_values(text, project, indicators, rel, line, field, problems)
            ok &= fields[key] is not None
            continue
        problem = _before_problem(key, text, kind)
        if problem:
            problems.add(rel, line, field, problem)
            ok = False
        else:
            fields[key] = text if key == "body" else text.strip(BLANK)
    return Before(**fields) if ok else None


def _before_problem(key: str, text: Any, kind: str) -> str | None:
    """What is wrong with one field recorded before a correction (its values aside), or None."""
    if key not in _BEFORE_KEYS:
        return f"未知的字段“{key}”：before 只能记录 status、values、title、body"
    if key in ("status", "values") and kind != "report":
        return f"“{key}”只用于 kind: report 的更正记录"
    if not isinstance(text, str):
        return "应为一段文字"
    if key == "status" and text.strip(BLANK) not in STATUSES:
        return f"自评状态“{text}”不是可选的值（{'、'.join(STATUSES)}）"
    if key == "title" and not text.strip(BLANK):
        return "更正前的标题不能为空：没有改标题就删去这一行"
    return None


def _before_values(
    written: Any,
    project: str | None,
    indicators: frozenset[tuple[str, str]],
    rel: str,
    line: int,
    field: str,
    problems: Problems,
) -> dict[str, Any] | None:
    if not isinstance(written, yamlsafe.Mapping):
        problems.add(rel, line, field, "指标完成值应为“指标编号: 数值”的映射")
        return None
    return check_values(written, project, indicators, rel, field, problems)
