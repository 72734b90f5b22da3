"""What the search index holds: every project page and every post but the monthly reports, which
each project page shows month by month, under headings a search result can jump to. Pagefind
is given exactly those pages, and stops with the build, whether it succeeds, fails, or is killed.

What should be searchable is written out from the content below, not asked of the code.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import ROOT, beside, post, run, write_tree

from portal.render import indexparts, share
from portal.write import search, searchchild

POSTS = {
    "updates/reports/2030-03/2030-01.md": post(
        """
        title: 新建公厕3月推进情况
        date: 2030-03-20
        kind: report
        projects: [2030-01]
        period: 2030-03
        submitted: 2030-03-20
        status: on_track
        values: {toilets: 3}
        """,
        "已完成选址10处，新建公厕3座。",
    ),
    "updates/reports/2030-04/2030-01.md": post(
        """
        title: 新建公厕4月推进情况
        date: 2030-04-28
        kind: report
        projects: [2030-01]
        period: 2030-04
        submitted: 2030-04-28
        values: {toilets: 5}
        """,
        "## 施工进展\n\n新建公厕5座，其中两座采用装配式建造。",
    ),
    "updates/reports/2030-03/2030-02.md": post(
        """
        title: 加装电梯3月推进情况
        date: 2030-03-18
        kind: report
        projects: [2030-02]
        period: 2030-03
        submitted: 2030-03-18
        """,
        "完成加装电梯35台。",
    ),
    "updates/news/2030-04-10-lifts.md": post(
        "title: 加装电梯惠及居民\ndate: 2030-04-10\nkind: news\nprojects: [2030-02]", "居民说上下楼方便多了。"
    ),
    "updates/inspections/2030-04-12.md": post(
        "title: 督查公厕建设\ndate: 2030-04-12\nkind: inspection\nprojects: [2030-01]", "督查组抽查了五座公厕。"
    ),
    "updates/notices/2030-01-05.md": post("title: 年度民生实事公布\ndate: 2030-01-05\nkind: notice\nprojects: []"),
}
# The project pages of conftest.PROJECTS_CSV and the posts above that are not reports.
SEARCHABLE = {
    "projects/2030-01/index.html",
    "projects/2030-02/index.html",
    "projects/2030-03/index.html",
    "updates/news/2030-04-10-lifts/index.html",
    "updates/inspections/2030-04-12/index.html",
    "updates/notices/2030-01-05/index.html",
}
REPORTS = {
    "updates/reports/2030-03/2030-01/index.html",
    "updates/reports/2030-04/2030-01/index.html",
    "updates/reports/2030-03/2030-02/index.html",
}


@pytest.fixture
def posts(content: Path) -> Path:
    return write_tree(content, POSTS)


def build(content: Path, out: Path) -> None:
    code, stdout, stderr = run("build", "--content", str(content), "--out", str(out))
    assert code == 0, stdout + stderr


def test_pagefind_is_given_the_project_pages_and_the_posts_but_not_the_reports(posts, tmp_path, monkeypatch):
    given: list[list[str]] = []

    class Recorded(search.Indexing):
        def make(self, root, parts, again=None):
            given.append([rel for _, pages in parts for _, rel in pages])
            super().make(root, parts, again)

    monkeypatch.setattr(search, "Indexing", Recorded)
    site = tmp_path / "site"
    build(posts, site)
    [pages] = given
    assert sorted(pages) == sorted(SEARCHABLE)
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert [language["page_count"] for language in entry["languages"].values()] == [len(SEARCHABLE)]
    marked = {
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if "data-pagefind-body" in path.read_text(encoding="utf-8")
    }
    assert marked == SEARCHABLE, "only the indexed pages carry data-pagefind-body"
    for report in REPORTS:
        assert (site / report).is_file(), f"{report}: a report is still published on its own page"
    assert beside(tmp_path) == ["content", "site"], "nothing is left beside the site"


def section(page: str, anchor: str) -> str:
    """From the heading with this id to the next heading of its level or above, or its section's end."""
    heading = re.search(rf'<h([2-6]) id="{anchor}">', page)
    assert heading, f"no heading #{anchor}"
    end = re.compile(rf"<h[1-{heading[1]}][ >]|</section>").search(page, heading.end())
    assert end, f"#{anchor} has no end"
    return page[heading.end() : end.start()]


