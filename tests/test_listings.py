"""Post listings stay small at any size: updates/ and kinds/<kind>/ show the newest posts, then
one page a year (archive/<year>/, kinds/<kind>/<year>/) that together hold every post.

The sites are the shared 2030 tree with posts written here: distinct dates over three years,
mostly news with some notices, so that both updates/ and kinds/news/ have more than LATEST.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import post, run, write_tree
from test_weight import BUDGET, weights

from portal import load
from portal.model import records
from portal.model.portfolio import Portfolio
from portal.preview import incremental
from portal.render import deps
from portal.render import pages as render
from portal.render.listings import LATEST


@dataclass(frozen=True)
class Written:
    """A post as this test writes it."""

    slug: str
    date: dt.date
    kind: str
    title: str

    @property
    def url(self) -> str:
        return f"/updates/{self.slug}/"

    def file(self) -> tuple[str, str]:
        front = f"title: {self.title}\ndate: {self.date}\nkind: {self.kind}\nprojects: []\nsource: 区融媒体中心"
        return f"updates/{self.slug}.md", post(front)


def many(count: int) -> list[Written]:
    """``count`` posts with distinct dates, spread over 2028, 2029 and 2030; three in four news."""
    found = []
    for i in range(count):
        date = dt.date(2028 + i % 3, 1 + i // 3 % 12, 1 + i // 36 % 28)
        kind = "notice" if i % 4 == 0 else "news"
        found.append(Written(f"posts/{date}-{i:03d}", date, kind, f"第{i:03d}条动态"))
    return found


def newest(posts: list[Written], kind: str | None = None, year: int | None = None) -> list[str]:
    chosen = [p for p in posts if kind in (None, p.kind) and year in (None, p.date.year)]
    return [p.url for p in sorted(chosen, key=lambda p: p.date, reverse=True)]


def build(content: Path, out: Path, posts: list[Written]) -> Path:
    write_tree(content, dict(p.file() for p in posts))
    code, stdout, stderr = run("build", "--content", str(content), "--out", str(out))
    assert code == 0, stdout + stderr
    return out


class ListingPage(HTMLParser):
    """What a listing page shows: its heading, its posts, its kind and year choices, its links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h1 = ""
        self.posts: list[str] = []  # hrefs in the list of posts
        self.kinds: list[tuple[str, str | None, str | None]] = []  # (text, href, aria-current)
        self.years: list[tuple[str, str | None, str | None]] = []
        self.links: list[str] = []
        self.text = ""
        self._in: set[str] = set()
        self._nav: list[tuple[str, str | None, str | None]] | None = None
        self._chip: list = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "h1":
            self._in.add("h1")
        elif tag == "ul" and values.get("class") == "updates":
            self._in.add("updates")
        elif tag == "nav" and values.get("aria-label") == "按类型":
            self._nav = self.kinds
        elif tag == "nav" and values.get("aria-labelledby") == "by-year":
            self._nav = self.years
        if tag == "a":
            self.links.append(values["href"] or "")
            if "updates" in self._in:
                self.posts.append(values["href"] or "")
        if tag in ("a", "strong") and self._nav is not None:
            self._chip = ["", values.get("href"), values.get("aria-current")]

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in.discard("h1")
        elif tag == "ul":
            self._in.discard("updates")
        elif tag == "nav":
            self._nav = None
        elif tag in ("a", "strong") and self._nav is not None and self._chip:
            self._nav.append((self._chip[0], self._chip[1], self._chip[2]))
            self._chip = []

    def handle_data(self, data: str) -> None:
        self.text += data
        if "h1" in self._in:
            self.h1 += data
        if self._chip:
            self._chip[0] += data


def read(site: Path, url: str) -> ListingPage:
    page = ListingPage()
    page.feed((site / url / "index.html").read_text(encoding="utf-8"))
    return page


