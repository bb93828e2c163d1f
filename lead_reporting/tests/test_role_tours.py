from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


class RoleTours:
    """Marketing's and a salesperson's screens in the browser, as those roles; run at
    desktop and at phone width by the classes below."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.marketer = new_test_user(
            cls.env,
            "tour_marketer",
            groups="sales_team.group_sale_salesman,lead_reporting.group_campaign_manager",
            name="Tour Marketer",
        )
        cls.salesman = new_test_user(
            cls.env, "tour_salesman", groups="sales_team.group_sale_salesman", name="Tour Seller"
        )
        cls.manager = new_test_user(
            cls.env, "tour_report_manager", groups="sales_team.group_sale_manager"
        )
        cls.team = cls.env["crm.team"].create({"name": "Tour Report Team"})
        cls.campaign = cls.env["utm.campaign"].create(
            {"title": "Tour Spring", "campaign_cost": 900.0, "user_id": cls.marketer.id}
        )
        won = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        leads = (
            cls.env["crm.lead"]
            .with_context(tracking_disable=True)
            .create(
                [
                    {
                        "name": f"Tour report lead {index}",
                        "team_id": cls.team.id,
                        "campaign_id": cls.campaign.id,
                        "user_id": cls.salesman.id,
                        "type": "opportunity",
                        "expected_revenue": 3000.0,
                    }
                    for index in range(3)
                ]
            )
        )
        leads[0].stage_id = won
        today = fields.Date.today()
        cls.quota = (
            cls.env["lead.marketing.quota"]
            .with_user(cls.manager)
            .create(
                {
                    "name": "Tour quota",
                    "user_id": cls.marketer.id,
                    "date_from": today - timedelta(days=10),
                    "date_to": today + timedelta(days=20),
                    "target": 6,
                    "qualification": "ready",
                }
            )
        )

    def test_marketing_user_campaign_with_cost_and_criteria(self):
        self.start_tour(
            "/odoo/action-lead_reporting.action_utm_campaign_lead_reporting",
            "lead_reporting_marketing_campaign_tour",
            login="tour_marketer",
        )
        campaign = self.env["utm.campaign"].search([("title", "=", "Tour Autumn Fair")])
        self.assertEqual(
            (campaign.campaign_cost, campaign.kpi_lead_target, campaign.kpi_cost_per_lead_target),
            (2500.0, 50, 60.0),
        )

    def test_marketing_user_marketing_versus_sales(self):
        self.start_tour(
            "/odoo/action-lead_reporting.action_marketing_vs_sales",
            "lead_reporting_marketing_vs_sales_tour",
            login="tour_marketer",
        )

    def test_marketing_user_quotas(self):
        self.start_tour(
            "/odoo/action-lead_reporting.action_lead_marketing_quota",
            "lead_reporting_marketing_quota_tour",
            login="tour_marketer",
        )

    def test_salesperson_my_lead_results(self):
        self.start_tour(
            "/odoo/action-lead_reporting.action_my_lead_results",
            "lead_reporting_my_lead_results_tour",
            login="tour_salesman",
        )


@tagged("post_install", "-at_install")
class TestRoleTours(RoleTours, HttpCase):
    browser_size = "1440x900"
    allow_inherited_tests_method = True  # the mixin's tours


@tagged("post_install", "-at_install")
class TestRoleToursPhone(RoleTours, HttpCase):
    """The same tours on a phone (the campaigns as Odoo's kanban, the reports' pivots)."""

    browser_size = "375x667"
    allow_inherited_tests_method = True  # the mixin's tours
    touch_enabled = True
