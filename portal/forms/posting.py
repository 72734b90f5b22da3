"""Checked form rows → report posts: composed, compared with what is there, validated, written.

A report filed before keeps the day it was first filed (a correction never makes an on-time report
late); what a correction changes (status, values, title, body) is appended to its ``revisions``
with the correction's date and reason. The closing summary is computed from the content as
loaded with the new posts, so it says what the site will show.

A post's front matter is written so that ``yamlsafe`` reads back exactly the strings put in,
and its body so that Markdown shows the clerk's text as text: a "<script>" or a "*" typed into
a cell reaches the page as those characters, never as markup.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from portal import atomic, load
from portal.errors import ContentError, Problem
from portal.forms.mirror import mirrored
from portal.load import tables, yamlsafe
from portal.model.portfolio import Portfolio
from portal.model.records import COMPLIANCE, Month, Project

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


def where(place: Problem) -> str:
    """A location as messages print it, without a message: ``file.xlsx:Sheet1!A5``."""
    return str(place).removesuffix(": ")


def publish(
    content: Path,
    shown: str,
    portfolio: Portfolio,
    filed: list[Filed],
    options: Options,
    skipped: list[tuple[Project, Month]],
    problems: list[Problem],
    holds: list[Problem],
) -> int:
    """Compose every post; refuse all on any problem (the rows' own included, so the clerk sees
    everything at once) or, without --confirm, on any hold; else write them all and say what
    was done."""
    posts = [compose(content, shown, portfolio, f, options) for f in filed]
    problems = problems + [problem for post in posts for problem in _dates(post)]
    for post in posts:
        if not post.path.parent.resolve().is_relative_to(content.resolve()):
            problems.append(Problem(post.shown, None, None, "所在文件夹链接到内容文件夹以外：请改为普通文件夹后再导入"))
    changed = [p for p in posts if p.old != p.text]
    if not options.replace:
        for post in changed:
            if post.old is not None:
                print(diff(post), end="")
                problems.append(
                    Problem(
                        post.shown,
                        None,
                        None,
                        f"已有 {post.filed.period} 的推进情况，与表格不同（差异见上）：确认以表格为准请加 --replace",
                    )
                )
    held = [] if options.confirm else holds
    if problems or held:
        raise ContentError(problems + held)
    after = _validate_result(content, shown, portfolio, changed)
    atomic.write_files({post.path: post.text.encode("utf-8") for post in changed})
    for line in summary(posts, after, skipped):
        print(line)
    if holds:
        print(f"已按 --confirm 接受 {len(holds)} 条提示。")
    return 0


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


def _dates(post: Post) -> list[Problem]:
    """The day this form was filed, where it is written: as a new report's 报送日期 (not before
    its month) or as a correction's date (not before the first filing nor the last correction)."""
    day, period = post.filing.day, post.filed.period
    if (post.old is None or post.corrected) and day < period.first_day():
        return [dataclasses.replace(post.filed.place, message=f"报送日期 {post.filing}早于所报月份 {period}")]
    if post.corrected and day < post.not_before:
        message = (
            f"更正日期 {post.filing}早于首次报送或上一次更正的日期 {post.not_before}："
            "请在报送日期栏填写或用 --submitted 写明这次更正的日期"
        )
        return [dataclasses.replace(post.filed.place, message=message)]
    return []


def diff(post: Post) -> str:
    lines = difflib.unified_diff(
        (post.old or "").splitlines(keepends=True),
        post.text.splitlines(keepends=True),
        fromfile=f"{post.shown}（现有）",
        tofile=f"{post.shown}（表格）",
    )
    return "".join(lines)


def _written(post: Post) -> str:
    if post.corrected:
        return "已更正"
    return "已写入" if post.old is None else "已覆盖"


def _validate_result(content: Path, shown: str, portfolio: Portfolio, posts: list[Post]) -> Portfolio:
    """Load the content as it would be with the posts written, exactly as check reads it: whatever
    check would say, say now. The result is what the site will show (the summary's compliance)."""
    if not posts:
        return portfolio
    with mirrored(content, {post.path: post.text for post in posts}) as mirror:
        return Portfolio.build(load.load(mirror, shown))


def summary(posts: list[Post], after: Portfolio, skipped: list[tuple[Project, Month]]) -> list[str]:
    """Each row as the site will show it: its project, the 报送日期 and where it came from, and
    whether it is on time; then the projects still without a report for their month."""
    lines = []
    for post in sorted(posts, key=lambda p: (p.filed.period, p.filed.project.seq)):
        project, period = post.filed.project, post.filed.period
        what = "未变" if post.old == post.text else _written(post)
        state = after.compliance(project, period).state
        line = f"{what} {post.shown}：{period} 序号 {project.seq} {project.name}，报送日期 {post.submitted}，{COMPLIANCE[state]}"
        if post.corrected:
            line += f"；更正日期 {post.filing}"
        if post.submitted.source == "导入当天" and state == "late":
            line += (
                "（报送日期取自导入当天：如单位实际报送日期更早，请改正本文件的 submitted 和 date；"
                "以后导入请在表格的报送日期栏填写，或加 --submitted）"
            )
        lines.append(line)
    missing = sorted({(m, p.seq) for p, m in skipped if after.report(p, m) is None})
    if missing:
        months = sorted({m for m, _ in missing})
        listed = "；".join(f"{m} 序号 {'、'.join(str(s) for n, s in missing if n == m)}" for m in months)
        lines.append(f"跳过 {len(missing)} 项（推进情况为空，仍为未报送）：{listed}")
    written = sum(post.old != post.text for post in posts)
    lines.append(f"共 {len(posts)} 项推进情况（写入 {written} 个文件），跳过 {len(missing)} 项。")
    return lines


# ---------------------------------------------------------------- writing the text


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
    return {k: v if isinstance(v, Decimal) else load.parse_number(v) for k, v in (values or {}).items()}


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
