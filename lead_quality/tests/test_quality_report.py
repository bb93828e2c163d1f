# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError
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
