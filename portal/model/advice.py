"""What `check` advises without failing: what a government-site inspection would mark down.

Each is a ``提示：`` located at site.yaml (exit status unchanged): a site that is not a demo and
does not say who runs it or under which filings (a government site must show them in its
footer), and a stale column: the current year's newest monthly report more than two months
older than the as-of date.
"""

from __future__ import annotations

from portal.errors import Problem
from portal.model.portfolio import Portfolio

HINT = "提示："
STALE_MONTHS = 2  # a column not updated for longer fails a government-site inspection
# Each duty a government site's footer must show, with what to do when it is missing.
DUTIES = (
    ("organizer", "没有填写主办单位（organizer）：页脚暂以发布单位作主办单位；请在 site.yaml 写明主办单位"),
    (
        "site_code",
        "没有填写网站标识码（site_code）：政府网站须在页脚展示，请向本级政府网站主管单位查询 10 位标识码后填写",
    ),
    ("icp", "没有填写 ICP 备案号（icp）：政府网站须在页脚展示，请照工信部备案系统（beian.miit.gov.cn）的备案号填写"),
    (
        "police_record",
        "没有填写公安机关备案号（police_record）：政府网站须在页脚展示，请照全国互联网安全管理服务平台（beian.mps.gov.cn）的备案号填写",
    ),
)


def advice(p: Portfolio, shown: str) -> list[Problem]:
    """The hints for content/ (``shown`` as the user named it), in the order above."""
    place = f"{shown}/site.yaml"
    found = []
    if not p.config.demo:
        found += [Problem(place, None, None, HINT + text) for key, text in DUTIES if not getattr(p.config, key)]
    stale = _stale(p)
    if stale:
        found.append(Problem(place, None, None, HINT + stale))
    return found


def _stale(p: Portfolio) -> str:
    """Why the current year's monthly reports look abandoned, or "" when they do not."""
    if p.as_of is None or p.current_year is None:
        return ""
    periods = [r.period for project in p.of_year(p.current_year) for r in p.reports.get(project.id, ())]
    if not periods:
        return ""
    newest = max(periods)
    behind = (p.as_of.year - newest.year) * 12 + p.as_of.month - newest.month
    if behind <= STALE_MONTHS:
        return ""
    return (
        f"{p.current_year}年最新的月度推进情况截至{newest.label}底，比数据截至日期 {p.as_of_date} 早 {behind} 个月："
        f"栏目超过两个月不更新，在政府网站检查中不合格；请补上最近月份的推进情况，或核对 site.yaml 的 as_of"
    )
