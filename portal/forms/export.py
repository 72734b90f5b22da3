"""``form export``: the month's 附件2 as an .xlsx, prefilled, protected, and the same bytes every time.

Layout, one block of rows a project (a clerk reads it like the notice's own form):

    A 序号 | B 项目名称 | C 目标任务 | D 推进情况（截至X月底） | E 自评状态 |
    F 指标名称（单位） | G 目标值 | H 上月值 | I 本月值 | J 报送日期 | K 指标编号 (hidden)

The project's first row carries A–E and J; each measurable indicator takes one row of F–I, so a
project with five indicators has five rows and one with none has one. A co-led project is filed by
its first-listed unit (forms.filer): on the other lead units' forms it is one locked row saying
由<unit>汇总填报. Under the table: 填报人, 联系电话 and 审核人（单位主要负责人）, as the notice
sends the form "经单位主要负责人审核后". The rows of a block are
not merged (Excel and WPS cannot grow a merged cell's height to fit the text typed into it);
borders draw the block instead. Light yellow cells are the ones to fill; every other cell is
locked by sheet protection (no password: it guards against slips, not people).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from portal import load
from portal.errors import UsageError
from portal.forms import labels
from portal.model.portfolio import Portfolio
from portal.model.present import number, target_text
from portal.model.records import Month, Project

SHEET = "附件2"
HEADER_ROW = 3

# (label, width); the label of D depends on the month.
COLUMNS = (
    (labels.SEQ, 6),
    (labels.NAME, 16),
    (labels.TARGET, 32),
    (labels.PROGRESS, 44),
    (labels.STATUS, 10),
    (labels.INDICATOR, 24),
    (labels.GOAL, 8),
    (labels.LAST, 10),
    (labels.VALUE, 10),
    (labels.SUBMITTED, 12),
    (labels.INDICATOR_ID, 14),
)
PROJECT_COLUMNS = (1, 2, 3, 4, 5, 10)  # one cell a project, drawn as one box down its block
INPUT_FILL = PatternFill("solid", fgColor="FFF6D5")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_THIN = Side(style="thin", color="808080")
FONT = "宋体"


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator's row in a project's block, as shown."""

    name: str
    goal: str
    last: Decimal | str | None
    indicator_id: str


MARK = "minsheng-portal:附件2"  # in the workbook's keywords: a form this tool exported


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
    labels.write_atomically({target: e.data for target, e in targets.items()})
    for target, e in targets.items():
        print(f"已导出 {target}：{e.summary(portfolio)}（截至 {period.label}底）")
    return 0


def export(portfolio: Portfolio, period: Month, unit: str | None) -> Export:
    """The period's form for a unit (None: every project of the year), as bytes and a file name."""
    projects = select(portfolio, period, unit)
    name = f"附件2-推进情况-{period}{'-' + unit if unit else ''}.xlsx"
    return Export(unit, projects, name, workbook_bytes(portfolio, projects, period, unit))


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
    return MARK in core and "lastModifiedBy" not in core and len(stamps) == 2 and stamps[0] == stamps[1]


def workbook_bytes(portfolio: Portfolio, projects: tuple[Project, ...], period: Month, unit: str | None) -> bytes:
    """The form as .xlsx bytes; the same content gives the same bytes (no clock anywhere)."""
    when = dt.datetime.combine(period.first_day(), dt.time())
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    _title_rows(sheet, period, unit, portfolio.config.report_due_day)
    _header(sheet, period)
    row = HEADER_ROW + 1
    inputs: dict[str, list[str]] = {"status": [], "value": [], "date": []}
    for project in projects:
        if files(project, unit):
            row = _block(sheet, row, project, indicator_rows(portfolio, project, period), inputs)
        else:
            row = _filed_by_other(sheet, row, project)
    _footer(sheet, row + 1)
    _validations(sheet, inputs, period)
    _page(sheet, portfolio.config.title)
    book.properties.title = labels.title(period.year)
    book.properties.creator = portfolio.config.publisher
    book.properties.keywords = MARK
    book.properties.created = book.properties.modified = when
    return _pack(book)


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


