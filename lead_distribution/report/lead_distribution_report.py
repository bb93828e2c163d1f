# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.lead_distribution_log import (
    DECIDED_EVENTS,
    EVENTS,
    MATCHED_EVENTS,
    RECEIVED_EVENTS,
)
from ..models.lead_distribution_member import CHANNELS


class LeadDistributionReport(models.Model):
    """Fairness report (R11-R15): one row per distribution event (the decision log, same
    ids) and one per member and day on which its pool distributed (negative ids: the members'
    days, with the days the member was available and the fair share it accrued), measures to
    sum up per member, channel and period in pivot and graph views. Every log line counts,
    also when its lead was deleted since (the counts of past periods do not change)."""

    _name = "lead.distribution.report"
    _description = "Lead Distribution Fairness Report"
    _auto = False
    _order = "date desc"

    date = fields.Datetime(readonly=True)
    lead_id = fields.Many2one("crm.lead", readonly=True)
    lead_name = fields.Char(readonly=True, help="Name of the lead when the event was logged.")
    pool_id = fields.Many2one("lead.distribution.pool", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    member_id = fields.Many2one("lead.distribution.member", readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Sales Partner", readonly=True)
    event = fields.Selection(EVENTS, readonly=True)
    quality_grade = fields.Char(string="Grade", readonly=True)
    received = fields.Integer(string="Leads Received", readonly=True, aggregator="sum")
    quality_received = fields.Float(string="Quality Sum", readonly=True, aggregator="sum")
    accepted = fields.Integer(readonly=True, aggregator="sum")
    declined = fields.Integer(readonly=True, aggregator="sum")
    recycled = fields.Integer(readonly=True, aggregator="sum")
    claimed = fields.Integer(readonly=True, aggregator="sum")
    matched = fields.Integer(
        readonly=True,
        aggregator="sum",
        help="Leads received as the owner of the customer or as the holder of the lead they "
        "duplicate (counted in the leads received).",
    )
    merged = fields.Integer(
        readonly=True, aggregator="sum", help="Duplicates merged into an open lead."
    )
    won = fields.Integer(
        readonly=True,
        aggregator="sum",
        help="Leads the member received and won (also reported by a sales partner in the "
        "portal).",
    )
    lost = fields.Integer(
        readonly=True,
        aggregator="sum",
        help="Leads the member received and lost (also reported by a sales partner in the "
        "portal).",
    )
    available_days = fields.Integer(
        readonly=True,
        aggregator="sum",
        help="Days on which the pool distributed and the member could receive leads (not "
        "away, not on time off).",
    )
    fair_share = fields.Float(
        string="Fair Share (Leads)",
        readonly=True,
        aggregator="sum",
        help="Leads the member was entitled to: its share of the leads distributed while it "
        "was available. Compare with the leads received.",
    )
    fair_share_quality = fields.Float(
        string="Fair Share (Quality)",
        readonly=True,
        aggregator="sum",
        help="Quality the member was entitled to, alike. Compare with the quality sum.",
    )
    fair_share_deviation = fields.Float(
        string="Deviation from Fair Share",
        readonly=True,
        aggregator="avg",
        help="Leads above (positive) or below (negative) the member's fair share at decision "
        "time, on average.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    SELECT log.id AS id,
                           log.date AS date,
                           log.lead_id AS lead_id,
                           COALESCE(log.lead_name, lead.name) AS lead_name,
                           log.pool_id AS pool_id,
                           log.company_id AS company_id,
                           log.member_id AS member_id,
                           log.channel AS channel,
                           log.user_id AS user_id,
                           log.partner_id AS partner_id,
                           log.event AS event,
                           log.quality_grade AS quality_grade,
                           CASE WHEN log.event IN %(received)s THEN 1 ELSE 0 END AS received,
                           CASE WHEN log.event IN %(received)s
                                THEN log.quality_score ELSE 0 END AS quality_received,
                           CASE WHEN log.event = 'accepted' THEN 1 ELSE 0 END AS accepted,
                           CASE WHEN log.event = 'declined' THEN 1 ELSE 0 END AS declined,
                           CASE WHEN log.event = 'recycled' THEN 1 ELSE 0 END AS recycled,
                           CASE WHEN log.event = 'claimed' THEN 1 ELSE 0 END AS claimed,
                           CASE WHEN log.event IN %(matched)s
                                THEN 1 ELSE 0 END AS matched,
                           CASE WHEN log.event = 'merged' THEN 1 ELSE 0 END AS merged,
                           CASE WHEN log.event IN %(received)s
                                 AND lead.distribution_member_id = log.member_id
                                 AND stage.is_won THEN 1 ELSE 0 END AS won,
                           CASE WHEN log.event IN %(received)s
                                 AND lead.distribution_member_id = log.member_id
                                 AND lead.active IS NOT TRUE
                                 AND COALESCE(lead.probability, 0) = 0
                                 THEN 1 ELSE 0 END AS lost,
                           CASE WHEN log.event IN %(decided)s
                                THEN 1 - log.quantity_deficit END AS fair_share_deviation,
                           0 AS available_days,
                           0.0 AS fair_share,
                           0.0 AS fair_share_quality
                      FROM lead_distribution_log log
                 LEFT JOIN crm_lead lead ON lead.id = log.lead_id
                 LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
                 UNION ALL
                    SELECT -min(day.id) AS id,
                           day.day::timestamp AS date,
                           NULL AS lead_id,
                           NULL AS lead_name,
                           day.pool_id AS pool_id,
                           day.company_id AS company_id,
                           day.member_id AS member_id,
                           day.channel AS channel,
                           day.user_id AS user_id,
                           day.partner_id AS partner_id,
                           NULL AS event,
                           NULL AS quality_grade,
                           0 AS received,
                           0.0 AS quality_received,
                           0 AS accepted,
                           0 AS declined,
                           0 AS recycled,
                           0 AS claimed,
                           0 AS matched,
                           0 AS merged,
                           0 AS won,
                           0 AS lost,
                           NULL AS fair_share_deviation,
                           CASE WHEN bool_or(day.available) THEN 1 ELSE 0 END AS available_days,
                           sum(day.entitled) AS fair_share,
                           sum(day.quality_entitled) AS fair_share_quality
                      FROM lead_distribution_member_day day
                  GROUP BY day.member_id, day.day, day.pool_id, day.company_id, day.channel,
                           day.user_id, day.partner_id
                )
                """,
                table=SQL.identifier(self._table),
                received=RECEIVED_EVENTS,
                matched=MATCHED_EVENTS,
                decided=DECIDED_EVENTS,
            )
        )
