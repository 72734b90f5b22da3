"""Feeds and the sitemap: valid, absolute, newest first, drafts never."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import feedparser
from conftest import ROOT, post, run, write_tree

from portal import load
from portal.model.portfolio import Portfolio
from portal.render import feeds, pages


def build(content, tmp_path, base="/minsheng/"):
    site_yaml = (content / "site.yaml").read_text(encoding="utf-8").replace("base_url: /", f"base_url: {base}")
    (content / "site.yaml").write_text(site_yaml, encoding="utf-8")
    write_tree(
        content,
        {
            "updates/news/old.md": post("title: 旧闻\ndate: 2030-02-01\nkind: news\nprojects: [2030-01]"),
            "updates/news/new.md": post("title: 新闻 <b>&</b>\ndate: 2030-03-01\nkind: news\nprojects: [2030-02]"),
            "updates/news/draft.md": post("title: 草稿\ndate: 2030-04-01\nkind: news\ndraft: true"),
        },
    )
    site = tmp_path / "site"
    code, _, err = run("build", "--content", str(content), "--out", str(site))
    assert code == 0, err
    return site


def test_atom_feeds_parse_newest_first_without_drafts(content, tmp_path):
    site = build(content, tmp_path)
    feed = feedparser.parse(str(site / "feed.xml"))
    assert not feed.bozo
    assert [e.title for e in feed.entries] == ["新闻 <b>&</b>", "旧闻"]
    assert feed.entries[0].link == "https://example.gov.cn/minsheng/updates/news/new/"
    assert feed.feed.links[1].href == "https://example.gov.cn/minsheng/feed.xml"
    project = feedparser.parse(str(site / "projects/2030-01/feed.xml"))
    assert not project.bozo and [e.title for e in project.entries] == ["旧闻"]
    unit = feedparser.parse(str(site / "units/区住建委/feed.xml"))
    assert not unit.bozo and [e.title for e in unit.entries] == ["新闻 <b>&</b>"]


def test_sitemap_lists_every_page_under_the_base_url(content, tmp_path):
    site = build(content, tmp_path)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")
    assert len(locs) == len(pages)
    assert all(loc.startswith("https://example.gov.cn/minsheng/") for loc in locs)
    assert "https://example.gov.cn/minsheng/projects/2030-01/" in locs
    assert "https://example.gov.cn/minsheng/units/%E5%8C%BA%E4%BD%8F%E5%BB%BA%E5%A7%94/" in locs
    robots = (site / "robots.txt").read_text()
    assert "Sitemap: https://example.gov.cn/minsheng/sitemap.xml" in robots


def test_a_unit_feed_carries_its_newest_posts(content, tmp_path):
    """The portal's feed.xml has every post; a unit's feed its newest feeds.UNIT_FEED."""
    from portal.render.feeds import UNIT_FEED

    many = {
        f"updates/news/n{i:03d}.md": post(
            f"title: 第{i}条\ndate: 2030-{1 + i // 28:02d}-{1 + i % 28:02d}\nkind: news\nprojects: [2030-01]"
        )
        for i in range(UNIT_FEED + 5)
    }
    write_tree(content, many)
    site = tmp_path / "site"
    code, _, err = run("build", "--content", str(content), "--out", str(site))
    assert code == 0, err
    unit = feedparser.parse(str(site / "units/区城管局/feed.xml"))
    titles = [f"第{i}条" for i in reversed(range(UNIT_FEED + 5))]
    assert [e.title for e in unit.entries] == titles[:UNIT_FEED]
    assert len(feedparser.parse(str(site / "feed.xml")).entries) == UNIT_FEED + 5


def test_the_previews_feeds_come_as_the_bytes_a_whole_build_streams(tmp_path):
    """The preview keeps each post's entry encoded: its feeds come whole, as bytes, equal to a
    build's; the portal's, which carries every post (20 MB at 16,000), as what makes those bytes
    when it is written (the preview writes it only when asked for)."""
    shutil.copytree(ROOT / "tests/golden/content", tmp_path / "content")
    p = Portfolio.build(load.load(tmp_path / "content", drafts=True))
    site_pages = list(pages.pages(p))
    streamed = dict(feeds.files(p, site_pages))
    entries: dict = {}
    for _ in range(2):  # the second time from the entries kept
        kept = dict(feeds.files(p, site_pages, entries=entries))
        assert kept.keys() == streamed.keys()
        assert callable(kept["feed.xml"]) and not any(
            callable(data) for path, data in kept.items() if path != "feed.xml"
        )
        kept["feed.xml"] = kept["feed.xml"]()
        for path, data in streamed.items():
            whole = (data if isinstance(data, str) else "".join(data)).encode()
            assert kept[path] == whole if path.endswith("feed.xml") else kept[path] == data
            assert isinstance(kept[path], bytes) or not path.endswith("feed.xml")
        streamed = dict(feeds.files(p, site_pages))
    assert entries.keys() == {u.slug for u in p.updates}
