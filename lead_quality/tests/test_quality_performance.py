# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from unittest.mock import patch

from odoo.tests import tagged

from .quality_common import LeadQualityCase


@tagged("post_install", "-at_install")
class TestQualityPerformance(LeadQualityCase):
    """Creating leads costs a bounded number of queries.

    Two kinds of queries grow with the number of leads in standard Odoo and are
    counted apart: crm itself looks up a stage once per created lead
    (``_stage_find`` without a stage, ``_handle_won_lost`` with one), and the ORM
    writes the ``crm_lead`` rows in chunks of 100 (one INSERT and one UPDATE of
    the computed columns per chunk). Everything else - lead_quality's computed
    fields, the touch relation, the lookups of media, overrides and company
    settings - must not grow.
    """

    def _create_queries(self, count):
        media = [self.phone, self.email, self.website, self.banner, self.event, self.fair]
        vals_list = [
            self._lead_vals(
                name=f"perf {count} {i}",
                medium_id=media[i % len(media)].id,
                contact_name=f"Contact {i}",
                email_from=f"contact{i}@perf{count}.example.com",
                offer_type="complex" if i % 3 == 0 else "standard",
            )
            for i in range(count)
        ]
        Lead = self.env["crm.lead"].with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True
        )
        self.env.flush_all()
        self.env.invalidate_all()
        cr = self.env.cr
        queries = []
        execute = cr.execute

        def logged_execute(query, params=None, log_exceptions=True):
            queries.append(query.code if hasattr(query, "code") else str(query))
            return execute(query, params, log_exceptions)

        with patch.object(cr, "execute", logged_execute):
            leads = Lead.create(vals_list)
            self.env.flush_all()
        self.assertEqual(len(leads), count)
        self.assertFalse(set(leads.mapped("quality_grade")) - {"A", "B", "C", "D"})
        self.assertEqual(leads.touch_medium_ids, leads.medium_id)
        stage_queries = [q for q in queries if '"crm_stage"' in q]
        chunk_queries = [
            q
            for q in queries
            if q.lstrip().startswith(('INSERT INTO "crm_lead" ', 'UPDATE "crm_lead"'))
        ]
        other = len(queries) - len(stage_queries) - len(chunk_queries)
        return other, len(stage_queries), len(chunk_queries)

    def test_create_query_count_does_not_grow(self):
        other_100, stage_100, chunk_100 = self._create_queries(100)
        other_1000, stage_1000, chunk_1000 = self._create_queries(1000)
        # crm looks up a stage once per lead, and its predictive scoring once per sales team
        # that has scoring frequencies (the demo data's teams among them)
        self.assertLessEqual(stage_1000, 1000 + 10, "crm: one stage lookup per lead at most")
        self.assertLessEqual(
            chunk_1000, 2 * 1000 // 100 + 2, "ORM: one INSERT and one UPDATE per 100 rows"
        )
        # Bounded: the same number of queries for 10x the leads (a small slack for
        # cache-dependent lookups, never proportional to the number of leads).
        self.assertLessEqual(
            other_1000, other_100 + 5, f"100 leads: {other_100}, 1000 leads: {other_1000}"
        )
