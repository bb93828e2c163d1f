# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import SQL


class CrmLead(models.Model):
    """Recycling: leads not accepted or not followed up in time go back to their pool."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    def _redistribute(self, trigger):
        """Give recycled/declined leads to the next fair member; leave them pending if none."""
        for pool, leads in self._find_pools().items():
            if not pool.active or not pool.sudo()._available_members():
                continue
            pool.sudo()._distribute(leads.sorted(lambda lead: (lead.create_date, lead.id)), trigger)

    def _recycle(self, reason_by_lead, trigger):
        """Take the leads back from their member, log it and redistribute them."""
        leads = self.sudo()
        for lead in leads:
            lead.distribution_pool_id._post_event(
                lead, lead.distribution_member_id, "recycled", reason_by_lead[lead.id], trigger
            )
        direct = leads.filtered(lambda lead: lead.distribution_channel == "direct")
        activity_type = self.env.ref(
            "lead_distribution.mail_activity_type_follow_up", raise_if_not_found=False
        )
        if direct and activity_type:
            self.env["mail.activity"].sudo().search(
                [
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "in", direct.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            ).unlink()
        if direct:
            direct.write({"user_id": False})
        leads.write(
            {
                "distribution_state": "recycled",
                "channel_partner_id": False,
                "distribution_accept_deadline": False,
                "distribution_followup_deadline": False,
            }
        )
        leads._redistribute(trigger)

    def _followed_up_ids(self):
        """Direct leads with a note, logged activity or message by their salesperson since
        their distribution, or moved to another stage, or won/lost."""
        if not self:
            return set()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT l.id FROM crm_lead l
                  JOIN res_users u ON u.id = l.user_id
                 WHERE l.id IN %(ids)s
                   AND (l.stage_id IS DISTINCT FROM l.distribution_stage_id
                        OR l.active IS NOT TRUE
                        OR l.probability = 100
                        OR EXISTS (SELECT 1 FROM mail_message m
                                    WHERE m.model = 'crm.lead' AND m.res_id = l.id
                                      AND m.author_id = u.partner_id
                                      AND m.date >= l.distribution_date
                                      AND (m.message_type IN ('comment', 'email')
                                           OR m.mail_activity_type_id IS NOT NULL)))
                """,
                ids=tuple(self.ids),
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _cron_recycle(self):
        """Recycle offered leads not accepted in time and direct leads not followed up."""
        now = fields.Datetime.now()
        Lead = self.sudo().with_context(active_test=False)
        offered = Lead.search(
            [
                ("distribution_state", "=", "offered"),
                ("distribution_accept_deadline", "<", now),
                ("active", "=", True),
            ]
        )
        reasons = {
            lead.id: self.env._(
                "%(partner)s did not accept lead %(lead)s within %(days)s day(s): back to the "
                "pool.",
                partner=lead.channel_partner_id.name,
                lead=lead.name,
                days=lead.distribution_pool_id.accept_days,
            )
            for lead in offered
        }
        assigned = Lead.search(
            [
                ("distribution_state", "=", "assigned"),
                ("distribution_followup_deadline", "<", now),
                ("active", "=", True),
            ]
        )
        done = assigned._followed_up_ids()
        neglected = assigned.filtered(lambda lead: lead.id not in done)
        for lead in neglected:
            reasons[lead.id] = self.env._(
                "%(user)s neither logged an activity nor moved lead %(lead)s on within %(days)s "
                "working day(s): back to the pool.",
                user=lead.user_id.name,
                lead=lead.name,
                days=lead.distribution_pool_id.followup_days,
            )
        # followed up: no deadline any more
        (assigned - neglected).write({"distribution_followup_deadline": False})
        to_recycle = offered | neglected
        if to_recycle:
            to_recycle._recycle(reasons, trigger=self.env._("Scheduled action (recycling)"))
        return to_recycle
