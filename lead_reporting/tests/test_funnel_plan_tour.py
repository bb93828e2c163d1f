from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


class FunnelPlanTour:
    """A sales manager plans, confirms, prints and follows a funnel plan in the browser;
    at desktop and at phone width (the classes below)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            "tour_funnel_manager",
            groups="sales_team.group_sale_manager",
            email="tour.funnel.manager@lead-reporting.example.com",
        )
        cls.team = cls.env["crm.team"].create({"name": "Tour Funnel Team"})
        Medium = cls.env["utm.medium"]
        cls.email, cls.website, cls.phone = (
            Medium.create({"name": name}) for name in ("Tour Email", "Tour Website", "Tour Phone")
        )
        won = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        open_stage = cls.env["crm.stage"].search([("is_won", "=", False)], limit=1)

        def funnel(medium, leads, opportunities, won_count, lost):
            vals = [
                {"type": "opportunity", "stage_id": won.id, "expected_revenue": 5000.0}
            ] * won_count
            vals += [{"type": "opportunity", "active": False, "probability": 0}] * lost
            vals += [{"type": "opportunity", "stage_id": open_stage.id}] * (
                opportunities - won_count - lost
            )
            vals += [{"type": "lead"}] * (leads - opportunities)
            return [{"medium_id": medium.id, **item} for item in vals]

        # last year: Email 20 leads, 10 opportunities, 4 won at 5,000, 2 lost (33.33 %);
        # Phone 20 leads, 2 opportunities, both lost; Website none.
        # Team: 12 / 40 = 30 % lead -> opportunity, 4 / 8 = 50 % opportunity -> won: 15 %
        history = funnel(cls.email, 20, 10, 4, 2) + funnel(cls.phone, 20, 2, 0, 2)
        today = fields.Date.today()
        last_year = fields.Datetime.to_datetime(today.replace(month=6, day=15)) - timedelta(
            days=365
        )
        cls._leads(history, "Tour history lead", last_year)
        cls.actual = cls._leads(
            [{"medium_id": cls.email.id, "type": "lead"}] * 3,
            "Tour actual lead",
            fields.Datetime.now() - timedelta(hours=2),
        )

    @classmethod
    def _leads(cls, vals_list, name, created):
        leads = (
            cls.env["crm.lead"]
            .with_context(active_test=False, tracking_disable=True)
            .create(
                [
                    {"name": f"{name} {index}", "team_id": cls.team.id, **vals}
                    for index, vals in enumerate(vals_list)
                ]
            )
        )
        leads.flush_recordset()
        cls.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id IN %s", (created, tuple(leads.ids))
        )
        cls.env.invalidate_all()
        return leads

    def test_sales_manager_plans_confirms_prints_and_follows_a_plan(self):
        self.start_tour(
            "/odoo/action-lead_reporting.action_lead_funnel_plan",
            "lead_reporting_funnel_plan_tour",
            login="tour_funnel_manager",
        )
        plan = self.env["lead.funnel.plan"].search([("name", "=", "Tour plan")])
        self.assertEqual(plan.state, "confirmed")
        self.assertEqual(plan.user_id, self.manager)
        self.assertAlmostEqual(plan.average_deal_value, 5000.0)
        self.assertAlmostEqual(plan.conversion_lead_won, 15.0)
        email, website = plan.line_ids
        self.assertAlmostEqual(email.expected_conversion, 100 / 3, places=2)
        self.assertAlmostEqual(website.expected_conversion, 15.0)
        self.assertAlmostEqual(plan.planned_revenue, 130000.0, places=0)
        self.assertTrue(plan.is_feasible)
        self.assertFalse(plan.confirm_reason)
        self.assertEqual(plan.get_plan_vs_actual()["actual"]["leads"], 3)
        # the PDF route the print button downloads from answers as the manager
        self.authenticate("tour_funnel_manager", "tour_funnel_manager")
        response = self.url_open(f"/report/pdf/lead_reporting.report_funnel_plan/{plan.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"Tour plan", response.content)


@tagged("post_install", "-at_install")
class TestFunnelPlanTour(FunnelPlanTour, HttpCase):
    browser_size = "1440x900"
    allow_inherited_tests_method = True  # the mixin's tours


@tagged("post_install", "-at_install")
class TestFunnelPlanTourPhone(FunnelPlanTour, HttpCase):
    """The same on a phone: header buttons in the cog menu, smart buttons behind a
    button, team and media searched in a dialog."""

    browser_size = "375x667"
    allow_inherited_tests_method = True  # the mixin's tours
    touch_enabled = True
