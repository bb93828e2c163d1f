# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class CrmLead(models.Model):
    _inherit = "crm.lead"
