"""What the portal computes (CONTENT-FORMAT.md, "What the portal computes"), at its boundaries.

The rules one at a time through ``portal.progress`` with records made here, then together
through ``portal.portfolio`` on small content trees written inline.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import INDICATORS_CSV, PROJECTS_CSV, SITE_YAML, post, write_tree

from portal import load
from portal.model import progress
from portal.model.portfolio import Portfolio
from portal.model.records import Indicator, Month, Project, Source, Update, Votes

SOURCE = Source("test", 1)
PROJECT = Project("2030-01", 2030, 1, "新建公厕", "新建公厕。", ("王一",), ("区城管局",), "区级", False, "", SOURCE)


def indicator(iid: str, target: str, measure: str = "cumulative", direction: str = "at_least") -> Indicator:
    return Indicator("2030-01", iid, iid, Decimal(target), "个", measure, direction, SOURCE)


def report(
    period: str, values: dict[str, str] | None = None, status: str | None = None, submitted: str | None = None
) -> Update:
    month = Month.parse(period)
    return Update(
        slug=f"reports/{period}/2030-01",
        title="推进情况",
        date=dt.date.fromisoformat(submitted) if submitted else month.day(20),
        kind="report",
        projects=("2030-01",),
        source_unit="",
        body_html="",
        summary="",
        source=SOURCE,
        period=month,
        submitted=dt.date.fromisoformat(submitted) if submitted else month.day(20),
        status=status,
        values={k: Decimal(v) for k, v in (values or {}).items()},
    )


def state_of(indicators: list[Indicator], reports: list[Update], month: str) -> progress.ProjectState:
    return progress.project_state(PROJECT, indicators, reports, Month.parse(month))


# ---------------------------------------------------------------- indicator progress


@pytest.mark.parametrize(
    ("value", "target", "expected"),
    [
        ("1", "16", "6.3"),  # 6.25: half up, not to the even 6.2
        ("1", "80", "1.3"),  # 1.25
        ("2", "3", "66.7"),
        ("1", "3", "33.3"),
        ("11238", "11238", "100.0"),
        ("6.977", "6.977", "100.0"),
        ("27", "18", "150.0"),  # uncapped on the indicator itself
        ("0", "18", "0.0"),
    ],
)
def test_cumulative_progress_one_decimal_half_up(value: str, target: str, expected: str) -> None:
    state = progress.indicator_state(indicator("a", target), [report("2030-06", {"a": value})], Month(2030, 6))
    assert str(state.progress) == expected


def test_level_held_is_100_and_not_held_is_0() -> None:
    rate = indicator("rate", "90", "level")
    held = progress.indicator_state(rate, [report("2030-03", {"rate": "90"})], Month(2030, 3))
    short = progress.indicator_state(rate, [report("2030-03", {"rate": "89.9"})], Month(2030, 3))
    assert (held.progress, held.reached) == (100, True)
    assert (short.progress, short.reached) == (0, False)
    assert not held.behind and not short.behind  # 序时进度 concerns cumulative indicators only


def test_level_at_most_is_held_at_or_below_the_target() -> None:
    zero = indicator("zero-job", "0", "level", "at_most")
    held = progress.indicator_state(zero, [report("2030-03", {"zero-job": "0"})], Month(2030, 3))
    over = progress.indicator_state(zero, [report("2030-03", {"zero-job": "1"})], Month(2030, 3))
    assert (held.progress, held.reached) == (100, True)
    assert (over.progress, over.reached) == (0, False)


def test_value_is_the_newest_report_at_or_before_the_month() -> None:
    a = indicator("a", "10")
    reports = [report("2030-03", {"a": "2"}), report("2030-05", {"a": "5"}), report("2030-07", {"a": "9"})]
    assert progress.indicator_state(a, reports[:2], Month(2030, 6)).value == 5
    assert state_of([a], reports, "2030-06").indicators[0].value == 5
    assert state_of([a], reports, "2030-07").indicators[0].value == 9
    # a later report without this indicator's value keeps the older value
    reports.append(report("2030-08", {}, status="on_track"))
    assert state_of([a], reports, "2030-08").indicators[0].value == 9


def test_cumulative_without_a_value_counts_0_once_any_report_has_values() -> None:
    a, b = indicator("a", "10"), indicator("b", "10")
    state = state_of([a, b], [report("2030-06", {"a": "10"})], "2030-06")
    assert [s.value for s in state.indicators] == [10, 0]
    assert [s.progress for s in state.indicators] == [100, 0]
    assert state.progress == Decimal("50.0")
    assert state.verdict == "behind"


def test_no_value_at_all_is_no_data_not_zero() -> None:
    a = indicator("a", "10")
    state = state_of([a], [report("2030-06", status="on_track")], "2030-06")
    assert [s.value for s in state.indicators] == [None]
    assert (state.progress, state.verdict) == (None, "no_data")
    assert state_of([a], [], "2030-06").verdict == "no_data"


def test_level_without_a_value_is_unknown_not_zero() -> None:
    a, rate = indicator("a", "10"), indicator("rate", "90", "level")
    state = state_of([a, rate], [report("2030-06", {"a": "6"})], "2030-06")
    assert [s.progress for s in state.indicators] == [Decimal("60.0"), None]
    assert state.progress == Decimal("60.0")  # the mean of the known ones


def test_project_progress_caps_each_indicator_at_100() -> None:
    a, b = indicator("a", "10"), indicator("b", "10")
    state = state_of([a, b], [report("2030-06", {"a": "15", "b": "5"})], "2030-06")
    assert [s.progress for s in state.indicators] == [150, 50]
    assert state.progress == Decimal("75.0")  # (100 + 50) / 2, not (150 + 50) / 2


def test_project_progress_mean_is_rounded_half_up() -> None:
    a, b = indicator("a", "8"), indicator("b", "8")
    # 12.5 and 0 → 6.25 → 6.3
    state = state_of([a, b], [report("2030-01", {"a": "1", "b": "0"})], "2030-01")
    assert state.progress == Decimal("6.3")


# ---------------------------------------------------------------- 序时进度 and verdicts


@pytest.mark.parametrize(("month", "expected"), [(1, "8.3"), (3, "25.0"), (6, "50.0"), (8, "66.7"), (12, "100.0")])
def test_schedule_is_m_over_12(month: int, expected: str) -> None:
    assert str(progress.schedule(Month(2030, month))) == expected


@pytest.mark.parametrize(
    ("value", "verdict"),
    [("6", "on_schedule"), ("5.99", "behind"), ("6.01", "on_schedule"), ("12", "done"), ("13", "done")],
)
def test_verdict_exactly_at_schedule_is_not_behind(value: str, verdict: str) -> None:
    state = state_of([indicator("a", "12")], [report("2030-06", {"a": value})], "2030-06")
    assert state.verdict == verdict


def test_behind_compares_exactly_not_the_rounded_percentages() -> None:
    # 10 × 1/12 = 0.8333…: 0.833 shows as 8.3% like the schedule, yet it trails it.
    a = indicator("a", "10")
    state = state_of([a], [report("2030-01", {"a": "0.833"})], "2030-01")
    assert (state.indicators[0].progress, progress.schedule(Month(2030, 1))) == (Decimal("8.3"), Decimal("8.3"))
    assert state.verdict == "behind"
    assert state_of([a], [report("2030-01", {"a": "0.84"})], "2030-01").verdict == "on_schedule"


def test_done_needs_every_indicator_reached() -> None:
    a, rate = indicator("a", "10"), indicator("rate", "90", "level")
    assert state_of([a, rate], [report("2030-06", {"a": "10", "rate": "95"})], "2030-06").verdict == "done"
    assert state_of([a, rate], [report("2030-06", {"a": "10", "rate": "80"})], "2030-06").verdict == "on_schedule"


def test_a_level_not_held_does_not_make_a_project_behind() -> None:
    a, rate = indicator("a", "10"), indicator("rate", "90", "level")
    state = state_of([a, rate], [report("2030-06", {"a": "5", "rate": "80"})], "2030-06")
    assert state.verdict == "on_schedule"


def test_any_cumulative_trailing_makes_the_project_behind() -> None:
    a, b = indicator("a", "10"), indicator("b", "10")
    state = state_of([a, b], [report("2030-06", {"a": "10", "b": "4.9"})], "2030-06")
    assert state.verdict == "behind"


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        ("done", "done"),
        ("lagging", "behind"),
        ("not_started", "behind"),
        ("on_track", "on_schedule"),
        (None, "no_data"),
    ],
)
def test_project_without_indicators_takes_the_report_status(status: str | None, verdict: str) -> None:
    state = state_of([], [report("2030-05", status="done"), report("2030-06", status=status)], "2030-06")
    expected = "done" if status is None else verdict  # no status in June: May's stands
    assert state.verdict == expected
    assert state_of([], [report("2030-06", status=status)], "2030-06").verdict == verdict


def test_project_without_indicators_or_reports_is_no_data() -> None:
    assert state_of([], [], "2030-06").verdict == "no_data"


# ---------------------------------------------------------------- disagreement


@pytest.mark.parametrize(
    ("status", "value", "shown"),
    [
        ("done", "11", "牵头单位自评“已完成”，但按指标完成值计算尚未完成"),
        ("done", "12", ""),
        ("on_track", "5", "牵头单位自评“序时推进”，但按指标完成值计算滞后于序时进度"),
        ("on_track", "6", ""),
        ("lagging", "6", "牵头单位自评“滞后”，但按指标完成值计算已达到序时进度"),
        ("lagging", "12", "牵头单位自评“滞后”，但按指标完成值计算已达到序时进度"),
        ("lagging", "5", ""),
        ("not_started", "6", ""),
        (None, "5", ""),
    ],
)
def test_disagreement_between_status_and_verdict(status: str | None, value: str, shown: str) -> None:
    state = state_of([indicator("a", "12")], [report("2030-06", {"a": value}, status=status)], "2030-06")
    assert state.disagreement == shown


# ---------------------------------------------------------------- compliance


@pytest.mark.parametrize(
    ("period", "due_day", "submitted", "due", "state"),
    [
        ("2030-06", 25, "2030-06-25", "2030-06-25", "on_time"),
        ("2030-06", 25, "2030-06-26", "2030-06-25", "late"),
        ("2030-06", 25, "2030-06-01", "2030-06-25", "on_time"),
        ("2030-06", 25, "2030-07-03", "2030-06-25", "late"),
        ("2030-02", 30, "2030-02-28", "2030-02-28", "on_time"),  # February's last day
        ("2030-02", 30, "2030-03-01", "2030-02-28", "late"),
        ("2032-02", 30, "2032-02-29", "2032-02-29", "on_time"),  # a leap year
        ("2030-04", 31, "2030-04-30", "2030-04-30", "on_time"),
        ("2030-04", 31, "2030-05-01", "2030-04-30", "late"),
    ],
)
def test_compliance_on_the_due_day_and_after(period: str, due_day: int, submitted: str, due: str, state: str) -> None:
    found = progress.compliance(PROJECT, Month.parse(period), report(period, submitted=submitted), due_day)
    assert (found.due, found.state) == (dt.date.fromisoformat(due), state)


def test_compliance_missing_without_a_report() -> None:
    found = progress.compliance(PROJECT, Month(2030, 6), None, 25)
    assert (found.due, found.report, found.state) == (dt.date(2030, 6, 25), None, "missing")


# ---------------------------------------------------------------- reporting months


def months(*texts: str) -> list[Month]:
    return [Month.parse(t) for t in texts]


def test_reporting_months_from_the_earliest_report_to_as_of() -> None:
    assert progress.reporting_months(2030, Month(2030, 6), None, Month(2030, 9)) == months(
        "2030-06", "2030-07", "2030-08", "2030-09"
    )


def test_reporting_months_from_reporting_from() -> None:
    found = progress.reporting_months(2030, Month(2030, 6), Month(2030, 4), Month(2030, 7))
    assert found == months("2030-04", "2030-05", "2030-06", "2030-07")


def test_reporting_months_of_a_past_year_end_in_december() -> None:
    found = progress.reporting_months(2030, Month(2030, 10), None, Month(2031, 3))
    assert found == months("2030-10", "2030-11", "2030-12")


def test_no_reporting_months_without_as_of_or_before_the_year() -> None:
    assert progress.reporting_months(2030, None, None, None) == []
    assert progress.reporting_months(2031, None, Month(2031, 1), Month(2030, 12)) == []
    assert progress.reporting_months(2030, None, None, Month(2030, 12)) == []  # nothing says where to begin


# ---------------------------------------------------------------- satisfaction


@pytest.mark.parametrize(
    ("votes", "result"),
    [
        (Votes(5, 0, 5, 0), "dissatisfied"),  # 满意 exactly half: not more than half
        (Votes(6, 0, 4, 0), "satisfied"),  # just over half
        (Votes(5, 1, 4, 0), "basically_satisfied"),
        (Votes(3, 2, 5, 0), "dissatisfied"),  # 满意 + 基本满意 exactly half
        (Votes(3, 3, 4, 0), "basically_satisfied"),
        (Votes(6, 0, 0, 0), "satisfied"),
        (Votes(6, 0, 0, 6), "dissatisfied"),  # abstentions count in N
        (Votes(6, 0, 0, 5), "satisfied"),
        (Votes(4, 3, 0, 6), "basically_satisfied"),
    ],
)
def test_satisfaction(votes: Votes, result: str) -> None:
    assert progress.satisfaction(votes) == result


# ---------------------------------------------------------------- through the portfolio


def portfolio(root: Path, site_extra: str = "", files: dict[str, str] | None = None) -> Portfolio:
    tree = {
        "site.yaml": SITE_YAML + site_extra,
        "projects/2030.csv": PROJECTS_CSV,
        "projects/2030-indicators.csv": INDICATORS_CSV,
        **(files or {}),
    }
    return Portfolio.build(load.load(write_tree(root / "content", tree)))


def report_post(project: str, period: str, submitted: str, values: str = "", status: str = "") -> str:
    front = f"title: 推进情况\ndate: {submitted}\nkind: report\nprojects: [{project}]\nperiod: {period}\nsubmitted: {submitted}"
    if status:
        front += f"\nstatus: {status}"
    if values:
        front += "\nvalues:\n" + "".join(f"  {pair}\n" for pair in values.split(";"))
    return post(front)


def test_no_report_at_all_has_no_as_of_and_every_verdict_no_data(tmp_path: Path) -> None:
    p = portfolio(tmp_path)
    assert (p.as_of_date, p.as_of, p.months(2030)) == (None, None, ())
    assert {pr.id: p.state(pr).verdict for pr in p.projects} == dict.fromkeys(
        ("2030-01", "2030-02", "2030-03"), "no_data"
    )


def test_as_of_defaults_to_the_newest_period_month_end(tmp_path: Path) -> None:
    p = portfolio(
        tmp_path,
        files={
            "updates/r/1.md": report_post("2030-01", "2030-02", "2030-03-10", "toilets: 1"),
            "updates/r/2.md": report_post("2030-02", "2030-04", "2030-04-20", "lifts: 40"),
        },
    )
    assert (p.as_of_date, p.as_of) == (dt.date(2030, 4, 30), Month(2030, 4))
    assert p.months(2030) == tuple(months("2030-02", "2030-03", "2030-04"))
    # February's report filed on 10 March: late, since it was due by 25 February
    assert [c.state for c in p.record(p.by_id["2030-01"])] == ["late", "missing", "missing"]
    assert [c.state for c in p.record(p.by_id["2030-02"])] == ["missing", "missing", "on_time"]


def test_as_of_from_site_yaml_wins_over_the_newest_period(tmp_path: Path) -> None:
    p = portfolio(
        tmp_path,
        "as_of: 2030-06-15\nreporting_from: 2030-03\n",
        {"updates/r/1.md": report_post("2030-02", "2030-04", "2030-04-26", "lifts: 40")},
    )
    assert (p.as_of_date, p.as_of) == (dt.date(2030, 6, 15), Month(2030, 6))
    assert p.months(2030) == tuple(months("2030-03", "2030-04", "2030-05", "2030-06"))
    lifts = p.by_id["2030-02"]
    assert [c.state for c in p.record(lifts)] == ["missing", "late", "missing", "missing"]
    # judged in June: 40 of 120 is 33.3%, under 序时进度 50%
    assert (p.state(lifts).month, p.state(lifts).progress, p.state(lifts).verdict) == (
        Month(2030, 6),
        Decimal("33.3"),
        "behind",
    )
    # in April the same value was on schedule (40 ≥ 120 × 4/12)
    assert p.state(lifts, Month(2030, 4)).verdict == "on_schedule"


def test_a_past_year_is_judged_at_december(tmp_path: Path) -> None:
    p = portfolio(
        tmp_path,
        "as_of: 2031-03-31\n",
        {
            "projects/2031.csv": "id,seq,name,target,leaders,units,level,voted\n2031-01,1,新项目,新项目。,王一,区城管局,区级,false\n",
            "updates/r/1.md": report_post("2030-02", "2030-11", "2030-11-25", "lifts: 110"),
            "updates/r/2.md": report_post("2030-02", "2030-12", "2030-12-26", "lifts: 119"),
        },
    )
    lifts = p.by_id["2030-02"]
    state = p.state(lifts)
    assert (state.month, state.verdict, state.progress) == (Month(2030, 12), "behind", Decimal("99.2"))
    assert p.months(2030) == tuple(months("2030-11", "2030-12"))
    assert [c.state for c in p.record(lifts)] == ["on_time", "late"]
    assert p.current_year == 2031
    assert p.state(p.by_id["2031-01"]).verdict == "no_data"


def test_a_future_year_is_not_judged(tmp_path: Path) -> None:
    p = portfolio(
        tmp_path,
        "as_of: 2029-12-31\n",
    )
    state = p.state(p.by_id["2030-01"])
    assert (state.month, state.verdict) == (None, "no_data")
    assert p.months(2030) == ()


def test_portfolio_states_and_disagreement_from_posts(tmp_path: Path) -> None:
    p = portfolio(
        tmp_path,
        files={
            "updates/r/1.md": report_post("2030-01", "2030-06", "2030-06-25", "toilets: 10;coverage: 79", "done"),
            "updates/r/2.md": report_post("2030-03", "2030-06", "2030-06-26", status="lagging"),
        },
    )
    toilets, lifts, meals = (p.by_id[i] for i in ("2030-01", "2030-02", "2030-03"))
    assert p.state(toilets).verdict == "on_schedule"  # 10 of 10 done, the rate not held
    assert p.state(toilets).progress == Decimal("50.0")
    assert p.state(toilets).disagreement == "牵头单位自评“已完成”，但按指标完成值计算尚未完成"
    assert p.state(lifts).verdict == "no_data"
    assert (p.state(meals).verdict, p.state(meals).disagreement) == ("behind", "")
    assert [p.compliance(pr, Month(2030, 6)).state for pr in (toilets, lifts, meals)] == ["on_time", "missing", "late"]


def test_evaluation_result_through_the_portfolio(tmp_path: Path) -> None:
    p = portfolio(
        tmp_path,
        files={
            "updates/e.md": post(
                "title: 测评\ndate: 2030-12-20\nkind: evaluation\nprojects: [2030-02]\n"
                "votes:\n  satisfied: 20\n  basically_satisfied: 15\n  dissatisfied: 2\n  abstained: 3"
            )
        },
    )
    (evaluation,) = p.kind("evaluation")
    assert evaluation.votes == Votes(20, 15, 2, 3)
    assert progress.satisfaction(evaluation.votes) == "basically_satisfied"  # 20 is exactly half of 40
