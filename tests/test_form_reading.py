"""Reading a form from outside (issue 18): bounded before the expensive work, and nothing read
silently as something else (hidden sheets, formulas without a value, merged ranges), and no
message a cell or a sheet's name can turn into terminal commands or a forged location.

Hostile workbooks are built here: a small openpyxl workbook whose parts are then rewritten.
Parts at a limit are runs of one repeated element; zipped, they stay a few kilobytes.
"""

from __future__ import annotations

import csv
import functools
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from conftest import run

from portal import limits
from portal.errors import ContentError, Problem
from portal.forms import workbook as forms_read
from portal.forms.sheetxml import Span
from portal.forms.workbook import Grid

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TITLE = "测试区2030年重点民生实事工作目标任务推进落实情况表"
HEADER = ["序号", "项目名称", "目标任务", "推进情况（截至6月底）"]
SAVE_AS = "请在 Excel/WPS 中另存为 .xlsx 后再导入"
NEW_BOOK = "请把要报送的表格复制到新建的工作簿，保存后再导入"


def workbook(
    path: Path,
    rows: list[list],
    build: Callable[[openpyxl.Workbook], None] | None = None,
    header: list[str] = HEADER,
) -> Path:
    """The notice's four-column form on a sheet named Sheet1: title row, header, rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for row in [[TITLE], header, *rows]:
        sheet.append(row)
    if build:
        build(book)
    book.save(path)
    return path


def rewrite(path: Path, parts: dict[str, Callable[[bytes], bytes] | bytes]) -> Path:
    """The workbook with some parts changed (a function of the old bytes) or added (bytes)."""
    with zipfile.ZipFile(path) as source:
        old = {name: source.read(name) for name in source.namelist()}
    for name, change in parts.items():
        old[name] = change(old[name]) if callable(change) else change
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in old.items():
            target.writestr(name, data)
    return path


def form_import(content: Path, form: Path) -> tuple[int, list[str]]:
    code, _, err = run(
        "form", "import", str(form), "--content", str(content), "--period", "2030-06", "--submitted", "2030-06-22"
    )
    return code, err.splitlines()


def refused(content: Path, form: Path) -> list[str]:
    """The problem lines of a refused import (exit 1, nothing written)."""
    code, lines = form_import(content, form)
    assert code == 1, lines
    *problems, summary = lines
    assert summary.startswith(f"共 {len(problems)} 个问题，未生成任何文件。")
    assert not (content / "updates").exists()
    return problems


def grids(form: Path) -> list[Grid]:
    return forms_read.read(form)


def problems_of(form: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        forms_read.read(form)
    return [str(p) for p in caught.value.problems]


# ---------------------------------------------------------------- limits before the work


@pytest.mark.parametrize("part", ["xl/sharedStrings.xml", "xl/media/notes.xml"])
def test_a_shared_strings_part_over_its_limit_is_refused_unparsed(tmp_path: Path, part: str) -> None:
    """The part openpyxl takes for the strings, as it finds it: through the content types."""
    items = (limits.FORM_STRINGS // 17 + 1) * b"<si><t>a</t></si>"
    strings = f'<sst xmlns="{MAIN}">'.encode() + items + b"</sst>"
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    override = f'<Override PartName="/{part}" ContentType="{kind}"/></Types>'.encode()
    form = rewrite(
        workbook(tmp_path / "form.xlsx", []),
        {part: strings, "[Content_Types].xml": lambda old: old.replace(b"</Types>", override)},
    )
    assert problems_of(form) == [f"{form}: 文件中的 {part}（文字）解压后有 8.1 MB，超过 8 MB 的上限：{NEW_BOOK}"]


def test_a_styles_part_over_its_limit_is_refused_unparsed(tmp_path: Path) -> None:
    xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    bloat = b"<cellXfs>" + (limits.FORM_STYLES // len(xf) + 1) * xf + b"</cellXfs>"
    form = rewrite(
        workbook(tmp_path / "form.xlsx", []),
        {"xl/styles.xml": lambda old: old.replace(b"<cellStyles", bloat + b"<cellStyles")},
    )
    assert problems_of(form) == [
        f"{form}: 文件中的 xl/styles.xml（单元格格式）解压后有 4.1 MB，超过 4 MB 的上限：{NEW_BOOK}"
    ]


def test_a_sheet_over_its_limit_is_refused_unparsed(tmp_path: Path) -> None:
    rows = (limits.FORM_SHEET // 6 + 1) * b"<row/>"
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>'.encode() + rows + b"</sheetData></worksheet>"
    form = rewrite(workbook(tmp_path / "form.xlsx", []), {"xl/worksheets/sheet1.xml": sheet})
    assert problems_of(form) == [
        f"{form}: 文件中的 xl/worksheets/sheet1.xml（工作表）解压后有 8.1 MB，超过 8 MB 的上限：{NEW_BOOK}"
    ]


def test_a_workbook_part_over_its_limit_is_refused_unparsed(tmp_path: Path) -> None:
    names = 50_000 * b'<definedName name="n">Sheet1!$A$1</definedName>'
    bloat = b"<definedNames>" + names + b"</definedNames><calcPr"
    form = rewrite(
        workbook(tmp_path / "form.xlsx", []), {"xl/workbook.xml": lambda old: old.replace(b"<calcPr", bloat)}
    )
    assert problems_of(form) == [
        f"{form}: 文件中的 xl/workbook.xml（工作簿结构）解压后有 2.3 MB，超过 2 MB 的上限：{NEW_BOOK}"
    ]


def test_pictures_count_only_in_the_whole(tmp_path: Path) -> None:
    """A pasted photo is never parsed: no part limit, only the total."""
    form = workbook(tmp_path / "form.xlsx", [[1, "新建公厕", "", "已建成4座。"]])
    rewrite(form, {"xl/media/image1.png": os.urandom(3 * 1024 * 1024)})
    assert grids(form)[0].value(3, 4) == "已建成4座。"
    with zipfile.ZipFile(form, "a", zipfile.ZIP_DEFLATED) as archive, archive.open("xl/media/image2.png", "w") as part:
        for _ in range(limits.FORM_UNPACKED // (1024 * 1024)):
            part.write(bytes(1024 * 1024))
    assert problems_of(form) == [f"{form}: 文件解压后共 35.1 MB，超过 32 MB 的上限：{NEW_BOOK}"]


def test_more_sheets_than_a_form_has_are_refused(tmp_path: Path) -> None:
    def sheets(book: openpyxl.Workbook) -> None:
        for number in range(limits.FORM_SHEETS):
            book.create_sheet(f"S{number}")

    form = workbook(tmp_path / "form.xlsx", [], sheets)
    assert problems_of(form) == [f"{form}: 工作簿有 33 个工作表，超过 32 个的上限：{NEW_BOOK}"]


def test_a_chart_sheet_is_refused(tmp_path: Path) -> None:
    form = workbook(tmp_path / "form.xlsx", [], lambda book: book.create_chartsheet("图表"))
    assert problems_of(form) == [f"{form}: 工作簿含有图表工作表：月度推进情况表不需要图表，{NEW_BOOK}"]


def test_rows_beyond_the_limit_are_one_message_in_a_csv(content: Path, tmp_path: Path) -> None:
    form = tmp_path / "form.csv"
    form.write_text(",".join(HEADER) + "\n" + "9,不存在的项目,,进展。\n" * limits.FORM_ROWS, encoding="utf-8")
    assert refused(content, form) == [f"{form}: 表格超过 5000 行，不像是月度推进情况表"]


def test_rows_beyond_the_limit_are_one_message_in_a_workbook(tmp_path: Path) -> None:
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>9</v></c></row>' % (r, r) for r in range(1, 5002))
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>'.encode() + rows + b"</sheetData></worksheet>"
    form = rewrite(workbook(tmp_path / "form.xlsx", []), {"xl/worksheets/sheet1.xml": sheet})
    assert problems_of(form) == [f"{form}:Sheet1: 表格超过 5000 行，不像是月度推进情况表"]


def test_blank_rows_beyond_the_limit_are_fine(tmp_path: Path) -> None:
    rows = b"".join(b'<row r="%d"><c r="A%d" s="0"/></row>' % (r, r) for r in range(1, 5002))
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>'.encode() + rows + b"</sheetData></worksheet>"
    form = rewrite(workbook(tmp_path / "form.xlsx", []), {"xl/worksheets/sheet1.xml": sheet})
    assert len(grids(form)[0].rows) == 5000


def long_cells(form: Path, **texts: str) -> Path:
    """The workbook with placeholder cells replaced by longer text than openpyxl writes."""
    changes = [(f">{name}<".encode(), f">{text}<".encode()) for name, text in texts.items()]
    return rewrite(
        form, {"xl/worksheets/sheet1.xml": lambda old: functools.reduce(lambda x, c: x.replace(*c), changes, old)}
    )


def test_a_cell_longer_than_excel_allows_is_refused_at_the_cell(content: Path, tmp_path: Path) -> None:
    form = workbook(tmp_path / "form.xlsx", [[1, "新建公厕", "", "FULL"], [2, "老旧小区加装电梯", "", "OVER"]])
    long_cells(form, FULL="进" * limits.FORM_CELL, OVER="进" * (limits.FORM_CELL + 1))
    assert refused(content, form) == [
        f"{form}:Sheet1!D4: 单元格有 32768 个字符，超过 Excel 单元格 32767 个字符的上限：请精简后再导入"
    ]


def test_a_csv_cell_longer_than_excel_allows_is_refused_at_its_row(content: Path, tmp_path: Path) -> None:
    form = tmp_path / "form.csv"
    form.write_text(",".join(HEADER) + "\n1,新建公厕,," + "进" * 32768 + "\n", encoding="utf-8")
    assert refused(content, form) == [
        f"{form}:2: 第 4 列有 32768 个字符，超过 Excel 单元格 32767 个字符的上限：请精简后再导入"
    ]


def test_a_csv_cell_longer_than_csv_reads_is_not_called_a_quote_error(tmp_path: Path) -> None:
    form = tmp_path / "form.csv"
    form.write_text(",".join(HEADER) + "\n1,新建公厕,," + "进" * 200_000 + "\n", encoding="utf-8")
    default = csv.field_size_limit(131072)  # Python's own; frictionless raises it for the whole process
    try:
        assert problems_of(form) == [f"{form}:2: 有单元格超过 Excel 单元格 32767 个字符的上限：请精简后再导入"]
    finally:
        csv.field_size_limit(default)


def test_cell_problems_are_listed_twenty_then_counted(tmp_path: Path) -> None:
    form = workbook(tmp_path / "form.xlsx", [[n, "x", "", "OVER"] for n in range(1, 26)])
    long_cells(form, OVER="进" * 32768)
    lines = problems_of(form)
    assert len(lines) == 21
    assert f"{form}:Sheet1: 另有 5 处同类问题未列出（最多列出 20 处）：请先改正以上各处" in lines


@pytest.mark.parametrize("kind", ["directory", "fifo"])
def test_a_path_that_is_no_file_is_wrong_usage_without_waiting(content: Path, tmp_path: Path, kind: str) -> None:
    form = tmp_path / "form.xlsx"
    if kind == "directory":
        form.mkdir()
    else:
        os.mkfifo(form)  # opening it would wait for a writer for ever
    code, lines = form_import(content, form)
    assert (code, lines) == (
        2,
        [f"build.py: {form} 不是文件（是文件夹、管道或设备）：请给出要导入的 .xlsx 或 .csv 文件 (not a file)"],
    )


# ---------------------------------------------------------------- nothing read as something else


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (
            "hidden",
            "工作表是隐藏的：看不见的内容不能导入公开。请在 Excel/WPS 中取消隐藏并核对（不需要的请删除）后再导入",
        ),
        ("veryHidden", f"工作表被设为“深度隐藏”（Excel/WPS 中看不到，也不能直接取消隐藏），不能导入：{NEW_BOOK}"),
    ],
)
def test_a_hidden_sheet_is_refused_naming_it(content: Path, tmp_path: Path, state: str, message: str) -> None:
    def hidden(book: openpyxl.Workbook) -> None:
        sheet = book.create_sheet("旧表")
        for row in [[TITLE], HEADER, [2, "老旧小区加装电梯", "", "看不见的进展。"]]:
            sheet.append(row)
        sheet.sheet_state = state

    form = workbook(tmp_path / "form.xlsx", [[1, "新建公厕", "", "已建成4座。"]], hidden)
    assert refused(content, form) == [f"{form}:旧表: {message}"]


def test_a_formula_without_a_computed_value_is_refused_at_its_cell(content: Path, tmp_path: Path) -> None:
    form = workbook(tmp_path / "form.xlsx", [[1, "新建公厕", "", '=C3&"已建成"']])
    assert refused(content, form) == [f"{form}:Sheet1!D3: 公式没有计算结果：请在 Excel/WPS 中打开并保存后再导入"]


def test_a_formula_with_its_value_is_read_as_the_value(tmp_path: Path) -> None:
    """As Excel saves it: the formula and the value it computed; an empty text result is a value."""
    form = workbook(tmp_path / "form.xlsx", [[1, "新建公厕", "", "=C3"], [2, "老旧小区加装电梯", "", "=C4"]])
    computed = '<c r="D3" t="str"><f>C3</f><v>已建成4座。</v></c>'.encode()
    rewrite(
        form,
        {
            # openpyxl writes an empty value as <v /> or, with lxml installed, <v></v>
            "xl/worksheets/sheet1.xml": lambda old: re.sub(
                rb'<c r="D4"><f>C4</f><v ?/>|<c r="D4"><f>C4</f><v></v>',
                b'<c r="D4" t="str"><f>C4</f><v></v>',
                re.sub(rb'<c r="D3"><f>C3</f>(<v ?/>|<v></v>)</c>', computed, old),
            )
        },
    )
    grid = grids(form)[0]
    assert (grid.value(3, 4), grid.value(4, 4)) == ("已建成4座。", None)


def test_merged_ranges_are_given_for_every_cell_they_cover(tmp_path: Path) -> None:
    def merge(book: openpyxl.Workbook) -> None:
        book.active.merge_cells("A1:D1")
        book.active.merge_cells("D3:D4")

    form = workbook(tmp_path / "form.xlsx", [[1, "新建公厕", "", "两项共用的进展。"], [2, "老旧小区加装电梯"]], merge)
    grid = grids(form)[0]
    assert grid.span(3, 4) == grid.span(4, 4) == Span(3, 4, 4, 4)
    assert str(grid.span(4, 4)) == "D3:D4"
    assert grid.span(1, 3) == Span(1, 1, 1, 4)
    assert grid.span(5, 4) is None and grid.span(3, 3) is None
    assert forms_read.read(workbook(tmp_path / "plain.xlsx", []))[0].merged == {}


def test_overlapping_merged_ranges_are_a_damaged_file(tmp_path: Path) -> None:
    merges = b'<mergeCells count="2"><mergeCell ref="A3:B4"/><mergeCell ref="B4:C5"/></mergeCells>'
    form = rewrite(
        workbook(tmp_path / "form.xlsx", []),
        {"xl/worksheets/sheet1.xml": lambda old: old.replace(b"</sheetData>", b"</sheetData>" + merges)},
    )
    assert problems_of(form) == [f"{form}:Sheet1: 合并单元格 A3:B4 与 B4:C5 重叠：文件已损坏，{SAVE_AS}"]


def test_more_merged_ranges_than_a_form_has_are_refused(tmp_path: Path) -> None:
    merges = b"".join(b'<mergeCell ref="A%d:B%d"/>' % (r, r) for r in range(1, 1002))
    form = rewrite(
        workbook(tmp_path / "form.xlsx", []),
        {
            "xl/worksheets/sheet1.xml": lambda old: old.replace(
                b"</sheetData>", b"</sheetData><mergeCells>" + merges + b"</mergeCells>"
            )
        },
    )
    assert problems_of(form) == [
        f"{form}:Sheet1: 合并单元格超过 1000 处，不像是月度推进情况表：请取消不必要的合并后再导入"
    ]


# ---------------------------------------------------------------- messages that cannot be turned


def test_control_characters_are_shown_escaped_in_every_message() -> None:
    problem = Problem("a\x1b[2J.csv", 3, "推进情况", "自评状态“\x1b[2J\r导入成功\n\t\x9b\u2028\u202e”")
    assert (
        str(problem)
        == "a\\u001b[2J.csv:3:推进情况: 自评状态“\\u001b[2J\\u000d导入成功\\u000a\\u0009\\u009b\\u2028\\u202e”"
    )


def test_a_cell_cannot_clear_the_screen_or_forge_a_line(content: Path, tmp_path: Path) -> None:
    form = tmp_path / "form.csv"
    form.write_text(
        '序号,项目名称,推进情况（截至6月底）,自评状态\n1,新建公厕,进展。,"\x1b[2J\r已写入 全部"\n', encoding="utf-8"
    )
    assert refused(content, form) == [
        f"{form}:2:自评状态: 自评状态“\\u001b[2J\\u000d已写入 全部”不是可选的值（未启动、序时推进、滞后、已完成）"
    ]


def test_a_sheet_name_cannot_forge_a_location(content: Path, tmp_path: Path) -> None:
    form = workbook(tmp_path / "form.xlsx", [[1, "新建公厕", "", "进展。", "正常"]], header=[*HEADER, "自评状态"])
    forged = "附件2!B9: 导入成功 '"
    rewrite(form, {"xl/workbook.xml": lambda old: old.replace(b'name="Sheet1"', f'name="{forged}"'.encode())})
    assert refused(content, form) == [
        f"{form}:'附件2!B9: 导入成功 '''!E3: 自评状态“正常”不是可选的值（未启动、序时推进、滞后、已完成）"
    ]


@pytest.mark.parametrize(
    ("name", "shown"),
    [("Sheet1", "Sheet1"), ("附件2", "附件2"), ("附件2（6月）", "附件2（6月）"), ("a b", "'a b'"), ("it's", "'it''s'")],
)
def test_names_in_locations_are_quoted_as_excel_quotes_sheets(name: str, shown: str) -> None:
    assert forms_read.quoted(name) == shown


def test_a_sheet_name_with_control_characters_is_refused(tmp_path: Path) -> None:
    form = rewrite(
        workbook(tmp_path / "form.xlsx", []),
        {"xl/workbook.xml": lambda old: old.replace(b'name="Sheet1"', b'name="a&#10;b"')},
    )
    assert problems_of(form) == [
        f"{form}:'a\\u000ab': 工作表名称含有控制字符：请在 Excel/WPS 中重命名这个工作表后再导入"
    ]


def test_a_progress_cell_merged_over_two_projects_is_refused_at_the_cell(content: Path, tmp_path: Path) -> None:
    form = workbook(
        tmp_path / "merged.xlsx",
        [
            [1, "新建公厕", "", "两个项目一起写的推进情况。"],
            [2, "老旧小区加装电梯", "", None],
            [3, "助餐服务", "", "已开展。"],
        ],
        build=lambda book: book.active.merge_cells("D3:D4"),
    )
    assert refused(content, form) == [
        f"{form}:Sheet1!D3: 推进情况是跨 2 个项目的合并单元格（D3:D4）：每个项目的推进情况应写在它自己的行，请取消合并后分别填写"
    ]
