"""The parts the search index is made in: the search page names them, write/search.py makes them.

Pagefind holds a whole index in memory until it writes it (~0.45 MB a project page), so past
PAGES_AN_INDEX searchable pages the index is made in parts, one after the other (pagefind/,
then pagefind/part2/, …), which the search page merges. Both sides count the parts here.
"""

from __future__ import annotations

from portal.model import urls

PAGES_AN_INDEX = 1000  # ~0.5 GB of Pagefind's memory at most, whatever the size of the site


def bundles(count: int, size: int = 0) -> list[str]:
    """The index's folders for ``count`` searchable pages: pagefind/, then pagefind/part2/, …"""
    parts = max(1, -(-count // (size or PAGES_AN_INDEX)))
    return [urls.index_part(n) for n in range(1, parts + 1)]
