"""No dead links: every address a built site holds resolves to a file, and every #anchor to an id.

The crawler reads the whole output of a build: every page's a/area/link href, script/img/source/
iframe/audio/video/track/embed src, img/source srcset, object data and form action, plus the
sitemap's <loc>, the feed's <link href> and robots.txt's Sitemap line. Each address is resolved
the way a browser would, from the page's own public address (site_url + base_url + path):

- 404.html, which the server answers with at any depth, holds no relative address, and the
  sitemap, feed and robots.txt only full ones;
- inside site_url + base_url: it must name a file of the output (a folder only with its trailing
  slash, standing for its index.html), and its #anchor an id (or <a name>) of that page;
- anywhere else (another host, or the site's host outside base_url): allowed only when the
  content itself writes that address (an explicit external link an author chose; site.yaml's
  gov_badge, report_errors and feedback url among them) or it is one of the two filing registers
  a government site's footer links its filing numbers to (REGISTERS), never one the templates
  make up, nor a base_url slip.

A post's attachments are addresses like any other; besides, each must be linked from its post's
page (a monthly report's also from its project's page) and be the file beside the post, byte for
byte.

The sites: the default content/ (base_url /), the demo (examples/demo/, base_url /), and the
golden fixture site both as committed (base_url /minsheng/) and rebuilt at base_url /, so both
kinds of base_url are crawled over the same pages. test_crawler_* feed the crawler a hand-made
folder to show that it does catch what it is meant to.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
import yaml
from conftest import ROOT, run, write_tree

GOLDEN = ROOT / "tests" / "golden" / "content"
# What each element may point at, attribute by attribute.
LINK_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "form": ("action",),
}
HARMLESS_SCHEMES = ("mailto", "tel", "data")
# The filing registers a footer links the ICP and police filing numbers to (the contract names them).
REGISTERS = frozenset({"https://beian.miit.gov.cn/", "https://beian.mps.gov.cn/"})
# An address as an author writes one, in Markdown, YAML or CSV: it ends at white space, quotes,
# brackets, or Chinese punctuation.
WRITTEN_URL = re.compile(r"https?://[^\s<>\"'()\[\]\u3000-\u303f\uff00-\uffef]+")
NOT_FOUND = "404.html"  # served for any missing address, at any depth
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass(frozen=True)
class DeadLink:
    """One address that does not resolve: on which page (relative to the output), and why."""

    page: str
    url: str
    why: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url}: {self.why}"


class PageParser(HTMLParser):
    """The ids (and <a name>s) of one page, and every address it points at, as (attribute, url)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        for attribute in LINK_ATTRIBUTES.get(tag, ()):
            if attribute not in values:
                continue
            if attribute == "srcset":
                for candidate in values[attribute].split(","):
                    if candidate.strip():
                        self.links.append((f"{tag} srcset", candidate.split()[0]))
            else:
                self.links.append((f"{tag} {attribute}", values[attribute]))

    handle_startendtag = handle_starttag


@dataclass(frozen=True)
class Site:
    """A built output folder and the public address it is published at."""

    root: Path
    site_url: str  # scheme and host, no trailing slash
    base_url: str  # begins and ends with "/"
    external: frozenset[str] = frozenset()  # addresses on other hosts the content itself writes
    content: Path | None = None  # the content folder it was built from

    def public(self, rel: str) -> str:
        """The public address of an output file, as a browser would see the page."""
        return self.site_url + self.base_url + rel


