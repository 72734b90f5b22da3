"""Open data: the same numbers the pages show, as CSV files described by a Data Package.

UTF-8 with a BOM so Excel and WPS open the files; a text cell that starts with = + - @ tab or
CR gets a leading ' so no spreadsheet runs it as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

from portal.model import progress, urls
from portal.model.portfolio import Portfolio
from portal.model.present import number
from portal.model.progress import ProjectState
from portal.model.records import Project
from portal.render.revisions import corrections_of

_FORMULA = ("=", "+", "-", "@", "\t", "\r")

PROJECT_FIELDS = [
    ("id", "string", "编号"),
    ("year", "integer", "年度"),
    ("seq", "integer", "序号"),
    ("name", "string", "项目名称"),
    ("target", "string", "目标任务"),
    ("leaders", "string", "牵头领导"),
    ("units", "string", "牵头单位"),
    ("level", "string", "级别"),
    ("voted", "boolean", "人大票决"),
    ("category", "string", "领域"),
    ("progress", "number", "总体进度（%）"),
    ("verdict", "string", "进度判断"),
    ("as_of", "date", "数据截至"),
]
INDICATOR_FIELDS = [
    ("project", "string", "项目编号"),
    ("id", "string", "指标编号"),
    ("name", "string", "指标"),
    ("target", "number", "目标值"),
    ("unit", "string", "单位"),
    ("measure", "string", "口径"),
    ("direction", "string", "方向"),
    ("value", "number", "完成值"),
    ("progress", "number", "完成进度（%）"),
    ("as_of", "date", "数据截至"),
]
REPORT_FIELDS = [
    ("project", "string", "项目编号"),
    ("period", "string", "截至月份"),
    ("due", "date", "报送截止日"),
    ("submitted", "date", "报送日期"),
    ("compliance", "string", "报送情况"),
    ("status", "string", "自评状态"),
]
EVALUATION_FIELDS = [
    ("project", "string", "项目编号"),
    ("date", "date", "测评日期"),
    ("satisfied", "integer", "满意"),
    ("basically_satisfied", "integer", "基本满意"),
    ("dissatisfied", "integer", "不满意"),
    ("abstained", "integer", "弃权"),
    ("total", "integer", "总票数"),
    ("result", "string", "测评结果"),
]
REVISION_FIELDS = [
    ("project", "string", "项目编号"),
    ("period", "string", "截至月份"),
    ("post", "string", "文章地址"),
    ("date", "date", "更正日期"),
    ("reason", "string", "更正原因"),
    ("field", "string", "更正字段"),
    ("before", "string", "更正前"),
    ("after", "string", "更正后"),
]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA) else value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "normalize"):
        return number(value)
    return str(value)


def _pct(value: Any) -> str | None:
    """Percentages keep their one decimal (75.0, not 75), as the pages show them."""
    return None if value is None else f"{value:.1f}"


def _csv(fields: list[tuple[str, str, str]], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _, _ in fields])
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def tables(p: Portfolio) -> dict[str, tuple[list[tuple[str, str, str]], list[list[Any]]]]:
    projects, indicators, reports = [], [], []
    for pr in sorted(p.projects, key=lambda x: (x.year, x.seq)):
        state = p.state(pr)
        as_of = None
        if state.month is not None:
            as_of = p.as_of_date if state.month == p.as_of else state.month.last_day()
        projects.append(project_row(pr, state, as_of))
        indicators += indicator_rows(p, pr, state, as_of)
        reports += report_rows(p, pr)
    return {
        "projects": (PROJECT_FIELDS, projects),
        "indicators": (INDICATOR_FIELDS, indicators),
        "reports": (REPORT_FIELDS, reports),
        "evaluations": (EVALUATION_FIELDS, evaluation_rows(p)),
        "revisions": (REVISION_FIELDS, revision_rows(p)),
    }


def project_row(pr: Project, state: ProjectState, as_of: dt.date | None) -> list[Any]:
    """A project's row: its table's fields, then its progress and verdict at its month."""
    return [
        pr.id,
        pr.year,
        pr.seq,
        pr.name,
        pr.target,
        "、".join(pr.leaders),
        "、".join(pr.units),
        pr.level,
        pr.voted,
        pr.category,
        _pct(state.progress),
        state.verdict,
        as_of,
    ]


def indicator_rows(p: Portfolio, pr: Project, state: ProjectState, as_of: dt.date | None) -> list[list[Any]]:
    """The project's indicators, each with its value and progress at the project's month."""
    states = {s.indicator.id: s for s in state.indicators}
    rows = []
    for ind in p.indicators.get(pr.id, ()):
        s = states.get(ind.id)
        value, done = (s.value, _pct(s.progress)) if s else (None, None)
        rows.append([pr.id, ind.id, ind.name, ind.target, ind.unit, ind.measure, ind.direction, value, done, as_of])
    return rows


def report_rows(p: Portfolio, pr: Project) -> list[list[Any]]:
    """The project's reporting record, a month a row."""
    return [
        [
            pr.id,
            str(c.month),
            c.due,
            c.report.submitted if c.report else None,
            c.state,
            c.report.status if c.report else None,
        ]
        for c in p.record(pr)
    ]


def evaluation_rows(p: Portfolio) -> list[list[Any]]:
    """The satisfaction votes, by project then date, each with its result."""
    rows = []
    for u in sorted(p.kind("evaluation"), key=lambda u: (u.projects, u.date)):
        v = u.votes
        counts = [v.satisfied, v.basically_satisfied, v.dissatisfied, v.abstained, v.total]
        rows.append([u.projects[0], u.date, *counts, progress.satisfaction(v)])
    return rows


def revision_rows(p: Portfolio) -> list[list[Any]]:
    """One row per field a correction changed: by date, then post, each post's in its order."""
    rows = []
    for u in sorted((u for u in p.updates if u.revisions), key=lambda u: u.slug):
        period = str(u.period) if u.period else ""
        for c in corrections_of(p, u):
            for change in c.changes:
                cells = [change.field, change.before_data, change.after_data]
                rows.append(["、".join(u.projects), period, u.url, c.date, c.reason, *cells])
    return sorted(rows, key=lambda row: row[3])


def datapackage(p: Portfolio, names: list[str]) -> dict[str, Any]:
    fields = {
        "projects": PROJECT_FIELDS,
        "indicators": INDICATOR_FIELDS,
        "reports": REPORT_FIELDS,
        "evaluations": EVALUATION_FIELDS,
        "revisions": REVISION_FIELDS,
    }
    return {
        "name": "minsheng-shishi",
        "title": p.config.title,
        "description": f"{p.config.publisher}发布的重点民生实事项目、指标、月度报送情况和满意度测评数据",
        "homepage": urls.address(p.config, urls.HOME),
        "resources": [
            {
                "name": name,
                "path": urls.data_file(name),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": {"fields": [{"name": n, "type": t, "title": title} for n, t, title in fields[name]]},
            }
            for name in names
        ],
    }


def files(p: Portfolio) -> Iterator[tuple[str, bytes | str]]:
    data = tables(p)
    for name, (fields, rows) in data.items():
        yield urls.data(name), _csv(fields, rows)
    package = datapackage(p, list(data))
    yield urls.DATAPACKAGE, json.dumps(package, ensure_ascii=False, indent=2) + "\n"
