# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .res_company import GRADE_SELECTION

_HELP = "Company setting, see Lead Quality in CRM settings."


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # Not plain related fields: thresholds must be written to the company in
    # one write, otherwise moving them all down fails the order check midway.
    lead_quality_weight_rank = fields.Integer(
        string="Weight of Media Rank",
        help="Weight of the medium's rank in the lead quality score.",
    )
    lead_quality_weight_completeness = fields.Integer(
        string="Weight of Data Completeness",
        help="Weight of the data completeness in the lead quality score.",
    )
    lead_quality_weight_freshness = fields.Integer(
        string="Weight of Data Freshness",
        help="Weight of the data freshness in the lead quality score.",
    )
    lead_quality_touch_bonus = fields.Integer(
        string="Bonus per Extra Medium",
        help="Score points added for each further distinct medium that reached the contact.",
    )
    lead_quality_threshold_a = fields.Integer(
        string="Minimum Score for Grade A",
        help="Leads scoring at least this are graded A.",
    )
    lead_quality_threshold_b = fields.Integer(
        string="Minimum Score for Grade B",
        help="Leads scoring at least this (and below grade A) are graded B.",
    )
    lead_quality_threshold_c = fields.Integer(
        string="Minimum Score for Grade C",
        help="Leads scoring at least this (and below grade B) are graded C; lower scores are D.",
    )
    lead_quality_freshness_days = fields.Integer(
        string="Data Freshness (days)",
        help="Lead data verified longer ago than this many days counts as stale and lowers the "
        "score.",
    )
    lead_quality_min_grade = fields.Selection(
        selection=GRADE_SELECTION,
        string="Minimum Grade for Distribution",
        help="Only leads graded at least this (and complete enough for their medium) are ready "
        "for distribution.",
    )

    lead_quality_rank_min_evidence = fields.Integer(
        related="company_id.lead_quality_rank_min_evidence",
        readonly=False,
    )

    def get_values(self):
        res = super().get_values()
        # the settings in effect: empty company columns show their defaults
        params = self.env.company._lead_quality_params()
        for fname, key in self.env["res.company"]._LEAD_QUALITY_PARAM_FIELDS.items():
            res[fname] = params[key]
        return res

    def set_values(self):
        res = super().set_values()
        fnames = list(self.env["res.company"]._LEAD_QUALITY_PARAM_FIELDS)
        for settings in self:
            vals = {
                fname: settings[fname]
                for fname in fnames
                if settings[fname] != settings.company_id[fname]
            }
            if vals:
                settings.company_id.write(vals)
        return res

    # --- data maintenance (issue 4) ---
    data_maintenance_lead_field_ids = fields.Many2many(
        related="company_id.data_maintenance_lead_field_ids",
        readonly=False,
        string="Maintained Lead Fields",
        help="Lead fields whose completion or correction earns data-maintenance points.",
    )
    data_maintenance_partner_field_ids = fields.Many2many(
        related="company_id.data_maintenance_partner_field_ids",
        readonly=False,
        string="Maintained Contact Fields",
        help="Contact fields whose completion or correction earns data-maintenance points.",
    )
    data_maintenance_points_completed = fields.Integer(
        related="company_id.data_maintenance_points_completed",
        readonly=False,
        string="Points for Completing",
        help="Points credited for filling an empty maintained field.",
    )
    data_maintenance_points_corrected = fields.Integer(
        related="company_id.data_maintenance_points_corrected",
        readonly=False,
        string="Points for Correcting",
        help="Points credited for replacing the value of a maintained field by another one; "
        "keep it at most the points for completing so that overwriting good data does not pay.",
    )
    data_maintenance_points_verified = fields.Integer(
        related="company_id.data_maintenance_points_verified",
        readonly=False,
        string="Points for Verifying",
        help="Points credited for confirming data with the Data verified button, only when "
        "the data was due and only to its salesperson or data steward.",
    )
    data_maintenance_bulk_daily_limit = fields.Integer(
        related="company_id.data_maintenance_bulk_daily_limit",
        readonly=False,
        string="Bulk Edits: Acts per Day",
        help="Acts a user earns per day from writes over several records at once; single "
        "records are not limited. 0 means bulk edits earn nothing.",
    )
    data_maintenance_free_rider_min_leads = fields.Integer(
        related="company_id.data_maintenance_free_rider_min_leads",
        readonly=False,
        string="Below Team Level: Minimum Leads",
        help="Only users who received at least this many leads in a month can be flagged.",
    )
    data_maintenance_free_rider_share = fields.Float(
        related="company_id.data_maintenance_free_rider_share",
        readonly=False,
        string="Below Team Level: Share of Team Median (%)",
        help="Users below this share of their team's median monthly points are flagged as "
        "maintaining data below team level.",
    )
