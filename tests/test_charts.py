"""The SVG charts say what the tables beside them say, and the tables say what the data says.

Every chart of a built site is read back: a history chart's dots, recomputed through charts.py's
geometry, give the progress in its table (capped at 100%), its dashed line gives m/12; a bar's
width, as a share of its track, is the category's percentage in the table, and the dashed line
the 序时进度 the page states. Each chart is an image with a title for screen readers.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import INDICATORS_CSV, PROJECTS_CSV, SITE_YAML, post, run, write_tree

from portal.render.charts import BOTTOM, LEFT, RIGHT, TOP, H, W

SVG = "{http://www.w3.org/2000/svg}"
PX = 0.051  # coordinates are written to 0.1 unit: a point may be off by half of that


def report(project: str, period: str, values: str) -> str:
    return post(
        f"""
        title: {project} {period} 推进情况
        date: {period}-20
        kind: report
        projects: [{project}]
        period: {period}
        submitted: {period}-20
        values: {{{values}}}
        """
    )


# The shared tree, one project without a category (shown as 其他), reports from March to May;
# 2030-02 goes past its target in May (108.3%, drawn at 100%); 2030-03 has no report at all.
TREE = {
    "site.yaml": SITE_YAML + "reporting_from: 2030-02\n",
    "projects/2030.csv": PROJECTS_CSV + "2030-04,4,就业帮扶,帮扶50人就业。,李二,区人力社保局,区级,false,\n",
    "projects/2030-indicators.csv": INDICATORS_CSV + "2030-04,people,帮扶就业,50,人,cumulative,at_least\n",
    "updates/reports/2030-03/2030-01.md": report("2030-01", "2030-03", "toilets: 3, coverage: 70"),
    "updates/reports/2030-04/2030-01.md": report("2030-01", "2030-04", "toilets: 4, coverage: 82"),
    "updates/reports/2030-03/2030-02.md": report("2030-02", "2030-03", "lifts: 35"),
    "updates/reports/2030-05/2030-02.md": report("2030-02", "2030-05", "lifts: 130"),
    "updates/reports/2030-04/2030-04.md": report("2030-04", "2030-04", "people: 10"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("charts")
    content = write_tree(root / "content", TREE)
    code, _, err = run("build", "--content", str(content), "--out", str(root / "site"))
    assert code == 0, err
    return root / "site"


def figures(page: str) -> list[tuple[ET.Element, list[tuple[str, list[str]]]]]:
    """Each chart figure of a page: its SVG, and its table's rows as (row header, cells)."""
    found = []
    for block in re.findall(r'<figure class="chart-figure">(.*?)</figure>', page, re.S):
        svg = ET.fromstring(re.search(r"<svg.*?</svg>", block, re.S).group(0))
        rows = [
            (head, re.findall(r"<td>(.*?)</td>", cells))
            for head, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', block, re.S)
        ]
        found.append((svg, rows))
    return found


def percent(cell: str) -> float | None:
    return None if cell == "—" else float(cell.removesuffix("%"))


def points(polyline: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, p.split(","))) for p in polyline.get("points").split()]


def is_titled_image(svg: ET.Element) -> bool:
    title = svg.find(f"{SVG}title")
    return svg.get("role") == "img" and title is not None and bool(title.text) and svg.get("aria-label") == title.text


def history_pages(site: Path) -> list[Path]:
    return sorted(site.glob("projects/????-??/index.html"))


def check_history(svg: ET.Element, rows: list[tuple[str, list[str]]]) -> None:
    """One indicator's chart against its table (月份, 完成值, 进度, 序时进度)."""
    assert is_titled_image(svg)
    n = len(rows)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + plot_w * (i + 0.5) / n

    def y(value: float) -> float:
        return TOP + plot_h * (1 - min(value, 100) / 100)

    months = [int(re.fullmatch(r"\d{4}年(\d{1,2})月", head).group(1)) for head, _ in rows]
    labels = [t for t in svg.iter(f"{SVG}text") if t.text and t.text.endswith("月")]
    assert [(t.text, float(t.get("x"))) for t in labels] == [(f"{m}月", round(x(i), 1)) for i, m in enumerate(months)]

    # the dashed line: m/12 at every month, as the table's 序时进度 column says
    (schedule,) = [p for p in svg.iter(f"{SVG}polyline") if p.get("class") == "schedule"]
    plan = points(schedule)
    assert len(plan) == n
    for i, (m, (_, cells)) in enumerate(zip(months, rows, strict=True)):
        assert cells[2] == f"{m / 12 * 100:.1f}%"
        assert plan[i][0] == pytest.approx(x(i), abs=PX)
        assert plan[i][1] == pytest.approx(y(m / 12 * 100), abs=PX)

    # the dots: one for each month with a value, at the table's progress (capped at 100%)
    shown = [(i, percent(cells[1])) for i, (_, cells) in enumerate(rows) if percent(cells[1]) is not None]
    dots = [(float(r.get("x")) + 4, float(r.get("y")) + 4) for r in svg.iter(f"{SVG}rect") if r.get("class") == "dot"]
    assert len(dots) == len(shown)
    for (i, value), (dx, dy) in zip(shown, dots, strict=True):
        assert dx == pytest.approx(x(i), abs=PX)
        assert dy == pytest.approx(y(value), abs=PX), f"{rows[i][0]}: {value}%"
        # and read back: the height of the dot is the progress, as drawn
        assert 100 * (1 - (dy - TOP) / plot_h) == pytest.approx(min(value, 100), abs=0.05)
    actual = [p for p in svg.iter(f"{SVG}polyline") if p.get("class") == "actual"]
    if dots:
        flat = [c for point in dots for c in point]
        assert [c for point in points(actual[0]) for c in point] == pytest.approx(flat, abs=PX)
    else:
        assert actual == []


