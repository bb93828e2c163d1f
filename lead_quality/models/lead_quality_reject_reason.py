# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class LeadQualityRejectReason(models.Model):
    _name = "lead.quality.reject.reason"
    _description = "Lead Rejection Reason"
    _order = "sequence, id"

    name = fields.Char(
        string="Reason",
        required=True,
        translate=True,
        help="Why a salesperson rejects a lead they received, e.g. no need or wrong contact.",
    )
    sequence = fields.Integer(default=10, help="Order in the selection list.")
    active = fields.Boolean(default=True, help="Archived reasons can no longer be chosen.")
    company_id = fields.Many2one(
        comodel_name="res.company",
        help="Company that uses this reason; empty for all companies.",
    )
