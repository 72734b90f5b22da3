"""Browser fixtures: two built sites served on 127.0.0.1, one Chromium for the whole session.

The sites: the default content/ (the 2020 notice, base_url /) and the small 2030 tree of the
shared `content` fixture with a few posts added (reports, so progress bars, charts and month
pages exist; news; an evaluation), published under the sub-path /minsheng/. Each is built once
with the real command line and served by a local http.server thread that, like the production
web server, answers a missing path with the site's own 404.html.

Pages (browser tabs) are kept for the session, one per viewport and mode, and reused by every
test: a Chromium start and a context cost far more than a page load.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from conftest import INDICATORS_CSV, PROJECTS_CSV, ROOT, SITE_YAML, post, run, write_tree

from portal.render import indexparts

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE, DESKTOP = 375, 1280
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CARE_KEY = "portal-care"  # the localStorage key portal.js remembers 关怀版 under

# The shared `content` fixture's tree, and what this suite adds to it.
FIXTURE_POSTS = {
    "updates/reports/2030-03/2030-01.md": post(
        """
        title: 新建公厕3月推进情况
        date: 2030-03-20
        kind: report
        projects: [2030-01]
        source: 区城管局
        period: 2030-03
        submitted: 2030-03-20
        status: on_track
        values: {toilets: 3, coverage: 70}
        """,
        "已完成选址10处，新建公厕3座，其中城区2座、乡镇1座。",
    ),
    "updates/reports/2030-04/2030-01.md": post(
        """
        title: 新建公厕4月推进情况
        date: 2030-04-28
        kind: report
        projects: [2030-01]
        source: 区城管局
        period: 2030-04
        submitted: 2030-04-28
        status: done
        values: {toilets: 4, coverage: 82}
        """,
        "新建公厕4座，公厕普及率达到82%。",
    ),
    "updates/reports/2030-03/2030-02.md": post(
        """
        title: 老旧小区加装电梯3月推进情况
        date: 2030-03-18
        kind: report
        projects: [2030-02]
        source: 区住建委
        period: 2030-03
        submitted: 2030-03-18
        status: on_track
        values: {lifts: 35}
        """,
        "完成加装电梯35台，另有20台正在施工。",
    ),
    "updates/reports/2030-04/2030-02.md": post(
        """
        title: 老旧小区加装电梯4月推进情况
        date: 2030-04-22
        kind: report
        projects: [2030-02]
        source: 区住建委
        period: 2030-04
        submitted: 2030-04-22
        status: on_track
        values: {lifts: 48}
        """,
        "累计完成加装电梯48台。\n\n- 已验收40台\n- 8台正在调试",
    ),
    "updates/news/2030-04-10-lifts.md": post(
        """
        title: 老旧小区加装电梯惠及居民
        date: 2030-04-10
        kind: news
        projects: [2030-02]
        source: 区融媒体中心
        """,
        "记者走访了**三个小区**，居民说上下楼方便多了。",
    ),
    "updates/evaluations/2030-04-30-lifts.md": post(
        """
        title: 老旧小区加装电梯满意度测评
        date: 2030-04-30
        kind: evaluation
        projects: [2030-02]
        source: 区人大常委会
        votes: {satisfied: 120, basically_satisfied: 30, dissatisfied: 5, abstained: 2}
        """,
        "区人大常委会组织代表对项目办理情况进行满意度测评。",
    ),
}


@dataclass(frozen=True)
class Site:
    """A built site as the browser reaches it: origin plus base_url."""

    origin: str  # http://127.0.0.1:PORT
    base: str  # "/" or "/minsheng/"

    def url(self, path: str = "") -> str:
        return self.origin + self.base + quote(path)


class Handler(SimpleHTTPRequestHandler):
    """Static files; a missing path gets the site's 404.html with status 404."""

    not_found: Path

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != HTTPStatus.NOT_FOUND:
            super().send_error(code, message, explain)
            return
        body = self.not_found.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass


