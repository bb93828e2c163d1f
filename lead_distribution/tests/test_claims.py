# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import DistributionCase

# every context key the addon reads, or ever read, set as a client could send it
CLIENT_CONTEXT = {
    "lead_distribution_assign": True,
    "lead_distribution_no_auto": True,
    "tracking_disable": True,
}


@tagged("post_install", "-at_install")
class TestClaims(DistributionCase):
    def _follow_ups(self, leads):
        activity_type = self.env.ref("lead_distribution.mail_activity_type_follow_up")
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", leads.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        )

    def test_approval_refuses_salesperson_whatever_the_context(self):
        self.pool.claim_approval = True
        lead = self._leads([70])
        for context in ({}, CLIENT_CONTEXT, {"lead_distribution_assign": 1}):
            with self.assertRaisesRegex(AccessError, "only a CRM manager"):
                lead.with_user(self.sales1).with_context(**context).write(
                    {"user_id": self.sales1.id}
                )
        self.assertFalse(lead.user_id)
        self.assertFalse(lead.distribution_state)
        self.assertFalse(lead.distribution_log_ids)

    def test_claim_with_client_context_is_logged(self):
        """Without approval a salesperson may claim, but the claim is logged whatever the
        context says."""
        lead = self._leads([70])
        lead.with_user(self.sales1).with_context(**CLIENT_CONTEXT).write(
            {"user_id": self.sales1.id}
        )
        self.assertEqual(lead.user_id, self.sales1)
        self.assertEqual(lead.distribution_log_ids.event, "claimed")
        self.assertEqual(lead.distribution_log_ids.triggered_by_id, self.sales1)
        self.assertEqual(lead.distribution_member_id, self.m_sales1)

    def test_claimed_lead_gets_follow_up_deadline_and_activity(self):
        (self.m_partner1 | self.m_partner2).available = False
        lead = self._leads([70])
        self.pool.action_distribute()
        holder = lead.user_id
        other = self.sales2 if holder == self.sales1 else self.sales1
        self.assertEqual(self._follow_ups(lead).user_id, holder)
        # a Wednesday: five working days later is the next Wednesday (Monday to Friday)
        with freeze_time("2026-06-03 10:00:00"):
            before = fields.Datetime.now()
            lead.with_user(self.manager).write({"user_id": other.id})
        self.assertEqual(lead.distribution_state, "assigned")
        deadline = lead.distribution_followup_deadline
        self.assertEqual(self.pool.followup_days, 5)
        self.assertEqual(deadline, fields.Datetime.to_datetime("2026-06-10 10:00:00"))
        self.assertEqual(lead.distribution_date, before)
        self.assertEqual(lead.distribution_stage_id, lead.stage_id)
        follow_up = self._follow_ups(lead)
        self.assertEqual(follow_up.user_id, other, "the previous holder's follow-up is gone")
        self.assertEqual(follow_up.date_deadline, deadline.date())
        self.assertIn(
            self.m_sales2 if other == self.sales2 else self.m_sales1,
            lead.distribution_tried_member_ids,
        )

    def test_claimed_lead_not_followed_up_is_recycled(self):
        (self.m_partner1 | self.m_partner2).available = False
        lead = self._leads([70])
        lead.with_user(self.sales1).write({"user_id": self.sales1.id})
        self.assertTrue(lead.distribution_followup_deadline)
        later = lead.distribution_followup_deadline + timedelta(hours=1)
        with patch.object(fields.Datetime, "now", lambda *a, **k: later):
            recycled = self.env["crm.lead"]._cron_recycle()
        # (demo data may hold leads of other pools that the moved clock makes late too)
        self.assertEqual(recycled.filtered(lambda r: r.distribution_pool_id == self.pool), lead)
        self.assertEqual(lead.user_id, self.sales2, "not back to the one who claimed it")
        events = lead.distribution_log_ids.sorted("id").mapped("event")
        self.assertEqual(events, ["claimed", "recycled", "assigned"])

    def test_claim_of_lead_without_member_of_the_claimer(self):
        outsider = new_test_user(
            self.env, "dist_outsider", groups="sales_team.group_sale_salesman", name="Otto"
        )
        lead = self._leads([70])
        lead.with_user(self.manager).write({"user_id": outsider.id})
        self.assertEqual(lead.user_id, outsider)
        self.assertFalse(lead.distribution_member_id)
        self.assertEqual(lead.distribution_log_ids.event, "claimed")
        self.assertEqual(self._follow_ups(lead).user_id, outsider)
        self.assertTrue(lead.distribution_followup_deadline)
        # it counts for no member: nobody's fair share grows
        self.assertFalse(
            self.env["lead.distribution.member.day"].search([("pool_id", "=", self.pool.id)])
        )

    def test_team_move_then_take_is_still_a_logged_claim(self):
        """Moving a waiting lead out of the pool's team first and taking it afterwards is a
        claim like taking it at once."""
        elsewhere = self.env["crm.team"].create({"name": "Team outside the pool"})
        lead = self._leads([70])
        lead.with_user(self.sales1).write({"team_id": elsewhere.id})
        self.assertEqual(lead.team_id, elsewhere)
        self.assertEqual(lead.distribution_pool_id, self.pool)
        self.assertFalse(lead.distribution_log_ids)
        lead.with_user(self.sales1).with_context(**CLIENT_CONTEXT).write(
            {"user_id": self.sales1.id}
        )
        self.assertEqual(lead.distribution_log_ids.event, "claimed")
        self.assertEqual(lead.distribution_log_ids.triggered_by_id, self.sales1)

    def test_team_move_needs_a_manager_when_the_pool_asks_approval(self):
        self.pool.claim_approval = True
        elsewhere = self.env["crm.team"].create({"name": "Team outside the pool"})
        lead = self._leads([70])
        with self.assertRaisesRegex(AccessError, "only a CRM manager may move it"):
            lead.with_user(self.sales1).with_context(**CLIENT_CONTEXT).write(
                {"team_id": elsewhere.id}
            )
        self.assertEqual(lead.team_id, self.team)
        self.assertFalse(lead.distribution_pool_id)
        lead.with_user(self.manager).write({"team_id": elsewhere.id})
        self.assertEqual(lead.team_id, elsewhere)
        # the manager's move leaves it the pool's: a later hand assignment is logged
        self.assertEqual(lead.distribution_pool_id, self.pool)

    def test_team_just_given_to_the_pool_makes_a_claim(self):
        """The pools of a team are read from the team (once per team, not one pool search
        per lead write): a team the pool takes from now on counts at once."""
        other_team = self.env["crm.team"].create({"name": "Team joining the pool"})
        lead = self._leads([70], team=other_team)
        self.assertFalse(other_team.distribution_pool_ids)
        self.assertFalse(other_team.has_distribution_pool)
        self.pool.team_ids = [(4, other_team.id)]
        self.assertEqual(other_team.distribution_pool_ids, self.pool)
        self.assertTrue(other_team.has_distribution_pool)
        lead.with_user(self.sales1).write({"user_id": self.sales1.id})
        self.assertEqual(lead.distribution_log_ids.event, "claimed")
        self.assertEqual(lead.distribution_pool_id, self.pool)

    def test_team_of_an_archived_pool_makes_no_claim(self):
        """A team whose only pool is archived is no pool team: its leads are assigned by hand
        like any other; restoring the pool makes them the pool's again."""
        other_team = self.env["crm.team"].create({"name": "Team of an archived pool"})
        self.pool.team_ids = [(4, other_team.id)]
        first, second = self._leads([70, 70], team=other_team)
        self.pool.active = False
        self.assertFalse(other_team.has_distribution_pool)
        first.with_user(self.sales1).write({"user_id": self.sales1.id})
        self.assertFalse(first.distribution_log_ids)
        self.pool.active = True
        self.assertTrue(other_team.has_distribution_pool)
        second.with_user(self.sales1).write({"user_id": self.sales1.id})
        self.assertEqual(second.distribution_log_ids.event, "claimed")

    def test_hand_assignment_outside_pools_is_no_claim(self):
        outside = self.env["crm.team"].create({"name": "Team of no pool"})
        lead = self._leads([70], team=outside)
        lead.with_user(self.sales1).write({"user_id": self.sales1.id})
        self.assertEqual(lead.user_id, self.sales1)
        self.assertFalse(lead.distribution_log_ids)
        self.assertFalse(lead.distribution_state)

    def test_our_own_assignments_as_superuser_are_no_claims(self):
        lead = self._leads([70])
        lead.sudo().with_user(self.sales1).sudo().write({"user_id": self.sales2.id})
        self.assertEqual(lead.user_id, self.sales2)
        self.assertFalse(lead.distribution_log_ids)

    def test_no_auto_context_only_for_superuser(self):
        """A client cannot switch off the distribution on creation with the context."""
        self.pool.write({"mode": "on_create", "require_ready": False, "min_grade": False})
        Lead = self.env["crm.lead"].with_user(self.sales1).with_context(**CLIENT_CONTEXT)
        lead = Lead.create({"name": "Client lead", "team_id": self.team.id, "user_id": False})
        self.assertIn(lead.sudo().distribution_state, ("assigned", "offered"))
        self.assertTrue(lead.sudo().distribution_log_ids)
        own = (
            self.env["crm.lead"]
            .with_context(lead_distribution_no_auto=True)
            .create({"name": "Import", "team_id": self.team.id, "user_id": False})
        )
        self.assertFalse(own.distribution_state, "our own code (superuser) may skip it")


