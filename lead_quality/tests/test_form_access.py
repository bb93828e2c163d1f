# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Every form view of lead_quality, opened as the people who use it.

The web client reads a form with ``web_read`` (an existing record) or ``onchange`` (a new one)
and a specification of every field in the view, sub-views included. These tests build that
specification from the view as the user gets it (fields of other groups removed) and read it
as that user: an access error on any field (a compute reading a model the user may not read,
a relation to a technical model) fails them.
"""

from lxml import etree

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import tagged

from .quality_common import LeadQualityCase

RELATIONAL = ("many2one", "many2many", "one2many")
REQUIRED = ("contact_name", "email_from", "phone", "website", "partner_name")


def view_spec(node, model_name, models):
    """The client's field specification of the fields under ``node`` (a view's arch)."""
    model_fields = models[model_name]["fields"]
    spec = {}
    for child in node.iterchildren(tag=etree.Element):
        if child.tag != "field":
            spec.update(view_spec(child, model_name, models))
            continue
        name = child.get("name")
        field = model_fields[name]
        if field["type"] not in RELATIONAL:
            spec[name] = {}
            continue
        sub = {"display_name": {}}
        comodel = field["relation"]
        if comodel in models:
            for view in child.iterchildren("list", "form", "kanban"):
                sub.update(view_spec(view, comodel, models))
        spec[name] = {"fields": sub}
    return spec


@tagged("post_install", "-at_install")
class TestFormAccess(LeadQualityCase):
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

    def _views(self, user, model_name, view_ref=None):
        model = self.env[model_name].with_user(user)
        view_id = self.env.ref(view_ref).id if view_ref else False
        result = model.get_views([(view_id, "form")])
        return etree.fromstring(result["views"]["form"]["arch"]), result["models"]

    def _open(self, user, record=None, model_name=None, view_ref=None, context=None):
        """Read a form as ``user``: the record's fields (web_read) or a new one's (onchange)."""
        model_name = record._name if record else model_name
        arch, models = self._views(user, model_name, view_ref)
        spec = view_spec(arch, model_name, models)
        self.assertTrue(spec)
        model = self.env[model_name].with_user(user).with_context(**(context or {}))
        if record:
            values = record.with_env(model.env).web_read(spec)
            self.assertEqual(values[0]["id"], record.id)
            return values[0]
        return model.onchange({}, [], spec)["value"]

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
        views = self.env["ir.model.data"].search(
            [("module", "=", "lead_quality"), ("model", "=", "ir.ui.view")]
        )
        form_models = {
            view.model
            for view in self.env["ir.ui.view"].browse(views.mapped("res_id"))
            if view.type == "form"
        }
        ours = {
            name
            for name, model in self.env.registry.items()
            if model._original_module == "lead_quality" and not model._abstract
        }
        # SQL reports (list, pivot, graph) and the proposal's lines (a list inside its form)
        reports = {
            "lead.quality.medium.report",
            "lead.maintenance.scoreboard",
            "lead.quality.rank.proposal.line",
        }
        self.assertLessEqual(form_models | (ours - reports), covered)
