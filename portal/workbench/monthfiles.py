"""The filled forms a clerk uploads, kept between the upload and the import: in a private
temporary folder (never in the content folder), under names the server chooses.

Each upload gets a folder of its own, made for this user only (mode 0700) and named by a random
id; the page that shows what the import would do carries that id, and the import reads the same
files from it again, then removes it. A file's type is told by its bytes, never by its name: a
ZIP holding xl/workbook.xml is a workbook (.xlsx), a file without NUL bytes (or UTF-16 text, for
the CSV reader to refuse with its own advice) a CSV; anything else is refused here. The names
the browser sent are kept beside the files, to name each file in messages as the clerk knows it;
they are shown (escaped), never used to write.
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import shutil
import stat
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from portal import limits
from portal.errors import Problem, visible

PREFIX = "minsheng-month-"
NAMES = "names.json"
MAX_FILES = 100  # forms a batch: a district has a few dozen lead units, a city a few hundred projects
MAX_NAME = 80  # characters of a file's name as shown
STALE = 24 * 3600  # seconds after which a batch nobody imported is removed
_ID = re.compile(r"[0-9a-f]{32}")
_SAVE_AS = "请在 Excel/WPS 中另存为 .xlsx 后再上传"
NOT_A_FORM = f"不是 .xlsx 或 .csv 表格（或已损坏）：{_SAVE_AS}"
OLD_EXCEL = f"是旧的 .xls 或 .et 格式，不能读取：{_SAVE_AS}"
TOO_BIG = f"文件太大（超过 {limits.FORM_BYTES // limits.MB} MB），不像是月度推进情况表"
EMPTY = "文件是空的：请选择填好的表格"
TOO_MANY = f"一次最多上传 {MAX_FILES} 个表格：请分几次导入"


@dataclass(frozen=True)
class Kept:
    """A batch of uploaded forms: its id, its folder, and each file with its name as shown."""

    id: str
    folder: Path
    files: tuple[tuple[Path, str], ...]

    @property
    def shown(self) -> dict[str, str]:
        """Each kept file's path as the reader names it → the name the clerk knows."""
        return {str(path): name for path, name in self.files}


def suffix(data: bytes) -> str | None:
    """.xlsx or .csv as the bytes say, or None for anything else."""
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return ".xlsx" if "xl/workbook.xml" in archive.namelist() else None
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\0" not in data[:65536]:
        return ".csv"
    return None


def keep(uploads: list[tuple[str, bytes]]) -> tuple[Kept | None, list[Problem]]:
    """The forms that can be read kept in a new private folder (None when there is none), and
    why each other file is not, named as the clerk named it."""
    sweep()
    names = shown_names([name for name, _ in uploads])
    refused: list[Problem] = []
    accepted: list[tuple[str, bytes, str]] = []
    if len(uploads) > MAX_FILES:
        return None, [Problem("", None, None, TOO_MANY)]
    for name, (_, data) in zip(names, uploads, strict=True):
        found = suffix(data)
        why = _refusal(data, found)
        if why is not None:
            refused.append(Problem(name, None, None, why))
        else:
            accepted.append((name, data, found or ""))
    if not accepted:
        return None, refused
    key = secrets.token_hex(16)
    folder = Path(tempfile.gettempdir()) / f"{PREFIX}{key}"
    folder.mkdir(mode=0o700)  # never an existing name: the id is new, and mkdir follows no link
    files = []
    for number, (name, data, ending) in enumerate(accepted, 1):
        path = folder / f"{number}{ending}"
        with open(path, "xb") as file:
            file.write(data)
        files.append((path, name))
    (folder / NAMES).write_text(json.dumps([[p.name, n] for p, n in files], ensure_ascii=False), encoding="utf-8")
    return Kept(key, folder, tuple(files)), refused


def _refusal(data: bytes, found: str | None) -> str | None:
    if not data:
        return EMPTY
    if len(data) > limits.FORM_BYTES:
        return TOO_BIG
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # the compound file of Excel 97-2003 and WPS
        return OLD_EXCEL
    return None if found else NOT_A_FORM


def shown_names(sent: list[str]) -> list[str]:
    """Each file's name as shown: the browser's, without folders or control characters, cut
    short; a missing one by its place, a repeated one with its place added."""
    names = []
    for number, raw in enumerate(sent, 1):
        name = visible(re.split(r"[\\/]", raw)[-1]).strip()[:MAX_NAME] or f"第 {number} 个文件"
        names.append(f"{name}（第 {number} 个文件）" if name in names else name)
    return names


def reopen(key: str) -> Kept | None:
    """The batch this id names, if it is still there and still the private folder it was."""
    if not _ID.fullmatch(key):
        return None
    folder = Path(tempfile.gettempdir()) / f"{PREFIX}{key}"
    if _private(folder) is None:
        return None
    try:
        listed = json.loads((folder / NAMES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = tuple((folder / server, str(name)) for server, name in listed)
    if not all(re.fullmatch(r"\d+\.(xlsx|csv)", path.name) and _regular(path) for path, _ in files):
        return None
    return Kept(key, folder, files)


def _private(folder: Path) -> os.stat_result | None:
    """The status of a folder (no link) of this user's that nobody else may read or write, or None."""
    try:
        status = folder.lstat()
    except OSError:
        return None
    mine = not hasattr(os, "getuid") or status.st_uid == os.getuid()
    return status if stat.S_ISDIR(status.st_mode) and mine and not status.st_mode & 0o077 else None


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def discard(kept: Kept) -> None:
    shutil.rmtree(kept.folder, ignore_errors=True)


def sweep() -> None:
    """Remove the batches of this user that nobody imported within a day."""
    now = time.time()
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        status = _private(folder) if _ID.fullmatch(folder.name[len(PREFIX) :]) else None
        if status is not None and now - status.st_mtime > STALE:
            shutil.rmtree(folder, ignore_errors=True)
