"""Chinese full-text search: Pagefind's extended build (it segments Chinese) indexes the
searchable pages at build time into pagefind/; the search page loads its self-hosted UI.

The searchable pages are the project pages and the posts other than monthly reports (a project
page shows its reports month by month, each under a heading Pagefind offers as a sub-result);
``render.pages.searchable`` lists them. As soon as they are written a child process (``main``)
hard-links them into a private mirror beside the output (removed when it is done, or by the
next build if this one is killed) and runs Pagefind on it, on one core while the rest of the
site is rendered on the other. The index is made in the parts render/indexparts.py counts,
one after the other (the search page merges them).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from portal.errors import ToolError
from portal.model import urls
from portal.paths import PACKAGE
from portal.render import indexparts
from portal.write.staging import Stage, make_folder


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
    data-pagefind-body (its 数据截至 date changes every month on every project page, and the
    index with it would not: tests/test_partial_build.py checks it with Pagefind itself)."""
    start = page.find(FOOTER[0])
    end = page.find(FOOTER[1], start)
    return page if start < 0 or end < 0 else page[:start] + page[end:]


Job = tuple[str, list[tuple[str, str]]]  # a part's folder; each page's file and site-relative path


def _die_with_parent() -> None:
    """In the Pagefind child: if the build is killed, Pagefind goes too (Linux prctl)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


# preexec_fn exists only where processes are forked (not on Windows, where a child cannot be
# told to die with its parent this way; the build cancels Pagefind itself on failure).
_DIE_WITH_PARENT = _die_with_parent if os.name == "posix" else None


def _mirror(pages: Iterable[tuple[str, str]], mirror: Path) -> None:
    """Hard-link each page (its file, its site-relative path) to its place under a fresh mirror."""
    shutil.rmtree(mirror, ignore_errors=True)
    mirror.mkdir(parents=True)
    folders: set[Path] = set()
    for source, rel in pages:
        target = mirror.joinpath(*PurePosixPath(rel).parts)
        make_folder(target.parent, folders)
        os.link(source, target)


class Indexing:
    """Pagefind making these parts of the index while the rest of the site is written."""

    def __init__(self, root: Path, mirror: Path, parts: list[Job]):
        """Each part of ``parts`` into root/its folder, from its pages' files (already written),
        by a child process (``main`` below) through a private ``mirror`` folder: a thousand links
        and folders are the file system's time, better spent beside the rendering than before it."""
        self.outputs = [root / folder for folder, _ in parts]
        self.mirror = mirror
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by finish or cancel): what Pagefind says
        order = [str(root), str(mirror), [[folder, [list(page) for page in pages]] for folder, pages in parts]]
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "portal.write.search"],
                stdin=subprocess.PIPE,
                stdout=self.log,
                stderr=subprocess.STDOUT,
                preexec_fn=_DIE_WITH_PARENT,
                cwd=PACKAGE.parent,
            )
            assert self.process.stdin is not None
            with self.process.stdin as sink:
                sink.write(json.dumps(order).encode("utf-8"))
        except BaseException:
            self._remove_mirror()
            raise

    def finish(self) -> None:
        """Wait for the index; a failed index fails the build."""
        try:
            self.process.wait()
            self.log.seek(0)
            said = self.log.read().decode("utf-8", "replace").strip()
        finally:
            self._remove_mirror()
        if self.process.returncode != 0 or not all((out / "pagefind.js").is_file() for out in self.outputs):
            raise SearchIndexError(
                f"Pagefind 建立搜索索引失败（{self.process.returncode}）：{said or '没有输出'}。"
                "网站未生成，原有的网站保持原样；若提示缺少 pagefind，请运行 make site（或 pip install -r requirements.txt）重新安装依赖"
            )

    def cancel(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._remove_mirror()

    def _remove_mirror(self) -> None:
        shutil.rmtree(self.mirror, ignore_errors=True)
        self.log.close()


def whole(stage: Stage, searchable: list[tuple[int, str]]) -> Indexing:
    """Every part of a whole build's index, from its staged pages."""
    parts = indexparts.plan(searchable)
    jobs = [
        (folder, [(str(stage.root.joinpath(*PurePosixPath(rel).parts)), rel) for rel in pages])
        for folder, pages in parts
    ]
    return Indexing(stage.root, stage.sibling("search"), jobs)


def _pagefind() -> list[str]:
    """Pagefind's extended binary itself (no Python wrapper to start each part), else its module."""
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-not-found]

        return [str(get_executable())]
    except (ImportError, OSError, AttributeError):
        return [sys.executable, "-m", "pagefind"]


def main() -> None:
    """In the child: for each part named on stdin, its mirror, then Pagefind on it into the
    part's folder (each Pagefind dies with this process)."""
    root, mirror, parts = json.loads(sys.stdin.read())
    pagefind = _pagefind()
    for folder, pages in parts:
        _mirror(pages, Path(mirror))
        output = str(Path(root) / folder)
        command = [*pagefind, "--site", mirror, "--output-path", output, "--quiet"]
        done = subprocess.run(command, preexec_fn=_DIE_WITH_PARENT, check=False)
        if done.returncode != 0:
            sys.exit(done.returncode)
    shutil.rmtree(mirror, ignore_errors=True)


if __name__ == "__main__":
    main()
