# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import DistributionCase


@tagged("post_install", "-at_install")
class TestDistribution(DistributionCase):
    def test_pool_action_distributes_pending_ready_leads_fairly(self):
        leads = self._leads([90, 10, 80, 20, 70, 30, 60, 40])
        not_ready = self._leads([99], ready=False)
        too_weak = self._leads([99], grade="D")
        action = self.pool.with_user(self.manager).action_distribute()
        self.assertEqual(action["params"]["message"], "8 lead(s) distributed.")
        self.assertEqual(set(leads.mapped("distribution_state")), {"assigned", "offered"})
        self.assertFalse(not_ready.distribution_state)
        self.assertFalse(too_weak.distribution_state)
        logs = self.env["lead.distribution.log"].search([("lead_id", "in", leads.ids)])
        for member in self.pool.member_ids:
            mine = logs.filtered(lambda log, m=member: log.member_id == m)
            self.assertEqual(
                mine.lead_id, leads.filtered(lambda le, m=member: le.distribution_member_id == m)
            )
            self.assertEqual(len(mine), 2, member.name)
            # R11/R12: equal quantity and equal quality (at decision time), partners included
            self.assertEqual(sum(mine.mapped("quality_score")), 100, member.name)
        # every decision logged with its figures
        self.assertEqual(len(logs), 8)
        self.assertEqual(set(logs.mapped("event")), {"assigned", "offered"})
        first = logs.filtered(lambda log: log.quality_score == 90)
        self.assertIn("tied with others on every criterion", first.reason)
        fifth = logs.filtered(lambda log: log.quality_score == 40)
        self.assertEqual(fifth.member_id, self.m_partner2)
        self.assertIn("had received the lowest quality", fifth.reason)
        self.assertEqual((fifth.member_count, fifth.member_quality), (1, 60.0))
        self.assertEqual(first.member_count, 0)
        self.assertAlmostEqual(first.quantity_deficit, 0.25)
        self.assertEqual(first.triggered_by_id, self.manager)

    def test_reason_names_the_period_in_words(self):
        """The reason says "this quarter" (a word of the sentence), not the field's label,
        and in German "in diesem Quartal"."""
        self.pool.period = "quarter"
        lead = self._leads([80])
        lead.with_user(self.manager).action_distribute()
        self.assertIn(" this quarter;", lead.distribution_log_ids.reason)
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(["lead_distribution"], ["de_DE"])
        self.pool.period = "year"
        german = self._leads([70])
        german.with_user(self.manager).with_context(lang="de_DE").action_distribute()
        self.assertIn(" in diesem Jahr;", german.distribution_log_ids.reason)

    def test_waiting_for_distribution_is_one_rule(self):
        """The Distribute button (field ``distribution_waiting``), the "To Distribute" filter
        and the pool's pending leads agree: unassigned or back in the pool, not held."""
        waiting = self._leads([80])
        held = self._leads([70])
        held.with_user(self.manager).action_distribute()
        self.assertTrue(waiting.distribution_waiting)
        self.assertFalse(held.distribution_waiting)
        leads = waiting | held
        to_distribute = self.env["crm.lead"].search(
            [("id", "in", leads.ids), ("distribution_waiting_pool_id", "!=", False)]
        )
        pending = self.env["crm.lead"].search(
            [("id", "in", leads.ids), *self.pool._pending_domain()]
        )
        self.assertEqual(to_distribute, waiting)
        self.assertEqual(pending, waiting)
        self.assertEqual(leads.filtered("distribution_waiting"), waiting)
        form = self.env.ref("lead_distribution.crm_lead_view_form_inherit_lead_distribution")
        self.assertIn('invisible="not distribution_waiting"', form.arch_db)

    def test_direct_effects_user_team_activity_chatter(self):
        lead = self._leads([80])
        lead.with_user(self.manager).action_distribute()
        self.assertEqual(lead.distribution_state, "assigned")
        self.assertEqual(lead.distribution_channel, "direct")
        self.assertEqual(lead.user_id, self.sales1)
        self.assertEqual(lead.team_id, self.other_team, "the member's sales team is set")
        self.assertTrue(lead.distribution_followup_deadline)
        activity = lead.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("lead_distribution.mail_activity_type_follow_up"),
        )
        self.assertEqual(activity.user_id, self.sales1)
        self.assertEqual(activity.date_deadline, lead.distribution_followup_deadline.date())
        self.assertTrue(lead.message_ids.filtered(lambda m: "went to Sam Seller" in (m.body or "")))
        self.assertEqual(lead.distribution_log_count, 1)
        action = lead.action_view_distribution_log()
        self.assertEqual(
            self.env["lead.distribution.log"].search(action["domain"]), lead.distribution_log_ids
        )

    def test_partner_effects_offer_and_email(self):
        self.m_sales1.available = False
        self.m_sales2.available = False
        leads = self._leads([70, 60])
        mails_before = self.env["mail.mail"].search([])
        self.pool.action_distribute()
        self.assertEqual(set(leads.mapped("distribution_state")), {"offered"})
        self.assertEqual(set(leads.mapped("channel_partner_id")), {self.partner1, self.partner2})
        self.assertFalse(leads.user_id)
        self.assertTrue(all(leads.mapped("distribution_accept_deadline")))
        mails = self.env["mail.mail"].search([]) - mails_before
        self.assertEqual(len(mails), 2, "one e-mail per partner")
        mail1 = mails.filtered(lambda m: self.partner1 in m.recipient_ids)
        self.assertEqual(mail1.recipient_ids, self.partner1 | self.partner1_contact)
        self.assertIn("/my/offered-leads", mail1.body_html)

    def test_lead_action_distribute_selected_and_refusals(self):
        leads = self._leads([50, 40, 30])
        leads[:2].with_user(self.manager).action_distribute()
        self.assertTrue(all(leads[:2].mapped("distribution_member_id")))
        self.assertFalse(leads[2].distribution_state)
        with self.assertRaisesRegex(UserError, "already distributed"):
            leads[0].with_user(self.manager).action_distribute()
        # created with a salesperson: it bypasses the pool, nothing to distribute
        taken = self._leads([45], user_id=self.sales1.id)
        self.assertFalse(taken.distribution_waiting)
        with self.assertRaisesRegex(UserError, "already has a salesperson"):
            (leads[2] | taken).with_user(self.manager).action_distribute()
        self.assertFalse(leads[2].distribution_state, "nothing half-assigned")
        weak = self._leads([10], grade="D")
        with self.assertRaisesRegex(UserError, "not ready"):
            (leads[2] | weak).with_user(self.manager).action_distribute()
        self.assertFalse(leads[2].distribution_state, "nothing half-assigned")
        orphan = self._leads([60], team=self.env["crm.team"].create({"name": "No pool"}))
        with self.assertRaisesRegex(UserError, "no distribution pool"):
            orphan.with_user(self.manager).action_distribute()
        with self.assertRaises(AccessError):
            leads[2].with_user(self.sales1).action_distribute()

    def test_on_create_and_scheduled_modes(self):
        self.pool.mode = "on_create"
        lead = self.env["crm.lead"].create(
            {"name": "Fresh", "type": "lead", "team_id": self.team.id, "user_id": False}
        )
        # the quality addon decides readiness; distributed if it found the lead ready
        if lead.is_distribution_ready and lead.quality_grade in ("A", "B", "C"):
            self.assertTrue(lead.distribution_state)
        else:
            self.assertFalse(lead.distribution_state)
        self.pool.require_ready = False
        self.pool.min_grade = False
        lead2 = self.env["crm.lead"].create(
            {"name": "Fresh 2", "type": "lead", "team_id": self.team.id, "user_id": False}
        )
        self.assertIn(lead2.distribution_state, ("assigned", "offered"))
        self.pool.mode = "scheduled"
        leads = self._leads([40, 50])
        self.assertFalse(any(leads.mapped("distribution_state")))
        self.env["lead.distribution.pool"]._cron_distribute()
        self.assertEqual(len(leads.filtered("distribution_member_id")), 2)

    def test_weights_and_period_history(self):
        self.m_partner1.available = False
        self.m_partner2.available = False
        self.m_sales1.weight = 3.0
        leads = self._leads([50] * 8)
        self.pool.action_distribute()
        self.assertEqual(len(leads.filtered(lambda lead: lead.user_id == self.sales1)), 6)
        to_sales2 = leads.filtered(lambda lead: lead.user_id == self.sales2)
        self.assertEqual(len(to_sales2), 2)
        # a member without sales team: the lead keeps its own (no recomputation from the user)
        self.assertFalse(self.m_sales2.team_id)
        self.assertEqual(to_sales2.team_id, self.team)
        # the period so far counts: the next 4 leads follow the weights again
        more = self._leads([50] * 4)
        self.pool.action_distribute()
        self.assertEqual(len(more.filtered(lambda lead: lead.user_id == self.sales1)), 3)

    def test_eligibility_countries(self):
        germany = self.env.ref("base.de")
        self.m_sales1.country_ids = germany
        self.m_sales2.available = False
        self.m_partner1.available = False
        self.m_partner2.available = False
        french = self._leads([50], country_id=self.env.ref("base.fr").id)
        german = self._leads([50], country_id=germany.id)
        self.pool.action_distribute()
        self.assertEqual(german.user_id, self.sales1)
        self.assertFalse(french.distribution_state, "nobody eligible: stays pending")

    def test_fairness_report(self):
        leads = self._leads([90, 10, 80, 20, 70, 30, 60, 40])
        self.pool.action_distribute()
        self.env.flush_all()
        groups = self.env["lead.distribution.report"]._read_group(
            [("pool_id", "=", self.pool.id)],
            ["channel"],
            ["received:sum", "quality_received:sum"],
        )
        by_channel = {channel: (received, quality) for channel, received, quality in groups}
        self.assertEqual(by_channel["direct"], (4, 200.0))
        self.assertEqual(by_channel["partner"], (4, 200.0))
        self.assertEqual(len(leads.distribution_log_ids), 8)

    def test_assignment_leaves_stored_computed_fields_right(self):
        """The leads are assigned with one SQL update: afterwards every stored computed field
        that is not editable (days to assign, automated probability, quality ...) holds what
        the ORM computes for the lead as it is now; the editable ones (team, company, stage)
        are what a write of the salesperson and team gives."""
        self.pool.write({"require_ready": False, "min_grade": False})
        Lead = self.env["crm.lead"].with_context(lead_distribution_no_auto=True)
        leads = Lead.create(
            [
                {
                    "name": f"Lead {index}",
                    "type": "lead",
                    "team_id": self.team.id,
                    "user_id": False,
                    "email_from": f"lead{index}@example.com",
                    "phone": f"+49 30 123456{index}",
                    "contact_name": f"Contact {index}",
                    "company_id": self.company.id,
                }
                for index in range(4)
            ]
        )
        # created days ago: the days to assign count
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = create_date - interval '3 days' WHERE id = ANY(%s)",
            [leads.ids],
        )
        self.env.invalidate_all()
        stored_stage = leads.stage_id
        self.assertEqual(len(stored_stage), 1)
        leads.with_user(self.manager).action_distribute()
        self.env.flush_all()
        self.env.invalidate_all()
        computed = [
            field
            for field in Lead._fields.values()
            if field.store and field.compute and field.readonly
        ]
        fnames = [field.name for field in computed]
        self.assertIn("day_open", fnames)
        self.assertIn("automated_probability", fnames)
        stored = {lead.id: {fname: lead[fname] for fname in fnames} for lead in leads}
        # recompute everything from scratch
        self.env.invalidate_all()
        for field in computed:
            self.env.add_to_compute(field, leads)
        self.env.flush_all()
        self.env.invalidate_all()
        for lead in leads:
            for fname in fnames:
                self.assertEqual(stored[lead.id][fname], lead[fname], f"{lead.name}: {fname}")
        self.assertEqual(leads.company_id, self.company)
        self.assertEqual(leads.stage_id, stored_stage)
        direct = leads.filtered(lambda lead: lead.distribution_channel == "direct")
        self.assertEqual(len(direct), 2)
        self.assertTrue(all(direct.mapped("date_open")))
        self.assertEqual(direct.mapped("day_open"), [3.0, 3.0])
        self.assertEqual(
            direct.filtered(lambda lead: lead.user_id == self.sales1).team_id,
            self.other_team,
            "the member's team",
        )
        self.assertEqual(
            direct.filtered(lambda lead: lead.user_id == self.sales2).team_id,
            self.team,
            "a member without team: the lead keeps its own",
        )
        partner = leads - direct
        self.assertFalse(any(partner.mapped("date_open")))
        self.assertFalse(partner.user_id)
        self.assertTrue(all(partner.mapped("channel_partner_id")))
        self.assertEqual(leads.distribution_tried_member_ids, self.pool.member_ids)

    def test_salesperson_of_another_company_is_refused(self):
        other = self.env["res.company"].create({"name": "Other Company"})
        outsider = new_test_user(
            self.env,
            "dist_outsider",
            groups="sales_team.group_sale_salesman",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        (self.pool.member_ids).available = False
        self.pool.member_ids = [(0, 0, {"channel": "direct", "user_id": outsider.id})]
        lead = self._leads([70], company_id=self.company.id)
        # (assertRaises rolls back to a savepoint, as the failed transaction would)
        with self.assertRaises(UserError) as error:
            self.pool.action_distribute()
        self.assertIn("does not work for company", str(error.exception))
        self.env.invalidate_all()
        self.assertFalse(lead.user_id, "nothing half-assigned")
        self.assertFalse(lead.distribution_state)
        self.assertFalse(lead.distribution_log_ids)
