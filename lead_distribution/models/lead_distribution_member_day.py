# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.tools.sql import create_index

from .lead_distribution_member import CHANNELS

AVAILABILITY = [
    ("available", "Available"),
    ("full", "At its limit"),
    ("away", "Away"),
    ("time_off", "On time off"),
]


class LeadDistributionMemberDay(models.Model):
    """A pool member's day: whether it could receive leads when the pool distributed, and
    the fair share of the pool's leads it accrued (R11). One line per member and day on
    which the pool distributed (two when two runs distributed at the same moment: they never
    wait for each other), written by the distribution; read-only for everyone.

    The fair share a member is entitled to in a period is the sum of its days' shares: it
    grows only while the member is available, so someone back from leave is neither flooded
    with the leads distributed while it was away nor starved for them."""

    _name = "lead.distribution.member.day"
    _description = "Lead Distribution Member Day"
    _order = "day desc, member_id"
    _rec_name = "day"

    member_id = fields.Many2one(
        "lead.distribution.member", required=True, ondelete="cascade", readonly=True
    )
    pool_id = fields.Many2one(
        "lead.distribution.pool", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one("res.company", index=True, readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", index=True, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Sales Partner", readonly=True)
    day = fields.Date(required=True, readonly=True)
    available = fields.Boolean(
        readonly=True, help="The member could receive leads when the pool distributed that day."
    )
    status = fields.Selection(
        AVAILABILITY,
        string="Availability",
        readonly=True,
        help="Available, at its limit of open leads or leads per day, marked away, or on "
        "approved time off (the last state of the day, available if it was at any time).",
    )
    entitled = fields.Float(
        string="Fair Share (Leads)",
        readonly=True,
        help="Leads of the pool the member was entitled to that day: its share of each lead "
        "distributed while it was available (and the fraction of a lead members going away "
        "hand over to those present).",
    )
    quality_entitled = fields.Float(
        string="Fair Share (Quality)",
        readonly=True,
        help="Quality (sum of scores) the member was entitled to that day, alike.",
    )

    def init(self):
        # a member's days of a period: the fair share it is entitled to
        create_index(
            self.env.cr,
            "lead_distribution_member_day_member_day_index",
            self._table,
            ["member_id", "day"],
        )

    def _check_day_write(self):
        if not self.env.su:
            raise AccessError(self.env._("The members' days are kept by the distribution."))

    def write(self, vals):
        self._check_day_write()
        return super().write(vals)

    def unlink(self):
        self._check_day_write()
        return super().unlink()