def test_each_report_is_read_on_its_project_page(posts, tmp_path):
    site = tmp_path / "site"
    build(posts, site)
    page = (site / "projects/2030-01/index.html").read_text(encoding="utf-8")
    monthly = section(page, "monthly")
    assert monthly.startswith("每月推进情况</h2>")
    assert monthly.index('id="month-2030-04"') < monthly.index('id="month-2030-03"'), "newest month first"
    april, march = section(page, "month-2030-04"), section(page, "month-2030-03")
    assert april.startswith("截至2030年4月底</h3>") and march.startswith("截至2030年3月底</h3>")
    assert "已完成选址10处，新建公厕3座。" in march and "选址" not in april
    assert "2030年3月20日" in march and "序时推进" in march, "submitted date and self-assessed status"
    assert "2030年4月28日" in april and "自评" not in april, "no status, none shown"
    assert "<h4>施工进展</h4>" in april, "the report's own heading is below the month's <h3>"
    assert 'href="/updates/reports/2030-03/2030-01/"' in march, "a link to the report's own page"
    lifts = (site / "projects/2030-02/index.html").read_text(encoding="utf-8")
    assert "完成加装电梯35台。" in section(lifts, "month-2030-03")
    assert "每月推进情况" not in (site / "projects/2030-03/index.html").read_text(encoding="utf-8"), "no report"


def pagefinds() -> set[int]:
    """The Pagefind services running now (their process ids)."""
    found = set()
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--service" in command and any(b"pagefind" in part for part in command):
            found.add(int(proc.name))
    return found


def gone(before: set[int]) -> bool:
    """Whether every Pagefind started since ``before`` has stopped (within 10 s)."""
    deadline = time.monotonic() + 10
    while pagefinds() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    return not pagefinds() - before


def test_a_failed_build_stops_pagefind(posts, tmp_path, monkeypatch):
    """A failure after Pagefind was given the pages (while the other files are written) stops it
    if it has not finished, and leaves nothing behind."""
    before = pagefinds()
    started: list[int] = []

    class Watched(search.Indexing):
        def make(self, root, parts, again=None):
            super().make(root, parts, again)
            started.append(self.process.pid)

    def broken(p):
        raise RuntimeError("injected failure after indexing started")

    monkeypatch.setattr(search, "Indexing", Watched)
    monkeypatch.setattr(share, "files", broken)
    with pytest.raises(RuntimeError, match="injected"):
        run("build", "--content", str(posts), "--out", str(tmp_path / "site"))
    assert started, "Pagefind had been given the pages"
    assert gone(before)
    assert beside(tmp_path) == ["content"]


def test_a_failed_load_stops_pagefind(tmp_path):
    """Pagefind starts with the build; content the build refuses stops it."""
    before = pagefinds()
    content = write_tree(tmp_path / "content", {"site.yaml": "title: [\n"})
    code, _, stderr = run("build", "--content", str(content), "--out", str(tmp_path / "site"))
    assert code == 1 and "site.yaml" in stderr
    assert gone(before)


def test_a_killed_build_takes_pagefind_with_it(posts, tmp_path):
    site = tmp_path / "site"
    before = pagefinds()
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from portal import pipeline
        from portal.write import search
        def stuck(*args):
            print("indexing", flush=True)
            time.sleep(600)
        search.whole = stuck  # Pagefind running, waiting for its pages
        pipeline.build(Path({str(posts)!r}), Path({str(site)!r}))
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "indexing"
        assert pagefinds() - before, "Pagefind is running"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert gone(before), "Pagefind dies with the build"
    build(posts, site)
    assert beside(tmp_path) == ["content", "site"], "the next build removed what the killed one left"


def test_a_large_index_is_made_in_parts_the_search_page_merges(posts, tmp_path, monkeypatch):
    """The index is made in parts (the newest year's of indexparts.NEWEST_PART pages), one after
    the other, each page in exactly one, all named on the search page."""
    monkeypatch.setattr(indexparts, "NEWEST_PART", 4)
    site = tmp_path / "site"
    build(posts, site)
    folders = indexparts.folders([(2030, page) for page in SEARCHABLE])
    assert folders == ["pagefind/", "pagefind/part2/"]
    counts = []
    for folder in folders:
        entry = json.loads((site / folder / "pagefind-entry.json").read_text(encoding="utf-8"))
        counts += [language["page_count"] for language in entry["languages"].values()]
    assert counts == [4, len(SEARCHABLE) - 4]
    page = (site / "search/index.html").read_text(encoding="utf-8")
    assert 'data-bundle="/pagefind/"' in page
    assert 'data-more="[&quot;/pagefind/part2/&quot;]"' in page
    assert beside(tmp_path) == ["content", "site"], "no mirror left"


