"""``form export``: the month's 附件2 for every lead unit or one, as .xlsx files written safely.

A unit's form lists each of its projects of the year; a co-led project is filed by its
first-listed unit (labels.filer), and each measurable indicator shows the value last reported
before the month. -o is refused unless it names a new .xlsx file or one this tool exported that
nobody has saved since: a clerk's filled form is never overwritten. The sheet itself is laid out
by layout.py and made a file by formfile.py.
"""

from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from portal import atomic, load
from portal.errors import UsageError
from portal.forms import formfile, labels
from portal.forms.layout import Block, IndicatorLine
from portal.model.portfolio import Portfolio
from portal.model.present import number, target_text
from portal.model.records import Month, Project


@dataclass(frozen=True)
class Export:
    """One exported form: for every unit (``unit`` None) or one lead unit."""

    unit: str | None
    projects: tuple[Project, ...]
    name: str  # the default file name
    data: bytes

    def summary(self, portfolio: Portfolio) -> str:
        mine = [p for p in self.projects if files(p, self.unit)]
        indicators = sum(len(portfolio.indicators.get(p.id, ())) for p in mine)
        others = sorted({labels.filer(p) for p in self.projects if not files(p, self.unit)})
        text = f"{len(self.projects)} 个项目"
        if others:
            text += f"（其中 {len(self.projects) - len(mine)} 个由{'、'.join(others)}汇总填报，本表不填）"
        return f"{text}，{indicators} 个指标"


def run(content: Path, shown: str, period: Month, unit: str | None, output: str | None, each_unit: bool = False) -> int:
    portfolio = Portfolio.build(load.load(content, shown))
    if each_unit:
        folder = Path(output) if output else Path(".")
        if not folder.is_dir():
            raise UsageError(f"输出文件夹 {folder} 不存在：--each-unit 的 -o 应为一个文件夹 (no such folder)")
        exports = [export(portfolio, period, u) for u in units(portfolio, period)]
        targets = {folder / e.name: e for e in exports}
    else:
        one = export(portfolio, period, unit)
        targets = {Path(output) if output else Path(one.name): one}
    for target in targets:
        writable(target, content)
    atomic.write_files({target: e.data for target, e in targets.items()})
    for target, e in targets.items():
        print(f"已导出 {target}：{e.summary(portfolio)}（截至 {period.label}底）")
    return 0


def export(portfolio: Portfolio, period: Month, unit: str | None) -> Export:
    """The period's form for a unit (None: every project of the year), as bytes and a file name."""
    projects = select(portfolio, period, unit)
    name = f"附件2-推进情况-{period}{'-' + unit if unit else ''}.xlsx"
    blocks = [_block(portfolio, project, period, unit) for project in projects]
    return Export(unit, projects, name, formfile.workbook_bytes(portfolio, period, unit, blocks))


def _block(portfolio: Portfolio, project: Project, period: Month, unit: str | None) -> Block:
    """A project's place on the unit's form: its indicators to fill, unless another unit files it."""
    if not files(project, unit):
        return Block(project, False, ())
    return Block(project, True, tuple(indicator_rows(portfolio, project, period)))


def units(portfolio: Portfolio, period: Month) -> list[str]:
    """The lead units of the period's year, sorted: one form each."""
    return sorted({u for p in select(portfolio, period, None) for u in p.units})


def files(project: Project, unit: str | None) -> bool:
    """Whether the form for ``unit`` has cells to fill for this project (every form for all units)."""
    return unit is None or labels.filer(project) == unit


def select(portfolio: Portfolio, period: Month, unit: str | None) -> tuple[Project, ...]:
    """The period's year's projects, only the unit's when one is named."""
    projects = portfolio.of_year(period.year)
    if not projects:
        years = "、".join(str(y) for y in portfolio.years) or "无"
        raise UsageError(f"没有 {period.year} 年的项目清单（已有年份：{years}）")
    if unit is None:
        return projects
    chosen = tuple(p for p in projects if unit in p.units)
    if not chosen:
        known = sorted({u for p in projects for u in p.units})
        raise UsageError(f"{period.year} 年没有牵头单位“{unit}”的项目；可选的牵头单位：{'、'.join(known)}")
    return chosen


def writable(target: Path, content: Path) -> None:
    """Refuse any -o but a new .xlsx file or one this tool exported and nobody has saved since:
    never a folder, a device, a link, a file of the content folder, or a clerk's filled form."""
    if target.suffix.lower() != ".xlsx":
        raise UsageError(f"输出文件 {target} 应以 .xlsx 结尾 (-o)")
    if not target.parent.is_dir():
        raise UsageError(f"输出文件夹 {target.parent} 不存在 (no such folder)")
    if target.parent.resolve().is_relative_to(content.resolve()):
        raise UsageError(f"不能把表格导出到内容文件夹 {content} 里：请换一个位置 (-o)")
    try:
        info = target.lstat()
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode) or not _exported_unchanged(target, info.st_size):
        raise UsageError(f"{target} 已存在，且不是本工具导出后未经修改的表格：为免覆盖，请换一个文件名 (-o)")


def _exported_unchanged(path: Path, size: int) -> bool:
    """A form as this tool wrote it: our mark, and never saved by Excel or WPS since (they
    record who saved it and when, which our forms leave out)."""
    if size > 5 * 1024 * 1024:
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("docProps/core.xml")
            if info.file_size > 64 * 1024:
                return False
            core = archive.read(info).decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    stamps = re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core)
    return formfile.MARK in core and "lastModifiedBy" not in core and len(stamps) == 2 and stamps[0] == stamps[1]


def indicator_rows(portfolio: Portfolio, project: Project, period: Month) -> list[IndicatorLine]:
    """The project's indicators with the newest value reported before the period."""
    earlier = [r for r in portfolio.reports.get(project.id, ()) if r.period < period]
    rows = []
    for indicator in portfolio.indicators.get(project.id, ()):
        found = next((r for r in reversed(earlier) if indicator.id in r.values), None)
        last: Decimal | str | None = None
        if found is not None:
            last = found.values[indicator.id]
            if found.period != period.previous():
                last = f"{number(last)}（截至{found.period.month}月底）"
        rows.append(
            IndicatorLine(
                f"{indicator.name}（{indicator.unit}）", target_text(indicator, unit=False), last, indicator.id
            )
        )
    return rows
