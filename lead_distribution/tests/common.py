# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import TransactionCase, new_test_user


class DistributionCase(TransactionCase):
    """A pool with two salespeople and two sales partners, and leads of chosen quality."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.manager = new_test_user(
            cls.env, "dist_manager", groups="sales_team.group_sale_manager", name="Mia Manager"
        )
        cls.sales1 = new_test_user(
            cls.env, "dist_sales1", groups="sales_team.group_sale_salesman", name="Sam Seller"
        )
        cls.sales2 = new_test_user(
            cls.env, "dist_sales2", groups="sales_team.group_sale_salesman", name="Sue Seller"
        )
        cls.team = cls.env["crm.team"].create({"name": "Distribution Team"})
        cls.other_team = cls.env["crm.team"].create({"name": "Direct Team"})
        cls.partner1 = cls.env["res.partner"].create(
            {"name": "Partner One GmbH", "is_company": True, "email": "one@example.com"}
        )
        cls.partner2 = cls.env["res.partner"].create(
            {"name": "Partner Two AG", "is_company": True, "email": "two@example.com"}
        )
        cls.partner1_contact = cls.env["res.partner"].create(
            {"name": "Paula One", "parent_id": cls.partner1.id, "email": "paula@example.com"}
        )
        cls.portal1 = new_test_user(
            cls.env,
            "dist_portal1",
            groups="base.group_portal",
            partner_id=cls.partner1_contact.id,
        )
        cls.pool = cls.env["lead.distribution.pool"].create(
            {
                "name": "Test Pool",
                "user_id": cls.manager.id,
                "team_ids": [(6, 0, cls.team.ids)],
                "min_grade": "C",
                "require_ready": True,
                "accept_days": 3,
                "followup_days": 5,
                "member_ids": [
                    (
                        0,
                        0,
                        {
                            "channel": "direct",
                            "user_id": cls.sales1.id,
                            "team_id": cls.other_team.id,
                        },
                    ),
                    (0, 0, {"channel": "direct", "user_id": cls.sales2.id}),
                    (0, 0, {"channel": "partner", "partner_id": cls.partner1.id}),
                    (0, 0, {"channel": "partner", "partner_id": cls.partner2.id}),
                ],
            }
        )
        cls.m_sales1, cls.m_sales2, cls.m_partner1, cls.m_partner2 = cls.pool.member_ids

    @classmethod
    def _leads(cls, scores, grade="B", ready=True, team=None, **vals):
        """Leads of the given quality scores (set in the database: the quality addon's own
        computation is tested there)."""
        team = team or cls.team
        leads = (
            cls.env["crm.lead"]
            .with_context(lead_distribution_no_auto=True)
            .create(
                [
                    {
                        "name": f"Lead {index} ({score})",
                        "type": "lead",
                        "team_id": team.id,
                        "user_id": False,
                        **vals,
                    }
                    for index, score in enumerate(scores)
                ]
            )
        )
        cls._set_quality(leads, scores, grade, ready)
        return leads

    @classmethod
    def _set_quality(cls, leads, scores, grade="B", ready=True):
        cls.env.flush_all()
        for lead, score in zip(leads, scores, strict=True):
            cls.env.cr.execute(
                "UPDATE crm_lead SET quality_score = %s, quality_grade = %s, "
                "is_distribution_ready = %s WHERE id = %s",
                (score, grade, ready, lead.id),
            )
        leads.invalidate_recordset(["quality_score", "quality_grade", "is_distribution_ready"])
