# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import SQL


class CrmLead(models.Model):
    """Recycling: leads not accepted or not followed up in time go back to their pool."""

    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    def _redistribute(self, trigger, previous=None):
        """Give recycled/declined leads to the next fair member; leave them pending if none.
        ``previous``: lead id -> name of the partner that declined it (said in the reason)."""
        for pool, leads in self._find_pools().items():
            if not pool.active or not pool.sudo()._available_members():
                continue
            pool.sudo()._distribute(
                leads.sorted(lambda lead: (lead.create_date, lead.id)), trigger, previous=previous
            )

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

    # ------------------------------------------------------------------
    # "followed up": the one definition, used by the recycling cron and by the reports
    # ------------------------------------------------------------------
    @api.model
    def _followup_message_sql(self, lead, message):
        """SQL condition on a ``mail_message`` row (alias ``message``) being follow-up work on
        the ``crm_lead`` row (alias ``lead``): a note, an e-mail, a message or a logged
        activity by the lead's salesperson since its (last) distribution."""
        lead, message = SQL.identifier(lead), SQL.identifier(message)
        return SQL(
            """(%(m)s.model = 'crm.lead' AND %(m)s.res_id = %(l)s.id
                AND %(m)s.author_id = (SELECT fu.partner_id FROM res_users fu
                                        WHERE fu.id = %(l)s.user_id)
                AND %(m)s.date >= %(l)s.distribution_date
                AND (%(m)s.message_type IN ('comment', 'email')
                     OR %(m)s.mail_activity_type_id IS NOT NULL))""",
            l=lead,
            m=message,
        )

    @api.model
    def _followed_up_sql(self, lead="l"):
        """SQL condition on the ``crm_lead`` row (alias ``lead``) being followed up: it has a
        salesperson and, since its distribution, follow-up work by that salesperson
        (:meth:`_followup_message_sql`), or it moved to another stage than the one it had
        when it was distributed, or it was won or lost. The recycling cron keeps the direct
        leads for which this holds once their deadline has passed and takes back the others;
        the success report counts the same leads as followed up."""
        alias = SQL.identifier(lead)
        return SQL(
            """(%(l)s.user_id IS NOT NULL
                AND (%(l)s.stage_id IS DISTINCT FROM %(l)s.distribution_stage_id
                     OR %(l)s.active IS NOT TRUE
                     OR %(l)s.probability = 100
                     OR EXISTS (SELECT 1 FROM mail_message fm WHERE %(work)s)))""",
            l=alias,
            work=self._followup_message_sql(lead, "fm"),
        )

    def _followed_up_ids(self):
        """Ids of the leads of ``self`` that are followed up (:meth:`_followed_up_sql`)."""
        if not self:
            return set()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT l.id FROM crm_lead l WHERE l.id IN %s AND %s",
                tuple(self.ids),
                self._followed_up_sql("l"),
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
