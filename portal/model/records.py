"""The records the site is made of: frozen, typed, each knowing its own URL.

Loading (``portal/load/``) makes them from content; ``progress.py`` derives what the portal computes
(progress, verdicts, compliance); ``portfolio.py`` puts them together for the templates.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from functools import cached_property
from typing import Any

from portal import files
from portal.model import urls
from portal.model.site import SiteConfig

KINDS = {
    "report": "月度推进情况",
    "news": "新闻动态",
    "inspection": "督查抽查",
    "bulletin": "通报",
    "assessment": "年终考核",
    "evaluation": "满意度测评",
    "notice": "通知公告",
}
LEVELS = ("市级", "市（区）级", "区级")
STATUSES = {"not_started": "未启动", "on_track": "序时推进", "lagging": "滞后", "done": "已完成"}
VERDICTS = {"done": "已完成", "on_schedule": "按序时", "behind": "滞后", "no_data": "无数据"}
COMPLIANCE = {"on_time": "按时报送", "late": "逾期报送", "missing": "未报送"}
RESULTS = {"satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意"}
MEASURES = {"cumulative": "累计完成", "level": "保持水平"}

# What content may say, checked in one place. The schemas say the same for frictionless (their
# date bounds and period patterns; tests/test_validation.py keeps them equal to these).
YEARS = range(2000, 2100)  # of periods, dates and project lists: outside it is a typo (and 9999-12 has no next month)
MAX_DIGITS = 15  # of a number: Excel keeps 15 significant digits, so a longer one was not typed by a clerk
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_INTEGER = re.compile(r"[0-9]+")
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_BLANK = " \t\r\n\ufeff"  # around a cell, once NFKC has made full-width and no-break spaces plain


def check_year(year: int) -> int:
    """The year, or ValueError (the reason in Chinese) when content cannot mean it."""
    if year not in YEARS:
        raise ValueError(f"年份应在 {YEARS[0]}–{YEARS[-1]} 之间")
    return year


def parse_integer(text: str) -> int:
    """A whole number as a clerk writes it (full-width digits read), or ValueError (the reason in
    Chinese): never int() of thousands of digits."""
    text = unicodedata.normalize("NFKC", text).strip(_BLANK)
    if not _INTEGER.fullmatch(text):
        raise ValueError("应为整数，如 12")
    if len(text.lstrip("0")) > MAX_DIGITS:
        raise ValueError(f"位数太多（最多 {MAX_DIGITS} 位）")
    return int(text)


def parse_number(text: object) -> Decimal:
    """A plain number as a clerk writes it (full-width digits read; 约100, 1,180 and 100台 are not
    numbers), or ValueError (the reason in Chinese)."""
    text = unicodedata.normalize("NFKC", text).strip(_BLANK) if isinstance(text, str) else ""
    if not _NUMBER.fullmatch(text):
        raise ValueError("不是数字：只写数字，如 12 或 6.5")
    if sum(c.isdigit() for c in text.lstrip("+-0.")) > MAX_DIGITS:
        raise ValueError(f"位数太多（最多 {MAX_DIGITS} 位有效数字）")
    return Decimal(text)


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """A month written YYYY-MM (2020-06), or ValueError (the reason in Chinese, for callers to
        locate): the one way content, site.yaml and the command line name a month."""
        match = _MONTH.fullmatch(unicodedata.normalize("NFKC", text).strip())
        if match is None:
            raise ValueError("应写成 YYYY-MM，如 2020-06")
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError("月份应为 01–12")
        return cls(check_year(year), month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def last_day(self) -> dt.date:
        return self.next().first_day() - dt.timedelta(days=1)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def day(self, day: int) -> dt.date:
        """The given day of this month, or its last day when the month is shorter."""
        return min(dt.date(self.year, self.month, 1) + dt.timedelta(days=day - 1), self.last_day())

    @property
    def url(self) -> str:
        return urls.month(str(self))


@dataclass(frozen=True)
class Source:
    """Where a record was written: shown in messages and on the about page."""

    path: str
    line: int


@dataclass(frozen=True)
class Project:
    id: str
    year: int
    seq: int
    name: str
    target: str
    leaders: tuple[str, ...]
    units: tuple[str, ...]
    level: str
    voted: bool
    category: str
    source: Source

    @property
    def url(self) -> str:
        return urls.project(self.id)


@dataclass(frozen=True)
class Indicator:
    project: str
    id: str
    name: str
    target: Decimal
    unit: str
    measure: str  # cumulative | level
    direction: str  # at_least | at_most
    source: Source


@dataclass(frozen=True)
class Votes:
    satisfied: int
    basically_satisfied: int
    dissatisfied: int
    abstained: int

    @property
    def total(self) -> int:
        return self.satisfied + self.basically_satisfied + self.dissatisfied + self.abstained


@dataclass(frozen=True)
class Before:
    """What a post said before a correction: only the fields the correction recorded
    (None, or no value, where it recorded nothing)."""

    title: str | None = None
    body: str | None = None  # the Markdown source as it was
    status: str | None = None
    values: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Revision:
    """One correction of a published post, as its front matter's ``revisions`` records it."""

    date: dt.date
    reason: str = ""
    before: Before = field(default_factory=Before)


