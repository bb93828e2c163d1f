# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models


class LeadDistributionPool(models.Model):
    _inherit = "lead.distribution.pool"

    @api.model
    def _members_on_time_off(self, members, moment):
        """The direct members whose employee (the employee of their user) is on approved time
        off at ``moment``, with the end of that time off: one search for all of them."""
        result = super()._members_on_time_off(members, moment)
        direct = members.filtered(lambda member: member.channel == "direct" and member.user_id)
        if not direct:
            return result
        leaves = (
            self.env["hr.leave"]
            .sudo()
            .search_read(
                [
                    ("state", "=", "validate"),
                    ("employee_id.user_id", "in", direct.user_id.ids),
                    ("date_from", "<=", moment),
                    ("date_to", ">", moment),
                ],
                ["employee_id", "date_to"],
                order="date_to desc",
            )
        )
        if not leaves:
            return result
        employees = (
            self.env["hr.employee"].sudo().browse({leave["employee_id"][0] for leave in leaves})
        )
        user_of = {employee.id: employee.user_id.id for employee in employees}
        until = {}
        for leave in leaves:
            until.setdefault(user_of[leave["employee_id"][0]], leave["date_to"])
        for member in direct:
            if member.user_id.id in until:
                result[member.id] = until[member.user_id.id]
        return result
