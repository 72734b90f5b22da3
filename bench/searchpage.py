"""What the search index's parts cost a reader: the search page on a slow phone, by part size.

The index is made in parts (render/indexparts.py); the search page merges them, and each part
is an index whose entry and metadata Pagefind fetches before it can answer (all at once:
static/js/search.js; they share the first part's WebAssembly). Smaller parts make an edited old post quicker to
index again and the search page slower for every reader. This measures the second: for each
size of older part given (``auto``: as the portal sizes them), the content is built with it, then the search page is opened in
Chromium at 375 px on an emulated slow phone (4x CPU slowdown, 150 ms latency, 1.6 Mbit/s
down, the cache off) with a query in the URL, and the time until the first result shows is
taken (median of ``--repeat``).

    .venv/bin/python bench/searchpage.py bench/out/16k/content --parts auto,250 --query 社区食堂

Needs the portal's venv (Playwright is a test requirement) and Chromium (/usr/bin/chromium, or
--chromium). Writes into a temporary folder only.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_CACHE", "off")  # the repository's .cache neither used nor filled

from playwright.sync_api import sync_playwright  # noqa: E402

from portal import pipeline  # noqa: E402
from portal.render import indexparts  # noqa: E402

SLOW_PHONE = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
CPU_SLOWDOWN = 4


def build(content: Path, out: Path, older_part: int | None) -> int:
    """The site built with older parts of at most ``older_part`` pages (None: as the portal
    sizes them); how many parts it has."""
    if older_part is not None:
        indexparts.PAGES_AN_INDEX = indexparts.MOST_PAGES = older_part
    pipeline.build(content, out)
    return 1 + sum(1 for part in (out / "pagefind").glob("part*") if part.is_dir())


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, int]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass


def first_result(browser, port: int, query: str) -> tuple[float, str]:
    """Seconds from opening the search page until its first result shows, and what it says."""
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", SLOW_PHONE)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        start = time.perf_counter()
        page.goto(f"http://127.0.0.1:{port}/search/?q={query}")
        page.wait_for_selector(".pagefind-ui__result", timeout=180_000)
        seconds = time.perf_counter() - start
        return seconds, page.locator(".pagefind-ui__message").inner_text()
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("content", type=Path)
    parser.add_argument(
        "--parts", default="auto,125", help="sizes of an older part to compare, in pages (auto: the portal's)"
    )
    parser.add_argument("--query", default="社区食堂")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        for size in (None if size == "auto" else int(size) for size in args.parts.split(",")):
            site = Path(tmp) / f"site-{size}"
            parts = build(args.content, site, size)
            server, port = serve(site)
            try:
                runs = [first_result(browser, port, args.query) for _ in range(args.repeat)]
            finally:
                server.shutdown()
            times = [seconds for seconds, _ in runs]
            print(
                f"older parts of ≤ {size or 'auto'} pages: {parts} parts; first result after "
                f"{statistics.median(times):.2f} s (runs {', '.join(f'{t:.2f}' for t in times)}); {runs[0][1]}"
            )
        browser.close()


if __name__ == "__main__":
    main()
