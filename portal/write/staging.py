"""Write: pages → the output folder, guarded, and swapped in whole.

Everything is written into a staging folder beside the output; only when the whole build has
succeeded is it exchanged with the old output (atomically where the kernel can), so a failed or
interrupted build leaves the last good site byte for byte. No file is written twice, and no
path leaves the staging folder.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import unicodedata
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from portal import atomic, paths
from portal.write.filedata import Content, encoded, same, written

MARKER = ".portal-site"
_MARKER_TEXT = "built by the livelihood-projects portal; this whole folder is replaced on every build\n"

INPUTS = ".portal-inputs"  # the digest of what the build was made from (see fingerprint.py)


def built_from(out: Path) -> str | None:
    """The input digest recorded by the build that made ``out``, if any."""
    if not (out / MARKER).is_file():
        return None
    try:
        return (out / INPUTS).read_text(encoding="utf-8").strip()
    except OSError:
        return None


class OutputError(Exception):
    """The output folder is not one the portal may replace (exit 2: wrong usage)."""


def check_output(out: Path, content: Path) -> None:
    """Refuse an output that is or holds /, the home folder, the portal or content/; one inside
    content/ or inside a folder of the portal itself; one whose parent is a file; and a folder
    not built by us. Compared by each part's NFKC case fold, as a case-insensitive disk would."""
    try:
        target = out.resolve()
        for place in [Path("/"), Path.home(), paths.PORTAL, content]:
            if _within(place.resolve(), target):
                raise OutputError(f"拒绝把网站写到 {out}：它是（或包含）{place.resolve()}")
        for place, what in [(content, "内容文件夹"), *[(own, "门户自身的文件夹") for own in paths.OWN_FOLDERS]]:
            if _within(target, place.resolve()):
                raise OutputError(f"拒绝把网站写到 {out}：它在{what} {place.resolve()} 里面，请写到别处（如 site/）")
        existing = next(p for p in [target, *target.parents] if p.exists())
        if existing != target and not existing.is_dir():
            raise OutputError(f"不能把网站写到 {out}：{existing} 是文件，不是文件夹")
        if target.exists() and not target.is_dir():
            raise OutputError(f"{out} 已存在且不是文件夹")
        if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
            raise OutputError(f"{out} 不是空文件夹，也不是本工具生成的网站（没有 {MARKER}）：为免误删，拒绝覆盖")
    except OSError as exc:
        raise OutputError(f"不能把网站写到 {out}：{explain(exc, with_path=False)}") from exc


def _within(path: Path, folder: Path) -> bool:
    """Whether path is folder or lies inside it, each part compared as a case-insensitive,
    normalising disk would."""
    parts, inner = [paths.key(p) for p in path.parts], [paths.key(p) for p in folder.parts]
    return parts[: len(inner)] == inner


_REASONS = {
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "超出了磁盘配额",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "磁盘是只读的",
    errno.ENOTDIR: "路径中有一段是文件，不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.ENAMETOOLONG: "路径或文件名太长",
    errno.ENOENT: "找不到这个文件或文件夹",
    errno.ELOOP: "链接太多层或成环",
    errno.EIO: "读写出错（磁盘或网络盘故障）",
}


def explain(exc: OSError, with_path: bool = True) -> str:
    """An OSError as one Chinese line: the path it concerns (if any) and what went wrong."""
    reason = _REASONS.get(exc.errno or 0, "读写失败")
    said = f"{reason}（{exc.strerror or exc}）"
    return f"{exc.filename}: {said}" if with_path and exc.filename else said


