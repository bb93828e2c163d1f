# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from ..lib.odoo_compat import USER_GROUPS_FIELD
from .quality_common import LeadQualityCase


@tagged("post_install", "-at_install")
class TestQualityFeedback(LeadQualityCase):
    def test_accept_and_reject_over_methods(self):
        lead = self.env["crm.lead"].create(self._full_phone_vals(user_id=self.salesman.id))
        self.assertEqual(lead.quality_feedback_state, "none")
        lead.with_user(self.salesman).action_quality_accept()
        self.assertEqual(lead.quality_feedback_state, "accepted")
        feedback = lead.quality_feedback_ids
        self.assertEqual(
            (feedback.user_id, feedback.verdict, feedback.reason_id),
            (self.salesman, "accepted", self.env["lead.quality.reject.reason"]),
        )
        lead.with_user(self.salesman).action_quality_reject(
            self.reason_no_need.id, note="They just bought"
        )
        self.assertEqual(lead.quality_feedback_state, "rejected")
        rejection = lead.quality_feedback_ids.filtered(lambda f: f.verdict == "rejected")
        self.assertEqual(rejection.reason_id, self.reason_no_need)
        self.assertEqual(rejection.note, "They just bought")
        self.assertEqual(rejection.medium_id, self.phone)
        self.assertEqual(rejection.company_id, self.company)
        bodies = lead.message_ids.mapped("body")
        self.assertTrue(any("rejected" in body and "No need" in body for body in bodies))
        self.assertTrue(any("accepted" in body for body in bodies))

    def test_reject_needs_a_reason(self):
        lead = self.env["crm.lead"].create(self._full_phone_vals(user_id=self.salesman.id))
        with self.assertRaises(UserError):
            lead.with_user(self.salesman).action_quality_reject(False)
        with self.assertRaises(UserError):
            lead.with_user(self.salesman).action_quality_reject(999999)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env["lead.quality.feedback"].create({"lead_id": lead.id, "verdict": "rejected"})
        self.assertFalse(lead.quality_feedback_ids)

    def test_salesman_only_on_readable_leads(self):
        other = self.env["res.users"].create(
            {
                "name": "Other",
                "login": "lq_other",
                USER_GROUPS_FIELD: [(6, 0, self.env.ref("sales_team.group_sale_salesman").ids)],
            }
        )
        foreign_lead = self.env["crm.lead"].create(self._full_phone_vals(user_id=other.id))
        with self.assertRaises(AccessError):
            foreign_lead.with_user(self.salesman).action_quality_accept()
        with self.assertRaises(AccessError):
            self.env["lead.quality.feedback"].with_user(self.salesman).create(
                {"lead_id": foreign_lead.id, "verdict": "accepted"}
            )
        self.assertFalse(foreign_lead.quality_feedback_ids)

    def test_feedback_user_is_the_author(self):
        lead = self.env["crm.lead"].create(self._full_phone_vals(user_id=self.salesman.id))
        feedback = (
            self.env["lead.quality.feedback"]
            .with_user(self.salesman)
            .create({"lead_id": lead.id, "verdict": "accepted", "user_id": self.manager.id})
        )
        self.assertEqual(feedback.user_id, self.salesman)

    def test_reject_dialog(self):
        lead = self.env["crm.lead"].create(self._full_phone_vals(user_id=self.salesman.id))
        action = lead.with_user(self.salesman).action_open_quality_reject()
        self.assertEqual(action["res_model"], "lead.quality.feedback")
        ctx = action["context"]
        with Form(
            self.env["lead.quality.feedback"].with_user(self.salesman).with_context(**ctx),
            view=action["views"][0][0],
        ) as form:
            form.reason_id = self.env.ref("lead_quality.reject_reason_bad_data")
            form.note = "Phone number belongs to someone else"
        self.assertEqual(lead.quality_feedback_state, "rejected")
        self.assertEqual(lead.quality_feedback_ids.reason_id.name, "Bad data")


