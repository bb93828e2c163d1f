from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    lead_reporting_history_months = fields.Integer(
        string="Funnel History Window (Months)",
        config_parameter="lead_reporting.history_months",
        default=12,
        help="Months of history used for the default deal value and conversion rates of "
        "new funnel plans.",
    )
    lead_reporting_followup_hours = fields.Integer(
        string="Follow-up Deadline (Hours)",
        config_parameter="lead_reporting.followup_hours",
        default=48,
        help="Hours after the distribution within which a lead distributed to a salesperson "
        "counts as followed up in time, for leads without a follow-up deadline of their pool.",
    )

    def set_values(self):
        before = self.env["ir.config_parameter"].sudo().get_param("lead_reporting.followup_hours")
        result = super().set_values()
        after = self.env["ir.config_parameter"].sudo().get_param("lead_reporting.followup_hours")
        if before != after:
            # the deadline is part of the report's SQL view
            self.env["lead.activity.success.report"].init()
        return result

    @api.constrains("lead_reporting_history_months", "lead_reporting_followup_hours")
    def _check_lead_reporting_settings(self):
        for settings in self:
            if settings.lead_reporting_history_months < 1:
                raise ValidationError(self.env._("The history window must be at least one month."))
            if settings.lead_reporting_followup_hours < 1:
                raise ValidationError(
                    self.env._("The follow-up deadline must be at least one hour.")
                )
