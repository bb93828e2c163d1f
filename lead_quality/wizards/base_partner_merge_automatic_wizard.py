# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

from ..models.lead_data_maintenance import NO_CREDIT_KEY


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        # values copied from the merged contacts are no maintenance
        self = self.with_context(**{NO_CREDIT_KEY: True})  # noqa: PLW0642
        if dst_partner:
            dst_partner = dst_partner.with_context(**{NO_CREDIT_KEY: True})
        return super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
