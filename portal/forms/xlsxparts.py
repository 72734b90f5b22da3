"""The parts of an .xlsx weighed before any is parsed, so that a small file cannot cost gigabytes.

A workbook is a ZIP of XML parts; openpyxl reads some of them whole, and a part read whole
becomes Python objects some 25 times its size. The ZIP directory declares each part's unpacked
size (and zipfile never unpacks more than that), so every part openpyxl will read is weighed
against its budget first: the parts that lead to the others (content types, the workbook and its
relationships) before they are parsed, the others as openpyxl finds them.
"""

from __future__ import annotations

import zipfile

from portal import files, limits
from portal.errors import ContentError, Problem

NEW_BOOK = "请把要报送的表格复制到新建的工作簿，保存后再导入"


def checked_parts(archive: zipfile.ZipFile, shown: str) -> set[str]:
    """The sheets' parts, once every part openpyxl will read is within its limit.

    The parts that lead to the others (content types, the workbook and its relationships) are
    checked before they are parsed, and the others found from them as openpyxl finds them;
    parts it never opens in read-only mode (pictures, printer settings) count in the whole only.
    """
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.packaging.relationship import get_rels_path
    from openpyxl.reader.workbook import WorkbookParser
    from openpyxl.xml import constants as ct
    from openpyxl.xml.functions import fromstring

    sizes = {info.filename: info.file_size for info in archive.infolist()}
    if (total := sum(sizes.values())) > limits.FORM_UNPACKED:
        message = f"文件解压后共 {files.limit_megabytes(total)}，超过 {files.limit_megabytes(limits.FORM_UNPACKED)} 的上限：{NEW_BOOK}"
        raise ContentError([Problem(shown, None, None, message)])
    _no_declarations(archive)

    def within(name: str, limit: int, what: str) -> None:
        if sizes.get(name, 0) > limit:
            message = f"文件中的 {name}（{what}）解压后有 {files.limit_megabytes(sizes[name])}，超过 {files.limit_megabytes(limit)} 的上限：{NEW_BOOK}"
            raise ContentError([Problem(shown, None, None, message)])

    within(ct.ARC_CONTENT_TYPES, limits.FORM_PART, "内容类型")
    manifest = Manifest.from_tree(fromstring(archive.read(ct.ARC_CONTENT_TYPES)))
    books = [part.PartName[1:] for kind in (ct.XLTM, ct.XLTX, ct.XLSM, ct.XLSX) for part in manifest.findall(kind)]
    workbook = (books or [ct.ARC_WORKBOOK])[0]  # the part openpyxl's reader takes
    for name in (*books, ct.ARC_WORKBOOK, get_rels_path(workbook), ct.ARC_CORE, ct.ARC_CUSTOM, ct.ARC_THEME):
        within(name, limits.FORM_PART, "工作簿结构")
    if strings := manifest.find(ct.SHARED_STRINGS):
        within(strings.PartName[1:], limits.FORM_STRINGS, "文字")
    within(ct.ARC_STYLE, limits.FORM_STYLES, "单元格格式")
    parser = WorkbookParser(archive, workbook, keep_links=False)
    parser.parse()
    if len(parser.sheets) > limits.FORM_SHEETS:
        message = f"工作簿有 {len(parser.sheets)} 个工作表，超过 {limits.FORM_SHEETS} 个的上限：{NEW_BOOK}"
        raise ContentError([Problem(shown, None, None, message)])
    rels = [rel for _, rel in parser.find_sheets()]
    if any("chartsheet" in rel.Type for rel in rels):
        raise ContentError([Problem(shown, None, None, f"工作簿含有图表工作表：月度推进情况表不需要图表，{NEW_BOOK}")])
    targets = {rel.target for rel in rels}
    if len(targets) < len(rels):
        raise ValueError("two sheets read from one part")  # no spreadsheet program writes that
    for target in targets:
        within(target, limits.FORM_SHEET, "工作表")
        within(get_rels_path(target), limits.FORM_PART, "工作表的关联")
    return targets


def _no_declarations(archive: zipfile.ZipFile) -> None:
    """No XML part declares a document type or entities: Excel and WPS never write one, and
    whether a parser expands them depends on which parser openpyxl found installed (with lxml it
    reads on without a word); ValueError, a damaged file, whichever it is."""
    for info in archive.infolist():
        if info.filename.endswith((".xml", ".rels", ".vml")):
            data = archive.read(info)
            if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                raise ValueError(f"{info.filename} declares a document type")
