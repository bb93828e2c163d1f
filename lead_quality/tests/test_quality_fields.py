# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .quality_common import LeadQualityCase


@tagged("post_install", "-at_install")
class TestQualityRank(LeadQualityCase):
    def test_rank_from_medium_and_offer_type(self):
        leads = self.env["crm.lead"].create(
            [
                self._lead_vals(medium_id=self.phone.id),
                self._lead_vals(medium_id=self.phone.id, offer_type="complex"),
                self._lead_vals(medium_id=self.event.id),
                self._lead_vals(medium_id=self.event.id, offer_type="complex"),
                self._lead_vals(medium_id=self.banner.id, offer_type="complex"),
                self._lead_vals(),
            ]
        )
        self.assertEqual(leads.mapped("quality_rank"), [1, 3, 3, 1, 6, 0])

    def test_offer_type_default_from_team(self):
        complex_team = self.env["crm.team"].create(
            {"name": "Projects", "lead_offer_type": "complex"}
        )
        lead = self.env["crm.lead"].create(
            self._lead_vals(medium_id=self.phone.id, team_id=complex_team.id)
        )
        self.assertEqual(lead.offer_type, "complex")
        self.assertEqual(lead.quality_rank, 3)
        standard = self.env["crm.lead"].create(self._lead_vals(medium_id=self.phone.id))
        self.assertEqual(standard.offer_type, "standard")
        # explicit value wins over the team's default
        explicit = self.env["crm.lead"].create(
            self._lead_vals(medium_id=self.phone.id, team_id=complex_team.id, offer_type="standard")
        )
        self.assertEqual(explicit.offer_type, "standard")

    def test_rank_change_rescores_affected_leads(self):
        phone_lead, web_lead = self.env["crm.lead"].create(
            [
                self._full_phone_vals(),
                self._lead_vals(
                    medium_id=self.website.id, contact_name="X", email_from="x@x.example.com"
                ),
            ]
        )
        self.assertEqual(phone_lead.quality_grade, "A")
        web_score = web_lead.quality_score
        self.phone.quality_rank = 6
        self.env.flush_all()
        self.assertEqual(phone_lead.quality_rank, 6)
        # (40 * 100/6 + 40 * 100 + 20 * 100) / 100 = 66.67
        self.assertEqual(phone_lead.quality_score, 67)
        self.assertEqual(phone_lead.quality_grade, "B")
        self.assertEqual(web_lead.quality_score, web_score)

    def test_override_create_and_company_specific(self):
        lead = self.env["crm.lead"].create(
            self._lead_vals(medium_id=self.fair.id, offer_type="complex")
        )
        self.assertEqual(lead.quality_rank, 4)
        general = self.env["lead.quality.rank"].create(
            {"medium_id": self.fair.id, "offer_type": "complex", "rank": 2}
        )
        self.assertEqual(lead.quality_rank, 2)
        self.env["lead.quality.rank"].create(
            {
                "medium_id": self.fair.id,
                "offer_type": "complex",
                "rank": 5,
                "company_id": self.company.id,
            }
        )
        self.assertEqual(lead.quality_rank, 5, "a company-specific override wins")
        other_company = self.env["res.company"].create({"name": "Other Co"})
        other_lead = self.env["crm.lead"].create(
            {
                "name": "other",
                "medium_id": self.fair.id,
                "offer_type": "complex",
                "company_id": other_company.id,
            }
        )
        self.assertEqual(other_lead.quality_rank, 2)
        general.rank = 1
        self.assertEqual(other_lead.quality_rank, 1)
        self.assertEqual(lead.quality_rank, 5)


@tagged("post_install", "-at_install")
class TestQualityCompleteness(LeadQualityCase):
    def test_completeness_share_of_required_fields(self):
        full = self.env["crm.lead"].create(self._full_phone_vals())
        self.assertEqual(full.data_completeness, 100)
        self.assertFalse(full.quality_missing_fields)
        half = self.env["crm.lead"].create(
            self._lead_vals(
                medium_id=self.phone.id,
                contact_name="A",
                partner_name="B",
                email_from="a@b.example.com",
            )
        )
        self.assertEqual(len(self.phone.lead_required_field_ids), 6)
        self.assertEqual(half.data_completeness, 50)
        self.assertIn("Job Position", half.quality_missing_fields)
        self.assertNotIn("Contact Name", half.quality_missing_fields)
        half.write({"function": "CTO", "phone": "+49 30 555"})
        self.assertEqual(half.data_completeness, 83)

    def test_invalid_email_counts_as_missing(self):
        lead = self.env["crm.lead"].create(self._full_phone_vals(email_from="not an email"))
        self.assertEqual(lead.email_state, "incorrect")
        self.assertEqual(lead.data_completeness, 83)
        self.assertIn(
            self.env["crm.lead"]._fields["email_from"].string, lead.quality_missing_fields
        )
        lead.email_from = "good@example.com"
        self.assertEqual(lead.data_completeness, 100)

    def test_required_fields_change_recomputes(self):
        lead = self.env["crm.lead"].create(
            self._lead_vals(medium_id=self.website.id, contact_name="A")
        )
        self.assertEqual(lead.data_completeness, 50)
        zip_field = self.env["ir.model.fields"]._get("crm.lead", "zip")
        self.website.lead_required_field_ids = [Command.set(zip_field.ids)]
        self.assertEqual(lead.data_completeness, 0)
        lead.zip = "10115"
        self.assertEqual(lead.data_completeness, 100)

    def test_workflow_fields_of_our_addons_do_not_rescore(self):
        """Only lead information counts: changing the data steward (or, with
        lead_distribution, a distribution state) must not recompute completeness."""
        candidates = self.env["crm.lead"]._quality_candidate_field_names()
        self.assertIn("email_from", candidates)
        self.assertNotIn("data_steward_id", candidates)
        ours = [
            name
            for name in candidates
            if (self.env["crm.lead"]._fields[name]._module or "").startswith("lead_")
        ]
        self.assertEqual(ours, [])

    def test_no_medium_or_no_required_fields_is_complete(self):
        lead = self.env["crm.lead"].create(self._lead_vals())
        self.assertEqual(lead.data_completeness, 100)