@tagged("post_install", "-at_install")
class TestPartnerAnswers(DistributionCase):
    def _offered_without_pool(self):
        lead = self._leads([60])
        lead.write(
            {
                "distribution_state": "offered",
                "channel_partner_id": self.partner1.id,
                "distribution_member_id": self.m_partner1.id,
            }
        )
        self.assertFalse(lead.distribution_pool_id)
        return lead

    def test_accept_without_pool_is_a_clear_error(self):
        lead = self._offered_without_pool()
        with self.assertRaisesRegex(UserError, "outside any distribution pool"):
            lead.with_user(self.portal1).action_partner_accept()
        with self.assertRaisesRegex(UserError, "outside any distribution pool"):
            lead.with_user(self.manager).action_partner_accept()
        self.assertEqual(lead.distribution_state, "offered", "nothing changed")
        self.assertFalse(lead.distribution_log_ids)

    def test_decline_without_pool_is_a_clear_error(self):
        lead = self._offered_without_pool()
        with self.assertRaisesRegex(UserError, "outside any distribution pool"):
            lead.with_user(self.portal1).action_partner_decline("Too far")
        self.assertEqual(lead.distribution_state, "offered", "nothing changed")
        self.assertEqual(lead.channel_partner_id, self.partner1)
        self.assertFalse(lead.distribution_log_ids)

    def test_several_leads_one_without_pool_change_nothing(self):
        (self.m_sales1 | self.m_sales2 | self.m_partner2).available = False
        offered = self._leads([60])
        self.pool.action_distribute()
        orphan = self._offered_without_pool()
        with self.assertRaises(UserError):
            (offered | orphan).with_user(self.portal1).action_partner_accept()
        self.assertEqual(offered.distribution_state, "offered")

    def test_other_company_learns_nothing_about_the_lead(self):
        (self.m_sales1 | self.m_sales2 | self.m_partner2).available = False
        lead = self._leads([60], name="Secret project")
        self.pool.action_distribute()
        contact = self.env["res.partner"].create({"name": "Otto", "parent_id": self.partner2.id})
        portal2 = new_test_user(
            self.env, "dist_portal_other", groups="base.group_portal", partner_id=contact.id
        )
        for answer in (
            lambda lead: lead.action_partner_accept(),
            lambda lead: lead.action_partner_decline("no"),
        ):
            with self.assertRaises(AccessError) as caught:
                answer(lead.with_user(portal2))
            self.assertNotIn("Secret project", str(caught.exception))
        self.assertEqual(lead.distribution_state, "offered")
        with self.assertRaisesRegex(UserError, "does not exist"):
            lead.browse(lead.id + 100000).with_user(self.portal1).action_partner_accept()


