# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Every form view of lead_distribution, opened as the people who use it (web_read or
onchange with the form's field specification, see lead_quality's ``form_access_common``)."""

from odoo.addons.lead_quality.tests.form_access_common import FormAccessMixin
from odoo.tests import tagged

from .common import DistributionCase


@tagged("post_install", "-at_install")
class TestFormAccess(FormAccessMixin, DistributionCase):
    """A salesperson (own documents only) and a sales manager open every form of
    lead_distribution's models and of the lead form it extends, and read every field."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a lead distributed to the salesperson, one offered to a partner and declined
        (cls.m_sales2 | cls.m_partner1 | cls.m_partner2).available = False
        cls.own_lead = cls._leads([70])
        cls.pool.action_distribute()
        (cls.m_sales1 | cls.m_sales2).available = False
        cls.m_partner1.available = True
        cls.declined_lead = cls._leads([50])
        cls.pool.action_distribute()
        cls.declined_lead.with_user(cls.portal1).action_partner_decline(
            "Outside", reason_id=cls.env.ref("lead_distribution.decline_reason_region").id
        )
        cls.waiting_lead = cls._leads([40])
        cls.own_log = cls.own_lead.distribution_log_ids[:1]
        cls.decline_log = cls.declined_lead.distribution_log_ids.filtered(
            lambda log: log.event == "declined"
        )

    def test_salesperson_own_documents(self):
        self.assertEqual(self.own_lead.user_id, self.sales1)
        values = self._open(self.sales1, self.own_lead)
        self.assertEqual(values["distribution_member_id"]["id"], self.m_sales1.id)
        self.assertFalse(values["distribution_waiting_pool_id"])
        values = self._open(self.sales1, self.waiting_lead)
        self.assertEqual(values["distribution_waiting_pool_id"]["id"], self.pool.id)
        self._open(self.sales1, model_name="crm.lead", context={"default_type": "lead"})
        self._open(self.sales1, self.own_log)
        # the lead's pool opens from the lead (read only for a salesperson)
        self._open(self.sales1, self.pool)
        self._open(self.sales1, self.env.ref("lead_distribution.decline_reason_region"))

    def test_sales_manager(self):
        for record in (
            self.own_lead,
            self.declined_lead,
            self.waiting_lead,
            self.pool,
            self.own_log,
            self.decline_log,
            self.env.ref("lead_distribution.decline_reason_other"),
        ):
            self._open(self.manager, record)
        values = self._open(self.manager, self.decline_log)
        self.assertEqual(
            values["decline_reason_id"]["id"],
            self.env.ref("lead_distribution.decline_reason_region").id,
        )
        for model_name in (
            "crm.lead",
            "lead.distribution.pool",
            "lead.distribution.decline.reason",
        ):
            self._open(self.manager, model_name=model_name)

    def test_every_form_of_lead_distribution_is_covered(self):
        """A new form view of lead_distribution (or a model of ours) needs its place above."""
        covered = {
            "crm.lead",
            "lead.distribution.pool",
            "lead.distribution.log",
            "lead.distribution.decline.reason",
        }
        # members are edited in the pool's form (a list inside it); the members' days and
        # the fairness report are tables without a form
        without_form = {
            "lead.distribution.member",
            "lead.distribution.member.day",
            "lead.distribution.report",
        }
        self.assertLessEqual(
            self._form_models("lead_distribution")
            | (self._own_models("lead_distribution") - without_form),
            covered,
        )
