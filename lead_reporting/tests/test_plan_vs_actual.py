from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from .common import FunnelCase


@tagged("post_install", "-at_install")
class TestPlanVersusActual(FunnelCase):
    def setUp(self):
        super().setUp()
        self.plan = self._plan(
            kpi_lead_target=20,
            kpi_opportunity_target=4,
            kpi_cost_per_lead_target=50.0,
            kpi_quality_target=50.0,
            kpi_revenue_target=10000.0,
        )
        self.plan.with_user(self.manager).action_confirm()

    def test_get_plan_vs_actual_totals(self):
        data = self.plan.get_plan_vs_actual()
        actual = data["actual"]
        self.assertEqual(actual["leads"], 10)
        self.assertEqual(actual["opportunities"], 4)
        self.assertEqual(actual["won"], 1)
        self.assertEqual(actual["lost"], 1)
        self.assertAlmostEqual(actual["won_revenue"], 20000.0)
        self.assertAlmostEqual(actual["conversion_lead_opportunity"], 40.0)
        self.assertAlmostEqual(actual["conversion_opportunity_won"], 50.0)
        self.assertAlmostEqual(actual["conversion_lead_won"], 10.0)
        # quality: 6 leads at 80 and 4 at 30 -> 600 / 10
        self.assertAlmostEqual(actual["average_quality"], 60.0)
        # Spring costs 1,000 over its 10 leads; 6 of them are in the plan
        self.assertAlmostEqual(actual["cost"], 600.0)
        self.assertAlmostEqual(actual["cost_per_lead"], 60.0)
        self.assertAlmostEqual(actual["cost_per_won"], 600.0)
        self.assertAlmostEqual(actual["revenue_per_cost"], 20000 / 600)
        deviation = data["deviation"]
        self.assertAlmostEqual(deviation["leads"], (10 - 60) / 60 * 100)
        self.assertAlmostEqual(deviation["required_leads"], (10 - 80) / 80 * 100)
        self.assertAlmostEqual(deviation["revenue"], (20000 - 152000) / 152000 * 100, places=2)
        self.assertAlmostEqual(deviation["revenue_target"], (20000 - 120000) / 120000 * 100)
        self.assertAlmostEqual(deviation["conversion_lead_opportunity"], 40.0 - 25.0)
        self.assertEqual(data["planned"]["leads"], 60)
        self.assertEqual(data["plan"]["required_leads"], 80)

    def test_get_plan_vs_actual_lines(self):
        lines = {line["medium_id"]: line for line in self.plan.get_plan_vs_actual()["lines"]}
        phone = lines[self.phone.id]
        self.assertAlmostEqual(phone["planned_leads"], 40.0)
        self.assertEqual(phone["leads"], 6)
        self.assertEqual(phone["opportunities"], 3)
        self.assertEqual(phone["won"], 1)
        self.assertAlmostEqual(phone["deviation_leads"], -85.0)
        self.assertAlmostEqual(phone["cost"], 600.0)
        email = lines[self.email.id]
        self.assertAlmostEqual(email["planned_leads"], 20.0)
        self.assertEqual(email["leads"], 4)
        self.assertAlmostEqual(email["deviation_leads"], -80.0)
        self.assertAlmostEqual(email["planned_revenue"], 24000.0)

    def test_kpi_attainment(self):
        criteria = {c["key"]: c for c in self.plan.get_plan_vs_actual()["criteria"]}
        self.assertAlmostEqual(criteria["leads"]["attainment"], 50.0)
        self.assertFalse(criteria["leads"]["met"])
        self.assertAlmostEqual(criteria["opportunities"]["attainment"], 100.0)
        self.assertTrue(criteria["opportunities"]["met"])
        self.assertAlmostEqual(criteria["quality"]["attainment"], 120.0)
        self.assertTrue(criteria["quality"]["met"])
        self.assertAlmostEqual(criteria["revenue"]["attainment"], 200.0)
        # cost: target 50 per lead, actual 60 -> 83.3 %, not met
        self.assertAlmostEqual(criteria["cost_per_lead"]["attainment"], 50 / 60 * 100)
        self.assertFalse(criteria["cost_per_lead"]["met"])

    def test_report_view_by_medium_and_month(self):
        Report = self.env["lead.funnel.report"]
        rows = Report._read_group(
            [("plan_id", "=", self.plan.id)],
            ["medium_id"],
            [
                "planned_leads:sum",
                "lead_count:sum",
                "opportunity_count:sum",
                "won_count:sum",
                "won_revenue:sum",
                "conversion_lead_opportunity:avg",
                "conversion_opportunity_won:avg",
                "lead_deviation:avg",
                "average_quality:avg",
            ],
        )
        by_medium = {row[0]: row[1:] for row in rows}
        planned, leads, opps, won, revenue, lead_opp, opp_won, deviation, quality = by_medium[
            self.phone
        ]
        self.assertAlmostEqual(planned, 40.0)
        self.assertEqual((leads, opps, won), (6, 3, 1))
        self.assertAlmostEqual(revenue, 20000.0)
        # ratios of sums, not averages of rows
        self.assertAlmostEqual(lead_opp, 50.0)
        self.assertAlmostEqual(opp_won, 50.0)
        # the deviation to date: against the leads planned until today
        self.env.cr.execute("SELECT CURRENT_DATE")
        [today] = self.env.cr.fetchone()
        share = ((today - self.date_from).days + 1) / ((self.date_to - self.date_from).days + 1)
        self.assertAlmostEqual(deviation, (6 - 40 * share) / (40 * share) * 100)
        self.assertAlmostEqual(quality, 80.0)
        # per month: the first month holds 4 Phone + 4 Email leads
        months = Report._read_group(
            [("plan_id", "=", self.plan.id)],
            ["date:month"],
            ["lead_count:sum", "planned_leads:sum"],
        )
        self.assertEqual(len(months), 6)  # the plan spans six months
        first = months[0]
        self.assertEqual(first[0], self.date_from)
        self.assertEqual(first[1], 8)
        self.assertAlmostEqual(sum(row[2] for row in months), 60.0)
        days = (self.date_to - self.date_from).days + 1
        month_days = (self.date_from + relativedelta(months=1) - self.date_from).days
        self.assertAlmostEqual(first[2], 60.0 * month_days / days)

    def test_report_drill_down_to_leads(self):
        Report = self.env["lead.funnel.report"]
        rows = Report.search(
            [
                ("plan_id", "=", self.plan.id),
                ("medium_id", "=", self.phone.id),
                ("lead_count", ">", 0),
            ]
        )
        self.assertEqual(sum(rows.mapped("lead_count")), 6)
        self.assertEqual(len(rows), 2)  # two months
        action = rows.action_open_leads()
        self.assertEqual(action["res_model"], "crm.lead")
        found = self.env["crm.lead"].with_context(active_test=False).search(action["domain"])
        self.assertEqual(found, self.actual_phone)
        first_month = rows.filtered(lambda row: row.date == self.date_from)
        found = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search(first_month.action_open_leads()["domain"])
        )
        self.assertEqual(len(found), 4)
        leads_action = self.plan.action_view_leads()
        found = self.env["crm.lead"].with_context(active_test=False).search(leads_action["domain"])
        self.assertEqual(found, self.actual_phone | self.actual_email)

    def test_report_html_renders(self):
        report = self.env.ref("lead_reporting.action_report_funnel_plan")
        html, _kind = report._render_qweb_html(report.report_name, self.plan.ids)
        html = html.decode()
        self.assertIn("Funnel plan versus actual", html)
        self.assertIn(self.plan.name, html)
        self.assertIn("Success criteria", html)
        self.assertIn("Not met", html)
        self.assertIn("-83.3 %", html)  # leads deviation (10 vs 60)
        self.assertIn("Funnel Phone", html)


