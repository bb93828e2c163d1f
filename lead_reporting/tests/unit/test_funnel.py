"""Funnel arithmetic against hand-computed figures."""

from datetime import date

import funnel
import pytest


def test_required_leads_hand_computed():
    # 1,000,000 target, 20,000 per deal, 25 % lead->opp, 40 % opp->won:
    # lead->won 10 %, one lead is worth 2,000, so 500 leads.
    assert funnel.required_leads(1_000_000, 20_000, 25, 40) == 500


def test_required_leads_rounds_up_to_whole_leads():
    # 100,000 / (30,000 x 0.3 x 0.5 = 4,500 per lead) = 22.2 -> 23
    assert funnel.required_leads(100_000, 30_000, 30, 50) == 23


def test_required_leads_exact_division_is_not_rounded_up():
    # float noise 0.1 * 0.3 must not turn 1000 into 1001
    assert funnel.required_leads(3_000, 100, 10, 30) == 1000


def test_required_leads_undefined_without_conversion():
    assert funnel.required_leads(100_000, 30_000, 0, 50) is None
    assert funnel.required_leads(100_000, 0, 30, 50) is None


def test_expected_revenue_gap_and_feasibility():
    planned = funnel.expected_revenue(300, 10, 20_000) + funnel.expected_revenue(150, 5, 20_000)
    assert planned == pytest.approx(750_000)
    assert funnel.gap(1_000_000, planned) == pytest.approx(250_000)
    assert not funnel.is_feasible(1_000_000, planned)
    assert funnel.is_feasible(750_000, planned)
    assert funnel.gap(500_000, planned) == pytest.approx(-250_000)


def test_history_rates():
    # 40 leads, 10 became opportunities, 4 won, 4 lost, 60,000 won revenue
    rates = funnel.history_rates(40, 10, 4, 4, 60_000)
    assert rates["lead_to_opportunity"] == pytest.approx(25.0)
    assert rates["opportunity_to_won"] == pytest.approx(50.0)
    assert rates["average_deal_value"] == pytest.approx(15_000)


def test_history_rates_without_history():
    rates = funnel.history_rates(0, 0, 0, 0, 0)
    assert rates == {
        "lead_to_opportunity": None,
        "opportunity_to_won": None,
        "average_deal_value": None,
    }


def test_deviation_percent():
    assert funnel.deviation_percent(200, 150) == pytest.approx(-25.0)
    assert funnel.deviation_percent(200, 260) == pytest.approx(30.0)
    assert funnel.deviation_percent(0, 10) is None


def test_deviation_to_date_needs_a_whole_unit_due():
    # a year's plan of 100 leads on its first day: 100 / 365 = 0.27 leads due; 9 received
    # would read +3,185 %: n/a until a whole lead is due
    assert funnel.deviation_to_date(100 / 365, 9) is None
    # on the fourth day 400 / 365 = 1.1 leads are due
    assert funnel.deviation_to_date(400 / 365, 9) == pytest.approx(
        (9 - 400 / 365) / (400 / 365) * 100
    )
    # three thirds of a lead are a whole lead, despite the float sum
    assert funnel.deviation_to_date(1 / 3 + 1 / 3 + 1 / 3, 2) == pytest.approx(100.0)
    assert funnel.deviation_to_date(0, 5) is None
    # revenue: 3,000 due, but only 0.6 of a won deal behind it: n/a; with 1.2 deals it reads
    assert funnel.deviation_to_date(3000, 5000, due_units=0.6) is None
    assert funnel.deviation_to_date(6000, 4500, due_units=1.2) == pytest.approx(-25.0)


def test_kpi_attainment_more_is_better():
    assert funnel.kpi_attainment(200, 150) == (pytest.approx(75.0), False)
    assert funnel.kpi_attainment(200, 200) == (pytest.approx(100.0), True)
    assert funnel.kpi_attainment(0, 10) == (None, None)


