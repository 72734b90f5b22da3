"""关怀版 (the elder-friendly mode), the keyboard, pages without JavaScript, and print."""

from __future__ import annotations

import re

import pytest

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

TEXT = """() => {
  const p = document.querySelector('main p:not([class])');
  const style = getComputedStyle(p);
  return {size: parseFloat(style.fontSize), leading: parseFloat(style.lineHeight) / parseFloat(style.fontSize)};
}"""
CARE = "document.documentElement.classList.contains('care')"


def height(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["height"]


def test_text_is_large_and_spaced(browser, sites):
    page = browser.tab(PHONE).open(sites["fixture"].url("projects/2030-02/"))
    text = page.evaluate(TEXT)
    assert text["size"] >= 18
    assert text["leading"] >= 1.6
    assert height(page, ".masthead-nav a") >= 44  # a fingertip


def test_care_switch_enlarges_and_is_remembered(browser, sites):
    site = sites["fixture"]
    context = browser.context(PHONE)
    page = context.new_page()
    try:
        page.goto(site.url())
        normal, normal_target = page.evaluate(TEXT), height(page, ".masthead-nav a")
        page.get_by_role("button", name="关怀版").click()
        assert page.evaluate(CARE)
        care = page.evaluate(TEXT)
        assert care["size"] >= 1.25 * normal["size"]
        assert care["leading"] >= normal["leading"]
        assert height(page, ".masthead-nav a") > normal_target

        page.goto(site.url("reports/2030-04/"))  # another page: still in 关怀版, before any click
        assert page.evaluate(CARE)
        page.get_by_role("button", name="退出关怀版").click()
        assert not page.evaluate(CARE)
        page.goto(site.url("about/"))
        assert not page.evaluate(CARE)
        assert page.get_by_role("button", name="关怀版").is_visible()
    finally:
        context.close()


def test_keyboard_reaches_skip_link_and_care_switch(browser, sites):
    context = browser.context(DESKTOP)
    page = context.new_page()
    try:
        page.goto(sites["fixture"].url())
        page.keyboard.press("Tab")
        skip = page.locator(".skip")
        assert page.evaluate("document.activeElement.className") == "skip"
        box = skip.bounding_box()
        assert box["y"] >= 0 and box["height"] > 0, "the skip link shows when focused"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#main"

        page.goto(sites["fixture"].url())
        for _ in range(5):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('care-switch')"):
                break
        else:
            pytest.fail("关怀版 cannot be reached with Tab")
        focus = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.boxShadow]; })()"
        )
        assert focus != ["none", "none"], "no visible focus"
        page.keyboard.press("Enter")
        assert page.evaluate(CARE)
        page.keyboard.press("Space")
        assert not page.evaluate(CARE)
    finally:
        context.close()


def test_pages_read_without_javascript(browser, sites):
    site = sites["fixture"]
    tab = browser.tab(PHONE, javascript=False)
    page = tab.open(site.url("projects/"))
    assert not page.evaluate("document.documentElement.classList.contains('js')")
    rows = page.locator("table.stack tbody tr")
    assert rows.count() == 3
    for name in ("新建公厕", "老旧小区加装电梯", "助餐服务"):
        assert page.get_by_role("link", name=name).is_visible()
    assert page.locator("text=40.0%").first.is_visible()  # the progress as a number, not only a bar

    page = tab.open(site.url())
    assert page.locator(".card").count() == 3
    normal = page.evaluate(TEXT)
    page.get_by_role("link", name="关怀版").click()  # no script: #care, and CSS enlarges this page
    assert page.locator("#care").is_visible()
    assert page.evaluate(TEXT)["size"] >= 1.25 * normal["size"]
    page.get_by_role("link", name="退出关怀版").click()
    assert not page.locator("#care").is_visible()
    assert page.evaluate(TEXT)["size"] == normal["size"]


def test_print(browser, sites):
    site = sites["fixture"]
    context = browser.context(DESKTOP)
    page = context.new_page()
    try:
        page.emulate_media(media="print")
        page.goto(site.url("deputies/"))
        for chrome in (".masthead-nav", ".site-footer", ".care-switch", ".skip"):
            assert page.locator(chrome).first.evaluate("e => getComputedStyle(e).display") == "none", chrome
        assert page.locator(".print-only").is_visible()
        section = page.locator(".deputy-project").first
        assert section.evaluate("e => getComputedStyle(e).breakBefore") == "page"
        assert section.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
        after = section.locator("h2 a").evaluate("e => getComputedStyle(e, '::after').content")
        assert re.search(r"http://127\.0\.0\.1:\d+/minsheng/projects/2030-02/", after), after
        anchor = page.locator("a[href^='#']").first  # the skip link: in-page, no address printed
        assert anchor.evaluate("e => getComputedStyle(e, '::after').content") in ("none", "normal")

        page.goto(site.url("projects/2030-02/"))
        actual = page.locator(".chart .actual").first
        schedule = page.locator(".chart .schedule").first
        assert actual.evaluate("e => getComputedStyle(e).stroke") == "rgb(0, 0, 0)"
        assert actual.evaluate("e => getComputedStyle(e).strokeDasharray") == "none"
        assert schedule.evaluate("e => getComputedStyle(e).strokeDasharray") != "none"
        assert page.pdf(format="A4")[:4] == b"%PDF"
    finally:
        context.close()


def test_reader_preferences(browser, sites):
    context = browser.context(PHONE)
    page = context.new_page()
    try:
        page.goto(sites["fixture"].url("projects/2030-01/"))
        muted = page.locator(".crumbs").evaluate("e => getComputedStyle(e).color")
        page.emulate_media(contrast="more", reduced_motion="reduce")
        assert page.locator(".crumbs").evaluate("e => getComputedStyle(e).color") != muted
        assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
        assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    finally:
        context.close()
