# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, tagged


class QualityTour:
    """The lead form's grade, missing information and acceptance in the browser; run at
    desktop and at phone width by the classes below."""

    def test_lead_form_shows_grade_and_missing_fields(self):
        fields_model = self.env["ir.model.fields"]
        medium = self.env["utm.medium"].create(
            {
                "name": "Tour Trade Show",
                "quality_rank": 6,
                "lead_required_field_ids": [
                    (
                        6,
                        0,
                        [
                            fields_model._get("crm.lead", name).id
                            for name in ("contact_name", "partner_name", "function", "phone")
                        ],
                    )
                ],
            }
        )
        # rank 6, 1 of 4 fields, fresh: (40 * 16.67 + 40 * 25 + 20 * 100) / 100 = 36.67 -> D
        lead = self.env["crm.lead"].create(
            {
                "name": "Tour lead",
                "type": "lead",
                "medium_id": medium.id,
                "contact_name": "Tom Tour",
            }
        )
        self.assertEqual(lead.quality_grade, "D")
        self.start_tour(
            f"/odoo/action-crm.crm_lead_all_leads/{lead.id}",
            "lead_quality_grade_badge_tour",
            login="admin",
        )
        self.assertEqual(lead.function, "Head of IT")
        self.assertEqual(lead.data_completeness, 50)
        # accepted with the button on the Lead Quality page
        self.assertEqual(lead.quality_feedback_state, "accepted")
        self.assertEqual(lead.quality_feedback_ids.user_id, self.env.ref("base.user_admin"))


@tagged("post_install", "-at_install")
class TestQualityTour(QualityTour, HttpCase):
    browser_size = "1440x900"
    allow_inherited_tests_method = True  # the mixin's tours


@tagged("post_install", "-at_install")
class TestQualityTourPhone(QualityTour, HttpCase):
    browser_size = "375x667"
    allow_inherited_tests_method = True  # the mixin's tours
    touch_enabled = True
