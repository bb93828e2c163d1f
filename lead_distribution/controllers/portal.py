# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from urllib.parse import quote

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools.misc import format_datetime, formatLang

# Our own pages, next to website_crm_partner_assign's /my/leads and /my/opportunities
OFFERED_LEADS_URL = "/my/offered-leads"
LEADS_PER_PAGE = 20
# What a sales partner sees of a lead offered to it, to decide whether to take it: nothing
# else is read for the portal (portal users have no access to crm.lead of their own; the
# contact's e-mail and phone, expected revenue, probability, internal notes stay internal)
OFFER_FIELDS = (
    "name",
    "partner_name",
    "city",
    "country_id",
    "description",
    "medium_id",
    "quality_grade",
    "distribution_state",
    "distribution_accept_deadline",
    "distribution_date",
)
# ... and once its company accepted the lead: the contact, and how the lead went on
ACCEPTED_FIELDS = (
    "contact_name",
    "function",
    "email_from",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "website",
    "active",
    "probability",
    "expected_revenue",
    "company_currency",
    "lost_reason_id",
    "distribution_partner_contacted_date",
)
# the states in which a lead is its partner's: offered to it, or accepted by it
PARTNER_STATES = ("offered", "accepted")
# the partner's answers on a lead (accept, decline, progress): forms posted from its page
ANSWER_ROUTE = {"type": "http", "auth": "user", "methods": ["POST"], "website": True}


