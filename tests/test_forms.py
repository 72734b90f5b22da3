"""The monthly form (附件2): export, fill as a clerk would, import; every refusal with its message.

Workbooks are built with openpyxl in tmp_path, never committed as binaries. The content is the
shared 2030 fixture: 1 新建公厕 (toilets 10 座, coverage ≥80 %), 2 老旧小区加装电梯 (lifts 120 台),
3 助餐服务 (no indicator).
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import post, run, write_tree
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.styles import Alignment

from portal import load
from portal.forms.cells import progress_text
from portal.forms.posttext import markdown_text, scalar
from portal.load import markup, yamlsafe
from portal.load.chars import FORBIDDEN

NUMBER_HINT = "只写数字，如 12 或 6.5（不写“约”、单位或千位分隔符）"
OFFICIAL_TITLE = "测试区2030年重点民生实事工作目标任务推进落实情况表"


# ---------------------------------------------------------------- helpers


def export(content: Path, out: Path, *extra: str, period: str = "2030-06") -> Path:
    code, _, err = run("form", "export", "--period", period, "--content", str(content), "-o", str(out), *extra)
    assert code == 0, err
    return out


def fill(path: Path, rows: dict[int, dict], out: Path | None = None) -> Path:
    """Fill an exported form: {序号: {"推进情况": text, "自评状态": …, "报送日期": …, "values": {id: v}}}."""
    book = openpyxl.load_workbook(path)
    sheet = book.active
    column = {sheet.cell(3, c).value.split("（")[0]: c for c in range(1, sheet.max_column + 1)}
    current = None
    for row in range(4, sheet.max_row + 1):
        current = sheet.cell(row, column["序号"]).value or current
        wanted = rows.get(current, {})
        if sheet.cell(row, column["序号"]).value is not None:
            for label in ("推进情况", "自评状态", "报送日期"):
                if label in wanted:
                    sheet.cell(row, column[label]).value = wanted[label]
        indicator = sheet.cell(row, column["指标编号"]).value
        for key, value in wanted.get("values", {}).items():
            if key == indicator or (key is None and indicator is None):
                sheet.cell(row, column["本月值"]).value = value
    book.save(out or path)
    return out or path


def official(
    path: Path, rows: list[tuple], title: str = OFFICIAL_TITLE, header: str = "推进情况\n（截至6月底）"
) -> Path:
    """The notice's plain four-column form: title row merged above, header, wrapped cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.merge_cells("A1:D1")
    sheet["A1"] = title
    sheet.append(["序号", "项目名称", "目标任务", header])
    for row in rows:
        sheet.append(list(row))
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.save(path)
    return path


def form_import(content: Path, *args: str | Path) -> tuple[int, str, str]:
    return run("form", "import", *map(str, args), "--content", str(content))


