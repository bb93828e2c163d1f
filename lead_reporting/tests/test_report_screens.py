import re
from datetime import timedelta

from lxml import etree

from odoo import Command
from odoo.tests import new_test_user, tagged
from odoo.tools.misc import formatLang

from .common import FunnelCase

OUR_MODELS = (
    "lead.funnel.plan",
    "lead.funnel.plan.line",
    "lead.funnel.plan.cycle",
    "lead.funnel.report",
    "lead.activity.success.report",
    "lead.marketing.quota",
    "lead.kpi.revision",
    "lead.kpi.revision.wizard",
    "lead.funnel.replan.wizard",
)
#: requirement ids and issue numbers belong in code comments, not in what users read
REQUIREMENT_ID = re.compile(r"\bR\d{1,2}\b|\bissue \d+", re.IGNORECASE)


@tagged("post_install", "-at_install")
class TestReportScreens(FunnelCase):
    def setUp(self):
        super().setUp()
        self.plan = self._plan(
            kpi_lead_target=20,
            kpi_revenue_target=10000.0,
            report_frequency="weekly",
            report_recipient_ids=[(6, 0, self.recipient.ids)],
        )
        self.plan.with_user(self.manager).action_confirm()
        self.Report = self.env["lead.funnel.report"].with_user(self.manager)

    # ------------------------------------------------------------------
    # plan versus actual
    # ------------------------------------------------------------------
    def test_planned_and_actual_side_by_side(self):
        rows = self.Report._read_group(
            [("plan_id", "=", self.plan.id)], ["row_kind"], ["leads:sum", "revenue:sum"]
        )
        by_kind = {kind: (round(leads, 6), round(revenue, 2)) for kind, leads, revenue in rows}
        # planned: the lines (60 leads, 152,000); actual: 10 leads, 20,000 won
        self.assertEqual(by_kind["planned"], (60.0, 152000.0))
        self.assertEqual(by_kind["actual"], (10.0, 20000.0))

    def test_deviation_to_date_na_for_months_ahead(self):
        self.env.cr.execute("SELECT CURRENT_DATE")
        [today] = self.env.cr.fetchone()
        rows = self.Report._read_group(
            [("plan_id", "=", self.plan.id)],
            ["date:month"],
            ["planned_leads:sum", "planned_leads_to_date:sum", "lead_deviation:avg"],
        )
        self.assertEqual(len(rows), 6)
        ahead = [row for row in rows if row[0] > today]
        self.assertEqual(len(ahead), 3)
        for _month, planned, to_date, deviation in ahead:
            self.assertGreater(planned, 0)
            self.assertEqual((to_date, deviation), (0.0, False))
        # the first month is over: all of its planned leads are due (4 Phone + 4 Email)
        first = rows[0]
        self.assertAlmostEqual(first[2], first[1])
        self.assertAlmostEqual(first[3], (8 - first[1]) / first[1] * 100)

    def test_deviation_to_date_waits_for_a_whole_unit_due(self):
        """On a year plan's first day, 100 leads / 365 days = 0.27 are due: nine leads
        received read n/a, not +3,185 %. Four days in, 1.1 leads are due and the deviation
        reads against them; revenue waits for a whole won deal due."""
        self.env.cr.execute("SELECT CURRENT_DATE")
        [today] = self.env.cr.fetchone()
        team = self.env["crm.team"].create({"name": "Day One Team"})
        plan = self._plan(
            team_id=team.id,
            date_from=today,
            date_to=today + timedelta(days=364),
            average_deal_value=10000.0,
            line_ids=[
                Command.create(
                    {"medium_id": self.phone.id, "planned_leads": 100, "expected_conversion": 10.0}
                )
            ],
        )
        # nine leads today, one of them won at 10,000
        won = {"type": "opportunity", "stage_id": self.won_stage.id, "expected_revenue": 10000.0}
        self.env["crm.lead"].create(
            [
                {
                    "name": f"Day one lead {index}",
                    "team_id": team.id,
                    "medium_id": self.phone.id,
                    **(won if index == 0 else {}),
                }
                for index in range(9)
            ]
        )
        self.env.flush_all()
        aggregates = [
            "planned_leads_to_date:sum",
            "lead_count:sum",
            "lead_deviation:avg",
            "planned_won_to_date:sum",
            "planned_revenue_to_date:sum",
            "won_revenue:sum",
            "revenue_deviation:avg",
        ]

        def figures(groupby=()):
            return self.Report._read_group([("plan_id", "=", plan.id)], list(groupby), aggregates)

        [(due, count, deviation, won_due, _revenue_due, won, revenue_deviation)] = figures()
        self.assertAlmostEqual(due, 100 / 365)
        self.assertEqual((count, won), (9, 10000.0))
        self.assertIs(deviation, False)
        self.assertIs(revenue_deviation, False)
        # so does today's month in the pivot's rows
        [month] = [row for row in figures(["date:month"]) if row[0] == today.replace(day=1)]
        self.assertEqual((month[2], month[3], month[7]), (9, False, False))

        # the plan started three days ago: four days are due, 400 / 365 = 1.1 leads
        plan.write({"date_from": today - timedelta(days=3), "date_to": today + timedelta(days=361)})
        self.env.flush_all()
        [(due, count, deviation, won_due, _revenue_due, won, revenue_deviation)] = figures()
        self.assertAlmostEqual(due, 400 / 365)
        self.assertAlmostEqual(deviation, (9 - 400 / 365) / (400 / 365) * 100)
        # 0.11 won deals due: no revenue deviation yet
        self.assertAlmostEqual(won_due, 400 / 365 * 0.1)
        self.assertIs(revenue_deviation, False)

        # 41 days in: 11.2 leads and 1.1 won deals due, 11,233 revenue
        plan.write(
            {"date_from": today - timedelta(days=40), "date_to": today + timedelta(days=324)}
        )
        self.env.flush_all()
        [(due, count, deviation, won_due, revenue_due, won, revenue_deviation)] = figures()
        self.assertAlmostEqual(won_due, 4100 / 365 * 0.1)
        self.assertAlmostEqual(revenue_due, 4100 / 365 * 0.1 * 10000.0, places=2)
        self.assertAlmostEqual(revenue_deviation, (10000.0 - revenue_due) / revenue_due * 100)

    def test_a_figure_opens_its_leads(self):
        Lead = self.env["crm.lead"].with_context(active_test=False)
        action = self.Report.action_open_leads_of(
            [("plan_id", "=", self.plan.id), ("medium_id", "=", self.phone.id)]
        )
        self.assertEqual(action["res_model"], "crm.lead")
        self.assertEqual(Lead.search(action["domain"]), self.actual_phone)
        first_month = [
            ("plan_id", "=", self.plan.id),
            ("date", ">=", self.date_from),
            ("date", "<", self.date_from + timedelta(days=28)),
        ]
        found = Lead.search(self.Report.action_open_leads_of(first_month)["domain"])
        self.assertEqual(found, self.actual_phone[:4] | self.actual_email)
        # planned rows have no leads behind them
        planned = self.Report.action_open_leads_of(
            [("plan_id", "=", self.plan.id), ("row_kind", "=", "planned")]
        )
        self.assertFalse(Lead.search(planned["domain"]))

    def test_counts_whole_and_money_with_currency(self):
        currency = self.env.company.currency_id
        for model in ("lead.funnel.report", "lead.activity.success.report"):
            description = self.env[model].fields_get(attributes=["string", "type", "digits"])
            for fname, values in description.items():
                if values["type"] == "monetary":
                    with self.subTest(model=model, field=fname):
                        self.assertTrue(values["string"].endswith(f"({currency.name})"))
        description = self.env["lead.funnel.report"].fields_get(["planned_leads", "leads"])
        self.assertEqual(description["planned_leads"]["digits"], (16, 0))
        self.assertEqual(description["leads"]["digits"], (16, 0))
        plan = self.plan
        self.assertEqual(plan._lead_format(7.5), "8")
        self.assertEqual(plan._lead_format(None), "n/a")
        self.assertEqual(plan._lead_format(False, "percent"), "n/a")
        self.assertEqual(plan._lead_format(-83.333, "deviation"), "-83.3 %")
        self.assertEqual(plan._lead_format(12.5, "deviation"), "+12.5 %")
        self.assertEqual(
            plan._lead_format(120000.0, "money"),
            formatLang(self.env, 120000.0, currency_obj=currency),
        )
        self.assertIn(currency.symbol, plan._lead_format(120000.0, "money"))

    def test_pdf_reads_like_the_plan(self):
        report = self.env.ref("lead_reporting.action_report_funnel_plan")
        html, _kind = report._render_qweb_html(report.report_name, self.plan.ids)
        html = html.decode()
        money = self.plan._lead_format
        self.assertIn(money(120000.0, "money"), html)  # revenue target
        self.assertIn(money(20000.0, "money"), html)  # won
        self.assertIn(">8<", html.replace(" ", "").replace("\n", ""))  # 7.5 planned won deals
        self.assertNotIn("7.50", html)
        self.assertIn("-83.3 %", html)

    def test_digest_in_each_recipients_language(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(["lead_reporting"], ["de_DE"])
        german = self.env["res.partner"].create(
            {"name": "Vorstand", "email": "vorstand@lead-reporting.example.com", "lang": "de_DE"}
        )
        self.recipient.lang = "en_US"
        self.plan.sudo().report_recipient_ids = self.recipient | german
        self.plan._send_digest()
        mails = self.env["mail.mail"].search(
            [("model", "=", "lead.funnel.plan"), ("res_id", "=", self.plan.id)]
        )
        self.assertEqual(len(mails), 2)
        english = mails.filtered(lambda mail: mail.recipient_ids == self.recipient)
        in_german = mails.filtered(lambda mail: mail.recipient_ids == german)
        self.assertIn("Success criteria", english.body_html)
        self.assertIn("Erfolgskriterien", in_german.body_html)
        self.assertNotIn("Success criteria", in_german.body_html)
        # figures in the reader's format: 120,000.00 / 120.000,00
        self.assertIn("120,000.00", english.body_html)
        self.assertIn("120.000,00", in_german.body_html)

    # ------------------------------------------------------------------
    # marketing versus sales
    # ------------------------------------------------------------------
    def test_followed_up_in_time_reads_na_before_any_deadline(self):
        leads = self.actual_email[:3]
        leads.write({"user_id": self.salesman.id})
        leads.flush_recordset()
        self.env.cr.execute(
            "UPDATE crm_lead SET distribution_date = now() - interval '2 hours', "
            "distribution_channel = 'direct', distribution_state = 'assigned', "
            "distribution_stage_id = stage_id, "
            "distribution_followup_deadline = now() + interval '10 hours' WHERE id IN %s",
            (tuple(leads.ids),),
        )
        self.env.invalidate_all()
        Report = self.env["lead.activity.success.report"]
        aggregates = ["received_count:sum", "followup_due_count:sum", "followup_share:avg"]
        domain = [("lead_id", "in", leads.ids)]
        # no deadline has passed, nothing followed up: not 0 %, but undefined
        self.assertEqual(Report._read_group(domain, [], aggregates), [(3, 0, False)])
        leads[0].with_user(self.salesman).message_post(
            body="Called", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.env.flush_all()
        self.assertEqual(Report._read_group(domain, [], aggregates), [(3, 1, 100.0)])
        # the deadline of another one passes without a follow-up
        self.env.cr.execute(
            "UPDATE crm_lead SET distribution_followup_deadline = now() - interval '1 hour' "
            "WHERE id = %s",
            (leads[1].id,),
        )
        self.assertEqual(Report._read_group(domain, [], aggregates), [(3, 2, 50.0)])

    # ------------------------------------------------------------------
    # campaigns, menus, words
    # ------------------------------------------------------------------
    def test_campaign_form_has_one_leads_button(self):
        views = self.env["utm.campaign"].with_user(self.manager).get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        buttons = arch.xpath("//div[@name='button_box']/button")
        with_leads = [
            button for button in buttons if "Leads" in " ".join(button.itertext()).split()
        ]
        self.assertEqual(len(with_leads), 1)
        self.assertEqual(with_leads[0].get("name"), "action_redirect_to_leads_opportunities")
        results = arch.xpath("//button[@name='action_view_campaign_report']//field")
        self.assertEqual(
            [(field.get("name"), field.get("widget")) for field in results],
            [("lead_currency_id", None), ("crm_won_revenue", "monetary")],
        )
        campaign = self.campaign.with_user(self.manager)
        self.assertEqual(campaign.lead_currency_id, self.env.company.currency_id)
        self.assertAlmostEqual(campaign.crm_cost_per_lead, 100.0)
        config = self.env.ref("lead_reporting.menu_utm_campaign_config")
        self.assertEqual(config.parent_id, self.env.ref("crm.crm_menu_config"))
        self.assertEqual(config.action.res_model, "utm.campaign")

    def _visible(self, user):
        visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        report = self.env.ref("crm.crm_menu_report")
        menus = (
            self.env["ir.ui.menu"]
            .browse(visible)
            .filtered(lambda menu: menu.parent_id.parent_id == report)
        )
        return {(menu.parent_id.name, menu.name) for menu in menus}

    def test_reporting_menu_in_sections_per_role(self):
        report = self.env.ref("crm.crm_menu_report")
        ours = self.env["ir.model.data"].search(
            [
                ("model", "=", "ir.ui.menu"),
                ("module", "in", ("lead_quality", "lead_distribution", "lead_reporting")),
            ]
        )
        top_level = (
            self.env["ir.ui.menu"]
            .browse(ours.mapped("res_id"))
            .filtered(lambda menu: menu.parent_id == report)
        )
        self.assertEqual(
            set(top_level.mapped("name")), {"Lead Quality", "Distribution", "Planning", "Marketing"}
        )
        salesman = self._visible(self.salesman)
        for entry in (
            ("Distribution", "My Lead Results"),
            ("Marketing", "What My Leads Became"),
            ("Planning", "Funnel Plans"),
            ("Planning", "Plan versus Actual"),
        ):
            self.assertIn(entry, salesman)
        for entry in (
            ("Distribution", "Sales Success"),
            ("Distribution", "Distribution Log"),
            ("Marketing", "Marketing vs Sales"),
            ("Marketing", "Marketing Lead Quotas"),
            ("Planning", "KPI Revisions"),
        ):
            self.assertNotIn(entry, salesman)
        manager = self._visible(self.manager)
        self.assertLessEqual(salesman, manager)
        for entry in (
            ("Distribution", "Sales Success"),
            ("Distribution", "Distribution Log"),
            ("Marketing", "Marketing vs Sales"),
            ("Marketing", "Marketing Activity"),
            ("Marketing", "Marketing Lead Quotas"),
            ("Planning", "KPI Revisions"),
        ):
            self.assertIn(entry, manager)
        marketing = new_test_user(
            self.env,
            "funnel_marketing_user",
            groups="sales_team.group_sale_salesman,lead_reporting.group_campaign_manager",
        )
        marketing_menus = self._visible(marketing)
        for entry in (
            ("Marketing", "Marketing vs Sales"),
            ("Marketing", "Marketing Lead Quotas"),
            ("Marketing", "Campaigns"),
        ):
            self.assertIn(entry, marketing_menus)
        self.assertNotIn(("Distribution", "Sales Success"), marketing_menus)

    def test_no_requirement_ids_in_user_texts(self):
        texts = []
        for model in OUR_MODELS:
            for fname, field in self.env[model]._fields.items():
                texts += [(model, fname, field.string), (model, fname, field.help or "")]
        for fname in ("campaign_cost", "lead_generated_count", "crm_cost_per_lead"):
            field = self.env["utm.campaign"]._fields[fname]
            texts += [("utm.campaign", fname, field.string), ("utm.campaign", fname, field.help)]
        records = self.env["ir.model.data"].search(
            [
                ("module", "=", "lead_reporting"),
                (
                    "model",
                    "in",
                    ("ir.ui.view", "ir.actions.act_window", "mail.template", "ir.ui.menu"),
                ),
            ]
        )
        for data in records:
            record = self.env[data.model].browse(data.res_id)
            for fname in ("arch_db", "help", "body_html", "subject", "name", "description"):
                if fname in record._fields and record[fname]:
                    texts.append((data.model, data.name, str(record[fname])))
        self.assertGreater(len(texts), 200)
        found = [(where, name) for where, name, text in texts if REQUIREMENT_ID.search(text)]
        self.assertEqual(found, [])
