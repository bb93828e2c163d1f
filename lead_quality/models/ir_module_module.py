# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, *args, **kwargs):
        # further arguments passed on as they come: Odoo 19.0 dropped `imported_module`
        res = super()._load_module_terms(modules, langs, *args, **kwargs)
        # Odoo's media (module utm) come untranslated: their names in our translations
        if "lead_quality" in modules and "utm.medium" in self.env:
            self.env["utm.medium"]._lead_quality_translate_odoo_media(langs)
        return res