@tagged("post_install", "-at_install")
class TestDistributionRecord(DistributionCase):
    def test_salesperson_cannot_rewrite_the_distribution_record(self):
        self.pool.claim_approval = True
        lead = self._leads([70])
        for vals in (
            {"distribution_state": "assigned"},
            {"distribution_member_id": self.m_sales1.id},
            {"channel_partner_id": self.partner1.id},
            {"distribution_followup_deadline": False},
        ):
            with self.assertRaisesRegex(AccessError, "only a sales manager"):
                lead.with_user(self.sales1).with_context(**CLIENT_CONTEXT).write(vals)
        # taking the lead out of its pool first, to claim it afterwards
        lead.distribution_pool_id = self.pool
        with self.assertRaisesRegex(AccessError, "between pools"):
            lead.with_user(self.sales1).write({"distribution_pool_id": False})
        with self.assertRaisesRegex(AccessError, "only a CRM manager"):
            lead.with_user(self.sales1).write({"user_id": self.sales1.id})
        self.assertFalse(lead.distribution_state)
        self.assertEqual(lead.distribution_pool_id, self.pool)
        self.assertFalse(lead.user_id)
        # sales managers correct it
        lead.with_user(self.manager).write({"distribution_state": "pending"})
        self.assertEqual(lead.distribution_state, "pending")
