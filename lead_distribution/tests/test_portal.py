# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import unittest

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

SECRET_NOTE = "Internal note: budget is flexible"


@tagged("post_install", "-at_install")
class TestPortal(HttpCase):
    """Sales partners answer under /my/offered-leads and see only what the page shows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({"name": "Portal team"})
        cls.partner, cls.other_partner = cls.env["res.partner"].create(
            [
                {"name": "Portal Partner GmbH", "is_company": True, "email": "pp@example.com"},
                {"name": "Other Partner AG", "is_company": True, "email": "op@example.com"},
            ]
        )
        cls.contact, cls.other_contact = cls.env["res.partner"].create(
            [
                {"name": "Pia Portal", "parent_id": cls.partner.id, "email": "pia@example.com"},
                {"name": "Olaf Other", "parent_id": cls.other_partner.id},
            ]
        )
        cls.portal = new_test_user(
            cls.env, "offer_portal", groups="base.group_portal", partner_id=cls.contact.id
        )
        cls.other_portal = new_test_user(
            cls.env,
            "offer_portal_other",
            groups="base.group_portal",
            partner_id=cls.other_contact.id,
        )
        cls.pool = cls.env["lead.distribution.pool"].create(
            {
                "name": "Portal pool",
                "team_ids": [(6, 0, cls.team.ids)],
                "min_grade": False,
                "require_ready": False,
                "member_ids": [
                    (0, 0, {"channel": "partner", "partner_id": cls.partner.id}),
                    (0, 0, {"channel": "partner", "partner_id": cls.other_partner.id}),
                ],
            }
        )
        cls.leads = (
            cls.env["crm.lead"]
            .with_context(lead_distribution_no_auto=True)
            .create(
                [
                    {
                        "name": name,
                        "type": "lead",
                        "team_id": cls.team.id,
                        "user_id": False,
                        "contact_name": "Carla Contact",
                        "description": f"<p>{SECRET_NOTE}</p>",
                        "expected_revenue": 987654,
                    }
                    for name in ("Offer Lead One", "Offer Lead Two")
                ]
            )
        )
        cls.pool.action_distribute()
        cls.mine = cls.leads.filtered(lambda lead: lead.channel_partner_id == cls.partner)
        cls.theirs = cls.leads - cls.mine

    def test_offered_leads_page(self):
        self.assertEqual(len(self.mine), 1)
        self.authenticate("offer_portal", "offer_portal")
        page = self.url_open("/my/offered-leads")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.mine.name, page.text)
        self.assertIn("Carla Contact", page.text)
        self.assertNotIn(self.theirs.name, page.text, "another company's lead")
        self.assertNotIn(SECRET_NOTE, page.text)
        self.assertNotIn("987", page.text)
        home = self.url_open("/my")
        self.assertEqual(home.status_code, 200)
        self.assertIn('href="/my/offered-leads"', home.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["distribution_lead_count"]}
        )
        self.assertEqual(counters["distribution_lead_count"], 1)

    def test_accept_and_decline(self):
        self.authenticate("offer_portal", "offer_portal")
        data = {"csrf_token": http.Request.csrf_token(self)}
        # another company's lead: refused, nothing changes, nothing is told about it
        response = self.url_open(f"/my/offered-leads/{self.theirs.id}/accept", data=data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("not offered to your company", response.text)
        self.assertNotIn(self.theirs.name, response.text)
        self.assertEqual(self.theirs.distribution_state, "offered")
        # no reason: refused, nothing changed
        self.url_open(f"/my/offered-leads/{self.mine.id}/decline", data={**data, "reason": ""})
        self.assertEqual(self.mine.distribution_state, "offered")
        response = self.url_open(f"/my/offered-leads/{self.mine.id}/accept", data=data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("The lead is yours now", response.text)
        self.assertEqual(self.mine.distribution_state, "accepted")
        # accepted leads stay listed, without buttons
        page = self.url_open("/my/offered-leads")
        self.assertIn(self.mine.name, page.text)
        self.assertNotIn(f"/my/offered-leads/{self.mine.id}/accept", page.text)

    def test_other_partner_declines_its_lead(self):
        self.authenticate("offer_portal_other", "offer_portal_other")
        data = {"csrf_token": http.Request.csrf_token(self)}
        response = self.url_open(
            f"/my/offered-leads/{self.theirs.id}/decline", data={**data, "reason": "Too far"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("goes back to distribution", response.text)
        declined = self.theirs.distribution_log_ids.filtered(lambda log: log.event == "declined")
        self.assertEqual(declined.decline_reason, "Too far")
        self.assertNotEqual(self.theirs.channel_partner_id, self.other_partner)

    def test_answers_need_post(self):
        self.authenticate("offer_portal", "offer_portal")
        response = self.url_open(f"/my/offered-leads/{self.mine.id}/accept")
        self.assertNotEqual(response.status_code, 200)
        self.assertEqual(self.mine.distribution_state, "offered")

    def test_no_route_of_website_crm_partner_assign_taken(self):
        """/my/leads belongs to Odoo's website_crm_partner_assign, not to us."""
        routes = {
            rule.rule
            for rule in self.env["ir.http"].routing_map().iter_rules()
            if rule.endpoint.original_endpoint.__module__.startswith(
                "odoo.addons.lead_distribution."
            )
        }
        self.assertIn("/my/offered-leads", routes)
        self.assertEqual(
            {route for route in routes if not route.startswith("/my/offered-leads")}, set()
        )

    def test_portal_users_have_no_access_to_leads(self):
        """Nothing of ours lets portal users read leads (what Odoo's own addons grant, e.g.
        website_crm_partner_assign for the leads assigned to the partner, is theirs)."""
        with self.assertRaises(AccessError):
            self.mine.with_user(self.portal).read(["description", "expected_revenue"])
        with self.assertRaises(AccessError):
            self.mine.with_user(self.portal).read(["name"])
        data = self.env["ir.model.data"].search(
            [("module", "=", "lead_distribution"), ("model", "in", ("ir.model.access", "ir.rule"))]
        )
        crm_lead = self.env["ir.model"]._get("crm.lead")
        grants = [
            self.env[model].browse(res_id)
            for model, res_id in data.mapped(lambda d: (d.model, d.res_id))
        ]
        self.assertFalse([grant for grant in grants if grant.model_id == crm_lead])


