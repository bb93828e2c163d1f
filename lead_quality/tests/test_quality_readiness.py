# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from lxml import etree

from odoo.tests import tagged

from .quality_common import LeadQualityCase


@tagged("post_install", "-at_install")
class TestQualityReadiness(LeadQualityCase):
    """A lead that is not ready for distribution says why, on its Lead Quality page."""

    def test_grade_a_lead_incomplete_for_its_medium(self):
        # telemarketing, 4 of the 6 fields Phone requires: grade A, but the medium wants 80 %
        lead = self.env["crm.lead"].create(
            self._full_phone_vals(user_id=self.salesman.id, email_from=False, description=False)
        )
        self.assertEqual((lead.quality_grade, lead.data_completeness), ("A", 67))
        self.assertFalse(lead.is_distribution_ready)
        note = lead.with_user(self.salesman).quality_readiness_note
        self.assertEqual(
            note,
            "Data completeness is 67 % and the medium Phone requires 80 %. "
            f"Missing: {lead.quality_missing_fields}.",
        )
        self.assertEqual(
            set(lead.quality_missing_fields.split(", ")),
            {lead._fields[name].string for name in ("email_from", "description")},
        )
        # completed: ready, nothing to explain
        lead.write({"email_from": "anna@berg-it.example.com", "description": "<p>needs</p>"})
        self.assertTrue(lead.is_distribution_ready)
        self.assertFalse(lead.quality_readiness_note)

    def test_grade_below_the_company_minimum(self):
        self.company.lead_quality_min_grade = "A"
        lead = self.env["crm.lead"].create(
            self._lead_vals(medium_id=self.banner.id, email_from="info@banner.example.com")
        )
        self.assertEqual((lead.data_completeness, lead.quality_grade), (100, "B"))
        self.assertEqual(
            lead.quality_readiness_note,
            "Grade B is below the minimum grade A for distribution "
            f"(quality score {lead.quality_score} of 100).",
        )

    def test_both_reasons_one_per_line(self):
        lead = self.env["crm.lead"].create(self._lead_vals(medium_id=self.banner.id))
        self.assertEqual(lead.quality_grade, "D")
        lines = lead.quality_readiness_note.splitlines()
        self.assertEqual(len(lines), 2)
        self.assertTrue(
            lines[0].startswith("Data completeness is 0 % and the medium Banner requires 100 %")
        )
        self.assertTrue(lines[1].startswith("Grade D is below the minimum grade C"))

    def test_quality_page_shows_medium_score_and_reason(self):
        arch = self.env["crm.lead"].get_views([(False, "form")])["views"]["form"]["arch"]
        page = etree.fromstring(arch).find(".//page[@name='lead_quality']")
        names = [node.get("name") for node in page.iter("field")]
        self.assertIn("medium_id", names)
        self.assertIn("quality_readiness_note", names)
        [score] = [node for node in page.iter("field") if node.get("name") == "quality_score"]
        # a score out of 100, not a percentage bar
        self.assertIsNone(score.get("widget"))
        self.assertIn("/ 100", "".join(score.getparent().itertext()))
