# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Approved time off (Odoo's Time Off) makes a member unavailable: it receives no leads, its
fair share does not grow, and its follow-up deadlines skip the days off."""

from odoo import fields
from odoo.addons.lead_distribution.tests.common import DistributionCase
from odoo.addons.lead_quality.lib.odoo_compat import no_allocation_value
from odoo.tests import freeze_time, tagged


@tagged("post_install", "-at_install")
class TestTimeOff(DistributionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.m_partner1 | cls.m_partner2).available = False
        cls.calendar = cls.company.resource_calendar_id
        cls.calendar.tz = "UTC"
        cls.employee1, cls.employee2 = cls.env["hr.employee"].create(
            [
                {
                    "name": user.name,
                    "user_id": user.id,
                    "resource_calendar_id": cls.calendar.id,
                    "tz": "UTC",
                }
                for user in (cls.sales1, cls.sales2)
            ]
        )
        LeaveType = cls.env["hr.leave.type"]
        cls.leave_type = LeaveType.create(
            {
                "name": "Paid time off",
                "time_type": "leave",
                "requires_allocation": no_allocation_value(LeaveType),
            }
        )

    def _time_off(self, employee, first, last, approve=True):
        leave = self.env["hr.leave"].create(
            {
                "name": "Holidays",
                "employee_id": employee.id,
                "holiday_status_id": self.leave_type.id,
                "request_date_from": first,
                "request_date_to": last,
            }
        )
        if approve:
            leave.action_approve()
            self.assertEqual(leave.state, "validate")
        return leave

    def _split(self, leads):
        return {
            user: len(leads.filtered(lambda lead, u=user: lead.user_id == u))
            for user in (self.sales1, self.sales2)
        }

    def test_on_time_off_no_leads_no_fair_share_and_back_level(self):
        with freeze_time("2026-06-01 08:00:00"):
            leave = self._time_off(self.employee2, "2026-06-02", "2026-06-05")
        with freeze_time("2026-06-03 10:00:00"):
            self.assertEqual(self.m_sales2.availability, "time_off")
            self.assertEqual(self.m_sales2.time_off_until, leave.date_to)
            away = self._leads([50] * 4)
            self.pool.action_distribute()
        self.assertEqual(self._split(away), {self.sales1: 4, self.sales2: 0})
        day = self.env["lead.distribution.member.day"].search(
            [("member_id", "=", self.m_sales2.id)]
        )
        self.assertEqual((day.status, day.available, day.entitled), ("time_off", False, 0.0))
        # back on Monday: not flooded with the four leads of the week
        with freeze_time("2026-06-08 10:00:00"):
            self.m_sales2.invalidate_recordset(["availability"])
            self.assertEqual(self.m_sales2.availability, "available")
            back = self._leads([50] * 4)
            self.pool.action_distribute()
        self.assertEqual(self._split(back), {self.sales1: 2, self.sales2: 2})

    def test_time_off_not_approved_does_not_count(self):
        with freeze_time("2026-06-01 08:00:00"):
            self._time_off(self.employee2, "2026-06-02", "2026-06-05", approve=False)
        with freeze_time("2026-06-03 10:00:00"):
            leads = self._leads([50] * 2)
            self.pool.action_distribute()
        self.assertEqual(self._split(leads), {self.sales1: 1, self.sales2: 1})

    def test_customers_lead_goes_to_a_colleague_while_its_salesperson_is_off(self):
        customer = self.env["res.partner"].create(
            {"name": "Urlaub Kunde GmbH", "is_company": True, "user_id": self.sales2.id}
        )
        with freeze_time("2026-06-01 08:00:00"):
            self._time_off(self.employee2, "2026-06-02", "2026-06-05")
        with freeze_time("2026-06-03 10:00:00"):
            lead = self._leads([70], partner_id=customer.id)
            self.pool.action_distribute()
        self.assertEqual(lead.user_id, self.sales1)
        reason = lead.distribution_log_ids.reason
        self.assertIn("Sue Seller (salesperson of the customer) could not take it", reason)
        self.assertIn("on approved time off", reason)

    def test_everyone_off_nothing_is_distributed(self):
        with freeze_time("2026-06-01 08:00:00"):
            self._time_off(self.employee1, "2026-06-02", "2026-06-05")
            self._time_off(self.employee2, "2026-06-02", "2026-06-05")
        with freeze_time("2026-06-03 10:00:00"):
            leads = self._leads([70])
            self.assertFalse(self.pool._available_members())
            # the scheduled run skips the pool (logged), the leads wait
            self.pool.mode = "scheduled"
            self.env["lead.distribution.pool"]._cron_distribute()
        self.assertFalse(leads.user_id)
        self.assertFalse(leads.distribution_log_ids)

    def test_follow_up_deadline_skips_the_days_off(self):
        with freeze_time("2026-06-01 08:00:00"):
            self._time_off(self.employee1, "2026-06-08", "2026-06-09")
        self.m_sales2.available = False
        # Friday: Monday and Tuesday off, then Wed, Thu, Fri, Mon, Tue
        with freeze_time("2026-06-05 10:00:00"):
            lead = self._leads([60])
            self.pool.action_distribute()
        self.assertEqual(lead.user_id, self.sales1)
        self.assertEqual(
            lead.distribution_followup_deadline,
            fields.Datetime.to_datetime("2026-06-16 10:00:00"),
        )
