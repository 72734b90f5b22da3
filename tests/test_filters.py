"""The pre-rendered filter pages (they work without JavaScript), and the unit and leader pages:
each lists exactly the projects a hand computation over the tree below says, and every count
shown on a filter link is the size of that set.

The tree: two years, seven projects, every level, five categories and one project without
one, three voted projects, and report posts that give every verdict. 2030's projects are judged
at December 2030 (序时进度 100%), 2031's at March 2031, the newest report (序时进度 25%).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import SITE_YAML, post, run, write_tree

BASE = "/minsheng/"

PROJECTS = {
    "projects/2030.csv": """\
        id,seq,name,target,leaders,units,level,voted,category
        2030-01,1,新建公厕,新建公厕10座。,王一,区城管局,区级,false,城市建设
        2030-02,2,老旧小区加装电梯,完成加装电梯120台。,王一、李二,区住建委、区民政局,市级,true,住房
        2030-03,3,助餐服务,在城市社区开展助餐服务。,李二,区民政局,市（区）级,false,养老
        """,
    "projects/2030-indicators.csv": """\
        project,id,name,target,unit,measure,direction
        2030-01,toilets,新建公厕,10,座,cumulative,at_least
        2030-02,lifts,加装电梯,120,台,cumulative,at_least
        """,
    "projects/2031.csv": """\
        id,seq,name,target,leaders,units,level,voted,category
        2031-01,1,学校扩建,新增学位1000个。,王一,区教委,市级,true,教育
        2031-02,2,道路改造,改造道路12公里。,张三,区城管局,区级,false,交通
        2031-03,3,养老床位,新增养老床位200张。,李二,区民政局,区级,true,养老
        2031-04,4,就业帮扶,帮扶困难人员就业。,张三,区人力社保局,区级,false,
        """,
    "projects/2031-indicators.csv": """\
        project,id,name,target,unit,measure,direction
        2031-01,seats,新增学位,1000,个,cumulative,at_least
        2031-02,km,改造道路,12,公里,cumulative,at_least
        2031-03,beds,养老床位,200,张,cumulative,at_least
        """,
}


def report(project: str, period: str, status: str, values: str = "") -> str:
    return post(
        f"""
        title: {project} {period} 推进情况
        date: {period}-20
        kind: report
        projects: [{project}]
        period: {period}
        submitted: {period}-20
        status: {status}
        """
        + (f"values: {{{values}}}\n" if values else ""),
        "推进情况。",
    )


REPORTS = {
    "updates/reports/2030-12/2030-01.md": report("2030-01", "2030-12", "done", "toilets: 10"),  # 100%: done
    "updates/reports/2030-12/2030-02.md": report("2030-02", "2030-12", "on_track", "lifts: 100"),  # 83.3% < 100%
    "updates/reports/2030-12/2030-03.md": report("2030-03", "2030-12", "on_track"),  # no indicators: its status
    "updates/reports/2031-03/2031-01.md": report("2031-01", "2031-03", "on_track", "seats: 300"),  # 30% ≥ 25%
    "updates/reports/2031-03/2031-02.md": report("2031-02", "2031-03", "on_track", "km: 1"),  # 8.3% < 25%
    # 2031-03 and 2031-04: no report yet, so no data
}

# By hand, from the tree above.
ALL = {"2030-01", "2030-02", "2030-03", "2031-01", "2031-02", "2031-03", "2031-04"}
FILTERS = {
    "projects/level/市级/": {"2030-02", "2031-01"},
    "projects/level/区级/": {"2030-01", "2031-02", "2031-03", "2031-04"},
    "projects/level/市（区）级/": {"2030-03"},
    "projects/category/城市建设/": {"2030-01"},
    "projects/category/住房/": {"2030-02"},
    "projects/category/养老/": {"2030-03", "2031-03"},
    "projects/category/教育/": {"2031-01"},
    "projects/category/交通/": {"2031-02"},
    "projects/verdict/done/": {"2030-01"},
    "projects/verdict/behind/": {"2030-02", "2031-02"},
    "projects/verdict/on_schedule/": {"2030-03", "2031-01"},
    "projects/verdict/no_data/": {"2031-03", "2031-04"},
    "projects/voted/": {"2030-02", "2031-01", "2031-03"},
}
UNITS = {
    "区城管局": {"2030-01", "2031-02"},
    "区住建委": {"2030-02"},
    "区民政局": {"2030-02", "2030-03", "2031-03"},
    "区教委": {"2031-01"},
    "区人力社保局": {"2031-04"},
}
LEADERS = {
    "王一": {"2030-01", "2030-02", "2031-01"},
    "李二": {"2030-02", "2030-03", "2031-03"},
    "张三": {"2031-02", "2031-04"},
}

PROJECT_LINK = re.compile(r'href="' + BASE + r'projects/(\d{4}-\d{2,3})/"')
FILTER_LINK = re.compile(r'<a href="' + BASE + r'(projects/[^"]+/)">[^<]+（(\d+)）</a>')
CURRENT = re.compile(r'<strong aria-current="page">([^<]+)（(\d+)）</strong>')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("filters")
    content = write_tree(
        root / "content",
        {"site.yaml": SITE_YAML.replace("base_url: /", f"base_url: {BASE}"), **PROJECTS, **REPORTS},
    )
    code, _, err = run("build", "--content", str(content), "--out", str(root / "site"))
    assert code == 0, err
    return root / "site"


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def listed(page: str) -> list[str]:
    """The projects a page links to, in order, each once per link."""
    return PROJECT_LINK.findall(page)


def filter_nav(page: str) -> str:
    return page.split('<nav aria-label="筛选项目" class="filters">', 1)[1].split("</nav>", 1)[0]


def test_the_filter_pages_are_exactly_those_with_projects(site):
    built = {
        p.parent.relative_to(site).as_posix() + "/"
        for facet in ("level", "category", "verdict")
        for p in (site / "projects" / facet).glob("*/index.html")
    }
    if (site / "projects/voted/index.html").exists():
        built.add("projects/voted/")
    assert built == set(FILTERS)


@pytest.mark.parametrize("url", sorted(FILTERS))
def test_filter_page_lists_exactly_its_projects(site, url):
    page = html(site, url)
    projects = listed(page)
    assert sorted(projects) == sorted(FILTERS[url]), "each project once, and only the matching ones"
    assert f"<p>共 {len(FILTERS[url])} 个项目。</p>" in page
    for year in ("2030", "2031"):
        mine = [p for p in FILTERS[url] if p.startswith(year)]
        assert (f"{year}年（{len(mine)} 项）" in page) == bool(mine)


@pytest.mark.parametrize("url", ["projects/", *sorted(FILTERS)])
def test_counts_on_the_filter_links_are_the_sizes_of_the_sets(site, url):
    nav = filter_nav(html(site, url))
    shown = {unquote(href): int(n) for href, n in FILTER_LINK.findall(nav)}
    assert f"全部（{len(ALL)}）</a>" in nav
    shown.pop("projects/", None)  # 全部, a link everywhere but on the full list itself
    current = CURRENT.findall(nav)
    if url == "projects/":
        assert current == []
    else:
        # the page's own option is not a link: it is marked as the current page, with its count
        assert [int(n) for _, n in current] == [len(FILTERS[url])]
        assert url not in shown
        shown[url] = int(current[0][1])
    assert shown == {u: len(ids) for u, ids in FILTERS.items()}


def test_the_full_list_has_every_project_once(site):
    page = html(site, "projects/")
    assert sorted(listed(page)) == sorted(ALL)
    assert f"全部（{len(ALL)}）" in filter_nav(page)


@pytest.mark.parametrize(("kind", "groups"), [("units", UNITS), ("leaders", LEADERS)])
def test_unit_and_leader_pages_list_exactly_their_projects(site, kind, groups):
    index = html(site, f"{kind}/")
    names = [unquote(n) for n in re.findall(r'href="' + BASE + kind + r'/([^"/]+)/"', index)]
    assert sorted(names) == sorted(groups)
    for name, ids in groups.items():
        assert f"{name}</a>（{len(ids)} 项）" in index
        page = html(site, f"{kind}/{name}/")
        assert sorted(listed(page)) == sorted(ids), name
        assert f"共 {len(ids)} 个项目。" in page
