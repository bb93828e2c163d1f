# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged


class DataMaintenanceCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "data_maintenance_points_completed": 2,
                "data_maintenance_points_corrected": 3,
                "data_maintenance_points_verified": 1,
                "data_maintenance_free_rider_min_leads": 5,
                "data_maintenance_free_rider_share": 50.0,
            }
        )
        cls.salesman = new_test_user(
            cls.env, "dm_sales", groups="sales_team.group_sale_salesman", name="DM Sales"
        )
        cls.salesman2 = new_test_user(
            cls.env, "dm_sales2", groups="sales_team.group_sale_salesman", name="DM Sales 2"
        )
        cls.manager = new_test_user(
            cls.env, "dm_manager", groups="sales_team.group_sale_manager", name="DM Manager"
        )
        cls.steward = new_test_user(
            cls.env, "dm_steward", groups="sales_team.group_sale_salesman", name="DM Steward"
        )
        cls.Act = cls.env["lead.data.maintenance"]
        cls.today = fields.Date.context_today(cls.Act)

    def _acts(self, records):
        return self.Act.sudo().search(
            [("res_model", "=", records._name), ("res_id", "in", records.ids)], order="id"
        )

    def _lead(self, **vals):
        return self.env["crm.lead"].create({"name": "DM lead", "user_id": False, **vals})


@tagged("post_install", "-at_install")
class TestDataMaintenanceActs(DataMaintenanceCase):
    def test_completed_act(self):
        lead = self._lead()
        lead.with_user(self.salesman).write({"city": "Köln"})
        act = self._acts(lead)
        self.assertEqual(len(act), 1)
        self.assertEqual(
            (act.user_id, act.field_name, act.kind, act.points, act.date, act.company_id),
            (self.salesman, "city", "completed", 2, self.today, self.company),
        )
        self.assertEqual(act.res_name, lead.display_name)
        self.assertEqual(act.field_label, "City")

    def test_corrected_act_and_many2one(self):
        lead = self._lead(city="Kln", country_id=self.env.ref("base.de").id)
        lead.with_user(self.salesman).write(
            {"city": "Köln", "country_id": self.env.ref("base.at").id}
        )
        acts = self._acts(lead)
        self.assertEqual(
            sorted(acts.mapped(lambda a: (a.field_name, a.kind, a.points))),
            [("city", "corrected", 3), ("country_id", "corrected", 3)],
        )

    def test_partner_completed_and_corrected(self):
        partner = self.env["res.partner"].create({"name": "DM Contact", "email": "old@x.de"})
        partner.with_user(self.salesman).write({"email": "new@x.de", "vat": "DE123456789"})
        self.assertEqual(
            sorted(self._acts(partner).mapped(lambda a: (a.field_name, a.kind))),
            [("email", "corrected"), ("vat", "completed")],
        )

    def test_no_act_for_clearing_same_value_or_unmaintained_field(self):
        lead = self._lead(city="Köln")
        lead.with_user(self.salesman).write({"city": "Köln", "description": "<p>note</p>"})
        lead.with_user(self.salesman).write({"city": False, "name": "Renamed"})
        self.assertFalse(self._acts(lead))

    def test_maintained_fields_are_configurable(self):
        lead = self._lead()
        self.company.data_maintenance_lead_field_ids = self.env["ir.model.fields"]._get(
            "crm.lead", "zip"
        )
        lead.with_user(self.salesman).write({"city": "Köln", "zip": "50667"})
        self.assertEqual(self._acts(lead).mapped("field_name"), ["zip"])

    def test_verified_button_on_lead_and_contact(self):
        # due (stale / never verified) and the salesman's own records: credited
        lead = self._lead(
            user_id=self.salesman.id, data_verified_date=self.today - timedelta(days=400)
        )
        partner = self.env["res.partner"].create(
            {"name": "DM Contact", "user_id": self.salesman.id}
        )
        self.assertIs(lead.with_user(self.salesman).action_mark_data_verified(), True)
        self.assertIs(partner.with_user(self.salesman).action_mark_data_verified(), True)
        self.assertEqual(lead.data_verified_date, self.today)
        self.assertEqual(partner.data_verified_date, self.today)
        for record in (lead, partner):
            act = self._acts(record)
            self.assertEqual(
                (act.kind, act.points, act.user_id, act.field_name),
                ("verified", 1, self.salesman, "data_verified_date"),
            )

    def test_back_dating_the_verification_earns_nothing(self):
        partner = self.env["res.partner"].create({"name": "DM Contact"})
        partner.with_user(self.salesman).write(
            {"data_verified_date": self.today - timedelta(days=3)}
        )
        self.assertFalse(self._acts(partner))

    def test_points_follow_settings(self):
        self.company.data_maintenance_points_completed = 7
        lead = self._lead()
        lead.with_user(self.salesman).write({"phone": "+49 221 123456"})
        self.assertEqual(self._acts(lead).points, 7)

    def test_day_limit_repeat_and_revert(self):
        # unassigned (both salespeople may write it), the salesman is its data steward
        lead = self._lead(
            city="Bonn",
            data_steward_id=self.salesman.id,
            data_verified_date=self.today - timedelta(400),
        )
        as_user = lead.with_user(self.salesman)
        as_user.write({"city": "Köln"})
        as_user.write({"city": "Bonn"})  # revert
        as_user.write({"city": "Köln"})  # repeat
        as_user.action_mark_data_verified()
        as_user.action_mark_data_verified()
        self.assertEqual(sorted(self._acts(lead).mapped("kind")), ["corrected", "verified"])
        # another user is credited separately
        lead.with_user(self.salesman2).write({"city": "Aachen"})
        self.assertEqual(len(self._acts(lead)), 3)
        # the next day the limit starts again
        with freeze_time(fields.Date.today() + timedelta(days=1)):
            as_user.write({"city": "Bonn"})
        self.assertEqual(len(self._acts(lead).filtered(lambda a: a.user_id == self.salesman)), 3)

    def test_day_limit_within_one_batch(self):
        leads = self._lead() | self._lead()
        leads.with_user(self.salesman).write({"city": "Köln"})
        self.assertEqual(len(self._acts(leads)), 2)
        leads.with_user(self.salesman).write({"city": "Bonn"})
        self.assertEqual(len(self._acts(leads)), 2)


