"""Limits (portal/limits.py): each refused with a located message before the work it guards, and
Markdown that can neither hang a build nor exhaust its stack, whatever a post's body holds."""

from __future__ import annotations

import contextlib
import io
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PROJECTS_CSV, ROOT, SITE_YAML, post, run, write_tree
from PIL import Image

from portal import limits
from portal.load import markup

NEWS = "title: 新闻\ndate: 2030-03-01\nkind: news\n"


def problems(content: Path) -> list[str]:
    """The problem lines of a failing check, the tree's folder shown as ``content``; a check that
    runs on (over a pipe, a quadratic parse) fails after 10 seconds instead."""
    with within(10):
        code, out, err = run("check", "--content", str(content))
    *found, summary = (out + err).replace(str(content), "content").splitlines()
    assert code == 1, found
    assert summary == f"共 {len(found)} 个问题，未生成任何文件。({len(found)} problem(s))"
    return found


@contextlib.contextmanager
def within(seconds: int) -> Iterator[None]:
    """Fail, rather than hang, when the block runs longer than this (a guard, not a timing)."""

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------- files


def test_a_post_bigger_than_the_limit_is_refused(content: Path) -> None:
    fits = post(NEWS, "a" * (limits.MAX_POST_BYTES - len(post(NEWS, "").encode())))
    write_tree(content, {"updates/fits.md": fits, "updates/big.md": fits + "\n"})
    assert len(fits.encode()) == limits.MAX_POST_BYTES
    assert problems(content) == ["content/updates/big.md: 文件太大（1.1 MB，最多 1 MB）：请把文章拆成几篇"]


def test_a_table_bigger_than_the_limit_is_refused(content: Path) -> None:
    filler = "\n" * (limits.MAX_TABLE_BYTES - len(PROJECTS_CSV) + 1)
    write_tree(content, {"projects/2030.csv": PROJECTS_CSV + filler})
    assert problems(content) == [
        "content/projects/2030-indicators.csv:2:project: 项目编号“2030-01”不在 2030 年的项目清单中",
        "content/projects/2030-indicators.csv:3:project: 项目编号“2030-01”不在 2030 年的项目清单中",
        "content/projects/2030-indicators.csv:4:project: 项目编号“2030-02”不在 2030 年的项目清单中",
        "content/projects/2030.csv: 文件太大（1.1 MB，最多 1 MB）：请检查是否粘贴了多余的内容",
    ]


def test_a_table_longer_than_the_limit_is_refused_before_its_rows_are_checked(content: Path) -> None:
    row = "2030-04,4,新项目,目标,王一,区城管局,区级,false,\n"
    blank = ",,,,,,,,\n" * 3000  # Excel leaves these: they do not count
    write_tree(content, {"projects/2031.csv": PROJECTS_CSV.replace("2030", "2031") + blank + row * 1998})
    assert problems(content) == [
        "content/projects/2031.csv:5002: 行数过多：超过 2000 行（空行不计）：请检查是否粘贴了多余的内容"
    ]
    yaml_rows = "".join(f"- id: 2031-{n:02d}\n" for n in range(1, 2002))
    write_tree(content, {"projects/2031.csv": PROJECTS_CSV.replace("2030", "2031")})
    write_tree(content, {"projects/2032.yaml": yaml_rows})
    assert problems(content) == [
        "content/projects/2032.yaml:2001: 行数过多：超过 2000 行（空行不计）：请检查是否粘贴了多余的内容"
    ]


def test_site_settings_bigger_than_the_limit_are_refused(content: Path) -> None:
    write_tree(content, {"site.yaml": SITE_YAML + "#" * limits.MAX_SETTINGS_BYTES})
    assert problems(content) == [
        "content/site.yaml: 文件太大（0.2 MB，最多 0.1 MB）：站点设置只有十来项：请检查文件内容"
    ]


# ---------------------------------------------------------------- images


