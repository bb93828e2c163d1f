# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Distribution pools: configuration, the leads a pool takes, the actions and the scheduled
run. How a batch is distributed lives in ``lead_distribution_pool_engine.py``, what the
decisions produce (chatter, activities, e-mails, log rows) in ``lead_distribution_pool_effects.py``.
"""

import logging
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime

from odoo import api, fields, models
from odoo.addons.lead_quality.lib.odoo_compat import running_tests, sql_constraints
from odoo.exceptions import UserError, ValidationError
from odoo.tools.safe_eval import safe_eval

from ..lib.distribution_state import waiting_domain

_logger = logging.getLogger(__name__)


@dataclass
class RunDigest:
    """What a run of several batches tells people once, at its end: each salesperson the leads
    it received (``salespeople``: {res.users: ([lead ids], follow-up deadline)}), each sales
    partner the leads waiting for its answer (``partner_member_ids``: the members to write)."""

    salespeople: dict = dataclass_field(default_factory=dict)
    partner_member_ids: set = dataclass_field(default_factory=set)


GRADES = [("A", "A"), ("B", "B or better"), ("C", "C or better"), ("D", "D or better")]
# leads a scheduled run distributes before it commits (like crm's crm.assignment.commit.bundle)
DEFAULT_CHUNK_SIZE = 2000


class LeadDistributionPool(models.Model):
    _name = "lead.distribution.pool"
    _description = "Lead Distribution Pool"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True, tracking=True, help="Name of the pool.")
    sequence = fields.Integer(default=10, help="Order of the pools.")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="Only leads of this company are distributed by this pool.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="Named person responsible for this pool, its members and its fairness.",
    )
    team_ids = fields.Many2many(
        "crm.team",
        string="Sales Teams",
        help="The pool takes the unassigned leads of these sales teams.",
    )
    lead_domain = fields.Char(
        string="Lead Filter",
        default="[]",
        help="Additional filter on the leads this pool takes (a domain), e.g. by country.",
    )
    member_ids = fields.One2many(
        "lead.distribution.member", "pool_id", string="Members", help="Who receives the leads."
    )
    period = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")],
        string="Fairness Period",
        required=True,
        default="year",
        help="Over this period every member receives its fair share of leads and quality.",
    )
    min_grade = fields.Selection(
        GRADES,
        string="Minimum Grade",
        default="C",
        help="Only leads of this quality grade or better are distributed. Empty: any grade.",
    )
    require_ready = fields.Boolean(
        string="Only Ready Leads",
        default=True,
        help="Only leads marked ready for distribution by the quality check are distributed.",
    )
    accept_days = fields.Integer(
        string="Partner Acceptance Deadline (days)",
        default=3,
        required=True,
        help="A partner that has not accepted an offered lead within this many days loses it; "
        "it goes back to the pool.",
    )
    followup_days = fields.Integer(
        string="Follow-up Deadline (working days)",
        default=5,
        required=True,
        help="A salesperson with no logged activity or stage progress on a lead within this "
        "many working days (the salesperson's working hours, else the company's: weekends, "
        "public holidays and time off do not count) loses it; it goes back to the pool.",
    )
    duplicate_mode = fields.Selection(
        [
            ("link", "Link to the open lead"),
            ("merge", "Merge into the open lead"),
            ("none", "Distribute as a new lead"),
        ],
        string="Duplicates",
        required=True,
        default="link",
        help="A lead with the same e-mail address, customer or phone number as an open lead or "
        "opportunity that someone holds (or as another lead distributed with it). Link: it "
        "goes to the holder of that lead, if the holder is an available member of the pool, "
        "and is marked as its duplicate. Merge: it is merged into that lead (Odoo's merge). "
        "Either way the decision log says which lead and why.",
    )
    account_match = fields.Boolean(
        string="Leads of Known Customers to Their Owner",
        default=True,
        help="A lead whose customer already has an owner (the customer's salesperson, the "
        "salesperson of its open opportunity, or the sales partner serving it or that accepted "
        "an earlier lead of it) goes to that owner first, when the owner is an available "
        "member of the pool. Such leads count in the owner's fair share like any other.",
    )
    mode = fields.Selection(
        [("manual", "Manual"), ("on_create", "On creation"), ("scheduled", "Scheduled")],
        required=True,
        default="manual",
        help="Manual: from the Distribute buttons. On creation: as soon as a ready lead is "
        "created. Scheduled: by the scheduled action.",
    )
    claim_approval = fields.Boolean(
        string="Claims Need a Manager",
        help="Setting the salesperson of a pool lead by hand is refused unless the user is a "
        "CRM manager. Claims are logged in any case.",
    )
    active = fields.Boolean(default=True, help="Archived pools distribute nothing.")
    member_count = fields.Integer(compute="_compute_counts", string="Members Count")
    log_count = fields.Integer(compute="_compute_counts", string="Log Entries")
    pending_count = fields.Integer(compute="_compute_counts", string="Pending Leads")

    vars().update(
        sql_constraints(
            (
                "deadlines_positive",
                "CHECK(accept_days > 0 AND followup_days > 0)",
                "The deadlines of a pool must be at least one day.",
            )
        )
    )

    def _compute_counts(self):
        logs = dict(
            self.env["lead.distribution.log"]._read_group(
                [("pool_id", "in", self.ids)], ["pool_id"], ["__count"]
            )
        )
        for pool in self:
            pool.member_count = len(pool.member_ids)
            pool.log_count = logs.get(pool, 0)
            pool.pending_count = (
                self.env["crm.lead"].search_count(pool._pending_domain()) if pool.id else 0
            )

    @api.constrains("lead_domain")
    def _check_lead_domain(self):
        for pool in self:
            try:
                self.env["crm.lead"].search_count(pool._lead_filter(), limit=1)
            except Exception as error:
                raise ValidationError(
                    self.env._("The lead filter of pool %(pool)s is invalid.", pool=pool.name)
                ) from error

    # ------------------------------------------------------------------ domains
    def _lead_filter(self):
        self.ensure_one()
        return safe_eval(self.lead_domain or "[]")

    def _ready_domain(self):
        self.ensure_one()
        domain = []
        if self.require_ready:
            domain.append(("is_distribution_ready", "=", True))
        if self.min_grade:
            grades = [g for g, _label in GRADES if g <= self.min_grade]
            domain.append(("quality_grade", "in", grades))
        return domain

    def _pending_domain(self):
        """Leads of this pool waiting for distribution."""
        self.ensure_one()
        own = [("distribution_pool_id", "=", self.id)]
        if self.team_ids:
            own = [
                "|",
                *own,
                "&",
                ("distribution_pool_id", "=", False),
                ("team_id", "in", self.team_ids.ids),
            ]
        return [
            *own,
            ("company_id", "in", (self.company_id.id, False)),
            ("type", "in", ("lead", "opportunity")),
            ("active", "=", True),
            *waiting_domain(),
            *self._ready_domain(),
            *self._lead_filter(),
        ]

    def _period_start(self, today=None):
        self.ensure_one()
        today = today or fields.Date.context_today(self)
        if self.period == "month":
            start = today.replace(day=1)
        elif self.period == "quarter":
            start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        else:
            start = date(today.year, 1, 1)
        return datetime.combine(start, datetime.min.time())

    # ------------------------------------------------------------------ actions
    def action_distribute(self):
        """Distribute all pending ready leads of the pools (oldest first)."""
        count = self._distribute_pending(self.env._("Distribute button (pool)"))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%s lead(s) distributed.", count),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _distribute_pending(self, trigger, commit=False):
        """Distribute the pending ready leads of the pools, oldest first; return how many.

        The leads go in chunks (system parameter ``lead_distribution.chunk_size``), each in a
        savepoint of its own, the cache emptied after each so that memory stays bounded. With
        ``commit`` (the scheduled run) every chunk is committed: a run stopped in the middle
        keeps the chunks it finished, and the next run goes on with the leads still pending.
        """
        self.check_access("write")
        size = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("lead_distribution.chunk_size", DEFAULT_CHUNK_SIZE)
        )
        size = size if size > 0 else DEFAULT_CHUNK_SIZE
        commit = commit and not running_tests()
        count = 0
        Lead = self.env["crm.lead"]
        for pool in self:
            lead_ids = Lead.search(pool._pending_domain(), order="create_date, id")._ids
            # salespeople and partners are told once per run, not once per chunk
            digest = RunDigest()
            for start in range(0, len(lead_ids), size):
                chunk = Lead.browse(lead_ids[start : start + size])
                with self.env.cr.savepoint():
                    count += len(pool._distribute(chunk, trigger, digest=digest))
                if commit:
                    # a scheduled run keeps every finished chunk, as crm's assignment does
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                self.env.invalidate_all()
            pool._send_run_digest(digest)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return count

    def action_view_log(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "lead_distribution.lead_distribution_log_action"
        )
        action["domain"] = [("pool_id", "=", self.id)]
        return action

    def action_view_pending(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pending leads of %s", self.name),
            "res_model": "crm.lead",
            "view_mode": "list,form",
            "domain": self._pending_domain(),
            "context": {"active_test": True},
        }

    @api.model
    def _cron_distribute(self):
        """Distribute the pending leads of the scheduled pools, committing chunk by chunk."""
        for pool in self.search([("mode", "=", "scheduled")]):
            try:
                pool._distribute_pending(self.env._("Scheduled action"), commit=True)
            except UserError as error:
                _logger.warning("lead distribution of pool %s skipped: %s", pool.name, error)
