"""Photos in posts, as editors use them: kept beside the post, resized at build time to web
sizes with srcset, their EXIF data (a phone photo carries its GPS location) stripped.

An image needs alt text, must lie inside content/, and is never loaded from another host.
"""

from __future__ import annotations

import io
import os
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from urllib.parse import unquote

from PIL import Image, ImageOps

from portal import files, limits, paths

WIDTHS = (480, 960, 1600)
SUFFIXES = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
# The opening of an inline image, ![alt](; what follows up to its closing ) is read by _inline.
_OPENING = re.compile(r"!\[([^\]]*)\]\(")
_TITLE = re.compile(r"""\s+("[^"]*"|'[^']*'|\([^)]*\))\s*$""")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # a backslash before ASCII punctuation, as Markdown reads it
_IMG = re.compile(r'<img\b([^>]*?)\bsrc="([^"]*)"([^>]*)>')
_HTML_IMG = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]*)""", re.I)
_REMOTE = re.compile(r"^[a-z][a-z0-9+.-]*:|^//", re.I)
# What an editor is told about an image written in any other way (HTML, a reference).
HOW = "图片只能写成 ![图片内容的说明](文件名.jpg)，图片文件放在文章旁边"
FORMATS = ("JPEG", "PNG", "WEBP")  # the only decoders a photo reaches, whatever its name says
Image.MAX_IMAGE_PIXELS = limits.MAX_IMAGE_PIXELS  # Pillow refuses twice this itself; _size says it first
# The modes each format writes as they are; an image in any other is converted (_writable).
_WRITES = {"JPEG": {"L", "RGB"}, "PNG": {"1", "L", "LA", "P", "RGB", "RGBA", "I;16"}, "WEBP": {"RGB", "RGBA"}}


@dataclass(frozen=True)
class Photo:
    """One image of a post: where it is read from and the sizes it is published in."""

    source: Path
    src: str  # the file as the post names it, relative to the post (percent-encoding decoded)
    stem: str  # file name stem of the published variants
    suffix: str
    width: int
    height: int

    def widths(self) -> tuple[int, ...]:
        """Web sizes no wider than the original; the original's own width when it is smaller."""
        sizes = tuple(w for w in WIDTHS if w < self.width)
        return sizes + (self.width,) if self.width <= WIDTHS[-1] else sizes

    def name(self, width: int) -> str:
        return f"{self.stem}-{width}{self.suffix}"

    def shown_width(self) -> int:
        """The size a page shows first, and a link preview: 960 wide, or the original when smaller."""
        return min(self.widths(), key=lambda w: abs(w - 960))

    def height_at(self, width: int) -> int:
        """Its height when published this wide: a panorama's thin strip keeps a row."""
        return max(1, round(self.height * width / self.width))


@dataclass(frozen=True)
class Found:
    """What a body's images are: the photos to publish, (line, message) for each image that
    cannot be, the addresses of those (so that no second message names them), and the
    addresses of the <img> tags written as HTML on this host (kept as written, sanitised)."""

    photos: tuple[Photo, ...]
    problems: tuple[tuple[int, str], ...]
    refused: frozenset[str]
    html: frozenset[str]


def find(body: str, post_path: Path, content: Path, first_line: int) -> Found:
    """Every inline image of a post body (![alt](src), ![alt](<src>), ![alt](src "title"), its
    address percent-encoded or not, over several lines or not), each a photo or a problem."""
    photos: list[Photo] = []
    problems: list[tuple[int, str]] = []
    refused: set[str] = set()
    for match in _OPENING.finditer(body):
        written = _inline(body, match.end())
        if written is None:
            continue  # no closing bracket: Markdown shows it as text
        line = first_line + body.count("\n", 0, match.start())
        alt, src = match.group(1).strip(), address(written)
        found = _photo(alt, written, src, post_path, content)
        if isinstance(found, Photo):
            photos.append(found)
        else:
            problems.extend((line, message) for message in found)
            refused.add(src)
    written = _HTML_IMG.findall(body) if "<img" in body else ()
    html = frozenset(unescape(src) for src in written if not _REMOTE.match(unescape(src).strip()))
    return Found(tuple(photos), tuple(problems), frozenset(refused), html)


def _inline(body: str, start: int) -> str | None:
    """The text between an image's ( and its closing ), nested brackets and escapes allowed."""
    depth, i = 0, start
    while i < len(body):
        char = body[i]
        if char == "\\":
            i += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return body[start:i]
            depth -= 1
        elif char == "\n" and body[i + 1 : i + 2] == "\n":
            return None  # a paragraph ends before it closes
        i += 1
    return None


def address(written: str) -> str:
    """The file an image's destination names: its title, <> and backslash escapes taken off,
    its percent-encoding decoded (as a browser would, asking for the file)."""
    written = _TITLE.sub("", written).strip()
    if written.startswith("<") and written.endswith(">"):
        written = written[1:-1]
    return unquote(_ESCAPED.sub(r"\1", written))


