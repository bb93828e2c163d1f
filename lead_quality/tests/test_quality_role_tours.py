# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import HttpCase, tagged


class QualityRoleTours:
    """The screens of lead_quality in the browser, as the people who use them (a tour fails
    on any error dialog or traceback); run at desktop and at phone width by the classes
    below (the setup is shared, each width has its own browser)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.lead_quality_min_grade = "C"
        fields_model = cls.env["ir.model.fields"]
        cls.calls = cls.env["utm.medium"].create(
            {
                "name": "Role Tour Calls",
                "quality_rank": 1,
                "min_completeness": 80,
                "lead_required_field_ids": [
                    (
                        6,
                        0,
                        [
                            fields_model._get("crm.lead", name).id
                            for name in ("contact_name", "partner_name", "phone", "email_from")
                        ],
                    )
                ],
            }
        )
        cls.fair = cls.env["utm.medium"].create({"name": "Role Tour Fair", "quality_rank": 6})
        cls.salesman = mail_new_test_user(
            cls.env,
            login="lq_tour_seller",
            name="Tina Tour",
            groups="base.group_user,sales_team.group_sale_salesman",
        )
        cls.manager = mail_new_test_user(
            cls.env,
            login="lq_tour_manager",
            name="Marc Marketing",
            groups="base.group_user,sales_team.group_sale_manager",
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "Role Tour Team", "member_ids": [(4, cls.salesman.id)]}
        )

    def test_salesperson_pipeline_accept_reject(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Role Tour Opportunity",
                "type": "opportunity",
                "medium_id": self.calls.id,
                "user_id": self.salesman.id,
                "team_id": self.team.id,
                "contact_name": "Rita Role",
                "partner_name": "Role GmbH",
            }
        )
        self.assertFalse(lead.is_distribution_ready)
        self.start_tour("/odoo/crm", "lead_quality_salesperson_tour", login="lq_tour_seller")
        self.assertEqual(
            lead.quality_feedback_ids.sorted("id").mapped("verdict"), ["accepted", "rejected"]
        )
        rejection = lead.quality_feedback_ids.filtered(lambda f: f.verdict == "rejected")
        self.assertEqual(rejection.reason_id, self.env.ref("lead_quality.reject_reason_no_need"))
        self.assertEqual(rejection.note, "Only wanted a brochure")
        self.assertEqual(rejection.user_id, self.salesman)

    def test_marketing_report_and_rank_proposal(self):
        self.company.lead_quality_rank_min_evidence = 3
        won = self.env["crm.stage"].create({"name": "Role Tour Won", "is_won": True})
        fair_leads = self.env["crm.lead"].create(
            [
                {
                    "name": f"Fair lead {i}",
                    "type": "opportunity",
                    "medium_id": self.fair.id,
                    "team_id": self.team.id,
                    "stage_id": won.id,
                    "expected_revenue": 1000,
                }
                for i in range(5)
            ]
        )
        fair_leads.action_quality_accept()
        self.env["crm.lead"].create(
            [
                {"name": f"Call lead {i}", "medium_id": self.calls.id, "team_id": self.team.id}
                for i in range(2)
            ]
        )
        action = self.env.ref("lead_quality.lead_quality_medium_report_action")
        self.start_tour(
            f"/odoo/action-{action.id}", "lead_quality_marketing_tour", login="lq_tour_manager"
        )
        # the fair's won, accepted leads put it first for standard offers
        self.assertEqual(self.fair.quality_rank, 1)
        message = self.fair.message_ids.filtered(lambda m: "rank 6 → 1" in (m.body or ""))
        self.assertEqual(message.author_id, self.manager.partner_id)


@tagged("post_install", "-at_install")
class TestQualityRoleTours(QualityRoleTours, HttpCase):
    browser_size = "1440x900"
    allow_inherited_tests_method = True  # the mixin's tours


@tagged("post_install", "-at_install")
class TestQualityRoleToursPhone(QualityRoleTours, HttpCase):
    """The same tours on a phone: kanban and forms at 375 px, header buttons in the cog
    menu, the menu in the side panel, many2one values searched in a dialog."""

    browser_size = "375x667"
    allow_inherited_tests_method = True  # the mixin's tours
    touch_enabled = True
