"""Every address the site has, made here and nowhere else.

The records' ``url`` properties, the pages' output paths, the templates' links (``urls`` and
``address`` in render/environment.py's context), the feeds', the QR codes' and the open data's
addresses all come from these functions, so a page and every link to it cannot disagree (the
URLs themselves are part of the content-format contract).

A URL here is site-relative, without a leading slash ("projects/2020-01/"); a page's URL ends
in "/" and the page is written to its index.html. ``linker`` makes the links pages show
(under base_url, percent-encoded); ``address`` the absolute ones of share cards and QR codes,
``encoded_address`` those of the feeds and the sitemap.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache
from typing import Protocol
from urllib.parse import quote

HOME = ""
ABOUT = "about/"
SEARCH = "search/"
PROJECTS = "projects/"
YEARS = "years/"
UNITS = "units/"
LEADERS = "leaders/"
UPDATES = "updates/"
KINDS = "kinds/"
ARCHIVE = "archive/"  # the year pages of updates/ (a post may be named updates/2020.md)
REPORTS = "reports/"
DEPUTIES = "deputies/"
NOT_FOUND = "404.html"
INDEX = "index.html"  # the file a page's URL is written to
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
DATA = "data/"
DATAPACKAGE = f"{DATA}datapackage.json"


def page_file(url: str) -> str:
    """Where the page at a URL is written, under the output folder."""
    return url + INDEX


def project(project_id: str) -> str:
    return f"{PROJECTS}{project_id}/"


def update(slug: str) -> str:
    return f"{UPDATES}{slug}/"


def month(period: str) -> str:
    """A reporting month's table, ``period`` as "YYYY-MM"."""
    return f"{REPORTS}{period}/"


def year(number: int) -> str:
    return f"{YEARS}{number}/"


def deputies(number: int) -> str:
    return f"{DEPUTIES}{number}/"


def group(kind: str, name: str = "") -> str:
    """The list of lead units (``kind`` "units") or leaders ("leaders"), or one's page."""
    return f"{kind}/{name}/" if name else f"{kind}/"


def unit(name: str) -> str:
    return group("units", name)


def leader(name: str) -> str:
    return group("leaders", name)


def facet(name: str, value: str) -> str:
    """The list of the projects one filter option chooses: projects/level/区级/, projects/voted/."""
    return f"{PROJECTS}voted/" if name == "voted" else f"{PROJECTS}{name}/{value}/"


def kind(name: str) -> str:
    """The newest posts of one kind (news, notice…)."""
    return f"{KINDS}{name}/"


def posts(of_kind: str | None) -> str:
    """The newest posts of a kind, or of every kind (``of_kind`` None)."""
    return UPDATES if of_kind is None else kind(of_kind)


def posts_of_year(of_kind: str | None, number: int) -> str:
    """One year of a kind's posts, or of every kind's (``of_kind`` None)."""
    return f"{ARCHIVE}{number}/" if of_kind is None else f"{kind(of_kind)}{number}/"


def feed(url: str) -> str:
    """The Atom feed beside a page: a project's, a unit's."""
    return url + FEED


def qr(url: str) -> str:
    """The QR code of a page's address, beside it."""
    return url + "qr.svg"


def photo(url: str, name: str) -> str:
    """A post's photo, published beside its page (a body links it by its name alone)."""
    return url + name


def attachment(url: str, name: str) -> str:
    """A post's attachment, published beside its page under its own file name."""
    return url + name


def index_part(number: int) -> str:
    """The folder of the search index's part ``number`` (from 1): pagefind/, pagefind/part2/, …"""
    return "pagefind/" if number == 1 else f"pagefind/part{number}/"


def data_file(name: str) -> str:
    """An open data table, as the data package names it (beside datapackage.json)."""
    return f"{name}.csv"


def data(name: str) -> str:
    return DATA + data_file(name)


def linker(base_url: str) -> Callable[..., str]:
    """The links of a page: a site-relative URL under base_url, each segment percent-encoded."""

    @cache
    def url(path: str = HOME) -> str:
        return base_url + quote(path, safe="/#?=&")

    return url


class Site(Protocol):
    """Where the site is published (site.yaml)."""

    @property
    def site_url(self) -> str: ...  # scheme and host, no trailing slash

    @property
    def base_url(self) -> str: ...  # begins and ends with "/"


def address(site: Site, path: str) -> str:
    """A site-relative path as an absolute address, as it is written: a share card's, a QR code's."""
    return site.site_url + site.base_url + path


def encoded_address(site: Site, path: str) -> str:
    """An absolute address with the path percent-encoded: a feed's and the sitemap's."""
    return address(site, _quoted(path))


@lru_cache(maxsize=1 << 17)
def _quoted(path: str) -> str:
    """A path percent-encoded, kept: the preview's sitemap encodes every page's at each save."""
    return quote(path)
