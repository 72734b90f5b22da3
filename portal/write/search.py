"""Chinese full-text search: Pagefind's extended build (it segments Chinese) indexes the
searchable pages at build time into pagefind/; the search page loads its self-hosted UI.

The searchable pages are the project pages and the posts other than monthly reports (a project
page shows its reports month by month, each under a heading Pagefind offers as a sub-result);
``render.pages.Page.searchable`` says which. As soon as they are written a child process (``main``)
hard-links them into a private mirror beside the output (removed when it is done, or by the
next build if this one is killed) and runs Pagefind on it, on one core while the rest of the
site is rendered on the other. The index is made in the parts render/indexparts.py counts,
one after the other (the search page merges them).
"""

from __future__ import annotations

import ctypes
import ctypes.util
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
from portal.render.indexparts import bundles
from portal.write.staging import Stage, make_folder


class SearchIndexError(ToolError):
    """Pagefind failed: the build fails with what it said (the old site stays)."""


def has_parts(site: Path, count: int) -> bool:
    """Whether a built site's index is in the parts ``count`` searchable pages make (the
    preview keeps its index between rebuilds, as long as the search page names it right)."""
    parts = bundles(count)
    extra = urls.index_part(len(parts) + 1)
    return all((site / part / "pagefind.js").is_file() for part in parts) and not (site / extra).exists()


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


def _mirror(root: Path, pages: Iterable[str], mirror: Path) -> None:
    """Hard-link each page under root to the same place under a fresh mirror folder."""
    shutil.rmtree(mirror, ignore_errors=True)
    mirror.mkdir(parents=True)
    folders: set[Path] = set()
    for rel in pages:
        parts = PurePosixPath(rel).parts
        target = mirror.joinpath(*parts)
        make_folder(target.parent, folders)
        os.link(root.joinpath(*parts), target)


class Indexing:
    """Pagefind indexing the staged site's searchable pages while the rest is written."""

    def __init__(self, stage: Stage, searchable: Iterable[str]):
        """``searchable``: the site-relative paths of the pages to index, already written.

        The child (``main`` below) makes the mirror: a thousand links and folders are the file
        system's time, better spent beside the rendering than before it."""
        self.output = stage.root / "pagefind"
        self.mirror = stage.sibling("search")
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by finish or cancel): what Pagefind says
        try:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "portal.write.search",
                    str(stage.root),
                    str(self.mirror),
                    str(indexparts.PAGES_AN_INDEX),
                ],
                stdin=subprocess.PIPE,
                stdout=self.log,
                stderr=subprocess.STDOUT,
                preexec_fn=_DIE_WITH_PARENT,
                cwd=PACKAGE.parent,
            )
            assert self.process.stdin is not None
            with self.process.stdin as pages:
                pages.write(("\n".join(searchable) + "\n").encode("utf-8"))
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
        if self.process.returncode != 0 or not (self.output / "pagefind.js").is_file():
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


def main(site: str, mirror: str, size: str) -> None:
    """In the child: for each part of the pages named on stdin, its mirror, then Pagefind on it
    into the part's folder of the site (each Pagefind dies with this process)."""
    pages = sys.stdin.read().splitlines()
    step = int(size)
    for folder, start in zip(bundles(len(pages), step), range(0, max(1, len(pages)), step), strict=True):
        _mirror(Path(site), pages[start : start + step], Path(mirror))
        output = str(Path(site) / folder)
        command = [sys.executable, "-m", "pagefind", "--site", mirror, "--output-path", output, "--quiet"]
        done = subprocess.run(command, preexec_fn=_DIE_WITH_PARENT, check=False)
        if done.returncode != 0:
            sys.exit(done.returncode)
    shutil.rmtree(mirror, ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