def year_counts(posts: list[Written], kind: str | None = None) -> list[tuple[int, int]]:
    years = sorted({p.date.year for p in posts if kind in (None, p.kind)}, reverse=True)
    return [(y, sum(1 for p in posts if p.date.year == y and kind in (None, p.kind))) for y in years]


POSTS = many(2 * LATEST + 6)


@pytest.fixture
def site(content: Path, tmp_path: Path) -> Path:
    return build(content, tmp_path / "site", POSTS)


def test_updates_shows_the_newest_posts_and_links_every_year(site: Path) -> None:
    assert len(POSTS) > LATEST
    page = read(site, "updates/")
    assert page.posts == newest(POSTS)[:LATEST]
    assert page.years == [(f"{y}年（{n} 条）", f"/archive/{y}/", None) for y, n in year_counts(POSTS)]
    assert f"这里是最新的 {LATEST} 条（共 {len(POSTS)} 条）" in page.text
    assert ("全部", None, "page") in page.kinds


def test_each_year_page_lists_that_year_newest_first(site: Path) -> None:
    counts = year_counts(POSTS)
    assert len(counts) == 3
    for year, count in counts:
        page = read(site, f"archive/{year}/")
        assert page.h1 == f"{year}年工作动态"
        assert page.posts == newest(POSTS, year=year) and len(page.posts) == count
        assert page.years == [
            (f"{y}年", None, "page") if y == year else (f"{y}年", f"/archive/{y}/", None) for y, _ in counts
        ]
        assert ("全部", None, "true") in page.kinds  # the chosen kind, though not this page
        assert ("新闻动态", "/kinds/news/", None) in page.kinds
        assert "/updates/" in page.links  # back to the newest posts


def test_each_kind_shows_its_newest_posts_and_a_page_a_year(site: Path) -> None:
    assert len(newest(POSTS, "news")) > LATEST
    for kind in ("news", "notice"):
        label = records.KINDS[kind]
        page = read(site, f"kinds/{kind}/")
        assert page.h1 == label
        assert page.posts == newest(POSTS, kind)[:LATEST]
        assert (label, None, "page") in page.kinds
        counts = year_counts(POSTS, kind)
        assert page.years == [(f"{y}年（{n} 条）", f"/kinds/{kind}/{y}/", None) for y, n in counts]
        for year, _ in counts:
            page = read(site, f"kinds/{kind}/{year}/")
            assert page.h1 == f"{year}年{label}"
            assert page.posts == newest(POSTS, kind, year)
            assert (label, None, "true") in page.kinds
            assert [text for text, _, current in page.years if current == "page"] == [f"{year}年"]
            assert f"/kinds/{kind}/" in page.links


def test_a_kind_without_posts_says_so_and_has_no_year_pages(site: Path) -> None:
    page = read(site, "kinds/assessment/")
    assert page.posts == [] and page.years == []
    assert "暂无。" in page.text
    assert [p.name for p in (site / "kinds" / "assessment").iterdir()] == ["index.html"]


def test_every_post_is_on_exactly_one_year_page(site: Path) -> None:
    built = {f"/{p.parent.relative_to(site).as_posix()}/" for p in (site / "updates").rglob("index.html")}
    built.discard("/updates/")
    assert built == {p.url for p in POSTS}
    for front in ["updates/", *(f"kinds/{kind}/" for kind in records.KINDS)]:
        listed = [url for _, href, _ in read(site, front).years for url in read(site, href.strip("/")).posts]
        if front == "updates/":
            assert sorted(listed) == sorted(built)
        else:
            assert sorted(listed) == sorted(newest(POSTS, front.split("/")[1]))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {e.text for e in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)}
    assert {f"https://example.gov.cn/archive/{y}/" for y, _ in year_counts(POSTS)} <= locs


