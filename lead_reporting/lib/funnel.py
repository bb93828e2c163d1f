"""Funnel arithmetic for lead planning and reporting (pure Python, no Odoo).

Rates are percentages (0-100). Money values are plain floats in one currency.
Every function is total: where a figure is undefined (division by zero) it
returns ``None`` instead of raising, so reports can show "n/a".
"""

import math
from datetime import date, timedelta

FREQUENCIES = ("weekly", "monthly", "quarterly")


def ratio(numerator, denominator):
    """``numerator / denominator`` or ``None`` when the denominator is 0 or missing."""
    if not denominator:
        return None
    return numerator / denominator


def percent(numerator, denominator):
    """``numerator / denominator`` in percent, ``None`` when undefined."""
    value = ratio(numerator, denominator)
    return None if value is None else 100.0 * value


def check_rate(rate):
    """True when ``rate`` is a valid conversion rate in percent (0-100)."""
    return rate is not None and 0.0 <= rate <= 100.0


def lead_to_won_rate(lead_to_opportunity, opportunity_to_won):
    """Overall lead -> won rate in percent from the two step rates in percent."""
    return lead_to_opportunity * opportunity_to_won / 100.0


def required_leads(revenue_target, average_deal_value, lead_to_opportunity, opportunity_to_won):
    """Leads needed to reach the revenue target.

    required = target / (average deal value x lead->won rate), rounded up to a
    whole lead. ``None`` when the deal value or a rate is zero (the target
    cannot be reached by any number of leads).
    """
    per_lead = (
        average_deal_value * lead_to_won_rate(lead_to_opportunity, opportunity_to_won) / 100.0
    )
    if revenue_target <= 0:
        return 0
    if per_lead <= 0:
        return None
    # round() guards against float noise such as 100.00000000001 -> 101
    return math.ceil(round(revenue_target / per_lead, 6))


def expected_revenue(planned_leads, conversion, average_deal_value):
    """Revenue expected from ``planned_leads`` at ``conversion`` % lead->won."""
    return planned_leads * conversion / 100.0 * average_deal_value


def gap(revenue_target, planned_revenue):
    """Revenue missing to reach the target (positive) or surplus (negative)."""
    return revenue_target - planned_revenue


def is_feasible(revenue_target, planned_revenue, tolerance=0.005):
    """The planned revenue reaches the target (a half-cent tolerance for floats)."""
    return planned_revenue + tolerance >= revenue_target


def history_rates(lead_count, opportunity_count, won_count, lost_count, won_revenue):
    """Conversion rates and average deal value observed in history.

    - lead -> opportunity = opportunities / all leads of the window;
    - opportunity -> won = won / decided opportunities (won + lost); open
      opportunities have not decided yet and would bias the rate downwards;
    - average deal value = won revenue / won count.

    Returns a dict with ``lead_to_opportunity``, ``opportunity_to_won`` (percent)
    and ``average_deal_value``; each is ``None`` when there is no history.
    """
    return {
        "lead_to_opportunity": percent(opportunity_count, lead_count),
        "opportunity_to_won": percent(won_count, won_count + lost_count),
        "average_deal_value": ratio(won_revenue, won_count),
    }


def deviation_percent(planned, actual):
    """Deviation of the actual from the plan in percent of the plan.

    -25.0 means a quarter below plan; ``None`` when nothing was planned.
    """
    if not planned:
        return None
    return 100.0 * (actual - planned) / planned


#: a deviation to date is measured against at least one whole unit of what is compared
#: (a lead for leads, a won deal for revenue): on the first day of a month, a year's plan
#: of 100 leads is due by 0.27 leads, and nine leads received that day would read +3,200 %
MIN_DUE_UNITS = 1.0


def is_due(due_units, minimum=MIN_DUE_UNITS):
    """The plan expects at least ``minimum`` whole units by today (float noise such as
    0.9999999 for three thirds of a lead counts as the whole unit)."""
    return due_units is not None and round(due_units, 6) >= minimum


def deviation_to_date(due, actual, due_units=None, minimum=MIN_DUE_UNITS):
    """Deviation of ``actual`` from the plan due until today (``due``), in percent of it.

    ``due_units``: how many whole units ``due`` stands for (the planned won deals behind a
    planned revenue); ``due`` itself when omitted (leads). ``None`` (n/a) until the plan
    expects ``minimum`` units by today: the months ahead, the first days of a month, the
    first days of a plan. The plan-versus-actual view computes the same in SQL
    (``lead.funnel.report``, checked against this function on random plans).
    """
    if not is_due(due if due_units is None else due_units, minimum):
        return None
    return deviation_percent(due, actual)


