# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    # the other side of lead.distribution.pool.team_ids (the same table): which pools take a
    # team's leads, read once per team instead of one pool search per lead write
    distribution_pool_ids = fields.Many2many(
        comodel_name="lead.distribution.pool",
        relation="crm_team_lead_distribution_pool_rel",
        column1="crm_team_id",
        column2="lead_distribution_pool_id",
        string="Distribution Pools",
        readonly=True,
        help="The distribution pools that take the unassigned leads of this team (set on the "
        "pools).",
    )