@tagged("post_install", "-at_install")
class TestDataMaintenanceNoCredit(DataMaintenanceCase):
    def test_superuser_and_sudo_writes(self):
        lead = self._lead()
        lead.write({"city": "Köln"})  # test env is the superuser
        lead.with_user(self.salesman).sudo().write({"zip": "50667"})
        self.assertFalse(self._acts(lead))

    def test_record_creation(self):
        partner = self.env["res.partner"].create({"name": "DM Company", "is_company": True})
        partner = partner.with_user(self.salesman)
        child = (
            self.env["res.partner"]
            .with_user(self.salesman)
            .create({"name": "DM Child", "email": "c@x.de", "parent_id": partner.id})
        )
        lead = (
            self.env["crm.lead"]
            .with_user(self.salesman)
            .create({"name": "DM", "city": "Köln", "partner_id": child.id, "email_from": "n@x.de"})
        )
        self.assertFalse(self._acts(lead))
        self.assertFalse(self._acts(partner | child))
        # records returned by create are not stuck without credit
        lead.write({"zip": "50667"})
        self.assertEqual(self._acts(lead).field_name, "zip")

    def test_lead_write_does_not_credit_the_contact_twice(self):
        partner = self.env["res.partner"].create({"name": "DM Contact", "email": "a@x.de"})
        lead = self._lead(partner_id=partner.id)
        lead.with_user(self.salesman).write({"email_from": "b@x.de"})
        self.assertEqual(partner.email, "b@x.de")
        self.assertEqual(self._acts(lead).field_name, "email_from")
        self.assertFalse(self._acts(partner))

    def test_import(self):
        lead = self._lead()
        result = (
            self.env["crm.lead"]
            .with_user(self.salesman)
            .with_context(import_file=True)
            .load([".id", "city"], [[str(lead.id), "Köln"]])
        )
        self.assertFalse(result["messages"])
        self.assertEqual(lead.city, "Köln")
        self.assertFalse(self._acts(lead))

    def test_install_mode(self):
        lead = self._lead()
        lead.with_user(self.salesman).with_context(install_mode=True).write({"city": "Köln"})
        self.assertFalse(self._acts(lead))

    def test_lead_merge(self):
        head = self._lead(type="opportunity", probability=90)
        tail = self._lead(type="opportunity", probability=10, city="Köln", phone="+49 221 1")
        merged = (head | tail).with_user(self.salesman).merge_opportunity(auto_unlink=False)
        self.assertEqual(merged, head)
        self.assertEqual(head.city, "Köln")
        self.assertFalse(self._acts(head | tail))
        # the merged lead is credited normally afterwards
        merged.write({"zip": "50667"})
        self.assertEqual(self._acts(head).field_name, "zip")

    def test_partner_merge(self):
        admin = self.env.ref("base.user_admin")
        dst = self.env["res.partner"].create({"name": "DM Dup", "email": "dup@x.de"})
        src = self.env["res.partner"].create(
            {"name": "DM Dup", "email": "dup@x.de", "city": "Köln", "vat": "DE1"}
        )
        wizard = self.env["base.partner.merge.automatic.wizard"].with_user(admin)
        wizard._merge((dst | src).ids, dst.with_user(admin))
        self.assertEqual(dst.city, "Köln")
        self.assertFalse(self._acts(dst))

    def test_server_action(self):
        lead = self._lead()
        action = self.env["ir.actions.server"].create(
            {
                "name": "DM set city",
                "model_id": self.env["ir.model"]._get_id("crm.lead"),
                "state": "code",
                "code": "records.write({'city': 'Köln'})",
            }
        )
        action.with_user(self.salesman).with_context(
            active_model="crm.lead", active_ids=lead.ids, active_id=lead.id
        ).run()
        self.assertEqual(lead.city, "Köln")
        self.assertFalse(self._acts(lead))

    def test_cron(self):
        lead = self._lead()
        cron = self.env["ir.cron"].create(
            {
                "name": "DM cron",
                "model_id": self.env["ir.model"]._get_id("crm.lead"),
                "state": "code",
                "code": f"model.browse({lead.id}).write({{'city': 'Köln'}})",
                "user_id": self.salesman.id,
                "interval_type": "days",
            }
        )
        # what the scheduler runs (ir.cron._callback, which commits on Odoo 19.0): the cron's
        # server action as the cron's user
        cron.ir_actions_server_id.with_user(self.salesman).run()
        self.assertEqual(lead.city, "Köln")
        self.assertFalse(self._acts(lead))
        # a job run by the scheduler carries cron_id in its context
        lead.with_user(self.salesman).with_context(cron_id=cron.id).write({"zip": "1"})
        self.assertFalse(self._acts(lead))

    def test_own_contact_card(self):
        self.salesman.partner_id.with_user(self.salesman).write({"city": "Köln"})
        self.assertFalse(self._acts(self.salesman.partner_id))

    def test_only_internal_users_are_credited(self):
        portal = new_test_user(self.env, "dm_portal", groups="base.group_portal")
        partner = self.env["res.partner"].create({"name": "DM"})
        creditable = self.env["lead.data.maintenance"]._is_creditable_env
        self.assertFalse(creditable(partner.with_user(portal).env))
        self.assertTrue(creditable(partner.with_user(self.salesman).env))


