"""The parts the search index is made in: the search page names them, write/search.py makes them.

Pagefind holds a whole index in memory until it writes it (~0.45 MB a project page), and a
change to one page means indexing its whole part again. So the searchable pages are split by
year, a pure function of which pages there are (a whole build and an incremental one split them
alike): the newest year's pages, where new posts and monthly reports land, in parts of at most
NEWEST_PART pages (one changed page costs Pagefind ~0.5 s, not the whole index's seconds); the
older years, which rarely change, packed whole in order into parts of ``older_size`` pages.

Each part costs every reader: the search page merges them, each an index Pagefind fetches the
entry and metadata of before it can answer (static/js/search.js merges them at once; they share
the first part's WebAssembly). bench/searchpage.py on a slow phone: 5.0 s to the first result
with 4 parts, 5.5 s with 7 at 4,000 posts; 5.5 s with 8 at 16,000 (when the parts were merged
one after the other: 5.9, 6.9, 7.4 s). So the older parts grow with the site, to at most OLDER_PARTS of
them, between PAGES_AN_INDEX and MOST_PAGES pages: an edit of an old post costs more on a large
site (its part is bigger), a search costs every reader less. The parts are pagefind/,
pagefind/part2/, …; the search page merges them.
"""

from __future__ import annotations

from itertools import groupby

from portal.model import urls

PAGES_AN_INDEX = 250  # an older part at least: ~0.1 GB of Pagefind's memory, ~0.75 s to index again
MOST_PAGES = 600  # an older part at most: Pagefind's memory for one part stays well under 1 GB
OLDER_PARTS = 6  # the older parts a site has, where their size allows
NEWEST_PART = 100  # the newest year's parts: what one new post or report costs to index again

Part = tuple[str, tuple[str, ...]]  # a part's folder and the pages (site-relative paths) it indexes


def plan(pages: list[tuple[int, str]]) -> list[Part]:
    """The parts for the searchable pages, each given as (year, path)."""
    ordered = sorted(pages)
    years = [(year, [path for _, path in group]) for year, group in groupby(ordered, key=lambda page: page[0])]
    size = older_size(sum(len(paths) for _, paths in years[:-1]))
    chunks: list[list[str]] = []
    for _, paths in years[:-1]:
        for start in range(0, len(paths), size):
            piece = paths[start : start + size]
            if chunks and len(chunks[-1]) + len(piece) <= size and start == 0:
                chunks[-1].extend(piece)
            else:
                chunks.append(list(piece))
    for _, paths in years[-1:]:
        chunks += [paths[start : start + NEWEST_PART] for start in range(0, len(paths), NEWEST_PART)]
    chunks = chunks or [[]]
    return [(urls.index_part(n), tuple(chunk)) for n, chunk in enumerate(chunks, start=1)]


def older_size(older: int) -> int:
    """The pages an older part holds at most, for this many pages in the older years."""
    return min(max(PAGES_AN_INDEX, -(-older // OLDER_PARTS)), MOST_PAGES)


def folders(pages: list[tuple[int, str]]) -> list[str]:
    """The index's folders for these searchable pages: pagefind/, then pagefind/part2/, …"""
    return [folder for folder, _ in plan(pages)]
