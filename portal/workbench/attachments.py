"""Attachments (附件) uploaded with a post: their type told from their content, held in the form
until the post is saved, then written beside the post under names the server chooses and listed
in its front matter (``attachments: [{file, title}]``, as CONTENT-FORMAT.md has them).

The browser's file name never reaches the workbench, so the type is what the bytes are: a PDF
opens with ``%PDF-``; a zip file is a Word document, a workbook or an OFD by the part it holds; an
image is what Pillow finds; anything else that reads as text is a CSV. ``check`` (run on the
content as it would be, before anything is written) then judges each file as it judges any
attachment. Like photos, an attachment travels with the form as base64 until the post is saved.
"""

from __future__ import annotations

import base64
import codecs
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from portal import limits, paths
from portal.files import megabytes
from portal.workbench import photos

_PARTS = (("word/document.xml", ".docx"), ("xl/workbook.xml", ".xlsx"), ("OFD.xml", ".ofd"))
REFUSED = (
    f"这个文件不是能发布的附件（只能是 {limits.ATTACHMENTS_SAID} 文件，按内容判断，不看文件名）或已损坏："
    "请用原来的软件另存为 PDF 后再上传"
)


@dataclass(frozen=True)
class Attached:
    """A checked attachment waiting to be saved with its post."""

    data: bytes
    title: str
    suffix: str

    @property
    def carried(self) -> str:
        """The bytes as the form carries them."""
        return base64.b64encode(self.data).decode("ascii")

    @property
    def said(self) -> str:
        """Its type and size, as the form lists it."""
        return f"{self.suffix[1:].upper()}，{megabytes(len(self.data))}"


def accept(data: bytes, title: str) -> Attached | str:
    """The attachment (its title checked apart: title_problem), or why its bytes are refused."""
    if len(data) > photos.MAX_HELD:
        limit = megabytes(photos.MAX_HELD)
        return f"附件太大（{megabytes(len(data))}，在工作台里最多 {limit}）：请压缩，或拆成几个文件分别附上"
    suffix = kind(data)
    if suffix is None:
        return REFUSED
    return Attached(data, title.strip(), suffix)


def carried(text: str, title: str) -> Attached | str:
    """An attachment the form carried back, checked again like a new one."""
    data = photos.unpacked(text)
    return "附件的数据已损坏：请重新上传这个附件" if data is None else accept(data, title)


def title_problem(title: str) -> str | None:
    """What is wrong with an attachment's title, or None."""
    if not title.strip():
        return "请填写附件标题：读者在文章下看到的名称，如 竣工验收报告"
    if "\n" in title or "\r" in title:
        return "附件标题不能换行：请写成一行"
    return None


def kind(data: bytes) -> str | None:
    """The suffix the bytes are published under (.pdf, .docx …), or None when they are no attachment's."""
    if not data:
        return None
    if data.startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zipped(data)
    image = photos.kind(data)
    if image is not None:
        return photos.SUFFIXES[image]
    return ".csv" if _is_text(data) else None


def _zipped(data: bytes) -> str | None:
    """.docx, .xlsx or .ofd by the part the zip file holds (read from its directory, nothing unpacked)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return next((suffix for part, suffix in _PARTS if part in names), None)


def _is_text(data: bytes) -> bool:
    """Whether the bytes are text as Excel and WPS save a CSV (no NUL byte; UTF-8 or GB18030)."""
    if b"\x00" in data:
        return False
    for codec in ("utf-8-sig", "gb18030"):
        try:
            codecs.decode(data, codec)
        except UnicodeDecodeError:
            continue
        return True
    return False


def names(folder: Path, stem: str, held: list[Attached], chosen: list[str]) -> list[str]:
    """A name for each attachment beside the post ``stem``: ``<stem>-file-<n>.<suffix>`` (or
    ``file-<n>.<suffix>`` when that cannot be an address), taken by no file in the folder nor
    ``chosen`` (the photos' names)."""
    taken = {paths.key(p.name) for p in folder.iterdir()} if folder.is_dir() else set()
    taken |= {paths.key(name) for name in chosen}
    found: list[str] = []
    number = 0
    for attached in held:
        number += 1
        while paths.key(_name(stem, number, attached.suffix)) in taken:
            number += 1
        name = _name(stem, number, attached.suffix)
        taken.add(paths.key(name))
        found.append(name)
    return found


def _name(stem: str, number: int, suffix: str) -> str:
    name = f"{stem}-file-{number}{suffix}"
    return f"file-{number}{suffix}" if paths.segment_problem(name) else name


def listed(old: object, held: list[Attached], names: list[str]) -> list[dict[str, str]] | None:
    """The front matter's ``attachments``: the post's own (``old``) then the new ones; None when
    the post's own are not a list the workbench can add to."""
    if old in (None, ""):
        old = []
    if not isinstance(old, list) or not all(_plain(item) for item in old):
        return None
    return [*old, *({"file": name, "title": item.title} for item, name in zip(held, names, strict=True))]


def _plain(item: object) -> bool:
    """Whether a listed attachment is a mapping of texts (what the front-matter writer writes back)."""
    return isinstance(item, dict) and all(isinstance(value, str) for value in item.values())
