"""Photos in posts: resized with srcset, EXIF (GPS) stripped, alt text required."""

from __future__ import annotations

import io

import pytest
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


NEEDS_RENAMING = "图片文件名“盘溪河 步道.jpg”含空格等不能用作网址的字符：请把文件改名为“盘溪河-步道.jpg”并修改引用"


@pytest.mark.parametrize(
    "written",
    [
        "![步道](盘溪河 步道.jpg)",
        "![步道](<盘溪河 步道.jpg>)",
        "![步道](盘溪河%20步道.jpg)",
        '![步道](<盘溪河 步道.jpg> "步道")',
    ],
)
def test_a_photo_whose_name_needs_escaping_is_refused_with_the_name_to_give_it(content, written):
    write_tree(
        content,
        {
            "updates/news/p.md": post("title: 图\ndate: 2030-03-01\nkind: news", f"第一段\n\n{written}"),
            "updates/news/盘溪河 步道.jpg": jpeg_with_gps(100, 50),
        },
    )
    code, _, err = run("check", "--content", str(content))
    assert (code, err.replace(str(content), "content").splitlines()) == (
        1,
        [f"content/updates/news/p.md:8: {NEEDS_RENAMING}", "共 1 个问题，未生成任何文件。(1 problem(s))"],
    )


@pytest.mark.parametrize(
    "written",
    [
        "![步道](%E7%9B%98%E6%BA%AA%E6%B2%B3.jpg)",
        "![步道](<盘溪河.jpg>)",
        '![步道](盘溪河.jpg "步道")',
        "![步\n道](盘溪河.jpg)",
    ],
)
def test_a_photo_written_encoded_in_brackets_or_over_two_lines_is_published(content, tmp_path, written):
    write_tree(
        content,
        {
            "updates/news/p.md": post("title: 图\ndate: 2030-03-01\nkind: news", written),
            "updates/news/盘溪河.jpg": jpeg_with_gps(100, 50),
        },
    )
    site = tmp_path / "site"
    code, _, err = run("build", "--content", str(content), "--out", str(site))
    assert code == 0, err
    page = (site / "updates/news/p/index.html").read_text(encoding="utf-8")
    assert 'src="/updates/news/p/盘溪河-100.jpg" srcset="/updates/news/p/盘溪河-100.jpg 100w"' in page
    assert (site / "updates/news/p/盘溪河-100.jpg").is_file()


def test_an_image_by_reference_or_from_another_host_in_html_is_refused_where_it_is_written(content):
    body = '![站内](a.jpg)\n\n![引用][r]\n\n[r]: b.jpg\n\n<img src="https://example.com/x.png" alt="远程">'
    write_tree(
        content,
        {
            "updates/news/p.md": post("title: 图\ndate: 2030-03-01\nkind: news", body),
            "updates/news/a.jpg": jpeg_with_gps(100, 50),
            "updates/news/b.jpg": jpeg_with_gps(100, 50),
        },
    )
    code, _, err = run("check", "--content", str(content))
    how = "图片只能写成 ![图片内容的说明](文件名.jpg)，图片文件放在文章旁边"
    assert (code, err.replace(str(content), "content").splitlines()) == (
        1,
        [
            f"content/updates/news/p.md:10: 图片“b.jpg”无法发布：{how}",
            f"content/updates/news/p.md:12: 图片“https://example.com/x.png”无法发布：{how}",
            "共 2 个问题，未生成任何文件。(2 problem(s))",
        ],
    )
