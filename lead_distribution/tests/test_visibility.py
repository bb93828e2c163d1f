# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import DistributionCase


@tagged("post_install", "-at_install")
class TestLogVisibility(DistributionCase):
    """Decision log and fairness report follow the visibility of the leads."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.all_leads = new_test_user(
            cls.env,
            "dist_all_leads",
            groups="sales_team.group_sale_salesman_all_leads",
            name="Alma All",
        )
        cls.employee = new_test_user(
            cls.env, "dist_employee", groups="base.group_user", name="Emil Employee"
        )
        # two leads for each salesperson, one offered to partner 1
        (cls.m_partner1 | cls.m_partner2).available = False
        cls.direct = cls._leads([70, 60, 50, 40])
        cls.pool.action_distribute()
        (cls.m_sales1 | cls.m_sales2).available = False
        cls.m_partner1.available = True
        cls.offered = cls._leads([55])
        cls.pool.action_distribute()
        (cls.m_sales1 | cls.m_sales2 | cls.m_partner2).available = True
        cls.of_sales1 = cls.direct.filtered(lambda lead: lead.user_id == cls.sales1)
        cls.of_sales2 = cls.direct.filtered(lambda lead: lead.user_id == cls.sales2)
        cls.env.flush_all()

    def _visible(self, user, model="lead.distribution.log"):
        return self.env[model].with_user(user).search([("pool_id", "=", self.pool.id)])

    def test_distribution_as_expected(self):
        self.assertEqual(len(self.of_sales1), 2)
        self.assertEqual(len(self.of_sales2), 2)
        self.assertEqual(self.offered.channel_partner_id, self.partner1)
        self.assertFalse(self.offered.user_id)

    def test_salesperson_sees_the_log_of_the_leads_he_may_read(self):
        for model in ("lead.distribution.log", "lead.distribution.report"):
            visible = self._visible(self.sales1, model)
            # own leads, and the unassigned (offered) lead as crm shows it to everyone
            self.assertEqual(
                set(visible.sudo().lead_id.ids), set((self.of_sales1 | self.offered).ids), model
            )
        days = self._visible(self.sales1, "lead.distribution.report").filtered(
            lambda row: not row.event
        )
        self.assertEqual(days.user_id, self.sales1, "its own days only")
        other = self.of_sales2.distribution_log_ids[0]
        with self.assertRaises(AccessError):
            other.with_user(self.sales1).read(["lead_name", "quality_score", "reason"])
        self.assertFalse(
            self.env["lead.distribution.log"]
            .with_user(self.sales1)
            .search([("lead_id", "in", self.of_sales2.ids)])
        )
        # what the lead form counts
        lead = self.of_sales2[0].with_user(self.sales1)
        self.assertEqual(
            self.env["lead.distribution.log"]
            .with_user(self.sales1)
            .search_count([("lead_id", "=", lead.id)]),
            0,
        )

    def test_salesperson_keeps_seeing_his_own_lines(self):
        """A lead taken from sales1: he still sees the line that gave it to him, not the
        later ones about another salesperson."""
        lead = self.of_sales1[0]
        lead.with_user(self.manager).write({"user_id": self.sales2.id})
        self.env.flush_all()
        mine = (
            self.env["lead.distribution.log"]
            .with_user(self.sales1)
            .search([("lead_id", "=", lead.id)])
        )
        self.assertEqual(mine.mapped("event"), ["assigned"])
        theirs = (
            self.env["lead.distribution.log"]
            .with_user(self.sales2)
            .search([("lead_id", "=", lead.id)])
        )
        self.assertEqual(set(theirs.mapped("event")), {"assigned", "claimed"})

    def test_lines_of_deleted_leads(self):
        lead = self.of_sales1[0]
        lines = lead.distribution_log_ids
        lead.unlink()
        self.env.flush_all()
        self.assertEqual(
            self.env["lead.distribution.log"]
            .with_user(self.sales1)
            .search([("id", "in", lines.ids)]),
            lines,
        )
        self.assertFalse(
            self.env["lead.distribution.log"]
            .with_user(self.sales2)
            .search([("id", "in", lines.ids)])
        )
        self.assertEqual(
            self.env["lead.distribution.report"]
            .with_user(self.all_leads)
            .search_count([("id", "in", lines.ids)]),
            len(lines),
        )

    def test_all_leads_and_managers_see_everything(self):
        every = self.env["lead.distribution.log"].search([("pool_id", "=", self.pool.id)])
        self.assertEqual(len(every), 5)
        for user in (self.all_leads, self.manager):
            self.assertEqual(self._visible(user), every)
            report = self._visible(user, "lead.distribution.report")
            # the log's rows, and the members' days (availability, fair share)
            self.assertEqual(len(report.filtered("event")), len(every), user.name)
            days = report.filtered(lambda row: not row.event)
            self.assertEqual(days.member_id, self.pool.member_ids, user.name)
            self.assertTrue(all(row.id < 0 for row in days))

    def test_partner_sees_its_company_lines_only(self):
        visible = self._visible(self.portal1)
        self.assertEqual(visible, self.offered.distribution_log_ids)
        self.assertEqual(visible.lead_name, self.offered.name)
        with self.assertRaises(AccessError):
            self.direct[0].distribution_log_ids.with_user(self.portal1).read(["reason"])
        with self.assertRaises(AccessError):
            self.env["lead.distribution.report"].with_user(self.portal1).search([])

    def test_users_without_sales_rights_see_nothing(self):
        for model in ("lead.distribution.log", "lead.distribution.report"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.employee).search([])

    def test_companies_apart(self):
        other_company = self.env["res.company"].create({"name": "Other Distribution Co"})
        outsider = new_test_user(
            self.env,
            "dist_other_company_manager",
            groups="sales_team.group_sale_manager",
            company_id=other_company.id,
            company_ids=[(6, 0, other_company.ids)],
        )
        for model in ("lead.distribution.log", "lead.distribution.report"):
            self.assertFalse(self.env[model].with_user(outsider).search([]), model)
