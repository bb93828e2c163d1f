# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Maintenance credit only for real work: due and own verifications, bounded bulk edits."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..lib import data_maintenance as dm
from ..models.lead_data_maintenance import NO_CREDIT_CONTEXT_KEYS
from .test_data_maintenance import DataMaintenanceCase


@tagged("post_install", "-at_install")
class TestVerificationCredit(DataMaintenanceCase):
    def _stale(self, **vals):
        return self._lead(data_verified_date=self.today - timedelta(days=400), **vals)

    def test_one_click_over_fresh_leads_earns_nothing(self):
        leads = self.env["crm.lead"].create(
            [{"name": f"DM fresh {i}", "user_id": self.salesman.id} for i in range(20)]
        )
        self.assertEqual(set(leads.mapped("data_verified_date")), {self.today})
        result = leads.with_user(self.salesman).action_mark_data_verified()
        self.assertFalse(self._acts(leads))
        # the data is confirmed all the same, and the user is told why no points came
        self.assertEqual(set(leads.mapped("data_verified_date")), {self.today})
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn("20 records", result["params"]["message"])
        self.assertEqual(result["params"]["next"], {"type": "ir.actions.act_window_close"})

    def test_verifying_others_records_earns_nothing(self):
        # a manager may verify a salesperson's lead, but it is not theirs to maintain
        lead = self._stale(user_id=self.salesman.id)
        result = lead.with_user(self.manager).action_mark_data_verified()
        self.assertEqual(lead.data_verified_date, self.today)
        self.assertFalse(self._acts(lead))
        self.assertIn("without maintenance points", result["params"]["message"])
        # an unassigned lead with another data steward
        stewarded = self._stale(data_steward_id=self.steward.id)
        stewarded.with_user(self.salesman).action_mark_data_verified()
        self.assertEqual(stewarded.data_verified_date, self.today)
        self.assertFalse(self._acts(stewarded))

    def test_salesperson_and_data_steward_are_credited(self):
        own = self._stale(user_id=self.salesman.id)
        stewarded = self._stale(data_steward_id=self.steward.id)
        own.with_user(self.salesman).action_mark_data_verified()
        stewarded.with_user(self.steward).action_mark_data_verified()
        self.assertEqual(self._acts(own).mapped("user_id"), self.salesman)
        self.assertEqual(self._acts(stewarded).mapped("user_id"), self.steward)
        self.assertEqual(self._acts(own | stewarded).mapped("kind"), ["verified", "verified"])

    def test_contact_responsibility_and_due(self):
        Partner = self.env["res.partner"]
        company = Partner.create({"name": "DM Co", "is_company": True, "user_id": self.salesman.id})
        person = Partner.create({"name": "DM Person", "parent_id": company.id})
        stewarded = Partner.create({"name": "DM Stewarded", "data_steward_id": self.steward.id})
        foreign = Partner.create({"name": "DM Foreign", "user_id": self.salesman2.id})
        (company | person | foreign).with_user(self.salesman).action_mark_data_verified()
        stewarded.with_user(self.steward).action_mark_data_verified()
        # never verified: due; the company's salesperson answers for its contact persons
        self.assertEqual(
            self._acts(company | person | foreign | stewarded).mapped(
                lambda act: (act.res_id, act.user_id)
            ),
            [
                (company.id, self.salesman),
                (person.id, self.salesman),
                (stewarded.id, self.steward),
            ],
        )
        # verified today: no longer due, for nobody
        company.data_steward_id = self.steward
        company.with_user(self.steward).action_mark_data_verified()
        self.assertEqual(len(self._acts(company)), 1)

    def test_due_follows_the_freshness_setting(self):
        lead = self._lead(
            user_id=self.salesman.id, data_verified_date=self.today - timedelta(days=100)
        )
        lead.with_user(self.salesman).action_mark_data_verified()
        self.assertFalse(self._acts(lead))
        self.company.lead_quality_freshness_days = 30
        lead.data_verified_date = self.today - timedelta(days=100)
        lead.with_user(self.salesman).action_mark_data_verified()
        self.assertEqual(self._acts(lead).kind, "verified")

    def test_moving_the_date_back_does_not_make_a_record_due_again(self):
        lead = self._stale(user_id=self.salesman.id)
        lead.with_user(self.salesman).action_mark_data_verified()
        self.assertEqual(len(self._acts(lead)), 1)
        with freeze_time(fields.Date.today() + timedelta(days=1)):
            as_user = lead.with_user(self.salesman)
            as_user.write({"data_verified_date": self.today - timedelta(days=900)})
            as_user.action_mark_data_verified()
        self.assertEqual(len(self._acts(lead)), 1)

    def test_forward_dating_is_no_verification(self):
        lead = self._stale(user_id=self.salesman.id)
        lead.with_user(self.salesman).write({"data_verified_date": self.today + timedelta(days=5)})
        self.assertFalse(self._acts(lead))