@tagged("post_install", "-at_install")
class TestPlanVersusActualBoundaries(FunnelCase):
    """A plan from the 10th of one month to the 20th of the next: the view
    aggregates the leads per day, so the plan's first and last day count to
    the second; measures a query does not ask for are not computed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.boundary_team = cls.env["crm.team"].create({"name": "Boundary Team"})
        cls.start = cls.date_from + timedelta(days=9)  # the 10th
        cls.end = cls.date_from + relativedelta(months=1, days=19)  # the 20th, next month
        cls.boundary_plan = (
            cls.env["lead.funnel.plan"]
            .with_user(cls.manager)
            .create(
                {
                    "name": "Boundary plan",
                    "team_id": cls.boundary_team.id,
                    "date_from": cls.start,
                    "date_to": cls.end,
                    "revenue_target": 10000.0,
                    "line_ids": [Command.create({"medium_id": cls.phone.id, "planned_leads": 41})],
                }
            )
        )
        day = timedelta(days=1)
        start = fields.Datetime.to_datetime(cls.start)
        after_end = fields.Datetime.to_datetime(cls.end) + day
        second = timedelta(seconds=1)
        leads = {
            "before": ({"type": "lead"}, start - second),
            # won without an expected revenue (NULL in the database)
            "first": (
                {"type": "opportunity", "stage_id": cls.won_stage.id},
                start,
            ),
            "converted": (
                {"type": "lead", "date_conversion": start + timedelta(hours=2)},
                start + timedelta(hours=12),
            ),
            "last": (
                {"type": "opportunity", "active": False, "probability": 0},
                after_end - second,
            ),
            "after": ({"type": "lead"}, after_end),
        }
        cls.boundary_leads = {}
        for key, (vals, created) in leads.items():
            lead = (
                cls.env["crm.lead"]
                .with_context(active_test=False)
                .create(
                    {
                        "name": f"Boundary {key}",
                        "team_id": cls.boundary_team.id,
                        "medium_id": cls.phone.id,
                        **vals,
                    }
                )
            )
            lead.flush_recordset()
            cls.env.cr.execute(
                "UPDATE crm_lead SET create_date = %s, expected_revenue = NULL, "
                "quality_score = NULL WHERE id = %s",
                (created, lead.id),
            )
            cls.boundary_leads[key] = lead
        cls.env.invalidate_all()

    def test_figures_per_month_across_plan_boundaries(self):
        Report = self.env["lead.funnel.report"]
        months = Report._read_group(
            [("plan_id", "=", self.boundary_plan.id)],
            ["date:month"],
            [
                "lead_count:sum",
                "opportunity_count:sum",
                "won_count:sum",
                "lost_count:sum",
                "won_revenue:sum",
                "quality_score_sum:sum",
                "planned_leads:sum",
            ],
        )
        self.assertEqual(
            [row[0] for row in months],
            [self.date_from, self.date_from + relativedelta(months=1)],
        )
        first, second = months
        # the first day from midnight on; the second before it is outside
        self.assertEqual(first[1:5], (2, 2, 1, 0))
        # the last day up to its last second; midnight after it is outside
        self.assertEqual(second[1:5], (1, 1, 0, 1))
        # no NULL sums from the leads without revenue and quality score
        self.assertEqual(first[5], 0.0)
        self.assertEqual(first[6], 0.0)
        # planned leads spread over the plan's days: the first month holds
        # the days from the 10th to its end, the second the 1st to the 20th
        days = (self.end - self.start).days + 1
        first_days = (self.date_from + relativedelta(months=1) - self.start).days
        self.assertAlmostEqual(first[7], 41 * first_days / days)
        self.assertAlmostEqual(first[7] + second[7], 41.0)
        rows = Report.search([("plan_id", "=", self.boundary_plan.id), ("lead_count", ">", 0)])
        found = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search(rows.action_open_leads()["domain"])
        )
        leads = self.boundary_leads
        self.assertEqual(found, leads["first"] | leads["converted"] | leads["last"])
        actual = self.boundary_plan.get_plan_vs_actual()["actual"]
        self.assertEqual((actual["leads"], actual["won"], actual["lost"]), (3, 1, 1))
        self.assertEqual(actual["won_revenue"], 0)

    def test_report_computes_only_the_measures_asked_for(self):
        """Both branches of the view's union have the same column types, so
        PostgreSQL flattens it and leaves out the aggregates nobody reads."""

        def plan_text(measures):
            self.env.cr.execute(
                SQL(
                    "EXPLAIN (VERBOSE) SELECT team_id, medium_id, %s FROM lead_funnel_report "
                    "WHERE plan_id = %s GROUP BY team_id, medium_id",
                    SQL(", ").join(SQL("SUM(%s)", SQL.identifier(m)) for m in measures),
                    self.boundary_plan.id,
                )
            )
            return "\n".join(row[0] for row in self.env.cr.fetchall())

        lean = plan_text(["lead_count", "opportunity_count", "won_count", "won_revenue"])
        full = plan_text(["lead_count", "lost_count", "quality_score_sum"])
        for expression in ("sum(l.quality_score)", "COALESCE(l.probability"):
            self.assertIn(expression, full)
            self.assertNotIn(expression, lean)


@tagged("post_install", "-at_install")
class TestFunnelPdf(HttpCase, FunnelCase):
    """The PDF needs wkhtmltopdf and a running server for its assets."""

    def test_pdf_renders(self):
        if self.env["ir.actions.report"].get_wkhtmltopdf_state() != "ok":
            self.skipTest("wkhtmltopdf is not installed")
        plan = self._plan()
        report = self.env.ref("lead_reporting.action_report_funnel_plan")
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, plan.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreater(len(pdf), 5000)