def test_each_part_is_written_whole_as_pagefind_would_write_it(tmp_path):
    """The child asks Pagefind for a part's files and writes them itself: Pagefind's own
    WriteFiles may answer before its last files are written, and a service that exits then
    leaves them cut short (an empty pagefind-modular-ui.css was seen in CI). The files are
    byte for byte the ones WriteFiles writes."""
    from portal.write.pagefind import Service

    pages = {
        f"p{n}/index.html": f"<html lang=zh-CN><body data-pagefind-body><h1>第{n}项</h1><p>社区食堂{n}</p></body></html>"
        for n in range(3)
    }
    for rel, html in pages.items():
        (tmp_path / "site" / rel).parent.mkdir(parents=True)
        (tmp_path / "site" / rel).write_text(html, encoding="utf-8")
    indexing = search.Indexing()
    indexing.make(tmp_path / "site", [("pagefind/", [(str(tmp_path / "site" / rel), rel) for rel in pages])])
    indexing.finish()
    with Service(searchchild._pagefind()) as pagefind:
        index = pagefind.call({"type": "NewIndex", "config": None})["index_id"]
        for rel, html in pages.items():
            pagefind.call({"type": "AddFile", "index_id": index, "file_path": rel, "file_contents": html})
        pagefind.call({"type": "WriteFiles", "index_id": index, "output_path": str(tmp_path / "theirs")})
        time.sleep(1)  # theirs given time to finish writing before the service exits
    ours = {
        p.relative_to(tmp_path / "site/pagefind"): p.read_bytes()
        for p in (tmp_path / "site/pagefind").rglob("*")
        if p.is_file()
    }
    theirs = {
        p.relative_to(tmp_path / "theirs"): p.read_bytes() for p in (tmp_path / "theirs").rglob("*") if p.is_file()
    }
    assert ours == theirs and Path("pagefind-modular-ui.css") in ours and all(ours.values())


def _part(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _pages(root: Path, texts: list[str]) -> list[tuple[str, str]]:
    """Pages p0/, p1/, … holding these texts, written under root: each (its file, its path)."""
    pages = []
    for n, text in enumerate(texts):
        rel = f"p{n}/index.html"
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(
            f"<html lang=zh-CN><body data-pagefind-body><h1>第{n}项</h1><p>{text}</p></body></html>"
        )
        pages.append((str(root / rel), rel))
    return pages


@pytest.mark.parametrize("changed", [[0], [2], [1, 3], []])
def test_a_part_prepared_from_the_site_and_given_its_changed_pages_is_the_part_made_afresh(tmp_path, changed):
    """A partial build has Pagefind index a part from the site's pages before it knows which
    changed, then gives it only those: Pagefind keeps a page given again in its place, so the
    part is byte for byte the one made from the new pages alone."""
    texts = ["社区食堂", "旅游厕所", "加装电梯", "健身步道"]
    _pages(tmp_path / "site", texts)
    new = [text + "，已完工" if n in changed else text for n, text in enumerate(texts)]
    pages = _pages(tmp_path / "staged", new)
    indexing = search.Indexing()
    indexing.prepare(tmp_path / "site", [("pagefind/", tuple(rel for _, rel in pages))])
    indexing.make(tmp_path / "ours", [("pagefind/", pages)], again={f"p{n}/index.html" for n in changed})
    indexing.finish()
    afresh = search.Indexing()
    afresh.make(tmp_path / "afresh", [("pagefind/", pages)])
    afresh.finish()
    ours, theirs = _part(tmp_path / "ours/pagefind"), _part(tmp_path / "afresh/pagefind")
    assert ours == theirs
    old = search.Indexing()  # and not the part of the old pages: the changed ones were read
    old.make(tmp_path / "old", [("pagefind/", _pages(tmp_path / "site", texts))])
    old.finish()
    assert (_part(tmp_path / "old/pagefind") == ours) == (not changed)


def test_a_prepared_part_whose_pages_differ_is_made_afresh(tmp_path):
    """A part that gained a page, or an order to make without ``again`` (a whole build after a
    partial one was given up), is not the prepared one patched."""
    pages = _pages(tmp_path / "site", ["社区食堂", "旅游厕所", "加装电梯"])
    indexing = search.Indexing()
    indexing.prepare(
        tmp_path / "site", [("pagefind/", tuple(rel for _, rel in pages[:2])), ("pagefind/part2/", ("p2/index.html",))]
    )
    (tmp_path / "site/p2/index.html").write_text(
        "<html lang=zh-CN><body data-pagefind-body><p>健身步道</p></body></html>"
    )
    indexing.make(tmp_path / "ours", [("pagefind/", pages), ("pagefind/part2/", [pages[2]])])
    indexing.finish()
    afresh = search.Indexing()
    afresh.make(tmp_path / "afresh", [("pagefind/", pages), ("pagefind/part2/", [pages[2]])])
    afresh.finish()
    assert _part(tmp_path / "ours/pagefind") == _part(tmp_path / "afresh/pagefind")
    assert _part(tmp_path / "ours/pagefind/part2") == _part(tmp_path / "afresh/pagefind/part2")


@pytest.mark.parametrize("path", ["../escaped.js", "/tmp/escaped.js", "fragment/../../escaped.js"])
def test_a_file_pagefind_gives_outside_its_part_is_refused(tmp_path, path):
    from portal.write.pagefind import PagefindError

    with pytest.raises(PagefindError, match="索引文件夹以外"):
        searchchild._write(tmp_path / "part", [{"path": path, "content": "eA=="}])
    assert not any(tmp_path.rglob("escaped.js"))
