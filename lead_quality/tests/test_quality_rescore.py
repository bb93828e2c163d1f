# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from ..models.crm_lead import CrmLead
from .quality_common import LeadQualityCase

CHAIN = CrmLead._QUALITY_CHAIN_FIELDS


@tagged("post_install", "-at_install")
class TestQualityBatchRescore(LeadQualityCase):
    """The batch re-score is the ORM compute of the chain, in batches, writing only the leads
    whose values change."""

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
        self.assertEqual(self._written_leads(), set(self.leads.ids))
        self.assertEqual(self._values(), expected)
        # nothing left to change: a second run writes nothing
        self.assertEqual(self._written_leads(), set())

    def test_rows_inserted_without_touch_count_are_scored(self):
        """Leads whose row another program inserted without this addon's columns (no touch
        count) are scored like leads reached by one medium at most, without an error."""
        single = self.leads.filtered(lambda lead: lead.touch_count <= 1)
        expected = {lead.id: tuple(lead[fname] for fname in CHAIN) for lead in single}
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET touch_count = NULL, quality_score = -1 WHERE id = ANY(%s)",
            [single.ids],
        )
        self.env.invalidate_all()
        single._quality_rescore_batch()
        single.invalidate_recordset(CHAIN)
        self.assertEqual(
            {lead.id: tuple(lead[fname] for fname in CHAIN) for lead in single}, expected
        )

    def _written_leads(self):
        """Re-score the leads in batch; the ids of the leads whose row the ORM updated."""
        written = set()
        orig = CrmLead._write_multi

        def recording_write_multi(records, vals_list):
            written.update(records.ids)
            return orig(records, vals_list)

        with patch.object(CrmLead, "_write_multi", recording_write_multi):
            self.assertEqual(self.leads._quality_rescore_batch(), self.leads)
        return written

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
        # one batch per change (3 writes), not one compute per lead
        self.assertTrue(compute_calls)
        self.assertLessEqual(len(compute_calls), 3, compute_calls)
        self.assertGreater(min(compute_calls), 1, compute_calls)
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
            # a medium of its own: the same re-score each time, only the number of leads differs
            medium = self.env["utm.medium"].create({"name": f"Rescore {count}", "quality_rank": 3})
            leads = self.env["crm.lead"].create(
                [
                    self._lead_vals(
                        name=f"q{count} {i}",
                        medium_id=medium.id,
                        email_from=f"x{i}@q.example.com",
                    )
                    for i in range(count)
                ]
            )
            self.env.flush_all()
            start = self.env.cr.sql_log_count
            medium.quality_rank = 4
            self.env.flush_all()
            used = self.env.cr.sql_log_count - start
            self.assertEqual(set(leads.mapped("quality_rank")), {4})
            return used

        queries_for(3)  # caches (parameters, views of the rank) filled once
        self.assertEqual(queries_for(5), queries_for(60))


@tagged("post_install", "-at_install")
class TestQualityRescoreAutomation(LeadQualityCase):
    """A customer's automation rule on the score and grade runs for every lead a batch re-score
    changes (settings change, freshness), as for any recomputed field."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tag = cls.env["crm.tag"].create({"name": "Quality changed"})
        field = cls.env["ir.model.fields"]._get("crm.lead", "quality_grade")
        field |= cls.env["ir.model.fields"]._get("crm.lead", "quality_score")
        cls.env["base.automation"].create(
            {
                "name": "Tag leads whose quality changes",
                "model_id": field.model_id[:1].id,
                "trigger": "on_create_or_write",
                "trigger_field_ids": [(6, 0, field.ids)],
                "action_server_ids": [
                    Command.create(
                        {
                            "name": "Tag",
                            "model_id": field.model_id[:1].id,
                            "state": "code",
                            "code": f"records.write({{'tag_ids': [(4, {cls.tag.id})]}})",
                        }
                    )
                ],
            }
        )
        today = cls.env["crm.lead"]._quality_today()
        cls.leads = cls.env["crm.lead"].create(
            [
                cls._full_phone_vals(name=f"Automated {age}", data_verified_date=today - age)
                for age in (timedelta(days=1), timedelta(days=400))
            ]
        )
        # the quality computed (and the rule run) at creation, then the tags cleared
        cls.env.flush_all()
        cls.leads.tag_ids = False
        cls.env.flush_all()

    def test_settings_change_runs_grade_automation(self):
        before = {lead: (lead.quality_score, lead.quality_grade) for lead in self.leads}
        # the grades of all but perfect leads drop
        self.company.write(
            {
                "lead_quality_threshold_a": 100,
                "lead_quality_threshold_b": 99,
                "lead_quality_threshold_c": 98,
            }
        )
        self.env.flush_all()
        regraded = self.leads.filtered(lambda lead: lead.quality_grade != before[lead][1])
        self.assertTrue(regraded, "the new thresholds regrade a lead of the sample")
        self.assertEqual(self.leads.filtered("tag_ids"), regraded)

    def test_freshness_cron_runs_grade_automation(self):
        fresh = self.leads.filtered(lambda lead: not lead.is_data_stale)
        self.assertEqual(len(fresh), 1)
        score = fresh.quality_score
        # the day the fresh lead's data passes the freshness age
        later = fields.Date.today() + timedelta(days=self.company.lead_quality_freshness_days)
        with freeze_time(later):
            self.env["crm.lead"]._cron_quality_refresh_freshness()
            self.env.flush_all()
        self.assertTrue(fresh.is_data_stale)
        self.assertLess(fresh.quality_score, score, "staleness lowers the score")
        self.assertEqual(self.leads.filtered("tag_ids"), fresh)
