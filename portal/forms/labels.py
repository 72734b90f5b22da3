"""The monthly progress form (附件2): ``form export`` and ``form import``.

The notice asks every lead unit to fill the four columns 序号, 项目名称, 目标任务 and
推进情况（截至 X 月底） each month. ``form export`` writes that form prefilled, with the portal's
own columns to the right of the four (自评状态, one row a measurable indicator with last month's
value beside this month's, 报送日期); ``form import`` reads it back, or the plain four-column
form as units already fill it in, and writes one report post a project a month.

This module holds what both directions share: the column labels, the title, and how a label or
a project name is compared (white space, quotes and bracket widths do not matter).
"""

from __future__ import annotations

import unicodedata

from portal.model.records import STATUSES, Project

SEQ = "序号"
NAME = "项目名称"
TARGET = "目标任务"
PROGRESS = "推进情况"
STATUS = "自评状态"
INDICATOR = "指标名称（单位）"
GOAL = "目标值"
LAST = "上月值"
VALUE = "本月值"
SUBMITTED = "报送日期"
INDICATOR_ID = "指标编号"
NO_INDICATOR = "（无量化指标）"
# Under the table, one row each: a label cell, then the cell to fill. The notice sends 附件2
# "经单位主要负责人审核后"; the approver is kept as the report's reviewed_by, the other two
# are for the commission's questions only: never written to content/ nor published.
FILLER = "填报人"
PHONE = "联系电话"
REVIEWER = "审核人（单位主要负责人）"
FOOTER = (FILLER, PHONE, REVIEWER)

STATUS_LABELS = {label: key for key, label in STATUSES.items()}

_QUOTES = str.maketrans({c: '"' for c in "“”‘’'＂＇"})


def filer(project: Project) -> str:
    """The unit that files a project's monthly report: the first-listed 牵头单位 (a co-led
    project is reported once, by it; the other lead units see it on their forms as
    由<unit>汇总填报)."""
    return project.units[0]


def canonical(text: object) -> str:
    """A label or name as compared: NFKC (full-width brackets and digits become half-width),
    no white space at all, and every kind of quote the same."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text)).translate(_QUOTES)
    return "".join(folded.split())


def title(year: int) -> str:
    """The form's title row, as the notice words it (the district's name is the unit's to add)."""
    return f"{year}年重点民生实事工作目标任务推进落实情况表"


def progress_header(month: int) -> str:
    return f"{PROGRESS}（截至{month}月底）"
