# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Who can take leads and by when: members away (the manual flag; Odoo's Time Off is the
bridge addon's), limits of open leads and leads per day, the fair share that accrues only
while a member is available, the members' days in the fairness report, and follow-up
deadlines in working days."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import DistributionCase


class AvailabilityCase(DistributionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.m_partner1 | cls.m_partner2).available = False

    def _days(self, member):
        return self.env["lead.distribution.member.day"].search([("member_id", "=", member.id)])


@tagged("post_install", "-at_install")
class TestAvailability(AvailabilityCase):
    def test_back_from_leave_neither_flooded_nor_starved(self):
        """Away (manual flag, no Time Off installed here): sales2 receives nothing and its fair
        share does not grow; back, the leads are shared again, not given to it to catch up."""
        self.assertFalse(
            self.pool._members_on_time_off(self.pool.member_ids, fields.Datetime.now()),
            "without Odoo's Time Off only the flag counts",
        )
        self.m_sales2.available = False
        with freeze_time("2026-06-01 09:00:00"):
            away = self._leads([50] * 4)
            self.pool.action_distribute()
        self.assertEqual(away.user_id, self.sales1)
        self.assertEqual(self._days(self.m_sales2).mapped("status"), ["away"])
        self.assertEqual(self._days(self.m_sales2).entitled, 0)
        self.m_sales2.available = True
        with freeze_time("2026-06-02 09:00:00"):
            back = self._leads([50] * 4)
            self.pool.action_distribute()
        per_user = {
            user: len(back.filtered(lambda lead, u=user: lead.user_id == u))
            for user in (self.sales1, self.sales2)
        }
        self.assertEqual(per_user, {self.sales1: 2, self.sales2: 2}, "not 4 to catch up")
        # the fairness report: received beside the fair share and the days available
        report = {
            member: (received, fair_share, days)
            for member, received, fair_share, days in self.env[
                "lead.distribution.report"
            ]._read_group(
                [("pool_id", "=", self.pool.id), ("channel", "=", "direct")],
                ["member_id"],
                ["received:sum", "fair_share:sum", "available_days:sum"],
            )
        }
        self.assertEqual(report[self.m_sales1][0], 6)
        self.assertAlmostEqual(report[self.m_sales1][1], 6.0)
        self.assertEqual(report[self.m_sales1][2], 2)
        self.assertEqual(report[self.m_sales2][0], 2)
        self.assertAlmostEqual(report[self.m_sales2][1], 2.0)
        self.assertEqual(report[self.m_sales2][2], 1)

    def test_member_at_its_maximum_of_open_leads_is_skipped_and_the_log_says_so(self):
        self.m_sales1.max_open_leads = 1
        leads = self._leads([90, 80, 70])
        self.pool.action_distribute()
        self.assertEqual(len(leads.filtered(lambda lead: lead.user_id == self.sales1)), 1)
        self.assertEqual(len(leads.filtered(lambda lead: lead.user_id == self.sales2)), 2)
        reasons = leads.distribution_log_ids.sorted("id").mapped("reason")
        skipped = [r for r in reasons if "Skipped at their limit" in r]
        self.assertTrue(skipped)
        self.assertIn("Sam Seller (maximum of 1 open leads)", skipped[0])
        self.assertEqual(self.m_sales1.availability, "full")
        self.assertEqual(self._days(self.m_sales1).status, "available")

    def test_won_leads_do_not_count_as_open(self):
        self.m_sales1.max_open_leads = 1
        self.m_sales2.available = False
        first = self._leads([90])
        self.pool.action_distribute()
        self.assertEqual(first.user_id, self.sales1)
        first.action_set_won()
        second = self._leads([80])
        self.pool.action_distribute()
        self.assertEqual(second.user_id, self.sales1)

    def test_maximum_per_day(self):
        self.m_sales2.max_daily_leads = 1
        with freeze_time("2026-06-01 09:00:00"):
            leads = self._leads([50] * 4)
            self.pool.action_distribute()
            self.assertEqual(len(leads.filtered(lambda lead: lead.user_id == self.sales2)), 1)
            self.assertIn(
                "Sue Seller (maximum of 1 leads per day)",
                " ".join(leads.distribution_log_ids.mapped("reason")),
            )
            later = self._leads([50])
            self.pool.action_distribute()
            self.assertEqual(later.user_id, self.sales1, "still the same day")
        with freeze_time("2026-06-02 09:00:00"):
            next_day = self._leads([50, 50])
            self.pool.action_distribute()
            self.assertEqual(next_day.user_id, self.sales1 | self.sales2, "a new day")

    def test_leads_nobody_can_take_wait_and_the_owner_is_told(self):
        (self.m_sales1 | self.m_sales2).max_open_leads = 1
        leads = self._leads([90, 80, 70])
        self.pool.action_distribute()
        waiting = leads.filtered(lambda lead: not lead.user_id)
        self.assertEqual(len(waiting), 1)
        self.assertTrue(waiting.distribution_blocked)
        self.assertIn(waiting, self.env["crm.lead"].search(self.pool._pending_domain()))
        activity = self.pool.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("lead_distribution.mail_activity_type_waiting")
        )
        self.assertEqual(activity.user_id, self.manager)
        self.assertIn("at its limit", activity.note)
        # room again: the waiting lead is distributed
        self.m_sales1.max_open_leads = 2
        self.pool.action_distribute()
        self.assertEqual(waiting.user_id, self.sales1)
        self.assertFalse(waiting.distribution_blocked)

    def test_claims_count_in_the_fair_share_of_everyone_available(self):
        lead = self._leads([60])
        lead.with_user(self.manager).write({"user_id": self.sales1.id})
        days = self._days(self.m_sales1) | self._days(self.m_sales2)
        self.assertAlmostEqual(sum(days.mapped("entitled")), 1.0)
        self.assertAlmostEqual(sum(days.mapped("quality_entitled")), 60.0)
        # sales1 claimed one: the next lead is sales2's
        other = self._leads([50])
        self.pool.action_distribute()
        self.assertEqual(other.user_id, self.sales2)

    def test_availability_now(self):
        self.m_sales1.max_daily_leads = 1
        self.m_sales2.available = False
        self.assertEqual(self.m_sales1.availability, "available")
        self.assertEqual(self.m_sales2.availability, "away")
        self._leads([50])
        self.pool.action_distribute()
        self.m_sales1.invalidate_recordset(["availability"])
        self.assertEqual(self.m_sales1.availability, "full")

    def test_negative_limits_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "must not be negative"):
            self.m_sales1.max_open_leads = -1
        with self.assertRaisesRegex(ValidationError, "must not be negative"):
            self.m_sales1.max_daily_leads = -2

    def test_member_days_are_read_only_and_follow_the_salesperson(self):
        self._leads([50, 50])
        self.pool.action_distribute()
        days = self._days(self.m_sales1) | self._days(self.m_sales2)
        Day = self.env["lead.distribution.member.day"]
        self.assertEqual(
            Day.with_user(self.sales1).search([("id", "in", days.ids)]), self._days(self.m_sales1)
        )
        with self.assertRaises(AccessError):
            days.with_user(self.manager).write({"entitled": 10})
        with self.assertRaises(AccessError):
            Day.with_user(self.manager).create(
                {"member_id": self.m_sales1.id, "pool_id": self.pool.id, "day": "2026-01-01"}
            )