def test_a_year_with_a_single_post_gets_its_page(content: Path, tmp_path: Path) -> None:
    """Even when that post's own file is named like a year page: updates/2025.md is updates/2025/."""
    alone = Written("2025", dt.date(2025, 6, 1), "bulletin", "唯一的2025年通报")
    site = build(content, tmp_path / "site", [*POSTS, alone])
    page = read(site, "archive/2025/")
    assert page.posts == ["/updates/2025/"]
    assert ("2025年", None, "page") in page.years
    assert read(site, "updates/").years[-1] == ("2025年（1 条）", "/archive/2025/", None)
    assert read(site, "kinds/bulletin/2025/").posts == ["/updates/2025/"]
    assert "唯一的2025年通报" in (site / "updates" / "2025" / "index.html").read_text(encoding="utf-8")


def test_year_pages_name_the_posts_they_show(content: Path) -> None:
    """The preview re-renders a year page when a post of that year and listing is listed anew (added,
    removed, retitled, redated…); a front page when a post of its kinds is."""
    write_tree(content, dict(p.file() for p in POSTS))
    listed = {
        page.path: page.deps
        for page in render.pages(Portfolio.build(load.load(content)))
        if page.template == "updates.html"
    }
    assert listed["updates/index.html"] == tuple(deps.kind(kind) for kind in records.KINDS)
    assert listed["kinds/news/index.html"] == (deps.kind("news"),)
    for year, _ in year_counts(POSTS):
        assert listed[f"archive/{year}/index.html"] == (deps.posts(year),)
        assert listed[f"kinds/news/{year}/index.html"] == (deps.posts(year, "news"),)


def test_a_year_page_shows_nothing_of_another_years_posts(content: Path, tmp_path: Path) -> None:
    """What its deps (deps.posts(year)) promise: a new news post of 2029 changes the 2029 pages only."""
    before = build(content, tmp_path / "before", POSTS)
    extra = Written("news/2029-late", dt.date(2029, 12, 31), "news", "2029年最后一条")
    after = build(content, tmp_path / "after", [*POSTS, extra])
    changed = {"archive/2029/", "kinds/news/2029/"}
    for listing in ("archive/", "kinds/news/", "kinds/notice/"):
        for year, _ in year_counts(POSTS):
            page = f"{listing}{year}/"
            same = (before / page / "index.html").read_bytes() == (after / page / "index.html").read_bytes()
            assert same is (page not in changed), page
    assert read(after, "archive/2029/").posts[0] == extra.url


def test_the_preview_links_a_new_year_from_every_year_page(content: Path, tmp_path: Path, monkeypatch) -> None:
    """A post in a year that had none: a rebuild in part makes the pages a whole build makes."""
    monkeypatch.setenv("PORTAL_CACHE", "off")
    write_tree(content, dict(p.file() for p in POSTS))
    view = incremental.Preview(content, tmp_path / "preview")
    view.whole()
    first = Written("news/2031-first", dt.date(2031, 1, 2), "news", "2031年第一条")
    path, text = first.file()
    write_tree(content, {path: text})
    assert view.changed([content / path]).how == "partial"
    fresh = build(content, tmp_path / "fresh", [])
    pages = sorted(p.relative_to(fresh) for p in fresh.rglob("*.html") if "pagefind" not in p.parts)
    assert Path("archive/2028/index.html") in pages and Path("kinds/news/2031/index.html") in pages
    differ = [p for p in pages if (fresh / p).read_bytes() != (view.out / p).read_bytes()]
    assert differ == []


def test_updates_weighs_the_same_at_ten_times_the_posts(content: Path, tmp_path: Path) -> None:
    """Ten times as many posts barely change updates/ (longer dates and counts), and no page passes the budget."""
    few = build(content, tmp_path / "few", many(2 * LATEST))
    more = build(content, tmp_path / "more", many(20 * LATEST))
    sizes = [(site / "updates" / "index.html").stat().st_size for site in (few, more)]
    assert sizes[1] < 1.1 * sizes[0], sizes  # it held every post: ten times the size
    heavy = [w for w in weights(more, "/") if w.total > BUDGET]
    assert not heavy, "\n".join(map(str, heavy))
