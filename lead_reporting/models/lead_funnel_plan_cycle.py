from odoo import fields, models


class LeadFunnelPlanCycle(models.Model):
    """The figures of a plan when it was replanned: the closed loop (R16, R21)."""

    _name = "lead.funnel.plan.cycle"
    _description = "Lead Funnel Planning Cycle"
    _order = "plan_id, cycle desc"

    plan_id = fields.Many2one(
        "lead.funnel.plan",
        required=True,
        ondelete="cascade",
        index=True,
        help="The replanned plan.",
    )
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, string="Company", help="Company of the plan."
    )
    currency_id = fields.Many2one(
        related="plan_id.currency_id", string="Currency", help="Currency of the plan."
    )
    cycle = fields.Integer(help="Number of the finished planning cycle.")
    reason = fields.Text(required=True, help="Why the plan was replanned.")
    user_id = fields.Many2one(
        "res.users",
        string="Replanned By",
        default=lambda self: self.env.user,
        help="Who started the replanning.",
    )
    date = fields.Datetime(default=fields.Datetime.now, help="When it was replanned.")
    revenue_target = fields.Monetary(help="Target of the finished cycle.")
    average_deal_value = fields.Monetary(help="Average deal of the cycle.")
    conversion_lead_opportunity = fields.Float(
        string="Lead → Opportunity (%)", help="Planned rate of the cycle."
    )
    conversion_opportunity_won = fields.Float(
        string="Opportunity → Won (%)", help="Planned rate of the cycle."
    )
    required_leads = fields.Integer(help="Required leads of the cycle.")
    planned_leads = fields.Integer(help="Planned leads of the cycle.")
    planned_revenue = fields.Monetary(help="Planned revenue of the cycle.")
    gap = fields.Monetary(help="Revenue gap of the cycle.")
    actual_leads = fields.Integer(help="Leads received until the replanning.")
    actual_won_revenue = fields.Monetary(help="Revenue won until the replanning.")
    confirm_reason = fields.Text(
        string="Reason Given at Confirmation",
        help="Why the cycle was confirmed despite a gap, if it was.",
    )
