# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Before 18.0.1.1.0 a member's fair share was its weight's share of everything the pool's
members had received in the period; it now accrues while the member is available, in the
members' days. Seed each active member of a pool with what it was entitled to until now, so
that the upgrade changes nobody's position."""

from odoo import SUPERUSER_ID, api, fields
from odoo.addons.lead_distribution.models.lead_distribution_log import RECEIVED_EVENTS


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    now = fields.Datetime.now()
    for pool in env["lead.distribution.pool"].with_context(active_test=False).search([]):
        members = pool.member_ids
        if not members:
            continue
        cr.execute(
            """
            SELECT count(*), COALESCE(sum(quality_score), 0) FROM lead_distribution_log
             WHERE pool_id = %s AND member_id = ANY(%s) AND event IN %s AND date >= %s
            """,
            (pool.id, members.ids, RECEIVED_EVENTS, pool._period_start()),
        )
        count, quality = cr.fetchone()
        if not count:
            continue
        weight = sum(members.mapped("weight"))
        day, _start = pool._day_of(now)
        for member in members:
            share = member.weight / weight
            cr.execute(
                """
                INSERT INTO lead_distribution_member_day
                       (member_id, pool_id, company_id, channel, user_id, partner_id, day,
                        available, status, entitled, quality_entitled,
                        create_uid, create_date, write_uid, write_date)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
                """,
                (
                    member.id,
                    pool.id,
                    pool.company_id.id,
                    member.channel,
                    member.user_id.id or None,
                    member.partner_id.id or None,
                    day,
                    member.available,
                    "available" if member.available else "away",
                    count * share,
                    quality * share,
                    SUPERUSER_ID,
                    now,
                    SUPERUSER_ID,
                    now,
                ),
            )
