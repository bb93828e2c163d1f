# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import api, fields, models

from ..lib import data_maintenance as dm
from ..lib.odoo_compat import domain_or, search_boolean
from .lead_data_maintenance import NO_CREDIT_KEY


class ResPartner(models.Model):
    _inherit = "res.partner"

    data_steward_id = fields.Many2one(
        "res.users",
        compute="_compute_data_steward_id",
        store=True,
        readonly=False,
        index=True,
        domain="[('share', '=', False)]",
        help="Inside-sales user responsible for keeping this contact's data complete and "
        "current. Defaults to the data steward of the salesperson's sales team.",
    )
    data_verified_date = fields.Date(
        string="Data Verified On",
        copy=False,
        readonly=True,
        help="Day on which someone last confirmed this contact's data with the Data "
        "verified button.",
    )
    data_as_of_date = fields.Date(
        string="Data As Of",
        compute="_compute_data_as_of_date",
        store=True,
        help="Day of the last verification, or of the creation when never verified; "
        "the To verify list shows the oldest first.",
    )
    data_to_verify = fields.Boolean(
        compute="_compute_data_to_verify",
        search="_search_data_to_verify",
        help="The contact's data is stale (not verified within the freshness age of the "
        "CRM settings) or incomplete (no e-mail, phone, city or country).",
    )
    data_maintenance_count = fields.Integer(
        string="Maintenance Acts",
        compute="_compute_data_maintenance_count",
        help="Number of credited data-maintenance acts on this contact that you may see.",
    )

    @api.depends("user_id")
    def _compute_data_steward_id(self):
        for partner in self:
            if not partner.data_steward_id:
                partner.data_steward_id = partner.user_id.sale_team_id.data_steward_id

    @api.depends("data_verified_date", "create_date")
    def _compute_data_as_of_date(self):
        for partner in self:
            partner.data_as_of_date = partner.data_verified_date or (
                partner.create_date and partner.create_date.date()
            )

    def _data_stale_limit(self):
        days = self.env.company.lead_quality_freshness_days or 365
        return fields.Date.context_today(self) - timedelta(days=days)

    def _compute_data_to_verify(self):
        limit = self._data_stale_limit()
        for partner in self:
            stale = not partner.data_verified_date or partner.data_verified_date < limit
            incomplete = any(not partner[fname] for fname in dm.CONTACT_CORE_FIELDS)
            partner.data_to_verify = stale or incomplete

    def _search_data_to_verify(self, operator, value):
        wanted = search_boolean(operator, value)
        if wanted is None:
            return NotImplemented
        domain = domain_or(
            [
                [("data_verified_date", "=", False)],
                [("data_verified_date", "<", self._data_stale_limit())],
                *[[(fname, "=", False)] for fname in dm.CONTACT_CORE_FIELDS],
            ]
        )
        return domain if wanted else ["!", *domain]

    @api.depends_context("uid")
    def _compute_data_maintenance_count(self):
        counts = self.env["lead.data.maintenance"]._count_by_record(self)
        for partner in self:
            partner.data_maintenance_count = counts.get(partner.id, 0)

    @api.model_create_multi
    def create(self, vals_list):
        # creating a contact (and the syncs it triggers) earns nothing
        partners = super(ResPartner, self.with_context(**{NO_CREDIT_KEY: True})).create(vals_list)
        return partners.with_env(self.env)

    def write(self, vals):
        maintenance = self.env["lead.data.maintenance"]
        snapshot = maintenance._write_snapshot(self, vals)
        res = super().write(vals)
        maintenance._record_write(self, snapshot)
        return res

    def action_mark_data_verified(self):
        """Data verified button: confirm the contact's data today."""
        return self.env["lead.data.maintenance"]._mark_verified(self)

    def action_view_data_maintenance(self):
        return self.env["lead.data.maintenance"]._action_of_record(self)
