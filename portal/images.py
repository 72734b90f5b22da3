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
from html import escape
from pathlib import Path

from PIL import Image, ImageOps

from . import files, limits, paths

WIDTHS = (480, 960, 1600)
SUFFIXES = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
# ![alt](src "title") — the Markdown image syntax as editors write it
MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_IMG = re.compile(r'<img\b([^>]*?)\bsrc="([^"]*)"([^>]*)>')
FORMATS = ("JPEG", "PNG", "WEBP")  # the only decoders a photo reaches, whatever its name says
Image.MAX_IMAGE_PIXELS = limits.MAX_IMAGE_PIXELS  # Pillow refuses twice this itself; _size says it first
# The modes each format writes as they are; an image in any other is converted (_writable).
_WRITES = {"JPEG": {"L", "RGB"}, "PNG": {"1", "L", "LA", "P", "RGB", "RGBA", "I;16"}, "WEBP": {"RGB", "RGBA"}}


@dataclass(frozen=True)
class Photo:
    """One image of a post: where it is read from and the sizes it is published in."""

    source: Path
    src: str  # as written in the post
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


def find(body: str, post_path: Path, content: Path, first_line: int) -> tuple[list[Photo], list[tuple[int, str]]]:
    """The photos a post body uses, and (line, message) for every image that cannot be used."""
    photos: list[Photo] = []
    problems: list[tuple[int, str]] = []
    for number, line in enumerate(body.split("\n"), start=first_line):
        for match in MARKDOWN_IMAGE.finditer(line):
            alt, src = match.group(1).strip(), match.group(2)
            if not alt:
                problems.append((number, f"图片“{src}”缺少替代文字：请写成 ![图片内容的说明]({src})"))
            if re.match(r"^[a-z][a-z0-9+.-]*:|^//", src, re.I):
                problems.append((number, f"图片“{src}”来自其他网站：请把图片文件放在文章旁边再引用"))
                continue
            target = Path(os.path.realpath(post_path.parent / src))  # a looping link: not found, no error
            suffix = target.suffix.lower()
            if not target.is_relative_to(content.resolve()) or ".." in Path(src).parts:
                problems.append((number, f"图片“{src}”不在 content 文件夹内"))
            elif suffix not in SUFFIXES:
                problems.append((number, f"图片“{src}”的格式不支持：请用 .jpg、.png 或 .webp"))
            elif not target.is_file():
                problems.append((number, f"找不到图片“{src}”：请放在文章旁边"))
            elif paths.segment_problem(target.stem):
                problems.append(
                    (number, f"图片文件名“{target.name}”不能用作网址：{paths.segment_problem(target.stem)}")
                )
            else:
                try:
                    width, height = _size(target)
                except files.Refused as exc:
                    problems.append((number, f"图片“{src}”{exc.message}"))
                    continue
                stem = target.stem
                photos.append(Photo(target, src, stem, ".jpg" if suffix == ".jpeg" else suffix, width, height))
    return photos, problems


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


def responsive(html: str, photos: tuple[Photo, ...], base: str) -> str:
    """Point each <img> of a rendered body at its resized variants, with srcset and size."""
    by_src = {p.src: p for p in photos}

    def replace(match: re.Match[str]) -> str:
        photo = by_src.get(match.group(2))
        if photo is None:
            return match.group(0)
        widths = photo.widths()
        default = min(widths, key=lambda w: abs(w - 960))
        srcset = ", ".join(f"{base}{photo.name(w)} {w}w" for w in widths)
        height = round(photo.height * default / photo.width)
        attributes = (match.group(1) + match.group(3)).strip()
        return (
            f'<img {attributes} src="{escape(base + photo.name(default))}" srcset="{escape(srcset)}" '
            f'sizes="(max-width: 60rem) 100vw, 60rem" width="{default}" height="{height}" loading="lazy">'
        )

    return _IMG.sub(replace, html)


def variants(photo: Photo) -> Iterator[tuple[str, bytes]]:
    """Each published size, re-encoded without EXIF (no GPS, no camera serial)."""
    with Image.open(photo.source, formats=FORMATS) as original:
        fmt = SUFFIXES[photo.suffix]
        image = _writable(ImageOps.exif_transpose(original), fmt)
        for width in photo.widths():
            height = max(1, round(photo.height * width / photo.width))  # a panorama's strip keeps a row
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