@dataclass(frozen=True)
class Attachment:
    """A file published beside its post for readers to download (an acceptance certificate, an
    inspection report), byte for byte as it lies beside the post."""

    file: str  # its name, beside the post and under the post's address
    title: str
    size: int  # in bytes, as found when the post was read
    url: str  # urls.attachment
    source: str  # the path it is read from

    @property
    def type_label(self) -> str:
        """Its type as a reader knows it: PDF, DOCX, JPG…"""
        suffix = self.file.rsplit(".", 1)[-1].upper()
        return "JPG" if suffix == "JPEG" else suffix

    @property
    def size_label(self) -> str:
        """Its size rounded up, as files.megabytes counts: 860 KB below a megabyte, else 1.2 MB."""
        kilobytes = math.ceil(self.size / 1000)
        return f"{kilobytes} KB" if kilobytes < 1000 else files.megabytes(self.size)

    @property
    def label(self) -> str:
        """As the page lists it: 验收报告（PDF，1.2 MB）."""
        return f"{self.title}（{self.type_label}，{self.size_label}）"


@dataclass(frozen=True)
class Update:
    """One post under content/updates/: a monthly report, news, inspection, evaluation…"""

    slug: str  # its path under updates/ without ".md", e.g. "reports/2020-06/2020-04"
    title: str
    date: dt.date
    kind: str
    projects: tuple[str, ...]
    source_unit: str
    body_html: str
    summary: str
    source: Source
    document_number: str = ""
    photos: tuple[Any, ...] = ()  # images.Photo: resized and published beside the post
    attachments: tuple[Attachment, ...] = ()  # published beside the post, listed as 附件
    revisions: tuple[Revision, ...] = ()  # its corrections, oldest first
    body: str = ""  # the Markdown source, kept only when a correction records an older body
    draft: bool = False  # shown only in the preview (build.py serve), never published
    # kind: report
    period: Month | None = None
    submitted: dt.date | None = None
    status: str | None = None
    values: Mapping[str, Decimal] = field(default_factory=dict)
    reviewed_by: str = ""  # 审核人: who approved the report
    # kind: evaluation
    votes: Votes | None = None

    def __eq__(self, other: object) -> bool:
        """Field by field, as a dataclass compares, but the very same record at once: a rebuild
        compares every post's record with its last one, nearly all of them kept as they were."""
        if self is other:
            return True
        if other.__class__ is not self.__class__:
            return NotImplemented
        return tuple(getattr(self, n) for n in _UPDATE_FIELDS) == tuple(getattr(other, n) for n in _UPDATE_FIELDS)

    @cached_property
    def url(self) -> str:  # kept: a rebuild lists every post's page
        return urls.update(self.slug)

    @property
    def searchable(self) -> bool:
        """In the search index: every post but a monthly report, which its project's page shows
        month by month (one search result a project, not twelve near-identical ones)."""
        return self.kind != "report"

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


_UPDATE_FIELDS = tuple(f.name for f in fields(Update))


@dataclass(frozen=True)
class Content:
    """Everything content/ says, validated. Drafts are read and checked, never published."""

    config: SiteConfig
    projects: tuple[Project, ...]
    indicators: tuple[Indicator, ...]
    updates: tuple[Update, ...]
