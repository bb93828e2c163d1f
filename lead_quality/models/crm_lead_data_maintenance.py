# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..lib.odoo_compat import search_boolean
from .lead_data_maintenance import NO_CREDIT_KEY


class CrmLead(models.Model):
    """Data maintenance of leads: the data steward, the "To verify" list, and the credit of
    the maintenance acts (``lead.data.maintenance``) for the lead fields a user completes,
    corrects or verifies."""

    # a file per concern of crm.lead (quality, data maintenance), by design
    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    data_steward_id = fields.Many2one(
        "res.users",
        compute="_compute_data_steward_id",
        store=True,
        readonly=False,
        # partial: leads without a steward (most of them) cost the index nothing on writes
        index="btree_not_null",
        domain="[('share', '=', False)]",
        help="Inside-sales user responsible for keeping this lead's data complete and current. "
        "Defaults to the data steward of the lead's sales team.",
    )
    data_to_verify = fields.Boolean(
        compute="_compute_data_to_verify",
        search="_search_data_to_verify",
        help="The lead's data is stale (not verified within the freshness age) or incomplete "
        "for its medium: it belongs on its data steward's To verify list.",
    )
    data_maintenance_count = fields.Integer(
        string="Maintenance Acts",
        compute="_compute_data_maintenance_count",
        help="Number of credited data-maintenance acts on this lead that you may see.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("team_id")
    def _compute_data_steward_id(self):
        for lead in self:
            lead.data_steward_id = lead.team_id.data_steward_id or lead.data_steward_id

    @api.depends("is_data_stale", "data_completeness")
    def _compute_data_to_verify(self):
        for lead in self:
            lead.data_to_verify = lead.is_data_stale or lead.data_completeness < 100

    def _search_data_to_verify(self, operator, value):
        wanted = search_boolean(operator, value)
        if wanted is None:
            return NotImplemented
        domain = ["|", ("is_data_stale", "=", True), ("data_completeness", "<", 100)]
        return domain if wanted else ["!", *domain]

    @api.depends_context("uid")
    def _compute_data_maintenance_count(self):
        counts = self.env["lead.data.maintenance"]._count_by_record(self)
        for lead in self:
            lead.data_maintenance_count = counts.get(lead.id, 0)

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # creating a lead (and what its creation writes on contacts) earns nothing
        leads = super(CrmLead, self._without_credit()).create(vals_list)
        return leads.with_env(self.env)

    def write(self, vals):
        # credit the maintained lead fields; what the write propagates to the
        # contact (e-mail, phone sync) is not credited a second time
        maintenance = self.env["lead.data.maintenance"]
        snapshot = maintenance._write_snapshot(self, vals)
        res = super(CrmLead, self._without_credit()).write(vals)
        maintenance._record_write(self, snapshot)
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_mark_data_verified(self):
        """Data verified button: confirm the lead's data today."""
        return self.env["lead.data.maintenance"]._mark_verified(self)

    def action_view_data_maintenance(self):
        return self.env["lead.data.maintenance"]._action_of_record(self)

    # ------------------------------------------------------------
    # MERGE
    # ------------------------------------------------------------

    def _merge_opportunity(self, user_id=False, team_id=False, auto_unlink=True, max_length=5):
        # values copied from the merged leads are no maintenance
        head = super(CrmLead, self._without_credit())._merge_opportunity(
            user_id=user_id, team_id=team_id, auto_unlink=auto_unlink, max_length=max_length
        )
        return head.with_env(self.env)

    # ------------------------------------------------------------
    # TOOLS
    # ------------------------------------------------------------

    def _without_credit(self):
        """``self`` in an environment whose writes credit no maintenance act."""
        return self.with_context(**{NO_CREDIT_KEY: True})
