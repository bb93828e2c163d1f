# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from ..models.lead_quality_rank import OFFER_TYPES


class LeadQualityRankProposalLine(models.TransientModel):
    _name = "lead.quality.rank.proposal.line"
    _description = "Media Rank Proposal Line"
    _order = "offer_type desc, proposed_rank, id"

    proposal_id = fields.Many2one("lead.quality.rank.proposal", required=True, ondelete="cascade")
    medium_id = fields.Many2one("utm.medium", required=True, help="Medium to re-rank.")
    offer_type = fields.Selection(OFFER_TYPES, required=True, help="Offer type of the rank.")
    current_rank = fields.Integer(help="Rank configured today.")
    proposed_rank = fields.Integer(help="Rank by evidence; you may adjust it before confirming.")
    apply = fields.Boolean(help="Apply this proposal when confirming.")
    lead_count = fields.Integer(string="Leads", help="Leads of this medium and offer type.")
    feedback_count = fields.Integer(
        string="Leads with Feedback", help="Leads with a sales verdict: the acceptance's sample."
    )
    outcome_count = fields.Integer(
        string="Leads with Outcome", help="Leads with a sales verdict, won or lost."
    )
    enough_evidence = fields.Boolean(
        help="The medium has the minimum of leads with an outcome: a rank change may be "
        "proposed."
    )
    acceptance_rate = fields.Float(
        string="Acceptance Rate (%)", help="Accepted among leads with feedback."
    )
    conversion_rate = fields.Float(
        string="Conversion Rate (%)", help="Converted to opportunity among all leads."
    )
    won_rate = fields.Float(string="Won Rate (%)", help="Won among all leads.")
    revenue_per_lead = fields.Float(
        string="Won Revenue per Lead", help="Won revenue divided by leads."
    )
    evidence_score = fields.Float(help="Mean of the rates the proposal is based on.")
