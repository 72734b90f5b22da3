"""The project and indicator lists: projects/<year>.csv and projects/<year>-indicators.csv (or .yaml).

Each row is checked against its schema (tablefiles.py), then against the other rows: 序号 and
ids, a project in one list only, an indicator's project in its year's list, and the names that
become URLs (units/<单位>/, leaders/<姓名>/, projects/category/<领域>/).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from portal import files, paths
from portal.errors import Problems
from portal.load import tablefiles, tables
from portal.load.walk import Inside
from portal.model.records import Indicator, Project, Source
from portal.paths import SCHEMA_DIR

_PROJECT_FILE = re.compile(r"^(\d{4})(-indicators)?\.(csv|yaml)$")


@dataclass(frozen=True)
class Lists:
    """The valid projects (by id) and indicators, and every id written in a list, its row valid or
    not (a post naming a listed project whose row is wrong is not told again that it does not exist)."""

    projects: Mapping[str, Project]
    indicators: tuple[Indicator, ...]
    listed: frozenset[str]


def read(content: Path, shown: str, problems: Problems) -> Lists:
    folder = content / "projects"
    if not folder.is_dir():
        problems.add(f"{shown}/projects", None, None, "找不到项目清单文件夹 projects/")
        return Lists({}, (), frozenset())
    lists, indicator_files = _files(folder, content, shown, problems)
    projects: dict[str, Project] = {}
    listed: set[str] = set()
    for year, path in sorted(lists.items()):
        _read_projects(year, path, f"{shown}/projects/{path.name}", projects, listed, problems)
    indicators: list[Indicator] = []
    for year, path in sorted(indicator_files.items()):
        indicators += _read_indicators(year, path, f"{shown}/projects/{path.name}", projects, listed, problems)
    return Lists(projects, tuple(indicators), frozenset(listed))


def _files(folder: Path, content: Path, shown: str, problems: Problems) -> tuple[dict[int, Path], dict[int, Path]]:
    """The project lists and the indicator lists, by year; any other file said to be unknown."""
    lists: dict[int, Path] = {}
    indicator_files: dict[int, Path] = {}
    inside = Inside(content)
    for path in sorted(folder.iterdir()):
        rel = f"{shown}/projects/{path.name}"
        if path.name.startswith("."):
            continue
        match = _PROJECT_FILE.match(path.name)
        refused = files.problem(path) if match else None
        if refused:
            problems.add(rel, None, None, refused)
            continue
        if not match or not inside(path):
            problems.add(rel, None, None, "未知的文件：项目清单应命名为 <年份>.csv，指标为 <年份>-indicators.csv")
            continue
        year = int(match.group(1))
        target = indicator_files if match.group(2) else lists
        if year in target:
            problems.add(rel, None, None, f"与 {target[year].name} 重复：同一年份只能有一个（.csv 或 .yaml）")
            continue
        target[year] = path
    return lists, indicator_files


def _read_projects(
    year: int, path: Path, rel: str, projects: dict[str, Project], listed: set[str], problems: Problems
) -> None:
    """Add the year's list to ``projects`` (its valid rows) and ``listed`` (every id written)."""
    rows, found = tablefiles.read_table(path, rel, tables.load_schema(SCHEMA_DIR / "projects.schema.yaml"))
    problems.extend(found)
    seqs: dict[int, int] = {}
    for row in rows:
        seq, pid = row["seq"], row["id"]
        listed.add(pid)
        if seq is not None:
            if seq in seqs:
                problems.add(rel, row.line_of("seq"), "seq", f"序号 {seq} 重复：第 {seqs[seq]} 行已有")
            seqs.setdefault(seq, row.line)
            expected = f"{year}-{seq:02d}"
            if pid is not None and pid != expected:
                problems.add(rel, row.line_of("id"), "id", f"编号“{pid}”应为“{expected}”（文件年份-序号）")
        _check_names(row, rel, problems)
        if None in (pid, seq, row["name"], row["target"], row["leaders"], row["units"], row["level"]):
            continue
        if pid in projects:
            other = projects[pid].source
            if other.path != rel:  # within one file the schema's primaryKey has said it
                problems.add(rel, row.line_of("id"), "id", f"编号“{pid}”重复：{other.path}:{other.line} 已有")
            continue
        projects[pid] = _project(row, year, rel)


def _check_names(row: tables.Row, rel: str, problems: Problems) -> None:
    """Each of these names a page: units/<单位>/, leaders/<姓名>/, projects/category/<领域>/."""
    for name, items in (("leaders", row["leaders"]), ("units", row["units"]), ("category", [row["category"]])):
        for item in filter(None, items or ()):
            reason = paths.segment_problem(item)
            if reason:
                problems.add(rel, row.line_of(name), name, f"“{item}”不能用作网址：{reason}")


def _project(row: tables.Row, year: int, rel: str) -> Project:
    return Project(
        id=row["id"],
        year=year,
        seq=row["seq"],
        name=row["name"],
        target=row["target"],
        leaders=tuple(row["leaders"]),
        units=tuple(row["units"]),
        level=row["level"],
        voted=bool(row["voted"]),
        category=row["category"] or "",
        source=Source(rel, row.line),
    )


def _read_indicators(
    year: int, path: Path, rel: str, projects: Mapping[str, Project], listed: set[str], problems: Problems
) -> list[Indicator]:
    """The year's valid indicators, each of a project in the year's list."""
    rows, found = tablefiles.read_table(path, rel, tables.load_schema(SCHEMA_DIR / "indicators.schema.yaml"))
    problems.extend(found)
    indicators: list[Indicator] = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        project, iid = row["project"], row["id"]
        if project is not None and project not in projects:
            if project not in listed:  # a listed project's own row has been reported already
                problems.add(rel, row.line_of("project"), "project", f"项目编号“{project}”不在 {year} 年的项目清单中")
            continue
        if project is not None and projects[project].year != year:
            problems.add(rel, row.line_of("project"), "project", f"项目“{project}”不属于 {year} 年")
            continue
        if (project, iid) in seen:
            problems.add(
                rel, row.line_of("id"), "id", f"指标编号“{iid}”在项目 {project} 中重复：第 {seen[project, iid]} 行已有"
            )
            continue
        if None in (project, iid, row["name"], row["target"], row["unit"], row["measure"]):
            continue
        seen[project, iid] = row.line
        indicators.append(_indicator(row, rel))
    return indicators


def _indicator(row: tables.Row, rel: str) -> Indicator:
    return Indicator(
        project=row["project"],
        id=row["id"],
        name=row["name"],
        target=row["target"],
        unit=row["unit"],
        measure=row["measure"],
        direction=row["direction"] or "at_least",
        source=Source(rel, row.line),
    )
