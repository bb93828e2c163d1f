# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.lead_distribution_log import EVENTS
from ..models.lead_distribution_member import CHANNELS


class LeadDistributionReport(models.Model):
    """Fairness report (R11-R15): one row per distribution event, measures to sum up per
    member, channel and period in pivot and graph views. Every log line counts, also when its
    lead was deleted since (the counts of past periods do not change)."""

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
    won = fields.Integer(readonly=True, aggregator="sum")
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
                           CASE WHEN log.event IN ('assigned', 'offered', 'claimed')
                                THEN 1 ELSE 0 END AS received,
                           CASE WHEN log.event IN ('assigned', 'offered', 'claimed')
                                THEN log.quality_score ELSE 0 END AS quality_received,
                           CASE WHEN log.event = 'accepted' THEN 1 ELSE 0 END AS accepted,
                           CASE WHEN log.event = 'declined' THEN 1 ELSE 0 END AS declined,
                           CASE WHEN log.event = 'recycled' THEN 1 ELSE 0 END AS recycled,
                           CASE WHEN log.event = 'claimed' THEN 1 ELSE 0 END AS claimed,
                           CASE WHEN log.event IN ('assigned', 'offered', 'claimed')
                                 AND lead.distribution_member_id = log.member_id
                                 AND stage.is_won THEN 1 ELSE 0 END AS won,
                           CASE WHEN log.event IN ('assigned', 'offered')
                                THEN 1 - log.quantity_deficit END AS fair_share_deviation
                      FROM lead_distribution_log log
                 LEFT JOIN crm_lead lead ON lead.id = log.lead_id
                 LEFT JOIN crm_stage stage ON stage.id = lead.stage_id
                )
                """,
                table=SQL.identifier(self._table),
            )
        )
