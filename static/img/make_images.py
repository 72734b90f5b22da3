"""Draw the share image (1200×630, for link previews) and the square icon (300×300, for WeChat,
the browser tab and a phone's home screen) into this folder.

A dark red field with a white mark: a ring holding three rising bars, for "progress made public".
No text and no emblem. Drawn at four times the size and scaled down, so edges are smooth; the
same Pillow draws the same bytes every time. Run after changing the design, then commit the PNGs:

    .venv/bin/python static/img/make_images.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
RED = (140, 26, 20)  # the field
WHITE = (255, 255, 255)
SCALE = 4  # drawn this many times larger, then scaled down (anti-aliasing)
IMAGES = {"share.png": (1200, 630, 200), "icon.png": (300, 300, 110)}  # width, height, the mark's radius


def mark(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float) -> None:
    """The white mark centred at (cx, cy), inside a circle of radius r."""
    ring = r * 0.09
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=WHITE, width=round(ring))
    inner = r - ring
    base = cy + inner * 0.42  # the bars stand on this line
    bar_w, gap = inner * 0.26, inner * 0.12
    left = cx - (3 * bar_w + 2 * gap) / 2
    for i, height in enumerate((0.42, 0.70, 0.98)):
        x = left + i * (bar_w + gap)
        draw.rectangle((x, base - inner * height, x + bar_w, base), fill=WHITE)
    draw.rectangle((left - gap, base + ring * 0.6, left + 3 * bar_w + 3 * gap, base + ring * 1.6), fill=WHITE)


def image(width: int, height: int, radius: float) -> Image.Image:
    big = Image.new("RGB", (width * SCALE, height * SCALE), RED)
    mark(ImageDraw.Draw(big), width * SCALE / 2, height * SCALE / 2, radius * SCALE)
    return big.resize((width, height), Image.Resampling.LANCZOS)


def main() -> None:
    for name, (width, height, radius) in IMAGES.items():
        image(width, height, radius).save(HERE / name, optimize=True)


if __name__ == "__main__":
    main()
