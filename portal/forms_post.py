"""Checked form rows → report posts: composed, compared with what is there, validated, written.

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
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import forms, load, yamlsafe
from .errors import ContentError, Problem
from .model import Month, Project
from .portfolio import Portfolio

ORDER = ("title", "date", "kind", "projects", "source", "period", "submitted", "status", "values")
_IMAGES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}


@dataclass(frozen=True)
class Filed:
    """A checked form row: what one post will say, and the cell of its 序号 for messages."""

    project: Project
    period: Month
    text: str
    status: str | None
    values: dict[str, Decimal]
    submitted: dt.date | None  # from the row's 报送日期, when it has one
    place: Problem  # its 序号 cell, with an empty message


@dataclass(frozen=True)
class Post:
    filed: Filed
    path: Path  # in content/
    shown: str  # as messages name it
    text: str
    old: str | None  # the file's text before, when it exists
    submitted: dt.date
    submitted_from: str  # 表格, --submitted, 原有 or 导入当天


def where(place: Problem) -> str:
    """A location as messages print it, without a message: ``file.xlsx:Sheet1!A5``."""
    return str(place).removesuffix(": ")


def publish(
    content: Path,
    shown: str,
    portfolio: Portfolio,
    filed: list[Filed],
    submitted: dt.date | None,
    replace: bool,
    skipped: list[int],
    problems: list[Problem],
) -> int:
    """Compose every post; refuse all on any problem (the rows' own included, so the clerk sees
    everything at once); else write them all and say what was done."""
    posts = [compose(content, shown, portfolio, f, submitted) for f in filed]
    problems = problems + [
        dataclasses.replace(
            post.filed.place,
            message=f"报送日期 {post.submitted}（{post.submitted_from}）早于所报月份 {post.filed.period}",
        )
        for post in posts
        if post.submitted < post.filed.period.first_day()
    ]
    changed = [p for p in posts if p.old != p.text]
    if not replace:
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
    if problems:
        raise ContentError(problems)
    _validate_result(content, shown, changed)
    forms.write_atomically({post.path: post.text.encode("utf-8") for post in changed})
    for post in posts:
        what = "未变" if post.old == post.text else "已覆盖" if post.old is not None else "已写入"
        print(f"{what} {post.shown}（序号 {post.filed.project.seq} {post.filed.project.name}）")
    if skipped:
        print(f"跳过 {len(skipped)} 项（推进情况为空，仍为未报送）：序号 {'、'.join(map(str, sorted(skipped)))}")
    print(f"共 {len(posts)} 项推进情况（写入 {len(changed)} 个文件），跳过 {len(skipped)} 项。")
    return 0


def compose(content: Path, shown: str, portfolio: Portfolio, filed: Filed, submitted: dt.date | None) -> Post:
    """The post for a row; over an existing one, keep what the form does not carry."""
    project, period = filed.project, filed.period
    existing = portfolio.report(project, period)
    slug = existing.slug if existing is not None else f"reports/{period}/{project.id}"
    path = content / "updates" / f"{slug}.md"
    old = path.read_text(encoding="utf-8-sig") if path.is_file() else None
    kept = _front_matter(old) if old is not None else {}
    if filed.submitted is not None:
        day, source = filed.submitted, "表格"
    elif submitted is not None:
        day, source = submitted, "--submitted"
    elif "submitted" in kept:  # a corrected report keeps the day it was first filed
        day, source = dt.date.fromisoformat(kept["submitted"]), "原有"
    else:  # the clock, only here: a report imported today was filed today
        day, source = dt.date.today(), "导入当天"
    meta: dict[str, Any] = dict(kept)
    meta.update(
        title=f"{project.name}推进情况（截至{period.month}月底）",
        date=str(day),
        kind="report",
        projects=[project.id],
        source="、".join(project.units),
        period=str(period),
        submitted=str(day),
    )
    if filed.status:
        meta["status"] = filed.status
    values = dict(kept.get("values") or {}) | {k: format(v, "f") for k, v in filed.values.items()}
    if values:
        order = [i.id for i in portfolio.indicators.get(project.id, ())]
        meta["values"] = dict(
            sorted(values.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
        )
    ordered = {k: meta[k] for k in ORDER if k in meta} | {k: v for k, v in meta.items() if k not in ORDER}
    text = "---\n" + front_matter(ordered) + "---\n\n" + markdown_text(filed.text) + "\n"
    return Post(filed, path, f"{shown}/updates/{slug}.md", text, old, day, source)


def diff(post: Post) -> str:
    lines = difflib.unified_diff(
        (post.old or "").splitlines(keepends=True),
        post.text.splitlines(keepends=True),
        fromfile=f"{post.shown}（现有）",
        tofile=f"{post.shown}（表格）",
    )
    return "".join(lines)


def _validate_result(content: Path, shown: str, posts: list[Post]) -> None:
    """Load the content as it would be with the posts written: whatever check would say, say now."""
    if not posts:
        return
    with tempfile.TemporaryDirectory() as temp:
        copy = Path(temp) / "content"
        copy.mkdir()
        shutil.copy2(content / "site.yaml", copy / "site.yaml")
        for folder in ("projects", "updates"):
            if (content / folder).is_dir():
                shutil.copytree(content / folder, copy / folder, ignore=_skip_images)
        for post in posts:
            target = copy / post.path.relative_to(content)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(post.text, encoding="utf-8")
        load.load(copy, shown)


def _skip_images(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if Path(n).suffix.lower() in _IMAGES]


# ---------------------------------------------------------------- writing the text


def _front_matter(text: str) -> dict[str, Any]:
    """An existing post's front matter (it loaded cleanly, so it has one)."""
    lines = text.replace("\r\n", "\n").split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    return dict(yamlsafe.load("\n".join(lines[1:end]), "", first_line=2))


def front_matter(meta: dict[str, Any]) -> str:
    """YAML that yamlsafe reads back as exactly these strings, lists and mappings."""
    out = []
    for key, value in meta.items():
        if isinstance(value, dict):
            out.append(f"{key}:")
            out += [f"  {k}: {scalar(v)}" for k, v in value.items()]
        elif isinstance(value, list):
            out.append(f"{key}: [{', '.join(scalar(v, flow=True) for v in value)}]")
        else:
            out.append(f"{key}: {scalar(value)}")
    return "\n".join(out) + "\n"


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
