# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from collections import defaultdict
from datetime import date, datetime, timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id
from odoo.tools.safe_eval import safe_eval

from ..lib import fair_share

_logger = logging.getLogger(__name__)

GRADES = [("A", "A"), ("B", "B or better"), ("C", "C or better"), ("D", "D or better")]
PENDING_STATES = ("pending", "declined", "recycled")
# stored computed fields of crm.lead that depend on its salesperson, team or company, or on
# fields the distribution writes, without being changed by an assignment within the same team
# and company (besides, every stored computed field that depends neither on the salesperson nor
# on the assignment date)
UNCHANGED_BY_ASSIGNMENT = (
    "team_id",
    "company_id",
    "probability",
    "automated_probability",
    "is_automated_probability",
    "lead_properties",
    "offer_type",
    "data_completeness",
    "quality_missing_fields",
    "quality_score",
    "quality_grade",
    "is_distribution_ready",
)
# what the distribution reads of the leads it distributes (read in one query), and what the
# eligibility of members restricted to countries, offer types or tags needs besides
LEAD_FIELDS = (
    "name",
    "company_id",
    "team_id",
    "user_id",
    "quality_score",
    "quality_grade",
    "distribution_state",
    "distribution_member_id",
    "distribution_tried_member_ids",
)
ELIGIBILITY_FIELDS = ("country_id", "offer_type", "tag_ids")