def _photo(alt: str, written: str, src: str, post_path: Path, content: Path) -> Photo | list[str]:
    """The photo an image names, or what is wrong with it."""
    shown = written.strip()
    problems = []
    if not alt:
        problems.append(f"图片“{shown}”缺少替代文字：请写成 ![图片内容的说明]({shown})")
    if _REMOTE.match(src):
        return [*problems, f"图片“{shown}”来自其他网站：请把图片文件放在文章旁边再引用"]
    target = Path(os.path.realpath(post_path.parent / src))  # a looping link: not found, no error
    suffix = target.suffix.lower()
    if not target.is_relative_to(content.resolve()) or ".." in Path(src).parts:
        return [*problems, f"图片“{shown}”不在 content 文件夹内"]
    if suffix not in SUFFIXES:
        return [*problems, f"图片“{shown}”的格式不支持：请用 .jpg、.png 或 .webp"]
    if not target.is_file():
        return [*problems, f"找不到图片“{src}”：请放在文章旁边"]
    if paths.segment_problem(target.stem):
        return [*problems, _bad_name(target.name, target.stem, suffix)]
    if problems:
        return problems
    try:
        width, height = _size(target)
    except files.Refused as exc:
        return [f"图片“{shown}”{exc.message}"]
    return Photo(target, src, target.stem, ".jpg" if suffix == ".jpeg" else suffix, width, height)


def _bad_name(name: str, stem: str, suffix: str) -> str:
    """Why a photo's file name cannot be published, with the name to give it when one will do."""
    better = re.sub(r"[^\w.\-\u00b7（）()]+", "-", stem).strip("-._")
    if better and better != stem and paths.segment_problem(better) is None:
        return f"图片文件名“{name}”含空格等不能用作网址的字符：请把文件改名为“{better}{suffix}”并修改引用"
    return f"图片文件名“{name}”不能用作网址：{paths.segment_problem(stem)}"


def _size(path: Path) -> tuple[int, int]:
    """A photo's width and height as shown (turned as its EXIF says), once its header has shown
    no more pixels than limits.py allows; a file that is not one is refused (files.Refused)."""
    with files.open_regular(path, limits.MAX_IMAGE_BYTES, "请压缩或缩小后再用") as file:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # said below, in Chinese
                image = Image.open(file, formats=FORMATS)
        except Image.DecompressionBombError as exc:
            raise files.Refused(_TOO_MANY_PIXELS.format("")) from exc
        except Image.UnidentifiedImageError as exc:
            raise files.Refused("不是 JPEG、PNG 或 WebP 图片，或已损坏：请另存为 JPEG 或 PNG 后再用") from exc
        except OSError as exc:
            raise files.Refused(f"无法读取（{exc}）：请另存为 JPEG 或 PNG 后再用") from exc
        with image:
            width, height = image.size
            if width * height > limits.MAX_IMAGE_PIXELS:
                raise files.Refused(_TOO_MANY_PIXELS.format(f"{width}×{height}，"))
            if max(width, height) > limits.MAX_IMAGE_SIDE:
                side = limits.MAX_IMAGE_SIDE
                raise files.Refused(f"尺寸过大（{width}×{height}，每边最多 {side} 像素）：请裁剪或缩小后再用")
            return ImageOps.exif_transpose(image).size


_TOO_MANY_PIXELS = f"像素过多（{{}}最多 {limits.MAX_IMAGE_PIXELS // 10_000} 万像素）：请缩小后再用"


def responsive(html: str, photos: tuple[Photo, ...], base: str) -> tuple[str, list[str]]:
    """Point each <img> of a rendered body at its resized variants, with srcset and size; and
    the address of each <img> that is none of the photos (a broken image if published)."""
    by_src = {p.src: p for p in photos}
    strays: list[str] = []

    def replace(match: re.Match[str]) -> str:
        src = unescape(match.group(2))
        photo = by_src.get(unquote(src))
        if photo is None:
            strays.append(src)
            return match.group(0)
        widths = photo.widths()
        default = photo.shown_width()
        srcset = ", ".join(f"{base}{photo.name(w)} {w}w" for w in widths)
        height = photo.height_at(default)
        attributes = (match.group(1) + match.group(3)).strip()
        return (
            f'<img {attributes} src="{escape(base + photo.name(default))}" srcset="{escape(srcset)}" '
            f'sizes="(max-width: 60rem) 100vw, 60rem" width="{default}" height="{height}" loading="lazy">'
        )

    return _IMG.sub(replace, html), strays


def variants(photo: Photo) -> Iterator[tuple[str, bytes]]:
    """Each published size, re-encoded without EXIF (no GPS, no camera serial)."""
    with Image.open(photo.source, formats=FORMATS) as original:
        fmt = SUFFIXES[photo.suffix]
        image = _writable(ImageOps.exif_transpose(original), fmt)
        for width in photo.widths():
            height = photo.height_at(width)
            sized = image if width == photo.width else image.resize((width, height), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            options = {"quality": 82, "optimize": True} if fmt == "JPEG" else {}
            sized.save(buffer, format=fmt, **options)
            yield photo.name(width), buffer.getvalue()


def _writable(image: Image.Image, fmt: str) -> Image.Image:
    """The image in a mode its format writes: 16-bit grey as 8-bit, transparency kept where the
    format has it and shown over white where it has not (JPEG), any other mode as RGB."""
    if image.mode in _WRITES[fmt]:
        return image
    if image.mode.startswith("I"):  # 16 bits a pixel (a PNG's "I;16"), or 32
        return image.convert("I").point(lambda value: value / 256).convert("L")
    if image.has_transparency_data:
        rgba = image.convert("RGBA")
        if "RGBA" in _WRITES[fmt]:
            return rgba
        page = Image.new("RGBA", rgba.size, "white")
        page.alpha_composite(rgba)
        return page.convert("RGB")
    return image.convert("RGB")
