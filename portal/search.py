"""Chinese full-text search: Pagefind's extended build (it segments Chinese) indexes the
searchable pages at build time into pagefind/; the search page loads its self-hosted UI.

The searchable pages are the project pages and the posts other than monthly reports (a project
page shows its reports month by month, each under a heading Pagefind offers as a sub-result);
``render.Page.searchable`` says which. Pagefind reads a private mirror of exactly those pages
(hard links, beside the output, removed when it is done or by the next build if this one is
killed) and writes the index into the staged site, in parts of PAGES_AN_INDEX pages made one
after the other (pagefind/, then pagefind/part2/, …: the search page merges them), since
Pagefind holds a whole index in memory until it writes it (~0.45 MB a project page). It runs as a separate process, started as
soon as those pages are written, so it indexes on one core while the rest of the site is
rendered on the other.
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

from .write import Stage, make_folder


class SearchIndexError(Exception):
    pass


PAGES_AN_INDEX = 1000  # ~0.5 GB of Pagefind's memory at most, whatever the size of the site


def has_parts(site: Path, count: int) -> bool:
    """Whether a built site's index is in the parts ``count`` searchable pages make (the
    preview keeps its index between rebuilds, as long as the search page names it right)."""
    parts = bundles(count)
    extra = f"pagefind/part{len(parts) + 1}/"
    return all((site / part / "pagefind.js").is_file() for part in parts) and not (site / extra).exists()


def bundles(count: int, size: int = 0) -> list[str]:
    """The index's folders for ``count`` searchable pages: pagefind/, then pagefind/part2/, …"""
    parts = max(1, -(-count // (size or PAGES_AN_INDEX)))
    return ["pagefind/"] + [f"pagefind/part{n}/" for n in range(2, parts + 1)]


def _die_with_parent() -> None:
    """In the Pagefind child: if the build is killed, Pagefind goes too (Linux prctl)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


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

        A child process makes the mirror and then becomes Pagefind (``main`` below): making a
        thousand links and folders is the file system's time, spent while the rendering goes on.
        """
        self.output = stage.root / "pagefind"
        self.mirror = stage.sibling("search")
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by finish or cancel): what Pagefind says
        try:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "portal.search",
                    str(stage.root),
                    str(self.mirror),
                    str(stage.root),
                    str(PAGES_AN_INDEX),
                ],
                stdin=subprocess.PIPE,
                stdout=self.log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
                cwd=Path(__file__).resolve().parent.parent,
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
        finally:
            self._remove_mirror()
        if self.process.returncode != 0 or not (self.output / "pagefind.js").is_file():
            self.log.seek(0)
            said = self.log.read().decode("utf-8", "replace").strip()
            raise SearchIndexError(f"Pagefind 建立搜索索引失败（{self.process.returncode}）：{said}")

    def cancel(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._remove_mirror()

    def _remove_mirror(self) -> None:
        shutil.rmtree(self.mirror, ignore_errors=True)
        self.log.close()


def main(root: str, mirror: str, site: str, size: str) -> None:
    """In the child: for each part of the pages named on stdin, its mirror, then Pagefind."""
    pages = sys.stdin.read().splitlines()
    step = int(size)
    for folder, start in zip(bundles(len(pages), step), range(0, max(1, len(pages)), step), strict=True):
        _mirror(Path(root), pages[start : start + step], Path(mirror))
        output = str(Path(site) / folder)
        command = [sys.executable, "-m", "pagefind", "--site", mirror, "--output-path", output, "--quiet"]
        done = subprocess.run(command, preexec_fn=_die_with_parent, check=False)
        if done.returncode != 0:
            sys.exit(done.returncode)
    shutil.rmtree(mirror, ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