def serve(root: Path, not_found: Path) -> tuple[str, ThreadingHTTPServer]:
    handler = type("SiteHandler", (Handler,), {"not_found": not_found})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def build(content: Path, out: Path) -> None:
    code, stdout, stderr = run("build", "--content", str(content), "--out", str(out))
    assert code == 0, stdout + stderr


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Site]]:
    """{"default": content/ at /, "fixture": the 2030 tree at /minsheng/}, built and served."""
    tmp = tmp_path_factory.mktemp("sites")
    build(ROOT / "content", tmp / "default")
    fixture = write_tree(
        tmp / "content",
        {
            "site.yaml": SITE_YAML.replace("base_url: /", "base_url: /minsheng/") + "reporting_from: 2030-02\n",
            "projects/2030.csv": PROJECTS_CSV,
            "projects/2030-indicators.csv": INDICATORS_CSV,
            **FIXTURE_POSTS,
        },
    )
    # The fixture site's index in parts of two pages, merged by the search page, as a large
    # site's is (indexparts.NEWEST_PART: the fixture's pages are all of one year); the default site's in one.
    size, indexparts.NEWEST_PART = indexparts.NEWEST_PART, 2
    try:
        build(fixture, tmp / "www" / "minsheng")
    finally:
        indexparts.NEWEST_PART = size
    assert (tmp / "www/minsheng/pagefind/part3/pagefind.js").is_file()
    assert not (tmp / "default/pagefind/part2").exists()
    default_origin, default_server = serve(tmp / "default", tmp / "default" / "404.html")
    fixture_origin, fixture_server = serve(tmp / "www", tmp / "www" / "minsheng" / "404.html")
    yield {"default": Site(default_origin, "/"), "fixture": Site(fixture_origin, "/minsheng/")}
    for server in (default_server, fixture_server):
        server.shutdown()
        server.server_close()


@dataclass
class Tab:
    """One page kept for the session: a viewport width, a mode, and what its last load fetched."""

    page: object  # playwright.sync_api.Page
    width: int
    care: bool
    requests: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def open(self, url: str) -> object:
        """Load url afresh; requests and failed responses are recorded for this load only."""
        self.requests.clear()
        self.failures.clear()
        self.page.goto(url, wait_until="load")
        return self.page

    def foreign(self) -> list[str]:
        """Requests to any host but 127.0.0.1 during the last load."""
        return [u for u in self.requests if urlsplit(u).scheme != "data" and urlsplit(u).hostname != "127.0.0.1"]


class Browser:
    """Chromium, started on first use and closed at the end of the session."""

    def __init__(self) -> None:
        self._playwright = None
        self._browser = None
        self._tabs: dict[tuple[int, bool, bool], Tab] = {}

    def start(self, executable: str) -> None:
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)

    def context(self, width: int, javascript: bool = True, care: bool = False):
        """A fresh context (own storage); with care, 关怀版 is remembered as portal.js stores it."""
        context = self._browser.new_context(
            viewport={"width": width, "height": 800}, java_script_enabled=javascript, service_workers="block"
        )
        if care:
            # What portal.js writes when the reader presses 关怀版 (test_care.py presses it for real).
            context.add_init_script(f"try {{ localStorage.setItem('{CARE_KEY}', '1') }} catch (e) {{}}")
        return context

    def tab(self, width: int, care: bool = False, javascript: bool = True) -> Tab:
        key = (width, care, javascript)
        if key not in self._tabs:
            page = self.context(width, javascript, care).new_page()
            tab = Tab(page, width, care)
            page.on("request", lambda request: tab.requests.append(request.url))
            page.on(
                "response",
                lambda response: response.status >= 400 and tab.failures.append(f"{response.status} {response.url}"),
            )
            self._tabs[key] = tab
        return self._tabs[key]

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
            self._playwright.stop()


@pytest.fixture(scope="session")
def _browser_session() -> Iterator[Browser]:
    session = Browser()
    yield session
    session.close()


@pytest.fixture
def browser(chromium: str, _browser_session: Browser) -> Browser:
    """The session's Chromium (the shared `chromium` fixture decides whether to skip or fail)."""
    _browser_session.start(chromium)
    return _browser_session


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