@tagged("post_install", "-at_install")
class TestDataMaintenanceAccess(DataMaintenanceCase):
    def test_users_cannot_create_edit_delete_acts(self):
        lead = self._lead()
        lead.with_user(self.salesman).write({"city": "Köln"})
        act = self._acts(lead)
        for user in (self.salesman, self.manager):
            with self.assertRaises(AccessError):
                self.Act.with_user(user).create(
                    {
                        "user_id": user.id,
                        "res_model": "crm.lead",
                        "res_id": lead.id,
                        "field_name": "zip",
                        "kind": "completed",
                        "points": 100,
                    }
                )
            with self.assertRaises(AccessError):
                act.with_user(user).write({"points": 100})
            with self.assertRaises(AccessError):
                act.with_user(user).unlink()

    def test_users_see_own_acts_managers_all(self):
        lead = self._lead()
        lead.with_user(self.salesman).write({"city": "Köln"})
        lead.with_user(self.salesman2).write({"zip": "50667"})
        domain = [("res_id", "=", lead.id), ("res_model", "=", "crm.lead")]
        self.assertEqual(self.Act.with_user(self.salesman).search(domain).user_id, self.salesman)
        self.assertEqual(len(self.Act.with_user(self.manager).search(domain)), 2)
        self.assertEqual(lead.with_user(self.salesman).data_maintenance_count, 1)
        self.assertEqual(lead.with_user(self.manager).data_maintenance_count, 2)
        board = self.env["lead.maintenance.scoreboard"]
        self.env.flush_all()
        self.assertEqual(board.with_user(self.salesman).search([]).user_id, self.salesman)
        self.assertLessEqual(
            self.salesman | self.salesman2, board.with_user(self.manager).search([]).user_id
        )

    def test_companies_apart(self):
        other = self.env["res.company"].create({"name": "DM Other Co"})
        self.Act.sudo().create(
            {
                "user_id": self.manager.id,
                "res_model": "res.partner",
                "res_id": self.manager.partner_id.id,
                "field_name": "city",
                "kind": "completed",
                "points": 2,
                "company_id": other.id,
            }
        )
        acts = self.Act.with_user(self.manager).search([("company_id", "=", other.id)])
        self.assertFalse(acts)
        self.manager.write({"company_ids": [Command.link(other.id)]})
        acts = (
            self.Act.with_user(self.manager)
            .with_context(allowed_company_ids=[self.company.id, other.id])
            .search([("company_id", "=", other.id)])
        )
        self.assertEqual(len(acts), 1)


@tagged("post_install", "-at_install")
class TestDataMaintenanceSettings(DataMaintenanceCase):
    def test_out_of_range_settings_are_refused(self):
        for vals in (
            {"data_maintenance_points_completed": -1},
            {"data_maintenance_points_corrected": -5},
            {"data_maintenance_points_verified": -1},
            {"data_maintenance_free_rider_share": 101},
            {"data_maintenance_free_rider_share": -1},
            {"data_maintenance_free_rider_min_leads": -1},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self.company.write(vals)
        self.assertEqual(self.company.data_maintenance_points_completed, 2)
        self.assertEqual(self.company.data_maintenance_free_rider_share, 50.0)

    def test_settings_form(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.data_maintenance_points_corrected, 3)
        self.assertIn("email", settings.data_maintenance_partner_field_ids.mapped("name"))
        self.assertIn("email_from", settings.data_maintenance_lead_field_ids.mapped("name"))
        settings.write({"data_maintenance_points_corrected": 5})
        settings.execute()
        self.assertEqual(self.company.data_maintenance_points_corrected, 5)
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create(
                {"data_maintenance_free_rider_share": 150}
            ).execute()
