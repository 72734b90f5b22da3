"""The deputies on a phone (issue 16), in Chromium on the demo site (ten voted projects, every
site.yaml duty set): each voted project's vote in two taps from the home page, a print button
(a note in WeChat's browser, which cannot print, and without JavaScript), no link addresses
printed for navigation and filters, the deputies' tables as cards; and axe on the pages that
carry the new footer, the feedback box and the short list."""

from __future__ import annotations

import csv

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import DESKTOP, PHONE, ROOT, build, serve

pytestmark = pytest.mark.browser

DEMO = ROOT / "examples" / "demo"
WECHAT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.40"
)
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
AFTER = "(e) => getComputedStyle(e, '::after').content"


def voted() -> list[str]:
    with (DEMO / "projects" / "2020.csv").open(encoding="utf-8") as f:
        return [row["id"] for row in csv.DictReader(f) if row["voted"] == "true"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    """The demo tree built and served: its origin (base_url /)."""
    site = tmp_path_factory.mktemp("demo") / "site"
    build(DEMO, site)
    origin, server = serve(site, site / "404.html")
    yield origin
    server.shutdown()
    server.server_close()


@pytest.fixture
def context(browser):
    """A fresh context a test may change (a user agent, a print stub), closed after it."""
    made = []

    def make(width: int = PHONE, javascript: bool = True, script: str = ""):
        made.append(browser.context(width, javascript))
        if script:
            made[-1].add_init_script(script)
        return made[-1].new_page()

    yield make
    for each in made:
        each.close()


def in_view(page, selector: str) -> bool:
    box = page.evaluate(
        "(s) => { const r = document.querySelector(s).getBoundingClientRect(); return [r.top, r.bottom, innerHeight]; }",
        selector,
    )
    return box[0] >= 0 and box[1] <= box[2]


def test_the_demo_has_ten_voted_projects_each_with_a_vote() -> None:
    assert len(voted()) == 10


@pytest.mark.parametrize("project", voted())
def test_a_deputy_reaches_a_votes_counts_in_two_taps_from_the_home_page(context, demo, project) -> None:
    page = context(PHONE)
    page.emulate_media(reduced_motion="reduce")  # no smooth scrolling to wait for
    page.goto(demo + "/", wait_until="load")
    page.locator(".masthead-nav").get_by_role("link", name="人大监督").click()  # tap 1
    page.wait_for_url(demo + "/deputies/")
    page.locator(f'.short-list a[href="#{project}"]').click()  # tap 2
    page.wait_for_url(f"{demo}/deputies/#{project}")
    votes = f'[id="{project}"] table.votes'
    assert in_view(page, votes), "the vote's counts are on the screen"
    # Each count as the phone shows it: its label (drawn from data-label) and its number.
    cells = page.locator(f"{votes} td")
    shown = [(c.evaluate("(e) => getComputedStyle(e, '::before').content"), c.inner_text()) for c in cells.all()]
    labels = ["满意", "基本满意", "不满意", "弃权", "总票数"]
    assert [label for label, _ in shown] == [f'"{label} "' for label in labels]
    counts = [int(number) for _, number in shown]
    assert sum(counts[:4]) == counts[4]  # N: every vote cast, abstentions included
    assert page.locator(f"{votes} caption").inner_text().endswith(("：满意", "：基本满意", "：不满意"))


def test_the_print_button_prints(context, demo) -> None:
    page = context(PHONE, script="window.printed = 0; window.print = () => { window.printed += 1; };")
    page.goto(demo + "/deputies/", wait_until="load")
    page.get_by_role("button", name="打印本页").click()
    assert page.evaluate("window.printed") == 1


def test_in_wechat_a_note_says_how_to_print(context, demo) -> None:
    agent = f"Object.defineProperty(navigator, 'userAgent', {{get: () => '{WECHAT}'}});"
    page = context(PHONE, script=agent)
    page.goto(demo + "/deputies/", wait_until="load")
    note = page.locator(".print-tool")
    assert note.is_visible()
    assert "请点右上角“…”，在浏览器中打开后打印" in note.inner_text()
    assert page.get_by_role("button", name="打印本页").count() == 0


def test_without_javascript_a_note_says_to_use_the_browsers_print(context, demo) -> None:
    page = context(PHONE, javascript=False)
    page.goto(demo + "/deputies/", wait_until="load")
    assert page.locator(".print-tool").inner_text() == "打印本页：请使用浏览器菜单中的“打印”（电脑上可按 Ctrl+P）。"


def test_print_shows_no_address_for_navigation_filters_and_channels(context, demo) -> None:
    page = context(DESKTOP)
    page.emulate_media(media="print")
    page.goto(demo + "/projects/voted/", wait_until="load")
    filters = page.locator("main nav a")
    assert filters.count() > 5
    assert {filters.nth(i).evaluate(AFTER) for i in range(filters.count())} == {"none"}

    page.goto(demo + f"/projects/{voted()[0]}/", wait_until="load")
    channels = page.locator('.feedback a[href^="tel:"], .feedback a[href^="mailto:"]')
    assert channels.count() == 2
    assert {channels.nth(i).evaluate(AFTER) for i in range(2)} == {"none"}
    written = page.locator('.feedback a[href^="https:"]').evaluate(AFTER)
    assert "example.org/demo/feedback" in written, "an address the reader must type is still printed"

    page.goto(demo + "/deputies/", wait_until="load")
    assert page.locator(".print-tool").is_hidden()
    assert page.locator(".deputy-project h2 a").first.evaluate(AFTER).startswith('"（http')  # a page's address stays


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_deputies_tables_are_cards_on_a_phone(browser, demo, width) -> None:
    page = browser.tab(width).open(demo + "/deputies/")
    shown = page.evaluate(
        """() => [...document.querySelectorAll('.deputy-project table, .short-list')]
                 .map(t => getComputedStyle(t).display)"""
    )
    assert len(shown) > 20
    assert set(shown) == ({"block"} if width == PHONE else {"table"})
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


PAGES = ["", "deputies/", f"projects/{voted()[0]}/", "about/", "updates/"]
axe = Axe()


@pytest.mark.parametrize(
    ("width", "care"), [(PHONE, False), (DESKTOP, False), (PHONE, True)], ids=["phone", "desktop", "phone-care"]
)
@pytest.mark.parametrize("path", PAGES, ids=[f"/{p}" for p in PAGES])
def test_the_new_parts_pass_axe_and_load_nothing_from_elsewhere(browser, demo, path, width, care) -> None:
    tab = browser.tab(width, care)
    page = tab.open(f"{demo}/{path}")
    assert tab.foreign() == [] and tab.failures == []
    results = axe.run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
    if width == PHONE:
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
