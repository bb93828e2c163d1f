# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DistributionCase


@tagged("post_install", "-at_install")
class TestLogHistory(DistributionCase):
    """The decision log outlives the leads, members and pools it describes."""

    def _period_counts(self):
        """Leads and quality per member in the fairness period, as the distribution counts
        them, and the fairness report's sums per member."""
        self.env.flush_all()
        members = self.pool.member_ids
        stats = self.pool._member_stats(members)
        report = self.env["lead.distribution.report"]._read_group(
            [("pool_id", "=", self.pool.id)],
            ["member_id"],
            ["received:sum", "quality_received:sum", "__count"],
        )
        return stats, {member.id: rest for member, *rest in report}

    def _distributed(self, scores=(70, 60, 50, 40)):
        (self.m_partner1 | self.m_partner2).available = False
        leads = self._leads(list(scores))
        self.pool.action_distribute()
        self.assertEqual(len(leads.distribution_log_ids), len(scores))
        return leads

    def test_merge_moves_the_log_to_the_surviving_lead(self):
        leads = self._distributed()
        first, second = leads[:2]
        lines = (first | second).distribution_log_ids
        # the lead each line was logged for, by name
        expected = {line.id: line.lead_id.name for line in lines}
        self.assertEqual(len(set(expected.values())), 2)
        before = self._period_counts()
        wizard = (
            self.env["crm.merge.opportunity"]
            .with_user(self.manager)
            .with_context(active_model="crm.lead", active_ids=(first | second).ids)
            .create({"opportunity_ids": [(6, 0, (first | second).ids)]})
        )
        head = self.env["crm.lead"].browse(wizard.action_merge()["res_id"])
        merged = (first | second) - head
        self.assertFalse(merged.exists(), "the merge deleted the other lead")
        self.assertEqual(lines.exists(), lines, "no log line was deleted")
        self.assertEqual(lines.lead_id, head)
        self.assertEqual(head.distribution_log_ids, lines)
        # each line still says which lead it was logged for
        self.assertEqual({line.id: line.lead_name for line in lines}, expected)
        self.assertEqual(self._period_counts(), before, "past fairness counts unchanged")

    def test_crm_assignment_merging_duplicates_moves_their_log(self):
        """crm's own assignment merges duplicates after reading their log lines once for all:
        the lines of a merged lead move to the lead it is merged into."""
        first, second, third, fourth = self._distributed()
        lines = (first | second).distribution_log_ids
        fresh = self._leads([30, 20])
        result = self.team._allocate_leads_deduplicate(
            first | fresh[0], duplicates_cache={first: first | second, fresh[0]: fresh}
        )
        (head_id,) = result["merged"] & set((first | second).ids)
        self.env.invalidate_all()
        self.assertEqual(lines.exists(), lines, "no log line was deleted")
        self.assertEqual(lines.lead_id.ids, [head_id], "every line is on the surviving lead")
        self.assertEqual(len(third.distribution_log_ids | fourth.distribution_log_ids), 2)
        self.assertFalse(fresh.distribution_log_ids)

    def test_merge_moves_lines_the_transaction_has_not_read(self):
        """A merge (here: outside crm's assignment) moves every line of the merged lead, also
        one logged behind this transaction's back after it read the lead's lines."""
        lead, other = self._leads([70, 40])
        self.assertFalse(lead.distribution_log_ids, "nothing logged yet (and now read)")
        # another worker's distribution logs a line for the lead meanwhile
        self.pool._bulk_insert(
            "lead.distribution.log",
            [
                self.pool._log_vals(
                    lead, self.m_sales1, "assigned", "elsewhere", "test", score=70, grade="B"
                )
            ],
        )
        other._merge_dependences(lead)
        self.env.invalidate_all()
        line = self.env["lead.distribution.log"].search([("reason", "=", "elsewhere")])
        self.assertEqual(line.lead_id, other)

    def test_deleted_lead_keeps_its_log_lines(self):
        leads = self._distributed()
        lead = leads[0]
        name = lead.name
        lines = lead.distribution_log_ids
        before = self._period_counts()
        lead.with_user(self.manager).unlink()
        self.assertEqual(lines.exists(), lines)
        self.assertFalse(lines.lead_id)
        self.assertEqual(lines.lead_name, name)
        self.assertEqual(self._period_counts(), before, "past fairness counts unchanged")
        report = self.env["lead.distribution.report"].search([("id", "in", lines.ids)])
        self.assertEqual(report.lead_name, name)
        self.assertEqual(report.received, 1)

    def test_log_lines_carry_the_lead_name(self):
        lead = self._distributed((70,))
        self.assertEqual(lead.distribution_log_ids.lead_name, lead.name)

    def test_pool_with_history_is_archived_not_deleted(self):
        self._distributed((70,))
        with self.assertRaisesRegex(UserError, "archive it instead"):
            self.pool.with_user(self.manager).unlink()
        self.assertTrue(self.pool.exists())
        self.pool.with_user(self.manager).action_archive()
        self.assertFalse(self.pool.active)
        empty = self.env["lead.distribution.pool"].create(
            {"name": "No history", "member_ids": [(0, 0, {"user_id": self.sales1.id})]}
        )
        empty.with_user(self.manager).unlink()
        self.assertFalse(empty.exists())

    def test_uninstall_flag_from_a_client_deletes_no_history(self):
        """Odoo skips the ondelete checks under its uninstall flag, which any client can put
        in the context: the database keeps the history all the same."""
        lead = self._distributed((70,))
        forced = {"_force_unlink": True}
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.pool.with_user(self.manager).with_context(**forced).unlink()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            lead.distribution_member_id.with_user(self.manager).with_context(**forced).unlink()
        self.assertTrue(lead.distribution_log_ids.exists())
        self.assertTrue(lead.distribution_log_ids.member_id.exists())

    def test_member_with_history_is_archived_not_deleted(self):
        lead = self._distributed((70,))
        member = lead.distribution_member_id
        with self.assertRaisesRegex(UserError, "archive the member"):
            member.with_user(self.manager).unlink()
        with self.assertRaisesRegex(UserError, "archive the member"):
            self.pool.with_user(self.manager).write({"member_ids": [(2, member.id)]})
        self.assertTrue(member.exists())
        member.with_user(self.manager).action_archive()
        self.assertFalse(member.active)
        # a member without history goes
        self.m_partner2.with_user(self.manager).unlink()
        self.assertFalse(self.m_partner2.exists())
