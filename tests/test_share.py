"""Link previews: every page of a built site says what it is when shared (WeChat, Weibo, mail):
a meaningful description, Open Graph tags with absolute addresses, and a self-hosted image that
the build really writes; a square icon for WeChat, the browser tab and a phone's home screen.
Each project page's QR code, read back by a small decoder of our own, holds the page's address."""

from __future__ import annotations

import csv
import importlib.util
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import INDICATORS_CSV, PROJECTS_CSV, ROOT, SITE_YAML, post, run, write_tree
from PIL import Image

from portal.render import share

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
    # Longer addresses: version 4 codes, their data in two interleaved blocks.
    check_qr_codes(site, "https://example.gov.cn", "/minsheng/", ["2030-01", "2030-02", "2030-03"])


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


# ------------------------------------------------------------------ QR codes read back
# Just enough of ISO/IEC 18004 to read what share.py draws: byte mode, versions 1 to 6 (one
# alignment pattern, no version blocks), no damaged module, so no error correction is needed.

QR_BORDER = 4  # share.py draws a quiet zone of 4 modules
# Data codewords of each block, by version (1-6) and error correction level (ISO/IEC 18004 table 9).
QR_BLOCKS = {
    1: {"L": [19], "M": [16], "Q": [13], "H": [9]},
    2: {"L": [34], "M": [28], "Q": [22], "H": [16]},
    3: {"L": [55], "M": [44], "Q": [17] * 2, "H": [13] * 2},
    4: {"L": [80], "M": [32] * 2, "Q": [24] * 2, "H": [9] * 4},
    5: {"L": [108], "M": [43] * 2, "Q": [15, 15, 16, 16], "H": [11, 11, 12, 12]},
    6: {"L": [68] * 2, "M": [27] * 4, "Q": [19] * 4, "H": [15] * 4},
}
QR_TOTAL = {1: 26, 2: 44, 3: 70, 4: 100, 5: 134, 6: 172}  # all codewords of a version
QR_LEVELS = {1: "L", 0: "M", 3: "Q", 2: "H"}
QR_MASKS = [
    lambda x, y: (x + y) % 2 == 0,
    lambda x, y: y % 2 == 0,
    lambda x, y: x % 3 == 0,
    lambda x, y: (x + y) % 3 == 0,
    lambda x, y: (x // 3 + y // 2) % 2 == 0,
    lambda x, y: x * y % 2 + x * y % 3 == 0,
    lambda x, y: (x * y % 2 + x * y % 3) % 2 == 0,
    lambda x, y: ((x + y) % 2 + x * y % 3) % 2 == 0,
]


def qr_modules(svg: str) -> list[list[bool]]:
    """The dark modules of segno's SVG (a path of horizontal runs), by row, quiet zone left out."""
    side = int(re.search(r'd="M0 0h(\d+)v', svg)[1]) - 2 * QR_BORDER
    runs = re.search(r'stroke="#000" d="([^"]+)"', svg)[1]
    grid = [[False] * side for _ in range(side)]
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", runs):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            for column in range(int(x), int(x) + int(a)):
                grid[int(y) - QR_BORDER][column - QR_BORDER] = True
            x += int(a)
    return grid


def qr_format(level: int, mask: int) -> int:
    rem = data = level << 3 | mask
    for _ in range(10):
        rem = (rem << 1) ^ ((rem >> 9) * 0x537)
    return (data << 10 | rem) ^ 0x5412


def qr_decode(svg: str) -> tuple[str, str, int]:
    """(text, error correction level, mask) of a QR code of byte-mode text, versions 1 to 6."""
    grid = qr_modules(svg)
    side = len(grid)
    version = (side - 17) // 4
    assert 1 <= version <= 6 and side == 17 + 4 * version, f"{side} modules a side: not a version 1-6 QR code"
    # The format information beside the top left finder pattern: bits 0-7 down column 8, 8-14 along row 8.
    places = [(y, 8) for y in (0, 1, 2, 3, 4, 5, 7, 8)] + [(8, x) for x in (7, 5, 4, 3, 2, 1, 0)]
    read = sum(grid[y][x] << i for i, (y, x) in enumerate(places))
    [(level, mask)] = [(e, m) for e in QR_LEVELS for m in range(8) if qr_format(e, m) == read]
    function = [[False] * side for _ in range(side)]
    for y in range(side):
        for x in range(side):
            finders = (y < 9 and (x < 9 or x >= side - 8)) or (y >= side - 8 and x < 9)
            alignment = version > 1 and abs(y - (side - 7)) <= 2 and abs(x - (side - 7)) <= 2
            function[y][x] = finders or alignment or x == 6 or y == 6
    bits = []
    right = side - 1
    while right >= 1:  # two columns at a time, upwards then downwards, skipping the timing column
        right = 5 if right == 6 else right
        upward = (right + 1) & 2 == 0
        for vertical in range(side):
            y = side - 1 - vertical if upward else vertical
            for x in (right, right - 1):
                if not function[y][x]:
                    bits.append(grid[y][x] ^ QR_MASKS[mask](x, y))
        right -= 2
    codewords = [int("".join(map(str, map(int, bits[i : i + 8]))), 2) for i in range(0, QR_TOTAL[version] * 8, 8)]
    sizes = QR_BLOCKS[version][QR_LEVELS[level]]
    blocks: list[list[int]] = [[] for _ in sizes]
    stream = iter(codewords)
    for i in range(max(sizes)):  # data codewords are interleaved block by block
        for block, size in zip(blocks, sizes, strict=True):
            if i < size:
                block.append(next(stream))
    data = "".join(f"{c:08b}" for block in blocks for c in block)
    assert data[:4] == "0100", f"mode {data[:4]}: not byte mode"
    length = int(data[4:12], 2)
    text = bytes(int(data[12 + 8 * i : 20 + 8 * i], 2) for i in range(length)).decode("utf-8")
    return text, QR_LEVELS[level], mask


def check_qr_codes(site: Path, origin: str, base: str, ids: list[str]) -> None:
    """Each project's qr.svg reads back as its page's absolute address, drawn with share.MASK."""
    assert ids
    for project in ids:
        svg = (site / "projects" / project / "qr.svg").read_text(encoding="utf-8")
        text, level, mask = qr_decode(svg)
        assert text == f"{origin}{base}projects/{project}/", project
        assert level in {"M", "Q", "H"}, f"{project}: error correction {level}, below the M asked for"
        assert mask == share.MASK, project


def test_each_project_page_has_a_qr_code_of_its_address(tmp_path):
    site = built(tmp_path, ROOT / "content")
    ids = [row["id"] for row in csv.DictReader((ROOT / "content/projects/2020.csv").open(encoding="utf-8-sig"))]
    check_qr_codes(site, "https://www.ybq.gov.cn", "/", ids)
