from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import FunnelCase


@tagged("post_install", "-at_install")
class TestFunnelPlan(FunnelCase):
    def test_history_defaults(self):
        plan = self._plan()
        self.assertEqual(plan.history_lead_count, 40)
        self.assertEqual(plan.history_won_count, 4)
        self.assertAlmostEqual(plan.history_average_deal_value, 12000.0)
        self.assertAlmostEqual(plan.history_conversion_lead_opportunity, 25.0)
        self.assertAlmostEqual(plan.history_conversion_opportunity_won, 50.0)
        # values not entered by the planner default to the history
        self.assertAlmostEqual(plan.average_deal_value, 12000.0)
        self.assertAlmostEqual(plan.conversion_lead_opportunity, 25.0)
        self.assertAlmostEqual(plan.conversion_opportunity_won, 50.0)
        self.assertAlmostEqual(plan.conversion_lead_won, 12.5)

    def test_entered_values_win_over_history(self):
        plan = self._plan(average_deal_value=10000.0, conversion_lead_opportunity=20.0)
        self.assertAlmostEqual(plan.average_deal_value, 10000.0)
        self.assertAlmostEqual(plan.conversion_lead_opportunity, 20.0)
        self.assertAlmostEqual(plan.conversion_opportunity_won, 50.0)

    def test_future_plan_counts_leads_created_this_very_second(self):
        """A plan for the future learns from everything until now, including leads
        created a fraction of a second ago (fields.Datetime.now() is cut to the second)."""
        team = self.env["crm.team"].create({"name": "Brand-new team"})
        lead = self.env["crm.lead"].create({"name": "Just now", "team_id": team.id})
        just_now = fields.Datetime.now() + timedelta(microseconds=999_999)
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s", (just_now, lead.id)
        )
        lead.invalidate_recordset(["create_date"])
        plan = self._plan(team_id=team.id, date_from=fields.Date.today() + timedelta(days=1))
        self.assertEqual(plan.history_lead_count, 1)

    def test_history_window_is_configurable(self):
        # a window of 2 months before the start holds none of the history
        plan = self._plan(history_months=2)
        self.assertEqual(plan.history_lead_count, 0)
        self.assertEqual(plan.history_average_deal_value, 0.0)
        # 15 months reach the won deal 14 months back (1,000,000)
        plan = self._plan(history_months=15, name="long")
        self.assertEqual(plan.history_won_count, 5)
        self.assertAlmostEqual(plan.history_average_deal_value, (48000 + 1_000_000) / 5)

    def test_line_conversion_defaults_from_medium_history(self):
        plan = self._plan()
        phone_line, email_line = plan.line_ids
        # Phone: 8/20 = 40 % -> opp, 4/(4+2) won -> 26.67 % lead -> won
        self.assertAlmostEqual(phone_line.history_conversion, 40.0 * (4 / 6 * 100) / 100)
        self.assertAlmostEqual(phone_line.expected_conversion, 26.6667, places=3)
        self.assertAlmostEqual(email_line.expected_conversion, 10.0)  # entered
        self.assertAlmostEqual(email_line.history_conversion, 0.0)

    def test_required_leads_and_feasibility(self):
        plan = self._plan()
        # 120,000 / (12,000 x 12.5 %) = 80 leads
        self.assertEqual(plan.required_leads, 80)
        self.assertEqual(plan.planned_leads, 60)
        # 40 x 26.667 % x 12,000 = 128,000 ; 20 x 10 % x 12,000 = 24,000
        self.assertAlmostEqual(plan.planned_revenue, 152000.0, places=0)
        self.assertAlmostEqual(plan.gap, -32000.0, places=0)
        self.assertTrue(plan.is_feasible)
        self.assertEqual(plan.lead_gap, 20)

    def test_infeasible_plan_needs_reason(self):
        plan = self._plan(
            line_ids=[
                Command.create(
                    {"medium_id": self.email.id, "planned_leads": 50, "expected_conversion": 10.0}
                )
            ]
        )
        # 50 x 10 % x 12,000 = 60,000 of 120,000
        self.assertAlmostEqual(plan.planned_revenue, 60000.0)
        self.assertAlmostEqual(plan.gap, 60000.0)
        self.assertFalse(plan.is_feasible)
        self.assertEqual(plan.lead_gap, 30)
        with self.assertRaisesMsg(UserError, "cannot reach its revenue target"):
            plan.with_user(self.manager).action_confirm()
        self.assertEqual(plan.state, "draft")
        plan.with_user(self.manager).action_confirm(reason="Trade fair leads come in Q4")
        self.assertEqual(plan.state, "confirmed")
        self.assertEqual(plan.confirm_reason, "Trade fair leads come in Q4")

    def test_confirm_and_replan_cycle(self):
        plan = self._plan()
        plan.with_user(self.manager).action_confirm()
        self.assertEqual(plan.state, "confirmed")
        with self.assertRaises(UserError):
            plan.with_user(self.manager).action_replan("  ")
        plan.with_user(self.manager).action_replan("Deviation after two months")
        self.assertEqual(plan.state, "replanning")
        self.assertEqual(plan.cycle, 2)
        cycle = plan.cycle_ids
        self.assertEqual(len(cycle), 1)
        self.assertEqual(cycle.cycle, 1)
        self.assertEqual(cycle.required_leads, 80)
        self.assertEqual(cycle.planned_leads, 60)
        self.assertAlmostEqual(cycle.planned_revenue, 152000.0, places=0)
        self.assertEqual(cycle.actual_leads, 10)
        self.assertAlmostEqual(cycle.actual_won_revenue, 20000.0)
        self.assertEqual(cycle.reason, "Deviation after two months")
        # the next cycle: raise the target, plan more leads, confirm again
        plan.with_user(self.manager).write({"revenue_target": 240000.0})
        plan.line_ids[0].with_user(self.manager).planned_leads = 80
        self.assertEqual(plan.required_leads, 160)
        plan.with_user(self.manager).action_confirm(reason="Second cycle accepted with a gap")
        self.assertEqual(plan.state, "confirmed")

    def test_bad_input(self):
        with self.assertRaisesMsg(ValidationError, "greater than zero"):
            self._plan(revenue_target=0)
        with self.assertRaisesMsg(ValidationError, "greater than zero"):
            self._plan(revenue_target=-5)
        with self.assertRaisesMsg(ValidationError, "ends before it starts"):
            self._plan(date_to=self.date_from.replace(day=1) - timedelta(days=1))
        with self.assertRaisesMsg(ValidationError, "between 0 and 100"):
            self._plan(conversion_lead_opportunity=120.0)
        with self.assertRaisesMsg(ValidationError, "between 0 and 100"):
            self._plan(conversion_opportunity_won=-1.0)
        with self.assertRaisesMsg(ValidationError, "medium or a campaign"):
            self._plan(line_ids=[Command.create({"planned_leads": 5})])
        with self.assertRaisesMsg(ValidationError, "between 0 and 100"):
            self._plan(
                line_ids=[
                    Command.create(
                        {"medium_id": self.phone.id, "planned_leads": 5, "expected_conversion": 101}
                    )
                ]
            )
        self.assertFalse(self.env["lead.funnel.plan"].search([("team_id", "=", self.team.id)]))

    def test_overlapping_confirmed_plans(self):
        first = self._plan()
        first.with_user(self.manager).action_confirm()
        second = self._plan(name="Overlap", date_from=self.date_to, date_to=self.date_to)
        with self.assertRaisesMsg(ValidationError, "overlaps"):
            second.with_user(self.manager).action_confirm()
        self.assertEqual(second.state, "draft")
        # another team, or a period after the first one, is fine
        third = self._plan(
            name="Next",
            date_from=self.date_to + timedelta(days=1),
            date_to=self.date_to + timedelta(days=30),
        )
        third.with_user(self.manager).action_confirm()
        self.assertEqual(third.state, "confirmed")

    def test_only_managers_confirm(self):
        plan = self._plan()
        with self.assertRaises(AccessError):
            plan.with_user(self.salesman).action_confirm()
        with self.assertRaises(AccessError):
            plan.with_user(self.salesman).write({"revenue_target": 1.0})
        with self.assertRaises(AccessError):
            self.env["lead.funnel.plan"].with_user(self.salesman).create(
                {
                    "name": "x",
                    "team_id": self.team.id,
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                    "revenue_target": 1.0,
                }
            )
        self.assertEqual(plan.state, "draft")

    def test_salespeople_read_their_own_teams(self):
        plan = self._plan()
        other = self._plan(name="Other team plan", team_id=self.other_team.id)
        Plan = self.env["lead.funnel.plan"]
        self.assertEqual(
            Plan.with_user(self.salesman).search([("id", "in", (plan | other).ids)]), plan
        )
        self.assertEqual(
            Plan.with_user(self.outsider).search([("id", "in", (plan | other).ids)]), other
        )
        Report = self.env["lead.funnel.report"]
        teams = (
            Report.with_user(self.salesman).search([("plan_id", "in", (plan | other).ids)]).team_id
        )
        self.assertEqual(teams, self.team)
        # salespeople can call the plan-versus-actual of their plan
        self.assertEqual(plan.with_user(self.salesman).get_plan_vs_actual()["actual"]["leads"], 10)

    def test_companies_apart(self):
        other_company = self.env["res.company"].create({"name": "Funnel Other Co"})
        plan = self._plan()
        foreign = self._plan(name="Foreign", company_id=other_company.id, user=self.env.user)
        manager = self.manager.with_context(allowed_company_ids=[self.company.id])
        found = (
            self.env["lead.funnel.plan"]
            .with_user(manager)
            .search([("id", "in", (plan | foreign).ids)])
        )
        self.assertEqual(found, plan)
