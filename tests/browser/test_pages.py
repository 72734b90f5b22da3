"""Every kind of page, in Chromium, at a phone's and a desktop's width, in normal and 关怀版 mode:
no axe-core WCAG 2.1 A/AA violation, nothing scrolls sideways on a phone, nothing is fetched
from any host but the site's own, and every file the page asks for exists."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

PAGES = [
    # the small 2030 site under /minsheng/: reports, so bars, charts and month pages exist
    ("fixture", ""),
    ("fixture", "projects/2030-02/"),
    ("fixture", "projects/2030-01/"),
    ("fixture", "reports/2030-04/"),
    ("fixture", "reports/"),
    ("fixture", "deputies/"),
    ("fixture", "units/区住建委/"),
    ("fixture", "updates/news/2030-04-10-lifts/"),
    ("fixture", "updates/reports/2030-04/2030-01/"),
    ("fixture", "updates/"),  # the newest posts, then a link a year
    ("fixture", "archive/2030/"),  # one year of posts, the year marked in the list
    ("fixture", "kinds/report/2030/"),
    ("fixture", "about/"),
    ("fixture", "no-such-page/"),  # the server answers with the site's 404.html
    # the real 2020 content at /: 21 projects, long official wording, no report yet
    ("default", ""),
    ("default", "projects/"),
    ("default", "projects/2020-04/"),
    ("default", "reports/"),
    ("default", "deputies/"),
]
MODES = [(PHONE, False), (DESKTOP, False), (PHONE, True), (DESKTOP, True)]

axe = Axe()


@pytest.mark.parametrize(("width", "care"), MODES, ids=["phone", "desktop", "phone-care", "desktop-care"])
@pytest.mark.parametrize(("site", "path"), PAGES, ids=[f"{s}:/{p}" for s, p in PAGES])
def test_page(browser, sites, site, path, width, care):
    tab = browser.tab(width, care)
    page = tab.open(sites[site].url(path))

    assert tab.foreign() == [], "requests left 127.0.0.1"
    expected = [f for f in tab.failures if f.startswith("404 ") and f.endswith("/no-such-page/")]
    assert tab.failures == expected, "a file the page asks for is missing"
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("-apple-system"), (
        "portal.css not applied"
    )
    assert page.evaluate("document.documentElement.classList.contains('care')") is care

    results = axe.run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()

    if width == PHONE:
        overflow = page.evaluate(
            """() => {
              const root = document.documentElement;
              const wide = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1 && !e.closest('.table-scroll'))
                .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
              return {scroll: root.scrollWidth, client: root.clientWidth, wide: wide.slice(0, 5)};
            }"""
        )
        assert overflow["scroll"] <= overflow["client"], f"scrolls sideways at {PHONE}px: {overflow}"
