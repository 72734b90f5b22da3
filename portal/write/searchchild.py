"""The search index's child process: Pagefind's service, given the parts of the index to make.

write/search.py starts it (``python -m portal.write.searchchild``) as a build begins, so that
Pagefind's Chinese dictionary is loaded while the build reads the content, and speaks to it on
its stdin, a JSON line an order: first, in a build of a few changed posts, the parts to prepare
from the site's pages as they are (search.Indexing.prepare), then the parts to make. It starts on
the standard library and write/pagefind.py alone, and imports the rest (write/staging.py) while
Pagefind loads its dictionary: its start is on the way of every partial build.
"""

from __future__ import annotations

import base64
import ctypes
import ctypes.util
import json
import os
import signal
import sys
from collections.abc import Iterable
from pathlib import Path

from portal.write.pagefind import PagefindError, Service


def _die_with_parent() -> None:
    """In the child and in Pagefind: if the build is killed, they go too (Linux prctl)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


# preexec_fn exists only where processes are forked (not on Windows, where a child cannot be
# told to die with its parent this way; the build cancels Pagefind itself on failure).
DIE_WITH_PARENT = _die_with_parent if os.name == "posix" else None


def _pagefind() -> list[str]:
    """Pagefind's extended binary itself, else its module (which runs the binary)."""
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-not-found]

        return [str(get_executable())]
    except (ImportError, OSError, AttributeError):
        return [sys.executable, "-m", "pagefind"]


WARM = "<html lang=zh-CN><body data-pagefind-body><p>重点民生实事进展公开</p></body></html>"


Prepared = dict[str, tuple[int, list[str]]]  # in the child: a part's folder, its index made ahead, its pages


def main() -> None:
    """In the child: Pagefind's service started and its Chinese dictionary loaded; then each
    order on stdin, a line each: parts to prepare from the site's pages (Indexing.prepare), then
    the parts to make (nothing: the build needed no index after all), each written into its
    folder and let go (Pagefind holds an index in memory until then)."""
    with Service(_pagefind(), DIE_WITH_PARENT) as pagefind:
        warm = pagefind.call({"type": "NewIndex", "config": None})["index_id"]
        loading = pagefind.send(
            {"type": "AddFile", "index_id": warm, "file_path": "w/index.html", "file_contents": WARM}
        )
        from portal.write import staging  # for _write, imported while Pagefind loads its dictionary  # noqa: F401

        pagefind.answer(loading)
        pagefind.call({"type": "DeleteIndex", "index_id": warm})
        prepared: Prepared = {}
        for line in sys.stdin.buffer:
            order = json.loads(line)
            if "prepare" in order:
                _prepare(pagefind, prepared, *order["prepare"])
                continue
            again = None if order["again"] is None else set(order["again"])
            for output, folder, pages in order["make"]:
                index, given = prepared.pop(folder, (None, None))
                if index is None or again is None or given != [rel for _, rel in pages]:
                    _drop(pagefind, index)
                    index = _index(pagefind, ((rel, _read(file)) for file, rel in pages))
                else:
                    _index(pagefind, ((rel, _read(file)) for file, rel in pages if rel in again), index)
                _write(Path(output), pagefind.call({"type": "GetFiles", "index_id": index})["files"])
                _drop(pagefind, index)


def _prepare(pagefind: Service, prepared: Prepared, site: str, parts: list[tuple[str, list[str]]]) -> None:
    """Each part indexed from the site's pages as they are (a page missing: that part is made
    afresh when asked for)."""
    from portal.write import staging

    for folder, pages in parts:
        try:
            given = [(rel, _read(str(staging.inside(Path(site), rel)))) for rel in pages]
        except (OSError, ValueError):
            continue
        prepared[folder] = (_index(pagefind, given), pages)


def _index(pagefind: Service, pages: Iterable[tuple[str, str]], index: int | None = None) -> int:
    """An index (a new one, else ``index``) given these pages, each (its site-relative path,
    its HTML)."""
    if index is None:
        index = pagefind.call({"type": "NewIndex", "config": None})["index_id"]
    pagefind.call_all(
        {"type": "AddFile", "index_id": index, "file_path": rel, "file_contents": html} for rel, html in pages
    )
    return index


def _drop(pagefind: Service, index: int | None) -> None:
    if index is not None:
        pagefind.call({"type": "DeleteIndex", "index_id": index})


def _write(output: Path, files: list[dict]) -> None:
    """A part's files as Pagefind gave them, written here: its WriteFiles may answer before the
    last of its files is written, and a service that then exits leaves them cut short."""
    from portal.write import staging

    for file in files:
        try:
            target = staging.inside(output, file["path"])
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
