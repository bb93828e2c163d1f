from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import FunnelCase


@tagged("post_install", "-at_install")
class TestFunnelPlanForm(FunnelCase):
    """The plan form (the web client's onchange path) stores what create stores."""

    def _form_plan(self, lines):
        form = Form(self.env["lead.funnel.plan"].with_user(self.manager))
        form.name = "Planned in the form"
        form.team_id = self.team
        form.date_from = self.date_from
        form.date_to = self.date_to
        form.revenue_target = 120000.0
        for medium, planned in lines:
            with form.line_ids.new() as line:
                line.medium_id = medium
                line.planned_leads = planned
        return form

    def test_lines_added_in_the_form_get_their_history(self):
        fair = self.env["utm.medium"].create({"name": "Funnel Fair"})
        form = self._form_plan([(self.phone, 40), (self.email, 20), (fair, 10)])
        # the planned figures follow the team's history, before saving already
        self.assertAlmostEqual(form.average_deal_value, 12000.0)
        self.assertAlmostEqual(form.conversion_lead_won, 12.5)
        phone_line = form.line_ids.edit(0)
        self.assertAlmostEqual(phone_line.history_conversion, 26.6667, places=3)
        self.assertAlmostEqual(phone_line.expected_conversion, 26.6667, places=3)
        self.assertAlmostEqual(phone_line.expected_revenue, 128000.0, places=0)
        phone_line.save()
        plan = form.save()
        phone, email, fair_line = plan.line_ids
        # stored as create stores it: the medium's history (Email: 0 % in its history),
        # the plan's 12.5 % for a medium without history
        self.assertAlmostEqual(phone.expected_conversion, 26.6667, places=3)
        self.assertAlmostEqual(phone.expected_revenue, 128000.0, places=0)
        self.assertAlmostEqual(email.expected_conversion, 0.0)
        self.assertAlmostEqual(fair_line.expected_conversion, 12.5)
        self.assertAlmostEqual(fair_line.expected_revenue, 15000.0, places=0)
        created = self._plan(
            line_ids=[
                Command.create({"medium_id": medium.id, "planned_leads": planned})
                for medium, planned in ((self.phone, 40), (self.email, 20), (fair, 10))
            ]
        )
        self.assertEqual(
            [(line.medium_id, round(line.expected_conversion, 4)) for line in plan.line_ids],
            [(line.medium_id, round(line.expected_conversion, 4)) for line in created.line_ids],
        )
        self.assertAlmostEqual(plan.planned_revenue, 143000.0, places=0)
        self.assertTrue(plan.is_feasible)
        plan.with_user(self.manager).action_confirm()
        self.assertEqual(plan.state, "confirmed")

    def test_medium_without_history_takes_the_plan_rate(self):
        medium = self.env["utm.medium"].create({"name": "Funnel Fair"})
        plan = self._form_plan([(medium, 100)]).save()
        # no lead of that medium in the window: the plan's overall 12.5 %
        self.assertAlmostEqual(plan.line_ids.history_conversion, 12.5)
        self.assertAlmostEqual(plan.line_ids.expected_conversion, 12.5)
        self.assertAlmostEqual(plan.line_ids.expected_revenue, 150000.0, places=0)
        self.assertTrue(plan.is_feasible)

    def test_entered_conversion_is_kept(self):
        form = self._form_plan([(self.phone, 40)])
        with form.line_ids.edit(0) as line:
            line.expected_conversion = 5.0
        plan = form.save()
        self.assertAlmostEqual(plan.line_ids.expected_conversion, 5.0)
        self.assertAlmostEqual(plan.line_ids.expected_revenue, 24000.0, places=0)

    def test_lines_follow_a_team_chosen_afterwards(self):
        form = Form(self.env["lead.funnel.plan"].with_user(self.manager))
        form.name = "Lines first"
        form.date_from = self.date_from
        form.date_to = self.date_to
        form.revenue_target = 120000.0
        with form.line_ids.new() as line:
            line.medium_id = self.phone
            line.planned_leads = 40
        self.assertAlmostEqual(form.line_ids.edit(0).expected_conversion, 0.0)
        form.team_id = self.team
        plan = form.save()
        self.assertAlmostEqual(plan.line_ids.expected_conversion, 26.6667, places=3)
        self.assertAlmostEqual(plan.planned_revenue, 128000.0, places=0)

    def test_line_added_later_to_a_saved_plan(self):
        plan = self._plan(line_ids=[])
        form = Form(plan.with_user(self.manager))
        with form.line_ids.new() as line:
            line.medium_id = self.phone
            line.planned_leads = 40
        form.save()
        self.assertAlmostEqual(plan.line_ids.expected_conversion, 26.6667, places=3)
        self.assertAlmostEqual(plan.planned_revenue, 128000.0, places=0)


@tagged("post_install", "-at_install")
class TestFunnelPlanWorkflow(FunnelCase):
    """Status and cycle change only through Confirm, Replan and Close."""

    def test_manager_cannot_write_the_status(self):
        infeasible = self._plan(
            line_ids=[
                Command.create(
                    {"medium_id": self.email.id, "planned_leads": 5, "expected_conversion": 1.0}
                )
            ]
        ).with_user(self.manager)
        self.assertFalse(infeasible.is_feasible)
        for vals in ({"state": "confirmed"}, {"state": "closed"}, {"cycle": 5}):
            with self.subTest(vals=vals), self.assertRaisesMsg(UserError, "only through"):
                infeasible.write(vals)
        self.assertEqual((infeasible.state, infeasible.cycle), ("draft", 1))
        self.assertFalse(infeasible.confirm_reason)
        # writing the status a plan has already is no change
        infeasible.write({"state": "draft", "name": "Renamed"})
        self.assertEqual(infeasible.name, "Renamed")

    def test_manager_cannot_create_a_confirmed_plan(self):
        attempts = [
            ({"state": "confirmed"}, {}),
            ({"cycle": 3}, {}),
            ({}, {"default_state": "confirmed"}),
        ]
        Plan = self.env["lead.funnel.plan"].with_user(self.manager)
        for vals, context in attempts:
            with (
                self.subTest(vals=vals, context=context),
                self.assertRaisesMsg(UserError, "only through"),
            ):
                Plan.with_context(**context).create(
                    {
                        "name": "Confirmed from the start",
                        "team_id": self.team.id,
                        "date_from": self.date_from,
                        "date_to": self.date_to,
                        "revenue_target": 1000.0,
                        **vals,
                    }
                )
        self.assertFalse(self.env["lead.funnel.plan"].search([("team_id", "=", self.team.id)]))

    def test_actions_change_the_status(self):
        plan = self._plan().with_user(self.manager)
        with self.assertRaisesMsg(UserError, "can be closed"):
            plan.action_close()
        plan.action_confirm()
        self.assertEqual(plan.state, "confirmed")
        plan.action_replan("Deviation")
        self.assertEqual((plan.state, plan.cycle), ("replanning", 2))
        with self.assertRaisesMsg(UserError, "only through"):
            plan.write({"state": "confirmed"})
        plan.action_confirm()
        plan.action_close()
        self.assertEqual(plan.state, "closed")
        with self.assertRaisesMsg(UserError, "can be closed"):
            plan.action_close()

    def test_salesperson_cannot_run_the_workflow(self):
        plan = self._plan()
        for action in ("action_confirm", "action_close"):
            with self.subTest(action=action), self.assertRaises(AccessError):
                getattr(plan.with_user(self.salesman), action)()
        with self.assertRaises(AccessError):
            plan.with_user(self.salesman).write({"state": "confirmed"})
        self.assertEqual(plan.state, "draft")
