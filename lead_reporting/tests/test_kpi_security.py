from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import FunnelCase

# every context key our addons read; none of them may open a door
EVERY_KEY = {
    "lead_kpi_revision": True,
    "lead_reporting_actuals": True,
    "lead_distribution_assign": True,
    "lead_distribution_no_auto": True,
    "lead_data_maintenance_skip": True,
}


@tagged("post_install", "-at_install")
class TestKpiSecurity(FunnelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign_manager = new_test_user(
            cls.env, "funnel_campaign_manager", groups="lead_reporting.group_campaign_manager"
        )
        cls.campaign.write(
            {
                "date_start": cls.date_from,
                "kpi_lead_target": 10,
                "report_recipient_ids": [Command.set(cls.recipient.ids)],
            }
        )

    def _confirmed_plan(self):
        plan = self._plan(kpi_lead_target=20, kpi_opportunity_target=4)
        plan.with_user(self.manager).action_confirm()
        return plan

    # ------------------------------------------------------------------
    # success criteria of a started plan
    # ------------------------------------------------------------------
    def test_context_keys_do_not_unlock_plan_criteria(self):
        plan = self._confirmed_plan().with_user(self.manager).with_context(**EVERY_KEY)
        with self.assertRaisesMsg(UserError, "fixed since the start"):
            plan.write({"kpi_lead_target": 99})
        with self.assertRaisesMsg(UserError, "fixed since the start"):
            plan.write({"report_recipient_ids": [Command.set(self.recipient.ids)]})
        self.assertEqual(plan.kpi_lead_target, 20)

    def test_started_plan_cannot_be_unstarted(self):
        plan = self._confirmed_plan().with_user(self.manager)
        with self.assertRaisesMsg(UserError, "only through"):
            plan.write({"state": "draft"})
        with self.assertRaisesMsg(UserError, "already started"):
            plan.write({"date_from": self.today + timedelta(days=3)})
        self.assertEqual(plan.state, "confirmed")
        self.assertEqual(plan.date_from, self.date_from)
        # moving the start within the past keeps the plan started: allowed
        plan.write({"date_from": self.date_from - timedelta(days=1)})
        plan.action_close()
        self.assertEqual(plan.state, "closed")

    def test_salesperson_cannot_revise_plan_criteria(self):
        plan = self._confirmed_plan()
        as_salesman = plan.with_user(self.salesman).with_context(**EVERY_KEY)
        with self.assertRaises(AccessError):
            as_salesman.write({"kpi_lead_target": 1})
        with self.assertRaises(AccessError):
            as_salesman.action_revise_kpi({"kpi_lead_target": 1}, "I say so")
        wizard = (
            self.env["lead.kpi.revision.wizard"]
            .with_user(self.salesman)
            .with_context(default_res_model=plan._name, default_res_id=plan.id)
            .create({"reason": "I say so", "kpi_lead_target": 1})
        )
        with self.assertRaises(AccessError):
            wizard.action_apply()
        self.assertEqual(plan.kpi_lead_target, 20)
        self.assertFalse(plan.kpi_revision_count)

    def test_revision_chooses_existing_partners_only(self):
        plan = self._confirmed_plan().with_user(self.manager)
        with self.assertRaisesMsg(UserError, "only chooses existing partners"):
            plan.action_revise_kpi(
                {"report_recipient_ids": [Command.create({"name": "New board"})]}, "New board"
            )
        with self.assertRaisesMsg(UserError, "does not exist"):
            plan.action_revise_kpi({"report_recipient_ids": [Command.link(10**8)]}, "Ghost")
        self.assertFalse(plan.report_recipient_ids)
        plan.action_revise_kpi(
            {"report_recipient_ids": [Command.link(self.recipient.id)]}, "Board reads it"
        )
        self.assertEqual(plan.report_recipient_ids, self.recipient)

    def test_actuals_cannot_be_injected_through_the_context(self):
        plan = self._confirmed_plan().with_user(self.salesman)
        fake = {
            "leads": 1000,
            "average_quality": 100.0,
            "opportunities": 1000,
            "won_revenue": 10.0**9,
            "cost_per_lead": 0.0,
        }
        data = plan.with_context(lead_reporting_actuals=fake).get_plan_vs_actual()
        criteria = {criterion["key"]: criterion for criterion in data["criteria"]}
        self.assertEqual(criteria["leads"]["actual"], 10)
        self.assertAlmostEqual(criteria["leads"]["attainment"], 50.0)
        self.assertFalse(criteria["leads"]["met"])
        self.assertEqual(criteria["opportunities"]["actual"], 4)

    # ------------------------------------------------------------------
    # campaign cost and criteria
    # ------------------------------------------------------------------
    def test_salesperson_cannot_set_campaign_cost_or_criteria(self):
        campaign = self.campaign.with_user(self.salesman).with_context(**EVERY_KEY)
        for vals in (
            {"campaign_cost": 1.0},
            {"kpi_lead_target": 1},
            {"kpi_cost_per_lead_target": 1.0},
            {"report_frequency": "weekly"},
            {"report_recipient_ids": [Command.clear()]},
            {"date_start": self.today + timedelta(days=30)},
            {"date_end": self.today},
            {"report_last_date": self.today},
        ):
            with self.subTest(vals=vals), self.assertRaisesMsg(AccessError, "campaign managers"):
                campaign.write(vals)
        with self.assertRaisesMsg(AccessError, "campaign managers"):
            campaign.action_revise_kpi({"kpi_lead_target": 1}, "I say so")
        with self.assertRaisesMsg(AccessError, "Campaign Cost"):
            campaign.create({"title": "Mine", "campaign_cost": 5.0})
        with self.assertRaisesMsg(AccessError, "Target: Leads"):
            campaign.create({"title": "Mine", "kpi_lead_target": 5})
        self.assertEqual(self.campaign.campaign_cost, 1000.0)
        self.assertEqual(self.campaign.kpi_lead_target, 10)
        self.assertFalse(campaign.campaign_planning_editable)

    def test_salesperson_still_creates_and_chooses_campaigns(self):
        Campaign = self.env["utm.campaign"].with_user(self.salesman)
        campaign_id, _name = Campaign.name_create("Booth flyer")
        created = Campaign.create({"title": "Webinar", "report_frequency": "monthly"})
        lead = (
            self.env["crm.lead"]
            .with_user(self.salesman)
            .create({"name": "Booth visitor", "user_id": self.salesman.id})
        )
        lead.campaign_id = campaign_id
        self.assertEqual(lead.campaign_id.id, campaign_id)
        lead.campaign_id = created
        created.title = "Webinar spring"
        self.assertEqual(lead.campaign_id.title, "Webinar spring")
        self.assertFalse(created.campaign_cost)

    def test_managers_set_campaign_cost_and_revise_criteria(self):
        for target, user in enumerate((self.manager, self.campaign_manager), start=12):
            with self.subTest(user=user.login):
                campaign = self.campaign.with_user(user).with_context(**EVERY_KEY)
                self.assertTrue(campaign.campaign_planning_editable)
                campaign.campaign_cost = 1200.0 + target
                with self.assertRaisesMsg(UserError, "fixed since the start"):
                    campaign.kpi_lead_target = 99
                with self.assertRaisesMsg(UserError, "already started"):
                    campaign.date_start = self.today + timedelta(days=10)
                campaign.action_revise_kpi({"kpi_lead_target": target}, f"Budget {user.login}")
                self.assertEqual(campaign.kpi_lead_target, target)
                new = campaign.create({"title": f"New of {user.login}", "campaign_cost": 50.0})
                self.assertEqual(new.campaign_cost, 50.0)
        self.assertEqual(self.campaign.campaign_cost, 1213.0)
        revisions = self.env["lead.kpi.revision"].search(
            [("res_model", "=", "utm.campaign"), ("res_id", "=", self.campaign.id)],
            order="id",
        )
        self.assertEqual(revisions.user_id.ids, [self.manager.id, self.campaign_manager.id])
        self.assertEqual(revisions.mapped("old_value"), ["10", "12"])
        self.assertEqual(revisions.mapped("new_value"), ["12", "13"])
        self.assertEqual(self.campaign.kpi_revision_count, 2)

    # ------------------------------------------------------------------
    # Odoo's lead count of a campaign is Odoo's
    # ------------------------------------------------------------------
    def test_crm_lead_count_follows_the_salesperson_rights(self):
        campaign = self.env["utm.campaign"].create({"title": "Three leads of others"})
        self.env["crm.lead"].create(
            [{"name": f"Other's lead {index}", "campaign_id": campaign.id} for index in range(3)]
        ).write({"user_id": self.outsider.id})
        self.assertEqual(campaign.crm_lead_count, 3)
        campaign.invalidate_recordset()
        as_salesman = campaign.with_user(self.salesman)
        self.assertFalse(as_salesman.env["crm.lead"].search([("campaign_id", "=", campaign.id)]))
        self.assertEqual(as_salesman.crm_lead_count, 0)  # Odoo's: own documents only
        self.assertEqual(as_salesman.lead_generated_count, 3)  # ours: the basis of cost per lead
        self.env["crm.lead"].create(
            {"name": "My lead", "campaign_id": campaign.id, "user_id": self.salesman.id}
        )
        campaign.invalidate_recordset()
        self.assertEqual(as_salesman.crm_lead_count, 1)
