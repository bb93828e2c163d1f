# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import unittest

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

CUSTOMER_NEED = "Needs a 40 kWp rooftop system for the warehouse"
# each lead its own contact: same e-mail or phone would make the second a duplicate of the
# first, matched to the same partner
CONTACT_EMAILS = ("carla.one@customer-one.example.com", "carl.two@customer-two.example.com")
CONTACT_PHONES = ("+49 40 5550123", "+49 89 5550987")


@tagged("post_install", "-at_install")
class TestPortal(HttpCase):
    """Sales partners answer under /my/offered-leads and see only what the page shows:
    before accepting what they need to decide, after accepting the contact too."""

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
        cls.medium = cls.env["utm.medium"].create({"name": "Portal Test Fair"})
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
                        "partner_name": f"Customer Werke {index}",
                        "email_from": CONTACT_EMAILS[index],
                        "phone": CONTACT_PHONES[index],
                        "city": "Hamburg",
                        "medium_id": cls.medium.id,
                        "description": f"<p>{CUSTOMER_NEED}</p>",
                        "expected_revenue": 987654,
                    }
                    for index, name in enumerate(("Offer Lead One", "Offer Lead Two"))
                ]
            )
        )
        cls.pool.action_distribute()
        cls.mine = cls.leads.filtered(lambda lead: lead.channel_partner_id == cls.partner)
        cls.theirs = cls.leads - cls.mine
        cls.partner_member = cls.pool.member_ids.filtered(
            lambda member: member.partner_id == cls.partner
        )

    def _post(self, url, **values):
        return self.url_open(url, data={"csrf_token": http.Request.csrf_token(self), **values})

    def _accept_mine(self):
        self.authenticate("offer_portal", "offer_portal")
        self._post(f"/my/offered-leads/{self.mine.id}/accept")
        self.assertEqual(self.mine.distribution_state, "accepted")

    # ------------------------------------------------------------------ what is shown
    def test_offered_leads_page(self):
        self.assertEqual(len(self.mine), 1)
        self.authenticate("offer_portal", "offer_portal")
        page = self.url_open("/my/offered-leads")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.mine.name, page.text)
        for shown in (
            self.mine.partner_name,
            "Hamburg",
            "Portal Test Fair",
            f"/my/offered-leads/{self.mine.id}",
        ):
            self.assertIn(shown, page.text)
        self.assertNotIn(self.theirs.name, page.text, "another company's lead")
        # the expected revenue (987,654) in any form; not just "987", which a random CSRF
        # token in the page may contain
        for revenue in ("987654", "987,654", "987.654"):
            self.assertNotIn(revenue, page.text)
        # before accepting: not the contact's e-mail and phone
        self.assertNotIn(self.mine.email_from, page.text)
        self.assertNotIn(self.mine.phone, page.text)
        # cards, not Odoo's portal table that clips the last columns
        self.assertNotIn("<table", page.text)
        home = self.url_open("/my")
        self.assertEqual(home.status_code, 200)
        self.assertIn('href="/my/offered-leads"', home.text)
        self.assertIn('data-placeholder_count="distribution_lead_count"', home.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["distribution_lead_count"]}
        )
        self.assertEqual(counters["distribution_lead_count"], 1)

    def test_lead_page_before_and_after_accepting(self):
        self.authenticate("offer_portal", "offer_portal")
        page = self.url_open(f"/my/offered-leads/{self.mine.id}")
        self.assertEqual(page.status_code, 200)
        for shown in (
            self.mine.name,
            self.mine.partner_name,
            "Hamburg",
            CUSTOMER_NEED,
            "Portal Test Fair",
        ):
            self.assertIn(shown, page.text)
        self.assertNotIn(self.mine.email_from, page.text)
        self.assertNotIn(self.mine.phone, page.text)
        # the expected revenue (987,654) in any form; not just "987", which a random CSRF
        # token in the page may contain
        for revenue in ("987654", "987,654", "987.654"):
            self.assertNotIn(revenue, page.text)
        # the answer forms: accept, decline with a reason of the list and free text
        self.assertIn(f"/my/offered-leads/{self.mine.id}/accept", page.text)
        self.assertIn(f"/my/offered-leads/{self.mine.id}/decline", page.text)
        self.assertIn(self.env.ref("lead_distribution.decline_reason_region").name, page.text)
        self.assertIn('name="reason"', page.text)
        self.assertNotIn(f"/my/offered-leads/{self.mine.id}/won", page.text)
        # another company's lead does not exist for this partner
        self.assertEqual(self.url_open(f"/my/offered-leads/{self.theirs.id}").status_code, 404)
        response = self._post(f"/my/offered-leads/{self.mine.id}/accept")
        self.assertIn("The lead is yours now", response.text)
        self.assertIn(self.mine.email_from, response.text)
        self.assertIn(self.mine.phone, response.text)
        self.assertIn(f"/my/offered-leads/{self.mine.id}/won", response.text)
        self.assertIn(f"/my/offered-leads/{self.mine.id}/lost", response.text)
        self.assertNotIn(f"/my/offered-leads/{self.mine.id}/accept", response.text)
        # the list shows the contact of the accepted lead nowhere but on its page
        listing = self.url_open("/my/offered-leads")
        self.assertIn(self.mine.name, listing.text)
        self.assertNotIn(f"/my/offered-leads/{self.mine.id}/accept", listing.text)

    def test_accept_and_refusals(self):
        self.authenticate("offer_portal", "offer_portal")
        # another company's lead: refused, nothing changes, nothing is told about it
        response = self._post(f"/my/offered-leads/{self.theirs.id}/accept")
        self.assertEqual(response.status_code, 200)
        self.assertIn("not offered to your company", response.text)
        self.assertNotIn(self.theirs.name, response.text)
        self.assertEqual(self.theirs.distribution_state, "offered")
        # no reason: refused, back on the lead's page with the message, nothing changed
        response = self._post(f"/my/offered-leads/{self.mine.id}/decline", reason="")
        self.assertIn("give a reason", response.text)
        self.assertIn(f"/my/offered-leads/{self.mine.id}/decline", response.text)
        self.assertEqual(self.mine.distribution_state, "offered")
        # a reason that asks for an explanation, without one: refused
        other = self.env.ref("lead_distribution.decline_reason_other")
        self._post(f"/my/offered-leads/{self.mine.id}/decline", reason_id=str(other.id))
        self.assertEqual(self.mine.distribution_state, "offered")
        response = self._post(f"/my/offered-leads/{self.mine.id}/accept")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.mine.distribution_state, "accepted")

    def test_decline_with_reason_of_the_list(self):
        self.authenticate("offer_portal_other", "offer_portal_other")
        region = self.env.ref("lead_distribution.decline_reason_region")
        response = self._post(
            f"/my/offered-leads/{self.theirs.id}/decline",
            reason_id=str(region.id),
            reason="Too far from Munich",
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("goes back to distribution", response.text)
        declined = self.theirs.distribution_log_ids.filtered(lambda log: log.event == "declined")
        self.assertEqual(declined.decline_reason_id, region)
        self.assertEqual(declined.decline_reason, f"{region.name}: Too far from Munich")
        self.assertIn("Too far from Munich", declined.reason)
        self.assertNotEqual(self.theirs.channel_partner_id, self.other_partner)
        # offered to the next partner by the system, not under the declining partner's name
        self.assertEqual(self.theirs.channel_partner_id, self.partner)
        offer = self.theirs.distribution_log_ids.filtered(
            lambda log: log.event == "offered" and log.id > declined.id
        )
        self.assertEqual(offer.trigger, "Redistribution after Other Partner AG declined")
        self.assertEqual(offer.triggered_by_id, self.env.ref("base.user_root"))
        # the reason names both partners: the next one and the one that declined
        after = "Offered to Portal Partner GmbH after Other Partner AG declined."
        self.assertIn(after, offer.reason)
        note = self.theirs.message_ids.filtered(
            lambda message: "went to Portal Partner GmbH" in (message.body or "")
        )
        self.assertEqual(note.author_id, self.env.ref("base.partner_root"))
        self.assertIn(after, note.body)

    def test_decline_with_free_text_only(self):
        self.authenticate("offer_portal_other", "offer_portal_other")
        self._post(f"/my/offered-leads/{self.theirs.id}/decline", reason="Too far")
        declined = self.theirs.distribution_log_ids.filtered(lambda log: log.event == "declined")
        self.assertEqual(declined.decline_reason, "Too far")
        self.assertFalse(declined.decline_reason_id)

    def test_answers_need_post(self):
        self.authenticate("offer_portal", "offer_portal")
        response = self.url_open(f"/my/offered-leads/{self.mine.id}/accept")
        self.assertNotEqual(response.status_code, 200)
        self.assertEqual(self.mine.distribution_state, "offered")

    # ------------------------------------------------------------------ progress
    def test_progress_contacted_then_won(self):
        self._accept_mine()
        response = self._post(
            f"/my/offered-leads/{self.mine.id}/contacted", note="Site visit on Monday"
        )
        self.assertIn("the contact is recorded", response.text)
        self.assertTrue(self.mine.distribution_partner_contacted_date)
        note = self.mine.message_ids.filtered(lambda m: "Site visit on Monday" in (m.body or ""))
        self.assertEqual(note.author_id, self.contact, "posted under the partner's portal user")
        # a negative amount: refused, nothing changed
        self._post(f"/my/offered-leads/{self.mine.id}/won", amount="-5")
        self.assertLess(self.mine.probability, 100)
        response = self._post(f"/my/offered-leads/{self.mine.id}/won", amount="12500.50")
        self.assertIn("recorded as won", response.text)
        self.assertEqual(self.mine.probability, 100)
        self.assertTrue(self.mine.stage_id.is_won)
        self.assertEqual(self.mine.expected_revenue, 12500.50)
        # closed: no more reports
        self._post(f"/my/offered-leads/{self.mine.id}/lost", lost_reason_id="1")
        self.assertTrue(self.mine.active)
        # the partner's result in the fairness report
        self.env.flush_all()
        report = self.env["lead.distribution.report"].search(
            [("member_id", "=", self.partner_member.id)]
        )
        self.assertEqual(sum(report.mapped("won")), 1)
        self.assertEqual(sum(report.mapped("lost")), 0)

    def test_progress_lost_with_reason(self):
        self._accept_mine()
        reason = self.env["crm.lost.reason"].create({"name": "Chose a competitor (test)"})
        self._post(f"/my/offered-leads/{self.mine.id}/lost", lost_reason_id="")
        self.assertTrue(self.mine.active, "no reason: refused")
        response = self._post(
            f"/my/offered-leads/{self.mine.id}/lost",
            lost_reason_id=str(reason.id),
            note="Price",
        )
        self.assertIn("recorded as lost", response.text)
        self.assertIn("Chose a competitor (test)", response.text)
        self.assertFalse(self.mine.active)
        self.assertEqual(self.mine.lost_reason_id, reason)
        self.assertEqual(self.mine.probability, 0)
        self.env.flush_all()
        report = self.env["lead.distribution.report"].search(
            [("member_id", "=", self.partner_member.id)]
        )
        self.assertEqual(sum(report.mapped("lost")), 1)
        self.assertEqual(sum(report.mapped("won")), 0)
        # the lost lead stays on the partner's list
        self.assertIn(self.mine.name, self.url_open("/my/offered-leads").text)

    def test_progress_only_by_the_accepting_partner(self):
        self._accept_mine()
        self.authenticate("offer_portal_other", "offer_portal_other")
        response = self._post(f"/my/offered-leads/{self.mine.id}/won", amount="100")
        self.assertIn("not accepted by your company", response.text)
        self.assertNotIn(self.mine.name, response.text)
        self.assertLess(self.mine.probability, 100)
        # an offered lead, not accepted yet, takes no progress either
        self.authenticate("offer_portal_other", "offer_portal_other")
        self._post(f"/my/offered-leads/{self.theirs.id}/contacted")
        self.assertFalse(self.theirs.distribution_partner_contacted_date)
        with self.assertRaises(AccessError):
            self.mine.with_user(self.other_portal).action_partner_won(100)

    # ------------------------------------------------------------------ no access granted
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
