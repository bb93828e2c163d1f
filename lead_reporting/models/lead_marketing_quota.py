from odoo import api, fields, models
from odoo.addons.lead_quality.lib import quality_scoring
from odoo.exceptions import ValidationError

from ..lib import funnel


class LeadMarketingQuota(models.Model):
    """Quota of qualified leads for a marketing user or team (R20).

    A lead counts for the user responsible for its campaign (or, for a team
    quota, for any member of the team) when it was created in the period and
    is qualified: ready for distribution, or of at least the chosen grade."""

    _name = "lead.marketing.quota"
    _description = "Marketing Lead Quota"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"

    name = fields.Char(string="Quota", required=True, tracking=True, help="Name of the quota.")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="Company of the quota.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Marketing User",
        index=True,
        tracking=True,
        help="Marketing user whose campaigns' leads count (campaign responsible).",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Marketing Team",
        index=True,
        tracking=True,
        help="Team whose members' campaigns' leads count.",
    )
    date_from = fields.Date(
        string="Start", required=True, tracking=True, help="First day of the quota period."
    )
    date_to = fields.Date(
        string="End", required=True, tracking=True, help="Last day of the quota period."
    )
    target = fields.Integer(
        string="Target (Qualified Leads)",
        required=True,
        tracking=True,
        help="Number of qualified leads to generate in the period.",
    )
    qualification = fields.Selection(
        [("ready", "Ready for distribution"), ("grade", "Grade at least")],
        string="Qualified When",
        required=True,
        default="ready",
        tracking=True,
        help="Which leads count: ready for distribution, or at least a grade.",
    )
    min_grade = fields.Selection(
        [("A", "A"), ("B", "B"), ("C", "C"), ("D", "D")],
        string="Minimum Grade",
        default="B",
        tracking=True,
        help="Lowest grade that counts when qualifying by grade.",
    )
    actual = fields.Integer(
        compute="_compute_actual", help="Qualified leads generated in the period."
    )
    attainment = fields.Float(
        string="Attainment (%)", compute="_compute_actual", help="Actual ÷ target, in percent."
    )
    goal_id = fields.Many2one(
        "gamification.goal",
        string="Gamification Goal",
        readonly=True,
        copy=False,
        help="Optional goal that feeds the quota into gamification (variable pay).",
    )

    @api.constrains(
        "user_id", "team_id", "date_from", "date_to", "target", "qualification", "min_grade"
    )
    def _check_quota(self):
        for quota in self:
            if bool(quota.user_id) == bool(quota.team_id):
                raise ValidationError(
                    self.env._("A marketing quota is for either a user or a team.")
                )
            if quota.date_to < quota.date_from:
                raise ValidationError(self.env._("The quota period ends before it starts."))
            if quota.target <= 0:
                raise ValidationError(self.env._("The quota target must be greater than zero."))
            if quota.qualification == "grade" and not quota.min_grade:
                raise ValidationError(self.env._("Choose the minimum grade of a qualified lead."))

    def _qualified_domain(self):
        self.ensure_one()
        if self.qualification == "ready":
            qualified = [("ready_count", "=", 1)]
        else:
            # lead_quality's rule of "grade at least"
            grades = [
                grade
                for grade in quality_scoring.GRADES
                if quality_scoring.grade_at_least(grade, self.min_grade)
            ]
            qualified = [("quality_grade", "in", grades)]
        users = self.user_id or self.team_id.member_ids
        return [
            ("campaign_user_id", "in", users.ids),
            ("date", ">=", fields.Datetime.to_datetime(self.date_from)),
            ("date", "<", fields.Datetime.add(fields.Datetime.to_datetime(self.date_to), days=1)),
            *qualified,
        ]

    @api.depends(
        "user_id", "team_id", "date_from", "date_to", "target", "qualification", "min_grade"
    )
    def _compute_actual(self):
        Report = self.env["lead.activity.success.report"].sudo()
        for quota in self:
            if not (quota.date_from and quota.date_to and (quota.user_id or quota.team_id)):
                quota.actual = 0
                quota.attainment = 0.0
                continue
            quota.actual = Report.search_count(quota._qualified_domain())
            quota.attainment = funnel.percent(quota.actual, quota.target) or 0.0

    def action_view_leads(self):
        self.ensure_one()
        lead_ids = self.env["lead.activity.success.report"].search(self._qualified_domain()).lead_id
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_all_leads")
        action["domain"] = [("id", "in", lead_ids.ids)]
        action["context"] = {"active_test": False}
        return action

    def action_create_goal(self):
        """Create (or refresh) a gamification goal mirroring the quota."""
        definition = self.env.ref("lead_reporting.goal_definition_marketing_quota")
        for quota in self.filtered("user_id"):
            vals = {
                "definition_id": definition.id,
                "user_id": quota.user_id.id,
                "target_goal": quota.target,
                "start_date": quota.date_from,
                "end_date": quota.date_to,
                "current": quota.actual,
                "state": "inprogress",
            }
            if quota.goal_id:
                quota.goal_id.write(vals)
            else:
                quota.goal_id = self.env["gamification.goal"].sudo().create(vals)
        return True

    @api.model
    def _cron_update_goals(self):
        quotas = self.search([("goal_id", "!=", False), ("goal_id.state", "=", "inprogress")])
        for quota in quotas:
            quota.goal_id.sudo().write({"current": quota.actual})
        return quotas