class LeadDistributionPool(models.Model):
    _name = "lead.distribution.pool"
    _description = "Lead Distribution Pool"
    _inherit = ["mail.thread"]
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
        help="Named person responsible for this pool, its members and its fairness (R25).",
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
        help="Over this period every member receives its fair share of leads and quality (R11).",
    )
    min_grade = fields.Selection(
        GRADES,
        string="Minimum Grade",
        default="C",
        help="Only leads of this quality grade or better are distributed (R5). Empty: any grade.",
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
        string="Follow-up Deadline (days)",
        default=5,
        required=True,
        help="A salesperson with no logged activity or stage progress on a lead within this "
        "many days loses it; it goes back to the pool.",
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
        "CRM manager (R15). Claims are logged in any case.",
    )
    active = fields.Boolean(default=True, help="Archived pools distribute nothing.")
    member_count = fields.Integer(compute="_compute_counts", string="Members Count")
    log_count = fields.Integer(compute="_compute_counts", string="Log Entries")
    pending_count = fields.Integer(compute="_compute_counts", string="Pending Leads")

    _sql_constraints = [
        (
            "deadlines_positive",
            "CHECK(accept_days > 0 AND followup_days > 0)",
            "The deadlines of a pool must be at least one day.",
        ),
    ]

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
            "|",
            ("distribution_state", "in", PENDING_STATES),
            "&",
            ("distribution_state", "=", False),
            ("user_id", "=", False),
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
        distributed = self._distribute_pending(self.env._("Distribute button (pool)"))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%s lead(s) distributed.", len(distributed)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _distribute_pending(self, trigger):
        """Distribute all pending ready leads of the pools; return the leads distributed."""
        self.env["crm.lead"].check_access("write")
        result = self.env["crm.lead"]
        for pool in self:
            leads = self.env["crm.lead"].search(pool._pending_domain(), order="create_date, id")
            if leads:
                result |= pool._distribute(leads, trigger=trigger)
        return result

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
        pools = self.search([("mode", "=", "scheduled")])
        for pool in pools:
            try:
                with self.env.cr.savepoint():
                    pool._distribute_pending(self.env._("Scheduled action"))
            except UserError as error:
                _logger.warning("lead distribution of pool %s skipped: %s", pool.name, error)

    # ------------------------------------------------------------------ engine
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
        self.env.cr.execute(
            SQL(
                """
                SELECT id, distribution_state IN %s
                           OR (distribution_state IS NULL AND user_id IS NULL)
                  FROM crm_lead WHERE id IN %s ORDER BY id FOR UPDATE SKIP LOCKED
                """,
                PENDING_STATES,
                tuple(lead_ids),
            )
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
                    ("event", "in", ("assigned", "offered", "claimed")),
                    ("date", ">=", self._period_start()),
                ],
                ["member_id"],
                ["__count", "quality_score:sum", "date:max"],
            )
        )
        return {member.id: (count, quality, last) for member, count, quality, last in groups}

    def _distribute(self, leads, trigger, exclude=None):
        """Distribute ``leads`` of this pool; return the leads distributed.

        :param exclude: dict lead id -> member ids that must not receive it again
        """
        self.ensure_one()
        pool = self
        if not pool.active:
            raise UserError(self.env._("Pool %s is archived.", pool.name))
        leads.flush_recordset(["company_id"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM crm_lead WHERE id = ANY(%s) AND company_id != %s LIMIT 1",
                leads.ids,
                pool.company_id.id,
            )
        )
        foreign = leads.browse(row[0] for row in self.env.cr.fetchall())
        if foreign:
            raise UserError(
                self.env._(
                    "Lead %(lead)s belongs to company %(company)s, pool %(pool)s to %(own)s: a "
                    "pool only distributes leads of its own company.",
                    lead=foreign[0].name,
                    company=foreign[0].company_id.name,
                    pool=pool.name,
                    own=pool.company_id.name,
                )
            )
        members = pool.member_ids.filtered("available")
        if not members:
            raise UserError(
                self.env._(
                    "Pool %s has no available member: add members or mark them available.",
                    pool.name,
                )
            )
        # another run may have distributed them meanwhile: their state as it is now
        pending = set(self._lock_leads(leads.ids))
        leads.invalidate_recordset(["distribution_state", "user_id", "distribution_member_id"])
        leads = leads.browse(id_ for id_ in leads._ids if id_ in pending)
        if not leads:
            return leads
        exclude = exclude or {}
        stats = pool._member_stats(members)
        member_inputs = []
        for member in members:
            count, quality, last = stats.get(member.id, (0, 0.0, None))
            member_inputs.append(
                fair_share.MemberIn(
                    key=member.id,
                    weight=member.weight,
                    count=count,
                    quality=quality or 0.0,
                    last_served=last.timestamp() if last else 0.0,
                    channel=member.channel,
                )
            )
        criteria = [
            (m.id, set(m.country_ids.ids), m.offer_type, set(m.tag_ids.ids)) for m in members
        ]
        restricted = any(
            countries or offer_type or tag_ids for _m, countries, offer_type, tag_ids in criteria
        )
        all_members = frozenset(members.ids)
        # read what the distribution needs of the leads in one query, not every column of
        # the lead the first access would prefetch
        leads.fetch(LEAD_FIELDS + ELIGIBILITY_FIELDS if restricted else LEAD_FIELDS)
        lead_inputs = []
        for lead in leads:
            tried = set(lead.distribution_tried_member_ids._ids) | set(exclude.get(lead.id, ()))
            if not restricted:
                eligible = all_members - tried if tried else all_members
            else:
                country, offer, tags = lead.country_id.id, lead.offer_type, set(lead.tag_ids._ids)
                eligible = frozenset(
                    member_id
                    for member_id, countries, offer_type, tag_ids in criteria
                    if member_id not in tried
                    and (not countries or country in countries)
                    and (not offer_type or offer == offer_type)
                    and (not tag_ids or tag_ids & tags)
                )
            lead_inputs.append(
                fair_share.LeadIn(
                    key=lead.id,
                    score=lead.quality_score or 0.0,
                    eligible=None if eligible == all_members else eligible,
                )
            )
        decisions, _unassigned, _states = fair_share.distribute(member_inputs, lead_inputs)
        # quality as seen at decision time (writing the leads may recompute it)
        snapshot = {lead.id: (lead.quality_score or 0.0, lead.quality_grade) for lead in leads}
        return pool._apply_decisions(leads, decisions, trigger, snapshot)

    def _apply_decisions(self, leads, decisions, trigger, snapshot):
        """Write the decisions in batch: the leads, logs, activities, chatter, e-mails."""
        self.ensure_one()
        pool = self
        now = fields.Datetime.now()
        lead_by_id = {lead.id: lead for lead in leads}
        members = self.env["lead.distribution.member"].browse(sorted({d.member for d in decisions}))
        member_by_id = {m.id: m for m in members}
        followup = now + timedelta(days=pool.followup_days)
        accept = now + timedelta(days=pool.accept_days)
        # what each member's leads receive: salesperson and the member's sales team for
        # direct members (the lead keeps its team when the member has none), the partner else
        effects = {}
        for member in members:
            if member.channel == "direct":
                effects[member.id] = (
                    member.user_id.id,
                    member.team_id.id or None,
                    None,
                    "assigned",
                    followup,
                    None,
                )
            else:
                effects[member.id] = (None, None, member.partner_id.id, "offered", None, accept)
        assignments = []
        for decision in decisions:
            user_id, team_id, partner_id, state, followup_at, accept_at = effects[decision.member]
            if team_id == lead_by_id[decision.lead].team_id.id:  # no change
                team_id = None
            assignments.append(
                (
                    decision.lead,
                    decision.member,
                    user_id,
                    team_id,
                    partner_id,
                    state,
                    followup_at,
                    accept_at,
                )
            )
        pool._write_assignments(assignments, now)
        self._create_followup_activities(decisions, member_by_id, followup)
        texts = self._reason_texts()
        # the columns of a log line, per member; the figures per decision
        templates = {}
        for member in members:
            event = "assigned" if member.channel == "direct" else "offered"
            templates[member.id] = self._log_vals(
                self.env["crm.lead"], member, event, "", trigger, score=0.0, grade=None
            )
        member_texts = {
            member.id: (member.name, texts["channels"][member.channel], member.weight)
            for member in members
        }
        log_rows, bodies = [], {}
        for decision in decisions:
            lead = lead_by_id[decision.lead]
            score, grade = snapshot[lead.id]
            reason = self._reason(decision, member_texts[decision.member], lead, score, texts)
            log_rows.append(
                {
                    **templates[decision.member],
                    "lead_id": lead.id,
                    "quality_score": score or 0.0,
                    "quality_grade": grade or None,
                    "member_count": decision.count_before,
                    "member_quality": decision.quality_before,
                    "quantity_deficit": decision.quantity_deficit,
                    "quality_deficit": decision.quality_deficit,
                    "reason": reason,
                }
            )
            bodies[lead.id] = Markup("<p>%s</p>") % reason
        self._bulk_insert("lead.distribution.log", log_rows)
        self.env["lead.distribution.log"].invalidate_model()
        self.env["crm.lead"].invalidate_model(["distribution_log_ids"])
        self._bulk_log_notes(bodies)
        self._notify_partners(decisions, member_by_id)
        return self.env["crm.lead"].browse([d.lead for d in decisions])

    def _write_assignments(self, assignments, now):
        """Set salesperson / partner, team and distribution fields of the leads in ONE query.

        ``assignments``: tuples ``(lead id, member id, user id, new team id, partner id, state,
        follow-up deadline, acceptance deadline)``; ``None`` for no user / partner / deadline,
        and for a team that does not change.

        An ORM write per member costs more than the rest of the distribution (company checks
        lead by lead, one UPDATE per group of leads); the leads are written here with plain SQL
        the way ``crm.lead.write()`` would (``date_open`` set when the salesperson changes,
        cleared without one) and the ORM is told afterwards: caches invalidated, ``modified()``
        for what depends on the written fields, the company check of the salespeople and
        teams. Only ``write()`` overrides are not called: the distribution owns these fields.
        """
        if not assignments:
            return
        Lead = self.env["crm.lead"].sudo()
        leads = Lead.browse([a[0] for a in assignments])
        written = [
            "user_id",
            "team_id",
            "channel_partner_id",
            "distribution_pool_id",
            "distribution_member_id",
            "distribution_channel",
            "distribution_state",
            "distribution_date",
            "distribution_stage_id",
            "distribution_decline_reason",
            "distribution_followup_deadline",
            "distribution_accept_deadline",
            "distribution_tried_member_ids",
            "date_open",
            "write_uid",
            "write_date",
        ]
        # pending changes of these leads first, or flushing them later would undo the update
        leads.flush_recordset()
        companies = {lead.id: lead.company_id.id for lead in leads}
        teams = {lead.id: lead.team_id.id for lead in leads}
        relational = [
            name for name in written if self.pool.is_modifying_relations(Lead._fields[name])
        ]
        # what depends on the written fields is recomputed as after a write; the team,
        # company, probability, properties and quality of leads that keep their team stay
        same_team = leads.browse(a[0] for a in assignments if a[3] is None)
        protected = [
            field
            for name, field in Lead._fields.items()
            if name in UNCHANGED_BY_ASSIGNMENT
            or (
                field.store
                and field.compute
                and not {"user_id", "date_open"} & set(field.get_depends(Lead)[0])
            )
        ]
        own = [Lead._fields[name] for name in ("team_id", "date_open")]
        with self.env.protecting([(own, leads), (protected, same_team)]):
            leads.modified(relational, before=True)
            columns = list(zip(*assignments, strict=True))
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE crm_lead AS l
                       SET user_id = v.user_id,
                           team_id = COALESCE(v.team_id, l.team_id),
                           channel_partner_id = v.partner_id,
                           distribution_pool_id = %(pool)s,
                           distribution_member_id = v.member_id,
                           distribution_channel = m.channel,
                           distribution_state = v.state,
                           distribution_date = %(now)s,
                           distribution_stage_id = l.stage_id,
                           distribution_decline_reason = NULL,
                           distribution_followup_deadline = v.followup,
                           distribution_accept_deadline = v.accept,
                           date_open = CASE
                               WHEN v.user_id IS NULL THEN NULL
                               WHEN l.user_id IS DISTINCT FROM v.user_id THEN %(cr_now)s
                               ELSE l.date_open END,
                           write_uid = %(uid)s,
                           write_date = %(cr_now)s
                      FROM unnest(%(ids)s::int[], %(members)s::int[], %(users)s::int[],
                                  %(teams)s::int[], %(partners)s::int[], %(states)s::varchar[],
                                  %(followups)s::timestamp[], %(accepts)s::timestamp[])
                           AS v(id, member_id, user_id, team_id, partner_id, state,
                                followup, accept)
                      JOIN lead_distribution_member m ON m.id = v.member_id
                     WHERE l.id = v.id
                    """,
                    pool=self.id,
                    now=now,
                    cr_now=self.env.cr.now(),
                    uid=self.env.uid,
                    ids=list(columns[0]),
                    members=list(columns[1]),
                    users=list(columns[2]),
                    teams=list(columns[3]),
                    partners=list(columns[4]),
                    states=list(columns[5]),
                    followups=list(columns[6]),
                    accepts=list(columns[7]),
                )
            )
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO crm_lead_distribution_tried_rel (lead_id, member_id)
                    SELECT * FROM unnest(%s::int[], %s::int[]) ON CONFLICT DO NOTHING
                    """,
                    list(columns[0]),
                    list(columns[1]),
                )
            )
            leads.invalidate_recordset(written, flush=False)
            leads.modified(written)
        # what crm recomputes after an assignment (day_open) reads, with its current value
        # (only a changed value is written back), in one query
        leads.fetch(["date_open", "create_date", "day_open"])
        # the company check of write(): salesperson and team of the leads' company, once per
        # combination (the check only depends on these three)
        representatives = {
            (companies[lead_id], user_id, teams[lead_id]): lead_id
            for lead_id, _member, user_id, team_id, *_rest in assignments
            if team_id is None
        }
        Lead.browse(representatives.values())._check_company(["user_id", "team_id"])
        # leads that changed team: their company may have changed too; the whole check
        leads.browse(a[0] for a in assignments if a[3] is not None)._check_company()

    # Bulk writes (R24): distributing thousands of leads must not cost thousands of ORM
    # creates. Logs, chatter notes, follow-up activities and followers are plain rows without
    # side effects to trigger, inserted with one INSERT per batch.
    def _bulk_insert(self, model, rows):
        """Insert ``rows`` (dicts with the same keys, ``None`` for NULL) into ``model``'s table.

        ONE ``INSERT ... SELECT FROM unnest()``: an array per column whose value varies from
        row to row, a single value for the others (PostgreSQL parses far less than a row of
        literals per record)."""
        if not rows:
            return
        Model = self.env[model]
        now = fields.Datetime.now()
        constants = {
            "create_uid": self.env.uid,
            "create_date": now,
            "write_uid": self.env.uid,
            "write_date": now,
        }
        arrays = {}
        for name in rows[0]:
            values = [row[name] for row in rows]
            first = values[0]
            if all(value == first for value in values):
                constants[name] = first
            else:
                arrays[name] = values

        def column_type(name):
            return SQL(Model._fields[name].column_type[1])

        selected = [SQL("%s::%s", value, column_type(name)) for name, value in constants.items()]
        selected += [SQL.identifier("v", name) for name in arrays]
        if arrays:
            source = SQL(
                "unnest(%s) AS v(%s)",
                SQL(", ").join(
                    SQL("%s::%s[]", values, column_type(name)) for name, values in arrays.items()
                ),
                SQL(", ").join(SQL.identifier(name) for name in arrays),
            )
        else:
            source = SQL("generate_series(1, %s)", len(rows))
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s) SELECT %s FROM %s",
                SQL.identifier(Model._table),
                SQL(", ").join(SQL.identifier(name) for name in [*constants, *arrays]),
                SQL(", ").join(selected),
                source,
            )
        )

    def _bulk_log_notes(self, bodies):
        """Post one internal note per lead in the chatter (like ``_message_log_batch``)."""
        if not bodies:
            return
        author = self.env.user.partner_id
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        email_from = author.email_formatted or None
        now = fields.Datetime.now()
        self._bulk_insert(
            "mail.message",
            [
                {
                    "model": "crm.lead",
                    "res_id": lead_id,
                    "body": str(body),
                    "message_type": "notification",
                    "subtype_id": subtype_id,
                    "is_internal": True,
                    "author_id": author.id,
                    "email_from": email_from,
                    "reply_to": email_from,
                    "date": now,
                    "message_id": generate_tracking_message_id("message-notify"),
                }
                for lead_id, body in bodies.items()
            ],
        )
        self.env["mail.message"].invalidate_model()

    def _create_followup_activities(self, decisions, member_by_id, deadline):
        """One "Follow up" activity per direct lead, the salesperson following the lead."""
        activity_type = self.env.ref(
            "lead_distribution.mail_activity_type_follow_up", raise_if_not_found=False
        )
        direct = [d for d in decisions if member_by_id[d.member].channel == "direct"]
        if not direct:
            return
        model_id = self.env["ir.model"]._get_id("crm.lead")
        names = {
            lead.id: lead.name
            for lead in self.env["crm.lead"].sudo().browse([d.lead for d in direct])
        }
        summary = self.env._("Follow up the distributed lead")
        users = {m.id: m.user_id.id for m in member_by_id.values()}
        partners = {m.id: m.user_id.partner_id.id for m in member_by_id.values()}
        self._bulk_insert(
            "mail.activity",
            [
                {
                    "res_model_id": model_id,
                    "res_model": "crm.lead",
                    "res_id": decision.lead,
                    "res_name": names[decision.lead],
                    "activity_type_id": activity_type.id if activity_type else None,
                    "summary": summary,
                    "user_id": users[decision.member],
                    "date_deadline": deadline.date(),
                    "automated": True,
                    "active": True,
                }
                for decision in direct
            ],
        )
        # followers: a partner may follow the lead already
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO mail_followers (res_model, res_id, partner_id)
                SELECT 'crm.lead', * FROM unnest(%s::int[], %s::int[]) ON CONFLICT DO NOTHING
                """,
                [decision.lead for decision in direct],
                [partners[decision.member] for decision in direct],
            )
        )
        self.env["mail.activity"].invalidate_model()
        self.env["mail.followers"].invalidate_model()
        self.env["crm.lead"].invalidate_model(
            ["activity_ids", "message_follower_ids", "message_partner_ids"]
        )

    def _notify_partners(self, decisions, member_by_id):
        """One e-mail per partner and batch, to the partner's contacts, listing the leads."""
        per_partner = defaultdict(list)
        for decision in decisions:
            member = member_by_id[decision.member]
            if member.channel == "partner":
                per_partner[member.partner_id].append(decision.lead)
        if not per_partner:
            return
        base_url = self.get_base_url()
        leads = (
            self.env["crm.lead"]
            .sudo()
            .browse([lead_id for lead_ids in per_partner.values() for lead_id in lead_ids])
        )
        names = {lead.id: lead.name for lead in leads}
        mails = []
        for partner, lead_ids in per_partner.items():
            recipients = (partner | partner.child_ids).filtered("email")
            if not recipients:
                continue
            items = Markup("").join(
                Markup("<li>%s</li>") % names[lead_id] for lead_id in sorted(lead_ids)
            )
            body = Markup("<p>%s</p><ul>%s</ul><p>%s <a href='%s/my/leads'>%s/my/leads</a></p>") % (
                self.env._(
                    "Dear %(partner)s, %(count)s new lead(s) are offered to you by %(company)s. "
                    "Please accept or decline them within %(days)s day(s):",
                    partner=partner.name,
                    count=len(lead_ids),
                    company=self.company_id.name,
                    days=self.accept_days,
                ),
                items,
                self.env._("Accept or decline them in your portal:"),
                base_url,
                base_url,
            )
            mails.append(
                {
                    "subject": self.env._(
                        "%(count)s new lead(s) offered by %(company)s",
                        count=len(lead_ids),
                        company=self.company_id.name,
                    ),
                    "body_html": body,
                    "email_from": self.company_id.email_formatted or self.env.user.email_formatted,
                    "recipient_ids": [fields.Command.set(recipients.ids)],
                    "auto_delete": False,
                }
            )
        if mails:
            self.env["mail.mail"].sudo().create(mails)

    def _reason_texts(self):
        """Translated pieces of the reasons, once per batch."""
        return {
            "rules": {
                "quantity": self.env._("it was furthest below its fair share of leads"),
                "quality": self.env._(
                    "it was, with others, furthest below its fair share of leads, and had "
                    "received the lowest quality among them"
                ),
                "recency": self.env._(
                    "it tied with others on leads and quality and was served least recently"
                ),
                "order": self.env._("it tied with others on every criterion and comes first"),
                "eligibility": self.env._(
                    "among the members eligible for this lead it was furthest below its fair "
                    "share"
                ),
            },
            "channels": dict(
                self.env["lead.distribution.member"]
                ._fields["channel"]
                ._description_selection(self.env)
            ),
            "period": dict(self._fields["period"]._description_selection(self.env))[self.period],
            "pool": self.name,
            "template": self.env._(
                "Lead %(lead)s (quality %(score)s) went to %(member)s (%(channel)s) in pool "
                "%(pool)s because %(rule)s: before it, %(count)s lead(s) with a quality sum of "
                "%(quality)s this %(period)s; %(qty_def)s lead(s) and %(q_def)s quality points "
                "below its fair share (weight %(weight)s)."
            ),
        }

    def _reason(self, decision, member, lead, score, texts):
        """The reason of a decision in words; ``member``: its (name, channel label, weight)."""
        name, channel, weight = member
        return texts["template"] % {
            "lead": lead.name,
            "score": round(score, 1),
            "member": name,
            "channel": channel,
            "pool": texts["pool"],
            "rule": texts["rules"][decision.rule],
            "count": decision.count_before,
            "quality": round(decision.quality_before, 1),
            "period": texts["period"],
            "qty_def": round(decision.quantity_deficit, 2),
            "q_def": round(decision.quality_deficit, 1),
            "weight": weight,
        }

    def _log_vals(self, lead, member, event, reason, trigger, **figures):
        """Values of a log line; ``None`` for empty values (also written with plain SQL)."""
        self.ensure_one()
        member = member or self.env["lead.distribution.member"]
        return {
            "lead_id": lead.id,
            "pool_id": self.id,
            "company_id": self.company_id.id,
            "member_id": member.id or None,
            "channel": member.channel or None,
            "user_id": member.user_id.id or None,
            "partner_id": member.partner_id.id or None,
            "event": event,
            "quality_score": figures["score"] or 0.0,
            "quality_grade": figures["grade"] or None,
            "member_count": figures.get("count", 0),
            "member_quality": figures.get("quality", 0.0),
            "quantity_deficit": figures.get("quantity_deficit", 0.0),
            "quality_deficit": figures.get("quality_deficit", 0.0),
            "reason": str(reason),
            "decline_reason": figures.get("decline_reason") or None,
            "trigger": str(trigger),
            "triggered_by_id": self.env.uid,
            "date": fields.Datetime.now(),
        }

    def _post_event(self, lead, member, event, reason, trigger, **figures):
        """Log one non-distribution event (accept, decline, recycle, claim) and post it."""
        figures.setdefault("score", lead.quality_score)
        figures.setdefault("grade", lead.quality_grade)
        self.env["lead.distribution.log"].sudo().create(
            self._log_vals(lead, member, event, reason, trigger, **figures)
        )
        lead.sudo()._message_log(body=Markup("<p>%s</p>") % escape(reason))
