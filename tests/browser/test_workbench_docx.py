"""从 Word 导入 as news staff use it, in Chromium, against a real `build.py serve` of a copy of the
demo tree: import a .docx with 公文 numbering, a table and two pictures, fill the alt texts, link
a project, publish, and find the post, its pictures where they stood, on the project's page."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from conftest import ROOT
from test_workbench_docx import BLUE, GREEN, story
from test_workbench_door import Bench, serving

from .conftest import DESKTOP
from .test_workbench import PROJECT, accessible, preview_shows

pytestmark = pytest.mark.browser

TITLE = "社区食堂开业"
STEM = "2020-09-16-社区食堂开业"


@pytest.fixture(scope="module")
def bench(tmp_path_factory) -> Iterator[Bench]:
    root = tmp_path_factory.mktemp("workbench-docx")
    content = root / "folder" / "content"
    shutil.copytree(ROOT / "examples" / "demo", content)
    with serving(content, root / "logs") as running:
        yield running


def test_news_staff_import_a_word_document_and_publish_it_on_a_project(browser, bench, tmp_path, screenshots):
    document = tmp_path / "食堂稿件.docx"
    document.write_bytes(story())
    context = browser.context(DESKTOP)
    page = context.new_page()
    try:
        page.goto(f"{bench.origin}/_workbench/post?token={bench.token}")
        page.get_by_label("选择 Word 文档（.docx）").set_input_files(str(document))
        page.get_by_role("button", name="导入", exact=True).click()
        status = page.get_by_role("status").inner_text()
        assert "已导入文档的正文和 2 张图片" in status and "有 1 张图片没有替代文字" in status
        assert page.get_by_label("标题", exact=True).input_value() == TITLE
        body = page.get_by_label("正文", exact=True).input_value()
        assert "## 一、基本情况" in body and "| 厨房 | 100% |" in body and "![食堂外观](image-1.png)" in body
        page.locator("#preview-body h2", has_text="一、基本情况").wait_for()  # the live preview
        assert page.get_by_label("第 1 张图片的说明（必填）").input_value() == "食堂外观"
        assert page.get_by_label("第 2 张图片的说明（必填）").input_value() == ""
        accessible(page)
        page.get_by_label("第 2 张图片的说明（必填）").fill("食堂的餐厅")
        page.get_by_label("发布日期").fill("2020-09-16")
        page.get_by_label(page.locator(f"label[for='project-{PROJECT}']").inner_text()).check()
        page.screenshot(path=str(screenshots / "workbench-docx-form.png"), full_page=True)
        page.get_by_role("button", name="发布").click()
        assert "已发布" in page.get_by_role("status").inner_text()
        page.get_by_role("link", name="在预览中查看这篇文章").click()
        preview_shows(page, page.url, TITLE)
        shown = page.locator("main img").evaluate_all("all => all.map(i => [i.alt, i.complete && i.naturalWidth > 0])")
        assert shown == [["食堂外观", True], ["食堂的餐厅", True]]
        assert page.locator("main h2", has_text="二、下一步").count() == 1
        assert page.locator("main table td", has_text="厨房").count() == 1
        preview_shows(page, f"{bench.origin}/projects/{PROJECT}/", TITLE)
        page.get_by_role("link", name=TITLE).first.wait_for()
    finally:
        context.close()
    folder = bench.content / "updates/news"
    assert (folder / f"{STEM}-1.png").read_bytes() == GREEN and (folder / f"{STEM}-2.jpg").read_bytes() == BLUE
    text = (folder / f"{STEM}.md").read_text(encoding="utf-8")
    assert (
        f"| 厨房 | 100% |\n\n![食堂外观]({STEM}-1.png)\n\n## 二、下一步\n\n![食堂的餐厅]({STEM}-2.jpg)\n\n完。\n"
        in text
    )
    assert f"projects: [{PROJECT}]" in text
