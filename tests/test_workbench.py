"""发布动态 in the workbench, page by page (each page a plain function of its request): a post
created, edited, refused with each problem beside its field, with a photo and its alt text; the
file written reads back exactly, is what ``check`` accepts, and every write is logged."""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import post, run, write_tree
from PIL import Image

from portal.workbench import app
from portal.workbench.guard import Guard
from portal.workbench.web import Bench, Request, Response

TOKEN = "t" * 43
FORM = {
    "title": "新建公厕投入使用",
    "date": "2030-05-01",
    "kind": "news",
    "projects": ["2030-01", "2030-03"],
    "source": "区城管局",
    "body": "第一段。\n\n第二段：**加粗**。",
}


def jpeg(size: tuple[int, int] = (64, 48), colour: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def bench(content: Path) -> Bench:
    return Bench(content, "content", Guard(TOKEN))


def ask(bench: Bench, method: str, path: str, fields: dict | None = None, files: dict | None = None) -> Response:
    """A request the door let in; a POST carries the token in its body, as the pages' forms do."""
    target = urlsplit(path.removeprefix("/_workbench/"))
    query = {key: tuple(values) for key, values in parse_qs(target.query).items()}
    form = {key: tuple(value) if isinstance(value, list) else (value,) for key, value in (fields or {}).items()}
    if method == "POST":
        form.setdefault("token", (TOKEN,))
    request = Request(method, target.path, query, {}, form, {k: (v,) for k, v in (files or {}).items()})
    return app.answer(bench, request)


def html(response: Response) -> str:
    return response.body.decode()


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def log_lines(bench: Bench) -> list[dict]:
    return (
        [json.loads(line) for line in bench.log.read_text(encoding="utf-8").splitlines()] if bench.log.exists() else []
    )


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_new_post_is_written_as_check_reads_it_and_logged(bench, content):
    answer = ask(bench, "POST", "post", {**FORM, "action": "publish"})
    assert answer.status == 303
    path = content / "updates/news/2030-05-01-新建公厕投入使用.md"
    location = dict(answer.headers)["Location"]
    assert (
        location
        == "/_workbench/post?path=news%2F2030-05-01-%E6%96%B0%E5%BB%BA%E5%85%AC%E5%8E%95%E6%8A%95%E5%85%A5%E4%BD%BF%E7%94%A8.md&saved=publish"
    )
    assert path.read_text(encoding="utf-8") == (
        "---\ntitle: 新建公厕投入使用\ndate: 2030-05-01\nkind: news\nprojects: [2030-01, 2030-03]\n"
        "source: 区城管局\n---\n\n第一段。\n\n第二段：**加粗**。\n"
    )
    assert run("check", "--content", str(content))[0] == 0
    [entry] = log_lines(bench)
    assert entry["file"] == "content/updates/news/2030-05-01-新建公厕投入使用.md"
    assert (entry["before"], entry["after"]) == (None, sha(path.read_bytes()))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", entry["time"])
    page = html(ask(bench, "GET", location))
    assert "已发布：文章已写入内容文件夹" in page and "这篇文章现在：<strong>已发布</strong>" in page
    assert (
        '<a href="/updates/news/2030-05-01-%E6%96%B0%E5%BB%BA%E5%85%AC%E5%8E%95%E6%8A%95%E5%85%A5%E4%BD%BF%E7%94%A8/">在预览中查看这篇文章</a>'
        in page
    )
    assert 'value="2030-01" checked' in page and 'value="2030-02">' in page


def test_a_draft_is_saved_as_a_draft_and_a_second_post_of_that_name_gets_its_own(bench, content):
    assert ask(bench, "POST", "post", {**FORM, "action": "draft"}).status == 303
    assert ask(bench, "POST", "post", {**FORM, "action": "draft"}).status == 303
    first = (content / "updates/news/2030-05-01-新建公厕投入使用.md").read_text(encoding="utf-8")
    second = (content / "updates/news/2030-05-01-新建公厕投入使用-2.md").read_text(encoding="utf-8")
    assert first == second and "source: 区城管局\ndraft: true\n---\n" in first
    listed = html(ask(bench, "GET", "posts"))
    assert listed.count("草稿（未公开）") == 2 and "新闻动态" in listed


def test_an_edit_changes_the_fields_and_keeps_every_other_line(bench, content):
    original = post(
        """
        title: 旧标题
        date: 2030-04-01
        kind: notice
        document_number: 测府办发〔2030〕1号  # the office's number
        projects: [2030-02]
        draft: true
        revisions:
          - date: 2030-04-02
            reason: 改正错字
        """,
        "旧正文。",
    )
    write_tree(content, {"updates/notices/n.md": original})
    page = html(ask(bench, "GET", "post?path=notices/n.md"))
    assert 'value="旧标题"' in page and '<option value="notice" selected>通知公告</option>' in page
    assert "这篇文章现在：<strong>草稿（未公开）</strong>" in page
    version = re.search(r'name="version" value="([0-9a-f]{64})"', page)[1]
    assert version == sha(original.encode())
    fields = {**FORM, "kind": "notice", "title": "新标题: 更正 #1", "projects": [], "source": "", "body": "新正文。"}
    answer = ask(bench, "POST", "post", {**fields, "path": "notices/n.md", "version": version, "action": "publish"})
    assert answer.status == 303
    written = (content / "updates/notices/n.md").read_text(encoding="utf-8")
    assert written == (
        '---\ntitle: "新标题: 更正 #1"\ndate: 2030-05-01\nkind: notice\n'
        "document_number: 测府办发〔2030〕1号  # the office's number\nprojects: []\n"
        "revisions:\n  - date: 2030-04-02\n    reason: 改正错字\n---\n\n新正文。\n"
    )
    assert run("check", "--content", str(content))[0] == 0
    [entry] = log_lines(bench)
    assert (entry["before"], entry["after"]) == (version, sha(written.encode()))


def test_an_edit_of_a_post_changed_since_it_was_opened_is_refused(bench, content):
    write_tree(content, {"updates/news/a.md": post("title: 甲\ndate: 2030-04-01\nkind: news")})
    fields = {**FORM, "path": "news/a.md", "version": sha(b"what it was"), "action": "publish"}
    answer = ask(bench, "POST", "post", fields)
    assert answer.status == 422
    assert "<li>这篇文章在你打开之后被改动过：请先复制你的修改，重新打开这篇文章，再把修改贴回去保存</li>" in html(
        answer
    )
    assert (content / "updates/news/a.md").read_text(encoding="utf-8") == post(
        "title: 甲\ndate: 2030-04-01\nkind: news"
    )


def test_a_post_check_refuses_is_not_saved_and_each_problem_is_beside_its_field(bench, content):
    before = files_of(content)
    fields = {**FORM, "title": " ", "date": "2030-02-30", "action": "publish", "body": "正文。\n\n" + "[" * 9}
    answer = ask(bench, "POST", "post", fields)
    assert answer.status == 422
    page = html(answer)
    assert '<div class="field-error" id="title-error"><p>标题不能为空</p></div>' in page
    assert 'name="title" type="text" value=" " required aria-describedby="title-error" aria-invalid="true">' in page
    assert 'id="date-error"><p>发布日期“2030-02-30”不是有效日期（YYYY-MM-DD）' in page
    assert 'aria-describedby="date-hint date-error" aria-invalid="true"' in page
    assert '<div class="field-error" id="body-error"><p>正文第 3 行：没有配对的“[”过多（超过 8 个）' in page
    assert '<li><a href="#field-title">标题：标题不能为空</a></li>' in page
    assert "有 3 个问题，文章还没有保存" in page
    page = html(ask(bench, "POST", "post", {**FORM, "projects": ["2030-01", "2099-09"], "action": "publish"}))
    assert '<div class="field-error" id="projects-error"><p>关联项目“2099-09”不存在</p></div>' in page
    assert '<fieldset class="bench-field" id="field-projects" aria-describedby="projects-hint projects-error"' in page
    assert "项目编号 2099-09（项目表里没有：请取消勾选）" in page and 'value="2030-01" checked' in page
    assert files_of(content) == before and not log_lines(bench)


def test_a_problem_elsewhere_in_the_content_is_listed_and_nothing_saved(bench, content):
    write_tree(content, {"updates/news/broken.md": post("title: 坏\ndate: 2030-13-01\nkind: news")})
    before = files_of(content)
    page = html(ask(bench, "POST", "post", {**FORM, "action": "publish"}))
    assert "content/updates/news/broken.md:3:date: 发布日期“2030-13-01”不是有效日期" in page
    assert files_of(content) == before


def test_a_photo_and_its_alt_text_are_saved_beside_the_post(bench, content):
    added = ask(bench, "POST", "post", {**FORM, "action": "photo", "photo_alt": "公厕外观"}, {"photo": jpeg()})
    page = html(added)
    assert added.status == 200 and "图片已添加，保存时会放在正文末尾" in page
    carried = re.search(r'name="held" value="([^"]+)"', page)[1]
    assert re.search(r'<img src="data:image/jpeg;base64,[^"]+" alt="">', page)
    assert not (content / "updates").exists()  # nothing written before the post is saved
    fields = {**FORM, "held": [carried], "held_alt": ["公厕外观"], "action": "publish"}
    second = jpeg((32, 32), "red")
    answer = ask(bench, "POST", "post", {**fields, "photo_alt": "内部"}, {"photo": second})
    assert answer.status == 303
    folder = content / "updates/news"
    assert (folder / "2030-05-01-新建公厕投入使用-1.jpg").read_bytes() == jpeg()
    assert (folder / "2030-05-01-新建公厕投入使用-2.jpg").read_bytes() == second
    text = (folder / "2030-05-01-新建公厕投入使用.md").read_text(encoding="utf-8")
    assert text.endswith(
        "第二段：**加粗**。\n\n![公厕外观](2030-05-01-新建公厕投入使用-1.jpg)\n\n![内部](2030-05-01-新建公厕投入使用-2.jpg)\n"
    )
    assert run("check", "--content", str(content))[0] == 0
    assert [Path(e["file"]).name for e in log_lines(bench)] == [
        "2030-05-01-新建公厕投入使用-1.jpg",
        "2030-05-01-新建公厕投入使用-2.jpg",
        "2030-05-01-新建公厕投入使用.md",
    ]


def test_a_photo_without_alt_text_is_kept_in_the_form_and_nothing_saved(bench, content):
    answer = ask(bench, "POST", "post", {**FORM, "action": "publish", "photo_alt": " "}, {"photo": jpeg()})
    assert answer.status == 422
    page = html(answer)
    message = "请填写图片说明：用一句话说明图片里是什么，看不见图片的读者靠它了解内容"
    assert f'<div class="field-error" id="held-0-error"><p>{message}</p></div>' in page
    assert (
        'id="field-held-0" name="held_alt" type="text" value="" aria-describedby="held-0-error" aria-invalid="true">'
        in page
    )
    assert f'<li><a href="#field-held-0">第 1 张图片的说明：{message}</a></li>' in page
    assert 'name="held" value="' in page  # the photo is still there, to be described
    bad = ask(bench, "POST", "post", {**FORM, "action": "photo", "photo_alt": "a]b"}, {"photo": jpeg()})
    assert "图片说明里不能有方括号 [ ]、反斜杠 \\ 或换行：请改用【】或删去" in html(bad)
    assert not (content / "updates").exists()


def test_a_photo_that_check_refuses_is_placed_beside_that_photo(bench, content, monkeypatch):
    monkeypatch.setattr("portal.limits.MAX_IMAGE_SIDE", 50)
    answer = ask(bench, "POST", "post", {**FORM, "action": "publish", "photo_alt": "宽图"}, {"photo": jpeg((60, 10))})
    assert answer.status == 422
    assert '<div class="field-error" id="held-0-error"><p>图片“2030-05-01-新建公厕投入使用-1.jpg”尺寸过大' in html(
        answer
    )
    assert not (content / "updates").exists()


def test_a_dropped_photo_is_not_saved(bench, content):
    page = html(ask(bench, "POST", "post", {**FORM, "action": "photo", "photo_alt": "甲"}, {"photo": jpeg()}))
    carried = re.search(r'name="held" value="([^"]+)"', page)[1]
    fields = {**FORM, "held": [carried], "held_alt": ["甲"], "drop": ["0"], "action": "draft"}
    assert ask(bench, "POST", "post", fields).status == 303
    assert sorted(p.name for p in (content / "updates/news").iterdir()) == ["2030-05-01-新建公厕投入使用.md"]


def test_the_preview_renders_the_body_as_the_site_does(bench, content):
    write_tree(
        content, {"updates/news/a.md": post("title: 甲\ndate: 2030-04-01\nkind: news"), "updates/news/p.jpg": jpeg()}
    )
    body = "**粗**<script>alert(1)</script>\n\n![图](p.jpg) [链接](javascript:alert(1))"
    answer = ask(bench, "POST", "preview", {"body": body, "path": "news/a.md"})
    assert answer.status == 200 and answer.content_type == "text/html; charset=utf-8"
    assert html(answer) == (
        "<p><strong>粗</strong></p>\n"
        '<p><img alt="图" src="/_workbench/photo?path=news%2Fa.md&amp;name=p.jpg"> <a rel="noopener noreferrer">链接</a></p>'
    )
    shown = ask(bench, "GET", "photo?path=news/a.md&name=p.jpg")
    assert (shown.status, shown.content_type, shown.body) == (200, "image/jpeg", jpeg())
    for query in ("path=news/a.md&name=../a.md", "path=news/../news/a.md&name=p.jpg", "path=news/a.md&name=a.md"):
        assert ask(bench, "GET", f"photo?{query}").status == 404, query
    page = html(ask(bench, "POST", "post", {**FORM, "body": "## 小标题", "action": "preview"}))
    assert '<div class="prose" id="preview-body" data-address="/_workbench/preview">\n<h2>小标题</h2>' in page


def test_a_monthly_report_is_not_edited_here(bench, content):
    report = post(
        "title: 报告\ndate: 2030-03-20\nkind: report\nprojects: [2030-01]\nperiod: 2030-03\nsubmitted: 2030-03-20"
    )
    write_tree(content, {"updates/reports/2030-03/2030-01.md": report})
    assert "报告" not in html(ask(bench, "GET", "posts"))
    answer = ask(bench, "GET", "post?path=reports/2030-03/2030-01.md")
    assert answer.status == 422 and "这是月度推进情况：请在“月度报送”中处理，不在这里修改" in html(answer)
    version = sha(report.encode())
    fields = {**FORM, "path": "reports/2030-03/2030-01.md", "version": version, "action": "publish"}
    assert ask(bench, "POST", "post", fields).status == 422
    assert (content / "updates/reports/2030-03/2030-01.md").read_text(encoding="utf-8") == report


def test_a_front_matter_the_workbench_cannot_keep_is_not_rewritten(bench, content):
    odd = '---\n"title": 引号里的键\ndate: 2030-04-01\nkind: news\n---\n正文\n'
    write_tree(content, {"updates/news/odd.md": odd})
    fields = {**FORM, "path": "news/odd.md", "version": sha(odd.encode()), "action": "publish"}
    page = html(ask(bench, "POST", "post", fields))
    assert "这篇文章的前置信息写法特殊，工作台无法保证改后不变：请用文本编辑器修改这篇文章" in page
    assert (content / "updates/news/odd.md").read_text(encoding="utf-8") == odd


def test_a_path_from_the_browser_names_only_a_post(bench, content, tmp_path):
    (tmp_path / "secret.md").write_text(post("title: 秘密\ndate: 2030-01-01\nkind: news"), encoding="utf-8")
    write_tree(content, {"updates/news/a.md": post("title: 甲\ndate: 2030-04-01\nkind: news")})
    (content / "updates/news/link.md").symlink_to(tmp_path / "secret.md")
    for rel in ("../site.yaml", "news/../../site.yaml", "/etc/passwd", "news/link.md", "news", "news/a", "news/b.md"):
        answer = ask(bench, "GET", f"post?path={rel}")
        assert answer.status == 404 and "秘密" not in html(answer), rel


def test_every_page_forbids_what_is_not_its_own(bench):
    for answer in (ask(bench, "GET", ""), ask(bench, "GET", "nowhere"), ask(bench, "POST", "preview", {"body": ""})):
        assert dict(answer.headers)["Content-Security-Policy"] == (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        )
    page = html(ask(bench, "GET", "post"))
    assert " style=" not in page and "<script>" not in page and "http://" not in page and "https://" not in page
    assert page.count(f'<input type="hidden" name="token" value="{TOKEN}">') == 1


def test_unsaved_photos_stay_under_what_a_form_may_carry(bench, content, monkeypatch):
    first, second = jpeg(), jpeg((60, 40), "red")
    monkeypatch.setattr("portal.workbench.photos.MAX_HELD", len(first) + len(second) - 1)
    page = html(ask(bench, "POST", "post", {**FORM, "action": "photo", "photo_alt": "甲"}, {"photo": first}))
    carried = re.findall(r'name="held" value="([^"]+)"', page)
    fields = {**FORM, "held": carried, "held_alt": ["甲"], "action": "photo", "photo_alt": "乙"}
    answer = ask(bench, "POST", "post", fields, {"photo": second})
    assert answer.status == 422
    message = "未保存的图片合计不能超过 0 MB：请先保存文章，再添加这张图片"
    assert f'<div class="field-error" id="photo-error"><p>{message}</p></div>' in html(answer)
    assert re.findall(r'name="held" value="([^"]+)"', html(answer)) == carried  # the first is kept


def test_a_new_file_is_never_written_over_anything_nor_through_a_link(bench, content, tmp_path):
    from portal.workbench import writes

    (tmp_path / "target.jpg").write_bytes(b"outside")
    folder = write_tree(content, {"updates/news/a.jpg": jpeg()}) / "updates" / "news"
    (folder / "link.jpg").symlink_to(tmp_path / "target.jpg")
    (folder / "dangling.jpg").symlink_to(tmp_path / "nowhere.jpg")
    (content / "updates" / "out").symlink_to(tmp_path, target_is_directory=True)
    assert writes.create(bench, folder / "a.jpg", b"new") is False  # taken: nothing written
    for name in ("link.jpg", "dangling.jpg"):
        with pytest.raises(writes.Refused, match=f"updates/news/{name} 是链接"):
            writes.create(bench, folder / name, b"new")
    assert (folder / "a.jpg").read_bytes() == jpeg() and (tmp_path / "target.jpg").read_bytes() == b"outside"
    assert not (tmp_path / "nowhere.jpg").exists()
    with pytest.raises(writes.Refused) as refused:
        writes.create(bench, content / "updates" / "out" / "b.jpg", b"new")
    assert refused.value.message == (
        "不能写入 updates/out/b.jpg：updates/out 是链接：工作台只写入内容文件夹里的普通文件夹和文件，请把它换成普通的文件夹或文件"
    )
    assert not (tmp_path / "b.jpg").exists() and not bench.log.exists()
