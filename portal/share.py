"""Sharing on phones: a QR code for each project page, made at build time (segno, no web service)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import segno

from .portfolio import Portfolio


def qr_svg(address: str, title: str) -> bytes:
    """A standalone SVG QR code of an absolute address, black on white, with a quiet zone."""
    buffer = io.BytesIO()
    segno.make(address, error="m", micro=False).save(
        buffer, kind="svg", scale=4, border=4, dark="#000", light="#fff", title=title, xmldecl=False
    )
    return buffer.getvalue()


def files(p: Portfolio) -> Iterator[tuple[str, bytes]]:
    for project in p.projects:
        yield f"{project.url}qr.svg", qr_svg(p.config.absolute(project.url), f"{project.name}：手机扫码打开")
