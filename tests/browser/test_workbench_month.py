"""月度报送 as the commission's clerk does it, in Chromium, against a real `build.py serve` of a copy
of the demo tree without its December reports: open the printed address, download every lead
unit's form in one .zip, fill three (one with "约100" where a number goes), upload them, see the
refusal by file and cell, correct it, upload again, see the hold (a value far above its target),
tick it, import, and find the month in the preview. Every refused step leaves the content folder
as it was, byte for byte; without JavaScript the month is chosen by keyboard."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Iterator

import pytest
from conftest import ROOT
from test_clerk_month import fill, set_cell
from test_workbench_door import Bench, multipart, serving, snapshot

from portal.workbench.guard import UNSIGNED

from .conftest import DESKTOP, PHONE
from .test_pages import WCAG_21_AA, axe
from .test_workbench import preview_shows

pytestmark = pytest.mark.browser

PERIOD = "2020-12"
NOT_A_NUMBER = "本月值“约100”不是数字：只写数字，如 12 或 6.5（不写“约”、单位或千位分隔符）"


@pytest.fixture(scope="module")
def bench(tmp_path_factory) -> Iterator[Bench]:
    root = tmp_path_factory.mktemp("month")
    content = root / "folder" / "content"
    shutil.copytree(ROOT / "examples" / "demo", content)
    shutil.rmtree(content / "updates" / "reports" / PERIOD)
    with serving(content, root / "logs") as running:
        yield running


def accessible(page) -> None:
    results = axe.run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_the_clerk_imports_a_month_from_the_zip_to_the_preview(browser, bench, tmp_path, screenshots):
    before = snapshot(bench.content)
    context = browser.context(DESKTOP)
    page = context.new_page()
    try:
        page.goto(f"{bench.origin}/_workbench/?token={bench.token}")
        page.get_by_role("link", name="月度报送").first.click()
        assert page.get_by_label("所报月份").input_value() == PERIOD  # the month after November's reports
        accessible(page)
        page.screenshot(path=str(screenshots / "workbench-month.png"), full_page=True)
        with page.expect_download() as download:
            page.get_by_role("link", name=re.compile(r"下载全部 \d+ 个单位的表格（\.zip）")).click()
        download.value.save_as(tmp_path / "forms.zip")
        with zipfile.ZipFile(tmp_path / "forms.zip") as archive:
            archive.extractall(tmp_path / "forms")
        filled = {form: fill(form) for form in sorted((tmp_path / "forms").glob("*.xlsx"))}
        sloppy, cells = next((form, cells) for form, cells in filled.items() if cells)
        forms = [sloppy, *[form for form in filled if form != sloppy][:2]]
        address = next(iter(cells.values()))[1]
        set_cell(sloppy, address, "约100")

        page.get_by_label("填好的表格（.xlsx 或 .csv，可以一次选多个）").set_input_files([str(f) for f in forms])
        page.get_by_role("button", name="上传并核对").click()
        page.wait_for_function("document.activeElement.id === 'problems'")  # the script starts the reader there
        refusal = page.locator("#problems tbody tr")
        assert refusal.count() == 1
        assert refusal.locator("td").all_inner_texts() == [sloppy.name, f"附件2!{address}", NOT_A_NUMBER]
        accessible(page)
        page.screenshot(path=str(screenshots / "workbench-month-refused.png"), full_page=True)
        assert snapshot(bench.content) == before

        set_cell(sloppy, address, 100000)  # corrected, but far above its target: held
        page.get_by_label("填好的表格（.xlsx 或 .csv，可以一次选多个）").set_input_files([str(f) for f in forms])
        page.get_by_role("button", name="上传并核对").click()
        hold = page.get_by_label(f"已核对 {sloppy.name} 附件2!{address}，确认无误")
        assert "超过 150%" in page.locator(f"#{hold.get_attribute('aria-describedby')}").inner_text()
        accessible(page)
        page.screenshot(path=str(screenshots / "workbench-month-review.png"), full_page=True)
        page.get_by_role("button", name="确认导入").click()  # not ticked: refused
        assert "请核对这条提示，确认无误后勾选" in page.get_by_role("alert").inner_text()
        assert snapshot(bench.content) == before

        page.get_by_label(f"已核对 {sloppy.name} 附件2!{address}，确认无误").check()
        page.get_by_role("button", name="确认导入").click()
        page.get_by_role("heading", level=1, name="已导入2020年12月的推进情况").wait_for()
        summary = page.locator(".bench-summary li").all_inner_texts()
        assert summary[-1].startswith("共 ") and "按时报送" in summary[0]
        page.get_by_role("link", name="在预览中查看2020年12月的报送情况").click()
        preview_shows(page, f"{bench.origin}/reports/{PERIOD}/", "按时报送")
        page.screenshot(path=str(screenshots / "workbench-month-preview.png"), full_page=True)
    finally:
        context.close()
    written = sorted((bench.content / "updates" / "reports" / PERIOD).glob("*.md"))
    assert written and len(summary) == len(written) + 1
    logged = bench.log.read_text(encoding="utf-8")
    assert all(f"content/updates/reports/{PERIOD}/{path.name}" in logged for path in written)


def test_without_javascript_the_month_is_chosen_by_keyboard(browser, bench):
    before = snapshot(bench.content)
    context = browser.context(PHONE, javascript=False)
    page = context.new_page()
    try:
        page.goto(f"{bench.origin}/_workbench/month?token={bench.token}")
        page.get_by_label("所报月份").focus()
        page.keyboard.press("ArrowUp")  # 2020年11月
        page.keyboard.press("Tab")  # the 选择这个月份 button
        page.keyboard.press("Enter")
        page.wait_for_url(f"{bench.origin}/_workbench/month?period=2020-11")
        page.get_by_role("heading", level=2, name="一、下载2020年11月的表格").wait_for()
        sideways = "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        assert not page.evaluate(sideways), "the month page scrolls sideways on a phone"
    finally:
        context.close()
    assert snapshot(bench.content) == before


def test_an_import_without_the_token_writes_nothing(bench):
    before = snapshot(bench.content)
    body, kind = multipart({"period": PERIOD, "batch": "0" * 32}, {"forms": ("a.xlsx", b"PK")})
    for target in ("/_workbench/month/check", "/_workbench/month/import"):
        sent = {**bench.cookie, "Origin": bench.origin, "Content-Type": kind}
        answer = bench.ask("POST", target, sent, body)
        assert (answer.status, answer.text) == (403, UNSIGNED), target
    for target in ("/_workbench/month/check", "/_workbench/month/import"):
        assert bench.ask("GET", target, bench.cookie).status == 405
    assert snapshot(bench.content) == before
