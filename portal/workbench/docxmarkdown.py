"""mammoth's HTML of a Word document written as a post body in the portal's Markdown.

mammoth emits a small, well-formed set of tags (p, h1-h6, strong, em, a, img, br, ol, ul, li,
table, tr, td, th and a few it leaves as plain text here), so a writer over those tags gives
exact control where mammoth's own Markdown output (deprecated) does not: it escapes nothing, so
a "*" or "<script>" typed in Word would become markup, and it drops tables. Here every piece of
the document's text goes through posttext.markdown_text, so it reaches the page as typed.

Word paragraphs stay paragraphs. 公文 number their parts in the text itself rather than with
Word's numbering, and those numbers become structure: a short paragraph opening with "一、" a
heading (##), with "（一）" a heading one level down (###), one opening with "1." "1、" an item
of a numbered list, with "（1）" an item of a list nested under it. A longer paragraph that opens
with "一、" runs its heading into its text ("一、基本情况。今年以来……") and stays a paragraph.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from portal.forms.posttext import markdown_text
from portal.workbench import docxtables
from portal.workbench.docxhtml import Node, text_of

_PART = re.compile(r"[一二三四五六七八九十]{1,3}、")
_SECTION = re.compile(r"[（(][一二三四五六七八九十]{1,3}[）)]")
_ITEM = re.compile(r"(\d{1,3})[.．、](?!\d)")
_SUBITEM = re.compile(r"[（(](\d{1,3})[）)]")
_SENTENCE = re.compile(r"[。！？；!?;]")
HEADING_CHARS = 40  # longer than a heading: the heading runs into its paragraph
_LEVELS = {"h1": 2, "h2": 3}  # Word's Heading 1 and 2 under the page's own <h1>; the rest one lower
_CONTROLS = re.compile(r"[\t\n\r\f\v]+")
_ALT = str.maketrans({c: f"&#{ord(c)};" for c in "&<>[]\\|`*_"})  # what Markdown would read in alt text
_URL_SAFE = "/:?#@!$&+,;=%~*"  # kept in a link's address; anything else Markdown might read, percent-encoded
_NOTE_REFS = ("#footnote-ref-", "#endnote-ref-")  # mammoth's "↑" back from a note to its reference


class Writer:
    """Blocks of Markdown, written one after another; notes for the editor on the way."""

    def __init__(self) -> None:
        self.blocks: list[tuple[str, str]] = []  # (kind, Markdown): p, h, ol, ul, table
        self.notes: list[str] = []
        self.title = ""
        self.numbered = {"h": 0, "ol": 0}  # paragraphs whose 公文 numbers became headings, list items
        self._top = ""  # what the open numbered list's items open with: "1." or "(1)"

    def body(self) -> str:
        """The blocks, a blank line between each two; a list's items, and two lists of one kind
        that follow each other (Markdown would make them one loose list), one a line."""
        out = ""
        for index, (kind, text) in enumerate(self.blocks):
            joined = index and kind in ("ol", "ul") and self.blocks[index - 1][0] == kind
            out += ("\n" if joined else "\n\n" if index else "") + text
        return out

    def write(self, nodes: list[Node | str]) -> None:
        for node in nodes:
            if isinstance(node, str):
                if node.strip():
                    self._paragraph([node])
            elif node.tag == "p" and node.attrs.get("class") == "title" and not self.title and not _pictured(node):
                self.title = " ".join(text_of(node.children).split())
            elif node.tag == "p":
                self._paragraph(node.children)
            elif re.fullmatch(r"h[1-6]", node.tag):
                self._heading(_LEVELS.get(node.tag, 4), node.children)
            elif node.tag in ("ol", "ul"):
                self._add(node.tag, "\n".join(self._list(node, 0)))
                self._top = "word"
            elif node.tag == "table":
                self._table(node)
            else:
                self.write(node.children)

    def _add(self, kind: str, text: str) -> None:
        if text:
            self.blocks.append((kind, text))
            self._top = self._top if kind == "ol" else ""

    def _heading(self, level: int, nodes: list[Node | str]) -> None:
        text = self._line(nodes, plain=True)
        if text:  # a "#" at its end would be read as a closing mark and dropped
            self._add("h", "#" * level + " " + re.sub(r"#+$", lambda marks: "\\#" * len(marks[0]), text))

    def _paragraph(self, nodes: list[Node | str]) -> None:
        text = text_of(nodes)
        start = text.lstrip()
        lead = len(text) - len(start)
        short = len(start) <= HEADING_CHARS and not _SENTENCE.search(start[:-1])
        if short and (_PART.match(start) or _SECTION.match(start)):
            self.numbered["h"] += 1
            self._heading(2 if _PART.match(start) else 3, nodes)
        elif item := _ITEM.match(start) or _SUBITEM.match(start):
            self.numbered["ol"] += 1
            self._item(item, _drop(nodes, lead + item.end()))
        else:
            self._add("p", self._line(nodes))

    def _item(self, item: re.Match[str], nodes: list[Node | str]) -> None:
        """An item of a numbered list; a "（1）" item nested under the "1." item before it."""
        sub = item.re is _SUBITEM
        nested = sub and self.blocks[-1:] and self.blocks[-1][0] == "ol" and self._top != "(1)"
        indent = "    " if nested else ""
        self._add("ol", f"{indent}{int(item.group(1))}. {self._line(nodes)}")
        self._top = self._top if nested else "(1)" if sub else "1."

    def _list(self, node: Node, depth: int) -> list[str]:
        """A list Word numbered or bulleted itself, as mammoth nests it."""
        lines: list[str] = []
        items = [item for item in node.children if isinstance(item, Node) and item.tag == "li"]
        for number, item in enumerate(items, start=1):
            inner = [c for c in item.children if not (isinstance(c, Node) and c.tag in ("ol", "ul"))]
            marker = f"{number}." if node.tag == "ol" else "-"
            lines.append(f"{'    ' * depth}{marker} {self._line(inner)}")
            for sub in item.children:
                if isinstance(sub, Node) and sub.tag in ("ol", "ul"):
                    lines += self._list(sub, depth + 1)
        return lines

    def _line(self, nodes: list[Node | str], plain: bool = False) -> str:
        """The nodes as one line of Markdown that begins a line (a paragraph, heading or item)."""
        text = text_of(nodes)
        return self.inline(_drop(nodes, len(text) - len(text.lstrip())), plain, start=True).strip()

    def _table(self, node: Node) -> None:
        table = docxtables.Table(self.inline)
        self._add("table", table.markdown(node))
        self.notes += table.notes

    def inline(self, nodes: list[Node | str], plain: bool = False, start: bool = False) -> str:
        """Text as text, bold and italic kept, links to the web kept; a heading's or title's
        (plain) keeps only the text and pictures. ``start``: the nodes begin a Markdown line."""
        out: list[str] = []
        for node in nodes:
            first = start and not any(out)
            if isinstance(node, str):
                out.append(_escaped(_CONTROLS.sub(" ", node), first))
            elif node.tag == "img":
                src = node.attrs.get("src", "")
                out.append(f"![{node.attrs.get('alt', '').translate(_ALT)}]({src})" if src else "")
            elif node.tag == "br":
                out.append(" " if plain else "<br>")
            elif plain or node.tag not in ("strong", "em", "a"):
                out.append(self.inline(node.children, plain, first))
            elif node.tag == "a":
                out.append(self._link(node))
            else:
                out.append(_wrap("**" if node.tag == "strong" else "*", self.inline(node.children)))
        return "".join(out)

    def _link(self, node: Node) -> str:
        href = node.attrs.get("href", "").strip()
        if href.startswith(_NOTE_REFS):
            return ""
        text, url = self.inline(node.children), _web(href)
        if url is None and href and not href.startswith("#"):  # a bookmark in the document: text, no note
            self.notes.append("文档中指向本机文件等非网址的链接已改为普通文字")
        return f"[{text}]({url})" if url and text.strip() else text


def _escaped(text: str, line_start: bool) -> str:
    """The text as Markdown that shows exactly it (posttext.markdown_text); what Markdown reads
    only at a line's start ("# ", "1. ", "- ") escaped only there. A "!" at its end is escaped
    too: a link may follow, and "![" opens a picture."""
    escaped = markdown_text(text) if line_start else markdown_text("x" + text)[1:]  # "x": not a line start
    return escaped[:-1] + "\\!" if escaped.endswith("!") else escaped


def _web(href: str) -> str | None:
    """A link's address as Markdown may hold it, when it leads to the web or to an email address."""
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if (scheme in ("http", "https") and parts.netloc) or (scheme == "mailto" and parts.path):
        return quote(href, safe=_URL_SAFE)
    return None


def _pictured(node: Node) -> bool:
    return any(isinstance(c, Node) and (c.tag == "img" or _pictured(c)) for c in node.children)


def _wrap(mark: str, inner: str) -> str:
    """Bold or italic around text, the white space at its ends kept outside (Markdown needs it so)."""
    core = inner.strip()
    if not core:
        return inner
    return inner[: len(inner) - len(inner.lstrip())] + mark + core + mark + inner[len(inner.rstrip()) :]


def _drop(nodes: list[Node | str], count: int) -> list[Node | str]:
    """The nodes without their first ``count`` characters of text (a list item's number)."""
    kept: list[Node | str] = []
    for node in nodes:
        size = len(text_of([node]))
        if count <= 0:
            kept.append(node)
        elif size > count:
            kept.append(
                node[count:] if isinstance(node, str) else Node(node.tag, node.attrs, _drop(node.children, count))
            )
        count -= size
    return kept