# ---------------------------------------------------------------- layout


def _title_rows(sheet: Worksheet, period: Month, unit: str | None, due_day: int) -> None:
    last = get_column_letter(len(COLUMNS) - 1)  # the hidden id column stays outside
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = labels.title(period.year)
    sheet["A1"].font = Font(name="黑体", size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 32
    sheet.merge_cells(f"A2:{last}2")
    due = period.day(due_day)
    sheet["A2"] = (
        f"填报单位：{unit or '__________'}　　截至{period.year}年{period.month}月底　　"
        f"请于{due.month}月{due.day}日前报送\n"
        "填写说明：浅黄色单元格为填写处；自评状态从下拉列表中选择；本月值填截至本月底的累计完成值，"
        "只写数字（不写“约”、单位或千位分隔符）；推进情况为空的项目视为未报送。"
    )
    sheet["A2"].font = Font(name=FONT, size=10)
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[2].height = 36


def _header(sheet: Worksheet, period: Month) -> None:
    for column, (label, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(
            HEADER_ROW, column, labels.progress_header(period.month) if label == labels.PROGRESS else label
        )
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.column_dimensions[get_column_letter(len(COLUMNS))].hidden = True
    sheet.row_dimensions[HEADER_ROW].height = 30
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"


def _block(
    sheet: Worksheet, first: int, project: Project, lines: list[IndicatorLine], inputs: dict[str, list[str]]
) -> int:
    """Write one project's rows from ``first``; returns the next free row."""
    height = max(len(lines), 1)
    last = first + height - 1
    for offset in range(height):
        row = first + offset
        line = lines[offset] if lines else None
        top = row == first
        prefilled = {1: project.seq, 2: project.name, 3: project.target} if top else {}
        for column in range(1, len(COLUMNS) + 1):
            cell = _put(sheet, row, column, prefilled.get(column))
            editable = (top and column in (4, 5, 10)) or (line is not None and column == 9)
            cell.protection = Protection(locked=not editable)
            cell.font = Font(name=FONT, size=11)
            centred = column in (1, 5, 7, 8, 9, 10)
            cell.alignment = Alignment(
                horizontal="center" if centred else "left",
                vertical="center" if column > 5 and column != 10 else "top",
                wrap_text=True,
            )
            if editable:
                cell.fill = INPUT_FILL
            elif column not in (4, 5, 10):  # below a yellow cell stays white: one box with it
                cell.fill = LOCKED_FILL
            if column in PROJECT_COLUMNS:
                cell.border = Border(
                    left=_THIN, right=_THIN, top=_THIN if row == first else None, bottom=_THIN if row == last else None
                )
            else:
                cell.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
        if line is None:
            _put(sheet, row, 6, labels.NO_INDICATOR)
        else:
            for column, value in ((6, line.name), (7, line.goal), (8, line.last), (11, line.indicator_id)):
                _put(sheet, row, column, value)
            inputs["value"].append(f"I{row}")
    for offset in range(height):
        row = first + offset
        texts = {c: sheet.cell(row, c).value for c in (1, 2, 3, 6)}
        sheet.row_dimensions[row].height = _height(texts, minimum_lines=3 if offset == 0 else 1)
    inputs["status"].append(f"E{first}")
    inputs["date"].append(f"J{first}")
    sheet.cell(first, 10).number_format = "yyyy-mm-dd"
    return last + 1


def _filed_by_other(sheet: Worksheet, row: int, project: Project) -> int:
    """A co-led project on a form of one of its other lead units: one locked row, nothing to fill."""
    text = f"由{labels.filer(project)}汇总填报"
    for column in range(1, len(COLUMNS) + 1):
        value = {1: project.seq, 2: project.name, 3: project.target, 4: text}.get(column)
        cell = _put(sheet, row, column, value)
        cell.protection = Protection(locked=True)
        cell.font = Font(name=FONT, size=11, italic=column == 4)
        cell.fill = LOCKED_FILL
        cell.alignment = Alignment(horizontal="center" if column == 1 else "left", vertical="top", wrap_text=True)
        cell.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
    sheet.row_dimensions[row].height = _height({c: sheet.cell(row, c).value for c in (1, 2, 3)}, minimum_lines=2)
    return row + 1


def _footer(sheet: Worksheet, first: int) -> None:
    """填报人, 联系电话, 审核人: a label merged over A:B, and the cell to fill in C (the import
    keeps only 审核人, as the report's reviewed_by)."""
    for offset, label in enumerate(labels.FOOTER):
        row = first + offset
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        cell = _put(sheet, row, 1, f"{label}：")
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.alignment = Alignment(horizontal="right", vertical="center", wrap_text=True)
        box = _put(sheet, row, 3, None)
        box.protection = Protection(locked=False)
        box.fill = INPUT_FILL
        box.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
        box.font = Font(name=FONT, size=11)
        sheet.row_dimensions[row].height = 22


def _validations(sheet: Worksheet, inputs: dict[str, list[str]], period: Month) -> None:
    choices = "、".join(labels.STATUS_LABELS)
    status = DataValidation(
        type="list",
        formula1='"' + ",".join(labels.STATUS_LABELS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=labels.STATUS,
        error=f"请从下拉列表中选择：{choices}",
    )
    value = DataValidation(
        type="decimal",
        operator="between",
        formula1="-1000000000000",
        formula2="1000000000000",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=labels.VALUE,
        error="本月值只写数字，如 12 或 6.5（不写“约”、单位或千位分隔符）",
    )
    start = period.first_day()
    date = DataValidation(
        type="date",
        operator="greaterThanOrEqual",
        formula1=f"DATE({start.year},{start.month},{start.day})",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=labels.SUBMITTED,
        error=f"报送日期写成 {start.year}-{start.month:02d}-25 这样的日期，且不早于 {start}",
    )
    for validation, cells in ((status, inputs["status"]), (value, inputs["value"]), (date, inputs["date"])):
        for cell in cells:
            validation.add(cell)
        if cells:
            sheet.add_data_validation(validation)


def _page(sheet: Worksheet, site_title: str) -> None:
    """Protection on, A4 landscape, one page wide, the header row on every page."""
    sheet.protection.sheet = True
    sheet.protection.formatRows = False  # a clerk may make a row taller for a long text
    sheet.protection.formatColumns = False
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.8
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.oddHeader.left.text = site_title
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def _put(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """A value into a cell, text always as text: a name starting with "=" is no formula."""
    cell = sheet.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _height(texts: dict[int, object], minimum_lines: int) -> float:
    """Points enough for every prefilled text to show whole (Excel and WPS grow no row on
    opening; a clerk's own text can grow the row with a double click on its lower border)."""
    lines = minimum_lines
    for column, text in texts.items():
        if text is None:
            continue
        room = COLUMNS[column - 1][1] - 1
        widths = [
            sum(2.2 if unicodedata.east_asian_width(c) in "WF" else 1.1 for c in p) for p in str(text).split("\n")
        ]
        lines = max(lines, sum(max(1, math.ceil(w / room)) for w in widths))
    return lines * 15 + 4


# ---------------------------------------------------------------- bytes


def _pack(book: Workbook) -> bytes:
    """Write the workbook, then give every zip entry one fixed time (zipfile would use the clock)."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()  # not save_workbook(): it stamps "modified" with now
    fixed = io.BytesIO()
    stamp = (1980, 1, 1, 0, 0, 0)  # the zip format's first day; the document's dates are in core.xml
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, source.read(info.filename))
    return fixed.getvalue()
