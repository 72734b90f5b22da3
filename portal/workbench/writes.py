"""Every file the workbench writes, written here: inside the content folder only, through no
link, never over another file unless it is the very post being edited (or a report the monthly
import corrects), and each write recorded.

A name is checked part by part from the content folder down (no part may be a symbolic link,
and the resolved path must stay inside), a new file is created exclusively (an existing name,
a link included, is never opened), and an edited post is replaced in one step (atomic.py). The
monthly import's reports are written by forms/posting.py, as ``form import`` writes them:
``through`` checks their names first and records what it wrote.
Each write appends a line to the write log (web.Bench.log: beside the content folder, so it
is neither published nor read as content): the time, the file, and the SHA-256 of its bytes
before (null for a new file) and after. The log is only ever appended to, never through a link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from portal import atomic
from portal.workbench.web import Bench

T = TypeVar("T")
NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)  # Windows has none: its links need privileges to make
CHANGED = "这篇文章在你打开之后被改动过：请先复制你的修改，重新打开这篇文章，再把修改贴回去保存"


class Refused(Exception):
    """A write the workbench will not make; the message (Chinese) says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def problem(content: Path, path: Path) -> str | None:
    """Why ``path`` (a file under ``content``) is no place to write, or None: a part of it that is
    a link or no folder, or a path that resolves outside the content folder."""
    root = content.resolve()
    try:
        parts = path.relative_to(content).parts
    except ValueError:
        return "不在内容文件夹内"
    here = root
    for number, part in enumerate(parts):
        here = here / part
        if here.is_symlink():
            return f"{'/'.join(parts[: number + 1])} 是链接：工作台只写入内容文件夹里的普通文件夹和文件，请把它换成普通的文件夹或文件"
        if number < len(parts) - 1 and here.exists() and not here.is_dir():
            return f"{'/'.join(parts[: number + 1])} 不是文件夹"
    if not here.resolve().is_relative_to(root):
        return "不在内容文件夹内"
    return None


def create(bench: Bench, path: Path, data: bytes) -> bool:
    """Write a new file; False, writing nothing, when the name is taken (by anything, a link too)."""
    _check(bench.content, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _check(bench.content, path)  # the folders just made are still plain ones
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NO_FOLLOW | getattr(os, "O_BINARY", 0), 0o666)
    except FileExistsError:
        return False
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    record(bench, path, None, digest(data))
    return True


def replace(bench: Bench, path: Path, data: bytes, before: str) -> None:
    """Replace the post being edited, in one step, if it is still the file whose digest is ``before``."""
    _check(bench.content, path)
    if not path.is_file() or digest(path.read_bytes()) != before:
        raise Refused(CHANGED)
    atomic.write_file(path, data)
    record(bench, path, before, digest(data))


def through(bench: Bench, paths: Iterable[Path], write: Callable[[], T]) -> T:
    """Let ``write`` (another stage's writer, forms/posting.write, which replaces each file in one
    step itself) write these files, once each is checked as ``create`` and ``replace`` check
    theirs; then record each file it changed, its digest before (null if new) and after."""
    targets = list(paths)
    for path in targets:
        _check(bench.content, path)
    before = {path: _digest_of(path) for path in targets}
    try:
        return write()
    finally:  # a writer that failed half-way: what it did write is recorded all the same
        for path in targets:
            after = _digest_of(path)
            if after is not None and after != before[path]:
                record(bench, path, before[path], after)


def _digest_of(path: Path) -> str | None:
    return digest(path.read_bytes()) if path.is_file() else None


def _check(content: Path, path: Path) -> None:
    found = problem(content, path)
    if found:
        raise Refused(f"不能写入 {path.relative_to(content) if path.is_relative_to(content) else path}：{found}")


def record(bench: Bench, path: Path, before: str | None, after: str) -> None:
    """Append one line to the write log."""
    entry = {
        "time": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "file": (Path(bench.shown) / path.relative_to(bench.content)).as_posix(),
        "before": before,
        "after": after,
    }
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode()
    handle = os.open(bench.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT | NO_FOLLOW, 0o600)
    try:
        os.write(handle, line)
    finally:
        os.close(handle)
