# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Every form view of lead_quality, opened as the people who use it (web_read or onchange
with the form's field specification, see ``form_access_common``)."""

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import tagged

from .form_access_common import FormAccessMixin
from .quality_common import LeadQualityCase

REQUIRED = ("contact_name", "email_from", "phone", "website", "partner_name")


@tagged("post_install", "-at_install")
class TestFormAccess(FormAccessMixin, LeadQualityCase):
    """Salesperson (own documents), marketing analyst (all leads, the quality reports) and
    sales manager open every form of lead_quality's models and of the views it extends."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.analyst = mail_new_test_user(
            cls.env,
            login="lq_marketing",
            name="Mara Marketing",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads",
            company_id=cls.company.id,
        )
        cls.team.write({"member_ids": [(4, cls.salesman.id)], "user_id": cls.manager.id})
        # a lead of a medium that requires fields (website, e-mail, phone ...), half filled
        fields_model = cls.env["ir.model.fields"]
        cls.medium = cls.env["utm.medium"].create(
            {
                "name": "Form Access Web Form",
                "quality_rank": 5,
                "lead_required_field_ids": [
                    (6, 0, [fields_model._get("crm.lead", name).id for name in REQUIRED])
                ],
            }
        )
        cls.lead = cls.env["crm.lead"].create(
            cls._lead_vals(
                name="Own website lead",
                medium_id=cls.medium.id,
                user_id=cls.salesman.id,
                contact_name="Wanda Web",
                touch_medium_ids=[(4, cls.email.id)],
            )
        )
        cls.lead.with_user(cls.salesman).write({"email_from": "wanda@web.example.com"})
        cls.env["lead.quality.feedback"].with_user(cls.salesman).create(
            {"lead_id": cls.lead.id, "verdict": "accepted"}
        )
        cls.partner = cls.env["res.partner"].create(
            {"name": "Web Customer", "email": "c@web.example.com", "user_id": cls.salesman.id}
        )

    def _lead_forms(self, user):
        values = self._open(user, self.lead)
        # the missing required information of the medium, labelled (Website requires more than
        # the contact and the e-mail the lead carries)
        self.assertEqual(values["quality_missing_fields"], "Company Name, Phone, Website")
        self._open(user, model_name="crm.lead", context={"default_type": "lead"})
        self._open(
            user,
            model_name="lead.quality.feedback",
            view_ref="lead_quality.lead_quality_feedback_view_form_reject",
            context={"default_lead_id": self.lead.id, "default_verdict": "rejected"},
        )

    def _common_forms(self, user):
        self._lead_forms(user)
        # the lead's medium, team and customer open from the lead
        self._open(user, self.medium)
        self._open(user, self.team)
        self._open(user, self.partner)
        # a data-maintenance act the user may see (the salesperson's own e-mail entry)
        act = (
            self.env["lead.data.maintenance"]
            .with_user(user)
            .search([("res_model", "=", "crm.lead"), ("res_id", "=", self.lead.id)], limit=1)
        )
        if user == self.salesman:
            self.assertTrue(act)
        if act:
            self._open(user, act)

    def test_salesperson_own_documents(self):
        self._common_forms(self.salesman)

    def test_marketing_all_leads(self):
        self._common_forms(self.analyst)

    def test_sales_manager(self):
        self._common_forms(self.manager)
        self._open(self.manager, self.env.ref("lead_quality.lead_quality_rank_event_complex"))
        self._open(self.manager, self.reason_no_need)
        self._open(self.manager, model_name="lead.quality.rank.proposal")
        self._open(self.manager, self.env.ref("utm.utm_medium_phone"))

    def test_administrator_settings(self):
        values = self._open(self.env.ref("base.user_admin"), model_name="res.config.settings")
        self.assertEqual(values["lead_quality_rank_min_evidence"], 30)
        self.assertEqual(
            values["data_maintenance_free_rider_share"],
            self.company.data_maintenance_free_rider_share,
        )

    def test_every_form_of_lead_quality_is_covered(self):
        """A new form view of lead_quality (or a model of ours) needs its place above."""
        covered = {
            "crm.lead",
            "lead.quality.feedback",
            "utm.medium",
            "crm.team",
            "res.partner",
            "lead.data.maintenance",
            "lead.quality.rank",
            "lead.quality.reject.reason",
            "lead.quality.rank.proposal",
            # the settings: administrators
            "res.config.settings",
        }
        # SQL reports (list, pivot, graph) and the proposal's lines (a list inside its form)
        reports = {
            "lead.quality.medium.report",
            "lead.maintenance.scoreboard",
            "lead.quality.rank.proposal.line",
        }
        self.assertLessEqual(
            self._form_models("lead_quality") | (self._own_models("lead_quality") - reports),
            covered,
        )
