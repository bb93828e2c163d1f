from datetime import timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import FunnelCase


@tagged("post_install", "-at_install")
class TestKpiAndDigest(FunnelCase):
    def setUp(self):
        super().setUp()
        self.plan = self._plan(
            kpi_lead_target=20,
            kpi_opportunity_target=4,
            report_frequency="weekly",
            report_recipient_ids=[(6, 0, self.recipient.ids)],
        )

    def test_kpis_free_before_start_locked_after(self):
        self.plan.with_user(self.manager).kpi_lead_target = 25  # draft: free
        self.plan.with_user(self.manager).action_confirm()  # started two months ago
        with self.assertRaisesMsg(UserError, "fixed since the start"):
            self.plan.with_user(self.manager).kpi_lead_target = 30
        with self.assertRaisesMsg(UserError, "fixed since the start"):
            self.plan.with_user(self.manager).report_frequency = "monthly"
        self.assertEqual(self.plan.kpi_lead_target, 25)

    def test_kpi_revision_is_logged(self):
        self.plan.with_user(self.manager).action_confirm()
        with self.assertRaisesMsg(UserError, "needs a reason"):
            self.plan.with_user(self.manager).action_revise_kpi({"kpi_lead_target": 30}, "")
        with self.assertRaisesMsg(UserError, "Only success criteria"):
            self.plan.with_user(self.manager).action_revise_kpi({"revenue_target": 1.0}, "why")
        self.plan.with_user(self.manager).action_revise_kpi(
            {"kpi_lead_target": 30, "report_frequency": "monthly"}, "Market shrank"
        )
        self.assertEqual(self.plan.kpi_lead_target, 30)
        self.assertEqual(self.plan.report_frequency, "monthly")
        revisions = self.env["lead.kpi.revision"].search(
            [("res_model", "=", "lead.funnel.plan"), ("res_id", "=", self.plan.id)]
        )
        self.assertEqual(len(revisions), 2)
        by_field = {rev.field_name: rev for rev in revisions}
        self.assertEqual(by_field["kpi_lead_target"].old_value, "20")
        self.assertEqual(by_field["kpi_lead_target"].new_value, "30")
        self.assertEqual(by_field["report_frequency"].old_value, "Weekly")
        self.assertEqual(by_field["report_frequency"].new_value, "Monthly")
        self.assertEqual(by_field["kpi_lead_target"].reason, "Market shrank")
        self.assertEqual(by_field["kpi_lead_target"].user_id, self.manager)
        self.assertEqual(self.plan.kpi_revision_count, 2)

    def test_revision_wizard(self):
        self.plan.with_user(self.manager).action_confirm()
        wizard = (
            self.env["lead.kpi.revision.wizard"]
            .with_user(self.manager)
            .with_context(default_res_model="lead.funnel.plan", default_res_id=self.plan.id)
            .create({"reason": "Budget cut"})
        )
        self.assertEqual(wizard.kpi_lead_target, 20)
        wizard.kpi_lead_target = 15
        wizard.action_apply()
        self.assertEqual(self.plan.kpi_lead_target, 15)
        self.assertEqual(self.plan.kpi_revision_count, 1)

    def test_campaign_kpis_locked_after_start(self):
        campaign = self.campaign.with_user(self.manager)
        campaign.kpi_lead_target = 8
        campaign.date_start = self.today + timedelta(days=1)
        campaign.kpi_lead_target = 9  # not started yet
        campaign.date_start = self.today
        with self.assertRaisesMsg(UserError, "fixed since the start"):
            campaign.kpi_lead_target = 12
        campaign.action_revise_kpi({"kpi_lead_target": 12}, "More budget")
        self.assertEqual(self.campaign.kpi_lead_target, 12)
        self.assertEqual(self.campaign.kpi_revision_count, 1)

    def test_bad_kpi_input(self):
        with self.assertRaisesMsg(ValidationError, "cannot be negative"):
            self.plan.kpi_lead_target = -1
        with self.assertRaisesMsg(ValidationError, "between 0 and 100"):
            self.plan.kpi_quality_target = 140
        with self.assertRaisesMsg(ValidationError, "cannot be negative"):
            self.campaign.campaign_cost = -10

    def _digest_mails(self):
        return self.env["mail.mail"].search(
            [("model", "=", "lead.funnel.plan"), ("res_id", "=", self.plan.id)]
        )

    def test_digest_cron_content_and_schedule(self):
        self.plan.with_user(self.manager).action_confirm()
        self.env["lead.funnel.plan"]._cron_send_digest()
        mails = self._digest_mails()
        self.assertEqual(len(mails), 1)
        self.assertIn(
            self.recipient.partner_share and self.recipient or self.recipient, mails.recipient_ids
        )
        self.assertEqual(mails.subject, "Plan versus actual: Funnel plan")
        body = mails.body_html
        # figures: 60 planned / 10 actual leads, -83.3 %, required 80
        self.assertIn(">60</td>", body.replace(" ", ""))
        # planned won deals as a whole number (60 x 12.5 % = 7.5), money with its currency
        self.assertIn(">8</td>", body.replace(" ", ""))
        self.assertIn(self.plan._lead_format(152000.0, "money"), body)
        self.assertIn("-83.3 %", body)
        self.assertIn("-87.5 %", body)  # 10 of 80 required leads
        # criteria: leads 20 -> 50 % not met, opportunities 4 -> 100 % met
        self.assertIn("50.0 %", body)
        self.assertIn("100.0 %", body)
        self.assertIn("Not met", body)
        self.assertIn("Met", body)
        self.assertEqual(self.plan.report_last_date, self.today)
        # weekly: not again the same week, again after seven days
        self.env["lead.funnel.plan"]._cron_send_digest()
        self.assertEqual(len(self._digest_mails()), 1)
        self.plan.report_last_date = self.today - timedelta(days=7)
        self.env["lead.funnel.plan"]._cron_send_digest()
        self.assertEqual(len(self._digest_mails()), 2)

    def test_digest_only_for_running_plans_with_recipients(self):
        self.env["lead.funnel.plan"]._cron_send_digest()  # draft
        self.assertFalse(self._digest_mails())

    def test_campaign_digest(self):
        self.campaign.write(
            {
                "date_start": self.date_from,
                "kpi_cost_per_lead_target": 120.0,
                "report_frequency": "monthly",
                "report_recipient_ids": [(6, 0, self.recipient.ids)],
            }
        )
        self.env["lead.funnel.plan"]._cron_send_digest()
        mail = self.env["mail.mail"].search(
            [("model", "=", "utm.campaign"), ("res_id", "=", self.campaign.id)]
        )
        self.assertEqual(len(mail), 1)
        # 1,000 over 10 leads = 100 per lead; target 120 -> 120 %, met
        self.assertIn("100.00", mail.body_html)
        self.assertIn("120.0 %", mail.body_html)
