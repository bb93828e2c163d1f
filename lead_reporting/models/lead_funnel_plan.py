from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import funnel

ACTIVE_STATES = ("confirmed", "replanning")
# written only by the workflow actions (action_confirm, action_replan, action_close)
WORKFLOW_FIELDS = ("state", "cycle")
# planned figures that default to the team's history
HISTORY_DEFAULT_FIELDS = (
    "average_deal_value",
    "conversion_lead_opportunity",
    "conversion_opportunity_won",
)


class LeadFunnelPlan(models.Model):
    """Funnel plan of a sales unit: from the revenue target, historical
    conversion and the average deal to the leads needed (R16, R17, R21)."""

    _name = "lead.funnel.plan"
    _description = "Lead Funnel Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "lead.kpi.mixin"]
    _order = "date_from desc, id desc"

    name = fields.Char(string="Plan", required=True, tracking=True, help="Name of the plan.")
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        required=True,
        index=True,
        tracking=True,
        help="The sales unit whose revenue target the plan covers.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="Company of the plan.",
    )
    currency_id = fields.Many2one(
        related="company_id.currency_id", string="Currency", help="Currency of the amounts."
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        tracking=True,
        default=lambda self: self.env.user,
        help="The named person responsible for the plan.",
    )
    date_from = fields.Date(
        string="Start",
        required=True,
        index=True,
        tracking=True,
        help="First day of the planning period.",
    )
    date_to = fields.Date(
        string="End",
        required=True,
        index=True,
        tracking=True,
        help="Last day of the planning period.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("confirmed", "Confirmed"),
            ("replanning", "Replanning"),
            ("closed", "Closed"),
        ],
        string="Status",
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
        help="Draft: being planned. Confirmed: running. Replanning: a gap or deviation "
        "started another planning cycle. Closed: finished.",
    )
    cycle = fields.Integer(
        string="Planning Cycle",
        default=1,
        readonly=True,
        copy=False,
        help="Number of the planning cycle; each replanning starts another one.",
    )
    revenue_target = fields.Monetary(
        required=True,
        tracking=True,
        help="Revenue the sales team must win in the period.",
    )
    average_deal_value = fields.Monetary(
        tracking=True,
        help="Expected revenue of one won deal. Defaults to the team's history.",
    )
    conversion_lead_opportunity = fields.Float(
        string="Lead → Opportunity (%)",
        tracking=True,
        help="Share of leads that become opportunities, in percent. Defaults to history.",
    )
    conversion_opportunity_won = fields.Float(
        string="Opportunity → Won (%)",
        tracking=True,
        help="Share of decided opportunities that are won, in percent. Defaults to history.",
    )
    conversion_lead_won = fields.Float(
        string="Lead → Won (%)",
        compute="_compute_figures",
        store=True,
        help="Overall conversion of a lead into a won deal, in percent.",
    )
    history_months = fields.Integer(
        string="History Window (Months)",
        default=lambda self: self._default_history_months(),
        help="Look-back window for the historical defaults, in months before the start.",
    )
    history_lead_count = fields.Integer(
        string="Historical Leads",
        compute="_compute_history",
        help="Leads of the team created in the history window.",
    )
    history_won_count = fields.Integer(
        string="Historical Won Deals",
        compute="_compute_history",
        help="Deals won out of the leads of the history window.",
    )
    history_average_deal_value = fields.Monetary(
        string="Historical Average Deal",
        compute="_compute_history",
        help="Average expected revenue of the deals won in the history window.",
    )
    history_conversion_lead_opportunity = fields.Float(
        string="Historical Lead → Opportunity (%)",
        compute="_compute_history",
        help="Share of the window's leads that became opportunities.",
    )
    history_conversion_opportunity_won = fields.Float(
        string="Historical Opportunity → Won (%)",
        compute="_compute_history",
        help="Won opportunities out of the decided (won or lost) ones in the window.",
    )
    line_ids = fields.One2many(
        "lead.funnel.plan.line",
        "plan_id",
        string="Planned Leads",
        copy=True,
        help="Leads planned per medium and campaign.",
    )
    required_leads = fields.Integer(
        compute="_compute_figures",
        store=True,
        help="Revenue target ÷ (average deal value x lead → won rate), rounded up.",
    )
    planned_leads = fields.Integer(
        string="Planned Leads Total",
        compute="_compute_figures",
        store=True,
        help="Sum of the planned leads of the lines.",
    )
    planned_revenue = fields.Monetary(
        compute="_compute_figures",
        store=True,
        help="Revenue expected from the planned leads of the lines.",
    )
    gap = fields.Monetary(
        compute="_compute_figures",
        store=True,
        help="Revenue target minus planned revenue; positive means the plan falls short.",
    )
    lead_gap = fields.Integer(
        string="Missing Leads",
        compute="_compute_figures",
        store=True,
        help="Required leads minus planned leads (0 when enough are planned).",
    )
    is_feasible = fields.Boolean(
        string="Feasible",
        compute="_compute_figures",
        store=True,
        help="The planned leads reach the revenue target.",
    )
    confirm_reason = fields.Text(
        string="Reason for Confirming Despite Gap",
        tracking=True,
        copy=False,
        help="Required to confirm a plan whose lines cannot reach the target.",
    )
    cycle_ids = fields.One2many(
        "lead.funnel.plan.cycle",
        "plan_id",
        string="Previous Cycles",
        readonly=True,
        help="Figures recorded at each replanning.",
    )

    # ------------------------------------------------------------------
    # defaults and history
    # ------------------------------------------------------------------
    @api.model
    def _default_history_months(self):
        value = (
            self.env["ir.config_parameter"].sudo().get_param("lead_reporting.history_months", "12")
        )
        try:
            return max(int(value), 1)
        except ValueError:
            return 12

    def _history_window(self):
        """The look-back window: the months before the plan starts, up to now
        at most (a plan for the future learns from everything until today)."""
        self.ensure_one()
        # the transaction's own timestamp, not fields.Datetime.now(): that one is
        # cut to the second and would miss the leads created in the same second
        now = self.env.cr.now()
        start = fields.Datetime.to_datetime(self.date_from) if self.date_from else now
        end = min(start, now)
        # a plan that starts in the future has no upper bound: everything until now counts
        return end - relativedelta(months=self.history_months or 12), (end if end < now else None)

    def _history_domain(self):
        date_from, date_to = self._history_window()
        domain = [("team_id", "=", self.team_id.id), ("create_date", ">=", date_from)]
        if date_to:
            domain.append(("create_date", "<", date_to))
        return domain

    def _history_figures(self, groupby=()):
        """Historical counts of the team in the window, optionally per field.

        Returns ``{key: history_rates(...) + counts}`` with key () or the
        groupby values. Uses one read_group per figure kind (no loop over leads).
        """
        self.ensure_one()
        Lead = self.env["crm.lead"].with_context(active_test=False).sudo()
        if not self.team_id:
            return {}
        base = self._history_domain()
        groupby = list(groupby)
        converted = ["|", ("type", "=", "opportunity"), ("date_conversion", "!=", False)]
        won = [("active", "=", True), ("stage_id.is_won", "=", True)]
        lost = [("active", "=", False), ("probability", "=", 0)]
        figures = {}

        def collect(domain, key, aggregates=("__count",)):
            for row in Lead._read_group(domain, groupby, list(aggregates)):
                group = tuple(
                    value.id if hasattr(value, "id") else value for value in row[: len(groupby)]
                )
                entry = figures.setdefault(
                    group, {"leads": 0, "opportunities": 0, "won": 0, "lost": 0, "won_revenue": 0.0}
                )
                values = row[len(groupby) :]
                entry[key] = values[0]
                if key == "won":
                    entry["won_revenue"] = values[1] or 0.0

        collect(base, "leads")
        collect(base + converted, "opportunities")
        collect(base + won, "won", ("__count", "expected_revenue:sum"))
        collect(base + converted + lost, "lost")
        for entry in figures.values():
            entry.update(
                funnel.history_rates(
                    entry["leads"],
                    entry["opportunities"],
                    entry["won"],
                    entry["lost"],
                    entry["won_revenue"],
                )
            )
        return figures

    @api.depends("team_id", "date_from", "history_months")
    def _compute_history(self):
        for plan in self:
            entry = plan._history_figures().get((), {}) if plan.team_id else {}
            plan.history_lead_count = entry.get("leads", 0)
            plan.history_won_count = entry.get("won", 0)
            plan.history_average_deal_value = entry.get("average_deal_value") or 0.0
            plan.history_conversion_lead_opportunity = entry.get("lead_to_opportunity") or 0.0
            plan.history_conversion_opportunity_won = entry.get("opportunity_to_won") or 0.0

    def _history_defaults(self):
        self.ensure_one()
        return {
            "average_deal_value": self.history_average_deal_value,
            "conversion_lead_opportunity": self.history_conversion_lead_opportunity,
            "conversion_opportunity_won": self.history_conversion_opportunity_won,
        }

    # ------------------------------------------------------------------
    # computed figures
    # ------------------------------------------------------------------
    @api.depends(
        "revenue_target",
        "average_deal_value",
        "conversion_lead_opportunity",
        "conversion_opportunity_won",
        "line_ids.planned_leads",
        "line_ids.expected_revenue",
    )
    def _compute_figures(self):
        for plan in self:
            plan.conversion_lead_won = funnel.lead_to_won_rate(
                plan.conversion_lead_opportunity, plan.conversion_opportunity_won
            )
            required = funnel.required_leads(
                plan.revenue_target,
                plan.average_deal_value,
                plan.conversion_lead_opportunity,
                plan.conversion_opportunity_won,
            )
            plan.required_leads = required or 0
            plan.planned_leads = sum(plan.line_ids.mapped("planned_leads"))
            plan.planned_revenue = sum(plan.line_ids.mapped("expected_revenue"))
            plan.gap = funnel.gap(plan.revenue_target, plan.planned_revenue)
            plan.lead_gap = max((required or 0) - plan.planned_leads, 0)
            plan.is_feasible = plan.revenue_target > 0 and funnel.is_feasible(
                plan.revenue_target, plan.planned_revenue
            )

    # ------------------------------------------------------------------
    # constraints
    # ------------------------------------------------------------------
    @api.constrains("revenue_target", "average_deal_value")
    def _check_amounts(self):
        for plan in self:
            if plan.revenue_target <= 0:
                raise ValidationError(
                    self.env._(
                        "The revenue target of plan %(plan)s must be greater than zero.",
                        plan=plan.name,
                    )
                )
            if plan.average_deal_value < 0:
                raise ValidationError(
                    self.env._(
                        "The average deal value of plan %(plan)s cannot be negative.",
                        plan=plan.name,
                    )
                )

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for plan in self:
            if plan.date_from and plan.date_to and plan.date_to < plan.date_from:
                raise ValidationError(
                    self.env._("The period of plan %(plan)s ends before it starts.", plan=plan.name)
                )

    @api.constrains("conversion_lead_opportunity", "conversion_opportunity_won")
    def _check_rates(self):
        for plan in self:
            for rate in (plan.conversion_lead_opportunity, plan.conversion_opportunity_won):
                if not funnel.check_rate(rate):
                    raise ValidationError(
                        self.env._(
                            "Conversion rates must be between 0 and 100 %% (plan %(plan)s).",
                            plan=plan.name,
                        )
                    )

    @api.constrains("history_months")
    def _check_history_months(self):
        for plan in self:
            if plan.history_months < 1:
                raise ValidationError(self.env._("The history window must be at least one month."))

    @api.constrains("state", "team_id", "date_from", "date_to", "company_id")
    def _check_overlap(self):
        active = self.filtered(lambda plan: plan.state in ACTIVE_STATES)
        if not active:
            return
        for plan in active:
            overlapping = self.sudo().search(
                [
                    ("id", "!=", plan.id),
                    ("team_id", "=", plan.team_id.id),
                    ("state", "in", ACTIVE_STATES),
                    ("date_from", "<=", plan.date_to),
                    ("date_to", ">=", plan.date_from),
                ],
                limit=1,
            )
            if overlapping:
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s overlaps the confirmed plan %(other)s of team %(team)s "
                        "(%(start)s - %(end)s). A team has one confirmed plan per period.",
                        plan=plan.name,
                        other=overlapping.name,
                        team=plan.team_id.name,
                        start=overlapping.date_from,
                        end=overlapping.date_to,
                    )
                )

    # ------------------------------------------------------------------
    # onchange
    # ------------------------------------------------------------------
    @api.onchange("team_id", "date_from", "history_months")
    def _onchange_history_defaults(self):
        if self.state == "draft" and self.team_id:
            for fname, value in self._history_defaults().items():
                if value:
                    self[fname] = value
            # the lines entered so far follow the new history too
            rates = self.line_ids._history_rates()
            for line in self.line_ids:
                line.expected_conversion = rates[line]

    # ------------------------------------------------------------------
    # create and write
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # figures the planner did not enter default to the team's history, before the
        # lines are created: a line of a medium without history takes the plan's rate
        for vals in vals_list:
            missing = [fname for fname in HISTORY_DEFAULT_FIELDS if fname not in vals]
            if missing and vals.get("team_id"):
                draft = self.new(
                    {
                        "team_id": vals["team_id"],
                        "date_from": vals.get("date_from"),
                        "history_months": vals.get("history_months")
                        or self._default_history_months(),
                    }
                )
                defaults = draft._history_defaults()
                vals.update({fname: defaults[fname] for fname in missing if defaults[fname]})
        plans = super().create(vals_list)
        # a plan starts as a draft in its first cycle, whatever values or defaults
        # (default_state in the context) a client sends; Confirm checks it
        if not self.env.su and any(plan.state != "draft" or plan.cycle != 1 for plan in plans):
            raise UserError(self._workflow_message())
        return plans

    @api.model
    def _workflow_message(self):
        return self.env._(
            "The status of a funnel plan changes only through its buttons: Confirm (which "
            "checks that the plan reaches its target or asks for a reason), Replan and Close."
        )

    def write(self, vals):
        # status and cycle belong to the workflow: only our own actions write them, through
        # sudo() after their checks (no context key opens this)
        if not self.env.su and any(
            fname in vals and any(plan[fname] != vals[fname] for plan in self)
            for fname in WORKFLOW_FIELDS
        ):
            self.check_access("write")  # who may not write at all learns that first
            raise UserError(self._workflow_message())
        return super().write(vals)

    def _write_workflow(self, vals):
        """Write status / cycle of plans whose action checked the transition;
        the user's own right to write the plans is checked first."""
        self.check_access("write")
        return self.sudo().write(vals)

    # ------------------------------------------------------------------
    # actions and workflow
    # ------------------------------------------------------------------
    def action_apply_history(self):
        """Replace deal value and rates by the historical figures."""
        for plan in self:
            plan.write(plan._history_defaults())
        return True

    def _check_manager(self):
        if not self.env.user.has_group("sales_team.group_sale_manager") and not self.env.su:
            raise AccessError(
                self.env._("Only CRM managers can confirm, replan or close funnel plans.")
            )

    def action_confirm(self, reason=None):
        """Confirm the plan. A plan whose lines cannot reach the target needs a
        stated reason (argument or the plan's field)."""
        self._check_manager()
        for plan in self:
            if plan.state not in ("draft", "replanning"):
                raise UserError(
                    self.env._(
                        "Only draft or replanning plans can be confirmed (%(plan)s).",
                        plan=plan.name,
                    )
                )
            if not plan.line_ids:
                raise UserError(self.env._("Plan %(plan)s has no planned leads.", plan=plan.name))
            if reason:
                plan.confirm_reason = reason
            if not plan.is_feasible and not (plan.confirm_reason or "").strip():
                # amounts formatted before the call: the .pot export cannot parse an
                # f-string among the arguments of a translated message
                planned, target, gap = (
                    format(amount, ",.2f")
                    for amount in (plan.planned_revenue, plan.revenue_target, plan.gap)
                )
                raise UserError(
                    self.env._(
                        "Plan %(plan)s cannot reach its revenue target: the lines plan "
                        "%(planned)s of %(target)s (gap %(gap)s, %(leads)s leads missing). "
                        "Add leads, or state why you confirm it anyway.",
                        plan=plan.name,
                        planned=planned,
                        target=target,
                        gap=gap,
                        leads=plan.lead_gap,
                    )
                )
            plan._write_workflow({"state": "confirmed"})
        return True

    def action_replan(self, reason):
        """Record the current figures as a finished cycle and start another one."""
        self._check_manager()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Replanning needs a reason."))
        cycle_vals = []
        for plan in self:
            if plan.state != "confirmed":
                raise UserError(
                    self.env._("Only confirmed plans can be replanned (%(plan)s).", plan=plan.name)
                )
            actual = plan._actual_totals()
            cycle_vals.append(
                {
                    "plan_id": plan.id,
                    "cycle": plan.cycle,
                    "reason": reason,
                    "revenue_target": plan.revenue_target,
                    "average_deal_value": plan.average_deal_value,
                    "conversion_lead_opportunity": plan.conversion_lead_opportunity,
                    "conversion_opportunity_won": plan.conversion_opportunity_won,
                    "required_leads": plan.required_leads,
                    "planned_leads": plan.planned_leads,
                    "planned_revenue": plan.planned_revenue,
                    "gap": plan.gap,
                    "actual_leads": actual["leads"],
                    "actual_won_revenue": actual["won_revenue"],
                    "confirm_reason": plan.confirm_reason,
                }
            )
        self.env["lead.funnel.plan.cycle"].create(cycle_vals)
        for plan in self:
            plan._write_workflow({"state": "replanning", "cycle": plan.cycle + 1})
            plan.confirm_reason = False
            plan.message_post(body=self.env._("Replanning started: %(reason)s", reason=reason))
        return True

    def action_close(self):
        self._check_manager()
        for plan in self:
            if plan.state not in ACTIVE_STATES:
                raise UserError(
                    self.env._(
                        "Only confirmed or replanning plans can be closed (%(plan)s).",
                        plan=plan.name,
                    )
                )
        self._write_workflow({"state": "closed"})
        return True

    def action_open_replan_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Replan"),
            "res_model": "lead.funnel.replan.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_id": self.id},
        }

    # ------------------------------------------------------------------
    # plan versus actual
    # ------------------------------------------------------------------
    def _kpi_currency(self):
        return self.currency_id or super()._kpi_currency()

    def _actual_totals(self):
        totals = self.get_plan_vs_actual()["actual"]
        return totals

    def _kpi_is_started(self):
        self.ensure_one()
        return self.state != "draft" and self.date_from <= fields.Date.context_today(self)

    @api.model
    def _kpi_start_fields(self):
        return ["state", "date_from"]

    def _lead_domain(self):
        self.ensure_one()
        return [
            ("team_id", "=", self.team_id.id),
            ("create_date", ">=", fields.Datetime.to_datetime(self.date_from)),
            ("create_date", "<", fields.Datetime.to_datetime(self.date_to + relativedelta(days=1))),
        ]

    def _kpi_actuals(self, figures=None):
        """Actual figures per criterion; ``figures`` are the plan's actual
        totals when the caller computed them already."""
        self.ensure_one()
        if figures is None:
            figures = self.get_plan_vs_actual()["actual"]
        return {
            "leads": figures["leads"],
            "quality": figures["average_quality"],
            "opportunities": figures["opportunities"],
            "revenue": figures["won_revenue"],
            "cost_per_lead": figures["cost_per_lead"],
        }

    def get_plan_vs_actual(self):
        """Plan versus actual of one plan as a dict (R17), callable over XML-RPC.

        Keys: ``plan`` (targets and computed figures), ``planned``, ``actual``,
        ``deviation`` (percent of plan), ``lines`` (per medium / campaign) and
        ``criteria`` (success criteria with attainment). Undefined ratios are
        ``False``.
        """
        self.ensure_one()
        Report = self.env["lead.funnel.report"].sudo()
        measures = [
            "planned_leads:sum",
            "planned_revenue:sum",
            "lead_count:sum",
            "opportunity_count:sum",
            "won_count:sum",
            "lost_count:sum",
            "won_revenue:sum",
            "quality_score_sum:sum",
        ]
        rows = {
            (medium.id, campaign.id): dict(zip(funnel.FIGURES, values, strict=True))
            for medium, campaign, *values in Report._read_group(
                [("plan_id", "=", self.id)], ["medium_id", "campaign_id"], measures
            )
        }
        plan_lines = [
            {
                "medium_id": line.medium_id.id,
                "campaign_id": line.campaign_id.id,
                "planned_leads": line.planned_leads,
                "planned_revenue": line.expected_revenue,
            }
            for line in self.line_ids
        ]
        total, line_figures, unplanned = funnel.plan_vs_actual(
            rows, self._actual_costs(), plan_lines
        )
        lines = []
        for line, data in zip(self.line_ids, line_figures, strict=True):
            data.update(
                expected_conversion=line.expected_conversion,
                line_id=line.id,
                medium_id=line.medium_id.id,
                medium=line.medium_id.name or "",
                campaign_id=line.campaign_id.id,
                campaign=line.campaign_id.name or "",
            )
            lines.append(data)
        if unplanned:
            unplanned.update(
                line_id=False,
                medium_id=False,
                medium=self.env._("Unplanned sources"),
                campaign_id=False,
                campaign="",
            )
            lines.append(unplanned)
        result = {
            "plan": {
                "id": self.id,
                "name": self.name,
                "team": self.team_id.name,
                "state": self.state,
                "cycle": self.cycle,
                "date_from": fields.Date.to_string(self.date_from),
                "date_to": fields.Date.to_string(self.date_to),
                "revenue_target": self.revenue_target,
                "average_deal_value": self.average_deal_value,
                "conversion_lead_opportunity": self.conversion_lead_opportunity,
                "conversion_opportunity_won": self.conversion_opportunity_won,
                "conversion_lead_won": self.conversion_lead_won,
                "required_leads": self.required_leads,
                "planned_leads": self.planned_leads,
                "planned_revenue": self.planned_revenue,
                "gap": self.gap,
                "is_feasible": self.is_feasible,
            },
            **funnel.plan_comparison(
                {
                    "planned_leads": self.planned_leads,
                    "required_leads": self.required_leads,
                    "planned_revenue": self.planned_revenue,
                    "revenue_target": self.revenue_target,
                    "conversion_lead_opportunity": self.conversion_lead_opportunity,
                    "conversion_opportunity_won": self.conversion_opportunity_won,
                    "conversion_lead_won": self.conversion_lead_won,
                },
                total,
            ),
            "lines": lines,
        }
        # criteria use the actuals computed above, without a second query
        result["criteria"] = self._kpi_criteria(actuals=self._kpi_actuals(figures=result["actual"]))
        return funnel.none_to_false(result)

    def _actual_costs(self):
        """Marketing cost allocated to the plan's leads, per (medium, campaign):
        each lead carries its campaign's cost divided by the campaign's leads."""
        rows = (
            self.env["lead.activity.success.report"]
            .sudo()
            ._read_group(self._lead_domain(), ["medium_id", "campaign_id"], ["cost:sum"])
        )
        return {(medium.id, campaign.id): cost or 0.0 for medium, campaign, cost in rows}

    def action_view_report(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "lead_reporting.action_lead_funnel_report"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["display_name"] = self.env._("Plan versus Actual: %(plan)s", plan=self.name)
        action["context"] = {}
        return action

    def action_view_leads(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_all_leads")
        action["domain"] = self._lead_domain()
        action["context"] = {"active_test": False}
        return action

    # ------------------------------------------------------------------
    # scheduled digest (R18)
    # ------------------------------------------------------------------
    @api.model
    def _cron_send_digest(self):
        """E-mail the plan-versus-actual digest of every running plan whose
        reporting frequency says it is due."""
        today = fields.Date.context_today(self)
        plans = self.search(
            [
                ("state", "in", ACTIVE_STATES),
                ("report_recipient_ids", "!=", False),
                ("report_frequency", "!=", False),
            ]
        )
        due = plans.filtered(
            lambda plan: funnel.is_report_due(today, plan.report_last_date, plan.report_frequency)
        )
        due._send_digest()
        campaigns = self.env["utm.campaign"]._cron_send_campaign_digest()
        return due, campaigns

    def _send_digest(self):
        self._kpi_send_digest(self.env.ref("lead_reporting.mail_template_funnel_digest"))
        self.write({"report_last_date": fields.Date.context_today(self)})
        return True

    def action_send_digest(self):
        """Send the digest now (button)."""
        self._send_digest()
        return True
