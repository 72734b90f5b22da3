"""The records the site is made of: frozen, typed, each knowing its own URL.

Loading (``load.py``) makes them from content; ``progress.py`` derives what the portal computes
(progress, verdicts, compliance); ``portfolio.py`` puts them together for the templates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from portal.model import urls

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


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        year, month = text.split("-")
        return cls(int(year), int(month))

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

    @property
    def url(self) -> str:
        return urls.update(self.slug)

    @property
    def searchable(self) -> bool:
        """In the search index: every post but a monthly report, which its project's page shows
        month by month (one search result a project, not twelve near-identical ones)."""
        return self.kind != "report"

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]
