"""Photos in posts: resized with srcset, EXIF (GPS) stripped, alt text required."""

from __future__ import annotations

import io

from conftest import post, run, write_tree
from PIL import Image


def jpeg_with_gps(width: int = 2000, height: int = 1000) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (29.0, 36.0, 0.0), 3: "E", 4: (106.0, 30.0, 0.0)}  # GPSInfo
    exif[0x010F] = "PhoneMaker"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    assert Image.open(io.BytesIO(buffer.getvalue())).getexif().get(0x010F) == "PhoneMaker"
    return buffer.getvalue()


def test_photo_is_resized_and_stripped(content, tmp_path):
    write_tree(
        content,
        {
            "updates/news/site-visit.md": post(
                "title: 现场\ndate: 2030-03-01\nkind: news", "现场照片：\n\n![工人在安装电梯](lift.jpg)"
            ),
            "updates/news/lift.jpg": jpeg_with_gps(),
        },
    )
    site = tmp_path / "site"
    code, _, err = run("build", "--content", str(content), "--out", str(site))
    assert code == 0, err
    folder = site / "updates/news/site-visit"
    assert sorted(p.name for p in folder.glob("lift-*.jpg")) == ["lift-1600.jpg", "lift-480.jpg", "lift-960.jpg"]
    for variant in folder.glob("lift-*.jpg"):
        with Image.open(variant) as image:
            assert not image.getexif(), variant.name
            assert image.width in (480, 960, 1600)
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert 'src="/updates/news/site-visit/lift-960.jpg"' in page
    assert "/updates/news/site-visit/lift-480.jpg 480w" in page and 'alt="工人在安装电梯"' in page
    assert 'width="960" height="480"' in page


def test_image_problems_are_located(content):
    body = "第一段\n\n![](a.jpg)\n\n![远程图片](https://example.com/x.jpg)\n\n![缺失](missing.png)"
    write_tree(
        content,
        {
            "updates/news/p.md": post("title: 图\ndate: 2030-03-01\nkind: news", body),
            "updates/news/a.jpg": jpeg_with_gps(100, 50),
        },
    )
    code, _, err = run("check", "--content", str(content))
    assert code == 1
    path = f"{content}/updates/news/p.md"
    assert f"{path}:8: 图片“a.jpg”缺少替代文字：请写成 ![图片内容的说明](a.jpg)" in err
    assert f"{path}:10: 图片“https://example.com/x.jpg”来自其他网站：请把图片文件放在文章旁边再引用" in err
    assert f"{path}:12: 找不到图片“missing.png”：请放在文章旁边" in err
