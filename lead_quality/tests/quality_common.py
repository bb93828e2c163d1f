# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import TransactionCase


class LeadQualityCase(TransactionCase):
    """Shared fixtures: default media, a sales team, a salesperson and a CRM manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.company = cls.env.company
        cls.company.write(
            {
                "lead_quality_weight_rank": 40,
                "lead_quality_weight_completeness": 40,
                "lead_quality_weight_freshness": 20,
                "lead_quality_touch_bonus": 5,
                "lead_quality_threshold_a": 80,
                "lead_quality_threshold_b": 60,
                "lead_quality_threshold_c": 40,
                "lead_quality_freshness_days": 365,
                "lead_quality_min_grade": "C",
            }
        )
        cls.phone = cls.env.ref("utm.utm_medium_phone")
        cls.email = cls.env.ref("utm.utm_medium_email")
        cls.website = cls.env.ref("utm.utm_medium_website")
        cls.banner = cls.env.ref("utm.utm_medium_banner")
        cls.event = cls.env.ref("lead_quality.utm_medium_event")
        cls.fair = cls.env.ref("lead_quality.utm_medium_trade_fair")
        cls.team = cls.env["crm.team"].create(
            {"name": "Quality Team", "company_id": cls.company.id}
        )
        cls.salesman = mail_new_test_user(
            cls.env,
            login="lq_salesman",
            name="Sam Sales",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )
        cls.manager = mail_new_test_user(
            cls.env,
            login="lq_manager",
            name="Mia Manager",
            groups="base.group_user,sales_team.group_sale_manager",
            company_id=cls.company.id,
        )
        cls.reason_no_need = cls.env.ref("lead_quality.reject_reason_no_need")

    @classmethod
    def _lead_vals(cls, **vals):
        base = {
            "name": "Lead",
            "type": "lead",
            "company_id": cls.company.id,
            "team_id": cls.team.id,
        }
        base.update(vals)
        return base

    @classmethod
    def _full_phone_vals(cls, **vals):
        """A telemarketing lead carrying every field the Phone medium requires."""
        full = {
            "medium_id": cls.phone.id,
            "contact_name": "Anna Berg",
            "partner_name": "Berg IT GmbH",
            "function": "CIO",
            "phone": "+49 30 1234567",
            "email_from": "anna.berg@berg-it.example.com",
            "description": "<p>Wants a call-centre upgrade</p>",
        }
        full.update(vals)
        return cls._lead_vals(**full)
