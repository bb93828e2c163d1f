# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import UserError


class LeadDistributionPool(models.Model):
    """A pool with a distribution history is archived, not deleted: its log stays (the
    database refuses it too, ``ondelete="restrict"`` on the log's pool)."""

    _inherit = "lead.distribution.pool"  # pylint: disable=consider-merging-classes-inherited

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

    @api.ondelete(at_uninstall=True)
    def _unlink_history_at_uninstall(self):
        """While this addon is uninstalled, the pools' log goes with them instead of stopping
        their deletion."""
        Log = self.env["lead.distribution.log"].sudo()
        if Log._addon_uninstalling():
            Log.search([("pool_id", "in", self.ids)]).unlink()
