# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.2.0: no NOT NULL of ours on Odoo's own tables.

Up to 18.0.1.1.0 ``res_company.lead_quality_min_grade`` and ``crm_team.lead_offer_type`` were
required fields, so their columns carried NOT NULL: every insert into those tables by code
that does not know this addon (Odoo's own tests while ``crm`` is updated, other modules'
SQL) failed. The fields are optional now (an empty value counts as the default); the
constraints are dropped here, before the module's tables are updated.
"""

from odoo.tools import sql

#: (table, column) of the fields this addon adds to Odoo's models that were once required
NULLABLE_COLUMNS = (
    ("res_company", "lead_quality_min_grade"),
    ("crm_team", "lead_offer_type"),
)


def migrate(cr, version):
    for table, column in NULLABLE_COLUMNS:
        if sql.column_exists(cr, table, column):
            sql.drop_not_null(cr, table, column)
