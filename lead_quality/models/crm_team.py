# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .lead_quality_rank import OFFER_TYPES


class CrmTeam(models.Model):
    _inherit = "crm.team"

    lead_offer_type = fields.Selection(
        selection=OFFER_TYPES,
        string="Default Offer Type",
        default="standard",
        help="Offer type proposed on the leads of this team. Complex or "
        "individual offers rank media differently (events before telemarketing). "
        "Left empty, leads keep their offer type (standard for new leads).",
    )

    # --- data maintenance (issue 4) ---
    data_steward_id = fields.Many2one(
        "res.users",
        domain="[('share', '=', False)]",
        help="Inside-sales user who keeps the data of this team's leads and contacts complete "
        "and current. New leads of the team and contacts of its salespeople get this steward.",
    )
