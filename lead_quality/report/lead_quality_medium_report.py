# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.lead_quality_rank import OFFER_TYPES


class LeadQualityMediumReport(models.Model):
    """Lead quality by medium: declared rank against the evidence from sales."""

    _name = "lead.quality.medium.report"
    _description = "Lead Quality by Medium"
    _auto = False
    _order = "company_id, offer_type, evidence_rank, medium_id"
    _rec_name = "medium_id"

    company_id = fields.Many2one("res.company", readonly=True, help="Company of the leads.")
    medium_id = fields.Many2one("utm.medium", readonly=True, help="Medium that produced the leads.")
    offer_type = fields.Selection(OFFER_TYPES, readonly=True, help="Offer type of the leads.")
    declared_rank = fields.Integer(
        readonly=True,
        aggregator="min",
        help="Rank configured for this medium and offer type (overrides included).",
    )
    lead_count = fields.Integer(
        string="Leads", readonly=True, help="Leads and opportunities, lost ones included."
    )
    feedback_count = fields.Integer(
        string="Leads with Feedback",
        readonly=True,
        help="Leads on which sales gave a verdict: the sample of the acceptance rate.",
    )
    outcome_count = fields.Integer(
        string="Leads with Outcome",
        readonly=True,
        help="Leads with a sales verdict, won or lost: the evidence a rank proposal needs.",
    )
    accepted_count = fields.Integer(
        string="Accepted", readonly=True, help="Leads whose latest verdict is accepted."
    )
    acceptance_rate = fields.Float(
        string="Acceptance Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Accepted leads among the leads with feedback (sample: Leads with Feedback).",
    )
    opportunity_count = fields.Integer(
        string="Converted", readonly=True, help="Leads converted to an opportunity."
    )
    conversion_rate = fields.Float(
        string="Conversion Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Leads converted to an opportunity among all leads (sample: Leads).",
    )
    won_count = fields.Integer(string="Won", readonly=True, help="Opportunities won.")
    won_rate = fields.Float(
        string="Won Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Won opportunities among all leads (sample: Leads).",
    )
    won_revenue = fields.Float(readonly=True, help="Expected revenue of the won opportunities.")
    revenue_per_lead = fields.Float(
        string="Won Revenue per Lead",
        readonly=True,
        aggregator="avg",
        help="Won revenue divided by the number of leads (sample: Leads).",
    )
    evidence_score = fields.Float(
        readonly=True,
        aggregator="avg",
        help="Mean of acceptance, conversion and won rates (acceptance left out when no feedback).",
    )
    evidence_rank = fields.Integer(
        string="Evidence-based Rank",
        readonly=True,
        aggregator="min",
        help="Rank of the medium among the media of the same offer type and company by evidence "
        "score "
        "(ties: revenue per lead).",
    )

    rank_differs = fields.Boolean(
        string="Rank Differs from Evidence",
        readonly=True,
        help="The declared rank is not the evidence-based rank.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
CREATE OR REPLACE VIEW %s AS (
WITH latest_feedback AS (
    SELECT DISTINCT ON (lead_id) lead_id, verdict
      FROM lead_quality_feedback
  ORDER BY lead_id, id DESC
), base AS (
    SELECT MIN(l.id) AS id,
           l.company_id,
           l.medium_id,
           COALESCE(l.offer_type, 'standard') AS offer_type,
           COUNT(*) AS lead_count,
           COUNT(fb.lead_id) AS feedback_count,
           COUNT(*) FILTER (WHERE fb.verdict = 'accepted') AS accepted_count,
           COUNT(*) FILTER (
               WHERE fb.lead_id IS NOT NULL
                  OR (l.active AND s.is_won)
                  OR (NOT l.active AND COALESCE(l.probability, 0) = 0)
           ) AS outcome_count,
           COUNT(*) FILTER (
               WHERE l.type = 'opportunity' OR l.date_conversion IS NOT NULL
           ) AS opportunity_count,
           COUNT(*) FILTER (WHERE l.active AND s.is_won) AS won_count,
           COALESCE(SUM(l.expected_revenue) FILTER (WHERE l.active AND s.is_won), 0) AS won_revenue
      FROM crm_lead l
 LEFT JOIN crm_stage s ON s.id = l.stage_id
 LEFT JOIN latest_feedback fb ON fb.lead_id = l.id
     WHERE l.medium_id IS NOT NULL
  GROUP BY l.company_id, l.medium_id, COALESCE(l.offer_type, 'standard')
), rates AS (
    SELECT b.*,
           CASE WHEN b.feedback_count > 0
                THEN 100.0 * b.accepted_count / b.feedback_count END AS acceptance_rate,
           100.0 * b.opportunity_count / b.lead_count AS conversion_rate,
           100.0 * b.won_count / b.lead_count AS won_rate,
           b.won_revenue / b.lead_count AS revenue_per_lead
      FROM base b
), scored AS (
    SELECT r.*,
           (COALESCE(r.acceptance_rate, 0) + r.conversion_rate + r.won_rate)
             / (CASE WHEN r.acceptance_rate IS NULL THEN 2 ELSE 3 END) AS evidence_score
      FROM rates r
), ranked AS (
SELECT sc.id,
       sc.company_id,
       sc.medium_id,
       sc.offer_type,
       COALESCE(
           (SELECT o.rank
              FROM lead_quality_rank o
             WHERE o.medium_id = sc.medium_id
               AND o.offer_type = sc.offer_type
               AND (o.company_id = sc.company_id OR o.company_id IS NULL)
          ORDER BY o.company_id NULLS LAST
             LIMIT 1),
           m.quality_rank, 0) AS declared_rank,
       sc.lead_count,
       sc.feedback_count,
       sc.outcome_count,
       sc.accepted_count,
       sc.acceptance_rate,
       sc.opportunity_count,
       sc.conversion_rate,
       sc.won_count,
       sc.won_rate,
       sc.won_revenue,
       sc.revenue_per_lead,
       sc.evidence_score,
       ROW_NUMBER() OVER (
           PARTITION BY sc.company_id, sc.offer_type
           ORDER BY sc.evidence_score DESC, sc.revenue_per_lead DESC, m.name->>'en_US', m.id
       ) AS evidence_rank
  FROM scored sc
  JOIN utm_medium m ON m.id = sc.medium_id
)
SELECT ranked.*, ranked.declared_rank != ranked.evidence_rank AS rank_differs
  FROM ranked
)
""",
                SQL.identifier(self._table),
            )
        )
