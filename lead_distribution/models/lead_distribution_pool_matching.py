# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Before a batch is distributed fairly: duplicates and known customers.

* **Duplicates** follow Odoo's own rule (``crm.lead._get_lead_duplicates``: the same e-mail
  address or the same customer, among the open leads and opportunities: active, not won) and
  the phone number of Odoo's "similar leads" (``phone_sanitized``): a lead duplicating a lead
  someone holds is merged into it (Odoo's ``_merge_opportunity``) or linked to it and given to
  its holder, as the pool says; leads of one batch duplicating each other are merged, or go to
  the member the first of them goes to.
* **Known customers** (the pool's account match): the customer's salesperson, the sales
  partner serving it, the holder of its open opportunity, the sales partner that accepted an
  earlier lead of it: the lead goes to the first of them that is an available member of the
  pool and can take it (``lib/fair_share``: preferred members, counted in their share).

Everything is looked up for the whole batch at once (a few searches), never per lead.
"""

from dataclasses import dataclass, field

from markupsafe import Markup, escape

from odoo import models
from odoo.addons.lead_quality.lib.odoo_compat import domain_and, domain_or

# how a lead duplicates another, in the order they are told
CRITERIA = ("email", "partner", "phone")
# the owners of a lead, in the order they are offered the lead
DUPLICATE, PRIMARY = "duplicate", "primary"
CUSTOMER, CUSTOMER_PARTNER, OPPORTUNITY, ACCEPTED = (
    "customer",
    "customer_partner",
    "opportunity",
    "accepted",
)
LINKS = (DUPLICATE, PRIMARY)


@dataclass(frozen=True)
class Owner:
    """Someone a lead should go to first: ``member`` (id, or ``None`` when the owner is not
    a member of the pool), ``kind`` (see above), the owner's name, and the names the reason
    tells (the customer, the other lead, how the leads match)."""

    member: int | None
    kind: str
    name: str
    customer: str = ""
    other: str = ""
    criterion: str = ""
    other_id: int | None = None


@dataclass
class Matches:
    """What matching found for a batch: the leads left to distribute, the owners of each
    lead by lead id (in order), and the leads that go with another lead of the batch
    (``follows``: lead id -> id of the first lead of its duplicates)."""

    leads: object
    owners: dict = field(default_factory=dict)
    follows: dict = field(default_factory=dict)

    def preferred(self, lead_id):
        seen, keys = set(), []
        for owner in self.owners.get(lead_id, ()):
            if owner.member and owner.member not in seen:
                seen.add(owner.member)
                keys.append(owner.member)
        return tuple(keys)


class LeadDistributionPool(models.Model):
    # a file per concern of the pool (configuration, engine, effects, ...), by design
    _inherit = "lead.distribution.pool"  # pylint: disable=consider-merging-classes-inherited

    def _match_leads(self, leads, members, trigger):
        """Merge or link the batch's duplicates and find the owners of its leads; return the
        :class:`Matches` (merged leads are not among the leads left)."""
        self.ensure_one()
        matches = Matches(leads=leads)
        if not leads:
            return matches
        by_user = {m.user_id.id: m for m in members if m.user_id}
        by_partner = {m.partner_id.id: m for m in members if m.partner_id}
        if self.duplicate_mode != "none":
            self._match_duplicates(matches, by_user, by_partner, trigger)
        if self.account_match and matches.leads:
            self._match_accounts(matches, by_user, by_partner)
        return matches

    # ------------------------------------------------------------------ duplicates
    @staticmethod
    def _duplicate_keys(lead):
        keys = []
        if lead.email_normalized:
            keys.append(("email", lead.email_normalized))
        if lead.partner_id:
            keys.append(("partner", lead.partner_id.id))
        if lead.phone_sanitized:
            keys.append(("phone", lead.phone_sanitized))
        return keys

    @staticmethod
    def _target_keys(lead):
        return {
            ("email", lead.email_normalized),
            ("partner", lead.partner_id.id),
            ("phone", lead.phone_sanitized),
        }

    def _open_duplicates(self, leads, keys):
        """The open leads and opportunities someone holds that share a key with ``leads``,
        outside the batch, in one search."""
        values = {criterion: set() for criterion in CRITERIA}
        for lead_keys in keys.values():
            for criterion, value in lead_keys:
                values[criterion].add(value)
        fields_of = {
            "email": "email_normalized",
            "partner": "partner_id",
            "phone": "phone_sanitized",
        }
        alternatives = [
            [(fields_of[criterion], "in", sorted(found))]
            for criterion, found in values.items()
            if found
        ]
        if not alternatives:
            return self.env["crm.lead"]
        return (
            self.env["crm.lead"]
            .sudo()
            .with_context(active_test=False)
            .search(
                domain_and(
                    [
                        domain_or(alternatives),
                        [
                            ("id", "not in", leads.ids),
                            ("active", "=", True),
                            ("company_id", "in", [self.company_id.id, False]),
                            "|",
                            ("stage_id", "=", False),
                            ("stage_id.is_won", "=", False),
                            "|",
                            ("user_id", "!=", False),
                            ("channel_partner_id", "!=", False),
                        ],
                    ]
                )
            )
        )

    @staticmethod
    def _clusters(leads, keys):
        """The leads of the batch that duplicate each other (sharing a key, directly or
        through another lead), in batch order: a union-find over the keys."""
        parent = {lead.id: lead.id for lead in leads}

        def find(lead_id):
            while parent[lead_id] != lead_id:
                parent[lead_id] = parent[parent[lead_id]]
                lead_id = parent[lead_id]
            return lead_id

        first_with = {}
        for lead in leads:
            for key in keys[lead.id]:
                if key in first_with:
                    parent[find(lead.id)] = find(first_with[key])
                else:
                    first_with[key] = lead.id
        clusters = {}
        for lead in leads:
            clusters.setdefault(find(lead.id), []).append(lead)
        return list(clusters.values())

    @staticmethod
    def _criterion(lead_keys, other_keys, cluster_keys):
        """How a lead matches another: a key they share, else (matched through another lead
        of its cluster) a key the cluster shares with the other."""
        return next(
            (c for c, v in lead_keys if (c, v) in other_keys),
            next((c for c, v in cluster_keys if (c, v) in other_keys), "email"),
        )

    def _holder(self, lead, by_user, by_partner):
        member = by_user.get(lead.user_id.id) if lead.user_id else None
        if member is None and lead.channel_partner_id:
            member = by_partner.get(lead.channel_partner_id.id)
        return member

    def _match_duplicates(self, matches, by_user, by_partner, trigger):
        leads = matches.leads
        leads.fetch(["email_normalized", "partner_id", "phone_sanitized", "name"])
        keys = {lead.id: self._duplicate_keys(lead) for lead in leads}
        targets = self._open_duplicates(leads, keys)
        target_keys = {target.id: self._target_keys(target) for target in targets}
        texts = self._match_texts()
        links, merges = {}, []
        for cluster in self._clusters(leads, keys):
            found = targets.filtered(
                lambda t, c=cluster: any(
                    k in target_keys[t.id] for lead in c for k in keys[lead.id]
                )
            )
            target = found._sort_by_confidence_level(reverse=True)[:1] if found else found
            if not target and len(cluster) < 2:
                continue
            if self.duplicate_mode == "merge":
                merges.append((cluster, target))
                continue
            if target:
                holder = self._holder(target, by_user, by_partner)
                holder_name = (target.user_id or target.channel_partner_id).name
                cluster_keys = [k for lead in cluster for k in keys[lead.id]]
                for lead in cluster:
                    criterion = self._criterion(keys[lead.id], target_keys[target.id], cluster_keys)
                    links.setdefault(target.id, []).append(lead.id)
                    matches.owners.setdefault(lead.id, []).append(
                        Owner(
                            holder.id if holder else None,
                            DUPLICATE,
                            holder_name,
                            other=target.name,
                            criterion=texts["criteria"][criterion],
                            other_id=target.id,
                        )
                    )
                continue
            primary, followers = cluster[0], cluster[1:]
            primary_keys = set(keys[primary.id])
            cluster_keys = [k for lead in cluster for k in keys[lead.id]]
            for lead in followers:
                criterion = self._criterion(keys[lead.id], primary_keys, cluster_keys)
                links.setdefault(primary.id, []).append(lead.id)
                matches.follows[lead.id] = primary.id
                matches.owners.setdefault(lead.id, []).append(
                    Owner(
                        None,
                        PRIMARY,
                        "",
                        other=primary.name,
                        criterion=texts["criteria"][criterion],
                        other_id=primary.id,
                    )
                )
        Lead = self.env["crm.lead"].sudo()
        for target_id, lead_ids in links.items():
            Lead.browse(lead_ids).write({"distribution_duplicate_of_id": target_id})
        if merges:
            holders = {
                target.id: self._holder(target, by_user, by_partner)
                for _cluster, target in merges
                if target
            }
            merged = self._merge_duplicates(merges, keys, target_keys, texts, trigger, holders)
            matches.leads = leads.filtered(lambda lead: lead.id not in merged)

    def _merge_duplicates(self, merges, keys, target_keys, texts, trigger, holders):
        """Merge each cluster into its target (or the cluster's leads together) with Odoo's
        own merge; log why (``holders``: the member holding each target, if any). Return the
        ids of the batch's leads that are no longer to be distributed (merged away, or merged
        into a lead someone holds)."""
        gone, rows, notes = set(), [], {}
        Lead = self.env["crm.lead"].sudo()
        for cluster, target in merges:
            cluster_leads = Lead.browse([lead.id for lead in cluster])
            names = {lead.id: lead.name for lead in cluster_leads}
            member = holders.get(target.id) if target else None
            if target:
                record = target._distribution_record()
                holder = (target.user_id or target.channel_partner_id).name
                target_name = target.name
                survivor = (target | cluster_leads)._merge_opportunity(
                    user_id=target.user_id.id,
                    team_id=target.team_id.id,
                    auto_unlink=True,
                    max_length=0,
                )
                if survivor != target:
                    # Odoo kept the new lead: it carries on what the open lead was
                    survivor.write(record)
                gone.update(cluster_leads.ids)
            else:
                survivor = cluster_leads._merge_opportunity(
                    user_id=False, team_id=False, auto_unlink=True, max_length=0
                )
                target_name, holder = survivor.name, ""
                gone.update(set(cluster_leads.ids) - {survivor.id})
            cluster_keys = [k for lead in cluster for k in keys[lead.id]]
            for lead in cluster_leads:
                if lead == survivor and not target:
                    continue
                if target:
                    criterion = self._criterion(keys[lead.id], target_keys[target.id], cluster_keys)
                    reason = texts["merged_held"] % {
                        "lead": names[lead.id],
                        "other": target_name,
                        "criterion": texts["criteria"][criterion],
                        "holder": holder,
                        "kept": survivor.name,
                    }
                else:
                    others = {k for other in cluster if other != lead for k in keys[other.id]}
                    criterion = self._criterion(keys[lead.id], others, cluster_keys)
                    reason = texts["merged_batch"] % {
                        "lead": names[lead.id],
                        "other": survivor.name,
                        "criterion": texts["criteria"][criterion],
                    }
                score = survivor.quality_score
                rows.append(
                    {
                        **self._log_vals(
                            survivor,
                            member,
                            "merged",
                            reason,
                            trigger,
                            score=score,
                            grade=survivor.quality_grade,
                        ),
                        "lead_name": names[lead.id],
                    }
                )
                notes.setdefault(survivor.id, []).append(reason)
        if rows:
            self.env["lead.distribution.log"].sudo().create(rows)
            for survivor_id, reasons in notes.items():
                Lead.browse(survivor_id)._message_log(
                    body=Markup("").join(Markup("<p>%s</p>") % escape(r) for r in reasons)
                )
        return gone

    # ------------------------------------------------------------------ known customers
    def _customers_of(self, leads):
        """{lead id: its customer contact}: the lead's customer, else the contact with its
        e-mail address (Odoo's own match of a lead's customer), in one search."""
        partner_of = {lead.id: lead.partner_id for lead in leads if lead.partner_id}
        emails = {
            lead.email_normalized for lead in leads if not lead.partner_id and lead.email_normalized
        }
        if emails:
            by_email = {}
            partners = (
                self.env["res.partner"]
                .sudo()
                .search([("email_normalized", "in", sorted(emails))], order="id")
            )
            for partner in partners:
                by_email.setdefault(partner.email_normalized, partner)
            for lead in leads:
                if not lead.partner_id and lead.email_normalized in by_email:
                    partner_of[lead.id] = by_email[lead.email_normalized]
        return partner_of

    def _customer_leads(self, customers, leads):
        """The latest open opportunity someone holds and the latest lead a sales partner
        accepted, by customer (commercial partner) id: one search for all customers."""
        Lead = self.env["crm.lead"].sudo()
        assigned_partner = "partner_assigned_id" in Lead._fields
        related = Lead.search(
            [
                ("partner_id", "child_of", customers.ids),
                ("id", "not in", leads.ids),
                ("active", "=", True),
                "|",
                "&",
                ("type", "=", "opportunity"),
                "|",
                ("stage_id", "=", False),
                ("stage_id.is_won", "=", False),
                ("distribution_state", "=", "accepted"),
            ],
            order="id desc",
        )
        opportunity_of, accepted_of = {}, {}
        for other in related:
            customer = other.partner_id.commercial_partner_id
            held = (
                other.user_id
                or other.channel_partner_id
                or (assigned_partner and other.partner_assigned_id)
            )
            if other.type == "opportunity" and not other.stage_id.is_won and held:
                opportunity_of.setdefault(customer.id, other)
            if other.distribution_state == "accepted" and other.channel_partner_id:
                accepted_of.setdefault(customer.id, other)
        return opportunity_of, accepted_of

    @staticmethod
    def _opportunity_owners(opportunity, by_user, by_partner):
        owners = []
        if opportunity.user_id:
            owners.append((by_user.get(opportunity.user_id.id), opportunity.user_id.name))
        holder = opportunity.channel_partner_id or (
            "partner_assigned_id" in opportunity._fields and opportunity.partner_assigned_id
        )
        if holder:
            holder = holder.commercial_partner_id
            owners.append((by_partner.get(holder.id), holder.name))
        return [(member, OPPORTUNITY, name, opportunity.name) for member, name in owners]

    def _match_accounts(self, matches, by_user, by_partner):
        """The owners of the customers of the batch's leads, in three searches at most."""
        leads = matches.leads
        leads.fetch(["partner_id", "email_normalized"])
        partner_of = self._customers_of(leads)
        if not partner_of:
            return
        Partner = self.env["res.partner"].sudo()
        customers = Partner.union(*partner_of.values()).commercial_partner_id
        opportunity_of, accepted_of = self._customer_leads(customers, leads)
        serving = "assigned_partner_id" in Partner._fields
        for lead_id, partner in partner_of.items():
            customer = partner.commercial_partner_id
            found = []
            salesperson = customer.user_id or partner.user_id
            if salesperson:
                found.append((by_user.get(salesperson.id), CUSTOMER, salesperson.name, ""))
            if serving and customer.assigned_partner_id:
                implementer = customer.assigned_partner_id.commercial_partner_id
                found.append(
                    (by_partner.get(implementer.id), CUSTOMER_PARTNER, implementer.name, "")
                )
            if customer.id in opportunity_of:
                found += self._opportunity_owners(opportunity_of[customer.id], by_user, by_partner)
            accepted = accepted_of.get(customer.id)
            if accepted:
                holder = accepted.channel_partner_id.commercial_partner_id
                found.append((by_partner.get(holder.id), ACCEPTED, holder.name, accepted.name))
            owners = matches.owners.setdefault(lead_id, [])
            for member, kind, name, other in found:
                owners.append(
                    Owner(member.id if member else None, kind, name, customer.name, other)
                )

    def _match_texts(self):
        return {
            "criteria": {
                "email": self.env._("same e-mail address"),
                "partner": self.env._("same customer"),
                "phone": self.env._("same phone number"),
            },
            "merged_held": self.env._(
                "Lead %(lead)s duplicates open lead %(other)s (%(criterion)s), held by "
                "%(holder)s: merged with it into %(kept)s instead of being distributed as a "
                "new lead."
            ),
            "merged_batch": self.env._(
                "Lead %(lead)s duplicates lead %(other)s of the same distribution "
                "(%(criterion)s): merged into it; %(other)s is distributed."
            ),
        }
