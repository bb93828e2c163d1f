# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Who of a pool can take leads, and by when they must follow them up: members marked away or
on approved time off (the ``lead_distribution_hr_holidays`` bridge adds Odoo's Time Off), the
limits of open leads and leads per day, the members' days (availability and the fair share they
accrued, our own table) and the follow-up deadline in the salesperson's working days (Odoo's
``resource`` calendars: weekends, public holidays and time off do not count)."""

from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from ..lib import fair_share, working_days
from ..lib.distribution_state import HELD_STATES
from .lead_distribution_log import RECEIVED_EVENTS


class LeadDistributionPool(models.Model):
    # a file per concern of the pool (configuration, engine, effects, ...), by design
    _inherit = "lead.distribution.pool"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------ the pool's day
    def _timezone(self):
        self.ensure_one()
        return pytz.timezone(self.user_id.tz or self.env.user.tz or "UTC")

    def _day_of(self, moment):
        """The pool's day (in the time zone of its owner) of the UTC moment ``moment``, and
        when that day began, in UTC."""
        self.ensure_one()
        tz = self._timezone()
        local = pytz.utc.localize(moment).astimezone(tz)
        start = tz.localize(datetime.combine(local.date(), time.min))
        return local.date(), start.astimezone(pytz.utc).replace(tzinfo=None)

    # ------------------------------------------------------------------ availability
    @api.model
    def _members_on_time_off(self, members, moment):
        """{member id: end of its time off} of the ``members`` on approved time off at the UTC
        moment ``moment``. None here: the bridge to Odoo's Time Off (``hr_holidays``) adds
        them; without it, the manual "Available" flag of the member is what counts."""
        return {}

    def _availability(self, members, now):
        """{member id: "available", "away" or "time_off"} of ``members`` (of this pool) now."""
        self.ensure_one()
        time_off = self._members_on_time_off(members.filtered("available"), now)
        return {
            member.id: (
                "away"
                if not member.available
                else "time_off"
                if member.id in time_off
                else "available"
            )
            for member in members
        }

    def _available_members(self, now=None):
        """The active members of the pool that can receive leads now (not away, not on time
        off; limits aside)."""
        self.ensure_one()
        members = self.member_ids
        status = self._availability(members, now or fields.Datetime.now())
        return members.filtered(lambda member: status[member.id] == "available")

    def _capacities(self, members, now):
        """{member id: (leads it can still take, the limit that binds: "open" or "day")} of
        the ``members`` that have a limit; two grouped counts for all of them."""
        self.ensure_one()
        limited = members.filtered(lambda m: m.max_open_leads > 0 or m.max_daily_leads > 0)
        if not limited:
            return {}
        held = dict(
            self.env["crm.lead"]
            .sudo()
            ._read_group(
                [
                    ("distribution_member_id", "in", limited.ids),
                    ("distribution_state", "in", HELD_STATES),
                    ("active", "=", True),
                    "|",
                    ("stage_id", "=", False),
                    ("stage_id.is_won", "=", False),
                ],
                ["distribution_member_id"],
                ["__count"],
            )
        )
        _day, day_start = self._day_of(now)
        today = dict(
            self.env["lead.distribution.log"]
            .sudo()
            ._read_group(
                [
                    ("member_id", "in", limited.ids),
                    ("event", "in", RECEIVED_EVENTS),
                    ("date", ">=", day_start),
                ],
                ["member_id"],
                ["__count"],
            )
        )
        result = {}
        for member in limited:
            rooms = []
            if member.max_open_leads > 0:
                rooms.append((member.max_open_leads - held.get(member, 0), "open"))
            if member.max_daily_leads > 0:
                rooms.append((member.max_daily_leads - today.get(member, 0), "day"))
            room, limit = min(rooms)
            result[member.id] = (max(room, 0), limit)
        return result

    # ------------------------------------------------------------------ fair share accrued
    def _member_entitlements(self, members):
        """{member id: (leads, quality)} the members were entitled to in the fairness period
        so far: the sum of their days' shares."""
        self.ensure_one()
        groups = (
            self.env["lead.distribution.member.day"]
            .sudo()
            ._read_group(
                [
                    ("member_id", "in", members.ids),
                    ("day", ">=", self._period_start().date()),
                ],
                ["member_id"],
                ["entitled:sum", "quality_entitled:sum"],
            )
        )
        return {member.id: (leads, quality) for member, leads, quality in groups}

    def _record_days(self, members, states, status, now):
        """Add the shares the members accrued (``states``: fair_share states by member id) to
        their line of the day, with their availability (``status``: by member id), for every
        member of ``members``, in our own table. Never waits for a concurrent run: the lines
        this transaction can lock are updated, and a member whose line a concurrent run holds
        gets a second line for the day (the sums and the report count the day once)."""
        self.ensure_one()
        if not members:
            return
        day, _start = self._day_of(now)
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT id, member_id FROM lead_distribution_member_day
                 WHERE member_id = ANY(%s) AND day = %s
                 ORDER BY id FOR UPDATE SKIP LOCKED
                """,
                members.ids,
                day,
            ),
            # a line a concurrent run updated and committed meanwhile: a serialization failure,
            # after which Odoo runs the request again (see _lock_leads)
            log_exceptions=False,
        )
        line_of = {}
        for line_id, member_id in cr.fetchall():
            line_of.setdefault(member_id, line_id)
        updates, inserts = [], []
        for member in members:
            state = states.get(member.id)
            values = (
                status[member.id] == "available",
                status[member.id],
                state.accrued if state else 0.0,
                state.quality_accrued if state else 0.0,
            )
            if member.id in line_of:
                updates.append((line_of[member.id], *values))
            else:
                inserts.append(
                    (
                        member.id,
                        member.channel,
                        member.user_id.id or None,
                        member.partner_id.id or None,
                        *values,
                    )
                )
        if updates:
            columns = [list(column) for column in zip(*updates, strict=True)]
            cr.execute(
                SQL(
                    """
                    UPDATE lead_distribution_member_day line SET
                           entitled = line.entitled + v.entitled,
                           quality_entitled = line.quality_entitled + v.quality_entitled,
                           status = CASE WHEN v.available OR NOT line.available
                                         THEN v.status ELSE line.status END,
                           available = line.available OR v.available,
                           write_uid = %(uid)s, write_date = %(now)s
                      FROM unnest(%(ids)s::int[], %(available)s::bool[], %(statuses)s::varchar[],
                                  %(entitled)s::float8[], %(quality)s::float8[])
                           AS v(id, available, status, entitled, quality_entitled)
                     WHERE line.id = v.id
                    """,
                    uid=self.env.uid,
                    now=now,
                    ids=columns[0],
                    available=columns[1],
                    statuses=columns[2],
                    entitled=columns[3],
                    quality=columns[4],
                )
            )
        if inserts:
            columns = [list(column) for column in zip(*inserts, strict=True)]
            cr.execute(
                SQL(
                    """
                    INSERT INTO lead_distribution_member_day
                           (member_id, pool_id, company_id, channel, user_id, partner_id, day,
                            available, status, entitled, quality_entitled,
                            create_uid, create_date, write_uid, write_date)
                    SELECT v.member_id, %(pool)s, %(company)s, v.channel, v.user_id,
                           v.partner_id, %(day)s, v.available, v.status, v.entitled,
                           v.quality_entitled, %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM unnest(%(members)s::int[], %(channels)s::varchar[], %(users)s::int[],
                                  %(partners)s::int[], %(available)s::bool[],
                                  %(statuses)s::varchar[], %(entitled)s::float8[],
                                  %(quality)s::float8[])
                           AS v(member_id, channel, user_id, partner_id, available, status,
                                entitled, quality_entitled)
                    """,
                    pool=self.id,
                    company=self.company_id.id,
                    day=day,
                    uid=self.env.uid,
                    now=now,
                    members=columns[0],
                    channels=columns[1],
                    users=columns[2],
                    partners=columns[3],
                    available=columns[4],
                    statuses=columns[5],
                    entitled=columns[6],
                    quality=columns[7],
                )
            )
        self.env["lead.distribution.member.day"].invalidate_model()

    def _member_status(self, members, now, status=None):
        """The availability of ``members`` now (``status``: as ``_availability``, default:
        looked up) and the room of those available: (status by member id, "full" for those
        at their limit; capacities as ``_capacities``)."""
        self.ensure_one()
        status = self._availability(members, now) if status is None else status
        capacities = self._capacities(
            members.filtered(lambda member: status[member.id] == "available"), now
        )
        full = {member_id for member_id, (room, _limit) in capacities.items() if room == 0}
        return {k: "full" if k in full else v for k, v in status.items()}, capacities

    def _accrue_claims(self, leads):
        """Leads claimed by hand count in the fair share like distributed ones (they count
        for the claimer, from the log): every member that can take leads accrues its share."""
        self.ensure_one()
        members = self.member_ids
        if not members or not leads:
            return
        now = fields.Datetime.now()
        status, capacities = self._member_status(members, now)
        inputs = self._member_inputs(
            members, {k: "available" if v == "full" else v for k, v in status.items()}, capacities
        )
        states = fair_share.accrue(
            inputs, count=len(leads), quality=sum(lead.quality_score or 0.0 for lead in leads)
        )
        self._record_days(members, states, status, now)

    # ------------------------------------------------------------------ working days
    def _followup_deadlines(self, users, now):
        """{user id: follow-up deadline} for ``users`` (salespeople) from the UTC moment
        ``now``: the pool's follow-up days counted in each one's working days (its working
        hours, else the company's; public holidays and its time off do not count), at the
        same time of day. Grouped by working hours: a few queries per calendar, not per user."""
        self.ensure_one()
        company = self.company_id
        days = self.followup_days
        by_calendar = defaultdict(list)
        for user in users.sudo():
            resource = (
                user.resource_ids.filtered(lambda r, c=company: r.company_id == c)[:1]
                or user.resource_ids[:1]
            )
            calendar = resource.calendar_id or company.resource_calendar_id
            by_calendar[calendar].append((user, resource))
        horizon = timedelta(days=2 * days + 31)
        start = pytz.utc.localize(now)
        result = {}
        for calendar, pairs in by_calendar.items():
            if not calendar:
                for user, _resource in pairs:
                    result[user.id] = now + timedelta(days=days)
                continue
            resources = self.env["resource.resource"].union(*(r for _u, r in pairs))
            intervals = calendar._work_intervals_batch(
                start, start + horizon, resources=resources or None
            )
            weekdays = frozenset(int(a.dayofweek) for a in calendar.attendance_ids)
            for user, resource in pairs:
                tz = pytz.timezone((resource or calendar).tz or "UTC")
                local = start.astimezone(tz)
                working = frozenset(begin.date() for begin, _end, _meta in intervals[resource.id])
                deadline = working_days.add_working_days(
                    local.replace(tzinfo=None),
                    days,
                    working,
                    (local + horizon).date() - timedelta(days=1),
                    weekdays,
                )
                result[user.id] = tz.localize(deadline).astimezone(pytz.utc).replace(tzinfo=None)
        return result
