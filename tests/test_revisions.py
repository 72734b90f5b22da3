"""Corrections of published posts (`revisions`) and a report's 审核人 (`reviewed_by`).

Loading: the records they make and the exact message for each way of writing them wrong.
The site: every page that shows a corrected post says so and lists what each correction
changed; its feed entry and data/revisions.csv carry the same.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import feedparser
import pytest
from conftest import INDICATORS_CSV, PROJECTS_CSV, SITE_YAML, post, run, write_tree
from frictionless import Package

from portal import load
from portal.model.records import Before, Revision

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
ATOM = "{http://www.w3.org/2005/Atom}"


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


# ---------------------------------------------------------------- the site


CORRECTED_REPORT = (
    REPORT
    + """\
reviewed_by: 张三
revisions:
  - date: 2030-07-02
    reason: <b>区民政局</b>更正本月值
    before:
      status: lagging
      values: {lifts: 30}
      title: 旧标题
      body: "旧的 <script>alert(1)</script>\\n第二段"
  - date: 2030-07-05
    before:
      values: {lifts: 35}
  - date: 2030-07-06
"""
)
CORRECTED_NEWS = """\
title: 助餐点开业
date: 2030-05-02
kind: news
projects: [2030-03]
revisions:
  - date: 2030-05-03
    reason: =错别字
    before: {body: 第一版}
  - date: 2030-05-04
    before: {body: 第二版}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site with a corrected report, a news post whose body was corrected twice, and one never corrected."""
    root = tmp_path_factory.mktemp("revisions")
    content = write_tree(
        root / "content",
        {
            "site.yaml": SITE_YAML,
            "projects/2030.csv": PROJECTS_CSV,
            "projects/2030-indicators.csv": INDICATORS_CSV,
            "updates/reports/2030-06/2030-02.md": post(CORRECTED_REPORT, "新的正文。"),
            "updates/news/canteen.md": post(CORRECTED_NEWS, "第三版"),
            "updates/news/plain.md": post(NEWS),
        },
    )
    code, _, err = run("build", "--content", str(content), "--out", str(root / "site"))
    assert code == 0, err
    return root / "site"


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


REPORT_CHANGES = """\
<li id="{a}-1">
<p><time datetime="2030-07-02">2030年7月2日</time>更正：&lt;b&gt;区民政局&lt;/b&gt;更正本月值</p>
<ul>
<li>标题：旧标题 → 老旧小区加装电梯6月推进情况</li>
<li>自评状态：滞后 → 序时推进</li>
<li>加装电梯：30 台 → 35 台</li>
<li>正文：
<details><summary>更正前的正文</summary><div class="plain-text">旧的 &lt;script&gt;alert(1)&lt;/script&gt;
第二段</div></details>
<p>更正后的正文即现在发布的正文。</p></li>
</ul>
</li>
<li id="{a}-2">
<p><time datetime="2030-07-05">2030年7月5日</time>更正</p>
<ul>
<li>加装电梯：35 台 → 40 台</li>
</ul>
</li>
<li id="{a}-3">
<p><time datetime="2030-07-06">2030年7月6日</time>更正</p>
<p>未记录更正前的内容。</p>
</li>
</ol>
</section>"""


def test_the_report_page_lists_each_correction_and_its_reviewer(site: Path) -> None:
    html = page(site, "updates/reports/2030-06/2030-02")
    assert (
        '<p class="corrected-note" role="note" data-pagefind-ignore><strong class="tag tag-corrected">已更正</strong> '
        '本文发布后更正过 3 次，最近一次在 <time datetime="2030-07-06">2030年7月6日</time>：'
        '<a href="#corrections">查看更正记录</a>。</p>'
    ) in html
    assert '<h2 id="corrections">更正记录</h2>' in html
    assert REPORT_CHANGES.format(a="corrections") in html
    assert "<dt>审核人</dt><dd>张三</dd>" in html
    assert "<script>alert" not in html


def test_the_project_page_lists_them_under_the_month(site: Path) -> None:
    html = page(site, "projects/2030-02")
    assert (
        "｜牵头单位自评：序时推进｜审核人：张三｜"
        '<a class="tag tag-corrected" href="#month-2030-06-corrections">已更正</a></p>'
    ) in html
    assert '<h4 id="month-2030-06-corrections">更正记录</h4>' in html
    assert REPORT_CHANGES.format(a="month-2030-06-corrections") in html
    mark = (
        '<a class="tag tag-corrected" href="/updates/reports/2030-06/2030-02/#corrections">'
        '已更正<span class="visually-hidden">：查看更正记录</span></a>'
    )
    assert f'<span class="compliance compliance-on_time">按时报送</span> {mark}</td>' in html  # 月度报送记录
    assert html.count(mark) == 2  # and 相关动态


def test_tables_and_lists_that_show_the_report_mark_it(site: Path) -> None:
    mark = '<a class="tag tag-corrected" href="/updates/reports/2030-06/2030-02/#corrections">已更正'
    assert f"<p>{mark}" in page(site, "reports/2030-06")
    assert f"原文</a> {mark}" in page(site, "deputies")
    for listing in ("", "updates", "kinds/report"):
        assert f"6月推进情况</a> {mark}" in page(site, listing), listing


def test_a_body_corrected_twice_shows_each_version_as_text(site: Path) -> None:
    html = page(site, "updates/news/canteen")
    assert (
        "<li>正文：\n"
        '<details><summary>更正前的正文</summary><div class="plain-text">第一版</div></details>\n'
        '<details><summary>这次更正后的正文</summary><div class="plain-text">第二版</div></details></li>\n'
    ) in html
    assert (
        "<li>正文：\n"
        '<details><summary>更正前的正文</summary><div class="plain-text">第二版</div></details>\n'
        "<p>更正后的正文即现在发布的正文。</p></li>"
    ) in html


def test_a_post_never_corrected_says_nothing_of_it(site: Path) -> None:
    assert "更正" not in page(site, "updates/news/plain")


def test_the_feed_entry_carries_the_corrections(site: Path) -> None:
    feed = feedparser.parse(str(site / "feed.xml"))
    assert not feed.bozo
    assert feed.feed.updated == "2030-07-06T00:00:00+08:00"
    entries = {e.title: e for e in feed.entries}
    report, news, plain = entries["老旧小区加装电梯6月推进情况"], entries["助餐点开业"], entries["新闻"]
    assert (report.published, report.updated) == ("2030-06-20T00:00:00+08:00", "2030-07-06T00:00:00+08:00")
    assert (news.published, news.updated) == ("2030-05-02T00:00:00+08:00", "2030-05-04T00:00:00+08:00")
    assert plain.updated == plain.published
    contents = {
        entry.findtext(f"{ATOM}title"): entry.findtext(f"{ATOM}content")  # the HTML as written, unescaped
        for entry in ET.parse(site / "feed.xml").getroot().iter(f"{ATOM}entry")
    }
    html = contents["老旧小区加装电梯6月推进情况"]
    assert html.startswith('<p>新的正文。</p>\n<section class="corrections" aria-labelledby="corrections"')
    assert html.endswith(REPORT_CHANGES.format(a="corrections"))
    assert contents["新闻"] == "<p>正文。</p>"


def test_revisions_csv_has_a_row_per_changed_field(site: Path) -> None:
    data = (site / "data/revisions.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))
    post_url = "updates/reports/2030-06/2030-02/"
    reason = "<b>区民政局</b>更正本月值"
    assert rows == [
        ["project", "period", "post", "date", "reason", "field", "before", "after"],
        ["2030-03", "", "updates/news/canteen/", "2030-05-03", "'=错别字", "body", "第一版", "第二版"],
        ["2030-03", "", "updates/news/canteen/", "2030-05-04", "", "body", "第二版", "第三版"],
        ["2030-02", "2030-06", post_url, "2030-07-02", reason, "title", "旧标题", "老旧小区加装电梯6月推进情况"],
        ["2030-02", "2030-06", post_url, "2030-07-02", reason, "status", "lagging", "on_track"],
        ["2030-02", "2030-06", post_url, "2030-07-02", reason, "values.lifts", "30", "35"],
        [
            "2030-02",
            "2030-06",
            post_url,
            "2030-07-02",
            reason,
            "body",
            "旧的 <script>alert(1)</script>\n第二段",
            "新的正文。",
        ],
        ["2030-02", "2030-06", post_url, "2030-07-05", "", "values.lifts", "35", "40"],
    ]
    package = Package(str(site / "data/datapackage.json"))
    assert [r.name for r in package.resources][-1] == "revisions"
    assert package.validate().valid
