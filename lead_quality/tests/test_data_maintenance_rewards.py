# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import Command
from odoo.tests import tagged

from ..lib.odoo_compat import USER_GROUPS_FIELD
from .test_data_maintenance import DataMaintenanceCase


@tagged("post_install", "-at_install")
class TestDataStewards(DataMaintenanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create(
            {
                "name": "DM Team",
                "data_steward_id": cls.steward.id,
                "crm_team_member_ids": [Command.create({"user_id": cls.salesman.id})],
            }
        )

    def test_lead_steward_defaults_from_team(self):
        lead = self._lead(team_id=self.team.id)
        self.assertEqual(lead.data_steward_id, self.steward)
        explicit = self._lead(team_id=self.team.id, data_steward_id=self.salesman2.id)
        self.assertEqual(explicit.data_steward_id, self.salesman2)
        no_team = self._lead(team_id=False)
        self.assertFalse(no_team.data_steward_id)
        no_team.team_id = self.team
        self.assertEqual(no_team.data_steward_id, self.steward)

    def test_contact_steward_defaults_from_salesperson_team(self):
        self.assertEqual(self.salesman.sale_team_id, self.team)
        partner = self.env["res.partner"].create({"name": "DM", "user_id": self.salesman.id})
        self.assertEqual(partner.data_steward_id, self.steward)
        other = self.env["res.partner"].create({"name": "DM2", "user_id": self.salesman2.id})
        self.assertFalse(other.data_steward_id)

    def test_lead_to_verify_queue(self):
        today = self.today
        vals = {"team_id": self.team.id, "medium_id": False}
        stale_old = self._lead(name="stale old", data_verified_date=today - timedelta(900), **vals)
        stale = self._lead(name="stale", data_verified_date=today - timedelta(500), **vals)
        fresh = self._lead(name="fresh", data_verified_date=today, **vals)
        other_steward = self._lead(
            name="other", data_verified_date=today - timedelta(900), team_id=False
        )
        self.assertEqual(fresh.data_completeness, 100)
        self.assertFalse(fresh.data_to_verify)
        action = self.env.ref("lead_quality.crm_lead_action_to_verify")
        view = self.env.ref("lead_quality.crm_lead_view_list_to_verify")
        self.assertEqual(action.view_id, view)
        self.assertIn('default_order="data_verified_date asc', view.arch_db)
        domain = [("data_steward_id", "=", self.steward.id), ("data_to_verify", "=", True)]
        found = self.env["crm.lead"].search(domain, order="data_verified_date asc, id asc")
        self.assertEqual(found, stale_old | stale)
        self.assertEqual(found[0], stale_old)
        self.assertNotIn(other_steward, found)
        # incomplete for its medium: on the list even when fresh
        medium = self.env["utm.medium"].create(
            {
                "name": "DM medium",
                "lead_required_field_ids": [
                    Command.set(self.env["ir.model.fields"]._get("crm.lead", "phone").ids)
                ],
            }
        )
        fresh.medium_id = medium
        self.assertLess(fresh.data_completeness, 100)
        self.assertIn(fresh, self.env["crm.lead"].search(domain))
        # verifying and completing takes it off the list
        fresh.with_user(self.steward).write({"phone": "+49 221 123456"})
        stale.with_user(self.steward).action_mark_data_verified()
        self.assertEqual(self.env["crm.lead"].search(domain), stale_old)
        done = [("data_to_verify", "=", False), ("id", "in", (stale | fresh).ids)]
        self.assertEqual(self.env["crm.lead"].search(done), stale | fresh)

    def test_contact_to_verify_queue(self):
        base = {
            "data_steward_id": self.steward.id,
            "email": "a@x.de",
            "phone": "1",
            "city": "Köln",
            "country_id": self.env.ref("base.de").id,
        }
        Partner = self.env["res.partner"]
        complete = Partner.create({"name": "complete", **base})
        complete.action_mark_data_verified()
        incomplete = Partner.create({"name": "incomplete", **base, "email": False})
        incomplete.action_mark_data_verified()
        never = Partner.create({"name": "never verified", **base})
        old = Partner.create({"name": "old", **base})
        old.data_verified_date = self.today - timedelta(days=400)
        domain = [("data_steward_id", "=", self.steward.id), ("data_to_verify", "=", True)]
        found = Partner.search(domain, order="data_as_of_date asc, id asc")
        self.assertEqual(set(found.ids), {incomplete.id, never.id, old.id})
        self.assertEqual(found[0], old)
        self.assertFalse(complete.data_to_verify)
        self.assertTrue(never.data_to_verify)


@tagged("post_install", "-at_install")
class TestDataMaintenanceRewards(DataMaintenanceCase):
    def _act(self, user, points, date=None, kind="completed"):
        return self.Act.sudo().create(
            {
                "user_id": user.id,
                "res_model": "crm.lead",
                "res_id": 1,
                "field_name": "city",
                "kind": kind,
                "points": points,
                "date": date or self.today,
            }
        )

    def test_gamification_goal_sums_points_per_user_and_period(self):
        definition = self.env.ref("lead_quality.goal_definition_data_maintenance_points")
        lead = self._lead(
            user_id=self.salesman.id, data_verified_date=self.today - timedelta(days=400)
        )
        lead.with_user(self.salesman).write({"city": "Köln", "phone": "+49 1"})  # 2 + 2
        lead.with_user(self.salesman).action_mark_data_verified()  # + 1
        self._act(self.salesman, 10, date=self.today - timedelta(days=40))  # other period
        self._act(self.salesman2, 30)  # other user
        start = self.today.replace(day=1)
        goals = self.env["gamification.goal"].create(
            [
                {
                    "definition_id": definition.id,
                    "user_id": user.id,
                    "start_date": start,
                    "end_date": self.today + timedelta(days=1),
                    "target_goal": 50,
                    "state": "inprogress",
                }
                for user in (self.salesman, self.salesman2, self.manager)
            ]
        )
        goals.update_goal()
        self.assertEqual(goals.mapped("current"), [5.0, 30.0, 0.0])

    def test_challenge_template_shipped_inactive(self):
        challenge = self.env.ref("lead_quality.challenge_data_maintenance")
        self.assertEqual(challenge.state, "draft")
        self.assertEqual(challenge.period, "monthly")
        self.assertEqual(challenge.visibility_mode, "ranking")
        self.assertEqual(challenge.reward_id, self.env.ref("lead_quality.badge_data_steward"))
        self.assertEqual(
            challenge.line_ids.definition_id,
            self.env.ref("lead_quality.goal_definition_data_maintenance_points"),
        )
        self.assertFalse(
            self.env["gamification.goal"].search([("challenge_id", "=", challenge.id)])
        )

    def test_scoreboard_and_free_riders(self):
        team = self.env["crm.team"].create({"name": "DM Board Team"})
        users = {}
        for login, points, leads in (
            ("dm_a", 12, 1),
            ("dm_b", 0, 6),
            ("dm_c", 4, 6),
            ("dm_d", 8, 5),
        ):
            user = self.env["res.users"].create(
                {
                    "name": login,
                    "login": login,
                    USER_GROUPS_FIELD: [
                        Command.link(self.env.ref("sales_team.group_sale_salesman").id)
                    ],
                }
            )
            self.env["crm.team.member"].create({"user_id": user.id, "crm_team_id": team.id})
            if points:
                self._act(user, points)
            self.env["crm.lead"].create(
                [
                    {"name": f"{login} {i}", "user_id": user.id, "team_id": team.id}
                    for i in range(leads)
                ]
            )
            users[login] = user
        # a verifies a stale lead it is the data steward of
        lead = self._lead(
            data_steward_id=users["dm_a"].id, data_verified_date=self.today - timedelta(days=400)
        )
        lead.with_user(users["dm_a"]).action_mark_data_verified()  # a: 13 points, 2 acts
        board = self.env["lead.maintenance.scoreboard"]
        period = self.today.replace(day=1)

        def rows():
            self.env.flush_all()
            self.env.invalidate_all()
            found = board.search([("user_id", "in", [u.id for u in users.values()])])
            self.assertEqual(set(found.mapped("period")), {period})
            return {row.user_id.login: row for row in found}

        by_login = rows()
        row_a = by_login["dm_a"]
        self.assertEqual(
            (row_a.points, row_a.act_count, row_a.completed_count, row_a.verified_count),
            (13, 2, 1, 1),
        )
        self.assertEqual(row_a.record_count, 2)
        self.assertEqual(row_a.leads_received, 1)
        self.assertEqual(by_login["dm_c"].points_per_lead, 4 / 6)
        self.assertEqual(by_login["dm_b"].team_id, team)
        # median of 13, 0, 4, 8 is 6; half of it is 3
        self.assertEqual(by_login["dm_b"].team_median_points, 6.0)
        self.assertEqual({login for login, row in by_login.items() if row.is_free_rider}, {"dm_b"})
        # at 100 % of the median, c (4 points for 6 leads) is a free rider too;
        # a with one lead received never is
        self.company.data_maintenance_free_rider_share = 100
        by_login = rows()
        self.assertEqual(
            {login for login, row in by_login.items() if row.is_free_rider}, {"dm_b", "dm_c"}
        )
        free = board.search([("is_free_rider", "=", True), ("team_id", "=", team.id)])
        self.assertEqual(set(free.user_id.mapped("login")), {"dm_b", "dm_c"})
        # the minimum of leads received is a setting too
        self.company.data_maintenance_free_rider_min_leads = 7
        self.assertFalse([row for row in rows().values() if row.is_free_rider])
