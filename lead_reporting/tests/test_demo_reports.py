from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

#: the reports of lead_reporting under CRM > Reporting, as a sales manager opens them
REPORT_ACTIONS = (
    "lead_reporting.action_lead_funnel_plan",
    "lead_reporting.action_lead_funnel_report",
    "lead_reporting.action_lead_kpi_revision",
    "lead_reporting.action_marketing_vs_sales",
    "lead_reporting.action_marketing_activity",
    "lead_reporting.action_sales_success",
    "lead_reporting.action_lead_marketing_quota",
    "lead_reporting.action_my_lead_results",
    "lead_reporting.action_what_my_leads_became",
    "lead_reporting.action_utm_campaign_lead_reporting",
)


@tagged("post_install", "-at_install")
class TestDemoReports(TransactionCase):
    """With demo data, every report a sales manager opens shows figures (skipped without)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.running = ref("lead_reporting.demo_plan_sales_this_year", raise_if_not_found=False)
        if cls.running:
            cls.manager = ref("base.user_admin")
            cls.env = cls.env(user=cls.manager)
            cls.running = cls.running.with_env(cls.env)
            cls.infeasible = ref("lead_reporting.demo_plan_europe_next_year").with_env(cls.env)
            cls.closed = ref("lead_reporting.demo_plan_sales_previous").with_env(cls.env)

    def setUp(self):
        super().setUp()
        if not self.running:
            self.skipTest("the demo data of lead_reporting is not loaded")

    def test_running_plan_from_history_feasible_with_deviations(self):
        plan = self.running
        self.assertEqual(plan.state, "confirmed")
        self.assertTrue(plan.is_feasible)
        self.assertFalse(plan.confirm_reason)
        # history defaults: the planned figures are the team's history
        self.assertGreater(plan.history_lead_count, 50)
        self.assertGreater(plan.history_won_count, 5)
        self.assertGreater(plan.history_average_deal_value, 0)
        self.assertAlmostEqual(plan.average_deal_value, plan.history_average_deal_value)
        self.assertAlmostEqual(
            plan.conversion_lead_opportunity, plan.history_conversion_lead_opportunity
        )
        self.assertTrue(all(line.expected_conversion > 0 for line in plan.line_ids))
        data = plan.get_plan_vs_actual()
        actual = data["actual"]
        self.assertGreater(actual["leads"], 20)
        self.assertGreater(actual["won"], 0)
        self.assertGreater(actual["won_revenue"], 0)
        self.assertGreater(actual["cost"], 0)
        self.assertTrue(data["deviation"]["leads"])
        self.assertTrue(data["deviation"]["revenue"])
        self.assertTrue(data["criteria"])
        self.assertEqual(plan.kpi_revision_count, 1)

    def test_infeasible_draft_and_closed_plan(self):
        plan = self.infeasible
        self.assertEqual(plan.state, "draft")
        self.assertFalse(plan.is_feasible)
        self.assertGreater(plan.gap, 0)
        self.assertGreater(plan.lead_gap, 0)
        self.assertGreater(plan.history_lead_count, 0)
        self.assertGreater(plan.average_deal_value, 0)
        self.assertEqual(self.closed.state, "closed")
        self.assertGreater(self.closed.get_plan_vs_actual()["actual"]["leads"], 0)

    def test_plan_versus_actual_month_by_month(self):
        rows = self.env["lead.funnel.report"]._read_group(
            [("plan_id", "=", self.running.id)],
            ["date:month"],
            ["planned_leads:sum", "lead_count:sum", "won_revenue:sum", "lead_deviation:avg"],
        )
        self.assertEqual(len(rows), 12)
        with_actuals = [row for row in rows if row[2]]
        self.assertGreaterEqual(len(with_actuals), 6)
        self.assertTrue(all(row[1] > 0 for row in rows))
        self.assertTrue(any(row[3] for row in rows))
        self.assertTrue(any(row[4] for row in with_actuals))

    def test_marketing_versus_sales_and_quotas(self):
        Report = self.env["lead.activity.success.report"]
        rows = Report._read_group(
            [("campaign_id", "!=", False)],
            ["campaign_id"],
            ["lead_count:sum", "cost:sum", "cost_per_lead:avg", "won_revenue:sum"],
        )
        self.assertGreaterEqual(len(rows), 5)
        self.assertTrue(
            all(leads > 0 and cost > 0 and per_lead > 0 for _c, leads, cost, per_lead, _r in rows)
        )
        self.assertGreater(sum(row[4] for row in rows), 0)
        [(received, share, hours)] = Report._read_group(
            [("user_id", "=", self.manager.id)],
            [],
            ["received_count:sum", "followup_share:avg", "hours_to_first_activity:avg"],
        )
        self.assertGreater(received, 50)
        self.assertTrue(0 < share < 100)
        self.assertGreater(hours, 0)
        for xmlid in ("demo_quota_admin_ready", "demo_quota_sales_grade"):
            quota = self.env.ref(f"lead_reporting.{xmlid}")
            with self.subTest(quota=quota.name):
                self.assertGreater(quota.actual, 0)
                self.assertTrue(0 < quota.attainment < 100)
        for xmlid in ("demo_campaign_trade_fair", "demo_campaign_roadshow"):
            kpis = self.env.ref(f"lead_reporting.{xmlid}").get_campaign_kpis()
            self.assertGreater(kpis["actual"]["leads"], 0)
            self.assertGreater(kpis["roi"]["cost_per_lead"], 0)
            self.assertTrue(kpis["criteria"])

    def test_every_report_of_the_menu_has_rows(self):
        for xmlid in REPORT_ACTIONS:
            action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
            domain = safe_eval(action.get("domain") or "[]", {"uid": self.manager.id})
            with self.subTest(action=xmlid):
                self.assertGreater(self.env[action["res_model"]].search_count(domain), 0)
