"""How a number and a target are written (model/present.py): the same on the project page, the
deputies' page and the monthly report form, so the form a unit fills in and the page the public
reads never disagree about what was promised."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import INDICATORS_CSV, post, run, write_tree

from portal.model.present import number, target_text
from portal.model.records import Indicator, Source


def indicator(measure: str, direction: str, target: str = "90", unit: str = "%") -> Indicator:
    return Indicator("2030-01", "x", "指标", Decimal(target), unit, measure, direction, Source("t.csv", 2))


@pytest.mark.parametrize(
    ("measure", "direction", "written", "in_form"),
    [
        ("level", "at_least", "≥90 %", "≥90"),
        ("level", "at_most", "≤90 %", "≤90"),
        ("cumulative", "at_least", "90 %", "90"),
        ("cumulative", "at_most", "90 %", "90"),  # a total to reach: progress ignores the direction
    ],
)
def test_a_target_is_written_with_the_direction_a_level_is_held_in(measure, direction, written, in_form) -> None:
    assert target_text(indicator(measure, direction)) == written
    assert target_text(indicator(measure, direction), unit=False) == in_form


@pytest.mark.parametrize(
    ("value", "written"),
    [(Decimal("12"), "12"), (Decimal("6.50"), "6.5"), (Decimal("1.18E+3"), "1180"), (Decimal("0.00"), "0"), (7, "7")],
)
def test_a_number_is_written_as_a_reader_writes_it(value, written) -> None:
    assert number(value) == written
    assert number(None) == "—"


def test_the_project_page_the_deputies_page_and_the_form_write_a_target_alike(content: Path, tmp_path: Path) -> None:
    """2030-02 is voted: its level indicator's target on all three."""
    write_tree(
        content,
        {
            "projects/2030-indicators.csv": INDICATORS_CSV + "2030-02,pass,验收合格率,95,%,level,at_least\n",
            "updates/reports/2030-05/2030-02.md": post(
                "title: 5月\ndate: 2030-05-20\nkind: report\nprojects: [2030-02]\nperiod: 2030-05\n"
                "submitted: 2030-05-20\nstatus: on_track\nvalues: {lifts: 30, pass: 96}"
            ),
        },
    )
    site = tmp_path / "site"
    code, _, err = run("build", "--content", str(content), "--out", str(site))
    assert code == 0, err
    project = (site / "projects/2030-02/index.html").read_text(encoding="utf-8")
    assert '<td data-label="目标">≥95 %</td>' in project
    assert "<figcaption>验收合格率（目标 ≥95 %）</figcaption>" in project
    deputies = (site / "deputies/index.html").read_text(encoding="utf-8")
    assert '<tr><th scope="row" data-label="指标">验收合格率</th><td data-label="目标">≥95 %</td>' in deputies
    form = tmp_path / "form.xlsx"
    code, _, err = run("form", "export", "--period", "2030-06", "--content", str(content), "-o", str(form))
    assert code == 0, err
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(form).active.iter_rows(min_row=4)]
    assert ["验收合格率（%）", "≥95"] in [row[5:7] for row in rows]
