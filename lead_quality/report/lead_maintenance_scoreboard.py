# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models, tools


class LeadMaintenanceScoreboard(models.Model):
    """Data-maintenance scoreboard per user, company and month.

    Points and acts come from ``lead.data.maintenance``; leads received are
    the leads assigned to the user in the month (``crm.lead.date_open``).
    The free-rider rule is ``lib.data_maintenance.is_free_rider`` in SQL: at
    least the company's minimum of leads received and points below the
    company's share of the median points of the user's sales team (users
    active in the same company and month). The points per lead, the team
    median and the flag are checked against ``lib.data_maintenance`` on
    random data by ``tests/test_maintenance_scoreboard_rule.py``.
    """

    _name = "lead.maintenance.scoreboard"
    _description = "Data Maintenance Scoreboard"
    _auto = False
    _order = "period desc, points desc"
    _rec_name = "user_id"

    period = fields.Date(
        string="Month",
        readonly=True,
        help="First day of the month the figures belong to.",
    )
    user_id = fields.Many2one("res.users", readonly=True, help="User credited or receiving leads.")
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        readonly=True,
        help="The user's main sales team; its median is the team level of maintenance.",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    points = fields.Integer(readonly=True, help="Data-maintenance points earned in the month.")
    act_count = fields.Integer(
        string="Acts", readonly=True, help="Credited data-maintenance acts in the month."
    )
    record_count = fields.Integer(
        string="Records Maintained",
        readonly=True,
        help="Distinct leads and contacts the user maintained in the month.",
    )
    completed_count = fields.Integer(
        string="Completed", readonly=True, help="Acts that filled an empty field."
    )
    corrected_count = fields.Integer(
        string="Corrected", readonly=True, help="Acts that replaced a value by another one."
    )
    verified_count = fields.Integer(
        string="Verified", readonly=True, help="Records confirmed with the Data verified button."
    )
    leads_received = fields.Integer(
        readonly=True,
        help="Leads and opportunities assigned to the user in the month.",
    )
    points_per_lead = fields.Float(
        string="Points per Lead",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="Maintenance points divided by the leads received in the month.",
    )
    team_median_points = fields.Float(
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Median of the points of the users of the same team, company and month.",
    )
    is_free_rider = fields.Boolean(
        string="Maintenance Below Team Level",
        readonly=True,
        help="Received at least the configured number of leads but earned fewer points "
        "than the configured share of the team median.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            tools.SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
            WITH acts AS (
                SELECT a.user_id,
                       a.company_id,
                       date_trunc('month', a.date)::date AS period,
                       SUM(a.points) AS points,
                       COUNT(*) AS act_count,
                       COUNT(DISTINCT (a.res_model, a.res_id)) AS record_count,
                       COUNT(*) FILTER (WHERE a.kind = 'completed') AS completed_count,
                       COUNT(*) FILTER (WHERE a.kind = 'corrected') AS corrected_count,
                       COUNT(*) FILTER (WHERE a.kind = 'verified') AS verified_count
                  FROM lead_data_maintenance a
              GROUP BY 1, 2, 3
            ), received AS (
                SELECT l.user_id,
                       COALESCE(l.company_id, u.company_id) AS company_id,
                       date_trunc('month', l.date_open)::date AS period,
                       COUNT(*) AS leads_received
                  FROM crm_lead l
                  JOIN res_users u ON u.id = l.user_id
                 WHERE l.date_open IS NOT NULL
              GROUP BY 1, 2, 3
            ), base AS (
                SELECT COALESCE(a.user_id, r.user_id) AS user_id,
                       COALESCE(a.company_id, r.company_id) AS company_id,
                       COALESCE(a.period, r.period) AS period,
                       COALESCE(a.points, 0) AS points,
                       COALESCE(a.act_count, 0) AS act_count,
                       COALESCE(a.record_count, 0) AS record_count,
                       COALESCE(a.completed_count, 0) AS completed_count,
                       COALESCE(a.corrected_count, 0) AS corrected_count,
                       COALESCE(a.verified_count, 0) AS verified_count,
                       COALESCE(r.leads_received, 0) AS leads_received
                  FROM acts a
             FULL JOIN received r
                    ON r.user_id = a.user_id
                   AND r.company_id = a.company_id
                   AND r.period = a.period
            ), teamed AS (
                SELECT b.*, u.sale_team_id AS team_id
                  FROM base b
                  JOIN res_users u ON u.id = b.user_id
            ), medians AS (
                SELECT company_id, team_id, period,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY points) AS median
                  FROM teamed
              GROUP BY 1, 2, 3
            )
            SELECT row_number() OVER (ORDER BY t.period, t.user_id, t.company_id) AS id,
                   t.period, t.user_id, t.team_id, t.company_id,
                   t.points, t.act_count, t.record_count,
                   t.completed_count, t.corrected_count, t.verified_count,
                   t.leads_received,
                   CASE WHEN t.leads_received > 0
                        THEN t.points::float / t.leads_received ELSE 0 END AS points_per_lead,
                   m.median AS team_median_points,
                   (t.leads_received >= COALESCE(c.data_maintenance_free_rider_min_leads, 0)
                    AND t.points < m.median
                        * COALESCE(c.data_maintenance_free_rider_share, 0) / 100.0
                   ) AS is_free_rider
              FROM teamed t
              JOIN medians m
                ON m.company_id = t.company_id
               AND m.team_id IS NOT DISTINCT FROM t.team_id
               AND m.period = t.period
         LEFT JOIN res_company c ON c.id = t.company_id
            )
            """,
                tools.SQL.identifier(self._table),
            )
        )