@tagged("post_install", "-at_install")
class TestWorkingDayDeadlines(AvailabilityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.m_sales2.available = False
        cls.calendar = cls.company.resource_calendar_id
        cls.calendar.tz = "UTC"

    def _distribute_at(self, moment, scores=(60,)):
        with freeze_time(moment):
            leads = self._leads(list(scores))
            self.pool.action_distribute()
        return leads

    def test_weekend_does_not_count(self):
        # Friday: five working days later is the next Friday
        lead = self._distribute_at("2026-06-05 10:00:00")
        self.assertEqual(
            lead.distribution_followup_deadline, fields.Datetime.to_datetime("2026-06-12 10:00:00")
        )
        self.assertEqual(lead.activity_ids.date_deadline, fields.Date.to_date("2026-06-12"))

    def test_public_holiday_does_not_count(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": "2026-06-09 00:00:00",
                "date_to": "2026-06-09 23:59:59",
            }
        )
        lead = self._distribute_at("2026-06-05 10:00:00")
        self.assertEqual(
            lead.distribution_followup_deadline, fields.Datetime.to_datetime("2026-06-15 10:00:00")
        )

    def test_the_salespersons_own_working_hours(self):
        four_days = self.env["resource.calendar"].create(
            {
                "name": "Monday to Thursday",
                "tz": "UTC",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 8,
                            "hour_to": 16,
                            "day_period": "morning",
                        },
                    )
                    for day in range(4)
                ],
            }
        )
        self.env["resource.resource"].create(
            {
                "name": self.sales1.name,
                "user_id": self.sales1.id,
                "calendar_id": four_days.id,
                "tz": "UTC",
            }
        )
        # Friday: Mon, Tue, Wed, Thu, then Mon
        lead = self._distribute_at("2026-06-05 10:00:00")
        self.assertEqual(
            lead.distribution_followup_deadline, fields.Datetime.to_datetime("2026-06-15 10:00:00")
        )

    def test_recycled_only_after_the_working_days(self):
        lead = self._distribute_at("2026-06-05 10:00:00")
        due = lead.distribution_followup_deadline
        # six calendar days later, Thursday: not due yet
        with patch.object(
            fields.Datetime,
            "now",
            lambda *a, **k: fields.Datetime.to_datetime("2026-06-11 12:00:00"),
        ):
            self.assertFalse(self.env["crm.lead"]._cron_recycle())
        with patch.object(
            fields.Datetime,
            "now",
            lambda *a, **k: due + timedelta(hours=1),
        ):
            self.assertEqual(self.env["crm.lead"]._cron_recycle(), lead)
