"""Files replaced whole: a reader never sees half a file, and a failure leaves nothing behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from portal import atomic


def test_an_existing_file_is_replaced_whole_and_a_reader_keeps_the_old_one(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"old text, longer than the new")
    with path.open("rb") as reader:
        atomic.write_file(path, b"new")
        assert reader.read() == b"old text, longer than the new"
    assert path.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["page.html"]


def test_missing_folders_are_made(tmp_path: Path) -> None:
    atomic.write_files({tmp_path / "a" / "b" / "one.md": b"1", tmp_path / "two.md": b"2"})
    assert (tmp_path / "a" / "b" / "one.md").read_bytes() == b"1"
    assert (tmp_path / "two.md").read_bytes() == b"2"
    assert sorted(os.listdir(tmp_path)) == ["a", "two.md"]


def test_a_failure_midway_changes_no_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    first = tmp_path / "first.md"
    first.write_bytes(b"as it was")
    (tmp_path / "blocked").write_bytes(b"a file where a folder should be")
    with pytest.raises(OSError):
        atomic.write_files({first: b"changed", tmp_path / "new.md": b"new", tmp_path / "blocked" / "x.md": b"x"})
    assert first.read_bytes() == b"as it was"
    assert sorted(os.listdir(tmp_path)) == ["blocked", "first.md"]


def test_a_new_file_is_readable_as_the_umask_allows(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic.write_file(tmp_path / "form.xlsx", b"PK")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "form.xlsx").stat().st_mode) == 0o644
