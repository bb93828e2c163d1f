# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the decisions of a pool produce besides the leads' own values: the decision log, one
chatter message per lead (the reason, with the tracking values of the write), the follow-up
activities and the salespeople's notification, the partners' e-mail, and the pool owner's
activity about leads nobody can take. Everything in batches through Odoo's own APIs; plain SQL
only for the decision log, our own table."""

from markupsafe import Markup, escape

from odoo import fields, models
from odoo.addons.lead_quality.lib.odoo_compat import message_author
from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id

from .lead_distribution_pool_matching import LINKS, PRIMARY

# leads a salesperson's notification names; the others are counted
NOTIFIED_LEADS = 20


class LeadDistributionPool(models.Model):
    # a file per concern of the pool (configuration, engine, effects), by design
    _inherit = "lead.distribution.pool"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------ decision log
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
                "preferred": self.env._("it was the first owner of the lead that could take it"),
            },
            "channels": dict(
                self.env["lead.distribution.member"]
                ._fields["channel"]
                ._description_selection(self.env)
            ),
            # the period as a lower-case word of the sentence ("this year"), not the label
            "period": {
                "month": self.env._("month"),
                "quarter": self.env._("quarter"),
                "year": self.env._("year"),
            }[self.period],
            "pool": self.name,
            "owners": {
                "duplicate": self.env._(
                    "it holds lead %(other)s, which this lead duplicates (%(criterion)s)"
                ),
                "primary": self.env._(
                    "it received lead %(other)s of the same distribution, which this lead "
                    "duplicates (%(criterion)s)"
                ),
                "customer": self.env._("it is the salesperson of the customer %(customer)s"),
                "customer_partner": self.env._(
                    "it is the sales partner serving the customer %(customer)s"
                ),
                "opportunity": self.env._(
                    "it holds %(other)s, the open opportunity of the customer %(customer)s"
                ),
                "accepted": self.env._(
                    "it accepted an earlier lead of the customer %(customer)s (%(other)s)"
                ),
            },
            "counted": self.env._("%s; the lead counts in its fair share like any other"),
            "relations": {
                "duplicate": self.env._("holder of the lead it duplicates"),
                "primary": self.env._("receiver of the lead it duplicates"),
                "customer": self.env._("salesperson of the customer"),
                "customer_partner": self.env._("sales partner serving the customer"),
                "opportunity": self.env._("holder of the customer's open opportunity"),
                "accepted": self.env._("sales partner that accepted an earlier lead"),
            },
            "why": {
                "away": self.env._("marked away"),
                "time_off": self.env._("on approved time off"),
                "open": self.env._("at its maximum of open leads"),
                "day": self.env._("at its maximum of leads per day"),
                "ineligible": self.env._("not eligible for this lead, or had it before"),
                "outside": self.env._("not a member of this pool"),
            },
            "passed_over": self.env._("%(owner)s (%(relation)s) could not take it: %(why)s."),
            "skipped": self.env._("Skipped at their limit: %s."),
            "after_decline": {
                "direct": self.env._("Assigned to %(member)s after %(previous)s declined."),
                "partner": self.env._("Offered to %(member)s after %(previous)s declined."),
            },
            "limits": {
                "open": self.env._("%(member)s (maximum of %(limit)s open leads)"),
                "day": self.env._("%(member)s (maximum of %(limit)s leads per day)"),
            },
            "template": self.env._(
                "Lead %(lead)s (quality %(score)s) went to %(member)s (%(channel)s) in pool "
                "%(pool)s because %(rule)s: before it, %(count)s lead(s) with a quality sum of "
                "%(quality)s this %(period)s; %(qty_def)s lead(s) and %(q_def)s quality points "
                "below its fair share (weight %(weight)s)."
            ),
        }

    def _reason(self, decision, member, lead, score, texts, rule=None):
        """The reason of a decision in words; ``member``: its (name, channel label, weight);
        ``rule``: the words of the rule when it is not one of the fair-share rules."""
        name, channel, weight = member
        return texts["template"] % {
            "lead": lead.name,
            "score": round(score, 1),
            "member": name,
            "channel": channel,
            "pool": texts["pool"],
            "rule": rule or texts["rules"][decision.rule],
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
            "lead_name": lead.name or None,
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

    def _owner_texts(self, decision, owners, texts, availability):
        """For a decision on a lead with owners: the event, the words of its rule (when it
        went to an owner) and the sentences about the owners that could not take it."""
        status, capacities = availability or ({}, {})
        event, rule, notes = None, None, []
        why_of = dict(decision.passed_over)
        noted = set()
        for owner in owners:
            if owner.kind == PRIMARY and not owner.member:
                # the lead it duplicates found nobody either
                continue
            if owner.member and owner.member == decision.member and decision.rule == "preferred":
                event = "linked" if owner.kind in LINKS else "matched"
                rule = texts["counted"] % (
                    texts["owners"][owner.kind]
                    % {
                        "customer": owner.customer,
                        "other": owner.other,
                        "criterion": owner.criterion,
                    }
                )
                break
            if owner.member == decision.member:
                continue
            why = why_of.get(owner.member) if owner.member else "outside"
            if why == "away":
                why = status.get(owner.member) if status.get(owner.member) == "time_off" else "away"
            elif why == "full":
                why = capacities.get(owner.member, (0, "open"))[1]
            if not why or (owner.member, owner.name) in noted:
                continue
            noted.add((owner.member, owner.name))
            notes.append(
                texts["passed_over"]
                % {
                    "owner": owner.name or owner.other,
                    "relation": texts["relations"][owner.kind],
                    "why": texts["why"][why],
                }
            )
        return event, rule, notes

    def _skipped_text(self, decision, texts, availability, names):
        if not decision.skipped:
            return ""
        _status, capacities = availability or ({}, {})
        members = self.env["lead.distribution.member"].browse(decision.skipped)
        parts = []
        for member in members:
            limit = capacities.get(member.id, (0, "open"))[1]
            parts.append(
                texts["limits"][limit]
                % {
                    "member": names.get(member.id) or member.name,
                    "limit": member.max_open_leads if limit == "open" else member.max_daily_leads,
                }
            )
        return texts["skipped"] % ", ".join(parts)

    def _log_decisions(
        self,
        decisions,
        lead_by_id,
        member_by_id,
        trigger,
        snapshot,
        matches=None,
        availability=None,
        previous=None,
    ):
        """One log line per decision, in one INSERT; return the reasons as chatter bodies.
        ``previous``: lead id -> the partner that declined the lead just before."""
        previous = previous or {}
        texts = self._reason_texts()
        templates, member_texts = {}, {}
        for member in member_by_id.values():
            event = "assigned" if member.channel == "direct" else "offered"
            templates[member.id] = self._log_vals(
                self.env["crm.lead"], member, event, "", trigger, score=0.0, grade=None
            )
            member_texts[member.id] = (
                member.name,
                texts["channels"][member.channel],
                member.weight,
            )
        owners_of = matches.owners if matches else {}
        names = {member_id: name for member_id, (name, _c, _w) in member_texts.items()}
        skipped_texts = {}
        log_rows, bodies = [], {}
        for decision in decisions:
            lead = lead_by_id[decision.lead]
            score, grade = snapshot[lead.id]
            event, rule, notes = None, None, []
            owners = owners_of.get(lead.id)
            if owners:
                event, rule, notes = self._owner_texts(decision, owners, texts, availability)
            reason = self._reason(
                decision, member_texts[decision.member], lead, score, texts, rule=rule
            )
            if decision.skipped:
                if decision.skipped not in skipped_texts:
                    skipped_texts[decision.skipped] = self._skipped_text(
                        decision, texts, availability, names
                    )
                notes.append(skipped_texts[decision.skipped])
            if previous.get(lead.id):
                member = member_by_id[decision.member]
                notes.append(
                    texts["after_decline"][member.channel]
                    % {"member": member_texts[member.id][0], "previous": previous[lead.id]}
                )
            if notes:
                reason = " ".join([reason, *notes])
            row = {
                **templates[decision.member],
                "lead_id": lead.id,
                "lead_name": lead.name,
                "quality_score": score or 0.0,
                "quality_grade": grade or None,
                "member_count": decision.count_before,
                "member_quality": decision.quality_before,
                "quantity_deficit": decision.quantity_deficit,
                "quality_deficit": decision.quality_deficit,
                "reason": reason,
            }
            if event:
                row["event"] = event
            log_rows.append(row)
            bodies[lead.id] = Markup("<p>%s</p>") % reason
        self._bulk_insert("lead.distribution.log", log_rows)
        self.env["lead.distribution.log"].invalidate_model()
        self.env["crm.lead"].invalidate_model(["distribution_log_ids"])
        return bodies

    def _bulk_insert(self, model, rows):
        """Insert ``rows`` (dicts with the same keys, ``None`` for NULL) into ``model``'s table,
        one of our own (the decision log): ONE ``INSERT ... SELECT FROM unnest()``, an array per
        column whose value varies from row to row, a single value for the others."""
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

    # ------------------------------------------------------------------ chatter
    def _tracking_start(self, leads):
        """The tracked values of ``leads`` before the distribution writes them, or ``None``
        when the caller switched tracking off (``tracking_disable`` / ``mail_notrack``, as
        Odoo's own ``write`` honours them)."""
        context = self.env.context
        if context.get("tracking_disable") or context.get("mail_notrack"):
            return None
        fnames = sorted(leads._track_get_fields())
        leads.fetch(fnames)
        return fnames, {lead.id: {fname: lead[fname] for fname in fnames} for lead in leads}

    def _post_tracked_notes(self, leads, bodies, tracking):
        """One chatter message per lead: the reason of the decision with the tracking values
        of what the distribution changed (Odoo's own ``_mail_track``), as Odoo's tracking
        would post them, all created in one batch (``_message_log_batch`` cannot carry
        tracking values for more than one record). A lead whose ``_track_subtype`` asks for
        a subtype gets its message through ``message_post`` (its followers are notified), and
        ``_track_template`` is honoured, as after a write by hand."""
        leads = leads.sudo()
        changes, tracking_values, initial = {}, {}, {}
        if tracking:
            fnames, initial = tracking
            tracked_fields = leads.fields_get(
                fnames, attributes=("string", "type", "selection", "currency_field")
            )
            for lead in leads:
                changes[lead.id], tracking_values[lead.id] = lead._mail_track(
                    tracked_fields, initial[lead.id]
                )
        author_id, email_from = message_author(leads)
        base = {
            "author_id": author_id,
            "email_from": email_from,
            "model": leads._name,
            "record_alias_domain_id": False,
            "record_company_id": False,
            "record_name": False,
            "message_type": "notification",
            "is_internal": True,
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            "email_add_signature": False,
            "reply_to": self.env["mail.thread"]._notify_get_reply_to(default=email_from)[False],
        }
        values_list = []
        for lead in leads:
            lead_changes = changes.get(lead.id)
            subtype = (
                lead._track_subtype({fname: initial[lead.id][fname] for fname in lead_changes})
                if lead_changes
                else False
            )
            if subtype:
                lead.message_post(
                    body=bodies[lead.id],
                    subtype_id=subtype.id,
                    tracking_value_ids=tracking_values[lead.id],
                )
                continue
            values_list.append(
                {
                    **base,
                    "res_id": lead.id,
                    "body": bodies[lead.id],
                    "message_id": generate_tracking_message_id("message-notify"),
                }
            )
        messages = self.env["mail.message"].sudo().create(values_list)
        # their tracking values in one create too (as commands, one INSERT per message)
        self.env["mail.tracking.value"].sudo().create(
            [
                {**command[2], "mail_message_id": message.id}
                for message in messages
                for command in tracking_values.get(message.res_id) or ()
            ]
        )
        for lead in leads:
            if changes.get(lead.id):
                lead._message_track_post_template(changes[lead.id])

    # ------------------------------------------------------------------ salespeople
    def _create_followup_activities(self, decisions, member_by_id, deadlines, digest=None):
        """One "Follow up" activity per lead given to a salesperson (``mail.activity``: the
        salesperson follows the lead, the activity counters are updated on the bus), due at
        its follow-up deadline (``deadlines``: by salesperson id), and one notification per
        salesperson listing the leads, in the salesperson's language, instead of one e-mail
        per activity. ``digest``: the ``RunDigest`` that collects the notifications of a
        whole run (sent by the caller); ``None``: sent now."""
        direct = [d for d in decisions if member_by_id[d.member].channel == "direct"]
        if not direct:
            return
        activity_type = self.env.ref(
            "lead_distribution.mail_activity_type_follow_up", raise_if_not_found=False
        )
        model_id = self.env["ir.model"]._get_id("crm.lead")
        users = {m.id: m.user_id for m in member_by_id.values()}
        summary = self.env._("Follow up the distributed lead")
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": decision.lead,
                    "activity_type_id": activity_type.id if activity_type else False,
                    "summary": summary,
                    "user_id": users[decision.member].id,
                    "date_deadline": deadlines[users[decision.member].id].date(),
                    "automated": True,
                }
                for decision in direct
            ]
        )
        assignees = self.env["res.users"].browse({users[d.member].id for d in direct})
        assignees._bus_send("mail.activity/updated", {"activity_created": True})
        pending = {} if digest is None else digest.salespeople
        for decision in direct:
            user = users[decision.member]
            pending.setdefault(user, ([], deadlines[user.id]))[0].append(decision.lead)
        if digest is None:
            self._notify_salespeople(pending)

    def _notify_salespeople(self, pending):
        """Send the notifications collected in ``pending``: {user: (lead ids, deadline)}."""
        for user, (lead_ids, deadline) in pending.items():
            self._notify_salesperson(user, lead_ids, deadline)

    def _send_run_digest(self, digest):
        """At the end of a run: one notification per salesperson, one e-mail per partner."""
        self._notify_salespeople(digest.salespeople)
        self._send_partner_offers(digest.partner_member_ids)

    def _notify_salesperson(self, user, lead_ids, deadline):
        """Tell ``user`` (inbox or e-mail, as the user chose in Odoo) which leads the pool
        gave them and by when to follow them up."""
        pool = self.sudo().with_context(lang=user.lang or self.env.lang)
        # the first leads by name, the others in the pipeline: a notification is read, not
        # searched, and its size is sanitized and stored for every recipient
        leads = pool.env["crm.lead"].browse(lead_ids[:NOTIFIED_LEADS])
        items = Markup("").join(
            Markup('<li><a href="/odoo/crm.lead/%s">%s</a></li>') % (lead.id, lead.name)
            for lead in leads
        )
        more = len(lead_ids) - len(leads)
        if more > 0:
            items += Markup('<li><a href="/odoo/crm">%s</a></li>') % pool.env._(
                "and %(count)s more in your pipeline", count=more
            )
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            pool.env._(
                "Pool %(pool)s gave you %(count)s lead(s). Please follow them up by %(date)s:",
                pool=pool.name,
                count=len(lead_ids),
                date=fields.Date.to_string(deadline.date()),
            ),
            items,
        )
        pool.message_notify(
            partner_ids=user.partner_id.ids,
            body=body,
            subject=pool.env._("%(count)s new lead(s) for you", count=len(lead_ids)),
            email_layout_xmlid="mail.mail_notification_light",
        )

    # ------------------------------------------------------------------ partners
    def _notify_partners(self, decisions, member_by_id, digest=None):
        """One e-mail per sales partner of the batch (``digest``: of the run, collected there
        and sent at its end), see ``_send_partner_offers``."""
        partner_members = {
            d.member for d in decisions if member_by_id[d.member].channel == "partner"
        }
        if digest is not None:
            digest.partner_member_ids |= partner_members
        else:
            self._send_partner_offers(partner_members)

    def _send_partner_offers(self, member_ids):
        """One e-mail per sales partner member of ``member_ids``, from the template "Leads
        offered to a sales partner" (editable; rendered in the partner's language), listing
        the leads waiting for its answer."""
        template = self.env.ref(
            "lead_distribution.mail_template_leads_offered", raise_if_not_found=False
        )
        if not member_ids or not template:
            return
        members = self.env["lead.distribution.member"].sudo().browse(sorted(member_ids))
        # the leads offered as they are now, this batch's included
        members.invalidate_recordset(["offered_lead_ids"])
        members = members.filtered("offer_recipient_ids")
        if members:
            template.sudo().send_mail_batch(members.ids)

    # ------------------------------------------------------------------ nobody can take it
    def _report_blocked(self, leads):
        """Leads no member can take (every eligible one declined or was tried, is away or at
        its limit, or none is eligible) wait in the pool: they are flagged, and the pool owner
        gets an activity."""
        newly = leads.filtered(lambda lead: not lead.distribution_blocked)
        if not newly:
            return
        newly.sudo().write({"distribution_blocked": True})
        activity_type = self.env.ref(
            "lead_distribution.mail_activity_type_waiting", raise_if_not_found=False
        )
        pool = self.sudo()
        if activity_type and not pool.activity_ids.filtered(
            lambda activity: activity.activity_type_id == activity_type
        ):
            pool.activity_schedule(
                activity_type_id=activity_type.id,
                user_id=pool.user_id.id,
                summary=self.env._("Leads wait for a member"),
                note=self.env._(
                    "No member of pool %(pool)s can take %(count)s lead(s): every eligible "
                    "member declined or already had them, is away or at its limit of leads, or "
                    "none is eligible. Add or widen members, raise their limits, or give the "
                    "leads by hand.",
                    pool=pool.name,
                    count=len(newly),
                ),
            )
