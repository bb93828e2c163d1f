from odoo.addons.lead_quality.tests.form_access_common import FormAccessMixin
from odoo.tests import new_test_user, tagged

from .common import FunnelCase

# the settings screen is the administrator's (Odoo's own access): not a role's form
NOT_A_ROLE_FORM = {"res.config.settings"}


@tagged("post_install", "-at_install")
class TestRoleForms(FormAccessMixin, FunnelCase):
    """Each role opens every form of ours it has access to and reads every field the form
    shows, as the web client does (web_read with the form's specification, onchange for the
    wizards, see lead_quality's ``form_access_common``): no access error on a field of a
    form a role is meant to use."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign_manager = new_test_user(
            cls.env,
            "funnel_campaign_manager",
            groups="sales_team.group_sale_salesman,lead_reporting.group_campaign_manager",
        )
        cls.plan = cls._plan(cls)
        cls.quota = (
            cls.env["lead.marketing.quota"]
            .with_user(cls.manager)
            .create(
                {
                    "name": "Role quota",
                    "user_id": cls.campaign_manager.id,
                    "date_from": cls.date_from,
                    "date_to": cls.date_to,
                    "target": 8,
                    "qualification": "ready",
                }
            )
        )
        cls.revision = cls.env["lead.kpi.revision"].create(
            {
                "res_model": "lead.funnel.plan",
                "res_id": cls.plan.id,
                "field_name": "kpi_lead_target",
                "field_label": "Target: Leads",
                "old_value": "10",
                "new_value": "12",
                "reason": "Fair opened",
                "user_id": cls.manager.id,
            }
        )
        cls.records = {
            "lead.funnel.plan": cls.plan,
            "lead.marketing.quota": cls.quota,
            "lead.kpi.revision": cls.revision,
            "utm.campaign": cls.campaign,
        }
        cls.wizard_context = {
            "lead.funnel.replan.wizard": {"default_plan_id": cls.plan.id},
            "lead.kpi.revision.wizard": {
                "default_res_model": "utm.campaign",
                "default_res_id": cls.campaign.id,
            },
        }

    def _our_form_models(self):
        return sorted(self._form_models("lead_reporting") - NOT_A_ROLE_FORM)

    def _open_forms(self, user):
        """Open every form of ours the user may read; return the models opened."""
        opened = set()
        for model in self._our_form_models():
            if not self.env[model].with_user(user).has_access("read"):
                continue
            with self.subTest(model=model, user=user.login):
                if model in self.records:
                    if not self.records[model].with_user(user).has_access("read"):
                        continue
                    self._open(user, self.records[model])
                else:
                    self._open(user, model_name=model, context=self.wizard_context[model])
                opened.add(model)
        return opened

    def test_salesperson_own_documents_reads_every_field_of_its_forms(self):
        self.assertEqual(
            self._open_forms(self.salesman),
            {
                "lead.funnel.plan",
                "lead.marketing.quota",
                "lead.kpi.revision",
                "lead.kpi.revision.wizard",
                "utm.campaign",
            },
        )

    def test_sales_manager_reads_every_field_of_every_form(self):
        self.assertEqual(set(self._open_forms(self.manager)), set(self._our_form_models()))

    def test_marketing_campaign_manager_reads_every_field_of_its_forms(self):
        # not in the plan's sales team: the plan is not theirs to read, its revision is
        # (without the plan's name)
        self.assertFalse(self.plan.with_user(self.campaign_manager).has_access("read"))
        self.assertFalse(self.revision.with_user(self.campaign_manager).record_name)
        self.assertEqual(self.revision.with_user(self.manager).record_name, self.plan.name)
        self.assertEqual(
            self._open_forms(self.campaign_manager),
            {
                "lead.marketing.quota",
                "lead.kpi.revision",
                "lead.kpi.revision.wizard",
                "utm.campaign",
            },
        )
