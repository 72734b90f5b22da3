"""A load with the preview's Memo finds what a load without finds, checking only what changed.

Each post is checked on its own and kept whole (load/updates.Checked); what holds across posts
(one report a project a month, an attachment where another post's page is) is gathered at each
load. These cases hold the problems' order and the work a saved post costs.
"""

from __future__ import annotations

import pickle
import shutil

import pytest
from conftest import ROOT, post

from portal import load
from portal.errors import ContentError
from portal.load import checks, content

GOLDEN = ROOT / "tests/golden/content"


@pytest.fixture
def golden(tmp_path):
    shutil.copytree(GOLDEN, tmp_path / "content")
    return tmp_path / "content"


def outcome(folder, memo=None):
    """The records a load makes, or the problems it says (in order)."""
    try:
        return load.load(folder, drafts=True, memo=memo)
    except ContentError as exc:
        return tuple(str(p) for p in exc.problems)


def test_problems_of_several_posts_come_in_one_order_with_or_without_a_memo(golden):
    """Posts said at different steps (a wrong date, an unknown project), each post's problems
    kept apart in the memo: said in the order a load without one says them."""
    news = golden / "updates/news"
    (news / "a-wrong-date.md").write_text(post("title: 甲\ndate: 2029-13-45\nkind: news\nprojects: [2029-09]"))
    (news / "a-unknown-project.md").write_text(post("title: 乙\ndate: 2029-04-02\nkind: news\nprojects: [2029-01, 12]"))
    memo = load.Memo()
    fresh = outcome(golden)
    assert isinstance(fresh, tuple) and len(fresh) == 2
    assert outcome(golden, memo) == fresh
    assert outcome(golden, memo) == fresh, "the second load, from the memo"


def test_a_saved_post_is_checked_alone(golden, monkeypatch):
    memo = load.Memo()
    before = outcome(golden, memo)
    checked: list[int] = []
    validate = checks.validate
    monkeypatch.setattr(checks, "validate", lambda posts: checked.append(len(posts)) or validate(posts))
    path = golden / "updates/news/2029-04-28-chargers.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
    after = outcome(golden, memo)
    assert checked == [1]
    assert after != before and after == outcome(golden)


def test_a_report_for_a_month_already_reported_is_said_from_the_memo_too(golden):
    memo = load.Memo()
    outcome(golden, memo)
    source = golden / "updates/reports/2029-04/2029-01.md"
    shutil.copy(source, golden / "updates/reports/2029-04/2029-01-again.md")
    said = outcome(golden, memo)
    assert said == outcome(golden) and any("月度推进情况重复" in p for p in said)
    (golden / "updates/reports/2029-04/2029-01-again.md").unlink()
    assert outcome(golden, memo) == outcome(golden)


def test_a_memo_checked_against_other_lists_checks_again(golden):
    """The projects a post links to are checked against the lists: a memo kept across a change
    of the lists (as a persisted one may be) checks every post again."""
    memo = load.Memo()
    outcome(golden, memo)
    memo.kept_settings = None  # the lists are read again, as after a change to them
    indicators = golden / "projects/2029-indicators.csv"
    text = indicators.read_text(encoding="utf-8")
    indicators.write_text(text.replace("2029-01,chargers,", "2029-01,piles,"), encoding="utf-8")
    said = outcome(golden, memo)
    assert said == outcome(golden) and any("没有指标“chargers”" in p for p in said)


def test_a_pickled_memo_loads_as_it_did(golden, monkeypatch):
    memo = load.Memo()
    outcome(golden, memo)
    kept = pickle.loads(pickle.dumps(memo))
    checked: list[int] = []
    validate = checks.validate
    monkeypatch.setattr(checks, "validate", lambda posts: checked.append(len(posts)) or validate(posts))
    assert outcome(golden, kept) == outcome(golden, None)
    assert checked[0] == 0, "nothing checked again from the pickled memo"
    assert content.checks is checks
