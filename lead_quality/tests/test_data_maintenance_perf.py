# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from odoo.tests import tagged

from .test_data_maintenance import DataMaintenanceCase

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestDataMaintenanceQueryCount(DataMaintenanceCase):
    """Recording the acts of one bulk write costs a fixed number of queries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # every act of the bulk writes is credited: the daily limit of bulk acts is out of reach
        cls.company.data_maintenance_bulk_daily_limit = 100000

    def _write_queries(self, count, record):
        leads = self.env["crm.lead"].create(
            [{"name": f"DM perf {i}", "type": "lead", "user_id": False} for i in range(count)]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        leads = leads.with_user(self.salesman)
        if not record:
            leads = leads.with_context(lead_data_maintenance_skip=True)
        before = self.env.cr.sql_log_count
        leads.write({"city": "Köln"})
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        acts = self._acts(leads)
        self.assertEqual(len(acts), count if record else 0)
        return queries

    def test_recording_queries_do_not_grow_with_records(self):
        # warm the registry caches (groups, field names) so both sizes compare alike
        self._write_queries(5, True)
        self._write_queries(5, False)
        overhead_10 = self._write_queries(10, True) - self._write_queries(10, False)
        overhead_1000 = self._write_queries(1000, True) - self._write_queries(1000, False)
        _logger.info(
            "data maintenance query overhead: 10 leads %s, 1000 leads %s",
            overhead_10,
            overhead_1000,
        )
        self.assertGreater(overhead_10, 0)
        self.assertLessEqual(overhead_10, 10)
        # the acts of 1,000 leads cost what the acts of 10 leads cost
        self.assertEqual(overhead_1000, overhead_10)
