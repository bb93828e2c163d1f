# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class LeadDistributionDeclineReason(models.Model):
    """Why a sales partner declines a lead offered to it: chosen from a list in the portal
    (plus free text); the decision log keeps the reason."""

    _name = "lead.distribution.decline.reason"
    _description = "Lead Decline Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    text_required = fields.Boolean(
        string="Explanation Required",
        help='The partner must explain this reason in a few words (e.g. for "Other").',
    )
