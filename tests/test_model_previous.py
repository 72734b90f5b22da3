"""The preview's model made again after a saved post takes from the last one what the post does
not change (Portfolio.build's ``previous``), and equals a model made afresh."""

from __future__ import annotations

import shutil

from conftest import ROOT

from portal import load
from portal.model.portfolio import Portfolio


def test_a_saved_report_leaves_the_other_projects_states_as_they_were(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests/golden/content", content)
    memo = load.Memo()
    old = Portfolio.build(load.load(content, drafts=True, memo=memo))
    before = {p.id: old.state(p) for p in old.projects}
    report = content / "updates/reports/2029-04/2029-01.md"
    report.write_text(report.read_text(encoding="utf-8").replace("chargers: 80", "chargers: 90"), encoding="utf-8")
    new = Portfolio.build(load.load(content, drafts=True, memo=memo), previous=old)
    fresh = Portfolio.build(load.load(content, drafts=True))
    for project in new.projects:
        assert new.state(project) == fresh.state(project), project.id
        assert new.record(project) == fresh.record(project), project.id
    assert new.state(new.by_id["2029-01"]) != before["2029-01"]
    kept = [p.id for p in new.projects if new.state(p) is before[p.id]]
    assert kept and "2029-01" not in kept and set(kept) == {p.id for p in new.projects} - {"2029-01"}


def test_a_previous_model_of_other_lists_gives_nothing(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests/golden/content", content)
    old = Portfolio.build(load.load(content, drafts=True))
    for project in old.projects:
        old.state(project)
    site = content / "site.yaml"
    site.write_text(
        site.read_text(encoding="utf-8").replace("report_due_day: 25", "report_due_day: 9"), encoding="utf-8"
    )
    new = Portfolio.build(load.load(content, drafts=True), previous=old)
    assert not new._states
