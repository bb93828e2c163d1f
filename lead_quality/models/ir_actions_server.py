# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

from .lead_data_maintenance import NO_CREDIT_KEY


class IrActionsServer(models.Model):
    _inherit = "ir.actions.server"

    def run(self):
        # Writes made by server actions (and so by automation rules and crons,
        # which run server actions) earn no data-maintenance credit.
        return super(IrActionsServer, self.with_context(**{NO_CREDIT_KEY: True})).run()
