from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import funnel


class LeadFunnelPlanLine(models.Model):
    """Leads planned from one medium and / or campaign (R16)."""

    _name = "lead.funnel.plan.line"
    _description = "Lead Funnel Plan Line"
    _order = "plan_id, sequence, id"

    sequence = fields.Integer(default=10, help="Order of the lines.")
    plan_id = fields.Many2one(
        "lead.funnel.plan",
        required=True,
        ondelete="cascade",
        index=True,
        help="The plan this line belongs to.",
    )
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, string="Company", help="Company of the plan."
    )
    currency_id = fields.Many2one(
        related="plan_id.currency_id", string="Currency", help="Currency of the plan."
    )
    medium_id = fields.Many2one(
        "utm.medium",
        index=True,
        help="Marketing medium expected to produce the leads.",
    )
    campaign_id = fields.Many2one(
        "utm.campaign",
        index=True,
        help="Marketing campaign expected to produce the leads.",
    )
    planned_leads = fields.Integer(help="Number of leads planned.")
    history_conversion = fields.Float(
        string="Historical Lead → Won (%)",
        compute="_compute_history_conversion",
        help="Share of this medium's leads of the team that were won in the history window "
        "(lead → opportunity x opportunity → won). Falls back to the plan's overall rate.",
    )
    expected_conversion = fields.Float(
        string="Expected Lead → Won (%)",
        compute="_compute_expected_conversion",
        store=True,
        readonly=False,
        precompute=True,
        help="Share of the planned leads expected to become won deals, in percent. "
        "Defaults to the medium's history.",
    )
    expected_revenue = fields.Monetary(
        compute="_compute_expected_revenue",
        store=True,
        help="Planned leads x expected conversion x the plan's average deal value.",
    )

    @api.depends(
        "medium_id",
        "plan_id.team_id",
        "plan_id.date_from",
        "plan_id.history_months",
        "plan_id.conversion_lead_won",
    )
    def _compute_history_conversion(self):
        rates = self._history_rates()
        for line in self:
            line.history_conversion = rates[line]

    def _history_rates(self):
        """{line: historical lead → won rate of its medium in the plan's team and
        window, else the plan's overall rate}; one query set per plan."""
        rates = {}
        for plan in self.plan_id:
            lines = self.filtered(lambda line, plan=plan: line.plan_id == plan)
            per_medium = plan._history_figures(["medium_id"]) if plan.team_id else {}
            for line in lines:
                entry = per_medium.get((line.medium_id.id,)) if line.medium_id else None
                rate = None
                if (
                    entry
                    and entry["lead_to_opportunity"] is not None
                    and entry["opportunity_to_won"] is not None
                ):
                    rate = funnel.lead_to_won_rate(
                        entry["lead_to_opportunity"], entry["opportunity_to_won"]
                    )
                rates[line] = plan.conversion_lead_won if rate is None else rate
        for line in self - self.filtered("plan_id"):
            rates[line] = 0.0
        return rates

    @api.depends("medium_id", "plan_id")
    def _compute_expected_conversion(self):
        # from the history itself, not from history_conversion: in the form's onchange
        # that non-stored field may still hold the value the client sent (0 for a new
        # line), and the line would be saved with 0 % (planned revenue 0)
        rates = self._history_rates()
        for line in self:
            line.expected_conversion = rates[line]

    @api.depends("planned_leads", "expected_conversion", "plan_id.average_deal_value")
    def _compute_expected_revenue(self):
        for line in self:
            line.expected_revenue = funnel.expected_revenue(
                line.planned_leads, line.expected_conversion, line.plan_id.average_deal_value
            )

    @api.depends("medium_id", "campaign_id")
    def _compute_display_name(self):
        for line in self:
            parts = [part for part in (line.medium_id.name, line.campaign_id.name) if part]
            line.display_name = " / ".join(parts)

    @api.constrains("medium_id", "campaign_id", "planned_leads", "expected_conversion")
    def _check_line(self):
        for line in self:
            if not line.medium_id and not line.campaign_id:
                raise ValidationError(self.env._("A plan line needs a medium or a campaign."))
            if line.planned_leads < 0:
                raise ValidationError(self.env._("Planned leads cannot be negative."))
            if not funnel.check_rate(line.expected_conversion):
                raise ValidationError(
                    self.env._("The expected conversion must be between 0 and 100 %%.")
                )
