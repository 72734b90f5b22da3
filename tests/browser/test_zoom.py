"""Zoom: text reflows (WCAG 2.1 1.4.10) and body text keeps its line spacing (适老化).

Two ways a reader enlarges the page, both without any sideways scrolling of the page itself:

- 400% browser zoom of a 1280 px window, which leaves 320 CSS px: a 320 px wide viewport;
- 200% zoom with text enlarged too: a 640 px viewport (1280 px at 200%, device scale 1) whose
  root font size is doubled, as a reader's own larger text setting does.

Wide data tables may scroll inside their own box (1.4.10 exempts two-dimensional content); the
page around them must not. Body text (paragraphs, list items, table cells, definitions) has a
computed line height of at least 1.3 × its font size, at normal size and enlarged.
"""

from __future__ import annotations

import csv

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.browser

REFLOW, TEXT_ZOOM = 320, 640
MIN_LEADING = 1.3


def longest_target_project() -> str:
    """The default content's project with the longest official wording: the hardest to reflow."""
    csv_path = max((ROOT / "content" / "projects").glob("[0-9][0-9][0-9][0-9].csv"))
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return max(rows, key=lambda row: len(row["target"]))["id"]


PAGES = [
    ("default", ""),
    ("default", f"projects/{longest_target_project()}/"),
    ("default", "deputies/"),
    # the small 2030 site under /minsheng/ has monthly reports, so a month page
    ("fixture", ""),
    ("fixture", "projects/2030-02/"),
    ("fixture", "reports/2030-04/"),
    ("fixture", "deputies/"),
]

# What sticks out past the right edge: elements wider than the viewport that no scrolling box of
# their own (a table wrapper with overflow-x) contains.
OVERFLOW = """() => {
  const doc = document.documentElement;
  const width = doc.clientWidth;
  const contained = (element) => {
    for (let e = element.parentElement; e && e !== document.body; e = e.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(e).overflowX)) return true;
    }
    return false;
  };
  const out = [...document.body.querySelectorAll('*')]
    .filter((e) => e.getClientRects().length && e.getBoundingClientRect().right > width + 1 && !contained(e))
    .map((e) => `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).trim().split(/\\s+/).join('.') : ''}`
      + ` right=${Math.round(e.getBoundingClientRect().right)}`);
  return {scroll: Math.max(doc.scrollWidth, document.body.scrollWidth), width, out: out.slice(0, 8)};
}"""

# The line height of body text, as a multiple of its font size, for each kind of element.
LEADING = """() => {
  const found = [];
  for (const e of document.querySelectorAll('main p, main li, main dd, main td, main blockquote')) {
    if (!e.textContent.trim() || !e.getClientRects().length) continue;
    const style = getComputedStyle(e);
    const ratio = parseFloat(style.lineHeight) / parseFloat(style.fontSize);  // 'normal' gives NaN
    found.push({element: e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''), ratio, text: e.textContent.trim().slice(0, 20)});
  }
  return found;
}"""


def enlarge_text(page) -> None:
    """Double the root font size (every rem, hence all text), as a reader's browser setting does."""
    page.evaluate(
        "(h => { h.style.fontSize = 2 * parseFloat(getComputedStyle(h).fontSize) + 'px' })(document.documentElement)"
    )
    page.evaluate("document.body.getBoundingClientRect()")  # lay the page out again


def assert_reflows(page, label: str) -> None:
    result = page.evaluate(OVERFLOW)
    assert result["scroll"] <= result["width"], (
        f"{label}: scrolls sideways ({result['scroll']} > {result['width']} px): {result['out']}"
    )


def assert_leading(page, label: str) -> None:
    found = page.evaluate(LEADING)
    assert found, f"{label}: no body text found"
    tight = [f"{t['element']} {t['ratio']:.2f} “{t['text']}”" for t in found if not t["ratio"] >= MIN_LEADING]
    assert not tight, f"{label}: line height under {MIN_LEADING}: {tight[:5]}"


@pytest.mark.parametrize(("site", "path"), PAGES, ids=[f"{s}:/{p}" for s, p in PAGES])
def test_reflows_at_320_px(browser, sites, site, path):
    page = browser.tab(REFLOW).open(sites[site].url(path))
    assert page.evaluate("innerWidth") == REFLOW
    assert_reflows(page, f"{REFLOW} px")
    assert_leading(page, f"{REFLOW} px")


@pytest.mark.parametrize(("site", "path"), PAGES, ids=[f"{s}:/{p}" for s, p in PAGES])
def test_reflows_with_text_at_200_percent(browser, sites, site, path):
    page = browser.tab(TEXT_ZOOM).open(sites[site].url(path))
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    enlarge_text(page)
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == 2 * normal
    assert_reflows(page, f"{TEXT_ZOOM} px, text 200%")
    assert_leading(page, f"{TEXT_ZOOM} px, text 200%")


def test_reflows_in_care_mode_at_320_px(browser, sites):
    """关怀版 (text a third larger again, 13 em across at 320 px): nothing scrolls sideways either."""
    for site, path in PAGES:
        page = browser.tab(REFLOW, care=True).open(sites[site].url(path))
        assert page.evaluate("document.documentElement.classList.contains('care')")
        assert_reflows(page, f"关怀版 {REFLOW} px /{path}")


def test_the_checks_see_what_they_look_for(browser, sites):
    """The checks themselves: a 900 px block makes the page scroll, tight lines are caught."""
    page = browser.tab(REFLOW).open(sites["fixture"].url())
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<div style=width:900px>宽</div>')")
    with pytest.raises(AssertionError, match="scrolls sideways"):
        assert_reflows(page, "a 900 px block")
    page.evaluate("document.querySelector('main p').style.lineHeight = 'normal'")
    with pytest.raises(AssertionError, match="line height under"):
        assert_leading(page, "line-height: normal")