@tagged("post_install", "-at_install")
class TestQualitySecurity(LeadQualityCase):
    def test_only_managers_change_ranks_and_required_fields(self):
        medium = self.phone.with_user(self.salesman)
        for vals in (
            {"quality_rank": 2},
            {"min_completeness": 10},
            {"lead_required_field_ids": [(5, 0, 0)]},
        ):
            with self.assertRaises(AccessError):
                medium.write(vals)
        with self.assertRaises(AccessError):
            self.env["utm.medium"].with_user(self.salesman).create(
                {"name": "Sneaky", "quality_rank": 1}
            )
        # salespeople may still create plain media (standard Odoo behaviour)
        self.env["utm.medium"].with_user(self.salesman).create({"name": "Plain Medium"})
        with self.assertRaises(AccessError):
            self.env["lead.quality.rank"].with_user(self.salesman).create(
                {"medium_id": self.phone.id, "offer_type": "standard", "rank": 2}
            )
        with self.assertRaises(AccessError):
            self.env["lead.quality.reject.reason"].with_user(self.salesman).create({"name": "Nope"})
        with self.assertRaises(AccessError):
            self.company.with_user(self.salesman).write({"lead_quality_threshold_a": 90})
        self.phone.with_user(self.manager).write({"quality_rank": 2, "min_completeness": 70})
        self.assertEqual(self.phone.quality_rank, 2)
        self.env["lead.quality.rank"].with_user(self.manager).create(
            {"medium_id": self.website.id, "offer_type": "complex", "rank": 4}
        )

    def test_multi_company_feedback_isolation(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        lead_other = self.env["crm.lead"].create(
            {"name": "other", "company_id": other.id, "medium_id": self.phone.id}
        )
        self.env["lead.quality.feedback"].create({"lead_id": lead_other.id, "verdict": "accepted"})
        lead_here = self.env["crm.lead"].create(self._full_phone_vals())
        self.env["lead.quality.feedback"].create({"lead_id": lead_here.id, "verdict": "accepted"})
        visible = self.env["lead.quality.feedback"].with_user(self.manager).search([])
        self.assertIn(lead_here, visible.lead_id)
        self.assertNotIn(lead_other, visible.lead_id)
        reports = self.env["lead.quality.medium.report"].with_user(self.manager).search([])
        self.assertNotIn(other, reports.company_id)
        self.manager.company_ids |= other
        visible = (
            self.env["lead.quality.feedback"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=[self.company.id, other.id])
            .search([])
        )
        self.assertIn(lead_other, visible.lead_id)

    def test_feedback_outlives_its_lead(self):
        """Feedback is an audit record: deleting the lead keeps it, with the lead's name and
        the company and medium the lead had when the feedback was given."""
        lead = self.env["crm.lead"].create(self._full_phone_vals(user_id=self.salesman.id))
        lead.with_user(self.salesman).action_quality_reject(self.reason_no_need.id)
        feedback = lead.quality_feedback_ids
        name = lead.name
        lead.medium_id = self.website
        self.assertEqual(feedback.medium_id, self.phone)
        lead.unlink()
        self.env.invalidate_all()
        self.assertTrue(feedback.exists())
        self.assertFalse(feedback.lead_id)
        self.assertEqual(
            (feedback.lead_name, feedback.display_name, feedback.medium_id, feedback.company_id),
            (name, name, self.phone, self.company),
        )
        self.assertEqual((feedback.verdict, feedback.reason_id), ("rejected", self.reason_no_need))

    def test_feedback_needs_a_lead(self):
        with self.assertRaisesRegex(ValidationError, "needs the lead"):
            self.env["lead.quality.feedback"].create({"verdict": "accepted"})

    def test_salesperson_sees_feedback_of_the_leads_he_may_read(self):
        other = self.env["res.users"].create(
            {
                "name": "Other Seller",
                "login": "lq_other_seller",
                USER_GROUPS_FIELD: [(6, 0, self.env.ref("sales_team.group_sale_salesman").ids)],
            }
        )
        own = self.env["crm.lead"].create(self._full_phone_vals(user_id=self.salesman.id))
        foreign = self.env["crm.lead"].create(self._full_phone_vals(user_id=other.id))
        own.with_user(self.salesman).action_quality_accept()
        foreign.with_user(other).action_quality_reject(self.reason_no_need.id)
        Feedback = self.env["lead.quality.feedback"]
        self.assertEqual(Feedback.with_user(self.salesman).search([]).lead_id, own)
        self.assertEqual(Feedback.with_user(other).search([]).lead_id, foreign)
        self.assertEqual(
            Feedback.with_user(self.manager)
            .search([("lead_id", "in", (own | foreign).ids)])
            .lead_id,
            own | foreign,
        )
