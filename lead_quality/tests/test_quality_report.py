# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .quality_common import LeadQualityCase


@tagged("post_install", "-at_install")
class TestQualityReport(LeadQualityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.call = cls.env["utm.medium"].create({"name": "LQ Test Call", "quality_rank": 1})
        cls.meet = cls.env["utm.medium"].create({"name": "LQ Test Meetup", "quality_rank": 3})
        cls.won_stage = cls.env["crm.stage"].create(
            {"name": "LQ Won", "is_won": True, "sequence": 99}
        )
        Lead = cls.env["crm.lead"]
        call_leads = Lead.create(
            [cls._lead_vals(name=f"call {i}", medium_id=cls.call.id) for i in range(4)]
        )
        # two converted, one of them won with 1000
        call_leads[:2].write({"type": "opportunity"})
        call_leads[0].write({"stage_id": cls.won_stage.id, "expected_revenue": 1000})
        call_leads[0].action_quality_accept()
        call_leads[1].action_quality_accept()
        call_leads[2].action_quality_reject(cls.reason_no_need.id)
        meet_leads = Lead.create(
            [
                cls._lead_vals(
                    name=f"meet {i}",
                    medium_id=cls.meet.id,
                    type="opportunity",
                    expected_revenue=500,
                )
                for i in range(2)
            ]
        )
        meet_leads.write({"stage_id": cls.won_stage.id})
        meet_leads.action_quality_accept()
        # an earlier rejection followed by an acceptance counts as accepted
        meet_leads[0].action_quality_reject(cls.reason_no_need.id)
        meet_leads[0].action_quality_accept()
        cls.complex_leads = Lead.create(
            [
                cls._lead_vals(name=f"complex {i}", medium_id=cls.meet.id, offer_type="complex")
                for i in range(2)
            ]
        )
        cls.env.flush_all()

    def _row(self, medium, offer_type="standard"):
        return self.env["lead.quality.medium.report"].search(
            [
                ("medium_id", "=", medium.id),
                ("offer_type", "=", offer_type),
                ("company_id", "=", self.company.id),
            ]
        )

    def test_report_figures(self):
        call = self._row(self.call)
        self.assertEqual(len(call), 1)
        self.assertEqual(call.declared_rank, 1)
        self.assertEqual(call.lead_count, 4)
        self.assertEqual(call.feedback_count, 3)
        self.assertEqual(call.accepted_count, 2)
        self.assertAlmostEqual(call.acceptance_rate, 200 / 3, places=2)
        self.assertEqual(call.opportunity_count, 2)
        self.assertAlmostEqual(call.conversion_rate, 50)
        self.assertEqual(call.won_count, 1)
        self.assertAlmostEqual(call.won_rate, 25)
        self.assertAlmostEqual(call.won_revenue, 1000)
        self.assertAlmostEqual(call.revenue_per_lead, 250)
        self.assertAlmostEqual(call.evidence_score, (200 / 3 + 50 + 25) / 3, places=2)
        meet = self._row(self.meet)
        self.assertEqual((meet.declared_rank, meet.lead_count, meet.accepted_count), (3, 2, 2))
        self.assertAlmostEqual(meet.acceptance_rate, 100)
        self.assertAlmostEqual(meet.won_rate, 100)
        self.assertAlmostEqual(meet.revenue_per_lead, 500)
        self.assertLess(meet.evidence_rank, call.evidence_rank)
        self.assertEqual(meet.rank_differs, meet.declared_rank != meet.evidence_rank)
        self.assertTrue(
            self.env["lead.quality.medium.report"].search_count(
                [("id", "in", (call | meet).ids), ("rank_differs", "=", True)]
            )
        )
        complex_row = self._row(self.meet, "complex")
        self.assertEqual(complex_row.lead_count, 2)
        self.assertEqual(complex_row.declared_rank, 3)
        # no feedback: acceptance is unknown and left out of the evidence
        self.assertFalse(complex_row.acceptance_rate)
        self.assertEqual(complex_row.evidence_score, 0)

    def test_report_declared_rank_uses_override(self):
        self.env["lead.quality.rank"].create(
            {"medium_id": self.meet.id, "offer_type": "complex", "rank": 1}
        )
        self.assertEqual(self._row(self.meet, "complex").declared_rank, 1)
        self.assertEqual(self._row(self.meet).declared_rank, 3)

    def test_lost_leads_count(self):
        lost = self.env["crm.lead"].create(self._lead_vals(name="lost", medium_id=self.call.id))
        lost.action_set_lost()
        self.env.flush_all()
        self.assertEqual(self._row(self.call).lead_count, 5)

    def test_rank_proposal_wizard(self):
        # the mechanics of applying (the minimum evidence is tested below)
        self.company.lead_quality_rank_min_evidence = 0
        wizard = (
            self.env["lead.quality.rank.proposal"].with_user(self.manager).create({"min_leads": 2})
        )
        lines = wizard.line_ids.filtered(lambda ln: ln.medium_id in (self.call | self.meet))
        by_key = {(ln.medium_id, ln.offer_type): ln for ln in lines}
        call_line = by_key[(self.call, "standard")]
        meet_line = by_key[(self.meet, "standard")]
        complex_line = by_key[(self.meet, "complex")]
        self.assertEqual((call_line.current_rank, meet_line.current_rank), (1, 3))
        self.assertLess(meet_line.proposed_rank, call_line.proposed_rank)
        self.assertEqual(call_line.lead_count, 4)
        self.assertAlmostEqual(call_line.won_rate, 25)
        self.assertAlmostEqual(meet_line.revenue_per_lead, 500)
        self.assertEqual(complex_line.current_rank, 3)
        # nothing changes by itself
        self.assertEqual((self.call.quality_rank, self.meet.quality_rank), (1, 3))
        wizard.line_ids.filtered(
            lambda ln: ln.medium_id not in (self.call | self.meet)
        ).apply = False
        wizard.action_confirm()
        self.assertEqual(self.meet.quality_rank, meet_line.proposed_rank)
        self.assertEqual(self.call.quality_rank, call_line.proposed_rank)
        override = self.env["lead.quality.rank"].search(
            [("medium_id", "=", self.meet.id), ("offer_type", "=", "complex")]
        )
        self.assertEqual(override.rank, complex_line.proposed_rank)
        self.assertEqual(self.complex_leads.mapped("quality_rank"), [override.rank] * 2)

    def test_rank_proposal_min_leads_and_rights(self):
        wizard = (
            self.env["lead.quality.rank.proposal"].with_user(self.manager).create({"min_leads": 3})
        )
        self.assertIn(self.call, wizard.line_ids.medium_id)
        self.assertNotIn(self.meet, wizard.line_ids.medium_id)
        with self.assertRaises(AccessError):
            self.env["lead.quality.rank.proposal"].with_user(self.salesman).create({"min_leads": 2})

    def test_report_row_per_company_with_sample_sizes(self):
        other = self.env["res.company"].create({"name": "LQ Other Company"})
        self.env["crm.lead"].create(
            [
                {
                    "name": f"other {i}",
                    "type": "lead",
                    # no default team: it would bring its own company
                    "team_id": False,
                    "medium_id": self.call.id,
                    "company_id": other.id,
                }
                for i in range(3)
            ]
        )
        self.env.flush_all()
        rows = self.env["lead.quality.medium.report"].search(
            [("medium_id", "=", self.call.id), ("offer_type", "=", "standard")]
        )
        self.assertEqual(
            sorted((row.company_id.name, row.lead_count) for row in rows),
            sorted([(self.company.name, 4), ("LQ Other Company", 3)]),
        )
        call = self._row(self.call)
        # the samples: 3 leads with feedback (acceptance), 4 leads (conversion, won); outcomes:
        # the 3 verdicts (the won lead among them)
        self.assertEqual((call.feedback_count, call.lead_count, call.outcome_count), (3, 4, 3))
        lost = self.env["crm.lead"].create(self._lead_vals(name="lost", medium_id=self.call.id))
        lost.action_set_lost()
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(self._row(self.call).outcome_count, 4)
        # the list shows the company and a sample size next to every rate
        arch = self.env["lead.quality.medium.report"].get_views([(False, "list")])["views"]["list"][
            "arch"
        ]
        self.assertIn('name="company_id"', arch)
        for sample in ("lead_count", "feedback_count", "outcome_count"):
            self.assertIn(f'name="{sample}"', arch)

    def _wizard(self):
        wizard = (
            self.env["lead.quality.rank.proposal"].with_user(self.manager).create({"min_leads": 2})
        )
        return wizard, {
            (ln.medium_id, ln.offer_type): ln
            for ln in wizard.line_ids
            if ln.medium_id in (self.call | self.meet)
        }

    def test_rank_proposal_needs_minimum_evidence(self):
        self.assertEqual(self.company.lead_quality_rank_min_evidence, 30)
        wizard, lines = self._wizard()
        self.assertEqual(wizard.min_evidence, 30)
        call_line, meet_line = lines[(self.call, "standard")], lines[(self.meet, "standard")]
        for line in (call_line, meet_line):
            self.assertFalse(line.enough_evidence)
            self.assertFalse(line.apply)
            self.assertEqual(line.proposed_rank, line.current_rank)
        # forcing a change on too little evidence is refused, nothing changes
        wizard.line_ids.apply = False
        meet_line.write({"apply": True, "proposed_rank": 1, "enough_evidence": True})
        with self.assertRaisesRegex(UserError, "Too little evidence"):
            wizard.action_confirm()
        self.assertEqual(self.meet.quality_rank, 3)
        # with the minimum met (3 leads with an outcome for call, 2 for meet)
        self.company.lead_quality_rank_min_evidence = 3
        wizard, lines = self._wizard()
        self.assertTrue(lines[(self.call, "standard")].enough_evidence)
        self.assertFalse(lines[(self.meet, "standard")].enough_evidence)

    def test_apply_leaves_a_trace_and_notifies_managers(self):
        self.company.lead_quality_rank_min_evidence = 2
        other_manager = mail_new_test_user(
            self.env,
            login="lq_manager_2",
            name="Max Manager",
            groups="base.group_user,sales_team.group_sale_manager",
            company_id=self.company.id,
            notification_type="inbox",
        )
        wizard, lines = self._wizard()
        meet_line = lines[(self.meet, "standard")]
        self.assertTrue(meet_line.enough_evidence)
        new_rank = meet_line.proposed_rank
        self.assertNotEqual(new_rank, 3)
        wizard.line_ids.filtered(lambda ln: ln != meet_line).apply = False
        meet_line.apply = True
        before = self.meet.message_ids
        wizard.action_confirm()
        self.assertEqual(self.meet.quality_rank, new_rank)
        message = self.meet.message_ids - before
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.manager.partner_id)
        self.assertIn(f"rank 3 → {new_rank}", message.body)
        self.assertIn("2 leads with an outcome of 2", message.body)
        self.assertIn("Mia Manager", message.body)
        self.assertIn(other_manager.partner_id, message.partner_ids)
        self.assertNotIn(self.manager.partner_id, message.partner_ids)
        self.assertTrue(
            message.notification_ids.filtered(
                lambda n: n.res_partner_id == other_manager.partner_id
            )
        )
        # the medium's form has a chatter
        arch = self.env["utm.medium"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("<chatter", arch)
