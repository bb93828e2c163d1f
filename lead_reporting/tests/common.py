"""Hand-computed fixtures shared by the lead_reporting tests.

History (12 months before the plan starts), team "Funnel Team":
- Phone: 20 leads, 8 became opportunities, 4 won at 12,000 each, 2 lost.
- Email: 20 leads, 2 became opportunities, 0 won, 2 lost.
- Noise that must be ignored: a won deal of another team in the window, a
  won deal of the team 14 months before the start; 3 of the Email leads were
  lost before conversion (leads, but no lost opportunities).
=> team: lead->opp 10/40 = 25 %, opp->won 4/(4+4) = 50 %, average deal 12,000.
=> Phone: 40 % x 66.67 % = 26.67 % lead->won; Email: 10 % x 0 % = 0 %.

Actuals inside the plan period (team "Funnel Team"):
- Phone, campaign "Spring": 6 leads (4 in the first month, 2 in the second),
  3 opportunities, 1 won at 20,000, 1 lost opportunity.
- Email: 4 leads (first month), 1 opportunity.
- Noise: a lead of the team one day after the end, leads of another team.
The campaign "Spring" costs 1,000 and has 4 more leads in another team
(10 leads in all): 100 per lead.
"""

from contextlib import contextmanager
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user


class FunnelCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True)
        )
        today = fields.Date.context_today(cls.env["res.users"])
        cls.today = today
        cls.date_from = today.replace(day=1) - relativedelta(months=2)
        cls.date_to = cls.date_from + relativedelta(months=6) - timedelta(days=1)
        cls.company = cls.env.company
        cls.manager = new_test_user(
            cls.env,
            "funnel_manager",
            groups="sales_team.group_sale_manager",
            email="manager@example.com",
        )
        cls.salesman = new_test_user(
            cls.env,
            "funnel_salesman",
            groups="sales_team.group_sale_salesman",
            email="salesman@example.com",
        )
        cls.outsider = new_test_user(
            cls.env, "funnel_outsider", groups="sales_team.group_sale_salesman"
        )
        cls.marketer = new_test_user(
            cls.env, "funnel_marketer", groups="sales_team.group_sale_salesman"
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Funnel Team",
                "crm_team_member_ids": [Command.create({"user_id": cls.salesman.id})],
            }
        )
        cls.other_team = cls.env["crm.team"].create(
            {
                "name": "Other Team",
                "crm_team_member_ids": [Command.create({"user_id": cls.outsider.id})],
            }
        )
        cls.phone = cls.env["utm.medium"].create({"name": "Funnel Phone"})
        cls.email = cls.env["utm.medium"].create({"name": "Funnel Email"})
        cls.campaign = cls.env["utm.campaign"].create(
            {"title": "Spring", "campaign_cost": 1000.0, "user_id": cls.marketer.id}
        )
        cls.won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        cls.open_stage = cls.env["crm.stage"].search([("is_won", "=", False)], limit=1)
        cls.recipient = cls.env["res.partner"].create(
            {"name": "Board Member", "email": "board@example.com"}
        )

        history = cls.date_from - relativedelta(months=3)
        cls.history_leads = cls._make_leads(
            [
                *cls._funnel(cls.phone, leads=20, opportunities=8, won=4, lost=2, revenue=12000),
                *cls._funnel(cls.email, leads=20, opportunities=2, won=0, lost=2, revenue=0),
            ],
            history,
        )
        # 3 Email leads lost before conversion: leads, but not lost opportunities
        plain_email = cls.history_leads.filtered(
            lambda lead: lead.medium_id == cls.email and lead.type == "lead"
        )[:3]
        cls.env.cr.execute(
            "UPDATE crm_lead SET active = FALSE, probability = 0 WHERE id IN %s",
            (tuple(plain_email.ids),),
        )
        cls._make_leads([cls._won_vals(cls.phone, 1_000_000, team=cls.other_team)], history)
        cls._make_leads(
            [cls._won_vals(cls.phone, 1_000_000)], cls.date_from - relativedelta(months=14)
        )

        phone_actual = cls._funnel(
            cls.phone, leads=6, opportunities=3, won=1, lost=1, revenue=20000
        )
        for vals in phone_actual:
            vals["campaign_id"] = cls.campaign.id
        cls.actual_phone = cls._make_leads(phone_actual[:4], cls.date_from + timedelta(days=3))
        cls.actual_phone |= cls._make_leads(
            phone_actual[4:], cls.date_from + relativedelta(months=1, days=3)
        )
        cls.actual_email = cls._make_leads(
            cls._funnel(cls.email, leads=4, opportunities=1, won=0, lost=0, revenue=0),
            cls.date_from + timedelta(days=5),
        )
        cls._make_leads(
            [{"medium_id": cls.phone.id, "type": "lead"}], cls.date_to + timedelta(days=1)
        )
        cls.campaign_elsewhere = cls._make_leads(
            [
                {
                    "medium_id": cls.phone.id,
                    "campaign_id": cls.campaign.id,
                    "team_id": cls.other_team.id,
                    "type": "lead",
                }
            ]
            * 4,
            cls.date_from + timedelta(days=3),
        )
        # quality figures under the test's control
        cls._set_quality(cls.actual_phone, score=80, grade="A", ready=True)
        cls._set_quality(cls.actual_email, score=30, grade="C", ready=False)
        cls._set_quality(cls.campaign_elsewhere, score=60, grade="B", ready=True)

    # ------------------------------------------------------------------
    @classmethod
    def _won_vals(cls, medium, revenue, team=None):
        return {
            "medium_id": medium.id,
            "type": "opportunity",
            "stage_id": cls.won_stage.id,
            "expected_revenue": revenue,
            "team_id": (team or cls.team).id,
        }

    @classmethod
    def _funnel(cls, medium, leads, opportunities, won, lost, revenue):
        vals = [cls._won_vals(medium, revenue) for _i in range(won)]
        vals += [
            {"medium_id": medium.id, "type": "opportunity", "active": False, "probability": 0}
            for _i in range(lost)
        ]
        vals += [
            {"medium_id": medium.id, "type": "opportunity", "stage_id": cls.open_stage.id}
            for _i in range(opportunities - won - lost)
        ]
        vals += [{"medium_id": medium.id, "type": "lead"} for _i in range(leads - opportunities)]
        return vals

    @classmethod
    def _make_leads(cls, vals_list, created):
        vals_list = [
            {"name": f"Fixture lead {index}", "team_id": cls.team.id, **vals}
            for index, vals in enumerate(vals_list)
        ]
        leads = cls.env["crm.lead"].with_context(active_test=False).create(vals_list)
        leads.flush_recordset()
        cls.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id IN %s",
            (fields.Datetime.to_datetime(created) + timedelta(hours=10), tuple(leads.ids)),
        )
        cls.env.invalidate_all()
        return leads

    @classmethod
    def _set_quality(cls, leads, score, grade, ready):
        leads.flush_recordset()
        cls.env.cr.execute(
            "UPDATE crm_lead SET quality_score = %s, quality_grade = %s, "
            "is_distribution_ready = %s WHERE id IN %s",
            (score, grade, ready, tuple(leads.ids)),
        )
        cls.env.invalidate_all()

    @contextmanager
    def assertRaisesMsg(self, exception, regex):
        """assertRaises (which rolls back to a savepoint) plus the message."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), regex)

    def _plan(self, user=None, **vals):
        values = {
            "name": "Funnel plan",
            "team_id": self.team.id,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "revenue_target": 120000.0,
            "line_ids": [
                Command.create({"medium_id": self.phone.id, "planned_leads": 40}),
                Command.create(
                    {"medium_id": self.email.id, "planned_leads": 20, "expected_conversion": 10.0}
                ),
            ],
        }
        values.update(vals)
        return self.env["lead.funnel.plan"].with_user(user or self.manager).create(values)
