"""site.yaml's settings as a record: the site's name and addresses, how reports are dated, and
the duties a government site shows (none of them ever invented: "" when not set)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Contact:
    """site.yaml's ``contact``: how to reach the site's office (each part may be empty)."""

    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class Feedback:
    """site.yaml's ``feedback``: where the public sends views on a project (at least one of
    hotline, email and url is set). The site itself only links to them: nothing posts anywhere."""

    hotline: str = ""
    email: str = ""
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class SiteConfig:
    """site.yaml's keys, validated (load/config.py reads them). The duties of a government site
    (organizer… police_record) are "" when not set: the portal never invents them."""

    title: str
    publisher: str
    site_url: str  # scheme and host, no trailing slash
    base_url: str  # begins and ends with "/"
    language: str
    report_due_day: int
    as_of: dt.date | None = None
    reporting_from: str | None = None
    demo: bool = False
    description: str = ""
    organizer: str = ""  # 主办单位 as written; pages show ``organized_by``
    operator: str = ""  # 承办单位
    contact: Contact = field(default_factory=Contact)
    site_code: str = ""  # 网站标识码
    icp: str = ""  # ICP备案号
    police_record: str = ""  # 公安机关备案号
    gov_badge: str = ""  # the address of the 党政机关网站标识 verification page
    report_errors: str = ""  # the address of the 我为政府网站找错 entrance
    feedback: Feedback | None = None

    @property
    def organized_by(self) -> str:
        """主办单位 as every page shows it: ``organizer``, else the publisher."""
        return self.organizer or self.publisher

    @property
    def domain(self) -> str:
        """The host of site_url (www.ybq.gov.cn), without scheme or port."""
        return urlsplit(self.site_url).hostname or ""
