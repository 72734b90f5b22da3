"""Reading a file of content/ only when it is what its name says: a regular file, not too big.

Anything can sit in content/: a named pipe (opening it waits forever for a writer), a socket or
a device, a link to nowhere or to itself, a folder named like a post, a 3 GB video. Each file
is checked with stat (links followed: a link inside content/ is read like its target) before it
is opened, opened without waiting, checked again on the open handle (in case it was swapped
meanwhile) and read no further than its limit. What is refused says why, in Chinese, for the
caller to locate.
"""

from __future__ import annotations

import errno
import math
import os
import stat
from pathlib import Path
from typing import BinaryIO

from portal import limits


class Refused(Exception):
    """A content file that is not read, and why (the message has no place: the caller adds it)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_KINDS = (
    (stat.S_ISDIR, "是文件夹，不是文件：请改名或移走"),
    (stat.S_ISFIFO, "是命名管道（FIFO），不是普通文件：请删除它"),
    (stat.S_ISSOCK, "是套接字（socket），不是普通文件：请删除它"),
    (stat.S_ISCHR, "是设备文件，不是普通文件：请删除它"),
    (stat.S_ISBLK, "是设备文件，不是普通文件：请删除它"),
)


def status(path: str | Path) -> os.stat_result:
    """The stat of what path names, links followed; a link to nowhere or to itself is refused."""
    try:
        return os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Refused("链接循环指向自身，无法读取：请删除这个链接") from exc
        if exc.errno == errno.ENOENT and os.path.islink(path):
            raise Refused("链接指向的文件不存在：请删除这个链接，或把它指向的文件放回原处") from exc
        raise Refused(f"无法读取（{exc.strerror}）") from exc


def kind_problem(mode: int) -> str | None:
    """Why a file of this mode is not read (a folder, a pipe, a socket, a device), or None."""
    if stat.S_ISREG(mode):
        return None
    return next((message for test, message in _KINDS if test(mode)), "不是普通文件：请删除它")


def problem(path: str | Path) -> str | None:
    """Why path is not a file to read (a folder, a pipe, a broken link...), or None."""
    try:
        return kind_problem(status(path).st_mode)
    except Refused as exc:
        return exc.message


def open_regular(path: str | Path, limit: int, advice: str) -> BinaryIO:
    """The file opened for reading, once stat has shown a regular file of at most ``limit`` bytes;
    ``advice`` tells what to do with a bigger one."""
    _check(status(path), limit, advice)
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        raise Refused(f"无法读取（{exc.strerror}）") from exc
    try:
        _check(os.fstat(handle), limit, advice)  # the same file still, if swapped since
    except Refused:
        os.close(handle)
        raise
    return os.fdopen(handle, "rb")


def read(path: str | Path, limit: int, advice: str) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (see open_regular)."""
    with open_regular(path, limit, advice) as file:
        data = file.read(limit + 1)
    if len(data) > limit:  # it grew while being read
        raise Refused(_too_big(len(data), limit, advice))
    return data


def _check(found: os.stat_result, limit: int, advice: str) -> None:
    reason = kind_problem(found.st_mode)
    if reason:
        raise Refused(reason)
    if found.st_size > limit:
        raise Refused(_too_big(found.st_size, limit, advice))


def _too_big(size: int, limit: int, advice: str) -> str:
    return f"文件太大（{megabytes(size)}，最多 {megabytes(limit)}）：{advice}"


def limit_megabytes(size: int) -> str:
    """A size beside a limit counted in MiB (limits.MB): the limit as written (8 MB), a size over
    it rounded up to a tenth (8.1 MB), so it is never shown as the limit it exceeds."""
    whole, rest = divmod(size, limits.MB)
    return f"{whole} MB" if rest == 0 else f"{math.ceil(size * 10 / limits.MB) / 10} MB"


def megabytes(size: int) -> str:
    """A size as a clerk reads it, rounded up to a tenth: 1000001 bytes is "1.1 MB", never "1 MB"."""
    return f"{math.ceil(size / 100_000) / 10:g} MB"


def stat_key(path: str | Path) -> tuple[int, ...] | None:
    """What says a file is unchanged since it was read (size, times, inode); None if it is gone."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)


def private(path: str | Path) -> bool:
    """A regular file (not a link) of this user that no one else may write: one the portal may
    trust to be its own (as ssh treats its keys)."""
    found = os.lstat(path)
    mine = not hasattr(os, "getuid") or found.st_uid == os.getuid()
    return stat.S_ISREG(found.st_mode) and mine and not found.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
