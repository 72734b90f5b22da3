"""mammoth's HTML read back into a tree of nodes, for the Markdown writer to walk.

mammoth writes the HTML itself, well-formed and escaped, from the elements it knows; the
standard library's parser is enough to read it (entities decoded, text as text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass(frozen=True)
class Node:
    """An element: its tag, attributes, and children (elements and text) in order."""

    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open = [Node("body", {})]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.open[-1].children.append(node)
        if tag not in ("img", "br"):
            self.open.append(node)

    def handle_endtag(self, tag: str) -> None:
        depth = next((i for i in range(len(self.open) - 1, 0, -1) if self.open[i].tag == tag), None)
        if depth is not None:
            del self.open[depth:]

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def tree(html: str) -> Node:
    parser = _Tree()
    parser.feed(html)
    parser.close()
    return parser.open[0]


def text_of(nodes: list[Node | str]) -> str:
    """The text of the nodes, as a reader sees it (pictures and breaks are none)."""
    return "".join(n if isinstance(n, str) else text_of(n.children) for n in nodes)
