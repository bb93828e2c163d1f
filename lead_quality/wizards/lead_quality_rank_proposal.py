# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..lib import quality_scoring
from ..lib.odoo_compat import group_users


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
        help="Only media with at least this many leads for an offer type are listed.",
    )
    min_evidence = fields.Integer(
        string="Minimum Evidence",
        related="company_id.lead_quality_rank_min_evidence",
        help="Leads with an outcome (a sales verdict, won or lost) a medium needs for an offer "
        "type before a rank change is proposed (set in the CRM settings).",
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

    @api.depends("company_id", "min_leads", "company_id.lead_quality_rank_min_evidence")
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
        min_evidence = self.company_id.lead_quality_rank_min_evidence or 0
        vals_list = []
        for offer_type in ("standard", "complex"):
            group = rows.filtered(lambda r, ot=offer_type: r.offer_type == ot)
            # only media with enough evidence are ranked (among themselves); the others keep
            # their rank: no change is proposed from a handful of leads
            ranked = group.filtered(lambda r: r.outcome_count >= min_evidence)
            ranks = quality_scoring.evidence_ranks(
                [(row.medium_id.name, row.evidence_score, row.revenue_per_lead) for row in ranked]
            )
            for row in group:
                enough = row in ranked
                proposed = ranks[row.medium_id.name] if enough else row.declared_rank
                vals_list.append(
                    {
                        "medium_id": row.medium_id.id,
                        "offer_type": offer_type,
                        "current_rank": row.declared_rank,
                        "proposed_rank": proposed,
                        "lead_count": row.lead_count,
                        "feedback_count": row.feedback_count,
                        "outcome_count": row.outcome_count,
                        "enough_evidence": enough,
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
        # the evidence as the report has it now (not as the form sent it)
        rows = self.env["lead.quality.medium.report"].search(
            [("company_id", "=", self.company_id.id), ("medium_id", "in", lines.medium_id.ids)]
        )
        evidence = {(row.medium_id, row.offer_type): row for row in rows}
        min_evidence = self.company_id.lead_quality_rank_min_evidence or 0
        weak = lines.filtered(
            lambda line: line.proposed_rank != line.current_rank
            and (
                (line.medium_id, line.offer_type) not in evidence
                or evidence[(line.medium_id, line.offer_type)].outcome_count < min_evidence
            )
        )
        if weak:
            raise UserError(
                self.env._(
                    "Too little evidence to change the rank of %(media)s: a medium needs "
                    "%(minimum)s leads with an outcome (a sales verdict, won or lost).",
                    media=", ".join(weak.medium_id.mapped("display_name")),
                    minimum=min_evidence,
                )
            )
        self._post_rank_changes(lines, evidence)
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

    def _post_rank_changes(self, lines, evidence):
        """Leave a trace of the applied proposals: a message on each medium's chatter (who,
        old and new rank, the evidence), sent to the company's sales managers."""
        offer_types = dict(
            self.env["lead.quality.rank.proposal.line"]
            ._fields["offer_type"]
            ._description_selection(self.env)
        )
        managers = group_users(self.env.ref("sales_team.group_sale_manager").sudo()).filtered(
            lambda user: user.active
            and not user.share
            and self.company_id in user.company_ids
            and user != self.env.user
        )
        for medium in lines.medium_id:
            items = Markup().join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(offer_type)s: rank %(old)s → %(new)s. Evidence: %(outcomes)s leads with "
                    "an outcome of %(leads)s; acceptance %(acceptance).1f %% of %(feedback)s "
                    "with feedback, conversion %(conversion).1f %%, won %(won).1f %% of "
                    "%(leads)s leads; evidence score %(score).1f.",
                    offer_type=offer_types.get(line.offer_type, line.offer_type),
                    old=row.declared_rank,
                    new=line.proposed_rank,
                    outcomes=row.outcome_count,
                    leads=row.lead_count,
                    acceptance=row.acceptance_rate or 0.0,
                    feedback=row.feedback_count,
                    conversion=row.conversion_rate,
                    won=row.won_rate,
                    score=row.evidence_score,
                )
                for line in lines.filtered(lambda ln, m=medium: ln.medium_id == m)
                for row in [evidence[(line.medium_id, line.offer_type)]]
            )
            body = Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._(
                    "Media rank changed from the evidence by %(user)s (company %(company)s):",
                    user=self.env.user.name,
                    company=self.company_id.name,
                ),
                items,
            )
            medium.message_post(
                body=body,
                subtype_xmlid="mail.mt_comment",
                partner_ids=managers.partner_id.ids,
            )
