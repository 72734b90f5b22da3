"""Feeds for readers and crawlers: Atom (feed.xml), sitemap.xml and robots.txt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from xml.sax.saxutils import escape, quoteattr

from .portfolio import Portfolio
from .render import pages


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"


def atom(p: Portfolio) -> str:
    """Every published post, newest first; ids and links absolute, dates from content only."""
    c = p.config
    updated = p.updates[0].date if p.updates else (p.as_of_date or dt.date(1970, 1, 1))
    entries = []
    for u in p.updates:
        link = c.absolute(u.url)
        categories = "".join(f"<category term={quoteattr(pid)}/>" for pid in u.projects)
        entries.append(
            "<entry>"
            f"<title>{escape(u.title)}</title>"
            f"<id>{escape(link)}</id>"
            f'<link rel="alternate" type="text/html" href={quoteattr(link)}/>'
            f"<updated>{_stamp(u.date)}</updated>"
            f"<published>{_stamp(u.date)}</published>"
            f"<author><name>{escape(u.source_unit or c.publisher)}</name></author>"
            f"<category term={quoteattr(u.kind)} label={quoteattr(u.kind_label)}/>{categories}"
            f"<summary>{escape(u.summary)}</summary>"
            f'<content type="html">{escape(u.body_html)}</content>'
            "</entry>"
        )
    home = c.absolute("")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(c.language)}>'
        f"<title>{escape(c.title)}</title>"
        f"<id>{escape(home)}</id>"
        f'<link rel="alternate" type="text/html" href={quoteattr(home)}/>'
        f'<link rel="self" type="application/atom+xml" href={quoteattr(c.absolute("feed.xml"))}/>'
        f"<updated>{_stamp(updated)}</updated>"
        f"<author><name>{escape(c.publisher)}</name></author>" + "".join(entries) + "</feed>\n"
    )


def sitemap(p: Portfolio) -> str:
    from urllib.parse import quote

    urls = sorted(p.config.absolute(quote(page.url)) for page in pages(p) if page.path != "404.html")
    body = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in urls)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>\n'
    )


def robots(p: Portfolio) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {p.config.absolute('sitemap.xml')}\n"


def files(p: Portfolio) -> Iterator[tuple[str, str]]:
    yield "feed.xml", atom(p)
    yield "sitemap.xml", sitemap(p)
    yield "robots.txt", robots(p)
