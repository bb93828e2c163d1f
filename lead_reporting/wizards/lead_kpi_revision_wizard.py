from odoo import api, fields, models

from ..models.lead_kpi_mixin import FREQUENCY_SELECTION

KPI_FIELDS = [
    "kpi_lead_target",
    "kpi_quality_target",
    "kpi_opportunity_target",
    "kpi_revenue_target",
    "kpi_cost_per_lead_target",
    "report_frequency",
]


class LeadKpiRevisionWizard(models.TransientModel):
    """Change success criteria after the start, with a reason (R18)."""

    _name = "lead.kpi.revision.wizard"
    _description = "Revise Success Criteria"

    res_model = fields.Char(string="Model", required=True, help="Model of the revised record.")
    res_id = fields.Integer(string="Record", required=True, help="The revised record.")
    kpi_lead_target = fields.Integer(string="Target: Leads", help="New lead target.")
    kpi_quality_target = fields.Float(
        string="Target: Average Quality Score", help="New average quality score target."
    )
    kpi_opportunity_target = fields.Integer(
        string="Target: Opportunities", help="New opportunity target."
    )
    kpi_revenue_target = fields.Float(string="Target: Won Revenue", help="New revenue target.")
    kpi_cost_per_lead_target = fields.Float(
        string="Target: Cost per Lead", help="New cost per lead target."
    )
    report_frequency = fields.Selection(
        FREQUENCY_SELECTION, string="Reporting Frequency", help="New reporting frequency."
    )
    report_recipient_ids = fields.Many2many(
        "res.partner", string="Report Recipients", help="New recipients of the digest."
    )
    reason = fields.Text(required=True, help="Why the criteria change.")

    def _record(self):
        return self.env[self.res_model].browse(self.res_id)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model, res_id = values.get("res_model"), values.get("res_id")
        if model and res_id:
            record = self.env[model].browse(res_id)
            for fname in KPI_FIELDS:
                values[fname] = record[fname]
            values["report_recipient_ids"] = [fields.Command.set(record.report_recipient_ids.ids)]
        return values

    def action_apply(self):
        self.ensure_one()
        record = self._record()
        changes = {fname: self[fname] for fname in KPI_FIELDS if self[fname] != record[fname]}
        if self.report_recipient_ids != record.report_recipient_ids:
            changes["report_recipient_ids"] = [fields.Command.set(self.report_recipient_ids.ids)]
        if changes:
            record.action_revise_kpi(changes, self.reason)
        return {"type": "ir.actions.act_window_close"}
