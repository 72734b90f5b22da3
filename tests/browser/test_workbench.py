"""发布动态 as news staff use it, in Chromium, against a real `build.py serve` of a copy of the demo
tree: open the printed address, write a post with a photo, link a project, publish, and find the
post on the project's page in the preview. Then the same form without JavaScript, by keyboard,
and a page on another port posting a form to the workbench (refused, nothing written)."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import ROOT
from test_workbench_door import Bench, jpeg, serving, snapshot

from .conftest import DESKTOP, PHONE
from .test_pages import WCAG_21_AA, axe

pytestmark = pytest.mark.browser

TITLE = "两座新公厕在社区投入使用"
PROJECT = "2020-20"  # the demo's 厕所革命 project


@pytest.fixture(scope="module")
def bench(tmp_path_factory) -> Iterator[Bench]:
    root = tmp_path_factory.mktemp("workbench")
    content = root / "folder" / "content"
    shutil.copytree(ROOT / "examples" / "demo", content)
    with serving(content, root / "logs") as running:
        yield running


def preview_shows(page, url: str, text: str, seconds: float = 60) -> None:
    """Reload ``url`` until it shows ``text`` (the preview rebuilds a moment after a save)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page.goto(url)
        if text in page.content():
            return
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {text!r}")


def accessible(page) -> None:
    """No WCAG 2.1 A or AA violation that axe-core finds on the page, once it has loaded."""
    page.wait_for_load_state("load")
    results = axe.run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_news_staff_publish_a_post_with_a_photo_on_a_project(browser, bench, tmp_path, screenshots):
    photo = tmp_path / "公厕.jpg"
    photo.write_bytes(jpeg((900, 600)))
    context = browser.context(DESKTOP)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(f"{bench.origin}/_workbench/?token={bench.token}")
        assert page.url == f"{bench.origin}/_workbench/"  # the token left the address bar
        accessible(page)
        page.get_by_role("link", name="发布动态").first.click()
        accessible(page)
        page.get_by_role("link", name="写一篇新动态").click()
        page.get_by_role("button", name="发布").click()  # nothing filled in yet: refused, problems listed
        page.wait_for_function("document.activeElement.id === 'problems'")  # the script starts the reader there
        accessible(page)
        page.get_by_label("标题", exact=True).fill(TITLE)
        page.get_by_label("发布日期").fill("2020-09-15")
        page.get_by_label("类型").select_option(label="新闻动态")
        name = page.locator(f"label[for='project-{PROJECT}']").inner_text()
        assert name == "序号 20　开展“厕所革命”"
        page.get_by_label(name).check()
        page.get_by_label("来源").fill("区城市管理局")
        page.get_by_label("正文", exact=True).fill("两座新建公厕**今天开放**。\n\n- 无障碍厕位\n- 第三卫生间")
        preview = page.locator("#preview-body")
        preview.locator("strong", has_text="今天开放").wait_for()  # the live preview, as the site renders it
        assert preview.locator("li").count() == 2
        page.get_by_label("选择一张图片").set_input_files(str(photo))
        page.get_by_label("这张图片的说明（必填）").fill("新公厕的外观")
        page.get_by_role("button", name="添加图片").click()
        assert "图片已添加" in page.get_by_role("status").inner_text()
        assert page.get_by_label("第 1 张图片的说明（必填）").input_value() == "新公厕的外观"
        assert page.get_by_label("标题", exact=True).input_value() == TITLE and page.get_by_label(name).is_checked()
        page.screenshot(path=str(screenshots / "workbench-post-form.png"), full_page=True)
        accessible(page)
        page.get_by_role("button", name="发布").click()
        assert "已发布" in page.get_by_role("status").inner_text()
        page.get_by_role("link", name="在预览中查看这篇文章").click()
        preview_shows(page, page.url, TITLE)
        image = page.locator("main img[alt='新公厕的外观']")
        assert image.count() == 1 and image.evaluate("i => i.complete && i.naturalWidth > 0")
        preview_shows(page, f"{bench.origin}/projects/{PROJECT}/", TITLE)
        page.get_by_role("link", name=TITLE).first.wait_for()
        page.screenshot(path=str(screenshots / "workbench-project-page.png"), full_page=True)
    finally:
        context.close()
    assert all(url.startswith(bench.origin) or url.startswith("data:") for url in requests), requests
    post = bench.content / "updates/news/2020-09-15-两座新公厕在社区投入使用.md"
    assert post.read_text(encoding="utf-8").startswith(
        f"---\ntitle: {TITLE}\ndate: 2020-09-15\nkind: news\nprojects: [{PROJECT}]\nsource: 区城市管理局\n---\n"
    )
    assert (post.parent / "2020-09-15-两座新公厕在社区投入使用-1.jpg").read_bytes() == photo.read_bytes()


def test_without_javascript_the_form_previews_and_refuses_by_keyboard(browser, bench):
    before = snapshot(bench.content)
    context = browser.context(PHONE, javascript=False)
    page = context.new_page()
    try:
        page.goto(f"{bench.origin}/_workbench/post?token={bench.token}")
        page.get_by_label("正文", exact=True).fill("## 小标题\n\n正文")
        page.get_by_label("正文", exact=True).focus()
        page.keyboard.press("Tab")  # the next control is the 预览正文 button
        page.keyboard.press("Enter")
        assert page.locator("#preview-body h2").inner_text() == "小标题"
        assert page.get_by_label("正文", exact=True).input_value() == "## 小标题\n\n正文"
        page.get_by_role("button", name="发布").click()  # no title, no date
        page.wait_for_load_state("load")  # its style sheets too
        sideways = "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        assert not page.evaluate(sideways), "the form scrolls sideways on a phone"
        summary = page.get_by_role("alert")
        assert "有 2 个问题，文章还没有保存" in summary.inner_text()
        summary.get_by_role("link", name="标题：标题不能为空").click()
        assert page.evaluate("document.activeElement.id") == "field-title"
        described = page.get_by_label("标题", exact=True).get_attribute("aria-describedby")
        assert page.locator(f"#{described}").inner_text() == "标题不能为空"
    finally:
        context.close()
    assert snapshot(bench.content) == before


class Attacker(BaseHTTPRequestHandler):
    """A page on another port of this computer whose form posts to the workbench at once."""

    target: str
    token: str

    def do_GET(self) -> None:  # noqa: N802 (the base class's name)
        body = (
            f'<!doctype html><form method="post" action="{self.target}" enctype="multipart/form-data">'
            f'<input name="token" value="{self.token}"><input name="action" value="publish">'
            '<input name="title" value="被人从别的网页发布"><input name="date" value="2020-09-16">'
            '<input name="kind" value="news"></form><script>document.forms[0].submit()</script>'
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass


def test_a_page_on_another_port_cannot_post_to_the_workbench(browser, bench):
    """Even knowing the token, and with the cookie (another port is the same site to a browser)."""
    before = snapshot(bench.content)
    handler = type("Page", (Attacker,), {"target": f"{bench.origin}/_workbench/post", "token": bench.token})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.context(DESKTOP)
    page = context.new_page()
    try:
        page.goto(f"{bench.origin}/_workbench/?token={bench.token}")  # the operator has the workbench open
        with page.expect_navigation(url=f"{bench.origin}/_workbench/post") as posted:
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        assert posted.value.status == 403
        assert "工作台只接受它自己的页面提交的修改，未写入任何文件" in page.content()
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    assert snapshot(bench.content) == before
    assert not list(Path(bench.content).rglob("*被人*"))