class LeadDistributionPortal(CustomerPortal):
    """Sales partners see the leads offered to their company, accept or decline them, and
    report how the accepted ones go on (contacted, won, lost)."""

    def _partner_leads_domain(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return [
            ("channel_partner_id", "=", partner.id),
            ("distribution_state", "in", PARTNER_STATES),
        ]

    def _partner_leads(self):
        """Superuser environment on the leads of the partner (also the lost ones: they keep
        their partner and state); only the domain above decides what the portal shows."""
        return request.env["crm.lead"].sudo().with_context(active_test=False)

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "distribution_lead_count" in counters:
            values["distribution_lead_count"] = self._partner_leads().search_count(
                self._partner_leads_domain()
            )
        return values

    @staticmethod
    def _lead_status(row):
        """(key, label) of where a lead stands for its partner."""
        if row["distribution_state"] == "offered":
            return "offered", request.env._("Waiting for your answer")
        if not row["active"]:
            return "lost", request.env._("Lost")
        if row["probability"] >= 100:
            return "won", request.env._("Won")
        if row["distribution_partner_contacted_date"]:
            return "contacted", request.env._("Contacted")
        return "accepted", request.env._("Accepted")

    def _lead_values(self, leads, detail=False):
        """The whitelisted fields of ``leads`` (superuser records), ready to display; the
        contact and the outcome only of the leads the partner accepted."""
        env = request.env
        fnames = list(OFFER_FIELDS)
        if not detail:
            fnames.remove("description")
        accepted = leads.filtered(lambda lead: lead.distribution_state == "accepted")
        # those the lead has: Odoo 19.0 dropped crm.lead's mobile
        accepted_fnames = [fname for fname in ACCEPTED_FIELDS if fname in leads._fields]
        contact = {row["id"]: row for row in accepted.read(accepted_fnames)}
        rows = []
        for row in leads.read(fnames):
            row.update(
                contact.get(row["id"])
                or {"active": True, "probability": 0, "distribution_partner_contacted_date": False}
            )
            deadline = row["distribution_accept_deadline"]
            status, status_label = self._lead_status(row)
            row.update(
                {
                    "url": f"{OFFERED_LEADS_URL}/{row['id']}",
                    "country": row["country_id"][1] if row["country_id"] else "",
                    "medium": row["medium_id"][1] if row["medium_id"] else "",
                    "status": status,
                    "status_label": status_label,
                    "deadline": format_datetime(env, deadline, tz=env.user.tz, dt_format="short")
                    if deadline
                    else "",
                    "distributed": format_datetime(
                        env, row["distribution_date"], tz=env.user.tz, dt_format="short"
                    )
                    if row["distribution_date"]
                    else "",
                }
            )
            if row["id"] in contact:
                contacted = row["distribution_partner_contacted_date"]
                row["contacted"] = (
                    format_datetime(env, contacted, tz=env.user.tz, dt_format="short")
                    if contacted
                    else ""
                )
                row["lost_reason"] = row["lost_reason_id"][1] if row["lost_reason_id"] else ""
                row["amount"] = formatLang(
                    env,
                    row["expected_revenue"],
                    currency_obj=env["res.currency"].browse(row["company_currency"][0])
                    if row["company_currency"]
                    else env.company.currency_id,
                )
            rows.append(row)
        return rows

    def _message_values(self, kwargs):
        return {"error": kwargs.get("error"), "message": kwargs.get("message")}

    @http.route(
        [OFFERED_LEADS_URL, f"{OFFERED_LEADS_URL}/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_offered_leads(self, page=1, **kwargs):
        Lead = self._partner_leads()
        domain = self._partner_leads_domain()
        pager = portal_pager(
            url=OFFERED_LEADS_URL,
            total=Lead.search_count(domain),
            page=page,
            step=LEADS_PER_PAGE,
        )
        # the leads waiting for an answer first, then the newest
        leads = Lead.search(
            domain,
            order="distribution_state desc, distribution_date desc, id desc",
            limit=LEADS_PER_PAGE,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "offers": self._lead_values(leads),
                "pager": pager,
                "offered_leads_url": OFFERED_LEADS_URL,
                "page_name": "offered_leads",
                **self._message_values(kwargs),
            }
        )
        return request.render("lead_distribution.portal_my_distribution_leads", values)

    @http.route(
        [f"{OFFERED_LEADS_URL}/<int:lead_id>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_offered_lead(self, lead_id, **kwargs):
        # the lead must be offered to or accepted by the user's company; else it does not
        # exist for the portal (nothing is told about other companies' leads)
        lead = self._partner_leads().search([("id", "=", lead_id), *self._partner_leads_domain()])
        if not lead:
            return request.not_found()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "lead": self._lead_values(lead, detail=True)[0],
                "decline_reasons": request.env["lead.distribution.decline.reason"]
                .sudo()
                .search_read([], ["name", "text_required"]),
                "lost_reasons": request.env["crm.lost.reason"].sudo().search_read([], ["name"]),
                "offered_leads_url": OFFERED_LEADS_URL,
                "page_name": "offered_lead",
                **self._message_values(kwargs),
            }
        )
        return request.render("lead_distribution.portal_distribution_lead", values)

    def _answer(self, lead_id, answer, message, leaves=False):
        """Run ``answer`` on the lead as the portal user (the lead's methods check that it
        is offered to / accepted by the user's company), then go back to the lead's page
        with ``message``, or to the list when the answer gives the lead away (``leaves``).
        A refusal changes nothing and goes back to the lead's page with the reason; one of
        another company's leads to the list (nothing is told about that lead)."""
        lead_url = f"{OFFERED_LEADS_URL}/{int(lead_id)}"
        lead = request.env["crm.lead"].browse(int(lead_id))
        try:
            with request.env.cr.savepoint():
                answer(lead)
        except AccessError as error:
            return request.redirect(f"{OFFERED_LEADS_URL}?error={quote(str(error))}")
        except (MissingError, UserError) as error:
            return request.redirect(f"{lead_url}?error={quote(str(error))}")
        return request.redirect(f"{OFFERED_LEADS_URL if leaves else lead_url}?message={message}")

    @http.route(f"{OFFERED_LEADS_URL}/<int:lead_id>/accept", **ANSWER_ROUTE)
    def portal_offered_lead_accept(self, lead_id, **kwargs):
        return self._answer(lead_id, lambda lead: lead.action_partner_accept(), "accepted")

    @http.route(f"{OFFERED_LEADS_URL}/<int:lead_id>/decline", **ANSWER_ROUTE)
    def portal_offered_lead_decline(self, lead_id, reason=None, reason_id=None, **kwargs):
        # a declined lead is no longer the partner's: the list
        return self._answer(
            lead_id,
            lambda lead: lead.action_partner_decline(reason, reason_id=reason_id or None),
            "declined",
            leaves=True,
        )

    @http.route(f"{OFFERED_LEADS_URL}/<int:lead_id>/contacted", **ANSWER_ROUTE)
    def portal_offered_lead_contacted(self, lead_id, note=None, **kwargs):
        return self._answer(lead_id, lambda lead: lead.action_partner_contacted(note), "contacted")

    @http.route(f"{OFFERED_LEADS_URL}/<int:lead_id>/won", **ANSWER_ROUTE)
    def portal_offered_lead_won(self, lead_id, amount=None, note=None, **kwargs):
        return self._answer(lead_id, lambda lead: lead.action_partner_won(amount, note), "won")

    @http.route(f"{OFFERED_LEADS_URL}/<int:lead_id>/lost", **ANSWER_ROUTE)
    def portal_offered_lead_lost(self, lead_id, lost_reason_id=None, note=None, **kwargs):
        return self._answer(
            lead_id, lambda lead: lead.action_partner_lost(lost_reason_id, note), "lost"
        )
