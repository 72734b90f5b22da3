"""The pictures of a Word document, taken as the post's photos while mammoth meets them.

A photo reaches the site only as JPEG, PNG or WebP (load/images.py), so each picture is known by
its bytes, never by the name or type the document gives it: those three are kept as they are
(the build strips their EXIF), a GIF or BMP becomes a PNG, and anything else (EMF and WMF, which
Word uses for drawings and charts and no browser shows; TIFF; SVG) is left out with a note
saying what to do. Pixels are counted from the header before anything is decoded. Each photo
gets a name the server chooses (image-1.png, image-2.jpg, …), and the alt text the document
gives it, unless that is only a file name or Word's own guess, which say nothing to a reader.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from mammoth.docx.files import InvalidFileReferenceError
from PIL import Image

from portal import limits

_KEPT = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
_MADE_PNG = {"GIF", "BMP"}
_DECLARED = {"image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp"}  # read, had they not been damaged
_KNOWN = (*_KEPT, *_MADE_PNG, "WMF")  # WMF: Pillow's name for both Windows metafiles, EMF and WMF
_UPLOAD = "请另存为 JPEG 或 PNG 图片后在编辑页上传"
# A file name (older Word put the picture's path here), or the caption Word 365 writes itself.
_NO_ALT = re.compile(
    r"(?i)\.(jpe?g|png|gif|bmp|webp|tiff?|emf|wmf|svg)$|自动生成(的说明)?$|description automatically generated$"
)


@dataclass(frozen=True)
class Picture:
    """A photo taken from the document: the file name it is saved under beside the post, its
    bytes and content type, and the alt text the document suggests ("" when it has none)."""

    name: str
    data: bytes = field(repr=False)
    content_type: str
    alt: str


class Pictures:
    """mammoth's image converter: called with each picture in document order, it keeps the
    photo and answers the <img> attributes (none for a picture left out, with a note)."""

    def __init__(self) -> None:
        self.kept: list[Picture] = []
        self.notes: list[str] = []
        self._met = 0
        self._named: dict[bytes, str] = {}  # a picture used twice is one photo

    def __call__(self, image: Any) -> dict[str, str]:
        self._met += 1
        number = self._met
        if number > limits.DOCX_PICTURES:
            if number == limits.DOCX_PICTURES + 1:
                self.notes.append(f"文档中的图片超过 {limits.DOCX_PICTURES} 张，第 {number} 张起没有导入：请分成几篇")
            return {}
        try:
            with image.open() as source:
                data = source.read()
        except InvalidFileReferenceError:
            self.notes.append(f"第 {number} 张图片链接到文档以外的文件，没有嵌入文档，没有导入：{_UPLOAD}")
            return {}
        taken = _photo(data, number, image.content_type or "")
        if isinstance(taken, str):
            self.notes.append(taken)
            return {}
        suggested = alt(image.alt_text or "")
        return {"src": self._name(*taken, suggested), "alt": suggested}

    def _name(self, data: bytes, suffix: str, content_type: str, suggested: str) -> str:
        digest = hashlib.sha256(data).digest()
        if digest not in self._named:
            name = f"image-{len(self.kept) + 1}.{suffix}"
            self._named[digest] = name
            self.kept.append(Picture(name, data, content_type, suggested))
        return self._named[digest]


def alt(text: str) -> str:
    """The document's alt text on one line, or "" when it only names a file or is Word's guess."""
    text = " ".join(text.split())
    return "" if _NO_ALT.search(text) else text


def _photo(data: bytes, number: int, declared: str) -> tuple[bytes, str, str] | str:
    """(bytes, suffix, content type) of a picture the site can show, or why it is left out."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # said below, in Chinese
            image = Image.open(io.BytesIO(data), formats=_KNOWN)
        with image:
            return _taken(image, data, number)
    except Image.DecompressionBombError:
        return f"第 {number} 张图片{_TOO_MANY}"
    except Image.UnidentifiedImageError:
        if declared not in _DECLARED:
            return f"第 {number} 张图片的格式（{declared or '未知'}）网页不能显示，没有导入：{_UPLOAD}"
        return f"第 {number} 张图片已损坏，无法读取，没有导入：{_UPLOAD}"
    except Exception:  # a damaged file, in any of Pillow's words (OSError, SyntaxError, ZeroDivisionError…)
        return f"第 {number} 张图片已损坏，无法读取，没有导入：{_UPLOAD}"


_TOO_MANY = f"像素过多（最多 {limits.MAX_IMAGE_PIXELS // 10_000} 万像素，每边最多 {limits.MAX_IMAGE_SIDE} 像素），没有导入：请缩小后在编辑页上传"


def _taken(image: Image.Image, data: bytes, number: int) -> tuple[bytes, str, str] | str:
    if image.format == "WMF":
        return f"第 {number} 张图片是 Windows 图元文件（EMF/WMF，常见于 Word 里画的图和图表），网页不能显示，没有导入：{_UPLOAD}"
    width, height = image.size
    if width * height > limits.MAX_IMAGE_PIXELS or max(width, height) > limits.MAX_IMAGE_SIDE:
        return f"第 {number} 张图片（{width}×{height}）{_TOO_MANY}"
    if image.format in _KEPT:
        return (data, *_KEPT[image.format])
    frame = image.convert("RGBA" if image.has_transparency_data else "RGB")  # a GIF's first frame
    buffer = io.BytesIO()
    frame.save(buffer, format="PNG")
    return buffer.getvalue(), "png", "image/png"
