"""The clerk's month (issue 13), the import side: validation exactly as check, plausibility
(refused or held for --confirm), corrections on the record, a true closing summary, co-led
projects, and the lines under the table (审核人 kept, 填报人 and 联系电话 never written).

Forms are built here cell by cell, laid out as the export lays them out (header on row 3, one
row a project with its indicators below, a blank row, then the footer). The content is the
shared 2030 fixture: 1 新建公厕 (toilets 10 座 cumulative, coverage ≥80 % level), 2 老旧小区加装电梯
(lifts 120 台, co-led by 区住建委 and 区民政局: 区住建委 files it), 3 助餐服务 (no indicator).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, SITE_YAML, post, run, write_tree
from PIL import Image
from test_forms import form_import, official, read_post, report, snapshot

from portal.forms.mirror import mirrored
from portal.model.records import Month

HEADER = ("序号", "项目名称", "目标任务", "推进情况（截至{m}月底）", "自评状态", "指标名称（单位）", "目标值")
HEADER += ("上月值", "本月值", "报送日期", "指标编号")
CONFIRM = "确认无误请加 --confirm 再导入"


def workbook(path: Path, rows: list[dict[str, object]], month: int = 6, footer: list[dict[str, object]] = ()) -> Path:
    """A form as the export lays it out: {column letter: value} a row from row 4, then a blank
    row and the footer rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "附件2"
    sheet["A1"] = "2030年重点民生实事工作目标任务推进落实情况表"
    sheet["A2"] = "填报单位：区住建委"
    for column, label in enumerate(HEADER, start=1):
        sheet.cell(3, column, label.format(m=month))
    for number, cells in enumerate([*rows, {}, *footer], start=4):
        for column, value in cells.items():
            sheet[f"{column}{number}"] = value
    book.save(path)
    return path


def toilets(value: object, date: object = None, text: str = "进展。", status: str | None = None) -> list[dict]:
    return [
        {"A": 1, "B": "新建公厕", "D": text, "E": status, "F": "新建公厕（座）", "I": value, "J": date, "K": "toilets"},
        {"F": "普及率（%）", "K": "coverage"},
    ]


def lifts(value: object, text: str = "进展。", date: object = None, status: str | None = None) -> dict:
    return {
        "A": 2,
        "B": "老旧小区加装电梯",
        "D": text,
        "E": status,
        "F": "加装电梯（台）",
        "I": value,
        "J": date,
        "K": "lifts",
    }


def existing(content: Path, project: str, period: str, extra: str = "", submitted: str | None = None) -> Path:
    """A report already in the content, titled 旧的推进情况, its body 旧的正文。"""
    day = submitted or f"{period}-20"
    front = (
        f"title: 旧的推进情况\ndate: {day}\nkind: report\nprojects: [{project}]\nperiod: {period}\nsubmitted: {day}\n"
    )
    return write_tree(content, {f"updates/reports/{period}/{project}.md": post(front + extra, "旧的正文。")})


def last_month(tmp_path: Path) -> tuple[Path, Month]:
    """A content folder whose year is last month's (its due day has passed), one project: 甲项目.
    For what depends on the day of import, the one thing the clock decides."""
    day = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    content = write_tree(
        tmp_path / "content",
        {
            "site.yaml": SITE_YAML,
            f"projects/{day.year}.csv": "id,seq,name,target,leaders,units,level,voted\n"
            f"{day.year}-01,1,甲项目,完成甲。,王一,甲局,区级,false\n",
        },
    )
    return content, Month(day.year, day.month)


def lines(err: str) -> list[str]:
    return err.splitlines()[:-1]  # without the closing 共 N 个问题


# ---------------------------------------------------------------- 1. validated exactly as check


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_news_photo_does_not_block_the_import(tmp_path: Path) -> None:
    content = tmp_path / "demo"
    shutil.copytree(ROOT / "examples" / "demo", content)
    write_tree(
        content,
        {
            "updates/news/2020-12-20-park/index.md": post(
                """
                title: 口袋公园开放
                date: 2020-12-20
                kind: news
                projects: [2020-01]
                """,
                "![新开放的口袋公园](park.png)",
            ),
            "updates/news/2020-12-20-park/park.png": png(),
        },
    )
    (content / "updates/reports/2020-12/2020-01.md").unlink()
    assert run("check", "--content", str(content))[0] == 0
    form = tmp_path / "区教委.csv"
    form.write_text(
        "2020年重点民生实事工作目标任务推进落实情况表,,,\n"
        "序号,项目名称,目标任务,推进情况（截至12月底）\n"
        "1,发展普惠性学前教育,,全年目标已完成。\n",
        encoding="utf-8",
    )
    code, out, err = form_import(content, form, "--submitted", "2020-12-18")
    assert code == 0, err
    path = content / "updates/reports/2020-12/2020-01.md"
    assert out.splitlines()[0] == (
        f"已写入 {path}：2020-12 序号 1 发展普惠性学前教育，报送日期 2020-12-18（--submitted），按时报送"
    )
    assert read_post(path)[1] == "\n全年目标已完成。\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # the mirror is gone


