"""`build.py new`: scaffold a post for news staff, never overwriting one."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from portal import load, paths
from portal.errors import UsageError
from portal.load import chars, tables
from portal.model.records import check_year

FOLDERS = {
    "news": "news",
    "inspection": "inspections",
    "bulletin": "bulletins",
    "assessment": "assessments",
    "evaluation": "evaluations",
    "notice": "notices",
}


def create(content: Path, title: str, date: str, kind: str, projects: list[str], source: str, slug: str | None) -> Path:
    if kind not in FOLDERS:
        hint = "；月度推进情况请用 build.py form import" if kind == "report" else ""
        raise UsageError(f"类型应为 {'、'.join(FOLDERS)} 之一{hint}")
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise UsageError(f"日期“{date}”应写成 YYYY-MM-DD") from None
    try:
        check_year(day.year)
    except ValueError as exc:
        raise UsageError(f"日期“{date}”不对：{exc}") from None
    for label, text in (("标题", title), ("来源", source)):
        if "\n" in text or "\r" in text:
            raise UsageError(f"{label}不能换行：请写成一行")
        if chars.IN_YAML.search(text):
            raise UsageError(f"{label}{chars.message(text, chars.IN_YAML)}")
    if not title.strip(tables.BLANK):
        raise UsageError("标题不能为空")
    known = {p.id for p in load.load(content).projects}
    missing = [p for p in projects if p not in known]
    if missing:
        raise UsageError(f"项目编号不存在：{'、'.join(missing)}")
    name = slug or f"{day.isoformat()}-{_slug(title)}"
    problem = paths.segment_problem(name)
    if problem:
        raise UsageError(f"文件名“{name}”不可用：{problem}（可用 --slug 指定）")
    path = content / "updates" / FOLDERS[kind] / f"{name}.md"
    if path.exists():
        raise UsageError(f"{path} 已存在：不会覆盖，请换一个 --slug")
    lines = [
        "---",
        f"title: {_quote(title)}",
        f"date: {day.isoformat()}",
        f"kind: {kind}",
        f"projects: [{', '.join(projects)}]",
        f"source: {_quote(source)}",
        "draft: true",
    ]
    if kind == "evaluation":
        lines += ["votes:", "  satisfied: 0", "  basically_satisfied: 0", "  dissatisfied: 0", "  abstained: 0"]
    lines += ["---", "", "在这里写正文（Markdown）。写完后把上面的 draft: true 删去或改为 false 才会发布。", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write("\n".join(lines))
    return path


def _slug(title: str) -> str:
    text = re.sub(r"[^\w\-]+", "-", title).strip("-_")
    return text[:40].rstrip("-_") or "post"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
