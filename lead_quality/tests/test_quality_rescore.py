# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged

from ..models.crm_lead import CrmLead
from .quality_common import LeadQualityCase

CHAIN = CrmLead._QUALITY_CHAIN_FIELDS


@tagged("post_install", "-at_install")
class TestQualityBatchRescore(LeadQualityCase):
    """The set-based re-score gives exactly what the ORM compute gives, only faster."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create(
            {
                "name": "Strict Rescore Co",
                "lead_quality_threshold_a": 95,
                "lead_quality_min_grade": "A",
            }
        )
        cls.archived = cls.env["utm.medium"].create({"name": "Old flyer", "quality_rank": 2})
        today = fields.Date.context_today(cls.env["crm.lead"])
        vals_list = []
        for i, medium in enumerate(
            [cls.phone, cls.email, cls.website, cls.banner, cls.event, cls.fair, False]
        ):
            for offer_type in ("standard", "complex"):
                for company in (cls.company, cls.other_company, False):
                    vals_list.append(
                        {
                            "name": f"rescore {i} {offer_type} {company and company.id}",
                            "type": "lead",
                            "medium_id": medium and medium.id,
                            "offer_type": offer_type,
                            "company_id": company and company.id,
                            "contact_name": "Anna" if i % 2 else False,
                            "partner_name": "Berg GmbH",
                            "email_from": "anna@berg.example.com" if i % 3 else "not an e-mail",
                            "phone": "+49 30 1234567",
                            "data_verified_date": [today, today - timedelta(days=400), False][
                                i % 3
                            ],
                        }
                    )
        cls.leads = cls.env["crm.lead"].create(vals_list)
        # more touching media for some leads, one of them archived later
        cls.leads[::4].write({"touch_medium_ids": [(4, cls.event.id), (4, cls.archived.id)]})
        cls.archived.active = False
        # the shipped general override of telemarketing for complex offers, and one
        # for the other company only
        cls.env["lead.quality.rank"].search(
            [("medium_id", "=", cls.phone.id), ("offer_type", "=", "complex")]
        ).rank = 5
        cls.env["lead.quality.rank"].create(
            {
                "medium_id": cls.phone.id,
                "offer_type": "complex",
                "rank": 1,
                "company_id": cls.other_company.id,
            }
        )

    def _values(self):
        self.leads.invalidate_recordset(CHAIN)
        return {lead.id: tuple(lead[fname] for fname in CHAIN) for lead in self.leads}

    def _orm_values(self):
        """The values the record-by-record ORM compute gives, without storing them."""
        for fname in CHAIN:
            self.env.add_to_compute(self.leads._fields[fname], self.leads)
        self.leads._recompute_recordset(CHAIN)
        values = {lead.id: tuple(lead[fname] for fname in CHAIN) for lead in self.leads}
        self.env.flush_all()
        return values

    def test_batch_equals_orm_compute(self):
        expected = self._orm_values()
        self.assertGreater(len(set(expected.values())), 10, "a varied sample")
        self.assertEqual(
            {grade for _r, _s, _sc, grade, _rd in expected.values()} - {"A", "B", "C", "D"}, set()
        )
        # wrong values in the database: the batch must rebuild them from the inputs alone
        self.env.cr.execute(
            "UPDATE crm_lead SET quality_rank = 99, is_data_stale = NOT is_data_stale, "
            "quality_score = -1, quality_grade = NULL, is_distribution_ready = NULL "
            "WHERE id = ANY(%s)",
            [self.leads.ids],
        )
        self.env.invalidate_all()
        changed = self.leads._quality_rescore_batch()
        self.assertEqual(changed, self.leads)
        self.assertEqual(self._values(), expected)
        # nothing left to change: a second run writes nothing
        self.assertFalse(self.leads._quality_rescore_batch())

    def test_rank_change_rescores_set_based(self):
        compute_calls = []
        orig = CrmLead._compute_quality

        def counting_compute(records):
            compute_calls.append(len(records))
            return orig(records)

        with patch.object(CrmLead, "_compute_quality", counting_compute):
            self.phone.quality_rank = 4
            self.env["lead.quality.rank"].search(
                [("medium_id", "=", self.phone.id), ("company_id", "=", False)]
            ).rank = 6
            self.email.min_completeness = 100
            self.env.flush_all()
        self.assertFalse(compute_calls, "the re-score must not go record by record")
        phone_leads = self.leads.filtered(lambda lead: lead.medium_id == self.phone)
        by_key = {(lead.offer_type, lead.company_id): lead.quality_rank for lead in phone_leads}
        self.assertEqual(by_key[("standard", self.company)], 4)
        self.assertEqual(by_key[("complex", self.company)], 6)
        self.assertEqual(by_key[("complex", self.other_company)], 1)
        self.assertFalse(
            any(
                lead.is_distribution_ready
                for lead in self.leads
                if lead.medium_id == self.email and lead.data_completeness < 100
            )
        )
        # and the result is the one of the ORM compute
        stored = self._values()
        self.assertEqual(self._orm_values(), stored)

    def test_override_unlink_and_settings_rescore(self):
        self.env["lead.quality.rank"].search([("medium_id", "=", self.phone.id)]).unlink()
        self.env.flush_all()
        phone_leads = self.leads.filtered(lambda lead: lead.medium_id == self.phone)
        self.assertEqual(set(phone_leads.mapped("quality_rank")), {self.phone.quality_rank})
        self.other_company.lead_quality_threshold_a = 70
        stored = self._values()
        self.assertEqual(self._orm_values(), stored)

    def test_rescore_queries_do_not_grow(self):
        def queries_for(count):
            leads = self.env["crm.lead"].create(
                [
                    self._lead_vals(
                        name=f"q{count} {i}",
                        medium_id=self.fair.id,
                        email_from=f"x{i}@q.example.com",
                    )
                    for i in range(count)
                ]
            )
            self.env.flush_all()
            start = self.env.cr.sql_log_count
            self.fair.quality_rank += 1
            self.env.flush_all()
            used = self.env.cr.sql_log_count - start
            self.assertEqual(set(leads.mapped("quality_rank")), {self.fair.quality_rank})
            leads.unlink()
            return used

        self.assertEqual(queries_for(5), queries_for(60))
