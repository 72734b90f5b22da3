"""An import's posts, refused together or written together, and what the clerk is told.

Every post is composed first (compose.py). Any problem (the rows' own included, so that the clerk
sees everything at once), or any hold without --confirm, refuses them all; a post that differs
from the one already there is shown as a diff and needs --replace. The content as it would be
afterwards is loaded once more as a whole, as ``check`` reads it, and only then are the posts
written, each atomically. The closing summary is computed from that content as loaded, so it
says what the site will show.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass
from pathlib import Path

from portal import atomic, load
from portal.errors import ContentError, Problem
from portal.forms.compose import Filed, Options, Post, compose
from portal.forms.mirror import mirrored
from portal.model.portfolio import Portfolio
from portal.model.records import COMPLIANCE, Month, Project


@dataclass(frozen=True)
class Plan:
    """What an import would do, before anything is written."""

    portfolio: Portfolio  # the content as it is
    posts: tuple[Post, ...]  # one a checked row, composed over the post already there
    problems: tuple[Problem, ...]  # refusals: nothing is written while there is one
    holds: tuple[Problem, ...]  # values and months to confirm (--confirm)
    skipped: tuple[tuple[Project, Month], ...]  # rows left empty

    @property
    def changed(self) -> tuple[Post, ...]:
        return tuple(post for post in self.posts if post.old != post.text)

    def refusals(self, options: Options) -> list[Problem]:
        """Why nothing may be written with these options: the problems, a report that differs
        from the one there without --replace, and the holds without --confirm."""
        found = list(self.problems)
        if not options.replace:
            found += [
                Problem(
                    post.shown,
                    None,
                    None,
                    f"已有 {post.filed.period} 的推进情况，与表格不同（差异见上）：确认以表格为准请加 --replace",
                )
                for post in self.changed
                if post.old is not None
            ]
        return found + ([] if options.confirm else list(self.holds))


def plan(
    content: Path,
    shown: str,
    portfolio: Portfolio,
    filed: list[Filed],
    options: Options,
    skipped: list[tuple[Project, Month]],
    problems: list[Problem],
    holds: list[Problem],
) -> Plan:
    """Compose every post and add what is wrong with the posts themselves (their dates, a folder
    linked out of the content) to the rows' own problems."""
    posts = [compose(content, shown, portfolio, f, options) for f in filed]
    problems = problems + [problem for post in posts for problem in _dates(post)]
    for post in posts:
        if not post.path.parent.resolve().is_relative_to(content.resolve()):
            problems.append(Problem(post.shown, None, None, "所在文件夹链接到内容文件夹以外：请改为普通文件夹后再导入"))
    return Plan(portfolio, tuple(posts), tuple(problems), tuple(holds), tuple(skipped))


def publish(content: Path, shown: str, plan: Plan, options: Options) -> int:
    """Refuse all on any refusal (each differing report shown as a diff first); else write them
    all, once the content as it would be loads as check reads it, and say what was done."""
    refusals = plan.refusals(options)
    if refusals:
        if not options.replace:
            for post in plan.changed:
                if post.old is not None:
                    print(diff(post), end="")
        raise ContentError(refusals)
    for line in write(content, shown, plan):
        print(line)
    if plan.holds:
        print(f"已按 --confirm 接受 {len(plan.holds)} 条提示。")
    return 0


def write(content: Path, shown: str, plan: Plan) -> list[str]:
    """Write a plan that may be written (no refusal left): checked as a whole first, each file
    atomically; returns the closing summary, computed from the content as it is now."""
    after = _validate_result(content, shown, plan.portfolio, list(plan.changed))
    atomic.write_files({post.path: post.text.encode("utf-8") for post in plan.changed})
    return summary(list(plan.posts), after, list(plan.skipped))


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
