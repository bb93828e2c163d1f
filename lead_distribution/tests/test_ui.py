# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_test_user(
            cls.env, "tour_seller", groups="sales_team.group_sale_salesman", name="Tom Tour"
        )
        cls.team = cls.env["crm.team"].create({"name": "Tour team"})
        cls.partner = cls.env["res.partner"].create(
            {"name": "Tour Partner GmbH", "is_company": True, "email": "tour@example.com"}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Tina Tour", "parent_id": cls.partner.id, "email": "tina@example.com"}
        )
        cls.portal = new_test_user(
            cls.env, "tour_portal", groups="base.group_portal", partner_id=cls.contact.id
        )
        cls.pool = cls.env["lead.distribution.pool"].create(
            {
                "name": "Tour pool",
                "team_ids": [(6, 0, cls.team.ids)],
                "min_grade": False,
                "require_ready": False,
                "member_ids": [
                    (0, 0, {"channel": "direct", "user_id": cls.seller.id}),
                    (0, 0, {"channel": "partner", "partner_id": cls.partner.id}),
                ],
            }
        )
        cls.leads = (
            cls.env["crm.lead"]
            .with_context(lead_distribution_no_auto=True)
            .create(
                [
                    {"name": name, "type": "lead", "team_id": cls.team.id, "user_id": False}
                    for name in ("Tour Lead One", "Tour Lead Two")
                ]
            )
        )

    def test_tour_distribute_from_lead_list(self):
        list_view = self.env.ref("crm.crm_case_tree_view_leads")
        action = self.env["ir.actions.act_window"].create(
            {
                "name": "Tour leads",
                "res_model": "crm.lead",
                "view_mode": "list,form",
                "view_id": list_view.id,
                "domain": [("name", "like", "Tour Lead")],
            }
        )
        self.start_tour(f"/odoo/action-{action.id}", "lead_distribution_tour", login="admin")
        self.assertEqual(set(self.leads.mapped("distribution_state")), {"assigned", "offered"})
        self.assertEqual(self.leads.filtered("user_id").user_id, self.seller)
        self.assertEqual(self.leads.filtered("channel_partner_id").channel_partner_id, self.partner)

    def test_portal_accept_and_decline(self):
        self.pool.member_ids.filtered(lambda m: m.channel == "direct").available = False
        self.pool.action_distribute()
        one, two = self.leads
        self.assertEqual(set(self.leads.mapped("distribution_state")), {"offered"})
        self.authenticate("tour_portal", "tour_portal")
        page = self.url_open("/my/offered-leads")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Tour Lead One", page.text)
        self.assertIn("Tour Lead Two", page.text)
        home = self.url_open("/my")
        self.assertEqual(home.status_code, 200)
        data = {"csrf_token": http.Request.csrf_token(self)}
        response = self.url_open(f"/my/offered-leads/{one.id}/accept", data=data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("The lead is yours now", response.text)
        self.assertEqual(one.distribution_state, "accepted")
        # no reason: refused, nothing changed
        response = self.url_open(f"/my/offered-leads/{two.id}/decline", data={**data, "reason": ""})
        self.assertEqual(two.distribution_state, "offered")
        self.pool.member_ids.filtered(lambda m: m.channel == "direct").available = True
        response = self.url_open(
            f"/my/offered-leads/{two.id}/decline", data={**data, "reason": "Too far away"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(two.user_id, self.seller, "redistributed to direct sales")
        self.assertEqual(
            two.distribution_log_ids.filtered(lambda log: log.event == "declined").decline_reason,
            "Too far away",
        )
        # other companies' leads are not shown nor answerable
        page = self.url_open("/my/offered-leads")
        self.assertNotIn("Tour Lead Two", page.text)
