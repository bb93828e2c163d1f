# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import AccessError

from .lead_distribution_member import CHANNELS

EVENTS = [
    ("assigned", "Assigned"),
    ("offered", "Offered"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("recycled", "Recycled"),
    ("claimed", "Claimed"),
]


class LeadDistributionLog(models.Model):
    """One line per distribution decision or event: read-only for everyone (R13)."""

    _name = "lead.distribution.log"
    _description = "Lead Distribution Log"
    _order = "create_date desc, id desc"
    _rec_name = "reason"

    lead_id = fields.Many2one(
        "crm.lead", required=True, index=True, ondelete="cascade", readonly=True
    )
    pool_id = fields.Many2one(
        "lead.distribution.pool", index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(
        "res.company", index=True, readonly=True, help="Company of the pool."
    )
    member_id = fields.Many2one(
        "lead.distribution.member",
        index=True,
        ondelete="set null",
        readonly=True,
        help="Member concerned by the event.",
    )
    channel = fields.Selection(CHANNELS, index=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Sales Partner", readonly=True, index=True)
    event = fields.Selection(EVENTS, required=True, index=True, readonly=True)
    quality_score = fields.Float(
        string="Lead Quality", readonly=True, help="Quality score of the lead at that moment."
    )
    quality_grade = fields.Char(string="Lead Grade", readonly=True)
    member_count = fields.Integer(
        string="Member's Leads Before",
        readonly=True,
        help="Leads the member had received in the fairness period before this decision.",
    )
    member_quality = fields.Float(
        string="Member's Quality Sum Before",
        readonly=True,
        help="Sum of the quality scores the member had received in the period before.",
    )
    quantity_deficit = fields.Float(
        readonly=True,
        help="How many leads the member was below its fair share (positive: behind).",
    )
    quality_deficit = fields.Float(
        readonly=True,
        help="How much quality (sum of scores) the member was below its fair share.",
    )
    reason = fields.Text(readonly=True, help="Why this happened, in words.")
    decline_reason = fields.Text(readonly=True)
    trigger = fields.Char(
        string="Triggered By",
        readonly=True,
        help="What started it: a button, the scheduled action, lead creation, a portal user…",
    )
    triggered_by_id = fields.Many2one("res.users", string="User", readonly=True)
    date = fields.Datetime(default=fields.Datetime.now, required=True, index=True, readonly=True)

    def _check_log_write(self):
        if not self.env.su:
            raise AccessError(self.env._("The distribution log cannot be changed."))

    def write(self, vals):
        self._check_log_write()
        return super().write(vals)

    def unlink(self):
        self._check_log_write()
        return super().unlink()
