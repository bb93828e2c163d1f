# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..lib import data_maintenance as dm
from ..lib import quality_scoring

GRADE_SELECTION = [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")]
_D = quality_scoring.DEFAULT_PARAMS


class ResCompany(models.Model):
    _inherit = "res.company"

    lead_quality_weight_rank = fields.Integer(
        string="Weight of Media Rank",
        default=_D["weight_rank"],
        help="Weight of the medium's rank in the lead quality score.",
    )
    lead_quality_weight_completeness = fields.Integer(
        string="Weight of Data Completeness",
        default=_D["weight_completeness"],
        help="Weight of the data completeness in the lead quality score.",
    )
    lead_quality_weight_freshness = fields.Integer(
        string="Weight of Data Freshness",
        default=_D["weight_freshness"],
        help="Weight of the data freshness in the lead quality score.",
    )
    lead_quality_touch_bonus = fields.Integer(
        string="Bonus per Extra Medium",
        default=_D["touch_bonus"],
        help="Score points added for each further distinct medium that reached the contact.",
    )
    lead_quality_threshold_a = fields.Integer(
        string="Minimum Score for Grade A",
        default=_D["threshold_a"],
        help="Leads scoring at least this are graded A.",
    )
    lead_quality_threshold_b = fields.Integer(
        string="Minimum Score for Grade B",
        default=_D["threshold_b"],
        help="Leads scoring at least this (and below grade A) are graded B.",
    )
    lead_quality_threshold_c = fields.Integer(
        string="Minimum Score for Grade C",
        default=_D["threshold_c"],
        help="Leads scoring at least this (and below grade B) are graded C; lower scores are D.",
    )
    lead_quality_freshness_days = fields.Integer(
        string="Data Freshness (days)",
        default=_D["freshness_days"],
        help="Lead data verified longer ago than this many days counts as stale and lowers the "
        "score.",
    )
    lead_quality_min_grade = fields.Selection(
        selection=GRADE_SELECTION,
        string="Minimum Grade for Distribution",
        default=_D["min_grade"],
        help="Only leads graded at least this (and complete enough for their medium) are ready "
        "for distribution. Left empty, grade C applies.",
    )

    lead_quality_rank_min_evidence = fields.Integer(
        string="Minimum Evidence for Rank Proposals",
        default=30,
        help="Leads with an outcome (a sales verdict, won or lost) a medium needs for an offer "
        "type before a rank change is proposed from its figures.",
    )

    @api.constrains("lead_quality_rank_min_evidence")
    def _check_lead_quality_rank_min_evidence(self):
        for company in self:
            if (company.lead_quality_rank_min_evidence or 0) < 0:
                raise ValidationError(
                    self.env._("The minimum evidence for rank proposals cannot be negative.")
                )

    _LEAD_QUALITY_PARAM_FIELDS = {
        "lead_quality_weight_rank": "weight_rank",
        "lead_quality_weight_completeness": "weight_completeness",
        "lead_quality_weight_freshness": "weight_freshness",
        "lead_quality_touch_bonus": "touch_bonus",
        "lead_quality_threshold_a": "threshold_a",
        "lead_quality_threshold_b": "threshold_b",
        "lead_quality_threshold_c": "threshold_c",
        "lead_quality_freshness_days": "freshness_days",
        "lead_quality_min_grade": "min_grade",
    }

    def _lead_quality_params(self):
        """Scoring parameters of this company as a dict (see quality_scoring.DEFAULT_PARAMS).

        The columns carry no NOT NULL (rows inserted by code that does not know this addon
        leave them empty): empty or unusable settings count as the defaults."""
        self.ensure_one()
        return quality_scoring.effective_params(
            {key: self[fname] for fname, key in self._LEAD_QUALITY_PARAM_FIELDS.items()}
        )

    @api.constrains(
        "lead_quality_weight_rank",
        "lead_quality_weight_completeness",
        "lead_quality_weight_freshness",
        "lead_quality_touch_bonus",
        "lead_quality_threshold_a",
        "lead_quality_threshold_b",
        "lead_quality_threshold_c",
        "lead_quality_freshness_days",
    )
    def _check_lead_quality_params(self):
        for company in self:
            if not quality_scoring.weights_valid(
                company.lead_quality_weight_rank,
                company.lead_quality_weight_completeness,
                company.lead_quality_weight_freshness,
            ):
                raise ValidationError(
                    self.env._(
                        "Lead quality weights must not be negative and at least one must be "
                        "positive."
                    )
                )
            if not quality_scoring.thresholds_valid(
                company.lead_quality_threshold_a,
                company.lead_quality_threshold_b,
                company.lead_quality_threshold_c,
            ):
                raise ValidationError(
                    self.env._(
                        "Grade thresholds must be between 0 and 100 and in order: "
                        "A above B above C (got A %(a)s, B %(b)s, C %(c)s).",
                        a=company.lead_quality_threshold_a,
                        b=company.lead_quality_threshold_b,
                        c=company.lead_quality_threshold_c,
                    )
                )
            if company.lead_quality_touch_bonus < 0:
                raise ValidationError(self.env._("The bonus per extra medium cannot be negative."))
            if company.lead_quality_freshness_days <= 0:
                raise ValidationError(
                    self.env._("The data freshness age must be a positive number of days.")
                )

    def write(self, vals):
        changed = set(vals) & set(self._LEAD_QUALITY_PARAM_FIELDS)
        if changed:
            before = {company.id: company._lead_quality_params() for company in self}
        res = super().write(vals)
        if not self._DATA_MAINTENANCE_FIELD_LISTS.keys().isdisjoint(vals):
            self.env.registry.clear_cache()  # _data_maintenance_watched_fields
        if changed:
            companies = self.filtered(lambda c: c._lead_quality_params() != before[c.id])
            if companies:
                self.env["crm.lead"]._quality_rescore_companies(companies)
        return res

    # --- data maintenance (issue 4) ---
    # the relation of each model's maintained fields
    _DATA_MAINTENANCE_FIELD_LISTS = {
        "data_maintenance_lead_field_ids": (
            "crm.lead",
            "res_company_data_maintenance_lead_field_rel",
        ),
        "data_maintenance_partner_field_ids": (
            "res.partner",
            "res_company_data_maintenance_partner_field_rel",
        ),
    }

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env.registry.clear_cache()  # _data_maintenance_watched_fields
        return companies

    @api.model
    @tools.ormcache("model_name")
    def _data_maintenance_watched_fields(self, model_name):
        """Names of the ``model_name`` fields that at least one company maintains.

        The write() of leads and contacts asks this on every write, to skip the recording
        (and every query of it) when a write sets none of them: cached per registry, cleared
        when a company's maintained fields change (create / write above).
        """
        relations = [
            relation
            for model, relation in self._DATA_MAINTENANCE_FIELD_LISTS.values()
            if model == model_name
        ]
        if not relations:
            return frozenset()
        self.flush_model(list(self._DATA_MAINTENANCE_FIELD_LISTS))
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT field.name FROM %s rel"
                " JOIN ir_model_fields field ON field.id = rel.field_id",
                SQL.identifier(relations[0]),
            )
        )
        return frozenset(name for (name,) in self.env.cr.fetchall())

    def _data_maintenance_default_fields(self, model):
        names = dm.DEFAULT_LEAD_FIELDS if model == "crm.lead" else dm.DEFAULT_PARTNER_FIELDS
        return (
            self.env["ir.model.fields"]
            .sudo()
            .search([("model", "=", model), ("name", "in", names)])
        )

    data_maintenance_lead_field_ids = fields.Many2many(
        "ir.model.fields",
        relation="res_company_data_maintenance_lead_field_rel",
        column1="company_id",
        column2="field_id",
        string="Maintained Lead Fields",
        domain="[('model', '=', 'crm.lead'), ('store', '=', True)]",
        default=lambda self: self._data_maintenance_default_fields("crm.lead"),
        help="Lead fields whose completion or correction earns data-maintenance points.",
    )
    data_maintenance_partner_field_ids = fields.Many2many(
        "ir.model.fields",
        relation="res_company_data_maintenance_partner_field_rel",
        column1="company_id",
        column2="field_id",
        string="Maintained Contact Fields",
        domain="[('model', '=', 'res.partner'), ('store', '=', True)]",
        default=lambda self: self._data_maintenance_default_fields("res.partner"),
        help="Contact fields whose completion or correction earns data-maintenance points.",
    )
    data_maintenance_points_completed = fields.Integer(
        string="Points for Completing",
        default=dm.DEFAULT_POINTS[dm.COMPLETED],
        help="Points credited for filling an empty maintained field.",
    )
    data_maintenance_points_corrected = fields.Integer(
        string="Points for Correcting",
        default=dm.DEFAULT_POINTS[dm.CORRECTED],
        help="Points credited for replacing the value of a maintained field by another one. "
        "A correction cannot be told apart from overwriting good data: keep it at most the "
        "points for completing.",
    )
    data_maintenance_points_verified = fields.Integer(
        string="Points for Verifying",
        default=dm.DEFAULT_POINTS[dm.VERIFIED],
        help="Points credited for confirming a lead's or contact's data with the Data verified "
        "button, only when the data was due (never verified or older than the data freshness "
        "age) and only to its salesperson or data steward.",
    )
    data_maintenance_bulk_daily_limit = fields.Integer(
        string="Bulk Edits: Acts per Day",
        default=dm.DEFAULT_BULK_DAILY_LIMIT,
        help="Writes over several records at once (a mass edit in a list, one call over many "
        "records) credit each user at most this many acts per day. Edits of a single record "
        "are not limited. 0 means bulk edits earn no credit at all.",
    )
    data_maintenance_free_rider_min_leads = fields.Integer(
        string="Below Team Level: Minimum Leads",
        default=5,
        help="Only users who received at least this many leads in a month can be flagged as "
        "maintaining data below team level.",
    )
    data_maintenance_free_rider_share = fields.Float(
        string="Below Team Level: Share of Team Median (%)",
        default=50.0,
        help="Users whose monthly maintenance points stay below this share of their team's median "
        "are flagged as maintaining data below team level.",
    )

    @api.constrains(
        "data_maintenance_points_completed",
        "data_maintenance_points_corrected",
        "data_maintenance_points_verified",
        "data_maintenance_free_rider_min_leads",
        "data_maintenance_free_rider_share",
        "data_maintenance_bulk_daily_limit",
    )
    def _check_data_maintenance_settings(self):
        labels = {
            dm.COMPLETED: self.env._("completing"),
            dm.CORRECTED: self.env._("correcting"),
            dm.VERIFIED: self.env._("verifying"),
        }
        for company in self:
            errors = dm.check_settings(
                {
                    dm.COMPLETED: company.data_maintenance_points_completed,
                    dm.CORRECTED: company.data_maintenance_points_corrected,
                    dm.VERIFIED: company.data_maintenance_points_verified,
                },
                company.data_maintenance_free_rider_share,
                company.data_maintenance_free_rider_min_leads,
                company.data_maintenance_bulk_daily_limit,
            )
            for code, kind in errors:
                if code == "points":
                    raise ValidationError(
                        self.env._(
                            "The data-maintenance points for %(kind)s cannot be negative.",
                            kind=labels[kind],
                        )
                    )
                if code == "share":
                    raise ValidationError(
                        self.env._(
                            "Maintenance below team level: the share of the team's median "
                            "data-maintenance points must lie between 0 and 100 %."
                        )
                    )
                if code == "bulk_limit":
                    raise ValidationError(
                        self.env._("The daily number of acts from bulk edits cannot be negative.")
                    )
                raise ValidationError(
                    self.env._(
                        "Maintenance below team level: the minimum of leads received cannot be "
                        "negative."
                    )
                )

    @api.model
    def _data_maintenance_init_fields(self):
        """Install: give existing companies the default maintained fields."""
        companies = self.sudo().search(
            [
                "|",
                ("data_maintenance_lead_field_ids", "=", False),
                ("data_maintenance_partner_field_ids", "=", False),
            ]
        )
        for company in companies:
            if not company.data_maintenance_lead_field_ids:
                company.data_maintenance_lead_field_ids = company._data_maintenance_default_fields(
                    "crm.lead"
                )
            if not company.data_maintenance_partner_field_ids:
                company.data_maintenance_partner_field_ids = (
                    company._data_maintenance_default_fields("res.partner")
                )
