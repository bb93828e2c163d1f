# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..lib import quality_scoring


class LeadQualityRankProposal(models.TransientModel):
    """Proposes media ranks from the evidence of the quality-by-medium report.

    Nothing changes until a CRM manager confirms the proposals.
    """

    _name = "lead.quality.rank.proposal"
    _description = "Media Rank Proposal from Evidence"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        help="Company whose leads provide the evidence.",
    )
    min_leads = fields.Integer(
        string="Minimum Leads",
        default=5,
        help="Only media with at least this many leads for an offer type are ranked by evidence.",
    )
    line_ids = fields.One2many(
        "lead.quality.rank.proposal.line",
        "proposal_id",
        string="Proposals",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
        help="Proposed rank per medium and offer type, with the figures it is based on.",
    )

    @api.depends("company_id", "min_leads")
    def _compute_line_ids(self):
        for wizard in self:
            wizard.line_ids = [Command.clear()] + [
                Command.create(vals) for vals in wizard._prepare_line_vals()
            ]

    def _prepare_line_vals(self):
        self.ensure_one()
        rows = self.env["lead.quality.medium.report"].search(
            [("company_id", "=", self.company_id.id), ("lead_count", ">=", max(self.min_leads, 1))]
        )
        vals_list = []
        for offer_type in ("standard", "complex"):
            group = rows.filtered(lambda r, ot=offer_type: r.offer_type == ot)
            ranks = quality_scoring.evidence_ranks(
                [(row.medium_id.name, row.evidence_score, row.revenue_per_lead) for row in group]
            )
            for row in group:
                proposed = ranks[row.medium_id.name]
                vals_list.append(
                    {
                        "medium_id": row.medium_id.id,
                        "offer_type": offer_type,
                        "current_rank": row.declared_rank,
                        "proposed_rank": proposed,
                        "lead_count": row.lead_count,
                        "acceptance_rate": row.acceptance_rate,
                        "conversion_rate": row.conversion_rate,
                        "won_rate": row.won_rate,
                        "revenue_per_lead": row.revenue_per_lead,
                        "evidence_score": row.evidence_score,
                        "apply": proposed != row.declared_rank,
                    }
                )
        return sorted(vals_list, key=lambda v: (v["offer_type"] != "standard", v["proposed_rank"]))

    def action_confirm(self):
        """Apply the selected proposals (CRM managers only)."""
        self.ensure_one()
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise AccessError(self.env._("Only CRM managers can change media ranks."))
        lines = self.line_ids.filtered(
            lambda line: line.apply and line.proposed_rank != line.current_rank
        )
        if not lines:
            raise UserError(self.env._("No proposal is selected that changes a rank."))
        Override = self.env["lead.quality.rank"]
        overrides = Override.search([("medium_id", "in", lines.medium_id.ids)])
        to_create = []
        for line in lines:
            candidates = overrides.filtered(
                lambda o, ln=line: o.medium_id == ln.medium_id and o.offer_type == ln.offer_type
            )
            override = candidates.filtered(
                lambda o: o.company_id == self.company_id
            ) or candidates.filtered(lambda o: not o.company_id)
            if override:
                override[:1].rank = line.proposed_rank
            elif line.offer_type == "standard":
                line.medium_id.quality_rank = line.proposed_rank
            else:
                to_create.append(
                    {
                        "medium_id": line.medium_id.id,
                        "offer_type": line.offer_type,
                        "rank": line.proposed_rank,
                    }
                )
        if to_create:
            Override.create(to_create)
        return {"type": "ir.actions.act_window_close"}
