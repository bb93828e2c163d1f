# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import DistributionCase


@tagged("post_install", "-at_install")
class TestLifecycle(DistributionCase):
    def _offer_to_partner1(self, scores=(60,)):
        (self.m_sales1 | self.m_sales2 | self.m_partner2).available = False
        leads = self._leads(list(scores))
        self.pool.action_distribute()
        self.assertEqual(set(leads.mapped("channel_partner_id")), {self.partner1})
        (self.m_sales1 | self.m_sales2 | self.m_partner2).available = True
        return leads

    def test_partner_accepts_via_method_as_portal_user(self):
        lead = self._offer_to_partner1()
        lead.with_user(self.portal1).action_partner_accept()
        self.assertEqual(lead.distribution_state, "accepted")
        self.assertFalse(lead.distribution_accept_deadline)
        log = lead.distribution_log_ids.filtered(lambda log: log.event == "accepted")
        self.assertEqual(log.member_id, self.m_partner1)
        with self.assertRaisesRegex(UserError, "not offered"):
            lead.with_user(self.portal1).action_partner_accept()

    def test_partner_declines_with_reason_and_lead_is_redistributed(self):
        lead = self._offer_to_partner1()
        with self.assertRaisesRegex(UserError, "reason"):
            lead.with_user(self.portal1).action_partner_decline("  ")
        self.assertEqual(lead.distribution_state, "offered", "nothing changed")
        lead.with_user(self.portal1).action_partner_decline("Outside our region")
        self.assertIn(lead.distribution_state, ("assigned", "offered"))
        self.assertNotEqual(lead.distribution_member_id, self.m_partner1)
        self.assertEqual(lead.distribution_decline_reason, False)
        events = lead.distribution_log_ids.sorted("id").mapped("event")
        self.assertEqual(events[:2], ["offered", "declined"])
        self.assertIn(events[2], ("assigned", "offered"))
        declined = lead.distribution_log_ids.filtered(lambda log: log.event == "declined")
        self.assertEqual(declined.decline_reason, "Outside our region")

    def test_other_partner_cannot_answer(self):
        lead = self._offer_to_partner1()
        other_contact = self.env["res.partner"].create(
            {"name": "Otto Two", "parent_id": self.partner2.id}
        )
        portal2 = new_test_user(
            self.env, "dist_portal2", groups="base.group_portal", partner_id=other_contact.id
        )
        with self.assertRaises(AccessError):
            lead.with_user(portal2).action_partner_accept()
        with self.assertRaises(AccessError):
            lead.with_user(portal2).action_partner_decline("Not for us")
        self.assertEqual(lead.distribution_state, "offered")
        self.assertEqual(lead.channel_partner_id, self.partner1)

    def test_offer_not_accepted_in_time_is_recycled(self):
        lead = self._offer_to_partner1()
        later = fields.Datetime.now() + timedelta(days=4)
        with patch.object(fields.Datetime, "now", lambda *a, **k: later):
            recycled = self.env["crm.lead"]._cron_recycle()
        # (demo data may hold leads of other pools that the moved clock makes late too)
        self.assertEqual(recycled.filtered(lambda r: r.distribution_pool_id == self.pool), lead)
        self.assertNotEqual(lead.distribution_member_id, self.m_partner1)
        self.assertIn(lead.distribution_state, ("assigned", "offered"))
        events = lead.distribution_log_ids.sorted("id").mapped("event")
        self.assertEqual(events[:2], ["offered", "recycled"])
        self.assertIn("did not accept", lead.distribution_log_ids.sorted("id")[1].reason)

    def test_direct_lead_not_followed_up_is_recycled_followed_up_is_kept(self):
        (self.m_partner1 | self.m_partner2).available = False
        neglected, worked, moved = self._leads([60, 50, 40])
        (neglected | worked | moved).with_user(self.manager).action_distribute()
        self.assertEqual(len((neglected | worked | moved).user_id), 2)
        worked.with_user(worked.user_id).message_post(
            body="Called the customer", message_type="comment"
        )
        stages = self.env["crm.stage"].search([], limit=2)
        moved.stage_id = stages[1] if moved.stage_id == stages[0] else stages[0]
        before = neglected.user_id
        # just after the follow-up deadline (working days: weekends do not count)
        later = neglected.distribution_followup_deadline + timedelta(hours=1)
        with patch.object(fields.Datetime, "now", lambda *a, **k: later):
            recycled = self.env["crm.lead"]._cron_recycle()
        self.assertEqual(
            recycled.filtered(lambda r: r.distribution_pool_id == self.pool), neglected
        )
        self.assertNotEqual(neglected.user_id, before)
        self.assertTrue(neglected.user_id)
        self.assertEqual(worked.distribution_state, "assigned")
        self.assertEqual(moved.distribution_state, "assigned")
        self.assertEqual(neglected.activity_ids.user_id, neglected.user_id, "old follow-up removed")

    def test_recycled_without_other_member_stays_pending(self):
        (self.m_sales1 | self.m_sales2 | self.m_partner2).available = False
        lead = self._leads([50])
        self.pool.action_distribute()
        later = fields.Datetime.now() + timedelta(days=4)
        with patch.object(fields.Datetime, "now", lambda *a, **k: later):
            self.env["crm.lead"]._cron_recycle()
        self.assertEqual(lead.distribution_state, "recycled")
        self.assertFalse(lead.channel_partner_id)
        # a member becomes available: the pool distributes it, not to the one that had it
        self.m_sales2.available = True
        self.pool.action_distribute()
        self.assertEqual(lead.user_id, self.sales2)

    def test_manual_assignment_is_logged_as_claim(self):
        lead = self._leads([70])
        self.pool.action_distribute()
        holder = lead.user_id
        other = self.sales2 if holder == self.sales1 else self.sales1
        lead.with_user(self.manager).write({"user_id": other.id})
        claim = lead.distribution_log_ids.filtered(lambda log: log.event == "claimed")
        self.assertEqual(len(claim), 1)
        self.assertIn("by hand", claim.reason)
        self.assertEqual(claim.triggered_by_id, self.manager)
        self.assertEqual(lead.distribution_member_id.user_id, other)
        self.env.flush_all()
        claims = self.env["lead.distribution.report"].search_count(
            [("lead_id", "=", lead.id), ("claimed", "=", 1)]
        )
        self.assertEqual(claims, 1)

    def test_claiming_several_leads_in_one_write(self):
        leads = self._leads([70, 60, 50])
        self.pool.action_distribute()
        taken = leads.filtered(lambda lead: lead.user_id != self.sales1)
        self.assertTrue(taken)
        leads.with_user(self.manager).write({"user_id": self.sales1.id})
        self.assertEqual(leads.distribution_member_id, self.m_sales1)
        self.assertEqual(set(leads.mapped("distribution_state")), {"assigned"})
        # one claim per lead taken from someone else; the leads sales1 already held are none
        claims = leads.distribution_log_ids.filtered(lambda log: log.event == "claimed")
        self.assertEqual(sorted(claims.lead_id.ids), sorted(taken.ids))
        self.assertEqual(len(claims), len(taken))

    def test_claims_need_manager_when_pool_says_so(self):
        self.pool.claim_approval = True
        lead = self._leads([70])
        with self.assertRaisesRegex(AccessError, "only a CRM manager"):
            lead.with_user(self.sales1).write({"user_id": self.sales1.id})
        self.assertFalse(lead.user_id)
        self.assertFalse(lead.distribution_log_ids)
        lead.with_user(self.manager).write({"user_id": self.sales1.id})
        self.assertEqual(lead.distribution_state, "assigned")
        self.assertEqual(lead.distribution_log_ids.event, "claimed")
