"""Photos in posts, as editors use them: kept beside the post, resized at build time to web
sizes with srcset, their EXIF data (a phone photo carries its GPS location) stripped.

An image needs alt text, must lie inside content/, and is never loaded from another host.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path

from PIL import Image, ImageOps

from . import paths

WIDTHS = (480, 960, 1600)
SUFFIXES = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
# ![alt](src "title") — the Markdown image syntax as editors write it
MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_IMG = re.compile(r'<img\b([^>]*?)\bsrc="([^"]*)"([^>]*)>')
Image.MAX_IMAGE_PIXELS = 60_000_000  # refuse decompression bombs


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
            target = (post_path.parent / src).resolve()
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
                    with Image.open(target) as image:
                        width, height = ImageOps.exif_transpose(image).size
                except (OSError, Image.DecompressionBombError) as exc:
                    problems.append((number, f"图片“{src}”无法读取：{exc}"))
                    continue
                stem = target.stem
                photos.append(Photo(target, src, stem, ".jpg" if suffix == ".jpeg" else suffix, width, height))
    return photos, problems


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
    with Image.open(photo.source) as original:
        image = ImageOps.exif_transpose(original)
        fmt = SUFFIXES[photo.suffix]
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        for width in photo.widths():
            height = round(photo.height * width / photo.width)
            sized = image if width == photo.width else image.resize((width, height), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            options = {"quality": 82, "optimize": True} if fmt == "JPEG" else {}
            sized.save(buffer, format=fmt, **options)
            yield photo.name(width), buffer.getvalue()
