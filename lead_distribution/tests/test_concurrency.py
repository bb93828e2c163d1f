# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestConcurrency(TransactionCase):
    """Two distributions at once (two workers, or the cron and a button), on two real
    database connections: no lead is assigned twice, none is lost."""

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})

    def test_two_cursors_never_assign_twice_nor_lose_a_lead(self):
        db = sql_db.db_connect(self.env.cr.dbname)
        with db.cursor() as cr:
            env = self._env(cr)
            team = env["crm.team"].create({"name": "Concurrency team"})
            partners = env["res.partner"].create(
                [{"name": f"Concurrent partner {i}", "is_company": True} for i in range(2)]
            )
            pool = env["lead.distribution.pool"].create(
                {
                    "name": "Concurrency pool",
                    "team_ids": [(6, 0, team.ids)],
                    "min_grade": False,
                    "require_ready": False,
                    "member_ids": [
                        (0, 0, {"channel": "partner", "partner_id": partner.id})
                        for partner in partners
                    ],
                }
            )
            leads = (
                env["crm.lead"]
                .with_context(lead_distribution_no_auto=True)
                .create(
                    [
                        {"name": f"Concurrent {i}", "team_id": team.id, "user_id": False}
                        for i in range(10)
                    ]
                )
            )
            ids = {"team": team.id, "partners": partners.ids, "pool": pool.id, "leads": leads.ids}
        try:
            cr_a, cr_b = db.cursor(), db.cursor()
            try:
                env_a, env_b = self._env(cr_a), self._env(cr_b)
                pool_a = env_a["lead.distribution.pool"].browse(ids["pool"])
                pool_b = env_b["lead.distribution.pool"].browse(ids["pool"])
                # worker A distributes the first five leads and has not committed yet
                first = env_a["crm.lead"].browse(ids["leads"][:5])
                done_a = pool_a._distribute(first, trigger="worker A")
                # worker B (e.g. the cron) takes every pending lead of the pool meanwhile
                done_b = pool_b._distribute_pending("worker B")
                self.assertEqual(len(done_a), 5)
                self.assertEqual(done_b, 5, "the leads locked by worker A are skipped")
                by_b = env_b["lead.distribution.log"].search([("trigger", "=", "worker B")])
                self.assertEqual(set(by_b.lead_id.ids), set(ids["leads"][5:]))
                cr_a.commit()
                cr_b.commit()
                # a third run after both committed finds nothing left to do
                self.assertFalse(pool_b._distribute_pending("worker B"))
                cr_b.commit()
            finally:
                cr_a.close()
                cr_b.close()
            with db.cursor() as cr:
                env = self._env(cr)
                leads = env["crm.lead"].browse(ids["leads"])
                self.assertEqual(len(leads.filtered("distribution_member_id")), 10)
                logs = env["lead.distribution.log"].search([("lead_id", "in", ids["leads"])])
                self.assertEqual(sorted(logs.mapped("lead_id").ids), sorted(ids["leads"]))
                self.assertEqual(len(logs), 10, "each lead distributed exactly once")
        finally:
            with db.cursor() as cr:
                env = self._env(cr)
                leads = env["crm.lead"].with_context(active_test=False).browse(ids["leads"])
                env["mail.message"].search(
                    [("model", "=", "crm.lead"), ("res_id", "in", ids["leads"])]
                ).unlink()
                env["mail.mail"].search([("recipient_ids", "in", ids["partners"])]).unlink()
                env["lead.distribution.log"].search([("pool_id", "=", ids["pool"])]).unlink()
                leads.unlink()
                env["lead.distribution.pool"].browse(ids["pool"]).unlink()
                env["res.partner"].browse(ids["partners"]).unlink()
                env["crm.team"].browse(ids["team"]).unlink()
