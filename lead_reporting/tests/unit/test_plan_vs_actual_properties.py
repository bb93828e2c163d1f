"""Properties of the plan-versus-actual arithmetic (lib/funnel.py)."""

from datetime import date, timedelta

import funnel
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

MEDIA = st.sampled_from([1, 2, 3])
CAMPAIGNS = st.sampled_from([False, 10, 20])
MONTHS = st.sampled_from([date(2026, m, 1) for m in range(1, 13)])
FIGURES = st.fixed_dictionaries(
    {
        "planned_leads": st.floats(0, 500, allow_nan=False),
        "planned_revenue": st.floats(0, 1e6, allow_nan=False),
        "leads": st.integers(0, 200),
        "opportunities": st.integers(0, 100),
        "won": st.integers(0, 50),
        "lost": st.integers(0, 50),
        "won_revenue": st.floats(0, 1e6, allow_nan=False),
        "quality_sum": st.floats(0, 2e4, allow_nan=False),
    }
)
# rows per (medium, campaign, month), costs per (medium, campaign)
ROWS = st.dictionaries(st.tuples(MEDIA, CAMPAIGNS, MONTHS), FIGURES, max_size=20)
COSTS = st.dictionaries(st.tuples(MEDIA, CAMPAIGNS), st.floats(0, 1e5, allow_nan=False))
LINE = st.fixed_dictionaries(
    {
        "medium_id": st.sampled_from([False, 1, 2, 3]),
        "campaign_id": CAMPAIGNS,
        "planned_leads": st.integers(0, 300),
        "planned_revenue": st.floats(0, 1e6, allow_nan=False),
    }
)


@settings(max_examples=200, deadline=None)
@given(ROWS, COSTS, st.lists(LINE, max_size=4))
def test_total_is_the_sum_of_the_months(rows, costs, lines):
    total, _lines, _unplanned = funnel.plan_vs_actual(rows, costs, lines)
    for key in funnel.FIGURES:
        assert total[key] == pytest.approx(sum(row[key] for row in rows.values()))
    # month by month: the sum of the monthly totals is the total
    months = {key[2] for key in rows}
    monthly = [
        funnel.plan_vs_actual({k: v for k, v in rows.items() if k[2] == month}, {}, [])[0]
        for month in months
    ]
    for key in ("leads", "won", "won_revenue", "planned_leads"):
        assert sum(month[key] for month in monthly) == pytest.approx(total[key])
    assert total["cost"] == pytest.approx(sum(costs.values()))


@settings(max_examples=200, deadline=None)
@given(ROWS, COSTS)
def test_lines_per_medium_and_the_unplanned_sources_make_up_the_total(rows, costs):
    # one line per medium 1 and 2 (any campaign): disjoint, medium 3 is unplanned
    lines = [
        {"medium_id": medium, "campaign_id": False, "planned_leads": 10, "planned_revenue": 1.0}
        for medium in (1, 2)
    ]
    total, per_line, unplanned = funnel.plan_vs_actual(rows, costs, lines)
    unplanned_leads = unplanned["leads"] if unplanned else 0
    assert sum(line["leads"] for line in per_line) + unplanned_leads == total["leads"]
    has_unplanned = any(key[0] == 3 and row["leads"] for key, row in rows.items())
    assert (unplanned is not None) == has_unplanned
    if unplanned:
        assert unplanned["planned_leads"] == 0
        assert unplanned["deviation_leads"] is None


@given(FIGURES, st.floats(0, 1e5, allow_nan=False))
def test_deviation_signs(sums, cost):
    data = funnel.actual_figures(sums, cost)
    planned, actual = sums["planned_leads"], sums["leads"]
    if not planned:
        # nothing planned: no deviation (n/a), whatever happened
        assert data["deviation_leads"] is None
    elif actual > planned:
        assert data["deviation_leads"] > 0
    elif actual < planned:
        assert data["deviation_leads"] < 0
    else:
        assert data["deviation_leads"] == 0
    if sums["planned_revenue"]:
        # nothing won is 100 % below plan, never more
        assert data["deviation_revenue"] >= -100.0 - 1e-9
        won, revenue = sums["won_revenue"], sums["planned_revenue"]
        assert (data["deviation_revenue"] > 0) == (won > revenue)


@given(FIGURES)
def test_zero_plans_and_empty_rows(sums):
    sums = dict(sums, planned_leads=0, planned_revenue=0)
    data = funnel.actual_figures(sums, 0.0)
    assert data["deviation_leads"] is None
    assert data["deviation_revenue"] is None
    assert data["revenue_per_cost"] is None
    total, per_line, unplanned = funnel.plan_vs_actual({}, {}, [])
    assert (per_line, unplanned) == ([], None)
    assert total["leads"] == 0
    assert total["conversion_lead_won"] is None
    assert total["average_quality"] is None


