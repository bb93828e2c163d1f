from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import FunnelCase


@tagged("post_install", "-at_install")
class TestActivitySuccess(FunnelCase):
    def test_marketing_activity_per_campaign(self):
        Report = self.env["lead.activity.success.report"]
        [row] = Report._read_group(
            [("campaign_id", "=", self.campaign.id)],
            [],
            [
                "lead_count:sum",
                "ready_count:sum",
                "ready_share:avg",
                "grade_a_count:sum",
                "grade_b_count:sum",
                "cost:sum",
                "cost_per_lead:avg",
                "won_count:sum",
                "won_revenue:sum",
                "cost_per_won:avg",
                "revenue_per_cost:avg",
                "average_quality:avg",
            ],
        )
        leads, ready, ready_share, grade_a, grade_b, cost, cpl, won, revenue, cpw, rpc, quality = (
            row
        )
        self.assertEqual(leads, 10)
        self.assertEqual(ready, 10)
        self.assertAlmostEqual(ready_share, 100.0)
        self.assertEqual((grade_a, grade_b), (6, 4))
        self.assertAlmostEqual(cost, 1000.0)
        self.assertAlmostEqual(cpl, 100.0)
        self.assertEqual(won, 1)
        self.assertAlmostEqual(revenue, 20000.0)
        self.assertAlmostEqual(cpw, 1000.0)
        self.assertAlmostEqual(rpc, 20.0)
        self.assertAlmostEqual(quality, (6 * 80 + 4 * 60) / 10)

    def test_roi_per_medium(self):
        Report = self.env["lead.activity.success.report"]
        rows = Report._read_group(
            [
                ("team_id", "=", self.team.id),
                ("medium_id", "in", (self.phone | self.email).ids),
                ("lead_id", "in", (self.actual_phone | self.actual_email).ids),
            ],
            ["medium_id"],
            ["cost:sum", "lead_count:sum", "cost_per_lead:avg", "ready_share:avg"],
        )
        figures = {medium: rest for medium, *rest in rows}
        self.assertAlmostEqual(figures[self.phone][0], 600.0)
        self.assertAlmostEqual(figures[self.phone][2], 100.0)
        self.assertAlmostEqual(figures[self.email][0], 0.0)
        self.assertAlmostEqual(figures[self.email][3], 0.0)

    def test_campaign_kpis(self):
        data = self.campaign.get_campaign_kpis()
        self.assertEqual(data["actual"]["leads"], 10)
        self.assertAlmostEqual(data["roi"]["cost_per_lead"], 100.0)
        self.assertAlmostEqual(data["roi"]["cost_per_won"], 1000.0)
        self.assertAlmostEqual(data["roi"]["revenue_per_cost"], 20.0)
        self.assertAlmostEqual(self.campaign.crm_cost_per_lead, 100.0)

    def test_sales_success_follow_up(self):
        lead_in_time, lead_late, lead_silent = self.actual_email[:3]
        (lead_in_time | lead_late | lead_silent).write({"user_id": self.salesman.id})
        (lead_in_time | lead_late | lead_silent).flush_recordset()
        # distributed to the salesperson 100 hours ago, the deadline passed 76 hours ago
        self.env.cr.execute(
            "UPDATE crm_lead SET distribution_date = now() - interval '100 hours', "
            "distribution_channel = 'direct', distribution_state = 'assigned', "
            "distribution_stage_id = stage_id, "
            "distribution_followup_deadline = now() - interval '76 hours' WHERE id IN %s",
            (tuple((lead_in_time | lead_late | lead_silent).ids),),
        )
        self.env.invalidate_all()
        lead_in_time.with_user(self.salesman).message_post(
            body="Called", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        lead_late.with_user(self.salesman).message_post(
            body="Called late", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        # a note of someone else is not the salesperson's follow-up
        lead_silent.message_post(
            body="Reminder", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.env.flush_all()
        # the first one was followed up 10 hours after the distribution, the second 100 hours
        # (after its deadline, before the recycling ran: the recycling would keep it too)
        self.env.cr.execute(
            "UPDATE mail_message SET date = now() - interval '90 hours' "
            "WHERE model = 'crm.lead' AND res_id = %s AND message_type = 'comment'",
            (lead_in_time.id,),
        )
        self.env.invalidate_all()
        Report = self.env["lead.activity.success.report"]
        [row] = Report._read_group(
            [("user_id", "=", self.salesman.id)],
            [],
            [
                "received_count:sum",
                "followed_up_count:sum",
                "followup_share:avg",
                "hours_to_first_activity:avg",
                "first_activity_count:sum",
            ],
        )
        received, followed, share, hours, with_activity = row
        self.assertEqual(received, 3)
        self.assertEqual(followed, 2)
        self.assertAlmostEqual(share, 200 / 3)
        self.assertEqual(with_activity, 2)
        self.assertAlmostEqual(hours, (10 + 100) / 2, delta=0.1)

    def test_my_lead_results_and_what_my_leads_became(self):
        self.actual_phone.write({"user_id": self.salesman.id})
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "lead_reporting.action_my_lead_results"
        )
        self.assertIn("uid", action["domain"])
        Report = self.env["lead.activity.success.report"].with_user(self.salesman)
        [row] = Report._read_group(
            [("user_id", "=", self.salesman.id)], [], ["received_count:sum", "won_revenue:sum"]
        )
        self.assertEqual(row, (6, 20000.0))
        Report = self.env["lead.activity.success.report"].with_user(self.marketer)
        [row] = Report._read_group(
            [("campaign_user_id", "=", self.marketer.id)], [], ["lead_count:sum", "won_count:sum"]
        )
        self.assertEqual(row, (10, 1))

    def test_marketing_quota(self):
        Quota = self.env["lead.marketing.quota"].with_user(self.manager)
        quota = Quota.create(
            {
                "name": "Q",
                "user_id": self.marketer.id,
                "date_from": self.date_from,
                "date_to": self.date_to,
                "target": 8,
                "qualification": "ready",
            }
        )
        # 10 ready leads of Spring in the period (6 + 4 of the other team)
        self.assertEqual(quota.actual, 10)
        self.assertAlmostEqual(quota.attainment, 125.0)
        quota.write({"qualification": "grade", "min_grade": "A"})
        self.assertEqual(quota.actual, 6)
        self.assertAlmostEqual(quota.attainment, 75.0)
        team_quota = Quota.create(
            {
                "name": "T",
                "team_id": self.other_team.id,
                "date_from": self.date_from,
                "date_to": self.date_to,
                "target": 5,
            }
        )
        self.assertEqual(team_quota.actual, 0)  # the other team's members run no campaign
        quota.action_create_goal()
        self.assertEqual(quota.goal_id.user_id, self.marketer)
        self.assertEqual(quota.goal_id.target_goal, 8)
        self.assertEqual(quota.goal_id.current, 6)

    def test_quota_rules_and_bad_input(self):
        Quota = self.env["lead.marketing.quota"]
        base = {"name": "Q", "date_from": self.date_from, "date_to": self.date_to, "target": 5}
        with self.assertRaises(AccessError):
            Quota.with_user(self.salesman).create({**base, "user_id": self.marketer.id})
        with self.assertRaisesMsg(ValidationError, "either a user or a team"):
            Quota.create(base)
        with self.assertRaisesMsg(ValidationError, "either a user or a team"):
            Quota.create({**base, "user_id": self.marketer.id, "team_id": self.team.id})
        with self.assertRaisesMsg(ValidationError, "greater than zero"):
            Quota.create({**base, "user_id": self.marketer.id, "target": 0})
        with self.assertRaisesMsg(ValidationError, "ends before it starts"):
            Quota.create(
                {**base, "user_id": self.marketer.id, "date_to": self.date_from.replace(year=2000)}
            )
        quota = Quota.create({**base, "user_id": self.marketer.id})
        with self.assertRaises(AccessError):
            quota.with_user(self.salesman).target = 1
