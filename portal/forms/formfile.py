"""The exported form as an .xlsx file: the sheet laid out, its checks, protection and printing,
and the same bytes whenever the content is the same.

A clerk's slips are caught as they type (a drop-down for 自评状态, numbers only for 本月值, a date
not before the month for 报送日期); protection keeps them in the yellow cells (no password: it
guards against slips, not people). The workbook carries no clock: its dates are the month's first
day and every ZIP entry has one fixed time, so exporting twice gives the same file.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from portal.forms import labels, layout
from portal.forms.layout import Block
from portal.model.portfolio import Portfolio
from portal.model.records import Month

MARK = "minsheng-portal:附件2"  # in the workbook's keywords: a form this tool exported


def workbook_bytes(portfolio: Portfolio, period: Month, unit: str | None, blocks: list[Block]) -> bytes:
    """The form as .xlsx bytes; the same content gives the same bytes (no clock anywhere)."""
    when = dt.datetime.combine(period.first_day(), dt.time())
    book = Workbook()
    sheet = book.active
    inputs = layout.lay_out(sheet, period, unit, portfolio.config.report_due_day, blocks)
    _validations(sheet, inputs, period)
    _page(sheet, portfolio.config.title)
    book.properties.title = labels.title(period.year)
    book.properties.creator = portfolio.config.publisher
    book.properties.keywords = MARK
    book.properties.created = book.properties.modified = when
    return _pack(book)


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
    sheet.print_title_rows = f"{layout.HEADER_ROW}:{layout.HEADER_ROW}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.8
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.oddHeader.left.text = site_title
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


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
