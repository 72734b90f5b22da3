"""Photos uploaded with a post: checked by their content, held in the form until the post is
saved, then written beside the post under names the server chooses.

A photo is what Pillow finds in its bytes (JPEG, PNG or WebP, the formats a build publishes),
whatever the browser called it; its alt text is required (a reader who cannot see it hears
that text). Until the post is saved it travels with the form (base64 in a hidden field, a small
copy shown as a data: image), so that nothing is written before the whole post is checked, and
a page shown again (a preview, a refusal) keeps it. At saving, each gets the post's own name
and a number that no file beside it has: never another post's photo. A photo taken from a Word
document (从 Word 导入) also carries the name the body shows it by (image-1.png …): saved, it
stays where the body shows it, under its new name; every other photo is added at the body's end.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from portal import paths
from portal.files import megabytes
from portal.load import images

MAX_PHOTO = 8_000_000  # a phone's full-size JPEG is 2-6 MB; the page shows it at most 1,600 wide
MAX_HELD = 10_000_000  # the unsaved photos one form carries: a third bigger as base64, with a new
# photo and the text still under the 25 MB a workbench POST may send (app.MAX_BODY)
SUFFIXES = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
THUMBNAIL = (320, 320)
_UNSAFE_ALT = re.compile(r"[\[\]\\\r\n]")
_REF = re.compile(r"image-[1-9][0-9]{0,2}\.(?:jpg|png|webp)")  # as docxpictures names a document's pictures


@dataclass(frozen=True)
class Photo:
    """A checked photo waiting to be saved with its post."""

    data: bytes
    alt: str
    suffix: str
    ref: str = ""  # the name the body shows it by until it is saved (a Word document's picture), or ""

    @property
    def carried(self) -> str:
        """The bytes as the form carries them."""
        return base64.b64encode(self.data).decode("ascii")

    def markdown(self, name: str) -> str:
        return f"![{self.alt}]({name})"


def accept(data: bytes, alt: str) -> Photo | str:
    """The photo (its alt text checked apart: alt_problem), or why its bytes are refused."""
    if len(data) > MAX_PHOTO:
        return f"图片太大（{megabytes(len(data))}，最多 {megabytes(MAX_PHOTO)}）：请缩小或压缩后再上传"
    found = kind(data)
    if found is None:
        return "这个文件不是 JPEG、PNG 或 WebP 图片（或已损坏）：请选择照片文件，或另存为 JPEG 后再上传"
    return Photo(data, alt.strip(), SUFFIXES[found])


def carried(text: str, alt: str) -> Photo | str:
    """A photo the form carried back, checked again like a new one."""
    data = unpacked(text)
    return "图片的数据已损坏：请重新上传这张图片" if data is None else accept(data, alt)


def unpacked(text: str) -> bytes | None:
    """The bytes of a file the form carries back in a hidden field (base64), None when damaged."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def ref(text: str) -> str:
    """The name a photo the form carried back is shown by in the body, when it is one (image-1.png …); else ""."""
    return text if _REF.fullmatch(text) else ""


def alt_problem(alt: str) -> str | None:
    """What is wrong with a photo's alt text, or None."""
    if not alt.strip():
        return "请填写图片说明：用一句话说明图片里是什么，看不见图片的读者靠它了解内容"
    if _UNSAFE_ALT.search(alt):
        return "图片说明里不能有方括号 [ ]、反斜杠 \\ 或换行：请改用【】或删去"
    return None


def kind(data: bytes) -> str | None:
    """The format the bytes are (JPEG, PNG or WEBP), or None when they are none of them or damaged."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=images.FORMATS) as image:
                image.verify()
                return image.format
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None


def thumbnail(photo: Photo) -> str:
    """A small JPEG of the photo as a data: address, for the form to show; "" when it cannot be made."""
    try:
        with Image.open(io.BytesIO(photo.data), formats=images.FORMATS) as image:
            image.draft("RGB", THUMBNAIL)  # a JPEG is decoded at an eighth of its size when that is enough
            image.thumbnail(THUMBNAIL)
            small = image.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        return ""
    out = io.BytesIO()
    small.save(out, "JPEG", quality=80)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def names(folder: Path, stem: str, held: list[Photo]) -> list[str]:
    """A name for each photo beside the post ``stem``: ``<stem>-<n>.<suffix>``, taken by no file in
    the folder (however its name is cased or normalised)."""
    base = re.sub(r"[^\w\-]+", "-", stem).strip("-_")[:60] or "photo"
    taken = {paths.key(p.name) for p in folder.iterdir()} if folder.is_dir() else set()
    chosen: list[str] = []
    number = 0
    for photo in held:
        number += 1
        while paths.key(f"{base}-{number}{photo.suffix}") in taken:
            number += 1
        name = f"{base}-{number}{photo.suffix}"
        taken.add(paths.key(name))
        chosen.append(name)
    return chosen


def placed(body: str, held: Sequence[Photo], names: Sequence[str]) -> str:
    """The body with its photos under the names chosen for them: each where the body shows it by
    its ``ref`` (with its alt text as written in the form), the others added at the end."""
    added: list[str] = []
    for photo, name in zip(held, names, strict=True):
        shown = re.compile(rf"!\[[^\]\n]*\]\({re.escape(photo.ref)}\)")
        written = photo.markdown(name)
        if photo.ref and shown.search(body):
            body = shown.sub(lambda _, written=written: written, body)
        else:
            added.append(written)
    return "\n\n".join([body] * bool(body) + added)


def lines(body: str, names: Sequence[str]) -> dict[int, int]:
    """Which photo (its number) each line of the body (counted from 0) shows first, for a problem
    ``check`` finds on that line to be put beside that photo."""
    found: dict[int, int] = {}
    for index, line in enumerate(body.split("\n")):
        for number, name in enumerate(names):
            if f"]({name})" in line:
                found.setdefault(index, number)
    return found
