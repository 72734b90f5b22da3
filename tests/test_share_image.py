"""A shared post with photos shows its first photo in the link preview (WeChat, Weibo): og:image
is that photo at the size its page shows first (960 wide, or the original when smaller), an
absolute address of a file the build writes, with its type, width and height. Every other page
keeps the site's own share image and square icon."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import unquote

from conftest import SITE_YAML, post, run, write_tree
from PIL import Image
from test_share import head

NEWS = "title: 加装电梯开工\ndate: 2030-03-02\nkind: news\nprojects: [2030-02]"
GENERIC = [
    ("og:image", "https://example.gov.cn{base}static/img/share.png"),
    ("og:image:type", "image/png"),
    ("og:image:width", "1200"),
    ("og:image:height", "630"),
    ("og:image:alt", "测试区民生实事"),
    ("og:image", "https://example.gov.cn{base}static/img/icon.png"),
    ("og:image:type", "image/png"),
    ("og:image:width", "300"),
    ("og:image:height", "300"),
    ("og:image:alt", "测试区民生实事"),
]


def picture(width: int, height: int, fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(buffer, format=fmt)
    return buffer.getvalue()


def image_tags(page: Path) -> list[tuple[str, str]]:
    return [(key, value) for key, value in head(page).meta if key.startswith("og:image")]


def build(tmp_path: Path, content: Path) -> Path:
    site = tmp_path / "site"
    code, _, err = run("build", "--content", str(content), "--out", str(site))
    assert code == 0, err
    return site


def test_a_post_with_photos_shares_its_first_photo_resized(content: Path, tmp_path: Path) -> None:
    body = "首批电梯开工。\n\n![施工现场](现场.jpg)\n\n![验收](done.png)"
    write_tree(
        content,
        {
            "updates/news/lifts.md": post(NEWS, body),
            "updates/news/现场.jpg": picture(2000, 1000, "JPEG"),
            "updates/news/done.png": picture(3000, 3000, "PNG"),
        },
    )
    site = build(tmp_path, content)
    page = site / "updates/news/lifts/index.html"
    address = "https://example.gov.cn/updates/news/lifts/%E7%8E%B0%E5%9C%BA-960.jpg"
    assert image_tags(page) == [
        ("og:image", address),
        ("og:image:type", "image/jpeg"),
        ("og:image:width", "960"),
        ("og:image:height", "480"),
        ("og:image:alt", "加装电梯开工"),
    ]
    with Image.open(site / unquote(address.removeprefix("https://example.gov.cn/"))) as shared:
        assert (shared.format, shared.size) == ("JPEG", (960, 480)), "the file the tags describe"


def test_a_small_photo_is_shared_at_its_own_size_under_the_sites_path(content: Path, tmp_path: Path) -> None:
    write_tree(
        content,
        {
            "site.yaml": SITE_YAML.replace("base_url: /", "base_url: /minsheng/"),
            "updates/news/lifts.md": post(NEWS, "首批电梯开工。\n\n![施工现场](site.png)"),
            "updates/news/site.png": picture(600, 301, "PNG"),
        },
    )
    site = build(tmp_path, content)
    assert image_tags(site / "updates/news/lifts/index.html") == [
        ("og:image", "https://example.gov.cn/minsheng/updates/news/lifts/site-600.png"),
        ("og:image:type", "image/png"),
        ("og:image:width", "600"),
        ("og:image:height", "301"),
        ("og:image:alt", "加装电梯开工"),
    ]
    assert (site / "updates/news/lifts/site-600.png").is_file()


def test_pages_without_photos_keep_the_generic_share_image(content: Path, tmp_path: Path) -> None:
    write_tree(
        content,
        {
            "updates/news/plain.md": post(NEWS, "首批电梯开工。"),
            "updates/news/lifts.md": post(NEWS, "![施工现场](site.png)"),
            "updates/news/site.png": picture(600, 300, "PNG"),
        },
    )
    site = build(tmp_path, content)
    generic = [(key, value.format(base="/")) for key, value in GENERIC]
    for page in ("updates/news/plain/index.html", "index.html", "projects/2030-02/index.html", "updates/index.html"):
        assert image_tags(site / page) == generic, page