def test_kpi_attainment_cost_lower_is_better():
    # allowed 50 per lead, spent 40 -> 125 % attained, met
    assert funnel.kpi_attainment(50, 40, lower_is_better=True) == (pytest.approx(125.0), True)
    assert funnel.kpi_attainment(50, 100, lower_is_better=True) == (pytest.approx(50.0), False)


def test_roi():
    figures = funnel.roi(10_000, 200, 4, 80_000)
    assert figures["cost_per_lead"] == pytest.approx(50.0)
    assert figures["cost_per_won"] == pytest.approx(2_500.0)
    assert figures["revenue_per_cost"] == pytest.approx(8.0)
    assert funnel.roi(0, 0, 0, 0) == {
        "cost_per_lead": None,
        "cost_per_won": None,
        "revenue_per_cost": None,
    }


def test_rate_check():
    assert funnel.check_rate(0) and funnel.check_rate(100) and funnel.check_rate(37.5)
    assert not funnel.check_rate(-0.1)
    assert not funnel.check_rate(100.1)
    assert not funnel.check_rate(None)


def test_report_schedule():
    assert funnel.next_report_date(date(2026, 1, 5), "weekly") == date(2026, 1, 12)
    assert funnel.next_report_date(date(2026, 1, 31), "monthly") == date(2026, 2, 28)
    assert funnel.next_report_date(date(2026, 11, 30), "quarterly") == date(2027, 2, 28)
    assert funnel.is_report_due(date(2026, 1, 1), None, "monthly")
    assert not funnel.is_report_due(date(2026, 1, 11), date(2026, 1, 5), "weekly")
    assert funnel.is_report_due(date(2026, 1, 12), date(2026, 1, 5), "weekly")
    with pytest.raises(ValueError):
        funnel.next_report_date(date(2026, 1, 1), "daily")


def test_month_shares():
    shares = funnel.month_shares(date(2026, 1, 16), date(2026, 3, 31))
    # 16 days of January, 28 of February, 31 of March = 75 days
    assert [month for month, _share in shares] == [
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    assert [share for _month, share in shares] == pytest.approx([16 / 75, 28 / 75, 31 / 75])
    assert sum(share for _m, share in shares) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        funnel.month_shares(date(2026, 2, 1), date(2026, 1, 1))


def test_month_shares_to_date():
    # until 10 February (the day counts): 16 days of January, 10 of February, none of March
    shares = funnel.month_shares_to_date(date(2026, 1, 16), date(2026, 3, 31), date(2026, 2, 10))
    assert [month for month, _share in shares] == [
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    assert [share for _month, share in shares] == pytest.approx([16 / 75, 10 / 75, 0.0])
    # before the start nothing is due, after the end all of it
    before = funnel.month_shares_to_date(date(2026, 1, 16), date(2026, 3, 31), date(2026, 1, 1))
    assert [share for _month, share in before] == [0.0, 0.0, 0.0]
    after = funnel.month_shares_to_date(date(2026, 1, 16), date(2026, 3, 31), date(2027, 1, 1))
    assert after == funnel.month_shares(date(2026, 1, 16), date(2026, 3, 31))


def test_month_span():
    assert funnel.month_span(date(2026, 2, 1), date(2026, 1, 16), date(2026, 3, 31)) == (
        date(2026, 2, 1),
        date(2026, 2, 28),
    )
    assert funnel.month_span(date(2026, 1, 1), date(2026, 1, 16), date(2026, 3, 10)) == (
        date(2026, 1, 16),
        date(2026, 1, 31),
    )
    assert funnel.month_span(date(2026, 3, 1), date(2026, 1, 16), date(2026, 3, 10)) == (
        date(2026, 3, 1),
        date(2026, 3, 10),
    )
    assert funnel.month_span(date(2026, 4, 1), date(2026, 1, 16), date(2026, 3, 10)) is None
