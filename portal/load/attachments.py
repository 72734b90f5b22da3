"""A post's attachments (its front matter's ``attachments``): files beside the post that readers
download as they are, such as an acceptance certificate or an inspection report.

Each is checked where its post is read, before anything is published: listed with a file name
and a title; the file itself beside the post (no folder, no link, no pipe), of a kind the
contract allows, within limits.MAX_ATTACHMENT_BYTES, and holding what its name says where that
is cheap to see (a renamed program is no PDF); its name one that can be an address, and one no
other file of the post's is published under. When the site is written the file is read again,
as bounded (``published``).
"""

from __future__ import annotations

import codecs
import os
import stat
import warnings
from pathlib import Path
from typing import BinaryIO

from PIL import Image

from portal import files, limits, paths
from portal.errors import ContentError, Problem, Problems
from portal.load import yamlsafe
from portal.load.images import Photo
from portal.load.tables import BLANK
from portal.model import urls
from portal.model.records import Attachment

_KEYS = ("file", "title")
_ADVICE = "请压缩，或拆成几个文件分别附上"
_ZIPPED = (".ofd", ".docx", ".xlsx")  # each a zip file of XML parts
_IMAGES = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
_TEXT_HEAD = 65_536  # what is read of a CSV to see that it is text


def find(
    meta: yamlsafe.Mapping, post: Path, rel: str, url: str, photos: tuple[Photo, ...], problems: Problems
) -> tuple[Attachment, ...]:
    """The attachments of the post at ``post`` (its page at ``url``) that can be published; what
    is wrong with the others said, each at its line and field (``attachments[2].file``)."""
    written = meta.get("attachments")
    if written in (None, ""):
        return ()
    if not isinstance(written, list):
        message = "附件应为列表，每个附件写明 file（文件名）和 title（标题），如 - file: 验收报告.pdf"
        problems.add(rel, meta.line_of("attachments"), "attachments", message)
        return ()
    variants = {paths.key(photo.name(width)): photo.src for photo in photos for width in photo.widths()}
    listed: dict[str, str] = {}  # each attachment's name as a case-insensitive disk sees it → as listed
    found: list[Attachment] = []
    for number, item in enumerate(written, start=1):
        field = f"attachments[{number}]"
        entry = _entry(item, field, meta, rel, problems)
        if entry is None:
            continue
        name, title, line = entry
        key = paths.key(name)
        why = _clash(name, listed.get(key), variants.get(key))
        listed.setdefault(key, name)
        if why is None:
            try:
                size = _checked(post.parent / name)
            except files.Refused as exc:
                why = exc.message
        if why is not None:
            problems.add(rel, line, f"{field}.file", f"附件“{name}”{why}")
            continue
        found.append(Attachment(name, title, size, urls.attachment(url, name), str(post.parent / name)))
    return tuple(found)


def _entry(item: object, field: str, meta: yamlsafe.Mapping, rel: str, problems: Problems) -> tuple | None:
    """(file name, title, line) of one listed attachment, or None when either is wrong (said)."""
    if not isinstance(item, yamlsafe.Mapping):
        message = "每个附件应写成 file（文件名）和 title（标题）两项，如 - file: 验收报告.pdf"
        problems.add(rel, meta.line_of("attachments"), field, message)
        return None
    for key in item:
        if key not in _KEYS:
            problems.add(rel, item.line_of(key), f"{field}.{key}", f"未知的字段“{key}”：附件只有 file、title 两项")
    name, title, line = item.get("file"), item.get("title"), item.line_of("file")
    if not isinstance(name, str) or not name.strip(BLANK):
        problems.add(rel, line, f"{field}.file", "附件缺少文件名（file）：写明放在文章旁边的文件名，如 验收报告.pdf")
        return None
    problem = _name_problem(name)
    if problem:
        problems.add(rel, line, f"{field}.file", problem)
    if not isinstance(title, str) or not title.strip(BLANK):
        message = f"附件“{name}”缺少标题（title）：写明读者看到的名称，如 竣工验收报告"
        problems.add(rel, item.line_of("title"), f"{field}.title", message)
        return None
    return None if problem else (name, title.strip(BLANK), line)


