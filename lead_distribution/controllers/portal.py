# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from urllib.parse import quote

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools.misc import format_datetime

# Our own pages, next to website_crm_partner_assign's /my/leads and /my/opportunities
OFFERED_LEADS_URL = "/my/offered-leads"
# What a sales partner sees of a lead offered to it: nothing else is read for the portal
# (portal users have no access to crm.lead of their own; description, expected revenue,
# probability, internal notes stay internal)
PORTAL_FIELDS = (
    "name",
    "contact_name",
    "partner_name",
    "email_from",
    "phone",
    "city",
    "country_id",
    "quality_grade",
    "distribution_state",
    "distribution_accept_deadline",
)


class LeadDistributionPortal(CustomerPortal):
    """Sales partners see, accept and decline the leads offered to their company."""

    def _partner_leads_domain(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return [
            ("channel_partner_id", "=", partner.id),
            ("distribution_state", "in", ("offered", "accepted")),
        ]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "distribution_lead_count" in counters:
            values["distribution_lead_count"] = (
                request.env["crm.lead"].sudo().search_count(self._partner_leads_domain())
            )
        return values

    def _offered_lead_values(self, leads):
        """The whitelisted fields of ``leads`` (superuser records), ready to display."""
        env = request.env
        states = dict(leads._fields["distribution_state"]._description_selection(env))
        rows = []
        for row in leads.read(list(PORTAL_FIELDS)):
            deadline = row["distribution_accept_deadline"]
            rows.append(
                {
                    **row,
                    "country": row["country_id"][1] if row["country_id"] else "",
                    "state_label": states.get(row["distribution_state"], ""),
                    "deadline": format_datetime(env, deadline, tz=env.user.tz, dt_format="short")
                    if deadline
                    else "",
                }
            )
        return rows

    @http.route([OFFERED_LEADS_URL], type="http", auth="user", website=True)
    def portal_my_offered_leads(self, **kwargs):
        leads = (
            request.env["crm.lead"]
            .sudo()
            .search(self._partner_leads_domain(), order="distribution_date desc, id desc")
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "offers": self._offered_lead_values(leads),
                "offered_leads_url": OFFERED_LEADS_URL,
                "page_name": "offered_leads",
                "error": kwargs.get("error"),
                "message": kwargs.get("message"),
            }
        )
        return request.render("lead_distribution.portal_my_distribution_leads", values)

    def _answer(self, lead_id, answer, message):
        """Run ``answer`` on the lead as the portal user (the lead's methods check that it
        is offered to the user's company); a refusal changes nothing."""
        lead = request.env["crm.lead"].browse(int(lead_id))
        try:
            with request.env.cr.savepoint():
                answer(lead)
        except (AccessError, MissingError, UserError) as error:
            return request.redirect(f"{OFFERED_LEADS_URL}?error={quote(str(error))}")
        return request.redirect(f"{OFFERED_LEADS_URL}?message={message}")

    @http.route(
        [f"{OFFERED_LEADS_URL}/<int:lead_id>/accept"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_offered_lead_accept(self, lead_id, **kwargs):
        return self._answer(lead_id, lambda lead: lead.action_partner_accept(), "accepted")

    @http.route(
        [f"{OFFERED_LEADS_URL}/<int:lead_id>/decline"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_offered_lead_decline(self, lead_id, reason=None, **kwargs):
        return self._answer(lead_id, lambda lead: lead.action_partner_decline(reason), "declined")