def png(width: int, height: int) -> bytes:
    """A black-and-white PNG: many pixels in few bytes, the shape of a decompression bomb."""
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("size", "message"),
    [
        ((11_000, 10_900), "像素过多（11000×10900，最多 6000 万像素）：请缩小后再用"),  # Pillow lets it pass
        ((20_000, 7_000), "像素过多（最多 6000 万像素）：请缩小后再用"),  # Pillow's own bound, said in Chinese
        ((30_001, 2), "尺寸过大（30001×2，每边最多 30000 像素）：请裁剪或缩小后再用"),
    ],
    ids=["pixels", "pixels beyond Pillow's own bound", "side"],
)
def test_an_image_beyond_the_limits_is_refused_from_its_header(content: Path, size, message) -> None:
    write_tree(content, {"updates/p.md": post(NEWS, "![照片](big.png)"), "updates/big.png": png(*size)})
    assert problems(content) == [f"content/updates/p.md:6: 图片“big.png”{message}"]


# ---------------------------------------------------------------- Markdown


UNPAIRED = "过多（超过 8 个）：请检查是否成对，或删去多余的"
NESTED = "列表或引用嵌套过深（超过 16 层）：请减少层级"
HOSTILE = {  # a body: the line (from the body's first) and the message it is refused with
    "brackets": ("[" * 100_000, 0, "没有配对的“[”" + UNPAIRED),  # never finished
    "links": ("[a](" * 5_000, 0, "没有配对的“(”" + UNPAIRED),
    "tags": ("x\n\n" + "<a\n" * 20_000, 10, "没有配对的“<”" + UNPAIRED),
    "code marks": ("``a`" * 5_000, 0, "同一段中的反引号“`”过多（超过 8 处）：请分段，或删去多余的反引号"),
    "list": ("- " * 10_000 + "x", 0, NESTED),  # RecursionError
    "numbered list": ("1. " * 10_000 + "x", 0, NESTED),
    "quote": ("> " * 10_000 + "x", 0, NESTED),
    "indented list": ("\n".join("    " * i + "- x" for i in range(300)), 16, NESTED),
    "headings": ("# h\n" * 50_000, 1000, "一段的行数过多（超过 1000 行）：请用空行分段"),  # each costs the rest
    "emphasis": ("*_" * 100_000, 0, "一段中的 Markdown 符号（* _ ` [ ! < & \\）过多（超过 5000 个）：请用空行分段"),
}


@pytest.mark.parametrize(("body", "line", "message"), HOSTILE.values(), ids=HOSTILE.keys())
def test_a_body_markdown_cannot_finish_is_refused_at_its_line(
    content: Path, body: str, line: int, message: str
) -> None:
    write_tree(content, {"updates/p.md": post(NEWS, body)})
    assert problems(content) == [f"content/updates/p.md:{6 + line}: {message}"]


def test_a_refused_body_leaves_its_fields_checked(content: Path) -> None:
    write_tree(content, {"updates/p.md": post("title: 新闻\ndate: 2030-13-01\nkind: news", "- " * 20 + "x")})
    assert problems(content) == [
        "content/updates/p.md:3:date: 发布日期“2030-13-01”不是有效日期（YYYY-MM-DD）：格式为 YYYY-MM-DD，如 2020-06-02",
        "content/updates/p.md:6: 列表或引用嵌套过深（超过 16 层）：请减少层级",
    ]


REAL = (
    """\
## 一、总体情况

今年确定的 10 件民生实事（详见[《关于印发2030年民生实事的通知》（区府办发〔2030〕1号）](https://example.gov.cn/a)）进展顺利。

- 第一项
    - 子项 [附件[1]](a.pdf)
        - 再下一层
            1. 第四层 `code` 与 <b>加粗</b> &amp; **强调**
> 引用
> > 引用中的引用

- - -
* * * * * * * * * * * * * * * * * * * *

| 项目 | 进度 |
| --- | --- |
"""
    + "| [项目](https://example.gov.cn/p) | **50%** (约) |\n" * 500
)


def test_real_bodies_pass_and_render_as_before() -> None:
    bodies = [REAL] + [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/golden/content").rglob("*.md"))]
    bodies += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples/demo").rglob("*.md"))]
    assert [markup.refusal(body) for body in bodies] == [None] * len(bodies)
    html = markup.render(REAL)
    assert [html.count(f"<{tag}>") for tag in ("ul", "ol", "blockquote", "hr", "tr")] == [3, 1, 2, 2, 501]
