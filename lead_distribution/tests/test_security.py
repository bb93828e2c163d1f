# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import DistributionCase


@tagged("post_install", "-at_install")
class TestRulesAndBadInput(DistributionCase):
    def test_only_managers_configure_pools(self):
        Pool = self.env["lead.distribution.pool"]
        with self.assertRaises(AccessError):
            Pool.with_user(self.sales1).create({"name": "Mine", "user_id": self.sales1.id})
        with self.assertRaises(AccessError):
            self.pool.with_user(self.sales1).write({"period": "month"})
        with self.assertRaises(AccessError):
            self.m_sales1.with_user(self.sales1).write({"weight": 5})
        self.assertEqual(self.pool.with_user(self.sales1).name, "Test Pool", "readable")
        pool = Pool.with_user(self.manager).create({"name": "New", "user_id": self.manager.id})
        self.assertEqual(pool.period, "year")

    def test_log_is_read_only_for_everyone(self):
        lead = self._leads([50])
        self.pool.action_distribute()
        log = lead.distribution_log_ids
        self.assertTrue(log.with_user(self.sales1).reason)
        for user in (self.sales1, self.manager):
            with self.assertRaises(AccessError):
                log.with_user(user).write({"reason": "rewritten"})
            with self.assertRaises(AccessError):
                log.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.env["lead.distribution.log"].with_user(user).create(
                    {"lead_id": lead.id, "event": "assigned"}
                )

    def test_salesperson_sees_own_leads_only(self):
        leads = self._leads([50, 40])
        self.pool.action_distribute()
        mine = self.env["crm.lead"].with_user(self.sales1).search([("id", "in", leads.ids)])
        # Odoo's own rules: a salesperson sees his own and unassigned leads
        self.assertTrue(all(lead.user_id in (self.sales1, self.env["res.users"]) for lead in mine))

    def test_companies_apart(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        other_user = new_test_user(
            self.env,
            "dist_other_manager",
            groups="sales_team.group_sale_manager",
            company_id=other_company.id,
            company_ids=[(6, 0, other_company.ids)],
        )
        self.assertFalse(self.env["lead.distribution.pool"].with_user(other_user).search([]))
        foreign = self._leads([50], company_id=other_company.id)
        foreign.distribution_pool_id = self.pool
        with self.assertRaisesRegex(UserError, "its own company"):
            self.pool._distribute(foreign, trigger="test")
        self.assertFalse(foreign.distribution_state)
        self.assertFalse(foreign.user_id)

    def test_member_needs_exactly_one_target_and_positive_weight(self):
        Member = self.env["lead.distribution.member"]
        with self.assertRaisesRegex(ValidationError, "exactly"):
            Member.create(
                {
                    "pool_id": self.pool.id,
                    "channel": "direct",
                    "user_id": self.manager.id,
                    "partner_id": self.partner1.id,
                }
            )
        with self.assertRaisesRegex(ValidationError, "exactly"):
            Member.create({"pool_id": self.pool.id, "channel": "partner"})
        with self.assertRaisesRegex(ValidationError, "positive"):
            Member.create({"pool_id": self.pool.id, "user_id": self.manager.id, "weight": -1.0})
        with self.assertRaisesRegex(ValidationError, "already a member"):
            Member.create({"pool_id": self.pool.id, "user_id": self.sales1.id})

    def test_pool_without_available_member_changes_nothing(self):
        self.pool.member_ids.available = False
        leads = self._leads([50, 60])
        with self.assertRaisesRegex(UserError, "no available member"):
            self.pool.action_distribute()
        with self.assertRaisesRegex(UserError, "no available member"):
            leads.with_user(self.manager).action_distribute()
        self.assertFalse(any(leads.mapped("distribution_state")))
        self.assertFalse(leads.distribution_log_ids)

    def test_invalid_lead_filter_and_deadlines(self):
        with self.assertRaisesRegex(ValidationError, "invalid"):
            self.pool.lead_domain = "[('no_such_field', '=', 1)]"
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.pool.write({"accept_days": 0})
            self.env.flush_all()

    def test_distribution_issues_bounded_queries(self):
        """Distributing N leads issues a bounded number of queries per batch, not per lead."""
        small = self._leads([50] * 4)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        self.pool._distribute(small, trigger="test")
        self.env.flush_all()
        small_count = self.cr.sql_log_count - before
        large = self._leads([50] * 40)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        self.pool._distribute(large, trigger="test")
        self.env.flush_all()
        large_count = self.cr.sql_log_count - before
        self.assertEqual(len(large.filtered("distribution_member_id")), 40)
        # 10 times the leads: at most a few more queries, nowhere near 10 times as many
        self.assertLessEqual(large_count, small_count + 15, (small_count, large_count))
