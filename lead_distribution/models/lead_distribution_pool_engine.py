# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The distribution engine of a pool.

A batch goes through five steps: the leads are locked (a concurrent run skips them), their
duplicates and known customers are matched (``lead_distribution_pool_matching.py``), what every
member received in the fairness period is read from the decision log and what it was entitled
to from its days (``lead_distribution_pool_availability.py``: who is away, on time off or at
its limit), the pure ``lib/fair_share.distribute`` decides, and the decisions are applied.

Applying goes through Odoo's own contracts on ``crm.lead``: one ORM ``write`` per group of
leads that receive the same values (member, sales team, stage at distribution), so crm's own
``write`` (opening date, team), other modules' ``write`` overrides, ``base.automation`` rules,
the company checks and the auto-subscription of the salesperson all happen as for a write by
hand. Tracking is done by the effects (one chatter message per lead with the reason and the
tracking values, created in one batch), see ``lead_distribution_pool_effects.py``.
"""

from collections import defaultdict
from dataclasses import replace
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL

from ..lib import eligibility, fair_share
from ..lib.distribution_state import PENDING_STATES, waiting_sql_condition
from .lead_distribution_log import RECEIVED_EVENTS
from .lead_distribution_pool_matching import PRIMARY

# what the distribution reads of the leads it distributes (read in one query), and what the
# eligibility of members restricted to countries, offer types or tags needs besides
LEAD_FIELDS = (
    "name",
    "company_id",
    "team_id",
    "user_id",
    "stage_id",
    "quality_score",
    "quality_grade",
    "distribution_state",
    "distribution_member_id",
    "distribution_tried_member_ids",
    "distribution_blocked",
    "email_normalized",
    "partner_id",
    "phone_sanitized",
)
ELIGIBILITY_FIELDS = ("country_id", "offer_type", "tag_ids")


class LeadDistributionPool(models.Model):
    # a file per concern of the pool (configuration, engine, effects), by design
    _inherit = "lead.distribution.pool"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _lock_leads(self, lead_ids):
        """Lock the given leads for this transaction; return the ids of those still pending.

        Leads locked by a concurrent distribution are skipped (not waited for): that run
        handles them. Together with the state read with the lock, no lead is assigned twice
        and none is lost (the skipped ones stay pending for the other run or the next one).
        """
        if not lead_ids:
            return []
        self.env["crm.lead"].browse(lead_ids).flush_recordset(["distribution_state", "user_id"])
        # A lead that a concurrent run assigned and committed after this transaction began
        # cannot be locked: PostgreSQL raises a serialization failure and Odoo runs the request
        # again from the start (as for any concurrent update), so it is not logged as a bad
        # query (as ir.cron's own lock queries)
        self.env.cr.execute(
            SQL(
                "SELECT id, %s FROM crm_lead WHERE id IN %s ORDER BY id FOR UPDATE SKIP LOCKED",
                SQL(waiting_sql_condition(), PENDING_STATES),
                tuple(lead_ids),
            ),
            log_exceptions=False,
        )
        return [lead_id for lead_id, pending in self.env.cr.fetchall() if pending]

    def _member_stats(self, members):
        """Leads and quality received by each member in the fairness period so far."""
        self.ensure_one()
        groups = (
            self.env["lead.distribution.log"]
            .sudo()
            ._read_group(
                [
                    ("member_id", "in", members.ids),
                    ("event", "in", RECEIVED_EVENTS),
                    ("date", ">=", self._period_start()),
                ],
                ["member_id"],
                ["__count", "quality_score:sum", "date:max"],
            )
        )
        return {member.id: (count, quality, last) for member, count, quality, last in groups}

    def _check_distributable(self, leads, members=None):
        """Refuse a batch the pool cannot distribute: archived pool, another company's
        lead, no available member (``members``: the available ones, default: looked up).
        Return the available members."""
        self.ensure_one()
        if not self.active:
            raise UserError(self.env._("Pool %s is archived.", self.name))
        foreign = leads.filtered(
            lambda lead: lead.company_id and lead.company_id != self.company_id
        )[:1]
        if foreign:
            raise UserError(
                self.env._(
                    "Lead %(lead)s belongs to company %(company)s, pool %(pool)s to %(own)s: a "
                    "pool only distributes leads of its own company.",
                    lead=foreign.name,
                    company=foreign.company_id.name,
                    pool=self.name,
                    own=self.company_id.name,
                )
            )
        if members is None:
            members = self._available_members()
        outsider = members.filtered(
            lambda member: member.user_id and self.company_id not in member.user_id.company_ids
        )[:1]
        if outsider:
            raise UserError(
                self.env._(
                    "Salesperson %(user)s of pool %(pool)s does not work for company "
                    "%(company)s: give them access to the company or remove them from the pool.",
                    user=outsider.user_id.name,
                    pool=self.name,
                    company=self.company_id.name,
                )
            )
        if not members:
            raise UserError(
                self.env._(
                    "Pool %s has no available member (all are away or on time off): add members "
                    "or mark them available.",
                    self.name,
                )
            )
        return members

    def _member_inputs(self, members, status, capacities, stats=None):
        """The members as ``lib/fair_share`` sees them: what they received in the period
        (the log), what they were entitled to (their days), available or not, their room."""
        self.ensure_one()
        stats = self._member_stats(members) if stats is None else stats
        entitlements = self._member_entitlements(members)
        inputs = []
        for member in members:
            count, quality, last = stats.get(member.id, (0, 0.0, None))
            entitled, quality_entitled = entitlements.get(member.id, (0.0, 0.0))
            inputs.append(
                fair_share.MemberIn(
                    key=member.id,
                    weight=member.weight,
                    count=count,
                    quality=quality or 0.0,
                    last_served=last.timestamp() if last else 0.0,
                    channel=member.channel,
                    entitled=entitled or 0.0,
                    quality_entitled=quality_entitled or 0.0,
                    capacity=capacities.get(member.id, (None,))[0],
                    available=status[member.id] == "available",
                )
            )
        return inputs

    def _distribute(self, leads, trigger, exclude=None, digest=None, previous=None):
        """Distribute ``leads`` of this pool; return the leads distributed.

        :param exclude: dict lead id -> member ids that must not receive it again
        :param digest: a ``RunDigest`` that collects the notifications of a run of several
            batches, sent at its end (``None``: notified at once)
        :param previous: dict lead id -> name of the partner that declined the lead just
            before; the reason says the lead goes to the next member after that partner
        """
        self.ensure_one()
        pool = self
        now = fields.Datetime.now()
        # read what the distribution needs of the leads in one query, not every column of
        # the lead the first access would prefetch
        leads.fetch(["company_id"])
        members = pool.member_ids
        status = pool._availability(members, now)
        pool._check_distributable(
            leads, members.filtered(lambda member: status[member.id] == "available")
        )
        # another run may have distributed them meanwhile: their state as it is now
        pending = set(self._lock_leads(leads.ids))
        leads.invalidate_recordset(["distribution_state", "user_id", "distribution_member_id"])
        leads = leads.browse(id_ for id_ in leads._ids if id_ in pending)
        if not leads:
            return leads
        leads.fetch(LEAD_FIELDS)
        # duplicates and known customers, for the whole batch at once
        matches = pool._match_leads(leads, members, trigger)
        leads = matches.leads
        if not leads:
            return leads
        exclude = exclude or {}
        status, capacities = pool._member_status(members, now, status)
        member_inputs = pool._member_inputs(
            members, {k: "available" if v == "full" else v for k, v in status.items()}, capacities
        )
        criteria = {member.id: member._eligibility_criteria() for member in members}
        restricted = any(map(eligibility.is_restricted, criteria.values()))
        all_members = frozenset(members.ids)
        leads.fetch(LEAD_FIELDS + ELIGIBILITY_FIELDS if restricted else LEAD_FIELDS)
        first, second = [], []
        for lead in leads:
            tried = set(lead.distribution_tried_member_ids._ids) | set(exclude.get(lead.id, ()))
            if not restricted:
                eligible = all_members - tried if tried else all_members
            else:
                eligible = eligibility.eligible_members(
                    criteria, lead.country_id.id, lead.offer_type, lead.tag_ids._ids, tried
                )
            lead_in = fair_share.LeadIn(
                key=lead.id,
                score=lead.quality_score or 0.0,
                eligible=None if eligible == all_members else eligible,
                preferred=matches.preferred(lead.id),
            )
            (second if lead.id in matches.follows else first).append(lead_in)
        decisions, unassigned, states = fair_share.distribute(member_inputs, first)
        if second:
            # duplicates of a lead of this batch go with it, to the member it went to
            decisions, unassigned, states = pool._distribute_followers(
                matches, second, decisions, unassigned, states
            )
        # quality as seen at decision time (writing the leads may recompute it)
        snapshot = {lead.id: (lead.quality_score or 0.0, lead.quality_grade) for lead in leads}
        distributed = pool._apply_decisions(
            leads, decisions, trigger, snapshot, digest, matches, (status, capacities), previous
        )
        pool._record_days(members, states, status, now)
        pool._report_blocked(leads.browse(unassigned))
        return distributed

    @staticmethod
    def _distribute_followers(matches, followers, decisions, unassigned, states):
        """Second pass over the leads that duplicate another lead of the batch: each goes
        first to the member the other one went to (then to its own owners, then fairly)."""
        chosen = {decision.lead: decision.member for decision in decisions}
        leads = []
        for lead in followers:
            member = chosen.get(matches.follows[lead.key])
            owners = matches.owners.get(lead.key, [])
            matches.owners[lead.key] = [
                replace(owner, member=member) if owner.kind == PRIMARY else owner
                for owner in owners
            ]
            leads.append(replace(lead, preferred=matches.preferred(lead.key)))
        inputs = [
            fair_share.MemberIn(
                key=state.key,
                weight=state.weight,
                count=state.count,
                quality=state.quality,
                last_served=state.last_served,
                channel=state.channel,
                entitled=state.entitled,
                quality_entitled=state.quality_entitled,
                capacity=state.capacity,
                available=state.available,
            )
            for state in states.values()
        ]
        more, still, after = fair_share.distribute(inputs, leads)
        for key, state in after.items():
            state.accrued += states[key].accrued
            state.quality_accrued += states[key].quality_accrued
        return decisions + more, unassigned + still, after

    def _assignment_vals(self, member, team_id, stage_id, now, deadlines):
        """What the leads given to ``member`` receive: the salesperson and sales team
        ``team_id`` (direct) or the partner's offer (``team_id`` ``None``: the lead keeps its
        team), and the distribution fields; ``deadlines``: (follow-up by salesperson id,
        acceptance)."""
        followups, accept = deadlines
        direct = member.channel == "direct"
        followup = followups.get(member.user_id.id) if direct else False
        vals = {
            "user_id": member.user_id.id if direct else False,
            "channel_partner_id": False if direct else member.partner_id.id,
            "distribution_pool_id": self.id,
            "distribution_member_id": member.id,
            "distribution_channel": member.channel,
            "distribution_state": "assigned" if direct else "offered",
            "distribution_date": now,
            "distribution_stage_id": stage_id,
            "distribution_decline_reason": False,
            "distribution_followup_deadline": followup if direct else False,
            "distribution_accept_deadline": False if direct else accept,
            "distribution_tried_member_ids": [Command.link(member.id)],
            "distribution_blocked": False,
        }
        if team_id:
            vals["team_id"] = team_id
        return vals

    def _apply_decisions(
        self,
        leads,
        decisions,
        trigger,
        snapshot,
        digest=None,
        matches=None,
        availability=None,
        previous=None,
    ):
        """Apply the decisions in batch: the leads, the chatter, activities, log, e-mails.
        ``matches``: what matching found (owners of the leads); ``availability``: (status,
        capacities) of the members, for the reasons; ``previous``: lead id -> the partner
        that declined it just before."""
        self.ensure_one()
        if not decisions:
            return self.env["crm.lead"]
        now = fields.Datetime.now()
        lead_by_id = {lead.id: lead for lead in leads}
        members = self.env["lead.distribution.member"].browse(sorted({d.member for d in decisions}))
        member_by_id = {m.id: m for m in members}
        direct_users = members.filtered(lambda m: m.channel == "direct").user_id
        deadlines = (
            self._followup_deadlines(direct_users, now),
            now + timedelta(days=self.accept_days),
        )
        # leads that receive the same values are written together: same member, same new
        # sales team (the member's, for a direct member that has one), same stage
        groups = defaultdict(list)
        for decision in decisions:
            member, lead = member_by_id[decision.member], lead_by_id[decision.lead]
            # a direct lead gets the member's team, or keeps its own (written all the same:
            # else crm would move it to the salesperson's default team)
            team_id = (member.team_id or lead.team_id).id if member.channel == "direct" else None
            groups[(member.id, team_id, lead.stage_id.id)].append(lead.id)
        distributed = self.env["crm.lead"].browse([d.lead for d in decisions])
        tracking = self._tracking_start(distributed)
        # the distribution's own writes: not a hand claim (crm.lead.write checks env.su)
        Lead = distributed.sudo().with_context(
            mail_auto_subscribe_no_notify=True, mail_notrack=True
        )
        for (member_id, team_id, stage_id), lead_ids in groups.items():
            Lead.browse(lead_ids).write(
                self._assignment_vals(member_by_id[member_id], team_id, stage_id, now, deadlines)
            )
        bodies = self._log_decisions(
            decisions, lead_by_id, member_by_id, trigger, snapshot, matches, availability, previous
        )
        self._post_tracked_notes(distributed, bodies, tracking)
        self._create_followup_activities(decisions, member_by_id, deadlines[0], digest)
        self._notify_partners(decisions, member_by_id, digest)
        return distributed
