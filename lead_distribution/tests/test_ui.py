# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged


class UiCase(HttpCase):
    """A pool with a salesperson and a sales partner, whose portal user answers in the
    browser; leads waiting in the pool."""

    LEAD_NAMES = ("Tour Lead One", "Tour Lead Two", "Tour Lead Three")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_test_user(
            cls.env, "tour_seller", groups="sales_team.group_sale_salesman", name="Tom Tour"
        )
        cls.manager = new_test_user(
            cls.env,
            "tour_manager",
            groups="sales_team.group_sale_manager",
            name="Mona Manager",
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
        cls.direct_member = cls.pool.member_ids.filtered(lambda m: m.channel == "direct")
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
                        "partner_name": f"Customer {index} KG",
                        "contact_name": f"Tour Contact {index}",
                        "email_from": f"tourcontact{index}@customer.example.com",
                        "city": "Bremen",
                    }
                    for index, name in enumerate(cls.LEAD_NAMES, start=1)
                ]
            )
        )
        cls.lost_reason = cls.env["crm.lost.reason"].create({"name": "Tour lost reason"})

    def _offer_all_to_the_partner(self):
        self.direct_member.available = False
        self.pool.action_distribute()
        self.assertEqual(set(self.leads.mapped("distribution_state")), {"offered"})
        self._set_grade(self.leads, "B")

    def _set_grade(self, leads, grade):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET quality_grade = %s WHERE id = ANY(%s)", (grade, leads.ids)
        )
        leads.invalidate_recordset(["quality_grade"])

    def _check_portal_tour_outcome(self):
        one, two, three = self.leads
        self.assertEqual(one.distribution_state, "accepted")
        self.assertTrue(one.distribution_partner_contacted_date)
        self.assertEqual(one.probability, 100)
        self.assertEqual(one.expected_revenue, 15000)
        self.assertNotEqual(two.channel_partner_id, self.partner)
        declined = two.distribution_log_ids.filtered(lambda log: log.event == "declined")
        self.assertEqual(
            declined.decline_reason_id, self.env.ref("lead_distribution.decline_reason_region")
        )
        self.assertIn("Too far from our branches", declined.decline_reason)
        self.assertFalse(three.active)
        self.assertEqual(three.lost_reason_id, self.lost_reason)


class RoleTours:
    """The tours of the sales manager, of a user distributing from the lead list and of the
    sales partner's portal user; run at desktop and at phone width by the classes below."""

    def test_tour_distribute_from_lead_list(self):
        list_view = self.env.ref("crm.crm_case_tree_view_leads")
        action = self.env["ir.actions.act_window"].create(
            {
                "name": "Tour leads",
                "res_model": "crm.lead",
                "view_mode": "list,form",
                "view_id": list_view.id,
                "domain": [("name", "in", self.LEAD_NAMES[:2])],
            }
        )
        self.start_tour(f"/odoo/action-{action.id}", "lead_distribution_tour", login="admin")
        two = self.leads[:2]
        self.assertEqual(set(two.mapped("distribution_state")), {"assigned", "offered"})
        self.assertEqual(two.filtered("user_id").user_id, self.seller)
        self.assertEqual(two.filtered("channel_partner_id").channel_partner_id, self.partner)

    def test_tour_sales_manager(self):
        """Pool form, a waiting lead's notice, distribute from the pool's pending leads,
        decision log, fairness report: as a sales manager, not as admin."""
        self.leads[2].active = False  # two leads to distribute
        self.start_tour(
            "/odoo/action-lead_distribution.lead_distribution_pool_action",
            "lead_distribution_manager_tour",
            login="tour_manager",
        )
        self.assertEqual(set(self.leads[:2].mapped("distribution_state")), {"assigned", "offered"})

    def test_tour_portal_partner(self):
        self._offer_all_to_the_partner()
        self.start_tour("/my", "lead_distribution_portal_tour", login="tour_portal")
        self._check_portal_tour_outcome()


@tagged("post_install", "-at_install")
class TestUi(RoleTours, UiCase):
    browser_size = "1440x900"
    allow_inherited_tests_method = True  # the mixin's tours

    def test_portal_accept_and_decline(self):
        self.direct_member.available = False
        self.pool.action_distribute()
        one, two, _three = self.leads
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
        self.direct_member.available = True
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


@tagged("post_install", "-at_install")
class TestUiPhone(RoleTours, UiCase):
    """The same tours on a phone: the manager's smart buttons behind a button, the
    breadcrumbs as a back arrow, leads selected by a long press; nothing the partner needs
    in the portal is cut off."""

    browser_size = "375x667"
    allow_inherited_tests_method = True  # the mixin's tours
    touch_enabled = True
