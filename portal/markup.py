"""Markdown to safe HTML: one reused Markdown instance, its output sanitised by nh3."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown
import nh3

from . import cache

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


def render(text: str) -> str:
    """Markdown body → sanitised HTML: no script, handler or dangerous URL survives."""
    return cache.cached("markdown", Path(__file__), text, _render)


def _render(text: str) -> str:
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


def plain(html_text: str) -> str:
    """The text of sanitised HTML, white space folded: for summaries and search."""
    return " ".join(html.unescape(_TAG.sub(" ", html_text)).split())


def summary(html_text: str, limit: int = 120) -> str:
    text = plain(html_text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
