"""A file's content as a build makes it, and writing or comparing it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

Content = str | bytes | Iterable[str] | Iterable[bytes] | Callable[[], bytes]  # a file's, as a build makes it


def pieces(data: Content) -> bool:
    """Whether the content comes in pieces, to be written as they come."""
    return not callable(data) and not isinstance(data, str | bytes)


def encoded(data: Content) -> bytes:
    """A file's content as bytes: text, bytes, pieces of either, or what makes its bytes."""
    if callable(data):
        data = data()
    return _bytes(data) if isinstance(data, str | bytes) else b"".join(map(_bytes, data))


def _bytes(piece: str | bytes) -> bytes:
    return piece.encode("utf-8") if isinstance(piece, str) else piece


def written(path: Path, data: Content) -> None:
    """A file written from its content, pieces as they come (never whole in memory)."""
    with path.open("wb") as sink:
        if pieces(data):
            sink.writelines(map(_bytes, data))  # type: ignore[arg-type]
        else:
            sink.write(encoded(data))


def same(path: Path, data: bytes) -> bool:
    """Whether the file at path holds exactly these bytes (its size asked first)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def same_files(a: Path, b: Path) -> bool:
    """Whether two files hold the same bytes (read a block at a time)."""
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        with a.open("rb") as one, b.open("rb") as other:
            while block := one.read(1 << 20):
                if block != other.read(len(block)):
                    return False
        return True
    except OSError:
        return False
