"""Page weight: every page, with the CSS and JavaScript it loads, stays under a stated budget.

Budget: 100 KB (100,000 bytes) before compression for one page's HTML plus every stylesheet and
script it links, each counted once. Not counted: images (photos have their own srcset sizes),
and the pagefind/ search bundle, which only the search page loads and only when searching.
A reader on a slow phone plan pays for each page in full; gzip would shrink it, but the budget
holds without relying on it.

The sites: the default content/ (the 2020 notice), the demo (examples/demo/: seven months of
reports, the heaviest listings), and the golden fixture site. The heaviest pages of each are
written to test-artifacts/page-weight.txt and shown in the failure message.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from conftest import ROOT, run

BUDGET = 100_000  # bytes: a page's HTML + its CSS + its JS, before compression
EXCLUDED = "pagefind/"
REPORT = ROOT / "test-artifacts" / "page-weight.txt"
SOURCES = {
    "default": ROOT / "content",
    "demo": ROOT / "examples" / "demo",
    "golden": ROOT / "tests" / "golden" / "content",
}


class Assets(HTMLParser):
    """The addresses of the stylesheets and scripts a page loads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link" and "stylesheet" in values.get("rel", "").split() and values.get("href"):
            self.urls.append(values["href"])
        elif tag == "script" and values.get("src"):
            self.urls.append(values["src"])


@dataclass(frozen=True)
class Weight:
    page: str  # relative to the output folder
    html: int
    assets: int  # CSS + JS, pagefind/ left out

    @property
    def total(self) -> int:
        return self.html + self.assets

    def __str__(self) -> str:
        return f"{self.total / 1000:6.1f} KB  {self.page}  (HTML {self.html / 1000:.1f} KB + CSS/JS {self.assets / 1000:.1f} KB)"


def asset_path(root: Path, base_url: str, page: str, url: str) -> str:
    """The output-relative path of a stylesheet or script, as written on the output file page."""
    page_url = base_url + page.removesuffix("index.html")
    path = urlsplit(urljoin(page_url, url)).path
    assert path.startswith(base_url), f"{page}: {url} is outside base_url {base_url}"
    rel = unquote(path[len(base_url) :])
    assert (root / rel).is_file(), f"{page}: {url} is not in the output"
    return rel


def weights(root: Path, base_url: str) -> list[Weight]:
    """Every page of an output folder with what it weighs, heaviest first."""
    found = []
    for path in root.rglob("*.html"):
        page = path.relative_to(root).as_posix()
        if page.startswith(EXCLUDED):
            continue
        parser = Assets()
        parser.feed(path.read_text(encoding="utf-8"))
        assets = {asset_path(root, base_url, page, url) for url in parser.urls}
        size = sum((root / rel).stat().st_size for rel in assets if not rel.startswith(EXCLUDED))
        found.append(Weight(page, path.stat().st_size, size))
    return sorted(found, key=lambda weight: (-weight.total, weight.page))


def base_url_of(content: Path) -> str:
    config = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8-sig"))
    return ("/" + str(config["base_url"]).strip("/") + "/").replace("//", "/")


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Weight]]:
    """{site name: its pages' weights, heaviest first}; the heaviest five of each are written out."""
    result = {}
    for name, content in SOURCES.items():
        out = tmp_path_factory.mktemp(name) / "site"
        code, stdout, stderr = run("build", "--content", str(content), "--out", str(out))
        assert code == 0, stdout + stderr
        result[name] = weights(out, base_url_of(content))
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(
        "".join(
            f"{name} ({len(pages)} pages), budget {BUDGET / 1000:.0f} KB:\n" + "".join(f"  {w}\n" for w in pages[:5])
            for name, pages in result.items()
        ),
        encoding="utf-8",
    )
    return result


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_page_is_under_budget(measured: dict[str, list[Weight]], name: str) -> None:
    pages = measured[name]
    assert len(pages) >= 20, f"only {len(pages)} pages: is this the whole output?"
    heaviest = pages[0]
    print(f"{name}: heaviest page {heaviest}")
    over = [weight for weight in pages if weight.total > BUDGET]
    assert not over, f"{len(over)} pages over {BUDGET / 1000:.0f} KB:\n" + "\n".join(map(str, over[:20]))


def test_every_page_counts_its_css_and_js(measured: dict[str, list[Weight]]) -> None:
    """Each page loads the portal's stylesheets and scripts, so a weight without them is a miscount."""
    stylesheet = (ROOT / "static" / "css" / "portal.css").stat().st_size
    for name, pages in measured.items():
        light = [weight.page for weight in pages if weight.assets < stylesheet]
        assert not light, f"{name}: pages counted without the portal's CSS: {light[:5]}"


def test_weights_follow_what_a_page_links(tmp_path: Path) -> None:
    """A hand-made folder: linked CSS and JS count once each, pagefind/ and images not at all."""
    (tmp_path / "s" / "static").mkdir(parents=True)
    (tmp_path / "s" / "pagefind").mkdir()
    (tmp_path / "s" / "page").mkdir()
    (tmp_path / "s" / "static" / "a.css").write_bytes(b"a" * 300)
    (tmp_path / "s" / "static" / "b.js").write_bytes(b"b" * 50)
    (tmp_path / "s" / "pagefind" / "ui.js").write_bytes(b"p" * 9999)
    (tmp_path / "s" / "static" / "photo.jpg").write_bytes(b"j" * 9999)
    html = (
        '<link rel="stylesheet" href="/sub/static/a.css"><link rel="stylesheet" href="../static/a.css">'
        '<link rel="icon" href="/sub/static/photo.jpg"><script src="/sub/static/b.js"></script>'
        '<script src="/sub/pagefind/ui.js"></script><img src="/sub/static/photo.jpg" alt="">'
    )
    (tmp_path / "s" / "page" / "index.html").write_text(html, encoding="utf-8")
    [weight] = weights(tmp_path / "s", "/sub/")
    assert (weight.page, weight.html, weight.assets) == ("page/index.html", len(html.encode()), 350)
