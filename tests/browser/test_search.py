"""Search in Chromium: Pagefind's Chinese index finds projects by a word of their name, target or
field, on the 2020 site at / and on the fixture site under /minsheng/; its result links resolve
under the base URL; a search box leads to the search page with JavaScript and to the project
list without it. A word of a monthly report finds the report's project, whose page shows it
under the month's heading (reports are not indexed on their own: twelve near-identical results
a project). Nothing is fetched from any host but 127.0.0.1.

What a word should find is computed from the content itself: every project whose name, target
or category contains the word.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import quote, unquote, urlsplit

import pytest
from conftest import PROJECTS_CSV, ROOT

from .conftest import DESKTOP, FIXTURE_POSTS, PHONE

pytestmark = pytest.mark.browser

RESULT = ".pagefind-ui__result-inner > .pagefind-ui__result-title > .pagefind-ui__result-link"  # a page, not a section
SECTION = ".pagefind-ui__result-nested .pagefind-ui__result-link"  # a heading of a page found
MORE = ".pagefind-ui__button"  # "load more results"
INPUT = ".pagefind-ui__search-input"

PROJECTS = {
    "default": (ROOT / "content/projects/2020.csv").read_text(encoding="utf-8-sig"),
    "fixture": PROJECTS_CSV,
}


def expected(site: str, word: str) -> dict[str, str]:
    """{project page path: name} of the projects whose name, target or category holds the word."""
    rows = csv.DictReader(io.StringIO(PROJECTS[site]))
    return {
        f"projects/{r['id']}/": r["name"] for r in rows if any(word in r[f] for f in ("name", "target", "category"))
    }


def results(page) -> dict[str, str]:
    """The result list as {path under the site's origin: link text}, every page of it."""
    page.wait_for_selector(RESULT, timeout=15_000)
    page.wait_for_load_state("networkidle")
    while page.locator(MORE).count():
        before = page.locator(RESULT).count()
        page.locator(MORE).first.click()
        page.wait_for_function(f"document.querySelectorAll('{RESULT}').length > {before}", timeout=15_000)
    links = page.locator(RESULT)
    return {
        unquote(urlsplit(links.nth(i).get_attribute("href")).path): links.nth(i).inner_text()
        for i in range(links.count())
    }


def found(site, listed: dict[str, str], want: dict[str, str]) -> None:
    """Every wanted project is among the results, linked under the base URL, by its name."""
    under = {path.removeprefix(site.base): text for path, text in listed.items() if path.startswith(site.base)}
    assert len(under) == len(listed), f"a result outside {site.base}: {sorted(listed)}"
    missing = {path: name for path, name in want.items() if under.get(path, "").strip() != name}
    assert missing == {}, f"not found: {missing}; results: {under}"


CASES = [
    ("default", "电梯"),
    ("default", "养老"),
    ("fixture", "电梯"),
    ("fixture", "养老"),
]


def test_the_words_find_what_the_content_says():
    """The cases below are not empty: the lift project of the notice is one of them."""
    assert expected("default", "电梯") == {"projects/2020-18/": "推进老旧住宅增设电梯及安装智能门禁系统"}
    assert len(expected("default", "养老")) >= 4
    assert all(expected(site, word) for site, word in CASES)


@pytest.mark.parametrize(("site", "word"), CASES)
def test_search_page_query_in_the_address(browser, sites, site, word):
    tab = browser.tab(DESKTOP)
    page = tab.open(sites[site].url("search/") + "?q=" + quote(word))
    found(sites[site], results(page), expected(site, word))
    assert page.locator(INPUT).input_value() == word
    assert tab.foreign() == [], "requests left 127.0.0.1"
    assert tab.failures == []


@pytest.mark.parametrize(("site", "word"), CASES)
def test_typing_into_the_search_box(browser, sites, site, word):
    tab = browser.tab(PHONE)
    page = tab.open(sites[site].url("search/"))
    page.locator(INPUT).click()
    page.keyboard.type(word)
    found(sites[site], results(page), expected(site, word))
    assert tab.foreign() == [], "requests left 127.0.0.1"
    assert tab.failures == []


@pytest.mark.parametrize("site", ["default", "fixture"])
def test_a_result_link_opens_the_project(browser, sites, site):
    tab = browser.tab(DESKTOP)
    page = tab.open(sites[site].url("search/") + "?q=" + quote("电梯"))
    results(page)
    path, name = next(iter(expected(site, "电梯").items()))
    link = page.locator(f'{RESULT}[href="{sites[site].base}{path}"]')
    with page.expect_navigation(wait_until="load"):
        link.first.click()
    assert page.url == sites[site].url(path)
    assert page.locator("h1").inner_text() == name
    assert tab.failures == [], "the result or a file it asks for is missing"
    assert tab.foreign() == [], "requests left 127.0.0.1"


@pytest.mark.parametrize("site", ["default", "fixture"])
def test_home_search_box_leads_to_the_search_page(browser, sites, site):
    tab = browser.tab(PHONE)
    page = tab.open(sites[site].url())
    page.locator("#q-home").fill("电梯")
    with page.expect_navigation(wait_until="load"):
        page.locator("#q-home").press("Enter")
    assert page.url == sites[site].url("search/") + "?q=" + quote("电梯")
    found(sites[site], results(page), expected(site, "电梯"))
    assert tab.foreign() == [], "requests left 127.0.0.1"
    assert tab.failures == []


@pytest.mark.parametrize("site", ["default", "fixture"])
def test_home_search_box_without_javascript_leads_to_the_project_list(browser, sites, site):
    tab = browser.tab(PHONE, javascript=False)
    page = tab.open(sites[site].url())
    page.locator("#q-home").fill("电梯")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("search").get_by_role("button", name="搜索").click()
    assert page.url == sites[site].url("projects/") + "?q=" + quote("电梯")
    assert page.locator("h1").inner_text() == "全部项目"
    listed = {
        unquote(page.locator("main table a").nth(i).get_attribute("href"))
        for i in range(page.locator("main table a").count())
    }
    for path in expected(site, "电梯"):
        assert sites[site].base + path in listed
    assert tab.failures == []
    assert tab.foreign() == [], "requests left 127.0.0.1"


def test_a_word_of_a_monthly_report_finds_its_project_at_that_month(browser, sites):
    site = sites["fixture"]
    word = "选址"  # said only by 新建公厕's March report
    assert [rel for rel, text in FIXTURE_POSTS.items() if word in text] == ["updates/reports/2030-03/2030-01.md"]
    assert expected("fixture", word) == {}, "not in any project's name, target or field"
    tab = browser.tab(DESKTOP)
    page = tab.open(site.url("search/") + "?q=" + quote(word))
    assert results(page) == {f"{site.base}projects/2030-01/": "新建公厕"}, "the project, not the report's own page"
    month = page.locator(f'{SECTION}[href="{site.base}projects/2030-01/#month-2030-03"]')
    assert month.count() == 1, "a sub-result for the month's heading"
    assert month.inner_text().strip() == "截至2030年3月底"
    with page.expect_navigation(wait_until="load"):
        month.click()
    assert page.url == site.url("projects/2030-01/") + "#month-2030-03"
    heading = page.locator("#month-2030-03")
    assert heading.evaluate("h => h.tagName") == "H3" and heading.is_visible()
    assert "已完成选址10处" in page.locator("section[aria-labelledby=monthly]").inner_text()
    assert tab.failures == []
    assert tab.foreign() == [], "requests left 127.0.0.1"
