"""Markdown to safe HTML: one reused Markdown instance, its output sanitised by nh3.

Python-Markdown recurses once a level of nested lists, scans from each open bracket to the end
of its paragraph and splits a paragraph a line at a time, so a body is first measured (refusal)
and refused when it nests, runs on or leaves open more than limits.py allows: no post can hang
a build or exhaust the stack.
"""

from __future__ import annotations

import html
import re
from multiprocessing.pool import Pool
from pathlib import Path

import markdown
import nh3

from portal import cache, cores
from portal.limits import MAX_LINES, MAX_MARKS, MAX_NESTING, MAX_OPEN

_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "abbr": {"title"},
    "ol": {"start"},
}
_SCHEMES = {"http", "https", "mailto", "tel"}
_md = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"], output_format="html")
_TAG = re.compile(r"<[^>]+>")


# A line's leading list markers and quote marks ("- 1. > x"), each a level deeper.
_LEADING_MARKERS = re.compile(r"(?:[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))+")
_MARKER = re.compile(r">|[-*+]|\d{1,9}[.)]")
_RULE = re.compile(r" {0,3}(?:(?:-[ ]{0,2}){3,}|(?:_[ ]{0,2}){3,}|(?:\*[ ]{0,2}){3,}) *")  # "- - -": a line
_MARKS = "*_`[!<&\\"  # where an inline pattern may match: each match costs the rest of its paragraph
_OPENERS = re.compile(r"[][()>]|<[A-Za-z/!?]|`+")  # brackets, tags, code marks: what a scan starts from


def refusal(text: str) -> tuple[int, str] | None:
    """Why Python-Markdown must not see this body, and at which of its lines (from 0): lists or
    quotes nested deeper, paragraphs longer, or brackets, tags and code marks left open more, than
    limits.py allows."""
    lines = marks = square = paren = ticks = 0  # in this paragraph: parsing never crosses a blank line
    angle = 0  # tags begun since the last ">", in the whole body: its HTML parser scans the body
    for number, line in enumerate(text.split("\n")):
        if not line.strip():
            lines = marks = square = paren = ticks = 0
            continue
        lines += 1
        if lines > MAX_LINES:
            return number, f"一段的行数过多（超过 {MAX_LINES} 行）：请用空行分段"
        if _nesting(line) > MAX_NESTING:
            return number, f"列表或引用嵌套过深（超过 {MAX_NESTING} 层）：请减少层级"
        for match in _OPENERS.finditer(line):
            mark = match.group()
            if mark == "[":
                square += 1
            elif mark == "]":
                square = max(0, square - 1)
            elif mark == "(":
                paren += 1
            elif mark == ")":
                paren = max(0, paren - 1)
            elif mark == ">":
                angle = 0
            elif mark[0] == "<":
                angle += 1
            else:
                ticks += 1
            if max(square, paren, angle) > MAX_OPEN:
                return number, f"没有配对的“{mark[0]}”过多（超过 {MAX_OPEN} 个）：请检查是否成对，或删去多余的"
            if ticks > MAX_OPEN:
                return number, f"同一段中的反引号“`”过多（超过 {MAX_OPEN} 处）：请分段，或删去多余的反引号"
        marks += sum(map(line.count, _MARKS))
        if marks > MAX_MARKS:
            return number, f"一段中的 Markdown 符号（{' '.join(_MARKS)}）过多（超过 {MAX_MARKS} 个）：请用空行分段"
    return None


def _nesting(line: str) -> int:
    """How deep a line's lists and quotes nest: a level a marker and a level four spaces."""
    prefix = _LEADING_MARKERS.match(line)
    if prefix is None or _RULE.fullmatch(line):
        return 0
    marks = prefix.group()
    return len(_MARKER.findall(marks)) + (marks.count(" ") + 4 * marks.count("\t")) // 4


_PREPARED: dict[str, str] = {}  # bodies rendered ahead by prepare(), each taken once by render()
PARALLEL_FROM = 200  # bodies; fewer are not worth a second process


def render(text: str) -> str:
    """Markdown body → sanitised HTML: no script, handler or dangerous URL survives."""
    return cache.cached("markdown", Path(__file__), text, _render)


def prepare(texts: list[str], jobs: int) -> None:
    """Render many bodies across ``jobs`` processes ahead of render() (Markdown is a cold
    build's largest cost in Python); what the cache holds already is left to it."""
    todo = _todo(texts)
    if jobs <= 1 or len(todo) < PARALLEL_FROM or not cores.can_fork():
        return
    with cores.pool(jobs) as workers:
        Rendering(workers, jobs, todo).finish()


def prepare_async(workers: Pool, jobs: int, texts: list[str]) -> Rendering:
    """prepare() on the caller's pool of ``jobs`` workers, while the caller goes on."""
    return Rendering(workers, jobs, _todo(texts))


class Rendering:
    """Bodies being rendered by a pool's workers; finish() waits and makes them ready."""

    def __init__(self, workers: Pool, jobs: int, todo: list[str]):
        self.todo = todo
        self.result = workers.map_async(_convert, todo, chunksize=max(1, len(todo) // (4 * jobs)))

    def finish(self) -> None:
        _PREPARED.update(zip(self.todo, self.result.get(), strict=True))


def _todo(texts: list[str]) -> list[str]:
    """The distinct bodies the cache does not hold, in a stable order."""
    return sorted({t for t in texts if not cache.holds("markdown", Path(__file__), t)})


def forget_prepared() -> None:
    _PREPARED.clear()


def _render(text: str) -> str:
    prepared = _PREPARED.pop(text, None)
    return prepared if prepared is not None else _convert(text)


def _convert(text: str) -> str:
    _md.reset()
    raw = _md.convert(text)
    # Headings in a post start below the page's own <h1>.
    raw = re.sub(r"<(/?)h1(\W)", r"<\1h2\2", raw)
    return nh3.clean(
        raw,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_HEADING = re.compile(r"<(/?)h([1-6])\b")


def headings_under(html_text: str, level: int) -> str:
    """A rendered body shown under a heading of the given level elsewhere (a report on its
    project's page): its headings, which start at <h2>, start at <h{level + 1}>, none past <h6>."""
    shift = level - 1
    return _HEADING.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + shift)}", html_text)


def plain(html_text: str) -> str:
    """The text of sanitised HTML, white space folded: for summaries and search."""
    return " ".join(html.unescape(_TAG.sub(" ", html_text)).split())


def summary(html_text: str, limit: int = 120) -> str:
    text = plain(html_text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
