# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.1.0: no more indexes on the low-cardinality quality columns of crm_lead.

Offer type (2 values), grade (4) and readiness (a boolean) are filtered together with more
selective columns; their indexes were never worth what they cost on every write of a lead
(each UPDATE of a lead row inserts into every index). Odoo keeps indexes a field no longer
declares, so they are dropped here.
"""


def migrate(cr, version):
    for index in (
        "crm_lead__offer_type_index",
        "crm_lead__quality_grade_index",
        "crm_lead__is_distribution_ready_index",
    ):
        cr.execute(f'DROP INDEX IF EXISTS "{index}"')
