"""SVG charts drawn at build time; every chart has the same numbers in a table beside it."""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup

from portal.model.progress import schedule
from portal.model.records import Month
from portal.render.xmltext import escape

W, H = 400, 220
LEFT, RIGHT, TOP, BOTTOM = 46, 10, 14, 34


def history(title: str, points: list[tuple[Month, Decimal | None]]) -> Markup:
    """Progress month by month (solid, with dots) against 序时进度 (dashed), 0–100% (capped)."""
    if not points:
        return Markup("")
    n = len(points)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * (i + 0.5) / n)

    def y(value: Decimal) -> float:
        return TOP + plot_h * (1 - float(min(value, Decimal(100))) / 100)

    parts = [
        f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in (0, 25, 50, 75, 100):
        ty = y(Decimal(tick))
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{W - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}"/>')
        parts.append(f'<text class="axis" x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end">{tick}%</text>')
    for i, (month, _) in enumerate(points):
        parts.append(f'<text class="axis" x="{x(i):.1f}" y="{H - 12}" text-anchor="middle">{month.month}月</text>')
    plan = " ".join(f"{x(i):.1f},{y(schedule(m)):.1f}" for i, (m, _) in enumerate(points))
    parts.append(f'<polyline class="schedule" points="{plan}"/>')
    actual = [(i, v) for i, (_, v) in enumerate(points) if v is not None]
    if actual:
        line = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in actual)
        parts.append(f'<polyline class="actual" points="{line}"/>')
        for i, v in actual:
            parts.append(f'<rect class="dot" x="{x(i) - 4:.1f}" y="{y(v) - 4:.1f}" width="8" height="8"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bars(title: str, rows: list[tuple[str, Decimal | None]], reference: Decimal | None = None) -> Markup:
    """Horizontal bars 0–100% (capped), one a row, with an optional dashed reference line."""
    if not rows:
        return Markup("")
    label_w, bar_w, row_h = 110, 220, 30
    width, height = label_w + bar_w + 70, row_h * len(rows) + 24
    parts = [
        f'<svg class="chart chart-bars" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title, {chr(34): "&quot;"})}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = 8 + i * row_h
        parts.append(f'<text class="axis" x="{label_w - 8}" y="{y + 17}" text-anchor="end">{escape(label)}</text>')
        parts.append(f'<rect class="track" x="{label_w}" y="{y + 4}" width="{bar_w}" height="18"/>')
        if value is not None:
            w = bar_w * float(min(value, Decimal(100))) / 100
            parts.append(f'<rect class="fill" x="{label_w}" y="{y + 4}" width="{w:.1f}" height="18"/>')
        text = "无数据" if value is None else f"{value:.1f}%"
        parts.append(f'<text class="axis" x="{label_w + bar_w + 6}" y="{y + 17}">{text}</text>')
    if reference is not None:
        x = label_w + bar_w * float(min(reference, Decimal(100))) / 100
        parts.append(f'<line class="schedule" x1="{x:.1f}" x2="{x:.1f}" y1="4" y2="{height - 12}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
