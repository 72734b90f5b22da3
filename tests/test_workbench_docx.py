"""从 Word 导入 on the workbench's post form: a .docx (公文 numbering, a table, two pictures, one
with its alt text) fills the form's body, title and photos, with the converter's notes, and
writes nothing; the post saved from it keeps each picture where it stood, under the name the
server chooses, and passes ``check``. A file that is not a .docx is refused beside its input."""

from __future__ import annotations

import html
import re

import docx
import pytest
from conftest import run
from test_docx import add_picture, picture, saved
from test_workbench import FORM, ask, files_of, log_lines
from test_workbench import bench as bench  # noqa: F401 (the fixture, used by name)

from portal.workbench.docxpackage import SAVE_AS

GREEN = picture(color="green")
BLUE = picture((60, 30), "blue", "JPEG")
BODY = """\
5月1日，社区食堂开业。

## 一、基本情况

### （一）建设内容

1. 新建厨房
2. 新建餐厅

| 项目 | 进度 |
| --- | --- |
| 厨房 | 100% |

![食堂外观](image-1.png)

## 二、下一步

![](image-2.jpg)

完。"""
NOTES = (
    "文档的标题“社区食堂开业”没有放进正文：它是这篇动态的标题",
    "以“一、”“（一）”编号的 3 个段落已转为小标题，以“1.”“（1）”编号的 2 个段落已转为编号列表：请在预览中核对",
    "有 1 张图片没有替代文字（说明图片内容的一句话，读屏软件会读给看不见的读者）：保存前请逐张填写",
)
STEM = "2030-05-01-社区食堂开业"


def story() -> bytes:
    """A news story as news staff write it in Word: a title, 公文 numbering typed into the text, a
    table, and two pictures (the first with its alt text)."""
    document = docx.Document()
    document.add_paragraph("社区食堂开业", style="Title")
    for text in ("　　5月1日，社区食堂开业。", "一、基本情况", "（一）建设内容", "1. 新建厨房", "2. 新建餐厅"):
        document.add_paragraph(text)
    table = document.add_table(rows=2, cols=2)
    for row, cells in enumerate([("项目", "进度"), ("厨房", "100%")]):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    add_picture(document.add_paragraph(), GREEN, alt="食堂外观")
    document.add_paragraph("二、下一步")
    add_picture(document.add_paragraph(), BLUE)
    document.add_paragraph("完。")
    return saved(document)


def imported(bench, fields: dict | None = None, data: bytes | None = None):
    form = {**FORM, "title": "", "body": "", **(fields or {}), "action": "docx"}
    return ask(bench, "POST", "post", form, {"docx": story() if data is None else data})


def carried(page: str, name: str) -> list[str]:
    return [html.unescape(value) for value in re.findall(rf'name="{name}"[^>]*? value="([^"]*)"', page)]


def test_a_word_document_fills_the_form_and_nothing_is_written(bench, content):
    before = files_of(content)
    answer = imported(bench)
    page = answer.body.decode()
    assert answer.status == 200
    assert html.unescape(re.search(r'id="field-body" name="body"[^>]*>\n(.*?)</textarea>', page, re.S)[1]) == BODY
    assert 'id="field-title" name="title" type="text" value="社区食堂开业"' in page
    status = re.search(r'<div class="notice bench-saved" role="status">(.*?)</div>', page, re.S)[1]
    assert "已导入文档的正文和 2 张图片（在“图片”一栏），还没有保存：请核对正文和下面的说明" in status
    assert re.findall(r"<li>(.*?)</li>", status) == list(NOTES)
    assert carried(page, "held_ref") == ["image-1.png", "image-2.jpg"]
    assert carried(page, "held_alt") == ["食堂外观", ""]
    assert "正文里写作 image-2.jpg 的图片：保存时留在正文里原来的位置。" in page
    assert 'aria-describedby="held-1-hint"' in page
    assert files_of(content) == before and not log_lines(bench)


