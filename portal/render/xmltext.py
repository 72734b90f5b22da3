"""Text and attribute values for the XML we write by hand (feeds, charts): what
xml.sax.saxutils's escape and quoteattr do, without importing it (it imports urllib.request:
50 ms of every build's start, a partial build's included)."""

from __future__ import annotations


def escape(data: str, entities: dict[str, str] | None = None) -> str:
    """&, < and > escaped, then each of ``entities`` replaced (saxutils.escape)."""
    data = data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for key, value in (entities or {}).items():
        data = data.replace(key, value)
    return data


def quoteattr(data: str) -> str:
    """An attribute value with its quotes (saxutils.quoteattr): double quotes unless the value
    holds one and no single quote; line ends and tabs as character references."""
    data = escape(data, {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
    if '"' in data:
        if "'" in data:
            return '"{}"'.format(data.replace('"', "&quot;"))
        return f"'{data}'"
    return f'"{data}"'
