"""The deputies' page printed to PDF by Chromium: one project to a page, no table cut in two."""

from __future__ import annotations

import io
import re
import unicodedata
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from .conftest import ROOT, build, serve


class Tables(HTMLParser):
    """Each voted project's heading and tables (each a list of rows' first-cell texts), in order."""

    def __init__(self) -> None:
        super().__init__()
        self.projects: list[tuple[str, list[list[str]]]] = []
        self._in = {"h2": False, "cell": False}
        self._text = ""
        self._rows: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("class") == "deputy-project":
            self.projects.append(("", []))
        elif self.projects and tag == "h2":
            self._in["h2"], self._text = True, ""
        elif self.projects and tag == "table":
            self._rows = []
        elif self._rows is not None and tag == "tr":
            self._in["cell"], self._text = True, ""

    def handle_endtag(self, tag):
        if tag == "h2" and self._in["h2"]:
            self._in["h2"] = False
            self.projects[-1] = (self._text.strip(), self.projects[-1][1])
        elif tag in ("th", "td") and self._in["cell"]:
            self._in["cell"] = False  # only a row's first cell: the one that names it
            self._rows.append(self._text.strip())
        elif tag == "table" and self._rows is not None:
            self.projects[-1][1].append(self._rows)
            self._rows = None

    def handle_data(self, data):
        self._text += data


def squeeze(text: str) -> str:
    """Text without white space, NFKC-folded (PDF text comes back with Kangxi radicals: ⽂ for 文)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_pattern(text: str) -> str:
    """A pattern for text as a PDF gives it back: a font may map a character to its CJK radical
    (车 comes back as ⻋, U+2ECB), so any ideograph may also match a radical."""
    return "".join(
        f"(?:{re.escape(c)}|[\u2e80-\u2eff])" if "\u4e00" <= c <= "\u9fff" else re.escape(c) for c in squeeze(text)
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo")
    build(ROOT / "examples" / "demo", tmp / "site")
    origin, server = serve(tmp / "site", tmp / "site" / "404.html")
    yield origin, tmp / "site"
    server.shutdown()
    server.server_close()


def test_each_voted_project_prints_whole(browser, demo):
    origin, site = demo
    parser = Tables()
    parser.feed((site / "deputies/index.html").read_text(encoding="utf-8"))
    assert len(parser.projects) == 10
    context = browser.context(1280)
    page = context.new_page()
    try:
        page.goto(origin + "/deputies/", wait_until="load")
        pdf = page.pdf(format="A4", print_background=False)
    finally:
        context.close()
    pages = [squeeze(p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 11  # the summary, then each project from a new page

    def page_of(text: str, start: int = 0) -> int:
        pattern = re.compile(pdf_pattern(text))
        found = [i for i in range(start, len(pages)) if pattern.search(pages[i])]
        assert found, f"{text!r} not found in the PDF"
        return found[0]

    previous = 0
    for heading, tables in parser.projects:
        first = page_of(heading, previous)
        assert first > previous or previous == 0, f"{heading} does not start a new page"
        for rows in tables:
            # A table's first row and its last row print on the same page.
            start = page_of(rows[0], first)
            end = page_of(rows[-1], start)
            assert start == end, f"{heading}: a table is split across pages {start + 1} and {end + 1}"
        previous = first