class Crawler:
    """Resolves every address of a site against its output; parses each page at most once."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._pages: dict[Path, PageParser] = {}

    def page(self, path: Path) -> PageParser:
        if path not in self._pages:
            parser = PageParser()
            parser.feed(path.read_text(encoding="utf-8"))
            parser.close()
            self._pages[path] = parser
        return self._pages[path]

    def dead_links(self) -> list[DeadLink]:
        return [dead for page, url in self.addresses() if (dead := self.check(page, url)) is not None]

    def addresses(self) -> Iterator[tuple[str, str]]:
        """(page relative to the output, address as written) for every address the output holds."""
        root = self.site.root
        for path in sorted(root.rglob("*.html")):
            rel = path.relative_to(root).as_posix()
            for _, url in self.page(path).links:
                yield rel, url
        sitemap = root / "sitemap.xml"
        if sitemap.is_file():
            for loc in ElementTree.parse(sitemap).getroot().iter(f"{SITEMAP}loc"):
                yield "sitemap.xml", (loc.text or "").strip()
        feed = root / "feed.xml"
        if feed.is_file():
            for link in ElementTree.parse(feed).getroot().iter(f"{ATOM}link"):
                yield "feed.xml", link.get("href", "")
        robots = root / "robots.txt"
        if robots.is_file():
            for line in robots.read_text(encoding="utf-8").splitlines():
                if line.lower().startswith("sitemap:"):
                    yield "robots.txt", line.split(":", 1)[1].strip()

    def check(self, rel: str, url: str) -> DeadLink | None:
        """None when url, written on the output file rel, resolves; else why not."""
        site = self.site
        if not url.strip():
            return DeadLink(rel, url, "empty address")
        if url.strip() == "#":
            return DeadLink(rel, url, "an anchor that names nothing")
        written = urlsplit(url.strip())
        if not rel.endswith(".html") and not written.scheme:
            return DeadLink(rel, url, "not a full address (feeds, sitemaps and robots.txt are read off the site)")
        if rel == NOT_FOUND and not (written.scheme or url.strip().startswith(("/", "#"))):
            return DeadLink(rel, url, "relative, on the page the server answers with at any depth")
        page_url = site.public(re.sub(r"(^|/)index\.html$", r"\1", rel))
        parts = urlsplit(urljoin(page_url, url.strip()))
        if parts.scheme in HARMLESS_SCHEMES:
            return None
        origin = urlsplit(site.site_url)
        ours = (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc)
        if not (ours and parts.path.startswith(site.base_url)):
            if url.strip() in site.external or url.strip() in REGISTERS:
                return None
            if ours:
                return DeadLink(rel, url, f"outside base_url {site.base_url}")
            return DeadLink(rel, url, "points to another site, and the content does not write this address")
        inside = unquote(parts.path[len(site.base_url) :])
        target = site.root / inside
        if inside == "" or inside.endswith("/"):
            target = target / "index.html"
        elif target.is_dir():
            return DeadLink(rel, url, "a folder without its trailing slash")
        if not target.is_file():
            return DeadLink(rel, url, f"no file {target.relative_to(site.root).as_posix()} in the output")
        if parts.fragment:
            if target.suffix != ".html":
                return DeadLink(rel, url, "an anchor into a file that is not a page")
            if unquote(parts.fragment) not in self.page(target).ids:
                return DeadLink(rel, url, f"no id “{unquote(parts.fragment)}” on that page")
        return None


def external_addresses(content: Path) -> frozenset[str]:
    """Every http(s) address written anywhere in a content tree: the links its authors chose."""
    found: set[str] = set()
    for path in content.rglob("*"):
        if path.is_file() and path.suffix in (".md", ".yaml", ".yml", ".csv"):
            text = path.read_text(encoding="utf-8-sig", errors="replace")
            found.update(url.rstrip(".,;:!?") for url in re.findall(WRITTEN_URL, text))
    return frozenset(found)


def settings(content: Path) -> tuple[str, str]:
    """(site_url, base_url) of a content tree, normalised as the contract says."""
    config = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8-sig"))
    base = "/" + str(config["base_url"]).strip("/") + "/"
    return str(config["site_url"]).rstrip("/"), base.replace("//", "/")


def built(content: Path, out: Path) -> Site:
    code, stdout, stderr = run("build", "--content", str(content), "--out", str(out))
    assert code == 0, stdout + stderr
    site_url, base_url = settings(content)
    return Site(out, site_url, base_url, external_addresses(content), content)


def attachments_of(content: Path) -> dict[str, Path]:
    """Each file a content tree's posts attach: its path under the output → the file beside the post."""
    found = {}
    for path in sorted((content / "updates").rglob("*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8-sig").split("---\n", 2)[1])
        slug = path.relative_to(content).with_suffix("").as_posix()
        for item in meta.get("attachments") or ():
            found[f"{slug}/{item['file']}"] = path.parent / item["file"]
    return found