def kpi_attainment(target, actual, lower_is_better=False):
    """Attainment of a success criterion in percent and whether it is met.

    For "more is better" figures (leads, revenue, quality) attainment is
    actual / target; for costs (cost per lead) it is target / actual, so that
    spending less than allowed counts as more than 100 %. Returns
    ``(attainment, met)``; ``(None, None)`` when no target is set.
    """
    if not target:
        return None, None
    if actual is None:
        return None, False
    if lower_is_better:
        if actual <= 0:
            return None, True
        return 100.0 * target / actual, actual <= target
    return 100.0 * actual / target, actual >= target


def roi(cost, lead_count, won_count, won_revenue):
    """Return on marketing spend: cost per lead, cost per won deal, revenue / cost."""
    return {
        "cost_per_lead": ratio(cost, lead_count),
        "cost_per_won": ratio(cost, won_count),
        "revenue_per_cost": ratio(won_revenue, cost),
    }


def add_months(day, months):
    """``day`` moved by whole months, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    next_first = date(year + month // 12, month % 12 + 1, 1)
    last = (next_first - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def next_report_date(last_date, frequency):
    """The date the next digest is due after one sent on ``last_date``."""
    if frequency == "weekly":
        return last_date + timedelta(days=7)
    if frequency == "monthly":
        return add_months(last_date, 1)
    if frequency == "quarterly":
        return add_months(last_date, 3)
    raise ValueError(f"unknown reporting frequency {frequency!r}")


def is_report_due(today, last_date, frequency):
    """A digest is due when none was sent yet or its next date has come."""
    return not last_date or next_report_date(last_date, frequency) <= today


def month_span(month, date_from, date_to):
    """The days of the period ``date_from`` .. ``date_to`` that fall into the calendar month
    starting on ``month`` (its first day): ``(first, last)``, or ``None`` when none does."""
    first = max(month, date_from)
    last = min(add_months(month, 1) - timedelta(days=1), date_to)
    return (first, last) if first <= last else None


def _months(date_from, date_to):
    """First days of the calendar months the period touches."""
    month = date_from.replace(day=1)
    while month <= date_to:
        yield month
        month = add_months(month, 1)


def month_shares(date_from, date_to):
    """Share of a period falling into each calendar month, by days.

    Returns ``[(first_day_of_month, share)]``; the shares add up to 1. The rule by which
    the plan-versus-actual view spreads a plan line's leads and revenue over the plan's
    months (in SQL; tests/test_plan_month_shares.py checks the view against it).
    """
    if date_to < date_from:
        raise ValueError("period ends before it starts")
    total = (date_to - date_from).days + 1
    shares = []
    for month in _months(date_from, date_to):
        first, last = month_span(month, date_from, date_to)
        shares.append((month, ((last - first).days + 1) / total))
    return shares


def month_shares_to_date(date_from, date_to, today):
    """Share of a period that each calendar month holds until ``today`` (included: the
    day has begun), by days: ``[(first_day_of_month, share)]`` for every month of the
    period, 0 for the months ahead. The basis of the deviations to date; the shares add
    up to the part of the period elapsed by today."""
    if date_to < date_from:
        raise ValueError("period ends before it starts")
    total = (date_to - date_from).days + 1
    shares = []
    for month in _months(date_from, date_to):
        span = month_span(month, date_from, min(date_to, today))
        days = (span[1] - span[0]).days + 1 if span else 0
        shares.append((month, days / total))
    return shares


# ----------------------------------------------------------------------
# plan versus actual
# ----------------------------------------------------------------------
# the figures the plan-versus-actual report adds up per row (planned leads and revenue of
# the plan lines spread over their months, the actual leads of the plan's team and period)
FIGURES = (
    "planned_leads",
    "planned_revenue",
    "leads",
    "opportunities",
    "won",
    "lost",
    "won_revenue",
    "quality_sum",
)


def add_up(rows):
    """Sum of each figure of ``FIGURES`` over ``rows`` (dicts; missing or ``None`` count 0)."""
    rows = list(rows)
    return {key: sum(row.get(key) or 0 for row in rows) for key in FIGURES}


def actual_figures(sums, cost):
    """Ratios of summed figures (``add_up``) and their marketing ``cost``: average quality,
    the conversions, cost per lead and per won deal, revenue per cost, and the deviations of
    leads and won revenue from the planned ones (percent of plan, ``None`` without plan)."""
    data = dict(sums, cost=cost)
    data["average_quality"] = ratio(data["quality_sum"], data["leads"])
    data["conversion_lead_opportunity"] = percent(data["opportunities"], data["leads"])
    data["conversion_opportunity_won"] = percent(data["won"], data["won"] + data["lost"])
    data["conversion_lead_won"] = percent(data["won"], data["leads"])
    data.update(roi(cost, data["leads"], data["won"], data["won_revenue"]))
    data["deviation_leads"] = deviation_percent(data["planned_leads"], data["leads"])
    data["deviation_revenue"] = deviation_percent(data["planned_revenue"], data["won_revenue"])
    return data


def line_matches(key, medium_id, campaign_id):
    """An actual row of ``key`` (medium id, campaign id, ...) belongs to a plan line of
    ``medium_id`` and ``campaign_id`` (a line without medium or campaign takes any)."""
    return (not medium_id or key[0] == medium_id) and (not campaign_id or key[1] == campaign_id)


def plan_vs_actual(rows, costs, lines):
    """Plan versus actual from the report's rows.

    ``rows``: {(medium id, campaign id, ...): figures of ``FIGURES``} (a key may go on,
    e.g. with the month); ``costs``: {(medium id, campaign id): cost}; ``lines``: the plan
    lines, dicts with ``medium_id``, ``campaign_id``, ``planned_leads`` and
    ``planned_revenue``. Returns ``(total, lines, unplanned)``: the figures of all rows, of
    each line (its actual rows, its own plan), and of the actual rows no line covers
    (``None`` when there are none with leads); the total's cost is all of ``costs``."""

    def cost_of(keys):
        return sum(costs.get(pair, 0.0) for pair in {key[:2] for key in keys})

    total = actual_figures(add_up(rows.values()), sum(costs.values()))
    per_line, matched = [], set()
    for line in lines:
        keys = [key for key in rows if line_matches(key, line["medium_id"], line["campaign_id"])]
        matched.update(keys)
        sums = add_up(rows[key] for key in keys)
        sums.update(planned_leads=line["planned_leads"], planned_revenue=line["planned_revenue"])
        per_line.append(actual_figures(sums, cost_of(keys)))
    unplanned_keys = [key for key in rows if key not in matched and rows[key].get("leads")]
    unplanned = None
    if unplanned_keys:
        sums = add_up(rows[key] for key in unplanned_keys)
        sums.update(planned_leads=0, planned_revenue=0)
        unplanned = actual_figures(sums, cost_of(unplanned_keys))
    return total, per_line, unplanned


