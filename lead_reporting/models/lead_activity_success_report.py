from odoo import api, fields, models, tools
from odoo.addons.lead_quality.lib.quality_scoring import GRADES
from odoo.tools import SQL

from .lead_funnel_report import ratio_sql, with_currency_labels

RATIO_MEASURES = {
    "ready_share": ("ready_count", "lead_count", None),
    "grade_a_share": ("grade_a_count", "lead_count", None),
    "followup_share": ("followed_up_count", "followup_due_count", None),
    "conversion_lead_opportunity": ("opportunity_count", "lead_count", None),
    "conversion_lead_won": ("won_count", "lead_count", None),
    "average_quality": ("quality_score", "lead_count", "ratio"),
    "hours_to_first_activity": ("hours_sum", "first_activity_count", "ratio"),
    "cost_per_lead": ("cost", "lead_count", "ratio"),
    "cost_per_won": ("cost", "won_count", "ratio"),
    "revenue_per_cost": ("won_revenue", "cost", "ratio"),
}


class LeadActivitySuccessReport(models.Model):
    """Marketing activity versus sales success, one row per lead (R19, R22, R26).

    Marketing side: leads per campaign / medium / source, grade mix, share
    ready for distribution, cost (each lead carries its campaign's cost ÷ the
    campaign's leads). Sales side: follow-up within the deadline, conversion,
    won revenue, time to first activity, per salesperson, partner and medium.
    Ratios are computed from sums, so totals of any grouping are right."""

    _name = "lead.activity.success.report"
    _description = "Marketing Activity versus Sales Success"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "lead_id"
    _depends = {
        "crm.lead": [
            "create_date",
            "company_id",
            "team_id",
            "user_id",
            "campaign_id",
            "medium_id",
            "source_id",
            "channel_partner_id",
            "distribution_channel",
            "distribution_state",
            "distribution_followup_deadline",
            "distribution_date",
            "distribution_stage_id",
            "probability",
            "quality_grade",
            "quality_score",
            "is_distribution_ready",
            "date_open",
            "type",
            "date_conversion",
            "active",
            "stage_id",
            "expected_revenue",
        ],
        "crm.stage": ["is_won"],
        "utm.campaign": ["user_id", "campaign_cost"],
        "res.company": ["currency_id"],
        "mail.message": [
            "model",
            "res_id",
            "date",
            "author_id",
            "message_type",
            "mail_activity_type_id",
        ],
        "res.users": ["partner_id"],
    }

    lead_id = fields.Many2one("crm.lead", readonly=True, help="The lead.")
    currency_id = fields.Many2one(
        "res.currency", readonly=True, help="Currency of the lead's company."
    )
    date = fields.Datetime(string="Created On", readonly=True, help="When the lead was created.")
    create_date = fields.Datetime(
        string="Creation Date", readonly=True, help="When the lead was created."
    )
    company_id = fields.Many2one("res.company", readonly=True, help="Company of the lead.")
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", readonly=True, help="Sales team of the lead."
    )
    user_id = fields.Many2one(
        "res.users", string="Salesperson", readonly=True, help="Salesperson of the lead."
    )
    campaign_id = fields.Many2one(
        "utm.campaign", readonly=True, help="Campaign that generated the lead."
    )
    campaign_user_id = fields.Many2one(
        "res.users",
        string="Campaign Responsible",
        readonly=True,
        help="Marketing user responsible for the campaign.",
    )
    medium_id = fields.Many2one("utm.medium", readonly=True, help="Medium that generated the lead.")
    source_id = fields.Many2one("utm.source", readonly=True, help="Source of the lead.")
    partner_id = fields.Many2one(
        "res.partner",
        string="Sales Partner",
        readonly=True,
        help="Sales partner the lead was distributed to.",
    )
    distribution_channel = fields.Selection(
        [("direct", "Direct"), ("partner", "Partner")],
        string="Channel",
        readonly=True,
        help="Distribution channel: direct sales or sales partner.",
    )
    quality_grade = fields.Selection(
        [(grade, grade) for grade in GRADES],
        string="Grade",
        readonly=True,
        help="Quality grade of the lead.",
    )
    lead_count = fields.Integer(
        string="Leads", readonly=True, aggregator="sum", help="Leads generated."
    )
    quality_score = fields.Float(
        string="Quality Score Sum", readonly=True, aggregator="sum", help="Sum of quality scores."
    )
    average_quality = fields.Float(
        readonly=True, aggregator="avg", help="Average quality score.", digits=(16, 1)
    )
    ready_count = fields.Integer(
        string="Ready for Distribution",
        readonly=True,
        aggregator="sum",
        help="Leads ready for distribution.",
    )
    ready_share = fields.Float(
        string="Ready Share (%)",
        readonly=True,
        aggregator="avg",
        help="Share of leads ready for distribution.",
        digits=(16, 1),
    )
    grade_a_count = fields.Integer(
        string="Grade A", readonly=True, aggregator="sum", help="Leads of grade A."
    )
    grade_b_count = fields.Integer(
        string="Grade B", readonly=True, aggregator="sum", help="Leads of grade B."
    )
    grade_c_count = fields.Integer(
        string="Grade C", readonly=True, aggregator="sum", help="Leads of grade C."
    )
    grade_d_count = fields.Integer(
        string="Grade D", readonly=True, aggregator="sum", help="Leads of grade D."
    )
    grade_a_share = fields.Float(
        string="Grade A Share (%)",
        readonly=True,
        aggregator="avg",
        help="Share of grade A leads.",
        digits=(16, 1),
    )
    cost = fields.Monetary(
        readonly=True,
        aggregator="sum",
        help="Campaign cost allocated to the leads (campaign cost ÷ its leads).",
    )
    cost_per_lead = fields.Monetary(
        string="Cost per Lead", readonly=True, aggregator="avg", help="Cost ÷ leads."
    )
    received_count = fields.Integer(
        string="Received",
        readonly=True,
        aggregator="sum",
        help="Leads assigned to a salesperson or partner.",
    )
    accepted_count = fields.Integer(
        string="Accepted",
        readonly=True,
        aggregator="sum",
        help="Leads accepted by the receiver (partner acceptance or positive quality feedback).",
    )
    followup_due_count = fields.Integer(
        string="Follow-up Due",
        readonly=True,
        aggregator="sum",
        help="Leads distributed to a salesperson whose follow-up deadline has passed or that "
        "were followed up already: the basis of the share followed up in time.",
    )
    followed_up_count = fields.Integer(
        string="Followed Up in Time",
        readonly=True,
        aggregator="sum",
        help="Leads distributed to a salesperson that the salesperson followed up: a note, "
        "message or logged activity by the salesperson since the distribution, a stage "
        "change, or won or lost. Leads not followed up by their deadline go back to the "
        "pool.",
    )
    followup_share = fields.Float(
        string="Followed Up in Time (%)",
        readonly=True,
        aggregator="avg",
        help="Followed up in time ÷ follow-up due, in percent; n/a while no deadline has "
        "passed.",
        digits=(16, 1),
    )
    first_activity_date = fields.Datetime(
        string="First Activity",
        readonly=True,
        help="First note, message or logged activity by the salesperson since the distribution.",
    )
    first_activity_count = fields.Integer(
        string="With Activity",
        readonly=True,
        aggregator="sum",
        help="Leads with a note, message or logged activity by the salesperson since the "
        "distribution.",
    )
    hours_sum = fields.Float(
        string="Hours to First Activity (Sum)",
        readonly=True,
        aggregator="sum",
        help="Sum of hours to the first activity.",
    )
    hours_to_first_activity = fields.Float(
        string="Hours to First Activity",
        readonly=True,
        aggregator="avg",
        help="Average hours from the distribution to the salesperson's first activity.",
        digits=(16, 1),
    )
    opportunity_count = fields.Integer(
        string="Opportunities",
        readonly=True,
        aggregator="sum",
        help="Leads converted to opportunities.",
    )
    conversion_lead_opportunity = fields.Float(
        string="Lead → Opportunity (%)",
        readonly=True,
        aggregator="avg",
        help="Opportunities ÷ leads.",
        digits=(16, 1),
    )
    won_count = fields.Integer(string="Won", readonly=True, aggregator="sum", help="Won deals.")
    lost_count = fields.Integer(
        string="Lost", readonly=True, aggregator="sum", help="Leads and deals marked as lost."
    )
    conversion_lead_won = fields.Float(
        string="Lead → Won (%)",
        readonly=True,
        aggregator="avg",
        help="Won ÷ leads.",
        digits=(16, 1),
    )
    won_revenue = fields.Monetary(
        readonly=True,
        aggregator="sum",
        help="Expected revenue of the won deals.",
    )
    cost_per_won = fields.Monetary(
        string="Cost per Won Deal", readonly=True, aggregator="avg", help="Cost ÷ won deals."
    )
    revenue_per_cost = fields.Float(
        string="Revenue ÷ Cost",
        readonly=True,
        aggregator="avg",
        help="Won revenue ÷ cost (ROI).",
        digits=(16, 1),
    )

    # ------------------------------------------------------------------
    # the view
    # ------------------------------------------------------------------
    @api.model
    def _deadline_column(self):
        """The follow-up deadline set by the distribution, else the configured number of
        hours after the distribution."""
        hours = (
            self.env["ir.config_parameter"].sudo().get_param("lead_reporting.followup_hours", "48")
        )
        try:
            hours = max(int(hours), 1)
        except ValueError:
            hours = 48
        return SQL(
            "COALESCE(l.distribution_followup_deadline, "
            "l.distribution_date + make_interval(hours => %s))",
            hours,
        )

    @api.model
    def _accepted_sql(self):
        return SQL(
            "(l.distribution_state = 'accepted' OR EXISTS (SELECT 1 FROM lead_quality_feedback f "
            "WHERE f.lead_id = l.id AND f.verdict = 'accepted'))"
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        grade = SQL("l.quality_grade")
        ready = SQL("l.is_distribution_ready")
        received = SQL("(l.user_id IS NOT NULL OR l.channel_partner_id IS NOT NULL)")
        won = SQL("(l.active AND s.is_won)")
        lost = SQL("(NOT l.active AND COALESCE(l.probability, 0) = 0)")
        start = SQL("COALESCE(l.distribution_date, l.date_open, l.create_date)")
        deadline = self._deadline_column()
        # follow-up is measured on the leads distributed to a salesperson, with the rule the
        # recycling cron applies (crm.lead._followed_up_sql): followed up counts as in time
        # because the cron takes back every lead that is not followed up once its deadline
        # has passed; due: the deadline has passed or the lead was followed up already
        distributed = SQL(
            "(l.distribution_channel = 'direct' AND l.distribution_date IS NOT NULL "
            "AND l.user_id IS NOT NULL)"
        )
        in_time = SQL("(%s AND %s)", distributed, self.env["crm.lead"]._followed_up_sql("l"))
        due = SQL(
            "(%s OR (%s AND %s < (now() AT TIME ZONE 'UTC')))", in_time, distributed, deadline
        )
        grade_counts = SQL(", ").join(
            SQL(
                "CASE WHEN %s = %s THEN 1 ELSE 0 END AS %s",
                grade,
                letter,
                SQL.identifier(f"grade_{letter.lower()}_count"),
            )
            for letter in GRADES
        )
        self.env.cr.execute(
            SQL(
                """
CREATE OR REPLACE VIEW %(table)s AS (
    SELECT
        l.id AS id,
        l.id AS lead_id,
        l.create_date AS date,
        l.create_date AS create_date,
        l.company_id AS company_id,
        l.team_id AS team_id,
        l.user_id AS user_id,
        l.campaign_id AS campaign_id,
        c.user_id AS campaign_user_id,
        l.medium_id AS medium_id,
        l.source_id AS source_id,
        l.channel_partner_id AS partner_id,
        l.distribution_channel AS distribution_channel,
        %(grade)s AS quality_grade,
        1 AS lead_count,
        COALESCE(l.quality_score, 0) AS quality_score,
        COALESCE(l.quality_score, 0) AS average_quality,
        CASE WHEN %(ready)s THEN 1 ELSE 0 END AS ready_count,
        CASE WHEN %(ready)s THEN 100.0 ELSE 0.0 END AS ready_share,
        %(grade_counts)s,
        CASE WHEN %(grade)s = 'A' THEN 100.0 ELSE 0.0 END AS grade_a_share,
        COALESCE(c.campaign_cost / NULLIF(cc.lead_total, 0), 0.0) AS cost,
        COALESCE(c.campaign_cost / NULLIF(cc.lead_total, 0), 0.0) AS cost_per_lead,
        CASE WHEN %(received)s THEN 1 ELSE 0 END AS received_count,
        CASE WHEN %(accepted)s THEN 1 ELSE 0 END AS accepted_count,
        -- due: the deadline has passed, or the lead was followed up in time already; a
        -- lead whose deadline is still ahead counts neither way (n/a rather than zero)
        CASE WHEN %(due)s THEN 1 ELSE 0 END AS followup_due_count,
        CASE WHEN %(in_time)s THEN 1 ELSE 0 END AS followed_up_count,
        CASE WHEN %(in_time)s THEN 100.0 WHEN %(due)s THEN 0.0 END AS followup_share,
        fa.first_date AS first_activity_date,
        CASE WHEN fa.first_date IS NOT NULL THEN 1 ELSE 0 END AS first_activity_count,
        COALESCE(GREATEST(EXTRACT(EPOCH FROM fa.first_date - %(start)s), 0) / 3600.0, 0.0)
            AS hours_sum,
        GREATEST(EXTRACT(EPOCH FROM fa.first_date - %(start)s), 0) / 3600.0
            AS hours_to_first_activity,
        CASE WHEN l.type = 'opportunity' OR l.date_conversion IS NOT NULL THEN 1 ELSE 0 END
            AS opportunity_count,
        CASE WHEN l.type = 'opportunity' OR l.date_conversion IS NOT NULL THEN 100.0 ELSE 0.0 END
            AS conversion_lead_opportunity,
        CASE WHEN %(won)s THEN 1 ELSE 0 END AS won_count,
        CASE WHEN %(won)s THEN 100.0 ELSE 0.0 END AS conversion_lead_won,
        CASE WHEN %(won)s THEN COALESCE(l.expected_revenue, 0) ELSE 0 END AS won_revenue,
        CASE WHEN %(lost)s THEN 1 ELSE 0 END AS lost_count,
        NULL::float AS cost_per_won,
        NULL::float AS revenue_per_cost,
        COALESCE(rc.currency_id, %(main_currency)s) AS currency_id
    FROM crm_lead l
    LEFT JOIN res_company rc ON rc.id = l.company_id
    LEFT JOIN crm_stage s ON s.id = l.stage_id
    LEFT JOIN utm_campaign c ON c.id = l.campaign_id
    LEFT JOIN (
        SELECT campaign_id, COUNT(*) AS lead_total
          FROM crm_lead WHERE campaign_id IS NOT NULL GROUP BY campaign_id
    ) cc ON cc.campaign_id = l.campaign_id
    LEFT JOIN LATERAL (
        SELECT MIN(m.date) AS first_date FROM mail_message m WHERE %(work)s
    ) fa ON %(distributed)s
)
            """,
                table=SQL.identifier(self._table),
                grade=grade,
                ready=ready,
                grade_counts=grade_counts,
                received=received,
                accepted=self._accepted_sql(),
                deadline=deadline,
                start=start,
                won=won,
                lost=lost,
                work=self.env["crm.lead"]._followup_message_sql("l", "m"),
                distributed=distributed,
                in_time=in_time,
                due=due,
                main_currency=SQL(
                    "(SELECT currency_id FROM res_company ORDER BY sequence, id LIMIT 1)"
                ),
            )
        )

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        # the pivot and graph show amounts without a currency: the label carries it
        return with_currency_labels(super().fields_get(allfields, attributes), self.env)

    def _read_group_select(self, aggregate_spec, query):
        fname, _property, func = models.parse_read_group_spec(aggregate_spec)
        if fname in RATIO_MEASURES and func == "avg":
            return ratio_sql(self._table, RATIO_MEASURES[fname])
        return super()._read_group_select(aggregate_spec, query)

    def action_open_lead(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.lead_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
