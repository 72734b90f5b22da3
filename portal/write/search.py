"""Chinese full-text search: Pagefind's extended build (it segments Chinese) indexes the
searchable pages at build time into pagefind/; the search page loads its self-hosted UI.

The searchable pages are the project pages and the posts other than monthly reports (a project
page shows its reports month by month, each under a heading Pagefind offers as a sub-result);
``render.pages.searchable`` lists them. A child process (``main``) starts Pagefind's service
(``pagefind --service``, the interface its Python and Node packages speak) as the build begins,
so that its Chinese dictionary is loaded (0.16 s) while the content is read. Once the
searchable pages are written the build gives the child the parts to make: it hands Pagefind
each page's file as written, and each part Pagefind makes is written into its folder, on one core while
the rest of the site is rendered on the other. The index is made in the parts
render/indexparts.py counts, one after the other (the search page merges them).
"""

from __future__ import annotations

import base64
import contextlib
import ctypes
import ctypes.util
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path, PurePosixPath

from portal.errors import ToolError
from portal.model import urls
from portal.paths import PACKAGE
from portal.render import indexparts
from portal.write.pagefind import PagefindError, Service
from portal.write.staging import Stage, inside


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


def _die_with_parent() -> None:
    """In the child and in Pagefind: if the build is killed, they go too (Linux prctl)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


# preexec_fn exists only where processes are forked (not on Windows, where a child cannot be
# told to die with its parent this way; the build cancels Pagefind itself on failure).
_DIE_WITH_PARENT = _die_with_parent if os.name == "posix" else None


class Indexing:
    """Pagefind, started now and given the parts of the index to make later (``make``)."""

    def __init__(self) -> None:
        self.outputs: list[Path] = []
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by finish or cancel): what Pagefind says
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "portal.write.search"],
                stdin=subprocess.PIPE,
                stdout=self.log,
                stderr=subprocess.STDOUT,
                preexec_fn=_DIE_WITH_PARENT,
                cwd=PACKAGE.parent,
            )
        except BaseException:
            self.log.close()
            raise

    def make(self, root: Path, parts: list[Job]) -> None:
        """Each part of ``parts`` into root/its folder, from its pages' files (already written)."""
        self.outputs = [root / folder for folder, _ in parts]
        order = [[str(root / folder), [list(page) for page in pages]] for folder, pages in parts]
        assert self.process.stdin is not None
        with contextlib.suppress(BrokenPipeError), self.process.stdin as sink:  # the child failed: finish() says
            sink.write(json.dumps(order).encode("utf-8"))

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


def _pagefind() -> list[str]:
    """Pagefind's extended binary itself, else its module (which runs the binary)."""
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-not-found]

        return [str(get_executable())]
    except (ImportError, OSError, AttributeError):
        return [sys.executable, "-m", "pagefind"]


WARM = "<html lang=zh-CN><body data-pagefind-body><p>重点民生实事进展公开</p></body></html>"


def main() -> None:
    """In the child: Pagefind's service started and its Chinese dictionary loaded; then, for each
    part named on stdin (nothing: the build needed no index after all), a new index of its
    pages written into its folder, and let go (Pagefind holds an index in memory until then)."""
    with Service(_pagefind(), _DIE_WITH_PARENT) as pagefind:
        warm = pagefind.call({"type": "NewIndex", "config": None})["index_id"]
        pagefind.call({"type": "AddFile", "index_id": warm, "file_path": "w/index.html", "file_contents": WARM})
        pagefind.call({"type": "DeleteIndex", "index_id": warm})
        order = sys.stdin.buffer.read()
        for output, pages in json.loads(order) if order else []:
            index = pagefind.call({"type": "NewIndex", "config": None})["index_id"]
            pagefind.call_all(
                {"type": "AddFile", "index_id": index, "file_path": rel, "file_contents": _read(file)}
                for file, rel in pages
            )
            _write(Path(output), pagefind.call({"type": "GetFiles", "index_id": index})["files"])
            pagefind.call({"type": "DeleteIndex", "index_id": index})


def _write(output: Path, files: list[dict]) -> None:
    """A part's files as Pagefind gave them, written here: its WriteFiles may answer before the
    last of its files is written, and a service that then exits leaves them cut short."""
    for file in files:
        try:
            target = inside(output, file["path"])
        except ValueError as exc:
            raise PagefindError(f"Pagefind 给出了索引文件夹以外的文件：{file['path']}") from exc
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(file["content"]))


def _read(file: str) -> str:
    with open(file, encoding="utf-8") as page:
        return page.read()


if __name__ == "__main__":
    try:
        main()
    except PagefindError as exc:
        print(exc, file=sys.stderr)
        sys.exit(exc.status or 1)
    except OSError as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
