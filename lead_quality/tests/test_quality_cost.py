# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What lead_quality costs on everyday lead writes.

A write of a lead field that no medium requires (stage, probability, salesperson ...)
re-runs neither the completeness nor the quality chain, and a write of no maintained field
takes no maintenance snapshot; required and maintained fields still do their work, also
after the required fields of a medium changed.
"""

import contextlib
from collections import Counter
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from ..lib.odoo_compat import REGISTRY_SETUP
from .quality_common import LeadQualityCase


@tagged("post_install", "-at_install")
class TestQualityCost(LeadQualityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_new, cls.stage_won = (
            cls.env["crm.stage"].search([("is_won", "=", False)], limit=1),
            cls.env["crm.stage"].search([("is_won", "=", True)], limit=1),
        )
        cls.team.member_ids = [Command.link(cls.salesman.id), Command.link(cls.manager.id)]
        cls.leads = cls.env["crm.lead"].create(
            [
                cls._full_phone_vals(user_id=cls.salesman.id, stage_id=cls.stage_new.id),
                cls._lead_vals(
                    medium_id=cls.website.id,
                    contact_name="Web Visitor",
                    user_id=cls.salesman.id,
                    stage_id=cls.stage_new.id,
                ),
            ]
        )
        cls.phone_lead, cls.web_lead = cls.leads

    def setUp(self):
        super().setUp()
        # an earlier test may have set the registry up for required fields its rollback
        # removed again (Odoo resets the registry only after the test class)
        self.env["crm.lead"]._quality_refresh_dependencies()
        # registry caches filled as by any earlier write (first write of a worker)
        self.env["res.company"]._data_maintenance_watched_fields("crm.lead")
        self.env.flush_all()
        self.env.invalidate_all()

    @staticmethod
    def _maintenance_queries(queries):
        """The queries of the maintenance recording: its acts and its field lists."""
        return [
            query
            for query in queries
            if "lead_data_maintenance" in query or "data_maintenance_lead_field_rel" in query
        ]

    @contextlib.contextmanager
    def _watch(self):
        """Count the calls of the completeness and quality computes and of the snapshot,
        and collect the queries run meanwhile (the write and its flush)."""
        calls, queries = Counter(), []
        Lead = type(self.env["crm.lead"])
        Maintenance = type(self.env["lead.data.maintenance"])
        patches = []
        for cls, name in (
            (Lead, "_compute_data_completeness"),
            (Lead, "_compute_quality"),
            (Maintenance, "_snapshot"),
        ):
            original = getattr(cls, name)

            def counted(records, *args, _original=original, _name=name, **kwargs):
                calls[_name] += 1
                return _original(records, *args, **kwargs)

            patches.append(patch.object(cls, name, counted))
        cr = self.env.cr
        execute = cr.execute

        def logged_execute(query, params=None, log_exceptions=True):
            queries.append(str(getattr(query, "code", query)))
            return execute(query, params, log_exceptions)

        patches.append(patch.object(cr, "execute", logged_execute))
        with contextlib.ExitStack() as stack:
            for patcher in patches:
                stack.enter_context(patcher)
            yield calls, queries
            self.env.flush_all()

    def test_unrequired_field_write_rescores_nothing(self):
        """Stage and probability: no medium requires them, nothing of ours runs."""
        leads = self.leads.with_user(self.salesman)
        before = leads.mapped(lambda lead: (lead.data_completeness, lead.quality_score))
        # the won stage last: Odoo 19.0 refuses a probability below 100 % in a won stage
        for vals in ({"probability": 42.0}, {"priority": "3"}, {"stage_id": self.stage_won.id}):
            with self._watch() as (calls, queries):
                leads.write(dict(vals))
            self.assertEqual(calls["_compute_data_completeness"], 0, vals)
            self.assertEqual(calls["_compute_quality"], 0, vals)
            self.assertEqual(calls["_snapshot"], 0, vals)
            self.assertFalse(self._maintenance_queries(queries), vals)
            self.assertFalse([q for q in queries if "utm_medium" in q], vals)
        self.assertEqual(
            leads.mapped(lambda lead: (lead.data_completeness, lead.quality_score)), before
        )

    def test_salesperson_write(self):
        """No medium requires the salesperson: no completeness, no snapshot.

        crm recomputes the lead's company and sales team from the salesperson; both are
        inputs of the score (company settings, the team's offer type), so the score is
        evaluated again, and stays as it was when they do not change.
        """
        leads = self.leads.with_user(self.salesman)
        before = leads.mapped(lambda lead: (lead.data_completeness, lead.quality_score))
        with self._watch() as (calls, queries):
            leads.write({"user_id": self.manager.id})
        self.assertEqual(calls["_compute_data_completeness"], 0)
        self.assertEqual(calls["_snapshot"], 0)
        self.assertFalse(self._maintenance_queries(queries))
        self.assertEqual(leads.team_id, self.team)
        self.assertEqual(
            leads.mapped(lambda lead: (lead.data_completeness, lead.quality_score)), before
        )

    def test_required_field_write_rescores(self):
        lead = self.web_lead.with_user(self.salesman)
        self.assertEqual(lead.data_completeness, 50)
        score = lead.quality_score
        with self._watch() as (calls, _queries):
            lead.write({"email_from": "visitor@example.com"})
        self.assertEqual(calls["_compute_data_completeness"], 1)
        self.assertEqual(calls["_compute_quality"], 1)
        self.assertEqual(lead.data_completeness, 100)
        self.assertGreater(lead.quality_score, score)
        # an e-mail Odoo flags as invalid counts as missing again
        lead.write({"email_from": "not an address"})
        self.assertEqual(lead.data_completeness, 50)

    def test_new_required_field_is_a_dependency(self):
        """A field no medium required becomes a trigger once a medium requires it."""
        lead = self.web_lead
        self.assertEqual(lead.data_completeness, 50)
        website_field = self.env["ir.model.fields"]._get("crm.lead", "website")
        self.assertNotIn("website", self.env["crm.lead"]._quality_required_field_names())
        with self._watch() as (calls, _queries):
            lead.website = "https://visitor.example.com"
        self.assertEqual(calls["_compute_data_completeness"], 0, "not required yet")

        self.website.lead_required_field_ids = [Command.link(website_field.id)]
        # the leads of the medium are scored with the new list at once ...
        self.assertEqual(lead.data_completeness, 67)
        completeness_field = self.env["crm.lead"]._fields["data_completeness"]
        self.assertIn("website", self.env.registry.field_depends[completeness_field])
        # ... and a later write of the field re-scores
        lead.website = False
        self.assertEqual(lead.data_completeness, 33)
        self.assertIn("Website", lead.quality_missing_fields)
        lead.write({"website": "https://visitor.example.com", "email_from": "v@example.com"})
        self.assertEqual(lead.data_completeness, 100)

        # no longer required by any medium: no dependency after the next set-up
        self.website.lead_required_field_ids = [Command.unlink(website_field.id)]
        self.assertEqual(lead.data_completeness, 100)
        completeness_field = self.env["crm.lead"]._fields["data_completeness"]
        self.assertNotIn("website", self.env.registry.field_depends[completeness_field])
        with self._watch() as (calls, _queries):
            lead.website = False
        self.assertEqual(calls["_compute_data_completeness"], 0)
        self.assertEqual(lead.data_completeness, 100)

    def test_required_field_of_another_medium_reloads_nothing(self):
        """Requiring a field that another medium requires already changes no trigger."""
        lead = self.web_lead
        phone_field = self.env["ir.model.fields"]._get("crm.lead", "phone")
        self.assertIn("phone", self.env["crm.lead"]._quality_required_field_names())
        with patch.object(type(self.env.registry), REGISTRY_SETUP) as setup_models:
            self.website.lead_required_field_ids = [Command.link(phone_field.id)]
            self.assertEqual(lead.data_completeness, 33)
        setup_models.assert_not_called()
        lead.phone = "+49 30 555"
        self.assertEqual(lead.data_completeness, 67)

    def test_new_medium_with_new_required_field(self):
        website_field = self.env["ir.model.fields"]._get("crm.lead", "website")
        medium = self.env["utm.medium"].create(
            {"name": "Partner portal", "lead_required_field_ids": [Command.set(website_field.ids)]}
        )
        lead = self.env["crm.lead"].create(self._lead_vals(medium_id=medium.id))
        self.assertEqual(lead.data_completeness, 0)
        lead.website = "https://partner.example.com"
        self.assertEqual(lead.data_completeness, 100)

    def test_maintenance_snapshot_only_for_maintained_fields(self):
        lead = self.phone_lead.with_user(self.salesman)
        Act = self.env["lead.data.maintenance"].sudo()
        acts = Act.search_count([("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)])
        with self._watch() as (calls, queries):
            lead.write({"stage_id": self.stage_won.id, "priority": "2"})
        self.assertEqual(calls["_snapshot"], 0)
        self.assertFalse(self._maintenance_queries(queries))
        with self._watch() as (calls, _queries):
            lead.write({"city": "Köln"})
        self.assertEqual(calls["_snapshot"], 1)
        self.assertEqual(
            Act.search_count([("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]),
            acts + 1,
        )

    def test_newly_maintained_field_is_recorded(self):
        """The cached list of maintained fields follows the company settings."""
        lead = self.phone_lead.with_user(self.salesman)
        self.assertNotIn(
            "street2", self.env["res.company"]._data_maintenance_watched_fields("crm.lead")
        )
        with self._watch() as (calls, _queries):
            lead.street2 = "Hinterhaus"
        self.assertEqual(calls["_snapshot"], 0)
        street2 = self.env["ir.model.fields"]._get("crm.lead", "street2")
        self.company.data_maintenance_lead_field_ids = [Command.link(street2.id)]
        self.assertIn(
            "street2", self.env["res.company"]._data_maintenance_watched_fields("crm.lead")
        )
        with self._watch() as (calls, _queries):
            lead.street2 = "Vorderhaus"
        self.assertEqual(calls["_snapshot"], 1)
        act = (
            self.env["lead.data.maintenance"]
            .sudo()
            .search([("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)])
        )
        self.assertEqual(act.mapped("field_name"), ["street2"])

    def test_lead_indexes(self):
        """Every index of crm_lead is paid on each lead write that changes an indexed column:
        no index on the verification date, the steward's index only holds leads with one."""
        self.env.cr.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'crm_lead'"
            " AND indexname IN %s",
            [("crm_lead__data_verified_date_index", "crm_lead__data_steward_id_index")],
        )
        indexes = dict(self.env.cr.fetchall())
        self.assertNotIn("crm_lead__data_verified_date_index", indexes)
        self.assertIn(
            "WHERE (data_steward_id IS NOT NULL)", indexes["crm_lead__data_steward_id_index"]
        )
