import random
from datetime import date, timedelta

from odoo.tests import tagged

from ..lib import funnel
from .common import FunnelCase


@tagged("post_install", "-at_install")
class TestPlanMonthShares(FunnelCase):
    """The plan-versus-actual view spreads each line's planned leads and revenue over the
    plan's months in SQL; funnel.month_shares is the rule it implements: checked on random
    periods (the totals of the months are the plan's)."""

    def test_view_spreads_the_plan_like_month_shares(self):
        plan = self._plan()
        Report = self.env["lead.funnel.report"]
        rng = random.Random(20261201)
        for _round in range(25):
            start = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 900))
            end = start + timedelta(days=rng.randrange(0, 500))
            # the period as such: the view does not care about the plan's constraints
            self.env.cr.execute(
                "UPDATE lead_funnel_plan SET date_from = %s, date_to = %s WHERE id = %s",
                (start, end, plan.id),
            )
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
