# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG
from odoo.exceptions import AccessError
from odoo.tools import SQL

from .lead_distribution_member import CHANNELS

EVENTS = [
    ("assigned", "Assigned"),
    ("offered", "Offered"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("recycled", "Recycled"),
    ("claimed", "Claimed"),
    ("matched", "Matched to Owner"),
    ("linked", "Linked to Duplicate"),
    ("merged", "Merged into Duplicate"),
]
# a lead given to its owner (a known customer's) or to the holder of the lead it duplicates
MATCHED_EVENTS = ("matched", "linked")
# the distribution's own decisions (a claim is a hand assignment, no decision)
DECIDED_EVENTS = ("assigned", "offered", *MATCHED_EVENTS)
# the events by which a member receives a lead (counted in its fair share)
RECEIVED_EVENTS = (*DECIDED_EVENTS, "claimed")
# set on the cursor's cache while crm's assignment merges duplicates whose decision-log lines
# were read beforehand, as superuser (crm.team._allocate_leads_deduplicate): only then may a
# merge trust the cached lines (a user's own read of them is filtered by the record rules)
LOGS_PREFETCHED = "lead_distribution.logs_prefetched"


class LeadDistributionLog(models.Model):
    """One line per distribution decision or event: read-only for everyone (R13).

    The log outlives what it describes: a deleted lead leaves its rows (with the lead's name),
    a merged lead's rows move to the lead it was merged into, and pools and members with a
    history are archived instead of deleted (fairness counts of past periods never change)."""

    _name = "lead.distribution.log"
    _description = "Lead Distribution Log"
    _order = "create_date desc, id desc"
    _rec_name = "reason"

    lead_id = fields.Many2one(
        "crm.lead",
        index=True,
        ondelete="set null",
        readonly=True,
        help="Lead concerned; empty once the lead is deleted (its name stays on the line).",
    )
    lead_name = fields.Char(
        readonly=True, help="Name of the lead when the event was logged; kept if it is deleted."
    )
    pool_id = fields.Many2one(
        "lead.distribution.pool", index=True, ondelete="restrict", readonly=True
    )
    company_id = fields.Many2one(
        "res.company", index=True, readonly=True, help="Company of the pool."
    )
    member_id = fields.Many2one(
        "lead.distribution.member",
        index=True,
        ondelete="restrict",
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
    decline_reason = fields.Text(
        readonly=True, help="The partner's reason for declining the lead, as it gave it."
    )
    decline_reason_id = fields.Many2one(
        "lead.distribution.decline.reason",
        string="Decline Reason Category",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The reason of the list the partner chose when declining.",
    )
    trigger = fields.Char(
        string="Triggered By",
        readonly=True,
        help="What started it: a button, the scheduled action, lead creation, a portal user…",
    )
    triggered_by_id = fields.Many2one("res.users", string="User", readonly=True)
    date = fields.Datetime(default=fields.Datetime.now, required=True, index=True, readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        missing = {
            vals["lead_id"]
            for vals in vals_list
            if vals.get("lead_id") and not vals.get("lead_name")
        }
        names = {lead.id: lead.name for lead in self.env["crm.lead"].sudo().browse(missing)}
        for vals in vals_list:
            if vals.get("lead_id") and not vals.get("lead_name"):
                vals["lead_name"] = names[vals["lead_id"]]
        return super().create(vals_list)

    @api.model
    def _move_to_lead(self, leads, target):
        """The lines of ``leads`` (merged into ``target``) now belong to ``target``; each keeps
        the name of the lead it was logged for (every line carries it from its creation) and
        every other figure. One UPDATE of our own table per merge, none when the lines of
        ``leads`` were read beforehand and there are none (crm's assignment reads them for
        all the duplicates it merges at once, see ``crm.lead._distribution_prefetch_logs``;
        any other merge runs the UPDATE).
        """
        if not leads:
            return
        if self.env.cr.cache.get(LOGS_PREFETCHED) and all(
            "distribution_log_ids" in lead._cache and not lead._cache["distribution_log_ids"]
            for lead in leads
        ):
            return
        self.flush_model(["lead_id"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE lead_distribution_log
                   SET lead_id = %s, write_uid = %s, write_date = %s
                 WHERE lead_id = ANY(%s)
                """,
                target.id,
                self.env.uid,
                fields.Datetime.now(),
                leads.ids,
            )
        )
        if self.env.cr.rowcount:
            self.invalidate_model(["lead_id", "write_uid", "write_date"])
            self.env["crm.lead"].invalidate_model(["distribution_log_ids"])

    @api.model
    def _addon_uninstalling(self):
        """Whether this addon is being uninstalled: its module is marked for removal (the
        uninstall flag in the context alone, which any client can send, is not enough)."""
        return bool(
            self.env.context.get(MODULE_UNINSTALL_FLAG)
            and self.env["ir.module.module"]
            .sudo()
            .search_count([("name", "=", "lead_distribution"), ("state", "=", "to remove")])
        )

    def _check_log_write(self):
        if not self.env.su:
            raise AccessError(self.env._("The distribution log cannot be changed."))

    def write(self, vals):
        self._check_log_write()
        return super().write(vals)

    def unlink(self):
        self._check_log_write()
        return super().unlink()