class Stage:
    """A staging folder: ``write`` files into it, then ``publish`` swaps it in."""

    def __init__(self, out: Path):
        self.out = out.resolve()
        self.root = self.sibling("staging")
        self._written: dict[str, str] = {}
        self._folders: set[Path] = set()
        remove_leftovers(self.out)
        if self.root.exists():
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True)

    def target(self, rel: str) -> Path:
        """The staged path of a site-relative path, refused when it would escape or repeat."""
        key = unicodedata.normalize("NFKC", rel).casefold()
        if key in self._written:
            raise ValueError(f"two files would be written to {rel!r} (and {self._written[key]!r})")
        path = inside(self.root, rel)  # lexical: no symlink can be in a fresh stage
        self._written[key] = rel
        return path

    def sibling(self, kind: str) -> Path:
        """A private working folder beside the output, removed later or by the next build."""
        return beside(self.out, f"{kind}-{os.getpid()}")

    def reserve(self, rel: str) -> Path:
        """The checked path of a file another process will write, its folder made."""
        path = self.target(rel)
        make_folder(path.parent, self._folders)
        return path

    def write(self, rel: str, data: Content) -> None:
        """A file from text, bytes, pieces of text written as they come, or what makes its bytes."""
        path = self.target(rel)
        make_folder(path.parent, self._folders)
        written(path, data)

    def copy_tree(self, source: Path, prefix: str) -> None:
        """Copy the portal's own static files, in a stable order."""
        for path in sorted(source.rglob("*")):
            parts = path.relative_to(source).parts
            if (
                path.is_file()
                and path.suffix not in {".py", ".pyc"}
                and not any(p.startswith(".") or p == "__pycache__" for p in parts)
            ):
                self.write(f"{prefix}/{path.relative_to(source).as_posix()}", path.read_bytes())

    def link_tree(self, source: Path, prefix: str) -> None:
        """Hard-link a folder of the previous output into the staged one (no copy)."""
        for path in sorted(source.rglob("*")):
            if path.is_file():
                os.link(path, self.reserve(f"{prefix}/{path.relative_to(source).as_posix()}"))

    def publish(self, inputs: str = "") -> None:
        """Swap the staged site in: the old one is replaced in one step, then removed."""
        (self.root / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        (self.root / INPUTS).write_text(inputs + "\n", encoding="utf-8")
        if self.out.exists():
            if _exchange(self.root, self.out):
                shutil.rmtree(self.root)
                return
            old = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
            os.rename(self.out, old)
            os.rename(self.root, self.out)
            shutil.rmtree(old)
        else:
            os.rename(self.root, self.out)

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def inside(root: Path, rel: str) -> Path:
    """root/rel for a site-relative path made of safe segments, refused if it would escape."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or not pure.parts:
        raise ValueError(f"not a relative output path: {rel!r}")
    for part in pure.parts:
        problem = paths.segment_problem(part) if part not in {"index.html"} else None
        if problem or part in {".", ".."}:
            raise ValueError(f"unsafe output path {rel!r}: {problem}")
    path = root.joinpath(*pure.parts)
    if not Path(os.path.normpath(path)).is_relative_to(root):
        raise ValueError(f"output path escapes the output folder: {rel!r}")
    return path


def patch(out: Path, files: Iterable[tuple[str, Content]], gone: Iterable[str]) -> list[str]:
    """Change a built site in place, for the preview's partial rebuilds only: each file written
    when its bytes differ (a temporary file renamed over it: never read half-written), the files
    no longer made removed with the folders they leave empty, and the input digest cleared so
    that no later build takes the site for up to date. Returns the paths changed."""
    root = ours(out)
    changed = [rel for rel in gone if remove(root, rel)]
    for rel, data in files:
        path, data = checked(root, rel), encoded(data)
        if not same(path, data):
            atomic.write_file(path, data)
            changed.append(rel)
    (root / INPUTS).write_text("\n", encoding="utf-8")
    return changed


def beside(out: Path, name: str) -> Path:
    """What the portal keeps beside an output folder: .<its name>.<name>."""
    out = out.resolve()
    return out.parent / f".{out.name}.{name}"


def ours(out: Path) -> Path:
    """The output folder, resolved, when the portal built it (else it is not changed in part)."""
    root = out.resolve()
    if not (root / MARKER).is_file():
        raise OutputError(f"{out} 不是本工具生成的网站（没有 {MARKER}）：不能只更新其中一部分")
    return root


def checked(root: Path, rel: str) -> Path:
    """root/rel in a built site, refused when it would leave it or pass through a link."""
    path = inside(root, rel)
    for parent in reversed(PurePosixPath(rel).parents):
        if (root / parent).is_symlink():
            raise ValueError(f"output path goes through a link: {rel!r}")
    return path


def remove(root: Path, rel: str) -> bool:
    """A page no longer made, removed with the folders it leaves empty; whether there was one."""
    path = checked(root, rel)
    if not path.is_file() or path.is_symlink():
        return False
    path.unlink()
    folder = path.parent
    while folder != root and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
    return True


def make_folder(folder: Path, made: set[Path]) -> None:
    """mkdir -p, asked of the file system once a folder (a build makes thousands)."""
    if folder not in made:
        folder.mkdir(parents=True, exist_ok=True)
        made.update([folder, *folder.parents])


def remove_leftovers(out: Path) -> None:
    """What a build that was killed left beside the output (its process is gone): its staging
    and old folders, a search mirror of older versions, the record it was writing."""
    for path in out.parent.glob(f".{out.name}.*-*"):
        kind, _, pid = path.name.rpartition("-")
        if not kind.endswith((".staging", ".old", ".search", ".record")) or not pid.isdigit() or _alive(int(pid)):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): both names swapped at once. False where unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0
