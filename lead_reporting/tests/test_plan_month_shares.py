import random
from datetime import date, timedelta

from odoo.tests import tagged

from ..lib import funnel
from .common import FunnelCase


@tagged("post_install", "-at_install")
class TestPlanMonthShares(FunnelCase):
    """The plan-versus-actual view spreads each line's planned leads and revenue over the
    plan's months in SQL, and measures the deviations to date in SQL: funnel.month_shares,
    funnel.month_shares_to_date and funnel.deviation_to_date are the rules it implements,
    checked here on random periods and plans."""

    def _move_plan(self, plan, start, end):
        # the period as such: the view does not care about the plan's constraints
        self.env.cr.execute(
            "UPDATE lead_funnel_plan SET date_from = %s, date_to = %s WHERE id = %s",
            (start, end, plan.id),
        )

    def test_view_spreads_the_plan_like_month_shares(self):
        plan = self._plan()
        Report = self.env["lead.funnel.report"]
        rng = random.Random(20261201)
        for _round in range(25):
            start = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 900))
            end = start + timedelta(days=rng.randrange(0, 500))
            self._move_plan(plan, start, end)
            rows = Report._read_group(
                [("plan_id", "=", plan.id), ("row_kind", "=", "planned")],
                ["date:month"],
                ["planned_leads:sum", "planned_revenue:sum"],
            )
            expected = funnel.month_shares(start, end)
            with self.subTest(start=start, end=end):
                self.assertEqual([month for month, *_ in rows], [m for m, _s in expected])
                for (_month, leads, revenue), (_m, share) in zip(rows, expected, strict=True):
                    self.assertAlmostEqual(leads, plan.planned_leads * share, places=6)
                    self.assertAlmostEqual(revenue, plan.planned_revenue * share, places=2)
                self.assertAlmostEqual(sum(row[1] for row in rows), plan.planned_leads, places=6)

    def test_view_deviations_to_date_follow_the_rule(self):
        plan = self._plan()
        Report = self.env["lead.funnel.report"]
        self.env.cr.execute("SELECT CURRENT_DATE")
        [today] = self.env.cr.fetchone()
        rng = random.Random(20260101)
        shown = hidden = 0
        for _round in range(25):
            # periods around today: started or not, over or running
            start = today - timedelta(days=rng.randrange(-60, 400))
            end = start + timedelta(days=rng.randrange(0, 500))
            self._move_plan(plan, start, end)
            # small plans (less than a lead due in a month) and large ones
            lines = [
                (
                    line,
                    rng.choice([0, 1, 2, 5, 40, 300]),
                    rng.uniform(0, 40),
                    rng.uniform(0, 5e5),
                )
                for line in plan.line_ids
            ]
            for line, leads, conversion, revenue in lines:
                self.env.cr.execute(
                    "UPDATE lead_funnel_plan_line SET planned_leads = %s, "
                    "expected_conversion = %s, expected_revenue = %s WHERE id = %s",
                    (leads, conversion, revenue, line.id),
                )
            shares = dict(funnel.month_shares_to_date(start, end, today))
            due = {
                month: (
                    sum(leads * share for _l, leads, _c, _r in lines),
                    sum(leads * conversion / 100 * share for _l, leads, conversion, _r in lines),
                    sum(revenue * share for _l, _leads, _c, revenue in lines),
                )
                for month, share in shares.items()
            }
            rows = Report._read_group(
                [("plan_id", "=", plan.id)],
                ["date:month"],
                [
                    "planned_leads_to_date:sum",
                    "planned_won_to_date:sum",
                    "lead_count:sum",
                    "won_revenue:sum",
                    "lead_deviation:avg",
                    "revenue_deviation:avg",
                ],
            )
            self.assertEqual([row[0] for row in rows], sorted(shares))
            for month, leads_due, won_due, count, won, lead_dev, revenue_dev in rows:
                due_leads, due_won, due_revenue = due[month]
                expected_lead = funnel.deviation_to_date(due_leads, count)
                expected_revenue = funnel.deviation_to_date(due_revenue, won, due_units=due_won)
                with self.subTest(start=start, end=end, month=month):
                    self.assertAlmostEqual(leads_due, due_leads, places=6)
                    self.assertAlmostEqual(won_due, due_won, places=6)
                    self._assert_deviation(lead_dev, expected_lead)
                    self._assert_deviation(revenue_dev, expected_revenue)
                shown += expected_lead is not None
                hidden += expected_lead is None
            # the plan as a whole (the pivot's total row)
            [(count, won, lead_dev, revenue_dev)] = Report._read_group(
                [("plan_id", "=", plan.id)],
                [],
                [
                    "lead_count:sum",
                    "won_revenue:sum",
                    "lead_deviation:avg",
                    "revenue_deviation:avg",
                ],
            )
            total = [sum(figures[index] for figures in due.values()) for index in range(3)]
            with self.subTest(start=start, end=end):
                self._assert_deviation(lead_dev, funnel.deviation_to_date(total[0], count))
                self._assert_deviation(
                    revenue_dev, funnel.deviation_to_date(total[2], won, due_units=total[1])
                )
        # the random plans went through both sides of the rule
        self.assertGreater(shown, 10)
        self.assertGreater(hidden, 10)

    def _assert_deviation(self, value, expected):
        if expected is None:
            self.assertIs(value, False)
        else:
            self.assertAlmostEqual(value, expected, delta=1e-6 * max(1.0, abs(expected)))
