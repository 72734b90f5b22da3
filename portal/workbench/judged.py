"""A post judged as ``check`` would judge it, before anything is written, and each problem put
beside the form field it is about.

The whole content folder is loaded with the new post and its photos in it, exactly as ``check``
reads it (forms/mirror.py, which the monthly import uses too): what check would refuse is not
saved. A problem in the post's front matter belongs to its field, one in its body to the body
(with the body's own line number); a problem anywhere else is listed above the form, located.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from portal import pipeline
from portal.errors import ContentError, Problem
from portal.forms.mirror import mirrored
from portal.workbench.postfile import Composed
from portal.workbench.web import Bench

FIELDS = ("title", "date", "kind", "projects", "source", "votes", "body", "photo", "attachment")


@dataclass(frozen=True)
class Verdict:
    """What is wrong: messages by form field, and the located ones that belong to no field."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.general) or any(self.fields.values())

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)


def check(bench: Bench, path: Path, composed: Composed, photos: Mapping[str, bytes]) -> list[Problem]:
    """Every problem ``check`` would find with the post at ``path`` and its new photos beside it."""
    with mirrored(bench.content, {path: composed.text}) as mirror:
        folder = mirror / path.parent.relative_to(bench.content)
        for name, data in photos.items():
            (folder / name).unlink(missing_ok=True)  # never write through a hard link into content/
            (folder / name).write_bytes(data)
        try:
            pipeline.check(mirror, bench.shown)
        except ContentError as exc:
            return exc.problems
    return []


def placed(problems: list[Problem], shown: str, body_line: int, lines: Mapping[int, str], verdict: Verdict) -> Verdict:
    """Each problem beside its field when it is the post's own (``lines``: the body's lines that
    belong to a field of their own, a photo's), else listed as it is."""
    for problem in problems:
        name = problem.field.split(".")[0] if problem.field else None
        name = "attachment" if name and name.startswith("attachments") else name  # attachments[2].file
        if problem.path != shown:
            verdict.general.append(str(problem))
        elif name in FIELDS:
            verdict.add(name, problem.message)
        elif problem.line in lines and not name:
            verdict.add(lines[problem.line], problem.message)
        elif problem.line is not None and problem.line >= body_line and not name:
            verdict.add("body", f"正文第 {problem.line - body_line + 1} 行：{problem.message}")
        else:
            verdict.general.append(str(problem))
    return verdict