@tagged("post_install", "-at_install")
class TestBulkEditCredit(DataMaintenanceCase):
    def _leads(self, count, **vals):
        return self.env["crm.lead"].create(
            [{"name": f"DM bulk {i}", "user_id": False, **vals} for i in range(count)]
        )

    def test_bulk_edit_credits_at_most_the_daily_limit(self):
        self.company.data_maintenance_bulk_daily_limit = 5
        leads = self._leads(8)
        leads.with_user(self.salesman).write({"city": "Köln"})
        acts = self._acts(leads)
        self.assertEqual(len(acts), 5)
        self.assertTrue(all(acts.mapped("is_bulk")))
        self.assertEqual(sum(acts.mapped("points")), 10)
        # the limit is per day: a second bulk edit earns nothing more today
        leads[:3].with_user(self.salesman).write({"zip": "50667"})
        self.assertEqual(len(self._acts(leads)), 5)
        # edits of one record at a time are not limited
        leads[7].with_user(self.salesman).write({"zip": "50667"})
        single = self._acts(leads[7])
        self.assertEqual(single.mapped("is_bulk"), [False])
        # another user has a limit of their own
        leads.with_user(self.salesman2).write({"city": "Bonn"})
        self.assertEqual(len(self._acts(leads).filtered(lambda a: a.user_id == self.salesman2)), 5)
        # the next day the limit starts again
        with freeze_time(fields.Date.today() + timedelta(days=1)):
            leads.with_user(self.salesman).write({"city": "Aachen"})
        self.assertEqual(len(self._acts(leads).filtered(lambda a: a.user_id == self.salesman)), 11)

    def test_zero_limit_bulk_edits_earn_nothing(self):
        self.company.data_maintenance_bulk_daily_limit = 0
        leads = self._leads(3)
        leads.with_user(self.salesman).write({"city": "Köln"})
        self.assertFalse(self._acts(leads))
        leads[0].with_user(self.salesman).write({"zip": "50667"})
        self.assertEqual(self._acts(leads).field_name, "zip")

    def test_acts_already_credited_do_not_use_up_the_limit(self):
        self.company.data_maintenance_bulk_daily_limit = 2
        leads = self._leads(4)
        for lead in leads[:2]:
            lead.with_user(self.salesman).write({"city": "Köln"})
        leads.with_user(self.salesman).write({"city": "Bonn"})
        acts = self._acts(leads)
        self.assertEqual(
            sorted(acts.mapped(lambda a: (a.res_id, a.is_bulk))),
            sorted(
                [
                    (leads[0].id, False),
                    (leads[1].id, False),
                    (leads[2].id, True),
                    (leads[3].id, True),
                ]
            ),
        )

    def test_bulk_verification_counts_against_the_limit(self):
        self.company.data_maintenance_bulk_daily_limit = 3
        leads = self._leads(
            5, user_id=self.salesman.id, data_verified_date=self.today - timedelta(days=400)
        )
        result = leads.with_user(self.salesman).action_mark_data_verified()
        self.assertEqual(len(self._acts(leads)), 3)
        self.assertIn("2 of the 5 records", result["params"]["message"])
        self.assertEqual(set(leads.mapped("data_verified_date")), {self.today})

    def test_limit_setting(self):
        self.assertEqual(
            self.env["res.company"].create({"name": "DM New Co"}).data_maintenance_bulk_daily_limit,
            dm.DEFAULT_BULK_DAILY_LIMIT,
        )
        with self.assertRaises(ValidationError):
            self.company.data_maintenance_bulk_daily_limit = -1
        settings = self.env["res.config.settings"].create({})
        settings.data_maintenance_bulk_daily_limit = 7
        settings.execute()
        self.assertEqual(self.company.data_maintenance_bulk_daily_limit, 7)