def check_bars(svg: ET.Element, rows: list[tuple[str, list[str]]], schedule_pct: float | None) -> None:
    """The category chart against its table (领域, 平均进度) and the page's 序时进度."""
    assert is_titled_image(svg)
    rects = list(svg.iter(f"{SVG}rect"))
    tracks = [r for r in rects if r.get("class") == "track"]
    fills = {float(r.get("y")): r for r in rects if r.get("class") == "fill"}
    names = [t.text for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert names == [head for head, _ in rows]
    assert len(tracks) == len(rows)
    values = [t.text for t in svg.iter(f"{SVG}text") if t.get("text-anchor") is None]
    for (name, cells), track, text in zip(rows, tracks, values, strict=True):
        value = percent(cells[0])
        assert text == ("无数据" if value is None else cells[0]), name
        fill = fills.pop(float(track.get("y")), None)
        if value is None:
            assert fill is None, name
            continue
        assert fill.get("x") == track.get("x")
        share = float(fill.get("width")) / float(track.get("width"))
        assert share * 100 == pytest.approx(min(value, 100), abs=0.05), name
    assert fills == {}, "a bar without a row in the table"
    lines = [ln for ln in svg.iter(f"{SVG}line") if ln.get("class") == "schedule"]
    if schedule_pct is None:
        assert lines == []
    else:
        (line,) = lines
        track = tracks[0]
        at = (float(line.get("x1")) - float(track.get("x"))) / float(track.get("width")) * 100
        assert at == pytest.approx(schedule_pct, abs=0.05)


def test_every_history_chart_draws_its_table(site):
    checked = 0
    for path in history_pages(site):
        for svg, rows in figures(path.read_text(encoding="utf-8")):
            check_history(svg, rows)
            checked += 1
    assert checked == 4  # 2030-01 has two indicators, 2030-02 and 2030-04 one each; 2030-03 none


def test_the_tables_hold_the_data(site):
    """By hand: lifts 35 of 120 in March (29.2%), still 29.2% in April, 130 in May (108.3%)."""
    page = (site / "projects/2030-02/index.html").read_text(encoding="utf-8")
    ((svg, rows),) = figures(page)
    assert rows == [
        ("2030年2月", ["—", "—", "16.7%"]),
        ("2030年3月", ["35", "29.2%", "25.0%"]),
        ("2030年4月", ["35", "29.2%", "33.3%"]),
        ("2030年5月", ["130", "108.3%", "41.7%"]),
    ]
    dots = [float(r.get("y")) + 4 for r in svg.iter(f"{SVG}rect") if r.get("class") == "dot"]
    assert dots[-1] == pytest.approx(TOP, abs=PX), "past the target, drawn at the 100% line"


@pytest.mark.parametrize("url", ["index.html", "years/2030/index.html"])
def test_the_category_chart_draws_its_table(site, url):
    page = (site / url).read_text(encoding="utf-8")
    ((svg, rows),) = figures(page)
    stated = re.search(r"序时进度为 <strong>([\d.]+)%</strong>", page)
    check_bars(svg, rows, float(stated.group(1)) if stated else None)
    # By hand, at May 2030: 城市建设 (40 + 100) / 2; 住房 130/120 capped; 养老 no report; 其他 10/50.
    assert dict((name, cells[0]) for name, cells in rows) == {
        "城市建设": "70.0%",
        "住房": "100.0%",
        "养老": "—",
        "其他": "20.0%",
    }
    assert stated and stated.group(1) == "41.7"


def test_no_chart_without_reports(tmp_path):
    """Before any report there is nothing to draw: no empty chart pretends there is."""
    content = write_tree(
        tmp_path / "content",
        {"site.yaml": SITE_YAML, "projects/2030.csv": PROJECTS_CSV, "projects/2030-indicators.csv": INDICATORS_CSV},
    )
    assert run("build", "--content", str(content), "--out", str(tmp_path / "site"))[0] == 0
    for path in [tmp_path / "site/index.html", *history_pages(tmp_path / "site")]:
        page = path.read_text(encoding="utf-8")
        assert figures(page) == [] and "<svg" not in page, path
