# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What a distribution produces on a lead is what Odoo's own write of the salesperson and team
produces (tracking on, as in production): the reference is a twin lead written by hand."""

from unittest.mock import patch

from odoo.addons.lead_quality.lib.odoo_compat import crm_lead_class
from odoo.tests import TransactionCase, new_test_user, tagged

CrmLead = crm_lead_class()


@tagged("post_install", "-at_install")
class TestDistributionContract(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # tracking as in production, whatever the suite's default
        cls.env = cls.env(
            context={
                key: value
                for key, value in cls.env.context.items()
                if key not in ("tracking_disable", "mail_notrack")
            }
        )
        cls.manager = new_test_user(
            cls.env, "contract_manager", groups="sales_team.group_sale_manager", name="Cora Boss"
        )
        cls.seller = new_test_user(
            cls.env,
            "contract_seller",
            groups="sales_team.group_sale_salesman",
            name="Carl Seller",
            notification_type="inbox",
        )
        cls.pool_team = cls.env["crm.team"].create({"name": "Contract pool team"})
        cls.seller_team = cls.env["crm.team"].create({"name": "Contract seller team"})
        cls.hand_team = cls.env["crm.team"].create({"name": "Contract hand team"})
        cls.partner = cls.env["res.partner"].create(
            {"name": "Nordlicht Vertrieb GmbH", "is_company": True, "email": "nord@example.com"}
        )
        cls.pool = cls.env["lead.distribution.pool"].create(
            {
                "name": "Contract pool",
                "user_id": cls.manager.id,
                "team_ids": [(6, 0, cls.pool_team.ids)],
                "min_grade": False,
                "require_ready": False,
                "member_ids": [
                    (0, 0, {"user_id": cls.seller.id, "team_id": cls.seller_team.id}),
                ],
            }
        )

    def _lead(self, name, team, **vals):
        return self.env["crm.lead"].create(
            {"name": name, "type": "lead", "team_id": team.id, "user_id": False, **vals}
        )

    def _pair(self):
        """A lead the pool distributes, and its twin assigned by hand through the ORM."""
        lead = self._lead("Distributed lead", self.pool_team)
        twin = self._lead("Hand-assigned twin", self.hand_team)
        return lead, twin

    def _assign_by_hand(self, twin):
        twin.write({"user_id": self.seller.id, "team_id": self.seller_team.id})
        # Odoo posts its tracking when the transaction commits
        self.env.flush_all()
        self.env.cr.precommit.run()

    def test_tracking_values_of_salesperson_and_team(self):
        lead, twin = self._pair()
        self.pool.with_user(self.manager).action_distribute()
        self._assign_by_hand(twin)
        for record in (lead, twin):
            values = record.message_ids.tracking_value_ids
            tracked = {value.field_id.name: value for value in values}
            self.assertIn("user_id", tracked, record.name)
            self.assertIn("team_id", tracked, record.name)
            self.assertEqual(tracked["user_id"].new_value_char, self.seller.name)
            self.assertEqual(tracked["team_id"].new_value_char, self.seller_team.name)
        # the reason and the tracking values come in one message, authored by the user
        message = lead.message_ids.filtered("tracking_value_ids")
        self.assertEqual(len(message), 1)
        self.assertIn("went to Carl Seller", message.body)
        self.assertEqual(message.author_id, self.manager.partner_id)
        self.assertIn("distribution_state", message.tracking_value_ids.field_id.mapped("name"))
        # reply-to as Odoo's own notes by the same author have it
        note = twin.with_user(self.manager).sudo()._message_log(body="reference note")
        self.assertEqual(message.reply_to, note.reply_to)

    def test_salesperson_follows_with_default_subtypes(self):
        lead, twin = self._pair()
        self.pool.with_user(self.manager).action_distribute()
        self._assign_by_hand(twin)
        partner = self.seller.partner_id
        ours = lead.message_follower_ids.filtered(lambda f: f.partner_id == partner)
        odoo = twin.message_follower_ids.filtered(lambda f: f.partner_id == partner)
        self.assertTrue(odoo.subtype_ids, "the reference has subtypes")
        self.assertEqual(ours.subtype_ids, odoo.subtype_ids)

    def test_write_overrides_and_automations_run(self):
        tag = self.env["crm.tag"].create({"name": "Salesperson changed"})
        field = self.env["ir.model.fields"]._get("crm.lead", "user_id")
        self.env["base.automation"].create(
            {
                "name": "Tag leads whose salesperson changes",
                "model_id": field.model_id.id,
                "trigger": "on_create_or_write",
                "trigger_field_ids": [(6, 0, field.ids)],
                "action_server_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Tag",
                            "model_id": field.model_id.id,
                            "state": "code",
                            "code": f"records.write({{'tag_ids': [(4, {tag.id})]}})",
                        },
                    )
                ],
            }
        )
        leads = self._lead("Automated 1", self.pool_team) | self._lead(
            "Automated 2", self.pool_team
        )
        written = []
        original = CrmLead.write

        def spy(records, vals):
            written.append((set(records.ids), dict(vals)))
            return original(records, vals)

        with patch.object(CrmLead, "write", autospec=True, side_effect=spy):
            self.pool.with_user(self.manager).action_distribute()
        self.assertEqual(leads.tag_ids, tag, "the automation ran for every distributed lead")
        reached = set().union(*(ids for ids, vals in written if vals.get("user_id")))
        self.assertEqual(reached, set(leads.ids), "crm's own write() was called for them")

    def test_activities_notified(self):
        lead = self._lead("Activity lead", self.pool_team)
        with patch.object(type(self.env["res.users"]), "_bus_send", autospec=True) as bus:
            self.pool.with_user(self.manager).action_distribute()
        activity = lead.activity_ids
        self.assertEqual(activity.user_id, self.seller)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("lead_distribution.mail_activity_type_follow_up"),
        )
        notified = self.env["mail.message"].search(
            [
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", self.seller.partner_id.ids),
            ]
        )
        self.assertEqual(len(notified), 1)
        self.assertIn("Activity lead", notified.body)
        self.assertTrue(
            notified.notification_ids.filtered(
                lambda n: n.res_partner_id == self.seller.partner_id
                and n.notification_type == "inbox"
            )
        )
        calls = [(users, args) for users, *args in (c.args for c in bus.call_args_list)]
        self.assertTrue(
            any(
                self.seller in users and args[0] == "mail.activity/updated" for users, args in calls
            ),
            calls,
        )

    def test_partner_mail_from_template_in_partner_language(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(["lead_distribution"], ["de_DE"])
        self.partner.lang = "de_DE"
        self.pool.member_ids = [(0, 0, {"channel": "partner", "partner_id": self.partner.id})]
        self.pool.member_ids.filtered("user_id").available = False
        lead = self._lead("Angebot Hamburg", self.pool_team, city="Hamburg")
        self.pool.with_user(self.manager).action_distribute()
        self.assertEqual(lead.distribution_state, "offered")
        mail = self.env["mail.mail"].search([("recipient_ids", "in", self.partner.ids)])
        self.assertEqual(len(mail), 1)
        self.assertIn("Angebot Hamburg", mail.body_html)
        self.assertIn("Guten Tag", mail.body_html)
        self.assertIn("/my/offered-leads", mail.body_html)
        self.assertIn("angeboten", mail.subject)

    def test_bounded_queries_with_tracking(self):
        """Tracking on: distributing ten times the leads costs a few more queries, not ten
        times as many (everything is written per group of leads, not per lead)."""
        counts = []
        for size in (4, 40):
            leads = self.env["crm.lead"].create(
                [
                    {"name": f"Bulk {size} {i}", "team_id": self.pool_team.id, "user_id": False}
                    for i in range(size)
                ]
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.pool.sudo()._distribute(leads, trigger="test")
            self.env.flush_all()
            counts.append(self.cr.sql_log_count - before)
            self.assertEqual(leads.user_id, self.seller)
        small, large = counts
        self.assertLessEqual(large, small + 20, counts)

    def test_leads_nobody_can_take_are_reported(self):
        germany = self.env.ref("base.de")
        self.pool.member_ids.country_ids = germany
        french = self._lead(
            "Lead from France", self.pool_team, country_id=self.env.ref("base.fr").id
        )
        self.pool.with_user(self.manager).action_distribute()
        self.assertFalse(french.user_id)
        self.assertTrue(french.distribution_blocked)
        waiting = self.env.ref("lead_distribution.mail_activity_type_waiting")
        activity = self.pool.activity_ids.filtered(lambda a: a.activity_type_id == waiting)
        self.assertEqual(activity.user_id, self.manager)
        # a second run reminds nobody twice
        self._lead("Another French lead", self.pool_team, country_id=self.env.ref("base.fr").id)
        self.pool.with_user(self.manager).action_distribute()
        self.assertEqual(
            len(self.pool.activity_ids.filtered(lambda a: a.activity_type_id == waiting)), 1
        )
        # once someone can take it, it is no longer flagged
        self.pool.member_ids.country_ids = False
        self.pool.with_user(self.manager).action_distribute()
        self.assertEqual(french.user_id, self.seller)
        self.assertFalse(french.distribution_blocked)

    def test_chunks_keep_fairness_across_them(self):
        other = new_test_user(
            self.env, "contract_seller2", groups="sales_team.group_sale_salesman", name="Cleo"
        )
        self.pool.member_ids = [(0, 0, {"user_id": other.id})]
        self.env["ir.config_parameter"].sudo().set_param("lead_distribution.chunk_size", "3")
        leads = self.env["crm.lead"].create(
            [
                {"name": f"Chunked {i}", "team_id": self.pool_team.id, "user_id": False}
                for i in range(7)
            ]
        )
        count = self.pool.with_user(self.manager)._distribute_pending("test")
        self.assertEqual(count, 7)
        per_user = {
            user: len(leads.filtered(lambda lead, u=user: lead.user_id == u))
            for user in (self.seller, other)
        }
        self.assertEqual(sorted(per_user.values()), [3, 4], per_user)
        logs = self.env["lead.distribution.log"].search([("lead_id", "in", leads.ids)])
        self.assertEqual(len(logs), 7)

    def test_chunked_run_tells_each_partner_and_salesperson_once(self):
        """A run of several chunks writes each partner one e-mail (listing all the leads it
        was offered) and each salesperson one notification, at the end of the run."""
        self.pool.member_ids = [(0, 0, {"channel": "partner", "partner_id": self.partner.id})]
        self.env["ir.config_parameter"].sudo().set_param("lead_distribution.chunk_size", "2")
        leads = self.env["crm.lead"].create(
            [
                {"name": f"Chunk lead {i}", "team_id": self.pool_team.id, "user_id": False}
                for i in range(8)
            ]
        )
        self.assertEqual(self.pool.with_user(self.manager)._distribute_pending("test"), 8)
        offered = leads.filtered(lambda lead: lead.distribution_state == "offered")
        direct = leads.filtered(lambda lead: lead.user_id == self.seller)
        self.assertTrue(offered)
        self.assertTrue(direct)
        mail = self.env["mail.mail"].search([("recipient_ids", "in", self.partner.ids)])
        self.assertEqual(len(mail), 1)
        for lead in offered:
            self.assertIn(lead.name, mail.body_html)
        notified = self.env["mail.message"].search(
            [
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", self.seller.partner_id.ids),
            ]
        )
        self.assertEqual(len(notified), 1)
        for lead in direct:
            self.assertIn(lead.name, notified.body)

    def test_notification_names_the_first_leads_and_counts_the_others(self):
        leads = self.env["crm.lead"].create(
            [
                {"name": f"Many lead {i:02d}", "team_id": self.pool_team.id, "user_id": False}
                for i in range(25)
            ]
        )
        self.pool.with_user(self.manager).action_distribute()
        self.assertEqual(leads.user_id, self.seller)
        notified = self.env["mail.message"].search(
            [
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", self.seller.partner_id.ids),
            ]
        )
        self.assertEqual(len(notified), 1)
        self.assertIn("25 lead(s)", notified.body)
        named = [lead for lead in leads if lead.name in notified.body]
        self.assertEqual(len(named), 20)
        self.assertIn("and 5 more in your pipeline", notified.body)
