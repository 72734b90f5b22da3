"""Link previews: every page of a built site says what it is when shared (WeChat, Weibo, mail):
a meaningful description, Open Graph tags with absolute addresses, and a self-hosted image that
the build really writes; a square icon for WeChat, the browser tab and a phone's home screen."""

from __future__ import annotations

import csv
import importlib.util
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import INDICATORS_CSV, PROJECTS_CSV, ROOT, SITE_YAML, post, run, write_tree
from PIL import Image

IMG = ROOT / "static" / "img"


class Head(HTMLParser):
    """The <meta> and <link> tags of a page's <head>, attributes unescaped."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []  # (name or property, content), in order
        self.links: list[dict[str, str]] = []
        self.title = ""
        self._in_head = self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self._in_head = self._in_head or tag == "head"
        self._in_title = tag == "title"
        if self._in_head and tag == "meta" and ("name" in a or "property" in a):
            self.meta.append((a.get("name") or a["property"], a.get("content", "")))
        elif self._in_head and tag == "link":
            self.links.append(a)

    def handle_endtag(self, tag: str) -> None:
        self._in_head = self._in_head and tag != "head"
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def one(self, key: str) -> str:
        values = self.all(key)
        assert len(values) == 1, f"{key}: {values}"
        return values[0]

    def all(self, key: str) -> list[str]:
        return [v for k, v in self.meta if k == key]

    def link(self, rel: str) -> str:
        (href,) = [a["href"] for a in self.links if a.get("rel") == rel]
        return href


def head(path: Path) -> Head:
    parser = Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def built(tmp_path: Path, content: Path) -> Path:
    site = tmp_path / "site"
    code, _, err = run("build", "--content", str(content), "--out", str(site))
    assert code == 0, err
    return site


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith("pagefind/"))


def address(site: Path, page: Path) -> str:
    """A page's path under the site as its URL path: projects/2020-01/index.html -> projects/2020-01/."""
    return page.relative_to(site).as_posix().removesuffix("index.html")


def check_site(site: Path, origin: str, base: str) -> int:
    """Every page's preview tags; returns how many pages were checked."""
    descriptions = {}
    for page in pages(site):
        tags, rel = head(page), address(site, page)
        description = tags.one("description")
        assert len(description) >= 20, f"{rel}: {description!r}"
        assert tags.one("og:description") == description, rel
        assert tags.one("og:title") and tags.one("og:title") in tags.title, rel
        assert tags.one("og:url") == origin + base + rel == tags.link("canonical"), rel
        kind = "article" if rel.startswith(("projects/20", "updates/")) and rel.count("/") >= 2 else "website"
        assert tags.one("og:type") == kind, rel
        images = tags.all("og:image")
        assert images, rel
        sizes = zip(tags.all("og:image:width"), tags.all("og:image:height"), strict=True)
        for image, (width, height) in zip(images, sizes, strict=True):
            assert image.startswith(origin + base), f"{rel}: {image} is not on the site's own host"
            with Image.open(site / image.removeprefix(origin + base)) as picture:
                assert picture.size == (int(width), int(height)), image
        for rel_name in ("icon", "apple-touch-icon"):
            href = tags.link(rel_name)
            assert href.startswith(base), f"{rel}: {href}"
            with Image.open(site / href.removeprefix(base)) as icon:
                assert icon.width == icon.height >= 180, href
        descriptions.setdefault(description, []).append(rel)
    shared = {d: rels for d, rels in descriptions.items() if len(rels) > 1}
    assert shared == {}, "each page says something of its own"
    return len(descriptions)


def test_every_page_of_the_default_site_can_be_shared(tmp_path):
    site = built(tmp_path, ROOT / "content")
    assert check_site(site, "https://www.ybq.gov.cn", "/") > 21  # the 21 projects and the rest
    images = head(site / "index.html").all("og:image")
    assert images[0] == "https://www.ybq.gov.cn/static/img/share.png", "the wide image first, for most previews"
    with Image.open(site / "static/img/share.png") as wide:
        assert wide.size == (1200, 630)
    assert any(Image.open(site / i.removeprefix("https://www.ybq.gov.cn/")).size == (300, 300) for i in images), (
        "a square image for WeChat"
    )


def test_a_site_under_a_sub_path_can_be_shared(tmp_path):
    content = write_tree(
        tmp_path / "content",
        {
            "site.yaml": SITE_YAML.replace("base_url: /", "base_url: /minsheng/"),
            "projects/2030.csv": PROJECTS_CSV,
            "projects/2030-indicators.csv": INDICATORS_CSV,
            "updates/news/n.md": post(
                "title: 加装电梯开工\ndate: 2030-03-02\nkind: news\nprojects: [2030-02]",
                "首批20台电梯在三个老旧小区同时开工，预计年底前投入使用。",
            ),
        },
    )
    site = built(tmp_path, content)
    assert check_site(site, "https://example.gov.cn", "/minsheng/") > 3
    news = head(site / "updates/news/n/index.html")
    assert news.one("og:type") == "article"
    assert news.one("description") == "首批20台电梯在三个老旧小区同时开工，预计年底前投入使用。", "a post: its summary"


def test_project_pages_say_the_target(tmp_path):
    site = built(tmp_path, ROOT / "content")
    projects = list(csv.DictReader((ROOT / "content/projects/2020.csv").open(encoding="utf-8-sig")))
    assert projects
    for row in projects:
        description = head(site / "projects" / row["id"] / "index.html").one("description")
        intro = f"2020年重点民生实事：{row['name']}。目标任务："
        assert description.startswith(intro), description
        said = description.removeprefix(intro)
        # the official wording, cut with an ellipsis only when long
        assert said == row["target"] or (said.endswith("...") and row["target"].startswith(said[:-3])), said
        assert len(said) >= min(len(row["target"]), 80), said


def load_maker():
    spec = importlib.util.spec_from_file_location("make_images", IMG / "make_images.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["share.png", "icon.png"])
def test_the_committed_images_are_what_the_script_draws(name):
    maker = load_maker()
    width, height, radius = maker.IMAGES[name]
    with Image.open(IMG / name) as committed:
        assert committed.size == (width, height)
        assert committed.convert("RGB").tobytes() == maker.image(width, height, radius).tobytes()
