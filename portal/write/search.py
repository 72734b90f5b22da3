"""Chinese full-text search: Pagefind's extended build (it segments Chinese) indexes the
searchable pages at build time into pagefind/; the search page loads its self-hosted UI.

The searchable pages are the project pages and the posts other than monthly reports (a project
page shows its reports month by month, each under a heading Pagefind offers as a sub-result);
``render.pages.searchable`` lists them. A child process (write/searchchild.py) starts Pagefind's
service (``pagefind --service``, the interface its Python and Node packages speak) as the build
begins, so that its Chinese dictionary is loaded (0.16 s) while the content is read. Once the
searchable pages are written the build gives the child the parts to make: it hands Pagefind
each page's file as written, and each part Pagefind makes is written into its folder, on one
core while the rest of the site is rendered on the other. The index is made in the parts
render/indexparts.py counts, one after the other (the search page merges them). A build of a
few changed posts first has the child prepare the parts they most likely change, from the
site's pages as they are (``Indexing.prepare``), and then gives it only the pages that changed.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tempfile
import threading
from pathlib import Path, PurePosixPath

from portal.errors import ToolError
from portal.model import urls
from portal.paths import PACKAGE
from portal.render import indexparts
from portal.render.indexparts import Part
from portal.write.searchchild import DIE_WITH_PARENT
from portal.write.staging import Stage


class SearchIndexError(ToolError):
    """Pagefind failed: the build fails with what it said (the old site stays)."""


def has_parts(site: Path, folders: list[str]) -> bool:
    """Whether a built site's index is in exactly these parts (the preview keeps its index
    between rebuilds, as long as the search page names it right)."""
    extra = urls.index_part(len(folders) + 1)
    return all((site / part / "pagefind.js").is_file() for part in folders) and not (site / extra).exists()


FOOTER = (b'<footer class="site-footer">', b"</footer>")  # templates/base.html, outside data-pagefind-body


def indexed(page: bytes) -> bytes:
    """What of a page its index entry depends on: all but the site's footer, which is outside
    data-pagefind-body (its 数据截至 date changes every month on the newest year's pages, and the
    index with it would not: tests/test_partial_build.py checks it with Pagefind itself)."""
    start = page.find(FOOTER[0])
    end = page.find(FOOTER[1], start)
    return page if start < 0 or end < 0 else page[:start] + page[end:]


Job = tuple[str, list[tuple[str, str]]]  # a part's folder; each page's file and site-relative path


class Indexing:
    """Pagefind, started now and given the parts of the index to make later (``make``)."""

    def __init__(self) -> None:
        self.outputs: list[Path] = []
        self._writer: threading.Thread | None = None  # what prepare() sends, until it is sent
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by finish or cancel): what Pagefind says
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "portal.write.searchchild"],
                stdin=subprocess.PIPE,
                stdout=self.log,
                stderr=subprocess.STDOUT,
                preexec_fn=DIE_WITH_PARENT,
                cwd=PACKAGE.parent,
            )
        except BaseException:
            self.log.close()
            raise

    def prepare(self, site: Path, parts: list[Part]) -> None:
        """Have Pagefind index these parts from the site's pages as they are, while this build
        works out what changed: ``make`` then gives it only the pages that did (a part's pages
        must be given in the same order to be the same index, and Pagefind keeps a page given
        again in its place). Written by a thread, so that a full pipe never holds the build up."""
        order = json.dumps({"prepare": [str(site), [[folder, list(pages)] for folder, pages in parts]]})
        self._writer = threading.Thread(target=self._send, args=(order.encode("utf-8") + b"\n",), daemon=True)
        self._writer.start()

    def make(self, root: Path, parts: list[Job], again: set[str] | None = None) -> None:
        """Each part of ``parts`` into root/its folder, from its pages' files (already written).
        ``again``: the pages that differ, as Pagefind reads them, from the site's (a prepared
        part is given only these); None: every part indexed afresh."""
        self.outputs = [root / folder for folder, _ in parts]
        jobs = [[str(root / folder), folder, [list(page) for page in pages]] for folder, pages in parts]
        order = json.dumps({"make": jobs, "again": None if again is None else sorted(again)})
        self._sent()
        self._send(order.encode("utf-8"))
        assert self.process.stdin is not None
        with contextlib.suppress(OSError):
            self.process.stdin.close()

    def _sent(self) -> None:
        if self._writer is not None:
            self._writer.join()

    def _send(self, line: bytes) -> None:
        assert self.process.stdin is not None
        with contextlib.suppress(OSError, ValueError):  # the child failed (finish() says), or was cancelled
            self.process.stdin.write(line)
            self.process.stdin.flush()

    def finish(self) -> None:
        """Wait for the index; a failed index fails the build."""
        try:
            self.process.wait()
            self.log.seek(0)
            said = self.log.read().decode("utf-8", "replace").strip()
        finally:
            self.log.close()
        if self.process.returncode != 0 or not all((out / "pagefind.js").is_file() for out in self.outputs):
            raise SearchIndexError(
                f"Pagefind 建立搜索索引失败（{self.process.returncode}）：{said or '没有输出'}。"
                "网站未生成，原有的网站保持原样；若提示缺少 pagefind，请运行 make site（或 pip install -r requirements.txt）重新安装依赖"
            )

    def cancel(self) -> None:
        """No index after all (nothing to make again, or the build failed): Pagefind stops."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._sent()  # prepare()'s write fails now, if it has not finished
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        self.log.close()


def whole(indexing: Indexing, stage: Stage, searchable: list[tuple[int, str]]) -> None:
    """Every part of a whole build's index, from its staged pages."""
    parts = indexparts.plan(searchable)
    jobs = [
        (folder, [(str(stage.root.joinpath(*PurePosixPath(rel).parts)), rel) for rel in pages])
        for folder, pages in parts
    ]
    indexing.make(stage.root, jobs)