def _name_problem(name: str) -> str | None:
    """Why a listed file name cannot be an attachment's, or None."""
    if "/" in name or "\\" in name:
        return f"附件“{name}”应放在文章旁边：file 只写文件名，不写文件夹或 /"
    suffix = Path(name).suffix.lower()
    if suffix not in limits.ATTACHMENT_SUFFIXES:
        return f"附件“{name}”的类型不能发布：附件只能是 {limits.ATTACHMENTS_SAID} 文件，请另存为 PDF 后再附上"
    problem = paths.segment_problem(name)
    return f"附件文件名“{name}”不能用作网址：{problem}" if problem else None


def _clash(name: str, listed: str | None, photo: str | None) -> str | None:
    """Why a name is published already beside the post (as ``listed`` or a ``photo``'s size), or None."""
    if listed == name:
        return "重复：同一个文件只列一次"
    if listed is not None:
        return f"与附件“{listed}”会发布为同一个文件名：请给其中一个改名"
    if photo is not None:
        return f"与图片“{photo}”缩小后的文件同名：请给附件改名"
    return None


def _checked(path: Path) -> int:
    """The size of an attachment's file once it is seen to be what its name says; else files.Refused."""
    _not_linked(path)
    with files.open_regular(path, limits.MAX_ATTACHMENT_BYTES, _ADVICE) as file:
        size = os.fstat(file.fileno()).st_size
        if size == 0:
            raise files.Refused("是空文件：请放入完整的文件")
        problem = _content_problem(Path(path).suffix.lower(), file, size)
    if problem:
        raise files.Refused(problem)
    return size


def _not_linked(path: Path) -> None:
    """Refuse a missing file or a link (files.Refused): an attachment is the file itself."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError as exc:
        raise files.Refused("不存在：请把文件放在文章旁边（与文章同一个文件夹），或改正文件名") from exc
    except OSError as exc:
        raise files.Refused(f"无法读取（{exc.strerror}）") from exc
    if stat.S_ISLNK(mode):
        raise files.Refused("是一个链接（快捷方式），不是文件本身：请把文件本身放在文章旁边")


def _content_problem(suffix: str, file: BinaryIO, size: int) -> str | None:
    """Why the file's first bytes are not of the kind its name says, or None."""
    if suffix == ".pdf":
        ok, kind = file.read(5) == b"%PDF-", "PDF 文件"
    elif suffix in _ZIPPED:
        ok, kind = file.read(4) == b"PK\x03\x04", f"{suffix[1:].upper()} 文件"
    elif suffix == ".csv":
        ok, kind = _is_text(file.read(_TEXT_HEAD), whole=size <= _TEXT_HEAD), "CSV 文字（UTF-8 或 GB18030 编码）"
    else:
        ok, kind = _is_image(file, _IMAGES[suffix]), f"{_IMAGES[suffix]} 图片"
    return None if ok else f"的内容不是 {kind}，只是文件名以 {suffix} 结尾：请用原来的软件另存后再附上"


def _is_text(head: bytes, whole: bool) -> bool:
    """Whether the opening of a file is text as Excel and WPS save a CSV (no NUL byte)."""
    if b"\x00" in head:
        return False
    for codec in ("utf-8-sig", "gb18030"):
        try:
            codecs.getincrementaldecoder(codec)().decode(head, final=whole)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _is_image(file: BinaryIO, fmt: str) -> bool:
    """Whether Pillow reads the file's header as an image of this format (no pixel is decoded)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file, formats=(fmt,)):
                return True
    except Image.DecompressionBombError:
        return True  # an image of this format, only large: it is downloaded, never decoded here
    except (Image.UnidentifiedImageError, OSError):
        return False


def published(attachment: Attachment, rel: str) -> bytes:
    """The attachment's bytes, read again as bounded when the site is written (of the post at ``rel``)."""
    try:
        _not_linked(Path(attachment.source))
        return files.read(attachment.source, limits.MAX_ATTACHMENT_BYTES, _ADVICE)
    except files.Refused as exc:
        raise ContentError([Problem(rel, None, "attachments", f"附件“{attachment.file}”{exc.message}")]) from exc
