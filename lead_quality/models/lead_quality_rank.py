# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib.odoo_compat import sql_constraints

OFFER_TYPES = [("standard", "Standard"), ("complex", "Complex / Individual")]


class LeadQualityRank(models.Model):
    _name = "lead.quality.rank"
    _description = "Lead Quality Rank Override"
    _order = "offer_type, rank, id"

    medium_id = fields.Many2one(
        comodel_name="utm.medium",
        required=True,
        ondelete="cascade",
        index=True,
        help="Marketing medium whose rank differs for this offer type.",
    )
    offer_type = fields.Selection(
        selection=OFFER_TYPES,
        required=True,
        default="complex",
        help="Offer type for which this rank replaces the medium's own rank.",
    )
    rank = fields.Integer(
        required=True,
        default=1,
        help="Quality rank of the medium for this offer type, 1 being the best; 0 means not "
        "ranked.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        index=True,
        help="Company for which the override applies; empty for all companies. "
        "A company-specific override wins over a general one.",
    )
    default_rank = fields.Integer(
        string="Medium Rank",
        related="medium_id.quality_rank",
        help="Rank of the medium for standard offers.",
    )

    vars().update(
        sql_constraints(
            (
                "medium_offer_company_uniq",
                "UNIQUE NULLS NOT DISTINCT (medium_id, offer_type, company_id)",
                "There is already a rank override for this medium, offer type and company.",
            )
        )
    )

    @api.constrains("rank")
    def _check_rank(self):
        for override in self:
            if override.rank < 0:
                raise ValidationError(
                    self.env._(
                        "The rank of medium %(medium)s for %(offer)s offers cannot be negative.",
                        medium=override.medium_id.name,
                        offer=dict(OFFER_TYPES)[override.offer_type],
                    )
                )

    # every change of an override re-scores the leads of its medium, set-based

    @api.model_create_multi
    def create(self, vals_list):
        overrides = super().create(vals_list)
        self.env["crm.lead"]._quality_rescore_pending()
        return overrides

    def write(self, vals):
        res = super().write(vals)
        self.env["crm.lead"]._quality_rescore_pending()
        return res

    def unlink(self):
        res = super().unlink()
        self.env["crm.lead"]._quality_rescore_pending()
        return res

    @api.depends("medium_id", "offer_type", "rank")
    def _compute_display_name(self):
        labels = dict(self._fields["offer_type"]._description_selection(self.env))
        for override in self:
            offer = labels.get(override.offer_type, "")
            override.display_name = f"{override.medium_id.name} / {offer}: {override.rank}"
