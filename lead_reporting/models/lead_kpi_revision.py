from odoo import api, fields, models


class LeadKpiRevision(models.Model):
    """Logged change of a success criterion after the start (R18, R21)."""

    _name = "lead.kpi.revision"
    _description = "Success Criterion Revision"
    _order = "create_date desc, id desc"

    res_model = fields.Char(
        string="Document Model", required=True, index=True, help="Model of the revised record."
    )
    res_id = fields.Many2oneReference(
        string="Document",
        model_field="res_model",
        required=True,
        index=True,
        help="The revised plan or campaign.",
    )
    record_name = fields.Char(
        string="Plan / Campaign",
        compute="_compute_record_name",
        help="Name of the revised plan or campaign.",
    )
    field_name = fields.Char(string="Field", required=True, help="Technical name of the criterion.")
    field_label = fields.Char(string="Criterion", help="The revised success criterion.")
    old_value = fields.Char(help="Value before the revision.")
    new_value = fields.Char(help="Value after the revision.")
    reason = fields.Text(required=True, help="Why the criterion was changed.")
    user_id = fields.Many2one(
        "res.users",
        string="Revised By",
        default=lambda self: self.env.user,
        required=True,
        help="Who revised the criterion.",
    )
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        help="Company of the revised record.",
    )

    @api.depends("res_model", "res_id")
    @api.depends_context("uid")
    def _compute_record_name(self):
        for revision in self:
            record = self.env[revision.res_model].browse(revision.res_id).exists()
            # the revision outlives its record and may be read by someone who may not read
            # the record (a plan of another team): its name only for those who may
            visible = record and record.has_access("read")
            revision.record_name = record.display_name if visible else False
