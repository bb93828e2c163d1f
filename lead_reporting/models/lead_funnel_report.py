from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.addons.lead_quality.lib.odoo_compat import domain_and, domain_or
from odoo.tools import SQL

from ..lib import funnel

# measures whose pivot / read_group total is a ratio of sums, not an average
RATIO_MEASURES = {
    "conversion_lead_opportunity": ("opportunity_count", "lead_count", None),
    "conversion_opportunity_won": ("won_count", "won_count", "lost_count"),
    "conversion_lead_won": ("won_count", "lead_count", None),
    "average_quality": ("quality_score_sum", "lead_count", "ratio"),
}
# deviations to date (funnel.deviation_to_date): the actual figure, the plan due until
# today and the whole units (leads, won deals) that plan stands for; n/a until one is due
DEVIATION_MEASURES = {
    "lead_deviation": ("lead_count", "planned_leads_to_date", "planned_leads_to_date"),
    "revenue_deviation": ("won_revenue", "planned_revenue_to_date", "planned_won_to_date"),
}


class LeadFunnelReport(models.Model):
    """Plan versus actual per plan, team, medium, campaign and month (R17).

    Actual side: the leads of a plan's team and period, aggregated per plan,
    medium, campaign and month (drill down with :meth:`action_open_leads`).
    Planned side: one row per plan line and month, the line's leads spread
    over the months by days."""

    _name = "lead.funnel.report"
    _description = "Funnel Plan versus Actual"
    _auto = False
    _order = "date desc, plan_id"
    _rec_name = "plan_id"
    _depends = {
        "crm.lead": [
            "team_id",
            "create_date",
            "type",
            "date_conversion",
            "active",
            "stage_id",
            "expected_revenue",
            "probability",
            "medium_id",
            "campaign_id",
            "quality_score",
        ],
        "crm.stage": ["is_won"],
        "res.company": ["currency_id"],
        "lead.funnel.plan": ["team_id", "date_from", "date_to", "state", "company_id", "user_id"],
        "lead.funnel.plan.line": [
            "plan_id",
            "medium_id",
            "campaign_id",
            "planned_leads",
            "expected_conversion",
            "expected_revenue",
        ],
    }

    plan_id = fields.Many2one("lead.funnel.plan", readonly=True, help="The funnel plan.")
    plan_state = fields.Selection(
        [
            ("draft", "Draft"),
            ("confirmed", "Confirmed"),
            ("replanning", "Replanning"),
            ("closed", "Closed"),
        ],
        string="Plan Status",
        readonly=True,
        help="Status of the plan.",
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", readonly=True, help="Sales team of the plan."
    )
    company_id = fields.Many2one("res.company", readonly=True, help="Company of the plan.")
    plan_user_id = fields.Many2one(
        "res.users", string="Plan Owner", readonly=True, help="Owner of the plan."
    )
    medium_id = fields.Many2one(
        "utm.medium", readonly=True, help="Medium of the lead or of the plan line."
    )
    campaign_id = fields.Many2one(
        "utm.campaign",
        readonly=True,
        help="Campaign of the lead or of the plan line.",
    )
    date = fields.Date(
        string="Month", readonly=True, help="Month of the lead's creation or of the plan."
    )
    currency_id = fields.Many2one(
        "res.currency", readonly=True, help="Currency of the plan's company."
    )
    row_kind = fields.Selection(
        [("planned", "Planned"), ("actual", "Actual")],
        string="Planned / Actual",
        readonly=True,
        help="Whether the row holds planned figures (from the plan lines) or actual ones "
        "(from the leads).",
    )
    leads = fields.Float(
        string="Leads (Planned or Actual)",
        readonly=True,
        aggregator="sum",
        digits=(16, 0),
        help="Planned leads on planned rows, actual leads on actual rows: group by "
        "Planned / Actual to see both side by side.",
    )
    revenue = fields.Monetary(
        string="Revenue (Planned or Won)",
        readonly=True,
        aggregator="sum",
        help="Planned revenue on planned rows, won revenue on actual rows.",
    )
    planned_leads = fields.Float(
        readonly=True,
        aggregator="sum",
        digits=(16, 0),
        help="Leads planned for the month (line spread over its months).",
    )
    planned_revenue = fields.Monetary(
        readonly=True,
        aggregator="sum",
        help="Revenue planned for the month.",
    )
    planned_leads_to_date = fields.Float(
        readonly=True,
        aggregator="sum",
        digits=(16, 0),
        help="Leads planned until today (the month's share of the plan up to today).",
    )
    planned_revenue_to_date = fields.Monetary(
        readonly=True,
        aggregator="sum",
        help="Revenue planned until today.",
    )
    planned_won_to_date = fields.Float(
        string="Won Deals Planned to Date",
        readonly=True,
        aggregator="sum",
        digits=(16, 1),
        help="Won deals the plan expects until today: the leads planned until today at the "
        "lines' expected conversion.",
    )
    lead_count = fields.Integer(
        string="Actual Leads", readonly=True, aggregator="sum", help="Leads received."
    )
    opportunity_count = fields.Integer(
        string="Opportunities",
        readonly=True,
        aggregator="sum",
        help="Leads converted to opportunities.",
    )
    won_count = fields.Integer(string="Won", readonly=True, aggregator="sum", help="Won deals.")
    lost_count = fields.Integer(
        string="Lost Opportunities",
        readonly=True,
        aggregator="sum",
        help="Opportunities marked lost.",
    )
    won_revenue = fields.Monetary(
        readonly=True,
        aggregator="sum",
        help="Expected revenue of the won deals.",
    )
    quality_score_sum = fields.Float(
        readonly=True,
        aggregator="sum",
        help="Sum of the leads' quality scores.",
    )
    average_quality = fields.Float(
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Average quality score of the leads.",
    )
    conversion_lead_opportunity = fields.Float(
        string="Lead → Opportunity (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Opportunities ÷ leads, in percent.",
    )
    conversion_opportunity_won = fields.Float(
        string="Opportunity → Won (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Won ÷ (won + lost opportunities), in percent.",
    )
    conversion_lead_won = fields.Float(
        string="Lead → Won (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Won ÷ leads, in percent.",
    )
    lead_deviation = fields.Float(
        string="Lead Deviation to Date (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="(Actual leads - leads planned until today) ÷ leads planned until today, in "
        "percent; n/a until the plan expects a whole lead by today (months ahead, the first "
        "days of a month).",
    )
    revenue_deviation = fields.Float(
        string="Revenue Deviation to Date (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="(Won revenue - revenue planned until today) ÷ revenue planned until today, in "
        "percent; n/a until the plan expects a whole won deal by today.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # the actual side filters leads by team and creation date
        tools.create_index(
            self.env.cr,
            "crm_lead_team_id_create_date_index",
            "crm_lead",
            ["team_id", "create_date"],
        )
        # earlier versions grouped the leads by day first and kept statistics for it
        self.env.cr.execute("DROP STATISTICS IF EXISTS crm_lead_funnel_report_stats")
        self.env.cr.execute("DROP STATISTICS IF EXISTS crm_lead_funnel_report_day_stats")
        # date_conversion first: it decides most converted leads without a
        # string comparison
        converted = SQL("(l.date_conversion IS NOT NULL OR l.type = 'opportunity')")
        # won stages are few: one InitPlan instead of a join per lead
        won = SQL("(l.active AND l.stage_id = ANY(ARRAY(SELECT id FROM crm_stage WHERE is_won)))")
        # Actual side: the leads of the plan's team and period (joined to the
        # plans, so a query for some plans reads only their teams' leads, by the
        # index on team and creation date when that pays), aggregated per plan,
        # medium, campaign and month inside the view (ids stay stable: the
        # smallest lead id of a group is unique within its plan).
        # Both branches of the UNION ALL have exactly the same column types
        # (hence the casts): PostgreSQL then flattens the union into the
        # outer query and drops the aggregates a query does not ask for (a
        # pivot of leads and opportunities computes neither the lost count nor
        # the quality sum, nor the MIN of the row ids). Conditional counts are
        # FILTER clauses: nothing is added for the leads outside the condition.
        self.env.cr.execute(
            SQL(
                """
CREATE OR REPLACE VIEW %(table)s AS (
    SELECT
        p.id::bigint * 1000000000000 + MIN(l.id)::bigint * 2 AS id,
        p.id AS plan_id,
        p.state AS plan_state,
        p.team_id AS team_id,
        p.company_id AS company_id,
        p.user_id AS plan_user_id,
        l.medium_id AS medium_id,
        l.campaign_id AS campaign_id,
        date_trunc('month', l.create_date)::date AS date,
        0.0::float AS planned_leads,
        0.0::float AS planned_revenue,
        COUNT(*)::bigint AS lead_count,
        COUNT(*) FILTER (WHERE %(converted)s)::bigint AS opportunity_count,
        COUNT(*) FILTER (WHERE %(won)s)::bigint AS won_count,
        COUNT(*) FILTER (
            WHERE NOT l.active AND COALESCE(l.probability, 0) = 0 AND %(converted)s
        )::bigint AS lost_count,
        COALESCE(SUM(l.expected_revenue) FILTER (WHERE %(won)s), 0)::numeric AS won_revenue,
        COALESCE(SUM(%(quality)s), 0)::numeric AS quality_score_sum,
        NULL::float AS average_quality,
        NULL::float AS conversion_lead_opportunity,
        NULL::float AS conversion_opportunity_won,
        NULL::float AS conversion_lead_won,
        NULL::float AS lead_deviation,
        NULL::float AS revenue_deviation,
        'actual'::varchar AS row_kind,
        COUNT(*)::float AS leads,
        COALESCE(SUM(l.expected_revenue) FILTER (WHERE %(won)s), 0)::numeric AS revenue,
        rc.currency_id AS currency_id,
        0.0::float AS planned_leads_to_date,
        0.0::float AS planned_revenue_to_date,
        0.0::float AS planned_won_to_date
    FROM lead_funnel_plan p
    JOIN res_company rc ON rc.id = p.company_id
    -- the plan's days, from midnight of its first to midnight after its last
    JOIN crm_lead l
      ON l.team_id = p.team_id
     AND l.create_date >= p.date_from
     AND l.create_date < p.date_to + 1
    GROUP BY p.id, rc.currency_id, l.medium_id, l.campaign_id,
             date_trunc('month', l.create_date)
  UNION ALL
    SELECT
        p.id::bigint * 1000000000000 + (ln.id::bigint * 100000 + m.idx) * 2 + 1 AS id,
        p.id, p.state, p.team_id, p.company_id, p.user_id,
        ln.medium_id, ln.campaign_id,
        m.month::date,
        (ln.planned_leads * m.share)::float,
        (ln.expected_revenue * m.share)::float,
        0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::numeric, 0::numeric,
        NULL::float, NULL::float, NULL::float, NULL::float, NULL::float, NULL::float,
        'planned'::varchar,
        (ln.planned_leads * m.share)::float,
        (ln.expected_revenue * m.share)::numeric,
        rc.currency_id,
        (ln.planned_leads * m.share_to_date)::float,
        (ln.expected_revenue * m.share_to_date)::float,
        (ln.planned_leads * ln.expected_conversion / 100.0 * m.share_to_date)::float
    FROM lead_funnel_plan p
    JOIN res_company rc ON rc.id = p.company_id
    JOIN lead_funnel_plan_line ln ON ln.plan_id = p.id
    CROSS JOIN LATERAL (
        SELECT ms.month,
               (EXTRACT(YEAR FROM ms.month) * 12 + EXTRACT(MONTH FROM ms.month))::bigint AS idx,
               ((LEAST((ms.month + interval '1 month')::date - 1, p.date_to)
                 - GREATEST(ms.month::date, p.date_from) + 1)::float
                / (p.date_to - p.date_from + 1)) AS share,
               -- the part of the month until today: the basis of the deviation to date
               (GREATEST(LEAST((ms.month + interval '1 month')::date - 1, p.date_to, CURRENT_DATE)
                 - GREATEST(ms.month::date, p.date_from) + 1, 0)::float
                / (p.date_to - p.date_from + 1)) AS share_to_date
        FROM generate_series(date_trunc('month', p.date_from::timestamp),
                             p.date_to::timestamp, interval '1 month') AS ms(month)
    ) m
)
                """,
                table=SQL.identifier(self._table),
                quality=SQL("l.quality_score"),
                converted=converted,
                won=won,
            )
        )

    def _lead_domain(self):
        """The crm.lead domain of the leads behind these report rows."""
        domains = []
        for row in self:
            # the plan's days in the row's month, from midnight of the first to midnight
            # after the last
            first, last = funnel.month_span(row.date, row.plan_id.date_from, row.plan_id.date_to)
            start = fields.Datetime.to_datetime(first)
            end = fields.Datetime.to_datetime(last + timedelta(days=1))
            domains.append(
                [
                    ("team_id", "=", row.team_id.id),
                    ("medium_id", "=", row.medium_id.id),
                    ("campaign_id", "=", row.campaign_id.id),
                    ("create_date", ">=", start),
                    ("create_date", "<", end),
                ]
            )
        return domain_or(domains) if domains else [("id", "=", 0)]

    @api.model
    def action_open_leads_of(self, domain):
        """The leads behind the report rows matching ``domain`` (a pivot or
        graph cell): the drill-down of the plan-versus-actual views."""
        rows = self.search(domain_and([domain or [], [("row_kind", "=", "actual")]]))
        return rows.action_open_leads()

    def action_open_leads(self):
        """Drill down from report rows to their leads."""
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_all_leads")
        action["domain"] = self._lead_domain()
        action["context"] = {"active_test": False, "create": False}
        action["name"] = self.env._("Leads")
        action["view_mode"] = "list,form"
        action["views"] = [(False, "list"), (False, "form")]
        return action

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        # the pivot and graph show amounts without a currency: the label carries it
        return with_currency_labels(super().fields_get(allfields, attributes), self.env)

    def _read_group_select(self, aggregate_spec, query):
        fname, _property, func = models.parse_read_group_spec(aggregate_spec)
        if fname in RATIO_MEASURES and func == "avg":
            return _ratio_sql(self._table, RATIO_MEASURES[fname])
        if fname in DEVIATION_MEASURES and func == "avg":
            return _deviation_sql(self._table, *DEVIATION_MEASURES[fname])
        return super()._read_group_select(aggregate_spec, query)


def _ratio_sql(table, spec):
    """SQL for a ratio of sums (100 x numerator ÷ denominator, NULL if 0)."""
    numerator, denominator, kind = spec
    num = SQL("SUM(%s)", SQL.identifier(table, numerator))
    den = SQL("SUM(%s)", SQL.identifier(table, denominator))
    if kind == "ratio":
        return SQL("%s / NULLIF(%s, 0)", num, den)
    if kind:
        den = SQL("%s + SUM(%s)", den, SQL.identifier(table, kind))
    return SQL("100.0 * %s / NULLIF(%s, 0)", num, den)


def _deviation_sql(table, actual, due, due_units):
    """SQL of funnel.deviation_to_date over the summed rows: 100 x (actual - due) ÷ due,
    NULL (n/a) until the rows' plan expects funnel.MIN_DUE_UNITS whole units by today."""
    actual, due, units = (
        SQL("SUM(%s)", SQL.identifier(table, name)) for name in (actual, due, due_units)
    )
    return SQL(
        "CASE WHEN ROUND(%s::numeric, 6) >= %s THEN 100.0 * (%s - %s) / NULLIF(%s, 0) END",
        units,
        funnel.MIN_DUE_UNITS,
        actual,
        due,
        due,
    )


def with_currency_labels(description, env):
    """``fields_get`` descriptions with the company currency in the labels of
    the monetary fields ("Won Revenue (EUR)")."""
    currency = env.company.currency_id.name
    for values in description.values():
        if values.get("type") == "monetary" and "string" in values and currency:
            values["string"] = f"{values['string']} ({currency})"
    return description


# shared with the activity report
ratio_sql = _ratio_sql