@tagged("post_install", "-at_install")
class TestQualityFreshnessTouches(LeadQualityCase):
    def test_stale_data_lowers_score(self):
        today = fields.Date.context_today(self.env["crm.lead"])
        fresh, stale = self.env["crm.lead"].create(
            [
                self._full_phone_vals(),
                self._full_phone_vals(data_verified_date=today - timedelta(days=400)),
            ]
        )
        self.assertFalse(fresh.is_data_stale)
        self.assertTrue(stale.is_data_stale)
        self.assertEqual(fresh.quality_score, 100)
        self.assertEqual(stale.quality_score, 80)
        stale.data_verified_date = today
        self.assertFalse(stale.is_data_stale)
        self.assertEqual(stale.quality_score, 100)

    def test_freshness_does_not_depend_on_whose_timezone_rescores(self):
        """The age of verified data counts to the same day for everyone: a lead verified
        exactly the freshness age ago is fresh, one day more is stale, whether a user of
        UTC+14 or of UTC-11 (whose dates differ from UTC's at any hour) triggers the score."""
        days = self.company.lead_quality_freshness_days
        today = self.env["crm.lead"]._quality_today()
        leads = self.env["crm.lead"].create([self._full_phone_vals(), self._full_phone_vals()])
        for lead, age, timezone, stale in (
            (leads[0], days, "Pacific/Kiritimati", False),
            (leads[1], days + 1, "Pacific/Pago_Pago", True),
        ):
            local = lead.with_context(tz=timezone)
            local.data_verified_date = today - timedelta(days=age)
            self.assertEqual(local.is_data_stale, stale, timezone)

    def test_freshness_age_setting_and_cron(self):
        today = self.env["crm.lead"]._quality_today()
        lead = self.env["crm.lead"].create(
            self._full_phone_vals(data_verified_date=today - timedelta(days=100))
        )
        self.assertFalse(lead.is_data_stale)
        self.company.lead_quality_freshness_days = 90
        self.assertTrue(lead.is_data_stale)
        self.company.lead_quality_freshness_days = 365
        self.assertFalse(lead.is_data_stale)
        # time passes: the stored flag is only refreshed by the daily cron
        self.env.cr.execute(
            "UPDATE crm_lead SET data_verified_date = %s WHERE id = %s",
            (today - timedelta(days=366), lead.id),
        )
        lead.invalidate_recordset()
        self.assertFalse(lead.is_data_stale)
        refreshed = self.env["crm.lead"]._cron_quality_refresh_freshness()
        self.assertIn(lead, refreshed)
        self.assertTrue(lead.is_data_stale)
        self.assertEqual(lead.quality_score, 80)

    def test_touches_medium_change_and_bonus(self):
        lead = self.env["crm.lead"].create(
            self._lead_vals(medium_id=self.website.id, contact_name="A")
        )
        self.assertEqual(lead.touch_medium_ids, self.website)
        self.assertEqual(lead.touch_count, 1)
        score = lead.quality_score
        lead.medium_id = self.banner
        self.assertEqual(lead.touch_medium_ids, self.website | self.banner)
        self.assertEqual(lead.touch_count, 2)
        self.banner.lead_required_field_ids = self.website.lead_required_field_ids
        self.banner.quality_rank = 5
        self.assertEqual(lead.quality_score, score + 5)
        self.company.lead_quality_touch_bonus = 12
        self.assertEqual(lead.quality_score, score + 12)

    def test_merge_keeps_union_of_touches(self):
        leads = self.env["crm.lead"].create(
            [
                self._lead_vals(name="A", medium_id=self.website.id, email_from="same@example.com"),
                self._lead_vals(name="B", medium_id=self.event.id, email_from="same@example.com"),
                self._lead_vals(name="C", medium_id=self.phone.id, email_from="same@example.com"),
            ]
        )
        leads[2].touch_medium_ids |= self.fair
        merged = leads._merge_opportunity(auto_unlink=True, max_length=None)
        self.assertEqual(len(merged), 1)
        self.assertEqual(
            merged.touch_medium_ids, self.website | self.event | self.phone | self.fair
        )
        self.assertEqual(merged.touch_count, 4)
