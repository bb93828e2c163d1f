# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import UserError


class LeadDistributionPool(models.Model):
    """A pool with a distribution history is archived, not deleted: its log stays."""

    _inherit = "lead.distribution.pool"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        used = (
            self.env["lead.distribution.log"]
            .sudo()
            ._read_group([("pool_id", "in", self.ids)], ["pool_id"], limit=1)
        )
        if used:
            raise UserError(
                self.env._(
                    "Pool %s has a distribution history: archive it instead of deleting it.",
                    used[0][0].name,
                )
            )
