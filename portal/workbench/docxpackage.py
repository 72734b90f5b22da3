"""A .docx recognised and weighed before mammoth parses it, so that what an editor uploads is
either a Word document that costs seconds or a refusal saying what to do.

News staff are sent files of every kind: an old .doc or a WPS .wps (both OLE compound files, as
is a .docx with an opening password), an RTF saved as ".doc", a spreadsheet. Each is named for
what it is. A .docx is a ZIP of parts: mammoth reads its XML parts whole into Python objects
(about 5 seconds and 75 MB a megabyte at worst), so the parts are counted and their unpacked
sizes summed from the ZIP directory first (zipfile never unpacks more than it declares). Any
part that is XML, whatever its name (mammoth follows the document's relationships to any
name), counts as XML, and each is read through defusedxml up to its root element: Word and WPS
never write a document type declaration, and an entity declaration is how an XML bomb starts.
"""

from __future__ import annotations

import io
import zipfile

from defusedxml.ElementTree import fromstring, iterparse

from portal import files, limits
from portal.errors import visible

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: .doc, .wps, or a .docx with a password
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # the stream an encrypted .docx keeps itself in
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}Override"
_WORD = {  # the main part of a document, a template, and their macro-enabled kinds (macros never run)
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
SAVE_AS = "请在 Word 或 WPS 中打开它，另存为“Word 文档（*.docx）”后再导入"
_SMALLER = "请删去不需要的内容，或把文档分成几篇后再导入"
_PICTURES = "请在 Word 中压缩图片（选中图片 → 图片格式 → 压缩图片）后再导入"
_LOOK = 1024  # bytes of a part looked at to tell XML from a picture or font


class DocxRefused(Exception):
    """A file that cannot become a post, with the message (in Chinese) that says what to do."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def check(data: bytes, name: str) -> None:
    """Refuse (DocxRefused) what is not a Word document or would cost too much to read."""
    shown = f"“{visible(name)}”"
    if len(data) > limits.DOCX_BYTES:
        raise DocxRefused(
            f"{shown}有 {files.limit_megabytes(len(data))}，超过 {files.limit_megabytes(limits.DOCX_BYTES)} 的上限：{_PICTURES}"
        )
    if data.startswith(_OLE):
        if _ENCRYPTED in data:
            raise DocxRefused(
                f"{shown}设置了打开密码，无法读取：请在 Word 或 WPS 中打开它，取消密码后另存为 .docx 再导入"
            )
        raise DocxRefused(f"{shown}是旧版 Word（.doc）或 WPS（.wps）格式：{SAVE_AS}")
    if data.startswith(b"{\\rtf"):
        raise DocxRefused(f"{shown}是 RTF 格式，不是 .docx：{SAVE_AS}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise DocxRefused(f"{shown}不是 Word 文档（.docx）：{SAVE_AS}") from exc
    with archive:
        try:
            _weigh(archive, shown)
        except DocxRefused:
            raise
        except Exception as exc:  # a damaged directory, part or XML: whatever fails, the same advice
            raise DocxRefused(damaged(name)) from exc


def damaged(name: str) -> str:
    return f"“{visible(name)}”已损坏，无法读取：{SAVE_AS}"


def _weigh(archive: zipfile.ZipFile, shown: str) -> None:
    parts = archive.infolist()
    if len(parts) > limits.DOCX_PARTS:
        raise DocxRefused(
            f"{shown}由 {len(parts)} 个部分组成，超过 {limits.DOCX_PARTS} 个的上限，不像是一篇稿件：{_SMALLER}"
        )
    if (total := sum(part.file_size for part in parts)) > limits.DOCX_UNPACKED:
        raise DocxRefused(
            f"{shown}解压后有 {files.limit_megabytes(total)}，超过 {files.limit_megabytes(limits.DOCX_UNPACKED)} 的上限：{_PICTURES}"
        )
    xml = [part for part in parts if _is_xml(archive, part)]
    if (text := sum(part.file_size for part in xml)) > limits.DOCX_XML:
        raise DocxRefused(
            f"{shown}的文字和格式（XML）解压后有 {files.limit_megabytes(text)}，超过 {files.limit_megabytes(limits.DOCX_XML)} 的上限：{_SMALLER}"
        )
    if not _is_word(archive):
        raise DocxRefused(f"{shown}不是 Word 文档（.docx），是别的文件打包成的：{SAVE_AS}")
    for part in xml:
        with archive.open(part) as source:
            next(iterparse(source, events=("start",)), None)  # up to the root element


def _is_xml(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> bool:
    """Whether an XML parser would read the part: it opens, after a byte-order mark and white
    space (in UTF-8 or UTF-16), with "<", or with more white space than is looked at."""
    with archive.open(part) as source:
        start = source.read(_LOOK)
    for mark in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        start = start.removeprefix(mark)
    start = start.lstrip(b" \t\r\n\x00")
    return start.startswith(b"<") or (not start and part.file_size > _LOOK)


def _is_word(archive: zipfile.ZipFile) -> bool:
    """Whether the package says it holds a Word document ([Content_Types].xml names its main part)."""
    if "[Content_Types].xml" not in archive.namelist():
        return False
    types = fromstring(archive.read("[Content_Types].xml"))
    return any(part.get("ContentType") in _WORD for part in types.iter(_TYPES))
