"""A post's file as the workbench reads and writes it: the fields its form edits, the rest kept.

The form owns a few front-matter keys (``OWNED``); every other line an editor or the import wrote
(a document number, attachments, corrections) is kept exactly as it was. The owned keys are
written by the same writer the import uses (forms/posttext.py), and the result is read back
before it is used: unless the keys read back as exactly the values meant and every other key
as it was, the post is not written (and the editor is told to use a text editor for it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from portal.forms.posttext import front_matter
from portal.load import yamlsafe

OWNED = ("title", "date", "kind", "projects", "source", "draft", "votes")
VOTES = ("satisfied", "basically_satisfied", "dissatisfied", "abstained")
TRUE = ("true", "True", "TRUE", "1")  # what the schema's boolean reads as true
_KEY = re.compile(r"([A-Za-z_][\w\-]*)[ \t]*:(?:[ \t]|$)")
UNSAFE = "这篇文章的前置信息写法特殊，工作台无法保证改后不变：请用文本编辑器修改这篇文章，或请技术人员帮忙"


@dataclass(frozen=True)
class Fields:
    """What the post form edits."""

    title: str = ""
    date: str = ""
    kind: str = "news"
    projects: tuple[str, ...] = ()
    source: str = ""
    body: str = ""
    votes: tuple[str, ...] = ("", "", "", "")
    draft: bool = True

    def meta(self) -> dict[str, Any]:
        """Each owned key's value as written, None for a key left out."""
        votes = {key: value.strip() for key, value in zip(VOTES, self.votes, strict=True) if value.strip()}
        return {
            "title": self.title.strip(),
            "date": self.date.strip(),
            "kind": self.kind,
            "projects": list(self.projects),
            "source": self.source.strip() or None,
            "draft": "true" if self.draft else None,
            "votes": votes or None,
        }


@dataclass(frozen=True)
class PostFile:
    """A post as read: its front matter (lines and what they say) and its body."""

    front: tuple[str, ...]
    meta: dict[str, Any]
    body: str


@dataclass(frozen=True)
class Composed:
    text: str
    body_line: int  # the line of the file where the body's first line is


def read(text: str, shown: str) -> PostFile | None:
    """The post, or None when its front matter cannot be read (check says why)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return None
    try:
        meta = yamlsafe.load("\n".join(lines[1:end]), shown, first_line=2)
    except yamlsafe.YamlError:
        return None
    if not isinstance(meta, dict):
        return None
    return PostFile(tuple(lines[1:end]), dict(meta), "\n".join(lines[end + 1 :]).strip("\n"))


def fields(post: PostFile) -> Fields:
    """The form's fields as the post has them."""
    meta = post.meta
    projects = meta.get("projects", [])
    votes = meta.get("votes") if isinstance(meta.get("votes"), dict) else {}
    return Fields(
        title=_text(meta.get("title")),
        date=_text(meta.get("date")),
        kind=_text(meta.get("kind")),
        projects=tuple(projects) if isinstance(projects, list) else (_text(projects),),
        source=_text(meta.get("source")),
        body=post.body,
        votes=tuple(_text(votes.get(key)) for key in VOTES),
        draft=meta.get("draft") in TRUE,
    )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def compose(values: Fields, old: PostFile | None, extra: dict[str, Any] | None = None) -> Composed | None:
    """The post's new text: the owned keys as ``values`` has them, and ``extra``'s (a post's
    attachments, new ones added) as it has them, every other line of ``old`` kept; None when it
    would not read back so."""
    meta = values.meta() | (extra or {})
    owned = (*OWNED, *(extra or {}))
    lines: list[str] = []
    done: set[str] = set()
    for key, block in _entries(old.front if old else ()):
        if key is None or key not in owned:
            lines += block
        elif key not in done:
            lines += _written(key, meta[key])
            done.add(key)
    for key in owned:
        if key not in done:
            lines += _written(key, meta[key])
    body = values.body.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    text = "---\n" + "".join(line + "\n" for line in lines) + "---\n\n" + body + "\n"
    kept = {key: value for key, value in (old.meta if old else {}).items() if key not in owned}
    meant = kept | {key: value for key, value in meta.items() if value is not None}
    back = read(text, "")
    if back is None or back.meta != meant or back.body != body:
        return None
    return Composed(text, len(lines) + 4)


def _written(key: str, value: Any) -> list[str]:
    return [] if value is None else front_matter({key: value}).splitlines()


def _entries(front: tuple[str, ...]) -> list[tuple[str | None, list[str]]]:
    """The front matter's top-level entries: each key with its lines (its value's lines below it)."""
    entries: list[tuple[str | None, list[str]]] = []
    for line in front:
        match = _KEY.match(line)
        if match:
            entries.append((match[1], [line]))
        elif entries:
            entries[-1][1].append(line)
        else:
            entries.append((None, [line]))
    return entries