def test_a_report_folder_linked_out_of_the_content_folder_is_not_written(content: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (content / "updates").mkdir()
    (content / "updates/reports").symlink_to(outside)
    form = workbook(tmp_path / "a.xlsx", toilets(2))
    code, _, err = form_import(content, form, "--submitted", "2030-06-20")
    assert (code, lines(err)) == (
        1,
        [f"{report(content, '2030-01')}: 所在文件夹链接到内容文件夹以外：请改为普通文件夹后再导入"],
    )
    assert list(outside.iterdir()) == []


def test_the_mirror_links_every_file_and_never_writes_through_a_link(content: Path, tmp_path: Path) -> None:
    write_tree(content, {"updates/news/a.md": post("title: 甲\ndate: 2030-06-01\nkind: news\nprojects: []")})
    (content / "updates/news/photo.png").write_bytes(png())
    (content / "updates/news/same.png").symlink_to(content / "updates/news/photo.png")
    before = snapshot(content)
    post_path = content / "updates/news/a.md"
    with mirrored(content, {post_path: "新的文字", content / "updates/reports/2030-06/2030-01.md": "新文章"}) as mirror:
        assert mirror.parent.parent == content.parent and mirror.parent.name.startswith(".content.import-")
        assert (mirror / "updates/news/a.md").read_text(encoding="utf-8") == "新的文字"
        assert (mirror / "updates/reports/2030-06/2030-01.md").read_text(encoding="utf-8") == "新文章"
        assert os.stat(mirror / "updates/news/photo.png").st_ino == os.stat(content / "updates/news/photo.png").st_ino
        assert (mirror / "updates/news/same.png").resolve() == (mirror / "updates/news/photo.png").resolve()
        assert (mirror / "site.yaml").read_bytes() == (content / "site.yaml").read_bytes()
    assert snapshot(content) == before
    assert not mirror.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_the_mirror_copies_where_hard_links_are_refused(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(source: object, target: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", refuse)
    with mirrored(content, {}) as mirror:
        copied = mirror / "projects/2030.csv"
        assert copied.read_bytes() == (content / "projects/2030.csv").read_bytes()
        assert os.stat(copied).st_ino != os.stat(content / "projects/2030.csv").st_ino


# ---------------------------------------------------------------- 2. plausibility: refused


def test_a_negative_value_is_refused_at_its_cell(content: Path, tmp_path: Path) -> None:
    form = workbook(tmp_path / "a.xlsx", [*toilets(-3), lifts("-2")])
    code, _, err = form_import(content, form, "--submitted", "2030-06-20")
    assert code == 1
    assert lines(err) == [
        f"{form}:附件2!I4: 新建公厕（座）的本月值 -3 是负数：请填截至本月底的累计完成值或当前水平（0 或以上）",
        f"{form}:附件2!I6: 加装电梯（台）的本月值 -2 是负数：请填截至本月底的累计完成值或当前水平（0 或以上）",
    ]
    assert not (content / "updates").exists()


def test_a_month_before_reporting_began_is_refused(content: Path, tmp_path: Path) -> None:
    (content / "site.yaml").write_text(
        (content / "site.yaml").read_text(encoding="utf-8") + "reporting_from: 2030-06\n", encoding="utf-8"
    )
    form = workbook(tmp_path / "a.xlsx", toilets(2), month=5)
    code, _, err = form_import(content, form, "--submitted", "2030-05-20")
    assert (code, lines(err)) == (
        1,
        [
            f"{form}:附件2!D3: 截至月份 2030-05 早于开始报送的月份 2030-06（site.yaml 的 reporting_from）："
            "请核对表头的月份和表题的年份"
        ],
    )
    assert form_import(content, workbook(tmp_path / "b.xlsx", toilets(2)), "--submitted", "2030-06-20")[0] == 0


# ---------------------------------------------------------------- 2. plausibility: held for --confirm


def test_a_cumulative_value_below_an_earlier_month_is_held_until_confirmed(content: Path, tmp_path: Path) -> None:
    existing(content, "2030-02", "2030-04", "values: {lifts: 30}")
    form = workbook(tmp_path / "a.xlsx", [lifts(25)])
    before = snapshot(content)
    code, _, err = form_import(content, form, "--submitted", "2030-06-20")
    assert (code, lines(err)) == (
        1,
        [
            f"{form}:附件2!I4: 提示：加装电梯（台）的本月值 25 小于 2030-04 已报的 30："
            f"累计完成值不会减少，请核对本月值（或更正之前月份的数值）；{CONFIRM}"
        ],
    )
    assert snapshot(content) == before

    code, out, err = form_import(content, form, "--submitted", "2030-06-20", "--confirm")
    assert code == 0, err
    assert out.splitlines()[-1] == "已按 --confirm 接受 1 条提示。"
    assert "  lifts: 25\n" in report(content, "2030-02").read_text(encoding="utf-8")


def test_an_earlier_month_in_the_same_import_counts_too(content: Path, tmp_path: Path) -> None:
    may = workbook(tmp_path / "may.xlsx", [lifts(40)], month=5)
    june = workbook(tmp_path / "june.xlsx", [lifts(36)])
    code, _, err = form_import(content, june, may, "--submitted", "2030-06-20")
    assert (code, lines(err)) == (
        1,
        [
            f"{june}:附件2!I4: 提示：加装电梯（台）的本月值 36 小于 2030-05 已报的 40："
            f"累计完成值不会减少，请核对本月值（或更正之前月份的数值）；{CONFIRM}"
        ],
    )
    assert (
        form_import(content, june, workbook(tmp_path / "may2.xlsx", [lifts(30)], month=5), "--submitted", "2030-06-20")[
            0
        ]
        == 0
    )


def test_a_value_far_above_its_target_is_held(content: Path, tmp_path: Path) -> None:
    form = workbook(tmp_path / "a.xlsx", [*toilets(15), lifts(1200)])  # 150% of 10 is fine; 120 × 10 is not
    code, _, err = form_import(content, form, "--submitted", "2030-06-20")
    assert (code, lines(err)) == (
        1,
        [
            f"{form}:附件2!I6: 提示：加装电梯（台）的本月值 1200 是目标值 120 的 1000.0%，超过 150%："
            f"请核对数值和单位（是否多写了一位，或用错了单位）；{CONFIRM}"
        ],
    )
    assert form_import(content, form, "--submitted", "2030-06-20", "--confirm")[0] == 0
    code, out, _ = form_import(content, form, "--submitted", "2030-06-20")  # confirmed once is enough
    assert code == 0 and out.startswith("未变 ")


def test_an_old_month_filled_in_again_is_held(content: Path, tmp_path: Path) -> None:
    existing(content, "2030-03", "2030-06")
    held = workbook(tmp_path / "april.xlsx", toilets(2), month=4)
    code, _, err = form_import(content, held, "--submitted", "2030-06-20")
    assert (code, lines(err)) == (
        1,
        [
            f"{held}:附件2!D3: 提示：截至月份 2030-04 比已报送的最新月份 2030-06 早 2 个月："
            f"是否把旧的表格又填了一遍？请核对表头的月份；确是补报或更正，{CONFIRM}"
        ],
    )
    may = workbook(tmp_path / "may.xlsx", toilets(2), month=5)  # one month back: a late report, not held
    assert form_import(content, may, "--submitted", "2030-06-20")[0] == 0
    assert form_import(content, held, "--submitted", "2030-06-20", "--confirm")[0] == 0


def test_numbers_are_written_as_plain_numbers_and_hand_written_corrections_kept(content: Path, tmp_path: Path) -> None:
    existing(
        content,
        "2030-02",
        "2030-06",
        'values: {lifts: "28"}\nrevisions: [{date: 2030-06-22, before: {values: {lifts: "26"}}}]',
    )
    form = workbook(tmp_path / "a.xlsx", [*toilets("６"), lifts(30.5, "旧的正文。")])
    code, _, err = form_import(content, form, "--replace", "--submitted", "2030-07-01")
    assert code == 0, err
    assert "values:\n  toilets: 6\n" in report(content, "2030-01").read_text(encoding="utf-8")
    assert (
        report(content, "2030-02")
        .read_text(encoding="utf-8")
        .split("---")[1]
        .endswith(
            "values:\n"
            "  lifts: 30.5\n"
            "revisions:\n"
            "  - date: 2030-06-22\n"
            "    before:\n"
            "      values:\n"
            "        lifts: 26\n"
            "  - date: 2030-07-01\n"
            "    before:\n"
            "      values:\n"
            "        lifts: 28\n"
            "      title: 旧的推进情况\n"
        )
    )


# ---------------------------------------------------------------- 3. corrections on the record


def test_a_correction_keeps_the_first_filing_day_and_records_what_changed(content: Path, tmp_path: Path) -> None:
    first = workbook(
        tmp_path / "june.xlsx", [lifts(30, "已加装30台。\n另有5台在建。", dt.date(2030, 6, 20), "序时推进")]
    )
    assert form_import(content, first)[0] == 0
    path = report(content, "2030-02")
    corrected = workbook(tmp_path / "fix.xlsx", [lifts(32, "已加装32台。", dt.date(2030, 7, 2), "滞后")])
    code, out, err = form_import(content, corrected, "--replace", "--reason", "区住建委更正本月值")
    assert code == 0, err
    text = path.read_text(encoding="utf-8")
    assert text == (
        "---\n"
        "title: 老旧小区加装电梯推进情况（截至6月底）\n"
        "date: 2030-06-20\n"
        "kind: report\n"
        "projects: [2030-02]\n"
        "source: 区住建委、区民政局\n"
        "period: 2030-06\n"
        "submitted: 2030-06-20\n"
        "status: lagging\n"
        "values:\n"
        "  lifts: 32\n"
        "revisions:\n"
        "  - date: 2030-07-02\n"
        "    reason: 区住建委更正本月值\n"
        "    before:\n"
        "      status: on_track\n"
        "      values:\n"
        "        lifts: 30\n"
        '      body: "已加装30台。\\n\\n另有5台在建。"\n'
        "---\n\n已加装32台。\n"
    )
    assert out.splitlines()[0] == (
        f"已更正 {path}：2030-06 序号 2 老旧小区加装电梯，报送日期 2030-06-20（原有），按时报送；"
        "更正日期 2030-07-02（表格）"
    )

    # a second correction (the text only, from the plain form) is appended; status and value stay
    plain = official(tmp_path / "plain.xlsx", [(2, "老旧小区加装电梯", "", "已加装32台，验收3台。")])
    code, _, err = form_import(content, plain, "--replace", "--submitted", "2030-07-09")
    assert code == 0, err
    meta, body = read_post(path)
    assert (meta["submitted"], meta["status"], meta["values"], body) == (
        "2030-06-20",
        "lagging",
        {"lifts": "32"},
        "\n已加装32台，验收3台。\n",
    )
    assert meta["revisions"][1] == {"date": "2030-07-09", "before": {"body": "已加装32台。"}}
    assert len(meta["revisions"]) == 2
    assert run("check", "--content", str(content))[0] == 0


def test_a_correction_without_any_date_is_dated_the_day_of_import(tmp_path: Path) -> None:
    content, month = last_month(tmp_path)
    existing(content, f"{month.year}-01", str(month), submitted=str(month.first_day()))
    form = tmp_path / "plain.csv"
    form.write_text(
        f"序号,项目名称,推进情况（截至{month.year}年{month.month}月底）\n1,甲项目,新的正文。\n", encoding="utf-8"
    )
    code, _, err = form_import(content, form, "--replace")
    assert code == 0, err
    meta, _ = read_post(report(content, f"{month.year}-01", str(month)))
    assert meta["revisions"] == [
        {"date": str(dt.date.today()), "before": {"title": "旧的推进情况", "body": "旧的正文。"}}
    ]
    assert meta["submitted"] == str(month.first_day())


def test_a_correction_dated_before_the_first_filing_is_refused(content: Path, tmp_path: Path) -> None:
    existing(content, "2030-03", "2030-06", submitted="2030-06-20")
    form = official(tmp_path / "plain.xlsx", [(3, "助餐服务", "", "新的正文。")])
    code, _, err = form_import(content, form, "--replace", "--submitted", "2030-06-10")
    assert (code, lines(err)) == (
        1,
        [
            f"{form}:Sheet1!A3: 更正日期 2030-06-10（--submitted）早于首次报送或上一次更正的日期 2030-06-20："
            "请在报送日期栏填写或用 --submitted 写明这次更正的日期"
        ],
    )


def test_reason_without_replace_is_a_usage_error(content: Path, tmp_path: Path) -> None:
    form = workbook(tmp_path / "a.xlsx", toilets(2))
    code, _, err = form_import(content, form, "--reason", "更正")
    assert (code, err) == (
        2,
        "build.py: --reason 只用于 --replace：更正已导入的推进情况时写明原因 (--reason needs --replace)\n",
    )


# ---------------------------------------------------------------- 4. the closing summary


def test_the_summary_names_each_row_its_date_its_source_and_compliance(content: Path, tmp_path: Path) -> None:
    form = workbook(tmp_path / "a.xlsx", [*toilets(2, dt.date(2030, 6, 27)), lifts(30)])
    code, out, err = form_import(content, form, "--submitted", "2030-06-24")
    assert code == 0, err
    assert out.splitlines() == [
        f"已写入 {report(content, '2030-01')}：2030-06 序号 1 新建公厕，报送日期 2030-06-27（表格），逾期报送",
        f"已写入 {report(content, '2030-02')}：2030-06 序号 2 老旧小区加装电梯，报送日期 2030-06-24（--submitted），按时报送",
        "共 2 项推进情况（写入 2 个文件），跳过 0 项。",
    ]


def test_a_late_date_taken_from_the_day_of_import_says_how_to_give_the_real_one(tmp_path: Path) -> None:
    content, month = last_month(tmp_path)
    form = tmp_path / "a.csv"
    form.write_text(
        f"序号,项目名称,推进情况（截至{month.year}年{month.month}月底）\n1,甲项目,进展。\n", encoding="utf-8"
    )
    code, out, err = form_import(content, form)
    assert code == 0, err
    assert out.splitlines()[0] == (
        f"已写入 {report(content, f'{month.year}-01', str(month))}：{month} 序号 1 甲项目，"
        f"报送日期 {dt.date.today()}（导入当天），逾期报送（报送日期取自导入当天：如单位实际报送日期更早，"
        "请改正本文件的 submitted 和 date；以后导入请在表格的报送日期栏填写，或加 --submitted）"
    )


def test_skipped_lists_only_projects_still_without_a_report(content: Path, tmp_path: Path) -> None:
    existing(content, "2030-03", "2030-06")
    blank = official(
        tmp_path / "blank.xlsx",
        [(1, "新建公厕", "", ""), (2, "老旧小区加装电梯", "", ""), (3, "助餐服务", "", "")],
    )
    other = official(tmp_path / "other.xlsx", [(2, "老旧小区加装电梯", "", "已加装30台。")])
    code, out, err = form_import(content, blank, other, "--submitted", "2030-06-20")
    assert code == 0, err
    assert out.splitlines()[-2:] == [
        "跳过 1 项（推进情况为空，仍为未报送）：2030-06 序号 1",
        "共 1 项推进情况（写入 1 个文件），跳过 1 项。",
    ]


def test_an_empty_form_is_an_error(content: Path, tmp_path: Path) -> None:
    form = workbook(tmp_path / "a.xlsx", [])
    code, _, err = form_import(content, form, "--submitted", "2030-06-20")
    assert (code, lines(err)) == (1, [f"{form}:附件2!A3: 表头下没有项目行：请逐行填写序号、项目名称和推进情况"])


# ---------------------------------------------------------------- 6. co-led projects


def test_a_co_led_project_on_another_units_form_is_not_its_to_file(content: Path, tmp_path: Path) -> None:
    form = workbook(
        tmp_path / "区民政局.xlsx",
        [
            {"A": 2, "B": "老旧小区加装电梯", "C": "完成加装电梯120台。", "D": "由区住建委汇总填报"},
            {"A": 3, "B": "助餐服务", "D": "已开设助餐点2个。", "F": "（无量化指标）"},
        ],
    )
    code, out, err = form_import(content, form, "--submitted", "2030-06-20")
    assert code == 0, err
    assert not report(content, "2030-02").exists()
    assert out.splitlines()[1:] == ["共 1 项推进情况（写入 1 个文件），跳过 0 项。"]


def test_a_co_led_project_filed_twice_names_the_unit_that_files_it(content: Path, tmp_path: Path) -> None:
    first = workbook(tmp_path / "a.xlsx", [*toilets(2), lifts(30)])
    second = workbook(tmp_path / "b.xlsx", [lifts(30)])
    code, _, err = form_import(content, first, second, "--submitted", "2030-06-20")
    assert (code, lines(err)) == (
        1,
        [
            f"{second}:附件2!A4: 项目 2030-02（老旧小区加装电梯）重复：{first}:附件2!A6 已有；共同牵头的项目由区住建委汇总填报"
        ],
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {"A": 2, "B": "老旧小区加装电梯", "D": "由区民政局汇总填报"},
            "推进情况写的是“由区民政局汇总填报”，但项目 2030-02（老旧小区加装电梯）由区住建委汇总填报："
            "请填写本月推进情况，或清空本行",
        ),
        (
            {"A": 3, "B": "助餐服务", "D": "由区民政局汇总填报"},
            "推进情况写的是“由区民政局汇总填报”，但项目 2030-03（助餐服务）由区民政局填报：请填写本月推进情况，或清空本行",
        ),
        (
            {"A": 2, "B": "老旧小区加装电梯", "D": "由区住建委汇总填报", "I": 30, "K": "lifts"},
            "项目 2030-02（老旧小区加装电梯）由区住建委汇总填报：本表这一行不填自评状态、本月值或报送日期",
        ),
    ],
)
def test_a_filed_elsewhere_row_that_does_not_fit_is_refused(
    content: Path, tmp_path: Path, row: dict, message: str
) -> None:
    form = workbook(tmp_path / "a.xlsx", [row])
    code, _, err = form_import(content, form, "--submitted", "2030-06-20")
    assert (code, lines(err)) == (1, [f"{form}:附件2!D4: {message}"])


# ---------------------------------------------------------------- 7. the lines under the table


FOOTER = [
    {"A": "填报人：", "C": "王五"},
    {"A": "联系电话：", "C": "023-67891234"},
    {"A": "审核人（单位主要负责人）：", "C": "李四"},
]


def test_the_approver_is_kept_and_the_filler_and_phone_are_written_nowhere(content: Path, tmp_path: Path) -> None:
    form = workbook(tmp_path / "a.xlsx", [*toilets(2), lifts(30)], footer=FOOTER)
    code, _, err = form_import(content, form, "--submitted", "2030-06-20")
    assert code == 0, err
    assert read_post(report(content, "2030-01"))[0]["reviewed_by"] == "李四"
    assert read_post(report(content, "2030-02"))[0]["reviewed_by"] == "李四"
    code, _, err = run("build", "--content", str(content), "--out", str(tmp_path / "site"), "-j", "1")
    assert code == 0, err
    written = [p for root in (content, tmp_path / "site") for p in root.rglob("*") if p.is_file()]
    assert not [p for p in written if b"67891234" in p.read_bytes() or "王五".encode() in p.read_bytes()]


@pytest.mark.parametrize(
    "cells",
    [
        [{"A": "填报人：王五　联系电话：023-67891234　审核人：李四"}],
        [{"A": "填报人：王五", "D": "联系电话：023-67891234"}, {"A": "审核人（单位主要负责人）：李四"}],
        [{"B": "填报人", "C": "王五"}, {"B": "审核人:", "C": " 李四 "}],
    ],
)
def test_the_plain_forms_footer_reads_the_same(content: Path, tmp_path: Path, cells: list[dict]) -> None:
    form = workbook(tmp_path / "a.xlsx", toilets(2), footer=cells)
    code, _, err = form_import(content, form, "--submitted", "2030-06-20")
    assert code == 0, err
    meta = read_post(report(content, "2030-01"))[0]
    assert meta["reviewed_by"] == "李四"
    assert "67891234" not in report(content, "2030-01").read_text(encoding="utf-8")


def test_replace_keeps_an_approver_the_new_form_lacks(content: Path, tmp_path: Path) -> None:
    assert (
        form_import(content, workbook(tmp_path / "a.xlsx", toilets(2), footer=FOOTER), "--submitted", "2030-06-20")[0]
        == 0
    )
    plain = official(tmp_path / "plain.xlsx", [(1, "新建公厕", "", "新的正文。")])
    code, _, err = form_import(content, plain, "--replace", "--submitted", "2030-06-28")
    assert code == 0, err
    assert read_post(report(content, "2030-01"))[0]["reviewed_by"] == "李四"