@tagged("post_install", "-at_install")
class TestCreditNeverFromContext(DataMaintenanceCase):
    """Context keys may only take credit away: no key a client sends grants credit or points."""

    def test_points_come_from_the_records_company(self):
        other = self.env["res.company"].create(
            {"name": "DM Rich Co", "data_maintenance_points_completed": 50}
        )
        self.salesman.write({"company_ids": [Command.link(other.id)]})
        lead = self._lead(company_id=self.company.id)
        lead.with_user(self.salesman).with_context(
            allowed_company_ids=[other.id, self.company.id]
        ).write({"city": "Köln"})
        act = self._acts(lead)
        self.assertEqual((act.points, act.company_id), (2, self.company))

    def test_maintained_fields_come_from_the_records_company(self):
        other = self.env["res.company"].create({"name": "DM Wide Co"})
        other.data_maintenance_lead_field_ids |= self.env["ir.model.fields"]._get(
            "crm.lead", "description"
        )
        self.salesman.write({"company_ids": [Command.link(other.id)]})
        lead = self._lead(company_id=self.company.id)
        lead.with_user(self.salesman).with_context(
            allowed_company_ids=[other.id, self.company.id]
        ).write({"description": "<p>More</p>"})
        self.assertFalse(self._acts(lead))

    @freeze_time("2026-03-02 12:00:00")
    def test_context_time_zone_does_not_move_the_day(self):
        lead = self._lead()
        lead.with_user(self.salesman).with_context(tz="Pacific/Kiritimati").write({"city": "A"})
        lead.with_user(self.salesman).with_context(tz="Pacific/Pago_Pago").write({"city": "B"})
        act = self._acts(lead)
        self.assertEqual(len(act), 1)
        self.assertEqual(act.date, fields.Date.to_date("2026-03-02"))

    @freeze_time("2026-03-02 12:00:00")
    def test_context_time_zone_does_not_make_a_verification(self):
        lead = self._stale_lead()
        # "today" of a time zone the user is not in is no verification today
        lead.with_user(self.salesman).with_context(tz="Pacific/Kiritimati").write(
            {"data_verified_date": "2026-03-03"}
        )
        self.assertFalse(self._acts(lead))

    def _stale_lead(self):
        return self._lead(
            user_id=self.salesman.id, data_verified_date=fields.Date.to_date("2020-01-01")
        )

    def test_no_context_key_grants_credit(self):
        keys = dict.fromkeys(NO_CREDIT_CONTEXT_KEYS, False)
        fresh = self._lead(user_id=self.salesman.id)
        fresh.with_user(self.salesman).with_context(**keys).action_mark_data_verified()
        self.assertFalse(self._acts(fresh))
        with_keys = dict.fromkeys(keys, True)
        stale = self._stale_lead()
        stale.with_user(self.salesman).with_context(**with_keys).action_mark_data_verified()
        self.assertFalse(self._acts(stale))


@tagged("post_install", "-at_install")
class TestDefaultPoints(DataMaintenanceCase):
    def test_correcting_does_not_pay_more_than_completing_by_default(self):
        company = self.env["res.company"].create({"name": "DM Default Co"})
        self.assertLessEqual(
            company.data_maintenance_points_corrected, company.data_maintenance_points_completed
        )
        self.assertEqual(
            (
                company.data_maintenance_points_completed,
                company.data_maintenance_points_corrected,
                company.data_maintenance_points_verified,
            ),
            (
                dm.DEFAULT_POINTS[dm.COMPLETED],
                dm.DEFAULT_POINTS[dm.CORRECTED],
                dm.DEFAULT_POINTS[dm.VERIFIED],
            ),
        )
