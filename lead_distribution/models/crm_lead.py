# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.addons.lead_quality.lib.odoo_compat import search_equality
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import formatLang

from ..lib.distribution_state import is_waiting, waiting_domain
from .lead_distribution_member import CHANNELS

DISTRIBUTION_STATES = [
    ("pending", "Pending"),
    ("assigned", "Assigned"),
    ("offered", "Offered to Partner"),
    ("accepted", "Accepted by Partner"),
    ("declined", "Declined by Partner"),
    ("recycled", "Recycled"),
]
# what the distribution records about a lead: written by the distribution itself (as
# superuser) and by sales managers correcting it, by nobody else, so that nobody takes a
# lead out of its pool or marks it as distributed by hand
DISTRIBUTION_RECORD = (
    "distribution_member_id",
    "distribution_channel",
    "channel_partner_id",
    "distribution_state",
    "distribution_date",
    "distribution_accept_deadline",
    "distribution_followup_deadline",
    "distribution_decline_reason",
    "distribution_stage_id",
    "distribution_tried_member_ids",
    "distribution_blocked",
    "distribution_duplicate_of_id",
    "distribution_partner_contacted_date",
)


class CrmLead(models.Model):
    _inherit = "crm.lead"

    distribution_pool_id = fields.Many2one(
        "lead.distribution.pool",
        index=True,
        tracking=True,
        copy=False,
        help="Pool that distributes this lead fairly between salespeople and partners.",
    )
    distribution_member_id = fields.Many2one(
        "lead.distribution.member",
        string="Distributed To",
        index=True,
        copy=False,
        help="Pool member that currently holds the lead.",
    )
    distribution_channel = fields.Selection(
        CHANNELS,
        index=True,
        copy=False,
        help="Direct sales or sales partner, as distributed.",
    )
    channel_partner_id = fields.Many2one(
        "res.partner",
        string="Sales Partner",
        index=True,
        tracking=True,
        copy=False,
        help="Sales-partner company the lead is offered to or accepted by.",
    )
    distribution_state = fields.Selection(
        DISTRIBUTION_STATES,
        string="Distribution Status",
        index=True,
        tracking=True,
        copy=False,
        help="Pending: waits for distribution. Assigned: given to a salesperson. Offered: "
        "waits for the partner's acceptance. Accepted / Declined by the partner. Recycled: "
        "back in the pool because nobody followed it up in time.",
    )
    distribution_date = fields.Datetime(
        string="Distributed On", copy=False, index=True, help="Last distribution of the lead."
    )
    distribution_accept_deadline = fields.Datetime(
        string="Acceptance Deadline",
        copy=False,
        index=True,
        help="The partner must accept the lead before this moment, or it is redistributed.",
    )
    distribution_followup_deadline = fields.Datetime(
        string="Follow-up Deadline",
        copy=False,
        index=True,
        help="The salesperson must log an activity or move the lead on before this moment, "
        "or it is redistributed.",
    )
    distribution_decline_reason = fields.Text(
        string="Decline Reason", copy=False, help="Why the partner declined the lead."
    )
    distribution_stage_id = fields.Many2one(
        "crm.stage",
        string="Stage at Distribution",
        copy=False,
        help="Stage of the lead when it was distributed, to detect progress.",
    )
    distribution_tried_member_ids = fields.Many2many(
        "lead.distribution.member",
        "crm_lead_distribution_tried_rel",
        "lead_id",
        "member_id",
        string="Members Tried",
        copy=False,
        help="Members that already had this lead: it does not go back to them.",
    )
    distribution_blocked = fields.Boolean(
        string="Waiting for a Member",
        copy=False,
        help="No member of the pool can take this lead: every eligible member declined it or "
        "already had it, or none is eligible. The pool owner is told.",
    )
    distribution_duplicate_of_id = fields.Many2one(
        "crm.lead",
        string="Duplicate Of",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        help="The open lead or opportunity this lead duplicates (same e-mail address, customer "
        "or phone number), as its distribution pool found it: the lead went to its holder if "
        "the holder could take it.",
    )
    distribution_partner_contacted_date = fields.Datetime(
        string="Contacted by Partner On",
        copy=False,
        help="When the sales partner reported in the portal that it contacted the lead.",
    )
    distribution_waiting = fields.Boolean(
        string="Waiting for Distribution",
        compute="_compute_distribution_waiting",
        help="The lead has no holder yet, or came back (declined, recycled): a distribution "
        "may give it to a member.",
    )
    distribution_waiting_pool_id = fields.Many2one(
        "lead.distribution.pool",
        string="Waiting in Pool",
        compute="_compute_distribution_waiting_pool_id",
        search="_search_distribution_waiting_pool_id",
        help="The distribution pool this lead waits in: the pool gives it to a salesperson or "
        "a sales partner.",
    )
    distribution_bypass_pool_id = fields.Many2one(
        "lead.distribution.pool",
        string="Outside Pool",
        compute="_compute_distribution_waiting_pool_id",
        help="The distribution pool of the lead's sales team, which this lead bypasses: it has "
        "a salesperson that no distribution gave it.",
    )
    distribution_log_ids = fields.One2many(
        "lead.distribution.log",
        "lead_id",
    )
    distribution_log_count = fields.Integer(
        compute="_compute_distribution_log_count",
    )

    def _compute_distribution_log_count(self):
        groups = dict(
            self.env["lead.distribution.log"]._read_group(
                [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]
            )
        )
        for lead in self:
            lead.distribution_log_count = groups.get(lead, 0)

    @api.depends("distribution_state", "user_id", "active")
    def _compute_distribution_waiting(self):
        for lead in self:
            lead.distribution_waiting = lead._waiting_for_distribution()

    def _waiting_for_distribution(self):
        """Whether the lead waits for its pool to distribute it (no holder yet, or back)."""
        self.ensure_one()
        return is_waiting(self.distribution_state, self.user_id.id, self.active)

    @api.depends_context("uid")
    @api.depends(
        "distribution_pool_id", "team_id", "distribution_state", "user_id", "active", "probability"
    )
    def _compute_distribution_waiting_pool_id(self):
        """The pool a lead waits in, or the pool of its team that it bypasses: an open lead
        that no distribution gave to its salesperson (created with a salesperson, e.g. the
        creator, the form's default), also while it is being created."""
        open_leads = self.filtered(lambda lead: lead.active and lead.probability < 100)
        # pools are configuration, read as superuser (salespeople see their leads' pool)
        pools = open_leads.sudo()._pool_by_lead()
        for lead in self:
            pool = pools.get(lead.id) if lead in open_leads else None
            waiting = bool(pool) and lead._waiting_for_distribution()
            bypassed = (
                bool(pool) and not waiting and not lead.distribution_state and bool(lead.user_id)
            )
            lead.distribution_waiting_pool_id = pool.id if waiting else False
            lead.distribution_bypass_pool_id = pool.id if bypassed else False

    def _search_distribution_waiting_pool_id(self, operator, value):
        equality = search_equality(operator, value)
        if not equality or not equality[1] or any(v not in (False, None) for v in equality[1]):
            raise UserError(self.env._("Search the leads waiting in a pool with set / not set."))
        pools = self.env["lead.distribution.pool"].sudo().search([("team_ids", "!=", False)])
        waiting = [
            "&",
            ("active", "=", True),
            *waiting_domain(),
        ]
        in_pool = [
            "|",
            ("distribution_pool_id", "!=", False),
            ("team_id", "in", pools.team_ids.ids),
        ]
        domain = ["&", *waiting, *in_pool]
        # "is not set" (= False) or "is set" (!= False)
        return ["!", *domain] if equality[0] else domain

    # ------------------------------------------------------------------ entry points
    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        # ``lead_distribution_no_auto`` only counts for our own code running as superuser
        # (imports, tests, benchmarks); from any client the pools distribute as configured
        if not (self.env.su and self.env.context.get("lead_distribution_no_auto")):
            leads._distribute_on_create()
        return leads

    def _distribute_on_create(self):
        pools = self.env["lead.distribution.pool"].sudo().search([("mode", "=", "on_create")])
        for pool in pools:
            leads = self.sudo().filtered_domain(pool._pending_domain())
            if leads and pool._available_members():
                pool._distribute(leads, trigger=self.env._("Lead creation"))

    def _find_pools(self):
        """{pool: leads} of ``self``; a lead that belongs to no pool is an error."""
        pools = self._pool_by_lead()
        orphan = self.filtered(lambda lead: lead.id not in pools)
        if orphan:
            raise UserError(
                self.env._(
                    "Lead %s belongs to no distribution pool: set its pool or a sales team "
                    "that a pool takes.",
                    orphan[0].name,
                )
            )
        result = defaultdict(lambda: self.env["crm.lead"])
        for lead in self:
            result[pools[lead.id]] |= lead
        return result

    def _pool_by_lead(self):
        """{lead id: pool} of the leads that belong to a distribution pool: their own pool,
        else the first pool taking their sales team (a pool of the lead's company first).
        Pools are looked up with the access of ``self``'s environment, once for all leads."""
        result = {lead.id: lead.distribution_pool_id for lead in self if lead.distribution_pool_id}
        rest = self.filtered(lambda lead: not lead.distribution_pool_id and lead.team_id)
        if rest:
            pools = self.env["lead.distribution.pool"].search(
                [("team_ids", "in", rest.team_id.ids)]
            )
            for lead in rest:
                taking = [pool for pool in pools if lead.team_id in pool.team_ids]
                pool = next(
                    (pool for pool in taking if pool.company_id == lead.company_id),
                    taking[0] if taking else None,
                )
                if pool:
                    result[lead.id] = pool
        return result

    def action_distribute(self):
        """Distribute the selected leads (list view action and lead form button)."""
        self.check_access("write")
        if not self.env.user.has_group("sales_team.group_sale_salesman_all_leads"):
            raise AccessError(self.env._("Only sales managers and team leads distribute leads."))
        # the leads that do not wait for distribution (archived ones are left to the pool)
        held = self.filtered(lambda lead: not is_waiting(lead.distribution_state, lead.user_id.id))[
            :1
        ]
        if held.distribution_state:
            raise UserError(
                self.env._(
                    "Lead %s is already distributed; it goes back to the pool only when it is "
                    "declined or recycled.",
                    held.name,
                )
            )
        if held:
            raise UserError(
                self.env._(
                    "Lead %s already has a salesperson: remove the salesperson first.",
                    held.name,
                )
            )
        plan = self._find_pools()
        for pool, leads in plan.items():
            not_ready = leads - leads.filtered_domain(pool._ready_domain())
            if not_ready:
                raise UserError(not_ready[0]._not_ready_message(pool))
        distributed = self.browse()
        for pool, leads in plan.items():
            ordered = leads.sorted(lambda lead: (lead.create_date, lead.id))
            distributed |= pool.sudo()._distribute(
                ordered.sudo(), trigger=self.env._("Distribute action by %s", self.env.user.name)
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%s lead(s) distributed.", len(distributed)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _not_ready_message(self, pool):
        """Why this lead may not be distributed by ``pool`` yet, in words: the fields its
        medium requires that it misses, its completeness, its grade against the pool's."""
        self.ensure_one()
        # field labels and the medium's requirements are configuration: read as superuser
        lead = self.sudo()
        problems = []
        if pool.require_ready and not lead.is_distribution_ready:
            # lead_quality's explanation: missing information against the medium's
            # completeness, or a grade below the company's minimum
            note = (lead.quality_readiness_note or "").strip()
            if not note and lead.quality_missing_fields:
                note = self.env._("Missing: %s.", lead.quality_missing_fields)
            problems.append(
                " ".join(note.split("\n"))
                or self.env._("Its quality is below the minimum of the CRM settings.")
            )
        if pool.min_grade and (not lead.quality_grade or lead.quality_grade > pool.min_grade):
            problems.append(
                self.env._(
                    "Its grade is %(grade)s; the pool takes grade %(min)s or better.",
                    grade=lead.quality_grade or "-",
                    min=pool.min_grade,
                )
            )
        return self.env._(
            "Lead %(lead)s is not ready for distribution in pool %(pool)s. %(problems)s",
            lead=self.name,
            pool=pool.name,
            problems=" ".join(problems) or self.env._("It does not meet the pool's criteria."),
        )

    def action_view_distribution_log(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "lead_distribution.lead_distribution_log_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        return action

    def _distribution_record(self):
        """What the distribution recorded about this lead, as values to write on another
        lead carrying on with it (a merge that keeps the other lead)."""
        self.ensure_one()
        return {
            "distribution_pool_id": self.distribution_pool_id.id,
            "distribution_member_id": self.distribution_member_id.id,
            "distribution_channel": self.distribution_channel,
            "channel_partner_id": self.channel_partner_id.id,
            "distribution_state": self.distribution_state,
            "distribution_date": self.distribution_date,
            "distribution_accept_deadline": self.distribution_accept_deadline,
            "distribution_followup_deadline": self.distribution_followup_deadline,
            "distribution_stage_id": self.distribution_stage_id.id,
            "distribution_partner_contacted_date": self.distribution_partner_contacted_date,
            "distribution_tried_member_ids": [
                fields.Command.set(self.distribution_tried_member_ids.ids)
            ],
            "distribution_blocked": False,
        }

    # ------------------------------------------------------------------ the log outlives the lead
    def _merge_dependences(self, opportunities):
        """Merging leads (crm's merge wizard): the merged leads' distribution history moves
        to the lead they are merged into, each line with the name of its own lead."""
        result = super()._merge_dependences(opportunities)
        self.env["lead.distribution.log"].sudo()._move_to_lead(opportunities, self)
        return result

    @api.model
    def _distribution_prefetch_logs(self, leads, duplicates_cache):
        """crm's assignment merges ``leads`` with their duplicates, found beforehand for all
        the leads it assigns (``duplicates_cache``: lead -> its duplicates, the lead
        included), one merge at a time. The log lines of every lead it may merge are read at
        once, as superuser, when those of ``leads``' duplicates are not known yet: a merge
        then moves lines only where there are some (``lead.distribution.log._move_to_lead``)
        instead of running one UPDATE per merge. The ORM keeps the read lines up to date
        (our raw inserts and moves invalidate them)."""

        def duplicates_of(candidates):
            return self.browse(
                {
                    id_
                    for lead in candidates
                    if len(found := duplicates_cache.get(lead, ())) > 1
                    for id_ in found._ids
                }
            )

        if any("distribution_log_ids" not in lead._cache for lead in duplicates_of(leads)):
            duplicates_of(duplicates_cache).sudo().fetch(["distribution_log_ids"])

    # ------------------------------------------------------------------ partner answers
    def _check_partner_answer(self):
        """The leads ``self`` that the current user may answer for their sales partner, as
        superuser: the leads offered to the user's company (portal users of the partner
        have no access to leads of their own), or any offered lead for CRM managers.
        Nothing is changed when one of them may not be answered."""
        user = self.env.user
        is_manager = user.has_group("sales_team.group_sale_manager")
        company = user.partner_id.commercial_partner_id
        leads = self.sudo().exists()
        if len(leads) != len(self):
            raise UserError(self.env._("This lead does not exist (any more)."))
        for lead in leads:
            # before anything about the lead is said: is it the user's to answer at all
            if not (is_manager or lead.channel_partner_id.commercial_partner_id == company):
                raise AccessError(self.env._("This lead is not offered to your company."))
            if lead.distribution_state != "offered":
                raise UserError(
                    self.env._("Lead %s is not offered to a partner (any more).", lead.name)
                )
            if not lead.distribution_pool_id:
                raise UserError(
                    self.env._(
                        "Lead %s is offered outside any distribution pool: a sales manager "
                        "must distribute it again before it can be answered.",
                        lead.name,
                    )
                )
        return leads

    def action_partner_accept(self):
        """The partner accepts the offered leads (portal, or over XML-RPC)."""
        leads = self._check_partner_answer()
        leads.write({"distribution_state": "accepted", "distribution_accept_deadline": False})
        for lead in leads:
            lead.distribution_pool_id._post_event(
                lead,
                lead.distribution_member_id,
                "accepted",
                self.env._(
                    "%(partner)s accepted lead %(lead)s.",
                    partner=lead.channel_partner_id.name,
                    lead=lead.name,
                ),
                trigger=self.env._("Accepted by %s", self.env.user.name),
            )
        leads.env.flush_all()
        return True

    def _decline_reason_text(self, reason=None, reason_id=None):
        """(reason record, text to keep) of a decline: a reason of the list, free text, or
        both; a reason that asks for an explanation needs the text too."""
        text = reason.strip() if isinstance(reason, str) else ""
        listed = self.env["lead.distribution.decline.reason"]
        if reason_id:
            try:
                listed = listed.sudo().browse(int(reason_id)).exists()
            except (TypeError, ValueError):
                listed = listed.browse()
            if not listed:
                raise UserError(self.env._("Please choose a reason from the list."))
        if not (listed or text):
            raise UserError(self.env._("Please give a reason for declining the lead."))
        if listed.text_required and not text:
            raise UserError(
                self.env._('Please explain the reason "%s" in a few words.', listed.name)
            )
        if listed and text:
            return listed, f"{listed.name}: {text}"
        return listed, listed.name or text

    def action_partner_decline(self, reason=None, reason_id=None):
        """The partner declines the offered leads, with a reason (``reason_id``: one of the
        decline reasons, ``reason``: free text, or both); they are redistributed."""
        listed, reason = self._decline_reason_text(reason, reason_id)
        leads = self._check_partner_answer()
        Log = self.env["lead.distribution.log"].sudo()
        last_log = Log.search([], order="id desc", limit=1).id or 0
        for lead in leads:
            lead.distribution_pool_id._post_event(
                lead,
                lead.distribution_member_id,
                "declined",
                self.env._(
                    "%(partner)s declined lead %(lead)s: %(reason)s",
                    partner=lead.channel_partner_id.name,
                    lead=lead.name,
                    reason=reason,
                ),
                trigger=self.env._("Declined by %s", self.env.user.name),
                decline_reason=reason,
            )
        if listed:
            # the log keeps the reason of the list too (one write for the new lines)
            Log.search(
                [("id", ">", last_log), ("lead_id", "in", leads.ids), ("event", "=", "declined")]
            ).write({"decline_reason_id": listed.id})
        declined_by = ", ".join(leads.channel_partner_id.mapped("name"))
        previous = {lead.id: lead.channel_partner_id.name for lead in leads}
        leads.write(
            {
                "distribution_state": "declined",
                "distribution_decline_reason": reason,
                "distribution_accept_deadline": False,
                "channel_partner_id": False,
            }
        )
        # the next offer is the system's, not the declining partner's: its log line and
        # chatter message under the superuser (the decline itself stays the partner's)
        leads.with_user(SUPERUSER_ID)._redistribute(
            self.env._("Redistribution after %s declined", declined_by), previous=previous
        )
        # recompute what the changes imply as superuser, not as the (portal) user answering
        leads.env.flush_all()
        return True

    # ------------------------------------------------------------------ partner progress
    def _check_partner_progress(self):
        """The leads ``self`` accepted by the current user's company and still open, as
        superuser; refused before anything about a lead is said when it is not theirs."""
        company = self.env.user.partner_id.commercial_partner_id
        leads = self.sudo().with_context(active_test=False).exists()
        if len(leads) != len(self):
            raise UserError(self.env._("This lead does not exist (any more)."))
        for lead in leads:
            if not (
                lead.distribution_state == "accepted"
                and lead.channel_partner_id.commercial_partner_id == company
            ):
                raise AccessError(self.env._("This lead is not accepted by your company."))
            if not lead.active or lead.probability >= 100:
                raise UserError(self.env._("Lead %s is already closed as won or lost.", lead.name))
        return leads.with_context(active_test=True)

    def _post_partner_progress(self, body, note=None):
        """Chatter message of the partner's report, under the reporting portal user."""
        if note and note.strip():
            body = Markup("%s<br/>%s") % (body, note.strip())
        for lead in self:
            lead.message_post(
                body=Markup("<p>%s</p>") % body,
                author_id=self.env.user.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

    def action_partner_contacted(self, note=None):
        """The partner reports that it contacted the lead (portal, or over XML-RPC)."""
        leads = self._check_partner_progress()
        leads.write({"distribution_partner_contacted_date": fields.Datetime.now()})
        leads._post_partner_progress(
            self.env._(
                "%s contacted the lead.", self.env.user.partner_id.commercial_partner_id.name
            ),
            note,
        )
        return True

    def action_partner_won(self, amount=None, note=None):
        """The partner reports the lead won, with the amount of the deal."""
        try:
            amount = float(amount)
        except (TypeError, ValueError):
            amount = -1.0
        if amount < 0:
            raise UserError(self.env._("Please give the amount of the deal won (0 or more)."))
        leads = self._check_partner_progress()
        leads.write({"expected_revenue": amount})
        leads.action_set_won()
        currency = leads.company_currency or self.env.company.currency_id
        leads._post_partner_progress(
            self.env._(
                "%(partner)s won the deal: %(amount)s.",
                partner=self.env.user.partner_id.commercial_partner_id.name,
                amount=formatLang(self.env, amount, currency_obj=currency[:1]),
            ),
            note,
        )
        return True

    def action_partner_lost(self, lost_reason_id=None, note=None):
        """The partner reports the lead lost, with one of the CRM's lost reasons."""
        try:
            reason = self.env["crm.lost.reason"].sudo().browse(int(lost_reason_id)).exists()
        except (TypeError, ValueError):
            reason = self.env["crm.lost.reason"]
        if not reason:
            raise UserError(self.env._("Please choose why the lead was lost."))
        leads = self._check_partner_progress()
        leads._post_partner_progress(
            self.env._(
                "%(partner)s lost the lead: %(reason)s.",
                partner=self.env.user.partner_id.commercial_partner_id.name,
                reason=reason.name,
            ),
            note,
        )
        leads.action_set_lost(lost_reason_id=reason.id)
        return True

    # ------------------------------------------------------------------ claims (R15)
    def _check_distribution_write(self, vals):
        """Refuse changes of the distribution's own record of the leads by hand (RPC,
        imports, forms): sales managers only; the pool by team leads and managers."""
        user = self.env.user
        if set(vals) & set(DISTRIBUTION_RECORD) and not user.has_group(
            "sales_team.group_sale_manager"
        ):
            raise AccessError(
                self.env._(
                    "The distribution status, member, partner and deadlines of a lead are kept "
                    "by its distribution pool: only a sales manager may change them."
                )
            )
        if "distribution_pool_id" in vals and not user.has_group(
            "sales_team.group_sale_salesman_all_leads"
        ):
            raise AccessError(
                self.env._("Only sales managers and team leads move leads between pools.")
            )

    def _keep_pool_on_team_move(self, vals):
        """A lead waiting in a pool (found by its sales team, never distributed) stays the
        pool's when someone moves it to a team the pool does not take: otherwise moving it
        first and taking it afterwards would be a claim that no pool sees. A pool that asks
        for approval lets only CRM managers move its leads away."""
        new_team = vals["team_id"]
        waiting = self._maybe_in_pool().filtered(
            lambda lead: not lead.distribution_pool_id
            and not lead.distribution_state
            and lead.team_id.id != new_team
        )
        pools = waiting.sudo()._pool_by_lead()
        leaving = waiting.filtered(
            lambda lead: lead.id in pools and new_team not in pools[lead.id].team_ids.ids
        )
        if not leaving:
            return
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            refused = leaving.filtered(lambda lead: pools[lead.id].claim_approval)
            if refused:
                raise AccessError(
                    self.env._(
                        "Lead %(lead)s waits in distribution pool %(pool)s: only a CRM manager "
                        "may move it to a sales team outside the pool.",
                        lead=refused[0].name,
                        pool=pools[refused[0].id].name,
                    )
                )
        for pool, group in leaving.grouped(lambda lead: pools[lead.id]).items():
            group.sudo().write({"distribution_pool_id": pool.id})

    def write(self, vals):
        if not self.env.su:
            self._check_distribution_write(vals)
            if vals.get("team_id"):
                self._keep_pool_on_team_move(vals)
        if vals.get("user_id") and not self.env.su:
            claimed = self._maybe_in_pool().filtered(
                lambda lead: lead.user_id.id != vals["user_id"]
            )
            # hand assignments of pool leads, also by salespeople who cannot read pools
            pools = claimed.sudo()._pool_by_lead()
            claimed = claimed.filtered(lambda lead: lead.id in pools)
            if claimed:
                claimed._claim(vals, pools)
                rest = self - claimed
                return super(CrmLead, rest).write(vals) if rest else True
        return super().write(vals)

    def _maybe_in_pool(self):
        """The leads of ``self`` that may belong to a pool (a pool of their own, or a team
        that a pool takes); :meth:`_pool_by_lead` says which. Only the columns needed are
        read: reading a lead's whole row would first compute what the writes before this one
        left pending (crm's probabilities), once per write instead of once at the end."""
        leads = self.sudo()
        leads.fetch(["distribution_pool_id", "distribution_state", "team_id", "user_id"])
        return self.browse(
            lead.id
            for lead in leads
            if lead.distribution_pool_id or lead.team_id.has_distribution_pool
        )

    def _claim(self, vals, pools):
        """Hand assignment of pool leads: refuse or log it (R15). ``pools``: {lead id: pool}.

        Refused, whatever the caller passes along, unless the user is a CRM manager when the
        pool asks for approval. A claimed lead is held like a distributed one: the follow-up
        deadline of its pool and a follow-up activity for the salesperson."""
        user = self.env["res.users"].browse(vals["user_id"])
        is_manager = self.env.user.has_group("sales_team.group_sale_manager")
        refused = self.filtered(lambda lead: pools[lead.id].claim_approval and not is_manager)
        if refused:
            raise AccessError(
                self.env._(
                    "Lead %(lead)s is distributed by pool %(pool)s: only a CRM manager may give "
                    "it to a salesperson outside the distribution.",
                    lead=refused[0].name,
                    pool=pools[refused[0].id].name,
                )
            )
        previous = {lead.id: (lead.user_id, lead.channel_partner_id) for lead in self}
        members = (
            self.env["lead.distribution.member"]
            .sudo()
            .search([("pool_id", "in", [p.id for p in pools.values()]), ("user_id", "=", user.id)])
        )
        extra = {
            "distribution_state": "assigned",
            "distribution_channel": "direct",
            "channel_partner_id": False,
            "distribution_accept_deadline": False,
            "distribution_decline_reason": False,
            "distribution_blocked": False,
            "distribution_partner_contacted_date": False,
        }
        super().write({**vals, **extra})  # pylint: disable=super-method-mismatch
        # the claimed user's membership in each pool (first by sequence), the pool's deadline
        # and the stage the lead is in now; one write per pool and stage
        member_of = {}
        for member in members:
            member_of.setdefault(member.pool_id, member)
        no_member = self.env["lead.distribution.member"]
        now = fields.Datetime.now()
        leads = self.sudo()
        groups = defaultdict(lambda: self.env["crm.lead"].sudo())
        for lead in leads:
            groups[pools[lead.id], lead.stage_id] |= lead
        deadlines = {}
        for (pool, stage), group in groups.items():
            member = member_of.get(pool, no_member)
            if pool not in deadlines:
                deadlines[pool] = pool._followup_deadlines(user, now)[user.id]
            group.write(
                {
                    "distribution_pool_id": pool.id,
                    "distribution_member_id": member.id,
                    "distribution_date": now,
                    "distribution_stage_id": stage.id,
                    "distribution_followup_deadline": deadlines[pool],
                    "distribution_tried_member_ids": [fields.Command.link(member.id)]
                    if member
                    else [],
                }
            )
        leads._claim_followup_activities(
            user, {lead.id: deadlines[pools[lead.id]] for lead in leads}
        )
        # a lead claimed by a member counts in the fair share like a distributed one: every
        # member available accrues its share of it (a claim by someone outside the pool
        # counts for nobody)
        for pool, group in leads.grouped(lambda lead: pools[lead.id]).items():
            if pool in member_of:
                pool.sudo()._accrue_claims(group)
        for lead in leads:
            member = member_of.get(pools[lead.id], no_member)
            old_user, old_partner = previous[lead.id]
            lead.distribution_pool_id._post_event(
                lead,
                member,
                "claimed",
                self.env._(
                    "%(actor)s gave lead %(lead)s to %(user)s by hand, outside the distribution "
                    "(before: %(before)s).",
                    actor=self.env.user.name,
                    lead=lead.name,
                    user=user.name,
                    before=old_user.name or old_partner.name or self.env._("nobody"),
                ),
                trigger=self.env._("Manual change by %s", self.env.user.name),
            )
        return True

    def _claim_followup_activities(self, user, deadlines):
        """The claimed leads' follow-up activity goes to ``user`` (the one of the previous
        holder is removed), due at the lead's follow-up deadline, as after a distribution."""
        activity_type = self.env.ref(
            "lead_distribution.mail_activity_type_follow_up", raise_if_not_found=False
        )
        if not activity_type:
            return
        Activity = self.env["mail.activity"].sudo()
        Activity.search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", self.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        ).unlink()
        model_id = self.env["ir.model"]._get_id("crm.lead")
        summary = self.env._("Follow up the distributed lead")
        Activity.with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": lead.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "user_id": user.id,
                    "date_deadline": deadlines[lead.id].date(),
                    "automated": True,
                }
                for lead in self
            ]
        )
