"""Corrections of published posts (`revisions`) and a report's 审核人 (`reviewed_by`).

Loading: the records they make and the exact message for each way of writing them wrong.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from conftest import post, run, write_tree

from portal import load
from portal.model import Before, Revision

REPORT = """\
title: 老旧小区加装电梯6月推进情况
date: 2030-06-20
kind: report
projects: [2030-02]
period: 2030-06
submitted: 2030-06-20
status: on_track
values: {lifts: 40}
"""
NEWS = "title: 新闻\ndate: 2030-06-20\nkind: news\n"


def problems(content: Path) -> list[str]:
    """The problem lines of a failing check, the tree's folder shown as ``content``."""
    code, out, err = run("check", "--content", str(content))
    *found, summary = (out + err).replace(str(content), "content").splitlines()
    assert code == 1, found
    assert summary == f"共 {len(found)} 个问题，未生成任何文件。({len(found)} problem(s))"
    return found


def report(content: Path, extra: str) -> Path:
    return write_tree(content, {"updates/reports/2030-06/2030-02.md": post(REPORT + extra)})


def news(content: Path, extra: str) -> Path:
    return write_tree(content, {"updates/news/a.md": post(NEWS + extra)})


# ---------------------------------------------------------------- loading


def test_a_report_keeps_its_corrections_and_reviewer(content: Path) -> None:
    report(
        content,
        """\
reviewed_by: 张三
revisions:
  - date: 2030-07-02
    reason: 区民政局更正本月值
    before:
      status: lagging
      values:
        lifts: 30
      title: 旧标题
      body: "旧的正文\\n第二段"
  - date: 2030-07-02
""",
    )
    (update,) = load.load(content).updates
    assert update.reviewed_by == "张三"
    assert update.revisions == (
        Revision(
            dt.date(2030, 7, 2),
            "区民政局更正本月值",
            Before(title="旧标题", body="旧的正文\n第二段", status="lagging", values={"lifts": Decimal(30)}),
        ),
        Revision(dt.date(2030, 7, 2)),
    )
    assert update.body == "正文。\n"  # kept: a correction records an older body


def test_news_may_carry_corrections_of_its_title_and_body(content: Path) -> None:
    news(content, "revisions:\n  - date: 2030-06-21\n    before: {title: 旧标题}\n")
    (update,) = load.load(content).updates
    assert update.revisions == (Revision(dt.date(2030, 6, 21), "", Before(title="旧标题")),)
    assert update.body == ""  # no correction records the body: the source is not kept


def test_revisions_not_a_list(content: Path) -> None:
    news(content, "revisions:\n  date: 2030-07-02\n")
    assert problems(content) == [
        "content/updates/news/a.md:5:revisions: 更正记录应为列表，每条以“- date: 更正日期”开始",
    ]


def test_a_revision_not_a_mapping(content: Path) -> None:
    news(content, "revisions:\n  - 2030-07-02\n")
    assert problems(content) == [
        "content/updates/news/a.md:5:revisions[1]: 第 1 条更正记录应为“键: 值”的映射，如 - date: 2020-07-02",
    ]


def test_revision_dates_missing_invalid_or_going_backwards(content: Path) -> None:
    news(
        content,
        """\
revisions:
  - date: 2030-07-05
  - date: 2030-07-01
  - date: 2030-13-01
  - date: 2030/7/9
  - reason: 漏写日期
""",
    )
    assert problems(content) == [
        "content/updates/news/a.md:7:revisions[2].date: 更正日期 2030-07-01 早于上一条更正（2030-07-05）："
        "更正记录须按日期从早到晚排列",
        "content/updates/news/a.md:8:revisions[3].date: 更正日期“2030-13-01”不是有效日期：格式为 YYYY-MM-DD，如 2020-07-02",
        "content/updates/news/a.md:9:revisions[4].date: 更正日期“2030/7/9”不是有效日期：格式为 YYYY-MM-DD，如 2020-07-02",
        "content/updates/news/a.md:10:revisions[5].date: 更正日期不能为空：写明更正的日期，如 2020-07-02",
    ]


def test_unknown_keys_and_a_reason_that_is_not_text(content: Path) -> None:
    news(
        content,
        """\
revisions:
  - date: 2030-07-02
    reasons: 笔误
    reason: [笔误]
    before:
      summary: 旧摘要
""",
    )
    assert problems(content) == [
        "content/updates/news/a.md:7:revisions[1].reasons: 未知的字段“reasons”：更正记录只有 date、reason、before",
        "content/updates/news/a.md:8:revisions[1].reason: 更正原因应为一段文字",
        "content/updates/news/a.md:10:revisions[1].before.summary: 未知的字段“summary”：before 只能记录 status、values、title、body",
    ]


def test_before_not_a_mapping_and_an_empty_old_title(content: Path) -> None:
    news(
        content, "revisions:\n  - date: 2030-07-02\n    before: 旧标题\n  - date: 2030-07-03\n    before: {title: ''}\n"
    )
    assert problems(content) == [
        "content/updates/news/a.md:7:revisions[1].before: "
        "before 应为“字段: 更正前的内容”的映射（可记 status、values、title、body）",
        "content/updates/news/a.md:9:revisions[2].before.title: 更正前的标题不能为空：没有改标题就删去这一行",
    ]


def test_status_and_values_only_on_a_report(content: Path) -> None:
    news(content, "revisions:\n  - date: 2030-07-02\n    before:\n      status: done\n      values: {lifts: 1}\n")
    assert problems(content) == [
        "content/updates/news/a.md:8:revisions[1].before.status: “status”只用于 kind: report 的更正记录",
        "content/updates/news/a.md:9:revisions[1].before.values: “values”只用于 kind: report 的更正记录",
    ]


def test_old_status_and_values_checked_like_the_report_own(content: Path) -> None:
    report(
        content,
        """\
revisions:
  - date: 2030-07-02
    before:
      status: late
      body: [旧]
      values:
        lifts: 约30
        toilets: 3
  - date: 2030-07-03
    before:
      values: 30
""",
    )
    assert problems(content) == [
        "content/updates/reports/2030-06/2030-02.md:13:revisions[1].before.status: "
        "自评状态“late”不是可选的值（not_started、on_track、lagging、done）",
        "content/updates/reports/2030-06/2030-02.md:14:revisions[1].before.body: 应为一段文字",
        "content/updates/reports/2030-06/2030-02.md:16:revisions[1].before.values.lifts: "
        "指标完成值“约30”不是数字：只写数字，如 12 或 6.5",
        "content/updates/reports/2030-06/2030-02.md:17:revisions[1].before.values.toilets: 项目 2030-02 没有指标“toilets”",
        "content/updates/reports/2030-06/2030-02.md:20:revisions[2].before.values: 指标完成值应为“指标编号: 数值”的映射",
    ]


def test_reviewed_by_only_on_a_report(content: Path) -> None:
    news(content, "reviewed_by: 张三\n")
    assert problems(content) == ["content/updates/news/a.md:5:reviewed_by: “reviewed_by”只用于 kind: report"]
