"""月度报送's second half: what importing the uploaded forms would do, shown before anything is
written, and the import itself.

The plan is the one ``form import`` makes (forms/intake.plan): every refusal, every hold, each
report new, corrected or unchanged. It is shown in the workbench's words: each file by the name
the clerk uploaded it under (never the private copy's path), each advice that names a command
line option by the field or box that does the same here. Before the clerk confirms, the content
as it would be is loaded as ``check`` loads it, so that what the import would refuse then is
said now; the import writes through writes.through, which checks each name and logs each file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from portal import load
from portal.errors import ContentError, Problem, UsageError, visible
from portal.forms import intake, plausible, posting
from portal.forms.compose import Options, Post
from portal.forms.mirror import mirrored
from portal.model.records import Month
from portal.workbench import writes
from portal.workbench.monthfiles import Kept
from portal.workbench.web import Bench

# The command line's advice, as the workbench gives it (the messages are forms/'s own).
WORDS = (
    (plausible.CONFIRM, "确认无误请在下面勾选这条提示"),
    ("与 --period ", "与所选的月份 "),
    ("（--submitted）", "（工作台填写的报送日期）"),
    ("或用 --submitted 写明", "或在工作台的“报送日期”一栏写明"),
    ("或加 --submitted）", "或在工作台填写“报送日期”）"),
)


@dataclass(frozen=True)
class Place:
    """A refusal or a hold as shown: the file, the cell (or line), the message, and a key that
    names it from one page to the next (a hold's checkbox)."""

    file: str
    cell: str
    message: str

    @property
    def key(self) -> str:
        return hashlib.sha256(f"{self.file}\0{self.cell}\0{self.message}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Row:
    """A report the import writes or leaves as it is; a correction with its before/after lines."""

    seq: int
    name: str
    file: str
    text: str
    lines: tuple[tuple[str, str], ...] = ()  # (same, del, ins or gap, the line)


@dataclass(frozen=True)
class Review:
    period: Month
    files: tuple[str, ...]  # the uploaded files' names
    refusals: tuple[Place, ...]
    holds: tuple[Place, ...] = ()
    new: tuple[Row, ...] = ()
    corrected: tuple[Row, ...] = ()
    unchanged: tuple[Row, ...] = ()
    skipped: tuple[str, ...] = ()
    seen: str = ""  # a digest of the reports as they are and the holds: changed since, reviewed again
    plan: posting.Plan | None = field(default=None, compare=False)


def review(bench: Bench, kept: Kept | None, refused: list[Problem], period: Month, options: Options) -> Review:
    """What importing the kept files for ``period`` would do, with the files refused on upload."""
    shown = kept.shown if kept else {}
    names = tuple(name for _, name in kept.files) if kept else ()
    problems = list(refused)
    plan = None
    if kept is not None:
        try:
            plan = intake.plan(bench.content, bench.shown, [path for path, _ in kept.files], period, options)
        except ContentError as exc:
            problems += exc.problems
        except UsageError as exc:
            problems.append(Problem("", None, None, str(exc)))
    if plan is not None:
        problems += plan.problems
        if not problems:
            problems += _result(bench, plan)
    refusals = tuple(place(p, shown) for p in sorted(set(problems), key=lambda p: _order(p, shown)))
    if plan is None or refusals:
        return Review(period, names, refusals)
    return _reviewed(period, names, plan, shown)


def _reviewed(period: Month, names: tuple[str, ...], plan: posting.Plan, shown: dict[str, str]) -> Review:
    holds = tuple(place(p, shown) for p in sorted(set(plan.holds), key=lambda p: _order(p, shown)))
    posts = sorted(plan.posts, key=lambda p: (p.filed.period, p.filed.project.seq))
    old = [[post.shown, writes.digest(post.old.encode()) if post.old is not None else ""] for post in posts]
    return Review(
        period,
        names,
        (),
        holds,
        new=tuple(_row(p) for p in posts if p.old is None),
        corrected=tuple(_row(p, diff=True) for p in posts if p.old is not None and p.old != p.text),
        unchanged=tuple(_row(p) for p in posts if p.old == p.text),
        skipped=tuple(f"序号 {p.seq} {p.name}" for p, _ in sorted(plan.skipped, key=lambda s: (s[1], s[0].seq))),
        seen=hashlib.sha256(json.dumps([old, [h.key for h in holds]]).encode()).hexdigest(),
        plan=plan,
    )


def _result(bench: Bench, plan: posting.Plan) -> list[Problem]:
    """What ``check`` would say of the content with these reports written, and any report's name
    the workbench does not write to (a link)."""
    unsafe = [
        Problem(post.shown, None, None, f"不能写入：{why}")
        for post in plan.changed
        if (why := writes.problem(bench.content, post.path))
    ]
    if unsafe or not plan.changed:
        return unsafe
    with mirrored(bench.content, {post.path: post.text for post in plan.changed}) as mirror:
        try:
            load.load(mirror, bench.shown)
        except ContentError as exc:
            return exc.problems
    return []


def _row(post: Post, diff: bool = False) -> Row:
    project = post.filed.project
    return Row(project.seq, project.name, post.shown, post.text, _lines(post) if diff else ())


def _lines(post: Post) -> tuple[tuple[str, str], ...]:
    """The before/after of a correction, line by line (the diff's two file names left out)."""
    kinds = {" ": "same", "-": "del", "+": "ins", "@": "gap"}
    return tuple((kinds[line[0]], line[1:]) for line in posting.diff(post).splitlines()[2:] if line)


def place(problem: Problem, shown: dict[str, str]) -> Place:
    """A problem as shown: an uploaded file by the clerk's name for it, the advice in our words."""
    cell = problem.field or ""
    if problem.line is not None:
        cell = f"第 {problem.line} 行" + (f"（{problem.field}）" if problem.field else "")
    return Place(visible(shown.get(problem.path, problem.path)), visible(cell), said(problem.message, shown))


def said(text: str, shown: dict[str, str]) -> str:
    """A message or a summary line in the workbench's words, naming each file as the clerk does."""
    for kept, name in shown.items():
        text = text.replace(kept, name)
    for cli, ours in WORDS:
        text = text.replace(cli, ours)
    return visible(text)


def write(bench: Bench, plan: posting.Plan, options: Options, shown: dict[str, str]) -> tuple[list[str], list[Place]]:
    """Import: the summary lines, or why nothing was written. The plan's own refusals are asked
    once more (``options`` are the clerk's: every hold confirmed, a reason for corrections)."""
    refusals = plan.refusals(options)
    if refusals:
        return [], [place(p, shown) for p in refusals]
    try:
        paths = [post.path for post in plan.changed]
        lines = writes.through(bench, paths, lambda: posting.write(bench.content, bench.shown, plan))
    except ContentError as exc:
        return [], [place(p, shown) for p in exc.problems]
    except writes.Refused as exc:
        return [], [Place("", "", exc.message)]
    return [said(line, shown) for line in lines], []


def _order(problem: Problem, shown: dict[str, str]) -> tuple:
    """By file as the clerk names it (the order of upload when nothing else), then by place."""
    return (
        list(shown).index(problem.path) if problem.path in shown else len(shown),
        problem.path,
        problem.line or 0,
        problem.field or "",
        problem.message,
    )
