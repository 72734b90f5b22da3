"""Problems found in content: each names its place, and a run reports them all at once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# What a terminal acts on instead of showing: C0 and C1 controls (ESC starts a sequence that can
# clear the screen or move the cursor, CR returns to the line's start to overwrite it), the line
# and paragraph separators, and the bidirectional controls that reorder what follows them. A
# cell or a file name holding them must not clear a clerk's screen or forge a line of output.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem: ``path:line[:field]: message`` (the message in Chinese)."""

    path: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        place = self.path
        if self.line is not None:
            place += f":{self.line}"
            if self.field:
                place += f":{self.field}"
        elif self.field:
            place += f":{self.field}"
        return visible(f"{place}: {self.message}")


def visible(text: str) -> str:
    """Text safe to print on a terminal: every control character as a visible ``\\u001b`` escape."""
    return _UNSHOWABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


class ContentError(Exception):
    """Raised once a stage has collected its problems; carries every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=_order)
        super().__init__("\n".join(str(p) for p in self.problems))


def _order(p: Problem) -> tuple:
    return (p.path, p.line or 0, p.field or "", p.message)


class UsageError(Exception):
    """Wrong usage found after parsing (a missing folder, a bad month): exit status 2."""


class ToolError(Exception):
    """A failure that is neither the content's nor the command's (the search indexer failing,
    the disk refusing a file): one line saying what to do, exit status 1."""


class Problems:
    """A collector: stages add to it and raise once at the end of the stage."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, path: str | Path, line: int | None, field: str | None, message: str) -> None:
        self.items.append(Problem(str(path), line, field, message))

    def extend(self, problems: list[Problem]) -> None:
        self.items.extend(problems)

    def raise_if_any(self) -> None:
        if self.items:
            raise ContentError(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)