@tagged("post_install", "-at_install")
class TestPortalNextToPartnerAssign(HttpCase):
    """With Odoo's website_crm_partner_assign installed, its /my/leads (leads assigned to the
    partner) and our /my/offered-leads both work, both reachable from /my."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        module = cls.env["ir.module.module"]._get("website_crm_partner_assign")
        if module.state != "installed":
            raise unittest.SkipTest("website_crm_partner_assign is not installed")
        cls.team = cls.env["crm.team"].create({"name": "Coexistence team"})
        cls.partner = cls.env["res.partner"].create(
            {"name": "Reseller GmbH", "is_company": True, "email": "rs@example.com"}
        )
        contact = cls.env["res.partner"].create(
            {"name": "Rita Reseller", "parent_id": cls.partner.id, "email": "rita@example.com"}
        )
        new_test_user(cls.env, "reseller_portal", groups="base.group_portal", partner_id=contact.id)
        cls.pool = cls.env["lead.distribution.pool"].create(
            {
                "name": "Coexistence pool",
                "team_ids": [(6, 0, cls.team.ids)],
                "min_grade": False,
                "require_ready": False,
                "member_ids": [(0, 0, {"channel": "partner", "partner_id": cls.partner.id})],
            }
        )
        Lead = cls.env["crm.lead"].with_context(lead_distribution_no_auto=True)
        cls.offered = Lead.create(
            {
                "name": "Offered by the pool",
                "type": "lead",
                "team_id": cls.team.id,
                "user_id": False,
            }
        )
        cls.pool.action_distribute()
        cls.assigned = Lead.create(
            {
                "name": "Forwarded by Odoo",
                "type": "lead",
                "user_id": False,
                "partner_assigned_id": cls.partner.id,
            }
        )

    def test_both_pages(self):
        self.assertEqual(self.offered.distribution_state, "offered")
        self.authenticate("reseller_portal", "reseller_portal")
        home = self.url_open("/my")
        self.assertEqual(home.status_code, 200)
        self.assertIn('href="/my/leads"', home.text)
        self.assertIn('href="/my/offered-leads"', home.text)
        theirs = self.url_open("/my/leads")
        self.assertEqual(theirs.status_code, 200)
        self.assertIn("Forwarded by Odoo", theirs.text)
        ours = self.url_open("/my/offered-leads")
        self.assertEqual(ours.status_code, 200)
        self.assertIn("Offered by the pool", ours.text)
        data = {"csrf_token": http.Request.csrf_token(self)}
        self.url_open(f"/my/offered-leads/{self.offered.id}/accept", data=data)
        self.assertEqual(self.offered.distribution_state, "accepted")

    def test_portal_reads_only_what_odoo_grants(self):
        """Odoo's own rule gives the partner its assigned leads; ours adds nothing."""
        portal = self.env["res.users"].search([("login", "=", "reseller_portal")])
        Lead = self.env["crm.lead"].with_user(portal)
        self.assertEqual(Lead.search([]), self.assigned)
        with self.assertRaises(AccessError):
            self.offered.with_user(portal).read(["description", "expected_revenue"])
