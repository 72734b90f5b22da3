"""Screenshots of the main pages on a phone and a desktop (test-artifacts/screenshots/, for a
person to look at), and the layout facts a screenshot shows: one column of cards on a phone,
several on a desktop; the menu and the 关怀版 switch within the screen's width."""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

SHOTS = [("home", ""), ("project", "projects/2030-02/"), ("month", "reports/2030-04/")]


@pytest.mark.parametrize(
    ("width", "care"), [(PHONE, False), (DESKTOP, False), (PHONE, True)], ids=["phone", "desktop", "phone-care"]
)
@pytest.mark.parametrize(("name", "path"), SHOTS, ids=[n for n, _ in SHOTS])
def test_screenshot(browser, sites, screenshots, name, path, width, care):
    page = browser.tab(width, care).open(sites["fixture"].url(path))
    suffix = "-care" if care else ""
    page.screenshot(path=str(screenshots / f"{name}-{width}{suffix}.png"), full_page=True)

    for selector in (".brand", ".care-switch", ".masthead-nav li:last-child a", "h1"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, selector
    if name == "home":
        lefts = {round(b["x"]) for b in (c.bounding_box() for c in page.locator(".card").all())}
        assert (len(lefts) == 1) is (width == PHONE), f"card columns at {width}px: {sorted(lefts)}"