def golden_at_root(tmp: Path) -> Path:
    """The golden content with base_url / instead of its own sub-path.

    A post that writes the site's own full address (site_url + /minsheng/ + path) is moved with
    it, as an editor moving the site would: that address is the content's, not the templates'.
    """
    tree = shutil.copytree(GOLDEN, tmp / "golden-root")
    site_url, base_url = settings(tree)
    config = tree / "site.yaml"
    text = config.read_text(encoding="utf-8")
    assert base_url != "/" and re.search(r"(?m)^base_url: .+$", text)
    config.write_text(re.sub(r"(?m)^base_url: .+$", "base_url: /", text), encoding="utf-8")
    for post in (tree / "updates").rglob("*.md"):
        body = post.read_text(encoding="utf-8")
        post.write_text(body.replace(site_url + base_url, site_url + "/"), encoding="utf-8")
    return tree


SOURCES = {
    "default": lambda tmp: ROOT / "content",
    "demo": lambda tmp: ROOT / "examples" / "demo",
    "golden": lambda tmp: GOLDEN,
    "golden-at-root": golden_at_root,
}


@pytest.fixture(scope="module", params=sorted(SOURCES))
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Site:
    tmp = tmp_path_factory.mktemp(request.param)
    return built(SOURCES[request.param](tmp), tmp / "site")


def test_every_address_resolves(site: Site) -> None:
    crawler = Crawler(site)
    addresses = list(crawler.addresses())
    pages = {page for page, _ in addresses if page.endswith(".html")}
    assert len(pages) >= 20, f"only {len(pages)} pages with links: is this the whole output?"
    dead = crawler.dead_links()
    assert not dead, f"{len(dead)} dead of {len(addresses)} addresses:\n" + "\n".join(map(str, dead[:40]))


def test_every_attachment_is_crawled_and_published_as_it_is(site: Site) -> None:
    """Each attachment is linked from its post's page (a report's also from its project's page),
    the crawler reaches it (test_every_address_resolves checks it resolves), and the file it
    reaches is the one beside the post, byte for byte."""
    assert site.content is not None
    attached = attachments_of(site.content)
    if site.content != ROOT / "content":  # the demo and the golden fixture each attach files
        assert attached, "no attachment to crawl"
    crawler = Crawler(site)
    linked: dict[str, set[str]] = {}  # a path under the output → the pages linking it
    for page, url in crawler.addresses():
        page_url = site.public(re.sub(r"(^|/)index\.html$", r"\1", page))
        path = unquote(urlsplit(urljoin(page_url, url)).path)
        if path.startswith(site.base_url):
            linked.setdefault(path[len(site.base_url) :], set()).add(page)
    for rel, source in attached.items():
        post = rel.rsplit("/", 1)[0] + "/index.html"
        assert post in linked.get(rel, ()), f"{rel} is not linked from its post's page"
        assert (site.root / rel).read_bytes() == source.read_bytes(), rel
    reports = [rel for rel in attached if rel.startswith("updates/reports/")]
    for rel in reports:
        assert any(page.startswith("projects/") for page in linked[rel]), f"{rel} is not listed on its project's page"


def test_both_base_urls_are_crawled(tmp_path: Path) -> None:
    """The golden site really is published under a sub-path, and its copy really at the root."""
    assert settings(GOLDEN)[1] == "/minsheng/"
    assert settings(golden_at_root(tmp_path))[1] == "/"


