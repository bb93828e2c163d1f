from odoo import fields, models


class LeadFunnelReplanWizard(models.TransientModel):
    _name = "lead.funnel.replan.wizard"
    _description = "Replan a Funnel Plan"

    plan_id = fields.Many2one("lead.funnel.plan", required=True, help="The plan to replan.")
    reason = fields.Text(
        required=True,
        help="Why another planning cycle starts (gap, deviation, new target).",
    )

    def action_replan(self):
        self.ensure_one()
        self.plan_id.action_replan(self.reason)
        return {"type": "ir.actions.act_window_close"}