def test_line_without_medium_takes_every_medium_of_its_campaign():
    rows = {
        (1, 10, None): {"leads": 3},
        (2, 10, None): {"leads": 4},
        (2, 20, None): {"leads": 5},
    }
    lines = [{"medium_id": False, "campaign_id": 10, "planned_leads": 10, "planned_revenue": 0}]
    total, [line], unplanned = funnel.plan_vs_actual(rows, {(2, 10): 70.0, (2, 20): 5.0}, lines)
    assert (line["leads"], line["deviation_leads"], line["cost"]) == (7, -30.0, 70.0)
    assert (unplanned["leads"], unplanned["cost"]) == (5, 5.0)
    assert total["leads"] == 12


@given(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.integers(0, 800))
def test_month_shares_spread_the_whole_period(start, days):
    shares = funnel.month_shares(start, start + timedelta(days=days))
    assert sum(share for _month, share in shares) == pytest.approx(1.0)
    assert all(month.day == 1 for month, _share in shares)
    assert [month for month, _ in shares] == sorted({month for month, _ in shares})


@given(
    st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    st.integers(0, 800),
    st.integers(-100, 900),
)
def test_month_shares_to_date_grow_to_the_whole_period(start, days, elapsed):
    end, today = start + timedelta(days=days), start + timedelta(days=elapsed)
    shares = funnel.month_shares(start, end)
    to_date = funnel.month_shares_to_date(start, end, today)
    # the same months, none holds more until today than in all
    assert [month for month, _ in to_date] == [month for month, _ in shares]
    for (_month, due), (_m, share) in zip(to_date, shares, strict=True):
        assert 0.0 <= due <= share + 1e-12
    # the elapsed days (today included) of the period
    elapsed_days = min(max(elapsed + 1, 0), days + 1)
    assert sum(share for _month, share in to_date) == pytest.approx(elapsed_days / (days + 1))
    # months ahead of today are not due at all
    assert all(not share for month, share in to_date if month > today)


DUE = st.floats(0, 1e4, allow_nan=False)


@given(DUE, st.integers(0, 10_000), st.one_of(st.none(), st.floats(0, 100, allow_nan=False)))
def test_deviation_to_date_only_on_a_whole_unit(due, actual, units):
    deviation = funnel.deviation_to_date(due, actual, due_units=units)
    base = due if units is None else units
    if round(base, 6) < funnel.MIN_DUE_UNITS or not due:
        assert deviation is None
        return
    assert deviation == pytest.approx(funnel.deviation_percent(due, actual))
    assert (deviation > 0) == (actual > due)
    assert deviation >= -100.0 - 1e-9


@given(DUE, st.integers(0, 10_000))
def test_lead_deviation_to_date_never_exceeds_100_percent_per_lead(due, actual):
    # the base is at least one lead: each lead more or less than due moves the deviation
    # by 100 points at most (a fraction of a lead as base made 9 leads read +3,200 %)
    deviation = funnel.deviation_to_date(due, actual)
    if deviation is not None:
        assert abs(deviation) <= 100.0 * abs(actual - due) * (1 + 1e-5) + 1e-6


def test_none_to_false():
    assert funnel.none_to_false({"a": None, "b": [None, 1], "c": {"d": None}}) == {
        "a": False,
        "b": [False, 1],
        "c": {"d": False},
    }


PLAN = st.fixed_dictionaries(
    {
        "planned_leads": st.integers(0, 500),
        "required_leads": st.integers(0, 500),
        "planned_revenue": st.floats(0, 1e6, allow_nan=False),
        "revenue_target": st.floats(0, 1e6, allow_nan=False),
        "conversion_lead_opportunity": st.floats(0, 100, allow_nan=False),
        "conversion_opportunity_won": st.floats(0, 100, allow_nan=False),
        "conversion_lead_won": st.floats(0, 100, allow_nan=False),
    }
)


@given(PLAN, ROWS, COSTS)
def test_plan_comparison_signs_and_zero_plans(plan, rows, costs):
    total, _lines, _unplanned = funnel.plan_vs_actual(rows, costs, [])
    result = funnel.plan_comparison(plan, total)
    deviation = result["deviation"]
    assert result["actual"]["leads"] == total["leads"]
    for key, planned, actual in (
        ("leads", plan["planned_leads"], total["leads"]),
        ("required_leads", plan["required_leads"], total["leads"]),
    ):
        if not planned:
            assert deviation[key] is None
        else:
            assert (deviation[key] > 0) == (actual > planned)
            assert (deviation[key] < 0) == (actual < planned)
    if not plan["revenue_target"]:
        assert deviation["revenue_target"] is None
    if total["conversion_lead_opportunity"] is None:
        assert deviation["conversion_lead_opportunity"] is None
    else:
        assert deviation["conversion_lead_opportunity"] == pytest.approx(
            total["conversion_lead_opportunity"] - plan["conversion_lead_opportunity"]
        )
    # the planned opportunities and won deals never exceed the planned leads
    assert result["planned"]["opportunities"] <= plan["planned_leads"] + 1e-9
    assert result["planned"]["won"] <= plan["planned_leads"] + 1e-9
