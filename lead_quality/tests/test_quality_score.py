# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .quality_common import LeadQualityCase


@tagged("post_install", "-at_install")
class TestQualityScoreGrade(LeadQualityCase):
    def test_score_grade_and_readiness(self):
        Lead = self.env["crm.lead"]
        full_phone = Lead.create(self._full_phone_vals())
        # Phone, 3 of 6 fields: (4000 + 40 * 50 + 2000) / 100 = 80 -> A, but below the 80 % minimum
        half_phone = Lead.create(
            self._lead_vals(
                medium_id=self.phone.id,
                contact_name="A",
                partner_name="B",
                email_from="a@b.example.com",
            )
        )
        # Banner (rank 6) complete: 66.67 -> B
        banner = Lead.create(
            self._lead_vals(medium_id=self.banner.id, email_from="c@d.example.com")
        )
        # Banner incomplete: (40 * 16.67 + 0 + 2000) / 100 = 26.67 -> D
        empty_banner = Lead.create(self._lead_vals(medium_id=self.banner.id))
        self.assertEqual(
            [
                (lead.quality_score, lead.quality_grade)
                for lead in (full_phone, half_phone, banner, empty_banner)
            ],
            [(100, "A"), (80, "A"), (67, "B"), (27, "D")],
        )
        self.assertTrue(full_phone.is_distribution_ready)
        self.assertFalse(
            half_phone.is_distribution_ready, "completeness below the medium's minimum"
        )
        self.assertTrue(banner.is_distribution_ready)
        self.assertFalse(empty_banner.is_distribution_ready)
        # stored and searchable / groupable
        ready = Lead.search(
            [
                ("id", "in", (full_phone | half_phone | banner | empty_banner).ids),
                ("is_distribution_ready", "=", True),
            ]
        )
        self.assertEqual(ready, full_phone | banner)
        groups = dict(
            Lead._read_group(
                [("id", "in", (full_phone | half_phone | banner | empty_banner).ids)],
                ["quality_grade"],
                ["__count"],
            )
        )
        self.assertEqual(groups, {"A": 2, "B": 1, "D": 1})

    def test_minimum_grade_gates_distribution(self):
        banner = self.env["crm.lead"].create(
            self._lead_vals(medium_id=self.banner.id, email_from="c@d.example.com")
        )
        self.assertTrue(banner.is_distribution_ready)
        self.company.lead_quality_min_grade = "A"
        self.assertFalse(banner.is_distribution_ready)
        self.banner.min_completeness = 100
        self.company.lead_quality_min_grade = "B"
        self.assertTrue(banner.is_distribution_ready)

    def test_settings_change_rescores_in_batch(self):
        leads = self.env["crm.lead"].create(
            [
                self._lead_vals(medium_id=self.banner.id, email_from=f"x{i}@d.example.com")
                for i in range(5)
            ]
        )
        self.assertEqual(set(leads.mapped("quality_grade")), {"B"})
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.lead_quality_threshold_a, 80)
        # all thresholds move down at once (would break the order if written one by one)
        settings.write(
            {
                "lead_quality_threshold_a": 60,
                "lead_quality_threshold_b": 30,
                "lead_quality_threshold_c": 10,
            }
        )
        settings.execute()
        self.assertEqual(self.company.lead_quality_threshold_a, 60)
        self.assertEqual(set(leads.mapped("quality_grade")), {"A"})
        settings = self.env["res.config.settings"].create(
            {
                "lead_quality_weight_rank": 100,
                "lead_quality_weight_completeness": 0,
                "lead_quality_weight_freshness": 0,
            }
        )
        settings.execute()
        self.assertEqual(set(leads.mapped("quality_score")), {17})
        self.assertEqual(set(leads.mapped("quality_grade")), {"C"})

    def test_settings_form_shows_company_values(self):
        self.company.lead_quality_freshness_days = 200
        with Form(self.env["res.config.settings"]) as form:
            self.assertEqual(form.lead_quality_freshness_days, 200)

    def test_companies_scored_with_their_own_settings(self):
        other = self.env["res.company"].create(
            {"name": "Strict Co", "lead_quality_threshold_a": 95}
        )
        lead_here, lead_there = self.env["crm.lead"].create(
            [
                self._lead_vals(
                    medium_id=self.phone.id,
                    contact_name="A",
                    partner_name="B",
                    email_from="a@b.example.com",
                ),
                {
                    "name": "there",
                    "type": "lead",
                    # no default team (with the Leads feature on, the first team using leads,
                    # which may sell complex offers, and its company)
                    "team_id": False,
                    "medium_id": self.phone.id,
                    "company_id": other.id,
                    "contact_name": "A",
                    "partner_name": "B",
                    "email_from": "a@b.example.com",
                },
            ]
        )
        self.assertEqual(lead_here.quality_score, lead_there.quality_score)
        self.assertEqual(lead_here.quality_grade, "A")
        self.assertEqual(lead_there.quality_grade, "B")
        other.lead_quality_threshold_a = 80
        self.assertEqual(lead_there.quality_grade, "A")


@tagged("post_install", "-at_install")
class TestQualityBadInput(LeadQualityCase):
    def test_negative_rank(self):
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.phone.quality_rank = -1
        self.phone.invalidate_recordset()
        self.assertEqual(self.phone.quality_rank, 1)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env["lead.quality.rank"].create(
                {"medium_id": self.phone.id, "offer_type": "standard", "rank": -2}
            )
        self.assertFalse(self.env["lead.quality.rank"].search([("rank", "<", 0)]))

    def test_min_completeness_out_of_range(self):
        for value in (-1, 101, 150):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.phone.min_completeness = value
        self.phone.invalidate_recordset()
        self.assertEqual(self.phone.min_completeness, 80)

    def test_thresholds_out_of_order(self):
        for vals in (
            {"lead_quality_threshold_a": 50},  # A below B
            {"lead_quality_threshold_b": 40},  # B equals C
            {"lead_quality_threshold_a": 120},
            {"lead_quality_threshold_c": -5},
            {"lead_quality_weight_rank": -1},
            {
                "lead_quality_weight_rank": 0,
                "lead_quality_weight_completeness": 0,
                "lead_quality_weight_freshness": 0,
            },
            {"lead_quality_freshness_days": 0},
            {"lead_quality_touch_bonus": -3},
        ):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.company.write(vals)
        self.company.invalidate_recordset()
        self.assertEqual(
            (
                self.company.lead_quality_threshold_a,
                self.company.lead_quality_threshold_b,
                self.company.lead_quality_threshold_c,
            ),
            (80, 60, 40),
        )
        settings = self.env["res.config.settings"].create({"lead_quality_threshold_b": 90})
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            settings.execute()
        self.company.invalidate_recordset()
        self.assertEqual(self.company.lead_quality_threshold_b, 60)

    def test_required_field_not_a_lead_field(self):
        partner_field = self.env["ir.model.fields"]._get("res.partner", "email")
        before = self.phone.lead_required_field_ids
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.phone.lead_required_field_ids = [Command.link(partner_field.id)]
        self.phone.invalidate_recordset()
        self.assertEqual(self.phone.lead_required_field_ids, before)
        # a crm.lead field that holds no lead information (technical, computed) is refused too
        technical = self.env["ir.model.fields"]._get("crm.lead", "write_date")
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.phone.lead_required_field_ids = [Command.link(technical.id)]
