# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user, tagged

from ..lib import data_maintenance as dm
from .hypothesis_common import DB_EXAMPLES, rolled_back

# users of the company: the first ones in its sales team, the others in none
TEAM_USERS = 4
USERS = 6
# months long before any demo data; a lead's assignment and an act on the 10th of one
MONTHS = tuple(fields.Datetime.to_datetime(f"2003-{month:02}-10 12:00:00") for month in (1, 2))

# per user and month: the points of the month's act (None: no act) and the leads received
activity = st.dictionaries(
    keys=st.tuples(st.integers(0, USERS - 1), st.integers(0, len(MONTHS) - 1)),
    values=st.tuples(st.none() | st.integers(0, 12), st.integers(0, 4)),
    max_size=USERS * len(MONTHS),
)
# the share of the team median: the round values put users on the limit
shares = st.sampled_from([0.0, 25.0, 50.0, 100.0]) | st.floats(
    0, 100, allow_nan=False, allow_subnormal=False
)


@tagged("post_install", "-at_install")
class TestMaintenanceScoreboardRule(TransactionCase):
    """The scoreboard's SQL view computes the points per lead, the team median and the
    "maintenance below team level" flag itself; the rule is ``lib/data_maintenance``
    (``points_per_lead``, ``median``, ``is_free_rider``): on random points, leads received,
    minimums and shares, the view gives every user and month what the rule gives."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # a company of its own: the medians are over its users only
        cls.company = cls.env["res.company"].create({"name": "Scoreboard Rule Company"})
        cls.team = cls.env["crm.team"].create(
            {"name": "Scoreboard Rule Team", "company_id": cls.company.id}
        )
        # the sales team the leads of the users without team carry (they are no member)
        cls.other_team = cls.env["crm.team"].create(
            {"name": "Scoreboard Rule Other Team", "company_id": cls.company.id}
        )
        cls.users = [
            new_test_user(
                cls.env,
                f"scoreboard_rule_{index}",
                groups="sales_team.group_sale_salesman",
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
            )
            for index in range(USERS)
        ]
        cls.env["crm.team.member"].create(
            [{"user_id": user.id, "crm_team_id": cls.team.id} for user in cls.users[:TEAM_USERS]]
        )

    def _team_id(self, user_index):
        return self.team.id if user_index < TEAM_USERS else False

    def _write_activity(self, activity):
        """Write the acts and the received leads of ``activity`` (see the strategy)."""
        acts, leads, months = [], [], []
        for (user_index, month), (points, received) in activity.items():
            user = self.users[user_index]
            if points is not None:
                acts.append(
                    {
                        "user_id": user.id,
                        "res_model": "crm.lead",
                        "res_id": 1,
                        "field_name": "city",
                        "kind": dm.COMPLETED,
                        "points": points,
                        "date": MONTHS[month].date(),
                        "company_id": self.company.id,
                    }
                )
            for _lead in range(received):
                leads.append(
                    {
                        "name": f"Scoreboard rule lead of {user.login}",
                        "user_id": user.id,
                        "team_id": (self.team if self._team_id(user_index) else self.other_team).id,
                        "company_id": self.company.id,
                    }
                )
                months.append(month)
        self.env["lead.data.maintenance"].create(acts)
        created = self.env["crm.lead"].create(leads)
        self.env.flush_all()
        # crm sets the assignment date to the moment of the assignment (the transaction's)
        ids_by_month = defaultdict(list)
        for lead_id, month in zip(created.ids, months, strict=True):
            ids_by_month[month].append(lead_id)
        for month, ids in ids_by_month.items():
            self.env.cr.execute(
                "UPDATE crm_lead SET date_open = %s WHERE id = ANY(%s)", (MONTHS[month], ids)
            )
        self.env.invalidate_all()

    def _expected(self, activity, min_leads, share):
        """{(user id, month): row} by the Python rule: a user has a row in a month when it
        has an act or received a lead; the team level is the median of its team's rows."""
        rows = {
            key: (points or 0, received)
            for key, (points, received) in activity.items()
            if points is not None or received
        }
        team_points = defaultdict(list)
        for (user_index, month), (points, _received) in rows.items():
            team_points[self._team_id(user_index), month].append(points)
        expected = {}
        for (user_index, month), (points, received) in rows.items():
            team_median = dm.median(team_points[self._team_id(user_index), month])
            expected[self.users[user_index].id, MONTHS[month].date().replace(day=1)] = {
                "team_id": self._team_id(user_index),
                "points": points,
                "leads_received": received,
                "points_per_lead": dm.points_per_lead(points, received),
                "team_median_points": team_median,
                "is_free_rider": dm.is_free_rider(points, received, team_median, min_leads, share),
            }
        return expected

    def _scoreboard(self):
        fnames = [
            "team_id",
            "points",
            "leads_received",
            "points_per_lead",
            "team_median_points",
            "is_free_rider",
        ]
        rows = self.env["lead.maintenance.scoreboard"].search_read(
            [("company_id", "=", self.company.id)], ["user_id", "period", *fnames]
        )
        return {
            (row["user_id"][0], row["period"]): {
                **{fname: row[fname] for fname in fnames},
                "team_id": row["team_id"] and row["team_id"][0],
            }
            for row in rows
        }

    @DB_EXAMPLES
    @given(activity=activity, min_leads=st.integers(0, 5), share=shares)
    def test_scoreboard_is_the_rule_on_random_data(self, activity, min_leads, share):
        with rolled_back(self.env):
            self.company.write(
                {
                    "data_maintenance_free_rider_min_leads": min_leads,
                    "data_maintenance_free_rider_share": share,
                }
            )
            self._write_activity(activity)
            self.assertEqual(self._scoreboard(), self._expected(activity, min_leads, share))
