# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import eligibility
from ..lib.distribution_state import HELD_STATES

CHANNELS = [("direct", "Direct sales"), ("partner", "Sales partner")]
# what a member can take right now (see lead.distribution.member.day for the history)
AVAILABILITY_NOW = [
    ("available", "Available"),
    ("full", "At its limit"),
    ("away", "Away"),
    ("time_off", "On time off"),
]


class LeadDistributionMember(models.Model):
    _name = "lead.distribution.member"
    _description = "Lead Distribution Pool Member"
    _order = "pool_id, sequence, id"

    pool_id = fields.Many2one(
        "lead.distribution.pool",
        required=True,
        ondelete="cascade",
        index=True,
        help="Pool whose leads this member receives.",
    )
    company_id = fields.Many2one(
        related="pool_id.company_id", store=True, index=True, string="Company"
    )
    sequence = fields.Integer(default=10, help="Order of the members in the pool.")
    channel = fields.Selection(
        CHANNELS,
        required=True,
        default="direct",
        index=True,
        help="Direct: a salesperson (user) receives the lead. Sales partner: a partner company "
        "is offered the lead and must accept it within the pool's acceptance deadline.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        domain="[('share', '=', False)]",
        help="Salesperson receiving the leads (direct channel only).",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Sales Partner",
        index=True,
        domain="[('is_company', '=', True)]",
        help="Sales-partner company offered the leads (partner channel only). Its contacts are "
        "notified by e-mail; its portal users accept or decline the leads under "
        "/my/offered-leads.",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        help="Sales team set on the leads this salesperson receives (default: the "
        "salesperson's team).",
    )
    name = fields.Char(compute="_compute_name", store=True, string="Member")
    weight = fields.Float(
        default=1.0,
        required=True,
        help="Capacity share: a member with weight 2 receives twice as many leads (and twice "
        "the quality) as a member with weight 1 over the fairness period.",
    )
    available = fields.Boolean(
        default=True,
        help="Uncheck during an absence (approved time off counts by itself where Odoo's Time "
        "Off is installed): the member then receives no leads and its fair share does not "
        "grow, so that back it is neither flooded with the leads it missed nor starved.",
    )
    max_open_leads = fields.Integer(
        help="The member receives no more leads while it holds this many open leads (assigned, "
        "offered or accepted, not won or lost); 0: no limit. Leads nobody can take wait.",
    )
    max_daily_leads = fields.Integer(
        string="Max Leads per Day",
        help="The member receives at most this many leads per day (in the time zone of the "
        "pool's owner); 0: no limit.",
    )
    availability = fields.Selection(
        AVAILABILITY_NOW,
        string="Availability Now",
        compute="_compute_availability",
        help="Whether the member can receive leads now: available, at its limit of open leads "
        "or leads per day, marked away, or on approved time off.",
    )
    time_off_until = fields.Datetime(
        compute="_compute_availability",
        string="On Time Off Until",
        help="End of the member's approved time off, if it is on time off now.",
    )
    country_ids = fields.Many2many(
        "res.country",
        string="Countries",
        help="Only leads from these countries go to this member (empty: all countries).",
    )
    offer_type = fields.Selection(
        [("standard", "Standard"), ("complex", "Complex / Individual")],
        help="Only leads of this offer type go to this member (empty: all offer types).",
    )
    tag_ids = fields.Many2many(
        "crm.tag",
        string="Tags",
        help="Only leads with at least one of these tags go to this member (empty: all).",
    )
    active = fields.Boolean(default=True, help="Archived members receive no leads.")
    lead_count = fields.Integer(
        compute="_compute_lead_count", string="Open Leads", help="Leads currently held."
    )
    offered_lead_ids = fields.Many2many(
        "crm.lead",
        compute="_compute_offered_lead_ids",
        string="Leads Offered",
        help="Leads offered to this sales partner and waiting for its answer.",
    )
    offer_recipient_ids = fields.Many2many(
        "res.partner",
        compute="_compute_offer_recipient_ids",
        string="Offer Recipients",
        help="Who receives the e-mail about offered leads: the sales partner and its "
        "contacts that have an e-mail address.",
    )

    def _compute_availability(self):
        now = fields.Datetime.now()
        for pool, members in self.grouped("pool_id").items():
            real = members.filtered("id")
            status = pool._availability(real, now) if real and pool else {}
            time_off = pool._members_on_time_off(real, now) if real and pool else {}
            capacity = pool._capacities(real, now) if real and pool else {}
            for member in members:
                state = status.get(member.id, "available" if member.available else "away")
                if state == "available" and capacity.get(member.id, (None,))[0] == 0:
                    state = "full"
                member.availability = state
                member.time_off_until = time_off.get(member.id, False)

    @api.depends("user_id")
    def _compute_team_id(self):
        for member in self:
            if member.user_id and not member.team_id:
                member.team_id = member.user_id.sale_team_id

    @api.depends("channel", "user_id.name", "partner_id.name")
    def _compute_name(self):
        for member in self:
            member.name = (
                member.user_id.name if member.channel == "direct" else member.partner_id.name
            ) or ""

    def _compute_lead_count(self):
        groups = self.env["crm.lead"]._read_group(
            [
                ("distribution_member_id", "in", self.ids),
                ("distribution_state", "in", HELD_STATES),
            ],
            ["distribution_member_id"],
            ["__count"],
        )
        counts = {member.id: count for member, count in groups}
        for member in self:
            member.lead_count = counts.get(member.id, 0)

    def _compute_offered_lead_ids(self):
        groups = dict(
            self.env["crm.lead"]
            .sudo()
            ._read_group(
                [
                    ("distribution_member_id", "in", self.ids),
                    ("distribution_state", "=", "offered"),
                ],
                ["distribution_member_id"],
                ["id:recordset"],
            )
        )
        for member in self:
            member.offered_lead_ids = groups.get(member, self.env["crm.lead"])

    @api.depends("partner_id.email", "partner_id.child_ids.email")
    def _compute_offer_recipient_ids(self):
        for member in self:
            partner = member.partner_id
            member.offer_recipient_ids = (partner | partner.child_ids).filtered("email")

    @api.constrains(
        "channel", "user_id", "partner_id", "weight", "max_open_leads", "max_daily_leads"
    )
    def _check_target(self):
        for member in self:
            if member.max_open_leads < 0 or member.max_daily_leads < 0:
                raise ValidationError(
                    self.env._(
                        "The limits of %(member)s must not be negative (0: no limit).",
                        member=member.name,
                    )
                )
            if member.weight <= 0:
                raise ValidationError(
                    self.env._("The weight of %(member)s must be positive.", member=member.name)
                )
            if bool(member.user_id) == bool(member.partner_id):
                raise ValidationError(
                    self.env._(
                        "A pool member is either a salesperson or a sales partner: set exactly "
                        "one of them (member %(member)s).",
                        member=member.name or member.id,
                    )
                )
            if member.channel == "direct" and not member.user_id:
                raise ValidationError(self.env._("A direct member needs a salesperson."))
            if member.channel == "partner" and not member.partner_id:
                raise ValidationError(self.env._("A partner member needs a sales partner."))

    @api.constrains("pool_id", "user_id", "partner_id")
    def _check_unique(self):
        for member in self:
            twins = member.pool_id.with_context(active_test=False).member_ids.filtered(
                lambda m, member=member: m != member
                and (
                    (member.user_id and m.user_id == member.user_id)
                    or (member.partner_id and m.partner_id == member.partner_id)
                )
            )
            if twins:
                raise ValidationError(
                    self.env._(
                        "%(member)s is already a member of pool %(pool)s.",
                        member=member.name,
                        pool=member.pool_id.name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        """A member that received or answered leads stays: its history is the basis of
        the fairness counts and of the log."""
        used = (
            self.env["lead.distribution.log"]
            .sudo()
            ._read_group([("member_id", "in", self.ids)], ["member_id"], limit=1)
        )
        if used:
            raise UserError(
                self.env._(
                    "%(member)s has a distribution history in pool %(pool)s: archive the member "
                    "instead of deleting it.",
                    member=used[0][0].name,
                    pool=used[0][0].pool_id.name,
                )
            )

    @api.ondelete(at_uninstall=True)
    def _unlink_history_at_uninstall(self):
        """While this addon is uninstalled, the members' log goes with them (the log refuses
        the deletion of a member it mentions otherwise)."""
        Log = self.env["lead.distribution.log"].sudo()
        if Log._addon_uninstalling():
            Log.search([("member_id", "in", self.ids)]).unlink()

    def _eligibility_criteria(self):
        """What restricts the leads this member may receive, as ``lib/eligibility`` takes
        it: (country ids, offer type, tag ids)."""
        self.ensure_one()
        return (frozenset(self.country_ids._ids), self.offer_type, frozenset(self.tag_ids._ids))

    def _eligible_for(self, lead):
        """Whether this member may receive ``lead`` (countries, offer type, tags)."""
        self.ensure_one()
        return eligibility.is_eligible(
            self._eligibility_criteria(), lead.country_id.id, lead.offer_type, lead.tag_ids._ids
        )