ACTUAL_KEYS = (
    "leads",
    "opportunities",
    "won",
    "lost",
    "won_revenue",
    "average_quality",
    "cost",
    "cost_per_lead",
    "cost_per_won",
    "revenue_per_cost",
    "conversion_lead_opportunity",
    "conversion_opportunity_won",
    "conversion_lead_won",
)


def plan_comparison(plan, total):
    """The plan's figures, the actual ones (``total`` of :func:`plan_vs_actual`) and the
    deviations: ``{"planned": ..., "actual": ..., "deviation": ...}``. ``plan`` holds
    ``planned_leads``, ``required_leads``, ``planned_revenue``, ``revenue_target`` and the
    three conversion rates in percent. Leads and revenue deviate in percent of the plan (``None``
    without plan), the rates in percentage points (``None`` without actual rate)."""
    return {
        "planned": {
            "leads": plan["planned_leads"],
            "required_leads": plan["required_leads"],
            "opportunities": plan["planned_leads"] * plan["conversion_lead_opportunity"] / 100.0,
            "won": plan["planned_leads"] * plan["conversion_lead_won"] / 100.0,
            "revenue": plan["planned_revenue"],
            "revenue_target": plan["revenue_target"],
        },
        "actual": {key: total[key] for key in ACTUAL_KEYS},
        "deviation": {
            "leads": deviation_percent(plan["planned_leads"], total["leads"]),
            "required_leads": deviation_percent(plan["required_leads"], total["leads"]),
            "revenue": deviation_percent(plan["planned_revenue"], total["won_revenue"]),
            "revenue_target": deviation_percent(plan["revenue_target"], total["won_revenue"]),
            "conversion_lead_opportunity": difference(
                total["conversion_lead_opportunity"], plan["conversion_lead_opportunity"]
            ),
            "conversion_opportunity_won": difference(
                total["conversion_opportunity_won"], plan["conversion_opportunity_won"]
            ),
        },
    }


def difference(actual, planned):
    """``actual - planned``, ``None`` when the actual figure is undefined."""
    return None if actual is None else actual - planned


def none_to_false(value):
    """``value`` with every ``None`` inside (dicts, lists) replaced by ``False`` (XML-RPC)."""
    if isinstance(value, dict):
        return {key: none_to_false(item) for key, item in value.items()}
    if isinstance(value, list):
        return [none_to_false(item) for item in value]
    return False if value is None else value