def test_the_post_saved_from_it_keeps_each_picture_where_it_stood(bench, content):
    page = imported(bench, {"title": "食堂开业了"}).body.decode()
    assert 'name="title" type="text" value="食堂开业了"' in page  # a title typed is kept
    body = html.unescape(re.search(r'name="body"[^>]*>\n(.*?)</textarea>', page, re.S)[1])
    fields = {**FORM, "title": "社区食堂开业", "body": body, "projects": ["2030-03"], "action": "publish"}
    fields |= {"held": carried(page, "held"), "held_ref": carried(page, "held_ref"), "held_alt": ["食堂外观", " "]}
    refused = ask(bench, "POST", "post", fields)
    assert refused.status == 422 and 'id="held-1-error"><p>请填写图片说明' in refused.body.decode()
    assert not (content / "updates").exists()
    answer = ask(bench, "POST", "post", {**fields, "held_alt": ["食堂外观", "食堂的餐厅"]})
    assert answer.status == 303
    folder = content / "updates/news"
    assert (folder / f"{STEM}-1.png").read_bytes() == GREEN
    assert (folder / f"{STEM}-2.jpg").read_bytes() == BLUE
    text = (folder / f"{STEM}.md").read_text(encoding="utf-8")
    written = BODY.replace("](image-1.png)", f"]({STEM}-1.png)").replace(
        "![](image-2.jpg)", f"![食堂的餐厅]({STEM}-2.jpg)"
    )
    assert (
        text
        == f"---\ntitle: 社区食堂开业\ndate: 2030-05-01\nkind: news\nprojects: [2030-03]\nsource: 区城管局\n---\n\n{written}\n"
    )
    assert run("check", "--content", str(content))[0] == 0
    assert len(log_lines(bench)) == 3


def test_a_problem_check_finds_with_a_picture_is_beside_that_picture(bench, content, monkeypatch):
    page = imported(bench).body.decode()
    monkeypatch.setattr("portal.limits.MAX_IMAGE_SIDE", 50)  # the second picture is 60 wide
    body = html.unescape(re.search(r'name="body"[^>]*>\n(.*?)</textarea>', page, re.S)[1])
    fields = {**FORM, "title": "社区食堂开业", "body": body, "held": carried(page, "held"), "action": "publish"}
    answer = ask(bench, "POST", "post", {**fields, "held_ref": carried(page, "held_ref"), "held_alt": ["甲", "乙"]})
    assert answer.status == 422
    assert f'<div class="field-error" id="held-1-error"><p>图片“{STEM}-2.jpg”尺寸过大' in answer.body.decode()
    assert not (content / "updates").exists()


@pytest.mark.parametrize(
    ("fields", "data", "message"),
    [
        (
            {},
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
            f"“所选文件”是旧版 Word（.doc）或 WPS（.wps）格式：{SAVE_AS}",
        ),
        ({}, b"not a document at all", f"“所选文件”不是 Word 文档（.docx）：{SAVE_AS}"),
        ({}, b"", "请先点“选择文件”选一个 Word 文档（.docx），再点“导入”"),
        (
            {"body": "已经写好的正文。"},
            None,
            "正文里已经有文字，导入会用文档的内容作正文：请先清空正文（需要的话先复制到别处），再导入",
        ),
    ],
    ids=["doc", "garbage", "nothing", "body-typed"],
)
def test_a_file_that_is_not_imported_is_refused_beside_its_input(bench, content, fields, data, message):
    before = files_of(content)
    answer = imported(bench, fields, data)
    page = answer.body.decode()
    assert answer.status == 422
    assert f'<div class="field-error" id="docx-error"><p>{message}</p></div>' in page
    assert 'name="docx" type="file"' in page and 'aria-describedby="docx-hint docx-error" aria-invalid="true">' in page
    assert f'<li><a href="#field-docx">从 Word 导入：{message}</a></li>' in page
    assert 'name="held_ref"' not in page and 'value="社区食堂开业"' not in page
    assert files_of(content) == before and not log_lines(bench)
