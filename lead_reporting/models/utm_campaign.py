from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..lib import funnel

# besides the success criteria: what only campaign and sales managers set
PLANNING_FIELDS = ["campaign_cost", "date_start", "date_end", "report_last_date"]
PLANNING_GROUPS = "sales_team.group_sale_manager,lead_reporting.group_campaign_manager"


class UtmCampaign(models.Model):
    """Campaign cost (R22) and success criteria fixed before the start (R18)."""

    _name = "utm.campaign"
    _inherit = ["utm.campaign", "lead.kpi.mixin"]

    campaign_cost = fields.Float(
        help="Total marketing spending of the campaign, in the company currency; "
        "the basis of cost per lead, cost per won deal and revenue ÷ cost.",
    )
    date_start = fields.Date(
        string="Start Date",
        help="When the campaign starts. From then on its success criteria change only "
        "through a logged revision.",
    )
    date_end = fields.Date(string="End Date", help="When the campaign ends.")
    lead_generated_count = fields.Integer(
        string="Leads Generated",
        compute="_compute_crm_figures",
        help="Every lead the campaign generated, including leads you may not open: "
        "the basis of the cost per lead.",
    )
    lead_currency_id = fields.Many2one(
        "res.currency",
        string="Campaign Currency",
        compute="_compute_lead_currency_id",
        help="Currency of the campaign cost and revenue: the company's.",
    )
    crm_cost_per_lead = fields.Monetary(
        string="Cost per Lead",
        compute="_compute_crm_figures",
        currency_field="lead_currency_id",
        help="Campaign cost ÷ leads generated.",
    )
    crm_won_revenue = fields.Monetary(
        string="Won Revenue",
        compute="_compute_crm_figures",
        currency_field="lead_currency_id",
        help="Expected revenue of the campaign's won deals.",
    )

    campaign_planning_editable = fields.Boolean(
        string="May Set Cost and Criteria",
        compute="_compute_campaign_planning_editable",
        # a new campaign in the form takes the default (the compute has no dependency the
        # form's onchange would trigger): without it campaign managers could not type the
        # cost of a campaign they create
        default=lambda self: self._may_edit_campaign_planning(),
        help="Whether you may set the cost, dates and success criteria of campaigns "
        "(sales managers and campaign managers).",
    )

    @api.depends_context("company")
    def _compute_lead_currency_id(self):
        self.lead_currency_id = self.env.company.currency_id

    def _kpi_currency(self):
        return self.lead_currency_id[:1] or super()._kpi_currency()

    @api.depends_context("uid")
    def _compute_campaign_planning_editable(self):
        self.campaign_planning_editable = self._may_edit_campaign_planning()

    @api.model
    def _campaign_planning_fields(self):
        return PLANNING_FIELDS + self._kpi_locked_fields()

    @api.model
    def _may_edit_campaign_planning(self):
        return self.env.su or self.env.user.has_groups(PLANNING_GROUPS)

    def _check_campaign_planning_access(self, fnames):
        """Cost, dates and success criteria feed the ROI and the reports: only
        campaign and sales managers set them."""
        protected = [fname for fname in self._campaign_planning_fields() if fname in fnames]
        if protected and not self._may_edit_campaign_planning():
            raise AccessError(
                self.env._(
                    "Only sales managers and campaign managers may set the cost, dates and "
                    "success criteria of a campaign (%(fields)s).",
                    fields=", ".join(
                        self._fields[fname]._description_string(self.env) for fname in protected
                    ),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        campaigns = super().create(vals_list)
        if not self._may_edit_campaign_planning():
            # a salesperson creates campaigns (e.g. from a lead), without cost or criteria
            fnames = self._campaign_planning_fields()
            defaults = self.default_get(fnames)
            campaigns._check_campaign_planning_access(
                [
                    fname
                    for fname in fnames
                    if any(
                        bool(campaign[fname])
                        if campaign._fields[fname].type == "many2many"
                        else campaign[fname] != defaults.get(fname, False)
                        for campaign in campaigns
                    )
                ]
            )
        return campaigns

    def write(self, vals):
        self._check_campaign_planning_access(list(vals))
        return super().write(vals)

    def _kpi_check_revision_access(self, fnames):
        self._check_campaign_planning_access(fnames)
        return super()._kpi_check_revision_access(fnames)

    @api.constrains("campaign_cost", "date_start", "date_end")
    def _check_cost_and_dates(self):
        for campaign in self:
            if campaign.campaign_cost < 0:
                raise ValidationError(self.env._("The campaign cost cannot be negative."))
            if (
                campaign.date_start
                and campaign.date_end
                and campaign.date_end < campaign.date_start
            ):
                raise ValidationError(
                    self.env._("The campaign %(name)s ends before it starts.", name=campaign.title)
                )

    def _kpi_is_started(self):
        self.ensure_one()
        return bool(self.date_start) and self.date_start <= fields.Date.context_today(self)

    @api.model
    def _kpi_start_fields(self):
        return ["date_start"]

    def _campaign_figures(self):
        """Per campaign id: leads, quality sum, opportunities, won, won revenue."""
        rows = (
            self.env["lead.activity.success.report"]
            .sudo()
            ._read_group(
                [("campaign_id", "in", self.ids)],
                ["campaign_id"],
                [
                    "lead_count:sum",
                    "quality_score:sum",
                    "opportunity_count:sum",
                    "won_count:sum",
                    "won_revenue:sum",
                ],
            )
        )
        return {
            campaign.id: {
                "leads": leads or 0,
                "quality_sum": quality or 0.0,
                "opportunities": opportunities or 0,
                "won": won or 0,
                "won_revenue": revenue or 0.0,
            }
            for campaign, leads, quality, opportunities, won, revenue in rows
        }

    def _compute_crm_figures(self):
        figures = self._campaign_figures() if self.ids else {}
        for campaign in self:
            data = figures.get(campaign.id, {})
            campaign.lead_generated_count = data.get("leads", 0)
            campaign.crm_won_revenue = data.get("won_revenue", 0.0)
            campaign.crm_cost_per_lead = (
                funnel.ratio(campaign.campaign_cost, campaign.lead_generated_count) or 0.0
            )

    def _kpi_actuals(self):
        self.ensure_one()
        data = self._campaign_figures().get(self.id, {})
        leads = data.get("leads", 0)
        return {
            "leads": leads,
            "quality": funnel.ratio(data.get("quality_sum", 0.0), leads),
            "opportunities": data.get("opportunities", 0),
            "revenue": data.get("won_revenue", 0.0),
            "cost_per_lead": funnel.ratio(self.campaign_cost, leads),
            "won": data.get("won", 0),
        }

    def get_campaign_kpis(self):
        """Actual figures, ROI and success criteria of one campaign (XML-RPC)."""
        self.ensure_one()
        actuals = self._kpi_actuals()
        result = {
            "actual": actuals,
            "roi": funnel.roi(
                self.campaign_cost, actuals["leads"], actuals["won"], actuals["revenue"]
            ),
            "criteria": self._kpi_criteria(),
        }
        return {
            key: {k: (False if v is None else v) for k, v in value.items()}
            if isinstance(value, dict)
            else value
            for key, value in result.items()
        }

    @api.model
    def _cron_send_campaign_digest(self):
        today = fields.Date.context_today(self)
        campaigns = self.search(
            [
                ("report_recipient_ids", "!=", False),
                ("report_frequency", "!=", False),
                ("date_start", "!=", False),
                ("date_start", "<=", today),
            ]
        )
        # an ended campaign gets one last digest after its end, then no more
        due = campaigns.filtered(
            lambda campaign: funnel.is_report_due(
                today, campaign.report_last_date, campaign.report_frequency
            )
            and not (
                campaign.date_end
                and campaign.report_last_date
                and campaign.report_last_date > campaign.date_end
            )
        )
        due._kpi_send_digest(self.env.ref("lead_reporting.mail_template_campaign_digest"))
        due.write({"report_last_date": today})
        return due

    def action_view_campaign_report(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "lead_reporting.action_marketing_vs_sales"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        return action
