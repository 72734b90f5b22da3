"""附件 on the workbench's post form: an attachment's type told by its content, held in the form
until the post is saved, then written beside the post under a name the server chooses and listed
in its front matter as ``check`` reads it; refused ones write nothing."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from conftest import run
from test_workbench import FORM, TOKEN, ask, files_of, html

from portal.workbench import attachments
from portal.workbench.guard import Guard
from portal.workbench.web import Bench

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 8
FOLDER = "updates/news"
STEM = "2030-05-01-新建公厕投入使用"


@pytest.fixture
def bench(content: Path) -> Bench:
    return Bench(content, "content", Guard(TOKEN))


def zipped(part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(part, "<x/>")
    return out.getvalue()


def test_a_pdf_with_its_title_is_saved_beside_the_post_and_listed(bench, content, tmp_path):
    fields = {**FORM, "action": "attachment", "attachment_title": "竣工验收报告"}
    added = ask(bench, "POST", "post", fields, {"attachment": PDF})
    page = html(added)
    assert added.status == 200 and "附件已添加，保存文章时一起保存" in page
    assert "第 1 个附件（PDF，" in page and 'value="竣工验收报告"' in page
    assert not (content / "updates").exists()  # nothing written before the post is saved
    carried = re.search(r'name="attached" value="([^"]+)"', page)[1]
    fields = {**FORM, "attached": [carried], "attached_title": ["竣工验收报告"], "action": "publish"}
    assert ask(bench, "POST", "post", fields).status == 303
    folder = content / FOLDER
    assert (folder / f"{STEM}-file-1.pdf").read_bytes() == PDF
    text = (folder / f"{STEM}.md").read_text(encoding="utf-8")
    assert f"attachments:\n  - file: {STEM}-file-1.pdf\n    title: 竣工验收报告\n" in text
    assert run("check", "--content", str(content))[0] == 0
    assert run("build", "--content", str(content), "--out", str(tmp_path / "out"))[0] == 0
    built = (tmp_path / "out" / FOLDER / STEM / "index.html").read_text(encoding="utf-8")
    assert ">附件</h2>" in built and "竣工验收报告" in built


def test_an_edit_keeps_the_posts_attachments_and_adds_a_new_one(bench, content):
    fields = {**FORM, "action": "publish", "attachment_title": "验收报告"}
    assert ask(bench, "POST", "post", fields, {"attachment": PDF}).status == 303
    rel = f"news/{STEM}.md"
    page = html(ask(bench, "GET", f"post?path={rel}"))
    version = re.search(r'name="version" value="([^"]+)"', page)[1]
    fields = {**FORM, "path": rel, "version": version, "action": "publish", "attachment_title": "数据"}
    assert ask(bench, "POST", "post", fields, {"attachment": "项目,金额\n甲,1\n".encode()}).status == 303
    text = (content / FOLDER / f"{STEM}.md").read_text(encoding="utf-8")
    assert (
        f"attachments:\n  - file: {STEM}-file-1.pdf\n    title: 验收报告\n  - file: {STEM}-file-1.csv\n    title: 数据\n"
    ) in text
    assert run("check", "--content", str(content))[0] == 0


def test_an_attachment_refused_by_its_content_or_title_writes_nothing(bench, content):
    before = files_of(content)
    program = b"MZ\x90\x00\x03" + bytes(300)  # a renamed program: no PDF, whatever it is called
    answer = ask(
        bench, "POST", "post", {**FORM, "action": "publish", "attachment_title": "报告"}, {"attachment": program}
    )
    assert answer.status == 422
    assert f'<div class="field-error" id="attachment-error"><p>{attachments.REFUSED}</p></div>' in html(answer)
    answer = ask(bench, "POST", "post", {**FORM, "action": "publish", "attachment_title": " "}, {"attachment": PDF})
    message = "请填写附件标题：读者在文章下看到的名称，如 竣工验收报告"
    assert answer.status == 422
    assert f'<div class="field-error" id="attached-0-error"><p>{message}</p></div>' in html(answer)
    assert 'name="attached" value="' in html(answer)  # still held, to be given a title
    assert files_of(content) == before


def test_a_dropped_attachment_is_not_saved(bench, content):
    fields = {**FORM, "attached": [attachments.accept(PDF, "甲").carried], "attached_title": ["甲"]}
    assert ask(bench, "POST", "post", {**fields, "drop_attached": ["0"], "action": "publish"}).status == 303
    assert sorted(p.name for p in (content / FOLDER).iterdir()) == [f"{STEM}.md"]


def test_the_type_is_told_by_the_content():
    assert attachments.kind(zipped("word/document.xml")) == ".docx"
    assert attachments.kind(zipped("xl/workbook.xml")) == ".xlsx"
    assert attachments.kind(zipped("OFD.xml")) == ".ofd"
    assert attachments.kind(zipped("other.xml")) is None
    assert attachments.kind(PDF) == ".pdf"
    assert attachments.kind("序号,名称\n".encode("gb18030")) == ".csv"
    assert attachments.kind(b"a\x00b") is None
