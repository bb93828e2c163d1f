# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import SUPERUSER_ID, api, fields, models

from ..lib import data_maintenance as dm

#: context key that switches the recording off (merges, server actions,
#: record creation, benchmarks)
NO_CREDIT_KEY = "lead_data_maintenance_skip"

#: context keys that mark a write as not made by a person at a form:
#: module install/update, base_import, cron jobs (Odoo 18 `ir.cron._run_job`
#: sets `cron_id`, `method_direct_trigger` sets `ir_cron_progress_id`)
NO_CREDIT_CONTEXT_KEYS = (
    NO_CREDIT_KEY,
    "install_mode",
    "import_file",
    "cron_id",
    "ir_cron_progress_id",
)

MAINTAINED_MODELS = [("crm.lead", "Lead/Opportunity"), ("res.partner", "Contact")]


class LeadDataMaintenance(models.Model):
    _name = "lead.data.maintenance"
    _description = "Data Maintenance Act"
    _order = "date desc, id desc"
    _rec_name = "field_name"

    user_id = fields.Many2one(
        "res.users",
        string="Credited User",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        help="User who completed, corrected or verified the data and receives the points.",
    )
    res_model = fields.Selection(
        MAINTAINED_MODELS,
        string="Record Type",
        required=True,
        index=True,
        readonly=True,
        help="Kind of record whose data was maintained: a lead/opportunity or a contact.",
    )
    res_id = fields.Many2oneReference(
        string="Record ID",
        model_field="res_model",
        required=True,
        index=True,
        readonly=True,
        help="Database id of the maintained lead or contact.",
    )
    res_name = fields.Char(
        string="Record",
        compute="_compute_res_name",
        help="Name of the maintained lead or contact.",
    )
    field_name = fields.Char(
        string="Field",
        required=True,
        readonly=True,
        help="Technical name of the maintained field; 'data_verified_date' for a "
        "confirmation of the whole record with the Data verified button.",
    )
    field_label = fields.Char(
        string="Field Label",
        compute="_compute_field_label",
        help="Label of the maintained field as shown on the form.",
    )
    kind = fields.Selection(
        [
            (dm.COMPLETED, "Completed"),
            (dm.CORRECTED, "Corrected"),
            (dm.VERIFIED, "Verified"),
        ],
        required=True,
        index=True,
        readonly=True,
        help="Completed: an empty field was filled. Corrected: a value was replaced by "
        "another. Verified: the data was confirmed unchanged with the Data verified button.",
    )
    points = fields.Integer(
        required=True,
        readonly=True,
        aggregator="sum",
        help="Points credited for this act, from the points per kind in the CRM settings "
        "at the time of the act.",
    )
    date = fields.Date(
        required=True,
        index=True,
        readonly=True,
        default=fields.Date.context_today,
        help="Day of the act; at most one act per user, record and field is credited per day.",
    )
    company_id = fields.Many2one(
        "res.company",
        string="Company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
        help="Company of the maintained record.",
    )

    def init(self):
        # the day-limit look-up and the scoreboard filter on these columns
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS lead_data_maintenance_day_limit_idx
            ON lead_data_maintenance (user_id, date, res_model, res_id, field_name)
            """
        )

    @api.depends("res_model", "res_id")
    def _compute_res_name(self):
        ids_by_model = {}
        for act in self:
            ids_by_model.setdefault(act.res_model, set()).add(act.res_id)
        names = {}
        for model, ids in ids_by_model.items():
            if not model:
                continue
            records = self.env[model].browse(list(ids)).sudo().exists()
            names.update({(model, rec.id): rec.display_name for rec in records})
        for act in self:
            act.res_name = names.get((act.res_model, act.res_id), False)

    @api.depends("res_model", "field_name")
    def _compute_field_label(self):
        for act in self:
            field = act.res_model and self.env[act.res_model]._fields.get(act.field_name)
            act.field_label = field.get_description(self.env)["string"] if field else False

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------------
    # Recording (called from the write() of crm.lead and res.partner)
    # ------------------------------------------------------------------
    @api.model
    def _is_creditable_env(self, env):
        """Whether writes made in ``env`` earn maintenance credit.

        No credit for the superuser, sudo'ed code, portal/public users, module
        installs, imports, cron jobs, merges and server actions (these last two
        set NO_CREDIT_KEY, see crm.lead, the partner merge wizard and
        ir.actions.server)."""
        if env.su or env.uid == SUPERUSER_ID:
            return False
        context = env.context
        if any(context.get(key) for key in NO_CREDIT_CONTEXT_KEYS):
            return False
        return env.user._is_internal()

    @api.model
    def _maintained_fields(self, records, vals=None):
        """Maintained fields of ``records``' model (limited to ``vals`` if given)."""
        company = self.env.company.sudo()
        if records._name == "crm.lead":
            field_recs = company.data_maintenance_lead_field_ids
        elif records._name == "res.partner":
            field_recs = company.data_maintenance_partner_field_ids
        else:
            return []
        names = [name for name in field_recs.mapped("name") if name in records._fields]
        if vals is not None:
            names = [name for name in names if name in vals]
        return names

    @api.model
    def _snapshot(self, records, vals):
        """Old values of the maintained fields about to be written, or None.

        Setting ``data_verified_date`` (the Data verified button) is a
        ``verified`` act for the whole record."""
        records = records.filtered("id")
        if not records or not self._is_creditable_env(records.env):
            return None
        fnames = self._maintained_fields(records, vals)
        verified = bool(vals.get(dm.VERIFIED_FIELD)) and dm.VERIFIED_FIELD in records._fields
        if not fnames and not verified:
            return None
        if fnames:
            records.fetch(fnames)  # one query for the whole recordset
        return {"fnames": fnames, "old": self._values(records, fnames), "verified": verified}

    @api.model
    def _values(self, records, fnames):
        values = {}
        for rec in records:
            for fname in fnames:
                value = rec[fname]
                if isinstance(value, models.BaseModel):
                    value = tuple(value.ids) if len(value) != 1 else value.id
                values[rec.id, fname] = value
        return values

    @api.model
    def _record_write(self, records, snapshot):
        """Credit the user for what changed between ``snapshot`` and now."""
        if not snapshot:
            return self.browse()
        records = records.filtered("id")
        if records._name == "res.partner":
            # editing one's own contact card is no maintenance of customer data
            records -= self.env.user.partner_id
        fnames = snapshot["fnames"]
        new_values = self._values(records, fnames)
        changes = []
        for rec in records:
            company_id = self._company_of(rec)
            for fname in fnames:
                old, new = snapshot["old"].get((rec.id, fname)), new_values[rec.id, fname]
                if dm.classify_change(old, new):
                    changes.append((records._name, rec.id, fname, old, new, company_id))
            if snapshot["verified"]:
                changes.append(dm.verified_change(records._name, rec.id, company_id))
        return self._credit(records, changes)

    @api.model
    def _company_of(self, record):
        company = record.company_id if "company_id" in record._fields else False
        return company.id if company else self.env.company.id

    @api.model
    def _credit(self, records, changes):
        if not changes:
            return self.browse()
        user_id = records.env.uid
        day = fields.Date.context_today(self)
        # day limit: one search for every (record, field) key of this write
        existing = self.sudo().search_fetch(
            [
                ("user_id", "=", user_id),
                ("date", "=", day),
                ("res_model", "=", records._name),
                ("res_id", "in", list({change[1] for change in changes})),
                ("field_name", "in", list({change[2] for change in changes})),
            ],
            ["res_id", "field_name"],
        )
        existing_keys = {
            dm.dedup_key(user_id, records._name, act.res_id, act.field_name, day)
            for act in existing
        }
        points = self._points_by_kind()
        acts = dm.plan_acts(user_id, day, changes, points, existing_keys)
        return self.sudo().create(acts)

    @api.model
    def _points_by_kind(self):
        company = self.env.company.sudo()
        return {
            dm.COMPLETED: company.data_maintenance_points_completed,
            dm.CORRECTED: company.data_maintenance_points_corrected,
            dm.VERIFIED: company.data_maintenance_points_verified,
        }
