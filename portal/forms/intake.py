"""``form import``: filled 附件2 forms → one report post a project a month, all or nothing.

First every file is read (workbook.py) and every sheet read as a form (entries.py), then every
row is checked against the projects (rows.py, each problem located at its cell) and against what
is plausible (plausible.py); then the posts are composed and the content as it would be
afterwards is loaded once more as a whole (posting.py). Only when nothing at all is wrong are
the posts written, each atomically.
"""

from __future__ import annotations

from pathlib import Path

from portal import load
from portal.errors import ContentError, Problem, UsageError
from portal.forms import entries, plausible, posting, rows, workbook
from portal.forms.compose import Filed, Options
from portal.forms.entries import Form, at
from portal.model.portfolio import Portfolio
from portal.model.records import Month, Project


def run(content: Path, shown: str, files: list[Path], period: Month | None, options: Options) -> int:
    """``form import``: the plan, then written or refused as a whole, the clerk told what and why."""
    return posting.publish(content, shown, plan(content, shown, files, period, options), options)


def plan(content: Path, shown: str, files: list[Path], period: Month | None, options: Options) -> posting.Plan:
    """What importing these files would do, nothing written: the posts, every problem and every
    hold (the command line and the workbench show the same)."""
    portfolio = Portfolio.build(load.load(content, shown))
    problems: list[Problem] = []
    parsed = [form for path in files for form in read(path, problems)]
    filed: list[Filed] = []
    skipped: list[tuple[Project, Month]] = []
    holds: list[Problem] = []
    seen: dict[tuple[str, Month], str] = {}
    for form in parsed:
        month = resolve_period(form, period, problems)
        if month is not None:
            filed += rows.check(form, month, portfolio, problems, holds, skipped, seen)
    plausible.values(filed, portfolio, problems, holds)
    return posting.plan(content, shown, portfolio, filed, options, skipped, problems, holds)


def read(path: Path, problems: list[Problem]) -> list[Form]:
    """The forms of one file, one a sheet with a form header; a file without any is a problem."""
    try:
        grids = workbook.read(path)
    except ContentError as exc:
        problems += exc.problems
        return []
    before = len(problems)
    found = [form for grid in grids if (form := entries.parse(grid, problems)) is not None]
    if not found and len(problems) == before:
        problems.append(
            Problem(str(path), None, None, "找不到表头：应有一行写着“序号”“项目名称”“推进情况（截至X月底）”")
        )
    for form in found:
        if not form.entries:
            message = "表头下没有项目行：请逐行填写序号、项目名称和推进情况"
            problems.append(form.grid.problem(form.header, 1, "", message))
    return found


def resolve_period(form: Form, given: Month | None, problems: list[Problem]) -> Month | None:
    """--period, else the header's month and the title's year; neither → ask for --period."""
    grid = form.grid
    if given is not None:
        if form.month is not None and form.month.value != given.month:
            problems.append(at(grid, form.month, f"表头写的是截至{form.month.value}月底，与 --period {given} 不符"))
        if form.year is not None and form.year.value != given.year:
            problems.append(at(grid, form.year, f"表题写的是 {form.year.value} 年，与 --period {given} 不符"))
        return given
    missing = []
    if form.month is None:
        missing.append("表头没有写明月份（推进情况（截至X月底））")
    if form.year is None:
        missing.append("表题没有写明年份（如“2020年…”）")
    if missing:
        where = grid.path + (f" 的工作表“{grid.sheet}”" if grid.sheet else "")
        raise UsageError(f"{where}：{'，'.join(missing)}。请用 --period YYYY-MM 指定所报月份")
    assert form.month is not None and form.year is not None
    if not 1 <= form.month.value <= 12:
        problems.append(at(grid, form.month, f"表头的月份“{form.month.value}”不是 1–12 月"))
        return None
    return Month(form.year.value, form.month.value)