def read_post(path: Path) -> tuple[dict, str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yamlsafe.load(front, str(path)), body


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def report(content: Path, project: str, period: str = "2030-06") -> Path:
    return content / "updates" / "reports" / period / f"{project}.md"


# ---------------------------------------------------------------- export


def test_export_lays_out_the_form_like_attachment_2(content: Path, tmp_path: Path) -> None:
    write_tree(
        content,
        {
            "updates/reports/2030-05/2030-01.md": post(
                """
                title: 5月
                date: 2030-05-20
                kind: report
                projects: [2030-01]
                period: 2030-05
                submitted: 2030-05-20
                values: {toilets: 4}
                """
            ),
            "updates/reports/2030-04/2030-02.md": post(
                """
                title: 4月
                date: 2030-04-20
                kind: report
                projects: [2030-02]
                period: 2030-04
                submitted: 2030-04-20
                values: {lifts: 30}
                """
            ),
        },
    )
    sheet = openpyxl.load_workbook(export(content, tmp_path / "form.xlsx")).active

    assert sheet.title == "附件2"
    assert sheet["A1"].value == "2030年重点民生实事工作目标任务推进落实情况表"
    assert "A1:J1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[3]] == [
        "序号",
        "项目名称",
        "目标任务",
        "推进情况（截至6月底）",
        "自评状态",
        "指标名称（单位）",
        "目标值",
        "上月值",
        "本月值",
        "报送日期",
        "指标编号",
    ]
    # one row an indicator; the project's cells on its first row
    assert [[c.value for c in sheet[r]][:2] + [c.value for c in sheet[r]][5:9] for r in range(4, 8)] == [
        [1, "新建公厕", "新建公厕（座）", "10", 4, None],
        [None, None, "普及率（%）", "≥80", None, None],
        [2, "老旧小区加装电梯", "加装电梯（台）", "120", "30（截至4月底）", None],
        [3, "助餐服务", "（无量化指标）", None, None, None],
    ]
    assert sheet["C4"].value == "新建公厕10座，普及率达到80%以上。"
    # prefilled cells locked, input cells open, protection on
    assert sheet.protection.sheet
    assert all(sheet[c].protection.locked for c in ("A4", "B4", "C4", "F4", "H4", "I7", "D5"))
    assert not any(sheet[c].protection.locked for c in ("D4", "E4", "I4", "I5", "J4", "D6", "I6"))
    assert sheet["C4"].alignment.wrap_text and sheet["D4"].alignment.wrap_text
    statuses = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert [v.formula1 for v in statuses] == ['"未启动,序时推进,滞后,已完成"']
    assert str(statuses[0].sqref) == "E4 E6 E7"
    # A4 landscape, the header row on every page, the id column hidden
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4  # "9": A4
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.column_dimensions["K"].hidden
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["A"].width


def test_export_writes_text_that_looks_like_a_formula_as_text(content: Path, tmp_path: Path) -> None:
    projects = (content / "projects/2030.csv").read_text(encoding="utf-8")
    (content / "projects/2030.csv").write_text(projects.replace("新建公厕10座", "=1+1 新建公厕10座"), encoding="utf-8")
    cell = openpyxl.load_workbook(export(content, tmp_path / "form.xlsx")).active["C4"]
    assert (cell.value, cell.data_type) == ("=1+1 新建公厕10座，普及率达到80%以上。", "s")


def test_export_is_the_same_bytes_every_time(content: Path, tmp_path: Path) -> None:
    first = export(content, tmp_path / "a.xlsx").read_bytes()
    second = export(content, tmp_path / "b.xlsx").read_bytes()
    assert first == second
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    properties = openpyxl.load_workbook(tmp_path / "a.xlsx").properties
    assert properties.created == properties.modified == dt.datetime(2030, 6, 1)


def test_export_for_one_unit_keeps_its_projects_and_names_the_file(content: Path, tmp_path: Path) -> None:
    code, out, err = run(
        "form", "export", "--period", "2030-06", "--unit", "区民政局", "--content", str(content), cwd=tmp_path
    )
    assert code == 0, err
    path = tmp_path / "附件2-推进情况-2030-06-区民政局.xlsx"
    assert f"已导出 {path.name}：2 个项目（其中 1 个由区住建委汇总填报，本表不填），0 个指标" in out
    sheet = openpyxl.load_workbook(path).active
    assert [sheet.cell(r, 1).value for r in range(4, 6)] == [2, 3]
    assert "填报单位：区民政局" in sheet["A2"].value