HAND_MADE = {
    "index.html": """\
        <!doctype html><html lang="zh-CN"><head><title>首页</title>
        <link rel="stylesheet" href="/sub/static/site.css">
        <link rel="stylesheet" href="/sub/static/gone.css">
        <script src="static/gone.js"></script></head>
        <body><span id="here"></span>
        <a href="/sub/about/">好</a>
        <a href="about/#team">好的锚点</a>
        <a href="#here">本页锚点</a>
        <a href="/sub/missing/">死链</a>
        <a href="/sub/about/#nobody">死锚点</a>
        <a href="#nowhere">本页死锚点</a>
        <a href="/sub/about">缺斜杠</a>
        <a href="/other/">站外路径</a>
        <a href="https://example.gov.cn/sub/about/">完整地址</a>
        <a href="https://example.gov.cn/">站点根</a>
        <a href="https://written.example/page">正文里写的</a>
        <a href="https://invented.example/">模板编造的</a>
        <a href="https://beian.miit.gov.cn/">ICP备案</a>
        <a href="https://beian.miit.gov.cn/search">备案系统的其他页面</a>
        <a href="mailto:office@example.gov.cn">邮件</a>
        <a href="/sub/updates/n/report.pdf">附件</a>
        <a href="/sub/updates/n/gone.pdf">附件已删</a>
        <a href="#">空锚点</a>
        <img src="/sub/static/logo.png" srcset="/sub/static/logo.png 1x, /sub/static/logo-2x.png 2x" alt="">
        <form action="/sub/search/"></form>
        </body></html>
        """,
    "about/index.html": '<!doctype html><title>关于</title><h2 id="team">团队</h2><a name="old">旧锚点</a>',
    "static/site.css": "body {}",
    "static/logo.png": b"\x89PNG",
    "updates/n/report.pdf": b"%PDF-1.4",
    "search/index.html": "<!doctype html><title>搜索</title><a href='../about/#old'>旧锚点</a>",
    "404.html": '<!doctype html><title>找不到</title><a href="/sub/">首页</a><a href="about/">关于</a>',
}


def test_crawler_catches_broken_links_and_anchors(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "out", HAND_MADE)
    site = Site(root, "https://example.gov.cn", "/sub/", frozenset({"https://written.example/page"}))
    found = {(dead.page, dead.url) for dead in Crawler(site).dead_links()}
    assert found == {
        ("index.html", "/sub/static/gone.css"),
        ("index.html", "static/gone.js"),
        ("index.html", "/sub/missing/"),
        ("index.html", "/sub/about/#nobody"),
        ("index.html", "#nowhere"),
        ("index.html", "/sub/about"),
        ("index.html", "/other/"),
        ("index.html", "https://example.gov.cn/"),  # site_url, but outside base_url
        ("index.html", "https://invented.example/"),
        ("index.html", "https://beian.miit.gov.cn/search"),  # only the registers' front pages
        ("index.html", "#"),
        ("index.html", "/sub/static/logo-2x.png"),
        ("index.html", "/sub/updates/n/gone.pdf"),
        ("404.html", "about/"),  # resolves from /sub/404.html, not from /sub/a/b/ where it is also served
    }


def test_crawler_explains_each_dead_link(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "out", HAND_MADE)
    reasons = {dead.url: dead.why for dead in Crawler(Site(root, "https://example.gov.cn", "/sub/")).dead_links()}
    assert reasons["/sub/missing/"] == "no file missing/index.html in the output"
    assert reasons["/sub/about/#nobody"] == "no id “nobody” on that page"
    assert reasons["/other/"] == "outside base_url /sub/"
    assert reasons["https://written.example/page"].startswith("points to another site")  # not written here


def test_crawler_reads_sitemap_feed_and_robots(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "out",
        {
            "index.html": "<!doctype html><title>首页</title>",
            "sitemap.xml": '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            "<url><loc>https://example.gov.cn/</loc></url><url><loc>https://example.gov.cn/gone/</loc></url>"
            "<url><loc>/</loc></url></urlset>",
            "feed.xml": '<feed xmlns="http://www.w3.org/2005/Atom"><link href="https://example.gov.cn/feed.xml"/>'
            '<entry><link href="https://example.gov.cn/old/"/></entry></feed>',
            "robots.txt": "User-agent: *\nSitemap: https://example.gov.cn/sitemap-old.xml\n",
        },
    )
    found = {(dead.page, dead.url) for dead in Crawler(Site(root, "https://example.gov.cn", "/")).dead_links()}
    assert found == {
        ("sitemap.xml", "https://example.gov.cn/gone/"),
        ("sitemap.xml", "/"),
        ("feed.xml", "https://example.gov.cn/old/"),
        ("robots.txt", "https://example.gov.cn/sitemap-old.xml"),
    }
