# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LeadQualityFeedback(models.Model):
    _name = "lead.quality.feedback"
    _description = "Sales Feedback on Lead Quality"
    _order = "create_date desc, id desc"
    _rec_name = "lead_name"

    # Feedback is an audit record: it outlives its lead (a deleted or merged lead leaves
    # the feedback with the lead's name, company and medium of the moment it was given)
    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        ondelete="set null",
        index=True,
        help="Lead the feedback is about (empty once the lead was deleted).",
    )
    lead_name = fields.Char(
        compute="_compute_lead_name",
        store=True,
        readonly=True,
        help="Name of the lead, kept when the lead is deleted.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Salesperson",
        required=True,
        default=lambda self: self.env.user,
        index=True,
        help="Salesperson who judged the lead.",
    )
    verdict = fields.Selection(
        selection=[("accepted", "Accepted"), ("rejected", "Rejected")],
        required=True,
        default="accepted",
        index=True,
        help="Whether the salesperson found the lead good enough to work on.",
    )
    reason_id = fields.Many2one(
        comodel_name="lead.quality.reject.reason",
        string="Rejection Reason",
        ondelete="restrict",
        help="Why the lead was rejected (required for a rejection).",
    )
    note = fields.Text(help="Free comment of the salesperson.")
    company_id = fields.Many2one(
        comodel_name="res.company",
        readonly=True,
        index=True,
        help="Company of the lead at feedback time.",
    )
    medium_id = fields.Many2one(
        comodel_name="utm.medium",
        readonly=True,
        index=True,
        help="Medium of the lead at feedback time.",
    )

    @api.depends("lead_id.name")
    def _compute_lead_name(self):
        for feedback in self:
            # a lead being deleted keeps its name on the feedback
            if feedback.lead_id:
                feedback.lead_name = feedback.lead_id.name

    @api.constrains("verdict", "reason_id")
    def _check_reason(self):
        for feedback in self:
            if feedback.verdict == "rejected" and not feedback.reason_id:
                raise ValidationError(self.env._("A rejected lead needs a rejection reason."))

    @api.model_create_multi
    def create(self, vals_list):
        # The lead must be readable by the one who gives feedback; the record is
        # then written with sudo so salespeople need no write access on others'
        # feedback.
        if not all(vals.get("lead_id") for vals in vals_list):
            raise ValidationError(
                self.env._("Feedback on lead quality needs the lead it is about.")
            )
        lead_ids = [vals["lead_id"] for vals in vals_list]
        leads = self.env["crm.lead"].browse(lead_ids)
        leads.check_access("read")
        lead_of = {lead.id: lead for lead in leads.sudo()}
        for vals in vals_list:
            lead = lead_of.get(vals.get("lead_id"))
            if lead:
                # what the lead was when the feedback was given
                vals["company_id"] = lead.company_id.id
                vals["medium_id"] = lead.medium_id.id
            if not self.env.su:
                vals["user_id"] = self.env.uid
            if vals.get("verdict") == "accepted":
                vals["reason_id"] = False
        feedbacks = super(LeadQualityFeedback, self.sudo()).create(vals_list)
        for feedback in feedbacks:
            if feedback.verdict == "accepted":
                body = self.env._("Lead quality accepted by %(user)s.", user=feedback.user_id.name)
            else:
                body = self.env._(
                    "Lead quality rejected by %(user)s: %(reason)s",
                    user=feedback.user_id.name,
                    reason=feedback.reason_id.name,
                )
                if feedback.note:
                    body += f" ({feedback.note})"
            feedback.lead_id.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        return feedbacks.with_env(self.env)