def test_a_co_led_project_is_filled_in_only_by_its_first_listed_unit(content: Path, tmp_path: Path) -> None:
    lead = openpyxl.load_workbook(export(content, tmp_path / "lead.xlsx", "--unit", "区住建委")).active
    other = openpyxl.load_workbook(export(content, tmp_path / "other.xlsx", "--unit", "区民政局")).active
    # the first-listed unit fills it as any project: its text, status, value and date cells open
    assert (lead["A4"].value, lead["F4"].value) == (2, "加装电梯（台）")
    assert not any(lead[c].protection.locked for c in ("D4", "E4", "I4", "J4"))
    # the other lead unit sees it, says who files it, and has nothing to fill in its row
    assert [other[f"{c}4"].value for c in "ABDF"] == [2, "老旧小区加装电梯", "由区住建委汇总填报", None]
    assert all(other.cell(4, c).protection.locked for c in range(1, 12))
    assert other["A5"].value == 3 and not other["D5"].protection.locked
    statuses = [v for v in other.data_validations.dataValidation if v.type == "list"]
    assert str(statuses[0].sqref) == "E5"


def test_the_form_asks_for_who_filled_it_in_and_who_approved_it(content: Path, tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(export(content, tmp_path / "form.xlsx")).active
    last = 7  # 新建公厕 two rows, 加装电梯 one, 助餐服务 one: rows 4-7, then a blank row
    assert sheet.cell(last + 1, 1).value is None
    labels = [sheet.cell(r, 1).value for r in range(last + 2, last + 5)]
    assert labels == ["填报人：", "联系电话：", "审核人（单位主要负责人）："]
    assert all(f"A{r}:B{r}" in {str(m) for m in sheet.merged_cells.ranges} for r in range(last + 2, last + 5))
    assert not any(sheet.cell(r, 3).protection.locked for r in range(last + 2, last + 5))
    assert sheet.max_row == last + 4


def test_export_each_unit_writes_one_form_a_unit_into_a_folder(content: Path, tmp_path: Path) -> None:
    folder = tmp_path / "六月"
    folder.mkdir()
    code, out, err = run(
        "form", "export", "--period", "2030-06", "--each-unit", "-o", str(folder), "--content", str(content)
    )
    assert code == 0, err
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"附件2-推进情况-2030-06-{u}.xlsx" for u in ("区住建委", "区城管局", "区民政局")]
    assert out.splitlines() == [
        f"已导出 {folder}/附件2-推进情况-2030-06-区住建委.xlsx：1 个项目，1 个指标（截至 2030年6月底）",
        f"已导出 {folder}/附件2-推进情况-2030-06-区城管局.xlsx：1 个项目，2 个指标（截至 2030年6月底）",
        f"已导出 {folder}/附件2-推进情况-2030-06-区民政局.xlsx："
        "2 个项目（其中 1 个由区住建委汇总填报，本表不填），0 个指标（截至 2030年6月底）",
    ]
    single = export(content, tmp_path / "one.xlsx", "--unit", "区城管局")
    assert (folder / "附件2-推进情况-2030-06-区城管局.xlsx").read_bytes() == single.read_bytes()


