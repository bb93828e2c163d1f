# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from urllib.parse import quote

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request


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
            Lead = request.env["crm.lead"]
            values["distribution_lead_count"] = (
                Lead.search_count(self._partner_leads_domain()) if Lead.has_access("read") else 0
            )
        return values

    @http.route(["/my/leads"], type="http", auth="user", website=True)
    def portal_my_distribution_leads(self, **kwargs):
        Lead = request.env["crm.lead"]
        if not Lead.has_access("read"):
            return request.redirect("/my")
        leads = Lead.search(self._partner_leads_domain(), order="distribution_date desc, id desc")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "leads": leads.sudo(),
                "page_name": "distribution_leads",
                "error": kwargs.get("error"),
                "message": kwargs.get("message"),
            }
        )
        return request.render("lead_distribution.portal_my_distribution_leads", values)

    def _own_lead(self, lead_id):
        lead = request.env["crm.lead"].browse(int(lead_id)).exists()
        if not lead:
            raise MissingError(request.env._("This lead does not exist (any more)."))
        lead.check_access("read")
        return lead

    @http.route(
        ["/my/leads/<int:lead_id>/accept"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_distribution_lead_accept(self, lead_id, **kwargs):
        try:
            self._own_lead(lead_id).action_partner_accept()
        except (AccessError, MissingError, UserError) as error:
            return request.redirect("/my/leads?error=%s" % quote(str(error)))
        return request.redirect("/my/leads?message=accepted")

    @http.route(
        ["/my/leads/<int:lead_id>/decline"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_distribution_lead_decline(self, lead_id, reason=None, **kwargs):
        try:
            self._own_lead(lead_id).action_partner_decline(reason)
        except (AccessError, MissingError, UserError) as error:
            return request.redirect("/my/leads?error=%s" % quote(str(error)))
        return request.redirect("/my/leads?message=declined")
