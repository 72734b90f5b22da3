"""Open data: the same numbers the pages show, as valid, spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import io

from conftest import post, run, write_tree
from frictionless import Package


def report(project: str, period: str, submitted: str, values: str = "", status: str = "") -> str:
    front = f"title: {project} {period}\ndate: {submitted}\nkind: report\nprojects: [{project}]\n"
    front += f"period: {period}\nsubmitted: {submitted}\n"
    if status:
        front += f"status: {status}\n"
    if values:
        front += "values:\n" + "".join(f"  {line}\n" for line in values.split(";"))
    return post(front, "=1+1 推进情况")


def rows(site, name):
    data = (site / "data" / f"{name}.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data[3:].decode("utf-8"))))


def test_open_data_agrees_with_hand_calculation(content, tmp_path):
    write_tree(
        content,
        {
            "updates/reports/2030-05/2030-01.md": report("2030-01", "2030-05", "2030-05-20", "toilets: 4;coverage: 81"),
            "updates/reports/2030-06/2030-01.md": report("2030-01", "2030-06", "2030-06-26", "toilets: 5"),
            "updates/reports/2030-06/2030-02.md": report("2030-02", "2030-06", "2030-06-25", "lifts: 59", "on_track"),
            "updates/reports/2030-06/2030-03.md": report("2030-03", "2030-06", "2030-06-01", status="lagging"),
        },
    )
    site = tmp_path / "site"
    code, _, err = run("build", "--content", str(content), "--out", str(site))
    assert code == 0, err
    projects = {r["id"]: r for r in rows(site, "projects")}
    # 2030-01 in June: toilets 5/10 = 50.0 (not behind: 5*12 = 60 = 10*6), coverage 81 ≥ 80 held → 100.
    assert projects["2030-01"]["progress"] == "75.0" and projects["2030-01"]["verdict"] == "on_schedule"
    # 2030-02: 59/120 = 49.2% < 50% → behind, though the unit says on_track.
    assert projects["2030-02"]["progress"] == "49.2" and projects["2030-02"]["verdict"] == "behind"
    assert projects["2030-03"]["verdict"] == "behind" and projects["2030-03"]["progress"] == ""
    assert {r["as_of"] for r in projects.values()} == {"2030-06-30"}
    reports = [(r["project"], r["period"], r["compliance"]) for r in rows(site, "reports")]
    assert reports == [
        ("2030-01", "2030-05", "on_time"),
        ("2030-01", "2030-06", "late"),
        ("2030-02", "2030-05", "missing"),
        ("2030-02", "2030-06", "on_time"),
        ("2030-03", "2030-05", "missing"),
        ("2030-03", "2030-06", "on_time"),
    ]
    indicators = {(r["project"], r["id"]): r for r in rows(site, "indicators")}
    assert indicators["2030-01", "coverage"]["value"] == "81"
    assert indicators["2030-01", "toilets"]["progress"] == "50.0"
    report_page = (site / "projects/2030-02/index.html").read_text()
    assert "49.2%" in report_page and "牵头单位自评“序时推进”" in report_page
    package = Package(str(site / "data/datapackage.json"))
    assert package.validate().valid


def test_formula_cells_are_neutralised(content, tmp_path):
    csv_text = (content / "projects/2030.csv").read_text(encoding="utf-8")
    (content / "projects/2030.csv").write_text(csv_text.replace("助餐服务", "=HYPERLINK(1)"), encoding="utf-8")
    site = tmp_path / "site"
    assert run("build", "--content", str(content), "--out", str(site))[0] == 0
    names = [r["name"] for r in rows(site, "projects")]
    assert "'=HYPERLINK(1)" in names and "=HYPERLINK(1)" not in names
