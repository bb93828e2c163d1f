from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import formatLang

from ..lib import funnel

FREQUENCY_SELECTION = [
    ("weekly", "Weekly"),
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
]


class LeadKpiMixin(models.AbstractModel):
    """Success criteria fixed before the start (R18): KPI targets, reporting
    frequency and recipients. Once the record has started, they change only
    through :meth:`action_revise_kpi` which logs the reason (R21)."""

    _name = "lead.kpi.mixin"
    _description = "Success criteria (KPI targets) and reporting schedule"

    kpi_lead_target = fields.Integer(
        string="Target: Leads",
        help="Success criterion: number of leads to generate. 0 means no criterion.",
    )
    kpi_quality_target = fields.Float(
        string="Target: Average Quality Score",
        help="Success criterion: average quality score (0-100) of the leads. 0 means no criterion.",
    )
    kpi_opportunity_target = fields.Integer(
        string="Target: Opportunities",
        help="Success criterion: number of leads converted to opportunities. 0 means no criterion.",
    )
    kpi_revenue_target = fields.Float(
        string="Target: Won Revenue",
        help="Success criterion: expected revenue of the won opportunities. 0 means no criterion.",
    )
    kpi_cost_per_lead_target = fields.Float(
        string="Target: Cost per Lead",
        help="Success criterion: highest acceptable marketing cost per lead. 0 means no criterion.",
    )
    report_frequency = fields.Selection(
        FREQUENCY_SELECTION,
        string="Reporting Frequency",
        default="monthly",
        help="How often the plan-versus-actual digest is e-mailed to the recipients.",
    )
    report_recipient_ids = fields.Many2many(
        "res.partner",
        string="Report Recipients",
        help="Who receives the scheduled digest (reporting path).",
    )
    report_last_date = fields.Date(
        string="Last Report Sent",
        readonly=True,
        copy=False,
        help="When the digest was last e-mailed.",
    )
    report_next_date = fields.Date(
        string="Next Report",
        compute="_compute_report_next_date",
        help="When the next digest is due.",
    )
    kpi_revision_count = fields.Integer(
        string="KPI Revisions",
        compute="_compute_kpi_revision_count",
        help="Logged changes of the success criteria after the start.",
    )

    @api.model
    def _kpi_locked_fields(self):
        return [
            "kpi_lead_target",
            "kpi_quality_target",
            "kpi_opportunity_target",
            "kpi_revenue_target",
            "kpi_cost_per_lead_target",
            "report_frequency",
            "report_recipient_ids",
        ]

    def _kpi_is_started(self):
        """True when the record has started: its criteria are frozen."""
        raise NotImplementedError

    def _kpi_actuals(self):
        """Actual figures per criterion: dict with leads, quality, opportunities,
        revenue, cost_per_lead (None where unknown)."""
        raise NotImplementedError

    @api.depends("report_last_date", "report_frequency")
    def _compute_report_next_date(self):
        today = fields.Date.context_today(self)
        for record in self:
            if not record.report_frequency:
                record.report_next_date = False
            elif record.report_last_date:
                record.report_next_date = funnel.next_report_date(
                    record.report_last_date, record.report_frequency
                )
            else:
                record.report_next_date = today

    def _compute_kpi_revision_count(self):
        # a count for records the user reads, also for users without access to the log
        groups = (
            self.env["lead.kpi.revision"]
            .sudo()
            ._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        counts = dict(groups)
        for record in self:
            record.kpi_revision_count = counts.get(record.id, 0)

    @api.constrains(
        "kpi_lead_target",
        "kpi_quality_target",
        "kpi_opportunity_target",
        "kpi_revenue_target",
        "kpi_cost_per_lead_target",
    )
    def _check_kpi_targets(self):
        for record in self:
            values = [
                record.kpi_lead_target,
                record.kpi_opportunity_target,
                record.kpi_revenue_target,
                record.kpi_cost_per_lead_target,
            ]
            if any(value < 0 for value in values):
                raise ValidationError(self.env._("KPI targets cannot be negative."))
            if not 0 <= record.kpi_quality_target <= 100:
                raise ValidationError(
                    self.env._("The average quality score target must be between 0 and 100.")
                )

    @api.model
    def _kpi_start_fields(self):
        """Fields that decide whether a record has started."""
        return []

    def write(self, vals):
        # internal writes of our own code go through sudo() (see action_revise_kpi)
        if self.env.su:
            return super().write(vals)
        locked = set(self._kpi_locked_fields()) & set(vals)
        if locked:
            self.check_access("write")  # who may not write at all learns that first
        started = self.browse()
        if locked or set(self._kpi_start_fields()) & set(vals):
            started = self.filtered(lambda record: record._kpi_is_started())
        if locked and started:
            raise UserError(
                self.env._(
                    "The success criteria of %(names)s are fixed since the start. "
                    "Change them with a KPI revision and a reason.",
                    names=", ".join(started.mapped("display_name")),
                )
            )
        result = super().write(vals)
        unstarted = started.filtered(lambda record: not record._kpi_is_started())
        if unstarted:
            raise UserError(
                self.env._(
                    "%(names)s already started: its start cannot be moved into the future "
                    "or back to draft, since that would release its success criteria. "
                    "Change the criteria with a KPI revision and a reason.",
                    names=", ".join(unstarted.mapped("display_name")),
                )
            )
        return result

    def _kpi_check_revision_access(self, fnames):
        """Raise AccessError unless the current user may revise ``fnames``."""
        self.check_access("write")

    def _kpi_recipient_commands(self, commands):
        """The recipients' commands of a revision: only existing partners the
        user can read, no partner created or changed on the way."""
        Command = fields.Command
        refused = UserError(
            self.env._("A revision only chooses existing partners as report recipients.")
        )
        if not isinstance(commands, list | tuple):
            raise refused
        partner_ids = []
        for command in commands:
            if not isinstance(command, list | tuple) or not command:
                raise refused
            if command[0] == Command.SET and len(command) == 3:
                partner_ids += list(command[2] or [])
            elif command[0] in (Command.LINK, Command.UNLINK) and len(command) >= 2:
                partner_ids.append(command[1])
            elif command[0] != Command.CLEAR:
                raise refused
        partners = self.env["res.partner"].browse(partner_ids)
        if len(partners.exists()) != len(set(partner_ids)):
            raise UserError(self.env._("A report recipient of the revision does not exist."))
        partners.check_access("read")
        return [tuple(command) for command in commands]

    def action_revise_kpi(self, values, reason):
        """Change success criteria after the start; every change is logged with
        the reason, the old and the new value. Callable over XML-RPC."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("A KPI revision needs a reason."))
        if not isinstance(values, dict) or not values:
            raise UserError(self.env._("A KPI revision needs the criteria to change."))
        unknown = set(values) - set(self._kpi_locked_fields())
        if unknown:
            raise UserError(
                self.env._(
                    "Only success criteria can be revised, not: %(fields)s",
                    fields=", ".join(sorted(unknown)),
                )
            )
        self._kpi_check_revision_access(list(values))
        values = dict(values)
        if "report_recipient_ids" in values:
            values["report_recipient_ids"] = self._kpi_recipient_commands(
                values["report_recipient_ids"]
            )
        log_vals = []
        for record in self:
            for fname in values:
                field = record._fields[fname]
                old_text = record._kpi_value_text(fname)
                log_vals.append(
                    {
                        "res_model": record._name,
                        "res_id": record.id,
                        "field_name": fname,
                        "field_label": field._description_string(self.env),
                        "old_value": old_text,
                        "reason": reason,
                    }
                )
        # access checked above; sudo() is what lets this write pass the lock
        self.sudo().write(values)
        revisions = self.env["lead.kpi.revision"].sudo().create(log_vals)
        # new values once written (many2many commands resolved)
        by_key = {(rev.res_id, rev.field_name): rev for rev in revisions}
        for record in self:
            for fname in values:
                by_key[(record.id, fname)].new_value = record._kpi_value_text(fname)
            if not hasattr(record, "message_post"):
                continue
            record.message_post(
                body=self.env._(
                    "Success criteria revised (%(fields)s). Reason: %(reason)s",
                    fields=", ".join(by_key[(record.id, fname)].field_label for fname in values),
                    reason=reason,
                )
            )
        return True

    def _kpi_value_text(self, fname):
        value = self[fname]
        field = self._fields[fname]
        if field.type == "many2many":
            return ", ".join(value.mapped("display_name"))
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, "")
        return str(value)

    def action_view_kpi_revisions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("KPI Revisions"),
            "res_model": "lead.kpi.revision",
            "view_mode": "list,form",
            "domain": [("res_model", "=", self._name), ("res_id", "=", self.id)],
        }

    def action_open_kpi_revision_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Revise Success Criteria"),
            "res_model": "lead.kpi.revision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_id": self.id,
            },
        }

    def _kpi_criteria(self, actuals=None):
        """The success criteria with target, actual, attainment and whether met.

        ``actuals`` (as returned by :meth:`_kpi_actuals`) spares a second query
        to callers that computed them already."""
        self.ensure_one()
        if actuals is None:
            actuals = self._kpi_actuals()
        spec = [
            ("leads", self.env._("Leads"), self.kpi_lead_target, False, "count"),
            (
                "quality",
                self.env._("Average quality score"),
                self.kpi_quality_target,
                False,
                "score",
            ),
            (
                "opportunities",
                self.env._("Opportunities"),
                self.kpi_opportunity_target,
                False,
                "count",
            ),
            ("revenue", self.env._("Won revenue"), self.kpi_revenue_target, False, "money"),
            (
                "cost_per_lead",
                self.env._("Cost per lead"),
                self.kpi_cost_per_lead_target,
                True,
                "money",
            ),
        ]
        criteria = []
        for key, label, target, lower_is_better, kind in spec:
            if not target:
                continue
            actual = actuals.get(key)
            attainment, met = funnel.kpi_attainment(target, actual, lower_is_better)
            criteria.append(
                {
                    "key": key,
                    "name": label,
                    "target": target,
                    "actual": actual if actual is not None else False,
                    "attainment": attainment if attainment is not None else False,
                    "met": bool(met),
                    "lower_is_better": lower_is_better,
                    "kind": kind,
                }
            )
        return criteria

    # ------------------------------------------------------------------
    # figures as the reader reads them (PDF, digest), in the reader's language
    # ------------------------------------------------------------------
    def _kpi_currency(self):
        return self.env.company.currency_id

    def _lead_format(self, value, kind="count"):
        """A figure for the PDF and the digest in the language of the context:
        whole numbers for counts, the currency on money, one decimal on rates
        and scores, a sign on deviations; "n/a" where the figure is undefined
        (no lead, no deadline passed yet)."""
        if value is None or value is False:
            return self.env._("n/a")
        if kind == "money":
            return formatLang(self.env, value, currency_obj=self._kpi_currency())
        if kind == "count":
            return formatLang(self.env, value, digits=0)
        text = formatLang(self.env, value, digits=1)
        if kind == "deviation":
            return ("+" if value > 0 else "") + text + " %"
        if kind == "percent":
            return text + " %"
        return text

    def _kpi_send_digest(self, template):
        """E-mail the digest of each record to its recipients, one e-mail per
        language of the recipients, each rendered in that language (the
        template's language reads it from the rendering context)."""
        default_lang = self.env.lang or "en_US"
        for record in self:
            by_lang = {}
            for partner in record.report_recipient_ids:
                by_lang.setdefault(partner.lang or default_lang, []).append(partner.id)
            for lang, partner_ids in sorted(by_lang.items()):
                template.with_context(lead_reporting_digest_lang=lang).send_mail(
                    record.id,
                    email_layout_xmlid="mail.mail_notification_light",
                    email_values={"recipient_ids": [fields.Command.set(partner_ids)]},
                )
        return True
