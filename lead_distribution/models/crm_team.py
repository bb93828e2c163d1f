# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from .lead_distribution_log import LOGS_PREFETCHED


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
    # stored: a lead write asks whether its team is pooled with the team's row, which crm has
    # read already (no read of the relation on every assignment of crm's own)
    has_distribution_pool = fields.Boolean(
        string="Distributed by a Pool",
        compute="_compute_has_distribution_pool",
        store=True,
        help="An active distribution pool takes the unassigned leads of this team.",
    )

    @api.depends("distribution_pool_ids", "distribution_pool_ids.active")
    def _compute_has_distribution_pool(self):
        for team in self:
            team.has_distribution_pool = bool(team.distribution_pool_ids)

    def _allocate_leads_deduplicate(self, leads, duplicates_cache=None):
        """Before crm merges ``leads`` with their duplicates: the duplicates' decision log,
        read once for all the leads of the assignment (see
        ``crm.lead._distribution_prefetch_logs``), trusted by the merges of this call only."""
        if not duplicates_cache:
            return super()._allocate_leads_deduplicate(leads, duplicates_cache=duplicates_cache)
        self.env["crm.lead"]._distribution_prefetch_logs(leads, duplicates_cache)
        self.env.cr.cache[LOGS_PREFETCHED] = True
        try:
            return super()._allocate_leads_deduplicate(leads, duplicates_cache=duplicates_cache)
        finally:
            self.env.cr.cache.pop(LOGS_PREFETCHED, None)
