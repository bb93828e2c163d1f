# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import tagged
from odoo.tools import convert_file

from .quality_common import LeadQualityCase


@tagged("post_install", "-at_install")
class TestQualityData(LeadQualityCase):
    def test_default_media_ranking(self):
        ref = self.env.ref
        expected = {
            "utm.utm_medium_phone": 1,
            "utm.utm_medium_email": 2,
            "lead_quality.utm_medium_direct_mail_post": 2,
            "lead_quality.utm_medium_event": 3,
            "lead_quality.utm_medium_trade_fair": 4,
            "utm.utm_medium_website": 5,
            "utm.utm_medium_banner": 6,
            "utm.utm_medium_google_adwords": 6,
            "utm.utm_medium_facebook": 6,
            "utm.utm_medium_linkedin": 6,
            "utm.utm_medium_twitter": 6,
            "utm.utm_medium_television": 6,
        }
        for xmlid, rank in expected.items():
            medium = ref(xmlid)
            self.assertEqual(medium.quality_rank, rank, xmlid)
            self.assertTrue(medium.lead_required_field_ids, f"{xmlid} has required fields")
            self.assertTrue(medium.information_depth, f"{xmlid} describes its information depth")
            self.assertEqual(set(medium.lead_required_field_ids.mapped("model")), {"crm.lead"})
        self.assertIn("phone", self.phone.lead_required_field_ids.mapped("name"))
        self.assertIn(
            "street",
            ref("lead_quality.utm_medium_direct_mail_post").lead_required_field_ids.mapped("name"),
        )

    def test_default_complex_overrides(self):
        overrides = self.env["lead.quality.rank"].search(
            [("offer_type", "=", "complex"), ("company_id", "=", False)]
        )
        by_medium = {o.medium_id: o.rank for o in overrides}
        self.assertEqual(by_medium.get(self.event), 1)
        self.assertEqual(by_medium.get(self.phone), 3)

    def test_default_reject_reasons(self):
        names = set(self.env["lead.quality.reject.reason"].search([]).mapped("name"))
        self.assertLessEqual(
            {"No need", "Wrong contact", "Duplicate", "Bad data", "No budget"}, names
        )

    def test_upgrade_keeps_customised_ranking(self):
        self.phone.quality_rank = 4
        self.event.quality_rank = 2
        override = self.env.ref("lead_quality.lead_quality_rank_event_complex")
        override.rank = 2
        for fname in ("data/utm_medium_data.xml",):
            convert_file(self.env, "lead_quality", fname, {}, mode="update", noupdate=False)
        self.assertEqual(self.phone.quality_rank, 4)
        self.assertEqual(self.event.quality_rank, 2)
        self.assertEqual(override.rank, 2)

    def test_freshness_cron_exists(self):
        cron = self.env.ref("lead_quality.ir_cron_lead_quality_freshness")
        self.assertTrue(cron.active)
        self.assertEqual(cron.interval_type, "days")