def test_export_each_unit_needs_an_existing_folder(content: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    code, _, err = run(
        "form", "export", "--period", "2030-06", "--each-unit", "-o", str(missing), "--content", str(content)
    )
    assert (code, err) == (
        2,
        f"build.py: 输出文件夹 {missing} 不存在：--each-unit 的 -o 应为一个文件夹 (no such folder)\n",
    )


def test_export_may_replace_its_own_untouched_export(content: Path, tmp_path: Path) -> None:
    target = export(content, tmp_path / "form.xlsx")
    first = target.read_bytes()
    export(content, target, period="2030-07")
    assert target.read_bytes() != first


@pytest.mark.parametrize("kind", ["folder", "fifo", "link", "filled", "other", "content", "suffix"])
def test_export_never_overwrites_what_it_did_not_write(content: Path, tmp_path: Path, kind: str) -> None:
    target = tmp_path / "form.xlsx"
    if kind == "folder":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "link":
        export(content, tmp_path / "real.xlsx")
        target.symlink_to(tmp_path / "real.xlsx")
    elif kind == "filled":  # the clerk's form, filled and saved: Excel records when
        fill(export(content, target), {1: {"推进情况": "已完成选址。"}})
    elif kind == "other":
        openpyxl.Workbook().save(target)
    elif kind == "content":
        target = content / "site.xlsx"
    else:
        target = content / "site.yaml"
    before = {p: p.read_bytes() for p in (*tmp_path.rglob("*"), *content.rglob("*")) if p.is_file() and not p.is_fifo()}
    code, _, err = run("form", "export", "--period", "2030-06", "--content", str(content), "-o", str(target))
    assert code == 2
    expected = {
        "content": f"build.py: 不能把表格导出到内容文件夹 {content} 里：请换一个位置 (-o)\n",
        "suffix": f"build.py: 输出文件 {target} 应以 .xlsx 结尾 (-o)\n",
    }.get(kind, f"build.py: {target} 已存在，且不是本工具导出后未经修改的表格：为免覆盖，请换一个文件名 (-o)\n")
    assert err == expected
    after = {p: p.read_bytes() for p in (*tmp_path.rglob("*"), *content.rglob("*")) if p.is_file() and not p.is_fifo()}
    assert after == before


def test_export_refuses_an_unknown_unit_listing_the_known_ones(content: Path, tmp_path: Path) -> None:
    code, _, err = run(
        "form", "export", "--period", "2030-06", "--unit", "区教委", "--content", str(content), cwd=tmp_path
    )
    assert code == 2
    assert err == "build.py: 2030 年没有牵头单位“区教委”的项目；可选的牵头单位：区住建委、区城管局、区民政局\n"
    assert list(tmp_path.glob("*.xlsx")) == []


def test_export_refuses_a_year_without_projects(content: Path, tmp_path: Path) -> None:
    code, _, err = run("form", "export", "--period", "2031-01", "--content", str(content), cwd=tmp_path)
    assert (code, err) == (2, "build.py: 没有 2031 年的项目清单（已有年份：2030）\n")


# ---------------------------------------------------------------- round trip


def test_exported_form_filled_and_imported_becomes_valid_report_posts(content: Path, tmp_path: Path) -> None:
    form = fill(
        export(content, tmp_path / "form.xlsx"),
        {
            1: {
                "推进情况": "已建成公厕6座。\n  普及率 82%，<script>alert(1)</script> *加粗*",
                "自评状态": "序时推进",
                "values": {"toilets": 6, "coverage": "82"},
            },
            2: {"推进情况": "已加装电梯36台。", "自评状态": "滞后", "values": {"lifts": "３６"}},
        },
    )
    code, out, err = form_import(content, form, "--submitted", "2030-06-20")
    assert code == 0, err
    assert "已写入 " in out and "跳过 1 项（推进情况为空，仍为未报送）：2030-06 序号 3" in out

    meta, body = read_post(report(content, "2030-01"))
    assert meta == {
        "title": "新建公厕推进情况（截至6月底）",
        "date": "2030-06-20",
        "kind": "report",
        "projects": ["2030-01"],
        "source": "区城管局",
        "period": "2030-06",
        "submitted": "2030-06-20",
        "status": "on_track",
        "values": {"toilets": "6", "coverage": "82"},
    }
    assert read_post(report(content, "2030-02"))[0]["values"] == {"lifts": "36"}
    assert read_post(report(content, "2030-02"))[0]["source"] == "区住建委、区民政局"
    assert not report(content, "2030-03").exists()
    assert run("check", "--content", str(content))[0] == 0

    # the clerk's text reaches the page as text: two paragraphs, nothing run as markup
    update = next(u for u in load.load(content).updates if u.projects == ("2030-01",))
    assert update.body_html == (
        "<p>已建成公厕6座。</p>\n<p>普及率 82%，&lt;script&gt;alert(1)&lt;/script&gt; *加粗*</p>"
    )


def test_importing_the_same_form_again_changes_nothing(content: Path, tmp_path: Path) -> None:
    form = fill(export(content, tmp_path / "form.xlsx"), {1: {"推进情况": "进展顺利。"}})
    assert form_import(content, form, "--submitted", "2030-06-20")[0] == 0
    before = snapshot(content)
    code, out, _ = form_import(content, form)
    assert code == 0
    assert "未变 " in out
    assert snapshot(content) == before


def test_the_date_in_the_form_wins_and_without_any_the_import_date_is_written(tmp_path: Path) -> None:
    today = dt.date.today()
    year = today.year
    content = write_tree(
        tmp_path / "content",
        {
            "site.yaml": "title: 测试\npublisher: 测试办\nsite_url: https://example.gov.cn\nbase_url: /\n"
            "language: zh-CN\nreport_due_day: 25\n",
            f"projects/{year}.csv": "id,seq,name,target,leaders,units,level,voted\n"
            f"{year}-01,1,甲项目,完成甲。,王一,甲局,区级,false\n{year}-02,2,乙项目,完成乙。,王一,乙局,区级,false\n",
        },
    )
    form = export(content, tmp_path / "form.xlsx", period=f"{year}-{today.month:02d}")
    fill(form, {1: {"推进情况": "甲进展。"}, 2: {"推进情况": "乙进展。", "报送日期": today.replace(day=1)}})
    code, _, err = form_import(content, form)
    assert code == 0, err
    assert read_post(report(content, f"{year}-01", f"{year}-{today.month:02d}"))[0]["submitted"] == str(today)
    assert read_post(report(content, f"{year}-02", f"{year}-{today.month:02d}"))[0]["submitted"] == str(
        today.replace(day=1)
    )


# ---------------------------------------------------------------- the official form and CSV


def test_official_four_column_form_imports_with_month_and_year_from_it(content: Path, tmp_path: Path) -> None:
    form = official(
        tmp_path / "渝北.xlsx",
        [
            (1, " 新建\n公厕 ", "新建公厕10座…", "已完成选址。\n\n开工3座。"),
            ("２", "老旧小区加装电梯", "完成加装电梯120台。", ""),  # empty: skipped
            (3, "助餐服务", "在城市社区开展助餐服务。", "已开设助餐点2个。"),
        ],
    )
    code, out, err = form_import(content, form, "--submitted", "2030-06-22")
    assert code == 0, err
    meta, body = read_post(report(content, "2030-01"))
    assert (meta["period"], meta["title"]) == ("2030-06", "新建公厕推进情况（截至6月底）")
    assert "status" not in meta and "values" not in meta
    assert body == "\n已完成选址。\n\n开工3座。\n"
    assert read_post(report(content, "2030-03"))[0]["source"] == "区民政局"
    assert not report(content, "2030-02").exists()
    assert "跳过 1 项（推进情况为空，仍为未报送）：2030-06 序号 2" in out
    assert run("check", "--content", str(content))[0] == 0


def test_names_match_whatever_the_quotes_brackets_and_spaces(content: Path, tmp_path: Path) -> None:
    write_tree(
        content,
        {
            "projects/2030.csv": "id,seq,name,target,leaders,units,level,voted\n"
            "2030-01,1,推进社区养老服务“千百工程”（一期）,新建10个。,王一,区民政局,区级,false\n"
        },
    )
    (content / "projects/2030-indicators.csv").unlink()
    form = official(tmp_path / "f.xlsx", [(1, '推进社区养老服务"千百 工程"(一期)', "", "已建成4个。")])
    code, _, err = form_import(content, form, "--submitted", "2030-06-22")
    assert code == 0, err
    assert report(content, "2030-01").exists()


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_csv_forms_import_in_gb18030_and_utf8_with_bom(content: Path, tmp_path: Path, encoding: str) -> None:
    text = (
        f"{OFFICIAL_TITLE},,,\r\n"
        "序号,项目名称,目标任务,推进情况（截至6月底）\r\n"
        '1,新建公厕,新建公厕10座。,"已建成4座，\r\n另有2座在建。"\r\n'
        "2,老旧小区加装电梯,完成加装电梯120台。,已加装电梯30台。\r\n"
    )
    form = tmp_path / "form.csv"
    form.write_bytes(text.encode(encoding))
    code, _, err = form_import(content, form, "--submitted", "2030-06-22")
    assert code == 0, err
    assert read_post(report(content, "2030-01"))[1] == "\n已建成4座，\n\n另有2座在建。\n"
    assert read_post(report(content, "2030-02"))[1] == "\n已加装电梯30台。\n"


# ---------------------------------------------------------------- refusals, each with its message


@pytest.mark.parametrize(
    ("row", "cell", "message"),
    [
        ((9, "新建公厕", "", "进展。"), "A3", "序号 9 不在 2030 年的项目清单中（共 3 项）"),
        (("一", "新建公厕", "", "进展。"), "A3", "序号“一”不是整数"),
        ((1, "新建厕所", "", "进展。"), "B3", "项目名称“新建厕所”与序号 1 的项目“新建公厕”不符"),
        ((1, "", "", "进展。"), "B3", "项目名称为空：序号 1 的项目是“新建公厕”"),
    ],
)
def test_official_form_rows_that_match_no_project_are_refused(
    content: Path, tmp_path: Path, row: tuple, cell: str, message: str
) -> None:
    form = official(tmp_path / "f.xlsx", [row])
    code, _, err = form_import(content, form, "--submitted", "2030-06-22")
    assert code == 1
    assert f"{form}:Sheet1!{cell}: {message}\n" in err
    assert not (content / "updates").exists()


@pytest.mark.parametrize("written", ["约100", "12,3", "100台", "1 2"])
def test_a_value_that_is_not_a_plain_number_is_refused(content: Path, tmp_path: Path, written: str) -> None:
    form = fill(export(content, tmp_path / "form.xlsx"), {1: {"推进情况": "进展。", "values": {"toilets": written}}})
    code, _, err = form_import(content, form, "--submitted", "2030-06-22")
    assert code == 1
    assert f"{form}:附件2!I4: 本月值“{written}”不是数字：{NUMBER_HINT}\n" in err


def test_a_bad_status_is_refused_naming_the_choices(content: Path, tmp_path: Path) -> None:
    form = fill(export(content, tmp_path / "form.xlsx"), {1: {"推进情况": "进展。", "自评状态": "正常"}})
    code, _, err = form_import(content, form, "--submitted", "2030-06-22")
    assert code == 1
    assert f"{form}:附件2!E4: 自评状态“正常”不是可选的值（未启动、序时推进、滞后、已完成）\n" in err


def test_a_value_for_an_indicator_the_project_lacks_is_refused(content: Path, tmp_path: Path) -> None:
    exported = fill(export(content, tmp_path / "form.xlsx"), {3: {"推进情况": "进展。", "values": {None: 5}}})
    code, _, err = form_import(content, exported, "--submitted", "2030-06-22")
    assert code == 1
    assert f"{exported}:附件2!I7: 项目 2030-03（助餐服务）没有量化指标：本月值应留空\n" in err

    typed = tmp_path / "typed.csv"
    typed.write_text(
        "序号,项目名称,推进情况（截至2030年6月底）,指标名称（单位）,本月值\n"
        "1,新建公厕,进展。,加装电梯（台）,5\n"
        "3,助餐服务,进展。,加装电梯（台）,5\n",
        encoding="utf-8",
    )
    code, _, err = form_import(content, typed, "--submitted", "2030-06-22")
    assert code == 1
    assert err.splitlines()[:2] == [
        f"{typed}:2:本月值: 项目 2030-01（新建公厕）没有指标“加装电梯（台）”（它的指标：新建公厕（座）、普及率（%））",
        f"{typed}:3:本月值: 项目 2030-03（助餐服务）没有指标“加装电梯（台）”（它没有量化指标）",
    ]


def test_a_period_outside_the_projects_years_is_refused(content: Path, tmp_path: Path) -> None:
    form = official(
        tmp_path / "f.xlsx", [(1, "新建公厕", "", "进展。")], title="测试区2031年重点民生实事工作目标任务推进落实情况表"
    )
    code, _, err = form_import(content, form, "--submitted", "2031-06-22")
    assert code == 1
    assert f"{form}:Sheet1!A1: 截至月份 2031-06 不在项目的年度内：没有 2031 年的项目清单（已有年份：2030）\n" in err


def test_period_given_against_the_header_is_refused(content: Path, tmp_path: Path) -> None:
    form = official(tmp_path / "f.xlsx", [(1, "新建公厕", "", "进展。")])
    code, _, err = form_import(content, form, "--period", "2030-07", "--submitted", "2030-07-22")
    assert code == 1
    assert f"{form}:Sheet1!D2: 表头写的是截至6月底，与 --period 2030-07 不符\n" in err


def test_a_form_without_month_asks_for_period(content: Path, tmp_path: Path) -> None:
    form = official(tmp_path / "f.xlsx", [(1, "新建公厕", "", "进展。")], header="推进情况\n（截至   月底）")
    code, _, err = form_import(content, form, "--submitted", "2030-06-22")
    assert code == 2
    assert err == (
        f"build.py: {form} 的工作表“Sheet1”：表头没有写明月份（推进情况（截至X月底））。"
        "请用 --period YYYY-MM 指定所报月份\n"
    )
    assert form_import(content, form, "--period", "2030-06", "--submitted", "2030-06-22")[0] == 0


def test_a_submitted_date_before_the_period_is_refused(content: Path, tmp_path: Path) -> None:
    form = official(tmp_path / "f.xlsx", [(1, "新建公厕", "", "进展。")])
    code, _, err = form_import(content, form, "--submitted", "2030-05-30")
    assert code == 1
    assert f"{form}:Sheet1!A3: 报送日期 2030-05-30（--submitted）早于所报月份 2030-06\n" in err


def test_one_bad_row_in_any_file_writes_nothing_and_every_problem_is_listed(content: Path, tmp_path: Path) -> None:
    good = official(tmp_path / "good.xlsx", [(1, "新建公厕", "", "进展。"), (2, "老旧小区加装电梯", "", "进展。")])
    bad = fill(
        export(content, tmp_path / "bad.xlsx"),
        {3: {"推进情况": "进展。"}, 1: {"推进情况": "进展。", "values": {"toilets": "约5", "coverage": "80%"}}},
    )
    before = snapshot(content)
    code, _, err = form_import(content, good, bad, "--submitted", "2030-06-22")
    assert code == 1
    assert snapshot(content) == before
    assert f"{bad}:附件2!I4: 本月值“约5”不是数字：{NUMBER_HINT}" in err
    assert f"{bad}:附件2!I5: 本月值“80%”不是数字：{NUMBER_HINT}" in err
    # the same project in two files is a problem too
    assert f"{bad}:附件2!A4: 项目 2030-01（新建公厕）重复：{good}:Sheet1!A3 已有" in err


@pytest.mark.parametrize("suffix", [".xls", ".et"])
def test_old_excel_and_wps_files_are_refused_with_what_to_do(content: Path, tmp_path: Path, suffix: str) -> None:
    form = tmp_path / f"form{suffix}"
    form.write_bytes(b"\xd0\xcf\x11\xe0 an OLE compound file")
    code, _, err = form_import(content, form, "--period", "2030-06")
    assert code == 1
    assert f"{form}: 不能读取 {suffix} 格式的表格：请在 Excel/WPS 中另存为 .xlsx 后再导入\n" in err


def test_a_damaged_xlsx_is_refused(content: Path, tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    form.write_bytes(b"PK\x03\x04 not really a workbook")
    code, _, err = form_import(content, form, "--period", "2030-06")
    assert code == 1
    assert f"{form}: 无法读取：不是有效的 .xlsx 文件（已损坏或加密？）；请在 Excel/WPS 中另存为 .xlsx 后再导入\n" in err


def test_a_workbook_declaring_xml_entities_is_refused_unread(content: Path, tmp_path: Path) -> None:
    exported = export(content, tmp_path / "form.xlsx")
    form = tmp_path / "entities.xlsx"
    with zipfile.ZipFile(exported) as source, zipfile.ZipFile(form, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + data
            target.writestr(info, data)
    code, _, err = form_import(content, form, "--period", "2030-06")
    assert code == 1
    assert f"{form}: 无法读取：不是有效的 .xlsx 文件（已损坏或加密？）" in err


def test_values_without_progress_text_are_refused_not_dropped(content: Path, tmp_path: Path) -> None:
    form = fill(export(content, tmp_path / "form.xlsx"), {2: {"values": {"lifts": 40}}})
    code, _, err = form_import(content, form, "--submitted", "2030-06-22")
    assert code == 1
    assert f"{form}:附件2!D6: 推进情况为空，但填了自评状态、本月值或报送日期：请填写推进情况，或清空本行\n" in err


# ---------------------------------------------------------------- an existing report


def test_reimport_shows_the_difference_and_refuses_then_replace_keeps_status_and_values(
    content: Path, tmp_path: Path
) -> None:
    form = fill(
        export(content, tmp_path / "form.xlsx"),
        {1: {"推进情况": "已建成公厕6座。", "自评状态": "序时推进", "values": {"toilets": 6, "coverage": 82}}},
    )
    assert form_import(content, form, "--submitted", "2030-06-20")[0] == 0
    path = report(content, "2030-01")
    before = path.read_bytes()

    corrected = official(tmp_path / "corrected.xlsx", [(1, "新建公厕", "", "已建成公厕7座。")])
    code, out, err = form_import(content, corrected)
    assert code == 1
    assert "-已建成公厕6座。\n+已建成公厕7座。\n" in out
    assert out.startswith(f"--- {content}/updates/reports/2030-06/2030-01.md（现有）\n")
    assert f"{path}: 已有 2030-06 的推进情况，与表格不同（差异见上）：确认以表格为准请加 --replace\n" in err
    assert path.read_bytes() == before

    code, out, err = form_import(content, corrected, "--replace", "--submitted", "2030-07-02")
    assert code == 0, err
    assert f"已更正 {path}" in out
    meta, body = read_post(path)
    assert body == "\n已建成公厕7座。\n"
    assert (meta["status"], meta["values"], meta["submitted"]) == (
        "on_track",
        {"toilets": "6", "coverage": "82"},
        "2030-06-20",
    )
    assert meta["revisions"] == [{"date": "2030-07-02", "before": {"body": "已建成公厕6座。"}}]
    assert run("check", "--content", str(content))[0] == 0


# ---------------------------------------------------------------- what a post is made of


_TEXT = st.text(
    alphabet=st.sampled_from(list("ab1.-+#=~*_`[]()!<>&|\\:'\" \t\n") + ["中", "文", "“", "”", "（", "）", "\u3000"]),
    max_size=40,
)


@given(_TEXT)
def test_any_progress_text_renders_as_exactly_that_text(text: str) -> None:
    clean = progress_text(text)
    html = markup.render(markdown_text(clean)) if clean else ""
    assert markup.plain(html) == " ".join(clean.split())
    assert html.replace("<p>", "").replace("</p>", "").count("<") == 0


@given(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30).filter(lambda t: not FORBIDDEN.search(t))
)
def test_front_matter_scalars_read_back_as_written(text: str) -> None:
    assert yamlsafe.load(f"key: {scalar(text)}", "t") == {"key": text}
    assert yamlsafe.load(f"key: [{scalar(text, flow=True)}]", "t") == {"key": [text]}
