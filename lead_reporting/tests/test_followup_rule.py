from odoo.addons.lead_distribution.tests.common import DistributionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestFollowupRule(DistributionCase):
    """The success report's "followed up in time" and the recycling cron's "followed up" are
    one rule (crm.lead._followed_up_sql): on the same leads, the report counts as followed up
    exactly the leads the cron keeps."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.m_partner1 | cls.m_partner2).available = False
        cls.leads = cls._leads([80, 75, 70, 65, 60, 55, 50, 45, 40])
        cls.pool.action_distribute()
        (
            cls.neglected,
            cls.worked,
            cls.noted_by_other,
            cls.moved,
            cls.won,
            cls.lost,
            cls.worked_before,
            cls.activity_done,
            cls.not_due,
        ) = cls.leads.sorted(lambda lead: -lead.quality_score)

    def _work(self):
        self.assertEqual(set(self.leads.mapped("distribution_state")), {"assigned"})
        self.assertTrue(all(self.leads.mapped("user_id")))
        self.worked.with_user(self.worked.user_id).message_post(
            body="Called the customer", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        # a note by someone else than the salesperson is no follow-up of the salesperson
        self.noted_by_other.with_user(self.manager).message_post(
            body="Please call them", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        stages = self.env["crm.stage"].search([("is_won", "=", False)], limit=2)
        self.moved.stage_id = stages[1] if self.moved.stage_id == stages[0] else stages[0]
        self.won.action_set_won()
        self.lost.action_set_lost()
        self.worked_before.with_user(self.worked_before.user_id).message_post(
            body="Called before it was mine", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.activity_done.activity_ids.with_user(self.activity_done.user_id).action_feedback(
            feedback="Reached them"
        )
        self.env.flush_all()
        late = self.leads - self.not_due
        # the deadlines of all but the last lead have passed; the early note was written
        # before the lead was distributed
        self.env.cr.execute(
            "UPDATE crm_lead SET distribution_date = now() - interval '8 days', "
            "distribution_followup_deadline = now() - interval '1 hour' WHERE id IN %s",
            (tuple(late.ids),),
        )
        self.env.cr.execute(
            "UPDATE mail_message SET date = now() - interval '9 days' "
            "WHERE model = 'crm.lead' AND res_id = %s AND message_type = 'comment'",
            (self.worked_before.id,),
        )
        self.env.invalidate_all()

    def _report(self):
        self.env.flush_all()
        self.env.invalidate_all()
        rows = (
            self.env["lead.activity.success.report"]
            .with_context(active_test=False)
            .search_read(
                [("lead_id", "in", self.leads.ids)],
                ["lead_id", "followed_up_count", "followup_due_count", "followup_share"],
            )
        )
        return {row["lead_id"][0]: row for row in rows}

    def test_report_and_cron_agree_on_followed_up(self):
        self._work()
        report = self._report()
        followed = {lead_id for lead_id, row in report.items() if row["followed_up_count"]}
        due = {lead_id for lead_id, row in report.items() if row["followup_due_count"]}
        rule = self.leads.with_context(active_test=False)._followed_up_ids()
        self.assertEqual(followed, rule & set(self.leads.ids))
        self.assertEqual(
            followed,
            set((self.worked | self.moved | self.won | self.lost | self.activity_done).ids),
        )
        self.assertEqual(due, set((self.leads - self.not_due).ids))
        # the cron takes back exactly the leads due and not followed up
        late_and_open = (self.leads - self.not_due).filtered("active")
        recycled = self.env["crm.lead"]._cron_recycle()
        recycled = recycled & self.leads
        self.assertEqual(set(recycled.ids), set(late_and_open.ids) - followed)
        self.assertEqual(recycled, self.neglected | self.noted_by_other | self.worked_before)

    def test_followed_up_in_time_reads_na_before_the_deadline(self):
        self._work()
        row = self._report()[self.not_due.id]
        self.assertEqual(
            (row["followed_up_count"], row["followup_due_count"], row["followup_share"]),
            (0, 0, False),
        )
        # followed up before the deadline: in time already
        self.not_due.with_user(self.not_due.user_id).message_post(
            body="Called", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        row = self._report()[self.not_due.id]
        self.assertEqual(
            (row["followed_up_count"], row["followup_due_count"], row["followup_share"]),
            (1, 1, 100.0),
        )
        self.assertEqual(self.not_due._followed_up_ids(), {self.not_due.id})


@tagged("post_install", "-at_install")
class TestPartnerResults(DistributionCase):
    """What the partners made of the leads they accepted shows in the success report."""

    def test_partner_won_and_lost_in_success_report(self):
        (self.m_sales1 | self.m_sales2 | self.m_partner2).available = False
        won, lost, open_lead, declined = self._leads([70, 60, 50, 40])
        self.pool.action_distribute()
        self.assertEqual(
            set((won | lost | open_lead).mapped("channel_partner_id")), {self.partner1}
        )
        (won | lost | open_lead).with_user(self.portal1).action_partner_accept()
        won.with_user(self.portal1).action_partner_won(amount=12000)
        reason = self.env["crm.lost.reason"].create({"name": "Budget moved"})
        lost.with_user(self.portal1).action_partner_lost(lost_reason_id=reason.id)
        declined.with_user(self.portal1).action_partner_decline(reason="Too far away")
        self.env.flush_all()
        Report = self.env["lead.activity.success.report"].with_context(active_test=False)
        rows = Report._read_group(
            [("lead_id", "in", (won | lost | open_lead).ids)],
            ["partner_id"],
            [
                "lead_count:sum",
                "accepted_count:sum",
                "won_count:sum",
                "lost_count:sum",
                "won_revenue:sum",
            ],
        )
        self.assertEqual(rows, [(self.partner1, 3, 3, 1, 1, 12000.0)])
        # the partner filter of the report lists them
        self.assertEqual(
            Report.search_count(
                [("lead_id", "in", (won | lost | open_lead).ids), ("partner_id", "!=", False)]
            ),
            3,
        )
