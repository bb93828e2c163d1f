from odoo import Command, api, models

from ..lib import odoo_compat


class ResGroups(models.Model):
    _inherit = "res.groups"

    @api.model
    def _lead_compat_grant_groups(self, model_name, record_ids, group_ids, replace=False):
        """Give `group_ids` to records of `model_name` (users, server actions ...) through the
        many2many that holds their groups in this Odoo (``groups_id`` on 18.0, ``group_ids``
        on 19.0): for our data files (``<function>``), which cannot name it on both.
        `replace`: these groups instead of the record's."""
        records = self.env[model_name].browse(record_ids)
        if replace:
            commands = [Command.set(group_ids)]
        else:
            commands = [Command.link(group_id) for group_id in group_ids]
        records.write({odoo_compat.groups_field(records): commands})

    @api.model
    def _lead_compat_set_category(self, group_id, category_id, privilege_xmlid):
        """File a group of ours under an application category (odoo_compat.set_group_category:
        the group's category on 18.0, a privilege of that category on 19.0)."""
        odoo_compat.set_group_category(
            self.browse(group_id),
            self.env["ir.module.category"].browse(category_id),
            privilege_xmlid,
        )
